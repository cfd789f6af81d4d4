package service_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// recordingSender keeps every message it is given.
type recordingSender struct {
	mu   sync.Mutex
	sent []notify.Message
}

func (r *recordingSender) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

func (r *recordingSender) take() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sent
	r.sent = nil
	return out
}

// failCounter counts failed deliveries by channel.
type failCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (f *failCounter) DeliveryFailed(ch string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n[ch]++
}

// smsHall is the demo district whose messages carry links under a public URL.
func smsHall(t *testing.T, st *store.Store, clk clock.Clock) (*service.Service, map[string]context.Context, *recordingSender) {
	t.Helper()
	cfg := service.DefaultConfig()
	cfg.Messages.PublicURL = "https://zwfw.example.gov.cn/"
	cfg.Messages.ReceiptSecret = "receipt-s3cret"
	cfg.Messages.ReceiptToken = "tok-123"
	svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		t.Fatal(err)
	}
	as := map[string]context.Context{}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue
		}
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatal(err)
		}
		as[c.Username] = service.WithUser(context.Background(), u)
	}
	rec := &recordingSender{}
	svc.Use(nil, rec)
	return svc, as, rec
}

func dispatch(t *testing.T, svc *service.Service) {
	t.Helper()
	if _, err := svc.DispatchNotifications(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestSMSTemplatesAndTheCorrectionNoticeLink(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, rec := smsHall(t, st, clk)
		admin := as["admin"]

		// The default: the hall's signature and the notice.
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		number := v.Case.Number
		dispatch(t, svc)
		sent := rec.take()
		if len(sent) != 1 || !strings.HasPrefix(sent[0].Body, "【一窗通】您申请的") || !strings.Contains(sent[0].Body, number) {
			t.Fatalf("receipt message %+v", sent)
		}
		if !regexp.MustCompile(`^n-\d+$`).MatchString(sent[0].Ref) {
			t.Errorf("ref %q", sent[0].Ref)
		}

		// Only the bureau admin words the templates.
		if _, err := svc.SMSTemplates(as["shouli"]); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a clerk reads the templates: %v", err)
		}
		edit := service.SMSTemplateEdit{Kind: "accept", Body: "【某区政务服务】办件 {{.Number}} 已受理。"}
		if _, err := svc.SaveSMSTemplate(as["shouli"], edit); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a clerk saves a template: %v", err)
		}
		// Refused: a template that does not parse, an unknown field, one
		// too long for the platforms, an unknown kind.
		for _, bad := range []service.SMSTemplateEdit{
			{Kind: "accept", Body: "{{.Number"},
			{Kind: "accept", Body: "{{.Phone}}"},
			{Kind: "accept", Body: strings.Repeat("办", 501)},
			{Kind: "nosuch", Body: "x"},
		} {
			if _, err := svc.SaveSMSTemplate(admin, bad); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("SaveSMSTemplate(%.30q) = %v, want invalid", bad.Body, err)
			}
		}
		p, err := svc.PreviewSMSTemplate(admin, edit)
		if err != nil || p.Text != "【某区政务服务】办件 20261202000001 已受理。" || p.Segments != 1 {
			t.Errorf("preview %+v %v", p, err)
		}
		long := service.SMSTemplateEdit{Kind: "accept", Body: "{{.Body}}{{.Body}}"}
		if p, err := svc.PreviewSMSTemplate(admin, long); err != nil || p.Segments != 2 || !strings.Contains(p.Note, "2 条短信") {
			t.Errorf("long preview %+v %v", p, err)
		}
		tv, err := svc.SaveSMSTemplate(admin, edit)
		if err != nil {
			t.Fatal(err)
		}
		if !tv.Custom || tv.UpdatedBy != "刘志强" || tv.Body != edit.Body {
			t.Errorf("saved %+v", tv)
		}

		// The next acceptance notice is worded by it.
		if _, err := svc.Act(as["shenpi"], number, casework.ActAccept, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		dispatch(t, svc)
		if sent := rec.take(); len(sent) != 1 || sent[0].Body != "【某区政务服务】办件 "+number+" 已受理。" {
			t.Errorf("acceptance message %+v", sent)
		}

		// The correction notice goes out with a short link that opens it
		// without signing in, until it expires.
		v2, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(as["shenpi"], v2.Case.Number, casework.ActReturn, casework.Input{Reason: returnReason, Corrections: []string{"M03"}}, 0); err != nil {
			t.Fatal(err)
		}
		dispatch(t, svc)
		sent = rec.take()
		var body string
		for _, m := range sent {
			if strings.Contains(m.Body, "补正") {
				body = m.Body
			}
		}
		link := regexp.MustCompile(`通知书：https://zwfw\.example\.gov\.cn/n/([A-Z2-7]{16})$`).FindStringSubmatch(body)
		if link == nil {
			t.Fatalf("correction message has no link: %q", body)
		}
		doc, err := svc.OpenNoticeLink(context.Background(), link[1])
		if err != nil {
			t.Fatal(err)
		}
		if doc.Document.Kind != casework.CorrectionNotice || doc.Case.Case.Number != v2.Case.Number {
			t.Errorf("link opens %s of %s", doc.Document.Kind, doc.Case.Case.Number)
		}
		if strings.Contains(fmt.Sprint(doc.Case.Case.Applicant), progressCredit) {
			t.Error("the linked case shows the credit code unmasked")
		}
		for _, code := range []string{"AAAAAAAAAAAAAAAA", link[1][:15], ""} {
			if _, err := svc.OpenNoticeLink(context.Background(), code); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("code %q: %v, want not found", code, err)
			}
		}
		clk.Set(clk.Now().Add(31 * 24 * time.Hour))
		if _, err := svc.OpenNoticeLink(context.Background(), link[1]); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an expired link opens: %v", err)
		}
		clk.Set(start)

		// Back to the default.
		if _, err := svc.SaveSMSTemplate(admin, service.SMSTemplateEdit{Kind: "accept", Reset: true}); err != nil {
			t.Fatal(err)
		}
		list, err := svc.SMSTemplates(admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, tv := range list {
			if tv.Kind == "accept" && (tv.Custom || tv.Body != service.DefaultSMSTemplate("accept")) {
				t.Errorf("after reset %+v", tv)
			}
		}
	})
}

