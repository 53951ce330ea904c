package compiler

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// review45: a run with --full-refresh after a compile without it, and
// the other way round. They were patched from the snapshot where no input
// named flags (a change reverted after this review: hooks, --vars, env
// vars, YAML escapes and aliases read the option where no scan of the
// files sees it). Session 46 patches them again, the other way: a patch
// compiles with the command's option and renders again the nodes whose
// text or macros may read it (patchfullrefresh.go); a node that is not
// patchable and may read it compiles whole. Each compile must equal a
// cold one with the same option.

// frProject writes files, compiles them whole without --full-refresh
// keeping the snapshot (as `mart compile` does), and gives the options.
func frProject(t *testing.T, files map[string]string) Options {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := writeProject(t, files)
	opt := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	compileKeepingPatch(t, opt)
	return opt
}

// requireFullRefreshAsCold compiles with fullRefresh as `mart compile`
// does (patched when it can) and requires manifest.json and the compiled
// files to be a cold compile's with it; it says whether it patched.
func requireFullRefreshAsCold(t *testing.T, opt Options, fullRefresh bool, step string) bool {
	t.Helper()
	p, _ := fullRefreshAsCold(t, opt, fullRefresh, step)
	return p != nil
}

// fullRefreshAsCold is requireFullRefreshAsCold, which gives the patch
// (nil when it compiled whole) and why it did not.
func fullRefreshAsCold(t *testing.T, opt Options, fullRefresh bool, step string) (*Patched, string) {
	t.Helper()
	opt.FullRefresh = fullRefresh
	cold, cd := Compile(Options{ProjectDir: opt.ProjectDir, InvocationID: opt.InvocationID, FullRefresh: fullRefresh, Vars: opt.Vars})
	require.NotNil(t, cold, "%v", cd)
	cold.DropPatch()
	forgetReads()
	p, why := CompileByPatch(opt)
	if p == nil {
		t.Logf("%s: compiled whole: %s", step, why)
		compileKeepingPatch(t, opt)
	}
	got, err := os.ReadFile(filepath.Join(opt.ProjectDir, "target", "manifest.json"))
	require.NoError(t, err)
	want := string(manifestBytes(t, cold.Manifest))
	if want != string(got) {
		t.Fatalf("manifest.json after %s (patched=%v) is not a cold compile's:\n%s", step, p != nil, firstDiff(want, string(got)))
	}
	requireCompiledFiles(t, opt.ProjectDir, cold, step, p != nil)
	return p, why
}

// firstDiff shows where a and b first differ (cold, then patched).
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-120, 0)
	return "cold:    ..." + a[from:min(i+80, len(a))] + "\npatched: ..." + b[from:min(i+80, len(b))]
}

// A generic test's argument that is a ref() or source() call is inlined
// in the test's template as a Jinja expression (jinjaLiteral,
// refCallRE), so it renders with the compile's flags. Written in a
// double-quoted YAML string with an escape (\x61 for 'a'), the file's
// bytes never name flags: session 45's reverted change read the raw
// bytes and patched as the snapshot was made, where a cold compile with
// the option refs the other model. The test's decoded text names them
// (readsFullRefresh): it compiles whole, as a cold compile.
func TestReview45FullRefreshInAYAMLEscapedTestArgument(t *testing.T) {
	requireFullRefreshAsCold(t, frRelationshipsProject(t, `"ref('parent_a' if fl\x61gs.FULL_REFRESH else 'parent_b')"`), true, "--full-refresh")
}

// The same through a double-quoted YAML string's escaped line break
// ("fl\<newline>ags"): no escape code, the bytes name no flags either.
func TestReview45FullRefreshInAYAMLFoldedTestArgument(t *testing.T) {
	requireFullRefreshAsCold(t, frRelationshipsProject(t, "\"ref('parent_a' if fl\\\n                ags.FULL_REFRESH else 'parent_b')\""), true, "--full-refresh")
}

// frRelationshipsProject is frProject of a child model whose id column
// has a relationships test to the YAML value to (as written in the file).
func frRelationshipsProject(t *testing.T, to string) Options {
	t.Helper()
	return frProject(t, map[string]string{
		"mart.yml":            "name: p\n",
		"models/parent_a.sql": "select 1 as id\n",
		"models/parent_b.sql": "select 2 as id\n",
		"models/child.sql":    "select 1 as id\n",
		"models/schema.yml": "version: 2\nmodels:\n  - name: child\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n" +
			"              to: " + to + "\n              field: id\n",
	})
}

