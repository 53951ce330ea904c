package compiler

// Review 47: probes of generic tests whose arguments and where: render
// in the test's context (abfd8d3), and of partial parsing making such
// tests again when a var, env var or --full-refresh they read changes
// (9e5815c). Each patch step is compared with a cold compile.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const r47AtMost = "{% test at_most(model, column_name, n) %}select * from {{ model }} where {{ column_name }} > {{ n }}{% endtest %}\n"

// a column's tests (indented for a column of a model entry)
func r47Col(name string, tests ...string) string {
	s := "      - name: " + name + "\n        data_tests:\n"
	for _, t := range tests {
		s += t
	}
	return s
}

const r47WhereDs = "          - not_null:\n              config:\n                where: \"d = '{{ var('ds', '2024-01-01') }}'\"\n"
const r47ValsIds = "          - accepted_values:\n              values: \"{{ var('ids', [1, 2]) }}\"\n"

// tests on a source table read vars
func TestReview47SourceTableTestVars(t *testing.T) {
	src := "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        columns:\n          - name: id\n            data_tests:\n" +
		"              - not_null:\n                  config:\n                    where: \"d = '{{ var('ds', 'x') }}'\"\n" +
		"              - accepted_values:\n                  values: \"{{ var('ids', [1]) }}\"\n"
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/m.sql":  "select * from {{ source('s', 't') }}\n",
			"models/_s.yml": src,
		}},
		{name: "ds", vars: map[string]any{"ds": "y"}, patched: true},
		{name: "ids", vars: map[string]any{"ds": "y", "ids": []any{2, 3}}, patched: true},
		{name: "both back", vars: map[string]any{}, patched: true},
	})
}

// tests on a seed and a snapshot read vars
func TestReview47SeedSnapshotTestVars(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":           "name: p\n",
			"macros/at_most.sql": r47AtMost,
			"seeds/sd.csv":       "id,d\n1,2024-01-01\n",
			"seeds/_sd.yml":      "version: 2\nseeds:\n  - name: sd\n    columns:\n" + r47Col("id", r47WhereDs, "          - at_most:\n              n: \"var('n', 3)\"\n"),
			"snapshots/sn.sql": "{% snapshot sn %}{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}" +
				"select 1 as id, date '2024-01-01' as d{% endsnapshot %}\n",
			"snapshots/_sn.yml": "version: 2\nsnapshots:\n  - name: sn\n    columns:\n" + r47Col("id", r47ValsIds),
		}},
		{name: "ds", vars: map[string]any{"ds": "2024-01-02"}, patched: true},
		{name: "n", vars: map[string]any{"ds": "2024-01-02", "n": 1}, patched: true},
		{name: "ids", vars: map[string]any{"ds": "2024-01-02", "n": 1, "ids": []any{5}}, patched: true},
	})
}

// a versioned model's tests read a var: whole, and equal
func TestReview47VersionedModelTestVar(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":        "name: p\n",
			"models/v_v1.sql": "select 1 as id, date '2024-01-01' as d\n",
			"models/v_v2.sql": "select 2 as id, date '2024-01-01' as d\n",
			"models/_v.yml": "version: 2\nmodels:\n  - name: v\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n    columns:\n" +
				r47Col("id", r47WhereDs, r47ValsIds),
		}},
		{name: "ds", vars: map[string]any{"ds": "2024-01-02"}, any: true},
		{name: "ids", vars: map[string]any{"ds": "2024-01-02", "ids": []any{3}}, any: true},
	})
}

