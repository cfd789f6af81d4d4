package hall_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
)

// TestRectificationConfirmedBySupervisor: a department's report of a
// rectification done waits as 待督查确认; the department can no longer
// act on it, the supervisor is told of it, sends it back with a reason
// (refused without one) or confirms it closed. People and the department
// are named, never by username or code.
func TestRectificationConfirmedBySupervisor(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		token, err := h.svc.RatingToken(h.as["shouli"], "T-0200", "C01", "shouli", "JC-ZWZX")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.RateVisit(context.Background(), token, rating.Input{Level: rating.Dissatisfied, Channel: rating.Pad}); err != nil {
			t.Fatal(err)
		}
		list, err := h.svc.Rectifications(h.as["jiandu"], service.RectificationFilter{State: rating.Open})
		if err != nil || len(list) != 1 {
			t.Fatalf("open rectifications: %v, %v", list, err)
		}
		path := fmt.Sprintf("/rectifications/%d", list[0].Rectification.ID)
		row := fmt.Sprintf(`id="rect-%d"`, list[0].Rectification.ID)

		dept := h.signIn(t, "shenpi2")
		dept.follow(t, path+"/verify", url.Values{"note": {"经查属实"}}).want(t, http.StatusOK, "整改中")
		p := dept.follow(t, path+"/rectify", url.Values{"note": {"已调整窗口排班"}})
		p.want(t, http.StatusOK, "待督查确认", "被评价方报告：整改完成", `id="rect-confirming"`, "江川区规划和自然资源局", "周海燕", "张晓梅")
		p.wantNot(t, `id="act-`, "shenpi2", ">GHZY<", "部门 GHZY")
		dept.post(path+"/confirm", url.Values{}).want(t, http.StatusForbidden, "被评价方不能自行办结")

		sup := h.signIn(t, "jiandu")
		p = sup.get("/rectifications")
		p.want(t, http.StatusOK, `id="to-confirm"`, "待您确认的整改单 1 件", row, "待督查确认（报告：整改完成）", "江川区规划和自然资源局")
		sup.get("/rectifications?state=confirming").want(t, http.StatusOK, row)
		sup.get("/rectifications?state=done").wantNot(t, row)
		p = sup.get(path)
		p.want(t, http.StatusOK, `id="act-confirm"`, `id="act-send-back"`, "退回理由", "确认意见（选填）")
		sup.post(path+"/send-back", url.Values{}).want(t, http.StatusUnprocessableEntity, `id="send-back-note-error"`, "请填写退回整改的理由")
		sup.follow(t, path+"/send-back", url.Values{"note": {"未回访评价人"}}).want(t, http.StatusOK, "整改中", "未回访评价人", "退回整改")

		dept.follow(t, path+"/rectify", url.Values{"note": {"已调整排班并电话回访"}}).want(t, http.StatusOK, "待督查确认")
		p = sup.follow(t, path+"/confirm", url.Values{"note": {"措施到位"}})
		p.want(t, http.StatusOK, "状态：<strong>整改完成</strong>", "确认办结", "<td>赵敏</td>", "<td>周海燕</td>", "<td>系统</td>")
		p.wantNot(t, `id="act-`, `id="rect-confirming"`, "<td>jiandu</td>", "<td>shenpi2</td>", "<td>system</td>")
		sup.get("/rectifications?state=done").want(t, http.StatusOK, row)
	})
}
