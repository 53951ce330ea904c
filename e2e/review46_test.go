package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// review46: --full-refresh patched (compiler/patchfullrefresh.go). Each
// test runs the same commands in two copies of a project, one with
// partial parsing and one with --no-partial-parse, and requires what
// they show (stdout, the tables they build, target/manifest.json) to be
// the same.

type review46Step struct {
	args  []string
	files map[string]string // written before the command ("" removes)
	fails bool              // the command exits non-zero (in both)
	out   bool              // compare stdout
	query string            // compare the result of this query after it
	// skipManifest: `mart ls --no-partial-parse` writes no manifest.json
	// (a patched ls writes what it patched), as before session 46
	skipManifest bool
	env          []string // the command's environment
}

var review46Volatile = regexp.MustCompile(`"(invocation_id|generated_at)": *"[^"]*"`)

func review46Manifest(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
	if err != nil {
		return "<none>"
	}
	return string(review46Volatile.ReplaceAll(data, nil))
}

func review46Diff(t *testing.T, files map[string]string, steps []review46Step) {
	t.Helper()
	dirs := [2]string{t.TempDir(), t.TempDir()}
	for _, d := range dirs {
		for rel, text := range files {
			writeFile(t, d, rel, text)
		}
	}
	for i, s := range steps {
		var res [2]result
		for k, d := range dirs {
			for rel, text := range s.files {
				if text == "" {
					require.NoError(t, os.Remove(filepath.Join(d, rel)))
				} else {
					writeFile(t, d, rel, text)
				}
			}
			args := s.args
			if k == 1 {
				args = append(append([]string{}, args...), "--no-partial-parse")
			} else {
				args = append(append([]string{}, args...), "--debug")
			}
			res[k] = martEnv(t, d, s.env, args...)
			if s.fails {
				require.NotEqual(t, 0, res[k].Code, "step %d %v: %s", i, args, res[k].String())
			} else {
				require.Equal(t, 0, res[k].Code, "step %d %v: %s", i, args, res[k].String())
			}
		}
		pp := "?"
		for _, l := range strings.Split(res[0].Stderr, "\n") {
			if strings.HasPrefix(l, "Partial parsing:") {
				pp = l
			}
		}
		t.Logf("step %d %v: %s", i, s.args, pp)
		if s.out {
			require.Equal(t, res[1].Stdout, res[0].Stdout, "step %d %v: stdout (%s)", i, s.args, pp)
		}
		if s.query != "" {
			require.Equal(t, query(t, dirs[1], s.query), query(t, dirs[0], s.query), "step %d %v: %s (%s)", i, s.args, s.query, pp)
		}
		if s.skipManifest {
			continue
		}
		require.Equal(t, review46Manifest(t, dirs[1]), review46Manifest(t, dirs[0]), "step %d %v: manifest.json (%s)", i, s.args, pp)
	}
}

func TestReview46OnRunEndHook(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":     "name: h\non-run-end:\n  - \"create or replace table main.audit as select {{ flags.FULL_REFRESH }} as fr\"\n",
		"models/m.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
	}, []review46Step{
		{args: []string{"build"}, query: "select fr from main.audit"},
		{args: []string{"build", "--select", "m", "--full-refresh"}, query: "select fr from main.audit"},
		{args: []string{"build", "--select", "m"}, query: "select fr from main.audit"},
	})
}

func TestReview46PropertiesPostHook(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":      "name: h\n",
		"models/m.sql":  "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      post_hook: \"create or replace table main.audit as select {{ flags.FULL_REFRESH }} as fr\"\n",
	}, []review46Step{
		{args: []string{"build"}, query: "select fr from main.audit"},
		{args: []string{"build", "--select", "m", "--full-refresh"}, query: "select fr from main.audit"},
		{args: []string{"run"}, query: "select fr from main.audit"},
	})
}

