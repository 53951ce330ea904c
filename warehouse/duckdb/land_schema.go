package duckdb

import (
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

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
