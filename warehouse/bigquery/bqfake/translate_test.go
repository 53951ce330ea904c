package bqfake

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// translate runs the translator on one statement, with v_* as variables.
func translate(t *testing.T, sql string) (string, error) {
	t.Helper()
	toks, err := lex(sql)
	require.NoError(t, err, sql)
	ns, err := tree(toks)
	require.NoError(t, err, sql)
	tr := &translator{src: sql, project: "proj", vars: func(n string) (string, bool) {
		if n := strings.ToLower(n); strings.HasPrefix(n, "v_") {
			return "getvariable('" + n + "')", true
		}
		return "", false
	}}
	out := tr.query(ns)
	return out, tr.err
}

func TestTranslate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// names: projects and datasets are one DuckDB schema; names are quoted
		{"SELECT `a b`.c, t.x FROM `p.d.t` AS `a b`, ds.t2 t",
			`SELECT "a b"."c", "t"."x" FROM "p.d"."t" AS "a b", "proj.ds"."t2" AS "t"`},
		{"SELECT * FROM `p`.`d`.`t` JOIN tmp USING (id)", `SELECT * FROM "p.d"."t" JOIN "tmp" USING ("id")`},
		// literals
		{`SELECT 'it\'s', "dq", r'a\nb', b'AB', '''tri'''`, `SELECT 'it''s', 'dq', 'a\nb', CAST('\x41\x42' AS BLOB), 'tri'`},
		{"SELECT 1.5, 0x1F, 1e3, 7", "SELECT CAST(1.5 AS DOUBLE), 31, CAST(1e3 AS DOUBLE), 7"},
		{"SELECT DATE '2020-01-01', TIMESTAMP '2020-01-01 00:00:00+00', DATETIME '2020-01-01', NUMERIC '1.5', JSON '{}'",
			"SELECT DATE '2020-01-01', CAST('2020-01-01 00:00:00+00' AS TIMESTAMPTZ), CAST('2020-01-01' AS TIMESTAMP), " +
				"CAST('1.5' AS DECIMAL(38,9)), CAST('{}' AS JSON)"},
		// types
		{"SELECT CAST(x AS INT64), CAST(x AS NUMERIC(10, 2)), CAST(x AS STRING), SAFE_CAST(x AS DATE), CAST(x AS ARRAY<STRUCT<a INT64, b STRING>>)",
			`SELECT CAST("x" AS BIGINT), CAST("x" AS DECIMAL(10,2)), bqfake_string("x"), TRY_CAST("x" AS DATE), CAST("x" AS STRUCT("a" BIGINT, "b" VARCHAR)[])`},
		{"SELECT ARRAY<INT64>[1, 2], STRUCT<a STRING>('x')", `SELECT CAST([1, 2] AS BIGINT[]), struct_pack("a" := CAST('x' AS VARCHAR))`},
		// functions
		{"SELECT IF(a, 1, 2), TIMESTAMP_TRUNC(ts, DAY), DATE_TRUNC(d, MONTH), DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY), DATETIME_DIFF(a, b, MINUTE)",
			`SELECT CASE WHEN "a" THEN 1 ELSE 2 END, date_trunc('day', "ts"), CAST(date_trunc('month', "d") AS DATE), ` +
				`CAST(((current_date) - INTERVAL (1) DAY) AS DATE), date_diff('minute', "b", "a")`},
		{"SELECT TO_JSON_STRING(STRUCT(a.x, b.y AS z, 1)), TO_HEX(MD5(s))",
			`SELECT CAST(to_json(struct_pack("x" := "a"."x", "z" := "b"."y", "_field_3" := 1)) AS VARCHAR), lower(hex(unhex(md5("s"))))`},
		{"SELECT ARRAY_AGG(DISTINCT x IGNORE NULLS), ARRAY_AGG(x ORDER BY y LIMIT 2)",
			`SELECT list(DISTINCT "x") FILTER (WHERE ("x") IS NOT NULL), CASE WHEN bool_or(("x") IS NULL) THEN ` +
				`error('Array cannot have a null element; error in writing field') ELSE list_slice(list("x" ORDER BY "y"), 1, 2) END`},
		{"SELECT EXTRACT(DAYOFWEEK FROM d), CONCAT(a, b), GREATEST(a, b), SAFE.PARSE_DATE('%F', s)",
			`SELECT (extract(dayofweek FROM "d") + 1), (("a") || ("b")), CASE WHEN ("a") IS NULL OR ("b") IS NULL THEN NULL ` +
				`ELSE greatest("a", "b") END, try(CAST(strptime("s", '%F') AS DATE))`},
		// query syntax
		{"SELECT * EXCEPT (a) REPLACE (b + 1 AS b) FROM t UNION DISTINCT SELECT 1, 2",
			`SELECT * EXCLUDE ("a") REPLACE ("b" + 1 AS "b") FROM "t" UNION SELECT 1, 2`},
		{"SELECT x FROM t WHERE x IN UNNEST(v_arr) AND arr[OFFSET(0)] = arr[ORDINAL(1)] AND y IS NOT DISTINCT FROM z",
			`SELECT "x" FROM "t" WHERE "x" IN (SELECT unnest(getvariable('v_arr'))) AND "arr"[(0) + 1] = "arr"[1] AND "y" IS NOT DISTINCT FROM "z"`},
		{"SELECT AS STRUCT 1 AS a, 2 AS b", `SELECT bqfake_row FROM (SELECT 1 AS "a", 2 AS "b") AS bqfake_row`},
		{"SELECT x FROM UNNEST([1, 2]) AS x CROSS JOIN UNNEST(GENERATE_ARRAY(1, 2)) y",
			`SELECT "x" FROM unnest([1, 2]) AS "x"("x") CROSS JOIN unnest(generate_series(1, 2)) AS "y"("y")`},
		// DML: the words BigQuery lets out are put back
		{"INSERT `p.d.t` (a, `b c`) VALUES (1, 'x')", `INSERT INTO "p.d"."t" ("a", "b c") VALUES (1, 'x')`},
		{"DELETE ds.t WHERE TRUE", `DELETE FROM "proj.ds"."t" WHERE TRUE`},
		{"UPDATE `p.d.t` AS d SET v = s.v FROM ds.src AS s WHERE d.id = s.id",
			`UPDATE "p.d"."t" AS "d" SET "v" = "s"."v" FROM "proj.ds"."src" AS "s" WHERE "d"."id" = "s"."id"`},
		// DuckDB's own keywords are names, so DuckDB refuses them
		{"SELECT x ILIKE 'a' FROM t", `SELECT "x" "ILIKE" 'a' FROM "t"`},
	} {
		got, err := translate(t, tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

// What the fake does not implement fails, naming it.
func TestTranslateRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT FOO(1)":      "function FOO is not supported",
		"SELECT NET.HOST(x)": "function NET.HOST is not supported",
		"SELECT 1 % 2":       `the "%" operator is not supported`,
		"SELECT @param":      "query parameters (@param) are not supported",
		"SELECT @@nope":      "system variable @@nope is not supported",
		"SELECT UNNEST(x)":   "UNNEST is only supported in FROM and after IN",
		"SELECT * FROM t TABLESAMPLE SYSTEM (1 PERCENT)":   "TABLESAMPLE is not supported",
		"SELECT * FROM `a.b.c.d`":                          "table name a.b.c.d is not supported",
		"SELECT CAST(x AS ARRAY<ARRAY<INT64>>)":            "Arrays of arrays are not supported",
		"SELECT CAST(x AS STRING FORMAT 'YYYY')":           "CAST ... FORMAT is not supported",
		"SELECT * FROM UNNEST(x) AS y WITH OFFSET":         "UNNEST ... WITH OFFSET is not supported",
		"SELECT SUM(x) FILTER (WHERE y) FROM t":            "function FILTER is not supported",
		"SELECT CAST(x AS GEOGRAPHY)":                      "Type not found: GEOGRAPHY",
		"SELECT * FROM ML.PREDICT(MODEL m, TABLE t)":       "table-valued function ML.PREDICT is not supported",
		"SELECT TIMESTAMP_TRUNC(x, DAY, 'UTC')":            "time zone arguments of _TRUNC functions are not supported",
		"SELECT TIMESTAMP_DIFF(a, b, WEEK)":                `date part "WEEK" is not supported in _DIFF`,
		"SELECT * FROM a NATURAL JOIN b":                   "NATURAL is not supported",
		"SELECT * EXCLUDE (a) FROM t":                      "EXCLUDE is not supported",
		"SELECT x FROM t QUALIFY ROW_NUMBER() OVER () = 1": "QUALIFY clause must be used in conjunction with WHERE or GROUP BY or HAVING clause",
		"SELECT IF(a, 1)":                                  "No matching signature for function IF",
	} {
		_, err := translate(t, in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}
