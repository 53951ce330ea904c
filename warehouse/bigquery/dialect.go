package bigquery

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// Dialect is BigQuery's SQL text (GoogleSQL): backtick quoting with
// backslash escapes, `project.dataset.table` names, dbt-bigquery's
// cross-database macros and type names. The zero value is ready to use;
// [Warehouse] embeds it.
type Dialect struct{}

var _ warehouse.Dialect = Dialect{}

// Name returns "bigquery".
func (Dialect) Name() string { return "bigquery" }

// QuoteIdent quotes an identifier with backticks (`a\`b`).
func (Dialect) QuoteIdent(s string) string { return quoteIdent(s) }

// QuoteString quotes a string literal ('it\'s') with GoogleSQL's backslash
// escapes, so that any text round-trips.
func (Dialect) QuoteString(s string) string { return quoteString(s) }

// RelationName is one backticked path, `project.dataset.table` (the
// dataset's when db is empty: the job's project then applies).
func (Dialect) RelationName(db, schema, name string) string {
	if db == "" {
		return "`" + escape(schema, '`') + "." + escape(name, '`') + "`"
	}
	return relationSQL(warehouse.Relation{Database: db, Schema: schema, Name: name})
}

// TimestampLiteral is TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC.
func (Dialect) TimestampLiteral(t time.Time) string {
	return "timestamp " + quoteString(t.UTC().Format("2006-01-02 15:04:05.999999"))
}

// TestQuery is dbt's test wrapper.
func (d Dialect) TestQuery(q warehouse.TestQuery) string {
	return warehouse.StandardTestQuery(q, d.LimitQuery)
}

// LimitQuery keeps the first n rows.
func (Dialect) LimitQuery(sql string, n int) string { return warehouse.StandardLimitQuery(sql, n) }

// SelectAll reads every row of relation.
func (Dialect) SelectAll(relation string) string { return "select * from " + relation }

// ValuesQuery writes literal rows as SELECTs joined by UNION ALL. Without
// rows it selects typed NULLs from a one-row subquery filtered out:
// GoogleSQL allows no WHERE without a FROM.
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
			parts[i] = lit + " as " + quoteIdent(c.Name)
		}
		return "select " + strings.Join(parts, ", ")
	}
	if len(rows) == 0 {
		return "select * from (" + sel(nil) + ") where false"
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = sel(r)
	}
	return strings.Join(out, "\nunion all\n")
}

func (Dialect) literal(v any) string {
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
			return "cast(" + quoteString(text) + " as float64)"
		}
		return fmt.Sprint(t)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(t)
	case time.Time:
		if warehouse.IsMidnight(t) {
			return "date " + quoteString(t.Format("2006-01-02"))
		}
		return "datetime " + quoteString(t.Format("2006-01-02 15:04:05.999999"))
	case string:
		return quoteString(t)
	}
	return quoteString(fmt.Sprint(v))
}

