package extract

import (
	"context"

	"github.com/mart-dev/mart/warehouse"
)

// Reader reads one table of a tabular store (PostgreSQL, MySQL, MongoDB)
// on one read-only, snapshot-consistent session: every call sees the same
// data. Job.Extract runs the table's mode with it.
type Reader interface {
	// Describe returns the table's columns, primary key and size.
	Describe(ctx context.Context) (*Schema, error)
	// ReadAll stages every row in one batch (a full load). Schemaless
	// readers (Schema.Columns nil) are never asked to.
	ReadAll(ctx context.Context, stage Stager) error
	// ReadChunk stages the rows that q selects, as one batch.
	ReadChunk(ctx context.Context, q Chunk, stage Stager) error
	// Max returns the greatest non-NULL value of the column, nil if none.
	Max(ctx context.Context, column string) (any, error)
	// Close ends the session.
	Close() error
}

// Stager stages one batch: a reader calls it once per ReadAll or
// ReadChunk with the batch's columns, and fill adds the rows, streamed.
// The values of a row must be of the Go types its column's kind holds
// (see warehouse.LandKind) and must not be changed after add returns; the
// row slice itself may be reused.
type Stager func(cols []warehouse.LandColumn, fill func(add func(row []any) error) error) error

// Schema describes a source table.
type Schema struct {
	// Columns in the table's order; nil for a schemaless store (MongoDB),
	// whose columns each batch brings.
	Columns []warehouse.LandColumn
	// PrimaryKey as the store declares it (nil: none).
	PrimaryKey []string
	// Keys are the types of the primary key's columns, for a schemaless
	// store (with Columns, they are found there).
	Keys []warehouse.LandColumn
	// KeyEnforced says the store guarantees PrimaryKey unique.
	KeyEnforced bool
	// EstimatedRows is the store's estimate (0: unknown), for the ETA.
	EstimatedRows int64
}

// Chunk selects rows in keyset order.
type Chunk struct {
	// Columns to read; nil for all.
	Columns []string
	// Order sorts the rows ascending: the cursor then the primary key, or
	// the primary key alone.
	Order []string
	// After, when set, keeps the rows whose Order values are greater
	// (row-wise) than it.
	After []any
	// From, when set (and After is not), keeps the rows whose first Order
	// column is >= From. Rows whose first Order column is NULL are never
	// read.
	From any
	// Limit caps the rows.
	Limit int
}
