package compiler

import (
	"strings"
	"testing"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Review 48r: model.* fields read by a render stay equal to a cold
// compile through patches.
func TestReview48rModelMeta(t *testing.T) {
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml": "name: p\n", "models/o.sql": "select 1 as x\n",
			"models/m.sql":  "select '{{ model.config.meta }}|{{ model.config.get(\"docs\") }}|{{ model.config.persist_docs }}|{{ model.config.contract }}' as v\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n",
		}},
		{name: "yaml meta top", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    meta: {k: v}\n"}, any: true},
		{name: "yaml docs top", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    meta: {k: v}\n    docs: {show: false}\n"}, any: true},
		{name: "yaml config meta", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      meta: {k: w}\n"}, any: true},
		{name: "yaml columns", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      meta: {k: w}\n    columns:\n      - name: v\n        description: d\n"}, any: true},
		{name: "folder persist_docs", files: map[string]string{"mart.yml": "name: p\nmodels:\n  p:\n    +persist_docs: {relation: true}\n"}, any: true},
	}
	runPatchSteps(t, steps)
}

func TestReview48rModelFqnDatabase(t *testing.T) {
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml": "name: p\n", "models/o.sql": "select 1 as x\n",
			"models/a/m.sql": "select '{{ model.fqn }}|{{ model.database }}|{{ model.original_file_path }}|{{ model.config.database }}|{{ target.database }}' as v\n",
		}},
		{name: "folder database", files: map[string]string{"mart.yml": "name: p\nmodels:\n  p:\n    a:\n      +database: memory\n"}, any: true},
		{name: "yaml database", files: map[string]string{"models/a/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      database: memory2\n"}, any: true},
	}
	runPatchSteps(t, steps)
}

// A warning naming a relation (exceptions.warn, nameWarnings) follows
// that relation's name through a patch, as a cold compile names it.
func TestReview48rWarnNamesRelation(t *testing.T) {
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml": "name: p\n", "models/o.sql": "select 1 as x\n", "models/z.sql": "select 2 as x\n",
			"models/m.sql": "{% do exceptions.warn('see ' ~ ref('o') ~ ' and ' ~ this) %}select * from {{ ref('o') }}\n",
		}},
		{name: "alias of o", files: map[string]string{"models/_o.yml": "version: 2\nmodels:\n  - name: o\n    config:\n      alias: oo\n"}, any: true},
		{name: "schema of o", files: map[string]string{"models/_o.yml": "version: 2\nmodels:\n  - name: o\n    config:\n      alias: oo\n      schema: s\n"}, any: true},
		{name: "alias of m", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      alias: mm\n"}, any: true},
		{name: "z edited", files: map[string]string{"models/z.sql": "select 3 as x\n"}, any: true},
	}
	runPatchSteps(t, steps)
}

func renderR48r(t *testing.T, src string) (string, error) {
	t.Helper()
	e := jinja.NewEngine()
	ctx := map[string]any{"modules": modulesValue, "run_started_at": runStartedAt("2024-01-02 03:04:05.123456+00:00")}
	tpl, err := e.Parse("m.sql", src)
	if err != nil {
		return "", err
	}
	return tpl.Render(ctx)
}

// Python's timedelta holds up to 999,999,999 days; mart's is a Go
// duration (±292 years): within it the values are Python's (CPython 3),
// past it an error, never a wrong value (it overflowed silently: review
// 48r; the range is documented).
func TestReview48rTimedeltaRange(t *testing.T) {
	for src, want := range map[string]string{
		"{{ (modules.datetime.date(2024,1,1) - modules.datetime.date(1800,1,1)).days }}":         "81814",
		"{{ (modules.datetime.datetime(2024,1,1) - modules.datetime.datetime(1800,1,1)).days }}": "81814",
		"{{ modules.datetime.timedelta(days=200*365) }}":                                         "73000 days, 0:00:00",
		"{{ modules.datetime.date(1,1,1) + modules.datetime.timedelta(days=200*365) }}":          "0200-11-14",
	} {
		got, err := renderR48r(t, src)
		require.NoError(t, err, src)
		assert.Equal(t, want, got, src)
	}
	for _, src := range []string{
		"{{ (modules.datetime.date(2024,1,1) - modules.datetime.date(1,1,1)).days }}",
		"{{ (modules.datetime.datetime(2024,1,1) - modules.datetime.datetime(1600,1,1)).days }}",
		"{{ modules.datetime.timedelta(days=400*365) }}",
		"{{ modules.datetime.timedelta(days=999999999) }}",
		"{{ modules.datetime.timedelta(days=200*365) + modules.datetime.timedelta(days=200*365) }}",
		"{{ modules.datetime.timedelta(days=200*365) * 2 }}",
		"{{ modules.datetime.timedelta(days=1000000000) }}",
	} {
		_, err := renderR48r(t, src)
		assert.ErrorContains(t, err, "OverflowError", src)
	}
}

