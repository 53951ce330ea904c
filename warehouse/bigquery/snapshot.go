package bigquery

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// Snapshot records the rows of selectSQL as SCD type 2 history in the
// table r, in one script (see snapshotScript and testdata/snapshot_*.sql),
// with the DuckDB adapter's semantics: new keys and changed rows (timestamp:
// a later updated_at; check: a checked column IS DISTINCT FROM) start a new
// version and close the current one; with hard_deletes invalidate a key
// gone from the rows is closed at the snapshot time, with new_record it
// also gets a deletion record (dbt_is_deleted 'True'); a key back after a
// deletion record starts a new version. New columns of the rows are added
// to the table first (and removed again if the change fails).
func (w *Warehouse) Snapshot(ctx context.Context, r warehouse.Relation, selectSQL string, opt warehouse.SnapshotOptions) (warehouse.SnapshotResult, error) {
	r = w.resolve(r)
	var res warehouse.SnapshotResult
	if err := opt.Validate(); err != nil {
		return res, opError("snapshot", r, err)
	}
	if opt.HardDeletes == "" {
		opt.HardDeletes = warehouse.HardDeletesIgnore
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return res, opError("snapshot", r, err)
	}
	defer unlock()
	sn := &snapshotScript{target: relationSQL(r), opt: opt, meta: opt.Columns(), now: now.UTC().Truncate(time.Microsecond),
		keys: opt.KeyParts(keyPrefix)}
	if err := w.planSnapshot(ctx, r, selectSQL, sn, &res); err != nil {
		return warehouse.SnapshotResult{}, incrementalError("snapshot", r, err)
	}
	job := sn.script(selectSQL)
	d, err := w.query(ctx, atomicJob, job)
	if err != nil {
		return warehouse.SnapshotResult{}, opError("snapshot", r, located(err, job, selectSQL))
	}
	c, err := w.counters(ctx, d)
	if err != nil {
		return warehouse.SnapshotResult{}, opError("snapshot", r, err)
	}
	if c.dupKeys > 0 {
		return warehouse.SnapshotResult{}, &warehouse.DuplicateKeyError{Relation: r, Key: opt.UniqueKey, Keys: c.dupKeys,
			Rows: c.dupRows, Examples: c.examples, Counts: c.counts}
	}
	res.Created, res.Inserted, res.Closed = sn.first, c.rows, c.deleted
	return res, nil
}

