package compiler

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// review46: probes of the --full-refresh patch (patchfullrefresh.go): a
// compile whose option differs from its snapshot's must equal a cold
// compile with the option.

func review46Toggle(t *testing.T, files map[string]string) {
	t.Helper()
	opt := frProject(t, files)
	var ms [2]string
	for i, fr := range []bool{false, true} {
		cold, cd := Compile(Options{ProjectDir: opt.ProjectDir, InvocationID: opt.InvocationID, FullRefresh: fr})
		if cold == nil {
			t.Fatalf("%v", cd)
		}
		cold.DropPatch()
		ms[i] = string(manifestBytes(t, cold.Manifest))
	}
	if ms[0] == ms[1] {
		t.Logf("PROBE-VACUOUS: the option changes nothing in manifest.json")
	}
	forgetReads()
	for i, fr := range []bool{true, false, true} {
		requireFullRefreshAsCold(t, opt, fr, map[bool]string{true: "--full-refresh", false: "without it"}[fr]+" #"+string(rune('0'+i)))
	}
}

func TestReview46Probes(t *testing.T) {
	base := map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
	}
	cases := map[string]map[string]string{
		"top-level set in a macro file before the macro": {
			"macros/m.sql": "{% set fr = flags.FULL_REFRESH %}\n{% macro mark() %}{{ fr }}{% endmacro %}\n",
			"models/r.sql": "select '{{ mark() }}' as f\n"},
		"top-level set in a macro file in another macro's lines": {
			"macros/m.sql": "{% macro other() %}x{% endmacro %}\n{% set fr = flags.FULL_REFRESH %}\n{% macro mark() %}{{ fr }}{% endmacro %}\n",
			"models/r.sql": "select '{{ mark() }}' as f\n"},
		"dispatch": {
			"macros/m.sql": "{% macro mark() %}{{ return(adapter.dispatch('mark')()) }}{% endmacro %}\n{% macro default__mark() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n",
			"models/r.sql": "select '{{ mark() }}' as f\n"},
		"dispatch by a string built": {
			"macros/m.sql": "{% macro default__mark() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n",
			"models/r.sql": "select '{{ adapter.dispatch('ma' ~ 'rk')() }}' as f\n"},
		"project namespace": {
			"macros/m.sql": "{% macro mark() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n",
			"models/r.sql": "select '{{ p.mark() }}' as f\n"},
		"description renders flags": {
			"models/_d.yml": "version: 2\nmodels:\n  - name: a\n    description: \"x {{ flags.FULL_REFRESH }}\"\n"},
		"docs block renders flags": {
			"models/d.md":   "{% docs dd %}x {{ flags.FULL_REFRESH }}{% enddocs %}\n",
			"models/_d.yml": "version: 2\nmodels:\n  - name: a\n    description: \"{{ doc('dd') }}\"\n"},
		"var whose value is a template": {
			"mart.yml":     "name: p\nvars:\n  x: \"{{ flags.FULL_REFRESH }}\"\n",
			"models/r.sql": "select '{{ var('x') }}' as f\n"},
		"graph reads a reader's config": {
			"models/r.sql": "{{ config(tags=['fr'] if flags.FULL_REFRESH else ['inc']) }}\nselect 1 as f\n",
			"models/g.sql": "select '{% for n in graph.nodes.values() %}{{ n.name }}{{ n.tags }}{% endfor %}' as t\n"},
		"enabled by the flag with a yaml test": {
			"models/off.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect 1 as x\n",
			"models/_t.yml":  "version: 2\nmodels:\n  - name: off\n    columns:\n      - name: x\n        data_tests: [not_null]\n"},
		"enabled by the flag and reffed by a reader": {
			"models/off.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect 1 as x\n",
			"models/c.sql":   "{% if flags.FULL_REFRESH %}select * from {{ ref('off') }}{% else %}select 1 as x{% endif %}\n"},
		"disabled by the flag, referenced by a non-reader via graph": {
			"models/on.sql": "{{ config(enabled=not flags.FULL_REFRESH) }}\nselect 1 as x\n",
			"models/g.sql":  "select {{ graph.nodes | length }} as n\n"},
		"unit test given sql reads flags": {
			"models/r.sql": "select id from {{ ref('a') }}\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: ut\n    model: r\n    given:\n" +
				"      - input: ref('a')\n        format: sql\n        rows: \"select {{ 1 if flags.FULL_REFRESH else 2 }} as id\"\n    expect:\n      rows:\n          - {id: 1}\n"},
		"unit test of a macro reader": {
			"macros/m.sql": "{% macro mark() %}{{ 1 if flags.FULL_REFRESH else 0 }}{% endmacro %}\n",
			"models/r.sql": "select id, {{ mark() }} as f from {{ ref('a') }}\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: ut\n    model: r\n    given:\n" +
				"      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, f: 0}\n"},
		"ephemeral chain through a macro": {
			"macros/m.sql":  "{% macro mark() %}{{ 1 if flags.FULL_REFRESH else 0 }}{% endmacro %}\n",
			"models/e1.sql": "{{ config(materialized='ephemeral') }}\nselect {{ mark() }} as f\n",
			"models/e2.sql": "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('e1') }}\n",
			"models/r.sql":  "select * from {{ ref('e2') }}\n"},
		"sql_header": {
			"models/r.sql": "{{ config(sql_header=\"-- \" ~ flags.FULL_REFRESH) }}\nselect 1 as f\n"},
		"analysis": {
			"analyses/an.sql": "select {{ flags.FULL_REFRESH }} as f\n"},
		"versioned model": {
			"models/v_v1.sql": "select {{ flags.FULL_REFRESH }} as f\n",
			"models/v_v2.sql": "select 2 as f\n",
			"models/_v.yml":   "version: 2\nmodels:\n  - name: v\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n"},
		"model full_refresh config in yaml": {
			"models/_c.yml": "version: 2\nmodels:\n  - name: a\n    config:\n      full_refresh: false\n"},
		"caller in a call block": {
			"macros/m.sql": "{% macro wrap() %}[{{ caller() }}]{% endmacro %}\n{% macro inner() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n{% macro outer() %}{% call wrap() %}{{ inner() }}{% endcall %}{% endmacro %}\n",
			"models/r.sql": "select '{{ outer() }}' as f\n"},
		"macro passed as argument": {
			"macros/m.sql": "{% macro inner() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n{% macro apply(f) %}{{ f() }}{% endmacro %}\n",
			"models/r.sql": "select '{{ apply(inner) }}' as f\n"},
		"is_incremental override": {
			"macros/m.sql": "{% macro is_incremental() %}{{ return(not flags.FULL_REFRESH) }}{% endmacro %}\n",
			"models/r.sql": "select {{ 1 if is_incremental() else 0 }} as f\n"},
		"should_full_refresh override": {
			"macros/m.sql": "{% macro should_full_refresh() %}{{ return(true) }}{% endmacro %}\n",
			"models/r.sql": "select {{ 1 if should_full_refresh() else 0 }} as f\n"},
		"exposure and metric": {
			"models/r.sql":  "{{ config(enabled=flags.FULL_REFRESH) }}\nselect 1 as f\n",
			"models/_e.yml": "version: 2\nexposures:\n  - name: ex\n    type: dashboard\n    owner: {name: o}\n    depends_on: [ref('a')]\n"},
		"singular test reads via macro in a package-like namespace": {
			"macros/m.sql": "{% macro mark() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n",
			"tests/t.sql":  "select * from {{ ref('a') }} where {{ p.mark() }}\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range extra {
				files[k] = v
			}
			review46Toggle(t, files)
		})
	}
}

