package compiler

import (
	"os"
	"testing"
)

// Review 45b: env var changes patched (cc8d114).

func TestReview45bEphemeral(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_E": "1", "R_M": "1"}, files: map[string]string{
			"mart.yml":       "name: p\n",
			"macros/m.sql":   "{% macro stamp() %}'{{ env_var(\"R_M\", \"m\") }}'{% endmacro %}\n",
			"models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect '{{ env_var(\"R_E\", \"e\") }}' as x, {{ stamp() }} as y\n",
			"models/x.sql":   "select * from {{ ref('eph') }}\n",
			"models/z.sql":   "select * from {{ ref('x') }}\n",
		}},
		{name: "ephemeral's env", env: map[string]string{"R_E": "2"}, any: true},
		{name: "ephemeral's macro env", env: map[string]string{"R_M": "2"}, any: true},
	})
}

func TestReview45bConfigRelation(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_S": "s1", "R_A": "a1", "R_MAT": "table"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "{{ config(schema=env_var('R_S', 'x')) }}\nselect 1 as id\n",
			"models/b.sql": "select * from {{ ref('a') }}\n",
			"models/c.sql": "{{ config(alias=env_var('R_A', 'x')) }}\nselect 1 as id\n",
			"models/d.sql": "select * from {{ ref('c') }}\n",
			"models/e.sql": "{{ config(materialized=env_var('R_MAT', 'table')) }}\nselect 1 as id\n",
			"models/f.sql": "select * from {{ ref('e') }}\n",
		}},
		{name: "schema", env: map[string]string{"R_S": "s2"}, any: true},
		{name: "alias", env: map[string]string{"R_A": "a2"}, any: true},
		{name: "to ephemeral", env: map[string]string{"R_MAT": "ephemeral"}, any: true},
		{name: "back to table", env: map[string]string{"R_MAT": "view"}, any: true},
	})
}

func TestReview45bEnabledByEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_EN": "false"}, files: map[string]string{
			"mart.yml":         "name: p\n",
			"models/on/m.sql":  "{{ config(enabled=env_var('R_EN', 'false') == 'true') }}\nselect 'on' as v\n",
			"models/off/m.sql": "{{ config(enabled=env_var('R_EN', 'false') != 'true') }}\nselect 'off' as v\n",
			"models/user.sql":  "select * from {{ ref('m') }}\n",
			"models/solo.sql":  "{{ config(enabled=env_var('R_EN', 'false') == 'true') }}\nselect 1 as id\n",
		}},
		{name: "enable", env: map[string]string{"R_EN": "true"}, any: true},
		{name: "disable", env: map[string]string{"R_EN": "false"}, any: true},
	})
}

func TestReview45bSnapshotsAnalysesTests(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_SN": "1", "R_AN": "1", "R_T": "1", "R_SN2": "1"}, files: map[string]string{
			"mart.yml":         "name: p\n",
			"models/a.sql":     "select 1 as id, current_timestamp as u\n",
			"snapshots/s.sql":  "{% snapshot s1 %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='u', target_schema='snap') }}\nselect *, '{{ env_var(\"R_SN\", \"s\") }}' as e from {{ ref('a') }}\n{% endsnapshot %}\n{% snapshot s2 %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='u', target_schema='snap_' ~ env_var('R_SN2', 'x')) }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}\n",
			"models/after.sql": "select * from {{ ref('s2') }}\n",
			"analyses/an.sql":  "select '{{ env_var(\"R_AN\", \"a\") }}' as x from {{ ref('a') }}\n",
			"tests/t.sql":      "select * from {{ ref('a') }} where id = {{ env_var('R_T', '0') }}\n",
		}},
		{name: "snapshot block", env: map[string]string{"R_SN": "2"}, any: true},
		{name: "snapshot schema", env: map[string]string{"R_SN2": "2"}, any: true},
		{name: "analysis", env: map[string]string{"R_AN": "2"}, any: true},
		{name: "singular test", env: map[string]string{"R_T": "2"}, any: true},
	})
}

func TestReview45bPackageModel(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_P": "1", "R_PM": "1"}, files: map[string]string{
			"mart.yml":                        "name: p\n",
			"dbt_packages/pk/mart.yml":        "name: pk\n",
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: '1.0'\nconfig-version: 2\n",
			"dbt_packages/pk/models/pm.sql":   "select '{{ env_var(\"R_P\", \"p\") }}' as x, {{ pk_mac() }} as y\n",
			"dbt_packages/pk/macros/mm.sql":   "{% macro pk_mac() %}'{{ env_var(\"R_PM\") }}'{% endmacro %}\n",
			"models/a.sql":                    "select * from {{ ref('pm') }}\n",
		}},
		{name: "package model env", env: map[string]string{"R_P": "2"}, any: true},
		{name: "package macro env", env: map[string]string{"R_PM": "2"}, any: true},
	})
}

func TestReview45bVolatileEdits(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_V": "1", "R_W": "1", "R_B": "1", "R_C": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"macros/m.sql": "{% macro pick() %}{% if env_var('R_B', '1') == '1' %}{{ one() }}{% else %}{{ two() }}{% endif %}{% endmacro %}\n{% macro one() %}1{% endmacro %}\n{% macro two() %}'{{ env_var(\"R_C\", \"c\") }}'{% endmacro %}\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select {{ pick() }} as v\n",
		}},
		{name: "a computed name", files: map[string]string{"models/a.sql": "select '{{ env_var('R_' ~ 'V', 'v') }}' as id\n"}, any: true},
		{name: "its env", env: map[string]string{"R_V": "2"}, any: true},
		{name: "a set name", files: map[string]string{"models/a.sql": "{% set n = 'R_W' %}select '{{ env_var(n, 'v') }}' as id\n"}, any: true},
		{name: "its env W", env: map[string]string{"R_W": "2"}, any: true},
		{name: "branch", env: map[string]string{"R_B": "2"}, any: true},
		{name: "branch's macro env", env: map[string]string{"R_C": "2"}, any: true},
		{name: "both", env: map[string]string{"R_B": "1", "R_C": "3"}, any: true},
		{name: "C again", env: map[string]string{"R_C": "4"}, any: true},
		{name: "back", env: map[string]string{"R_B": "2"}, any: true},
	})
}

