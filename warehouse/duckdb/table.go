package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// CreateTable creates or replaces the table r from selectSQL atomically:
// CREATE OR REPLACE TABLE is one auto-committed statement (or, with
// comments to set or a view to drop first, one transaction), so a failing or
// cancelled select rolls back and leaves the previous table (or view, or
// nothing) exactly as it was. DuckDB's transactional DDL gives the same
// guarantee as building under a temporary name and renaming, with one
// statement instead of five and no catalog scan (the scan to find the old
// relation's kind costs ~10 ms per model once a database holds 1,000
// relations). Only when a view of that name exists is it dropped first, in
// the same transaction. Description and ColumnDescriptions become DuckDB
// comments; the other options are ignored.
func (w *Warehouse) CreateTable(ctx context.Context, r warehouse.Relation, selectSQL string, opt warehouse.TableOptions) (int64, error) {
	r = w.resolve(r)
	rel := w.RelationSQL(r)
	stmt := "CREATE OR REPLACE TABLE " + rel + " AS (\n" + warehouse.TrimStatement(selectSQL) + "\n)"
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return 0, fail(ctx, "create table", r, err)
	}
	defer unlock()
	var rows int64
	single := opt.Description == "" && len(opt.ColumnDescriptions) == 0 && opt.Contract == nil
	var contractStmts []string
	if c := opt.Contract; c != nil {
		// the table as the contract declares it, then the query's rows
		defs, _ := warehouse.ContractDDL(w.Dialect, c, w.Enforces, "")
		names := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			names[i] = w.QuoteIdent(col.Name)
		}
		list := strings.Join(names, ", ")
		contractStmts = []string{"CREATE OR REPLACE TABLE " + rel + " (\n  " + strings.Join(defs, ",\n  ") + "\n)",
			"INSERT INTO " + rel + " (" + list + ")\nSELECT " + list + " FROM (\n" + warehouse.TrimStatement(selectSQL) + "\n) AS mart_contract"}
		stmt = contractStmts[1]
	}
	replace := func(dropView bool) error {
		return retry(ctx, func() error {
			if single && !dropView {
				// one auto-committed statement is as atomic as a
				// transaction, without BEGIN and COMMIT around it
				return w.createAutocommit(ctx, stmt, &rows)
			}
			return w.inTx(ctx, func(tx *sql.Tx) error {
				if dropView {
					if _, err := tx.ExecContext(ctx, "DROP VIEW "+rel); err != nil {
						return err
					}
				}
				if len(contractStmts) > 0 {
					if _, err := tx.ExecContext(ctx, contractStmts[0]); err != nil {
						return err
					}
				}
				// CREATE TABLE AS (and INSERT) answers with the number of rows it wrote
				if err := tx.QueryRowContext(ctx, stmt).Scan(&rows); err != nil {
					return err
				}
				return w.comment(ctx, tx, r, opt)
			})
		})
	}
	err = replace(false)
	if isKindMismatch(err) {
		err = replace(true)
	}
	if err != nil {
		return 0, fail(ctx, "create table", r, located(err, stmt, selectSQL))
	}
	return rows, nil
}

// createAutocommit runs one CREATE ... AS statement on its own. The driver
// returns from the query once DuckDB has run and committed it (an
// interrupted or failed statement is an error there, and changed nothing),
// so a cancellation noticed only while reading the row count it answers
// with is not a failure: the new table is in place and its count unknown
// (-1).
func (w *Warehouse) createAutocommit(ctx context.Context, stmt string, rows *int64) error {
	rs, err := w.db.QueryContext(ctx, stmt)
	if err != nil {
		return err
	}
	defer rs.Close()
	*rows = -1
	if rs.Next() {
		if err := rs.Scan(rows); err != nil {
			*rows = -1
		}
	}
	return nil
}

// buildAndSwap runs build to create the table named by its second argument
// (a quoted temporary relation next to r), then replaces r with it, all in
// one transaction, retried on conflicts. It returns the new table's row
// count. On failure nothing has changed and the temporary table is gone.
func (w *Warehouse) buildAndSwap(ctx context.Context, r warehouse.Relation, opt warehouse.TableOptions,
	build func(tx *sql.Tx, tmp string) error) (int64, error) {
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return 0, err
	}
	defer unlock()
	var rows int64
	err = retry(ctx, func() error {
		tmp := r
		tmp.Name = warehouse.TempName(r.Name)
		err := w.inTx(ctx, func(tx *sql.Tx) error {
			tmpSQL := w.RelationSQL(tmp)
			if err := build(tx, tmpSQL); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+tmpSQL).Scan(&rows); err != nil {
				return err
			}
			if err := w.dropIn(ctx, tx, r); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+tmpSQL+" RENAME TO "+w.QuoteIdent(r.Name)); err != nil {
				return err
			}
			return w.comment(ctx, tx, r, opt)
		})
		if err != nil {
			w.removeLeftover(tmp)
		}
		return err
	})
	return rows, err
}

// removeLeftover drops tmp if it exists, with a fresh context: the caller's
// may be cancelled. The rollback in inTx should already have removed it;
// this only matters if the connection died half-way.
func (w *Warehouse) removeLeftover(tmp warehouse.Relation) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if kind, err := w.kind(ctx, w.db, tmp); err == nil && kind == "table" {
		_, _ = w.db.ExecContext(ctx, "DROP TABLE IF EXISTS "+w.RelationSQL(tmp))
	}
}

