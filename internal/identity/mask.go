package identity

// Mask hides the middle of a document number for screens and logs, keeping
// its length in runes: a number longer than 10 shows its first 6 and last 4
// characters (the region and the check digit a clerk matches against the card);
// a shorter one shows only its first and last character, or nothing when it
// has fewer than 3. Invalid UTF-8 bytes count as one rune each.
func Mask(s string) string {
	r := []rune(s)
	head, tail := 6, 4
	switch n := len(r); {
	case n > 10:
	case n >= 3:
		head, tail = 1, 1
	default:
		head, tail = 0, 0
	}
	for i := head; i < len(r)-tail; i++ {
		r[i] = '*'
	}
	return string(r)
}
