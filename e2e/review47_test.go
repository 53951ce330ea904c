package e2e

// Review 47: probes of generic tests whose arguments and where: render
// in the test's context, and of partial parsing making them again when a
// var, env var or --full-refresh they read changes, on the real binary.

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// r47Project: a seed and a source-backed model, tests reading a var, an
// env var with a default and --full-refresh
func r47Project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: r47\nversion: \"1.0.0\"\n")
	writeFile(t, dir, "seeds/days.csv", "id,d\n1,2024-01-01\n2,2024-01-02\n,2024-01-03\n")
	writeFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeFile(t, dir, "models/b.sql", "select 2 as id\n")
	writeFile(t, dir, "models/m.sql", "select id, d from {{ ref('days') }}\n")
	writeFile(t, dir, "seeds/_days.yml", `version: 2
seeds:
  - name: days
    config:
      column_types: {d: date}
    columns:
      - name: id
        data_tests:
          - not_null:
              config:
                where: "d = '{{ var('ds', '2024-01-01') }}'"
`)
	writeFile(t, dir, "models/_m.yml", `version: 2
models:
  - name: m
    columns:
      - name: id
        data_tests:
          - not_null:
              where: "d <= '{{ env_var('R47_DAY', '2024-01-02') }}'"
          - accepted_values:
              values: "{{ var('ids', [1, 2]) }}"
              quote: false
              config:
                where: "{{ 'id is not null' if flags.FULL_REFRESH else 'id > 1' }}"
          - relationships:
              to: "ref(var('parent', 'a'))"
              field: id
              config:
                where: "id = 1"
`)
	return dir
}

// every change is a patch or a whole compile whose manifest equals
// --no-partial-parse's, and the tests' results follow the values
func TestReview47VarsEnvFullRefreshOnDuckDB(t *testing.T) {
	dir := r47Project(t)
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	for _, name := range []string{"not_null_days_id", "not_null_m_id", "relationships_m_id__id__ref_var_parent_a_"} {
		require.Contains(t, r.Stdout, "PASS "+name, r.String())
	}
	// each run: args, env, then: patched manifest == whole manifest
	type run struct {
		name string
		cmd  string
		env  []string
		args []string
		fail []string // tests that fail under it
	}
	for _, c := range []run{
		{"a ds whose row has a null id", "compile", nil, []string{"--vars", "{ds: '2024-01-03'}"}, []string{"not_null_days_id"}},
		{"an env var day that takes the null row", "compile", []string{"R47_DAY=2024-01-03"}, nil, []string{"not_null_m_id"}},
		{"ids without 2", "compile", nil, []string{"--vars", "{ids: [1]}"}, []string{"accepted_values_m_id__False___var_ids_1_2_"}},
		{"--full-refresh", "build", nil, []string{"--full-refresh"}, nil},
		{"no --full-refresh", "build", nil, nil, nil},
		{"parent b", "compile", nil, []string{"--vars", "{parent: b}"}, []string{"relationships_m_id__id__ref_var_parent_a_"}},
		{"back", "compile", nil, nil, nil},
	} {
		r = martEnv(t, dir, c.env, append([]string{c.cmd, "--debug"}, c.args...)...)
		require.Equal(t, 0, r.Code, "%s: %s", c.name, r.String())
		for _, l := range strings.Split(r.Stderr, "\n") {
			if strings.Contains(l, "artial parsing") {
				t.Logf("%s: %s", c.name, l)
			}
		}
		patched := manifestBody(t, dir)
		r = martEnv(t, dir, c.env, append([]string{c.cmd, "--no-partial-parse"}, c.args...)...)
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, manifestBody(t, dir), patched, "%s: a patched compile writes what a whole compile does", c.name)
		if c.cmd != "compile" {
			continue
		}
		r = martEnv(t, dir, c.env, append([]string{"test"}, c.args...)...)
		for _, f := range c.fail {
			require.Contains(t, r.Stdout, "FAIL "+f, "%s: %s", c.name, r.String())
		}
		if len(c.fail) == 0 {
			require.Equal(t, 0, r.Code, "%s: %s", c.name, r.String())
		}
	}
}

