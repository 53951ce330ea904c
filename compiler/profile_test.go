package compiler

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadTestTarget(t *testing.T, profiles, target string) (*Target, Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mart.yml"), []byte("name: p\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "profiles.yml"), []byte(profiles), 0o644))
	t.Setenv("MART_PROFILES_DIR", "")
	proj, diags := LoadProject(dir, nil)
	require.False(t, diags.HasErrors(), "%v", diags)
	return LoadTarget(proj, ProfileOptions{Target: target})
}

// A target's settings are read by the adapter of its type; its errors and
// warnings point at the key's line and column.
func TestTargetSettingsPositions(t *testing.T) {
	tgt, diags := loadTestTarget(t, `p:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: x.duckdb
      schema: s
      extensions: [httpfs]
      threads: 2
`, "")
	require.False(t, diags.HasErrors(), "%v", diags)
	assert.Equal(t, "duckdb", tgt.Type)
	assert.Equal(t, "s", tgt.Schema)
	assert.Equal(t, 2, tgt.Threads)
	require.Len(t, diags, 1)
	assert.Equal(t, `profiles.yml:8:7: warning: target "dev": duckdb profile: unknown key "extensions"; mart ignores it`, diags[0].String())

	_, diags = loadTestTarget(t, `p:
  target: prod
  outputs:
    prod:
      type: bigquery
      project: x
      dataset: y
      maximum_bytes_biled: 10
`, "")
	require.True(t, diags.HasErrors())
	assert.Equal(t, `profiles.yml:8:7: error: target "prod": bigquery profile: unknown key "maximum_bytes_biled" (did you mean "maximum_bytes_billed"?)`, diags[0].String())

	_, diags = loadTestTarget(t, "p:\n  outputs:\n    dev: {type: duckdb, threads: -1}\n", "")
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags[0].String(), "profiles.yml:3:25: error: target \"dev\": threads must be a whole number of at least 1, got -1")

	_, diags = loadTestTarget(t, "p:\n  outputs:\n    dev: {type: snowflake}\n", "")
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags[0].String(), `profiles.yml:3:11: error: target "dev": unknown warehouse type "snowflake" (mart knows bigquery, duckdb)`)
}

// Only the chosen target is rendered: another target's missing env var
// does not matter (dbt's behaviour).
func TestOnlyTheChosenTargetIsRendered(t *testing.T) {
	profiles := `p:
  target: dev
  outputs:
    dev: {type: duckdb, path: "{{ env_var('MART_TEST_DEV_PATH', 'dev.duckdb') }}"}
    prod: {type: bigquery, project: "{{ env_var('MART_TEST_UNSET_PROJECT') }}", dataset: d}
`
	tgt, diags := loadTestTarget(t, profiles, "")
	require.False(t, diags.HasErrors(), "%v", diags)
	assert.Equal(t, "dev.duckdb", tgt.Settings["path"])

	_, diags = loadTestTarget(t, profiles, "prod")
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags[0].String(), `MART_TEST_UNSET_PROJECT`)
}

// Without profiles.yml, the default adapter's defaults apply.
func TestDefaultTarget(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mart.yml"), []byte("name: p\n"), 0o644))
	t.Setenv("MART_PROFILES_DIR", "")
	t.Setenv("HOME", t.TempDir())
	proj, diags := LoadProject(dir, nil)
	require.False(t, diags.HasErrors())
	tgt, diags := LoadTarget(proj, ProfileOptions{})
	require.Empty(t, diags)
	assert.Equal(t, "duckdb", tgt.Type)
	assert.Equal(t, "main", tgt.Schema)
	assert.Equal(t, 4, tgt.Threads)
	assert.Equal(t, "dev", tgt.Name)
}
