package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// aTests is a properties file describing model a, its id column tested
// unique and by the tests given (YAML list items).
func aTests(tests string) string {
	return "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - unique\n" + tests
}

// TestPatchTestsOfEphemeralModels: a relationships test to an ephemeral
// model that refs another inlines both as CTEs (a review once found the
// inner one missing, when a patch made such a test), and it joins both
// models' tests (EphTests): an edit of either replaces its CTE there.
func TestPatchTestsOfEphemeralModels(t *testing.T) {
	rel := aTests("          - relationships:\n              to: ref('e1')\n              field: id\n")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          "name: rt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/e2.sql":     "{{ config(materialized='ephemeral') }}\nselect 1 as id\n",
			"models/e1.sql":     "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('e2') }}\n",
			"models/a.sql":      "select id from {{ ref('e1') }}\n",
			"models/_props.yml": aTests("")}},
		{name: "a relationships test to e1 added", patched: true, files: map[string]string{"models/_props.yml": rel}},
		{name: "e2 edited: the test's inner CTE with it", patched: true, files: map[string]string{
			"models/e2.sql": "{{ config(materialized='ephemeral') }}\nselect 2 as id\n"}},
		{name: "e1 edited", patched: true, files: map[string]string{
			"models/e1.sql": "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('e2') }} where id > 0\n"}},
		{name: "the test removed", patched: true, files: map[string]string{"models/_props.yml": aTests("")}},
		{name: "e2 edited after that", patched: true, files: map[string]string{
			"models/e2.sql": "{{ config(materialized='ephemeral') }}\nselect 3 as id\n"}},
		{name: "the test back as e2 is edited: whole (its CTE would be the new SQL)", patched: false, files: map[string]string{
			"models/_props.yml": rel, "models/e2.sql": "{{ config(materialized='ephemeral') }}\nselect 4 as id\n"}},
	})
}

// TestPatchAddedTestIsNoRefTarget: a test a patch adds, named as a model,
// is not what ref() of that name finds in a run from the snapshot, nor is
// the model lost when the test goes (a review found both).
func TestPatchAddedTestIsNoRefTarget(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	writeProjectFile(t, dir, "mart.yml", "name: rt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/b.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/c.sql", "{{ config(materialized='incremental') }}\nselect id from {{ ref('b') }}\n{% if is_incremental() %}where id > 0{% endif %}\n")
	writeProjectFile(t, dir, "models/schema/_props.yml", aTests(""))
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	for _, step := range []struct{ name, tests string }{
		{"a test named b added", "          - not_null:\n              name: b\n"},
		{"it removed", ""},
	} {
		writeProjectFile(t, dir, "models/schema/_props.yml", aTests(step.tests))
		patched, why := compareStep(t, opt, step.name)
		require.True(t, patched, why)
		ro := opt
		ro.PartialParse, ro.PatchReadOnly = true, true
		pt, why := CompileByPatch(ro)
		require.NotNil(t, pt, why)
		_, why = pt.SelectorGraph()
		require.Empty(t, why)
		lr, why := pt.Result([]string{"model.rt.c"})
		require.NotNil(t, lr, why)
		if got := lr.Renderer.Target("ref:b"); got == nil || got.UniqueID != "model.rt.b" {
			id := "<nil>"
			if got != nil {
				id = got.UniqueID
			}
			t.Errorf("after %s, ref('b') of a run from the snapshot finds %s, not model.rt.b", step.name, id)
		}
	}
}

// TestPatchRefusesATestOfARemovedModel: a relationships test added in the
// edit that removes its target is an error of a whole compile, which the
// patch leaves to it (a review found it patched).
func TestPatchRefusesATestOfARemovedModel(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	writeProjectFile(t, dir, "mart.yml", "name: rt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/x.sql", "select 1 as id\n")
	writeProjectFile(t, dir, "models/_props.yml", aTests(""))
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	require.NoError(t, os.Remove(filepath.Join(dir, "models/x.sql")))
	writeProjectFile(t, dir, "models/_props.yml", aTests("          - relationships:\n              to: ref('x')\n              field: id\n"))
	cold, cd := Compile(opt)
	require.Nil(t, cold)
	require.True(t, cd.HasErrors())
	warm := opt
	warm.PartialParse = true
	pt, _ := CompileByPatch(warm)
	require.Nil(t, pt, "a patch succeeds where a whole compile fails: %v", cd)
}

// testCompiledTree is target/compiled's files and texts, by slash path.
func testCompiledTree(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	root := filepath.Join(dir, "target", "compiled")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

// TestPatchWritesNoCompiledFileOfATest: `mart compile` writes no compiled
// file of a generic test, nor does a patch that makes tests again (a
// review found it wrote them, and their directories).
func TestPatchWritesNoCompiledFileOfATest(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	props := func(tests string) string {
		return "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [" + tests + "]\n"
	}
	patchDir, wholeDir := t.TempDir(), t.TempDir()
	for _, dir := range []string{patchDir, wholeDir} {
		writeProjectFile(t, dir, "mart.yml", "name: rt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
		writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
		writeProjectFile(t, dir, "models/schema/_props.yml", props("unique"))
	}
	opt := Options{ProjectDir: patchDir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	for _, dir := range []string{patchDir, wholeDir} {
		writeProjectFile(t, dir, "models/schema/_props.yml", props("unique, not_null"))
	}
	patched, why := compareStep(t, opt, "a test added")
	require.True(t, patched, why)
	whole, d := Compile(Options{ProjectDir: wholeDir, InvocationID: "inv"}) // as `mart compile` does
	require.NotNil(t, whole, "%v", d)
	require.NoError(t, whole.WriteTarget(compiledIDs(whole)))
	require.Equal(t, testCompiledTree(t, wholeDir), testCompiledTree(t, patchDir), "target/compiled after a patched compile")
}

// TestPatchTestArgumentsEdited: a test whose arguments changed gets a new
// id beside its old one, the last of manifest.json's nodes: the old one
// is cut and the new one inserted at one place.
func TestPatchTestArgumentsEdited(t *testing.T) {
	props := func(values string) string {
		return "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - accepted_values:\n              values: [" + values + "]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          "name: rt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":      "select 1 as id\n",
			"models/_props.yml": props("1, 2")}},
		{name: "a value added", patched: true, files: map[string]string{"models/_props.yml": props("1, 2, 3")}},
	})
}

// TestPatchRelationshipsToASource: a relationships test to a source is
// patched, the source found through the snapshot.
func TestPatchRelationshipsToASource(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: rt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":   "select 1 as id\n",
			"models/src.yml": "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n",
			"models/_a.yml":  aTests("")}},
		{name: "to a source", patched: true, files: map[string]string{
			"models/_a.yml": aTests("          - relationships:\n              to: source('s', 't')\n              field: id\n")}},
	})
}

// TestPatchModelsWithYAMLEntries: a model file added with its entry in a
// properties file (applied as applyPatches applies it: description,
// columns, config; its tests made), removed with it (its tests cut too),
// or renamed with it, is patched.
func TestPatchModelsWithYAMLEntries(t *testing.T) {
	const aEntry = "  - name: a\n    description: the a\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	const bEntry = "  - name: b\n    description: the b\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	const cEntry = "  - name: c\n    description: the c\n    config:\n      materialized: table\n      tags: [t]\n    columns:\n      - name: id\n        description: the key\n        data_tests:\n          - unique\n          - relationships:\n              to: ref('a')\n              field: id\n"
	props := func(entries ...string) string { return "version: 2\nmodels:\n" + strings.Join(entries, "") }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          "name: ye\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":      "select 1 as id\n",
			"models/b.sql":      "select id from {{ ref('a') }}\n",
			"models/_props.yml": props(aEntry, bEntry)}},
		{name: "a model added with its entry", patched: true, files: map[string]string{
			"models/c.sql":      "select id from {{ ref('a') }}\n",
			"models/_props.yml": props(aEntry, cEntry, bEntry)}},
		{name: "its SQL edited", patched: true, files: map[string]string{"models/c.sql": "select id, 2 as two from {{ ref('a') }}\n"}},
		{name: "its description edited", patched: true, files: map[string]string{
			"models/_props.yml": props(aEntry, strings.Replace(cEntry, "the c", "the c, edited", 1), bEntry)}},
		{name: "b renamed with its entry", patched: true, remove: []string{"models/b.sql"}, files: map[string]string{
			"models/b2.sql":     "select id from {{ ref('a') }}\n",
			"models/_props.yml": props(aEntry, strings.Replace(cEntry, "the c", "the c, edited", 1), strings.Replace(bEntry, "name: b\n", "name: b2\n", 1))}},
		{name: "c removed with its entry", patched: true, remove: []string{"models/c.sql"}, files: map[string]string{
			"models/_props.yml": props(aEntry, strings.Replace(bEntry, "name: b\n", "name: b2\n", 1))}},
		{name: "an entry removed, its model kept", patched: true, files: map[string]string{
			"models/_props.yml": props(aEntry)}},
		{name: "an entry for no model", patched: false, files: map[string]string{
			"models/_props.yml": props(aEntry, strings.Replace(bEntry, "name: b\n", "name: b2\n", 1), "  - name: ghost\n")}},
		{name: "back", patched: true, files: map[string]string{ // (session 33: the ghost's warning goes)
			"models/_props.yml": props(aEntry, strings.Replace(bEntry, "name: b\n", "name: b2\n", 1))}},
		{name: "a model added with an entry with Jinja", patched: false, files: map[string]string{
			"models/d.sql":      "select 1 as id\n",
			"models/_props.yml": props(aEntry, strings.Replace(bEntry, "name: b\n", "name: b2\n", 1), "  - name: d\n    description: \"{{ var('x', 'd') }}\"\n")}},
		{name: "it removed with its entry", patched: true, remove: []string{"models/d.sql"}, files: map[string]string{
			"models/_props.yml": props(aEntry, strings.Replace(bEntry, "name: b\n", "name: b2\n", 1))}},
		{name: "a model added with an entry that sets its alias", patched: true, files: map[string]string{
			"models/e.sql":      "select 1 as id\n",
			"models/_props.yml": props(aEntry, strings.Replace(bEntry, "name: b\n", "name: b2\n", 1), "  - name: e\n    config:\n      alias: e_alias\n")}},
	})
}

