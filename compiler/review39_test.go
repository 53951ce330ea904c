package compiler

// Review 39 (b1ddc4d: the first file of an empty or missing path root is
// patched, its root standing for its kind: patchHead.Roots). Every step
// compares the patched compile with a cold one.

import (
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const r39Model = "select 1 as id\n"

func r39Test(model, cond string) string {
	return "select * from {{ ref('" + model + "') }} where " + cond + "\n"
}

const r39Snapshot = "{% snapshot s_hist %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"

// TestReview39CustomTestPaths: test-paths: [checks], empty, then its
// first test, a second, one in a folder, an edit, all removed, one back.
func TestReview39CustomTestPaths(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [checks]\n", "models/m.sql": r39Model, "checks/.gitkeep": ""}},
		{name: "first test in checks/", patched: true, files: map[string]string{"checks/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "second beside it", patched: true, files: map[string]string{"checks/assert_m2.sql": r39Test("m", "id > 9")}},
		{name: "first edited", patched: true, files: map[string]string{"checks/assert_m.sql": r39Test("m", "id < -1")}},
		{name: "one in a folder", patched: true, files: map[string]string{"checks/sub/assert_m3.sql": r39Test("m", "id = 3")}},
		{name: "all removed", patched: true, remove: []string{"checks/assert_m.sql", "checks/assert_m2.sql", "checks/sub/assert_m3.sql"}},
		{name: "one added in the empty folder", patched: true, files: map[string]string{"checks/sub/assert_m4.sql": r39Test("m", "id = 4")}},
		{name: "one added at the root", patched: true, files: map[string]string{"checks/assert_m5.sql": r39Test("m", "id = 5")}},
	})
}

// TestReview39RootSpelling: roots spelled with ./ and a trailing slash.
func TestReview39RootSpelling(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [\"./checks\"]\nmacro-paths: [\"macros/\"]\nseed-paths: [\"./data/\"]\n",
			"models/m.sql": r39Model, "checks/.gitkeep": "", "macros/.gitkeep": "", "data/.gitkeep": ""}},
		{name: "first test", patched: true, files: map[string]string{"checks/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "first macro", patched: true, files: map[string]string{"macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}},
		{name: "first seed", patched: true, files: map[string]string{"data/codes.csv": "id,code\n1,a\n"}},
		{name: "a folder of tests", patched: true, files: map[string]string{"checks/f/assert_n.sql": r39Test("codes", "{{ neg('id') }}")}},
	})
}

// TestReview39TwoTestRoots: test-paths: [tests, checks], checks empty: a
// test added there, and then one named as one of tests/.
func TestReview39TwoTestRoots(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [tests, checks]\n", "models/m.sql": r39Model,
			"tests/assert_a.sql": r39Test("m", "id < 0"), "checks/.gitkeep": ""}},
		{name: "first test in checks/", patched: true, files: map[string]string{"checks/assert_b.sql": r39Test("m", "id > 1")}},
		{name: "second in checks/", patched: true, files: map[string]string{"checks/assert_c.sql": r39Test("m", "id > 2")}},
	})
}

// TestReview39TwoTestRootsSameName: a test in the empty second root named
// as one in the first.
func TestReview39TwoTestRootsSameName(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [tests, checks]\n", "models/m.sql": r39Model,
			"tests/assert_a.sql": r39Test("m", "id < 0"), "checks/.gitkeep": ""}},
		{name: "same name in checks/", coldFails: true, files: map[string]string{"checks/assert_a.sql": r39Test("m", "id > 1")}},
	})
}

// TestReview39TwoMacroRoots: macro-paths: [macros, more_macros], the
// second empty.
func TestReview39TwoMacroRoots(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nmacro-paths: [macros, more_macros]\n",
			"models/m.sql": "select {{ one() }} as id\n", "macros/one.sql": "{% macro one() %}1{% endmacro %}\n", "more_macros/.gitkeep": ""}},
		{name: "first macro in more_macros/", patched: true, files: map[string]string{"more_macros/two.sql": "{% macro two() %}2{% endmacro %}\n"}},
		{name: "a model calls it", patched: true, files: map[string]string{"models/n.sql": "select {{ two() }} as id\n"}},
		{name: "it edited", patched: true, files: map[string]string{"more_macros/two.sql": "{% macro two() %}22{% endmacro %}\n"}},
	})
}

// TestReview39MacroSameName: the first macro of an empty second macro
// root is named as one of the first root.
func TestReview39MacroSameName(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nmacro-paths: [macros, more_macros]\n",
			"models/m.sql": "select {{ one() }} as id\n", "macros/one.sql": "{% macro one() %}1{% endmacro %}\n", "more_macros/.gitkeep": ""}},
		{name: "one() again in more_macros/", coldFails: true, files: map[string]string{"more_macros/one.sql": "{% macro one() %}11{% endmacro %}\n"}},
	})
}

// TestReview39FirstMacroOverridesBuiltin: the first macro of an empty
// macros/ is generate_schema_name.
func TestReview39FirstMacroOverridesBuiltin(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "models/n.sql": "select id from {{ ref('m') }}\n",
			"macros/.gitkeep": ""}},
		{name: "generate_schema_name", patched: false, files: map[string]string{"macros/gsn.sql": "{% macro generate_schema_name(custom, node) %}zz_{{ node.name }}{% endmacro %}\n"}},
	})
}

