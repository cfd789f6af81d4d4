package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/sealed"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// The people of a database written before migration 16, in clear.
const (
	legacyID         = "11010519491231002X"
	legacyPhone      = "13812345678"
	legacyAgentID    = "110101199003070075"
	legacyAgentPhone = "13698765432"
	legacyMailPhone  = "13511112222"
	legacyTicketID   = "310104198001011234"
	legacyBookingID  = "440305199912310011"
	legacyBookPhone  = "13355556666"
	legacyRaterPhone = "18977778888"
	legacyAccPhone   = "15000001111"
	legacyAccID      = "91320120MA1XK5T2QF"
	legacyCaseNumber = "20260309000001"
)

var legacySecrets = []string{legacyID, legacyPhone, legacyAgentID, legacyAgentPhone, legacyMailPhone, legacyTicketID,
	legacyBookingID, legacyBookPhone, legacyRaterPhone, legacyAccPhone, legacyAccID}

// preSealingVersion is the last migration before personal data were sealed.
const preSealingVersion = 15

// writeLegacyRows writes, with the SQL of the program before migration 16,
// a row of every kind that held an ID number or a phone number in clear.
func writeLegacyRows(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	db := st.DB()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", strings.Fields(q)[2], err)
		}
	}
	at := start.UTC().Format("2006-01-02T15:04:05.000000Z")
	c := casework.Case{Number: legacyCaseNumber, ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "食品经营许可（新办）",
		DepartmentCode: "SCJG", Kind: "promised", State: casework.Received, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
		Applicant:  casework.Party{Kind: casework.Person, Name: "李明", IDType: identity.ResidentID, IDNumber: legacyID, Phone: legacyPhone},
		Agent:      &casework.Party{Kind: casework.Person, Name: "王五", IDType: identity.ResidentID, IDNumber: legacyAgentID, Phone: legacyAgentPhone},
		Delivery:   casework.Delivery{Method: casework.Mail, Address: "江川区滨河路1号", Recipient: "李明", Phone: legacyMailPhone},
		ReceivedAt: start, ReceivedBy: "shouli", Version: 1}
	data, _ := json.Marshal(c)
	ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "window:" + demo.DistrictHall, At: start,
		To: casework.Received, Details: json.RawMessage(`{"applicant":"李明"}`)}
	ev.Seal(c.Number, nil)
	var caseID, itemID, deptID int64
	if err := db.QueryRowContext(ctx, `SELECT id, department_id FROM items WHERE code = 'SCJG-XK-001' AND version = 1`).Scan(&itemID, &deptID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `INSERT INTO cases (number, check_code, item_id, department_id, hall_code, kind, state, version,
		applicant_name, applicant_id, received_at, updated_at, last_seq, last_hash, data)
		VALUES ($1, '123456', $2, $3, $4, 'promised', 'received', 1, '李明', $5, $6, $6, 1, $7, $8) RETURNING id`,
		c.Number, itemID, deptID, demo.DistrictHall, legacyID, at, ev.Hash, string(data)).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO case_events (case_id, seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash)
		VALUES ($1, 1, 'intake', 'shouli', 'intake', $2, $3, '', 'received', $4, '', $5)`,
		caseID, ev.Desk, ev.At.UTC().Format("2006-01-02T15:04:05.000000Z"), string(ev.Details), ev.Hash)
	doc, _ := json.Marshal(casework.ReceiptData{Number: c.Number, Applicant: c.Applicant.Masked(), Delivery: c.Delivery})
	exec(`INSERT INTO case_documents (case_id, kind, title, event_seq, created_at, data) VALUES ($1, 'receipt_notice', '收件通知书', 1, $2, $3)`,
		caseID, at, string(doc))
	exec(`INSERT INTO notifications (case_id, recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, '已收件', '您申请的事项已收件', $3, $3)`,
		caseID, legacyPhone, at)
	exec(`INSERT INTO intake_attempts (item_code, item_version, applicant_kind, applicant_name, applicant_id_type, applicant_id,
		missing, note, clerk, clerk_name, hall_code, created_at) VALUES ('SCJG-XK-001', 1, 'person', '李明', 'resident_id', $1, '[]', '', 'shouli', '王芳', $2, $3)`,
		legacyID, demo.DistrictHall, at)
	exec(`INSERT INTO tickets (hall_code, category, number, day, priority, id_number, state, at_window, target_window,
		issued_at, queued_at, recalls, requeues, no_show_reason, version, last_seq)
		VALUES ($1, 'A', 'A001', '2026-03-09', 'normal', $2, 'waiting', '', '', $3, $3, 0, 0, '', 1, 1)`, demo.DistrictHall, legacyTicketID, at)
	exec(`INSERT INTO appointments (hall_code, category, day, slot_start, starts_at, ends_at, name, id_number, phone, code_hash, state, booked_by, created_at)
		VALUES ($1, 'A', '2026-03-10', '09:00', $2, $2, '赵六', $3, $4, 'h1', 'booked', 'web', $2)`, demo.DistrictHall, at, legacyBookingID, legacyBookPhone)
	exec(`INSERT INTO ratings (level, tags, text, channel, case_id, hall_code, window_number, clerk, department, real_name, rater_name, rater_phone, key_hash, created_at)
		VALUES (1, '[]', '太慢', 'mobile', $1, $2, '', '', 'SCJG', TRUE, '李明', $3, 'k1', $4)`, caseID, demo.DistrictHall, legacyRaterPhone, at)
	acc := applicant.Account{Phone: legacyAccPhone, Kind: casework.Entity, Name: "江川区味香餐饮有限公司", IDType: identity.CreditCode, IDNumber: legacyAccID, CreatedAt: start, Version: 1}
	accData, _ := json.Marshal(acc)
	var accID int64
	if err := db.QueryRowContext(ctx, `INSERT INTO accounts (phone, id_number, password_hash, version, created_at, updated_at, data)
		VALUES ($1, $2, 'x', 1, $3, $3, $4) RETURNING id`, legacyAccPhone, legacyAccID, at, string(accData)).Scan(&accID); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO drafts (account_id, kind, code, version, created_at, updated_at, created_by, data) VALUES ($1, 'item', 'SCJG-XK-001', 1, $2, $2, 'x', $3)`,
		accID, at, `{"item_code":"SCJG-XK-001","delivery":{"method":"mail","phone":"`+legacyMailPhone+`"}}`)
	exec(`INSERT INTO bundle_templates (code, updated_at, updated_by, data) VALUES ('YJS-T', $1, 'admin', '{}')`, at)
	exec(`INSERT INTO bundles (number, template_code, lead_department, state, account_id, received_at, due_by, version, data)
		VALUES ('YJS202603090001', 'YJS-T', 'SCJG', 'open', $1, $2, $2, 1, $3)`, accID, at,
		`{"number":"YJS202603090001","applicant":{"kind":"entity","name":"味香","id_type":"credit_code","id_number":"`+legacyAccID+`","phone":"`+legacyAccPhone+`"}}`)
	exec(`INSERT INTO verification_codes (phone, purpose, hash, expires_at, created_at) VALUES ($1, 'register', 'h', $2, $2)`, legacyAccPhone, at)
	exec(`INSERT INTO login_failures (username, failures, last_failed) VALUES ($1, 1, $2)`, "phone:"+legacyAccPhone, at)
	exec(`INSERT INTO sessions (token, data, expiry) VALUES ('t1', $1, $2)`, []byte("gob "+legacyAccPhone), sessionExpiry(st))
}

