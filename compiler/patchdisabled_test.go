package compiler

import (
	"strings"
	"testing"
)

// TestPatchRendersDisabledModels: a model its own config() disables by
// target (as dbt projects enable prod-only models) is rendered again by a
// patch when its file, a macro it calls or a var it reads changes: patched
// while it stays disabled and its render's facts stay, and when it is
// enabled or disabled again (made again where its file is); the whole
// project compiled when it calls another macro, or says something.
func TestPatchRendersDisabledModels(t *testing.T) {
	const cents = "{% macro cents(c) %}{{ c }} * 100{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: dm\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  rate: 3\n",
			"models/a.sql":  "select {{ cents('1') }} as id\n",
			"models/b.sql":  "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('2') }} as id, {{ var('rate') }} as r from {{ ref('a') }}\n",
			"models/c.sql":  "{{ config(enabled=is_prod()) }}\nselect 3 as id\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    description: prod only\n",
			"macros/m.sql":  cents}},
		{name: "the macro both call edited", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}{{ c }} * 1000{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		{name: "the disabled model's SQL edited", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('22') }} as id, {{ var('rate') }} as r from {{ ref('a') }}\n"}},
		{name: "its config() call moved down a line", patched: true, files: map[string]string{
			"models/b.sql": "-- prod only\n{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('22') }} as id, {{ var('rate') }} as r from {{ ref('a') }}\n"}},
		{name: "the var it reads changed", patched: true, files: map[string]string{
			"mart.yml": "name: dm\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  rate: 4\n"}},
		{name: "its YAML description edited", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    description: prod only, really\n"}},
		{name: "the macro edited again", patched: true, files: map[string]string{"macros/m.sql": cents}},
		{name: "it calls another macro now", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=target.name == 'prod') }}\nselect {{ cents('22') }} as id, {{ is_prod() }} as p from {{ ref('a') }}\n"}},
		{name: "the macro edited after that", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}({{ c }}) * 100{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		{name: "a macro edit enables one", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}({{ c }}) * 100{% endmacro %}\n{% macro is_prod() %}{{ return(true) }}{% endmacro %}\n"}},
		{name: "and disables it again", patched: true, files: map[string]string{"macros/m.sql": cents}},
		{name: "its SQL enables it", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=true) }}\nselect {{ cents('22') }} as id from {{ ref('a') }}\n"}},
		{name: "and disables it again", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('22') }} as id from {{ ref('a') }}\n"}},
		{name: "an edit that makes it fail to render", coldFails: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ exceptions.raise_compiler_error('no') }} as id from {{ ref('a') }}\n"}},
		{name: "fixed", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('5') }} as id from {{ ref('a') }}\n"}},
		{name: "a macro edit that breaks its render", coldFails: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}{{ exceptions.raise_compiler_error('no') }}{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		{name: "fixed again", patched: true, files: map[string]string{"macros/m.sql": cents}},
		// c is a model its own config disables: a whole compile's render
		// finds it, the node index a patch reads has it not
		{name: "its SQL edited to refer to another model", patched: false, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect {{ cents('5') }} as id from {{ ref('c') }}\n"}},
		{name: "a macro edited once more", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}{{ c }} * 100 {% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		// the macros a disabled model calls now are followed: an edit of
		// one it did not call before renders it again
		{name: "a macro file added", patched: true, files: map[string]string{
			"macros/f.sql": "{% macro flag() %}{{ return(false) }}{% endmacro %}\n"}},
		{name: "its config reads that macro now", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect {{ cents('5') }} as id from {{ ref('a') }}\n"}},
		{name: "the macro it calls now enables it", patched: true, files: map[string]string{
			"macros/f.sql": "{% macro flag() %}{{ return(true) }}{% endmacro %}\n"}},
		{name: "and disables it", patched: true, files: map[string]string{
			"macros/f.sql": "{% macro flag() %}{{ return(false) }}{% endmacro %}\n"}},
		{name: "it calls cents no more", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect 5 as id from {{ ref('a') }}\n"}},
		{name: "cents edited", patched: true, files: map[string]string{"macros/m.sql": cents}},
	})
}

// TestPatchDisabledModelsBesideOtherEdits: a disabled model's config from
// its YAML entry and its folder is the one it renders with; an edit of
// those makes it again where its file is (it may be enabled now), and a
// macro it calls edited after is rendered with the new one.
func TestPatchDisabledModelsBesideOtherEdits(t *testing.T) {
	const macro = "{% macro tagged_prod() %}{{ return('prod' in config.get('tags', [])) }}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         "name: dm\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  dm:\n    off:\n      +tags: [folder]\n",
			"models/a.sql":     "select 1 as id\n",
			"models/off/b.sql": "{{ config(enabled=tagged_prod()) }}\nselect 2 as id\n",
			"models/_p.yml":    "version: 2\nmodels:\n  - name: b\n    config:\n      tags: [yaml]\n",
			"macros/m.sql":     macro}},
		{name: "the macro edited", patched: true, files: map[string]string{"macros/m.sql": macro + "\n"}},
		{name: "its YAML config makes it prod", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    config:\n      tags: [prod]\n"}},
		{name: "and back", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    config:\n      tags: [yaml]\n"}},
		{name: "its YAML config tags it otherwise", patched: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    config:\n      tags: [other]\n"}},
		{name: "the macro edited after", patched: true, files: map[string]string{"macros/m.sql": macro}},
		{name: "its folder's config edited", patched: true, files: map[string]string{
			"mart.yml": "name: dm\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  dm:\n    off:\n      +tags: [folder2]\n"}},
		{name: "the macro edited after that", patched: true, files: map[string]string{"macros/m.sql": macro + "\n\n"}},
		{name: "a model added beside a macro edit", patched: true, files: map[string]string{
			"models/d.sql": "select 4 as id\n", "macros/m.sql": macro}},
		// a disabled model may ref a model that does not exist: one added
		// of that name is what its ref() finds now (and enables it here)
		{name: "it refs a model no file makes", patched: true, files: map[string]string{
			"models/off/b.sql": "{% set p = tagged_prod() %}{{ config(enabled=(p or (ref('e').schema | length) > 0)) }}\nselect 2 as id from {{ ref('e') }}\n"}},
		{name: "that model added beside a macro edit", patched: false, files: map[string]string{
			"models/e.sql": "select 5 as id\n", "macros/m.sql": macro + "\n"}},
		{name: "a model it refs removed beside a macro edit", patched: false, remove: []string{"models/e.sql"},
			files: map[string]string{"macros/m.sql": macro}},
		{name: "a model it does not ref removed beside a macro edit", patched: true, remove: []string{"models/d.sql"},
			files: map[string]string{"macros/m.sql": macro + "\n"}},
		{name: "its file removed", patched: false, remove: []string{"models/off/b.sql"}},
	})
}

// TestPatchDisabledModelsAddedAndRemoved: a disabled model's file added
// (by its own config or its folder's) or removed is patched: its path goes
// into manifest.json's disabled object or out of it, and the patches after
// render it again when a macro it calls changes; one with a YAML entry, or
// one the compile said something of, compiles whole.
func TestPatchDisabledModelsAddedAndRemoved(t *testing.T) {
	const macros = "{% macro cents(c) %}{{ c }} * 100{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"
	project := "name: dm\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  dm:\n    off:\n      +enabled: false\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     project,
			"models/a.sql": "select {{ cents('1') }} as id\n",
			"models/b.sql": "{{ config(enabled=is_prod()) }}\nselect 2 as id\n",
			"macros/m.sql": macros}},
		{name: "a prod-only model added", patched: true, files: map[string]string{
			"models/d.sql": "{{ config(enabled=is_prod()) }}\nselect {{ cents('4') }} as id from {{ ref('a') }}\n"}},
		{name: "a macro it calls edited", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}({{ c }}) * 100{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		{name: "its SQL edited", patched: true, files: map[string]string{
			"models/d.sql": "{{ config(enabled=is_prod()) }}\nselect {{ cents('44') }} as id from {{ ref('a') }}\n"}},
		{name: "a model in a disabled folder added", patched: true, files: map[string]string{
			"models/off/o.sql": "select {{ cents('5') }} as id\n"}},
		{name: "the macro that decides edited: both enabled", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}({{ c }}) * 100{% endmacro %}\n{% macro is_prod() %}{{ return(true) }}{% endmacro %}\n"}},
		{name: "and disabled again", patched: true, files: map[string]string{"macros/m.sql": macros}},
		{name: "the prod-only model removed", patched: true, remove: []string{"models/d.sql"}},
		{name: "a macro it called edited after", patched: true, files: map[string]string{
			"macros/m.sql": "{% macro cents(c) %}{{ c }} * 10{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		{name: "the folder's model removed, with an edit of the macro it called", patched: true, remove: []string{"models/off/o.sql"},
			files: map[string]string{"macros/m.sql": macros}},
		{name: "one added with an edit of the macro it calls", patched: true, files: map[string]string{
			"models/off/o2.sql": "select {{ cents('6') }} as id\n",
			"macros/m.sql":      "{% macro cents(c) %}{{ c }} * 1000{% endmacro %}\n{% macro is_prod() %}{{ return(target.name == 'prod') }}{% endmacro %}\n"}},
		{name: "one that refs a model added with it", patched: true, files: map[string]string{
			"models/e.sql": "select 7 as id\n", "models/off/o3.sql": "select * from {{ ref('e') }}\n"}},
		{name: "a model that refs a disabled one", coldFails: true, files: map[string]string{"models/f.sql": "select * from {{ ref('o3') }}\n"}},
		{name: "and removed again", patched: true, remove: []string{"models/f.sql"}},
		{name: "a disabled model of an enabled one's name", any: true, files: map[string]string{"models/off/a.sql": "select 8 as id\n"}},
		{name: "and removed again", any: true, remove: []string{"models/off/a.sql"}},
		{name: "one added with its YAML entry", patched: true, files: map[string]string{
			"models/off/o4.sql": "select 9 as id\n", "models/_p.yml": "version: 2\nmodels:\n  - name: o4\n    description: off\n"}},
		{name: "a described one removed", patched: false, remove: []string{"models/off/o4.sql"}},
		{name: "its entry removed", patched: false, remove: []string{"models/_p.yml"}},
		{name: "one that warns added", patched: false, files: map[string]string{
			"models/off/o5.sql": "{{ config(colour='red') }}\nselect 10 as id\n"}},
		{name: "a volatile one added", patched: false, files: map[string]string{
			"models/off/o6.sql": "select '{{ run_started_at }}' as t\n"}},
		{name: "every disabled model removed", patched: true, remove: []string{"models/off/o2.sql", "models/off/o3.sql"}},
		{name: "then one added", patched: true, files: map[string]string{"models/off/o7.sql": "select 11 as id\n"}},
		{name: "one in a new folder", patched: true, files: map[string]string{
			"models/new/p.sql": "{{ config(enabled=is_prod()) }}\nselect {{ cents('12') }} as id\n"}},
		{name: "a macro it calls edited", patched: true, files: map[string]string{"macros/m.sql": macros}},
		{name: "its folder removed with it", patched: true, remove: []string{"models/new/p.sql", "models/new"}},
		{name: "an edit after", patched: true, files: map[string]string{"models/a.sql": "select {{ cents('13') }} as id\n"}},
	})
}

