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
    +meta: {env: "{{ target.name }}", owners: [{name: "{{ target.name }}"}]}
    +tags: ["t_{{ target.name }}"]
tests:
  tc:
    +severity: "{{ 'error' if target.name == 'prod' else 'warn' }}"
sources:
  tc:
    +tags: ["src_{{ target.name }}"]
`)
	writeFile(t, dir, "profiles.yml", `tc:
  target: dev
  outputs:
    dev: {type: duckdb, path: target/dev.duckdb, schema: dev}
    prod: {type: duckdb, path: target/prod.duckdb, schema: prod}
`)
	writeFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeFile(t, dir, "models/b.sql", "select id from {{ ref('a') }}\n")
	props := func(alias, owner, tag, mat string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: t\n        config: {tags: [" + tag + "]}\n" +
			"models:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n" +
			"          - unique: {config: {severity: \"{{ 'error' if target.name == 'prod' else 'warn' }}\"}}\n" +
			// plain values equal to what the folder templates render on one target
			"  - name: e\n    config: {materialized: " + mat + ", tags: [t_dev]}\n" +
			"  - name: b\n    config:\n      alias: \"" + alias + "_{{ target.name }}\"\n" +
			"  - name: c\n    meta: {owner: " + owner + "}\n" +
			"  - name: d\n    config:\n      meta: {since: 2026-01-01}\n" // a YAML date
	}
	writeFile(t, dir, "models/_props.yml", props("b", "alice", "x1", "view"))
	writeFile(t, dir, "models/e.sql", "select 1 as id\n")
	// config() merges its meta with the folder's template
	writeFile(t, dir, "models/c.sql", "{{ config(meta={'x': 1}) }}\nselect 1 as id\n")
	writeFile(t, dir, "models/d.sql", "select 1 as id\n")
	// config() sets a tag and a meta key equal to what the folder's
	// templates render on one target
	f := func(tag, env string) string {
		return "{{ config(tags=['" + tag + "'], meta={'env': '" + env + "'}) }}\n{{ config({'tags': ['x']}) }}\nselect 1 as id\n"
	}
	writeFile(t, dir, "models/f.sql", f("t_dev", "dev"))
	writeFile(t, dir, "seeds/t.csv", "id\n1\n") // what the source reads

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
	// the template's text is what is compared, and any other piece of a
	// value a template set a piece of
	for _, c := range []struct {
		props string
		want  []string
	}{
		{props("b2", "alice", "x1", "view"), []string{"b"}},
		{props("b", "bob", "x1", "view"), []string{"c"}},
		{props("b", "alice", "x2", "view"), []string{}}, // a source's tags: not a modification, as in dbt

		{props("b", "alice", "x1", "table"), []string{"e"}},
	} {
		writeFile(t, dir, "models/_props.yml", c.props)
		r = mart(t, dir, "ls", "--select", "state:modified", "--state", "prod-state", "--output", "name")
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, c.want, strings.Fields(r.Stdout))
	}
	// what config() sets is compared as it is set; its tags are not (dbt's
	// same_config leaves tags and group out)
	writeFile(t, dir, "models/_props.yml", props("b", "alice", "x1", "view"))
	for _, c := range []struct {
		f    string
		want []string
	}{{f("t_other", "dev"), []string{}}, {f("t_dev", "other"), []string{"f"}}} {
		writeFile(t, dir, "models/f.sql", c.f)
		r = mart(t, dir, "ls", "--select", "state:modified.configs", "--state", "prod-state", "--output", "name")
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, c.want, strings.Fields(r.Stdout), c.f)
	}
}
