package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/blob/blobtest"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// eachFileStore runs fn on a fresh online hall on every database, once
// keeping uploads in a folder and once in an S3 bucket (a fake server).
func eachFileStore(t *testing.T, at time.Time, cfg service.Config, fn func(t *testing.T, h *onlineHall, files blob.Store)) {
	eachOnlineHall(t, at, cfg, func(t *testing.T, h *onlineHall) {
		t.Run("folder", func(t *testing.T) {
			files, err := blob.NewDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			h.svc.Use(files, nil)
			fn(t, h, files)
		})
		t.Run("s3", func(t *testing.T) {
			fake := blobtest.NewS3(t, "onewindow", "AKTEST")
			files, err := blob.NewS3(blob.S3Config{Endpoint: fake.Endpoint(), Bucket: "onewindow", AccessKey: "AKTEST",
				SecretKey: "secret", Region: "cn-north-1", Prefix: "hall", SpoolDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			h.svc.Use(files, nil)
			fn(t, h, files)
		})
	})
}

// kept lists the keys a blob store holds, in order.
func kept(t *testing.T, s blob.Store) []string {
	t.Helper()
	var keys []string
	if err := s.List(context.Background(), "", func(o blob.Object) error {
		keys = append(keys, o.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

func keysOf(files ...casework.FileRef) []string {
	var keys []string
	for _, f := range files {
		if !slices.Contains(keys, f.Key) {
			keys = append(keys, f.Key)
		}
	}
	slices.Sort(keys)
	return keys
}

// TestCollectFiles: files no case or draft references — of a deleted
// draft, taken off a draft, never used — are deleted once the grace
// period has passed, on either store; those of cases and drafts stay.
func TestCollectFiles(t *testing.T) {
	eachFileStore(t, shanghai("2026-09-30 09:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall, files blob.Store) {
		h.at("2026-09-30 09:00")
		// A case's files.
		v := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"})
		var caseFiles []casework.FileRef
		for _, m := range v.Case.Materials {
			caseFiles = append(caseFiles, m.Files...)
		}
		// A deleted draft's.
		u1, u2 := h.upload(t, h.demo, "一.pdf", pdf("u1")), h.upload(t, h.demo, "二.pdf", pdf("u2"))
		gone := &service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: map[string][]casework.FileRef{"M01": {u1}, "M02": {u2}}}
		if err := h.svc.SaveDraft(h.demo, gone); err != nil {
			t.Fatal(err)
		}
		if err := h.svc.DeleteDraft(h.demo, gone.ID); err != nil {
			t.Fatal(err)
		}
		// One never used; one kept in a draft; one taken off that draft.
		u3 := h.upload(t, h.demo, "三.pdf", pdf("u3"))
		u4, u5 := h.upload(t, h.demo, "四.pdf", pdf("u4")), h.upload(t, h.demo, "五.pdf", pdf("u5"))
		d := &service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: map[string][]casework.FileRef{"M01": {u4, u5}}}
		if err := h.svc.SaveDraft(h.demo, d); err != nil {
			t.Fatal(err)
		}
		d.Files["M01"] = []casework.FileRef{u4}
		if err := h.svc.SaveDraft(h.demo, d); err != nil {
			t.Fatal(err)
		}
		all := keysOf(append(caseFiles, u1, u2, u3, u4, u5)...)
		if got := kept(t, files); !slices.Equal(got, all) {
			t.Fatalf("kept %q, want %q", got, all)
		}

		// Within the grace period nothing goes.
		h.at("2026-10-01 08:59")
		if got, err := h.svc.CollectFiles(context.Background()); err != nil || got.Deleted != 0 {
			t.Fatalf("within the grace period: %+v, %v", got, err)
		}
		h.at("2026-10-01 09:01")
		got, err := h.svc.CollectFiles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := service.FileCollection{Deleted: 4, Bytes: u1.Size + u2.Size + u3.Size + u5.Size}
		if got != want {
			t.Errorf("collected %+v, want %+v", got, want)
		}
		if left := kept(t, files); !slices.Equal(left, keysOf(append(caseFiles, u4)...)) {
			t.Errorf("left %q, want the case's files and the draft's", left)
		}
		// The case and the draft still open their files.
		for _, f := range caseFiles {
			rc, _, err := h.svc.CaseFile(h.demo, v.Case.Number, f.SHA256)
			if err != nil {
				t.Fatalf("the case's %s: %v", f.Name, err)
			}
			rc.Close()
		}
		rc, _, err := h.svc.DraftFile(h.demo, d.ID, u4.SHA256)
		if err != nil {
			t.Fatalf("the draft's file: %v", err)
		}
		rc.Close()
		// A deleted file cannot be named any more; the draft can be submitted.
		stale := &service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: map[string][]casework.FileRef{"M01": {u3}}}
		err = h.svc.SaveDraft(h.demo, stale)
		wantErr(t, "a draft naming a collected file", err, apperr.Invalid, "files")
		if !strings.Contains(apperr.MessageOf(err), "三.pdf") {
			t.Errorf("message %q does not name the file", apperr.MessageOf(err))
		}
		// Collecting again changes nothing.
		if again, err := h.svc.CollectFiles(context.Background()); err != nil || again.Deleted != 0 {
			t.Errorf("a second collection: %+v, %v", again, err)
		}
	})
}

// TestCollectAdoptsUnrecordedFiles: files kept before uploads were
// recorded (an older version) are recorded as of when they were written,
// each day's folder once it has passed the grace period, and collected
// like any other; keys that are not uploads' are left alone.
func TestCollectAdoptsUnrecordedFiles(t *testing.T) {
	// File times are the file system's: the clock starts at the real now.
	now := time.Now().In(time.FixedZone("CST", 8*3600)).Truncate(time.Minute)
	eachFileStore(t, now, service.DefaultConfig(), func(t *testing.T, h *onlineHall, files blob.Store) {
		h.clk.Set(now)
		put := func(key string) {
			t.Helper()
			if err := files.Put(context.Background(), key, bytes.NewReader(pdf(key)), int64(len(pdf(key))), blob.PDF); err != nil {
				t.Fatal(err)
			}
		}
		sha := func(tag string) string {
			sum := sha256.Sum256([]byte(tag))
			return hex.EncodeToString(sum[:])
		}
		old := now.AddDate(0, 0, -30).Format("2006/01/02/") + sha("old")
		yesterday := now.AddDate(0, 0, -1).Format("2006/01/02/") + sha("yesterday")
		notOurs := now.AddDate(0, 0, -30).Format("2006/01/02/") + "notes"
		for _, k := range []string{old, yesterday, notOurs} {
			put(k)
		}
		got, err := h.svc.CollectFiles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// Yesterday's folder is listed only once the day has passed the
		// grace period; nothing is old enough to delete yet.
		if got.Adopted != 1 || got.Deleted != 0 {
			t.Errorf("first collection %+v, want one file recorded and none deleted", got)
		}
		h.clk.Set(now.Add(49 * time.Hour))
		got, err = h.svc.CollectFiles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got.Adopted != 1 || got.Deleted != 2 {
			t.Errorf("two days on: %+v, want yesterday's file recorded and both deleted", got)
		}
		if left := kept(t, files); !slices.Equal(left, []string{notOurs}) {
			t.Errorf("left %q, want only %q", left, notOurs)
		}
	})
}

// TestCollectWhileUploading: the same file uploaded again while a
// collector deletes it is kept: the upload waits for the collector's
// claim, or the collector finds the file arrived again.
func TestCollectWhileUploading(t *testing.T) {
	cfg := service.DefaultConfig()
	cfg.FileGrace = time.Hour
	eachFileStore(t, shanghai("2026-09-30 08:00"), cfg, func(t *testing.T, h *onlineHall, files blob.Store) {
		base := shanghai("2026-09-30 08:00")
		deleted := 0
		for i := range 15 {
			h.clk.Set(base.Add(time.Duration(i) * time.Minute))
			content := pdf(fmt.Sprint("again-", i))
			first := h.upload(t, h.demo, "again.pdf", content)
			h.clk.Set(base.Add(time.Duration(i)*time.Minute + 61*time.Minute))
			var wg sync.WaitGroup
			var again casework.FileRef
			var upErr, colErr error
			var col service.FileCollection
			wg.Go(func() { again, upErr = h.svc.UploadFile(h.demo, "again.pdf", bytes.NewReader(content)) })
			wg.Go(func() { col, colErr = h.svc.CollectFiles(context.Background()) })
			wg.Wait()
			if upErr != nil || colErr != nil {
				t.Fatalf("round %d: upload %v, collection %v", i, upErr, colErr)
			}
			if again.Key != first.Key {
				t.Fatalf("round %d: the same bytes the same day got key %q, then %q", i, first.Key, again.Key)
			}
			deleted += col.Deleted
			// The upload succeeded: its file must be there to be named.
			if !slices.Contains(kept(t, files), again.Key) {
				t.Fatalf("round %d: the file uploaded again was deleted (collection %+v)", i, col)
			}
			d := &service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: map[string][]casework.FileRef{"M01": {again}}}
			if err := h.svc.SaveDraft(h.demo, d); err != nil {
				t.Fatalf("round %d: a draft naming the file uploaded again: %v", i, err)
			}
			if err := h.svc.DeleteDraft(h.demo, d.ID); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("the collector deleted the file first %d times of 15", deleted)
	})
}

// TestDraftLimits: an account keeps at most MaxDrafts drafts (joint
// applications' included) and a draft at most MaxDraftFiles files.
func TestDraftLimits(t *testing.T) {
	cfg := service.DefaultConfig()
	cfg.MaxDrafts, cfg.MaxDraftFiles = 2, 3
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), cfg, func(t *testing.T, h *onlineHall) {
		for _, item := range []string{"SCJG-XK-001", "SCJG-XK-002"} {
			if err := h.svc.SaveDraft(h.demo, &service.OnlineDraft{ItemCode: item}); err != nil {
				t.Fatal(err)
			}
		}
		err := h.svc.SaveDraft(h.demo, &service.OnlineDraft{ItemCode: "CGJ-XK-003"})
		wantErr(t, "a third draft", err, apperr.Conflict, "")
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "您已有 2 份未提交的草稿") || !strings.Contains(msg, "删除") {
			t.Errorf("message %q", msg)
		}
		err = h.svc.SaveBundleDraft(h.demo, &service.BundleDraft{Template: "YJS-CY"})
		wantErr(t, "a joint application's draft beyond the limit", err, apperr.Conflict, "")
		drafts, _ := h.svc.Drafts(h.demo)
		if err := h.svc.DeleteDraft(h.demo, drafts[0].ID); err != nil {
			t.Fatal(err)
		}
		b := &service.BundleDraft{Template: "YJS-CY"}
		if err := h.svc.SaveBundleDraft(h.demo, b); err != nil {
			t.Fatalf("a joint application's draft after one was deleted: %v", err)
		}

		var four []casework.FileRef
		for i := range 4 {
			four = append(four, h.upload(t, h.demo, fmt.Sprintf("%d.pdf", i), pdf(fmt.Sprint("four-", i))))
		}
		d := drafts[1]
		d.Files = map[string][]casework.FileRef{"M01": four[:2], "M02": four[2:]}
		err = h.svc.SaveDraft(h.demo, &d)
		wantErr(t, "a draft of four files", err, apperr.Invalid, "file")
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "最多保存 3 个文件") {
			t.Errorf("message %q", msg)
		}
		b.Files = map[string]map[string][]casework.FileRef{"SCJG-XK-001": {"M01": four}}
		wantErr(t, "a joint application's draft of four files", h.svc.SaveBundleDraft(h.demo, b), apperr.Invalid, "file")
		d.Files = map[string][]casework.FileRef{"M01": four[:3]}
		if err := h.svc.SaveDraft(h.demo, &d); err != nil {
			t.Errorf("a draft of three files: %v", err)
		}
	})
}

