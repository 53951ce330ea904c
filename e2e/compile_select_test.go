package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCompileSelectors runs `mart ls` with every selector form on
// testdata/compile_select and pins the selections in one golden file.
func TestCompileSelectors(t *testing.T) {
	dir := project(t, "compile_select")
	cases := []struct {
		args []string
		want string // names, sorted, space separated; "" skips the check (see the golden file)
	}{
		{[]string{"-s", "stg_a"}, "stg_a"},
		{[]string{"-s", "stg_*"}, "stg_a stg_b"},
		{[]string{"-s", "*_ab"}, "int_ab"},
		{[]string{"-s", "sel.marts.*"}, "assert_report_not_empty dim fct not_null_fct_id report unique_fct_id"},
		{[]string{"-s", "path:models/marts"}, "assert_report_not_empty dim fct not_null_fct_id report unique_fct_id"},
		{[]string{"-s", "path:models/staging/stg_b.sql"}, "stg_b"},
		{[]string{"-s", "tag:nightly"}, "fct int_ab not_null_fct_id unique_fct_id"},
		{[]string{"-s", "tag:pii"}, "raw.b"},
		{[]string{"-s", "config.materialized:table"}, "dim fct not_null_fct_id unique_fct_id"},
		{[]string{"-s", "config.materialized:view"}, "assert_report_not_empty report stg_a stg_b"},
		{[]string{"-s", "source:raw"}, "raw.a raw.b"},
		{[]string{"-s", "source:raw.b+"}, "assert_report_not_empty fct int_ab not_null_fct_id raw.b report stg_b unique_fct_id"},
		{[]string{"-s", "resource_type:seed"}, "lookup"},
		{[]string{"-s", "resource_type:source"}, "raw.a raw.b"},
		{[]string{"-s", "test_type:singular"}, "assert_report_not_empty"},
		{[]string{"-s", "test_type:generic"}, "not_null_fct_id unique_fct_id"},
		{[]string{"-s", "+fct"}, "fct int_ab not_null_fct_id raw.a raw.b stg_a stg_b unique_fct_id"},
		{[]string{"-s", "fct+"}, "assert_report_not_empty fct not_null_fct_id report unique_fct_id"},
		{[]string{"-s", "2+report"}, "assert_report_not_empty dim fct int_ab lookup not_null_fct_id report stg_a unique_fct_id"},
		{[]string{"-s", "stg_a+1"}, "dim int_ab stg_a"},
		{[]string{"-s", "1+int_ab+1"}, "fct int_ab not_null_fct_id stg_a stg_b unique_fct_id"},
		{[]string{"-s", "@int_ab"}, "assert_report_not_empty dim fct int_ab lookup not_null_fct_id raw.a raw.b report stg_a stg_b unique_fct_id"},
		{[]string{"-s", "stg_a dim"}, "dim stg_a"},
		{[]string{"-s", "stg_a", "-s", "dim"}, "dim stg_a"},
		{[]string{"-s", "tag:nightly,config.materialized:table"}, "fct not_null_fct_id unique_fct_id"},
		{[]string{"-s", "+report,tag:staging"}, "stg_a stg_b"},
		{[]string{"-s", "tag:staging tag:nightly", "--exclude", "stg_b"}, "fct int_ab not_null_fct_id stg_a unique_fct_id"},
		{[]string{"-s", "fct+", "--exclude", "resource_type:test"}, "fct report"},
		{[]string{"-s", "+report", "--resource-type", "model"}, "dim fct int_ab report stg_a stg_b"},
		{[]string{"--resource-type", "test"}, "assert_report_not_empty not_null_fct_id unique_fct_id"},
		{[]string{"--resource-type", "seed", "--resource-type", "source"}, "lookup raw.a raw.b"},
		{[]string{"--exclude", "path:models"}, "lookup"}, // tests of excluded models go too, as in dbt
	}
	var log strings.Builder
	for _, c := range cases {
		args := append([]string{"ls", "--output", "name"}, c.args...)
		r := mart(t, dir, args...)
		require.Equal(t, 0, r.Code, "%v\n%s", args, r)
		got := strings.Join(strings.Fields(r.Stdout), " ")
		require.Equal(t, c.want, got, "mart %s", strings.Join(args, " "))
		fmt.Fprintf(&log, "$ mart %s\n%s\n", quoteArgs(args), r.Stdout)
	}
	for _, output := range []string{"path", "selector"} {
		args := []string{"ls", "--output", output, "-s", "+fct"}
		r := mart(t, dir, args...)
		require.Equal(t, 0, r.Code, r.String())
		fmt.Fprintf(&log, "$ mart %s\n%s\n", quoteArgs(args), r.Stdout)
	}
	golden(t, "compile/select/ls.txt", log.String())
	requireNoTargetCompiled(t, dir)
}

