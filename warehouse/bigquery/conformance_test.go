package bigquery

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
	"github.com/mart-dev/mart/warehouse/warehousetest"
)

// openFake opens the adapter on a fresh fake, which runs the SQL it is
// sent (on DuckDB): nothing is scripted, failures and cancellation are
// the engine's own.
func openFake(t *testing.T) warehouse.Warehouse {
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddDataset("proj", "mart", "EU")
	w, err := Open(context.Background(), Config{Project: "proj", Dataset: "mart", Location: "EU", APIEndpoint: fake.URL()})
	require.NoError(t, err)
	return w
}

// TestConformanceFake runs the whole conformance suite against the fake.
func TestConformanceFake(t *testing.T) {
	warehousetest.Run(t, openFake)
}

// TestIncrementalConformanceFake runs the incremental strategies and
// snapshots of the conformance suite against the fake.
func TestIncrementalConformanceFake(t *testing.T) {
	warehousetest.RunIncremental(t, openFake)
}

// TestScenariosFake runs, on the fake, paths of the adapter the suite does
// not take (range and static partitions, DATE microbatches, NULL keys,
// valid_to_current, repartitioning, seed column types, widening) and
// checks the rows they leave.
func TestScenariosFake(t *testing.T) {
	e := newFake(t)
	w := e.w
	run := func(name string, sql string, opt warehouse.IncrementalOptions) warehouse.IncrementalResult {
		t.Helper()
		res, err := w.Incremental(e.ctx, rel(name), sql, opt)
		require.NoError(t, err, name)
		return res
	}
	create := func(name, sql string, opt warehouse.TableOptions) {
		t.Helper()
		_, err := w.CreateTable(e.ctx, rel(name), sql, opt)
		require.NoError(t, err, name)
	}
	rows := func(sql string) []string {
		t.Helper()
		r, err := w.Query(e.ctx, sql, 0)
		require.NoError(t, err, sql)
		var out []string
		for _, row := range r.Values {
			var parts []string
			for _, v := range row {
				if tm, ok := v.(time.Time); ok {
					v = tm.Format("01-02T15:04")
				}
				parts = append(parts, fmt.Sprint(v))
			}
			out = append(out, strings.Join(parts, "|"))
		}
		sort.Strings(out)
		return out
	}

	byStore := map[string]any{"field": "store", "data_type": "int64", "range": map[string]any{"start": 0, "end": 100, "interval": 10}}
	create("io", "select 1 as id, 5 as store union all select 2, 15 union all select 3, 25", warehouse.TableOptions{PartitionBy: byStore})
	run("io", "select 4 as id, 12 as store", warehouse.IncrementalOptions{Strategy: warehouse.StrategyInsertOverwrite, PartitionBy: byStore})
	assert.Equal(t, []string{"1|5", "3|25", "4|12"}, rows("select id, store from `proj.mart.io`"), "the [10, 20) bucket is replaced")

	byDay := map[string]any{"field": "d", "data_type": "date"}
	create("sp", "select 1 as id, date '2026-03-01' as d union all select 2, date '2026-03-02'", warehouse.TableOptions{PartitionBy: byDay})
	run("sp", "select 3 as id, date '2026-03-01' as d", warehouse.IncrementalOptions{Strategy: warehouse.StrategyInsertOverwrite,
		PartitionBy: byDay, Partitions: []string{"DATE '2026-03-01'"}})
	assert.Equal(t, []string{"2|03-02T00:00", "3|03-01T00:00"}, rows("select id, d from `proj.mart.sp`"), "static partitions")

	create("mb", "select 1 as id, date '2026-03-01' as d union all select 2, date '2026-03-02'", warehouse.TableOptions{})
	run("mb", "select 3 as id, date '2026-03-02' as d", warehouse.IncrementalOptions{Strategy: warehouse.StrategyMicrobatch, EventTime: "d",
		BatchStart: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), BatchEnd: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)})
	assert.Equal(t, []string{"1|03-01T00:00", "3|03-02T00:00"}, rows("select id, d from `proj.mart.mb`"), "a DATE microbatch")

	create("nk", "select cast(null as int64) as id, 'a' as v", warehouse.TableOptions{})
	for range 2 {
		run("nk", "select cast(null as int64) as id, 'b' as v union all select 1, 'c'", warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"id"}})
	}
	run("nk", "select cast(null as int64) as id, 'd' as v", warehouse.IncrementalOptions{Strategy: warehouse.StrategyDeleteInsert, UniqueKey: []string{"id"}})
	assert.Equal(t, []string{"1|c", "<nil>|d"}, rows("select id, v from `proj.mart.nk`"), "NULL keys match NULL keys")

	opt := warehouse.SnapshotOptions{Strategy: warehouse.SnapshotCheck, UniqueKey: []string{"id"}, ValidToCurrent: "TIMESTAMP '9999-12-31 00:00:00+00'",
		HardDeletes: warehouse.HardDeletesInvalidate, Now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	_, err := w.Snapshot(e.ctx, rel("sn"), "select 1 as id, 'a' as v union all select 2, 'b'", opt)
	require.NoError(t, err)
	opt.Now = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	sr, err := w.Snapshot(e.ctx, rel("sn"), "select 1 as id, 'A' as v", opt)
	require.NoError(t, err)
	assert.Equal(t, warehouse.SnapshotResult{Inserted: 1, Closed: 2}, sr)
	assert.Equal(t, []string{"1|A|03-02T00:00|12-31T00:00", "1|a|03-01T00:00|03-02T00:00", "2|b|03-01T00:00|03-02T00:00"},
		rows("select id, v, dbt_valid_from, dbt_valid_to from `proj.mart.sn`"), "valid_to_current")

	res := run("sp", "select 9 as id, date '2026-04-01' as d", warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend, Replace: true,
		Table: warehouse.TableOptions{PartitionBy: map[string]any{"field": "d", "data_type": "date", "granularity": "month"}}})
	assert.True(t, res.Created)
	assert.Equal(t, []string{"9|04-01T00:00"}, rows("select id, d from `proj.mart.sp`"))
	tbl, _ := e.fake.Table("proj", "mart", "sp")
	assert.Equal(t, "MONTH(d)", tbl.Partitioning.String(), "repartitioned through a swap")

	p := filepath.Join(t.TempDir(), "s.csv")
	require.NoError(t, os.WriteFile(p, []byte("a,b,c\n1.5,2024-01-01,2024-01-01 10:00:00\n,,\n"), 0o644))
	_, err = w.LoadSeed(e.ctx, rel("seed"), p, warehouse.SeedOptions{ColumnTypes: map[string]string{"a": "decimal(3,1)", "c": "timestamp"}})
	require.NoError(t, err)
	cols, _, err := w.Describe(e.ctx, rel("seed"))
	require.NoError(t, err)
	assert.Equal(t, []warehouse.Column{{Name: "a", Type: "NUMERIC"}, {Name: "b", Type: "DATE"}, {Name: "c", Type: "TIMESTAMP"}}, cols)
	assert.Equal(t, []string{"1.5|01-01T00:00|01-01T10:00", "<nil>|<nil>|<nil>"}, rows("select a, b, c from `proj.mart.seed`"))

	create("sy", "select 1 as id, 2 as n", warehouse.TableOptions{})
	res = run("sy", "select 2 as id, cast(2.5 as numeric) as n", warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge,
		UniqueKey: []string{"id"}, OnSchemaChange: warehouse.SchemaSyncAllColumns})
	assert.Equal(t, []string{"widened column n from INT64 to NUMERIC"}, res.SchemaChanges)
	assert.Equal(t, []string{"1|2", "2|2.5"}, rows("select id, n from `proj.mart.sy`"))
}
