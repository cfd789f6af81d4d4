package service

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// MessageSettings are the numbers and addresses of text messages.
type MessageSettings struct {
	// PublicURL is the hall's address as applicants reach it
	// (https://zwfw.example.gov.cn), for the links messages carry; empty:
	// messages carry no link.
	PublicURL string
	// LinkTTL is how long a notice link (/n/{code}) opens its document.
	LinkTTL time.Duration
	// ReceiptSecret checks the signature of a delivery receipt (the SMS
	// gateway's signing secret); ReceiptToken, if set, is accepted in the
	// receipt's ?token= instead, for gateways that cannot sign. Both
	// empty: receipts are refused.
	ReceiptSecret, ReceiptToken string
}

// DefaultMessageSettings: links open for 30 days.
func DefaultMessageSettings() MessageSettings {
	return MessageSettings{LinkTTL: 30 * 24 * time.Hour}
}

// maxSMSText is the longest text a template may make of its sample: the
// common platforms cap a long message at about 500 characters.
const maxSMSText = 500

// SMSData is what a message template sees.
type SMSData struct {
	Subject string // the notice's title: 退回补正
	Body    string // the notice's standard text, which names the item and the case
	Number  string // the case number
	Link    string // a short link to the notice's document (the correction notice), or ""
}

// smsKind is a notice kind the bureau admin may word.
type smsKind struct {
	Kind, Label string
	Sample      SMSData
}

const sampleNumber = "20261202000001"