// TestPatchDisabledGraphRefsADisabledModel: a disabled model whose edit
// starts reffing a model its own config disables is compiled whole: the
// whole compile's renders find that model (they run before it is known
// disabled), the node index a patch reads has no disabled node.
func TestPatchDisabledGraphRefsADisabledModel(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "{{ config(enabled=is_prod()) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}\n",
			"models/c.sql": "{{ config(enabled=is_prod()) }}\nselect 3 as id\n",
			"macros/m.sql": dmMacros}},
		{name: "b refs c, enabled when c is found", coldFails: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=(is_prod() or (ref('c').schema | length) > 0)) }}\nselect {{ cents('2') }} as id from {{ ref('c') }}\n"}},
	})
}

// TestPatchFileAddedBesideARemovedOne: a file added goes into the
// snapshot's list of files after the first file of its directory; a docs
// file added in the save that removes that first file stays in the list
// (insertFiles), so its edit in place after is seen (found by review, as
// a disabled model's file).
func TestPatchFileAddedBesideARemovedOne(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          dmProject,
			"models/0first.sql": "select 0 as id\n",
			"models/a.sql":      "select 1 as id\n",
			"models/a.md":       "{% docs x %}the x{% enddocs %}\n",
			"macros/m.sql":      dmMacros}},
		{name: "the folder's first file removed, a docs file added", patched: true, remove: []string{"models/0first.sql"}, files: map[string]string{
			"models/c.md": "{% docs y %}the y{% enddocs %}\n"}},
		{name: "that docs file edited in place", patched: true, files: map[string]string{
			"models/c.md": "{% docs y %}the y, edited{% enddocs %}\n"}},
	})
}

