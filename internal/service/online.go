package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// UploadFile receives an uploaded file as it arrives — never whole into
// memory — checking it on its content (name, type from its first bytes,
// size) and computing its SHA-256, then keeps it in the blob store under
// the day and that sum. Nothing is kept of a refused file. The upload is
// recorded before the file is kept (see store.Upload), so that the file
// can be collected if no draft or case comes to reference it. Only
// applicants and agents upload.
func (s *Online) UploadFile(ctx context.Context, name string, r io.Reader) (casework.FileRef, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return casework.FileRef{}, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	if a.Account == nil && !a.Is(org.RoleAgent) {
		return casework.FileRef{}, apperr.New(apperr.Forbidden, "只有申请人和代办员可以上传申请材料")
	}
	if s.blobs == nil {
		return casework.FileRef{}, apperr.Wrap(errNoBlobs, "upload")
	}
	up, err := blob.Receive(ctx, s.blobs, name, r, s.cfg.Uploads)
	if err != nil {
		return casework.FileRef{}, err
	}
	defer up.Close()
	now := s.clock.Now()
	key := blob.Key(now, up.SHA256)
	rec := store.Upload{Key: key, SHA256: up.SHA256, Size: up.Size, Type: up.Type, UploadedAt: now, UploadedBy: a.Name()}
	if err := s.recordUpload(ctx, rec, up.Name); err != nil {
		return casework.FileRef{}, err
	}
	if err := up.Keep(ctx, key); err != nil {
		return casework.FileRef{}, err
	}
	s.log.Info("file uploaded", "sha256", up.SHA256, "size", up.Size, "type", up.Type, "by", a.Name())
	return casework.FileRef{Name: up.Name, Type: up.Type, Size: up.Size, SHA256: up.SHA256, Key: key}, nil
}

// recordWait is how long an upload waits for a collector deleting the
// same file (the same bytes, uploaded the same day) to finish.
const recordWait = 5 * time.Second

