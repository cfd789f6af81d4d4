package server_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestDeadlinePolicyAPI: the policy in force is public; only the bureau
// admin publishes, on the version it read; invalid policies are refused
// field by field and change nothing; the page's form and the API publish
// the same record through the same use case.
func TestDeadlinePolicyAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		edit := map[string]any{"base_version": 1, "accept_days": 3, "prereview_days": 3, "correct_days": 2, "archive_days": 2,
			"split": "13:00", "handover_same_day": "16:30", "handover_next_day": "09:30", "note": "按新方案调整"}
		with := func(k string, v any) map[string]any {
			out := map[string]any{}
			for key, x := range edit {
				out[key] = x
			}
			out[k] = v
			return out
		}
		f.run(t, []scenario{
			{name: "in force, anonymous", method: "GET", path: "/api/v1/deadline-policy", want: 200, check: func(t *testing.T, r *response) {
				got := decode[casework.PublishedPolicy](t, r)
				if got.Policy != casework.DefaultPolicy() {
					t.Errorf("policy in force = %+v; want version 1", got)
				}
			}},
			{name: "versions, anonymous", method: "GET", path: "/api/v1/deadline-policy/versions", want: 401},
			{name: "versions, intake", method: "GET", path: "/api/v1/deadline-policy/versions", user: "intake", want: 403},
			{name: "publish, anonymous", method: "POST", path: "/api/v1/deadline-policy", body: edit, want: 401},
			{name: "publish, department admin", method: "POST", path: "/api/v1/deadline-policy", body: edit, user: "dept_admin",
				want: 403, check: wantProblem("forbidden", "无权修改期限规则")},
			{name: "publish, supervisor", method: "POST", path: "/api/v1/deadline-policy", body: edit, user: "supervisor", want: 403},
			{name: "zero acceptance days", method: "POST", path: "/api/v1/deadline-policy", body: with("accept_days", 0), user: "admin",
				want: 422, check: wantProblem("invalid", "受理期限须为 1 至 20 个工作日", "accept_days")},
			{name: "split not a time", method: "POST", path: "/api/v1/deadline-policy", body: with("split", "noon"), user: "admin",
				want: 422, check: wantProblem("invalid", "时间格式须为 HH:MM", "split")},
			{name: "handover after the close", method: "POST", path: "/api/v1/deadline-policy", body: with("handover_next_day", "17:30"), user: "admin",
				want: 422, check: wantProblem("invalid", "下午收件的交接时间不能晚于下班时间 17:00", "handover_next_day")},
			{name: "no base version", method: "POST", path: "/api/v1/deadline-policy", body: with("base_version", 0), user: "admin",
				want: 422, check: wantProblem("invalid", "请注明在哪一版期限规则上修改", "base_version")},
			{name: "publish", method: "POST", path: "/api/v1/deadline-policy", body: edit, user: "admin",
				before: func() { f.clk.Advance(time.Hour) }, want: 201, check: func(t *testing.T, r *response) {
					if got := decode[casework.Policy](t, r); got.Version != 2 || got.AcceptDays != 3 || got.Split.String() != "13:00" {
						t.Errorf("published %+v", got)
					}
				}},
			{name: "publish on a stale version", method: "POST", path: "/api/v1/deadline-policy", body: edit, user: "admin",
				want: 409, check: wantProblem("conflict", "期限规则已被他人修改（当前为第 2 版，您编辑的是第 1 版），请刷新后重试")},
			{name: "versions, supervisor", method: "GET", path: "/api/v1/deadline-policy/versions", user: "supervisor", want: 200,
				check: func(t *testing.T, r *response) {
					got := decode[struct{ Versions []casework.PublishedPolicy }](t, r).Versions
					if len(got) != 2 || got[0].Version != 2 || got[0].PublisherName == "" || got[0].Note != "按新方案调整" || got[1].Version != 1 {
						t.Errorf("versions = %+v", got)
					}
				}},
		})
		apiRecord := dump(t, f.st.DB(), policyRecord+` WHERE version = 2`)

		// The same edit through the admin page's form makes the same record.
		admin := f.user(t, "admin")
		form := url.Values{"base_version": {"2"}, "accept_days": {"3"}, "prereview_days": {"3"}, "correct_days": {"2"}, "archive_days": {"2"},
			"split": {"13:00"}, "handover_same_day": {"16:30"}, "handover_next_day": {"09:30"}, "note": {"按新方案调整"}}
		f.run(t, []scenario{
			{name: "page sign-in", method: "POST", path: "/login", browser: "admin",
				body: url.Values{"username": {admin.Username}, "password": {admin.Password}}, want: 303},
			{name: "page publish", method: "POST", path: "/admin/policy", browser: "admin", body: form,
				want: http.StatusSeeOther, check: redirectsTo("/admin/policy")},
		})
		if pageRecord := dump(t, f.st.DB(), policyRecord+` WHERE version = 3`); pageRecord != apiRecord {
			t.Errorf("the page published\n%s\nthe API\n%s", pageRecord, apiRecord)
		}
	})
}

// policyRecord reads a policy version without its number and time.
const policyRecord = `SELECT accept_days, prereview_days, correct_days, archive_days, split, handover_same_day,
	handover_next_day, note, published_by FROM deadline_policies`
