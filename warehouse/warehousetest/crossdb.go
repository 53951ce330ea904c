package warehousetest

import (
	"fmt"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCrossDB runs every cross-database macro the dialect renders on the
// engine and checks the value it computes. The arguments are SQL that both
// engines read alike.
func testCrossDB(e *env) {
	t, w := e.t, e.w
	ts := "cast('2026-03-15 10:30:00' as timestamp)"
	cross := func(name string, args ...string) string {
		t.Helper()
		sql, err := w.CrossDB(name, args)
		require.NoError(t, err, name)
		return sql
	}
	one := func(expr string) any {
		t.Helper()
		rows, err := w.Query(e.ctx, "select "+expr+" as v", 0)
		require.NoError(t, err, expr)
		require.Len(t, rows.Values, 1)
		return rows.Values[0][0]
	}
	day := func(v any) string {
		t.Helper()
		tm, ok := v.(time.Time)
		require.True(t, ok, "expected a time, got %T %v", v, v)
		return tm.Format("2006-01-02 15:04:05")
	}
	assert.Equal(t, "2026-03-01 00:00:00", day(one(cross("date_trunc", "'month'", ts))), "date_trunc")
	assert.Equal(t, "2026-03-18 10:30:00", day(one(cross("dateadd", "'day'", "3", ts))), "dateadd")
	assert.EqualValues(t, 14, one(cross("datediff", "cast('2026-03-01' as date)", "cast('2026-03-15' as date)", "'day'")), "datediff")
	assert.Nil(t, one(cross("safe_cast", "'not a number'", cross("type_int"))), "safe_cast")
	assert.EqualValues(t, 42, one(cross("cast", "'42'", cross("type_bigint"))), "cast")
	assert.Equal(t, "a-1", one(cross("concat", "'a'", "'-'", "'1'")), "concat")
	assert.Equal(t, "c", one(cross("split_part", "'a/b/c'", "'/'", "3")), "split_part")
	for part, want := range map[string]string{"month": "2026-02-28", "quarter": "2026-03-31", "year": "2026-12-31"} {
		assert.Equal(t, want, day(one(cross("last_day", "cast('2026-02-15' as date)", part)))[:10], "last_day "+part)
	}
	assert.EqualValues(t, 1, one(cross("datediff", "cast('2024-01-03' as date)", "cast('2024-01-09' as date)", "'week'")), "datediff in weeks, Wednesday to Tuesday")
	assert.EqualValues(t, 1, one(cross("datediff", "cast('2024-01-06' as date)", "cast('2024-01-07' as date)", "'week'")), "datediff in weeks, Saturday to Sunday")
	assert.EqualValues(t, 2, one(cross("position", "'b'", "'abc'")), "position")
	assert.EqualValues(t, 4, one(cross("length", "'abcd'")), "length")
	assert.Equal(t, "azc", one(cross("replace", "'abc'", "'b'", "'z'")), "replace")
	assert.Equal(t, "de", one(cross("right", "'abcde'", "2")), "right")
	assert.Equal(t, "true", one(cross("cast_bool_to_text", "1 = 1")), "cast_bool_to_text")
	assert.Equal(t, "it's", one("'"+cross("escape_single_quotes", "it's")+"'"), "escape_single_quotes")
	assert.Equal(t, "abc", one(cross("string_literal", "abc")), "string_literal")
	assert.Equal(t, "2024-02-03", day(one(cross("date", "2024", "2", "3")))[:10], "date")
	assert.EqualValues(t, 5, one("(select count(*) from ("+cross("generate_series", "5")+") g)"), "generate_series")
	assert.EqualValues(t, 1, one("(select count(*) from (select 1 as x "+cross("except")+" select 2 as x) s)"), "except")
	assert.EqualValues(t, 0, one("(select count(*) from (select 1 as x "+cross("intersect")+" select 2 as x) s)"), "intersect")
	assert.Equal(t, true, one(cross("equals", "1", "1")), "equals")
	assert.Len(t, fmt.Sprint(one(cross("hash", "'x'"))), 32, "hash: an md5 in hex")
	assert.Equal(t, "b", one(cross("json_extract_scalar", `'{"a": "b"}'`, "'$.a'")), "json_extract_scalar")
	for _, typ := range []string{"type_string", "type_numeric", "type_float", "type_timestamp", "type_boolean"} {
		one("cast(null as " + cross(typ) + ")")
	}
	assert.NotNil(t, one(cross("current_timestamp")))

	e.createIDs("agg", 1, 2, 3)
	rows, err := w.Query(e.ctx, "select "+cross("listagg", "cast(id as "+cross("type_string")+")", "','", "", "")+" as l, "+
		cross("listagg", "cast(id as "+cross("type_string")+")", "'|'", "order by id desc", "")+" as ordered, "+
		cross("bool_or", "id > 2")+" as b, "+cross("any_value", "id")+" as a from "+e.sqlOf("agg"), 0)
	require.NoError(t, err)
	require.Len(t, rows.Values, 1)
	assert.Len(t, fmt.Sprint(rows.Values[0][0]), 5, "listagg of three ids")
	assert.Equal(t, "3|2|1", rows.Values[0][1], "listagg ordered")
	assert.Equal(t, true, rows.Values[0][2], "bool_or")
	assert.Contains(t, []string{"1", "2", "3"}, fmt.Sprint(rows.Values[0][3]), "any_value")
}