func TestReview45bAddedThenChanged(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_N": "1", "R_NM": "1", "R_NS": "s"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"macros/m.sql": "{% macro nm() %}'{{ env_var(\"R_NM\", \"m\") }}'{% endmacro %}\n",
			"models/a.sql": "select 1 as id\n",
		}},
		{name: "added reads env and macro env", files: map[string]string{"models/n.sql": "select '{{ env_var(\"R_N\") }}' as x, {{ nm() }} as y\n", "models/n2.sql": "select * from {{ ref('n') }}\n"}, any: true},
		{name: "its env", env: map[string]string{"R_N": "2"}, any: true},
		{name: "its macro's env", env: map[string]string{"R_NM": "2"}, any: true},
		{name: "added with env changed in the same step", env: map[string]string{"R_N": "3", "R_NS": "t"}, files: map[string]string{"models/o.sql": "select '{{ env_var(\"R_NS\") }}' as x, '{{ env_var(\"R_N\") }}' as y\n"}, any: true},
		{name: "R_NS", env: map[string]string{"R_NS": "u"}, any: true},
		{name: "edit a to read R_N while it changes", env: map[string]string{"R_N": "4"}, files: map[string]string{"models/a.sql": "select 1 as id, '{{ env_var(\"R_N\") }}' as n\n"}, any: true},
		{name: "R_N again", env: map[string]string{"R_N": "5"}, any: true},
		{name: "remove the readers", remove: []string{"models/o.sql", "models/n2.sql", "models/n.sql"}, files: map[string]string{"models/a.sql": "select 1 as id\n"}, any: true},
		{name: "R_N after", env: map[string]string{"R_N": "6"}, any: true},
		{name: "R_NS after", env: map[string]string{"R_NS": "v"}, any: true},
		{name: "R_NM after", env: map[string]string{"R_NM": "v"}, any: true},
	})
}

func TestReview45bUnsetDefaults(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "select '{{ env_var(\"R_UNSET_A\", \"dflt\") }}' as x\n",
			"models/b.sql": "select * from {{ ref('a') }}\n",
		}},
		{name: "set", env: map[string]string{"R_UNSET_A": "v"}, any: true},
		{name: "set to the default", env: map[string]string{"R_UNSET_A": "dflt"}, any: true},
		{name: "empty", env: map[string]string{"R_UNSET_A": ""}, any: true},
	})
}

func TestReview45bTwoOneBlocked(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_OK": "1", "R_BL": "1"}, files: map[string]string{
			"mart.yml":     "name: p\nmodels:\n  p:\n    +meta: {e: \"{{ env_var('R_BL', 'c') }}\"}\n",
			"models/a.sql": "select '{{ env_var(\"R_OK\") }}' as x\n",
			"models/b.sql": "select '{{ env_var(\"R_BL\") }}' as x\n",
		}},
		{name: "ok alone", env: map[string]string{"R_OK": "2"}, patched: true},
		{name: "both", env: map[string]string{"R_OK": "3", "R_BL": "2"}, patched: false},
		{name: "ok alone again", env: map[string]string{"R_OK": "4"}, patched: true},
	})
}

func TestReview45bDocsAndYAML(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_DOC": "1", "R_DESC": "1", "R_SRC": "1"}, files: map[string]string{
			"mart.yml":       "name: p\n",
			"models/docs.md": "{% docs d %}doc {{ env_var('R_DOC', 'x') }}{% enddocs %}\n",
			"models/a.sql":   "select '{{ env_var(\"R_DOC\", \"x\") }}' as x, '{{ env_var(\"R_DESC\", \"x\") }}' as y, '{{ env_var(\"R_SRC\", \"x\") }}' as z\n",
			"models/b.sql":   "select * from {{ source('s', 't') }}\n",
			"models/_p.yml":  "version: 2\nmodels:\n  - name: a\n    description: '{{ doc(\"d\") }}'\n    columns:\n      - name: y\n        description: \"d {{ env_var('R_DESC', 'x') }}\"\nsources:\n  - name: s\n    schema: \"{{ env_var('R_SRC', 'x') }}\"\n    tables:\n      - name: t\n",
		}},
		{name: "doc block env", env: map[string]string{"R_DOC": "2"}, any: true},
		{name: "description env", env: map[string]string{"R_DESC": "2"}, any: true},
		{name: "source schema env", env: map[string]string{"R_SRC": "2"}, any: true},
	})
}

func TestReview45bSoloEnabled(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_EN2": "false"}, files: map[string]string{
			"mart.yml":        "name: p\n",
			"models/solo.sql": "{{ config(enabled=env_var('R_EN2', 'false') == 'true') }}\nselect 1 as id\n",
			"models/a.sql":    "select 1 as id\n",
		}},
		{name: "enable", env: map[string]string{"R_EN2": "true"}, any: true},
		{name: "disable", env: map[string]string{"R_EN2": "false"}, any: true},
		{name: "enable again", env: map[string]string{"R_EN2": "true"}, any: true},
	})
}

