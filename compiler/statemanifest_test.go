package compiler

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/bench/projgen"
	"github.com/mart-dev/mart/compiler/selector"
)

// fullWithoutCode is what ReadManifest makes of data, less what
// ReadStateManifest leaves out: one encoding/json decode
// (decodeStateWhole), the oracle of the split decode.
func fullWithoutCode(t *testing.T, data []byte) (*Manifest, error) {
	t.Helper()
	return decodeStateWhole(data)
}

// A state manifest decoded in parallel pieces is ReadManifest's, less the
// code and the parent and child maps, for the manifests of the testdata
// projects, the demo and a generated project, compact or indented; and
// the pieces are taken (the whole decode is the fallback, not the rule).
func TestReadStateManifest(t *testing.T) {
	testdataEnv(t)
	gen := t.TempDir()
	require.NoError(t, projgen.Generate(gen, projgen.Options{Models: 80, Seed: 3, Layers: 3, MacrosFiles: 2, Package: true}))
	for _, project := range []string{"compile_features", "compile_dbt", "tests_basic", "snapshot_members", "..", "generated"} {
		t.Run(project, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", project)
			switch project {
			case "..":
				dir = ".." // the SODA Store demo
			case "generated":
				dir = gen
			}
			res, diags := Compile(Options{ProjectDir: dir, InvocationID: "x"})
			require.False(t, diags.HasErrors(), "%v", diags)
			var b bytes.Buffer
			w := bufio.NewWriter(&b)
			require.NoError(t, encodeManifest(w, res.Manifest))
			require.NoError(t, w.Flush())
			var indented bytes.Buffer
			require.NoError(t, json.Indent(&indented, b.Bytes(), "", "  "))
			for _, data := range [][]byte{b.Bytes(), indented.Bytes()} {
				want, err := fullWithoutCode(t, data)
				require.NoError(t, err)
				require.NotEmpty(t, want.Nodes)
				got, ok := splitStateManifest(data)
				require.True(t, ok, "a manifest as mart writes it is decoded in pieces")
				require.Equal(t, want, got)
				requireStateNodes(t, data, want)
			}
		})
	}
}

