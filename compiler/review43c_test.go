// Review 43c: the change of 2026-12-07 that patches the enabled variant
// of a shared name (7274019: patchableVariant, sharedName (now disabledID), captureKey,
// capturePost; the guards in folderRemakes, descriptionEdits and
// compileByPatch; docs 6467215), driven through warm compiles compared
// with cold ones (runPatchSteps: manifest.json, compiled files,
// diagnostics, the node index), and scripts
// cli/testdata/script/review43c_variant_{run,state,incremental}.txtar
// (patched edits, then run/build/test/ls --select, state:modified).
//
// Failing at the time of the review: none. No warm compile differed from
// its cold one, and none succeeded where the cold one failed (or the
// other way round), in any of these tests, nor in 60 seeds of
// TestReview43cRandomSequences (6 kept, for time).
//
// Passing, by area: the enabled variant's config() keys (materialized,
// tags, meta, hooks, docs, persist_docs, incremental and
// is_incremental(), this, schema, alias, contract with YAML columns,
// enabled expressions that stay true, env_var, var, --vars, group and
// access); its refs (added, removed, itself, a cycle, a disabled or
// missing model, ephemeral models it reads or that read it, it made
// ephemeral and back); run_query and introspection; a graph reader (no
// snapshot); its YAML entry (descriptions, columns and their
// properties, tests and their macro and config, a model-level test,
// docs, meta, tags, constraints, access, config, the entry moved and
// removed, doc blocks, templated descriptions and test arguments,
// versions); unit tests added by a patch, edited, with var overrides;
// files added beside it; a third variant, folders renamed, the other
// name; ephemeral variants read by patched models (either sort order);
// variants of snapshots, analyses, singular tests, seeds; variants in a
// package, the root's YAML and folder config of them, a root model of a
// package model's name; --target swaps; folder and YAML config that pick
// the variant; what enables a disabled variant (var, env var, macro,
// project var) after patched edits; the enabled variant disabled by what
// only it reads; naming macros by folder; saves with no change, CRLF, BOM;
// models added by a patch that read an aliased variant's relation, or an
// ephemeral variant, while they render (earlyNode, EphPre: the enabled
// variant's capture, either sort order); a package's variants calling a
// package macro the root defines too, picked by a package-scoped var.
//
// Observation (not a mismatch: compiling whole is allowed): the commit
// and docs say a macro or var only the enabled variant reads is patched;
// that holds only for what it came to read by a patch. What it read at
// the whole compile stays in variantStates (sortedStates), so changing it
// compiles whole (TestReview43cVariantReadAtWholeCompile, and
// TestReview43cVariantScopedVars' --vars steps). TestPatchEnabledVariant's
// "the macro it calls"/"the var it reads" steps pass only because the
// variant came to read them by a patch. Since the commit that brought
// these tests in, the enabled variant's state leaves variantStates
// (patchSnapshot): those steps are patched, and equal the cold compile.
package compiler

import (
	"fmt"
	"math/rand"
	"testing"
)

const r43cProj = "name: rc\nversion: \"1.0.0\"\n"

// r43cVariant is a variant enabled when var side (default a) is v.
func r43cVariant(v, sql string) string {
	return "{{ config(enabled=var('side', 'a') == '" + v + "') }}\n" + sql
}

// r43cVariantC is r43cVariant with more config() keys.
func r43cVariantC(v, conf, sql string) string {
	return "{{ config(enabled=var('side', 'a') == '" + v + "', " + conf + ") }}\n" + sql
}

func r43cBase(extra ...string) map[string]string {
	return withFiles(withFiles(nil,
		"mart.yml", r43cProj,
		"models/base.sql", "select 1 as id\n",
		"models/other.sql", "select 2 as id\n",
		"models/a/o.sql", r43cVariant("a", "select id from {{ ref('base') }}\n"),
		"models/b/o.sql", r43cVariant("b", "select id, 'b' as v from {{ ref('base') }}\n"),
		"models/reads_o.sql", "select * from {{ ref('o') }}\n"), extra...)
}

// TestReview43cVariantConfigKeys: the enabled variant's config() keys
// edited one at a time, each compile compared with a cold one.
func TestReview43cVariantConfigKeys(t *testing.T) {
	a := func(conf, sql string) map[string]string {
		if conf == "" {
			return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
		}
		return withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, sql))
	}
	body := "select id from {{ ref('base') }}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase()},
		{name: "table", any: true, files: a("materialized='table'", body)},
		{name: "tags", any: true, files: a("materialized='table', tags=['x']", body)},
		{name: "tags edited", any: true, files: a("materialized='table', tags=['x', 'y']", body)},
		{name: "meta", any: true, files: a("materialized='table', tags=['x', 'y'], meta={'owner': 'me'}", body)},
		{name: "pre/post hooks", any: true, files: a("materialized='table', pre_hook='select 1', post_hook=['select 2', 'grant select on {{ this }} to r']", body)},
		{name: "hooks edited", any: true, files: a("materialized='table', pre_hook='select 11', post_hook=['grant select on {{ this }} to r2']", body)},
		{name: "docs", any: true, files: a("materialized='view', docs={'show': false}", body)},
		{name: "persist_docs", any: true, files: a("materialized='view', persist_docs={'relation': true}", body)},
		{name: "incremental", any: true, files: a("materialized='incremental', unique_key='id'", body)},
		{name: "is_incremental", any: true, files: a("materialized='incremental', unique_key='id'",
			"select id from {{ ref('base') }}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}\n")},
		{name: "this", any: true, files: a("", "select '{{ this }}' as me, '{{ this.identifier }}' as i from {{ ref('base') }}\n")},
		{name: "enabled=true", any: true, files: withFiles(nil, "models/a/o.sql", "{{ config(enabled=true) }}\nselect id from {{ ref('base') }}\n")},
		{name: "no config at all", any: true, files: withFiles(nil, "models/a/o.sql", "select id from {{ ref('base') }}\n")},
		{name: "the side var b now: both enabled", coldFails: true, vars: map[string]any{"side": "b"}},
		{name: "back to a", any: true, files: a("", body)},
		{name: "enabled by a computed expression", any: true, files: withFiles(nil, "models/a/o.sql", "{% set on = var('side', 'a') in ['a', 'c'] %}{{ config(enabled=on) }}\nselect id from {{ ref('base') }}\n")},
		{name: "side c: still enabled", any: true, vars: map[string]any{"side": "c"}},
		{name: "side c: its SQL", any: true, vars: map[string]any{"side": "c"}, files: withFiles(nil, "models/a/o.sql", "{% set on = var('side', 'a') in ['a', 'c'] %}{{ config(enabled=on) }}\nselect id, 5 as c from {{ ref('base') }}\n")},
		{name: "env var read", any: true, files: a("", "select '{{ env_var('R43C_E', 'd') }}' as e from {{ ref('base') }}\n")},
		{name: "env var set", any: true, env: map[string]string{"R43C_E": "set"}},
		{name: "env var enables", any: true, files: withFiles(nil, "models/a/o.sql", "{{ config(enabled=env_var('R43C_ON', 'yes') == 'yes') }}\nselect id from {{ ref('base') }}\n")},
		{name: "env var disables it", coldFails: true, env: map[string]string{"R43C_ON": "no"}},
		{name: "env back", any: true, env: map[string]string{"R43C_ON": "yes"}},
		{name: "schema", any: true, files: a("schema='s2'", body)},
		{name: "schema's SQL", any: true, files: a("schema='s2'", "select id, 1 as k from {{ ref('base') }}\n")},
		{name: "alias and schema's SQL", any: true, files: a("schema='s2', alias='oo'", "select id, 1 as k from {{ ref('base') }}\n")},
		{name: "alias and schema's SQL again", any: true, files: a("schema='s2', alias='oo'", "select id, 2 as k from {{ ref('base') }}\n")},
		{name: "contract with no columns", coldFails: true, files: a("contract={'enforced': true}", body)},
		{name: "its columns", any: true, files: withFiles(a("contract={'enforced': true}", body),
			"models/_o.yml", "version: 2\nmodels:\n  - name: o\n    columns:\n      - name: id\n        data_type: int\n")},
		{name: "contract's SQL", any: true, files: a("contract={'enforced': true}", "select id + 1 as id from {{ ref('base') }}\n")},
		{name: "contract off", any: true, files: a("contract={'enforced': false}", "select id + 1 as id from {{ ref('base') }}\n")},
		{name: "column data_type", any: true, files: withFiles(nil,
			"models/_o.yml", "version: 2\nmodels:\n  - name: o\n    columns:\n      - name: id\n        data_type: bigint\n")},
		{name: "contract on again", any: true, files: a("contract={'enforced': true}", "select id + 2 as id from {{ ref('base') }}\n")},
	})
}

// TestReview43cVariantRefs: the enabled variant's refs: added, removed,
// to itself (its own name, the disabled variant's too), to its reader (a
// cycle), to a disabled model, to a missing one; ephemeral models it
// reads or that read it; it made ephemeral.
func TestReview43cVariantRefs(t *testing.T) {
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase(
			"models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect 7 as id\n",
			"models/off.sql", "{{ config(enabled=false) }}\nselect 8 as id\n",
			"models/eph_reader.sql", "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('o') }}\n",
			"models/top.sql", "select * from {{ ref('eph_reader') }}\n")},
		{name: "a ref added", any: true, files: a("select id from {{ ref('base') }} join {{ ref('other') }} using (id)\n")},
		{name: "a ref removed", any: true, files: a("select id from {{ ref('other') }}\n")},
		{name: "no ref", any: true, files: a("select 3 as id\n")},
		{name: "a ref to itself (the cold compile accepts it)", any: true, files: a("select * from {{ ref('o') }}\n")},
		{name: "back", any: true, files: a("select id from {{ ref('base') }}\n")},
		{name: "a ref to its reader: a cycle", coldFails: true, files: a("select * from {{ ref('reads_o') }}\n")},
		{name: "back again", any: true, files: a("select id from {{ ref('base') }}\n")},
		{name: "a ref to a disabled model", coldFails: true, files: a("select * from {{ ref('off') }}\n")},
		{name: "a ref to a missing model", coldFails: true, files: a("select * from {{ ref('nope') }}\n")},
		{name: "back a third time", any: true, files: a("select id from {{ ref('base') }}\n")},
		{name: "a ref to an ephemeral model", any: true, files: a("select id from {{ ref('eph') }}\n")},
		{name: "the ephemeral model edited", any: true, files: withFiles(nil, "models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect 9 as id\n")},
		{name: "it edited, with the CTE", any: true, files: a("select id, 1 as q from {{ ref('eph') }}\n")},
		{name: "the ephemeral model edited again", any: true, files: withFiles(nil, "models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect 10 as id\n")},
		{name: "it edited, read by the ephemeral reader", any: true, files: a("select id, 2 as q from {{ ref('eph') }}\n")},
		{name: "it becomes ephemeral", any: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", "materialized='ephemeral'", "select id, 3 as q from {{ ref('eph') }}\n"))},
		{name: "ephemeral: its SQL", any: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", "materialized='ephemeral'", "select id, 4 as q from {{ ref('eph') }}\n"))},
		{name: "ephemeral: a reader's SQL", any: true, files: withFiles(nil, "models/reads_o.sql", "select id from {{ ref('o') }}\n")},
		{name: "a view again", any: true, files: a("select id, 5 as q from {{ ref('eph') }}\n")},
		{name: "a view: its SQL", any: true, files: a("select id, 6 as q from {{ ref('eph') }}\n")},
		{name: "the disabled variant is ephemeral", any: true, files: withFiles(nil, "models/b/o.sql", r43cVariantC("b", "materialized='ephemeral'", "select 1 as id\n"))},
		{name: "then the enabled one's SQL", any: true, files: a("select id, 7 as q from {{ ref('eph') }}\n")},
		{name: "side b: the ephemeral one enabled", any: true, vars: map[string]any{"side": "b"}},
		{name: "side b: its SQL", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "models/b/o.sql", r43cVariantC("b", "materialized='ephemeral'", "select 2 as id\n"))},
		{name: "side b: the reader", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "models/reads_o.sql", "select id, 1 as r from {{ ref('o') }}\n")},
	})
}

