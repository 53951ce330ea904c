package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Scenarios of session 35's review (776bc29: `mart ls` of names, paths or
// selectors lists from the node index). Each `mart ls` run in a project
// compiled with partial parsing ("light") is compared with `mart ls
// --no-partial-parse` in a copy ("whole"): stdout, stderr without timing
// lines, exit code; and light's target/ is never written by it.

// r35Files is a project of every kind of node.
func r35Files() map[string]string {
	return map[string]string{
		"mart.yml": "name: rv\nprofile: rv\nanalysis-paths: [analyses]\non-run-start: [\"create schema if not exists ext\", \"create table if not exists ext.t1 as select 1 as id\"]\nvars:\n  flag: true\nmodels:\n  rv:\n    marts:\n      +materialized: table\n      +tags: [mart]\n",
		"profiles.yml": "rv:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/dev.duckdb}\n" +
			"    other: {type: duckdb, path: target/other.duckdb, schema: elsewhere}\n",
		"seeds/raw_ids.csv":        "id\n1\n2\n",
		"models/staging/stg_a.sql": "select id from {{ source('ext', 't1') }}\n",
		"models/staging/stg_b.sql": "select id from {{ ref('raw_ids') }}\n",
		"models/int/eph.sql":       "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('stg_a') }}\n",
		"models/marts/fct.sql":     "select e.id from {{ ref('eph') }} e join {{ ref('stg_b') }} b on e.id = b.id\n",
		"models/marts/dis.sql":     "{{ config(enabled=false) }}\nselect 1 as id\n",
		"models/marts/tgt.sql":     "{{ config(enabled=target.name == 'dev') }}\nselect 1 as id\n",
		"models/marts/vared.sql":   "{{ config(enabled=var('flag')) }}\nselect 1 as id\n",
		"models/marts/envd.sql":    "{{ config(enabled=env_var('RV_ON', '1') == '1') }}\nselect 1 as id\n",
		"models/marts/v_v1.sql":    "select 1 as id\n",
		"models/marts/v_v2.sql":    "select 2 as id\n",
		"models/_props.yml": `version: 2
sources:
  - name: ext
    schema: ext
    tables:
      - name: t1
        columns:
          - name: id
            data_tests: [not_null]
      - name: t2
        config: {enabled: false}
      - name: t3
        identifier: T_THREE
        quoting: {identifier: true}
models:
  - name: fct
    columns:
      - name: id
        data_tests:
          - unique
          - not_null:
              config: {enabled: false}
  - name: v
    latest_version: 1
    versions:
      - v: 1
      - v: 2
  - name: stg_b
    columns:
      - name: id
        data_tests: [unique]
exposures:
  - name: dash
    type: dashboard
    owner: {name: ana}
    depends_on:
      - ref('fct')
`,
		"models/_units.yml":     "version: 2\nunit_tests:\n  - name: b_keeps\n    model: stg_b\n    given:\n      - input: ref('raw_ids')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1}\n",
		"analyses/an.sql":       "select * from {{ ref('fct') }}\n",
		"models/warn.yml":       "version: 2\nmodels:\n  - name: ghost\n    description: no such model\n",
		"tests/no_negative.sql": "select * from {{ ref('fct') }} where id < 0\n",
		"snapshots/snap.sql": "{% snapshot snap %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\n" +
			"select * from {{ ref('stg_b') }}\n{% endsnapshot %}\n",
	}
}

// r35Pair writes files into two projects whose inputs are old (no racy
// file), and compiles light with partial parsing.
func r35Pair(t *testing.T, files map[string]string, first ...string) (light, whole string) {
	t.Helper()
	light, whole = t.TempDir(), t.TempDir()
	for rel, text := range files {
		writeFile(t, light, rel, text)
		writeFile(t, whole, rel, text)
	}
	r35Age(t, light)
	r35Age(t, whole)
	if len(first) == 0 {
		first = []string{"compile"}
	}
	r := mart(t, light, first...)
	require.Equal(t, 0, r.Code, r.String())
	return light, whole
}

