package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mart-dev/mart/extract"
)

// connect opens one connection to dsn with mart's session settings: the
// application_name, statement and lock timeouts, and a bound on idling
// inside a transaction (so a killed mart never holds a snapshot for long).
func connect(ctx context.Context, c extract.Config, dsn string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	p := cfg.RuntimeParams
	p["application_name"] = c.ApplicationName
	p["lock_timeout"] = ms(c.LockTimeout)
	p["statement_timeout"] = ms(c.StatementTimeout)
	p["idle_in_transaction_session_timeout"] = ms(10 * time.Minute)
	p["TimeZone"] = "UTC"
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 30 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return conn, nil
}

func ms(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// snapshot begins the read-only, repeatable-read transaction every read of
// a table shares: one consistent snapshot however many chunks it takes.
func snapshot(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
		return fmt.Errorf("begin a read-only snapshot: %w", err)
	}
	return nil
}
