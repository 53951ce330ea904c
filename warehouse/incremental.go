package warehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Incremental strategies (dbt's names).
const (
	StrategyAppend          = "append"
	StrategyMerge           = "merge"
	StrategyDeleteInsert    = "delete+insert"
	StrategyInsertOverwrite = "insert_overwrite"
	StrategyMicrobatch      = "microbatch"
)

// Strategies lists the incremental strategies in the order they are
// documented.
var Strategies = []string{StrategyMerge, StrategyAppend, StrategyDeleteInsert, StrategyInsertOverwrite, StrategyMicrobatch}

// on_schema_change modes.
const (
	SchemaIgnore           = "ignore"
	SchemaFail             = "fail"
	SchemaAppendNewColumns = "append_new_columns"
	SchemaSyncAllColumns   = "sync_all_columns"
)

// SchemaChangeModes lists the on_schema_change modes.
var SchemaChangeModes = []string{SchemaIgnore, SchemaFail, SchemaAppendNewColumns, SchemaSyncAllColumns}

// IncrementalOptions say how a new batch of rows is applied to an existing
// table. Field names follow dbt's config keys.
type IncrementalOptions struct {
	// Strategy is "append", "merge", "delete+insert", "insert_overwrite"
	// or "microbatch" (a delete+insert of exactly the batch window). A
	// merge without UniqueKey only inserts, like append.
	Strategy string
	// UniqueKey is the (possibly composite) key for merge and delete+insert.
	// Keys compare NULL-safely: a NULL key value matches a NULL key value,
	// so re-running a batch never duplicates rows whose key is NULL.
	UniqueKey []string
	// MergeUpdateColumns limits the columns a merge updates;
	// MergeExcludeColumns removes columns from the update.
	MergeUpdateColumns, MergeExcludeColumns []string
	// IncrementalPredicates are extra SQL conditions on the target rows a
	// merge or delete may touch, written against the aliases
	// DBT_INTERNAL_DEST (the table) and DBT_INTERNAL_SOURCE (the batch;
	// merge only).
	IncrementalPredicates []string
	// PartitionBy is the partition expression insert_overwrite replaces by:
	// a column name, an SQL expression, a list of columns, or a mapping
	// {field, data_type, granularity} in BigQuery's shape.
	PartitionBy any
	// Partitions is a static list of partitions to replace (SQL literals);
	// without it insert_overwrite replaces the partitions present in the
	// batch.
	Partitions []string
	// OnSchemaChange is "ignore" (default), "fail", "append_new_columns"
	// or "sync_all_columns".
	OnSchemaChange string
	// Dedupe keeps one row per unique key of the batch instead of failing
	// when the batch holds a key twice. The row kept is chosen
	// deterministically: the greatest by the batch's columns in order.
	Dedupe bool
	// EventTime, BatchStart and BatchEnd bound a microbatch: the target's
	// rows with BatchStart <= EventTime < BatchEnd are replaced by the batch.
	// A batch row outside the window is an error (it would never be
	// replaced by a re-run of the batch).
	EventTime            string
	BatchStart, BatchEnd time.Time
	// Replace builds the table from the batch alone, replacing whatever is
	// at the relation (first run, full refresh). The batch is still checked
	// for duplicate keys (or deduplicated), so a full refresh yields what
	// the incremental runs do. Without Replace, a missing table is created
	// from the batch the same way.
	Replace bool
	// Table carries descriptions and labels for tables created on the way.
	Table TableOptions
}

// Validate checks the options that do not depend on the tables.
func (o IncrementalOptions) Validate() error {
	if !slices.Contains(Strategies, o.Strategy) {
		return fmt.Errorf("unknown incremental_strategy %q (expected one of %s)", o.Strategy, strings.Join(Strategies, ", "))
	}
	if o.OnSchemaChange != "" && !slices.Contains(SchemaChangeModes, o.OnSchemaChange) {
		return fmt.Errorf("unknown on_schema_change %q (expected one of %s)", o.OnSchemaChange, strings.Join(SchemaChangeModes, ", "))
	}
	switch o.Strategy {
	case StrategyDeleteInsert:
		if len(o.UniqueKey) == 0 {
			return errors.New("incremental_strategy delete+insert needs a unique_key")
		}
	case StrategyInsertOverwrite:
		if o.PartitionBy == nil && len(o.Partitions) == 0 {
			return errors.New("incremental_strategy insert_overwrite needs partition_by")
		}
	case StrategyMicrobatch:
		if o.EventTime == "" {
			return errors.New("incremental_strategy microbatch needs an event_time column")
		}
		if o.BatchStart.IsZero() || o.BatchEnd.IsZero() || !o.BatchStart.Before(o.BatchEnd) {
			return fmt.Errorf("microbatch window [%s, %s) is empty", o.BatchStart, o.BatchEnd)
		}
	}
	if len(o.MergeUpdateColumns) > 0 && len(o.MergeExcludeColumns) > 0 {
		return errors.New("merge_update_columns and merge_exclude_columns cannot both be set")
	}
	return nil
}

// KeyChecked reports whether the batch must hold each unique key at most
// once: for merge and delete+insert with a unique key.
func (o IncrementalOptions) KeyChecked() bool {
	return len(o.UniqueKey) > 0 && (o.Strategy == StrategyMerge || o.Strategy == StrategyDeleteInsert)
}

// IncrementalResult reports what an incremental run changed.
type IncrementalResult struct {
	Rows          int64    // rows inserted or updated (Created: the new table's rows)
	Deleted       int64    // rows deleted before inserting (delete+insert, insert_overwrite, microbatch)
	Created       bool     // the table was created or replaced from the batch
	Deduplicated  int64    // batch rows dropped by Dedupe
	SchemaChanges []string // human-readable column changes applied
}

// SnapshotOptions configure an SCD type 2 snapshot (dbt's config names).
type SnapshotOptions struct {
	Strategy string // "timestamp" or "check"
	// UniqueKey is one or more columns, or SQL expressions over the
	// columns (`id || '-' || kind`, as dbt allows): see KeyParts.
	UniqueKey   []string
	UpdatedAt   string   // timestamp strategy: the column that says a row changed
	CheckCols   []string // check strategy: columns compared; nil or ["all"] = all but the key
	HardDeletes string   // "ignore" (default), "invalidate" or "new_record"
	// Column names of the snapshot's metadata columns; empty means dbt's
	// defaults dbt_valid_from, dbt_valid_to, dbt_scd_id, dbt_updated_at,
	// dbt_is_deleted.
	ValidFrom, ValidTo, SCDID, UpdatedAtColumn, IsDeleted string
	// ValidToCurrent, if set, is the SQL value of valid_to for current rows
	// (default NULL).
	ValidToCurrent string
	// Now is the snapshot time: the valid_from of versions found by the
	// check strategy, and the valid_to of rows closed by a hard delete.
	// Zero means the current time.
	Now time.Time
}

// KeyPart is one part of a snapshot's unique key as an adapter compares
// it: Column names it, in the staged rows and (unless Expr is set) in the
// table; for an expression, Column is a staging column the adapter adds
// (prefix + index) and Expr is evaluated on the table's rows to compare.
type KeyPart struct {
	Column string
	Expr   string
}

// IsKeyExpression says a unique_key entry is an SQL expression, not a
// column name: it holds an operator, a call, a cast or a literal.
func IsKeyExpression(k string) bool { return strings.ContainsAny(k, "()|'+*/:,") }

// SnapshotKey is a snapshot's unique key as an adapter compares it.
type SnapshotKey []KeyPart

// KeyParts returns the unique key's parts; expression parts are staged as
// the columns prefix0, prefix1, ...
func (o SnapshotOptions) KeyParts(prefix string) SnapshotKey {
	out := make(SnapshotKey, len(o.UniqueKey))
	for i, k := range o.UniqueKey {
		out[i] = KeyPart{Column: k}
		if IsKeyExpression(k) {
			out[i] = KeyPart{Column: prefix + strconv.Itoa(i), Expr: k}
		}
	}
	return out
}

// Columns are the names the parts are compared under.
func (k SnapshotKey) Columns() []string {
	out := make([]string, len(k))
	for i, p := range k {
		out[i] = p.Column
	}
	return out
}

// QueryColumns are the parts that must be columns of the snapshot's query.
func (k SnapshotKey) QueryColumns() []string {
	var out []string
	for _, p := range k {
		if p.Expr == "" {
			out = append(out, p.Column)
		}
	}
	return out
}

// IsStaged says name is the staging column of an expression part.
func (k SnapshotKey) IsStaged(name string) bool {
	for _, p := range k {
		if p.Expr != "" && strings.EqualFold(p.Column, name) {
			return true
		}
	}
	return false
}

// StagedSQL is ", (expr) AS column" for each expression part, to append to
// a SELECT *, and the quoted staging columns (nil when there are none).
func (k SnapshotKey) StagedSQL(quote func(string) string) (selectList string, columns []string) {
	var b strings.Builder
	for _, p := range k {
		if p.Expr != "" {
			b.WriteString(", (" + p.Expr + ") AS " + quote(p.Column))
			columns = append(columns, quote(p.Column))
		}
	}
	return b.String(), columns
}

// HasKeyExpression says some part of the unique key is an expression.
func (o SnapshotOptions) HasKeyExpression() bool {
	for _, k := range o.UniqueKey {
		if IsKeyExpression(k) {
			return true
		}
	}
	return false
}

// Snapshot strategies and hard_deletes modes.
const (
	SnapshotTimestamp = "timestamp"
	SnapshotCheck     = "check"

	HardDeletesIgnore     = "ignore"
	HardDeletesInvalidate = "invalidate"
	HardDeletesNewRecord  = "new_record"
)

// SnapshotColumns are the resolved names of a snapshot's metadata columns.
type SnapshotColumns struct {
	ValidFrom, ValidTo, SCDID, UpdatedAt, IsDeleted string
}

// Columns returns the metadata column names, with dbt's defaults for the
// ones not set.
func (o SnapshotOptions) Columns() SnapshotColumns {
	or := func(s, def string) string {
		if s != "" {
			return s
		}
		return def
	}
	return SnapshotColumns{
		ValidFrom: or(o.ValidFrom, "dbt_valid_from"),
		ValidTo:   or(o.ValidTo, "dbt_valid_to"),
		SCDID:     or(o.SCDID, "dbt_scd_id"),
		UpdatedAt: or(o.UpdatedAtColumn, "dbt_updated_at"),
		IsDeleted: or(o.IsDeleted, "dbt_is_deleted"),
	}
}

// Validate checks the options that do not depend on the tables.
func (o SnapshotOptions) Validate() error {
	switch o.Strategy {
	case SnapshotTimestamp:
		if o.UpdatedAt == "" {
			return errors.New("snapshot strategy timestamp needs updated_at")
		}
	case SnapshotCheck:
	default:
		return fmt.Errorf("unknown snapshot strategy %q (expected timestamp or check)", o.Strategy)
	}
	if len(o.UniqueKey) == 0 {
		return errors.New("a snapshot needs a unique_key")
	}
	switch o.HardDeletes {
	case "", HardDeletesIgnore, HardDeletesInvalidate, HardDeletesNewRecord:
	default:
		return fmt.Errorf("unknown hard_deletes %q (expected ignore, invalidate or new_record)", o.HardDeletes)
	}
	c := o.Columns()
	names := []string{c.ValidFrom, c.ValidTo, c.SCDID, c.UpdatedAt, c.IsDeleted}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[strings.ToLower(n)] {
			return fmt.Errorf("snapshot_meta_column_names: %q is used twice", n)
		}
		seen[strings.ToLower(n)] = true
	}
	return nil
}

