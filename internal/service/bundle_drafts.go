package service

import (
	"context"
	"encoding/json"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/store"
)

// BundleDraft is a joint application (一件事) being filled in online: the
// shared form, the delivery and the files uploaded so far for each member
// item. An account has at most one per template. It is a draft like an
// item application's — counted against the account's drafts, its files
// referenced while it lasts — so that nothing it holds lives only in a
// page session, where no collector could see it.
type BundleDraft struct {
	ID       int64                                    `json:"-"`
	Version  int                                      `json:"-"`
	Template string                                   `json:"template"`
	Form     map[string]string                        `json:"form,omitempty"`
	Delivery casework.Delivery                        `json:"delivery"`
	Files    map[string]map[string][]casework.FileRef `json:"files,omitempty"` // item → material → files
}

// BundleDraft returns the signed-in applicant's draft of template code,
// or an empty one (ID 0) if there is none.
func (s *Online) BundleDraft(ctx context.Context, code string) (*BundleDraft, error) {
	acc := AccountFrom(ctx)
	if acc == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	r, err := s.store.DraftFor(ctx, acc.ID, store.DraftBundle, code)
	if apperr.Is(err, apperr.NotFound) {
		return &BundleDraft{Template: code, Delivery: casework.Delivery{Method: casework.Pickup}}, nil
	}
	if err != nil {
		return nil, err
	}
	var d BundleDraft
	if err := json.Unmarshal(r.Data, &d); err != nil {
		return nil, apperr.Wrap(err, "bundle draft data")
	}
	d.ID, d.Version, d.Template = r.ID, r.Version, r.Code
	if d.Delivery.Method == "" {
		d.Delivery.Method = casework.Pickup
	}
	return &d, nil
}

// SaveBundleDraft saves the signed-in applicant's draft of a joint
// application: new (ID 0) or at the version read. Its files must have been
// uploaded.
func (s *Online) SaveBundleDraft(ctx context.Context, d *BundleDraft) error {
	acc := AccountFrom(ctx)
	if acc == nil {
		return apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	if _, err := s.store.BundleTemplate(ctx, d.Template); apperr.Is(err, apperr.NotFound) {
		return apperr.Field("template", "未知的一件事："+d.Template)
	} else if err != nil {
		return err
	}
	var files []casework.FileRef
	for _, byMaterial := range d.Files {
		for _, fs := range byMaterial {
			files = append(files, fs...)
		}
	}
	if err := s.checkDraftFiles(files); err != nil {
		return err
	}
	data, err := json.Marshal(d)
	if err != nil {
		return apperr.Wrap(err, "bundle draft data")
	}
	rec := &store.Draft{ID: d.ID, AccountID: acc.ID, Kind: store.DraftBundle, Code: d.Template, Data: data, Version: d.Version,
		CreatedBy: acc.Username(), Files: files}
	if err := s.store.SaveDraft(ctx, rec, s.clock.Now(), s.cfg.MaxDrafts); err != nil {
		return err
	}
	d.ID, d.Version = rec.ID, rec.Version
	return nil
}

// DeleteBundleDraft removes the signed-in applicant's draft of template
// code, if there is one.
func (s *Online) DeleteBundleDraft(ctx context.Context, code string) error {
	d, err := s.BundleDraft(ctx, code)
	if err != nil || d.ID == 0 {
		return err
	}
	return s.store.DeleteDraft(ctx, d.ID, AccountFrom(ctx).ID)
}