// the entry's YAML edited in the step its var changes; two columns read
// vars; a test removed, re-added, and its var changed twice
func TestReview47EntryEditsWithVars(t *testing.T) {
	yml := func(cols string) string {
		return "version: 2\nmodels:\n  - name: m\n    columns:\n" + cols +
			"  - name: other\n    columns:\n" + r47Col("id", "          - unique\n")
	}
	two := r47Col("id", r47WhereDs) + r47Col("k", "          - accepted_values:\n              values: \"{{ var('ks', ['a']) }}\"\n")
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":           "name: p\n",
			"macros/at_most.sql": r47AtMost,
			"models/m.sql":       "select 1 as id, 'a' as k, date '2024-01-01' as d\n",
			"models/other.sql":   "select 1 as id\n",
			"models/_m.yml":      yml(two),
		}},
		{name: "one var of two columns", vars: map[string]any{"ks": []any{"a", "b"}}, patched: true},
		{name: "the other", vars: map[string]any{"ks": []any{"a", "b"}, "ds": "2024-02-02"}, patched: true},
		{name: "entry edited with a var change", vars: map[string]any{"ks": []any{"z"}, "ds": "2024-02-02"},
			files: map[string]string{"models/_m.yml": yml(two + r47Col("d", "          - not_null\n"))}, any: true},
		{name: "a column's tests removed with its var changed", vars: map[string]any{"ks": []any{"y"}, "ds": "2024-02-03"},
			files: map[string]string{"models/_m.yml": yml(r47Col("id", r47WhereDs))}, any: true},
		{name: "its var after removal", vars: map[string]any{"ks": []any{"q"}, "ds": "2024-02-03"}, patched: true},
		{name: "re-added", files: map[string]string{"models/_m.yml": yml(two)}, any: true},
		{name: "its var after re-adding", vars: map[string]any{"ks": []any{"r"}, "ds": "2024-02-03"}, patched: true},
		{name: "again", vars: map[string]any{"ks": []any{"s"}, "ds": "2024-02-03"}, patched: true},
		{name: "the list var a scalar", vars: map[string]any{"ks": "abc", "ds": "2024-02-03"}, patched: true},
		{name: "the list var a number", vars: map[string]any{"ks": 7, "ds": "2024-02-03"}, coldFails: true},
		{name: "a list again", vars: map[string]any{"ks": []any{"a"}, "ds": "2024-02-03"}, any: true},
	})
}

// a test added by an edit whose macro reads a var, the var changed twice
func TestReview47AddedMacroTestVarTwice(t *testing.T) {
	yml := func(more string) string {
		return "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - unique\n"+more)
	}
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":        "name: p\n",
			"macros/vmin.sql": "{% test vmin(model, column_name) %}select * from {{ model }} where {{ column_name }} < {{ var('vmin', 0) }}{% endtest %}\n",
			"models/m.sql":    "select 1 as id\n",
			"models/_m.yml":   yml(""),
		}},
		{name: "vmin added", files: map[string]string{"models/_m.yml": yml("          - vmin\n")}, any: true},
		{name: "var once", vars: map[string]any{"vmin": 1}, patched: true},
		{name: "var twice", vars: map[string]any{"vmin": 2}, patched: true},
		{name: "var gone", vars: map[string]any{}, patched: true},
	})
}

// an argument calls a project macro that reads a var and an env var (with a default)
func TestReview47ArgumentMacroReadsVarEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":           "name: p\n",
			"macros/at_most.sql": r47AtMost,
			"macros/lim.sql":     "{% macro lim() %}{{ var('lim', 4) }}{% endmacro %}\n{% macro envlim() %}{{ env_var('R47_LIM', '9') }}{% endmacro %}\n",
			"models/m.sql":       "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id",
				"          - at_most:\n              n: \"{{ lim() }}\"\n",
				"          - at_most:\n              name: env_at_most\n              n: \"{{ envlim() }}\"\n",
				"          - not_null:\n              where: \"id < {{ env_var('R47_W', '100') }}\"\n"),
		}},
		{name: "lim", vars: map[string]any{"lim": 2}, patched: true},
		{name: "env via macro", env: map[string]string{"R47_LIM": "3"}, patched: true},
		{name: "env in where", env: map[string]string{"R47_W": "50"}, patched: true},
		{name: "env again", env: map[string]string{"R47_W": "51", "R47_LIM": "4"}, patched: true},
	})
}

