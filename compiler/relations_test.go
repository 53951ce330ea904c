package compiler

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSeededSourceWithDatabase: a source that reads a seed's table depends
// on the seed, so a build loads it first, also when the source names the
// database the seed's relation leaves out ("mart"."main"."people" and
// "main"."people" are one table in mart.duckdb), and in another case.
func TestSeededSourceWithDatabase(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"mart.yml":         "name: tiny\n",
		"seeds/people.csv": "id,name\n1,Ann\n",
		"models/m.sql":     "select * from {{ source('raw', 'people') }}",
		"models/sources.yml": `version: 2
sources:
  - name: raw
    database: mart
    schema: MAIN
    tables:
      - name: people
`,
		"profiles.yml": "tiny:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/mart.duckdb}\n",
	})
	t.Setenv("MART_PROFILES_DIR", "")
	res, diags := Compile(Options{ProjectDir: dir, InvocationID: "x", RunStartedAt: "2026-01-01 00:00:00"})
	require.False(t, diags.HasErrors(), "%v", diags)
	require.Equal(t, []string{"seed.tiny.people"}, res.Manifest.Sources["source.tiny.raw.people"].DependsOn.Nodes)
}
