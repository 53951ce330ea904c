package warehousetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// RunIncremental runs the conformance cases of [warehouse.Incrementer]:
// every strategy, duplicate keys, on_schema_change, first runs and
// replacement, atomicity under failure and cancellation, and snapshots. The
// warehouses open returns must implement warehouse.Incrementer. The SQL is
// portable (DuckDB and BigQuery); rows are compared as rendered text.
func RunIncremental(t *testing.T, open func(t *testing.T) warehouse.Warehouse) {
	tests := []struct {
		name string
		fn   func(e *incEnv)
	}{
		{"Append", testIncAppend},
		{"Merge", testIncMerge},
		{"MergeCompositeKeyAndColumns", testIncMergeColumns},
		{"DeleteInsert", testIncDeleteInsert},
		{"InsertOverwrite", testIncInsertOverwrite},
		{"Microbatch", testIncMicrobatch},
		{"DuplicateKeys", testIncDuplicates},
		{"OnSchemaChange", testIncSchemaChange},
		{"FirstRunAndReplace", testIncFirstRun},
		{"FailureAndCancelKeepTable", testIncFailure},
		{"SnapshotTimestamp", testSnapTimestamp},
		{"SnapshotCheckNewRecord", testSnapCheck},
		{"SnapshotKeyExpression", testSnapKeyExpression},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, open, strings.ToLower(tc.name))
			inc, ok := e.w.(warehouse.Incrementer)
			require.True(t, ok, "%T must implement warehouse.Incrementer", e.w)
			tc.fn(&incEnv{env: e, inc: inc})
		})
	}
}

type incEnv struct {
	*env
	inc warehouse.Incrementer
}

// rowsSQL is a portable select of (id, v, n) rows: "1:a:10" is
// select 1 as id, 'a' as v, 10 as n.
func rowsSQL(rows ...string) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		f := strings.Split(r, ":")
		parts[i] = fmt.Sprintf("select %s as id, '%s' as v, %s as n", f[0], f[1], f[2])
	}
	return strings.Join(parts, " union all ")
}

// table returns "id:v:n" for each row of name, sorted.
func (e *incEnv) table(name string) []string {
	e.t.Helper()
	var out []string
	for _, r := range e.query("select id, v, n from " + e.sqlOf(name)) {
		out = append(out, strings.Join(r, ":"))
	}
	sort.Strings(out)
	return out
}

func (e *incEnv) create(name string, rows ...string) {
	e.t.Helper()
	_, err := e.w.CreateTable(e.ctx, e.rel(name), rowsSQL(rows...), warehouse.TableOptions{})
	require.NoError(e.t, err)
}

func (e *incEnv) apply(name, sql string, opt warehouse.IncrementalOptions) warehouse.IncrementalResult {
	e.t.Helper()
	res, err := e.inc.Incremental(e.ctx, e.rel(name), sql, opt)
	require.NoError(e.t, err)
	return res
}

func testIncAppend(e *incEnv) {
	e.create("t", "1:a:10")
	res := e.apply("t", rowsSQL("1:a:10", "2:b:20"), warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend})
	assert.Equal(e.t, int64(2), res.Rows)
	assert.Equal(e.t, []string{"1:a:10", "1:a:10", "2:b:20"}, e.table("t"))
	// A merge without a unique key only inserts.
	e.apply("t", rowsSQL("3:c:30"), warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge})
	assert.Equal(e.t, []string{"1:a:10", "1:a:10", "2:b:20", "3:c:30"}, e.table("t"))
	e.noTemps()
}

func testIncMerge(e *incEnv) {
	e.create("t", "1:a:10", "2:b:20")
	opt := warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"id"}}
	batch := rowsSQL("2:B:21", "3:c:30")
	for range 2 { // the same batch twice gives the same table
		res := e.apply("t", batch, opt)
		assert.Equal(e.t, int64(2), res.Rows)
		assert.False(e.t, res.Created)
		assert.Equal(e.t, []string{"1:a:10", "2:B:21", "3:c:30"}, e.table("t"))
	}
	// Predicates narrow the rows a merge may update (dbt's semantics: a
	// batch row whose match is filtered out is inserted).
	opt.IncrementalPredicates = []string{"DBT_INTERNAL_DEST.n >= 25"}
	e.apply("t", rowsSQL("2:x:0", "3:y:0"), opt)
	assert.Equal(e.t, []string{"1:a:10", "2:B:21", "2:x:0", "3:y:0"}, e.table("t"))
	e.noTemps()
}

