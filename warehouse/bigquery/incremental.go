package bigquery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cloud.google.com/go/bigquery"

	"github.com/mart-dev/mart/warehouse"
)

// Incremental applies the rows of selectSQL to the table r with the
// strategy in opt, in one BigQuery script (see batchScript and the golden
// files testdata/incremental_*.sql):
//
//  1. a dry run gives the batch's columns (free: nothing is read), from
//     which on_schema_change is planned and the written columns chosen;
//  2. the script stages the batch into a temporary table (the SELECT runs
//     once), checks it for repeated unique keys (*warehouse.DuplicateKeyError,
//     or with Dedupe one row kept per key) and, for microbatch, for rows
//     outside the window;
//  3. only if the checks pass does it change the table: a missing table
//     (or Replace) is created from the batch; otherwise columns are added
//     or widened, the strategy's DML runs in a transaction, and dropped
//     columns go last.
//
// Partitions: incremental_predicates go into the MERGE's ON clause or the
// DELETE's WHERE, where BigQuery prunes the table's partitions with them;
// insert_overwrite compares the partition expression with a constant array
// of the batch's partitions (or the static partitions list).
func (w *Warehouse) Incremental(ctx context.Context, r warehouse.Relation, selectSQL string, opt warehouse.IncrementalOptions) (warehouse.IncrementalResult, error) {
	r = w.resolve(r)
	var res warehouse.IncrementalResult
	if err := opt.Validate(); err != nil {
		return res, opError("incremental", r, err)
	}
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return res, opError("incremental", r, err)
	}
	defer unlock()
	b, err := w.planBatch(ctx, r, selectSQL, opt)
	if err != nil {
		return res, incrementalError("incremental", r, err)
	}
	job := b.script(selectSQL)
	d, err := w.query(ctx, atomicJob, job)
	if b.create != nil && !b.create.inPlace {
		defer w.dropQuietly(warehouse.Relation{Database: r.Database, Schema: r.Schema, Name: b.create.tmpName})
	}
	if err != nil {
		return res, opError("incremental", r, located(err, job, selectSQL))
	}
	c, err := w.counters(ctx, d)
	if err != nil {
		return res, opError("incremental", r, err)
	}
	if err := c.check(r, opt); err != nil {
		return res, err
	}
	res = warehouse.IncrementalResult{Rows: c.rows, Deleted: c.deleted, Created: b.create != nil, SchemaChanges: b.plan.changes}
	if opt.Dedupe && opt.KeyChecked() {
		res.Deduplicated = c.dupRows - c.dupKeys
	}
	return res, nil
}

