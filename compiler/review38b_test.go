package compiler

// Review 38b (a346051: a disabled model whose folder config or YAML entry
// changed is made again where its file is). Every step compares the
// patched compile with a cold one; these passed at review and cover what
// the older tests do not.

import "testing"

const r38bHead = "name: tg\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"

// TestReview38bFolderTwoModels: a folder of two described, tested models
// disabled and enabled, by folder and by model-specific keys; one enabled
// alone whose relationships test refs the other fails cold and is refused.
func TestReview38bFolderTwoModels(t *testing.T) {
	const yml = "version: 2\nmodels:\n  - name: b\n    description: the b\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - relationships:\n              to: ref('c')\n              field: id\n" +
		"  - name: c\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('a')\n              field: id\n" +
		"  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('d')\n              field: id\n"
	off := r38bHead + "models:\n  tg:\n    off:\n      +enabled: false\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         r38bHead,
			"models/a.sql":     "select 1 as id\n",
			"models/d.sql":     "select 1 as id\n",
			"models/off/b.sql": "select id from {{ ref('a') }}\n",
			"models/off/c.sql": "select id from {{ ref('a') }}\n",
			"models/_p.yml":    yml}},
		{name: "folder disabled", any: true, files: map[string]string{"mart.yml": off}},
		{name: "folder tags", any: true, files: map[string]string{"mart.yml": off + "      +tags: [x]\n"}},
		{name: "folder enabled", any: true, files: map[string]string{"mart.yml": r38bHead}},
		{name: "folder disabled 2", any: true, files: map[string]string{"mart.yml": off}},
		{name: "c enabled by model key", any: true, files: map[string]string{"mart.yml": off + "      c:\n        +enabled: true\n"}},
		{name: "b enabled by model key, c not", coldFails: true, files: map[string]string{"mart.yml": off + "      b:\n        +enabled: true\n"}},
		{name: "both", any: true, files: map[string]string{"mart.yml": off + "      b:\n        +enabled: true\n      c:\n        +enabled: true\n"}},
		{name: "none", any: true, files: map[string]string{"mart.yml": off}},
		{name: "disabled folder + vars change", any: true, files: map[string]string{"mart.yml": off + "vars:\n  v: 1\n"}},
		{name: "enabled folder + vars change", any: true, files: map[string]string{"mart.yml": r38bHead + "vars:\n  v: 2\n"}},
	})
}