// TestCompileSelectJSON checks `mart ls --output json`: one JSON object a
// line with the node's id, type, path, tags, config and parents.
func TestCompileSelectJSON(t *testing.T) {
	dir := project(t, "compile_select")
	r := mart(t, dir, "ls", "--output", "json", "-s", "report int_ab")
	require.Equal(t, 0, r.Code, r.String())
	var got []map[string]any
	for _, l := range lines(r.Stdout) {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		got = append(got, m)
	}
	require.Len(t, got, 3) // and report's singular test, as dbt ls lists it
	golden(t, "compile/select/ls_json.json", jsonText(t, got))
}

// TestCompileSelectOnlyWritesSelected compiles a selection: only the
// selected nodes get compiled SQL, the manifest holds every node.
func TestCompileSelectOnlyWritesSelected(t *testing.T) {
	dir := project(t, "compile_select")
	r := mart(t, dir, "compile", "-s", "+int_ab")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "Compiled 3 models, 2 sources to target/compiled and wrote target/manifest.json\n", r.Stdout)
	names, _ := compiledFiles(t, dir)
	require.Equal(t, []string{"models/intermediate/int_ab.sql", "models/staging/stg_a.sql", "models/staging/stg_b.sql"}, names)
	m := readManifest(t, dir)
	require.Len(t, m.Nodes, 10)
	require.Len(t, m.Sources, 2)
}

// TestCompileSelectorErrors: a selector that cannot be parsed is bad input.
func TestCompileSelectorErrors(t *testing.T) {
	dir := project(t, "compile_select")
	r := mart(t, dir, "ls", "-s", "tagg:nightly")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, `unknown selector method "tagg"`)
	r = mart(t, dir, "compile", "-s", "fct,")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, `expected a selector after ","`)
	requireNoTarget(t, dir)
}

func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " *+@,") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// requireNoTargetCompiled checks that `mart ls` wrote no compiled SQL.
func requireNoTargetCompiled(t *testing.T, dir string) {
	t.Helper()
	names, _ := compiledFilesIfAny(dir)
	require.Empty(t, names, "mart ls must not write compiled SQL")
}

// TestSelectAllMatchesSelector: `mart ls` without a selection (which skips
// the selector) lists exactly what `--select '*'` and an exclusion that
// matches nothing list, also for sources disabled by a string.
func TestSelectAllMatchesSelector(t *testing.T) {
	dir := project(t, "compile_select")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models", "more_sources.yml"), []byte(`version: 2
sources:
  - name: extra
    tables:
      - name: off_string
        config: {enabled: "false"}
      - name: off_no
        config: {enabled: no}
      - name: off_bool
        config: {enabled: false}
      - name: on
`), 0o644))
	all := mart(t, dir, "ls")
	require.Equal(t, 0, all.Code, all.String())
	require.Contains(t, all.Stdout, "extra.on\n")
	require.NotContains(t, all.Stdout, "off_")
	for _, args := range [][]string{{"ls", "-s", "*"}, {"ls", "--exclude", "no_such_node"}} {
		r := mart(t, dir, args...)
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, all.Stdout, r.Stdout, "%v", args)
	}
}
