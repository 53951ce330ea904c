package compiler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The project's airflow: key is read into Project.Airflow; a node's
// airflow: config overrides the task settings.
func TestAirflowConfig(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml": "name: p\nairflow:\n  dag_id: p_daily\n  schedule: '@daily'\n  start_date: 2026-01-01\n" +
			"  tags: [mart, p]\n  retries: 2\n  retry_delay: 5m\n  pool: warehouse\n  project_dir: /opt/p\n",
		"models/m.sql": "{{ config(airflow={'retries': 5, 'execution_timeout': '1h'}) }}\nselect 1 as id",
	})
	require.Empty(t, diags)
	a := res.Project.Airflow
	require.NotNil(t, a)
	assert.Equal(t, "p_daily", a.DagID)
	assert.Equal(t, "@daily", a.Schedule)
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), a.StartDate)
	assert.Equal(t, []string{"mart", "p"}, a.Tags)
	assert.Equal(t, 2, *a.Task.Retries)
	assert.Equal(t, 5*time.Minute, *a.Task.RetryDelay)
	assert.Equal(t, "warehouse", *a.Task.Pool)
	o := AirflowOverrides(res.Manifest.Nodes["model.p.m"])
	assert.Equal(t, 5, *o.Retries)
	assert.Equal(t, time.Hour, *o.ExecutionTimeout)
	assert.Nil(t, o.Pool)
}

func TestAirflowConfigErrors(t *testing.T) {
	source := "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n        config: {airflow: {pool: 3}}\n"
	for _, tc := range []struct{ name, yml, model, sources, want string }{
		{"bad retries", "name: p\nairflow:\n  retries: many\n", "", "", `mart.yml:3:12: error: airflow.retries: expected a whole number of at least 0, got many`},
		{"unknown key", "name: p\nairflow:\n  retires: 2\n", "", "", `mart.yml:3:3: error: airflow: unknown key "retires"`},
		{"bad dag id", "name: p\nairflow:\n  dag_id: my dag\n", "", "", `mart.yml:3:11: error: airflow.dag_id: "my dag" is not a DAG id: letters, digits, _, . and - only`},
		{"bad date", "name: p\nairflow:\n  start_date: soon\n", "", "", `mart.yml:3:15: error: airflow.start_date: expected a date such as 2026-01-01, got "soon"`},
		{"bad node override", "name: p\n", "{{ config(airflow={'retry_delay': 'later'}) }}\nselect 1 as id", "",
			`models/m.sql:1:4: error: model "m": airflow.retry_delay: expected a duration such as 5m, 1h30m or 300 (seconds), got later`},
		{"bad source override", "name: p\n", "", source, `models/src.yml:5: error: source "t": airflow.pool: expected a name, got 3`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"mart.yml": tc.yml, "models/m.sql": "select 1 as id"}
			if tc.model != "" {
				files["models/m.sql"] = tc.model
			}
			if tc.sources != "" {
				files["models/src.yml"] = tc.sources
			}
			_, diags := compileDiags(t, files)
			assert.Contains(t, diags, tc.want)
		})
	}
}

// A source table's freshness: merges the source's and the table's blocks;
// null on a table turns it off.
func TestSourceFreshness(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml": "name: p\n",
		"models/src.yml": `version: 2
sources:
  - name: raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 12, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: a
      - name: b
        freshness:
          warn_after: {count: 30, period: minute}
          filter: "id > 0"
      - name: c
        freshness: null
`,
	})
	require.Empty(t, diags)
	src := res.Manifest.Sources
	a := src["source.p.raw.a"].Freshness
	require.NotNil(t, a)
	assert.Equal(t, 12*time.Hour, a.WarnAfter.Duration())
	assert.Equal(t, 24*time.Hour, a.ErrorAfter.Duration())
	b := src["source.p.raw.b"].Freshness
	assert.Equal(t, &FreshnessThreshold{Count: 30, Period: "minute"}, b.WarnAfter)
	assert.Equal(t, 24*time.Hour, b.ErrorAfter.Duration(), "the source's error_after is kept")
	assert.Equal(t, "id > 0", b.Filter)
	assert.Nil(t, src["source.p.raw.c"].Freshness)
	assert.Equal(t, "loaded_at", src["source.p.raw.c"].LoadedAtField)
}

func TestSourceFreshnessErrors(t *testing.T) {
	_, diags := compileDiags(t, map[string]string{
		"mart.yml": "name: p\n",
		"models/src.yml": `version: 2
sources:
  - name: raw
    tables:
      - name: a
        freshness:
          warn_after: {count: 2, period: week}
`,
	})
	assert.Contains(t, diags, `models/src.yml:6: error: freshness: warn_after: period: expected minute, hour or day, got week`)
}
