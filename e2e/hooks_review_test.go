package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Scenarios of review 35c (d1b332e: an edit of on-run-start or on-run-end
// hooks is patched; runs loaded from the snapshot must run the current
// hooks). Two copies of a project go through the same edits and commands,
// one with partial parsing (MART_TIMINGS=1: whether it loaded from the
// snapshot is logged) and one with --no-partial-parse; after each command
// their exit codes, console output, diagnostics, run_results.json (and
// the SQL each node ran), manifest.json and every table must be the same.

type r35cStep struct {
	name   string
	files  map[string]string // written in both copies before the command
	remove []string
	env    []string
	args   []string
	// out: a file the command writes (relative to the project), compared
	out string
}

var (
	r35cTimings = regexp.MustCompile(`(?m)^mart timing: [^\n]*\n?`)
	r35cNumbers = regexp.MustCompile(`"(elapsed|elapsed_time|execution_time|ts|generated_at|started_at|completed_at|invocation_id|run_started_at)":\s*("[^"]*"|[0-9.e+-]+)`)
	r35cUUID    = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

func r35cNorm(s, dir string) string {
	s = r35cTimings.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, filepath.ToSlash(dir), "DIR")
	s = r35cNumbers.ReplaceAllString(s, `"$1":X`)
	s = r35cUUID.ReplaceAllString(s, "UUID")
	return durations.ReplaceAllString(s, "Ns")
}

// r35cPair runs steps in a light and a whole copy of files and compares
// them after each; it returns how many commands loaded from the snapshot.
func r35cPair(t *testing.T, files map[string]string, steps []r35cStep) int {
	t.Helper()
	light, whole := t.TempDir(), t.TempDir()
	for _, dir := range []string{light, whole} {
		for rel, text := range files {
			writeFile(t, dir, rel, text)
		}
	}
	loaded := 0
	for _, s := range steps {
		for _, dir := range []string{light, whole} {
			for rel, text := range s.files {
				writeFile(t, dir, rel, text)
			}
			for _, rel := range s.remove {
				require.NoError(t, os.Remove(filepath.Join(dir, rel)))
			}
		}
		// one thread: nodes run, and print, in the plan's order
		switch s.args[0] {
		case "build", "run", "test", "seed", "retry":
			if !slices.Contains(s.args, "--threads") {
				s.args = append(append([]string{}, s.args...), "--threads", "1")
			}
		}
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, s.env...), s.args...)
		b := martEnv(t, whole, s.env, append(append([]string{}, s.args...), "--no-partial-parse")...)
		what := s.name + ": mart " + strings.Join(s.args, " ")
		if s.args[0] == "ls" && patchWrote.MatchString(a.Stderr) {
			// an ls after an edit patches target/ (since session 43):
			// whole's is a compile's
			r := martEnv(t, whole, s.env, "compile", "--no-partial-parse")
			require.Equal(t, 0, r.Code, "%s: the whole compile: %s", what, r)
		}
		if loadedFromPatch.MatchString(a.Stderr) {
			loaded++
			t.Logf("%s: loaded from the snapshot", what)
		} else {
			t.Logf("%s: %s", what, noSelectionReason(a.Stderr))
		}
		require.Equal(t, b.Code, a.Code, "%s: exit code\nlight: %s\nwhole: %s", what, a, b)
		require.Equal(t, r35cNorm(b.Stdout, whole), r35cNorm(a.Stdout, light), "%s: stdout", what)
		require.Equal(t, r35cNorm(b.Stderr, whole), r35cNorm(a.Stderr, light), "%s: stderr", what)
		if s.out != "" {
			require.Equal(t, r35cNorm(readFile(t, whole, s.out), whole), r35cNorm(readFile(t, light, s.out), light), "%s: %s", what, s.out)
		}
		_, errA := os.Stat(filepath.Join(light, "target", "run_results.json"))
		_, errB := os.Stat(filepath.Join(whole, "target", "run_results.json"))
		require.Equal(t, errB == nil, errA == nil, "%s: run_results.json written", what)
		if errA == nil {
			require.Equal(t, ranSQL(t, whole), ranSQL(t, light), "%s: run_results.json", what)
			require.Equal(t, r35cNorm(readFile(t, whole, "target/run_results.json"), whole),
				r35cNorm(readFile(t, light, "target/run_results.json"), light), "%s: run_results.json", what)
		}
		_, errA = os.Stat(filepath.Join(light, "target", "manifest.json"))
		_, errB = os.Stat(filepath.Join(whole, "target", "manifest.json"))
		require.Equal(t, errB == nil, errA == nil, "%s: manifest.json written", what)
		if errA == nil {
			require.Equal(t, manifestBody(t, whole), manifestBody(t, light), "%s: manifest.json", what)
		}
		_, errA = os.Stat(filepath.Join(light, "target", "mart.duckdb"))
		_, errB = os.Stat(filepath.Join(whole, "target", "mart.duckdb"))
		require.Equal(t, errB == nil, errA == nil, "%s: mart.duckdb", what)
		if errA == nil {
			require.Equal(t, tables(t, whole), tables(t, light), "%s: tables", what)
		}
	}
	return loaded
}

