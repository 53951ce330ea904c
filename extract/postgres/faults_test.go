package postgres_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/extract/extracttest"
)

// snapshotOf reads everything a failed run must leave alone: the raw
// tables and the state (nil when the schema does not exist).
func snapshotOf(t *testing.T, dir string) [][]any {
	t.Helper()
	exists := extracttest.Query(t, dir, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_shop'`)
	if exists[0][0].(int64) == 0 {
		return nil
	}
	out := extracttest.Query(t, dir, `SELECT stream, state::varchar, updated_at FROM raw_shop._mart_extract_state ORDER BY 1`)
	out = append(out, extracttest.Query(t, dir, duckOrders)...)
	return append(out, extracttest.Query(t, dir, duckCust)...)
}

// failing runs the extract and returns each table's error text.
func failing(t *testing.T, dir string) []string {
	t.Helper()
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.NoError(t, err)
	var out []string
	for _, r := range res.Tables {
		if r.Err != nil {
			out = append(out, r.Err.Error())
		}
	}
	return out
}

func TestMissingEnvVar(t *testing.T) {
	dir, _ := shop(t)
	require.NoError(t, os.Unsetenv("SHOP_DSN"))
	errs := failing(t, dir)
	require.Len(t, errs, 2)
	assert.Contains(t, errs[0], "extract source shop, table customers: extract.dsn: ")
	assert.Contains(t, errs[0], `env var "SHOP_DSN" is not set`)
	assert.Contains(t, errs[1], "extract source shop, table orders: ")
	assert.Nil(t, snapshotOf(t, dir))
}

func TestUnreachableAndWrongCredentials(t *testing.T) {
	dir, _ := shop(t)
	for _, dsn := range []string{
		"postgres://nobody:s3cr3t-Pa55@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=5",
		"host=127.0.0.1 port=5432 user=nobody password='s3cr3t-Pa55' dbname=postgres sslmode=disable",
		"postgres://postgres:s3cr3t-Pa55@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=5",
		"postgres://postgres:s3cr3t%2DPa55@127.0.0.1:5432/no_such_db?sslmode=disable",
	} {
		t.Setenv("SHOP_DSN", dsn)
		errs := failing(t, dir)
		require.Len(t, errs, 2, dsn)
		for _, e := range errs {
			assert.Contains(t, e, "extract source shop, table ")
			assert.Contains(t, e, "connect to PostgreSQL")
			assert.NotContains(t, e, "s3cr3t", dsn)
			assert.NotContains(t, e, "Pa55", dsn)
		}
		assert.Nil(t, snapshotOf(t, dir))
	}
}

func TestSecretsNeverLand(t *testing.T) {
	dir, _ := shop(t)
	// the local server trusts 127.0.0.1: any password connects
	dsn := os.Getenv("SHOP_DSN")
	t.Setenv("SHOP_DSN", strings.Replace(dsn, "postgres@", "postgres:s3cr3t-Pa55@", 1))
	rec := &extracttest.Recorder{}
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{Events: rec})
	require.NoError(t, err)
	require.NoError(t, res.Err())
	state := extracttest.Query(t, dir, `SELECT string_agg(state::varchar, ' ') FROM raw_shop._mart_extract_state`)
	assert.NotContains(t, state[0][0], "s3cr3t")
	assert.NotContains(t, fmt.Sprintf("%+v", rec), "s3cr3t")
	db, err := os.ReadFile(extracttest.WarehousePath(dir))
	require.NoError(t, err)
	assert.NotContains(t, string(db), "s3cr3t")
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			assert.NotContains(t, string(b), "s3cr3t", p)
		}
		return nil
	})
}

func TestNoUsableKey(t *testing.T) {
	dir, conn := shop(t)
	extracttest.PgExec(t, conn, `ALTER TABLE orders DROP CONSTRAINT orders_pkey`)
	errs := failing(t, dir)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "extract source shop, table orders: no usable key: ")
	assert.Contains(t, errs[0], "extract.primary_key is not set")
}

func TestCursorGoesBackwards(t *testing.T) {
	dir, conn := shop(t)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	before := snapshotOf(t, dir)
	extracttest.PgExec(t, conn, `UPDATE orders SET updated_at = '2025-01-01Z', note = 'restored'`)
	errs := failing(t, dir)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "extract source shop, table orders: cursor updated_at went backwards: the source's greatest value is 2025-01-01 00:00:00Z, below 2026-01-01 00:10:00Z")
	assert.Equal(t, before, snapshotOf(t, dir))

	// a full refresh starts over
	res := extracttest.MustExtract(t, dir, extracttest.RunOptions{FullRefresh: true})
	assert.Equal(t, int64(10), res.Tables[1].Inserted)
	requireSame(t, dir, conn)
}

func TestMissingTable(t *testing.T) {
	dir, conn := shop(t)
	extracttest.PgExec(t, conn, `DROP TABLE customers`)
	errs := failing(t, dir)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "extract source shop, table customers: table customers does not exist in the PostgreSQL database")
}

