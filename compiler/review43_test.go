package compiler

import (
	"fmt"
	"strings"
	"testing"
)

// Review 43: YAML properties files as teams write them, edited in ways
// the splice and patch code may not expect, each compile compared with
// a cold one (runPatchSteps). What earlier reviews covered (variants,
// snapshot blocks, packages, toggles, ephemeral models, seeds' CSV,
// symlinks, the output side) is not repeated.
//
// Failing at the time of the review: an edit of a docs block (.md) is
// patched while a description that reads the block keeps its old text
// (compiler/patchdocs.go, docsEdit.descEdits and docDescEdits look for
// doc() calls by "{{" and "doc" in the text, where the compile renders
// every description descJinja says is a template, from its decoded
// value: renderDescription):
//   - TestReview43DocsBlockEscapedCall/{x_escape,u_escape,
//     escaped_line_break}: the description is "\x7B{ doc('the_a') }}"
//     (or "{\u007B ...", or "{\" and "{" over two lines): YAML decodes
//     it to a doc() call, the file's bytes have no "{{", and descEdits
//     skips the file (`!bytes.Contains(text, []byte("{{"))`): the block
//     edited, the model keeps the old text.
//   - TestReview43DocsBlockVersionedEscapedCall/escaped_call_in_a_version:
//     a version's description (versions:, rendered by versions.go, which
//     docDescEdits does not read) calls "{{ \x64oc('the_d') }}": the
//     guard that refuses a versioned model's file looks for the bytes
//     "doc" (`bytes.Contains(text, []byte("doc"))`), which it lacks;
//     model.rc.d.v1 keeps the old text.
//   - TestReview43DocsBlockReadByStatement/{a_statement_alone,
//     a_statement_alone,_b_calling_the_block,an_analysis's,
//     a_singular_test's}: a description "{% if doc('the_a') == ... %}"
//     has no "{{": descEdits skips a file without one, and docDescEdits'
//     desc() skips a description without one (`!strings.Contains(d,
//     "{{")`, where renderDescription renders "{%" and "{#" too): a
//     model's, an analysis's or a singular test's description keeps
//     the branch the old block took ("same" where cold says "changed");
//     the subtest with b calling the block has "{{" in the file, so it
//     is desc()'s check alone.
//   - TestReview43DocsBlockRemovedWhileCalled/{x_escape,a_statement_alone}:
//     the same, with the block removed: the cold compile fails
//     (doc("the_a") not found) and the patch compiles.
// Their controls (a plain "{{ doc(...) }}" call, a statement beside an
// expression, a call in the entry of a versioned model) pass.
//
// Passing (warm equal to cold, patched or not): descriptions as block
// scalars of every style and chomping (|, >-, |+ at the end of the
// file, |2), multi-line plain and quoted scalars, escapes, single-quote
// doubling, HTML characters, U+2028, control characters, invalid UTF-8,
// emoji, in models, columns, sources, tables, seeds and entries spliced
// through the node index; CRLF, lone CR, NEL/LS/PS, a BOM (at the start
// and mid-file), ---/..., a second document, tabs, no final newline;
// flow style, quoted keys, indentation 0/2/4; keys and entries written
// twice and YAML broken in many ways (the cold compile fails, the patch
// refuses); a model described in two files, entries moved and renamed,
// two files or YAML and SQL in one save; sources' own keys (meta, tags,
// config, quoting, loaded_at_field, freshness, identifier, templated
// schema and database) and their tables' tests; columns (quote,
// capitals, spaces, data_type, constraints, contracts), tags and meta
// that tests may take; entry keys (deprecation_date in each form,
// docs, access, group), typed config values; unit tests (dict, CSV and
// SQL rows, inputs and models edited, errors); YAML snapshots beside
// models; versioned models; inert keys (exposures, the semantic layer,
// macros, groups); docs blocks edited, added, renamed, moved, removed
// with the YAML calling them, in every folder, of odd text, called from
// unit tests, analyses, singular tests, YAML snapshots; descriptions
// reading vars, env vars, Jinja comments, graph; entries the compile
// warns about; lines shifted by patches, then entries left dangling;
// properties files of other names and places.

const r43Proj = "name: rc\nversion: \"1.0.0\"\n"

// r43Base is a project of two models described in models/_s.yml (yml).
func r43Base(yml string, kv ...string) map[string]string {
	return withFiles(withFiles(nil, "mart.yml", r43Proj,
		"models/a.sql", "select 1 as id, 2 as x\n",
		"models/b.sql", "select id from {{ ref('a') }}\n",
		"models/_s.yml", yml), kv...)
}

// r43Steps is one step per text of models/_s.yml after the first.
func r43Steps(t *testing.T, texts ...string) {
	t.Helper()
	steps := []patchStep{{name: "cold", files: r43Base(texts[0])}}
	for i, s := range texts[1:] {
		steps = append(steps, patchStep{name: "edit " + string(rune('A'+i)), any: true, files: withFiles(nil, "models/_s.yml", s)})
	}
	runPatchSteps(t, steps)
}

func r43Models(aDesc, rest string) string {
	return "version: 2\nmodels:\n  - name: a\n    description: " + aDesc + "\n    columns:\n      - name: id\n        description: the id\n" +
		"  - name: b\n    description: the b\n" + rest
}

// TestReview43BlockScalars: descriptions as block scalars of each style,
// edited.
func TestReview43BlockScalars(t *testing.T) {
	r43Steps(t,
		r43Models("plain", ""),
		r43Models("|\n      one\n      two", ""),
		r43Models("|\n      one\n      two\n\n", ""),
		r43Models(">-\n      one\n      two", ""),
		r43Models(">\n      one\n\n      two", ""),
		r43Models("|+\n      one\n\n", ""),
		r43Models("|+\n      one\n\n\n\n", ""),
		r43Models("|2\n        indented\n      less", ""),
		r43Models("|-\n      one\n      # not a comment", ""),
		r43Models("one\n      two\n\n      three", ""),
		r43Models("\"one\n      two\\\n      three\"", ""),
		r43Models("'it''s\n      two'", ""),
		r43Models("plain", ""),
	)
}

// TestReview43KeepChompAtEnd: the last entry's description keeps its
// trailing newlines (|+): blank lines added at the end of the file are
// its value.
func TestReview43KeepChompAtEnd(t *testing.T) {
	last := func(desc string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n  - name: b\n    description: " + desc
	}
	r43Steps(t,
		last("|+\n      one\n"),
		last("|+\n      one\n\n"),
		last("|+\n      one\n\n\n"),
		last("|+\n      one"),
		last("|\n      one"),
		last("|\n      one\n"),
		last("\"no final newline\""),
		last("\"no final newline, edited\""),
		last("\"a final newline\"\n"),
	)
}

// TestReview43DescriptionEscapes: descriptions whose text JSON escapes
// (HTML characters, line separators, control characters, invalid UTF-8
// from a \x escape, emoji).
func TestReview43DescriptionEscapes(t *testing.T) {
	r43Steps(t,
		r43Models("plain", ""),
		r43Models(`"<b>bold</b> & co"`, ""),
		r43Models(`"line\u2028sep\u2029para"`, ""),
		r43Models(`"tab\there, bell\a, nul\0, del\x7f"`, ""),
		r43Models(`"caf\xe9"`, ""),
		r43Models(`"emoji 🎉 and \U0001F600"`, ""),
		r43Models(`'quote "double" and \ backslash'`, ""),
		r43Models(`"\N\_\L\P"`, ""),
		r43Models("plain", ""),
	)
}

// TestReview43LineEndsAndMarks: a properties file with CRLF line ends, a
// byte order mark, a document start and end, tabs in values, no final
// newline; its descriptions edited and lines moved.
func TestReview43LineEndsAndMarks(t *testing.T) {
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	r43Steps(t,
		crlf(r43Models("plain", "")),
		crlf(r43Models("plain, edited", "")),
		crlf(r43Models("|\n      two\n      lines", "")),
		r43Models("|\n      two\n      lines", ""),
		"\ufeff"+r43Models("|\n      two\n      lines", ""),
		"\ufeff"+r43Models("bom, edited", ""),
		"---\n"+r43Models("bom, edited", ""),
		"---\n"+r43Models("started", "...\n"),
		"# top\n---\n"+r43Models("started, edited", "...\n"),
		r43Models("\"tab\there\"", ""),
		strings.TrimSuffix(r43Models("tab\there", ""), "\n"),
		strings.TrimSuffix(r43Models("no newline, edited", ""), "\n"),
		crlf(strings.TrimSuffix(r43Models("|\n      crlf\n      block", ""), "\n")),
	)
}

// TestReview43SecondDocument: a second YAML document in a properties
// file, added and edited.
func TestReview43SecondDocument(t *testing.T) {
	second := "---\nmodels:\n  - name: b\n    description: in the second\n"
	r43Steps(t,
		r43Models("plain", ""),
		r43Models("plain", second),
		r43Models("plain", strings.Replace(second, "in the second", "edited there", 1)),
		r43Models("plain, edited", strings.Replace(second, "in the second", "edited there", 1)),
		r43Models("plain, edited", "---\nmodels:\n  - name: b\n    config: {materialized: table}\n"),
		r43Models("plain, edited", "---\nnot: [valid\n"),
		r43Models("plain", ""),
	)
}

// TestReview43FlowStyle: columns and tests in flow style, entries as
// flow mappings, the whole file in flow style, keys quoted.
func TestReview43FlowStyle(t *testing.T) {
	flow := func(aDesc, idDesc, tests string) string {
		return "version: 2\nmodels:\n  - {name: a, description: " + aDesc + ", columns: [{name: id, description: " + idDesc + ", data_tests: [" + tests + "]}, {name: x}]}\n" +
			"  - name: b\n    description: the b\n"
	}
	r43Steps(t,
		flow("the a", "the id", "unique"),
		flow("\"the a, edited\"", "the id", "unique"),
		flow("\"the a, edited\"", "'the id, edited'", "unique"),
		flow("\"the a, edited\"", "'the id, edited'", "unique, not_null"),
		strings.Replace(flow("\"the a, edited\"", "'the id, edited'", "unique, not_null"), "{name: x}", "{name: x, description: ex}", 1),
		strings.Replace(flow("\"the a, edited\"", "'the id, edited'", "unique, not_null"), "{name: x}", "{name: y, description: why}", 1),
		"{version: 2, models: [{name: a, description: flowing}, {name: b, description: the b}]}\n",
		"{version: 2, models: [{name: a, description: flowing on}, {name: b, description: the b}]}\n",
		"\"version\": 2\n\"models\":\n  - \"name\": a\n    \"description\": quoted keys\n  - 'name': b\n    'description': the b\n",
		"\"version\": 2\n\"models\":\n  - \"name\": a\n    \"description\": quoted keys, edited\n  - 'name': b\n    'description': the b\n",
		"\"version\": 2\n\"models\":\n  - \"name\": a\n    \"description\": quoted keys, edited\n    \"columns\":\n      - \"name\": \"id\"\n        \"description\": \"an id\"\n  - 'name': b\n    'description': the b\n",
	)
}