func r43cProps(entry string) string {
	return "version: 2\nmodels:\n  - name: o\n" + entry + "  - name: reads_o\n    description: reads o\n"
}

// TestReview43cVariantYAML: the YAML entry of the variants' name edited
// (every variant's entry: entryNodes), with the enabled variant's SQL
// edited between: description, columns, tests, docs, meta, constraints,
// access, a group, versions, config.
func TestReview43cVariantYAML(t *testing.T) {
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	y := func(entry string) map[string]string { return withFiles(nil, "models/_props.yml", r43cProps(entry)) }
	cols := "    columns:\n      - name: id\n        description: the id\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase(
			"models/_props.yml", r43cProps("    description: the o\n"+cols),
			"macros/gt.sql", "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}\n",
			"tests/s.sql", "select * from {{ ref('o') }} where id < 0\n")},
		{name: "description", any: true, files: y("    description: the o, again\n" + cols)},
		{name: "column description", any: true, files: y("    description: the o, again\n    columns:\n      - name: id\n        description: the id, again\n")},
		{name: "a column added", any: true, files: y("    description: the o, again\n" + cols + "      - name: v\n        description: v\n")},
		{name: "its SQL", any: true, files: a("select id, 'a' as v from {{ ref('base') }}\n")},
		{name: "a test", any: true, files: y("    description: the o, again\n" + cols + "        data_tests: [not_null]\n")},
		{name: "its SQL, tested", any: true, files: a("select id, 'aa' as v from {{ ref('base') }}\n")},
		{name: "a custom test", any: true, files: y("    description: the o, again\n" + cols + "        data_tests: [not_null, positive]\n")},
		{name: "the test macro", any: true, files: withFiles(nil, "macros/gt.sql", "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 1{% endtest %}\n")},
		{name: "a test's config", any: true, files: y("    description: the o, again\n" + cols + "        data_tests: [not_null, {positive: {config: {severity: warn}}}]\n")},
		{name: "an accepted_values test", any: true, files: y("    description: the o, again\n" + cols + "        data_tests: [not_null, {accepted_values: {values: [1, 2]}}]\n")},
		{name: "its SQL, still tested", any: true, files: a("select id, 'ab' as v from {{ ref('base') }}\n")},
		{name: "the singular test", any: true, files: withFiles(nil, "tests/s.sql", "select * from {{ ref('o') }} where id < -1\n")},
		{name: "a model-level test", any: true, files: y("    description: the o, again\n    data_tests:\n      - positive:\n          column_name: id\n" + cols)},
		{name: "docs show false", any: true, files: y("    description: the o, again\n    docs:\n      show: false\n" + cols)},
		{name: "meta at the entry", any: true, files: y("    description: the o, again\n    meta:\n      owner: me\n" + cols)},
		{name: "its SQL, with meta", any: true, files: a("select id, 'ac' as v from {{ ref('base') }}\n")},
		{name: "meta edited", any: true, files: y("    description: the o, again\n    meta:\n      owner: you\n" + cols)},
		{name: "tags at the entry", any: true, files: y("    description: the o, again\n    tags: [yt]\n" + cols)},
		{name: "constraints", any: true, files: y("    description: the o, again\n    constraints:\n      - type: check\n        expression: id > 0\n" + cols)},
		{name: "column constraints", any: true, files: y("    description: the o, again\n    columns:\n      - name: id\n        description: the id\n        constraints:\n          - type: not_null\n")},
		{name: "access", any: true, files: y("    description: the o, again\n    access: public\n" + cols)},
		{name: "its SQL, public", any: true, files: a("select id, 'ad' as v from {{ ref('base') }}\n")},
		{name: "config in YAML", any: true, files: y("    description: the o, again\n    config:\n      materialized: table\n" + cols)},
		{name: "its SQL after", any: true, files: a("select id, 'ae' as v from {{ ref('base') }}\n")},
		{name: "config in YAML removed", any: true, files: y("    description: the o, again\n" + cols)},
		{name: "the entry moved to another file", any: true, files: withFiles(nil, "models/_props.yml", "version: 2\nmodels:\n  - name: reads_o\n    description: reads o\n", "models/a/_o.yml", "version: 2\nmodels:\n  - name: o\n    description: moved\n")},
		{name: "its SQL after the move", any: true, files: a("select id, 'af' as v from {{ ref('base') }}\n")},
		{name: "the entry's description in its new file", any: true, files: withFiles(nil, "models/a/_o.yml", "version: 2\nmodels:\n  - name: o\n    description: moved again\n")},
		{name: "the entry removed", any: true, remove: []string{"models/a/_o.yml"}},
		{name: "its SQL, no entry", any: true, files: a("select id, 'ag' as v from {{ ref('base') }}\n")},
		{name: "an entry again, with a description from a doc block", any: true, files: withFiles(y("    description: '{{ doc(\"od\") }}'\n"), "models/docs.md", "{% docs od %}the o doc{% enddocs %}\n")},
		{name: "the doc block", any: true, files: withFiles(nil, "models/docs.md", "{% docs od %}the o doc, edited{% enddocs %}\n")},
		{name: "its SQL, doc'd", any: true, files: a("select id, 'ah' as v from {{ ref('base') }}\n")},
	})
}

// TestReview43cVariantUnitTest: a unit test of the variants' name added
// by a patched compile, then the enabled variant edited, the unit test
// edited and removed.
func TestReview43cVariantUnitTest(t *testing.T) {
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	ut := func(rows string) map[string]string {
		return withFiles(nil, "models/_ut.yml", "unit_tests:\n  - name: ut_o\n    model: o\n    given:\n      - input: ref('base')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n"+rows)
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase()},
		{name: "its SQL", patched: true, files: a("select id, 1 as k from {{ ref('base') }}\n")},
		{name: "a unit test", any: true, files: ut("        - {id: 1, k: 1}\n")},
		{name: "its SQL, unit tested", any: true, files: a("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "its SQL, unit tested, again", any: true, files: a("select id, 3 as k from {{ ref('base') }} join {{ ref('other') }} using (id)\n")},
		{name: "the unit test edited", any: true, files: ut("        - {id: 1, k: 3}\n")},
		{name: "its SQL a third time", any: true, files: a("select id, 4 as k from {{ ref('base') }}\n")},
		{name: "the unit test removed", any: true, remove: []string{"models/_ut.yml"}},
		{name: "its SQL, not tested", any: true, files: a("select id, 5 as k from {{ ref('base') }}\n")},
		{name: "a unit test on the reader", any: true, files: withFiles(nil, "models/_ut.yml", "unit_tests:\n  - name: ut_r\n    model: reads_o\n    given:\n      - input: ref('o')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n        - {id: 1}\n")},
		{name: "its SQL, its reader unit tested", any: true, files: a("select id, 6 as k from {{ ref('base') }}\n")},
	})
}

const r43cPkg = "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"

// TestReview43cPackageVariants: variants in a package (both the
// package's), the root project's YAML and folder config of them, and a
// root model reading them.
func TestReview43cPackageVariants(t *testing.T) {
	pa := func(sql string) map[string]string {
		return withFiles(nil, "dbt_packages/pk/models/a/pm.sql", r43cVariant("a", sql))
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil,
			"mart.yml", r43cProj,
			"models/base.sql", "select 1 as id\n",
			"models/reads_pm.sql", "select * from {{ ref('pm') }}\n",
			"dbt_packages/pk/dbt_project.yml", r43cPkg,
			"dbt_packages/pk/models/pbase.sql", "select 1 as id\n",
			"dbt_packages/pk/models/_pk.yml", "version: 2\nmodels:\n  - name: pm\n    description: the package's pm\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
			"dbt_packages/pk/models/a/pm.sql", r43cVariant("a", "select id from {{ ref('pbase') }}\n"),
			"dbt_packages/pk/models/b/pm.sql", r43cVariant("b", "select id, 'b' as v from {{ ref('pbase') }}\n"))},
		{name: "the enabled package variant's SQL", any: true, files: pa("select id, 1 as k from {{ ref('pbase') }}\n")},
		{name: "it refs a root model", any: true, files: pa("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "it refs a root model by package", any: true, files: pa("select id, 3 as k from {{ ref('rc', 'base') }}\n")},
		{name: "the package YAML's description", any: true, files: withFiles(nil, "dbt_packages/pk/models/_pk.yml", "version: 2\nmodels:\n  - name: pm\n    description: the package's pm, again\n    columns:\n      - name: id\n        data_tests: [not_null]\n")},
		{name: "the root's YAML describes pm too", coldFails: true, files: withFiles(nil, "models/_root.yml", "version: 2\nmodels:\n  - name: pm\n    description: the root's word on pm\n")},
		{name: "not any more", any: true, remove: []string{"models/_root.yml"}},
		{name: "the package variant's SQL after", any: true, files: pa("select id, 4 as k from {{ ref('pbase') }}\n")},
		{name: "the root's folder config of the package", any: true, files: withFiles(nil, "mart.yml", r43cProj+"models:\n  pk:\n    a:\n      +tags: [ta]\n")},
		{name: "the package variant's SQL, tagged", any: true, files: pa("select id, 5 as k from {{ ref('pbase') }}\n")},
		{name: "the root's folder config disables a (its config() call wins)", any: true, files: withFiles(nil, "mart.yml", r43cProj+"models:\n  pk:\n    a:\n      +enabled: false\n")},
		{name: "and enables b", any: true, files: withFiles(nil, "mart.yml", r43cProj+"models:\n  pk:\n    a:\n      +enabled: false\n    b:\n      +enabled: true\n"), vars: map[string]any{"side": "b"}},
		{name: "b's SQL", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "dbt_packages/pk/models/b/pm.sql", r43cVariant("b", "select id, 'bb' as v from {{ ref('pbase') }}\n"))},
	})
}

