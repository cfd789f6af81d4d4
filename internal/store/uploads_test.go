package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// upload records a file of content tag arrived at at, and returns its
// reference.
func upload(t *testing.T, st *store.Store, tag string, at time.Time) casework.FileRef {
	t.Helper()
	sum := sha256.Sum256([]byte(tag))
	sha := hex.EncodeToString(sum[:])
	f := casework.FileRef{Name: tag + ".pdf", Type: "application/pdf", Size: int64(len(tag)), SHA256: sha,
		Key: at.In(clock.Shanghai).Format("2006/01/02/") + sha}
	ok, err := st.RecordUpload(t.Context(), store.Upload{Key: f.Key, SHA256: sha, Size: f.Size, Type: f.Type, UploadedAt: at, UploadedBy: "test"}, at.Add(-10*time.Minute))
	if err != nil || !ok {
		t.Fatalf("record upload %s: %v, %v", tag, ok, err)
	}
	return f
}

// account adds an applicant account with phone.
func account(t *testing.T, st *store.Store, phone string) *applicant.Account {
	t.Helper()
	a := &applicant.Account{Phone: phone, PasswordHash: "x", CreatedAt: start}
	must(t, st.CreateAccount(t.Context(), a))
	return a
}

// draftOf saves a new item draft of the account holding files.
func draftOf(acc int64, files ...casework.FileRef) *store.Draft {
	data, _ := json.Marshal(map[string]any{"item_code": "SCJG-XK-001", "files": map[string][]casework.FileRef{"M01": files}})
	return &store.Draft{AccountID: acc, Kind: store.DraftItem, Code: "SCJG-XK-001", Data: data, CreatedBy: "t", Files: files}
}

// collectable returns the keys UploadsToCollect gives for cutoff, in key
// order.
func collectable(t *testing.T, st *store.Store, cutoff time.Time) []string {
	t.Helper()
	us, err := st.UploadsToCollect(t.Context(), cutoff, cutoff.Add(-time.Hour), 100)
	must(t, err)
	var keys []string
	for _, u := range us {
		keys = append(keys, u.Key)
	}
	slices.Sort(keys)
	return keys
}

// caseHeld returns the keys of the files marked as a case's, in order,
// joined by commas.
func caseHeld(t *testing.T, st *store.Store) string {
	t.Helper()
	rows, err := st.DB().QueryContext(t.Context(), `SELECT key FROM uploads WHERE case_held ORDER BY key`)
	must(t, err)
	defer rows.Close()
	var ks []string
	for rows.Next() {
		var k string
		must(t, rows.Scan(&k))
		ks = append(ks, k)
	}
	return strings.Join(ks, ",")
}

// keys returns the keys of files in order, joined by commas.
func keys(files ...casework.FileRef) string {
	var ks []string
	for _, f := range files {
		ks = append(ks, f.Key)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

func TestUploadRecords(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		acc := account(t, st, "13900000001")
		a := upload(t, st, "a", start)
		b := upload(t, st, "b", start.Add(time.Minute))
		later := start.Add(2 * time.Hour)

		u, err := st.Upload(ctx, a.Key)
		must(t, err)
		if u.SHA256 != a.SHA256 || u.Size != a.Size || u.Type != a.Type || !u.UploadedAt.Equal(start) || u.UploadedBy != "test" {
			t.Errorf("record %+v, want %+v at %s", u, a, start)
		}
		_, err = st.Upload(ctx, "2026/03/09/none")
		wantCode(t, err, apperr.NotFound)

		if got := collectable(t, st, start); len(got) != 0 {
			t.Errorf("collectable before the cut-off: %q", got)
		}
		if got := collectable(t, st, later); strings.Join(got, ",") != keys(a, b) {
			t.Errorf("collectable = %q, want a and b", got)
		}

		// A draft references its files; saving it again with fewer lets one go.
		d := draftOf(acc.ID, a, b)
		must(t, st.SaveDraft(ctx, d, start, 0))
		if got := collectable(t, st, later); len(got) != 0 {
			t.Errorf("collectable while a draft holds both: %q", got)
		}
		d.Files = []casework.FileRef{b}
		must(t, st.SaveDraft(ctx, d, start, 0))
		if got := collectable(t, st, later); strings.Join(got, ",") != a.Key {
			t.Errorf("collectable after a was taken off: %q", got)
		}
		// Arriving again moves the file's time on: its grace starts again.
		upload(t, st, "a", start.Add(3*time.Hour))
		if got := collectable(t, st, later); len(got) != 0 {
			t.Errorf("collectable after a arrived again: %q", got)
		}
		if got := collectable(t, st, start.Add(4*time.Hour)); strings.Join(got, ",") != a.Key {
			t.Errorf("collectable later: %q", got)
		}
		// Deleting the draft lets its files go.
		must(t, st.DeleteDraft(ctx, d.ID, acc.ID))
		if got := collectable(t, st, start.Add(4*time.Hour)); strings.Join(got, ",") != keys(a, b) {
			t.Errorf("collectable after the draft was deleted: %q", got)
		}
	})
}