// TestReview39DocsPaths: docs-paths: [docs], empty, takes its first .md
// and a model's description calls it.
func TestReview39DocsPaths(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ndocs-paths: [docs]\n", "models/m.sql": r39Model,
			"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: plain\n", "docs/.gitkeep": ""}},
		{name: "first .md in docs/", patched: true, files: map[string]string{"docs/overview.md": "{% docs m_doc %}the m model{% enddocs %}\n"}},
		{name: "the description calls it", patched: true, files: map[string]string{"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: '{{ doc(\"m_doc\") }}'\n"}},
		{name: "a second .md", patched: true, files: map[string]string{"docs/more.md": "{% docs other %}other{% enddocs %}\n"}},
		{name: "the first edited", patched: true, files: map[string]string{"docs/overview.md": "{% docs m_doc %}the m model, edited{% enddocs %}\n"}},
		{name: "the second removed", patched: true, remove: []string{"docs/more.md"}},
		{name: "a folder of docs", patched: true, files: map[string]string{"docs/f/third.md": "{% docs third %}3{% enddocs %}\n"}},
		{name: "a block of the same name as one in models/", patched: false, files: map[string]string{"models/m.md": "{% docs third %}3 again{% enddocs %}\n"}},
	})
}

// TestReview39DocsPathsMissing: docs-paths: [docs] missing, appears with
// a block a description calls.
func TestReview39DocsPathsMissing(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ndocs-paths: [docs]\n", "models/m.sql": r39Model,
			"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: plain\n"}},
		{name: "docs/ appears", patched: true, files: map[string]string{"docs/overview.md": "{% docs m_doc %}the m model{% enddocs %}\n"}},
		{name: "the description calls it", patched: true, files: map[string]string{"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: '{{ doc(\"m_doc\") }}'\n"}},
	})
}

// TestReview39SeedPaths: seed-paths: [data], empty, its first seed and a
// model that refs it; then a properties file for it.
func TestReview39SeedPaths(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nseed-paths: [data]\n", "models/m.sql": r39Model, "data/.gitkeep": ""}},
		{name: "first seed", patched: true, files: map[string]string{"data/codes.csv": "id,code\n1,a\n"}},
		{name: "a model refs it", patched: true, files: map[string]string{"models/n.sql": "select * from {{ ref('codes') }}\n"}},
		{name: "a second seed", patched: true, files: map[string]string{"data/more.csv": "id\n2\n"}},
		{name: "a properties file beside them", patched: false, files: map[string]string{"data/props.yml": "version: 2\nseeds:\n  - name: codes\n    description: the codes\n"}},
	})
}

// TestReview39SeedPropsFirst: a properties file as the first file of an
// empty seeds/, then the seed it describes.
func TestReview39SeedPropsFirst(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "seeds/.gitkeep": ""}},
		{name: "props first", patched: false, files: map[string]string{"seeds/props.yml": "version: 2\nseeds:\n  - name: codes\n    description: the codes\n"}},
		{name: "the seed", patched: false, files: map[string]string{"seeds/codes.csv": "id,code\n1,a\n"}},
	})
}

// TestReview39SnapshotPathsMissing: snapshot-paths: [snaps], missing,
// appears with a snapshot; then a second.
func TestReview39SnapshotPathsMissing(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nsnapshot-paths: [snaps]\n", "models/m.sql": r39Model}},
		{name: "snaps/ appears", patched: true, files: map[string]string{"snaps/hist.sql": r39Snapshot}},
		{name: "a second", patched: true, files: map[string]string{"snaps/hist2.sql": "{% snapshot s_hist2 %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"}},
		{name: "a model refs it", patched: true, files: map[string]string{"models/n.sql": "select * from {{ ref('s_hist') }}\n"}},
	})
}

// TestReview39NestedRoots: test-paths inside model-paths, one directory
// for macros and docs: no template (the file compiles whole).
func TestReview39NestedRoots(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nseed-paths: [macros/seeds]\ndocs-paths: [macros]\n", "models/m.sql": r39Model,
			"macros/seeds/.gitkeep": "", "macros/.gitkeep": ""}},
		{name: "a seed in macros/seeds", patched: false, files: map[string]string{"macros/seeds/codes.csv": "id\n1\n"}},
		{name: "a macro in macros/", patched: false, files: map[string]string{"macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}},
		{name: "a .md in macros/", patched: false, files: map[string]string{"macros/d.md": "{% docs dd %}x{% enddocs %}\n"}},
	})
	// one missing directory for seeds and analyses, which appears
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nseed-paths: [shared]\nanalysis-paths: [shared]\n", "models/m.sql": r39Model}},
		{name: "shared/ appears", patched: false, files: map[string]string{"shared/codes.csv": "id\n1\n"}},
	})
}

// TestReview39RootAppearsRemovedAppears: tests/ missing, appears, is
// removed again, appears again.
func TestReview39RootAppearsRemovedAppears(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}},
		{name: "tests/ appears", patched: true, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "tests/ removed", patched: false, remove: []string{"tests/assert_m.sql", "tests"}},
		{name: "tests/ appears again", patched: true, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 1")}},
		{name: "a second", patched: true, files: map[string]string{"tests/assert_n.sql": r39Test("m", "id < 2")}},
	})
}

// TestReview39HiddenInNewRoot: a root appears with a hidden folder (not
// scanned) and a file.
func TestReview39HiddenInNewRoot(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}},
		{name: "tests/ appears with .x/", patched: true, files: map[string]string{"tests/.x/assert_h.sql": r39Test("nope", "1=1"), "tests/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "a file in .x/", patched: true, files: map[string]string{"tests/.x/assert_h2.sql": r39Test("nope", "1=1")}},
		{name: "macros/ appears with only a hidden folder", patched: true, files: map[string]string{"macros/.y/m.sql": "{% macro m() %}1{% endmacro %}\n"}},
		{name: "then a macro", patched: true, files: map[string]string{"macros/m.sql": "{% macro m() %}1{% endmacro %}\n"}},
	})
}