// a where: with {% %}: exit 2 at the test's file and line, nothing
// written; after a good compile, target/ is left as it was (the patch
// refuses it with the whole compile's error)
func TestReview47StatementInWhereRefused(t *testing.T) {
	bad := `version: 2
models:
  - name: m
    columns:
      - name: id
        data_tests:
          - unique
          - not_null:
              config:
                where: "{% if var('x', 1) == 1 %}id > 0{% endif %}"
`
	dir := r47Project(t)
	writeFile(t, dir, "models/_m.yml", bad)
	r := mart(t, dir, "compile")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "models/_m.yml:8:", r.String())
	require.Contains(t, r.Stderr, "where: only", r.String())
	requireNoTarget(t, dir)

	dir = r47Project(t)
	r = mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	before := readFile(t, dir, "target/manifest.json")
	writeFile(t, dir, "models/_m.yml", bad)
	r = mart(t, dir, "compile")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "models/_m.yml:8:", r.String())
	require.Equal(t, before, readFile(t, dir, "target/manifest.json"), "target/ unchanged")
	// and in an argument nested in a list
	writeFile(t, dir, "models/_m.yml", strings.Replace(bad, `config:
                where: "{% if var('x', 1) == 1 %}id > 0{% endif %}"`, `values: [1, "{%- set x = 2 -%}{{ x }}"]`, 1))
	writeFile(t, dir, "models/_m.yml", strings.Replace(readFile(t, dir, "models/_m.yml"), "- not_null:", "- accepted_values:", 1))
	r = mart(t, dir, "compile")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "models/_m.yml:8:", r.String())
	require.Equal(t, before, readFile(t, dir, "target/manifest.json"), "target/ unchanged")
}

// A render error in a test's where: (a var with no value) points at the
// test's line in its properties file
func TestReview47WhereRenderErrorLine(t *testing.T) {
	dir := r47Project(t)
	writeFile(t, dir, "models/_m.yml", `version: 2
models:
  - name: m
    columns:
      - name: id
        data_tests:
          - unique
          - not_null:
              where: "id > {{ var('r47_nothing') }}"
`)
	r := mart(t, dir, "compile")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "models/_m.yml:8:", r.String())
}

// two copies: one compiled with partial parsing only (patches), one with
// --no-partial-parse; after each change of vars or env their manifests
// are equal
func TestReview47PatchedCompilesEqualWhole(t *testing.T) {
	light, whole := r47Project(t), r47Project(t)
	steps := []struct {
		env  []string
		args []string
	}{
		{nil, nil},
		{nil, []string{"--vars", "{ds: '2024-01-03'}"}},
		{[]string{"R47_DAY=2024-01-03"}, []string{"--vars", "{ds: '2024-01-03'}"}},
		{[]string{"R47_DAY=2024-01-03"}, []string{"--vars", "{ds: '2024-01-03', ids: [1]}"}},
		{[]string{"R47_DAY=2024-01-04"}, []string{"--vars", "{ids: 'abc'}"}},
		{nil, []string{"--vars", "{parent: b}"}},
		{nil, []string{"--vars", "{parent: b, ids: [1, 2, 3]}"}},
		{nil, nil},
	}
	for i, s := range steps {
		r := martEnv(t, light, s.env, append([]string{"compile", "--debug"}, s.args...)...)
		require.Equal(t, 0, r.Code, r.String())
		for _, l := range strings.Split(r.Stderr, "\n") {
			if strings.Contains(l, "artial parsing") {
				t.Logf("step %d: %s", i, l)
			}
		}
		r = martEnv(t, whole, s.env, append([]string{"compile", "--no-partial-parse"}, s.args...)...)
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light), "step %d", i)
	}
}
