package compiler

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Review 41b: the fixes of 9cb4d6e (review 41's findings) driven through
// warm compiles and the project shapes real dbt projects have: Relation
// methods (replace_path, include, incorporate, render, quote), the
// position of a ref() made in a macro (jinja.Pos.Site), variants of one
// name across packages (entryNodes, renderShared), and a snapshot file's
// compiled path as its count of blocks changes.
//
// Every warm compile equalled its cold one (diagnostics of failing
// compiles too). Failing at the time of review, all fixed in the commit
// that brought these tests in but RelationEphemeralOverride (skipped: a
// documented limitation):
//   - TestReview41bSiteCallBlock: a ref() in a {% call %} block's body
//     is located at the {% call %} tag (1:9), not its own line (3:9, as
//     before Pos.Site): resolve.go position takes Site whenever its file
//     is the node's, and Site is the call tag (runtime.go callMacroWith).
//   - TestReview41bRelationValues: replace_path(schema=none) renders
//     "rawdb".""."people" (render.go Relation.Attr sets "" and
//     relationName quotes it); dbt leaves a None part out.
//   - TestReview41bRelationInMeta: a Relation in meta writes its
//     "__namer": {} to manifest.json (new; "__text" leaked before).
//   - TestReview41bRelationEphemeralOverride: dbt's documented override
//     over an ephemeral model reads "dev"."main"."eph", a table never
//     built, while the CTE is injected (Relation.Attr names from parts).
//   - TestReview41bVariantReadersShareAName: a reader that shares a name
//     itself renders in renderShared's first batch, before byName is
//     re-indexed: 'main_p' for the enabled dev variant (compile.go).
//   - TestReview41bSnapshotCommentOpenerInString: "{#" inside a Jinja
//     string hides the second block (compile.go snapshotTags).
// And the script review41b_relation_build (see its header).

const r41bProj = "name: r41b\nversion: \"1.0.0\"\n"

// r41bStep is a patchStep that may expect the cold compile to fail with
// an error line starting wantErr: the warm compile (partial_parse.gob of
// the last good step) must give the same diagnostics, and the patch must
// refuse it.
type r41bStep struct {
	patchStep
	wantErr string
}

// r41bRun runs steps as runPatchSteps does; a step with wantErr compares
// the failing cold compile's diagnostics with a warm one's.
func r41bRun(t *testing.T, steps []r41bStep) string {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	w := newStepWriter(t, dir)
	for i, s := range steps {
		w.write(s.files, s.remove, os.RemoveAll)
		opt := Options{ProjectDir: dir, InvocationID: "inv", Vars: s.vars, Target: s.target}
		if s.wantErr == "" {
			checkPatchStep(t, i, s.patchStep, opt)
			continue
		}
		forgetReads()
		cold, cd := Compile(opt)
		if cold != nil {
			cold.DropPatch()
		}
		require.Nil(t, cold, "step %s: the cold compile succeeds", s.name)
		found := false
		for _, l := range diagLines(cd) {
			found = found || strings.HasPrefix(l, s.wantErr)
		}
		require.True(t, found, "step %s: cold diagnostics %v, want a line starting %q", s.name, diagLines(cd), s.wantErr)
		warmOpt := opt
		warmOpt.PartialParse = true
		forgetReads()
		pt, why := CompileByPatch(warmOpt)
		require.Nil(t, pt, "step %s: patched what the cold compile rejects; why=%q", s.name, why)
		forgetReads()
		warm, wd := Compile(warmOpt)
		if warm != nil {
			warm.DropPatch()
		}
		require.Nil(t, warm, "step %s: the warm compile succeeds", s.name)
		require.Equal(t, diagLines(cd), diagLines(wd), "step %s: warm diagnostics differ from cold", s.name)
	}
	return dir
}

// r41bMacros: macros that make a ref() for their caller, nested, through
// adapter.dispatch, and one that wraps its caller's body.
const r41bMacros = `{% macro getrel(n) %}
  {{ return(ref(n)) }}
{% endmacro %}
{% macro outer(n) %}{{ return(getrel(n)) }}{% endmacro %}
{% macro wrap() %}
({{ caller() }})
{% endmacro %}
{% macro default__dgetrel(n) %}{{ return(ref(n)) }}{% endmacro %}
{% macro getsrc(t) %}{{ return(source('raw', t)) }}{% endmacro %}
`

func r41bSiteBase() map[string]string {
	return map[string]string{
		"mart.yml":      r41bProj,
		"macros/m.sql":  r41bMacros,
		"models/a.sql":  "select 1 as id\n",
		"models/b.sql":  "-- one\n-- two\nselect * from {{ outer('a') }}\n",
		"models/_s.yml": "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: people\n",
	}
}

// TestReview41bSiteCallBlock: a ref() in the body of a {% call %} block
// is in the model's own text: its error names the ref()'s line, as it did
// before Pos.Site (3:9), not the {% call %} tag's line.
func TestReview41bSiteCallBlock(t *testing.T) {
	r41bRun(t, []r41bStep{
		{patchStep: patchStep{name: "cold", files: r41bSiteBase()}},
		{patchStep: patchStep{name: "a call block refs nothing", files: map[string]string{
			"models/c.sql": "{% call wrap() %}\nselect 1\nfrom {{ ref('nope') }}\n{% endcall %}\n"}},
			wantErr: "models/c.sql:3:"},
	})
}

// TestReview41bSiteSteps: errors of refs and sources made in macros
// (nested, dispatched, a package's, a macro of the model's own file, in
// an analysis, a singular test, a snapshot's second block) name the
// node's line, warm as cold, also after lines were added above the call
// in a patched step and when the ref's target is removed (the node's
// render cached with its positions).
func TestReview41bSiteSteps(t *testing.T) {
	base := r41bSiteBase()
	base["dbt_packages/pk/dbt_project.yml"] = "name: pk\nversion: \"1.0.0\"\n"
	base["dbt_packages/pk/macros/pm.sql"] = "{% macro prel(n) %}{% set r = ref(n) %}{{ return(r) }}{% endmacro %}\n"
	base["models/p.sql"] = "select * from {{ pk.prel('a') }}\n"
	snap := func(rel string) string {
		return "{% snapshot s1 %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}\n" +
			"{% snapshot s2 %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ getrel('" + rel + "') }}\n{% endsnapshot %}\n"
	}
	base["snapshots/s.sql"] = snap("a")
	r41bRun(t, []r41bStep{
		{patchStep: patchStep{name: "cold", files: base}},
		{patchStep: patchStep{name: "lines added above b's call", files: map[string]string{"models/b.sql": "-- zero\n-- one\n-- two\nselect * from {{ outer('a') }}\n"}, any: true}},
		{patchStep: patchStep{name: "b: nested, unknown", files: map[string]string{"models/b.sql": "-- zero\n-- one\n-- two\nselect * from {{ outer('nope') }}\n"}}, wantErr: "models/b.sql:4:18: error: model \"b\" refs \"nope\""},
		{patchStep: patchStep{name: "b fixed", files: map[string]string{"models/b.sql": "-- zero\n-- one\n-- two\nselect * from {{ outer('a') }}\n"}, any: true}},
		{patchStep: patchStep{name: "a removed: b's cached render names the call", remove: []string{"models/a.sql"}}, wantErr: "models/b.sql:4:18: error: model \"b\" refs \"a\""},
		{patchStep: patchStep{name: "a back", files: map[string]string{"models/a.sql": "select 1 as id\n"}, any: true}},
		{patchStep: patchStep{name: "dispatched", files: map[string]string{"models/d.sql": "-- one\nselect * from {{ adapter.dispatch('dgetrel')('nope_d') }}\n"}}, wantErr: "models/d.sql:2:18: error: model \"d\" refs \"nope_d\""},
		{patchStep: patchStep{name: "d fixed", files: map[string]string{"models/d.sql": "-- one\nselect * from {{ adapter.dispatch('dgetrel')('a') }}\n"}, any: true}},
		{patchStep: patchStep{name: "package macro", files: map[string]string{"models/p.sql": "-- one\n\nselect * from {{ pk.prel('nope_p') }}\n"}}, wantErr: "models/p.sql:3:18: error: model \"p\" refs \"nope_p\""},
		{patchStep: patchStep{name: "p fixed", files: map[string]string{"models/p.sql": "select * from {{ pk.prel('a') }}\n"}, any: true}},
		{patchStep: patchStep{name: "unknown source in a macro", files: map[string]string{"models/s.sql": "-- one\nselect * from {{ getsrc('nobody') }}\n"}}, wantErr: "models/s.sql:2:18: error: model \"s\""},
		{patchStep: patchStep{name: "s fixed", files: map[string]string{"models/s.sql": "-- one\nselect * from {{ getsrc('people') }}\n"}, any: true}},
		{patchStep: patchStep{name: "analysis", files: map[string]string{"analyses/an.sql": "-- x\nselect * from {{ getrel('nope_an') }}\n"}}, wantErr: "analyses/an.sql:2:18: error: analysis \"an\" refs \"nope_an\""},
		{patchStep: patchStep{name: "analysis fixed", files: map[string]string{"analyses/an.sql": "-- x\nselect * from {{ getrel('a') }}\n"}, any: true}},
		{patchStep: patchStep{name: "singular test", files: map[string]string{"tests/t.sql": "-- x\n\nselect * from {{ getrel('nope_t') }}\n"}}, wantErr: "tests/t.sql:3:18: error: test \"t\" refs \"nope_t\""},
		{patchStep: patchStep{name: "test fixed", files: map[string]string{"tests/t.sql": "-- x\n\nselect * from {{ getrel('a') }}\n"}, any: true}},
		{patchStep: patchStep{name: "snapshot's second block", files: map[string]string{"snapshots/s.sql": snap("nope_s")}}, wantErr: "snapshots/s.sql:7:18: error: snapshot \"s2\" refs \"nope_s\""},
		{patchStep: patchStep{name: "snapshot fixed", files: map[string]string{"snapshots/s.sql": snap("a")}, any: true}},
		{patchStep: patchStep{name: "a macro of the model's file", files: map[string]string{"models/e.sql": "{% macro local(n) %}\n{{ return(ref(n)) }}\n{% endmacro %}\nselect * from {{ local('nope_e') }}\n"}}, wantErr: "models/e.sql:"},
		{patchStep: patchStep{name: "e fixed", files: map[string]string{"models/e.sql": "{% macro local(n) %}\n{{ return(ref(n)) }}\n{% endmacro %}\nselect * from {{ local('a') }}\n"}, any: true}},
		{patchStep: patchStep{name: "the macro moves down a line (b cached? positions from the cache)", files: map[string]string{"macros/m.sql": "\n" + r41bMacros}, any: true}},
		{patchStep: patchStep{name: "a removed again", remove: []string{"models/a.sql"}}, wantErr: "models/b.sql:4:18: error: model \"b\" refs \"a\""},
	})
}

// r41bDocRef is dbt's documented ref override in short: every ref's
// database replaced.
const r41bDocRef = "{% macro ref() %}\n{% set rel = builtins.ref(*varargs, **kwargs) %}\n{% do return(rel.replace_path(database=\"dev\")) %}\n{% endmacro %}\n"

func r41bRelBase() map[string]string {
	return map[string]string{
		"mart.yml":       r41bProj,
		"models/a.sql":   "{{ config(schema='custom', alias='aa') }}\nselect 1 as id\n",
		"models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect 1 as id\n",
		"models/b.sql": "{% set r = ref('a').replace_path(database='dev') %}\n" +
			"select * from {{ r }} /* {{ r.database }} {{ r.schema }} {{ r.identifier }} */\n" +
			"{% if r.database == 'dev' %}-- dev{% endif %}\n" +
			"-- {{ ref('a').include(database=false) }} {{ ref('a').include(database=false, schema=false) }}\n" +
			"-- {{ ref('a').incorporate(path={'schema': 'x'}, type='view') }} {{ this.replace_path(schema='s2') }}\n" +
			"-- {{ show(r) }} {{ r == ref('a').replace_path(database='dev') }} {{ r == ref('a') }}\n",
		"macros/show.sql": "{% macro show(rel) %}{{ rel.include(database=false).render() }}{% endmacro %}\n",
		"models/_s.yml":   "version: 2\nsources:\n  - name: raw\n    database: rawdb\n    schema: main\n    tables:\n      - name: people\n",
		"models/c.sql":    "select * from {{ source('raw', 'people').include(database=false) }}\n-- {{ api.Relation.create(database='x', schema='y', identifier='z').replace_path(schema='w') }}\n",
	}
}

// TestReview41bRelationSteps: relations made by the methods, warm
// against cold while the ref'd model's config() moves it (its cached
// render knows where; the cold compile's relation is provisional), the
// documented ref override added and removed, an ephemeral model read
// through it.
func TestReview41bRelationSteps(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r41bRelBase()},
		{name: "b edited", files: map[string]string{"models/b.sql": r41bRelBase()["models/b.sql"] + "-- more\n"}, any: true},
		{name: "a's alias changed", files: map[string]string{"models/a.sql": "{{ config(schema='custom', alias='ab') }}\nselect 1 as id\n"}, any: true},
		{name: "a's config() gone", files: map[string]string{"models/a.sql": "select 1 as id\n"}, any: true},
		{name: "a's config() back", files: map[string]string{"models/a.sql": "{{ config(schema='custom', alias='aa') }}\nselect 1 as id\n"}, any: true},
		{name: "a folder config for a", files: map[string]string{"mart.yml": r41bProj + "models:\n  r41b:\n    +schema: f\n"}, any: true},
		{name: "the documented override", files: map[string]string{"macros/ref.sql": r41bDocRef, "models/e.sql": "select * from {{ ref('eph') }} join {{ ref('a') }} using (id)\n"}, any: true},
		{name: "a edited under it", files: map[string]string{"models/a.sql": "{{ config(schema='custom', alias='ac') }}\nselect 2 as id\n"}, any: true},
		{name: "override removed", remove: []string{"macros/ref.sql"}, any: true},
		{name: "an edit after", files: map[string]string{"models/c.sql": "select * from {{ source('raw', 'people').include(database=false) }}\n"}, any: true},
	})
}

