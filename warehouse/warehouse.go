package warehouse

import (
	"context"
	"strings"
)

// Relation names a table or view. Database is the DuckDB catalog or the
// BigQuery project and may be "" for the connection's current one; Schema is
// the DuckDB schema or the BigQuery dataset and may be "" for the adapter's
// default schema.
type Relation struct {
	Database string `json:"database,omitempty"`
	Schema   string `json:"schema"`
	Name     string `json:"name"`
}

// String renders r unquoted, dot-separated and without empty parts, for
// messages and logs. Use [Warehouse.RelationSQL] to put r into SQL.
func (r Relation) String() string {
	parts := make([]string, 0, 3)
	for _, p := range []string{r.Database, r.Schema, r.Name} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ".")
}

// Column is a column name and its type as the engine spells it
// (for example "BIGINT" or "DECIMAL(10,2)" in DuckDB, "INT64" in BigQuery).
type Column struct {
	Name, Type string
}

// FindColumn looks a column up by name case-insensitively, as DuckDB and
// BigQuery resolve column names.
func FindColumn(cols []Column, name string) (Column, bool) {
	for _, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Column{}, false
}

// Rows is a fully read query result.
//
// Values holds plain Go values: nil for NULL, bool, signed integers,
// float64, string, []byte, time.Time, []any and map[string]any for nested
// types. Engine-specific scalars without an exact plain Go equivalent
// (DECIMAL, UUID, INTERVAL, 128-bit integers, ...) are rendered as strings, so
// printing a value with fmt never shows a driver's internal struct.
type Rows struct {
	Columns []Column
	Values  [][]any
}

// TableOptions are the per-model table settings. Engines ignore what they
// have no equivalent for: DuckDB ignores PartitionBy, ClusterBy and Labels,
// and stores Description and ColumnDescriptions as catalog comments.
type TableOptions struct {
	// PartitionBy is the engine-specific partitioning config (BigQuery).
	PartitionBy any
	// ClusterBy lists clustering columns (BigQuery).
	ClusterBy []string
	// Description documents the table.
	Description string
	// Labels are key/value tags (BigQuery).
	Labels map[string]string
	// ColumnDescriptions documents columns by name. Names that are not
	// columns of the new table are ignored.
	ColumnDescriptions map[string]string
	// Contract, when set, is the model's enforced contract: the table is
	// created with its columns, in its order, and the constraints the
	// engine enforces (ContractWarehouse), then filled from the query.
	Contract *Contract
}

// SeedOptions control [Warehouse.LoadSeed].
type SeedOptions struct {
	// ColumnTypes overrides the inferred type of the named columns with a
	// type in the engine's own spelling ("varchar", "decimal(10,2)"). Names
	// match header columns case-insensitively; a name that is not in the
	// header is an error.
	ColumnTypes map[string]string
	// Delimiter separates fields; 0 means ','.
	Delimiter rune
	// FullRefresh drops the existing relation before loading. Seeds are
	// always full loads that replace the previous table atomically; a full
	// refresh additionally removes it first (for example to get rid of a
	// view of the same name or of engine-side dependents).
	FullRefresh bool
	// QuoteColumns asks for column names to be quoted in SQL. Adapters that
	// always quote (DuckDB) ignore it.
	QuoteColumns bool
}

// Warehouse is one connection (pool) to a database engine. Implementations
// must be safe for concurrent use by multiple goroutines: the build runs
// several models at once.
//
// Errors coming from the engine are wrapped with %w and keep the engine's
// own message text, which the build prints as is.
type Warehouse interface {
	// Dialect is the engine's SQL text; Name is the adapter's name, e.g.
	// "duckdb".
	Dialect
	// RelationSQL renders r fully quoted for use in SQL. An empty Database is
	// omitted; an empty Schema means the adapter's default schema.
	RelationSQL(r Relation) string

	// Exec runs one or more statements (hooks, operations) and returns the
	// rows affected by the last one. It is not retried.
	Exec(ctx context.Context, sql string) (rowsAffected int64, err error)
	// Query runs a query and returns at most limit rows (limit <= 0: all).
	Query(ctx context.Context, sql string, limit int) (*Rows, error)

	// EnsureSchema creates the schema (dataset) if it does not exist. It is
	// idempotent and safe to call from many goroutines at once.
	EnsureSchema(ctx context.Context, database, schema string) error
	// Describe returns the columns of r and its kind, "table" or "view".
	// A missing relation is not an error: it returns nil, "", nil.
	Describe(ctx context.Context, r Relation) (cols []Column, kind string, err error)
	// ListRelations lists the tables and views of a schema (without the
	// adapter's temporary build relations).
	ListRelations(ctx context.Context, database, schema string) ([]Relation, error)

	// CreateView atomically creates or replaces the view r. If a table of
	// that name exists it is replaced in the same transaction.
	CreateView(ctx context.Context, r Relation, selectSQL string) error
	// CreateTable atomically creates or replaces the table r from selectSQL,
	// with the engine's cheapest all-or-nothing form: on DuckDB one
	// transactional CREATE OR REPLACE; where DDL is not transactional, a
	// build under a temporary name (see [TempName]) swapped in at the end.
	// On any failure, including cancellation of ctx, whatever was at r
	// before (table, view or nothing) is left exactly as it was and no
	// temporary relation remains. It returns the row count of the new table.
	CreateTable(ctx context.Context, r Relation, selectSQL string, opt TableOptions) (rows int64, err error)
	// Insert appends the rows of selectSQL to the existing table r
	// (positionally) and returns how many were inserted.
	Insert(ctx context.Context, r Relation, selectSQL string) (int64, error)
	// Drop drops r, table or view, if it exists.
	Drop(ctx context.Context, r Relation) error

	// LoadSeed validates the CSV file at csvPath (see [ScanSeed]) and loads it
	// as the table r, atomically like CreateTable. It returns the number of
	// rows loaded. Validation errors are *[SeedError].
	LoadSeed(ctx context.Context, r Relation, csvPath string, opt SeedOptions) (rows int64, err error)

	// Close releases the connection pool.
	Close() error
}

// TempRelationLister is implemented by adapters that can list leftover
// temporary build relations (those whose name satisfies [IsTempName]). The
// conformance suite requires it to check that failed builds leave nothing
// behind.
type TempRelationLister interface {
	TempRelations(ctx context.Context) ([]Relation, error)
}

// Kinder is implemented by adapters that tell a relation's kind more
// cheaply than Describe, which lists its columns too (on DuckDB a view's
// columns are a catalog scan).
type Kinder interface {
	// Kind returns "table", "view" or "" (missing), as Describe does.
	Kind(ctx context.Context, r Relation) (string, error)
}

// KindOf returns r's kind ("table", "view" or "" when it is missing):
// Kinder's answer when w has one, else Describe's.
func KindOf(ctx context.Context, w Warehouse, r Relation) (string, error) {
	if k, ok := w.(Kinder); ok {
		return k.Kind(ctx, r)
	}
	_, kind, err := w.Describe(ctx, r)
	return kind, err
}
