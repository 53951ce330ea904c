package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// errorCase breaks testdata/compile_errors in one way.
type errorCase struct {
	name   string
	files  map[string]string // written over the project ("" deletes)
	env    []string
	args   []string // default: compile
	code   int      // default: 2
	stderr string   // exact stderr
}

// TestCompileErrors runs `mart compile` on broken projects: each mistake
// gives one clear message with file:line:column, exit code 2 and no
// target/ output.
func TestCompileErrors(t *testing.T) {
	summary1 := "error: 1 error in the project; nothing was changed\n"
	cases := []errorCase{
		{
			name:   "syntax error in a multi-line tag",
			files:  map[string]string{"models/orders.sql": "select id\n{{ config(\n    materialized='table',\n    unique_key=['id' 'customer_id' +]\n) }}\nfrom {{ source('raw', 'orders') }}\n"},
			stderr: "models/orders.sql:4:37: error: expected a value, got ']'\n" + summary1,
		},
		{
			name:   "unclosed block",
			files:  map[string]string{"models/orders.sql": "select id\n{% if true %}\nfrom {{ source('raw', 'orders') }}\n"},
			stderr: "models/orders.sql:2:1: error: {% if %} is never closed: expected {% endif %}\n" + summary1,
		},
		{
			name:   "unexpected end tag",
			files:  map[string]string{"models/orders.sql": "select id\n{% for x in [1] %}{{ x }}{% endif %}\n"},
			stderr: "models/orders.sql:2:26: error: unexpected {% endif %}: expected {% endfor %} first\n" + summary1,
		},
		{
			name:   "unknown tag",
			files:  map[string]string{"models/orders.sql": "{% iff true %}x{% endif %}\n"},
			stderr: "models/orders.sql:1:1: error: unknown tag {% iff %}: did you mean 'if'?\n" + summary1,
		},
		{
			name:   "unterminated string",
			files:  map[string]string{"models/orders.sql": "select {{ 'abc }}\n"},
			stderr: "models/orders.sql:1:8: error: unterminated string inside {{ ... }}\n" + summary1,
		},
		{
			name:   "unknown function",
			files:  map[string]string{"models/customer_orders.sql": "select\n  {{ mony('amount') }}\nfrom {{ ref('orders') }}\n"},
			stderr: "models/customer_orders.sql:2:6: error: 'mony' is undefined: no macro, function or variable of that name; did you mean 'money'?\n" + summary1,
		},
		{
			name:   "unknown filter",
			files:  map[string]string{"models/orders.sql": "select '{{ 'x' | uper }}' as x\n"},
			stderr: "models/orders.sql:1:18: error: unknown filter 'uper': did you mean 'upper'?\n" + summary1,
		},
		{
			name:   "unknown is-test",
			files:  map[string]string{"models/orders.sql": "{% if var('x', none) is nnone %}select 1{% endif %}\n"},
			stderr: "models/orders.sql:1:25: error: unknown test 'nnone' in 'is nnone': did you mean 'none'?\n" + summary1,
		},
		{
			name:  "bad YAML",
			files: map[string]string{"models/schema.yml": "version: 2\nmodels:\n  - name: orders\n   columns: []\n"},
			stderr: "models/schema.yml:3: error: invalid YAML: did not find expected '-' indicator\n" +
				"  the problem is in the YAML block that starts on this line\n" + summary1,
		},
		{
			name:   "bad YAML scalar",
			files:  map[string]string{"models/schema.yml": "version: 2\nmodels:\n  - name: orders\n    description: total: sum\n"},
			stderr: "models/schema.yml:4: error: invalid YAML: mapping values are not allowed in this context\n" + summary1,
		},
		{
			name:   "a mapping where a list goes",
			files:  map[string]string{"models/schema.yml": "version: 2\nmodels:\n  name: orders\n"},
			stderr: "models/schema.yml:3: error: expected a list here, found a mapping\n" + summary1,
		},
		{
			name:   "an empty list item",
			files:  map[string]string{"models/schema.yml": "version: 2\nmodels:\n  - name: orders\n  -\n"},
			stderr: "models/schema.yml:4:4: error: an empty item in models: expected a mapping (an entry)\n" + summary1,
		},
		{
			name:  "bad YAML in the project file",
			files: map[string]string{"mart.yml": "name: errs\nmodels:\n  errs:\n    +materialized: [table\n"},
			stderr: "mart.yml:4: error: invalid YAML: did not find expected ',' or ']'\n" +
				"  the problem is in the YAML block that starts on this line\n" + summary1,
		},
		{
			name: "a snapshot whose template does not parse: that error alone",
			files: map[string]string{"snapshots/s.sql": "{% snapshot s %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('m') }\n{% endsnapshot %}\n",
				"models/m.sql": "select 1 as id\n"},
			stderr: "snapshots/s.sql:3:15: error: unclosed {{: expected }}\n" + summary1,
		},
		{
			name:  "duplicate model names",
			files: map[string]string{"models/a/dup.sql": "select 1 as id\n", "models/b/dup.sql": "select 2 as id\n"},
			stderr: "models/b/dup.sql:1:1: error: duplicate model name \"dup\": also defined in models/a/dup.sql\n" +
				"  names must be unique across the project: rename one of the files, or disable all but one (enabled=false)\n" + summary1,
		},
		{
			name:  "ref to a disabled model",
			files: map[string]string{"models/customers.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"},
			stderr: "models/customer_orders.sql:2:9: error: model \"customer_orders\" refs model \"customers\", which is disabled\n" +
				"  models/customers.sql sets enabled=false; enable it or remove the ref\n" + summary1,
		},
		{
			name:  "unknown ref",
			files: map[string]string{"models/customer_orders.sql": "select *\nfrom {{ ref('customer') }}\n"},
			stderr: "models/customer_orders.sql:2:9: error: model \"customer_orders\" refs \"customer\", which does not exist\n" +
				"  did you mean \"customers\", \"customer_orders\"?\n" + summary1,
		},
		{
			name:  "unknown source",
			files: map[string]string{"models/orders.sql": "select *\nfrom {{ source('raw', 'order') }}\n"},
			stderr: "models/orders.sql:2:9: error: model \"orders\" uses source(\"raw\", \"order\"), which is not declared\n" +
				"  did you mean \"raw.orders\"?\n" + summary1,
		},
		{
			name: "cycle",
			files: map[string]string{
				"models/cycle_a.sql": "select * from {{ ref('cycle_c') }}\n",
				"models/cycle_b.sql": "select * from {{ ref('cycle_a') }}\n",
				"models/cycle_c.sql": "select * from {{ ref('cycle_b') }}\n",
			},
			stderr: "models/cycle_a.sql: error: dependency cycle: cycle_a -> cycle_b -> cycle_c -> cycle_a\n" +
				"  files: cycle_a (models/cycle_a.sql), cycle_b (models/cycle_b.sql), cycle_c (models/cycle_c.sql)\n" + summary1,
		},
		{
			name:   "unknown generic test",
			files:  map[string]string{"models/schema.yml": "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests: [uniqe, not_null]\n"},
			stderr: "models/schema.yml:6:17: error: unknown test \"uniqe\"\n  did you mean \"unique\"?\n" + summary1,
		},
		{
			name:   "missing required var",
			files:  map[string]string{"models/orders.sql": "select * from {{ source('raw', 'orders') }}\nwhere day >= '{{ var(\"start_date\") }}'\n"},
			stderr: "models/orders.sql:2:18: error: required var \"start_date\" is not set: define it under vars: in the project file, pass --vars, or give var() a default\n" + summary1,
		},
		{
			name:   "missing env var",
			files:  map[string]string{"models/orders.sql": "select '{{ env_var(\"MART_E2E_NOT_SET\") }}' as x\n"},
			stderr: "models/orders.sql:1:12: error: env var \"MART_E2E_NOT_SET\" is not set and env_var() has no default\n" + summary1,
		},
		{
			name: "error raised in a macro",
			files: map[string]string{"macros/money.sql": "{% macro money(column) -%}\n  {%- if not column -%}\n    {{ exceptions.raise_compiler_error('money() needs a column') }}\n  {%- endif -%}\n  round({{ column }} / 100.0, 2)\n{%- endmacro %}\n",
				"models/customer_orders.sql": "select\n    {{ money('') }} as amount\nfrom {{ ref('orders') }}\n"},
			stderr: "macros/money.sql:3:8: error: money() needs a column\n  in macro money, called from models/customer_orders.sql:2:8\n" + summary1,
		},
		{
			name:   "unknown function in a macro",
			files:  map[string]string{"macros/money.sql": "{% macro money(column) -%}\n    {{ rond(column) }}\n{%- endmacro %}\n"},
			stderr: "macros/money.sql:2:8: error: 'rond' is undefined: no macro, function or variable of that name\n  in macro money, called from models/customer_orders.sql:1:17\n" + summary1,
		},
		{
			name:   "macro called with an unknown argument",
			files:  map[string]string{"models/customer_orders.sql": "select {{ money(col='amount') }} as amount\nfrom {{ ref('orders') }}\n"},
			stderr: "models/customer_orders.sql:1:11: error: macro money has no argument 'col' (arguments: column); did you mean 'column'?\n" + summary1,
		},
		{
			name:   "macro defined twice",
			files:  map[string]string{"macros/again.sql": "\n{% macro money(c) %}{{ c }}{% endmacro %}\n"},
			stderr: "macros/money.sql:1:1: error: macro \"money\" is defined twice (also in macros/again.sql:2)\n" + summary1,
		},
		{
			name:   "unsupported operation",
			files:  map[string]string{"models/orders.sql": "select {{ 'a' - 1 }} as x\n"},
			stderr: "models/orders.sql:1:15: error: unsupported operand types for -: str and int\n" + summary1,
		},
		{
			name:   "division by zero",
			files:  map[string]string{"models/orders.sql": "{% set n = 0 %}select {{ 10 / n }} as x\n"},
			stderr: "models/orders.sql:1:29: error: division by zero\n" + summary1,
		},
		{
			name:   "YAML snapshot with a relation that is not ref() or source()",
			files:  map[string]string{"snapshots/snaps.yml": "snapshots:\n  - name: orders_history\n    relation: raw.orders\n    config: {unique_key: id, strategy: check, check_cols: all}\n"},
			stderr: "snapshots/snaps.yml:3:15: error: snapshot \"orders_history\": relation must be ref('model') or source('source', 'table'), not \"raw.orders\"\n" + summary1,
		},
		{
			name:   "YAML snapshot of an unknown model",
			files:  map[string]string{"snapshots/snaps.yml": "snapshots:\n  - name: orders_history\n    relation: ref('ordrs')\n    config: {unique_key: id, strategy: check, check_cols: all}\n"},
			stderr: "snapshots/snaps.yml:3:15: error: snapshot \"orders_history\" refs \"ordrs\", which does not exist\n  did you mean \"orders\"?\n" + summary1,
		},
		{
			name:   "YAML snapshot with an empty relation",
			files:  map[string]string{"snapshots/snaps.yml": "snapshots:\n  - name: orders_history\n    relation:\n    config: {unique_key: id, strategy: check}\n"},
			stderr: "snapshots/snaps.yml:3:14: error: snapshot \"orders_history\": relation must be ref('model') or source('source', 'table'), not \"<nil>\"\n" + summary1,
		},
		{
			name: "YAML snapshot named like a SQL snapshot",
			files: map[string]string{
				"snapshots/orders_history.sql": "{% snapshot orders_history %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n",
				"snapshots/snaps.yml":          "snapshots:\n  - name: orders_history\n    relation: ref('orders')\n    config: {unique_key: id, strategy: check}\n",
			},
			stderr: "snapshots/snaps.yml:2: error: duplicate snapshot name \"orders_history\": also defined in snapshots/orders_history.sql\n  names must be unique across the project: rename one of the files, or disable all but one (enabled=false)\n" + summary1,
		},
		{
			name: "two errors",
			files: map[string]string{
				"models/orders.sql":    "select {{ ref('nope') }}\n",
				"models/customers.sql": "select {{ 'x' | nofilter }}\n",
			},
			stderr: "models/customers.sql:1:17: error: unknown filter 'nofilter'\n" +
				"models/orders.sql:1:11: error: model \"orders\" refs \"nope\", which does not exist\n" +
				"error: 2 errors in the project; nothing was changed\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runErrorCase(t, c) })
	}
}

func runErrorCase(t *testing.T, c errorCase) {
	t.Helper()
	dir := project(t, "compile_errors")
	for rel, content := range c.files {
		if content == "" {
			require.NoError(t, os.Remove(filepath.Join(dir, rel)))
			continue
		}
		writeFile(t, dir, rel, content)
	}
	args := c.args
	if args == nil {
		args = []string{"compile"}
	}
	code := c.code
	if code == 0 {
		code = 2
	}
	r := martEnv(t, dir, c.env, args...)
	require.Equal(t, code, r.Code, r.String())
	require.Equal(t, c.stderr, r.Stderr)
	if code == 2 {
		require.Empty(t, r.Stdout)
		requireNoTarget(t, dir)
	}
}

// TestCompileWarnings: an unknown config key is a warning that names the
// closest valid key; the project still compiles.
func TestCompileWarnings(t *testing.T) {
	dir := project(t, "compile_errors")
	writeFile(t, dir, "models/orders.sql", "{{ config(materialised='table') }}\n{{ config({'sort': 'id'}) }}\nselect 1 as id\n")
	writeFile(t, dir, "models/schema.yml", "version: 2\nmodels:\n  - name: orders\n    config:\n      tag: [x]\n")
	writeFile(t, dir, "mart.yml", "name: errs\nmodels:\n  errs:\n    +materialzed: table\n")
	r := mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, strings.Join([]string{
		`mart.yml:4:5: warning: unknown config key "materialzed"`,
		`  did you mean "materialized"?`,
		`models/orders.sql:1:4: warning: unknown config key "materialised": did you mean "materialized"?`,
		`models/orders.sql:2:4: warning: unknown config key "sort"`,
		`models/schema.yml:3: warning: unknown config key "tag" on model "orders"`,
		`  did you mean "tags"?`,
	}, "\n")+"\n", r.Stderr)
	require.FileExists(t, filepath.Join(dir, "target", "manifest.json"))
}
