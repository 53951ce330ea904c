package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeProject writes files (path -> content) into a new project dir.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
	return dir
}

func compileDiags(t *testing.T, files map[string]string) (*Result, []string) {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	res, diags := Compile(Options{ProjectDir: writeProject(t, files)})
	var out []string
	for _, d := range diags {
		out = append(out, strings.SplitN(d.String(), "\n", 2)[0])
	}
	return res, out
}

// Config values that can never work are errors at the place that set them;
// values dbt accepts until a later run uses them are warnings.
func TestConfigCheckedAtCompileTime(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
		ok    bool // compiles (warnings only)
	}{
		{"materialized in config()", map[string]string{"models/m.sql": "\n{{ config(materialized='tabel') }}\nselect 1 as id"},
			`models/m.sql:2:4: error: model "m": unknown materialization "tabel"`, false},
		{"materialized in YAML", map[string]string{"models/m.sql": "select 1 as id",
			"models/m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      materialized: tabel\n"},
			`models/m.yml:5:7: error: model "m": unknown materialization "tabel"`, false},
		{"materialized in a folder config", map[string]string{"models/marts/m.sql": "select 1 as id",
			"mart.yml": "name: p\nmodels:\n  p:\n    marts:\n      +materialized: tabel\n"},
			`mart.yml:5:7: error: model "m": unknown materialization "tabel"`, false},
		{"unknown strategy is a warning", map[string]string{"models/m.sql": "{{ config(materialized='incremental', incremental_strategy='merj', unique_key='id') }}\nselect 1 as id"},
			`models/m.sql:1:4: warning: model "m": unknown incremental_strategy "merj"`, true},
		{"unknown on_schema_change is a warning", map[string]string{"models/m.sql": "{{ config(materialized='incremental', on_schema_change='sync') }}\nselect 1 as id"},
			`models/m.sql:1:4: warning: model "m": unknown on_schema_change "sync"`, true},
		{"unique_key shape", map[string]string{"models/m.sql": "{{ config(materialized='incremental', unique_key={'a': 1}) }}\nselect 1 as id"},
			`models/m.sql:1:4: error: model "m": unique_key must be a column name or a list of column names`, false},
		{"microbatch needs event_time", map[string]string{"models/m.sql": "{{ config(materialized='incremental', incremental_strategy='microbatch', batch_size='day') }}\nselect 1 as id"},
			`models/m.sql:1:4: error: model "m": incremental_strategy microbatch needs event_time`, false},
		{"snapshot strategy", map[string]string{"snapshots/s.sql": "{% snapshot s %}\n{{ config(unique_key='id', strategy='timestamps', updated_at='u') }}\nselect 1 as id\n{% endsnapshot %}"},
			`snapshots/s.sql:2:4: error: snapshot "s": unknown strategy "timestamps"`, false},
		{"test severity", map[string]string{"models/m.sql": "select 1 as id",
			"models/m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - unique: {config: {severity: fatal}}\n"},
			`models/m.yml:7: error: test "unique_m_id": severity must be error or warn, got "FATAL"`, false},
		{"bigquery partition_by", map[string]string{"models/m.sql": "{{ config(materialized='table', partition_by={'field': 'd', 'data_type': 'datetme'}) }}\nselect 1 as id",
			"profiles.yml": "p:\n  target: bq\n  outputs:\n    bq: {type: bigquery, project: x, dataset: y}\n"},
			`models/m.sql:1:4: error: model "m": partition_by.data_type "datetme" is not one of date, timestamp, datetime, int64`, false},
		{"bigquery snapshot target_schema with a dot", map[string]string{"snapshots/s.sql": "{% snapshot s %}\n{{ config(target_schema='other.snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n",
			"profiles.yml": "p:\n  target: bq\n  outputs:\n    bq: {type: bigquery, project: x, dataset: y}\n"},
			"snapshots/s.sql:2:4: error: snapshot \"s\": target_schema \"other.snaps\": a BigQuery dataset name cannot hold '.'", false},
		{"bigquery alias with a dot from generate_alias_name", map[string]string{"models/m.sql": "select 1 as id",
			"macros/a.sql": "{% macro generate_alias_name(custom_alias_name=none, node=none) -%}\n{{ node.name }}.x\n{%- endmacro %}\n",
			"profiles.yml": "p:\n  target: bq\n  outputs:\n    bq: {type: bigquery, project: x, dataset: y}\n"},
			"models/m.sql:1:1: error: model \"m\" builds `x.y.m.x`: alias \"m.x\": a BigQuery table name cannot hold", false},
		{"bigquery alias with a dot", map[string]string{"models/m.sql": "{{ config(alias='other_ds.t') }}\nselect 1 as id",
			"profiles.yml": "p:\n  target: bq\n  outputs:\n    bq: {type: bigquery, project: x, dataset: y}\n"},
			"models/m.sql:1:4: error: model \"m\": alias \"other_ds.t\": a BigQuery table name cannot hold '.' or '`' (dots separate project, dataset and table; set database for another project)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := tc.files["mart.yml"]; !ok {
				tc.files["mart.yml"] = "name: p\n"
			}
			res, diags := compileDiags(t, tc.files)
			assert.Equal(t, tc.ok, res != nil, "%v", diags)
			found := false
			for _, d := range diags {
				if strings.HasPrefix(d, tc.want) {
					found = true
				}
			}
			assert.True(t, found, "want %q in %q", tc.want, diags)
		})
	}
}