func TestInvalidBlocks(t *testing.T) {
	dir := extracttest.Project(t, `version: 2
sources:
  - name: shop
    extract:
      from: postgress
      dsn: "{{ env_var('X') }}"
      chunk_size: -1
    tables:
      - name: orders
        extract: {mode: incremntal, cursr: updated_at}
`)
	_, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.Error(t, err)
	msg := err.Error()
	// each error at the key that is wrong, in the table's block or its source's
	assert.Contains(t, msg, `models/sources.yml:10:37: error: source shop, table orders: extract: unknown key "cursr" (did you mean "cursor"?)`)
	assert.Contains(t, msg, `models/sources.yml:5:7: error: source shop, table orders: extract.from: unknown value "postgress" (did you mean "postgres"?)`)
	assert.Contains(t, msg, `models/sources.yml:10:19: error: source shop, table orders: extract.mode: unknown value "incremntal" (did you mean "incremental"?)`)
	assert.Contains(t, msg, `models/sources.yml:7:7: error: source shop, table orders: extract.chunk_size: expected a whole number >= 1, got -1`)
	var ds interface{ HasErrors() bool }
	assert.ErrorAs(t, err, &ds)
}

func TestKeepDeleted(t *testing.T) {
	dir, conn := shop(t)
	yaml, err := os.ReadFile(filepath.Join(dir, "models", "sources.yml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models", "sources.yml"),
		[]byte(strings.Replace(string(yaml), "deletes: reconcile}", "deletes: reconcile, keep_deleted: true}", 1)), 0o644))
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	extracttest.PgExec(t, conn, `DELETE FROM orders WHERE id IN (2, 7)`)
	res := extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, int64(2), res.Tables[1].Deleted)
	assert.Equal(t, [][]any{{int64(2)}, {int64(7)}},
		extracttest.Query(t, dir, `SELECT id FROM raw_shop.orders WHERE _mart_deleted_at IS NOT NULL ORDER BY id`))
	assert.Equal(t, [][]any{{int64(10)}}, extracttest.Query(t, dir, `SELECT count(*) FROM raw_shop.orders`))
}

func TestSchemaChanges(t *testing.T) {
	dir, conn := shop(t)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	// a new column and a widened one
	extracttest.PgExec(t, conn,
		`ALTER TABLE orders ADD COLUMN channel text DEFAULT 'web', ALTER COLUMN amount TYPE numeric(14,3), ALTER COLUMN customer_id TYPE bigint`,
		`UPDATE orders SET amount = 1234567890.125, updated_at = clock_timestamp() WHERE id = 1`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, [][]any{{"customer_id", "BIGINT"}, {"amount", "DECIMAL(14,3)"}, {"channel", "VARCHAR"}},
		extracttest.Query(t, dir, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders'
			AND column_name IN ('amount', 'channel', 'customer_id') ORDER BY ordinal_position`))
	assert.Equal(t, [][]any{{"1234567890.125", "web"}, {"20.500", nil}},
		extracttest.Query(t, dir, `SELECT amount::varchar, channel FROM raw_shop.orders WHERE id IN (1, 2) ORDER BY id`))

	// a change that does not widen fails naming the column
	before := snapshotOf(t, dir)
	extracttest.PgExec(t, conn, `ALTER TABLE orders ALTER COLUMN amount TYPE boolean USING amount > 100`,
		`UPDATE orders SET updated_at = clock_timestamp() WHERE id = 1`)
	errs := failing(t, dir)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], `extract source shop, table orders: land raw_shop.orders: column "amount" changed type in the source from DECIMAL(14,3) to BOOLEAN`)
	assert.Equal(t, before, snapshotOf(t, dir))
}

func TestEventsReportProgress(t *testing.T) {
	dir, _ := shop(t)
	nodes, err := extracttest.Sources(dir)
	require.NoError(t, err)
	w, err := extracttest.Open(context.Background(), dir)
	require.NoError(t, err)
	defer w.Close()
	rec := &extracttest.Recorder{}
	res, err := extract.Run(context.Background(), extract.Options{Sources: nodes, Warehouse: extracttest.Lander(t, w), Events: rec, Threads: 2, ProgressInterval: 1})
	require.NoError(t, err)
	require.NoError(t, res.Err())
	assert.Len(t, rec.Started, 2)
	assert.Len(t, rec.Finished, 2)
	require.NotEmpty(t, rec.Progress)
	last := map[string]extract.Progress{}
	for _, p := range rec.Progress {
		last[p.Table] = p
	}
	assert.Equal(t, extract.TableInfo{UniqueID: "source.extract_test.shop.orders", Source: "shop", Table: "orders",
		Relation: `"raw_shop"."orders"`, From: "postgres", Mode: "incremental", Index: 2, Total: 2}, res.Tables[1].TableInfo)
	assert.Greater(t, res.Tables[1].Bytes, int64(0))
}
