package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// Electronic results and scanned materials (电子证照/电子文书, 电子材料实时流转).
// The department uploads its result as a PDF (UploadResultFile) and names
// it in submit-result, which draws the verification code; the intake desk
// uploads scans (UploadScan, the document camera's PDFs included) and
// attaches them to a material (AttachScans). Anyone holding the case
// number and the verification code printed on the result handover sheet
// and the delivery receipt may check the result on the public page
// (Verify), and check a copy against it by its SHA-256 (VerifyCopy).

// UploadResultFile receives the PDF of a case's result for submit-result,
// checked as every upload is (blob.Receive) and refused unless it is a
// PDF. Only the case's department uploads, while the result is to be
// submitted. The file is collected like any upload if no case comes to
// reference it.
func (s *Casework) UploadResultFile(ctx context.Context, number, name string, r io.Reader) (casework.FileRef, error) {
	v, err := s.Case(ctx, number)
	if err != nil {
		return casework.FileRef{}, err
	}
	a := ActorFrom(ctx)
	if a == nil || a.User == nil || !a.User.Role.NeedsDepartment() {
		return casework.FileRef{}, apperr.New(apperr.Forbidden, "只有本部门的审批人员可以上传电子结果文书")
	}
	if v.Case.State != casework.Decided || (v.Case.Result != casework.ResultNone && v.Case.Result != casework.ResultRefused) {
		return casework.FileRef{}, apperr.New(apperr.Conflict, "办件 %s 现在不需要提交办理结果，不能上传电子结果文书", number)
	}
	lim := s.cfg.Uploads
	lim.Types = []string{blob.PDF}
	return s.keepUpload(ctx, number, name, r, lim, a.User.Username)
}

// UploadScan receives one scanned material of a case (a file chosen, or
// the PDF the document camera made in the browser) for AttachScans,
// checked as every upload is. Only the intake desk uploads, while the
// case takes scans (casework.ScansOpen).
func (s *Casework) UploadScan(ctx context.Context, number, name string, r io.Reader) (casework.FileRef, error) {
	v, err := s.Case(ctx, number)
	if err != nil {
		return casework.FileRef{}, err
	}
	a := ActorFrom(ctx)
	if a == nil || a.User == nil || a.User.Role != org.RoleIntake {
		return casework.FileRef{}, apperr.New(apperr.Forbidden, "只有综合受理窗口人员可以上传扫描材料")
	}
	if !casework.ScansOpen(v.Case) {
		return casework.FileRef{}, apperr.New(apperr.Conflict, "办件 %s 现为「%s」，不能再上传扫描材料", number, v.Case.State.Label())
	}
	return s.keepUpload(ctx, number, name, r, s.cfg.Uploads, a.User.Username)
}

// keepUpload receives, records and keeps one staff upload for case number.
func (s *Casework) keepUpload(ctx context.Context, number, name string, r io.Reader, lim blob.Limits, by string) (casework.FileRef, error) {
	if s.blobs == nil {
		return casework.FileRef{}, apperr.Wrap(errNoBlobs, "upload case file")
	}
	up, err := blob.Receive(ctx, s.blobs, name, r, lim)
	if err != nil {
		return casework.FileRef{}, err
	}
	defer up.Close()
	now := s.clock.Now()
	key := blob.Key(now, up.SHA256)
	rec := store.Upload{Key: key, SHA256: up.SHA256, Size: up.Size, Type: up.Type, UploadedAt: now, UploadedBy: by}
	if err := s.online.recordUpload(ctx, rec, up.Name); err != nil {
		return casework.FileRef{}, err
	}
	if err := up.Keep(ctx, key); err != nil {
		return casework.FileRef{}, err
	}
	s.log.Info("case file uploaded", "number", number, "sha256", up.SHA256, "size", up.Size, "by", by)
	return casework.FileRef{Name: up.Name, Type: up.Type, Size: up.Size, SHA256: up.SHA256, Key: key}, nil
}

// AttachScans attaches uploaded scans (UploadScan) to material code of
// case number, recorded as an attach-files event in the same transaction.
// expectedVersion, if not 0, is the case version the clerk saw.
func (s *Casework) AttachScans(ctx context.Context, number, code string, files []casework.FileRef, expectedVersion int) (*CaseView, error) {
	r, env, err := s.acting(ctx, number, casework.ActAttachFiles)
	if err != nil {
		return nil, err
	}
	for i := range files {
		if err := s.online.verifyFile(ctx, &files[i]); err != nil {
			return nil, err
		}
	}
	var acting casework.Actor
	c, err := s.store.UpdateCase(ctx, number, func(c *casework.Case) (casework.Change, error) {
		if acting, err = r.actsOn(c, expectedVersion, env.Now); err != nil {
			return casework.Change{}, err
		}
		return casework.AttachFiles(c, code, files, acting, env)
	})
	if hr := (*casework.HallRefusal)(nil); errors.As(err, &hr) {
		return nil, hr.Named(s.hallNames(ctx))
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("scans attached", "number", number, "material", code, "files", len(files), "by", acting.Username, "request_id", RequestFrom(ctx).ID)
	return s.view(c, acting, env), nil
}

// prepareResult checks the result file a submit-result names against its
// upload and draws the verification code printed with it.
func (s *Casework) prepareResult(ctx context.Context, action casework.Action, in *casework.Input) error {
	if in.ResultFile == nil {
		return nil
	}
	if action != casework.ActSubmitResult {
		return apperr.Field("result_file", "只有提交办理结果时可以附电子结果文书")
	}
	f := *in.ResultFile
	if err := s.online.verifyFile(ctx, &f); err != nil {
		return apperr.Field("result_file", apperr.MessageOf(err))
	}
	in.ResultFile = &f
	in.VerificationCode = verificationCode()
	return nil
}

// verificationAlphabet is what verification codes are drawn from: digits
// and capitals without the look-alikes 0/O, 1/I/L.
const verificationAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// verificationCodeLen is its length: 31^10 ≈ 2^49 codes.
const verificationCodeLen = 10

// verificationCode returns a new random verification code.
func verificationCode() string {
	b := make([]byte, verificationCodeLen)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(verificationAlphabet))))
		b[i] = verificationAlphabet[n.Int64()]
	}
	return string(b)
}

