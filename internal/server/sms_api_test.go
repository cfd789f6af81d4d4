package server_test

import (
	"net/http"
	"testing"
)

// TestSMSTemplatesAPI: the bureau admin lists, previews and sets the text
// message templates through the API; a clerk may not, a broken or unknown
// template is refused and changes nothing.
func TestSMSTemplatesAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		mine := map[string]string{"template": "【某区政务服务】{{.Number}} 已受理。"}
		f.run(t, []scenario{
			{name: "list", method: "GET", path: "/api/v1/sms/templates", user: "admin", want: http.StatusOK,
				check: contains(`"kind":"return"`, `"default":"【一窗通】{{.Body}}{{with .Link}}通知书：{{.}}{{end}}"`, `"segments":`)},
			{name: "a clerk may not list", method: "GET", path: "/api/v1/sms/templates", user: "intake", want: http.StatusForbidden},
			{name: "anonymous", method: "GET", path: "/api/v1/sms/templates", want: http.StatusUnauthorized},
			{name: "preview", method: "POST", path: "/api/v1/sms/templates/accept/preview", user: "admin", body: mine, want: http.StatusOK,
				check: contains(`"text":"【某区政务服务】20261202000001 已受理。"`, `"segments":1`)},
			{name: "a broken template", method: "PUT", path: "/api/v1/sms/templates/accept", user: "admin",
				body: map[string]string{"template": "{{.Number"}, want: http.StatusUnprocessableEntity},
			{name: "an unknown kind", method: "PUT", path: "/api/v1/sms/templates/nosuch", user: "admin", body: mine, want: http.StatusUnprocessableEntity},
			{name: "a clerk may not set", method: "PUT", path: "/api/v1/sms/templates/accept", user: "intake", body: mine, want: http.StatusForbidden},
			{name: "set", method: "PUT", path: "/api/v1/sms/templates/accept", user: "admin", body: mine, want: http.StatusOK,
				check: contains(`"custom":true`, `"updated_by":"刘志强"`)},
			{name: "a receipt unsigned", method: "POST", path: "/api/v1/sms/receipts", body: `{"out_id":"n-1","success":true}`, want: http.StatusUnauthorized},
		})
	})
}