// SnapshotResult reports what a snapshot run changed.
type SnapshotResult struct {
	Created       bool     // the first run created the table
	Inserted      int64    // versions inserted (Created: the table's rows)
	Closed        int64    // current versions closed (changed or deleted at the source)
	SchemaChanges []string // columns added to the snapshot table
}

// Incrementer is implemented by adapters that support incremental models
// and snapshots. Each call is atomic: on any error (including a batch that
// holds a unique key twice without Dedupe, a schema change refused by
// OnSchemaChange, or a cancelled ctx) the table is left exactly as it was.
// A call that failed can simply be repeated.
type Incrementer interface {
	// Incremental applies the rows of selectSQL to the table r. The
	// select runs exactly once.
	Incremental(ctx context.Context, r Relation, selectSQL string, opt IncrementalOptions) (IncrementalResult, error)
	// Snapshot creates the snapshot table r from selectSQL on the first run
	// and records changes as SCD2 history on later runs.
	Snapshot(ctx context.Context, r Relation, selectSQL string, opt SnapshotOptions) (SnapshotResult, error)
	// LatestEventTime returns the greatest value of column in table r
	// (a date or timestamp), and false when r is missing or has no
	// non-NULL value there.
	LatestEventTime(ctx context.Context, r Relation, column string) (time.Time, bool, error)
}

