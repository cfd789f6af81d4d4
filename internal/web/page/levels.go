package page

import "github.com/onewindow/onewindow/internal/casework"

// reviewWord names a review level or a special procedure recorded in an
// event's details ("check" → 审核, "site_inspection" → 现场勘验), or "".
func reviewWord(s string) string {
	if l := casework.Level(s).Label(); l != "" {
		return l
	}
	return casework.ProcedureKind(s).Label()
}
