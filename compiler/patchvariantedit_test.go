package compiler

import (
	"testing"
)

// variant is a model file enabled while var side (default 'a') is v.
func variant(v, sql string) string {
	return "{{ config(enabled=var('side', 'a') == '" + v + "') }}\n" + sql
}

// TestPatchEnabledVariant: of the variants of a shared name (model files
// of one name, all but one disabled), the enabled one is patched as any
// model when its SQL is edited, or a macro or var only it reads changes
// (patchableVariant); what would make it again (its YAML or folder
// config), disable it, remove it, or change what its disabled variants
// read, compiles whole (disabledID). Each step's compile equals a cold
// one.
func TestPatchEnabledVariant(t *testing.T) {
	props := func(desc, extra string) string {
		return "version: 2\nmodels:\n  - name: o\n    description: " + desc + "\n" + extra +
			"  - name: reads_o\n    description: reads o\n"
	}
	steps := []patchStep{
		{name: "cold", files: withFiles(nil,
			"mart.yml", "name: ve\nversion: \"1.0.0\"\n",
			"macros/m.sql", "{% macro twice(c) %}({{ c }}) * 2{% endmacro %}\n{% macro thrice(c) %}({{ c }}) * 3{% endmacro %}\n",
			"models/base.sql", "select 1 as id\n",
			"models/other.sql", "select 2 as id\n",
			"models/a/o.sql", variant("a", "select id from {{ ref('base') }}\n"),
			"models/b/o.sql", variant("b", "select {{ thrice('id') }} as id from {{ ref('base') }}\n"),
			"models/reads_o.sql", "select * from {{ ref('o') }}\n",
			"models/_props.yml", props("the o", ""))},
		{name: "the enabled variant's SQL", patched: true, files: withFiles(nil,
			"models/a/o.sql", variant("a", "select id, 1 as x from {{ ref('base') }}\n"))},
		{name: "it refs another model", patched: true, files: withFiles(nil,
			"models/a/o.sql", variant("a", "select id, 1 as x from {{ ref('base') }} join {{ ref('other') }} using (id)\n"))},
		{name: "it calls a macro", patched: true, files: withFiles(nil,
			"models/a/o.sql", variant("a", "select {{ twice('id') }} as id from {{ ref('base') }}\n"))},
		{name: "the macro it calls", patched: true, files: withFiles(nil,
			"macros/m.sql", "{% macro twice(c) %}({{ c }}) * 22{% endmacro %}\n{% macro thrice(c) %}({{ c }}) * 3{% endmacro %}\n")},
		{name: "the macro the disabled variant calls", patched: false, files: withFiles(nil,
			"macros/m.sql", "{% macro twice(c) %}({{ c }}) * 22{% endmacro %}\n{% macro thrice(c) %}({{ c }}) * 33{% endmacro %}\n")},
		{name: "it reads a var", patched: true, files: withFiles(nil,
			"models/a/o.sql", variant("a", "select {{ twice('id') }} + {{ var('bump', 0) }} as id from {{ ref('base') }}\n"))},
		{name: "the var it reads", patched: true, vars: map[string]any{"bump": 5}},
		{name: "its relation renamed (as any model's: whole)", patched: false, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", "{{ config(enabled=var('side', 'a') == 'a', alias='o_a') }}\nselect id from {{ ref('base') }}\n")},
		{name: "its description", patched: true, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/_props.yml", props("the o, described again", ""))},
		{name: "its tests", any: true, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/_props.yml", props("the o, described again", "    columns:\n      - name: id\n        data_tests: [not_null]\n"))},
		{name: "its YAML config", patched: false, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/_props.yml", props("the o, described again", "    config:\n      tags: [t]\n    columns:\n      - name: id\n        data_tests: [not_null]\n"))},
		{name: "its folder config", patched: false, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"mart.yml", "name: ve\nversion: \"1.0.0\"\nmodels:\n  ve:\n    a:\n      +tags: [fa]\n")},
		{name: "it reads a var by a computed name", patched: false, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", "{{ config(enabled=var('side', 'a') == 'a', alias='o_a') }}\nselect id, {{ var('bu' ~ 'mp', 0) }} as b from {{ ref('base') }}\n")},
		{name: "not any more", any: true, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", "{{ config(enabled=var('side', 'a') == 'a', alias='o_a') }}\nselect id from {{ ref('base') }}\n")},
		{name: "both variants edited", patched: false, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", "{{ config(enabled=var('side', 'a') == 'a', alias='o_a') }}\nselect id, 2 as y from {{ ref('base') }}\n",
			"models/b/o.sql", variant("b", "select {{ thrice('id') }} + 1 as id from {{ ref('base') }}\n"))},
		{name: "it disables itself", coldFails: true, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", "{{ config(enabled=false) }}\nselect id from {{ ref('base') }}\n")},
		{name: "back", any: true, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", variant("a", "select id from {{ ref('base') }}\n"))},
		{name: "it enables the other too", coldFails: true, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", "{{ config(enabled=true) }}\nselect id from {{ ref('base') }}\n",
			"models/b/o.sql", "{{ config(enabled=true) }}\nselect 3 as id\n")},
		{name: "back again", any: true, vars: map[string]any{"bump": 5}, files: withFiles(nil,
			"models/a/o.sql", variant("a", "select id from {{ ref('base') }}\n"),
			"models/b/o.sql", variant("b", "select {{ thrice('id') }} as id from {{ ref('base') }}\n"))},
		{name: "swapped", any: true, vars: map[string]any{"side": "b"}},
		{name: "swapped: the now enabled variant's SQL", patched: true, vars: map[string]any{"side": "b"}, files: withFiles(nil,
			"models/b/o.sql", variant("b", "select {{ thrice('id') }} + 2 as id from {{ ref('base') }}\n"))},
		{name: "swapped: the now disabled variant's SQL", patched: false, vars: map[string]any{"side": "b"}, files: withFiles(nil,
			"models/a/o.sql", variant("a", "select id, 3 as z from {{ ref('base') }}\n"))},
		{name: "swapped: the enabled variant removed", coldFails: true, vars: map[string]any{"side": "b"}, remove: []string{"models/b/o.sql"}},
		{name: "swapped: back", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil,
			"models/b/o.sql", variant("b", "select 4 as id\n"))},
		{name: "swapped: the reader removed", any: true, vars: map[string]any{"side": "b"}, remove: []string{"models/reads_o.sql"}},
		{name: "swapped: the enabled variant removed, no reader", patched: false, vars: map[string]any{"side": "b"}, remove: []string{"models/b/o.sql"}},
	}
	runPatchSteps(t, steps)
}