// TestPatchModelToggledByItsSQL: a model its own config() disables, or
// enables again (an analyst turning a model off for a while), is made again
// where its file is: out of the nodes and into the disabled object with
// its YAML entry's tests gone, and back with them. Each step is compared
// with a cold compile; one whose readers would ref a disabled model fails
// as the cold compile fails.
func TestPatchModelToggledByItsSQL(t *testing.T) {
	const yml = "version: 2\nmodels:\n  - name: b\n    description: the b\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      "name: tg\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select id from {{ ref('a') }}\n",
			"models/c.sql":  "select id from {{ ref('a') }}\n",
			"models/d.sql":  "select id from {{ ref('c') }}\n",
			"models/_p.yml": yml}},
		{name: "b disabled by its SQL (described, tested)", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "its description edited while disabled", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(yml, "the b", "the b, off", 1)}},
		{name: "b enabled again: its entry and tests back", patched: true, files: map[string]string{
			"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "b disabled and c edited in one save", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/c.sql": "select id, 2 as two from {{ ref('a') }}\n"}},
		{name: "b enabled with its entry edited in the same save", any: true, files: map[string]string{
			"models/b.sql":  "select id from {{ ref('a') }}\n",
			"models/_p.yml": strings.Replace(yml, "the b", "the b, on", 1)}},
		{name: "d, which nothing describes, disabled", patched: true, files: map[string]string{
			"models/d.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('c') }}\n"}},
		{name: "and enabled", patched: true, files: map[string]string{
			"models/d.sql": "select id from {{ ref('c') }}\n"}},
		{name: "c disabled while d reads it", coldFails: true, files: map[string]string{
			"models/c.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "d disabled too", patched: false, files: map[string]string{
			"models/d.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('c') }}\n"}},
		{name: "both enabled in one save", patched: true, files: map[string]string{
			"models/c.sql": "select id from {{ ref('a') }}\n",
			"models/d.sql": "select id from {{ ref('c') }}\n"}},
		{name: "b disabled by a config() that reads a var", patched: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=var('b_on', false)) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "the var enables it", patched: true, vars: map[string]any{"b_on": true}},
	})
}

