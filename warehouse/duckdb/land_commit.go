package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// Commit applies the staged batch to the raw table and writes the
// stream's state, in one transaction on the landing's connection. A
// transaction conflict (another stream of the schema writing the state
// table at the same moment) rolls it back and it is run again.
func (l *landing) Commit(ctx context.Context, c warehouse.LandCommit) (warehouse.LandCounts, error) {
	if l.direct && !c.NoBatch {
		return l.commitDirect(ctx, c)
	}
	if !c.NoBatch && l.stage == "" {
		return warehouse.LandCounts{}, fmt.Errorf("commit to %s: nothing is staged", l.t.Table)
	}
	var counts warehouse.LandCounts
	err := retry(ctx, func() error {
		counts = warehouse.LandCounts{}
		return l.inTx(ctx, func(tx *sql.Tx) error {
			a := &landApply{l: l, ctx: ctx, tx: tx, c: c, counts: &counts}
			return a.run()
		})
	})
	if err != nil {
		return warehouse.LandCounts{}, fail(ctx, "land", l.t.Table, err)
	}
	l.rebuilt = true
	return counts, nil
}

// commitDirect completes the transaction in which Stage appended the
// rows straight into a new table (see stageDirect): it drops the
// extraction time's default, checks the key, writes the state and commits.
// On failure it rolls back, the new table with it.
func (l *landing) commitDirect(ctx context.Context, c warehouse.LandCommit) (warehouse.LandCounts, error) {
	l.direct = false
	counts := warehouse.LandCounts{Inserted: l.directRows}
	a := &landApply{l: l, ctx: ctx, tx: l.conn, c: c, counts: &counts, sql: l.sqlFor(l.w.RelationSQL(l.t.Table))}
	a.sql.stage = a.sql.target // the rows are in the table itself
	err := func() error {
		if _, err := a.exec(a.sql.unstampSQL()); err != nil {
			return err
		}

		if len(l.t.PrimaryKey) > 0 && !l.t.KeyEnforced {
			if err := a.checkKeys(); err != nil {
				return err
			}
		}
		if err := a.writeState(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := l.conn.ExecContext(ctx, "COMMIT")
		return err
	}()
	if err != nil {
		l.rollback()
		return warehouse.LandCounts{}, fail(ctx, "land", l.t.Table, err)
	}
	l.rebuilt = true
	return counts, nil
}

// rollback ends the transaction stageDirect opened, with a fresh context.
func (l *landing) rollback() {
	l.direct = false
	cctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if _, err := l.conn.ExecContext(cctx, "ROLLBACK"); err != nil {
		_ = l.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// sqlFor renders statements against the staging table stage.
func (l *landing) sqlFor(stage string) *landSQL {
	return &landSQL{w: l.w, t: l.t, target: l.w.RelationSQL(l.t.Table), stage: stage, cols: l.stagedCols,
		ts: timeLiteral(l.t.ExtractedAt, "TIMESTAMPTZ")}
}

// inTx runs fn in a transaction on the landing's connection (see
// Warehouse.inTx for why it begins with a background context).
func (l *landing) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := l.conn.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := ctx.Err(); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// landApply is one attempt at a commit's transaction.
type landApply struct {
	l      *landing
	ctx    context.Context
	tx     queryer // the transaction (or the connection in one)
	c      warehouse.LandCommit
	counts *warehouse.LandCounts
	sql    *landSQL
	exists bool // the raw table exists
	fresh  bool // and was created by this transaction
}

func (a *landApply) run() error {
	l := a.l
	a.sql = l.sqlFor(l.stageSQL())
	have, kind, err := l.w.describeIn(a.ctx, a.tx, l.t.Table)
	if err != nil {
		return err
	}
	if kind == "view" {
		return fmt.Errorf("%s is a view, not a raw table", l.t.Table)
	}
	a.exists = kind != ""
	if l.t.Rebuild && !l.rebuilt && a.exists {
		if _, err := a.exec("DROP TABLE " + a.sql.target); err != nil {
			return err
		}
		a.exists, have = false, nil
	}
	if !a.c.NoBatch {
		if err := a.applyBatch(have); err != nil {
			return err
		}
	}
	if len(a.c.DeleteFiles) > 0 && a.exists {
		n, err := a.exec(a.sql.deleteFilesSQL(a.c.DeleteFiles))
		if err != nil {
			return err
		}
		a.counts.Deleted += n
	}
	return a.writeState()
}

func (a *landApply) applyBatch(have []warehouse.Column) error {
	switch a.l.batch.Kind {
	case warehouse.BatchKeys:
		if !a.exists {
			return nil
		}
		if err := requireColumns(have, "primary key column", a.l.t.Table.String(), a.l.t.PrimaryKey...); err != nil {
			return err
		}
		n, err := a.exec(a.sql.missingKeysSQL())
		a.counts.Deleted += n
		return err
	case warehouse.BatchChanges:
		if err := a.ensureTable(have); err != nil {
			return err
		}
		return a.merge(a.sql.changesSQL())
	}
	if err := a.ensureTable(have); err != nil {
		return err
	}
	if len(a.l.files) > 0 && !a.fresh {
		n, err := a.exec(a.sql.deleteFilesSQL(a.l.files))
		if err != nil {
			return err
		}
		a.counts.Deleted += n
	}
	if len(a.l.t.PrimaryKey) == 0 {
		return a.applyUnkeyed()
	}
	if !a.l.t.KeyEnforced || len(a.l.files) > 0 {
		if err := a.checkKeys(); err != nil {
			return err
		}
	}
	if a.fresh {
		n, err := a.exec(a.sql.insertSQL())
		a.counts.Inserted += n
		return err
	}
	if a.c.Whole && a.sql.keepDeleted() {
		// DuckDB (1.5, duckdb-go v2.10506.0) crashes with a SIGSEGV in
		// about one run in seventy of a MERGE whose WHEN NOT MATCHED BY
		// SOURCE updates the rows (marks them deleted) with RETURNING
		// (TestLandKeepDeleted, -count=50). The rows gone from the source
		// are marked by an UPDATE of their own instead, in the same
		// transaction: they are the rows no staged key matches, disjoint
		// from those the MERGE changes, so the table and the counts are
		// the same.
		if err := a.merge(a.sql.mergeSQL(false)); err != nil {
			return err
		}
		n, err := a.exec(a.sql.missingKeysSQL())
		a.counts.Deleted += n
		return err
	}
	return a.merge(a.sql.mergeSQL(a.c.Whole))
}

// applyUnkeyed appends the rows, or for a whole batch replaces the
// table's rows when they differ from the staged ones.
func (a *landApply) applyUnkeyed() error {
	if !a.fresh && a.c.Whole {
		var gone, added int64
		if err := a.tx.QueryRowContext(a.ctx, a.sql.differenceSQL()).Scan(&gone, &added); err != nil {
			return err
		}
		if gone == 0 && added == 0 {
			return nil
		}
		if _, err := a.exec(a.sql.deleteAllSQL()); err != nil {
			return err
		}
		if _, err := a.exec(a.sql.insertSQL()); err != nil {
			return err
		}
		a.counts.Inserted += added
		a.counts.Deleted += gone
		return nil
	}
	n, err := a.exec(a.sql.insertSQL())
	a.counts.Inserted += n
	return err
}

// checkKeys fails when a staged row has a NULL key or repeats a key.
func (a *landApply) checkKeys() error {
	var nulls, repeats int64
	if err := a.tx.QueryRowContext(a.ctx, a.sql.keyCheckSQL()).Scan(&nulls, &repeats); err != nil {
		return err
	}
	if nulls > 0 {
		return fmt.Errorf("primary key %v is NULL in %d source rows", a.l.t.PrimaryKey, nulls)
	}
	if repeats == 0 {
		return nil
	}
	var key string
	var n int64
	if err := a.tx.QueryRowContext(a.ctx, a.sql.duplicateKeySQL()).Scan(&key, &n); err != nil {
		return err
	}
	return fmt.Errorf("primary key %v is not unique in the source: %s occurs %d times (%d rows repeat a key)", a.l.t.PrimaryKey, key, n, repeats)
}

// merge runs a MERGE ... RETURNING merge_action and counts the actions.
func (a *landApply) merge(q string) error {
	rows, err := a.tx.QueryContext(a.ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var action string
		var deleted bool
		if err := rows.Scan(&action, &deleted); err != nil {
			return err
		}
		switch {
		case action == "INSERT":
			a.counts.Inserted++
		case action == "DELETE" || deleted:
			a.counts.Deleted++
		default:
			a.counts.Updated++
		}
	}
	return rows.Err()
}

func (a *landApply) exec(q string) (int64, error) {
	res, err := a.tx.ExecContext(a.ctx, q)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// writeState replaces the stream's row in the state table, unless it
// already holds this state (a re-run that found nothing new changes
// nothing, not even the row's updated_at).
func (a *landApply) writeState() error {
	get, del, ins := a.sql.stateSQL(a.l.t.State)
	var old string
	err := a.tx.QueryRowContext(a.ctx, get, a.l.t.Stream).Scan(&old)
	switch {
	case err == nil && old == string(a.c.State):
		return nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if _, err := a.tx.ExecContext(a.ctx, del, a.l.t.Stream); err != nil {
		return err
	}
	_, err = a.tx.ExecContext(a.ctx, ins, a.l.t.Stream, string(a.c.State))
	return err
}
