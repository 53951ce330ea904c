package compiler

import (
	"testing"
)

// TestPatchBlockedMacros: a macro that a node which is not patchable
// calls (a variant of a shared name), a naming macro, and a macro a
// naming macro calls, are blocked each on its own (macroUse.Blocked): a
// change of one of them (its text, its line, its removal) compiles whole,
// and an edit of their files that leaves them as they were is patched,
// the callers of what it changed rendering again. The blocks of a
// snapshot file of several blocked the macros they call until session 44
// (patchblocks.go): those steps are patched now. Each step's compile
// equals a cold one.
func TestPatchBlockedMacros(t *testing.T) {
	block := func(name, body string) string {
		return "{% snapshot " + name + " %}\n{{ config(unique_key='id', strategy='check', check_cols=['v']) }}\n" + body + "\n{% endsnapshot %}\n"
	}
	// helpers.sql: snap_a calls wrap, the variants call pick, models call
	// plain; spare is called by nothing
	helpers := func(wrap, pick, plain, spare string) string {
		return "{% macro wrap(c) %}" + wrap + "{% endmacro %}\n" +
			"{% macro pick(c) %}" + pick + "{% endmacro %}\n" +
			"{% macro plain(c) %}" + plain + "{% endmacro %}\n" + spare
	}
	naming := func(schema, suffix, other string) string {
		return "{% macro generate_schema_name(custom, node) %}" + schema + "{% endmacro %}\n" +
			"{% macro schema_suffix() %}" + suffix + "{% endmacro %}\n" +
			"{% macro other_helper(c) %}" + other + "{% endmacro %}\n"
	}
	const schema = "{{ target.schema }}{{ schema_suffix() }}{% if custom %}_{{ custom }}{% endif %}"
	h0 := helpers("{{ c }}", "{{ c }}", "{{ c }}", "{% macro spare() %}0{% endmacro %}\n")
	n0 := naming(schema, "", "{{ c }}")
	steps := []patchStep{
		{name: "cold", files: withFiles(nil,
			"mart.yml", "name: mb\nversion: \"1.0.0\"\n",
			"macros/helpers.sql", h0,
			"macros/naming.sql", n0,
			"models/base.sql", "select 1 as id, 'x' as v\n",
			"models/plain_user.sql", "select {{ plain('id') }} as id from {{ ref('base') }}\n",
			"models/other_user.sql", "select {{ other_helper('id') }} as id from {{ ref('base') }}\n",
			"models/a/o.sql", variant("a", "select {{ pick('id') }} as id from {{ ref('base') }}\n"),
			"models/b/o.sql", variant("b", "select 2 as id\n"),
			"models/reads_o.sql", "select * from {{ ref('o') }}\n",
			"snapshots/pair.sql", block("snap_a", "select id, {{ wrap('v') }} as v from {{ ref('base') }}")+
				block("snap_b", "select id, v from {{ ref('base') }}"))},
		{name: "a macro only models call", patched: true, files: withFiles(nil,
			"macros/helpers.sql", helpers("{{ c }}", "{{ c }}", "({{ c }})", "{% macro spare() %}0{% endmacro %}\n"))},
		{name: "a macro nothing calls", patched: true, files: withFiles(nil,
			"macros/helpers.sql", helpers("{{ c }}", "{{ c }}", "({{ c }})", "{% macro spare() %}1{% endmacro %}\n"))},
		{name: "a macro added", patched: true, files: withFiles(nil,
			"macros/helpers.sql", helpers("{{ c }}", "{{ c }}", "({{ c }})", "{% macro spare() %}1{% endmacro %}\n{% macro more() %}2{% endmacro %}\n"))},
		{name: "a macro nothing calls removed", patched: true, files: withFiles(nil,
			"macros/helpers.sql", helpers("{{ c }}", "{{ c }}", "({{ c }})", "{% macro more() %}2{% endmacro %}\n"))},
		{name: "the macro a block of the snapshot file calls", patched: true, files: withFiles(nil,
			"macros/helpers.sql", helpers("upper({{ c }})", "{{ c }}", "({{ c }})", "{% macro more() %}2{% endmacro %}\n"))},
		{name: "the macro the enabled variant calls", patched: true, files: withFiles(nil,
			"macros/helpers.sql", helpers("upper({{ c }})", "{{ c }} + 0", "({{ c }})", "{% macro more() %}2{% endmacro %}\n"))},
		{name: "their lines moved", patched: true, files: withFiles(nil,
			"macros/helpers.sql", "{# helpers #}\n"+helpers("upper({{ c }})", "{{ c }} + 0", "({{ c }})", "{% macro more() %}2{% endmacro %}\n"))},
		{name: "after them, a macro only models call", patched: true, files: withFiles(nil,
			"macros/helpers.sql", "{# helpers #}\n"+helpers("upper({{ c }})", "{{ c }} + 0", "(({{ c }}))", "{% macro more() %}2{% endmacro %}\n"))},
		{name: "a model's macro moved to a file of its own", patched: true, files: withFiles(nil,
			"macros/helpers.sql", "{# helpers #}\n"+helpers("upper({{ c }})", "{{ c }} + 0", "(({{ c }}))", ""),
			"macros/more.sql", "{% macro more() %}2{% endmacro %}\n")},
		{name: "a helper of the naming macro's file only a model calls", patched: true, files: withFiles(nil,
			"macros/naming.sql", naming(schema, "", "{{ c }} * 1"))},
		{name: "the macro the naming macro calls", patched: false, files: withFiles(nil,
			"macros/naming.sql", naming(schema, "_x", "{{ c }} * 1"))},
		{name: "the naming macro", patched: false, files: withFiles(nil,
			"macros/naming.sql", naming("{{ target.schema }}{{ schema_suffix() }}", "_x", "{{ c }} * 1"))},
		{name: "the helper again", patched: true, files: withFiles(nil,
			"macros/naming.sql", naming("{{ target.schema }}{{ schema_suffix() }}", "_x", "{{ c }} * 2"))},
		{name: "the snapshot file's block edited", patched: true, files: withFiles(nil,
			"snapshots/pair.sql", block("snap_a", "select id, {{ wrap('v') }} as v from {{ ref('base') }}")+
				block("snap_b", "select id, v, 1 as w from {{ ref('base') }}"))},
		{name: "the variants swapped", any: true, vars: map[string]any{"side": "b"}},
		{name: "swapped: the macro the disabled variant calls", patched: false, vars: map[string]any{"side": "b"}, files: withFiles(nil,
			"macros/helpers.sql", "{# helpers #}\n"+helpers("upper({{ c }})", "{{ c }} + 1", "(({{ c }}))", ""))},
		{name: "swapped: a macro only models call", patched: true, vars: map[string]any{"side": "b"}, files: withFiles(nil,
			"macros/helpers.sql", "{# helpers #}\n"+helpers("upper({{ c }})", "{{ c }} + 1", "{{ c }}", ""))},
		{name: "swapped: the file of the macro moved removed", patched: true, vars: map[string]any{"side": "b"}, remove: []string{"macros/more.sql"}},
		{name: "swapped: the helpers' file removed", coldFails: true, vars: map[string]any{"side": "b"}, remove: []string{"macros/helpers.sql"}},
	}
	runPatchSteps(t, steps)
}
