package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Scenarios of a fourth review (of e8f447c..9fed298): packages' disabled
// models, disabled snapshots, analyses and singular tests, volatile
// disabled models, and files added and removed around a folder's first
// file (insertFiles).

const r4Pkg = "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmacro-paths: [\"macros\"]\n"
const r4PkgMacros = "{% macro pk_cents(c) %}{{ c }} * 100{% endmacro %}\n"

// a package's model its own config() disables, calling a package macro
// and a root macro: the macros edited, the package model edited, a
// disabled package model added and removed.
func TestReview4PackageDisabledMacroEdits(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                        dmProject,
			"models/a.sql":                    "select {{ cents('1') }} as id\n",
			"models/b.sql":                    "{{ config(enabled=is_prod()) }}\nselect {{ cents('2') }} as id from {{ ref('a') }}\n",
			"macros/m.sql":                    dmMacros,
			"dbt_packages/pk/dbt_project.yml": r4Pkg,
			"dbt_packages/pk/macros/pm.sql":   r4PkgMacros,
			"dbt_packages/pk/models/pe.sql":   "select {{ pk_cents('1') }} as id\n",
			"dbt_packages/pk/models/pd.sql":   "{{ config(enabled=is_prod()) }}\nselect {{ pk_cents('2') }}, {{ cents('3') }} as id from {{ ref('pe') }}\n"}},
		{name: "root macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "package macro edited", any: true, files: map[string]string{"dbt_packages/pk/macros/pm.sql": r4PkgMacros + "\n"}},
		{name: "package disabled model edited", any: true, files: map[string]string{
			"dbt_packages/pk/models/pd.sql": "{{ config(enabled=is_prod()) }}\nselect {{ pk_cents('5') }}, {{ cents('3') }} as id from {{ ref('pe') }}\n"}},
		{name: "package disabled model added", any: true, files: map[string]string{
			"dbt_packages/pk/models/pd2.sql": "{{ config(enabled=false) }}\nselect {{ pk_cents('7') }} as id\n"}},
		{name: "root macro edited again", any: true, files: map[string]string{"macros/m.sql": dmMacros}},
		{name: "package disabled model removed", any: true, remove: []string{"dbt_packages/pk/models/pd2.sql"}},
		{name: "root overrides the package macro", any: true, files: map[string]string{
			"macros/o.sql": "{% macro pk_cents(c) %}{{ c }} * 1000{% endmacro %}\n"}},
		{name: "target prod", any: true, target: "prod"},
	})
}

// a package model disabled from the root project's folder config.
func TestReview4PackageDisabledByRootConfig(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                          dmProject + "models:\n  pk:\n    off:\n      +enabled: false\n",
			"models/a.sql":                      "select {{ cents('1') }} as id\n",
			"macros/m.sql":                      dmMacros,
			"dbt_packages/pk/dbt_project.yml":   r4Pkg,
			"dbt_packages/pk/macros/pm.sql":     r4PkgMacros,
			"dbt_packages/pk/models/pe.sql":     "select {{ pk_cents('1') }} as id\n",
			"dbt_packages/pk/models/off/pd.sql": "select {{ cents('3') }} as id from {{ ref('pe') }}\n"}},
		{name: "root macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "root model refs pd", coldFails: true, files: map[string]string{"models/c.sql": "select * from {{ ref('pd') }}\n"}},
		{name: "removed", any: true, remove: []string{"models/c.sql"}},
		{name: "a root model named pd", any: true, files: map[string]string{"models/pd.sql": "select 1 as id\n"}},
	})
}

