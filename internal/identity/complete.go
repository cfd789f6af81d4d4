package identity

import "strings"

// CompleteResidentID returns the 18-character resident ID whose first 17
// digits are first17, with its GB 11643 check character: for made-up
// people (demo history, tests). first17 must be 17 digits.
func CompleteResidentID(first17 string) string {
	return first17 + string(residentCheck(first17))
}

// CompleteCreditCode returns the unified social credit code whose first 17
// characters are first17, with its GB 32100 check character. first17 must
// use the code's character set.
func CompleteCreditCode(first17 string) string {
	values := make([]int, 17)
	for i := range values {
		values[i] = strings.IndexByte(creditChars, first17[i])
	}
	return first17 + string(creditChars[creditCheck(values)])
}
