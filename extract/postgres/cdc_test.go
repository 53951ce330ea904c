package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/extract/extracttest"
	"github.com/mart-dev/mart/extract/postgres"
)

const cdcYAML = `version: 2
sources:
  - name: shop
    schema: raw_shop
    extract: {from: postgres, dsn: "{{ env_var('SHOP_DSN') }}", mode: cdc, chunk_size: 4}
    tables:
      - name: orders
      - name: customers
`

// cdcShop is the shop database extracted by CDC; it skips (or fails
// under MART_REQUIRE_SERVICES=1) unless the server has wal_level logical
// (.ci/postgres-logical sets it).
func cdcShop(t *testing.T, yaml string) (string, *pgx.Conn) {
	t.Helper()
	dsn, conn := extracttest.Postgres(t)
	var level string
	require.NoError(t, conn.QueryRow(context.Background(), "SHOW wal_level").Scan(&level))
	if level != "logical" {
		extracttest.SkipOrFail(t, "PostgreSQL has wal_level %s, not logical: run .ci/postgres-logical", level)
	}
	extracttest.PgExec(t, conn, shopSchema)
	t.Setenv("SHOP_DSN", dsn)
	return extracttest.Project(t, yaml), conn
}

// Two warehouses fed from one source (a dev and a prod project, two
// checkouts) are two consumers: each has a replication slot of its own, so
// neither's first run drops the other's slot, nor does one confirm
// changes the other has not applied.
func TestCDCTwoWarehouses(t *testing.T) {
	prod, conn := cdcShop(t, cdcYAML)
	dev := extracttest.Project(t, cdcYAML)
	extracttest.MustExtract(t, prod, extracttest.RunOptions{})
	extracttest.MustExtract(t, dev, extracttest.RunOptions{})
	slots := extracttest.Query(t, prod, "SELECT json_extract_string(state, '$.slot') FROM raw_shop._mart_extract_state ORDER BY 1")
	devSlots := extracttest.Query(t, dev, "SELECT json_extract_string(state, '$.slot') FROM raw_shop._mart_extract_state ORDER BY 1")
	require.Len(t, slots, 2)
	assert.NotEqual(t, slots, devSlots)

	extracttest.PgExec(t, conn, `UPDATE orders SET status = 'shipped' WHERE id = 3`, `DELETE FROM customers WHERE id = 3`)
	extracttest.MustExtract(t, prod, extracttest.RunOptions{})
	requireSame(t, prod, conn)
	extracttest.PgExec(t, conn, `INSERT INTO customers VALUES (4, 'Dee', 'dee@example.com')`)
	extracttest.MustExtract(t, dev, extracttest.RunOptions{})
	requireSame(t, dev, conn)
	extracttest.MustExtract(t, prod, extracttest.RunOptions{})
	requireSame(t, prod, conn)
}

