package bqfake

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	_ "github.com/duckdb/duckdb-go/v2" // the fake's storage and executor
)

// engine is the fake's storage and executor: one in-memory DuckDB
// database. A BigQuery dataset proj.ds is the DuckDB schema "proj.ds", its
// tables and views are that schema's tables and views; script temporary
// tables are DuckDB temporary tables of the job's connection.
//
// Every use of the database (jobs, and the API calls and test hooks that
// change the catalog) holds Server.work, so jobs run one at a time: a
// serial history is one BigQuery could have produced, and DuckDB's own
// conflicts between concurrent DDL never show through.
type engine struct {
	db *sql.DB
}

// duckSettings make DuckDB behave like BigQuery where a setting can:
// BigQuery sorts NULLs first ascending and last descending; the fake reads
// no files.
const duckSettings = "?threads=1&default_null_order=nulls_first_on_asc_last_on_desc" +
	"&enable_external_access=false&autoinstall_known_extensions=false&autoload_known_extensions=false"

// duckSetup runs once per database: TIMESTAMP values are UTC instants, and
// the macros the translation uses.
var duckSetup = []string{
	"SET GLOBAL TimeZone = 'UTC'",
	// CAST(x AS STRING): BigQuery prints NUMERIC without trailing zeros and
	// FLOAT64 300.0 as 300.
	`CREATE MACRO bqfake_string(x) AS CASE
	   WHEN typeof(x) LIKE 'DECIMAL%' AND CAST(x AS VARCHAR) LIKE '%.%' THEN rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.')
	   WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN regexp_replace(CAST(x AS VARCHAR), '\.0$', '')
	   ELSE CAST(x AS VARCHAR) END`,
	// RANGE_BUCKET(x, boundaries): how many boundaries are <= x.
	`CREATE MACRO bqfake_range_bucket(x, b) AS CASE WHEN x IS NULL THEN NULL
	   ELSE len(list_filter(b, lambda e: e <= x)) END`,
	// FARM_FINGERPRINT: a signed 64-bit hash (DuckDB's, not FarmHash's values).
	`CREATE MACRO bqfake_fingerprint(x) AS CAST(hash(x) >> 1 AS BIGINT) * (CASE WHEN hash(x) & 1 = 1 THEN -1 ELSE 1 END)`,
}

func openEngine() (*engine, error) {
	db, err := sql.Open("duckdb", duckSettings)
	if err != nil {
		return nil, err
	}
	// Connections are not reused: each job's temporary tables, variables
	// and transaction end with its connection.
	db.SetMaxIdleConns(0)
	for _, q := range duckSetup {
		if _, err := db.Exec(q); err != nil {
			db.Close()
			return nil, fmt.Errorf("bqfake: setting up DuckDB: %w", err)
		}
	}
	return &engine{db: db}, nil
}

func (e *engine) close() { _ = e.db.Close() }

// engines are databases of closed fakes, reset, for the next New:
// opening DuckDB and setting it up costs tens of milliseconds, which a
// test suite making a fake per test would pay a hundred times.
var engines struct {
	sync.Mutex
	idle []*engine
}

// acquireEngine returns a reset database from the pool, or a new one.
func acquireEngine() (*engine, error) {
	engines.Lock()
	if n := len(engines.idle); n > 0 {
		e := engines.idle[n-1]
		engines.idle = engines.idle[:n-1]
		engines.Unlock()
		return e, nil
	}
	engines.Unlock()
	return openEngine()
}

// release resets the database (drops every dataset) and pools it; one
// that cannot be reset is closed.
func (e *engine) release() {
	if err := e.reset(); err != nil {
		e.close()
		return
	}
	engines.Lock()
	engines.idle = append(engines.idle, e)
	engines.Unlock()
}

func (e *engine) reset() error {
	rows, err := e.db.Query("SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal AND schema_name <> 'main'")
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		drops = append(drops, "DROP SCHEMA "+duckIdent(name)+" CASCADE")
	}
	rows.Close()
	if err := e.exec(drops...); err != nil {
		return err
	}
	var left int
	if err := e.db.QueryRow("SELECT (SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()) + " +
		"(SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND NOT internal)").Scan(&left); err != nil || left > 0 {
		return fmt.Errorf("bqfake: database not empty after reset")
	}
	return nil
}

