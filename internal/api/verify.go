package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/service"
)

// The public verification of an electronic result (/verify/{number} on the
// pages): the same use cases, Verify and VerifyCopy, for a system that
// checks a document it was handed (a bank, another department).

type verifyInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
	Code   string `query:"code" maxLength:"40" doc:"验证码（办理结果交接表、送达回执上印的）"`
}

type verifyCopyInput struct {
	Number string `path:"number" maxLength:"32" doc:"办件编号"`
	Code   string `query:"code" maxLength:"40" doc:"验证码（办理结果交接表、送达回执上印的）"`
	Name   string `query:"name" required:"true" maxLength:"120" doc:"所传文件的文件名，如 许可证.pdf"`
	fileBodyReader
}

type verificationBody struct {
	Number     string    `json:"number" doc:"办件编号"`
	Item       string    `json:"item" doc:"事项名称"`
	Department string    `json:"department" doc:"出具部门"`
	IssuedAt   time.Time `json:"issued_at" doc:"出具时间"`
	Document   string    `json:"document,omitempty" doc:"结果文书名称和文号"`
	Holder     string    `json:"holder" doc:"持证人（已遮盖）"`
	HolderID   string    `json:"holder_id,omitempty" doc:"持证人证件号码（已遮盖）"`
	SHA256     string    `json:"sha256" doc:"出具的电子文书的 SHA-256"`
	Checked    bool      `json:"checked" doc:"true：本次比对了所传文件"`
	Matches    bool      `json:"matches" doc:"所传文件与出具的电子文书是否一致（按 SHA-256）"`
	CopySHA256 string    `json:"copy_sha256,omitempty" doc:"所传文件的 SHA-256"`
}

type verificationOutput struct {
	ReferrerPolicy string `header:"Referrer-Policy"`
	Body           verificationBody
}

func verificationOut(v *service.Verification) *verificationOutput {
	return &verificationOutput{ReferrerPolicy: "no-referrer", Body: verificationBody{
		Number: v.Number, Item: v.Item, Department: v.Department, IssuedAt: v.IssuedAt, Document: v.Document,
		Holder: v.Holder, HolderID: v.HolderID, SHA256: v.SHA256, Checked: v.Checked, Matches: v.Matches, CopySHA256: v.CopySHA256,
	}}
}

func (h *Handlers) registerVerify(a huma.API) {
	tags := []string{"电子文书验证"}
	huma.Register(a, huma.Operation{
		OperationID: "verify-result", Method: http.MethodGet, Path: "/verify/{number}", Tags: tags,
		Summary: "验证电子结果文书（公开，与 /verify 页面相同）",
		Description: "办件编号和验证码正确时返回出具部门、日期、遮盖后的持证人和文件的 SHA-256。编号不存在、验证码错误、办件没有电子结果一律 404（同一句话）；" +
			"同一客户端连续猜错有次数限制（429）。",
		Errors: []int{404, 422, 429},
	}, func(ctx context.Context, in *verifyInput) (*verificationOutput, error) {
		v, err := h.svc.Verify(ctx, in.Number, in.Code)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		return verificationOut(v), nil
	})
	huma.Register(a, huma.Operation{
		OperationID: "verify-result-copy", Method: http.MethodPost, Path: "/verify/{number}", Tags: tags,
		Summary:     "比对手中的文件是否为出具的电子结果文书（公开）",
		Description: "请求体是 PDF 文件本身；按 SHA-256 比对，matches 表示是否一致。文件只用于比对，不保存。",
		Errors:      []int{404, 413, 422, 429},
		RequestBody: fileBody("application/pdf"),
	}, func(ctx context.Context, in *verifyCopyInput) (*verificationOutput, error) {
		v, err := h.svc.VerifyCopy(ctx, in.Number, in.Code, in.Name, in.body)
		if err != nil {
			return nil, h.fail(ctx, err)
		}
		return verificationOut(v), nil
	})
}