// r35Age sets every file of dir an hour back.
func r35Age(t *testing.T, dir string) {
	t.Helper()
	past := time.Now().Add(-time.Hour)
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !strings.Contains(p, string(filepath.Separator)+"target") {
			err = os.Chtimes(p, past, past)
		}
		return err
	}))
}

// r35Edit writes rel in both projects, an hour back... plus a minute per
// call, so that its stat differs from the snapshot's.
var r35Clock = time.Now().Add(-50 * time.Minute)

func r35Edit(t *testing.T, rel, text string, dirs ...string) {
	t.Helper()
	r35Clock = r35Clock.Add(time.Second)
	for _, dir := range dirs {
		writeFile(t, dir, rel, text)
		require.NoError(t, os.Chtimes(filepath.Join(dir, rel), r35Clock, r35Clock))
		r35Age(t, dir) // (its directory too: no input is racy)
	}
}

// r35Ls runs `mart ls args` in light (MART_TIMINGS=1) and with
// --no-partial-parse in whole, with env, and requires the same output;
// light's target/ is not written but by an ls that patched it after an
// edit (since session 43: its timings show the patch's write). It says
// whether light listed from the snapshot's index (or loaded from it).
func r35Ls(t *testing.T, light, whole string, env []string, args ...string) bool {
	t.Helper()
	before := targetState(t, light)
	a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, env...), append([]string{"ls"}, args...)...)
	b := martEnv(t, whole, env, append(append([]string{"ls"}, args...), "--no-partial-parse")...)
	what := "mart ls " + strings.Join(args, " ") + " " + strings.Join(env, " ")
	norm := func(s string) string { return logTimes.ReplaceAllString(s, `"ts":""`) }
	require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
	r35Same(t, norm(b.Stdout), norm(a.Stdout), what+" (stdout)")
	r35Same(t, norm(b.Stderr), norm(timingLines.ReplaceAllString(a.Stderr, "")), what+" (stderr)")
	if after := targetState(t, light); after != before {
		require.Regexp(t, patchWrote, a.Stderr, "%s wrote target/ but did not patch it", what)
	}
	listed := loadedFromPatch.MatchString(a.Stderr)
	if !listed {
		t.Logf("%s: whole: %s", what, noSelectionReason(a.Stderr))
	}
	return listed
}

// r35Same requires want == got, saying where they first differ (the
// line, and the bytes around the first differing one).
// withoutHead is a targetState without the snapshot head's line.
func withoutHead(state string) string {
	return regexp.MustCompile(`(?m)^.*partial_parse\.patch \d+ \d+\n`).ReplaceAllString(state, "")
}