// Files of an unusual outer shape are decoded as ReadManifest decodes
// them, or fail where it fails.
func TestReadStateManifestShapes(t *testing.T) {
	node := `{"unique_id":"model.p.a","resource_type":"model","name":"a","raw_code":"select 1","compiled_code":"select 1","config":{"materialized":"view"},"depends_on":{"nodes":["seed.p.s"],"macros":[]}}`
	node2 := `{"unique_id":"model.p.a","name":"a2","raw_code":null}`
	cases := []struct {
		name  string
		text  string
		split bool // decoded in pieces
		fails bool
	}{
		{"plain", `{"metadata":{"project_name":"p"},"nodes":{"model.p.a":` + node + `},"sources":{},"parent_map":{"model.p.a":[]},"child_map":{}}`, true, false},
		{"whitespace everywhere", " \n{ \"nodes\" :\t{ \"model.p.a\" : " + node + " } , \"docs\" : { } }\r\n", true, false},
		{"no maps at all", `{}`, true, false},
		{"an id twice keeps the last", `{"nodes":{"model.p.a":` + node + `,"model.p.a":` + node2 + `}}`, true, false},
		{"a null entry", `{"nodes":{"model.p.a":null}}`, true, false},
		{"an empty entry", `{"nodes":{"model.p.a":{}}}`, true, false},
		{"an escaped id", `{"nodes":{"model.p.\u00e9\"x":` + node + `}}`, true, false},
		{"an id of bad UTF-8", "{\"nodes\":{\"model.p.\xff\":" + node + "}}", true, false},
		{"unknown keys ignored", `{"exposures":{"e":[1,2,{"x":null}]},"n":1.5e3,"nodes":{}}`, true, false},
		{"nodes null", `{"nodes":null}`, false, false},
		{"a key spelt in another case", `{"Nodes":{"model.p.a":` + node + `}}`, false, false},
		{"an escaped key", `{"\u006eodes":{"model.p.a":` + node + `}}`, true, false},
		{"a key twice merges", `{"nodes":{"model.p.a":` + node + `},"nodes":{"model.p.b":` + node2 + `}}`, false, false},
		{"a node field in another case", `{"nodes":{"model.p.a":{"NAME":"x","Raw_Code":"y"}}}`, true, false},
		{"not an object", `[]`, false, true},
		{"trailing text", `{"nodes":{}} x`, false, true},
		{"a trailing comma", `{"nodes":{"model.p.a":` + node + `,}}`, false, true},
		{"a missing comma", `{"nodes":{} "docs":{}}`, false, true},
		{"bad JSON in an entry", `{"nodes":{"model.p.a":{"name":tru}}}`, false, true},
		{"a wrong type in an entry", `{"nodes":{"model.p.a":{"name":5}}}`, false, true},
		{"code of a wrong type", `{"nodes":{"model.p.a":{"raw_code":5}}}`, false, true},
		{"a parent map of a wrong type", `{"parent_map":5}`, false, true},
		{"bad JSON in a key ignored", `{"x":{"a":}}`, false, true},
		{"a truncated file", `{"nodes":{"model.p.a":` + node[:40], false, true},
		{"a control byte in a key", "{\"nodes\":{\"a\x01\":{}}}", false, true},
		// encoding/json keeps the error of a value a later one replaces (found by review)
		{"an id twice, the first of a wrong type", `{"nodes":{"model.p.a":{"config":[]},"model.p.a":{"name":"a"}}}`, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(c.text)
			want, wantErr := fullWithoutCode(t, data)
			_, split := splitStateManifest(data)
			require.Equal(t, c.split, split)
			got, err := decodeStateManifest(data)
			if c.fails {
				require.Error(t, wantErr)
				require.Error(t, err)
				return
			}
			require.NoError(t, wantErr)
			require.NoError(t, err)
			require.Equal(t, want, got)
			requireStateNodes(t, data, want)
		})
	}
}

// requireStateNodes: the state opened for some of its nodes gives each
// node of want (the whole decode), an id it lacks none, and Whole gives
// want.
func requireStateNodes(t *testing.T, data []byte, want *Manifest) {
	t.Helper()
	st, err := openStateManifest(data)
	require.NoError(t, err)
	require.Equal(t, want.Metadata, st.Metadata)
	// the metadata read from the file's head, when it is there (and the
	// file has no key twice: split)
	if meta, ok := readStateMetadata(bytes.NewReader(data)); ok {
		if _, _, split := splitStateMaps(data, true); split {
			require.Equal(t, want.Metadata, meta)
		}
	}
	for _, ids := range []map[string]*Node{want.Nodes, want.Sources, want.UnitTests} {
		for id := range ids {
			require.Equal(t, want.Node(id), st.Node(id), id)
		}
	}
	require.Nil(t, st.Node("model.none.x"))
	require.NoError(t, st.Err())
	// what state: selectors compare, decoded from the compared members
	// only: the whole decode's
	wantSel := map[string]*selector.Node{}
	ids := []string{"model.none.x"}
	for _, nodes := range []map[string]*Node{want.UnitTests, want.Sources, want.Nodes} { // (Node's order, reversed)
		for id := range nodes {
			delete(wantSel, id)
			ids = append(ids, id)
			if n := want.Node(id); n != nil {
				wantSel[id] = comparedOnly(n.SelectorNode(id))
			}
		}
	}
	sel, err := st.SelectorNodes(ids)
	require.NoError(t, err)
	for id, n := range sel {
		sel[id] = comparedOnly(n)
	}
	require.Equal(t, wantSel, sel)
	whole, err := st.Whole()
	require.NoError(t, err)
	require.Equal(t, want, whole)
	for id := range want.Nodes {
		require.Equal(t, want.Node(id), st.Node(id), id)
	}
}

