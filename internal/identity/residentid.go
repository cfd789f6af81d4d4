package identity

import (
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// GB 11643: weights of the first 17 digits and the check character for each
// value of the weighted sum mod 11.
var (
	residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	residentChecks  = "10X98765432"
)

// Birth years accepted in a resident ID. The package has no clock, so "not in
// the future" is approximated by a fixed upper bound.
const (
	minBirthYear = 1900
	maxBirthYear = 2100
)

// NormalizeResidentID trims surrounding spaces and upper-cases the check
// character 'x', the forms in which IDs are typed or scanned.
func NormalizeResidentID(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// ValidateResidentID checks an 18-character resident ID: 17 digits and a check
// character (a digit or X; 'x' is accepted), a known province code, a real
// birth date between 1900 and 2100, and the GB 11643 check character.
func ValidateResidentID(s string) error {
	return validateResidentID("id_number", s)
}

func validateResidentID(field, s string) error {
	if runeLen(s) != 18 {
		return apperr.Field(field, "身份证号码应为 18 位")
	}
	for i := 0; i < 17; i++ {
		if !isDigit(s[i]) {
			return apperr.Field(field, "身份证号码前 17 位须为数字，末位须为数字或 X")
		}
	}
	last := upper(s[17])
	if !isDigit(last) && last != 'X' {
		return apperr.Field(field, "身份证号码前 17 位须为数字，末位须为数字或 X")
	}
	if !validProvince(int(s[0]-'0')*10 + int(s[1]-'0')) {
		return apperr.Field(field, "身份证号码的地区码无效")
	}
	if _, ok := birthDate(s); !ok {
		return apperr.Field(field, "身份证号码中的出生日期无效")
	}
	if residentCheck(s[:17]) != last {
		return apperr.Field(field, "身份证号码校验位不正确")
	}
	return nil
}

// residentCheck returns the check character for the first 17 digits.
func residentCheck(digits string) byte {
	sum := 0
	for i, w := range residentWeights {
		sum += int(digits[i]-'0') * w
	}
	return residentChecks[sum%11]
}

// validProvince reports whether code is a province-level division code
// (GB/T 2260), including Taiwan (71), Hong Kong (81), Macao (82), the
// residence-permit code 83 and the 91 used for IDs issued abroad.
func validProvince(code int) bool {
	switch {
	case code >= 11 && code <= 15, code >= 21 && code <= 23, code >= 31 && code <= 37,
		code >= 41 && code <= 46, code >= 50 && code <= 54, code >= 61 && code <= 65:
		return true
	}
	return code == 71 || code == 81 || code == 82 || code == 83 || code == 91
}

// birthDate parses characters 7-14 (YYYYMMDD) of an ID whose first 17
// characters are digits. time.Date normalises 1900-02-29 to 1900-03-01, so a
// date is real only if it survives the round trip.
func birthDate(s string) (time.Time, bool) {
	y := atoi(s[6:10])
	m := time.Month(atoi(s[10:12]))
	d := atoi(s[12:14])
	if y < minBirthYear || y > maxBirthYear {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// BirthDate returns the birth date (midnight UTC) recorded in a valid
// resident ID, or the validation error of an invalid one.
func BirthDate(id string) (time.Time, error) {
	if err := ValidateResidentID(id); err != nil {
		return time.Time{}, err
	}
	t, _ := birthDate(id)
	return t, nil
}

// Gender returns "男" or "女" from the 17th digit of a resident ID (odd is
// male), or "" if id is too short or that character is not a digit.
func Gender(id string) string {
	if len(id) < 17 || !isDigit(id[16]) {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return "男"
	}
	return "女"
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// atoi converts a string of ASCII digits already checked by the caller.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
