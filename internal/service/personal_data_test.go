package service_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/sealed"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// The people of the flows below, each ID number and phone number distinct
// so that a leak names the place it came from.
var (
	pdApplicantID    = residentID(101) // the window applicant, who also has an online account
	pdApplicantPhone = "13611110001"
	pdAgentID        = residentID(102) // the person who came to the window for them
	pdAgentPhone     = "13611110002"
	pdMailPhone      = "13611110003" // the result's recipient by mail
	pdSignerID       = residentID(103)
	pdNoticeID       = residentID(104) // a one-time notice
	pdTicketID       = residentID(105) // a kiosk ticket
	pdBookingID      = residentID(106) // an appointment, checked in
	pdBookingPhone   = "13611110006"
	pdRaterPhone     = "13611110007"
	pdDraftPhone     = "13611110008"
	pdSessionPhone   = "13611110009"
	pdWrongPhone     = "13611110010" // a failed sign-in
)

// pdSecrets are every ID number and phone number the flows store: those
// above, the demo applicant's and the joint application's.
func pdSecrets() []string {
	out := []string{pdApplicantID, pdApplicantPhone, pdAgentID, pdAgentPhone, pdMailPhone, pdSignerID, pdNoticeID,
		pdTicketID, pdBookingID, pdBookingPhone, pdRaterPhone, pdDraftPhone, pdSessionPhone, pdWrongPhone, otherCredit, otherPhone}
	for _, a := range demo.Load().Applicants {
		out = append(out, a.Phone, a.IDNumber)
	}
	return out
}

// TestNoPersonalDataInDump runs the hall's flows that take ID numbers and
// phone numbers (window intake with an agent and mail delivery, recall,
// a one-time notice, an online account with its draft and application,
// kiosk ticket, appointment, mandate, joint application, real-name rating,
// a failed sign-in, a page session), then reads every column of every
// table as a stolen copy of the database would be read: no ID number and
// no phone number may be there, in clear or in a form anyone can reverse.
// Every search by them still works, the record's hash chains verify, and
// all of it holds again after the data key is rotated and the old key
// dropped.
func TestNoPersonalDataInDump(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		ctx := context.Background()
		if err := h.svc.LoadDemoQueue(h.as["system"]); err != nil {
			t.Fatal(err)
		}
		numbers := pdFlows(t, h)
		secrets := pdSecrets()

		check := func(when string) {
			t.Helper()
			for _, l := range storetest.Leaks(storetest.Dump(t, h.st), secrets) {
				t.Errorf("%s: %s reveals %s (as %q)", when, l.Cell, l.Secret, l.Form)
			}
			pdSearches(t, h, numbers)
			rep, err := h.st.VerifyChains(ctx)
			if err != nil || len(rep.Breaks) != 0 || rep.Events < 10 {
				t.Errorf("%s: chains %+v, %v", when, rep, err)
			}
		}
		check("after the flows")

		// Rotation: the nodes get the new key with the old one beside it,
		// the rotation reseals every value, then the old key goes.
		oldID := h.st.Keys().CurrentID()
		hashes := pdHashColumns(t, h.st)
		newKey := sealed.GenerateKey()
		during, err := sealed.ParseKeyring(newKey, storetest.DataKey)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.st.UseKeys(ctx, during); err != nil {
			t.Fatal(err)
		}
		pdSearches(t, h, numbers) // reads accept old and new key ids
		rep, err := h.st.Reseal(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total < 20 {
			t.Errorf("the rotation resealed %d values: %v", rep.Total, rep.Resealed)
		}
		usage, err := h.st.KeyUsage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for place, ids := range usage {
			for id, n := range ids {
				if id != during.CurrentID() {
					t.Errorf("after the rotation %s holds %d values under %s", place, n, id)
				}
			}
		}
		for _, c := range storetest.Dump(t, h.st) {
			if strings.Contains(c.Text, sealed.Prefix+oldID+":") {
				t.Errorf("after the rotation %s is still sealed under the old key %s", c, oldID)
			}
		}
		if after := pdHashColumns(t, h.st); !slices.Equal(after, hashes) {
			t.Errorf("the rotation changed the search hashes:\n%v\n%v", hashes, after)
		}
		onlyNew, err := sealed.ParseKeyring(newKey, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := h.st.UseKeys(ctx, onlyNew); err != nil {
			t.Fatalf("the new key alone: %v", err)
		}
		check("after the rotation")
	})
}