// TestReview38bEntryLifecycle: a disabled model's YAML entry added, moved
// to another file and back, its config edited, enabling and disabling it,
// removed; then its file removed.
func TestReview38bEntryLifecycle(t *testing.T) {
	const pa = "version: 2\nmodels:\n  - name: a\n    description: the a\n"
	const qc = "version: 2\nmodels:\n  - name: c\n    description: the c\n"
	const eb = "  - name: b\n    description: the b\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":      r38bHead,
			"models/a.sql":  "select 1 as id\n",
			"models/c.sql":  "select 1 as id\n",
			"models/b.sql":  "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/_p.yml": pa,
			"models/_q.yml": qc}},
		{name: "entry added", any: true, files: map[string]string{"models/_p.yml": pa + eb}},
		{name: "entry moved to _q", any: true, files: map[string]string{"models/_p.yml": pa, "models/_q.yml": qc + eb}},
		{name: "entry config tags in _q", any: true, files: map[string]string{"models/_q.yml": qc + eb + "    config:\n      tags: [t]\n"}},
		{name: "enabled by SQL", any: true, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "disabled by SQL", any: true, files: map[string]string{"models/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "entry moved back to _p with config", any: true, files: map[string]string{"models/_q.yml": qc, "models/_p.yml": pa + eb + "    config:\n      tags: [u]\n"}},
		{name: "entry config enables it", any: true, files: map[string]string{"models/_p.yml": pa + eb + "    config:\n      enabled: true\n"}},
		{name: "entry config disables it", any: true, files: map[string]string{"models/_p.yml": pa + eb + "    config:\n      enabled: false\n"}},
		{name: "SQL says nothing", any: true, files: map[string]string{"models/b.sql": "select id from {{ ref('a') }}\n"}},
		{name: "entry removed: enabled", any: true, files: map[string]string{"models/_p.yml": pa}},
		{name: "entry added disabling it", any: true, files: map[string]string{"models/_q.yml": qc + eb + "    config:\n      enabled: false\n"}},
		{name: "entry removed again", any: true, files: map[string]string{"models/_q.yml": qc}},
		{name: "SQL disables", any: true, files: map[string]string{"models/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "entry added with config", any: true, files: map[string]string{"models/_q.yml": qc + eb + "    config:\n      meta: {k: 1}\n"}},
		{name: "its file removed", any: true, remove: []string{"models/b.sql"}},
	})
}

// TestReview38bRemadeDisabledNewReads: disabled models made again by their
// folder's config while their SQL starts reading an env var, a var or a
// macro: an edit of that input after is seen.
func TestReview38bRemadeDisabledNewReads(t *testing.T) {
	off := func(tags string) string {
		return r38bHead + "models:\n  tg:\n    off:\n      +enabled: false\n      +tags: [" + tags + "]\n"
	}
	onf := func(tags string) string {
		return r38bHead + "models:\n  tg:\n    off:\n      +tags: [" + tags + "]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", env: map[string]string{"R38B_N": "0"}, files: map[string]string{
			"mart.yml":         onf("x"),
			"macros/m.sql":     "{% macro flag() %}{{ return(false) }}{% endmacro %}\n",
			"models/a.sql":     "select 1 as id\n",
			"models/off/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/off/c.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n",
			"models/off/d.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "folder tags y, b reads env, c a var, d a macro", any: true, files: map[string]string{
			"mart.yml":         onf("y"),
			"models/off/b.sql": "{{ config(enabled=env_var('R38B_N', '0') == '1') }}\nselect id from {{ ref('a') }}\n",
			"models/off/c.sql": "{{ config(enabled=var('c_on', false)) }}\nselect id from {{ ref('a') }}\n",
			"models/off/d.sql": "{{ config(enabled=flag()) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "env enables b", any: true, env: map[string]string{"R38B_N": "1"}},
		{name: "--vars enable c", any: true, vars: map[string]any{"c_on": true}},
		{name: "macro enables d", any: true, files: map[string]string{"macros/m.sql": "{% macro flag() %}{{ return(true) }}{% endmacro %}\n"}},
		{name: "all disabled again by folder", any: true, files: map[string]string{"mart.yml": off("y")}},
		{name: "folder enabled, SQL reads new env", any: true, files: map[string]string{
			"mart.yml":         onf("z"),
			"models/off/b.sql": "{{ config(enabled=env_var('R38B_M', '0') == '1') }}\nselect id from {{ ref('a') }}\n"}},
		{name: "new env set", any: true, env: map[string]string{"R38B_M": "1"}},
	})
}

// TestReview38bAddedRefsEnabledNow: a model or singular test added, reffing
// a disabled model the same save enables (folder or YAML entry).
func TestReview38bAddedRefsEnabledNow(t *testing.T) {
	off := r38bHead + "models:\n  tg:\n    off:\n      +enabled: false\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         off,
			"models/a.sql":     "select 1 as id\n",
			"tests/ta.sql":     "select * from {{ ref('a') }} where id < 0\n",
			"models/off/b.sql": "select id from {{ ref('a') }}\n",
			"models/_p.yml":    "version: 2\nmodels:\n  - name: b\n    description: the b\n"}},
		{name: "folder enabled, a model reffing b added", any: true, files: map[string]string{
			"mart.yml": r38bHead, "models/e.sql": "select id from {{ ref('b') }}\n"}},
		{name: "e removed, folder disabled", any: true, remove: []string{"models/e.sql"}, files: map[string]string{"mart.yml": off}},
		{name: "folder enabled, a singular test of b added", any: true, files: map[string]string{
			"mart.yml": r38bHead, "tests/tb.sql": "select * from {{ ref('b') }} where id < 0\n"}},
		{name: "test removed, folder disabled", any: true, remove: []string{"tests/tb.sql"}, files: map[string]string{"mart.yml": off}},
		{name: "entry enables b, a model reffing b added", any: true, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    description: the b\n    config:\n      enabled: true\n",
			"models/z.sql":  "select id from {{ ref('b') }}\n"}},
		{name: "entry disables b, z removed", any: true, remove: []string{"models/z.sql"}, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    description: the b\n    config:\n      enabled: false\n"}},
		{name: "entry enables b, a model in a new folder reffing b added", any: true, files: map[string]string{
			"models/_p.yml":  "version: 2\nmodels:\n  - name: b\n    description: the b\n    config:\n      enabled: true\n",
			"models/n/0.sql": "select id from {{ ref('b') }}\n"}},
	})
}

