package duckdb

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/warehousetest"
)

var update = flag.Bool("update", false, "rewrite the golden SQL files under testdata/golden")

func TestIncrementalConformance(t *testing.T) {
	warehousetest.RunIncremental(t, func(t *testing.T) warehouse.Warehouse {
		return openTemp(t, Config{Threads: 2})
	})
}

// incEnv is a DuckDB warehouse with helpers for incremental tests.
type incEnv struct {
	t   *testing.T
	w   *Warehouse
	ctx context.Context
}

func newIncEnv(t *testing.T) *incEnv {
	return &incEnv{t: t, w: openTemp(t, Config{Threads: 2}), ctx: context.Background()}
}

// newMemEnv is an incEnv on an in-memory database: no file, no fsync per
// commit, for the property tests' thousands of small transactions.
func newMemEnv(t *testing.T) *incEnv {
	w, err := Open(context.Background(), Config{Threads: 2})
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Close() })
	return &incEnv{t: t, w: w, ctx: context.Background()}
}

func (e *incEnv) exec(stmts ...string) {
	e.t.Helper()
	for _, s := range stmts {
		_, err := e.w.Exec(e.ctx, s)
		require.NoError(e.t, err, s)
	}
}

// rows runs q and renders each row as its values joined by "|".
func (e *incEnv) rows(q string) []string {
	e.t.Helper()
	res, err := e.w.Query(e.ctx, q, 0)
	require.NoError(e.t, err, q)
	out := make([]string, len(res.Values))
	for i, r := range res.Values {
		parts := make([]string, len(r))
		for j, v := range r {
			parts[j] = render(v)
		}
		out[i] = strings.Join(parts, "|")
	}
	return out
}

func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.999999")
	}
	return fmt.Sprint(v)
}

func (e *incEnv) columns(table string) []string {
	e.t.Helper()
	cols, _, err := e.w.Describe(e.ctx, warehouse.Relation{Name: table})
	require.NoError(e.t, err)
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name + " " + c.Type
	}
	return out
}

// tracer records the statements run under its context, with the random
// suffixes of temporary tables numbered in order of appearance.
type tracer struct {
	stmts []string
	temps map[string]string
}

var tempRE = regexp.MustCompile(warehouse.TempMarker + `[0-9a-f]{16}`)

func (tr *tracer) record(s string) {
	if tr.temps == nil {
		tr.temps = map[string]string{}
	}
	s = tempRE.ReplaceAllStringFunc(s, func(m string) string {
		if _, ok := tr.temps[m]; !ok {
			tr.temps[m] = fmt.Sprintf("%s%d", warehouse.TempMarker, len(tr.temps)+1)
		}
		return tr.temps[m]
	})
	tr.stmts = append(tr.stmts, s)
}

func (tr *tracer) script() string { return strings.Join(tr.stmts, ";\n\n") + ";\n" }

// goldenSQL compares got with testdata/golden/<name>.sql (-update rewrites).
func goldenSQL(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name+".sql")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err, "missing golden file %s: run go test ./warehouse/duckdb -run Golden -update", p)
	require.Equal(t, string(want), got, "golden %s differs (go test ./warehouse/duckdb -run Golden -update accepts it)", p)
}

var (
	day  = func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	base = []string{
		`CREATE TABLE t AS SELECT * FROM (VALUES
			(1, 'a', 10, TIMESTAMP '2026-03-01 10:00:00'),
			(2, 'b', 20, TIMESTAMP '2026-03-01 11:00:00'),
			(3, 'c', 30, TIMESTAMP '2026-03-02 10:00:00')) v(id, v, n, ts)`,
	}
	batch = `SELECT * FROM (VALUES
			(2, 'B', 21, TIMESTAMP '2026-03-02 12:00:00'),
			(4, 'd', 40, TIMESTAMP '2026-03-02 13:00:00')) v(id, v, n, ts)`
)