// TestReview41bRelationValues: what the methods make, as dbt renders it.
// replace_path(schema=none) leaves the schema out (dbt's render joins the
// parts that are not None), not an empty quoted name.
func TestReview41bRelationValues(t *testing.T) {
	res, diags := r41Compile(t, map[string]string{
		"mart.yml":      r41bProj,
		"models/a.sql":  "select 1 as id\n",
		"models/_s.yml": "version: 2\nsources:\n  - name: raw\n    database: rawdb\n    schema: main\n    tables:\n      - name: people\n",
		"models/b.sql": "-- 1 {{ ref('a').include(database=false) }}\n" +
			"-- 2 {{ ref('a').include(schema=false, database=false) }}\n" +
			"-- 3 {{ source('raw', 'people').include(database=false) }}\n" +
			"-- 4 {{ api.Relation.create(database='x', schema='y', identifier='z').replace_path(schema='w') }}\n" +
			"-- 5 {{ ref('a').replace_path(database='dev').include(database=false) }}\n" +
			"-- 6 {{ ref('a').replace_path(identifier='q').identifier }}\n" +
			"-- 7 {{ source('raw', 'people').replace_path(schema=none) }}\n" +
			"-- 8 {{ ref('a').replace_path(schema=none, database='d') }}\n",
	})
	require.NotNil(t, res, "%v", diags)
	code := res.Manifest.Node("model.r41b.b").CompiledCode
	for _, want := range []string{`-- 1 "main"."a"`, `-- 2 "a"`, `-- 3 "main"."people"`, `-- 4 "x"."w"."z"`, `-- 5 "main"."a"`, `-- 6 q`} {
		require.Contains(t, code, want)
	}
	require.NotContains(t, code, `""`, "a part replaced by none is left out (dbt), not an empty quoted name:\n%s", code)
}