// relationships whose to: names a model by a var: the test's parents change
func TestReview47RelationshipsToByVar(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select 2 as id\n",
			"models/m.sql":  "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - relationships:\n              to: \"ref(var('parent', 'a'))\"\n              field: id\n"),
		}},
		{name: "parent b", vars: map[string]any{"parent": "b"}, any: true},
		{name: "parent a", vars: map[string]any{"parent": "a"}, any: true},
	})
}

// the same, with {{ }}
func TestReview47RelationshipsToByVarBraces(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select 2 as id\n",
			"models/m.sql":  "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - relationships:\n              to: \"{{ ref(var('parent', 'a')) }}\"\n              field: id\n"),
		}},
		{name: "parent b", vars: map[string]any{"parent": "b"}, any: true},
	})
}

// accepted_values with quote: false, and quote read from a var
func TestReview47AcceptedValuesQuote(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/m.sql": "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id",
				"          - accepted_values:\n              values: \"{{ var('nums', [1, 2]) }}\"\n              quote: false\n",
				"          - accepted_values:\n              name: av_q\n              values: [1, 2]\n              quote: \"{{ var('q', false) }}\"\n"),
		}},
		{name: "nums", vars: map[string]any{"nums": []any{3}}, patched: true},
		{name: "q", vars: map[string]any{"nums": []any{3}, "q": true}, patched: true},
	})
}

// --full-refresh read by a test's where:, toggled; and by a
// relationships test's to: (its parents change)
func TestReview47FullRefreshWhere(t *testing.T) {
	r47FullRefresh(t, "          - not_null:\n              where: \"{{ 'id > 0' if flags.FULL_REFRESH else 'id > 1' }}\"\n")
}

func TestReview47FullRefreshRelationships(t *testing.T) {
	r47FullRefresh(t, "          - relationships:\n              to: \"ref('a' if flags.FULL_REFRESH else 'b')\"\n              field: id\n")
}

func r47FullRefresh(t *testing.T, tests string) {
	opt := frProject(t, map[string]string{
		"mart.yml":      "name: p\n",
		"models/m.sql":  "select 1 as id\n",
		"models/a.sql":  "select 1 as id\n",
		"models/b.sql":  "select 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", tests),
	})
	for i, fr := range []bool{true, false, true, true, false} {
		p, why := fullRefreshAsCold(t, opt, fr, "toggle "+string(rune('0'+i)))
		t.Logf("toggle %d (%v): patched=%v %s", i, fr, p != nil, why)
	}
	// with a var change between
	opt.Vars = map[string]any{"x": 1}
	fullRefreshAsCold(t, opt, true, "a var and --full-refresh")
}

// bodies of every test in a cold compile by name
func r47Tests(t *testing.T, files map[string]string, vars map[string]any) map[string]*Node {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	newStepWriter(t, dir).write(files, nil, os.Remove)
	res, d := Compile(Options{ProjectDir: dir, InvocationID: "inv", Vars: vars})
	require.NotNil(t, res, "%v", d)
	out := map[string]*Node{}
	for id, n := range res.Manifest.Nodes {
		if strings.HasPrefix(id, "test.") {
			out[n.Name] = n
		}
	}
	return out
}

// dbt renders a test's config (where: too) with get_rendered only, not
// as a looks_like_func argument: where: "var('w')" stays that text
// (generic_test_builders.py _render_values).
func TestReview47WhereBareCallIsText(t *testing.T) {
	got := r47Tests(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/m.sql": "select 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id",
			"          - not_null:\n              config:\n                where: \"var('w', 'id > 0')\"\n"),
	}, nil)
	n := got["not_null_m_id"]
	require.NotNil(t, n)
	require.Contains(t, n.CompiledCode, "where var('w', 'id > 0')", "dbt splices the where: text as written: %s", n.CompiledCode)
}

