package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A project whose models query the warehouse while they render
// (adapter.get_columns_in_relation as dbt_utils.star calls it, run_query,
// a source read) is patched by `mart compile` too: the patch renders those
// models against the warehouse every time, as the whole compile does
// after compiling. Two copies go through the same compiles, one with
// partial parsing and one without, with edits of the project and of the
// warehouse in between; after each, their output, manifest.json and
// compiled files must be the same, and the copy with partial parsing must
// have been patched.
func TestCompileByPatchQueriesWarehouse(t *testing.T) {
	files := map[string]string{
		"mart.yml":         "name: wh\nmodels:\n  wh:\n    +materialized: view\n",
		"seeds/people.csv": "id,name\n1,a\n2,b\n",
		// the model dbt_utils.star is: its columns, listed
		"macros/star.sql": `{% macro star_of(rel) -%}
{%- set cols = adapter.get_columns_in_relation(rel) -%}
{%- for c in cols %}{{ c.name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if not cols %}*{% endif -%}
{%- endmacro %}`,
		"macros/ops.sql": `{% macro add_column() %}{% do run_query('alter table people add column extra integer default 7') %}{% endmacro %}
{% macro make_later() %}{% do run_query('create table later as select 5 as n') %}{% endmacro %}`,
		"models/cols.sql": "select {{ star_of(ref('people')) }} from {{ ref('people') }}\n",
		// a ref whose relation its own config() renames: the render against
		// the warehouse sees the final name
		"models/aliased.sql":    "{{ config(alias='renamed', materialized='table') }}\nselect 1 as x, 2 as y\n",
		"models/on_aliased.sql": "select {{ star_of(ref('aliased')) }} from {{ ref('aliased') }}\n",
		// run_query: the count as it is when compiled
		"models/counted.sql": `{% set n = run_query('select count(*) from ' ~ ref('people')).columns[0].values()[0] if execute else 0 %}
select {{ n }} as people
`,
		// a source table that does not exist yet: its render against the
		// warehouse fails (a warning, the parse-time SQL) until it does
		"models/later.sql": `{% set n = run_query('select max(n) from ' ~ source('raw', 'later')).columns[0].values()[0] if execute else -1 %}
select {{ n }} as n
`,
		"models/plain.sql": "select id from {{ ref('people') }}\n",
		// generic tests that query the warehouse as dbt_expectations' do:
		// their macro call is not in manifest.json, and each patch renders
		// them against the warehouse again
		"macros/tests.sql": `{% test column_count_is(model, value, column_name=none) -%}
{%- set n = adapter.get_columns_in_relation(model) | length -%}
select {{ n }} as n where {{ n }} != {{ value }}
{%- endtest %}
{% test max_is(model, column_name, value) -%}
{%- set r = run_query('select max(' ~ column_name ~ ') from ' ~ model) -%}
{%- set m = r.columns[0].values()[0] if execute else 0 -%}
select {{ m }} as m where {{ m }} != {{ value }}
{%- endtest %}`,
		"seeds/props.yml": "version: 2\nseeds:\n  - name: people\n    data_tests:\n      - column_count_is: {value: 2}\n",
		"models/sources.yml": `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: later
        columns:
          - name: n
            data_tests:
              - max_is: {value: 5, config: {where: "n > 0"}}
models:
  - name: plain
    columns:
      - name: id
        data_tests:
          - column_count_is: {value: 1.5}
`,
	}
	light, whole := t.TempDir(), t.TempDir()
	for _, dir := range []string{light, whole} {
		for name, text := range files {
			writeFile(t, dir, name, text)
		}
		r := mart(t, dir, "build", "--select", "people aliased")
		require.Equal(t, 0, r.Code, r.String())
	}
	steps := []struct {
		what string
		do   func(dir string)
	}{
		{"the first compile", nil},
		{"nothing changed", nil},
		{"a plain model edited", func(dir string) { writeFile(t, dir, "models/plain.sql", "select id, name from {{ ref('people') }}\n") }},
		{"a model that queries the warehouse edited", func(dir string) {
			writeFile(t, dir, "models/cols.sql", "-- every column\nselect {{ star_of(ref('people')) }} from {{ ref('people') }}\n")
		}},
		{"a column added in the warehouse", func(dir string) {
			r := mart(t, dir, "run-operation", "add_column")
			require.Equal(t, 0, r.Code, r.String())
		}},
		{"the missing source table made", func(dir string) {
			r := mart(t, dir, "run-operation", "make_later")
			require.Equal(t, 0, r.Code, r.String())
		}},
		{"the macro they call edited", func(dir string) {
			writeFile(t, dir, "macros/star.sql", `{% macro star_of(rel) -%}
{%- set cols = adapter.get_columns_in_relation(rel) -%}
{%- for c in cols %}"{{ c.name }}"{% if not loop.last %}, {% endif %}{% endfor %}{% if not cols %}*{% endif -%}
{%- endmacro %}`)
		}},
	}
	for i, step := range steps {
		if step.do != nil {
			step.do(light)
			step.do(whole)
		}
		a := compileBoth(t, light, whole, step.what)
		require.Equal(t, 0, a.Code, "%s: %s", step.what, a)
		an, ac := compiledFiles(t, light)
		bn, bc := compiledFiles(t, whole)
		require.Equal(t, bn, an, step.what)
		require.Equal(t, bc, ac, step.what)
		if i > 0 {
			require.NotContains(t, a.Stderr, "no patch:", step.what)
			require.Contains(t, a.Stderr, "mart timing: render (", step.what)
		}
		switch step.what {
		case "the first compile":
			require.Contains(t, a.Stdout, "7 of the selected nodes query the warehouse")
			require.Contains(t, a.Stderr, "model later queries the warehouse while it renders, and that failed")
			require.Contains(t, a.Stderr, "test source_max_is_raw_later_n__5 queries the warehouse while it renders, and that failed")
			require.Contains(t, ac["models/cols.sql"], "select id, name from")
			require.Contains(t, ac["models/on_aliased.sql"], `select x, y from "main"."renamed"`)
			require.Contains(t, ac["models/counted.sql"], "select 2 as people")
			require.Contains(t, manifestBody(t, light), `"compiled_code":"select 2 as n where 2 != 2"`)
			require.Contains(t, manifestBody(t, light), `"compiled_code":"select 0 as n where 0 != 1.5"`) // plain is not built
		case "a column added in the warehouse":
			require.Contains(t, ac["models/cols.sql"], "select id, name, extra from")
			require.Contains(t, manifestBody(t, light), `"compiled_code":"select 3 as n where 3 != 2"`)
		case "the missing source table made":
			require.Contains(t, ac["models/later.sql"], "select 5 as n")
			require.Contains(t, manifestBody(t, light), `"compiled_code":"select 5 as m where 5 != 5"`)
			require.NotContains(t, a.Stderr, "that failed")
		case "the macro they call edited":
			require.Contains(t, ac["models/cols.sql"], `select "id", "name", "extra" from`)
		}
	}
	// the node index their renders read, damaged, is never trusted: the
	// compile says so in one line and compiles the whole project, whose
	// snapshot the next compile patches
	// (after a whole compile: a patch appends its captures to the file,
	// after the index)
	require.NoError(t, os.Remove(filepath.Join(light, "target", "partial_parse.patch")))
	r := mart(t, light, "compile")
	require.Equal(t, 0, r.Code, r.String())
	damageBlobsTail(t, light, 30)
	for i, patched := range []bool{false, true} {
		r := martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, i == 0, strings.Contains(r.Stderr, "target/partial_parse.blobs: warning: partial-parse cache ignored: the node index is damaged"), r.Stderr)
		require.Equal(t, patched, !strings.Contains(r.Stderr, "no patch:"), r.Stderr)
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
	}
}