// TestReview43Indentation: entries indented 0, 2 and 4 under models:,
// and re-indented with nothing else changed.
func TestReview43Indentation(t *testing.T) {
	ind := func(pad, desc string) string {
		return "version: 2\nmodels:\n" + pad + "- name: a\n" + pad + "  description: " + desc + "\n" + pad + "  columns:\n" + pad + "  - name: id\n" + pad + "    description: the id\n" +
			pad + "- name: b\n" + pad + "  description: the b\n"
	}
	r43Steps(t,
		ind("", "zero"),
		ind("", "zero, edited"),
		ind("  ", "zero, edited"),
		ind("    ", "four"),
		ind("    ", "four, edited"),
		ind("", "four, edited"),
	)
}

// TestReview43KeysTwice: an edit that writes a key twice in an entry
// (the YAML decoder fails), or an entry twice: the cold compile fails,
// and the patch must refuse it.
func TestReview43KeysTwice(t *testing.T) {
	idCol := "        description: the id\n"
	units := func(rows string) string {
		return "unit_tests:\n  - name: u\n    model: b\n    given:\n      - input: ref('a')\n        rows: " + rows + "\n    expect:\n      rows: [{id: 1}]\n"
	}
	src := func(table string) string {
		return "sources:\n  - name: s\n    tables:\n      - name: t\n" + table
	}
	for _, c := range []struct{ name, base, broken string }{
		{"model tests", r43Models("x", "    tests: [unique]\n"), r43Models("x", "    tests: [unique]\n    tests: [not_null]\n")},
		{"model tests and data_tests", r43Models("x", "    data_tests: [unique]\n"), r43Models("x", "    data_tests: [unique]\n    tests: [not_null]\n")},
		{"column data_tests", strings.Replace(r43Models("x", ""), idCol, idCol+"        data_tests: [unique]\n", 1),
			strings.Replace(r43Models("x", ""), idCol, idCol+"        data_tests: [unique]\n        data_tests: [not_null]\n", 1)},
		{"column tests and data_tests", strings.Replace(r43Models("x", ""), idCol, idCol+"        data_tests: [unique]\n", 1),
			strings.Replace(r43Models("x", ""), idCol, idCol+"        data_tests: [unique]\n        tests: [not_null]\n", 1)},
		{"column name", r43Models("x", ""), strings.Replace(r43Models("x", ""), idCol, idCol+"        name: x\n", 1)},
		{"column description", r43Models("x", ""), strings.Replace(r43Models("x", ""), idCol, idCol+"        description: again\n", 1)},
		{"model description", r43Models("x", ""), r43Models("x", "    description: again\n")},
		{"model config", r43Models("x", "    config: {materialized: table}\n"), r43Models("x", "    config: {materialized: table}\n    config: {materialized: view}\n")},
		{"model meta", r43Models("x", "    meta: {a: 1}\n"), r43Models("x", "    meta: {a: 1}\n    meta: {a: 2}\n")},
		{"model entry", r43Models("x", ""), r43Models("x", "  - name: b\n    description: twice\n")},
		{"table identifier", r43Models("x", src("        identifier: t1\n")), r43Models("x", src("        identifier: t1\n        identifier: t2\n"))},
		{"table description", r43Models("x", src("        description: t1\n")), r43Models("x", src("        description: t1\n        description: t2\n"))},
		{"table columns", r43Models("x", src("        columns: [{name: c}]\n")), r43Models("x", src("        columns: [{name: c}]\n        columns: [{name: d}]\n"))},
		{"table entry", r43Models("x", src("")), r43Models("x", src("      - name: t\n"))},
		{"source schema", r43Models("x", "sources:\n  - name: s\n    schema: x\n    tables:\n      - name: t\n"), r43Models("x", "sources:\n  - name: s\n    schema: x\n    schema: y\n    tables:\n      - name: t\n")},
		{"unit test row key", r43Models("x", units("[{id: 1}]")), r43Models("x", units("[{id: 1, id: 2}]"))},
		{"unit test model", r43Models("x", units("[{id: 1}]")), strings.Replace(r43Models("x", units("[{id: 1}]")), "    model: b\n", "    model: b\n    model: a\n", 1)},
		{"unit test description", r43Models("x", strings.Replace(units("[{id: 1}]"), "    model: b\n", "    model: b\n    description: u\n", 1)),
			r43Models("x", strings.Replace(units("[{id: 1}]"), "    model: b\n", "    model: b\n    description: u\n    description: v\n", 1))},
	} {
		t.Run(c.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43Base(c.base)},
				{name: "a key twice", coldFails: true, files: withFiles(nil, "models/_s.yml", c.broken)},
				{name: "back", any: true, files: withFiles(nil, "models/_s.yml", c.base)},
			})
		})
	}
}

// TestReview43TwoFiles: a model described in two files (the cold compile
// fails), an entry moved from one file to another, renamed, and edits of
// two files, or of YAML and SQL, in one save.
func TestReview43TwoFiles(t *testing.T) {
	one := func(desc string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: " + desc + "\n    columns:\n      - name: id\n        description: the id\n        data_tests: [unique]\n"
	}
	two := func(desc string) string { return "version: 2\nmodels:\n  - name: b\n    description: " + desc + "\n" }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
			"models/a.sql", "select 1 as id, 2 as x\n",
			"models/b.sql", "select id from {{ ref('a') }}\n",
			"models/c.sql", "select 3 as id\n",
			"models/_one.yml", one("the a"), "models/_two.yml", two("the b"))},
		{name: "a described in both", coldFails: true, files: withFiles(nil, "models/_two.yml", two("the b")+one("again")[len("version: 2\nmodels:\n"):])},
		{name: "a described in both, one's description edited", coldFails: true, files: withFiles(nil, "models/_one.yml", one("the a, edited"))},
		{name: "a moved to two", any: true, files: withFiles(nil, "models/_one.yml", "version: 2\nmodels: []\n")},
		{name: "both files' descriptions", any: true, files: withFiles(nil, "models/_one.yml", "version: 2\nmodels:\n  - name: c\n    description: the c\n",
			"models/_two.yml", two("the b!")+one("again!")[len("version: 2\nmodels:\n"):])},
		{name: "a back to one, c's description edited", any: true, files: withFiles(nil, "models/_one.yml", one("the a")+"  - name: c\n    description: the c!\n",
			"models/_two.yml", two("the b!"))},
		{name: "a's description and SQL", any: true, files: withFiles(nil, "models/_one.yml", one("the a?")+"  - name: c\n    description: the c!\n",
			"models/a.sql", "select 1 as id, 3 as x\n")},
		{name: "a's description and b's SQL", any: true, files: withFiles(nil, "models/_one.yml", one("the a.")+"  - name: c\n    description: the c!\n",
			"models/b.sql", "select id, 1 as y from {{ ref('a') }}\n")},
		{name: "c's entry renamed to d (no such model)", any: true, files: withFiles(nil, "models/_one.yml", one("the a.")+"  - name: d\n    description: the c!\n")},
		{name: "c's file renamed to d", any: true, files: withFiles(nil, "models/d.sql", "select 3 as id\n"), remove: []string{"models/c.sql"}},
		{name: "a's tests moved to b's entry", any: true, files: withFiles(nil, "models/_one.yml", strings.Replace(one("the a."), "        data_tests: [unique]\n", "", 1)+"  - name: d\n    description: the c!\n",
			"models/_two.yml", two("the b!")+"    columns:\n      - name: id\n        data_tests: [unique]\n")},
		{name: "a's entry and b's entry swap files", any: true, files: withFiles(nil, "models/_one.yml", two("the b!")+"    columns:\n      - name: id\n        data_tests: [unique]\n",
			"models/_two.yml", strings.Replace(one("the a."), "        data_tests: [unique]\n", "", 1)+"  - name: d\n    description: the c!\n")},
	})
}

// r43SourceSteps: a project whose models read source s's tables, with
// one step per text of models/_src.yml after the first.
func r43SourceSteps(t *testing.T, texts ...string) {
	t.Helper()
	steps := []patchStep{{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
		"models/a.sql", "select * from {{ source('s', 't') }}\n",
		"models/b.sql", "select * from {{ source('s', 'u') }}\n",
		"models/c.sql", "select 1 as id\n",
		"models/_src.yml", texts[0])}}
	for i, s := range texts[1:] {
		steps = append(steps, patchStep{name: "edit " + string(rune('A'+i)), any: true, files: withFiles(nil, "models/_src.yml", s)})
	}
	runPatchSteps(t, steps)
}

func r43Src(own, t, u string) string {
	return "version: 2\nsources:\n  - name: s\n" + own + "    tables:\n      - name: t\n" + t + "      - name: u\n" + u
}

// TestReview43SourceDescriptions: a source's description, which its
// tables without one take, edited; tables' descriptions empty, block
// scalars, doc() calls.
func TestReview43SourceDescriptions(t *testing.T) {
	r43SourceSteps(t,
		r43Src("    description: the s\n", "", ""),
		r43Src("    description: the s, edited\n", "", ""),
		r43Src("    description: the s, edited\n", "        description: \"\"\n", ""),
		r43Src("    description: the s, again\n", "        description: \"\"\n", ""),
		r43Src("    description: the s, again\n", "        description: ''\n", "        description: |\n          the u\n"),
		r43Src("    description: |\n      the s\n      two lines\n", "        description: ''\n", "        description: |\n          the u\n"),
		r43Src("", "        description: ''\n", "        description: |\n          the u\n"),
		r43Src("    description: >-\n      back\n", "", "        description: |\n          the u\n"),
		r43Src("    description: >-\n      back\n", "        columns:\n          - name: id\n            description: an id\n", ""),
		r43Src("    description: >-\n      back!\n", "        columns:\n          - name: id\n            description: an id!\n", ""),
		r43Src("    description: >-\n      back!\n", "        columns:\n          - name: id\n            description: an id!\n          - name: ID\n            description: upper\n", ""),
	)
}