// dbt's manifest has a test's config.where rendered (at parse); mart's
// keeps it as written, and renders it in the test's SQL
// (docs/dbt-compatibility.md, "Generic test arguments and where:")
func TestReview47ConfigWhereAsWrittenInManifest(t *testing.T) {
	got := r47Tests(t, map[string]string{
		"mart.yml":      "name: p\n",
		"models/m.sql":  "select 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", r47WhereDs),
	}, map[string]any{"ds": "2024-05-05"})
	n := got["not_null_m_id"]
	require.NotNil(t, n)
	require.Contains(t, n.CompiledCode, "d = '2024-05-05'")
	require.Equal(t, "d = '{{ var('ds', '2024-01-01') }}'", n.Config["where"], "mart's config.where is as written")
}

// a top-level column_name argument is not rendered (dbt's keypath
// ("column_name",)); one nested in a list is
func TestReview47ColumnNameTemplate(t *testing.T) {
	files := map[string]string{
		"mart.yml":           "name: p\n",
		"macros/at_most.sql": r47AtMost,
		"models/m.sql":       "select 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    data_tests:\n      - at_most:\n          column_name: \"{{ var('c', 'id') }}\"\n          n: 3\n" +
			"      - accepted_values:\n          column_name: id\n          values: [\"{{ var('c', 'id') }}\"]\n",
	}
	got := r47Tests(t, files, nil)
	for name, n := range got {
		t.Logf("%s: %s", name, n.CompiledCode)
	}
	runPatchSteps(t, []patchStep{
		{name: "project", files: files},
		{name: "c", vars: map[string]any{"c": "x"}, any: true},
	})
}

// an argument with whitespace around one expression is a string in dbt
// (text nodes around it: native_concat joins them)
func TestReview47SpacedExpressionIsString(t *testing.T) {
	got := r47Tests(t, map[string]string{
		"mart.yml":        "name: p\n",
		"macros/show.sql": "{% test show(model, column_name, v) %}select '{{ v is string }}' as s, {{ v | length }} as n from {{ model }}{% endtest %}\n",
		"models/m.sql":    "select 1 as id\n",
		"models/_m.yml":   "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - show:\n              v: \" {{ var('ids', [1, 2]) }} \"\n"),
	}, nil)
	var n *Node
	for _, x := range got {
		n = x
	}
	require.NotNil(t, n)
	require.Contains(t, n.CompiledCode, "'True' as s, 8 as n", n.CompiledCode)
}

// enabled: and severity: read vars (rendered as the file loads): whole
// compiles, equal to cold ones
func TestReview47EnabledSeverityVars(t *testing.T) {
	yml := "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id",
		"          - not_null:\n              config:\n                enabled: \"{{ var('on', true) }}\"\n                where: \"id > {{ var('lo', 0) }}\"\n",
		"          - unique:\n              config:\n                severity: \"{{ var('sev', 'warn') }}\"\n")
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{"mart.yml": "name: p\n", "models/m.sql": "select 1 as id\n", "models/_m.yml": yml}},
		{name: "lo", vars: map[string]any{"lo": 1}, any: true},
		{name: "off", vars: map[string]any{"lo": 1, "on": false}, any: true},
		{name: "lo while off", vars: map[string]any{"lo": 2, "on": false}, any: true},
		{name: "on", vars: map[string]any{"lo": 2, "on": true}, any: true},
		{name: "sev", vars: map[string]any{"lo": 2, "on": true, "sev": "error"}, any: true},
	})
}

// a disabled test reads a var in its where:
func TestReview47DisabledTestVar(t *testing.T) {
	yml := func(enabled string) string {
		return "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id",
			"          - not_null:\n              config:\n                enabled: "+enabled+"\n                where: \"id > {{ var('lo', 0) }}\"\n")
	}
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{"mart.yml": "name: p\n", "models/m.sql": "select 1 as id\n", "models/_m.yml": yml("false")}},
		{name: "lo", vars: map[string]any{"lo": 1}, any: true},
		{name: "enabled", files: map[string]string{"models/_m.yml": yml("true")}, any: true},
		{name: "lo again", vars: map[string]any{"lo": 2}, patched: true},
		{name: "disabled, lo", vars: map[string]any{"lo": 3}, files: map[string]string{"models/_m.yml": yml("false")}, any: true},
		{name: "lo while disabled", vars: map[string]any{"lo": 4}, any: true},
	})
}

