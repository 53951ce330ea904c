package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// traceKey carries a statement observer in a context (tests only).
type traceKey struct{}

// withTrace returns a context under which Incremental and Snapshot report
// every statement to fn just before running it. Tests use it to pin the SQL
// of each strategy in golden files and to cancel a run between two of its
// statements.
func withTrace(ctx context.Context, fn func(stmt string)) context.Context {
	return context.WithValue(ctx, traceKey{}, fn)
}

// session is one transaction of a multi-statement table change.
type session struct {
	ctx   context.Context
	tx    *sql.Tx
	trace func(string)
}

func newSession(ctx context.Context, tx *sql.Tx) *session {
	fn, _ := ctx.Value(traceKey{}).(func(string))
	return &session{ctx: ctx, tx: tx, trace: fn}
}

func (s *session) observe(stmt string) {
	if s.trace != nil {
		s.trace(stmt)
	}
}

// exec runs one statement and returns the rows it affected.
func (s *session) exec(stmt string) (int64, error) {
	s.observe(stmt)
	res, err := s.tx.ExecContext(s.ctx, stmt)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// queryStrings runs a query and returns its values as strings ("NULL" for
// NULL); the query should cast what it selects to VARCHAR or BIGINT.
func (s *session) queryStrings(q string) ([][]string, error) {
	s.observe(q)
	rows, err := s.tx.QueryContext(s.ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// count runs a query that returns one integer.
func (s *session) count(q string) (int64, error) {
	s.observe(q)
	var n int64
	err := s.tx.QueryRowContext(s.ctx, q).Scan(&n)
	return n, err
}

// columns describes the table rel (quoted SQL name) inside the transaction.
func (s *session) columns(rel string) ([]warehouse.Column, error) {
	rows, err := s.queryStrings("SELECT column_name, column_type FROM (DESCRIBE " + rel + ")")
	if err != nil {
		return nil, err
	}
	cols := make([]warehouse.Column, len(rows))
	for i, r := range rows {
		cols[i] = warehouse.Column{Name: r[0], Type: r[1]}
	}
	return cols, nil
}

// changeTable runs fn in one transaction that changes the table r: the
// relation is locked against other changes from this process, and the
// whole transaction is retried on DuckDB write conflicts (it left no trace).
func (w *Warehouse) changeTable(ctx context.Context, r warehouse.Relation, fn func(s *session) error) error {
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return err
	}
	defer unlock()
	return retry(ctx, func() error {
		return w.inTx(ctx, func(tx *sql.Tx) error { return fn(newSession(ctx, tx)) })
	})
}

// tempTable returns the quoted name of a fresh connection-local temporary
// table for building r. Temporary tables live in memory (spilling to disk
// when needed), are never written to the database file, and vanish with a
// rolled-back transaction; callers drop them before committing, because
// pool connections outlive the transaction.
func (w *Warehouse) tempTable(name string) string {
	return "temp.main." + w.QuoteIdent(warehouse.TempName(name))
}

// findColumn looks a column up by name the way DuckDB resolves identifiers:
// case-insensitively.
func findColumn(cols []warehouse.Column, name string) (warehouse.Column, bool) {
	for _, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return warehouse.Column{}, false
}

// requireColumns checks that every name is a column of cols.
func requireColumns(cols []warehouse.Column, what, where string, names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := findColumn(cols, n); !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		have := make([]string, len(cols))
		for i, c := range cols {
			have[i] = c.Name
		}
		return fmt.Errorf("%s %s not a column of %s (columns: %s)", what, quoteList(missing), where, strings.Join(have, ", "))
	}
	return nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) == 1 {
		return q[0] + " is"
	}
	return strings.Join(q, ", ") + " are"
}