// TestBundleDrafts: a joint application being filled in is a draft of
// the account's in the database, whose files are referenced (so not
// collected) and which its submission removes.
func TestBundleDrafts(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		_, other := h.applicant(t, otherPhone, company(otherCompany, otherCredit))
		empty, err := h.svc.BundleDraft(h.demo, "YJS-CY")
		if err != nil || empty.ID != 0 || empty.Delivery.Method != casework.Pickup {
			t.Fatalf("no draft yet: %+v, %v", empty, err)
		}
		files := map[string]map[string][]casework.FileRef{}
		for _, code := range restaurantMembers {
			files[code] = h.files(t, h.demo, code)
		}
		d := &service.BundleDraft{Template: "YJS-CY", Form: restaurantForm, Files: files, Delivery: casework.Delivery{Method: casework.Pickup}}
		if err := h.svc.SaveBundleDraft(h.demo, d); err != nil || d.ID == 0 {
			t.Fatalf("save: %v, %+v", err, d)
		}
		got, err := h.svc.BundleDraft(h.demo, "YJS-CY")
		if err != nil || got.ID != d.ID || got.Version != 1 || len(got.Files) != len(restaurantMembers) || got.Form["shop_name"] != restaurantForm["shop_name"] {
			t.Errorf("read back: %+v, %v", got, err)
		}
		if theirs, _ := h.svc.BundleDraft(other, "YJS-CY"); theirs.ID != 0 {
			t.Errorf("another account sees the draft: %+v", theirs)
		}
		if items, _ := h.svc.Drafts(h.demo); len(items) != 0 {
			t.Errorf("the item drafts list shows the joint application: %+v", items)
		}
		_, err = h.svc.Draft(h.demo, d.ID)
		wantErr(t, "the joint application read as an item draft", err, apperr.NotFound, "")
		wantErr(t, "an unknown template", h.svc.SaveBundleDraft(h.demo, &service.BundleDraft{Template: "NOPE"}), apperr.Invalid, "template")

		// Its files outlive the grace period while it is open.
		h.at("2026-10-02 15:00")
		if c, err := h.svc.CollectFiles(context.Background()); err != nil || c.Deleted != 0 {
			t.Fatalf("collection while the draft is open: %+v, %v", c, err)
		}
		v, err := h.svc.SubmitBundle(h.demo, service.BundleOnline{Template: "YJS-CY", Form: d.Form, Files: d.Files, Delivery: &d.Delivery, DraftID: d.ID})
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		if after, _ := h.svc.BundleDraft(h.demo, "YJS-CY"); after.ID != 0 {
			t.Errorf("the draft outlived its submission: %+v", after)
		}
		// Now the cases hold the files.
		h.at("2026-10-05 15:00")
		if c, err := h.svc.CollectFiles(context.Background()); err != nil || c.Deleted != 0 {
			t.Fatalf("collection after the submission: %+v, %v", c, err)
		}
		for _, cv := range v.Cases {
			for _, m := range cv.Case.Materials {
				for _, f := range m.Files {
					rc, _, err := h.svc.CaseFile(h.demo, cv.Case.Number, f.SHA256)
					if err != nil {
						t.Fatalf("%s's %s: %v", cv.Case.Number, f.Name, err)
					}
					rc.Close()
				}
			}
		}
		// Clearing a draft removes it.
		if err := h.svc.SaveBundleDraft(h.demo, &service.BundleDraft{Template: "YJS-CY"}); err != nil {
			t.Fatal(err)
		}
		if err := h.svc.DeleteBundleDraft(h.demo, "YJS-CY"); err != nil {
			t.Fatal(err)
		}
		if after, _ := h.svc.BundleDraft(h.demo, "YJS-CY"); after.ID != 0 {
			t.Errorf("a cleared draft: %+v", after)
		}
	})
}

// TestUploadIsStreamed: a 20 MB upload goes through memory in small
// pieces; it used to be read whole (and again on submission).
func TestUploadIsStreamed(t *testing.T) {
	// Not parallel: the heap's allocation count is the process's.
	clk := clock.At(shanghai("2026-09-30 15:00"))
	h := newOnlineHall(t, storetest.Open(t, store.SQLite, clk), clk, service.DefaultConfig())
	const size = 20_000_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, err := h.svc.UploadFile(h.demo, "大文件.pdf", pdfOfSize("streamed", size))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if f.Size != size {
		t.Fatalf("uploaded %d bytes, want %d", f.Size, size)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 2<<20 {
		t.Errorf("a 20 MB upload allocated %d bytes; want under 2 MiB", got)
	}
	// Submitting does not read the files again.
	files := h.files(t, h.demo, "SCJG-XK-001")
	files["M01"] = []casework.FileRef{f}
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := h.svc.SubmitOnline(h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: files}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 2<<20 {
		t.Errorf("submitting a 20 MB file allocated %d bytes; want under 2 MiB", got)
	}
}
