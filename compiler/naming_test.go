package compiler

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A project's generate_schema_name, generate_alias_name and
// generate_database_name overrides get the node, as in dbt.
func TestNamingMacroOverrides(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml": "name: p\n",
		"macros/naming.sql": `{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
  {%- if custom_alias_name -%}{{ custom_alias_name }}{%- else -%}{{ node.fqn[1] }}__{{ node.name }}{%- endif -%}
{%- endmacro %}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
  {{ custom_database_name or target.database }}
{%- endmacro %}`,
		"models/staging/stg_a.sql": "{{ config(schema='staging') }}select 1 as id",
		"models/marts/a.sql":       "{{ config(alias='the_a') }}select * from {{ ref('stg_a') }}",
	})
	require.Empty(t, diags)
	stg, a := res.Manifest.Nodes["model.p.stg_a"], res.Manifest.Nodes["model.p.a"]
	require.NotNil(t, stg)
	assert.Equal(t, "staging", stg.Schema, "custom schema, not target_custom")
	assert.Equal(t, "staging__stg_a", stg.Alias, "alias from node.fqn")
	assert.Equal(t, "the_a", a.Alias)
	// (target.database on DuckDB is the file's catalog, as dbt-duckdb's)
	assert.Equal(t, firstNonEmpty(res.Target.Database, res.Target.Catalog), a.Database)
	assert.Equal(t, "mart", a.Database)
	assert.Equal(t, `"mart"."main"."the_a"`, a.Relation)
}

// external_location is dbt-duckdb's: another adapter says it cannot read
// files in place, at the source table.
func TestExternalLocationNeedsAnEngineThatReadsFiles(t *testing.T) {
	_, diags := compileDiags(t, map[string]string{
		"mart.yml":     "name: p\nprofile: p\n",
		"profiles.yml": "p:\n  target: bq\n  outputs:\n    bq: {type: bigquery, method: oauth, project: proj, dataset: ds}\n",
		"models/sources.yml": "version: 2\nsources:\n  - name: files\n    meta: {external_location: 'data/{name}.csv'}\n" +
			"    tables:\n      - name: orders\n",
	})
	assert.Contains(t, diags, "models/sources.yml:6: error: source files.orders: external_location reads files in place, which the bigquery adapter cannot do")
}

// TestNamingMacroSeesEachNode: a naming macro whose node parameter has
// another name still sees each node (its results were cached by the
// custom value alone: every model got the first one's schema), and one
// that reads a var sees each package's value (found by review).
func TestNamingMacroSeesEachNode(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	for rel, text := range map[string]string{
		"mart.yml":                        "name: np\nversion: \"1.0.0\"\n",
		"macros/gsn.sql":                  "{% macro generate_schema_name(custom_schema_name, nd) %}s_{{ nd.name }}{% endmacro %}\n",
		"macros/gan.sql":                  "{% macro generate_alias_name(custom_alias_name=none) %}{{ var('np_px', 'r_') }}{{ varargs[0].name }}{% endmacro %}\n",
		"models/r.sql":                    "select 1 as id\n",
		"models/q.sql":                    "select 1 as id\n",
		"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nvars:\n  np_px: p_\n",
		"dbt_packages/pk/models/p.sql":    "select 1 as id\n",
	} {
		writeProjectFile(t, dir, rel, text)
	}
	res, d := Compile(Options{ProjectDir: dir, InvocationID: "inv"})
	require.NotNil(t, res, "%v", d)
	for id, want := range map[string]string{"model.np.r": `"s_r"."r_r"`, "model.np.q": `"s_q"."r_q"`, "model.pk.p": `"s_p"."p_p"`} {
		assert.Equal(t, want, res.Manifest.Node(id).Relation, id)
	}
}