// TestReview39SeveralRootsOneSave: the first files of several roots, and
// a model they ref, in one save.
func TestReview39SeveralRootsOneSave(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model,
			"tests/.gitkeep": "", "macros/.gitkeep": "", "seeds/.gitkeep": ""}},
		{name: "tests, macros, seeds, snapshots and a model", patched: true, files: map[string]string{
			"tests/assert_n.sql":   "select * from {{ ref('n') }} where {{ neg('id') }}\n",
			"macros/neg.sql":       "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n",
			"seeds/codes.csv":      "id,code\n1,a\n",
			"snapshots/hist.sql":   r39Snapshot,
			"models/n.sql":         "select id from {{ ref('codes') }}\n",
			"tests/assert_c.sql":   "select * from {{ ref('codes') }} where id < 0\n",
			"tests/f/assert_s.sql": "select * from {{ ref('s_hist') }} where id < 0\n"}},
		{name: "edits in each", patched: true, files: map[string]string{
			"tests/assert_n.sql": "select * from {{ ref('n') }} where not {{ neg('id') }}\n",
			"seeds/codes.csv":    "id,code\n1,a\n2,b\n"}},
		{name: "another of each", patched: true, files: map[string]string{
			"tests/assert_z.sql": r39Test("m", "id > 3"),
			"macros/pos.sql":     "{% macro pos(c) %}{{ c }} > 0{% endmacro %}\n",
			"seeds/more.csv":     "id\n3\n"}},
	})
}

// TestReview39NewRootRefsNewModel: a root that appears, whose first test
// refs a model added in the same save (and one that refs a missing one).
func TestReview39NewRootRefsNewModel(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}},
		{name: "tests/ with a test of a new model", patched: true, files: map[string]string{
			"tests/assert_n.sql": r39Test("n", "id < 0"), "models/n.sql": "select id from {{ ref('m') }}\n"}},
	})
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}},
		{name: "tests/ with a test of no model", coldFails: true, files: map[string]string{"tests/assert_n.sql": r39Test("nope", "id < 0")}},
	})
}

// TestReview39GenericTestFirst: the first file of an empty tests/ holds
// a {% test %} block (generic test definitions, not a singular test).
func TestReview39GenericTestFirst(t *testing.T) {
	gen := "{% test positive(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} <= 0\n{% endtest %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests/.gitkeep": ""}},
		{name: "a generic test's definition", patched: false, files: map[string]string{"tests/generic/positive.sql": gen}},
		{name: "used", patched: false, files: map[string]string{"models/props.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [positive]\n"}},
	})
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}},
		{name: "tests/ appears with a generic test's definition", patched: false, files: map[string]string{"tests/positive.sql": gen}},
	})
}

// TestReview39PropsFirstInTests: a properties file as the first file of an
// empty tests/ (dbt 1.8 reads properties there).
func TestReview39PropsFirstInTests(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests/.gitkeep": ""}},
		{name: "props in tests/", patched: false, files: map[string]string{"tests/props.yml": "version: 2\nmodels:\n  - name: m\n    description: from tests\n    columns:\n      - name: id\n        data_tests: [unique]\n"}},
		{name: "a .md in tests/", patched: false, files: map[string]string{"tests/d.md": "{% docs dd %}x{% enddocs %}\n"}},
	})
}

// TestReview39EmptyModelRoot: model-paths: [models, extra], extra empty:
// a model, a properties file and a .md as its first files.
func TestReview39EmptyModelRoot(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nmodel-paths: [models, extra]\n", "models/m.sql": r39Model, "extra/.gitkeep": ""}},
		{name: "a model in extra/", patched: true, files: map[string]string{"extra/x.sql": "select id from {{ ref('m') }}\n"}},
		{name: "x removed", patched: true, remove: []string{"extra/x.sql"}},
		{name: "props in extra/", patched: false, files: map[string]string{"extra/props.yml": "version: 2\nmodels:\n  - name: m\n    description: from extra\n"}},
		{name: "props removed", patched: false, remove: []string{"extra/props.yml"}},
		{name: "a .md in extra/", patched: true, files: map[string]string{"extra/d.md": "{% docs dd %}x{% enddocs %}\n"}},
		{name: "a folder model", patched: true, files: map[string]string{"extra/sub/y.sql": "select 2 as id\n"}},
	})
}

// r39Step is a patchStep with an edit made by code (do: symlinks, a
// directory made...), run by r39Run as runPatchSteps runs its steps,
// except that remove (os.RemoveAll: a directory too) comes before files
// (a file or directory made in place of what it removed).
type r39Step struct {
	patchStep
	do func(t *testing.T, dir string)
	// touch: paths do changed (their mtimes set as runPatchSteps sets
	// those of what a step wrote)
	touch []string
	opt   func(o *Options)
	// readOnly: the step's edit is seen by a read-only patch (`mart ls`:
	// PatchReadOnly, PatchForRun) alone, which must refuse or find
	// nothing to add (want: whether it serves); no compile is compared
	readOnly, wantRO bool
}

