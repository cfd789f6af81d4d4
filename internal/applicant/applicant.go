// Package applicant holds the online applicant's account (网上办事大厅
// 账户): a natural person or a legal entity signing in with a phone number
// and a password, its verification codes, and the authorisations it gives
// agents (代办员) to apply and collect for it. It knows nothing of SQL or
// HTTP.
package applicant

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"math/big"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/text"
)

// Account is an online applicant's account. Its profile (kind, name and
// ID) is what online applications are made in the name of.
type Account struct {
	ID           int64              `json:"id"`
	Phone        string             `json:"phone"`
	Email        string             `json:"email,omitempty"`
	Kind         casework.PartyKind `json:"kind,omitempty"`
	Name         string             `json:"name,omitempty"`
	IDType       identity.IDType    `json:"id_type,omitempty"`
	IDNumber     string             `json:"id_number,omitempty"`
	Address      string             `json:"address,omitempty"`
	PasswordHash string             `json:"-"`
	CreatedAt    time.Time          `json:"created_at"`
	Version      int                `json:"version"`
}

var mobilePattern = regexp.MustCompile(`^1[3-9]\d{9}$`)

// NormalizePhone strips spaces and dashes and a +86 prefix.
func NormalizePhone(s string) string {
	s = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
	return strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "86")
}

// ValidatePhone checks a mainland mobile number, the account's sign-in name.
func ValidatePhone(phone string) error {
	if !mobilePattern.MatchString(phone) {
		return apperr.Field("phone", "请填写正确的 11 位手机号")
	}
	return nil
}

// ValidatePassword checks a new password: 8 to 64 characters with letters
// and digits.
func ValidatePassword(p string) error {
	n := utf8.RuneCountInString(p)
	hasLetter := strings.ContainsFunc(p, func(r rune) bool { return r < 128 && (r|0x20 >= 'a' && r|0x20 <= 'z') })
	hasDigit := strings.ContainsFunc(p, func(r rune) bool { return r >= '0' && r <= '9' })
	if n < 8 || n > 64 || !hasLetter || !hasDigit {
		return apperr.Field("password", "密码须为 8 至 64 位，且同时包含字母和数字")
	}
	return nil
}

// Profile is what an applicant fills in once: who they are.
type Profile struct {
	Kind     casework.PartyKind `json:"kind"`
	Name     string             `json:"name"`
	IDType   identity.IDType    `json:"id_type"`
	IDNumber string             `json:"id_number"`
	Address  string             `json:"address,omitempty"`
	Email    string             `json:"email,omitempty"`
}

// Check validates the profile (the resident ID or the credit code by its
// check character) and returns it normalised.
func (p Profile) Check(phone string) (Profile, error) {
	party := casework.Party{Kind: p.Kind, Name: p.Name, IDType: p.IDType, IDNumber: p.IDNumber, Phone: phone, Address: p.Address}
	party, err := casework.CheckParty(party)
	if err != nil {
		return Profile{}, err
	}
	email := strings.TrimSpace(p.Email)
	if email != "" && (len(email) > 200 || !strings.Contains(email, "@") || strings.ContainsAny(email, " \r\n<>") || !text.Valid(email)) {
		return Profile{}, apperr.Field("email", "请填写正确的电子邮箱")
	}
	return Profile{Kind: party.Kind, Name: party.Name, IDType: party.IDType, IDNumber: party.IDNumber, Address: party.Address, Email: email}, nil
}

// Apply sets the account's profile.
func (a *Account) Apply(p Profile) {
	a.Kind, a.Name, a.IDType, a.IDNumber, a.Address, a.Email = p.Kind, p.Name, p.IDType, p.IDNumber, p.Address, p.Email
}

// Complete reports whether the profile is filled in: only then may the
// account apply.
func (a *Account) Complete() bool { return a.Name != "" && a.IDNumber != "" }

// Party returns the account's holder as the applicant of a case.
func (a *Account) Party() casework.Party {
	return casework.Party{Kind: a.Kind, Name: a.Name, IDType: a.IDType, IDNumber: a.IDNumber, Phone: a.Phone, Address: a.Address}
}

// Username is the name an account's changes are recorded under: its
// masked phone number, never the whole number.
func (a *Account) Username() string {
	return "申请人" + MaskPhone(a.Phone)
}

// MaskPhone shows the first 3 and last 4 digits of a phone number.
func MaskPhone(p string) string {
	if len(p) < 8 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + "****" + p[len(p)-4:]
}

// Owns reports whether the case is the account's own: applied for online
// through the account, or taken in at a window in the account holder's name
// with the account's verified phone.
func (a *Account) Owns(c *casework.Case) bool {
	if c.AccountID != 0 {
		return c.AccountID == a.ID
	}
	return a.Complete() && c.Applicant.IDNumber == a.IDNumber && c.Applicant.Phone == a.Phone
}

// Purpose says what a verification code is for.
type Purpose string

// Purposes.
const (
	Register      Purpose = "register" // 注册
	ResetPassword Purpose = "reset"    // 找回密码
)

// Code rules: six digits, ten minutes, five tries, one a minute per phone.
const (
	CodeTTL      = 10 * time.Minute
	CodeAttempts = 5
	CodeInterval = time.Minute
)

// Code is a verification code as stored: only its hash.
type Code struct {
	Phone     string
	Purpose   Purpose
	Hash      string
	ExpiresAt time.Time
	Attempts  int
	CreatedAt time.Time
}

// NewCode returns a fresh code for phone: the digits to send and the
// record to store.
func NewCode(phone string, purpose Purpose, now time.Time) (string, Code) {
	digits := make([]byte, 6)
	for i := range digits {
		n, _ := rand.Int(rand.Reader, big.NewInt(10))
		digits[i] = byte('0' + n.Int64())
	}
	plain := string(digits)
	return plain, Code{Phone: phone, Purpose: purpose, Hash: hashCode(phone, purpose, plain), ExpiresAt: now.Add(CodeTTL), CreatedAt: now}
}

func hashCode(phone string, purpose Purpose, plain string) string {
	sum := sha256.Sum256([]byte("onewindow-code\n" + string(purpose) + "\n" + phone + "\n" + plain))
	return hex.EncodeToString(sum[:])
}

// Verify checks a typed code against the stored one. The caller counts
// the attempt whatever the answer.
func (c Code) Verify(plain string, now time.Time) error {
	switch {
	case c.Attempts >= CodeAttempts:
		return apperr.New(apperr.Locked, "验证码错误次数过多，请重新获取")
	case now.After(c.ExpiresAt):
		return apperr.Field("code", "验证码已过期，请重新获取")
	}
	want := hashCode(c.Phone, c.Purpose, strings.TrimSpace(plain))
	if subtle.ConstantTimeCompare([]byte(want), []byte(c.Hash)) != 1 {
		return apperr.Field("code", "验证码不正确")
	}
	return nil
}
