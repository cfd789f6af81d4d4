package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
)

// adminStart is a Wednesday morning in 2026.
var adminStart = time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)

// itemValues is the editor's form filled with it, as a browser posts it.
func itemValues(it *catalog.Item) url.Values {
	v := url.Values{
		"base_version": {strconv.Itoa(it.Version)}, "name": {it.Name}, "type": {string(it.Type)},
		"department": {it.DepartmentCode}, "kind": {string(it.Kind)},
		"statutory_days": {strconv.Itoa(it.StatutoryDays)}, "promised_days": {strconv.Itoa(it.PromisedDays)},
		"deferral_days": {strconv.Itoa(it.DeferralDays)}, "legal_basis": {it.LegalBasis}, "conditions": {it.Conditions},
		"fees": {it.Fees}, "online_level": {string(it.OnlineLevel)}, "special_procedures": {it.SpecialProcedures},
		"collect_at_issuance": {strings.Join(it.CollectAtIssuance, "\n")},
	}
	if it.Delegated {
		v.Set("delegated", "1")
	}
	for _, k := range it.ApplicantKinds {
		v.Add("applicant_kinds", string(k))
	}
	for i, m := range it.Materials {
		p := "materials[" + strconv.Itoa(i) + "]."
		v.Set(p+"code", m.Code)
		v.Set(p+"name", m.Name)
		v.Set(p+"originals", strconv.Itoa(m.Originals))
		v.Set(p+"copies", strconv.Itoa(m.Copies))
		v.Set(p+"notes", m.Notes)
		v.Set(p+"shared", m.Shared)
		for field, on := range map[string]bool{"required": m.Required, "paper": m.Paper, "electronic": m.Electronic, "deferrable": m.Deferrable} {
			if on {
				v.Set(p+field, "1")
			}
		}
	}
	// The blank rows a browser posts along.
	for i := len(it.Materials); i < len(it.Materials)+3; i++ {
		p := "materials[" + strconv.Itoa(i) + "]."
		v.Set(p+"originals", "1")
		v.Set(p+"copies", "0")
		v.Set(p+"required", "1")
		v.Set(p+"paper", "1")
	}
	return v
}

const editedItem = "SCJG-XK-001"

func TestAdminItemEditSavesANewVersion(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin/items").want(t, http.StatusOK, editedItem, "/admin/items/"+editedItem+"/edit", "新增事项")
		admin.get("/admin/items?department=GHZY").wantNot(t, editedItem)

		edit := admin.get("/admin/items/" + editedItem + "/edit")
		edit.want(t, http.StatusOK, `name="base_version" value="1"`, `name="materials[0].code"`, `id="promised_days"`, "添加一行材料",
			`name="materials[1].shared" value="电子证照库"`) // the business licence the hall obtains itself
		it, err := h.svc.Item(context.Background(), editedItem, 0)
		if err != nil {
			t.Fatal(err)
		}
		form := itemValues(it)
		form.Set("name", it.Name+"（2026 版）")
		form.Set("promised_days", strconv.Itoa(it.PromisedDays-1))
		// A new material in a row numbered out of order (added by the
		// script after removals): it goes last.
		form.Set("materials[50].code", "ZZ-NEW")
		form.Set("materials[50].name", "补充情况说明")
		form.Set("materials[50].originals", "0")
		form.Set("materials[50].copies", "1")
		form.Set("materials[50].electronic", "1")
		// The first material is removed.
		form.Set("materials[0].remove", "1")

		p := admin.post("/admin/items/"+editedItem, form)
		if p.status != http.StatusSeeOther || p.location != "/admin/items/"+editedItem+"/versions" {
			t.Fatalf("save: %d → %q\n%s", p.status, p.location, p.body)
		}
		admin.get(p.location).want(t, http.StatusOK, "已保存为第 2 版", "第 2 版", "当前版本", "admin", "以此版内容编辑")

		v2, err := h.svc.Item(context.Background(), editedItem, 0)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.Name != it.Name+"（2026 版）" || v2.PromisedDays != it.PromisedDays-1 || v2.CreatedBy != "admin" {
			t.Errorf("version 2: %+v", v2)
		}
		if n := len(v2.Materials); n != len(it.Materials) || v2.Materials[n-1].Code != "ZZ-NEW" || v2.Materials[0].Code != it.Materials[1].Code {
			t.Errorf("materials of version 2: %+v", v2.Materials)
		}
		if v2.Materials[0].Shared != "电子证照库" {
			t.Errorf("the business licence is no longer obtained through sharing: %+v", v2.Materials[0])
		}
		admin.get("/admin/items/"+editedItem+"/versions/2").want(t, http.StatusOK,
			"承诺时限（工作日）："+strconv.Itoa(it.PromisedDays)+" → "+strconv.Itoa(it.PromisedDays-1),
			"新增材料 ZZ-NEW", "删除材料 "+it.Materials[0].Code, "补充情况说明")
		admin.get("/admin/items/"+editedItem+"/versions/1").want(t, http.StatusOK, "历史版本，当前为第 2 版", it.Materials[0].Name)
		// An old version's content can be taken up again as a new edit.
		admin.get("/admin/items/"+editedItem+"/edit?from=1").want(t, http.StatusOK,
			`name="base_version" value="2"`, "表单已填入第 1 版的内容", `value="`+it.Materials[0].Code+`"`)
		admin.get("/admin/items/"+editedItem+"/versions/9").want(t, http.StatusNotFound)
	})
}

