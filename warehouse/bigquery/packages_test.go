package bigquery

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

// TestPackageProjectOnBigQuery builds testdata/packages_basic (a package
// with dispatch, namespaced and introspective macros, a package model and
// a generic test) on the BigQuery adapter, against the fake, and parses
// every statement it sent with GoogleSQL's parser.
func TestPackageProjectOnBigQuery(t *testing.T) {
	root, err := repoRoot()
	require.NoError(t, err)
	dir := t.TempDir()
	src := filepath.Join(root, "testdata", "packages_basic")
	require.NoError(t, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	}))
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddProject("proj")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "profiles.yml"), []byte(
		"shop:\n  target: bq\n  outputs:\n    bq: {type: bigquery, project: proj, dataset: shop, location: EU, api_endpoint: "+fake.URL()+"}\n"), 0o644))

	res, diags := compiler.Compile(compiler.Options{ProjectDir: dir, ProfilesDir: dir})
	require.False(t, diags.HasErrors(), "%v", diags)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wh, err := res.Target.Open(ctx, dir)
	require.NoError(t, err)
	defer wh.Close()
	p := plan.New(res, res.Manifest.AllIDs(), plan.Options{Kinds: []string{compiler.TypeSeed, compiler.TypeModel,
		compiler.TypeTest}, Hooks: true})
	rr, err := runner.New(res.Manifest, wh, runner.Options{Threads: 2, Renderer: res.Renderer, ProjectDir: dir,
		TargetDir: res.TargetDir(), TargetPath: res.Project.TargetPath}).Run(ctx, p)
	require.NoError(t, err)
	for _, r := range rr.Results {
		assert.Contains(t, []runner.Status{runner.StatusSuccess, runner.StatusPass}, r.Status, "%s: %s", r.UniqueID, r.Message)
	}

	rows, err := wh.Query(ctx, "SELECT amount, ab, cd, shouted, greeting FROM `proj.shop.orders`", 0)
	require.NoError(t, err)
	require.Len(t, rows.Values, 1)
	assert.Equal(t, []any{int64(4), "ab", "cd", "X", "hi"}, rows.Values[0],
		"dispatch: the root's duckdb__ override does not apply on BigQuery, the package's default does")
	cols, _, err := wh.Describe(ctx, relationOf(t, res, "model.shop.introspective"))
	require.NoError(t, err)
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"amount", "amount_eur", "shouted", "greeting", "n_base", "greetings"}, names,
		"star() read orders' columns from BigQuery, leaving out ab and cd")

	s := startZetaSQL(t)
	queries := 0
	for _, j := range fake.Jobs() {
		if j.Type != "QUERY" {
			continue
		}
		queries++
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := s.Parse(ctx, j.Query)
		cancel()
		assert.NoError(t, err, "GoogleSQL rejects:\n%s", j.Query)
	}
	assert.Greater(t, queries, 5)
}

func relationOf(t *testing.T, res *compiler.Result, id string) warehouse.Relation {
	n := res.Manifest.Node(id)
	require.NotNil(t, n, id)
	return warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias}
}
