package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltinTestSQL: the SQL builtinTestSQL writes for unique and
// not_null equals what the macros of builtin/tests.sql render, with the
// same macro dependencies, on the test projects, on the demo and on a
// project with a where config, a source and a project-defined test.
func TestBuiltinTestSQL(t *testing.T) {
	testdataEnv(t)
	extra := t.TempDir()
	files := map[string]string{
		"mart.yml":            "name: extra\n",
		"models/a.sql":        "select 1 as id, 'x' as name",
		"models/b.sql":        "select * from {{ ref('a') }}",
		"macros/not_null.sql": "{% test not_null(model, column_name) %}select * from {{ model }} where {{ column_name }} is null and 1 = 1{% endtest %}",
		"models/schema.yml": `version: 2
sources:
  - name: raw
    tables:
      - name: events
        columns:
          - name: id
            data_tests: [unique]
models:
  - name: a
    columns:
      - name: id
        data_tests:
          - unique:
              config: {where: "id > 0"}
          - not_null
      - name: name
        data_tests: [unique, accepted_values: {values: [x]}]
  - name: b
    data_tests:
      - unique: {column_name: id}
`,
	}
	for name, text := range files {
		p := filepath.Join(extra, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	compile := func(dir string) map[string]*Node {
		res, diags := Compile(Options{ProjectDir: dir, InvocationID: "x", RunStartedAt: "2026-01-01 00:00:00"})
		require.False(t, diags.HasErrors(), "%v", diags)
		tests := map[string]*Node{}
		for id, n := range res.Manifest.Nodes {
			if n.ResourceType == TypeTest && n.TestType == "generic" {
				tests[id] = n
			}
		}
		return tests
	}
	fast := 0
	for _, dir := range []string{"../testdata/tests_basic", "../testdata/compile_features", "../testdata/compile_dbt", "..", extra} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := compile(dir)
			builtinTestFastPath = false
			want := compile(dir)
			builtinTestFastPath = true
			require.Equal(t, len(want), len(got))
			for id, w := range want {
				g := got[id]
				require.NotNil(t, g, id)
				require.Equal(t, w.CompiledCode, g.CompiledCode, id)
				require.Equal(t, w.DependsOn, g.DependsOn, id)
				if g.TestMetadata.Name == "unique" || g.TestMetadata.Name == "not_null" {
					fast++
				}
			}
		})
	}
	require.Greater(t, fast, 10)
}

// FuzzIdentOnly: identOnly does what the regexp it replaced did.
func FuzzIdentOnly(f *testing.F) {
	re := regexp.MustCompile(`[^A-Za-z0-9_]+`)
	for _, s := range []string{"", "unique_orders_id", "accepted_values_orders_status__a__b", "a.b-c", "--x--", "é_x", "a  b", "__"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		require.Equal(t, re.ReplaceAllString(s, "_"), identOnly(s), "%q", s)
	})
}

// TestColumnQuoteTrue: a column with `quote: true` reaches its generic
// tests quoted by the dialect (as dbt's adapter.quote does), both through
// the builtin fast path and through a test macro, on model and source
// columns; the test's name and column_name stay the written name.
func TestColumnQuoteTrue(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"mart.yml":     "name: q\n",
		"models/a.sql": `select 1 as "Weird ""col"";x"`,
		"models/schema.yml": `version: 2
sources:
  - name: raw
    tables:
      - name: events
        columns:
          - name: 'Weird "col";x'
            quote: true
            data_tests: [not_null]
models:
  - name: a
    columns:
      - name: 'Weird "col";x'
        quote: true
        data_tests: [unique, not_null, {accepted_values: {values: [1]}}]
      - name: plain
        data_tests: [not_null]
`,
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	for _, fast := range []bool{true, false} {
		builtinTestFastPath = fast
		res, diags := Compile(Options{ProjectDir: dir, InvocationID: "x", RunStartedAt: "2026-01-01 00:00:00"})
		builtinTestFastPath = true
		require.False(t, diags.HasErrors(), "%v", diags)
		n := 0
		for id, nd := range res.Manifest.Nodes {
			if nd.ResourceType != TypeTest {
				continue
			}
			n++
			if nd.ColumnName == "plain" {
				require.Contains(t, nd.CompiledCode, "plain is null", id)
				continue
			}
			require.Equal(t, `Weird "col";x`, nd.ColumnName, id)
			require.NotContains(t, nd.Name, `"`, id)
			require.Contains(t, nd.CompiledCode, `"Weird ""col"";x"`, "fast path %v: %s", fast, id)
			require.NotContains(t, regexp.MustCompile(`"Weird ""col"";x"`).ReplaceAllString(nd.CompiledCode, ""), `Weird`, "fast path %v: %s", fast, id)
		}
		require.Equal(t, 5, n)
	}
}

