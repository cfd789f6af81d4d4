package service

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
)

// The rating pad (评价器) is a tablet facing the applicant at one window.
// Nobody signs in on it: an admin pairs it once, which gives the tablet a
// device key (kept in a cookie); only the paired tablet learns the token of
// the visit just finished at its window, and the applicant rates with it.
// A staff account never rates: RateVisit refuses anyone signed in.

// PadWait is how long a finished visit waits on the pad for its rating
// when the window console names no other time.
const PadWait = 10 * time.Minute

// padWindow returns the window numbered window in hall.
func (s *Ratings) padWindow(ctx context.Context, hall, window string) (*org.Window, error) {
	hall, window = strings.TrimSpace(hall), strings.TrimSpace(window)
	if hall == "" || window == "" || len(hall) > 32 || len(window) > 32 {
		return nil, apperr.Field("window", "须指明大厅和窗口")
	}
	windows, err := s.store.Windows(ctx, hall)
	if err != nil {
		return nil, err
	}
	for i := range windows {
		if windows[i].Number == window {
			return &windows[i], nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "大厅 %s 没有窗口 %s", hall, window)
}

// PairPad makes the tablet that asks the window's rating pad and returns
// its device key, shown once; a tablet paired before stops working. For
// the clerk signed in at that window, and the bureau's admins.
func (s *Ratings) PairPad(ctx context.Context, hall, window string) (string, error) {
	a, err := require(ctx, "配置评价器", append(org.RolesSeeing(org.WorkWindow), org.RoleAdmin)...)
	if err != nil {
		return "", err
	}
	w, err := s.padWindow(ctx, hall, window)
	if err != nil {
		return "", err
	}
	if err := s.mayPairPad(ctx, a, w); err != nil {
		return "", err
	}
	key, err := randomKey("rp_")
	if err != nil {
		return "", err
	}
	by := "system"
	if a.User != nil {
		by = a.User.Username
	}
	if err := s.store.PairRatingPad(ctx, w.HallCode, w.Number, tokenHash(key), s.clock.Now(), by); err != nil {
		return "", err
	}
	s.log.Info("rating pad paired", "hall", w.HallCode, "window", w.Number, "by", by, "request_id", RequestFrom(ctx).ID)
	return key, nil
}

// mayPairPad lets the bureau's admins pair any window's pad, and a clerk
// only the pad of the window they are signed in at (queue.Window.Clerk):
// the pad then rates that clerk's service.
func (s *Ratings) mayPairPad(ctx context.Context, a *Actor, w *org.Window) error {
	if a.System || a.Is(org.RoleAdmin) {
		return nil
	}
	qw, err := s.store.QueueWindow(ctx, w.HallCode, w.Number)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if qw == nil || !qw.SignedIn(a.User.Username) {
		return apperr.New(apperr.Forbidden, "只有在%s窗口登录的工作人员（或系统管理员）可以配置该窗口的评价器：请先在“窗口叫号”开窗", w.Number)
	}
	return nil
}

// SetPadPending hands the token RatingToken issued for a visit just
// finished at the window to the window's pad, until expires (zero: PadWait
// from now; never beyond the token's own life). The window console calls
// it right after RatingToken, as the clerk who finished the visit.
func (s *Ratings) SetPadPending(ctx context.Context, hall, window, token string, expires time.Time) error {
	if _, err := requireIn(ctx, org.WorkWindow, "向评价器发送评价码"); err != nil {
		return err
	}
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 100 {
		return apperr.Field("token", "评价码无效")
	}
	w, err := s.padWindow(ctx, hall, window)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	limit := now.Add(s.ratingSettings().VisitTokenTTL)
	if expires.IsZero() {
		expires = now.Add(PadWait)
	}
	if expires.After(limit) {
		expires = limit
	}
	if !expires.After(now) {
		return apperr.Field("expires", "评价等待时间须晚于现在")
	}
	return s.store.SetRatingPadPending(ctx, w.HallCode, w.Number, token, expires)
}

// padDevice checks the device key of the window's pad. A tablet somebody
// is signed in on is refused outright: a rating must be the applicant's.
func (s *Ratings) padDevice(ctx context.Context, hall, window, key string) (hallCode, number string, pending string, err error) {
	if err := notOnBehalf(ctx); err != nil {
		return "", "", "", apperr.New(apperr.Forbidden, "评价器上登录了工作人员账号：请退出登录后再使用评价器")
	}
	hall, window, key = strings.TrimSpace(hall), strings.TrimSpace(window), strings.TrimSpace(key)
	noPad := apperr.New(apperr.Unauthorized, "本设备不是窗口 %s 的评价器：请该窗口的工作人员或管理员配置", window)
	if key == "" || len(key) > 100 || len(hall) > 32 || len(window) > 32 {
		return "", "", "", noPad
	}
	p, err := s.store.RatingPad(ctx, hall, window)
	if apperr.Is(err, apperr.NotFound) {
		return "", "", "", noPad
	}
	if err != nil {
		return "", "", "", err
	}
	if p.KeyHash == "" || subtle.ConstantTimeCompare([]byte(tokenHash(key)), []byte(p.KeyHash)) != 1 {
		return "", "", "", noPad
	}
	if p.PendingToken != "" && s.clock.Now().Before(p.PendingExpires) {
		pending = p.PendingToken
	}
	return p.HallCode, p.Window, pending, nil
}

// PadPending returns the token of the visit waiting for its rating on the
// window's pad, or "" while none waits; deviceKey is the pad's key.
func (s *Ratings) PadPending(ctx context.Context, hall, window, deviceKey string) (string, error) {
	_, _, pending, err := s.padDevice(ctx, hall, window, deviceKey)
	return pending, err
}

// SkipPad takes the visit's token off the pad without a rating: rating is
// voluntary. The token itself stays valid until it expires.
func (s *Ratings) SkipPad(ctx context.Context, hall, window, deviceKey, token string) error {
	h, w, _, err := s.padDevice(ctx, hall, window, deviceKey)
	if err != nil {
		return err
	}
	return s.store.ClearRatingPadPending(ctx, h, w, strings.TrimSpace(token))
}

// RateOnPad saves the rating given on the window's pad with the visit's
// token (RateVisit, channel 窗口评价器) and takes the token off the pad.
func (s *Ratings) RateOnPad(ctx context.Context, hall, window, deviceKey, token string, in rating.Input) (*RatingReceipt, error) {
	h, w, _, err := s.padDevice(ctx, hall, window, deviceKey)
	if err != nil {
		return nil, err
	}
	in.Channel = rating.Pad
	out, err := s.RateVisit(ctx, token, in)
	if err == nil || apperr.Is(err, apperr.Conflict) {
		// Rated, or rated before, or expired: nothing more to wait for.
		if cerr := s.store.ClearRatingPadPending(ctx, h, w, strings.TrimSpace(token)); cerr != nil && err == nil {
			return nil, cerr
		}
	}
	return out, err
}
