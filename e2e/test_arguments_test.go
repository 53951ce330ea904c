package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testArgsProject is a project whose generic tests read vars in their
// arguments and where: configs, as dbt renders them: an argument's
// {{ expression }} (keeping its type: a list var is a list), text with
// expressions in it, a call written bare (`var('max_id')`, dbt's
// looks_like_func), and where: from a test's config and from the
// project file's data_tests: folder config.
func testArgsProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", `name: args
version: "1.0.0"
vars:
  day: "2024-01-01"
  kinds: [a, b, c]
  extra_kind: b
  max_id: 5
  bad_kind: bad
data_tests:
  args:
    other:
      +where: "kind <> '{{ var('bad_kind', 'bad') }}'"
`)
	writeFile(t, dir, "models/events.sql", "select * from (values (1, date '2024-01-01', 'a'), (2, date '2024-01-02', 'b'), "+
		"(null, date '2024-01-03', 'c')) t(id, d, kind)\n")
	writeFile(t, dir, "models/other/others.sql", "select * from (values (1, 'a'), (2, 'bad'), (3, 'bad')) t(id, kind)\n")
	writeFile(t, dir, "macros/at_most.sql", "{% test at_most(model, column_name, n) %}select * from {{ model }} where {{ column_name }} > {{ n }}{% endtest %}\n")
	writeFile(t, dir, "models/_events.yml", `version: 2
models:
  - name: events
    columns:
      - name: id
        data_tests:
          - not_null:
              config:
                where: "d = '{{ var('day') }}'"
          - at_most:
              n: "var('max_id')"
      - name: kind
        data_tests:
          - accepted_values:
              values: "{{ var('kinds') }}"
          - accepted_values:
              name: kinds_mixed
              values: ["a", "{{ var('extra_kind') }}", "c"]
`)
	writeFile(t, dir, "models/other/_others.yml", `version: 2
models:
  - name: others
    columns:
      - name: kind
        data_tests: [unique]
`)
	return dir
}

// testIDs are the unique ids of the project's tests, sorted.
func testIDs(t *testing.T, dir string) []string {
	t.Helper()
	var ids []string
	for id := range readManifest(t, dir).Nodes {
		if strings.HasPrefix(id, "test.") {
			ids = append(ids, id)
		}
	}
	require.NotEmpty(t, ids)
	slices.Sort(ids)
	return ids
}

// A generic test's arguments and where: render with the run's vars, and
// the tests' results follow them; their ids do not.
func TestGenericTestArgumentsRenderVars(t *testing.T) {
	dir := testArgsProject(t)
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	for _, name := range []string{"not_null_events_id", "at_most_events_id__var_max_id_", "accepted_values_events_kind___var_kinds_",
		"kinds_mixed", "unique_others_kind"} {
		require.Contains(t, r.Stdout, "PASS "+name, r.String())
	}
	// the SQL has the values, not the templates
	sql := readFile(t, dir, "target/compiled/models/not_null_events_id.sql")
	require.Contains(t, sql, "where d = '2024-01-01') dbt_subquery", sql)
	sql = readFile(t, dir, "target/compiled/models/other/unique_others_kind.sql")
	require.Contains(t, sql, "where kind <> 'bad') dbt_subquery", sql)
	ids := testIDs(t, dir)
	m := readManifest(t, dir)
	// manifest.json keeps the arguments as written, as dbt's test_metadata does
	require.Equal(t, "{{ var('kinds') }}", m.node(t, findID(t, dir, "accepted_values_events_kind___var_kinds_"))["test_metadata"].(map[string]any)["kwargs"].(map[string]any)["values"])

	// other vars: each test now fails, on the rows they pick; target/ is
	// patched (the tests that read them made again), as a whole compile
	// would have made it
	vars := `{day: "2024-01-03", kinds: [a, b], extra_kind: x, max_id: 1}`
	r = mart(t, dir, "compile", "--debug", "--vars", vars)
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stderr, "Partial parsing: target/ patched from its snapshot", r.String())
	r = mart(t, dir, "test", "--vars", vars)
	require.Equal(t, 1, r.Code, r.String())
	for _, name := range []string{"not_null_events_id", "at_most_events_id__var_max_id_", "accepted_values_events_kind___var_kinds_", "kinds_mixed"} {
		require.Contains(t, r.Stdout, "FAIL "+name+" [1 failing row in", r.String())
	}
	require.Contains(t, r.Stdout, "PASS unique_others_kind", r.String())
	require.Equal(t, ids, testIDs(t, dir), "the tests' ids do not depend on the vars")
	patched := manifestBody(t, dir)
	r = mart(t, dir, "compile", "--no-partial-parse", "--vars", vars)
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, manifestBody(t, dir), patched, "a patched compile writes what a whole compile does")

	// the project file's where: reads --vars as the project loads
	r = mart(t, dir, "test", "--select", "others", "--vars", `{bad_kind: none}`)
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "FAIL unique_others_kind [1 failing row in", r.String())
}

// An argument with a {% statement %} is refused at its line: mart renders
// an argument's expressions only.
func TestGenericTestArgumentStatementRefused(t *testing.T) {
	dir := testArgsProject(t)
	writeFile(t, dir, "models/other/_others.yml", `version: 2
models:
  - name: others
    columns:
      - name: kind
        data_tests:
          - accepted_values:
              values: "{% if true %}[1]{% endif %}"
`)
	r := mart(t, dir, "build")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "models/other/_others.yml:7:", r.String())
	require.Contains(t, r.Stderr, "mart renders the {{ expressions }} of a test's arguments only", r.String())
	requireNoTarget(t, dir)
}
