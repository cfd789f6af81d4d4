package bundle_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/catalog"
)

// TestSharedMaterials: a material two members ask for under one name is
// shared; deferrable only where every member allows it, required where any
// requires it, with the most originals and copies any asks for; a name one
// item lists twice, or only one item asks for, is not shared.
func TestSharedMaterials(t *testing.T) {
	a := &catalog.Item{Code: "A", Materials: []catalog.Material{
		{Code: "M01", Name: "营业执照", Required: true, Originals: 1, Deferrable: true},
		{Code: "M02", Name: "申请书", Required: true, Originals: 1},
		{Code: "M03", Name: " 法定代表人身份证明 ", Copies: 1, Deferrable: true},
	}}
	b := &catalog.Item{Code: "B", Materials: []catalog.Material{
		{Code: "M01", Name: "申请表", Required: true},
		{Code: "M04", Name: "法定代表人身份证明", Required: true, Copies: 2, Deferrable: true},
		{Code: "M07", Name: "营业执照", Copies: 1},
		{Code: "M08", Name: "营业执照", Copies: 3}, // listed twice: once
	}}
	got := bundle.SharedMaterials([]*catalog.Item{a, b})
	if len(got) != 2 {
		t.Fatalf("shared %+v, want 营业执照 and 法定代表人身份证明", got)
	}
	lic, id := got[0], got[1]
	if lic.Name != "营业执照" || lic.Deferrable || !lic.Required || lic.Originals != 1 || lic.Copies != 1 ||
		len(lic.Uses) != 2 || !lic.UsedBy("A", "M01") || !lic.UsedBy("B", "M07") || lic.UsedBy("B", "M08") {
		t.Errorf("营业执照: %+v", lic)
	}
	if id.Name != "法定代表人身份证明" || !id.Deferrable || !id.Required || id.Copies != 2 || !id.UsedBy("A", "M03") || !id.UsedBy("B", "M04") {
		t.Errorf("法定代表人身份证明: %+v", id)
	}
	if one := bundle.SharedMaterials([]*catalog.Item{a}); len(one) != 0 {
		t.Errorf("one item shares nothing: %+v", one)
	}
}