func TestAdminItemStaleEditKeepsTheEdits(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		it, err := h.svc.Item(context.Background(), editedItem, 0)
		if err != nil {
			t.Fatal(err)
		}
		form := itemValues(it)
		form.Set("name", "甲的修改")
		form.Set("materials[0].notes", "甲加的说明")

		// The department admin saves version 2 meanwhile.
		other := *it
		other.Fees = "工本费 10 元"
		if err := h.svc.SaveItem(h.as["bumen"], &other, 1); err != nil {
			t.Fatal(err)
		}
		p := admin.post("/admin/items/"+editedItem, form)
		p.want(t, http.StatusConflict, "已被他人修改", "bumen", `value="甲的修改"`, `value="甲加的说明"`,
			`name="base_version" value="1"`, `name="overwrite_version" value="2"`, "/admin/items/"+editedItem+"/versions/2")
		if cur, _ := h.svc.Item(context.Background(), editedItem, 0); cur.Version != 2 || cur.Name != it.Name {
			t.Fatalf("the stale edit was saved: %+v", cur)
		}
		// Having looked at version 2, the admin keeps the edit over it.
		form.Set("overwrite_version", "2")
		p = admin.post("/admin/items/"+editedItem, form)
		if p.status != http.StatusSeeOther {
			t.Fatalf("overwrite: %d\n%s", p.status, p.body)
		}
		if cur, _ := h.svc.Item(context.Background(), editedItem, 0); cur.Version != 3 || cur.Name != "甲的修改" {
			t.Fatalf("after overwrite: version %d %q", cur.Version, cur.Name)
		}
	})
}