func r39Run(t *testing.T, steps []r39Step) string {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	clock := time.Now().Add(-time.Hour)
	settle := func(rel string) {
		clock = clock.Add(time.Minute)
		full := filepath.Join(dir, rel)
		if fi, err := os.Lstat(full); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			return
		}
		if err := os.Chtimes(full, clock, clock); err != nil && !os.IsNotExist(err) {
			require.NoError(t, err)
		}
	}
	for i, s := range steps {
		touched := map[string]bool{}
		parents := func(rel string) {
			for d := path.Dir(rel); d != "."; d = path.Dir(d) {
				touched[d] = true
			}
			touched["."] = true
		}
		for _, rel := range s.remove { // (first: a file or directory may be made in its place)
			require.NoError(t, os.RemoveAll(filepath.Join(dir, rel)))
			parents(rel)
		}
		for rel, text := range s.files {
			_, err := os.Stat(filepath.Join(dir, rel))
			writeProjectFile(t, dir, rel, text)
			touched[rel] = true
			if err != nil {
				parents(rel)
			}
		}
		if s.do != nil {
			s.do(t, dir)
		}
		for _, rel := range s.touch {
			touched[rel] = true
			parents(rel)
		}
		for _, rel := range sortedKeys(touched) {
			settle(rel)
		}
		opt := Options{ProjectDir: dir, InvocationID: "inv", Vars: s.vars, Target: s.target}
		if s.opt != nil {
			s.opt(&opt)
		}
		if s.readOnly {
			ro := opt
			ro.PartialParse, ro.PatchForRun, ro.PatchReadOnly = true, true, true
			pt, why := CompileByPatch(ro)
			if os.Getenv("PP_VERBOSE") != "" {
				t.Logf("step %s: read-only served=%v (%s)", s.name, pt != nil, why)
			}
			require.Equal(t, s.wantRO, pt != nil, "step %s: read-only served (%s)", s.name, why)
			continue
		}
		checkPatchStep(t, i, s.patchStep, opt)
	}
	return dir
}

func r39Symlink(target, at string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		require.NoError(t, os.Symlink(target, filepath.Join(dir, at)))
	}
}

// TestReview39SymlinkRoot: a root that appears as a symlink to a
// directory, or as a file; a root that is a symlink at the cold compile
// and becomes a directory.
func TestReview39SymlinkRoot(t *testing.T) {
	elsewhere := t.TempDir()
	writeProjectFile(t, elsewhere, "assert_m.sql", r39Test("m", "id < 0"))
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}}},
		{patchStep: patchStep{name: "tests/ appears as a symlink to a directory", coldFails: true}, do: r39Symlink(elsewhere, "tests"), touch: []string{"tests"}},
		{patchStep: patchStep{name: "the symlink made a directory", patched: true, remove: []string{"tests"}, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}}},
	})
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}}},
		{patchStep: patchStep{name: "tests appears as a file", patched: false, files: map[string]string{"tests": "select 1\n"}}},
	})
}

// TestReview39RootFileThenDir: tests is a file (no directory, no name the
// compile reads) at the cold compile, and is made a directory with a
// test: the compile's walk recorded nothing of it (walker.walk: a root
// that is a file is neither inventoryDir'ed nor inventoryMissing'ed), so
// the patch did not see the directory and dropped the test. It failed at
// review, and at b1ddc4d^ alike (pre-existing); the same after a root
// missing at the cold compile appears as a file (compiled whole) and is
// then made a directory. Fixed: such a root is recorded by its Lstat
// (inventoryRootFile), and any change of it compiles whole.
func TestReview39RootFileThenDir(t *testing.T) {
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests": "not a directory\n"}}},
		{patchStep: patchStep{name: "tests made a directory with a test", patched: false, remove: []string{"tests"}, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}}},
	})
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}}},
		{patchStep: patchStep{name: "tests appears as a file", patched: false, files: map[string]string{"tests": "not a directory\n"}}},
		{patchStep: patchStep{name: "tests made a directory with a test", patched: false, remove: []string{"tests"}, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}}},
	})
}

// TestReview39PackageRoots: a package's empty tests/, macros/, seeds/
// take their first files (packages' roots have no template).
func TestReview39PackageRoots(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model,
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/models/pm.sql":   "select 1 as id\n",
			"dbt_packages/pk/tests/.gitkeep":  "", "dbt_packages/pk/macros/.gitkeep": "", "dbt_packages/pk/seeds/.gitkeep": ""}},
		{name: "a package's first test", patched: false, files: map[string]string{"dbt_packages/pk/tests/assert_pm.sql": r39Test("pm", "id < 0")}},
		{name: "a package's first macro", patched: false, files: map[string]string{"dbt_packages/pk/macros/pkm.sql": "{% macro pkm() %}1{% endmacro %}\n"}},
		{name: "a package's first seed", patched: false, files: map[string]string{"dbt_packages/pk/seeds/pks.csv": "id\n1\n"}},
		{name: "a package's snapshots/ appears", patched: false, files: map[string]string{"dbt_packages/pk/snapshots/ps.sql": "{% snapshot pk_hist %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('pm') }}\n{% endsnapshot %}\n"}},
		{name: "the root project's tests/ appears, testing the package's model", patched: true, files: map[string]string{"tests/assert_pm_root.sql": r39Test("pm", "id > 5")}},
		{name: "a root test named as the package's", coldFails: true, files: map[string]string{"tests/assert_pm.sql": r39Test("pm", "id > 6")}},
		{name: "renamed", patched: true, remove: []string{"tests/assert_pm.sql"}, files: map[string]string{"tests/assert_pm2.sql": r39Test("pm", "id > 6")}},
	})
}

