package service

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// ItemFilter narrows a catalog listing.
type ItemFilter = store.ItemFilter

// Items lists the current version of the catalog's items. The handbook is
// public information (办事指南), so no sign-in is needed.
func (s *Admin) Items(ctx context.Context, f ItemFilter) ([]catalog.Item, error) {
	if f.Kind != "" && f.Kind != catalog.Instant && f.Kind != catalog.Promised {
		return nil, apperr.Field("kind", "办件类型须为 instant 或 promised")
	}
	return s.store.Items(ctx, f)
}

// Item returns the current version of an item, or version v when v > 0.
func (s *Admin) Item(ctx context.Context, code string, v int) (*catalog.Item, error) {
	if v > 0 {
		return s.store.ItemVersion(ctx, code, v)
	}
	return s.store.Item(ctx, code)
}

// OnlineItems lists the current items that may be applied for online
// (casework.OnlineApplicable) whose name or code holds query, by code.
func (s *Admin) OnlineItems(ctx context.Context, query string) ([]catalog.Item, error) {
	items, err := s.store.Items(ctx, ItemFilter{Kind: catalog.Promised, Query: query})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(items, func(it catalog.Item) bool { return !casework.OnlineApplicable(&it) }), nil
}

// OnlineItem returns the current version of an item that may be applied
// for online; any other item is a conflict that says where to go instead.
func (s *Admin) OnlineItem(ctx context.Context, code string) (*catalog.Item, error) {
	it, err := s.store.Item(ctx, code)
	if err != nil {
		return nil, err
	}
	if !casework.OnlineApplicable(it) {
		return nil, apperr.New(apperr.Conflict, "「%s」暂不支持网上申报，请到大厅综合受理窗口办理", it.Name)
	}
	return it, nil
}

// ItemVersions lists every version of an item, newest first.
func (s *Admin) ItemVersions(ctx context.Context, code string) ([]catalog.Item, error) {
	return s.store.ItemVersions(ctx, code)
}

// SaveItem validates an item and stores it as a new version. baseVersion
// is the version the edit was made on (0 for a new item); a stale one is
// a conflict. Bureau admins edit any item, department admins their own
// department's.
func (s *Admin) SaveItem(ctx context.Context, it *catalog.Item, baseVersion int) error {
	// The codes are taken as they are or refused, before anyone's rights
	// are judged on them: a code trimmed after the check would be checked
	// as one item and saved as another.
	if err := parseItemCodes(it); err != nil {
		return err
	}
	a, err := s.mayEditItem(ctx, it)
	if err != nil {
		return err
	}
	if err := s.keepInitialReview(ctx, a, it); err != nil { // the bureau's mark: initial_review.go
		return err
	}
	normalizeItem(it)
	if err := it.Validate(); err != nil {
		return err
	}
	if err := s.store.SaveItem(ctx, it, baseVersion, a.Name()); err != nil {
		return err
	}
	s.log.Info("item saved", "code", it.Code, "version", it.Version, "by", a.Name())
	return nil
}

func (s *Admin) mayEditItem(ctx context.Context, it *catalog.Item) (*Actor, error) {
	a, err := require(ctx, "修改办事指南", org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) && it.DepartmentCode != a.User.DepartmentCode {
		return nil, apperr.New(apperr.Forbidden, "部门管理员只能修改本部门的事项")
	}
	if a.Is(org.RoleDeptAdmin) {
		// An existing item stays its department's: the check fails closed,
		// so an error looking it up refuses rather than lets through.
		cur, err := s.store.Item(ctx, it.Code)
		switch {
		case apperr.Is(err, apperr.NotFound): // a new item, of the admin's own department
		case err != nil:
			return nil, err
		case cur.DepartmentCode != a.User.DepartmentCode:
			return nil, apperr.New(apperr.Forbidden, "部门管理员只能修改本部门的事项")
		}
	}
	return a, nil
}

// parseItemCodes refuses an item whose code or department code is not
// written exactly as stored (a space or a control character anywhere).
func parseItemCodes(it *catalog.Item) error {
	var c apperr.Collector
	if _, err := catalog.ParseItemCode("code", it.Code); err != nil {
		c.Add("code", apperr.MessageOf(err))
	}
	if _, err := org.ParseDepartmentCode("department", it.DepartmentCode); err != nil {
		c.Add("department", apperr.MessageOf(err))
	}
	return c.Err("事项编码或实施部门有误")
}