// TestPatchRemovedEntryTakesItsTestsWarnings: a model removed with its
// entry takes what the compile said of its tests with it (a warning in
// the YAML file, a render warning in a test's macro): compiled whole (a
// review found the warnings kept).
func TestPatchRemovedEntryTakesItsTestsWarnings(t *testing.T) {
	const a = "  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	const b = "  - name: b\n    columns:\n      - name: id\n        data_tests: [unique, unique]\n" // warns: declared twice
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: rw\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql": "select 1 as id\n", "models/b.sql": "select 1 as id\n", "models/_props.yml": "version: 2\nmodels:\n" + a + b}},
		{name: "b removed with its entry", patched: false, remove: []string{"models/b.sql"}, files: map[string]string{
			"models/_props.yml": "version: 2\nmodels:\n" + a}},
	})
	const c = "  - name: c\n    columns:\n      - name: id\n        data_tests: [odd]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: rw\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"macros/odd.sql": "{% test odd(model, column_name) %}{{ config(bogus_key=1) }}select * from {{ model }} where {{ column_name }} % 2 = 0{% endtest %}\n",
			"models/a.sql":   "select 1 as id\n", "models/c.sql": "select 1 as id\n",
			"models/_props.yml": "version: 2\nmodels:\n" + a + c}},
		{name: "c removed with its entry", patched: false, remove: []string{"models/c.sql"}, files: map[string]string{
			"models/_props.yml": "version: 2\nmodels:\n" + a}},
		{name: "c back", patched: false, files: map[string]string{"models/c.sql": "select 1 as id\n",
			"models/_props.yml": "version: 2\nmodels:\n" + a + c}},
		{name: "its test dropped", patched: false, files: map[string]string{
			"models/_props.yml": "version: 2\nmodels:\n" + a + strings.Replace(c, "[odd]", "[]", 1)}},
	})
}

// TestPatchAddedAndRemadeTestsInsertedInOrder: a new model's test and a
// test made again for another model, inserted at one place, go in id
// order (a review found them swapped).
func TestPatchAddedAndRemadeTestsInsertedInOrder(t *testing.T) {
	const a = "  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	const c = "  - name: c\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: ro\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql": "select 1 as id\n", "models/_props.yml": "version: 2\nmodels:\n" + a}},
		{name: "c added with its test, a's unique test added", patched: true, files: map[string]string{
			"models/c.sql":      "select 1 as id\n",
			"models/_props.yml": "version: 2\nmodels:\n" + strings.Replace(a, "[not_null]", "[not_null, unique]", 1) + c}},
	})
}

// TestPatchRefusesAVolatileTestMacro: a test a patch makes that calls a
// volatile macro (invocation_id) is left to the whole compile, which
// renders it every time (a review found its text kept).
func TestPatchRefusesAVolatileTestMacro(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	steps := []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: vt\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql": "select 1 as id\n",
			"macros/gen.sql": "{% macro generate_alias_name(custom_alias_name=none, node=none) %}{{ node.name }}{% endmacro %}\n" +
				"{% test stamped(model, column_name) %}select '{{ invocation_id }}' as inv from {{ model }} where false{% endtest %}\n",
			"models/_props.yml": "version: 2\nmodels:\n  - name: a\n"}},
		{name: "c added with a stamped test", files: map[string]string{"models/c.sql": "select 1 as id\n",
			"models/_props.yml": "version: 2\nmodels:\n  - name: a\n  - name: c\n    columns:\n      - name: id\n        data_tests: [stamped]\n"}},
		{name: "c edited", files: map[string]string{"models/c.sql": "select 2 as id\n"}},
	}
	for i, s := range steps {
		for rel, text := range s.files {
			writeProjectFile(t, dir, rel, text)
		}
		compareStep(t, Options{ProjectDir: dir, InvocationID: "inv" + strings.Repeat("x", i)}, s.name) // each compile its own id
	}
}

// TestPatchFoldersWithTheirYAML: a folder of models and the properties
// file describing them, made, renamed or removed, is patched
// (patchprops.go): each entry of a file added or removed goes with its
// model's file.
func TestPatchFoldersWithTheirYAML(t *testing.T) {
	const fin = "version: 2\nmodels:\n  - name: rev\n    description: revenue\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"
	const mk = "version: 2\nmodels:\n  - name: camp\n    description: campaigns\n    config:\n      materialized: table\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            "name: fo\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  fo:\n    mkt:\n      +tags: [marketing]\n",
			"models/a.sql":        "select 1 as id\n",
			"models/fin/rev.sql":  "select id from {{ ref('a') }}\n",
			"models/fin/_fin.yml": fin}},
		{name: "a folder made with its YAML", patched: true, files: map[string]string{
			"models/mk/camp.sql": "select id from {{ ref('a') }}\n",
			"models/mk/_mk.yml":  mk}},
		{name: "its model edited", patched: true, files: map[string]string{"models/mk/camp.sql": "select id, 2 as n from {{ ref('a') }}\n"}},
		{name: "the folder renamed (its folder config: tags)", patched: true, files: map[string]string{
			"models/mkt/camp.sql": "select id, 2 as n from {{ ref('a') }}\n",
			"models/mkt/_mk.yml":  mk},
			remove: []string{"models/mk/camp.sql", "models/mk/_mk.yml", "models/mk"}},
		{name: "a folder removed with its YAML", patched: true, remove: []string{"models/fin/rev.sql", "models/fin/_fin.yml", "models/fin"}},
		{name: "a properties file removed, its model kept", patched: true, remove: []string{"models/mkt/_mk.yml"}},
		{name: "a folder made with sources in its YAML", patched: true, files: map[string]string{
			"models/src/s.sql":  "select * from {{ source('raw', 't') }}\n",
			"models/src/_s.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n"}},
	})
}

// TestPatchNestedFolders: a folder of folders made under a directory that
// holds folders only, and renamed, is patched.
func TestPatchNestedFolders(t *testing.T) {
	const fin = "version: 2\nmodels:\n  - name: rev\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          "name: ne\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/stg/a.sql":  "select 1 as id\n",
			"models/stg/_a.yml": "version: 2\nmodels:\n  - name: a\n"}},
		{name: "models/marts/fin made", patched: true, files: map[string]string{
			"models/marts/fin/rev.sql":  "select id from {{ ref('a') }}\n",
			"models/marts/fin/_fin.yml": fin,
			"models/marts/top.sql":      "select id from {{ ref('a') }}\n"}},
		{name: "models/marts renamed", patched: true, files: map[string]string{
			"models/mart2/fin/rev.sql":  "select id from {{ ref('a') }}\n",
			"models/mart2/fin/_fin.yml": fin,
			"models/mart2/top.sql":      "select id from {{ ref('a') }}\n"},
			remove: []string{"models/marts/fin/rev.sql", "models/marts/fin/_fin.yml", "models/marts/top.sql", "models/marts/fin", "models/marts"}},
		{name: "an edit in it", patched: true, files: map[string]string{"models/mart2/top.sql": "select id, 1 as n from {{ ref('rev') }}\n"}},
	})
}

// TestPatchRootDirRemovedThenMade: a path root removed is recorded
// missing by a whole compile, so one made again later is seen (a review
// found it dropped): since session 39 the patch adds its files, its root
// standing for their kind (patchHead.Roots).
func TestPatchRootDirRemovedThenMade(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: fo\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmacro-paths: [\"macros\"]\n",
			"models/a.sql": "select 1 as id\n", "macros/.gitkeep": ""}},
		{name: "macros/ removed", patched: false, remove: []string{"macros/.gitkeep", "macros"}},
		{name: "macros/m.sql made", patched: true, files: map[string]string{"macros/m.sql": "{% macro m() %}1{% endmacro %}\n"}},
	})
}

// TestPatchLonePropsFileAddedThenEdited: a properties file describing no
// model, added alone, compiles whole, so the snapshot's files have it and
// its later edit is seen (a review found it unseen).
func TestPatchLonePropsFileAddedThenEdited(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	settle := func(rels ...string) { // not racy
		for _, rel := range rels {
			require.NoError(t, os.Chtimes(filepath.Join(dir, rel), old, old))
		}
		old = old.Add(time.Minute)
	}
	writeProjectFile(t, dir, "mart.yml", "name: fo\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
	settle("mart.yml", "models/a.sql", "models", ".")
	compareStep(t, Options{ProjectDir: dir, InvocationID: "inv"}, "cold")
	writeProjectFile(t, dir, "models/_new.yml", "version: 2\n")
	settle("models/_new.yml", "models")
	compareStep(t, Options{ProjectDir: dir, InvocationID: "inv"}, "an empty properties file added")
	writeProjectFile(t, dir, "models/_new.yml", "version: 2\nmodels:\n  - name: a\n    description: AAA\n")
	settle("models/_new.yml")
	compareStep(t, Options{ProjectDir: dir, InvocationID: "inv"}, "it describes a")
}

// TestPatchAddsModelsThatRefEachOther: models added in one edit, one
// refing another (in the order of their refs, whatever their paths'), a
// test of one relating it to another, are patched; each render sees the
// ones added before it as a whole compile's render does, before they
// rendered (an alias their config() sets is not seen).
func TestPatchAddsModelsThatRefEachOther(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: re\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql": "select 1 as id\n"}},
		{name: "a chain added, the last first by path", patched: true, files: map[string]string{
			"models/b_first.sql": "select id from {{ ref('z_stg') }}\n",
			"models/z_stg.sql":   "{{ config(alias='stg_z') }}\nselect id, '{{ ref('m_int').identifier }}' as n from {{ ref('m_int') }}\n",
			"models/m_int.sql":   "{{ config(alias='int_m') }}\nselect id from {{ ref('a') }}\n",
			"models/_new.yml":    "version: 2\nmodels:\n  - name: b_first\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('m_int')\n              field: id\n"}},
	})
	// two added that ref each other: a cycle, which the whole compile reports
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	writeProjectFile(t, dir, "mart.yml", "name: re\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n")
	writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	writeProjectFile(t, dir, "models/c1.sql", "select id from {{ ref('c2') }}\n")
	writeProjectFile(t, dir, "models/c2.sql", "select id from {{ ref('c1') }}\n")
	warm := opt
	warm.PartialParse = true
	pt, why := CompileByPatch(warm)
	require.Nil(t, pt)
	require.Contains(t, why, "refs an unknown model")
	res, diags := Compile(opt)
	require.Nil(t, res)
	require.True(t, diags.HasErrors())
}