// DuplicateKeyError says that a batch holds some unique key more than
// once.
type DuplicateKeyError struct {
	Relation Relation
	Key      []string   // the unique_key columns
	Keys     int64      // distinct key values that occur more than once
	Rows     int64      // batch rows holding those values
	Examples [][]string // a few of those values, most repeated first ("NULL" for NULL)
	Counts   []int64    // how often each example occurs
}

func (e *DuplicateKeyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the new batch for %s holds %d value(s) of unique_key (%s) more than once (%d rows)",
		e.Relation, e.Keys, strings.Join(e.Key, ", "), e.Rows)
	for i, ex := range e.Examples {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		parts := make([]string, len(ex))
		for j, v := range ex {
			parts[j] = e.Key[j] + "=" + v
		}
		fmt.Fprintf(&b, "%s (%d rows)", strings.Join(parts, " "), e.Counts[i])
	}
	if int64(len(e.Examples)) < e.Keys {
		b.WriteString(", ...")
	}
	b.WriteString("; fix the model or set dedupe: true to keep one row per key")
	return b.String()
}

// SchemaChangeError says that the columns of a batch differ from the
// table's in a way on_schema_change does not allow.
type SchemaChangeError struct {
	Relation       Relation
	OnSchemaChange string
	Added          []Column // in the batch, not in the table
	Removed        []Column // in the table, not in the batch
	Changed        []TypeChange
}

