package hall_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

const padPath = "/pad/JC-ZWZX/A03"

// pairedPad pairs a tablet with window A03 of the district hall, as an
// admin does once, and returns it: nobody is signed in on it afterwards.
func (h *hall) pairedPad(t *testing.T) *browser {
	t.Helper()
	b := h.signIn(t, "admin")
	b.get(padPath).want(t, http.StatusForbidden, "退出登录")
	b.get(padPath+"/setup").want(t, http.StatusOK, "配置窗口评价器")
	p := b.post(padPath+"/setup", url.Values{})
	if p.status != http.StatusSeeOther || p.location != padPath {
		t.Fatalf("pair pad: %d → %q\n%s", p.status, p.location, p.body)
	}
	b.username = ""
	return b
}

// finish issues the rating token of a visit shouli finished at window and
// hands it to the window's pad, as the window console does.
func (h *hall) finish(t *testing.T, ticket, window string) string {
	t.Helper()
	ctx := h.as["shouli"]
	token, err := h.svc.RatingToken(ctx, ticket, window, "shouli", "JC-ZWZX")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.svc.SetPadPending(ctx, "JC-ZWZX", window, token, time.Time{}); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestRatingPad(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.browser(t).get(padPath).want(t, http.StatusUnauthorized, "管理员配置")
		pad := h.pairedPad(t)
		pad.get(padPath).want(t, http.StatusOK, "欢迎您", "data-poll=")
		pad.get(padPath+"/pending").want(t, http.StatusOK, `"pending":false`)
		h.browser(t).get(padPath+"/pending").want(t, http.StatusUnauthorized, `"pending":false`)

		token := h.finish(t, "T-0001", "A03")
		pad.get(padPath+"/pending").want(t, http.StatusOK, `"pending":true`)
		form := pad.get(padPath)
		form.want(t, http.StatusOK, "请对本次服务进行评价", "非常满意", "非常不满意", "不评价，谢谢", token)
		// Another device without the key learns nothing.
		h.browser(t).get(padPath).wantNot(t, token)

		// No level: refused next to the levels, the text kept.
		p := pad.post(padPath+"/rate", url.Values{"token": {token}, "text": {"很快"}})
		p.want(t, http.StatusUnprocessableEntity, `id="level-error"`, "很快", token)

		rate := url.Values{"token": {token}, "level": {"5"}, "tags": {"服务热情"}, "text": {"很快"}}
		pad.post(padPath+"/rate", rate).want(t, http.StatusOK, "感谢您的评价", "非常满意", "http-equiv=\"refresh\"")
		again := pad.post(padPath+"/rate", rate)
		again.want(t, http.StatusConflict, "已评价过")
		again.hasNot(t, "second rating", "感谢您的评价")
		pad.get(padPath).want(t, http.StatusOK, "欢迎您")

		// Skipping: the next visit goes back to waiting unrated.
		next := h.finish(t, "T-0002", "A03")
		pad.get(padPath).want(t, http.StatusOK, next)
		if p := pad.post(padPath+"/skip", url.Values{"token": {next}}); p.status != http.StatusSeeOther {
			t.Fatalf("skip: %d\n%s", p.status, p.body)
		}
		pad.get(padPath).want(t, http.StatusOK, "欢迎您")
		// A clerk signed in cannot rate for the applicant.
		clerk := h.signIn(t, "shouli")
		clerk.post(padPath+"/rate", url.Values{"token": {next}, "level": {"5"}}).want(t, http.StatusForbidden)
	})
}

var (
	ratingKey = regexp.MustCompile(`<output class="rating-key">([^<]+)</output>`)
	ratingID  = regexp.MustCompile(`<strong class="rating-id">(\d+)</strong>`)
)

