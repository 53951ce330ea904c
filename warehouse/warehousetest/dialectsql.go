package warehousetest

import (
	"math"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// testDialectSQL runs the SQL a warehouse's Dialect writes for the runner
// on the engine: test wrappers, limits, literal rows and timestamps.
func testDialectSQL(e *env) {
	t, w := e.t, e.w
	e.createIDs("t", 1, 2, 3, 4, 5)
	failing := "select * from " + e.sqlOf("t") + " where id > 2"

	assert.Equal(t, [][]string{{"3"}}, e.query(w.TestQuery(warehouse.TestQuery{SQL: failing})), "count of failing rows")
	assert.Equal(t, [][]string{{"2"}}, e.query(w.TestQuery(warehouse.TestQuery{SQL: failing + ";\n", Limit: 2})), "limit")
	custom := warehouse.TestQuery{SQL: failing, FailCalc: "sum(id)", WarnIf: "> 5", ErrorIf: ">= 100"}
	require.False(t, custom.Simple())
	assert.Equal(t, [][]string{{"12", "1", "0"}}, e.query(w.TestQuery(custom)), "fail_calc, warn_if, error_if")
	assert.Equal(t, [][]string{{"0"}}, e.query(w.TestQuery(warehouse.TestQuery{SQL: failing + " and id > 99"})))

	assert.Equal(t, [][]string{{"1"}, {"2"}}, e.query("select id from ("+w.LimitQuery("select id from "+e.sqlOf("t")+" order by id", 2)+") x order by id"))
	assert.Len(t, e.query(w.SelectAll(e.sqlOf("t"))), 5)

	at := time.Date(2026, 3, 1, 10, 30, 15, 500000000, time.UTC)
	got, err := w.Query(e.ctx, "select "+w.TimestampLiteral(at)+" as ts", 0)
	require.NoError(t, err)
	require.Len(t, got.Values, 1)
	assert.True(t, at.Equal(asTime(t, got.Values[0][0])), "timestamp literal: %v", got.Values[0][0])

	testValuesQuery(e)
}

func testValuesQuery(e *env) {
	t, w := e.t, e.w
	cols := []warehouse.Column{
		{Name: "id", Type: e.d.seedTypes[warehouse.SeedInteger]},
		{Name: "it's \"name\"", Type: e.d.stringType},
		{Name: "flag", Type: e.d.seedTypes[warehouse.SeedBoolean]},
		{Name: "day", Type: e.d.seedTypes[warehouse.SeedDate]},
		{Name: "untyped"},
	}
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	nasty := "it's \"quoted\" \\ back\nslash -- not a comment"
	q := w.ValuesQuery(cols, [][]any{{1, nasty, true, day, "x"}, {int64(2), nil, false, nil, "y"}, {3}})
	rows, err := w.Query(e.ctx, "select * from ("+q+") v order by id", 0)
	require.NoError(t, err, q)
	require.Len(t, rows.Columns, len(cols))
	for i, c := range cols {
		assert.Equal(t, c.Name, rows.Columns[i].Name)
	}
	require.Len(t, rows.Values, 3)
	assert.Equal(t, []any{int64(1), nasty, true}, rows.Values[0][:3])
	assert.True(t, day.Equal(asTime(t, rows.Values[0][3])))
	assert.Equal(t, []any{int64(2), nil, false, nil}, rows.Values[1][:4])
	assert.Equal(t, []any{int64(3), nil, nil, nil, nil}, rows.Values[2], "missing values are NULL")

	// YAML's .inf, -.inf and .nan in a unit test's rows: a cast from text
	// (a bare inf is a column name)
	fcols := []warehouse.Column{{Name: "id", Type: e.d.seedTypes[warehouse.SeedInteger]}, {Name: "f", Type: e.d.seedTypes[warehouse.SeedDouble]}, {Name: "g"}}
	q = w.ValuesQuery(fcols, [][]any{{1, math.Inf(1), math.Inf(-1)}, {2, math.NaN(), float32(1.5)}})
	rows, err = w.Query(e.ctx, "select * from ("+q+") v order by id", 0)
	require.NoError(t, err, q)
	require.Len(t, rows.Values, 2)
	assert.Equal(t, []any{math.Inf(1), math.Inf(-1)}, rows.Values[0][1:])
	f, _ := rows.Values[1][1].(float64)
	assert.True(t, math.IsNaN(f), "%v", rows.Values[1][1])

	empty, err := w.Query(e.ctx, w.ValuesQuery(cols[:2], nil), 0)
	require.NoError(t, err)
	assert.Empty(t, empty.Values)
	require.Len(t, empty.Columns, 2)
	assert.Equal(t, "id", empty.Columns[0].Name)
}

// asTime reads a date or timestamp value as time.Time.
func asTime(t require.TestingT, v any) time.Time {
	ts, ok := v.(time.Time)
	require.True(t, ok, "expected a time.Time, got %T %v", v, v)
	return ts
}