func TestUploadClaims(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		acc := account(t, st, "13900000001")
		a := upload(t, st, "a", start)
		now := start.Add(25 * time.Hour)
		cutoff, stale := now.Add(-24*time.Hour), now.Add(-10*time.Minute)

		// Not before the cut-off.
		if ok, err := st.ClaimUpload(ctx, a.Key, "c0", start, stale, now); ok || err != nil {
			t.Fatalf("claim before the cut-off: %v, %v", ok, err)
		}
		ok, err := st.ClaimUpload(ctx, a.Key, "c1", cutoff, stale, now)
		if !ok || err != nil {
			t.Fatalf("claim: %v, %v", ok, err)
		}
		// A second collector does not get it, and does not list it.
		if ok, _ := st.ClaimUpload(ctx, a.Key, "c2", cutoff, stale, now); ok {
			t.Error("a claimed file was claimed again")
		}
		if got := collectable(t, st, cutoff); len(got) != 0 {
			t.Errorf("collectable while claimed: %q", got)
		}
		// A reference to a claimed file is refused, and nothing is saved.
		err = st.SaveDraft(ctx, draftOf(acc.ID, a), now, 0)
		wantField(t, err, "files")
		if !strings.Contains(apperr.MessageOf(err), "未上传或已失效") {
			t.Errorf("message %q", apperr.MessageOf(err))
		}
		if ds, _ := st.Drafts(ctx, acc.ID); len(ds) != 0 {
			t.Errorf("a refused draft was saved: %+v", ds)
		}
		// The same file arriving again waits for the claim.
		rec := store.Upload{Key: a.Key, SHA256: a.SHA256, Size: a.Size, Type: a.Type, UploadedAt: now}
		if ok, err := st.RecordUpload(ctx, rec, stale); ok || err != nil {
			t.Errorf("recorded under a live claim: %v, %v", ok, err)
		}
		// A released claim lets everything go on.
		must(t, st.ReleaseUpload(ctx, a.Key, "c2")) // not its claim: nothing happens
		if ok, _ := st.RecordUpload(ctx, rec, stale); ok {
			t.Error("another collector's release freed the claim")
		}
		must(t, st.ReleaseUpload(ctx, a.Key, "c1"))
		d := draftOf(acc.ID, a)
		must(t, st.SaveDraft(ctx, d, now, 0))
		// A referenced file cannot be claimed.
		if ok, err := st.ClaimUpload(ctx, a.Key, "c3", now.Add(time.Hour), now, now); ok || err != nil {
			t.Errorf("claim of a referenced file: %v, %v", ok, err)
		}
		must(t, st.DeleteDraft(ctx, d.ID, acc.ID))

		// A claim left by a collector that stopped is taken over, by a
		// collector or by the file arriving again.
		if ok, _ := st.ClaimUpload(ctx, a.Key, "c4", now.Add(time.Hour), stale, now); !ok {
			t.Fatal("claim after release")
		}
		if ok, _ := st.ClaimUpload(ctx, a.Key, "c5", now.Add(time.Hour), now.Add(time.Minute), now.Add(11*time.Minute)); !ok {
			t.Error("a stale claim was not taken over by a collector")
		}
		if ok, err := st.RecordUpload(ctx, rec, now.Add(30*time.Minute)); !ok || err != nil {
			t.Errorf("a stale claim was not taken over by an upload: %v, %v", ok, err)
		}
		// Forgetting needs the claim: the upload took it over.
		must(t, st.ForgetUpload(ctx, a.Key, "c5"))
		if _, err := st.Upload(ctx, a.Key); err != nil {
			t.Errorf("the record was forgotten under a claim taken over: %v", err)
		}
		if ok, _ := st.ClaimUpload(ctx, a.Key, "c6", now.Add(time.Hour), stale, now); !ok {
			t.Fatal("claim")
		}
		must(t, st.ForgetUpload(ctx, a.Key, "c6"))
		_, err = st.Upload(ctx, a.Key)
		wantCode(t, err, apperr.NotFound)
	})
}

