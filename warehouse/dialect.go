package warehouse

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Dialect is an engine's SQL text: everything mart writes for an engine
// that needs no connection. The compiler uses it to name relations and
// render the cross-database macros (so `mart compile` works offline), and
// the runner to wrap test queries and write literal rows. A [Warehouse]
// carries its engine's Dialect, so compile time and run time quote alike.
//
// Every method is covered by the conformance suite (warehousetest), which
// runs the SQL it writes on the engine.
type Dialect interface {
	// Name is the engine's name as a profile's `type:` spells it.
	Name() string
	// QuoteIdent quotes an identifier so that any text, including quotes,
	// spaces and non-ASCII letters, round-trips ("a""b" in DuckDB).
	QuoteIdent(s string) string
	// QuoteString quotes a string literal so that any text round-trips.
	QuoteString(s string) string
	// RelationName renders database.schema.name fully quoted; an empty
	// database is left out (the connection's current one applies).
	RelationName(database, schema, name string) string
	// CrossDB renders one of dbt's cross-database macros (date_trunc,
	// dateadd, datediff, safe_cast, hash, concat, type_string, ...) from its
	// arguments, which are SQL text already.
	CrossDB(name string, args []string) (string, error)
	// TimestampLiteral is t, in UTC, as a timestamp expression.
	TimestampLiteral(t time.Time) string
	// TestQuery wraps a data test's query (its rows are the failures) into
	// a query of one row: the column failures, and with a custom fail_calc,
	// warn_if or error_if also should_warn and should_error (1 or 0).
	TestQuery(q TestQuery) string
	// LimitQuery keeps the first n rows of a query.
	LimitQuery(sql string, n int) string
	// ValuesQuery is a query of literal rows: one column per cols entry,
	// cast to its Type when it has one (the engine's own spelling). A row
	// holds one value per column: nil, bool, an integer, float64, string,
	// time.Time (a date when it is midnight) or anything else, printed with
	// fmt. No rows gives the columns and no row.
	ValuesQuery(cols []Column, rows [][]any) string
	// SelectAll reads every row of a relation given by its RelationName.
	SelectAll(relation string) string
	// DiffQuery compares two relations' rows in the warehouse, in one
	// query whose rows ReadDiff reads: kind, n (the kind's count), example
	// (a key or row as JSON text, or NULL) and changed_columns (a changed
	// example's differing columns, ", "-separated). One row per kind at
	// least; the unchanged rows are counted, never listed.
	DiffQuery(d DiffSpec) string
}

// NameFolder is implemented by a Dialect whose identifiers match whatever
// their case (DuckDB's): FoldName maps a relation name to the form every
// spelling of that relation shares. A Dialect without it tells names apart
// by case (BigQuery's dataset and table names).
type NameFolder interface {
	FoldName(name string) string
}

// TestQuery is a data test to run (see [Dialect.TestQuery]).
type TestQuery struct {
	// SQL is the test's compiled query; its rows are failing rows.
	SQL string
	// Limit, when above 0, caps the failing rows counted (dbt's limit).
	Limit int
	// FailCalc, WarnIf and ErrorIf are dbt's test configs; "" means
	// count(*), "!= 0" and "!= 0".
	FailCalc, WarnIf, ErrorIf string
}

// Simple reports whether the test uses dbt's defaults: then its query has
// the failures column only, and should_warn and should_error follow from it
// (any failure).
func (q TestQuery) Simple() bool {
	norm := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	return (q.FailCalc == "" || norm(q.FailCalc) == "count(*)") &&
		(q.WarnIf == "" || norm(q.WarnIf) == "!=0") && (q.ErrorIf == "" || norm(q.ErrorIf) == "!=0")
}

// StandardTestQuery writes TestQuery in the SQL that DuckDB and BigQuery
// share: a count over the test's query, or dbt's shape with the custom
// calculation and thresholds. limit writes the Limit wrapper.
func StandardTestQuery(q TestQuery, limit func(string, int) string) string {
	inner := strings.TrimRight(strings.TrimSpace(q.SQL), ";")
	if q.Limit > 0 {
		inner = limit(inner, q.Limit)
	}
	if q.Simple() {
		return "select count(*) as failures from (\n" + inner + "\n) dbt_internal_test"
	}
	calc := firstOf(q.FailCalc, "count(*)")
	return fmt.Sprintf("select %s as failures, case when %s %s then 1 else 0 end as should_warn, "+
		"case when %s %s then 1 else 0 end as should_error from (\n%s\n) dbt_internal_test",
		calc, calc, firstOf(q.WarnIf, "!= 0"), calc, firstOf(q.ErrorIf, "!= 0"), inner)
}

// StandardLimitQuery is `select * from (sql) dbt_limited limit n`.
func StandardLimitQuery(sql string, n int) string {
	return "select * from (\n" + strings.TrimRight(strings.TrimSpace(sql), ";") + "\n) dbt_limited limit " + fmt.Sprint(n)
}

func firstOf(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// IsMidnight reports whether t is a whole day, which literal rows write as
// a date.
func IsMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// NonFinite is how mart spells a NaN or infinite float: "nan", "inf",
// "-inf", as Python's str() does. JSON has no number for them, so
// manifest.json and the JSON events write these strings; literal rows
// write a cast from them (DuckDB and BigQuery read all three; a bare inf
// is a column name). ok is false for any other value.
func NonFinite(v any) (text string, ok bool) {
	var f float64
	switch t := v.(type) {
	case float64:
		f = t
	case float32:
		f = float64(t)
	default:
		return "", false
	}
	switch {
	case math.IsNaN(f):
		return "nan", true
	case math.IsInf(f, 1):
		return "inf", true
	case math.IsInf(f, -1):
		return "-inf", true
	}
	return "", false
}

// Unquote strips the quotes around a macro argument given as a literal
// ('day', "day"), as the cross-database macros read their datepart.
func Unquote(s string) string { return strings.Trim(strings.TrimSpace(s), `'"`) }