func r35Same(t *testing.T, want, got, what string) {
	t.Helper()
	if want == got {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	line := strings.Count(want[:i], "\n") + 1
	from := max(0, i-80)
	cut := func(s string) string { return s[min(from, len(s)):min(i+80, len(s))] }
	t.Fatalf("%s: first difference at byte %d (line %d)\nwhole:         %q\nfrom snapshot: %q", what, i, line, cut(want), cut(got))
}

// the listing forms of a selection
var r35Forms = [][]string{{}, {"-o", "name"}, {"-o", "path"}, {"-o", "selector", "--resource-type", "all"},
	{"-o", "name", "--resource-type", "source"}, {"-o", "path", "--resource-type", "test", "--resource-type", "unit_test"},
	{"-o", "name", "--resource-type", "analysis,snapshot,seed"}, {"-o", "json"}}

// every node kind, plain ls and many selectors, in each form
func TestReview35LsKinds(t *testing.T) {
	t.Parallel() // (a long comparison: it overlaps the others; see TestMain)
	light, whole := r35Pair(t, r35Files())
	sels := [][]string{{}, {"--exclude", "resource_type:test"}, {"--exclude", "source:*"}, {"--exclude", "nosuch"},
		{"--exclude", "fct+"}, {"--select", "source:*"}, {"--select", "source:*+"}, {"--select", "test_type:unit"},
		{"--select", "test_type:generic"}, {"--select", "test_type:singular"}, {"--select", "test_type:data"},
		{"--select", "package:rv"}, {"--select", "config.materialized:table"}, {"--select", "config.materialized:ephemeral+"},
		{"--select", "config.enabled:false"}, {"--select", "+exposure:dash"}, {"--select", "exposure:*"}, {"--select", "tag:mart"},
		{"--select", "resource_type:analysis"}, {"--select", "resource_type:snapshot resource_type:seed"},
		{"--select", "v"}, {"--select", "version:latest"}, {"--select", "version:old"}, {"--select", "v.v2"},
		{"--select", "fct fct fct+"}, {"--select", "fct", "--select", "+fct"}, {"--select", "@stg_b"}, {"--select", "1+eph+1"},
		{"--select", "source:ext.t2"}, {"--select", "source:ext.t2+"}, {"--select", "dis"}, {"--select", "dis+"},
		{"--select", "path:models/marts"}, {"--select", "fqn:rv.marts.*"}, {"--select", "rv.marts"}, {"--select", "file:fct.sql"},
		{"--select", "tag:mart,config.materialized:table", "--exclude", "v"}, {"--select", "*"}, {"--select", "stg_b", "--exclude", "unit_test:*"},
		{"--select", "unit_test:*"}, {"--select", "test_name:unique"}, {"--select", "[bad"},
		{"--select", "source:nosuch"}, {"--select", "state:modified"}, {"--select", "result:error"}, {"--select", "access:public"},
	}
	notListed := 0
	for _, sel := range sels {
		for _, form := range r35Forms {
			if !r35Ls(t, light, whole, nil, append(append([]string{}, sel...), form...)...) {
				notListed++
			}
		}
	}
	t.Logf("%d of %d not from the snapshot", notListed, len(sels)*len(r35Forms))
	// duplicate entries and --models
	r35Ls(t, light, whole, nil, "-m", "fct", "-m", "fct")
	r35Ls(t, light, whole, nil, "--log-format", "json")
	r35Ls(t, light, whole, nil, "--log-format", "json", "--select", "fct")
}

// ls with --vars, --target and env vars other than the compile's
func TestReview35LsOptions(t *testing.T) {
	light, whole := r35Pair(t, r35Files())
	for _, form := range [][]string{{}, {"-o", "name"}, {"--select", "tag:mart"}} {
		r35Ls(t, light, whole, nil, append([]string{"--vars", "{flag: false}"}, form...)...)
		r35Ls(t, light, whole, nil, append([]string{"--vars", "{flag: true}"}, form...)...)
		r35Ls(t, light, whole, nil, append([]string{"--target", "other"}, form...)...)
		r35Ls(t, light, whole, nil, append([]string{"--target", "dev"}, form...)...)
		r35Ls(t, light, whole, []string{"RV_ON=0"}, form...)
		r35Ls(t, light, whole, []string{"RV_ON=1"}, form...)
		r35Ls(t, light, whole, nil, form...)
	}
	// compiled with the other target: ls of the default one
	r := mart(t, light, "compile", "--target", "other", "--vars", "{flag: false}")
	require.Equal(t, 0, r.Code, r.String())
	for _, form := range [][]string{{}, {"-o", "name"}, {"--select", "tag:mart"}} {
		r35Ls(t, light, whole, nil, form...)
		r35Ls(t, light, whole, nil, append([]string{"--target", "other", "--vars", "{flag: false}"}, form...)...)
		r35Ls(t, light, whole, nil, append([]string{"--target", "other"}, form...)...)
	}
}

// ls right after edits of every kind of file: never a stale snapshot (a
// patched one, or a whole compile)
func TestReview35LsAfterEdits(t *testing.T) {
	t.Parallel() // (a long comparison: it overlaps the others; see TestMain)
	t.Run("versioned", func(t *testing.T) { r35AfterEdits(t, r35Files()) })
	t.Run("unversioned", func(t *testing.T) { r35AfterEdits(t, r35Unversioned()) })
}

// r35Unversioned is r35Files without its versioned model (whose project
// the patch compiles whole more often).
func r35Unversioned() map[string]string {
	files := r35Files()
	delete(files, "models/marts/v_v1.sql")
	delete(files, "models/marts/v_v2.sql")
	files["models/_props.yml"] = strings.Replace(files["models/_props.yml"], "  - name: v\n    latest_version: 1\n    versions:\n      - v: 1\n      - v: 2\n", "", 1)
	return files
}

func r35AfterEdits(t *testing.T, files map[string]string) {
	light, whole := r35Pair(t, files)
	steps := []struct {
		name, rel, text string
		remove          bool
	}{
		{"a model added", "models/marts/new.sql", "select 1 as id\n", false},
		{"a model removed", "models/marts/new.sql", "", true},
		{"a model disabled", "models/marts/envd.sql", "{{ config(enabled=false) }}\nselect 1 as id\n", false},
		{"enabled again", "models/marts/envd.sql", files["models/marts/envd.sql"], false},
		{"a source table added", "models/_props.yml", strings.Replace(files["models/_props.yml"], "      - name: t2\n", "      - name: t4\n      - name: t2\n", 1), false},
		{"a source table enabled", "models/_props.yml", strings.Replace(files["models/_props.yml"], "        config: {enabled: false}\n", "", 1), false},
		{"a test added", "models/_props.yml", strings.Replace(files["models/_props.yml"], "data_tests: [unique]", "data_tests: [unique, not_null]", 1), false},
		{"a unit test renamed", "models/_units.yml", strings.Replace(files["models/_units.yml"], "b_keeps", "b_holds", 1), false},
		{"a seed added", "seeds/more.csv", "id\n3\n", false},
		{"a snapshot added", "snapshots/snap2.sql", "{% snapshot snap2 %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n", false},
		{"an analysis removed", "analyses/an.sql", "", true},
		{"a singular test added", "tests/t2.sql", "select 1 as id where false\n", false},
		{"a macro added that nothing calls", "macros/m.sql", "{% macro m() %}1{% endmacro %}\n", false},
		{"the project's folder config", "mart.yml", strings.Replace(files["mart.yml"], "+tags: [mart]", "+tags: [mart, gold]", 1), false},
		{"a folder disabled", "mart.yml", strings.Replace(files["mart.yml"], "+tags: [mart]", "+tags: [mart]\n      envd:\n        +enabled: false", 1), false},
		{"a var default", "mart.yml", strings.Replace(files["mart.yml"], "flag: true", "flag: false", 1), false},
		{"the profile's default target", "profiles.yml", strings.Replace(files["profiles.yml"], "target: dev", "target: other", 1), false},
	}
	for _, s := range steps {
		t.Logf("step: %s", s.name)
		if s.remove {
			for _, d := range []string{light, whole} {
				require.NoError(t, os.Remove(filepath.Join(d, s.rel)))
				r35Age(t, d)
			}
		} else {
			r35Edit(t, s.rel, s.text, light, whole)
		}
		// (the first ls patches target/ when it can, since session 43, and
		// the next list from its snapshot; each lists what a whole
		// compile lists)
		for _, form := range [][]string{{}, {"-o", "name", "--resource-type", "all"}, {"--exclude", "resource_type:test"}, {"--select", "fct+"}} {
			r35Ls(t, light, whole, nil, form...)
		}
		r := martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
		require.Equal(t, 0, r.Code, "%s: %s", s.name, r.String())
		if m := regexp.MustCompile(`no patch: [^\n]*?\s{2,}`).FindString(r.Stderr); m != "" {
			t.Logf("compile after %s: %s", s.name, m)
		} else {
			t.Logf("compile after %s: patched", s.name)
		}
		for _, form := range [][]string{{}, {"-o", "name", "--resource-type", "all"}, {"-o", "path"}, {"--exclude", "resource_type:test"}, {"--select", "fct+"}} {
			r35Ls(t, light, whole, nil, form...)
		}
	}
}

// ls after commands other than compile: build of a selection, run, test,
// seed, a failed build
func TestReview35LsAfterRuns(t *testing.T) {
	light, whole := r35Pair(t, r35Files(), "build", "--select", "+stg_b")
	forms := [][]string{{}, {"-o", "name", "--resource-type", "all"}, {"--select", "stg_b+"}, {"--exclude", "stg_b"}}
	check := func(what string) {
		for _, form := range forms {
			r35Ls(t, light, whole, nil, form...)
		}
	}
	check("after build --select stg_b")
	for _, cmd := range [][]string{{"run", "--select", "stg_b"}, {"seed"}, {"test", "--select", "stg_b"}, {"run"}, {"build", "--select", "fct", "--exclude", "fct"}, {"compile", "--select", "stg_b"}, {"show", "--select", "stg_b"}} {
		r := mart(t, light, cmd...)
		t.Logf("mart %v: %d", cmd, r.Code)
		check("after " + strings.Join(cmd, " "))
	}
	// an edit, then build of a selection (patched), then ls
	r35Edit(t, "models/staging/stg_b.sql", "select id + 0 as id from {{ ref('raw_ids') }}\n", light, whole)
	r := mart(t, light, "build", "--select", "stg_b")
	t.Logf("build after edit: %d", r.Code)
	check("after an edit and build --select")
	r35Edit(t, "models/marts/new.sql", "select 1 as id\n", light, whole)
	r = mart(t, light, "run", "--select", "new")
	t.Logf("run of an added model: %d %s", r.Code, r.Stderr)
	check("after a model added and run")
}

// ls with --state: state:modified, state:new, result:, --exclude state
func TestReview35LsState(t *testing.T) {
	light, whole := r35Pair(t, r35Files(), "build")
	st := t.TempDir()
	for _, f := range []string{"manifest.json", "run_results.json"} {
		data, err := os.ReadFile(filepath.Join(light, "target", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(st, f), data, 0o644))
	}
	r35Edit(t, "models/marts/fct.sql", "select e.id + 0 as id from {{ ref('eph') }} e join {{ ref('stg_b') }} b on e.id = b.id\n", light, whole)
	r35Edit(t, "models/marts/new.sql", "select 1 as id\n", light, whole)
	r := mart(t, light, "compile")
	require.Equal(t, 0, r.Code, r.String())
	for _, sel := range [][]string{{"--select", "state:modified"}, {"--select", "state:new"}, {"--select", "state:modified+"},
		{"--exclude", "state:modified"}, {"--select", "result:success"}, {"--select", "result:pass+"}, {"--exclude", "result:success"},
		{"--select", "state:modified.body"}, {"--select", "state:unmodified"}, {}} {
		for _, form := range [][]string{{}, {"-o", "name"}, {"-o", "path", "--resource-type", "model"}} {
			r35Ls(t, light, whole, nil, append(append(append([]string{}, sel...), form...), "--state", st)...)
		}
	}
	// a state directory with no manifest.json
	empty := t.TempDir()
	r35Ls(t, light, whole, nil, "--state", empty)
	r35Ls(t, light, whole, nil, "--exclude", "state:new", "--state", empty)
}

// the demo project's source reads an env var (SODA_PIPELINE)
func TestReview35LsDemoEnv(t *testing.T) {
	light, whole := demo(t), demo(t)
	r35Age(t, light)
	r := mart(t, light, "compile")
	require.Equal(t, 0, r.Code, r.String())
	for _, env := range [][]string{nil, {"SODA_PIPELINE=1"}} {
		for _, form := range [][]string{{}, {"-o", "path"}, {"--select", "source:*"}, {"--exclude", "resource_type:test"}} {
			r35Ls(t, light, whole, env, form...)
		}
	}
}

// packages: their nodes, sources, package: selectors
func TestReview35LsPackages(t *testing.T) {
	files := map[string]string{
		"mart.yml":                        "name: rp\n",
		"models/a.sql":                    "select id from {{ ref('pm') }}\n",
		"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n",
		"dbt_packages/pk/models/pm.sql":   "select id from {{ source('pext', 'pt') }}\n",
		"dbt_packages/pk/models/pd.sql":   "{{ config(enabled=false) }}\nselect 1 as id\n",
		"dbt_packages/pk/models/src.yml":  "version: 2\nsources:\n  - name: pext\n    tables:\n      - name: pt\n        columns:\n          - name: id\n            data_tests: [not_null]\n      - name: pu\n        config: {enabled: false}\n",
	}
	light, whole := r35Pair(t, files)
	for _, sel := range [][]string{{}, {"--select", "package:pk"}, {"--exclude", "package:pk"}, {"--select", "pk"}, {"--select", "source:pk.pext.pt+"},
		{"--select", "source:pext"}, {"--select", "pd"}, {"--select", "package:rp"}} {
		for _, form := range [][]string{{}, {"-o", "name"}, {"-o", "path"}, {"--resource-type", "source"}} {
			r35Ls(t, light, whole, nil, append(append([]string{}, sel...), form...)...)
		}
	}
}

// a project whose compile warns: the warnings ls prints
func TestReview35LsWarnings(t *testing.T) {
	files := map[string]string{
		"mart.yml":     "name: rw\n",
		"models/a.sql": "select 1 as id\n",
		"models/p.yml": "version: 2\nmodels:\n  - name: a\n  - name: nosuch\n    description: dangling\n",
	}
	light, whole := r35Pair(t, files)
	for _, form := range [][]string{{}, {"-o", "name"}, {"--select", "a"}, {"--exclude", "a"}, {"--select", "nosuch"}} {
		r35Ls(t, light, whole, nil, form...)
	}
}

// a project of sources alone (no model), and an empty one
func TestReview35LsTiny(t *testing.T) {
	light, whole := r35Pair(t, map[string]string{"mart.yml": "name: rt\n",
		"models/src.yml": "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\n      - name: t0\n        config: {enabled: false}\n"})
	for _, form := range [][]string{{}, {"-o", "name"}, {"--select", "source:*"}, {"--exclude", "source:*"}, {"--resource-type", "model"}} {
		r35Ls(t, light, whole, nil, form...)
	}
	light, whole = r35Pair(t, map[string]string{"mart.yml": "name: re\n"})
	for _, form := range [][]string{{}, {"-o", "name"}, {"--select", "a"}, {"--exclude", "a"}} {
		r35Ls(t, light, whole, nil, form...)
	}
}

// volatile models and models that query the warehouse while they render
func TestReview35LsVolatile(t *testing.T) {
	light, whole := r35Pair(t, map[string]string{"mart.yml": "name: rvo\n",
		"models/a.sql": "select 1 as id\n",
		"models/b.sql": "select '{{ invocation_id }}' as inv, '{{ run_started_at }}' as at\n",
		"models/c.sql": "{% set r = run_query('select 1 as x') %}select 1 as id\n"}, "build")
	for _, form := range [][]string{{}, {"-o", "name"}, {"--select", "a"}, {"--exclude", "b"}} {
		r35Ls(t, light, whole, nil, form...)
	}
}

// An analyst adds a model file and compiles (the file's directory was
// just written: a racy input the snapshot will check by content), then,
// a few seconds later, lists the project: plain `mart ls` writes nothing
// of target/ but the snapshot's head (target/partial_parse.patch), which
// it puts back with the stat it adopted, as `mart ls --select` did before
// (by design: docs/architecture.md; the review that found it asked for
// no write at all).
func TestReview35PlainLsWritesNothingAfterAddedModel(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: rh\n")
	writeFile(t, dir, "models/a.sql", "select 1 as id\n")
	r35Age(t, dir)
	r := mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	writeFile(t, dir, "models/c.sql", "select 3 as id\n") // models/ changes now
	r = mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	before := targetState(t, dir)
	time.Sleep(2200 * time.Millisecond) // past racyWindow
	r = martEnv(t, dir, []string{"MART_TIMINGS=1"}, "ls")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "rh.a\nrh.c\n", r.Stdout)
	require.Contains(t, r.Stderr, "mart timing: list 2 nodes", "listed from the snapshot")
	r35Same(t, withoutHead(before), withoutHead(targetState(t, dir)), "target/ after plain `mart ls`")
}

