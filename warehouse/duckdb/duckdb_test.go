package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/mart-dev/mart/warehouse"
)

func openTemp(t testing.TB, cfg Config) *Warehouse {
	t.Helper()
	if cfg.Path == "" {
		cfg.Path = filepath.Join(t.TempDir(), "target", "dev.duckdb")
	}
	w, err := Open(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func TestOpenCreatesParentAndPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "x.duckdb")
	w, err := Open(ctx, Config{Path: path})
	require.NoError(t, err)
	_, err = w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select 42 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	assert.FileExists(t, path)

	w, err = Open(ctx, Config{Path: path})
	require.NoError(t, err)
	defer w.Close()
	rows, err := w.Query(ctx, "select id from t", 0)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{int32(42)}}, rows.Values)
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))

	// The parent "directory" is a file.
	p := filepath.Join(file, "x.duckdb")
	_, err := Open(ctx, Config{Path: p})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "cannot open DuckDB database "+p+": not a directory"), err.Error())

	// The database path is a directory: DuckDB's own message is kept.
	_, err = Open(ctx, Config{Path: dir})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "cannot open DuckDB database "+dir+": IO Error: "), err.Error())
	t.Log(err)

	_, err = Open(ctx, Config{Path: filepath.Join(dir, "x.duckdb"), Settings: map[string]string{"no_such_option": "1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no_such_option")

	_, err = Open(ctx, Config{Path: filepath.Join(dir, "what?.duckdb")})
	assert.ErrorContains(t, err, "must not contain '?'")
}

func TestOpenPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	require.NoError(t, os.Mkdir(dir, 0o555))
	p := filepath.Join(dir, "target", "x.duckdb")
	_, err := Open(context.Background(), Config{Path: p})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "cannot open DuckDB database "+p+": permission denied"), err.Error())
	assert.ErrorIs(t, err, fs.ErrPermission)

	// The directory exists but is read-only: DuckDB itself fails.
	p = filepath.Join(dir, "x.duckdb")
	_, err = Open(context.Background(), Config{Path: p})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "cannot open DuckDB database "+p+": "), err.Error())
	assert.Contains(t, strings.ToLower(err.Error()), "permission denied")
	t.Log(err)
}

func TestConfig(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{Threads: 1, Schema: "analytics", Settings: map[string]string{"memory_limit": "512MB"}})
	rows, err := w.Query(ctx, "select current_setting('threads'), current_setting('memory_limit'), current_schema()", 0)
	require.NoError(t, err)
	require.Len(t, rows.Values, 1)
	assert.Equal(t, "1", fmt.Sprint(rows.Values[0][0]))
	assert.Contains(t, rows.Values[0][1], "MiB")
	assert.Equal(t, "analytics", rows.Values[0][2])

	assert.Equal(t, `"analytics"."t"`, w.RelationSQL(warehouse.Relation{Name: "t"}))
	_, err = w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select 1 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	// Unqualified names resolve to the default schema on every pooled
	// connection, including ones opened concurrently.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.Query(ctx, "select id from t", 0)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	rels, err := w.ListRelations(ctx, "", "")
	require.NoError(t, err)
	assert.Equal(t, []warehouse.Relation{{Schema: "analytics", Name: "t"}}, rels)

	mem, err := Open(ctx, Config{})
	require.NoError(t, err)
	defer mem.Close()
	assert.Equal(t, "duckdb", mem.Name())
	n, err := mem.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select * from range(3)", warehouse.TableOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
}

func TestQuote(t *testing.T) {
	w := &Warehouse{schema: "main"}
	assert.Equal(t, `"a""b"`, w.QuoteIdent(`a"b`))
	assert.Equal(t, `'it''s'`, w.QuoteString(`it's`))
	assert.Equal(t, `'a\b'`, w.QuoteString(`a\b`))
	assert.Equal(t, `"db"."s"."t"`, w.RelationSQL(warehouse.Relation{Database: "db", Schema: "s", Name: "t"}))
	assert.Equal(t, `"s"."t"`, w.RelationSQL(warehouse.Relation{Schema: "s", Name: "t"}))
	assert.Equal(t, `"main"."t"`, w.RelationSQL(warehouse.Relation{Name: "t"}))
}