// TestSourceQuotingColumn: a source's quoting: {column: true} quotes the
// columns of its tables that do not say quote: themselves, in their tests,
// as dbt does; a table's quoting: wins over its source's; the names are
// dbt's (the quoted name cleaned: source_not_null_raw_events__Id_).
func TestSourceQuotingColumn(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"mart.yml": "name: q\n",
		"models/schema.yml": `version: 2
sources:
  - name: raw
    quoting: {column: true}
    tables:
      - name: events
        columns:
          - {name: Id, data_tests: [not_null]}
          - {name: plain, quote: false, data_tests: [not_null]}
      - name: other
        quoting: {column: false}
        columns:
          - {name: Id, data_tests: [not_null]}
  - name: raw2
    tables:
      - name: t
        columns:
          - {name: Id, data_tests: [not_null]}
`,
	})
	res, diags := Compile(Options{ProjectDir: dir, InvocationID: "x", RunStartedAt: "2026-01-01 00:00:00"})
	require.False(t, diags.HasErrors(), "%v", diags)
	got := map[string]string{}
	for _, nd := range res.Manifest.Nodes {
		if nd.ResourceType == TypeTest {
			got[nd.Name] = nd.CompiledCode
		}
	}
	require.Len(t, got, 4, "%v", got)
	require.Contains(t, got["source_not_null_raw_events__Id_"], `"Id" is null`)
	require.Contains(t, got["source_not_null_raw_events_plain"], "plain is null")
	require.Contains(t, got["source_not_null_raw_other_Id"], "Id is null")
	require.Contains(t, got["source_not_null_raw2_t_Id"], "Id is null")
}

// TestBothTestKeys: tests: and data_tests: on one entry, column, source
// table or version is an error at its line, as dbt refuses it.
func TestBothTestKeys(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"mart.yml":        "name: q\n",
		"models/a.sql":    "select 1 as id",
		"models/d_v1.sql": "select 1 as id",
		"models/schema.yml": `version: 2
models:
  - name: a
    tests: [x]
    data_tests: [y]
    columns:
      - name: id
        tests: [not_null]
        data_tests: [unique]
  - name: d
    versions:
      - v: 1
        tests: [x]
        data_tests: [y]
sources:
  - name: raw
    tables:
      - name: t
        tests: [x]
        data_tests: [y]
`,
	})
	_, diags := Compile(Options{ProjectDir: dir, InvocationID: "x", RunStartedAt: "2026-01-01 00:00:00"})
	var got []string
	for _, d := range diags {
		if strings.Contains(d.Summary, "both tests: and data_tests:") {
			got = append(got, fmt.Sprintf("%d %s", d.Line, d.Summary))
		}
	}
	sort.Strings(got)
	require.Equal(t, []string{
		`12 model "d" version 1 has both tests: and data_tests:`,
		`18 source raw table "t" has both tests: and data_tests:`,
		`3 model "a" has both tests: and data_tests:`,
		`7 model "a" column "id" has both tests: and data_tests:`,
	}, got)
}

// TestUnitTestGivenMustBeAnInput: a unit test's given input that the model
// does not read would leave the real relation in the test, silently: it is
// an error at the given's line. Quoted names and versions parse whole.
func TestUnitTestGivenMustBeAnInput(t *testing.T) {
	unit := func(input string) string {
		return "version: 2\nunit_tests:\n  - name: u\n    model: m\n    given:\n      - input: " + input +
			"\n        rows: [{id: 1}]\n    expect:\n      rows: [{id: 1}]\n"
	}
	base := map[string]string{
		"mart.yml":       "name: p\n",
		"models/a.sql":   "select 1 as id",
		"models/o.sql":   "select 1 as id",
		"models/q'q.sql": "select 1 as id",
		"models/m.sql":   "select * from {{ ref('a') }} union all select * from {{ ref(\"q'q\") }} union all select * from {{ source('raw', 'ev') }}",
		"models/src.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: ev\n",
	}
	for _, tc := range []struct{ input, want string }{
		{`"ref('a')"`, ""},
		{`ref("a")`, ""},
		{`"ref(\"q'q\")"`, ""},
		{`"source('raw', 'ev')"`, ""},
		{`"ref('o')"`, `models/u.yml:6: error: unit test "u": given ref('o') is not an input of model "m" (it reads ref('a'), ref('q'q'), source('raw', 'ev'))`},
		{`"ref('nope')"`, `models/u.yml:6: error: unit test "u": given ref('nope') is not an input of model "m"`},
		{`"source('raw', 'other')"`, `models/u.yml:6: error: unit test "u": given source('raw', 'other') is not an input of model "m"`},
		{`"table_a"`, `models/u.yml:6: error: unit test "u": input "table_a": expected ref('model') or source('source', 'table')`},
	} {
		t.Run(tc.input, func(t *testing.T) {
			files := map[string]string{"models/u.yml": unit(tc.input)}
			for k, v := range base {
				files[k] = v
			}
			_, diags := compileDiags(t, files)
			if tc.want == "" {
				require.Empty(t, diags)
				return
			}
			require.Len(t, diags, 1)
			require.Contains(t, diags[0], tc.want)
		})
	}
}