// sessionExpiry is a page session's expiry as the dialect's session store
// keeps it (scs: a Julian day number on SQLite, a time on PostgreSQL).
func sessionExpiry(st *store.Store) any {
	if st.Dialect() == store.Postgres {
		return time.Now().Add(time.Hour)
	}
	return 2461000.5
}

// TestSealClearDataFromOlderSchema upgrades a database whose rows hold ID
// numbers and phone numbers in clear: after migration 16 and the one-time
// sealing nothing is left in clear, every lookup still finds its row, the
// record's hash chain still verifies, and the append-only tables still
// refuse every other change.
func TestSealClearDataFromOlderSchema(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			st := storetest.OpenEmpty(t, d, clock.At(start))
			_, err := st.MigrateTo(ctx, preSealingVersion)
			must(t, err)
			must(t, st.Load(ctx, legacySeed(), "test"))
			writeLegacyRows(t, st)
			if leaks := storetest.Leaks(storetest.Dump(t, st), legacySecrets); len(leaks) < len(legacySecrets) {
				t.Fatalf("the legacy rows hold %d clear values, want every one of %d: the test writes the wrong rows", len(leaks), len(legacySecrets))
			}

			storetest.Migrate(t, st)
			// Before the sealing the clear rows still read (the store passes
			// clear records through); without keys the store refuses nothing
			// yet, as the database holds nothing sealed.
			must(t, st.UseKeys(ctx, storetest.Keyring(t)))
			rep, err := st.SealClearData(ctx)
			must(t, err)
			// cases, documents, notification, one-time notice, ticket,
			// booking ID and phone, rating, account, draft, bundle.
			if rep.Total != 11 {
				t.Errorf("sealed %d values, want 11: %v", rep.Total, rep.Resealed)
			}
			for _, l := range storetest.Leaks(storetest.Dump(t, st), legacySecrets) {
				t.Errorf("after sealing, %s still reveals %s (as %q)", l.Cell, l.Secret, l.Form)
			}
			usage, err := st.KeyUsage(ctx)
			must(t, err)
			for place, ids := range usage {
				for id, n := range ids {
					if id != st.Keys().CurrentID() {
						t.Errorf("%s: %d values under %q after sealing", place, n, id)
					}
				}
			}
			if again, err := st.SealClearData(ctx); err != nil || again.Total != 0 {
				t.Errorf("a second start seals again: %+v, %v", again, err)
			}

			// Every lookup finds its row by the hash, and reads the clear value.
			c, err := st.Case(ctx, legacyCaseNumber)
			must(t, err)
			if c.Applicant.IDNumber != legacyID || c.Applicant.Phone != legacyPhone || c.Agent.IDNumber != legacyAgentID || c.Delivery.Phone != legacyMailPhone {
				t.Errorf("case reads %+v %+v %+v", c.Applicant, c.Agent, c.Delivery)
			}
			found, _, err := st.Cases(ctx, store.CaseFilter{Query: strings.ToLower(legacyID)})
			must(t, err)
			if len(found) != 1 || found[0].Number != legacyCaseNumber {
				t.Errorf("search by the full ID number finds %d cases", len(found))
			}
			// The search columns of migration 31, filled at start.
			if n, err := st.IndexCaseSearch(ctx); err != nil || n != 1 {
				t.Errorf("IndexCaseSearch = %d, %v; want 1", n, err)
			}
			found, _, err = st.Cases(ctx, store.CaseFilter{Phone: legacyPhone})
			must(t, err)
			if len(found) != 1 || found[0].Number != legacyCaseNumber {
				t.Errorf("search by the phone finds %d cases", len(found))
			}
			rec, err := st.RecallApplicant(ctx, legacyID)
			must(t, err)
			if rec.Applicant.Phone != legacyPhone || rec.Number != legacyCaseNumber {
				t.Errorf("recall: %+v", rec)
			}
			docs, err := st.CaseDocuments(ctx, legacyCaseNumber)
			must(t, err)
			if len(docs) != 1 || !strings.Contains(string(docs[0].Data), legacyMailPhone) {
				t.Errorf("documents: %d, %s", len(docs), docs[0].Data)
			}
			notes, err := st.NotificationsTo(ctx, 0, legacyPhone, 10)
			must(t, err)
			if len(notes) != 1 || notes[0].Recipient != legacyPhone {
				t.Errorf("notifications to the phone: %+v", notes)
			}
			attempts, err := st.IntakeAttempts(ctx, store.IntakeAttemptFilter{})
			must(t, err)
			if len(attempts) != 1 || attempts[0].Applicant.IDNumber != legacyID {
				t.Errorf("one-time notices: %+v", attempts)
			}
			tickets, err := st.TicketsOf(ctx, legacyTicketID, 10)
			must(t, err)
			if len(tickets) != 1 || tickets[0].IDNumber != legacyTicketID {
				t.Errorf("tickets of the ID: %+v", tickets)
			}
			b, err := st.ActiveAppointmentOf(ctx, demo.DistrictHall, calendar.Date{Year: 2026, Month: 3, Day: 10}, legacyBookingID)
			must(t, err)
			if b.IDNumber != legacyBookingID || b.Phone != legacyBookPhone {
				t.Errorf("booking reads %s %s", b.IDNumber, b.Phone)
			}
			if n, err := st.NoShows(ctx, legacyBookingID, start.AddDate(0, 0, 2)); err != nil || n != 1 {
				t.Errorf("no-shows of the booking's ID: %d, %v", n, err)
			}
			acc, err := st.AccountByPhone(ctx, legacyAccPhone)
			must(t, err)
			if acc.Phone != legacyAccPhone || acc.IDNumber != legacyAccID {
				t.Errorf("account reads %s %s", acc.Phone, acc.IDNumber)
			}
			drafts, err := st.Drafts(ctx, acc.ID)
			must(t, err)
			if len(drafts) != 1 || !strings.Contains(string(drafts[0].Data), legacyMailPhone) {
				t.Errorf("drafts: %+v", drafts)
			}
			bun, err := st.Bundle(ctx, "YJS202603090001")
			must(t, err)
			if bun.Applicant.IDNumber != legacyAccID {
				t.Errorf("bundle applicant: %+v", bun.Applicant)
			}
			rts, err := st.CaseRating(ctx, legacyCaseNumber)
			must(t, err)
			if rts.Phone != legacyRaterPhone {
				t.Errorf("rating phone: %q", rts.Phone)
			}
			// The account's ID is still one per account: its hash is unique.
			other := &applicant.Account{Phone: "15000002222", CreatedAt: start}
			must(t, st.CreateAccount(ctx, other))
			other.IDNumber = legacyAccID
			wantField(t, st.UpdateAccount(ctx, other, start), "id_number")

			rep2, err := st.VerifyChains(ctx)
			must(t, err)
			if len(rep2.Breaks) != 0 || rep2.Events != 1 {
				t.Errorf("chains after sealing: %+v", rep2)
			}
			// The append-only records still refuse any other change.
			for _, q := range []string{`UPDATE intake_attempts SET note = 'changed'`, `UPDATE ratings SET text = 'changed'`,
				`UPDATE intake_attempts SET applicant_id = 'x'`, `UPDATE ratings SET rater_phone = '13000000000'`,
				`DELETE FROM intake_attempts`, `DELETE FROM ratings`} {
				if _, err := st.DB().ExecContext(ctx, q); err == nil {
					t.Errorf("%s: allowed", q)
				}
			}
		})
	}
}

