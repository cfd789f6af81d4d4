package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Defaults for an SMSConfig that leaves them out.
const (
	DefaultSMSTimeout   = 10 * time.Second
	DefaultSMSSignature = "X-Signature"
	// DefaultSMSBody is the request body when no template is given: a JSON
	// object most relay gateways (and the common platforms' HTTP
	// adapters) take as it is.
	DefaultSMSBody = `{"app_id":{{json .AppID}},"phone":{{json .To}},"content":{{json .Text}},"out_id":{{json .Ref}},"timestamp":{{.Timestamp}},"nonce":{{json .Nonce}}}`
)

// SMS segment lengths: a text of at most SMSSegment characters (UCS-2, the
// encoding of every text with Chinese in it) goes as one message; a longer
// one is split into parts of SMSPart characters each, the rest of each part
// carrying the header that joins them on the phone. Platforms bill per part.
const (
	SMSSegment = 70
	SMSPart    = 67
)

// SMSSegments returns how many billed messages text takes (0 for none).
func SMSSegments(text string) int {
	n := utf8.RuneCountInString(text)
	switch {
	case n == 0:
		return 0
	case n <= SMSSegment:
		return 1
	}
	return (n + SMSPart - 1) / SMSPart
}

// The platforms an SMSPlatform may name.
const (
	SMSTencent = "tencent" // Tencent Cloud SMS, signed with TC3-HMAC-SHA256
	SMSAliyun  = "aliyun"  // Alibaba Cloud SMS (dysmsapi), signed with ACS3-HMAC-SHA256
)

// SMSPlatform names an SMS platform the sender calls directly, signing
// each request the platform's own way, instead of a relay.
type SMSPlatform struct {
	Name     string // SMSTencent or SMSAliyun; empty for a relay gateway
	SdkAppID string // Tencent's SmsSdkAppId
	SignName string // the approved signature (签名)
	Template string // the approved template: Tencent's TemplateId, Aliyun's TemplateCode
	Region   string // Tencent's X-TC-Region; TencentSMSRegion when empty
	// Param is the name of the Aliyun template's one variable, which
	// carries the whole text; AliyunSMSParam when empty.
	Param string
}

// SMSConfig says how to reach an HTTP text-message gateway, or an SMS
// platform directly.
type SMSConfig struct {
	// URL is where to send, http or https, with no credentials in it; with
	// a Platform it may be empty for the platform's own endpoint.
	URL    string
	Method string // POST when empty (always POST with a Platform)
	// Body is the request body, a text/template over SMSRequest. The
	// function json writes a value as a JSON literal (quotes and escapes
	// included), urlquery escapes for a form body. DefaultSMSBody when
	// empty; with a Platform, empty means the platform's SendSms
	// parameters (a Body given is sent as it is, only signed).
	Body string
	// ContentType is the body's type: application/json when empty
	// (application/x-www-form-urlencoded for an Aliyun body template).
	ContentType string
	// AppID is the account at the gateway, for the template; with a
	// Platform, the SecretId (Tencent) or AccessKeyId (Aliyun).
	AppID string
	// Secret signs each request: the SignatureHeader carries
	// "t=<unix seconds>,v1=<hex HMAC-SHA256(Secret, t + "." + body)>".
	// Empty: no signature. The same secret checks delivery receipts.
	// With a Platform it is the SecretKey (Tencent) or AccessKey secret
	// (Aliyun), signing the platform's way, and checks no receipt.
	Secret          string
	SignatureHeader string // DefaultSMSSignature when empty
	// ReceiptToken, if set, lets a gateway that cannot sign its delivery
	// receipts prove them by ?token= instead.
	ReceiptToken string
	// OK, when set, is "path=value": a 2xx answer is only a success if the
	// JSON field at the dotted path (array elements by index, as
	// Response.SendStatusSet.0.Code) has that value; gateways that answer
	// 200 with an error code in the body need it.
	OK       string
	Timeout  time.Duration // per request; DefaultSMSTimeout when 0
	Client   *http.Client  // http.DefaultClient's transport when nil
	Platform SMSPlatform   // a platform called directly; none for a relay
}

