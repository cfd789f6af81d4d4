package bundle

import (
	"strings"

	"github.com/onewindow/onewindow/internal/catalog"
)

// MaterialUse is one member's material that a shared material stands for.
type MaterialUse struct {
	ItemCode string `json:"item_code"`
	Code     string `json:"code"` // the material's code in that item
}

// SharedMaterial is a material two or more members of a joint application
// ask for under the same name (营业执照, 身份证明): the window checks it
// once and the mark counts for every member that asks for it.
type SharedMaterial struct {
	Name       string        `json:"name"`
	Deferrable bool          `json:"deferrable"` // every member allows it to be supplied later
	Required   bool          `json:"required"`   // some member requires it
	Originals  int           `json:"originals"`  // the most any member asks for
	Copies     int           `json:"copies"`
	Uses       []MaterialUse `json:"uses"`
}

// UsedBy reports whether the shared material stands for material code of
// item.
func (s SharedMaterial) UsedBy(item, code string) bool {
	for _, u := range s.Uses {
		if u.ItemCode == item && u.Code == code {
			return true
		}
	}
	return false
}

// SharedMaterials returns the materials two or more of items ask for under
// one name (compared without surrounding spaces), in the order they first
// appear. A material an item lists twice under one name counts once.
func SharedMaterials(items []*catalog.Item) []SharedMaterial {
	var out []SharedMaterial
	index := map[string]int{}
	for _, it := range items {
		seen := map[string]bool{}
		for _, m := range it.Materials {
			name := strings.TrimSpace(m.Name)
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			i, ok := index[name]
			if !ok {
				i = len(out)
				index[name] = i
				out = append(out, SharedMaterial{Name: name, Deferrable: true})
			}
			s := &out[i]
			s.Uses = append(s.Uses, MaterialUse{ItemCode: it.Code, Code: m.Code})
			s.Deferrable = s.Deferrable && m.Deferrable
			s.Required = s.Required || m.Required
			s.Originals, s.Copies = max(s.Originals, m.Originals), max(s.Copies, m.Copies)
		}
	}
	shared := out[:0]
	for _, s := range out {
		if len(s.Uses) > 1 {
			shared = append(shared, s)
		}
	}
	return shared
}
