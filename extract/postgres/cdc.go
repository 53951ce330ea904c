package postgres

import (
	"context"
	"errors"

	"github.com/mart-dev/mart/extract"
)

// extractCDC lands a table through logical replication.
func extractCDC(ctx context.Context, j *extract.Job) error {
	return errors.New("mode cdc is not implemented yet")
}
