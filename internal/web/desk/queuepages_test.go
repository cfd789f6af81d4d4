package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// queueStart is a Wednesday morning inside the demo categories' issuing
// hours (09:00–11:30).
var queueStart = time.Date(2026, 9, 30, 9, 30, 0, 0, clock.Shanghai)

func TestKioskTakesATicket(t *testing.T) {
	eachHall(t, queueStart, func(t *testing.T, h *hall) {
		h.withQueue(t)
		kiosk := h.browser(t)
		kiosk.get("/kiosk/JC-ZWZX").want(t, http.StatusOK, "江川区政务服务中心", "自助取号", "企业开办与经营许可", "不动产登记",
			"社保医保", "工程建设", "综合咨询", `name="category" value="A"`, "等候 <strong>0</strong> 人", "老年人优先", "军人优先")
		kiosk.get("/kiosk/NOPE").want(t, http.StatusNotFound)

		path, id := takeAtKiosk(t, kiosk, url.Values{"category": {"A"}, "id_number": {"11010519491231002x"}, "priority": {"elderly"}})
		p := kiosk.get(path)
		p.want(t, http.StatusOK, `id="ticket-number">A001</p>`, "企业开办与经营许可", "老年人优先", "您前面还有 <strong>0</strong> 人等候",
			"2026-09-30 09:30", `class="qr" src="data:image/png;base64,`, "110105********002X")
		p.wantNot(t, "11010519491231002X")

		// The QR code's page: the ticket's state and place, with its token only.
		follow := strings.Replace(path, "/kiosk/JC-ZWZX/ticket/", "/queue/ticket/", 1)
		h.browser(t).get(follow).want(t, http.StatusOK, `id="ticket-number">A001</p>`, "等候中", "前面还有 <strong>0</strong> 人")
		h.browser(t).get("/queue/ticket/"+strconv.FormatInt(id, 10)).want(t, http.StatusNotFound, "排队号不存在或链接已失效")
		h.browser(t).get("/queue/ticket/"+strconv.FormatInt(id, 10)+"?t=tf_guess").want(t, http.StatusNotFound)

		// A second ticket waits behind the first.
		path2, _ := takeAtKiosk(t, kiosk, url.Values{"category": {"A"}})
		kiosk.get(path2).want(t, http.StatusOK, `id="ticket-number">A002</p>`, "您前面还有 <strong>1</strong> 人等候")
		kiosk.get("/kiosk/JC-ZWZX").want(t, http.StatusOK, "等候 <strong>2</strong> 人")

		// The same ID again while its ticket is open: refused, the ID not shown again.
		r := kiosk.post("/kiosk/JC-ZWZX", url.Values{"category": {"B"}, "id_number": {"11010519491231002X"}})
		r.want(t, http.StatusConflict, `class="alert"`)
		r.wantNot(t, "11010519491231002X")
		// A wrong ID: the message by the field, kept to correct.
		kiosk.post("/kiosk/JC-ZWZX", url.Values{"category": {"B"}, "id_number": {"110105194912310021"}}).
			want(t, http.StatusUnprocessableEntity, "校验位不正确", `value="110105194912310021"`)
		// The phone for a text when the turn is near: offered, a wrong one
		// kept by its message, the ID typed with it not.
		kiosk.get("/kiosk/JC-ZWZX").want(t, http.StatusOK, `name="phone"`, "前面只剩 3 位时发一条短信")
		r = kiosk.post("/kiosk/JC-ZWZX", url.Values{"category": {"B"}, "id_number": {"110105198001010016"}, "phone": {"1380013"}})
		r.want(t, http.StatusUnprocessableEntity, "手机号码须为 11 位手机号", `value="1380013"`)
		r.wantNot(t, "110105198001010016")
		path3, _ := takeAtKiosk(t, kiosk, url.Values{"category": {"B"}, "phone": {"13800138000"}})
		p3 := kiosk.get(path3)
		p3.want(t, http.StatusOK, `id="ticket-number">B001</p>`)
		p3.wantNot(t, "13800138000", "138****8000")
	})
}