// TestPatchModelToggledByConfig: a model its folder's config or its YAML
// entry disables goes into the disabled object, its tests gone, and comes
// back when the config enables it again (a disabled model's folder config
// or YAML entry edited makes it again where its file is); each step is
// compared with a cold compile.
func TestPatchModelToggledByConfig(t *testing.T) {
	const head = "name: tc\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"
	const folder = head + "models:\n  tc:\n    marts:\n      +tags: [m]\n"
	const yml = "version: 2\nmodels:\n  - name: b\n    description: the b\n    columns:\n      - name: id\n        data_tests: [unique]\n" +
		"  - name: c\n    description: the c\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":           folder,
			"models/a.sql":       "select 1 as id\n",
			"models/marts/b.sql": "select id from {{ ref('a') }}\n",
			"models/marts/c.sql": "select id from {{ ref('a') }}\n",
			"models/_p.yml":      yml}},
		{name: "the marts folder disabled", patched: true, files: map[string]string{
			"mart.yml": folder + "      +enabled: false\n"}},
		{name: "b's description edited meanwhile", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(yml, "the b", "the b, off", 1)}},
		{name: "the folder tagged otherwise, still disabled", patched: true, files: map[string]string{
			"mart.yml": head + "models:\n  tc:\n    marts:\n      +tags: [n]\n      +enabled: false\n"}},
		{name: "the folder enabled: b and c back with their tests", patched: true, files: map[string]string{
			"mart.yml": folder}},
		{name: "c disabled by its YAML entry", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(yml, "description: the c\n", "description: the c\n    config:\n      enabled: false\n", 1)}},
		{name: "and enabled by it", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(yml, "description: the c\n", "description: the c\n    config:\n      enabled: true\n", 1)}},
		{name: "the folder disabled while b's SQL enables it", patched: true, files: map[string]string{
			"mart.yml":           folder + "      +enabled: false\n",
			"models/marts/b.sql": "{{ config(enabled=true) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "b's SQL leaves it to the folder", patched: true, files: map[string]string{
			"models/marts/b.sql": "select id from {{ ref('a') }}\n"}},
	})
}