// TestIncrementalGolden runs each strategy on a small table, checks the
// rows it leaves, and pins the statements it ran in testdata/golden.
func TestIncrementalGolden(t *testing.T) {
	cases := []struct {
		name   string
		setup  []string
		sql    string
		opt    warehouse.IncrementalOptions
		want   []string // select * from t order by all
		result warehouse.IncrementalResult
	}{
		{name: "append", setup: base, sql: batch,
			opt: warehouse.IncrementalOptions{Strategy: "append"},
			want: []string{"1|a|10|2026-03-01 10:00:00", "2|B|21|2026-03-02 12:00:00", "2|b|20|2026-03-01 11:00:00",
				"3|c|30|2026-03-02 10:00:00", "4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2}},
		{name: "merge", setup: base, sql: batch,
			opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}},
			want: []string{"1|a|10|2026-03-01 10:00:00", "2|B|21|2026-03-02 12:00:00", "3|c|30|2026-03-02 10:00:00",
				"4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2}},
		{name: "merge_composite_key", setup: base,
			sql: `SELECT * FROM (VALUES (2, 'b', 22, TIMESTAMP '2026-03-03 00:00:00'), (2, 'x', 0, TIMESTAMP '2026-03-03 00:00:00')) v(id, v, n, ts)`,
			opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id", "v"}},
			want: []string{"1|a|10|2026-03-01 10:00:00", "2|b|22|2026-03-03 00:00:00", "2|x|0|2026-03-03 00:00:00",
				"3|c|30|2026-03-02 10:00:00"},
			result: warehouse.IncrementalResult{Rows: 2}},
		{name: "merge_update_columns", setup: base, sql: batch,
			opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, MergeUpdateColumns: []string{"n"}},
			want: []string{"1|a|10|2026-03-01 10:00:00", "2|b|21|2026-03-01 11:00:00", "3|c|30|2026-03-02 10:00:00",
				"4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2}},
		{name: "merge_exclude_columns", setup: base, sql: batch,
			opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, MergeExcludeColumns: []string{"ts", "V"}},
			want: []string{"1|a|10|2026-03-01 10:00:00", "2|b|21|2026-03-01 11:00:00", "3|c|30|2026-03-02 10:00:00",
				"4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2}},
		{name: "merge_predicates", setup: base,
			sql: `SELECT * FROM (VALUES (1, 'A', 11, TIMESTAMP '2026-03-03 00:00:00'), (3, 'C', 31, TIMESTAMP '2026-03-03 00:00:00')) v(id, v, n, ts)`,
			// Only rows of the last day may be updated; id 1 is older, so
			// the merge does not see it and inserts the batch row (dbt's
			// semantics: predicates narrow the target).
			opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"},
				IncrementalPredicates: []string{"DBT_INTERNAL_DEST.ts >= TIMESTAMP '2026-03-02'"}},
			want: []string{"1|A|11|2026-03-03 00:00:00", "1|a|10|2026-03-01 10:00:00", "2|b|20|2026-03-01 11:00:00",
				"3|C|31|2026-03-03 00:00:00"},
			result: warehouse.IncrementalResult{Rows: 2}},
		{name: "merge_dedupe", setup: base,
			sql: `SELECT * FROM (VALUES (2, 'B', 21, TIMESTAMP '2026-03-02 12:00:00'), (2, 'B', 22, TIMESTAMP '2026-03-02 12:00:00'),
				(2, 'A', 99, TIMESTAMP '2026-03-02 12:00:00'), (4, 'd', 40, TIMESTAMP '2026-03-02 13:00:00')) v(id, v, n, ts)`,
			opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, Dedupe: true},
			want: []string{"1|a|10|2026-03-01 10:00:00", "2|B|22|2026-03-02 12:00:00", "3|c|30|2026-03-02 10:00:00",
				"4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2, Deduplicated: 2}},
		{name: "merge_null_key", setup: append(append([]string{}, base...), `INSERT INTO t VALUES (NULL, 'n', 0, NULL)`),
			// A NULL key matches a NULL key, so the same batch twice never
			// doubles the row.
			sql:    `SELECT * FROM (VALUES (NULL, 'N', 1, NULL), (1, 'A', 11, NULL)) v(id, v, n, ts)`,
			opt:    warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}},
			want:   []string{"1|A|11|NULL", "2|b|20|2026-03-01 11:00:00", "3|c|30|2026-03-02 10:00:00", "NULL|N|1|NULL"},
			result: warehouse.IncrementalResult{Rows: 2}},
		{name: "delete_insert", setup: base, sql: batch,
			opt: warehouse.IncrementalOptions{Strategy: "delete+insert", UniqueKey: []string{"id"}},
			want: []string{"1|a|10|2026-03-01 10:00:00", "2|B|21|2026-03-02 12:00:00", "3|c|30|2026-03-02 10:00:00",
				"4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2, Deleted: 1}},
		{name: "insert_overwrite", setup: base,
			sql:    `SELECT * FROM (VALUES (9, 'z', 90, TIMESTAMP '2026-03-02 23:00:00')) v(id, v, n, ts)`,
			opt:    warehouse.IncrementalOptions{Strategy: "insert_overwrite", PartitionBy: "date_trunc('day', ts)"},
			want:   []string{"1|a|10|2026-03-01 10:00:00", "2|b|20|2026-03-01 11:00:00", "9|z|90|2026-03-02 23:00:00"},
			result: warehouse.IncrementalResult{Rows: 1, Deleted: 1}},
		{name: "insert_overwrite_mapping", setup: base,
			sql: `SELECT * FROM (VALUES (9, 'z', 90, TIMESTAMP '2026-03-01 23:00:00'), (8, 'y', 80, TIMESTAMP '2026-03-05 00:00:00')) v(id, v, n, ts)`,
			opt: warehouse.IncrementalOptions{Strategy: "insert_overwrite",
				PartitionBy: map[string]any{"field": "ts", "data_type": "timestamp", "granularity": "day"}},
			want:   []string{"3|c|30|2026-03-02 10:00:00", "8|y|80|2026-03-05 00:00:00", "9|z|90|2026-03-01 23:00:00"},
			result: warehouse.IncrementalResult{Rows: 2, Deleted: 2}},
		{name: "insert_overwrite_column", setup: base,
			sql:    `SELECT * FROM (VALUES (5, 'b', 0, TIMESTAMP '2026-03-09 00:00:00')) v(id, v, n, ts)`,
			opt:    warehouse.IncrementalOptions{Strategy: "insert_overwrite", PartitionBy: "v"},
			want:   []string{"1|a|10|2026-03-01 10:00:00", "3|c|30|2026-03-02 10:00:00", "5|b|0|2026-03-09 00:00:00"},
			result: warehouse.IncrementalResult{Rows: 1, Deleted: 1}},
		{name: "insert_overwrite_static", setup: base,
			sql:    `SELECT * FROM (VALUES (5, 'q', 0, TIMESTAMP '2026-03-09 00:00:00')) v(id, v, n, ts)`,
			opt:    warehouse.IncrementalOptions{Strategy: "insert_overwrite", PartitionBy: "v", Partitions: []string{"'a'", "'c'"}},
			want:   []string{"2|b|20|2026-03-01 11:00:00", "5|q|0|2026-03-09 00:00:00"},
			result: warehouse.IncrementalResult{Rows: 1, Deleted: 2}},
		{name: "microbatch", setup: base,
			sql:    `SELECT * FROM (VALUES (7, 'g', 70, TIMESTAMP '2026-03-02 05:00:00')) v(id, v, n, ts)`,
			opt:    warehouse.IncrementalOptions{Strategy: "microbatch", EventTime: "ts", BatchStart: day(2), BatchEnd: day(3)},
			want:   []string{"1|a|10|2026-03-01 10:00:00", "2|b|20|2026-03-01 11:00:00", "7|g|70|2026-03-02 05:00:00"},
			result: warehouse.IncrementalResult{Rows: 1, Deleted: 1}},
		{name: "first_run", sql: batch,
			opt:    warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}},
			want:   []string{"2|B|21|2026-03-02 12:00:00", "4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2, Created: true}},
		{name: "replace", setup: base, sql: batch,
			opt:    warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, Replace: true},
			want:   []string{"2|B|21|2026-03-02 12:00:00", "4|d|40|2026-03-02 13:00:00"},
			result: warehouse.IncrementalResult{Rows: 2, Created: true}},
		{name: "append_new_columns", setup: base,
			sql: `SELECT 5 AS id, 'e' AS v, 50 AS n, TIMESTAMP '2026-03-04 00:00:00' AS ts, true AS flag`,
			opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, OnSchemaChange: "append_new_columns"},
			want: []string{"1|a|10|2026-03-01 10:00:00|NULL", "2|b|20|2026-03-01 11:00:00|NULL", "3|c|30|2026-03-02 10:00:00|NULL",
				"5|e|50|2026-03-04 00:00:00|true"},
			result: warehouse.IncrementalResult{Rows: 1, SchemaChanges: []string{"added column flag BOOLEAN"}}},
		{name: "sync_all_columns", setup: base,
			sql:  `SELECT 3 AS id, 3000000000 AS n, 'x' AS extra`,
			opt:  warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, OnSchemaChange: "sync_all_columns"},
			want: []string{"1|10|NULL", "2|20|NULL", "3|3000000000|x"},
			result: warehouse.IncrementalResult{Rows: 1, SchemaChanges: []string{"added column extra VARCHAR",
				"widened column n from INTEGER to BIGINT", "dropped column v", "dropped column ts"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newIncEnv(t)
			e.exec(tc.setup...)
			var tr tracer
			res, err := e.w.Incremental(withTrace(e.ctx, tr.record), warehouse.Relation{Name: "t"}, tc.sql, tc.opt)
			require.NoError(t, err)
			assert.Equal(t, tc.result, res)
			assert.Equal(t, tc.want, e.rows("SELECT * FROM t ORDER BY ALL"))
			goldenSQL(t, "incremental_"+tc.name, tr.script())
			assertNoTemps(t, e.w)
		})
	}
}

func assertNoTemps(t *testing.T, w *Warehouse) {
	t.Helper()
	temps, err := w.TempRelations(context.Background())
	require.NoError(t, err)
	require.Empty(t, temps)
	// Temporary tables are per connection: look on every idle one.
	res, err := w.Query(context.Background(), "SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'temp'", 0)
	require.NoError(t, err)
	require.Equal(t, int64(0), res.Values[0][0])
}

func TestIncrementalDuplicateKeys(t *testing.T) {
	e := newIncEnv(t)
	e.exec(base...)
	before := e.rows("SELECT * FROM t ORDER BY ALL")
	sql := `SELECT * FROM (VALUES (1, 'x'), (1, 'y'), (1, 'z'), (NULL, 'n1'), (NULL, 'n2'), (5, 'q'), (6, 'r'), (6, 's')) v(id, v)`
	for _, strategy := range []string{"merge", "delete+insert"} {
		_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, sql, warehouse.IncrementalOptions{Strategy: strategy, UniqueKey: []string{"id"}})
		var dup *warehouse.DuplicateKeyError
		require.ErrorAs(t, err, &dup, strategy)
		assert.Equal(t, int64(3), dup.Keys)
		assert.Equal(t, int64(7), dup.Rows)
		assert.Equal(t, [][]string{{"1"}, {"6"}, {"NULL"}}, dup.Examples)
		assert.Equal(t, []int64{3, 2, 2}, dup.Counts)
		assert.Equal(t, "the new batch for main.t holds 3 value(s) of unique_key (id) more than once (7 rows): "+
			"id=1 (3 rows), id=6 (2 rows), id=NULL (2 rows); fix the model or set dedupe: true to keep one row per key", err.Error())
		assert.Equal(t, before, e.rows("SELECT * FROM t ORDER BY ALL"))
	}
	// Repeated NULL keys alone are repeats too; one NULL key is not.
	_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, `SELECT * FROM (VALUES (NULL, 'a'), (2, 'b'), (NULL, 'c')) v(id, v)`,
		warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}})
	require.ErrorContains(t, err, "holds 1 value(s) of unique_key (id) more than once (2 rows): id=NULL (2 rows);")
	_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, `SELECT * FROM (VALUES (NULL, 'a'), (2, 'b'), (2, 'c')) v(id, v)`,
		warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}})
	require.ErrorContains(t, err, "holds 1 value(s) of unique_key (id) more than once (2 rows): id=2 (2 rows);")
	// Keys compare with their collation, as the merge matches them, also
	// in a composite key.
	nocase := `SELECT * FROM (VALUES ('A', 1, 'x'), ('a', 1, 'y')) v(k, n, v)`
	for _, key := range [][]string{{"k"}, {"k", "n"}} {
		_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "nocase"}, "SELECT k COLLATE NOCASE AS k, n, v FROM ("+nocase+")",
			warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: key})
		require.ErrorAs(t, err, new(*warehouse.DuplicateKeyError), "%v", key)
	}
	// Composite keys name every part.
	_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, `SELECT 1 AS id, 'a' AS v UNION ALL SELECT 1, 'a' UNION ALL SELECT 1, 'b'`,
		warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id", "v"}})
	require.ErrorContains(t, err, "holds 1 value(s) of unique_key (id, v) more than once (2 rows): id=1 v=a (2 rows);")
	// The first run is checked too.
	_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "fresh"}, sql, warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}})
	require.ErrorAs(t, err, new(*warehouse.DuplicateKeyError))
	kind := e.rows("SELECT count(*) FROM information_schema.tables WHERE table_name = 'fresh'")
	assert.Equal(t, []string{"0"}, kind)
	// Append does not care.
	res, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, "SELECT id, v, 0 AS n, NULL::TIMESTAMP AS ts FROM ("+sql+")",
		warehouse.IncrementalOptions{Strategy: "append", UniqueKey: []string{"id"}})
	require.NoError(t, err)
	assert.Equal(t, int64(8), res.Rows)
}

