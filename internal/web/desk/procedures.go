package desk

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/web/page"
)

// finishProcedure records the finish of a special procedure from the case
// page: the conclusion and the attachments of its multipart form, each
// file handed to the service as it arrives (UploadAttachment), then the
// step itself. A form posted without files (or url-encoded) records the
// conclusion alone.
func (h *Handlers) finishProcedure(w http.ResponseWriter, r *http.Request) {
	number, action := r.PathValue("number"), casework.ActFinishProcedure
	values, files, err := h.readAttachments(r, number)
	r.PostForm, r.Form = values, values // kept for the form shown again on a refusal
	if err != nil {
		var fv page.View
		status := h.FormError(r, &fv, err)
		h.showCase(w, r, status, fv, string(action))
		return
	}
	version, _ := strconv.Atoi(values.Get("version"))
	in := casework.Input{Conclusion: values.Get("conclusion"), Attachments: files}
	v, err := h.svc.Act(r.Context(), number, action, in, version)
	if err != nil {
		var fv page.View
		status := h.FormError(r, &fv, err)
		h.showCase(w, r, status, fv, string(action))
		return
	}
	h.Redirect(w, r, page.LocalPath(values.Get("back"), "/cases/"+number), "办件 "+number+"：已"+action.Label()+"（现为「"+v.StateLabel+"」）")
}

// maxAttachmentField bounds a text field of the form.
const maxAttachmentField = 64 << 10

// readAttachments reads the form: text fields into the values, each file
// uploaded as it arrives. A url-encoded form has no files.
func (h *Handlers) readAttachments(r *http.Request, number string) (url.Values, []casework.FileRef, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		if err := r.ParseForm(); err != nil {
			return url.Values{}, nil, apperr.Field("conclusion", "表单有误，请重试")
		}
		return r.PostForm, nil, nil
	}
	values := url.Values{}
	var files []casework.FileRef
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return values, files, nil
		}
		if err != nil {
			return values, files, attachmentReadError(err)
		}
		field := p.FormName()
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		name, isFile := params["filename"]
		switch {
		case field == "":
		case !isFile:
			b, err := io.ReadAll(io.LimitReader(p, maxAttachmentField))
			if err != nil {
				return values, files, attachmentReadError(err)
			}
			values.Add(field, string(b))
		case name == "": // the file input left empty
		default:
			if len(files) >= casework.MaxAttachments {
				return values, files, apperr.Field("attachments", "附件不超过 "+strconv.Itoa(casework.MaxAttachments)+" 个")
			}
			ref, err := h.svc.UploadAttachment(r.Context(), number, name, p)
			if err != nil {
				if apperr.Is(err, apperr.Invalid) {
					return values, files, apperr.Field("attachments", "附件「"+name+"」："+apperr.MessageOf(err))
				}
				return values, files, err
			}
			files = append(files, ref)
		}
		p.Close()
	}
}

// attachmentReadError is why the form could not be read.
func attachmentReadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.Field("attachments", "本次上传的附件合计超过上限，请分几次登记或压缩后再试")
	}
	return apperr.Field("attachments", "附件没有传完，请重新上传")
}