// glibc's strftime (which Python's calls on Linux) takes the '-' flag.
func TestReview48rStrftimeNoPad(t *testing.T) {
	got, err := renderR48r(t, "{{ modules.datetime.datetime(2024,1,5,9).strftime('%-d/%-m %-H') }}")
	require.NoError(t, err)
	assert.Equal(t, "5/1 9", got)
	// the other flags (python3 on Linux: glibc's strftime)
	got, err = renderR48r(t, "{{ modules.datetime.datetime(2024,1,5,9,3,0).strftime('%-d/%-m %-H|%_d|%0e|%^a|%-M|%-y|%-j|%_H|%%-d') }}")
	require.NoError(t, err)
	assert.Equal(t, "5/1 9| 5|05|FRI|3|24|5| 9|%-d", got)
}

// A project macro that overrides dbt.<name> (default__/duckdb__) added,
// edited and removed: the patch renders the callers again.
func TestReview48rCrossDBOverridePatch(t *testing.T) {
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml": "name: p\n", "models/o.sql": "select 1 as x\n",
			"models/m.sql":     "select {{ dbt.concat(['a', 'b']) }} as c, {{ dbt.type_int() }} as t\n",
			"macros/other.sql": "{% macro other() %}1{% endmacro %}\n",
		}},
		{name: "add default__concat", files: map[string]string{"macros/c.sql": "{% macro default__concat(fields) %}CONCAT_OVERRIDE{% endmacro %}\n"}, any: true},
		{name: "add duckdb__concat", files: map[string]string{"macros/d.sql": "{% macro duckdb__concat(fields) %}DUCK_OVERRIDE{% endmacro %}\n"}, any: true},
		{name: "edit duckdb__concat", files: map[string]string{"macros/d.sql": "{% macro duckdb__concat(fields) %}DUCK_OVERRIDE2{% endmacro %}\n"}, any: true},
		{name: "remove duckdb__concat", remove: []string{"macros/d.sql"}, any: true},
		{name: "add duckdb__type_int in other", files: map[string]string{"macros/other.sql": "{% macro other() %}1{% endmacro %}\n{% macro duckdb__type_int() %}INT_OVERRIDE{% endmacro %}\n"}, any: true},
		{name: "add default__date_spine", files: map[string]string{"macros/ds.sql": "{% macro default__date_spine(datepart, start_date, end_date) %}SPINE{% endmacro %}\n"}, any: true},
		{name: "add default__get_powers_of_two", files: map[string]string{"macros/p.sql": "{% macro default__get_powers_of_two(upper_bound) %}{{ return(7) }}{% endmacro %}\n"}, any: true},
	}
	runPatchSteps(t, steps)
}

// Tests that read a var, in entries made again (seed config, model SQL
// edit, model moved) in the same step as the var changes.
func TestReview48rVarTestsRemadeMore(t *testing.T) {
	seedYml := func(extra string) string {
		return "version: 2\nseeds:\n  - name: sd\n" + extra + "    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              where: \"id > {{ var('lo', 0) }}\"\n"
	}
	mYml := func(extra string) string {
		return "version: 2\nmodels:\n  - name: m\n" + extra + "    columns:\n      - name: id\n        data_tests:\n          - accepted_values:\n              values: \"{{ var('ids', [1, 2]) }}\"\n          - relationships:\n              to: ref('m2')\n              field: id\n              where: \"id > {{ var('lo', 0) }}\"\n"
	}
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml": "name: p\n", "seeds/sd.csv": "id\n1\n", "seeds/_sd.yml": seedYml(""),
			"models/m.sql": "select 1 as id\n", "models/m2.sql": "select 1 as id\n", "models/_m.yml": mYml(""),
		}},
		{name: "seed config and var", vars: map[string]any{"lo": 1}, files: map[string]string{"seeds/_sd.yml": seedYml("    config:\n      tags: [x]\n")}, any: true},
		{name: "model sql and var", vars: map[string]any{"lo": 2, "ids": []any{1}}, files: map[string]string{"models/m.sql": "select 2 as id\n"}, any: true},
		{name: "m2 sql and var", vars: map[string]any{"lo": 3, "ids": []any{1}}, files: map[string]string{"models/m2.sql": "select 3 as id\n"}, any: true},
		{name: "m2 moved and var", vars: map[string]any{"lo": 4, "ids": []any{1}}, remove: []string{"models/m2.sql"}, files: map[string]string{"models/sub/m2.sql": "select 3 as id\n"}, any: true},
		{name: "m config entry and var", vars: map[string]any{"lo": 5, "ids": []any{3}}, files: map[string]string{"models/_m.yml": mYml("    config:\n      tags: [y]\n")}, any: true},
		{name: "m2 disabled and var", vars: map[string]any{"lo": 6, "ids": []any{3}}, files: map[string]string{"models/sub/m2.sql": "{{ config(enabled=false) }}select 3 as id\n"}, coldFails: true},
	}
	runPatchSteps(t, steps)
}

func compileModelR48r(t *testing.T, sql string) string {
	t.Helper()
	res, d := compileDiags(t, map[string]string{"mart.yml": "name: p\n", "models/m.sql": sql})
	require.NotNil(t, res, "%v", d)
	return res.Manifest.Node("model.p.m").CompiledCode
}