// TestPatchMovedModels: a model file moved to another folder while its
// YAML entry stays where it was (the entry applied to it again, its tests
// made again with their ids) is patched, also when models and tests that
// stay depend on it, as long as what they see of it stays: its relation
// before and after it renders, its access and group. A move that changes
// those compiles whole.
func TestPatchMovedModels(t *testing.T) {
	const props = "version: 2\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        description: the key\n        data_tests: [unique, not_null]\n" +
		"  - name: b\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('a')\n              field: id\n"
	const project = "name: mv\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  mv:\n    stg:\n      +tags: [staging]\n    marts:\n      +materialized: table\n      +tags: [marts]\n    other:\n      +schema: other\n    eph:\n      +materialized: ephemeral\n    aliased:\n      +alias: a_elsewhere\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            project,
			"models/stg/a.sql":    "select 1 as id\n",
			"models/stg/b.sql":    "select id from {{ ref('a') }}\n",
			"models/marts/c.sql":  "select id from {{ ref('b') }}\n",
			"models/d.sql":        "select 2 as id\n",
			"models/marts/e.sql":  "select id from {{ ref('d') }}\n",
			"models/_props.yml":   props,
			"tests/a_has_one.sql": "select * from {{ ref('a') }} where id <> 1\n"}},
		{name: "a moved to marts, its entry kept (children, tests, a singular test stay)", patched: true,
			remove: []string{"models/stg/a.sql"}, files: map[string]string{"models/marts/a.sql": "select 1 as id\n"}},
		{name: "an edit of it after", patched: true, files: map[string]string{"models/marts/a.sql": "select 1 as id, 2 as two\n"}},
		{name: "b moved and edited (a new ref)", patched: true,
			remove: []string{"models/stg/b.sql"}, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }} join {{ ref('d') }} using (id)\n"}},
		{name: "d moved without an entry, a child staying", patched: true,
			remove: []string{"models/d.sql"}, files: map[string]string{"models/marts/d.sql": "select 2 as id\n"}},
		{name: "b moved again, another's description edited in its file", patched: true,
			remove: []string{"models/b.sql"}, files: map[string]string{"models/marts/b.sql": "select id from {{ ref('a') }}\n",
				"models/_props.yml": strings.Replace(props, "description: the a\n", "description: >\n      the a,\n      edited\n", 1)}},
		{name: "b moved, its own entry's description edited (taken from the new text)", patched: true,
			remove: []string{"models/marts/b.sql"}, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n",
				"models/_props.yml": strings.Replace(props, "  - name: b\n", "  - name: b\n    description: the b\n", 1)}},
		{name: "a moved to a folder of another schema (children see another relation)", patched: false,
			remove: []string{"models/marts/a.sql"}, files: map[string]string{"models/other/a.sql": "select 1 as id, 2 as two\n"}},
		{name: "an edit after", patched: true, files: map[string]string{"models/other/a.sql": "select 1 as id, 3 as two\n"}},
		{name: "a moved where it is ephemeral", patched: false,
			remove: []string{"models/other/a.sql"}, files: map[string]string{"models/eph/a.sql": "select 1 as id\n"}},
		{name: "a moved back", patched: false,
			remove: []string{"models/eph/a.sql"}, files: map[string]string{"models/marts/a.sql": "select 1 as id\n"}},
		{name: "the folder of a, c, d and e renamed, entries kept", patched: true,
			remove: []string{"models/marts/a.sql", "models/marts/c.sql", "models/marts/d.sql", "models/marts/e.sql", "models/marts"},
			files: map[string]string{"models/marts2/a.sql": "select 1 as id\n", "models/marts2/c.sql": "select id from {{ ref('b') }}\n",
				"models/marts2/d.sql": "select 2 as id\n", "models/marts2/e.sql": "select id from {{ ref('d') }}\n"}},
		// a child's render sees a's relation as it was before a rendered
		// (its config() not yet applied): a move that changes that one
		// changes the child's text
		{name: "a sets its alias, c shows a's", patched: true, files: map[string]string{
			"models/marts2/a.sql": "{{ config(alias='a') }}\nselect 1 as id\n",
			"models/marts2/c.sql": "select id, '{{ ref('a').identifier }}' as n from {{ ref('b') }}\n"}},
		{name: "a moved, its config() setting another alias", patched: false,
			remove: []string{"models/marts2/a.sql"}, files: map[string]string{"models/a.sql": "{{ config(alias='a_other') }}\nselect 1 as id\n"}},
		{name: "a moved back", patched: false,
			remove: []string{"models/a.sql"}, files: map[string]string{"models/marts2/a.sql": "{{ config(alias='a') }}\nselect 1 as id\n"}},
		{name: "a moved where the folder sets another alias (its own the same)", patched: false,
			remove: []string{"models/marts2/a.sql"}, files: map[string]string{"models/aliased/a.sql": "{{ config(alias='a') }}\nselect 1 as id\n"}},
	})
}

// TestPatchYAMLConfigEdits: a model's config: in YAML added, rewritten or
// removed (to plain YAML) is patched: the model is made again from its
// file and entry as a moved one is (its tests too), and what other nodes
// see of it must stay as it was.
func TestPatchYAMLConfigEdits(t *testing.T) {
	entryA := func(config string) string {
		return "  - name: a\n    description: the a\n" + config + "    columns:\n      - name: id\n        data_tests: [unique]\n"
	}
	entryB := func(config string) string {
		return "  - name: b\n" + config + "    columns:\n      - name: id\n        data_tests: [not_null]\n"
	}
	entryC := func(config string) string { return "  - name: c\n" + config }
	props := func(a, b, c string) string { return "version: 2\nmodels:\n" + entryA(a) + entryB(b) + entryC(c) }
	const bTable = "    config:\n      materialized: table\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          "name: yc\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":      "select 1 as id\n",
			"models/b.sql":      "select id from {{ ref('a') }}\n",
			"models/c.sql":      "{{ config(materialized='view') }}\nselect id from {{ ref('b') }}\n",
			"models/_props.yml": props("", bTable, "")}},
		{name: "a's config added (tags)", patched: true, files: map[string]string{
			"models/_props.yml": props("    config:\n      tags: [x]\n", bTable, "")}},
		{name: "a's config rewritten (materialized, meta, more lines)", patched: true, files: map[string]string{
			"models/_props.yml": props("    config:\n      materialized: table\n      tags: [x, y]\n      meta:\n        owner: ana\n", bTable, "")}},
		{name: "b's config removed", patched: true, files: map[string]string{
			"models/_props.yml": props("    config:\n      materialized: table\n      tags: [x, y]\n      meta:\n        owner: ana\n", "", "")}},
		{name: "c's config against its config()", patched: true, files: map[string]string{
			"models/_props.yml": props("    config:\n      materialized: table\n      tags: [x, y]\n      meta:\n        owner: ana\n", "", "    config:\n      materialized: table\n      alias: c_alias\n")}},
		{name: "a's config and description at once", patched: true, files: map[string]string{
			"models/_props.yml": strings.Replace(props("    config:\n      tags: [z]\n", "", "    config:\n      materialized: table\n      alias: c_alias\n"), "the a", "the a, edited", 1)}},
		{name: "a's schema (b depends on it)", patched: false, files: map[string]string{
			"models/_props.yml": props("    config:\n      schema: other\n", "", "    config:\n      materialized: table\n      alias: c_alias\n")}},
		{name: "back", patched: false, files: map[string]string{
			"models/_props.yml": props("", "", "    config:\n      materialized: table\n      alias: c_alias\n")}},
		{name: "c disabled", patched: true, files: map[string]string{
			"models/_props.yml": props("", "", "    config:\n      enabled: false\n")}},
		{name: "c enabled again", patched: true, files: map[string]string{
			"models/_props.yml": props("", "", "")}},
		{name: "a config with Jinja", patched: false, files: map[string]string{
			"models/_props.yml": props("    config:\n      tags: [\"{{ var('t', 'x') }}\"]\n", "", "")}},
		{name: "a config plain again", patched: true, files: map[string]string{
			"models/_props.yml": props("    config:\n      tags: [x]\n", "", "")}},
		{name: "a config and its SQL edited at once", patched: true, files: map[string]string{
			"models/a.sql":      "select 1 as id, 2 as two\n",
			"models/_props.yml": props("    config:\n      tags: [x, w]\n", "", "")}},
		// keys of the entry that configure it, as dbt reads them there
		{name: "b's meta, tags and docs at the entry's level", patched: true, files: map[string]string{
			"models/_props.yml": props("    config:\n      tags: [x, w]\n", "    meta:\n      owner: ana\n    docs: {show: false}\n", "")}},
		{name: "rewritten and reordered", patched: true, files: map[string]string{
			"models/_props.yml": props("    config:\n      tags: [x, w]\n", "    docs: {show: true}\n    meta: {owner: bo}\n", "")}},
		{name: "an unknown key (the compile warns)", patched: false, files: map[string]string{
			"models/_props.yml": props("    config:\n      tags: [x, w]\n", "    meta: {owner: bo}\n    colour: blue\n", "")}},
		{name: "gone again", patched: false, files: map[string]string{
			"models/_props.yml": props("    config:\n      tags: [x, w]\n", "    meta: {owner: bo}\n", "")}},
	})
}