// normalizeItem trims the item's names, never its codes: a code is taken
// as written or refused (parseItemCodes, Validate).
func normalizeItem(it *catalog.Item) {
	it.Name = strings.TrimSpace(it.Name)
	for i := range it.Materials {
		it.Materials[i].Name = strings.TrimSpace(it.Materials[i].Name)
	}
}

// CatalogFile is the catalog's JSON exchange format.
type CatalogFile struct {
	Items []catalog.Item `json:"items"`
}

// ImportResult says what an import did.
type ImportResult struct {
	Added     []string `json:"added"`     // new items
	Updated   []string `json:"updated"`   // items given a new version
	Unchanged []string `json:"unchanged"` // items identical to their current version
}

// ImportCatalog adds or updates every item of f. Every item is validated
// first; any error rejects the whole file and changes nothing. An item
// identical to its current version makes no new version.
func (s *Admin) ImportCatalog(ctx context.Context, f *CatalogFile) (*ImportResult, error) {
	a, err := require(ctx, "导入办事指南", org.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if len(f.Items) == 0 {
		return nil, apperr.Field("items", "文件中没有事项")
	}
	var res ImportResult
	var edits []store.ItemEdit
	var problems apperr.Collector
	seen := map[string]bool{}
	for i := range f.Items {
		it := &f.Items[i]
		normalizeItem(it)
		if err := it.Validate(); err != nil {
			for _, fe := range apperr.FieldsOf(err) {
				problems.Add("items["+it.Code+"]."+fe.Field, it.Code+"："+fe.Message)
			}
			continue
		}
		if err := s.keepInitialReview(ctx, a, it); err != nil { // within R5: initial_review.go
			for _, fe := range apperr.FieldsOf(err) {
				problems.Add("items["+it.Code+"]."+fe.Field, it.Code+"："+fe.Message)
			}
			if len(apperr.FieldsOf(err)) == 0 {
				return nil, err
			}
			continue
		}
		if seen[it.Code] {
			problems.Add("items["+it.Code+"].code", "文件中事项编码重复："+it.Code)
			continue
		}
		seen[it.Code] = true
		cur, err := s.store.Item(ctx, it.Code)
		switch {
		case apperr.Is(err, apperr.NotFound):
			edits = append(edits, store.ItemEdit{Item: it})
			res.Added = append(res.Added, it.Code)
		case err != nil:
			return nil, err
		case sameItem(cur, it):
			res.Unchanged = append(res.Unchanged, it.Code)
		default:
			edits = append(edits, store.ItemEdit{Item: it, BaseVersion: cur.Version})
			res.Updated = append(res.Updated, it.Code)
		}
	}
	if err := problems.Err("导入文件中有不合格的事项，未做任何修改"); err != nil {
		return nil, err
	}
	if err := s.store.SaveItems(ctx, edits, a.Name()); err != nil {
		return nil, err
	}
	s.log.Info("catalog imported", "added", len(res.Added), "updated", len(res.Updated), "unchanged", len(res.Unchanged), "by", a.Name())
	return &res, nil
}

// sameItem reports whether b says what a says, ignoring version metadata.
func sameItem(a, b *catalog.Item) bool {
	x, y := *a, *b
	x.Version, y.Version = 0, 0
	x.CreatedAt, y.CreatedAt = time.Time{}, time.Time{}
	x.CreatedBy, y.CreatedBy = "", ""
	if len(x.CollectAtIssuance) == 0 {
		x.CollectAtIssuance = nil
	}
	if len(y.CollectAtIssuance) == 0 {
		y.CollectAtIssuance = nil
	}
	return reflect.DeepEqual(x, y)
}

// ExportCatalog returns the current version of every item.
func (s *Admin) ExportCatalog(ctx context.Context) (*CatalogFile, error) {
	items, err := s.store.Items(ctx, store.ItemFilter{})
	if err != nil {
		return nil, err
	}
	return &CatalogFile{Items: items}, nil
}
