package compiler

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler/selector"
)

// TestSelectionFromIndexAfterPatches: selection from the patch snapshot's
// node index (SelectorGraph: the graph in the index's order, each node's
// parents as places in it) selects what selection from a cold compile's
// manifest selects, after patches that remove a model (its index entry
// gone), add one (appended to the index), change a model's refs (its
// parents), add a test and a source.
func TestSelectionFromIndexAfterPatches(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	w := newStepWriter(t, dir)
	steps := []struct {
		name    string
		files   map[string]string
		removed []string
	}{
		{name: "cold", files: map[string]string{
			"mart.yml":           "name: ps\nversion: \"1.0.0\"\nmodels:\n  ps:\n    marts:\n      +tags: [mart]\n",
			"models/a.sql":       "select 1 as id\n",
			"models/b.sql":       "select id from {{ ref('a') }}\n",
			"models/marts/c.sql": "select id from {{ ref('b') }}\n",
			"models/d.sql":       "select id from {{ ref('a') }} union all select id from {{ ref('b') }}\n",
			"models/_props.yml":  "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n",
		}},
		{name: "a model removed", removed: []string{"models/d.sql"}},
		{name: "a model added", files: map[string]string{"models/marts/e.sql": "select id from {{ ref('c') }} union all select id from {{ ref('a') }}\n"}},
		{name: "a model's refs changed", files: map[string]string{"models/marts/c.sql": "select id from {{ ref('a') }}\n"}},
		{name: "a test on a model added", files: map[string]string{
			"models/_props.yml": "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n" +
				"  - name: e\n    columns:\n      - name: id\n        data_tests: [not_null]\n"}},
		{name: "the removed one back", files: map[string]string{"models/d.sql": "select id from {{ ref('e') }}\n"}},
	}
	selections := [][]string{{"a+"}, {"+e"}, {"b"}, {"@b"}, {"1+c+1"}, {"tag:mart+"}, {"path:models/marts"}, {"+d", "b+"}, {"resource_type:test"}}
	for _, s := range steps {
		w.write(s.files, s.removed, os.Remove)
		opt := Options{ProjectDir: dir, InvocationID: "inv"}
		compareStep(t, opt, s.name) // target/ as a patch (or a whole compile) leaves it
		cold, d := Compile(opt)
		require.NotNil(t, cold, "%v", d)
		cold.DropPatch()
		warmOpt := opt
		warmOpt.PartialParse, warmOpt.PatchReadOnly, warmOpt.inspect = true, true, true
		pt, why := CompileByPatch(warmOpt)
		require.NotNil(t, pt, "after %s: %s", s.name, why)
		g, why := pt.SelectorGraph()
		require.NotNil(t, g, why)
		want := &selector.Graph{Nodes: map[string]*selector.Node{}}
		for _, id := range cold.Manifest.AllIDs() {
			want.Nodes[id] = cold.Manifest.Node(id).SelectorNode(id)
		}
		for _, sel := range selections {
			for _, opt := range []selector.Options{{}, {IndirectTests: true}, {IndirectTests: true, Indirect: "cautious"}} {
				w, err := selector.Select(want, sel, nil, opt)
				require.NoError(t, err)
				got, err := selector.Select(g, sel, nil, opt)
				require.NoError(t, err)
				require.Equal(t, w, got, "after %s, --select %v (%+v)", s.name, sel, opt)
			}
		}
	}
}