// comparedOnly is what state: selectors compare of n.
func comparedOnly(n *selector.Node) *selector.Node {
	return &selector.Node{UniqueID: n.UniqueID, Checksum: n.Checksum, Config: n.Config, Unrendered: n.Unrendered,
		Macros: n.Macros, Vars: n.Vars, Contract: n.Contract, PersistedDocs: n.PersistedDocs, Freshness: n.Freshness}
}

// An entry's compared members are read as text only where encoding/json
// reads them so: not under a key twice or in another case (it matches
// keys without case, Unicode's simple folding included), and the decode
// from them is the whole entry's, for these and for entries damaged
// elsewhere, which the whole decode refuses.
func TestComparedMembers(t *testing.T) {
	for _, raw := range []string{`{"config":{"a":1},"CONFIG":{"a":2}}`, `{"config":{"a":1},"config":{"a":2}}`,
		`{"checkſum":{"checksum":"x"}}`, `{"Description":"d"}`, `[]`, `null`} {
		_, ok := comparedMembers([]byte(raw))
		require.False(t, ok, raw)
		n, err := decodeCompared([]byte(raw))
		if raw == "[]" {
			require.Error(t, err)
			continue
		}
		require.NoError(t, err, raw)
		want, err := decodeStateNode([]byte(raw))
		require.NoError(t, err, raw)
		require.Equal(t, want, n, raw)
	}
	raw := `{"name":"a","depends_on":5,"checksum":{"name":"sha256","checksum":"c"},"config":{"materialized":"view","contract":{"enforced":true}},` +
		`"unrendered_config":{"schema":"{{ x }}"},"fingerprint":{"macros":"m","vars":"v"},"columns":{"id":{"name":"id","data_type":"INT","description":"i"}},"description":"d"}`
	_, err := decodeStateNode([]byte(raw))
	require.Error(t, err, "depends_on is damaged")
	texts, ok := comparedMembers([]byte(raw))
	require.True(t, ok)
	require.Equal(t, `{"schema":"{{ x }}"}`, string(texts[2]))
	n, err := decodeCompared([]byte(raw))
	require.NoError(t, err)
	got := n.SelectorNode("model.p.a")
	require.Equal(t, "c", got.Checksum)
	require.Equal(t, map[string]any{"schema": "{{ x }}"}, got.Unrendered)
	require.Equal(t, "m", got.Macros)
	require.Equal(t, "v", got.Vars)
	require.Equal(t, (&Node{Config: Config{"contract": map[string]any{"enforced": true}},
		Columns: map[string]*Column{"id": {Name: "id", DataType: "int"}}}).ContractChecksum(), got.Contract)
	require.Empty(t, got.PersistedDocs)
}

// An entry that does not decode is an error for the state opened for some
// nodes when a node of it is asked for, and only then; Whole fails.
func TestStateManifestBadEntry(t *testing.T) {
	data := []byte(`{"metadata":{"project_name":"p"},"nodes":{"model.p.a":{"config":[]},"model.p.b":{"name":"b"}},"sources":{"model.p.a":{"name":"not this one"}}}`)
	st, err := openStateManifest(data)
	require.NoError(t, err)
	require.Equal(t, "p", st.Metadata.ProjectName)
	require.Equal(t, "b", st.Node("model.p.b").Name)
	require.NoError(t, st.Err())
	require.Nil(t, st.Node("model.p.a"), "the nodes map's entry, which does not decode, not the source's")
	require.ErrorContains(t, st.Err(), "the entry of model.p.a: ")
	_, err = st.Whole()
	require.Error(t, err)
	// a file of an unusual shape is decoded whole when opened
	_, err = openStateManifest([]byte(`{"nodes":{"model.p.a":{"config":[]}},"nodes":{}}`))
	require.Error(t, err)
}