func TestInputKey(t *testing.T) {
	for in, want := range map[string]string{
		`ref('a')`:              "ref:a",
		`ref("q'q")`:            "ref:q'q",
		`ref('pkg', "m")`:       "ref:m",
		`ref('m', v=2)`:         "ref:m@v2",
		`ref('m', version='3')`: "ref:m@v3",
		`source("s'", 't')`:     "source:s'.t",
		`this`:                  "this",
	} {
		got, err := InputKey(in)
		if want == "" {
			require.Error(t, err, in)
			continue
		}
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
}

// A model path outside the project (model-paths: ["../shared"]) is read
// from there, but its compiled SQL stays under target/compiled: mart
// writes nothing outside target/, and never over a project file.
func TestCompiledPathsStayInTarget(t *testing.T) {
	root := t.TempDir()
	project := filepath.Join(root, "a", "project")
	for p, text := range map[string]string{
		"a/project/mart.yml":            "name: p\nmodel-paths: [models, ../../shared/models]\n",
		"a/project/models/keep.sql":     "select 1 as id",
		"a/project/shared/models/m.sql": "-- the project's own file\nselect 0 as id",
		"shared/models/m.sql":           "select 2 as id",
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, p), []byte(text), 0o644))
	}
	t.Setenv("MART_PROFILES_DIR", "")
	res, diags := Compile(Options{ProjectDir: project})
	require.False(t, diags.HasErrors(), "%v", diags)
	var ids []string
	for id := range res.Manifest.Nodes {
		ids = append(ids, id)
	}
	require.NoError(t, res.WriteTarget(ids))
	mine, err := os.ReadFile(filepath.Join(project, "shared", "models", "m.sql"))
	require.NoError(t, err)
	require.Equal(t, "-- the project's own file\nselect 0 as id", string(mine), "a project file was overwritten")
	var outside []string
	require.NoError(t, filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(project, p)
		if err == nil && !d.IsDir() && !strings.HasPrefix(rel, "target"+string(filepath.Separator)) {
			outside = append(outside, rel)
		}
		return err
	}))
	require.ElementsMatch(t, []string{"mart.yml", filepath.FromSlash("models/keep.sql"), filepath.FromSlash("shared/models/m.sql"),
		filepath.FromSlash("../../shared/models/m.sql")}, outside)
	for _, n := range res.Manifest.Nodes {
		if n.CompiledPath != "" {
			require.True(t, strings.HasPrefix(n.CompiledPath, "target/compiled/"), n.CompiledPath)
			require.NotContains(t, n.CompiledPath, "..", n.CompiledPath)
		}
	}
}

