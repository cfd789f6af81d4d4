package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// The online hall's people: the demo's restaurant company (which has
// authorised the agent daiban for every item), a second company, and
// residents.
const (
	demoPhone      = "13900000001"
	demoCredit     = "91320120MA1XK5T2QF"
	otherCompany   = "江川区味来餐饮管理有限公司"
	otherCredit    = "91350100M000100Y43"
	otherPhone     = "13900000002"
	residentName   = "李明"
	residentIDCard = "11010519491231002X"
	residentPhone  = "13700000001"
	hallPassword   = "Window2026hall"
)

// onlineHall is the demo district as the online hall uses it: uploads kept
// in a temporary folder, messages through the logging sender, reviewers of
// WSJK and CGJ (which the demo lacks), a context per staff account and the
// demo applicant signed in.
type onlineHall struct {
	svc   *service.Service
	st    *store.Store
	clk   *clock.Manual
	blobs string                     // the folder uploads are kept in
	as    map[string]context.Context // staff by username, "system", "anonymous"
	demo  context.Context            // the demo applicant (味香餐饮), signed in
	acc   *applicant.Account         // the demo applicant's account
}

// eachOnlineHall runs fn on a fresh online hall on every database, the
// clock at at.
func eachOnlineHall(t *testing.T, at time.Time, cfg service.Config, fn func(t *testing.T, h *onlineHall)) {
	t.Parallel()
	clk := clock.At(at)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(at)
		fn(t, newOnlineHall(t, st, clk, cfg))
	})
}

func newOnlineHall(t *testing.T, st *store.Store, clk *clock.Manual, cfg service.Config) *onlineHall {
	t.Helper()
	svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	sys := service.AsSystem(context.Background())
	creds, err := svc.LoadDemo(sys, demo.Load())
	if err != nil || len(creds) == 0 {
		t.Fatalf("load demo: %v (%d accounts)", err, len(creds))
	}
	for _, u := range []org.User{
		{Username: "weijian", Name: "郑卫东", Role: org.RoleReviewer, DepartmentCode: "WSJK"},
		{Username: "chengguan", Name: "何志远", Role: org.RoleReviewer, DepartmentCode: "CGJ"},
	} {
		if err := svc.AddUser(sys, &u, hallPassword); err != nil {
			t.Fatalf("add %s: %v", u.Username, err)
		}
		creds = append(creds, service.Credential{Username: u.Username, Password: hallPassword, Role: u.Role})
	}
	dir := t.TempDir()
	blobs, err := blob.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc.Use(blobs, nil)
	h := &onlineHall{svc: svc, st: st, clk: clk, blobs: dir, as: map[string]context.Context{
		"system":    service.WithRequest(sys, service.Request{ID: "t", Channel: "system"}),
		"anonymous": context.Background(),
	}}
	for _, c := range creds {
		if c.Role == org.RoleApplicant {
			acc, err := svc.SignInApplicant(context.Background(), c.Username, c.Password)
			if err != nil {
				t.Fatalf("demo applicant %s signs in: %v", c.Username, err)
			}
			if c.Username == demoPhone { // the restaurant; the others are the agents' network's
				h.acc, h.demo = acc, applicantCtx(acc)
			}
			continue
		}
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatalf("login %s: %v", c.Username, err)
		}
		h.as[c.Username] = service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "t", Channel: "web"})
	}
	if h.acc == nil || h.acc.Phone != demoPhone || h.acc.IDNumber != demoCredit {
		t.Fatalf("demo applicant: %+v", h.acc)
	}
	return h
}

// applicantCtx is the context of a signed-in applicant on the web.
func applicantCtx(a *applicant.Account) context.Context {
	return service.WithRequest(service.WithAccount(context.Background(), a), service.Request{ID: "t", Channel: "web"})
}