// smsKinds are the notices NoticeFor sends, in the order a case meets them.
var smsKinds = []smsKind{
	{string(casework.ActSubmit), "网上申报已提交", SMSData{"网上申报已提交", "您申报的「食品经营许可」已提交，办件编号 " + sampleNumber + "。部门将在 2026年12月4日 17:00 前完成预审。", sampleNumber, ""}},
	{string(casework.ActIntake), "已收件", SMSData{"已收件", "您申请的「食品经营许可」已收件，办件编号 " + sampleNumber + "，凭收件通知书上的查询码可查询进度。", sampleNumber, ""}},
	{string(casework.ActCompleteIntake), "网上申报已在窗口收件", SMSData{"已收件", "您网上申报的「食品经营许可」（办件编号 " + sampleNumber + "）已在窗口收件，部门将在 2026年12月4日 17:00 前决定是否受理。", sampleNumber, ""}},
	{string(casework.ActPassPreReview), "预审通过", SMSData{"预审通过", "您网上申报的「食品经营许可」（办件编号 " + sampleNumber + "）已通过预审。请携带以下纸质材料到政务服务中心综合受理窗口办理：营业执照。", sampleNumber, ""}},
	{string(casework.ActFailPreReview), "预审未通过", SMSData{"预审未通过", "您网上申报的「食品经营许可」（办件编号 " + sampleNumber + "）未通过预审，请登录网上办事大厅查看原因，修改后重新提交。", sampleNumber, ""}},
	{string(casework.ActAccept), "已受理", SMSData{"已受理", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）已受理，承诺在 2026年12月16日 17:00 前办结。", sampleNumber, ""}},
	{string(casework.ActReturn), "退回补正（附材料补齐补正通知书链接）", SMSData{"退回补正", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）需要补正材料，请查看材料补齐补正通知书，补正后到综合受理窗口重新提交。", sampleNumber, "https://zwfw.example.gov.cn/n/AB12CD34EF56GH78"}},
	{string(casework.ActRefuseAcceptance), "不予受理", SMSData{"不予受理", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）经审查决定不予受理：申请事项依法不需要取得行政许可。理由和救济途径见不予受理决定书，可登录网上办事大厅查看。", sampleNumber, ""}},
	{string(casework.ActDecide), "已作出决定", SMSData{"已作出决定", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）已作出准予的决定，决定书可登录网上办事大厅查看。结果可领取时另行通知。", sampleNumber, ""}},
	{string(casework.ActAcceptResult), "办理结果可领取或待寄出", SMSData{"办理结果可领取", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）办理结果可以领取了，请携带身份证件到综合出件窗口领取。", sampleNumber, ""}},
	{string(casework.ActMail), "办理结果已邮寄", SMSData{"办理结果已邮寄", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）办理结果已由 中国邮政EMS 寄出，邮件号 1100000000000。", sampleNumber, ""}},
	{string(casework.ActTerminate), "办件已终止", SMSData{"办件已终止", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）已终止办理：申请人撤回申请。", sampleNumber, ""}},
	{QueueNearKind, "叫号提醒（取号时留了手机号，前面只剩几位时）", SMSData{"即将叫号", "您在区政务服务中心取的 A012 号（综合受理）前面还有 3 位，请回到大厅留意叫号屏，过号后须重新排队。", "", ""}},
	{string(casework.ActLapse), "容缺材料逾期，办件终止", SMSData{"办件已终止", "您申请的「食品经营许可」（办件编号 " + sampleNumber + "）已终止办理：容缺材料逾期未补齐。", sampleNumber, ""}},
}

// Default message templates: the hall's signature, the notice, and for
// the correction notice its link.
const (
	defaultSMSTemplate       = "【一窗通】{{.Body}}"
	defaultReturnSMSTemplate = "【一窗通】{{.Body}}{{with .Link}}通知书：{{.}}{{end}}"
)

// DefaultSMSTemplate returns the template a notice kind uses when the
// bureau admin set none.
func DefaultSMSTemplate(kind string) string {
	if kind == string(casework.ActReturn) {
		return defaultReturnSMSTemplate
	}
	return defaultSMSTemplate
}

// SMSTemplateView is one notice kind's template as the admin page and the
// API show it.
type SMSTemplateView struct {
	Kind      string
	Label     string
	Body      string // the template in use
	Default   string // the template in code
	Custom    bool   // the bureau admin set Body
	UpdatedAt time.Time
	UpdatedBy string // real name
	Preview   SMSPreview
}

// SMSPreview is a template applied to a sample notice.
type SMSPreview struct {
	Text     string
	Chars    int // characters
	Segments int // billed messages: 70 characters for one, 67 each when longer
	Note     string
}

// SMSTemplates lists every notice kind with its template, for the bureau
// admin.
func (s *Messages) SMSTemplates(ctx context.Context) ([]SMSTemplateView, error) {
	if _, err := require(ctx, "管理短信模板", org.RoleAdmin); err != nil {
		return nil, err
	}
	set, err := s.store.SMSTemplates(ctx)
	if err != nil {
		return nil, err
	}
	var users []string
	for _, t := range set {
		users = append(users, t.UpdatedBy)
	}
	names, err := s.store.UserNames(ctx, users)
	if err != nil {
		return nil, err
	}
	out := make([]SMSTemplateView, 0, len(smsKinds))
	for _, k := range smsKinds {
		v := SMSTemplateView{Kind: k.Kind, Label: k.Label, Default: DefaultSMSTemplate(k.Kind)}
		v.Body = v.Default
		if t, ok := set[k.Kind]; ok {
			v.Body, v.Custom, v.UpdatedAt = t.Body, true, t.UpdatedAt
			v.UpdatedBy = names[t.UpdatedBy]
			switch {
			case v.UpdatedBy != "":
			case t.UpdatedBy == "system":
				v.UpdatedBy = "系统"
			default:
				v.UpdatedBy = "—" // an account since removed: never its username
			}
		}
		if v.Preview, err = previewSMS(k, v.Body); err != nil {
			v.Preview.Note = apperr.MessageOf(err)
		}
		out = append(out, v)
	}
	return out, nil
}

// SMSTemplateEdit is the bureau admin's new template of a notice kind;
// an empty Body (or Reset) goes back to the default.
type SMSTemplateEdit struct {
	Kind  string
	Body  string
	Reset bool
}

// PreviewSMSTemplate applies an edited template to the kind's sample
// notice without saving it.
func (s *Messages) PreviewSMSTemplate(ctx context.Context, in SMSTemplateEdit) (SMSPreview, error) {
	if _, err := require(ctx, "管理短信模板", org.RoleAdmin); err != nil {
		return SMSPreview{}, err
	}
	k, err := kindOf(in.Kind)
	if err != nil {
		return SMSPreview{}, err
	}
	body := strings.TrimSpace(in.Body)
	if body == "" || in.Reset {
		body = DefaultSMSTemplate(k.Kind)
	}
	return previewSMS(k, body)
}

// SaveSMSTemplate sets the template of a notice kind after checking that
// it parses and that its sample text fits (at most 500 characters); the
// messages queued from then on use it.
func (s *Messages) SaveSMSTemplate(ctx context.Context, in SMSTemplateEdit) (*SMSTemplateView, error) {
	a, err := require(ctx, "管理短信模板", org.RoleAdmin)
	if err != nil {
		return nil, err
	}
	k, err := kindOf(in.Kind)
	if err != nil {
		return nil, err
	}
	body := strings.TrimSpace(in.Body)
	if in.Reset || body == DefaultSMSTemplate(k.Kind) {
		body = ""
	}
	if body != "" {
		if _, err := previewSMS(k, body); err != nil {
			return nil, err
		}
	}
	t := store.SMSTemplate{Kind: k.Kind, Body: body, UpdatedAt: s.clock.Now(), UpdatedBy: a.Name()}
	if err := s.store.SaveSMSTemplate(ctx, t); err != nil {
		return nil, err
	}
	views, err := s.SMSTemplates(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if v.Kind == k.Kind {
			return &v, nil
		}
	}
	return nil, apperr.New(apperr.Internal, "短信模板已保存但未能读回")
}

func kindOf(kind string) (smsKind, error) {
	for _, k := range smsKinds {
		if k.Kind == kind {
			return k, nil
		}
	}
	return smsKind{}, apperr.Field("kind", "没有这种通知："+kind)
}

// parseSMSTemplate parses a message template.
func parseSMSTemplate(body string) (*template.Template, error) {
	t, err := template.New("sms").Option("missingkey=error").Parse(body)
	if err != nil {
		return nil, apperr.Field("template", "模板写法有误："+templateError(err))
	}
	return t, nil
}

// previewSMS applies body to k's sample and checks the length.
func previewSMS(k smsKind, body string) (SMSPreview, error) {
	t, err := parseSMSTemplate(body)
	if err != nil {
		return SMSPreview{}, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, k.Sample); err != nil {
		return SMSPreview{}, apperr.Field("template", "模板无法套用："+templateError(err))
	}
	text := strings.TrimSpace(b.String())
	p := SMSPreview{Text: text, Chars: utf8.RuneCountInString(text), Segments: notify.SMSSegments(text)}
	switch {
	case text == "":
		return p, apperr.Field("template", "模板套用后没有内容")
	case p.Chars > maxSMSText:
		return p, apperr.Field("template", "套用示例后共 "+itoa(p.Chars)+" 字，超过短信平台的上限 500 字")
	case p.Segments > 1:
		p.Note = "共 " + itoa(p.Chars) + " 字，按 " + itoa(p.Segments) + " 条短信计费（一条 70 字，长短信每条 67 字）"
	default:
		p.Note = "共 " + itoa(p.Chars) + " 字，一条短信（70 字以内）"
	}
	return p, nil
}

// templateError is a template error without the template's name.
func templateError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "template: ")
	return strings.TrimPrefix(msg, "sms:")
}

func itoa(n int) string { return strconv.Itoa(n) }

// composeNotification returns the text of notification n: its kind's
// template applied to the notice, with a fresh short link to the
// correction notice when the template asks for one. A template that no
// longer applies falls back to the default, so that no notice is lost to
// a bad edit.
func (s *Messages) composeNotification(ctx context.Context, n applicant.Notification) (string, error) {
	set, err := s.store.SMSTemplates(ctx)
	if err != nil {
		return "", err
	}
	body := DefaultSMSTemplate(n.Kind)
	if t, ok := set[n.Kind]; ok {
		body = t.Body
	}
	data := SMSData{Subject: n.Subject, Body: n.Body, Number: n.CaseNumber}
	if n.Kind == string(casework.ActReturn) && n.CaseNumber != "" && s.cfg.Messages.PublicURL != "" && strings.Contains(body, ".Link") {
		link, err := s.newNoticeLink(ctx, n.CaseNumber, casework.CorrectionNotice)
		if err != nil {
			return "", err
		}
		data.Link = link
	}
	text, err := applySMS(body, data)
	if err != nil {
		s.log.Warn("sms template fails, the default is used", "kind", n.Kind, "err", err)
		if text, err = applySMS(DefaultSMSTemplate(n.Kind), data); err != nil {
			return "", err
		}
	}
	return text, nil
}

func applySMS(body string, data SMSData) (string, error) {
	t, err := parseSMSTemplate(body)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}
