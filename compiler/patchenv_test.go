package compiler

import "testing"

// TestPatchEnvVarReaders: a changed env var renders again the nodes that
// read it (in their text or in a macro they call), as a changed var does,
// instead of compiling the whole project; a node added or made again by a
// patch is followed too, and so is a generic test of the project's YAML
// (a macro it calls reads one: its entry's tests are made again,
// patchtestvars.go). One read outside the renders (a project file's
// config) still compiles whole. Every step's output equals a cold
// compile's.
func TestPatchEnvVarReaders(t *testing.T) {
	steps := []patchStep{
		{name: "project", env: map[string]string{"E_A": "1", "E_MAC": "1", "E_NEW": "1", "E_T": "1", "E_CFG": "1", "E_D": "1"}, files: map[string]string{
			"mart.yml":       "name: p\n",
			"macros/m.sql":   "{% macro stamp() %}'{{ env_var(\"E_MAC\", \"m\") }}'{% endmacro %}\n",
			"models/a.sql":   "select '{{ env_var(\"E_A\", \"a\") }}' as x\n",
			"models/b.sql":   "select {{ stamp() }} as y\n",
			"models/c.sql":   "select {{ stamp() }} as y, 1 as id\n",
			"models/d.sql":   "select 1 as id\n",
			"models/off.sql": "{{ config(enabled=target.name == 'prod') }}\nselect '{{ env_var(\"E_D\", \"d\") }}' as d\n",
		}},
		{name: "an env var a model reads", env: map[string]string{"E_A": "2"}, patched: true},
		{name: "an env var a macro two models call reads", env: map[string]string{"E_MAC": "2"}, patched: true},
		{name: "both at once", env: map[string]string{"E_A": "3", "E_MAC": "3"}, patched: true},
		{name: "a disabled model's", env: map[string]string{"E_D": "2"}, patched: true},
		{name: "a model added that reads one", files: map[string]string{"models/e.sql": "select '{{ env_var(\"E_NEW\", \"n\") }}' as z\n"}, patched: true},
		{name: "that one", env: map[string]string{"E_NEW": "2"}, patched: true},
		{name: "a model edited to read one", files: map[string]string{"models/d.sql": "select 1 as id, '{{ env_var(\"E_NEW\", \"n\") }}' as z\n"}, patched: true},
		{name: "that one again (two readers)", env: map[string]string{"E_NEW": "3"}, patched: true},
		{name: "a model edited to read it no more", files: map[string]string{"models/d.sql": "select 1 as id\n"}, patched: true},
		{name: "and again", env: map[string]string{"E_NEW": "4"}, patched: true},
		{name: "a generic test whose macro reads one", files: map[string]string{
			"macros/t.sql":  "{% test reads_env(model, column_name) %}select * from {{ model }} where '{{ env_var(\"E_T\", \"t\") }}' = 'x'{% endtest %}\n",
			"models/_p.yml": "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [reads_env]\n",
		}, any: true},
		{name: "the test's env var (its entry's tests made again)", env: map[string]string{"E_T": "2"}, patched: true},
		{name: "then a model's again", env: map[string]string{"E_A": "4"}, patched: true},
		{name: "a project file config reads one, and a model", files: map[string]string{
			"mart.yml":     "name: p\nmodels:\n  p:\n    +meta: {e: \"{{ env_var('E_CFG', 'c') }}\"}\n",
			"models/f.sql": "select '{{ env_var(\"E_CFG\", \"c\") }}' as f\n",
		}, any: true},
		{name: "the config's env var", env: map[string]string{"E_CFG": "2"}, patched: false},
		{name: "a model's once more", env: map[string]string{"E_MAC": "4"}, patched: true},
	}
	runPatchSteps(t, steps)
}