// An analyst adds a properties file that declares no model or source yet
// (an exposure, or nothing but "version: 2"), lists the project, then
// fills the file in place (a model's description): the next compile must
// be the whole compile's. `mart ls` from the snapshot rewrote its head,
// adopting the new stat of models/ without learning of the file, and the
// compile after the edit misses it.
func TestReview35LsThenNewPropsFileFilled(t *testing.T) {
	for _, c := range []struct{ name, first, rel string }{
		{"an exposure", "version: 2\nexposures:\n  - name: dash\n    type: dashboard\n    owner: {name: ana}\n    depends_on:\n      - ref('a')\n", "models/new.yml"},
		{"version: 2 alone", "version: 2\n", "models/new.yml"},
		{"version: 2 alone in a new folder", "version: 2\n", "models/docs/new.yml"},
	} {
		for _, ls := range [][]string{{"ls"}, {"ls", "-o", "name"}, {"ls", "--exclude", "b"}, {"ls", "--select", "a"}} {
			t.Run(c.name+" "+strings.Join(ls, " "), func(t *testing.T) {
				files := map[string]string{"mart.yml": "name: rn\n", "models/a.sql": "select 1 as id\n", "models/b.sql": "select 2 as id\n"}
				light, whole := r35Pair(t, files)
				r35Edit(t, c.rel, c.first, light, whole)
				r := mart(t, light, ls...)
				require.Equal(t, 0, r.Code, r.String())
				filled := strings.Replace(c.first, "version: 2\n", "version: 2\nmodels:\n  - name: a\n    description: described now\n", 1)
				// written in place, as an editor saves it: models/ keeps its stat
				r35Clock = r35Clock.Add(time.Second)
				for _, dir := range []string{light, whole} {
					writeFile(t, dir, c.rel, filled)
					require.NoError(t, os.Chtimes(filepath.Join(dir, c.rel), r35Clock, r35Clock))
				}
				r = martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
				require.Equal(t, 0, r.Code, r.String())
				r = mart(t, whole, "compile", "--no-partial-parse")
				require.Equal(t, 0, r.Code, r.String())
				r35Same(t, manifestBody(t, whole), manifestBody(t, light), "manifest.json after `mart "+strings.Join(ls, " ")+"` and the file filled")
			})
		}
	}
}