func TestAdminItemInvalidEdit(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		it, err := h.svc.Item(context.Background(), editedItem, 0)
		if err != nil {
			t.Fatal(err)
		}
		form := itemValues(it)
		typed := strconv.Itoa(it.StatutoryDays + 5)
		form.Set("promised_days", typed)
		form.Set("name", "改过的名称")
		form.Del("materials[1].paper")
		form.Del("materials[1].electronic")
		p := admin.post("/admin/items/"+editedItem, form)
		p.want(t, http.StatusUnprocessableEntity, `value="改过的名称"`)
		p.wantNear(t, `id="promised_days"`, "承诺时限不能超过法定时限")
		if got := p.near(t, `id="promised_days"`); !strings.Contains(got, `value="`+typed+`"`) {
			t.Errorf("the typed promised days are lost: %s", got)
		}
		p.wantNear(t, `name="materials[1].paper"`, "材料须可以纸质或电子形式提交")
		if got := p.near(t, `id="statutory_days"`); strings.Contains(got, "field-error") {
			t.Errorf("a message next to a right field: %s", got)
		}

		// Words in a number field come back as typed, with their message.
		form = itemValues(it)
		form.Set("statutory_days", "二十")
		p = admin.post("/admin/items/"+editedItem, form)
		p.want(t, http.StatusUnprocessableEntity, `value="二十"`)
		p.wantNear(t, `id="statutory_days"`, "请填写不小于 0 的整数")

		// A new item may not take an existing code.
		form = itemValues(it)
		form.Set("base_version", "0")
		form.Set("code", editedItem)
		p = admin.post("/admin/items", form)
		p.want(t, http.StatusUnprocessableEntity)
		p.wantNear(t, `id="code"`, "事项编码已存在")

		if cur, _ := h.svc.Item(context.Background(), editedItem, 0); cur.Version != 1 {
			t.Errorf("a refused edit saved version %d", cur.Version)
		}
	})
}

func TestAdminNewItem(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		bumen := h.signIn(t, "bumen")
		bumen.get("/admin/items/new").want(t, http.StatusOK, `id="code"`, `value="SCJG" selected`)
		form := url.Values{"code": {"SCJG-QT-099"}, "name": {"测试事项"}, "type": {"公共服务"}, "department": {"SCJG"},
			"kind": {"instant"}, "statutory_days": {"1"}, "promised_days": {"0"}, "deferral_days": {"0"}, "delegated": {"1"},
			"legal_basis": {"《测试办法》"}, "conditions": {"无"}, "fees": {"不收费"}, "online_level": {"none"},
			"applicant_kinds": {"natural_person", "enterprise"}, "collect_at_issuance": {"旧证\n\n  "},
			"materials[0].code": {"M1"}, "materials[0].name": {"申请表"}, "materials[0].required": {"1"},
			"materials[0].originals": {"1"}, "materials[0].copies": {"0"}, "materials[0].paper": {"1"},
			"materials[1].originals": {"1"}, "materials[1].copies": {"0"}, "materials[1].required": {"1"}}
		bumen.follow(t, "/admin/items", form).want(t, http.StatusOK, "已保存为第 1 版")
		it, err := h.svc.Item(context.Background(), "SCJG-QT-099", 0)
		if err != nil || len(it.Materials) != 1 || !it.Delegated || len(it.CollectAtIssuance) != 1 || it.CreatedBy != "bumen" {
			t.Fatalf("new item: %+v, %v", it, err)
		}
		// Another department's item is refused by the service.
		form.Set("code", "GHZY-QT-099")
		form.Set("department", "GHZY")
		bumen.post("/admin/items", form).want(t, http.StatusForbidden, "部门管理员只能修改本部门的事项", `value="GHZY-QT-099"`)
	})
}

