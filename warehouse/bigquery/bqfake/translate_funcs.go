package bqfake

import (
	"strings"
)

// fn translates a call of a function given its (untranslated) argument
// group.
type fn func(w *walker, grp node) string

// functions are the GoogleSQL functions the fake implements. A call of
// any other function is an error.
var functions = map[string]fn{}

func init() {
	for _, name := range strings.Fields(`ABS ACOS ACOSH ASIN ASINH ATAN ATAN2 ATANH AVG CEIL CEILING COALESCE
		COS COSH COT CORR COVAR_POP COVAR_SAMP COUNT EXP FLOOR IFNULL LN LOG10 LOWER LPAD LTRIM MAX MIN MOD
		NULLIF POW POWER REPEAT REPLACE REVERSE ROUND RPAD RTRIM SIGN SIN SINH SQRT STDDEV STDDEV_POP
		STDDEV_SAMP SUM TAN TANH TRIM TRUNC UPPER VAR_POP VAR_SAMP VARIANCE ANY_VALUE STRING_AGG ROW_NUMBER
		RANK DENSE_RANK PERCENT_RANK CUME_DIST NTILE LAG LEAD FIRST_VALUE LAST_VALUE NTH_VALUE STARTS_WITH
		ENDS_WITH STRPOS ASCII CHR LENGTH CHAR_LENGTH CHARACTER_LENGTH TO_BASE64 FROM_BASE64
		APPROX_COUNT_DISTINCT ARRAY_TO_STRING SUBSTR SUBSTRING BIT_AND BIT_OR BIT_XOR LEFT RIGHT ERROR
		LAST_DAY`) {
		functions[name] = rename(strings.ToLower(name))
	}
	for bq, duck := range map[string]string{
		"COUNTIF": "count_if", "LOGICAL_OR": "bool_or", "LOGICAL_AND": "bool_and", "ARRAY_LENGTH": "len",
		"ARRAY_CONCAT": "list_concat", "ARRAY_REVERSE": "list_reverse", "REGEXP_CONTAINS": "regexp_matches",
		"REGEXP_EXTRACT_ALL": "regexp_extract_all", "BYTE_LENGTH": "octet_length", "TO_JSON": "to_json",
		"GENERATE_ARRAY": "generate_series", "GENERATE_TIMESTAMP_ARRAY": "generate_series",
		"RANGE_BUCKET": "bqfake_range_bucket", "FARM_FINGERPRINT": "bqfake_fingerprint", "RAND": "random",
		"IS_NAN": "isnan", "IS_INF": "isinf", "UNIX_MILLIS": "epoch_ms", "UNIX_MICROS": "epoch_us",
	} {
		functions[bq] = rename(duck)
	}
	for name, tmpl := range map[string]string{
		"IF":                  "CASE WHEN $1 THEN $2 ELSE $3 END",
		"SAFE_DIVIDE":         "CASE WHEN ($2) = 0 THEN NULL ELSE ($1) / ($2) END",
		"IEEE_DIVIDE":         "(CAST($1 AS DOUBLE) / ($2))",
		"DIV":                 "(($1) // ($2))",
		"MD5":                 "unhex(md5($1))",
		"SHA1":                "unhex(sha1($1))",
		"SHA256":              "unhex(sha256($1))",
		"TO_HEX":              "lower(hex($1))",
		"TO_JSON_STRING":      "CAST(to_json($1) AS VARCHAR)",
		"PARSE_JSON":          "CAST($1 AS JSON)",
		"JSON_QUERY":          "CAST(json_extract($1, $2) AS VARCHAR)",
		"JSON_EXTRACT":        "CAST(json_extract($1, $2) AS VARCHAR)",
		"REGEXP_REPLACE":      "regexp_replace($1, $2, $3, 'g')",
		"GENERATE_UUID":       "CAST(uuid() AS VARCHAR)",
		"SESSION_USER":        "'bqfake@example.com'",
		"UNIX_SECONDS":        "CAST(floor(epoch($1)) AS BIGINT)",
		"TIMESTAMP_SECONDS":   "CAST(to_timestamp($1) AS TIMESTAMPTZ)",
		"TIMESTAMP_MILLIS":    "CAST(epoch_ms($1) AS TIMESTAMPTZ)",
		"TIMESTAMP_MICROS":    "CAST(make_timestamp($1) AS TIMESTAMPTZ)",
		"UNIX_DATE":           "date_diff('day', DATE '1970-01-01', $1)",
		"DATE_FROM_UNIX_DATE": "CAST(DATE '1970-01-01' + ($1) AS DATE)",
		"FORMAT_DATE":         "strftime($2, $1)",
		"FORMAT_DATETIME":     "strftime($2, $1)",
		"FORMAT_TIMESTAMP":    "strftime($2, $1)",
		"PARSE_DATE":          "CAST(strptime($2, $1) AS DATE)",
		"PARSE_DATETIME":      "strptime($2, $1)",
		"PARSE_TIMESTAMP":     "CAST(strptime($2, $1) AS TIMESTAMPTZ)",
	} {
		functions[name] = template(name, tmpl)
	}
	functions["CONCAT"] = concat
	functions["GREATEST"] = nullPropagating("greatest")
	functions["LEAST"] = nullPropagating("least")
	functions["LOG"] = logarithm
	functions["SPLIT"] = split
	functions["REGEXP_EXTRACT"] = regexpExtract
	functions["JSON_VALUE"] = jsonValue
	functions["JSON_EXTRACT_SCALAR"] = jsonValue
	functions["ARRAY_AGG"] = arrayAgg
	functions["GENERATE_DATE_ARRAY"] = generateDateArray
	addTimeFunctions()
}