// An absolute model path stands for itself, as dbt's os.path.join makes
// it: its models compile (they were silently left out), under
// target/compiled like a relative path outside the project.
func TestAbsoluteModelPath(t *testing.T) {
	root := t.TempDir()
	project := filepath.Join(root, "project")
	shared := filepath.Join(root, "shared", "models")
	for p, text := range map[string]string{
		filepath.Join(project, "mart.yml"):        "name: p\nmodel-paths: [models, " + filepath.ToSlash(shared) + "]\n",
		filepath.Join(project, "models", "a.sql"): "select 1 as id",
		filepath.Join(shared, "b.sql"):            "select * from {{ ref('a') }}",
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	t.Setenv("MART_PROFILES_DIR", "")
	res, diags := Compile(Options{ProjectDir: project})
	require.False(t, diags.HasErrors(), "%v", diags)
	b := res.Manifest.Nodes["model.p.b"]
	require.NotNil(t, b, "the absolute path's model is compiled")
	require.Equal(t, "../shared/models/b.sql", b.Path)
	require.NoError(t, res.WriteTarget([]string{"model.p.a", "model.p.b"}))
	_, err := os.Stat(filepath.Join(project, "target", "compiled", "__", "shared", "models", "b.sql"))
	require.NoError(t, err)
}

// TestTestNamesAsDbt: generic tests are named as dbt-core's
// synthesize_generic_test_names names them (expected names computed with
// dbt's function in Python on the same YAML).
func TestTestNamesAsDbt(t *testing.T) {
	model := &testTarget{node: &Node{ResourceType: TypeModel}, nodeName: "m"}
	source := &testTarget{node: &Node{ResourceType: TypeSource}, nodeName: "raw_orders"}
	for _, c := range []struct {
		target    *testTarget
		namespace string
		args      map[string]any
		want      string
	}{
		{model, "", map[string]any{"column_name": "id"}, "anyarg_m_id"},
		{model, "", map[string]any{}, "anyarg_m_"},
		{model, "", map[string]any{"values": []any{"a", "b"}, "column_name": "s", "quote": false}, "anyarg_m_s__False__a__b"},
		{model, "", map[string]any{"a": 1.0}, "anyarg_m_1_0"},
		{model, "", map[string]any{"a": 0.5}, "anyarg_m_0_5"},
		{model, "", map[string]any{"a": 1234567.5}, "anyarg_m_1234567_5"},
		{model, "", map[string]any{"a": 1e20}, "anyarg_m_1e_20"},
		{model, "", map[string]any{"a": 1e-05}, "anyarg_m_1e_05"},
		{model, "", map[string]any{"a": nil}, "anyarg_m_None"},
		{model, "", map[string]any{"a": true}, "anyarg_m_True"},
		{model, "", map[string]any{"a": []any{[]any{"x", 1}}}, "anyarg_m__x_1_"},
		{model, "", map[string]any{"a": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, "anyarg_m_2024_01_01"},
		{model, "", map[string]any{"a": time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)}, "anyarg_m_2024_01_01_10_00_00"},
		{source, "p", map[string]any{"column_name": "id"}, "p_source_anyarg_raw_orders_id"},
		{model, "p", map[string]any{"column_name": `"Id"`}, "p_anyarg_m__Id_"},
	} {
		ts := &testSpec{name: "anyarg", namespace: c.namespace}
		assert.Equal(t, c.want, testName(ts, c.target, c.args), "%v", c.args)
	}
	// a long name's short one, and a long custom name kept
	long := &Node{Name: "accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned",
		AttachedNode: "model.jaffle.stg_orders",
		TestMetadata: &TestMetadata{Name: "accepted_values", Kwargs: map[string]any{"column_name": "status",
			"values": []any{"placed", "shipped", "completed", "return_pending", "returned"}}}}
	assert.Equal(t, "accepted_values_stg_orders_4f514bf94b77b7ea437830eec4421c58", testShortName(long))
	custom := &Node{Name: "this_is_a_rather_long_custom_test_name_that_people_write_for_the_id",
		AttachedNode: "model.p.m", TestMetadata: &TestMetadata{Name: "not_null", Kwargs: map[string]any{"column_name": "id"}}}
	assert.Equal(t, custom.Name, testShortName(custom))
}

// A source table's fqn, a generic test's and a unit test's start with the
// folders of the properties file that declares them, as dbt makes them, so
// mart.yml's sources:, data_tests: and unit_tests: folder configs apply by
// that folder: a test declared in models/staging/_m.yml on a model in
// models/staging/sub/ is under staging, not sub, and a source's tests are
// not under its name.
func TestPropertiesFileFQN(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml": `name: p
sources:
  p:
    staging:
      raw:
        other:
          +enabled: false
data_tests:
  p:
    staging:
      +severity: warn
    sub:
      +severity: error
unit_tests:
  p:
    staging:
      +tags: [u]
      m:
        ut:
          +meta: {k: 1}
`,
		"models/staging/sub/m.sql": "select 1 as id from {{ source('raw', 'ids') }}\n",
		"models/staging/_m.yml": `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: ids
        columns:
          - name: id
            data_tests: [not_null]
      - name: other
models:
  - name: m
    columns:
      - name: id
        data_tests: [unique]
unit_tests:
  - name: ut
    model: m
    given:
      - input: source('raw', 'ids')
        rows: [{id: 1}]
    expect:
      rows: [{id: 1}]
`,
	})
	require.NotNil(t, res, "%v", diags)
	src := res.Manifest.Sources["source.p.raw.ids"]
	require.NotNil(t, src)
	require.Equal(t, []string{"p", "staging", "raw", "ids"}, src.FQN)
	require.False(t, res.Manifest.Sources["source.p.raw.other"].Enabled(), "sources: p: staging: raw: other: applies")
	m := res.Manifest.Nodes["model.p.m"]
	require.Equal(t, []string{"p", "staging", "sub", "m"}, m.FQN)
	ut := res.Manifest.UnitTests["unit_test.p.m.ut"]
	require.Equal(t, []string{"p", "staging", "m", "ut"}, ut.FQN)
	require.Equal(t, []string{"u"}, ut.Tags, "unit_tests: folder configs apply (they did not)")
	require.Equal(t, map[string]any{"k": 1}, ut.Config["meta"])
	var tests []string
	for _, n := range res.Manifest.Nodes {
		if n.ResourceType == TypeTest {
			tests = append(tests, n.Name+" "+strings.Join(n.FQN, ".")+" "+n.Config.String("severity"))
		}
	}
	sort.Strings(tests)
	require.Equal(t, []string{"source_not_null_raw_ids_id p.staging.source_not_null_raw_ids_id WARN", "unique_m_id p.staging.unique_m_id WARN"}, tests)
}

// The fqn of a test or unit test that a root project's properties file
// declares on a package's model starts with the root project and the
// file's folders (found by review: it took the package's paths, which
// the file is not under), and a model path written "models/" is the
// path models (its models' fqns had "models" in them).
func TestPropertiesFileFQNOfPackageModel(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml":                           "name: p\nmodel-paths: [\"models/\"]\n",
		"dbt_packages/pkg/mart.yml":          "name: pkg\n",
		"dbt_packages/pkg/models/sub/pm.sql": "select 1 as id\n",
		"models/staging/m.sql":               "select 1 as id\n",
		"models/staging/_r.yml": `version: 2
models:
  - name: pm
    columns:
      - name: id
        data_tests: [not_null]
unit_tests:
  - name: ut
    model: pm
    given: []
    expect:
      rows: [{id: 1}]
`,
	})
	require.NotNil(t, res, "%v", diags)
	require.Equal(t, []string{"p", "staging", "m"}, res.Manifest.Nodes["model.p.m"].FQN)
	require.Equal(t, []string{"pkg", "sub", "pm"}, res.Manifest.Nodes["model.pkg.pm"].FQN)
	var fqns []string
	for _, n := range res.Manifest.Nodes {
		if n.ResourceType == TypeTest {
			fqns = append(fqns, strings.Join(n.FQN, "."))
		}
	}
	for _, n := range res.Manifest.UnitTests {
		fqns = append(fqns, strings.Join(n.FQN, "."))
	}
	sort.Strings(fqns)
	require.Equal(t, []string{"p.staging.not_null_pm_id", "p.staging.pm.ut"}, fqns)
	// the test is the root project's, as dbt makes it
	for id, n := range res.Manifest.Nodes {
		if n.ResourceType == TypeTest {
			require.True(t, strings.HasPrefix(id, "test.p.not_null_pm_id."), id)
			require.Equal(t, "p", n.Package)
			require.Equal(t, "model.pkg.pm", n.AttachedNode)
		}
	}
}

// TestSharedTestConfigs: tests whose configs are the same share one map
// (shareConfigs), and a test whose macro calls config() changes its own
// config alone; the tests that set nothing keep theirs.
func TestSharedTestConfigs(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"mart.yml":          "name: sc\n",
		"models/a.sql":      "select 1 as id, 2 as n",
		"macros/warned.sql": "{% test warned(model, column_name) %}{{ config(severity='warn') }}select 1 where false{% endtest %}",
		"macros/tagged.sql": "{% test tagged(model, column_name) %}{{ config(limit=5) }}select 1 where false{% endtest %}",
		"models/schema.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, not_null, warned, tagged]\n      - name: n\n        data_tests: [not_null, {unique: {config: {severity: warn}}}]\n",
	} {
		writeProjectFile(t, dir, name, text)
	}
	res, diags := Compile(Options{ProjectDir: dir, InvocationID: "x"})
	require.False(t, diags.HasErrors(), "%v", diags)
	conf := map[string]Config{}
	for _, id := range res.Manifest.AllIDs() {
		if n := res.Manifest.Node(id); n.ResourceType == TypeTest {
			conf[n.Name] = n.Config
		}
	}
	require.Equal(t, Config{"materialized": "test", "severity": "ERROR"}, conf["unique_a_id"])
	require.Equal(t, Config{"materialized": "test", "severity": "ERROR"}, conf["not_null_a_n"])
	require.Equal(t, Config{"materialized": "test", "severity": "warn"}, conf["warned_a_id"]) // (as config() set it)
	require.Equal(t, Config{"materialized": "test", "severity": "ERROR", "limit": 5}, conf["tagged_a_id"])
	require.Equal(t, Config{"materialized": "test", "severity": "WARN"}, conf["unique_a_n"])
	// one map for the first two: a write to it shows in both
	require.True(t, reflect.ValueOf(conf["unique_a_id"]).Pointer() == reflect.ValueOf(conf["not_null_a_n"]).Pointer(), "not shared")
}

// TestRootTestOfPackageModelContext: a root project's test of a package's
// model is the root project's throughout, as dbt makes it: its YAML config
// and its SQL read the root's vars (not the package's v), and a test name
// both define is the
// root's (found by review: the config read the package's vars, the SQL the
// root's, and the package's macro ran).
func TestRootTestOfPackageModelContext(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml":                         "name: shop\n",
		"dbt_packages/pkg/dbt_project.yml": "name: pkg\nvars: {v: pkg}\n",
		"dbt_packages/pkg/models/pc.sql":   "select 1 as id\n",
		"dbt_packages/pkg/macros/t.sql":    "{% test shadowed(model, column_name) %}select 'pkg' as w{% endtest %}\n{% test pkg_only(model, column_name) %}select 'pkg_only' as w{% endtest %}\n",
		"macros/t.sql":                     "{% test shadowed(model, column_name) %}select '{{ var('v', 'root') }}' as w from {{ model }}{% endtest %}\n",
		"models/_r.yml": "version: 2\nmodels:\n  - name: pc\n    columns:\n      - name: id\n        data_tests:\n" +
			"          - shadowed:\n              config: {tags: \"{{ [var('v', 'root')] }}\"}\n          - pkg_only\n",
	})
	require.NotNil(t, res, "%v", diags)
	got := map[string]*Node{}
	for _, n := range res.Manifest.Nodes {
		if n.ResourceType == TypeTest {
			got[n.Name] = n
		}
	}
	sh := got["shadowed_pc_id"]
	require.NotNil(t, sh)
	require.Equal(t, "shop", sh.Package)
	require.Contains(t, sh.CompiledCode, "'root' as w")
	require.Equal(t, []string{"root"}, sh.Tags)
	require.NotNil(t, got["pkg_only_pc_id"], "a test only the package defines is found")
	require.Contains(t, got["pkg_only_pc_id"].CompiledCode, "'pkg_only' as w")
}

// TestTestArgumentExpressions: a generic test's argument renders as dbt
// renders one (argExpr): each case's expression, rendered, gives the value
// dbt's native renderer gives the argument.
func TestTestArgumentExpressions(t *testing.T) {
	ctx := map[string]any{"var": varLookup(map[string]any{"day": "2024-01-01", "kinds": []any{"a", "b"}}, false)}
	for _, tc := range []struct {
		arg  string
		want any // nil: plain text, no expression
	}{
		{"{{ var('kinds') }}", []any{"a", "b"}},
		{"{{ 3 }}", 3},
		{"d = '{{ var('day') }}'", "d = '2024-01-01'"},
		{"var('day')", "2024-01-01"},
		{"  var('kinds')  ", []any{"a", "b"}},
		{"  {{- var('day') -}}  x", "2024-01-01x"},
		{"{{ 1 }}{{ 2 }}", "12"},
		{`a "quoted" {{ 'x' }} \ back`, `a "quoted" x \ back`},
		{"{{ 'unclosed'", "{{ 'unclosed'"},
		{"plain text", nil},
		{"variable('x')", nil},
		{"var()", nil}, // dbt's looks_like_func wants an argument
	} {
		e, ok := argExpr(tc.arg)
		if tc.want == nil {
			require.False(t, ok, "%q is text: %s", tc.arg, e)
			continue
		}
		require.True(t, ok, tc.arg)
		got, err := renderNative("t.yml", "{{ "+e+" }}", ctx)
		require.NoError(t, err, "%q: %s", tc.arg, e)
		require.Equal(t, tc.want, got, "%q: %s", tc.arg, e)
	}
}