// TestReview41bRelationInMeta: a relation kept in a config value (meta)
// is written to manifest.json with the parts templates see; the methods'
// namer ("__namer", new with these methods) is no value of the project's.
func TestReview41bRelationInMeta(t *testing.T) {
	res, diags := r41Compile(t, map[string]string{
		"mart.yml":     r41bProj,
		"models/a.sql": "select 1 as id\n",
		"models/b.sql": "{{ config(meta={'rel': ref('a').replace_path(database='dev'), 'this': this}) }}\nselect * from {{ ref('a') }}\n",
	})
	require.NotNil(t, res, "%v", diags)
	meta := res.Manifest.Node("model.r41b.b").Config["meta"]
	b := string(manifestBytes(t, res.Manifest))
	require.False(t, strings.Contains(b, "__namer"), "the Relation's namer leaked into manifest.json: meta %v", meta)
}

// TestReview41bRelationEphemeralOverride: dbt's documented override
// (every ref's database replaced by "dev") in a project with an ephemeral
// model: the ephemeral one is inlined as a CTE; the SQL must read the
// CTE, not a "dev"."main"."eph" table that is never built (dbt's
// ephemeral relation has no schema; it is a CTE either way).
func TestReview41bRelationEphemeralOverride(t *testing.T) {
	t.Skip("known limitation (docs/dbt-compatibility.md, overriding ref): a Relation method names from the parts ref() had while rendering; eph's own config() makes it ephemeral after (dbt's result is broken too)")
	res, diags := r41Compile(t, map[string]string{
		"mart.yml":       r41bProj,
		"macros/ref.sql": r41bDocRef,
		"models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect 1 as id\n",
		"models/e.sql":   "select * from {{ ref('eph') }}\n",
	})
	require.NotNil(t, res, "%v", diags)
	code := res.Manifest.Node("model.r41b.e").CompiledCode
	require.NotContains(t, code, `"eph"`, "the ephemeral model read as a table:\n%s", code)
}

