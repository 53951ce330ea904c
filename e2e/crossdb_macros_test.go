package e2e

// dbt's cross-database macros (dbt.concat, dbt.last_day, ...) as dbt-duckdb
// renders them, built on the real binary (from review 48d's probes: each
// asserts what dbt-core 1.8/1.9 with dbt-duckdb does).

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func xdbStr(v any) string { return fmt.Sprint(v) }

func TestCrossDBSimpleMacros(t *testing.T) {
	dir := ctxBuild(t, `select
  {{ dbt.dateadd('day', 3, "date '2024-01-30'") }} as da,
  {{ dateadd('month', 1, "date '2024-01-31'") }} as da2,
  {{ dbt.date_trunc('month', "date '2024-02-10'") }} as dt,
  {{ dbt.datediff("date '2024-01-01'", "date '2024-03-15'", 'day') }} as dd,
  {{ dbt.split_part("'a,b,c'", "','", 2) }} as sp,
  {{ dbt.split_part("'a,b,c'", "','", -1) }} as spn,
  {{ dbt.hash("'abc'") }} as h,
  {{ dbt.safe_cast("'x'", dbt.type_bigint()) }} as sc,
  {{ dbt.cast("'7'", dbt.type_bigint()) }} as c,
  {{ dbt.any_value('1') }} as av,
  {{ dbt.bool_or('1 = 1') }} as bo,
  cast(1.5 as {{ dbt.type_numeric() }}) as num,
  cast('x' as {{ dbt.type_string() }}) as s,
  cast('2024-01-01' as {{ dbt.type_timestamp() }}) as ts,
  cast('true' as {{ dbt.type_boolean() }}) as b
`)
	row := query(t, dir, `select cast(da as varchar), cast(da2 as varchar), cast(dt as varchar), dd, sp, spn, h, sc, c, av, bo,
  cast(num as varchar), s, cast(ts as varchar), b from m`)[0]
	want := []string{"2024-02-02 00:00:00", "2024-02-29 00:00:00", "2024-02-01 00:00:00", "74", "b", "c", "900150983cd24fb0d6963f7d28e17f72",
		"<nil>", "7", "1", "true", "1.500000", "x", "2024-01-01 00:00:00", "true"}
	for i, w := range want {
		require.Equal(t, w, xdbStr(row[i]), "column %d", i)
	}
}

// dbt's concat takes one list of expressions (default__concat(fields):
// fields|join(' || ')); mart casts the list itself to varchar
func TestCrossDBConcatTakesAList(t *testing.T) {
	dir := ctxBuild(t, `select {{ dbt.concat(["'a'", "'-'", "'b'"]) }} as c, {{ concat(["'x'", "'y'"]) }} as c2`)
	row := query(t, dir, "select c, c2 from m")[0]
	require.Equal(t, "a-b", row[0])
	require.Equal(t, "xy", row[1])
}

// dbt's last_day(date, datepart): dbt-duckdb's duckdb__last_day (quarter
// by a dateadd of 3 months, else dbt.default_last_day)
func TestCrossDBLastDayTakesADatepart(t *testing.T) {
	dir := ctxBuild(t, `select {{ dbt.last_day("date '2024-02-10'", 'month') }} as lm,
  {{ dbt.last_day("date '2024-02-10'", 'quarter') }} as lq,
  {{ dbt.last_day("date '2024-02-10'", 'year') }} as ly`)
	row := query(t, dir, "select cast(lm as varchar), cast(lq as varchar), cast(ly as varchar) from m")[0]
	require.Equal(t, []any{"2024-02-29", "2024-03-31", "2024-12-31"}, row)
}

// dbt's listagg(measure, delimiter_text="','", order_by_clause=none,
// limit_num=none); dbt-duckdb's duckdb__listagg puts the order by inside
// string_agg and slices array_agg for limit_num
func TestCrossDBListaggOptionalArguments(t *testing.T) {
	dir := ctxBuild(t, `select
  {{ dbt.listagg('v', "'|'", "order by v desc") }} as ordered,
  {{ dbt.listagg('v', "'|'", "order by v", 2) }} as limited,
  length({{ dbt.listagg('v') }}) as dflt
from (values ('a'), ('b'), ('c')) t(v)`)
	row := query(t, dir, "select ordered, limited, dflt from m")[0]
	require.Equal(t, "c|b|a", row[0])
	require.Equal(t, "a|b", row[1])
	require.EqualValues(t, 5, row[2]) // a,b,c
}

