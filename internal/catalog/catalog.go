// Package catalog holds the handbook (标准化手册): the items the government
// offers, their materials and their time limits. Items are versioned: an edit
// makes a new version, and a case keeps the version it was taken in under.
package catalog

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/text"
)

// Type is an item's GB/T 39046 type.
type Type string

// The item types of GB/T 39046.
const (
	Licence       Type = "许可"
	Penalty       Type = "处罚"
	Enforcement   Type = "强制"
	Levy          Type = "征收"
	Benefit       Type = "给付"
	Inspection    Type = "检查"
	Confirmation  Type = "确认"
	Award         Type = "奖励"
	Adjudication  Type = "裁决"
	OtherPower    Type = "其他行政权力"
	PublicService Type = "公共服务"
)

// Types lists every item type in the standard's order.
var Types = []Type{Licence, Penalty, Enforcement, Levy, Benefit, Inspection, Confirmation, Award, Adjudication, OtherPower, PublicService}

// Valid reports whether t is a type of the standard.
func (t Type) Valid() bool {
	for _, known := range Types {
		if t == known {
			return true
		}
	}
	return false
}

// Kind says who decides and when.
type Kind string

// Item kinds.
const (
	Instant  Kind = "instant"  // 即办件: decided at the window on the spot
	Promised Kind = "promised" // 承诺件: decided by the department within the promised limit
)

// OnlineLevel is how far an item can be done online.
type OnlineLevel string

// Online levels.
const (
	OnlineNone OnlineLevel = "none" // 不能网办
	OnlinePre  OnlineLevel = "pre"  // 网上预审
	OnlineFull OnlineLevel = "full" // 全程网办
)

// Valid reports whether l is a known level.
func (l OnlineLevel) Valid() bool { return l == OnlineNone || l == OnlinePre || l == OnlineFull }

// ApplicantKind is who may apply.
type ApplicantKind string

// Applicant kinds of the standard.
const (
	NaturalPerson ApplicantKind = "natural_person" // 自然人
	Enterprise    ApplicantKind = "enterprise"     // 企业法人
	Institution   ApplicantKind = "institution"    // 事业单位法人
	SocialOrg     ApplicantKind = "social_org"     // 社会组织法人
	AdminOrgan    ApplicantKind = "admin_organ"    // 行政机关
	OtherOrg      ApplicantKind = "other"          // 其他组织
)

// ApplicantKinds lists every applicant kind.
var ApplicantKinds = []ApplicantKind{NaturalPerson, Enterprise, Institution, SocialOrg, AdminOrgan, OtherOrg}

// Valid reports whether k is a known kind.
func (k ApplicantKind) Valid() bool {
	for _, known := range ApplicantKinds {
		if k == known {
			return true
		}
	}
	return false
}

// Material is one document the handbook asks for.
type Material struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Required   bool   `json:"required"`
	Originals  int    `json:"originals"`  // number of originals to show or hand in
	Copies     int    `json:"copies"`     // number of copies to hand in
	Paper      bool   `json:"paper"`      // accepted on paper
	Electronic bool   `json:"electronic"` // accepted electronically
	Deferrable bool   `json:"deferrable"` // may be supplied later (容缺)
	Notes      string `json:"notes,omitempty"`
	// Shared names where the hall obtains the material itself through
	// data sharing (电子证照库 …): the applicant need not bring it
	// (免于提交), and a one-time notice lists it as exempt, not as a
	// material to bring. Empty for a material the applicant brings.
	Shared string `json:"shared,omitempty" doc:"窗口通过数据共享获取该材料的来源（如“电子证照库”）：填写后申请人免于提交；不填表示须由申请人提交"`
}

// SharedMaterials returns the required materials the hall obtains itself
// through data sharing: the applicant is exempt from bringing them.
func (it *Item) SharedMaterials() []Material {
	var out []Material
	for _, m := range it.Materials {
		if m.Required && m.Shared != "" {
			out = append(out, m)
		}
	}
	return out
}

// ToBring reports whether the applicant has to bring the material: every
// required one but those the hall obtains through data sharing.
func (m Material) ToBring() bool { return m.Required && m.Shared == "" }

