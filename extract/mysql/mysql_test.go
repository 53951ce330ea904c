package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/extract/extracttest"
	_ "github.com/mart-dev/mart/extract/mysql"
)

func TestMain(m *testing.M) { extracttest.Main(m) }

const paymentsYAML = `version: 2
sources:
  - name: pay
    schema: raw_pay
    extract:
      from: mysql
      dsn: "{{ env_var('PAY_DSN') }}"
      chunk_size: %d
    tables:
      - name: payments
        extract: {cursor: updated_at, lookback: 1m, deletes: reconcile}
      - name: methods
`

const paymentsSchema = `
CREATE TABLE methods (code varchar(10) PRIMARY KEY, label varchar(50) NOT NULL);
CREATE TABLE payments (
  id bigint PRIMARY KEY,
  reservation_id int NOT NULL,
  amount decimal(10,2) NOT NULL,
  method varchar(10) NOT NULL,
  status enum('pending', 'captured', 'refunded') NOT NULL,
  updated_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
);
INSERT INTO methods VALUES ('card', 'Card'), ('cash', 'Cash');
INSERT INTO payments (id, reservation_id, amount, method, status, updated_at) VALUES
  (1, 10, 12.50, 'card', 'captured', '2026-01-01 00:00:01'), (2, 11, 7.25, 'cash', 'pending', '2026-01-01 00:00:02'),
  (3, 12, 100.00, 'card', 'refunded', '2026-01-01 00:00:02'), (4, 13, 0.99, 'card', 'captured', '2026-01-01 00:00:03.5'),
  (5, 14, 45.10, 'cash', 'captured', '2026-01-01 00:00:04'), (6, 15, 3.00, 'card', 'pending', '2026-01-01 00:00:05'),
  (7, 16, 9.99, 'card', 'captured', '2026-01-01 00:00:06');
`

const (
	myPayments   = `SELECT id, reservation_id, CAST(amount AS CHAR), method, CAST(status AS CHAR), DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') FROM payments ORDER BY id`
	duckPayments = `SELECT id, reservation_id, amount::varchar, method, status, strftime(updated_at, '%Y-%m-%d %H:%M:%S.%f') FROM raw_pay.payments ORDER BY id`
	myMethods    = `SELECT code, label FROM methods ORDER BY code`
	duckMethods  = `SELECT code, label FROM raw_pay.methods ORDER BY code`
)

// payments makes the payments database and a project extracting it in
// chunks of chunk rows (3 unless given).
func payments(t *testing.T, chunk ...int) (string, *sql.DB) {
	t.Helper()
	dsn, db := extracttest.MySQL(t)
	extracttest.MyExec(t, db, paymentsSchema)
	t.Setenv("PAY_DSN", dsn)
	return extracttest.Project(t, fmt.Sprintf(paymentsYAML, append(chunk, 3)[0])), db
}

