package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Alibaba Cloud SMS (dysmsapi SendSms of version 2017-05-25), signed with
// the V3 signature ACS3-HMAC-SHA256 as Alibaba Cloud's "V3版本请求体&签名机制"
// describes it.
const (
	AliyunSMSHost    = "dysmsapi.aliyuncs.com"
	AliyunSMSParam   = "content"
	aliyunSMSAction  = "SendSms"
	aliyunSMSVersion = "2017-05-25"
	acs3Algorithm    = "ACS3-HMAC-SHA256"
)

// aliyunParams are SendSms's parameters for r, sent in the query string as
// Alibaba Cloud's own SDK sends an RPC call: the whole text as the
// template's one variable (named by the Param setting), the reference as
// OutId (echoed by receipts as out_id).
func (s *SMS) aliyunParams(r SMSRequest) (url.Values, error) {
	param, err := json.Marshal(map[string]string{s.cfg.Platform.Param: platformText(r.Text)})
	if err != nil {
		return nil, err
	}
	v := url.Values{
		"PhoneNumbers":  {r.To},
		"SignName":      {s.cfg.Platform.SignName},
		"TemplateCode":  {s.cfg.Platform.Template},
		"TemplateParam": {string(param)},
	}
	if r.Ref != "" {
		v.Set("OutId", r.Ref)
	}
	return v, nil
}

// aliyunRequest returns the signed SendSms request: the parameters in the
// query, body (a body template's output) as the payload when there is one.
func (s *SMS) aliyunRequest(ctx context.Context, at time.Time, query url.Values, body []byte) (*http.Request, error) {
	u, err := url.Parse(s.cfg.URL)
	if err != nil {
		return nil, err
	}
	u.RawQuery = ACS3Query(query)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	headers := map[string]string{
		"host":                  u.Host,
		"x-acs-action":          aliyunSMSAction,
		"x-acs-version":         aliyunSMSVersion,
		"x-acs-date":            at.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": acs3Nonce(),
		"x-acs-content-sha256":  sha256Hex(body),
	}
	if len(body) > 0 {
		headers["content-type"] = s.cfg.ContentType
	}
	for k, v := range headers {
		if k != "host" {
			hr.Header.Set(k, v)
		}
	}
	hr.Header.Set("Accept", "application/json")
	canonical, names := ACS3CanonicalRequest(http.MethodPost, u.EscapedPath(), u.RawQuery, headers, body)
	hr.Header.Set("Authorization", ACS3Authorization(s.cfg.AppID, s.cfg.Secret, names, canonical))
	return hr, nil
}

// ACS3Query returns the canonical query string of the V3 signature: the
// parameters sorted by name, name and value each percent-encoded per RFC
// 3986 (space as %20, * as %2A, ~ left as it is), joined by "&". The
// request is sent with exactly this query so that both sides agree.
func ACS3Query(v url.Values) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(v)) {
		for _, val := range v[k] {
			parts = append(parts, acs3Escape(k)+"="+acs3Escape(val))
		}
	}
	return strings.Join(parts, "&")
}

func acs3Escape(s string) string {
	// QueryEscape already leaves A–Z a–z 0–9 - _ . ~ alone and escapes * as
	// %2A; only its + for a space differs from RFC 3986.
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// ACS3CanonicalRequest returns the canonical request of ACS3-HMAC-SHA256
// and its signed-header list: the method, the path ("/" when empty), the
// canonical query, each header as "name:value" with the name lowercased
// and the value trimmed, sorted by name, the names joined by ";", and the
// hex SHA-256 of the payload.
func ACS3CanonicalRequest(method, path, query string, headers map[string]string, payload []byte) (canonical, signedHeaders string) {
	if path == "" {
		path = "/"
	}
	names := make([]string, 0, len(headers))
	values := make(map[string]string, len(headers))
	for k, v := range headers {
		k = strings.ToLower(strings.TrimSpace(k))
		names = append(names, k)
		values[k] = strings.TrimSpace(v)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString(method + "\n" + path + "\n" + query + "\n")
	for _, k := range names {
		b.WriteString(k + ":" + values[k] + "\n")
	}
	signedHeaders = strings.Join(names, ";")
	b.WriteString("\n" + signedHeaders + "\n" + sha256Hex(payload))
	return b.String(), signedHeaders
}

// ACS3Signature returns the hex HMAC-SHA256, keyed with the AccessKey
// secret, of "ACS3-HMAC-SHA256\n" and the canonical request's hash.
func ACS3Signature(secret, canonical string) string {
	return hex.EncodeToString(hmacSHA256([]byte(secret), acs3Algorithm+"\n"+sha256Hex([]byte(canonical))))
}

// ACS3Authorization returns the Authorization header of a request signed
// with ACS3-HMAC-SHA256.
func ACS3Authorization(keyID, secret, signedHeaders, canonical string) string {
	return fmt.Sprintf("%s Credential=%s,SignedHeaders=%s,Signature=%s",
		acs3Algorithm, keyID, signedHeaders, ACS3Signature(secret, canonical))
}

// acs3Nonce is the request's unique x-acs-signature-nonce (128 random bits):
// the platform refuses a nonce it has seen, so a captured request cannot be
// replayed.
func acs3Nonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// aliyunThrottled reports whether an answer is Alibaba Cloud's flow
// control ("Throttling", "Throttling.User" …), which its gateway may send
// as a 400 rather than a 429, although waiting cures it.
func aliyunThrottled(answer []byte) bool {
	var a struct{ Code string }
	return json.Unmarshal(answer, &a) == nil && strings.HasPrefix(a.Code, "Throttling")
}

// aliyunAnswer reads SendSms's answer: sent only when Code is "OK".
func aliyunAnswer(answer []byte) error {
	var a struct {
		Code, Message, RequestId string
	}
	if err := json.Unmarshal(answer, &a); err != nil {
		return fmt.Errorf("aliyun answer is not JSON: %s", snippet(answer))
	}
	if a.Code != "OK" {
		return fmt.Errorf("aliyun %s: %s (request %s)", a.Code, a.Message, a.RequestId)
	}
	return nil
}
