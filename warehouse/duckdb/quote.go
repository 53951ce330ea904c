package duckdb

import (
	"github.com/mart-dev/mart/warehouse"
)

// RelationSQL renders r as "database"."schema"."name", leaving out the
// database when it is empty and using the default schema when Schema is
// empty.
func (w *Warehouse) RelationSQL(r warehouse.Relation) string {
	r = w.resolve(r)
	return w.RelationName(r.Database, r.Schema, r.Name)
}

// resolve fills in the default schema.
func (w *Warehouse) resolve(r warehouse.Relation) warehouse.Relation {
	if r.Schema == "" {
		r.Schema = w.schema
	}
	return r
}
