package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// review45: a run with --full-refresh that loads from the snapshot made
// without it (compiler/patchfullrefresh.go asFullRefresh). A model's
// post_hook is rendered when it runs with the Renderer of the patch's
// compilation (runner nodeHooks, patchLoad.renderer), whose flags are the
// compile's: FULL_REFRESH there is the snapshot's value, not the run's,
// once the option was swapped. The hook's text comes from a template
// whose bytes need not name flags: a Jinja concatenation, --vars, an env
// var.

// frHookRun builds the project twice, without then with --full-refresh
// (extra args and env on both), and requires the hook of the second run
// to have seen FULL_REFRESH true, as a run without partial parsing sees
// it.
func frHookRun(t *testing.T, model string, env []string, args ...string) {
	t.Helper()
	frHookRunIn(t, "name: frh\n", model, env, args...)
}

func frHookRunIn(t *testing.T, projectFile, model string, env []string, args ...string) {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", projectFile)
	writeFile(t, dir, "models/m.sql", model)
	r := martEnv(t, dir, env, append([]string{"build", "--select", "m"}, args...)...)
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, false, scalar(t, dir, "select fr from main.audit"))

	r = martEnv(t, dir, env, append([]string{"build", "--select", "m", "--full-refresh", "--debug"}, args...)...)
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, true, scalar(t, dir, "select fr from main.audit"),
		"the post_hook of a --full-refresh run sees flags.FULL_REFRESH true (patched: %v)",
		strings.Contains(r.Stderr, "Partial parsing: target/ patched from its snapshot"))

	// the same run without partial parsing: what the hook should see
	r = martEnv(t, dir, env, append([]string{"build", "--select", "m", "--full-refresh", "--no-partial-parse"}, args...)...)
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, true, scalar(t, dir, "select fr from main.audit"), "without partial parsing")
}

func TestReview45FullRefreshHookFromAConcatenation(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	frHookRun(t, `{{ config(materialized='table', post_hook="create or replace table main.audit as select {{ fl" ~ "ags.FULL_REFRESH }} as fr") }}
select 1 as id
`, nil)
}

func TestReview45FullRefreshHookFromVars(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	frHookRun(t, "{{ config(materialized='table', post_hook=var('audit_hook')) }}\nselect 1 as id\n", nil,
		"--vars", `{audit_hook: "create or replace table main.audit as select {{ flags.FULL_REFRESH }} as fr"}`)
}

func TestReview45FullRefreshHookFromAnEnvVar(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	frHookRun(t, "{{ config(materialized='table', post_hook=env_var('AUDIT_HOOK')) }}\nselect 1 as id\n",
		[]string{"AUDIT_HOOK=create or replace table main.audit as select {{ flags.FULL_REFRESH }} as fr"})
}

// The project file's YAML values are read decoded (projectNamesFlags),
// its flags: block left out; an alias is not followed: a folder config's
// post-hook that is an alias of an anchor in the flags: block (a key no
// flag has, which the CLI leaves alone) names flags nowhere it looks.
func TestReview45FullRefreshHookFromAProjectFileAlias(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	frHookRunIn(t, "name: frh\nflags:\n  audit_hook: &h \"create or replace table main.audit as select {{ flags.FULL_REFRESH }} as fr\"\n"+
		"models:\n  frh:\n    +post-hook: *h\n", "{{ config(materialized='table') }}\nselect 1 as id\n", nil)
}

// A generic test's ref() argument that reads flags.FULL_REFRESH, its
// YAML string escaped (\x61) so the file's bytes do not name flags: a
// build --full-refresh that loads from the snapshot made without it runs
// the test against the other model (parent_b, where child's id is
// missing: the test fails), where a run without partial parsing tests
// against parent_a and passes.
func TestReview45FullRefreshTestArgumentRun(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: fra\n")
	writeFile(t, dir, "models/parent_a.sql", "select 1 as id\n")
	writeFile(t, dir, "models/parent_b.sql", "select 2 as id\n")
	writeFile(t, dir, "models/child.sql", "select 1 as id\n")
	writeFile(t, dir, "models/schema.yml", "version: 2\nmodels:\n  - name: child\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n"+
		"              to: \"ref('parent_a' if fl\\x61gs.FULL_REFRESH else 'parent_b')\"\n              field: id\n")
	r := mart(t, dir, "run")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())

	r = mart(t, dir, "build", "--select", "child", "--full-refresh", "--debug")
	assert.Equal(t, 0, r.Code, "the test refs parent_a under --full-refresh (patched: %v)\n%s",
		strings.Contains(r.Stderr, "Partial parsing: target/ patched from its snapshot"), r.String())

	r = mart(t, dir, "build", "--select", "child", "--full-refresh", "--no-partial-parse")
	require.Equal(t, 0, r.Code, "without partial parsing\n%s", r.String())
}

// An inline query (show --inline) is a template the snapshot never saw:
// rendered with the Renderer of a patch that swapped --full-refresh, its
// flags are the snapshot's (a build --full-refresh made it), not the
// command's, which has no --full-refresh.
func TestReview45FullRefreshInlineQuery(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: fri\n")
	writeFile(t, dir, "models/a.sql", "select 1 as id\n")
	const inline = "select {{ flags.FULL_REFRESH }} as fr_flag"
	// the snapshot is made by a run with --full-refresh
	r := mart(t, dir, "build", "--full-refresh")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "show", "--inline", inline, "--debug")
	require.Equal(t, 0, r.Code, r.String())
	assert.NotContains(t, strings.ToLower(r.Stdout), "true", "show without --full-refresh: flags.FULL_REFRESH is false (patched: %v)\n%s",
		strings.Contains(r.Stderr, "patched from its snapshot"), r.String())
	r = mart(t, dir, "show", "--inline", inline, "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	require.NotContains(t, strings.ToLower(r.Stdout), "true", "without partial parsing\n%s", r.String())

}

// The other way: the snapshot made by a build --full-refresh, the next
// scheduled build without it runs the hook with FULL_REFRESH true.
func TestReview45HookAfterAFullRefreshRun(t *testing.T) {
	t.Parallel() // (self-contained: it overlaps the long comparisons)
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: frh\n")
	writeFile(t, dir, "models/m.sql", `{{ config(materialized='table', post_hook="create or replace table main.audit as select {{ fl" ~ "ags.FULL_REFRESH }} as fr") }}
select 1 as id
`)
	r := mart(t, dir, "build", "--full-refresh")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, true, scalar(t, dir, "select fr from main.audit"))
	r = mart(t, dir, "build", "--select", "m", "--debug")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, false, scalar(t, dir, "select fr from main.audit"), "a run without --full-refresh (patched: %v)",
		strings.Contains(r.Stderr, "patched from its snapshot"))
}
