package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
)

// edocPDF is a small PDF standing for a licence.
var edocPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% licence\ntrailer<<>>\n%%EOF\n")

// sendFile posts content as the body of path, as user.
func (d *caseDesk) sendFile(t *testing.T, user, path, contentType string, content []byte) *reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, d.base+path, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+d.tokens[user])
	}
	res, err := d.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &reply{status: res.StatusCode, body: b}
}

// TestElectronicResultThroughTheAPI: the department uploads the result
// PDF as the body, names it in submit-result, and the case shows it with
// its SHA-256 and a verification code; the issuance desk downloads it; a
// picture is refused as a result (422), the intake desk may not upload one
// (403), and nobody signed out may (401). The intake desk attaches a scan
// to a material the same way (an attach-files event); the department may
// not.
func TestElectronicResultThroughTheAPI(t *testing.T) {
	eachDesk(t, "2026-03-02T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		files, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		d.svc.Use(files, nil)
		c := d.take(t, foodLicence())
		n := c.Number

		// A scan attached at the intake desk travels with the case.
		code := "M01"
		scanPath := "/api/v1/cases/" + n + "/materials/" + code + "/files?name=" + url.QueryEscape("营业执照.pdf")
		mustStatus(t, d.sendFile(t, "shenpi", scanPath, "application/pdf", edocPDF), http.StatusForbidden)
		mustStatus(t, d.sendFile(t, "", scanPath, "application/pdf", edocPDF), http.StatusUnauthorized)
		r := d.sendFile(t, "shouli", scanPath, "application/pdf", edocPDF)
		mustStatus(t, r, http.StatusOK)
		var scanned struct{ Materials []casework.CaseMaterial }
		_ = json.Unmarshal(r.body, &scanned)
		if len(scanned.Materials) == 0 || len(scanned.Materials[0].Files) != 1 {
			t.Fatalf("after attaching: %s", r.body)
		}
		if evs := d.caseOf(t, "shenpi", n).Events; evs[len(evs)-1].Type != "attach-files" || evs[len(evs)-1].Actor != "shouli" {
			t.Fatalf("last event: %+v", evs[len(evs)-1])
		}

		for _, action := range []casework.Action{casework.ActAccept, casework.ActHandover, casework.ActDecide} {
			mustStatus(t, d.act(t, "shenpi", n, action, nil), http.StatusOK)
		}
		resultPath := "/api/v1/cases/" + n + "/result-file?name=" + url.QueryEscape("许可证.pdf")
		mustStatus(t, d.sendFile(t, "shouli", resultPath, "application/pdf", edocPDF), http.StatusForbidden)
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0aIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4\x00\x00\x00\x00IEND\xaeB`\x82")
		mustStatus(t, d.sendFile(t, "shenpi", "/api/v1/cases/"+n+"/result-file?name=a.png", "image/png", png), http.StatusUnprocessableEntity)
		r = d.sendFile(t, "shenpi", resultPath, "application/pdf", edocPDF)
		mustStatus(t, r, http.StatusCreated)
		ref := decodeAs[casework.FileRef](t, r)
		sum := sha256.Sum256(edocPDF)
		if ref.SHA256 != hex.EncodeToString(sum[:]) || ref.Type != "application/pdf" {
			t.Fatalf("file reference: %+v", ref)
		}
		r = d.post(t, "shenpi", "/api/v1/cases/"+n+"/submit-result", map[string]any{"result_file": ref})
		mustStatus(t, r, http.StatusOK)
		var got struct {
			Electronic *casework.ElectronicResult `json:"electronic_result"`
			Documents  []casework.Document
		}
		_ = json.Unmarshal(r.body, &got)
		if got.Electronic == nil || got.Electronic.File.SHA256 != ref.SHA256 || len(got.Electronic.Code) != 10 {
			t.Fatalf("electronic result: %s", r.body)
		}
		r = d.get(t, "shenpi", "/api/v1/cases/"+n)
		_ = json.Unmarshal(r.body, &got)
		sheet := got.Documents[len(got.Documents)-1]
		if sheet.Kind != casework.ResultSheet || !bytes.Contains(sheet.Data, []byte(ref.SHA256)) || !bytes.Contains(sheet.Data, []byte(got.Electronic.Code)) {
			t.Fatalf("result sheet: %s %s", sheet.Kind, sheet.Data)
		}
		r = d.get(t, "chujian", "/api/v1/cases/"+n+"/files/"+ref.SHA256)
		mustStatus(t, r, http.StatusOK)
		if !bytes.Equal(r.body, edocPDF) {
			t.Fatalf("downloaded %q", r.body)
		}
		mustStatus(t, d.get(t, "chujian", "/api/v1/cases/"+n+"/files/"+strings.Repeat("0", 64)), http.StatusNotFound)

		// The public verification, through the API as on the page (the
		// same use cases): anyone with the code; a wrong code, an unknown
		// number and a missing code are refused alike on both.
		vcode := got.Electronic.Code
		r = d.get(t, "", "/api/v1/verify/"+n+"?code="+vcode)
		mustStatus(t, r, http.StatusOK)
		ver := decodeAs[struct {
			Number, Department, Holder, SHA256 string
			Checked                            bool
		}](t, r)
		if ver.Number != n || ver.Department == "" || ver.Department == "SCJG" || ver.SHA256 != ref.SHA256 || ver.Checked {
			t.Errorf("verification %+v", ver)
		}
		if strings.Contains(string(r.body), companyCode) {
			t.Error("the verification shows the holder's code unmasked")
		}
		page := d.get(t, "", "/verify/"+n+"?code="+vcode)
		mustStatus(t, page, http.StatusOK)
		if !strings.Contains(string(page.body), ver.Department) || !strings.Contains(string(page.body), ver.SHA256) {
			t.Errorf("the page and the API disagree: the page lacks %s or %s", ver.Department, ver.SHA256)
		}
		wrongAPI := d.get(t, "", "/api/v1/verify/"+n+"?code=WRONGCODE1")
		wantDetail(t, wrongAPI, http.StatusNotFound, "未找到该电子文书")
		wantDetail(t, d.get(t, "", "/verify/"+n+"?code=WRONGCODE1"), http.StatusNotFound, "未找到该电子文书")
		wantDetail(t, d.get(t, "", "/api/v1/verify/29990101000001?code="+vcode), http.StatusNotFound, "未找到该电子文书")
		mustStatus(t, d.get(t, "", "/api/v1/verify/"+n), http.StatusUnprocessableEntity)
		// A copy: the document issued matches, anything else does not.
		for _, tc := range []struct {
			content []byte
			matches bool
		}{{edocPDF, true}, {append(append([]byte{}, edocPDF...), []byte("\n% changed\n")...), false}} {
			r = d.sendFile(t, "", "/api/v1/verify/"+n+"?name=copy.pdf&code="+vcode, "application/pdf", tc.content)
			mustStatus(t, r, http.StatusOK)
			if c := decodeAs[struct{ Checked, Matches bool }](t, r); !c.Checked || c.Matches != tc.matches {
				t.Errorf("copy checked %v matches %v, want matches %v", c.Checked, c.Matches, tc.matches)
			}
		}
	})
}