// TestPatchMovedModelChildDropsRef: a child that stops refing a model
// moved in the same edit leaves its child_map list (a review found it
// kept there).
func TestPatchMovedModelChildDropsRef(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         "name: mv\nmodels:\n  mv:\n    marts:\n      +materialized: table\n",
			"models/stg/a.sql": "select 1 as id\n",
			"models/stg/b.sql": "select id from {{ ref('a') }}\n",
			"models/stg/d.sql": "select 1 as id\n",
			"tests/t.sql":      "select * from {{ ref('a') }} where id < 0\n"}},
		{name: "a moved, b refs d instead", patched: true,
			remove: []string{"models/stg/a.sql"}, files: map[string]string{
				"models/marts/a.sql": "select 1 as id\n", "models/stg/b.sql": "select id from {{ ref('d') }}\n"}},
		{name: "a moved back, the singular test refs d instead", patched: true,
			remove: []string{"models/marts/a.sql"}, files: map[string]string{
				"models/stg/a.sql": "select 1 as id\n", "tests/t.sql": "select * from {{ ref('d') }} where id < 0\n"}},
	})
}

// TestPatchEntriesOfModelsThatStay: a YAML entry added for a model that
// had none (documenting it), removed, or moved to another properties file
// (added or removed whole), while the model's file stays, is patched: the
// model is made again from its file and its entry, if any.
func TestPatchEntriesOfModelsThatStay(t *testing.T) {
	const aEntry = "  - name: a\n    description: the a\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	const bEntry = "  - name: b\n    description: the b\n    config:\n      tags: [documented]\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	props := func(entries ...string) string { return "version: 2\nmodels:\n" + strings.Join(entries, "") }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          "name: es\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":      "select 1 as id\n",
			"models/b.sql":      "select id from {{ ref('a') }}\n",
			"models/c.sql":      "select id from {{ ref('b') }}\n",
			"models/_props.yml": props(aEntry)}},
		{name: "b documented (an entry added)", patched: true, files: map[string]string{"models/_props.yml": props(aEntry, bEntry)}},
		{name: "a's entry removed (its tests go; b depends on it)", patched: true, files: map[string]string{"models/_props.yml": props(bEntry)}},
		{name: "a's entry added in a new file", patched: true, files: map[string]string{"models/_a.yml": props(aEntry)}},
		{name: "a's entry moved back, the new file removed", patched: true, remove: []string{"models/_a.yml"},
			files: map[string]string{"models/_props.yml": props(aEntry, bEntry)}},
		{name: "the properties file removed, its models kept", patched: true, remove: []string{"models/_props.yml"}},
		{name: "it comes back", patched: true, files: map[string]string{"models/_props.yml": props(aEntry, bEntry)}},
		{name: "an entry for no model", patched: false, files: map[string]string{"models/_props.yml": props(aEntry, bEntry, "  - name: ghost\n")}},
		{name: "it goes", patched: true, files: map[string]string{"models/_props.yml": props(aEntry, bEntry)}}, // (session 33)
	})
}

// TestPatchFileInEmptiedFolder: a model file made in a folder whose
// files all moved out (an empty directory under the model paths) is
// patched as in any other folder of them.
func TestPatchFileInEmptiedFolder(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         "name: ef\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmodels:\n  ef:\n    stg:\n      +tags: [s]\n",
			"models/stg/a.sql": "select 1 as id\n",
			"models/b.sql":     "select id from {{ ref('a') }}\n"}},
		{name: "a moved out of stg", patched: true, remove: []string{"models/stg/a.sql"}, files: map[string]string{"models/a.sql": "select 1 as id\n"}},
		{name: "a moved back into the empty stg", patched: true, remove: []string{"models/a.sql"}, files: map[string]string{"models/stg/a.sql": "select 1 as id\n"}},
		{name: "an empty folder made", patched: true, files: map[string]string{"models/empty/.keep": ""}},
		{name: "c made there", patched: true, files: map[string]string{"models/empty/c.sql": "select 2 as id\n"}},
	})
}

// TestPatchRemadeModelRefsItsChild: a model made again (its YAML config
// edited, its entry moved, its file moved) whose file now refs its own
// child closes a cycle, which the whole compile reports: not patched (a
// review found it patched).
func TestPatchRemadeModelRefsItsChild(t *testing.T) {
	for _, tc := range []struct {
		name   string
		remove string
		files  map[string]string
	}{
		{"config edited", "", map[string]string{"models/_props.yml": "version: 2\nmodels:\n  - name: a\n    config:\n      tags: [t]\n  - name: k\n",
			"models/a.sql": "select id from {{ ref('b') }}\n"}},
		{"entry moved to a new file", "", map[string]string{"models/_b.yml": "version: 2\nmodels:\n  - name: a\n    description: x\n",
			"models/_props.yml": "version: 2\nmodels:\n  - name: k\n", "models/a.sql": "select id from {{ ref('b') }}\n"}},
		{"moved", "models/a.sql", map[string]string{"models/x/a.sql": "select id from {{ ref('b') }}\n"}},
		{"moved, a longer cycle", "models/a.sql", map[string]string{"models/x/a.sql": "select id from {{ ref('c') }}\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("MART_PROFILES_DIR", "")
			dir := t.TempDir()
			for rel, text := range map[string]string{"mart.yml": "name: cy\n", "models/a.sql": "select 1 as id\n",
				"models/b.sql": "select id from {{ ref('a') }}\n", "models/c.sql": "select id from {{ ref('b') }}\n", "models/k.sql": "select 1 as id\n",
				"models/_props.yml": "version: 2\nmodels:\n  - name: a\n  - name: k\n"} {
				writeProjectFile(t, dir, rel, text)
			}
			opt := Options{ProjectDir: dir, InvocationID: "inv"}
			compareStep(t, opt, "cold")
			if tc.remove != "" {
				require.NoError(t, os.Remove(filepath.Join(dir, tc.remove)))
			}
			for rel, text := range tc.files {
				writeProjectFile(t, dir, rel, text)
			}
			cold, d := Compile(opt)
			require.Nil(t, cold, "the cold compile fails")
			opt.PartialParse = true
			pt, why := CompileByPatch(opt)
			require.Nil(t, pt, "patched what the cold compile rejects: %v", diagLines(d))
			require.Contains(t, why, "a cycle")
		})
	}
}

// TestPatchSourceDescriptions: an edit of sources' descriptions (of a
// source, a table, a table's column; plain strings, no line moved) is
// patched: the tables' entries are written with them.
func TestPatchSourceDescriptions(t *testing.T) {
	src := func(srcDesc, t1Desc, idDesc, extra string) string {
		return "version: 2\nsources:\n  - name: raw\n    description: " + srcDesc + "\n    schema: main\n    tables:\n" +
			"      - name: t1\n        description: " + t1Desc + "\n        columns:\n          - name: id\n            description: " + idDesc + "\n            data_tests: [not_null]\n" +
			"      - name: t2\n" + extra +
			"models:\n  - name: a\n    description: the a\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: sd\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":   "select id from {{ source('raw', 't1') }} union all select id from {{ source('raw', 't2') }}\n",
			"models/src.yml": src("raw data", "table one", "the key", "")}},
		{name: "a table's description", patched: true, files: map[string]string{"models/src.yml": src("raw data", "table 1", "the key", "")}},
		{name: "the source's (t2 has none of its own)", patched: true, files: map[string]string{"models/src.yml": src("raw data, edited", "table 1", "the key", "")}},
		{name: "a column's, and a model's in the same file", patched: true, files: map[string]string{
			"models/src.yml": strings.Replace(src("raw data, edited", "table 1", "the key, edited", ""), "the a", "the a, edited", 1)}},
		{name: "t2 gets one (a line more)", patched: true, files: map[string]string{"models/src.yml": src("raw data, edited", "table 1", "the key, edited", "        description: table two\n")}},
		{name: "t2's edited", patched: true, files: map[string]string{"models/src.yml": src("raw data, edited", "table 1", "the key, edited", "        description: table 2\n")}},
		{name: "Jinja", patched: false, files: map[string]string{"models/src.yml": src("\"{{ 'raw' }}\"", "table 1", "the key, edited", "        description: table two\n")}},
		{name: "plain again", patched: false, files: map[string]string{"models/src.yml": src("raw", "table 1", "the key, edited", "        description: table two\n")}},
		{name: "a table's identifier", patched: false, files: map[string]string{"models/src.yml": src("raw", "table 1", "the key, edited", "        description: table two\n        identifier: t_two\n")}},
		{name: "a column's tests (patchtests.go)", patched: true, files: map[string]string{"models/src.yml": strings.Replace(src("raw", "table 1", "the key, edited", "        description: table two\n        identifier: t_two\n"), "[not_null]", "[unique]", 1)}},
	})
}

// TestPatchDirReplacedBySymlink: a directory of the snapshot (empty, or
// with a model) replaced by a symlink to a directory of models stops a
// whole compile ("a symlink to a directory: mart does not follow it"):
// the patch must not make its files models (a review found it did).
func TestPatchDirReplacedBySymlink(t *testing.T) {
	for name, keep := range map[string]string{"empty": "models/e/.keep", "with a model": "models/e/b.sql"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("MART_PROFILES_DIR", "")
			dir := t.TempDir()
			for rel, text := range map[string]string{"mart.yml": "name: sy\n", "models/a.sql": "select 1 as id\n",
				keep: "select 3 as id\n", "other/b.sql": "select 3 as id\n", "other/x.sql": "select 2 as id\n"} {
				writeProjectFile(t, dir, rel, text)
			}
			opt := Options{ProjectDir: dir, InvocationID: "inv"}
			compareStep(t, opt, "cold")
			require.NoError(t, os.Remove(filepath.Join(dir, keep)))
			require.NoError(t, os.Remove(filepath.Join(dir, "models/e")))
			require.NoError(t, os.Symlink(filepath.Join(dir, "other"), filepath.Join(dir, "models/e")))
			cold, d := Compile(opt)
			require.Nil(t, cold, "the cold compile fails")
			opt.PartialParse = true
			pt, why := CompileByPatch(opt)
			require.Nil(t, pt, "patched what the cold compile rejects (%v); why=%q", diagLines(d), why)
		})
	}
}