func TestAdminCalendarGrid(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		p := admin.get("/admin/calendar?year=2026")
		p.want(t, http.StatusOK, "2026 年工作日历")
		if c := p.cell(t, "2026-02-14"); !strings.Contains(c, "调休") || !strings.Contains(c, ">班<") || !strings.Contains(c, "星期六 上班（春节调休上班）") {
			t.Errorf("2026-02-14 is not shown as a 调休 working day: %s", c)
		}
		if c := p.cell(t, "2026-10-01"); !strings.Contains(c, ">国庆节<") || !strings.Contains(c, ">休<") {
			t.Errorf("2026-10-01 is not shown as 国庆节: %s", c)
		}
		if c := p.cell(t, "2026-03-07"); !strings.Contains(c, "休息日（周末）") || !strings.Contains(c, ">休<") {
			t.Errorf("a plain Saturday: %s", c)
		}
		if c := p.cell(t, "2026-03-10"); !strings.Contains(c, "工作日") || strings.Contains(c, ">休<") {
			t.Errorf("a plain Tuesday: %s", c)
		}
		// Weeks start on Monday: 2026-06-01 is a Monday and opens June.
		june := p.body[strings.Index(p.body, "<caption>6月"):]
		if first := june[strings.Index(june, "<td"):]; !strings.HasPrefix(first, `<td class="work" data-date="2026-06-01"`) {
			t.Errorf("June does not start its first week with Monday the 1st: %.120s", first)
		}

		admin.get("/admin/calendar?year=2026&date=2026-03-10").want(t, http.StatusOK,
			`id="day-form"`, `name="date" value="2026-03-10"`, "2026年3月10日 星期二 工作日", `value="off" checked`)

		day := url.Values{"year": {"2026"}, "date": {"2026-03-10"}, "set": {"off"}, "name": {""}}
		p = admin.post("/admin/calendar/day", day)
		p.want(t, http.StatusUnprocessableEntity, `value="off" checked`)
		p.wantNear(t, `id="day-name"`, "须写明原因")

		day.Set("name", "大厅设备检修")
		p = admin.follow(t, "/admin/calendar/day", day)
		p.want(t, http.StatusOK, "全区日历：2026年3月10日已设为休息（大厅设备检修）")
		if c := p.cell(t, "2026-03-10"); !strings.Contains(c, ">大厅设备<") || !strings.Contains(c, ">休<") || !strings.Contains(c, "休息（大厅设备检修）") {
			t.Errorf("2026-03-10 after closing: %s", c)
		}
		cal, _ := h.svc.Calendar(context.Background(), "")
		if cal.IsWorkingDay(calendar.Date{Year: 2026, Month: 3, Day: 10}) {
			t.Error("2026-03-10 is still a working day")
		}

		p = admin.follow(t, "/admin/calendar/day", url.Values{"year": {"2026"}, "date": {"2026-03-10"}, "set": {"reset"}})
		p.want(t, http.StatusOK, "已恢复默认")
		if c := p.cell(t, "2026-03-10"); !strings.Contains(c, "工作日") || strings.Contains(c, "检修") {
			t.Errorf("2026-03-10 after the reset: %s", c)
		}
		cal, _ = h.svc.Calendar(context.Background(), "")
		if !cal.IsWorkingDay(calendar.Date{Year: 2026, Month: 3, Day: 10}) {
			t.Error("2026-03-10 is not a working day again")
		}

		// A hall's own closure shows on its calendar only.
		p = admin.follow(t, "/admin/calendar/day", url.Values{"year": {"2026"}, "hall": {demo.BinheHall}, "date": {"2026-03-11"}, "set": {"off"}, "name": {"闭厅装修"}})
		if c := p.cell(t, "2026-03-11"); !strings.Contains(c, "闭厅装修") || !strings.Contains(c, "※") || !strings.Contains(c, "本大厅自定") {
			t.Errorf("the hall's closure on its calendar: %s", c)
		}
		p.want(t, http.StatusOK, "取消本大厅的设定")
		if c := admin.get("/admin/calendar?year=2026").cell(t, "2026-03-11"); strings.Contains(c, "闭厅") {
			t.Errorf("the hall's closure shows on the district calendar: %s", c)
		}
		admin.get("/admin/calendar?year=2026&hall=NOPE").want(t, http.StatusUnprocessableEntity, "未知的大厅")
	})
}