// What is left out is checked only as JSON: a parent_map whose lists are
// not lists is an error for ReadManifest, not here.
func TestReadStateManifestSkipsMaps(t *testing.T) {
	data := []byte(`{"nodes":{},"parent_map":{"a":5},"child_map":{"b":"x"}}`)
	_, err := fullWithoutCode(t, data)
	require.Error(t, err)
	m, err := decodeStateManifest(data)
	require.NoError(t, err)
	require.Empty(t, m.Nodes)
}

// FuzzDecodeStateManifest: whatever ReadManifest reads, the state decode
// reads to the same nodes (less what it leaves out). It may accept what
// ReadManifest refuses only in what it skips (TestReadStateManifestSkipsMaps).
func FuzzDecodeStateManifest(f *testing.F) {
	node := `{"unique_id":"model.p.a","resource_type":"model","name":"a","raw_code":"select 1","config":{"materialized":"view","n":1.5},"depends_on":{"nodes":["seed.p.s"]}}`
	for _, s := range []string{
		`{}`, `{"nodes":{}}`, `{"metadata":{"project_name":"p"},"nodes":{"model.p.a":` + node + `},"sources":{"s":null},"parent_map":{"a":[]}}`,
		`{"nodes":{"a":` + node + `,"a":{}}}`, `{"Nodes":{"a":{}}}`, `{"nodes":{"\u0061":{"NAME":"x"}}}`, " {\"nodes\" : { } } ",
		`{"nodes":{"a":{"columns":{"c":{"name":"c","meta":{"k":[1,{"x":null}]}}}}}}`, `{"unit_tests":{"u":{"unit_test":{"model":"a"}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := fullWithoutCode(t, data)
		got, err := decodeStateManifest(data)
		if wantErr != nil {
			return
		}
		require.NoError(t, err, "%q", data)
		require.Equal(t, want, got, "%q", data)
		requireStateNodes(t, data, want)
	})
}

// What state: selectors compare of an entry decoded from its compared
// members is the whole entry's decode (where that decodes), and two
// entries whose compared members are the same text compare equal in
// every kind (Patched.WithState's shortcut).
func FuzzComparedMembers(f *testing.F) {
	base := `{"name":"a","raw_code":"select 1","checksum":{"name":"sha256","checksum":"c"},"config":{"materialized":"view","n":1.5,` +
		`"contract":{"enforced":true},"persist_docs":{"relation":true,"columns":true}},"fingerprint":{"macros":"m","vars":"v"},` +
		`"columns":{"id":{"name":"id","data_type":"INT","description":"i"}},"description":"d"}`
	f.Add([]byte(base), []byte(`{"checksum":{"name":"sha256","checksum":"c"},"config":{"materialized":"view","n":1.5}}`))
	f.Add([]byte(base), []byte(`{"Config":{},"config":{"n":1.50}}`))
	f.Add([]byte(`{"unrendered_config":{"schema":"{{ x }}"},"description":"\u0064"}`), []byte(`{"description":"d","unrendered_config":null}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		na, errA := decodeCompared(a)
		if whole, err := decodeStateNode(a); err == nil {
			require.NoError(t, errA, "%q", a)
			if whole == nil {
				require.Nil(t, na)
			} else {
				require.Equal(t, comparedOnly(whole.SelectorNode("x")), comparedOnly(na.SelectorNode("x")), "%q", a)
			}
		}
		ta, okA := comparedMembers(a)
		tb, okB := comparedMembers(b)
		if !okA || !okB || !ta.equal(&tb) {
			return
		}
		nb, errB := decodeCompared(b)
		if errA != nil || errB != nil {
			require.Equal(t, errA == nil, errB == nil, "%q %q", a, b)
			return
		}
		require.Equal(t, comparedOnly(na.SelectorNode("x")), comparedOnly(nb.SelectorNode("x")), "%q %q", a, b)
	})
}