func TestKioskOutsideIssuingHours(t *testing.T) {
	eachHall(t, time.Date(2026, 9, 30, 12, 0, 0, 0, clock.Shanghai), func(t *testing.T, h *hall) {
		h.withQueue(t)
		h.browser(t).post("/kiosk/JC-ZWZX", url.Values{"category": {"C"}}).
			want(t, http.StatusConflict, "现在不在“社保医保”的取号时段内（09:00–11:30、13:30–16:30）")
		// National Day: no working day.
		h.clk.Set(time.Date(2026, 10, 1, 10, 0, 0, 0, clock.Shanghai))
		h.browser(t).post("/kiosk/JC-ZWZX", url.Values{"category": {"C"}}).want(t, http.StatusConflict, "不是工作日")
	})
}

func TestWindowConsole(t *testing.T) {
	eachHall(t, queueStart, func(t *testing.T, h *hall) {
		h.withQueue(t)
		kiosk := h.browser(t)
		_, first := takeAtKiosk(t, kiosk, url.Values{"category": {"A"}})
		takeAtKiosk(t, kiosk, url.Values{"category": {"A"}})
		takeAtKiosk(t, kiosk, url.Values{"category": {"D"}})

		clerk := h.signIn(t, "shouli")
		clerk.get("/window").want(t, http.StatusOK, "请选择您所在的窗口", `href="/window?w=A01"`)
		clerk.get("/window?w=A01").want(t, http.StatusOK, `id="window-open">暂停`, "企业开办与经营许可：<strong>2</strong> 人")
		clerk.get("/window?w=A01").wantNot(t, "工程建设：") // A01 calls category A only

		// Calling before opening the window is refused.
		clerk.post("/window/A01/call", nil).want(t, http.StatusConflict, "A01窗口已暂停")

		opened := clerk.follow(t, "/window/A01/resume", nil)
		opened.want(t, http.StatusOK, "A01 窗口已开窗", `id="window-open">叫号中`, "登录人员 张晓梅")
		opened.wantNot(t, "登录人员 shouli")
		p := clerk.follow(t, "/window/A01/call", nil)
		p.want(t, http.StatusOK, "已叫号 A001", `id="current-number">A001`, `id="current-state">已叫号`, `id="recalls-left">2</span>`,
			"企业开办与经营许可：<strong>1</strong> 人")
		// The console remembers the window.
		clerk.get("/window").want(t, http.StatusOK, `id="current-number">A001`)

		clerk.follow(t, "/window/A01/recall", nil).want(t, http.StatusOK, "已重呼 A001（第 1 次）", `id="recalls-left">1</span>`)
		clerk.follow(t, "/window/A01/recall", nil).want(t, http.StatusOK, `id="recalls-left">0</span>`)
		clerk.post("/window/A01/recall", nil).want(t, http.StatusConflict, "达到上限")

		clerk.follow(t, "/window/A01/start", nil).want(t, http.StatusOK, "开始办理 A001", `id="current-state">办理中`, `id="case-desk"`)

		// An intake during service links its case to the ticket.
		r := clerk.post("/intake/SCJG-XK-001", restaurantForm())
		m := caseLocation.FindStringSubmatch(r.location)
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("intake: %d → %q\n%s", r.status, r.location, r.body)
		}
		clerk.get(r.location).want(t, http.StatusOK, "已关联排队号 A001")
		tv, err := h.svc.Ticket(h.as["shouli"], first)
		if err != nil {
			t.Fatal(err)
		}
		if len(tv.Cases) != 1 || tv.Cases[0] != m[1] {
			t.Errorf("ticket A001 cases = %v, want [%s]", tv.Cases, m[1])
		}
		clerk.get("/window?w=A01").want(t, http.StatusOK, `href="/cases/`+m[1]+`"`)

		done := clerk.follow(t, "/window/A01/finish", nil)
		done.want(t, http.StatusOK, "A001 已办结", "评价器已就绪", `href="/pad/JC-ZWZX/A01"`, "当前没有已叫的号")
		if tv, _ := h.svc.Ticket(h.as["shouli"], first); tv.Ticket.State != "done" {
			t.Errorf("A001 is %s after finish", tv.Ticket.State)
		}

		// Next: A002, then marked no-show with a preset reason.
		clerk.follow(t, "/window/A01/call", nil).want(t, http.StatusOK, `id="current-number">A002`)
		clerk.follow(t, "/window/A01/no-show", url.Values{"reason": {"absent"}}).want(t, http.StatusOK, "A002 已标记过号：叫号未到")
		clerk.post("/window/A01/call", nil).want(t, http.StatusNotFound, "A01窗口服务的类别暂无等候的号")
		// A002 arrives late: requeued once by its number, then called again;
		// a second requeue is refused next to the number, which stays typed.
		clerk.post("/window/A01/requeue", url.Values{"ticket": {"A999"}}).want(t, http.StatusNotFound, "今天没有 A999 号", `value="A999"`)
		clerk.follow(t, "/window/A01/requeue", url.Values{"ticket": {"a002"}}).want(t, http.StatusOK, "A002 号已重新排队")
		clerk.follow(t, "/window/A01/call", nil).want(t, http.StatusOK, `id="current-number">A002`)
		clerk.follow(t, "/window/A01/no-show", url.Values{"reason": {"absent"}}).want(t, http.StatusOK, "A002 已标记过号")
		clerk.post("/window/A01/requeue", url.Values{"ticket": {"A002"}}).want(t, http.StatusConflict)
		clerk.follow(t, "/window/A01/pause", nil).want(t, http.StatusOK, `id="window-open">暂停`)

		// Other roles have no window.
		h.signIn(t, "shenpi").get("/window").want(t, http.StatusForbidden)
	})
}

