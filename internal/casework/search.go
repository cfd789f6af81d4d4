package casework

import (
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// PhoneKey is the form in which a case's phone is indexed and searched:
// the number without spaces, dashes, brackets or the +86 country code, so
// that "138 1234 5678", "+86 13812345678" and "0571-8888 6666" find the
// numbers taken in as "13812345678" and "057188886666". "" stays "".
func PhoneKey(p string) string {
	p = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", "（", "", "）", "", "\u3000", "").Replace(strings.TrimSpace(p))
	for _, prefix := range []string{"+86", "0086"} {
		p = strings.TrimPrefix(p, prefix)
	}
	// A mobile number written with its country code and no plus sign.
	if len(p) == 13 && strings.HasPrefix(p, "861") {
		p = p[2:]
	}
	return p
}

// SearchPhone checks a phone number typed into the case search and returns
// its PhoneKey: a whole number of 7 to 20 digits (phones are found by a
// keyed hash of the whole number, never by a part of it).
func SearchPhone(field, p string) (string, error) {
	k := PhoneKey(p)
	ok := len(k) >= 7 && len(k) <= 20
	for _, r := range k {
		ok = ok && r >= '0' && r <= '9'
	}
	if !ok {
		return "", apperr.Field(field, "请填写完整的手机号或固定电话（不能只填一部分）")
	}
	return k, nil
}

// ReceivedBetween returns the moments a search by the day of receipt
// covers, from the start of from up to (not including) the start of the
// day after to, in Asia/Shanghai; a zero date leaves its side open (a zero
// time). A range that ends before it starts is refused.
func ReceivedBetween(from, to calendar.Date) (start, end time.Time, err error) {
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return time.Time{}, time.Time{}, apperr.Field("to", "收件日期的结束日不能早于开始日")
	}
	if !from.IsZero() {
		start = from.At(0, 0)
	}
	if !to.IsZero() {
		end = to.AddDays(1).At(0, 0)
	}
	return start, end, nil
}
