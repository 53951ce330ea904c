package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPackagesBuild builds a project that uses an installed package as dbt
// does: the package's model (configured from the root project, with the
// root's vars scoped to the package), its namespaced macros, dispatch with
// the root project's override, the root's own namespace, and the package's
// generic test.
func TestPackagesBuild(t *testing.T) {
	dir := project(t, "packages_basic")
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "OK table main.util_base")
	assert.Contains(t, r.Stdout, "PASS util_pkg_is_even_orders_amount")
	rows := query(t, dir, "select amount, amount_eur, ab, cd, shouted, greeting from main.orders")
	require.Len(t, rows, 1)
	assert.Equal(t, []any{int32(4), 4.0, "root:a+b", "root:c+d", "X", "hi"}, []any{rows[0][0], toFloat(rows[0][1]), rows[0][2], rows[0][3], rows[0][4], rows[0][5]})

	// a model whose template queries the warehouse (run_query, a statement
	// block, adapter.get_columns_in_relation) renders when it runs
	assert.Contains(t, r.Stdout, "OK table main.introspective")
	rows = query(t, dir, "select * from main.introspective")
	require.Len(t, rows, 1)
	cols := query(t, dir, "select column_name from information_schema.columns where table_name = 'introspective' order by ordinal_position")
	assert.Equal(t, [][]any{{"amount"}, {"amount_eur"}, {"shouted"}, {"greeting"}, {"n_base"}, {"greetings"}}, cols,
		"star() read orders' columns, leaving out ab and cd")
	assert.Equal(t, []any{int32(1), "hi"}, rows[0][4:])
	assert.Contains(t, readFile(t, dir, "target/run/models/introspective.sql"), `"amount", "amount_eur"`)
	man := readFile(t, dir, "target/manifest.json")
	assert.Contains(t, man, `"run_time_render":true`)

	r = mart(t, dir, "ls", "--select", "package:util_pkg", "--output", "name")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, []string{"util_base"}, lines(r.Stdout))
}

func toFloat(v any) float64 {
	switch t := v.(type) {
	case float64:
		return t
	case float32:
		return float64(t)
	}
	return -1
}
