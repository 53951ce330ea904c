package compiler

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// testdataEnv sets the environment the projects under testdata/ read
// (env_var() calls) and keeps the user's profiles out.
func testdataEnv(t *testing.T) {
	t.Setenv("MART_E2E_COLOR", "blue")
	t.Setenv("MART_PROFILES_DIR", "")
}

// TestManifestEncoding: the parallel, streaming manifest writer produces
// exactly what encoding/json produces for the Manifest (compact, no HTML
// escaping), so adding a field to Manifest or Node cannot be forgotten.
func TestCompileManifestEncoding(t *testing.T) {
	testdataEnv(t)
	for _, project := range []string{"compile_features", "compile_dbt", "compile_select", "tests_basic", "build_basic", "incremental_orders", "snapshot_members", ".."} {
		t.Run(project, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", project)
			if project == ".." {
				dir = ".." // the SODA Store demo
			}
			res, diags := Compile(Options{ProjectDir: dir, InvocationID: "x"})
			require.False(t, diags.HasErrors(), "%v", diags)
			// a --defer run's manifest: one node with the state's relation
			for _, id := range res.Manifest.AllIDs() {
				if n := res.Manifest.Nodes[id]; n != nil && n.Relation != "" {
					c := *n
					c.DeferRelation = &DeferRelation{Database: "prod", Schema: "main \"x\"", Alias: n.Alias, RelationName: "mart_state." + n.Relation}
					res.Manifest = res.Manifest.With(map[string]*Node{id: &c})
					break
				}
			}

			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(res.Manifest))

			var got bytes.Buffer
			w := bufio.NewWriter(&got)
			require.NoError(t, encodeManifest(w, res.Manifest))
			require.NoError(t, w.Flush())
			require.Equal(t, want.String(), got.String())

			file := filepath.Join(t.TempDir(), "manifest.json")
			commit, err := stageManifest(file, res.Manifest)
			require.NoError(t, err)
			st, err := commit(true)
			require.NoError(t, err)
			now, err := statOf(file)
			require.NoError(t, err)
			require.True(t, st.same(now), "commit tells the stat of what it wrote")
			back, err := ReadManifest(file)
			require.NoError(t, err)
			require.Equal(t, ManifestVersion, back.Metadata.SchemaVersion)
			require.Equal(t, res.Manifest.AllIDs(), back.AllIDs())
		})
	}
}

// TestAppendStringMatchesEncodingJSON: the manifest's string encoder agrees
// with encoding/json (HTML escaping off) on every awkward byte.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", "quote \" and \\ backslash", "tab\tnew\nline\rret\bbs\fff",
		"\x00\x01\x1f\x7f", "<html> & 'x'", "caf\u00e9 \u65e5\u672c", "\u2028\u2029", "bad \xff\xfe utf8", "\xe2\x82", "emoji \U0001F600"}
	for _, s := range cases {
		want, err := compactJSON(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendString(nil, s)), "%q", s)
	}
	for _, v := range []any{map[string]any{"b": 1.5, "a": []any{"x", true, nil, int64(3)}, "c": map[string]any{}},
		[]string(nil), map[string]any(nil), 1e21, 0.000001, uint8(3)} {
		want, err := compactJSON(v)
		require.NoError(t, err)
		got, err := appendAny(nil, v)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "%#v", v)
	}
}

// FuzzAppendString: the manifest's string encoder writes what
// encoding/json writes, for any bytes. (An 8-byte skip over plain runs
// was tried twice and was slower on compiled SQL: its lines are short.)
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text longer than eight", "0123456\"89abcdef", "0123456789abcde\\",
		"tab\there and a long tail", "caf\u00e9 long enough \u65e5", "\u2028\u2029 and more text", "bad \xff\xfe utf8 tail",
		"\x1f1234567\x7f", "12345678 12345678 \x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := compactJSON(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendString(nil, s)), "%q", s)
	})
}

// TestManifestEncodingOddKeys: the encoder keys maps in the manifest's
// sorted ids only when those hold exactly the map's keys; an id in two
// node maps, or a map key that is no id, still gives encoding/json's bytes.
func TestManifestEncodingOddKeys(t *testing.T) {
	n := &Node{UniqueID: "a", Config: Config{}}
	m := &Manifest{Nodes: map[string]*Node{"a": n}, Sources: map[string]*Node{"a": n},
		ParentMap: map[string][]string{"a": {}, "b": {"a"}}, ChildMap: map[string][]string{"c": nil}}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(m))
	var got bytes.Buffer
	w := bufio.NewWriter(&got)
	require.NoError(t, encodeManifest(w, m))
	require.NoError(t, w.Flush())
	require.Equal(t, want.String(), got.String())
}

// TestCompiledPathMatchesPathJoin: compiledPath and joinClean give what
// path.Join gave, for node paths and test names of every awkward shape.
func TestCompiledPathMatchesPathJoin(t *testing.T) {
	paths := []string{"models/a.sql", "a.sql", "models/x/y.yml", "_schema.yml", "../shared/m.sql", "/abs/m.sql",
		"models//a.sql", "models/./a.sql", "./a.yml", "models/../a.yml", "", "."}
	names := []string{"not_null_a_id", "a/b", "..", ".", "x..y", "weird name", "../up"}
	for _, p := range paths {
		for _, name := range names {
			for _, typ := range []string{TypeModel, TypeTest} {
				n := &Node{ResourceType: typ, Path: p, Name: name, TestType: "generic"}
				want := ""
				if typ == TypeTest {
					want = path.Join("compiled", inside(path.Join(path.Dir(p), testShortName(n)+".sql")))
				} else {
					want = path.Join("compiled", inside(p))
				}
				require.Equal(t, want, compiledPath(n), "%s %q %q", typ, p, name)
			}
		}
	}
	for _, dir := range []string{"target", "./target", "target/", "/abs/target", "", ".", "a//b", "/", "//"} {
		for _, rel := range []string{"compiled/models/a.sql", "compiled", "x"} {
			require.Equal(t, path.Join(dir, rel), joinClean(dir, rel), "%q %q", dir, rel)
		}
	}
}