// call translates the function call at w.i: a name and its group.
func (w *walker) call() {
	name := w.ns[w.i].tok.text
	grp := w.ns[w.i+1]
	w.i += 2
	w.emit(w.function(name, grp))
}

func (w *walker) function(name string, grp node) string {
	f := functions[name]
	if f == nil {
		return w.t.fail("bqfake: function %s is not supported", name)
	}
	return f(w, grp)
}

// args translates a call's arguments.
func (w *walker) args(grp node) []string {
	var out []string
	for _, a := range splitCommas(grp.kids) {
		out = append(out, w.t.seq(a))
	}
	return out
}

// rename calls DuckDB's function of another name with the same arguments
// (aggregate modifiers such as DISTINCT and ORDER BY included).
func rename(duck string) fn {
	return func(w *walker, grp node) string { return duck + "(" + w.t.seq(grp.kids) + ")" }
}

// template fills $1, $2, ... with the translated arguments; a call with
// another number of arguments is an error.
func template(name, tmpl string) fn {
	want := 0
	for i := 1; i <= 9; i++ {
		if strings.Contains(tmpl, "$"+string(rune('0'+i))) {
			want = i
		}
	}
	return func(w *walker, grp node) string {
		args := w.args(grp)
		if len(args) != want {
			return w.t.fail("No matching signature for function %s with %d argument(s) (the fake supports %d)", name, len(args), want)
		}
		out := tmpl
		for i := len(args); i >= 1; i-- {
			out = strings.ReplaceAll(out, "$"+string(rune('0'+i)), args[i-1])
		}
		return out
	}
}

// concat is NULL if any argument is NULL, as in BigQuery (DuckDB's concat
// skips NULLs; its || does not).
func concat(w *walker, grp node) string {
	args := w.args(grp)
	for i, a := range args {
		args[i] = "(" + a + ")"
	}
	return "(" + strings.Join(args, " || ") + ")"
}

// nullPropagating is GREATEST or LEAST: NULL if any argument is NULL
// (DuckDB's ignore NULLs).
func nullPropagating(duck string) fn {
	return func(w *walker, grp node) string {
		args := w.args(grp)
		nulls := make([]string, len(args))
		for i, a := range args {
			nulls[i] = "(" + a + ") IS NULL"
		}
		return "CASE WHEN " + strings.Join(nulls, " OR ") + " THEN NULL ELSE " + duck + "(" + strings.Join(args, ", ") + ") END"
	}
}

// logarithm is LOG(x) (natural) or LOG(x, base).
func logarithm(w *walker, grp node) string {
	args := w.args(grp)
	switch len(args) {
	case 1:
		return "ln(" + args[0] + ")"
	case 2:
		return "log(" + args[1] + ", " + args[0] + ")"
	}
	return w.t.fail("No matching signature for function LOG")
}