func TestRatingOnlineAndRectification(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		n, code := h.wholeCase(t)

		// The delivery receipt's rating QR code waits on print_test.go's
		// image count (see the report); the page it leads to is this one.
		anon := h.browser(t)
		wrong := anon.get("/rate/" + n + "?code=000000")
		wrong.want(t, http.StatusNotFound, `id="code-error"`, "查询码不正确")
		anon.get("/rate/"+n+"?code="+code).want(t, http.StatusOK, "食品经营许可", `name="channel" value="qr"`)
		p := anon.post("/rate/"+n, url.Values{"code": {"000000"}, "channel": {"qr"}, "level": {"1"}})
		p.want(t, http.StatusNotFound, `id="code-error"`)

		rate := url.Values{"code": {code}, "channel": {"qr"}, "level": {"1"}, "tags": {"态度不好"}, "text": {"窗口态度差"},
			"real_name": {"1"}, "name": {"张三丰"}, "phone": {"13800138000"}}
		// Real name without a phone: refused next to the phone, typed text kept.
		bad := url.Values{}
		for k, v := range rate {
			bad[k] = v
		}
		bad.Set("phone", "12")
		anon.post("/rate/"+n, bad).want(t, http.StatusUnprocessableEntity, `id="phone-error"`, "窗口态度差", "张三丰")

		done := anon.post("/rate/"+n, rate)
		done.want(t, http.StatusOK, "评价已提交", "非常不满意", "核实整改并回访您")
		key, id := ratingKey.FindStringSubmatch(done.body), ratingID.FindStringSubmatch(done.body)
		if key == nil || id == nil {
			t.Fatalf("no key or id shown\n%s", done.body)
		}
		anon.post("/rate/"+n, rate).want(t, http.StatusConflict, "已评价过", "追加评价")
		anon.post("/rate/"+n+"/add", url.Values{"rating_id": {id[1]}, "key": {"ra_wrong"}, "add_text": {"补充"}}).
			want(t, http.StatusNotFound, `id="key-error"`, "补充")
		anon.post("/rate/"+n+"/add", url.Values{"rating_id": {id[1]}, "key": {key[1]}, "add_text": {"等了很久"}}).
			want(t, http.StatusOK, "追加评价已提交", "等了很久")

		// The rectification: listed for the rated department, red/yellow
		// first, its deadline in words.
		list, err := h.svc.Rectifications(h.as["jiandu"], service.RectificationFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("rectifications %v, %v", list, err)
		}
		x := list[0].Rectification
		cal, err := h.svc.Calendar(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		words := page.DueWords(cal, h.clk.Now(), x.Deadline)
		dept := h.signIn(t, "bumen")
		page := dept.get("/rectifications")
		page.want(t, http.StatusOK, fmt.Sprintf(`id="rect-%d"`, x.ID), words, "待整改", "非常不满意")
		dept.get("/rectifications?state=done").wantNot(t, fmt.Sprintf(`id="rect-%d"`, x.ID))
		h.signIn(t, "shenpi2").get("/rectifications").wantNot(t, fmt.Sprintf(`id="rect-%d"`, x.ID))
		h.signIn(t, "shouli").get("/rectifications").want(t, http.StatusForbidden)

		path := fmt.Sprintf("/rectifications/%d", x.ID)
		detail := dept.get(path)
		detail.want(t, http.StatusOK, "张**", "138****8000", "态度不好", "等了很久", `id="act-verify"`, `id="act-appeal"`)
		detail.wantNot(t, "张三丰", "13800138000", `id="act-uphold"`)

		dept.post(path+"/verify", url.Values{"version": {"1"}}).want(t, http.StatusUnprocessableEntity, `id="verify-note-error"`, "请填写核实情况")
		dept.follow(t, path+"/verify", url.Values{"version": {"1"}, "note": {"经查属实"}}).want(t, http.StatusOK, "整改中", "经查属实", `id="act-rectify"`)
		p = dept.post(path+"/rectify", url.Values{"version": {"2"}, "note": {"已批评教育"}})
		p.want(t, http.StatusUnprocessableEntity, `id="rectify-follow_up-error"`, "已批评教育")
		reported := dept.follow(t, path+"/rectify", url.Values{"version": {"2"}, "note": {"已批评教育"}, "follow_up": {"phone"}, "follow_up_result": {"评价人表示认可"}})
		reported.want(t, http.StatusOK, "待督查确认", "电话回访", "评价人表示认可")
		reported.wantNot(t, `id="act-`)
		// The supervisor closes it (rectification_confirm_test.go).
		h.signIn(t, "jiandu").follow(t, path+"/confirm", url.Values{}).want(t, http.StatusOK, "整改完成")

		// An appeal, upheld by a supervisor: a bad pad rating at the
		// GHZY window C01.
		token, err := h.svc.RatingToken(h.as["shouli"], "T-0100", "C01", "shouli", "JC-ZWZX")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.RateVisit(context.Background(), token, rating.Input{Level: rating.Dissatisfied, Channel: rating.Pad}); err != nil {
			t.Fatal(err)
		}
		list, _ = h.svc.Rectifications(h.as["jiandu"], service.RectificationFilter{State: rating.Open})
		if len(list) != 1 {
			t.Fatalf("open rectifications %d", len(list))
		}
		path2 := "/rectifications/" + strconv.FormatInt(list[0].Rectification.ID, 10)
		ghzy := h.signIn(t, "shenpi2")
		ghzy.follow(t, path2+"/appeal", url.Values{"note": {"申请人当日未到本窗口办理，属误评"}}).want(t, http.StatusOK, "申诉中")
		sup := h.signIn(t, "jiandu")
		sup.get(path2).want(t, http.StatusOK, `id="act-uphold"`, `id="act-reject"`)
		sup.follow(t, path2+"/uphold", url.Values{"note": {"经核查监控，属误评"}}).want(t, http.StatusOK, "申诉成立", "经核查监控，属误评")

		// Supervision: the rates of this month (the satisfaction tab).
		sv := sup.get("/supervision/ratings")
		sv.want(t, http.StatusOK, "江川区市场监督管理局", "实名差评整改率", `id="rates-clerk"`, "张晓梅")
		sv.wantNot(t, ">shouli<") // people by their real names
		row := sv.body[strings.Index(sv.body, "江川区市场监督管理局"):]
		row = row[:strings.Index(row, "</tr>")]
		for _, want := range []string{">1<", "0.0%", "100.0%"} {
			if !strings.Contains(row, want) {
				t.Errorf("SCJG row %q lacks %q", row, want)
			}
		}
		sup.get("/supervision/ratings?from=2026-13-01").want(t, http.StatusUnprocessableEntity, `id="from-error"`)
		dept.get("/supervision/ratings").want(t, http.StatusForbidden)
	})
}
