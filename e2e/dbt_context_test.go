package e2e

// The dbt context of a model's render on DuckDB: `model` is the node,
// a relation's name is its identifier, target.database is the DuckDB
// file's catalog, exceptions.warn warns (found by review 48).

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// ctxProject is a project of the given files (mart.yml unless one is given).
func ctxProject(t *testing.T, files map[string]string) string { return namedProject(t, "ctx", files) }

// namedProject is a project of the given files, and a mart.yml naming it
// name unless they hold a project file.
func namedProject(t *testing.T, name string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["mart.yml"]; !ok {
		if _, ok := files["dbt_project.yml"]; !ok {
			writeFile(t, dir, "mart.yml", "name: "+name+"\nversion: \"1.0.0\"\n")
		}
	}
	for p, c := range files {
		writeFile(t, dir, p, c)
	}
	return dir
}

// ctxBuild builds a one-model project (models/m.sql, a table, with body)
// and requires it to succeed.
func ctxBuild(t *testing.T, body string) string {
	t.Helper()
	dir := ctxProject(t, map[string]string{"models/m.sql": "{{ config(materialized='table') }}\n" + body})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	return dir
}

// `model` is the node: its config as the render set it so far, its
// relation's parts, package, tags, fqn, file; a macro the model calls
// sees the same
func TestModelIsTheNode(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"macros/m.sql":      "{% macro mat() %}{{ model.config.get('materialized') }}/{{ model.config['alias'] }}{% endmacro %}\n",
		"models/sub/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      alias: m_alias\n",
		"models/sub/m.sql": `{{ config(materialized='table', tags=['t1']) }}
select '{{ model.config.materialized }}|{{ model.schema }}|{{ model.alias }}|{{ model.package_name }}|{{ model.tags | join(",") }}|{{ model.fqn | join(".") }}|{{ model.original_file_path }}|{{ mat() }}|{{ 't1' in model.tags }}|{{ model.name }}|{{ model.resource_type }}' as v
`,
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "table|main|m_alias|ctx|t1|ctx.sub.m|models/sub/m.sql|table/m_alias|True|m|model", scalar(t, dir, "select v from m_alias"))
}

// a relation's name and table are its identifier (dbt's BaseRelation.name
// and .table): a model's alias, a source table's identifier, this's
func TestRelationNameIsItsIdentifier(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"seeds/raw_people.csv": "id\n1\n",
		"models/src.yml":       "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: people\n        identifier: raw_people\n",
		"models/n.sql":         "select 1 as x\n",
		"models/n.yml":         "version: 2\nmodels:\n  - name: n\n    config:\n      alias: n_alias\n",
		"models/m.sql": `{{ config(materialized='table') }}
select '{{ ref("n").identifier }}|{{ ref("n").name }}|{{ ref("n").table }}' as r, '{{ source("raw", "people").identifier }}|{{ source("raw", "people").name }}|{{ source("raw", "people").table }}' as s, '{{ this.name }}' as t
`,
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, []any{"n_alias|n_alias|n_alias", "raw_people|raw_people|raw_people", "m"}, query(t, dir, "select r, s, t from m")[0])
}

// target.database on DuckDB is the file's catalog, as dbt-duckdb sets it
// from the path, and so is a relation's database (this, ref(), model); the
// relations' names stay two-part, and one a method names from its parts
// (three) reads the same table
func TestTargetDatabaseIsTheDuckDBCatalog(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"dbt_project.yml": "name: ctx\nversion: \"1.0.0\"\nprofile: ctx\n",
		"profiles.yml":    "ctx:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n      threads: 1\n",
		"models/n.sql":    "select 1 as x\n",
		"models/m.sql":    "{{ config(materialized='table') }}\nselect '{{ target.database }}|{{ this.database }}|{{ ref(\"n\").database }}|{{ model.database }}' as v, (select count(*) from duckdb_databases() where database_name = '{{ target.database }}') = 1 as found, (select count(*) from {{ ref('n').replace_path(schema='main') }}) as n\n",
	})
	r := martEnv(t, dir, []string{"MART_PROFILES_DIR=" + dir}, "build")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, []any{"dev|dev|dev|dev", true, int64(1)}, queryFile(t, dir+"/target/dev.duckdb", "select v, found, n from m")[0])
	require.Contains(t, readFile(t, dir, "target/compiled/models/m.sql"), "select 'dev|dev|dev|dev' as v")
	require.NotContains(t, readFile(t, dir, "target/manifest.json"), `"relation_name":"\"dev\"`)
}

// exceptions.warn warns at its call (dbt's warn_or_error), in a model and
// in a macro it calls: shown, and an error under --warn-error, which
// leaves nothing built
func TestExceptionsWarnWarns(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"macros/w.sql": "{% macro careful() %}{% do exceptions.warn('careful in a macro') %}{% endmacro %}\n",
		"models/m.sql": "{% do exceptions.warn('careful now') %}\n{{ careful() }}\nselect 1 as id\n",
	})
	r := mart(t, dir, "build", "--warn-error")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stdout+r.Stderr, "models/m.sql:1", r.String())
	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	out := r.Stdout + r.Stderr
	require.Contains(t, out, "careful now", r.String())
	require.Contains(t, out, "careful in a macro", r.String())
	require.Equal(t, 1, strings.Count(out, "careful now"), r.String())
	// a second compile patches: the warning is still said
	r = mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout+r.Stderr, "careful now", r.String())
}

// a message made from a relation names it (not the placeholder a render
// holds until names settle): log() and exceptions.warn in a hook, a
// warning while the project compiles, an error a hook raises
func TestRelationsInMessagesByName(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"models/m.sql": "{{ config(post_hook=\"{{ log('hook says ' ~ this, info=True) }}{% do exceptions.warn('hook warns ' ~ this) %}\") }}\n" +
			"{% do exceptions.warn('model warns ' ~ this ~ ' ' ~ ref('n')) %}\nselect * from {{ ref('n') }}\n",
		"models/n.sql": "select 1 as id\n",
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	out := r.Stdout + r.Stderr
	require.NotContains(t, out, "__MART_REL_", r.String())
	for _, want := range []string{`hook says "main"."m"`, `hook warns "main"."m"`, `models/m.sql:2:7: warning: model warns "main"."m" "main"."n"`} {
		require.Contains(t, out, want, r.String())
	}
	writeFile(t, dir, "models/m.sql", "{{ config(post_hook=\"{{ exceptions.raise_compiler_error('refused ' ~ this) }}\") }}\nselect 1 as id\n")
	r = mart(t, dir, "build", "--select", "m")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout+r.Stderr, `refused "main"."m"`, r.String())
	require.NotContains(t, r.Stdout+r.Stderr, "__MART_REL_", r.String())
	// and an error a model raises while the project compiles (exit 2)
	writeFile(t, dir, "models/m.sql", "{{ exceptions.raise_compiler_error('refused ' ~ ref('n') ~ ' in ' ~ this) }}\nselect 1 as id\n")
	r = mart(t, dir, "compile")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stdout+r.Stderr, `refused "main"."n" in "main"."m"`, r.String())
	require.NotContains(t, r.Stdout+r.Stderr, "__MART_REL_", r.String())
}