// SMSRequest is what a body template sees.
type SMSRequest struct {
	To        string // the phone number
	Text      string // the whole text, signature included
	Subject   string // the notice's title, for templates that want it
	Ref       string // the message's reference, echoed by receipts
	AppID     string
	Timestamp int64  // unix seconds
	Nonce     string // 16 random hex characters
}

// SMS sends text messages through an HTTP gateway or an SMS platform, one
// request per message. It only sends to phone numbers: an e-mail address
// is refused. It is safe for concurrent use.
type SMS struct {
	cfg    SMSConfig
	body   *template.Template // nil for a platform's own parameters
	okPath []string
	okWant string
	now    func() time.Time
}

// SMSFuncs are the functions a body template may use besides text/template's own.
var SMSFuncs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

// NewSMS returns a sender for cfg, filling in the defaults; it fails on a
// body template that does not parse, an OK rule without "=", or a platform
// whose account, key, signature or template is missing.
func NewSMS(cfg SMSConfig) (*SMS, error) {
	if cfg.Platform.Name != "" {
		return newPlatformSMS(cfg)
	}
	if cfg.Method == "" {
		cfg.Method = http.MethodPost
	}
	if cfg.Body == "" {
		cfg.Body = DefaultSMSBody
	}
	if cfg.ContentType == "" {
		cfg.ContentType = "application/json; charset=utf-8"
	}
	if cfg.SignatureHeader == "" {
		cfg.SignatureHeader = DefaultSMSSignature
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSMSTimeout
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, apperr.New(apperr.Invalid, "短信网关地址 %q 无效：应为 http(s)://主机/路径", redactURL(cfg.URL))
	}
	if u.User != nil {
		return nil, apperr.New(apperr.Invalid, "短信网关地址不应含账号密码")
	}
	t, err := template.New("sms").Funcs(SMSFuncs).Option("missingkey=error").Parse(cfg.Body)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "短信请求模板无法解析：%v", err)
	}
	s := &SMS{cfg: cfg, body: t, now: time.Now}
	if cfg.OK != "" {
		path, want, ok := strings.Cut(cfg.OK, "=")
		if !ok || path == "" {
			return nil, apperr.New(apperr.Invalid, "短信网关成功条件 ok=%q 无效：应为 字段路径=取值，例如 Code=OK", cfg.OK)
		}
		s.okPath, s.okWant = strings.Split(path, "."), want
	}
	return s, nil
}

// newPlatformSMS returns a sender calling cfg.Platform directly.
func newPlatformSMS(cfg SMSConfig) (*SMS, error) {
	p := &cfg.Platform
	var c apperr.Collector
	c.Check(cfg.AppID != "" && cfg.Secret != "", "secret", "直连短信平台需要访问密钥：地址中的 用户名:密码 即 SecretId:SecretKey（腾讯云）或 AccessKeyId:AccessKeySecret（阿里云）")
	c.Check(p.SignName != "", "sign_name", "缺少短信签名 sign_name")
	c.Check(cfg.Method == "" || cfg.Method == http.MethodPost, "method", "直连短信平台只能用 POST")
	c.Check(cfg.OK == "", "ok", "直连短信平台时按平台的应答判断成败，不需要 ok")
	host := ""
	switch p.Name {
	case SMSTencent:
		host = TencentSMSHost
		c.Check(p.SdkAppID != "", "sdk_app_id", "缺少短信应用 ID sdk_app_id")
		c.Check(p.Template != "", "template_id", "缺少模板 ID template_id")
		if p.Region == "" {
			p.Region = TencentSMSRegion
		}
		if cfg.ContentType == "" {
			cfg.ContentType = "application/json; charset=utf-8"
		}
	case SMSAliyun:
		host = AliyunSMSHost
		c.Check(p.Template != "", "template_code", "缺少模板编号 template_code")
		if p.Param == "" {
			p.Param = AliyunSMSParam
		}
		if cfg.ContentType == "" {
			cfg.ContentType = "application/x-www-form-urlencoded"
		}
	default:
		return nil, apperr.New(apperr.Invalid, "短信平台 sign=%q 不受支持：应为 tencent 或 aliyun", p.Name)
	}
	if err := c.Err("短信平台配置不完整"); err != nil {
		return nil, err
	}
	cfg.Method = http.MethodPost
	if cfg.URL == "" {
		cfg.URL = "https://" + host + "/"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSMSTimeout
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, apperr.New(apperr.Invalid, "短信平台地址 %q 无效：应为 https://主机/", redactURL(cfg.URL))
	}
	if u.User != nil || u.RawQuery != "" {
		return nil, apperr.New(apperr.Invalid, "短信平台地址不应含账号密码或查询参数")
	}
	s := &SMS{cfg: cfg, now: time.Now}
	if cfg.Body != "" {
		if s.body, err = template.New("sms").Funcs(SMSFuncs).Option("missingkey=error").Parse(cfg.Body); err != nil {
			return nil, apperr.New(apperr.Invalid, "短信请求模板无法解析：%v", err)
		}
	}
	return s, nil
}