// dbt-duckdb's duckdb__datediff casts both sides ::timestamp (string
// literals work) and computes 'week' as Postgres does (Sunday
// boundaries: (d2 - d1) // 7 adjusted by the days of the week)
func TestCrossDBDatediffCastsAndWeeks(t *testing.T) {
	dir := ctxBuild(t, `select
  {{ dbt.datediff("'2024-01-01'", "'2024-03-01'", 'month') }} as months,
  {{ dbt.datediff("date '2024-01-03'", "date '2024-01-09'", 'week') }} as wed_to_tue,
  {{ dbt.datediff("date '2024-01-06'", "date '2024-01-07'", 'week') }} as sat_to_sun`)
	row := query(t, dir, "select months, wed_to_tue, sat_to_sun from m")[0]
	require.EqualValues(t, 2, row[0])
	require.EqualValues(t, 1, row[1])
	require.EqualValues(t, 1, row[2])
}

// default__type_int is api.Column.translate_type("integer"): INT (DuckDB's
// 32-bit INTEGER); default__type_float is translate_type("float"): FLOAT
// (DuckDB's REAL); dbt-duckdb overrides neither
func TestCrossDBTypeIntAndFloat(t *testing.T) {
	dir := ctxBuild(t, `select cast(1 as {{ dbt.type_int() }}) as i, cast(1.5 as {{ dbt.type_float() }}) as f`)
	rows := query(t, dir, "select column_name, data_type from information_schema.columns where table_name = 'm' order by ordinal_position")
	require.Equal(t, "INTEGER", rows[0][1])
	require.Equal(t, "FLOAT", rows[1][1])
}

// the global project's other cross-database macros, as dbt.<name>
func TestCrossDBOtherGlobalMacros(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`'{{ dbt.escape_single_quotes("it's") }}'`, "it's"},
		{`{{ dbt.string_literal("abc") }}`, "abc"},
		{`cast({{ dbt.position("'b'", "'abc'") }} as varchar)`, "2"},
		{`cast({{ dbt.length("'abcd'") }} as varchar)`, "4"},
		{`{{ dbt.replace("'abc'", "'b'", "'z'") }}`, "azc"},
		{`{{ dbt.right("'abcde'", 2) }}`, "de"},
		{`{{ dbt.cast_bool_to_text("1 = 1") }}`, "true"},
		{`cast(len({{ dbt.array_construct([1, 2, 3]) }}) as varchar)`, "3"},
		{`cast({{ dbt.date(2024, 2, 3) }} as varchar)`, "2024-02-03"},
		{`cast((select count(*) from ({{ dbt.generate_series(5) }}) g) as varchar)`, "5"},
		{`'{{ api.Column.translate_type("string") | lower }}'`, "text"},
	} {
		t.Run(c.expr, func(t *testing.T) {
			expr := c.expr
			dir := ctxProject(t, map[string]string{"models/m.sql": "{{ config(materialized='table') }}\nselect " + expr + " as v\n"})
			r := mart(t, dir, "build")
			require.Equal(t, 0, r.Code, r.String())
			require.Equal(t, c.want, xdbStr(scalar(t, dir, "select cast(v as varchar) from m")))
		})
	}
}

// the global project's macros besides the review's: arrays, set
// operators, equals, get_powers_of_two, keyword arguments
func TestCrossDBMoreGlobalMacros(t *testing.T) {
	dir := ctxBuild(t, `select
  cast({{ dbt.array_append(dbt.array_construct([1, 2]), 3) }} as varchar) as aa,
  cast({{ array_concat(array_construct([1]), array_construct(inputs=[2, 3])) }} as varchar) as ac,
  len({{ dbt.array_construct() }}) as empty_len,
  (select count(*) from (select 1 {{ dbt.except() }} select 2)) as ex,
  (select count(*) from (select 1 {{ dbt.intersect() }} select 2)) as ix,
  {{ dbt.equals('1', '1') }} as eq,
  {{ dbt.get_powers_of_two(5) }} as p,
  {{ dbt.listagg(measure='v', delimiter_text="'+'", order_by_clause='order by v') }} as kw,
  {{ dbt.datediff(first_date="'2024-01-01'", second_date="'2024-01-02'", datepart='hour') }} as h
from (values ('a'), ('b')) t(v)`)
	row := query(t, dir, "select aa, ac, empty_len, ex, ix, eq, p, kw, h from m")[0]
	require.Equal(t, "[1, 2, 3]", row[0])
	require.Equal(t, "[1, 2, 3]", row[1])
	require.EqualValues(t, 0, row[2])
	require.EqualValues(t, 1, row[3])
	require.EqualValues(t, 0, row[4])
	require.Equal(t, true, row[5])
	require.EqualValues(t, 3, row[6])
	require.Equal(t, "a+b", row[7])
	require.EqualValues(t, 24, row[8])
}

