package warehouse

import (
	"context"
	"fmt"
	"time"
)

// This file holds the engine-neutral vocabulary of landing extracted rows
// (mart extract): the column types a source reports, what a staged batch
// is, and the session an adapter opens to apply batches to a raw table and
// record the stream's state with them. Package extract declares the
// interface it needs from a warehouse (a Land method returning a
// [Landing]); adapters implement it in their own files.

// LandKind is the engine-neutral type of an extracted column. Each kind
// says which Go values a row holds for it (nil is NULL for every kind).
type LandKind uint8

const (
	// LandText holds string.
	LandText LandKind = iota + 1
	// LandBool holds bool.
	LandBool
	// LandInt16, LandInt32 and LandInt64 hold int64 (or any smaller Go
	// signed integer).
	LandInt16
	LandInt32
	LandInt64
	// LandFloat32 and LandFloat64 hold float64 (or float32).
	LandFloat32
	LandFloat64
	// LandDecimal holds the unscaled value at the column's Scale: int64 when
	// Precision <= 18, else *big.Int (12.34 in DECIMAL(10,2) is 1234).
	LandDecimal
	// LandBytes holds []byte.
	LandBytes
	// LandDate holds time.Time at midnight UTC.
	LandDate
	// LandTime holds a time of day as time.Time (the date is ignored).
	LandTime
	// LandTimestamp holds a wall-clock time without zone as time.Time in UTC.
	LandTimestamp
	// LandTimestampTZ holds an instant as time.Time.
	LandTimestampTZ
	// LandJSON holds JSON text as string (documents, JSON/JSONB columns).
	LandJSON
	// LandUUID holds the 16 bytes of a UUID as []byte.
	LandUUID
	// LandList holds []any of values of the type Elem.
	LandList
)

// MaxDecimalPrecision is the widest decimal every adapter holds exactly
// (DuckDB's DECIMAL(38, s); BigQuery's BIGNUMERIC holds more). Sources
// land wider or unconstrained decimals as exact text.
const MaxDecimalPrecision = 38

// LandType is an extracted column's type.
type LandType struct {
	Kind LandKind
	// Precision and Scale of a LandDecimal.
	Precision, Scale int
	// Elem is the element type of a LandList.
	Elem *LandType
}

// String renders t for messages: "decimal(10,2)", "list<int64>".
func (t LandType) String() string {
	switch t.Kind {
	case LandDecimal:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	case LandList:
		if t.Elem == nil {
			return "list<?>"
		}
		return "list<" + t.Elem.String() + ">"
	}
	if int(t.Kind) < len(landKindNames) && landKindNames[t.Kind] != "" {
		return landKindNames[t.Kind]
	}
	return fmt.Sprintf("kind(%d)", t.Kind)
}

var landKindNames = [...]string{
	LandText: "text", LandBool: "bool", LandInt16: "int16", LandInt32: "int32", LandInt64: "int64",
	LandFloat32: "float32", LandFloat64: "float64", LandBytes: "bytes", LandDate: "date", LandTime: "time",
	LandTimestamp: "timestamp", LandTimestampTZ: "timestamptz", LandJSON: "json", LandUUID: "uuid",
}

// LandColumn is one column of a staged batch, as the source names it.
type LandColumn struct {
	Name string
	Type LandType
}

// Columns that a landed table carries besides the source's.
const (
	// ExtractedAtColumn is when the row was last inserted or changed by
	// mart extract.
	ExtractedAtColumn = "_mart_extracted_at"
	// DeletedAtColumn is when the row was seen deleted in the source
	// (keep_deleted: true); NULL while it exists there.
	DeletedAtColumn = "_mart_deleted_at"
	// FileColumn names the file a row of a files source came from.
	FileColumn = "_mart_file"
	// ExtractStateTable is the name of the table holding every stream's
	// state in a raw schema.
	ExtractStateTable = "_mart_extract_state"
)

