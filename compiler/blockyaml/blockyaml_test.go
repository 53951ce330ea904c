package blockyaml

import (
	"fmt"
	"io/fs"
	"math/rand"
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
	// flow mappings, and flow collections nested on one line
	"a: {b: 1}\n",
	"meta: {owner: ana}\nconfig: {tags: [a, b], materialized: table}\n",
	"columns:\n  - name: id\n    data_tests:\n      - relationships: {to: ref('a'), field: id}\n",
	"docs: {show: false}\npersist_docs: {relation: true, columns: true}\n",
	"a: {}\nb: { }\nc: {  }\nd: [ ]\n",
	"a: { a: 1 }\nb: {a: 1,b: 2}\nc: {a:  1  ,  b:  2  }\nd: {a : 1, b  : 2}\n",
	"a: {a}\nb: {a: }\nc: {a , b}\nd: {a: , b: 1}\ne: {a: 1, b}\nf: { \"a\" }\ng: {'a':}\n",
	"a: {a:}\nb: {a:1}\nc: {a:b, c: d:e}\nd: {a:, b: 1}\ne: {a :1}\nf: {a: b :c}\n",
	"a: {\"a\":1, 'b':c, \"c\" : 'd', \"\": \"\", \"1\": 2}\n",
	"a: {a: ~, b: null, c: 1.5, d: true, e: 0x1f, f: .inf, g: -1, h: -x, i: 2024-01-01, j: yes, k: 1e3}\n",
	"a: {a: x#y, b: \"x#y\", c: 'p, q', d: \"{x: [y]}\"}  # comment\n",
	"a: {a: b c  , d e: f}\n",
	"a: {a: x%, b: x|y, c: x!y, d: x&y, e: x*y, f: x'y, g: 'it''s', h: x-, i: x\"y}\n",
	"a: {a: {b: {c: 1}}, d: [e, {f: g}], h: [], i: {}}\n",
	"a: [b, [c]]\nb: [[a], [b, [c]], {d: 1}, {}]\n",
	"l:\n  - {a: 1}\n  - {}\n  - [a, {b: 1}]\n  - - {c: d}\n  - k: {x: y}\n    j: [{}]\n",
	"a: [a:, b:]\nb: [a :1]\nc: [\"a\", 'b', x:y]\n",
	"é: {ü: ç, a: \"é\", b: [ö, {ß: 1}]}\n",
	"a: {a: 1, a: 2}\n",
	"a: {a: \"\\u00e9\\t\"}\n",
}

var rejected = []string{
	"a: |\n  text\n",
	"a: >\n  text\n",
	"a: &x 1\nb: *x\n",
	"a: !!str 1\n",
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
	"a: [b,\n  c]\n",
	"a: [b, ]\n",
	"  indented: top\n",
	"a:\n  b: 1\n c: 2\n",
	"1: int key\n",
	"<<: x\n",
	"a: \"\\N\"\n",
	"a: 'x' y\n",
	// flow mappings outside the subset: yaml.v3 refuses them, or reads
	// them in ways kept for it to decide
	"a: {a: 1,}\n",
	"a: {a: 1, , b: 2}\n",
	"a: {,}\n",
	"a: {a: b: c}\n",
	"a: {a: x #y}\n",
	"a: {a: 1 # c\n  }\n",
	"a: {? a: 1}\n",
	"a: {a: &x 1}\n",
	"a: {a: *x}\n",
	"a: {a: !!str 1}\n",
	"a: {a: - b}\n",
	"a: {a: -}\n",
	"a: {a: -, b: 1}\n",
	"a: {a: 1} x\n",
	"a: {a: 1}}\n",
	"a: {a: 1}# c\n",
	"a: {a: 1} : b\n",
	"a: {: 1}\n",
	"a: {a: :x}\n",
	"a: {<<: 1}\n",
	"a: {\"<<\": 1}\n",
	"a: {a: <<}\n",
	"a: {1: 2}\n",
	"a: {true: 2}\n",
	"a: {null: 2}\n",
	"a: {~: 2}\n",
	"a: {{a: 1}: 2}\n",
	"a: {[a]: 2}\n",
	"a: {a: x?y}\n",
	"a: {a: x[b]}\n",
	"a: {a{b: 1}\n",
	"a: {a: \"x\" y}\n",
	"a: {\"a\"b: 1}\n",
	"a: {a: @x}\n",
	"a: {a: |}\n",
	"a: {a: 1,\n  b: 2}\n",
	"a: {\n  a: 1}\n",
	"a: {a: 1\n}\n",
	"a: {a: 1\n",
	"a: {a: 1}\n  b: 2\n",
	"a: [a: 1]\n",
	"a: [\"a\":1]\n",
	"a: [{a: 1}: 2]\n",
	"a: [a, ]\n",
	"{a: 1}: b\n",
	"{a: 1}\n",
	"l:\n  - {a: 1}: b\n",
	"l:\n  - {a: 1}\n    b: 2\n",
	"a: {" + strings.Repeat("k", 1100) + ": 1}\n",
	"a: {\"" + strings.Repeat("k", 1100) + "\": 1}\n",
}