// TestErrorsKeepDuckDBText checks that engine errors are wrapped, not
// replaced: the build prints them as they are.
func TestErrorsKeepDuckDBText(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	_, err := w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select cast('x' as integer) as id", warehouse.TableOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "create table main.t: Conversion Error: Could not convert string 'x' to INT32")
	var de *duckdb.Error
	require.True(t, errors.As(err, &de))
	assert.Equal(t, duckdb.ErrorTypeConversion, de.Type)

	_, err = w.Query(ctx, "select nope", 0)
	assert.ErrorContains(t, err, `Binder Error: Referenced column "nope" was not found`)
	_, err = w.Exec(ctx, "create tabel x")
	assert.ErrorContains(t, err, "Parser Error")
	err = w.CreateView(ctx, warehouse.Relation{Name: "v"}, "select * from missing_table")
	assert.ErrorContains(t, err, "Catalog Error: Table with name missing_table does not exist")
}

func TestIsConflict(t *testing.T) {
	// Provoke a real conflict: concurrent CREATE SCHEMA of one schema,
	// bypassing EnsureSchema's mutex.
	ctx := context.Background()
	w := openTemp(t, Config{})
	var conflict error
	for round := 0; round < 50 && conflict == nil; round++ {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := w.DB().ExecContext(ctx, fmt.Sprintf("CREATE SCHEMA IF NOT EXISTS s%d", round))
				if err != nil {
					mu.Lock()
					conflict = err
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	if conflict == nil {
		t.Skip("could not provoke a conflict")
	}
	assert.True(t, isConflict(conflict), "%v", conflict)
	assert.True(t, isConflict(fmt.Errorf("wrapped: %w", conflict)))

	_, err := w.DB().ExecContext(ctx, "select * from missing_table")
	assert.False(t, isConflict(err), "%v", err)
	_, err = w.DB().ExecContext(ctx, "select cast('conflict' as integer)")
	assert.False(t, isConflict(err), "the word in a message is not enough: %v", err)
	assert.False(t, isConflict(context.Canceled))
	assert.False(t, isConflict(errors.New("write-write conflict")), "only DuckDB errors")
	assert.False(t, isConflict(nil))
}

func TestRetry(t *testing.T) {
	ctx := context.Background()
	conflict := &duckdb.Error{Type: duckdb.ErrorTypeTransaction, Msg: `TransactionContext Error: Catalog write-write conflict on create with "x"`}
	calls := 0
	err := retry(ctx, func() error {
		calls++
		if calls < 3 {
			return conflict
		}
		return nil
	})
	assert.NoError(t, err)
	assert.Equal(t, 3, calls)

	calls = 0
	err = retry(ctx, func() error { calls++; return conflict })
	assert.ErrorIs(t, err, conflict)
	assert.Equal(t, maxAttempts, calls)

	calls = 0
	other := &duckdb.Error{Type: duckdb.ErrorTypeCatalog, Msg: "Catalog Error: nope"}
	err = retry(ctx, func() error { calls++; return other })
	assert.ErrorIs(t, err, other)
	assert.Equal(t, 1, calls)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	calls = 0
	_ = retry(cctx, func() error { calls++; return conflict })
	assert.Equal(t, 1, calls, "no retry after cancellation")
}

func TestCaseInsensitiveCatalog(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	require.NoError(t, w.EnsureSchema(ctx, "", "Staging"))
	require.NoError(t, w.EnsureSchema(ctx, "", "staging"))
	_, err := w.CreateTable(ctx, warehouse.Relation{Schema: "Staging", Name: "Orders"}, "select 1 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	cols, kind, err := w.Describe(ctx, warehouse.Relation{Schema: "staging", Name: "orders"})
	require.NoError(t, err)
	assert.Equal(t, "table", kind)
	assert.Len(t, cols, 1)
	// Replacing with a differently cased name replaces the same table.
	_, err = w.CreateTable(ctx, warehouse.Relation{Schema: "STAGING", Name: "ORDERS"}, "select 2 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	rels, err := w.ListRelations(ctx, "", "staging")
	require.NoError(t, err)
	require.Len(t, rels, 1)
	assert.Equal(t, "ORDERS", rels[0].Name)
}

func TestOtherDatabase(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	other := filepath.Join(t.TempDir(), "other.duckdb")
	_, err := w.Exec(ctx, "ATTACH "+w.QuoteString(other)+" AS other")
	require.NoError(t, err)
	require.NoError(t, w.EnsureSchema(ctx, "other", "raw"))
	r := warehouse.Relation{Database: "other", Schema: "raw", Name: "t"}
	assert.Equal(t, `"other"."raw"."t"`, w.RelationSQL(r))
	_, err = w.CreateTable(ctx, r, "select 1 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	_, err = w.CreateTable(ctx, r, "select 1 as id union all select 2", warehouse.TableOptions{})
	require.NoError(t, err)
	_, kind, err := w.Describe(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, "table", kind)
	_, kind, err = w.Describe(ctx, warehouse.Relation{Schema: "raw", Name: "t"})
	require.NoError(t, err)
	assert.Equal(t, "", kind, "not in the current database")
	rels, err := w.ListRelations(ctx, "other", "raw")
	require.NoError(t, err)
	assert.Equal(t, []warehouse.Relation{r}, rels)
	require.NoError(t, w.CreateView(ctx, r, "select 3 as id"))
	require.NoError(t, w.Drop(ctx, r))
	temps, err := w.TempRelations(ctx)
	require.NoError(t, err)
	assert.Empty(t, temps)
}

func TestComments(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	_, err := w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select 1 as id, 'x' as name", warehouse.TableOptions{
		Description:        "it's a table",
		ColumnDescriptions: map[string]string{"ID": "the key", "nope": "ignored"},
		Labels:             map[string]string{"ignored": "by duckdb"},
		ClusterBy:          []string{"id"},
		PartitionBy:        map[string]any{"field": "id"},
	})
	require.NoError(t, err)
	rows, err := w.Query(ctx, "select comment from duckdb_tables() where table_name = 't'", 0)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"it's a table"}}, rows.Values)
	rows, err = w.Query(ctx, "select column_name, comment from duckdb_columns() where table_name = 't' order by column_index", 0)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"id", "the key"}, {"name", nil}}, rows.Values)
}