// a data_tests: folder +where: that reads a var (rendered as the project
// loads): whole compiles, equal; and the test's id
func TestReview47FolderWhereVar(t *testing.T) {
	files := map[string]string{
		"mart.yml":      "name: p\ndata_tests:\n  p:\n    +where: \"id > {{ var('lo', 0) }}\"\n",
		"models/m.sql":  "select 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - not_null\n"),
	}
	a := r47Tests(t, files, nil)["not_null_m_id"]
	b := r47Tests(t, files, map[string]any{"lo": 5})["not_null_m_id"]
	require.Contains(t, b.CompiledCode, "id > 5")
	runPatchSteps(t, []patchStep{
		{name: "project", files: files},
		{name: "lo", vars: map[string]any{"lo": 1}, any: true},
		{name: "lo 2", vars: map[string]any{"lo": 2}, any: true},
	})
	// (a folder's where: renders as the project file loads, and the id
	// hashes it rendered: docs/dbt-compatibility.md)
	require.NotEqual(t, a.UniqueID, b.UniqueID)
}

// a where: in the test body (not in config:) and one in config: of two
// tests of one column, and a var read in both an argument and where:
func TestReview47LegacyWhereAndMixed(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":           "name: p\n",
			"macros/at_most.sql": r47AtMost,
			"models/m.sql":       "select 1 as id, date '2024-01-01' as d\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id",
				"          - not_null:\n              where: \"d = '{{ var('ds', '2024-01-01') }}'\"\n",
				"          - at_most:\n              n: \"{{ var('n', 1) }}\"\n              config:\n                where: \"id < {{ var('n', 1) }} and d = '{{ var('ds', '2024-01-01') }}'\"\n"),
		}},
		{name: "ds", vars: map[string]any{"ds": "2024-01-03"}, patched: true},
		{name: "n", vars: map[string]any{"ds": "2024-01-03", "n": 7}, patched: true},
	})
}

// a {% %} or {# #} in an argument or where: added by an edit: the cold
// compile fails, and the patch must refuse it; and after a good compile
// once more
func TestReview47StatementRefusedByPatch(t *testing.T) {
	good := "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", r47WhereDs)
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{"mart.yml": "name: p\n", "models/m.sql": "select 1 as id, date '2024-01-01' as d\n", "models/_m.yml": good}},
		{name: "a statement in where:", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" +
			r47Col("id", "          - not_null:\n              config:\n                where: \"{% if true %}id > 0{% endif %}\"\n")}, coldFails: true},
		{name: "good again", files: map[string]string{"models/_m.yml": good}, any: true},
		{name: "a comment in an argument", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" +
			r47Col("id", "          - accepted_values:\n              values: [\"{# c #}a\"]\n")}, coldFails: true},
		{name: "good, and a var", vars: map[string]any{"ds": "2024-03-03"}, files: map[string]string{"models/_m.yml": good}, any: true},
	})
}

// a where: with {% %} in a folder config: is it refused, or passed as
// text? (a cold compile must not crash; patch equals cold)
func TestReview47FolderWhereStatement(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\ndata_tests:\n  p:\n    +where: \"{% if var('x', 1) == 1 %}id > 0{% else %}id > 1{% endif %}\"\n",
			"models/m.sql":  "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - not_null\n"),
		}},
		{name: "x", vars: map[string]any{"x": 2}, any: true},
	})
}

