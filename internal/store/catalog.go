package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/catalog"
)

const itemColumns = `i.id, i.code, i.version, d.code, i.name, i.type, i.kind, i.statutory_days, i.promised_days,
	i.deferral_days, i.delegated, i.legal_basis, i.conditions, i.fees, i.online_level, i.special_procedures,
	i.collect_at_issuance, i.applicant_kinds, i.created_at, i.created_by, i.review_levels, i.initial_review_days`

const itemFrom = ` FROM items i JOIN departments d ON d.id = i.department_id `

func scanItem(row interface{ Scan(...any) error }) (int64, *catalog.Item, error) {
	var it catalog.Item
	var id int64
	var typ, kind, online, collect, kinds string
	err := row.Scan(&id, &it.Code, &it.Version, &it.DepartmentCode, &it.Name, &typ, &kind, &it.StatutoryDays, &it.PromisedDays,
		&it.DeferralDays, &it.Delegated, &it.LegalBasis, &it.Conditions, &it.Fees, &online, &it.SpecialProcedures,
		&collect, &kinds, timeDest{&it.CreatedAt}, &it.CreatedBy, &it.ReviewLevels, &it.InitialReviewDays)
	if err != nil {
		return 0, nil, err
	}
	it.Type, it.Kind, it.OnlineLevel = catalog.Type(typ), catalog.Kind(kind), catalog.OnlineLevel(online)
	if err := json.Unmarshal([]byte(collect), &it.CollectAtIssuance); err != nil {
		return 0, nil, err
	}
	if err := json.Unmarshal([]byte(kinds), &it.ApplicantKinds); err != nil {
		return 0, nil, err
	}
	return id, &it, nil
}

// SaveItem stores a new version of an item. baseVersion is the version the
// edit was made on: 0 for a new item. If another edit got there first, or
// the code already exists for a new item, it is a conflict and nothing is
// written. On success it.Version is the new version.
func (s *Store) SaveItem(ctx context.Context, it *catalog.Item, baseVersion int, by string) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error { return saveItem(ctx, tx, it, baseVersion, by, now) })
}

// ItemEdit is one item to save with the version it was edited on.
type ItemEdit struct {
	Item        *catalog.Item
	BaseVersion int
}

// SaveItems saves several items in one transaction: all or none.
func (s *Store) SaveItems(ctx context.Context, edits []ItemEdit, by string) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error {
		for _, e := range edits {
			if err := saveItem(ctx, tx, e.Item, e.BaseVersion, by, now); err != nil {
				return err
			}
		}
		return nil
	})
}

