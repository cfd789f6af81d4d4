package service

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// Desk names a work desk whose cases are sorted into tabs.
type Desk string

// The desks.
const (
	DeptDesk     Desk = "dept"     // 部门审批: a department's inbox
	IssuanceDesk Desk = "issuance" // 综合出件: results to check, issue, mail and archive
)

// Tab is one tab of a desk: the cases in one sub-state, and the deadline
// that tab works against.
type Tab struct {
	Key   string
	Label string
	Hint  string // what the tab holds and by when, in one line ({accept} … stand for the policy's limits until a page is built)
	Due   string // the deadline the tab works against ("accept_by" …), "" if none
	// holds reports whether a case belongs in the tab. A case may sit in
	// two tabs of a desk when two things wait on it (papers to sign for
	// and a decision to make); each tab is one piece of work.
	holds func(c *casework.Case) bool
}

// deptTabs are the department desk's tabs, in the order of the work.
var deptTabs = []Tab{
	{Key: "accept", Label: "待受理", Due: "accept_by", Hint: "已收件的承诺件：收件后 {accept} 个工作日内受理或退回补正。",
		holds: func(c *casework.Case) bool { return c.State == casework.Received && c.Kind != catalog.Instant }},
	{Key: "handover", Label: "待交接", Due: "handover_by", Hint: "窗口收取的纸质材料待部门签收：上午收件的当日、下午收件的下一个工作日，在交接时点前签收。",
		holds: func(c *casework.Case) bool {
			return c.PaperPending() && (c.State == casework.Received || c.State == casework.Accepted || c.State == casework.Decided)
		}},
	{Key: "decide", Label: "待决定", Due: "decide_by", Hint: "已受理、正在计时的办件，以及待部门决定的即办件：在承诺时限内作出决定。",
		holds: func(c *casework.Case) bool {
			if c.State == casework.Received && c.Kind == catalog.Instant {
				return true
			}
			return c.State == casework.Accepted && !c.Paused() && !extensionRequested(c)
		}},
	{Key: "paused", Label: "暂停计时", Due: "", Hint: "因听证、检验、现场踏勘、专家评审等法定事由暂停计时的办件；恢复计时后办结期限顺延。",
		holds: func(c *casework.Case) bool { return c.State == casework.Accepted && c.Paused() }},
	{Key: "extension", Label: "延期待批", Due: "decide_by", Hint: "审批人员申请延期（行政许可法第四十二条，至多 10 个工作日），待部门管理员审批。",
		holds: func(c *casework.Case) bool { return c.State == casework.Accepted && extensionRequested(c) }},
	{Key: "refused", Label: "结果被拒收", Due: "correct_by", Hint: "出件窗口拒收的办理结果：{correct} 个工作日内更正后重新提交。",
		holds: func(c *casework.Case) bool { return c.State == casework.Decided && c.Result == casework.ResultRefused }},
	{Key: "result", Label: "待送结果", Due: "", Hint: "已作出决定、尚未把结果送交出件窗口的办件：附结果交接表和出件时须收回的物品。",
		holds: func(c *casework.Case) bool { return c.State == casework.Decided && c.Result == casework.ResultNone }},
	{Key: "archive", Label: "回执待归档", Due: "archive_by", Hint: "在街道、社区大厅领取的办件，送达回执经交接批次送回区政务服务中心：自签收时起 {archive} 个工作日内归档。",
		holds: func(c *casework.Case) bool {
			return c.State == casework.Delivered && c.ReceiptTransit != nil && !c.ReceiptInTransit()
		}},
}