func r35cMart(hooks string) string {
	return "name: hk\nvars:\n  n: 1\n" + hooks + "models:\n  hk:\n    +materialized: view\n"
}

var r35cBase = map[string]string{
	"models/a.sql":   "select 1 as id\n",
	"models/b.sql":   "select id + {{ var('n') }} as id from {{ ref('a') }}\n",
	"models/c.sql":   "{{ config(materialized='table') }}\nselect * from {{ ref('b') }}\n",
	"models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect 7 as id\n",
	"models/d.sql":   "select * from {{ ref('eph') }}\n",
	"models/p.yml":   "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
	"seeds/s.csv":    "k\n1\n2\n",
	"macros/mk.sql":  "{% macro mk(name, v) %}create or replace table {{ name }} as select {{ v }} as v, '{{ var('n') }}' as n{% endmacro %}\n",
}

func r35cWith(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range r35cBase {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// 1. hooks added, edited, removed between runs of a selection: each run
// runs the hooks the project file has now
func TestReview35cHooksEditedBetweenSelectedRuns(t *testing.T) {
	loaded := r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "on-run-start added", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 1) }}\"]\n")}, args: []string{"build", "--select", "a"}},
		{name: "compile", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 2) }}\"]\n")}, args: []string{"compile"}},
		{name: "run after the compile", args: []string{"run", "--select", "b"}},
		{name: "edited, on-run-end added", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 3) }}\"]\non-run-end:\n  - \"{{ mk('he', 4) }}\"\n  - \"create or replace table he2 as select * from {{ ref('c') }}\"\n")},
			args: []string{"build", "--select", "b", "--threads", "1"}},
		{name: "a test", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 5) }}\"]\non-run-end: \"{{ mk('he', 6) }}\"\n")}, args: []string{"test", "--select", "c"}},
		{name: "a seed", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 7) }}\"]\n")}, args: []string{"seed", "--select", "s"}},
		{name: "ephemeral reader", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"create or replace table he3 as select * from {{ ref('d') }}\"]\n")}, args: []string{"run", "--select", "d"}},
		{name: "hooks removed", files: map[string]string{"mart.yml": r35cMart("")}, args: []string{"build", "--select", "c", "--threads", "1"}},
	})
	require.GreaterOrEqual(t, loaded, 5)
}

// 2. the plan of a dry run (text and JSON, whose plan event lists the
// hooks) and a JSON-logged run after hook edits
func TestReview35cHooksInDryRunAndJSON(t *testing.T) {
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "hooks added", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"select 1\", \"{{ mk('hs', 1) }}\"]\non-run-end: \"select 2\"\n")},
			args: []string{"build", "--select", "b", "--dry-run", "--log-format", "json"}},
		{name: "text dry run", args: []string{"build", "--select", "b", "--dry-run"}},
		{name: "hooks edited", files: map[string]string{"mart.yml": r35cMart("on-run-start: \"select 3\"\n")},
			args: []string{"run", "--select", "b", "--dry-run", "--log-format", "json"}},
		{name: "JSON run", args: []string{"run", "--select", "b", "--log-format", "json", "--threads", "1"}},
		{name: "hooks removed, JSON dry run", files: map[string]string{"mart.yml": r35cMart("")}, args: []string{"build", "--select", "b", "--dry-run", "--log-format", "json"}},
	})
}