// env vars and vars read by the project file's folder configs and by a
// source's YAML, and seeds, snapshots and tests disabled in YAML or by
// the project file: ls with other values than the compile's
func TestReview35LsProjectFileReads(t *testing.T) {
	files := map[string]string{
		"mart.yml": "name: rf\nmodels:\n  rf:\n    marts:\n      +enabled: \"{{ env_var('RF_MARTS', 'true') == 'true' }}\"\n    other:\n      +enabled: \"{{ var('other_on', true) }}\"\n" +
			"seeds:\n  rf:\n    +enabled: \"{{ env_var('RF_SEEDS', '1') == '1' }}\"\n",
		"models/marts/m.sql": "select 1 as id\n",
		"models/other/o.sql": "select 1 as id\n",
		"models/base.sql":    "select 1 as id\n",
		"seeds/s1.csv":       "id\n1\n",
		"seeds/s2.csv":       "id\n2\n",
		"seeds/_s.yml":       "version: 2\nseeds:\n  - name: s2\n    config: {enabled: false}\n",
		"snapshots/sn.sql":   "{% snapshot sn %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all', enabled=var('snap_on', true)) }}\nselect 1 as id\n{% endsnapshot %}\n",
		"models/_p.yml":      "version: 2\nmodels:\n  - name: base\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - not_null:\n              config:\n                enabled: \"{{ env_var('RF_NN', 'no') == 'yes' }}\"\n",
		"models/_src.yml":    "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\n        config:\n          enabled: \"{{ var('t1_on', true) }}\"\n      - name: t2\n",
	}
	light, whole := r35Pair(t, files)
	for _, env := range [][]string{nil, {"RF_MARTS=false"}, {"RF_SEEDS=0"}, {"RF_NN=yes"}} {
		for _, form := range [][]string{{}, {"-o", "name"}, {"--exclude", "base"}, {"--vars", "{other_on: false}"},
			{"--vars", "{snap_on: false}"}, {"--vars", "{t1_on: false}"}, {"--select", "source:*"}} {
			r35Ls(t, light, whole, env, form...)
		}
	}
	// compiled with them set: ls without them
	r := martEnv(t, light, []string{"RF_MARTS=false", "RF_NN=yes"}, "compile", "--vars", "{other_on: false, t1_on: false}")
	require.Equal(t, 0, r.Code, r.String())
	for _, env := range [][]string{nil, {"RF_MARTS=false", "RF_NN=yes"}} {
		for _, form := range [][]string{{}, {"-o", "name"}, {"--vars", "{other_on: false, t1_on: false}"}} {
			r35Ls(t, light, whole, env, form...)
		}
	}
}