// TestUploadClaimRace claims files while drafts reference them at the
// same moment: a file is never both claimed (to be deleted) and
// referenced by a draft that was saved.
func TestUploadClaimRace(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		acc := account(t, st, "13900000001")
		now := start.Add(48 * time.Hour)
		const rounds = 40
		claimed, saved := 0, 0
		for i := range rounds {
			f := upload(t, st, fmt.Sprintf("race-%d", i), start)
			var wg sync.WaitGroup
			var claimOK bool
			var saveErr, claimErr error
			d := draftOf(acc.ID, f)
			wg.Go(func() { saveErr = st.SaveDraft(ctx, d, now, 0) })
			wg.Go(func() {
				claimOK, claimErr = st.ClaimUpload(ctx, f.Key, fmt.Sprint("c", i), now.Add(-time.Hour), now.Add(-10*time.Minute), now)
			})
			wg.Wait()
			must(t, claimErr)
			if saveErr != nil && !apperr.Is(saveErr, apperr.Invalid) {
				t.Fatalf("round %d: save: %v", i, saveErr)
			}
			if claimOK && saveErr == nil {
				t.Fatalf("round %d: the file was claimed for deletion and referenced by a saved draft", i)
			}
			if !claimOK && saveErr != nil {
				t.Fatalf("round %d: neither the claim nor the draft went through: %v", i, saveErr)
			}
			if claimOK {
				claimed++
			} else {
				saved++
				must(t, st.DeleteDraft(ctx, d.ID, acc.ID))
			}
		}
		t.Logf("%d rounds: %d claimed first, %d referenced first", rounds, claimed, saved)
	})
}

func TestDraftLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		acc := account(t, st, "13900000001")
		other := account(t, st, "13900000002")
		var first *store.Draft
		for i := range 3 {
			d := draftOf(acc.ID)
			must(t, st.SaveDraft(ctx, d, start, 3))
			if i == 0 {
				first = d
			}
		}
		err := st.SaveDraft(ctx, draftOf(acc.ID), start, 3)
		wantCode(t, err, apperr.Conflict)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "3 份未提交的草稿") || !strings.Contains(msg, "上限") {
			t.Errorf("message %q", msg)
		}
		// Saving one of the three goes on; another account is not held up.
		must(t, st.SaveDraft(ctx, first, start, 3))
		must(t, st.SaveDraft(ctx, draftOf(other.ID), start, 3))
		// One deleted makes room for one.
		must(t, st.DeleteDraft(ctx, first.ID, acc.ID))
		must(t, st.SaveDraft(ctx, draftOf(acc.ID), start, 3))

		// Requests of one account at once cannot pass the count together.
		racer := account(t, st, "13900000003")
		var wg sync.WaitGroup
		errs := make(chan error, 12)
		for range 12 {
			wg.Go(func() { errs <- st.SaveDraft(ctx, draftOf(racer.ID), start, 5) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil && !apperr.Is(err, apperr.Conflict) {
				t.Errorf("concurrent save: %v", err)
			}
		}
		if ds, _ := st.Drafts(ctx, racer.ID); len(ds) != 5 {
			t.Errorf("%d drafts saved at once under a limit of 5", len(ds))
		}
	})
}