// TestReview43cRootAndPackageModel: a root model of a package model's
// name: the root one enabled, the package's disabled, and the other way
// round; each one's SQL edited.
func TestReview43cRootAndPackageModel(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil,
			"mart.yml", r43cProj,
			"models/pm.sql", r43cVariant("a", "select 1 as id\n"),
			"models/reads_pm.sql", "select * from {{ ref('pm') }}\n",
			"models/_pm.yml", "version: 2\nmodels:\n  - name: pm\n    description: root pm\n",
			"dbt_packages/pk/dbt_project.yml", r43cPkg,
			"dbt_packages/pk/models/pm.sql", r43cVariant("b", "select 2 as id\n"),
			"dbt_packages/pk/models/preads.sql", "select * from {{ ref('pm') }}\n")},
		{name: "the root pm's SQL", any: true, files: withFiles(nil, "models/pm.sql", r43cVariant("a", "select 3 as id\n"))},
		{name: "the root YAML", any: true, files: withFiles(nil, "models/_pm.yml", "version: 2\nmodels:\n  - name: pm\n    description: root pm, again\n")},
		{name: "the package's pm enabled", any: true, vars: map[string]any{"side": "b"}},
		{name: "the package's pm's SQL", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "dbt_packages/pk/models/pm.sql", r43cVariant("b", "select 4 as id\n"))},
		{name: "the root YAML, package's enabled", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "models/_pm.yml", "version: 2\nmodels:\n  - name: pm\n    description: root pm, a third time\n    columns:\n      - name: id\n        data_tests: [not_null]\n")},
		{name: "the package's pm's SQL again", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "dbt_packages/pk/models/pm.sql", r43cVariant("b", "select 5 as id\n"))},
	})
}

// TestReview43cTargetSwap: the variants enabled by target.name, --target
// swapped between compiles, each variant's SQL edited under its target.
func TestReview43cTargetSwap(t *testing.T) {
	tv := func(v, sql string) string {
		return "{{ config(enabled=target.name == '" + v + "') }}\n" + sql
	}
	profiles := "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n      schema: dev_s\n    prod:\n      type: duckdb\n      path: target/prod.duckdb\n      schema: prod_s\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil,
			"mart.yml", "name: rc\nversion: \"1.0.0\"\nprofile: p\n",
			"profiles.yml", profiles,
			"models/base.sql", "select 1 as id\n",
			"models/dev/o.sql", tv("dev", "select id, '{{ target.schema }}' as s from {{ ref('base') }}\n"),
			"models/prod/o.sql", tv("prod", "{{ config(materialized='table') }}\nselect id, 'prod' as v from {{ ref('base') }}\n"),
			"models/reads_o.sql", "select * from {{ ref('o') }}\n")},
		{name: "dev's SQL", patched: true, files: withFiles(nil, "models/dev/o.sql", tv("dev", "select id, 1 as k, '{{ target.schema }}' as s from {{ ref('base') }}\n"))},
		{name: "--target prod", any: true, target: "prod"},
		{name: "prod's SQL under prod", any: true, target: "prod", files: withFiles(nil, "models/prod/o.sql", tv("prod", "{{ config(materialized='table') }}\nselect id, 'prod2' as v from {{ ref('base') }}\n"))},
		{name: "prod's SQL under prod again", any: true, target: "prod", files: withFiles(nil, "models/prod/o.sql", tv("prod", "{{ config(materialized='table') }}\nselect id, 'prod3' as v from {{ ref('base') }}\n"))},
		{name: "dev's SQL under prod", any: true, target: "prod", files: withFiles(nil, "models/dev/o.sql", tv("dev", "select id, 2 as k from {{ ref('base') }}\n"))},
		{name: "back to dev (no --target)", any: true},
		{name: "dev's SQL under dev", any: true, files: withFiles(nil, "models/dev/o.sql", tv("dev", "select id, 3 as k from {{ ref('base') }}\n"))},
		{name: "--target dev", any: true, target: "dev"},
		{name: "the default target prod in profiles.yml", any: true, files: withFiles(nil, "profiles.yml", "p:\n  target: prod\n"+profiles[len("p:\n  target: dev\n"):])},
		{name: "no --target, prod's SQL", any: true, files: withFiles(nil, "models/prod/o.sql", tv("prod", "{{ config(materialized='table') }}\nselect id, 'prod4' as v from {{ ref('base') }}\n"))},
		{name: "--target dev, dev's SQL", any: true, target: "dev", files: withFiles(nil, "models/dev/o.sql", tv("dev", "select id, 4 as k from {{ ref('base') }}\n"))},
	})
}

// TestReview43cVariantSet: a third variant added and removed, a variant
// folder renamed, both variants edited in one save, the enabled one
// removed with the disabled one in the same save; then a patched edit.
func TestReview43cVariantSet(t *testing.T) {
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase()},
		{name: "its SQL", patched: true, files: a("select id, 1 as k from {{ ref('base') }}\n")},
		{name: "a third variant", patched: false, files: withFiles(nil, "models/c/o.sql", r43cVariant("c", "select 3 as id\n"))},
		{name: "its SQL, three variants", patched: true, files: a("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "side c", any: true, vars: map[string]any{"side": "c"}},
		{name: "c's SQL", patched: true, vars: map[string]any{"side": "c"}, files: withFiles(nil, "models/c/o.sql", r43cVariant("c", "select 33 as id\n"))},
		{name: "side a again", any: true},
		{name: "the third removed", patched: false, remove: []string{"models/c/o.sql"}},
		{name: "its SQL, two variants", patched: true, files: a("select id, 3 as k from {{ ref('base') }}\n")},
		{name: "the b folder renamed", patched: false, remove: []string{"models/b/o.sql"}, files: withFiles(nil, "models/bb/o.sql", r43cVariant("b", "select id, 'b' as v from {{ ref('base') }}\n"))},
		{name: "its SQL after the rename", patched: true, files: a("select id, 4 as k from {{ ref('base') }}\n")},
		{name: "the a folder renamed", patched: false, remove: []string{"models/a/o.sql"}, files: withFiles(nil, "models/aa/o.sql", r43cVariant("a", "select id, 4 as k from {{ ref('base') }}\n"))},
		{name: "its SQL after its rename", patched: true, files: withFiles(nil, "models/aa/o.sql", r43cVariant("a", "select id, 5 as k from {{ ref('base') }}\n"))},
		{name: "it renamed to the other name p, its reader reads p", patched: false, remove: []string{"models/aa/o.sql"}, files: withFiles(nil,
			"models/aa/p.sql", r43cVariant("a", "select id, 5 as k from {{ ref('base') }}\n"), "models/reads_o.sql", "select * from {{ ref('p') }}\n")},
		{name: "the reader reads o again, disabled everywhere", coldFails: true, files: withFiles(nil, "models/reads_o.sql", "select * from {{ ref('o') }} where id > 0\n")},
		{name: "the reader reads p again", any: true, files: withFiles(nil, "models/reads_o.sql", "select * from {{ ref('p') }}\n")},
		{name: "p's SQL", patched: true, files: withFiles(nil, "models/aa/p.sql", r43cVariant("a", "select id, 6 as k from {{ ref('base') }}\n"))},
		{name: "p named o again", any: true, remove: []string{"models/aa/p.sql"}, files: withFiles(nil, "models/aa/o.sql", r43cVariant("a", "select id, 6 as k from {{ ref('base') }}\n"), "models/reads_o.sql", "select * from {{ ref('o') }}\n")},
		{name: "o's SQL", patched: true, files: withFiles(nil, "models/aa/o.sql", r43cVariant("a", "select id, 7 as k from {{ ref('base') }}\n"))},
		{name: "the disabled one removed", any: true, remove: []string{"models/bb/o.sql"}},
		{name: "o's SQL, unique", patched: true, files: withFiles(nil, "models/aa/o.sql", r43cVariant("a", "select id, 8 as k from {{ ref('base') }}\n"))},
		{name: "a disabled one added", patched: false, files: withFiles(nil, "models/b/o.sql", r43cVariant("b", "select 9 as id\n"))},
		{name: "o's SQL, a variant again", patched: true, files: withFiles(nil, "models/aa/o.sql", r43cVariant("a", "select id, 9 as k from {{ ref('base') }}\n"))},
	})
}

// TestReview43cOtherKindVariants: variants of snapshots, seeds, analyses
// and singular tests; their edits give what a cold compile gives.
func TestReview43cOtherKindVariants(t *testing.T) {
	snap := func(v, sql string) string {
		return "{% snapshot sn %}\n{{ config(enabled=var('side', 'a') == '" + v + "', unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\n" + sql + "{% endsnapshot %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase(
			"snapshots/a/sn.sql", snap("a", "select id from {{ ref('base') }}\n"),
			"snapshots/b/sn.sql", snap("b", "select id, 2 as k from {{ ref('base') }}\n"),
			"analyses/a/an.sql", r43cVariant("a", "select * from {{ ref('o') }}\n"),
			"analyses/b/an.sql", r43cVariant("b", "select 2 as id\n"),
			"tests/a/tt.sql", r43cVariant("a", "select * from {{ ref('o') }} where id < 0\n"),
			"tests/b/tt.sql", r43cVariant("b", "select * from {{ ref('base') }} where id < 0\n"),
			"models/reads_sn.sql", "select * from {{ ref('sn') }}\n")},
		{name: "the enabled snapshot's SQL", patched: false, files: withFiles(nil, "snapshots/a/sn.sql", snap("a", "select id, 1 as k from {{ ref('base') }}\n"))},
		{name: "the enabled analysis's SQL", patched: false, files: withFiles(nil, "analyses/a/an.sql", r43cVariant("a", "select id from {{ ref('o') }}\n"))},
		{name: "the enabled test's SQL", patched: false, files: withFiles(nil, "tests/a/tt.sql", r43cVariant("a", "select * from {{ ref('o') }} where id < 1\n"))},
		{name: "the model variant's SQL", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 1 as k from {{ ref('base') }}\n"))},
		{name: "side b", any: true, vars: map[string]any{"side": "b"}},
		{name: "side b: the snapshot's SQL", patched: false, vars: map[string]any{"side": "b"}, files: withFiles(nil, "snapshots/b/sn.sql", snap("b", "select id, 3 as k from {{ ref('base') }}\n"))},
		{name: "side b: the model's SQL", patched: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "models/b/o.sql", r43cVariant("b", "select id, 'bb' as v from {{ ref('base') }}\n"))},
		{name: "seeds of one name", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil,
			"seeds/a/sd.csv", "id\n1\n", "seeds/b/sd.csv", "id\n2\n",
			"seeds/_sd.yml", "version: 2\nseeds:\n  - name: sd\n    config:\n      enabled: false\n",
			"mart.yml", r43cProj+"seeds:\n  rc:\n    a:\n      +enabled: true\n")},
		{name: "side b: a seed's CSV", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "seeds/a/sd.csv", "id\n3\n")},
	})
}

