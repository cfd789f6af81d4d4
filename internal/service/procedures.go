package service

import (
	"context"
	"io"
	"slices"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/store"
)

// Review in levels and special procedures: what the service adds to the
// domain's rules (casework/levels.go, casework/procedure.go) — the files a
// special procedure's record carries, and the real names of the people
// who did each level.

// UploadAttachment receives one file for the record of a special
// procedure of the case (现场勘验笔录, 专家评审意见 …), checked as an
// applicant's upload is (blob.Receive), and returns its reference for the
// finish-procedure step. Only the case's department uploads, while one of
// its special procedures is under way. The file is collected like any
// upload if no case comes to reference it.
func (s *Casework) UploadAttachment(ctx context.Context, number, name string, r io.Reader) (casework.FileRef, error) {
	v, err := s.Case(ctx, number)
	if err != nil {
		return casework.FileRef{}, err
	}
	a := ActorFrom(ctx)
	if a == nil || a.User == nil || !a.User.Role.NeedsDepartment() {
		return casework.FileRef{}, apperr.New(apperr.Forbidden, "只有本部门的审批人员可以上传特别程序的附件")
	}
	if v.Case.OpenProcedure() == nil {
		return casework.FileRef{}, apperr.New(apperr.Conflict, "办件 %s 没有进行中的特别程序，不能上传附件", number)
	}
	if s.blobs == nil {
		return casework.FileRef{}, apperr.Wrap(errNoBlobs, "upload attachment")
	}
	up, err := blob.Receive(ctx, s.blobs, name, r, s.cfg.Uploads)
	if err != nil {
		return casework.FileRef{}, err
	}
	defer up.Close()
	now := s.clock.Now()
	key := blob.Key(now, up.SHA256)
	rec := store.Upload{Key: key, SHA256: up.SHA256, Size: up.Size, Type: up.Type, UploadedAt: now, UploadedBy: a.User.Username}
	if err := s.online.recordUpload(ctx, rec, up.Name); err != nil {
		return casework.FileRef{}, err
	}
	if err := up.Keep(ctx, key); err != nil {
		return casework.FileRef{}, err
	}
	s.log.Info("attachment uploaded", "number", number, "sha256", up.SHA256, "size", up.Size, "by", a.User.Username)
	return casework.FileRef{Name: up.Name, Type: up.Type, Size: up.Size, SHA256: up.SHA256, Key: key}, nil
}

// checkAttachments makes sure every file a special procedure's record
// names was uploaded (verifyFile): a reference cannot be made up.
func (s *Casework) checkAttachments(ctx context.Context, action casework.Action, files []casework.FileRef) error {
	if action != casework.ActFinishProcedure {
		return nil
	}
	for i := range files {
		if err := s.online.verifyFile(ctx, &files[i]); err != nil {
			return apperr.Field("attachments", apperr.MessageOf(err))
		}
	}
	return nil
}

// casePeople lists the usernames a case page names: the actors of its
// record, its review levels and its special procedures.
func casePeople(v *CaseView) []string {
	var out []string
	for _, ev := range v.Events {
		out = append(out, ev.Actor)
	}
	for _, l := range v.Case.Review {
		out = append(out, l.By)
	}
	for _, p := range v.Case.Procedures {
		out = append(out, p.StartedBy, p.FinishedBy)
	}
	out = append(out, listPeople(v)...)
	slices.Sort(out)
	return slices.Compact(out)
}