// TestPatchSourceTests: a source table's tests and its columns' added,
// removed or rewritten are made again (patchtests.go), lines moving in a
// file of sources and models, and its columns added, renamed or removed;
// what the patch does not make (a disabled table, a quoting change)
// compiles whole.
func TestPatchSourceTests(t *testing.T) {
	const base = `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: t1
        columns:
          - name: id
            data_tests: [not_null]
          - name: kind
      - name: t2
        identifier: t_two
models:
  - name: a
    description: the a
`
	edit := func(pairs ...string) map[string]string {
		s := base
		for i := 0; i+1 < len(pairs); i += 2 {
			require.Contains(t, s, pairs[i])
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return map[string]string{"models/src.yml": s}
	}
	kindTests := "          - name: kind\n            data_tests:\n              - accepted_values:\n                  values: [x, y]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: st\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":   "select id from {{ source('raw', 't1') }} union all select id from {{ source('raw', 't2') }}\n",
			"models/b.sql":   "select id from {{ ref('a') }}\n",
			"models/src.yml": base}},
		{name: "a test added in the list", patched: true, files: edit("[not_null]", "[not_null, unique]")},
		{name: "a test on another column, lines moved", patched: true, files: edit("[not_null]", "[not_null, unique]", "          - name: kind\n", kindTests)},
		{name: "its argument rewritten", patched: true, files: edit("[not_null]", "[not_null, unique]", "          - name: kind\n", strings.Replace(kindTests, "[x, y]", "[x, y, z]", 1))},
		{name: "a table's own test, a relationships test to a model", patched: true, files: edit("      - name: t2\n",
			"      - name: t2\n        data_tests:\n          - relationships:\n              column_name: id\n              to: ref('b')\n              field: id\n")},
		{name: "a description and a test together", patched: true, files: edit("          - name: kind\n", "          - name: kind\n            description: the kind\n            data_tests: [not_null]\n", "[not_null]", "[unique]")},
		{name: "quoted columns", patched: true, files: edit("    schema: main\n", "    schema: main\n    quoting: {column: true}\n")},
		{name: "quoted columns, tests edited", patched: true, files: edit("    schema: main\n", "    schema: main\n    quoting: {column: true}\n", "[not_null]", "[unique, not_null]")},
		{name: "back to the start", patched: true, files: edit()},
		{name: "a column added with a test", patched: true, files: edit("          - name: kind\n", "          - name: kind\n          - name: v\n            data_tests: [not_null]\n")},
		{name: "back again", patched: true, files: edit()},
		{name: "a column added, typed and described", patched: true, files: edit("          - name: kind\n", "          - name: kind\n          - name: v\n            data_type: int\n            description: a v\n")},
		{name: "a column renamed", patched: true, files: edit("          - name: kind\n", "          - name: kind2\n")},
		{name: "and removed", patched: true, files: edit("          - name: kind\n", "")},
		{name: "the table disabled", patched: false, files: edit("      - name: t2\n", "      - name: t2\n        config: {enabled: false}\n")},
		{name: "its tests edited while disabled", patched: false, files: edit("      - name: t2\n", "      - name: t2\n        config: {enabled: false}\n        data_tests: [not_null]\n")},
	})
}

// TestPatchJinjaDescriptionKept: a description with Jinja the edit left as
// it was (a doc() call, a var) does not stop the patch of the rest of its
// file, lines moving; the doc or var edited with it is compiled as cold.
func TestPatchJinjaDescriptionKept(t *testing.T) {
	props := func(test, extra string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: \"{{ doc('a_doc') }}\"\n  - name: b\n    description: \"b of {{ var('who', 'us') }}\"\n" +
			"sources:\n  - name: raw\n    schema: main\n    tables:\n      - name: t1\n" + extra + "        columns:\n          - name: id\n            data_tests: " + test + "\n"
	}
	mart := func(who string) string {
		return "name: jd\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  who: " + who + "\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       mart("us"),
			"models/a.sql":   "select id from {{ source('raw', 't1') }}\n",
			"models/b.sql":   "select id from {{ ref('a') }}\n",
			"models/docs.md": "{% docs a_doc %}The a.{% enddocs %}\n",
			"models/p.yml":   props("[not_null]", "")}},
		{name: "a source test", patched: true, files: map[string]string{"models/p.yml": props("[not_null, unique]", "")}},
		{name: "a line added", patched: true, files: map[string]string{"models/p.yml": props("[not_null, unique]", "        description: the t1\n")}},
		{name: "the doc and a test", patched: true, files: map[string]string{"models/docs.md": "{% docs a_doc %}The A.{% enddocs %}\n", "models/p.yml": props("[unique]", "        description: the t1\n")}},
		{name: "the var and a test", files: map[string]string{"mart.yml": mart("them"), "models/p.yml": props("[not_null]", "        description: the t1\n")}},
		{name: "a test again", patched: true, files: map[string]string{"models/p.yml": props("[not_null, unique]", "")}},
		{name: "a's config: made again with its doc() description", patched: true, files: map[string]string{
			"models/p.yml": strings.Replace(props("[not_null, unique]", ""), "  - name: b\n", "    config: {tags: [t]}\n  - name: b\n", 1)}},
		{name: "b's config: made again with its var() description", files: map[string]string{
			"models/p.yml": strings.Replace(props("[not_null, unique]", ""), "\nsources:", "\n    config: {tags: [u]}\nsources:", 1)}},
	})
}