func TestReview45bNaming(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_GS": "1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"macros/gs.sql": "{% macro generate_schema_name(custom, node) %}{% if custom %}{{ custom }}_{{ env_var('R_GS', 'g') }}{% else %}{{ target.schema }}{% endif %}{% endmacro %}\n",
			"models/a.sql":  "select 1 as id\n",
		}},
		{name: "add a model with a custom schema", files: map[string]string{"models/c.sql": "{{ config(schema='cs') }}\nselect 1 as id\n", "models/d.sql": "select * from {{ ref('c') }}\n"}, any: true},
		{name: "naming env", env: map[string]string{"R_GS": "2"}, any: true},
	})
}

func TestReview45bComputedNameBesideLiteral(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_X": "1", "R_Y": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select '{{ env_var(\"R_X\") }}' as x, '{{ env_var(\"R_Y\") }}' as y\n",
			"models/c.sql": "{% set n = 'R_Y' %}select '{{ env_var(n) }}' as y\n",
		}},
		{name: "R_Y cold-made", env: map[string]string{"R_Y": "2"}, any: true},
		{name: "edit a to a set name", files: map[string]string{"models/a.sql": "{% set n = 'R_X' %}select '{{ env_var(n) }}' as id\n"}, any: true},
		{name: "R_X", env: map[string]string{"R_X": "2"}, any: true},
	})
}

func TestReview45bYAMLEditReadsEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_Q": "1", "R_QM": "1", "R_QS": "1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/a.sql":  "select 1 as id\n",
			"models/b.sql":  "select 2 as id\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    description: plain\n",
		}},
		{name: "description reads env", files: map[string]string{"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    description: \"d {{ env_var('R_Q', 'x') }}\"\n"}, any: true},
		{name: "R_Q", env: map[string]string{"R_Q": "2"}, any: true},
		{name: "meta reads env", files: map[string]string{"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    config:\n      meta: {e: \"{{ env_var('R_QM', 'x') }}\"}\n"}, any: true},
		{name: "R_QM", env: map[string]string{"R_QM": "2"}, any: true},
		{name: "schema reads env", files: map[string]string{"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    config:\n      schema: \"{{ env_var('R_QS', 'x') }}\"\n"}, any: true},
		{name: "R_QS", env: map[string]string{"R_QS": "2"}, any: true},
	})
}

func TestReview45bTestMacroEdit(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_TM": "1", "R_TM2": "1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"macros/t.sql":  "{% test t1(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}\n",
			"macros/h.sql":  "{% macro helper() %}1{% endmacro %}\n",
			"models/a.sql":  "select {{ helper() }} as id\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [t1]\n",
		}},
		{name: "the test macro reads an env var", files: map[string]string{"macros/t.sql": "{% test t1(model, column_name) %}select * from {{ model }} where {{ column_name }} = '{{ env_var(\"R_TM\", \"x\") }}'{% endtest %}\n"}, any: true},
		{name: "R_TM", env: map[string]string{"R_TM": "2"}, any: true},
		{name: "the test macro calls helper", files: map[string]string{"macros/t.sql": "{% test t1(model, column_name) %}select * from {{ model }} where {{ column_name }} = {{ helper() }}{% endtest %}\n"}, any: true},
		{name: "helper reads an env var", files: map[string]string{"macros/h.sql": "{% macro helper() %}{{ env_var('R_TM2', '1') }}{% endmacro %}\n"}, any: true},
		{name: "R_TM2", env: map[string]string{"R_TM2": "2"}, any: true},
	})
}

func TestReview45bEphemeralTestsAndUnitTests(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_EP": "1", "R_UT": "1"}, files: map[string]string{
			"mart.yml":       "name: p\n",
			"models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect 1 as id, '{{ env_var(\"R_EP\", \"e\") }}' as x\n",
			"models/u.sql":   "select id, '{{ env_var(\"R_UT\", \"u\") }}' as y from {{ ref('eph') }}\n",
			"models/_p.yml":  "version: 2\nmodels:\n  - name: eph\n    columns:\n      - name: id\n        data_tests: [not_null]\n  - name: u\n    columns:\n      - name: id\n        data_tests: [unique]\nunit_tests:\n  - name: ut1\n    model: u\n    given:\n      - input: ref('eph')\n        rows:\n          - {id: 1, x: a}\n    expect:\n      rows:\n        - {id: 1, y: u}\n",
			"tests/s.sql":    "select * from {{ ref('eph') }} where x = 'zz'\n",
		}},
		{name: "R_EP", env: map[string]string{"R_EP": "2"}, any: true},
		{name: "R_UT", env: map[string]string{"R_UT": "2"}, any: true},
		{name: "both", env: map[string]string{"R_EP": "3", "R_UT": "3"}, any: true},
	})
}

func TestReview45bDisabledVariant(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_DM": "1", "R_DV": "1"}, files: map[string]string{
			"mart.yml":          "name: p\n",
			"models/prod/m.sql": "{{ config(enabled=target.name == 'prod', alias='m_' ~ env_var('R_DM', 'x'), meta={'e': env_var('R_DM', 'x')}) }}\nselect 'prod' as v\n",
			"models/dev/m.sql":  "{{ config(enabled=target.name != 'prod', meta={'e': env_var('R_DV', 'x')}) }}\nselect '{{ env_var(\"R_DV\", \"x\") }}' as v\n",
			"models/user.sql":   "select * from {{ ref('m') }}\n",
			"models/off.sql":    "{{ config(enabled=false, tags=[env_var('R_DM', 'x')]) }}\nselect 1 as id\n",
		}},
		{name: "disabled variant's env", env: map[string]string{"R_DM": "2"}, any: true},
		{name: "enabled variant's env", env: map[string]string{"R_DV": "2"}, any: true},
		{name: "edit the disabled one", files: map[string]string{"models/off.sql": "{{ config(enabled=false, tags=[env_var('R_DV', 'x')]) }}\nselect 1 as id\n"}, any: true},
		{name: "R_DV again", env: map[string]string{"R_DV": "3"}, any: true},
		{name: "R_DM again", env: map[string]string{"R_DM": "3"}, any: true},
	})
}

