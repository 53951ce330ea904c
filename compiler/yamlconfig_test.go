package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConfigTemplatesRender: dbt renders the Jinja in dbt_project.yml's
// folder configs (var() of --vars only, env_var(), target) and in a
// properties file's config: blocks (var() with the project's vars too)
// when it loads them, natively: one {{ expression }} keeps its type.
// Hooks are left to render when they run.
func TestConfigTemplatesRender(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("profiles.yml", `p:
  target: dev
  outputs:
    dev: {type: duckdb, path: dev.duckdb, schema: dev_s}
    prod: {type: duckdb, path: prod.duckdb, schema: prod_s}
`)
	write("dbt_project.yml", `name: p
profile: p
vars:
  own: project_value
models:
  p:
    +materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"
    +schema: "{{ var('own', 'dflt') }}"
    +enabled: "{{ target.name != 'nowhere' }}"
    +tags: ["{{ env_var('CFG_TPL_TAG', 'from_env_default') }}", plain, "t_{{ target.name }}"]
    +meta: {n: "{{ 40 + 2 }}", s: "n{{ 40 + 2 }}", cli: "{{ var('cli') }}"}
    +post-hook: "select '{{ this }}'"
    sub:
      +alias: "{{ 'sub_' ~ var('cli') }}"
`)
	write("models/a.sql", "select 1 as id\n")
	write("models/sub/b.sql", "select 1 as id\n")
	write("models/v.sql", "select 1 as id\n")
	write("models/v_v2.sql", "select 2 as id\n")
	write("models/_props.yml", `version: 2
sources:
  - name: raw
    schema: raw
    config:
      enabled: "{{ target.name == 'prod' }}"
    tables:
      - name: t
        config:
          meta: {owner: "{{ var('own') }}"}
models:
  - name: a
    config:
      alias: "a_{{ var('own') }}"
      persist_docs: {relation: "{{ 1 == 1 }}"}
      pre_hook: "select '{{ this }}' as unrendered"
  - name: v
    latest_version: 1
    versions:
      - v: 1
        defined_in: v
      - v: 2
        config:
          alias: "{{ 'v_two_' ~ target.name }}"
`)
	t.Setenv("MART_PROFILES_DIR", "")
	t.Setenv("CFG_TPL_TAG", "from_env")
	res, diags := Compile(Options{ProjectDir: dir, ProfilesDir: dir, Target: "prod", Vars: map[string]any{"cli": "c"}})
	require.NotNil(t, res, "%v", diags)
	a := res.Manifest.Node("model.p.a")
	require.NotNil(t, a)
	assert.Equal(t, "table", a.Config["materialized"])
	assert.Equal(t, "dflt", a.Config["schema"], "the project file's var() sees --vars only")
	assert.Equal(t, true, a.Config["enabled"])
	assert.Equal(t, []string{"from_env", "plain", "t_prod"}, a.Tags)
	assert.Equal(t, map[string]any{"n": 42, "s": "n42", "cli": "c"}, a.Config["meta"])
	assert.Equal(t, []any{"select '{{ this }}'"}, a.Config["post_hook"])
	assert.Equal(t, []any{"select '{{ this }}' as unrendered"}, a.Config["pre_hook"])
	assert.Equal(t, "a_project_value", a.Alias, "a properties file's var() sees the project's vars")
	assert.Equal(t, map[string]any{"relation": true}, a.Config["persist_docs"])
	assert.Equal(t, "prod_s_dflt", a.Schema)
	b := res.Manifest.Node("model.p.b")
	require.NotNil(t, b)
	assert.Equal(t, "sub_c", b.Alias)
	v2 := res.Manifest.Node("model.p.v.v2")
	require.NotNil(t, v2)
	assert.Equal(t, "v_two_prod", v2.Alias)
	src := res.Manifest.Sources["source.p.raw.t"]
	require.NotNil(t, src)
	assert.Equal(t, true, src.Config["enabled"])
	assert.Equal(t, map[string]any{"owner": "project_value"}, src.Config["meta"])

	// what state:modified compares: the templated keys as written (dbt's
	// unrendered_config), merged as the configs are
	assert.Equal(t, map[string]any{
		"materialized": "{{ 'table' if target.name == 'prod' else 'view' }}",
		"schema":       "{{ var('own', 'dflt') }}",
		"enabled":      "{{ target.name != 'nowhere' }}",
		"tags":         []any{"{{ env_var('CFG_TPL_TAG', 'from_env_default') }}", "plain", "t_{{ target.name }}"},
		"meta":         map[string]any{"n": "{{ 40 + 2 }}", "s": "n{{ 40 + 2 }}", "cli": "{{ var('cli') }}"},
		"alias":        "a_{{ var('own') }}",
		"persist_docs": map[string]any{"relation": "{{ 1 == 1 }}"},
	}, a.UnrenderedConfig)
	assert.Equal(t, "{{ 'sub_' ~ var('cli') }}", b.UnrenderedConfig["alias"])
	assert.Equal(t, map[string]any{"enabled": "{{ target.name == 'prod' }}", "meta": map[string]any{"owner": "{{ var('own') }}"}},
		src.UnrenderedConfig)
	assert.Nil(t, res.Manifest.Node("model.p.v.v1").UnrenderedConfig["alias"])

	// a template that fails is an error at its key
	write("dbt_project.yml", "name: p\nprofile: p\nmodels:\n  p:\n    +schema: \"{{ var('missing') }}\"\n")
	res, diags = Compile(Options{ProjectDir: dir, ProfilesDir: dir})
	require.Nil(t, res)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags[0].String(), `dbt_project.yml:5:5: error: +schema: required var "missing" is not set`)
	write("dbt_project.yml", "name: p\nprofile: p\n")
	write("models/_props.yml", "version: 2\nmodels:\n  - name: a\n    config:\n      alias: \"{{ nope( }}\"\n")
	res, diags = Compile(Options{ProjectDir: dir, ProfilesDir: dir})
	require.Nil(t, res)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags[0].String(), `models/_props.yml:5:7: error: config alias:`)
}

