package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTestDefersToState: `mart test --defer --state` runs the tests alone
// and reads their models from the state's relations when this target has
// not built them, as dbt test --defer does. Before, the models the
// selection also matched counted as selected and were not deferred: every
// test failed on a missing table (found by review).
func TestTestDefersToState(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: td\nprofile: td\n")
	writeFile(t, dir, "profiles.yml", "td:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb}\n    prod: {type: duckdb, path: prod.duckdb}\n")
	writeFile(t, dir, "models/a.sql", "select 1 as id\n")
	writeFile(t, dir, "models/b.sql", "select id from {{ ref('a') }}\n")
	writeFile(t, dir, "models/_s.yml", "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n")
	r := mart(t, dir, "build", "--target", "prod")
	require.Equal(t, 0, r.Code, r.String())
	writeFile(t, dir, "prod-state/manifest.json", readFile(t, dir, "target/manifest.json"))
	for _, args := range [][]string{
		{"test", "--defer", "--state", "prod-state"},
		{"test", "--defer", "--state", "prod-state", "--no-partial-parse"},
		{"test", "--select", "b", "--defer", "--state", "prod-state"},
	} {
		r = mart(t, dir, args...)
		require.Equal(t, 0, r.Code, "%v\n%s", args, r)
		assert.Contains(t, r.Stdout, "OK=2", "%v", args)
		assert.Contains(t, readFile(t, dir, "target/compiled/models/not_null_b_id.sql"), `"mart_state"`, "%v", args)
	}
	// a model the command runs is not deferred: it is built here
	r = mart(t, dir, "build", "--select", "b", "--defer", "--state", "prod-state")
	require.Equal(t, 0, r.Code, r.String())
	assert.EqualValues(t, 1, dbScalar(t, dir+"/dev.duckdb", "select count(*) from information_schema.tables where table_name = 'b'"))
}
