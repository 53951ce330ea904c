package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPackagesBuild builds a project that uses an installed package as dbt
// does: the package's model (configured from the root project, with the
// root's vars scoped to the package), its namespaced macros, dispatch with
// the root project's override, the root's own namespace, the package's
// model calling its own macros by their names, and the package's generic
// test.
func TestPackagesBuild(t *testing.T) {
	dir := project(t, "packages_basic")
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "OK table main.util_base")
	assert.Contains(t, r.Stdout, "PASS util_pkg_is_even_orders_amount")
	rows := query(t, dir, "select amount, amount_eur, ab, cd, shouted, greeting from main.orders")
	require.Len(t, rows, 1)
	assert.Equal(t, []any{int32(4), 4.0, "root:a+b", "root:c+d", "X", "hi"}, []any{rows[0][0], toFloat(rows[0][1]), rows[0][2], rows[0][3], rows[0][4], rows[0][5]})

	// a model whose template queries the warehouse (run_query, a statement
	// block, adapter.get_columns_in_relation) renders when it runs
	assert.Contains(t, r.Stdout, "OK table main.introspective")
	rows = query(t, dir, "select * from main.introspective")
	require.Len(t, rows, 1)
	cols := query(t, dir, "select column_name from information_schema.columns where table_name = 'introspective' order by ordinal_position")
	assert.Equal(t, [][]any{{"amount"}, {"amount_eur"}, {"shouted"}, {"greeting"}, {"n_base"}, {"greetings"}}, cols,
		"star() read orders' columns, leaving out ab and cd")
	assert.Equal(t, []any{int32(1), "hi"}, rows[0][4:])
	assert.Contains(t, readFile(t, dir, "target/run/models/introspective.sql"), `"amount", "amount_eur"`)
	man := readFile(t, dir, "target/manifest.json")
	assert.Contains(t, man, `"run_time_render":true`)

	// the package's model calls its package's macro by its own name, as
	// in dbt (the package's macros come first for its nodes)
	assert.Contains(t, readFile(t, dir, "target/compiled/dbt_packages/util_pkg/models/util_base.sql"), "(250 / 100.0) as euros")
	assert.Equal(t, [][]any{{2.5}}, query(t, dir, "select euros::double from main.util_base"))

	r = mart(t, dir, "ls", "--select", "package:util_pkg", "--output", "name")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, []string{"util_base"}, lines(r.Stdout))

	// --vars win over the root's vars scoped to the package, as in dbt
	r = mart(t, dir, "compile", "--vars", "greeting: from_cli")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, readFile(t, dir, "target/compiled/dbt_packages/util_pkg/models/util_base.sql"), "'from_cli' as greeting")
	// the compile that patches the last one sees a --vars that changes
	// only what the package sees (the root's own vars are the same); no
	// model that queries the warehouse, which keeps a compile from
	// being patched
	require.NoError(t, os.Remove(filepath.Join(dir, "models", "introspective.sql")))
	writeFile(t, dir, "dbt_project.yml", "name: shop\nprofile: shop\nvars:\n  greeting: g\n  util_pkg:\n    greeting: hi\nmodels:\n  util_pkg:\n    +materialized: table\n")
	for _, c := range []struct{ vars, want string }{{"", "hi"}, {"greeting: g", "g"}, {"", "hi"}} {
		args := []string{"compile"}
		if c.vars != "" {
			args = append(args, "--vars", c.vars)
		}
		r = mart(t, dir, args...)
		require.Equal(t, 0, r.Code, r.String())
		assert.Contains(t, readFile(t, dir, "target/compiled/dbt_packages/util_pkg/models/util_base.sql"), "'"+c.want+"' as greeting", "--vars %q", c.vars)
	}

	// the root's vars scoped to its own name apply to its own models,
	// over its global ones, and not to a package's; --vars win over both
	writeFile(t, dir, "models/own_vars.sql", "select '{{ var(\"greeting\") }}' as greeting, {{ var('n') }} as n")
	writeFile(t, dir, "dbt_project.yml", "name: shop\nprofile: shop\nvars:\n  greeting: g\n  n: 1\n  shop:\n    greeting: own\n  util_pkg:\n    greeting: hi\nmodels:\n  util_pkg:\n    +materialized: table\n")
	for _, c := range []struct{ vars, root, pkg string }{{"", "'own' as greeting, 1 as n", "'hi' as greeting"},
		{"greeting: cli", "'cli' as greeting, 1 as n", "'cli' as greeting"}} {
		args := []string{"compile"}
		if c.vars != "" {
			args = append(args, "--vars", c.vars)
		}
		r = mart(t, dir, args...)
		require.Equal(t, 0, r.Code, r.String())
		assert.Contains(t, readFile(t, dir, "target/compiled/models/own_vars.sql"), c.root, "--vars %q", c.vars)
		assert.Contains(t, readFile(t, dir, "target/compiled/dbt_packages/util_pkg/models/util_base.sql"), c.pkg, "--vars %q", c.vars)
	}

	// state:modified.vars sees the vars each node sees: a change of the
	// root's own block modifies the root's readers, not the package's
	// model; a change of the root's block for the package modifies it
	r = mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	writeFile(t, dir, "state/manifest.json", readFile(t, dir, "target/manifest.json"))
	project := func(own, pkg string) {
		writeFile(t, dir, "dbt_project.yml", "name: shop\nprofile: shop\nvars:\n  greeting: g\n  n: 1\n  shop:\n    greeting: "+own+
			"\n  util_pkg:\n    greeting: "+pkg+"\nmodels:\n  util_pkg:\n    +materialized: table\n")
	}
	for _, c := range []struct{ own, pkg, want string }{{"own2", "hi", "own_vars"}, {"own", "hi2", "util_base"}} {
		project(c.own, c.pkg)
		r = mart(t, dir, "ls", "--select", "state:modified.vars", "--state", "state", "--resource-type", "model", "--output", "name")
		require.Equal(t, 0, r.Code, r.String())
		assert.Equal(t, []string{c.want}, lines(r.Stdout), "own %s, package's %s", c.own, c.pkg)
	}
}