// Item is one version of a service's handbook entry.
type Item struct {
	Code              string          `json:"code"`
	Version           int             `json:"version" readOnly:"true"` // readOnly: the store sets it, so API clients need not send it
	Name              string          `json:"name"`
	Type              Type            `json:"type"`
	DepartmentCode    string          `json:"department"`
	Kind              Kind            `json:"kind"`
	StatutoryDays     int             `json:"statutory_days"` // working days, by law
	PromisedDays      int             `json:"promised_days"`  // working days, promised; 0 for instant items
	DeferralDays      int             `json:"deferral_days"`  // working days to supply deferred materials; 0 = no deferral
	Delegated         bool            `json:"delegated"`      // instant item the hall's intake desk may decide under delegation
	LegalBasis        string          `json:"legal_basis"`
	Conditions        string          `json:"conditions"`
	Fees              string          `json:"fees"` // "不收费" or the fee and its basis
	OnlineLevel       OnlineLevel     `json:"online_level"`
	SpecialProcedures string          `json:"special_procedures,omitempty"` // 特别程序: site survey, expert review …
	CollectAtIssuance []string        `json:"collect_at_issuance,omitempty"`
	ApplicantKinds    []ApplicantKind `json:"applicant_kinds"`
	Materials         []Material      `json:"materials"`
	CreatedAt         time.Time       `json:"created_at" readOnly:"true"`
	CreatedBy         string          `json:"created_by,omitempty"`
	// ReviewLevels is how many people of the department review a promised
	// case in turn before its decision (Levels): 1 (the reviewer
	// decides), 2 (承办, 批准) or 3 (承办, 审核, 批准). 0 reads as 1.
	ReviewLevels int `json:"review_levels,omitempty" doc:"审批层级：1（审批人员直接决定，默认）、2（承办→批准）或 3（承办→审核→批准），每一级由不同人员办理；即办件只能为 1"`
	// InitialReviewDays marks a promised item for delegated initial review
	// (委托初审, issue 15): a case taken in at a street centre is first
	// reviewed there, within this many working days of intake, before the
	// department accepts. 0 means none. Set by the bureau admin only.
	InitialReviewDays int `json:"initial_review_days,omitempty" minimum:"0" maximum:"5" doc:"委托街道初审（行政审批局设定）：0 不委托；1–5 为街道收件后由街道初审人员初审（材料齐全、符合法定形式）的工作日数，初审通过后部门方可受理；勾选委托时默认 1 个工作日。只适用于承诺件"`
}

// Material returns the item's material with code, if any.
func (it *Item) Material(code string) (Material, bool) {
	for _, m := range it.Materials {
		if m.Code == code {
			return m, true
		}
	}
	return Material{}, false
}

// HasDeferrable reports whether any material may be deferred.
func (it *Item) HasDeferrable() bool {
	for _, m := range it.Materials {
		if m.Deferrable {
			return true
		}
	}
	return false
}

// MaxReviewLevels is the most review levels an item may have: 承办, 审核
// and 批准.
const MaxReviewLevels = 3

// Levels returns how many review levels a case of the item goes through:
// ReviewLevels, an unset one read as 1 (the reviewer decides).
func (it *Item) Levels() int { return max(it.ReviewLevels, 1) }

// LevelsLabel says the item's review levels as the handbook and its
// editor read them.
func (it *Item) LevelsLabel() string { return LevelsLabel(it.Levels()) }

// LevelsLabel says n review levels in words.
func LevelsLabel(n int) string {
	switch n {
	case 2:
		return "二级：承办→批准"
	case 3:
		return "三级：承办→审核→批准"
	}
	return "一级：审批人员直接决定"
}

// MaxDays is the longest a time limit may be: a year of working days is far
// beyond anything the law sets and catches typing errors.
const MaxDays = 250

