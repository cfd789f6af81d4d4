// Package identity checks the identity documents an applicant shows at
// intake — the 18-character resident ID (GB 11643), the unified social credit
// code (GB 32100) and the other certificates a person may hold — and masks
// their numbers for screens and logs.
//
// The package is pure: no clock, no I/O. Validators return apperr Invalid
// errors whose messages (zh-CN) can be shown to the user as they are.
package identity

import (
	"regexp"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
)

// IDType is the kind of identity document a number belongs to.
type IDType string

// The identity document types accepted at intake.
const (
	ResidentID       IDType = "resident_id"       // 居民身份证
	CreditCode       IDType = "credit_code"       // 统一社会信用代码
	Passport         IDType = "passport"          // 护照
	HKMacaoPermit    IDType = "hk_macao_permit"   // 港澳居民来往内地通行证
	TaiwanPermit     IDType = "taiwan_permit"     // 台湾居民来往大陆通行证
	ForeignPermanent IDType = "foreign_permanent" // 外国人永久居留身份证
)

var labels = map[IDType]string{
	ResidentID:       "居民身份证",
	CreditCode:       "统一社会信用代码",
	Passport:         "护照",
	HKMacaoPermit:    "港澳居民来往内地通行证",
	TaiwanPermit:     "台湾居民来往大陆通行证",
	ForeignPermanent: "外国人永久居留身份证",
}

// Label returns the Chinese name of the document type, or "" for an unknown one.
func (t IDType) Label() string { return labels[t] }

// Valid reports whether t is a known document type.
func (t IDType) Valid() bool {
	_, ok := labels[t]
	return ok
}

// Patterns for the documents without a check digit: only their shape is checked.
var (
	passportRe         = regexp.MustCompile(`^[A-Z0-9]{5,20}$`)
	hkMacaoPermitRe    = regexp.MustCompile(`^[HM][0-9]{8,10}$`)
	taiwanPermitRe     = regexp.MustCompile(`^(?:[0-9]{8}|[A-Z0-9]{10})$`)
	foreignPermanentRe = regexp.MustCompile(`^(?:[A-Z0-9]{15}|[A-Z0-9]{18})$`)
)

// Validate checks number as a document of type t. Errors name the field
// "id_number", or "id_type" when t is unknown. Numbers are checked as given;
// callers normalise them first (NormalizeResidentID, NormalizeCreditCode).
func Validate(t IDType, number string) error {
	const field = "id_number"
	if !t.Valid() {
		return apperr.Field("id_type", "未知的证件类型")
	}
	if number == "" {
		return apperr.Field(field, "请填写证件号码")
	}
	var ok bool
	switch t {
	case ResidentID:
		return validateResidentID(field, number)
	case CreditCode:
		return validateCreditCode(field, number)
	case Passport:
		ok = passportRe.MatchString(number)
	case HKMacaoPermit:
		ok = hkMacaoPermitRe.MatchString(number)
	case TaiwanPermit:
		ok = taiwanPermitRe.MatchString(number)
	case ForeignPermanent:
		ok = foreignPermanentRe.MatchString(number)
	}
	if !ok {
		return apperr.Field(field, t.Label()+"号码格式不正确")
	}
	return nil
}

// runeLen is the length a user sees, so a full-width character counts once
// and is reported as an illegal character rather than a wrong length.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