func TestQueryValuesAndLimit(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	rows, err := w.Query(ctx, `select 1.50::decimal(10,2) as d, 170141183460469231731687303715884105727::hugeint as h,
		'3d0ef8a8-1e2a-4f5c-9a7b-0123456789ab'::uuid as u, interval 1 day as i, [1.5::decimal(4,1)] as l,
		{'k': 2.25::decimal(4,2)} as s, 'x'::blob as b`, 0)
	require.NoError(t, err)
	require.Len(t, rows.Values, 1)
	v := rows.Values[0]
	assert.Equal(t, "1.50", v[0])
	assert.Equal(t, "170141183460469231731687303715884105727", v[1])
	assert.Equal(t, "3d0ef8a8-1e2a-4f5c-9a7b-0123456789ab", v[2])
	assert.Equal(t, "0 months 1 days 0 microseconds", v[3])
	assert.Equal(t, []any{"1.5"}, v[4])
	assert.Equal(t, map[string]any{"k": "2.25"}, v[5])
	assert.Equal(t, []byte("x"), v[6])
	assert.Equal(t, "DECIMAL(10,2)", rows.Columns[0].Type)
	for in, want := range map[int64]string{0: "0.000", 5: "0.005", -5: "-0.005", 12345: "12.345", -12345: "-12.345"} {
		assert.Equal(t, want, decimalString(duckdb.Decimal{Width: 10, Scale: 3, Value: big.NewInt(in)}))
	}
	assert.Equal(t, "-7", decimalString(duckdb.Decimal{Width: 10, Scale: 0, Value: big.NewInt(-7)}))

	// Statements that cannot be wrapped in a subquery still honour limit.
	_, err = w.CreateTable(ctx, warehouse.Relation{Name: "a"}, "select 1 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	_, err = w.CreateTable(ctx, warehouse.Relation{Name: "b"}, "select 1 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	rows, err = w.Query(ctx, "show tables", 1)
	require.NoError(t, err)
	assert.Len(t, rows.Values, 1)
	rows, err = w.Query(ctx, "pragma version", 1)
	require.NoError(t, err)
	assert.Len(t, rows.Values, 1)
	rows, err = w.Query(ctx, "-- a comment\nfrom range(10) -- trailing comment", 3)
	require.NoError(t, err)
	assert.Len(t, rows.Values, 3)
	_, err = w.Query(ctx, "select from where", 3)
	assert.ErrorContains(t, err, "Parser Error")
}

// TestCancelCleansUp cancels CreateTable at several points of its
// transaction and checks that no temporary table survives.
func TestCancelCleansUp(t *testing.T) {
	w := openTemp(t, Config{})
	ctx := context.Background()
	_, err := w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select 1 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	for _, sql := range []string{
		"select count(*) as id from range(10000000000)",
		"select * from range(3000000) t(id)",
		"select 2 as id",
	} {
		for _, delay := range []int{0, 1, 5, 20, 60} {
			cctx, cancel := context.WithTimeout(ctx, delayMillis(delay))
			_, _ = w.CreateTable(cctx, warehouse.Relation{Name: "t"}, sql, warehouse.TableOptions{})
			cancel()
			temps, err := w.TempRelations(ctx)
			require.NoError(t, err)
			require.Empty(t, temps, "sql %q, cancelled after %dms", sql, delay)
			_, kind, err := w.Describe(ctx, warehouse.Relation{Name: "t"})
			require.NoError(t, err)
			require.Equal(t, "table", kind)
		}
	}
}

func delayMillis(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// TestContention builds overlapping transactions: many tables in a few
// schemas from 8 goroutines, and repeated replacement of one table from 6.
// Neither may fail, and the per-relation locks should make conflict retries
// rare.
func TestContention(t *testing.T) {
	w := openTemp(t, Config{})
	ctx := context.Background()
	before := retries.Load()
	var g errgroup.Group
	for i := range 6 {
		g.Go(func() error {
			for j := range 3 {
				sql := fmt.Sprintf("select %d as id from range(300000)", i*10+j)
				if _, err := w.CreateTable(ctx, warehouse.Relation{Name: "same"}, sql, warehouse.TableOptions{}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())

	g.SetLimit(8)
	for i := range 30 {
		g.Go(func() error {
			s := fmt.Sprintf("s%d", i%3)
			if err := w.EnsureSchema(ctx, "", s); err != nil {
				return err
			}
			r := warehouse.Relation{Schema: s, Name: fmt.Sprintf("t%d", i)}
			if _, err := w.CreateTable(ctx, r, fmt.Sprintf("select %d as id from range(300000)", i), warehouse.TableOptions{}); err != nil {
				return err
			}
			if err := w.CreateView(ctx, warehouse.Relation{Schema: s, Name: fmt.Sprintf("v%d", i)}, "select * from "+w.RelationSQL(r)); err != nil {
				return err
			}
			_, err := w.Insert(ctx, r, "select 1")
			return err
		})
	}
	require.NoError(t, g.Wait())
	t.Logf("conflict retries: %d", retries.Load()-before)
	temps, err := w.TempRelations(ctx)
	require.NoError(t, err)
	assert.Empty(t, temps)
}

func TestLoadSeedCancel(t *testing.T) {
	w := openTemp(t, Config{})
	ctx := context.Background()
	dir := t.TempDir()
	small := filepath.Join(dir, "small.csv")
	require.NoError(t, os.WriteFile(small, []byte("id\n1\n"), 0o644))
	_, err := w.LoadSeed(ctx, warehouse.Relation{Name: "s"}, small, warehouse.SeedOptions{})
	require.NoError(t, err)

	big := filepath.Join(dir, "big.csv")
	var sb strings.Builder
	sb.WriteString("id,name,ts\n")
	for i := range 300_000 {
		fmt.Fprintf(&sb, "%d,name %d,2024-01-01 10:00:%02d\n", i, i, i%60)
	}
	require.NoError(t, os.WriteFile(big, []byte(sb.String()), 0o644))
	for _, delay := range []int{0, 5, 30, 100} {
		cctx, cancel := context.WithTimeout(ctx, delayMillis(delay))
		n, err := w.LoadSeed(cctx, warehouse.Relation{Name: "s"}, big, warehouse.SeedOptions{})
		cancel()
		rows, qerr := w.Query(ctx, "select count(*) from s", 0)
		require.NoError(t, qerr)
		if err == nil {
			// Finished before the deadline: the new rows are in.
			t.Logf("load finished within %dms", delay)
			assert.Equal(t, int64(300_000), n)
			assert.Equal(t, "300000", fmt.Sprint(rows.Values[0][0]))
			_, err = w.LoadSeed(ctx, warehouse.Relation{Name: "s"}, small, warehouse.SeedOptions{})
			require.NoError(t, err)
			continue
		}
		t.Logf("cancelled after %dms: %v", delay, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, "1", fmt.Sprint(rows.Values[0][0]), "previous seed intact after cancel at %dms", delay)
		temps, err := w.TempRelations(ctx)
		require.NoError(t, err)
		assert.Empty(t, temps)
	}
}

func TestSeedTypesOverride(t *testing.T) {
	w := openTemp(t, Config{})
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "x.csv")
	require.NoError(t, os.WriteFile(p, []byte("price,at,n\n1.50,2024-01-01 10:00:00+02,7\n"), 0o644))
	_, err := w.LoadSeed(ctx, warehouse.Relation{Name: "x"}, p, warehouse.SeedOptions{
		ColumnTypes: map[string]string{"price": "decimal(10,2)", "AT": "timestamptz", "n": "integer"},
	})
	require.NoError(t, err)
	cols, _, err := w.Describe(ctx, warehouse.Relation{Name: "x"})
	require.NoError(t, err)
	assert.Equal(t, []warehouse.Column{{Name: "price", Type: "DECIMAL(10,2)"}, {Name: "at", Type: "TIMESTAMP WITH TIME ZONE"}, {Name: "n", Type: "INTEGER"}}, cols)
	rows, err := w.Query(ctx, "select price from x", 0)
	require.NoError(t, err)
	assert.Equal(t, "1.50", rows.Values[0][0])

	// A value that does not fit the override: DuckDB's message comes through.
	_, err = w.LoadSeed(ctx, warehouse.Relation{Name: "x"}, p, warehouse.SeedOptions{ColumnTypes: map[string]string{"at": "integer"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "load seed "+p+" into main.x: ")
	assert.Contains(t, err.Error(), "Conversion Error")
}

// settings: {TimeZone: ...} applies to every connection of the pool, so a
// build's timestamp casts do not depend on the machine's time zone.
func TestTimeZoneSetting(t *testing.T) {
	t.Setenv("TZ", "Europe/Berlin")
	w := openTemp(t, Config{Settings: map[string]string{"TimeZone": "UTC"}})
	ctx := context.Background()
	var g errgroup.Group
	for range 4 { // several connections at once
		g.Go(func() error {
			rows, err := w.Query(ctx, "select current_setting('TimeZone'), cast(cast(timestamptz '2024-01-01 00:00:00+00' as timestamp) as varchar)", 0)
			if err != nil {
				return err
			}
			if got := fmt.Sprint(rows.Values); got != "[[UTC 2024-01-01 00:00:00]]" {
				return fmt.Errorf("got %s", got)
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
}

// A path with '?' (a connection string such as md:db?motherduck_token=...)
// is refused when the profile is read, at the path key and without
// repeating what follows the '?', so no token reaches the manifest's
// location or an error.
func TestPathWithQueryIsRefusedWhenTheProfileIsRead(t *testing.T) {
	_, err := adapter{}.ParseTarget(warehouse.Settings{"type": "duckdb", "path": "md:db?motherduck_token=MDTOK123"})
	require.Error(t, err)
	var se *warehouse.SettingError
	require.True(t, errors.As(err, &se), "%v", err)
	assert.Equal(t, "path", se.Key)
	assert.Contains(t, err.Error(), "must not contain '?'")
	assert.NotContains(t, err.Error(), "MDTOK123")
}

// A database file mart creates is written in storage version v1.2.0 (see
// storageVersion); a profile's setting wins, and a file that exists keeps
// the version it was created with.
func TestStorageVersion(t *testing.T) {
	ctx := context.Background()
	version := func(w *Warehouse) string {
		t.Helper()
		rows, err := w.Query(ctx, "select tags['storage_version'] from duckdb_databases() where database_name = current_database()", 0)
		require.NoError(t, err)
		return fmt.Sprint(rows.Values)
	}
	dir := t.TempDir()
	w := openTemp(t, Config{Path: filepath.Join(dir, "new.duckdb")})
	assert.Equal(t, "[[v1.2.0+]]", version(w))

	old := filepath.Join(dir, "old.duckdb")
	w = openTemp(t, Config{Path: old, Settings: map[string]string{"storage_compatibility_version": "v1.0.0"}})
	_, err := w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select 42 as id", warehouse.TableOptions{})
	require.NoError(t, err)
	assert.Equal(t, "[[v1.0.0+]]", version(w))
	require.NoError(t, w.Close())

	w = openTemp(t, Config{Path: old})
	assert.Equal(t, "[[v1.0.0+]]", version(w))
	rows, err := w.Query(ctx, "select id from t", 0)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{int32(42)}}, rows.Values)
}

// kind finds a view among duckdb_views() and a table by its name
// (pragma_table_info), without information_schema's scan of every
// table: inside a transaction too, where it sees what the transaction
// made, and where a missing name leaves the transaction usable.
func TestKindInTransaction(t *testing.T) {
	w := openTemp(t, Config{})
	ctx := context.Background()
	for _, s := range []string{`CREATE SCHEMA "Odd.Schema"`, `CREATE TABLE t (i INTEGER)`, `CREATE VIEW v AS SELECT i FROM t`,
		`CREATE TABLE "Odd.Schema"."with ""quote" (i INTEGER)`, `CREATE TABLE "Odd.Schema"."Sp ace" (i INTEGER)`} {
		_, err := w.Exec(ctx, s)
		require.NoError(t, err, s)
	}
	kindOf := func(q queryer, r warehouse.Relation) string {
		t.Helper()
		k, err := w.kind(ctx, q, w.resolve(r))
		require.NoError(t, err, "%+v", r)
		return k
	}
	assert.Equal(t, "table", kindOf(w.db, warehouse.Relation{Name: "T"}))
	assert.Equal(t, "view", kindOf(w.db, warehouse.Relation{Name: "v"}))
	assert.Equal(t, "", kindOf(w.db, warehouse.Relation{Name: "nope"}))
	assert.Equal(t, "", kindOf(w.db, warehouse.Relation{Schema: "no_schema", Name: "t"}))
	assert.Equal(t, "", kindOf(w.db, warehouse.Relation{Database: "no_db", Schema: "main", Name: "t"}))
	assert.Equal(t, "table", kindOf(w.db, warehouse.Relation{Schema: "odd.schema", Name: `with "quote`}))
	assert.Equal(t, "table", kindOf(w.db, warehouse.Relation{Schema: "Odd.Schema", Name: "sp ace"}))
	assert.Equal(t, "", kindOf(w.db, warehouse.Relation{Schema: "Odd.Schema", Name: "with quote"}))

	require.NoError(t, w.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE made_here (i INTEGER)"); err != nil {
			return err
		}
		assert.Equal(t, "table", kindOf(tx, warehouse.Relation{Name: "made_here"}))
		assert.Equal(t, "", kindOf(tx, warehouse.Relation{Name: "nope"}))
		assert.Equal(t, "", kindOf(tx, warehouse.Relation{Database: "no_db", Schema: "main", Name: "t"}))
		if _, err := tx.ExecContext(ctx, "DROP VIEW v"); err != nil {
			return err
		}
		assert.Equal(t, "", kindOf(tx, warehouse.Relation{Name: "v"}))
		_, err := tx.ExecContext(ctx, "INSERT INTO made_here VALUES (1)") // the transaction still works
		return err
	}))
	rows, err := w.Query(ctx, "SELECT count(*) FROM made_here", 0)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{int64(1)}}, rows.Values)
	assert.Equal(t, "", kindOf(w.db, warehouse.Relation{Name: "v"}))

	// a temporary table is found in the temp catalog only, as before
	_, err = w.Exec(ctx, "CREATE TEMP TABLE tmp_x AS SELECT 1 AS x")
	require.NoError(t, err)
	conn, err := w.db.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "CREATE TEMP TABLE tmp_y AS SELECT 1 AS y")
	require.NoError(t, err)
	assert.Equal(t, "table", kindOf(conn, warehouse.Relation{Database: "temp", Schema: "main", Name: "tmp_y"}))
	assert.Equal(t, "", kindOf(conn, warehouse.Relation{Name: "tmp_y"}))
}

// Describe binds no view (a view over files that are gone would fail, one
// over thousands of files would take seconds): a view's columns are those
// DuckDB stored, also when its table changed or was dropped since; a
// table's are pragma_table_info's. Found by a review.
func TestDescribeViews(t *testing.T) {
	w := openTemp(t, Config{})
	ctx := context.Background()
	csv := filepath.Join(t.TempDir(), "data.csv")
	require.NoError(t, os.WriteFile(csv, []byte("a,b\n1,x\n"), 0o644))
	for _, s := range []string{`CREATE TABLE t (i INTEGER, "Name" VARCHAR, d DECIMAL(18,3), s STRUCT(a INTEGER, "B c" VARCHAR), l INTEGER[])`,
		`CREATE VIEW v AS SELECT * FROM t`, `ALTER TABLE t ALTER COLUMN i TYPE BIGINT`,
		`CREATE TABLE base (x INTEGER)`, `CREATE VIEW broken AS SELECT x FROM base`, `DROP TABLE base`,
		`CREATE VIEW files AS SELECT * FROM read_csv(` + w.QuoteString(csv) + `)`} {
		_, err := w.Exec(ctx, s)
		require.NoError(t, err, s)
	}
	require.NoError(t, os.Remove(csv))
	table := []warehouse.Column{{Name: "i", Type: "BIGINT"}, {Name: "Name", Type: "VARCHAR"}, {Name: "d", Type: "DECIMAL(18,3)"},
		{Name: "s", Type: `STRUCT(a INTEGER, "B c" VARCHAR)`}, {Name: "l", Type: "INTEGER[]"}}
	view := append([]warehouse.Column{{Name: "i", Type: "INTEGER"}}, table[1:]...)
	for _, c := range []struct {
		name, kind string
		cols       []warehouse.Column
	}{
		{"t", "table", table},
		{"V", "view", view},
		{"broken", "view", []warehouse.Column{{Name: "x", Type: "INTEGER"}}},
		{"files", "view", []warehouse.Column{{Name: "a", Type: "BIGINT"}, {Name: "b", Type: "VARCHAR"}}},
	} {
		cols, kind, err := w.Describe(ctx, warehouse.Relation{Name: c.name})
		require.NoError(t, err, c.name)
		assert.Equal(t, c.kind, kind, c.name)
		assert.Equal(t, c.cols, cols, c.name)
		kind, err = w.Kind(ctx, warehouse.Relation{Name: c.name})
		require.NoError(t, err, c.name)
		assert.Equal(t, c.kind, kind, c.name)
	}
	// in a transaction, which a view that cannot bind would abort
	require.NoError(t, w.inTx(ctx, func(tx *sql.Tx) error {
		cols, kind, err := w.describeIn(ctx, tx, w.resolve(warehouse.Relation{Name: "files"}))
		require.NoError(t, err)
		assert.Equal(t, "view", kind)
		assert.Len(t, cols, 2)
		_, err = tx.ExecContext(ctx, "CREATE TABLE after_files (i INTEGER)")
		return err
	}))
}

// Names are one name to DuckDB's catalog when they differ in the case of
// ASCII letters only: a view "ÖView" and a table "öview" are two
// relations. The system's own views are not relations of the warehouse
// (information_schema leaves them out). Found by a review.
func TestKindNames(t *testing.T) {
	w := openTemp(t, Config{})
	ctx := context.Background()
	for _, s := range []string{`CREATE TABLE "öview" (i INTEGER)`, `CREATE VIEW "ÖView" AS SELECT 1 AS j`, `CREATE TABLE "Ärger" (k INTEGER)`} {
		_, err := w.Exec(ctx, s)
		require.NoError(t, err, s)
	}
	for name, want := range map[string]string{"öview": "table", "ÖVIEW": "view", "övIEW": "table", "Ärger": "table", "ärger": "", "ÄRGER": "table"} {
		kind, err := w.Kind(ctx, warehouse.Relation{Name: name})
		require.NoError(t, err, name)
		assert.Equal(t, want, kind, name)
	}
	cols, kind, err := w.Describe(ctx, warehouse.Relation{Name: "ÖVIEW"})
	require.NoError(t, err)
	assert.Equal(t, "view", kind)
	assert.Equal(t, []warehouse.Column{{Name: "j", Type: "INTEGER"}}, cols)
	for _, r := range []warehouse.Relation{{Database: "system", Schema: "main", Name: "duckdb_tables"},
		{Database: "system", Schema: "information_schema", Name: "tables"}} {
		kind, err := w.Kind(ctx, r)
		require.NoError(t, err)
		assert.Equal(t, "", kind, "%+v", r)
	}
}

// A table replaced by a view (by another connection) while Describe looks
// it up is described as one of the two, whole: never as a table with the
// view's columns, which binding the view to list them would give.
// A name with a double quote is looked up through information_schema,
// in one transaction too.
func TestDescribeWhileReplaced(t *testing.T) {
	for _, name := range []string{"t", `t"q`} {
		w := openTemp(t, Config{})
		ctx := context.Background()
		quoted := w.Dialect.QuoteIdent(name)
		_, err := w.Exec(ctx, `CREATE TABLE `+quoted+` (i INTEGER, j VARCHAR)`)
		require.NoError(t, err)
		replaced := false
		betweenLookups = func() {
			if replaced {
				return
			}
			replaced = true
			for _, s := range []string{`DROP TABLE ` + quoted, `CREATE VIEW ` + quoted + ` AS SELECT 1.5 AS k`} {
				_, err := w.db.ExecContext(ctx, s)
				require.NoError(t, err, s)
			}
		}
		t.Cleanup(func() { betweenLookups = nil })
		cols, kind, err := w.Describe(ctx, warehouse.Relation{Name: name})
		require.NoError(t, err)
		require.True(t, replaced, name)
		assert.Equal(t, "table", kind, name)
		assert.Equal(t, []warehouse.Column{{Name: "i", Type: "INTEGER"}, {Name: "j", Type: "VARCHAR"}}, cols, name)
		// after: the view
		cols, kind, err = w.Describe(ctx, warehouse.Relation{Name: name})
		require.NoError(t, err)
		assert.Equal(t, "view", kind, name)
		assert.Equal(t, []warehouse.Column{{Name: "k", Type: "DECIMAL(2,1)"}}, cols, name)
	}
}