// CrossDB renders dbt's cross-database macros as dbt-bigquery does (its
// own bigquery__ macros, else dbt's default__ ones). The compiler binds
// the arguments: optional ones left out are "", concat's fields and
// array_construct's inputs are the last arguments, one each.
func (d Dialect) CrossDB(name string, a []string) (string, error) {
	switch name {
	case "date_trunc":
		return fmt.Sprintf("timestamp_trunc(cast(%s as timestamp), %s)", a[1], datePart(a[0])), nil
	case "dateadd":
		return fmt.Sprintf("datetime_add(cast(%s as datetime), interval (%s) %s)", a[2], a[1], datePart(a[0])), nil
	case "datediff":
		return fmt.Sprintf("datetime_diff(cast(%s as datetime), cast(%s as datetime), %s)", a[1], a[0], datePart(a[2])), nil
	case "safe_cast":
		return fmt.Sprintf("safe_cast(%s as %s)", a[0], sqlTypeName(a[1])), nil
	case "cast":
		return fmt.Sprintf("cast(%s as %s)", a[0], sqlTypeName(a[1])), nil
	case "hash":
		return fmt.Sprintf("to_hex(md5(cast(%s as string)))", a[0]), nil
	case "concat": // default__concat (dbt-bigquery has none of its own): the fields joined by ||
		return strings.Join(a, " || "), nil
	case "split_part": // part_number counts from 1; negative counts from the end
		if n := strings.TrimSpace(a[2]); strings.HasPrefix(n, "-") {
			return fmt.Sprintf("array_reverse(split(%s, %s))[safe_ordinal(%s)]", a[0], a[1], strings.TrimPrefix(n, "-")), nil
		}
		return fmt.Sprintf("split(%s, %s)[safe_ordinal(%s)]", a[0], a[1], a[2]), nil
	case "last_day": // default_last_day: the day before the next period starts
		start, _ := d.CrossDB("date_trunc", []string{a[1], a[0]})
		next, _ := d.CrossDB("dateadd", []string{a[1], "1", start})
		day, _ := d.CrossDB("dateadd", []string{"day", "-1", next})
		return "cast(" + day + " as date)", nil
	case "listagg": // order by and limit inside string_agg
		out := fmt.Sprintf("string_agg(%s, %s", a[0], a[1])
		if a[2] != "" {
			out += " " + a[2]
		}
		if a[3] != "" {
			out += " limit " + a[3]
		}
		return out + ")", nil
	case "bool_or":
		return fmt.Sprintf("logical_or(%s)", a[0]), nil
	case "any_value":
		return fmt.Sprintf("any_value(%s)", a[0]), nil
	case "json_extract_scalar":
		return fmt.Sprintf("json_value(%s, %s)", a[0], a[1]), nil
	case "current_timestamp":
		return "current_timestamp()", nil
	case "escape_single_quotes": // a backslash before the quote
		return strings.ReplaceAll(a[0], "'", `\'`), nil
	case "string_literal":
		return "'''" + a[0] + "'''", nil
	case "position":
		return fmt.Sprintf("strpos(%s, %s)", a[1], a[0]), nil
	case "length":
		return fmt.Sprintf("length(%s)", a[0]), nil
	case "replace":
		return fmt.Sprintf("replace(%s, %s, %s)", a[0], a[1], a[2]), nil
	case "right":
		return fmt.Sprintf("case when %s = 0 then '' else substr(%s, -1 * (%s)) end", a[1], a[0], a[1]), nil
	case "cast_bool_to_text":
		return fmt.Sprintf("cast(%s as %s)", a[0], translateType("string")), nil
	case "array_construct": // a[0] is the data_type, the inputs follow
		if len(a) == 1 {
			return fmt.Sprintf("array<%s>[]", a[0]), nil
		}
		return "[" + strings.Join(a[1:], ", ") + "]", nil
	case "array_append":
		return fmt.Sprintf("array_concat(%s, [%s])", a[0], a[1]), nil
	case "array_concat":
		return fmt.Sprintf("array_concat(%s, %s)", a[0], a[1]), nil
	case "date":
		return fmt.Sprintf("date(%s, %s, %s)", a[0], a[1], a[2]), nil
	case "generate_series":
		return generateSeries(a[0])
	case "except":
		return "except distinct", nil
	case "intersect":
		return "intersect distinct", nil
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

// generateSeries is dbt's default__generate_series, which dbt-bigquery
// keeps: the numbers 1 to upper from n cross joined bits (n the least
// with upper <= 2**n: get_powers_of_two).
func generateSeries(upper string) (string, error) {
	u, err := strconv.Atoi(strings.TrimSpace(upper))
	if err != nil || u <= 0 {
		return "", fmt.Errorf("generate_series() takes a positive number, got %s", upper)
	}
	n := 1
	for n < 62 && u > 1<<n {
		n++
	}
	terms := make([]string, n)
	from := make([]string, n)
	for i := range n {
		terms[i] = fmt.Sprintf("p%d.generated_number * power(2, %d)", i, i)
		from[i] = fmt.Sprintf("p as p%d", i)
	}
	return "with p as (select 0 as generated_number union all select 1), unioned as (select " +
		strings.Join(terms, " + ") + " + 1 as generated_number from " + strings.Join(from, " cross join ") +
		") select * from unioned where generated_number <= " + strconv.Itoa(u) + " order by generated_number", nil
}

// translateType is api.Column.translate_type: dbt-bigquery's type labels
// (TEXT is STRING, FLOAT is FLOAT64, INTEGER is INT64), other names as
// they are.
func translateType(t string) string {
	switch strings.ToUpper(t) {
	case "TEXT":
		return "STRING"
	case "FLOAT":
		return "FLOAT64"
	case "INTEGER":
		return "INT64"
	}
	return t
}

// crossDBTypes are the type_* macros: dbt-bigquery's (int64, float64,
// numeric), dbt's translate_type for the others.
var crossDBTypes = map[string]string{"type_string": "string", "type_int": "int64", "type_bigint": "int64",
	"type_numeric": "numeric", "type_float": "float64", "type_timestamp": "timestamp", "type_boolean": "bool"}

// datePart turns a datepart argument ('day', "MONTH", day) into BigQuery's
// unquoted part name.
func datePart(s string) string {
	p := strings.ToLower(warehouse.Unquote(s))
	switch p {
	case "dow", "dayofweek":
		return "dayofweek"
	case "doy", "dayofyear":
		return "dayofyear"
	}
	return p
}

// sqlTypeName maps common SQL type names to BigQuery's, keeping parameters
// where BigQuery has them (numeric(10, 2)).
func sqlTypeName(t string) string {
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

// CheckConfig checks the configs that only BigQuery reads, when a project
// compiles: partition_by's shape and cluster_by's columns (the compiler's
// ConfigChecker).
func (Dialect) CheckConfig(materialized, key string, v any) error {
	switch key {
	case "alias", "schema", "target_schema":
		// `proj.ds.a.b` would name another dataset's table, or nothing
		if s, ok := v.(string); ok && strings.ContainsAny(s, ".`") {
			what := "table"
			if key != "alias" {
				what = "dataset"
			}
			return fmt.Errorf("%s %q: a BigQuery %s name cannot hold '.' or '`' (dots separate project, dataset and table; set database for another project)", key, s, what)
		}
	case "partition_by":
		_, err := parsePartitionBy(v)
		return err
	case "cluster_by":
		var cols []string
		switch t := v.(type) {
		case string:
			cols = []string{t}
		case []any:
			for _, x := range t {
				s, ok := x.(string)
				if !ok {
					return fmt.Errorf("cluster_by must list column names, got %v", x)
				}
				cols = append(cols, s)
			}
		default:
			return fmt.Errorf("cluster_by must be a column name or a list of them, got %v", v)
		}
		_, err := parseClusterBy(cols)
		return err
	}
	return nil
}

// DiffQuery compares two relations (see warehouse.DiffSpec): keys and
// rows as JSON text (to_json_string of a struct), changed columns by
// array_to_string, which leaves NULLs out.
func (Dialect) DiffQuery(s warehouse.DiffSpec) string {
	return warehouse.StandardDiffQuery(s, warehouse.DiffDialect{Quote: quoteIdent, QuoteStr: quoteString, TextType: "string",
		JSON: func(cols []string) string {
			parts := make([]string, len(cols))
			for i, c := range cols {
				parts[i] = quoteIdent(c)
			}
			return "to_json_string(struct(" + strings.Join(parts, ", ") + "))"
		},
		JoinNames: func(names []string) string { return "array_to_string([" + strings.Join(names, ", ") + "], ', ')" },
	})
}

// FreshnessQuery selects max(loadedAt) as a TIMESTAMP (a DATE or DATETIME
// column is read as UTC) and current_timestamp().
func (Dialect) FreshnessQuery(relation, loadedAt, filter string) string {
	return warehouse.StandardFreshnessQuery(relation, loadedAt, filter, "current_timestamp()",
		func(s string) string { return "cast(" + s + " as timestamp)" })
}
