package compiler

import (
	"strings"
	"testing"
)

// TestPatchTestVarReaders: a changed var, env var or --vars value that a
// generic test of the project's YAML reads (in an argument, its where:,
// a macro it calls) makes the tests of its entry again instead of
// compiling the whole project; a test added or made again by a patch is
// followed too, and one removed is passed over. A var read where the file
// loads (another config key, the project file) or by a package's test
// still compiles whole. Every step's output equals a cold compile's.
func TestPatchTestVarReaders(t *testing.T) {
	yml := func(more string) string {
		return "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n" +
			"          - not_null:\n              config:\n                where: \"d = '{{ var('ds', '2024-01-01') }}'\"\n" +
			"          - accepted_values:\n              values: \"{{ var('ids', [1, 2]) }}\"\n" +
			"          - at_most:\n              n: \"var('max_id', 9)\"\n" + more +
			"  - name: other\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - at_most:\n              n: 5\n"
	}
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":           "name: p\n",
			"macros/at_most.sql": "{% test at_most(model, column_name, n) %}select * from {{ model }} where {{ column_name }} > {{ n }}{% endtest %}\n",
			"macros/t.sql":       "{% test env_pos(model, column_name) %}select * from {{ model }} where {{ column_name }} < {{ env_var('T_MIN', '0') }}{% endtest %}\n",
			"models/m.sql":       "select 1 as id, date '2024-01-01' as d, '{{ var('ds', '2024-01-01') }}' as ds\n",
			"models/other.sql":   "select 1 as id\n",
			"models/_m.yml":      yml(""),
		}},
		{name: "a var a where: and a model read", vars: map[string]any{"ds": "2024-01-02"}, patched: true},
		{name: "a list var an argument reads", vars: map[string]any{"ds": "2024-01-02", "ids": []any{1, 3}}, patched: true},
		{name: "a bare var() argument's", vars: map[string]any{"ds": "2024-01-02", "ids": []any{1, 3}, "max_id": 2}, patched: true},
		{name: "all three back", vars: map[string]any{}, patched: true},
		{name: "a test added that reads an env var", files: map[string]string{"models/_m.yml": yml("          - env_pos\n")}, any: true},
		{name: "that env var", env: map[string]string{"T_MIN": "1"}, patched: true},
		{name: "a var again, with the model edited", vars: map[string]any{"ds": "2024-01-05"},
			files: map[string]string{"models/m.sql": "select 2 as id, date '2024-01-01' as d, '{{ var('ds', '2024-01-01') }}' as ds\n"}, patched: true},
		{name: "the tests reading vars removed", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [unique]\n" +
			"  - name: other\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - at_most:\n              n: 5\n"}, any: true},
		{name: "their vars change (a model still reads one)", vars: map[string]any{"ds": "2024-01-06", "ids": []any{7}, "max_id": 1}, patched: true},
		{name: "their env var changes", env: map[string]string{"T_MIN": "2"}, any: true},
		{name: "back with a severity that reads a var", files: map[string]string{"models/_m.yml": yml("          - unique:\n              config:\n                severity: \"{{ var('sev', 'warn') }}\"\n")}, any: true},
		{name: "that var (read as the file loads)", vars: map[string]any{"ds": "2024-01-06", "ids": []any{7}, "max_id": 1, "sev": "error"}, patched: false},
		// (the entry's tests hold Jinja in a config key that renders as
		// the file loads: they are not made again)
		{name: "a where: var after it", vars: map[string]any{"ds": "2024-01-07", "ids": []any{7}, "max_id": 1, "sev": "error"}, patched: false},
		{name: "the severity gone", files: map[string]string{"models/_m.yml": yml("")}, any: true},
		{name: "a package's test reads a var", files: map[string]string{
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/models/pm.sql":   "select 1 as id\n",
			"dbt_packages/pk/models/_t.yml":   "version: 2\nmodels:\n  - name: pm\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              where: \"id > {{ var('pk_min', 0) }}\"\n"},
			any: true},
		{name: "its var", vars: map[string]any{"ds": "2024-01-07", "ids": []any{7}, "max_id": 1, "sev": "error", "pk_min": 1}, patched: false},
		{name: "a --vars after it", vars: map[string]any{"ds": "2024-01-08", "ids": []any{7}, "max_id": 1, "sev": "error", "pk_min": 1}, patched: true},
	}
	runPatchSteps(t, steps)
}

