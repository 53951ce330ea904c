package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/mart-dev/mart/warehouse"
)

// Config says which DuckDB database to open and how.
type Config struct {
	// Path is the database file; "" opens a private in-memory database.
	// Its parent directory is created if needed.
	Path string
	// Threads caps DuckDB's worker threads; 0 leaves DuckDB's default
	// (the number of cores).
	Threads int
	// Schema is the default schema: relations with an empty Schema live
	// there, and unqualified names in SQL resolve there. Default "main". It
	// is created if missing.
	Schema string
	// Settings are DuckDB configuration options set when the database is
	// opened, e.g. {"memory_limit": "4GB"}.
	Settings map[string]string
	// Speculative opens only an existing database file whose default
	// schema exists, creating nothing (warehouse.OpenOptions.Speculative).
	Speculative bool
}

// Warehouse is a DuckDB database. It implements [warehouse.Warehouse] and
// [warehouse.TempRelationLister] and is safe for concurrent use.
type Warehouse struct {
	Dialect
	db       *sql.DB
	path     string
	schema   string
	timeZone string // settings' TimeZone, set on every connection
	// speculative: initConn fails rather than create the default schema,
	// while a speculative Open pings; once open, the warehouse is a usual one
	speculative atomic.Bool

	// schemaMu serializes EnsureSchema. initConn uses initMu instead:
	// EnsureSchema may need a new pool connection while holding schemaMu.
	schemaMu sync.Mutex
	initMu   sync.Mutex

	// locks serializes changes to the same relation (see relationLocks).
	locks relationLocks

	// blockFn is the table function landing blocks (see blocks.go), once
	// registered.
	blockMu sync.Mutex
	blockFn string
}

var (
	_ warehouse.Warehouse          = (*Warehouse)(nil)
	_ warehouse.TempRelationLister = (*Warehouse)(nil)
)

// Open opens (creating if needed) the DuckDB database described by cfg.
func Open(ctx context.Context, cfg Config) (*Warehouse, error) {
	w := &Warehouse{path: cfg.Path, schema: cfg.Schema}
	w.speculative.Store(cfg.Speculative)
	for k, v := range cfg.Settings {
		if strings.EqualFold(k, "timezone") {
			// ICU's setting cannot be given when the database opens (the
			// extension loads later): every connection sets it
			w.timeZone = v
		}
	}
	if w.schema == "" {
		w.schema = "main"
	}
	shown := cfg.Path
	if shown == "" {
		shown = ":memory:"
	}
	fail := func(err error) error {
		var pe *fs.PathError
		var de *duckdb.Error
		switch {
		case errors.As(err, &pe): // "permission denied (mkdir target)"
			return fmt.Errorf("cannot open DuckDB database %s: %w (%s %s)", shown, pe.Err, pe.Op, pe.Path)
		case errors.As(err, &de): // DuckDB's own text, without the driver's prefix
			return fmt.Errorf("cannot open DuckDB database %s: %w", shown, de)
		}
		return fmt.Errorf("cannot open DuckDB database %s: %w", shown, err)
	}
	if cfg.Speculative {
		// in memory there is nothing to open ahead of need
		if cfg.Path == "" {
			return nil, errors.New("duckdb: nothing to open ahead in memory")
		}
		if _, err := os.Stat(cfg.Path); err != nil {
			return nil, err
		}
	}
	if cfg.Path != "" {
		if strings.ContainsRune(cfg.Path, '?') {
			return nil, fail(errors.New("the path must not contain '?'"))
		}
		if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o755); err != nil {
			return nil, fail(err)
		}
	}
	conn, err := duckdb.NewConnector(dsn(cfg), w.initConn)
	if err != nil {
		return nil, fail(err)
	}
	w.db = sql.OpenDB(conn)
	w.db.SetMaxIdleConns(16)
	if err := w.db.PingContext(ctx); err != nil {
		_ = w.db.Close()
		return nil, fail(err)
	}
	// opened: the command builds with it as with any (a new connection
	// creates the default schema when a hook or macro dropped it)
	w.speculative.Store(false)
	return w, nil
}

// storageVersion is the storage_compatibility_version a database file mart
// creates is written with, unless the profile's settings name one. DuckDB's
// default (v0.10.2) stores every column's distinct-count sketch in the old
// 16 KB form, which each open converts register by register and each
// checkpoint writes again: on a 1,000-relation warehouse that was half of
// opening it. Files from v1.2.0 on keep the 64-byte form, and DuckDB 1.2 or
// later reads them. A file that exists keeps the version it was created
// with (DuckDB records it in the file).
const storageVersion = "v1.2.0"

// dsn renders cfg as a duckdb-go data source name: the path followed by the
// configuration options as URL query parameters.
func dsn(cfg Config) string {
	q := url.Values{}
	versioned := false
	for k, v := range cfg.Settings {
		if strings.EqualFold(k, "storage_compatibility_version") {
			versioned = true
		}
		if !strings.EqualFold(k, "timezone") {
			q.Set(k, v)
		}
	}
	if !versioned && cfg.Path != "" {
		q.Set("storage_compatibility_version", storageVersion)
	}
	if cfg.Threads > 0 {
		q.Set("threads", strconv.Itoa(cfg.Threads))
	}
	if len(q) == 0 {
		return cfg.Path
	}
	return cfg.Path + "?" + q.Encode()
}

// initConn runs on every new pool connection: it makes the configured
// default schema the connection's current schema, creating the schema if it
// does not exist (the first connection of a new database does that).
func (w *Warehouse) initConn(ex driver.ExecerContext) error {
	ctx := context.Background()
	if w.timeZone != "" {
		if _, err := ex.ExecContext(ctx, "SET TimeZone = "+w.QuoteString(w.timeZone), nil); err != nil {
			return fmt.Errorf("settings: TimeZone %s: %w", w.timeZone, err)
		}
	}
	if w.schema == "main" {
		return nil
	}
	set := "SET schema = " + w.QuoteString(w.schema)
	if _, err := ex.ExecContext(ctx, set, nil); err == nil {
		return nil
	} else if w.speculative.Load() {
		return err
	}
	// Serialized: concurrent CREATE SCHEMA of one schema conflict.
	w.initMu.Lock()
	defer w.initMu.Unlock()
	if _, err := ex.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+w.QuoteIdent(w.schema), nil); err != nil {
		return fmt.Errorf("create default schema %s: %w", w.schema, err)
	}
	if _, err := ex.ExecContext(ctx, set, nil); err != nil {
		return fmt.Errorf("set default schema %s: %w", w.schema, err)
	}
	return nil
}

// Path returns the database file path ("" for in-memory).
func (w *Warehouse) Path() string { return w.path }

// DefaultSchema returns the schema used for relations with an empty Schema.
func (w *Warehouse) DefaultSchema() string { return w.schema }

// DB returns the underlying connection pool, for callers that need DuckDB
// features the adapter does not wrap. Connections from it carry the default
// schema.
func (w *Warehouse) DB() *sql.DB { return w.db }

// Close closes the connection pool and the database.
func (w *Warehouse) Close() error { return w.db.Close() }

// Diagnose checks the connection with a query, for `mart debug`.
func (w *Warehouse) Diagnose(ctx context.Context) ([]string, error) {
	if err := w.db.PingContext(ctx); err != nil {
		return nil, err
	}
	var one int
	if err := w.db.QueryRowContext(ctx, "select 1").Scan(&one); err != nil {
		return nil, err
	}
	where := w.path
	if where == "" {
		where = ":memory:"
	}
	return []string{"connection to DuckDB database " + where}, nil
}
