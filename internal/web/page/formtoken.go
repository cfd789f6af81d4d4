package page

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"net/http"
)

// FormTokenField is the hidden field that carries a form's one-time token.
// Every page form that creates or changes something writes {{formToken}}
// inside it; the server answers a repeat of the same token with the first
// submission's answer instead of acting again (server/once.go,
// service.ClaimForm). Only the sign-in and sign-out forms go without.
const FormTokenField = "form_token"

// NewFormToken returns a fresh random token: 16 bytes, 32 hexadecimal digits.
func NewFormToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// formTokenInput is the hidden input of a new token: every rendering of a
// form (a refused one too) gets its own.
func formTokenInput() template.HTML {
	return template.HTML(`<input type="hidden" name="` + FormTokenField + `" value="` + NewFormToken() + `">`)
}

// answerKeptKey holds the flag a handler clears when its answer must not
// be kept for a repeat of the form (see ForgetAnswer).
type answerKeptKey struct{}

// WithAnswerSlot returns ctx carrying a flag ForgetAnswer sets; the
// server's one-time form handling reads it after the handler ran.
func WithAnswerSlot(ctx context.Context) (context.Context, *bool) {
	forget := new(bool)
	return context.WithValue(ctx, answerKeptKey{}, forget), forget
}

// ForgetAnswer marks the page being answered as not to be kept for a
// repeat of its form: it shows a secret once (a new API key), which must
// not wait in the database for a repeat. A repeat is sent back to the page
// the form came from instead.
func ForgetAnswer(r *http.Request) {
	if forget, ok := r.Context().Value(answerKeptKey{}).(*bool); ok {
		*forget = true
	}
}
