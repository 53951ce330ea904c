package warehousetest

import (
	"strconv"
	"strings"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// testDiff runs the dialect's diff query: by key (added, removed, changed
// with the changed columns, NULLs equal to NULLs) and by whole rows as
// multisets.
func testDiff(e *env) {
	t, w := e.t, e.w
	create := func(name, sql string) {
		t.Helper()
		_, err := w.CreateTable(e.ctx, e.rel(name), sql, warehouse.TableOptions{})
		require.NoError(t, err)
	}
	row := func(id int, name string, amount int) string {
		n := "cast(null as " + e.d.stringType + ")"
		if name != "" {
			n = w.QuoteString(name)
		}
		return "select " + itoa(id) + " as id, " + n + " as name, " + itoa(amount) + " as amount"
	}
	create("old", strings.Join([]string{row(1, "a", 10), row(2, "b", 20), row(3, "c", 30), row(5, "", 50)}, " union all "))
	create("new", strings.Join([]string{row(1, "a", 10), row(2, "B", 20), row(4, "d", 40), row(5, "", 50)}, " union all "))
	diff := func(spec warehouse.DiffSpec) warehouse.DiffResult {
		t.Helper()
		rows, err := w.Query(e.ctx, w.DiffQuery(spec), 0)
		require.NoError(t, err, w.DiffQuery(spec))
		res, err := warehouse.ReadDiff(rows)
		require.NoError(t, err)
		return res
	}
	cols := []string{"id", "name", "amount"}
	keyed := diff(warehouse.DiffSpec{New: e.sqlOf("new"), Old: e.sqlOf("old"), Key: []string{"id"}, Columns: cols, Examples: 5})
	assert.Equal(t, map[string]int64{"added": 1, "removed": 1, "changed": 1, "same": 2}, keyed.Counts)
	require.Len(t, keyed.Examples["added"], 1)
	assert.Contains(t, keyed.Examples["added"][0], "4")
	assert.Contains(t, keyed.Examples["removed"][0], "3")
	require.Len(t, keyed.Examples["changed"], 1)
	assert.Equal(t, []string{"name"}, keyed.ChangedColumns[keyed.Examples["changed"][0]])
	assert.True(t, keyed.Differs())

	same := diff(warehouse.DiffSpec{New: e.sqlOf("old"), Old: e.sqlOf("old"), Key: []string{"id"}, Columns: cols, Examples: 5})
	assert.False(t, same.Differs())
	assert.Equal(t, int64(4), same.Counts["same"])

	create("dup_new", strings.Join([]string{row(1, "a", 10), row(1, "a", 10), row(2, "b", 20)}, " union all "))
	create("dup_old", strings.Join([]string{row(1, "a", 10), row(3, "c", 30)}, " union all "))
	rows := diff(warehouse.DiffSpec{New: e.sqlOf("dup_new"), Old: e.sqlOf("dup_old"), Columns: cols, Examples: 1})
	assert.Equal(t, map[string]int64{"added": 2, "removed": 1, "same": 1}, rows.Counts)
	assert.Len(t, rows.Examples["added"], 1, "examples are capped")
	assert.Contains(t, rows.Examples["removed"][0], `"c"`)
}

func itoa(n int) string { return strconv.Itoa(n) }