// a disabled snapshot (its block's config) calling a macro.
func TestReview4DisabledSnapshot(t *testing.T) {
	const snap = "{%% snapshot s %%}\n{{ config(enabled=%s, target_schema='snap', unique_key='id', strategy='check', check_cols='all') }}\nselect {{ cents('%s') }} as id from {{ ref('a') }}\n{%% endsnapshot %%}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":        dmProject,
			"models/a.sql":    "select {{ cents('1') }} as id\n",
			"models/c.sql":    "select {{ cents('3') }} as id from {{ ref('a') }}\n",
			"macros/m.sql":    dmMacros,
			"snapshots/s.sql": fmt.Sprintf(snap, "is_prod()", "1")}},
		{name: "macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "snapshot edited", any: true, files: map[string]string{"snapshots/s.sql": fmt.Sprintf(snap, "is_prod()", "2")}},
		{name: "snapshot added disabled", any: true, files: map[string]string{"snapshots/s2.sql": "{% snapshot s2 %}\n{{ config(enabled=false, target_schema='snap', unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n"}},
		{name: "model refs disabled snapshot", coldFails: true, files: map[string]string{"models/d.sql": "select * from {{ ref('s') }}\n"}},
		{name: "d removed", any: true, remove: []string{"models/d.sql"}},
		{name: "snapshot removed", any: true, remove: []string{"snapshots/s2.sql"}},
		{name: "target prod", any: true, target: "prod"},
	})
}

// a disabled singular test and analysis calling a macro; added and removed.
func TestReview4DisabledSingularTestAndAnalysis(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":        dmProject,
			"models/a.sql":    "select {{ cents('1') }} as id\n",
			"macros/m.sql":    dmMacros,
			"tests/t_dis.sql": "{{ config(enabled=is_prod()) }}\nselect * from {{ ref('a') }} where id < {{ cents('0') }}\n",
			"tests/t_on.sql":  "select * from {{ ref('a') }} where id < 0\n",
			"analyses/an.sql": "{{ config(enabled=is_prod()) }}\nselect {{ cents('4') }} from {{ ref('a') }}\n"}},
		{name: "macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "disabled test added", any: true, files: map[string]string{"tests/t_dis2.sql": "{{ config(enabled=false) }}\nselect * from {{ ref('a') }}\n"}},
		{name: "disabled test removed", any: true, remove: []string{"tests/t_dis2.sql"}},
		{name: "disabled analysis added", any: true, files: map[string]string{"analyses/an2.sql": "{{ config(enabled=false) }}\nselect 1\n"}},
		{name: "disabled analysis removed", any: true, remove: []string{"analyses/an2.sql"}},
		{name: "enabled test removed", any: true, remove: []string{"tests/t_on.sql"}},
		{name: "the first test removed and a disabled one added beside", any: true, remove: []string{"tests/t_dis.sql"},
			files: map[string]string{"tests/t_b.sql": "{{ config(enabled=false) }}\nselect 2\n"}},
		{name: "target prod", any: true, target: "prod"},
	})
}

// a disabled seed (YAML enabled: false) named by a disabled model's ref.
func TestReview4DisabledSeed(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     dmProject,
			"models/a.sql": "select {{ cents('1') }} as id\n",
			"macros/m.sql": dmMacros,
			"seeds/sd.csv": "id\n1\n",
			"seeds/_s.yml": "version: 2\nseeds:\n  - name: sd\n    config:\n      enabled: false\n",
			"models/b.sql": "{{ config(enabled=is_prod()) }}\nselect {{ cents('2') }} as id from {{ ref('sd') }}\n"}},
		{name: "macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "seed enabled", any: true, files: map[string]string{"seeds/_s.yml": "version: 2\nseeds:\n  - name: sd\n    config:\n      enabled: true\n"}},
		{name: "seed edited", any: true, files: map[string]string{"seeds/sd.csv": "id\n2\n"}},
		{name: "macro edited again", any: true, files: map[string]string{"macros/m.sql": dmMacros}},
		{name: "seed disabled", any: true, files: map[string]string{"seeds/_s.yml": "version: 2\nseeds:\n  - name: sd\n    config:\n      enabled: false\n"}},
	})
}

