package bench

// The extract benchmarks: PostgreSQL and MariaDB tables of 1M, 2M and 10M
// rows landed into a fresh DuckDB file by bench/cmd/extractload (mart
// extract's library, in a subprocess, so its peak RSS is measured), each
// paired with the bare read it builds on, in the same iteration: `COPY
// (...) TO STDOUT (FORMAT binary)` into io.Discard for PostgreSQL, a
// streamed SELECT for MariaDB (in this process, through the same drivers).
//
// The source tables live in a database named mart_bench on the local
// servers, made on the first run (about 2 minutes for PostgreSQL's 13M
// rows, more for MariaDB's) and reused after. The benchmarks skip when a
// server is absent.
//
//	go test -run '^$' -bench 'Extract' -benchtime 3x ./bench/

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

const (
	benchPgAdmin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	benchPgDSN   = "postgres://postgres@127.0.0.1:5432/mart_bench?sslmode=disable"
	benchMyDSN   = "root@tcp(127.0.0.1:3306)/mart_bench"
)

// benchColumns are the columns of every benchmark table: a key, numbers,
// a decimal, short text and two timestamps (about 90 bytes a row in COPY).
const pgBenchTable = `CREATE TABLE %[1]s AS SELECT g::bigint AS id, (g %% 100000)::int AS customer_id,
	((g %% 100000) / 100.0)::numeric(10,2) AS amount, (ARRAY['new','paid','shipped','refunded'])[1 + g %% 4] AS status,
	'order note ' || g AS note, timestamptz '2026-01-01' + g * interval '1 second' AS created_at,
	timestamptz '2026-01-01' + g * interval '2 second' AS updated_at
	FROM generate_series(1, %[2]d) g;
	ALTER TABLE %[1]s ADD PRIMARY KEY (id);
	CREATE INDEX ON %[1]s (updated_at, id)`

const myBenchTable = `CREATE TABLE %[1]s (id bigint PRIMARY KEY, customer_id int, amount decimal(10,2), status varchar(10),
	note varchar(40), created_at datetime(6), updated_at datetime(6)) ENGINE=InnoDB;
	INSERT INTO %[1]s SELECT seq, seq %% 100000, (seq %% 100000) / 100, ELT(1 + seq %% 4, 'new','paid','shipped','refunded'),
	CONCAT('order note ', seq), TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq SECOND, TIMESTAMP'2026-01-01 00:00:00' + INTERVAL 2 * seq SECOND
	FROM seq_1_to_%[2]d;
	ANALYZE TABLE %[1]s`

var benchSizes = []int{1_000_000, 2_000_000, 10_000_000}

func BenchmarkExtractPostgres(b *testing.B) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, benchPgAdmin)
	if err != nil {
		b.Skipf("no PostgreSQL server at 127.0.0.1:5432: %v", err)
	}
	_, _ = admin.Exec(ctx, "CREATE DATABASE mart_bench")
	_ = admin.Close(ctx)
	conn, err := pgx.Connect(ctx, benchPgDSN)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, n := range benchSizes {
		table := fmt.Sprintf("bench_%dm", n/1_000_000)
		pgEnsureTable(b, conn, table, n)
		for _, mode := range []string{"full", "full-512MB", "incremental"} {
			switch {
			case mode == "incremental" && n != 2_000_000:
				continue // keyset chunks: once, to compare with COPY
			case mode == "full-512MB" && n == 2_000_000:
				continue // DuckDB's memory_limit at 512MB: is peak RSS flat from 1M to 10M rows?
			}
			b.Run(fmt.Sprintf("%s/rows=%dM", mode, n/1_000_000), func(b *testing.B) {
				extra, args := "", []string(nil)
				switch mode {
				case "incremental":
					extra = "cursor: updated_at, "
				case "full-512MB":
					args = []string{"-memory-limit", "512MB"}
				}
				dir := extractProject(b, "pg-"+mode+"-"+table, fmt.Sprintf(`{from: postgres, dsn: "%s", %schunk_size: 50000}`, benchPgDSN, extra), table)
				bare := func() time.Duration {
					start := time.Now()
					c, err := pgx.Connect(ctx, benchPgDSN)
					if err != nil {
						b.Fatal(err)
					}
					defer c.Close(ctx)
					if _, err := c.PgConn().CopyTo(ctx, io.Discard, "COPY (SELECT * FROM "+table+") TO STDOUT (FORMAT binary)"); err != nil {
						b.Fatal(err)
					}
					return time.Since(start)
				}
				pairExtract(b, dir, n, "copy", bare, args...)
			})
		}
	}
}