// TestCaseFileReferences: a case references every file it was ever
// given, from intake and from each change.
func TestCaseFileReferences(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		a, b, c := upload(t, st, "a", start), upload(t, st, "b", start), upload(t, st, "c", start)
		cs := &casework.Case{
			ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "x", DepartmentCode: "SCJG", State: casework.Submitted,
			Channel: casework.Online, ReceivedAt: start, CheckCode: "123456",
			Materials: []casework.CaseMaterial{{Code: "M01", Files: []casework.FileRef{a}}},
		}
		ev := &casework.Event{Type: casework.ActSubmit, Actor: "a", Role: "applicant", Desk: "online", At: start,
			To: casework.Submitted, Details: json.RawMessage(`{}`)}
		must(t, st.CreateCase(ctx, cs, ev, casework.Opened))
		later := start.Add(time.Hour)
		if got := collectable(t, st, later); strings.Join(got, ",") != keys(b, c) {
			t.Errorf("collectable after intake: %q (a is the case's)", got)
		}
		_, err := st.UpdateCase(ctx, cs.Number, func(x *casework.Case) (casework.Change, error) {
			x.Materials[0].Files = []casework.FileRef{b}
			return casework.Change{Event: &casework.Event{Type: casework.ActResubmitOnline, Actor: "a", Role: "applicant", Desk: "online", At: later,
				From: x.State, To: x.State, Details: json.RawMessage(`{}`)}}, nil
		})
		must(t, err)
		if got := collectable(t, st, later); strings.Join(got, ",") != c.Key {
			t.Errorf("collectable after a change: %q (a and b are the case's)", got)
		}
		if got := caseHeld(t, st); got != keys(a, b) {
			t.Errorf("marked as a case's: %q, want a and b", got)
		}
		// A change naming a file that is not recorded changes nothing.
		ghost := c
		ghost.Key, ghost.Name = "2026/03/09/"+strings.Repeat("0", 64), "ghost.pdf"
		_, err = st.UpdateCase(ctx, cs.Number, func(x *casework.Case) (casework.Change, error) {
			x.Materials[0].Files = []casework.FileRef{ghost}
			return casework.Change{Event: &casework.Event{Type: casework.ActResubmitOnline, Actor: "a", Role: "applicant", Desk: "online", At: later,
				From: x.State, To: x.State, Details: json.RawMessage(`{}`)}}, nil
		})
		wantField(t, err, "files")
		got, err := st.Case(ctx, cs.Number)
		must(t, err)
		if got.Version != 2 || got.Materials[0].Files[0].Key != b.Key {
			t.Errorf("case after a refused change: version %d, files %+v", got.Version, got.Materials[0].Files)
		}
	})
}

