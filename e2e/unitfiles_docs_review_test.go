package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Scenarios of review 35b (c05f7e1: a properties file added or removed
// with unit tests is patched; c227e74/4a34f67: docs generate keeps the
// patch snapshot and the render cache). Each command runs in a project
// with partial parsing ("light", MART_TIMINGS=1) and with
// --no-partial-parse in a copy ("whole"): exit code, stdout (without
// durations), stderr (without timing lines), manifest.json and every
// compiled file must be the same.

// r35bRun runs args in light and whole and compares them; it returns
// light's result.
func r35bRun(t *testing.T, light, whole, what string, args ...string) result {
	t.Helper()
	return r35bRunEnv(t, light, whole, nil, what, args...)
}

func r35bRunEnv(t *testing.T, light, whole string, env []string, what string, args ...string) result {
	t.Helper()
	a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, env...), args...)
	b := martEnv(t, whole, env, append(append([]string{}, args...), "--no-partial-parse")...)
	what = what + ": mart " + strings.Join(args, " ")
	norm := func(s string) string { return logTimes.ReplaceAllString(runOutput(s), `"ts":""`) }
	require.Equal(t, b.Code, a.Code, "%s\nlight: %s\nwhole: %s", what, a, b)
	r35Same(t, norm(b.Stdout), norm(a.Stdout), what+" (stdout)")
	r35Same(t, norm(b.Stderr), norm(timingLines.ReplaceAllString(a.Stderr, "")), what+" (stderr)")
	if _, err := os.Stat(filepath.Join(whole, "target", "manifest.json")); err == nil {
		r35Same(t, manifestBody(t, whole), manifestBody(t, light), what+" (manifest.json)")
	}
	if _, err := os.Stat(filepath.Join(whole, "target", "compiled")); err == nil {
		wt, lt := compiledTree(t, whole), compiledTree(t, light)
		for p, w := range wt {
			r35Same(t, w, lt[p], what+" (compiled/"+p+")")
		}
		for p := range lt {
			_, ok := wt[p]
			require.True(t, ok, "%s: light has compiled/%s, whole has not", what, p)
		}
	}
	for _, k := range []string{"no patch:", "no selection from the patch:"} {
		if i := strings.Index(a.Stderr, k); i >= 0 {
			t.Logf("%s: %s", what, strings.TrimSpace(strings.SplitN(a.Stderr[i:], "\n", 2)[0]))
		}
	}
	return a
}

// r35bPair is two projects of files, light compiled with partial parsing
// (first: the command, "compile" when none), whole not compiled.
func r35bPair(t *testing.T, files map[string]string, first ...string) (light, whole string) {
	t.Helper()
	light, whole = r35Pair(t, files, first...)
	if len(first) == 0 {
		first = []string{"compile"}
	}
	r := mart(t, whole, append(append([]string{}, first...), "--no-partial-parse")...)
	require.Equal(t, 0, r.Code, r.String())
	return light, whole
}

func r35bRemove(t *testing.T, rel string, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		require.NoError(t, os.Remove(filepath.Join(dir, rel)))
		r35Age(t, dir)
	}
}

func r35bProject() map[string]string {
	return map[string]string{
		"mart.yml":     "name: rbx\n",
		"seeds/sd.csv": "id,amount\n1,2\n2,5\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect id, amount from {{ ref('sd') }}\n",
		"models/u.sql": "select id, amount * 2 as doubled, date '2026-03-01' + cast(id as integer) as d, amount * 1.5 as x from {{ ref('a') }}\n",
		"models/v.sql": "select id from {{ ref('a') }} where amount > 3\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: u\n    columns:\n      - name: id\n        data_tests: [not_null]\n" +
			"  - name: ghost\n    description: no such model (a warning)\n",
	}
}

const r35bUnitU = "version: 2\nunit_tests:\n  - name: u_doubles\n    model: u\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1, amount: 2}\n" +
	"    expect:\n      rows:\n          - {id: 1, doubled: 4, d: 2026-03-02, x: 3.0}\n" +
	"  - name: u_wrong\n    model: u\n    config: {tags: [wrong]}\n    given:\n      - input: ref('a')\n        format: csv\n        rows: |\n          id,amount\n          2,5\n" +
	"    expect:\n      rows:\n          - {id: 2, doubled: 11}\n"

