package compiler

import (
	"testing"
)

// Scenarios of a second review (of 3e2543e and 4ff912e): disabled models
// whose edits change what they ref, source or call, and the bookkeeping
// (DisabledReads, MacroFiles' Disabled lists) the patches after keep.

// r2Source declares source raw.t, its identifier t_dev.
const r2Source = "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n        identifier: t_dev\n"

// r2Off is macro flag(), which says no model is enabled.
const r2Off = "{% macro flag() %}{{ return(false) }}{% endmacro %}\n"

func r2Alias(alias string) string {
	return "version: 2\nmodels:\n  - name: a\n    config:\n      alias: " + alias + "\n"
}

// b starts ref()ing a in the same save as a's YAML alias changes to the one
// that enables b.
func TestReview2DisabledStartsRefSameSaveAsAlias(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('2') }} as id\n",
			"models/_a.yml": r2Alias("a_dev"),
			"macros/m.sql":  dmMacros}},
		{name: "b refs a, a's alias enables it", any: true, files: map[string]string{
			"models/b.sql":  "{{ config(enabled=(ref('a').identifier == 'a_prod')) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}\n",
			"models/_a.yml": r2Alias("a_prod")}},
	})
}

// the same, b's ref() decides nothing yet (a stays a_dev): b must be
// watched afterwards.
func TestReview2DisabledStartsRefThenAlias(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('2') }} as id\n",
			"models/_a.yml": r2Alias("a_dev"),
			"macros/m.sql":  dmMacros}},
		{name: "b refs a", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('a').identifier == 'a_prod')) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}\n"}},
		{name: "macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "a's alias enables b", patched: false, files: map[string]string{"models/_a.yml": r2Alias("a_prod")}},
	})
}

// b starts ref()ing a model no file makes; later it is added (enabling b).
func TestReview2DisabledStartsRefMissingThenAdded(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros}},
		{name: "b refs e (missing)", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('e') is not none and (ref('e').schema | length) > 0)) }}\nselect {{ cents('2') }} as id from {{ ref('e') }}\n"}},
		{name: "a edited", patched: true, files: map[string]string{"models/a.sql": "select 11 as id\n"}},
		{name: "e added", patched: false, files: map[string]string{"models/e.sql": "select 5 as id\n"}},
	})
}

// b starts ref()ing a model added in the same save.
func TestReview2DisabledStartsRefAddedSameSave(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros}},
		{name: "b refs e, e added", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('e') is not none and (ref('e').schema | length) > 0)) }}\nselect {{ cents('2') }} as id from {{ ref('e') }}\n",
			"models/e.sql": "select 5 as id\n"}},
		{name: "macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "e removed", any: true, remove: []string{"models/e.sql"}},
	})
}

// b starts ref()ing a model removed in the same save.
func TestReview2DisabledStartsRefRemovedSameSave(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/e.sql": "select 5 as id\n",
			"models/b.sql": "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros}},
		{name: "b refs e, e removed", any: true, remove: []string{"models/e.sql"}, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('e') is none)) }}\nselect {{ cents('2') }} as id\n"}},
	})
}

// b's macro starts ref()ing a (b renders again by the macro edit); then a's
// alias enables it.
func TestReview2DisabledMacroStartsRef(t *testing.T) {
	const m0 = "{% macro cents(c) %}{{ c }} * 100{% endmacro %}\n{% macro flag() %}{{ return(false) }}{% endmacro %}\n"
	const m1 = "{% macro cents(c) %}{{ c }} * 100{% endmacro %}\n{% macro flag() %}{{ return(ref('a').identifier == 'a_prod') }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=flag()) }}\nselect {{ cents('2') }} as id\n",
			"models/_a.yml": r2Alias("a_dev"),
			"macros/m.sql":  m0}},
		{name: "flag refs a", any: true, files: map[string]string{"macros/m.sql": m1}},
		{name: "cents edited", any: true, files: map[string]string{"macros/m.sql": m1 + "\n"}},
		{name: "a's alias enables b", patched: false, files: map[string]string{"models/_a.yml": r2Alias("a_prod")}},
	})
}

// the same save: flag starts ref()ing a and a's alias enables b.
func TestReview2DisabledMacroStartsRefSameSaveAsAlias(t *testing.T) {
	const m0 = "{% macro cents(c) %}{{ c }} * 100{% endmacro %}\n{% macro flag() %}{{ return(false) }}{% endmacro %}\n"
	const m1 = "{% macro cents(c) %}{{ c }} * 100{% endmacro %}\n{% macro flag() %}{{ return(ref('a').identifier == 'a_prod') }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=flag()) }}\nselect {{ cents('2') }} as id\n",
			"models/_a.yml": r2Alias("a_dev"),
			"macros/m.sql":  m0}},
		{name: "flag refs a, a's alias enables b", any: true, files: map[string]string{"macros/m.sql": m1, "models/_a.yml": r2Alias("a_prod")}},
	})
}

