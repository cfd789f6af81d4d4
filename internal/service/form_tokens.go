package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// One-time tokens of the pages' forms. Every page form that creates or
// changes something carries a random token (page.FormToken); the first
// submission of the form claims it in the database, so that two
// submissions of one form (a double click, a resent request, the back
// button), on one node or two, act once: the repeat waits for the first
// and is answered with what the first got. A refused submission changed
// nothing and lets its claim go, so the form may be sent again.

// FormTokenTTL is how long a form's token keeps its first answer: a
// working day, so that a form left open and sent again the same day still
// finds it.
const FormTokenTTL = 12 * time.Hour

// formWait bounds how long a repeat waits for the first submission to
// answer; formPoll is how often it looks.
const (
	formWait = 30 * time.Second
	formPoll = 25 * time.Millisecond
)

// FormAnswer is what the first submission of a form answered, to answer a
// repeat with: a redirect with the flash message it left, or a page.
type FormAnswer struct {
	Status         int    `json:"status"`
	Location       string `json:"location,omitempty"`
	Flash          string `json:"flash,omitempty"`
	FlashLink      string `json:"flash_link,omitempty"`
	FlashLinkLabel string `json:"flash_link_label,omitempty"`
	ContentType    string `json:"content_type,omitempty"`
	Body           []byte `json:"body,omitempty"`
}

// formKey is the key a token is kept under: who posted (the signed-in
// staff member or applicant, or nobody), where to, and the token, hashed,
// so that a token copied into another person's request or another form's
// address opens nothing. A token is 32 hexadecimal digits.
func formKey(ctx context.Context, path, token string) (string, error) {
	if len(token) != 32 {
		return "", apperr.Field("form_token", "页面已过期，请刷新页面后重新提交")
	}
	if _, err := hex.DecodeString(token); err != nil {
		return "", apperr.Field("form_token", "页面已过期，请刷新页面后重新提交")
	}
	who := "anonymous"
	if u := UserFrom(ctx); u != nil {
		who = fmt.Sprintf("user:%d", u.ID)
	} else if a := AccountFrom(ctx); a != nil {
		who = fmt.Sprintf("account:%d", a.ID)
	}
	sum := sha256.Sum256([]byte("onewindow-form\x00" + who + "\x00" + path + "\x00" + token))
	return hex.EncodeToString(sum[:]), nil
}

// ClaimForm claims the form's token for this submission: true when it is
// the first, which then acts and records its answer (FinishForm) or lets
// the claim go (ReleaseForm); false when another submission holds it
// (AwaitForm).
func (s *Access) ClaimForm(ctx context.Context, path, token string) (bool, error) {
	key, err := formKey(ctx, path, token)
	if err != nil {
		return false, err
	}
	now := s.clock.Now()
	return s.store.ClaimFormToken(ctx, key, now, now.Add(FormTokenTTL))
}

// FinishForm records the first submission's answer for its repeats.
func (s *Access) FinishForm(ctx context.Context, path, token string, a FormAnswer) error {
	key, err := formKey(ctx, path, token)
	if err != nil {
		return err
	}
	b, err := json.Marshal(a)
	if err != nil {
		return apperr.Wrap(err, "form answer")
	}
	return s.store.FinishFormToken(ctx, key, b, s.clock.Now())
}

// ReleaseForm lets the claim of a refused submission go: it changed
// nothing, and the form may be sent again.
func (s *Access) ReleaseForm(ctx context.Context, path, token string) error {
	key, err := formKey(ctx, path, token)
	if err != nil {
		return err
	}
	return s.store.ReleaseFormToken(ctx, key)
}

// AwaitForm waits for the submission holding the form's token to answer,
// and returns its answer; nil when that submission was refused and let
// the claim go (the caller claims again). A first submission that does
// not answer within the wait is a conflict: the form is still at work.
func (s *Access) AwaitForm(ctx context.Context, path, token string) (*FormAnswer, error) {
	key, err := formKey(ctx, path, token)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(formWait)
	for {
		result, done, err := s.store.FormToken(ctx, key, s.clock.Now())
		switch {
		case apperr.Is(err, apperr.NotFound):
			return nil, nil
		case err != nil:
			return nil, err
		case done:
			var a FormAnswer
			if err := json.Unmarshal(result, &a); err != nil {
				return nil, apperr.Wrap(err, "form answer")
			}
			return &a, nil
		}
		if time.Now().After(deadline) {
			return nil, apperr.New(apperr.Conflict, "该表单已提交，正在办理中，请稍候刷新页面查看结果，不要重复提交")
		}
		select {
		case <-ctx.Done():
			return nil, apperr.Wrap(ctx.Err(), "await form")
		case <-time.After(formPoll):
		}
	}
}