const r35bUnitV = "version: 2\nunit_tests:\n  - name: v_filters\n    model: v\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1, amount: 2}\n          - {id: 2, amount: 5}\n" +
	"    expect:\n      rows:\n          - {id: 2}\n"

// E1. a file of unit tests added, run, removed, run; another in a new
// folder; compile, test and build of a selection compared after each
func TestReview35bE2EUnitFileAddedAndRun(t *testing.T) {
	light, whole := r35bPair(t, r35bProject(), "build")
	r35Edit(t, "models/_u.yml", r35bUnitU, light, whole)
	r35bRun(t, light, whole, "a file of u's unit tests", "compile")
	r35bRun(t, light, whole, "a file of u's unit tests", "test", "--select", "u", "--threads", "1")
	r35bRun(t, light, whole, "a file of u's unit tests", "test", "--select", "unit_test:*", "--threads", "1")
	r35bRun(t, light, whole, "a file of u's unit tests", "ls", "--resource-type", "unit_test")
	r35bRun(t, light, whole, "a file of u's unit tests", "build", "--select", "tag:wrong", "--threads", "1")
	r35Edit(t, "models/sub/_v.yml", r35bUnitV, light, whole)
	r35bRun(t, light, whole, "a file of v's, in a new folder, without a compile", "build", "--select", "v", "--threads", "1")
	r35bRun(t, light, whole, "a file of v's, in a new folder", "compile")
	r35bRemove(t, "models/_u.yml", light, whole)
	r35bRun(t, light, whole, "u's file removed, without a compile", "test", "--select", "u", "--threads", "1")
	r35bRun(t, light, whole, "u's file removed", "ls", "--select", "unit_test:*")
	r35bRun(t, light, whole, "u's file removed", "compile")
	r35bRemove(t, "models/sub/_v.yml", light, whole)
	r35bRun(t, light, whole, "the last removed", "compile")
	r35bRun(t, light, whole, "the last removed", "test", "--threads", "1")
	r35Edit(t, "models/_u.yml", r35bUnitU, light, whole)
	r35bRun(t, light, whole, "u's back", "build", "--select", "u_doubles", "--threads", "1")
	r35bRun(t, light, whole, "u's back", "compile")
}

// E2. docs generate, then edits, then compile (patched), ls, build of a
// selection, docs generate again; with a unit test file added between
func TestReview35bE2EDocsThenEdits(t *testing.T) {
	files := r35bProject()
	files["models/_u.yml"] = r35bUnitU
	light, whole := r35bPair(t, files, "build", "--exclude", "u_wrong")
	r35bRun(t, light, whole, "first", "docs", "generate")
	r35Edit(t, "models/v.sql", "select id from {{ ref('a') }} where amount > 4\n", light, whole)
	a := r35bRun(t, light, whole, "v edited after docs generate", "compile")
	require.NotContains(t, a.Stderr, "no patch:", "the compile after docs generate patches")
	r35bRun(t, light, whole, "v edited after docs generate", "ls")
	r35Edit(t, "models/sub/_v.yml", r35bUnitV, light, whole)
	r35bRun(t, light, whole, "a unit test file added", "docs", "generate")
	r35Edit(t, "models/u.sql", "select id, amount + amount as doubled, date '2026-03-01' + cast(id as integer) as d, amount * 1.5 as x from {{ ref('a') }}\n", light, whole)
	r35bRun(t, light, whole, "u edited after docs generate", "build", "--select", "u", "--threads", "1")
	r35bRun(t, light, whole, "then", "compile")
	r35bRemove(t, "models/sub/_v.yml", light, whole)
	r35bRun(t, light, whole, "v's unit test file removed", "docs", "generate")
	r35bRun(t, light, whole, "again", "docs", "generate")
	r35bRun(t, light, whole, "then ls", "ls", "--select", "unit_test:*")
	r35Edit(t, "models/_m.yml", "version: 2\nmodels:\n  - name: u\n    description: the u\n    columns:\n      - name: id\n        data_tests: [not_null]\n", light, whole)
	r35bRun(t, light, whole, "a description after docs generate", "compile")
	r35bRun(t, light, whole, "no edit", "docs", "generate", "--empty-catalog")
	r35Edit(t, "models/v.sql", "select id from {{ ref('a') }} where amount > 1\n", light, whole)
	r35bRun(t, light, whole, "after docs generate --empty-catalog", "compile")
}