func toFloat(v any) float64 {
	switch t := v.(type) {
	case float64:
		return t
	case float32:
		return float64(t)
	}
	return -1
}

// TestGitPackage installs the package from a git repository made here (a
// tag, a subdirectory), as a team's packages.yml names it, and builds
// with it; the lock pins the commit, and a build of a checkout whose
// dbt_packages/ is filled needs no `mart deps`.
func TestGitPackage(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "testdata", "packages_basic", "dbt_packages", "util_pkg"), filepath.Join(repo, "packages", "util_pkg"))
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	git("init", "--quiet", "-b", "main")
	git("add", "-A")
	git("commit", "--quiet", "-m", "util_pkg")
	git("tag", "v1.0.0")

	dir := project(t, "packages_basic")
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "dbt_packages")))
	writeFile(t, dir, "packages.yml", "packages:\n  - git: \"file://"+repo+"\"\n    revision: v1.0.0\n    subdirectory: packages/util_pkg\n")
	r := mart(t, dir, "build")
	require.NotEqual(t, 0, r.Code, "without mart deps the package is missing\n%s", r)
	assert.Contains(t, r.String(), "mart deps")

	r = mart(t, dir, "deps")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, readFile(t, dir, "package-lock.yml"), "revision: ")
	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "OK table main.util_base")
	assert.Contains(t, r.Stdout, "PASS util_pkg_is_even_orders_amount")
	assert.Contains(t, r.Stdout, "OK table main.introspective")
	rows := query(t, dir, "select ab, cd, greeting from main.orders")
	assert.Equal(t, [][]any{{"root:a+b", "root:c+d", "hi"}}, rows)
}