// After `mart compile`, target/compiled holds the SQL of a model that
// queries the warehouse as rendered against it. A run that does not run
// that model (a selection of others, or a `mart seed`/`mart test` whose
// patch is followed by a whole compile) leaves that file as a run without
// partial parsing does: its patch does not write the model's parse-time
// SQL over it (found by a review).
func TestRunPatchKeepsWarehouseModelsCompiledFile(t *testing.T) {
	files := map[string]string{
		"mart.yml":         "name: wh\nmodels:\n  wh:\n    +materialized: view\n",
		"seeds/people.csv": "id,name\n1,a\n2,b\n",
		"models/cols.sql": `{%- set cols = adapter.get_columns_in_relation(ref('people')) -%}
select {% for c in cols %}{{ c.name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if not cols %}*{% endif %} from {{ ref('people') }}
`,
		"models/plain.sql": "select 1 as x\n",
		// a generic test that queries the warehouse: `mart compile` writes
		// its SQL rendered against it into manifest.json, a run's compile
		// its parse-time SQL
		"macros/column_count_is.sql": `{% test column_count_is(model, value) -%}
{%- set n = adapter.get_columns_in_relation(model) | length -%}
select {{ n }} as n where {{ n }} != {{ value }}
{%- endtest %}`,
		"seeds/props.yml": "version: 2\nseeds:\n  - name: people\n    data_tests:\n      - column_count_is: {value: 2}\n",
	}
	for _, args := range [][]string{{"run", "--select", "plain"}, {"seed"}, {"test"}} {
		light, whole := t.TempDir(), t.TempDir()
		for _, dir := range []string{light, whole} {
			for name, text := range files {
				writeFile(t, dir, name, text)
			}
			r := mart(t, dir, "seed", "--no-partial-parse")
			require.Equal(t, 0, r.Code, r.String())
		}
		r := mart(t, light, "compile")
		require.Equal(t, 0, r.Code, r.String())
		r = mart(t, whole, "compile", "--no-partial-parse")
		require.Equal(t, 0, r.Code, r.String())
		_, c := compiledFiles(t, light)
		require.Contains(t, c["models/cols.sql"], "select id, name from")
		require.Contains(t, manifestBody(t, light), `"compiled_code":"select 2 as n where 2 != 2"`)

		a := mart(t, light, args...)
		b := mart(t, whole, append(args, "--no-partial-parse")...)
		require.Equal(t, 0, a.Code, a.String())
		require.Equal(t, 0, b.Code, b.String())
		an, ac := compiledFiles(t, light)
		bn, bc := compiledFiles(t, whole)
		require.Equal(t, bn, an, "mart %v", args)
		require.Equal(t, bc, ac, "mart %v: target/compiled", args)
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light), "mart %v: manifest.json", args)
	}
}