// TestReview43SourceKeys: a source's own keys and its tables' (meta,
// tags, config, quoting, loaded_at_field, freshness, identifier,
// database, schema) added, edited and removed.
func TestReview43SourceKeys(t *testing.T) {
	r43SourceSteps(t,
		r43Src("", "", ""),
		r43Src("    meta: {owner: me}\n", "", ""),
		r43Src("    meta: {owner: you}\n    tags: [raw]\n", "", ""),
		r43Src("    meta: {owner: you}\n    tags: [raw, pii]\n", "        tags: [t]\n", ""),
		r43Src("    meta: {owner: you}\n    tags: [raw, pii]\n    config: {enabled: true}\n", "        tags: [t]\n", ""),
		r43Src("    meta: {owner: you}\n    tags: [raw, pii]\n    config: {meta: {c: 1}}\n", "        tags: [t]\n        config: {meta: {d: 2}}\n", ""),
		r43Src("    loaded_at_field: _loaded\n    freshness: {warn_after: {count: 1, period: day}}\n", "", ""),
		r43Src("    loaded_at_field: _loaded\n    freshness: {warn_after: {count: 2, period: day}}\n", "        freshness: null\n", ""),
		r43Src("    loaded_at_field: _loaded\n    freshness: {warn_after: {count: 2, period: day}}\n", "        loaded_at_field: _at\n        freshness: {error_after: {count: 3, period: hour}}\n", ""),
		r43Src("    quoting: {identifier: true}\n", "", ""),
		r43Src("    quoting: {identifier: true}\n", "        quoting: {identifier: false}\n", ""),
		r43Src("    quoting: {identifier: true, schema: true}\n", "        quoting: {identifier: false}\n", ""),
		r43Src("", "        identifier: T_Real\n", ""),
		r43Src("", "        identifier: T_Real\n        external: {location: s3://x}\n", ""),
		r43Src("    schema: raw\n    database: db\n", "", ""),
		r43Src("    schema: raw\n    database: db\n", "", "        meta: {u: 1}\n        description: the u\n"),
		r43Src("", "", ""),
	)
}

// TestReview43Columns: columns with data_type, constraints, quote: true
// (their tests quote them), names with capitals and spaces, edited.
func TestReview43Columns(t *testing.T) {
	cols := func(c string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n    columns:\n" + c + "  - name: b\n    description: the b\n"
	}
	r43Steps(t,
		cols("      - name: id\n        data_tests: [unique]\n"),
		cols("      - name: id\n        quote: true\n        data_tests: [unique]\n"),
		cols("      - name: id\n        quote: false\n        data_tests: [unique]\n"),
		cols("      - name: ID\n        quote: true\n        data_tests: [unique, not_null]\n"),
		cols("      - name: ID\n        quote: true\n        description: upper\n        data_tests: [unique, not_null]\n"),
		cols("      - name: \"my col\"\n        quote: true\n        data_tests: [not_null]\n"),
		cols("      - name: \"my col\"\n        quote: true\n        description: spaced\n        data_tests: [not_null]\n"),
		cols("      - name: \"my col\"\n        data_type: int\n        constraints: [{type: not_null}]\n"),
		cols("      - name: \"my col\"\n        data_type: bigint\n        constraints: [{type: not_null}, {type: check, expression: \"id > 0\"}]\n"),
		cols("      - name: \"my col\"\n        data_type: bigint\n      - name: x\n        data_type: int\n"),
		cols("      - name: x\n        data_type: int\n      - name: \"my col\"\n        data_type: bigint\n"),
		cols("      - name: x\n        data_type: int\n        meta: {pii: true}\n        tags: [t]\n      - name: \"my col\"\n        data_type: bigint\n"),
		cols("      - name: x\n        data_type: int\n        meta: {pii: true}\n        tags: [t, u]\n        data_tests:\n          - accepted_values: {values: [1, 2]}\n"),
		cols("      - name: x\n        data_type: int\n        meta: {pii: true}\n        tags: [t, u]\n        data_tests:\n          - accepted_values: {values: [1, 2], quote: false}\n"),
		cols("      - name: x\n        data_type: int\n        data_tests:\n          - relationships: {to: ref('b'), field: id}\n"),
		cols("      - name: x\n        data_type: int\n        data_tests:\n          - relationships:\n              arguments: {to: ref('b'), field: id}\n              config: {severity: warn}\n"),
	)
}

// TestReview43ContractColumns: an enforced contract's columns, their
// types, order and descriptions edited.
func TestReview43ContractColumns(t *testing.T) {
	con := func(c string) string {
		return "version: 2\nmodels:\n  - name: a\n    config:\n      contract: {enforced: true}\n    columns:\n" + c + "  - name: b\n    description: the b\n"
	}
	r43Steps(t,
		con("      - name: id\n        data_type: int\n      - name: x\n        data_type: int\n"),
		con("      - name: id\n        data_type: int\n        description: the id\n      - name: x\n        data_type: int\n"),
		con("      - name: id\n        data_type: bigint\n        description: the id\n      - name: x\n        data_type: int\n"),
		con("      - name: x\n        data_type: int\n      - name: id\n        data_type: bigint\n        description: the id\n"),
		con("      - name: x\n        data_type: int\n        description: |\n          ex\n      - name: id\n        data_type: bigint\n        description: the id\n"),
		con("      - name: x\n        data_type: int\n        description: |\n          ex\n      - name: id\n        data_type: bigint\n        description: the id\n        quote: true\n"),
	)
}

// TestReview43EntryKeys: a model entry's keys beside config: (meta,
// tags, docs, access, group, deprecation_date in each way YAML writes a
// date) added, edited and removed.
func TestReview43EntryKeys(t *testing.T) {
	r43Steps(t,
		r43Models("x", ""),
		r43Models("x", "    deprecation_date: 2030-06-30\n"),
		r43Models("x", "    deprecation_date: \"2030-06-30\"\n"),
		r43Models("x", "    deprecation_date: 2030-06-30 12:00:00\n"),
		r43Models("x", "    deprecation_date: 2030-06-30T12:00:00+02:00\n"),
		r43Models("x", "    deprecation_date: 2030-6-3\n"),
		r43Models("x", "    deprecation_date: '2030-06-30 12:00:00.5Z'\n"),
		r43Models("x", "    deprecation_date: 2030-06-30 12:00:00.123456789 -5\n"),
		r43Models("x", "    deprecation_date: \n"),
		r43Models("x", "    meta: {owner: me}\n    tags: [t]\n"),
		r43Models("x", "    meta: {owner: me, when: 2024-01-02}\n    tags: t\n"),
		r43Models("x", "    docs: {show: false, node_color: red}\n"),
		r43Models("x", "    access: private\n    group: g\ngroups:\n  - name: g\n    owner: {name: me}\n"),
		r43Models("x", "    access: protected\n    group: g\ngroups:\n  - name: g\n    owner: {name: you}\n"),
		r43Models("x", "    config: {access: public, tags: [c]}\n    tags: [e]\n"),
		r43Models("x", ""),
	)
}

// TestReview43DeprecationDateBadEdit: a deprecation_date edited to one
// that is not a date: the cold compile fails.
func TestReview43DeprecationDateBadEdit(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43Base(r43Models("x", "    deprecation_date: 2030-06-30\n"))},
		{name: "not a date", coldFails: true, files: withFiles(nil, "models/_s.yml", r43Models("x", "    deprecation_date: 2030-02-30\n"))},
		{name: "a date", any: true, files: withFiles(nil, "models/_s.yml", r43Models("x", "    deprecation_date: 2030-02-28\n"))},
	})
}

// TestReview43UnitTests: unit tests' given and expect rows as dicts, CSV
// (block scalars of each chomping, quoted fields, CRLF), SQL; typed
// values (dates, nulls, floats, quoted numbers), overrides, config.
func TestReview43UnitTests(t *testing.T) {
	ut := func(given, expect, extra string) string {
		return r43Models("x", "unit_tests:\n  - name: u\n    model: b\n"+extra+"    given:\n      - input: ref('a')\n"+given+"    expect:\n"+expect)
	}
	dict := "        rows:\n          - {id: 1}\n"
	exp := "      rows:\n        - {id: 1}\n"
	r43Steps(t,
		ut(dict, exp, ""),
		ut("        rows: [{id: 1}, {id: 2}]\n", "      rows: [{id: 1}, {id: 2}]\n", ""),
		ut("        rows: [{id: '1'}, {id: 2.50}]\n", "      rows: [{id: \"1\"}, {id: 2.5}]\n", ""),
		ut("        rows: [{id: null}, {id: ~}, {id: 2024-01-02}]\n", "      rows: [{id: 2024-01-02T10:00:00Z}]\n", ""),
		ut("        rows: [{id: 0x10}, {id: 1_000}, {id: .inf}, {id: yes}]\n", "      rows: [{id: 010}]\n", ""),
		ut("        format: csv\n        rows: |\n          id\n          1\n", "      format: csv\n      rows: |\n        id\n        1\n", ""),
		ut("        format: csv\n        rows: |-\n          id\n          1\n          2\n", "      format: csv\n      rows: |+\n        id\n        1\n\n", ""),
		ut("        format: csv\n        rows: \"id\\n\\\"1,5\\\"\\n\"\n", "      format: csv\n      rows: >\n        id\n\n        1\n", ""),
		ut("        format: csv\n        rows: \"id\\r\\n2\\r\\n\"\n", "      format: csv\n      rows: 'id\n\n        2'\n", ""),
		ut("        format: sql\n        rows: |\n          select 1 as id\n", "      format: sql\n      rows: select 1 as id\n", ""),
		ut(dict, exp, "    description: |\n      the u\n    config: {tags: [unit], meta: {k: v}}\n"),
		ut(dict, exp, "    description: the u, edited\n    config: {tags: [unit, two], meta: {k: w}}\n    overrides:\n      vars: {v: 1}\n      macros: {is_incremental: true}\n"),
		ut(dict, exp, "    description: the u, edited\n    overrides:\n      env_vars: {E: x}\n"),
		ut(dict, exp, ""),
	)
}