func TestIncrementalDedupeIsDeterministic(t *testing.T) {
	e := newIncEnv(t)
	rows := []string{"(1, 'b', 2)", "(1, 'a', 9)", "(1, 'b', NULL)", "(2, 'x', 1)", "(2, 'x', 1)"}
	var got []string
	for i := range rows {
		// Every rotation of the input keeps the same row per key.
		rot := append(append([]string{}, rows[i:]...), rows[:i]...)
		sql := "SELECT * FROM (VALUES " + strings.Join(rot, ", ") + ") v(id, v, n)"
		_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "d"}, sql,
			warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, Dedupe: true, Replace: true})
		require.NoError(t, err)
		r := strings.Join(e.rows("SELECT * FROM d ORDER BY id"), ",")
		if got != nil {
			assert.Equal(t, got[0], r)
		}
		got = append(got, r)
	}
	assert.Equal(t, "1|b|2,2|x|1", got[0])
}

func TestIncrementalSchemaChange(t *testing.T) {
	batch := `SELECT 1 AS id, CAST(5 AS BIGINT) AS n, 'new' AS extra`
	t.Run("fail names the columns", func(t *testing.T) {
		e := newIncEnv(t)
		e.exec(base...)
		_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, batch,
			warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, OnSchemaChange: "fail"})
		var sc *warehouse.SchemaChangeError
		require.ErrorAs(t, err, &sc)
		assert.Equal(t, []warehouse.Column{{Name: "extra", Type: "VARCHAR"}}, sc.Added)
		assert.Equal(t, []warehouse.Column{{Name: "v", Type: "VARCHAR"}, {Name: "ts", Type: "TIMESTAMP"}}, sc.Removed)
		assert.Equal(t, []warehouse.TypeChange{{Name: "n", From: "INTEGER", To: "BIGINT"}}, sc.Changed)
		assert.Equal(t, "the columns of main.t and of the new batch differ (on_schema_change: fail): new columns extra VARCHAR; "+
			"missing columns v, ts; column n changed type from INTEGER to BIGINT; "+
			"set on_schema_change to append_new_columns or sync_all_columns, or run with --full-refresh", err.Error())
		assert.Equal(t, []string{"id INTEGER", "v VARCHAR", "n INTEGER", "ts TIMESTAMP"}, e.columns("t"))
	})
	t.Run("ignore skips new columns but refuses missing ones", func(t *testing.T) {
		e := newIncEnv(t)
		e.exec(base...)
		_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, batch,
			warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}})
		require.ErrorContains(t, err, "(on_schema_change: ignore): missing columns v, ts;")
		res, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"},
			`SELECT 1 AS id, 'x' AS v, CAST(7 AS BIGINT) AS n, TIMESTAMP '2026-01-01' AS ts, 'no' AS extra`,
			warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}})
		require.NoError(t, err)
		assert.Empty(t, res.SchemaChanges)
		assert.Equal(t, []string{"id INTEGER", "v VARCHAR", "n INTEGER", "ts TIMESTAMP"}, e.columns("t"))
		assert.Equal(t, []string{"1|x|7|2026-01-01 00:00:00"}, e.rows("SELECT * FROM t WHERE id = 1"))
	})
	t.Run("append_new_columns keeps missing columns", func(t *testing.T) {
		e := newIncEnv(t)
		e.exec(base...)
		res, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, batch,
			warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, OnSchemaChange: "append_new_columns"})
		require.NoError(t, err)
		assert.Equal(t, []string{"added column extra VARCHAR"}, res.SchemaChanges)
		assert.Equal(t, []string{"id INTEGER", "v VARCHAR", "n INTEGER", "ts TIMESTAMP", "extra VARCHAR"}, e.columns("t"))
		assert.Equal(t, []string{"1|a|5|2026-03-01 10:00:00|new"}, e.rows("SELECT * FROM t WHERE id = 1"))
	})
	t.Run("sync_all_columns keeps a wider type", func(t *testing.T) {
		e := newIncEnv(t)
		e.exec(`CREATE TABLE t AS SELECT CAST(1 AS BIGINT) AS id, 'x' AS v, DATE '2026-01-01' AS d`)
		res, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, `SELECT 2 AS id, 42 AS v, TIMESTAMP '2026-01-02 03:00:00' AS d`,
			warehouse.IncrementalOptions{Strategy: "append", OnSchemaChange: "sync_all_columns"})
		require.NoError(t, err)
		assert.Equal(t, []string{"widened column d from DATE to TIMESTAMP"}, res.SchemaChanges)
		assert.Equal(t, []string{"id BIGINT", "v VARCHAR", "d TIMESTAMP"}, e.columns("t"))
		assert.Equal(t, []string{"1|x|2026-01-01 00:00:00", "2|42|2026-01-02 03:00:00"}, e.rows("SELECT * FROM t ORDER BY id"))
	})
	t.Run("sync_all_columns that cannot convert changes nothing", func(t *testing.T) {
		e := newIncEnv(t)
		e.exec(`CREATE TABLE t AS SELECT 1 AS id, 42 AS v`)
		_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, `SELECT 2 AS id, DATE '2026-01-01' AS v, 1 AS extra`,
			warehouse.IncrementalOptions{Strategy: "append", OnSchemaChange: "sync_all_columns"})
		require.ErrorContains(t, err, "on_schema_change sync_all_columns: changed column v from INTEGER to DATE:")
		assert.Equal(t, []string{"id INTEGER", "v INTEGER"}, e.columns("t"))
		assert.Equal(t, []string{"1|42"}, e.rows("SELECT * FROM t"))
	})
}