func testIncMergeColumns(e *incEnv) {
	e.create("t", "1:a:10", "1:b:20", "2:a:30")
	key := []string{"id", "v"}
	e.apply("t", rowsSQL("1:b:21", "2:b:40"), warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: key})
	assert.Equal(e.t, []string{"1:a:10", "1:b:21", "2:a:30", "2:b:40"}, e.table("t"))

	e.create("u", "1:a:10")
	e.apply("u", rowsSQL("1:x:11"), warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge,
		UniqueKey: []string{"id"}, MergeUpdateColumns: []string{"n"}})
	assert.Equal(e.t, []string{"1:a:11"}, e.table("u"))
	e.apply("u", rowsSQL("1:y:12"), warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge,
		UniqueKey: []string{"id"}, MergeExcludeColumns: []string{"n"}})
	assert.Equal(e.t, []string{"1:y:11"}, e.table("u"))
	e.noTemps()
}

func testIncDeleteInsert(e *incEnv) {
	e.create("t", "1:a:10", "1:b:11", "2:c:20")
	opt := warehouse.IncrementalOptions{Strategy: warehouse.StrategyDeleteInsert, UniqueKey: []string{"id", "v"}}
	for i := range 2 {
		res := e.apply("t", rowsSQL("1:b:12", "3:d:30"), opt)
		assert.Equal(e.t, int64(2), res.Rows)
		assert.Equal(e.t, int64(1+i), res.Deleted) // the second run replaces both rows
		assert.Equal(e.t, []string{"1:a:10", "1:b:12", "2:c:20", "3:d:30"}, e.table("t"))
	}
	e.noTemps()
}

func testIncInsertOverwrite(e *incEnv) {
	// Partitions are days of ts: the batch replaces exactly the days it holds.
	day := func(id, v, n int, ts string) string {
		return fmt.Sprintf("select %d as id, 'p%d' as v, %d as n, cast('%s' as timestamp) as ts", id, v, n, ts)
	}
	_, err := e.w.CreateTable(e.ctx, e.rel("t"), strings.Join([]string{
		day(1, 1, 10, "2026-03-01 10:00:00"), day(2, 1, 20, "2026-03-01 11:00:00"),
		day(3, 2, 30, "2026-03-02 10:00:00"), day(4, 3, 40, "2026-03-03 10:00:00"),
	}, " union all "), warehouse.TableOptions{})
	require.NoError(e.t, err)
	opt := warehouse.IncrementalOptions{Strategy: warehouse.StrategyInsertOverwrite,
		PartitionBy: map[string]any{"field": "ts", "data_type": "timestamp", "granularity": "day"}}
	batch := day(5, 1, 50, "2026-03-01 23:00:00") + " union all " + day(6, 4, 60, "2026-03-04 00:00:00")
	for range 2 {
		res := e.apply("t", batch, opt)
		assert.Equal(e.t, int64(2), res.Rows)
		assert.Equal(e.t, []string{"3:p2:30", "4:p3:40", "5:p1:50", "6:p4:60"}, e.table("t"))
	}
	e.noTemps()
}

func testIncMicrobatch(e *incEnv) {
	at := func(id int, ts string) string {
		return fmt.Sprintf("select %d as id, 'x' as v, 0 as n, cast('%s' as timestamp) as ts", id, ts)
	}
	_, err := e.w.CreateTable(e.ctx, e.rel("t"), at(1, "2026-03-01 10:00:00")+" union all "+at(2, "2026-03-02 10:00:00")+
		" union all "+at(3, "2026-03-03 00:00:00"), warehouse.TableOptions{})
	require.NoError(e.t, err)
	opt := warehouse.IncrementalOptions{Strategy: warehouse.StrategyMicrobatch, EventTime: "ts",
		BatchStart: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), BatchEnd: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}
	for range 2 {
		res := e.apply("t", at(4, "2026-03-02 01:00:00")+" union all "+at(5, "2026-03-02 23:59:59"), opt)
		assert.Equal(e.t, int64(2), res.Rows)
		assert.Equal(e.t, []string{"1:x:0", "3:x:0", "4:x:0", "5:x:0"}, e.table("t"))
	}
	// A row outside the window is refused: a re-run would not replace it.
	_, err = e.inc.Incremental(e.ctx, e.rel("t"), at(6, "2026-03-03 00:00:00"), opt)
	require.Error(e.t, err)
	assert.Contains(e.t, err.Error(), "outside that window")
	assert.Equal(e.t, []string{"1:x:0", "3:x:0", "4:x:0", "5:x:0"}, e.table("t"))

	latest, ok, err := e.inc.LatestEventTime(e.ctx, e.rel("t"), "ts")
	require.NoError(e.t, err)
	assert.True(e.t, ok)
	assert.Equal(e.t, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), latest)
	_, ok, err = e.inc.LatestEventTime(e.ctx, e.rel("missing"), "ts")
	require.NoError(e.t, err)
	assert.False(e.t, ok)
	e.noTemps()
}

