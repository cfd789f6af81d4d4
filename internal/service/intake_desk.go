package service

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// The intake desk (综合受理) beside Intake itself: finding an item by name,
// code or pinyin initials, the item the intake form is built from, the
// recall of a returning applicant, and the one-time notice (一次性告知单,
// 行政许可法 art. 32) given when the materials are not enough.

// DeskItem is an item as the intake desk shows it.
type DeskItem struct {
	Item        *catalog.Item // the current version; shared, never to be changed
	Department  string        // the department's name
	Initials    string        // the pinyin initials of the name, as a clerk types them
	DeferralDue time.Time     // the default (and latest) due date of deferred materials; zero: no deferral
}

// itemIndex is the current catalog ready for the desk's search.
type itemIndex struct {
	version int64 // the catalog counter it was built at
	entries []indexEntry
}

// indexEntry is one item with the forms a clerk may type to find it.
type indexEntry struct {
	item     *catalog.Item
	code     string   // lower case
	name     string   // lower case
	initials string   // first letters of the first reading of each character
	letters  []string // per character, the first letters of all its readings (多音字)
	spelled  string   // the whole name in pinyin without tones, first readings
}

// deskIndex returns the search index, rebuilt only after a catalog edit
// (by any node: the catalog counter is in the database).
func (s *Casework) deskIndex(ctx context.Context) (*itemIndex, error) {
	v, err := s.store.CacheVersions(ctx)
	if err != nil {
		return nil, err
	}
	catV := v.Catalog
	if idx := s.searchIndex.Load(); idx != nil && idx.version == catV {
		return idx, nil
	}
	items, err := s.store.Items(ctx, store.ItemFilter{})
	if err != nil {
		return nil, err
	}
	idx := &itemIndex{version: catV, entries: make([]indexEntry, len(items))}
	for i := range items {
		it := &items[i]
		e := indexEntry{item: it, code: strings.ToLower(it.Code), name: strings.ToLower(it.Name)}
		e.letters, e.initials, e.spelled = deskSpell(it.Name)
		idx.entries[i] = e
	}
	// Two requests may rebuild at once after an edit; either result is
	// the same catalog.
	s.searchIndex.Store(idx)
	return idx, nil
}

// deskSpell returns, for each character of name that has a reading (Chinese
// characters, ASCII letters and digits; punctuation is skipped), the
// possible first letters, and the initials and the full pinyin by the
// first readings.
func deskSpell(name string) (letters []string, initials, spelled string) {
	ascii := func(r rune, _ pinyin.Args) []string {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return []string{strings.ToLower(string(r))}
		}
		return nil
	}
	first := pinyin.Pinyin(name, pinyin.Args{Style: pinyin.FirstLetter, Heteronym: true, Fallback: ascii})
	var ib strings.Builder
	for _, readings := range first {
		letters = append(letters, strings.Join(readings, ""))
		ib.WriteString(readings[0])
	}
	full := pinyin.LazyPinyin(name, pinyin.Args{Style: pinyin.Normal, Fallback: ascii})
	return letters, ib.String(), strings.Join(full, "")
}

// matchesInitials reports whether q (lower-case letters and digits) is the
// initials of a run of characters starting at from, any reading of each
// character counting: "yh" finds 银行 whichever reading 行 has.
func (e *indexEntry) matchesInitials(q string, from int) bool {
	if from+len(q) > len(e.letters) {
		return false
	}
	for j := 0; j < len(q); j++ {
		if !strings.ContainsRune(e.letters[from+j], rune(q[j])) {
			return false
		}
	}
	return true
}

// rank says how well q finds the entry: lower is better, -1 not at all.
func (e *indexEntry) rank(q string) int {
	switch {
	case e.code == q:
		return 0
	case strings.HasPrefix(e.code, q):
		return 1
	case strings.Contains(e.name, q):
		return 2
	case !isSpellable(q):
		return -1
	case e.matchesInitials(q, 0):
		return 3
	}
	for from := 1; from < len(e.letters); from++ {
		if e.matchesInitials(q, from) {
			return 4
		}
	}
	switch {
	case strings.Contains(e.spelled, q):
		return 5
	case strings.Contains(e.code, q):
		return 6
	}
	return -1
}