func TestAdminHallsAndWindows(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin/halls").want(t, http.StatusOK, "江川区滨河街道为民服务中心", "不动产登记专窗", "专业窗口", "添加窗口")

		win := url.Values{"hall_code": {demo.DistrictHall}, "number": {"C09"}, "name": {"教育专窗"}, "kind": {"specialised"}, "department_code": {"NOPE"}}
		p := admin.post("/admin/windows", win)
		p.want(t, http.StatusUnprocessableEntity, `value="C09"`, `value="教育专窗"`)
		p.wantNear(t, `name="department_code"`, "未知的部门：NOPE")
		hallForm := p.body[strings.Index(p.body, `id="add-hall"`):strings.Index(p.body, `id="add-window"`)]
		if strings.Contains(hallForm, "field-error") {
			t.Errorf("the window's message shows on the hall form:\n%s", hallForm)
		}

		win.Set("department_code", "RSJ")
		admin.follow(t, "/admin/windows", win).want(t, http.StatusOK, "已添加窗口", "教育专窗")

		hall := url.Values{"code": {"JC-HXJD"}, "name": {"江川区河西街道为民服务中心"}, "level": {"street"}, "parent_code": {demo.LiuyinHall}}
		p = admin.post("/admin/halls", hall)
		p.want(t, http.StatusUnprocessableEntity, `value="JC-HXJD"`)
		p.wantNear(t, `name="parent_code"`, "街道为民服务中心的上级须为区级政务服务中心")
		hall.Set("parent_code", demo.DistrictHall)
		admin.follow(t, "/admin/halls", hall).want(t, http.StatusOK, "已添加大厅", `id="hall-JC-HXJD"`)

		dept := url.Values{"code": {"JYJ"}, "name": {"江川区教育局"}, "credit_code": {"11320120MB1C40001X"}}
		p = admin.post("/admin/departments", dept)
		p.want(t, http.StatusUnprocessableEntity, `value="JYJ"`)
		p.wantNear(t, `id="credit_code"`, "校验位")
		dept.Set("credit_code", "11320120MB1C40001Q")
		admin.follow(t, "/admin/departments", dept).want(t, http.StatusOK, "已添加部门：江川区教育局")
	})
}

func TestAdminRefusesDepartmentAdmin(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		bumen := h.signIn(t, "bumen")
		bumen.get("/admin").want(t, http.StatusOK, "本部门事项", "本部门审批人员")
		bumen.get("/admin").wantNot(t, `href="/admin/calendar"`, `href="/admin/halls"`)

		bumen.get("/admin/calendar?year=2026").want(t, http.StatusForbidden, "无权修改工作日历")
		bumen.post("/admin/calendar/day", url.Values{"year": {"2026"}, "date": {"2026-03-10"}, "set": {"off"}, "name": {"私自闭厅"}}).
			want(t, http.StatusForbidden, "无权修改工作日历")
		if cal, _ := h.svc.Calendar(context.Background(), ""); !cal.IsWorkingDay(calendar.Date{Year: 2026, Month: 3, Day: 10}) {
			t.Error("a department admin closed 2026-03-10")
		}
		bumen.get("/admin/halls").want(t, http.StatusForbidden)
		bumen.post("/admin/windows", url.Values{"hall_code": {demo.DistrictHall}, "number": {"Z1"}, "name": {"x"}, "kind": {"intake"}}).
			want(t, http.StatusForbidden)
		bumen.get("/admin/items/GHZY-XK-001/edit").want(t, http.StatusForbidden, "部门管理员只能修改本部门的事项")
		items := bumen.get("/admin/items")
		items.want(t, http.StatusOK, "SCJG-XK-001")
		items.wantNot(t, "GHZY-XK-001")

		h.signIn(t, "shouli").get("/admin").want(t, http.StatusForbidden, "无权使用系统管理")
		h.signIn(t, "jiandu").get("/admin/users").want(t, http.StatusForbidden)
		if p := h.browser(t).get("/admin/calendar"); p.status != http.StatusSeeOther || p.location != "/login" {
			t.Errorf("anonymous: %d → %q", p.status, p.location)
		}
	})
}

