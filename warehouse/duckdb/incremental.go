package duckdb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

var _ warehouse.Incrementer = (*Warehouse)(nil)

// Incremental applies the rows of selectSQL to the table r with the
// strategy in opt, in one transaction:
//
//  1. the batch is staged into a temporary table (the select runs once);
//  2. for merge and delete+insert with a unique key, the batch is checked
//     for repeated keys: an error (*warehouse.DuplicateKeyError), or with
//     Dedupe one row kept per key;
//  3. for microbatch, every batch row must lie in the window;
//  4. a missing table (or Replace) is created from the batch; otherwise
//     on_schema_change is applied (ALTER TABLE, before any row changes: DuckDB
//     cannot commit an ALTER that follows DML on the same table) and then
//     the strategy's statements (see incremental_sql.go and the golden files
//     in testdata/golden).
//
// Any failure or a cancelled ctx rolls everything back. The transaction is
// retried as a whole on write conflicts.
func (w *Warehouse) Incremental(ctx context.Context, r warehouse.Relation, selectSQL string, opt warehouse.IncrementalOptions) (warehouse.IncrementalResult, error) {
	r = w.resolve(r)
	if err := opt.Validate(); err != nil {
		return warehouse.IncrementalResult{}, fmt.Errorf("incremental %s: %w", r, err)
	}
	var res warehouse.IncrementalResult
	err := w.changeTable(ctx, r, func(s *session) error {
		var err error
		res, err = w.applyBatch(s, r, selectSQL, opt)
		return err
	})
	if err != nil {
		return warehouse.IncrementalResult{}, incrementalError(ctx, "incremental", r, err)
	}
	return res, nil
}

// incrementalError keeps the adapter-neutral errors as they are and wraps
// DuckDB's.
func incrementalError(ctx context.Context, op string, r warehouse.Relation, err error) error {
	var dup *warehouse.DuplicateKeyError
	var sc *warehouse.SchemaChangeError
	if ctx.Err() == nil && (errors.As(err, &dup) || errors.As(err, &sc)) {
		return err
	}
	return fail(ctx, op, r, err)
}

func (w *Warehouse) applyBatch(s *session, r warehouse.Relation, selectSQL string, opt warehouse.IncrementalOptions) (warehouse.IncrementalResult, error) {
	var res warehouse.IncrementalResult
	b := &batchSQL{w: w, target: w.RelationSQL(r), stage: w.tempTable(r.Name), opt: opt, nullKeys: true}
	stmt := b.stageSQL(selectSQL)
	if err := s.stage(stmt, b.stage); err != nil {
		return res, located(err, stmt, selectSQL)
	}
	tx, err := s.tx()
	if err != nil {
		return res, err
	}
	kind, err := w.kind(s.ctx, tx, r)
	if err != nil {
		return res, err
	}
	if kind == "view" && !opt.Replace {
		return res, fmt.Errorf("%s is a view, not a table: run with --full-refresh to replace it", r)
	}
	batch, err := s.columns(b.stage)
	if err != nil {
		return res, err
	}
	if res.Deduplicated, err = b.checkBatch(s, r, batch); err != nil {
		return res, err
	}
	etType := ""
	if opt.Strategy == warehouse.StrategyMicrobatch {
		c, _ := warehouse.FindColumn(batch, opt.EventTime)
		etType = c.Type
	}

	if kind == "" || opt.Replace {
		return res, w.replaceFromBatch(s, r, b, kind, &res)
	}
	return res, w.applyStrategy(s, r, b, batch, etType, &res)
}

// replaceFromBatch makes the batch the whole table, replacing the table or
// view of kind that was there.
func (w *Warehouse) replaceFromBatch(s *session, r warehouse.Relation, b *batchSQL, kind string, res *warehouse.IncrementalResult) error {
	for _, stmt := range b.replaceSQL(kind) {
		if _, err := s.exec(stmt); err != nil {
			return err
		}
	}
	var err error
	if res.Rows, err = s.count("SELECT count(*) FROM " + b.target); err != nil {
		return err
	}
	tx, err := s.tx()
	if err != nil {
		return err
	}
	if err := w.comment(s.ctx, tx, r, b.opt.Table); err != nil {
		return err
	}
	res.Created = true
	_, err = s.exec(b.dropStageSQL())
	return err
}