// TestReview38bLinesMoveAboveEnabledEntry: lines move above a disabled
// model's entry in the save that enables or disables it (where its tests
// are declared, LineShifts).
func TestReview38bLinesMoveAboveEnabledEntry(t *testing.T) {
	off := r38bHead + "models:\n  tg:\n    off:\n      +enabled: false\n"
	const eb = "  - name: b\n    description: the b\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"
	const ea = "version: 2\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        description: one\n        data_tests: [unique]\n"
	const ea2 = "version: 2\nmodels:\n  - name: a\n    description: >\n      the a,\n      on lines\n    columns:\n      - name: id\n        description: one\n        data_tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         off,
			"models/a.sql":     "select 1 as id\n",
			"models/off/b.sql": "select id from {{ ref('a') }}\n",
			"models/_p.yml":    ea + eb}},
		{name: "folder enabled, lines above b's entry", any: true, files: map[string]string{"mart.yml": r38bHead, "models/_p.yml": ea2 + eb}},
		{name: "folder disabled, lines back", any: true, files: map[string]string{"mart.yml": off, "models/_p.yml": ea + eb}},
		{name: "lines above while disabled", any: true, files: map[string]string{"models/_p.yml": ea2 + eb}},
		{name: "folder enabled", any: true, files: map[string]string{"mart.yml": r38bHead}},
		{name: "lines back while enabled", any: true, files: map[string]string{"models/_p.yml": ea + eb}},
		{name: "entry disables b, lines above", any: true, files: map[string]string{"models/_p.yml": ea2 + eb + "    config:\n      enabled: false\n"}},
		{name: "entry enables b, lines back", any: true, files: map[string]string{"models/_p.yml": ea + eb + "    config:\n      enabled: true\n"}},
		{name: "SQL disables b, lines above", any: true, files: map[string]string{"models/_p.yml": ea2 + eb + "    config:\n      enabled: true\n", "models/off/b.sql": "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n"}},
		{name: "SQL enables b, lines back", any: true, files: map[string]string{"models/_p.yml": ea + eb + "    config:\n      enabled: true\n", "models/off/b.sql": "select id from {{ ref('a') }}\n"}},
	})
}

// TestReview38bAddedBesideRemade: files added beside a disabled model the
// same save makes again (the first file of its folder), edited in place
// after: the snapshot's list of files keeps them.
func TestReview38bAddedBesideRemade(t *testing.T) {
	off := func(tags string) string {
		return r38bHead + "models:\n  tg:\n    off:\n      +enabled: false\n      +tags: [" + tags + "]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          off("x"),
			"models/a.sql":      "select 1 as id\n",
			"models/off/0b.sql": "select id from {{ ref('a') }}\n",
			"models/off/m.sql":  "select id from {{ ref('a') }}\n",
			"models/_p.yml":     "version: 2\nmodels:\n  - name: a\n    description: the a\n"}},
		{name: "folder tags y, files added in its folder", any: true, files: map[string]string{
			"mart.yml":         off("y"),
			"models/off/z.sql": "select id from {{ ref('a') }}\n",
			"models/off/d.md":  "{% docs dd %}d{% enddocs %}\n"}},
		{name: "folder tags w, a props file added in its folder", any: true, files: map[string]string{
			"mart.yml":          off("w"),
			"models/off/_q.yml": "version: 2\nmodels:\n  - name: z\n    description: the z\n"}},
		{name: "z edited in place", any: true, files: map[string]string{"models/off/z.sql": "select id, 2 as two from {{ ref('a') }}\n"}},
		{name: "d.md edited in place", any: true, files: map[string]string{"models/off/d.md": "{% docs dd %}d2{% enddocs %}\n"}},
		{name: "_q edited in place", any: true, files: map[string]string{"models/off/_q.yml": "version: 2\nmodels:\n  - name: z\n    description: the z, 2\n"}},
		{name: "0b edited in place", any: true, files: map[string]string{"models/off/0b.sql": "select id, 3 as three from {{ ref('a') }}\n"}},
		{name: "folder enabled, a file added", any: true, files: map[string]string{
			"mart.yml":          r38bHead,
			"models/off/00.sql": "select 0 as id\n"}},
		{name: "00 edited in place", any: true, files: map[string]string{"models/off/00.sql": "select 00 as id, 1 as x\n"}},
		{name: "z edited in place again", any: true, files: map[string]string{"models/off/z.sql": "select id, 4 as four from {{ ref('a') }}\n"}},
		{name: "folder disabled, 0b removed, a file added", any: true, remove: []string{"models/off/0b.sql"}, files: map[string]string{
			"mart.yml":          off("q"),
			"models/off/01.sql": "select 1 as id\n"}},
		{name: "01 edited", any: true, files: map[string]string{"models/off/01.sql": "select 11 as id\n"}},
		{name: "m edited", any: true, files: map[string]string{"models/off/m.sql": "select 12 as id\n"}},
	})
}