// b stops calling cents and starts calling flag (another file); cents
// edited, then flag edited to enable b, after several patches.
func TestReview2DisabledMacroCallsSwitch(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros,
			"macros/f.sql": r2Off}},
		{name: "b calls flag, not cents", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect 2 as id\n"}},
		{name: "cents edited", patched: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "b's text edited", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect 22 as id\n"}},
		{name: "f.sql edited (flag the same)", patched: true, files: map[string]string{"macros/f.sql": r2Off + "\n"}},
		{name: "flag enables b", patched: true, files: map[string]string{
			"macros/f.sql": "{% macro flag() %}{{ return(true) }}{% endmacro %}\n"}},
	})
}

// b starts calling flag, defined by a macro file added in the same save;
// then flag is moved to another file, then edited there to enable b.
func TestReview2DisabledMacroFileAddedSameSave(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros}},
		{name: "b calls flag of a new file", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect {{ cents('2') }} as id\n",
			"macros/f.sql": r2Off}},
		{name: "flag edited (still false)", any: true, files: map[string]string{"macros/f.sql": "{% macro flag() %}{{ return(1 == 2) }}{% endmacro %}\n"}},
		{name: "flag moved to g.sql", any: true, files: map[string]string{"macros/f.sql": "", "macros/g.sql": r2Off}},
		{name: "g's flag enables b", patched: true, files: map[string]string{
			"macros/g.sql": "{% macro flag() %}{{ return(true) }}{% endmacro %}\n"}},
	})
}

// b starts calling flag; flag moved to another file (same save as b's
// edit); then edited there.
func TestReview2DisabledMacroMovedSameSave(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select {{ cents('1') }} as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros,
			"macros/f.sql": r2Off}},
		{name: "b calls flag, flag moved to m.sql", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect {{ cents('2') }} as id\n",
			"macros/f.sql": "",
			"macros/m.sql": dmMacros + r2Off}},
		{name: "a edited", any: true, files: map[string]string{"models/a.sql": "select {{ cents('11') }} as id\n"}},
		{name: "m's flag enables b", patched: true, files: map[string]string{
			"macros/m.sql": dmMacros + "{% macro flag() %}{{ return(true) }}{% endmacro %}\n"}},
	})
}

// b starts calling a macro that reads a var; the var then enables b.
func TestReview2DisabledMacroVar(t *testing.T) {
	const f0 = "{% macro flag() %}{{ return(var('on', false)) }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject + "vars:\n  x: 1\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros,
			"macros/f.sql": f0}},
		{name: "b calls flag", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect {{ cents('2') }} as id\n"}},
		{name: "cents edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "the var enables b", patched: true, files: map[string]string{"mart.yml": dmProject + "vars:\n  x: 1\n  on: true\n"}},
		{name: "--vars disables b", any: true, vars: map[string]any{"on": false}},
	})
}

// b starts calling a macro; the macro then starts reading a var (same
// patch chain), and the var enables b.
func TestReview2DisabledMacroNewVarAfter(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject + "vars:\n  x: 1\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros,
			"macros/f.sql": r2Off}},
		{name: "b calls flag", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect {{ cents('2') }} as id\n"}},
		{name: "flag reads var on", any: true, files: map[string]string{"macros/f.sql": "{% macro flag() %}{{ return(var('on', false)) }}{% endmacro %}\n"}},
		{name: "the var enables b", patched: true, vars: map[string]any{"on": true}},
	})
}

// b starts calling a macro reading an env var; env var enables it.
func TestReview2DisabledMacroEnv(t *testing.T) {
	const f0 = "{% macro flag() %}{{ return(env_var('R2_ON', 'no') == 'yes') }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", env: map[string]string{"R2_ON": "no"}, files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros,
			"macros/f.sql": f0}},
		{name: "b calls flag", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect {{ cents('2') }} as id\n"}},
		{name: "a edited", any: true, files: map[string]string{"models/a.sql": "select 11 as id\n"}},
		{name: "env enables b", any: true, env: map[string]string{"R2_ON": "yes"}},
	})
}