// review46Steps runs steps: each writes (or, with an empty text, removes)
// files, then compiles with its option, patched when it can, and must
// equal a cold compile.
type review46Step struct {
	files map[string]string
	fr    bool
}

func review46Steps(t *testing.T, files map[string]string, steps []review46Step) {
	t.Helper()
	opt := frProject(t, files)
	for i, s := range steps {
		for rel, text := range s.files {
			if text == "" {
				require.NoError(t, os.Remove(filepath.Join(opt.ProjectDir, rel)))
				continue
			}
			writeProjectFile(t, opt.ProjectDir, rel, text)
		}
		requireFullRefreshAsCold(t, opt, s.fr, fmt.Sprintf("step %d (fr=%v)", i, s.fr))
	}
}

func TestReview46Sequences(t *testing.T) {
	base := map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
		"macros/m.sql": "{% macro mark() %}0{% endmacro %}\n",
		"models/r.sql": "select {{ mark() }} as f from {{ ref('a') }}\n",
	}
	readerMacro := "{% macro mark() %}{{ 1 if flags.FULL_REFRESH else 0 }}{% endmacro %}\n"
	cases := map[string][]review46Step{
		"a macro edited to read it, then the toggle": {
			{files: map[string]string{"macros/m.sql": readerMacro}},
			{fr: true}, {fr: false}},
		"a macro edited to read it with the toggle": {
			{files: map[string]string{"macros/m.sql": readerMacro}, fr: true},
			{fr: false}},
		"a model edited to read it, then the toggle": {
			{files: map[string]string{"models/a.sql": "select {{ flags.FULL_REFRESH }} as id\n"}},
			{fr: true}, {fr: false}},
		"a model added that reads it, then the toggle": {
			{files: map[string]string{"models/n.sql": "select {{ flags.FULL_REFRESH }} as id\n"}},
			{fr: true}, {fr: false}},
		"a model added that reads it with the toggle": {
			{files: map[string]string{"models/n.sql": "select {{ flags.FULL_REFRESH }} as id\n"}, fr: true},
			{fr: false}},
		"a macro added that reads it and a model edited to call it": {
			{files: map[string]string{"macros/n.sql": "{% macro nm() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n", "models/a.sql": "select {{ nm() }} as id\n"}},
			{fr: true}, {fr: false}},
		"the reader stops reading it, then the toggle": {
			{files: map[string]string{"macros/m.sql": readerMacro}},
			{fr: true},
			{files: map[string]string{"macros/m.sql": "{% macro mark() %}0{% endmacro %}\n"}, fr: true},
			{fr: false}},
		"a generic test's macro edited to read it, then the toggle": {
			{files: map[string]string{
				"macros/t.sql":  "{% test ok(model, column_name) %}select * from {{ model }} where false{% endtest %}\n",
				"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [ok]\n"}},
			{files: map[string]string{"macros/t.sql": "{% test ok(model, column_name) %}select * from {{ model }} where {{ flags.FULL_REFRESH }}{% endtest %}\n"}},
			{fr: true}, {fr: false}},
		"a generic test's macro calls a macro edited to read it, then the toggle": {
			{files: map[string]string{
				"macros/t.sql":  "{% test ok(model, column_name) %}select * from {{ model }} where {{ mark() }} = 1{% endtest %}\n",
				"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [ok]\n"}},
			{files: map[string]string{"macros/m.sql": readerMacro}},
			{fr: true}, {fr: false}},
		"a generic test added by YAML whose argument reads it, then the toggle": {
			{files: map[string]string{
				"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - accepted_values:\n              values: [\"{{ 1 if flags.FULL_REFRESH else 0 }}\"]\n"}},
			{fr: true}, {fr: false}},
		"a singular test added that reads it, then the toggle": {
			{files: map[string]string{"tests/s.sql": "select * from {{ ref('a') }} where {{ flags.FULL_REFRESH }}\n"}},
			{fr: true}, {fr: false}},
		"a model enabled by it, and a model edited to ref it, toggled together": {
			{files: map[string]string{"models/off.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect 1 as x\n"}},
			{files: map[string]string{"models/c.sql": "select * from {{ ref('off') }}\n"}, fr: true},
			{files: map[string]string{"models/c.sql": ""}, fr: false}},
		"a reader disabled by the project file, then enabled with the toggle": {
			{files: map[string]string{"mart.yml": "name: p\nmodels:\n  p:\n    r:\n      +enabled: false\n", "macros/m.sql": readerMacro}},
			{files: map[string]string{"mart.yml": "name: p\n"}, fr: true},
			{fr: false}},
		"a macro file renamed with the toggle": {
			{files: map[string]string{"macros/m.sql": readerMacro}},
			{files: map[string]string{"macros/m.sql": "", "macros/m2.sql": readerMacro}, fr: true},
			{fr: false}},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) { review46Steps(t, base, steps) })
	}
}

