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

// CrossDB renders dbt's cross-database macros as dbt-duckdb does (its
// own duckdb__ macros, else dbt's default__ ones). The compiler binds the
// arguments: optional ones left out are "", concat's fields and
// array_construct's inputs are the last arguments, one each.
func (d Dialect) CrossDB(name string, a []string) (string, error) {
	switch name {
	case "date_trunc":
		return fmt.Sprintf("date_trunc('%s', %s)", warehouse.Unquote(a[0]), a[1]), nil
	case "dateadd":
		return fmt.Sprintf("(%s + (interval '1 %s' * (%s)))", a[2], warehouse.Unquote(a[0]), a[1]), nil
	case "datediff":
		return d.datediff(a[0], a[1], warehouse.Unquote(a[2])), nil
	case "safe_cast":
		return fmt.Sprintf("try_cast(%s as %s)", a[0], a[1]), nil
	case "cast":
		return fmt.Sprintf("cast(%s as %s)", a[0], a[1]), nil
	case "hash":
		return fmt.Sprintf("md5(cast(%s as %s))", a[0], translateType("string")), nil
	case "concat": // default__concat: the fields joined by ||
		return strings.Join(a, " || "), nil
	case "split_part":
		return fmt.Sprintf("split_part(%s, %s, %s)", a[0], a[1], a[2]), nil
	case "last_day":
		return d.lastDay(a[0], warehouse.Unquote(a[1])), nil
	case "listagg":
		return listagg(a[0], a[1], a[2], a[3]), nil
	case "bool_or":
		return fmt.Sprintf("bool_or(%s)", a[0]), nil
	case "any_value":
		return fmt.Sprintf("any_value(%s)", a[0]), nil
	case "json_extract_scalar":
		return fmt.Sprintf("json_extract_string(%s, %s)", a[0], a[1]), nil
	case "current_timestamp":
		return "current_timestamp", nil
	case "escape_single_quotes":
		return strings.ReplaceAll(a[0], "'", "''"), nil
	case "string_literal":
		return "'" + a[0] + "'", nil
	case "position":
		return fmt.Sprintf("position(%s in %s)", a[0], a[1]), nil
	case "length":
		return fmt.Sprintf("length(%s)", a[0]), nil
	case "replace":
		return fmt.Sprintf("replace(%s, %s, %s)", a[0], a[1], a[2]), nil
	case "right":
		return fmt.Sprintf("right(%s, %s)", a[0], a[1]), nil
	case "cast_bool_to_text":
		return fmt.Sprintf("cast(%s as %s)", a[0], translateType("string")), nil
	case "array_construct": // a[0] is the data_type, the inputs follow
		if len(a) == 1 {
			return fmt.Sprintf("array[]::%s[]", a[0]), nil
		}
		return "array[" + strings.Join(a[1:], ", ") + "]", nil
	case "array_append":
		return fmt.Sprintf("array_append(%s, %s)", a[0], a[1]), nil
	case "array_concat":
		return fmt.Sprintf("array_cat(%s, %s)", a[0], a[1]), nil
	case "date":
		return fmt.Sprintf("make_date(%s, %s, %s)", a[0], a[1], a[2]), nil
	case "generate_series":
		return fmt.Sprintf("select generate_series as generated_number from generate_series(1, %s)", a[0]), nil
	case "except":
		return "except", nil
	case "intersect":
		return "intersect", nil
	case "equals": // dbt's default (its truthy-nulls behaviour flag off)
		return fmt.Sprintf("(%s = %s)", a[0], a[1]), nil
	case "translate_type":
		return translateType(a[0]), nil
	}
	if t, ok := crossDBTypes[name]; ok {
		return t, nil
	}
	return "", fmt.Errorf("unknown cross-database macro %s", name)
}

// datediff is dbt-duckdb's: date_diff of both sides cast to timestamp
// (string literals work), and weeks counted as dbt's Postgres macro counts
// them: whole weeks of days, one more where the second day's weekday comes
// before the first's.
func (d Dialect) datediff(first, second, part string) string {
	if strings.EqualFold(part, "week") {
		return fmt.Sprintf("(%s // 7 + case when date_part('dow', (%s)::timestamp) <= date_part('dow', (%s)::timestamp) then "+
			"case when %s <= %s then 0 else -1 end else case when %s <= %s then 1 else 0 end end)",
			d.datediff(first, second, "day"), first, second, first, second, first, second)
	}
	return fmt.Sprintf("date_diff('%s', %s::timestamp, %s::timestamp)", part, first, second)
}

// lastDay is dbt-duckdb's last_day(date, datepart): the day before the
// start of the next period (a quarter is three months: DuckDB's interval
// has no quarter).
func (d Dialect) lastDay(date, part string) string {
	step, n := part, "1"
	if strings.EqualFold(part, "quarter") {
		step, n = "month", "3"
	}
	start, _ := d.CrossDB("date_trunc", []string{part, date})
	next, _ := d.CrossDB("dateadd", []string{step, n, start})
	day, _ := d.CrossDB("dateadd", []string{"day", "-1", next})
	return "cast(" + day + " as date)"
}

// listagg is dbt-duckdb's: string_agg with the order by inside, or, with a
// limit, the first values of array_agg joined by list_aggr.
func listagg(measure, delim, orderBy, limit string) string {
	if orderBy != "" {
		orderBy = " " + orderBy
	}
	if limit != "" {
		return fmt.Sprintf("list_aggr((array_agg(%s%s))[1:%s], 'string_agg', %s)", measure, orderBy, limit, delim)
	}
	return fmt.Sprintf("string_agg(%s, %s%s)", measure, delim, orderBy)
}

// translateType is api.Column.translate_type: dbt's Column type labels
// (dbt-duckdb keeps them), other names as they are.
func translateType(t string) string {
	if l, ok := typeLabels[strings.ToUpper(t)]; ok {
		return l
	}
	return t
}

var typeLabels = map[string]string{"STRING": "TEXT", "TIMESTAMP": "TIMESTAMP", "FLOAT": "FLOAT", "INTEGER": "INT",
	"BOOLEAN": "BOOLEAN", "NUMERIC": "NUMERIC"}

// crossDBTypes are the type_* macros: dbt's default__type_*, which
// dbt-duckdb keeps (translate_type of string, integer, float...;
// numeric_type("numeric", 28, 6)).
var crossDBTypes = map[string]string{"type_string": translateType("string"), "type_int": translateType("integer"),
	"type_bigint": translateType("bigint"), "type_numeric": "numeric(28,6)", "type_float": translateType("float"),
	"type_timestamp": translateType("timestamp"), "type_boolean": translateType("boolean")}

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
