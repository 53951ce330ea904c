package compiler

import (
	"strings"
	"testing"
)

// TestPatchSharedNames: a project with variants of one name (all but one
// disabled) keeps a patch snapshot. The variants are not patchable (they
// share a unique id): an edit of one, its removal, a variant added, and
// what one reads (a var, a macro of a macro file, its folder config, the
// YAML entry of the name) compile whole; every other edit is patched. Each
// step's compile equals a cold one.
func TestPatchSharedNames(t *testing.T) {
	proj := func(extra string) string {
		return "name: sh\nversion: \"1.0.0\"\nvars:\n  variant: dev\nmodels:\n  sh:\n    legacy:\n      +enabled: false\n" + extra
	}
	props := func(desc string) string {
		return "version: 2\nmodels:\n  - name: orders\n    description: " + desc + "\n    columns:\n      - name: id\n        data_tests: [not_null]\n" +
			"  - name: other\n    description: other model\n"
	}
	pkgProps := "version: 2\nmodels:\n  - name: pm\n    description: the package's pm\n"
	steps := []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":                proj(""),
			"models/prod/orders.sql":  "{{ config(enabled=is_on('prod'), materialized='table') }}\nselect 1 as id, 'prod' as variant\n",
			"models/dev/orders.sql":   "{{ config(enabled=var('variant') == 'dev') }}\nselect 2 as id, 'dev' as variant\n",
			"macros/on.sql":           "{% macro is_on(v) %}{{ return(var('variant') == v) }}{% endmacro %}\n{% macro unused() %}1{% endmacro %}\n",
			"macros/other.sql":        "{% macro twice(x) %}{{ x }} * 2{% endmacro %}\n",
			"models/items.sql":        "select 10 as id\n",
			"models/legacy/items.sql": "select 11 as id\n",
			"models/uses.sql":         "select * from {{ ref('orders') }} join {{ ref('items') }} using (id)\n",
			"models/other.sql":        "select {{ twice(1) }} as id\n",
			"models/_props.yml":       props("one of two"),
			// a root model replaces a package's of its name, disabled
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nmodels:\n  pk:\n    pm:\n      +enabled: false\n",
			"dbt_packages/pk/models/pm.sql":   "select 1 as id\n",
			"dbt_packages/pk/models/_pk.yml":  pkgProps,
			"models/pm.sql":                   "select 2 as id\n",
			"models/reads_pm.sql":             "select * from {{ ref('pm') }}\n",
		}},
		{name: "another model's SQL", patched: true, files: map[string]string{"models/other.sql": "select {{ twice(2) }} as id\n"}},
		{name: "the model reading them", patched: true, files: map[string]string{
			"models/uses.sql": "select id from {{ ref('orders') }} join {{ ref('items') }} using (id)\n"}},
		{name: "the macro file none of them calls", patched: true, files: map[string]string{
			"macros/other.sql": "{% macro twice(x) %}({{ x }}) * 2{% endmacro %}\n"}},
		{name: "the enabled variant's SQL", patched: true, files: map[string]string{
			"models/dev/orders.sql": "{{ config(enabled=var('variant') == 'dev') }}\nselect 2 as id, 'dev!' as variant\n"}},
		{name: "the disabled variant's SQL", patched: false, files: map[string]string{
			"models/prod/orders.sql": "{{ config(enabled=is_on('prod'), materialized='table') }}\nselect 1 as id, 'prod!' as variant\n"}},
		{name: "another macro of the macro file the disabled one calls", patched: true, files: map[string]string{
			"macros/on.sql": "{% macro is_on(v) %}{{ return(var('variant') == v) }}{% endmacro %}\n{% macro unused() %}2{% endmacro %}\n"}},
		{name: "the var they read (--vars)", patched: false, vars: map[string]any{"variant": "prod"}},
		{name: "back", patched: false},
		{name: "the project's var", patched: false, files: map[string]string{"mart.yml": strings.Replace(proj(""), "variant: dev", "variant: prod", 1)}},
		{name: "back in the project file", patched: false, files: map[string]string{"mart.yml": proj("")}},
		{name: "the macro the disabled one calls, enabling it too", coldFails: true, files: map[string]string{
			"macros/on.sql": "{% macro is_on(v) %}{{ return(true) }}{% endmacro %}\n{% macro unused() %}2{% endmacro %}\n"}},
		{name: "the macro back", any: true, files: map[string]string{
			"macros/on.sql": "{% macro is_on(v) %}{{ return(var('variant') == v) }}{% endmacro %}\n{% macro unused() %}2{% endmacro %}\n"}},
		{name: "then a model's SQL", patched: true, files: map[string]string{"models/other.sql": "select {{ twice(3) }} as id\n"}},
		{name: "the name's YAML description", any: true, files: map[string]string{"models/_props.yml": props("one of the two")}},
		{name: "another entry's description", any: true, files: map[string]string{
			"models/_props.yml": strings.Replace(props("one of the two"), "other model", "the other model", 1)}},
		{name: "the name's YAML config: tags (config() in the files wins over enabled:)", any: true, files: map[string]string{
			"models/_props.yml": strings.Replace(props("one of the two"), "    columns:", "    config:\n      enabled: false\n      tags: [y]\n    columns:", 1)}},
		{name: "the YAML back", any: true, files: map[string]string{"models/_props.yml": props("one of the two")}},
		{name: "the folder config enabling the legacy variant too", coldFails: true, files: map[string]string{"mart.yml": strings.Replace(proj(""), "+enabled: false", "+enabled: true", 1)}},
		{name: "the folder config back", any: true, files: map[string]string{"mart.yml": proj("")}},
		{name: "the folder config's other key", any: true, files: map[string]string{"mart.yml": proj("      +tags: [old]\n")}},
		{name: "the legacy variant's SQL", patched: false, files: map[string]string{"models/legacy/items.sql": "select 12 as id\n"}},
		{name: "the package's replaced model's YAML", any: true, files: map[string]string{
			"dbt_packages/pk/models/_pk.yml": strings.Replace(pkgProps, "the package's pm", "the package's own pm", 1)}},
		{name: "the root model replacing it", patched: false, files: map[string]string{"models/pm.sql": "select 3 as id\n"}},
		{name: "the model reading it", patched: true, files: map[string]string{"models/reads_pm.sql": "select id from {{ ref('pm') }}\n"}},
		{name: "a third variant added, disabled", patched: false, files: map[string]string{
			"models/old/orders.sql": "{{ config(enabled=false) }}\nselect 3 as id, 'old' as variant\n"}},
		{name: "then a model's SQL", patched: true, files: map[string]string{"models/other.sql": "select {{ twice(4) }} as id\n"}},
		{name: "the third removed", patched: false, remove: []string{"models/old/orders.sql"}},
		{name: "the disabled variant removed", patched: false, remove: []string{"models/prod/orders.sql"}},
		{name: "no variants left: a model's SQL", patched: true, files: map[string]string{"models/other.sql": "select {{ twice(5) }} as id\n"}},
		{name: "the variant back", patched: false, files: map[string]string{
			"models/prod/orders.sql": "{{ config(enabled=is_on('prod'), materialized='table') }}\nselect 1 as id, 'prod' as variant\n"}},
		{name: "a model added", patched: true, files: map[string]string{"models/added.sql": "select * from {{ ref('other') }}\n"}},
		{name: "the root YAML describes pm", any: true, files: map[string]string{
			"models/_props.yml": props("one of two") + "  - name: pm\n    description: the root's pm\n"}},
		{name: "and again", any: true, files: map[string]string{
			"models/_props.yml": props("one of two") + "  - name: pm\n    description: the root's own pm\n"}},
		{name: "the package's YAML describes the root's reader", any: true, files: map[string]string{
			"dbt_packages/pk/models/_pk.yml": pkgProps + "  - name: reads_pm\n    description: from the package\n"}},
	}
	runPatchSteps(t, steps)
}
