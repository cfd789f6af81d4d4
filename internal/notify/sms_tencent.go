package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Tencent Cloud SMS, API 3.0 (SendSms of version 2021-01-11), signed with
// TC3-HMAC-SHA256 as Tencent's "签名方法 v3" describes it.
const (
	TencentSMSHost    = "sms.tencentcloudapi.com"
	TencentSMSRegion  = "ap-guangzhou"
	tencentSMSService = "sms"
	tencentSMSAction  = "SendSms"
	tencentSMSVersion = "2021-01-11"
	tc3Algorithm      = "TC3-HMAC-SHA256"
)

// tencentSendSms is SendSms's request body.
type tencentSendSms struct {
	PhoneNumberSet   []string
	SmsSdkAppId      string
	SignName         string
	TemplateId       string
	TemplateParamSet []string
	SessionContext   string `json:",omitempty"`
}

// tencentBody is the SendSms body for r: the whole text as the template's
// one variable, the reference as SessionContext (echoed by receipts).
func (s *SMS) tencentBody(r SMSRequest) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(tencentSendSms{
		PhoneNumberSet:   []string{tencentPhone(r.To)},
		SmsSdkAppId:      s.cfg.Platform.SdkAppID,
		SignName:         s.cfg.Platform.SignName,
		TemplateId:       s.cfg.Platform.Template,
		TemplateParamSet: []string{platformText(r.Text)},
		SessionContext:   r.Ref,
	})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// tencentRequest returns the signed SendSms request carrying body.
func (s *SMS) tencentRequest(ctx context.Context, at time.Time, body []byte) (*http.Request, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	hr.Header.Set("Content-Type", s.cfg.ContentType)
	hr.Header.Set("X-TC-Action", tencentSMSAction)
	hr.Header.Set("X-TC-Version", tencentSMSVersion)
	hr.Header.Set("X-TC-Timestamp", ts)
	hr.Header.Set("X-TC-Region", s.cfg.Platform.Region)
	// Content-Type and Host are the two headers Tencent requires in the
	// signature; the action is signed too (as the current documentation
	// does) so that a captured request cannot be replayed as another call.
	signed := map[string]string{
		"content-type": s.cfg.ContentType,
		"host":         hr.URL.Host,
		"x-tc-action":  tencentSMSAction,
	}
	canonical, names := TC3CanonicalRequest(http.MethodPost, hr.URL.EscapedPath(), hr.URL.RawQuery, signed, body)
	hr.Header.Set("Authorization", TC3Authorization(s.cfg.AppID, s.cfg.Secret, tencentSMSService, at.Unix(), names, canonical))
	return hr, nil
}

// TC3CanonicalRequest returns the canonical request of TC3-HMAC-SHA256 and
// its signed-header list: the method, the path ("/" when empty), the query,
// each header as lowercase "name:value" sorted by name (the value trimmed
// and lowercased too, as Tencent specifies), the names joined by ";", and
// the hex SHA-256 of the payload.
func TC3CanonicalRequest(method, path, query string, headers map[string]string, payload []byte) (canonical, signedHeaders string) {
	if path == "" {
		path = "/"
	}
	names := make([]string, 0, len(headers))
	lower := make(map[string]string, len(headers))
	for k, v := range headers {
		k = strings.ToLower(strings.TrimSpace(k))
		names = append(names, k)
		lower[k] = strings.ToLower(strings.TrimSpace(v))
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString(method + "\n" + path + "\n" + query + "\n")
	for _, k := range names {
		b.WriteString(k + ":" + lower[k] + "\n")
	}
	signedHeaders = strings.Join(names, ";")
	b.WriteString("\n" + signedHeaders + "\n" + sha256Hex(payload))
	return b.String(), signedHeaders
}

// TC3Signature returns the hex signature of a canonical request made at
// unix time ts for service: the string to sign is the algorithm, the time,
// the credential scope (UTC date/service/tc3_request) and the canonical
// request's hash; the key is derived from "TC3"+secretKey through the
// date, the service and "tc3_request".
func TC3Signature(secretKey, service string, ts int64, canonical string) string {
	date := time.Unix(ts, 0).UTC().Format(time.DateOnly)
	toSign := tc3Algorithm + "\n" + strconv.FormatInt(ts, 10) + "\n" + tc3Scope(date, service) + "\n" + sha256Hex([]byte(canonical))
	key := hmacSHA256([]byte("TC3"+secretKey), date)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, "tc3_request")
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

// TC3Authorization returns the Authorization header of a request signed
// with TC3-HMAC-SHA256.
func TC3Authorization(secretID, secretKey, service string, ts int64, signedHeaders, canonical string) string {
	date := time.Unix(ts, 0).UTC().Format(time.DateOnly)
	return fmt.Sprintf("%s Credential=%s/%s, SignedHeaders=%s, Signature=%s",
		tc3Algorithm, secretID, tc3Scope(date, service), signedHeaders, TC3Signature(secretKey, service, ts, canonical))
}

func tc3Scope(date, service string) string { return date + "/" + service + "/tc3_request" }

// tencentAnswer reads SendSms's answer (HTTP 200 for refusals too): sent
// only when the one number's status is "Ok".
func tencentAnswer(answer []byte) error {
	var a struct {
		Response struct {
			Error *struct {
				Code, Message string
			}
			SendStatusSet []struct {
				Code, Message string
			}
			RequestId string
		}
	}
	if err := json.Unmarshal(answer, &a); err != nil {
		return fmt.Errorf("tencent answer is not JSON: %s", snippet(answer))
	}
	r := a.Response
	switch {
	case r.Error != nil:
		return fmt.Errorf("tencent %s: %s (request %s)", r.Error.Code, r.Error.Message, r.RequestId)
	case len(r.SendStatusSet) == 0:
		return fmt.Errorf("tencent answer has no send status: %s", snippet(answer))
	case r.SendStatusSet[0].Code != "Ok":
		st := r.SendStatusSet[0]
		return fmt.Errorf("tencent %s: %s (request %s)", st.Code, st.Message, r.RequestId)
	}
	return nil
}

// tencentPhone writes a number as Tencent wants it, +country code first:
// an 11-digit mainland mobile number gets +86, "00" becomes "+", and any
// other number is taken to start with its country code.
func tencentPhone(to string) string {
	switch {
	case strings.HasPrefix(to, "+"):
		return to
	case len(to) == 11 && to[0] == '1':
		return "+86" + to
	}
	return "+" + strings.TrimPrefix(to, "00")
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}