// shanghai reads "2006-01-02 15:04" in Asia/Shanghai.
func shanghai(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// at sets the hall's clock.
func (h *onlineHall) at(s string) { h.clk.Set(shanghai(s)) }

var sixDigits = regexp.MustCompile(`\d{6}`)

// lastCode reads the verification code last sent to phone, as the log
// sender kept it.
func (h *onlineHall) lastCode(t *testing.T, phone string) string {
	t.Helper()
	m, ok := h.svc.Sender().(*notify.Log).Last(phone)
	if !ok {
		t.Fatalf("no message to %s", phone)
	}
	code := sixDigits.FindString(m.Body)
	if code == "" {
		t.Fatalf("no code in %q", m.Body)
	}
	return code
}

// register makes a new account for phone the way an applicant does: a
// code, then the registration.
func (h *onlineHall) register(t *testing.T, phone string) *applicant.Account {
	t.Helper()
	if err := h.svc.SendCode(context.Background(), phone, applicant.Register); err != nil {
		t.Fatalf("send code to %s: %v", phone, err)
	}
	acc, err := h.svc.Register(context.Background(), service.Registration{Phone: phone, Code: h.lastCode(t, phone), Password: hallPassword})
	if err != nil {
		t.Fatalf("register %s: %v", phone, err)
	}
	return acc
}

// applicant registers phone, fills in the profile and returns the
// complete account and its signed-in context.
func (h *onlineHall) applicant(t *testing.T, phone string, p applicant.Profile) (*applicant.Account, context.Context) {
	t.Helper()
	acc := h.register(t, phone)
	if _, err := h.svc.UpdateProfile(applicantCtx(acc), p, acc.Version); err != nil {
		t.Fatalf("profile of %s: %v", phone, err)
	}
	acc, err := h.svc.AccountByID(context.Background(), acc.ID)
	if err != nil || !acc.Complete() {
		t.Fatalf("account %s after its profile: %+v %v", phone, acc, err)
	}
	return acc, applicantCtx(acc)
}

// resident is the profile of a natural person.
func resident(name, id string) applicant.Profile {
	return applicant.Profile{Kind: casework.Person, Name: name, IDType: identity.ResidentID, IDNumber: id}
}

// company is the profile of an enterprise.
func company(name, code string) applicant.Profile {
	return applicant.Profile{Kind: casework.Entity, Name: name, IDType: identity.CreditCode, IDNumber: code, Address: "江川区滨河路20号"}
}

// pdf is a minimal PDF whose bytes differ by tag.
func pdf(tag string) []byte {
	return []byte("%PDF-1.4\n%" + tag + "\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
}

// upload uploads a file as ctx's account and fails on refusal.
func (h *onlineHall) upload(t *testing.T, ctx context.Context, name string, content []byte) casework.FileRef {
	t.Helper()
	f, err := h.svc.UploadFile(ctx, name, bytes.NewReader(content))
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return f
}

// files uploads one PDF for every required electronic material of the
// item, as ctx's account.
func (h *onlineHall) files(t *testing.T, ctx context.Context, item string) map[string][]casework.FileRef {
	t.Helper()
	it, err := h.svc.Item(h.as["admin"], item, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]casework.FileRef{}
	for _, m := range it.Materials {
		if m.Required && m.Electronic {
			out[m.Code] = []casework.FileRef{h.upload(t, ctx, m.Code+".pdf", pdf(item+"/"+m.Code))}
		}
	}
	return out
}

// submit submits an online application for item as ctx's account.
func (h *onlineHall) submit(t *testing.T, ctx context.Context, d service.OnlineDraft) *service.CaseView {
	t.Helper()
	if d.Files == nil {
		d.Files = h.files(t, ctx, d.ItemCode)
	}
	v, err := h.svc.SubmitOnline(ctx, d)
	if err != nil {
		t.Fatalf("submit %s online: %v", d.ItemCode, err)
	}
	return v
}

// blobFiles counts the files in the upload folder, temporary ones
// included.
func (h *onlineHall) blobFiles(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(h.blobs, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// actionInputs are valid inputs of the actions the tests take.
var actionInputs = map[casework.Action]casework.Input{
	casework.ActDecide:         {Confirm: true, Outcome: casework.Approve, ResultDocument: "许可证 JC2026-0018"},
	casework.ActDeliver:        {Signer: residentName, SignerIDType: identity.ResidentID, SignerIDNumber: residentIDCard},
	casework.ActMail:           {Carrier: "EMS", Tracking: "EA123456789CN"},
	casework.ActPassPreReview:  {Reason: "电子材料齐全"},
	casework.ActFailPreReview:  {Reason: "材料不清晰"},
	casework.ActCompleteIntake: {},
}

// act takes action as the staff account user, with the action's valid
// input, and fails unless it is taken.
func (h *onlineHall) act(t *testing.T, user string, number string, action casework.Action) *service.CaseView {
	t.Helper()
	v, err := h.svc.Act(h.as[user], number, action, actionInputs[action], 0)
	if err != nil {
		t.Fatalf("%s %s as %s: %v", action, number, user, err)
	}
	return v
}

// walk takes the actions in turn, the department's as reviewer and the
// issuance desk's as chujian.
func (h *onlineHall) walk(t *testing.T, number, reviewer string, actions ...casework.Action) {
	t.Helper()
	for _, a := range actions {
		user := reviewer
		switch a {
		case casework.ActAcceptResult, casework.ActDeliver, casework.ActMail, casework.ActConfirmDelivery, casework.ActArchive:
			user = "chujian"
		}
		h.act(t, user, number, a)
	}
}

// caseAs returns the case as ctx sees it, events included.
func (h *onlineHall) caseAs(t *testing.T, ctx context.Context, number string) *service.CaseView {
	t.Helper()
	v, err := h.svc.Case(ctx, number)
	if err != nil {
		t.Fatalf("case %s: %v", number, err)
	}
	return v
}

// lastEvent is the case's last event, with its details decoded.
func lastEvent(t *testing.T, v *service.CaseView) (casework.Event, map[string]any) {
	t.Helper()
	if len(v.Events) == 0 {
		t.Fatalf("case %s has no events", v.Case.Number)
	}
	ev := v.Events[len(v.Events)-1]
	var d map[string]any
	if err := json.Unmarshal(ev.Details, &d); err != nil {
		t.Fatalf("event details %s: %v", ev.Details, err)
	}
	return ev, d
}

// sameTime fails unless got is want.
func sameTime(t *testing.T, what string, got time.Time, want string) {
	t.Helper()
	if w := shanghai(want); !got.Equal(w) {
		t.Errorf("%s = %v, want %v", what, got.In(clock.Shanghai), w)
	}
}

// document returns the case's document of kind, decoded into T.
func document[T any](t *testing.T, v *service.CaseView, kind casework.DocKind) (T, bool) {
	t.Helper()
	var out T
	for _, d := range v.Documents {
		if d.Kind == kind {
			if err := json.Unmarshal(d.Data, &out); err != nil {
				t.Fatal(err)
			}
			return out, true
		}
	}
	return out, false
}

// TestOnlineUploads: a refused upload says why and keeps nothing; a good
// one is kept once under its SHA-256.
func TestOnlineUploads(t *testing.T) {
	cfg := service.DefaultConfig()
	cfg.Uploads.MaxBytes = 1024
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), cfg, func(t *testing.T, h *onlineHall) {
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
		refused := []struct {
			name    string
			file    string
			content []byte
			message string
		}{
			{"oversized", "big.pdf", append(pdf("big"), bytes.Repeat([]byte("0"), 2000)...), "上限"},
			{"a PDF named as a picture", "scan.png", pdf("x"), "扩展名与内容不符"},
			{"a picture named as a PDF", "scan.pdf", png, "扩展名与内容不符"},
			{"text", "notes.pdf", []byte("just some words, not a PDF at all"), "不是允许的类型"},
			{"a path up", "../a.pdf", pdf("up"), "路径"},
			{"a path down", "a/b.pdf", pdf("down"), "路径"},
			{"a Windows path", `a\b.pdf`, pdf("win"), "路径"},
			{"empty", "empty.pdf", nil, "空的"},
		}
		for _, tc := range refused {
			_, err := h.svc.UploadFile(h.demo, tc.file, bytes.NewReader(tc.content))
			wantErr(t, tc.name, err, apperr.Invalid, "file")
			if msg := apperr.MessageOf(err); !strings.Contains(msg, tc.message) {
				t.Errorf("%s: message %q, want it to say %q", tc.name, msg, tc.message)
			}
			if n := h.blobFiles(t); n != 0 {
				t.Fatalf("%s: %d files kept in the upload folder", tc.name, n)
			}
		}
		_, err := h.svc.UploadFile(h.as["shouli"], "a.pdf", bytes.NewReader(pdf("desk")))
		wantErr(t, "upload by an intake clerk", err, apperr.Forbidden, "")
		_, err = h.svc.UploadFile(h.as["anonymous"], "a.pdf", bytes.NewReader(pdf("nobody")))
		wantErr(t, "upload by nobody", err, apperr.Unauthorized, "")
		if n := h.blobFiles(t); n != 0 {
			t.Fatalf("refused uploads kept %d files", n)
		}

		content := pdf("申请书")
		f := h.upload(t, h.demo, " 申请书.pdf ", content)
		sum := sha256.Sum256(content)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(len(content)) || f.Type != blob.PDF || f.Name != "申请书.pdf" {
			t.Errorf("uploaded file %+v", f)
		}
		if f.Key != "2026/09/30/"+f.SHA256 {
			t.Errorf("key %q, want the day and the SHA-256", f.Key)
		}
		if n := h.blobFiles(t); n != 1 {
			t.Errorf("%d files kept after one upload", n)
		}
		kept, err := os.ReadFile(filepath.Join(h.blobs, filepath.FromSlash(f.Key)))
		if err != nil || !bytes.Equal(kept, content) {
			t.Errorf("kept file: %v, %d bytes", err, len(kept))
		}
		// The agent uploads too; the same bytes the same day are one file.
		g := h.upload(t, h.as["daiban"], "copy.pdf", content)
		if g.Key != f.Key || h.blobFiles(t) != 1 {
			t.Errorf("the same bytes again: key %q, %d files", g.Key, h.blobFiles(t))
		}
	})
}

// TestOnlineDrafts: a draft is the applicant's own, saved at the version
// read.
func TestOnlineDrafts(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		_, other := h.applicant(t, otherPhone, company(otherCompany, otherCredit))
		files := h.files(t, h.demo, "SCJG-XK-001")
		d := &service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: map[string][]casework.FileRef{"M01": files["M01"]}}
		if err := h.svc.SaveDraft(h.demo, d); err != nil || d.ID == 0 || d.Version != 1 || d.AccountID != h.acc.ID {
			t.Fatalf("save a new draft: %v, %+v", err, d)
		}
		d.Files["M02"] = files["M02"]
		if err := h.svc.SaveDraft(h.demo, d); err != nil || d.Version != 2 {
			t.Fatalf("update at the version read: %v, version %d", err, d.Version)
		}
		stale := *d
		stale.Version = 1
		stale.Files = map[string][]casework.FileRef{}
		wantErr(t, "update at a stale version", h.svc.SaveDraft(h.demo, &stale), apperr.Conflict, "")
		got, err := h.svc.Draft(h.demo, d.ID)
		if err != nil || got.Version != 2 || len(got.Files) != 2 || got.Files["M02"][0].SHA256 != files["M02"][0].SHA256 {
			t.Fatalf("draft after the stale update: %v %+v", err, got)
		}
		// Another account neither reads, nor overwrites, nor deletes it.
		_, err = h.svc.Draft(other, d.ID)
		wantErr(t, "another account reads the draft", err, apperr.NotFound, "")
		_, _, err = h.svc.DraftFile(other, d.ID, files["M01"][0].SHA256)
		wantErr(t, "another account opens the draft's file", err, apperr.NotFound, "")
		theirs := service.OnlineDraft{ID: d.ID, Version: 2, ItemCode: "SCJG-XK-001"}
		wantErr(t, "another account overwrites the draft", h.svc.SaveDraft(other, &theirs), apperr.Conflict, "")
		wantErr(t, "another account deletes the draft", h.svc.DeleteDraft(other, d.ID), apperr.NotFound, "")
		if list, err := h.svc.Drafts(other); err != nil || len(list) != 0 {
			t.Errorf("the other account's drafts: %v %+v", err, list)
		}
		list, err := h.svc.Drafts(h.demo)
		if err != nil || len(list) != 1 || list[0].ID != d.ID || list[0].Version != 2 {
			t.Fatalf("own drafts: %v %+v", err, list)
		}
		rc, f, err := h.svc.DraftFile(h.demo, d.ID, files["M01"][0].SHA256)
		if err != nil {
			t.Fatalf("own draft's file: %v", err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(b, pdf("SCJG-XK-001/M01")) || f.Name != "M01.pdf" {
			t.Errorf("draft file %q: %q", f.Name, b)
		}
		bad := &service.OnlineDraft{ItemCode: "NOPE-001"}
		wantErr(t, "a draft for an unknown item", h.svc.SaveDraft(h.demo, bad), apperr.Invalid, "item_code")
		wantErr(t, "a draft by an intake clerk", h.svc.SaveDraft(h.as["shouli"], &service.OnlineDraft{ItemCode: "SCJG-XK-001"}), apperr.Unauthorized, "")

		// Submitting the draft removes it with the same transaction.
		d.Files = files
		v, err := h.svc.SubmitOnline(h.demo, *d)
		if err != nil {
			t.Fatalf("submit the draft: %v", err)
		}
		if v.Case.State != casework.Submitted {
			t.Errorf("state %s", v.Case.State)
		}
		if list, _ := h.svc.Drafts(h.demo); len(list) != 0 {
			t.Errorf("drafts after submission: %+v", list)
		}
		_, err = h.svc.Draft(h.demo, d.ID)
		wantErr(t, "the submitted draft", err, apperr.NotFound, "")
		// Submitting it again makes no second case.
		_, err = h.svc.SubmitOnline(h.demo, *d)
		wantErr(t, "submit the draft twice", err, apperr.NotFound, "")
		if mine, _ := h.svc.MyCases(h.demo); len(mine) != 1 {
			t.Errorf("%d cases after submitting one draft twice", len(mine))
		}
	})
}

// TestOnlineSubmissionRefused: what SubmitOnline refuses, and that a
// refusal makes no case.
func TestOnlineSubmissionRefused(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		files := h.files(t, h.demo, "SCJG-XK-001")
		without := map[string][]casework.FileRef{}
		for code, fs := range files {
			if code != "M03" {
				without[code] = fs
			}
		}
		_, err := h.svc.SubmitOnline(h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: without})
		wantErr(t, "a required file missing", err, apperr.Invalid, "files")
		wantFieldErr(t, err, "files", "与食品经营相适应的主要设备设施")

		// A file never uploaded, or a made-up key, cannot be named.
		ghost := pdf("never uploaded")
		sum := sha256.Sum256(ghost)
		forged := casework.FileRef{Name: "M03.pdf", Type: blob.PDF, Size: int64(len(ghost)), SHA256: hex.EncodeToString(sum[:])}
		for _, key := range []string{"2026/09/30/" + forged.SHA256, "../../etc/passwd", ""} {
			forged.Key = key
			with := map[string][]casework.FileRef{}
			for code, fs := range files {
				with[code] = fs
			}
			with["M03"] = []casework.FileRef{forged}
			_, err = h.svc.SubmitOnline(h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: with})
			wantErr(t, "a file never uploaded under "+key, err, apperr.Invalid, "files")
		}

		// A reference to a file that was uploaded, but not as it says: the
		// name, type, size and SHA-256 are the upload's, checked on its
		// content, and cannot be made up either.
		t.Run("forged file reference", func(t *testing.T) {
			real := files["M03"][0]
			for _, tc := range []struct {
				name  string
				forge func(f *casework.FileRef)
			}{
				{"another SHA-256", func(f *casework.FileRef) { f.SHA256 = strings.Repeat("0", 64) }},
				{"a program's name", func(f *casework.FileRef) { f.Name = "营业执照.exe" }},
				{"a path as its name", func(f *casework.FileRef) { f.Name = "../../M03.pdf" }},
				{"an HTML type", func(f *casework.FileRef) { f.Type = "text/html" }},
				{"another size", func(f *casework.FileRef) { f.Size = 1 << 30 }},
			} {
				forged := real
				tc.forge(&forged)
				with := map[string][]casework.FileRef{}
				for code, fs := range files {
					with[code] = fs
				}
				with["M03"] = []casework.FileRef{forged}
				v, err := h.svc.SubmitOnline(h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: with})
				if err == nil {
					t.Errorf("%s: accepted as case %s with file %+v", tc.name, v.Case.Number, v.Case.Materials[2].Files[0])
					continue
				}
				wantErr(t, tc.name, err, apperr.Invalid, "files")
			}
		})

		// An item without online service.
		it, err := h.svc.Item(h.as["admin"], "SWJ-XK-002", 0)
		if err != nil {
			t.Fatal(err)
		}
		edit := *it
		edit.OnlineLevel = catalog.OnlineNone
		if err := h.svc.SaveItem(h.as["admin"], &edit, it.Version); err != nil {
			t.Fatalf("take SWJ-XK-002 offline: %v", err)
		}
		_, err = h.svc.SubmitOnline(h.demo, service.OnlineDraft{ItemCode: "SWJ-XK-002", Files: h.files(t, h.demo, "SWJ-XK-002")})
		wantErr(t, "an item with online level none", err, apperr.Invalid, "item_code")
		wantFieldErr(t, err, "item_code", "暂不支持网上申报")

		// A material the handbook does not list (R15), an unknown item, a
		// person for an organisations' item.
		with := map[string][]casework.FileRef{"M99": files["M01"]}
		for code, fs := range files {
			with[code] = fs
		}
		_, err = h.svc.SubmitOnline(h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: with})
		wantErr(t, "a material outside the handbook", err, apperr.Invalid, "files")
		_, err = h.svc.SubmitOnline(h.demo, service.OnlineDraft{ItemCode: "NOPE-001", Files: files})
		wantErr(t, "an unknown item", err, apperr.Invalid, "item_code")
		_, person := h.applicant(t, residentPhone, resident(residentName, residentIDCard))
		_, err = h.svc.SubmitOnline(person, service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: files})
		wantErr(t, "a resident for an organisations' item", err, apperr.Invalid, "applicant.kind")

		// Who may submit at all.
		incomplete := h.register(t, "13600000001")
		_, err = h.svc.SubmitOnline(applicantCtx(incomplete), service.OnlineDraft{ItemCode: "CGJ-XK-003", Files: files})
		wantErr(t, "an account without a profile", err, apperr.Conflict, "")
		_, err = h.svc.SubmitOnline(h.as["shouli"], service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: files})
		wantErr(t, "an intake clerk", err, apperr.Forbidden, "")
		_, err = h.svc.SubmitOnline(h.as["anonymous"], service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: files})
		wantErr(t, "nobody", err, apperr.Unauthorized, "")

		page, err := h.svc.Cases(h.as["admin"], service.CaseFilter{})
		if err != nil || page.Total != 0 {
			t.Errorf("refused submissions made %d cases (%v)", page.Total, err)
		}
	})
}

