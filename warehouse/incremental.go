package warehouse

import (
	"context"
	"time"
)

// IncrementalOptions say how a new batch of rows is applied to an existing
// table. Field names follow dbt's config keys.
type IncrementalOptions struct {
	// Strategy is "append", "merge", "delete+insert", "insert_overwrite"
	// or "microbatch" (a delete+insert of exactly the batch window).
	Strategy string
	// UniqueKey is the (possibly composite) key for merge and delete+insert.
	UniqueKey []string
	// MergeUpdateColumns limits the columns a merge updates;
	// MergeExcludeColumns removes columns from the update.
	MergeUpdateColumns, MergeExcludeColumns []string
	// IncrementalPredicates are extra SQL conditions on the target rows a
	// merge or delete may touch, written against the aliases
	// DBT_INTERNAL_DEST (the table) and DBT_INTERNAL_SOURCE (the batch).
	IncrementalPredicates []string
	// PartitionBy is the partition expression insert_overwrite replaces by
	// (a column, or an engine-specific config such as BigQuery's dict).
	PartitionBy any
	// Partitions is a static list of partitions to replace (BigQuery).
	Partitions []string
	// OnSchemaChange is "ignore" (default), "fail", "append_new_columns"
	// or "sync_all_columns".
	OnSchemaChange string
	// Dedupe keeps one row per unique key of the batch instead of failing
	// when the batch holds a key twice.
	Dedupe bool
	// EventTime, BatchStart and BatchEnd bound a microbatch: the target's
	// rows with BatchStart <= EventTime < BatchEnd are replaced by the batch.
	EventTime            string
	BatchStart, BatchEnd time.Time
	// Table carries descriptions and labels for tables created on the way.
	Table TableOptions
}

// IncrementalResult reports what an incremental run changed.
type IncrementalResult struct {
	Rows          int64    // rows inserted or updated
	SchemaChanges []string // human-readable column changes applied
}

// SnapshotOptions configure an SCD type 2 snapshot (dbt's config names).
type SnapshotOptions struct {
	Strategy    string   // "timestamp" or "check"
	UniqueKey   []string // one or more columns
	UpdatedAt   string   // timestamp strategy: the column that says a row changed
	CheckCols   []string // check strategy: columns compared; nil or ["all"] = all
	HardDeletes string   // "ignore" (default), "invalidate" or "new_record"
	// Column names of the snapshot's metadata columns; empty means dbt's
	// defaults dbt_valid_from, dbt_valid_to, dbt_scd_id, dbt_updated_at,
	// dbt_is_deleted.
	ValidFrom, ValidTo, SCDID, UpdatedAtColumn, IsDeleted string
	// ValidToCurrent, if set, is the SQL value of valid_to for current rows
	// (default NULL).
	ValidToCurrent string
}

// Incrementer is implemented by adapters that support incremental models
// and snapshots. Each call is atomic: on any error (including a batch that
// holds a unique key twice without Dedupe, or a schema change refused by
// OnSchemaChange) the table is left exactly as it was.
type Incrementer interface {
	// Incremental applies the rows of selectSQL to the existing table r.
	Incremental(ctx context.Context, r Relation, selectSQL string, opt IncrementalOptions) (IncrementalResult, error)
	// Snapshot creates the snapshot table r from selectSQL on the first run
	// and records changes as SCD2 history on later runs.
	Snapshot(ctx context.Context, r Relation, selectSQL string, opt SnapshotOptions) (rows int64, err error)
}
