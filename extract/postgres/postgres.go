// Package postgres is mart extract's PostgreSQL source (pgx): full loads
// with COPY ... TO STDOUT in binary, incremental keyset chunks, all in one
// read-only repeatable-read snapshot per table, and change data capture
// through logical replication (pgoutput). Its session carries an
// application_name, a statement and a lock timeout, and may read from a
// replica (replica_dsn).
package postgres

import (
	"context"
	"time"

	"github.com/mart-dev/mart/extract"
)

// cleanupTimeout bounds closing a connection after a failure.
const cleanupTimeout = 10 * time.Second

func init() {
	extract.Register("postgres", extract.Kind{
		Modes:   []string{extract.ModeFull, extract.ModeIncremental, extract.ModeCDC},
		Extract: extractTable,
	})
}

func extractTable(ctx context.Context, j *extract.Job) error {
	if j.Config.Mode == extract.ModeCDC {
		return extractCDC(ctx, j)
	}
	r, err := openReader(ctx, j)
	if err != nil {
		return err
	}
	defer r.Close()
	return j.Extract(ctx, r)
}
