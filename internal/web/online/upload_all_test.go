package online_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestUploadSeveralMaterialsAtOnce: one request carries the files of
// several materials ("file.<code>", the page's 上传全部所选文件); each lands
// on its material, and a refused one is told by its own material while
// the others are kept.
func TestUploadSeveralMaterialsAtOnce(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withFiles(t)
		b := h.applicantAs(t, "13800000013", "person", "王小明", "resident_id", validID(21))
		b.get("/my/apply/CGJ-XK-003").want(t, http.StatusOK, `id="upload-all"`, "上传全部所选文件", `data-material="M01"`, "upload.js")
		// A material the hall fetches by data sharing is not asked for.
		b.get("/my/apply/SCJG-XK-001").want(t, http.StatusOK, "由窗口通过电子证照库获取，可不上传")

		pdf := func(what string) []byte { return append(append([]byte{}, pdfBytes...), what...) }
		p := b.upload("/my/drafts/new/files", field("item", "CGJ-XK-003"),
			file("file.M01", "申请表.pdf", pdf("M01")), file("file.M03", "位置图.pdf", pdf("M03")), file("file.M03", "方案.pdf", pdf("M03b")))
		m := draftLocation.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil || m[2] != "M01" {
			t.Fatalf("upload: %d → %q\n%s", p.status, p.location, p.body)
		}
		draft := b.get("/my/drafts/" + m[1])
		draft.want(t, http.StatusOK, "已上传「申请表.pdf」「位置图.pdf」「方案.pdf」")
		next := map[string]string{"M01": "M02", "M03": "M04"}
		for code, names := range map[string][]string{"M01": {"申请表.pdf"}, "M03": {"位置图.pdf", "方案.pdf"}} {
			li := between(draft.body, `id="m-`+code+`"`, `id="m-`+next[code]+`"`)
			for _, n := range names {
				if !strings.Contains(li, n) {
					t.Errorf("%s is not under %s:\n%s", n, code, li)
				}
			}
		}

		// A file that is not what it says is refused on its material; the
		// other one is kept.
		p = b.upload("/my/drafts/"+m[1]+"/files", field("item", "CGJ-XK-003"),
			file("file.M04", "合同.pdf", pdf("M04")), file("file.M02", "假文件.pdf", []byte("not a pdf at all")))
		p.want(t, http.StatusUnprocessableEntity, "已上传 1 个文件")
		if msg := p.near(t, `id="msg-file-M02"`); !strings.Contains(msg, "假文件.pdf") {
			t.Errorf("no message by M02:\n%s", msg)
		}
		draft = b.get("/my/drafts/" + m[1])
		if li := between(draft.body, `id="m-M04"`, `id="m-M05"`); !strings.Contains(li, "合同.pdf") {
			t.Errorf("M04's file was not kept:\n%s", li)
		}
		// An unknown field is refused, nothing kept.
		p = b.upload("/my/drafts/"+m[1]+"/files", field("item", "CGJ-XK-003"), file("upload", "x.pdf", pdf("x")))
		p.want(t, http.StatusUnprocessableEntity, "未知的上传项")
	})
}

// between is the text of s from the first from to the to after it.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
