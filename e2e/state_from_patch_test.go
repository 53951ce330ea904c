package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// stateProject is chainProject with what every kind of state:modified
// compares: a macro m3 calls, a model whose descriptions are persisted
// (m2), one with an enforced contract (ct), and m1's var; without gh,
// whose hook reads graph (a selection of it compiles the whole project).
func stateProject(t testing.TB) string {
	dir := chainProject(t)
	require.NoError(t, os.Remove(filepath.Join(dir, "models/gh.sql")))
	writeFile(t, dir, "macros/label.sql", "{% macro label(x) %}'{{ x }}'{% endmacro %}\n")
	writeFile(t, dir, "models/m3.sql", "select id, {{ label('three') }} as l from {{ ref('m4') }}\n")
	writeFile(t, dir, "models/ct.sql", "{{ config(materialized='table') }}\nselect cast(1 as integer) as id\n")
	writeFile(t, dir, "models/_more.yml", `version: 2
models:
  - name: m2
    description: two
    config:
      persist_docs: {relation: true, columns: true}
    columns:
      - name: id
        description: the id
  - name: ct
    config:
      contract: {enforced: true}
      meta:
        owner: "{{ 'a' }}"
    columns:
      - name: id
        data_type: integer
`)
	return dir
}

// state: selectors select from the patch snapshot (Patched.WithState):
// after each kind of edit, every state: method lists what a whole compile
// lists, `mart diff` and `mart clone` of it do what the whole compile's
// do, a deferred build of state:modified+ (the pull-request job) runs what
// the whole compile's runs, and each loads from the snapshot.
func TestStateSelectorFromPatchMatchesWholeCompile(t *testing.T) {
	t.Parallel() // (a long comparison: it overlaps the others; see TestMain)
	light, whole := stateProject(t), stateProject(t)
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
		for _, f := range []string{"manifest.json", "mart.duckdb"} {
			writeFile(t, dir, filepath.Join("prod-state", f), readFile(t, dir, filepath.Join("target", f)))
		}
	}
	// each edit is undone after its round, and the round after it checks
	// that: every kind of modification is alone in its round
	selectors := []string{"state:modified", "state:modified+", "state:new", "state:old", "state:unmodified",
		"state:modified.body", "state:modified.configs", "state:modified.macros", "state:modified.vars",
		"state:modified.contract", "state:modified.persisted_descriptions", "state:modified.relation",
		"state:modified,config.materialized:view", "state:old --exclude state:modified+"}
	type edit struct{ file, old, new string } // old "": the file is new; new "": it is removed
	steps := []struct {
		name  string
		edits []edit
		args  []string // given to every command of the round
	}{
		{"unchanged", nil, nil},
		{"body", []edit{{"models/m2.sql", "{{ ref('m3') }}\n", "{{ ref('m3') }} -- edited\n"}}, nil},
		{"macro", []edit{{"macros/label.sql", "'{{ x }}'", "upper('{{ x }}')"}}, nil},
		{"vars", nil, []string{"--vars", "{label: other}"}},
		{"config", []edit{{"models/_models.yml", "config: {factor: 2}", "config: {factor: 3}"}}, nil},
		// the same value from another template: unrendered_config differs
		{"unrendered config", []edit{{"models/_more.yml", `owner: "{{ 'a' }}"`, `owner: "{{ 'a' ~ '' }}"`}}, nil},
		{"description", []edit{{"models/_more.yml", "description: two", "description: deux"}}, nil},
		{"column description", []edit{{"models/_more.yml", "description: the id", "description: its id"}}, nil},
		{"contract", []edit{{"models/_more.yml", "data_type: integer", "data_type: bigint"}}, nil},
		// its text differs, not what is compared (types are compared in
		// lower case): decoded on both sides, not modified
		{"contract type's case", []edit{{"models/_more.yml", "data_type: integer", "data_type: INTEGER"}}, nil},
		{"relation", []edit{{"models/_alias.yml", "", "version: 2\nmodels:\n  - name: m3\n    config: {alias: m3x}\n"}}, nil},
		// its fqn moves (dbt's same_fqn)
		{"moved", []edit{{"models/m2.sql", "select", ""}, {"models/sub/m2.sql", "", "select id from {{ ref('m3') }}\n"}}, nil},
		{"new", []edit{{"models/m5.sql", "", "select id from {{ ref('m2') }}\n"}}, nil},
		{"removed", []edit{{"models/z.sql", "select", ""}}, nil},
		{"disabled", []edit{{"models/ct.sql", "materialized='table'", "materialized='table', enabled=false"}}, nil},
	}
	apply := func(edits []edit, undo bool) {
		for _, e := range edits {
			old, new := e.old, e.new
			if undo {
				old, new = new, old
			}
			for _, dir := range []string{light, whole} {
				f := filepath.Join(dir, e.file)
				switch {
				case old == "" && !undo || new == "" && undo && e.old == "":
					if new == "" {
						require.NoError(t, os.Remove(f))
					} else {
						writeFile(t, dir, e.file, new)
					}
				case new == "" && !undo: // removed: kept aside
					require.NoError(t, os.Rename(f, f+".away"))
				case undo && e.new == "":
					require.NoError(t, os.Rename(f+".away", f))
				default:
					text := readFile(t, dir, e.file)
					require.Contains(t, text, old, e.file)
					writeFile(t, dir, e.file, strings.Replace(text, old, new, 1))
				}
			}
		}
	}
	loaded, lists, builds := 0, 0, 0
	round := 0
	check := func(name string, args []string, sels []string) {
		// ls writes nothing: a compile first, for it to load from the
		// snapshot the compile patches
		sameAsWhole(t, round, light, whole, append([]string{"compile"}, args...), nil)
		for _, sel := range sels {
			lists++
			if sameAsWhole(t, round, light, whole, append(append([]string{"ls", "--state", "prod-state"}, selectArgs(sel)...), args...), nil) {
				loaded++
			}
		}
		// diff (state:modified by default) and clone read the selection
		// without writing target/: they load from the snapshot as ls does
		for _, cmd := range [][]string{{"diff", "--state", "prod-state"}, {"clone", "--select", "state:modified", "--state", "prod-state"}} {
			lists++
			if sameAsWhole(t, round, light, whole, append(cmd, args...), nil) {
				loaded++
			}
		}
		build := append([]string{"build", "--threads", "1", "--select", "state:modified+", "--defer", "--state", "prod-state"}, args...)
		what := fmt.Sprintf("%s: mart %s", name, strings.Join(build, " "))
		if sameAsWhole(t, round, light, whole, build, nil) {
			builds++
		}
		require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
		round++
	}
	for _, step := range steps {
		apply(step.edits, false)
		check(step.name, step.args, selectors)
		apply(step.edits, true)
		check(step.name+" undone", nil, selectors[:2])
	}
	require.Equal(t, lists, loaded, "listings loaded from the snapshot")
	require.Equal(t, round, builds, "builds loaded from the snapshot")
	require.Equal(t, tables(t, whole), tables(t, light))
}

