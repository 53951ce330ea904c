package compiler

import (
	"math/rand/v2"
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
	const units = "custom:\n  - name: u\n" // a key the compile warns of
	replace := func(s, old, new string) string { return strings.Replace(s, old, new, 1) }
	for _, tc := range []struct {
		name, from, to string
		want           map[string]*descEdit // nil: not only descriptions changed
	}{
		{"nothing", base, base, map[string]*descEdit{}},
		// lines move only in a file of models, sources, seeds, snapshots, unit tests and inert keys (TestDescriptionEditsMovingLines)
		{"a comment above: every line moves", base + units, "# hello\n" + base + units, nil},
		{"a comment below", base, base + "# bye\n", map[string]*descEdit{}},
		{"quotes only", base, replace(base, `"the a"`, `'the a'`), map[string]*descEdit{}},
		{"a model's", base, replace(base, `"the a"`, `"the A"`), map[string]*descEdit{"a": {desc: &descChange{"the a", "the A"}}}},
		{"a column's last entry", base, replace(base, "key again", "key, again"),
			map[string]*descEdit{"a": {cols: map[string]descChange{"id": {"key again", "key, again"}}}}},
		{"a column's earlier entry (the compile keeps the last)", base, replace(base, "description: key\n", "description: KEY\n"), map[string]*descEdit{}},
		{"two models", base, replace(replace(base, "the b", "the B"), `"the a"`, `"the A"`),
			map[string]*descEdit{"a": {desc: &descChange{"the a", "the A"}}, "b": {desc: &descChange{"the b", "the B"}}}},
		{"a source's (propsEdits has it)", base, replace(base, "the s", "the S"), map[string]*descEdit{}},
		{"a config with Jinja", base, replace(base, "table", `"{{ 'view' }}"`), nil},
		{"a line more", base + units, replace(base, `"the a"`, "|\n      the a") + units, nil},
		{"Jinja", base, replace(base, `"the a"`, `"{{ var('a') }}"`), nil},
		{"Jinja beside doc()", base, replace(base, `"the a"`, `"{{ doc('a') }} {{ var('a') }}"`), nil},
		// rendered with the docs blocks by the snapshot (descEdit.renderDocs)
		{"doc() alone", base, replace(base, `"the a"`, `"{{ doc('a') }}"`), map[string]*descEdit{"a": {desc: &descChange{"the a", "{{ doc('a') }}"}}}},
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
		{"a merge key's description shows once the entry's own goes",
			"models:\n  - name: a\n    <<: {description: merged}\n    description: own\n",
			"models:\n  - name: a\n    <<: {description: merged}\n", nil},
		{"a merge key's, edited beside it",
			"models:\n  - name: a\n    <<: {description: merged}\n    description: own\n",
			"models:\n  - name: a\n    <<: {description: merged}\n    description: own, edited\n", nil},
		{"emptied", base, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, moved, ok := descriptionEdits([]byte(tc.from), []byte(tc.to))
			if tc.want == nil {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tc.want, got)
			assert.Nil(t, moved)
		})
	}
}

// TestConfigEdits: a model's config: rewritten to plain YAML is an edit of
// its config, with its new entry (the patch makes the model again).
func TestConfigEdits(t *testing.T) {
	const base = "version: 2\nmodels:\n  - name: a\n    config:\n      materialized: table\n  - name: b\n"
	for _, to := range []string{
		strings.Replace(base, "table", "view ", 1),                                                                   // rewritten
		strings.Replace(base, "    config:\n      materialized: table\n", "", 1),                                     // removed
		strings.Replace(base, "  - name: a\n", "  - name: a\n    description: x\n", 1) + "    config: {tags: [t]}\n", // added, with a description
	} {
		got, _, ok := descriptionEdits([]byte(base), []byte(to))
		require.True(t, ok, to)
		for name, e := range got {
			require.True(t, e.config || e.desc != nil, "%s in %q", name, to)
			require.Equal(t, e.config, e.entry != nil)
		}
		require.True(t, got["a"].config || got["b"].config, to)
	}
}

