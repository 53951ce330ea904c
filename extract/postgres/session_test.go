package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract/extracttest"
)

// setBlock rewrites the source-level extract block of the shop project.
func setBlock(t *testing.T, dir, old, new string) {
	t.Helper()
	p := filepath.Join(dir, "models", "sources.yml")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

// TestCancel stops a run in the middle of a paced read: nothing of the
// unfinished batch lands, the state stays, the database is usable, and the
// next run lands everything.
func TestCancel(t *testing.T) {
	dir, conn := shop(t)
	setBlock(t, dir, "chunk_size: 3", "chunk_size: 100\n      max_rows_per_second: 20")
	extracttest.PgExec(t, conn, `INSERT INTO customers SELECT g, 'c' || g FROM generate_series(10, 59) g`)
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := extracttest.Extract(ctx, dir, extracttest.RunOptions{})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 5*time.Second, "cancelling stops the run")
	require.ErrorIs(t, res.Tables[0].Err, context.DeadlineExceeded)
	assert.Contains(t, res.Tables[0].Err.Error(), "extract source shop, table customers: ")
	assert.Equal(t, "skipped", string(res.Tables[1].Status))
	assert.Equal(t, [][]any{{int64(0)}}, extracttest.Query(t, dir,
		`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_shop' AND table_name = 'customers'`))

	setBlock(t, dir, "max_rows_per_second: 20", "max_rows_per_second: 0")
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	requireSame(t, dir, conn)
}

// TestPacing: max_rows_per_second holds a read to that rate.
func TestPacing(t *testing.T) {
	dir, _ := shop(t)
	setBlock(t, dir, "chunk_size: 3", "chunk_size: 3\n      max_rows_per_second: 20")
	start := time.Now()
	res := extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	rows := res.Tables[0].Rows + res.Tables[1].Rows
	// 13 rows (+ 10 keys) at 20 a second, per table: at least 0.4 s
	assert.Greater(t, time.Since(start), 400*time.Millisecond, "%d rows", rows)
}

// TestReplicaAndTimeouts: reads go to replica_dsn when set (here the same
// server: the dsn itself is unusable), and statement_timeout bounds them.
func TestReplicaAndTimeouts(t *testing.T) {
	dir, conn := shop(t)
	t.Setenv("SHOP_REPLICA_DSN", os.Getenv("SHOP_DSN"))
	t.Setenv("SHOP_DSN", "postgres://nobody@127.0.0.1:1/none")
	setBlock(t, dir, "chunk_size: 3", "chunk_size: 3\n      replica_dsn: \"{{ env_var('SHOP_REPLICA_DSN') }}\"")
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	requireSame(t, dir, conn)

	// the session says who it is, and has the timeouts
	extracttest.PgExec(t, conn, `CREATE FUNCTION slow_customer_name(text) RETURNS text LANGUAGE sql AS $$ SELECT pg_sleep(0.5)::text || $1 $$`,
		`CREATE VIEW slow_customers AS SELECT id, slow_customer_name(name) AS name FROM customers`)
	setBlock(t, dir, "      - name: customers", "      - name: customers\n        extract: {table: slow_customers, primary_key: [id], statement_timeout: 200ms}")
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.NoError(t, err)
	require.Error(t, res.Tables[0].Err)
	assert.Contains(t, res.Tables[0].Err.Error(), "extract source shop, table customers: ")
	assert.Contains(t, res.Tables[0].Err.Error(), "statement timeout")
}