// TestPatchFolderOfRelatedModelsToggled: a folder whose models read each
// other (a staging model and the mart that reads it, described and tested)
// enabled again as one is patched: the disabled models a patch makes again
// render anew, so what they read is no other disabled node's
// (readByDisabled); one left disabled still holds back a node it reads.
// Disabling them as one still compiles whole.
func TestPatchFolderOfRelatedModelsToggled(t *testing.T) {
	const head = "name: fr\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"
	const on = head + "models:\n  fr:\n    finance:\n      +tags: [fin]\n"
	const yml = "version: 2\nmodels:\n  - name: fin_stg\n    columns:\n      - name: id\n        data_tests: [unique]\n" +
		"  - name: fin_mart\n    columns:\n      - name: id\n        data_tests: [not_null, {relationships: {to: ref('fin_stg'), field: id}}]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                    on,
			"models/a.sql":                "select 1 as id\n",
			"models/finance/fin_stg.sql":  "select id from {{ ref('a') }}\n",
			"models/finance/fin_mart.sql": "select id from {{ ref('fin_stg') }}\n",
			"models/finance/_fin.yml":     yml}},
		// (the mart, disabled, refs the staging model disabled in the same
		// save: refsUnsure compiles whole)
		{name: "the folder disabled", patched: false, files: map[string]string{"mart.yml": on + "      +enabled: false\n"}},
		{name: "and enabled again, both at once", patched: true, files: map[string]string{"mart.yml": on}},
		{name: "disabled again", patched: false, files: map[string]string{"mart.yml": on + "      +enabled: false\n"}},
		{name: "the staging model alone enabled: the mart still reads it", patched: false, files: map[string]string{
			"mart.yml": on + "      +enabled: false\n      fin_stg:\n        +enabled: true\n"}},
		{name: "both by their own config()", patched: true, files: map[string]string{
			"models/finance/fin_stg.sql":  "{{ config(enabled=true) }}\nselect id from {{ ref('a') }}\n",
			"models/finance/fin_mart.sql": "{{ config(enabled=true) }}\nselect id from {{ ref('fin_stg') }}\n"}},
		{name: "the mart alone disabled by its config()", patched: true, files: map[string]string{
			"models/finance/fin_mart.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('fin_stg') }}\n"}},
		{name: "the staging model disabled while the disabled mart reads it", any: true, files: map[string]string{
			"models/finance/fin_stg.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
	})
}
