package identity

import (
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
)

// GB 32100: the 31 characters of a credit code (no I, O, S, V, Z), each worth
// its index, and the weights 3^(i-1) mod 31 of the first 17 positions.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditAuthorities are the registration authority codes (the first
// character): 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教,
// 8 工会, 9 工商 (市场监管), A 中央军委改革和编制办公室, N 农业, Y 其他.
const creditAuthorities = "123456789ANY"

// NormalizeCreditCode trims surrounding spaces and upper-cases the code.
func NormalizeCreditCode(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// ValidateCreditCode checks an 18-character unified social credit code: its
// character set, the registration authority code and the GB 32100 check
// character. Errors name the field "credit_code".
func ValidateCreditCode(s string) error {
	return validateCreditCode("credit_code", s)
}

func validateCreditCode(field, s string) error {
	if runeLen(s) != 18 {
		return apperr.Field(field, "统一社会信用代码应为 18 位")
	}
	var values [18]int
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditChars, s[i])
		if v < 0 {
			return apperr.Field(field, "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）")
		}
		values[i] = v
	}
	if strings.IndexByte(creditAuthorities, s[0]) < 0 {
		return apperr.Field(field, "统一社会信用代码的登记管理部门代码无效")
	}
	if creditCheck(values[:17]) != values[17] {
		return apperr.Field(field, "统一社会信用代码校验位不正确")
	}
	return nil
}

// creditCheck returns the value of the check character for the first 17 values.
func creditCheck(values []int) int {
	sum := 0
	for i, w := range creditWeights {
		sum += values[i] * w
	}
	return (31 - sum%31) % 31
}