// TestPatchSourceTables: source tables added, removed, moved to another
// file and changed beyond their descriptions (patchsources.go), whole
// sources added and removed, with the models that read them; what the
// patch does not make (a relation another node builds, Jinja, a disabled
// table, one mart extract lands, a new relation under a reader) compiles
// whole.
func TestPatchSourceTables(t *testing.T) {
	t1 := "      - name: t1\n        columns:\n          - name: id\n            data_tests: [not_null]\n"
	t2 := "      - name: t2\n"
	src := func(tables ...string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n" + strings.Join(tables, "") + "models:\n  - name: a\n    description: the a\n"
	}
	t3 := "      - name: t3\n        description: the t3\n        columns:\n          - name: id\n            data_tests: [unique]\n"
	t4 := "      - name: t4\n        identifier: t_four\n"
	other := func(tables ...string) string {
		return "version: 2\nsources:\n  - name: ext\n    schema: outside\n    meta: {owner: ops}\n    tables:\n" + strings.Join(tables, "")
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         "name: stb\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"seeds/seeded.csv": "id\n1\n",
			"models/a.sql":     "select id from {{ source('raw', 't1') }} union all select id from {{ source('raw', 't2') }}\n",
			"models/b.sql":     "select id from {{ ref('a') }}\n",
			"models/src.yml":   src(t1, t2)}},
		{name: "a table added", patched: true, files: map[string]string{"models/src.yml": src(t1, t2, t3)}},
		{name: "a model reads it", patched: true, files: map[string]string{"models/c.sql": "select id from {{ source('raw', 't3') }}\n"}},
		{name: "a table and its reader added in one edit", patched: true, files: map[string]string{
			"models/src.yml": src(t1, t2, t3, t4), "models/d.sql": "select id from {{ source('raw', 't4') }}\n"}},
		{name: "a read table's meta, freshness and loaded_at_field", patched: true, files: map[string]string{
			"models/src.yml": src(strings.Replace(t1, "      - name: t1\n", "      - name: t1\n        meta: {owner: me}\n        loaded_at_field: at\n        freshness: {warn_after: {count: 1, period: day}}\n", 1), t2, t3, t4)}},
		{name: "its tests and tags with it", patched: true, files: map[string]string{
			"models/src.yml": src(strings.Replace(t1, "      - name: t1\n", "      - name: t1\n        meta: {owner: you}\n        tags: [raw]\n", 1), t2, strings.Replace(t3, "[unique]", "[unique, not_null]", 1), t4)}},
		{name: "a read table's identifier: its readers' SQL changes", patched: false, files: map[string]string{
			"models/src.yml": src(t1, t2, t3, strings.Replace(t4, "t_four", "t_4", 1))}},
		{name: "a table and its reader removed", patched: true, remove: []string{"models/d.sql"}, files: map[string]string{"models/src.yml": src(t1, t2, t3)}},
		{name: "a table nothing reads, added then renamed", patched: true, files: map[string]string{"models/src.yml": src(t1, t2, t3, "      - name: t5\n")}},
		{name: "its identifier", patched: true, files: map[string]string{"models/src.yml": src(t1, t2, t3, "      - name: t5\n        identifier: five\n")}},
		{name: "and removed", patched: true, files: map[string]string{"models/src.yml": src(t1, t2, t3)}},
		{name: "a source added in another file", patched: true, files: map[string]string{"models/other.yml": other("      - name: e1\n        columns:\n          - name: k\n            data_tests: [not_null]\n")}},
		{name: "a table moved to another file, its reader kept", patched: true, files: map[string]string{
			"models/src.yml":   src(t1, t2),
			"models/other.yml": other("      - name: e1\n") + "  - name: raw\n    schema: main\n    tables:\n" + t3}},
		{name: "a source removed whole", patched: true, files: map[string]string{"models/other.yml": "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n" + t3}},
		{name: "the file removed, the table back", patched: true, remove: []string{"models/other.yml"}, files: map[string]string{
			"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1)), "models/c.sql": "select id from {{ source('raw', 't3x') }}\n"}},
		{name: "a table with Jinja", patched: false, files: map[string]string{"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1), "      - name: j\n        identifier: \"{{ 'jay' }}\"\n")}},
		{name: "back", patched: true, files: map[string]string{"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1))}},
		{name: "a table a seed builds", patched: false, files: map[string]string{"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1), "      - name: seeded\n")}},
		{name: "back again", patched: true, files: map[string]string{"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1))}},
		{name: "a disabled table", patched: false, files: map[string]string{"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1), "      - name: off\n        config: {enabled: false}\n")}},
		{name: "back once more", patched: true, files: map[string]string{"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1))}},
		{name: "a table mart extract lands", patched: false, files: map[string]string{"models/src.yml": src(t1, t2, strings.Replace(t3, "t3", "t3x", 1), "      - name: ex\n        extract: {from: postgres, dsn: x, mode: full}\n")}},
	})
}

// TestPatchSourceTablesWithDocs: a source table added or made again whose
// descriptions call doc() (its own, its columns', its source's) is
// patched: they render with the docs blocks manifest.json holds
// (remakeSources, loadDocs); an edit of the docs blocks after that
// rewrites them, and one in the same save compiles whole.
func TestPatchSourceTablesWithDocs(t *testing.T) {
	src := func(tables ...string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: main\n    description: '{{ doc(\"key\") }} source'\n    tables:\n      - name: t1\n" + strings.Join(tables, "")
	}
	t2 := "      - name: t2\n        description: '{{ doc(\"thing\") }}'\n        columns:\n          - name: id\n            description: 'the {{ doc(\"key\") }}'\n            data_tests: [not_null]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: sdoc\nversion: \"1.0.0\"\n",
			"models/docs.md": "{% docs thing %}A thing.{% enddocs %}\n{% docs key %}key{% enddocs %}\n",
			"models/a.sql":   "select 1 as id from {{ source('raw', 't1') }}\n",
			"models/src.yml": src()}},
		{name: "a table described with doc() added", patched: true, files: map[string]string{"models/src.yml": src(t2)}},
		{name: "the docs block edited: its descriptions with it", patched: true, files: map[string]string{
			"models/docs.md": "{% docs thing %}A thing, edited.{% enddocs %}\n{% docs key %}key{% enddocs %}\n"}},
		{name: "made again (its identifier)", patched: true, files: map[string]string{
			"models/src.yml": src(strings.Replace(t2, "      - name: t2\n", "      - name: t2\n        identifier: t_two\n", 1))}},
		{name: "a table without a description added (its source's, with doc())", patched: true, files: map[string]string{
			"models/src.yml": src(t2, "      - name: t3\n")}},
		{name: "a table added as the docs change: whole", patched: false, files: map[string]string{
			"models/src.yml": src(t2, "      - name: t3\n", "      - name: t4\n        description: '{{ doc(\"thing\") }}'\n"),
			"models/docs.md": "{% docs thing %}A thing, again.{% enddocs %}\n{% docs key %}key{% enddocs %}\n"}},
		{name: "a table with other Jinja in its description: whole", patched: false, files: map[string]string{
			"models/src.yml": src(t2, "      - name: t3\n", "      - name: t4\n        description: '{{ doc(\"thing\") }}'\n",
				"      - name: t5\n        description: \"{{ var('x', 'y') }}\"\n")}},
	})
}

// TestPatchSourceTablesRenderedSchema: a table added to a source whose
// schema is a template (var, env_var, target) is patched when another
// table of it, which the whole compile rendered, renders the same; a
// source that had no table compiles whole.
// TestPatchSourceOwnKeys: a key of a source's own (its meta, freshness,
// loaded_at_field, tags...) edited makes every table of it again, as a
// table's own edit does, with their tests; its schema edited changes what
// its readers' SQL says (whole), as a key added or removed does.
func TestPatchSourceOwnKeys(t *testing.T) {
	src := func(own string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: main\n" + own + "    tables:\n" +
			"      - name: t1\n        columns:\n          - name: id\n            data_tests: [not_null]\n" +
			"      - name: t2\n        loaded_at_field: own_at\n" +
			"  - name: other\n    schema: main\n    tables:\n      - name: o1\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: sok\nversion: \"1.0.0\"\n",
			"models/a.sql":   "select id from {{ source('raw', 't1') }} union all select id from {{ source('raw', 't2') }}\n",
			"models/o.sql":   "select * from {{ source('other', 'o1') }}\n",
			"models/src.yml": src("    meta: {owner: data}\n    loaded_at_field: at\n    freshness: {warn_after: {count: 1, period: day}}\n    tags: [raw]\n")}},
		{name: "its meta", patched: true, files: map[string]string{
			"models/src.yml": src("    meta: {owner: ops}\n    loaded_at_field: at\n    freshness: {warn_after: {count: 1, period: day}}\n    tags: [raw]\n")}},
		{name: "its loaded_at_field (one table has its own) and freshness", patched: true, files: map[string]string{
			"models/src.yml": src("    meta: {owner: ops}\n    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw]\n")}},
		{name: "its tags (its tables' and their tests')", patched: true, files: map[string]string{
			"models/src.yml": src("    meta: {owner: ops}\n    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw, daily]\n")}},
		{name: "its schema: its readers' SQL changes", patched: false, files: map[string]string{
			"models/src.yml": strings.Replace(src("    meta: {owner: ops}\n    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw, daily]\n"), "schema: main\n", "schema: landing\n", 1)}},
		{name: "a table with Jinja (its meta renders): whole", patched: false, files: map[string]string{
			"models/src.yml": strings.Replace(src("    meta: {owner: ops}\n    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw, daily]\n"),
				"      - name: t2\n", "      - name: t2\n        meta: {k: \"{{ var('v', 'vv') }}\"}\n", 1)}},
		{name: "its own key edited then: whole", patched: false, files: map[string]string{
			"models/src.yml": strings.Replace(src("    meta: {owner: it}\n    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw, daily]\n"),
				"      - name: t2\n", "      - name: t2\n        meta: {k: \"{{ var('v', 'vv') }}\"}\n", 1)}},
		{name: "a key added that moves its readers' relation: whole", patched: false, files: map[string]string{
			"models/src.yml": src("    meta: {owner: ops}\n    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw, daily]\n    database: memory\n")}},
		{name: "back", patched: false, files: map[string]string{
			"models/src.yml": src("    meta: {owner: ops}\n    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw, daily]\n")}},
		{name: "its meta removed", patched: true, files: map[string]string{
			"models/src.yml": src("    loaded_at_field: loaded\n    freshness: {error_after: {count: 2, period: day}}\n    tags: [raw, daily]\n")}},
		{name: "its freshness and tags removed, meta added after them", patched: true, files: map[string]string{
			"models/src.yml": src("    loaded_at_field: loaded\n    meta:\n      owner: ops\n      team: data\n")}},
		{name: "a key with Jinja added: whole", patched: false, files: map[string]string{
			"models/src.yml": src("    loaded_at_field: loaded\n    meta:\n      owner: ops\n      team: data\n    config:\n      meta: {k: \"{{ var('v', 1) }}\"}\n")}},
		{name: "plain again", patched: true, files: map[string]string{
			"models/src.yml": src("    loaded_at_field: loaded\n    meta:\n      owner: ops\n      team: data\n")}},
		{name: "two keys swapped and one added: whole", patched: false, files: map[string]string{
			"models/src.yml": src("    meta:\n      owner: ops\n      team: data\n    loaded_at_field: loaded\n    tags: [x]\n")}},
	})
}

func TestPatchSourceTablesRenderedSchema(t *testing.T) {
	t.Setenv("PP_SCHEMA_ENV", "x")
	src := func(tables string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: \"{{ target.schema }}_{{ var('lane', 'raw') }}_{{ env_var('PP_SCHEMA_ENV', 'e') }}\"\n    tables:\n" + tables +
			"  - name: empty\n    schema: \"{{ var('lane', 'raw') }}\"\n    tables: []\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: rs\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
			"models/a.sql":   "select id from {{ source('raw', 't1') }}\n",
			"models/src.yml": src("      - name: t1\n")}},
		{name: "a table added", patched: true, files: map[string]string{"models/src.yml": src("      - name: t1\n      - name: t2\n")}},
		{name: "one to the source with none", patched: false, files: map[string]string{
			"models/src.yml": strings.Replace(src("      - name: t1\n      - name: t2\n"), "tables: []\n", "tables:\n      - name: e1\n", 1)}},
		{name: "the var changed", patched: false, files: map[string]string{"mart.yml": "name: rs\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nvars:\n  lane: fast\n"}},
		{name: "another table", patched: true, files: map[string]string{
			"models/src.yml": strings.Replace(src("      - name: t1\n      - name: t2\n      - name: t3\n"), "tables: []\n", "tables:\n      - name: e1\n", 1)}},
	})
}

