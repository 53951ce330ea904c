package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// landing lands one stream (mart extract) into one raw table: batches are
// appended to a connection-local temporary table with DuckDB's appender,
// then each Commit applies the batch and writes the stream's state in one
// transaction on the same connection.
type landing struct {
	w      *Warehouse
	t      warehouse.LandTable
	conn   *sql.Conn
	unlock func()

	stage      string             // unquoted name of the staging table in temp.main ("" when none)
	batch      warehouse.Batch    // what is staged
	stagedCols []warehouse.Column // the staged columns as they land (JSON as JSON), without _mart_op
	files      []string           // names of the files staged by StageFiles

	// direct: Stage appended the batch straight into a new raw table, in
	// a transaction still open on conn, which Commit completes
	direct     bool
	directRows int64
	rebuilt    bool // a commit happened: Rebuild is done
}

var _ warehouse.Landing = (*landing)(nil)

// Land opens a session that lands the stream t into its raw table. It
// creates the table's schema and the schema's state table if they are
// missing, and holds the table's lock (see relationLocks) until Close.
func (w *Warehouse) Land(ctx context.Context, t warehouse.LandTable) (warehouse.Landing, error) {
	if t.Table.Name == "" || t.State.Name == "" || t.Stream == "" {
		return nil, errors.New("land: the table, its state table and the stream must be named")
	}
	t.Table, t.State = w.resolve(t.Table), w.resolve(t.State)
	if err := w.EnsureSchema(ctx, t.Table.Database, t.Table.Schema); err != nil {
		return nil, err
	}
	if err := w.ensureStateTable(ctx, t.State); err != nil {
		return nil, err
	}
	if _, err := w.blockFunc(ctx); err != nil {
		return nil, fail(ctx, "land", t.Table, err)
	}
	unlock, err := w.locks.lock(ctx, t.Table)
	if err != nil {
		return nil, fail(ctx, "land", t.Table, err)
	}
	conn, err := w.db.Conn(ctx)
	if err != nil {
		unlock()
		return nil, fail(ctx, "land", t.Table, err)
	}
	return &landing{w: w, t: t, conn: conn, unlock: unlock}, nil
}

// ensureStateTable creates the state table r if it does not exist.
func (w *Warehouse) ensureStateTable(ctx context.Context, r warehouse.Relation) error {
	w.schemaMu.Lock()
	defer w.schemaMu.Unlock()
	err := retry(ctx, func() error {
		_, err := w.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+w.RelationSQL(r)+
			" (stream VARCHAR NOT NULL, state JSON NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)")
		return err
	})
	if err != nil {
		return fail(ctx, "create state table", r, err)
	}
	return nil
}

// State returns the stream's committed state, or nil.
func (l *landing) State(ctx context.Context) ([]byte, error) {
	var s string
	err := l.conn.QueryRowContext(ctx, "SELECT CAST(state AS VARCHAR) FROM "+l.w.RelationSQL(l.t.State)+" WHERE stream = ?", l.t.Stream).Scan(&s)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fail(ctx, "read extract state from", l.t.State, err)
	}
	return []byte(s), nil
}

// Close drops the staging table and releases the connection and the lock.
func (l *landing) Close() error {
	if l.conn == nil {
		return nil
	}
	if l.direct {
		l.rollback()
	}
	err := l.dropStage()
	err = errors.Join(err, l.conn.Close())
	l.conn = nil
	l.unlock()
	if err != nil {
		return fmt.Errorf("land %s: %w", l.t.Table, err)
	}
	return nil
}

// dropStage drops the staging table, with a fresh context: it runs after
// failures and cancellations too.
func (l *landing) dropStage() error {
	if l.stage == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	_, err := l.conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+l.stageSQL())
	if err != nil {
		// the pool would hand the table on with the connection: have it
		// close the connection instead (its temporary tables go with it)
		_ = l.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	l.stage, l.stagedCols, l.files = "", nil, nil
	return err
}

func (l *landing) stageSQL() string { return "temp.main." + l.w.QuoteIdent(l.stage) }
