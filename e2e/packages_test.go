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
