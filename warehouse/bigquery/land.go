package bigquery

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/mart-dev/mart/warehouse"
)

// landing lands one stream (mart extract) into one raw table: each batch
// is written to a local file of newline-delimited JSON, uploaded by a load
// job into a staging table (expiring after a day, in case mart dies), and
// applied by one script that also writes the stream's state, in one
// transaction (see land_sql.go).
type landing struct {
	w      *Warehouse
	t      warehouse.LandTable
	unlock func()

	stage   warehouse.Relation // the staging table ("" name: none)
	batch   warehouse.Batch
	cols    []warehouse.Column // the batch's columns as they land
	files   []string           // the names of the files StageFiles staged
	rebuilt bool               // a commit happened: Rebuild is done
}

var _ warehouse.Landing = (*landing)(nil)

// Land opens a session that lands the stream t into its raw table,
// creating the dataset and its state table when they are missing.
func (w *Warehouse) Land(ctx context.Context, t warehouse.LandTable) (warehouse.Landing, error) {
	if t.Table.Name == "" || t.State.Name == "" || t.Stream == "" {
		return nil, errors.New("land: the table, its state table and the stream must be named")
	}
	t.Table, t.State = w.resolve(t.Table), w.resolve(t.State)
	if err := w.EnsureSchema(ctx, t.Table.Database, t.Table.Schema); err != nil {
		return nil, err
	}
	if _, err := w.query(ctx, atomicJob, createStateSQL(relationSQL(t.State))); err != nil {
		return nil, opError("create state table", t.State, err)
	}
	unlock, err := w.locks.lock(ctx, t.Table)
	if err != nil {
		return nil, opError("land", t.Table, err)
	}
	return &landing{w: w, t: t, unlock: unlock}, nil
}

// State returns the stream's committed state, or nil.
func (l *landing) State(ctx context.Context) ([]byte, error) {
	d, err := l.w.query(ctx, atomicJob, stateSQL(relationSQL(l.t.State), l.t.Stream))
	if err != nil {
		return nil, opError("read extract state from", l.t.State, err)
	}
	rows, err := l.w.read(ctx, d.job, 1)
	if err != nil {
		return nil, opError("read extract state from", l.t.State, err)
	}
	if len(rows.Values) == 0 || rows.Values[0][0] == nil {
		return nil, nil
	}
	return []byte(fmt.Sprint(rows.Values[0][0])), nil
}

// Close drops the staging table and releases the table's lock.
func (l *landing) Close() error {
	if l.unlock == nil {
		return nil
	}
	l.dropStage()
	l.unlock()
	l.unlock = nil
	return nil
}

func (l *landing) dropStage() {
	if l.stage.Name != "" {
		l.w.dropQuietly(l.stage)
		l.stage = warehouse.Relation{}
	}
	l.files = nil
}

// tempFile makes the local file a batch is written to before its upload.
func tempFile() (*os.File, error) { return os.CreateTemp("", "mart-land-*.ndjson") }