func TestCDC(t *testing.T) {
	dir, conn := cdcShop(t, cdcYAML)
	assert.Equal(t, []string{
		"shop.customers success rows=3 inserted=3 updated=0 deleted=0",
		"shop.orders success rows=10 inserted=10 updated=0 deleted=0",
	}, lines(t, dir))
	requireSame(t, dir, conn)
	assert.Equal(t, []string{
		"shop.customers success rows=0 inserted=0 updated=0 deleted=0",
		"shop.orders success rows=0 inserted=0 updated=0 deleted=0",
	}, lines(t, dir))

	// inserts, updates (a key among them), deletes, several changes of one
	// row, in transactions of their own and together; no cursor needed
	extracttest.PgExec(t, conn,
		`INSERT INTO orders (id, customer_id, amount, status) VALUES (11, 2, 1.5, 'new'), (12, 3, 99999999.99, 'paid')`,
		`UPDATE orders SET status = 'shipped', note = 'late' WHERE id = 3`,
		`DELETE FROM orders WHERE id IN (5, 11)`,
		`BEGIN; UPDATE orders SET id = 13 WHERE id = 12; UPDATE orders SET amount = 2 WHERE id = 13; INSERT INTO orders (id, customer_id, amount, status) VALUES (12, 1, 3, 'new'); COMMIT`,
		`UPDATE customers SET email = NULL WHERE id = 1`,
		`DELETE FROM customers WHERE id = 3`,
		`INSERT INTO customers VALUES (4, 'Dee', 'dee@example.com')`,
	)
	res := extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	// batches of 4 changes end at a commit: {11 in, 12 in, 3 up, 5 del, 11 del}
	// lands 12, 3 and 5; {12 del (12 became 13), 13 up, 13 up, 12 in} 13 and 12
	assert.Equal(t, "shop.orders success rows=9 inserted=2 updated=2 deleted=1", extracttest.ResultLine(res.Tables[1]))
	requireSame(t, dir, conn)

	// a new column
	extracttest.PgExec(t, conn, `ALTER TABLE orders ADD COLUMN channel text`, `UPDATE orders SET channel = 'app' WHERE id = 1`,
		`INSERT INTO orders (id, customer_id, amount, status, channel) VALUES (20, 1, 5, 'new', 'web')`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	requireSame(t, dir, conn)
	assert.Equal(t, [][]any{{int64(1), "app"}, {int64(2), nil}, {int64(20), "web"}},
		extracttest.Query(t, dir, `SELECT id, channel FROM raw_shop.orders WHERE id IN (1, 2, 20) ORDER BY id`))

	// the state holds the slot and an LSN, never the DSN
	st := extracttest.Query(t, dir, `SELECT state->>'slot', state->>'lsn' FROM raw_shop._mart_extract_state WHERE stream = 'shop.orders'`)
	assert.True(t, strings.HasPrefix(st[0][0].(string), "mart_shop_orders_"), st)
	assert.Contains(t, st[0][1], "/")
}

func TestCDCCrashAndRerun(t *testing.T) {
	// customers: its copy; orders: its copy, then batches of 4 changes
	for _, fp := range []string{"staged:2", "committed:2", "staged:4", "committed:5"} {
		t.Run(fp, func(t *testing.T) {
			dir, conn := cdcShop(t, cdcYAML)
			killed, out, err := extracttest.ExtractInChild(t, dir, extract.FailpointEnv+"="+fp)
			require.NoError(t, err, out)
			if fp == "staged:2" || fp == "committed:2" {
				require.True(t, killed, out)
				_, out, err = extracttest.ExtractInChild(t, dir)
				require.NoError(t, err, out)
			}
			requireSame(t, dir, conn)
			for i := range 3 {
				// small transactions first, each the only change of its row:
				// a batch spans several of them
				for k := range 3 {
					extracttest.PgExec(t, conn, fmt.Sprintf(`INSERT INTO orders (id, customer_id, amount, status) VALUES (%d, 1, 1, 'new')`, 500+10*i+k))
				}
				extracttest.PgExec(t, conn,
					fmt.Sprintf(`INSERT INTO orders (id, customer_id, amount, status) SELECT g, 1, g, 'new' FROM generate_series(%d, %d) g`, 100+10*i, 105+10*i),
					fmt.Sprintf(`UPDATE orders SET note = 'changed %d' WHERE id IN (2, 4, %d)`, i, 100+10*i),
					fmt.Sprintf(`DELETE FROM orders WHERE id IN (%d, %d)`, 1+i, 101+10*i))
			}
			killed, out, err = extracttest.ExtractInChild(t, dir, extract.FailpointEnv+"="+fp)
			require.NoError(t, err, out)
			require.True(t, killed, "the failpoint %s was not reached: %s", fp, out)
			// the slot was never told of changes the warehouse does not have
			stored := extracttest.Query(t, dir, `SELECT state->>'lsn' FROM raw_shop._mart_extract_state WHERE stream = 'shop.orders'`)[0][0]
			var behind bool
			require.NoError(t, conn.QueryRow(context.Background(), `SELECT confirmed_flush_lsn <= $1::pg_lsn FROM pg_replication_slots
				WHERE slot_name LIKE 'mart_shop_orders_%'`, stored).Scan(&behind))
			assert.True(t, behind, "the slot confirmed past the landed LSN %s", stored)
			_, out, err = extracttest.ExtractInChild(t, dir)
			require.NoError(t, err, out)
			requireSame(t, dir, conn)
			requireUnique(t, dir)
		})
	}
}

func TestCDCConcurrentWriter(t *testing.T) {
	dir, conn := cdcShop(t, strings.Replace(cdcYAML, "chunk_size: 4", "chunk_size: 50", 1))
	extracttest.PgExec(t, conn, `INSERT INTO orders (id, customer_id, amount, status) SELECT g, 1, g, 'new' FROM generate_series(100, 1999) g`)
	dsn := os.Getenv("SHOP_DSN")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var writes atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		w, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return
		}
		defer w.Close(context.Background())
		next := 5000
		for ctx.Err() == nil {
			var q string
			switch id := 1 + rand.IntN(next); rand.IntN(3) {
			case 0:
				next++
				q = fmt.Sprintf(`INSERT INTO orders (id, customer_id, amount, status) VALUES (%d, 2, 1.25, 'paid')`, next)
			case 1:
				q = fmt.Sprintf(`UPDATE orders SET amount = amount + 1, status = 'shipped' WHERE id = %d`, id)
			default:
				q = fmt.Sprintf(`DELETE FROM orders WHERE id = %d`, id)
			}
			if _, err := w.Exec(ctx, q); err == nil {
				writes.Add(1)
			}
		}
	}()
	for range 3 {
		extracttest.MustExtract(t, dir, extracttest.RunOptions{Threads: 2})
	}
	cancel()
	wg.Wait()
	require.Greater(t, writes.Load(), int64(50))
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	requireSame(t, dir, conn)
	requireUnique(t, dir)
}

