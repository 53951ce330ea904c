package compiler

import (
	"embed"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/compiler/jinja"
)

//go:embed builtin/*.sql
var builtinFS embed.FS

// Dialect is what compilation needs to know of the target warehouse's SQL:
// quoting, relation names and the cross-database macros. The warehouse
// adapters own the execution side; this is the text side, so that
// `mart compile` works without a connection.
type Dialect interface {
	Name() string
	QuoteIdent(s string) string
	QuoteString(s string) string
	RelationName(database, schema, identifier string) string
	// CrossDB renders dbt's cross-database macros (date_trunc, dateadd, ...).
	CrossDB(name string, args []string) (string, error)
}

// DialectFor returns the dialect of a target type.
func DialectFor(typ string) (Dialect, error) {
	switch typ {
	case "duckdb":
		return duckdbDialect{}, nil
	case "bigquery":
		return bigqueryDialect{}, nil
	}
	return nil, fmt.Errorf("unknown warehouse type %q", typ)
}

type duckdbDialect struct{}

func (duckdbDialect) Name() string { return "duckdb" }
func (duckdbDialect) QuoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
func (duckdbDialect) QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
func (d duckdbDialect) RelationName(db, schema, name string) string {
	if db == "" {
		return d.QuoteIdent(schema) + "." + d.QuoteIdent(name)
	}
	return d.QuoteIdent(db) + "." + d.QuoteIdent(schema) + "." + d.QuoteIdent(name)
}

func (duckdbDialect) CrossDB(name string, a []string) (string, error) {
	switch name {
	case "date_trunc":
		return fmt.Sprintf("date_trunc('%s', %s)", unquote(a[0]), a[1]), nil
	case "dateadd":
		return fmt.Sprintf("(%s + (interval '1 %s' * (%s)))", a[2], unquote(a[0]), a[1]), nil
	case "datediff":
		return fmt.Sprintf("date_diff('%s', %s, %s)", unquote(a[2]), a[0], a[1]), nil
	case "safe_cast":
		return fmt.Sprintf("try_cast(%s as %s)", a[0], a[1]), nil
	case "cast":
		return fmt.Sprintf("cast(%s as %s)", a[0], a[1]), nil
	case "hash":
		return fmt.Sprintf("md5(cast(%s as varchar))", a[0]), nil
	case "concat":
		return "(" + strings.Join(castAll(a, "varchar"), " || ") + ")", nil
	case "type_string":
		return "varchar", nil
	case "type_int", "type_bigint":
		return "bigint", nil
	case "type_numeric":
		return "decimal(28,6)", nil
	case "type_float":
		return "double", nil
	case "type_timestamp":
		return "timestamp", nil
	case "type_boolean":
		return "boolean", nil
	case "current_timestamp":
		return "current_timestamp", nil
	case "split_part":
		return fmt.Sprintf("split_part(%s, %s, %s)", a[0], a[1], a[2]), nil
	case "last_day":
		return fmt.Sprintf("last_day(%s)", a[0]), nil
	case "listagg":
		return fmt.Sprintf("string_agg(%s, %s)", a[0], a[1]), nil
	case "bool_or":
		return fmt.Sprintf("bool_or(%s)", a[0]), nil
	case "any_value":
		return fmt.Sprintf("any_value(%s)", a[0]), nil
	case "json_extract_scalar":
		return fmt.Sprintf("json_extract_string(%s, %s)", a[0], a[1]), nil
	}
	return "", fmt.Errorf("unknown cross-database macro %s", name)
}

type bigqueryDialect struct{}

func (bigqueryDialect) Name() string { return "bigquery" }

// QuoteIdent quotes with backticks; backslashes and backticks are escaped.
func (d bigqueryDialect) QuoteIdent(s string) string { return "`" + d.escape(s, '`') + "`" }

// QuoteString quotes with single quotes and GoogleSQL's backslash escapes,
// so that any text round-trips.
func (d bigqueryDialect) QuoteString(s string) string { return "'" + d.escape(s, '\'') + "'" }

// RelationName is one backticked path, `project.dataset.table` (the
// dataset's when db is empty: the job's project then applies).
func (d bigqueryDialect) RelationName(db, schema, name string) string {
	if db == "" {
		return "`" + d.escape(schema, '`') + "." + d.escape(name, '`') + "`"
	}
	return "`" + d.escape(db, '`') + "." + d.escape(schema, '`') + "." + d.escape(name, '`') + "`"
}