// TestReview43YAMLSnapshots: a YAML snapshot (relation:) beside models
// in one properties file: its description, its columns and tests, and
// lines moved above it by the models' descriptions.
func TestReview43YAMLSnapshots(t *testing.T) {
	snap := func(desc, extra string) string {
		return "snapshots:\n  - name: a_hist\n    relation: ref('a')\n    config: {unique_key: id, strategy: check, check_cols: all}\n    description: " + desc + "\n" + extra
	}
	r43Steps(t,
		r43Models("x", snap("the history", "")),
		r43Models("|\n      x\n      y\n      z", snap("the history", "")),
		r43Models("|\n      x\n      y\n      z", snap("the history, edited", "")),
		r43Models("x", snap("|\n      the history\n      edited", "    columns:\n      - name: id\n        description: the id\n")),
		r43Models("x\n\n\n", snap("|\n      the history\n      edited", "    columns:\n      - name: id\n        description: the id!\n        data_tests: [unique]\n")),
		r43Models("x", snap("|\n      the history\n      edited", "    columns:\n      - name: id\n        description: the id!\n        data_tests: [unique, not_null]\n")),
		r43Models("x", snap("|\n      the history\n      edited", "    columns:\n      - name: id\n        description: the id!\n        data_tests: [unique, not_null]\n  - name: b_hist\n    relation: ref('b')\n    config: {unique_key: id, strategy: check, check_cols: all}\n")),
		r43Models("a\n      b", snap("|\n      the history\n      edited", "    columns:\n      - name: id\n        description: the id!\n        data_tests: [unique, not_null]\n  - name: b_hist\n    relation: ref('b')\n    config: {unique_key: id, strategy: check, check_cols: all}\n    description: bee\n")),
	)
}

// TestReview43PropertiesFileNames: properties files of other extensions
// and places (.yaml, .YML, a hidden file, the tests and analyses paths,
// a seeds folder) describing models, added, renamed and edited.
func TestReview43PropertiesFileNames(t *testing.T) {
	desc := func(name, d string) string {
		return "version: 2\nmodels:\n  - name: " + name + "\n    description: " + d + "\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
			"models/a.sql", "select 1 as id, 2 as x\n",
			"models/b.sql", "select id from {{ ref('a') }}\n",
			"models/c.sql", "select 3 as id\n",
			"models/d.sql", "select 4 as id\n",
			"models/_s.yml", desc("a", "the a"))},
		{name: "renamed to .yaml", any: true, files: withFiles(nil, "models/_s.yaml", desc("a", "the a")), remove: []string{"models/_s.yml"}},
		{name: "edited as .yaml", any: true, files: withFiles(nil, "models/_s.yaml", desc("a", "the a!"))},
		{name: "an .YML added", any: true, files: withFiles(nil, "models/_b.YML", desc("b", "the b"))},
		{name: "the .YML edited", any: true, files: withFiles(nil, "models/_b.YML", desc("b", "the b!"))},
		{name: "a hidden file added", any: true, files: withFiles(nil, "models/.c.yml", desc("c", "the c"))},
		{name: "the hidden file edited", any: true, files: withFiles(nil, "models/.c.yml", desc("c", "the c!"))},
		{name: "a hidden folder's file added", any: true, files: withFiles(nil, "models/.hidden/_d.yml", desc("d", "the d"))},
		{name: "it edited", any: true, files: withFiles(nil, "models/.hidden/_d.yml", desc("d", "the d!"))},
		{name: "a file in tests/ describing c", any: true, files: withFiles(nil, "tests/_c.yml", desc("c", "the c, from tests")), remove: []string{"models/.c.yml"}},
		{name: "it edited", any: true, files: withFiles(nil, "tests/_c.yml", desc("c", "the c, from tests!"))},
		{name: "a file in analyses/ describing d", any: true, files: withFiles(nil, "analyses/_d.yml", desc("d", "the d, from analyses")), remove: []string{"models/.hidden/_d.yml"}},
		{name: "it edited", any: true, files: withFiles(nil, "analyses/_d.yml", desc("d", "the d, from analyses!"))},
		{name: "a file in seeds/ describing b", any: true, files: withFiles(nil, "seeds/_b.yml", desc("b", "the b, from seeds")), remove: []string{"models/_b.YML"}},
		{name: "it edited", any: true, files: withFiles(nil, "seeds/_b.yml", desc("b", "the b, from seeds!"))},
		{name: "a file in macros/ describing b", any: true, files: withFiles(nil, "macros/_b.yml", desc("b", "the b, from macros")), remove: []string{"seeds/_b.yml"}},
		{name: "it edited", any: true, files: withFiles(nil, "macros/_b.yml", desc("b", "the b, from macros!"))},
		{name: "a .yml~ backup file", any: true, files: withFiles(nil, "models/_s.yaml~", desc("a", "backup"))},
		{name: "a .json file", any: true, files: withFiles(nil, "models/_s.json", "{\"version\": 2, \"models\": [{\"name\": \"a\", \"description\": \"json\"}]}\n")},
	})
}

// TestReview43DocsBlockEscapedCall: a description calls doc() through a
// YAML escape ("\x7B{": no "{{" in the file's bytes); the docs block's
// text edited.
func TestReview43DocsBlockEscapedCall(t *testing.T) {
	md := func(text string) string { return "{% docs the_a %}\n" + text + "\n{% enddocs %}\n" }
	for _, c := range []struct{ name, desc string }{
		{"plain call", `"{{ doc('the_a') }}"`},
		{"x escape", `"\x7B{ doc('the_a') }}"`},
		{"u escape", `"{\u007B doc('the_a') }}"`},
		{"escaped line break", "\"{\\\n      { doc('the_a') }}\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43Base(r43Models(c.desc, ""), "models/docs.md", md("the a"))},
				{name: "the block edited", any: true, files: withFiles(nil, "models/docs.md", md("the a, edited"))},
				{name: "and again", any: true, files: withFiles(nil, "models/docs.md", md("the a, edited again"))},
			})
		})
	}
}

// TestReview43DocsBlocksWithYAML: docs blocks edited, added, renamed and
// removed, with the YAML that calls them edited in the same save or not;
// calls from models, columns, source tables (and their source), seeds.
func TestReview43DocsBlocksWithYAML(t *testing.T) {
	md := func(blocks ...string) string {
		out := ""
		for i := 0; i+1 < len(blocks); i += 2 {
			out += "{% docs " + blocks[i] + " %}\n" + blocks[i+1] + "\n{% enddocs %}\n\n"
		}
		return out
	}
	yml := func(aDesc, idDesc, srcDesc, tDesc string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: " + aDesc + "\n    columns:\n      - name: id\n        description: " + idDesc +
			"\n  - name: b\n    description: the b\nsources:\n  - name: s\n    description: " + srcDesc + "\n    tables:\n      - name: t\n" + tDesc +
			"      - name: u\n        description: the u\nseeds:\n  - name: sd\n    description: \"{{ doc('sd') }}\"\n"
	}
	base := yml(`"{{ doc('one') }}"`, `"{{ doc('two') }} and more"`, `"{{ doc('src') }}"`, "")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
			"models/a.sql", "select 1 as id, 2 as x\n",
			"models/b.sql", "select * from {{ source('s', 't') }}\n",
			"seeds/sd.csv", "id\n1\n",
			"models/_s.yml", base,
			"models/docs.md", md("one", "the one", "two", "the two", "src", "the source", "sd", "the seed"))},
		{name: "every block edited", any: true, files: withFiles(nil, "models/docs.md", md("one", "the one!", "two", "the two!", "src", "the source!", "sd", "the seed!"))},
		{name: "a block and a description calling it", any: true, files: withFiles(nil,
			"models/docs.md", md("one", "the one?", "two", "the two!", "src", "the source!", "sd", "the seed!"),
			"models/_s.yml", yml(`"{{ doc('one') }}, edited"`, `"{{ doc('two') }} and more"`, `"{{ doc('src') }}"`, ""))},
		{name: "a block added, a column calling it", any: true, files: withFiles(nil,
			"models/docs.md", md("one", "the one?", "two", "the two!", "src", "the source!", "sd", "the seed!", "three", "the three"),
			"models/_s.yml", yml(`"{{ doc('one') }}, edited"`, `"{{ doc('three') }}"`, `"{{ doc('src') }}"`, ""))},
		{name: "a table with its own call", any: true, files: withFiles(nil,
			"models/_s.yml", yml(`"{{ doc('one') }}, edited"`, `"{{ doc('three') }}"`, `"{{ doc('src') }}"`, "        description: \"{{ doc('two') }}\"\n"))},
		{name: "the blocks in another order, one renamed, its callers too", any: true, files: withFiles(nil,
			"models/docs.md", md("three", "the three", "uno", "the one?", "two", "the two", "src", "the source!", "sd", "the seed!"),
			"models/_s.yml", yml(`"{{ doc('uno') }}, edited"`, `"{{ doc('three') }}"`, `"{{ doc('src') }}"`, "        description: \"{{ doc('two') }}\"\n"))},
		{name: "a block moved to a new file", any: true, files: withFiles(nil,
			"models/docs.md", md("three", "the three", "uno", "the one?", "src", "the source!", "sd", "the seed!"),
			"models/more/docs2.md", md("two", "the two, moved"))},
		{name: "a block called removed", coldFails: true, files: withFiles(nil,
			"models/more/docs2.md", "nothing\n")},
		{name: "its callers too", any: true, files: withFiles(nil,
			"models/_s.yml", yml(`"{{ doc('uno') }}, edited"`, `"{{ doc('three') }}"`, `"{{ doc('src') }}"`, "        description: plain\n"))},
		{name: "whitespace control", any: true, files: withFiles(nil,
			"models/docs.md", md("three", "  the three  ", "uno", "the one?", "src", "the source!", "sd", "the seed!")+"{%- docs ws -%}\n  spaced  \n{%- enddocs -%}\n",
			"models/_s.yml", yml(`"x {{- doc('ws') -}} y"`, `"{{ doc('three') }}"`, `"{{doc(\"src\")}}"`, "        description: plain\n"))},
		{name: "the ws block edited", any: true, files: withFiles(nil,
			"models/docs.md", md("three", "  the three  ", "uno", "the one?", "src", "the source!", "sd", "the seed!")+"{%- docs ws -%}\n  spaced out \n{%- enddocs -%}\n")},
	})
}

