package service

import (
	"context"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
)

// The rater's addition key (rating.NewKey) is short enough to write down;
// what keeps it from being guessed is the check code's lockouts, applied
// to each rating as to each case number: a client that gives one rating
// too many wrong keys is locked out of it, a client that gives too many
// for any is locked out of every look-up, and a rating tried from
// everywhere backs off (lockout.go).

// beginKey applies the lockouts before a key of rating id is compared.
func (s *Ratings) beginKey(ctx context.Context, id int64) (*codeAttempt, error) {
	a, err := s.cases.access.beginCode(ctx, "rating:"+strconv.FormatInt(id, 10), s.clock.Now())
	if wait := apperr.RetryAfterOf(err); wait > 0 {
		return nil, apperr.TooMany(wait, "追加评价凭证错误次数过多，请%s后再试", waitWords(wait))
	}
	return a, err
}

// keyChecked counts a wrong key (ok false) or forgets the client's wrong
// keys of the rating (ok true); a nil attempt (no key given) counts nothing.
func (s *Ratings) keyChecked(ctx context.Context, a *codeAttempt, ok bool) error {
	if a == nil {
		return nil
	}
	if ok {
		return s.cases.access.codeSucceeded(ctx, a)
	}
	return s.cases.access.codeFailed(ctx, a, s.clock.Now())
}