// r41bVariantReaders: variants of orders (by a var), and variants of
// uses (by the same var) reading ref('orders').schema while rendering:
// uses shares a name too, so it renders in renderShared's first batch.
func r41bVariantReaders() map[string]string {
	on := func(v string) string { return "{{ config(enabled=var('v', 'dev') == '" + v + "') }}\n" }
	return map[string]string{
		"mart.yml":               r41bProj + "models:\n  r41b:\n    dev:\n      +schema: d\n    prod:\n      +schema: p\n",
		"models/dev/orders.sql":  on("dev") + "select 2 as id\n",
		"models/prod/orders.sql": on("prod") + "select 1 as id\n",
		"models/dev/uses.sql":    on("dev") + "select '{{ ref('orders').schema }}' as s, * from {{ ref('orders') }}\n",
		"models/prod/uses.sql":   on("prod") + "select '{{ ref('orders').schema }}' as s, * from {{ ref('orders') }}\n",
		"models/plain.sql":       "select '{{ ref('orders').schema }}' as s, * from {{ ref('uses') }}\n",
	}
}

// TestReview41bVariantReadersShareAName: a reader of a shared name that
// shares a name itself sees the enabled variant's schema, as a reader
// that does not (plain) does.
func TestReview41bVariantReadersShareAName(t *testing.T) {
	for _, v := range []string{"dev", "prod"} {
		t.Run(v, func(t *testing.T) {
			dir := t.TempDir()
			for rel, text := range r41bVariantReaders() {
				writeProjectFile(t, dir, rel, text)
			}
			t.Setenv("MART_PROFILES_DIR", "")
			res, d := Compile(Options{ProjectDir: dir, InvocationID: "inv", Vars: map[string]any{"v": v}})
			require.NotNil(t, res, "%v", diagLines(d))
			res.DropPatch()
			orders := res.Manifest.Node("model.r41b.orders")
			require.Equal(t, "models/"+v+"/orders.sql", orders.Path)
			require.Contains(t, res.Manifest.Node("model.r41b.plain").CompiledCode, "'"+orders.Schema+"' as s")
			require.Contains(t, res.Manifest.Node("model.r41b.uses").CompiledCode, "'"+orders.Schema+"' as s",
				"uses (a variant too) read the enabled orders' schema (%s)", orders.Schema)
		})
	}
}