// An env var whose name looks secret (IsSecretKey: "token", "password",
// "secret"...) but is not DBT_ENV_SECRET_ (so a render may read it):
// envFingerprint gives "<secret>" for any value, so its change is never
// seen.
func TestReview45bSecretLookingEnvVarChange(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_TOKEN_NAME": "one"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "select '{{ env_var(\"R_TOKEN_NAME\", \"x\") }}' as t\n",
		}},
		{name: "change it", env: map[string]string{"R_TOKEN_NAME": "two"}, any: true},
	})
}

func TestReview45bVolatileMacroBesideLiteral(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_Z": "1", "R_Z2": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"macros/g.sql": "{% macro getenv(n) %}'{{ env_var(n, 'd') }}'{% endmacro %}\n",
			"models/a.sql": "select {{ getenv('R_Z') }} as z\n",
			"models/b.sql": "select '{{ env_var(\"R_Z\") }}' as z\n",
			"models/c.sql": "select 1 as id\n",
		}},
		{name: "R_Z", env: map[string]string{"R_Z": "2"}, any: true},
		{name: "c calls it for R_Z2", files: map[string]string{"models/c.sql": "select {{ getenv('R_Z2') }} as z\n", "models/d.sql": "select '{{ env_var(\"R_Z2\") }}' as z\n"}, any: true},
		{name: "R_Z2", env: map[string]string{"R_Z2": "2"}, any: true},
		{name: "R_Z again", env: map[string]string{"R_Z": "3"}, any: true},
	})
}

func TestReview45bEnvWithEditsInOneStep(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_K": "1", "R_L": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"macros/k.sql": "{% macro k() %}'{{ env_var(\"R_L\", \"l\") }}'{% endmacro %}\n",
			"models/a.sql": "select '{{ env_var(\"R_K\") }}' as k\n",
			"models/b.sql": "select * from {{ ref('a') }}\n",
			"models/c.sql": "select '{{ env_var(\"R_K\") }}' as k, {{ k() }} as l\n",
			"models/z.sql": "select '{{ env_var(\"R_K\") }}' as k\n",
		}},
		{name: "remove a reader while it changes", env: map[string]string{"R_K": "2"}, remove: []string{"models/a.sql", "models/b.sql"}, any: true},
		{name: "rename c while R_L changes", env: map[string]string{"R_L": "2"}, remove: []string{"models/c.sql"}, files: map[string]string{"models/c2.sql": "select '{{ env_var(\"R_K\") }}' as k, {{ k() }} as l\n"}, any: true},
		{name: "R_K after rename", env: map[string]string{"R_K": "3"}, any: true},
		{name: "edit the macro to read R_K while R_K and R_L change", env: map[string]string{"R_K": "4", "R_L": "4"}, files: map[string]string{"macros/k.sql": "{% macro k() %}'{{ env_var(\"R_K\", \"l\") }}'{% endmacro %}\n"}, any: true},
		{name: "R_L, read by nobody now", env: map[string]string{"R_L": "5"}, any: true},
		{name: "R_K once more", env: map[string]string{"R_K": "5"}, any: true},
		{name: "add a model before z that reads R_L", files: map[string]string{"models/a0.sql": "select '{{ env_var(\"R_L\") }}' as l\n"}, any: true},
		{name: "R_L", env: map[string]string{"R_L": "6"}, any: true},
		{name: "R_K and remove a0", env: map[string]string{"R_K": "7"}, remove: []string{"models/a0.sql"}, any: true},
		{name: "R_K", env: map[string]string{"R_K": "8"}, any: true},
	})
}

func TestReview45bNamingHelperAlsoRendered(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_NS": "1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"macros/gs.sql": "{% macro suffix() %}{{ return(env_var('R_NS', 'g')) }}{% endmacro %}\n{% macro generate_schema_name(custom, node) %}{% if custom %}{{ custom }}_{{ suffix() }}{% else %}{{ target.schema }}{% endif %}{% endmacro %}\n",
			"models/a.sql":  "{{ config(schema='cs') }}\nselect 1 as id\n",
			"models/b.sql":  "select '{{ suffix() }}' as s, * from {{ ref('a') }}\n",
		}},
		{name: "R_NS", env: map[string]string{"R_NS": "2"}, any: true},
	})
}

func TestReview45bProfileEnvAlsoRendered(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_PS": "s1", "R_PT": "4"}, files: map[string]string{
			"mart.yml":     "name: p\nprofile: p\n",
			"profiles.yml": "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n      schema: \"{{ env_var('R_PS') }}\"\n      threads: \"{{ env_var('R_PT') | int }}\"\n",
			"models/a.sql": "select '{{ env_var(\"R_PS\") }}' as s, '{{ env_var(\"R_PT\") }}' as t\n",
			"models/b.sql": "select * from {{ ref('a') }}\n",
		}},
		{name: "R_PS", env: map[string]string{"R_PS": "s2"}, any: true},
		{name: "R_PT", env: map[string]string{"R_PT": "5"}, any: true},
	})
}

