package bigquery

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// TestDemoCompilesToGoogleSQL compiles the demo project (the repository
// root) for a BigQuery target, as `mart compile --target prod` does without
// credentials, and parses every compiled model, test and snapshot with
// GoogleSQL's parser. It checks the BigQuery dialect the compiler uses
// (dialect.go: quoting, relation names, cross-database macros).
func TestDemoCompilesToGoogleSQL(t *testing.T) {
	s := startZetaSQL(t)
	root, err := repoRoot()
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(root, "mart.yml")); err != nil {
		t.Skip("no demo project at the repository root")
	}
	profiles := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(profiles, "profiles.yml"), []byte(
		"soda:\n  target: prod\n  outputs:\n    prod: {type: bigquery, project: soda-prod, dataset: mart, location: EU}\n"), 0o644))
	res, diags := compiler.Compile(compiler.Options{ProjectDir: root, ProfilesDir: profiles, Target: "prod"})
	require.False(t, diags.HasErrors(), "%v", diags)
	var ids []string
	for id, n := range res.Manifest.Nodes {
		if n.CompiledCode != "" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	require.NotEmpty(t, ids)
	for _, id := range ids {
		if err := s.Parse(context.Background(), res.Manifest.Nodes[id].CompiledCode); err != nil {
			t.Errorf("%s: GoogleSQL rejects the compiled SQL: %v", id, err)
		}
	}
}

// TestCrossDBMacrosParse renders every cross-database macro for BigQuery
// and parses it in a SELECT.
func TestCrossDBMacrosParse(t *testing.T) {
	d := Dialect{}
	cases := map[string][]string{
		"date_trunc":           {"'month'", "created_at"},
		"dateadd":              {"'day'", "-30", "created_at"},
		"datediff":             {"start_at", "end_at", "'minute'"},
		"safe_cast":            {"x", "decimal(10, 2)"},
		"cast":                 {"x", "varchar"},
		"hash":                 {"email"},
		"concat":               {"a", "'/'", "b"},
		"split_part":           {"path", "'/'", "-1"},
		"last_day":             {"created_at", "quarter"},
		"listagg":              {"name", "', '", "order by name", "3"},
		"bool_or":              {"flag"},
		"any_value":            {"x"},
		"json_extract_scalar":  {"payload", "'$.a'"},
		"current_timestamp":    nil,
		"type_numeric":         nil,
		"position":             {"'b'", "name"},
		"length":               {"name"},
		"replace":              {"name", "'a'", "'b'"},
		"right":                {"name", "2"},
		"cast_bool_to_text":    {"flag"},
		"array_construct":      {"INT64", "1", "2"},
		"array_append":         {"xs", "1"},
		"array_concat":         {"xs", "ys"},
		"date":                 {"2024", "2", "3"},
		"equals":               {"a", "b"},
		"string_literal":       {"it"},
		"escape_single_quotes": {"it's"},
	}
	s := startZetaSQL(t)
	for name, args := range cases {
		expr, err := d.CrossDB(name, args)
		require.NoError(t, err, name)
		sql := "SELECT " + expr + " AS v FROM t"
		switch name {
		case "type_numeric":
			sql = "SELECT CAST(x AS " + expr + ") FROM t"
		case "escape_single_quotes":
			sql = "SELECT '" + expr + "' AS v FROM t"
		}
		assert.NoError(t, s.Parse(context.Background(), sql), "%s: %s", name, sql)
	}
	for _, q := range []string{"generate_series", "except", "intersect"} {
		expr, err := d.CrossDB(q, []string{"5"})
		require.NoError(t, err, q)
		sql := "SELECT * FROM (" + expr + ")"
		if q != "generate_series" {
			sql = "SELECT 1 AS x " + expr + " SELECT 2 AS x"
		}
		assert.NoError(t, s.Parse(context.Background(), sql), "%s: %s", q, sql)
	}
	empty, err := d.CrossDB("array_construct", []string{"INT64"})
	require.NoError(t, err)
	assert.NoError(t, s.Parse(context.Background(), "SELECT "+empty+" AS v"), empty)
	assert.Equal(t, "`a\\`b`", d.QuoteIdent("a`b"))
	assert.Equal(t, `'it\'s\n\\'`, d.QuoteString("it's\n\\"))
	assert.Equal(t, "`p.d.t`", d.RelationName("p", "d", "t"))
}

// TestDialectQueriesParse parses the queries the runner asks the dialect
// for: test wrappers, literal rows (also none), limits and timestamps.
func TestDialectQueriesParse(t *testing.T) {
	d := Dialect{}
	s := startZetaSQL(t)
	cols := []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "it's", Type: "STRING"}, {Name: "d", Type: "DATE"},
		{Name: "ts", Type: "TIMESTAMP"}, {Name: "untyped"}}
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for name, sql := range map[string]string{
		"simple test":    d.TestQuery(warehouse.TestQuery{SQL: "select * from t where x is null"}),
		"custom test":    d.TestQuery(warehouse.TestQuery{SQL: "select * from t;", Limit: 5, FailCalc: "sum(n)", WarnIf: "> 10", ErrorIf: ">= 100"}),
		"limit":          d.LimitQuery("select 1 as x", 3),
		"values":         d.ValuesQuery(cols, [][]any{{1, "a'b\\c", day, day.Add(90 * time.Minute), nil}, {int64(2), nil, nil, nil, true}}),
		"no values":      d.ValuesQuery(cols, nil),
		"timestamp":      "select " + d.TimestampLiteral(day.Add(time.Second/2)) + " as t",
		"select all":     d.SelectAll(d.RelationName("p", "d", "t")),
		"no db relation": d.SelectAll(d.RelationName("", "d", "t")),
		"diff by key": d.DiffQuery(warehouse.DiffSpec{New: d.RelationName("p", "pr_1", "t"), Old: d.RelationName("p", "prod", "t"),
			Key: []string{"id", "it's"}, Columns: []string{"id", "it's", "amount"}, Examples: 5}),
		"diff by key only": d.DiffQuery(warehouse.DiffSpec{New: "`p.a.t`", Old: "`p.b.t`", Key: []string{"id"}, Columns: []string{"id"}, Examples: 3}),
		"diff of rows":     d.DiffQuery(warehouse.DiffSpec{New: "`p.a.t`", Old: "`p.b.t`", Columns: []string{"id", "x"}, Examples: 3}),
	} {
		assert.NoError(t, s.Parse(context.Background(), sql), "%s: %s", name, sql)
	}
}