func myRows(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.Query(q)
	require.NoError(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	return out
}

func requireSame(t *testing.T, dir string, db *sql.DB) {
	t.Helper()
	require.Equal(t, myRows(t, db, myPayments), extracttest.Strings(extracttest.Query(t, dir, duckPayments)), "payments")
	require.Equal(t, myRows(t, db, myMethods), extracttest.Strings(extracttest.Query(t, dir, duckMethods)), "methods")
	assert.Equal(t, [][]any{{true}}, extracttest.Query(t, dir, `SELECT count(*) = count(DISTINCT id) FROM raw_pay.payments`))
}

func lines(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, r := range extracttest.MustExtract(t, dir, extracttest.RunOptions{}).Tables {
		out = append(out, extracttest.ResultLine(r))
	}
	return out
}

func TestExtractThenChanges(t *testing.T) {
	dir, db := payments(t)
	assert.Equal(t, []string{
		"pay.methods success rows=2 inserted=2 updated=0 deleted=0",
		"pay.payments success rows=7 inserted=7 updated=0 deleted=0",
	}, lines(t, dir))
	requireSame(t, dir, db)
	state := extracttest.Query(t, dir, `SELECT state::varchar, updated_at FROM raw_pay._mart_extract_state ORDER BY stream`)
	lines(t, dir)
	assert.Equal(t, state, extracttest.Query(t, dir, `SELECT state::varchar, updated_at FROM raw_pay._mart_extract_state ORDER BY stream`),
		"a run with nothing new changes nothing")

	extracttest.MyExec(t, db,
		`INSERT INTO payments (id, reservation_id, amount, method, status) VALUES (8, 17, 1.00, 'card', 'pending')`,
		`UPDATE payments SET status = 'refunded' WHERE id = 2`,
		`DELETE FROM payments WHERE id = 5`,
		`UPDATE methods SET label = 'Bank card' WHERE code = 'card'`,
		`INSERT INTO methods VALUES ('voucher', 'Voucher')`)
	assert.Equal(t, []string{
		"pay.methods success rows=3 inserted=1 updated=1 deleted=0",
		"pay.payments success rows=7 inserted=1 updated=1 deleted=1", // the lookback (1m) re-reads the 5 rows left too
	}, lines(t, dir))
	requireSame(t, dir, db)
}

func TestTypes(t *testing.T) {
	dsn, db := extracttest.MySQL(t)
	extracttest.MyExec(t, db, `CREATE TABLE kinds (
		id int unsigned PRIMARY KEY, tiny tinyint, big bigint unsigned, f float, d double, dec_ decimal(30,10),
		flag bit(3), yr year, day date, at datetime(3), ts timestamp(6) NULL, clock time, label varchar(10), body text,
		bin varbinary(8), doc json, pick enum('a','b'), many set('x','y'))`,
		`INSERT INTO kinds VALUES (1, -128, 18446744073709551615, 1.5, 0.1, 12345678901234567890.0123456789,
		 b'101', 2026, '2026-03-04', '2026-03-04 05:06:07.891', '2026-03-04 05:06:07.123456', '-10:11:12', 'héllo', 'x',
		 x'00ff', '{"a": [1, null]}', 'b', 'x,y')`,
		`INSERT INTO kinds (id) VALUES (2)`)
	t.Setenv("KINDS_DSN", dsn)
	dir := extracttest.Project(t, `version: 2
sources:
  - name: my
    schema: raw
    extract: {from: mysql, dsn: "{{ env_var('KINDS_DSN') }}"}
    tables:
      - name: kinds
`)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, [][]any{
		{"id", "BIGINT"}, {"tiny", "SMALLINT"}, {"big", "DECIMAL(20,0)"}, {"f", "FLOAT"}, {"d", "DOUBLE"}, {"dec_", "DECIMAL(30,10)"},
		{"flag", "BIGINT"}, {"yr", "INTEGER"}, {"day", "DATE"}, {"at", "TIMESTAMP"}, {"ts", "TIMESTAMP WITH TIME ZONE"}, {"clock", "VARCHAR"},
		{"label", "VARCHAR"}, {"body", "VARCHAR"}, {"bin", "BLOB"}, {"doc", "JSON"}, {"pick", "VARCHAR"}, {"many", "VARCHAR"},
		{"_mart_extracted_at", "TIMESTAMP WITH TIME ZONE"},
	}, extracttest.Query(t, dir, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'kinds' ORDER BY ordinal_position`))
	rows := extracttest.Query(t, dir, `SELECT id, tiny, big::varchar, f, d, dec_::varchar, flag, yr, day::varchar, "at", ts, clock, label, body, bin,
		doc::varchar, pick, many FROM raw.kinds ORDER BY id`)
	require.Len(t, rows, 2)
	assert.Equal(t, []any{int64(1), int16(-128), "18446744073709551615", float32(1.5), 0.1, "12345678901234567890.0123456789",
		int64(5), int32(2026), "2026-03-04", time.Date(2026, 3, 4, 5, 6, 7, 891000000, time.UTC), time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC),
		"-10:11:12", "héllo", "x", []byte{0, 0xff}, `{"a": [1, null]}`, "b", "x,y"}, rows[0])
	for i, v := range rows[1][1:] {
		assert.Nil(t, v, "column %d of the NULL row", i+1)
	}
}

func TestFaults(t *testing.T) {
	dir, db := payments(t)
	errsOf := func() []string {
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
	goodDSN := os.Getenv("PAY_DSN")
	good := strings.TrimPrefix(extracttest.MySQLAdmin, "root@")
	for _, dsn := range []string{"root:s3cr3t-Pa55@" + good + "x", "mysql://root:s3cr3t-Pa55@127.0.0.1:1/x", "nobody:s3cr3t-Pa55@" + good} {
		t.Setenv("PAY_DSN", dsn)
		errs := errsOf()
		require.Len(t, errs, 2, dsn)
		for _, e := range errs {
			assert.Contains(t, e, "extract source pay, table ")
			assert.Contains(t, e, "connect to MySQL")
			assert.NotContains(t, e, "s3cr3t")
		}
	}
	t.Setenv("PAY_DSN", goodDSN)
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	before := extracttest.Query(t, dir, `SELECT state::varchar, updated_at FROM raw_pay._mart_extract_state ORDER BY stream`)
	extracttest.MyExec(t, db, `UPDATE payments SET updated_at = '2020-01-01'`)
	errs := errsOf()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "extract source pay, table payments: cursor updated_at went backwards")
	assert.Equal(t, before, extracttest.Query(t, dir, `SELECT state::varchar, updated_at FROM raw_pay._mart_extract_state ORDER BY stream`))

	extracttest.MyExec(t, db, `ALTER TABLE payments DROP PRIMARY KEY`)
	errs = errsOf()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "extract source pay, table payments: no usable key")
}

func TestCrashAndRerun(t *testing.T) {
	// methods: one batch; payments: chunks of 3 (3, 3, 1), then the keys
	for _, fp := range []string{"staged:1", "committed:2", "staged:4", "committed:5"} {
		t.Run(fp, func(t *testing.T) {
			dir, db := payments(t)
			killed, out, err := extracttest.ExtractInChild(t, dir, extract.FailpointEnv+"="+fp)
			require.NoError(t, err, out)
			require.True(t, killed, out)
			_, out, err = extracttest.ExtractInChild(t, dir)
			require.NoError(t, err, out)
			requireSame(t, dir, db)
		})
	}
}

func TestConcurrentWriter(t *testing.T) {
	dir, db := payments(t, 97)
	extracttest.MyExec(t, db, `INSERT INTO payments (id, reservation_id, amount, method, status)
		SELECT 100 + seq, seq, seq / 100, 'card', 'pending' FROM seq_1_to_1500`)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var writes atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		next := 5000
		for ctx.Err() == nil {
			var q string
			switch id := 1 + rand.IntN(next); rand.IntN(3) {
			case 0:
				next++
				q = fmt.Sprintf(`INSERT INTO payments (id, reservation_id, amount, method, status) VALUES (%d, 1, 2.50, 'cash', 'pending')`, next)
			case 1:
				q = fmt.Sprintf(`UPDATE payments SET amount = amount + 1, status = 'captured' WHERE id = %d`, id)
			default:
				q = fmt.Sprintf(`DELETE FROM payments WHERE id = %d`, id)
			}
			if _, err := db.ExecContext(ctx, q); err == nil {
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
	requireSame(t, dir, db)
}