// ReceiptKeys returns what authenticates the gateway's delivery receipts:
// the signing secret and the receipt token (either may be empty). A
// platform's key is no receipt secret (the platforms do not sign their
// callbacks this way), so with a platform only the token counts.
func (s *SMS) ReceiptKeys() (secret, token string) {
	if s.cfg.Platform.Name != "" {
		return "", s.cfg.ReceiptToken
	}
	return s.cfg.Secret, s.cfg.ReceiptToken
}

// Send posts m to the gateway. A recipient that is not a phone number is
// refused with an Invalid error before any request; a gateway that
// answers 4xx (other than 408 and 429) refuses the message for good
// (Invalid: no retry cures it); a network failure, a timeout, a 5xx, 408,
// 429, a 2xx failing the OK rule or a platform's answer other than sent
// is Internal (tried again later).
func (s *SMS) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	to := strings.TrimSpace(m.To)
	if !isPhone(to) {
		return apperr.Field("to", "短信只能发送到手机号码")
	}
	at := s.now()
	req := SMSRequest{To: to, Text: m.Body, Subject: m.Subject, Ref: m.Ref, AppID: s.cfg.AppID,
		Timestamp: at.Unix(), Nonce: nonce()}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	hr, err := s.request(ctx, at, req)
	if err != nil {
		return err
	}
	resp, err := s.cfg.Client.Do(hr)
	if err != nil {
		return apperr.Wrap(redactErr(err), "notify: sms gateway")
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500,
		s.cfg.Platform.Name == SMSAliyun && aliyunThrottled(answer):
		return apperr.Wrap(fmt.Errorf("gateway answered %s: %s", resp.Status, snippet(answer)), "notify: sms gateway")
	case resp.StatusCode >= 400:
		return apperr.New(apperr.Invalid, "短信网关拒绝了这条短信（%s）：%s", resp.Status, snippet(answer))
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return apperr.Wrap(fmt.Errorf("gateway answered %s", resp.Status), "notify: sms gateway")
	}
	switch s.cfg.Platform.Name {
	case SMSTencent:
		err = tencentAnswer(answer)
	case SMSAliyun:
		err = aliyunAnswer(answer)
	default:
		if s.okPath != nil {
			if got, ok := jsonPath(answer, s.okPath); !ok || got != s.okWant {
				err = fmt.Errorf("gateway answered %s without %s: %s", resp.Status, s.cfg.OK, snippet(answer))
			}
		}
	}
	if err != nil {
		return apperr.Wrap(err, "notify: sms gateway")
	}
	return nil
}

