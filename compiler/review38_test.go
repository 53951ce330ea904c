package compiler

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const r38proj = "name: tg\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"

// TestReview38YAMLDisabledSQLEdited: a model its YAML entry disables; its
// SQL is edited (its render config says nothing of enabled).
func TestReview38YAMLDisabledSQLEdited(t *testing.T) {
	const yml = "version: 2\nmodels:\n  - name: b\n    description: the b\n    config:\n      enabled: false\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      r38proj,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select id from {{ ref('a') }}\n",
			"models/_p.yml": yml}},
		{name: "b's SQL edited", any: true, files: map[string]string{
			"models/b.sql": "select id, 2 as two from {{ ref('a') }}\n"}},
		{name: "b's SQL enables it (SQL wins)", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=true) }}\nselect id, 2 as two from {{ ref('a') }}\n"}},
		{name: "b's SQL says nothing again", any: true, files: map[string]string{
			"models/b.sql": "select id, 3 as two from {{ ref('a') }}\n"}},
	})
}

// TestReview38TwoToggledOneSave: b disabled and e enabled in one save;
// then both swapped; then back.
func TestReview38TwoToggledOneSave(t *testing.T) {
	const yml = "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [unique]\n  - name: e\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      r38proj,
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select id from {{ ref('a') }}\n",
			"models/e.sql":  "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/_p.yml": yml}},
		{name: "swap", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/e.sql": "select id from {{ ref('a') }}\n"}},
		{name: "swap back", any: true, files: map[string]string{
			"models/b.sql": "select id from {{ ref('a') }}\n",
			"models/e.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "both enabled", any: true, files: map[string]string{
			"models/e.sql": "select id from {{ ref('a') }}\n"}},
		{name: "both disabled", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/e.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "both enabled again", any: true, files: map[string]string{
			"models/b.sql": "select id from {{ ref('a') }}\n",
			"models/e.sql": "select id from {{ ref('a') }}\n"}},
	})
}

// TestReview38ToggleWithMove: b's file moved in the save that toggles it.
func TestReview38ToggleWithMove(t *testing.T) {
	const on = "select id from {{ ref('a') }}\n"
	const off = "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     r38proj,
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": on}},
		{name: "moved and disabled", any: true, remove: []string{"models/b.sql"}, files: map[string]string{"models/s/b.sql": off}},
		{name: "moved back and enabled", any: true, remove: []string{"models/s/b.sql"}, files: map[string]string{"models/b.sql": on}},
		{name: "renamed and disabled", any: true, remove: []string{"models/b.sql"}, files: map[string]string{"models/b2.sql": off}},
		{name: "renamed back, enabled", any: true, remove: []string{"models/b2.sql"}, files: map[string]string{"models/b.sql": on}},
		{name: "disabled", any: true, files: map[string]string{"models/b.sql": off}},
		{name: "a new b elsewhere, the disabled one removed", any: true, remove: []string{"models/b.sql"}, files: map[string]string{"models/s/b.sql": on}},
	})
}

// TestReview38ToggledOffReadsNewInputs: b's SQL disables it through an
// env var, a macro or a var it did not read before; then that input
// enables it again.
func TestReview38ToggledOffReadsNewInputs(t *testing.T) {
	const yml = "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", env: map[string]string{"R38_B": "0"}, files: map[string]string{
			"mart.yml":      r38proj,
			"macros/f.sql":  "{% macro flag() %}{{ return(false) }}{% endmacro %}\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select id from {{ ref('a') }}\n",
			"models/_p.yml": yml}},
		{name: "b disabled by an env var", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=env_var('R38_B', '0') == '1') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "the env var enables it", any: true, env: map[string]string{"R38_B": "1"}},
		{name: "b disabled by a macro", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=flag()) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "the macro enables it", any: true, files: map[string]string{
			"macros/f.sql": "{% macro flag() %}{{ return(true) }}{% endmacro %}\n"}},
		{name: "the macro disables it", any: true, files: map[string]string{
			"macros/f.sql": "{% macro flag() %}{{ return(false) }}{% endmacro %}\n"}},
		{name: "b enabled by its SQL", any: true, files: map[string]string{
			"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "b disabled by a target check", any: true, files: map[string]string{
			"models/b.sql": "{{ config(enabled=target.name == 'prod') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "target prod enables it", any: true, target: "prod"},
	})
}

// TestReview38EnabledRelationCollides: enabling b makes it build a
// relation another model builds, or with a config the cold compile
// rejects.
func TestReview38EnabledRelationCollides(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     r38proj,
			"models/a.sql": "select 1 as id\n",
			"models/c.sql": "{{ config(alias='b') }}\nselect 3 as id\n",
			"models/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "b enabled: c builds main.b too", coldFails: true, files: map[string]string{
			"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "b enabled with alias a", coldFails: true, files: map[string]string{
			"models/b.sql": "{{ config(alias='a') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "b disabled with alias a", any: true, files: map[string]string{
			"models/b.sql": "{{ config(alias='a', enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "b enabled with a bogus materialization", coldFails: true, files: map[string]string{
			"models/b.sql": "{{ config(materialized='bogus') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "b enabled with its own alias", any: true, files: map[string]string{
			"models/b.sql": "{{ config(alias='bee') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "b disabled, c's alias bee", any: true, files: map[string]string{
			"models/b.sql": "{{ config(alias='bee', enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/c.sql": "{{ config(alias='bee') }}\nselect 3 as id\n"}},
		{name: "b enabled again: bee twice", coldFails: true, files: map[string]string{
			"models/b.sql": "{{ config(alias='bee') }}\nselect id from {{ ref('a') }}\n"}},
	})
}