// TestPatchTestVarReadersEdited: an edit of an entry's tests whose
// arguments or where: hold Jinja is patched (the tests made again, what
// they read recorded), and a later change of what they read is too.
func TestPatchTestVarReadersEdited(t *testing.T) {
	yml := func(tests string) string {
		return "version: 2\nmodels:\n  - name: m\n    description: the model\n    columns:\n      - name: id\n        data_tests:\n" + tests
	}
	whereDs := "          - not_null:\n              where: \"id > {{ var('lo', 0) }}\"\n"
	valuesV := "          - accepted_values:\n              values: \"{{ var('ids', [1, 2]) }}\"\n"
	entryTest := "    data_tests:\n      - unique:\n          column_name: id\n          config:\n            where: \"'{{ env_var('T_ON', 'y') }}' = 'y'\"\n"
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/m.sql":  "select 1 as id\n",
			"models/_m.yml": yml(whereDs),
		}},
		{name: "a test that reads another var added", files: map[string]string{"models/_m.yml": yml(whereDs + valuesV)}, patched: true},
		{name: "its var", vars: map[string]any{"ids": []any{1}}, patched: true},
		{name: "the first one's", vars: map[string]any{"ids": []any{1}, "lo": 3}, patched: true},
		{name: "a model-level test that reads an env var", files: map[string]string{"models/_m.yml": strings.Replace(yml(whereDs+valuesV), "    columns:\n", entryTest+"    columns:\n", 1)}, patched: true},
		{name: "its env var", env: map[string]string{"T_ON": "n"}, patched: true},
		{name: "the where: edited", files: map[string]string{"models/_m.yml": yml(strings.Replace(whereDs, "id >", "id >=", 1) + valuesV)}, patched: true},
		{name: "the var test removed", files: map[string]string{"models/_m.yml": yml(whereDs)}, patched: true},
		{name: "its var again (no reader left)", vars: map[string]any{"ids": []any{2}, "lo": 3}, patched: true},
		{name: "a description edit beside them", files: map[string]string{"models/_m.yml": strings.Replace(yml(whereDs), "the model", "the model, edited", 1)}, patched: true},
		{name: "a severity template added (read as the file loads)", files: map[string]string{"models/_m.yml": yml(whereDs + "          - unique:\n              severity: \"{{ var('sev', 'warn') }}\"\n")}, patched: false},
	}
	runPatchSteps(t, steps)
}