// TestOnlinePreReview follows R13: a pre-review within 2 working days,
// passed (the applicant brings the paper; the window completes the
// intake) or failed (the applicant corrects and resubmits), through the
// National Day holiday and its working Saturday (2026-10-10).
func TestOnlinePreReview(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		_, other := h.applicant(t, otherPhone, company(otherCompany, otherCredit))
		a := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"})
		b := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"})
		withdrawn := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"}).Case.Number
		late := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"}).Case.Number
		for _, v := range []*service.CaseView{a, b} {
			c := v.Case
			if c.State != casework.Submitted || c.Channel != casework.Online || c.AccountID != h.acc.ID || c.Applicant.Name != h.acc.Name {
				t.Errorf("submitted case %s: %s %s account %d %q", c.Number, c.State, c.Channel, c.AccountID, c.Applicant.Name)
			}
			// Wednesday 15:00, then the holiday 10-01 to 10-07: Thursday
			// 10-08 and Friday 10-09 are the two working days.
			sameTime(t, "prereview_by", c.Deadlines.PreReviewBy, "2026-10-09 17:00")
			if !c.Deadlines.AcceptBy.IsZero() || !c.Deadlines.HandoverBy.IsZero() {
				t.Errorf("a submitted case has accept_by %v, handover_by %v", c.Deadlines.AcceptBy, c.Deadlines.HandoverBy)
			}
			if c.Applicant.IDNumber == demoCredit {
				t.Error("the submitted case shows the full credit code")
			}
		}
		if docs := h.caseAs(t, h.demo, a.Case.Number).Documents; len(docs) != 0 {
			t.Errorf("a submitted case has documents before the window takes its paper: %+v", docs)
		}

		// The reviewer opens the uploaded files; another department's
		// reviewer and another applicant do not.
		sha := a.Case.Materials[0].Files[0].SHA256
		rc, _, err := h.svc.CaseFile(h.as["shenpi"], a.Case.Number, sha)
		if err != nil {
			t.Fatalf("the reviewer opens a file: %v", err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, pdf("SCJG-XK-001/M01")) {
			t.Errorf("file %q", got)
		}
		_, _, err = h.svc.CaseFile(h.as["shenpi2"], a.Case.Number, sha)
		wantErr(t, "another department's reviewer opens a file", err, apperr.Forbidden, "")
		_, _, err = h.svc.CaseFile(other, a.Case.Number, sha)
		wantErr(t, "another applicant opens a file", err, apperr.NotFound, "") // not there, as a missing case (issue 10, defect 12)

		// The applicant withdraws one; nobody else may.
		_, err = h.svc.Act(other, withdrawn, casework.ActWithdraw, casework.Input{Reason: "不办了"}, 0)
		wantErr(t, "another applicant withdraws", err, apperr.NotFound, "") // not there, as a missing case (issue 10, defect 12)
		_, err = h.svc.Act(h.demo, withdrawn, casework.ActWithdraw, casework.Input{}, 0)
		wantErr(t, "withdraw without a reason", err, apperr.Invalid, "reason")
		if _, err := h.svc.Act(h.demo, withdrawn, casework.ActWithdraw, casework.Input{Reason: "经营场所另选"}, 0); err != nil {
			t.Fatalf("withdraw: %v", err)
		}
		if c := h.caseAs(t, h.demo, withdrawn).Case; c.State != casework.Withdrawn || c.ClosedAt.IsZero() || c.CloseReason != "经营场所另选" {
			t.Errorf("withdrawn case: %s closed %v reason %q", c.State, c.ClosedAt, c.CloseReason)
		}
		_, err = h.svc.Act(h.as["shenpi"], withdrawn, casework.ActPassPreReview, casework.Input{}, 0)
		wantErr(t, "pass a withdrawn application", err, apperr.Conflict, "")

		// Passed before the deadline (a yellow warning: its last working
		// day is tomorrow).
		h.at("2026-10-08 10:00")
		if v := h.caseAs(t, h.as["shenpi"], a.Case.Number); v.Warning != calendar.WarningYellow {
			t.Errorf("warning the day before the pre-review deadline: %s", v.Warning)
		}
		for _, who := range []string{"shenpi2", "weijian"} {
			_, err := h.svc.Act(h.as[who], a.Case.Number, casework.ActPassPreReview, casework.Input{}, 0)
			wantErr(t, who+" pre-reviews SCJG's case", err, apperr.Forbidden, "")
		}
		_, err = h.svc.Act(h.as["shouli"], a.Case.Number, casework.ActCompleteIntake, casework.Input{}, 0)
		wantErr(t, "complete intake before the pre-review", err, apperr.Conflict, "")
		h.act(t, "shenpi", a.Case.Number, casework.ActPassPreReview)
		va := h.caseAs(t, h.as["shenpi"], a.Case.Number)
		ev, det := lastEvent(t, va)
		if ev.Type != casework.ActPassPreReview || ev.Actor != "shenpi" || det["on_time"] != true {
			t.Errorf("pass event %s by %s, details %v", ev.Type, ev.Actor, det)
		}
		if va.Case.State != casework.Submitted || va.Case.PreReview == nil || !va.Case.PreReview.Passed {
			t.Errorf("after passing: %s %+v", va.Case.State, va.Case.PreReview)
		}
		if len(va.Allowed) != 0 {
			t.Errorf("the reviewer may still %q", va.Allowed)
		}
		// The applicant is told what paper to bring.
		notes, err := h.st.CaseNotifications(context.Background(), a.Case.Number)
		if err != nil || len(notes) != 2 || notes[1].Subject != "预审通过" || !notes[1].SentAt.IsZero() || notes[1].Recipient != demoPhone {
			t.Fatalf("notifications of %s: %v %+v", a.Case.Number, err, notes)
		}
		if n, err := h.svc.DispatchNotifications(context.Background()); err != nil || n < 3 {
			t.Fatalf("dispatch: %d sent, %v", n, err)
		}
		msg, _ := h.svc.Sender().(*notify.Log).Last(demoPhone)
		for _, paper := range []string{"食品经营许可申请书", "营业执照或者其他主体资格证明文件", "与食品经营相适应的主要设备设施", "保证食品安全的规章制度目录清单", "食品安全管理人员任命文件及培训考核证明", a.Case.Number, "综合受理窗口"} {
			if !strings.Contains(msg.Body, paper) {
				t.Errorf("the pass notice does not name %q: %s", paper, msg.Body)
			}
		}
		if strings.Contains(msg.Body, "授权委托书") {
			t.Errorf("the pass notice asks for the optional power of attorney: %s", msg.Body)
		}
		if notes, _ := h.st.CaseNotifications(context.Background(), a.Case.Number); notes[1].SentAt.IsZero() {
			t.Error("the pass notice is not marked sent")
		}
		if n, _ := h.svc.DispatchNotifications(context.Background()); n != 0 {
			t.Errorf("a second dispatch sent %d again", n)
		}

		// The window takes the paper in the morning: R5 and R6 count from
		// the desk (handover by 15:00, acceptance by Saturday 10-10, a
		// working day).
		h.at("2026-10-08 10:30")
		h.act(t, "shouli", a.Case.Number, casework.ActCompleteIntake)
		va = h.caseAs(t, h.as["shouli"], a.Case.Number)
		c := va.Case
		if c.State != casework.Received || c.ReceivedBy != "shouli" || c.HallCode != demo.DistrictHall {
			t.Errorf("after intake: %s by %s at %s", c.State, c.ReceivedBy, c.HallCode)
		}
		sameTime(t, "received_at", c.ReceivedAt, "2026-10-08 10:30")
		sameTime(t, "submitted_at", c.SubmittedAt, "2026-09-30 15:00")
		sameTime(t, "accept_by", c.Deadlines.AcceptBy, "2026-10-10 17:00")
		sameTime(t, "handover_by", c.Deadlines.HandoverBy, "2026-10-08 15:00")
		receipt, ok := document[casework.ReceiptData](t, va, casework.ReceiptNotice)
		if !ok || receipt.Number != c.Number || len(receipt.CheckCode) != 6 || receipt.ReceivedBy != "shouli" || receipt.Channel != casework.Online {
			t.Fatalf("receipt notice: %v %+v", ok, receipt)
		}
		sameTime(t, "receipt's received_at", receipt.ReceivedAt, "2026-10-08 10:30")
		sameTime(t, "receipt's accept_by", receipt.AcceptBy, "2026-10-10 17:00")
		if receipt.Applicant.IDNumber != identity.Mask(demoCredit) {
			t.Errorf("receipt shows ID %q", receipt.Applicant.IDNumber)
		}
		notes, _ = h.st.CaseNotifications(context.Background(), a.Case.Number)
		if n := notes[len(notes)-1]; n.Subject != "已收件" || !strings.Contains(n.Body, "2026年10月10日 17:00 前决定是否受理") {
			t.Errorf("the intake notice: %s: %s", n.Subject, n.Body)
		}
		names := map[string]bool{}
		for _, d := range va.Open {
			names[d.Name] = true
		}
		if len(va.Open) != 2 || !names["accept_by"] || !names["handover_by"] {
			t.Errorf("running deadlines after intake: %+v", va.Open)
		}

		// Failed after the deadline, with a reason per material. The
		// late pre-reviews are red on SCJG's work list (with A, whose
		// paper was due at 15:00 yesterday).
		h.at("2026-10-09 17:30")
		red, err := h.svc.Cases(h.as["shenpi"], service.CaseFilter{Warning: calendar.WarningRed})
		if err != nil || red.Total != 3 {
			t.Fatalf("SCJG's red cases: %v %+v", err, red)
		}
		for i, want := range []string{a.Case.Number, b.Case.Number, late} { // the earliest deadline first
			if c := red.Cases[i]; c.Case.Number != want || c.Warning != calendar.WarningRed {
				t.Errorf("red case %d: %s %s, want %s", i, c.Case.Number, c.Warning, want)
			}
		}
		h.act(t, "shenpi", late, casework.ActPassPreReview)
		if _, det := lastEvent(t, h.caseAs(t, h.as["shenpi"], late)); det["on_time"] != false {
			t.Errorf("a pass after the deadline: %v", det)
		}
		_, err = h.svc.Act(h.as["shenpi"], b.Case.Number, casework.ActFailPreReview, casework.Input{CorrectionReasons: map[string]string{"M99": "不存在"}}, 0)
		wantErr(t, "fail naming a material outside the handbook", err, apperr.Invalid, "correction_reasons")
		_, err = h.svc.Act(h.as["shenpi"], b.Case.Number, casework.ActFailPreReview, casework.Input{}, 0)
		wantErr(t, "fail without any reason", err, apperr.Invalid, "reason")
		const why = "经营场所平面布局图不清晰，请重新扫描"
		_, err = h.svc.Act(h.as["shenpi"], b.Case.Number, casework.ActFailPreReview,
			casework.Input{Reason: "请按意见修改", CorrectionReasons: map[string]string{"M03": why}}, 0)
		if err != nil {
			t.Fatalf("fail the pre-review: %v", err)
		}
		vb := h.caseAs(t, h.demo, b.Case.Number)
		ev, det = lastEvent(t, vb)
		if vb.Case.State != casework.RejectedOnline || ev.Type != casework.ActFailPreReview || det["on_time"] != false {
			t.Errorf("after failing late: %s, event %s %v", vb.Case.State, ev.Type, det)
		}
		if r := vb.Case.PreReview; r == nil || r.Passed || r.Reasons["M03"] != why {
			t.Errorf("pre-review %+v", r)
		}
		if !slices.Contains(vb.Allowed, casework.ActResubmitOnline) {
			t.Errorf("the applicant is offered %q", vb.Allowed)
		}
		tl, err := h.svc.CaseTimeline(h.demo, b.Case.Number)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(tl.Entries, func(e service.TimelineEntry) bool {
			return e.Kind == "event" && strings.Contains(e.Text, "「与食品经营相适应的主要设备设施、经营布局、操作流程等文件」："+why)
		}) {
			t.Errorf("the timeline does not tell the correction: %+v", tl.Entries)
		}

		// Another applicant neither reads nor resubmits it.
		_, err = h.svc.Case(other, b.Case.Number)
		wantErr(t, "another applicant reads the case", err, apperr.NotFound, "") // not there, as a missing case (issue 10, defect 12)
		theirs := h.upload(t, other, "M03.pdf", pdf("someone else's"))
		_, err = h.svc.ResubmitOnline(other, b.Case.Number, map[string][]casework.FileRef{"M03": {theirs}}, 0)
		wantErr(t, "another applicant resubmits", err, apperr.NotFound, "") // not there, as a missing case (issue 10, defect 12)
		_, err = h.svc.CaseTimeline(other, b.Case.Number)
		wantErr(t, "another applicant's timeline", err, apperr.NotFound, "") // not there, as a missing case (issue 10, defect 12)
		_, err = h.svc.ResubmitOnline(h.as["shouli"], b.Case.Number, map[string][]casework.FileRef{"M03": {theirs}}, 0)
		wantErr(t, "an intake clerk resubmits", err, apperr.Forbidden, "")
		if v := h.caseAs(t, h.demo, b.Case.Number); v.Case.Version != vb.Case.Version || v.Case.State != casework.RejectedOnline {
			t.Errorf("refused resubmissions changed the case: v%d %s", v.Case.Version, v.Case.State)
		}

		// The applicant corrects after the close on Friday: the new
		// pre-review runs over the working Saturday to Monday.
		h.at("2026-10-09 17:40")
		fixed := h.upload(t, h.demo, "M03-fixed.pdf", pdf("a clearer scan"))
		_, err = h.svc.ResubmitOnline(h.demo, b.Case.Number, map[string][]casework.FileRef{"M03": {fixed}}, vb.Case.Version-1)
		wantErr(t, "resubmit at a stale version", err, apperr.Conflict, "")
		_, err = h.svc.ResubmitOnline(h.demo, b.Case.Number, map[string][]casework.FileRef{"M03": {fixed}}, vb.Case.Version)
		if err != nil {
			t.Fatalf("resubmit: %v", err)
		}
		vb = h.caseAs(t, h.as["shenpi"], b.Case.Number)
		c = vb.Case
		if c.State != casework.Submitted || c.PreReview != nil || c.Resubmits != 1 || c.Materials[2].Files[0].SHA256 != fixed.SHA256 {
			t.Errorf("after resubmission: %s %+v resubmits %d files %+v", c.State, c.PreReview, c.Resubmits, c.Materials[2].Files)
		}
		sameTime(t, "new prereview_by", c.Deadlines.PreReviewBy, "2026-10-12 17:00")
		if ev, _ := lastEvent(t, vb); ev.Type != casework.ActResubmitOnline || ev.Role != string(org.RoleApplicant) {
			t.Errorf("resubmission event %s by %s (%s)", ev.Type, ev.Actor, ev.Role)
		}
		if !slices.Equal(vb.Allowed, []casework.Action{casework.ActPassPreReview, casework.ActFailPreReview}) {
			t.Errorf("the reviewer is offered %q", vb.Allowed)
		}

		// Passed on time; the paper comes in the afternoon: handover by
		// 10:00 the next working day.
		h.at("2026-10-12 09:00")
		h.act(t, "shenpi", b.Case.Number, casework.ActPassPreReview)
		if _, det := lastEvent(t, h.caseAs(t, h.as["shenpi"], b.Case.Number)); det["on_time"] != true {
			t.Errorf("pass within the new deadline: %v", det)
		}
		h.at("2026-10-12 14:00")
		h.act(t, "shouli", b.Case.Number, casework.ActCompleteIntake)
		c = h.caseAs(t, h.as["shouli"], b.Case.Number).Case
		sameTime(t, "afternoon handover_by", c.Deadlines.HandoverBy, "2026-10-13 10:00")
		sameTime(t, "afternoon accept_by", c.Deadlines.AcceptBy, "2026-10-14 17:00")
	})
}

