package service_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// resultPDF is a small PDF standing for a licence.
var resultPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% 食品经营许可证 JY13301020000001\ntrailer<<>>\n%%EOF\n")

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestElectronicResult: the department submits the result as a PDF; the
// case holds it with its SHA-256 and a verification code, both printed on
// the result handover sheet and the delivery receipt; the public page
// answers for the right code only, with the department's name and the
// holder masked, and tells a copy that is the document from one that is
// not, by hash.
func TestElectronicResult(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		files, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		svc.Use(files, nil)
		n := acceptedCase(t, svc, as)
		if _, err := svc.UploadResultFile(as["shenpi"], n, "许可证.pdf", bytes.NewReader(resultPDF)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("upload before the decision: %v", err)
		}
		if _, err := svc.Act(as["shenpi"], n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13301020000001"}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UploadResultFile(as["shouli"], n, "许可证.pdf", bytes.NewReader(resultPDF)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("upload by the intake desk: %v", err)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0aIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4\x00\x00\x00\x00IEND\xaeB`\x82")
		if _, err := svc.UploadResultFile(as["shenpi"], n, "许可证.png", bytes.NewReader(png)); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a picture as the result: %v", err)
		}
		ref, err := svc.UploadResultFile(as["shenpi"], n, "许可证.pdf", bytes.NewReader(resultPDF))
		if err != nil {
			t.Fatal(err)
		}
		if ref.SHA256 != sha(resultPDF) {
			t.Fatalf("sha256 %s, want %s", ref.SHA256, sha(resultPDF))
		}
		// A made-up reference is refused and changes nothing.
		fake := ref
		fake.SHA256 = sha([]byte("other"))
		if _, err := svc.Act(as["shenpi"], n, casework.ActSubmitResult, casework.Input{ResultFile: &fake}, 0); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("submit with a made-up file: %v", err)
		}
		// A code sent in the request is never taken.
		v, err := svc.Act(as["shenpi"], n, casework.ActSubmitResult, casework.Input{ResultFile: &ref, VerificationCode: "CHOSEN"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		e := v.Case.Electronic
		if e == nil || e.File.SHA256 != ref.SHA256 || len(e.Code) != 10 || e.Code == "CHOSEN" {
			t.Fatalf("electronic result: %+v", e)
		}
		full, err := svc.Case(as["shenpi"], n)
		if err != nil {
			t.Fatal(err)
		}
		last := full.Events[len(full.Events)-1]
		var details map[string]any
		_ = json.Unmarshal(last.Details, &details)
		if last.Type != casework.ActSubmitResult || details["sha256"] != ref.SHA256 {
			t.Fatalf("event: %s %s", last.Type, last.Details)
		}
		sheet := lastDocument(t, full, casework.ResultSheet)
		var sd casework.ResultSheetData
		_ = json.Unmarshal(sheet.Data, &sd)
		if sd.Electronic == nil || sd.Electronic.SHA256 != ref.SHA256 || sd.Electronic.Code != e.Code {
			t.Fatalf("result sheet prints %+v", sd.Electronic)
		}
		// The issuance desk downloads it.
		rc, f, err := svc.CaseFile(as["chujian"], n, ref.SHA256)
		if err != nil {
			t.Fatalf("issuance desk download: %v", err)
		}
		got := new(bytes.Buffer)
		_, _ = got.ReadFrom(rc)
		rc.Close()
		if !bytes.Equal(got.Bytes(), resultPDF) || f.Name != "许可证.pdf" {
			t.Fatalf("downloaded %q as %q", got.Bytes(), f.Name)
		}

		// The public page: wrong code, unknown number and a case without a
		// result answer alike.
		pub := from("203.0.113.9")
		other := acceptedCase(t, svc, as)
		otherCase, _ := svc.Case(as["shenpi"], other)
		for _, try := range [][2]string{{n, "WRONGCODE2"}, {"ZZ-2099-999999", e.Code}, {other, otherCase.Case.CheckCode}} {
			_, err := svc.Verify(pub, try[0], try[1])
			if !apperr.Is(err, apperr.NotFound) || apperr.MessageOf(err) != "未找到该电子文书：请核对办件编号和验证码" {
				t.Fatalf("verify %v: %v", try, err)
			}
		}
		ver, err := svc.Verify(pub, n, " "+e.Code+" ")
		if err != nil {
			t.Fatal(err)
		}
		if ver.Department == "" || ver.Department == full.Case.DepartmentCode || ver.SHA256 != ref.SHA256 || ver.IssuedAt.IsZero() {
			t.Fatalf("verification: %+v", ver)
		}
		// An organisation is named in full (its registration is public);
		// its credit code is masked.
		if ver.Holder != full.Case.Applicant.Name || !strings.Contains(ver.HolderID, "***") {
			t.Fatalf("holder %q %q (applicant %+v)", ver.Holder, ver.HolderID, full.Case.Applicant)
		}
		ok, err := svc.VerifyCopy(pub, n, e.Code, "copy.pdf", bytes.NewReader(resultPDF))
		if err != nil || !ok.Checked || !ok.Matches {
			t.Fatalf("the same copy: %+v %v", ok, err)
		}
		changed := append(bytes.Clone(resultPDF[:len(resultPDF)-6]), []byte("%EOF \n")...)
		bad, err := svc.VerifyCopy(pub, n, e.Code, "copy.pdf", bytes.NewReader(changed))
		if err != nil || !bad.Checked || bad.Matches || bad.CopySHA256 != sha(changed) {
			t.Fatalf("a changed copy: %+v %v", bad, err)
		}
		if _, err := svc.VerifyCopy(pub, n, e.Code, "copy.png", bytes.NewReader(png)); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a picture as the copy: %v", err)
		}
		if _, err := svc.VerifyCopy(pub, n, "WRONGCODE2", "copy.pdf", bytes.NewReader(resultPDF)); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a copy with a wrong code: %v", err)
		}

		// The delivery receipt prints it too.
		if _, err := svc.Act(as["chujian"], n, casework.ActAcceptResult, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(as["chujian"], n, casework.ActDeliver, casework.Input{Signer: full.Case.Applicant.Name, SignerIDType: "resident_id", SignerIDNumber: "11010519491231002X"}, 0); err != nil {
			t.Fatal(err)
		}
		full, _ = svc.Case(as["chujian"], n)
		var rd casework.ReceiptOfDelivery
		_ = json.Unmarshal(lastDocument(t, full, casework.DeliveryReceipt).Data, &rd)
		if rd.Electronic == nil || rd.Electronic.SHA256 != ref.SHA256 || rd.Electronic.Code != e.Code {
			t.Fatalf("delivery receipt prints %+v", rd.Electronic)
		}
	})
}