// planSnapshot reads the table and the rows' columns (a dry run) and fills
// in what the script needs.
func (w *Warehouse) planSnapshot(ctx context.Context, r warehouse.Relation, selectSQL string, sn *snapshotScript, res *warehouse.SnapshotResult) error {
	old, err := w.metadata(ctx, r)
	if err != nil {
		return err
	}
	if old != nil && kindOf(old) == "view" {
		return fmt.Errorf("%s is a view, not a snapshot table", r)
	}
	batch, err := w.dryRunSchema(ctx, selectSQL)
	if err != nil {
		return err
	}
	var table, data []warehouse.Column
	if old != nil {
		table = schemaColumns(old.Schema)
		for _, c := range table {
			if !sn.isMeta(c.Name) {
				data = append(data, c)
			}
		}
	}
	if batch == nil { // the engine did not say (a fake)
		batch = data
	}
	if err := sn.checkBatch(batch); err != nil {
		return err
	}
	sn.timeType = "TIMESTAMP"
	if old == nil {
		sn.first = true
		if c, ok := warehouse.FindColumn(batch, sn.opt.UpdatedAt); ok && sn.opt.Strategy == warehouse.SnapshotTimestamp {
			sn.timeType = c.Type
		}
		sn.hasDeleted = sn.opt.HardDeletes == warehouse.HardDeletesNewRecord
		return nil
	}
	for _, m := range []string{sn.meta.ValidFrom, sn.meta.ValidTo, sn.meta.SCDID, sn.meta.UpdatedAt} {
		if _, ok := warehouse.FindColumn(table, m); !ok {
			return fmt.Errorf("%s is not a snapshot table with these snapshot_meta_column_names: it has no column %s", r, m)
		}
	}
	vf, _ := warehouse.FindColumn(table, sn.meta.ValidFrom)
	sn.timeType = vf.Type
	_, sn.hasDeleted = warehouse.FindColumn(table, sn.meta.IsDeleted)
	added, _, _ := diffColumns(data, batch)
	alter := "ALTER TABLE " + sn.target + " "
	for _, c := range added {
		sn.alters = append(sn.alters, alter+"ADD COLUMN "+quoteIdent(c.Name)+" "+c.Type)
		sn.undo = append(sn.undo, alter+"DROP COLUMN IF EXISTS "+quoteIdent(c.Name))
		res.SchemaChanges = append(res.SchemaChanges, fmt.Sprintf("added column %s %s", c.Name, c.Type))
		data = append(data, c)
	}
	if sn.opt.HardDeletes == warehouse.HardDeletesNewRecord && !sn.hasDeleted {
		sn.alters = append(sn.alters, alter+"ADD COLUMN "+quoteIdent(sn.meta.IsDeleted)+" STRING")
		sn.undo = append(sn.undo, alter+"DROP COLUMN IF EXISTS "+quoteIdent(sn.meta.IsDeleted))
		res.SchemaChanges = append(res.SchemaChanges, "added column "+sn.meta.IsDeleted)
		sn.hasDeleted = true
	}
	for _, c := range data {
		sn.data = append(sn.data, c.Name)
	}
	sn.written = writable(data, batch)
	sn.checked = sn.checkedColumns()
	return nil
}

// checkBatch checks that the rows have the configured columns and none
// named like a metadata column.
func (sn *snapshotScript) checkBatch(batch []warehouse.Column) error {
	if batch == nil {
		return nil // unknown (first run against a fake)
	}
	const where = "the snapshot's query"
	if err := requireColumns(batch, "unique_key", where, sn.keys.QueryColumns()...); err != nil {
		return err
	}
	if sn.opt.Strategy == warehouse.SnapshotTimestamp {
		if err := requireColumns(batch, "updated_at", where, sn.opt.UpdatedAt); err != nil {
			return err
		}
	}
	if !sn.checkAll() {
		if err := requireColumns(batch, "check_cols:", where, sn.opt.CheckCols...); err != nil {
			return err
		}
	}
	for _, c := range batch {
		if sn.isMeta(c.Name) {
			return fmt.Errorf("the snapshot's query selects a column named %s, which the snapshot adds itself", c.Name)
		}
	}
	return nil
}

func (sn *snapshotScript) metaNames() []string {
	m := sn.meta
	return []string{m.SCDID, m.UpdatedAt, m.ValidFrom, m.ValidTo, m.IsDeleted}
}

func (sn *snapshotScript) isMeta(name string) bool {
	for _, m := range sn.metaNames() {
		if strings.EqualFold(m, name) {
			return true
		}
	}
	return false
}

func (sn *snapshotScript) checkAll() bool {
	return sn.opt.Strategy == warehouse.SnapshotCheck &&
		(len(sn.opt.CheckCols) == 0 || len(sn.opt.CheckCols) == 1 && strings.EqualFold(sn.opt.CheckCols[0], "all"))
}

// checkedColumns are the columns the check strategy compares: check_cols,
// or every written column but the key.
func (sn *snapshotScript) checkedColumns() []string {
	if sn.opt.Strategy != warehouse.SnapshotCheck {
		return nil
	}
	if !sn.checkAll() {
		return sn.opt.CheckCols
	}
	var out []string
	for _, c := range sn.written {
		isKey := false
		for _, k := range sn.keys.Columns() {
			isKey = isKey || strings.EqualFold(k, c)
		}
		if !isKey {
			out = append(out, c)
		}
	}
	return out
}