// LandTable says where one stream lands and how its rows are keyed.
type LandTable struct {
	// Table is the raw table.
	Table Relation
	// State is the state table of Table's schema (ExtractStateTable).
	State Relation
	// Stream is the stream's key in State.
	Stream string
	// PrimaryKey lists the key columns rows are merged by. Without one, a
	// whole batch replaces the table.
	PrimaryKey []string
	// KeyEnforced says the source enforces PrimaryKey (a PRIMARY KEY
	// constraint, MongoDB's _id), so a batch of rows cannot repeat a key and
	// the adapter may skip checking that it does not.
	KeyEnforced bool
	// KeepDeleted keeps rows deleted in the source, with DeletedAtColumn
	// set, instead of deleting them.
	KeepDeleted bool
	// ExtractedAt stamps the rows the session's commits insert or change.
	ExtractedAt time.Time
	// Rebuild replaces the table (a full refresh): the session's first
	// commit drops the table's rows and columns, in its transaction.
	Rebuild bool
}

// BatchKind says what a staged batch holds.
type BatchKind uint8

const (
	// BatchRows holds source rows, at most one per primary key value.
	BatchRows BatchKind = iota
	// BatchKeys holds the primary key values of every source row (the
	// columns are the key's): a commit of it with Whole deletes the rows
	// whose key is not among them.
	BatchKeys
	// BatchChanges holds change events in the order they happened: each
	// row is the source's columns followed by the operation, ChangeUpsert
	// or ChangeDelete (a delete needs only its key columns). The last
	// change of each key wins.
	BatchChanges
)

// Operations of a BatchChanges row.
const (
	ChangeUpsert = "u"
	ChangeDelete = "d"
)

// Batch describes a batch to stage.
type Batch struct {
	Kind    BatchKind
	Columns []LandColumn
}

// LandCommit says how Commit applies the staged batch.
type LandCommit struct {
	// State is the stream's new state, written in the same transaction.
	State []byte
	// Whole says the staged batch (rows or keys) is the whole source
	// table: table rows whose key is not staged are deleted (or marked, see
	// LandTable.KeepDeleted); a table without a primary key is replaced
	// by the staged rows.
	Whole bool
	// NoBatch commits the state alone; the staged batch is left unused.
	NoBatch bool
	// DeleteFiles deletes the rows whose FileColumn is one of these names
	// (files that are gone from a files source).
	DeleteFiles []string
}

// LandCounts are the row changes a commit made to the raw table.
type LandCounts struct {
	Inserted, Updated, Deleted int64
}

// Landing is a session that lands one stream into one raw table. It is
// used by one goroutine at a time (fill's add may run on another
// goroutine than Stage's caller, never at the same time as another call).
//
// Each Commit is one transaction: it creates the table or evolves it to
// the staged columns (new columns are added, a type widens where the engine
// can widen it, any other type change fails naming the column), applies the
// batch, and writes the state. On error nothing of it remains.
type Landing interface {
	// State returns the stream's committed state, nil if there is none.
	State(ctx context.Context) ([]byte, error)
	// Stage replaces the staged batch with the rows fill adds, through the
	// engine's bulk path. add must not keep row.
	Stage(ctx context.Context, b Batch, fill func(add func(row []any) error) error) (rows int64, err error)
	// Commit applies the staged batch and writes c.State, atomically.
	Commit(ctx context.Context, c LandCommit) (LandCounts, error)
	// Close ends the session and drops what it staged.
	Close() error
}

// FileFormat is the format of a landed file.
type FileFormat string

// File formats.
const (
	FormatCSV     FileFormat = "csv"
	FormatJSON    FileFormat = "json" // newline-delimited JSON
	FormatParquet FileFormat = "parquet"
)

// FileStager is implemented by a Landing whose engine reads files itself
// (DuckDB's read_csv, read_json and read_parquet; BigQuery's load jobs).
// StageFiles replaces the staged batch with the rows of the files, each
// with FileColumn set to the name it is given in names, and returns the
// batch's columns as the engine inferred them (FileColumn last). A commit
// of such a batch first deletes the table's rows whose FileColumn is one
// of names.
type FileStager interface {
	StageFiles(ctx context.Context, format FileFormat, paths, names []string) (cols []Column, rows int64, err error)
}