// TestKeysRequired: a database holding sealed data refuses to be used
// without its key or with another one; a store without keys refuses to
// write personal data rather than write it in clear.
func TestKeysRequired(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		under, err := st.SealedUnder(ctx)
		must(t, err)
		if under != st.Keys().CurrentID() {
			t.Fatalf("sealed under %q, want %q", under, st.Keys().CurrentID())
		}
		if err := st.UseKeys(ctx, nil); err == nil || !strings.Contains(err.Error(), under) {
			t.Errorf("no key on a sealed database: %v", err)
		}
		other, err := sealed.ParseKeyring(sealed.GenerateKey(), "")
		must(t, err)
		if err := st.UseKeys(ctx, other); err == nil || !strings.Contains(err.Error(), under) {
			t.Errorf("a wrong key on a sealed database: %v", err)
		}
	})
	for _, d := range storetest.Dialects() {
		t.Run(string(d)+"/no key", func(t *testing.T) {
			ctx := context.Background()
			st := storetest.OpenEmpty(t, d, clock.At(start))
			storetest.Migrate(t, st)
			must(t, st.UseKeys(ctx, nil))
			err := st.CreateAccount(ctx, &applicant.Account{Phone: "13800138000", CreatedAt: start})
			if err == nil {
				t.Fatal("an account was written without a data key")
			}
			if leaks := storetest.Leaks(storetest.Dump(t, st), []string{"13800138000"}); len(leaks) != 0 {
				t.Errorf("the refused write left %v", leaks)
			}
		})
	}
}
