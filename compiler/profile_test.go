package compiler

import (
	"os"
	"path/filepath"
	"strings"
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

// Env vars named DBT_ENV_SECRET_* (dbt's convention for secrets) can be
// read where they reach a connection only: profiles.yml and an extract:
// block's dsn (RenderValue). Anywhere their value would land in compiled
// SQL, the manifest or the docs (models, macros, hooks, source fields,
// descriptions) reading one is an error at the call, as in dbt.
func TestSecretEnvVarsOnlyInProfiles(t *testing.T) {
	t.Setenv("DBT_ENV_SECRET_PW", "hunter2-secret")
	profiles := "p:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: \"{{ env_var('DBT_ENV_SECRET_PW') }}.duckdb\"}\n"
	tgt, diags := loadTestTarget(t, profiles, "")
	require.False(t, diags.HasErrors(), "%v", diags)
	assert.Equal(t, "hunter2-secret.duckdb", tgt.Settings["path"])

	dsn, err := RenderValue("models/s.yml", "postgres://u:{{ env_var('DBT_ENV_SECRET_PW') }}@h/db", nil)
	require.NoError(t, err)
	assert.Equal(t, "postgres://u:hunter2-secret@h/db", dsn)

	for name, tc := range map[string]struct {
		files map[string]string
		want  string
	}{
		"model": {map[string]string{"models/m.sql": "select 1 as id,\n  '{{ env_var(\"DBT_ENV_SECRET_PW\") }}' as pw"},
			`models/m.sql:2:`},
		"macro": {map[string]string{"macros/pw.sql": "{% macro pw() %}{{ env_var('DBT_ENV_SECRET_PW') }}{% endmacro %}",
			"models/m.sql": "select '{{ pw() }}' as pw"}, `macros/pw.sql:1:`},
		"default does not help": {map[string]string{"models/m.sql": "select '{{ env_var('DBT_ENV_SECRET_UNSET', 'x') }}' as pw"},
			`models/m.sql:1:`},
		"source schema": {map[string]string{"models/m.sql": "select 1 as id",
			"models/s.yml": "version: 2\nsources:\n  - name: raw\n    schema: \"{{ env_var('DBT_ENV_SECRET_PW') }}\"\n    tables:\n      - name: t\n"},
			`models/s.yml:3:`},
		"description": {map[string]string{"models/m.sql": "select 1 as id",
			"models/m.yml": "version: 2\nmodels:\n  - name: m\n    description: \"pw {{ env_var('DBT_ENV_SECRET_PW') }}\"\n"},
			`models/m.yml:`},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"mart.yml": "name: p\n"}
			for k, v := range tc.files {
				files[k] = v
			}
			res, diags := compileDiags(t, files)
			require.Nil(t, res)
			require.NotEmpty(t, diags)
			assert.Contains(t, diags[0], tc.want)
			assert.Contains(t, diags[0], `env var "DBT_ENV_SECRET_`)
			assert.Contains(t, diags[0], `secret`)
			assert.NotContains(t, strings.Join(diags, "\n"), "hunter2")
		})
	}
}

// Names that look secret, as docs/ci.md lists them (PASSWORD, TOKEN,
// KEY...): API keys and credentials too, not the keys of a table.
func TestIsSecretKey(t *testing.T) {
	for _, k := range []string{"password", "DB_PASSWORD", "pass", "token", "GITHUB_TOKEN", "client_secret", "keyfile", "keyfile_json",
		"private_key", "api_key", "MY_API_KEY", "apikey", "OPENAI_APIKEY", "credentials", "GOOGLE_APPLICATION_CREDENTIALS"} {
		assert.True(t, IsSecretKey(k), k)
	}
	for _, k := range []string{"path", "schema", "unique_key", "primary_key", "partition_key", "key", "keys", "s3_region", "passive"} {
		assert.False(t, IsSecretKey(k), k)
	}
}
