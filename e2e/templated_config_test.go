package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTemplatedConfigsAndState: a dbt project whose folder configs and
// properties configs are templates reading the target and --vars builds
// with them rendered, and slim CI's state:modified (a dev compile against
// prod's manifest) does not call its models modified for that, as in dbt
// (which compares unrendered_config); an edit of a template's text does.
func TestTemplatedConfigsAndState(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "dbt_project.yml", `name: tc
profile: tc
models:
  tc:
    +materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"
    +schema: "{{ var('area', 'core') }}"
    +meta: {env: "{{ target.name }}"}
`)
	writeFile(t, dir, "profiles.yml", `tc:
  target: dev
  outputs:
    dev: {type: duckdb, path: target/dev.duckdb, schema: dev}
    prod: {type: duckdb, path: target/prod.duckdb, schema: prod}
`)
	writeFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeFile(t, dir, "models/b.sql", "select id from {{ ref('a') }}\n")
	writeFile(t, dir, "models/_props.yml", "version: 2\nmodels:\n  - name: b\n    config:\n      alias: \"b_{{ target.name }}\"\n")

	r := mart(t, dir, "build", "--target", "prod", "--vars", "area: sales")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "table prod_sales.a")
	require.Contains(t, r.Stdout, "table prod_sales.b_prod")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "prod-state"), 0o755))
	m, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prod-state", "manifest.json"), m, 0o644))

	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "view dev_core.a")
	require.Contains(t, r.Stdout, "view dev_core.b_dev")

	for _, sel := range []string{"state:modified", "state:modified.configs", "state:modified.relation"} {
		r = mart(t, dir, "ls", "--select", sel, "--state", "prod-state", "--output", "name")
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, "", r.Stdout, "%s between targets and vars", sel)
	}
	// the template's text is what is compared
	writeFile(t, dir, "models/_props.yml", "version: 2\nmodels:\n  - name: b\n    config:\n      alias: \"b2_{{ target.name }}\"\n")
	r = mart(t, dir, "ls", "--select", "state:modified", "--state", "prod-state", "--output", "name")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, []string{"b"}, strings.Fields(r.Stdout))
}
