package service

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
)

// ratingSettings are the rating rules in force (Config.Rating).
func (s *base) ratingSettings() rating.Settings { return s.cfg.Rating }

// RatingReceipt is what a rater gets back: the rating as given (name and
// phone masked), the key with which to add to it later and until when, and
// for a bad rating the date by which it will be rectified.
type RatingReceipt struct {
	Rating    rating.Rating
	Key       string    // shown once; only its hash is kept
	AddBy     time.Time // the end of the addition period
	RectifyBy time.Time // zero for a good rating
}

// notOnBehalf refuses anyone signed in: a rating is the applicant's own,
// and no staff account (nor the system) may give one for them.
func notOnBehalf(ctx context.Context) error {
	if a := ActorFrom(ctx); a != nil && a.Account == nil {
		return apperr.New(apperr.Forbidden, "评价须由办事群众本人进行，工作人员账号不能代为评价")
	}
	return nil
}

// randomKey returns a fresh unguessable key with prefix.
func randomKey(prefix string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", apperr.Wrap(err, "random key")
	}
	return prefix + base64.RawURLEncoding.EncodeToString(raw), nil
}

// RatingToken issues the one-time token with which the applicant of a
// finished visit (a queue ticket) rates it on the window's rating pad. The
// queue calls it when a window finishes a ticket; a clerk may issue tokens
// only for their own service. Only the token's hash is kept; a visit gets
// one token.
func (s *Ratings) RatingToken(ctx context.Context, ticketID, window, clerk, hall string) (string, error) {
	a, err := requireIn(ctx, org.WorkWindow, "发放评价码")
	if err != nil {
		return "", err
	}
	ticketID, window, clerk, hall = strings.TrimSpace(ticketID), strings.TrimSpace(window), strings.TrimSpace(clerk), strings.TrimSpace(hall)
	var errs apperr.Collector
	errs.Check(ticketID != "" && len(ticketID) <= 64, "ticket_id", "须指明服务的取号记录")
	errs.Check(clerk != "", "clerk", "须指明服务的工作人员")
	errs.Check(hall != "" && window != "", "window", "须指明大厅和窗口")
	if err := errs.Err("评价码信息有误"); err != nil {
		return "", err
	}
	if !a.System && a.User.Username != clerk {
		return "", apperr.New(apperr.Forbidden, "只能为本人办结的服务发放评价码")
	}
	windows, err := s.store.Windows(ctx, hall)
	if err != nil {
		return "", err
	}
	var w *org.Window
	for i := range windows {
		if windows[i].Number == window {
			w = &windows[i]
		}
	}
	if w == nil {
		return "", apperr.Field("window", "大厅 "+hall+" 没有窗口 "+window)
	}
	token, err := randomKey("rv_")
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	err = s.store.CreateVisitToken(ctx, store.VisitToken{
		Hash: tokenHash(token), TicketID: ticketID, HallCode: hall, Window: window, Clerk: clerk,
		Department: w.DepartmentCode, IssuedAt: now, ExpiresAt: now.Add(s.ratingSettings().VisitTokenTTL),
	})
	if apperr.Is(err, apperr.Conflict) {
		return "", apperr.New(apperr.Conflict, "该次服务已发放过评价码")
	}
	return token, err
}

// RateVisit saves the rating of a visit given with its one-time token.
// Nobody may be signed in. A bad rating opens its rectification in the
// same transaction.
func (s *Ratings) RateVisit(ctx context.Context, token string, in rating.Input) (*RatingReceipt, error) {
	if err := notOnBehalf(ctx); err != nil {
		return nil, err
	}
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 100 {
		return nil, apperr.Field("token", "评价码无效")
	}
	if err := in.Validate(rating.VisitChannels); err != nil {
		return nil, err
	}
	hash := tokenHash(token)
	t, err := s.store.VisitToken(ctx, hash)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	switch {
	case !t.UsedAt.IsZero():
		return nil, apperr.New(apperr.Conflict, "本次服务已评价过，每次服务只能评价一次")
	case !now.Before(t.ExpiresAt):
		return nil, apperr.New(apperr.Conflict, "评价码已过期")
	}
	r := rating.New(in, now)
	r.TicketID, r.HallCode, r.Window, r.Clerk, r.Department = t.TicketID, t.HallCode, t.Window, t.Clerk, t.Department
	return s.saveRating(ctx, r, hash)
}

// errNoRating is the one answer to a wrong case number, rating or code.
func errNoRating() error { return apperr.New(apperr.NotFound, "办件编号或查询码不正确") }

// checkCaseCode returns the case if code is its check code: the progress
// page's look-up, with its limits (one secret, one count of guesses).
func (s *Ratings) checkCaseCode(ctx context.Context, number, code string) (*casework.Case, error) {
	number, code = strings.TrimSpace(number), strings.TrimSpace(code)
	if number == "" || code == "" {
		return nil, apperr.Field("check_code", "请输入办件编号和查询码")
	}
	return s.cases.caseByCode(ctx, number, code)
}