// E3. docs generate with --vars or --target other than the compile's,
// then compile without them
func TestReview35bE2EDocsVarsTarget(t *testing.T) {
	files := r35bProject()
	files["mart.yml"] = "name: rbx\nprofile: rbx\nvars:\n  lim: 3\n"
	files["profiles.yml"] = "rbx:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/dev.duckdb}\n    other: {type: duckdb, path: target/other.duckdb, schema: elsewhere}\n"
	files["models/v.sql"] = "select id, '{{ target.name }}' as t from {{ ref('a') }} where amount > {{ var('lim') }}\n"
	files["models/_u.yml"] = r35bUnitU
	light, whole := r35bPair(t, files, "build", "--exclude", "u_wrong")
	r35bRun(t, light, whole, "docs with vars", "docs", "generate", "--vars", "{lim: 4}")
	r35bRun(t, light, whole, "compile without", "compile")
	r35bRun(t, light, whole, "docs with vars again", "docs", "generate", "--vars", "{lim: 4}")
	r35Edit(t, "models/u.sql", "select id, amount * 2 as doubled, date '2026-03-01' + cast(id as integer) as d, amount * 1.5 as x, 1 as y from {{ ref('a') }}\n", light, whole)
	r35bRun(t, light, whole, "edit, compile without vars", "compile")
	r := mart(t, light, "build", "--target", "other", "--exclude", "u_wrong")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, whole, "build", "--target", "other", "--exclude", "u_wrong", "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	r35bRun(t, light, whole, "docs on other", "docs", "generate", "--target", "other")
	r35bRun(t, light, whole, "ls after docs on other", "ls")
	r35bRun(t, light, whole, "build a selection after docs on other", "build", "--select", "v", "--threads", "1")
	r35bRun(t, light, whole, "docs on other again", "docs", "generate", "--target", "other")
	r35Edit(t, "models/v.sql", "select id, '{{ target.name }}' as t from {{ ref('a') }} where amount >= {{ var('lim') }}\n", light, whole)
	r35bRun(t, light, whole, "compile on dev after docs on other", "compile")
	r35bRun(t, light, whole, "docs with vars and other", "docs", "generate", "--target", "other", "--vars", "{lim: 1}")
	r35bRun(t, light, whole, "compile --vars", "compile", "--vars", "{lim: 1}")
	r35bRun(t, light, whole, "test --vars", "test", "--select", "u", "--threads", "1", "--vars", "{lim: 1}")
}

// E4. docs generate after a failed compile, and failing itself
func TestReview35bE2EDocsAfterFailure(t *testing.T) {
	files := r35bProject()
	files["models/_u.yml"] = r35bUnitU
	light, whole := r35bPair(t, files, "build", "--exclude", "u_wrong")
	r35Edit(t, "models/v.sql", "select id from {{ ref('nosuch') }}\n", light, whole)
	r35bRun(t, light, whole, "broken", "compile")
	r35bRun(t, light, whole, "broken", "docs", "generate")
	r35Edit(t, "models/v.sql", "select id from {{ ref('a') }} where amount > 0\n", light, whole)
	r35bRun(t, light, whole, "fixed", "docs", "generate")
	r35bRun(t, light, whole, "fixed", "compile")
	r35Edit(t, "models/sub/_v.yml", strings.Replace(r35bUnitV, "ref('a')", "ref('u')", 1), light, whole)
	r35bRun(t, light, whole, "a bad unit test file", "docs", "generate")
	r35bRun(t, light, whole, "a bad unit test file", "compile")
	r35Edit(t, "models/sub/_v.yml", r35bUnitV, light, whole)
	r35bRun(t, light, whole, "the unit test file fixed", "compile")
	r35Edit(t, "models/_u.yml", strings.Replace(r35bUnitU, "u_wrong", "u_doubles", 1), light, whole)
	r35bRun(t, light, whole, "declared twice", "docs", "generate")
	r35Edit(t, "models/_u.yml", r35bUnitU, light, whole)
	r35bRun(t, light, whole, "back", "docs", "generate")
	r35bRun(t, light, whole, "back", "compile")
}