// b starts reading source raw.t (its graph render's stubs record it); then
// the macro that decides on its identifier enables b.
// Found by review (session 34), fixed: step "flag enables b" was patched, manifest keeps b in disabled
// where the cold compile enables it: renderDisabled's graph render makes
// its stubs with stubsOf, which reads c.sources, not the entry decoder, so
// source:raw.t is recorded Missing and the next render finds no source).
func TestReview2DisabledStartsSourceThenMacro(t *testing.T) {
	const f0 = "{% macro flag(x) %}{{ return(false) }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=flag('')) }}\nselect 2 as id\n",
			"models/_s.yml": r2Source,
			"macros/m.sql":  dmMacros,
			"macros/f.sql":  f0}},
		{name: "b reads raw.t", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag(source('raw', 't').identifier)) }}\nselect 2 as id from {{ source('raw', 't') }}\n"}},
		{name: "flag enables b", patched: true, files: map[string]string{
			"macros/f.sql": "{% macro flag(x) %}{{ return(x == 't_dev') }}{% endmacro %}\n"}},
	})
}

// the same for an enabled model whose edit starts reading raw.t (reshaped:
// its stubs are made by stubsOf under the entry decoder too), then the
// macro that prints the identifier edited.
func TestReview2EnabledStartsSourceThenMacro(t *testing.T) {
	const f0 = "{% macro flag(x) %}{{ return('a') }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/c.sql":  "select '{{ flag('') }}' as f\n",
			"models/_s.yml": r2Source,
			"macros/f.sql":  f0}},
		{name: "c reads raw.t", any: true, files: map[string]string{
			"models/c.sql": "select '{{ flag(source('raw', 't').identifier) }}' as f from {{ source('raw', 't') }}\n"}},
		{name: "flag prints x", any: true, files: map[string]string{
			"macros/f.sql": "{% macro flag(x) %}{{ return(x) }}{% endmacro %}\n"}},
	})
}

// the same for a model added reading raw.t.
func TestReview2AddedStartsSourceThenMacro(t *testing.T) {
	const f0 = "{% macro flag(x) %}{{ return('a') }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/_s.yml": r2Source,
			"macros/f.sql":  f0}},
		{name: "c added reading raw.t", any: true, files: map[string]string{
			"models/c.sql": "select '{{ flag(source('raw', 't').identifier) }}' as f from {{ source('raw', 't') }}\n"}},
		{name: "flag prints x", any: true, files: map[string]string{
			"macros/f.sql": "{% macro flag(x) %}{{ return(x) }}{% endmacro %}\n"}},
	})
}

// a graph render whose facts come out as the capture's (its first render,
// with stubs, differed: here by the source stub the graph render left
// missing) keeps j.graph with no macros: keepDisabled takes b out of every
// macro's Disabled list, and an edit of flag no longer renders b.
// Found by review (session 34), fixed: step "flag enables b" was patched, b left disabled; the cold
// compile enables it. At "cents edited" the stub render differs (missing
// source), the decoder render equals the capture, so j.graph stays set
// with j.macros nil and keepDisabled empties b's Disabled lists).
func TestReview2DisabledGraphSameFactsLosesMacros(t *testing.T) {
	const f0 = "{% macro flag(x) %}{{ return(false) }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=flag('')) }}\nselect 2 as id\n",
			"models/_s.yml": r2Source,
			"macros/m.sql":  dmMacros,
			"macros/f.sql":  f0}},
		{name: "b reads raw.t, calls cents when it has a schema", any: true, files: map[string]string{
			"models/b.sql": "{% set s = source('raw', 't') %}{{ config(enabled=flag('')) }}\nselect {% if s.schema %}{{ cents('2') }}{% else %}2{% endif %} as id from {{ s }}\n"}},
		{name: "cents edited", any: true, files: map[string]string{"macros/m.sql": "{% macro cents(c) %}{{ c }} * 1000{% endmacro %}\n"}},
		{name: "flag enables b", patched: true, files: map[string]string{
			"macros/f.sql": "{% macro flag(x) %}{{ return(true) }}{% endmacro %}\n"}},
	})
}