// A generic test that queries the warehouse is rendered by every patch as
// the whole compile renders it, first with execute true: a macro it calls
// only then may have changed (found by a review). An edit that makes that
// render fail, or stop querying the warehouse, compiles as the whole
// project does; an integer past 2^53 in its arguments stays exact in
// test_metadata (JSON's numbers would round it).
func TestPatchWarehouseTestsRenderAsWholeCompile(t *testing.T) {
	files := map[string]string{
		"mart.yml":         "name: wh\nmodels:\n  wh:\n    +materialized: table\n",
		"seeds/people.csv": "id,name\n1,a\n",
		"models/plain.sql": "select id, name from {{ ref('people') }}\n",
		"models/props.yml": "version: 2\nmodels:\n  - name: plain\n    data_tests:\n      - ncols: {big: 9007199254740993}\n",
		"macros/tests.sql": `{% test ncols(model, big) -%}
{%- if execute %}{{ check(model) }}{% endif -%}
select {{ cols(model) if execute else 0 }} as n, {{ big }} as big where false
{%- endtest %}`,
		"macros/check.sql": "{% macro check(m) %}{% endmacro %}",
		"macros/cols.sql":  "{% macro cols(m) %}{{ adapter.get_columns_in_relation(m) | length }}{% endmacro %}",
	}
	light, whole := t.TempDir(), t.TempDir()
	for _, dir := range []string{light, whole} {
		for name, text := range files {
			writeFile(t, dir, name, text)
		}
		r := mart(t, dir, "build", "--select", "people plain", "--no-partial-parse")
		require.Equal(t, 0, r.Code, r.String())
	}
	steps := []struct {
		what    string
		do      func(dir string)
		patched bool
	}{
		{"the first compile", nil, false},
		{"a model edited", func(dir string) {
			writeFile(t, dir, "models/plain.sql", "select id, name from {{ ref('people') }} -- x\n")
		}, true},
		{"a macro the test calls with execute true raises", func(dir string) {
			writeFile(t, dir, "macros/check.sql", "{% macro check(m) %}{{ exceptions.raise_compiler_error('check failed') }}{% endmacro %}")
		}, false},
		// the failed compile changed nothing: target/ is patched as before
		{"it no longer raises", func(dir string) { writeFile(t, dir, "macros/check.sql", "{% macro check(m) %}{% endmacro %}") }, true},
		{"the test no longer queries the warehouse", func(dir string) { writeFile(t, dir, "macros/cols.sql", "{% macro cols(m) %}42{% endmacro %}") }, false},
	}
	for _, step := range steps {
		if step.do != nil {
			step.do(light)
			step.do(whole)
		}
		a := compileBoth(t, light, whole, step.what)
		require.Equal(t, step.patched, !strings.Contains(a.Stderr, "no patch:"), "%s: %s", step.what, a.Stderr)
		if step.what == "a model edited" {
			require.Contains(t, manifestBody(t, light), `"kwargs":{"big":9007199254740993}`)
		}
	}
	// a run that loads the test from the snapshot runs what the whole one does
	a := mart(t, light, "build", "--select", "plain", "--threads", "1")
	b := mart(t, whole, "build", "--select", "plain", "--threads", "1", "--no-partial-parse")
	require.Equal(t, b.Code, a.Code, a.String())
	require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout))
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
}