// TestReview43cEphemeralVariants: variants that are ephemeral (not
// patchable), read by a patchable model and by the enabled variant of
// another name: the CTE each reader gets is the enabled variant's, with
// the disabled one sorting first and last.
func TestReview43cEphemeralVariants(t *testing.T) {
	for _, order := range []struct{ on, off string }{{"a", "b"}, {"b", "a"}} {
		t.Run("enabled "+order.on, func(t *testing.T) {
			ev := func(v, sql string) string {
				return "{{ config(materialized='ephemeral', enabled=var('eside', '" + order.on + "') == '" + v + "') }}\n" + sql
			}
			a := func(sql string) map[string]string {
				return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
			}
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43cBase(
					"models/e"+order.on+"/e.sql", ev(order.on, "select 1 as id, 'on' as w\n"),
					"models/e"+order.off+"/e.sql", ev(order.off, "select 2 as id, 'off' as w\n"),
					"models/a/o.sql", r43cVariant("a", "select id, w from {{ ref('e') }}\n"),
					"models/m.sql", "select * from {{ ref('e') }}\n")},
				{name: "the variant reading e edited", patched: true, files: a("select id, w, 1 as k from {{ ref('e') }}\n")},
				{name: "m edited", patched: true, files: withFiles(nil, "models/m.sql", "select id from {{ ref('e') }}\n")},
				{name: "the variant reads e and base", patched: true, files: a("select e.id, w from {{ ref('e') }} e join {{ ref('base') }} using (id)\n")},
				{name: "the enabled e edited", any: true, files: withFiles(nil, "models/e"+order.on+"/e.sql", ev(order.on, "select 1 as id, 'on2' as w\n"))},
				{name: "the variant edited after", patched: true, files: a("select e.id, w, 2 as k from {{ ref('e') }} e join {{ ref('base') }} using (id)\n")},
				{name: "e swapped", any: true, vars: map[string]any{"eside": order.off}},
				{name: "the variant edited, e swapped", patched: true, vars: map[string]any{"eside": order.off}, files: a("select e.id, w, 3 as k from {{ ref('e') }} e join {{ ref('base') }} using (id)\n")},
				{name: "m edited, e swapped", patched: true, vars: map[string]any{"eside": order.off}, files: withFiles(nil, "models/m.sql", "select id, w from {{ ref('e') }}\n")},
			})
		})
	}
}

// TestReview43cGraphReader: a model that reads the graph (the variant's
// config and path) while the enabled variant is edited.
func TestReview43cGraphReader(t *testing.T) {
	a := func(conf, sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, sql))
	}
	reader := "{% set ns = namespace(s='') %}{% if execute %}{% for n in graph.nodes.values() if n.name == 'o' %}{% set ns.s = ns.s ~ n.original_file_path ~ ':' ~ n.config.materialized ~ ':' ~ (n.tags | join(',')) ~ ':' ~ (n.depends_on.nodes | join(',')) %}{% endfor %}{% endif %}\nselect '{{ ns.s }}' as s\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase("models/g.sql", reader)},
		{name: "its SQL", any: true, files: a("tags=['x']", "select id from {{ ref('base') }}\n")},
		{name: "a table", any: true, files: a("tags=['x'], materialized='table'", "select id from {{ ref('base') }}\n")},
		{name: "another ref", any: true, files: a("tags=['y'], materialized='table'", "select id from {{ ref('base') }} join {{ ref('other') }} using (id)\n")},
		{name: "side b", any: true, vars: map[string]any{"side": "b"}},
		{name: "side b: b's SQL", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "models/b/o.sql", r43cVariantC("b", "materialized='table'", "select id, 'b' as v from {{ ref('base') }}\n"))},
	})
}

// TestReview43cOneSave: the enabled variant's SQL edited in the same save
// as another change: the disabled variant removed, a third added, the
// YAML description, a macro only the disabled variant calls, the
// project's default of the var that enables it, a model it comes to read
// removed.
func TestReview43cOneSave(t *testing.T) {
	a := func(sql string, kv ...string) map[string]string {
		return withFiles(nil, append([]string{"models/a/o.sql", r43cVariant("a", sql)}, kv...)...)
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase(
			"macros/m.sql", "{% macro bm() %}'b'{% endmacro %}\n",
			"models/b/o.sql", r43cVariant("b", "select id, {{ bm() }} as v from {{ ref('base') }}\n"),
			"models/_props.yml", r43cProps("    description: the o\n"))},
		{name: "its SQL and the description", any: true, files: a("select id, 1 as k from {{ ref('base') }}\n", "models/_props.yml", r43cProps("    description: the o, again\n"))},
		{name: "its SQL and the disabled one's macro", patched: false, files: a("select id, 2 as k from {{ ref('base') }}\n", "macros/m.sql", "{% macro bm() %}'bb'{% endmacro %}\n")},
		{name: "its SQL and the disabled one removed", patched: false, remove: []string{"models/b/o.sql"}, files: a("select id, 3 as k from {{ ref('base') }}\n")},
		{name: "its SQL and a disabled one added", patched: false, files: a("select id, 4 as k from {{ ref('base') }}\n", "models/c/o.sql", r43cVariant("c", "select 4 as id\n"))},
		{name: "its SQL and the var's project default", any: true, files: a("select id, 5 as k from {{ ref('base') }}\n", "mart.yml", r43cProj+"vars:\n  side: a\n")},
		{name: "the var's project default z: none enabled", coldFails: true, files: withFiles(nil, "mart.yml", r43cProj+"vars:\n  side: z\n")},
		{name: "the var's project default z, its SQL", coldFails: true, files: a("select id, 6 as k from {{ ref('base') }}\n")},
		{name: "back to a", any: true, files: withFiles(nil, "mart.yml", r43cProj+"vars:\n  side: a\n")},
		{name: "it reads other", patched: true, files: a("select id from {{ ref('other') }}\n")},
		{name: "other removed", coldFails: true, remove: []string{"models/other.sql"}},
		{name: "its SQL and other removed", any: true, files: a("select id from {{ ref('base') }}\n")},
		{name: "it reads a source", any: true, files: a("select * from {{ source('s', 't') }}\n", "models/_src.yml", "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n")},
		{name: "the source's identifier", any: true, files: withFiles(nil, "models/_src.yml", "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        identifier: t_real\n")},
		{name: "the source's table removed", coldFails: true, files: withFiles(nil, "models/_src.yml", "version: 2\nsources:\n  - name: s\n    tables:\n      - name: u\n")},
	})
}