func TestReview46ProbesTestConfigs(t *testing.T) {
	base := map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
	}
	yml := func(cfg string) map[string]string {
		return map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n" + cfg}
	}
	cases := map[string]map[string]string{
		"where":                  yml("                where: \"{{ 'id > 0' if flags.FULL_REFRESH else 'id > 1' }}\"\n"),
		"where escaped":          yml("                where: \"{{ 'id > 0' if fl\\x61gs.FULL_REFRESH else 'id > 1' }}\"\n"),
		"model-level test where": {"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    data_tests:\n      - unique:\n          column_name: id\n          config:\n            where: \"{{ 'id > 0' if flags.FULL_REFRESH else 'id > 1' }}\"\n"},
		"snapshot file's top-level set": {
			"snapshots/s.sql": "{% set fr = flags.FULL_REFRESH %}\n{% snapshot s %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\n" +
				"select id, '{{ fr }}' as f from {{ ref('a') }}\n{% endsnapshot %}\n"},
		"unit test override of a macro": {
			"models/r.sql": "select id, {{ 1 if is_incremental() else 0 }} as f from {{ ref('a') }}\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: ut\n    model: r\n    overrides:\n      macros:\n        is_incremental: \"{{ flags.FULL_REFRESH }}\"\n    given:\n" +
				"      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, f: 0}\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range extra {
				files[k] = v
			}
			review46Toggle(t, files)
		})
	}
}