// issuanceTabs are the issuance desk's tabs, in the order of the work.
var issuanceTabs = []Tab{
	{Key: "check", Label: "待核验结果", Due: "", Hint: "部门送来的办理结果：与办件核对后接收，不符的拒收并说明原因（部门须 {correct} 个工作日内更正）。",
		holds: func(c *casework.Case) bool {
			return c.State == casework.Decided && c.Result == casework.ResultSubmitted && !c.ResultInTransit()
		}},
	{Key: "coming", Label: "结果在途", Due: "", Hint: "在本大厅领取的区级部门办件：办理结果由区政务服务中心经交接批次送来，在「交接批次」签收后核验接收。",
		holds: func(c *casework.Case) bool {
			return c.State == casework.Decided && c.Result == casework.ResultSubmitted && c.ResultInTransit()
		}},
	{Key: "refused", Label: "拒收待更正", Due: "correct_by", Hint: "已拒收、等待部门更正后重新送来的结果。",
		holds: func(c *casework.Case) bool { return c.State == casework.Decided && c.Result == casework.ResultRefused }},
	{Key: "pickup", Label: "待领取", Due: "", Hint: "申请人到窗口领取：核验身份，收回须收回的物品，签收送达回执。",
		holds: func(c *casework.Case) bool {
			return c.State == casework.ResultReady && c.Delivery.Method != casework.Mail
		}},
	{Key: "mail", Label: "待邮寄", Due: "", Hint: "申请人选择邮寄送达：由出件窗口寄出，登记寄递企业和邮件号。",
		holds: func(c *casework.Case) bool {
			return c.State == casework.ResultReady && c.Delivery.Method == casework.Mail && c.Result != casework.ResultMailed
		}},
	{Key: "transit", Label: "邮寄在途", Due: "", Hint: "已寄出的结果：妥投后确认送达。",
		holds: func(c *casework.Case) bool {
			return c.State == casework.ResultReady && c.Result == casework.ResultMailed
		}},
	{Key: "archive", Label: "回执待归档", Due: "archive_by", Hint: "已送达的办件：送达回执 {archive} 个工作日内送回部门归档（在街道、社区领取的，回执经「交接批次」送回区政务服务中心，由部门归档）。",
		holds: func(c *casework.Case) bool { return c.State == casework.Delivered && c.ReceiptTransit == nil }},
}

// deskStates are the states a desk's tabs draw from.
var deskStates = map[Desk][]casework.State{
	DeptDesk:     {casework.Received, casework.Accepted, casework.Decided, casework.Delivered},
	IssuanceDesk: {casework.Decided, casework.ResultReady, casework.Delivered},
}

// Tabs returns the tabs of desk, in the order of the work.
func (d Desk) Tabs() []Tab {
	if d == IssuanceDesk {
		return slices.Clone(issuanceTabs)
	}
	return slices.Clone(deptTabs)
}

func extensionRequested(c *casework.Case) bool {
	return c.Extension != nil && c.Extension.State == casework.ExtensionRequested
}

// DeskTab is a tab with the number of cases in it, and how many of them
// are overdue (red) or near their deadline (yellow).
type DeskTab struct {
	Tab
	Count, Red, Yellow int
}

// DeskPage is one tab of a desk: every tab with its count, and the cases
// of the chosen one, red and yellow first.
type DeskPage struct {
	Desk        Desk
	Department  *org.Department  // the department shown; nil on the issuance desk unless narrowed
	Departments []org.Department // the departments the viewer may pick from; nil when the desk is fixed
	Tabs        []DeskTab
	Tab         DeskTab
	Cases       []*CaseView
	Cutoffs     string // the paper handover rule in words (casework.Policy.HandoverWords, of the policy in force)
}

