package postgres_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract/extracttest"
	_ "github.com/mart-dev/mart/extract/postgres"
)

func TestMain(m *testing.M) { extracttest.Main(m) }

// shopYAML declares the shop source: orders incremental by updated_at
// with deletes reconciled, customers in full.
const shopYAML = `version: 2
sources:
  - name: shop
    schema: raw_shop
    extract:
      from: postgres
      dsn: "{{ env_var('SHOP_DSN') }}"
      chunk_size: 3
    tables:
      - name: orders
        extract: {cursor: updated_at, deletes: reconcile}
      - name: customers
`

const shopSchema = `
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id int NOT NULL,
  amount numeric(10,2) NOT NULL,
  status order_status NOT NULL,
  note text,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Bob', NULL), (3, 'Cy', 'cy@example.com');
INSERT INTO orders (id, customer_id, amount, status, note, updated_at)
SELECT g, 1 + g % 3, g * 10.25, (ARRAY['new','paid','shipped'])[1 + g % 3]::order_status,
       CASE WHEN g % 4 = 0 THEN NULL ELSE 'note ' || g END,
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' + (g % 2) * interval '1 microsecond'
FROM generate_series(1, 10) g;
`

// The same rows as text on both sides.
const (
	pgOrders   = `SELECT id, customer_id, amount::text, status::text, coalesce(note, 'NULL'), to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM orders ORDER BY id`
	duckOrders = `SELECT id, customer_id, amount::varchar, status, coalesce(note, 'NULL'), strftime(updated_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%f') FROM raw_shop.orders ORDER BY id`
	pgCust     = `SELECT id, name, coalesce(email, 'NULL') FROM customers ORDER BY id`
	duckCust   = `SELECT id, name, coalesce(email, 'NULL') FROM raw_shop.customers ORDER BY id`
)

func shop(t *testing.T) (string, *pgx.Conn) {
	t.Helper()
	dsn, conn := extracttest.Postgres(t)
	extracttest.PgExec(t, conn, shopSchema)
	t.Setenv("SHOP_DSN", dsn)
	return extracttest.Project(t, shopYAML), conn
}

// requireSame checks that the raw tables equal the source, row for row.
func requireSame(t *testing.T, dir string, conn *pgx.Conn) {
	t.Helper()
	require.Equal(t, extracttest.Strings(extracttest.PgRows(t, conn, pgOrders)), extracttest.Strings(extracttest.Query(t, dir, duckOrders)), "orders")
	require.Equal(t, extracttest.Strings(extracttest.PgRows(t, conn, pgCust)), extracttest.Strings(extracttest.Query(t, dir, duckCust)), "customers")
}

func lines(t *testing.T, dir string) []string {
	t.Helper()
	res := extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	var out []string
	for _, r := range res.Tables {
		out = append(out, extracttest.ResultLine(r))
	}
	return out
}

func TestExtractThenChanges(t *testing.T) {
	dir, conn := shop(t)
	assert.Equal(t, []string{
		"shop.customers success rows=3 inserted=3 updated=0 deleted=0",
		"shop.orders success rows=10 inserted=10 updated=0 deleted=0",
	}, lines(t, dir))
	requireSame(t, dir, conn)

	// nothing new: nothing changes, not even the state
	before := extracttest.Query(t, dir, `SELECT stream, state::varchar, updated_at FROM raw_shop._mart_extract_state ORDER BY stream`)
	assert.Equal(t, []string{
		"shop.customers success rows=3 inserted=0 updated=0 deleted=0",
		"shop.orders success rows=1 inserted=0 updated=0 deleted=0", // the last row, re-read at the stored cursor
	}, lines(t, dir))
	assert.Equal(t, before, extracttest.Query(t, dir, `SELECT stream, state::varchar, updated_at FROM raw_shop._mart_extract_state ORDER BY stream`))

	// inserts, updates and deletes in the source
	extracttest.PgExec(t, conn,
		`INSERT INTO orders (id, customer_id, amount, status, updated_at) VALUES (11, 2, 1.5, 'new', '2026-02-01Z'), (12, 3, 99999999.99, 'paid', '2026-02-01Z')`,
		`UPDATE orders SET status = 'shipped', note = 'late', updated_at = '2026-02-02Z' WHERE id = 3`,
		`DELETE FROM orders WHERE id IN (5, 11)`,
		`UPDATE customers SET email = NULL WHERE id = 1`,
		`DELETE FROM customers WHERE id = 3`,
		`INSERT INTO customers VALUES (4, 'Dee', 'dee@example.com')`,
	)
	assert.Equal(t, []string{
		"shop.customers success rows=3 inserted=1 updated=1 deleted=1",
		"shop.orders success rows=3 inserted=1 updated=1 deleted=1",
	}, lines(t, dir))
	requireSame(t, dir, conn)
}

// TestEmptySource: an empty table lands as an empty table, in every mode.
func TestEmptySource(t *testing.T) {
	dir, conn := shop(t)
	extracttest.PgExec(t, conn, `DELETE FROM orders`, `DELETE FROM customers`)
	assert.Equal(t, []string{
		"shop.customers success rows=0 inserted=0 updated=0 deleted=0",
		"shop.orders success rows=0 inserted=0 updated=0 deleted=0",
	}, lines(t, dir))
	assert.Equal(t, [][]any{{int64(0), int64(0)}}, extracttest.Query(t, dir,
		`SELECT (SELECT count(*) FROM raw_shop.orders), (SELECT count(*) FROM raw_shop.customers)`))
	extracttest.PgExec(t, conn, `INSERT INTO orders (id, customer_id, amount, status) VALUES (1, 1, 1, 'new')`)
	lines(t, dir)
	requireSame(t, dir, conn)
}