func TestTwoWindowsNeverCallTheSameTicket(t *testing.T) {
	eachHall(t, queueStart, func(t *testing.T, h *hall) {
		h.withQueue(t)
		kiosk := h.browser(t)
		takeAtKiosk(t, kiosk, url.Values{"category": {"A"}})
		takeAtKiosk(t, kiosk, url.Values{"category": {"A"}})

		a := h.signIn(t, "shouli")
		b := h.signIn(t, "chujian")
		a.follow(t, "/window/A01/resume", nil)
		b.follow(t, "/window/A02/resume", nil)
		// The other clerk's window is not one's own.
		b.post("/window/A01/call", nil).want(t, http.StatusForbidden, "A01窗口由 shouli 登录使用")

		pa := a.follow(t, "/window/A01/call", nil)
		pb := b.follow(t, "/window/A02/call", nil)
		pa.want(t, http.StatusOK, `id="current-number">A001`)
		pb.want(t, http.StatusOK, `id="current-number">A002`)

		// Transfer A002 to window A01: it waits for A01 only.
		b.follow(t, "/window/A02/transfer", url.Values{"to": {"window:A01"}}).want(t, http.StatusOK, "A002 已转办")
		b.post("/window/A02/call", nil).want(t, http.StatusNotFound, "暂无等候的号")
		a.follow(t, "/window/A01/start", nil)
		a.follow(t, "/window/A01/finish", nil)
		a.follow(t, "/window/A01/call", nil).want(t, http.StatusOK, `id="current-number">A002`)
	})
}

