package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Alibaba Cloud's worked example of the V3 signature (ACS3-HMAC-SHA256):
// ECS RunInstances in cn-shanghai, as published in "V3版本请求体&签名机制"
// (help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature)
// with the key pair YourAccessKeyId / YourAccessKeySecret.
func TestACS3PublishedExample(t *testing.T) {
	query := ACS3Query(url.Values{"RegionId": {"cn-shanghai"}, "ImageId": {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}})
	if query != "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai" {
		t.Errorf("canonical query %s", query)
	}
	headers := map[string]string{
		"host":                  "ecs.cn-shanghai.aliyuncs.com",
		"x-acs-action":          "RunInstances",
		"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"x-acs-date":            "2023-10-26T10:22:32Z",
		"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
		"x-acs-version":         "2014-05-26",
	}
	canonical, signed := ACS3CanonicalRequest("POST", "/", query, headers, nil)
	want := "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
		"host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if canonical != want {
		t.Fatalf("canonical request\n%q\nwant\n%q", canonical, want)
	}
	// Published: the canonical request's hash (the string to sign's second
	// line), the signature and the Authorization header.
	if got := sha256Hex([]byte(canonical)); got != "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259" {
		t.Errorf("canonical request hash %s", got)
	}
	if got := ACS3Signature("YourAccessKeySecret", canonical); got != "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0" {
		t.Errorf("signature %s", got)
	}
	wantAuth := "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
		"Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	if got := ACS3Authorization("YourAccessKeyId", "YourAccessKeySecret", signed, canonical); got != wantAuth {
		t.Errorf("authorization\n%s\nwant\n%s", got, wantAuth)
	}
}

// rfc3986 percent-encodes s byte by byte as the V3 signature's rules say:
// A–Z a–z 0–9 - _ . ~ as they are, every other byte as %XX.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func TestACS3QueryEscapes(t *testing.T) {
	v := url.Values{"TemplateParam": {`{"content":"办结 & 领取*~+"}`}, "A b": {""}}
	want := "A%20b=&TemplateParam=" + rfc3986(`{"content":"办结 & 领取*~+"}`)
	if got := ACS3Query(v); got != want {
		t.Errorf("ACS3Query = %s\nwant        %s", got, want)
	}
	if !strings.Contains(want, "%20%26%20") || !strings.Contains(want, "%2A~%2B") {
		t.Errorf("the reference encoder is off: %s", want)
	}
}

// acs3Verify recomputes an ACS3-HMAC-SHA256 request's signature as Alibaba
// Cloud's gateway does, step by step and without the package's signing
// functions: the query re-encoded from its decoded parameters, the
// headers the Authorization names read back from the request received.
func acs3Verify(t *testing.T, r *http.Request, body []byte, secret string) (ok bool, keyID, signedHeaders string) {
	t.Helper()
	auth, found := strings.CutPrefix(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 ")
	if !found {
		t.Fatalf("authorization %q", r.Header.Get("Authorization"))
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(auth, ",") {
		k, v, _ := strings.Cut(part, "=")
		fields[k] = v
	}
	var pairs []string
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			pairs = append(pairs, rfc3986(k)+"="+rfc3986(v))
		}
	}
	sort.Strings(pairs)
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	if got := r.Header.Get("x-acs-content-sha256"); got != payload {
		t.Errorf("x-acs-content-sha256 %s, body's %s", got, payload)
	}
	canonical := r.Method + "\n" + r.URL.EscapedPath() + "\n" + strings.Join(pairs, "&") + "\n"
	for _, name := range strings.Split(fields["SignedHeaders"], ";") {
		value := r.Header.Get(name)
		if name == "host" {
			value = r.Host
		}
		canonical += name + ":" + strings.TrimSpace(value) + "\n"
	}
	canonical += "\n" + fields["SignedHeaders"] + "\n" + payload
	sum = sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])))
	return fields["Signature"] == hex.EncodeToString(mac.Sum(nil)), fields["Credential"], fields["SignedHeaders"]
}

func aliyunSender(t *testing.T, g *gateway, body string) *SMS {
	t.Helper()
	s, err := NewSMS(SMSConfig{URL: g.URL + "/", AppID: "LTAIhall1", Secret: "aliyun-s3cret", Body: body,
		Platform: SMSPlatform{Name: SMSAliyun, SignName: "某区政务服务", Template: "SMS_000000001"}})
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Date(2026, 12, 2, 16, 30, 5, 0, time.UTC) }
	return s
}

