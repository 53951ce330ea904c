package compiler

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeFastMatchesYAML decodes every properties file in the
// repository (the demo's, the tests' projects, the script tests'), and
// entries written to take or leave the fast path, with and without
// decodeFast: the results must be equal, diagnostics included.
func TestDecodeFastMatchesYAML(t *testing.T) {
	docs := map[string]string{
		"plain": `models:
  - name: a
    description: "the a"
    data_tests: [unique]
    columns:
      - name: id
        description: key
        data_type: int
        data_tests: [unique, not_null]
      - name: x
        tests:
          - accepted_values:
              values: [1, 2]
`,
		"number name":         "models:\n  - name: 123\n    columns:\n      - name: 1.5\n",
		"null description":    "models:\n  - name: a\n    description:\n    columns:\n      - name: id\n        description: ~\n",
		"repeated key":        "models:\n  - name: a\n    name: b\n",
		"repeated column key": "models:\n  - name: a\n    columns:\n      - name: id\n        name: id2\n",
		"config":              "models:\n  - name: a\n    config:\n      materialized: table\n    columns:\n      - name: id\n        quote: true\n",
		"unknown key":         "models:\n  - name: a\n    owner: me\n",
		"tagged":              "models:\n  - name: !!str 12\n    description: !!binary aGk=\n",
		"anchors": `models:
  - name: &n a
    description: *n
    columns: &cols
      - name: id
  - name: b
    columns: *cols
    data_tests: &t [unique]
    tests: *t
`,
		"merge":               "models:\n  - &base\n    name: a\n  - <<: *base\n    description: b\n",
		"empty lists":         "models:\n  - name: a\n    columns: []\n    data_tests: []\n    tests: []\n",
		"bad shapes":          "models:\n  - name: [a]\n  - name: b\n    columns: x\n  - name: c\n    data_tests: unique\n  - name: d\n    columns:\n      - id\n",
		"versions":            "models:\n  - name: a\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n",
		"tagged column":       "models:\n  - name: a\n    columns:\n      - !!null {name: id}\n      - !!map {name: x}\n",
		"tagged block column": "models:\n  - name: a\n    columns:\n      - !!null\n        name: id\n",
		"custom tag":          "models:\n  - name: a\n    columns:\n      - !mine {name: id}\n",
	}
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "target" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".yaml"):
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			docs[path] = string(data)
		case strings.HasSuffix(path, ".txtar"):
			a, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".yml") || strings.HasSuffix(f.Name, ".yaml") {
					docs[path+":"+f.Name] = string(f.Data)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 50 {
		t.Fatalf("only %d YAML documents found", len(docs))
	}
	fast := 0
	nan := strings.NewReplacer(".nan", ".inf", ".NaN", ".inf", ".NAN", ".inf") // NaN is not DeepEqual to itself
	for name, doc := range docs {
		doc = nan.Replace(doc)
		fastDecode = false
		want, wantDiags := parseProperties("p.yml", []byte(doc), nil)
		fastDecode = true
		got, gotDiags := parseProperties("p.yml", []byte(doc), nil)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotDiags, wantDiags) {
			t.Errorf("%s: decoded differently with decodeFast\nfast: %+v %v\nyaml: %+v %v", name, got, gotDiags, want, wantDiags)
		}
		if got != nil {
			for _, e := range got.Models {
				if e.Name != "" && e.Description != "" && len(e.Columns) > 0 {
					fast++
				}
			}
		}
	}
	fastDecode = true
	if fast == 0 {
		t.Fatal("no entry took the fast path's shape")
	}
}

// FuzzDecodeFast: any properties text decodes the same with and without
// decodeFast (diagnostics included).
func FuzzDecodeFast(f *testing.F) {
	for _, s := range []string{
		"models:\n  - name: a\n    description: d\n    columns:\n      - name: id\n        data_tests: [unique]\n",
		"models:\n  - name: a\n    columns:\n      - !!null {name: id}\n",
		"models:\n  - name: &x a\n    description: *x\n",
		"models:\n  - name: a\n    name: b\n",
		"models:\n  - name: 1\n    data_tests:\n      - accepted_values:\n          values: [1, 2]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if strings.Contains(strings.ToLower(doc), "nan") {
			return // NaN is not DeepEqual to itself
		}
		fastDecode = false
		want, wantDiags := parseProperties("p.yml", []byte(doc), nil)
		fastDecode = true
		got, gotDiags := parseProperties("p.yml", []byte(doc), nil)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotDiags, wantDiags) {
			t.Errorf("decoded differently with decodeFast\nfast: %+v %v\nyaml: %+v %v", got, gotDiags, want, wantDiags)
		}
	})
}

