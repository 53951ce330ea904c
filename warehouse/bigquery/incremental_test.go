package bigquery

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

// report scripts the final SELECT of incremental and snapshot scripts.
func (e *fakeEnv) report(values map[string]any) {
	names := []string{"dup_keys", "dup_rows", "dup_examples", "outside", "rows_written", "rows_deleted", "rows_inserted", "rows_closed"}
	var schema []bqfake.Field
	var row []any
	for _, n := range names {
		if n == "dup_examples" {
			schema = append(schema, bqfake.Field{Name: n, Type: "STRUCT", Mode: "REPEATED", Fields: []bqfake.Field{
				{Name: "k", Type: "STRING", Mode: "REPEATED"}, {Name: "n", Type: "INT64"}}})
		} else {
			schema = append(schema, bqfake.Field{Name: n, Type: "INT64"})
		}
		row = append(row, values[n])
	}
	e.fake.OnQuery(`^SELECT mart_dup_keys`, bqfake.Result{Schema: schema, Rows: [][]any{row}})
}

func TestIncrementalResults(t *testing.T) {
	e := newFake(t)
	e.seedCatalog()
	e.table("fct_rentals", rentalCols)
	e.batch(rentalsSQL, rentalCols)
	e.report(map[string]any{"rows_written": 7, "rows_deleted": 3})
	res, err := e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyDeleteInsert, UniqueKey: []string{"rental_id"}})
	require.NoError(t, err)
	assert.Equal(t, warehouse.IncrementalResult{Rows: 7, Deleted: 3}, res)

	// Repeated keys: the script changed nothing and says which.
	e.report(map[string]any{"dup_keys": 2, "dup_rows": 5, "dup_examples": []any{
		[]any{[]any{"3"}, 3}, []any{[]any{"NULL"}, 2}}})
	_, err = e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyMerge, UniqueKey: []string{"rental_id"}})
	var dup *warehouse.DuplicateKeyError
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, &warehouse.DuplicateKeyError{Relation: warehouse.Relation{Database: "proj", Schema: "mart", Name: "fct_rentals"},
		Key: []string{"rental_id"}, Keys: 2, Rows: 5, Examples: [][]string{{"3"}, {"NULL"}}, Counts: []int64{3, 2}}, dup)

	// With dedupe, the same counts say how many rows were dropped.
	e.report(map[string]any{"dup_keys": 2, "dup_rows": 5, "rows_written": 4})
	res, err = e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyMerge, UniqueKey: []string{"rental_id"}, Dedupe: true})
	require.NoError(t, err)
	assert.Equal(t, warehouse.IncrementalResult{Rows: 4, Deduplicated: 3}, res)

	// Rows outside a microbatch window.
	e.report(map[string]any{"outside": 1})
	_, err = e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyMicrobatch, EventTime: "rented_at",
		BatchStart: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), BatchEnd: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 row(s) of the batch [2026-03-02 00:00:00, 2026-03-03 00:00:00) have an event_time (rented_at) outside that window")
}