// TestPropertyTemplatesRender: dbt renders every key of a properties file
// when it loads it but descriptions, tests and hooks; an entry's meta:, its
// columns' data_type, meta, tags and constraints, and a source's loader,
// loaded_at_field, meta, tags and freshness hold templates too.
func TestPropertyTemplatesRender(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("profiles.yml", "p:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb, schema: dev_s}\n")
	write("dbt_project.yml", "name: p\nprofile: p\nvars:\n  int_type: integer\n")
	write("models/a.sql", "select 1 as id\n")
	write("models/v_v1.sql", "select 1 as id\n")
	write("models/v_v2.sql", "select 2 as id\n")
	write("models/_props.yml", `version: 2
sources:
  - name: raw
    schema: raw
    loader: "{{ target.type }}_loader"
    loaded_at_field: "{{ var('ts', 'loaded_at') }}"
    tags: ["src_{{ target.name }}", plain]
    freshness:
      warn_after: {count: "{{ 6 * 2 }}", period: hour}
      filter: "day > '{{ target.name }}'"
    tables:
      - name: t
        meta: {owner: "{{ var('int_type') }}"}
        tags: ["t_{{ target.name }}"]
        columns:
          - name: c
            data_type: "{{ var('int_type') }}"
models:
  - name: a
    meta: {owner: "{{ target.name }}", n: "{{ 1 + 1 }}"}
    columns:
      - name: id
        data_type: "{{ 'int64' if target.type == 'bigquery' else var('int_type') }}"
        meta: {pii: "{{ target.name == 'prod' }}"}
        tags: ["c_{{ target.name }}"]
        constraints:
          - {type: check, expression: "id > {{ 0 }}"}
  - name: v
    description: "built on {{ target.name }}"
    latest_version: 2
    columns: [{name: id, data_type: "{{ var('int_type') }}"}]
    versions:
      - v: 1
        columns: [{include: all}, {name: id, data_type: "{{ var('int_type') }}", meta: {k: "{{ target.name }}"}}]
      - v: 2
`)
	t.Setenv("MART_PROFILES_DIR", "")
	res, diags := Compile(Options{ProjectDir: dir, ProfilesDir: dir})
	require.NotNil(t, res, "%v", diags)
	a := res.Manifest.Node("model.p.a")
	require.NotNil(t, a)
	assert.Equal(t, map[string]any{"owner": "dev", "n": 2}, a.Config["meta"])
	id := a.Columns["id"]
	require.NotNil(t, id)
	assert.Equal(t, "integer", id.DataType)
	assert.Equal(t, map[string]any{"pii": false}, id.Meta)
	assert.Equal(t, []string{"c_dev"}, id.Tags)
	assert.Equal(t, []map[string]any{{"type": "check", "expression": "id > 0"}}, id.Constraints)
	assert.Equal(t, map[string]any{"meta": map[string]any{"owner": "{{ target.name }}", "n": "{{ 1 + 1 }}"}}, a.UnrenderedConfig)

	for _, id := range []string{"model.p.v.v1", "model.p.v.v2"} {
		v := res.Manifest.Node(id)
		require.NotNil(t, v, id)
		assert.Equal(t, "integer", v.Columns["id"].DataType, id)
		assert.Equal(t, "built on dev", v.Description, id)
	}
	assert.Equal(t, map[string]any{"k": "dev"}, res.Manifest.Node("model.p.v.v1").Columns["id"].Meta)

	src := res.Manifest.Sources["source.p.raw.t"]
	require.NotNil(t, src)
	assert.Equal(t, "loaded_at", src.LoadedAtField)
	assert.Equal(t, []string{"plain", "src_dev", "t_dev"}, src.Tags)
	assert.Equal(t, map[string]any{"owner": "integer"}, src.Meta)
	assert.Equal(t, "integer", src.Columns["c"].DataType)
	require.NotNil(t, src.Freshness)
	assert.Equal(t, "day > 'dev'", src.Freshness.Filter)
	assert.Equal(t, 12, src.Freshness.WarnAfter.Count)
	assert.Equal(t, []any{"src_{{ target.name }}", "plain", "t_{{ target.name }}"}, src.UnrenderedConfig["tags"])

	// a template that fails is an error at its entry, naming the key
	write("models/_props.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_type: \"{{ var('nope') }}\"\n")
	res, diags = Compile(Options{ProjectDir: dir, ProfilesDir: dir})
	require.Nil(t, res)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags[0].String(), `models/_props.yml:6:9: error: column id data_type: required var "nope" is not set`)
	write("models/_props.yml", "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        loaded_at_field: \"{{ nope( }}\"\n"+
		"models:\n  - name: a\n    description: x\n    meta: {owner: \"{{ target.nam( }}\"}\n")
	res, diags = Compile(Options{ProjectDir: dir, ProfilesDir: dir})
	require.Nil(t, res)
	require.Len(t, diags, 2, "%v", diags)
	assert.Contains(t, fmt.Sprint(diags), `models/_props.yml:10:5: error: meta:`)
	assert.Contains(t, fmt.Sprint(diags), `models/_props.yml:6:9: error: loaded_at_field:`)

	// errors in a version's keys and columns, and in columns on one line,
	// are where they are written
	write("models/_props.yml", `version: 2
models:
  - name: a
    meta: {k: 1}
    columns: [{name: id, data_type: int}, {name: x, data_type: "{{ nope1( }}"}]
  - name: v
    meta: {k: 1}
    versions:
      - v: 1
        meta: {x: "{{ nope2( }}"}
        columns: [{name: id, data_type: "{{ nope3( }}"}]
`)
	res, diags = Compile(Options{ProjectDir: dir, ProfilesDir: dir})
	require.Nil(t, res)
	require.Len(t, diags, 3, "%v", diags)
	assert.Contains(t, fmt.Sprint(diags), `models/_props.yml:5:53: error: column x data_type:`)
	assert.Contains(t, fmt.Sprint(diags), `models/_props.yml:10:9: error: version 1 meta:`)
	assert.Contains(t, fmt.Sprint(diags), `models/_props.yml:11:30: error: version 1 column id data_type:`)

	// a version's own columns are kept wherever its include: item is
	write("models/_props.yml", `version: 2
models:
  - name: v
    latest_version: 1
    columns: [{name: id}, {name: gone}]
    versions:
      - v: 1
        columns: [{name: added, data_type: integer}, {include: [id]}]
      - v: 2
`)
	res, diags = Compile(Options{ProjectDir: dir, ProfilesDir: dir})
	require.NotNil(t, res, "%v", diags)
	assert.Equal(t, []string{"added", "id"}, sortedKeys(res.Manifest.Node("model.p.v.v1").Columns))
}