func TestReview46ReadersAndReadOnlyCommands(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":       "name: h\n",
		"macros/m.sql":   "{% macro mark() %}{{ 'full' if flags.FULL_REFRESH else 'incr' }}{% endmacro %}\n",
		"models/a.sql":   "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/r.sql":   "{{ config(materialized='table') }}\nselect '{{ mark() }}' as mark from {{ ref('a') }}\n",
		"models/off.sql": "{{ config(enabled=flags.FULL_REFRESH, materialized='table') }}\nselect 1 as x\n",
		"models/_t.yml":  "version: 2\nmodels:\n  - name: off\n    columns:\n      - name: x\n        data_tests: [not_null]\n",
	}, []review46Step{
		{args: []string{"build"}, query: "select mark from main.r"},
		{args: []string{"ls"}, out: true, skipManifest: true},
		{args: []string{"build", "--select", "r", "--full-refresh"}, query: "select mark from main.r"},
		{args: []string{"ls"}, out: true, skipManifest: true},
		{args: []string{"show", "--select", "r"}, out: true},
		{args: []string{"show", "--inline", "select '{{ mark() }}' as m"}, out: true},
		{args: []string{"build", "--full-refresh"}, query: "select count(*) from main.off"},
		{args: []string{"test", "--select", "off"}},
		{args: []string{"ls", "--select", "off"}, out: true, skipManifest: true},
		{args: []string{"docs", "generate"}},
		{args: []string{"run", "--select", "r"}, query: "select mark from main.r"},
		{args: []string{"compile"}},
	})
}

func TestReview46FailingReaderThenRun(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":     "name: h\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/r.sql": "{% if flags.FULL_REFRESH %}{{ exceptions.raise_compiler_error('no full refresh') }}{% endif %}\nselect 1 as id\n",
	}, []review46Step{
		{args: []string{"build"}},
		{args: []string{"build", "--select", "a", "--full-refresh"}, fails: true},
		{args: []string{"build", "--select", "a"}, query: "select count(*) from main.a"},
		{args: []string{"compile"}},
	})
}

func TestReview46RetryAfterAFullRefresh(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":       "name: h\n",
		"seeds/gate.csv": "id\n1\n",
		"models/a.sql":   "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
		"models/b.sql":   "{{ config(materialized='table') }}\nselect {{ var('bad', '1') }} as id, * from {{ ref('a') }}\n",
	}, []review46Step{
		{args: []string{"build"}},
		{args: []string{"build", "--full-refresh", "--vars", "{bad: nope()}"}, fails: true, query: "select fr from main.a"},
		{args: []string{"retry", "--vars", "{bad: 2}"}, query: "select * from main.b"},
		{args: []string{"compile"}},
	})
}

func TestReview46EnvVarAndProjectFlags(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":     "name: h\nflags:\n  full_refresh: true\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
	}, []review46Step{
		{args: []string{"build"}, query: "select fr from main.a"},
		{args: []string{"compile"}},
		{args: []string{"run"}, files: map[string]string{"mart.yml": "name: h\n"}, query: "select fr from main.a"},
		{args: []string{"run"}, files: map[string]string{"mart.yml": "name: h\nflags:\n  full_refresh: true\n"}, query: "select fr from main.a"},
		{args: []string{"ls"}, out: true, skipManifest: true},
		{args: []string{"run", "--select", "a"}, files: map[string]string{"mart.yml": "name: h\n"}, query: "select fr from main.a"},
	})
}

func TestReview46UnitTestOfAReader(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":     "name: h\n",
		"macros/m.sql": "{% macro mark() %}{{ 1 if flags.FULL_REFRESH else 0 }}{% endmacro %}\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/r.sql": "{{ config(materialized='table') }}\nselect id, {{ mark() }} as f from {{ ref('a') }}\n",
		"models/_unit.yml": "version: 2\nunit_tests:\n  - name: ut\n    model: r\n    given:\n" +
			"      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, f: 0}\n",
	}, []review46Step{
		{args: []string{"build"}},
		{args: []string{"test", "--select", "r", "--full-refresh"}, fails: true},
		{args: []string{"build", "--select", "a", "--full-refresh"}},
		{args: []string{"test", "--select", "r", "--full-refresh"}, fails: true},
		{args: []string{"test", "--select", "r"}},
	})
}