func TestReview46ProbesEphemeral(t *testing.T) {
	eph := "{{ config(materialized='ephemeral') }}\nselect {{ 1 if flags.FULL_REFRESH else 0 }} as f\n"
	ephMacro := map[string]string{
		"macros/m.sql": "{% macro mark() %}{{ 1 if flags.FULL_REFRESH else 0 }}{% endmacro %}\n",
		"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect {{ mark() }} as f\n",
	}
	cases := map[string]map[string]string{
		"a generic test on an ephemeral reader": {
			"models/e.sql":  eph,
			"models/_t.yml": "version: 2\nmodels:\n  - name: e\n    columns:\n      - name: f\n        data_tests: [not_null]\n"},
		"a relationships test to an ephemeral reader": {
			"models/e.sql":  eph,
			"models/r.sql":  "select 1 as f\n",
			"models/_t.yml": "version: 2\nmodels:\n  - name: r\n    columns:\n      - name: f\n        data_tests:\n          - relationships:\n              to: ref('e')\n              field: f\n"},
		"a generic test on a model that refs an ephemeral reader": {
			"models/e.sql":  eph,
			"models/r.sql":  "select * from {{ ref('e') }}\n",
			"models/_t.yml": "version: 2\nmodels:\n  - name: r\n    columns:\n      - name: f\n        data_tests: [not_null]\n"},
		"a singular test on an ephemeral reader": {
			"models/e.sql": eph,
			"tests/s.sql":  "select * from {{ ref('e') }} where f > 5\n"},
		"a generic test on an ephemeral macro reader": func() map[string]string {
			m := map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: e\n    columns:\n      - name: f\n        data_tests: [unique]\n"}
			for k, v := range ephMacro {
				m[k] = v
			}
			return m
		}(),
		"a unit test of a model that refs an ephemeral reader": {
			"models/e.sql": eph,
			"models/a.sql": "select 1 as id\n",
			"models/r.sql": "select a.id, e.f from {{ ref('a') }} a cross join {{ ref('e') }} e\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: ut\n    model: r\n    given:\n" +
				"      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, f: 0}\n"},
		"an ephemeral reader in a snapshot": {
			"models/e.sql": eph,
			"snapshots/s.sql": "{% snapshot s %}\n{{ config(unique_key='f', strategy='check', check_cols='all', target_schema='snaps') }}\n" +
				"select * from {{ ref('e') }}\n{% endsnapshot %}\n"},
		"an ephemeral reader in an analysis": {
			"models/e.sql":    eph,
			"analyses/an.sql": "select * from {{ ref('e') }}\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"mart.yml": "name: p\n"}
			for k, v := range extra {
				files[k] = v
			}
			review46Toggle(t, files)
		})
	}
}

func TestReview46ProbesWhatARefFinds(t *testing.T) {
	child := "select * from {{ ref('x') }}\n"
	cases := map[string]map[string]string{
		"alias": {
			"models/x.sql": "{{ config(alias='x_full' if flags.FULL_REFRESH else 'x') }}\nselect 1 as id\n",
			"models/c.sql": child},
		"schema": {
			"models/x.sql": "{{ config(schema='fr' if flags.FULL_REFRESH else none) }}\nselect 1 as id\n",
			"models/c.sql": child},
		"materialized ephemeral": {
			"models/x.sql": "{{ config(materialized='ephemeral' if flags.FULL_REFRESH else 'table') }}\nselect 1 as id\n",
			"models/c.sql": child},
		"materialized ephemeral through a macro, two levels down": {
			"macros/m.sql":  "{% macro mat() %}{{ return('ephemeral' if flags.FULL_REFRESH else 'view') }}{% endmacro %}\n",
			"models/x.sql":  "{{ config(materialized=mat()) }}\nselect 1 as id\n",
			"models/c.sql":  "{{ config(materialized='ephemeral') }}\n" + child,
			"models/d.sql":  "select * from {{ ref('c') }}\n",
			"models/_t.yml": "version: 2\nmodels:\n  - name: d\n    columns:\n      - name: id\n        data_tests: [not_null]\n"},
		"two models of a name, the option picks": {
			"models/x.sql":     "{{ config(enabled=flags.FULL_REFRESH, schema='fr') }}\nselect 1 as id\n",
			"models/sub/x.sql": "{{ config(enabled=not flags.FULL_REFRESH) }}\nselect 2 as id\n",
			"models/c.sql":     child},
		"two models of a name picked, and a test on the child": {
			"models/x.sql":     "{{ config(enabled=flags.FULL_REFRESH, alias='x_fr') }}\nselect 1 as id\n",
			"models/sub/x.sql": "{{ config(enabled=not flags.FULL_REFRESH) }}\nselect 2 as id\n",
			"models/c.sql":     "select 1 as id\n",
			"models/_t.yml":    "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('x')\n              field: id\n"},
		"a versioned model's versions the option picks": {
			"models/x_v1.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect 1 as id\n",
			"models/x_v2.sql": "select 2 as id\n",
			"models/_v.yml":   "version: 2\nmodels:\n  - name: x\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n",
			"models/c.sql":    "select * from {{ ref('x', v=2) }}\n"},
		"a snapshot's target the option sets": {
			"snapshots/s.sql": "{% snapshot s %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps_fr' if flags.FULL_REFRESH else 'snaps') }}\n" +
				"select 1 as id\n{% endsnapshot %}\n",
			"models/c.sql": "select * from {{ ref('s') }}\n"},
		"this in a reader's child": {
			"models/x.sql":    "{{ config(alias='x_full' if flags.FULL_REFRESH else 'x') }}\nselect 1 as id\n",
			"models/c.sql":    "select '{{ ref(\"x\").identifier }}' as i, * from {{ ref('x') }}\n",
			"tests/t.sql":     "select * from {{ ref('x') }} where id < 0\n",
			"analyses/an.sql": "select * from {{ ref('x') }}\n"},
		"a source the option cannot touch, and a reader's exposure": {
			"models/x.sql":  "{{ config(alias='x_full' if flags.FULL_REFRESH else 'x') }}\nselect 1 as id\n",
			"models/_e.yml": "version: 2\nexposures:\n  - name: ex\n    type: dashboard\n    owner: {name: o}\n    depends_on: [ref('x')]\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"mart.yml": "name: p\n"}
			for k, v := range extra {
				files[k] = v
			}
			review46Toggle(t, files)
		})
	}
}