func TestWidens(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{"INTEGER", "BIGINT", true}, {"BIGINT", "INTEGER", false}, {"UINTEGER", "BIGINT", true}, {"UBIGINT", "BIGINT", false},
		{"INTEGER", "DOUBLE", true}, {"BIGINT", "DOUBLE", false}, {"FLOAT", "DOUBLE", true}, {"DOUBLE", "FLOAT", false},
		{"DECIMAL(10,2)", "DECIMAL(12,2)", true}, {"DECIMAL(10,2)", "DECIMAL(10,3)", false}, {"DECIMAL(10,2)", "DECIMAL(12,4)", true},
		{"INTEGER", "DECIMAL(12,2)", true}, {"INTEGER", "DECIMAL(10,2)", false},
		{"DATE", "TIMESTAMP", true}, {"TIMESTAMP", "DATE", false}, {"TIMESTAMP", "TIMESTAMP_NS", true},
		{"INTEGER", "VARCHAR", true}, {"VARCHAR", "INTEGER", false}, {"BOOLEAN", "DATE", false}, {"INTEGER", "INTEGER", false},
	} {
		assert.Equal(t, c.want, widens(c.from, c.to), "%s -> %s", c.from, c.to)
	}
}

func TestMicrobatchWindow(t *testing.T) {
	e := newIncEnv(t)
	e.exec(base...)
	opt := warehouse.IncrementalOptions{Strategy: "microbatch", EventTime: "ts", BatchStart: day(2), BatchEnd: day(3)}
	_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"},
		`SELECT 8 AS id, 'h' AS v, 1 AS n, TIMESTAMP '2026-03-03 00:00:00' AS ts UNION ALL SELECT 9, 'i', 1, NULL`, opt)
	require.ErrorContains(t, err, "2 row(s) of the batch [2026-03-02 00:00:00, 2026-03-03 00:00:00) for main.t have an event_time (ts) outside that window or NULL")

	// The same batch twice changes nothing the second time; an empty batch
	// empties its window.
	one := `SELECT 7 AS id, 'g' AS v, 70 AS n, TIMESTAMP '2026-03-02 05:00:00' AS ts`
	for range 2 {
		_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, one, opt)
		require.NoError(t, err)
		assert.Equal(t, []string{"1", "2", "7"}, e.rows("SELECT id FROM t ORDER BY id"))
	}
	res, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, one+" WHERE false", opt)
	require.NoError(t, err)
	assert.Equal(t, warehouse.IncrementalResult{Deleted: 1}, res)
	assert.Equal(t, []string{"1", "2"}, e.rows("SELECT id FROM t ORDER BY id"))

	// TIMESTAMPTZ and DATE event times compare in UTC.
	e.exec(`SET TimeZone = 'America/New_York'`)
	e.exec(`CREATE TABLE tz AS SELECT TIMESTAMPTZ '2026-03-02 00:30:00+00' AS ts, DATE '2026-03-02' AS d`)
	res, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "tz"}, `SELECT TIMESTAMPTZ '2026-03-02 23:30:00+00' AS ts, DATE '2026-03-02' AS d`, opt)
	require.NoError(t, err)
	assert.Equal(t, int64(1), res.Deleted)
	opt.EventTime = "d"
	res, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "tz"}, `SELECT TIMESTAMPTZ '2026-03-02 23:30:00+00' AS ts, DATE '2026-03-02' AS d`, opt)
	require.NoError(t, err)
	assert.Equal(t, int64(1), res.Deleted)

	latest, ok, err := e.w.LatestEventTime(e.ctx, warehouse.Relation{Name: "tz"}, "ts")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC), latest)
	_, ok, err = e.w.LatestEventTime(e.ctx, warehouse.Relation{Name: "missing"}, "ts")
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, one, warehouse.IncrementalOptions{Strategy: "microbatch", EventTime: "ts"})
	require.ErrorContains(t, err, "is empty")
}

