package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/store"
)

// noticeLinkPath is where a notice link opens, under the public URL.
const noticeLinkPath = "/n/"

// noticeCodeLength is a link code's length: 16 base32 characters, 80
// random bits, short enough for a text message and beyond guessing at
// the lookup rate.
const noticeCodeLength = 16

// newNoticeLink makes a short public link to the case's latest document
// of kind, open for LinkTTL, and returns its absolute address. Only the
// code's SHA-256 is kept.
func (s *Messages) newNoticeLink(ctx context.Context, number string, kind casework.DocKind) (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", apperr.Wrap(err, "notice link")
	}
	code := base32.StdEncoding.EncodeToString(b)[:noticeCodeLength]
	now := s.clock.Now()
	l := store.NoticeLink{CodeHash: noticeCodeHash(code), CaseNumber: number, DocumentKind: string(kind),
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.Messages.LinkTTL)}
	if err := s.store.CreateNoticeLink(ctx, l); err != nil {
		return "", err
	}
	return strings.TrimSuffix(s.cfg.Messages.PublicURL, "/") + noticeLinkPath + code, nil
}

func noticeCodeHash(code string) string {
	h := sha256.Sum256([]byte(strings.ToUpper(code)))
	return hex.EncodeToString(h[:])
}

// NoticeDocument is what a notice link opens: the case, as its applicant
// sees it (ID numbers masked), and the document.
type NoticeDocument struct {
	Case     *CaseView
	Document casework.Document
}

// OpenNoticeLink returns the document a notice link names. Nobody need be
// signed in: the code is the key. Each client's look-ups are limited, and
// an unknown, malformed and expired code give the same NotFound.
func (s *Messages) OpenNoticeLink(ctx context.Context, code string) (*NoticeDocument, error) {
	if err := s.throttle(ctx, s.guard.lookup); err != nil {
		return nil, err
	}
	gone := apperr.New(apperr.NotFound, "链接无效或已过期：请登录网上办事大厅查看，或到综合受理窗口询问")
	code = strings.TrimSpace(code)
	if len(code) != noticeCodeLength {
		return nil, gone
	}
	l, err := s.store.NoticeLinkByHash(ctx, noticeCodeHash(code))
	if apperr.Is(err, apperr.NotFound) {
		return nil, gone
	}
	if err != nil {
		return nil, err
	}
	if !s.clock.Now().Before(l.ExpiresAt) {
		return nil, gone
	}
	c, err := s.store.Case(ctx, l.CaseNumber)
	if err != nil {
		return nil, err
	}
	docs, err := s.store.CaseDocuments(ctx, l.CaseNumber)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	for i := len(docs) - 1; i >= 0; i-- {
		if string(docs[i].Kind) == l.DocumentKind {
			v := s.cases.view(c, casework.Actor{}, env)
			v.Documents = docs[i : i+1]
			// The document names who signed it (the reviewer who returned
			// the case): by real name, as on the desk's print.
			var signed struct {
				ReturnedBy string `json:"returned_by"`
			}
			_ = json.Unmarshal(docs[i].Data, &signed)
			if err := s.cases.nameCasePeople(ctx, v, signed.ReturnedBy); err != nil {
				return nil, err
			}
			return &NoticeDocument{Case: v, Document: docs[i]}, nil
		}
	}
	return nil, gone
}
