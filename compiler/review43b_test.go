package compiler

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// Review 43b of f02917a: a macro that a node which is not patchable, or a
// naming macro, calls is blocked on its own (macroUse.Blocked, set in
// macroFiles; checked in compileByPatch's `if macroEdited` part and by
// macroFile.blocked for a removed file), not its whole file. Run through
// warm compiles compared with cold ones (runPatchSteps). Each test has a
// node that is not patchable (a block of a snapshot file of several, a
// variant of a shared name, a naming macro, a generic or singular test, a
// disabled node) that may depend on an edit of a macro file which leaves
// the macros that node called as they were (same text, same line).
//
// Status at the time of the review: every test here PASSES; none fails.
// Since session 44 the blocks of a snapshot file of several are patchable
// (patchblocks.go): the steps whose macro only such a block calls are
// patched now.
// No case was found where warm != cold. The per-macro block holds
// because a render records every macro it called, directly or not
// (jinja Result.Macros: through other files, dispatch, caller(), macros
// passed as values or through set), what lookups missed (Misses: dispatch
// implementations, is defined, a package's own name before the root's)
// and what they found without calling (Found). A macro's checksum
// (learnMacros) covers its lines up to the next macro of its file.
//
// What is covered, and passes:
//   - FileLevelSet: a top-level {% set %} above a file's first macro is
//     in no macro's checksum, but macros cannot see it, so it changes
//     nothing.
//   - DuplicateInFile / DuplicateAcrossFiles: defining a macro twice is a
//     cold error, and the patch refuses it too.
//   - MacroAsValue / MacroValuePrinted / IsDefined / CallerBlock: macros
//     passed as arguments or set to a variable, printed, tested with
//     `is defined`, or called through {% call %}/caller().
//   - DispatchAdded / ShadowPackage / ShadowBuiltin / PackageFallsBackToRoot:
//     an adapter implementation added; a root override through dispatch
//     search_order (added, edited, removed); root macros named like a
//     package's or a builtin; a package macro that uses a root macro until
//     the package defines one of its own.
//   - NamingBranch / NamingFolderBranch / NamingConfigBranch /
//     NamingNewFile / NamingChain / NamingOverrideAdded / PackageNaming: a
//     naming macro that calls helpers only for a custom schema, a folder or
//     a materialization (watchNaming blocks the whole file once a patch
//     reaches one); a chain of helpers across three files; default__ and
//     adapter implementations of naming macros added; a package's naming
//     macro.
//   - GenericTestHelper / GenericTestTransitive / GenericTestArgs /
//     TestsFileBesideBlocked / PackageTestOverride: generic tests remade
//     through helpers, transitive and package macros; definitions in
//     tests/generic; a root override of a test that a package's test uses.
//   - SingularTest / DisabledNodesConfigMacro / PackageDisabledModel /
//     VariantChain: singular tests, and disabled tests, snapshots,
//     analyses and models whose configs call macros; a package's disabled
//     model; a variant that calls a macro through another file's macro.
//   - InputSwitchesMacro: an env var, a var or --target switches which
//     macro a snapshot block calls (a var of a computed name keeps no
//     snapshot).
//   - Hooks / YAMLJinja / UncalledMacroDeps / WarningInBlockedMacro:
//     on-run-start, string and called post_hooks, pre-hooks set in
//     mart.yml; a description that calls a macro; a macro that no render
//     calls; a warning located in a blocked macro.
//   - FileRemovedOrMoved: a file renamed with its macros at the same
//     lines, a blocked macro moved to another file.
//   - RandomMacroEdits: 10 seeds x 30 random edits (bodies, which macro
//     calls which, lines, moving a macro to another file) over macros
//     called by models, snapshot blocks, variants and generate_alias_name.
//
// Change 2 (4b3067a, `mart ls` patches target/) is covered by
// cli/testdata/script/review43b_*.txtar, which also pass.

const r43bProj = "name: rq\nversion: \"1.0.0\"\n"

// r43bSnaps is a snapshot file of two blocks (neither patchable): snap_a's
// select is a, snap_b's is b.
func r43bSnaps(a, b string) string {
	blk := func(name, body string) string {
		return "{% snapshot " + name + " %}\n{{ config(unique_key='id', strategy='check', check_cols=['v']) }}\n" + body + "\n{% endsnapshot %}\n"
	}
	return blk("snap_a", a) + blk("snap_b", b)
}

// r43bBase is a project whose snapshot file's first block selects
// snapA, with a patchable model m calling plain() from macros/h.sql.
func r43bBase(snapA string, kv ...string) map[string]string {
	return withFiles(withFiles(nil,
		"mart.yml", r43bProj,
		"models/base.sql", "select 1 as id, 'x' as v\n",
		"models/m.sql", "select {{ plain('id') }} as id from {{ ref('base') }}\n",
		"snapshots/pair.sql", r43bSnaps(snapA, "select id, v from {{ ref('base') }}")), kv...)
}

// TestReview43bFileLevelSet: a macro file's top-level {% set %}, above
// its first macro, read by the macro the snapshot block calls: the
// macro's text (its lines to the next macro) and line are unchanged.
func TestReview43bFileLevelSet(t *testing.T) {
	h := func(k string) string {
		return "{% set k = '" + k + "' %}\n{% macro wrap(c) %}{{ c }} || '{{ k }}'{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ wrap('v') }} as v from {{ ref('base') }}", "macros/h.sql", h("1"))},
		{name: "the top-level set edited", any: true, files: withFiles(nil, "macros/h.sql", h("2"))},
	})
}

// TestReview43bDuplicateInFile: a macro defined twice in one file; each
// definition edited in turn, the other as it was.
func TestReview43bDuplicateInFile(t *testing.T) {
	h := func(first, second string) string {
		return "{% macro wrap(c) %}" + first + "{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro wrap(c) %}" + second + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ wrap('v') }} as v from {{ ref('base') }}", "macros/h.sql", "{% macro wrap(c) %}1{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
		{name: "defined again below", coldFails: true, files: withFiles(nil, "macros/h.sql", h("1", "2"))},
		{name: "the first edited", coldFails: true, files: withFiles(nil, "macros/h.sql", h("3", "2"))},
		{name: "the second removed", any: true, files: withFiles(nil, "macros/h.sql", "{% macro wrap(c) %}3{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
	})
}

// TestReview43bDuplicateAcrossFiles: the blocked macro defined again in
// another file (new, or an edited one).
func TestReview43bDuplicateAcrossFiles(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ wrap('v') }} as v from {{ ref('base') }}",
			"macros/h.sql", "{% macro wrap(c) %}{{ c }}{% endmacro %}\n",
			"macros/p.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
		{name: "defined again in the models' file", coldFails: true, files: withFiles(nil,
			"macros/p.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro wrap(c) %}upper({{ c }}){% endmacro %}\n")},
		{name: "back", any: true, files: withFiles(nil, "macros/p.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
		{name: "defined again in a new file before it", coldFails: true, files: withFiles(nil,
			"macros/a.sql", "{% macro wrap(c) %}upper({{ c }}){% endmacro %}\n")},
	})
}