// Validate checks the item and its materials against the handbook's rules:
// promised ≤ statutory, a department, unique material codes, a deferral that
// does not outrun the promised limit.
func (it *Item) Validate() error {
	var c apperr.Collector
	if _, err := ParseItemCode("code", it.Code); err != nil {
		c.Add("code", apperr.MessageOf(err))
	}
	c.Check(validText(it.Name, 200), "name", "事项名称不能为空且不超过 200 个字")
	c.Check(it.Type.Valid(), "type", "事项类型须为 GB/T 39046 的类型之一（许可、确认、公共服务等）")
	c.Check(strings.TrimSpace(it.DepartmentCode) != "", "department", "事项须有实施部门")
	if f := text.Identifier(it.DepartmentCode); f != nil {
		c.Add("department", "实施部门编码"+f.Message())
	}
	c.Check(it.Kind == Instant || it.Kind == Promised, "kind", "办件类型须为 instant（即办件）或 promised（承诺件）")
	c.Check(it.StatutoryDays >= 0 && it.StatutoryDays <= MaxDays, "statutory_days", "法定时限须在 0 至 250 个工作日之间")
	switch it.Kind {
	case Instant:
		c.Check(it.PromisedDays == 0, "promised_days", "即办件的承诺时限须为 0")
	case Promised:
		c.Check(it.PromisedDays >= 1 && it.PromisedDays <= MaxDays, "promised_days", "承诺件的承诺时限须在 1 至 250 个工作日之间")
		c.Check(it.PromisedDays <= it.StatutoryDays, "promised_days", "承诺时限不能超过法定时限")
		c.Check(!it.Delegated, "delegated", "只有即办件可以授权窗口办理")
	}
	c.Check(it.ReviewLevels >= 0 && it.ReviewLevels <= MaxReviewLevels, "review_levels", "审批层级须为 1、2 或 3")
	c.Check(it.Kind != Instant || it.ReviewLevels <= 1, "review_levels", "即办件当场办结，只能一级审批")
	checkInitialReview(&c, it)
	c.Check(it.OnlineLevel.Valid(), "online_level", "网办深度须为 none、pre 或 full")
	c.Check(validText(it.Fees, 500), "fees", "须写明收费标准，不收费的写“不收费”")
	c.Check(utf8.RuneCountInString(it.LegalBasis) <= 2000, "legal_basis", "设定依据不超过 2000 个字")
	for _, x := range []struct{ field, value string }{
		{"legal_basis", it.LegalBasis}, {"conditions", it.Conditions}, {"special_procedures", it.SpecialProcedures},
	} {
		if f := text.Check(x.value, true); f != nil {
			c.Add(x.field, f.Message())
		}
	}
	c.Check(len(it.ApplicantKinds) > 0, "applicant_kinds", "须指明申请人类型")
	for _, k := range it.ApplicantKinds {
		c.Check(k.Valid(), "applicant_kinds", "未知的申请人类型："+string(k))
	}
	for _, s := range it.CollectAtIssuance {
		c.Check(validText(s, 100), "collect_at_issuance", "出件时收回的物品名称不能为空且不超过 100 个字")
	}
	c.Check(len(it.Materials) > 0, "materials", "事项须列明申请材料")
	seen := map[string]bool{}
	deferrable := false
	for i, m := range it.Materials {
		f := "materials[" + strconv.Itoa(i) + "]"
		c.Check(validItemCode(m.Code), f+".code", "材料编码须为 2 至 64 位字母、数字、下划线或连字符")
		if tf := text.Check(m.Notes, true); tf != nil {
			c.Add(f+".notes", tf.Message())
		}
		c.Check(utf8.RuneCountInString(m.Shared) <= 100 && text.Check(m.Shared, false) == nil, f+".shared", "共享获取来源不超过 100 个字")
		c.Check(!seen[m.Code], f+".code", "材料编码重复："+m.Code)
		seen[m.Code] = true
		c.Check(validText(m.Name, 200), f+".name", "材料名称不能为空且不超过 200 个字")
		c.Check(m.Originals >= 0 && m.Copies >= 0 && m.Originals+m.Copies >= 1 && m.Originals <= 20 && m.Copies <= 20, f+".copies", "材料的原件、复印件份数须在 0 至 20 之间且至少 1 份")
		c.Check(m.Paper || m.Electronic, f+".paper", "材料须可以纸质或电子形式提交")
		c.Check(!m.Deferrable || m.Required, f+".deferrable", "只有必交材料才需要容缺")
		deferrable = deferrable || m.Deferrable
	}
	if deferrable {
		c.Check(it.Kind == Promised, "deferral_days", "即办件不能容缺受理")
		c.Check(it.DeferralDays >= 1, "deferral_days", "有容缺材料的事项须设定补齐期限")
		c.Check(it.DeferralDays <= it.PromisedDays, "deferral_days", "容缺补齐期限不能超过承诺时限")
	} else {
		c.Check(it.DeferralDays == 0, "deferral_days", "没有容缺材料的事项不设补齐期限")
	}
	return c.Err("事项信息有误")
}

func validItemCode(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// validText reports whether s is a single line of text, not blank, of at
// most max characters, with nothing text.Check refuses.
func validText(s string, max int) bool {
	s = strings.TrimSpace(s)
	return s != "" && utf8.RuneCountInString(s) <= max && text.Valid(s)
}
