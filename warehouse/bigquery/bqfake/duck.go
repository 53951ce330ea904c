package bqfake

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// unlocked runs f without the catalog lock: DuckDB work can take long
// (and be cancelled), and Server.work keeps other jobs out meanwhile.
func (r *run) unlocked(f func() error) error {
	r.s.mu.Unlock()
	defer r.s.mu.Lock()
	return f()
}

// duckExec runs DuckDB statements on the job's connection and returns the
// rows the last one changed.
func (r *run) duckExec(stmts ...string) (int64, *apiError) {
	var n int64
	err := r.unlocked(func() error {
		for _, q := range stmts {
			res, err := r.conn.ExecContext(r.ctx, q)
			if err != nil {
				return err
			}
			n, _ = res.RowsAffected()
		}
		return nil
	})
	return n, r.duckError(err)
}

// duckScalar reads the one value of a one-row query into dest.
func (r *run) duckScalar(q string, dest any) *apiError {
	return r.duckError(r.unlocked(func() error { return r.conn.QueryRowContext(r.ctx, q).Scan(dest) }))
}

// duckQuery runs a query and reads its result.
func (r *run) duckQuery(q string) (*Result, *apiError) {
	var res *Result
	err := r.unlocked(func() error {
		var err error
		res, err = readResult(r.ctx, r.conn, q)
		return err
	})
	return res, r.duckError(err)
}

// duckDescribe returns the columns a query would produce, without running
// it (a dry run).
func (r *run) duckDescribe(q string) ([]Field, *apiError) {
	var out []Field
	err := r.unlocked(func() error {
		var err error
		out, err = describeQuery(r.ctx, r.conn, "DESCRIBE "+q)
		return err
	})
	return out, r.duckError(err)
}

// recount reads a table's row count back from DuckDB into the catalog
// after DML changed its rows.
func (r *run) recount(t *table) *apiError {
	if t == nil || !t.stored {
		return nil
	}
	var n int64
	if err := r.unlocked(func() error {
		var err error
		n, err = count(r.ctx, r.conn, duckRel(t.project, t.dataset, t.id))
		return err
	}); err != nil {
		return r.duckError(err)
	}
	t.numRows = n
	return nil
}

// refresh reads a table's schema and row count back from DuckDB into the
// catalog after a statement changed it.
func (r *run) refresh(t *table) *apiError {
	if t == nil {
		return nil
	}
	rel := duckRel(t.project, t.dataset, t.id)
	var schema []Field
	var n int64
	err := r.unlocked(func() error {
		var err error
		if schema, err = describe(r.ctx, r.conn, rel); err != nil {
			return err
		}
		if t.kind == "TABLE" {
			n, err = count(r.ctx, r.conn, rel)
		}
		return err
	})
	if err != nil {
		return r.duckError(err)
	}
	t.schema, t.numRows, t.stored = schema, n, true
	return nil
}

// stoppedError is what a cancelled job reports.
var stoppedError = &apiError{http.StatusBadRequest, "stopped", "Job execution was cancelled: User requested cancellation"}

// stopError is the error of a job whose context ended: cancelled, or
// over its job timeout.
func stopError(ctxErr error) *apiError {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return &apiError{http.StatusBadRequest, "timeout", "Job execution was cancelled: Job timed out (job_timeout)"}
	}
	return stoppedError
}

// duckError turns a DuckDB error into BigQuery's invalidQuery, keeping
// DuckDB's first line (the rest points into the translated SQL).
func (r *run) duckError(err error) *apiError {
	if err == nil {
		return nil
	}
	if r.ctx.Err() != nil {
		return stopError(r.ctx.Err())
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	// ERROR(message) fails with message, as in BigQuery.
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "Invalid Input Error: ")
	return invalidQuery("%s", msg)
}