// TestReview43bMacroAsValue: the snapshot block passes a macro to another
// (apply(fn)), or takes one from context by name, and calls it through
// the value.
func TestReview43bMacroAsValue(t *testing.T) {
	h := func(inner string) string {
		return "{% macro apply(fn, c) %}{{ fn(c) }}{% endmacro %}\n{% macro inner(c) %}" + inner + "{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n"
	}
	for name, call := range map[string]string{
		"argument": "{{ apply(inner, 'v') }}",
		"set":      "{% set f = inner %}{{ f('v') }}",
	} {
		t.Run(name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43bBase("select id, "+call+" as v from {{ ref('base') }}", "macros/h.sql", h("{{ c }}"))},
				{name: "the model's macro edited", patched: true, files: withFiles(nil, "macros/h.sql", "{% macro apply(fn, c) %}{{ fn(c) }}{% endmacro %}\n{% macro inner(c) %}{{ c }}{% endmacro %}\n{% macro plain(c) %}({{ c }}){% endmacro %}\n")},
				{name: "the macro called through a value edited", any: true, files: withFiles(nil, "macros/h.sql", "{% macro apply(fn, c) %}{{ fn(c) }}{% endmacro %}\n{% macro inner(c) %}upper({{ c }}){% endmacro %}\n{% macro plain(c) %}({{ c }}){% endmacro %}\n")},
			})
		})
	}
}

// TestReview43bDispatchAdded: the snapshot block dispatches fmt
// (default__fmt); the edit adds the adapter's own implementation beside
// it, or a root override of a package's macro (search_order).
func TestReview43bDispatchAdded(t *testing.T) {
	h := func(extra string) string {
		return "{% macro fmt(c) %}{{ return(adapter.dispatch('fmt')(c)) }}{% endmacro %}\n{% macro default__fmt(c) %}{{ c }}{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n" + extra
	}
	t.Run("adapter", func(t *testing.T) {
		runPatchSteps(t, []patchStep{
			{name: "cold", files: r43bBase("select id, {{ fmt('v') }} as v from {{ ref('base') }}", "macros/h.sql", h(""))},
			{name: "duckdb__fmt and postgres__fmt added", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro duckdb__fmt(c) %}upper({{ c }}){% endmacro %}\n{% macro postgres__fmt(c) %}upper({{ c }}){% endmacro %}\n{% macro snowflake__fmt(c) %}upper({{ c }}){% endmacro %}\n"))},
			{name: "the adapter's edited", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro duckdb__fmt(c) %}lower({{ c }}){% endmacro %}\n{% macro postgres__fmt(c) %}lower({{ c }}){% endmacro %}\n{% macro snowflake__fmt(c) %}lower({{ c }}){% endmacro %}\n"))},
		})
	})
	t.Run("search_order", func(t *testing.T) {
		pk := "{% macro pick(c) %}{{ return(adapter.dispatch('pick', 'pk')(c)) }}{% endmacro %}\n{% macro default__pick(c) %}{{ c }}{% endmacro %}\n"
		proj := r43bProj + "dispatch:\n  - macro_namespace: pk\n    search_order: [rq, pk]\n"
		runPatchSteps(t, []patchStep{
			{name: "cold", files: r43bBase("select id, {{ pk.pick('v') }} as v from {{ ref('base') }}",
				"mart.yml", proj,
				"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
				"dbt_packages/pk/macros/pick.sql", pk,
				"macros/h.sql", h(""))},
			{name: "the root overrides it in its file", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro default__pick(c) %}upper({{ c }}){% endmacro %}\n"))},
			{name: "the override edited", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro default__pick(c) %}lower({{ c }}){% endmacro %}\n"))},
			{name: "a model's macro edited", any: true, files: withFiles(nil, "macros/h.sql", "{% macro fmt(c) %}{{ return(adapter.dispatch('fmt')(c)) }}{% endmacro %}\n{% macro default__fmt(c) %}{{ c }}{% endmacro %}\n{% macro plain(c) %}({{ c }}){% endmacro %}\n{% macro default__pick(c) %}lower({{ c }}){% endmacro %}\n")},
			{name: "the override removed", any: true, files: withFiles(nil, "macros/h.sql", "{% macro fmt(c) %}{{ return(adapter.dispatch('fmt')(c)) }}{% endmacro %}\n{% macro default__fmt(c) %}{{ c }}{% endmacro %}\n{% macro plain(c) %}({{ c }}){% endmacro %}\n")},
		})
	})
}

// TestReview43bShadowPackage: the snapshot block calls a package's macro
// unqualified or a package macro calls its package's helper; the root
// defines one of the name in the file it edits.
func TestReview43bShadowPackage(t *testing.T) {
	pk := "{% macro pwrap(c) %}p({{ phelp(c) }}){% endmacro %}\n{% macro phelp(c) %}{{ c }}{% endmacro %}\n"
	h := func(extra string) string { return "{% macro plain(c) %}{{ c }}{% endmacro %}\n" + extra }
	for name, call := range map[string]string{"qualified": "{{ pk.pwrap('v') }}"} {
		t.Run(name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", any: true, files: r43bBase("select id, "+call+" as v from {{ ref('base') }}",
					"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
					"dbt_packages/pk/macros/p.sql", pk,
					"macros/h.sql", h(""))},
				{name: "the root defines pwrap", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro pwrap(c) %}r({{ c }}){% endmacro %}\n"))},
				{name: "the root defines phelp", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro pwrap(c) %}r({{ c }}){% endmacro %}\n{% macro phelp(c) %}rh({{ c }}){% endmacro %}\n"))},
				{name: "the root's pwrap removed", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro phelp(c) %}rh({{ c }}){% endmacro %}\n"))},
				{name: "the root's phelp edited", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro phelp(c) %}rh2({{ c }}){% endmacro %}\n"))},
			})
		})
	}
}

