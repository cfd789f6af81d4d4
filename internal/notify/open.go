package notify

import (
	"errors"
	"log/slog"
	"maps"
	"net/mail"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Open returns the sender rawURL names:
//
//	"" or "log"                                   the Log sender, writing to log
//	smtp://user:pass@host:port?from=ADDRESS       the SMTP sender
//	sms+https://APPID:SECRET@host/path?…          the SMS sender (sms+http too)
//	sms+https://ID:KEY@host/?sign=tencent&…       the SMS sender calling Tencent Cloud SMS
//	sms+https://ID:KEY@host/?sign=aliyun&…        the SMS sender calling Alibaba Cloud SMS
//
// The SMTP URL takes the port (DefaultSMTPPort when left out), optional
// credentials (percent-encode special characters in the password), and the
// query parameters from (required: the sender address), starttls (true by
// default; starttls=false never upgrades) and timeout (a Go duration such as
// 10s). Any other parameter is refused so that a misspelt one is noticed at
// start. Errors are Invalid and never repeat the password.
func Open(rawURL string, log *slog.Logger) (Sender, error) {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" || rawURL == "log" {
		return NewLog(log), nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the whole URL and an EscapeError part of it, either
		// of which may be the password: keep only the reason.
		var ee url.EscapeError
		if errors.As(err, &ee) {
			return nil, apperr.New(apperr.Invalid, "通知地址无法解析：含有无效的百分号转义（密码中的特殊字符请写成 %%XX）")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, apperr.New(apperr.Invalid, "通知地址无法解析：%v", err)
	}
	switch u.Scheme {
	case "smtp":
		cfg, err := smtpConfig(u)
		if err != nil {
			return nil, err
		}
		return NewSMTP(cfg), nil
	case "sms+https", "sms+http":
		cfg, err := smsConfig(u)
		if err != nil {
			return nil, err
		}
		return NewSMS(cfg)
	case "":
		return nil, apperr.New(apperr.Invalid, "通知地址缺少方案：请写 log、smtp://… 或 sms+https://…")
	default:
		return nil, apperr.New(apperr.Invalid, "通知地址的方案 %q 不受支持：请写 log、smtp://… 或 sms+https://…", u.Scheme)
	}
}

// The sms+https:// URL's parameters: those of every sender, those of a
// relay gateway and those of each platform (sign=…).
var (
	smsParams      = []string{"body_file", "content_type", "timeout", "receipt_token"}
	smsRelayParams = []string{"method", "signature_header", "ok"}
	smsPlatforms   = map[string][]string{
		SMSTencent: {"sign", "sdk_app_id", "sign_name", "template_id", "region"},
		SMSAliyun:  {"sign", "sign_name", "template_code", "param_name"},
	}
)

// smsConfig reads an sms+https:// URL: the gateway's address after "sms+",
// the user name the AppID and the password the signing secret (both taken
// out of the address sent to), and these query parameters, taken out too:
// method, body_file (a file holding the body template), content_type,
// signature_header, ok (path=value), timeout and receipt_token. Any other parameter stays
// in the gateway's address (gateways that want ?action=send).
//
// With sign=tencent or sign=aliyun the URL names the platform itself (the
// host may be left out for the platform's own endpoint), the user name and
// password are the platform's key pair, and sdk_app_id, sign_name,
// template_id, region (Tencent) or sign_name, template_code, param_name
// (Aliyun) name the account's approved signature and template; any other
// parameter is refused, since the platform would refuse the signature.
func smsConfig(u *url.URL) (SMSConfig, error) {
	invalid := func(format string, args ...any) (SMSConfig, error) {
		return SMSConfig{}, apperr.New(apperr.Invalid, "短信通知地址有误："+format, args...)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return invalid("查询参数无法解析")
	}
	var cfg SMSConfig
	cfg.Platform.Name = q.Get("sign")
	platform, isPlatform := smsPlatforms[cfg.Platform.Name]
	switch {
	case q.Has("sign") && !isPlatform:
		return invalid("sign=%q 不受支持：应为 tencent（腾讯云短信）或 aliyun（阿里云短信）", cfg.Platform.Name)
	case u.Opaque != "" || (u.Hostname() == "" && !isPlatform):
		return invalid("缺少短信网关主机名，应为 sms+https://应用号:密钥@主机/路径")
	}
	if u.User != nil {
		cfg.AppID = u.User.Username()
		cfg.Secret, _ = u.User.Password()
	}
	rest := url.Values{}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		values := q[name]
		ours := slices.Contains(smsParams, name) || slices.Contains(platform, name) ||
			(!isPlatform && slices.Contains(smsRelayParams, name))
		if !ours {
			if isPlatform {
				return invalid("直连短信平台时不认识参数 %s（可用 %s）", name, strings.Join(append(slices.Clone(platform), smsParams...), "、"))
			}
			rest[name] = values
			continue
		}
		if len(values) > 1 {
			return invalid("参数 %s 重复", name)
		}
		value := values[0]
		switch name {
		case "method":
			cfg.Method = strings.ToUpper(value)
			if cfg.Method != "POST" && cfg.Method != "PUT" {
				return invalid("method=%q 无效，应为 POST 或 PUT", value)
			}
		case "body_file":
			b, err := os.ReadFile(value)
			if err != nil {
				return invalid("无法读取请求模板文件 %s：%v", value, errors.Unwrap(err))
			}
			cfg.Body = string(b)
		case "content_type":
			cfg.ContentType = value
		case "signature_header":
			cfg.SignatureHeader = value
		case "ok":
			cfg.OK = value
		case "receipt_token":
			cfg.ReceiptToken = value
		case "sdk_app_id":
			cfg.Platform.SdkAppID = value
		case "sign_name":
			cfg.Platform.SignName = value
		case "template_id", "template_code":
			cfg.Platform.Template = value
		case "region":
			cfg.Platform.Region = value
		case "param_name":
			cfg.Platform.Param = value
		case "timeout":
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				return invalid("timeout=%q 无效，应为正的时长，例如 10s", value)
			}
			cfg.Timeout = d
		}
	}
	gw := *u
	gw.Scheme = strings.TrimPrefix(u.Scheme, "sms+")
	gw.User, gw.RawQuery = nil, rest.Encode()
	if isPlatform && gw.Host == "" {
		return cfg, nil // the platform's own endpoint
	}
	if isPlatform && gw.Path == "" {
		gw.Path = "/"
	}
	cfg.URL = gw.String()
	return cfg, nil
}