func TestIncrementalErrors(t *testing.T) {
	e := newIncEnv(t)
	e.exec(base...)
	e.exec(`CREATE VIEW vw AS SELECT 1 AS id`)
	before := e.rows("SELECT * FROM t ORDER BY ALL")
	for _, c := range []struct {
		name, sql string
		opt       warehouse.IncrementalOptions
		rel       string
		err       string
	}{
		{"unknown strategy", batch, warehouse.IncrementalOptions{Strategy: "upsert"}, "t", `unknown incremental_strategy "upsert"`},
		{"delete+insert without key", batch, warehouse.IncrementalOptions{Strategy: "delete+insert"}, "t", "needs a unique_key"},
		{"missing key column", batch, warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"nope"}}, "t", `unique_key "nope" is not a column of the new batch (columns: id, v, n, ts)`},
		{"bad update column", batch, warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, MergeUpdateColumns: []string{"zz"}}, "t", `merge_update_columns: "zz" is not a column`},
		{"sql error", "SELECT 1 AS id, 'x' AS v, 1 AS n, now() AS ts FROM nowhere", warehouse.IncrementalOptions{Strategy: "append"}, "t", "nowhere"},
		{"bad predicate", batch, warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, IncrementalPredicates: []string{"nope > 1"}}, "t", "nope"},
		{"view", batch, warehouse.IncrementalOptions{Strategy: "append"}, "vw", "main.vw is a view, not a table: run with --full-refresh"},
		{"insert_overwrite without partition", batch, warehouse.IncrementalOptions{Strategy: "insert_overwrite"}, "t", "needs partition_by"},
		{"bad partition mapping", batch, warehouse.IncrementalOptions{Strategy: "insert_overwrite", PartitionBy: map[string]any{"field": "ts", "data_type": "timestamp", "granularity": "week"}}, "t", `unknown granularity "week"`},
	} {
		_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: c.rel}, c.sql, c.opt)
		require.ErrorContains(t, err, c.err, c.name)
		assert.Equal(t, before, e.rows("SELECT * FROM t ORDER BY ALL"), c.name)
	}
	assertNoTemps(t, e.w)
}