// rateable reports whether a case may be rated online: once its service
// has ended (delivered, archived, or closed otherwise).
func rateable(st casework.State) bool {
	return st == casework.Delivered || st.Closed()
}

// RateCase saves the online rating of a case, given with the check code
// printed on its receipt. Nobody may be signed in; a case is rated once,
// after its service has ended. A bad rating opens its rectification in the
// same transaction.
func (s *Ratings) RateCase(ctx context.Context, number, code string, in rating.Input) (*RatingReceipt, error) {
	if err := notOnBehalf(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(rating.CaseChannels); err != nil {
		return nil, err
	}
	c, err := s.checkCaseCode(ctx, number, code)
	if err != nil {
		return nil, err
	}
	if !rateable(c.State) {
		return nil, apperr.New(apperr.Conflict, "办件%s，办结后才能评价", c.StateLabel())
	}
	r := rating.New(in, s.clock.Now())
	r.CaseNumber, r.HallCode, r.Clerk, r.Department = c.Number, c.HallCode, c.ReceivedBy, c.DepartmentCode
	return s.saveRating(ctx, r, "")
}

// saveRating gives r its addition key, opens the rectification of a bad
// rating and saves both.
func (s *Ratings) saveRating(ctx context.Context, r *rating.Rating, tokenHashed string) (*RatingReceipt, error) {
	key := rating.NewKey()
	r.KeyHash = tokenHash(rating.KeyForm(key))
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	set := s.ratingSettings()
	x, ev := rating.OpenRectification(r, cal, set)
	if err := s.store.CreateRating(ctx, r, tokenHashed, x, ev); err != nil {
		return nil, err
	}
	out := &RatingReceipt{Rating: r.Masked(), Key: key, AddBy: r.CreatedAt.AddDate(0, 0, set.AdditionDays)}
	if x != nil {
		out.RectifyBy = x.Deadline
		s.log.Info("bad rating: rectification opened", "rating", r.ID, "rectification", x.ID, "due", x.Deadline,
			"department", r.Department, "window", r.Window, "request_id", RequestFrom(ctx).ID)
	}
	return out, nil
}

// AddToRating records the rater's addition (追加评价) to rating id: tags
// and text, not the level, once, within the addition period. The rater
// proves the rating is theirs with the key they were given, or, for a
// case's rating, with the case's check code.
func (s *Ratings) AddToRating(ctx context.Context, id int64, key, checkCode string, in rating.AdditionInput) (*rating.Rating, error) {
	if err := notOnBehalf(ctx); err != nil {
		return nil, err
	}
	key = strings.TrimSpace(key)
	var attempt *codeAttempt
	if key != "" {
		// A wrong key counts as a wrong check code does: rating_key.go.
		var err error
		if attempt, err = s.beginKey(ctx, id); err != nil {
			return nil, err
		}
	}
	r, err := s.store.Rating(ctx, id)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	keyOK := r != nil && key != "" && utf8.RuneCountInString(key) <= 100 &&
		subtle.ConstantTimeCompare([]byte(tokenHash(rating.KeyForm(key))), []byte(r.KeyHash)) == 1
	if err := s.keyChecked(ctx, attempt, keyOK); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, apperr.New(apperr.NotFound, "评价不存在或凭证不正确")
	}
	switch {
	case keyOK:
	case checkCode != "" && r.CaseNumber != "":
		if _, err := s.checkCaseCode(ctx, r.CaseNumber, checkCode); err != nil {
			return nil, err
		}
	default:
		return nil, apperr.New(apperr.NotFound, "评价不存在或凭证不正确")
	}
	add, err := r.Add(in, s.ratingSettings(), s.clock.Now())
	if err != nil {
		return nil, err
	}
	if err := s.store.AddToRating(ctx, r.ID, add); err != nil {
		return nil, err
	}
	r.Addition = add
	masked := r.Masked()
	return &masked, nil
}

// RectificationView is a rectification as one viewer sees it: its shown
// status (overdue derived), its warning, what the viewer may do, and the
// rating (rater masked).
type RectificationView struct {
	Rectification *rating.Rectification
	Status        rating.State
	Warning       calendar.Warning
	// How its time stands, as people read it: the warning's rank (red
	// first) and words, and the deadline in words while it runs.
	WarningRank  int
	WarningLabel string
	Words        string
	Allowed      []rating.Action
	Rating       *rating.Rating // filled by Rectification, not by Rectifications
	// Names are the department's, the hall's and the people's names
	// (rectification_names.go); Proposed the outcome a report waiting for
	// the supervisor asks to confirm, in words ("" otherwise).
	Names    RectificationNames
	Proposed string
}

func rectActor(ctx context.Context) (rating.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return rating.Actor{}, err
	}
	if a.System {
		return rating.Actor{System: true, Username: "system"}, nil
	}
	if a.User == nil {
		return rating.Actor{}, apperr.New(apperr.Forbidden, "申请人账户不能处理差评整改")
	}
	return rating.Actor{Username: a.User.Username, Role: a.User.Role, Department: a.User.DepartmentCode}, nil
}