// pdNumbers are the case numbers the flows made.
type pdNumbers struct {
	window, online string
}

// pdFlows runs the flows and returns the cases they made.
func pdFlows(t *testing.T, h *onlineHall) pdNumbers {
	t.Helper()
	ctx := context.Background()
	var out pdNumbers

	// Window intake of a natural person's case, with the person who came
	// for them and delivery by mail to someone else's phone; then through
	// to delivery against the signer's ID.
	in := casework.Intake{ItemCode: "CGJ-XK-003", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Person, Name: residentName, IDType: identity.ResidentID, IDNumber: pdApplicantID, Phone: pdApplicantPhone},
		Agent:     &casework.Party{Kind: casework.Person, Name: "王五", IDType: identity.ResidentID, IDNumber: pdAgentID, Phone: pdAgentPhone},
		Delivery:  &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路9号", Recipient: "王五", Phone: pdMailPhone}}
	for _, code := range []string{"M01", "M02", "M03", "M04"} {
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: casework.Provided})
	}
	v, err := h.svc.Intake(h.as["shouli"], in)
	if err != nil {
		t.Fatalf("window intake: %v", err)
	}
	out.window = v.Case.Number
	checkCode := receiptCode(t, v)
	h.walk(t, out.window, "chengguan", casework.ActAccept, casework.ActHandover, casework.ActDecide, casework.ActSubmitResult,
		casework.ActAcceptResult, casework.ActMail, casework.ActConfirmDelivery)

	// A second case of theirs, picked up by the agent against the signer's
	// ID (the delivery event and receipt keep it masked).
	in.Delivery = nil
	v, err = h.svc.Intake(h.as["shouli"], in)
	if err != nil {
		t.Fatalf("window intake for pickup: %v", err)
	}
	h.walk(t, v.Case.Number, "chengguan", casework.ActAccept, casework.ActHandover, casework.ActDecide, casework.ActSubmitResult, casework.ActAcceptResult)
	if _, err := h.svc.Act(h.as["chujian"], v.Case.Number, casework.ActDeliver,
		casework.Input{Signer: "王五", SignerIDType: identity.ResidentID, SignerIDNumber: pdSignerID}, 0); err != nil {
		t.Fatalf("deliver: %v", err)
	}

	// A real-name bad rating of it, with the rater's phone.
	if _, err := h.svc.RateCase(ctx, out.window, checkCode, rating.Input{Level: rating.VeryDissatisfied, Channel: rating.Mobile,
		Tags: []rating.Tag{"多次跑动"}, Text: "跑了三次", RealName: true, Name: residentName, Phone: pdRaterPhone}); err != nil {
		t.Fatalf("rate: %v", err)
	}

	// A one-time notice to an applicant who lacked materials.
	if _, err := h.svc.RecordIncomplete(h.as["shouli"], service.IncompleteIntake{ItemCode: "CGJ-XK-003",
		Applicant: casework.Party{Kind: casework.Person, Name: "赵四", IDType: identity.ResidentID, IDNumber: pdNoticeID},
		Materials: []casework.MaterialInput{{Code: "M01", Status: casework.Provided}}}); err != nil {
		t.Fatalf("one-time notice: %v", err)
	}

	// The applicant's online account: registration by phone, the profile
	// with the ID, a draft with a delivery phone, an online application, a
	// mandate to the agent.
	acc, me := h.applicant(t, pdApplicantPhone, resident(residentName, pdApplicantID))
	d := &service.OnlineDraft{ItemCode: "CGJ-XK-003", Files: h.files(t, me, "CGJ-XK-003"),
		Delivery: &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路9号", Recipient: residentName, Phone: pdDraftPhone}}
	if err := h.svc.SaveDraft(me, d); err != nil {
		t.Fatalf("save draft: %v", err)
	}
	out.online = h.submit(t, me, service.OnlineDraft{ItemCode: "CGJ-XK-003"}).Case.Number
	if _, err := h.svc.Authorise(me, service.AuthorisationInput{Agent: "daiban", Until: "2026-12-31"}); err != nil {
		t.Fatalf("mandate: %v", err)
	}
	if acc.ID == 0 {
		t.Fatal("no account")
	}

	// A failed sign-in with a phone (its lockout counter).
	if _, err := h.svc.SignInApplicant(ctx, pdWrongPhone, "WrongPassword1"); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("failed sign-in: %v", err)
	}

	// The kiosk: a ticket with an ID, and a second one refused while the
	// first is open (one open ticket per ID, on the hash).
	if _, err := h.svc.TakeTicket(ctx, service.TicketRequest{Hall: demo.DistrictHall, Category: "A", IDNumber: pdTicketID}); err != nil {
		t.Fatalf("ticket: %v", err)
	}
	_, err = h.svc.TakeTicket(ctx, service.TicketRequest{Hall: demo.DistrictHall, Category: "A", IDNumber: strings.ToLower(pdTicketID)})
	wantErr(t, "a second open ticket of the ID", err, apperr.Conflict, "")

	// An appointment today, a second one the same day refused, and the
	// check-in by ID number.
	today := calendar.DateOf(h.clk.Now())
	if _, _, err := h.svc.Book(ctx, service.BookingRequest{Hall: demo.DistrictHall, Category: "A", Date: today, Slot: "10:30",
		Name: "钱七", IDNumber: pdBookingID, Phone: pdBookingPhone}); err != nil {
		t.Fatalf("book: %v", err)
	}
	_, _, err = h.svc.Book(ctx, service.BookingRequest{Hall: demo.DistrictHall, Category: "A", Date: today, Slot: "11:00",
		Name: "钱七", IDNumber: pdBookingID, Phone: pdBookingPhone})
	wantErr(t, "a second booking of the ID the same day", err, apperr.Conflict, "")
	h.at("2026-09-30 10:20")
	if _, err := h.svc.CheckIn(ctx, demo.DistrictHall, "", pdBookingID); err != nil {
		t.Fatalf("check in by ID: %v", err)
	}

	// A joint application at the window.
	if _, err := h.svc.IntakeBundle(h.as["shouli"], restaurantIntake(t, h)); err != nil {
		t.Fatalf("bundle: %v", err)
	}

	// A page session holding a joint application's form being filled in.
	var sessions scs.Store = sqlite3store.New(h.st.DB())
	if h.st.Dialect() == store.Postgres {
		sessions = postgresstore.New(h.st.DB())
	}
	sealedSessions := h.st.SealSessions(sessions)
	b, err := scs.GobCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{
		"my_bundle:1:YJS-CY": `{"delivery":{"method":"mail","phone":"` + pdSessionPhone + `"}}`})
	if err != nil {
		t.Fatal(err)
	}
	if err := sealedSessions.Commit("session-token", b, time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("commit session: %v", err)
	}
	if got, found, err := sealedSessions.Find("session-token"); err != nil || !found || !slices.Equal(got, b) {
		t.Fatalf("the session reads back: %v %v", found, err)
	}
	// The outbox sends to the clear phone it keeps sealed.
	if _, err := h.svc.DispatchNotifications(ctx); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	sentAbout := false
	for _, m := range h.svc.Sender().(*notify.Log).Sent() {
		sentAbout = sentAbout || (m.To == pdApplicantPhone && strings.Contains(m.Body, out.window))
	}
	if !sentAbout {
		t.Errorf("no notice about %s went to %s", out.window, pdApplicantPhone)
	}
	return out
}