// isSpellable reports whether q can be pinyin: ASCII letters and digits.
func isSpellable(q string) bool {
	for _, r := range q {
		if r >= utf8.RuneSelf || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return q != ""
}

// SearchItems finds the current items a clerk means by q: the code (or
// its beginning), part of the name, the pinyin initials of the name or a
// part of it ("spjy" finds 食品经营许可), or its pinyin spelled out. The best
// matches come first; an empty q lists every item by code.
//
// A clerk of a hall finds only the items the hall takes in (its scope:
// network.Scope); the API refuses others at intake with the same rule.
func (s *Casework) SearchItems(ctx context.Context, q string) ([]DeskItem, error) {
	a, err := requireIn(ctx, org.WorkIntake, "使用综合受理台")
	if err != nil {
		return nil, err
	}
	idx, err := s.deskIndex(ctx)
	if err != nil {
		return nil, err
	}
	takesIn := func(string) bool { return true }
	if u := a.User; u != nil && u.HallCode != "" {
		sc, err := s.scopeOf(ctx, u.HallCode)
		if err != nil {
			return nil, err
		}
		takesIn = sc.TakesIn
	}
	names, err := s.deskDepartmentNames(ctx)
	if err != nil {
		return nil, err
	}
	q = strings.ToLower(strings.Join(strings.Fields(q), ""))
	type hit struct {
		e    *indexEntry
		rank int
	}
	var hits []hit
	for i := range idx.entries {
		e := &idx.entries[i]
		if !takesIn(e.item.Code) {
			continue
		}
		r := 0
		if q != "" {
			if r = e.rank(q); r < 0 {
				continue
			}
		}
		hits = append(hits, hit{e, r})
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.rank - b.rank }) // entries are by code already
	out := make([]DeskItem, 0, len(hits))
	for _, h := range hits {
		out = append(out, DeskItem{Item: h.e.item, Department: names[h.e.item.DepartmentCode], Initials: h.e.initials})
	}
	return out, nil
}

func (s *Casework) deskDepartmentNames(ctx context.Context) (map[string]string, error) {
	deps, err := s.store.Departments(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(deps))
	for _, d := range deps {
		names[d.Code] = d.Name
	}
	return names, nil
}

// IntakeItem returns the current version of the item the intake form is
// for, with the default due date of deferred materials counted from now.
// A hall that does not take the item in refuses its form, as the intake.
func (s *Casework) IntakeItem(ctx context.Context, code string) (*DeskItem, error) {
	a, err := requireIn(ctx, org.WorkIntake, "使用综合受理台")
	if err != nil {
		return nil, err
	}
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	it, err := s.currentItem(ctx, code)
	if err != nil {
		return nil, err
	}
	if u := a.User; u != nil && u.HallCode != "" {
		p, err := s.hallPlan(ctx, u.HallCode)
		if err != nil {
			return nil, err
		}
		if err := p.Scope.RefuseIntake(p.Hall.Name, it); err != nil {
			return nil, err
		}
	}
	names, err := s.deskDepartmentNames(ctx)
	if err != nil {
		return nil, err
	}
	d := &DeskItem{Item: it, Department: names[it.DepartmentCode]}
	_, d.Initials, _ = deskSpell(it.Name)
	if it.DeferralDays > 0 {
		d.DeferralDue = cal.AddWorkingDays(s.clock.Now(), it.DeferralDays)
	}
	return d, nil
}

// ApplicantRecall is a returning applicant's details and where they came
// from.
type ApplicantRecall = store.ApplicantRecall