// b starts ref()ing a seed; the seed's alias then enables b; then b
// starts ref()ing a seed added in the same save.
func TestReview2DisabledStartsRefSeed(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"seeds/sd.csv":  "id\n1\n",
			"seeds/_sd.yml": "version: 2\nseeds:\n  - name: sd\n    config:\n      alias: sd_dev\n",
			"macros/m.sql":  dmMacros}},
		{name: "b refs sd", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('sd').identifier == 'sd_prod')) }}\nselect {{ cents('2') }} as id from {{ ref('sd') }}\n"}},
		{name: "seed rows edited", any: true, files: map[string]string{"seeds/sd.csv": "id\n2\n"}},
		{name: "sd's alias enables b", patched: false, files: map[string]string{
			"seeds/_sd.yml": "version: 2\nseeds:\n  - name: sd\n    config:\n      alias: sd_prod\n"}},
		{name: "b refs sd2, added in the same save", any: true, files: map[string]string{
			"models/b.sql":  "{{ config(enabled=(ref('sd2').identifier == 'nope')) }}\nselect {{ cents('2') }} as id from {{ ref('sd2') }}\n",
			"seeds/sd2.csv": "id\n1\n"}},
		{name: "sd2 removed", any: true, remove: []string{"seeds/sd2.csv"}},
	})
}

// b starts ref()ing a version of a versioned model; its YAML then moves
// the latest version / another version's alias.
func TestReview2DisabledStartsRefVersioned(t *testing.T) {
	y := func(latest, alias string) string {
		return "version: 2\nmodels:\n  - name: v\n    latest_version: " + latest + "\n    versions:\n      - v: 1\n        config:\n          alias: " + alias + "\n      - v: 2\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":        dmProject,
			"models/a.sql":    "select 1 as id\n",
			"models/v_v1.sql": "select 1 as id\n",
			"models/v_v2.sql": "select 2 as id\n",
			"models/_v.yml":   y("2", "v_one"),
			"models/b.sql":    "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql":    dmMacros}},
		{name: "b refs v", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('v').identifier == 'v_one')) }}\nselect {{ cents('2') }} as id from {{ ref('v', v=1) }}\n"}},
		{name: "a edited", any: true, files: map[string]string{"models/a.sql": "select 11 as id\n"}},
		{name: "latest is 1: enables b", any: true, files: map[string]string{"models/_v.yml": y("1", "v_one")}},
		{name: "back", any: true, files: map[string]string{"models/_v.yml": y("2", "v_one")}},
		{name: "b refs v v1 only", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('v', v=1).identifier == 'v_prod')) }}\nselect {{ cents('2') }} as id\n"}},
		{name: "v1's alias enables b", any: true, files: map[string]string{"models/_v.yml": y("2", "v_prod")}},
	})
}

// b starts ref()ing a snapshot; the snapshot's folder config then moves
// its schema.
func TestReview2DisabledStartsRefSnapshot(t *testing.T) {
	proj := func(schema string) string {
		return dmProject + "snapshots:\n  dm:\n    +target_schema: " + schema + "\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         proj("snaps"),
			"models/a.sql":     "select 1 as id\n",
			"snapshots/sn.sql": "{% snapshot s1 %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('a') }}\n{% endsnapshot %}\n",
			"models/b.sql":     "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql":     dmMacros}},
		{name: "b refs s1", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('s1').schema == 'snaps_prod')) }}\nselect {{ cents('2') }} as id from {{ ref('s1') }}\n"}},
		{name: "a edited", any: true, files: map[string]string{"models/a.sql": "select 11 as id\n"}},
		{name: "s1's schema enables b", patched: false, files: map[string]string{"mart.yml": proj("snaps_prod")}},
		{name: "back", any: true, files: map[string]string{"mart.yml": proj("snaps")}},
		{name: "s1's block schema (own config) prod", any: true, files: map[string]string{
			"snapshots/sn.sql": "{% snapshot s1 %}\n{{ config(target_schema='snaps_prod', unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('a') }}\n{% endsnapshot %}\n"}},
	})
}