func TestReview46ProbesPackages(t *testing.T) {
	pk := "name: pk\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\nmacro-paths: [\"macros\"]\n"
	cases := map[string]map[string]string{
		"a package's model": {
			"dbt_packages/pk/dbt_project.yml": pk,
			"dbt_packages/pk/models/pkm.sql":  "select {{ flags.FULL_REFRESH }} as f\n"},
		"a package's macro, called by name": {
			"dbt_packages/pk/dbt_project.yml": pk,
			"dbt_packages/pk/macros/m.sql":    "{% macro pmark() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n",
			"models/r.sql":                    "select '{{ pk.pmark() }}' as f\n"},
		"a package's macro dispatched to": {
			"dbt_packages/pk/dbt_project.yml": pk,
			"dbt_packages/pk/macros/m.sql":    "{% macro pmark() %}{{ return(adapter.dispatch('pmark', 'pk')()) }}{% endmacro %}\n{% macro default__pmark() %}{{ should_full_refresh() }}{% endmacro %}\n",
			"models/r.sql":                    "select '{{ pk.pmark() }}' as f\n"},
		"a package's model calling a root macro": {
			"dbt_packages/pk/dbt_project.yml": pk,
			"dbt_packages/pk/models/pkm.sql":  "select '{{ mark() }}' as f\n",
			"macros/m.sql":                    "{% macro mark() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n"},
		"a package's generic test on a root model": {
			"dbt_packages/pk/dbt_project.yml": pk,
			"dbt_packages/pk/macros/t.sql":    "{% test pk_fr(model, column_name) %}select * from {{ model }} where {{ flags.FULL_REFRESH }}{% endtest %}\n",
			"models/a.sql":                    "select 1 as id\n",
			"models/_t.yml":                   "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [pk.pk_fr]\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"mart.yml": "name: p\n"}
			for k, v := range extra {
				files[k] = v
			}
			review46Toggle(t, files)
		})
	}
}

func TestReview46SequencesYAMLTests(t *testing.T) {
	base := map[string]string{
		"mart.yml":      "name: p\n",
		"models/a.sql":  "select 1 as id, 0 as x\n",
		"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
	}
	cases := map[string][]review46Step{
		"a YAML edit adds a test whose argument reads it, then the toggle": {
			{files: map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - accepted_values:\n              values: [\"{{ 1 if flags.FULL_REFRESH else 0 }}\"]\n"}},
			{fr: true}, {fr: false}},
		"a YAML edit adds a test whose argument calls a macro that reads it, then the toggle": {
			{files: map[string]string{"macros/v.sql": "{% macro vals() %}{{ return([1] if flags.FULL_REFRESH else [0]) }}{% endmacro %}\n"}},
			{files: map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - accepted_values:\n              values: \"{{ vals() }}\"\n"}},
			{fr: true}, {fr: false}},
		"a YAML edit adds a test with the toggle": {
			{files: map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - accepted_values:\n              values: [\"{{ 1 if flags.FULL_REFRESH else 0 }}\"]\n"}, fr: true},
			{fr: false}},
		"a column name that renders it": {
			{files: map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: \"{{ 'id' if flags.FULL_REFRESH else 'x' }}\"\n        data_tests: [not_null]\n"}},
			{fr: true}, {fr: false}},
		"a model-level test's column_name expression": {
			{files: map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    data_tests:\n      - unique:\n          column_name: \"{{ 'id' if flags.FULL_REFRESH else 'x' }}\"\n"}},
			{fr: true}, {fr: false}},
		"a test macro edited to read it via a helper, with the toggle": {
			{files: map[string]string{
				"macros/t.sql":  "{% test ok(model, column_name) %}select * from {{ model }} where {{ helper() }}{% endtest %}\n{% macro helper() %}false{% endmacro %}\n",
				"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [ok]\n"}},
			{files: map[string]string{"macros/t.sql": "{% test ok(model, column_name) %}select * from {{ model }} where {{ helper() }}{% endtest %}\n{% macro helper() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n"}, fr: true},
			{fr: false}},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) { review46Steps(t, base, steps) })
	}
}

