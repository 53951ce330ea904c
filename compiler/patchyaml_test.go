package compiler

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescriptionEdits(t *testing.T) {
	const base = `version: 2
models:
  - name: a
    description: "the a"
    columns:
      - name: id
        description: key
      - name: id
        description: key again
  - name: b
    description: the b
    config: {materialized: table}
sources:
  - name: s
    description: the s
`
	replace := func(s, old, new string) string { return strings.Replace(s, old, new, 1) }
	for _, tc := range []struct {
		name, from, to string
		want           map[string]*descEdit // nil: not only descriptions changed
	}{
		{"nothing", base, base, map[string]*descEdit{}},
		{"a comment above: every line moves", base, "# hello\n" + base, nil},
		{"a comment below", base, base + "# bye\n", map[string]*descEdit{}},
		{"quotes only", base, replace(base, `"the a"`, `'the a'`), map[string]*descEdit{}},
		{"a model's", base, replace(base, `"the a"`, `"the A"`), map[string]*descEdit{"a": {desc: &descChange{"the a", "the A"}}}},
		{"a column's last entry", base, replace(base, "key again", "key, again"),
			map[string]*descEdit{"a": {cols: map[string]descChange{"id": {"key again", "key, again"}}}}},
		{"a column's earlier entry (the compile keeps the last)", base, replace(base, "description: key\n", "description: KEY\n"), map[string]*descEdit{}},
		{"two models", base, replace(replace(base, "the b", "the B"), `"the a"`, `"the A"`),
			map[string]*descEdit{"a": {desc: &descChange{"the a", "the A"}}, "b": {desc: &descChange{"the b", "the B"}}}},
		{"a source's", base, replace(base, "the s", "the S"), nil},
		{"a config", base, replace(base, "table", "view "), nil},
		{"a line more", base, replace(base, `"the a"`, "|\n      the a"), nil},
		{"Jinja", base, replace(base, `"the a"`, `"{{ doc('a') }}"`), nil},
		{"a number", base, replace(base, `"the a"`, `12`), nil},
		{"a tagged string", base, replace(base, `"the a"`, `!!str 12`), map[string]*descEdit{"a": {desc: &descChange{"the a", "12"}}}},
		{"an anchor", base, replace(base, `"the a"`, `&x "the a"`), nil},
		{"a key moved", base, replace(base, "  - name: b\n    description: the b\n", "  - description: the b\n    name: b\n"), nil},
		{"a version's", base + "  - name: v\n    versions:\n      - v: 1\n        description: one\n",
			base + "  - name: v\n    versions:\n      - v: 1\n        description: two\n", nil},
		{"not YAML", base, base + "  - [", nil},
		{"a name key that is not a plain string", replace(base, "  - name: b\n", "  - !!binary name: b\n"),
			replace(replace(base, "  - name: b\n", "  - !!binary name: b\n"), "the b", "the B"), nil},
		{"a model named null: nameless, as the compile decodes it", replace(base, "  - name: b\n", "  - name: null\n"),
			replace(replace(base, "  - name: b\n", "  - name: null\n"), "the b", "the B"), nil},
		{"a !!binary name: the name it decodes to", replace(base, "  - name: b\n", "  - name: !!binary Yg==\n"),
			replace(replace(base, "  - name: b\n", "  - name: !!binary Yg==\n"), "the b", "the B"), map[string]*descEdit{"b": {desc: &descChange{"the b", "the B"}}}},
		{"empty", "", "", map[string]*descEdit{}},
		{"emptied", base, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := descriptionEdits([]byte(tc.from), []byte(tc.to))
			if tc.want == nil {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
