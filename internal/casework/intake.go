package casework

import (
	"cmp"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/text"
)

// MaterialInput is one material handed in at intake.
type MaterialInput struct {
	Code   string         `json:"code"`
	Status MaterialStatus `json:"status"` // provided or deferred
}

// Intake is an application as the front desk records it.
type Intake struct {
	ItemCode  string  `json:"item_code"`
	Channel   Channel `json:"channel"`
	Applicant Party   `json:"applicant"`
	Agent     *Party  `json:"agent,omitempty"`
	// AgentUser is the network's agent (代办员 account) who brings the
	// case in for the applicant (a community station's intake through its
	// agent): the agent follows the case on their work list. Checked by the
	// service to be an active agent.
	AgentUser   string          `json:"agent_user,omitempty" doc:"代为办理的代办员（用户名），须为在岗代办员；该办件列入其代办工作台"`
	Materials   []MaterialInput `json:"materials"`
	DeferralDue string          `json:"deferral_due,omitempty"` // YYYY-MM-DD; default: the item's deferral limit
	Delivery    *Delivery       `json:"delivery,omitempty"`     // pickup by default
	// WaitFor names the bundle's prerequisite items this case waits for:
	// it is taken in now and opens for acceptance when they are decided.
	WaitFor []string `json:"-"`
	// PickupHall is the hall the applicant chose to collect the result at,
	// checked by the service to be a hall of the district that issues
	// results; "" collects at the intake hall (or, where that hall issues
	// nothing, the nearest hall above it that does).
	PickupHall string `json:"pickup_hall,omitempty" maxLength:"32" doc:"申请人选择的领取结果的大厅编码（须为出件的大厅；不填则在收件大厅领取，收件大厅不出件的到上级出件大厅领取）。在街道、社区领取区级部门办件的，办理结果由区政务服务中心经交接批次送达该大厅，送达回执送回区政务服务中心归档"`
}

