package duckdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// BenchmarkMerge1M merges 1M changed rows (900k updates of existing keys,
// 100k new keys) into a 10M-row table, through Incremental (staging, the
// duplicate-key check, the MERGE and the transaction around them) and, in
// the same run, as the bare MERGE statement a person would write, executed
// directly. Each iteration runs both, in alternating order, on a fresh copy
// of the table (the copy is not timed). It reports rows/s for each and the
// ratio mart/bare (1.00 = no overhead). MART_MERGE_BENCH_ROWS scales the
// table (default 10000000; the batch is a tenth of it).
//
//	go test ./warehouse/duckdb -run '^$' -bench Merge1M -benchtime 10x
//
// (10 pairs at least: a single pair varies by 10% on a shared 2-core machine)
//
// Two sub-benchmarks: "file" is a database file as users have it, where
// the commit (the WAL write of a million changed rows) is most of the time
// and disk contention adds noise; "memory" is an in-memory database, which
// leaves the work mart adds on top of the MERGE (staging, the key check)
// nowhere to hide.
func BenchmarkMerge1M(b *testing.B) {
	b.Run("file", func(b *testing.B) { benchmarkMerge(b, filepath.Join(b.TempDir(), "bench.duckdb")) })
	b.Run("memory", func(b *testing.B) { benchmarkMerge(b, "") })
}

func benchmarkMerge(b *testing.B, path string) {
	total := 10_000_000
	if s := os.Getenv("MART_MERGE_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(b, err)
		total = n
	}
	batch := total / 10
	ctx := context.Background()
	w, err := Open(ctx, Config{Path: path})
	require.NoError(b, err)
	defer w.Close()
	exec := func(q string) {
		_, err := w.db.ExecContext(ctx, q)
		require.NoError(b, err, q)
	}
	exec(`CREATE TABLE base AS SELECT i AS id, i % 50000 AS customer_id, CAST(i % 100000 / 100 AS DECIMAL(12,2)) AS amount,
		'status ' || (i % 7) AS status, TIMESTAMP '2026-01-01' + to_seconds(i) AS updated_at FROM range(` + strconv.Itoa(total) + `) r(i)`)
	// Every tenth key of the first 90% is updated; 10% of the batch are new keys.
	exec(`CREATE TABLE changes AS SELECT CASE WHEN i < ` + strconv.Itoa(batch*9/10) + ` THEN i * 10 ELSE ` + strconv.Itoa(total) + ` + i END AS id,
		i % 40000 AS customer_id, CAST(i % 1000 AS DECIMAL(12,2)) AS amount, 'changed' AS status,
		TIMESTAMP '2026-06-01' + to_seconds(i) AS updated_at FROM range(` + strconv.Itoa(batch) + `) r(i)`)
	bare := `MERGE INTO target AS t USING (SELECT * FROM changes) AS s ON t.id = s.id
		WHEN MATCHED THEN UPDATE SET customer_id = s.customer_id, amount = s.amount, status = s.status, updated_at = s.updated_at
		WHEN NOT MATCHED THEN INSERT (id, customer_id, amount, status, updated_at) VALUES (s.id, s.customer_id, s.amount, s.status, s.updated_at)`
	opt := warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: []string{"id"}}

	var martTimes, bareTimes []time.Duration
	runMart := func() {
		tctx, steps := ctx, []string(nil)
		if os.Getenv("MART_MERGE_BENCH_TRACE") != "" { // where mart's time goes, statement by statement
			last, what := time.Now(), "begin"
			tctx = withTrace(ctx, func(stmt string) {
				steps = append(steps, fmt.Sprintf("%v %s", time.Since(last).Round(time.Millisecond), what))
				last, what = time.Now(), strings.Fields(stmt)[0]
			})
			defer func() {
				b.Logf("mart: %s, %v %s+commit", strings.Join(steps, ", "), time.Since(last).Round(time.Millisecond), what)
			}()
		}
		start := time.Now()
		res, err := w.Incremental(tctx, warehouse.Relation{Name: "target"}, "SELECT * FROM changes", opt)
		martTimes = append(martTimes, time.Since(start))
		require.NoError(b, err)
		require.Equal(b, int64(batch), res.Rows)
	}
	runBare := func() {
		start := time.Now()
		res, err := w.db.ExecContext(ctx, bare)
		bareTimes = append(bareTimes, time.Since(start))
		require.NoError(b, err)
		n, _ := res.RowsAffected()
		require.Equal(b, int64(batch), n)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		for j, run := range []func(){runMart, runBare} {
			if i%2 == 1 {
				run = []func(){runBare, runMart}[j]
			}
			b.StopTimer()
			exec("CREATE OR REPLACE TABLE target AS SELECT * FROM base")
			if path != "" {
				exec("CHECKPOINT")
			}
			b.StartTimer()
			run()
		}
	}
	b.StopTimer()
	// The ratio is the median of each iteration's pair, run back to back,
	// which holds up better than a ratio of medians on a busy machine.
	ratios := make([]float64, len(martTimes))
	for i := range ratios {
		ratios[i] = martTimes[i].Seconds() / bareTimes[i].Seconds()
	}
	m, d := median(martTimes), median(bareTimes)
	b.ReportMetric(float64(batch)/m.Seconds(), "mart-rows/s")
	b.ReportMetric(float64(batch)/d.Seconds(), "bare-rows/s")
	b.ReportMetric(median(ratios), "mart/bare")
	b.Logf("merge %d rows into %d: mart %v (%.0f rows/s), bare MERGE %v (%.0f rows/s), paired ratio %.3f; mart %v, bare %v",
		batch, total, m, float64(batch)/m.Seconds(), d, float64(batch)/d.Seconds(), median(ratios), martTimes, bareTimes)
}

func median[T time.Duration | float64](xs []T) T {
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
