package desk_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
)

// licencePDF stands for a licence's PDF.
var licencePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% licence JY13301020000001\ntrailer<<>>\n%%EOF\n")

// upload posts a multipart form: fields first, then each file of field.
func (b *browser) upload(path string, fields url.Values, field string, files map[string][]byte) reply {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, k := range []string{"form_token", "version", "material", "code", "collect_items", "back"} {
		for _, v := range fields[k] {
			_ = mw.WriteField(k, v)
		}
	}
	for name, content := range files {
		w, err := mw.CreateFormFile(field, name)
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = w.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.h.url+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// TestElectronicResultPages: the intake desk attaches a scan from the case
// page; the department submits its result with the PDF from the case
// page; the result handover sheet prints the SHA-256 and the verification
// QR code's link; the public page answers for the right code only, with
// the same answer for a wrong code and an unknown number, and tells
// 一致 from 不一致 for an uploaded copy.
func TestElectronicResultPages(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		files, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		h.svc.Use(files, nil)
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		n := v.Case.Number

		clerk := h.signIn(t, "shouli")
		page := clerk.get("/cases/" + n)
		page.want(t, http.StatusOK, `id="form-attach-files"`, "高拍仪拍摄", "camera.js")
		p := clerk.upload("/cases/"+n+"/materials/files", url.Values{"version": {strconv.Itoa(v.Case.Version)}, "material": {"M01"}},
			"files", map[string][]byte{"营业执照.pdf": licencePDF})
		if p.status != http.StatusSeeOther {
			t.Fatalf("attach scans: %d\n%s", p.status, p.body)
		}
		sum := sha256.Sum256(licencePDF)
		sha := hex.EncodeToString(sum[:])
		clerk.get("/cases/"+n).want(t, http.StatusOK, "/cases/"+n+"/files/"+sha, "营业执照.pdf", "上传扫描材料")

		var deferred []string
		for _, m := range v.Case.Materials {
			if m.Status == casework.Deferred {
				deferred = append(deferred, m.Code)
			}
		}
		if len(deferred) > 0 {
			h.act(t, "shouli", n, casework.ActSupply, casework.Input{Materials: deferred})
		}
		for _, a := range []casework.Action{casework.ActAccept, casework.ActHandover} {
			h.act(t, "shenpi", n, a, casework.Input{})
		}
		v = h.act(t, "shenpi", n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13301020000001"})
		reviewer := h.signIn(t, "shenpi")
		reviewer.get("/cases/"+n).want(t, http.StatusOK, `name="result_file"`)
		p = reviewer.upload("/cases/"+n+"/submit-result", url.Values{"version": {strconv.Itoa(v.Case.Version)}, "collect_items": {""}},
			"result_file", map[string][]byte{"许可证.pdf": licencePDF})
		if p.status != http.StatusSeeOther {
			t.Fatalf("submit-result with its PDF: %d\n%s", p.status, p.body)
		}
		cv, err := h.svc.Case(h.as["shenpi"], n)
		if err != nil || cv.Case.Electronic == nil {
			t.Fatalf("case after submit-result: %+v %v", cv, err)
		}
		code := cv.Case.Electronic.Code
		reviewer.get("/cases/"+n).want(t, http.StatusOK, "电子结果文书", sha, code)
		sheet := -1
		for i, d := range cv.Documents {
			if d.Kind == casework.ResultSheet {
				sheet = i
			}
		}
		reviewer.get("/cases/"+n+"/print/"+strconv.Itoa(sheet)).want(t, http.StatusOK, sha, code, "/verify/"+n+"?code="+code, "扫码验证电子文书")

		public := h.browser(t)
		ok := public.get("/verify/" + n + "?code=" + code)
		ok.want(t, http.StatusOK, "该电子文书由本机关出具", "食品经营许可证 JY13301020000001", sha, "核对手中的文件")
		depts, err := h.svc.Departments(h.as["shenpi"])
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range depts {
			if d.Code == cv.Case.DepartmentCode && !strings.Contains(ok.body, d.Name) {
				t.Errorf("verification page lacks the department's name %q", d.Name)
			}
		}
		if ok.header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("Referrer-Policy %q", ok.header.Get("Referrer-Policy"))
		}
		wrong := public.get("/verify/" + n + "?code=WRONG23456")
		unknown := public.get("/verify/20990101999999?code=" + code)
		for _, r := range []reply{wrong, unknown} {
			r.want(t, http.StatusNotFound, "未找到该电子文书：请核对办件编号和验证码")
			r.wantNot(t, sha, "食品经营许可证")
		}
		same := public.upload("/verify/"+n, url.Values{"code": {code}}, "file", map[string][]byte{"copy.pdf": licencePDF})
		same.want(t, http.StatusOK, "<strong>一致</strong>")
		changed := append(bytes.Clone(licencePDF), ' ')
		other := public.upload("/verify/"+n, url.Values{"code": {code}}, "file", map[string][]byte{"copy.pdf": changed})
		other.want(t, http.StatusOK, "<strong>不一致</strong>")
		other.wantNot(t, "<strong>一致</strong>")
	})
}