// TestPatchTestVarReadersRemade: entries whose tests read a var, added or
// made again whole by a YAML edit (a source table added, a source's own
// key changed, a model and its entry added, a model's config in its
// entry), patch, and their tests then follow the var. When the var (or a
// macro the tests call) changes in the same step, the tests are made once,
// from the new text: before, the two remakes overlapped and compiled whole.
func TestPatchTestVarReadersRemade(t *testing.T) {
	src := func(tests string) string {
		return "version: 2\nsources:\n  - name: s\n    schema: main\n    tables:\n      - name: t\n        description: the table\n        columns:\n          - name: id\n            data_tests:\n" + tests
	}
	meta := func(yml, owner string) string {
		return strings.Replace(yml, "schema: main", "schema: main\n    meta: {owner: "+owner+"}", 1)
	}
	whereLo := "              - not_null:\n                  where: \"id > {{ var('lo', 0) }}\"\n"
	valuesIDs := "              - accepted_values:\n                  values: \"{{ var('ids', [1, 2]) }}\"\n"
	t2 := "      - name: t2\n        data_tests:\n          - unique:\n              column_name: id\n              where: \"id > {{ var('lo', 0) }}\"\n"
	pos := "      - name: t3\n        columns:\n          - name: id\n            data_tests: [pos]\n"
	posMacro := func(op string) string {
		return "{% test pos(model, column_name) %}select * from {{ model }} where {{ column_name }} " + op + " 0{% endtest %}\n"
	}
	m := "  - name: m\n    description: the model\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              where: \"id > {{ var('lo', 0) }}\"\n"
	m2 := "  - name: m2\n    columns:\n      - name: id\n        data_tests:\n          - accepted_values:\n              values: \"{{ var('ids', [1, 2]) }}\"\n"
	mTagged := strings.Replace(m, "    columns:\n", "    config:\n      tags: [x]\n    columns:\n", 1)
	models := func(entries ...string) string { return "version: 2\nmodels:\n" + strings.Join(entries, "") }
	both := map[string]any{"ids": []any{1}, "lo": 3}
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":       "name: p\n",
			"macros/pos.sql": posMacro("<="),
			"models/s.sql":   "select * from {{ source('s', 't') }}\n",
			"models/m.sql":   "select 1 as id\n",
			"models/_s.yml":  src(whereLo) + pos,
			"models/_m.yml":  models(m),
		}},
		{name: "a source table added, with a var test", files: map[string]string{"models/_s.yml": src(whereLo+valuesIDs) + pos + t2}, patched: true},
		{name: "its var", vars: both, patched: true},
		{name: "the source's own key changed", vars: both, files: map[string]string{"models/_s.yml": meta(src(whereLo+valuesIDs)+pos+t2, "x")}, patched: true},
		{name: "its own key and a var at once", vars: map[string]any{"lo": 3}, files: map[string]string{"models/_s.yml": meta(src(whereLo+valuesIDs)+pos+t2, "y")}, patched: true},
		{name: "its own key and a test macro at once", vars: map[string]any{"lo": 3}, files: map[string]string{"macros/pos.sql": posMacro("<"), "models/_s.yml": meta(src(whereLo+valuesIDs)+pos+t2, "z")}, patched: true},
		{name: "a model and its entry added, with a var test", vars: map[string]any{"lo": 3}, files: map[string]string{"models/m2.sql": "select 2 as id\n", "models/_m.yml": models(m, m2)}, patched: true},
		{name: "its var", vars: both, patched: true},
		{name: "a model's config in its entry", vars: both, files: map[string]string{"models/_m.yml": models(mTagged, m2)}, patched: true},
		{name: "a model's config and its var at once", vars: map[string]any{"ids": []any{1}, "lo": 5}, files: map[string]string{"models/_m.yml": models(m, m2)}, patched: true},
		{name: "the model removed, and the var its test read", vars: map[string]any{"ids": []any{2}, "lo": 5}, remove: []string{"models/m2.sql"}, files: map[string]string{"models/_m.yml": models(m)}, patched: true},
		{name: "the model moved to a folder, its entry kept", vars: map[string]any{"ids": []any{2}, "lo": 5}, remove: []string{"models/m.sql"}, files: map[string]string{"models/sub/m.sql": "select 1 as id\n"}, patched: true},
		{name: "its var", vars: map[string]any{"ids": []any{2}, "lo": 7}, patched: true},
		{name: "a model and a new properties file with a var test", vars: map[string]any{"ids": []any{2}, "lo": 7}, files: map[string]string{"models/m3.sql": "select 3 as id\n", "models/_m3.yml": "version: 2\nmodels:\n  - name: m3\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              where: \"id > {{ var('lo', 0) }}\"\n"}, patched: true},
		{name: "its var", vars: map[string]any{"ids": []any{2}, "lo": 8}, patched: true},
		{name: "the model and its file removed", vars: map[string]any{"ids": []any{2}, "lo": 8}, remove: []string{"models/m3.sql", "models/_m3.yml"}, patched: true},
		{name: "the var test's table removed, and the var", vars: map[string]any{"lo": 6}, files: map[string]string{"models/_s.yml": src(whereLo) + pos}, patched: true},
		{name: "a severity template in an added table (read as the file loads)", vars: map[string]any{"lo": 6}, files: map[string]string{"models/_s.yml": src(whereLo) + pos + "      - name: t4\n        data_tests:\n          - unique:\n              column_name: id\n              severity: \"{{ var('sev', 'warn') }}\"\n"}, patched: false},
	}
	runPatchSteps(t, steps)
}