// A config value, description or column description that is not UTF-8
// (a Latin-1 file) is written to manifest.json as U+FFFD: state:
// compares the compile's values as JSON holds them, so such a node is not
// modified against its own manifest (it always was, compiled whole), and
// an edit of the text is, from the snapshot and compiled whole alike
// (found by review).
func TestStateNotUTF8(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: p\n")
	writeFile(t, dir, "models/a.sql", "{{ config(meta={'note': 'caf\xe9'}) }}\nselect 1 as id\n")
	writeFile(t, dir, "models/b.sql", "select 1 as id\n")
	docs := "{% docs bdoc %}caf\xe9{% enddocs %}\n{% docs cdoc %}l\xe0{% enddocs %}\n"
	writeFile(t, dir, "models/docs.md", docs)
	writeFile(t, dir, "models/_m.yml", "version: 2\nmodels:\n  - name: b\n    description: \"{{ doc('bdoc') }}\"\n"+
		"    config: {persist_docs: {relation: true, columns: true}}\n    columns:\n      - name: id\n        description: \"{{ doc('cdoc') }}\"\n")
	require.Equal(t, 0, mart(t, dir, "compile").Code)
	writeFile(t, dir, "prod/manifest.json", readFile(t, dir, "target/manifest.json"))
	ls := func(want string) {
		t.Helper()
		for _, extra := range [][]string{nil, {"--no-partial-parse"}} {
			r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, append([]string{"ls", "--select", "state:modified", "--state", "prod", "--output", "name"}, extra...)...)
			require.Equal(t, 0, r.Code, r.String())
			require.Equal(t, want, r.Stdout, "%v", extra)
			if extra == nil && want != "a\n" { // (a's config is not JSON's: a's run compiles whole)
				require.Regexp(t, loadedFromPatch, r.Stderr)
			}
		}
	}
	ls("")
	for _, edit := range []struct{ old, new, want string }{
		{"l\xe0", "l\xe8", ""}, // both bytes are U+FFFD in JSON: the same text
		{"l\xe0", "l\xe0!", "b\n"},
		{"caf\xe9", "caf\xe9!", "b\n"},
	} {
		writeFile(t, dir, "models/docs.md", strings.Replace(docs, edit.old, edit.new, 1))
		require.Equal(t, 0, mart(t, dir, "compile").Code)
		ls(edit.want)
	}
	writeFile(t, dir, "models/docs.md", docs)
	writeFile(t, dir, "models/a.sql", "{{ config(meta={'note': 'caf\xe9!'}) }}\nselect 1 as id\n")
	require.Equal(t, 0, mart(t, dir, "compile").Code)
	ls("a\n")
}