// recordUpload records an upload before its file is kept, waiting while a
// collector holds a claim on its key: keeping the file meanwhile could
// have the collector delete it right after.
func (s *Online) recordUpload(ctx context.Context, rec store.Upload, name string) error {
	deadline := time.Now().Add(recordWait)
	for {
		ok, err := s.store.RecordUpload(ctx, rec, s.clock.Now().Add(-staleClaim))
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return apperr.New(apperr.Conflict, "文件「%s」正在整理，请稍后重新上传", name)
		}
		select {
		case <-ctx.Done():
			return apperr.Wrap(ctx.Err(), "record upload")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }

const errNoBlobs = errString("no blob store configured")

// CaseFile opens one electronic file of a case for whoever may read the
// case (department reviewers pre-reviewing it, the applicant, the desks).
func (s *Online) CaseFile(ctx context.Context, number, sha string) (io.ReadCloser, casework.FileRef, error) {
	v, err := s.cases.Case(ctx, number)
	if err != nil {
		return nil, casework.FileRef{}, err
	}
	for _, m := range v.Case.Materials {
		for _, f := range m.Files {
			if f.SHA256 == sha {
				rc, err := s.openBlob(ctx, f)
				return rc, f, err
			}
		}
	}
	// The electronic result: v.Case holds it only for those who may see it.
	if e := v.Case.Electronic; e != nil && e.File.SHA256 == sha {
		rc, err := s.openBlob(ctx, e.File)
		return rc, e.File, err
	}
	for _, f := range v.Case.ProcedureFiles() {
		if f.SHA256 == sha {
			rc, err := s.openBlob(ctx, f)
			return rc, f, err
		}
	}
	return nil, casework.FileRef{}, apperr.New(apperr.NotFound, "该办件没有这个文件")
}

func (s *Online) openBlob(ctx context.Context, f casework.FileRef) (io.ReadCloser, error) {
	if s.blobs == nil {
		return nil, apperr.Wrap(errNoBlobs, "open file")
	}
	return s.blobs.Get(ctx, f.Key)
}

// OnlineDraft is an online application being written (or submitted from).
type OnlineDraft struct {
	ID       int64                         `json:"-"`
	Version  int                           `json:"-"`
	ItemCode string                        `json:"item_code"`
	Files    map[string][]casework.FileRef `json:"files"`
	Delivery *casework.Delivery            `json:"delivery,omitempty"`
	// PickupHall is the hall the applicant chose to collect the result
	// at ("" for the default: the hall that takes the paper in, or the
	// district hall for a fully online item).
	PickupHall string    `json:"pickup_hall,omitempty" doc:"领取结果的大厅编码（须为出件的大厅）；不填则在提交纸质材料的大厅领取，全程网办事项在区政务服务中心领取"`
	AccountID  int64     `json:"-"` // the applicant; an agent names the account acted for
	UpdatedAt  time.Time `json:"-"` // when the draft was last saved
}

// SaveDraft saves the signed-in applicant's draft: new (ID 0) or at the
// version read. The files must have been uploaded first.
func (s *Online) SaveDraft(ctx context.Context, d *OnlineDraft) error {
	acc := AccountFrom(ctx)
	if acc == nil {
		return apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	if _, err := s.onlineItem(ctx, d.ItemCode); err != nil {
		return err
	}
	var files []casework.FileRef
	for _, fs := range d.Files {
		files = append(files, fs...)
	}
	if err := s.checkDraftFiles(files); err != nil {
		return err
	}
	data, err := json.Marshal(d)
	if err != nil {
		return apperr.Wrap(err, "draft data")
	}
	rec := &store.Draft{ID: d.ID, AccountID: acc.ID, Kind: store.DraftItem, Code: d.ItemCode, Data: data, Version: d.Version,
		CreatedBy: acc.Username(), Files: files}
	if err := s.store.SaveDraft(ctx, rec, s.clock.Now(), s.cfg.MaxDrafts); err != nil {
		return err
	}
	d.ID, d.Version, d.AccountID, d.UpdatedAt = rec.ID, rec.Version, acc.ID, rec.UpdatedAt
	return nil
}

// Drafts lists the signed-in applicant's drafts.
func (s *Online) Drafts(ctx context.Context) ([]OnlineDraft, error) {
	acc := AccountFrom(ctx)
	if acc == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	recs, err := s.store.Drafts(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	var out []OnlineDraft
	for _, r := range recs {
		if r.Kind != store.DraftItem {
			continue
		}
		d, err := draftOf(&r)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// Draft returns one of the signed-in applicant's drafts.
func (s *Online) Draft(ctx context.Context, id int64) (*OnlineDraft, error) {
	acc := AccountFrom(ctx)
	if acc == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	r, err := s.store.Draft(ctx, id, acc.ID)
	if err != nil {
		return nil, err
	}
	if r.Kind != store.DraftItem {
		return nil, apperr.New(apperr.NotFound, "未找到该草稿")
	}
	return draftOf(r)
}

// DeleteDraft removes one of the signed-in applicant's drafts.
func (s *Online) DeleteDraft(ctx context.Context, id int64) error {
	acc := AccountFrom(ctx)
	if acc == nil {
		return apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	return s.store.DeleteDraft(ctx, id, acc.ID)
}

// CheckDraftRoom tells, before a file for a new draft is read, whether
// the signed-in applicant may start one more draft; saving it checks
// again, under a lock.
func (s *Online) CheckDraftRoom(ctx context.Context) error {
	acc := AccountFrom(ctx)
	if acc == nil {
		return apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	ds, err := s.store.Drafts(ctx, acc.ID)
	if err != nil {
		return err
	}
	if max := s.cfg.MaxDrafts; max > 0 && len(ds) >= max {
		return store.ErrTooManyDrafts(len(ds))
	}
	return nil
}

// checkDraftFiles refuses a draft of more files than a draft may hold.
func (s *Online) checkDraftFiles(files []casework.FileRef) error {
	if max := s.cfg.MaxDraftFiles; max > 0 && len(files) > max {
		return apperr.Field("file", fmt.Sprintf("一份草稿最多保存 %d 个文件，请先删除不需要的文件再上传", max))
	}
	return nil
}

func draftOf(r *store.Draft) (*OnlineDraft, error) {
	var d OnlineDraft
	if err := json.Unmarshal(r.Data, &d); err != nil {
		return nil, apperr.Wrap(err, "draft data")
	}
	d.ID, d.Version, d.AccountID, d.UpdatedAt = r.ID, r.Version, r.AccountID, r.UpdatedAt
	return &d, nil
}

// DraftFile opens a file of one of the signed-in applicant's drafts.
func (s *Online) DraftFile(ctx context.Context, id int64, sha string) (io.ReadCloser, casework.FileRef, error) {
	d, err := s.Draft(ctx, id)
	if err != nil {
		return nil, casework.FileRef{}, err
	}
	for _, fs := range d.Files {
		for _, f := range fs {
			if f.SHA256 == sha {
				rc, err := s.openBlob(ctx, f)
				return rc, f, err
			}
		}
	}
	return nil, casework.FileRef{}, apperr.New(apperr.NotFound, "草稿没有这个文件")
}

// onlineItem returns the current version of an item that may be applied
// for online.
func (s *Online) onlineItem(ctx context.Context, code string) (*catalog.Item, error) {
	if _, err := s.districtCalendar(ctx); err != nil { // refreshes the item cache
		return nil, err
	}
	it, err := s.currentItem(ctx, code)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("item_code", "未知的事项："+code)
	}
	return it, err
}

// SubmitOnline submits an online application: the signed-in applicant's
// own, or an agent's for an applicant whose mandate covers the item. A
// draft (ID set) is removed in the same transaction as the case is made.
func (s *Online) SubmitOnline(ctx context.Context, d OnlineDraft) (*CaseView, error) {
	env, err := s.intakeEnv(ctx)
	if err != nil {
		return nil, err
	}
	acc, actor, err := s.actingFor(ctx, d.AccountID, d.ItemCode, env.Now)
	if err != nil {
		return nil, err
	}
	item, err := s.onlineItem(ctx, d.ItemCode)
	if err != nil {
		return nil, err
	}
	a := onlineActor(ctx, acc, actor)
	pickup, err := s.onlinePickupHall(ctx, item)
	if err != nil {
		return nil, err
	}
	if d.PickupHall != "" {
		if err := s.checkIssues(ctx, d.PickupHall); err != nil {
			return nil, err
		}
		pickup = d.PickupHall
	}
	in := casework.OnlineApplication{ItemCode: d.ItemCode, Applicant: acc.Party(), Files: d.Files, Delivery: d.Delivery, PickupHall: pickup}
	c, ev, err := casework.NewOnlineCase(in, item, a, env)
	if err != nil {
		return nil, err
	}
	if err := s.checkFiles(ctx, c); err != nil {
		return nil, err
	}
	c.CheckCode = checkCode()
	draftID := d.ID
	if actor.Account == nil {
		draftID = 0 // agents submit directly
	}
	if err := s.store.SubmitDraft(ctx, draftID, acc.ID, c, ev, casework.Opened); err != nil {
		return nil, err
	}
	s.log.Info("online application submitted", "number", c.Number, "item", c.ItemCode, "by", a.Username, "account", acc.ID)
	v := s.cases.view(c, a, env)
	v.Events = []casework.Event{*ev}
	return v, nil
}

// onlineActor is the case actor of an online submission: the applicant, or
// the agent acting in their name.
func onlineActor(ctx context.Context, acc *applicant.Account, actor *Actor) casework.Actor {
	if actor.Account != nil {
		return casework.Actor{Username: acc.Username(), Role: org.RoleApplicant, AccountID: acc.ID, Desk: "online"}
	}
	u := actor.User
	return casework.Actor{Username: u.Username, Role: org.RoleAgent, HallCode: u.HallCode, AccountID: acc.ID,
		OnBehalfOf: acc.Name, Desk: RequestFrom(ctx).Channel + ":agent"}
}

// checkFiles makes sure every file a case names was uploaded: see
// verifyFile.
func (s *Online) checkFiles(ctx context.Context, c *casework.Case) error {
	for i := range c.Materials {
		for j := range c.Materials[i].Files {
			if err := s.verifyFile(ctx, &c.Materials[i].Files[j]); err != nil {
				return err
			}
		}
	}
	return nil
}

// verifyFiles checks the file references of an action (resubmit-online).
func (s *Online) verifyFiles(ctx context.Context, files map[string][]casework.FileRef) error {
	for _, fs := range files {
		for j := range fs {
			if err := s.verifyFile(ctx, &fs[j]); err != nil {
				return err
			}
		}
	}
	return nil
}

// verifyFile checks a file reference against the record of its upload: a
// reference cannot be made up. The key must name a recorded file whose
// SHA-256, size and type (detected from its content when it arrived) are
// those the reference gives, and the name must be a plain file name whose
// extension matches the type. The file is not read again: its record was
// written as it was received and checked.
func (s *Online) verifyFile(ctx context.Context, f *casework.FileRef) error {
	if !blob.ValidKey(f.Key) || !strings.HasSuffix(f.Key, "/"+f.SHA256) {
		return apperr.Field("files", "文件引用无效："+f.Name)
	}
	u, err := s.store.Upload(ctx, f.Key)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Field("files", "文件「"+f.Name+"」未上传或已失效，请重新上传")
	}
	if err != nil {
		return err
	}
	name, err := blob.CheckNameFor(f.Name, u.Type)
	if err != nil {
		return apperr.Field("files", apperr.MessageOf(err))
	}
	if u.SHA256 != f.SHA256 || u.Size != f.Size || u.Type != f.Type {
		return apperr.Field("files", "文件引用无效："+name)
	}
	f.Name = name
	return nil
}

// ResubmitOnline is the applicant's corrected application after a failed
// pre-review: the new files replace those of the materials named (Act
// checks them against the uploads).
func (s *Online) ResubmitOnline(ctx context.Context, number string, files map[string][]casework.FileRef, version int) (*CaseView, error) {
	return s.cases.Act(ctx, number, casework.ActResubmitOnline, casework.Input{Files: files}, version)
}
