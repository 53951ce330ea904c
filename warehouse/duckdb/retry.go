package duckdb

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// retries counts conflict retries, for tests.
var retries atomic.Int64

// maxAttempts bounds how often an operation that hit a transaction conflict
// is tried in total.
const maxAttempts = 6

// isConflict reports whether err is DuckDB's optimistic-concurrency failure:
// a transaction lost a race with a concurrent transaction on the same catalog
// entry or rows ("TransactionContext Error: Catalog write-write conflict on
// create with ...", "... Conflict on tuple deletion!"). DuckDB rolls the
// losing transaction back, so the whole operation can safely be run again.
// Nothing else is treated as retryable: other errors are real failures of
// the SQL and must surface immediately.
func isConflict(err error) bool {
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return false
	}
	msg := strings.ToLower(de.Msg)
	if de.Type == duckdb.ErrorTypeTransaction && strings.Contains(msg, "conflict") {
		return true
	}
	return strings.Contains(msg, "write-write conflict") || strings.Contains(msg, "transaction conflict")
}

// isKindMismatch reports DuckDB's refusal to replace a relation of the
// other kind ("Existing object main.x is of type View, trying to replace
// with type Table"). It is recognised by the catalog error type plus that
// phrase because DuckDB gives no other signal short of a catalog scan; a
// miss only means the caller reports the error instead of replacing.
func isKindMismatch(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == duckdb.ErrorTypeCatalog &&
		strings.Contains(de.Msg, "trying to replace with type")
}

// isParserError reports whether err is a DuckDB syntax error.
func isParserError(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == duckdb.ErrorTypeParser
}

// retry runs fn until it succeeds, fails with anything but a transaction
// conflict, ctx is done, or maxAttempts is reached. fn must be atomic: a
// conflicting attempt must have left no trace.
func retry(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || attempt == maxAttempts || !isConflict(err) || ctx.Err() != nil {
			return err
		}
		retries.Add(1)
		// 10ms, 40ms, 90ms, ... plus up to 50% jitter so that racing
		// goroutines do not collide again in lockstep.
		d := time.Duration(attempt*attempt) * 10 * time.Millisecond
		d += rand.N(d/2 + 1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