// TestReview43VersionedModel: a versioned model's entry (its
// description, its versions' descriptions and columns, latest_version)
// edited beside a plain model's.
func TestReview43VersionedModel(t *testing.T) {
	ver := func(desc, v1, v2, latest string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n  - name: d\n    description: " + desc + "\n" + latest +
			"    columns:\n      - name: id\n        description: the id\n      - name: x\n        description: the x\n" +
			"    versions:\n      - v: 1\n" + v1 + "      - v: 2\n" + v2
	}
	steps := []patchStep{{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
		"models/a.sql", "select 1 as id, 2 as x\n",
		"models/d_v1.sql", "select 1 as id, 2 as x\n",
		"models/d_v2.sql", "select 1 as id\n",
		"models/b.sql", "select * from {{ ref('d') }}\n",
		"models/c.sql", "select * from {{ ref('d', v=1) }}\n",
		"models/_s.yml", ver("the d", "", "        columns:\n          - include: all\n            exclude: [x]\n", ""))}}
	for i, s := range []string{
		ver("the d!", "", "        columns:\n          - include: all\n            exclude: [x]\n", ""),
		ver("the d!", "        description: one\n", "        columns:\n          - include: all\n            exclude: [x]\n", ""),
		ver("the d!", "        description: one!\n", "        description: two\n        columns:\n          - include: all\n            exclude: [x]\n", ""),
		ver("the d!", "        description: one!\n", "        description: two\n        columns:\n          - include: '*'\n            exclude: [x]\n          - name: id\n            description: v2's id\n", ""),
		ver("the d!", "        description: one!\n", "        description: two\n        columns:\n          - include: all\n", "    latest_version: 1\n"),
		ver("|\n      the d\n      lines", "        description: one!\n", "        description: two\n        columns:\n          - include: all\n", "    latest_version: 1\n"),
	} {
		steps = append(steps, patchStep{name: "edit " + string(rune('A'+i)), any: true, files: withFiles(nil, "models/_s.yml", s)})
	}
	steps = append(steps, patchStep{name: "a's description", any: true, files: withFiles(nil, "models/_s.yml", strings.Replace(steps[len(steps)-1].files["models/_s.yml"], "the a", "the a!", 1))})
	runPatchSteps(t, steps)
}

// TestReview43InertKeys: the semantic layer's keys, groups, exposures
// and macros' properties beside models: edited, moved, written in flow
// style, with Jinja, an anchor the models read (whole), a key twice (the
// cold compile fails).
func TestReview43InertKeys(t *testing.T) {
	expo := func(desc string) string {
		return "exposures:\n  - name: dash\n    type: dashboard\n    description: " + desc + "\n    owner: {name: me}\n    depends_on: [ref('a')]\n"
	}
	mac := "macros:\n  - name: m\n    description: the m\n    arguments:\n      - name: x\n        type: int\n"
	sem := "semantic_models:\n  - name: sm\n    model: ref('a')\n    entities: [{name: id, type: primary}]\n    measures: [{name: n, agg: count}]\n" +
		"metrics:\n  - name: mn\n    label: N\n    type: simple\n    type_params: {measure: n}\n" +
		"saved_queries:\n  - name: q\n    query_params: {metrics: [mn]}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(r43Base(r43Models("x", "")), "macros/m.sql", "{% macro m(x) %}{{ x }}{% endmacro %}\n")},
		{name: "an exposure above", any: true, files: withFiles(nil, "models/_s.yml", expo("the dash")+r43Models("x", ""))},
		{name: "its description", any: true, files: withFiles(nil, "models/_s.yml", expo("|\n      the dash\n      two")+r43Models("x!", ""))},
		{name: "macros' properties", any: true, files: withFiles(nil, "models/_s.yml", expo("|\n      the dash\n      two")+r43Models("x!", mac))},
		{name: "a macro's description", any: true, files: withFiles(nil, "models/_s.yml", expo("|\n      the dash\n      two")+r43Models("x!", strings.Replace(mac, "the m", "the m!", 1)))},
		{name: "the semantic layer", any: true, files: withFiles(nil, "models/_s.yml", expo("d")+r43Models("x!", sem))},
		{name: "with Jinja", any: true, files: withFiles(nil, "models/_s.yml", expo("\"{{ var('nope') }}\"")+r43Models("x!", strings.Replace(sem, "label: N", "label: \"{{ doc('nope') }}\"", 1)))},
		{name: "in flow style", any: true, files: withFiles(nil, "models/_s.yml", "exposures: [{name: dash, type: dashboard, owner: {name: me}}]\n"+r43Models("x!", "groups: [{name: g, owner: {name: me}}]\n"))},
		{name: "an anchor the models read", any: true, files: withFiles(nil, "models/_s.yml", "groups: [{name: g, owner: &o {name: me}}]\n"+r43Models("x!", "    meta: {owner: *o}\n"))},
		{name: "the anchor edited", any: true, files: withFiles(nil, "models/_s.yml", "groups: [{name: g, owner: &o {name: you}}]\n"+r43Models("x!", "    meta: {owner: *o}\n"))},
		{name: "plain again", any: true, files: withFiles(nil, "models/_s.yml", "groups: [{name: g, owner: {name: you}}]\n"+r43Models("x!", ""))},
		{name: "exposures twice", coldFails: true, files: withFiles(nil, "models/_s.yml", expo("one")+r43Models("x!", expo("two")))},
		{name: "an empty columns item in a semantic model", any: true, files: withFiles(nil, "models/_s.yml", r43Models("x!", "semantic_models:\n  - name: sm\n    columns:\n      - name: c\n      - name: d\n"))},
		{name: "emptied", coldFails: true, files: withFiles(nil, "models/_s.yml", r43Models("x!", "semantic_models:\n  - name: sm\n    columns:\n      - name: c\n      -\n"))},
	})
}

// TestReview43DocsBlockVersionedEscapedCall: a versioned model's
// version calls doc() with its name escaped ("\x64oc": the file's bytes
// have "{{" but no "doc"); the block's text edited.
func TestReview43DocsBlockVersionedEscapedCall(t *testing.T) {
	md := func(text string) string { return "{% docs the_d %}\n" + text + "\n{% enddocs %}\n" }
	for _, c := range []struct{ name, top, v1 string }{
		{"plain call in a version", `the d`, `"{{ doc('the_d') }}"`},
		{"escaped call in a version", `the d`, `"{{ \x64oc('the_d') }}"`},
		{"escaped call in the entry", `"{{ \u0064oc('the_d') }}"`, `one`},
	} {
		t.Run(c.name, func(t *testing.T) {
			yml := "version: 2\nmodels:\n  - name: a\n    description: the a\n  - name: d\n    description: " + c.top + "\n" +
				"    versions:\n      - v: 1\n        description: " + c.v1 + "\n      - v: 2\n"
			runPatchSteps(t, []patchStep{
				{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
					"models/a.sql", "select 1 as id\n",
					"models/d_v1.sql", "select 1 as id\n",
					"models/d_v2.sql", "select 2 as id\n",
					"models/_s.yml", yml,
					"models/blocks.md", md("the d"))},
				{name: "the block edited", any: true, files: withFiles(nil, "models/blocks.md", md("the d, edited"))},
			})
		})
	}
}

// TestReview43DocsBlockReadByStatement: a description reads a docs block
// in a statement alone ({% if doc(...) %}: no "{{" in it), a model's, an
// analysis's, a singular test's; the block's text edited.
func TestReview43DocsBlockReadByStatement(t *testing.T) {
	md := func(text string) string { return "{% docs the_a %}\n" + text + "\n{% enddocs %}\n" }
	stmt := `"{% if doc('the_a') == 'the a' %}same{% else %}changed{% endif %}"`
	for _, c := range []struct{ name, yml string }{
		{"with an expression too", r43Models(`"{% if doc('the_a') == 'the a' %}same{% else %}changed{% endif %} {{ 1 }}"`, "")},
		{"a statement alone", r43Models(stmt, "")},
		{"a statement alone, b calling the block", strings.Replace(r43Models(stmt, ""), "description: the b", "description: \"{{ doc('the_a') }}\"", 1)},
		{"an analysis's", r43Models("x", "analyses:\n  - name: an\n    description: "+stmt+"\n")},
		{"a singular test's", r43Models("x", "data_tests:\n  - name: st\n    description: "+stmt+"\n")},
	} {
		t.Run(c.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43Base(c.yml, "models/docs.md", md("the a"), "analyses/an.sql", "select 1\n", "tests/st.sql", "select 1 where false\n")},
				{name: "the block edited", any: true, files: withFiles(nil, "models/docs.md", md("the a, edited"))},
			})
		})
	}
}

// TestReview43DescriptionReadsVars: descriptions (a model's, a column's,
// a source table's) that read a var or an env var, in an expression or a
// statement alone; the var and the env var changed, the file edited
// elsewhere.
func TestReview43DescriptionReadsVars(t *testing.T) {
	yml := func(aDesc, idDesc, tDesc, bDesc string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: " + aDesc + "\n    columns:\n      - name: id\n        description: " + idDesc +
			"\n  - name: b\n    description: " + bDesc + "\nsources:\n  - name: s\n    tables:\n      - name: t\n        description: " + tDesc + "\n"
	}
	stmt := `"{% if var('v', 0) == 1 %}one{% else %}other{% endif %}"`
	env := `"{% if env_var('R43_E', 'x') == 'y' %}why{% else %}ex{% endif %}"`
	base := yml(stmt, env, `"{# a comment #}{% if var('w', 0) %}w{% endif %}"`, "the b")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
			"models/a.sql", "select 1 as id\n",
			"models/b.sql", "select * from {{ source('s', 't') }}\n",
			"models/_s.yml", base)},
		{name: "b's description", any: true, files: withFiles(nil, "models/_s.yml", strings.Replace(base, "the b", "the b!", 1))},
		{name: "v set", any: true, vars: map[string]any{"v": 1}},
		{name: "v and w set", any: true, vars: map[string]any{"v": 1, "w": true}},
		{name: "the env var set", any: true, vars: map[string]any{"v": 1, "w": true}, env: map[string]string{"R43_E": "y"}},
		{name: "b's description again", any: true, vars: map[string]any{"v": 1, "w": true}, files: withFiles(nil, "models/_s.yml", strings.Replace(base, "the b", "the b?", 1))},
		{name: "the env var changed", any: true, vars: map[string]any{"v": 1, "w": true}, env: map[string]string{"R43_E": "z"}},
		{name: "the vars unset", any: true},
	})
}

