package bigquery

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigFromSettings(t *testing.T) {
	c, err := ConfigFromSettings(map[string]any{
		"type": "bigquery", "threads": 8, "project": "soda-prod", "dataset": "mart", "location": "EU",
		"method": "service-account", "keyfile": "/secrets/key.json", "priority": "BATCH",
		"job_timeout": "10m", "job_retries": 3, "maximum_bytes_billed": "10 GB",
		"labels": map[string]any{"team": "data", "env": 1}, "api_endpoint": "http://127.0.0.1:9050",
	})
	require.NoError(t, err)
	assert.Equal(t, Config{Project: "soda-prod", Dataset: "mart", Location: "EU", Method: "service-account",
		Keyfile: "/secrets/key.json", Priority: "batch", JobTimeout: 10 * time.Minute, JobRetries: 3,
		MaximumBytesBilled: 10_000_000_000, Labels: map[string]string{"team": "data", "env": "1"},
		APIEndpoint: "http://127.0.0.1:9050"}, c)

	// dbt's spellings; defaults.
	c, err = ConfigFromSettings(map[string]any{"type": "bigquery", "database": "p", "schema": "s",
		"job_execution_timeout_seconds": 300, "maximum_bytes_billed": 1000000,
		"keyfile_json": map[string]any{"type": "service_account"}, "method": "service-account-json"})
	require.NoError(t, err)
	assert.Equal(t, "p", c.Project)
	assert.Equal(t, "s", c.Dataset)
	assert.Equal(t, 5*time.Minute, c.JobTimeout)
	assert.Equal(t, int64(1000000), c.MaximumBytesBilled)
	assert.Equal(t, 1, c.JobRetries, "job_retries defaults to 1")
	assert.JSONEq(t, `{"type": "service_account"}`, c.KeyfileJSON)
}

func TestConfigFromSettingsNamesTheBadKey(t *testing.T) {
	base := func(kv ...any) map[string]any {
		m := map[string]any{"type": "bigquery", "project": "p", "dataset": "d"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		settings map[string]any
		want     string
	}{
		{base("maximum_bytes_biled", 1), `unknown key "maximum_bytes_biled" (did you mean "maximum_bytes_billed"?)`},
		{base("maximum_bytes_billed", "lots"), "maximum_bytes_billed must be a number of bytes"},
		{base("maximum_bytes_billed", -1), "maximum_bytes_billed must not be negative"},
		{base("job_retries", "x"), "job_retries must be a whole number"},
		{base("job_timeout", "soon"), "job_timeout must be seconds or a duration"},
		{base("priority", "urgent"), `priority "urgent" is not one of interactive, batch`},
		{base("method", "password"), `method "password" is not one of oauth`},
		{base("method", "service-account"), "method service-account needs keyfile"},
		{base("labels", []any{"a"}), "labels must be a mapping"},
		{base("project", ""), "project is required"},
		{map[string]any{"type": "bigquery", "project": "p"}, "dataset is required"},
		{base("location", []any{"EU"}), "location must be a string"},
	} {
		_, err := ConfigFromSettings(tc.settings)
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestOpenCredentials(t *testing.T) {
	// No application default credentials anywhere.
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("CLOUDSDK_CONFIG", t.TempDir())
	ctx := context.Background()
	_, err := Open(ctx, Config{Project: "p", Dataset: "d"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no credentials for method oauth")
	assert.Contains(t, err.Error(), "GOOGLE_APPLICATION_CREDENTIALS")

	missing := filepath.Join(t.TempDir(), "key.json")
	_, err = Open(ctx, Config{Project: "p", Dataset: "d", Method: MethodServiceAccount, Keyfile: missing})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "keyfile "+missing)

	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"type": "authorized_user"}`), 0o600))
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", bad)
	_, err = Open(ctx, Config{Project: "p", Dataset: "d"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GOOGLE_APPLICATION_CREDENTIALS names "+bad)

	// An endpoint without credentials needs none.
	w, err := Open(ctx, Config{Project: "p", Dataset: "d", APIEndpoint: "http://127.0.0.1:1"})
	require.NoError(t, err)
	require.NoError(t, w.Close())
}
