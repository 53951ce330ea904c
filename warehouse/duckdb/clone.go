package duckdb

import (
	"context"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// Clone makes from's rows available as to (mart clone): a table is copied
// (DuckDB has no zero-copy clone across database files, and a copy can be
// updated by the incremental runs that follow), a view becomes a view that
// reads from. to is replaced atomically.
func (w *Warehouse) Clone(ctx context.Context, from, to warehouse.Relation) (string, error) {
	kind, err := w.Kind(ctx, from)
	if err != nil {
		return "", err
	}
	switch kind {
	case "table":
		_, err = w.CreateTable(ctx, to, "SELECT * FROM "+w.RelationSQL(from), warehouse.TableOptions{})
		return "copied", err
	case "view":
		return "view", w.CreateView(ctx, to, "SELECT * FROM "+w.RelationSQL(from))
	}
	return "", fmt.Errorf("clone: %s does not exist", from)
}