func TestAliyunSendSms(t *testing.T) {
	g := newGateway(t)
	g.answer = `{"Message":"OK","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990","Code":"OK","BizId":"900619746936498440^0"}`
	s := aliyunSender(t, g, "")
	text := "【一窗通】您申请的「\"食品\"经营许可」已办结，请携身份证 & 受理单领取。"
	if err := s.Send(context.Background(), Message{To: "13812345678", Body: text, Ref: "n-42"}); err != nil {
		t.Fatal(err)
	}
	r, raw := g.last(t)
	if r.Method != http.MethodPost || r.URL.Path != "/" || len(raw) != 0 {
		t.Errorf("request %s %s with body %q", r.Method, r.URL, raw)
	}
	q := r.URL.Query()
	var param map[string]string
	if err := json.Unmarshal([]byte(q.Get("TemplateParam")), &param); err != nil {
		t.Fatalf("TemplateParam %q: %v", q.Get("TemplateParam"), err)
	}
	if q.Get("PhoneNumbers") != "13812345678" || q.Get("SignName") != "某区政务服务" || q.Get("TemplateCode") != "SMS_000000001" ||
		q.Get("OutId") != "n-42" || len(param) != 1 || param["content"] != "您申请的「\"食品\"经营许可」已办结，请携身份证 & 受理单领取。" {
		t.Errorf("parameters %v", q)
	}
	// Sent with the canonical query itself: sorted, RFC 3986, %20 for spaces.
	if strings.Contains(r.URL.RawQuery, "+") || !strings.HasPrefix(r.URL.RawQuery, "OutId=n-42&PhoneNumbers=") {
		t.Errorf("raw query %s", r.URL.RawQuery)
	}
	for name, want := range map[string]string{"x-acs-action": "SendSms", "x-acs-version": "2017-05-25", "x-acs-date": "2026-12-02T16:30:05Z"} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(r.Header.Get("x-acs-signature-nonce")) {
		t.Errorf("nonce %q", r.Header.Get("x-acs-signature-nonce"))
	}
	ok, id, signed := acs3Verify(t, r, raw, "aliyun-s3cret")
	if !ok || id != "LTAIhall1" || signed != "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version" {
		t.Errorf("signature does not verify on the platform's side (id %q, signed %q)\n%s", id, signed, r.Header.Get("Authorization"))
	}
	if ok, _, _ := acs3Verify(t, r, raw, "another-secret"); ok {
		t.Error("signature verifies with another secret")
	}
	// A second message: a new nonce (the platform refuses one it has seen).
	first := r.Header.Get("x-acs-signature-nonce")
	if err := s.Send(context.Background(), Message{To: "13812345678", Body: text, Ref: "n-43"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := g.last(t); r.Header.Get("x-acs-signature-nonce") == first {
		t.Error("the nonce was used twice")
	}
}

func TestAliyunBodyTemplateIsSigned(t *testing.T) {
	g := newGateway(t)
	s := aliyunSender(t, g, `PhoneNumbers={{urlquery .To}}&SignName=x&TemplateCode=SMS_2&OutId={{urlquery .Ref}}`)
	if err := s.Send(context.Background(), Message{To: "13812345678", Body: "x", Ref: "n-7"}); err != nil {
		t.Fatal(err)
	}
	r, raw := g.last(t)
	if string(raw) != "PhoneNumbers=13812345678&SignName=x&TemplateCode=SMS_2&OutId=n-7" || r.URL.RawQuery != "" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("request %s %q %q", r.URL, raw, r.Header.Get("Content-Type"))
	}
	ok, _, signed := acs3Verify(t, r, raw, "aliyun-s3cret")
	if !ok || !strings.HasPrefix(signed, "content-type;host;") {
		t.Errorf("the template's body is not signed (signed %q)", signed)
	}
}

func TestAliyunAnswers(t *testing.T) {
	g := newGateway(t)
	s := aliyunSender(t, g, "")
	m := Message{To: "13812345678", Body: "x", Ref: "n-1"}
	for _, tt := range []struct {
		status  int
		answer  string
		want    apperr.Code
		mention string
	}{
		{200, `{"Code":"OK","Message":"OK","RequestId":"r1"}`, "", ""},
		{200, `{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发天级流控Permits:10","RequestId":"r2"}`, apperr.Internal, "触发天级流控"},
		{200, `{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号"}`, apperr.Internal, "isv.MOBILE_NUMBER_ILLEGAL"},
		{200, `OK`, apperr.Internal, "not JSON"},
		{400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}`, apperr.Internal, "flow control"},
		{400, `{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}`, apperr.Invalid, "SignatureDoesNotMatch"},
		{404, `{"Code":"InvalidAccessKeyId.NotFound"}`, apperr.Invalid, "InvalidAccessKeyId"},
		{503, ``, apperr.Internal, "503"},
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
	}
	// Refused before any request: an e-mail address.
	if err := s.Send(context.Background(), Message{To: "a@example.cn", Body: "x"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("Send to an e-mail address = %v", err)
	}
}

func TestAliyunParamName(t *testing.T) {
	g := newGateway(t)
	s, err := NewSMS(SMSConfig{URL: g.URL, AppID: "id", Secret: "k",
		Platform: SMSPlatform{Name: SMSAliyun, SignName: "x", Template: "SMS_3", Param: "text"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Render(SMSRequest{To: "13812345678", Text: "您好"})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(string(b))
	if q.Get("TemplateParam") != `{"text":"您好"}` || q.Has("OutId") {
		t.Errorf("preview %s", b)
	}
}
