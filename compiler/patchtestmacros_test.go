package compiler

import (
	"fmt"
	"strings"
	"testing"
)

// TestPatchGenericTestMacroEdits: an edit of a project's generic test,
// of a macro one calls, or of a tests/generic/ file makes the tests that
// called it again (patchtestmacros.go) instead of compiling the whole
// project, for tests of models, seeds and source tables, a test a patch
// added among them; what it cannot take compiles whole.
func TestPatchGenericTestMacroEdits(t *testing.T) {
	positive := func(op string) string {
		return "{% test positive(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} " + op + " {{ floor_of() }}\n{% endtest %}\n"
	}
	props := func(bTests string) string {
		return "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: things\n        columns:\n          - name: id\n            data_tests: [positive]\n" +
			"models:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, positive]\n      - name: n\n        data_tests: [even]\n" +
			"  - name: b\n    columns:\n      - name: id\n        data_tests: " + bTests + "\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                 "name: gt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nseed-paths: [\"seeds\"]\ntest-paths: [\"tests\"]\n",
			"macros/positive.sql":      positive("<"),
			"macros/floor.sql":         "{% macro floor_of() %}0{% endmacro %}\n{% macro unused() %}1{% endmacro %}\n",
			"tests/generic/even.sql":   "{% test even(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} % 2 = 1\n{% endtest %}\n",
			"models/a.sql":             "select 1 as id, 2 as n\n",
			"models/b.sql":             "select id, {{ floor_of() }} as f from {{ ref('a') }}\n",
			"models/c.sql":             "select 1 as id\n",
			"models/_props.yml":        props("[not_null]"),
			"seeds/s.csv":              "id\n1\n",
			"seeds/_seeds.yml":         "version: 2\nseeds:\n  - name: s\n    columns:\n      - name: id\n        data_tests: [positive]\n",
			"models/other/_other.yml":  "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
			"tests/assert_nothing.sql": "select * from {{ ref('c') }} where false\n"}},
		{name: "the test's SQL edited", patched: true, files: map[string]string{"macros/positive.sql": positive("<=")}},
		{name: "a macro it calls edited (a model calls it too)", patched: true, files: map[string]string{
			"macros/floor.sql": "{% macro floor_of() %}1{% endmacro %}\n{% macro unused() %}1{% endmacro %}\n"}},
		{name: "a macro beside it no test calls edited", patched: true, files: map[string]string{
			"macros/floor.sql": "{% macro floor_of() %}1{% endmacro %}\n{% macro unused() %}2{% endmacro %}\n"}},
		{name: "a tests/generic/ file edited", patched: true, files: map[string]string{
			"tests/generic/even.sql": "{% test even(model, column_name) %}\nselect * from {{ model }} where mod({{ column_name }}, 2) = 1\n{% endtest %}\n"}},
		{name: "a test of it added in YAML", patched: true, files: map[string]string{"models/_props.yml": props("[not_null, positive]")}},
		{name: "the test edited again: the added one made again too", patched: true, files: map[string]string{"macros/positive.sql": positive("<>")}},
		{name: "a test of it added in another file, and it edited with it", patched: true, files: map[string]string{
			"models/other/_other.yml": "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [not_null, positive]\n",
			"macros/positive.sql":     positive("<")}},
		{name: "the test now calls a macro of another file", patched: true, files: map[string]string{
			"macros/positive.sql": strings.Replace(positive("<"), "{{ floor_of() }}", "{{ floor_of() }} + {{ unused() }}", 1)}},
		{name: "that macro edited", patched: true, files: map[string]string{
			"macros/floor.sql": "{% macro floor_of() %}1{% endmacro %}\n{% macro unused() %}3{% endmacro %}\n"}},
		{name: "the test sets its config", patched: true, files: map[string]string{
			"macros/positive.sql": strings.Replace(positive("<"), "\nselect", "\n{{ config(severity='warn', tags=['pos']) }}select", 1)}},
		{name: "the test refs another model: its parents change, whole", patched: false, files: map[string]string{
			"macros/positive.sql": strings.Replace(positive("<"), "{{ floor_of() }}", "(select min(id) from {{ ref('c') }})", 1)}},
		{name: "the test renamed: the compile fails", coldFails: true, files: map[string]string{
			"macros/positive.sql": strings.Replace(positive("<"), "test positive(", "test positive2(", 1)}},
		{name: "it back: its parents change back, whole", patched: false, files: map[string]string{"macros/positive.sql": positive("<")}},
		{name: "the test takes an argument its tests do not give", patched: true, files: map[string]string{
			"macros/positive.sql": strings.Replace(positive("<"), "column_name)", "column_name, bound)", 1)}},
		{name: "it back (from the last snapshot: a test edit)", patched: true, files: map[string]string{"macros/positive.sql": positive("<")}},
		{name: "a helper it calls removed: whole", patched: false, files: map[string]string{
			"macros/floor.sql": "{% macro floor_of() %}1{% endmacro %}\n"}},
		{name: "the test's SQL edited after that", patched: true, files: map[string]string{"macros/positive.sql": positive(">")}},
	})
}