// TestPatchSeedProperties: a seed's descriptions, columns and tests in
// YAML edited as a model's are patched, lines moving; so is its config
// (the seed made again from its entry: patchseeds.go), with its
// description and tests in the same save, unless its relation moves. An
// entry added, or its CSV edited with its YAML, compile whole.
func TestPatchSeedProperties(t *testing.T) {
	props := func(desc, cols string) string {
		return "version: 2\nseeds:\n  - name: countries\n    description: " + desc + "\n    columns:\n      - name: code\n        data_tests: [unique]\n" + cols +
			"models:\n  - name: a\n    description: the a\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            "name: sp\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nseed-paths: [\"seeds\"]\n",
			"seeds/countries.csv": "code,name\nfr,France\nde,Germany\n",
			"seeds/other.csv":     "id\n1\n",
			"models/a.sql":        "select code from {{ ref('countries') }}\n",
			"seeds/_seeds.yml":    props("the countries", "")}},
		{name: "its description", patched: true, files: map[string]string{"seeds/_seeds.yml": props("the countries we sell in", "")}},
		{name: "a column documented (lines move)", patched: true, files: map[string]string{"seeds/_seeds.yml": props("the countries we sell in", "      - name: name\n        description: its English name\n")}},
		{name: "a test added", patched: true, files: map[string]string{"seeds/_seeds.yml": strings.Replace(props("the countries we sell in", "      - name: name\n        description: its English name\n"), "[unique]", "[unique, not_null]", 1)}},
		{name: "a column removed", patched: true, files: map[string]string{"seeds/_seeds.yml": props("the countries we sell in", "")}},
		{name: "its column types", patched: true, files: map[string]string{"seeds/_seeds.yml": strings.Replace(props("the countries we sell in", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1)}},
		{name: "its tags, description and tests with them", patched: true, files: map[string]string{"seeds/_seeds.yml": strings.Replace(strings.Replace(strings.Replace(props("the countries we sell in", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1),
			"{code: varchar}\n", "{code: varchar}\n      tags: [geo]\n", 1), "[unique]", "[unique, not_null]", 1)}},
		{name: "its description with its config", patched: true, files: map[string]string{"seeds/_seeds.yml": strings.Replace(props("the countries, again", ""),
			"    columns:\n", "    config:\n      column_types: {code: text}\n    columns:\n", 1)}},
		{name: "its schema: its relation moves", patched: false, files: map[string]string{"seeds/_seeds.yml": strings.Replace(strings.Replace(props("the countries we sell in", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1),
			"{code: varchar}\n", "{code: varchar}\n      schema: geo\n", 1)}},
		{name: "back: it moves again", patched: false, files: map[string]string{"seeds/_seeds.yml": strings.Replace(props("the countries we sell in", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1)}},
		{name: "a templated config", patched: false, files: map[string]string{"seeds/_seeds.yml": strings.Replace(strings.Replace(props("the countries we sell in", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1),
			"{code: varchar}\n", "{code: varchar}\n      meta: {k: \"{{ var('k', 1) }}\"}\n", 1)}},
		{name: "plain again", patched: true, files: map[string]string{"seeds/_seeds.yml": strings.Replace(props("the countries we sell in", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1)}},
		{name: "its CSV and its description", patched: false, files: map[string]string{"seeds/countries.csv": "code,name\nfr,France\nde,Germany\nit,Italy\n",
			"seeds/_seeds.yml": strings.Replace(props("the countries", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1)}},
		{name: "another seed described", patched: false, files: map[string]string{"seeds/_seeds.yml": strings.Replace(strings.Replace(props("the countries", ""), "    columns:\n", "    config:\n      column_types: {code: varchar}\n    columns:\n", 1), "models:\n", "  - name: other\n    description: x\nmodels:\n", 1)}},
	})
}

// TestPatchSourceTablesReviewed: what a review found patched unlike a
// cold compile: a table added that another file declares too, a removed
// table's disabled tests, a table's description removed that uncovers its
// source's rendered one, a removed table's warning.
func TestPatchSourceTablesReviewed(t *testing.T) {
	mart := "name: rv\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"
	srcs := func(rawTables, plainTables string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: main\n    description: \"{{ doc('rawdoc') }}\"\n    tables:\n      - name: t1\n" + rawTables +
			"  - name: plain\n    schema: main\n    tables:\n      - name: p1\n" + plainTables
	}
	const t2 = "      - name: t2\n        description: two\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": mart,
			"models/a.sql": "select id from {{ source('raw', 't1') }}\n", "models/d.md": "{% docs rawdoc %}RAW{% enddocs %}\n",
			"models/src.yml": srcs(t2, ""),
			"models/b.yml":   "version: 2\nsources:\n  - name: plain\n    schema: main\n    tables:\n      - name: p3\n"}},
		{name: "p1 declared in b.yml too", coldFails: true, files: map[string]string{
			"models/b.yml": "version: 2\nsources:\n  - name: plain\n    schema: main\n    tables:\n      - name: p3\n      - name: p1\n"}},
		{name: "and in a new file", coldFails: true, files: map[string]string{
			"models/b.yml": "version: 2\nsources:\n  - name: plain\n    schema: main\n    tables:\n      - name: p3\n",
			"models/c.yml": "version: 2\nsources:\n  - name: plain\n    schema: main\n    tables:\n      - name: p1\n"}},
		{name: "back", patched: true, remove: []string{"models/c.yml"}},
		{name: "t2's description removed: the source's, rendered", files: map[string]string{"models/src.yml": srcs("      - name: t2\n", "")}},
		{name: "a table with a disabled test (compiled whole)", files: map[string]string{
			"models/src.yml": srcs("      - name: t2\n", "      - name: p2\n        columns:\n          - name: id\n            data_tests: [{not_null: {config: {enabled: false}}}]\n")}},
		{name: "removed with it", files: map[string]string{"models/src.yml": srcs("      - name: t2\n", "")}},
		{name: "a table with a test declared twice (a warning)", files: map[string]string{
			"models/src.yml": srcs("      - name: t2\n", "      - name: td\n        columns:\n          - name: id\n            data_tests: [not_null, not_null]\n")}},
		{name: "removed: the warning goes", files: map[string]string{"models/src.yml": srcs("      - name: t2\n", "")}},
	})
}

// TestPatchOnlySourceTable: the project's only source table made again,
// removed and added back, its first unit test added and its last removed,
// are patched: manifest.json's sources and unit_tests objects left empty
// or filled from empty (objectOpens), each step the cold compile's.
func TestPatchOnlySourceTable(t *testing.T) {
	const src = "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\n"
	const unit = "version: 2\nunit_tests:\n  - name: a_keeps\n    model: a\n    given: []\n    expect:\n      rows:\n          - {id: 1}\n"
	const unit2 = "version: 2\nunit_tests:\n  - name: a_keeps\n    model: a\n    given: []\n    expect:\n      rows:\n          - {id: 1}\n" +
		"  - name: a_keeps_too\n    model: a\n    given: []\n    expect:\n      rows:\n          - {id: 1}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: os\n", "models/a.sql": "select 1 as id\n", "models/c.sql": "select 2 as id\n", "models/src.yml": src}},
		{name: "the only table made again", patched: true, files: map[string]string{"models/src.yml": src + "        meta: {a: 1}\n"}},
		{name: "its freshness set", patched: true, files: map[string]string{
			"models/src.yml": src + "        loaded_at_field: at\n        freshness: {warn_after: {count: 1, period: day}}\n"}},
		{name: "a column test on it", patched: true, files: map[string]string{
			"models/src.yml": src + "        columns:\n          - name: id\n            data_tests: [not_null]\n"}},
		{name: "the file renamed", patched: true, remove: []string{"models/src.yml"}, files: map[string]string{
			"models/sources.yml": src + "        columns:\n          - name: id\n            data_tests: [not_null]\n"}},
		{name: "the file removed: no source left", patched: true, remove: []string{"models/sources.yml"}},
		{name: "the first source table", patched: true, files: map[string]string{"models/src.yml": src}},
		{name: "a second one and a model reading it", patched: true, files: map[string]string{
			"models/src.yml": src + "      - name: t2\n", "models/b.sql": "select * from {{ source('ext', 't2') }}\n"}},
		{name: "the model gone, then both tables", patched: true, remove: []string{"models/b.sql", "models/src.yml"}},
		{name: "the first unit test (sources empty)", any: true, files: map[string]string{"models/unit.yml": unit}},
		{name: "a second unit test", any: true, files: map[string]string{"models/unit.yml": unit2}},
		{name: "a source again (unit tests beside)", patched: true, files: map[string]string{"models/src.yml": src}},
		{name: "every unit test removed", any: true, remove: []string{"models/unit.yml"}},
		{name: "and the source table", patched: true, remove: []string{"models/src.yml"}},
		{name: "a unit test in the source's file", any: true, files: map[string]string{"models/src.yml": src + unit[len("version: 2\n"):]}},
		{name: "the table made again beside it", any: true, files: map[string]string{"models/src.yml": src + "        meta: {b: 2}\n" + unit[len("version: 2\n"):]}},
		{name: "all gone again", any: true, remove: []string{"models/src.yml"}},
		{name: "a properties file of models", any: true, files: map[string]string{"models/p.yml": "version: 2\nmodels:\n  - name: a\nunit_tests: []\n"}},
		{name: "the first unit test in it", patched: true, files: map[string]string{"models/p.yml": "version: 2\nmodels:\n  - name: a\n" + unit[len("version: 2\n"):]}},
		{name: "the only unit test made again", patched: true, files: map[string]string{
			"models/p.yml": "version: 2\nmodels:\n  - name: a\n" + unit[len("version: 2\n"):] + "    description: keeps\n"}},
		{name: "the first source table beside it", patched: true, files: map[string]string{"models/src.yml": src}},
		{name: "the last unit test out of it", patched: true, files: map[string]string{"models/p.yml": "version: 2\nmodels:\n  - name: a\nunit_tests: []\n"}},
		{name: "the source table out", patched: true, remove: []string{"models/src.yml"}},
		{name: "two unit tests at once", patched: true, files: map[string]string{"models/p.yml": "version: 2\nmodels:\n  - name: a\n" + unit2[len("version: 2\n"):]}},
		{name: "both out", patched: true, files: map[string]string{"models/p.yml": "version: 2\nmodels:\n  - name: a\nunit_tests: []\n"}},
		{name: "a source table, no unit test", patched: true, files: map[string]string{"models/src.yml": src}},
		{name: "the first unit test beside the source (found by the edit matrix)", patched: true, files: map[string]string{
			"models/p.yml": "version: 2\nmodels:\n  - name: a\n" + unit[len("version: 2\n"):]}},
		{name: "the last one out again", patched: true, files: map[string]string{"models/p.yml": "version: 2\nmodels:\n  - name: a\nunit_tests: []\n"}},
		{name: "a file of them added beside the source", patched: true, files: map[string]string{"models/u.yml": unit}},
	})
}