// the only file of a disabled folder removed in the save that adds
// several files to it, and to a folder under it; each then edited in
// place.
func TestReview4OnlyFileOfFolderReplacedBySeveral(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r3Cold(map[string]string{"models/off/m.sql": "select 5 as id\n"})},
		{name: "m replaced by x, y, docs and a nested one", any: true, remove: []string{"models/off/m.sql"}, files: map[string]string{
			"models/off/x.sql":      "select {{ cents('1') }} as id\n",
			"models/off/y.sql":      "select 2 as id\n",
			"models/off/y.md":       "{% docs yd %}y{% enddocs %}\n",
			"models/off/deep/w.sql": "select 3 as id\n"}},
		{name: "x edited in place", any: true, files: map[string]string{"models/off/x.sql": "select {{ cents('9') }} as id\n"}},
		{name: "y enabled in place", any: true, files: map[string]string{"models/off/y.sql": "{{ config(enabled=true) }}\nselect 2 as id\n"}},
		{name: "docs edited in place", any: true, files: map[string]string{"models/off/y.md": "{% docs yd %}y2{% enddocs %}\n"}},
		{name: "w enabled in place", any: true, files: map[string]string{"models/off/deep/w.sql": "{{ config(enabled=true) }}\nselect 3 as id\n"}},
		{name: "macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "x enabled in place", any: true, files: map[string]string{"models/off/x.sql": "{{ config(enabled=true) }}\nselect {{ cents('9') }} as id\n"}},
	})
}

// a folder's first file (an enabled model) removed, and files added
// before and after it in path order, in the folder and a new folder
// under it whose name sorts first.
func TestReview4FirstFileRemovedAddedAround(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r3Cold(map[string]string{
			"models/p/b1.sql": "select 1 as id\n",
			"models/p/c1.sql": "select 2 as id\n",
			"models/q/z.sql":  "select 3 as id\n"})},
		{name: "b1 removed, a0, b2 (disabled) and p/0/n added", any: true, remove: []string{"models/p/b1.sql"}, files: map[string]string{
			"models/p/a0.sql":  "select 10 as id\n",
			"models/p/b2.sql":  "{{ config(enabled=is_prod()) }}\nselect 11 as id\n",
			"models/p/0/n.sql": "{{ config(enabled=false) }}\nselect 12 as id\n",
			"models/p/c0.md":   "{% docs c0 %}c0{% enddocs %}\n"}},
		{name: "a0 edited", any: true, files: map[string]string{"models/p/a0.sql": "select 20 as id\n"}},
		{name: "b2 edited", any: true, files: map[string]string{"models/p/b2.sql": "{{ config(enabled=is_prod()) }}\nselect 21 as id\n"}},
		{name: "n enabled", any: true, files: map[string]string{"models/p/0/n.sql": "select 22 as id\n"}},
		{name: "c0 edited", any: true, files: map[string]string{"models/p/c0.md": "{% docs c0 %}c0 2{% enddocs %}\n"}},
		{name: "c1 removed, c2 added", any: true, remove: []string{"models/p/c1.sql"}, files: map[string]string{"models/p/c2.sql": "select 30 as id\n"}},
		{name: "c2 edited", any: true, files: map[string]string{"models/p/c2.sql": "select 31 as id\n"}},
		{name: "b2 enabled", any: true, files: map[string]string{"models/p/b2.sql": "select 21 as id\n"}},
	})
}

// the macro folder's first file removed, a macro file and a disabled
// model calling its macro added in one save; the macro edited after.
func TestReview4FirstMacroFileReplaced(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r3Cold(map[string]string{"macros/0.sql": "{% macro zero() %}0{% endmacro %}\n"})},
		{name: "0.sql removed, 00.sql and off/u.sql added", any: true, remove: []string{"macros/0.sql"}, files: map[string]string{
			"macros/00.sql":    "{% macro zz() %}1{% endmacro %}\n",
			"models/off/u.sql": "select {{ zz() }} as id\n"}},
		{name: "zz edited", any: true, files: map[string]string{"macros/00.sql": "{% macro zz() %}2{% endmacro %}\n"}},
		{name: "zz enables u", any: true, files: map[string]string{
			"macros/00.sql":    "{% macro zz() %}2{% endmacro %}\n{% macro on() %}{{ return(true) }}{% endmacro %}\n",
			"models/off/u.sql": "{{ config(enabled=on()) }}\nselect {{ zz() }} as id\n"}},
	})
}