func TestReview45bEnvMakesErrorsAndWarnings(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_ERR": "ok", "R_WARN": "n", "R_REF": "a"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "{% if env_var('R_ERR') == 'boom' %}{{ exceptions.raise_compiler_error('boom') }}{% endif %}select 1 as id\n",
			"models/b.sql": "{% if env_var('R_WARN') == 'y' %}{% do exceptions.warn('careful') %}{% endif %}select 1 as id\n",
			"models/c.sql": "select * from {{ ref(env_var('R_REF')) }}\n",
		}},
		{name: "error", env: map[string]string{"R_ERR": "boom"}, coldFails: true},
		{name: "error gone", env: map[string]string{"R_ERR": "ok"}, any: true},
		{name: "warning", env: map[string]string{"R_WARN": "y"}, any: true},
		{name: "warning again", env: map[string]string{"R_WARN": "y", "R_ERR": "fine"}, any: true},
		{name: "warning gone", env: map[string]string{"R_WARN": "n"}, any: true},
		{name: "ref to b", env: map[string]string{"R_REF": "b"}, any: true},
		{name: "ref to nothing", env: map[string]string{"R_REF": "nope"}, coldFails: true},
	})
}

func TestReview45bEnvInConfigValues(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_PH": "1", "R_TAG": "t1", "R_META": "m1", "R_DOCS": "true", "R_GR": "r1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/a.sql":  "{{ config(post_hook=\"select '\" ~ env_var('R_PH') ~ \"'\") }}select 1 as id\n",
			"models/b.sql":  "{{ config(tags=[env_var('R_TAG')]) }}select * from {{ ref('a') }}\n",
			"models/c.sql":  "{{ config(meta={'k': env_var('R_META')}, docs={'show': env_var('R_DOCS') == 'true'}) }}select 1 as id\n",
			"models/d.sql":  "{{ config(grants={'select': [env_var('R_GR')]}) }}select 1 as id\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
		}},
		{name: "hook", env: map[string]string{"R_PH": "2"}, any: true},
		{name: "tag", env: map[string]string{"R_TAG": "t2"}, any: true},
		{name: "meta", env: map[string]string{"R_META": "m2"}, any: true},
		{name: "docs", env: map[string]string{"R_DOCS": "false"}, any: true},
		{name: "grants", env: map[string]string{"R_GR": "r2"}, any: true},
		{name: "all", env: map[string]string{"R_PH": "3", "R_TAG": "t3", "R_META": "m3", "R_DOCS": "true", "R_GR": "r3"}, any: true},
	})
}

func TestReview45bDescriptionEditReadsEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_D1": "1", "R_D2": "1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/a.sql":  "select 1 as id, '{{ env_var(\"R_D2\", \"x\") }}' as d\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    description: \"d {{ env_var('R_D1', 'x') }}\"\n    columns:\n      - name: id\n        description: \"c {{ target.name }}\"\n",
		}},
		{name: "description reads another env var", files: map[string]string{"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    description: \"d {{ env_var('R_D2', 'x') }}\"\n    columns:\n      - name: id\n        description: \"c {{ target.name }}\"\n"}, any: true},
		{name: "R_D2", env: map[string]string{"R_D2": "2"}, any: true},
		{name: "column description reads env", files: map[string]string{"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    description: \"d {{ env_var('R_D2', 'x') }}\"\n    columns:\n      - name: id\n        description: \"c {{ env_var('R_D1', 'x') }}\"\n"}, any: true},
		{name: "R_D1", env: map[string]string{"R_D1": "2"}, any: true},
	})
}

func TestReview45bNewModelWithNewYAMLReadingEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_NY": "1", "R_NY2": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "select 1 as id, '{{ env_var(\"R_NY\", \"x\") }}' as d\n",
		}},
		{name: "new model and its YAML reading env", files: map[string]string{
			"models/n.sql":  "select 2 as id\n",
			"models/_n.yml": "version: 2\nmodels:\n  - name: n\n    description: \"n {{ env_var('R_NY', 'x') }}\"\n    config:\n      meta: {m: \"{{ env_var('R_NY2', 'y') }}\"}\n",
		}, any: true},
		{name: "R_NY", env: map[string]string{"R_NY": "2"}, any: true},
		{name: "R_NY2", env: map[string]string{"R_NY2": "2"}, any: true},
	})
}

func TestReview45bEnvDisablesARefdModel(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_ON": "yes", "R_PK": "yes"}, files: map[string]string{
			"mart.yml":                       "name: p\n",
			"dbt_packages/pk/mart.yml":       "name: pk\n",
			"dbt_packages/pk/models/pm.sql":  "{{ config(enabled=env_var('R_PK', 'no') == 'yes') }}\nselect 1 as id\n",
			"dbt_packages/pk/models/pm2.sql": "select 2 as id\n",
			"models/a.sql":                   "{{ config(enabled=env_var('R_ON', 'no') == 'yes') }}\nselect 1 as id\n",
			"models/b.sql":                   "select * from {{ ref('a') }}\n",
			"models/c.sql":                   "select 3 as id\n",
		}},
		{name: "disable a", env: map[string]string{"R_ON": "no"}, coldFails: true},
		{name: "enable a", env: map[string]string{"R_ON": "yes"}, any: true},
		{name: "disable package model", env: map[string]string{"R_PK": "no"}, any: true},
		{name: "enable package model", env: map[string]string{"R_PK": "yes"}, any: true},
		{name: "b refs the package model", files: map[string]string{"models/b.sql": "select * from {{ ref('pm') }}\n"}, any: true},
		{name: "disable package model again", env: map[string]string{"R_PK": "no"}, coldFails: true},
	})
}

