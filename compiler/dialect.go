package compiler

import (
	"embed"
	"fmt"
	"strings"

	"github.com/flosch/pongo2/v6"

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
func (bigqueryDialect) QuoteIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "\\`") + "`"
}
func (bigqueryDialect) QuoteString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
func (d bigqueryDialect) RelationName(db, schema, name string) string {
	if db == "" {
		return "`" + schema + "." + name + "`"
	}
	return "`" + db + "." + schema + "." + name + "`"
}

func (bigqueryDialect) CrossDB(name string, a []string) (string, error) {
	switch name {
	case "date_trunc":
		return fmt.Sprintf("timestamp_trunc(cast(%s as timestamp), %s)", a[1], strings.ToLower(unquote(a[0]))), nil
	case "dateadd":
		return fmt.Sprintf("datetime_add(cast(%s as datetime), interval %s %s)", a[2], a[1], unquote(a[0])), nil
	case "datediff":
		return fmt.Sprintf("datetime_diff(cast(%s as datetime), cast(%s as datetime), %s)", a[1], a[0], unquote(a[2])), nil
	case "safe_cast":
		return fmt.Sprintf("safe_cast(%s as %s)", a[0], bqType(a[1])), nil
	case "cast":
		return fmt.Sprintf("cast(%s as %s)", a[0], bqType(a[1])), nil
	case "hash":
		return fmt.Sprintf("to_hex(md5(cast(%s as string)))", a[0]), nil
	case "concat":
		return "concat(" + strings.Join(a, ", ") + ")", nil
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
	case "split_part":
		return fmt.Sprintf("split(%s, %s)[safe_ordinal(%s)]", a[0], a[1], a[2]), nil
	case "last_day":
		return fmt.Sprintf("last_day(%s)", a[0]), nil
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

// bqType maps common SQL type names to BigQuery's.
func bqType(t string) string {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "integer", "int", "bigint", "smallint":
		return "int64"
	case "varchar", "text", "string":
		return "string"
	case "double", "float", "real":
		return "float64"
	case "boolean", "bool":
		return "bool"
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
		name, arity := name, arity
		out[name] = func(args ...*pongo2.Value) (*pongo2.Value, error) {
			pos, kw := jinja.SplitArgs(args)
			strs := make([]string, 0, len(pos)+len(kw))
			for _, p := range pos {
				strs = append(strs, p.String())
			}
			for _, k := range crossDBKwOrder[name] {
				if v, ok := kw[k]; ok {
					strs = append(strs, v.String())
				}
			}
			if arity >= 0 && len(strs) != arity {
				return nil, fmt.Errorf("%s() takes %d arguments, got %d", name, arity, len(strs))
			}
			s, err := d.CrossDB(name, strs)
			if err != nil {
				return nil, err
			}
			return pongo2.AsSafeValue(s), nil
		}
	}
	out["__quote_literal"] = func(v *pongo2.Value) string {
		if v.IsNumber() || v.IsBool() {
			return v.String()
		}
		return d.QuoteString(v.String())
	}
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
