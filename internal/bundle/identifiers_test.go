package bundle_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/bundle"
)

func TestParseBundleIdentifiers(t *testing.T) {
	for in, ok := range map[string]bool{"YJS-CY": true, "KB01": true, " YJS-CY": false, "YJS-CY\t": false, "yjs-cy": false, "": false} {
		if _, err := bundle.ParseTemplateCode("code", in); ok != (err == nil) {
			t.Errorf("ParseTemplateCode(%q): %v, want ok %v", in, err, ok)
		}
	}
	for in, ok := range map[string]bool{"YJS202609300001": true, "YJS2026093000001": true, "YJS20260930001": false,
		" YJS202609300001": false, "YJS202609300001\x00": false, "20260930000001": false} {
		if _, err := bundle.ParseNumber("number", in); ok != (err == nil) {
			t.Errorf("ParseNumber(%q): %v, want ok %v", in, err, ok)
		}
	}
}