// TestIncrementalCancelBetweenStatements cancels a merge, a delete+insert
// and a schema change before each of their statements in turn: the table
// must be exactly as before every time.
func TestIncrementalCancelBetweenStatements(t *testing.T) {
	e := newIncEnv(t)
	e.exec(base...)
	before := e.rows("SELECT * FROM t ORDER BY ALL")
	cols := e.columns("t")
	for _, opt := range []warehouse.IncrementalOptions{
		{Strategy: "merge", UniqueKey: []string{"id"}},
		{Strategy: "delete+insert", UniqueKey: []string{"id"}},
		{Strategy: "merge", UniqueKey: []string{"id"}, OnSchemaChange: "sync_all_columns"},
	} {
		sql := batch
		if opt.OnSchemaChange != "" {
			sql = `SELECT 2 AS id, CAST(1 AS BIGINT) AS n, 'e' AS extra`
		}
		for stop := 1; ; stop++ {
			ctx, cancel := context.WithCancel(e.ctx)
			seen := 0
			_, err := e.w.Incremental(withTrace(ctx, func(string) {
				seen++
				if seen == stop {
					cancel()
				}
			}), warehouse.Relation{Name: "t"}, sql, opt)
			cancel()
			if seen < stop {
				require.NoError(t, err) // ran to the end: every step was interrupted once
				break
			}
			require.ErrorIs(t, err, context.Canceled, "%s stop %d", opt.Strategy, stop)
			require.Equal(t, before, e.rows("SELECT * FROM t ORDER BY ALL"), "%s stop %d", opt.Strategy, stop)
			require.Equal(t, cols, e.columns("t"))
			assertNoTemps(t, e.w)
		}
		e.exec("DROP TABLE t")
		e.exec(base...)
	}
}