// comment stores the table and column descriptions as DuckDB comments.
// Column descriptions for names that are not columns of r are ignored.
func (w *Warehouse) comment(ctx context.Context, tx *sql.Tx, r warehouse.Relation, opt warehouse.TableOptions) error {
	rel := w.RelationSQL(r)
	if opt.Description != "" {
		if _, err := tx.ExecContext(ctx, "COMMENT ON TABLE "+rel+" IS "+w.QuoteString(opt.Description)); err != nil {
			return err
		}
	}
	if len(opt.ColumnDescriptions) == 0 {
		return nil
	}
	byLower := make(map[string]string, len(opt.ColumnDescriptions))
	for name, desc := range opt.ColumnDescriptions {
		byLower[strings.ToLower(name)] = desc
	}
	rows, err := tx.QueryContext(ctx,
		`SELECT column_name FROM information_schema.columns WHERE `+whereTable+` ORDER BY ordinal_position`,
		r.Database, r.Schema, r.Name)
	if err != nil {
		return err
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		desc, ok := byLower[strings.ToLower(c)]
		if !ok || desc == "" {
			continue
		}
		stmt := "COMMENT ON COLUMN " + rel + "." + w.QuoteIdent(c) + " IS " + w.QuoteString(desc)
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// CreateView creates or replaces the view r in one statement; a table of
// that name is dropped in a transaction with it (tried only when DuckDB
// refuses to replace a table with a view, to avoid a catalog scan).
func (w *Warehouse) CreateView(ctx context.Context, r warehouse.Relation, selectSQL string) error {
	r = w.resolve(r)
	rel := w.RelationSQL(r)
	stmt := "CREATE OR REPLACE VIEW " + rel + " AS (\n" + warehouse.TrimStatement(selectSQL) + "\n)"
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return fail(ctx, "create view", r, err)
	}
	defer unlock()
	replace := func(dropTable bool) error {
		return retry(ctx, func() error {
			if !dropTable {
				_, err := w.db.ExecContext(ctx, stmt)
				return err
			}
			return w.inTx(ctx, func(tx *sql.Tx) error {
				if dropTable {
					if _, err := tx.ExecContext(ctx, "DROP TABLE "+rel); err != nil {
						return err
					}
				}
				_, err := tx.ExecContext(ctx, stmt)
				return err
			})
		})
	}
	err = replace(false)
	if isKindMismatch(err) {
		err = replace(true)
	}
	if err != nil {
		return fail(ctx, "create view", r, located(err, stmt, selectSQL))
	}
	return nil
}

// Insert appends the rows of selectSQL to r, matching columns by position.
func (w *Warehouse) Insert(ctx context.Context, r warehouse.Relation, selectSQL string) (int64, error) {
	r = w.resolve(r)
	stmt := "INSERT INTO " + w.RelationSQL(r) + " SELECT * FROM (\n" + warehouse.TrimStatement(selectSQL) + "\n)"
	var n int64
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return 0, fail(ctx, "insert into", r, err)
	}
	defer unlock()
	// A single auto-committed statement: a conflicting attempt inserted
	// nothing, so it can be retried.
	err = retry(ctx, func() error {
		res, err := w.db.ExecContext(ctx, stmt)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fail(ctx, "insert into", r, err)
	}
	return n, nil
}

// Drop drops r, whether table or view, if it exists.
func (w *Warehouse) Drop(ctx context.Context, r warehouse.Relation) error {
	r = w.resolve(r)
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return fail(ctx, "drop", r, err)
	}
	defer unlock()
	err = retry(ctx, func() error {
		return w.inTx(ctx, func(tx *sql.Tx) error { return w.dropIn(ctx, tx, r) })
	})
	if err != nil {
		return fail(ctx, "drop", r, err)
	}
	return nil
}

// dropIn drops r inside tx, using the statement that matches its kind
// (DuckDB refuses DROP VIEW on a table and vice versa).
func (w *Warehouse) dropIn(ctx context.Context, tx *sql.Tx, r warehouse.Relation) error {
	kind, err := w.kind(ctx, tx, r)
	if err != nil || kind == "" {
		return err
	}
	_, err = tx.ExecContext(ctx, "DROP "+strings.ToUpper(kind)+" "+w.RelationSQL(r))
	return err
}

// QueryColumns is the columns a query returns, as DuckDB types them,
// without running it (DESCRIBE binds the query only).
func (w *Warehouse) QueryColumns(ctx context.Context, query string) ([]warehouse.Column, error) {
	rows, err := w.db.QueryContext(ctx, "DESCRIBE "+warehouse.TrimStatement(query))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names, _ := rows.Columns()
	var out []warehouse.Column
	for rows.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, warehouse.Column{Name: fmt.Sprint(vals[0]), Type: fmt.Sprint(vals[1])})
	}
	return out, rows.Err()
}

// Enforces: DuckDB enforces not null, unique, primary key and check
// constraints. Foreign keys are left out: DuckDB would then refuse to
// replace the referenced table, which every build of it does.
func (w *Warehouse) Enforces(constraintType string) bool {
	switch constraintType {
	case "not_null", "unique", "primary_key", "check", "custom":
		return true
	}
	return false
}
