package duckdb

import (
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// Dialect is DuckDB's SQL text: double-quoted identifiers, standard
// string literals, "catalog"."schema"."name" relations, and dbt-duckdb's
// cross-database macros. The zero value is ready to use; [Warehouse]
// embeds it.
type Dialect struct{}

var _ warehouse.Dialect = Dialect{}

// Name returns "duckdb".
func (Dialect) Name() string { return "duckdb" }

// FoldName: DuckDB's identifiers match whatever their case
// (warehouse.NameFolder).
func (Dialect) FoldName(name string) string { return strings.ToLower(name) }

// QuoteIdent quotes s as a DuckDB identifier: "a""b". Quoted identifiers may
// contain any character; DuckDB still compares them case-insensitively.
func (Dialect) QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// QuoteString quotes s as a DuckDB string literal, doubling embedded single
// quotes. Backslashes have no special meaning in DuckDB literals.
func (Dialect) QuoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// RelationName renders "database"."schema"."name", without the database
// when it is empty.
func (d Dialect) RelationName(db, schema, name string) string {
	s := d.QuoteIdent(schema) + "." + d.QuoteIdent(name)
	if db != "" {
		s = d.QuoteIdent(db) + "." + s
	}
	return s
}

// TimestampLiteral is TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC.
func (d Dialect) TimestampLiteral(t time.Time) string {
	return "timestamp " + d.QuoteString(t.UTC().Format("2006-01-02 15:04:05.999999"))
}

// TestQuery is dbt's test wrapper.
func (d Dialect) TestQuery(q warehouse.TestQuery) string {
	return warehouse.StandardTestQuery(q, d.LimitQuery)
}

// LimitQuery keeps the first n rows.
func (Dialect) LimitQuery(sql string, n int) string { return warehouse.StandardLimitQuery(sql, n) }

// SelectAll reads every row of relation.
func (Dialect) SelectAll(relation string) string { return "select * from " + relation }

// ValuesQuery writes literal rows as SELECTs joined by UNION ALL, and no
// rows as one SELECT of typed NULLs with WHERE 1 = 0.
func (d Dialect) ValuesQuery(cols []warehouse.Column, rows [][]any) string {
	sel := func(row []any) string {
		parts := make([]string, len(cols))
		for i, c := range cols {
			var v any
			if i < len(row) {
				v = row[i]
			}
			lit := d.literal(v)
			if c.Type != "" {
				lit = "cast(" + lit + " as " + c.Type + ")"
			}
			parts[i] = lit + " as " + d.QuoteIdent(c.Name)
		}
		return "select " + strings.Join(parts, ", ")
	}
	if len(rows) == 0 {
		return sel(nil) + " where 1 = 0"
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = sel(r)
	}
	return strings.Join(out, "\nunion all\n")
}

// literal writes a value; times and dates are strings that DuckDB casts
// where they meet a typed column.
func (d Dialect) literal(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		if t {
			return "true"
		}
		return "false"
	case float32, float64:
		if text, ok := warehouse.NonFinite(t); ok {
			return "cast(" + d.QuoteString(text) + " as double)"
		}
		return fmt.Sprint(t)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(t)
	case time.Time:
		if warehouse.IsMidnight(t) {
			return d.QuoteString(t.Format("2006-01-02"))
		}
		return d.QuoteString(t.Format("2006-01-02 15:04:05.999999"))
	case string:
		return d.QuoteString(t)
	}
	return d.QuoteString(fmt.Sprint(v))
}

// CrossDB renders dbt's cross-database macros as dbt-duckdb does.
func (d Dialect) CrossDB(name string, a []string) (string, error) {
	switch name {
	case "date_trunc":
		return fmt.Sprintf("date_trunc('%s', %s)", warehouse.Unquote(a[0]), a[1]), nil
	case "dateadd":
		return fmt.Sprintf("(%s + (interval '1 %s' * (%s)))", a[2], warehouse.Unquote(a[0]), a[1]), nil
	case "datediff":
		return fmt.Sprintf("date_diff('%s', %s, %s)", warehouse.Unquote(a[2]), a[0], a[1]), nil
	case "safe_cast":
		return fmt.Sprintf("try_cast(%s as %s)", a[0], a[1]), nil
	case "cast":
		return fmt.Sprintf("cast(%s as %s)", a[0], a[1]), nil
	case "hash":
		return fmt.Sprintf("md5(cast(%s as varchar))", a[0]), nil
	case "concat":
		parts := make([]string, len(a))
		for i, x := range a {
			parts[i] = fmt.Sprintf("cast(%s as varchar)", x)
		}
		return "(" + strings.Join(parts, " || ") + ")", nil
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
	case "current_timestamp":
		return "current_timestamp", nil
	}
	if t, ok := crossDBTypes[name]; ok {
		return t, nil
	}
	return "", fmt.Errorf("unknown cross-database macro %s", name)
}

// crossDBTypes are the type_* macros.
var crossDBTypes = map[string]string{"type_string": "varchar", "type_int": "bigint", "type_bigint": "bigint",
	"type_numeric": "decimal(28,6)", "type_float": "double", "type_timestamp": "timestamp", "type_boolean": "boolean"}

// DiffQuery compares two relations (see warehouse.DiffSpec): keys and
// rows as JSON text (to_json of a struct), changed columns by concat_ws.
func (d Dialect) DiffQuery(s warehouse.DiffSpec) string {
	return warehouse.StandardDiffQuery(s, warehouse.DiffDialect{Quote: d.QuoteIdent, QuoteStr: d.QuoteString, TextType: "varchar",
		JSON: func(cols []string) string {
			parts := make([]string, len(cols))
			for i, c := range cols {
				parts[i] = d.QuoteIdent(c) + " := " + d.QuoteIdent(c)
			}
			return "cast(to_json(struct_pack(" + strings.Join(parts, ", ") + ")) as varchar)"
		},
		JoinNames: func(names []string) string { return "concat_ws(', ', " + strings.Join(names, ", ") + ")" },
	})
}

// FreshnessQuery selects max(loadedAt) and current_timestamp (the check of
// `mart source freshness`). A TIMESTAMP column is read as UTC, as dbt does.
func (Dialect) FreshnessQuery(relation, loadedAt, filter string) string {
	return warehouse.StandardFreshnessQuery(relation, loadedAt, filter, "current_timestamp", func(s string) string { return s })
}

// ExternalRelation reads files in place: a table function call as written,
// a path (glob, URL) as a string literal, which DuckDB reads by its
// extension (csv, parquet, json); relative paths are relative to the
// project (file_search_path).
func (d Dialect) ExternalRelation(location string) string {
	if strings.Contains(location, "(") || strings.HasPrefix(location, "'") {
		return location
	}
	return d.QuoteString(location)
}