// TestReview41bVariantReadersSteps: the same project warm against cold
// as --vars flips the variants, and edits between.
func TestReview41bVariantReadersSteps(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r41bVariantReaders()},
		{name: "--vars prod", vars: map[string]any{"v": "prod"}, any: true},
		{name: "plain edited under prod", vars: map[string]any{"v": "prod"}, files: map[string]string{"models/plain.sql": "select '{{ ref('orders').schema }}' as s2, * from {{ ref('uses') }}\n"}, any: true},
		{name: "--vars dev", vars: map[string]any{"v": "dev"}, any: true},
		{name: "dev orders edited", files: map[string]string{"models/dev/orders.sql": "{{ config(enabled=var('v', 'dev') == 'dev', schema='dd') }}\nselect 3 as id\n"}, any: true},
		{name: "--vars prod again", vars: map[string]any{"v": "prod"}, any: true},
		{name: "no vars", any: true},
		{name: "prod uses removed", remove: []string{"models/prod/uses.sql"}, any: true},
		{name: "--vars prod: uses disabled, plain refs it", vars: map[string]any{"v": "prod"}, coldFails: true},
		{name: "back", any: true},
	})
}

// r41bPkgVariants: dbt's package-model replacement with YAML and tests
// on both sides; a package model reads the name (dbt resolves the root's
// first), and a YAML snapshot of another name in the package.
func r41bPkgVariants(rootOn, pkgOn string) map[string]string {
	return map[string]string{
		"mart.yml":                           r41bProj + "models:\n  pk:\n    orders:\n      +enabled: " + pkgOn + "\n  r41b:\n    +enabled: true\n    repl:\n      +enabled: " + rootOn + "\n",
		"models/repl/orders.sql":             "select 1 as id, 'root' as src\n",
		"models/_r.yml":                      "version: 2\nmodels:\n  - name: orders\n    description: the root's\n    config:\n      tags: [root]\n    columns:\n      - name: id\n        description: root id\n        data_tests: [unique]\n",
		"models/uses.sql":                    "select * from {{ ref('orders') }}\n",
		"dbt_packages/pk/dbt_project.yml":    "name: pk\nversion: \"1.0.0\"\n",
		"dbt_packages/pk/models/orders.sql":  "select 2 as id, 'pkg' as src\n",
		"dbt_packages/pk/models/pk_uses.sql": "select * from {{ ref('orders') }}\n",
		"dbt_packages/pk/models/_pk.yml": "version: 2\nmodels:\n  - name: orders\n    description: the package's\n    config:\n      tags: [pkg]\n    columns:\n      - name: id\n        description: pkg id\n        data_tests: [not_null, {accepted_values: {values: [2]}}]\n" +
			"  - name: pk_uses\n    columns:\n      - name: id\n        data_tests: [{relationships: {to: ref('orders'), field: id}}]\n",
	}
}