// TestOnlineFullyOnlineTimeline follows a fully online item (R14) from
// submission to mailed delivery as its applicant reads it.
func TestOnlineFullyOnlineTimeline(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		p := resident(residentName, residentIDCard)
		p.Email = "liming@example.com"
		_, me := h.applicant(t, residentPhone, p)
		mail := &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号2栋301室"}
		v := h.submit(t, me, service.OnlineDraft{ItemCode: "CGJ-XK-003", Delivery: mail})
		number := v.Case.Number
		if !v.Case.OnlineFull || slices.ContainsFunc(v.Case.Materials, func(m casework.CaseMaterial) bool { return m.Paper }) {
			t.Errorf("a fully online case: online_full %v, materials %+v", v.Case.OnlineFull, v.Case.Materials)
		}

		tl, err := h.svc.CaseTimeline(me, number)
		if err != nil {
			t.Fatal(err)
		}
		due := dueEntries(tl)
		if len(due) != 1 || due[0].Text != "部门预审的最晚时间" || !due[0].At.Equal(shanghai("2026-10-09 17:00")) {
			t.Errorf("running deadlines after submission: %+v", due)
		}
		if tl.Rateable || tl.Rated {
			t.Errorf("rateable %v rated %v before delivery", tl.Rateable, tl.Rated)
		}
		_, err = h.svc.Act(h.as["chengguan"], number, casework.ActPassPreReview, casework.Input{}, 0)
		wantErr(t, "pre-review pass of a fully online case", err, apperr.Conflict, "")

		h.at("2026-10-08 09:30")
		h.act(t, "chengguan", number, casework.ActAccept)
		va := h.caseAs(t, me, number)
		if va.Case.State != casework.Accepted {
			t.Fatalf("accepted online: %s", va.Case.State)
		}
		if _, det := lastEvent(t, va); det["on_time"] != true {
			t.Errorf("accept event %v", det)
		}
		sameTime(t, "decide_by", va.Case.Deadlines.DecideBy, "2026-10-12 17:00") // 10-09, Saturday 10-10, 10-12
		tl, _ = h.svc.CaseTimeline(me, number)
		due = dueEntries(tl)
		if len(due) != 1 || due[0].Text != "承诺办结的最晚时间（暂停计时的时间不计入）" || !due[0].At.Equal(shanghai("2026-10-12 17:00")) {
			t.Errorf("running deadlines after acceptance: %+v", due)
		}

		h.at("2026-10-09 10:00")
		h.walk(t, number, "chengguan", casework.ActDecide, casework.ActSubmitResult, casework.ActAcceptResult, casework.ActMail)
		tl, _ = h.svc.CaseTimeline(me, number)
		if due := dueEntries(tl); len(due) != 0 {
			t.Errorf("deadlines running while in the post: %+v", due)
		}
		h.at("2026-10-12 10:00")
		h.act(t, "chujian", number, casework.ActConfirmDelivery)

		tl, err = h.svc.CaseTimeline(me, number)
		if err != nil {
			t.Fatal(err)
		}
		var events, notices []string
		for i, e := range tl.Entries {
			if i > 0 && e.At.Before(tl.Entries[i-1].At) {
				t.Errorf("entry %d (%s) before the one above it", i, e.Text)
			}
			switch e.Kind {
			case "event":
				events = append(events, e.Text)
			case "notice":
				notices = append(notices, e.Text)
			}
			for _, staff := range []string{"chengguan", "chujian", "何志远", "李文静"} {
				if strings.Contains(e.Text, staff) {
					t.Errorf("the timeline names staff: %s", e.Text)
				}
			}
		}
		wantEvents := []string{
			"您在网上提交了申请，等待部门预审。",
			"部门已受理您的申请，开始审查，并出具了受理通知书。",
			"部门作出了准予的决定，并出具了决定书。",
			"审批部门把办理结果送到了综合出件窗口。",
			"办理结果已到综合出件窗口，等待邮寄。",
			"办理结果已由 EMS 寄出，邮件号 EA123456789CN。",
			"邮件已妥投。",
		}
		if !slices.Equal(events, wantEvents) {
			t.Errorf("events told:\n%s\nwant:\n%s", strings.Join(events, "\n"), strings.Join(wantEvents, "\n"))
		}
		wantNotices := []string{
			"已提交，办件编号 " + number + "。部门将在 2026年10月9日 17:00 前完成预审",
			"已受理，承诺在 2026年10月12日 17:00 前办结",
			"已作出准予的决定",
			"办理结果已到综合出件窗口，将邮寄至您填写的地址",
			"办理结果已由 EMS 寄出，邮件号 EA123456789CN",
		}
		if len(notices) != len(wantNotices) {
			t.Errorf("notices:\n%s", strings.Join(notices, "\n"))
		}
		for i, w := range wantNotices {
			if i >= len(notices) || !strings.HasPrefix(notices[i], "通知：") || !strings.Contains(notices[i], w) {
				t.Errorf("notice %d does not say %q:\n%s", i+1, w, strings.Join(notices, "\n"))
			}
		}
		// Archiving is the hall's business: the applicant waits on nothing.
		due = dueEntries(tl)
		if len(due) != 0 || tl.View.Warning != calendar.WarningNone {
			t.Errorf("running deadlines after delivery: %+v, warning %s", due, tl.View.Warning)
		}
		if !tl.Rateable || tl.Rated || len(tl.CheckCode) != 6 {
			t.Errorf("after delivery: rateable %v, rated %v, check code %q", tl.Rateable, tl.Rated, tl.CheckCode)
		}
		if tl.View.Case.State != casework.Delivered {
			t.Errorf("state %s", tl.View.Case.State)
		}
		// The notices go to the account's e-mail, which it gave.
		if n, err := h.svc.DispatchNotifications(context.Background()); err != nil || n != len(wantNotices) {
			t.Errorf("dispatch: %d sent, %v", n, err)
		}
		var mailed []string
		for _, m := range h.svc.Sender().(*notify.Log).Sent() {
			switch m.To {
			case "liming@example.com":
				mailed = append(mailed, m.Body)
			case residentPhone:
				if !strings.Contains(m.Body, "验证码") {
					t.Errorf("a notice went to the phone although the account has an e-mail: %s", m.Body)
				}
			}
		}
		if len(mailed) != len(wantNotices) || !strings.Contains(mailed[len(mailed)-1], "EA123456789CN") {
			t.Errorf("e-mailed notices:\n%s", strings.Join(mailed, "\n"))
		}
		_, err = h.svc.CaseTimeline(h.demo, number)
		wantErr(t, "another applicant's timeline", err, apperr.NotFound, "") // not there, as a missing case (issue 10, defect 12)
		_, err = h.svc.CaseTimeline(h.as["shouli"], number)
		wantErr(t, "the timeline for staff", err, apperr.Forbidden, "")
	})
}