// a model and a test read one var; the model's file edited and the test
// entry's YAML edited in the step the var changes; then the model removed
func TestReview47ModelAndTestShareVar(t *testing.T) {
	yml := func(extra string) string {
		return "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", r47WhereDs+extra)
	}
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/m.sql":  "select 1 as id, date '{{ var('ds', '2024-01-01') }}' as d\n",
			"models/n.sql":  "select '{{ var('ds', '2024-01-01') }}' as ds\n",
			"models/_m.yml": yml(""),
		}},
		{name: "all three", vars: map[string]any{"ds": "2024-01-02"}, files: map[string]string{
			"models/m.sql":  "select 2 as id, date '{{ var('ds', '2024-01-01') }}' as d\n",
			"models/_m.yml": yml("          - unique\n")}, any: true},
		{name: "var", vars: map[string]any{"ds": "2024-01-03"}, patched: true},
		{name: "model m removed with its entry", remove: []string{"models/m.sql"}, files: map[string]string{"models/_m.yml": "version: 2\nmodels: []\n"},
			vars: map[string]any{"ds": "2024-01-04"}, any: true},
		{name: "var after", vars: map[string]any{"ds": "2024-01-05"}, patched: true},
	})
}

// the YAML entry moves to another file in the step its var changes
func TestReview47EntryMovesWithVar(t *testing.T) {
	yml := "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", r47WhereDs)
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{"mart.yml": "name: p\n", "models/m.sql": "select 1 as id, date '2024-01-01' as d\n", "models/_a.yml": yml}},
		{name: "moved, var", remove: []string{"models/_a.yml"}, files: map[string]string{"models/_b.yml": yml}, vars: map[string]any{"ds": "2024-01-02"}, any: true},
		{name: "var", vars: map[string]any{"ds": "2024-01-03"}, patched: true},
	})
}

// a test that reads a var through a macro it calls only when another
// var says so: the reads change after a remake
func TestReview47ConditionalMacroReads(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"macros/m.sql":  "{% macro hi() %}{{ var('hi', 10) }}{% endmacro %}\n",
			"macros/t.sql":  "{% test capped(model, column_name, mode) %}select * from {{ model }} where {{ column_name }} > {% if mode == 'hi' %}{{ hi() }}{% else %}0{% endif %}{% endtest %}\n",
			"models/m.sql":  "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - capped:\n              mode: \"{{ var('mode', 'lo') }}\"\n"),
		}},
		{name: "hi unread", vars: map[string]any{"hi": 11}, patched: true},
		{name: "mode hi", vars: map[string]any{"hi": 11, "mode": "hi"}, patched: true},
		{name: "hi read now", vars: map[string]any{"hi": 12, "mode": "hi"}, patched: true},
	})
}

var _ = filepath.Join

// dbt 1.10's arguments: key, the test_name: form, a model entry with a
// doc() description, and a source table's own (table-level) tests
func TestReview47OtherForms(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":           "name: p\n",
			"macros/at_most.sql": r47AtMost,
			"models/docs.md":     "{% docs m_doc %}\nthe m model\n{% enddocs %}\n",
			"models/m.sql":       "select * from {{ source('s', 't') }}\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    description: \"{{ doc('m_doc') }}\"\n    columns:\n" + r47Col("id",
				"          - accepted_values:\n              arguments:\n                values: \"{{ var('ids', [1]) }}\"\n",
				"          - test_name: at_most\n            name: named_at_most\n            n: \"{{ var('n', 2) }}\"\n            where: \"id > {{ var('lo', 0) }}\"\n") +
				"sources:\n  - name: s\n    tables:\n      - name: t\n        data_tests:\n          - at_most:\n              column_name: id\n              n: \"var('n', 2)\"\n",
		}},
		{name: "ids", vars: map[string]any{"ids": []any{1, 2}}, any: true},
		{name: "n", vars: map[string]any{"ids": []any{1, 2}, "n": 5}, any: true},
		{name: "lo", vars: map[string]any{"ids": []any{1, 2}, "n": 5, "lo": 1}, any: true},
	})
}

