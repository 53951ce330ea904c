package bigquery

import (
	"context"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// Clone makes from's rows available as to (mart clone): a table becomes a
// BigQuery table clone (no bytes copied or billed until either side
// changes), a view a view that reads from. to is replaced.
func (w *Warehouse) Clone(ctx context.Context, from, to warehouse.Relation) (string, error) {
	from, to = w.resolve(from), w.resolve(to)
	md, err := w.metadata(ctx, from)
	if err != nil {
		return "", err
	}
	if md == nil {
		return "", fmt.Errorf("clone: %s does not exist", from)
	}
	if err := w.EnsureSchema(ctx, to.Database, to.Schema); err != nil {
		return "", err
	}
	unlock, err := w.locks.lock(ctx, to)
	if err != nil {
		return "", err
	}
	defer unlock()
	kind := kindOf(md)
	if _, err := w.query(ctx, atomicJob, cloneSQL(relationSQL(from), relationSQL(to), kind)); err != nil {
		return "", opError("clone", to, err)
	}
	if kind == "view" {
		return "view", nil
	}
	return "table clone", nil
}

// cloneSQL is the statement that clones a table, or views a view.
func cloneSQL(from, to, kind string) string {
	if kind == "view" {
		return "CREATE OR REPLACE VIEW " + to + " AS SELECT * FROM " + from
	}
	return "CREATE OR REPLACE TABLE " + to + " CLONE " + from
}