// the two commits together: the first source table and the first unit
// test patched in (objectOpens), then listed from the node index; then
// the last ones patched out and listed again
func TestReview35LsAfterFirstSourceAndUnit(t *testing.T) {
	props := func(u string) string { return "version: 2\nmodels:\n  - name: a\n" + u }
	unit := "unit_tests:\n  - name: a_keeps\n    model: a\n    given: []\n    expect:\n      rows:\n          - {id: 1}\n"
	light, whole := r35Pair(t, map[string]string{"mart.yml": "name: rfs\n", "models/a.sql": "select 1 as id\n", "models/c.sql": "select 2 as id\n",
		"models/p.yml": props("unit_tests: []\n")})
	forms := [][]string{{}, {"-o", "name"}, {"-o", "path", "--resource-type", "all"}, {"--select", "source:*+"}, {"--select", "test_type:unit"},
		{"--exclude", "resource_type:model"}, {"--resource-type", "source", "-o", "name"}, {"--resource-type", "unit_test"}}
	steps := []struct {
		name  string
		files map[string]string
		rm    []string
	}{
		{"the first source, with a test", map[string]string{"models/src.yml": "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\n        columns:\n          - name: id\n            data_tests: [not_null]\n"}, nil},
		{"the first unit test", map[string]string{"models/p.yml": props(unit)}, nil},
		{"the only table renamed", map[string]string{"models/src.yml": "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t0\n"}, nil},
		{"the last unit test out", map[string]string{"models/p.yml": props("unit_tests: []\n")}, nil},
		{"the last source out", nil, []string{"models/src.yml"}},
		{"both back in one save", map[string]string{"models/p.yml": props(unit), "models/src.yml": "version: 2\nsources:\n  - name: ext\n    tables:\n      - name: t1\n"}, nil},
	}
	for _, s := range steps {
		for rel, text := range s.files {
			r35Edit(t, rel, text, light, whole)
		}
		for _, rel := range s.rm {
			for _, d := range []string{light, whole} {
				require.NoError(t, os.Remove(filepath.Join(d, rel)))
				r35Age(t, d)
			}
		}
		r := martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
		require.Equal(t, 0, r.Code, r.String())
		t.Logf("%s: patched=%v %s", s.name, !strings.Contains(r.Stderr, "no patch:"), noPatchReason(r.Stderr))
		for _, form := range forms {
			require.True(t, r35Ls(t, light, whole, nil, form...), "after %s: ls %v listed from the snapshot", s.name, form)
		}
		r = mart(t, whole, "compile", "--no-partial-parse")
		require.Equal(t, 0, r.Code, r.String())
		r35Same(t, manifestBody(t, whole), manifestBody(t, light), "manifest.json after "+s.name)
	}
}

func noPatchReason(stderr string) string {
	return regexp.MustCompile(`no patch: [^\n]*?\s{2,}`).FindString(stderr)
}

// A file touched (its content as it was: a checkout, an editor's save of
// nothing) and plain `mart ls`: target/ stays as it was but the snapshot's
// head, which adopts the new stat (as above).
func TestReview35PlainLsWritesNothingAfterTouch(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: rt2\n")
	writeFile(t, dir, "models/a.sql", "select 1 as id\n")
	r35Age(t, dir)
	r := mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	touched := time.Now().Add(-30 * time.Minute)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "models/a.sql"), touched, touched))
	before := targetState(t, dir)
	r = martEnv(t, dir, []string{"MART_TIMINGS=1"}, "ls")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stderr, "mart timing: list 1 nodes", "listed from the snapshot")
	r35Same(t, withoutHead(before), withoutHead(targetState(t, dir)), "target/ after plain `mart ls`")
}
