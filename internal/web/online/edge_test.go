package online_test

import (
	"net/http"
	"strings"
	"testing"
)

// An upload's text fields are checked at the edge, its file is not: a
// control character in a field is refused with the online hall's error
// page and nothing is kept, while a PDF full of NULs goes through (issue
// 10, defect 3).
func TestUploadFieldsAreCheckedNotFiles(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		b := h.company(t, "13800000041")
		b.get("/my") // the profile's flash, shown once
		p := b.upload("/my/drafts/new/files", field("item", "SCJG-XK-001"), field("material", "M0\x001"),
			file("file", "申请书.pdf", pdfBytes))
		p.want(t, http.StatusUnprocessableEntity, "不可见的控制字符", "我的办件")
		p = b.upload("/my/drafts/new/files", field("item", "SCJG-XK-001\u202e"), field("material", "M01"),
			file("file", "申请书.pdf", pdfBytes))
		p.want(t, http.StatusUnprocessableEntity, "改变文字方向")
		if d := b.get("/my/drafts"); strings.Contains(d.body, "SCJG-XK-001") || strings.Contains(d.body, "申请书.pdf") {
			t.Errorf("a refused upload left a draft:\n%s", d.body)
		}
		// The file's own bytes are its business: binary content passes.
		binary := append(append([]byte{}, pdfBytes...), "\x00\x1b\u202e"...)
		p = b.upload("/my/drafts/new/files", field("item", "SCJG-XK-001"), field("material", "M01"), file("file", "申请书.pdf", binary))
		if p.status != http.StatusSeeOther || !draftLocation.MatchString(p.location) {
			t.Errorf("a clean form with a binary file: %d → %q\n%s", p.status, p.location, p.body)
		}
	})
}