// Found by review 46 (--debug), fixed in b70617b: --full-refresh is no
// longer in what the snapshot's key must match (the patch compares it as
// of the snapshot's option and renders the readers again), but whyKey
// named it first: a compile whose --full-refresh and --empty both
// changed, or whose --full-refresh changed with the project file,
// compiled whole for the other change and said "--full-refresh changed
// (false, then true)", which alone would have been patched.
func TestReview46WhyKeyNamesTheCauseNotFullRefresh(t *testing.T) {
	opt := frProject(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
	})
	o := opt
	o.FullRefresh, o.Empty = true, true
	forgetReads()
	p, why := CompileByPatch(o)
	require.Nil(t, p)
	require.Equal(t, "--empty changed (false, then true)", why, "the reason a --full-refresh --empty compile after a plain one is whole")
}

func TestReview46WhyKeyNamesTheProjectFileNotFullRefresh(t *testing.T) {
	opt := frProject(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
	})
	writeProjectFile(t, opt.ProjectDir, "mart.yml", "name: p\nmodel-paths: [\"models\", \"more\"]\n")
	o := opt
	o.FullRefresh = true
	forgetReads()
	p, why := CompileByPatch(o)
	t.Logf("why: %q", why)
	require.Nil(t, p)
	require.NotContains(t, why, "--full-refresh changed", "the project file changed, not only --full-refresh")
}

// What the patch relies on: no context outside a node's render has flags
// or should_full_refresh (naming macros, the project file's and YAML's
// templates): such a template is an error, with the option or without.
func TestReview46FlagsUndefinedOutsideRenders(t *testing.T) {
	ymlCfg := func(cfg string) map[string]string {
		return map[string]string{"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n" + cfg}
	}
	cases := map[string]map[string]string{
		"generate_schema_name": {
			"macros/g.sql": "{% macro generate_schema_name(custom_schema_name, node) %}{{ 'fr' if flags.FULL_REFRESH else 'inc' }}{% endmacro %}\n",
			"models/r.sql": "select 1 as f\n"},
		"generate_alias_name should_full_refresh": {
			"macros/g.sql": "{% macro generate_alias_name(custom_alias_name, node) %}{{ node.name ~ ('_fr' if should_full_refresh() else '') }}{% endmacro %}\n",
			"models/r.sql": "select 1 as f\n"},
		"project file config renders flags": {
			"mart.yml":     "name: p\nmodels:\n  p:\n    +tags: [\"{{ 'fr' if flags.FULL_REFRESH else 'inc' }}\"]\n",
			"models/r.sql": "select 1 as f\n"},
		"yaml config renders flags": {
			"models/_c.yml": "version: 2\nmodels:\n  - name: a\n    config:\n      tags: [\"{{ 'fr' if flags.FULL_REFRESH else 'inc' }}\"]\n"},
		"source with loaded_at_field": {
			"models/_s.yml": "version: 2\nsources:\n  - name: s\n    loaded_at_field: \"{{ 'a' if flags.FULL_REFRESH else 'b' }}\"\n    tables:\n      - name: t\n",
			"models/r.sql":  "select * from {{ source('s', 't') }}\n"},
		"enabled":  ymlCfg("                enabled: \"{{ flags.FULL_REFRESH }}\"\n"),
		"severity": ymlCfg("                severity: \"{{ 'warn' if flags.FULL_REFRESH else 'error' }}\"\n"),
		"alias":    ymlCfg("                alias: \"{{ 'x' if flags.FULL_REFRESH else 'y' }}\"\n"),
		"project file test config": {"mart.yml": "name: p\ndata_tests:\n  +where: \"{{ 'id > 0' if flags.FULL_REFRESH else 'id > 1' }}\"\n",
			"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("MART_PROFILES_DIR", "")
			files := map[string]string{"mart.yml": "name: p\n", "models/a.sql": "select 1 as id\n"}
			for k, v := range extra {
				files[k] = v
			}
			dir := writeProject(t, files)
			for _, fr := range []bool{false, true} {
				res, diags := Compile(Options{ProjectDir: dir, InvocationID: "inv", FullRefresh: fr})
				require.Nil(t, res, "fr=%v", fr)
				require.Contains(t, fmt.Sprint(diags), "is undefined", "fr=%v", fr)
			}
		})
	}
}

