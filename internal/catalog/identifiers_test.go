package catalog

import "testing"

func TestParseItemCode(t *testing.T) {
	for in, ok := range map[string]bool{
		"SCJG-XK-001": true, "scjg_xk_1": true, "": false, "S": false, " CGJ-XK-001": false, "CGJ-XK-001\t": false,
		"CGJ-XK-001 ": false, "CGJ XK": false, "CGJ-XK-001\u3000": false, "CGJ-XK\x00": false, "CGJ\u202eXK": false,
		"ＣＧＪ": false, "CGJ/XK": false,
	} {
		got, err := ParseItemCode("code", in)
		if ok != (err == nil) || ok && got != in {
			t.Errorf("ParseItemCode(%q) = %q, %v; want ok %v", in, got, err, ok)
		}
	}
}