// 3. a hook that names graph: the run compiles whole (readsGraph), its
// output is the whole compile's
func TestReview35cHookNamesGraph(t *testing.T) {
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "a graph hook", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"create or replace table hg as select {{ graph.nodes | length }} as n\"]\n")},
			args: []string{"build", "--select", "a"}},
		{name: "compile", args: []string{"compile"}},
		{name: "run after", args: []string{"run", "--select", "a"}},
		{name: "graph gone", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"create or replace table hg as select 0 as n\"]\n")}, args: []string{"run", "--select", "a"}},
	})
}

// 4. a hook edit with a var edit, a folder config edit and a model edit
// in one save
func TestReview35cHookWithOtherEdits(t *testing.T) {
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 1) }}\"]\n")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "hook and var", files: map[string]string{"mart.yml": strings.Replace(r35cMart("on-run-start: [\"{{ mk('hs', 2) }}\"]\n"), "n: 1", "n: 5", 1)},
			args: []string{"build", "--select", "b+"}},
		{name: "hook and model", files: map[string]string{"mart.yml": strings.Replace(r35cMart("on-run-start: [\"{{ mk('hs', 3) }}\"]\n"), "n: 1", "n: 5", 1),
			"models/a.sql": "select 2 as id\n"}, args: []string{"build", "--select", "a+", "--threads", "1"}},
		{name: "hook and folder config", files: map[string]string{"mart.yml": strings.Replace(strings.Replace(r35cMart("on-run-start: [\"{{ mk('hs', 4) }}\"]\n"), "n: 1", "n: 5", 1), "+materialized: view", "+materialized: table", 1)},
			args: []string{"run", "--select", "b"}},
		{name: "hook and model added", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"{{ mk('he', 5) }}\"]\n"), "models/x.sql": "select * from {{ ref('b') }}\n"},
			args: []string{"build", "--select", "x"}},
		{name: "hook and model removed", remove: []string{"models/x.sql"}, files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"{{ mk('he', 6) }}\"]\n")},
			args: []string{"build", "--select", "b"}},
	})
}

// 5. a dbt-style project (dbt_project.yml) and hooks in a package's
// project file
func TestReview35cDbtProjectAndPackageHooks(t *testing.T) {
	pkg := func(hooks string) string {
		return "name: pk\nversion: \"1.0.0\"\n" + hooks + "models:\n  pk:\n    +materialized: table\n"
	}
	files := r35cWith(map[string]string{"dbt_project.yml": r35cMart(""),
		"dbt_packages/pk/dbt_project.yml": pkg(""), "dbt_packages/pk/models/pm.sql": "select 1 as id\n"})
	r35cPair(t, files, []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "root hook", files: map[string]string{"dbt_project.yml": r35cMart("on-run-start: [\"{{ mk('hs', 1) }}\"]\n")}, args: []string{"build", "--select", "a"}},
		{name: "package hook", files: map[string]string{"dbt_packages/pk/dbt_project.yml": pkg("on-run-start: [\"create or replace table pkh as select 1 as x\"]\n")},
			args: []string{"build", "--select", "pm"}},
		{name: "package hook edited", files: map[string]string{"dbt_packages/pk/dbt_project.yml": pkg("on-run-start: [\"create or replace table pkh as select 2 as x\"]\non-run-end: [\"select 1\"]\n")},
			args: []string{"run", "--select", "a", "--dry-run", "--log-format", "json"}},
		{name: "both", files: map[string]string{"dbt_project.yml": r35cMart("on-run-end: [\"{{ mk('he', 2) }}\"]\n"),
			"dbt_packages/pk/dbt_project.yml": pkg("")}, args: []string{"build", "--select", "pm a"}},
	})
}

// 6. a failing on-run-end, then retry, with the hook edited in between
func TestReview35cRetryAfterHookEdit(t *testing.T) {
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart(""), "models/bad.sql": "select * from nope\n"}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "failing hook", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"select * from nope2\"]\n")}, args: []string{"build", "--select", "a bad"}},
		{name: "retry", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"{{ mk('he', 1) }}\"]\n"), "models/bad.sql": "select 1 as id\n"}, args: []string{"retry"}},
		{name: "failing on-run-start", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"select * from nope3\"]\n")}, args: []string{"build", "--select", "bad"}},
		{name: "retry after it", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 2) }}\"]\n")}, args: []string{"retry"}},
	})
}