func testIncDuplicates(e *incEnv) {
	e.create("t", "1:a:10")
	batch := rowsSQL("2:x:1", "2:y:2", "3:z:3", "3:z:3", "3:w:0", "4:q:4")
	for _, s := range []string{warehouse.StrategyMerge, warehouse.StrategyDeleteInsert} {
		_, err := e.inc.Incremental(e.ctx, e.rel("t"), batch, warehouse.IncrementalOptions{Strategy: s, UniqueKey: []string{"id"}})
		var dup *warehouse.DuplicateKeyError
		require.ErrorAs(e.t, err, &dup, s)
		assert.Equal(e.t, int64(2), dup.Keys)
		assert.Equal(e.t, int64(5), dup.Rows)
		assert.Equal(e.t, [][]string{{"3"}, {"2"}}, dup.Examples)
		assert.Equal(e.t, []int64{3, 2}, dup.Counts)
		assert.Equal(e.t, []string{"1:a:10"}, e.table("t"))
	}
	// Dedupe keeps the greatest row per key by the batch's columns.
	res := e.apply("t", batch, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"id"}, Dedupe: true})
	assert.Equal(e.t, int64(3), res.Deduplicated)
	assert.Equal(e.t, []string{"1:a:10", "2:y:2", "3:z:3", "4:q:4"}, e.table("t"))
	e.noTemps()
}

func testIncSchemaChange(e *incEnv) {
	key := []string{"id"}
	newCol := "select 2 as id, 'b' as v, 20 as n, true as flag"
	e.create("t", "1:a:10")
	_, err := e.inc.Incremental(e.ctx, e.rel("t"), newCol, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: key, OnSchemaChange: warehouse.SchemaFail})
	var sc *warehouse.SchemaChangeError
	require.ErrorAs(e.t, err, &sc)
	require.Len(e.t, sc.Added, 1)
	assert.Equal(e.t, "flag", sc.Added[0].Name)
	assert.Contains(e.t, err.Error(), "flag")
	assert.Equal(e.t, []string{"1:a:10"}, e.table("t"))

	// ignore: the new column is not written.
	e.apply("t", newCol, warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: key})
	cols, _, err := e.w.Describe(e.ctx, e.rel("t"))
	require.NoError(e.t, err)
	assert.Len(e.t, cols, 3)

	// append_new_columns adds it.
	res := e.apply("t", "select 3 as id, 'c' as v, 30 as n, true as flag", warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: key, OnSchemaChange: warehouse.SchemaAppendNewColumns})
	assert.Len(e.t, res.SchemaChanges, 1)
	assert.Equal(e.t, [][]string{{"1", "NULL"}, {"2", "NULL"}, {"3", "true"}}, e.query("select id, flag from "+e.sqlOf("t")+" order by id"))

	// sync_all_columns drops the columns the batch no longer has.
	e.apply("t", "select 4 as id, 40 as n", warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: key, OnSchemaChange: warehouse.SchemaSyncAllColumns})
	cols, _, err = e.w.Describe(e.ctx, e.rel("t"))
	require.NoError(e.t, err)
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	assert.Equal(e.t, []string{"id", "n"}, names)
	assert.Equal(e.t, [][]string{{"1", "10"}, {"2", "20"}, {"3", "30"}, {"4", "40"}}, e.query("select id, n from "+e.sqlOf("t")+" order by id"))
	e.noTemps()
}

func testIncFirstRun(e *incEnv) {
	opt := warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"id"}}
	res := e.apply("t", rowsSQL("1:a:10", "2:b:20"), opt)
	assert.True(e.t, res.Created)
	assert.Equal(e.t, int64(2), res.Rows)
	assert.Equal(e.t, []string{"1:a:10", "2:b:20"}, e.table("t"))

	opt.Replace = true
	res = e.apply("t", rowsSQL("3:c:30"), opt)
	assert.True(e.t, res.Created)
	assert.Equal(e.t, []string{"3:c:30"}, e.table("t"))

	// Replace also replaces a view.
	require.NoError(e.t, e.w.CreateView(e.ctx, e.rel("v"), rowsSQL("9:v:9")))
	_, err := e.inc.Incremental(e.ctx, e.rel("v"), rowsSQL("1:a:1"), warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend})
	require.Error(e.t, err, "an incremental run over a view needs a full refresh")
	e.apply("v", rowsSQL("1:a:1"), warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend, Replace: true})
	assert.Equal(e.t, "table", e.kind("v"))
	assert.Equal(e.t, []string{"1:a:1"}, e.table("v"))
	e.noTemps()
}