// TestPatchGenericTestMacroOfDisabledTest: a disabled test's macro file
// is blocked: an edit that enables it, or breaks its render, compiles
// whole as the whole compile does (a review found both patched, the test
// left disabled), whether its macro, its YAML or mart.yml disables it.
func TestPatchGenericTestMacroOfDisabledTest(t *testing.T) {
	const body = "select * from {{ model }} where {{ column_name }} < 0\n{% endtest %}\n"
	const head = "{% test positive(model, column_name) %}\n"
	props := func(test string) string {
		return "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, " + test + "]\n"
	}
	for _, c := range []struct{ name, mart, props, macro string }{
		{"by its macro", "", props("positive"), head + "{{ config(enabled=false) }}\n" + body},
		{"in YAML", "", props("{positive: {config: {enabled: false}}}"), head + body},
		{"in mart.yml", "data_tests:\n  gt:\n    +enabled: false\n", props("positive"), head + body},
	} {
		t.Run(c.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: map[string]string{
					"mart.yml":            "name: gt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n" + c.mart,
					"models/a.sql":        "select 1 as id\n",
					"models/_props.yml":   c.props,
					"macros/positive.sql": c.macro}},
				{name: "its macro enables it: whole", patched: false, files: map[string]string{
					"macros/positive.sql": head + "{{ config(enabled=true) }}\n" + body}},
				{name: "its macro breaks", coldFails: true, files: map[string]string{
					"macros/positive.sql": head + "{{ nope() }}\n" + body}},
			})
		})
	}
}

// TestPatchGenericTestMacroOfJinjaEntry: a test whose entry's tests hold
// Jinja is not made again by a patch; an edit of its macro compiles the
// whole project, and the result is the cold compile's.
func TestPatchGenericTestMacroOfJinjaEntry(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            "name: gt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  lim: 5\n",
			"macros/positive.sql": "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n",
			"models/a.sql":        "select 1 as id\n",
			"models/_props.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - positive:\n" +
				"              config:\n                limit: \"{{ var('lim') }}\"\n"}},
		{name: "its macro edited: whole", patched: false, files: map[string]string{
			"macros/positive.sql": "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}\n"}},
	})
}

// TestPatchGenericTestMacroOfManyTests: a macro edit that would make more
// tests again than a whole compile takes to make compiles whole (the
// limit: 64 tests, or a twentieth of the node index).
func TestPatchGenericTestMacroOfManyTests(t *testing.T) {
	files := map[string]string{
		"mart.yml":            "name: gt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
		"macros/positive.sql": "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n",
	}
	props := "version: 2\nmodels:\n"
	for i := 0; i < 70; i++ {
		files[fmt.Sprintf("models/m%d.sql", i)] = "select 1 as id\n"
		props += fmt.Sprintf("  - name: m%d\n    columns:\n      - name: id\n        data_tests: [positive]\n", i)
	}
	files["models/_props.yml"] = props
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "the test edited: 70 tests, whole", patched: false, files: map[string]string{
			"macros/positive.sql": "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}\n"}},
	})
}

// TestPatchRootTestsOfPackageModel: a root project's YAML testing a
// package's model makes root tests (test.<root>.…, as dbt); an edit of
// those tests is patched (remakeTests finds the model by name, as the
// whole compile does), one of their macro compiles whole (the node they
// test is a package's: testEditOf).
func TestPatchRootTestsOfPackageModel(t *testing.T) {
	props := func(tests string) string {
		return "version: 2\nmodels:\n  - name: pm\n    columns:\n      - name: id\n        data_tests: [" + tests + "]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                           "name: rp\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"dbt_packages/pkg/dbt_project.yml":   "name: pkg\nversion: \"1.0.0\"\n",
			"dbt_packages/pkg/models/sub/pm.sql": "select 1 as id\n",
			"models/a.sql":                       "select id from {{ ref('pm') }}\n",
			"macros/positive.sql":                "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n",
			"models/_props.yml":                  props("not_null")}},
		{name: "a test added", patched: true, files: map[string]string{"models/_props.yml": props("not_null, unique")}},
		{name: "a test of the project's macro added", patched: true, files: map[string]string{"models/_props.yml": props("not_null, unique, positive")}},
		{name: "its macro edited: whole", patched: false, files: map[string]string{
			"macros/positive.sql": "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}\n"}},
		{name: "a test removed", patched: true, files: map[string]string{"models/_props.yml": props("unique, positive")}},
	})
}
