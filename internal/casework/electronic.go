package casework

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// Electronic results and scanned materials (电子证照/电子文书, 电子材料实时流转):
// the department may hand its result over as a PDF with submit-result,
// and the intake desk may attach scans of the paper it takes in. Both
// are FileRefs the case holds for good (the store references them in the
// step's transaction).

// PDFType is the content type an electronic result must have.
const PDFType = "application/pdf"

// ElectronicResult is the result document as issued electronically: the
// PDF the department submitted, and the verification code printed on the
// result handover sheet and the delivery receipt, which with the case
// number opens the public verification page.
type ElectronicResult struct {
	File FileRef `json:"file" doc:"电子结果文书（PDF）"`
	// Code is the verification code: random, set by the service.
	Code        string    `json:"verification_code" doc:"验证码：印在办理结果交接表和送达回执上，与办件编号一起打开公开验证页"`
	SubmittedAt time.Time `json:"submitted_at" doc:"提交时间"`
	SubmittedBy string    `json:"submitted_by" doc:"提交人（用户名）"`
}

// ActAttachFiles records scans the intake desk attached to a material of
// a case taken in at the window (电子材料实时流转). It is not in the table:
// AttachFiles checks who may attach, and the event is recorded like any
// step's.
const ActAttachFiles Action = "attach-files"

// MaxScanFiles bounds the files one attachment adds.
const MaxScanFiles = MaxFilesPerMaterial

// attachResult keeps the result file submit-result carries, with its
// verification code; without one the result keeps any file it had (a
// corrected paper result after a refusal).
func (t *transition) attachResult() error {
	f := t.in.ResultFile
	if f == nil {
		return nil
	}
	if f.Type != PDFType {
		return apperr.Field("result_file", "电子结果文书须为 PDF 文件")
	}
	if t.in.VerificationCode == "" {
		return apperr.Wrap(errNoVerificationCode, "submit-result")
	}
	t.c.Electronic = &ElectronicResult{File: *f, Code: t.in.VerificationCode, SubmittedAt: t.env.Now, SubmittedBy: t.a.Username}
	t.details["result_file"] = f.Name
	t.details["sha256"] = f.SHA256
	return nil
}

// AttachFiles attaches scans to material code of c: the intake desk of
// the hall that took the case in, while the case is open (received,
// accepted or returned). It returns the change to record; on error c is
// unchanged.
func AttachFiles(c *Case, code string, files []FileRef, a Actor, env Env) (Change, error) {
	label := "上传扫描材料"
	if a.Role != org.RoleIntake {
		return Change{}, apperr.New(apperr.Forbidden, "只有综合受理窗口人员可以上传扫描材料")
	}
	if err := (Rule{Label: label, Hall: IntakeHall}).hallRefusal(c, a); err != nil {
		return Change{}, err
	}
	if !ScansOpen(c) {
		return Change{}, apperr.New(apperr.Conflict, "办件 %s 现为「%s」，不能再上传扫描材料", c.Number, c.State.Label())
	}
	i := c.material(code)
	if i < 0 {
		return Change{}, apperr.Field("material", "办件没有编码为 "+code+" 的材料")
	}
	if len(files) == 0 {
		return Change{}, apperr.Field("files", "请选择要上传的扫描件")
	}
	if len(c.Materials[i].Files)+len(files) > MaxFilesPerMaterial {
		return Change{}, apperr.Field("files", fmt.Sprintf("每项材料的电子文件不超过 %d 个", MaxFilesPerMaterial))
	}
	names := make([]string, len(files))
	shas := make([]string, len(files))
	for j, f := range files {
		names[j], shas[j] = f.Name, f.SHA256
	}
	details, err := json.Marshal(map[string]any{"material": code, "files": names, "sha256": shas})
	if err != nil {
		return Change{}, apperr.Wrap(err, "event details")
	}
	c.Materials = slices.Clone(c.Materials)
	c.Materials[i].Files = append(slices.Clone(c.Materials[i].Files), files...)
	ev := &Event{Type: ActAttachFiles, Actor: a.name(), Role: a.roleName(), Desk: a.Desk, At: env.Now, From: c.State, To: c.State, Details: details}
	return Change{Event: ev}, nil
}

// ScansOpen reports whether c takes scans of its materials: while it is
// received, accepted or returned.
func ScansOpen(c *Case) bool { return slices.Contains(open, c.State) }

// ResultFileVisible reports whether the applicant may see the electronic
// result: once the issuance desk has checked and taken it (a refused one
// is being corrected).
func (c *Case) ResultFileVisible() bool {
	if c.Electronic == nil {
		return false
	}
	switch c.State {
	case ResultReady, Delivered, Archived:
		return true
	}
	return c.Result == ResultAccepted || c.Result == ResultMailed
}

type errString string

func (e errString) Error() string { return string(e) }

// errNoVerificationCode is a service that forgot the code: internal.
const errNoVerificationCode = errString("no verification code for the electronic result")

// PrintedResult is what the result handover sheet and the delivery
// receipt print of an electronic result: its file name, its SHA-256 and
// the verification code for the public page.
type PrintedResult struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Code   string `json:"verification_code"`
}

// printed returns what the documents print of r; nil for none.
func (r *ElectronicResult) printed() *PrintedResult {
	if r == nil {
		return nil
	}
	return &PrintedResult{Name: r.File.Name, SHA256: r.File.SHA256, Code: r.Code}
}