func TestQueueAdmin(t *testing.T) {
	eachHall(t, queueStart, func(t *testing.T, h *hall) {
		h.withQueue(t)
		admin := h.signIn(t, "admin")
		admin.get("/admin/queue?hall=JC-ZWZX").want(t, http.StatusOK, `id="category-A"`, "企业开办与经营许可", "09:00–11:30、13:30–16:30",
			`id="window-C01"`, `name="categories" value="B" checked`)

		p := admin.follow(t, "/admin/queue/categories", url.Values{"hall": {"JC-ZWZX"}, "code": {"G"}, "name": {"公积金"},
			"prefix": {"g"}, "hours": {"09:00-11:30, 14:00-16:00"}, "daily_cap": {"80"}, "items": {"RSJ-GG-001"}})
		p.want(t, http.StatusOK, "已添加取号类别 G 公积金（号码前缀 G）", `id="category-G"`, "14:00–16:00")
		h.browser(t).get("/kiosk/JC-ZWZX").want(t, http.StatusOK, "公积金")

		admin.post("/admin/queue/categories", url.Values{"hall": {"JC-ZWZX"}, "code": {"H"}, "name": {"x"}, "prefix": {"G"},
			"hours": {"09:00-11:30"}, "daily_cap": {"80"}}).want(t, http.StatusConflict, `value="H"`)
		admin.post("/admin/queue/categories", url.Values{"hall": {"JC-ZWZX"}, "code": {"H"}, "name": {"x"}, "prefix": {"h1"},
			"hours": {"11:00-10:00"}, "daily_cap": {"0"}}).want(t, http.StatusUnprocessableEntity, "号码前缀须为 1 至 2 个大写字母",
			"每日放号上限须在 1 至 999 之间", "取号时段的结束须晚于开始")

		admin.follow(t, "/admin/queue/windows/A03", url.Values{"hall": {"JC-ZWZX"}, "categories": {"E", "G"}}).
			want(t, http.StatusOK, "A03 窗口的叫号类别已保存")
		w, err := h.svc.QueueWindow(h.as["shouli"], "JC-ZWZX", "A03")
		if err != nil || strings.Join(w.Window.Categories, ",") != "E,G" {
			t.Errorf("A03 categories = %v, %v", w, err)
		}

		// The calling policy: K and recalls, refused next to the field when out of range.
		admin.post("/admin/queue/settings", url.Values{"hall": {"JC-ZWZX"}, "fairness_limit": {"0"}, "max_recalls": {"1"}, "text_ahead": {"3"}}).
			want(t, http.StatusUnprocessableEntity, "连续叫优先号的上限须在 1 至 20 之间", `value="0"`)
		admin.post("/admin/queue/settings", url.Values{"hall": {"JC-ZWZX"}, "fairness_limit": {"2"}, "max_recalls": {"1"}, "text_ahead": {"21"}}).
			want(t, http.StatusUnprocessableEntity, "短信提醒的位数须在 0 至 20 之间", `value="21"`)
		admin.follow(t, "/admin/queue/settings", url.Values{"hall": {"JC-ZWZX"}, "fairness_limit": {"2"}, "max_recalls": {"1"}, "text_ahead": {"2"}}).
			want(t, http.StatusOK, "已保存叫号规则：连续叫优先号不超过 2 个，重呼不超过 1 次，前面只剩 2 位时短信提醒。")
		if set, err := h.svc.QueueSettings(h.as["admin"], "JC-ZWZX"); err != nil || set.FairnessLimit != 2 || set.MaxRecalls != 1 || set.TextAhead != 2 {
			t.Errorf("settings = %+v, %v", set, err)
		}
		h.signIn(t, "shouli").post("/admin/queue/settings", url.Values{"hall": {"JC-ZWZX"}, "fairness_limit": {"5"}, "max_recalls": {"1"}, "text_ahead": {"3"}}).
			want(t, http.StatusForbidden)

		h.signIn(t, "shouli").get("/admin/queue").want(t, http.StatusForbidden)
		h.signIn(t, "shouli").post("/admin/queue/categories", url.Values{"hall": {"JC-ZWZX"}, "code": {"Z"}}).want(t, http.StatusForbidden)
	})
}