// TestReview43cVariantThis: the enabled variant renders `this`, model
// and config.get with its alias and schema set by its config() (the
// cold compile renders a variant twice: the second render sees the
// relation the first one's config named), then its SQL is edited.
func TestReview43cVariantThis(t *testing.T) {
	conf := "alias='o_a', schema='sa', materialized='table'"
	body := func(k string) string {
		return "select '{{ this }}' as t, '{{ this.identifier }}' as i, '{{ this.schema }}' as s, '{{ model.alias }}' as ma, '{{ config.get('alias') }}' as ca, " + k + " as k from {{ ref('base') }}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase("models/a/o.sql", r43cVariantC("a", conf, body("1")))},
		{name: "its SQL", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, body("2")))},
		{name: "its SQL again", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, body("3")))},
		{name: "a YAML alias", any: true, files: withFiles(nil, "models/_props.yml", r43cProps("    config:\n      alias: o_y\n"))},
		{name: "its SQL, the YAML alias under its own", any: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, body("4")))},
		{name: "its own alias gone", any: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", "schema='sa'", body("5")))},
		{name: "its SQL, the YAML alias", any: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", "schema='sa'", body("6")))},
		{name: "a render error", coldFails: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", "schema='sa'", body("7")+"{{ exceptions.raise_compiler_error('no') }}\n"))},
		{name: "a syntax error", coldFails: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", "schema='sa'", body("7")+"{% if %}\n"))},
		{name: "fixed", any: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", "schema='sa'", body("8")))},
	})
}

// TestReview43cVariantFolderConfigs: folder configs of the disabled
// variant's folder, of the models folder (both variants'), of another
// folder, between patched edits of the enabled variant.
func TestReview43cVariantFolderConfigs(t *testing.T) {
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	proj := func(models string) map[string]string {
		return withFiles(nil, "mart.yml", r43cProj+"models:\n  rc:\n"+models)
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(r43cBase("models/x/x.sql", "select 1 as x\n"), "mart.yml", r43cProj+"models:\n  rc:\n    x:\n      +tags: [x0]\n")},
		{name: "another folder's config", any: true, files: proj("    x:\n      +tags: [x1]\n")},
		{name: "its SQL", patched: true, files: a("select id, 1 as k from {{ ref('base') }}\n")},
		{name: "the disabled variant's folder config", any: true, files: proj("    x:\n      +tags: [x1]\n    b:\n      +materialized: table\n")},
		{name: "its SQL after", patched: true, files: a("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "the disabled variant's folder +enabled (its config() wins)", any: true, files: proj("    x:\n      +tags: [x1]\n    b:\n      +materialized: table\n      +enabled: true\n")},
		{name: "its SQL after that", patched: true, files: a("select id, 3 as k from {{ ref('base') }}\n")},
		{name: "the models folder's config", patched: false, files: proj("    +tags: [all]\n    x:\n      +tags: [x1]\n")},
		{name: "its SQL, tagged", patched: true, files: a("select id, 4 as k from {{ ref('base') }}\n")},
		{name: "the models folder's config edited", patched: false, files: proj("    +tags: [all2]\n    x:\n      +tags: [x1]\n")},
		{name: "its folder's +enabled false: its config() wins", any: true, files: proj("    a:\n      +enabled: false\n    x:\n      +tags: [x1]\n")},
		{name: "its SQL under its folder's +enabled false", any: true, files: a("select id, 5 as k from {{ ref('base') }}\n")},
		{name: "its config() without enabled: disabled by the folder", coldFails: true, files: withFiles(nil, "models/a/o.sql", "select id, 6 as k from {{ ref('base') }}\n")},
	})
}

// TestReview43cOnlyDisabledReads: the enabled variant reads nothing that
// decides it (no enabled config); the disabled one is enabled by a var,
// an env var, a macro: after patched edits of the enabled one, what
// enables the disabled one must compile whole (the cold compile's
// duplicate-name error).
func TestReview43cOnlyDisabledReads(t *testing.T) {
	a := func(sql string) map[string]string { return withFiles(nil, "models/a/o.sql", sql) }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase(
			"models/a/o.sql", "select id from {{ ref('base') }}\n",
			"models/b/o.sql", "{{ config(enabled=var('b_on', false)) }}\nselect 2 as id\n",
			"models/c/o.sql", "{{ config(enabled=env_var('R43C_C_ON', 'no') == 'yes') }}\nselect 3 as id\n",
			"macros/on.sql", "{% macro d_on() %}{{ return(false) }}{% endmacro %}\n",
			"models/d/o.sql", "{{ config(enabled=d_on()) }}\nselect 4 as id\n")},
		{name: "its SQL", patched: true, files: a("select id, 1 as k from {{ ref('base') }}\n")},
		{name: "its SQL again", patched: true, files: a("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "the var enables b", coldFails: true, vars: map[string]any{"b_on": true}},
		{name: "its SQL, the var gone", any: true, files: a("select id, 3 as k from {{ ref('base') }}\n")},
		{name: "its SQL, once more", patched: true, files: a("select id, 4 as k from {{ ref('base') }}\n")},
		{name: "the env var enables c", coldFails: true, env: map[string]string{"R43C_C_ON": "yes"}},
		{name: "env back", any: true, env: map[string]string{"R43C_C_ON": "no"}},
		{name: "its SQL, after env", patched: true, files: a("select id, 5 as k from {{ ref('base') }}\n")},
		{name: "the macro enables d", coldFails: true, files: withFiles(nil, "macros/on.sql", "{% macro d_on() %}{{ return(true) }}{% endmacro %}\n")},
		{name: "the macro back", any: true, files: withFiles(nil, "macros/on.sql", "{% macro d_on() %}{{ return(false) }}{% endmacro %}\n")},
		{name: "the var enables b, with its SQL", coldFails: true, vars: map[string]any{"b_on": true}, files: a("select id, 6 as k from {{ ref('base') }}\n")},
		{name: "b's var in the project file", coldFails: true, files: withFiles(nil, "mart.yml", r43cProj+"vars:\n  b_on: true\n")},
		{name: "project file back", any: true, files: withFiles(nil, "mart.yml", r43cProj)},
		{name: "its SQL at last", patched: true, files: a("select id, 7 as k from {{ ref('base') }}\n")},
		{name: "its SQL now disables itself when b_on", any: true, files: a("{{ config(enabled=not var('b_on', false)) }}\nselect id, 8 as k from {{ ref('base') }}\n")},
		{name: "b_on: b enabled, it disabled (a swap)", any: true, vars: map[string]any{"b_on": true}},
		{name: "b_on: b's SQL", any: true, vars: map[string]any{"b_on": true}, files: withFiles(nil, "models/b/o.sql", "{{ config(enabled=var('b_on', false)) }}\nselect 22 as id\n")},
		{name: "b_on: its SQL", any: true, vars: map[string]any{"b_on": true}, files: a("{{ config(enabled=not var('b_on', false)) }}\nselect id, 9 as k from {{ ref('base') }}\n")},
		{name: "b off again", any: true},
	})
}

// TestReview43cVariantWarehouse: the enabled variant queries the
// warehouse (run_query, an introspective macro): a render dbt parses,
// which the runner renders again; then its SQL edited.
func TestReview43cVariantWarehouse(t *testing.T) {
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	rq := "{% if execute %}{% set r = run_query('select 42 as x') %}{% set x = r.columns[0].values()[0] %}{% else %}{% set x = 0 %}{% endif %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase()},
		{name: "run_query", any: true, files: a(rq + "select id, {{ x }} as x from {{ ref('base') }}\n")},
		{name: "run_query: its SQL", any: true, files: a(rq + "select id, {{ x }} as x, 1 as k from {{ ref('base') }}\n")},
		{name: "run_query: its SQL again", any: true, files: a(rq + "select id, {{ x }} as x, 2 as k from {{ ref('base') }}\n")},
		{name: "introspection: get_columns_in_relation", any: true, files: a("{% set cols = adapter.get_columns_in_relation(ref('base')) %}\nselect {{ cols | length }} as n from {{ ref('base') }}\n")},
		{name: "introspection: its SQL", any: true, files: a("{% set cols = adapter.get_columns_in_relation(ref('base')) %}\nselect {{ cols | length }} as n, 1 as k from {{ ref('base') }}\n")},
		{name: "no warehouse again", any: true, files: a("select id, 3 as k from {{ ref('base') }}\n")},
		{name: "plain edit", patched: true, files: a("select id, 4 as k from {{ ref('base') }}\n")},
	})
}

// TestReview43cTwoNamesOfVariants: two names of variants, one's enabled
// variant reading the other's; a relationships test to the name; a
// versioned model beside.
func TestReview43cTwoNamesOfVariants(t *testing.T) {
	pv := func(v, sql string) string {
		return "{{ config(enabled=var('pside', 'a') == '" + v + "') }}\n" + sql
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase(
			"models/a/p.sql", pv("a", "select id from {{ ref('o') }}\n"),
			"models/b/p.sql", pv("b", "select 1 as id\n"),
			"models/_props.yml", "version: 2\nmodels:\n  - name: reads_o\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('p')\n              field: id\n",
			"models/vm_v1.sql", "select * from {{ ref('o') }}\n",
			"models/vm_v2.sql", "select *, 2 as v from {{ ref('o') }}\n",
			"models/_vm.yml", "version: 2\nmodels:\n  - name: vm\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n")},
		{name: "p's SQL", patched: true, files: withFiles(nil, "models/a/p.sql", pv("a", "select id, 1 as k from {{ ref('o') }}\n"))},
		{name: "o's SQL", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 2 as k from {{ ref('base') }}\n"))},
		{name: "p reads o and the latest vm", any: true, files: withFiles(nil, "models/a/p.sql", pv("a", "select o.id from {{ ref('o') }} o join {{ ref('vm') }} using (id)\n"))},
		{name: "p reads vm v1", any: true, files: withFiles(nil, "models/a/p.sql", pv("a", "select o.id from {{ ref('o') }} o join {{ ref('vm', v=1) }} using (id)\n"))},
		{name: "vm's latest 1", any: true, files: withFiles(nil, "models/_vm.yml", "version: 2\nmodels:\n  - name: vm\n    latest_version: 1\n    versions:\n      - v: 1\n      - v: 2\n")},
		{name: "o reads p: a cycle", coldFails: true, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id from {{ ref('p') }}\n"))},
		{name: "o back", any: true, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 3 as k from {{ ref('base') }}\n"))},
		{name: "p's other side", any: true, vars: map[string]any{"pside": "b"}},
		{name: "o's SQL, p's other side", patched: true, vars: map[string]any{"pside": "b"}, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 4 as k from {{ ref('base') }}\n"))},
		{name: "versions on o's entry, no o_v1.sql", coldFails: true, vars: map[string]any{"pside": "b"}, files: withFiles(nil, "models/_o.yml", "version: 2\nmodels:\n  - name: o\n    versions:\n      - v: 1\n")},
		{name: "versions on o's entry, defined_in o", any: true, vars: map[string]any{"pside": "b"}, files: withFiles(nil, "models/_o.yml", "version: 2\nmodels:\n  - name: o\n    versions:\n      - v: 1\n        defined_in: o\n")},
		{name: "o's SQL, versioned", any: true, vars: map[string]any{"pside": "b"}, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 5 as k from {{ ref('base') }}\n"))},
		{name: "no versions", any: true, vars: map[string]any{"pside": "b"}, remove: []string{"models/_o.yml"}},
		{name: "o's SQL, not versioned", any: true, vars: map[string]any{"pside": "b"}, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 6 as k from {{ ref('base') }}\n"))},
	})
}

// TestReview43cRootYAMLOfPackageVariants: the root project's YAML is the
// only entry of a package's variants (entryNodes: all of them): its
// description, config, tests, meta edited, the entry removed and added,
// between patched edits of the enabled package variant.
func TestReview43cRootYAMLOfPackageVariants(t *testing.T) {
	pa := func(sql string) map[string]string {
		return withFiles(nil, "dbt_packages/pk/models/a/pm.sql", r43cVariant("a", sql))
	}
	y := func(entry string) map[string]string {
		return withFiles(nil, "models/_root.yml", "version: 2\nmodels:\n  - name: pm\n"+entry)
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil,
			"mart.yml", r43cProj,
			"models/base.sql", "select 1 as id\n",
			"models/reads_pm.sql", "select * from {{ ref('pm') }}\n",
			"models/_root.yml", "version: 2\nmodels:\n  - name: pm\n    description: root's pm\n",
			"dbt_packages/pk/dbt_project.yml", r43cPkg,
			"dbt_packages/pk/models/pbase.sql", "select 1 as id\n",
			"dbt_packages/pk/models/a/pm.sql", r43cVariant("a", "select id from {{ ref('pbase') }}\n"),
			"dbt_packages/pk/models/b/pm.sql", r43cVariant("b", "select id, 'b' as v from {{ ref('pbase') }}\n"))},
		{name: "its SQL", patched: true, files: pa("select id, 1 as k from {{ ref('pbase') }}\n")},
		{name: "the description", any: true, files: y("    description: root's pm, again\n")},
		{name: "a column", any: true, files: y("    description: root's pm, again\n    columns:\n      - name: id\n        description: the id\n")},
		{name: "a test", any: true, files: y("    description: root's pm, again\n    columns:\n      - name: id\n        description: the id\n        data_tests: [not_null]\n")},
		{name: "its SQL, tested", any: true, files: pa("select id, 2 as k from {{ ref('pbase') }}\n")},
		{name: "config: tags", any: true, files: y("    description: root's pm, again\n    config:\n      tags: [rt]\n")},
		{name: "config: materialized", any: true, files: y("    description: root's pm, again\n    config:\n      tags: [rt]\n      materialized: table\n")},
		{name: "its SQL, configured", any: true, files: pa("select id, 3 as k from {{ ref('pbase') }}\n")},
		{name: "config: alias", any: true, files: y("    description: root's pm, again\n    config:\n      alias: pm_root\n")},
		{name: "config: enabled false (config() wins)", any: true, files: y("    description: root's pm, again\n    config:\n      enabled: false\n")},
		{name: "meta", any: true, files: y("    description: root's pm, again\n    meta:\n      owner: r\n")},
		{name: "docs", any: true, files: y("    description: root's pm, again\n    docs:\n      show: false\n")},
		{name: "the entry removed", any: true, files: withFiles(nil, "models/_root.yml", "version: 2\nmodels: []\n")},
		{name: "its SQL, no entry", any: true, files: pa("select id, 4 as k from {{ ref('pbase') }}\n")},
		{name: "the entry added with config", any: true, files: y("    config:\n      tags: [back]\n")},
		{name: "its SQL, entry back", any: true, files: pa("select id, 5 as k from {{ ref('pbase') }}\n")},
	})
}

// TestReview43cVariantToggledAlone: nothing reads the name; the enabled
// variant is disabled by what only it reads (a macro, a var, an env var),
// so the cold compile has the name disabled everywhere.
func TestReview43cVariantToggledAlone(t *testing.T) {
	a := func(sql string) map[string]string { return withFiles(nil, "models/a/o.sql", sql) }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(r43cBase(
			"macros/on.sql", "{% macro a_on() %}{{ return(true) }}{% endmacro %}\n",
			"models/a/o.sql", "{{ config(enabled=a_on()) }}\nselect id from {{ ref('base') }}\n",
			"models/b/o.sql", "{{ config(enabled=false) }}\nselect 2 as id\n"), "models/reads_o.sql", "select 1 as x\n")},
		{name: "its SQL", patched: true, files: a("{{ config(enabled=a_on()) }}\nselect id, 1 as k from {{ ref('base') }}\n")},
		{name: "its macro disables it", patched: false, files: withFiles(nil, "macros/on.sql", "{% macro a_on() %}{{ return(false) }}{% endmacro %}\n")},
		{name: "its macro enables it", any: true, files: withFiles(nil, "macros/on.sql", "{% macro a_on() %}{{ return(true) }}{% endmacro %}\n")},
		{name: "its SQL: a var", patched: true, files: a("{{ config(enabled=a_on() and var('a_on', true)) }}\nselect id, 2 as k from {{ ref('base') }}\n")},
		{name: "the var disables it", patched: false, vars: map[string]any{"a_on": false}},
		{name: "the var enables it", any: true, vars: map[string]any{"a_on": true}},
		{name: "its SQL: an env var", patched: true, vars: map[string]any{"a_on": true}, files: a("{{ config(enabled=env_var('R43C_A_ON', 'y') == 'y') }}\nselect id, 3 as k from {{ ref('base') }}\n")},
		{name: "the env var disables it", patched: false, vars: map[string]any{"a_on": true}, env: map[string]string{"R43C_A_ON": "n"}},
		{name: "the env var enables it", any: true, vars: map[string]any{"a_on": true}, env: map[string]string{"R43C_A_ON": "y"}},
		{name: "its SQL disables it", patched: false, vars: map[string]any{"a_on": true}, files: a("{{ config(enabled=false) }}\nselect id, 4 as k from {{ ref('base') }}\n")},
		{name: "its SQL enables it", any: true, vars: map[string]any{"a_on": true}, files: a("select id, 5 as k from {{ ref('base') }}\n")},
	})
}