func TestDeliveryReceipts(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, rec := smsHall(t, st, clk)
		fails := &failCounter{n: map[string]int{}}
		svc.Observe(fails)
		var refs []string
		var numbers []string
		for range 2 {
			v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, v.Case.Number)
		}
		dispatch(t, svc)
		for _, m := range rec.take() {
			refs = append(refs, m.Ref)
		}
		if len(refs) != 2 {
			t.Fatalf("sent %v", refs)
		}
		body := []byte(fmt.Sprintf(`[{"out_id":%q,"success":true,"err_code":"DELIVERED"},{"ext":%q,"report_status":"FAIL","errmsg":"x","description":"用户关机"},{"out_id":"n-999999","success":true},{"out_id":"other"}]`, refs[0], refs[1]))

		// Unsigned, wrongly signed, stale and wrong-token calls record nothing.
		for _, call := range []service.DeliveryReceiptCall{
			{Body: body},
			{Body: body, Signature: notify.SignSMS("other", clk.Now().Unix(), body)},
			{Body: body, Signature: notify.SignSMS("receipt-s3cret", clk.Now().Add(-time.Hour).Unix(), body)},
			{Body: body, Token: "tok-12"},
		} {
			if _, err := svc.RecordDeliveryReceipts(context.Background(), call); !apperr.Is(err, apperr.Unauthorized) {
				t.Errorf("receipt %+v accepted: %v", call, err)
			}
		}
		rep, err := svc.RecordDeliveryReceipts(context.Background(), service.DeliveryReceiptCall{Body: body, Signature: notify.SignSMS("receipt-s3cret", clk.Now().Unix(), body)})
		if err != nil || rep.Recorded != 2 || rep.Unknown != 2 {
			t.Fatalf("report %+v %v", rep, err)
		}
		want := map[string]string{numbers[0]: applicant.DeliveryDelivered, numbers[1]: applicant.DeliveryFailed}
		for number, status := range want {
			ns, err := st.CaseNotifications(context.Background(), number)
			if err != nil || len(ns) != 1 {
				t.Fatal(ns, err)
			}
			n := ns[0]
			if n.DeliveryStatus != status || n.DeliveredAt.IsZero() || n.Kind != "intake" {
				t.Errorf("case %s notification %+v, want %s", number, n, status)
			}
			if status == applicant.DeliveryFailed && (!strings.Contains(n.DeliveryDetail, "用户关机") || !strings.Contains(n.DeliveryDetail, "FAIL x")) {
				t.Errorf("detail %q", n.DeliveryDetail)
			}
		}
		if fails.n["sms_receipt"] != 1 {
			t.Errorf("failures counted %v", fails.n)
		}
		// The token serves gateways that cannot sign; a single object is a receipt too.
		one := []byte(fmt.Sprintf(`{"out_id":%q,"status":"DELIVRD"}`, refs[1]))
		if rep, err := svc.RecordDeliveryReceipts(context.Background(), service.DeliveryReceiptCall{Body: one, Token: "tok-123"}); err != nil || rep.Recorded != 1 {
			t.Errorf("token receipt %+v %v", rep, err)
		}
		if _, err := svc.RecordDeliveryReceipts(context.Background(), service.DeliveryReceiptCall{Body: []byte("{"), Token: "tok-123"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("broken JSON: %v", err)
		}
	})
}

// TestTextMessagesGoToThePhone: with the SMS sender, an applicant account
// that has an e-mail address still gets its notices on the phone (the
// gateway takes no e-mail), under the notification's reference.
func TestTextMessagesGoToThePhone(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		var mu sync.Mutex
		var bodies []string
		gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, string(b))
			mu.Unlock()
		}))
		defer gw.Close()
		sms, err := notify.NewSMS(notify.SMSConfig{URL: gw.URL})
		if err != nil {
			t.Fatal(err)
		}
		p := resident(residentName, residentIDCard)
		p.Email = "liming@example.com"
		_, me := h.applicant(t, residentPhone, p) // its codes read from the log sender
		h.svc.Use(nil, sms)
		v := h.submit(t, me, service.OnlineDraft{ItemCode: "CGJ-XK-003", Delivery: &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号2栋301室"}})
		if _, err := h.svc.DispatchNotifications(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(bodies) != 1 || !strings.Contains(bodies[0], `"phone":"`+residentPhone+`"`) || !strings.Contains(bodies[0], v.Case.Number) {
			t.Fatalf("the gateway got %q", bodies)
		}
		ns, err := h.st.CaseNotifications(context.Background(), v.Case.Number)
		if err != nil || len(ns) != 1 || ns[0].SentAt.IsZero() || !strings.Contains(bodies[0], fmt.Sprintf(`"out_id":"n-%d"`, ns[0].ID)) {
			t.Errorf("notification %+v %v", ns, err)
		}
	})
}