// exec runs statements outside any job (catalog calls and test hooks).
func (e *engine) exec(stmts ...string) error {
	ctx := context.Background()
	for _, q := range stmts {
		if _, err := e.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// createTable makes an empty table with the given schema. A schema-less
// table (a test's catalog entry) has no DuckDB table.
func (e *engine) createTable(project, dataset, name string, schema []Field, view bool) error {
	if len(schema) == 0 {
		return nil
	}
	cols := make([]string, len(schema))
	for i, f := range schema {
		t, err := fieldType(f).duck()
		if err != nil {
			return fmt.Errorf("column %s: %w", f.Name, err)
		}
		cols[i] = duckIdent(f.Name) + " " + t
		if view {
			cols[i] = "CAST(NULL AS " + t + ") AS " + duckIdent(f.Name)
		}
	}
	rel := duckRel(project, dataset, name)
	if view {
		return e.exec("CREATE OR REPLACE VIEW " + rel + " AS SELECT " + strings.Join(cols, ", ") + " WHERE FALSE")
	}
	return e.exec("CREATE OR REPLACE TABLE " + rel + " (" + strings.Join(cols, ", ") + ")")
}

// drop removes a table or view (kind TABLE or VIEW) if it exists.
func (e *engine) drop(project, dataset, name, kind string) error {
	return e.exec("DROP " + kind + " IF EXISTS " + duckRel(project, dataset, name))
}

// describe reads a relation's columns as BigQuery fields.
func describe(ctx context.Context, q querier, rel string) ([]Field, error) {
	return describeQuery(ctx, q, "DESCRIBE "+rel)
}

// describeQuery runs a DESCRIBE statement and maps its columns.
func describeQuery(ctx context.Context, q querier, describe string) ([]Field, error) {
	rows, err := q.QueryContext(ctx, describe)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []Field{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		name, _ := vals[0].(string)
		typ, _ := vals[1].(string)
		f, err := fieldFromDuck(name, typ)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// count is the number of rows of a table.
func count(ctx context.Context, q querier, rel string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+rel).Scan(&n)
	return n, err
}

// querier is a *sql.DB or a *sql.Conn.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// loadRows writes CSV records into the table t with the given schema, in
// one transaction: appended, or replacing the table (and its schema).
// Empty fields are NULL; other fields are cast from their text to the
// column's type. It returns the table's row count.
func (e *engine) loadRows(ctx context.Context, t *table, schema []Field, records [][]*string, appendRows bool) (int64, error) {
	conn, err := e.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	rel := duckRel(t.project, t.dataset, t.id)
	cols := make([]string, len(schema))
	casts := make([]string, len(schema))
	stage := make([]string, len(schema))
	for i, f := range schema {
		typ, err := fieldType(f).duck()
		if err != nil {
			return 0, fmt.Errorf("column %s: %w", f.Name, err)
		}
		cols[i] = duckIdent(f.Name) + " " + typ
		stage[i] = fmt.Sprintf("c%d VARCHAR", i+1)
		casts[i] = fmt.Sprintf("CAST(c%d AS %s)", i+1, typ)
		if typ == "BLOB" { // loads carry bytes as base64
			casts[i] = fmt.Sprintf("from_base64(c%d)", i+1)
		}
	}
	stmts := []string{"BEGIN TRANSACTION", "CREATE TEMP TABLE bqfake_load (" + strings.Join(stage, ", ") + ")"}
	if !appendRows {
		stmts = append(stmts, "CREATE OR REPLACE TABLE "+rel+" ("+strings.Join(cols, ", ")+")")
	}
	for start := 0; start < len(records); start += 500 {
		var rows []string
		for _, rec := range records[start:min(start+500, len(records))] {
			vals := make([]string, len(rec))
			for i, v := range rec {
				vals[i] = "NULL"
				if v != nil {
					vals[i] = duckString(*v)
				}
			}
			rows = append(rows, "("+strings.Join(vals, ", ")+")")
		}
		stmts = append(stmts, "INSERT INTO bqfake_load VALUES "+strings.Join(rows, ", "))
	}
	stmts = append(stmts, "INSERT INTO "+rel+" SELECT "+strings.Join(casts, ", ")+" FROM bqfake_load", "COMMIT")
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			msg, _, _ := strings.Cut(err.Error(), "\n")
			return 0, fmt.Errorf("%s", msg)
		}
	}
	return count(ctx, conn, rel)
}