// TestPropertiesEmptyItems: an empty item in a list of entries (`-` with
// nothing after it, as mid-edit, or `- null`) is an error at its line, not
// a crash (every one of these panicked in the compile before).
func TestPropertiesEmptyItems(t *testing.T) {
	for _, tc := range []struct{ yml, want string }{
		{"unit_tests:\n  - null\n", "models/_p.yml:3:5: error: an empty item in unit_tests"},
		{"models:\n  - null\n", "models/_p.yml:3:5: error: an empty item in models"},
		{"sources:\n  - null\n", "models/_p.yml:3:5: error: an empty item in sources"},
		{"sources:\n  - name: s\n    tables:\n      - null\n", "models/_p.yml:5:9: error: an empty item in tables"},
		{"models:\n  - name: m\n    columns:\n      -\n", "models/_p.yml:5:8: error: an empty item in columns"},
		{"seeds:\n  -\n", "models/_p.yml:3:4: error: an empty item in seeds"},
		{"unit_tests:\n  - name: t\n    model: m\n    given:\n      -\n    expect:\n      rows: []\n", "models/_p.yml:6:8: error: an empty item in given"},
	} {
		res, diags := compileDiags(t, map[string]string{"mart.yml": "name: np\nversion: \"1.0.0\"\n", "models/m.sql": "select 1 as id\n", "models/_p.yml": "version: 2\n" + tc.yml})
		require.Nil(t, res, tc.yml)
		require.Len(t, diags, 1, tc.yml)
		require.Contains(t, diags[0], tc.want)
	}
}

// TestDocCalls: a description's doc() takes a block's name, or a
// package's name and its block's as dbt's does; a block not found is an
// error at the description's line, said once, also beside other Jinja
// (it rendered as nothing, unsaid, before).
func TestDocCalls(t *testing.T) {
	compile := func(desc string) (*Result, []string) {
		dir := t.TempDir()
		writeProjectFile(t, dir, "mart.yml", "name: dd\nversion: \"1.0.0\"\n")
		writeProjectFile(t, dir, "models/a.sql", "select 1 as id\n")
		writeProjectFile(t, dir, "models/docs.md", "{% docs x %}the x{% enddocs %}\n")
		writeProjectFile(t, dir, "models/_p.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        description: \""+desc+"\"\n")
		res, d := Compile(Options{ProjectDir: dir, InvocationID: "inv"})
		return res, diagLines(d)
	}
	for _, c := range []struct{ desc, want string }{
		{"{{ doc('x') }}", "the x"},
		{"{{ doc('dd', 'x') }}", "the x"},
		{"{{ doc('x') }} of {{ var('who', 'us') }}", "the x of us"},
		{"{{ doc('dd', 'x') }} of {{ var('who', 'us') }}", "the x of us"},
	} {
		res, diags := compile(c.desc)
		require.NotNil(t, res, "%s: %v", c.desc, diags)
		assert.Equal(t, c.want, res.Manifest.Nodes["model.dd.a"].Columns["id"].Description, c.desc)
	}
	for _, desc := range []string{"{{ doc('y') }}", "{{ doc('dd', 'y') }}", "{{ doc('y') }} of {{ var('who', 'us') }}", "{{ doc('dd', 'y') }} and {{ doc('y') }}"} {
		res, diags := compile(desc)
		assert.Nil(t, res, desc)
		assert.Equal(t, []string{"models/_p.yml:5: error: doc(\"y\") not found\n  did you mean \"x\"?"}, diags, desc)
	}
}

// A description is rendered as dbt renders it: a Jinja comment is not in
// it, nor a statement's branch not taken (they were kept as written when
// the description had no {{ }}).
func TestDescriptionCommentsAndStatements(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml":       "name: p\n",
		"models/a.sql":   "select 1 as id\n",
		"models/docs.md": "{% docs x %}The x.{% enddocs %}\n",
		"models/p.yml": "version: 2\nmodels:\n  - name: a\n    description: \"{{ doc('x') }} {# a note #}\"\n" +
			"    columns:\n      - name: id\n        description: \"{% if true %}yes{% endif %} id {# c #}\"\n",
	})
	require.NotNil(t, res, "%v", diags)
	a := res.Manifest.Nodes["model.p.a"]
	require.Equal(t, "The x. ", a.Description)
	require.Equal(t, "yes id ", a.Columns["id"].Description)
}

// A model entry's own access, group, docs and contract are its configs, as
// dbt moves them under config: (they were skipped, or warned about as
// unknown properties); set in both places is an error.
func TestEntryKeysThatAreConfigs(t *testing.T) {
	files := map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
		"models/p.yml": "version: 2\ngroups:\n  - name: g\n    owner: {name: o}\nmodels:\n  - name: a\n    access: private\n    group: g\n" +
			"    docs: {show: false}\n    contract: {enforced: true}\n    config: {materialized: table}\n    columns:\n      - name: id\n        data_type: integer\n",
	}
	res, diags := compileDiags(t, files)
	require.NotNil(t, res, "%v", diags)
	cfg := res.Manifest.Nodes["model.p.a"].Config
	require.Equal(t, "private", cfg["access"])
	require.Equal(t, "g", cfg["group"])
	require.Equal(t, map[string]any{"show": false}, cfg["docs"])
	require.Equal(t, map[string]any{"enforced": true}, cfg["contract"])
	require.Empty(t, diags)
	files["models/p.yml"] = "version: 2\nmodels:\n  - name: a\n    access: public\n    config: {access: private}\n"
	res, diags = compileDiags(t, files)
	require.Nil(t, res)
	require.Contains(t, diags, `models/p.yml:3: error: model "a" sets access both on its entry and under config:`)
}