// A Python model is named, not dropped: a warning at its file, and an
// error that says what it is at each ref() of it.
func TestPythonModels(t *testing.T) {
	_, diags := compileDiags(t, map[string]string{"mart.yml": "name: p\n",
		"models/py_model.py": "def model(dbt, session):\n    return dbt.ref('a')\n",
		"models/b.sql":       "select * from {{ ref('py_model') }}"})
	assert.Contains(t, diags, `models/py_model.py:1:1: warning: Python model "py_model" is not built: mart runs SQL models only`)
	assert.Contains(t, diags, `models/b.sql:1:18: error: model "b" refs "py_model", a Python model (models/py_model.py): mart does not run Python models`)
}

// BigQuery's dataset and table names are case-sensitive: `Orders` and
// `orders` are two tables, and two models may build them. DuckDB's names
// are not, so there the two are one relation.
func TestRelationsCaseOnBigQuery(t *testing.T) {
	files := func(profile string) map[string]string {
		return map[string]string{"mart.yml": "name: p\n",
			"models/a.sql": "{{ config(alias='Orders') }}\nselect 1 as id",
			"models/b.sql": "{{ config(alias='orders') }}\nselect 2 as id",
			"profiles.yml": "p:\n  target: t\n  outputs:\n    t: " + profile + "\n"}
	}
	res, diags := compileDiags(t, files("{type: bigquery, project: x, dataset: y}"))
	assert.NotNil(t, res, "%v", diags)
	res, diags = compileDiags(t, files("{type: duckdb, path: target/x.duckdb}"))
	assert.Nil(t, res)
	assert.Contains(t, strings.Join(diags, "\n"), `builds "main"."orders", which model "a" (models/a.sql) builds too`)
}

// A relation named with the connection's own database is the one named
// without it.
func TestRelationsWithTheirDatabase(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{"mart.yml": "name: p\n",
		"models/a.sql": "{{ config(database='dev', alias='x') }}\nselect 1 as id",
		"models/b.sql": "{{ config(alias='x') }}\nselect 2 as id",
		"profiles.yml": "p:\n  target: t\n  outputs:\n    t: {type: duckdb, path: target/dev.duckdb}\n"})
	assert.Nil(t, res)
	assert.Contains(t, strings.Join(diags, "\n"), `which model "a" (models/a.sql) builds too`)
}