// A whole compile after a refused patch reuses target/partial_parse.gob's
// renders: who reads an env var must still be known for them.
func TestReview45bReadersOfCachedRenders(t *testing.T) {
	runPatchStepsWith(t, []patchStep{
		{name: "project", env: map[string]string{"R_C1": "1", "R_C2": "1", "R_CB": "1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"macros/m.sql":  "{% macro cm() %}'{{ env_var(\"R_C1\", \"m\") }}'{% endmacro %}\n",
			"models/a.sql":  "select {{ cm() }} as x\n",
			"models/b.sql":  "select '{{ env_var(\"R_C2\") }}' as y\n",
			"models/c.sql":  "select 1 as id\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: c\n    description: \"{{ env_var('R_CB', 'x') }}\"\n",
		}},
		{name: "blocked: whole", env: map[string]string{"R_CB": "2"}, patched: false},
		{name: "blocked again: whole", env: map[string]string{"R_CB": "3"}, patched: false},
		{name: "macro's env", env: map[string]string{"R_C1": "2"}, patched: true},
		{name: "blocked: whole 3", env: map[string]string{"R_CB": "4"}, patched: false},
		{name: "text's env", env: map[string]string{"R_C2": "2"}, patched: true},
		{name: "blocked: whole 4", env: map[string]string{"R_CB": "5"}, patched: false},
		{name: "both", env: map[string]string{"R_C1": "3", "R_C2": "3"}, patched: true},
	}, func(i int, opt *Options) {
		if i == 0 {
			opt.PatchForRun = true // a run's first compile writes the render cache
		}
	})
}

func TestReview45bEphemeralReadByEveryKind(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_EK": "1", "R_EK2": "1"}, files: map[string]string{
			"mart.yml":                      "name: p\n",
			"models/eph.sql":                "{{ config(materialized='ephemeral') }}\nselect 1 as id, current_timestamp as u, '{{ env_var(\"R_EK\") }}' as e\n",
			"models/eph2.sql":               "{{ config(materialized='ephemeral') }}\nselect *, '{{ env_var(\"R_EK2\") }}' as e2 from {{ ref('eph') }}\n",
			"models/x.sql":                  "select 1 as id\n",
			"snapshots/s.sql":               "{% snapshot s1 %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='u', target_schema='snap') }}\nselect * from {{ ref('eph2') }}\n{% endsnapshot %}\n",
			"analyses/an.sql":               "select * from {{ ref('eph2') }}\n",
			"tests/t.sql":                   "select * from {{ ref('eph') }} where e = 'zz'\n",
			"models/_p.yml":                 "version: 2\nmodels:\n  - name: x\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('eph2')\n              field: id\n  - name: eph2\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
			"dbt_packages/pk/mart.yml":      "name: pk\n",
			"dbt_packages/pk/models/pm.sql": "select * from {{ ref('p', 'eph2') }}\n",
		}},
		{name: "R_EK", env: map[string]string{"R_EK": "2"}, any: true},
		{name: "R_EK2", env: map[string]string{"R_EK2": "2"}, any: true},
		{name: "both", env: map[string]string{"R_EK": "3", "R_EK2": "3"}, any: true},
	})
}

func TestReview45bDisabledPlacesMove(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_D1": "1", "R_D2": "1", "R_D3": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/b.sql": "{{ config(enabled=false, meta={'e': env_var('R_D1', 'x')}) }}\nselect 1 as id\n",
			"models/d.sql": "{{ config(enabled=false, meta={'e': env_var('R_D2', 'x')}) }}\nselect 1 as id\n",
			"models/f.sql": "select 1 as id\n",
		}},
		{name: "R_D2", env: map[string]string{"R_D2": "2"}, any: true},
		{name: "add a disabled model before them", files: map[string]string{"models/a.sql": "{{ config(enabled=false, meta={'e': env_var('R_D3', 'x')}) }}\nselect 1 as id\n"}, any: true},
		{name: "R_D2 after", env: map[string]string{"R_D2": "3"}, any: true},
		{name: "R_D1 after", env: map[string]string{"R_D1": "3"}, any: true},
		{name: "R_D3", env: map[string]string{"R_D3": "3"}, any: true},
		{name: "remove b", remove: []string{"models/b.sql"}, any: true},
		{name: "R_D2 after removal", env: map[string]string{"R_D2": "4"}, any: true},
		{name: "R_D3 after removal", env: map[string]string{"R_D3": "4"}, any: true},
		{name: "enable d by an edit", files: map[string]string{"models/d.sql": "{{ config(enabled=true, meta={'e': env_var('R_D2', 'x')}) }}\nselect 1 as id\n"}, any: true},
		{name: "R_D2 enabled", env: map[string]string{"R_D2": "5"}, any: true},
		{name: "disable d by an edit", files: map[string]string{"models/d.sql": "{{ config(enabled=false, meta={'e': env_var('R_D2', 'x')}) }}\nselect 1 as id\n"}, any: true},
		{name: "R_D2 disabled", env: map[string]string{"R_D2": "6"}, any: true},
		{name: "add an enabled model before them", files: map[string]string{"models/0.sql": "select '{{ env_var(\"R_D2\") }}' as x\n"}, any: true},
		{name: "R_D2 two readers", env: map[string]string{"R_D2": "7"}, any: true},
		{name: "R_D3 last", env: map[string]string{"R_D3": "7"}, any: true},
	})
}

// An env var unset after it was set (a default given, or not: then the
// cold compile fails), and set again.
func TestReview45bEnvUnset(t *testing.T) {
	steps := []patchStep{
		{name: "project", env: map[string]string{"R_U1": "1", "R_U2": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "select '{{ env_var(\"R_U1\", \"dflt\") }}' as x\n",
			"models/b.sql": "select '{{ env_var(\"R_U2\") }}' as y\n",
		}},
		{name: "unset R_U1 (a default)", any: true},
		{name: "set R_U1 to its default", env: map[string]string{"R_U1": "dflt"}, any: true},
		{name: "unset R_U1 again", any: true},
		{name: "unset R_U2 (no default)", coldFails: true},
		{name: "set R_U2", env: map[string]string{"R_U2": "2"}, any: true},
	}
	unset := map[int]string{1: "R_U1", 3: "R_U1", 4: "R_U2"}
	runPatchStepsWith(t, steps, func(i int, _ *Options) {
		if n, ok := unset[i]; ok {
			os.Unsetenv(n)
		}
	})
}