func TestReview46DeferToAFullRefreshState(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	files := map[string]string{
		"mart.yml":     "name: h\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
		"models/b.sql": "{{ config(materialized='table') }}\nselect * from {{ ref('a') }}\n",
	}
	review46Diff(t, files, []review46Step{
		{args: []string{"build"}},
		{args: []string{"compile", "--target-path", "prod"}},
		{args: []string{"build", "--select", "b", "--full-refresh", "--defer", "--state", "prod"}, query: "select * from main.b"},
		{args: []string{"build", "--select", "state:modified+", "--state", "prod", "--full-refresh"}, out: false},
		{args: []string{"ls", "--select", "state:modified", "--state", "prod"}, out: true, skipManifest: true},
	})
}

func TestReview46SelectByWhatTheOptionSets(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":       "name: h\n",
		"models/a.sql":   "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/r.sql":   "{{ config(materialized='table', tags=['full'] if flags.FULL_REFRESH else ['incr']) }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
		"models/off.sql": "{{ config(enabled=flags.FULL_REFRESH, materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
		"models/dep.sql": "{{ config(materialized='table', enabled=flags.FULL_REFRESH) }}\nselect * from {{ ref('off') }}\n",
	}, []review46Step{
		{args: []string{"build"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "tag:full", "--full-refresh"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "tag:incr"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "off+", "--full-refresh"}, query: "select count(*) from information_schema.tables where table_name in ('off', 'dep')"},
		{args: []string{"build", "--select", "tag:full", "--full-refresh"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "r", "config.materialized:table,tag:incr"}, query: "select fr from main.r"},
	})
}

// The render cache (target/partial_parse.gob) after a patch with the
// option toggled: a whole compile after it (a run of every node) reuses
// what it can, and must render the readers with its own option.
func TestReview46RenderCacheAfterAToggledPatch(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	files := map[string]string{
		"mart.yml":     "name: h\n",
		"macros/m.sql": "{% macro mark() %}{{ 'full' if flags.FULL_REFRESH else 'incr' }}{% endmacro %}\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/r.sql": "{{ config(materialized='table') }}\nselect '{{ mark() }}' as mark from {{ ref('a') }}\n",
		"models/f.sql": "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
	}
	q := "select (select mark from main.r) || (select fr from main.f)::varchar"
	review46Diff(t, files, []review46Step{
		{args: []string{"build"}, query: q},
		{args: []string{"build", "--select", "a", "--full-refresh"}, query: q},
		{args: []string{"run"}, query: q},
		{args: []string{"run", "--full-refresh"}, query: q},
		{args: []string{"run", "--select", "a"}, query: q},
		{args: []string{"run", "--full-refresh"}, query: q},
		{args: []string{"compile"}},
		{args: []string{"run", "--select", "a", "--full-refresh"}},
		{args: []string{"docs", "generate"}},
		{args: []string{"run"}, query: q},
	})
}

// A model that queries the warehouse while it renders, and reads the
// option (directly, or in the query it runs).
func TestReview46WarehouseReader(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":     "name: h\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/w.sql": "{{ config(materialized='table') }}\n{% set r = run_query('select ' ~ (2 if flags.FULL_REFRESH else 3) ~ ' as n') %}\n" +
			"select {{ r.columns[0].values()[0] if execute else 0 }} as n, * from {{ ref('a') }}\n",
		"models/v.sql": "{{ config(materialized='table') }}\n{% set r = run_query('select 7 as n') %}\nselect {{ flags.FULL_REFRESH }} as fr\n",
	}, []review46Step{
		{args: []string{"build"}, query: "select (select n from main.w) || (select fr from main.v)::varchar"},
		{args: []string{"build", "--select", "w", "v", "--full-refresh"}, query: "select (select n from main.w) || (select fr from main.v)::varchar"},
		{args: []string{"compile"}},
		{args: []string{"build", "--select", "a", "--full-refresh"}},
		{args: []string{"build", "--select", "w", "v"}, query: "select (select n from main.w) || (select fr from main.v)::varchar"},
		{args: []string{"compile"}},
	})
}

