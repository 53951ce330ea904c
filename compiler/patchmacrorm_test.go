package compiler

import "testing"

// TestPatchMacroRemoved: a macro a file no longer defines is patched when
// every render its absence changes called it (they render again): one no
// render used, or one moved to another file. One a render found without
// calling it (`is defined`, adapter.dispatch, a generic test's), whose
// namespace a render read, or which overrode one of mart's compiles the
// whole project; one a model still calls fails as the cold compile does.
func TestPatchMacroRemoved(t *testing.T) {
	base := func(extra map[string]string) map[string]string {
		files := map[string]string{"mart.yml": "name: mr\nversion: \"1.0.0\"\n",
			"models/a.sql": "select 1 as id\n",
			"models/m.sql": "select {{ used(1) }} as x from {{ ref('a') }}\n",
			"models/n.sql": "select 2 as y\n",
			"macros/u.sql": "{% macro used(x) %}({{ x }} + 1){% endmacro %}\n\n{% macro unused(x) %}{{ x }}{% endmacro %}\n",
			"macros/v.sql": "{% macro other(x) %}{{ x }} * 2{% endmacro %}\n"}
		for k, v := range extra {
			files[k] = v
		}
		return files
	}
	t.Run("unused", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base(nil)},
			{name: "unused removed", patched: true, files: map[string]string{"macros/u.sql": "{% macro used(x) %}({{ x }} + 1){% endmacro %}\n"}},
			{name: "added back", patched: true, files: base(nil)}})
	})
	t.Run("moved", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base(nil)},
			{name: "used moved to v.sql", patched: true, files: map[string]string{
				"macros/u.sql": "{% macro unused(x) %}{{ x }}{% endmacro %}\n",
				"macros/v.sql": "{% macro other(x) %}{{ x }} * 2{% endmacro %}\n\n{% macro used(x) %}({{ x }} + 1){% endmacro %}\n"}},
			// its callers went with it: an edit there renders m again
			{name: "used edited in v.sql", patched: true, files: map[string]string{
				"macros/v.sql": "{% macro other(x) %}{{ x }} * 2{% endmacro %}\n\n{% macro used(x) %}({{ x }} + 7){% endmacro %}\n"}},
			{name: "used moved to a new file", patched: true, files: map[string]string{
				"macros/v.sql":   "{% macro other(x) %}{{ x }} * 2{% endmacro %}\n",
				"macros/new.sql": "{% macro used(x) %}({{ x }} + 8){% endmacro %}\n"}},
			{name: "edited there", patched: true, files: map[string]string{"macros/new.sql": "{% macro used(x) %}({{ x }} + 9){% endmacro %}\n"}}})
	})
	t.Run("file removed", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base(map[string]string{"macros/sub/w.sql": "{% macro spare() %}1{% endmacro %}\n"})},
			{name: "v.sql removed", patched: true, remove: []string{"macros/v.sql"}},
			{name: "used moved out of u.sql, which is removed", patched: true, remove: []string{"macros/u.sql"},
				files: map[string]string{"macros/sub/w.sql": "{% macro spare() %}1{% endmacro %}\n{% macro used(x) %}({{ x }} + 2){% endmacro %}\n"}},
			{name: "used edited there", patched: true, files: map[string]string{"macros/sub/w.sql": "{% macro used(x) %}({{ x }} + 3){% endmacro %}\n"}},
			{name: "v.sql back", patched: true, files: map[string]string{"macros/v.sql": "{% macro other(x) %}{{ x }} * 2{% endmacro %}\n"}},
			{name: "w.sql removed, used called", coldFails: true, remove: []string{"macros/sub/w.sql"}},
		})
	})
	t.Run("a file of none", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base(map[string]string{"macros/w.sql": "{# none yet #}\n"})},
			{name: "w.sql defines one", patched: true, files: map[string]string{"macros/w.sql": "{% macro spare() %}1{% endmacro %}\n"}},
			{name: "and none again", patched: true, files: map[string]string{"macros/w.sql": "\n"}},
			{name: "w.sql removed", patched: true, remove: []string{"macros/w.sql"}}})
	})
	// a warning located in a macro file removed (found by review): the
	// cold compile says it where the macro is now, or not at all
	t.Run("a warning in the file removed", func(t *testing.T) {
		cfg := "{% macro cfg() %}{{ config(materialized='incremental', incremental_strategy='bogus') }}{% endmacro %}\n"
		runPatchSteps(t, []patchStep{{name: "cold", files: base(map[string]string{"macros/c.sql": cfg, "models/n.sql": "{{ cfg() }}select 2 as y\n"})},
			{name: "c.sql renamed d.sql", patched: false, remove: []string{"macros/c.sql"}, files: map[string]string{"macros/d.sql": cfg}}})
		unknown := "{% macro cfg() %}{{ config(foo_unknown=1) }}{% endmacro %}\n"
		runPatchSteps(t, []patchStep{{name: "cold", files: base(map[string]string{"macros/c.sql": unknown, "models/n.sql": "{{ cfg() }}select 2 as y\n"})},
			{name: "c.sql removed, and its call", patched: false, remove: []string{"macros/c.sql"}, files: map[string]string{"models/n.sql": "select 2 as y\n"}}})
		runPatchSteps(t, []patchStep{{name: "cold", files: base(map[string]string{"macros/c.sql": unknown, "models/n.sql": "{{ cfg() }}select 2 as y\n"})},
			{name: "c.sql removed with its caller", patched: false, remove: []string{"macros/c.sql", "models/n.sql"}}})
	})
	t.Run("directory removed", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base(map[string]string{"macros/sub/w.sql": "{% macro spare() %}1{% endmacro %}\n"})},
			{name: "sub/ removed", patched: false, remove: []string{"macros/sub/w.sql", "macros/sub"}}})
	})
	t.Run("still called", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base(nil)},
			{name: "used removed", coldFails: true, files: map[string]string{"macros/u.sql": "{% macro unused(x) %}{{ x }}{% endmacro %}\n"}},
			{name: "and its call", patched: true, files: map[string]string{"models/m.sql": "select 1 as x from {{ ref('a') }}\n"}}})
	})
	t.Run("its call removed with it", func(t *testing.T) {
		runPatchSteps(t, []patchStep{{name: "cold", files: base(nil)},
			{name: "used and its call removed", patched: true, files: map[string]string{
				"macros/u.sql": "{% macro unused(x) %}{{ x }}{% endmacro %}\n",
				"models/m.sql": "select 1 as x from {{ ref('a') }}\n"}}})
	})
	t.Run("is defined", func(t *testing.T) {
		files := base(map[string]string{"models/n.sql": "select {% if unused is defined %}3{% else %}4{% endif %} as y\n"})
		runPatchSteps(t, []patchStep{{name: "cold", files: files},
			{name: "unused removed", patched: false, files: map[string]string{"macros/u.sql": "{% macro used(x) %}({{ x }} + 1){% endmacro %}\n"}}})
	})
	t.Run("passed as a value", func(t *testing.T) {
		files := base(map[string]string{"models/n.sql": "{% set f = unused %}select {{ f(5) }} as y\n"})
		runPatchSteps(t, []patchStep{{name: "cold", files: files},
			{name: "unused removed", coldFails: true, files: map[string]string{"macros/u.sql": "{% macro used(x) %}({{ x }} + 1){% endmacro %}\n"}}})
	})
	t.Run("in a call block", func(t *testing.T) {
		files := base(map[string]string{"models/n.sql": "select {% call unused(1) %}ignored{% endcall %} as y\n"})
		runPatchSteps(t, []patchStep{{name: "cold", files: files},
			{name: "an unrelated edit", patched: true, files: map[string]string{"macros/v.sql": "{% macro other(x) %}{{ x }} * 3{% endmacro %}\n"}},
			{name: "unused removed", coldFails: true, files: map[string]string{"macros/u.sql": "{% macro used(x) %}({{ x }} + 1){% endmacro %}\n"}}})
	})
	t.Run("namespace", func(t *testing.T) {
		files := base(map[string]string{"models/n.sql": "select {{ mr.other(2) }} as y\n"})
		runPatchSteps(t, []patchStep{{name: "cold", files: files},
			{name: "unused removed", patched: false, files: map[string]string{"macros/u.sql": "{% macro used(x) %}({{ x }} + 1){% endmacro %}\n"}}})
	})
	t.Run("dispatched", func(t *testing.T) {
		files := base(map[string]string{"models/n.sql": "select {{ adapter.dispatch('thing')() }} as y\n",
			"macros/d.sql": "{% macro default__thing() %}1{% endmacro %}\n{% macro duckdb__thing() %}2{% endmacro %}\n"})
		runPatchSteps(t, []patchStep{{name: "cold", files: files},
			{name: "duckdb__thing removed", patched: false, files: map[string]string{"macros/d.sql": "{% macro default__thing() %}1{% endmacro %}\n"}}})
	})
	t.Run("a generic test's", func(t *testing.T) {
		files := base(map[string]string{"macros/t.sql": "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [positive]\n"})
		runPatchSteps(t, []patchStep{{name: "cold", files: files},
			{name: "test_positive removed", coldFails: true, files: map[string]string{"macros/t.sql": "\n"}}})
	})
	t.Run("an override of mart's", func(t *testing.T) {
		files := base(map[string]string{"macros/t.sql": "{% test unique(model, column_name) %}select 1 where false{% endtest %}\n"})
		runPatchSteps(t, []patchStep{{name: "cold", files: files},
			{name: "test_unique removed", patched: false, files: map[string]string{"macros/t.sql": "\n"}}})
	})
}