// model.config is a dict in dbt's context (node.to_dict()) and model.tags
// a list: `in`, length, tojson and iteration work on them.
func TestReview48rModelConfigIsADict(t *testing.T) {
	for sql, want := range map[string]string{
		"{{ config(materialized='table') }}{{ 'materialized' in model.config }}":            "True",
		"{{ config(materialized='table', tags=['a', 'b']) }}{{ model.tags | length }}":      "2",
		"{{ config(materialized='table') }}{{ 'nope' in model.config }}":                    "False",
		"{{ config(materialized='table') }}{{ model.config | length > 0 }}":                 "True",
		"{{ config(materialized='table') }}{{ (model.config | tojson).startswith('{') }}":   "True",
		"{{ config(materialized='table') }}{% for k in model.config %}{{ k }};{% endfor %}": "materialized;",
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", sql, r)
				}
			}()
			res, d := compileDiags(t, map[string]string{"mart.yml": "name: p\n", "models/m.sql": sql})
			if !assert.NotNil(t, res, "%s: %v", sql, d) {
				return
			}
			got := res.Manifest.Node("model.p.m").CompiledCode
			if strings.HasSuffix(want, ";") {
				assert.Contains(t, got, want, sql)
			} else {
				assert.Equal(t, want, got, sql)
			}
		}()
	}
}

// On DuckDB target.database is the catalog now; dbt-duckdb's model.database
// and this.database are the same catalog (node.database = target.database
// by default), so comparing them holds.
func TestReview48rModelDatabaseIsTargetDatabase(t *testing.T) {
	got := compileModelR48r(t, "{{ model.database == target.database }}|{{ this.database == target.database }}")
	assert.Equal(t, "True|True", got)
}

// model.config read by a render follows each kind of YAML config edit.
func TestReview48rModelConfigYamlKeys(t *testing.T) {
	yml := func(cfg string) string {
		return "version: 2\ngroups:\n  - name: g\n    owner: {name: o}\nmodels:\n  - name: m\n" + cfg
	}
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml": "name: p\n", "models/o.sql": "select 1 as x\n",
			"models/m.sql":  "select '{% for k, v in model.config.items() %}{{ k }}={{ v }};{% endfor %}|{{ model.tags }}|{{ model.group }}|{{ model.access }}|{{ model.meta }}|{{ model.docs }}|{{ model.contract }}|{{ model.version }}|{{ model.latest_version }}|{{ model.constraints }}' as v\n",
			"models/_m.yml": yml(""),
		}},
		{name: "group", files: map[string]string{"models/_m.yml": yml("    group: g\n")}, any: true},
		{name: "access", files: map[string]string{"models/_m.yml": yml("    group: g\n    access: private\n")}, any: true},
		{name: "config group", files: map[string]string{"models/_m.yml": yml("    config:\n      group: g\n")}, any: true},
		{name: "config access", files: map[string]string{"models/_m.yml": yml("    config:\n      access: protected\n")}, any: true},
		{name: "config docs", files: map[string]string{"models/_m.yml": yml("    config:\n      docs: {show: false}\n")}, any: true},
		{name: "config grants", files: map[string]string{"models/_m.yml": yml("    config:\n      grants: {select: [a]}\n")}, any: true},
		{name: "config persist_docs", files: map[string]string{"models/_m.yml": yml("    config:\n      persist_docs: {relation: true}\n")}, any: true},
		{name: "config event_time", files: map[string]string{"models/_m.yml": yml("    config:\n      event_time: x\n")}, any: true},
		{name: "top docs", files: map[string]string{"models/_m.yml": yml("    docs: {show: false, node_color: red}\n")}, any: true},
		{name: "top meta", files: map[string]string{"models/_m.yml": yml("    meta: {z: 1}\n")}, any: true},
		{name: "latest_version", files: map[string]string{"models/_m.yml": yml("    latest_version: 1\n    versions:\n      - v: 1\n        defined_in: m\n")}, any: true},
	}
	runPatchSteps(t, steps)
}

// ref('n').name and .table are n's alias now: an edit of n's alias (YAML
// or folder config) renders again the models that printed them.
func TestReview48rRefNameFollowsAlias(t *testing.T) {
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml": "name: p\n", "models/n.sql": "select 1 as x\n", "models/z.sql": "select 1 as x\n",
			"models/m.sql":  "select '{{ ref(\"n\").name }}|{{ ref(\"n\").table }}|{{ source(\"s\", \"t\").name }}' as v from {{ ref('n') }}\n",
			"models/_s.yml": "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n",
		}},
		{name: "n alias in yaml", files: map[string]string{"models/_n.yml": "version: 2\nmodels:\n  - name: n\n    config:\n      alias: n2\n"}, any: true},
		{name: "n alias in sql", files: map[string]string{"models/n.sql": "{{ config(alias='n4') }}select 1 as x\n"}, any: true},
		{name: "source identifier", files: map[string]string{"models/_s.yml": "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        identifier: tt\n"}, any: true},
	}
	runPatchSteps(t, steps)
}
