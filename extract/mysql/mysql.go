// Package mysql is mart extract's MySQL and MariaDB source
// (go-sql-driver/mysql): every read of a table runs in one
// `START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY` on one
// connection; full loads stream one SELECT, incremental loads and the
// keys of deletes reconciliation read keyset chunks; rows are streamed
// from the socket as they come, never buffered whole.
package mysql

import (
	"context"

	"github.com/mart-dev/mart/extract"
)

func init() {
	extract.Register("mysql", extract.Kind{
		Modes: []string{extract.ModeFull, extract.ModeIncremental},
		Extract: func(ctx context.Context, j *extract.Job) error {
			r, err := openReader(ctx, j)
			if err != nil {
				return err
			}
			defer r.Close()
			return j.Extract(ctx, r)
		},
	})
}
