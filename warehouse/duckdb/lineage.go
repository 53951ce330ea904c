package duckdb

import (
	"path/filepath"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// LineageDataset names a table as an OpenLineage dataset. The naming
// conventions have no DuckDB entry; this follows their pattern for
// databases (the datasource as namespace, database.schema.table as name)
// with the database file as the datasource: the namespace is
// duckdb://<absolute file path> (duckdb://memory in memory) and the
// database is the catalog DuckDB names after the file.
func (w *Warehouse) LineageDataset(r warehouse.Relation) (namespace, name string) {
	namespace, catalog := "duckdb://memory", "memory"
	if w.path != "" && w.path != ":memory:" {
		abs, err := filepath.Abs(w.path)
		if err != nil {
			abs = w.path
		}
		namespace = "duckdb://" + filepath.ToSlash(abs)
		catalog = strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	}
	if r.Database != "" {
		catalog = r.Database
	}
	if r.Schema == "" {
		r.Schema = w.schema
	}
	return namespace, catalog + "." + r.Schema + "." + r.Name
}