func testIncFailure(e *incEnv) {
	e.create("t", "1:a:10", "2:b:20")
	opt := warehouse.IncrementalOptions{Strategy: warehouse.StrategyDeleteInsert, UniqueKey: []string{"id"}}
	_, err := e.inc.Incremental(e.ctx, e.rel("t"), "select 1 as id, 'x' as v, cast('nan?' as integer) as n", opt)
	require.Error(e.t, err)
	assert.Equal(e.t, []string{"1:a:10", "2:b:20"}, e.table("t"))

	// Cancelled while the batch's select runs.
	ctx, cancel := context.WithCancel(e.ctx)
	timer := time.AfterFunc(100*time.Millisecond, cancel)
	slow := "select 1 as id, 'x' as v, 1 as n from (" + e.d.longQuery + ") as slow where n > 0"
	_, err = e.inc.Incremental(ctx, e.rel("t"), slow, opt)
	timer.Stop()
	cancel()
	require.Error(e.t, err)
	assert.True(e.t, errors.Is(err, context.Canceled), "%v", err)
	assert.Equal(e.t, []string{"1:a:10", "2:b:20"}, e.table("t"))

	// The same for snapshots.
	snap := warehouse.SnapshotOptions{Strategy: warehouse.SnapshotCheck, UniqueKey: []string{"id"}}
	_, err = e.inc.Snapshot(e.ctx, e.rel("s"), rowsSQL("1:a:1"), snap)
	require.NoError(e.t, err)
	ctx, cancel = context.WithCancel(e.ctx)
	timer = time.AfterFunc(100*time.Millisecond, cancel)
	_, err = e.inc.Snapshot(ctx, e.rel("s"), slow, snap)
	timer.Stop()
	cancel()
	assert.True(e.t, errors.Is(err, context.Canceled), "%v", err)
	assert.Equal(e.t, [][]string{{"1", "a", "true"}}, e.query("select id, v, dbt_valid_to is null from "+e.sqlOf("s")))
	e.noTemps()
}

// snapSQL is a portable select of (id, v, updated_at) rows: "1:a:3" is id
// 1, v 'a', updated on 2026-03-03.
func snapSQL(rows ...string) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		f := strings.Split(r, ":")
		day, _ := strconv.Atoi(f[2])
		parts[i] = fmt.Sprintf("select %s as id, '%s' as v, cast('2026-03-%02d 00:00:00' as timestamp) as updated_at", f[0], f[1], day)
	}
	return strings.Join(parts, " union all ")
}

// history renders a snapshot as sorted "id:v:from:to" rows, where from and
// to are days of March 2026 or "-" for NULL.
func (e *incEnv) history(name string, extra string) []string {
	e.t.Helper()
	var out []string
	q := "select id, v, extract(day from dbt_valid_from), coalesce(cast(extract(day from dbt_valid_to) as string), '-')" + extra + " from " + e.sqlOf(name)
	for _, r := range e.query(q) {
		out = append(out, strings.Join(r, ":"))
	}
	sort.Strings(out)
	return out
}

func testSnapTimestamp(e *incEnv) {
	opt := warehouse.SnapshotOptions{Strategy: warehouse.SnapshotTimestamp, UniqueKey: []string{"id"}, UpdatedAt: "updated_at",
		HardDeletes: warehouse.HardDeletesInvalidate, Now: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)}
	snap := func(rows ...string) warehouse.SnapshotResult {
		res, err := e.inc.Snapshot(e.ctx, e.rel("s"), snapSQL(rows...), opt)
		require.NoError(e.t, err)
		return res
	}
	res := snap("1:a:1", "2:b:1")
	assert.Equal(e.t, warehouse.SnapshotResult{Created: true, Inserted: 2}, res)
	// Unchanged rows (and a row whose updated_at did not move) add nothing.
	res = snap("1:a:1", "2:changed-without-updated_at:1")
	assert.Equal(e.t, warehouse.SnapshotResult{}, res)
	// 1 changes on day 2; 2 disappears (closed at the snapshot time); 3 is new.
	res = snap("1:A:2", "3:c:2")
	assert.Equal(e.t, warehouse.SnapshotResult{Inserted: 2, Closed: 2}, res)
	assert.Equal(e.t, []string{"1:A:2:-", "1:a:1:2", "2:b:1:10", "3:c:2:-"}, e.history("s", ""))
	// Re-running the same rows changes nothing.
	assert.Equal(e.t, warehouse.SnapshotResult{}, snap("1:A:2", "3:c:2"))
	assert.Equal(e.t, [][]string{{"4"}}, e.query("select count(distinct dbt_scd_id) from "+e.sqlOf("s")))
	e.noTemps()
}