// TestReview43cVariantNamingMacros: generate_schema_name and
// generate_alias_name that read the node's folder (fqn) and path: each
// variant its own relation.
func TestReview43cVariantNamingMacros(t *testing.T) {
	naming := func(suffix string) string {
		return "{% macro generate_schema_name(custom, node) %}{% if node.fqn | length > 2 %}s_{{ node.fqn[1] }}" + suffix + "{% else %}{{ target.schema }}{% endif %}{% endmacro %}\n" +
			"{% macro generate_alias_name(custom, node) %}{{ node.name }}_{{ node.original_file_path | length }}{% endmacro %}\n"
	}
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase("macros/naming.sql", naming(""))},
		{name: "its SQL", any: true, files: a("select id, 1 as k from {{ ref('base') }}\n")},
		{name: "its SQL again", any: true, files: a("select id, 2 as k, '{{ this }}' as t from {{ ref('base') }}\n")},
		{name: "the naming macro", any: true, files: withFiles(nil, "macros/naming.sql", naming("_x"))},
		{name: "its SQL after", any: true, files: a("select id, 3 as k, '{{ this }}' as t from {{ ref('base') }}\n")},
		{name: "side b", any: true, vars: map[string]any{"side": "b"}},
		{name: "side b: b's SQL", any: true, vars: map[string]any{"side": "b"}, files: withFiles(nil, "models/b/o.sql", r43cVariant("b", "select id, 'bb' as v, '{{ this }}' as t from {{ ref('base') }}\n"))},
	})
}

// TestReview43cVariantColumnsAndOverrides: column-level meta, tags,
// quote, config of the variants' entry; a unit test whose overrides set
// the var that picks the variant.
func TestReview43cVariantColumnsAndOverrides(t *testing.T) {
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	y := func(col string) map[string]string {
		return withFiles(nil, "models/_props.yml", r43cProps("    description: the o\n    columns:\n      - name: id\n"+col))
	}
	ut := func(extra string) map[string]string {
		return withFiles(nil, "models/_ut.yml", "unit_tests:\n  - name: ut_o\n    model: o\n"+extra+"    given:\n      - input: ref('base')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n        - {id: 1}\n")
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase("models/_props.yml", r43cProps("    description: the o\n    columns:\n      - name: id\n        description: i\n"))},
		{name: "column meta", any: true, files: y("        description: i\n        meta:\n          pii: true\n")},
		{name: "column tags", any: true, files: y("        description: i\n        tags: [ct]\n")},
		{name: "column quote", any: true, files: y("        description: i\n        quote: true\n")},
		{name: "column config", any: true, files: y("        description: i\n        config:\n          meta:\n            pii: false\n")},
		{name: "a test with config tags", any: true, files: y("        description: i\n        data_tests:\n          - not_null:\n              config:\n                tags: [tt]\n                where: id > 0\n")},
		{name: "its SQL", patched: true, files: a("select id, 1 as k from {{ ref('base') }}\n")},
		{name: "the test's where", any: true, files: y("        description: i\n        data_tests:\n          - not_null:\n              config:\n                tags: [tt]\n                where: id > 1\n")},
		{name: "a unit test with var overrides", any: true, files: ut("    overrides:\n      vars:\n        side: b\n")},
		{name: "its SQL, unit tested with overrides", any: true, files: a("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "the overrides edited", any: true, files: ut("    overrides:\n      vars:\n        side: a\n        x: 1\n")},
		{name: "its SQL reads x", any: true, files: a("select id, {{ var('x', 0) }} as k from {{ ref('base') }}\n")},
		{name: "x overridden again", any: true, files: ut("    overrides:\n      vars:\n        side: a\n        x: 2\n")},
		{name: "--vars x", any: true, vars: map[string]any{"x": 3}},
	})
}

// TestReview43cAddedBeside: files added in the same save as the enabled
// variant's edit, or after: a model reading it, a singular test, an
// analysis of its name, an ephemeral model it reads.
func TestReview43cAddedBeside(t *testing.T) {
	a := func(sql string, kv ...string) map[string]string {
		return withFiles(nil, append([]string{"models/a/o.sql", r43cVariant("a", sql)}, kv...)...)
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase()},
		{name: "its SQL and a new reader", any: true, files: a("select id, 1 as k from {{ ref('base') }}\n", "models/new_reader.sql", "select k from {{ ref('o') }}\n")},
		{name: "a singular test of it", any: true, files: withFiles(nil, "tests/o_pos.sql", "select * from {{ ref('o') }} where id < 0\n")},
		{name: "an analysis named o", any: true, files: withFiles(nil, "analyses/o.sql", "select * from {{ ref('o') }}\n")},
		{name: "its SQL after the analysis", any: true, files: a("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "the analysis edited", any: true, files: withFiles(nil, "analyses/o.sql", "select k from {{ ref('o') }}\n")},
		{name: "its SQL and a new ephemeral model it reads", any: true, files: a("select id, k2 as k from {{ ref('new_eph') }}\n", "models/new_eph.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id, 3 as k2\n")},
		{name: "the new ephemeral model edited", any: true, files: withFiles(nil, "models/new_eph.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id, 4 as k2\n")},
		{name: "its SQL and a new model of the disabled variant's folder", any: true, files: a("select id, k2 as k from {{ ref('new_eph') }} where id > 0\n", "models/b/nb.sql", "select * from {{ ref('o') }}\n")},
		{name: "a new model of its folder", any: true, files: withFiles(nil, "models/a/na.sql", "select * from {{ ref('o') }}\n")},
		{name: "a new model it reads, in its folder", any: true, files: a("select id, 1 as k from {{ ref('na2') }}\n", "models/a/na2.sql", "select 1 as id\n")},
		{name: "the disabled variant's folder's model removed", any: true, remove: []string{"models/b/nb.sql"}},
		{name: "its SQL at the end", patched: true, files: a("select id, 2 as k from {{ ref('na2') }}\n")},
	})
}

// TestReview43cVariantAccess: the enabled variant's config() sets its
// group and access: private, read from outside the group (the cold
// compile's error); an exposure of it.
func TestReview43cVariantAccess(t *testing.T) {
	a := func(conf, sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, sql))
	}
	body := "select id from {{ ref('base') }}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase("models/_groups.yml", "version: 2\ngroups:\n  - name: g\n    owner:\n      name: me\n  - name: h\n    owner:\n      name: you\n")},
		{name: "a group", any: true, files: a("group='g'", body)},
		{name: "private, read from outside its group", any: true, files: a("group='g', access='private'", body)},
		{name: "its reader in its group", any: true, files: withFiles(a("group='g', access='private'", body), "models/reads_o.sql", "{{ config(group='g') }}\nselect * from {{ ref('o') }}\n")},
		{name: "its SQL, private", any: true, files: a("group='g', access='private'", "select id, 1 as k from {{ ref('base') }}\n")},
		{name: "its group h", any: true, files: a("group='h', access='private'", "select id, 1 as k from {{ ref('base') }}\n")},
		{name: "protected in h", any: true, files: a("group='h', access='protected'", "select id, 1 as k from {{ ref('base') }}\n")},
		{name: "private again, in g", any: true, files: a("group='g', access='private'", "select id, 2 as k from {{ ref('base') }}\n")},
		{name: "an exposure of it", any: true, files: withFiles(nil, "models/_exp.yml", "version: 2\nexposures:\n  - name: dash\n    type: dashboard\n    owner:\n      name: me\n    depends_on:\n      - ref('o')\n")},
		{name: "its SQL, exposed", any: true, files: a("group='g', access='private'", "select id, 3 as k from {{ ref('base') }}\n")},
		{name: "a new model outside the group reads it", any: true, files: withFiles(nil, "models/outsider.sql", "select * from {{ ref('o') }}\n")},
	})
}