func TestMaskHolder(t *testing.T) {
	for _, c := range []struct {
		kind       casework.PartyKind
		name, want string
	}{
		{casework.Person, "王建国", "王**"}, {casework.Person, "李四", "李*"}, {casework.Entity, "江川区味来餐饮管理有限公司", "江川区味来餐饮管理有限公司"},
	} {
		if got := service.MaskHolder(casework.Party{Kind: c.kind, Name: c.name}); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// lastDocument returns the case's last document of kind.
func lastDocument(t *testing.T, v *service.CaseView, kind casework.DocKind) casework.Document {
	t.Helper()
	for i := len(v.Documents) - 1; i >= 0; i-- {
		if v.Documents[i].Kind == kind {
			return v.Documents[i]
		}
	}
	t.Fatalf("no %s among the documents", kind)
	return casework.Document{}
}

// TestAttachScans: the intake desk attaches scans to a material of a
// window case, recorded as an event; the department may not; a material
// the case lacks is refused.
func TestAttachScans(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		files, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		svc.Use(files, nil)
		n := acceptedCase(t, svc, as)
		if _, err := svc.UploadScan(as["shenpi"], n, "身份证.pdf", bytes.NewReader(resultPDF)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a scan uploaded by the department: %v", err)
		}
		ref, err := svc.UploadScan(as["shouli"], n, "身份证.pdf", bytes.NewReader(resultPDF))
		if err != nil {
			t.Fatal(err)
		}
		v, _ := svc.Case(as["shouli"], n)
		code := v.Case.Materials[0].Code
		if _, err := svc.AttachScans(as["shouli"], n, "NOPE", []casework.FileRef{ref}, 0); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("an unknown material: %v", err)
		}
		if _, err := svc.AttachScans(as["shenpi"], n, code, []casework.FileRef{ref}, 0); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("attached by the department: %v", err)
		}
		v, err = svc.AttachScans(as["shouli"], n, code, []casework.FileRef{ref}, v.Case.Version)
		if err != nil {
			t.Fatal(err)
		}
		if fs := v.Case.Materials[0].Files; len(fs) != 1 || fs[0].SHA256 != sha(resultPDF) {
			t.Fatalf("material files: %+v", fs)
		}
		full, _ := svc.Case(as["shenpi"], n)
		last := full.Events[len(full.Events)-1]
		if last.Type != casework.ActAttachFiles || !bytes.Contains(last.Details, []byte(ref.SHA256)) {
			t.Fatalf("event: %s %s", last.Type, last.Details)
		}
		// The department reviewing it downloads the scan.
		rc, _, err := svc.CaseFile(as["shenpi"], n, ref.SHA256)
		if err != nil {
			t.Fatalf("department download: %v", err)
		}
		rc.Close()
	})
}