func TestReview46SequencesRemovals(t *testing.T) {
	base := map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
		"macros/m.sql": "{% macro mark() %}{{ 1 if flags.FULL_REFRESH else 0 }}{% endmacro %}\n",
		"models/r.sql": "select {{ mark() }} as f from {{ ref('a') }}\n",
		"models/s.sql": "select {{ flags.FULL_REFRESH }} as f from {{ ref('a') }}\n",
		"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect {{ flags.FULL_REFRESH }} as f\n",
		"models/u.sql": "select * from {{ ref('e') }}\n",
	}
	cases := map[string][]review46Step{
		"a reader removed with the toggle": {
			{files: map[string]string{"models/r.sql": ""}, fr: true},
			{fr: false}},
		"a reader renamed with the toggle": {
			{files: map[string]string{"models/r.sql": "", "models/r2.sql": "select {{ mark() }} as f from {{ ref('a') }}\n"}, fr: true},
			{fr: false}},
		"the macro removed and its reader edited, with the toggle": {
			{files: map[string]string{"macros/m.sql": "", "models/r.sql": "select 0 as f\n"}, fr: true},
			{fr: false}},
		"a reader made disabled by the option, with the toggle": {
			{files: map[string]string{"models/s.sql": "{{ config(enabled=not flags.FULL_REFRESH) }}\nselect 1 as f\n"}, fr: true},
			{fr: false}, {fr: true}},
		"an ephemeral reader's user removed, with the toggle": {
			{files: map[string]string{"models/u.sql": ""}, fr: true},
			{fr: false}},
		"an ephemeral reader made a table, with the toggle": {
			{files: map[string]string{"models/e.sql": "{{ config(materialized='table') }}\nselect {{ flags.FULL_REFRESH }} as f\n"}, fr: true},
			{fr: false}},
		"a model added before the readers (indexes move), with the toggle": {
			{files: map[string]string{"models/0first.sql": "select 1 as z\n", "models/aa.sql": "select 2 as z\n"}, fr: true},
			{fr: false},
			{files: map[string]string{"models/0first.sql": ""}, fr: true},
			{fr: false}},
		"a description edit of a reader, then toggles": {
			{files: map[string]string{"models/_d.yml": "version: 2\nmodels:\n  - name: s\n    description: one\n"}},
			{files: map[string]string{"models/_d.yml": "version: 2\nmodels:\n  - name: s\n    description: two\n"}},
			{fr: true}, {fr: false}},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) { review46Steps(t, base, steps) })
	}
}

// --vars and env vars changed with the option, in one compile.
func TestReview46VarsEnvAndTheOption(t *testing.T) {
	t.Setenv("R46_E", "one")
	opt := frProject(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
		"models/v.sql": "select '{{ var('x', 'dx') }}' as x\n",
		"models/w.sql": "select '{{ env_var('R46_E') }}' as e\n",
		"models/b.sql": "select '{{ var('x', 'dx') }}{{ env_var('R46_E') }}{{ flags.FULL_REFRESH }}' as b\n",
		"macros/m.sql": "{% macro m() %}{{ var('y', 'dy') }}{{ should_full_refresh() }}{% endmacro %}\n",
		"models/c.sql": "select '{{ m() }}' as c\n",
	})
	steps := []struct {
		vars map[string]any
		env  string
		fr   bool
	}{
		{map[string]any{"x": 1}, "one", true},
		{map[string]any{"x": 2}, "two", false},
		{map[string]any{"x": 2, "y": 3}, "two", true},
		{nil, "three", false},
		{nil, "three", true},
	}
	for i, s := range steps {
		t.Setenv("R46_E", s.env)
		o := opt
		o.Vars = s.vars
		fullRefreshAsCold(t, o, s.fr, fmt.Sprint("step ", i))
	}
}

func TestReview46ProbesEnabledByTheOption(t *testing.T) {
	cases := map[string]map[string]string{
		"singular test enabled by it":  {"tests/t.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect * from {{ ref('a') }} where id < 0\n"},
		"singular test disabled by it": {"tests/t.sql": "{{ config(enabled=not flags.FULL_REFRESH) }}\nselect * from {{ ref('a') }} where id < 0\n"},
		"analysis enabled by it":       {"analyses/an.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect * from {{ ref('a') }}\n"},
		"snapshot enabled by it":       {"snapshots/s.sql": "{% snapshot s %}\n{{ config(enabled=flags.FULL_REFRESH, unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}\n"},
		"snapshot disabled by it":      {"snapshots/s.sql": "{% snapshot s %}\n{{ config(enabled=not flags.FULL_REFRESH, unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}\n"},
		"a model with docs in yaml enabled by it": {
			"models/r.sql":  "{{ config(enabled=flags.FULL_REFRESH) }}\nselect id from {{ ref('a') }}\n",
			"models/_d.yml": "version: 2\nmodels:\n  - name: r\n    description: '{{ doc(\"dd\") }}'\n    columns:\n      - name: id\n        description: the id\n",
			"models/d.md":   "{% docs dd %}the r{% enddocs %}\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"mart.yml": "name: p\n", "models/a.sql": "select 1 as id\n"}
			for k, v := range extra {
				files[k] = v
			}
			review46Toggle(t, files)
		})
	}
}