// TestReview41bPackageVariantTests: the root's orders gets the root's
// description, tags, column and tests; the package's tests are disabled
// with it (none attached to the root's orders); then swapped.
func TestReview41bPackageVariantTests(t *testing.T) {
	check := func(t *testing.T, files map[string]string, wantPkg string, wantDesc string, wantTests []string) {
		res, diags := r41Compile(t, files)
		require.NotNil(t, res, "%v", diags)
		o := res.Manifest.Node("model." + wantPkg + ".orders")
		require.NotNil(t, o)
		require.Equal(t, wantDesc, o.Description)
		var got []string
		for _, id := range res.Manifest.AllIDs() {
			if n := res.Manifest.Node(id); n.ResourceType == TypeTest && n.AttachedNode == o.UniqueID {
				got = append(got, strings.SplitN(n.Name, "_orders", 2)[0])
			}
		}
		require.ElementsMatch(t, wantTests, got, "tests on %s", o.UniqueID)
	}
	t.Run("root's enabled", func(t *testing.T) {
		check(t, r41bPkgVariants("true", "false"), "r41b", "the root's", []string{"unique"})
	})
	t.Run("package's enabled", func(t *testing.T) {
		check(t, r41bPkgVariants("false", "true"), "pk", "the package's", []string{"not_null", "accepted_values"})
	})
}