// applyStrategy applies on_schema_change, then the strategy.
func (w *Warehouse) applyStrategy(s *session, r warehouse.Relation, b *batchSQL, batch []warehouse.Column, etType string, res *warehouse.IncrementalResult) error {
	table, err := s.columns(b.target)
	if err != nil {
		return err
	}
	mode := b.opt.OnSchemaChange
	plan, err := w.planSchemaChange(r, b.target, table, batch, mode)
	if err != nil {
		return err
	}
	for i, stmt := range plan.alters {
		if _, err := s.exec(stmt); err != nil {
			return fmt.Errorf("on_schema_change %s: %s: %w", mode, plan.changes[i], err)
		}
	}
	res.SchemaChanges = plan.changes
	stmts, err := b.strategySQL(writable(plan.columns, batch), etType)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		n, err := s.exec(st.sql)
		if err != nil {
			return err
		}
		switch st.counts {
		case "rows":
			res.Rows += n
		case "deleted":
			res.Deleted += n
		}
	}
	_, err = s.exec(b.dropStageSQL())
	return err
}

// checkBatch checks the staged batch against opt: the columns it must
// have, repeated unique keys (removed with Dedupe; it returns how many rows
// were dropped) and, for a microbatch, rows outside the window.
func (b *batchSQL) checkBatch(s *session, r warehouse.Relation, batch []warehouse.Column) (int64, error) {
	opt := b.opt
	var dropped int64
	if opt.KeyChecked() {
		if err := requireColumns(batch, "unique_key", "the new batch", opt.UniqueKey...); err != nil {
			return 0, err
		}
		var err error
		if dropped, err = b.checkKeys(s, r, batch); err != nil {
			return 0, err
		}
	}
	if opt.Strategy == warehouse.StrategyMicrobatch {
		c, ok := warehouse.FindColumn(batch, opt.EventTime)
		if !ok {
			return 0, requireColumns(batch, "event_time", "the new batch", opt.EventTime)
		}
		n, err := s.count(b.outsideWindowSQL(c.Type))
		if err != nil {
			return 0, err
		}
		if n > 0 {
			return 0, fmt.Errorf("%d row(s) of the batch [%s, %s) for %s have an event_time (%s) outside that window or NULL; "+
				"a microbatch model must only select rows of its window (inputs with an event_time config are filtered for it)",
				n, opt.BatchStart.UTC().Format(time.DateTime), opt.BatchEnd.UTC().Format(time.DateTime), r, opt.EventTime)
		}
	}
	return dropped, nil
}

// checkKeys makes sure the batch holds each unique key once: it returns a
// *warehouse.DuplicateKeyError, or with Dedupe drops the extra rows and
// returns how many.
func (b *batchSQL) checkKeys(s *session, r warehouse.Relation, batch []warehouse.Column) (int64, error) {
	counts, err := s.queryStrings(b.repeatedKeysSQL())
	if err != nil {
		return 0, err
	}
	repeated, _ := strconv.ParseInt(counts[0][0], 10, 64)
	nulls, _ := strconv.ParseInt(counts[0][1], 10, 64)
	b.nullKeys = nulls > 0
	if repeated == 0 {
		return 0, nil
	}
	if b.opt.Dedupe {
		return s.exec(b.dedupeSQL(batch))
	}
	rows, err := s.queryStrings(b.duplicatesSQL())
	if err != nil {
		return 0, err
	}
	return 0, duplicateKeyError(r, b.opt.UniqueKey, rows)
}

// duplicateKeyError turns the rows of duplicatesSQL into an error.
func duplicateKeyError(r warehouse.Relation, key []string, rows [][]string) error {
	k := len(key)
	e := &warehouse.DuplicateKeyError{Relation: r, Key: key}
	for i, row := range rows {
		n, _ := strconv.ParseInt(row[k], 10, 64)
		e.Examples = append(e.Examples, row[:k])
		e.Counts = append(e.Counts, n)
		if i == 0 {
			e.Keys, _ = strconv.ParseInt(row[k+1], 10, 64)
			e.Rows, _ = strconv.ParseInt(row[k+2], 10, 64)
		}
	}
	return e
}

// LatestEventTime returns max(column) of the table r.
func (w *Warehouse) LatestEventTime(ctx context.Context, r warehouse.Relation, column string) (time.Time, bool, error) {
	r = w.resolve(r)
	kind, err := w.kind(ctx, w.db, r)
	if err != nil || kind == "" {
		if err != nil {
			err = fail(ctx, "latest event time of", r, err)
		}
		return time.Time{}, false, err
	}
	var v any
	q := "SELECT max(" + w.QuoteIdent(column) + ") FROM " + w.RelationSQL(r)
	if err := w.db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return time.Time{}, false, fail(ctx, "latest event time of", r, err)
	}
	switch t := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return t.UTC(), true, nil
	}
	return time.Time{}, false, fmt.Errorf("latest event time of %s: event_time column %s holds %T values, not dates or timestamps", r, column, v)
}
