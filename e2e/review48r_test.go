package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dbt's own generate_database_name, copied into a project (as dbt's docs
// show), returns target.database: now the DuckDB file's catalog. A build
// with it works as before (dbt-duckdb's does).
func TestReview48rDefaultGenerateDatabaseName(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"macros/gdn.sql": `{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {%- set default_database = target.database -%}
    {%- if custom_database_name is none -%}
        {{ default_database }}
    {%- else -%}
        {{ custom_database_name | trim }}
    {%- endif -%}
{%- endmacro %}
`,
		"seeds/raw.csv":   "id\n1\n",
		"models/n.sql":    "select * from {{ ref('raw') }}\n",
		"models/m.sql":    "{{ config(materialized='incremental', unique_key='id') }}select * from {{ ref('n') }}{% if is_incremental() %} where id > (select max(id) from {{ this }}){% endif %}\n",
		"snapshots/s.sql": "{% snapshot s %}{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='main') }}select * from {{ ref('n') }}{% endsnapshot %}\n",
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "compile", "--select", "m")
	require.Equal(t, 0, r.Code, r.String())
	t.Log(r.String())
}

// A warning a model's render makes (exceptions.warn, an unknown config
// key) is printed once per build, not again by the run-time render.
func TestReview48rWarningOncePerBuild(t *testing.T) {
	dir := ctxProject(t, map[string]string{
		"models/m.sql": "{{ config(materialized='table', frobnicate=1) }}{% do exceptions.warn('WARNME ' ~ this) %}select 1 as x\n",
	})
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	out := r.String()
	t.Log(out)
	require.Equal(t, 1, strings.Count(out, "WARNME"), out)
	require.Equal(t, 1, strings.Count(out, "frobnicate"), out)
}