// Macros reached other than by a plain call of their name: as a value,
// in a call block, through a package namespace, through
// adapter.dispatch.
func TestReview45bMacrosReachedIndirectly(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_I1": "1", "R_I2": "1", "R_I3": "1", "R_I4": "1", "R_I5": "1"}, files: map[string]string{
			"mart.yml": "name: p\n",
			"macros/m.sql": "{% macro cm() %}'{{ env_var(\"R_I1\", \"m\") }}'{% endmacro %}\n" +
				"{% macro wrap() %}select {{ caller() }} as x{% endmacro %}\n" +
				"{% macro cm2() %}'{{ env_var(\"R_I2\", \"m\") }}'{% endmacro %}\n" +
				"{% macro dsp() %}{{ return(adapter.dispatch('dsp')()) }}{% endmacro %}\n" +
				"{% macro default__dsp() %}'{{ env_var(\"R_I4\", \"m\") }}'{% endmacro %}\n" +
				"{% macro pass_along(f) %}{{ f() }}{% endmacro %}\n" +
				"{% macro cm5() %}'{{ env_var(\"R_I5\", \"m\") }}'{% endmacro %}\n",
			"dbt_packages/pk/mart.yml":      "name: pk\n",
			"dbt_packages/pk/macros/pm.sql": "{% macro pcm() %}'{{ env_var(\"R_I3\", \"m\") }}'{% endmacro %}\n",
			"models/a.sql":                  "{% set f = cm %}select {{ f() }} as x\n",
			"models/b.sql":                  "{% call wrap() %}{{ cm2() }}{% endcall %}\n",
			"models/c.sql":                  "select {{ pk.pcm() }} as x\n",
			"models/d.sql":                  "select {{ dsp() }} as x\n",
			"models/e.sql":                  "select {{ pass_along(cm5) }} as x\n",
		}},
		{name: "as a value", env: map[string]string{"R_I1": "2"}, any: true},
		{name: "in a call block", env: map[string]string{"R_I2": "2"}, any: true},
		{name: "through a namespace", env: map[string]string{"R_I3": "2"}, any: true},
		{name: "through dispatch", env: map[string]string{"R_I4": "2"}, any: true},
		{name: "passed to a macro", env: map[string]string{"R_I5": "2"}, any: true},
	})
}

func TestReview45bRefOverrideReadsEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_RO": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"macros/r.sql": "{% macro ref(name) %}{% if env_var('R_RO', '1') == '2' %}{{ return(builtins.ref(name).include(schema=false)) }}{% endif %}{{ return(builtins.ref(name)) }}{% endmacro %}\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select * from {{ ref('a') }}\n",
		}},
		{name: "R_RO", env: map[string]string{"R_RO": "2"}, any: true},
		{name: "R_RO back", env: map[string]string{"R_RO": "1"}, any: true},
	})
}

// FINDING (pre-existing, not introduced by cc8d114: the parent commit's
// binary does the same). A whole compile that reuses the render cache
// (target/partial_parse.gob, written by a run's first compile) for a
// disabled model does not render it, so env_var() records nothing, and a
// disabled model is not among the nodes whose Fingerprint names go into
// the snapshot's Env: the env var its config() reads is not watched. Its
// change is never seen: the patch renders nothing again ("0 templates
// rendered again") and model.p.solo stays in `disabled`, where a cold
// compile with the same env enables it (and so for any change of a
// disabled model's config that an env var drives).
func TestReview45bCachedDisabledModelEnvNotWatched(t *testing.T) {
	steps := []patchStep{
		{name: "project (a run's first compile: writes the render cache)", env: map[string]string{"R_EN3": "no", "R_CB": "1"}, files: map[string]string{
			"mart.yml":        "name: p\n",
			"models/solo.sql": "{{ config(enabled=env_var('R_EN3', 'no') == 'yes') }}\nselect 1 as id\n",
			"models/c.sql":    "select 1 as id\n",
			"models/_p.yml":   "version: 2\nmodels:\n  - name: c\n    description: \"{{ env_var('R_CB', 'x') }}\"\n",
		}},
		{name: "an env var a YAML file reads: whole, renders from the cache", env: map[string]string{"R_CB": "2"}, patched: false},
		{name: "the disabled model's env var: enables it", env: map[string]string{"R_EN3": "yes"}, any: true},
	}
	runPatchStepsWith(t, steps, func(i int, opt *Options) {
		if i == 0 {
			opt.PatchForRun = true
		}
	})
}

// A generic test a patch adds (a new properties file, or one edited)
// whose macro reads an env var.
func TestReview45bAddedGenericTestReadsEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_TX": "1", "R_TY": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"macros/t.sql": "{% test reads_env(model, column_name) %}select * from {{ model }} where {{ column_name }}::varchar = '{{ env_var(\"R_TX\", \"t\") }}'{% endtest %}\n{% test reads_env2(model, column_name) %}select * from {{ model }} where {{ column_name }}::varchar = '{{ env_var(\"R_TY\", \"t\") }}'{% endtest %}\n",
			"models/a.sql": "select 1 as id\n",
			"models/b.sql": "select 1 as id, '{{ env_var(\"R_TX\", \"t\") }}' as x, '{{ env_var(\"R_TY\", \"t\") }}' as y\n",
			"models/n.sql": "select 1 as id\n",
		}},
		{name: "a new properties file with the test", files: map[string]string{"models/_a.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [reads_env]\n"}, any: true},
		{name: "R_TX", env: map[string]string{"R_TX": "2"}, any: true},
		{name: "a new model and its properties with the test", files: map[string]string{"models/n2.sql": "select 1 as id\n", "models/_n2.yml": "version: 2\nmodels:\n  - name: n2\n    columns:\n      - name: id\n        data_tests: [reads_env2]\n"}, any: true},
		{name: "R_TY", env: map[string]string{"R_TY": "2"}, any: true},
	})
}