func TestCDCSlotGone(t *testing.T) {
	dir, conn := cdcShop(t, cdcYAML)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	extracttest.PgExec(t, conn, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE 'mart_shop_orders_%'`)
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.NoError(t, err)
	require.Error(t, res.Tables[1].Err)
	assert.Contains(t, res.Tables[1].Err.Error(), "extract source shop, table orders: the replication slot mart_shop_orders_")
	assert.Contains(t, res.Tables[1].Err.Error(), "run with --full-refresh")
	extracttest.PgExec(t, conn, `DELETE FROM orders WHERE id = 1`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{FullRefresh: true})
	requireSame(t, dir, conn)
}

func TestCDCToastedValues(t *testing.T) {
	dir, conn := cdcShop(t, cdcYAML)
	big := strings.Repeat("abcdefghij", 5000) // compressed and stored out of line
	extracttest.PgExec(t, conn, `ALTER TABLE orders ALTER COLUMN note SET STORAGE EXTERNAL`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	extracttest.PgExec(t, conn, `UPDATE orders SET note = '`+big+`' WHERE id = 1`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	extracttest.PgExec(t, conn, `UPDATE orders SET status = 'paid' WHERE id = 1`) // note unchanged: not in the stream
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.NoError(t, err)
	require.Error(t, res.Tables[1].Err)
	assert.Contains(t, res.Tables[1].Err.Error(), `set REPLICA IDENTITY FULL on the table`)

	extracttest.PgExec(t, conn, `ALTER TABLE orders REPLICA IDENTITY FULL`, `UPDATE orders SET status = 'shipped' WHERE id = 1`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{FullRefresh: true})
	extracttest.PgExec(t, conn, `UPDATE orders SET status = 'new' WHERE id = 1`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	requireSame(t, dir, conn)
}

// A stream resumed where a new stream would be named differently (the
// project moved, so its database file's path and the default names' hash
// changed; or a stream begun before the hash covered the destination)
// keeps the publication it streamed through, as it keeps its slot: a
// publication created now does not exist at the slot's position, and
// pgoutput fails on the changes in between.
func TestCDCResumeMovedProject(t *testing.T) {
	dir, conn := cdcShop(t, cdcYAML)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	moved := filepath.Join(t.TempDir(), "moved")
	require.NoError(t, os.CopyFS(moved, os.DirFS(dir)))
	extracttest.PgExec(t, conn, `UPDATE orders SET status = 'shipped' WHERE id = 3`, `DELETE FROM customers WHERE id = 3`)
	extracttest.MustExtract(t, moved, extracttest.RunOptions{})
	requireSame(t, moved, conn)
	extracttest.PgExec(t, conn, `INSERT INTO customers VALUES (4, 'Dee', 'dee@example.com')`)
	extracttest.MustExtract(t, moved, extracttest.RunOptions{})
	requireSame(t, moved, conn)
}

// A full refresh that names its new slot differently from the one its
// state names (the project moved) drops that one: nothing else reads it,
// and a slot nobody reads holds the server's WAL for ever.
func TestCDCFullRefreshDropsTheStateSlot(t *testing.T) {
	dir, conn := cdcShop(t, cdcYAML)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	moved := filepath.Join(t.TempDir(), "moved")
	require.NoError(t, os.CopyFS(moved, os.DirFS(dir)))
	extracttest.MustExtract(t, moved, extracttest.RunOptions{FullRefresh: true})
	requireSame(t, moved, conn)
	var n int
	require.NoError(t, conn.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_replication_slots WHERE database = current_database()").Scan(&n))
	assert.Equal(t, 2, n, "a slot per table, the old ones dropped")
}

// holdSlot starts streaming from the orders table's slot on a replication
// connection of its own, as the server process of a run that just ended
// (or another extract running) holds it; close lets it go.
func holdSlot(t *testing.T, dir, dsn string) (close func()) {
	t.Helper()
	rows := extracttest.Query(t, dir, `SELECT json_extract_string(state, '$.slot'), json_extract_string(state, '$.publication')
		FROM raw_shop._mart_extract_state WHERE json_extract_string(state, '$.slot') LIKE 'mart_shop_orders_%'`)
	require.Len(t, rows, 1)
	slot, pub := rows[0][0].(string), rows[0][1].(string)
	cfg, err := pgconn.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.RuntimeParams["replication"] = "database"
	ctx := context.Background()
	holder, err := pgconn.ConnectConfig(ctx, cfg)
	require.NoError(t, err)
	require.NoError(t, pglogrepl.StartReplication(ctx, holder, slot, 0, pglogrepl.StartReplicationOptions{
		Mode: pglogrepl.LogicalReplication, PluginArgs: []string{"proto_version '1'", "publication_names '" + pub + "'"}}))
	return func() { holder.Close(ctx) }
}

// A run started while the slot is still held (the previous run's server
// process lets it go a moment after that run ended: a scheduler that runs
// extract again at once) waits for it; one held longer (another extract,
// running) fails, naming the slot.
func TestCDCSlotBusy(t *testing.T) {
	dir, conn := cdcShop(t, cdcYAML)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	dsn := os.Getenv("SHOP_DSN")

	release := holdSlot(t, dir, dsn)
	time.AfterFunc(300*time.Millisecond, release)
	extracttest.PgExec(t, conn, `UPDATE orders SET status = 'shipped' WHERE id = 3`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	requireSame(t, dir, conn)

	defer postgres.SetSlotBusyFor(200 * time.Millisecond)()
	release = holdSlot(t, dir, dsn)
	defer release()
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.NoError(t, err)
	require.Error(t, res.Tables[1].Err)
	assert.Contains(t, res.Tables[1].Err.Error(), "start replication from slot mart_shop_orders_")
	assert.Contains(t, res.Tables[1].Err.Error(), "is active for PID")
}