// TypeChange is a column whose type differs between table and batch.
type TypeChange struct {
	Name, From, To string
}

func (e *SchemaChangeError) Error() string {
	var parts []string
	if len(e.Added) > 0 {
		parts = append(parts, "new columns "+columnList(e.Added, true))
	}
	if len(e.Removed) > 0 {
		parts = append(parts, "missing columns "+columnList(e.Removed, false))
	}
	for _, c := range e.Changed {
		parts = append(parts, fmt.Sprintf("column %s changed type from %s to %s", c.Name, c.From, c.To))
	}
	mode := e.OnSchemaChange
	if mode == "" {
		mode = SchemaIgnore
	}
	hint := "set on_schema_change to append_new_columns or sync_all_columns, or run with --full-refresh"
	if mode == SchemaIgnore {
		hint = "set on_schema_change to append_new_columns (keeps them, NULL in new rows) or sync_all_columns (drops them), or run with --full-refresh"
	}
	return fmt.Sprintf("the columns of %s and of the new batch differ (on_schema_change: %s): %s; %s",
		e.Relation, mode, strings.Join(parts, "; "), hint)
}

func columnList(cols []Column, types bool) string {
	s := make([]string, len(cols))
	for i, c := range cols {
		s[i] = c.Name
		if types {
			s[i] += " " + c.Type
		}
	}
	return strings.Join(s, ", ")
}
