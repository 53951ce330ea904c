package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/extract/extracttest"
)

// requireUnique checks that no raw row is there twice.
func requireUnique(t *testing.T, dir string) {
	t.Helper()
	assert.Equal(t, [][]any{{true}}, extracttest.Query(t, dir, `SELECT count(*) = count(DISTINCT id) FROM raw_shop.orders`))
}

// TestCrashAndRerun kills the extract (SIGKILL, in a child process) at
// each failpoint, then runs it again: the raw tables equal the source, with
// nothing lost and nothing twice. Tables run in order: customers (one
// batch), then orders (chunks of 3: 3, 3, 3, 1, then the keys; after the
// changes 3, 3, 3, then the keys), so the n-th batch is a different step
// for each n.
func TestCrashAndRerun(t *testing.T) {
	for _, fp := range []string{"staged:1", "committed:1", "staged:3", "committed:3", "staged:5", "committed:5"} {
		t.Run(fp, func(t *testing.T) {
			dir, conn := shop(t)
			// a first run that dies
			killed, out, err := extracttest.ExtractInChild(t, dir, extract.FailpointEnv+"="+fp)
			require.NoError(t, err, out)
			require.True(t, killed, "the failpoint %s was not reached: %s", fp, out)
			killed, out, err = extracttest.ExtractInChild(t, dir)
			require.NoError(t, err, out)
			require.False(t, killed)
			requireSame(t, dir, conn)
			requireUnique(t, dir)

			// changes, a run that dies in the middle of them, and a re-run
			extracttest.PgExec(t, conn,
				`INSERT INTO orders (id, customer_id, amount, status) SELECT g, 1, g, 'new' FROM generate_series(20, 26) g`,
				`UPDATE orders SET note = 'changed', updated_at = clock_timestamp() WHERE id IN (2, 4)`,
				`DELETE FROM orders WHERE id IN (1, 21)`,
				`UPDATE customers SET name = 'Bo' WHERE id = 2`)
			killed, out, err = extracttest.ExtractInChild(t, dir, extract.FailpointEnv+"="+fp)
			require.NoError(t, err, out)
			require.True(t, killed, out)
			_, out, err = extracttest.ExtractInChild(t, dir)
			require.NoError(t, err, out)
			requireSame(t, dir, conn)
			requireUnique(t, dir)
		})
	}
}

// TestConcurrentWriter extracts while another session inserts, updates and
// deletes orders; once the writer stops, one more extract makes the raw
// table equal the source. The lookback covers rows whose updated_at was
// set before a snapshot and committed after it.
func TestConcurrentWriter(t *testing.T) {
	dsn, conn := extracttest.Postgres(t)
	extracttest.PgExec(t, conn, shopSchema,
		`INSERT INTO orders (id, customer_id, amount, status) SELECT g, 1, g, 'new' FROM generate_series(100, 1999) g`)
	t.Setenv("SHOP_DSN", dsn)
	dir := extracttest.Project(t, `version: 2
sources:
  - name: shop
    schema: raw_shop
    extract: {from: postgres, dsn: "{{ env_var('SHOP_DSN') }}", chunk_size: 97}
    tables:
      - name: orders
        extract: {cursor: updated_at, lookback: 1m, deletes: reconcile}
      - name: customers
`)
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
				q = fmt.Sprintf(`UPDATE orders SET amount = amount + 1, status = 'shipped', updated_at = clock_timestamp() WHERE id = %d`, id)
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
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	require.Greater(t, writes.Load(), int64(50), "the writer wrote while extracting")
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	requireSame(t, dir, conn)
	requireUnique(t, dir)
}
