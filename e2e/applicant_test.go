package e2e

import (
	"context"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/service"
)

// applicantAccount registers an online applicant account for phone with
// profile through the service (the registration page has its own test)
// and returns the password it signs in with.
func (h *hall) applicantAccount(t *testing.T, phone string, profile applicant.Profile) string {
	t.Helper()
	const password = "Secret2026"
	bg := service.WithRequest(context.Background(), service.Request{ID: "e2e", Channel: "web"})
	if err := h.svc.SendCode(bg, phone, applicant.Register); err != nil {
		t.Fatal(err)
	}
	msg, _ := h.svc.Sender().(*notify.Log).Last(phone)
	acc, err := h.svc.Register(bg, service.Registration{Phone: phone, Code: regexp.MustCompile(`\d{6}`).FindString(msg.Body), Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.UpdateProfile(service.WithAccount(bg, acc), profile, acc.Version); err != nil {
		t.Fatal(err)
	}
	return password
}

// asApplicant signs the browser in to the online hall.
func (h *hall) asApplicant(t *testing.T, ctx context.Context, phone, password string) {
	t.Helper()
	h.open(t, ctx, "/my/login")
	do(t, ctx, "sign in to the online hall",
		chromedp.SetValue(chromedp.CSS("#phone"), phone),
		chromedp.SetValue(chromedp.CSS("#password"), password))
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS("#password"))); err != nil {
		t.Fatalf("applicant sign-in: %v", err)
	}
}

// withFiles gives the hall a folder for uploaded files (the demo has none).
func (h *hall) withFiles(t *testing.T) {
	t.Helper()
	dir, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h.svc.Use(dir, nil)
}
