package bigquery

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// TestDeferredSQL compiles the demo for a pull request's BigQuery dataset,
// defers to production's (another project), and checks the SQL that
// results: deferred relations named in production's project, every
// selected node's SQL parsed by GoogleSQL, fct_reservations pinned in
// testdata/defer/fct_reservations.sql.
func TestDeferredSQL(t *testing.T) {
	root, err := repoRoot()
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(root, "mart.yml")); err != nil {
		t.Skip("no demo project at the repository root")
	}
	profiles := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(profiles, "profiles.yml"), []byte(
		"soda:\n  target: pr\n  outputs:\n    pr: {type: bigquery, project: soda-ci, dataset: pr_42, location: EU}\n"+
			"    prod: {type: bigquery, project: soda-prod, dataset: mart, location: EU}\n"), 0o644))
	compile := func(target string) *compiler.Result {
		res, diags := compiler.Compile(compiler.Options{ProjectDir: root, ProfilesDir: profiles, Target: target})
		require.False(t, diags.HasErrors(), "%v", diags)
		return res
	}
	pr, prod := compile("pr"), compile("prod")
	assert.Equal(t, map[string]string{"project": "soda-prod"}, prod.Manifest.Metadata.Location)

	w := &Warehouse{cfg: Config{Project: "soda-ci", Dataset: "pr_42"}}
	name, err := w.AttachState(context.Background(), warehouse.StateLocation{Recorded: prod.Manifest.Metadata.Location})
	require.NoError(t, err)
	selected := []string{"model.soda.fct_reservations", "model.soda.agg_revenue_by_channel"}
	deferred, ds := pr.Defer(selected, compiler.DeferOptions{State: prod.Manifest,
		Relation: func(n *compiler.Node) (string, string, string, string) {
			r := name(warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias})
			return r.Database, r.Schema, r.Name, w.RelationSQL(r)
		}})
	require.NotEmpty(t, ds)
	for _, d := range ds {
		assert.True(t, strings.HasPrefix(d.To, "`soda-prod."), "%s is read from production's project: %s", d.UniqueID, d.To)
	}
	s := startZetaSQL(t)
	for _, id := range selected {
		sql := deferred.Manifest.Node(id).CompiledCode
		body, _, _ := strings.Cut(sql, "/* mart --defer:")
		assert.NotContains(t, body, "`soda-ci.pr_42_staging.", "%s reads no unbuilt PR relation", id)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := s.Parse(ctx, sql)
		cancel()
		assert.NoError(t, err, "%s: GoogleSQL rejects the deferred SQL", id)
	}
	checkGolden(t, filepath.Join("testdata", "defer", "fct_reservations.sql"),
		deferred.Manifest.Node("model.soda.fct_reservations").CompiledCode+"\n")
}