// TestReview43bShadowBuiltin: the snapshot block calls builtin macros;
// the root defines one of their names in the file it edits.
func TestReview43bShadowBuiltin(t *testing.T) {
	h := func(extra string) string { return "{% macro plain(c) %}{{ c }}{% endmacro %}\n" + extra }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ dbt.current_timestamp() }} as t, {{ dbt.safe_cast('v', 'varchar') }} as v from {{ ref('base') }}", "macros/h.sql", h(""))},
		{name: "the root defines current_timestamp", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro current_timestamp() %}now_x(){% endmacro %}\n"))},
		{name: "the root defines safe_cast and default__safe_cast", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro current_timestamp() %}now_x(){% endmacro %}\n{% macro safe_cast(f, t) %}sc({{ f }}){% endmacro %}\n{% macro default__safe_cast(f, t) %}dsc({{ f }}){% endmacro %}\n{% macro duckdb__safe_cast(f, t) %}ddsc({{ f }}){% endmacro %}\n"))},
		{name: "the model's macro", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n{% macro current_timestamp() %}now_x(){% endmacro %}\n{% macro safe_cast(f, t) %}sc({{ f }}){% endmacro %}\n{% macro default__safe_cast(f, t) %}dsc({{ f }}){% endmacro %}\n{% macro duckdb__safe_cast(f, t) %}ddsc({{ f }}){% endmacro %}\n")},
	})
}

// TestReview43bNamingBranch: generate_schema_name calls sfx() (in the
// models' helpers file) only for a custom schema, which no node has in
// the cold compile; a model's edit gives it one (the patch's naming
// macro reaches sfx: watchNaming), then sfx, then the models' macro,
// are edited.
func TestReview43bNamingBranch(t *testing.T) {
	naming := "{% macro generate_schema_name(custom, node) %}{{ target.schema }}{% if custom %}_{{ sfx(custom) }}{% endif %}{% endmacro %}\n"
	h := func(sfx, plain string) string {
		return "{% macro sfx(c) %}" + sfx + "{% endmacro %}\n{% macro plain(c) %}" + plain + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/naming.sql", naming, "macros/h.sql", h("{{ c }}", "{{ c }}"))},
		{name: "sfx edited, no node reaches it", patched: true, files: withFiles(nil, "macros/h.sql", h("s_{{ c }}", "{{ c }}"))},
		{name: "a model gets a custom schema", any: true, files: withFiles(nil, "models/m.sql", "{{ config(schema='cu') }}\nselect {{ plain('id') }} as id from {{ ref('base') }}\n")},
		{name: "sfx edited", any: true, files: withFiles(nil, "macros/h.sql", h("t_{{ c }}", "{{ c }}"))},
		{name: "the models' macro edited", any: true, files: withFiles(nil, "macros/h.sql", h("t_{{ c }}", "({{ c }})"))},
		{name: "a new model in a custom schema", any: true, files: withFiles(nil, "models/n.sql", "{{ config(schema='nu') }}\nselect 1 as id\n")},
		{name: "sfx again", any: true, files: withFiles(nil, "macros/h.sql", h("u_{{ c }}", "({{ c }})"))},
	})
}

// TestReview43bNamingFolderBranch: generate_alias_name calls a helper
// only for models of a folder; a model added there, then the helper's
// file edited.
func TestReview43bNamingFolderBranch(t *testing.T) {
	naming := "{% macro generate_alias_name(custom, node) %}{% if custom %}{{ custom }}{% elif 'x' in node.fqn %}{{ pre() }}{{ node.name }}{% else %}{{ node.name }}{% endif %}{% endmacro %}\n"
	h := func(pre, plain string) string {
		return "{% macro plain(c) %}" + plain + "{% endmacro %}\n{% macro pre() %}" + pre + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/naming.sql", naming, "macros/h.sql", h("x_", "{{ c }}"))},
		{name: "pre edited, no node reaches it", patched: true, files: withFiles(nil, "macros/h.sql", h("y_", "{{ c }}"))},
		{name: "a model added in x", any: true, files: withFiles(nil, "models/x/xm.sql", "select 1 as id\n")},
		{name: "pre edited", any: true, files: withFiles(nil, "macros/h.sql", h("z_", "{{ c }}"))},
		{name: "the models' macro edited", any: true, files: withFiles(nil, "macros/h.sql", h("z_", "({{ c }})"))},
		{name: "a model read by x's", any: true, files: withFiles(nil, "models/x/xm.sql", "select * from {{ ref('m') }}\n")},
	})
}

// TestReview43bNamingChain: generate_schema_name calls sch() of
// another file, which calls sch_inner() of a third; the third's and the
// second's other macros edited, then sch_inner.
func TestReview43bNamingChain(t *testing.T) {
	naming := "{% macro generate_schema_name(custom, node) %}{{ sch(custom) }}{% endmacro %}\n"
	h := func(plain string) string {
		return "{% macro plain(c) %}" + plain + "{% endmacro %}\n{% macro sch(custom) %}{{ target.schema }}{{ sch_inner(custom) }}{% endmacro %}\n"
	}
	g := func(inner, other string) string {
		return "{% macro other(c) %}" + other + "{% endmacro %}\n{% macro sch_inner(custom) %}" + inner + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ other('v') }} as v from {{ ref('base') }}", "macros/naming.sql", naming, "macros/h.sql", h("{{ c }}"), "macros/g.sql", g("", "{{ c }}"))},
		{name: "the models' macro", patched: true, files: withFiles(nil, "macros/h.sql", h("({{ c }})"))},
		{name: "the snapshot's macro beside sch_inner", patched: true, files: withFiles(nil, "macros/g.sql", g("", "({{ c }})"))},
		{name: "sch_inner", patched: false, files: withFiles(nil, "macros/g.sql", g("_i", "({{ c }})"))},
	})
}

// TestReview43bPackageNaming: a package defines generate_schema_name
// (and a helper it calls) beside a macro its models call.
func TestReview43bPackageNaming(t *testing.T) {
	pk := func(sch, helper string) string {
		return "{% macro generate_schema_name(custom, node) %}" + sch + "{% endmacro %}\n{% macro pk_sfx() %}_p{% endmacro %}\n{% macro pk_plain(c) %}" + helper + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n",
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/macros/n.sql", pk("{{ target.schema }}{{ pk_sfx() }}", "{{ c }}"),
			"dbt_packages/pk/models/pm.sql", "select {{ pk_plain('1') }} as id\n")},
		{name: "the package's models' macro", any: true, files: withFiles(nil, "dbt_packages/pk/macros/n.sql", pk("{{ target.schema }}{{ pk_sfx() }}", "({{ c }})"))},
		{name: "the package's naming macro", any: true, files: withFiles(nil, "dbt_packages/pk/macros/n.sql", pk("{{ target.schema }}_q", "({{ c }})"))},
	})
}