// smtpConfig reads an smtp:// URL.
func smtpConfig(u *url.URL) (SMTPConfig, error) {
	invalid := func(format string, args ...any) (SMTPConfig, error) {
		return SMTPConfig{}, apperr.New(apperr.Invalid, "SMTP 通知地址有误："+format, args...)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return invalid("缺少邮件服务器主机名，应为 smtp://用户名:密码@主机:端口?from=发件地址")
	}
	if u.Path != "" && u.Path != "/" {
		return invalid("不应包含路径 %q", u.Path)
	}
	if u.Fragment != "" {
		return invalid("不应包含 # 片段")
	}
	cfg := SMTPConfig{Host: u.Hostname(), StartTLS: true}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return invalid("端口 %q 无效，应为 1 到 65535", p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" {
			return invalid("给出了密码却没有用户名")
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return invalid("查询参数无法解析")
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		values := q[name]
		if len(values) > 1 {
			return invalid("参数 %s 重复", name)
		}
		value := values[0]
		switch name {
		case "from":
			if _, err := mail.ParseAddress(value); err != nil {
				return invalid("发件地址 from=%q 不是有效的电子邮箱地址", value)
			}
			cfg.From = value
		case "starttls":
			b, err := strconv.ParseBool(value)
			if err != nil {
				return invalid("starttls=%q 无效，应为 true 或 false", value)
			}
			cfg.StartTLS = b
		case "timeout":
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				return invalid("timeout=%q 无效，应为正的时长，例如 10s", value)
			}
			cfg.Timeout = d
		default:
			return invalid("不认识的参数 %s（可用 from、starttls、timeout）", name)
		}
	}
	if cfg.From == "" {
		return invalid("缺少发件地址参数 from，例如 ?from=noreply@example.gov.cn")
	}
	return cfg, nil
}