// a disabled model in a new folder several levels deep, added as the
// project's first model file (models/0.sql) is removed; edited in place.
func TestReview4DeepNewFolder(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: r3Cold(map[string]string{"models/0.sql": "select 0 as id\n"})},
		{name: "0 removed, off/x/y/d.sql added", any: true, remove: []string{"models/0.sql"}, files: map[string]string{
			"models/off/x/y/d.sql": "select {{ cents('4') }} as id\n",
			"models/off/x/e.sql":   "select 5 as id\n"}},
		{name: "d edited", any: true, files: map[string]string{"models/off/x/y/d.sql": "select {{ cents('5') }} as id\n"}},
		{name: "macro edited", any: true, files: map[string]string{"macros/m.sql": dmMacros + "\n"}},
		{name: "e enabled", any: true, files: map[string]string{"models/off/x/e.sql": "{{ config(enabled=true) }}\nselect 5 as id\n"}},
		{name: "d enabled", any: true, files: map[string]string{"models/off/x/y/d.sql": "{{ config(enabled=true) }}\nselect {{ cents('5') }} as id\n"}},
		{name: "d and e removed, folder gone", any: true, remove: []string{"models/off/x/y/d.sql", "models/off/x/e.sql", "models/off/x/y", "models/off/x"}},
	})
}

// r4Run runs a step's edit as `mart run` would load it: a patch for a
// run of every node, its compiled files written; the compile after must
// still be the cold one's (compareStep).
func r4Run(t *testing.T, dir string, target string) (bool, string) {
	t.Helper()
	forgetReads()
	pt, why := CompileByPatch(Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchForRun: true, Target: target})
	if pt == nil {
		return false, why
	}
	g, why := pt.SelectorGraph()
	if g == nil {
		return true, why
	}
	var ids []string
	for id := range g.Nodes {
		if !strings.HasPrefix(id, "source.") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	res, why := pt.Result(ids)
	if res == nil {
		return true, why
	}
	require.NoError(t, res.WriteTarget(ids))
	return true, ""
}

// a volatile disabled model (run_started_at, invocation_id) beside a
// macro edit, loaded by runs; compiles after compared with cold ones.
func TestReview4VolatileDisabledRuns(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("MART_PROFILES_DIR", "")
	for rel, text := range r3Cold(map[string]string{
		"models/v.sql": "{{ config(enabled=is_prod()) }}\nselect {{ cents('7') }} as id, '{{ invocation_id }}' as inv from {{ ref('a') }}\n",
		"models/w.sql": "{{ config(enabled=false) }}\nselect '{{ run_started_at }}' as t\n",
	}) {
		writeProjectFile(t, dir, rel, text)
	}
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	old := time.Now().Add(-time.Hour)
	edit := func(rel, text string) {
		writeProjectFile(t, dir, rel, text)
		old = old.Add(time.Minute)
		require.NoError(t, os.Chtimes(filepath.Join(dir, rel), old, old))
	}
	edit("macros/m.sql", dmMacros+"\n")
	ran, why := r4Run(t, dir, "")
	t.Logf("run after macro edit: patched=%v (%s)", ran, why)
	patched, why := compareStep(t, opt, "compile after the run")
	t.Logf("compile: patched=%v (%s)", patched, why)
	edit("models/v.sql", "{{ config(enabled=is_prod()) }}\nselect {{ cents('8') }} as id, '{{ invocation_id }}' as inv from {{ ref('a') }}\n")
	ran, why = r4Run(t, dir, "")
	t.Logf("run after v edit: patched=%v (%s)", ran, why)
	edit("macros/m.sql", dmMacros)
	ran, why = r4Run(t, dir, "prod")
	t.Logf("run --target prod after macro edit: patched=%v (%s)", ran, why)
	patched, why = compareStep(t, opt, "compile after the runs")
	t.Logf("compile: patched=%v (%s)", patched, why)
	ro, why := CompileByPatch(Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchForRun: true, PatchReadOnly: true})
	require.Nil(t, ro, "a read-only command loaded a snapshot with volatile disabled models")
	t.Logf("read-only: %s", why)
}