// TestReview43bGenericTestHelper: a generic test of the project ({% test %}
// in macros/) calls a helper of another file; the helper, and a macro
// beside it, edited. Also a package's generic test.
func TestReview43bGenericTestHelper(t *testing.T) {
	tests := "{% test is_pos(model, column_name) %}select * from {{ model }} where not {{ cond(column_name) }}{% endtest %}\n"
	h := func(cond, plain string) string {
		return "{% macro plain(c) %}" + plain + "{% endmacro %}\n{% macro cond(c) %}" + cond + "{% endmacro %}\n"
	}
	yml := "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [is_pos, pk.pk_pos]\n"
	pk := func(pc string) string {
		return "{% test pk_pos(model, column_name) %}select * from {{ model }} where {{ pk_cond(column_name) }}{% endtest %}\n{% macro pk_cond(c) %}" + pc + "{% endmacro %}\n{% macro pk_other() %}1{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/tests.sql", tests, "macros/h.sql", h("{{ c }} > 0", "{{ c }}"), "models/_m.yml", yml,
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/macros/t.sql", pk("{{ c }} < 0"))},
		{name: "the helper", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} >= 0", "{{ c }}"))},
		{name: "the models' macro", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} >= 0", "({{ c }})"))},
		{name: "the package test's helper", any: true, files: withFiles(nil, "dbt_packages/pk/macros/t.sql", pk("{{ c }} <= 0"))},
		{name: "the helper moved down a line", any: true, files: withFiles(nil, "macros/h.sql", "{# h #}\n"+h("{{ c }} >= 0", "({{ c }})"))},
	})
}

// TestReview43bGenericTestArgs: macros called in a generic test's
// arguments and config in YAML (values, where), not in its SQL.
func TestReview43bGenericTestArgs(t *testing.T) {
	h := func(vals, where string) string {
		return "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro vals() %}{{ return(" + vals + ") }}{% endmacro %}\n{% macro wh() %}" + where + "{% endmacro %}\n"
	}
	yml := "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - accepted_values:\n              values: \"{{ vals() }}\"\n          - not_null:\n              config:\n                where: \"{{ wh() }}\"\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", any: true, files: r43bBase("select id, v from {{ ref('base') }}", "macros/h.sql", h("[1, 2]", "id > 0"), "models/_m.yml", yml)},
		{name: "vals", any: true, files: withFiles(nil, "macros/h.sql", h("[1, 3]", "id > 0"))},
		{name: "wh", any: true, files: withFiles(nil, "macros/h.sql", h("[1, 3]", "id > 1"))},
	})
}

// TestReview43bYAMLJinja: macros called from YAML: a source's schema, a
// model's description, a model's config in YAML.
func TestReview43bYAMLJinja(t *testing.T) {
	h := func(s string) string {
		return "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro ysch() %}" + s + "{% endmacro %}\n"
	}
	yml := "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        description: \"t {{ ysch() }}\"\nmodels:\n  - name: m\n    description: \"d {{ ysch() }}\"\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", any: true, files: r43bBase("select id, v from {{ ref('base') }}", "macros/h.sql", h("one"), "models/_m.yml", yml,
			"models/r.sql", "select * from {{ source('s', 't') }}\n")},
		{name: "ysch", any: true, files: withFiles(nil, "macros/h.sql", h("two"))},
	})
}

// TestReview43bInputSwitchesMacro: the snapshot block calls m1 or m2 as
// an env var, a var, or a var of a computed name says; the input
// switched (the block now calls m2), then m2 alone edited.
func TestReview43bInputSwitchesMacro(t *testing.T) {
	h := func(m2 string) string {
		return "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro m1(c) %}{{ c }}{% endmacro %}\n{% macro m2(c) %}" + m2 + "{% endmacro %}\n"
	}
	cases := []struct {
		name, cond string
		sw         patchStep
	}{
		{"env", "env_var('R43B_SW', 'a') == 'a'", patchStep{env: map[string]string{"R43B_SW": "b"}}},
		{"var", "var('sw', 'a') == 'a'", patchStep{vars: map[string]any{"sw": "b"}}},
		{"computed var", "var('s' ~ 'w', 'a') == 'a'", patchStep{vars: map[string]any{"sw": "b"}}},
		{"target", "target.name == 'dev'", patchStep{target: "other"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "env" {
				t.Setenv("R43B_SW", "a")
			}
			snapA := "select id, {% if " + tc.cond + " %}{{ m1('v') }}{% else %}{{ m2('v') }}{% endif %} as v from {{ ref('base') }}"
			files := r43bBase(snapA, "macros/h.sql", h("{{ c }}"))
			if tc.name == "target" {
				files["profiles.yml"] = "rq:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      schema: main\n    other:\n      type: duckdb\n      path: other.duckdb\n      schema: main\n"
			}
			sw, edit, again := tc.sw, tc.sw, tc.sw
			sw.name, sw.any = "switched", true
			edit.name, edit.any, edit.files = "m2 edited", true, withFiles(nil, "macros/h.sql", h("upper({{ c }})"))
			again.name, again.any, again.files = "m2 again, and the models' macro", true, withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n{% macro m1(c) %}{{ c }}{% endmacro %}\n{% macro m2(c) %}lower({{ c }}){% endmacro %}\n")
			runPatchSteps(t, []patchStep{
				{name: "cold", files: files},
				{name: "m2 edited before", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} || ''"))},
				sw, edit, again,
			})
		})
	}
}

// TestReview43bCallerBlock: the snapshot block calls a macro with
// {% call %}, whose body the macro renders through caller(); the
// macro's file's other macros edited, then the called one.
func TestReview43bCallerBlock(t *testing.T) {
	h := func(wrap, plain string) string {
		return "{% macro wrap(c) %}" + wrap + "{% endmacro %}\n{% macro plain(c) %}" + plain + "{% endmacro %}\n{% macro inner() %}v{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {% call wrap('x') %}{{ inner() }}{% endcall %} as v from {{ ref('base') }}", "macros/h.sql", h("{{ caller() }}", "{{ c }}"))},
		{name: "the models' macro", patched: true, files: withFiles(nil, "macros/h.sql", h("{{ caller() }}", "({{ c }})"))},
		{name: "the called one", patched: true, files: withFiles(nil, "macros/h.sql", h("upper({{ caller() }})", "({{ c }})"))},
		{name: "the one the caller body calls", patched: true, files: withFiles(nil, "macros/h.sql", "{% macro wrap(c) %}upper({{ caller() }}){% endmacro %}\n{% macro plain(c) %}({{ c }}){% endmacro %}\n{% macro inner() %}v || ''{% endmacro %}\n")},
	})
}

// TestReview43bHooks: macros called by hooks: on-run-start, a snapshot
// block's post_hook (a string and a call), a model's pre-hook set in
// mart.yml; each edited in turn beside the models' macro.
func TestReview43bHooks(t *testing.T) {
	h := func(start, ph, pc, mh string) string {
		return "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro start() %}" + start + "{% endmacro %}\n{% macro ph() %}" + ph + "{% endmacro %}\n{% macro pc() %}" + pc + "{% endmacro %}\n{% macro mh() %}" + mh + "{% endmacro %}\n"
	}
	proj := r43bProj + "on-run-start:\n  - \"{{ start() }}\"\nmodels:\n  rq:\n    +pre-hook: \"{{ mh() }}\"\n"
	snapA := "{{ config(post_hook=['{{ ph() }}', pc()]) }}\nselect id, v from {{ ref('base') }}"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase(snapA, "mart.yml", proj, "macros/h.sql", h("select 1", "select 2", "select 3", "select 4"))},
		{name: "start", any: true, files: withFiles(nil, "macros/h.sql", h("select 11", "select 2", "select 3", "select 4"))},
		{name: "the string post_hook's", any: true, files: withFiles(nil, "macros/h.sql", h("select 11", "select 22", "select 3", "select 4"))},
		{name: "the called post_hook's", patched: true, files: withFiles(nil, "macros/h.sql", h("select 11", "select 22", "select 33", "select 4"))},
		{name: "the models' pre-hook's", any: true, files: withFiles(nil, "macros/h.sql", h("select 11", "select 22", "select 33", "select 44"))},
	})
}

