package e2e

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A dbt-duckdb profile whose file is named like its schema (dev.duckdb,
// schema dev): two-part names would be ambiguous in DuckDB ("Ambiguous
// reference to catalog or schema"), so mart qualifies them with the
// catalog, and the project builds and tests as dbt-duckdb's does.
func TestDuckDBFileNamedLikeItsSchema(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "dbt_project.yml", "name: amb\nprofile: amb\nmodels:\n  amb:\n    +materialized: table\n")
	writeFile(t, dir, "profiles.yml", "amb:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb, schema: dev}\n")
	writeFile(t, dir, "models/a.sql", "select 1 as id")
	writeFile(t, dir, "models/b.sql", "select id from {{ ref('a') }}")
	writeFile(t, dir, "models/schema.yml", "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        tests: [unique, not_null]\n")
	r := martEnv(t, dir, []string{"MART_PROFILES_DIR=" + dir}, "build")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, readFile(t, dir, "target/compiled/models/b.sql"), `"dev"."dev"."a"`)
	assert.Equal(t, [][]any{{int32(1)}}, queryFile(t, filepath.Join(dir, "dev.duckdb"), `select id from dev.dev.b`))
	r = martEnv(t, dir, []string{"MART_PROFILES_DIR=" + dir}, "build")
	require.Equal(t, 0, r.Code, "a second build replaces the tables\n%s", r)
}

// dbt-duckdb sources whose files are read in place: meta or config
// external_location, with {name} filled in, a path relative to the project
// wherever mart runs from, or a table function call used as written.
func TestDuckDBExternalLocationSources(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "dbt_project.yml", "name: ext\nprofile: ext\n")
	writeFile(t, dir, "profiles.yml", "ext:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/mart.duckdb}\n")
	writeFile(t, dir, "data/orders.csv", "id,amount\n1,10\n2,5\n")
	writeFile(t, dir, "data/people.tsv", "id\tname\n1\tAda\n")
	writeFile(t, dir, "models/sources.yml", `version: 2
sources:
  - name: files
    meta:
      external_location: "data/{name}.csv"
    tables:
      - name: orders
      - name: people
        config:
          external_location: "read_csv('data/people.tsv', delim='\t', header=true)"
        meta:
          external_location: "read_csv('data/people.tsv', delim='\t', header=true)"
`)
	writeFile(t, dir, "models/totals.sql", `{{ config(materialized='table') }}
select p.name, sum(o.amount) as total from {{ source('files', 'orders') }} o join {{ source('files', 'people') }} p on p.id = o.id group by p.name`)
	r := martEnv(t, t.TempDir(), []string{"MART_PROFILES_DIR=" + dir}, "build", "--project-dir", dir)
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, readFile(t, dir, "target/compiled/models/totals.sql"), `from 'data/orders.csv' o join read_csv('data/people.tsv'`)
	assert.Equal(t, [][]any{{"Ada", int64(10)}}, query(t, dir, "select name, cast(total as bigint) from totals"))
}