// TestUploadsMigration: migration 15 records the files the cases and
// drafts of an older schema already name, and their references.
func TestUploadsMigration(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			st := storetest.OpenAt(t, d, clock.At(start), 14)
			ctx := t.Context()
			must(t, st.Load(ctx, legacySeed(), "test"))
			// The account as the older program wrote it (in clear: before
			// migration 16 nothing was sealed).
			var accID int64
			must(t, st.DB().QueryRowContext(ctx, `INSERT INTO accounts (phone, password_hash, version, created_at, updated_at, data)
				VALUES ('13900000001', 'x', 1, $1, $1, '{}') RETURNING id`, start.UTC().Format("2006-01-02T15:04:05.000000Z")).Scan(&accID))
			ref := func(tag string) casework.FileRef {
				sum := sha256.Sum256([]byte(tag))
				sha := hex.EncodeToString(sum[:])
				return casework.FileRef{Name: tag + ".pdf", Type: "application/pdf", Size: 42, SHA256: sha, Key: "2026/03/09/" + sha}
			}
			a, b, c := ref("a"), ref("b"), ref("c")
			// Written as the older program wrote them: JSON only.
			caseData, _ := json.Marshal(map[string]any{"materials": []any{
				map[string]any{"code": "M01", "files": []casework.FileRef{a, b}},
				map[string]any{"code": "M02"},
			}})
			noMaterials, _ := json.Marshal(map[string]any{"materials": nil})
			draftData, _ := json.Marshal(map[string]any{"item_code": "SCJG-XK-001", "files": map[string]any{"M01": []casework.FileRef{b, c}, "M02": nil}})
			emptyDraft, _ := json.Marshal(map[string]any{"item_code": "SCJG-XK-001", "files": nil})
			db := st.DB()
			var itemID, deptID int64
			must(t, db.QueryRowContext(ctx, `SELECT id, department_id FROM items WHERE code = 'SCJG-XK-001'`).Scan(&itemID, &deptID))
			for i, data := range [][]byte{caseData, noMaterials} {
				_, err := db.ExecContext(ctx, `INSERT INTO cases (number, check_code, item_id, department_id, hall_code, kind, state, version,
					applicant_name, applicant_id, received_at, updated_at, last_seq, last_hash, data)
					VALUES ($1, '1', $2, $3, 'X', 'promised', 'submitted', 1, 'n', '', $4, $4, 1, 'h', $5)`,
					fmt.Sprint("2026030900000", i), itemID, deptID, start.UTC().Format("2006-01-02T15:04:05.000000Z"), string(data))
				must(t, err)
			}
			for _, data := range [][]byte{draftData, emptyDraft} {
				_, err := db.ExecContext(ctx, `INSERT INTO drafts (account_id, kind, code, version, created_at, updated_at, created_by, data)
					VALUES ($1, 'item', 'SCJG-XK-001', 1, $2, $2, 't', $3)`, accID, start.UTC().Format("2006-01-02T15:04:05.000000Z"), string(data))
				must(t, err)
			}
			storetest.Migrate(t, st)

			for _, f := range []casework.FileRef{a, b, c} {
				u, err := st.Upload(ctx, f.Key)
				if err != nil || u.SHA256 != f.SHA256 || u.Size != 42 || u.Type != f.Type {
					t.Errorf("record of %s: %+v, %v", f.Name, u, err)
				}
			}
			var refs []string
			rows, err := db.QueryContext(ctx, `SELECT key, holder FROM file_refs ORDER BY holder, key`)
			must(t, err)
			for rows.Next() {
				var k, h string
				must(t, rows.Scan(&k, &h))
				refs = append(refs, h+":"+k[len(k)-4:])
			}
			rows.Close()
			slices.Sort(refs)
			want := []string{"case:" + a.Key[len(a.Key)-4:], "case:" + b.Key[len(b.Key)-4:], "draft:" + b.Key[len(b.Key)-4:], "draft:" + c.Key[len(c.Key)-4:]}
			slices.Sort(want)
			if !slices.Equal(refs, want) {
				t.Errorf("references %q, want %q", refs, want)
			}
			if got := caseHeld(t, st); got != keys(a, b) {
				t.Errorf("marked as a case's: %q, want a and b", got)
			}
			if got := collectable(t, st, start.Add(1000*time.Hour)); len(got) != 0 {
				t.Errorf("files of the older cases and drafts are collectable: %q", got)
			}
		})
	}
}