// TestReview43bPackageDisabledModel: a package's model the root disables
// calls a package macro beside one the package's enabled model calls.
func TestReview43bPackageDisabledModel(t *testing.T) {
	pk := func(used, off string) string {
		return "{% macro pk_used(c) %}" + used + "{% endmacro %}\n{% macro pk_off(c) %}" + off + "{% endmacro %}\n"
	}
	proj := r43bProj + "models:\n  pk:\n    pd:\n      +enabled: false\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}", "mart.yml", proj,
			"macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n",
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/macros/p.sql", pk("{{ c }}", "{{ c }}"),
			"dbt_packages/pk/models/pe.sql", "select {{ pk_used('1') }} as id\n",
			"dbt_packages/pk/models/pd.sql", "select {{ pk_off('1') }} as id\n")},
		{name: "the enabled model's", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql", pk("({{ c }})", "{{ c }}"))},
		{name: "the disabled model's", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql", pk("({{ c }})", "({{ c }})"))},
	})
}

// TestReview43bFileRemovedOrMoved: a file holding the macro a snapshot
// block calls removed with the macro moved to a new file (same text,
// same line); a blocked macro moved between existing files; a file of
// the models' macros removed while the snapshot's stays.
func TestReview43bFileRemovedOrMoved(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ wrap('v') }} as v from {{ ref('base') }}",
			"macros/h.sql", "{% macro wrap(c) %}{{ c }}{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n",
			"macros/g.sql", "{% macro other() %}1{% endmacro %}\n")},
		{name: "h.sql renamed to h2.sql", patched: true, remove: []string{"macros/h.sql"},
			files: withFiles(nil, "macros/h2.sql", "{% macro wrap(c) %}{{ c }}{% endmacro %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
		{name: "wrap moved to g.sql's first line", patched: true,
			files: withFiles(nil, "macros/h2.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n",
				"macros/g.sql", "{% macro wrap(c) %}{{ c }}{% endmacro %}\n{% macro other() %}1{% endmacro %}\n")},
		{name: "the models' macro moved to a new file, h2.sql removed", any: true, remove: []string{"macros/h2.sql"},
			files: withFiles(nil, "macros/p.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n")},
		{name: "g.sql's other removed", patched: true, files: withFiles(nil, "macros/g.sql", "{% macro wrap(c) %}{{ c }}{% endmacro %}\n")},
	})
}

// TestReview43bPackageTestOverride: a package's generic test (not
// remade by a patch: its node is the package's) on a package model, whose
// test macro the root overrides in a file beside the models' macro.
func TestReview43bPackageTestOverride(t *testing.T) {
	h := func(over, plain string) string {
		return "{% macro plain(c) %}" + plain + "{% endmacro %}\n" + over
	}
	over := func(body string) string {
		return "{% test not_null(model, column_name) %}select * from {{ model }} where " + body + "{% endtest %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/h.sql", h(over("{{ column_name }} is null"), "{{ c }}"),
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/models/pm.sql", "select 1 as id\n",
			"dbt_packages/pk/models/_pm.yml", "version: 2\nmodels:\n  - name: pm\n    columns:\n      - name: id\n        data_tests: [not_null]\n")},
		{name: "the models' macro", any: true, files: withFiles(nil, "macros/h.sql", h(over("{{ column_name }} is null"), "({{ c }})"))},
		{name: "the override", any: true, files: withFiles(nil, "macros/h.sql", h(over("{{ column_name }} is null or 1=1"), "({{ c }})"))},
		{name: "the override removed", any: true, files: withFiles(nil, "macros/h.sql", h("", "({{ c }})"))},
		{name: "the override back", any: true, files: withFiles(nil, "macros/h.sql", h(over("{{ column_name }} is null"), "({{ c }})"))},
	})
}

// TestReview43bUncalledMacroDeps: a macro no render calls calls a name
// no macro has; another file, edited, defines it (the manifest's
// macros' depends_on).
func TestReview43bUncalledMacroDeps(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/g.sql", "{% macro lonely() %}{{ later() }}{% endmacro %}\n",
			"macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
		{name: "later defined", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro later() %}1{% endmacro %}\n")},
		{name: "later removed", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
	})
}

// TestReview43bNamingNewFile: the naming macro's custom-schema branch
// calls sfx(), defined by no file in the cold compile's (no node took the
// branch); a model takes it while a new file defines sfx; then sfx edited.
func TestReview43bNamingNewFile(t *testing.T) {
	naming := "{% macro generate_schema_name(custom, node) %}{{ target.schema }}{% if custom %}_{{ sfx(custom) }}{% endif %}{% endmacro %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/naming.sql", naming, "macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n")},
		{name: "sfx added and a model's custom schema", any: true, files: withFiles(nil,
			"macros/s.sql", "{% macro sfx(c) %}{{ c }}{% endmacro %}\n{% macro s_other() %}1{% endmacro %}\n",
			"models/m.sql", "{{ config(schema='cu') }}\nselect {{ plain('id') }} as id from {{ ref('base') }}\n")},
		{name: "sfx edited", any: true, files: withFiles(nil, "macros/s.sql", "{% macro sfx(c) %}x{{ c }}{% endmacro %}\n{% macro s_other() %}1{% endmacro %}\n")},
		{name: "the other edited", any: true, files: withFiles(nil, "macros/s.sql", "{% macro sfx(c) %}x{{ c }}{% endmacro %}\n{% macro s_other() %}2{% endmacro %}\n")},
		{name: "sfx added to h.sql's first line, and a model's custom schema", any: true, files: withFiles(nil,
			"macros/s.sql", "{% macro s_other() %}2{% endmacro %}\n",
			"macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro sfx(c) %}y{{ c }}{% endmacro %}\n",
			"models/n.sql", "{{ config(schema='nu') }}\nselect 1 as id\n")},
		{name: "sfx edited in h.sql", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro sfx(c) %}z{{ c }}{% endmacro %}\n")},
	})
}

