package duckdb

import (
	"context"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// describeIn returns r's columns (as DuckDB spells their types) and kind
// ("table", "view" or "" when missing), read through q (a transaction sees
// its own changes).
func (w *Warehouse) describeIn(ctx context.Context, q queryer, r warehouse.Relation) ([]warehouse.Column, string, error) {
	kind, err := w.kind(ctx, q, r)
	if err != nil || kind == "" {
		return nil, kind, err
	}
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns WHERE `+whereTable+`
		 ORDER BY ordinal_position`, r.Database, r.Schema, r.Name)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var cols []warehouse.Column
	for rows.Next() {
		var c warehouse.Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, "", err
		}
		cols = append(cols, c)
	}
	return cols, kind, rows.Err()
}

// ensureTable creates the raw table from the staged columns, or evolves
// the existing one to hold them: a new column is added, a column whose type
// changed is widened when DuckDB can hold both types in one, and any other
// type change fails naming the column.
func (a *landApply) ensureTable(have []warehouse.Column) error {
	if !a.exists {
		if _, err := a.exec(a.sql.createSQL(false)); err != nil {
			return err
		}
		a.exists, a.fresh = true, true
		return nil
	}
	var stmts []string
	for _, c := range a.l.stagedCols {
		h, ok := warehouse.FindColumn(have, c.Name)
		if !ok {
			stmts = append(stmts, a.sql.addColumnSQL(c))
			continue
		}
		if strings.EqualFold(h.Type, c.Type) {
			continue
		}
		typ, ok := widenLanded(h.Type, c.Type)
		if !ok {
			return typeChangeError(c.Name, h.Type, c.Type)
		}
		if !strings.EqualFold(typ, h.Type) {
			stmts = append(stmts, a.sql.alterTypeSQL(h.Name, typ))
		}
	}
	if a.sql.keepDeleted() {
		if _, ok := warehouse.FindColumn(have, warehouse.DeletedAtColumn); !ok {
			stmts = append(stmts, a.sql.addColumnSQL(warehouse.Column{Name: warehouse.DeletedAtColumn, Type: "TIMESTAMP WITH TIME ZONE"}))
		}
	}
	for _, s := range stmts {
		if _, err := a.exec(s); err != nil {
			return err
		}
	}
	return nil
}