func rectView(x *rating.Rectification, a rating.Actor, cal *calendar.Calendar, now time.Time) *RectificationView {
	v := &RectificationView{Rectification: x, Status: x.Status(now), Warning: x.Warning(cal, now), Allowed: x.Allowed(a),
		Proposed: proposedLabel(x)}
	v.WarningRank, v.WarningLabel = v.Warning.Rank(), v.Warning.Label()
	if x.State.Running() {
		v.Words = cal.DueWords(now, x.Deadline)
	}
	return v
}

// Rectification returns one rectification with its events and rating.
func (s *Ratings) Rectification(ctx context.Context, id int64) (*RectificationView, error) {
	a, err := rectActor(ctx)
	if err != nil {
		return nil, err
	}
	x, err := s.store.Rectification(ctx, id)
	if err != nil {
		return nil, err
	}
	if !x.MayRead(a) {
		return nil, apperr.New(apperr.Forbidden, "只能查看本部门的整改单")
	}
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	v := rectView(x, a, cal, s.clock.Now())
	r, err := s.store.Rating(ctx, x.RatingID)
	if err != nil {
		return nil, err
	}
	masked := r.Masked()
	v.Rating = &masked
	return v, s.nameRectifications(ctx, v)
}

// RectificationFilter narrows the rectification list.
type RectificationFilter struct {
	State      rating.State // a stored state, or overdue; "" for all
	Department string
}

// Rectifications lists rectifications, the earliest deadline first.
// Department roles see their own department's; supervisors and the
// bureau's admins see every one.
func (s *Ratings) Rectifications(ctx context.Context, f RectificationFilter) ([]*RectificationView, error) {
	a, err := rectActor(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case a.System, a.Role == org.RoleSupervisor, a.Role == org.RoleAdmin:
	case a.Role.NeedsDepartment():
		if f.Department != "" && f.Department != a.Department {
			return nil, apperr.New(apperr.Forbidden, "只能查看本部门的整改单")
		}
		f.Department = a.Department
	default:
		return nil, apperr.New(apperr.Forbidden, "您的角色（%s）无权查看差评整改", a.Role.Label())
	}
	now := s.clock.Now()
	sf := store.RectificationFilter{Department: f.Department}
	switch {
	case f.State == "":
	case f.State == rating.Overdue:
		sf.DueBefore = now
	case validRectState(f.State):
		sf.States = []rating.State{f.State}
	default:
		return nil, apperr.Field("state", "未知的整改状态："+string(f.State))
	}
	list, err := s.store.Rectifications(ctx, sf)
	if err != nil {
		return nil, err
	}
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*RectificationView, 0, len(list))
	for i := range list {
		out = append(out, rectView(&list[i], a, cal, now))
	}
	return out, s.nameRectifications(ctx, out...)
}

func validRectState(st rating.State) bool {
	for _, known := range rating.States {
		if st == known {
			return true
		}
	}
	return false
}

// ActOnRectification takes one action on a rectification: the rated party
// verifies, rectifies, explains or appeals; a supervisor upholds or rejects
// an appeal. expectedVersion, if not 0, is the version the actor saw.
func (s *Ratings) ActOnRectification(ctx context.Context, id int64, action rating.Action, in rating.StepInput, expectedVersion int) (*RectificationView, error) {
	a, err := rectActor(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	x, err := s.store.UpdateRectification(ctx, id, func(x *rating.Rectification) (*rating.RectificationEvent, error) {
		if !x.MayRead(a) {
			return nil, apperr.New(apperr.Forbidden, "只能办理本部门的整改单")
		}
		if expectedVersion != 0 && expectedVersion != x.Version {
			return nil, apperr.New(apperr.Conflict, "整改单已被他人修改（当前第 %d 版，您看到的是第 %d 版），请刷新后重试", x.Version, expectedVersion)
		}
		return x.Apply(action, in, a, now)
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("rectification changed", "id", id, "action", action, "state", x.State, "by", a.Username, "request_id", RequestFrom(ctx).ID)
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	v := rectView(x, a, cal, now)
	return v, s.nameRectifications(ctx, v)
}

// Rates returns, per group, the satisfaction rate and the real-name
// bad-rating rectification rate of the ratings given from from up to (not
// including) to. Ratings whose appeal was upheld do not count. For
// supervisors and the bureau's admins.
func (s *Ratings) Rates(ctx context.Context, from, to time.Time, groupBy rating.GroupBy) ([]rating.Rate, error) {
	if _, err := requireIn(ctx, org.WorkSupervision, "查看好差评统计"); err != nil {
		return nil, err
	}
	if !groupBy.Valid() {
		return nil, apperr.Field("group", "统计维度须为 department、window、clerk 或 hall")
	}
	if from.IsZero() || to.IsZero() || !from.Before(to) {
		return nil, apperr.Field("from", "统计期间有误：开始须早于结束")
	}
	return s.store.RatingRates(ctx, from, to, groupBy)
}