// a macro the test calls edited in the step the var it reads changes;
// another entry of the same file edited in the step a var changes
func TestReview47MacroAndVarSameStep(t *testing.T) {
	yml := func(otherTests string) string {
		return "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - at_most:\n              n: \"{{ var('n', 2) }}\"\n") +
			"  - name: o\n    columns:\n" + r47Col("id", otherTests)
	}
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":           "name: p\n",
			"macros/at_most.sql": r47AtMost,
			"models/m.sql":       "select 1 as id\n",
			"models/o.sql":       "select 1 as id\n",
			"models/_m.yml":      yml("          - unique\n"),
		}},
		{name: "macro and var", vars: map[string]any{"n": 3}, files: map[string]string{
			"macros/at_most.sql": strings.Replace(r47AtMost, "> {{ n }}", ">= {{ n }}", 1)}, any: true},
		{name: "other entry and var", vars: map[string]any{"n": 4}, files: map[string]string{"models/_m.yml": yml("          - unique\n          - not_null\n")}, any: true},
		{name: "other entry gains a var reader and var", vars: map[string]any{"n": 5}, files: map[string]string{"models/_m.yml": yml("          - at_most:\n              n: \"{{ var('n', 2) }}\"\n")}, any: true},
		{name: "var", vars: map[string]any{"n": 6}, patched: true},
	})
}

// a test added by an edit whose where: reads --full-refresh, then toggled
func TestReview47AddedTestReadsFullRefresh(t *testing.T) {
	base := map[string]string{
		"mart.yml":      "name: p\n",
		"models/m.sql":  "select 1 as id\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - unique\n"),
	}
	opt := frProject(t, base)
	w := newStepWriter(t, opt.ProjectDir)
	w.write(map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - unique\n",
		"          - not_null:\n              where: \"{{ 'id > 0' if flags.FULL_REFRESH else 'id > 1' }}\"\n")}, nil, os.Remove)
	p, why := fullRefreshAsCold(t, opt, false, "test added")
	t.Logf("added: patched=%v %s", p != nil, why)
	for i, fr := range []bool{true, false, true} {
		p, why := fullRefreshAsCold(t, opt, fr, "toggle "+string(rune('0'+i)))
		t.Logf("toggle %d (%v): patched=%v %s", i, fr, p != nil, why)
	}
}

// text parts with backslashes, quotes and non-ASCII around an expression
func TestReview47EscapesAroundExpression(t *testing.T) {
	got := r47Tests(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/m.sql": "select 'a' as k\n",
		"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("k",
			"          - not_null:\n              where: 'k ~ ''\\d+\"é\u00a0'' or k = ''{{ var(\"v\", \"x\") }}'''\n"),
	}, nil)
	n := got["not_null_m_k"]
	require.NotNil(t, n)
	require.Contains(t, n.CompiledCode, "where k ~ '\\d+\"é\u00a0' or k = 'x')", n.CompiledCode)
}

// a secret env var read in a where: (dbt refuses one outside
// profiles), and a var with no value: the error is at the test's line
func TestReview47ErrorLineInWhere(t *testing.T) {
	t.Setenv("DBT_ENV_SECRET_R47", "s1")
	for _, tc := range []string{
		"          - not_null:\n              where: \"id <> '{{ env_var('DBT_ENV_SECRET_R47') }}'\"\n",
		"          - not_null:\n              where: \"id <> {{ var('r47_missing') }}\"\n",
		"          - accepted_values:\n              values: \"{{ var('r47_missing') }}\"\n",
	} {
		t.Setenv("MART_PROFILES_DIR", "")
		dir := t.TempDir()
		newStepWriter(t, dir).write(map[string]string{
			"mart.yml":      "name: p\n",
			"models/m.sql":  "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - unique\n"+tc),
		}, nil, os.Remove)
		res, d := Compile(Options{ProjectDir: dir, InvocationID: "inv"})
		require.Nil(t, res)
		assert.Contains(t, strings.Join(diagLines(d), "\n"), "models/_m.yml:8:", "the error points at the test (line 8)")
	}
}

