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

// reviewSelectorsProject is the demo with what its listing lacks (an
// analysis, a versioned model with escapes in its YAML, a package's
// model, a disabled model) and selectors.yml in dbt's forms, a default
// among them.
func reviewSelectorsProject(t testing.TB) string {
	dir := demo(t)
	copyTree(t, filepath.Join(repoRoot, "testdata", "packages_basic", "dbt_packages"), filepath.Join(dir, "dbt_packages"))
	writeFile(t, dir, "analyses/an1.sql", "select * from {{ ref('dim_cars') }}\n")
	writeFile(t, dir, "models/marts/vm_v1.sql", "select 1 as id\n")
	writeFile(t, dir, "models/marts/vm_v2.sql", "select 2 as id\n")
	writeFile(t, dir, "models/marts/pkg_user.sql", "select * from {{ ref('util_base') }}\n")
	writeFile(t, dir, "models/marts/off_model.sql", "{{ config(enabled=false) }}\nselect 1 as id\n")
	writeFile(t, dir, "models/marts/_vm.yml", `version: 2
models:
  - name: vm
    latest_version: 1
    description: "quote \" and unicode é and \u2028 sep"
    config:
      meta: {"we\"ird": 1, "": 2}
    versions:
      - v: 1
      - v: 2
    columns:
      - name: id
        data_tests: [not_null]
`)
	writeFile(t, dir, "selectors.yml", `selectors:
  - name: marts
    default: "{{ env_var('REVIEW_DEFAULT', '') != '' }}"
    definition:
      union:
        - method: path
          value: models/marts
          children: true
        - exclude:
            - fqn: dim_cars
  - name: cautious
    definition:
      method: fqn
      value: dim_members
      indirect_selection: cautious
  - name: buildable
    definition:
      method: fqn
      value: fct_reservations
      indirect_selection: buildable
  - name: pkg
    definition:
      method: package
      value: util_pkg
      children: true
  - name: inter
    definition:
      intersection:
        - "tag:staging"
        - method: resource_type
          value: model
          children: true
          children_depth: 1
  - name: cfg
    definition:
      union:
        - config.materialized:incremental
        - method: config.schema
          value: staging
          children: true
          children_depth: 1
  - name: nested
    definition:
      union:
        - selector:marts
        - method: selector
          value: pkg
        - exclude:
            - selector:cautious
  - name: viacfg
    definition:
      intersection:
        - selector:cfg
        - "tag:finance"
`)
	return dir
}

// Every listing of YAML selectors made from the snapshot a compile keeps
// is the one a whole compile makes, byte for byte, in each output form.
func TestReviewSelectorsLsFromPatchMatchesWholeCompile(t *testing.T) {
	t.Parallel() // (a long comparison: it overlaps the others; see TestMain)
	light, whole := reviewSelectorsProject(t), reviewSelectorsProject(t)
	past := time.Now().Add(-time.Hour)
	require.NoError(t, filepath.WalkDir(light, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			err = os.Chtimes(p, past, past)
		}
		return err
	}))
	selections := [][]string{
		nil, {"--selector", "marts"}, {"--selector", "cautious"}, {"--selector", "buildable"}, {"--selector", "pkg"},
		{"--selector", "inter"}, {"--selector", "cfg"}, {"--selector", "nested"}, {"--selector", "viacfg"},
		{"-s", "selector:nested"}, {"--exclude", "selector:marts"}, {"-s", "selector:marts,resource_type:test"},
		{"-s", "selector:cfg", "selector:pkg", "--exclude", "selector:cautious"}, {"-s", "vm"},
		{"-s", "resource_type:analysis"}, {"-s", "package:util_pkg+"}, {"-s", "off_model"},
	}
	outputs := [][]string{{"-o", "name"}, {"-o", "json"}, {"-o", "path", "--resource-type", "all"},
		{"-o", "json", "--output-keys", "name", "unique_id", "description", "meta", "config", "columns", "version",
			"latest_version", "raw_code", "compiled_code", "depends_on", "fqn", "checksum"},
		{"--log-format", "json"}}
	for _, env := range [][]string{nil, {"REVIEW_DEFAULT=1"}} {
		// (an env var selectors.yml reads is an input of the snapshot:
		// the compile is made with it)
		r := martEnv(t, light, env, "compile")
		require.Equal(t, 0, r.Code, r.String())
		for _, sel := range selections {
			for _, out := range outputs {
				args := append(append([]string{"ls"}, sel...), out...)
				what := strings.Join(env, " ") + " mart " + strings.Join(args, " ")
				a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, env...), args...)
				b := martEnv(t, whole, env, append(args, "--no-partial-parse")...)
				require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
				require.Equal(t, logTimes.ReplaceAllString(b.Stdout, ""), logTimes.ReplaceAllString(a.Stdout, ""), what)
				require.Equal(t, logTimes.ReplaceAllString(b.Stderr, ""),
					logTimes.ReplaceAllString(timingLines.ReplaceAllString(a.Stderr, ""), ""), what)
				require.True(t, loadedFromPatch.MatchString(a.Stderr), "%s: %s", what, noSelectionReason(a.Stderr))
			}
		}
	}
}

// A run of --selector, the default selector or selector: in --select
// builds the nodes the same selection from a whole compile builds.
func TestReviewSelectorsRunsFromPatchMatchWholeCompile(t *testing.T) {
	light, whole := reviewSelectorsProject(t), reviewSelectorsProject(t)
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "seed")
		require.Equal(t, 0, r.Code, r.String())
	}
	r := mart(t, light, "compile")
	require.Equal(t, 0, r.Code, r.String())
	runs := []struct {
		env  []string
		args []string
	}{
		{nil, []string{"compile", "--selector", "nested"}},
		{nil, []string{"run", "--selector", "cautious"}},
		{nil, []string{"test", "--selector", "cautious"}},
		{nil, []string{"build", "--selector", "buildable"}},
		{[]string{"REVIEW_DEFAULT=1"}, []string{"compile"}},
		{[]string{"REVIEW_DEFAULT=1"}, []string{"ls", "-o", "name"}},
		{nil, []string{"compile", "-s", "selector:viacfg"}},
		{nil, []string{"test", "-s", "selector:pkg", "--exclude", "selector:cautious"}},
	}
	for _, run := range runs {
		what := strings.Join(run.env, " ") + " mart " + strings.Join(run.args, " ")
		a := martEnv(t, light, append([]string{"MART_TIMINGS=1"}, run.env...), run.args...)
		b := martEnv(t, whole, run.env, append(run.args, "--no-partial-parse")...)
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		norm := func(s string) []string {
			return lines(reviewIndex.ReplaceAllString(durations.ReplaceAllString(s, ""), ""))
		}
		require.ElementsMatch(t, norm(b.Stdout), norm(a.Stdout), what)
	}
}

// reviewIndex is a run's "N of M " (nodes end in any order)
var reviewIndex = regexp.MustCompile(`(?m)^\d+ of \d+ `)