// DeskCases returns a desk's tab. The department desk is for reviewers
// and department admins (their own department) and, read-only, for bureau
// admins and supervisors, who pick a department; the issuance desk is for
// issuance clerks, the results collected at their hall. department "" means the viewer's own (or, for those
// who pick, the first); tab "" means the first tab.
func (s *Casework) DeskCases(ctx context.Context, desk Desk, department, tab string) (*DeskPage, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	page := &DeskPage{Desk: desk}
	switch desk {
	case DeptDesk:
		page.Department, page.Departments, err = s.deskDepartment(ctx, a, department, "部门审批工作台",
			org.RoleAdmin, org.RoleSupervisor)
		if err != nil {
			return nil, err
		}
	case IssuanceDesk:
		if a.System || a.Role != org.RoleIssuance {
			return nil, apperr.New(apperr.Forbidden, "综合出件工作台只对综合出件窗口开放")
		}
		if department != "" {
			d, err := s.store.Department(ctx, department)
			if err != nil {
				return nil, apperr.Field("dept", "未知的部门："+department)
			}
			page.Department = d
		}
	default:
		return nil, apperr.New(apperr.NotFound, "没有这个工作台：%s", desk)
	}
	tabs := desk.Tabs()
	i := 0
	if tab != "" {
		if i = slices.IndexFunc(tabs, func(t Tab) bool { return t.Key == tab }); i < 0 {
			return nil, apperr.Field("tab", "没有这个标签页："+tab)
		}
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	f := store.DeskFilter{States: deskStates[desk]}
	if page.Department != nil {
		f.Department = page.Department.Code
	}
	if desk == IssuanceDesk {
		// The issuance desk works on the results collected at its hall
		// (casework.PickupHall); a clerk without a hall sees every hall's
		// and may act on none.
		f.PickupHall = a.HallCode
	}
	cases, err := s.store.DeskCases(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(cases) == store.DeskLimit {
		s.log.Warn("desk list cut at its limit", "desk", desk, "department", f.Department, "limit", store.DeskLimit)
	}
	page.Tabs = make([]DeskTab, len(tabs))
	pol := s.policyInForce(ctx)
	for j, t := range tabs {
		page.Tabs[j].Tab = t
		page.Tabs[j].Hint = policyHint(t.Hint, pol)
	}
	for k := range cases {
		c := &cases[k]
		for j, t := range tabs {
			if !t.holds(c) {
				continue
			}
			page.Tabs[j].Count++
			switch c.Warning(env.Cal, env.Now) {
			case calendar.WarningRed:
				page.Tabs[j].Red++
			case calendar.WarningYellow:
				page.Tabs[j].Yellow++
			}
			if j == i {
				page.Cases = append(page.Cases, s.view(c, a, env))
			}
		}
	}
	page.Tab, page.Cutoffs = page.Tabs[i], pol.HandoverWords()
	sortUrgent(page.Cases, page.Tab.Due)
	if err := s.nameReceivers(ctx, page.Cases); err != nil {
		return nil, err
	}
	return page, nil
}

// deskDepartment decides which department a department-level page shows:
// department roles see their own only; the roles in pickers may choose any
// (the first if none is named) and get the list to choose from.
func (s *Casework) deskDepartment(ctx context.Context, a casework.Actor, department, what string, pickers ...org.Role) (*org.Department, []org.Department, error) {
	switch {
	case a.System:
		return nil, nil, apperr.New(apperr.Forbidden, "系统不使用%s", what)
	case a.Role.NeedsDepartment():
		if department != "" && department != a.DepartmentCode {
			return nil, nil, apperr.New(apperr.Forbidden, "只能查看本部门的办件（您属于 %s）", a.DepartmentCode)
		}
		d, err := s.store.Department(ctx, a.DepartmentCode)
		return d, nil, err
	case slices.Contains(pickers, a.Role):
		all, err := s.store.Departments(ctx)
		if err != nil {
			return nil, nil, err
		}
		if len(all) == 0 {
			return nil, nil, apperr.New(apperr.NotFound, "尚未设置任何部门")
		}
		if department == "" {
			return &all[0], all, nil
		}
		i := slices.IndexFunc(all, func(d org.Department) bool { return d.Code == department })
		if i < 0 {
			return nil, nil, apperr.Field("dept", "未知的部门："+department)
		}
		return &all[i], all, nil
	}
	return nil, nil, apperr.New(apperr.Forbidden, "您的角色（%s）不能使用%s", a.Role.Label(), what)
}

// sortUrgent orders views red first, then yellow, then the rest; within
// each, by the deadline named due where it runs (else the earliest running
// one), cases without a running deadline last, then by number.
func sortUrgent(views []*CaseView, due string) {
	key := func(v *CaseView) time.Time {
		var first time.Time
		for _, d := range v.Open {
			if d.Name == due {
				return d.At
			}
			if first.IsZero() || d.At.Before(first) {
				first = d.At
			}
		}
		return first
	}
	slices.SortStableFunc(views, func(x, y *CaseView) int {
		if c := calendar.RedFirst(x.Warning, y.Warning); c != 0 {
			return c
		}
		kx, ky := key(x), key(y)
		switch {
		case kx.IsZero() && !ky.IsZero():
			return 1
		case !kx.IsZero() && ky.IsZero():
			return -1
		}
		if c := kx.Compare(ky); c != 0 {
			return c
		}
		return strings.Compare(x.Case.Number, y.Case.Number)
	})
}

// handoverViewers may open the paper handover list of any department
// (read-only unless the table lets them sign): the bureau, supervisors and
// the intake desk that hands the papers over.
var handoverViewers = []org.Role{org.RoleAdmin, org.RoleSupervisor, org.RoleIntake}

// HandoverList is a department's cases whose paper materials wait to be
// signed for (R6), the most urgent cut-off first.
type HandoverList struct {
	Department  *org.Department
	Departments []org.Department // to pick from; nil for department roles
	Cases       []*CaseView
	Cutoffs     string // the paper handover rule in words (casework.Policy.HandoverWords, of the policy in force)
}

// Handovers returns the cases of a department whose papers wait for
// handover. Reviewers and department admins see their own department;
// admins, supervisors and intake clerks pick one ("" for the first).
func (s *Casework) Handovers(ctx context.Context, department string) (*HandoverList, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	d, all, err := s.deskDepartment(ctx, a, department, "材料交接", handoverViewers...)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	cases, err := s.store.DeskCases(ctx, store.DeskFilter{States: deskStates[DeptDesk], Department: d.Code})
	if err != nil {
		return nil, err
	}
	out := &HandoverList{Department: d, Departments: all, Cutoffs: s.handoverWords(ctx)}
	handover := deptTabs[slices.IndexFunc(deptTabs, func(t Tab) bool { return t.Key == "handover" })]
	for i := range cases {
		if handover.holds(&cases[i]) {
			out.Cases = append(out.Cases, s.view(&cases[i], a, env))
		}
	}
	sortUrgent(out.Cases, handover.Due)
	if err := s.nameReceivers(ctx, out.Cases); err != nil {
		return nil, err
	}
	return out, nil
}

// MaxHandoverBatch is the most cases one handover signs for.
const MaxHandoverBatch = 200

// HandoverRequest is one case to sign for, at the version the signer saw.
type HandoverRequest struct {
	Number  string
	Version int // 0: whatever the case is now
}

// HandoverOutcome is what became of one case of a batch: signed (View is
// the case after), or refused (Err says why, and the case is unchanged).
type HandoverOutcome struct {
	Number string
	View   *CaseView
	Err    error
}

// SignHandovers signs for the papers of several cases in one step, as the
// signed-in reviewer. Each case is its own transaction: one that cannot be
// signed for (already signed, stale, another department's) is refused
// with its reason and the others stand. The outcomes come in the order
// asked, each number once.
func (s *Casework) SignHandovers(ctx context.Context, batch []HandoverRequest) ([]HandoverOutcome, error) {
	if _, err := caseActor(ctx); err != nil {
		return nil, err
	}
	if len(batch) == 0 {
		return nil, apperr.Field("numbers", "请勾选要签收纸质材料的办件")
	}
	if len(batch) > MaxHandoverBatch {
		return nil, apperr.Field("numbers", "一次最多签收 200 件")
	}
	seen := map[string]bool{}
	var out []HandoverOutcome
	for _, b := range batch {
		n := b.Number // Act refuses one not written as numbers are
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		v, err := s.Act(ctx, n, casework.ActHandover, casework.Input{}, b.Version)
		out = append(out, HandoverOutcome{Number: n, View: v, Err: err})
	}
	return out, nil
}

// HandoverLine is one case on a printed handover sheet.
type HandoverLine struct {
	Number     string
	Item       string
	Applicant  string
	Materials  []casework.MaterialLine // the paper materials, with counts
	ReceivedAt time.Time
	ReceivedBy string // the intake clerk, by name
	Cutoff     time.Time
	SignedAt   time.Time // zero while not signed for
	SignedBy   string    // the collector, by name
	OnTime     bool
}

// HandoverSheet is the printable paper handover sheet (材料交接表) of
// several cases of one department.
type HandoverSheet struct {
	Department *org.Department
	PrintedAt  time.Time
	Lines      []HandoverLine
	Cutoffs    string // the paper handover rule in words (casework.Policy.HandoverWords, of the policy in force)
}

// HandoverSheet returns the handover sheet of the cases numbered, in that
// order: for a case already signed for, its last handover as signed; for
// one still pending, the papers with blank signature. The cases must all be
// of one department that the viewer may see.
func (s *Casework) HandoverSheet(ctx context.Context, numbers []string) (*HandoverSheet, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.System && !a.Role.NeedsDepartment() && !slices.Contains(handoverViewers, a.Role) {
		return nil, apperr.New(apperr.Forbidden, "您的角色（%s）不能打印材料交接表", a.Role.Label())
	}
	var uniq []string
	for _, n := range numbers {
		if n == "" || slices.Contains(uniq, n) {
			continue
		}
		if _, err := casework.ParseCaseNumber("numbers", n); err != nil {
			return nil, err
		}
		uniq = append(uniq, n)
	}
	if len(uniq) == 0 {
		return nil, apperr.Field("numbers", "请选择要列入交接表的办件")
	}
	if len(uniq) > MaxHandoverBatch {
		return nil, apperr.Field("numbers", "一张交接表最多列 200 件")
	}
	cases, err := s.store.CasesByNumber(ctx, uniq)
	if err != nil {
		return nil, err
	}
	dept := cases[0].DepartmentCode
	for i := range cases {
		c := &cases[i]
		if err := (reader{Actor: a}).mayRead(c, s.clock.Now()); err != nil {
			return nil, err
		}
		if c.DepartmentCode != dept {
			return nil, apperr.Field("numbers", "一张交接表只能列同一部门的办件（"+c.Number+" 属于 "+c.DepartmentCode+"）")
		}
		if c.Deadlines.HandoverBy.IsZero() {
			return nil, apperr.Field("numbers", "办件 "+c.Number+" 没有需要交接的纸质材料")
		}
	}
	docs, err := s.store.LatestDocuments(ctx, uniq, casework.HandoverSheet)
	if err != nil {
		return nil, err
	}
	sheet := &HandoverSheet{PrintedAt: s.clock.Now()}
	if sheet.Department, err = s.store.Department(ctx, dept); err != nil {
		return nil, err
	}
	var staff []string
	for i := range cases {
		c := &cases[i]
		line := HandoverLine{Number: c.Number, Item: c.ItemName, Applicant: c.Applicant.Name,
			ReceivedAt: c.ReceivedAt, ReceivedBy: c.ReceivedBy, Cutoff: c.Deadlines.HandoverBy}
		doc, signed := docs[c.Number]
		if signed && !c.PaperPending() {
			var hd casework.HandoverData
			if err := json.Unmarshal(doc.Data, &hd); err != nil {
				return nil, apperr.Wrap(err, "handover sheet of "+c.Number)
			}
			line.Materials, line.Cutoff = hd.Materials, hd.Cutoff
			line.SignedAt, line.SignedBy, line.OnTime = hd.SignedAt, hd.SignedBy, hd.OnTime
		} else {
			line.Materials = paperMaterials(c)
		}
		staff = append(staff, line.ReceivedBy)
		if line.SignedBy != "" {
			staff = append(staff, line.SignedBy)
		}
		sheet.Lines = append(sheet.Lines, line)
	}
	names, err := s.store.UserNames(ctx, staff)
	if err != nil {
		return nil, err
	}
	for i := range sheet.Lines {
		l := &sheet.Lines[i]
		l.ReceivedBy, l.SignedBy = staffName(names, l.ReceivedBy), staffName(names, l.SignedBy)
	}
	sheet.Cutoffs = s.handoverWords(ctx)
	return sheet, nil
}

// paperMaterials lists the materials handed in on paper, as the handover
// sheet the handover will make lists them.
func paperMaterials(c *casework.Case) []casework.MaterialLine {
	var out []casework.MaterialLine
	for _, m := range c.Materials {
		if m.Paper && (m.Status == casework.Provided || m.Status == casework.Supplied) {
			out = append(out, casework.MaterialLine{Code: m.Code, Name: m.Name, Originals: m.Originals,
				Copies: m.Copies, Paper: m.Paper, Status: string(m.Status)})
		}
	}
	return out
}

// staffName shows an account by its real name ("张晓梅"), or the bare username
// when the account is unknown.
func staffName(names map[string]string, username string) string {
	if n := names[username]; n != "" {
		return n
	}
	return username
}

// handoverWords states the paper handover rule (R6) of the deadline policy
// in force.
func (s *Casework) handoverWords(ctx context.Context) string {
	return s.policyInForce(ctx).HandoverWords()
}

// policyInForce returns the deadline policy new cases take now, for the
// words of a desk; if it cannot be read, the error is logged and the
// default policy's limits are stated.
func (s *Casework) policyInForce(ctx context.Context) casework.Policy {
	p, err := s.store.DeadlinePolicy(ctx)
	if err != nil {
		s.log.Error("deadline policy", "err", err, "request_id", RequestFrom(ctx).ID)
		return casework.DefaultPolicy()
	}
	return p.Policy
}

// policyHint fills a tab's hint with the limits of the policy in force.
func policyHint(hint string, p casework.Policy) string {
	return strings.NewReplacer("{accept}", strconv.Itoa(p.AcceptDays), "{correct}", strconv.Itoa(p.CorrectDays),
		"{archive}", strconv.Itoa(p.ArchiveDays)).Replace(hint)
}