// Each edit below makes an input name flags or full_refresh through a
// path a patch takes (a rename, a properties file, a macro file, a docs
// file, the project file's vars and folder configs, a package's file):
// the compile after it, without --full-refresh, is a cold compile's; the
// one after that, with it, is whole and a cold compile's too. (swaps and
// any say what the reverted change did: patched the --full-refresh compile
// where nothing named flags; a seed's header was a false alarm.)
func TestReview45FullRefreshAfterEditsThatNameFlags(t *testing.T) {
	base := map[string]string{
		"mart.yml":           "name: p\nvars:\n  v: 1\n",
		"models/a.sql":       "select {{ my_id() }} as id\n",
		"models/b.sql":       "select * from {{ ref('a') }}\n",
		"models/schema.yml":  "version: 2\nmodels:\n  - name: a\n    description: '{{ doc(\"a_doc\") }}'\n",
		"models/docs.md":     "{% docs a_doc %}\nthe a model\n{% enddocs %}\n",
		"macros/my_id.sql":   "{% macro my_id() %}1{% endmacro %}\n",
		"macros/unused.sql":  "{% macro unused() %}2{% endmacro %}\n",
		"seeds/s.csv":        "x\n1\n",
		"tests/singular.sql": "select * from {{ ref('b') }} where id < 0\n",
	}
	cases := []struct {
		name  string
		edit  func(t *testing.T, dir string)
		swaps bool // (the reverted change patched the --full-refresh compile)
		any   bool // (a seed's header made it compile whole, a false alarm)
	}{
		{"nothing", func(*testing.T, string) {}, true, false},
		{"a model renamed to one that reads it", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "models/b.sql")))
			writeProjectFile(t, dir, "models/sub/b.sql", "select * from {{ ref('a') }} where {{ should_full_refresh() }} or true\n")
		}, false, false},
		{"a model moved, its text the same", func(t *testing.T, dir string) {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "models/sub"), 0o755))
			require.NoError(t, os.Rename(filepath.Join(dir, "models/b.sql"), filepath.Join(dir, "models/sub/b.sql")))
		}, true, false},
		{"a properties file's config", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "models/schema.yml", "version: 2\nmodels:\n  - name: a\n    description: '{{ doc(\"a_doc\") }}'\n    config:\n      full_refresh: false\n")
		}, false, false},
		{"a properties file added", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "models/more.yml", "version: 2\nmodels:\n  - name: b\n    description: reads flags\n")
		}, false, false},
		{"a used macro", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "macros/my_id.sql", "{% macro my_id() %}{{ 1 if flags.FULL_REFRESH else 0 }}{% endmacro %}\n")
		}, false, false},
		{"an unused macro", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "macros/unused.sql", "{% macro unused() %}{{ should_full_refresh() }}{% endmacro %}\n")
		}, false, false},
		{"a macro file added", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "macros/more.sql", "{% macro more() %}{{ should_full_refresh() }}{% endmacro %}\n")
		}, false, false},
		{"a docs block", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "models/docs.md", "{% docs a_doc %}\nthe a model, rebuilt with flags\n{% enddocs %}\n")
		}, false, false},
		{"a docs file added", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "models/more.md", "{% docs more_doc %}\nfull_refresh\n{% enddocs %}\n")
		}, false, false},
		{"a singular test", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "tests/singular.sql", "select * from {{ ref('b') }} where {{ flags.FULL_REFRESH }}\n")
		}, false, false},
		{"the project file's vars", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "mart.yml", "name: p\nvars:\n  v: flags\n")
		}, false, false},
		{"the project file's folder configs", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "mart.yml", "name: p\nvars:\n  v: 1\nmodels:\n  p:\n    +full_refresh: false\n")
		}, false, false},
		{"the project file's flags block only", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "mart.yml", "name: p\nvars:\n  v: 1\nflags:\n  send_anonymous_usage_stats: false\n")
		}, true, false},
		{"a seed's CSV", func(t *testing.T, dir string) {
			writeProjectFile(t, dir, "seeds/s.csv", "flags\n1\n")
		}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			opt := frProject(t, files)
			// a first compile as made, then the edit, compiled without it
			requireFullRefreshAsCold(t, opt, false, "nothing")
			c.edit(t, opt.ProjectDir)
			requireFullRefreshAsCold(t, opt, false, c.name)
			patched := requireFullRefreshAsCold(t, opt, true, c.name+", then --full-refresh")
			require.True(t, patched, "no node that is not patchable reads it: patched")
			// and back, and again
			requireFullRefreshAsCold(t, opt, false, c.name+", then no --full-refresh")
			requireFullRefreshAsCold(t, opt, true, c.name+", then --full-refresh again")
		})
	}
}