// planBatch gathers what the script needs: the table, the batch's columns
// and the schema change.
func (w *Warehouse) planBatch(ctx context.Context, r warehouse.Relation, selectSQL string, opt warehouse.IncrementalOptions) (*batchScript, error) {
	old, err := w.metadata(ctx, r)
	if err != nil {
		return nil, err
	}
	if old != nil && kindOf(old) == "view" && !opt.Replace {
		return nil, fmt.Errorf("%s is a view, not a table: run with --full-refresh to replace it", r)
	}
	batch, err := w.dryRunSchema(ctx, selectSQL)
	if err != nil {
		return nil, err
	}
	var table []warehouse.Column
	if old != nil {
		table = schemaColumns(old.Schema)
	}
	if batch == nil { // the engine did not say (a fake): assume the table's
		batch = table
	}
	b := &batchScript{target: relationSQL(r), opt: opt, batch: batch}
	if batch != nil {
		if err := requireColumns(batch, "unique_key", "the new batch", opt.UniqueKey...); err != nil {
			return nil, err
		}
	}
	if opt.Strategy == warehouse.StrategyMicrobatch {
		c, ok := warehouse.FindColumn(batch, opt.EventTime)
		if !ok && batch != nil {
			return nil, requireColumns(batch, "event_time", "the new batch", opt.EventTime)
		}
		b.etType = c.Type
	}
	if old == nil || opt.Replace {
		b.create, err = createFromBatch(r, old, opt)
		return b, err
	}
	b.plan, err = planSchemaChange(r, b.target, table, batch, opt.OnSchemaChange)
	if err != nil {
		return nil, err
	}
	b.cols = writable(b.plan.columns, batch)
	if opt.Strategy == warehouse.StrategyInsertOverwrite {
		if err := b.planPartitions(batch); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// createFromBatch plans a first run or a replacement.
func createFromBatch(r warehouse.Relation, old *bigquery.TableMetadata, opt warehouse.IncrementalOptions) (*createPlan, error) {
	topt := opt.Table
	if topt.PartitionBy == nil {
		if _, err := parsePartitionBy(opt.PartitionBy); err == nil {
			topt.PartitionBy = opt.PartitionBy
		}
	}
	spec, err := newTableSpec(topt)
	if err != nil {
		return nil, err
	}
	c := &createPlan{spec: spec, inPlace: spec.replaceable(old), name: r.Name}
	if !c.inPlace {
		c.oldKind = kindOf(old)
		c.tmpName = warehouse.TempName(r.Name)
		c.tmp = relationSQL(warehouse.Relation{Database: r.Database, Schema: r.Schema, Name: c.tmpName})
	}
	return c, nil
}

// planPartitions reads partition_by for insert_overwrite: a mapping in
// dbt's BigQuery shape, or a column name (partitions are its values).
func (b *batchScript) planPartitions(batch []warehouse.Column) error {
	p, err := parsePartitionBy(b.opt.PartitionBy)
	if err != nil {
		return err
	}
	if p == nil {
		return fmt.Errorf("insert_overwrite needs partition_by to say what the partitions are")
	}
	if _, isName := b.opt.PartitionBy.(string); isName {
		if c, ok := warehouse.FindColumn(batch, p.Field); ok {
			p.DataType = "column"
			b.partType = c.Type
		}
	}
	if b.partType == "" {
		b.partType = p.sqlType()
	}
	b.part = p
	return nil
}

// counters are the values the script's final SELECT reports (for
// snapshots, rows are the versions inserted and deleted those closed).
type counters struct {
	dupKeys, dupRows, outside, rows, deleted int64
	examples                                 [][]string
	counts                                   []int64
}

func (w *Warehouse) counters(ctx context.Context, d *done) (*counters, error) {
	row, err := w.finalRow(ctx, d)
	if err != nil {
		return nil, err
	}
	n := func(name string) int64 { v, _ := row[name].(int64); return v }
	c := &counters{dupKeys: n("dup_keys"), dupRows: n("dup_rows"), outside: n("outside"),
		rows: n("rows_written") + n("rows_inserted"), deleted: n("rows_deleted") + n("rows_closed")}
	ex, _ := row["dup_examples"].([]any)
	for _, e := range ex {
		m, _ := e.(map[string]any)
		var key []string
		ks, _ := m["k"].([]any)
		for _, k := range ks {
			key = append(key, fmt.Sprint(k))
		}
		cnt, _ := m["n"].(int64)
		c.examples = append(c.examples, key)
		c.counts = append(c.counts, cnt)
	}
	return c, nil
}

// finalRow reads the first row of a script's result by column name (empty
// when the script reported nothing, as a fake without a scripted result).
func (w *Warehouse) finalRow(ctx context.Context, d *done) (map[string]any, error) {
	rows, err := w.read(ctx, d.job, 1)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(rows.Values) > 0 {
		for i, col := range rows.Columns {
			out[col.Name] = rows.Values[0][i]
		}
	}
	return out, nil
}

// check turns failed checks into errors.
func (c *counters) check(r warehouse.Relation, opt warehouse.IncrementalOptions) error {
	if c.dupKeys > 0 && !opt.Dedupe {
		return &warehouse.DuplicateKeyError{Relation: r, Key: opt.UniqueKey, Keys: c.dupKeys, Rows: c.dupRows,
			Examples: c.examples, Counts: c.counts}
	}
	if c.outside > 0 {
		return fmt.Errorf("incremental %s: %d row(s) of the batch [%s, %s) have an event_time (%s) outside that window or NULL; "+
			"a microbatch model must only select rows of its window (inputs with an event_time config are filtered for it)",
			r, c.outside, opt.BatchStart.UTC().Format(time.DateTime), opt.BatchEnd.UTC().Format(time.DateTime), opt.EventTime)
	}
	return nil
}

// incrementalError keeps the adapter-neutral errors as they are.
func incrementalError(op string, r warehouse.Relation, err error) error {
	var dup *warehouse.DuplicateKeyError
	var sc *warehouse.SchemaChangeError
	if errors.As(err, &dup) || errors.As(err, &sc) {
		return err
	}
	return opError(op, r, err)
}

// LatestEventTime returns max(column) of the table r.
func (w *Warehouse) LatestEventTime(ctx context.Context, r warehouse.Relation, column string) (time.Time, bool, error) {
	r = w.resolve(r)
	md, err := w.metadata(ctx, r)
	if err != nil || md == nil {
		if err != nil {
			err = opError("latest event time of", r, err)
		}
		return time.Time{}, false, err
	}
	rows, err := w.Query(ctx, "SELECT MAX("+quoteIdent(column)+") AS latest FROM "+relationSQL(r), 1)
	if err != nil {
		return time.Time{}, false, opError("latest event time of", r, err)
	}
	if len(rows.Values) == 0 || rows.Values[0][0] == nil {
		return time.Time{}, false, nil
	}
	if t, ok := rows.Values[0][0].(time.Time); ok {
		return t.UTC(), true, nil
	}
	return time.Time{}, false, fmt.Errorf("latest event time of %s: event_time column %s holds %T values, not dates or timestamps", r, column, rows.Values[0][0])
}
