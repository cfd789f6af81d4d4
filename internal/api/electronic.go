package api

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// Electronic results and scanned materials: a file is sent as the request
// body itself (Content-Type application/pdf, image/jpeg or image/png), its
// name in the query, and streamed to the service as it arrives; the
// service checks it as every upload (type by its bytes, size, name).

// fileBody is the OpenAPI description of a file sent as the body.
func fileBody(types ...string) *huma.RequestBody {
	content := map[string]*huma.MediaType{}
	for _, t := range types {
		content[t] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	}
	return &huma.RequestBody{Required: true, Description: "文件内容本身（不是 multipart 表单），不超过上传大小上限", Content: content}
}

// fileBodyReader keeps the request body of a file sent as the body, to
// stream it: huma reads no body for an input without a Body field.
type fileBodyReader struct {
	body io.Reader
}

// Resolve keeps the body.
func (u *fileBodyReader) Resolve(ctx huma.Context) []error {
	u.body = ctx.BodyReader()
	return nil
}

type resultFileInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
	Name   string `query:"name" required:"true" maxLength:"120" doc:"文件名，如 许可证.pdf（扩展名须与内容相符）"`
	fileBodyReader
}

type fileRefOutput struct {
	Body casework.FileRef
}

type scanInput struct {
	Number  string `path:"number" maxLength:"32" doc:"办件编号"`
	Name    string `query:"name" required:"true" maxLength:"120" doc:"文件名，如 营业执照.pdf（扩展名须与内容相符）"`
	Code    string `path:"code" maxLength:"32" doc:"材料编码"`
	Version int    `query:"version" minimum:"0" doc:"您看到的办件版本号；已被他人修改时返回 409"`
	fileBodyReader
}

type caseFileInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
	SHA256 string `path:"sha" maxLength:"64" doc:"文件的 SHA-256（十六进制）"`
}

func (h *Handlers) registerElectronic(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "case-result-file", Method: http.MethodPost, Path: "/cases/{number}/result-file", Tags: []string{"办件操作"},
		Summary: "上传电子结果文书（PDF）",
		Description: "部门作出决定后、提交办理结果前上传结果文书的 PDF，返回文件引用；随后在 submit-result 的 result_file 中给出该引用。" +
			"提交时系统生成验证码，办理结果交接表和送达回执印出文件的 SHA-256 和指向公开验证页（/verify/{number}?code=…）的二维码。",
		Security: bearer, DefaultStatus: http.StatusCreated, Errors: []int{401, 403, 404, 409, 413, 422},
		RequestBody: fileBody("application/pdf"),
	}, h.uploadResultFile)
	huma.Register(a, huma.Operation{
		OperationID: "case-attach-scan", Method: http.MethodPost, Path: "/cases/{number}/materials/{code}/files", Tags: []string{"办件操作"},
		Summary: "上传扫描材料（综合受理窗口，电子材料随案流转）",
		Description: "综合受理窗口把收取的纸质材料扫描件（或高拍仪拍摄的 PDF）附到办件的一项材料上，记一条 attach-files 记录。" +
			"只限收件大厅的综合受理人员，办件未办结时；每项材料的电子文件不超过 10 个。",
		Security: bearer, Errors: []int{401, 403, 404, 409, 413, 422},
		RequestBody: fileBody("application/pdf", "image/jpeg", "image/png"),
	}, h.attachScan)
	huma.Register(a, huma.Operation{
		OperationID: "case-file", Method: http.MethodGet, Path: "/cases/{number}/files/{sha}", Tags: []string{"办件"},
		Summary:  "下载办件的电子文件：材料、特别程序附件或电子结果文书",
		Security: bearer, Errors: []int{401, 403, 404},
	}, h.caseFile)
}

func (h *Handlers) uploadResultFile(ctx context.Context, in *resultFileInput) (*fileRefOutput, error) {
	ref, err := h.svc.UploadResultFile(ctx, in.Number, in.Name, in.body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &fileRefOutput{Body: ref}, nil
}

func (h *Handlers) attachScan(ctx context.Context, in *scanInput) (*caseOutput, error) {
	ref, err := h.svc.UploadScan(ctx, in.Number, in.Name, in.body)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	v, err := h.svc.AttachScans(ctx, in.Number, in.Code, []casework.FileRef{ref}, in.Version)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &caseOutput{Body: caseOut(v)}, nil
}

func (h *Handlers) caseFile(ctx context.Context, in *caseFileInput) (*huma.StreamResponse, error) {
	rc, f, err := h.svc.CaseFile(ctx, in.Number, in.SHA256)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		defer rc.Close()
		hc.SetHeader("Content-Type", f.Type)
		hc.SetHeader("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
		hc.SetHeader("Cache-Control", "no-store")
		hc.SetStatus(http.StatusOK)
		if _, err := io.Copy(hc.BodyWriter(), rc); err != nil {
			h.log.Warn("case file download cut off", "number", in.Number, "err", err, "request_id", service.RequestFrom(ctx).ID)
		}
	}}, nil
}