// A package's files and project file are inputs too: one that names
// flags keeps --full-refresh in the key.
func TestReview45FullRefreshPackagesNameFlags(t *testing.T) {
	pkg := "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmacro-paths: [\"macros\"]\n"
	for name, more := range map[string]map[string]string{
		"its model":        {"dbt_packages/pk/models/pkm.sql": "select {{ 1 if should_full_refresh() else 0 }} as r\n"},
		"its macro":        {"dbt_packages/pk/macros/pkmac.sql": "{% macro pkmac() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n"},
		"its project file": {"dbt_packages/pk/dbt_project.yml": pkg + "vars:\n  pv: full_refresh\n"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{
				"mart.yml":                        "name: rp\nversion: \"1.0.0\"\n",
				"models/a.sql":                    "select 1 as id\n",
				"dbt_packages/pk/dbt_project.yml": pkg,
				"dbt_packages/pk/models/pkm.sql":  "select 1 as r\n",
			}
			for k, v := range more {
				files[k] = v
			}
			opt := frProject(t, files)
			requireFullRefreshAsCold(t, opt, true, "--full-refresh")
			requireFullRefreshAsCold(t, opt, false, "no --full-refresh")
		})
	}
}

// Each project names flags in one place a whole compile reads (a
// disabled model, an analysis, a snapshot, a unit test, a model whose
// flags only show in a config() call): the compile with --full-refresh
// after a whole one without it is a cold compile's; it patches, but for a
// generic test's where (a test from YAML is not patchable).
func TestReview45FullRefreshNamedWhereverTheCompileReads(t *testing.T) {
	whole := map[string]bool{} // (a properties file's where: its test made again, patchtestvars.go)
	for name, more := range map[string]map[string]string{
		"a disabled model": {"models/off.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect 1 as x\n"},
		"an analysis":      {"analyses/an.sql": "select {{ should_full_refresh() }} as r from {{ ref('a') }}\n"},
		"a snapshot": {"snapshots/snap.sql": "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='s') }}\n" +
			"select id, {{ flags.FULL_REFRESH }} as f from {{ ref('a') }}\n{% endsnapshot %}\n"},
		"a model's config": {"models/inc.sql": "{{ config(materialized='incremental', full_refresh=false) }}\nselect 1 as id\n"},
		"a properties file's where": {"models/t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n" +
			"          - not_null:\n              config:\n                where: \"{{ 'true' if flags.FULL_REFRESH else 'false' }}\"\n"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"mart.yml": "name: p\n", "models/a.sql": "select 1 as id\n"}
			for k, v := range more {
				files[k] = v
			}
			opt := frProject(t, files)
			require.Equal(t, !whole[name], requireFullRefreshAsCold(t, opt, true, "--full-refresh"), "patched")
			require.Equal(t, !whole[name], requireFullRefreshAsCold(t, opt, false, "no --full-refresh"), "patched")
		})
	}
}

// A package's model edited to name flags (a patch, or a whole compile,
// without --full-refresh): the run with it after is a cold compile's.
func TestReview45FullRefreshAfterAPackageEdit(t *testing.T) {
	pkg := "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmacro-paths: [\"macros\"]\n"
	for name, edit := range map[string][2]string{
		"its model":  {"dbt_packages/pk/models/pkm.sql", "select {{ 1 if should_full_refresh() else 0 }} as r\n"},
		"its macro":  {"dbt_packages/pk/macros/pkmac.sql", "{% macro pkmac() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n"},
		"its vars":   {"dbt_packages/pk/dbt_project.yml", pkg + "vars:\n  pv: flags\n"},
		"a new file": {"dbt_packages/pk/models/more.sql", "select {{ flags.FULL_REFRESH }} as f\n"},
	} {
		t.Run(name, func(t *testing.T) {
			opt := frProject(t, map[string]string{
				"mart.yml":                         "name: rp\nversion: \"1.0.0\"\n",
				"models/a.sql":                     "select 1 as id\n",
				"dbt_packages/pk/dbt_project.yml":  pkg,
				"dbt_packages/pk/models/pkm.sql":   "select 1 as r\n",
				"dbt_packages/pk/macros/pkmac.sql": "{% macro pkmac() %}1{% endmacro %}\n",
			})
			require.True(t, requireFullRefreshAsCold(t, opt, true, "--full-refresh"), "nothing reads it: patched")
			require.True(t, requireFullRefreshAsCold(t, opt, false, "no --full-refresh"), "nothing reads it: patched")
			writeProjectFile(t, opt.ProjectDir, edit[0], edit[1])
			requireFullRefreshAsCold(t, opt, false, "the edit")
			requireFullRefreshAsCold(t, opt, true, "the edit, then --full-refresh")
		})
	}
}