func TestIncrementalRefusals(t *testing.T) {
	e := newFake(t)
	e.seedCatalog()
	e.table("fct_rentals", rentalCols)
	withFlag := append(append([]bqfake.Field{}, rentalCols...), bqfake.Field{Name: "is_late", Type: "BOOL"})
	e.batch(rentalsSQL, withFlag)
	_, err := e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyMerge, UniqueKey: []string{"rental_id"}, OnSchemaChange: warehouse.SchemaFail})
	var sc *warehouse.SchemaChangeError
	require.ErrorAs(t, err, &sc)
	assert.Equal(t, []warehouse.Column{{Name: "is_late", Type: "BOOL"}}, sc.Added)
	assert.Empty(t, e.fake.Queries(), "only the dry run ran")

	// append_new_columns adds the column and reports it.
	res, err := e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyAppend, OnSchemaChange: warehouse.SchemaAppendNewColumns})
	require.NoError(t, err)
	assert.Equal(t, []string{"added column is_late BOOL"}, res.SchemaChanges)
	tbl, _ := e.fake.Table("proj", "mart", "fct_rentals")
	assert.Len(t, tbl.Schema, 7)

	// ignore refuses a batch that lacks a table column.
	e.batch(customersSQL, customerCols)
	_, err = e.w.Incremental(e.ctx, rel("fct_rentals"), customersSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend})
	require.ErrorAs(t, err, &sc)

	// sync_all_columns cannot change STRING to INT64 in place.
	e.fake.OnQuery(`^SELECT 'x' AS`, bqfake.Result{Schema: []bqfake.Field{{Name: "rental_id", Type: "STRING"}}})
	_, err = e.w.Incremental(e.ctx, rel("fct_rentals"), "SELECT 'x' AS rental_id", warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyAppend, OnSchemaChange: warehouse.SchemaSyncAllColumns})
	require.ErrorAs(t, err, &sc)
	assert.Equal(t, []warehouse.TypeChange{{Name: "rental_id", From: "INT64", To: "STRING"}}, sc.Changed)

	// Missing key column; a view without Replace; bad options.
	_, err = e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{
		Strategy: warehouse.StrategyMerge, UniqueKey: []string{"nope"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unique_key "nope" is not a column of the new batch`)
	e.table("v", rentalCols, asView)
	_, err = e.w.Incremental(e.ctx, rel("v"), rentalsSQL, warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is a view, not a table: run with --full-refresh")
	_, err = e.w.Incremental(e.ctx, rel("fct_rentals"), rentalsSQL, warehouse.IncrementalOptions{Strategy: "upsert"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown incremental_strategy "upsert"`)
}

func TestSnapshotResults(t *testing.T) {
	e := newFake(t)
	e.seedCatalog()
	e.batch(customersSQL, customerCols)
	opt := warehouse.SnapshotOptions{Strategy: warehouse.SnapshotTimestamp, UniqueKey: []string{"id"}, UpdatedAt: "updated_at"}
	e.report(map[string]any{"rows_inserted": 100})
	res, err := e.w.Snapshot(e.ctx, rel("snap"), customersSQL, opt)
	require.NoError(t, err)
	assert.Equal(t, warehouse.SnapshotResult{Created: true, Inserted: 100}, res)
	_, ok := e.fake.Table("proj", "mart", "snap")
	assert.True(t, ok, "the fake created the table from the script's DDL")

	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "mart", Name: "snap",
		Schema: append(append([]bqfake.Field{}, customerCols...), snapshotMeta...)})
	e.report(map[string]any{"rows_inserted": 2, "rows_closed": 1})
	res, err = e.w.Snapshot(e.ctx, rel("snap"), customersSQL, opt)
	require.NoError(t, err)
	assert.Equal(t, warehouse.SnapshotResult{Inserted: 2, Closed: 1}, res)

	e.fake.OnQuery(`^SELECT id, updated_at, dbt_valid_to`, bqfake.Result{Schema: []bqfake.Field{{Name: "id", Type: "INT64"},
		{Name: "updated_at", Type: "TIMESTAMP"}, {Name: "dbt_valid_to", Type: "TIMESTAMP"}}})
	_, err = e.w.Snapshot(e.ctx, rel("snap"), "SELECT id, updated_at, dbt_valid_to FROM x", opt)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "selects a column named dbt_valid_to, which the snapshot adds itself")
}

func TestLatestEventTime(t *testing.T) {
	e := newFake(t)
	_, ok, err := e.w.LatestEventTime(e.ctx, rel("missing"), "ts")
	require.NoError(t, err)
	assert.False(t, ok)
	e.table("t", rentalCols)
	ts := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	e.fake.OnQuery(`^SELECT MAX\(`+"`rented_at`"+`\)`, bqfake.Result{Schema: []bqfake.Field{{Name: "latest", Type: "TIMESTAMP"}}, Rows: [][]any{{ts}}})
	got, ok, err := e.w.LatestEventTime(e.ctx, rel("t"), "rented_at")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, ts, got)
}