func testSnapCheck(e *incEnv) {
	opt := warehouse.SnapshotOptions{Strategy: warehouse.SnapshotCheck, UniqueKey: []string{"id"}, CheckCols: []string{"v"},
		HardDeletes: warehouse.HardDeletesNewRecord}
	snap := func(day int, rows ...string) warehouse.SnapshotResult {
		opt.Now = time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC)
		res, err := e.inc.Snapshot(e.ctx, e.rel("s"), snapSQL(rows...), opt)
		require.NoError(e.t, err)
		return res
	}
	snap(1, "1:a:1", "2:b:1")
	// Only v is checked: a new updated_at alone is no change.
	assert.Equal(e.t, warehouse.SnapshotResult{}, snap(2, "1:a:2", "2:b:1"))
	// 1 changes; 2 is deleted: closed, and a deletion record starts.
	assert.Equal(e.t, warehouse.SnapshotResult{Inserted: 2, Closed: 2}, snap(3, "1:A:3"))
	// Still gone: nothing more. Then 2 comes back.
	assert.Equal(e.t, warehouse.SnapshotResult{}, snap(4, "1:A:3"))
	assert.Equal(e.t, warehouse.SnapshotResult{Inserted: 1, Closed: 1}, snap(5, "1:A:3", "2:b:5"))
	assert.Equal(e.t, []string{
		"1:A:3:-:False", "1:a:1:3:False",
		"2:b:1:3:False", "2:b:3:5:True", "2:b:5:-:False",
	}, e.history("s", ", dbt_is_deleted"))
	e.noTemps()
}

// testSnapKeyExpression is testSnapCheck with the key given as an SQL
// expression (dbt allows one): the history is the same, the table gets no
// column for the expression, and a repeated key names the expression.
func testSnapKeyExpression(e *incEnv) {
	key := "cast(id as string) || '#'"
	opt := warehouse.SnapshotOptions{Strategy: warehouse.SnapshotCheck, UniqueKey: []string{key}, CheckCols: []string{"v"},
		HardDeletes: warehouse.HardDeletesNewRecord}
	snap := func(day int, rows ...string) (warehouse.SnapshotResult, error) {
		opt.Now = time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC)
		return e.inc.Snapshot(e.ctx, e.rel("s"), snapSQL(rows...), opt)
	}
	must := func(day int, rows ...string) warehouse.SnapshotResult {
		res, err := snap(day, rows...)
		require.NoError(e.t, err)
		return res
	}
	assert.Equal(e.t, warehouse.SnapshotResult{Created: true, Inserted: 2}, must(1, "1:a:1", "2:b:1"))
	assert.Equal(e.t, warehouse.SnapshotResult{}, must(2, "1:a:2", "2:b:1"))
	assert.Equal(e.t, warehouse.SnapshotResult{Inserted: 2, Closed: 2}, must(3, "1:A:3"))
	assert.Equal(e.t, warehouse.SnapshotResult{}, must(4, "1:A:3"))
	assert.Equal(e.t, warehouse.SnapshotResult{Inserted: 1, Closed: 1}, must(5, "1:A:3", "2:b:5"))
	assert.Equal(e.t, []string{
		"1:A:3:-:False", "1:a:1:3:False",
		"2:b:1:3:False", "2:b:3:5:True", "2:b:5:-:False",
	}, e.history("s", ", dbt_is_deleted"))
	described, _, err := e.w.Describe(e.ctx, e.rel("s"))
	require.NoError(e.t, err)
	var cols []string
	for _, c := range described {
		cols = append(cols, strings.ToLower(c.Name))
	}
	assert.Equal(e.t, []string{"id", "v", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted"}, cols)

	_, err = snap(6, "1:A:3", "1:B:3")
	var dup *warehouse.DuplicateKeyError
	require.ErrorAs(e.t, err, &dup)
	assert.Equal(e.t, []string{key}, dup.Key)
	assert.Equal(e.t, [][]string{{"1#"}}, dup.Examples)
	e.noTemps()
}