// request returns the HTTP request sending r at time at: the body template
// (or a platform's own parameters) signed as the gateway or platform wants.
func (s *SMS) request(ctx context.Context, at time.Time, r SMSRequest) (*http.Request, error) {
	var body []byte
	if s.body != nil {
		var err error
		if body, err = s.Render(r); err != nil {
			return nil, err
		}
	}
	var hr *http.Request
	var err error
	switch s.cfg.Platform.Name {
	case SMSTencent:
		if body == nil {
			if body, err = s.tencentBody(r); err != nil {
				return nil, apperr.Wrap(err, "notify: sms request")
			}
		}
		hr, err = s.tencentRequest(ctx, at, body)
	case SMSAliyun:
		var query url.Values
		if s.body == nil {
			if query, err = s.aliyunParams(r); err != nil {
				return nil, apperr.Wrap(err, "notify: sms request")
			}
		}
		hr, err = s.aliyunRequest(ctx, at, query, body)
	default:
		hr, err = http.NewRequestWithContext(ctx, s.cfg.Method, s.cfg.URL, bytes.NewReader(body))
		if err == nil {
			hr.Header.Set("Content-Type", s.cfg.ContentType)
			if s.cfg.Secret != "" {
				hr.Header.Set(s.cfg.SignatureHeader, SignSMS(s.cfg.Secret, r.Timestamp, body))
			}
		}
	}
	if err != nil {
		return nil, apperr.Wrap(err, "notify: sms request")
	}
	return hr, nil
}

// Render returns the request body for r: the preview of what the gateway
// receives. With a platform and no body template it is the platform's
// SendSms parameters: Tencent's JSON body, or Aliyun's query string.
func (s *SMS) Render(r SMSRequest) ([]byte, error) {
	if s.body == nil {
		switch s.cfg.Platform.Name {
		case SMSTencent:
			b, err := s.tencentBody(r)
			return b, apperr.Wrap(err, "notify: sms request")
		case SMSAliyun:
			q, err := s.aliyunParams(r)
			if err != nil {
				return nil, apperr.Wrap(err, "notify: sms request")
			}
			return []byte(ACS3Query(q)), nil
		}
	}
	var b bytes.Buffer
	if err := s.body.Execute(&b, r); err != nil {
		return nil, apperr.New(apperr.Invalid, "短信请求模板出错：%v", err)
	}
	return b.Bytes(), nil
}

// SignSMS returns the signature header value of body sent at unix time t:
// "t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>". The time is signed
// with the body so that a captured request cannot be replayed later.
func SignSMS(secret string, t int64, body []byte) string {
	ts := strconv.FormatInt(t, 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(smsMAC(secret, ts, body))
}

// VerifySMS checks a signature header made by SignSMS over body, at most
// tolerance away from now; it is how a delivery receipt proves it came
// from the gateway.
func VerifySMS(secret, header string, body []byte, now time.Time, tolerance time.Duration) bool {
	var ts, sig string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || secret == "" {
		return false
	}
	if d := now.Sub(time.Unix(t, 0)); d > tolerance || d < -tolerance {
		return false
	}
	got, err := hex.DecodeString(sig)
	return err == nil && hmac.Equal(got, smsMAC(secret, ts, body))
}

func smsMAC(secret, ts string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return mac.Sum(nil)
}

// platformText is the text as a platform template's variable: a leading
// 【…】 is dropped, because the platform puts its approved signature
// (SignName) there itself and the phone would show two.
func platformText(text string) string {
	t := strings.TrimSpace(text)
	if rest, ok := strings.CutPrefix(t, "【"); ok {
		if _, after, ok := strings.Cut(rest, "】"); ok {
			return strings.TrimSpace(after)
		}
	}
	return text
}

// isPhone reports whether s looks like a phone number: digits, with an
// optional leading +, 5 to 20 of them.
func isPhone(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if len(s) < 5 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func nonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// snippet is the start of a gateway's answer, for an error message.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// jsonPath reads the value at path from a JSON document, as text.
func jsonPath(doc []byte, path []string) (string, bool) {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return "", false
	}
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return "", false
			}
			v = x[i]
		default:
			return "", false
		}
	}
	switch x := v.(type) {
	case string:
		return x, true
	case nil:
		return "", false
	default:
		b, _ := json.Marshal(x)
		return string(b), true
	}
}

// redactURL drops the query and credentials of a URL for an error message.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		u.User, u.RawQuery = nil, ""
		return u.String()
	}
	return "…"
}

// redactErr keeps a url.Error's reason and operation, not its URL (which
// may carry a key in its query).
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, redactURL(ue.URL), ue.Err)
	}
	return err
}
