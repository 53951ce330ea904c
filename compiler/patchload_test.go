package compiler

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// TestPatchLoadNodesAsCompiled: every node a build loads from the patch
// snapshot (its manifest.json entry, its config with Go types, what the
// index keeps besides) is the node the compile made, but for what only
// the compile reads (the version spec, where extract: keys are, a
// generic test's call). Every project of testdata/ and the demo.
func TestPatchLoadNodesAsCompiled(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	t.Setenv("MART_E2E_COLOR", "teal") // compile_features reads it
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	projects := map[string]string{"demo": root}
	entries, err := os.ReadDir(filepath.Join(root, "testdata"))
	require.NoError(t, err)
	for _, e := range entries {
		for _, f := range []string{"mart.yml", "dbt_project.yml"} {
			if _, err := os.Stat(filepath.Join(root, "testdata", e.Name(), f)); err == nil {
				projects[e.Name()] = filepath.Join(root, "testdata", e.Name())
			}
		}
	}
	loaded, ephemerals := 0, 0
	for name, src := range projects {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for _, p := range []string{"mart.yml", "dbt_project.yml", "profiles.yml", "packages.yml", "models", "macros", "seeds", "snapshots", "tests", "analyses", "dbt_packages"} {
				copyPath(t, filepath.Join(src, p), filepath.Join(dir, p))
			}
			// run_started_at fixed: a volatile model (compile_features's
			// target_this reads it) renders again in the patch
			const started = "2026-12-02 00:00:00.000000+00:00"
			opt := Options{ProjectDir: dir, InvocationID: "inv", RunStartedAt: started, PartialParse: true, PatchSnapshot: true}
			res, diags := Compile(opt)
			if res == nil {
				t.Skipf("does not compile: %v", diags.Errors())
			}
			ids := compiledIDs(res)
			require.NoError(t, res.WriteTarget(ids))
			res.KeepPatch(ids, diags, nil, 0)
			p, why := CompileByPatch(Options{ProjectDir: dir, InvocationID: "inv", RunStartedAt: started, PartialParse: true})
			if p == nil {
				<-res.patch.ready
				t.Skipf("no patch: %s (%s)", why, res.patch.why)
			}
			g, why := p.SelectorGraph()
			require.NotNil(t, g, why)
			require.Len(t, g.Nodes, len(res.Manifest.AllIDs()))
			dec, err := newEntryDecoder(p.load)
			require.NoError(t, err)
			defer dec.f.Close()
			for i, id := range res.Manifest.AllIDs() {
				want := *res.Manifest.Node(id)
				got, err := dec.decode(i)
				require.NoError(t, err, id)
				want.versionSpec, want.extractAt, want.testCall = nil, nil, nil
				if want.relationAt[0] > 0 {
					want.relationAt = [2]int{1, 0}
				}
				if p.load.ix.nodes[i].flags&(ixTyped|ixExact) == 0 {
					got.Config = want.Config // not loaded: a build needing it compiles the whole project
				}
				requireSameNode(t, &want, got)
				// an ephemeral model: what a render inlines (one that refs
				// nothing needs no state: ephemeralCTEs inlines its SQL)
				if st := res.Renderer.s.stateOf(id); st != nil && len(st.targets) > 0 {
					est := p.load.ix.nodes[i]
					require.NotZero(t, est.flags&ixEphemeral, id)
					det, err := p.load.ix.detail(i)
					require.NoError(t, err)
					require.Equal(t, st.targets, det.targets, id)
					ephemerals++
				}
				sn := g.Nodes[id]
				require.Equal(t, want.Name, sn.Name)
				require.Equal(t, nilIfEmpty(want.DependsOn.Nodes), nilIfEmpty(sn.DependsOn), id)
				loaded++
			}
		})
	}
	require.Positive(t, loaded)
	require.Positive(t, ephemerals)
}

// requireSameNode compares two nodes field by field, the unexported ones
// too, an empty slice or map the same as none. The fields of YAML values
// that nothing at run time reads (meta, a generic test's arguments, a
// unit test's rows, a column's constraints...) are compared as JSON: a
// loaded node has JSON's numbers there.
func requireSameNode(t *testing.T, want, got *Node) {
	t.Helper()
	asJSON := map[string]bool{"Meta": true, "TestMetadata": true, "Constraints": true,
		"Extract": true, "Freshness": true, "Columns": true}
	wv, gv := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	for i := 0; i < wv.NumField(); i++ {
		f := wv.Type().Field(i)
		w, g := wv.Field(i), gv.Field(i)
		if (w.Kind() == reflect.Slice || w.Kind() == reflect.Map) && w.Len() == 0 && g.Len() == 0 {
			continue
		}
		if asJSON[f.Name] {
			wj, err1 := json.Marshal(valueOf(w))
			gj, err2 := json.Marshal(valueOf(g))
			require.NoError(t, errors.Join(err1, err2))
			require.JSONEq(t, string(wj), string(gj), "%s: field %s", want.UniqueID, f.Name)
			continue
		}
		require.True(t, reflect.DeepEqual(valueOf(w), valueOf(g)), "%s: field %s: compiled %#v, loaded %#v",
			want.UniqueID, f.Name, valueOf(w), valueOf(g))
	}
	for name, c := range want.Columns {
		require.Equal(t, c.pos, got.Columns[name].pos, "%s: column %s's place", want.UniqueID, name)
	}
}

// valueOf reads an addressable field, exported or not
// (reflect.Value.Interface refuses unexported ones).
func valueOf(v reflect.Value) any {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem().Interface()
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func copyPath(t *testing.T, src, dst string) {
	t.Helper()
	st, err := os.Stat(src)
	if err != nil {
		return
	}
	if !st.IsDir() {
		data, err := os.ReadFile(src)
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
		require.NoError(t, os.WriteFile(dst, data, 0o644))
		return
	}
	require.NoError(t, filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	}))
}

// TestPatchLoadMostOfTheProject: a run that needs more than half of a
// large project's nodes compiles the whole project (faster than loading
// them from the snapshot); half or less load.
func TestPatchLoadMostOfTheProject(t *testing.T) {
	opt, _ := keptSnapshotProject(t)
	p, why := CompileByPatch(Options{ProjectDir: opt.ProjectDir, InvocationID: "inv", PartialParse: true, PatchForRun: true, PatchReadOnly: true})
	require.NotNil(t, p, why)
	g, why := p.SelectorGraph()
	require.NotNil(t, g, why)
	// models without parents: each needs itself only
	var roots []string
	for id, n := range g.Nodes {
		if n.ResourceType == TypeModel && len(n.DependsOn) == 0 {
			roots = append(roots, id)
		}
	}
	require.NotEmpty(t, roots)
	total := len(p.load.ix.nodes)
	defer func(w int) { wholeFrom = w }(wholeFrom)
	wholeFrom = total
	_, why = p.Result(roots[:1])
	require.NotContains(t, why, "compiling the whole project is faster")
	// every node but one
	all := make([]string, 0, total)
	for id := range g.Nodes {
		all = append(all, id)
	}
	res, why := p.Result(all[1:])
	require.Nil(t, res)
	require.Regexp(t, `^the selection needs \d+ of the \d+ nodes: compiling the whole project is faster$`, why)
	wholeFrom = total + 1 // a smaller project loads what it needs
	_, why = p.Result(all[1:])
	require.NotContains(t, why, "compiling the whole project is faster")
}