// TestReview43cTouched: a variant's file written again with the same
// bytes (an editor's save), alone and with the other's edit.
func TestReview43cTouched(t *testing.T) {
	b := r43cVariant("b", "select id, 'b' as v from {{ ref('base') }}\n")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase()},
		{name: "the disabled one saved unchanged", any: true, files: withFiles(nil, "models/b/o.sql", b)},
		{name: "its SQL, the disabled one saved unchanged", patched: true, files: withFiles(nil, "models/b/o.sql", b, "models/a/o.sql", r43cVariant("a", "select id, 1 as k from {{ ref('base') }}\n"))},
		{name: "it saved unchanged", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 1 as k from {{ ref('base') }}\n"))},
		{name: "its SQL with CRLF", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id,\r\n 2 as k from {{ ref('base') }}\r\n"))},
		{name: "its SQL with a BOM", any: true, files: withFiles(nil, "models/a/o.sql", "\ufeff"+r43cVariant("a", "select id, 3 as k from {{ ref('base') }}\n"))},
		{name: "its SQL, a Jinja comment only", any: true, files: withFiles(nil, "models/a/o.sql", "\ufeff"+r43cVariant("a", "select id, 3 as k from {{ ref('base') }}\n{# note #}\n"))},
	})
}

// TestReview43cRandomSequences: seeded random sequences of edits of a
// project of variants (the enabled one's SQL in many forms, the disabled
// one's, the macro each calls, the YAML entry, the var that picks the
// variant, a reader, an ephemeral model), each compile compared with a
// cold one.
func TestReview43cRandomSequences(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewSource(seed))
			sqls := []string{
				"select id from {{ ref('base') }}",
				"select id, {{ ma('id') }} as m from {{ ref('base') }}",
				"select id, {{ var('x', 0) }} as x from {{ ref('base') }}",
				"select * from {{ ref('eph') }}",
				"select id from {{ ref('base') }} join {{ ref('other') }} using (id)",
				"select '{{ this }}' as t, id from {{ ref('base') }}",
				"select '{{ env_var('R43C_R', 'r') }}' as e, id from {{ ref('base') }}",
			}
			confs := []string{"", "materialized='table'", "tags=['t']", "meta={'k': 1}", "post_hook='select 1'", "materialized='incremental'", "alias='o_al'", "schema='sx'"}
			variant := func(v string) string {
				c := confs[r.Intn(len(confs))]
				if c != "" {
					c = ", " + c
				}
				return "{{ config(enabled=var('side', 'a') == '" + v + "'" + c + ") }}\n" + sqls[r.Intn(len(sqls))] + "\n-- " + fmt.Sprint(r.Intn(1000)) + "\n"
			}
			side := "a"
			x := 0
			env := "r"
			steps := []patchStep{{name: "cold", files: r43cBase(
				"macros/m.sql", "{% macro ma(c) %}{{ c }} + 1{% endmacro %}\n{% macro mb(c) %}{{ c }} + 2{% endmacro %}\n",
				"models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id\n",
				"models/b/o.sql", "{{ config(enabled=var('side', 'a') == 'b') }}\nselect id, {{ mb('id') }} as m from {{ ref('base') }}\n",
				"models/_props.yml", r43cProps("    description: d0\n"))}}
			for i := 0; i < 24; i++ {
				s := patchStep{name: fmt.Sprint(i), any: true}
				switch k := r.Intn(10); {
				case k < 4:
					s.name += ": the enabled variant"
					s.files = withFiles(nil, "models/"+side+"/o.sql", variant(side))
				case k == 4:
					other := map[string]string{"a": "b", "b": "a"}[side]
					s.name += ": the disabled variant"
					s.files = withFiles(nil, "models/"+other+"/o.sql", variant(other))
				case k == 5:
					s.name += ": the macros"
					s.files = withFiles(nil, "macros/m.sql", fmt.Sprintf("{%% macro ma(c) %%}{{ c }} + %d{%% endmacro %%}\n{%% macro mb(c) %%}{{ c }} + %d{%% endmacro %%}\n", r.Intn(9), r.Intn(9)))
				case k == 6:
					s.name += ": the description"
					s.files = withFiles(nil, "models/_props.yml", r43cProps(fmt.Sprintf("    description: d%d\n", r.Intn(1000))))
				case k == 7:
					s.name += ": the side swapped"
					side = map[string]string{"a": "b", "b": "a"}[side]
				case k == 8:
					s.name += ": var x, env"
					x = r.Intn(3)
					env = fmt.Sprint("r", r.Intn(3))
				default:
					s.name += ": the ephemeral model and the reader"
					s.files = withFiles(nil, "models/eph.sql", fmt.Sprintf("{{ config(materialized='ephemeral') }}\nselect %d as id\n", r.Intn(9)),
						"models/reads_o.sql", fmt.Sprintf("select *, %d as r from {{ ref('o') }}\n", r.Intn(9)))
				}
				s.vars = map[string]any{"side": side, "x": x}
				s.env = map[string]string{"R43C_R": env}
				steps = append(steps, s)
			}
			runPatchSteps(t, steps)
		})
	}
}

// TestReview43cVariantTemplatedYAML: the variants' entry renders Jinja
// (a var, the target, env_var) in its description and a test's
// argument; the var changed by --vars.
func TestReview43cVariantTemplatedYAML(t *testing.T) {
	y := func(d string) map[string]string {
		return withFiles(nil, "models/_props.yml", r43cProps("    description: \""+d+"\"\n    columns:\n      - name: id\n        description: \"id {{ var('y', 0) }}\"\n        data_tests:\n          - accepted_values:\n              values: [\"{{ var('y', 0) }}\", 1]\n"))
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(r43cBase(), "models/_props.yml", y("x is {{ var('x', 0) }}")["models/_props.yml"])},
		{name: "--vars x", any: true, vars: map[string]any{"x": 1}},
		{name: "its SQL", any: true, vars: map[string]any{"x": 1}, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 1 as k from {{ ref('base') }}\n"))},
		{name: "--vars y", any: true, vars: map[string]any{"x": 1, "y": 2}},
		{name: "the description reads the target", any: true, vars: map[string]any{"x": 1, "y": 2}, files: y("on {{ target.name }} {{ env_var('R43C_D', 'd') }}")},
		{name: "the env var", any: true, vars: map[string]any{"x": 1, "y": 2}, env: map[string]string{"R43C_D": "e"}},
		{name: "its SQL again", any: true, vars: map[string]any{"x": 1, "y": 2}, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", "select id, 2 as k from {{ ref('base') }}\n"))},
	})
}

// TestReview43cVariantsByFolderConfig: the variants have no config() of
// enabled: the project file's folder config disables the legacy one.
// The folder config edited (enabling it, the duplicate-name error;
// disabling the other), between patched edits of the enabled one.
func TestReview43cVariantsByFolderConfig(t *testing.T) {
	proj := func(folders string) map[string]string {
		return withFiles(nil, "mart.yml", r43cProj+"models:\n  rc:\n"+folders)
	}
	a := func(sql string) map[string]string { return withFiles(nil, "models/a/o.sql", sql) }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(r43cBase(
			"models/a/o.sql", "select id from {{ ref('base') }}\n",
			"models/legacy/o.sql", "select 9 as id\n"), "mart.yml", r43cProj+"models:\n  rc:\n    legacy:\n      +enabled: false\n")},
		{name: "its SQL", patched: true, files: a("select id, 1 as k from {{ ref('base') }}\n")},
		{name: "the legacy folder's tags", any: true, files: proj("    legacy:\n      +enabled: false\n      +tags: [old]\n")},
		{name: "its SQL after", patched: true, files: a("select id, 2 as k from {{ ref('base') }}\n")},
		{name: "the legacy folder enabled", coldFails: true, files: proj("    legacy:\n      +enabled: true\n")},
		{name: "the legacy folder enabled, a disabled", any: true, files: proj("    legacy:\n      +enabled: true\n    a:\n      +enabled: false\n")},
		{name: "legacy's SQL", any: true, files: withFiles(nil, "models/legacy/o.sql", "select 10 as id\n")},
		{name: "a's SQL, disabled", any: true, files: a("select id, 3 as k from {{ ref('base') }}\n")},
		{name: "everything but base disabled by the models folder", any: true, files: proj("    +enabled: false\n    base:\n      +enabled: true\n")},
		{name: "a enabled again", any: true, files: proj("    legacy:\n      +enabled: false\n")},
		{name: "its SQL at last", patched: true, files: a("select id, 4 as k from {{ ref('base') }}\n")},
		{name: "the legacy variant's YAML config enables it", coldFails: true, files: withFiles(nil, "models/legacy/_l.yml", "version: 2\nmodels:\n  - name: o\n    config:\n      enabled: true\n")},
		{name: "its YAML config disables every variant", coldFails: true, files: withFiles(nil, "models/legacy/_l.yml", "version: 2\nmodels:\n  - name: o\n    config:\n      enabled: false\n")},
	})
}