// TestReview43DocsFilesElsewhere: .md files of docs blocks in each
// resource folder (and a docs-paths folder), added, edited and removed;
// the blocks in manifest.json's docs as the cold compile reads them.
func TestReview43DocsFilesElsewhere(t *testing.T) {
	md := func(name, text string) string { return "{% docs " + name + " %}\n" + text + "\n{% enddocs %}\n" }
	steps := []patchStep{{name: "cold", files: r43Base(r43Models("x", ""), "models/docs.md", md("m", "in models"), "docs/keep.md", "nothing\n")}}
	for _, dir := range []string{"seeds", "macros", "analyses", "tests", "snapshots", "docs", "models/deep/er", "target", "dbt_packages/p", "logs"} {
		name := strings.ReplaceAll(strings.ReplaceAll(dir, "/", "_"), "dbt_", "")
		steps = append(steps,
			patchStep{name: dir + ": added", any: true, files: withFiles(nil, dir+"/d.md", md(name, "in "+dir))},
			patchStep{name: dir + ": edited", any: true, files: withFiles(nil, dir+"/d.md", md(name, "in "+dir+", edited"))},
			patchStep{name: dir + ": removed", any: true, remove: []string{dir + "/d.md"}})
	}
	steps = append(steps,
		patchStep{name: "docs-paths set", any: true, files: withFiles(nil, "mart.yml", r43Proj+"docs-paths: [\"docs\"]\n")},
		patchStep{name: "docs: added", any: true, files: withFiles(nil, "docs/d.md", md("dd", "in docs"))},
		patchStep{name: "docs: edited", any: true, files: withFiles(nil, "docs/d.md", md("dd", "in docs, edited"))},
		patchStep{name: "models: edited", any: true, files: withFiles(nil, "models/docs.md", md("m", "in models, edited"))},
		patchStep{name: "a description calls docs'", any: true, files: withFiles(nil, "models/_s.yml", r43Models(`"{{ doc('dd') }}"`, ""))},
		patchStep{name: "docs: edited again", any: true, files: withFiles(nil, "docs/d.md", md("dd", "in docs, edited again"))},
	)
	runPatchSteps(t, steps)
}

// TestReview43DocsBlockOddText: a docs block with invalid UTF-8, CRLF
// line ends, HTML characters and a NUL, called by a description the
// YAML edit changes (the patch renders it from manifest.json's docs).
func TestReview43DocsBlockOddText(t *testing.T) {
	md := "{% docs odd %}\r\ncaf\xe9 <b>&</b>\x00 \u2028end\r\n{% enddocs %}\r\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r43Base(r43Models(`"{{ doc('odd') }}"`, ""), "models/docs.md", md)},
		{name: "the description edited", any: true, files: withFiles(nil, "models/_s.yml", r43Models(`"{{ doc('odd') }} more"`, ""))},
		{name: "a column calls it too", any: true, files: withFiles(nil, "models/_s.yml", strings.Replace(r43Models(`"{{ doc('odd') }} more"`, ""), "the id", "\"{{ doc('odd') }}\"", 1))},
		{name: "the block edited", any: true, files: withFiles(nil, "models/docs.md", strings.Replace(md, "end", "\xff\xfeend", 1))},
		{name: "the description edited again", any: true, files: withFiles(nil, "models/_s.yml", strings.Replace(r43Models(`"{{ doc('odd') }}, more"`, ""), "the id", "\"{{ doc('odd') }}\"", 1))},
	})
}

// TestReview43UnitTestEdits: a unit test's model, inputs and format
// edited, to ones the cold compile refuses and back; a second unit test
// of one name; one disabled.
func TestReview43UnitTestEdits(t *testing.T) {
	ut := func(model, given, extra string) string {
		return r43Models("x", "unit_tests:\n  - name: u\n    model: "+model+"\n"+extra+"    given:\n"+given+"    expect:\n      rows: [{id: 1}]\n")
	}
	ga := "      - input: ref('a')\n        rows: [{id: 1}]\n"
	steps := []patchStep{{name: "cold", files: r43Base(ut("b", ga, ""))}}
	for _, s := range []struct {
		name, yml string
		fails     bool
	}{
		{"no such model", ut("zzz", ga, ""), true},
		{"back", ut("b", ga, ""), false},
		{"not an input", ut("b", "      - input: ref('b')\n        rows: [{id: 1}]\n", ""), true},
		{"rows not mappings", ut("b", "      - input: ref('a')\n        rows: [1, 2]\n", ""), true},
		{"an input twice", ut("b", ga+"      - input: ref('a')\n        rows: [{id: 2}]\n", ""), false},
		{"csv with rows as a list", ut("b", "      - input: ref('a')\n        format: csv\n        rows: [{id: 1}]\n", ""), false},
		{"csv with a broken quote", ut("b", "      - input: ref('a')\n        format: csv\n        rows: \"id\\n\\\"1\"\n", ""), false},
		{"a fixture", ut("b", "      - input: ref('a')\n        format: csv\n        fixture: nope\n", ""), false},
		{"no rows", ut("b", "      - input: ref('a')\n", ""), false},
		{"another column", ut("b", "      - input: ref('a')\n        rows: [{idd: 1}]\n", ""), false},
		{"disabled", ut("b", ga, "    config: {enabled: false}\n"), false},
		{"enabled", ut("b", ga, "    config: {enabled: true}\n"), false},
		{"tagged", ut("b", ga, "    config: {tags: [x]}\n"), false},
		{"for model a, no inputs", ut("a", "      []\n", ""), false},
		{"back to b", ut("b", ga, ""), false},
	} {
		steps = append(steps, patchStep{name: s.name, any: !s.fails, coldFails: s.fails, files: withFiles(nil, "models/_s.yml", s.yml)})
	}
	runPatchSteps(t, steps)
}

// TestReview43CommentInDescriptionRemade: descriptions holding a Jinja
// comment alone ({# #}: rendered away by the compile), in an entry the
// patch makes again from its YAML (a config edit of a model, a seed, a
// source's own key), and in its columns'.
func TestReview43CommentInDescriptionRemade(t *testing.T) {
	yml := func(conf, seedConf, srcMeta string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: \"the a{# a note #}\"\n" + conf +
			"    columns:\n      - name: id\n        description: \"{# todo #}the id\"\n  - name: b\n    description: the b\n" +
			"seeds:\n  - name: sd\n    description: \"the seed {# x #}\"\n" + seedConf +
			"sources:\n  - name: s\n" + srcMeta + "    tables:\n      - name: t\n        description: \"the t {#- x -#} !\"\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
			"models/a.sql", "select 1 as id, 2 as x\n",
			"models/b.sql", "select * from {{ source('s', 't') }}\n",
			"seeds/sd.csv", "id\n1\n",
			"models/_s.yml", yml("", "", ""))},
		{name: "a's config", any: true, files: withFiles(nil, "models/_s.yml", yml("    config: {tags: [x]}\n", "", ""))},
		{name: "the seed's config", any: true, files: withFiles(nil, "models/_s.yml", yml("    config: {tags: [x]}\n", "    config: {tags: [y]}\n", ""))},
		{name: "the source's meta", any: true, files: withFiles(nil, "models/_s.yml", yml("    config: {tags: [x]}\n", "    config: {tags: [y]}\n", "    meta: {m: 1}\n"))},
		{name: "a's meta", any: true, files: withFiles(nil, "models/_s.yml", yml("    config: {tags: [x]}\n    meta: {k: v}\n", "    config: {tags: [y]}\n", "    meta: {m: 1}\n"))},
	})
}