func dueEntries(tl *service.Timeline) []service.TimelineEntry {
	var out []service.TimelineEntry
	for _, e := range tl.Entries {
		if e.Kind == "deadline" && e.Due {
			out = append(out, e)
		}
	}
	return out
}

// TestOnlineMyCases: an applicant's own cases are those applied for
// through the account and those taken in at a window in the holder's ID
// number with the account's phone.
func TestOnlineMyCases(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		_, me := h.applicant(t, residentPhone, resident(residentName, residentIDCard))
		online := h.submit(t, me, service.OnlineDraft{ItemCode: "CGJ-XK-003"}).Case.Number
		window := func(phone string) string {
			t.Helper()
			in := casework.Intake{ItemCode: "CGJ-XK-003", Channel: casework.AtWindow,
				Applicant: casework.Party{Kind: casework.Person, Name: residentName, IDType: identity.ResidentID, IDNumber: residentIDCard, Phone: phone}}
			for _, code := range []string{"M01", "M02", "M03", "M04"} {
				in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: casework.Provided})
			}
			v, err := h.svc.Intake(h.as["shouli"], in)
			if err != nil {
				t.Fatalf("window intake: %v", err)
			}
			return v.Case.Number
		}
		mine := window(residentPhone)
		notMine := window("13800000000")
		h.submit(t, h.demo, service.OnlineDraft{ItemCode: "CGJ-XK-003"})

		list, err := h.svc.MyCases(me)
		if err != nil {
			t.Fatal(err)
		}
		var numbers []string
		for _, v := range list {
			numbers = append(numbers, v.Case.Number)
			if v.Case.Applicant.IDNumber == residentIDCard {
				t.Errorf("my cases show the full ID number")
			}
		}
		slices.Sort(numbers)
		want := []string{online, mine}
		slices.Sort(want)
		if !slices.Equal(numbers, want) {
			t.Errorf("my cases %q, want %q (not %s: same ID, another phone)", numbers, want, notMine)
		}
		if _, err := h.svc.Case(me, mine); err != nil {
			t.Errorf("my window case: %v", err)
		}
		_, err = h.svc.Case(me, notMine)
		wantErr(t, "a window case in my ID with another phone", err, apperr.NotFound, "") // not there, as a missing case (issue 10, defect 12)
		demoList, err := h.svc.MyCases(h.demo)
		if err != nil || len(demoList) != 1 || demoList[0].Case.AccountID != h.acc.ID {
			t.Errorf("the demo applicant's cases: %v %d", err, len(demoList))
		}
		notes, err := h.svc.MyNotifications(me, 0)
		if err != nil {
			t.Fatal(err)
		}
		var about []string
		for _, n := range notes {
			about = append(about, n.CaseNumber)
		}
		slices.Sort(about)
		if !slices.Equal(about, want) {
			t.Errorf("my notifications are about %q, want %q", about, want)
		}
		_, err = h.svc.MyCases(h.as["shouli"])
		wantErr(t, "my cases for a clerk", err, apperr.Forbidden, "")
		_, err = h.svc.Cases(me, service.CaseFilter{})
		wantErr(t, "the work list for an applicant", err, apperr.Forbidden, "")
	})
}