// TestReview43bIsDefined: the snapshot block asks whether a macro is
// defined; the file it edits defines it, then removes it.
func TestReview43bIsDefined(t *testing.T) {
	h := func(extra string) string { return "{% macro plain(c) %}{{ c }}{% endmacro %}\n" + extra }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {% if later is defined %}{{ later() }}{% else %}0{% endif %} as w, {% if pk is defined %}1{% else %}0{% endif %} as p from {{ ref('base') }}", "macros/h.sql", h(""))},
		{name: "later defined", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro later() %}1{% endmacro %}\n"))},
		{name: "the models' macro", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n{% macro later() %}1{% endmacro %}\n")},
		{name: "later removed", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n")},
	})
}

// TestReview43bVariantChain: the enabled variant calls vwrap (macros/v.sql)
// which calls vinner (macros/h.sql, beside the models' macro); the
// disabled variant's config calls is_b (macros/h.sql).
func TestReview43bVariantChain(t *testing.T) {
	h := func(inner, plain, isb string) string {
		return "{% macro plain(c) %}" + plain + "{% endmacro %}\n{% macro vinner(c) %}" + inner + "{% endmacro %}\n{% macro is_b() %}{{ return(" + isb + ") }}{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43bProj,
			"models/base.sql", "select 1 as id\n",
			"models/m.sql", "select {{ plain('id') }} as id from {{ ref('base') }}\n",
			"macros/v.sql", "{% macro vwrap(c) %}{{ vinner(c) }}{% endmacro %}\n",
			"macros/h.sql", h("{{ c }}", "{{ c }}", "var('side', 'a') == 'b'"),
			"models/a/o.sql", "{{ config(enabled=not is_b()) }}\nselect {{ vwrap('id') }} as id from {{ ref('base') }}\n",
			"models/b/o.sql", "{{ config(enabled=is_b()) }}\nselect 2 as id\n",
			"models/r.sql", "select * from {{ ref('o') }}\n")},
		{name: "the models' macro", patched: true, files: withFiles(nil, "macros/h.sql", h("{{ c }}", "({{ c }})", "var('side', 'a') == 'b'"))},
		{name: "vinner", patched: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} + 0", "({{ c }})", "var('side', 'a') == 'b'"))},
		{name: "is_b", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} + 0", "({{ c }})", "var('side', 'a') == 'a'"))},
		{name: "the models' macro again", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} + 0", "{{ c }}", "var('side', 'a') == 'a'"))},
	})
}

// TestReview43bMacroValuePrinted: the snapshot block prints a macro
// value, its name, and passes it to a filter, without calling it; its
// text edited.
func TestReview43bMacroValuePrinted(t *testing.T) {
	h := func(later string) string {
		return "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro later() %}" + later + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", any: true, files: r43bBase("select id, '{{ later }}' as a, '{{ later | string }}' as b from {{ ref('base') }}", "macros/h.sql", h("1"))},
		{name: "later edited", any: true, files: withFiles(nil, "macros/h.sql", h("22"))},
	})
}

// TestReview43bSingularTest: a singular test calls a macro of the file
// beside the models' macro, through another file's macro.
func TestReview43bSingularTest(t *testing.T) {
	h := func(cond, plain string) string {
		return "{% macro plain(c) %}" + plain + "{% endmacro %}\n{% macro cond(c) %}" + cond + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/h.sql", h("{{ c }} < 0", "{{ c }}"),
			"macros/w.sql", "{% macro where_of(c) %}where {{ cond(c) }}{% endmacro %}\n",
			"tests/neg.sql", "select * from {{ ref('m') }} {{ where_of('id') }}\n")},
		{name: "the models' macro", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} < 0", "({{ c }})"))},
		{name: "the test's macro", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }} < 1", "({{ c }})"))},
		{name: "the test's macro's line", any: true, files: withFiles(nil, "macros/h.sql", "\n"+h("{{ c }} < 1", "({{ c }})"))},
	})
}

// TestReview43bPackageFallsBackToRoot: a package's disabled model, and a
// package macro a snapshot block calls, call a name the package does not
// define and the root does; the package's file, edited, defines it.
func TestReview43bPackageFallsBackToRoot(t *testing.T) {
	pk := func(extra string) string {
		return "{% macro pwrap(c) %}p({{ rhelp(c) }}){% endmacro %}\n{% macro pother() %}1{% endmacro %}\n" + extra
	}
	proj := r43bProj + "models:\n  pk:\n    pd:\n      +enabled: false\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", any: true, files: r43bBase("select id, {{ pk.pwrap('v') }} as v from {{ ref('base') }}", "mart.yml", proj,
			"macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro rhelp(c) %}r({{ c }}){% endmacro %}\n",
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/macros/p.sql", pk(""),
			"dbt_packages/pk/models/pe.sql", "select {{ pother() }} as id\n",
			"dbt_packages/pk/models/pd.sql", "select {{ rhelp('1') }} as id\n")},
		{name: "the package's other macro", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql", pk("{% macro pmore() %}2{% endmacro %}\n"))},
		{name: "the package defines rhelp", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql", pk("{% macro rhelp(c) %}pk({{ c }}){% endmacro %}\n"))},
		{name: "the root's rhelp edited", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro rhelp(c) %}r2({{ c }}){% endmacro %}\n")},
		{name: "the package's rhelp removed", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql", pk(""))},
	})
}

// TestReview43bDisabledNodesConfigMacro: disabled nodes of several kinds
// (a singular test, a snapshot, an analysis, a model, a seed's YAML)
// whose config calls macros of the file beside the models' macro; each
// macro edited in turn.
func TestReview43bDisabledNodesConfigMacro(t *testing.T) {
	h := func(tags ...string) string {
		s := "{% macro plain(c) %}{{ c }}{% endmacro %}\n"
		for i, tg := range tags {
			s += "{% macro tg" + string(rune('0'+i)) + "() %}{{ return(['" + tg + "']) }}{% endmacro %}\n"
		}
		return s
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43bProj,
			"models/base.sql", "select 1 as id, 'x' as v\n",
			"models/m.sql", "select {{ plain('id') }} as id from {{ ref('base') }}\n",
			"macros/h.sql", h("a", "b", "c", "d"),
			"tests/t.sql", "{{ config(enabled=false, tags=tg0()) }}\nselect * from {{ ref('m') }} where {{ plain('id') }} < 0\n",
			"snapshots/s.sql", "{% snapshot snap_off %}\n{{ config(enabled=false, unique_key='id', strategy='check', check_cols=['v'], tags=tg1()) }}\nselect * from {{ ref('base') }}\n{% endsnapshot %}\n",
			"analyses/an.sql", "{{ config(enabled=false, tags=tg2()) }}\nselect * from {{ ref('m') }}\n",
			"models/off.sql", "{{ config(enabled=false, tags=tg3()) }}\nselect * from {{ ref('m') }}\n")},
		{name: "the models' macro", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n"+h("a", "b", "c", "d")[len("{% macro plain(c) %}{{ c }}{% endmacro %}\n"):])},
		{name: "the test's", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n"+h("a2", "b", "c", "d")[len("{% macro plain(c) %}{{ c }}{% endmacro %}\n"):])},
		{name: "the snapshot's", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n"+h("a2", "b2", "c", "d")[len("{% macro plain(c) %}{{ c }}{% endmacro %}\n"):])},
		{name: "the analysis'", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n"+h("a2", "b2", "c2", "d")[len("{% macro plain(c) %}{{ c }}{% endmacro %}\n"):])},
		{name: "the model's", any: true, files: withFiles(nil, "macros/h.sql", "{% macro plain(c) %}({{ c }}){% endmacro %}\n"+h("a2", "b2", "c2", "d2")[len("{% macro plain(c) %}{{ c }}{% endmacro %}\n"):])},
	})
}

// TestReview43bRandomMacroEdits: macros spread over three files, calling
// one another across files, called by models, by the blocks of a
// snapshot file of several, by variants and by the naming macro; random
// edits of their bodies (and whom they call), their lines, their files;
// each step compared with a cold compile.
func TestReview43bRandomMacroEdits(t *testing.T) {
	for seed := int64(1); seed <= 10; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { r43bRandom(t, seed, 30) })
	}
}