// a where: that reads target.name, the target changed
func TestReview47WhereReadsTarget(t *testing.T) {
	yml := "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id",
		"          - not_null:\n              where: \"'{{ target.name }}' = 'prod' or id > {{ var('lo', 0) }}\"\n")
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": dmProject, "models/m.sql": "select 1 as id\n", "models/_m.yml": yml}},
		{name: "target prod", any: true, target: "prod"},
		{name: "a var under prod", any: true, target: "prod", vars: map[string]any{"lo": 1}},
		{name: "target dev", any: true, target: "dev", vars: map[string]any{"lo": 1}},
		{name: "a var under dev", patched: true, target: "dev", vars: map[string]any{"lo": 2}},
	})
}

// a package's project file and the root's data_tests: +where: for a
// package's tests (dbt: the root's config wins), with a var change
func TestReview47PackageFolderWhere(t *testing.T) {
	files := map[string]string{
		"mart.yml":                        "name: p\ndata_tests:\n  pk:\n    +where: \"id > {{ var('root_lo', 1) }}\"\n",
		"models/m.sql":                    "select 1 as id\n",
		"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\ndata_tests:\n  pk:\n    +where: \"id > 100\"\n",
		"dbt_packages/pk/models/pm.sql":   "select 1 as id\n",
		"dbt_packages/pk/models/_t.yml":   "version: 2\nmodels:\n  - name: pm\n    columns:\n" + r47Col("id", "          - not_null\n"),
	}
	got := r47Tests(t, files, nil)
	n := got["not_null_pm_id"]
	require.NotNil(t, n)
	require.Contains(t, n.CompiledCode, "where id > 1)", "the root project's config for the package's tests wins: %s", n.CompiledCode)
	runPatchSteps(t, []patchStep{
		{name: "project", files: files},
		{name: "root_lo", vars: map[string]any{"root_lo": 2}, any: true},
	})
}

// a description edit (lines added above the tests) in the step a var the
// tests read changes, then the var again
func TestReview47DescriptionEditWithVar(t *testing.T) {
	yml := func(desc string) string {
		return "version: 2\nmodels:\n  - name: m\n    description: " + desc + "\n    columns:\n" + r47Col("id", r47WhereDs, r47ValsIds) +
			"  - name: o\n    description: " + desc + "\n    columns:\n" + r47Col("id", "          - unique\n")
	}
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{"mart.yml": "name: p\n", "models/m.sql": "select 1 as id, date '2024-01-01' as d\n",
			"models/o.sql": "select 1 as id\n", "models/_m.yml": yml("one")}},
		{name: "description and var", vars: map[string]any{"ds": "2024-01-02"}, files: map[string]string{"models/_m.yml": yml("|\n      two\n      lines\n      more")}, any: true},
		{name: "var", vars: map[string]any{"ds": "2024-01-03"}, patched: true},
		{name: "description back and ids", vars: map[string]any{"ds": "2024-01-03", "ids": []any{4}}, files: map[string]string{"models/_m.yml": yml("one")}, any: true},
		{name: "ids", vars: map[string]any{"ds": "2024-01-03", "ids": []any{5}}, patched: true},
	})
}

// a where: that refs a model named by a var (dbt renders where: as the
// file loads, where ref() is not defined; mart renders it in the test's
// render): patched equals cold when the var changes the test's parents
func TestReview47RefInWhereByVar(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select 2 as id\n",
			"models/m.sql":  "select 1 as id\n",
			"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n" + r47Col("id", "          - not_null:\n              where: \"id in (select id from {{ ref(var('par', 'a')) }})\"\n"),
		}},
		{name: "par b", vars: map[string]any{"par": "b"}, any: true},
		{name: "par a", vars: map[string]any{"par": "a"}, any: true},
	})
}
