package bigquery

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

func TestCatalogStats(t *testing.T) {
	e := newFake(t)
	e.fake.AddDataset("proj", "marts", "EU")
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "marts", Name: "orders", NumRows: 1204, Schema: []bqfake.Field{
		{Name: "id", Type: "INT64", Mode: "REQUIRED"},
		{Name: "amount", Type: "NUMERIC"},
		{Name: "items", Type: "STRING", Mode: "REPEATED"},
		{Name: "who", Type: "RECORD", Fields: []bqfake.Field{{Name: "name", Type: "STRING"}}},
	}})
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "marts", Name: "big_orders", Kind: "VIEW",
		Schema: []bqfake.Field{{Name: "id", Type: "INT64"}}})
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "marts", Name: warehouse.TempName("orders")})
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "mart", Name: "elsewhere"})

	got, err := e.w.CatalogStats(e.ctx, "", "marts")
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, warehouse.RelationStats{Relation: warehouse.Relation{Schema: "marts", Name: "big_orders"}, Kind: "view",
		Columns: []warehouse.ColumnStats{{Name: "id", Type: "INT64"}}}, got[0])
	orders := got[1]
	assert.Equal(t, warehouse.Relation{Schema: "marts", Name: "orders"}, orders.Relation)
	assert.Equal(t, "table", orders.Kind)
	assert.Equal(t, []warehouse.ColumnStats{{Name: "id", Type: "INT64"}, {Name: "amount", Type: "NUMERIC"},
		{Name: "items", Type: "ARRAY<STRING>"}, {Name: "who", Type: "STRUCT<name STRING>"}}, orders.Columns)
	require.NotNil(t, orders.RowCount)
	assert.Equal(t, int64(1204), *orders.RowCount)
	// The fake keeps no size; the adapter reports what tables.get says.
	require.NotNil(t, orders.Bytes)
}

func TestCatalogStatsOfTheDefaultDatasetReadsEveryPage(t *testing.T) {
	e := newFake(t)
	var want []string
	for i := range 120 { // tables.list pages hold 50 in the fake
		name := fmt.Sprintf("t%03d", i)
		want = append(want, name)
		e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "mart", Name: name, NumRows: int64(i)})
	}
	got, err := e.w.CatalogStats(e.ctx, "proj", "")
	require.NoError(t, err)
	var names []string
	for i, s := range got {
		names = append(names, s.Relation.Name)
		assert.Equal(t, warehouse.Relation{Database: "proj", Schema: "mart", Name: want[i]}, s.Relation)
		assert.Equal(t, int64(i), *s.RowCount)
	}
	assert.Equal(t, want, names)
}

func TestCatalogStatsOfAMissingDatasetIsEmpty(t *testing.T) {
	e := newFake(t)
	got, err := e.w.CatalogStats(e.ctx, "", "nowhere")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestCatalogStatsReportsTheTableItCouldNotRead(t *testing.T) {
	e := newFake(t)
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "mart", Name: "a"})
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "mart", Name: "b"})
	e.fake.FailRequest(bqfake.RequestFailure{Method: "GET", Path: `/tables/b$`, Code: 403, Reason: "accessDenied",
		Message: "Access Denied: Table proj:mart.b"})
	_, err := e.w.CatalogStats(e.ctx, "", "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mart.b")
	assert.Contains(t, err.Error(), "Access Denied")
}