// RecallApplicant returns what the hall last recorded of the applicant
// with idNumber (a resident ID or credit code as typed), so that the clerk
// need not type it again. Only intake clerks may, and every recall is
// logged with the number masked.
func (s *Casework) RecallApplicant(ctx context.Context, idNumber string) (*ApplicantRecall, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || !a.Is(org.RoleIntake) {
		return nil, apperr.New(apperr.Forbidden, "只有综合受理窗口可以调取申请人信息")
	}
	idNumber = strings.ToUpper(strings.TrimSpace(idNumber))
	if idNumber == "" || utf8.RuneCountInString(idNumber) > 32 {
		return nil, apperr.Field("id_number", "请填写完整的证件号码")
	}
	rec, err := s.store.RecallApplicant(ctx, idNumber)
	if err != nil {
		return nil, err
	}
	s.log.Info("applicant recalled", "id_number", identity.Mask(idNumber), "source", rec.Source, "number", rec.Number,
		"by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return rec, nil
}

// IncompleteIntake is an application that cannot be taken in yet.
type IncompleteIntake struct {
	ItemCode  string
	Applicant casework.Party           // kind, name and, if shown, ID type and number
	Materials []casework.MaterialInput // as the intake form marks them: provided, or deferred
	Note      string                   // anything else the applicant must know
}

// IntakeAttempt is a one-time notice as the desk shows it: the applicant's
// ID number is masked.
type IntakeAttempt = casework.IntakeAttempt

// deskMaxNote is the longest note a one-time notice carries.
const deskMaxNote = 500

// RecordIncomplete records that an application could not be taken in and
// what the applicant was told, in one go, to bring (行政许可法 art. 32): every
// required material of the handbook not marked provided, but those the
// hall obtains itself through data sharing (catalog.Material.ToBring),
// which the notice lists as exempt instead. A material
// marked deferred counts as missing, since without the case taken in there
// is nothing to defer. At least one required material must be missing,
// else the case should simply be taken in.
func (s *Casework) RecordIncomplete(ctx context.Context, in IncompleteIntake) (*IntakeAttempt, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || !a.Is(org.RoleIntake) {
		return nil, apperr.New(apperr.Forbidden, "只有综合受理窗口可以出具一次性告知单")
	}
	if _, err := s.districtCalendar(ctx); err != nil { // refreshes the item cache
		return nil, err
	}
	item, err := s.currentItem(ctx, in.ItemCode)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("item_code", "未知的事项："+in.ItemCode)
	}
	if err != nil {
		return nil, err
	}
	var errs apperr.Collector
	p := in.Applicant
	p.Name = strings.TrimSpace(p.Name)
	p.IDNumber = strings.ToUpper(strings.TrimSpace(p.IDNumber))
	errs.Check(p.Kind == casework.Person || p.Kind == casework.Entity, "applicant.kind", "申请人类型须为自然人或法人及其他组织")
	errs.Check(p.Name != "" && utf8.RuneCountInString(p.Name) <= 100, "applicant.name", "请填写申请人姓名或名称（不超过 100 个字），告知单须写明告知对象")
	if p.IDNumber == "" {
		p.IDType = "" // the applicant showed no document: nothing to record
	} else {
		switch {
		case !p.IDType.Valid():
			errs.Add("applicant.id_type", "未知的证件类型")
		case p.Kind == casework.Person && p.IDType == identity.CreditCode:
			errs.Add("applicant.id_type", "自然人不能使用统一社会信用代码")
		case p.Kind == casework.Entity && p.IDType != identity.CreditCode:
			errs.Add("applicant.id_type", "法人或其他组织须使用统一社会信用代码")
		default:
			if err := identity.Validate(p.IDType, p.IDNumber); err != nil {
				errs.Add("applicant.id_number", apperr.MessageOf(err))
			}
		}
	}
	p.Phone, p.Address = "", "" // a notice keeps no more than it must
	note := strings.TrimSpace(in.Note)
	errs.Check(utf8.RuneCountInString(note) <= deskMaxNote, "note", "补充说明不超过 500 个字")
	missing := deskMissing(&errs, item, in.Materials)
	if err := errs.Err("告知信息有误，未出具一次性告知单"); err != nil {
		return nil, err
	}
	at := &casework.IntakeAttempt{
		ItemCode: item.Code, ItemVersion: item.Version, Applicant: p, Missing: missing, Note: note,
		Clerk: a.User.Username, ClerkName: a.User.Name, HallCode: a.User.HallCode, CreatedAt: s.clock.Now(),
	}
	if err := s.store.CreateIntakeAttempt(ctx, at); err != nil {
		return nil, err
	}
	s.log.Info("one-time notice given", "id", at.ID, "item", item.Code, "missing", len(missing), "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	out := *at
	out.Applicant = out.Applicant.Masked()
	return &out, nil
}

// deskMissing checks the marks against the handbook (R15: nothing it
// does not list) and returns the materials the applicant has to bring
// (catalog.Material.ToBring) not marked provided.
func deskMissing(errs *apperr.Collector, item *catalog.Item, marks []casework.MaterialInput) []casework.MissingMaterial {
	provided := map[string]bool{}
	seen := map[string]bool{}
	for _, m := range marks {
		_, ok := item.Material(m.Code)
		switch {
		case !ok:
			errs.Add("materials", "办事指南未列明该材料："+m.Code)
		case seen[m.Code]:
			errs.Add("materials", "材料重复："+m.Code)
		case m.Status != casework.Provided && m.Status != casework.Deferred:
			errs.Add("materials", "材料状态须为已提交或容缺："+m.Code)
		}
		seen[m.Code] = true
		provided[m.Code] = provided[m.Code] || m.Status == casework.Provided
	}
	var out []casework.MissingMaterial
	for _, m := range item.Materials {
		if m.ToBring() && !provided[m.Code] {
			out = append(out, casework.MissingMaterial{Code: m.Code, Name: m.Name, Required: m.Required, Originals: m.Originals,
				Copies: m.Copies, Paper: m.Paper, Electronic: m.Electronic, Deferrable: m.Deferrable, Notes: m.Notes})
		}
	}
	if len(out) == 0 {
		errs.Add("materials", "须申请人提交的必交材料已齐全，不需要出具一次性告知单，请直接收件")
	}
	return out
}

// mayReadNotices returns the actor if it may read one-time notices:
// intake clerks (their own hall's) and supervisors (every hall's).
func mayReadNotices(ctx context.Context) (*Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || a.Is(org.RoleIntake, org.RoleSupervisor) {
		return a, nil
	}
	return nil, apperr.New(apperr.Forbidden, "您无权查看一次性告知单")
}

// OneTimeNotice is a one-time notice ready to print: the record (ID
// masked), the item version it was given under, and the hall.
type OneTimeNotice struct {
	Attempt    *IntakeAttempt
	Item       *catalog.Item
	Department string
	Hall       org.Hall // zero for a clerk without a hall
}

// OneTimeNotice returns the one-time notice with id. Intake clerks see
// their own hall's only.
func (s *Casework) OneTimeNotice(ctx context.Context, id int64) (*OneTimeNotice, error) {
	a, err := mayReadNotices(ctx)
	if err != nil {
		return nil, err
	}
	at, err := s.store.IntakeAttempt(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleIntake) && at.HallCode != a.User.HallCode {
		return nil, apperr.New(apperr.Forbidden, "只能查看本大厅出具的一次性告知单")
	}
	at.Applicant = at.Applicant.Masked()
	item, err := s.store.ItemVersion(ctx, at.ItemCode, at.ItemVersion)
	if err != nil {
		return nil, err
	}
	names, err := s.deskDepartmentNames(ctx)
	if err != nil {
		return nil, err
	}
	n := &OneTimeNotice{Attempt: at, Item: item, Department: names[item.DepartmentCode]}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range halls {
		if h.Code == at.HallCode {
			n.Hall = h
		}
	}
	return n, nil
}

// IntakeAttempts lists the one-time notices given on day (Asia/Shanghai),
// newest first: an intake clerk's own hall's, a supervisor's every hall's.
func (s *Casework) IntakeAttempts(ctx context.Context, day calendar.Date) ([]IntakeAttempt, error) {
	a, err := mayReadNotices(ctx)
	if err != nil {
		return nil, err
	}
	f := store.IntakeAttemptFilter{From: day.At(0, 0), To: day.AddDays(1).At(0, 0)}
	if a.Is(org.RoleIntake) {
		f.Hall = a.User.HallCode
	}
	list, err := s.store.IntakeAttempts(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Applicant = list[i].Applicant.Masked()
	}
	return list, nil
}