// TestReview38OnTargetOncePerPatch: Options.OnTarget is called once per
// CompileByPatch, as its doc says ("as soon as the target is known"); the
// CLI's run commands start opening the warehouse there (startPreopen,
// unguarded), and a second call drops the first opening without closing
// it. A toggle makes CompileByPatch attempt twice.
func TestReview38OnTargetOncePerPatch(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	past := time.Now().Add(-time.Hour)
	write := func(rel, text string) {
		writeProjectFile(t, dir, rel, text)
		past = past.Add(time.Minute)
		require.NoError(t, os.Chtimes(filepath.Join(dir, rel), past, past))
		require.NoError(t, os.Chtimes(filepath.Join(dir, filepath.Dir(rel)), past, past))
	}
	write("mart.yml", r38proj)
	write("models/a.sql", "select 1 as id\n")
	write("models/b.sql", "select id from {{ ref('a') }}\n")
	opt := Options{ProjectDir: dir, InvocationID: "inv"}
	compareStep(t, opt, "cold")
	for i, text := range []string{
		"{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
		"select id from {{ ref('a') }}\n",
	} {
		write("models/b.sql", text)
		calls := 0
		warm := opt
		warm.PartialParse = true
		warm.OnTarget = func(*Project, *Target) { calls++ }
		forgetReads()
		pt, why := CompileByPatch(warm)
		require.NotNil(t, pt, "step %d: %s", i, why)
		require.Equal(t, 1, calls, "step %d: OnTarget calls in one CompileByPatch (each starts a warehouse opening in the CLI)", i)
	}
}

// TestReview38AddedDisabledWithEntryThenEnabled: a disabled model added with
// its YAML entry (patched: the snapshot records the entry's file), then
// enabled by its SQL.
func TestReview38AddedDisabledWithEntryThenEnabled(t *testing.T) {
	const yml = "version: 2\nmodels:\n  - name: a\n    description: the a\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      r38proj,
			"models/a.sql":  "select 1 as id\n",
			"models/_p.yml": yml}},
		{name: "o added disabled, its entry added to _p", any: true, files: map[string]string{
			"models/o.sql":  "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/_p.yml": yml + "  - name: o\n    description: the o\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"}},
		{name: "o enabled", any: true, files: map[string]string{
			"models/o.sql": "select id from {{ ref('a') }}\n"}},
		{name: "o disabled", any: true, files: map[string]string{
			"models/o.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "p added disabled, its entry in a new file", any: true, files: map[string]string{
			"models/p.sql":  "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/_q.yml": "version: 2\nmodels:\n  - name: p\n    columns:\n      - name: id\n        data_tests: [unique]\n"}},
		{name: "p and o enabled", any: true, files: map[string]string{
			"models/p.sql": "select id from {{ ref('a') }}\n",
			"models/o.sql": "select id from {{ ref('a') }}\n"}},
	})
}

// TestReview38EnabledReadsDisabledSourceOrSeed: b enabled by its SQL while
// it reads a disabled source table, a disabled seed or a disabled
// snapshot: the cold compile fails, the patch must refuse.
func TestReview38EnabledReadsDisabledSourceOrSeed(t *testing.T) {
	const srcs = "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n        config:\n          enabled: false\n      - name: u\nseeds:\n  - name: s\n    config:\n      enabled: false\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":        r38proj,
			"models/a.sql":    "select 1 as id\n",
			"seeds/s.csv":     "id\n1\n",
			"snapshots/n.sql": "{% snapshot n %}\n{{ config(enabled=false, target_schema='snap', unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n",
			"models/b.sql":    "{{ config(enabled=false) }}\nselect id from {{ source('raw', 't') }}\n",
			"models/c.sql":    "{{ config(enabled=false) }}\nselect id from {{ ref('s') }}\n",
			"models/d.sql":    "{{ config(enabled=false) }}\nselect id from {{ ref('n') }}\n",
			"models/_s.yml":   srcs}},
		{name: "b enabled: reads a disabled source table", any: true, files: map[string]string{
			"models/b.sql": "select id from {{ source('raw', 't') }}\n"}},
		{name: "c enabled: reads a disabled seed", coldFails: true, files: map[string]string{
			"models/c.sql": "select id from {{ ref('s') }}\n"}},
		{name: "d enabled: reads a disabled snapshot", coldFails: true, files: map[string]string{
			"models/d.sql": "select id from {{ ref('n') }}\n"}},
		{name: "b enabled reading the enabled table, c and d disabled", any: true, files: map[string]string{
			"models/b.sql": "select id from {{ source('raw', 'u') }}\n",
			"models/c.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('s') }}\n",
			"models/d.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('n') }}\n"}},
	})
}