// TestReview43DocsBlockRemovedWhileCalled: the docs block a description
// calls (through a YAML escape, or in a statement alone) is removed: the
// cold compile fails (doc() not found), and the patch must refuse.
func TestReview43DocsBlockRemovedWhileCalled(t *testing.T) {
	for _, c := range []struct{ name, desc string }{
		{"plain call", `"{{ doc('the_a') }}"`},
		{"x escape", `"\x7B{ doc('the_a') }}"`},
		{"a statement alone", `"{% if doc('the_a') %}yes{% endif %}"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43Base(r43Models(c.desc, ""), "models/docs.md", "{% docs the_a %}\nthe a\n{% enddocs %}\n")},
				{name: "the block removed", coldFails: true, files: withFiles(nil, "models/docs.md", "no blocks\n")},
			})
		})
	}
}

// TestReview43SeedEntries: a seeds: entry's description (block scalars),
// columns, tests and config (column_types, delimiter, quote_columns)
// edited; the CSV and the entry in one save.
func TestReview43SeedEntries(t *testing.T) {
	seed := func(desc, rest string) string {
		return "version: 2\nseeds:\n  - name: sd\n    description: " + desc + "\n" + rest + "  - name: se\n    description: the se\n"
	}
	steps := []patchStep{{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
		"models/a.sql", "select * from {{ ref('sd') }}\n",
		"seeds/sd.csv", "id,name\n1,x\n",
		"seeds/se.csv", "id;name\n1;y\n",
		"seeds/_s.yml", seed("the sd", ""))}}
	for i, s := range []string{
		seed(">\n      the sd\n      folded", ""),
		seed(">\n      the sd\n      folded", "    columns:\n      - name: id\n        description: the id\n      - name: Name\n        description: \"the 'name'\"\n"),
		seed(">\n      the sd\n      folded", "    columns:\n      - name: id\n        description: the id\n        data_tests: [unique]\n      - name: Name\n        description: \"the 'name'\"\n"),
		seed("plain", "    config:\n      column_types: {id: bigint}\n    columns:\n      - name: id\n        description: the id\n        data_tests: [unique]\n"),
		seed("plain", "    config:\n      column_types: {id: varchar, name: text}\n      quote_columns: true\n    columns:\n      - name: id\n        description: the id\n        data_tests: [unique]\n"),
		strings.Replace(seed("plain", ""), "  - name: se\n", "  - name: se\n    config: {delimiter: \";\"}\n", 1),
		strings.Replace(seed("plain!", ""), "  - name: se\n", "  - name: se\n    config: {delimiter: \";\", enabled: true}\n", 1),
	} {
		steps = append(steps, patchStep{name: "edit " + string(rune('A'+i)), any: true, files: withFiles(nil, "seeds/_s.yml", s)})
	}
	steps = append(steps, patchStep{name: "the CSV and its description", any: true, files: withFiles(nil, "seeds/sd.csv", "id,name\n1,x\n2,z\n", "seeds/_s.yml", seed("plain?", ""))})
	runPatchSteps(t, steps)
}

// TestReview43DocsBlockOtherDescriptions: descriptions of a unit test,
// an analysis and a singular test (analyses: and data_tests: entries)
// and a YAML snapshot calling a docs block; the block edited.
func TestReview43DocsBlockOtherDescriptions(t *testing.T) {
	md := func(text string) string { return "{% docs blk %}\n" + text + "\n{% enddocs %}\n" }
	for _, c := range []struct{ name, yml string }{
		{"unit test", r43Models("x", "unit_tests:\n  - name: u\n    model: b\n    description: \"{{ doc('blk') }}\"\n    given:\n      - input: ref('a')\n        rows: [{id: 1}]\n    expect:\n      rows: [{id: 1}]\n")},
		{"analysis", r43Models("x", "analyses:\n  - name: an\n    description: \"{{ doc('blk') }}\"\n")},
		{"singular test", r43Models("x", "data_tests:\n  - name: st\n    description: \"{{ doc('blk') }}\"\n")},
		{"YAML snapshot", r43Models("x", "snapshots:\n  - name: a_hist\n    relation: ref('a')\n    config: {unique_key: id, strategy: check, check_cols: all}\n    description: \"{{ doc('blk') }}\"\n")},
	} {
		t.Run(c.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43Base(c.yml, "models/docs.md", md("one"), "analyses/an.sql", "select 1\n", "tests/st.sql", "select 1 where false\n")},
				{name: "the block edited", any: true, files: withFiles(nil, "models/docs.md", md("two"))},
			})
		})
	}
}

// TestReview43EntryWarnings: entries the compile warns about (an unknown
// property, a misspelt config key, an unknown top-level key) beside
// description edits that move lines or not; the warnings' lines.
func TestReview43EntryWarnings(t *testing.T) {
	r43Steps(t,
		r43Models("x", "    owner: me\n"),
		r43Models("x!", "    owner: me\n"),
		r43Models("|\n      x\n      y", "    owner: me\n"),
		r43Models("|\n      x\n      y", "    owner: you\n"),
		r43Models("|\n      x\n      y", "    config: {materialised: table}\n"),
		r43Models("x", "    config: {materialised: table}\n"),
		r43Models("x", "    config: {materialized: table}\n"),
		"notes: here\n"+r43Models("x", "    config: {materialized: table}\n"),
		"notes: here\n"+r43Models("x, edited", "    config: {materialized: table}\n"),
		"notes: here\n"+r43Models("|\n      x\n      edited", "    config: {materialized: table}\n"),
		r43Models("|\n      x\n      edited", "    config: {materialized: table}\n"),
		r43Models("|\n      x\n      edited", "    config: {materialized: table}\n    columns:\n      - name: id\n        data_tests: [unique, unique]\n"),
		r43Models("|\n      x\n      edited\n      more", "    config: {materialized: table}\n    columns:\n      - name: id\n        data_tests: [unique, unique]\n"),
		r43Models("x", "    columns:\n      - name: id\n        data_tests: [unique, unique]\n"),
	)
}

// TestReview43YAMLAndSQLOneSave: an entry's YAML (descriptions, tests,
// config, columns) and its model's SQL edited in one save, in ways that
// meet: the SQL's config() and the YAML's config:, a test of a column
// the SQL drops, a relationships test to a model whose alias changes.
func TestReview43YAMLAndSQLOneSave(t *testing.T) {
	yml := func(aRest, bRest string) string {
		return "version: 2\nmodels:\n  - name: a\n" + aRest + "  - name: b\n" + bRest
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
			"models/a.sql", "select 1 as id, 2 as x\n",
			"models/b.sql", "select id from {{ ref('a') }}\n",
			"models/_s.yml", yml("    description: the a\n", "    description: the b\n"))},
		{name: "a's description, a's SQL config", any: true, files: withFiles(nil,
			"models/_s.yml", yml("    description: the a!\n", "    description: the b\n"),
			"models/a.sql", "{{ config(tags=['t']) }}\nselect 1 as id, 2 as x\n")},
		{name: "a's YAML config, a's SQL config", any: true, files: withFiles(nil,
			"models/_s.yml", yml("    description: the a!\n    config: {tags: [y], meta: {k: 1}}\n", "    description: the b\n"),
			"models/a.sql", "{{ config(tags=['u'], meta={'k': 2}) }}\nselect 1 as id, 2 as x\n")},
		{name: "b's test of a, b's SQL drops a", any: true, files: withFiles(nil,
			"models/_s.yml", yml("    description: the a!\n    config: {tags: [y], meta: {k: 1}}\n", "    description: the b\n    columns:\n      - name: id\n        data_tests:\n          - relationships: {to: ref('a'), field: id}\n"),
			"models/b.sql", "select 1 as id\n")},
		{name: "a's alias in SQL, b's test description", any: true, files: withFiles(nil,
			"models/_s.yml", yml("    description: the a!\n    config: {tags: [y], meta: {k: 1}}\n", "    description: the b\n    columns:\n      - name: id\n        description: the id\n        data_tests:\n          - relationships: {to: ref('a'), field: id}\n"),
			"models/a.sql", "{{ config(tags=['u'], meta={'k': 2}, alias='a_real') }}\nselect 1 as id, 2 as x\n")},
		{name: "a made ephemeral in YAML, its columns described", any: true, files: withFiles(nil,
			"models/_s.yml", yml("    description: the a!\n    config: {materialized: ephemeral}\n    columns:\n      - name: id\n        description: the id\n", "    description: the b\n"),
			"models/b.sql", "select id from {{ ref('a') }}\n")},
		{name: "a's column description, a's SQL", any: true, files: withFiles(nil,
			"models/_s.yml", yml("    description: the a!\n    config: {materialized: ephemeral}\n    columns:\n      - name: id\n        description: the id!\n", "    description: the b\n"),
			"models/a.sql", "select 1 as id, 3 as x\n")},
		{name: "a a table again, b's description", any: true, files: withFiles(nil,
			"models/_s.yml", yml("    description: the a!\n    columns:\n      - name: id\n        description: the id!\n", "    description: the b!\n"))},
	})
}

// TestReview43ShiftedLinesThenDangling: description edits move lines
// (patched: the node index's lines shifted), then a model's file is
// removed with its entry left (the patch warns where the entry is now),
// and lines move again around the warned entry.
func TestReview43ShiftedLinesThenDangling(t *testing.T) {
	yml := func(aDesc, cDesc, bDesc string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: " + aDesc + "\n    columns:\n      - name: id\n        data_tests: [unique]\n" +
			"  - name: c\n    description: " + cDesc + "\n  - name: b\n    description: " + bDesc + "\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	}
	steps := []patchStep{{name: "cold", files: r43Base(yml("x", "y", "z"), "models/c.sql", "select 1 as id\n")}}
	for i, s := range [][3]string{
		{"|\n      x\n      x2\n      x3", "y", "z"},
		{"|\n      x\n      x2\n      x3", "|\n      y\n\n      y3", "z"},
		{"x", "|\n      y\n\n      y3\n      y4", "z"},
	} {
		steps = append(steps, patchStep{name: fmt.Sprintf("lines moved %d", i), any: true, files: withFiles(nil, "models/_s.yml", yml(s[0], s[1], s[2]))})
	}
	steps = append(steps,
		patchStep{name: "b's file removed", any: true, remove: []string{"models/b.sql"}},
		patchStep{name: "lines moved above b's entry", any: true, files: withFiles(nil, "models/_s.yml", yml("|\n      x\n      x2", "|\n      y\n\n      y3\n      y4", "z"))},
		patchStep{name: "c's file removed too", any: true, remove: []string{"models/c.sql"}},
		patchStep{name: "lines moved again", any: true, files: withFiles(nil, "models/_s.yml", yml("x", "y", "z"))},
		patchStep{name: "b back", any: true, files: withFiles(nil, "models/b.sql", "select id from {{ ref('a') }}\n")},
		patchStep{name: "c back", any: true, files: withFiles(nil, "models/c.sql", "select 1 as id\n")},
	)
	runPatchSteps(t, steps)
}

// TestReview43TemplatedSourceTables: a source whose schema and database
// are templated (rendered as its other tables'): tables added, removed,
// re-identified, documented; a model reading a new table in the save.
func TestReview43TemplatedSourceTables(t *testing.T) {
	own := "    schema: \"{{ target.schema }}_raw\"\n    database: \"{{ 'x' if false else target.database }}\"\n"
	r43SourceSteps(t,
		r43Src(own, "", ""),
		r43Src(own, "        description: the t\n", ""),
		r43Src(own, "        description: the t\n", "        identifier: u_real\n"),
		r43Src(own, "        description: the t\n", "        identifier: u_real\n      - name: v\n        description: vee\n"),
		r43Src(own, "        description: the t\n        columns: [{name: id, data_tests: [unique]}]\n", "        identifier: u_real\n      - name: v\n        description: vee\n"),
		r43Src(own+"    description: \"{{ target.name }}\"\n", "        description: the t\n", "        identifier: u_real\n"),
		r43Src(own+"    description: \"{{ target.name }}!\"\n", "", "        identifier: u_real\n"),
		r43Src(strings.Replace(own, "_raw", "_raw2", 1), "", "        identifier: u_real\n"),
	)
}

// TestReview43TagsReachTests: tags and meta of a column, a model entry
// and its config, which its tests may take, edited with the tests left
// as they were.
func TestReview43TagsReachTests(t *testing.T) {
	col := func(colExtra, entryExtra string) string {
		return r43Models("x", "") + entryExtra + "    columns:\n      - name: id\n" + colExtra + "        data_tests: [unique, {not_null: {config: {tags: [nn]}}}]\n"
	}
	r43Steps(t,
		col("", ""),
		col("        tags: [c]\n", ""),
		col("        tags: [c, d]\n        meta: {k: 1}\n", ""),
		col("        tags: [c, d]\n        meta: {k: 1}\n", "    tags: [e]\n"),
		col("        tags: [c, d]\n        meta: {k: 1}\n", "    config: {tags: [f], meta: {m: 1}}\n"),
		col("        tags: [c]\n", "    config: {tags: f, meta: {m: 2}}\n"),
		col("", "    config: {tags: [f], enabled: true}\n"),
		col("", ""),
	)
}

// TestReview43BrokenYAML: edits that break the file's YAML (a tab
// indenting, a quote left open, a colon in a plain description, an
// alias of no anchor, a reserved indicator): the cold compile fails and
// the patch must refuse; then mended. A BOM in the middle of the file.
func TestReview43BrokenYAML(t *testing.T) {
	steps := []patchStep{{name: "cold", files: r43Base(r43Models("x", ""))}}
	for _, s := range []struct{ name, yml string }{
		{"a tab indenting", strings.Replace(r43Models("x", ""), "    description: the b", "\tdescription: the b", 1)},
		{"a quote left open", r43Models("\"x", "")},
		{"a colon in a plain description", r43Models("a: b", "")},
		{"an alias of no anchor", r43Models("*nope", "")},
		{"a reserved indicator", r43Models("@x", "")},
		{"a block scalar under-indented", r43Models("|\n  x", "")},
		{"a flow sequence left open", r43Models("x", "    tags: [a, b\n")},
		{"an entry not a mapping", r43Models("x", "  - just text\n")},
		{"an empty entry", r43Models("x", "  -\n")},
		{"columns as text", r43Models("x", "    columns: id\n")},
	} {
		steps = append(steps,
			patchStep{name: s.name, coldFails: true, files: withFiles(nil, "models/_s.yml", s.yml)},
			patchStep{name: "mended after " + s.name, any: true, files: withFiles(nil, "models/_s.yml", r43Models("x, "+s.name, ""))})
	}
	// (YAML takes a BOM at a line's start)
	steps = append(steps, patchStep{name: "a BOM in the middle", any: true, files: withFiles(nil, "models/_s.yml", r43Models("x", "\ufeff  - name: c\n"))},
		patchStep{name: "and a description edited", any: true, files: withFiles(nil, "models/_s.yml", r43Models("x!", "\ufeff  - name: c\n"))})
	runPatchSteps(t, steps)
}

// TestReview43GraphReadsDescriptions: what reads a description through
// graph (a model's SQL, a macro it calls, a model's post-hook), with the
// description edited in YAML. (A post-hook or on-run-start calling a
// macro that names graph is patched, equal to cold, but the harness's
// "every node loads from the index" then fails: Result refuses, "macro
// desc_of names graph", and a run compiles whole; not a warm/cold
// difference, left out.)
func TestReview43GraphReadsDescriptions(t *testing.T) {
	read := `{{ graph.nodes['model.rc.a'].description if graph.nodes else '' }}`
	for _, c := range []struct {
		name string
		kv   []string
	}{
		{"a model's SQL", []string{"models/c.sql", "select '" + read + "' as d\n"}},
		{"a macro it calls", []string{"models/c.sql", "select '{{ desc_of() }}' as d\n", "macros/m.sql", "{% macro desc_of() %}" + read + "{% endmacro %}\n"}},
		{"a macro a macro calls", []string{"models/c.sql", "select '{{ outer() }}' as d\n", "macros/m.sql", "{% macro outer() %}{{ desc_of() }}{% endmacro %}\n{% macro desc_of() %}" + read + "{% endmacro %}\n"}},
		{"a post-hook", []string{"models/c.sql", "{{ config(post_hook=\"select '" + read + "'\") }}\nselect 1 as d\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			runPatchSteps(t, []patchStep{
				{name: "cold", files: r43Base(r43Models("the a", ""), c.kv...)},
				{name: "a's description", any: true, files: withFiles(nil, "models/_s.yml", r43Models("the a, edited", ""))},
				{name: "a's column's description", any: true, files: withFiles(nil, "models/_s.yml", strings.Replace(r43Models("the a, edited", ""), "the id", "the id!", 1))},
			})
		})
	}
}

// TestReview43OddLineBreaks: a properties file with lone CRs, and with
// NEL, LS and PS characters (line breaks to libyaml, which yaml.v3 is)
// in descriptions, plain (the cold compile fails: the line ends there)
// and quoted; edits that move the lines after them.
func TestReview43OddLineBreaks(t *testing.T) {
	cr := func(s string) string { return strings.ReplaceAll(s, "\n", "\r") }
	steps := []patchStep{{name: "cold", files: r43Base(r43Models("plain", ""))}}
	for i, s := range []struct {
		yml   string
		fails bool
	}{
		{r43Models("one\u2028two", ""), true},
		{r43Models("\"one\u2028two\u2029three\"", ""), false},
		{r43Models("\"one\u0085two\"", ""), false},
		{r43Models("'one\u0085two'", ""), false},
		{r43Models("|\n      one\u2028two\n      three", ""), true},
		{r43Models("|\n      one\u2028      two\n      three", ""), false},
		{r43Models("|\n      one\u2028      two\n      three\n      four", ""), false},
		{r43Models("plain", ""), false},
		{cr(r43Models("plain", "")), false},
		{cr(r43Models("plain!", "")), false},
		{cr(r43Models("|\n      two\n      lines", "")), false},
		{r43Models("|\n      two\n      lines", ""), false},
	} {
		steps = append(steps, patchStep{name: fmt.Sprintf("edit %d", i), any: !s.fails, coldFails: s.fails, files: withFiles(nil, "models/_s.yml", s.yml)})
	}
	runPatchSteps(t, steps)
}

// TestReview43SourceTableTests: a source table's tests (its own and its
// columns', quoted columns, relationships to a model and to another
// table, accepted_values), edited beside its source's quoting and
// identifier.
func TestReview43SourceTableTests(t *testing.T) {
	tab := func(own, cols string) string { return own + "        columns:\n" + cols }
	idT := "          - name: id\n            data_tests: [unique]\n"
	r43SourceSteps(t,
		r43Src("", tab("", idT), ""),
		r43Src("", tab("", "          - name: id\n            data_tests: [unique, not_null]\n"), ""),
		r43Src("", tab("", "          - name: ID\n            quote: true\n            data_tests: [unique, not_null]\n"), ""),
		r43Src("    quoting: {identifier: false}\n", tab("", "          - name: ID\n            quote: true\n            data_tests: [unique, not_null]\n"), ""),
		r43Src("    quoting: {identifier: false}\n", tab("        identifier: T2\n", "          - name: ID\n            quote: true\n            data_tests: [unique, not_null]\n"), ""),
		r43Src("", tab("        data_tests:\n          - unique: {column_name: id}\n", idT), ""),
		r43Src("", tab("", idT+"          - name: kind\n            data_tests:\n              - accepted_values:\n                  arguments: {values: ['a', \"b\", 'it''s']}\n"), ""),
		r43Src("", tab("", idT+"          - name: c_id\n            data_tests:\n              - relationships: {to: ref('c'), field: id}\n              - relationships: {to: \"source('s', 'u')\", field: id}\n"), ""),
		r43Src("", tab("", idT+"          - name: c_id\n            data_tests:\n              - relationships: {to: ref('c'), field: id, config: {severity: warn, where: \"id > 0\"}}\n"), ""),
		r43Src("", tab("", idT), ""),
	)
}

// TestReview43EscapesInSplicedEntries: descriptions whose JSON escapes
// (HTML characters, line separators, control characters, invalid UTF-8)
// in entries spliced through the node index: a source table's, its
// column's, a seed's, a disabled model's and an ephemeral model's.
func TestReview43EscapesInSplicedEntries(t *testing.T) {
	yml := func(d string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: " + d + "\n  - name: e\n    description: " + d + "\n    columns:\n      - name: id\n        description: " + d +
			"\n  - name: off\n    description: " + d + "\nseeds:\n  - name: sd\n    description: " + d + "\n    columns:\n      - name: id\n        description: " + d +
			"\nsources:\n  - name: s\n    description: " + d + "\n    tables:\n      - name: t\n        columns:\n          - name: id\n            description: " + d + "\n"
	}
	steps := []patchStep{{name: "cold", files: withFiles(nil, "mart.yml", r43Proj,
		"models/a.sql", "select * from {{ source('s', 't') }} join {{ ref('e') }} using (id)\n",
		"models/e.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id\n",
		"models/off.sql", "{{ config(enabled=false) }}\nselect 1 as id\n",
		"seeds/sd.csv", "id\n1\n",
		"models/_s.yml", yml("plain"))}}
	for i, d := range []string{`"<b>bold</b> & co"`, `"line\u2028sep\u2029para"`, `"tab\there, bell\a, nul\0, del\x7f"`, `"caf\xe9"`, `"emoji 🎉 \U0001F600"`, `'back\slash "q"'`, "plain"} {
		steps = append(steps, patchStep{name: fmt.Sprintf("edit %d", i), any: true, files: withFiles(nil, "models/_s.yml", yml(d))})
	}
	runPatchSteps(t, steps)
}

// TestReview43TypedConfigValues: an entry's config and meta (made again
// from YAML) with values of YAML's other types: timestamps of each form,
// large and odd numbers, binary, octal, hex, booleans of YAML 1.1.
func TestReview43TypedConfigValues(t *testing.T) {
	conf := func(meta string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n    config:\n      meta: " + meta + "\n  - name: b\n    description: the b\n"
	}
	r43Steps(t,
		conf("{when: 2024-01-02}"),
		conf("{when: 2024-01-02 10:00:00}"),
		conf("{when: 2024-01-02T10:00:00.123456789+02:00}"),
		conf("{when: !!timestamp 2024-1-2}"),
		conf("{when: \"2024-01-02\"}"),
		conf("{n: 12345678901234567890}"),
		conf("{n: 9007199254740993}"),
		conf("{n: 1e3, m: 0.1, o: -0.0, p: 1_000}"),
		conf("{n: 0x1F, m: 0o17, o: 017, p: +5}"),
		conf("{b: yes, c: on, d: y, e: True, f: FALSE}"),
		conf("{s: !!binary aGVsbG8=}"),
		conf("{k: ~, l: null, m: \"\", n: []}"),
		conf("{when: 2024-01-02}"),
	)
}
