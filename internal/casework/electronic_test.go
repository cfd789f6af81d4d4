package casework_test

import (
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
)

var scan = casework.FileRef{Name: "营业执照.pdf", Type: casework.PDFType, Size: 10, SHA256: "ab", Key: "2026/03/02/ab"}

// TestAttachFiles: only the intake desk of the case's hall attaches
// scans, to a material of an open case, at most ten a material; a refusal
// leaves the case as it was; an attachment is one event that keeps the
// state.
func TestAttachFiles(t *testing.T) {
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 0))
	e := env(h.now.Add(time.Minute))
	otherHall := intakeClerk
	otherHall.HallCode = demo.BinheHall
	many := make([]casework.FileRef, casework.MaxFilesPerMaterial+1)
	for _, c := range []struct {
		name  string
		by    casework.Actor
		code  string
		files []casework.FileRef
		want  apperr.Code
	}{
		{"the department", reviewer("SCJG"), "M01", []casework.FileRef{scan}, apperr.Forbidden},
		{"another hall's clerk", otherHall, "M01", []casework.FileRef{scan}, apperr.Forbidden},
		{"a material the case lacks", intakeClerk, "M99", []casework.FileRef{scan}, apperr.Invalid},
		{"no file", intakeClerk, "M01", nil, apperr.Invalid},
		{"too many files", intakeClerk, "M01", many, apperr.Invalid},
	} {
		before := cloneCase(h.c)
		_, err := casework.AttachFiles(h.c, c.code, c.files, c.by, e)
		wantCode(t, err, c.want)
		if len(h.c.Materials[0].Files) != len(before.Materials[0].Files) {
			t.Errorf("%s: a refusal changed the case", c.name)
		}
	}
	ch, err := casework.AttachFiles(h.c, "M01", []casework.FileRef{scan}, intakeClerk, e)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Event.Type != casework.ActAttachFiles || ch.Event.From != h.c.State || ch.Event.To != h.c.State || len(h.c.Materials[0].Files) != 1 {
		t.Fatalf("attached: %+v, files %v", ch.Event, h.c.Materials[0].Files)
	}
	h.c.State = casework.Archived
	_, err = casework.AttachFiles(h.c, "M01", []casework.FileRef{scan}, intakeClerk, e)
	wantCode(t, err, apperr.Conflict)
}

// TestSubmitResultWithItsPDF: the result handed over as a PDF is kept with
// the code the service drew, printed on the result handover sheet; a file
// that is not a PDF is refused; the applicant sees it only once the
// issuance desk has taken it.
func TestSubmitResultWithItsPDF(t *testing.T) {
	h := ready(t, at(2026, 3, 2, 10, 0))
	rev := reviewer("SCJG")
	h.do(casework.ActDecide, validInput(casework.ActDecide), rev)
	picture := scan
	picture.Type = "image/png"
	_, _, err := casework.Apply(h.c, casework.ActSubmitResult, casework.Input{ResultFile: &picture, VerificationCode: "ABCDEFGH23"}, rev, env(h.now))
	wantCode(t, err, apperr.Invalid)
	h.do(casework.ActSubmitResult, casework.Input{ResultFile: &scan, VerificationCode: "ABCDEFGH23"}, rev)
	if e := h.c.Electronic; e == nil || e.Code != "ABCDEFGH23" || e.File.SHA256 != "ab" || e.SubmittedBy != rev.Username {
		t.Fatalf("electronic result %+v", h.c.Electronic)
	}
	if h.c.ResultFileVisible() {
		t.Error("visible to the applicant before the issuance desk took it")
	}
	sheet := h.docs[len(h.docs)-1][0]
	if sheet.Kind != casework.ResultSheet || !contains(sheet.Data, `"sha256":"ab"`, `"verification_code":"ABCDEFGH23"`) {
		t.Fatalf("sheet %s %s", sheet.Kind, sheet.Data)
	}
	h.do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	if !h.c.ResultFileVisible() {
		t.Error("not visible to the applicant once taken")
	}
}

func contains(b []byte, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(string(b), p) {
			return false
		}
	}
	return true
}