// 7. reading commands after a hook edit (ls, show, run-operation, docs
// generate, airflow generate, debug), then a compile and a run
func TestReview35cReadingCommandsAfterHookEdit(t *testing.T) {
	files := r35cWith(map[string]string{"mart.yml": r35cMart(""),
		"macros/op.sql": "{% macro op() %}{% do run_query(\"create or replace table opt as select 1 as x\") %}{% endmacro %}\n"})
	r35cPair(t, files, []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "ls", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 1) }}\"]\n")}, args: []string{"ls"}},
		{name: "ls --select", args: []string{"ls", "--select", "b+"}},
		{name: "ls json", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 2) }}\"]\n")}, args: []string{"ls", "--select", "b", "--output", "json"}},
		{name: "show", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 3) }}\"]\n")}, args: []string{"show", "--select", "b"}},
		{name: "run-operation", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 4) }}\"]\n")}, args: []string{"run-operation", "op"}},
		{name: "docs generate", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 5) }}\"]\n")}, args: []string{"docs", "generate"}},
		{name: "airflow generate", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 6) }}\"]\n")}, args: []string{"airflow", "generate", "--out", "dag.py"}, out: "dag.py"},
		{name: "source freshness", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 7) }}\"]\n")}, args: []string{"source", "freshness"}},
		{name: "compile", args: []string{"compile"}},
		{name: "run", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 8) }}\"]\n")}, args: []string{"run", "--select", "a"}},
	})
}

// 8. hooks that read env vars, vars given with --vars, target, invocation
func TestReview35cHookContext(t *testing.T) {
	h := "on-run-start:\n  - \"create or replace table hc as select '{{ env_var('R35C_E', 'dflt') }}' as e, '{{ var('n') }}' as n, '{{ target.name }}' as t, '{{ project_name }}' as p\"\n"
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "the hook", files: map[string]string{"mart.yml": r35cMart(h)}, args: []string{"build", "--select", "a"}},
		{name: "env set", env: []string{"R35C_E=one"}, args: []string{"build", "--select", "a"}},
		{name: "env changed", env: []string{"R35C_E=two"}, args: []string{"run", "--select", "a"}},
		{name: "--vars", env: []string{"R35C_E=two"}, args: []string{"run", "--select", "a", "--vars", "{n: 9}"}},
		{name: "--vars and a hook edit", env: []string{"R35C_E=two"}, files: map[string]string{"mart.yml": r35cMart(strings.Replace(h, "as p", "as p, 1 as extra", 1))},
			args: []string{"run", "--select", "b", "--vars", "{n: 8}"}},
		{name: "the project var edited and the hook", files: map[string]string{"mart.yml": strings.Replace(r35cMart(h), "n: 1", "n: 3", 1)}, args: []string{"build", "--select", "b"}},
	})
}

// 9. hook shapes: null, a number, a mapping, an empty string, a block
// scalar with two statements
func TestReview35cHookShapesRun(t *testing.T) {
	var steps []r35cStep
	steps = append(steps, r35cStep{name: "first build", args: []string{"build"}})
	for _, h := range []string{"on-run-start: null\n", "on-run-start: {a: 1}\n", "on-run-start: 5\n", "on-run-start: \"\"\n",
		"on-run-start: |\n  create or replace table hb as select 1 as x;\n  create or replace table hb2 as select 2 as x\n", "on-run-start: []\n"} {
		steps = append(steps, r35cStep{name: strings.TrimSpace(h), files: map[string]string{"mart.yml": r35cMart(h)}, args: []string{"build", "--select", "a"}})
	}
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("")}), steps)
}

// 10. hooks given with an anchor another setting aliases (the whole file
// is hashed then)
func TestReview35cHookAnchor(t *testing.T) {
	proj := func(v string) string {
		return "name: hk\nvars:\n  n: 1\non-run-end: &h [\"create or replace table ha as select " + v + " as x\"]\nmodels:\n  hk:\n    +materialized: view\n    c:\n      +post-hook: *h\n"
	}
	r35cPair(t, r35cWith(map[string]string{"mart.yml": proj("1")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "the anchored hook edited", files: map[string]string{"mart.yml": proj("2")}, args: []string{"build", "--select", "c"}},
		{name: "and again", files: map[string]string{"mart.yml": proj("3")}, args: []string{"run", "--select", "a"}},
	})
}

