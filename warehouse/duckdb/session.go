package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
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

// session is one transaction of a multi-statement table change, on one
// connection. The transaction begins with the first statement run through
// exec, queryStrings, count or columns (or tx); stage may run before it.
type session struct {
	ctx   context.Context
	conn  *sql.Conn
	txn   *sql.Tx
	trace func(string)
	temps []string // temporary tables stage made: dropped when the session ends
}

func newSession(ctx context.Context, conn *sql.Conn) *session {
	fn, _ := ctx.Value(traceKey{}).(func(string))
	return &session{ctx: ctx, conn: conn, trace: fn}
}

// tx returns the session's transaction, begun now if it was not yet. It is
// begun with a background context: database/sql would otherwise roll back
// and discard the connection on its own when ctx is cancelled, racing with
// the statement being interrupted. Statements use ctx, so cancelling it
// interrupts the running one; the rollback then runs in inSession.
func (s *session) tx() (*sql.Tx, error) {
	if s.txn == nil {
		tx, err := s.conn.BeginTx(context.Background(), nil)
		if err != nil {
			return nil, err
		}
		s.txn = tx
	}
	return s.txn, nil
}

// stage runs create, which makes the temporary table name (the batch),
// before the transaction begins, in a transaction of its own. DuckDB reads a
// temporary table made inside the transaction that uses it from that
// transaction's local storage, which is slower: on a batch of 1M rows the
// key check took 36-47 ms instead of 24-33. The table lives on this connection
// only, is never written to the database file, and is dropped when the
// session ends, whatever its outcome. The relation's lock, held for the
// whole session, keeps the batch and the table it is applied to in step.
func (s *session) stage(create, name string) error {
	if s.txn != nil {
		return fmt.Errorf("internal error: staging %s inside the transaction", name)
	}
	s.observe(create)
	if _, err := s.conn.ExecContext(s.ctx, create); err != nil {
		return err
	}
	s.temps = append(s.temps, name)
	return nil
}

func (s *session) observe(stmt string) {
	if s.trace != nil {
		s.trace(stmt)
	}
}

// exec runs one statement and returns the rows it affected.
func (s *session) exec(stmt string) (int64, error) {
	tx, err := s.tx()
	if err != nil {
		return 0, err
	}
	s.observe(stmt)
	res, err := tx.ExecContext(s.ctx, stmt)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// queryStrings runs a query and returns its values as strings ("NULL" for
// NULL); the query should cast what it selects to VARCHAR or BIGINT.
func (s *session) queryStrings(q string) ([][]string, error) {
	tx, err := s.tx()
	if err != nil {
		return nil, err
	}
	s.observe(q)
	rows, err := tx.QueryContext(s.ctx, q)
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
	tx, err := s.tx()
	if err != nil {
		return 0, err
	}
	s.observe(q)
	var n int64
	err = tx.QueryRowContext(s.ctx, q).Scan(&n)
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
	return retry(ctx, func() error { return w.inSession(ctx, fn) })
}

// inSession runs fn in a session on a dedicated connection, commits if fn
// succeeds and ctx is still live (otherwise rolls back), and drops the
// temporary tables the session staged.
func (w *Warehouse) inSession(ctx context.Context, fn func(s *session) error) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	s := newSession(ctx, conn)
	err = fn(s)
	if err == nil {
		err = ctx.Err()
	}
	if s.txn != nil {
		if err != nil {
			_ = s.txn.Rollback()
		} else {
			err = s.txn.Commit()
		}
	}
	if len(s.temps) > 0 {
		// a pooled connection outlives the session: leave it as it was, or
		// have the pool close it (its temporary tables go with it) rather
		// than report a committed change as failed
		cctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		for _, t := range s.temps {
			if _, derr := conn.ExecContext(cctx, "DROP TABLE IF EXISTS "+t); derr != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				break
			}
		}
	}
	return err
}

// tempTable returns the quoted name of a fresh connection-local temporary
// table for building r. Temporary tables live in memory (spilling to disk
// when needed), are never written to the database file, and vanish with a
// rolled-back transaction; callers drop them before committing, because
// pool connections outlive the transaction.
func (w *Warehouse) tempTable(name string) string {
	return "temp.main." + w.QuoteIdent(warehouse.TempName(name))
}

// requireColumns checks that every name is a column of cols.
func requireColumns(cols []warehouse.Column, what, where string, names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := warehouse.FindColumn(cols, n); !ok {
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