func TestAdminAccounts(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin/users").want(t, http.StatusOK, "shouli", "张晓梅", "综合受理", "添加账号")

		add := url.Values{"username": {"xinren"}, "name": {"新人"}, "role": {"reviewer"}, "department": {""}, "hall": {""}, "password": {"Secret123"}}
		p := admin.post("/admin/users", add)
		p.want(t, http.StatusUnprocessableEntity, `value="xinren"`, `value="新人"`)
		p.wantNot(t, "Secret123")
		p.wantNear(t, `id="department"`, "须指明所属部门")

		add.Set("role", "intake")
		add.Set("hall", demo.DistrictHall)
		add.Set("password", "")
		p = admin.post("/admin/users", add)
		p.want(t, http.StatusOK, "已添加账号", "只显示这一次")
		password := p.password(t)
		xinren := h.signInWith(t, "xinren", password)
		xinren.get("/").want(t, http.StatusOK, "新人")

		// Role, department and hall.
		change := url.Values{"name": {"新人"}, "role": {"reviewer"}, "department": {""}, "hall": {""}}
		p = admin.post("/admin/users/xinren", change)
		p.want(t, http.StatusUnprocessableEntity)
		p.wantNear(t, `id="department"`, "须指明所属部门")
		change.Set("department", "WSJK")
		admin.follow(t, "/admin/users/xinren", change).want(t, http.StatusOK, "已保存", "部门审批", "WSJK")
		xinren.get("/").want(t, http.StatusOK, "部门审批")

		// Deactivated: the open session ends, and signing in is refused.
		admin.follow(t, "/admin/users/xinren/active", url.Values{"active": {"false"}}).want(t, http.StatusOK, "已停用账号 xinren", "启用账号")
		if p := xinren.get("/"); p.status != http.StatusSeeOther || p.location != "/login" {
			t.Errorf("the deactivated account's session: %d → %q", p.status, p.location)
		}
		h.browser(t).post("/login", url.Values{"username": {"xinren"}, "password": {password}}).want(t, http.StatusUnauthorized, "账号已停用")
		admin.follow(t, "/admin/users/xinren/active", url.Values{"active": {"true"}}).want(t, http.StatusOK, "已启用账号 xinren")
		h.signInWith(t, "xinren", password)

		// Nobody deactivates themselves, nor resets their own password here.
		admin.post("/admin/users/admin/active", url.Values{"active": {"false"}}).want(t, http.StatusForbidden, "不能停用自己的账号")
		admin.post("/admin/users/admin", url.Values{"name": {"刘志强"}, "role": {"supervisor"}}).want(t, http.StatusUnprocessableEntity, "不能修改自己的角色")
		admin.post("/admin/users/admin/password", nil).want(t, http.StatusForbidden, "不能重置自己的密码")

		// A reset password is shown once and works; the old one does not.
		p = admin.post("/admin/users/chujian/password", nil)
		p.want(t, http.StatusOK, "新密码只显示这一次")
		h.signInWith(t, "chujian", p.password(t))
		h.browser(t).post("/login", url.Values{"username": {"chujian"}, "password": {h.passwords["chujian"]}}).want(t, http.StatusUnauthorized)
		admin.get("/admin/users/chujian").wantNot(t, `class="password"`)

		// A hall manager needs the hall they run, and then has it.
		admin.get("/admin/users").want(t, http.StatusOK, `<option value="hall_manager">大厅负责人</option>`)
		admin.post("/admin/users", url.Values{"username": {"binhe1"}, "name": {"钱晓东"}, "role": {"hall_manager"}}).
			want(t, http.StatusUnprocessableEntity, "大厅负责人须指明所负责的大厅", `value="binhe1"`)
		admin.post("/admin/users", url.Values{"username": {"binhe1"}, "name": {"钱晓东"}, "role": {"hall_manager"}, "hall": {"JC-BHJD"}}).
			want(t, http.StatusOK, "已添加账号")
		admin.get("/admin/users/binhe1").want(t, http.StatusOK, "大厅负责人", "江川区滨河街道为民服务中心")

		// A department admin manages its own reviewers only.
		bumen := h.signIn(t, "bumen")
		list := bumen.get("/admin/users")
		list.want(t, http.StatusOK, "shenpi", "本部门审批人员")
		list.wantNot(t, "shenpi2", "chujian")
		bumen.get("/admin/users/shenpi2").want(t, http.StatusForbidden, "部门管理员只能管理本部门的审批人员账号")
		bumen.post("/admin/users/shenpi2/active", url.Values{"active": {"false"}}).want(t, http.StatusForbidden)
		bumen.post("/admin/users/shenpi", url.Values{"name": {"王建国"}, "role": {"dept_admin"}, "department": {"SCJG"}}).
			want(t, http.StatusForbidden, "部门管理员只能管理本部门的审批人员账号")
		bumen.post("/admin/users", url.Values{"username": {"scjg9"}, "name": {"新审批"}, "role": {"reviewer"}, "department": {"SCJG"}}).
			want(t, http.StatusOK, "已添加账号", "初始密码")
		bumen.post("/admin/users", url.Values{"username": {"ghzy9"}, "name": {"越权"}, "role": {"reviewer"}, "department": {"GHZY"}}).
			want(t, http.StatusForbidden, `value="ghzy9"`)
	})
}