func r43bRandom(t *testing.T, seed int64, n int) {
	rng := rand.New(rand.NewSource(seed))
	const nm = 9
	type mac struct {
		file, pad int    // its file (0-2), blank lines above it
		body      string // its text
		calls     int    // the macro it calls (-1: none); only higher indexes (no cycles)
	}
	ms := make([]mac, nm)
	for i := range ms {
		ms[i] = mac{file: i % 3, body: fmt.Sprint(i), calls: -1}
	}
	render := func() map[string]string {
		out := map[string]string{}
		for f := 0; f < 3; f++ {
			var b strings.Builder
			for i, m := range ms {
				if m.file != f {
					continue
				}
				b.WriteString(strings.Repeat("\n", m.pad))
				call := ""
				if m.calls >= 0 {
					call = fmt.Sprintf(" || {{ k%d() }}", m.calls)
				}
				fmt.Fprintf(&b, "{%% macro k%d() %%}'%s'%s{%% endmacro %%}\n", i, m.body, call)
			}
			out[fmt.Sprintf("macros/f%d.sql", f)] = b.String()
		}
		return out
	}
	blk := func(name string, k int) string {
		return fmt.Sprintf("{%% snapshot %s %%}\n{{ config(unique_key='id', strategy='check', check_cols=['v']) }}\nselect id, {{ k%d() }} as v from {{ ref('base') }}\n{%% endsnapshot %%}\n", name, k)
	}
	files := withFiles(render(), "mart.yml", r43bProj,
		"models/base.sql", "select 1 as id\n",
		"models/m0.sql", "select {{ k0() }} as v\n",
		"models/m1.sql", "select {{ k3() }} as v\n",
		"models/m2.sql", "select {{ k6() }} as v\n",
		"snapshots/pair.sql", blk("snap_a", 1)+blk("snap_b", 4),
		"models/a/o.sql", "{{ config(enabled=var('side', 'a') == 'a') }}\nselect {{ k7() }} as v\n",
		"models/b/o.sql", "{{ config(enabled=var('side', 'a') == 'b') }}\nselect {{ k2() }} as v\n",
		"models/r.sql", "select * from {{ ref('o') }}\n",
		"macros/naming.sql", "{% macro generate_alias_name(custom, node) %}{% if node.name == 'm2' %}m2_{{ k5() }}{% else %}{{ custom or node.name }}{% endif %}{% endmacro %}\n")
	files["macros/naming.sql"] = strings.Replace(files["macros/naming.sql"], "m2_{{ k5() }}", "m2_{{ k5() | replace(\"'\", '') | replace(' || ', '_') }}", 1)
	steps := []patchStep{{name: "cold", files: files}}
	for s := 0; s < n; s++ {
		i := rng.Intn(nm)
		var what string
		switch rng.Intn(5) {
		case 0, 1:
			ms[i].body = fmt.Sprint(i, "_", s)
			what = fmt.Sprintf("k%d's body", i)
		case 2:
			if j := i + 1 + rng.Intn(nm-i); j < nm && rng.Intn(3) > 0 {
				ms[i].calls = j
			} else {
				ms[i].calls = -1
			}
			what = fmt.Sprintf("k%d calls k%d", i, ms[i].calls)
		case 3:
			ms[i].pad = (ms[i].pad + 1 + rng.Intn(2)) % 3
			what = fmt.Sprintf("k%d's line", i)
		case 4:
			ms[i].file = (ms[i].file + 1 + rng.Intn(2)) % 3
			what = fmt.Sprintf("k%d to file %d", i, ms[i].file)
		}
		steps = append(steps, patchStep{name: fmt.Sprint(s, ": ", what), any: true, files: render()})
	}
	runPatchSteps(t, steps)
}

// TestReview43bNamingConfigBranch: generate_schema_name calls sfx() only
// for tables, and sfx() gives ” (the relation stays); a model's edit
// makes it a table (patched: the patch's naming macro reaches sfx), then
// sfx is edited to give a suffix, then the models' macro beside it.
func TestReview43bNamingConfigBranch(t *testing.T) {
	naming := "{% macro generate_schema_name(custom, node) %}{{ target.schema }}{% if node.config.materialized == 'table' %}{{ sfx() }}{% endif %}{% endmacro %}\n"
	h := func(sfx, plain string) string {
		return "{% macro plain(c) %}" + plain + "{% endmacro %}\n{% macro sfx() %}" + sfx + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}", "macros/naming.sql", naming, "macros/h.sql", h("", "{{ c }}"))},
		{name: "sfx edited, no node reaches it", patched: true, files: withFiles(nil, "macros/h.sql", h("{{ '' }}", "{{ c }}"))},
		{name: "m a table", any: true, files: withFiles(nil, "models/m.sql", "{{ config(materialized='table') }}\nselect {{ plain('id') }} as id from {{ ref('base') }}\n")},
		{name: "sfx gives a suffix", any: true, files: withFiles(nil, "macros/h.sql", h("_t", "{{ c }}"))},
		{name: "the models' macro", any: true, files: withFiles(nil, "macros/h.sql", h("_t", "({{ c }})"))},
		{name: "a new table model", any: true, files: withFiles(nil, "models/n.sql", "{{ config(materialized='table') }}\nselect 1 as id\n")},
		{name: "sfx again", any: true, files: withFiles(nil, "macros/h.sql", h("_u", "({{ c }})"))},
	})
}