// TestReview39PackageRootIsRootProjects: a package whose test-paths is the
// root project's tests/ (../../tests): that root has no template.
func TestReview39PackageRootIsRootProjects(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model,
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\ntest-paths: [\"../../tests\"]\n",
			"dbt_packages/pk/models/pm.sql":   "select 1 as id\n", "tests/.gitkeep": ""}},
		{name: "a test in the shared tests/ (read by both projects)", coldFails: true, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}},
	})
}

// TestReview39DisabledFirstTest: the first test of an empty tests/ is
// disabled by its config(); then enabled; then a second one.
func TestReview39DisabledFirstTest(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests/.gitkeep": ""}},
		{name: "a disabled test", patched: false, files: map[string]string{"tests/assert_m.sql": "{{ config(enabled=false) }}\n" + r39Test("m", "id < 0")}},
		{name: "enabled", patched: false, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "a second", patched: true, files: map[string]string{"tests/assert_n.sql": r39Test("m", "id < 1")}},
	})
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntests:\n  r39:\n    off:\n      +enabled: false\n", "models/m.sql": r39Model, "tests/.gitkeep": ""}},
		{name: "a test in a folder mart.yml disables", patched: false, files: map[string]string{"tests/off/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "one in a folder it configures not", patched: true, files: map[string]string{"tests/on/assert_m2.sql": r39Test("m", "id < 0")}},
	})
}

// TestReview39FolderConfigsOfNewRoot: folder configs of mart.yml apply to
// the first files of an empty root (by its path under the root).
func TestReview39FolderConfigsOfNewRoot(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [checks]\nseed-paths: [data]\nsnapshot-paths: [snaps]\n" +
			"data_tests:\n  r39:\n    +severity: warn\n    sub:\n      +tags: [t1]\n" +
			"seeds:\n  r39:\n    +schema: raw\n    sub:\n      +tags: [s1]\n" +
			"snapshots:\n  r39:\n    +target_schema: snaps\n    sub:\n      +tags: [n1]\n",
			"models/m.sql": r39Model, "checks/.gitkeep": "", "data/.gitkeep": ""}},
		{name: "first files, in folders", patched: true, files: map[string]string{
			"checks/sub/assert_m.sql": r39Test("m", "id < 0"),
			"data/sub/codes.csv":      "id\n1\n",
			"snaps/sub/hist.sql":      r39Snapshot}},
		{name: "more at the roots", patched: true, files: map[string]string{
			"checks/assert_m2.sql": r39Test("m", "id < 0"),
			"data/codes2.csv":      "id\n1\n",
			"snaps/hist2.sql":      "{% snapshot s_hist2 %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"}},
		{name: "the folder configs edited", patched: false, files: map[string]string{"mart.yml": "name: r39\ntest-paths: [checks]\nseed-paths: [data]\nsnapshot-paths: [snaps]\n" +
			"data_tests:\n  r39:\n    +severity: warn\n    sub:\n      +tags: [t2]\n" +
			"seeds:\n  r39:\n    +schema: raw\n    sub:\n      +tags: [s2]\n" +
			"snapshots:\n  r39:\n    +target_schema: snaps\n    sub:\n      +tags: [n2]\n"}},
		{name: "a test, a seed, a snapshot in the folders", patched: true, files: map[string]string{
			"checks/sub/assert_m3.sql": r39Test("m", "id < 3"),
			"data/sub/codes3.csv":      "id\n3\n",
			"snaps/sub/hist3.sql":      "{% snapshot s_hist3 %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"}},
	})
}

// TestReview39RootOutsideProject: test-paths: ["../shared_tests"], empty,
// then its first test.
func TestReview39RootOutsideProject(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [\"../r39_shared_tests\"]\nmacro-paths: [\"../r39_shared_macros\"]\n", "models/m.sql": r39Model,
			"../r39_shared_tests/.gitkeep": ""}},
		{name: "first test outside", patched: true, files: map[string]string{"../r39_shared_tests/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "the missing macro root appears", patched: true, files: map[string]string{"../r39_shared_macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}},
		{name: "a second test calls it", patched: true, files: map[string]string{"../r39_shared_tests/assert_n.sql": "select * from {{ ref('m') }} where {{ neg('id') }}\n"}},
	})
}

// TestReview39ReadOnlyAfterRootAppears: a root appears empty (or with a
// hidden folder, or a file the compile does not read) and a read-only
// command adopts it; then its first test.
func TestReview39ReadOnlyAfterRootAppears(t *testing.T) {
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model}}},
		{patchStep: patchStep{name: "tests/ appears with unread files", files: map[string]string{"tests/README.txt": "x\n", "tests/.x/assert_h.sql": r39Test("nope", "1=1")}}, readOnly: true, wantRO: true},
		{patchStep: patchStep{name: "ls again", files: map[string]string{}}, readOnly: true, wantRO: true},
		{patchStep: patchStep{name: "the first test", patched: true, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}}},
		{patchStep: patchStep{name: "macros/ appears with a macro: read-only refuses", files: map[string]string{"macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}}, readOnly: true, wantRO: false},
		{patchStep: patchStep{name: "then compiled", patched: true}},
		{patchStep: patchStep{name: "seeds/ appears with an empty folder"}, do: func(t *testing.T, dir string) {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "seeds", "sub"), 0o755))
		}, touch: []string{"seeds/sub"}, readOnly: true, wantRO: true},
		{patchStep: patchStep{name: "a seed in the folder", patched: true, files: map[string]string{"seeds/sub/codes.csv": "id\n1\n"}}},
	})
}

