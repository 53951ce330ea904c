package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/mart-dev/mart/extract"
)

// parseDSN reads the driver's DSN (user:password@tcp(host:port)/db) or a
// mysql:// URL.
func parseDSN(dsn string) (*mysql.Config, error) {
	if !strings.HasPrefix(dsn, "mysql://") {
		return mysql.ParseDSN(dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("not a mysql:// URL: %v", redactedURLError(err))
	}
	cfg := mysql.NewConfig()
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Net, cfg.Addr = "tcp", u.Host
	if u.Port() == "" {
		cfg.Addr = u.Hostname() + ":3306"
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	for k, v := range u.Query() {
		if cfg.Params == nil {
			cfg.Params = map[string]string{}
		}
		cfg.Params[k] = v[0]
	}
	return cfg, nil
}

// redactedURLError keeps url.Parse's reason, not the URL it quotes.
func redactedURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

type nopLogger struct{}

func (nopLogger) Print(...any) {}

// connect opens one connection with mart's session settings: UTC, the
// statement and lock timeouts, and mart's name in the connection
// attributes.
func connect(ctx context.Context, c extract.Config, dsn string) (*sql.DB, *sql.Conn, error) {
	cfg, err := parseDSN(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("dsn: %w", err)
	}
	if cfg.DBName == "" && c.Database != "" {
		cfg.DBName = c.Database
	}
	cfg.InterpolateParams = true // one round trip a query, text protocol
	cfg.Loc = time.UTC
	cfg.Logger = nopLogger{}
	cfg.ConnectionAttributes = "program_name:" + strings.NewReplacer(",", " ", ":", " ").Replace(c.ApplicationName)
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("dsn: %w", err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		_ = db.Close()
		return nil, nil, fmt.Errorf("connect to MySQL: %w", err)
	}
	if err := session(ctx, conn, c); err != nil {
		_ = conn.Close()
		_ = db.Close()
		return nil, nil, err
	}
	return db, conn, nil
}

// session sets the time zone and timeouts, then begins the snapshot.
func session(ctx context.Context, conn *sql.Conn, c extract.Config) error {
	stmts := []string{"SET time_zone = '+00:00'", "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"}
	if c.LockTimeout > 0 {
		s := max(int(c.LockTimeout.Seconds()), 1)
		stmts = append(stmts, fmt.Sprintf("SET SESSION lock_wait_timeout = %d", s), fmt.Sprintf("SET SESSION innodb_lock_wait_timeout = %d", s))
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("connect to MySQL: %s: %w", s, err)
		}
	}
	if c.StatementTimeout > 0 {
		// MySQL calls it max_execution_time (ms, SELECTs only), MariaDB
		// max_statement_time (seconds)
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET SESSION max_statement_time = %g", c.StatementTimeout.Seconds())); err != nil {
			if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET SESSION max_execution_time = %d", c.StatementTimeout.Milliseconds())); err != nil {
				return fmt.Errorf("set the statement timeout: %w", err)
			}
		}
	}
	if _, err := conn.ExecContext(ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"); err != nil {
		return fmt.Errorf("begin a read-only snapshot: %w", err)
	}
	return nil
}
