package page

import (
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
)

// inputLabels name, in words a clerk or an applicant reads, the fields a
// refusal of typed text most often concerns; any other field is "填写的内容".
var inputLabels = map[string]string{
	"username": "用户名", "password": "密码", "phone": "手机号", "code": "编码或验证码", "number": "办件编号",
	"q": "搜索内容", "name": "名称", "reason": "理由", "note": "说明", "text": "评价内容", "address": "地址",
	"id_number": "证件号码", "email": "电子邮箱", "signer": "签收人", "tracking_number": "运单号",
	"applicant.name": "申请人姓名或名称", "applicant.id_number": "申请人证件号码", "applicant.phone": "申请人电话",
	"agent.name": "代理人姓名", "delivery.address": "邮寄地址", "delivery.recipient": "收件人",
}

// InputRefused answers a request whose text the server's edge refused
// (control characters, a bidi override, invalid UTF-8, or whitespace in
// a code in the address) with an error page, 422, saying what is wrong
// and with what, in the online hall's look under /my. err carries the
// offending fields with their messages.
func (h *Kit) InputRefused(w http.ResponseWriter, r *http.Request, err error) {
	fields := apperr.FieldsOf(err)
	what := "填写的内容"
	msg := apperr.MessageOf(err)
	if len(fields) > 0 {
		msg = fields[0].Message
		if l, ok := inputLabels[fields[0].Field]; ok {
			what = "「" + l + "」"
		} else if strings.HasPrefix(fields[0].Field, "path") {
			what = "网址中的编号或编码"
		}
	}
	v := View{Title: "输入内容有误", Error: what + msg + "，请返回删除后重新输入（常见于从其他文档复制粘贴时带入）。"}
	page := "error"
	if r.URL.Path == "/my" || strings.HasPrefix(r.URL.Path, "/my/") {
		page = "my_error"
	}
	h.own.Render(w, r, http.StatusUnprocessableEntity, page, v)
}