// TestReview39EmptyModelRootBig: the second model root empty, in a project
// of more models: a properties file, a model described by it and a .md
// as its first files.
func TestReview39EmptyModelRootBig(t *testing.T) {
	files := map[string]string{"mart.yml": "name: r39\nmodel-paths: [models, extra]\n", "extra/.gitkeep": "",
		"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: m\n"}
	for _, n := range []string{"m", "a", "b", "c", "d"} {
		files["models/"+n+".sql"] = r39Model
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "props in extra/ for a", patched: true, files: map[string]string{"extra/props.yml": "version: 2\nmodels:\n  - name: a\n    description: from extra\n    columns:\n      - name: id\n        data_tests: [unique]\n"}},
		{name: "a model and its props in extra/sub", patched: true, files: map[string]string{"extra/sub/x.sql": "select id from {{ ref('b') }}\n",
			"extra/sub/x.yml": "version: 2\nmodels:\n  - name: x\n    description: x\n    columns:\n      - name: id\n        data_tests: [not_null]\n"}},
		{name: "a .md in extra/sub2 and a description calling it", patched: true, files: map[string]string{"extra/sub2/d.md": "{% docs dd %}x{% enddocs %}\n",
			"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: '{{ doc(\"dd\") }}'\n"}},
		{name: "props removed", patched: true, remove: []string{"extra/props.yml"}},
	})
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "a sources file first in extra/, and a model reading it", patched: true, files: map[string]string{
			"extra/src.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n        description: the orders\n",
			"models/o.sql":  "select * from {{ source('raw', 'orders') }}\n"}},
		{name: "a unit test file in extra/sub", patched: true, files: map[string]string{
			"extra/sub/units.yml": "version: 2\nunit_tests:\n  - name: u_o\n    model: o\n    given:\n      - input: source('raw', 'orders')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n        - {id: 1}\n"}},
	})
}

// TestReview39SnapshotSameName: two snapshot roots, the second empty, its
// first snapshot named as one of the first root's, then renamed.
func TestReview39SnapshotSameName(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nsnapshot-paths: [snapshots, snaps2]\n", "models/m.sql": r39Model,
			"snapshots/hist.sql": r39Snapshot, "snaps2/.gitkeep": ""}},
		{name: "s_hist again in snaps2/", coldFails: true, files: map[string]string{"snaps2/dup.sql": r39Snapshot}},
		{name: "renamed", patched: true, files: map[string]string{"snaps2/dup.sql": "{% snapshot s_dup %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"}},
		{name: "a snapshot file with no block", coldFails: true, files: map[string]string{"snaps2/none.sql": "select 1\n"}},
	})
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nsnapshot-paths: [snapshots, snaps2]\n", "models/m.sql": r39Model,
			"snapshots/hist.sql": r39Snapshot, "snaps2/.gitkeep": ""}},
		{name: "a snapshot named as a model", coldFails: true, files: map[string]string{"snaps2/m.sql": "{% snapshot m %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n"}},
		{name: "in a schema of its own", patched: false, files: map[string]string{"snaps2/m.sql": "{% snapshot m %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\nselect 1 as id\n{% endsnapshot %}\n"}},
		{name: "a model refs m", patched: true, files: map[string]string{"models/n.sql": "select * from {{ ref('m') }}\n"}},
	})
}

// TestReview39FirstFilesRemoved: the first macro, seed, snapshot and .md
// of roots that appeared, each removed again, then added again.
func TestReview39FirstFilesRemoved(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ndocs-paths: [docs]\n", "models/m.sql": r39Model, "models/n.sql": "select 2 as id\n"}},
		{name: "macros/, seeds/, snapshots/, docs/ and tests/ appear", patched: true, files: map[string]string{
			"macros/neg.sql":     "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n",
			"seeds/codes.csv":    "id\n1\n",
			"snapshots/hist.sql": r39Snapshot,
			"docs/d.md":          "{% docs dd %}x{% enddocs %}\n",
			"tests/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "the macro removed", patched: true, remove: []string{"macros/neg.sql"}},
		{name: "the seed removed", patched: false, remove: []string{"seeds/codes.csv"}},
		{name: "the .md removed", patched: true, remove: []string{"docs/d.md"}},
		{name: "the snapshot removed", patched: false, remove: []string{"snapshots/hist.sql"}},
		{name: "the test removed", patched: true, remove: []string{"tests/assert_m.sql"}},
		{name: "all added again", patched: true, files: map[string]string{
			"macros/neg.sql":     "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n",
			"seeds/codes.csv":    "id\n1\n",
			"snapshots/hist.sql": r39Snapshot,
			"docs/d.md":          "{% docs dd %}x{% enddocs %}\n",
			"tests/assert_m.sql": "select * from {{ ref('codes') }} where {{ neg('id') }}\n"}},
		{name: "and one more of each", patched: true, files: map[string]string{
			"macros/pos.sql":     "{% macro pos(c) %}{{ c }} > 0{% endmacro %}\n",
			"seeds/codes2.csv":   "id\n2\n",
			"docs/e.md":          "{% docs ee %}y{% enddocs %}\n",
			"tests/assert_n.sql": "select * from {{ ref('n') }} where {{ pos('id') }}\n"}},
	})
}