// r35bIntrospective is the introspective project's files with a unit test
// of a model that reads star_m4.
func r35bIntrospective(t *testing.T) map[string]string {
	dir := introspectiveProject(t)
	files := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = readFile(t, dir, rel)
		return nil
	}))
	files["models/_after.yml"] = "version: 2\nunit_tests:\n  - name: after_keeps\n    model: after_star\n    given:\n      - input: ref('star_m4')\n        rows:\n          - {id: 1, n: 1}\n    expect:\n      rows:\n          - {id: 1, n: 1}\n"
	files["models/asks.sql"] = "{% if execute %}{% set n = run_query('select 42 as n').columns[0].values()[0] %}{% else %}{% set n = 0 %}{% endif %}\nselect {{ n }} as n\n"
	return files
}

// E5. docs generate --empty-catalog in a project of models that query the
// warehouse while they render: then ls, build of a selection, show,
// compile --select, compile
func TestReview35bE2EDocsEmptyCatalogIntrospective(t *testing.T) {
	files := r35bIntrospective(t)
	light, whole := r35bPair(t, files, "build")
	r35bRun(t, light, whole, "after build", "docs", "generate", "--empty-catalog")
	r35bRun(t, light, whole, "after docs --empty-catalog", "ls")
	r35bRun(t, light, whole, "after docs --empty-catalog", "ls", "--select", "star_m4+", "-o", "json")
	r35bRun(t, light, whole, "after docs --empty-catalog", "show", "--select", "star_m4")
	r35bRun(t, light, whole, "after docs --empty-catalog", "compile", "--select", "star_m4")
	r35bRun(t, light, whole, "after docs --empty-catalog", "docs", "generate", "--empty-catalog")
	r35bRun(t, light, whole, "after docs --empty-catalog", "build", "--select", "after_star", "--threads", "1")
	r35bRun(t, light, whole, "after docs --empty-catalog", "docs", "generate", "--empty-catalog")
	r35bRun(t, light, whole, "after docs --empty-catalog", "compile")
	r35bRun(t, light, whole, "docs", "docs", "generate")
	r35Edit(t, "models/m2.sql", "select id from {{ ref('m3') }} where id > 0\n", light, whole)
	r35bRun(t, light, whole, "an edit after docs", "compile")
	r35bRun(t, light, whole, "docs --empty-catalog", "docs", "generate", "--empty-catalog")
	r35Edit(t, "models/m2.sql", "select id from {{ ref('m3') }} where id > 1\n", light, whole)
	r35bRun(t, light, whole, "an edit after docs --empty-catalog", "build", "--select", "m2", "--threads", "1")
	r35bRun(t, light, whole, "an edit after docs --empty-catalog", "compile")
	r35bRun(t, light, whole, "docs --no-partial-parse in light too", "docs", "generate", "--no-partial-parse")
	r35Edit(t, "models/m2.sql", "select id from {{ ref('m3') }} where id > 2\n", light, whole)
	r35bRun(t, light, whole, "an edit after docs --no-partial-parse", "compile")
	r35bRun(t, light, whole, "ls after", "ls")
}

// E6. docs generate --empty-catalog keeps the snapshot of a project of no
// introspective model; a model made to query the warehouse after it
func TestReview35bE2EDocsEmptyCatalogThenIntrospective(t *testing.T) {
	files := r35bProject()
	light, whole := r35bPair(t, files, "build")
	r35bRun(t, light, whole, "first", "docs", "generate", "--empty-catalog")
	r35Edit(t, "models/v.sql", "{% set n = run_query('select 3 as n').columns[0].values()[0] if execute else 0 %}\nselect id from {{ ref('a') }} where amount > {{ n }}\n", light, whole)
	r35bRun(t, light, whole, "v queries the warehouse", "compile")
	r35bRun(t, light, whole, "then docs --empty-catalog", "docs", "generate", "--empty-catalog")
	r35bRun(t, light, whole, "then build v", "build", "--select", "v", "--threads", "1")
	r35Edit(t, "models/v.sql", "select id from {{ ref('a') }} where amount > 2\n", light, whole)
	r35bRun(t, light, whole, "v plain again", "docs", "generate", "--empty-catalog")
	r35Edit(t, "models/sub/_v.yml", r35bUnitV, light, whole)
	r35bRun(t, light, whole, "a unit test file", "compile")
	r35bRun(t, light, whole, "run it", "test", "--select", "v", "--threads", "1")
}

