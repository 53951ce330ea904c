package bigquery

import (
	"context"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// cleanupTimeout bounds best-effort cleanup after a failure.
const cleanupTimeout = 30 * time.Second

// CreateTable creates or replaces the table r from selectSQL and returns
// its row count.
//
// When r does not exist or is a table with the same partitioning and
// clustering, this is one statement, CREATE OR REPLACE TABLE ... AS, which
// BigQuery applies atomically: a failing SELECT leaves the old table.
// Otherwise (r is a view, or the partitioning or clustering changed, which
// CREATE OR REPLACE refuses) the table is built under a temporary name
// first and then swapped in by a script (see swapSQL). Column descriptions
// are set in the same script.
func (w *Warehouse) CreateTable(ctx context.Context, r warehouse.Relation, selectSQL string, opt warehouse.TableOptions) (int64, error) {
	r = w.resolve(r)
	spec, err := newTableSpec(opt)
	if err != nil {
		return 0, opError("create table", r, err)
	}
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return 0, opError("create table", r, err)
	}
	defer unlock()
	n, err := w.createTable(ctx, r, selectSQL, spec)
	if err != nil {
		return 0, opError("create table", r, err)
	}
	return n, nil
}

// createTable is CreateTable with r's lock held.
func (w *Warehouse) createTable(ctx context.Context, r warehouse.Relation, selectSQL string, spec *tableSpec) (int64, error) {
	old, err := w.metadata(ctx, r)
	if err != nil {
		return 0, err
	}
	rel := relationSQL(r)
	var stmts []string
	var tmp warehouse.Relation
	if spec.replaceable(old) {
		stmts = append(stmts, createTableSQL(rel, spec, selectSQL, false))
	} else {
		tmp = r
		tmp.Name = warehouse.TempName(r.Name)
		stmts = append(stmts, createTableSQL(relationSQL(tmp), spec, selectSQL, true),
			swapSQL(rel, kindOf(old), relationSQL(tmp), r.Name))
	}
	stmts = append(stmts, columnDescriptionsSQL(rel, spec.opt.ColumnDescriptions)...)
	job := script(stmts...)
	if _, err := w.query(ctx, atomicJob, job); err != nil {
		if tmp.Name != "" {
			w.dropQuietly(tmp)
		}
		return 0, located(err, job, selectSQL)
	}
	md, err := w.metadata(ctx, r)
	if err != nil || md == nil {
		return 0, err
	}
	return int64(md.NumRows), nil
}

// CreateView creates or replaces the view r. A table of that name is
// renamed aside, replaced by the view, and dropped; if the view cannot be
// created the table is renamed back (see viewOverTableSQL).
func (w *Warehouse) CreateView(ctx context.Context, r warehouse.Relation, selectSQL string) error {
	r = w.resolve(r)
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return opError("create view", r, err)
	}
	defer unlock()
	old, err := w.metadata(ctx, r)
	if err != nil {
		return opError("create view", r, err)
	}
	rel := relationSQL(r)
	sql := "CREATE OR REPLACE VIEW " + rel + " AS " + body(selectSQL)
	if old != nil && kindOf(old) == "table" {
		aside := r
		aside.Name = warehouse.TempName(r.Name)
		sql = viewOverTableSQL(rel, r.Name, relationSQL(aside), aside.Name, selectSQL)
		defer w.restoreAside(r, aside)
	}
	if _, err := w.query(ctx, atomicJob, sql); err != nil {
		return opError("create view", r, located(err, sql, selectSQL))
	}
	return nil
}

// restoreAside puts a table renamed aside back if the script was stopped
// half-way (cancelled): r missing and aside present.
func (w *Warehouse) restoreAside(r, aside warehouse.Relation) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if md, err := w.metadata(ctx, aside); err != nil || md == nil {
		return
	}
	if md, err := w.metadata(ctx, r); err != nil || md != nil {
		return
	}
	_, _ = w.query(ctx, atomicJob, "ALTER TABLE "+relationSQL(aside)+" RENAME TO "+quoteIdent(r.Name))
}

// Insert appends the rows of selectSQL to r, by position, in one
// statement.
func (w *Warehouse) Insert(ctx context.Context, r warehouse.Relation, selectSQL string) (int64, error) {
	r = w.resolve(r)
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return 0, opError("insert into", r, err)
	}
	defer unlock()
	d, err := w.query(ctx, atomicJob, insertSQL(relationSQL(r), selectSQL))
	if err != nil {
		return 0, opError("insert into", r, err)
	}
	return d.queryStats().NumDMLAffectedRows, nil
}

func insertSQL(rel, selectSQL string) string {
	return "INSERT INTO " + rel + "\nSELECT * FROM " + body(selectSQL)
}