// pdSearches checks that every search by a full ID number or phone number
// finds what it should, and reads the clear values back.
func pdSearches(t *testing.T, h *onlineHall, n pdNumbers) {
	t.Helper()
	ctx := context.Background()
	// The intake desk recalls the returning applicant by ID.
	rec, err := h.svc.RecallApplicant(h.as["shouli"], pdApplicantID)
	if err != nil || rec.Applicant.Phone != pdApplicantPhone {
		t.Errorf("recall by ID: %+v, %v", rec, err)
	}
	if rec, err := h.svc.RecallApplicant(h.as["shouli"], pdNoticeID); err != nil || rec.Applicant.Name != "赵四" {
		t.Errorf("recall from a one-time notice: %+v, %v", rec, err)
	}
	// Case search by the full ID.
	page, err := h.svc.Cases(h.as["shouli"], service.CaseFilter{Query: pdApplicantID})
	if err != nil || page.Total < 1 {
		t.Errorf("case search by ID: %v, %v", page, err)
	}
	// The case reads its people back in clear (masked only for display).
	c, err := h.st.Case(ctx, n.window)
	if err != nil || c.Applicant.IDNumber != pdApplicantID || c.Agent.Phone != pdAgentPhone || c.Delivery.Phone != pdMailPhone {
		t.Errorf("the window case reads back: %+v %v", c, err)
	}
	docs, err := h.st.CaseDocuments(ctx, n.window)
	if err != nil || len(docs) == 0 || !strings.Contains(string(docs[0].Data), pdApplicantPhone) {
		t.Errorf("the receipt notice reads back with the phone: %v", err)
	}
	// The applicant signs in by phone and sees the window case in their ID
	// and phone, the online one, the hall visits in their ID and the
	// notices to their phone.
	acc, err := h.svc.SignInApplicant(ctx, pdApplicantPhone, hallPassword)
	if err != nil || acc.IDNumber != pdApplicantID {
		t.Fatalf("sign in by phone: %+v, %v", acc, err)
	}
	me := applicantCtx(acc)
	mine, err := h.svc.MyCases(me)
	var got []string
	for _, v := range mine {
		got = append(got, v.Case.Number)
	}
	if err != nil || !slices.Contains(got, n.window) || !slices.Contains(got, n.online) {
		t.Errorf("my cases %v (%v), want %s and %s", got, err, n.window, n.online)
	}
	notes, err := h.svc.MyNotifications(me, 0)
	if err != nil || len(notes) == 0 {
		t.Errorf("my notifications: %d, %v", len(notes), err)
	}
	drafts, err := h.svc.Drafts(me)
	if err != nil || len(drafts) != 1 || drafts[0].Delivery == nil || drafts[0].Delivery.Phone != pdDraftPhone {
		t.Errorf("my draft: %+v, %v", drafts, err)
	}
	mandates, err := h.svc.Authorisations(me)
	if err != nil || len(mandates) != 1 {
		t.Errorf("my mandates: %d, %v", len(mandates), err)
	}
	// The agent sees the applicant's cases through the mandate.
	agentCases, err := h.svc.MyCases(h.as["daiban"])
	got = got[:0]
	for _, v := range agentCases {
		got = append(got, v.Case.Number)
	}
	if err != nil || !slices.Contains(got, n.online) {
		t.Errorf("the agent's cases %v (%v), want %s", got, err, n.online)
	}
	// Hall visits by ID: the booking's no-shows and tickets.
	if _, err := h.svc.NoShowCount(h.as["shouli"], pdBookingID); err != nil {
		t.Errorf("no-shows by ID: %v", err)
	}
	tickets, err := h.st.TicketsOf(ctx, pdTicketID, 10)
	if err != nil || len(tickets) != 1 || tickets[0].IDNumber != pdTicketID {
		t.Errorf("tickets by ID: %+v, %v", tickets, err)
	}
	bookings, err := h.st.Appointments(ctx, demo.DistrictHall, calendar.DateOf(h.clk.Now()))
	if err != nil || len(bookings) != 1 || bookings[0].Phone != pdBookingPhone || bookings[0].IDNumber != pdBookingID {
		t.Errorf("bookings: %+v, %v", bookings, err)
	}
	r, err := h.st.CaseRating(ctx, n.window)
	if err != nil || r.Phone != pdRaterPhone {
		t.Errorf("the rating's phone: %+v, %v", r, err)
	}
}

// pdHashColumns reads the columns that hold keyed hashes, which a key
// rotation must leave as they are.
func pdHashColumns(t *testing.T, st *store.Store) []string {
	t.Helper()
	var out []string
	for _, q := range []string{`SELECT applicant_id FROM cases ORDER BY id`, `SELECT phone || '/' || id_number FROM accounts ORDER BY id`,
		`SELECT id_number FROM tickets ORDER BY id`, `SELECT id_number FROM appointments ORDER BY id`,
		`SELECT applicant_id FROM intake_attempts ORDER BY id`, `SELECT recipient FROM notifications ORDER BY id`} {
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v sql.NullString
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v.String)
		}
		rows.Close()
	}
	return out
}