// E7. an empty folder made, then mart ls (read-only: it may put the
// snapshot's head back), then a file of unit tests (or a model) written
// into that folder, then compile
func TestReview35bE2ELsAfterEmptyFolder(t *testing.T) {
	for _, c := range []struct{ name, rel, text string }{
		{"unit tests", "models/newdir/_u.yml", r35bUnitV},
		{"a model", "models/newdir/n.sql", "select 1 as id\n"},
		{"a props file", "models/newdir/_p.yml", "version: 2\nmodels:\n  - name: v\n    description: the v\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			light, whole := r35bPair(t, r35bProject(), "compile")
			for _, dir := range []string{light, whole} {
				require.NoError(t, os.MkdirAll(filepath.Join(dir, "models", "newdir"), 0o755))
				r35Age(t, dir)
			}
			r35bRun(t, light, whole, "an empty folder", "ls")
			r35bRun(t, light, whole, "an empty folder", "ls", "--select", "v")
			r35Edit(t, c.rel, c.text, light, whole)
			r35bRun(t, light, whole, "a file in it", "compile")
			r35bRun(t, light, whole, "a file in it", "ls")
		})
	}
}

// E8. models added and removed around docs generate; a compile of a
// selection, a run of one before it
func TestReview35bE2EDocsModelsAddedRemoved(t *testing.T) {
	files := r35bProject()
	files["models/_u.yml"] = r35bUnitU
	light, whole := r35bPair(t, files, "compile")
	r35bRun(t, light, whole, "seed", "seed")
	r35bRun(t, light, whole, "a selection", "compile", "--select", "v")
	r35bRun(t, light, whole, "after a selection", "docs", "generate", "--empty-catalog")
	r35bRemove(t, "models/v.sql", light, whole)
	r35bRun(t, light, whole, "v removed", "docs", "generate", "--empty-catalog")
	r35Edit(t, "models/w.sql", "select id from {{ ref('u') }}\n", light, whole)
	r35bRun(t, light, whole, "w added", "compile")
	r35bRun(t, light, whole, "run a", "run", "--select", "a")
	r35Edit(t, "models/w2.sql", "select id from {{ ref('w') }}\n", light, whole)
	r35bRun(t, light, whole, "after a run, w2 added", "docs", "generate", "--empty-catalog")
	r35bRemove(t, "models/w.sql", light, whole)
	r35bRemove(t, "models/w2.sql", light, whole)
	r35bRun(t, light, whole, "w, w2 removed", "compile")
	r35bRun(t, light, whole, "then docs", "docs", "generate", "--empty-catalog")
	r35bRemove(t, "models/_u.yml", light, whole)
	r35bRun(t, light, whole, "unit tests removed after docs", "compile")
}

// E9. a file whose unit tests the project file's unit_tests: folder config
// disables, removed (or its list emptied): manifest.json's disabled
// object must not keep them
func TestReview35bE2EFolderDisabledUnitFileRemoved(t *testing.T) {
	files := r35bProject()
	files["mart.yml"] = "name: rbx\nunit_tests:\n  rbx:\n    off:\n      +enabled: false\n"
	files["models/off/_v.yml"] = r35bUnitV
	for _, c := range []struct {
		name string
		edit func(light, whole string)
	}{
		{"removed", func(light, whole string) { r35bRemove(t, "models/off/_v.yml", light, whole) }},
		{"emptied", func(light, whole string) {
			r35Edit(t, "models/off/_v.yml", "version: 2\nunit_tests: []\n", light, whole)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			light, whole := r35bPair(t, files, "compile")
			c.edit(light, whole)
			r35bRun(t, light, whole, c.name, "compile")
		})
	}
}