var phonePattern = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$`)

// NewCase checks an application against the handbook and the intake rules
// (R1–R4, R15, deferral) and returns the new case in state received, its
// intake event and its documents. The case has no number yet: the store
// gives it one in the transaction that saves it, and fills the documents'.
// The case keeps the deadline policy in force (env.Policy): its deadlines,
// now and later, follow that version.
func NewCase(in Intake, item *catalog.Item, a Actor, env Env) (*Case, *Event, []Document, error) {
	if a.System || (a.Role != org.RoleIntake) {
		return nil, nil, nil, apperr.New(apperr.Forbidden, "只有综合受理窗口可以收件（一窗受理）")
	}
	if a.HallCode == "" {
		// The case belongs to the hall that takes it in (HallRule).
		return nil, nil, nil, apperr.New(apperr.Forbidden, "您的账号未指定所在大厅，不能收件；请局管理员为账号设置所在大厅")
	}
	var errs apperr.Collector
	switch in.Channel {
	case AtWindow:
	case ByMail:
		errs.Check(item.Kind == catalog.Promised, "channel", "即办件须当场办理，不接受邮寄申请")
	case Online:
		errs.Add("channel", "网上申报请通过网上办事大厅提交")
	default:
		errs.Add("channel", "收件渠道须为 window（窗口）或 mail（邮寄）")
	}
	applicant := checkParty(&errs, "applicant", in.Applicant)
	if applicant.Kind == Person && !hasKind(item, catalog.NaturalPerson) {
		errs.Add("applicant.kind", "该事项的申请人须为法人或其他组织")
	}
	if applicant.Kind == Entity && !hasNonPerson(item) {
		errs.Add("applicant.kind", "该事项的申请人须为自然人")
	}
	var agent *Party
	if in.Agent != nil {
		p := checkParty(&errs, "agent", *in.Agent)
		if p.Kind != Person {
			errs.Add("agent.kind", "代办人须为自然人")
		}
		agent = &p
	}
	materials, deferred := checkMaterials(&errs, item, in.Materials)
	delivery := checkDelivery(&errs, item, in.Delivery, applicant)
	now := env.Now
	var supplyBy time.Time
	if deferred {
		supplyBy = deferralDue(&errs, item, in.DeferralDue, env)
	} else if in.DeferralDue != "" {
		errs.Add("deferral_due", "没有容缺材料，不需要补齐期限")
	}
	if err := errs.Err("收件信息有误，未收件"); err != nil {
		return nil, nil, nil, err
	}

	c := &Case{
		ItemCode: item.Code, ItemVersion: item.Version, ItemName: item.Name, ItemType: item.Type, DepartmentCode: item.DepartmentCode,
		Kind: item.Kind, PromisedDays: item.PromisedDays, Delegated: item.Delegated,
		State: Received, Channel: in.Channel, HallCode: a.HallCode, PickupHall: cmp.Or(in.PickupHall, a.HallCode),
		Applicant: applicant, Agent: agent, Delivery: delivery, Materials: materials,
		ReceivedAt: now, ReceivedBy: a.Username, CollectItems: item.CollectAtIssuance,
		Policy: env.Policy.orDefault(), AgentUser: in.AgentUser,
	}
	c.ReviewLevels = item.Levels() // the levels of the version the case is taken in under
	if item.Kind == catalog.Promised {
		c.Deadlines.AcceptBy = env.Cal.AddWorkingDays(now, c.Policy.AcceptDays)
		switch {
		case c.hasPaper() && env.PaperTo != "":
			c.startTrip(a.HallCode, env.PaperTo, now) // R6 runs from the batch's arrival
		case c.hasPaper():
			c.Deadlines.HandoverBy = c.Policy.HandoverBy(env.Cal, now)
		}
		c.Deadlines.SupplyBy = supplyBy
		if item.InitialReview() && env.InitialReviewAt.Code != "" {
			c.startInitialReview(env.InitialReviewAt.Code, env.InitialReviewAt.Name, item.InitialReviewDays, env)
		}
		if deferred {
			// The deferral pledge states the due time and its consequence.
			c.LapseWarning = &WrittenWarning{Due: supplyBy, Consequence: LapseConsequence, Document: DeferralPledge, At: now}
		}
	} else {
		c.Deadlines.FinishBy = env.Cal.AddWorkingDays(now, 0)
	}
	c.Wait(in.WaitFor)
	details, _ := json.Marshal(map[string]any{
		"item_code": item.Code, "item_version": item.Version, "channel": in.Channel,
		"applicant": applicant.Masked().Name, "deferred": deferred, "deadlines": c.Deadlines, "policy_version": c.Policy.Version,
		"paper_travels": c.Transit != nil,
	})
	ev := &Event{Type: ActIntake, Actor: a.Username, Role: string(a.Role), Desk: a.Desk, At: now, To: Received, Details: details}
	return c, ev, nil, nil
}

// IntakeDocuments returns the documents of a case just taken in, once it
// has its number: the receipt notice and, with deferred materials, the
// deferral pledge.
func IntakeDocuments(c *Case) []Document {
	var lines, deferred []MaterialLine
	for _, m := range c.Materials {
		if m.Status == Missing {
			continue
		}
		lines = append(lines, m.line())
		if m.Status == Deferred {
			deferred = append(deferred, m.line())
		}
	}
	notice := "本件为即办件，当场办结。"
	kind := "即办件"
	if c.Kind == catalog.Promised {
		kind = "承诺件"
		notice = "部门将在 " + itoa(c.DeadlinePolicy().AcceptDays) + " 个工作日内决定是否受理；受理后在承诺时限内办结。请凭本通知书和查询码查询办理进度。"
		if c.Waiting() {
			notice = "本事项为“一件事”的后置事项，待前置事项（" + strings.Join(c.WaitingFor, "、") + "）作出准予决定后开始受理，受理后在承诺时限内办结。请凭本通知书和查询码查询办理进度。"
		}
	}
	var agent *Party
	if c.Agent != nil {
		p := c.Agent.Masked()
		agent = &p
	}
	docs := []Document{newDocument(ReceiptNotice, c.ReceivedAt, ReceiptData{
		Number: c.Number, CheckCode: c.CheckCode, Item: c.ItemName, ItemCode: c.ItemCode, Department: c.DepartmentCode,
		Applicant: c.Applicant.Masked(), Agent: agent, Channel: c.Channel, Hall: c.HallCode,
		ReceivedAt: c.ReceivedAt, ReceivedBy: c.ReceivedBy, Materials: lines, Kind: kind, PromisedDays: c.PromisedDays,
		AcceptBy: c.Deadlines.AcceptBy, SupplyBy: c.Deadlines.SupplyBy, Delivery: c.Delivery, Notice: notice,
	})}
	if len(deferred) > 0 {
		docs = append(docs, newDocument(DeferralPledge, c.ReceivedAt, PledgeData{
			Number: c.Number, Applicant: c.Applicant.Masked(), Item: c.ItemName, Deferred: deferred, SupplyBy: c.Deadlines.SupplyBy,
			Pledge:      "本人（单位）承诺在补齐期限前提交上列容缺材料，并对所提交材料的真实性负责。",
			Consequence: LapseConsequence + "，并依法记入信用记录。",
		}))
	}
	for i := range docs {
		docs[i].EventSeq = 1
	}
	return docs
}

func checkParty(errs *apperr.Collector, field string, p Party) Party {
	p.Name = strings.TrimSpace(p.Name)
	p.Phone = strings.TrimSpace(p.Phone)
	p.Address = strings.TrimSpace(p.Address)
	errs.Check(p.Kind == Person || p.Kind == Entity, field+".kind", "申请人类型须为 person（自然人）或 entity（法人或其他组织）")
	errs.Check(p.Name != "" && utf8.RuneCountInString(p.Name) <= 100, field+".name", "请填写姓名或名称（不超过 100 个字）")
	for _, x := range []struct{ field, value string }{{".name", p.Name}, {".phone", p.Phone}, {".address", p.Address}} {
		if fault := text.Check(x.value, false); fault != nil {
			errs.Add(field+x.field, fault.Message())
		}
	}
	switch {
	case !p.IDType.Valid():
		errs.Add(field+".id_type", "未知的证件类型")
	case p.Kind == Person && p.IDType == identity.CreditCode:
		errs.Add(field+".id_type", "自然人不能使用统一社会信用代码")
	case p.Kind == Entity && p.IDType != identity.CreditCode:
		errs.Add(field+".id_type", "法人或其他组织须使用统一社会信用代码")
	default:
		p.IDNumber = normalizeID(p.IDType, p.IDNumber)
		if err := identity.Validate(p.IDType, p.IDNumber); err != nil {
			errs.Add(field+".id_number", apperr.MessageOf(err))
		}
	}
	errs.Check(phonePattern.MatchString(p.Phone), field+".phone", "请填写正确的手机号或固定电话")
	errs.Check(utf8.RuneCountInString(p.Address) <= 200, field+".address", "地址不超过 200 个字")
	return p
}

func hasKind(item *catalog.Item, k catalog.ApplicantKind) bool {
	for _, x := range item.ApplicantKinds {
		if x == k {
			return true
		}
	}
	return false
}

func hasNonPerson(item *catalog.Item) bool {
	for _, x := range item.ApplicantKinds {
		if x != catalog.NaturalPerson {
			return true
		}
	}
	return false
}

// checkMaterials matches what was handed in to the handbook (R15: nothing
// else may be asked for or taken) and reports whether any is deferred.
func checkMaterials(errs *apperr.Collector, item *catalog.Item, in []MaterialInput) ([]CaseMaterial, bool) {
	given := map[string]MaterialStatus{}
	for _, m := range in {
		spec, ok := item.Material(m.Code)
		switch {
		case !ok:
			errs.Add("materials", "办事指南未列明该材料，不能收取："+m.Code)
			continue
		case given[m.Code] != "":
			errs.Add("materials", "材料重复："+m.Code)
		case m.Status != Provided && m.Status != Deferred:
			errs.Add("materials", "材料状态须为 provided（已提交）或 deferred（容缺）："+m.Code)
		case m.Status == Deferred && !spec.Deferrable:
			errs.Add("materials", "该材料不可容缺："+spec.Name)
		}
		given[m.Code] = m.Status
	}
	var out []CaseMaterial
	var missing []string
	deferred := false
	for _, spec := range item.Materials {
		status := given[spec.Code]
		if status == "" {
			status = Missing
			if spec.Required {
				missing = append(missing, spec.Name)
			}
		}
		deferred = deferred || status == Deferred
		out = append(out, CaseMaterial{Code: spec.Code, Name: spec.Name, Required: spec.Required, Paper: spec.Paper,
			Originals: spec.Originals, Copies: spec.Copies, Status: status})
	}
	if len(missing) > 0 {
		errs.Add("materials", "材料不齐，不能收件，还缺："+strings.Join(missing, "、"))
	}
	return out, deferred
}

func checkDelivery(errs *apperr.Collector, item *catalog.Item, d *Delivery, applicant Party) Delivery {
	if d == nil {
		return Delivery{Method: Pickup}
	}
	out := Delivery{Method: d.Method, Address: strings.TrimSpace(d.Address), Recipient: strings.TrimSpace(d.Recipient), Phone: strings.TrimSpace(d.Phone)}
	switch d.Method {
	case "", Pickup:
		out.Method = Pickup
	case Mail:
		errs.Check(item.Kind == catalog.Promised, "delivery.method", "即办件当场发证，不能邮寄")
		errs.Check(utf8.RuneCountInString(out.Address) >= 5 && utf8.RuneCountInString(out.Address) <= 200, "delivery.address", "邮寄送达须填写详细地址")
		if out.Recipient == "" {
			out.Recipient = applicant.Name
		}
		if out.Phone == "" {
			out.Phone = applicant.Phone
		}
		errs.Check(phonePattern.MatchString(out.Phone), "delivery.phone", "请填写收件人的手机号或固定电话")
	default:
		errs.Add("delivery.method", "送达方式须为 pickup（窗口领取）或 mail（邮寄）")
	}
	return out
}

// deferralDue returns the close of the day deferred materials are due: the
// date asked for, or by default the item's deferral limit. It may not pass
// that limit, which itself is within the promised time limit.
func deferralDue(errs *apperr.Collector, item *catalog.Item, asked string, env Env) time.Time {
	if item.DeferralDays == 0 {
		errs.Add("materials", "该事项不适用容缺受理")
		return time.Time{}
	}
	latest := env.Cal.AddWorkingDays(env.Now, item.DeferralDays)
	if asked == "" {
		return latest
	}
	d, err := calendar.ParseDate(asked)
	if err != nil {
		errs.Add("deferral_due", "补齐期限的日期格式须为 YYYY-MM-DD")
		return time.Time{}
	}
	s := env.Cal.Settings()
	due := d.At(s.CloseHour, s.CloseMinute)
	switch {
	case !d.After(calendar.DateOf(env.Now)):
		errs.Add("deferral_due", "补齐期限须晚于今天")
	case !env.Cal.IsWorkingDay(d):
		errs.Add("deferral_due", "补齐期限须为工作日")
	case due.After(latest):
		errs.Add("deferral_due", "补齐期限不能晚于 "+calendar.DateOf(latest).String()+"（该事项容缺补齐不超过 "+itoa(item.DeferralDays)+" 个工作日）")
	}
	return due
}

func itoa(n int) string { return strconv.Itoa(n) }

// CheckParty validates a party on its own (an applicant account's
// profile) and returns it normalised.
func CheckParty(p Party) (Party, error) {
	var errs apperr.Collector
	p = checkParty(&errs, "applicant", p)
	return p, errs.Err("申请人信息有误")
}
