package warehouse

import "time"

// RelationStats is what an engine's catalog knows about one table or view,
// for documentation: its columns as stored and, where the engine keeps
// them, its size and age. `mart docs generate` writes these to
// target/catalog.json. Adapters list them per schema with a CatalogStats
// method (see package docsite, which declares the interface it uses).
type RelationStats struct {
	// Relation names the table or view; Database is as the caller asked
	// (so "" stays ""), Schema and Name as the engine stores them.
	Relation Relation
	// Kind is "table" or "view".
	Kind string
	// Comment is the relation's description in the catalog, "" if none.
	Comment string
	// Columns are in table order.
	Columns []ColumnStats
	// RowCount is the number of rows; nil when the engine does not say
	// (views, and engines that keep no count).
	RowCount *int64
	// Bytes is the storage size in bytes; nil when unknown.
	Bytes *int64
	// LastModified is when the relation's data or definition last changed;
	// zero when the engine does not record it.
	LastModified time.Time
}

// ColumnStats is one column of a relation in the catalog.
type ColumnStats struct {
	// Name and Type are as the engine spells them ("BIGINT", "INT64").
	Name, Type string
	// Comment is the column's description in the catalog, "" if none.
	Comment string
}