// E10. docs generate between edits a patch cannot make (the project file,
// a macro), which compile whole from the render cache docs generate wrote
func TestReview35bE2EDocsRenderCache(t *testing.T) {
	files := r35bProject()
	files["macros/twice.sql"] = "{% macro twice(x) %}{{ x }} * 2{% endmacro %}\n"
	files["models/u.sql"] = "select id, {{ twice('amount') }} as doubled, date '2026-03-01' + cast(id as integer) as d, amount * 1.5 as x from {{ ref('a') }}\n"
	files["models/k.sql"] = "select {{ var('kv', 1) }} as k, id from {{ ref('v') }}\n"
	files["models/_u.yml"] = r35bUnitU
	light, whole := r35bPair(t, files, "docs", "generate", "--empty-catalog")
	r35bRun(t, light, whole, "docs twice", "docs", "generate", "--empty-catalog")
	r35Edit(t, "mart.yml", "name: rbx\nvars:\n  kv: 5\n", light, whole)
	r35bRun(t, light, whole, "mart.yml edited", "compile")
	r35bRun(t, light, whole, "docs", "docs", "generate", "--empty-catalog")
	r35Edit(t, "macros/twice.sql", "{% macro twice(x) %}{{ x }} + {{ x }}{% endmacro %}\n", light, whole)
	r35bRun(t, light, whole, "the macro edited", "docs", "generate", "--empty-catalog")
	r35bRun(t, light, whole, "then", "compile")
	r35Edit(t, "mart.yml", "name: rbx\nvars:\n  kv: 6\n", light, whole)
	r35bRun(t, light, whole, "mart.yml edited again", "docs", "generate", "--empty-catalog")
	r35Edit(t, "macros/twice.sql", "{% macro twice(x) %}2 * {{ x }}{% endmacro %}\n", light, whole)
	r35bRun(t, light, whole, "the macro edited again", "compile")
	r35bRun(t, light, whole, "vars", "docs", "generate", "--empty-catalog", "--vars", "{kv: 9}")
	r35bRun(t, light, whole, "vars", "compile", "--vars", "{kv: 9}")
	r35bRun(t, light, whole, "no vars", "compile")
	r35Edit(t, "models/sub/_v.yml", r35bUnitV, light, whole)
	r35bRun(t, light, whole, "a unit test file", "docs", "generate", "--empty-catalog")
	r35bRemove(t, "models/_u.yml", light, whole)
	r35bRun(t, light, whole, "one removed", "compile")
}

// E11. unit tests added in files of folders the project file tags, run by
// tag, by name, by path, by their model, without a compile between
func TestReview35bE2EUnitFileTaggedFolders(t *testing.T) {
	files := r35bProject()
	files["mart.yml"] = "name: rbx\nunit_tests:\n  rbx:\n    +tags: [unit]\n    sub:\n      +tags: [subunit]\n      +meta: {owner: ana}\n"
	light, whole := r35bPair(t, files, "build")
	r35Edit(t, "models/sub/_v.yml", r35bUnitV, light, whole)
	r35Edit(t, "models/_u.yml", r35bUnitU, light, whole)
	r35bRun(t, light, whole, "two files", "test", "--select", "tag:subunit", "--threads", "1")
	r35bRun(t, light, whole, "two files", "test", "--select", "tag:unit", "--exclude", "tag:wrong", "--threads", "1")
	r35bRun(t, light, whole, "two files", "ls", "--select", "path:models/sub", "-o", "json")
	r35bRun(t, light, whole, "two files", "build", "--select", "v_filters", "--threads", "1")
	r35bRun(t, light, whole, "two files", "build", "--select", "+v", "--threads", "1")
	r35bRun(t, light, whole, "two files", "ls", "--select", "config.meta.owner:ana")
	r35bRemove(t, "models/sub/_v.yml", light, whole)
	r35bRun(t, light, whole, "one removed", "test", "--select", "tag:subunit", "--threads", "1")
	r35bRun(t, light, whole, "one removed", "compile")
	r35bRun(t, light, whole, "one removed", "ls", "--select", "tag:unit")
}