// a project's default__<name> (or duckdb__<name>) replaces dbt.<name>, as
// adapter.dispatch(name, 'dbt') finds it first in dbt; a project's macro
// of the name itself replaces the unprefixed call
func TestCrossDBProjectOverrides(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"macros/x.sql": `{% macro default__concat(fields) %}'over:' || {{ fields | join(' || ') }}{% endmacro %}
{% macro duckdb__type_int() %}bigint{% endmacro %}
{% macro length(expression) %}(length({{ expression }}) * 10){% endmacro %}`,
		"models/m.sql": `{{ config(materialized='table') }}
select {{ dbt.concat(["'a'", "'b'"]) }} as c, cast(1 as {{ dbt.type_int() }}) as i, {{ length("'abc'") }} as l, {{ dbt.length("'abc'") }} as dl`,
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	row := query(t, dir, "select c, l, dl from m")[0]
	require.Equal(t, "over:ab", row[0])
	require.EqualValues(t, 30, row[1])
	require.EqualValues(t, 3, row[2])
	require.Equal(t, "BIGINT", scalar(t, dir, "select data_type from information_schema.columns where table_name = 'm' and column_name = 'i'"))
}

// arguments dbt's macros do not take are errors at the call: concat takes
// one list, last_day a datepart
func TestCrossDBArgumentErrors(t *testing.T) {
	for expr, msg := range map[string]string{
		`{{ dbt.concat("'a'", "'b'") }}`:          "concat() takes 1 arguments, got 2",
		`{{ dbt.concat("'a'") }}`:                 "concat() takes a list",
		`{{ dbt.last_day("date '2024-01-01'") }}`: "last_day() needs its argument datepart",
		`{{ dbt.listagg('v', sep="','") }}`:       "listagg() has no argument sep",
	} {
		dir := ctxProject(t, map[string]string{"models/m.sql": "select " + expr + " as v\n"})
		r := mart(t, dir, "compile")
		require.NotEqual(t, 0, r.Code, expr)
		require.Contains(t, r.String(), msg, expr)
	}
}

// a project's default__concat added after a compile replaces dbt.concat
// in the next (patched) compile, and removed, gives dbt's back
func TestCrossDBOverrideAddedAndRemoved(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"macros/other.sql": "{% macro other() %}1{% endmacro %}\n",
		"models/m.sql":     "select {{ dbt.concat([\"'a'\", \"'b'\"]) }} as c\n",
	})
	compiledM := func() string {
		t.Helper()
		r := mart(t, dir, "compile")
		require.Equal(t, 0, r.Code, r.String())
		_, content := compiledFiles(t, dir)
		for name, c := range content {
			if strings.HasSuffix(name, "/m.sql") {
				return c
			}
		}
		t.Fatal("no compiled m.sql")
		return ""
	}
	require.Contains(t, compiledM(), "'a' || 'b'")
	writeFile(t, dir, "macros/x.sql", "{% macro default__concat(fields) %}concat_ws('-', {{ fields | join(', ') }}){% endmacro %}\n")
	require.Contains(t, compiledM(), "concat_ws('-', 'a', 'b')")
	require.NoError(t, os.Remove(filepath.Join(dir, "macros/x.sql")))
	require.Contains(t, compiledM(), "'a' || 'b'")
}

// dbt.date_spine and date_spine: one row a period from the start up to the
// end (the number of periods is queried when the model runs, as dbt's
// get_intervals_between does)
func TestCrossDBDateSpine(t *testing.T) {
	dir := ctxBuild(t, `select * from ({{ dbt.date_spine('day', "date '2024-01-30'", "date '2024-02-02'") }}) s
union all
select * from ({{ date_spine(datepart='day', start_date="date '2024-03-01'", end_date="date '2024-03-03'") }}) s2`)
	rows := query(t, dir, "select cast(date_day as date)::varchar from m order by 1")
	var got []string
	for _, r := range rows {
		got = append(got, xdbStr(r[0]))
	}
	require.Equal(t, []string{"2024-01-30", "2024-01-31", "2024-02-01", "2024-03-01", "2024-03-02"}, got)
}