func saveItem(ctx context.Context, tx *sql.Tx, it *catalog.Item, baseVersion int, by string, now time.Time) error {
	// Defence in depth: a code not written exactly as codes are stored
	// never becomes a version, whatever the caller checked.
	if _, err := catalog.ParseItemCode("code", it.Code); err != nil {
		return err
	}
	// Nodes cache items by this counter.
	if err := bump(ctx, tx, catalogCounter); err != nil {
		return err
	}
	dept, err := departmentID(ctx, tx, it.DepartmentCode, "department")
	if err != nil {
		return err
	}
	var current int
	err = tx.QueryRowContext(ctx, `SELECT version FROM items WHERE code = $1 AND is_current`, it.Code).Scan(&current)
	switch {
	case err == sql.ErrNoRows:
		current = 0
	case err != nil:
		return err
	}
	if current != baseVersion {
		if baseVersion == 0 {
			return apperr.Field("code", "事项编码已存在："+it.Code)
		}
		if current == 0 {
			return apperr.New(apperr.NotFound, "未知的事项：%s", it.Code)
		}
		return apperr.New(apperr.Conflict, "事项 %s 已被他人修改（当前为第 %d 版，您编辑的是第 %d 版），请刷新后重试", it.Code, current, baseVersion)
	}
	if current > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE items SET is_current = FALSE WHERE code = $1 AND version = $2`, it.Code, current); err != nil {
			return err
		}
	}
	collect, _ := json.Marshal(nonNil(it.CollectAtIssuance))
	kinds, _ := json.Marshal(it.ApplicantKinds)
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO items (code, version, is_current, department_id, name, type, kind, statutory_days, promised_days,
			deferral_days, delegated, legal_basis, conditions, fees, online_level, special_procedures,
			collect_at_issuance, applicant_kinds, created_at, created_by)
		VALUES ($1, $2, TRUE, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		RETURNING id`,
		it.Code, current+1, dept, it.Name, string(it.Type), string(it.Kind), it.StatutoryDays, it.PromisedDays,
		it.DeferralDays, it.Delegated, it.LegalBasis, it.Conditions, it.Fees, string(it.OnlineLevel), it.SpecialProcedures,
		string(collect), string(kinds), stamp(now), by).Scan(&id)
	if err != nil {
		if apperr.Is(mapErr(err, ""), apperr.Conflict) {
			return apperr.New(apperr.Conflict, "事项 %s 已被他人修改，请刷新后重试", it.Code)
		}
		return err
	}
	// The review levels are written apart, and only when set: an item of
	// one level is written exactly as before migration 29, so that a seed
	// still loads into an older schema (the migrations' tests do so).
	if it.ReviewLevels != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE items SET review_levels = $1 WHERE id = $2`, it.ReviewLevels, id); err != nil {
			return err
		}
	}
	// The initial review (委托初审) likewise, only when marked (migration 46).
	if it.InitialReviewDays != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE items SET initial_review_days = $1 WHERE id = $2`, it.InitialReviewDays, id); err != nil {
			return err
		}
	}
	for i, m := range it.Materials {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO item_materials (item_id, position, code, name, required, originals, copies, paper, electronic, can_defer, notes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			id, i, m.Code, m.Name, m.Required, m.Originals, m.Copies, m.Paper, m.Electronic, m.Deferrable, m.Notes)
		if err != nil {
			return err
		}
		// The source of a shared material is written apart, only where
		// there is one, so that a catalog of none still loads into a
		// schema before migration 00033 (as the migration tests load the
		// demo's at the versions they migrate from).
		if m.Shared != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE item_materials SET shared = $1 WHERE item_id = $2 AND position = $3`, m.Shared, id, i); err != nil {
				return err
			}
		}
	}
	it.Version, it.CreatedAt, it.CreatedBy = current+1, now, by
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Item returns the current version of the item with code.
func (s *Store) Item(ctx context.Context, code string) (*catalog.Item, error) {
	return s.oneItem(ctx, `WHERE i.code = $1 AND i.is_current`, code)
}

// ItemVersion returns one version of an item, current or not: the version a
// case was taken in under.
func (s *Store) ItemVersion(ctx context.Context, code string, version int) (*catalog.Item, error) {
	return s.oneItem(ctx, `WHERE i.code = $1 AND i.version = $2`, code, version)
}

func (s *Store) oneItem(ctx context.Context, where string, args ...any) (*catalog.Item, error) {
	id, it, err := scanItem(s.read.QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+where, args...))
	if err != nil {
		return nil, notFound(err, "未知的事项："+args[0].(string))
	}
	mats, err := s.materials(ctx, `WHERE item_id = $1`, id)
	if err != nil {
		return nil, err
	}
	it.Materials = mats[id]
	return it, nil
}

// ItemFilter narrows a catalog listing.
type ItemFilter struct {
	Department string // department code
	Kind       catalog.Kind
	Query      string // part of the name or code
}

// Items lists the current version of every item matching f, by code.
func (s *Store) Items(ctx context.Context, f ItemFilter) ([]catalog.Item, error) {
	// LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's
	// does not, and both must find "scjg-xk" alike.
	where := `WHERE i.is_current AND ($1 = '' OR d.code = $1) AND ($2 = '' OR i.kind = $2)
		AND ($3 = '' OR LOWER(i.name) LIKE LOWER($3) ESCAPE '\' OR LOWER(i.code) LIKE LOWER($3) ESCAPE '\')`
	like := ""
	if q := strings.TrimSpace(f.Query); q != "" {
		like = "%" + likeEscape(q) + "%"
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+itemColumns+itemFrom+where+` ORDER BY i.code`, f.Department, string(f.Kind), like)
	if err != nil {
		return nil, mapErr(err, "list items")
	}
	defer rows.Close()
	var out []catalog.Item
	var ids []int64
	for rows.Next() {
		id, it, err := scanItem(rows)
		if err != nil {
			return nil, mapErr(err, "scan item")
		}
		out = append(out, *it)
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err, "list items")
	}
	mats, err := s.materials(ctx, `WHERE item_id IN (SELECT i.id`+itemFrom+where+`)`, f.Department, string(f.Kind), like)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Materials = mats[ids[i]]
	}
	return out, nil
}

// ItemVersions lists every version of the item with code, newest first,
// without materials.
func (s *Store) ItemVersions(ctx context.Context, code string) ([]catalog.Item, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+itemColumns+itemFrom+`WHERE i.code = $1 ORDER BY i.version DESC`, code)
	if err != nil {
		return nil, mapErr(err, "item versions")
	}
	defer rows.Close()
	var out []catalog.Item
	for rows.Next() {
		_, it, err := scanItem(rows)
		if err != nil {
			return nil, mapErr(err, "scan item")
		}
		out = append(out, *it)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err, "item versions")
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "未知的事项：%s", code)
	}
	return out, nil
}

func (s *Store) materials(ctx context.Context, where string, args ...any) (map[int64][]catalog.Material, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT item_id, code, name, required, originals, copies, paper, electronic, can_defer, notes, shared
		FROM item_materials `+where+` ORDER BY item_id, position`, args...)
	if err != nil {
		return nil, mapErr(err, "materials")
	}
	defer rows.Close()
	out := map[int64][]catalog.Material{}
	for rows.Next() {
		var id int64
		var m catalog.Material
		if err := rows.Scan(&id, &m.Code, &m.Name, &m.Required, &m.Originals, &m.Copies, &m.Paper, &m.Electronic, &m.Deferrable, &m.Notes, &m.Shared); err != nil {
			return nil, mapErr(err, "scan material")
		}
		out[id] = append(out[id], m)
	}
	return out, mapErr(rows.Err(), "materials")
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '\': its
// % and _ are literal characters, not wildcards.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