// TestReview43cVariantScopedVars: the var that picks the variant and one
// the enabled variant reads, set in the project file's vars (global and
// scoped to the project) and by --vars.
func TestReview43cVariantScopedVars(t *testing.T) {
	proj := func(vars string) map[string]string { return withFiles(nil, "mart.yml", r43cProj+"vars:\n"+vars) }
	a := func(sql string) map[string]string {
		return withFiles(nil, "models/a/o.sql", r43cVariant("a", sql))
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(r43cBase(), "mart.yml", r43cProj+"vars:\n  w: 1\n")},
		{name: "it reads w", patched: true, files: a("select id, {{ var('w') }} as w from {{ ref('base') }}\n")},
		{name: "w in the project file", any: true, files: proj("  w: 2\n")},
		{name: "w scoped to the project", any: true, files: proj("  w: 2\n  rc:\n    w: 3\n")},
		{name: "its SQL", patched: true, files: a("select id, {{ var('w') }} + 1 as w from {{ ref('base') }}\n")},
		{name: "--vars w", any: true, vars: map[string]any{"w": 4}},
		{name: "--vars w edited (whole: the whole compile's state of it read w)", any: true, vars: map[string]any{"w": 5}},
		{name: "side scoped to the project: b", any: true, vars: map[string]any{"w": 5}, files: proj("  w: 2\n  rc:\n    w: 3\n    side: b\n")},
		{name: "b's SQL", patched: true, vars: map[string]any{"w": 5}, files: withFiles(nil, "models/b/o.sql", r43cVariant("b", "select id, {{ var('w') }} as w, 'b' as v from {{ ref('base') }}\n"))},
		{name: "--vars w, b", any: true, vars: map[string]any{"w": 6}},
		{name: "--vars side a overrides", any: true, vars: map[string]any{"w": 6, "side": "a"}},
		{name: "a's SQL", patched: true, vars: map[string]any{"w": 6, "side": "a"}, files: a("select id, {{ var('w') }} + 2 as w from {{ ref('base') }}\n")},
	})
}

// TestReview43cVariantReadAtWholeCompile: a macro and a var the enabled
// variant alone read at the whole compile, then changed. The commit says
// they are patched (patchableVariant: "a macro or var only it reads
// changed"); the enabled variant's whole-compile state stays in
// variantStates, so they compile whole (allowed: slower, not wrong). What
// it came to read by a patch is patched.
func TestReview43cVariantReadAtWholeCompile(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase(
			"macros/m.sql", "{% macro am(c) %}{{ c }} + 1{% endmacro %}\n{% macro am2(c) %}{{ c }} + 1{% endmacro %}\n",
			"models/a/o.sql", r43cVariant("a", "select id, {{ am('id') }} as m, {{ var('w', 0) }} as w from {{ ref('base') }}\n"))},
		{name: "the macro only it calls, read at the whole compile", any: true, files: withFiles(nil,
			"macros/m.sql", "{% macro am(c) %}{{ c }} + 2{% endmacro %}\n{% macro am2(c) %}{{ c }} + 1{% endmacro %}\n")},
		{name: "the var only it reads, read at the whole compile", any: true, vars: map[string]any{"w": 1}},
		{name: "it calls am2", patched: true, vars: map[string]any{"w": 1}, files: withFiles(nil,
			"models/a/o.sql", r43cVariant("a", "select id, {{ am2('id') }} as m, {{ var('w', 0) }} as w from {{ ref('base') }}\n"))},
		{name: "am2, which it came to call by a patch", patched: true, vars: map[string]any{"w": 1}, files: withFiles(nil,
			"macros/m.sql", "{% macro am(c) %}{{ c }} + 2{% endmacro %}\n{% macro am2(c) %}{{ c }} + 3{% endmacro %}\n")},
	})
}

// TestReview43cNewReaderOfAliasedVariant: the enabled variant's config()
// sets its alias and schema (the cold compile sets a variant's relation
// from its first render before the others render: renderShared); a model
// added by a patch reads its relation's parts while it renders
// (earlyNode: the relation the capture kept), before and after patched
// edits of the variant.
func TestReview43cNewReaderOfAliasedVariant(t *testing.T) {
	conf := "alias='o_al', schema='s_al'"
	reader := func(k string) string {
		return "select '{{ ref('o').identifier }}' as i, '{{ ref('o').schema }}' as s, '{{ ref('o') }}' as r, " + k + " as k from {{ ref('o') }}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43cBase("models/a/o.sql", r43cVariantC("a", conf, "select id from {{ ref('base') }}\n"))},
		{name: "a new reader", any: true, files: withFiles(nil, "models/new1.sql", reader("1"))},
		{name: "its SQL", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, "select id, 1 as k from {{ ref('base') }}\n"))},
		{name: "another new reader after its patch", any: true, files: withFiles(nil, "models/new2.sql", reader("2"))},
		{name: "the first reader edited", any: true, files: withFiles(nil, "models/new1.sql", reader("3"))},
		{name: "its SQL again", patched: true, files: withFiles(nil, "models/a/o.sql", r43cVariantC("a", conf, "select id, 2 as k from {{ ref('base') }}\n"))},
		{name: "the second reader edited", any: true, files: withFiles(nil, "models/new2.sql", reader("4"))},
		{name: "a new reader and its SQL in one save", any: true, files: withFiles(nil, "models/new3.sql", reader("5"),
			"models/a/o.sql", r43cVariantC("a", conf, "select id, 3 as k from {{ ref('base') }}\n"))},
	})
}

// TestReview43cNewReaderOfVariantsAliasedApart: each variant its own
// alias (the disabled one's renders too, in parallel, either sort
// order); a model added by a patch reads the name's relation while it
// renders: the enabled variant's.
func TestReview43cNewReaderOfVariantsAliasedApart(t *testing.T) {
	for _, dirs := range [][2]string{{"a", "z"}, {"z", "a"}} {
		t.Run("enabled in "+dirs[0], func(t *testing.T) {
			on, off := "models/"+dirs[0]+"/o.sql", "models/"+dirs[1]+"/o.sql"
			reader := func(k string) string {
				return "select '{{ ref('o').identifier }}' as i, '{{ ref('o') }}' as r, " + k + " as k from {{ ref('o') }}\n"
			}
			steps := []patchStep{{name: "cold", files: withFiles(nil,
				"mart.yml", r43cProj,
				"models/base.sql", "select 1 as id\n",
				on, r43cVariantC("a", "alias='o_on'", "select id from {{ ref('base') }}\n"),
				off, r43cVariantC("b", "alias='o_off'", "select id from {{ ref('base') }}\n"))}}
			for i := 1; i <= 6; i++ {
				steps = append(steps,
					patchStep{name: fmt.Sprint("a new reader ", i), any: true, files: withFiles(nil, fmt.Sprintf("models/r%d.sql", i), reader(fmt.Sprint(i)))},
					patchStep{name: fmt.Sprint("the enabled variant's SQL ", i), any: true, files: withFiles(nil, on, r43cVariantC("a", "alias='o_on'", fmt.Sprintf("select id, %d as k from {{ ref('base') }}\n", i)))})
			}
			runPatchSteps(t, steps)
		})
	}
}

// TestReview43cNewReaderOfEphemeralVariants: ephemeral variants (EphPre:
// their capture is the enabled one's now); models added by a patch read
// them, and a table variant reads them.
func TestReview43cNewReaderOfEphemeralVariants(t *testing.T) {
	for _, dirs := range [][2]string{{"a", "z"}, {"z", "a"}} {
		t.Run("enabled in "+dirs[0], func(t *testing.T) {
			on, off := "models/"+dirs[0]+"/e.sql", "models/"+dirs[1]+"/e.sql"
			ev := func(v, sql string) string {
				return "{{ config(materialized='ephemeral', enabled=var('side', 'a') == '" + v + "') }}\n" + sql
			}
			steps := []patchStep{{name: "cold", files: r43cBase(
				on, ev("a", "select 1 as id, 'on' as w\n"),
				off, ev("b", "select 2 as id, 'off' as w\n"))}}
			for i := 1; i <= 4; i++ {
				steps = append(steps,
					patchStep{name: fmt.Sprint("a new reader of e ", i), any: true, files: withFiles(nil, fmt.Sprintf("models/re%d.sql", i), fmt.Sprintf("select w, %d as k, '{{ ref('e') }}' as r from {{ ref('e') }}\n", i))},
					patchStep{name: fmt.Sprint("the enabled o reads e ", i), any: true, files: withFiles(nil, "models/a/o.sql", r43cVariant("a", fmt.Sprintf("select id, w, %d as k from {{ ref('e') }}\n", i)))})
			}
			runPatchSteps(t, steps)
		})
	}
}

// TestReview43cPackageVariantMacros: the package's variants call a
// package macro that the root project defines too (a package's node
// calls its own package's first), and the package's scoped var picks the
// variant.
func TestReview43cPackageVariantMacros(t *testing.T) {
	pv := func(v, sql string) string {
		return "{{ config(enabled=var('pside', 'a') == '" + v + "') }}\n" + sql
	}
	pa := func(sql string) map[string]string {
		return withFiles(nil, "dbt_packages/pk/models/a/pm.sql", pv("a", sql))
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil,
			"mart.yml", r43cProj,
			"models/reads_pm.sql", "select * from {{ ref('pm') }}\n",
			"macros/root.sql", "{% macro pk_m(c) %}{{ c }} * 100{% endmacro %}\n",
			"dbt_packages/pk/dbt_project.yml", r43cPkg,
			"dbt_packages/pk/macros/pm.sql", "{% macro pk_m(c) %}{{ c }} * 2{% endmacro %}\n{% macro pk_n(c) %}{{ c }} * 3{% endmacro %}\n",
			"dbt_packages/pk/models/a/pm.sql", pv("a", "select {{ pk_m('1') }} as id\n"),
			"dbt_packages/pk/models/b/pm.sql", pv("b", "select {{ pk_n('1') }} as id\n"))},
		{name: "its SQL", any: true, files: pa("select {{ pk_m('1') }} as id, 1 as k\n")},
		{name: "the root's macro of the name", any: true, files: withFiles(nil, "macros/root.sql", "{% macro pk_m(c) %}{{ c }} * 1000{% endmacro %}\n")},
		{name: "it calls the root's by the root's name", any: true, files: pa("select {{ rc.pk_m('1') }} as id, 2 as k\n")},
		{name: "the root's macro again", any: true, files: withFiles(nil, "macros/root.sql", "{% macro pk_m(c) %}{{ c }} * 10000{% endmacro %}\n")},
		{name: "the root's var scoped to the package: b", any: true, files: withFiles(nil, "mart.yml", r43cProj+"vars:\n  pk:\n    pside: b\n")},
		{name: "b's SQL", any: true, files: withFiles(nil, "dbt_packages/pk/models/b/pm.sql", pv("b", "select {{ pk_n('1') }} as id, 3 as k\n"))},
		{name: "the package's own var default a, the root's b", any: true, files: withFiles(nil, "dbt_packages/pk/dbt_project.yml", r43cPkg+"vars:\n  pside: a\n")},
		{name: "the root's scoped var removed: the package's a", any: true, files: withFiles(nil, "mart.yml", r43cProj)},
		{name: "a's SQL", any: true, files: pa("select {{ pk_m('1') }} as id, 4 as k\n")},
	})
}
