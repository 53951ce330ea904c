package plan

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/selector"
	_ "github.com/mart-dev/mart/warehouse/duckdb"
)

var update = flag.Bool("update", false, "rewrite the golden plans in testdata/")

var buildKinds = []string{compiler.TypeSeed, compiler.TypeModel, compiler.TypeSnapshot, compiler.TypeTest, compiler.TypeUnitTest}

func compile(t *testing.T, dir string) *compiler.Result {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	t.Setenv("MART_E2E_COLOR", "blue")
	res, diags := compiler.Compile(compiler.Options{ProjectDir: dir, InvocationID: "x"})
	require.False(t, diags.HasErrors(), "%v", diags)
	return res
}

// TestGoldenPlans pins the plan of `mart build` for the testdata projects
// and the demo: order, parents, reads, writes, schemas, hooks.
func TestGoldenPlans(t *testing.T) {
	for _, project := range []string{"build_basic", "tests_basic", "incremental_orders", "snapshot_members", ".."} {
		t.Run(project, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", project)
			name := project
			if project == ".." {
				dir, name = "..", "soda_store"
			}
			res := compile(t, dir)
			p := New(res, res.Manifest.AllIDs(), Options{Kinds: buildKinds, Hooks: true})
			got, err := json.MarshalIndent(p, "", "  ")
			require.NoError(t, err)
			file := filepath.Join("testdata", name+".json")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(file, append(got, '\n'), 0o644))
				return
			}
			want, err := os.ReadFile(file)
			require.NoError(t, err, "run go test ./plan -update")
			assert.Equal(t, string(want), string(got)+"\n", "plan differs (go test ./plan -update to accept)")
		})
	}
}

// Every step comes after its parents; every executable node of a build
// has a step; tests of a model are parents of the model's children.
func TestPlanInvariants(t *testing.T) {
	res := compile(t, "..")
	p := New(res, res.Manifest.AllIDs(), Options{Kinds: buildKinds})
	pos := map[string]int{}
	for i, s := range p.Steps {
		pos[s.ID] = i
	}
	for _, s := range p.Steps {
		for _, parent := range s.Parents {
			require.Less(t, pos[parent], pos[s.ID], "%s runs before its parent %s", s.ID, parent)
		}
	}
	for _, id := range res.Manifest.AllIDs() {
		if n := res.Manifest.Node(id); n.ResourceType != compiler.TypeSource {
			require.Contains(t, pos, id)
		}
	}
	// a model's child waits for the model's single-parent tests
	var checked int
	for _, s := range p.Steps {
		n := res.Manifest.Node(s.ID)
		if _, inPlan := pos[n.AttachedNode]; s.ResourceType != compiler.TypeTest || !inPlan || len(n.DependsOn.Nodes) != 1 {
			continue // tests of sources block nothing: sources do not run
		}
		for _, child := range p.Steps {
			cn := res.Manifest.Node(child.ID)
			if child.ResourceType == compiler.TypeModel && contains(cn.DependsOn.Nodes, n.AttachedNode) {
				assert.Contains(t, child.Parents, s.ID, "%s waits for %s", child.ID, s.ID)
				checked++
			}
		}
	}
	assert.Positive(t, checked)
}

// A partial selection waits for selected grandparents through unselected
// nodes, reads through ephemeral models, and creates only the schemas its
// steps write to.
func TestPlanOfASelection(t *testing.T) {
	res := compile(t, filepath.Join("..", "testdata", "build_basic"))
	sg := &selector.Graph{Nodes: map[string]*selector.Node{}}
	for _, id := range res.Manifest.AllIDs() {
		n := res.Manifest.Node(id)
		sg.Nodes[id] = &selector.Node{UniqueID: id, Name: n.Name, ResourceType: n.ResourceType, Path: n.Path,
			FQN: n.FQN, Tags: n.Tags, Config: n.Config, DependsOn: n.DependsOn.Nodes}
	}
	ids, err := selector.Select(sg, []string{"resource_type:model"}, nil, selector.Options{})
	require.NoError(t, err)
	p := New(res, ids, Options{Kinds: []string{compiler.TypeModel}})
	for _, s := range p.Steps {
		assert.Equal(t, compiler.TypeModel, s.ResourceType)
		for _, r := range s.Reads {
			assert.NotContains(t, r.Name, "ephemeral", "reads look through ephemeral models")
		}
	}
	for _, sc := range p.Schemas {
		assert.False(t, strings.HasSuffix(sc.Schema, "_raw"), "no seed runs, so no raw schema: %v", p.Schemas)
	}
	assert.Empty(t, p.OnRunStart)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
