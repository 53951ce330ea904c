package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// cleanupTimeout bounds the work done with a background context after an
// operation failed or was cancelled.
const cleanupTimeout = 30 * time.Second

// queryer is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in one transaction on a dedicated connection and commits if
// fn succeeds and ctx is still live; otherwise it rolls back.
//
// The transaction itself is begun with a background context: database/sql
// would otherwise roll back and discard the connection on its own when ctx is
// cancelled, racing with the statement being interrupted. Statements inside
// fn use ctx, so cancelling it interrupts the running query; the rollback
// then runs here, not bound to ctx.
func (w *Warehouse) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(context.Background(), nil)
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

// fail wraps err from operation op on r. A cancelled or expired ctx is
// reported as such (DuckDB's "INTERRUPT Error: Interrupted!" adds nothing);
// anything else keeps DuckDB's own message.
func fail(ctx context.Context, op string, r warehouse.Relation, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", op, r, ctxErr)
	}
	return fmt.Errorf("%s %s: %w", op, r, err)
}