// A source whose freshness check or loaded_at_field changed is
// state:modified, as dbt compares them (same_freshness), from the
// snapshot and compiled whole alike (it was not; found by review).
func TestStateModifiedSourceFreshness(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: p\n")
	writeFile(t, dir, "models/a.sql", "select * from {{ source('raw', 'ids') }}\n")
	props := `version: 2
sources:
  - name: raw
    schema: main
    freshness: {warn_after: {count: 1, period: day}}
    tables:
      - name: ids
        loaded_at_field: at
      - name: other
`
	writeFile(t, dir, "models/_sources.yml", props)
	require.Equal(t, 0, mart(t, dir, "compile").Code)
	writeFile(t, dir, "prod/manifest.json", readFile(t, dir, "target/manifest.json"))
	ls := func(want string) {
		t.Helper()
		listState(t, dir, "state:modified", "name", want, want != "")
	}
	ls("")
	writeFile(t, dir, "models/_sources.yml", strings.Replace(props, "loaded_at_field: at", "loaded_at_field: loaded", 1))
	ls("raw.ids\n")
	writeFile(t, dir, "models/_sources.yml", strings.Replace(props, "count: 1", "count: 2", 1))
	ls("raw.ids\nraw.other\n")
	writeFile(t, dir, "models/_sources.yml", props)
	ls("")
}

