package page

import (
	"crypto/rand"
	"encoding/hex"
	"html/template"
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