func BenchmarkExtractMySQL(b *testing.B) {
	admin, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/")
	if err != nil {
		b.Fatal(err)
	}
	if err := admin.Ping(); err != nil {
		b.Skipf("no MariaDB server at 127.0.0.1:3306: %v", err)
	}
	_, _ = admin.Exec("CREATE DATABASE IF NOT EXISTS mart_bench")
	_ = admin.Close()
	db, err := sql.Open("mysql", benchMyDSN+"?multiStatements=true")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, n := range benchSizes {
		table := fmt.Sprintf("bench_%dm", n/1_000_000)
		myEnsureTable(b, db, table, n)
		b.Run(fmt.Sprintf("full/rows=%dM", n/1_000_000), func(b *testing.B) {
			dir := extractProject(b, "my-"+table, fmt.Sprintf(`{from: mysql, dsn: "%s"}`, benchMyDSN), table)
			bare := func() time.Duration {
				start := time.Now()
				c, err := sql.Open("mysql", benchMyDSN)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				rows, err := c.Query("SELECT * FROM " + table)
				if err != nil {
					b.Fatal(err)
				}
				raw := make([]sql.RawBytes, 7)
				ptrs := make([]any, len(raw))
				for i := range raw {
					ptrs[i] = &raw[i]
				}
				for rows.Next() {
					if err := rows.Scan(ptrs...); err != nil {
						b.Fatal(err)
					}
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				return time.Since(start)
			}
			pairExtract(b, dir, n, "select", bare)
		})
	}
}

// pairExtract times, in each iteration, the bare read and then an extract
// into a fresh DuckDB file, and reports both rates, their ratio and the
// extract's peak RSS.
func pairExtract(b *testing.B, dir string, rows int, bareName string, bare func() time.Duration, args ...string) {
	bin, err := buildBinary(b, "bench/cmd/extractload")
	if err != nil {
		b.Fatal(err)
	}
	db := filepath.Join(dir, "target", "mart.duckdb")
	var m metrics
	var bareTotal time.Duration
	b.ResetTimer()
	for range b.N {
		bareTotal += bare()
		discard(b, db)
		discard(b, db+".wal")
		m.add(run(b, dir, bin, append([]string{"-project-dir", dir}, args...)...))
	}
	b.StopTimer()
	m.report(b, 0)
	bareRate := float64(rows) * float64(b.N) / bareTotal.Seconds()
	extractRate := float64(rows) * float64(m.runs) / m.wall.Seconds()
	b.ReportMetric(bareRate, bareName+"-rows/s")
	b.ReportMetric(extractRate, "extract-rows/s")
	b.ReportMetric(extractRate/bareRate, "extract/"+bareName)
}

// extractProject writes a project extracting table with the given extract
// block, once per test binary.
func extractProject(b *testing.B, name, block, table string) string {
	dir := filepath.Join(scratchDir(b), "extract-"+name)
	if _, err := os.Stat(filepath.Join(dir, "mart.yml")); err == nil {
		return dir
	}
	files := map[string]string{
		"mart.yml":     "name: extract_bench\n",
		"profiles.yml": "extract_bench:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/mart.duckdb}\n",
		"models/sources.yml": fmt.Sprintf("version: 2\nsources:\n  - name: bench\n    schema: raw\n    extract: %s\n    tables:\n      - name: %s\n",
			block, table),
	}
	for f, body := range files {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func pgEnsureTable(b *testing.B, conn *pgx.Conn, table string, n int) {
	ctx := context.Background()
	var have int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&have); err == nil && have == int64(n) {
		return
	}
	start := time.Now()
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(pgBenchTable, table, n)); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE "+table); err != nil { // the visibility map, as on a settled table
		b.Fatal(err)
	}
	b.Logf("made PostgreSQL table %s (%d rows) in %s", table, n, time.Since(start).Round(time.Second))
}

func myEnsureTable(b *testing.B, db *sql.DB, table string, n int) {
	var have int64
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&have); err == nil && have == int64(n) {
		return
	}
	start := time.Now()
	if _, err := db.Exec("DROP TABLE IF EXISTS " + table); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf(myBenchTable, table, n)); err != nil {
		b.Fatal(err)
	}
	b.Logf("made MariaDB table %s (%d rows) in %s", table, n, time.Since(start).Round(time.Second))
}
