package e2e

// Review 48c: how config and properties resolve, against dbt-core 1.8/1.9
// (dbt_common/contracts/config/base.py's merge behaviours,
// core/dbt/parser/base.py, schemas.py, schema_generic_tests.py, sources.py).
// The probes of the differences left (a hook repeated at two levels, a
// version's config deep-merged) are not kept: docs/dbt-compatibility.md
// lists them.

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const r48cProfiles = "proj:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/mart.duckdb\n"

// r48cProject writes a dbt project (dbt_project.yml named proj) of files.
func r48cProject(t *testing.T, projectYML string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "dbt_project.yml", "name: proj\nversion: \"1.0.0\"\nprofile: proj\n"+projectYML)
	writeFile(t, dir, "profiles.yml", r48cProfiles)
	for p, c := range files {
		writeFile(t, dir, p, c)
	}
	return dir
}

func r48cRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := martEnv(t, dir, []string{"DBT_PROFILES_DIR=" + dir}, args...)
	require.Equal(t, 0, r.Code, r.String())
	return r
}

// r48cNode is manifest.json's entry id (nodes or sources) as generic JSON.
func r48cNode(t *testing.T, dir, id string) map[string]any {
	t.Helper()
	var m struct {
		Nodes   map[string]map[string]any `json:"nodes"`
		Sources map[string]map[string]any `json:"sources"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "target/manifest.json")), &m))
	if n, ok := m.Nodes[id]; ok {
		return n
	}
	n, ok := m.Sources[id]
	require.True(t, ok, "no %s in manifest.json", id)
	return n
}

func r48cJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// Passes: dbt's precedence (config() over the properties file's config:
// over folder configs, inner folders over outer, `+` or bare keys), tags
// appended in order, meta updated key by key (shallow: a nested dict is
// replaced), hooks appended folder, YAML, then SQL (base.py's
// update_parsed_node_config; context_config.py calculate_node_config).
func TestReview48cPrecedenceAndMerging(t *testing.T) {
	dir := r48cProject(t, `models:
  proj:
    +tags: [proj_tag]
    +meta: {a: proj, nested: {x: 1}}
    +post-hook: "select 'proj_post'"
    staging:
      +tags: stg_tag
      +schema: stg
      +meta: {b: stg}
      materialized: table
      post-hook: ["select 'stg_post'"]
      deep:
        +tags: [deep_tag]
        +meta: {nested: {y: 2}}
`, map[string]string{
		"models/staging/deep/m.sql": "{{ config(tags=['sql_tag'], meta={'c': 'sql', 'a': 'sql'}, post_hook=\"select 'sql_post'\", alias='m_sql') }}\nselect 1 as id\n",
		"models/staging/deep/_m.yml": `version: 2
models:
  - name: m
    config:
      tags: [yml_tag]
      meta: {a: yml, e: yml}
      post_hook: "select 'yml_post'"
      materialized: incremental
      alias: m_yml
      schema: yml
`,
	})
	r48cRun(t, dir, "build")
	n := r48cNode(t, dir, "model.proj.m")
	cfg := n["config"].(map[string]any)
	require.Equal(t, "incremental", cfg["materialized"])
	require.Equal(t, `["proj_tag","stg_tag","deep_tag","yml_tag","sql_tag"]`, r48cJSON(t, cfg["tags"]))
	require.Equal(t, `{"a":"sql","b":"stg","c":"sql","e":"yml","nested":{"y":2}}`, r48cJSON(t, cfg["meta"]))
	require.Equal(t, `["select 'proj_post'","select 'stg_post'","select 'yml_post'","select 'sql_post'"]`, r48cJSON(t, cfg["post_hook"]))
	require.Equal(t, "main_yml", n["schema"])
	require.Equal(t, "m_sql", n["alias"])
	require.Equal(t, int32(1), scalar(t, dir, "select id from main_yml.m_sql"))
}

// Bug: dbt merges `docs`, `column_types`, `contract` and `quoting` key by
// key across config levels (MergeBehavior.Update in dbt_common's
// BaseConfig.mergebehavior, as `meta`); mart replaces them. A seed folder's
// `+column_types` is lost when the seed's YAML sets another column's type,
// and a folder's `+docs: {show: false}` is lost when the model sets a
// node_color.
func TestReview48cDictConfigsUpdate(t *testing.T) {
	dir := r48cProject(t, `seeds:
  proj:
    +column_types: {a: varchar}
models:
  proj:
    +docs: {show: false}
    +contract: {enforced: false, alias_types: false}
`, map[string]string{
		"seeds/s.csv":   "a,b\n1,2\n",
		"seeds/_s.yml":  "version: 2\nseeds:\n  - name: s\n    config:\n      column_types: {b: varchar}\n",
		"models/m.sql":  "select 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      docs: {node_color: red}\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: integer\n",
	})
	r48cRun(t, dir, "build")
	// dbt: a is varchar (the folder's), b varchar (the seed's)
	require.Equal(t, [][]any{{"a", "VARCHAR"}, {"b", "VARCHAR"}},
		query(t, dir, "select column_name, data_type from information_schema.columns where table_name = 's' order by ordinal_position"))
	cfg := r48cNode(t, dir, "model.proj.m")["config"].(map[string]any)
	require.Equal(t, `{"node_color":"red","show":false}`, r48cJSON(t, cfg["docs"]))
	require.Equal(t, `{"alias_types":false,"enforced":true}`, r48cJSON(t, cfg["contract"]))
}

// Bug: `grants` merge with dbt's DictKeyAppend: a "+select" key at a later
// level extends the privilege's grantee list (and the "+" is dropped); a
// bare key replaces that privilege's list. mart replaces the whole dict and
// keeps the "+" in the key.
func TestReview48cGrantsPlusKeyAppends(t *testing.T) {
	dir := r48cProject(t, `models:
  proj:
    +grants: {select: ['u1'], insert: ['w1']}
`, map[string]string{
		"models/m.sql": "{{ config(grants={'+select': ['u3']}) }}\nselect 1 as id\n",
		// a model that queries the warehouse renders twice: its grantee is added once
		"models/w.sql":  "{{ config(grants={'+select': ['u3']}) }}{% set r = run_query('select 1') %}\nselect 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      grants: {'+select': ['u2']}\n",
	})
	r48cRun(t, dir, "compile")
	cfg := r48cNode(t, dir, "model.proj.m")["config"].(map[string]any)
	require.Equal(t, `{"insert":["w1"],"select":["u1","u2","u3"]}`, r48cJSON(t, cfg["grants"]))
	cfg = r48cNode(t, dir, "model.proj.w")["config"].(map[string]any)
	require.Equal(t, `{"insert":["w1"],"select":["u1","u3"]}`, r48cJSON(t, cfg["grants"]))
}

// Bug (the same Update merge, between config() calls): dbt's
// _add_config_call updates `docs` (and meta, quoting, column_types,
// contract) key by key across two config() calls in one file; mart keeps
// the second call's dict only.
func TestReview48cConfigCallsUpdateDocs(t *testing.T) {
	dir := r48cProject(t, "", map[string]string{
		"models/m.sql": "{{ config(docs={'show': false}, meta={'o': 1}) }}\n{{ config(docs={'node_color': 'red'}, meta={'p': 2}) }}\nselect 1 as id\n",
	})
	r48cRun(t, dir, "compile")
	cfg := r48cNode(t, dir, "model.proj.m")["config"].(map[string]any)
	require.Equal(t, `{"o":1,"p":2}`, r48cJSON(t, cfg["meta"]))
	require.Equal(t, `{"node_color":"red","show":false}`, r48cJSON(t, cfg["docs"]))
}

// Passes: a folder's `+enabled: false` is overridden by the YAML entry's
// `enabled: true`, and a model's own config(enabled=false) over its YAML's
// true disables it; a version's relation is <name>_v<v>, the unversioned
// ref is the latest_version; a source's schema defaults to its name, a
// table's freshness merges over the source's and `freshness: null` drops
// it; meta is the source's updated by the table's.
func TestReview48cEnabledVersionsSources(t *testing.T) {
	dir := r48cProject(t, `models:
  proj:
    a:
      +enabled: false
`, map[string]string{
		"models/a/x.sql":    "select 1 as id\n",
		"models/a/y.sql":    "{{ config(enabled=false) }}\nselect 1 as id\n",
		"models/a/_a.yml":   "version: 2\nmodels:\n  - name: x\n    config:\n      enabled: true\n  - name: y\n    config:\n      enabled: true\n",
		"models/dim_v1.sql": "select 1 as id\n",
		"models/dim_v2.sql": "select 2 as id\n",
		"models/use.sql":    "select * from {{ ref('dim') }}\n",
		"models/_dim.yml": `version: 2
models:
  - name: dim
    latest_version: 1
    versions: [{v: 1}, {v: 2}]
sources:
  - name: raw
    meta: {a: src, b: src}
    loaded_at_field: updated_at
    freshness:
      warn_after: {count: 1, period: day}
      error_after: {count: 2, period: day}
    tables:
      - name: t1
        meta: {b: tbl}
        freshness:
          warn_after: {count: 5, period: hour}
      - name: t2
        freshness: null
`,
	})
	r48cRun(t, dir, "build")
	require.Equal(t, int32(1), scalar(t, dir, "select id from main.x"))
	require.Equal(t, int32(1), scalar(t, dir, "select id from main.use"))
	require.Equal(t, int32(2), scalar(t, dir, "select id from main.dim_v2"))
	require.Equal(t, int64(0), scalar(t, dir, "select count(*) from information_schema.tables where table_name = 'y'"))
	t1 := r48cNode(t, dir, "source.proj.raw.t1")
	require.Equal(t, "raw", t1["schema"])
	require.Equal(t, `{"a":"src","b":"tbl"}`, r48cJSON(t, t1["meta"]))
	require.Equal(t, `{"error_after":{"count":2,"period":"day"},"warn_after":{"count":5,"period":"hour"}}`, r48cJSON(t, t1["freshness"]))
	require.Nil(t, r48cNode(t, dir, "source.proj.raw.t2")["freshness"])
}

// Fixed: a generic test takes the tags of the column it tests, and of its
// source and source table (schema_generic_tests.py parse_test: tags=column.tags;
// sources.py parse_source_test: source, table and column tags).
func TestReview48cColumnAndSourceTagsOnTests(t *testing.T) {
	dir := r48cProject(t, "", map[string]string{
		"seeds/raw_t.csv": "id\n1\n",
		"models/m.sql":    "select 1 as id\n",
		"models/_m.yml": `version: 2
models:
  - name: m
    columns:
      - name: id
        tags: [mcol]
        data_tests: [not_null]
sources:
  - name: src
    schema: main
    tags: [stag]
    tables:
      - name: raw_t
        tags: [ttag]
        columns:
          - name: id
            tags: [ctag]
            data_tests: [unique]
`,
	})
	r48cRun(t, dir, "compile")
	var m struct {
		Nodes map[string]struct {
			Tags []string `json:"tags"`
		} `json:"nodes"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "target/manifest.json")), &m))
	tags := map[string][]string{}
	for id, n := range m.Nodes {
		if strings.HasPrefix(id, "test.") {
			tags[strings.Split(id, ".")[2]] = n.Tags
		}
	}
	require.Equal(t, map[string][]string{"not_null_m_id": {"mcol"}, "source_unique_src_raw_t_id": {"ctag", "stag", "ttag"}}, tags)
	r := r48cRun(t, dir, "ls", "--select", "tag:ctag", "--resource-type", "test")
	require.Contains(t, r.Stdout, "source_unique_src_raw_t_id")
	r = r48cRun(t, dir, "ls", "--select", "tag:mcol")
	require.Contains(t, r.Stdout, "not_null_m_id")
}