// TestReview41bPackageVariantSteps: warm against cold as the replacement
// flips between the root's and the package's, both disabled (uses refs
// nothing), YAML edited on each side.
func TestReview41bPackageVariantSteps(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r41bPkgVariants("true", "false")},
		{name: "package's YAML edited", files: map[string]string{"dbt_packages/pk/models/_pk.yml": strings.Replace(r41bPkgVariants("true", "false")["dbt_packages/pk/models/_pk.yml"], "the package's", "the package's v2", 1)}, any: true},
		{name: "root's YAML edited", files: map[string]string{"models/_r.yml": strings.Replace(r41bPkgVariants("true", "false")["models/_r.yml"], "the root's", "the root's v2", 1)}, any: true},
		{name: "swapped", files: map[string]string{"mart.yml": r41bPkgVariants("false", "true")["mart.yml"]}, any: true},
		{name: "the package's model edited", files: map[string]string{"dbt_packages/pk/models/orders.sql": "select 2 as id, 'pkg2' as src\n"}, any: true},
		{name: "both disabled: uses refs a disabled model", files: map[string]string{"mart.yml": r41bPkgVariants("false", "false")["mart.yml"]}, coldFails: true},
		{name: "uses and pk_uses read nothing", files: map[string]string{"models/uses.sql": "select 1 as id\n", "dbt_packages/pk/models/pk_uses.sql": "select 1 as id\n",
			"dbt_packages/pk/models/_pk.yml": strings.SplitN(r41bPkgVariants("true", "false")["dbt_packages/pk/models/_pk.yml"], "  - name: pk_uses", 2)[0]}, any: true},
		{name: "root's back", files: map[string]string{"mart.yml": r41bPkgVariants("true", "false")["mart.yml"], "models/uses.sql": "select * from {{ ref('orders') }}\n"}, any: true},
		{name: "root's YAML removed", remove: []string{"models/_r.yml"}, any: true},
		{name: "swapped without the root's YAML", files: map[string]string{"mart.yml": r41bPkgVariants("false", "true")["mart.yml"]}, any: true},
	})
}

// TestReview41bSnapshotCommentOpenerInString: "{#" inside a Jinja string
// of the first block is no comment (Jinja's lexer reads it as part of
// the expression): the second block is still a snapshot.
func TestReview41bSnapshotCommentOpenerInString(t *testing.T) {
	sel := "select * from {{ ref('m') }}"
	res, diags := r41Compile(t, map[string]string{"mart.yml": r41bProj, "models/m.sql": "select 1 as id\n",
		"snapshots/s.sql": r41Snap("sa", "", "select '{{ \"{#\" }}' as c, * from {{ ref('m') }}") + r41Snap("sb", "", sel+" where id = 2")})
	require.NotNil(t, res, "%v", diags)
	require.NotNil(t, res.Manifest.Node("snapshot.r41b.sa"))
	require.NotNil(t, res.Manifest.Node("snapshot.r41b.sb"), "the second block lost to a {# in a string")
}

// TestReview41bSnapshotCommentSteps: a second block commented out and
// back in, warm against cold (the file goes from two blocks to one and
// back without its text's count of tags changing).
func TestReview41bSnapshotCommentSteps(t *testing.T) {
	sel := "select * from {{ ref('m') }}"
	a, b := r41Snap("sa", "", sel), r41Snap("sb", "", sel+" where id = 2")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r41bProj, "models/m.sql": "select 1 as id\n", "snapshots/s.sql": a + b}},
		{name: "sb commented out", files: map[string]string{"snapshots/s.sql": a + "{#\n" + b + "#}\n"}, any: true},
		{name: "an edit, patched", files: map[string]string{"models/m.sql": "select 2 as id\n"}, patched: true},
		{name: "sa edited with sb still commented", files: map[string]string{"snapshots/s.sql": r41Snap("sa", "", sel+" where id > 0") + "{#\n" + b + "#}\n"}, any: true},
		{name: "sb back", files: map[string]string{"snapshots/s.sql": a + b}, any: true},
		{name: "sa commented, sb alone", files: map[string]string{"snapshots/s.sql": "{# " + a + " #}\n" + b}, any: true},
		{name: "an unclosed comment before all", files: map[string]string{"snapshots/s.sql": "{# \n" + a + b}, coldFails: true},
		{name: "fixed", files: map[string]string{"snapshots/s.sql": a + b}, any: true},
	})
}