// whyRefused compiles a project of files cold, makes edit (which returns
// the path it changed, given an mtime a minute old, as an edit some time
// before) and says why the patch after it refused ("" when it patched).
func whyRefused(t *testing.T, files map[string]string, edit func(dir string) string) string {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	for rel, text := range files {
		writeProjectFile(t, dir, rel, text)
	}
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	past := time.Now().Add(-time.Minute)
	require.NoError(t, os.Chtimes(filepath.Join(dir, edit(dir)), past, past))
	opt.PartialParse = true
	_, why := CompileByPatch(opt)
	return why
}

// TestPatchOnlyModelRemoved: the project's only enabled model removed
// compiles whole (no entry of manifest.json's nodes to cut next to), saying
// so; before session 33 the reason was "entries ... are not where the
// snapshot says", which a reviewer took for a damaged snapshot.
func TestPatchOnlyModelRemoved(t *testing.T) {
	why := whyRefused(t, map[string]string{"mart.yml": "name: om\n", "models/a.sql": "select 1 as id\n",
		"models/off.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"},
		func(dir string) string {
			require.NoError(t, os.Remove(filepath.Join(dir, "models/a.sql")))
			return "models"
		})
	require.Contains(t, why, "every node of manifest.json's nodes is removed or made again")
}

// TestPatchSnapshotProperties: a snapshot's descriptions, columns and
// tests in YAML (of a SQL snapshot, and of one YAML declares with
// relation:) edited as a model's are patched, lines moving; its config
// compiles whole.
func TestPatchSnapshotProperties(t *testing.T) {
	props := func(desc, cols string) string {
		return "version: 2\nsnapshots:\n  - name: orders_snap\n    description: " + desc + "\n    columns:\n      - name: id\n        data_tests: [not_null]\n" + cols +
			"  - name: orders_history\n    relation: ref('a')\n    config: {unique_key: id, strategy: check, check_cols: all}\n    description: the history\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                  "name: snp\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nsnapshot-paths: [\"snapshots\"]\n",
			"models/a.sql":              "select 1 as id\n",
			"snapshots/orders_snap.sql": "{% snapshot orders_snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}\n",
			"snapshots/_snaps.yml":      props("the orders", "")}},
		{name: "its description", patched: true, files: map[string]string{"snapshots/_snaps.yml": props("the orders, kept", "")}},
		{name: "a column documented (lines move)", patched: true, files: map[string]string{"snapshots/_snaps.yml": props("the orders, kept", "      - name: status\n        description: its status\n")}},
		{name: "a test added", patched: true, files: map[string]string{"snapshots/_snaps.yml": strings.Replace(props("the orders, kept", "      - name: status\n        description: its status\n"), "[not_null]", "[not_null, unique]", 1)}},
		{name: "the YAML snapshot's description", patched: true, files: map[string]string{"snapshots/_snaps.yml": strings.Replace(props("the orders, kept", ""), "the history", "the orders' history", 1)}},
		{name: "its config", patched: false, files: map[string]string{"snapshots/_snaps.yml": strings.Replace(props("the orders, kept", ""), "check_cols: all", "check_cols: [id]", 1)}},
	})
}

// TestPatchModelAddedAndReffed: a model added (a model moved and renamed,
// its entry renamed with it) that a model edited in the same edit refs
// is patched: the models added are made before those whose refs changed
// render again; a cycle through them compiles whole (an error).
func TestPatchModelAddedAndReffed(t *testing.T) {
	props := func(name string) string {
		return "version: 2\nmodels:\n  - name: " + name + "\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: mr\n", "models/a.sql": "select 1 as id\n",
			"models/b.sql": "select id from {{ ref('a') }}\n", "models/_p.yml": props("a")}},
		{name: "a moved and renamed, b refs it so", patched: true, remove: []string{"models/a.sql"}, files: map[string]string{
			"models/sub/a2.sql": "select 1 as id\n", "models/b.sql": "select id from {{ ref('a2') }}\n", "models/_p.yml": props("a2")}},
		{name: "back where it was", patched: true, remove: []string{"models/sub/a2.sql"}, files: map[string]string{
			"models/a.sql": "select 1 as id\n", "models/b.sql": "select id from {{ ref('a') }}\n", "models/_p.yml": props("a")}},
		{name: "a new model b refs, reading b: a cycle", coldFails: true, files: map[string]string{
			"models/c.sql": "select id from {{ ref('b') }}\n", "models/b.sql": "select id from {{ ref('a') }} union all select id from {{ ref('c') }}\n"}},
		{name: "a new model b refs", patched: true, files: map[string]string{
			"models/c.sql": "select 2 as id\n", "models/b.sql": "select id from {{ ref('a') }} union all select id from {{ ref('c') }}\n"}},
	})
}

// TestPatchConfigOfDocDescribedModel: a model whose descriptions call
// doc() (the demo's fct_reservations) is made again from its YAML
// config's edit, its descriptions rendered with manifest.json's docs
// blocks (it compiled whole); with the docs edited in the same save, or
// Jinja in its config, it compiles whole.
func TestPatchConfigOfDocDescribedModel(t *testing.T) {
	props := func(config string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: \"{{ doc('a_doc') }}\"\n" + config +
			"    columns:\n      - name: id\n        description: \"{{ doc('a_doc') }} of a\"\n        data_tests: [unique]\n  - name: b\n    description: plain\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: dd\nversion: \"1.0.0\"\n",
			"models/a.sql":   "select 1 as id\n",
			"models/b.sql":   "select id from {{ ref('a') }}\n",
			"models/docs.md": "{% docs a_doc %}The a.{% enddocs %}\n",
			"models/p.yml":   props("")}},
		{name: "a's config added", patched: true, files: map[string]string{"models/p.yml": props("    config: {tags: [t1]}\n")}},
		{name: "a's config edited", patched: true, files: map[string]string{"models/p.yml": props("    config: {tags: [t2], materialized: table}\n")}},
		{name: "its config and the doc in one save", files: map[string]string{
			"models/docs.md": "{% docs a_doc %}The a, again.{% enddocs %}\n", "models/p.yml": props("    config: {tags: [t3]}\n")}},
		{name: "Jinja in its config", files: map[string]string{"models/p.yml": props("    config: {tags: [t3], meta: {d: \"{{ var('x', 'y') }}\"}}\n")}},
		{name: "and plain again", patched: true, files: map[string]string{"models/p.yml": props("    config: {tags: [t4]}\n")}},
	})
}

// TestPatchDescriptionJinjaBeyondDoc: a description with a Jinja comment
// or statement and no expression renders as dbt renders it (it was kept
// as written), from the patch and cold alike: the patch takes such a
// description for a template, not text.
func TestPatchDescriptionJinjaBeyondDoc(t *testing.T) {
	props := func(a, col, src string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: \"" + a + "\"\n    columns:\n      - name: id\n        description: \"" + col + "\"\n" +
			"sources:\n  - name: raw\n    schema: main\n    tables:\n      - name: t\n        description: \"" + src + "\"\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":       "name: dj\nversion: \"1.0.0\"\n",
			"models/a.sql":   "select id from {{ source('raw', 't') }}\n",
			"models/docs.md": "{% docs x %}The x.{% enddocs %}\n",
			"models/p.yml":   props("{{ doc('x') }} {# a note #}", "{% if true %}yes{% endif %} id", "plain {# c #}")}},
		{name: "a comment edited", files: map[string]string{"models/p.yml": props("{{ doc('x') }} {# another note #}", "{% if true %}yes{% endif %} id", "plain {# c #}")}},
		{name: "a statement edited", files: map[string]string{"models/p.yml": props("{{ doc('x') }} {# another note #}", "{% if false %}yes{% endif %} id", "plain {# c #}")}},
		{name: "a source's comment edited", patched: true, files: map[string]string{"models/p.yml": props("{{ doc('x') }} {# another note #}", "{% if false %}yes{% endif %} id", "plain {# d #}")}},
		{name: "plain again", files: map[string]string{"models/p.yml": props("{{ doc('x') }}", "id", "plain")}},
		{name: "plain text edited", patched: true, files: map[string]string{"models/p.yml": props("{{ doc('x') }} more", "the id", "plain t")}},
	})
}

// TestPatchEntryKeysThatAreConfigs: an entry's own access, group, docs or
// contract (configs, as dbt takes them) added, edited or removed patches
// as its config: does, or compiles whole, as the cold compile says.
func TestPatchEntryKeysThatAreConfigs(t *testing.T) {
	props := func(own string) string {
		return "version: 2\ngroups:\n  - name: g\n    owner: {name: o}\n  - name: h\n    owner: {name: o}\nmodels:\n  - name: a\n" + own +
			"    columns:\n      - name: id\n        data_type: integer\n  - name: b\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     "name: ek\nversion: \"1.0.0\"\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select id from {{ ref('a') }}\n",
			"models/p.yml": props("")}},
		{name: "docs added", patched: true, files: map[string]string{"models/p.yml": props("    docs: {show: false}\n")}},
		{name: "access added", files: map[string]string{"models/p.yml": props("    docs: {show: false}\n    access: public\n")}},
		{name: "group added", files: map[string]string{"models/p.yml": props("    access: public\n    group: g\n")}},
		{name: "group edited", files: map[string]string{"models/p.yml": props("    access: public\n    group: h\n")}},
		{name: "contract", files: map[string]string{"models/p.yml": props("    contract: {enforced: true}\n    config: {materialized: table}\n")}},
		{name: "both places", coldFails: true, files: map[string]string{"models/p.yml": props("    docs: {show: false}\n    config: {docs: {show: true}}\n")}},
		{name: "none", patched: true, files: map[string]string{"models/p.yml": props("")}},
	})
}
