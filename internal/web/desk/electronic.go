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

// Electronic results and scanned materials on the case page: the
// department submits its result with the PDF (submitResult), and the
// intake desk attaches scans, the document camera's PDFs included
// (attachScans). Both read the multipart form part by part and hand each
// file to the service as it arrives, as finish-procedure does.

// submitResult is submit-result from the case page, with the result's PDF
// when one was chosen (field result_file).
func (h *Handlers) submitResult(w http.ResponseWriter, r *http.Request) {
	number, action := r.PathValue("number"), casework.ActSubmitResult
	var ref *casework.FileRef
	values, files, err := readFileForm(r, "result_file", 1, func(name string, body io.Reader) (casework.FileRef, error) {
		return h.svc.UploadResultFile(r.Context(), number, name, body)
	})
	r.PostForm, r.Form = values, values // kept for the form shown again on a refusal
	if err != nil {
		h.refuseForm(w, r, err, string(action))
		return
	}
	if len(files) > 0 {
		ref = &files[0]
	}
	in := inputFromForm(r)
	in.ResultFile = ref
	version, _ := strconv.Atoi(values.Get("version"))
	v, err := h.svc.Act(r.Context(), number, action, in, version)
	if err != nil {
		h.refuseForm(w, r, err, string(action))
		return
	}
	h.Redirect(w, r, page.LocalPath(values.Get("back"), "/cases/"+number), "办件 "+number+"："+v.Case.Done(action)+"。")
}

// attachScans attaches the scans of the form (field files, the document
// camera's PDF among them) to the material chosen (field material).
func (h *Handlers) attachScans(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	values, files, err := readFileForm(r, "files", casework.MaxScanFiles, func(name string, body io.Reader) (casework.FileRef, error) {
		return h.svc.UploadScan(r.Context(), number, name, body)
	})
	r.PostForm, r.Form = values, values
	if err != nil {
		h.refuseForm(w, r, err, "attach-files")
		return
	}
	version, _ := strconv.Atoi(values.Get("version"))
	if _, err := h.svc.AttachScans(r.Context(), number, values.Get("material"), files, version); err != nil {
		h.refuseForm(w, r, err, "attach-files")
		return
	}
	h.Redirect(w, r, "/cases/"+number, "办件 "+number+"：已上传 "+strconv.Itoa(len(files))+" 个扫描件，随案流转到审批部门。")
}

// refuseForm shows the case again with the refusal by the form that failed.
func (h *Handlers) refuseForm(w http.ResponseWriter, r *http.Request, err error, form string) {
	var fv page.View
	status := h.FormError(r, &fv, err)
	h.showCase(w, r, status, fv, form)
}

// readFileForm reads a form: text fields into the values, each file of
// field fileField uploaded as it arrives (at most max). A url-encoded form
// has no files.
func readFileForm(r *http.Request, fileField string, max int, upload func(string, io.Reader) (casework.FileRef, error)) (url.Values, []casework.FileRef, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		if err := r.ParseForm(); err != nil {
			return url.Values{}, nil, apperr.Field(fileField, "表单有误，请重试")
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
			return values, files, fileReadError(fileField, err)
		}
		field := p.FormName()
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		name, isFile := params["filename"]
		switch {
		case field == "":
		case !isFile:
			b, err := io.ReadAll(io.LimitReader(p, maxAttachmentField))
			if err != nil {
				return values, files, fileReadError(fileField, err)
			}
			values.Add(field, string(b))
		case name == "" || field != fileField: // a file input left empty, or a file nobody asked for
		default:
			if len(files) >= max {
				return values, files, apperr.Field(fileField, "一次最多上传 "+strconv.Itoa(max)+" 个文件")
			}
			ref, err := upload(name, p)
			if err != nil {
				if apperr.Is(err, apperr.Invalid) {
					return values, files, apperr.Field(fileField, "文件「"+name+"」："+apperr.MessageOf(err))
				}
				return values, files, err
			}
			files = append(files, ref)
		}
		p.Close()
	}
}

// fileReadError is why the form could not be read.
func fileReadError(field string, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.Field(field, "本次上传的文件合计超过上限，请分几次上传或压缩后再试")
	}
	return apperr.Field(field, "文件没有传完，请重新上传")
}