// TestDescriptionEditsMovingLines: in a file of models alone, a
// description may be added, removed or made longer, and lines may move;
// the lines of everything else move as the shifts say.
func TestDescriptionEditsMovingLines(t *testing.T) {
	const base = `version: 2
models:
  - name: a
    description: "the a"
    columns:
      - name: id
        data_tests: [unique]
      - name: x
        description: an x
  - name: b
    data_tests:
      - not_null:
          column_name: id
`
	replace := func(s, old, new string) string { return strings.Replace(s, old, new, 1) }
	for _, tc := range []struct {
		name, to string
		want     map[string]*descEdit // nil: refused
		moved    []lineShift
	}{
		{"a comment above", "# hi\n" + base, map[string]*descEdit{}, []lineShift{{1, 1}}},
		{"a blank line in the middle", replace(base, "  - name: b\n", "\n  - name: b\n"), map[string]*descEdit{}, []lineShift{{10, 1}}},
		{"a description added", replace(base, "      - name: id\n", "      - name: id\n        description: the key\n"),
			map[string]*descEdit{"a": {cols: map[string]descChange{"id": {"", "the key"}}}}, []lineShift{{7, 1}}},
		{"a description removed", replace(base, "        description: an x\n", ""),
			map[string]*descEdit{"a": {cols: map[string]descChange{"x": {"an x", ""}}}}, []lineShift{{10, -1}}},
		{"a description on three lines", replace(base, `"the a"`, "|\n      the\n      a"),
			map[string]*descEdit{"a": {desc: &descChange{"the a", "the\na\n"}}}, []lineShift{{5, 2}}},
		{"a model's description added", replace(base, "  - name: b\n", "  - name: b\n    description: the b\n"),
			map[string]*descEdit{"b": {desc: &descChange{"", "the b"}}}, []lineShift{{11, 1}}},
		{"a description moved before the name", replace(base, "  - name: a\n    description: \"the a\"\n", "  - description: \"the a\"\n    name: a\n"), nil, nil},
		{"two descriptions", replace(base, "        description: an x\n", "        description: an x\n        description: an y\n"), nil, nil},
		{"a description added and a test", replace(replace(base, "[unique]", "[unique, not_null]"), "  - name: b\n", "  - name: b\n    description: the b\n"),
			map[string]*descEdit{"a": {tests: true}, "b": {desc: &descChange{"", "the b"}}}, []lineShift{{11, 1}}},
		// tests changed are made again (patchtests.go), at their new lines
		{"a test moved down a line", replace(base, "      - not_null:\n", "      -\n        not_null:\n"), map[string]*descEdit{"b": {tests: true}}, nil},
		// (Jinja in a test's arguments renders in the test's render, which
		// records what it reads: patchtestvars.go)
		{"a test with Jinja in its arguments", replace(base, "[unique]", "[unique, {accepted_values: {values: \"{{ var('v') }}\"}}]"), map[string]*descEdit{"a": {tests: true}}, nil},
		{"a test with Jinja in its config", replace(base, "[unique]", "[unique, {accepted_values: {values: [1], config: {severity: \"{{ var('v') }}\"}}}]"), nil, nil},
		{"a test with an anchor", replace(base, "[unique]", "&t [unique]"), nil, nil},
		{"a source below: its lines move too", "# hi\n" + base + "sources:\n  - name: s\n", map[string]*descEdit{}, []lineShift{{1, 1}}},
		{"a seed below: its lines move too", "# hi\n" + base + "seeds:\n  - name: s\n", map[string]*descEdit{}, []lineShift{{1, 1}}},
		{"a snapshot below: its lines move too", "# hi\n" + base + "snapshots:\n  - name: s\n", map[string]*descEdit{}, []lineShift{{1, 1}}},
		{"a unit test below: its lines move too", "# hi\n" + base + "unit_tests:\n  - name: s\n", map[string]*descEdit{}, []lineShift{{1, 1}}},
		{"a unit test edited: made again (propsEdits)", base + "unit_tests:\n  - name: t\n", nil, nil},
		{"an exposure below: its lines move too (the compile reads none)", "# hi\n" + base + "exposures:\n  - name: s\n", map[string]*descEdit{}, []lineShift{{1, 1}}},
		{"an exposure moved above", "version: 2\nexposures:\n  - name: s\n" + base[len("version: 2\n"):], map[string]*descEdit{}, []lineShift{{2, 2}}},
		{"a key the compile warns of below: its lines would move", "# hi\n" + base + "custom:\n  - name: s\n", nil, nil},
		{"a column added", replace(base, "  - name: b\n", "      - name: y\n        description: a y\n  - name: b\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"y": {Name: "y", Description: "a y"}}}}, []lineShift{{10, 2}}},
		{"a column added first, with no description", replace(base, "      - name: id\n", "      - name: y\n      - name: id\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"y": {Name: "y"}}}}, []lineShift{{6, 1}}},
		{"a column removed", replace(base, "      - name: x\n        description: an x\n", ""),
			map[string]*descEdit{"a": {removed: map[string]string{"x": "an x"}}}, []lineShift{{10, -2}}},
		{"a column renamed", replace(base, "      - name: x\n", "      - name: z\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"z": {Name: "z", Description: "an x"}}, removed: map[string]string{"x": "an x"}}}, nil},
		{"a column added and another's description edited", replace(replace(base, "an x", "an X"), "  - name: b\n", "      - name: y\n  - name: b\n"),
			map[string]*descEdit{"a": {cols: map[string]descChange{"x": {"an x", "an X"}}, added: map[string]*Column{"y": {Name: "y"}}}}, []lineShift{{10, 1}}},
		{"a column with tests removed", replace(base, "      - name: id\n        data_tests: [unique]\n", ""),
			map[string]*descEdit{"a": {removed: map[string]string{"id": ""}, tests: true}}, []lineShift{{8, -2}}},
		{"a column with tests added", replace(base, "  - name: b\n", "      - name: y\n        data_tests: [unique]\n  - name: b\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"y": {Name: "y"}}, tests: true}}, []lineShift{{10, 2}}},
		{"a column with a data type and meta added", replace(base, "  - name: b\n", "      - name: y\n        data_type: int\n        meta: {owner: me, n: 2}\n        tags: [t]\n  - name: b\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"y": {Name: "y", DataType: "int", Meta: map[string]any{"owner": "me", "n": 2}, Tags: []string{"t"}}}}}, []lineShift{{10, 4}}},
		{"a column's data type added: rewritten", replace(base, "        description: an x\n", "        description: an x\n        data_type: text\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"x": {Name: "x", Description: "an x", DataType: "text"}}, removed: map[string]string{"x": "an x"}}}, []lineShift{{10, 1}}},
		{"a column with Jinja in its meta added", replace(base, "  - name: b\n", "      - name: y\n        meta: {owner: \"{{ var('o') }}\"}\n  - name: b\n"), nil, nil},
		// base64 of "{{ var('v') }}": decoded, the compile renders it (a review found it patched)
		{"a column with Jinja in a !!binary data type added", replace(base, "  - name: b\n", "      - name: y\n        data_type: !!binary e3sgdmFyKCd2JykgfX0=\n  - name: b\n"), nil, nil},
		{"a column with Jinja in !!binary meta added", replace(base, "  - name: b\n", "      - name: y\n        meta: {o: !!binary e3sgdmFyKCd2JykgfX0=}\n  - name: b\n"), nil, nil},
		{"a column with Jinja in a !!binary tag added", replace(base, "  - name: b\n", "      - name: y\n        tags: [!!binary e3sgdmFyKCd2JykgfX0=]\n  - name: b\n"), nil, nil},
		{"a column with an anchor added", replace(base, "  - name: b\n", "      - name: y\n        meta: &m {owner: me}\n  - name: b\n"), nil, nil},
		{"a column with another key added", replace(base, "  - name: b\n", "      - name: y\n        colour: red\n  - name: b\n"), nil, nil},
		{"a column with tags that are not a list added", replace(base, "  - name: b\n", "      - name: y\n        tags: {a: b}\n  - name: b\n"), nil, nil},
		{"a test's column's data type added", replace(base, "        data_tests: [unique]\n", "        data_tests: [unique]\n        data_type: int\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"id": {Name: "id", DataType: "int"}}, removed: map[string]string{"id": ""}, tests: true}}, []lineShift{{8, 1}}},
		{"a column with Jinja added", replace(base, "  - name: b\n", "      - name: y\n        description: \"{{ var('y') }}\"\n  - name: b\n"), nil, nil},
		{"a column calling a docs block added", replace(base, "  - name: b\n", "      - name: y\n        description: \"{{ doc('y') }}\"\n  - name: b\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"y": {Name: "y", Description: "{{ doc('y') }}"}}}}, []lineShift{{10, 2}}},
		{"a column named as a number added", replace(base, "  - name: b\n", "      - name: 12\n  - name: b\n"), nil, nil},
		{"a column added with another's name", replace(base, "  - name: b\n", "      - name: x\n  - name: b\n"), nil, nil},
		{"columns swapped", replace(base, "      - name: id\n        data_tests: [unique]\n      - name: x\n        description: an x\n",
			"      - name: x\n        description: an x\n      - name: id\n        data_tests: [unique]\n"), nil, nil},
		{"a column added and a test's argument changed", replace(replace(base, "column_name: id", "column_name: x"), "  - name: b\n", "      - name: y\n  - name: b\n"),
			map[string]*descEdit{"a": {added: map[string]*Column{"y": {Name: "y"}}}, "b": {tests: true}}, []lineShift{{10, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := base
			for _, key := range []string{"sources", "seeds", "snapshots", "unit_tests", "exposures"} {
				if strings.Contains(tc.to, key+":") {
					from = base + key + ":\n  - name: s\n"
				}
			}
			got, moved, ok := descriptionEdits([]byte(from), []byte(tc.to))
			if tc.want == nil {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			for name, e := range got {
				assert.Equal(t, e.tests, e.entry != nil, name)
				e.entry = nil // the entry's node in the new text: checked by TestPatchRemakesTests
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.moved, moved)
		})
	}
}

// TestComposeShifts: shifts composed are the two applied one after the
// other, on every line.
func TestComposeShifts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func() []lineShift {
		var out []lineShift
		from := 0
		for range rng.IntN(4) {
			from += 1 + rng.IntN(6)
			out = append(out, lineShift{from, rng.IntN(9) - 4})
		}
		return out
	}
	for range 20000 {
		a, b := random(), random()
		c := composeShifts(a, b)
		for line := 0; line < 40; line++ {
			require.Equal(t, shiftLine(b, shiftLine(a, line)), shiftLine(c, line), "a %v b %v c %v line %d", a, b, c, line)
		}
		for i := 1; i < len(c); i++ {
			require.Less(t, c[i-1].From, c[i].From)
			require.NotEqual(t, c[i-1].Delta, c[i].Delta)
		}
	}
}

// TestPropsEditsUnitTests: a unit_tests: list changed to plain YAML makes
// the file's unit tests again (units); one as it was only moves with the
// other lines; Jinja, anchors, or the key added or removed are no patch.
func TestPropsEditsUnitTests(t *testing.T) {
	const models = "models:\n  - name: a\n    description: the a\n"
	const units = "unit_tests:\n  - name: u\n    model: a\n    given: []\n    expect:\n      rows:\n        - {id: 1}\n"
	replace := func(s, old, new string) string { return strings.Replace(s, old, new, 1) }
	for _, tc := range []struct {
		name, from, to string
		units, ok      bool
		moved          []lineShift
	}{
		{"nothing", units + models, units + models, false, true, nil},
		{"a row edited", units + models, replace(units, "id: 1", "id: 2") + models, true, true, nil},
		{"a row added: the model's lines move", units + models, replace(units, "        - {id: 1}\n", "        - {id: 1}\n        - {id: 2}\n") + models, true, true, []lineShift{{8, 1}}},
		{"moved, as they were", units + models, "# hi\n" + units + models, false, true, []lineShift{{1, 1}}},
		{"the description above them grows over lines", models + units, replace(models, "the a\n", ">\n      the a,\n      longer\n") + units, false, true, []lineShift{{4, 2}}},
		{"Jinja in a row", units + models, replace(units, "id: 1", "id: \"{{ 1 }}\"") + models, false, false, nil},
		{"an anchor", units + models, replace(units, "rows:\n", "rows: &r\n") + models, false, false, nil},
		{"the key added", models, models + units, false, false, nil},
		{"the key removed", units + models, models, false, false, nil},
		{"no longer a list", units + models, "unit_tests: {}\n" + models, false, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, moved, units, ok := propsEdits([]byte(tc.from), []byte(tc.to))
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.units, units)
			assert.Equal(t, tc.moved, moved)
		})
	}
}

// TestPatchInertKeys: the keys of a properties file the compile reads
// nothing of (exposures, the semantic layer's, macros' and analyses'
// properties...) edited, with lines moved or a model's description in the
// same save, in a file of their own added or removed, are patched. An
// empty entry in one (the cold compile fails) and an anchor another key
// reads compile whole.
func TestPatchInertKeys(t *testing.T) {
	exposures := func(desc string, extra string) string {
		return "exposures:\n  - name: board\n    type: dashboard\n    description: " + desc + "\n" + extra +
			"    depends_on:\n      - ref('b')\n    owner: {name: Ann, email: ann@example.com}\n"
	}
	props := func(exp, bdesc string) string {
		return "version: 2\n" + exp + "models:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        tests: [unique]\n" +
			"  - name: b\n    description: " + bdesc + "\n" +
			"semantic_models:\n  - name: orders\n    model: ref('b')\n    entities:\n      - name: id\n        type: primary\n" +
			"metrics:\n  - name: n\n    type: simple\n    type_params: {measure: n}\n"
	}
	semantic := "semantic_models:\n  - name: orders\n    model: ref('b')\n    entities:\n      - name: id\n        type: primary\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: inert\nversion: \"1.0.0\"\n",
			"models/a.sql": "select 1 as id\n", "models/b.sql": "select * from {{ ref('a') }}\n",
			"analyses/q.sql": "select * from {{ ref('b') }}\n",
			"models/_p.yml":  props(exposures("the board", ""), "the b")}},
		{name: "an exposure's description", patched: true, files: map[string]string{"models/_p.yml": props(exposures("the board, edited", ""), "the b")}},
		{name: "lines added above the models, and b's description", patched: true, files: map[string]string{
			"models/_p.yml": props(exposures("the board", "    url: https://example.com/board\n    maturity: high\n"), "the b, edited")}},
		{name: "a metric edited", patched: true, files: map[string]string{
			"models/_p.yml": strings.Replace(props(exposures("the board", "    url: https://example.com/board\n    maturity: high\n"), "the b, edited"), "measure: n}", "measure: m}", 1)}},
		// analyses: is read (an analysis's description and columns): an
		// edit of it compiles the whole project
		{name: "a file of analyses' properties added", files: map[string]string{
			"models/_a.yml": "version: 2\nanalyses:\n  - name: q\n    description: a query\n    columns:\n      - name: id\n"}},
		{name: "an empty column in it", coldFails: true, files: map[string]string{
			"models/_a.yml": "version: 2\nanalyses:\n  - name: q\n    description: a query\n    columns:\n      -\n"}},
		{name: "fixed (as the snapshot has it)", patched: true, files: map[string]string{
			"models/_a.yml": "version: 2\nanalyses:\n  - name: q\n    description: a query\n    columns:\n      - name: id\n"}},
		{name: "it removed", remove: []string{"models/_a.yml"}},
		{name: "a file of the semantic layer added", patched: true, files: map[string]string{"models/_sl.yml": "version: 2\n" + semantic}},
		{name: "an anchor b's description reads", files: map[string]string{
			"models/_p.yml": "version: 2\nexposures:\n  - name: board\n    description: &d the board\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        tests: [unique]\n  - name: b\n    description: *d\n"}},
		{name: "the anchor's text edited", files: map[string]string{
			"models/_p.yml": "version: 2\nexposures:\n  - name: board\n    description: &d the board, edited\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        tests: [unique]\n  - name: b\n    description: *d\n"}},
		{name: "the file of the semantic layer edited", patched: true, files: map[string]string{"models/_sl.yml": "version: 2\n" + strings.Replace(semantic, "primary", "foreign", 1)}},
		{name: "back to no anchor", files: map[string]string{"models/_p.yml": props("", "the b")}},
		{name: "exposures added above the models", patched: true, files: map[string]string{"models/_p.yml": props(exposures("new", "    maturity: low\n"), "the b")}},
		{name: "and removed, with b's description", patched: true, files: map[string]string{"models/_p.yml": props("", "the b, again")}},
		{name: "a key twice", coldFails: true, files: map[string]string{"models/_p.yml": props(exposures("one", ""), "the b, again") + exposures("two", "")}},
		{name: "once", patched: true, files: map[string]string{"models/_p.yml": props("", "the b, again") + exposures("two", "")}},
	})
}

// TestPatchContractAfterColumnEdits: columns added, removed or put back
// in another place in a model's YAML entry are patched (the node index
// keeps the columns' old places: only an enforced contract reads them);
// its config() enforcing a contract afterwards compiles whole, which
// gives the contract its columns in their YAML order (found by review:
// patched, the contract's table was built in the index's order).
func TestPatchContractAfterColumnEdits(t *testing.T) {
	cols := func(names ...string) string {
		s := "version: 2\nmodels:\n  - name: m\n    columns:\n"
		for _, n := range names {
			s += "      - name: " + n + "\n        data_type: " + map[string]string{"id": "integer", "name": "varchar", "amount": "double"}[n] + "\n"
		}
		return s
	}
	const plain, enforced = "{{ config(materialized='table') }}\nselect 1 as id, 'x' as name\n",
		"{{ config(materialized='table', contract={'enforced': true}) }}\nselect 1 as id, 'x' as name\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: ct\nversion: \"1.0.0\"\n", "models/m.sql": plain, "models/_p.yml": cols("id")}},
		{name: "a column added before id", patched: true, files: map[string]string{"models/_p.yml": cols("name", "id")}},
		{name: "the contract enforced", files: map[string]string{"models/m.sql": enforced}},
		{name: "not enforced", patched: true, files: map[string]string{"models/m.sql": plain}},
		{name: "name removed", patched: true, files: map[string]string{"models/_p.yml": cols("id")}},
		{name: "and added back after id", patched: true, files: map[string]string{"models/_p.yml": cols("id", "name")}},
		{name: "enforced again", files: map[string]string{"models/m.sql": enforced}},
		{name: "its columns then (refused)", files: map[string]string{"models/_p.yml": cols("name", "id")}},
		{name: "its SQL then", patched: true, files: map[string]string{"models/m.sql": strings.Replace(enforced, "'x'", "'y'", 1)}},
	})
}

// TestPatchKeyTwice: a properties file with a top-level key twice (of one
// kind and value, whatever its tag or anchor) fails the cold compile's
// YAML decoder, and the patch refuses it: a new file of inert keys, of
// models, with a new model file, and an existing file whose tagged or
// anchored key is written again plainly (found by review).
func TestPatchKeyTwice(t *testing.T) {
	const base = "version: 2\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: twice\nversion: \"1.0.0\"\n",
			"models/a.sql": "select 1 as id\n", "models/b.sql": "select * from {{ ref('a') }}\n", "models/_p.yml": base}},
		{name: "a new file, exposures twice", coldFails: true, files: map[string]string{"models/_x.yml": "version: 2\nexposures:\n  - name: e\nexposures:\n  - name: f\n"}},
		{name: "version twice", coldFails: true, files: map[string]string{"models/_x.yml": "version: 2\nversion: 2\nexposures:\n  - name: e\n"}},
		{name: "models twice", coldFails: true, files: map[string]string{"models/_x.yml": "version: 2\nmodels: []\nmodels: []\n"}},
		{name: "once", patched: true, files: map[string]string{"models/_x.yml": "version: 2\nexposures:\n  - name: e\n"}},
		{name: "a new model, its file's version twice", coldFails: true, files: map[string]string{"models/c.sql": "select 2 as id\n",
			"models/_c.yml": "version: 2\nversion: 2\nmodels:\n  - name: c\n    description: c\n"}},
		{name: "once too", patched: true, files: map[string]string{"models/_c.yml": "version: 2\nmodels:\n  - name: c\n    description: c\n"}},
		{name: "a tagged key", files: map[string]string{"models/_p.yml": base + "!x exposures:\n  - name: e\n"}},
		{name: "and plainly again", coldFails: true, files: map[string]string{"models/_p.yml": base + "!x exposures:\n  - name: e\nexposures:\n  - name: f\n"}},
		{name: "an anchored key", files: map[string]string{"models/_p.yml": base + "&k exposures:\n  - name: e\n"}},
		{name: "and plainly again, too", coldFails: true, files: map[string]string{"models/_p.yml": base + "&k exposures:\n  - name: e\nexposures:\n  - name: f\n"}},
	})
}