func TestReview46ProbesMacroForms(t *testing.T) {
	cases := map[string]map[string]string{
		"a macro defined in a macro": {
			"macros/m.sql": "{% macro outer() %}\n{% macro inner() %}x{% endmacro %}\n{{ inner() }}{{ flags.FULL_REFRESH }}\n{% endmacro %}\n",
			"models/r.sql": "select '{{ outer() }}' as f\n"},
		"a materialization inside a macro's lines": {
			"macros/m.sql": "{% macro outer() %}\n{{ helper() }}{% materialization mymat, default %}{% endmaterialization %}\n{{ flags.FULL_REFRESH }}\n{% endmacro %}\n{% macro helper() %}h{% endmacro %}\n",
			"models/r.sql": "select '{{ outer() }}' as f\n"},
		"a macro set to a variable and called": {
			"macros/n.sql": "{% macro fr() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n",
			"models/r.sql": "{% set f = fr %}select '{{ f() }}' as f\n"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			files["mart.yml"] = "name: p\n"
			review46Toggle(t, files)
		})
	}
}

// A random walk of edits and toggles over a project with readers of
// every kind a patch renders; each step must equal a cold compile.
func TestReview46RandomWalk(t *testing.T) {
	base := map[string]string{
		"mart.yml":        "name: p\n",
		"macros/m.sql":    "{% macro mark() %}{{ 'full' if flags.FULL_REFRESH else 'incr' }}{% endmacro %}\n{% macro plain() %}p{% endmacro %}\n",
		"models/a.sql":    "select 1 as id\n",
		"models/r.sql":    "select '{{ mark() }}' as m, id from {{ ref('a') }}\n",
		"models/e.sql":    "{{ config(materialized='ephemeral') }}\nselect {{ flags.FULL_REFRESH }} as f\n",
		"models/u.sql":    "select * from {{ ref('e') }}\n",
		"models/off.sql":  "{{ config(enabled=flags.FULL_REFRESH, tags=['fr']) }}\nselect 1 as x\n",
		"models/p.sql":    "select '{{ plain() }}' as p from {{ ref('r') }}\n",
		"tests/t.sql":     "select * from {{ ref('r') }} where m = '{{ mark() }}' and false\n",
		"analyses/an.sql": "select '{{ mark() }}' as m\n",
		"snapshots/s.sql": "{% snapshot s %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\nselect id, '{{ mark() }}' as m from {{ ref('a') }}\n{% endsnapshot %}\n",
		"models/_p.yml":   "version: 2\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
		"models/_unit.yml": "version: 2\nunit_tests:\n  - name: ut\n    model: r\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1}\n" +
			"    expect:\n      rows:\n          - {m: incr, id: 1}\n",
	}
	edits := []map[string]string{
		{"macros/m.sql": "{% macro mark() %}{{ 'FULL' if should_full_refresh() else 'INCR' }}{% endmacro %}\n{% macro plain() %}p{% endmacro %}\n"},
		{"macros/m.sql": "{% macro mark() %}{{ 'full' if flags.FULL_REFRESH else 'incr' }}{% endmacro %}\n{% macro plain() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n"},
		{"macros/m.sql": base["macros/m.sql"]},
		{"models/a.sql": "select 2 as id\n"},
		{"models/a.sql": "select {{ 1 if flags.FULL_REFRESH else 3 }} as id\n"},
		{"models/a.sql": base["models/a.sql"]},
		{"models/n.sql": "select {{ flags.FULL_REFRESH }} as n\n"},
		{"models/n.sql": ""},
		{"models/u.sql": "select f from {{ ref('e') }} where true\n"},
		{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect {{ flags.FULL_REFRESH }} as f, 2 as g\n"},
		{"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    description: the a, edited\n    columns:\n      - name: id\n        data_tests: [not_null]\n"},
		{"models/off.sql": "{{ config(enabled=not flags.FULL_REFRESH) }}\nselect 2 as x\n"},
		{"models/off.sql": base["models/off.sql"]},
		{"tests/t.sql": "select * from {{ ref('r') }} where false\n"},
		{"tests/t.sql": base["tests/t.sql"]},
	}
	whole := 0
	defer func() { t.Logf("%d of 75 steps compiled whole", whole) }()
	for seed := int64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewSource(seed))
		opt := frProject(t, base)
		fr := false
		for i := 0; i < 25; i++ {
			did := ""
			if rng.Intn(2) == 0 {
				fr = !fr
				did = fmt.Sprintf("--full-refresh=%v", fr)
			}
			if rng.Intn(3) != 0 {
				k := rng.Intn(len(edits))
				for rel, text := range edits[k] {
					p := filepath.Join(opt.ProjectDir, rel)
					if text == "" {
						_ = os.Remove(p)
					} else {
						writeProjectFile(t, opt.ProjectDir, rel, text)
					}
				}
				did += fmt.Sprintf(" edit %d", k)
			}
			if !requireFullRefreshAsCold(t, opt, fr, fmt.Sprintf("seed %d step %d (%s)", seed, i, did)) {
				whole++
			}
		}
	}
}