func TestReview46ProjectHooksThroughAMacro(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	q := "select (select fr from main.audit_start) || (select fr from main.audit_post)::varchar"
	review46Diff(t, map[string]string{
		"mart.yml":         "name: h\non-run-start:\n  - \"{{ audit('audit_start') }}\"\nmodels:\n  h:\n    +post-hook: \"{{ audit('audit_post') }}\"\n",
		"macros/audit.sql": "{% macro audit(t) %}create or replace table main.{{ t }} as select {{ flags.FULL_REFRESH }} as fr{% endmacro %}\n",
		"models/m.sql":     "{{ config(materialized='table') }}\nselect 1 as id\n",
	}, []review46Step{
		{args: []string{"build"}, query: q},
		{args: []string{"build", "--select", "m", "--full-refresh"}, query: q},
		{args: []string{"run", "--select", "m"}, query: q},
		{args: []string{"run", "--select", "m", "--full-refresh"}, query: q},
	})
}

func TestReview46DBTFullRefreshEnvVar(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	q := "select (select fr from main.a) || (select mark from main.r)"
	on := []string{"DBT_FULL_REFRESH=true"}
	review46Diff(t, map[string]string{
		"mart.yml":     "name: h\n",
		"macros/m.sql": "{% macro mark() %}{{ 'full' if flags.FULL_REFRESH else 'incr' }}{% endmacro %}\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
		"models/r.sql": "{{ config(materialized='table') }}\nselect '{{ mark() }}' as mark\n",
	}, []review46Step{
		{args: []string{"build"}, query: q},
		{args: []string{"build", "--select", "a", "r"}, env: on, query: q},
		{args: []string{"compile"}, env: on},
		{args: []string{"run", "--select", "r"}, query: q},
		{args: []string{"run", "--select", "r"}, env: []string{"DBT_FULL_REFRESH=1"}, query: q},
		{args: []string{"ls"}, env: on, out: true, skipManifest: true},
		{args: []string{"run", "--select", "a"}, env: []string{"DBT_FULL_REFRESH=false"}, query: q},
	})
}

func TestReview46DryRunAndEmpty(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml":     "name: h\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/r.sql": "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr from {{ ref('a') }}\n",
	}, []review46Step{
		{args: []string{"build"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "r", "--full-refresh", "--dry-run"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "r"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "r", "--full-refresh", "--empty"}, query: "select count(*) from main.r"},
		{args: []string{"build", "--select", "r", "--full-refresh"}, query: "select fr from main.r"},
		{args: []string{"build", "--select", "r", "--dry-run"}, query: "select fr from main.r"},
		{args: []string{"compile"}},
	})
}

func TestReview46InlineAndOperationAfterAFullRefresh(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	review46Diff(t, map[string]string{
		"mart.yml": "name: h\n",
		"macros/m.sql": "{% macro mark2() %}{{ 'full' if flags.FULL_REFRESH else 'incr' }}{% endmacro %}\n" +
			"{% macro audit() %}{% do run_query('create or replace table main.audit as select ' ~ flags.FULL_REFRESH ~ ' as fr') %}{% endmacro %}\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/r.sql": "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as fr\n",
	}, []review46Step{
		{args: []string{"build"}},
		{args: []string{"build", "--select", "a", "--full-refresh"}},
		{args: []string{"show", "--inline", "select '{{ mark2() }}' as m, fr from {{ ref('r') }}"}, out: true},
		{args: []string{"run-operation", "audit"}, query: "select fr from main.audit"},
		{args: []string{"show", "--select", "r"}, out: true},
		{args: []string{"build", "--select", "a", "--full-refresh"}},
		{args: []string{"run-operation", "audit"}, query: "select fr from main.audit"},
		{args: []string{"docs", "generate"}},
	})
}
