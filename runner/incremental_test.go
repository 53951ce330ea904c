package runner

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

func TestBatchWindows(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := parseTime(s)
		require.NoError(t, err)
		return tm
	}
	format := func(ws [][2]time.Time) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w[0].Format(time.DateTime)+" - "+w[1].Format(time.DateTime))
		}
		return out
	}
	for _, c := range []struct {
		size, start, end string
		want             []string
	}{
		{"day", "2026-03-01 10:00:00", "2026-03-03", []string{"2026-03-01 00:00:00 - 2026-03-02 00:00:00", "2026-03-02 00:00:00 - 2026-03-03 00:00:00"}},
		{"day", "2026-03-01", "2026-03-02 00:00:01", []string{"2026-03-01 00:00:00 - 2026-03-02 00:00:00", "2026-03-02 00:00:00 - 2026-03-03 00:00:00"}},
		{"hour", "2026-03-01 10:30:00", "2026-03-01 12:00:00", []string{"2026-03-01 10:00:00 - 2026-03-01 11:00:00", "2026-03-01 11:00:00 - 2026-03-01 12:00:00"}},
		{"month", "2026-01-31", "2026-03-01", []string{"2026-01-01 00:00:00 - 2026-02-01 00:00:00", "2026-02-01 00:00:00 - 2026-03-01 00:00:00"}},
		{"year", "2025-06-01", "2026-01-02", []string{"2025-01-01 00:00:00 - 2026-01-01 00:00:00", "2026-01-01 00:00:00 - 2027-01-01 00:00:00"}},
		{"day", "2026-03-02", "2026-03-01", nil},
		{"day", "2026-03-01T10:00:00+02:00", "2026-03-01T23:00:00Z", []string{"2026-03-01 00:00:00 - 2026-03-02 00:00:00"}},
	} {
		assert.Equal(t, c.want, format(batchWindows(at(c.start), at(c.end), c.size)), "%s %s..%s", c.size, c.start, c.end)
	}
	assert.Equal(t, at("2026-02-28"), addBatches(at("2026-03-01"), "day", -1))
	assert.Equal(t, at("2026-01-01"), addBatches(at("2026-03-01"), "month", -2))
	_, err := parseTime("March 1st")
	assert.ErrorContains(t, err, `"March 1st" is not a date`)
}

func TestIncrementalConfig(t *testing.T) {
	node := func(c compiler.Config) *compiler.Node { return &compiler.Node{Name: "m", Config: c} }

	opt, err := incrementalOptions(node(compiler.Config{}))
	require.NoError(t, err)
	assert.Equal(t, "append", opt.Strategy)
	opt, err = incrementalOptions(node(compiler.Config{"unique_key": []any{"a", "b"}, "merge_exclude_columns": "c", "dedupe": true}))
	require.NoError(t, err)
	assert.Equal(t, warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"a", "b"}, MergeExcludeColumns: []string{"c"}, Dedupe: true}, opt)
	_, err = incrementalOptions(node(compiler.Config{"incremental_strategy": "upsert"}))
	assert.ErrorContains(t, err, `unknown incremental_strategy "upsert" (expected one of merge, append, delete+insert, insert_overwrite, microbatch)`)
	_, err = incrementalOptions(node(compiler.Config{"incremental_strategy": "microbatch"}))
	assert.ErrorContains(t, err, "needs an event_time column")
	_, err = incrementalOptions(node(compiler.Config{"incremental_strategy": "microbatch", "event_time": "ts"}))
	assert.NoError(t, err)
	opt, err = incrementalOptions(node(compiler.Config{"on_schema_change": "sync"}))
	require.NoError(t, err, "an unknown on_schema_change is ignored, as dbt does (the compile warns)")
	assert.Equal(t, warehouse.SchemaIgnore, opt.OnSchemaChange)

	mb, err := microbatchConfig(node(compiler.Config{"batch_size": "Day", "lookback": 3, "begin": "2026-03-01"}))
	require.NoError(t, err)
	assert.Equal(t, microbatch{size: "day", lookback: 3, begin: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}, mb)
	mb, err = microbatchConfig(node(compiler.Config{"batch_size": "hour"}))
	require.NoError(t, err)
	assert.Equal(t, 1, mb.lookback, "dbt's default lookback is one batch")
	_, err = microbatchConfig(node(compiler.Config{"batch_size": "week"}))
	assert.ErrorContains(t, err, `unknown batch_size "week"`)
	_, err = microbatchConfig(node(compiler.Config{"batch_size": "day", "lookback": "two"}))
	assert.ErrorContains(t, err, "lookback must be a whole number")

	sopt, err := snapshotOptions(node(compiler.Config{"strategy": "check", "unique_key": "id", "invalidate_hard_deletes": true,
		"snapshot_meta_column_names": map[string]any{"dbt_valid_from": "vf", "dbt_is_deleted": "gone"}}))
	require.NoError(t, err)
	assert.Equal(t, warehouse.SnapshotOptions{Strategy: "check", UniqueKey: []string{"id"}, HardDeletes: "invalidate", ValidFrom: "vf", IsDeleted: "gone"}, sopt)
	_, err = snapshotOptions(node(compiler.Config{"strategy": "check", "unique_key": "id", "snapshot_meta_column_names": map[string]any{"valid_from": "x"}}))
	assert.ErrorContains(t, err, `unknown key "valid_from"`)
	_, err = snapshotOptions(node(compiler.Config{"strategy": "timestamp", "unique_key": "id"}))
	assert.ErrorContains(t, err, "needs updated_at")
}
