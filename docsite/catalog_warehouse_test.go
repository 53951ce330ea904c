package docsite

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/duckdb"
)

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

// fakeCatalog answers CatalogStats from a map of "database.schema" to
// relations, failing for the schemas in fail.
type fakeCatalog struct {
	schemas map[string][]warehouse.RelationStats
	fail    map[string]error
	asked   []string
}

func (f *fakeCatalog) CatalogStats(_ context.Context, database, schema string) ([]warehouse.RelationStats, error) {
	key := database + "." + schema
	f.asked = append(f.asked, key)
	if err := f.fail[key]; err != nil {
		return nil, err
	}
	return f.schemas[key], nil
}

var testProject = map[string]string{
	"mart.yml":                   "name: p\nmodels:\n  p:\n    marts:\n      +schema: marts\n      +materialized: table\n",
	"models/staging/stg_a.sql":   "select 1 as id from {{ source('raw', 'a') }}",
	"models/staging/stg_eph.sql": "{{ config(materialized='ephemeral') }} select 2 as id",
	"models/marts/fct_a.sql":     "select * from {{ ref('stg_a') }} join {{ ref('stg_eph') }} using (id)",
	"models/staging/_src.yml": `sources:
  - name: raw
    schema: landing
    tables:
      - name: a
        identifier: A_Table
`,
	"seeds/s.csv": "x\n1\n",
}

func TestCatalogFromWarehouseMatchesRelationsToNodes(t *testing.T) {
	m := compileProject(t, testProject)
	n := int64(3)
	src := &fakeCatalog{schemas: map[string][]warehouse.RelationStats{
		".main": {
			{Relation: warehouse.Relation{Schema: "main", Name: "STG_A"}, Kind: "view", Columns: []warehouse.ColumnStats{{Name: "id", Type: "INTEGER"}}},
			{Relation: warehouse.Relation{Schema: "main", Name: "s"}, Kind: "table", RowCount: &n, Comment: "seeded",
				Columns: []warehouse.ColumnStats{{Name: "x", Type: "BIGINT", Comment: "the x"}}},
			{Relation: warehouse.Relation{Schema: "main", Name: "not_ours"}, Kind: "table"},
		},
		".landing": {{Relation: warehouse.Relation{Schema: "landing", Name: "a_table"}, Kind: "table", RowCount: &n,
			LastModified: mustTime(t, "2026-03-31T12:00:00+02:00")}},
	}, fail: map[string]error{".main_marts": errors.New("access denied")}}

	c, err := CatalogFromWarehouse(context.Background(), src, m, mustTime(t, "2026-04-01T00:00:00Z"))
	require.NoError(t, err)
	assert.Equal(t, []string{".landing", ".main", ".main_marts"}, src.asked, "one call per schema, in order")
	assert.Equal(t, []string{"access denied"}, c.Errors)
	assert.ElementsMatch(t, []string{"model.p.stg_a", "seed.p.s"}, keys(c.Nodes), "ephemeral models and others' relations are left out")
	require.Contains(t, c.Sources, "source.p.raw.a")

	seed := c.Nodes["seed.p.s"]
	assert.Equal(t, CatalogTable{Type: "table", Schema: "main", Name: "s", Comment: ptr("seeded")}, seed.Metadata)
	assert.Equal(t, CatalogColumn{Type: "BIGINT", Index: 1, Name: "x", Comment: ptr("the x")}, seed.Columns["x"])
	assert.Equal(t, int64(3), seed.Stats["row_count"].Value)
	assert.Equal(t, true, seed.Stats["has_stats"].Value)
	view := c.Nodes["model.p.stg_a"]
	assert.NotContains(t, view.Stats, "row_count")
	assert.Equal(t, false, view.Stats["has_stats"].Value)
	assert.Equal(t, "2026-03-31T10:00:00Z", c.Sources["source.p.raw.a"].Stats["last_modified"].Value)
}

func TestCatalogFromWarehouseStopsWhenCancelled(t *testing.T) {
	m := compileProject(t, testProject)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := CatalogFromWarehouse(ctx, &fakeCatalog{}, m, time.Now())
	require.ErrorIs(t, err, context.Canceled)
}

// The catalog of a project whose relations were made in a real DuckDB
// file, through the adapter's CatalogStats.
func TestCatalogFromDuckDB(t *testing.T) {
	ctx := context.Background()
	m := compileProject(t, testProject)
	w, err := duckdb.Open(ctx, duckdb.Config{Path: filepath.Join(t.TempDir(), "mart.duckdb")})
	require.NoError(t, err)
	defer w.Close()
	_, err = w.Exec(ctx, `create schema main_marts; create schema landing;
		create table landing."A_Table" as select 1 as id, 'x' as name;
		create view main.stg_a as select 1 as id;
		create table main_marts.fct_a as select 1 as id, 2.5::decimal(4,1) as amount from range(4);
		create table main.s as select 1::bigint as x;`)
	require.NoError(t, err)

	c, err := CatalogFromWarehouse(ctx, w, m, time.Now())
	require.NoError(t, err)
	assert.Empty(t, c.Errors)
	assert.ElementsMatch(t, []string{"model.p.stg_a", "model.p.fct_a", "seed.p.s"}, keys(c.Nodes))
	fct := c.Nodes["model.p.fct_a"]
	assert.Equal(t, "main_marts", fct.Metadata.Schema)
	assert.Equal(t, CatalogColumn{Type: "DECIMAL(4,1)", Index: 2, Name: "amount"}, fct.Columns["amount"])
	assert.Equal(t, int64(4), fct.Stats["row_count"].Value)
	src := c.Sources["source.p.raw.a"]
	require.NotNil(t, src)
	assert.Equal(t, "A_Table", src.Metadata.Name)
	assert.Equal(t, "view", c.Nodes["model.p.stg_a"].Metadata.Type)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func ptr(s string) *string { return &s }

func TestCatalogTargetsAreGroupedBySchema(t *testing.T) {
	m := compileProject(t, testProject)
	schemas, targets := catalogTargets(m)
	assert.Equal(t, []string{".landing", ".main", ".main_marts"}, schemas)
	var names []string
	for _, tg := range targets[".main"] {
		names = append(names, strings.ToLower(tg.name))
	}
	assert.Equal(t, []string{"stg_a", "s"}, names, "by unique id")
}
