package extracttest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // MySQL() uses database/sql
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// PostgresAdmin is the local server's administrative DSN (trust auth).
const PostgresAdmin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Postgres creates a fresh database on the local PostgreSQL server and
// returns its DSN and a connection to it; both go away with the test. It
// skips (or fails, see SkipOrFail) when the server is not there.
func Postgres(t testing.TB) (string, *pgx.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, PostgresAdmin)
	if err != nil {
		SkipOrFail(t, "no PostgreSQL server at 127.0.0.1:5432: %v", err)
	}
	name := "mart_extract_" + randomSuffix()
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	_ = admin.Close(ctx)
	require.NoError(t, err)
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:5432/%s?sslmode=disable", name)
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = conn.Close(ctx)
		if admin, err := pgx.Connect(ctx, PostgresAdmin); err == nil {
			// replication slots pin a database: drop them first
			_, _ = admin.Exec(ctx, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active", name)
			_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			_ = admin.Close(ctx)
		}
	})
	return dsn, conn
}

// PgExec runs statements on a PostgreSQL test database.
func PgExec(t testing.TB, conn *pgx.Conn, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := conn.Exec(context.Background(), s)
		require.NoError(t, err, s)
	}
}

// MySQLAdmin is the local MariaDB server's administrative DSN.
const MySQLAdmin = "root@tcp(127.0.0.1:3306)/"

// MySQL creates a fresh database on the local MariaDB server and returns
// its DSN and a pool on it; both go away with the test.
func MySQL(t testing.TB) (string, *sql.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("mysql", MySQLAdmin)
	require.NoError(t, err)
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		SkipOrFail(t, "no MariaDB/MySQL server at 127.0.0.1:3306: %v", err)
	}
	name := "mart_extract_" + randomSuffix()
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	dsn := "root@tcp(127.0.0.1:3306)/" + name
	db, err := sql.Open("mysql", dsn+"?multiStatements=true")
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = db.Close()
		if admin, err := sql.Open("mysql", MySQLAdmin); err == nil {
			_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name)
			_ = admin.Close()
		}
	})
	return dsn, db
}

// MyExec runs statements on a MySQL test database.
func MyExec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// PgRows reads rows from a PostgreSQL test database.
func PgRows(t testing.TB, conn *pgx.Conn, q string) [][]any {
	t.Helper()
	rows, err := conn.Query(context.Background(), q)
	require.NoError(t, err, q)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
	require.NoError(t, err, q)
	return out
}
