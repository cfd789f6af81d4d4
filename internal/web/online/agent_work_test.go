package online_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/service"
)

// TestAgentWorkPages: the community agent's work list shows the case the
// community station took in through her, with its deadline and what she
// waits for; she writes the applicant's service log (a refusal shows the
// message and keeps nothing); the street's agent manager sees his team
// and hands the applicant to a street agent, whose work list then
// carries her; the manager starts at 代办分派.
func TestAgentWorkPages(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		if err := h.svc.LoadDemoAgentIntakes(service.AsSystem(t.Context()), demo.AgentIntakes()); err != nil {
			t.Fatal(err)
		}
		lin := h.signIn(t, "daiban3")
		p := lin.get("/agent/work")
		p.want(t, http.StatusOK, "代办工作台", "林秀英", "江川区滨河街道柳荫社区便民服务站", "王秀兰", "最低生活保障审核确认",
			"等待部门受理", "受理期限", "承办的申请人", "期限提醒", "暂无提醒")
		m := regexp.MustCompile(`href="/agent/applicants/(\d+)"`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no applicant link:\n%s", p.body)
		}
		path := "/agent/applicants/" + m[1]

		lin.post(path+"/log", url.Values{"text": {" "}}).want(t, http.StatusUnprocessableEntity, "请填写代办事项", "暂无代办记录")
		p = lin.follow(t, path+"/log", url.Values{"text": {"上门收取家庭经济状况核对授权书"}})
		p.want(t, http.StatusOK, "已记入代办记录", "上门收取家庭经济状况核对授权书", "林秀英")

		ma := h.signIn(t, "daibanguanli")
		if p := ma.get("/"); p.status != http.StatusSeeOther || p.location != "/agent/team" {
			t.Errorf("the manager's home: %d %s", p.status, p.location)
		}
		ma.get("/agent/team").want(t, http.StatusOK, "代办分派", "江川区滨河街道为民服务中心", "孙磊", "郑晓燕", "林秀英", "王秀兰")
		ma.get(path).want(t, http.StatusOK, "上门收取家庭经济状况核对授权书", "返回代办分派")
		ma.post("/agent/team/assign", url.Values{"account_id": {m[1]}, "agent": {"daiban3"}, "reason": {"就近"}}).
			want(t, http.StatusUnprocessableEntity, "该申请人已由这位代办员承办，无需改派")
		p = ma.follow(t, "/agent/team/assign", url.Values{"account_id": {m[1]}, "agent": {"daiban"}, "reason": {"林秀英外出培训"}})
		p.want(t, http.StatusOK, "已将 王秀兰 改派给代办员 孙磊 承办（原由 林秀英 承办）", "林秀英外出培训")

		h.signIn(t, "daiban").get("/agent/work").want(t, http.StatusOK, "王秀兰")
		lin.get(path).want(t, http.StatusNotFound, "没有找到您承办的这位申请人")
		lin.get("/agent/work").want(t, http.StatusOK, "暂无承办的申请人")
	})
}