// TestReview39EmptyFolderThenFile: an empty root takes an empty folder,
// then a file there; an Emacs lock (a dangling symlink .#name) in an
// empty root.
func TestReview39EmptyFolderThenFile(t *testing.T) {
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests/.gitkeep": ""}}},
		{patchStep: patchStep{name: "an empty folder", patched: true}, do: func(t *testing.T, dir string) {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "tests", "sub", "deeper"), 0o755))
		}, touch: []string{"tests/sub/deeper"}},
		{patchStep: patchStep{name: "a lock file in it", patched: true}, do: func(t *testing.T, dir string) {
			require.NoError(t, os.Symlink("user@host.4242:1700000000", filepath.Join(dir, "tests", "sub", ".#assert_m.sql")))
		}, touch: []string{"tests/sub"}},
		{patchStep: patchStep{name: "a test deeper", patched: true, files: map[string]string{"tests/sub/deeper/assert_m.sql": r39Test("m", "id < 0")}}},
		{patchStep: patchStep{name: "a test in sub", patched: true, files: map[string]string{"tests/sub/assert_m2.sql": r39Test("m", "id < 2")}}},
	})
}

// TestReview39ManyRootsAppear: every root missing at the cold compile,
// all appearing in one save (run with -race).
func TestReview39ManyRootsAppear(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [t1, t2]\nmacro-paths: [m1, m2]\nseed-paths: [s1, s2]\nsnapshot-paths: [n1]\ndocs-paths: [d1]\n", "models/m.sql": r39Model}},
		{name: "all appear", patched: true, files: map[string]string{
			"t1/assert_a.sql": "select * from {{ ref('c1') }} where {{ neg('id') }}\n", "t2/x/assert_b.sql": "select * from {{ ref('c2') }} where {{ pos('id') }}\n",
			"m1/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n", "m2/y/pos.sql": "{% macro pos(c) %}{{ c }} > 0{% endmacro %}\n",
			"s1/c1.csv": "id\n1\n", "s2/c2.csv": "id\n2\n", "n1/h.sql": r39Snapshot, "d1/d.md": "{% docs dd %}x{% enddocs %}\n"}},
		{name: "one more each", patched: true, files: map[string]string{
			"t1/assert_c.sql": r39Test("m", "id < 0"), "t2/assert_d.sql": r39Test("m", "id < 0"),
			"m1/z.sql": "{% macro z() %}1{% endmacro %}\n", "m2/w.sql": "{% macro w() %}1{% endmacro %}\n",
			"s1/c3.csv": "id\n3\n", "s2/x/c4.csv": "id\n4\n", "d1/e.md": "{% docs ee %}x{% enddocs %}\n"}},
	})
}

// TestReview39BrokenFirstFiles: the first file of an empty or missing
// root is broken (the cold compile fails: the patch must refuse), then
// fixed.
func TestReview39BrokenFirstFiles(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ndocs-paths: [docs]\n", "models/m.sql": r39Model, "tests/.gitkeep": "",
			"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: plain\n"}},
		{name: "a test of a Jinja error", coldFails: true, files: map[string]string{"tests/assert_m.sql": "select * from {{ ref('m' }}\n"}},
		{name: "fixed", patched: true, files: map[string]string{"tests/assert_m.sql": r39Test("m", "id < 0")}},
		{name: "macros/ appears with a broken macro", coldFails: true, files: map[string]string{"macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0\n"}},
		{name: "fixed", patched: true, files: map[string]string{"macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}},
		{name: "docs/ appears with an unclosed block", patched: true, files: map[string]string{"docs/d.md": "{% docs dd %}x\n"}},
		{name: "fixed, and called", patched: true, files: map[string]string{"docs/d.md": "{% docs dd %}x{% enddocs %}\n",
			"models/props.yml": "version: 2\nmodels:\n  - name: m\n    description: '{{ doc(\"dd\") }}'\n"}},
		{name: "snapshots/ appears with a snapshot of no unique_key", coldFails: true, files: map[string]string{"snapshots/h.sql": "{% snapshot h %}\n{{ config(strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n"}},
		{name: "snapshot fixed", patched: true, files: map[string]string{"snapshots/h.sql": "{% snapshot h %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n"}},
		{name: "seeds/ appears with a CSV of ragged rows", patched: true, files: map[string]string{"seeds/r.csv": "id,code\n1\n2,b,c\n"}},
	})
}

// TestReview39HiddenRootPaths: roots under or named as hidden folders
// (the walk takes a root as it is named; folders in it that start with a
// dot are left out).
func TestReview39HiddenRootPaths(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\ntest-paths: [\".qa/tests\"]\nmacro-paths: [\".macros\"]\n", "models/m.sql": r39Model}},
		{name: ".qa/tests appears", patched: true, files: map[string]string{".qa/tests/assert_m.sql": r39Test("m", "id < 0"), ".qa/tests/.h/assert_h.sql": r39Test("nope", "1=1")}},
		{name: ".macros appears", patched: true, files: map[string]string{".macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}},
		{name: "a second test", patched: true, files: map[string]string{".qa/tests/assert_n.sql": "select * from {{ ref('m') }} where {{ neg('id') }}\n"}},
	})
}

// TestReview39DisabledModelInEmptyModelRoot: the first file of an empty
// second model root is a model a folder config disables; then enabled.
func TestReview39DisabledModelInEmptyModelRoot(t *testing.T) {
	head := "name: r39\nmodel-paths: [models, extra]\n"
	files := map[string]string{"mart.yml": head + "models:\n  r39:\n    off:\n      +enabled: false\n", "extra/.gitkeep": ""}
	for _, n := range []string{"m", "a", "b", "c"} {
		files["models/"+n+".sql"] = r39Model
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "a disabled model in extra/off", patched: true, files: map[string]string{"extra/off/x.sql": "select id from {{ ref('m') }}\n"}},
		{name: "a model disabled by its config() in extra/", patched: true, files: map[string]string{"extra/y.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"}},
		{name: "y enabled", patched: true, files: map[string]string{"extra/y.sql": "select 1 as id\n"}},
		{name: "a model beside y", patched: true, files: map[string]string{"extra/z.sql": "select id from {{ ref('y') }}\n"}},
	})
}