// 11. OpenLineage events of a run loaded from the snapshot after a hook
// edit
func TestReview35cHookEditLineage(t *testing.T) {
	light, whole := t.TempDir(), t.TempDir()
	for _, dir := range []string{light, whole} {
		for rel, text := range r35cWith(map[string]string{"mart.yml": r35cMart("")}) {
			writeFile(t, dir, rel, text)
		}
	}
	le, we := newLineageReceiver(t), newLineageReceiver(t)
	require.Equal(t, 0, mart(t, light, "build").Code)
	require.Equal(t, 0, mart(t, whole, "build", "--no-partial-parse").Code)
	le.take(t, light)
	we.take(t, whole)
	for i, h := range []string{"on-run-start: [\"{{ mk('hs', 1) }}\"]\n", "on-run-end: [\"select * from {{ ref('c') }}\"]\n"} {
		writeFile(t, light, "mart.yml", r35cMart(h))
		writeFile(t, whole, "mart.yml", r35cMart(h))
		a := martEnv(t, light, []string{"MART_TIMINGS=1", "OPENLINEAGE_URL=" + le.url}, "build", "--select", "b", "--threads", "1")
		b := mart(t, whole, "build", "--select", "b", "--threads", "1", "--no-partial-parse", "--openlineage-url", we.url)
		require.Equal(t, b.Code, a.Code, "round %d", i)
		require.True(t, loadedFromPatch.MatchString(a.Stderr), "round %d: %s", i, noSelectionReason(a.Stderr))
		require.Equal(t, we.take(t, whole), le.take(t, light), "round %d", i)
		require.Equal(t, tables(t, whole), tables(t, light), "round %d", i)
	}
}

// 12. read-only commands (3ac785b: a read-only patch refuses any file
// added or removed) after a hook edit in the same save as files added or
// removed, an empty folder made and filled, then compiles
func TestReview35cReadOnlyAfterHookEditAndFiles(t *testing.T) {
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "hook and an empty properties file", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"select 1\"]\n"), "models/q.yml": "version: 2\n"}, args: []string{"ls"}},
		{name: "ls --select", args: []string{"ls", "--select", "a"}},
		{name: "the properties file filled", files: map[string]string{"models/q.yml": "version: 2\nmodels:\n  - name: a\n    description: the a\n"}, args: []string{"ls", "--select", "a", "--output", "json"}},
		{name: "compile", args: []string{"compile"}},
		{name: "hook and a model removed", remove: []string{"models/d.sql"}, files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"select 2\"]\n")}, args: []string{"show", "--select", "b"}},
		{name: "ls after", args: []string{"ls"}},
		{name: "compile after", args: []string{"compile"}},
		{name: "hook and an empty folder", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"select 3\"]\n"), "models/sub/.keep": ""}, args: []string{"ls", "--select", "b"}},
		{name: "a model in the folder", files: map[string]string{"models/sub/z.sql": "select 5 as id\n"}, args: []string{"ls", "--select", "z"}},
		{name: "run it", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"create or replace table hz as select * from {{ ref('z') }}\"]\n")}, args: []string{"build", "--select", "z"}},
		{name: "a properties file in the folder, hook edited", files: map[string]string{"models/sub/p.yml": "version: 2\n", "mart.yml": r35cMart("on-run-end: [\"select 4\"]\n")}, args: []string{"source", "freshness"}},
		{name: "filled", files: map[string]string{"models/sub/p.yml": "version: 2\nmodels:\n  - name: z\n    description: zed\n"}, args: []string{"run-operation", "mk", "--args", "{name: rot, v: 1}"}},
		{name: "compile at last", args: []string{"compile"}},
	})
}