func (bigqueryDialect) escape(s string, q byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == q:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// CrossDB renders dbt's cross-database macros as dbt-bigquery does.
func (d bigqueryDialect) CrossDB(name string, a []string) (string, error) {
	switch name {
	case "date_trunc":
		return fmt.Sprintf("timestamp_trunc(cast(%s as timestamp), %s)", a[1], d.datePart(a[0])), nil
	case "dateadd":
		return fmt.Sprintf("datetime_add(cast(%s as datetime), interval (%s) %s)", a[2], a[1], d.datePart(a[0])), nil
	case "datediff":
		return fmt.Sprintf("datetime_diff(cast(%s as datetime), cast(%s as datetime), %s)", a[1], a[0], d.datePart(a[2])), nil
	case "safe_cast":
		return fmt.Sprintf("safe_cast(%s as %s)", a[0], bqType(a[1])), nil
	case "cast":
		return fmt.Sprintf("cast(%s as %s)", a[0], bqType(a[1])), nil
	case "hash":
		return fmt.Sprintf("to_hex(md5(cast(%s as string)))", a[0]), nil
	case "concat": // BigQuery's concat takes strings only
		return "concat(" + strings.Join(castAll(a, "string"), ", ") + ")", nil
	case "type_string":
		return "string", nil
	case "type_int", "type_bigint":
		return "int64", nil
	case "type_numeric":
		return "numeric", nil
	case "type_float":
		return "float64", nil
	case "type_timestamp":
		return "timestamp", nil
	case "type_boolean":
		return "bool", nil
	case "current_timestamp":
		return "current_timestamp()", nil
	case "split_part": // part_number counts from 1; negative counts from the end
		if n := strings.TrimSpace(a[2]); strings.HasPrefix(n, "-") {
			return fmt.Sprintf("array_reverse(split(%s, %s))[safe_ordinal(%s)]", a[0], a[1], strings.TrimPrefix(n, "-")), nil
		}
		return fmt.Sprintf("split(%s, %s)[safe_ordinal(%s)]", a[0], a[1], a[2]), nil
	case "last_day":
		return fmt.Sprintf("last_day(cast(%s as date))", a[0]), nil
	case "listagg":
		return fmt.Sprintf("string_agg(%s, %s)", a[0], a[1]), nil
	case "bool_or":
		return fmt.Sprintf("logical_or(%s)", a[0]), nil
	case "any_value":
		return fmt.Sprintf("any_value(%s)", a[0]), nil
	case "json_extract_scalar":
		return fmt.Sprintf("json_value(%s, %s)", a[0], a[1]), nil
	}
	return "", fmt.Errorf("unknown cross-database macro %s", name)
}

// datePart turns a datepart argument ('day', "MONTH", day) into BigQuery's
// unquoted part name.
func (bigqueryDialect) datePart(s string) string {
	p := strings.ToLower(unquote(s))
	switch p {
	case "dow", "dayofweek":
		return "dayofweek"
	case "doy", "dayofyear":
		return "dayofyear"
	}
	return p
}

// bqType maps common SQL type names to BigQuery's, keeping parameters where
// BigQuery has them (numeric(10, 2)).
func bqType(t string) string {
	base, params, _ := strings.Cut(strings.TrimSpace(t), "(")
	if params != "" {
		params = "(" + params
	}
	switch strings.ToLower(strings.TrimSpace(base)) {
	case "integer", "int", "bigint", "smallint", "tinyint", "byteint", "int64":
		return "int64"
	case "varchar", "text", "string", "char", "character varying", "uuid":
		return "string"
	case "double", "double precision", "float", "float8", "real", "float64":
		return "float64"
	case "boolean", "bool":
		return "bool"
	case "decimal", "numeric":
		return "numeric" + params
	case "timestamptz", "timestamp with time zone":
		return "timestamp"
	case "blob", "bytea", "binary", "varbinary":
		return "bytes"
	}
	return t
}

func unquote(s string) string { return strings.Trim(strings.TrimSpace(s), `'"`) }

func castAll(xs []string, typ string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("cast(%s as %s)", x, typ)
	}
	return out
}

// crossDBArity is how many arguments each cross-database macro takes.
var crossDBArity = map[string]int{"date_trunc": 2, "dateadd": 3, "datediff": 3, "safe_cast": 2, "cast": 2,
	"hash": 1, "concat": -1, "type_string": 0, "type_int": 0, "type_bigint": 0, "type_numeric": 0,
	"type_float": 0, "type_timestamp": 0, "type_boolean": 0, "current_timestamp": 0, "split_part": 3,
	"last_day": 1, "listagg": 2, "bool_or": 1, "any_value": 1, "json_extract_scalar": 2}

// crossDBFuncs returns the cross-database macros as template functions.
func crossDBFuncs(d Dialect) map[string]any {
	out := map[string]any{}
	for name, arity := range crossDBArity {
		out[name] = jinja.Func(func(args []any, kw map[string]any) (any, error) {
			strs := make([]string, 0, len(args)+len(kw))
			for _, p := range args {
				strs = append(strs, jinja.Str(p))
			}
			for _, k := range crossDBKwOrder[name] {
				if v, ok := kw[k]; ok {
					strs = append(strs, jinja.Str(v))
				}
			}
			if arity >= 0 && len(strs) != arity {
				return nil, fmt.Errorf("%s() takes %d arguments, got %d", name, arity, len(strs))
			}
			return d.CrossDB(name, strs)
		})
	}
	out["__quote_literal"] = jinja.Func(func(args []any, _ map[string]any) (any, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("__quote_literal takes one value")
		}
		switch v := args[0].(type) {
		case int, float64, bool:
			return jinja.Str(v), nil
		}
		return d.QuoteString(jinja.Str(args[0])), nil
	})
	return out
}

var crossDBKwOrder = map[string][]string{
	"date_trunc": {"datepart", "date"},
	"dateadd":    {"datepart", "interval", "from_date_or_timestamp"},
	"datediff":   {"first_date", "second_date", "datepart"},
	"safe_cast":  {"field", "type"},
	"cast":       {"field", "type"},
	"hash":       {"field"},
	"split_part": {"string_text", "delimiter_text", "part_number"},
	"listagg":    {"measure", "delimiter_text"},
}