func TestAccepted(t *testing.T) {
	for _, s := range append([]string{"a:\n" + strings.Repeat("- ", 100) + "x\n",
		"a: " + strings.Repeat("{a: [", 50) + "1" + strings.Repeat("]}", 50) + "\n"}, accepted...) {
		if !check(t, fmt.Sprintf("%.40q", s), []byte(s)) {
			t.Errorf("Parse refused %.40q, which is in its subset", s)
		}
	}
}

func TestRejected(t *testing.T) {
	// yaml.v3 refuses more than 10,000 levels of nesting; Parse leaves
	// anything that deep to it
	deep := []string{"a:\n" + strings.Repeat("- ", 10001) + "x\n", "a:\n" + strings.Repeat("- ", maxDepth+1) + "x\n",
		"a: " + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "\n",
		"a: " + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + "\n"}
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

// fuzzSeeds are more inputs for the fuzz target to start from: flow
// collections next to the block forms, and near misses of them.
var fuzzSeeds = []string{
	"models:\n  - name: m\n    config: {materialized: table, tags: [a, 'b'], meta: {owner: \"ana\"}}\n    columns:\n      - name: id\n        data_tests: [unique, {relationships: {to: ref('x'), field: id}}]\n",
	"a: {a: 1, b: [x, {y: z}], c: {}, d, 'e': , \"f\":g} # c\n",
	"- {a: 1}\n",
	"a: [{a}, {a: }, {a:}, {\"a\"}, {a: [b:c, d :e]}]\n",
	"a: {a: 'x''y', b: \"\\x41\\\"\", c: x:y:z, d: -1.5e3, e: 0o17}\n",
	"a: { a : b , c : d }\nb: {a: b, c: d, }\n",
	"a: {é: ü, ß: [ö]}\n",
}

func FuzzParse(f *testing.F) {
	for _, s := range append(append([]string{}, accepted...), rejected...) {
		f.Add([]byte(s))
	}
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add(flowPropertiesFile(3))
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, "fuzz", data)
	})
}

// flowScalars and flowKeys are what randomFlow builds flow collections of.
var flowScalars = []string{"a", "b c", "1", "~", "null", "true", "'q'", "'it''s'", "\"d\"", "\"\"", "-1", "-x", "x:y", "a#b", "é", "ref('a')", "1.5", "0x1f", "yes", "x:", "a :b", ".inf", "2024-01-01", "\"\\x41\"", "x-", "''"}
var flowKeys = []string{"a", "b c", "'q'", "\"d\"", "\"\"", "é", "x:y", "k:", "t", "a :b", "x-y"}

// spaces returns none to two spaces.
func spaces(r *rand.Rand) string { return strings.Repeat(" ", []int{0, 0, 0, 1, 1, 2}[r.Intn(6)]) }

// randomFlow returns a random scalar or one-line flow collection.
func randomFlow(r *rand.Rand, d int) string {
	if d > 3 || r.Intn(3) > 0 {
		return flowScalars[r.Intn(len(flowScalars))]
	}
	var b strings.Builder
	m := r.Intn(2) == 0
	if m {
		b.WriteString("{" + spaces(r))
	} else {
		b.WriteString("[" + spaces(r))
	}
	k := r.Intn(4)
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteString(spaces(r) + "," + spaces(r))
		}
		if m {
			b.WriteString(flowKeys[r.Intn(len(flowKeys))])
			switch r.Intn(6) {
			case 0:
			case 1:
				b.WriteString(spaces(r) + ":" + spaces(r))
			default:
				b.WriteString(spaces(r) + ": " + spaces(r) + randomFlow(r, d+1))
			}
		} else {
			b.WriteString(randomFlow(r, d+1))
		}
	}
	b.WriteString(spaces(r))
	if m {
		b.WriteString("}")
	} else {
		b.WriteString("]")
	}
	return b.String()
}

// TestRandomFlow compares the two parsers on random flow collections, some
// of them broken by a few edits.
func TestRandomFlow(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	muts := []string{"{", "}", "[", "]", ",", ":", " ", "#", "?", "-", "'", "\"", "\n", "&", "!", "a", "\\"}
	acc := 0
	for n := 0; n < 20000; n++ {
		v := randomFlow(r, 0)
		if r.Intn(2) == 0 {
			for j := r.Intn(3); j >= 0; j-- {
				p := r.Intn(len(v) + 1)
				if r.Intn(2) == 0 && p < len(v) {
					v = v[:p] + v[p+1:]
				} else {
					v = v[:p] + muts[r.Intn(len(muts))] + v[p:]
				}
			}
		}
		var s string
		switch r.Intn(3) {
		case 0:
			s = "k: " + v + spaces(r)
		case 1:
			s = "l:\n  - " + v + "\n  - x: " + v
		default:
			s = "k:\n  - j: " + v + " # c"
		}
		if check(t, "random flow", []byte(s+"\n")) {
			acc++
		}
	}
	t.Logf("%d of 20000 accepted", acc)
	require.Greater(t, acc, 10000)
}