// 13. a hook refs a model that the same save renames (alias, schema) by a
// folder config or by its own config(); the run selects another model
func TestReview35cHookRefsRenamedModel(t *testing.T) {
	proj := func(hook, folder string) string {
		return "name: hk\nvars:\n  n: 1\non-run-end: [\"create or replace table hr as select '{{ ref('c') }}' as r, '{{ ref('eph') }}' as e, '{{ source('ext', 't') }}' as s\"]\n" + hook +
			"models:\n  hk:\n    +materialized: view\n" + folder
	}
	src := "version: 2\nsources:\n  - name: ext\n    schema: raw\n    tables:\n      - name: t\n"
	r35cPair(t, r35cWith(map[string]string{"mart.yml": proj("", ""), "models/src.yml": src}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "c's alias by folder config", files: map[string]string{"mart.yml": proj("", "    c:\n      +alias: c_two\n")}, args: []string{"build", "--select", "a"}},
		{name: "c's schema by folder config, hook edited", files: map[string]string{"mart.yml": proj("on-run-start: [\"select 1\"]\n", "    c:\n      +schema: other\n")}, args: []string{"run", "--select", "a"}},
		{name: "c's alias by its config()", files: map[string]string{"models/c.sql": "{{ config(materialized='table', alias='c_three') }}\nselect * from {{ ref('b') }}\n"}, args: []string{"run", "--select", "a"}},
		{name: "the source's identifier and the hook", files: map[string]string{"models/src.yml": src + "        identifier: t_real\n", "mart.yml": proj("on-run-start: [\"select 2\"]\n", "    c:\n      +schema: other\n")}, args: []string{"run", "--select", "a"}},
		{name: "source folder config", files: map[string]string{"mart.yml": proj("on-run-start: [\"select 3\"]\n", "    c:\n      +schema: other\nsources:\n  hk:\n    +database: elsewhere\n")}, args: []string{"run", "--select", "a"}},
	})
}

// 14. a hook refs a model added in the same save (not selected), one
// removed in the same save, and a disabled one
func TestReview35cHookRefsAddedRemovedDisabled(t *testing.T) {
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart(""), "models/dis.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "a model added, the hook refs it", files: map[string]string{"models/nw.sql": "select 42 as id\n",
			"mart.yml": r35cMart("on-run-end: [\"create or replace table hn as select '{{ ref('nw') }}' as r\"]\n")}, args: []string{"run", "--select", "a"}},
		{name: "the hook refs a removed model", remove: []string{"models/nw.sql"}, args: []string{"run", "--select", "a"}},
		{name: "the hook refs a disabled model", files: map[string]string{"mart.yml": r35cMart("on-run-end: [\"create or replace table hn as select '{{ ref('dis') }}' as r\"]\n")}, args: []string{"run", "--select", "a"}},
		{name: "the disabled model enabled", files: map[string]string{"models/dis.sql": "select 1 as id\n"}, args: []string{"run", "--select", "a"}},
		{name: "the hook refs a versioned model by version", files: map[string]string{"models/v.yml": "version: 2\nmodels:\n  - name: v\n    latest_version: 1\n    versions:\n      - v: 1\n      - v: 2\n",
			"models/v_v1.sql": "select 1 as id\n", "models/v_v2.sql": "select 2 as id\n",
			"mart.yml": r35cMart("on-run-end: [\"create or replace table hn as select '{{ ref('v') }}' as r, '{{ ref('v', version=2) }}' as r2\"]\n")}, args: []string{"run", "--select", "a"}},
		{name: "latest version changed", files: map[string]string{"models/v.yml": "version: 2\nmodels:\n  - name: v\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n"}, args: []string{"run", "--select", "a"}},
	})
}

// 15. a deferred run (--defer --state) after a hook edit
func TestReview35cDeferredRunAfterHookEdit(t *testing.T) {
	prod := t.TempDir()
	for rel, text := range r35cWith(map[string]string{"mart.yml": r35cMart("")}) {
		writeFile(t, prod, rel, text)
	}
	require.Equal(t, 0, mart(t, prod, "compile", "--no-partial-parse").Code)
	state := filepath.Join(prod, "target")
	r35cPair(t, r35cWith(map[string]string{"mart.yml": r35cMart("")}), []r35cStep{
		{name: "first build", args: []string{"build"}},
		{name: "hook, deferred run", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 1) }}\"]\non-run-end: [\"create or replace table hd as select '{{ ref('c') }}' as r\"]\n"),
			"models/b.sql": "select id + 2 as id from {{ ref('a') }}\n"},
			args: []string{"build", "--select", "state:modified", "--defer", "--state", state}},
		{name: "hook edited, deferred run of a name", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 2) }}\"]\n")},
			args: []string{"run", "--select", "b", "--defer", "--state", state}},
		{name: "dry run", files: map[string]string{"mart.yml": r35cMart("on-run-start: [\"{{ mk('hs', 3) }}\"]\n")},
			args: []string{"run", "--select", "b", "--defer", "--state", state, "--dry-run", "--log-format", "json"}},
	})
}