func TestReview45bSecretEnvInARender(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"DBT_ENV_SECRET_R45": "s", "R_SE": "1"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "select '{{ env_var(\"R_SE\") }}' as x\n",
			"macros/m.sql": "{% macro m() %}1{% endmacro %}\n",
			"models/b.sql": "select {{ m() }} as y\n",
		}},
		{name: "a model edited to read a secret", files: map[string]string{"models/a.sql": "select '{{ env_var(\"DBT_ENV_SECRET_R45\", \"d\") }}' as x\n"}, coldFails: true},
		{name: "a macro edited to read a secret", files: map[string]string{"models/a.sql": "select '{{ env_var(\"R_SE\") }}' as x\n", "macros/m.sql": "{% macro m() %}'{{ env_var(\"DBT_ENV_SECRET_R45\", \"d\") }}'{% endmacro %}\n"}, coldFails: true},
		{name: "back", files: map[string]string{"macros/m.sql": "{% macro m() %}1{% endmacro %}\n"}, env: map[string]string{"R_SE": "2"}, any: true},
	})
}

// A model an env var enables, named by a naming macro that reads another
// env var only for custom schemas (no other model has one).
func TestReview45bEnabledByEnvNamedByEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_TG": "no", "R_GN": "1"}, files: map[string]string{
			"mart.yml":      "name: p\n",
			"macros/gs.sql": "{% macro generate_schema_name(custom, node) %}{% if custom %}{{ custom }}_{{ env_var('R_GN', 'g') }}{% else %}{{ target.schema }}{% endif %}{% endmacro %}\n",
			"models/s.sql":  "{{ config(schema='cs', enabled=env_var('R_TG', 'no') == 'yes') }}\nselect 1 as id\n",
			"models/a.sql":  "select 1 as id\n",
		}},
		{name: "enable s", env: map[string]string{"R_TG": "yes"}, any: true},
		{name: "the naming env var", env: map[string]string{"R_GN": "2"}, any: true},
		{name: "disable s", env: map[string]string{"R_TG": "no"}, any: true},
		{name: "the naming env var again", env: map[string]string{"R_GN": "3"}, any: true},
		{name: "enable s again", env: map[string]string{"R_TG": "yes"}, any: true},
	})
}

func TestReview45bVersionedModelReadsEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_VV": "1"}, files: map[string]string{
			"mart.yml":        "name: p\n",
			"models/m_v1.sql": "select 1 as id, '{{ env_var(\"R_VV\") }}' as v\n",
			"models/m_v2.sql": "select 2 as id, '{{ env_var(\"R_VV\") }}' as v\n",
			"models/u.sql":    "select * from {{ ref('m') }} union all select * from {{ ref('m', v=1) }}\n",
			"models/_m.yml":   "version: 2\nmodels:\n  - name: m\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n",
		}},
		{name: "R_VV", env: map[string]string{"R_VV": "2"}, any: true},
	})
}

// A project var whose value is a template reading an env var, read by
// var() in one model; another model reads the env var itself.
func TestReview45bVarValueReadsEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_VE": "1"}, files: map[string]string{
			"mart.yml":     "name: p\nvars:\n  x: \"{{ env_var('R_VE', 'd') }}\"\n",
			"models/a.sql": "select '{{ var(\"x\") }}' as x\n",
			"models/b.sql": "select '{{ env_var(\"R_VE\", \"d\") }}' as e\n",
		}},
		{name: "R_VE", env: map[string]string{"R_VE": "2"}, any: true},
	})
}

// --vars whose value is a template reading an env var.
func TestReview45bCLIVarValueReadsEnv(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "project", env: map[string]string{"R_VC": "1"}, vars: map[string]any{"y": "{{ env_var('R_VC', 'd') }}"}, files: map[string]string{
			"mart.yml":     "name: p\n",
			"models/a.sql": "select '{{ var(\"y\") }}' as y\n",
			"models/b.sql": "select '{{ env_var(\"R_VC\", \"d\") }}' as e\n",
		}},
		{name: "R_VC", env: map[string]string{"R_VC": "2"}, vars: map[string]any{"y": "{{ env_var('R_VC', 'd') }}"}, any: true},
	})
}

// The finding above after an ordinary edit: a properties file's test
// added (a whole compile, renders from the cache), then the env var.
func TestReview45bCachedDisabledModelEnvAfterYAMLEdit(t *testing.T) {
	steps := []patchStep{
		{name: "project (a run's first compile: writes the render cache)", env: map[string]string{"R_EN4": "no"}, files: map[string]string{
			"mart.yml":        "name: p\n",
			"models/solo.sql": "{{ config(enabled=env_var('R_EN4', 'no') == 'yes') }}\nselect 1 as id\n",
			"models/c.sql":    "select 1 as id\n",
			"models/_p.yml":   "version: 2\nmodels:\n  - name: c\n    description: c\n",
		}},
		{name: "a test added to c: whole, renders from the cache", files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: c\n    description: c\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
		}, patched: false},
		{name: "the disabled model's env var: enables it", env: map[string]string{"R_EN4": "yes"}, any: true},
	}
	runPatchStepsWith(t, steps, func(i int, opt *Options) {
		if i == 0 {
			opt.PatchForRun = true
		}
	})
}
