package blockyaml

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// reference parses data with yaml.v3 and returns the document's root.
func reference(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// diff describes the first difference between two trees, or "".
func diff(path string, got, want *yaml.Node) string {
	if got == nil || want == nil {
		if got != want {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		return ""
	}
	if got.Kind != want.Kind || got.Tag != want.Tag || got.Value != want.Value || got.Style != want.Style ||
		got.Line != want.Line || got.Column != want.Column || len(got.Content) != len(want.Content) {
		return fmt.Sprintf("%s: got {kind %d tag %s value %q style %d at %d:%d, %d children}, want {kind %d tag %s value %q style %d at %d:%d, %d children}",
			path, got.Kind, got.Tag, got.Value, got.Style, got.Line, got.Column, len(got.Content),
			want.Kind, want.Tag, want.Value, want.Style, want.Line, want.Column, len(want.Content))
	}
	for i := range got.Content {
		if d := diff(fmt.Sprintf("%s/%d", path, i), got.Content[i], want.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// check asserts that where Parse accepts data, yaml.v3 accepts it too and
// builds the same tree, and reports whether Parse accepted it.
func check(t testing.TB, name string, data []byte) bool {
	got, ok := Parse(data)
	if !ok {
		return false
	}
	want, err := reference(data)
	if err != nil {
		t.Fatalf("%s: Parse accepted what yaml.v3 rejects (%v):\n%s", name, err, data)
	}
	if d := diff("", got, want); d != "" {
		t.Fatalf("%s: %s\ninput:\n%s", name, d, data)
	}
	return true
}

var accepted = []string{
	"",
	"# only a comment\n",
	"version: 2\n",
	"a: 1\nb: true\nc: ~\nd: null\ne: 1.5\nf: -3\ng: 0x1F\nh: yes\ni: 2024-01-01\nj: .inf\n",
	"models:\n  - name: m\n    description: \"a \\\"quoted\\\" \\u00e9 \\n text\"\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n",
	"models:\n- name: m\n  columns:\n  - name: id\n    tests:\n    - unique\n    - not_null\n",
	"a:\n  b:\n    c: d # trailing comment\n  # a comment line\ne: 'it''s'\n",
	"a:\nb: 1\n",
	"a:\n",
	"a:",
	"a: 1\nb:\n\n\n",
	"list:\n  -\n  - x\n  -\n",
	"nested:\n  - - a\n    - b\n  - - c\n",
	"flow: []\nf2: [ a , 'b' , \"c\" ]\nf3: [1, 2.5, true, null]\n",
	"key: value a#b # a comment\nk2: a:b\n",
	"url: http://example.com/a#b\n",
	"é: ü\nname: \"ça\" # ok\n",
	"x: -1\ny: -a\nz: [-1, -b]\n",
	"deep:\n    a: 1\n    b:\n        - c: 1\n          d: 2\n        - e\n",
	"accepted_values:\n  values: ['a', 'b', 'c']\n  quote: false\n",
	"a: \"\"\nb: ''\n",
	"a: \"\\x41\\t\\\\\"\n",
	"a: [\"x, y\", 'p]q']\n",
	"a: b\n   # indented comment\nc: d\n",
}

var rejected = []string{
	"a: |\n  text\n",
	"a: >\n  text\n",
	"a: &x 1\nb: *x\n",
	"a: !!str 1\n",
	"a: {b: 1}\n",
	"a: multi\n  line\n",
	"a: \"multi\n  line\"\n",
	"---\na: 1\n",
	"a:\tb\n",
	"a: 1\r\n",
	"\"quoted\": key\n",
	"? complex\n: key\n",
	"- top level list\n",
	"a: b: c\n",
	"key: value with: colon\n",
	"a: [b, [c]]\n",
	"a: [b,\n  c]\n",
	"a: [b, ]\n",
	"  indented: top\n",
	"a:\n  b: 1\n c: 2\n",
	"1: int key\n",
	"<<: x\n",
	"a: \"\\N\"\n",
	"a: 'x' y\n",
}

func TestAccepted(t *testing.T) {
	for _, s := range append([]string{"a:\n" + strings.Repeat("- ", 100) + "x\n"}, accepted...) {
		if !check(t, fmt.Sprintf("%.40q", s), []byte(s)) {
			t.Errorf("Parse refused %.40q, which is in its subset", s)
		}
	}
}

func TestRejected(t *testing.T) {
	// yaml.v3 refuses more than 10,000 levels of nesting; Parse leaves
	// anything that deep to it
	deep := []string{"a:\n" + strings.Repeat("- ", 10001) + "x\n", "a:\n" + strings.Repeat("- ", maxDepth+1) + "x\n"}
	for _, s := range append(deep, rejected...) {
		if check(t, fmt.Sprintf("%.40q", s), []byte(s)) {
			t.Errorf("Parse accepted %.40q, which is outside its subset", s)
		}
	}
}

// TestRepositoryYAML compares the two parsers on every YAML file in the
// repository's test projects and the demo: the files users write.
func TestRepositoryYAML(t *testing.T) {
	root := filepath.Join("..", "..")
	n, okN := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == ".cache" || d.Name() == "target" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".yaml")) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if check(t, path, data) {
			okN++
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, n, 20)
	t.Logf("%d of %d YAML files take the fast path", okN, n)
	require.Greater(t, okN, n/2, "most properties files should take the fast path")
}

func FuzzParse(f *testing.F) {
	for _, s := range append(append([]string{}, accepted...), rejected...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, "fuzz", data)
	})
}