// TestReview43bNamingOverrideAdded: the root's macro file adds what a
// builtin naming macro may dispatch to, then a naming macro, then a
// package's naming macro is added.
func TestReview43bNamingOverrideAdded(t *testing.T) {
	h := func(extra string) string { return "{% macro plain(c) %}{{ c }}{% endmacro %}\n" + extra }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}", "macros/h.sql", h(""),
			"models/cs.sql", "{{ config(schema='cu', alias='al') }}\nselect 1 as id\n",
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/macros/p.sql", "{% macro pk_plain() %}1{% endmacro %}\n",
			"dbt_packages/pk/models/pm.sql", "select {{ pk_plain() }} as id\n")},
		{name: "default__ and adapter implementations added", any: true, files: withFiles(nil, "macros/h.sql", h(
			"{% macro default__generate_schema_name(custom, node) %}ds_{{ custom }}{% endmacro %}\n{% macro duckdb__generate_schema_name(custom, node) %}dd_{{ custom }}{% endmacro %}\n"+
				"{% macro default__generate_alias_name(custom, node) %}da_{{ node.name }}{% endmacro %}\n"))},
		{name: "generate_database_name added", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro generate_database_name(custom, node) %}{{ target.database }}{% endmacro %}\n"))},
		{name: "the package adds generate_schema_name", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql",
			"{% macro pk_plain() %}1{% endmacro %}\n{% macro generate_schema_name(custom, node) %}pks{% endmacro %}\n")},
		{name: "the package's naming macro edited", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql",
			"{% macro pk_plain() %}1{% endmacro %}\n{% macro generate_schema_name(custom, node) %}pks2{% endmacro %}\n")},
	})
}

// TestReview43bTestsFileBesideBlocked: generic tests' definitions in
// tests/generic (one the project's tests use, one a package's test
// uses) and in macros/ beside the macro a snapshot block calls; each
// edited in turn.
func TestReview43bTestsFileBesideBlocked(t *testing.T) {
	gen := func(mine, theirs string) string {
		return "{% test mine(model, column_name) %}select * from {{ model }} where " + mine + "{% endtest %}\n" +
			"{% test not_null(model, column_name) %}select * from {{ model }} where " + theirs + "{% endtest %}\n"
	}
	h := func(wrap, cond string) string {
		return "{% macro wrap(c) %}" + wrap + "{% endmacro %}\n{% macro cond(c) %}" + cond + "{% endmacro %}\n{% test viah(model, column_name) %}select * from {{ model }} where {{ cond(column_name) }}{% endtest %}\n{% macro plain(c) %}{{ c }}{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ wrap('v') }} as v from {{ ref('base') }}",
			"macros/h.sql", h("{{ c }}", "{{ c }} < 0"),
			"tests/generic/g.sql", gen("{{ column_name }} < 0", "{{ column_name }} is null"),
			"models/_m.yml", "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [mine, viah]\n",
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/models/pm.sql", "select 1 as id\n",
			"dbt_packages/pk/models/_pm.yml", "version: 2\nmodels:\n  - name: pm\n    columns:\n      - name: id\n        data_tests: [not_null]\n")},
		{name: "the project's test's definition", any: true, files: withFiles(nil, "tests/generic/g.sql", gen("{{ column_name }} < 1", "{{ column_name }} is null"))},
		{name: "the package's test's definition", any: true, files: withFiles(nil, "tests/generic/g.sql", gen("{{ column_name }} < 1", "{{ column_name }} is null or false"))},
		{name: "the macro the project's test calls, beside the snapshot's", any: true, files: withFiles(nil, "macros/h.sql", h("{{ c }}", "{{ c }} < 2"))},
		{name: "the snapshot's", patched: true, files: withFiles(nil, "macros/h.sql", h("upper({{ c }})", "{{ c }} < 2"))},
		{name: "the project's test's definition moved down", any: true, files: withFiles(nil, "tests/generic/g.sql", "\n"+gen("{{ column_name }} < 1", "{{ column_name }} is null or false"))},
	})
}

// TestReview43bGenericTestTransitive: the project's generic test calls
// cond(), which calls cond2() of another file and a package's macro;
// cond2 and the package's macro edited (the test is made again only if
// found by the macros its entry names).
func TestReview43bGenericTestTransitive(t *testing.T) {
	tests := "{% test is_pos(model, column_name) %}select * from {{ model }} where not {{ cond(column_name) }}{% endtest %}\n" +
		"{% macro cond(c) %}{{ cond2(c) }} and {{ pk.pcond(c) }}{% endmacro %}\n"
	c2 := func(body string) string {
		return "{% macro plain(c) %}{{ c }}{% endmacro %}\n{% macro cond2(c) %}" + body + "{% endmacro %}\n"
	}
	pk := func(body string) string {
		return "{% macro pcond(c) %}" + body + "{% endmacro %}\n{% macro pother() %}1{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, v from {{ ref('base') }}",
			"macros/tests.sql", tests, "macros/h.sql", c2("{{ c }} > 0"),
			"models/_m.yml", "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [is_pos]\n",
			"dbt_packages/pk/dbt_project.yml", "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/macros/p.sql", pk("{{ c }} < 9"))},
		{name: "cond2", any: true, files: withFiles(nil, "macros/h.sql", c2("{{ c }} >= 0"))},
		{name: "the package's macro", any: true, files: withFiles(nil, "dbt_packages/pk/macros/p.sql", pk("{{ c }} < 8"))},
		{name: "cond2's line", any: true, files: withFiles(nil, "macros/h.sql", "\n"+c2("{{ c }} >= 0"))},
		{name: "cond2 again", any: true, files: withFiles(nil, "macros/h.sql", "\n"+c2("{{ c }} >= 1"))},
	})
}

// TestReview43bWarningInBlockedMacro: the macro a snapshot block calls
// warns (exceptions.warn, and a deprecated config key), located in the
// macro file; the models' macro beside it edited, below it and above it
// (its line moved), then the warning's text.
func TestReview43bWarningInBlockedMacro(t *testing.T) {
	h := func(pre, msg, plain string) string {
		return pre + "{% macro wrap(c) %}{% do exceptions.warn('" + msg + "') %}{{ c }}{% endmacro %}\n{% macro plain(c) %}" + plain + "{% endmacro %}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43bBase("select id, {{ wrap('v') }} as v from {{ ref('base') }}", "macros/h.sql", h("", "careful", "{{ c }}"))},
		{name: "the models' macro below it", any: true, files: withFiles(nil, "macros/h.sql", h("", "careful", "({{ c }})"))},
		{name: "a macro added above it, on its line", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro top() %}1{% endmacro %}", "careful", "({{ c }})"))},
		{name: "the warning's text", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro top() %}1{% endmacro %}", "more careful", "({{ c }})"))},
		{name: "the models' macro again", any: true, files: withFiles(nil, "macros/h.sql", h("{% macro top() %}1{% endmacro %}", "more careful", "{{ c }}"))},
	})
}