func TestIncrementalConflictRetries(t *testing.T) {
	// Concurrent merges into one table are serialized and all applied.
	e := newIncEnv(t)
	e.exec(`CREATE TABLE c AS SELECT 0 AS id, 0 AS n`)
	errs := make(chan error, 8)
	for i := 1; i <= 8; i++ {
		go func() {
			_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "c"}, fmt.Sprintf("SELECT %d AS id, %d AS n", i%4, i),
				warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}})
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, []string{"4"}, e.rows("SELECT count(*) FROM c"))
}

// TestIncrementalStageDropped: the batch is staged before the transaction
// begins, so a rollback does not remove it; with one pooled connection (so
// every session and the check below share it), no staged table may outlive
// a failed, cancelled or successful run.
func TestIncrementalStageDropped(t *testing.T) {
	e := newIncEnv(t)
	e.w.db.SetMaxOpenConns(1)
	e.exec(base...)
	opt := warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}}
	_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, `SELECT * FROM (VALUES (1, 'x'), (1, 'y')) v(id, v)`, opt)
	require.ErrorAs(t, err, new(*warehouse.DuplicateKeyError))
	assertNoTemps(t, e.w)
	_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, `SELECT 1 AS id, 'x' AS nope_no_column`, warehouse.IncrementalOptions{
		Strategy: "merge", UniqueKey: []string{"id"}, OnSchemaChange: "fail"})
	require.Error(t, err)
	assertNoTemps(t, e.w)
	for stop := 1; stop < 4; stop++ {
		ctx, cancel := context.WithCancel(e.ctx)
		seen := 0
		_, err := e.w.Incremental(withTrace(ctx, func(string) {
			if seen++; seen == stop {
				cancel()
			}
		}), warehouse.Relation{Name: "t"}, batch, opt)
		cancel()
		require.ErrorIs(t, err, context.Canceled)
		assertNoTemps(t, e.w)
	}
	_, err = e.w.Incremental(e.ctx, warehouse.Relation{Name: "t"}, batch, opt)
	require.NoError(t, err)
	assertNoTemps(t, e.w)
	_, err = e.w.Snapshot(e.ctx, warehouse.Relation{Name: "snap"}, `SELECT * FROM (VALUES (1, 'x'), (1, 'y')) v(id, v)`,
		warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id"}, CheckCols: []string{"v"}})
	require.Error(t, err)
	assertNoTemps(t, e.w)
}