// Verification is what the public verification page shows of an
// electronic result: nothing more than the document itself tells.
type Verification struct {
	Number     string
	Item       string
	Department string    // the issuing department's name
	IssuedAt   time.Time // when the result was submitted
	Document   string    // the result document's name and number
	Holder     string    // the applicant, masked
	HolderID   string    // the applicant's ID number, masked
	FileName   string
	SHA256     string
	// Checked is set by VerifyCopy, and Matches says whether the copy is
	// the document issued, by its SHA-256.
	Checked, Matches bool
	// CopySHA256 is the copy's SHA-256, as computed.
	CopySHA256 string
}

// errNoVerification is the one answer to a wrong number, a wrong code or a
// case without an electronic result, so that nobody can learn which exist.
func errNoVerification() error {
	return apperr.New(apperr.NotFound, "未找到该电子文书：请核对办件编号和验证码")
}

// dummyVerificationCode is compared against when there is nothing to
// compare with, so every miss takes the same work.
var dummyVerificationCode = strings.Repeat("\x00", verificationCodeLen)

// Verify returns the electronic result of case number if code is its
// verification code. Nobody need be signed in. A wrong code, an unknown
// number and a case without an electronic result give the same NotFound
// after the same work; the code is compared in constant time, and guessing
// is bounded by the limits of the progress page's check codes (the same
// rate, lockouts and back-off).
func (s *Casework) Verify(ctx context.Context, number, code string) (*Verification, error) {
	number, code = strings.TrimSpace(number), strings.ToUpper(strings.TrimSpace(code))
	var errs apperr.Collector
	errs.Check(number != "", "number", "请输入办件编号")
	errs.Check(code != "", "code", "请输入验证码")
	if err := errs.Err("请输入办件编号和验证码"); err != nil {
		return nil, err
	}
	if len(number) > maxProgressInput || len(code) > maxProgressInput {
		return nil, errNoVerification()
	}
	now := s.clock.Now()
	attempt, err := s.access.beginCode(ctx, number, now)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Case(ctx, number)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	want := dummyVerificationCode
	if c != nil && c.Electronic != nil && c.Electronic.Code != "" {
		want = c.Electronic.Code
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(want)) != 1 || want == dummyVerificationCode {
		if err := s.access.codeFailed(ctx, attempt, now); err != nil {
			return nil, err
		}
		return nil, errNoVerification()
	}
	if err := s.access.codeSucceeded(ctx, attempt); err != nil {
		return nil, err
	}
	v := &Verification{
		Number: c.Number, Item: c.ItemName, Department: c.DepartmentCode, IssuedAt: c.Electronic.SubmittedAt,
		Document: c.ResultDocument, Holder: maskHolder(c.Applicant), HolderID: identity.Mask(c.Applicant.IDNumber),
		FileName: c.Electronic.File.Name, SHA256: c.Electronic.File.SHA256,
	}
	switch d, err := s.store.Department(ctx, c.DepartmentCode); {
	case err == nil:
		v.Department = d.Name
	case !apperr.Is(err, apperr.NotFound):
		return nil, err
	}
	return v, nil
}

// VerifyCopy checks a copy of the electronic result of case number
// (opened with code, as Verify) against the document issued, by its
// SHA-256. The copy must be a PDF within the upload limit; it is hashed
// as it is read and nothing of it is kept.
func (s *Casework) VerifyCopy(ctx context.Context, number, code, name string, r io.Reader) (*Verification, error) {
	v, err := s.Verify(ctx, number, code)
	if err != nil {
		return nil, err
	}
	sum, err := hashPDF(name, r, s.cfg.Uploads.MaxBytes)
	if err != nil {
		return nil, err
	}
	match := subtle.ConstantTimeCompare([]byte(sum), []byte(v.SHA256)) == 1
	v.Checked, v.Matches, v.CopySHA256 = true, match, sum
	s.log.Info("electronic result checked", "number", v.Number, "matches", match, "request_id", RequestFrom(ctx).ID)
	return v, nil
}

// hashPDF returns the SHA-256 of the PDF read from r, refusing a file
// that is not a PDF by its bytes, is empty or is over max bytes; it reads
// at most max+1 bytes and never holds it whole.
func hashPDF(name string, r io.Reader, max int64) (string, error) {
	if _, err := blob.CheckName(name); err != nil {
		return "", err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", apperr.Field("file", "文件没有传完，请重新上传")
	}
	head = head[:n]
	if n == 0 {
		return "", apperr.Field("file", "文件是空的")
	}
	if blob.Detect(head) != blob.PDF {
		return "", apperr.Field("file", "请上传 PDF 文件")
	}
	h := sha256.New()
	h.Write(head)
	rest, err := io.Copy(h, io.LimitReader(r, max-int64(n)+1))
	if err != nil {
		return "", apperr.Field("file", "文件没有传完，请重新上传")
	}
	if int64(n)+rest > max {
		return "", apperr.Field("file", "文件超过大小上限")
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// maskHolder is the holder's name as the public page shows it: a person's
// family name and one star a further character (王**); an organisation's
// name, public in its registration, in full.
func maskHolder(p casework.Party) string {
	if p.Kind == casework.Entity {
		return p.Name
	}
	r := []rune(p.Name)
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}
