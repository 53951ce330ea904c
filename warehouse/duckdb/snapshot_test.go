package duckdb

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// srcRows is a select of (id, v, updated_at) rows: "1:a:3" is id 1, v 'a',
// updated at 2026-03-03.
func srcRows(rows ...string) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		f := strings.Split(r, ":")
		parts[i] = "SELECT " + f[0] + " AS id, '" + f[1] + "' AS v, TIMESTAMP '2026-03-0" + f[2] + "' AS updated_at"
	}
	return strings.Join(parts, " UNION ALL ")
}

// TestSnapshotGolden runs a snapshot over two source states and pins the
// SQL of the second run.
func TestSnapshotGolden(t *testing.T) {
	march := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	cases := []struct {
		name          string
		opt           warehouse.SnapshotOptions
		first, second string
		query         string
		want          []string
		result        warehouse.SnapshotResult
	}{
		{name: "first_run",
			opt:    warehouse.SnapshotOptions{Strategy: "timestamp", UniqueKey: []string{"id"}, UpdatedAt: "updated_at"},
			second: srcRows("1:a:1", "2:b:1"),
			query:  "SELECT id, v, dbt_valid_from, dbt_valid_to, dbt_updated_at, dbt_scd_id = md5(id::VARCHAR || '|' || dbt_valid_from::VARCHAR) FROM s",
			want:   []string{"1|a|2026-03-01 00:00:00|NULL|2026-03-01 00:00:00|true", "2|b|2026-03-01 00:00:00|NULL|2026-03-01 00:00:00|true"},
			result: warehouse.SnapshotResult{Created: true, Inserted: 2}},
		{name: "timestamp",
			opt:   warehouse.SnapshotOptions{Strategy: "timestamp", UniqueKey: []string{"id"}, UpdatedAt: "updated_at", HardDeletes: "invalidate"},
			first: srcRows("1:a:1", "2:b:1", "3:c:1"), second: srcRows("1:a:1", "2:B:2", "4:d:2"),
			query: "SELECT id, v, dbt_valid_from, dbt_valid_to FROM s",
			want: []string{"1|a|2026-03-01 00:00:00|NULL", "2|B|2026-03-02 00:00:00|NULL", "2|b|2026-03-01 00:00:00|2026-03-02 00:00:00",
				"3|c|2026-03-01 00:00:00|2026-03-05 12:00:00", "4|d|2026-03-02 00:00:00|NULL"},
			result: warehouse.SnapshotResult{Inserted: 2, Closed: 2}},
		{name: "check",
			opt:   warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id"}, CheckCols: []string{"v"}},
			first: srcRows("1:a:1", "2:b:1"), second: srcRows("1:a:2", "2:B:1"),
			query: "SELECT id, v, dbt_valid_from, dbt_valid_to, dbt_updated_at FROM s",
			want: []string{"1|a|2026-03-04 12:00:00|NULL|2026-03-04 12:00:00", "2|B|2026-03-05 12:00:00|NULL|2026-03-05 12:00:00",
				"2|b|2026-03-04 12:00:00|2026-03-05 12:00:00|2026-03-04 12:00:00"},
			result: warehouse.SnapshotResult{Inserted: 1, Closed: 1}},
		{name: "key_expression_new_record",
			opt:   warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id || '-' || upper(v)"}, CheckCols: []string{"v"}, HardDeletes: "new_record"},
			first: srcRows("1:a:1", "2:b:1"), second: srcRows("1:a:2"),
			query: "SELECT id, v, dbt_valid_from, dbt_valid_to, dbt_is_deleted, dbt_scd_id = md5(id::VARCHAR || '-' || upper(v) || '|' || dbt_valid_from::VARCHAR) FROM s",
			want: []string{"1|a|2026-03-04 12:00:00|NULL|False|true", "2|b|2026-03-04 12:00:00|2026-03-05 12:00:00|False|true",
				"2|b|2026-03-05 12:00:00|NULL|True|true"},
			result: warehouse.SnapshotResult{Inserted: 1, Closed: 1}},
		{name: "check_all_new_record",
			opt:   warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id"}, CheckCols: []string{"all"}, HardDeletes: "new_record"},
			first: srcRows("1:a:1", "2:b:1"), second: srcRows("1:a:2"),
			query: "SELECT id, v, updated_at, dbt_valid_from, dbt_valid_to, dbt_is_deleted FROM s",
			want: []string{"1|a|2026-03-01 00:00:00|2026-03-04 12:00:00|2026-03-05 12:00:00|False",
				"1|a|2026-03-02 00:00:00|2026-03-05 12:00:00|NULL|False",
				"2|b|2026-03-01 00:00:00|2026-03-04 12:00:00|2026-03-05 12:00:00|False",
				"2|b|2026-03-01 00:00:00|2026-03-05 12:00:00|NULL|True"},
			result: warehouse.SnapshotResult{Inserted: 2, Closed: 2}},
		{name: "meta_names_valid_to_current",
			opt: warehouse.SnapshotOptions{Strategy: "timestamp", UniqueKey: []string{"id", "v"}, UpdatedAt: "updated_at", HardDeletes: "invalidate",
				ValidFrom: "valid_from", ValidTo: "valid_to", SCDID: "version_id", UpdatedAtColumn: "seen_at",
				ValidToCurrent: "TIMESTAMP '9999-12-31'"},
			first: srcRows("1:a:1", "1:b:1"), second: srcRows("1:a:3"),
			query: "SELECT id, v, valid_from, valid_to, seen_at FROM s",
			want: []string{"1|a|2026-03-01 00:00:00|2026-03-03 00:00:00|2026-03-01 00:00:00",
				"1|a|2026-03-03 00:00:00|9999-12-31 00:00:00|2026-03-03 00:00:00",
				"1|b|2026-03-01 00:00:00|2026-03-05 12:00:00|2026-03-01 00:00:00"},
			result: warehouse.SnapshotResult{Inserted: 1, Closed: 2}},
		{name: "new_column",
			opt:   warehouse.SnapshotOptions{Strategy: "timestamp", UniqueKey: []string{"id"}, UpdatedAt: "updated_at"},
			first: srcRows("1:a:1"), second: "SELECT *, 7 AS extra FROM (" + srcRows("1:a:2") + ")",
			query: "SELECT id, v, extra, dbt_valid_to FROM s",
			want:  []string{"1|a|7|NULL", "1|a|NULL|2026-03-02 00:00:00"},
			result: warehouse.SnapshotResult{Inserted: 1, Closed: 1,
				SchemaChanges: []string{"added column extra INTEGER"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newIncEnv(t)
			rel := warehouse.Relation{Name: "s"}
			if tc.first != "" {
				tc.opt.Now = march(4)
				_, err := e.w.Snapshot(e.ctx, rel, tc.first, tc.opt)
				require.NoError(t, err)
			}
			tc.opt.Now = march(5)
			var tr tracer
			res, err := e.w.Snapshot(withTrace(e.ctx, tr.record), rel, tc.second, tc.opt)
			require.NoError(t, err)
			assert.Equal(t, tc.result, res)
			assert.Equal(t, tc.want, e.rows(tc.query+" ORDER BY ALL"))
			goldenSQL(t, "snapshot_"+tc.name, tr.script())
			assertNoTemps(t, e.w)

			// The same source again changes nothing.
			tc.opt.Now = march(6)
			res, err = e.w.Snapshot(e.ctx, rel, tc.second, tc.opt)
			require.NoError(t, err)
			assert.Equal(t, warehouse.SnapshotResult{}, res)
			assert.Equal(t, tc.want, e.rows(tc.query+" ORDER BY ALL"))
		})
	}
}

func TestSnapshotErrors(t *testing.T) {
	e := newIncEnv(t)
	rel := warehouse.Relation{Name: "s"}
	opt := warehouse.SnapshotOptions{Strategy: "timestamp", UniqueKey: []string{"id"}, UpdatedAt: "updated_at"}
	_, err := e.w.Snapshot(e.ctx, rel, srcRows("1:a:1", "1:b:2", "2:c:1"), opt)
	require.ErrorContains(t, err, "holds 1 value(s) of unique_key (id) more than once (2 rows): id=1 (2 rows)")
	assert.Equal(t, []string{"0"}, e.rows("SELECT count(*) FROM information_schema.tables WHERE table_name = 's'"))

	_, err = e.w.Snapshot(e.ctx, rel, srcRows("1:a:1"), opt)
	require.NoError(t, err)
	before := e.rows("SELECT * FROM s ORDER BY ALL")
	for _, c := range []struct {
		name, sql string
		opt       warehouse.SnapshotOptions
		err       string
	}{
		{"no strategy", srcRows("1:a:1"), warehouse.SnapshotOptions{UniqueKey: []string{"id"}}, `unknown snapshot strategy ""`},
		{"no key", srcRows("1:a:1"), warehouse.SnapshotOptions{Strategy: "check"}, "needs a unique_key"},
		{"missing updated_at", "SELECT 1 AS id", opt, `updated_at "updated_at" is not a column of the snapshot's query`},
		{"missing check col", srcRows("1:a:1"), warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id"}, CheckCols: []string{"w"}}, `check_cols: "w" is not a column`},
		{"meta column in query", "SELECT *, 1 AS dbt_valid_to FROM (" + srcRows("1:a:2") + ")", opt, "selects a column named dbt_valid_to"},
		{"bad hard_deletes", srcRows("1:a:1"), warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id"}, HardDeletes: "purge"}, `unknown hard_deletes "purge"`},
		{"other meta names", srcRows("1:a:2"), warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id"}, ValidFrom: "vf"}, "has no column vf"},
		{"sql error", "SELECT * FROM nowhere", opt, "nowhere"},
	} {
		_, err := e.w.Snapshot(e.ctx, rel, c.sql, c.opt)
		require.ErrorContains(t, err, c.err, c.name)
		assert.Equal(t, before, e.rows("SELECT * FROM s ORDER BY ALL"), c.name)
	}
	assertNoTemps(t, e.w)
}
