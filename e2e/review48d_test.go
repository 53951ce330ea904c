package e2e

// Review 48d: probes of the dbt context that models and macros use on
// DuckDB, on the real binary: those that held as dbt-core 1.8/1.9 with
// dbt-duckdb does (the adapter and relation API, hooks, run-operation,
// incremental strategies, on_schema_change). The probes of the bugs it
// found are kept where they were fixed (crossdb_macros_test.go,
// context_values_test.go, dbt_context_test.go).

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// r48Project is a project named r48 of the given files.
func r48Project(t *testing.T, files map[string]string) string { return namedProject(t, "r48", files) }

func r48Str(v any) string { return fmt.Sprint(v) }

func TestReview48dAdapterAndContext(t *testing.T) {
	dir := r48Project(t, map[string]string{
		"mart.yml":        "name: r48\nversion: \"1.0.0\"\nvars:\n  nested: {a: {b: 7}}\n",
		"models/base.sql": "{{ config(materialized='table') }}\nselect 1 as id, 'x' as name, 2.5::double as amt\n",
		"macros/m.sql": `{% macro d() %}{% do return({'a': [1, 2], 'b': 'x'}) %}{% endmacro %}
{% macro disp(x) %}{{ return(adapter.dispatch('disp', 'r48')(x)) }}{% endmacro %}
{% macro default__disp(x) %}'default {{ x }}'{% endmacro %}
{% macro duckdb__disp(x) %}'duckdb {{ x }}'{% endmacro %}
`,
		"models/m.sql": `{{ config(materialized='table', my_key='hello') }}
{% set cols = adapter.get_columns_in_relation(ref('base')) %}
{% set q = run_query("select 1 as a, 'x' as b union all select 2, 'y' order by 1") %}
{% call statement('s1', fetch_result=True) %}select 42 as n{% endcall %}
select
  '{{ this.schema }}|{{ this.identifier }}|{{ this.name }}' as this_parts,
  '{% for c in cols %}{{ c.name }}:{{ c.data_type }}:{{ c.quoted }};{% endfor %}' as cols,
  '{{ load_relation(ref("base")) is not none }}|{{ adapter.get_relation(database=this.database, schema=this.schema, identifier="base") is not none }}' as rels,
  '{{ config.get("my_key") }}|{{ config.get("nope", "dflt") }}|{{ config.require("materialized") }}' as cfg,
  '{{ target.name }}|{{ target.schema }}|{{ target.type }}' as tgt,
  '{{ var("nested")["a"]["b"] }}|{{ var("missing", "dv") }}|{{ env_var("R48_NOPE", "ed") }}' as vars,
  '{{ local_md5("abc") }}' as md5,
  '{{ fromjson("{\"k\": [1,2]}")["k"][1] }}|{{ fromyaml("a: [1, 2]")["a"] | length }}|{{ toyaml({"a": 1}) | trim }}|{% for a, b in zip([1,2],[3,4]) %}{{ a }}{{ b }}{% endfor %}' as fns,
  '{{ d()["a"][1] }}{{ d().b }}' as ret,
  {{ disp(1) }} as disp,
  '{{ api.Relation.create(schema="s1", identifier="t1") }}' as rc,
  '{% if execute %}{{ q.columns[0].values() | join(",") }}|{{ q.rows[1][1] }}|{{ q.column_names | join(",") }}|{{ load_result("s1")["data"][0][0] }}|{{ load_result("s1").table.columns[0].values()[0] }}{% endif %}' as agate
`,
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	row := query(t, dir, "select this_parts, cols, rels, cfg, tgt, vars, md5, fns, ret, disp, rc, agate from m")[0]
	require.Equal(t, []any{"main|m|m", "id:INTEGER:\"id\";name:VARCHAR:\"name\";amt:DOUBLE:\"amt\";", "True|True", "hello|dflt|table",
		"dev|main|duckdb", "7|dv|ed", "900150983cd24fb0d6963f7d28e17f72", "2|2|a: 1|1324", "2x", "duckdb 1", `"s1"."t1"`,
		"1,2|y|a,b|42|42"}, row)
}

func TestReview48dHooksAndOperation(t *testing.T) {
	dir := r48Project(t, map[string]string{
		"mart.yml": `name: r48
version: "1.0.0"
on-run-start:
  - "create table if not exists main.audit (what varchar, n int)"
on-run-end:
  - "insert into main.audit select 'end:' || '{% for r in results %}{{ r.node.name }}={{ r.status }};{% endfor %}', {{ results | length }}"
  - "insert into main.audit select 'schemas:{{ schemas | join(\",\") }}', 0"
models:
  r48:
    +post-hook: "insert into main.audit select 'proj_post:{{ this.name }}', 1"
`,
		"models/m.sql": `{{ config(materialized='table', pre_hook=["insert into main.audit select 'pre1', 1", "insert into main.audit select 'pre2', 2"], post_hook="insert into main.audit select 'post:' || (select count(*) from {{ this }}), 3") }}
select 1 as id
`,
		"macros/op.sql": `{% macro op(n, label='z') %}
{% do run_query("insert into main.audit select '" ~ label ~ "', " ~ n) %}
{% endmacro %}
`,
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "run-operation", "op", "--args", "{n: 5, label: hey}")
	require.Equal(t, 0, r.Code, r.String())
	rows := query(t, dir, "select what, n from main.audit order by rowid")
	var got []string
	for _, row := range rows {
		got = append(got, fmt.Sprintf("%v=%v", row[0], row[1]))
	}
	require.Equal(t, []string{"pre1=1", "pre2=2", "proj_post:m=1", "post:1=3", "end:m=success;=1", "schemas:main=0", "hey=5"}, got)
}

func TestReview48dIncrementalStrategies(t *testing.T) {
	dir := r48Project(t, map[string]string{"models/inc.sql": `{{ config(materialized='incremental', unique_key=['k1','k2'], incremental_strategy=var('strat','delete+insert')) }}
select * from (values {{ var('rows', "(1,1,'a'),(1,2,'b')") }}) t(k1,k2,v)
{% if is_incremental() %} where k1 >= (select max(k1) from {{ this }}) {% endif %}
`})
	rows := func() string {
		var out []string
		for _, r := range query(t, dir, "select k1, k2, v from inc order by all") {
			out = append(out, fmt.Sprintf("%v%v%v", r[0], r[1], r[2]))
		}
		return strings.Join(out, " ")
	}
	for _, step := range []struct{ vars, want string }{
		{"", "11a 12b"},
		{`{rows: "(1,1,'A'),(2,1,'c')"}`, "11A 12b 21c"},
		{`{strat: merge, rows: "(2,1,'C'),(3,1,'d')"}`, "11A 12b 21C 31d"},
		{`{strat: append, rows: "(3,1,'D'),(0,1,'z')"}`, "11A 12b 21C 31D 31d"},
	} {
		args := []string{"build"}
		if step.vars != "" {
			args = append(args, "--vars", step.vars)
		}
		r := mart(t, dir, args...)
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, step.want, rows(), step.vars)
	}
}

func TestReview48dOnSchemaChange(t *testing.T) {
	model := `{{ config(materialized='incremental', on_schema_change=var('osc')) }}
{% if var('phase', 1) == 1 %}select 1 as id, 'a' as old_col, 10 as n
{% else %}select 2 as id, 'b' as new_col, 20 as n
{% endif %}
`
	cols := func(dir string) string {
		var out []string
		for _, r := range query(t, dir, "select column_name from information_schema.columns where table_name = 'osc' order by ordinal_position") {
			out = append(out, r48Str(r[0]))
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		osc, cols string
		fails     bool
	}{
		{"append_new_columns", "id,old_col,n,new_col", false},
		{"sync_all_columns", "id,n,new_col", false},
		{"fail", "id,old_col,n", true},
	} {
		t.Run(c.osc, func(t *testing.T) {
			dir := r48Project(t, map[string]string{"models/osc.sql": model})
			r := mart(t, dir, "build", "--vars", "{osc: "+c.osc+"}")
			require.Equal(t, 0, r.Code, r.String())
			r = mart(t, dir, "build", "--vars", "{osc: "+c.osc+", phase: 2}")
			require.Equal(t, c.fails, r.Code != 0, r.String())
			require.Equal(t, c.cols, cols(dir))
			if !c.fails {
				require.EqualValues(t, 2, scalar(t, dir, "select count(*) from osc"))
			}
		})
	}
}