// b's edit in the same save as other edits: an enabled model's ref
// change (reshape), a YAML description, a docs block, a seed's rows, a
// model added and one removed elsewhere.
func TestReview2DisabledEditBesideOthers(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       dmProject,
			"models/a.sql":   "select 1 as id\n",
			"models/c.sql":   "select {{ cents('3') }} as id from {{ ref('a') }}\n",
			"models/d.sql":   "select 4 as id\n",
			"models/_p.yml":  "version: 2\nmodels:\n  - name: c\n    description: '{{ doc(\"cd\") }}'\n",
			"models/docs.md": "{% docs cd %}c's doc{% enddocs %}\n",
			"seeds/sd.csv":   "id\n1\n",
			"models/b.sql":   "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql":   dmMacros}},
		{name: "b refs a and c reshaped to ref d", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('c').identifier == 'x')) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}, {{ ref('c') }}\n",
			"models/c.sql": "select {{ cents('3') }} as id from {{ ref('a') }}, {{ ref('d') }}\n"}},
		{name: "b edited beside a YAML description", any: true, files: map[string]string{
			"models/b.sql":  "{{ config(enabled=(ref('c').identifier == 'x')) }}\nselect {{ cents('22') }} as id from {{ ref('a') }}, {{ ref('c') }}, {{ ref('sd') }}\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: c\n    description: '{{ doc(\"cd\") }} more'\n"}},
		{name: "b edited beside docs", any: true, files: map[string]string{
			"models/b.sql":   "{{ config(enabled=(ref('c').identifier == 'x')) }}\nselect {{ cents('23') }} as id from {{ ref('a') }}, {{ ref('c') }}\n",
			"models/docs.md": "{% docs cd %}c's doc 2{% enddocs %}\n"}},
		{name: "b edited beside a seed", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('sd').identifier == 'x')) }}\nselect {{ cents('24') }} as id from {{ ref('sd') }}\n",
			"seeds/sd.csv": "id\n2\n"}},
		{name: "b edited beside a model added and one removed", any: true, remove: []string{"models/d.sql"}, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('c').identifier == 'x')) }}\nselect {{ cents('25') }} as id from {{ ref('a') }}\n",
			"models/c.sql": "select {{ cents('3') }} as id from {{ ref('a') }}\n",
			"models/f.sql": "select 6 as id\n"}},
		{name: "c's alias enables b", any: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: c\n    description: '{{ doc(\"cd\") }} more'\n    config:\n      alias: x\n"}},
	})
}

// a volatile disabled model (invocation_id: the same in every compile of
// the harness, so an enabled one compares) whose edit makes it ref a model
// then added, or call a macro then edited.
func TestReview2DisabledVolatileRefs(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect '{{ invocation_id }}' as t, {{ cents('2') }} as id\n",
			"macros/m.sql": dmMacros}},
		{name: "nothing", patched: true},
		{name: "b refs e (missing)", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=((ref('e').schema or '') == 'main')) }}\nselect '{{ invocation_id }}' as t, {{ cents('2') }} as id from {{ ref('e') }}\n"}},
		{name: "nothing again", any: true},
		{name: "e added", patched: false, files: map[string]string{"models/e.sql": "select 5 as id\n"}},
		{name: "b calls is_prod", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=is_prod()) }}\nselect '{{ invocation_id }}' as t from {{ ref('a') }}\n"}},
		{name: "is_prod enables b", patched: false, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}{{ c }} * 100{% endmacro %}\n{% macro is_prod() %}{{ return(true) }}{% endmacro %}\n"}},
	})
}

// b starts ref()ing a, whose alias its YAML takes from a var; the var then
// enables b (in the project file, then by --vars).
func TestReview2DisabledStartsRefVarAlias(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      dmProject + "vars:\n  suffix: dev\n",
			"models/a.sql":  "select 1 as id\n",
			"models/_a.yml": "version: 2\nmodels:\n  - name: a\n    config:\n      alias: \"a_{{ var('suffix') }}\"\n",
			"models/b.sql":  "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql":  dmMacros}},
		{name: "b refs a", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('a').identifier == 'a_prod')) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}\n"}},
		{name: "a edited", any: true, files: map[string]string{"models/a.sql": "select 11 as id\n"}},
		{name: "the var enables b", any: true, files: map[string]string{"mart.yml": dmProject + "vars:\n  suffix: prod\n"}},
		{name: "back", any: true, files: map[string]string{"mart.yml": dmProject + "vars:\n  suffix: dev\n"}},
		{name: "--vars enables b", any: true, vars: map[string]any{"suffix": "prod"}},
	})
}

// b starts ref()ing a, whose folder config in the project file sets its
// schema; the folder config then enables b.
func TestReview2DisabledStartsRefFolderSchema(t *testing.T) {
	proj := func(s string) string { return dmProject + "models:\n  dm:\n    up:\n      +schema: " + s + "\n" }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":        proj("s1"),
			"models/up/a.sql": "select 1 as id\n",
			"models/b.sql":    "{{ config(enabled=false) }}\nselect {{ cents('2') }} as id\n",
			"macros/m.sql":    dmMacros}},
		{name: "b refs a", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(ref('a').schema == 'main_s3')) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}\n"}},
		{name: "cents edited", any: true, files: map[string]string{"macros/m.sql": "{% macro cents(c) %}{{ c }} * 1000{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		{name: "a's folder schema enables b", patched: false, files: map[string]string{"mart.yml": proj("s3")}},
		{name: "b refs a and a's folder schema changes in the same save", any: true, files: map[string]string{
			"mart.yml":     proj("s4"),
			"models/b.sql": "{{ config(enabled=(ref('a').schema == 'main_s4')) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}\n"}},
	})
}
