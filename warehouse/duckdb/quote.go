package duckdb

import (
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// QuoteIdent quotes s as a DuckDB identifier: "a""b". Quoted identifiers may
// contain any character; DuckDB still compares them case-insensitively.
func (w *Warehouse) QuoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// QuoteString quotes s as a DuckDB string literal, doubling embedded single
// quotes. Backslashes have no special meaning in DuckDB literals.
func (w *Warehouse) QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// RelationSQL renders r as "database"."schema"."name", leaving out the
// database when it is empty and using the default schema when Schema is
// empty.
func (w *Warehouse) RelationSQL(r warehouse.Relation) string {
	r = w.resolve(r)
	s := w.QuoteIdent(r.Schema) + "." + w.QuoteIdent(r.Name)
	if r.Database != "" {
		s = w.QuoteIdent(r.Database) + "." + s
	}
	return s
}

// resolve fills in the default schema.
func (w *Warehouse) resolve(r warehouse.Relation) warehouse.Relation {
	if r.Schema == "" {
		r.Schema = w.schema
	}
	return r
}
