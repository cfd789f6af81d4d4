package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Tencent's worked example of "签名方法 v3" (TC3-HMAC-SHA256): CVM
// DescribeInstances in ap-guangzhou at 1551113065, as published in the
// documentation (cloud.tencent.com/document/api/213/30654 and its copies
// per product), with the example key pair written out in full.
const (
	tc3ExamplePayload   = `{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
	tc3ExampleSecretID  = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
	tc3ExampleSecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
	tc3ExampleTimestamp = 1551113065
)

func TestTC3PublishedExample(t *testing.T) {
	headers := map[string]string{"Content-Type": "application/json; charset=utf-8", "Host": "cvm.tencentcloudapi.com"}
	canonical, signed := TC3CanonicalRequest("POST", "/", "", headers, []byte(tc3ExamplePayload))
	// The documentation's canonical request, byte for byte.
	want := "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" +
		"35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
	if canonical != want || signed != "content-type;host" {
		t.Fatalf("canonical request\n%q\nwant\n%q (signed %q)", canonical, want, signed)
	}
	// Published: the payload hash (in the canonical request above) and the
	// canonical request's hash, which the string to sign carries.
	if got := sha256Hex([]byte(tc3ExamplePayload)); got != "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064" {
		t.Errorf("payload hash %s", got)
	}
	if got := sha256Hex([]byte(canonical)); got != "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031" {
		t.Errorf("canonical request hash %s", got)
	}
	// Published: the Authorization header of the example's curl call.
	auth := TC3Authorization(tc3ExampleSecretID, tc3ExampleSecretKey, "cvm", tc3ExampleTimestamp, signed, canonical)
	wantAuth := "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
		"SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	if auth != wantAuth {
		t.Errorf("authorization\n%s\nwant\n%s", auth, wantAuth)
	}
	// A later revision of the page masks the key as the literal
	// "Gu5t9xGARNpq86cd98joQYCN3*******" and publishes the signature made
	// with that very string.
	if got := TC3Signature("Gu5t9xGARNpq86cd98joQYCN3*******", "cvm", tc3ExampleTimestamp, canonical); got != "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c" {
		t.Errorf("signature with the masked key %s", got)
	}
	// The UTC date, not the local one: 1551113065 is 2019-02-26 00:44 in
	// Beijing, and the scope must still say 2019-02-25.
	if !strings.Contains(auth, "/2019-02-25/") {
		t.Error("the credential scope is not the UTC date")
	}

	// The current revision also signs X-TC-Action (value lowercased) and
	// publishes the canonical request's hash.
	headers["X-TC-Action"] = "DescribeInstances"
	canonical, signed = TC3CanonicalRequest("POST", "/", "", headers, []byte(tc3ExamplePayload))
	if signed != "content-type;host;x-tc-action" || !strings.Contains(canonical, "\nx-tc-action:describeinstances\n") {
		t.Errorf("canonical request with the action\n%s", canonical)
	}
	if got := sha256Hex([]byte(canonical)); got != "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84" {
		t.Errorf("canonical request hash with the action %s", got)
	}
}

// tc3Verify recomputes a TC3-HMAC-SHA256 request's signature as Tencent's
// server does, step by step and without the package's signing functions:
// the headers the Authorization names, read back from the request received.
func tc3Verify(t *testing.T, r *http.Request, body []byte, secretKey string) (ok bool, secretID, signedHeaders string) {
	t.Helper()
	auth, found := strings.CutPrefix(r.Header.Get("Authorization"), "TC3-HMAC-SHA256 ")
	if !found {
		t.Fatalf("authorization %q", r.Header.Get("Authorization"))
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(auth, ", ") {
		k, v, _ := strings.Cut(part, "=")
		fields[k] = v
	}
	credential := strings.Split(fields["Credential"], "/")
	if len(credential) != 4 || credential[3] != "tc3_request" {
		t.Fatalf("credential %q", fields["Credential"])
	}
	ts, _ := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if date := time.Unix(ts, 0).UTC().Format("2006-01-02"); credential[1] != date {
		t.Errorf("credential date %s, timestamp's UTC date %s", credential[1], date)
	}
	var canonical strings.Builder
	canonical.WriteString(r.Method + "\n" + r.URL.Path + "\n" + r.URL.RawQuery + "\n")
	for _, name := range strings.Split(fields["SignedHeaders"], ";") {
		value := r.Header.Get(name)
		if name == "host" {
			value = r.Host
		}
		canonical.WriteString(name + ":" + strings.ToLower(strings.TrimSpace(value)) + "\n")
	}
	sum := sha256.Sum256(body)
	canonical.WriteString("\n" + fields["SignedHeaders"] + "\n" + hex.EncodeToString(sum[:]))
	sum = sha256.Sum256([]byte(canonical.String()))
	toSign := "TC3-HMAC-SHA256\n" + r.Header.Get("X-TC-Timestamp") + "\n" + strings.Join(credential[1:], "/") + "\n" + hex.EncodeToString(sum[:])
	mac := func(key []byte, s string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(s))
		return h.Sum(nil)
	}
	key := mac(mac(mac([]byte("TC3"+secretKey), credential[1]), credential[2]), "tc3_request")
	want := hex.EncodeToString(mac(key, toSign))
	return fields["Signature"] == want, credential[0], fields["SignedHeaders"]
}

func tencentSender(t *testing.T, g *gateway, body string) *SMS {
	t.Helper()
	s, err := NewSMS(SMSConfig{URL: g.URL + "/", AppID: "AKIDhall1", Secret: "tencent-s3cret", Body: body,
		Platform: SMSPlatform{Name: SMSTencent, SdkAppID: "1400006666", SignName: "某区政务服务", Template: "1234567"}})
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Date(2026, 12, 2, 16, 30, 0, 0, time.UTC) } // 00:30 in Beijing
	return s
}

func TestTencentSendSms(t *testing.T) {
	g := newGateway(t)
	g.answer = `{"Response":{"SendStatusSet":[{"SerialNo":"5000:1045710669157053657849499619","PhoneNumber":"+8613812345678","Fee":1,"SessionContext":"n-42","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6"}}`
	s := tencentSender(t, g, "")
	text := "【一窗通】您申请的「\"食品\"经营许可」需要补正材料。\n请查看通知书"
	if err := s.Send(context.Background(), Message{To: "13812345678", Subject: "退回补正", Body: text, Ref: "n-42"}); err != nil {
		t.Fatal(err)
	}
	r, raw := g.last(t)
	if r.Method != http.MethodPost || r.URL.Path != "/" || r.URL.RawQuery != "" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	for name, want := range map[string]string{
		"Content-Type": "application/json; charset=utf-8", "X-TC-Action": "SendSms", "X-TC-Version": "2021-01-11",
		"X-TC-Region": "ap-guangzhou", "X-TC-Timestamp": strconv.FormatInt(s.now().Unix(), 10),
	} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	var body struct {
		PhoneNumberSet, TemplateParamSet                  []string
		SmsSdkAppId, SignName, TemplateId, SessionContext string
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, raw)
	}
	if !slices.Equal(body.PhoneNumberSet, []string{"+8613812345678"}) || body.SmsSdkAppId != "1400006666" ||
		body.SignName != "某区政务服务" || body.TemplateId != "1234567" || body.SessionContext != "n-42" ||
		!slices.Equal(body.TemplateParamSet, []string{"您申请的「\"食品\"经营许可」需要补正材料。\n请查看通知书"}) {
		t.Errorf("body %+v", body)
	}
	ok, id, signed := tc3Verify(t, r, raw, "tencent-s3cret")
	if !ok || id != "AKIDhall1" || signed != "content-type;host;x-tc-action" {
		t.Errorf("signature does not verify on the platform's side (id %q, signed %q)\n%s", id, signed, r.Header.Get("Authorization"))
	}
	if !strings.Contains(r.Header.Get("Authorization"), "/2026-12-02/sms/tc3_request,") {
		t.Errorf("credential scope in %s", r.Header.Get("Authorization"))
	}
	if ok, _, _ := tc3Verify(t, r, raw, "another-key"); ok {
		t.Error("signature verifies with another key")
	}
	if ok, _, _ := tc3Verify(t, r, append(raw[:len(raw):len(raw)], ' '), "tencent-s3cret"); ok {
		t.Error("signature verifies a changed body")
	}
}

func TestTencentBodyTemplateIsSigned(t *testing.T) {
	g := newGateway(t)
	g.answer = `{"Response":{"SendStatusSet":[{"Code":"Ok"}]}}`
	tmpl := `{"PhoneNumberSet":[{{json .To}}],"SmsSdkAppId":"1400006666","SignName":"某区政务服务","TemplateId":"7654321","TemplateParamSet":[{{json .Subject}}],"SessionContext":{{json .Ref}}}`
	s := tencentSender(t, g, tmpl)
	if err := s.Send(context.Background(), Message{To: "+8613812345678", Subject: "已办结", Body: "x", Ref: "n-7"}); err != nil {
		t.Fatal(err)
	}
	r, raw := g.last(t)
	want := `{"PhoneNumberSet":["+8613812345678"],"SmsSdkAppId":"1400006666","SignName":"某区政务服务","TemplateId":"7654321","TemplateParamSet":["已办结"],"SessionContext":"n-7"}`
	if string(raw) != want {
		t.Errorf("body %s\nwant %s", raw, want)
	}
	if ok, _, _ := tc3Verify(t, r, raw, "tencent-s3cret"); !ok {
		t.Error("the template's body is not signed")
	}
}

func TestTencentAnswers(t *testing.T) {
	g := newGateway(t)
	s := tencentSender(t, g, "")
	m := Message{To: "13812345678", Body: "x", Ref: "n-1"}
	for _, tt := range []struct {
		status  int
		answer  string
		want    apperr.Code
		mention string // in the error kept as last_error
	}{
		{200, `{"Response":{"SendStatusSet":[{"Code":"Ok","Message":"send success"}],"RequestId":"r1"}}`, "", ""},
		{200, `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"r2"}}`, apperr.Internal, "The provided credentials could not be validated."},
		{200, `{"Response":{"SendStatusSet":[{"Code":"LimitExceeded.PhoneNumberDailyLimit","Message":"单个手机号日下发短信条数超过设定的上限"}],"RequestId":"r3"}}`, apperr.Internal, "单个手机号日下发短信条数超过设定的上限"},
		{200, `{"Response":{"RequestId":"r4"}}`, apperr.Internal, "no send status"},
		{200, `<html>`, apperr.Internal, "not JSON"},
		{502, `bad gateway`, apperr.Internal, "502"},
		{429, ``, apperr.Internal, "429"},
		{400, `bad request`, apperr.Invalid, "bad request"},
	} {
		g.mu.Lock()
		g.status, g.answer = tt.status, tt.answer
		g.mu.Unlock()
		err := s.Send(context.Background(), m)
		if got := apperr.CodeOf(err); got != tt.want {
			t.Errorf("%d %s: code %q, want %q (%v)", tt.status, tt.answer, got, tt.want, err)
		}
		if err != nil && !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%d %s: error %q does not mention %q", tt.status, tt.answer, err, tt.mention)
		}
		if err != nil && strings.Contains(err.Error(), "tencent-s3cret") {
			t.Errorf("the error shows the key: %v", err)
		}
	}
}

func TestTencentPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678": "+8613812345678", "+8613812345678": "+8613812345678",
		"85291234567": "+85291234567", "0085291234567": "+85291234567",
	} {
		if got := tencentPhone(in); got != want {
			t.Errorf("tencentPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpenSMSPlatforms(t *testing.T) {
	s, err := Open("sms+https://AKIDhall1:k%2Fey@sms.tencentcloudapi.com?sign=tencent&sdk_app_id=1400006666&sign_name="+
		url.QueryEscape("某区政务服务")+"&template_id=1234567&region=ap-beijing&receipt_token=R3CEIPT&timeout=5s", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := s.(*SMS).cfg
	if c.URL != "https://sms.tencentcloudapi.com/" || c.AppID != "AKIDhall1" || c.Secret != "k/ey" || c.Timeout != 5*time.Second ||
		c.Platform != (SMSPlatform{Name: SMSTencent, SdkAppID: "1400006666", SignName: "某区政务服务", Template: "1234567", Region: "ap-beijing"}) {
		t.Errorf("config %+v", c)
	}
	// The platform's key checks no receipt: only the token does.
	if secret, token := s.(*SMS).ReceiptKeys(); secret != "" || token != "R3CEIPT" {
		t.Errorf("receipt keys %q %q", secret, token)
	}
	// The host left out: the platform's own endpoint; defaults filled in.
	s, err = Open("sms+https://LTAIhall1:s3cret@/?sign=aliyun&sign_name=x&template_code=SMS_1", nil)
	if err != nil {
		t.Fatal(err)
	}
	c = s.(*SMS).cfg
	if c.URL != "https://dysmsapi.aliyuncs.com/" || c.Platform.Param != AliyunSMSParam || c.Platform.Template != "SMS_1" {
		t.Errorf("config %+v", c)
	}
	s, err = Open("sms+https://AKID:k@/?sign=tencent&sdk_app_id=1&sign_name=x&template_id=2", nil)
	if err != nil || s.(*SMS).cfg.URL != "https://sms.tencentcloudapi.com/" || s.(*SMS).cfg.Platform.Region != TencentSMSRegion {
		t.Errorf("Open = %v, %v", s, err)
	}
	for _, tt := range []struct{ url, want string }{
		{"sms+https://a:b@h.cn/?sign=huawei", "sign="},
		{"sms+https://a:b@h.cn/?sign=tencent&sign=aliyun&sdk_app_id=1&sign_name=x&template_id=2", "重复"},
		{"sms+https://h.cn/?sign=tencent&sdk_app_id=1&sign_name=x&template_id=2", "访问密钥"},
		{"sms+https://a:b@h.cn/?sign=tencent&sign_name=x&template_id=2", "sdk_app_id"},
		{"sms+https://a:b@h.cn/?sign=tencent&sdk_app_id=1&template_id=2", "sign_name"},
		{"sms+https://a:b@h.cn/?sign=aliyun&sign_name=x", "template_code"},
		{"sms+https://a:b@h.cn/?sign=aliyun&sign_name=x&template_id=2", "不认识参数 template_id"},
		{"sms+https://a:b@h.cn/?sign=tencent&sdk_app_id=1&sign_name=x&template_id=2&ok=Code%3DOk", "不认识参数 ok"},
		{"sms+https://a:b@h.cn/?sign=tencent&sdk_app_id=1&sign_name=x&template_id=2&action=send", "不认识参数 action"},
		{"sms+https://a:b@h.cn/?sign=aliyun&sign_name=x&template_code=2&method=PUT", "不认识参数 method"},
		{"sms+https://a:b@h.cn/x?region=ap-beijing", ""}, // a relay keeps unknown parameters
	} {
		_, err := Open(tt.url, nil)
		if tt.want == "" {
			if err != nil {
				t.Errorf("Open(%q) = %v", tt.url, err)
			}
			continue
		}
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q) = %v, want invalid mentioning %q", tt.url, err, tt.want)
		}
	}
}

func TestPlatformText(t *testing.T) {
	for in, want := range map[string]string{
		"【一窗通】您的材料已收到": "您的材料已收到",
		"您的材料【已】收到":    "您的材料【已】收到",
		"【未闭合 您好":      "【未闭合 您好",
	} {
		if got := platformText(in); got != want {
			t.Errorf("platformText(%q) = %q, want %q", in, got, want)
		}
	}
}
