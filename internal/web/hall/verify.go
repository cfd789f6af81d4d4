package hall

import (
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// verifyData is the public verification page of an electronic result.
type verifyData struct {
	Number string // as in the path
	Code   string // as typed or from the QR code
	V      *service.Verification
}

// verify answers GET /verify/{number}: the form for the verification code,
// or, with the code (the QR code of the result handover sheet and the
// delivery receipt holds it), what the document is and a form to check a
// copy. A wrong code, an unknown number and a case without an electronic
// result get the same page, so nothing can be probed.
func (h *Handlers) verify(w http.ResponseWriter, r *http.Request) {
	noTrace(w)
	d := verifyData{Number: strings.TrimSpace(r.PathValue("number")), Code: strings.TrimSpace(r.URL.Query().Get("code"))}
	v := page.View{Title: "电子文书验证", Data: &d}
	if !r.URL.Query().Has("code") {
		h.Render(w, r, http.StatusOK, "verify", v)
		return
	}
	res, err := h.svc.Verify(r.Context(), d.Number, d.Code)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "verify", v)
		return
	}
	d.V = res
	h.Render(w, r, http.StatusOK, "verify", v)
}

// verifyCopy answers POST /verify/{number}: the copy uploaded (field
// file, after the code) is hashed as it arrives and compared with the
// document issued; nothing of it is kept.
func (h *Handlers) verifyCopy(w http.ResponseWriter, r *http.Request) {
	noTrace(w)
	d := verifyData{Number: strings.TrimSpace(r.PathValue("number"))}
	v := page.View{Title: "电子文书验证", Data: &d}
	res, err := h.readCopy(r, &d)
	if err != nil {
		status := h.FormError(r, &v, err)
		if apperr.Is(err, apperr.Invalid) && d.Code != "" {
			// The copy was refused: the document is still shown.
			d.V, _ = h.svc.Verify(r.Context(), d.Number, d.Code)
		}
		h.Render(w, r, status, "verify", v)
		return
	}
	d.V = res
	h.Render(w, r, http.StatusOK, "verify", v)
}

// readCopy reads the copy's form part by part: the code first, then the
// file, handed to the service as it arrives.
func (h *Handlers) readCopy(r *http.Request, d *verifyData) (*service.Verification, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.Field("file", "请选择要验证的 PDF 文件")
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, apperr.Field("file", "文件没有传完，请重新上传")
		}
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		name, isFile := params["filename"]
		switch {
		case p.FormName() == "code" && !isFile:
			b, _ := io.ReadAll(io.LimitReader(p, 64))
			d.Code = strings.TrimSpace(string(b))
		case p.FormName() == "file" && isFile && name != "":
			return h.svc.VerifyCopy(r.Context(), d.Number, d.Code, name, p)
		}
		p.Close()
	}
	if _, err := h.svc.Verify(r.Context(), d.Number, d.Code); err != nil {
		return nil, err
	}
	return nil, apperr.Field("file", "请选择要验证的 PDF 文件")
}

// noTrace keeps the code in the URL out of Referer headers and search
// engines, as the progress page does.
func noTrace(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
}
