package duckdb

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

func TestCatalogStats(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	_, err := w.Exec(ctx, `
		create schema marts;
		create table marts.orders (id integer, "Amount" decimal(10,2), note varchar);
		insert into marts.orders values (1, 2.5, 'a'), (2, 3, null), (3, 4, 'c');
		comment on table marts.orders is 'One row per order';
		comment on column marts.orders.id is 'the key';
		create view marts.big_orders as select id from marts.orders where "Amount" > 2.9;
		create table marts."`+warehouse.TempName("orders")+`" (id integer);
		create table main.elsewhere (id integer);
		create temporary table scratch (id integer);`)
	require.NoError(t, err)

	got, err := w.CatalogStats(ctx, "", "MARTS")
	require.NoError(t, err)
	three := int64(3)
	assert.Equal(t, []warehouse.RelationStats{
		{Relation: warehouse.Relation{Schema: "marts", Name: "big_orders"}, Kind: "view",
			Columns: []warehouse.ColumnStats{{Name: "id", Type: "INTEGER"}}},
		{Relation: warehouse.Relation{Schema: "marts", Name: "orders"}, Kind: "table", Comment: "One row per order",
			RowCount: &three, Columns: []warehouse.ColumnStats{
				{Name: "id", Type: "INTEGER", Comment: "the key"},
				{Name: "Amount", Type: "DECIMAL(10,2)"},
				{Name: "note", Type: "VARCHAR"},
			}},
	}, got)
}

func TestCatalogStatsOfTheDefaultSchemaAndDatabase(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{Schema: "staging"})
	_, err := w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select 1 as a", warehouse.TableOptions{})
	require.NoError(t, err)
	var db string
	require.NoError(t, w.DB().QueryRowContext(ctx, "select current_database()").Scan(&db))

	// "" is the default schema; the database, when named, is kept as asked.
	got, err := w.CatalogStats(ctx, db, "")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, warehouse.Relation{Database: db, Schema: "staging", Name: "t"}, got[0].Relation)
	assert.Equal(t, []warehouse.ColumnStats{{Name: "a", Type: "INTEGER"}}, got[0].Columns)
}

func TestCatalogStatsOfAMissingSchemaIsEmpty(t *testing.T) {
	w := openTemp(t, Config{})
	got, err := w.CatalogStats(context.Background(), "", "nowhere")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestCatalogStatsStopsWhenCancelled(t *testing.T) {
	w := openTemp(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := w.CatalogStats(ctx, "", "main")
	require.ErrorIs(t, err, context.Canceled)
}