// TestReview39SingularDescribedTwice: a singular test described in
// models/ and then in the first file of an empty second model root, which
// sorts before models/ (dbt applies each entry: the last one's
// description wins, in the files' order).
func TestReview39SingularDescribedTwice(t *testing.T) {
	desc := func(d string) string {
		return "version: 2\ndata_tests:\n  - name: assert_m\n    description: " + d + "\n"
	}
	files := map[string]string{"mart.yml": "name: r39\nmodel-paths: [models, extra]\n", "extra/.gitkeep": "",
		"tests/assert_m.sql": r39Test("m", "id < 0"), "models/props.yml": desc("A")}
	for _, n := range []string{"m", "a", "b", "c"} {
		files["models/"+n+".sql"] = r39Model
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: files},
		{name: "described again in extra/", patched: false, files: map[string]string{"extra/props.yml": desc("B")}},
		{name: "models/ edited", patched: false, files: map[string]string{"models/props.yml": desc("A2")}},
		{name: "extra/ edited", patched: false, files: map[string]string{"extra/props.yml": desc("B2")}},
		{name: "a third in extra/sub", patched: false, files: map[string]string{"extra/sub/props.yml": desc("C")}},
		{name: "models/ edited again", patched: false, files: map[string]string{"models/props.yml": desc("A3")}},
	})
}

// TestReview39SharedRootWithFiles: one directory for models and seeds,
// with files of both (no template: an added file takes a neighbour's
// kind, of one of the two).
func TestReview39SharedRootWithFiles(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: r39\nseed-paths: [models]\n", "models/m.sql": r39Model, "models/codes.csv": "id\n1\n"}},
		{name: "a model", patched: false, files: map[string]string{"models/n.sql": "select * from {{ ref('codes') }}\n"}},
		{name: "a seed", patched: false, files: map[string]string{"models/more.csv": "id\n2\n"}},
		{name: "a model in a folder", patched: false, files: map[string]string{"models/f/o.sql": "select * from {{ ref('more') }}\n"}},
	})
}

// TestReview39EmptyRootReplaced: an empty root (a template) replaced by
// a symlink to a directory of tests, or by a file.
func TestReview39EmptyRootReplaced(t *testing.T) {
	elsewhere := t.TempDir()
	writeProjectFile(t, elsewhere, "assert_m.sql", r39Test("m", "id < 0"))
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests/.gitkeep": ""}}},
		{patchStep: patchStep{name: "tests/ a symlink now", coldFails: true, remove: []string{"tests"}}, do: r39Symlink(elsewhere, "tests"), touch: []string{"tests"}},
	})
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests/.gitkeep": ""}}},
		{patchStep: patchStep{name: "tests a file now", patched: false, remove: []string{"tests"}, files: map[string]string{"tests": "x\n"}}},
	})
}

// r39Restart makes the snapshot another boot's: the next patch reads
// every input and lists every directory (checkInputs' all).
func r39Restart(t *testing.T, dir string) {
	snapFile := filepath.Join(dir, "target", PatchFile)
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	snap.Boot = "another boot"
	require.NoError(t, writePatchSnapshot(snapFile, snap))
}

// TestReview39AfterRestart: first files of an empty and of a missing root
// after a restart (every input read, every directory listed).
func TestReview39AfterRestart(t *testing.T) {
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": "name: r39\n", "models/m.sql": r39Model, "tests/.gitkeep": "", "tests/sub/.gitkeep": ""}}},
		{patchStep: patchStep{name: "restart, a test in tests/sub, macros/ appears", patched: true, files: map[string]string{
			"tests/sub/assert_m.sql": r39Test("m", "id < 0"), "macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}}, do: r39Restart},
		{patchStep: patchStep{name: "restart, nothing changed", patched: true}, do: r39Restart},
		{patchStep: patchStep{name: "restart, a second test", patched: true, files: map[string]string{"tests/assert_n.sql": "select * from {{ ref('m') }} where {{ neg('id') }}\n"}}, do: r39Restart},
	})
}

// TestReview39AbsoluteRootPaths: roots given as absolute paths (in the
// project, and outside it), empty or missing, take their first files.
func TestReview39AbsoluteRootPaths(t *testing.T) {
	outside := t.TempDir()
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"models/m.sql": r39Model, "checks/.gitkeep": ""}}, do: func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "mart.yml", "name: r39\ntest-paths: [\""+filepath.Join(dir, "checks")+"\"]\nmacro-paths: [\""+filepath.Join(outside, "macros")+"\"]\n")
		}},
		{patchStep: patchStep{name: "first test", patched: true, files: map[string]string{"checks/assert_m.sql": r39Test("m", "id < 0")}}},
		{patchStep: patchStep{name: "the macro root outside appears", patched: true}, do: func(t *testing.T, dir string) {
			writeProjectFile(t, outside, "macros/neg.sql", "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n")
		}},
		{patchStep: patchStep{name: "a test calls it", patched: true, files: map[string]string{"checks/assert_n.sql": "select * from {{ ref('m') }} where {{ neg('id') }}\n"}}},
	})
}