// split is SPLIT(s[, delimiter]), by default on commas.
func split(w *walker, grp node) string {
	args := w.args(grp)
	if len(args) == 1 {
		args = append(args, "','")
	}
	return "str_split(" + strings.Join(args, ", ") + ")"
}

// regexpExtract returns the pattern's capturing group if it has one, as
// BigQuery does (the pattern must then be a literal).
func regexpExtract(w *walker, grp node) string {
	parts := splitCommas(grp.kids)
	args := w.args(grp)
	if len(args) != 2 {
		return w.t.fail("bqfake: REGEXP_EXTRACT with %d arguments is not supported", len(args))
	}
	group := "0"
	if p := parts[1]; len(p) == 1 && p[0].tok.kind == 's' {
		if strings.Contains(strings.ReplaceAll(p[0].tok.text, `\(`, ""), "(") {
			group = "1"
		}
	}
	return "regexp_extract(" + args[0] + ", " + args[1] + ", " + group + ")"
}

// jsonValue is JSON_VALUE(json[, path]): a scalar's text, NULL for objects
// and arrays.
func jsonValue(w *walker, grp node) string {
	args := w.args(grp)
	if len(args) == 1 {
		args = append(args, "'$'")
	}
	if len(args) != 2 {
		return w.t.fail("No matching signature for function JSON_VALUE")
	}
	return "CASE WHEN json_type(" + args[0] + ", " + args[1] + ") IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(" +
		args[0] + ", " + args[1] + ") END"
}

// generateDateArray is GENERATE_DATE_ARRAY(start, end[, INTERVAL n part]).
func generateDateArray(w *walker, grp node) string {
	args := w.args(grp)
	if len(args) == 2 {
		args = append(args, "INTERVAL 1 DAY")
	}
	if len(args) != 3 {
		return w.t.fail("No matching signature for function GENERATE_DATE_ARRAY")
	}
	return "CAST(generate_series(CAST(" + args[0] + " AS TIMESTAMP), CAST(" + args[1] + " AS TIMESTAMP), " + args[2] + ") AS DATE[])"
}

// arrayAgg is ARRAY_AGG([DISTINCT] x [IGNORE NULLS] [ORDER BY ...]
// [LIMIT n]). Without IGNORE NULLS a NULL element is an error, as in
// BigQuery (except as a window function).
func arrayAgg(w *walker, grp node) string {
	k := grp.kids
	distinct := ""
	if len(k) > 0 && k[0].is("DISTINCT") {
		distinct, k = "DISTINCT ", k[1:]
	}
	end := len(k)
	for i, n := range k {
		if n.is("IGNORE") || n.is("RESPECT") || n.is("ORDER") || n.is("LIMIT") {
			end = i
			break
		}
	}
	expr := w.t.seq(k[:end])
	rest := k[end:]
	ignore := false
	if len(rest) >= 2 && rest[1].is("NULLS") && (rest[0].is("IGNORE") || rest[0].is("RESPECT")) {
		ignore = rest[0].is("IGNORE")
		rest = rest[2:]
	}
	order, limit := "", ""
	if l := indexWord(rest, "LIMIT"); l >= 0 {
		limit = w.t.seq(rest[l+1:])
		rest = rest[:l]
	}
	if len(rest) >= 2 && rest[0].is("ORDER") && rest[1].is("BY") {
		order = " ORDER BY " + w.t.seq(rest[2:])
	} else if len(rest) > 0 {
		return w.t.fail("Syntax error in ARRAY_AGG at %s", describeNode(rest[0]))
	}
	out := "list(" + distinct + expr + order + ")"
	if ignore {
		out += " FILTER (WHERE (" + expr + ") IS NOT NULL)"
	}
	if w.peek(0).is("OVER") {
		if limit != "" {
			return w.t.fail("bqfake: ARRAY_AGG with LIMIT as a window function is not supported")
		}
		return out
	}
	if limit != "" {
		out = "list_slice(" + out + ", 1, " + limit + ")"
	}
	if !ignore {
		out = "CASE WHEN bool_or((" + expr + ") IS NULL) THEN error('Array cannot have a null element; error in writing field') ELSE " + out + " END"
	}
	return out
}