// A config() call such a test makes only when execute is true stays in
// its config, as the whole compile's first render leaves it: an edit of
// the macro that gives its value changes the test (found by a review).
func TestPatchWarehouseTestConfigUnderExecute(t *testing.T) {
	files := map[string]string{
		"mart.yml":         "name: wh\nmodels:\n  wh:\n    +materialized: table\n",
		"models/other.sql": "select 1 as x\n",
		"models/props.yml": "version: 2\nmodels:\n  - name: other\n    data_tests: [xcfg]\n",
		"macros/tests.sql": `{% test xcfg(model) -%}
{%- if execute %}{{ config(severity=sev()) }}{% endif -%}
select {{ adapter.get_columns_in_relation(model) | length }} as n from {{ model }} where 1=1
{%- endtest %}`,
		"macros/sev.sql": "{% macro sev() %}warn{% endmacro %}",
	}
	light, whole := t.TempDir(), t.TempDir()
	for _, dir := range []string{light, whole} {
		for name, text := range files {
			writeFile(t, dir, name, text)
		}
	}
	same := func(what string, args ...string) {
		t.Helper()
		a := mart(t, light, args...)
		b := mart(t, whole, append(args, "--no-partial-parse")...)
		require.Equal(t, b.Code, a.Code, "%s: %s", what, a)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		require.Equal(t, b.Stderr, a.Stderr, what)
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
	}
	same("the first build", "build", "--threads", "1")
	same("a compile", "compile")
	for _, sev := range []string{"error", "bogus"} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "macros/sev.sql", "{% macro sev() %}"+sev+"{% endmacro %}")
		}
		same("severity "+sev+": compile", "compile")
		same("severity "+sev+": build", "build", "--select", "other+", "--threads", "1")
	}
}

// compileBoth runs `mart compile` in light (partial parsing, timings on)
// and whole (--no-partial-parse), requires the same exit code, output
// (without the timings) and manifest.json, and returns light's result.
func compileBoth(t *testing.T, light, whole, what string) result {
	t.Helper()
	a := martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
	b := mart(t, whole, "compile", "--no-partial-parse")
	require.Equal(t, b.Code, a.Code, "%s: %s", what, a)
	require.Equal(t, b.Stdout, a.Stdout, what)
	require.Equal(t, b.Stderr, timingLines.ReplaceAllString(a.Stderr, ""), what)
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
	return a
}