// state:modified compares what dbt's does besides a node's own text and
// config: its fqn (a model moved to another folder), a versioned
// model's latest_version, and a source's relation, which is
// state:modified.relation, not .body (a source has none). From the
// snapshot and compiled whole alike.
func TestStateModifiedFQNVersionAndSourceRelation(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: p\n")
	writeFile(t, dir, "models/a/m.sql", "select 1 as id\n")
	writeFile(t, dir, "models/r.sql", "select * from {{ source('raw', 'ids') }}\n")
	writeFile(t, dir, "models/v_v1.sql", "select 1 as id\n")
	writeFile(t, dir, "models/v_v2.sql", "select 2 as id\n")
	props := `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: ids
models:
  - name: v
    latest_version: 1
    versions:
      - v: 1
      - v: 2
`
	writeFile(t, dir, "models/_props.yml", props)
	require.Equal(t, 0, mart(t, dir, "compile").Code)
	writeFile(t, dir, "prod/manifest.json", readFile(t, dir, "target/manifest.json"))
	ls := func(method, want string) {
		t.Helper()
		listState(t, dir, method, "path", want, true)
	}
	ls("state:modified", "")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "models/b"), 0o755))
	require.NoError(t, os.Rename(filepath.Join(dir, "models/a/m.sql"), filepath.Join(dir, "models/b/m.sql")))
	ls("state:modified", "models/b/m.sql\n")
	ls("state:modified.body", "")
	require.NoError(t, os.Rename(filepath.Join(dir, "models/b/m.sql"), filepath.Join(dir, "models/a/m.sql")))
	ls("state:modified", "")
	writeFile(t, dir, "models/_props.yml", strings.Replace(props, "latest_version: 1", "latest_version: 2", 1))
	ls("state:modified", "models/v_v1.sql\nmodels/v_v2.sql\n")
	writeFile(t, dir, "models/_props.yml", strings.Replace(props, "schema: main", "schema: other", 1))
	ls("state:modified", "models/_props.yml\n")
	ls("state:modified.relation", "models/_props.yml\n")
	ls("state:modified.body", "")
	writeFile(t, dir, "models/_props.yml", props)
	ls("state:modified", "")
}

// listState compiles dir, then lists a state: selection of it against
// prod/ from the patch snapshot and compiled whole: both list want, and
// the first loads from the snapshot when fromPatch.
func listState(t *testing.T, dir, method, output, want string, fromPatch bool) {
	t.Helper()
	require.Equal(t, 0, mart(t, dir, "compile").Code)
	for _, extra := range [][]string{nil, {"--no-partial-parse"}} {
		r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, append([]string{"ls", "--select", method, "--state", "prod", "--output", output}, extra...)...)
		require.Equal(t, 0, r.Code, r.String())
		require.Equal(t, want, r.Stdout, "%s %v", method, extra)
		if extra == nil && fromPatch {
			require.Regexp(t, loadedFromPatch, r.Stderr)
		}
	}
}

// An enforced contract's constraints, and its materialization where it
// enforces them (a table), are state:modified.contract, as dbt's contract
// checksum has them: a not_null added to a column was not a modification
// at all. From the snapshot and compiled whole alike.
func TestStateModifiedContractConstraints(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: p\n")
	writeFile(t, dir, "models/ct.sql", "select cast(1 as integer) as id\n")
	props := func(col, model, mat string) string {
		return "version: 2\nmodels:\n  - name: ct\n    config:\n      materialized: " + mat + "\n      contract: {enforced: true}\n" + model +
			"    columns:\n      - name: id\n        data_type: integer\n" + col
	}
	writeFile(t, dir, "models/_p.yml", props("", "", "table"))
	require.Equal(t, 0, mart(t, dir, "compile").Code)
	writeFile(t, dir, "prod/manifest.json", readFile(t, dir, "target/manifest.json"))
	for _, c := range []struct{ col, model, mat, want string }{
		{"", "", "table", ""},
		{"        constraints: [{type: not_null}]\n", "", "table", "models/ct.sql\n"},
		{"", "    constraints: [{type: primary_key, columns: [id]}]\n", "table", "models/ct.sql\n"},
		{"", "", "view", "models/ct.sql\n"},
		{"", "", "table", ""},
	} {
		writeFile(t, dir, "models/_p.yml", props(c.col, c.model, c.mat))
		listState(t, dir, "state:modified.contract", "path", c.want, c.want != "")
	}
	// a state whose node has constraints: read from its entry, the same
	writeFile(t, dir, "models/_p.yml", props("        constraints: [{type: not_null}]\n", "    constraints: [{type: primary_key, columns: [id]}]\n", "table"))
	require.Equal(t, 0, mart(t, dir, "compile").Code)
	writeFile(t, dir, "prod/manifest.json", readFile(t, dir, "target/manifest.json"))
	listState(t, dir, "state:modified", "path", "", false)
}