// TestAdminNamesDepartments: the item list, an item's version, the
// administration heading and the bundle templates name departments by
// their names, never their codes.
func TestAdminNamesDepartments(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		const scjg = "江川区市场监督管理局"
		admin := h.signIn(t, "admin")
		list := admin.get("/admin/items?department=SCJG")
		list.want(t, http.StatusOK, "<td>"+scjg+"</td>")
		list.wantNot(t, "<td>SCJG</td>")
		admin.get("/admin/items/SCJG-XK-001/versions/1").want(t, http.StatusOK, "<dt>实施部门</dt><dd>"+scjg+"</dd>")
		bundles := admin.get("/admin/bundles")
		bundles.want(t, http.StatusOK, "<td>"+scjg+"</td>")
		bundles.wantNot(t, "<td>SCJG</td>")
		head := h.signIn(t, "bumen").get("/admin")
		head.want(t, http.StatusOK, "<small>"+scjg+"</small>")
		head.wantNot(t, "部门 SCJG")
	})
}

// TestAdminExtraRoles: the bureau admin ticks 兼任岗位 on an account; a
// combination org refuses comes back next to the checkboxes with the
// ticks kept; the person then switches desks; a department admin is
// offered no checkboxes.
func TestAdminExtraRoles(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin/users").want(t, http.StatusOK, "吴婷", "综合受理、综合出件", `name="extra_roles" value="issuance"`)
		admin.get("/admin/users/shouli2").want(t, http.StatusOK, `value="issuance" checked`)

		bad := url.Values{"name": {"李文静"}, "role": {"issuance"}, "extra_roles": {"intake", "reviewer"}, "department": {""}, "hall": {demo.DistrictHall}}
		p := admin.post("/admin/users/chujian", bad)
		p.want(t, http.StatusUnprocessableEntity, `value="intake" checked`, `value="reviewer" checked`)
		p.wantNear(t, `id="department"`, "须指明所属部门")
		bad = url.Values{"name": {"李文静"}, "role": {"supervisor"}, "extra_roles": {"intake"}, "hall": {demo.DistrictHall}}
		admin.post("/admin/users/chujian", bad).want(t, http.StatusUnprocessableEntity, "不能与其他岗位兼任")

		good := url.Values{"name": {"李文静"}, "role": {"issuance"}, "extra_roles": {"intake"}, "department": {""}, "hall": {demo.DistrictHall}}
		admin.follow(t, "/admin/users/chujian", good).want(t, http.StatusOK, "已保存", "综合出件、综合受理")
		chujian := h.signIn(t, "chujian")
		chujian.get("/").want(t, http.StatusOK, "切换到：受理窗口")

		bumen := h.signIn(t, "bumen")
		bumen.get("/admin/users").wantNot(t, `name="extra_roles"`)
	})
}
