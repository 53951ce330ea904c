package compiler

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPatchFullRefreshReaders: a compile whose --full-refresh differs from
// its snapshot's patches target/ when every node that may read the option
// is patchable, renders those again (and only those), and equals a cold
// compile with the option; one where a node that is not patchable may
// read it compiles whole and says which. Each case goes without, with,
// without and with the option again.
func TestPatchFullRefreshReaders(t *testing.T) {
	base := map[string]string{
		"mart.yml":     "name: p\n",
		"models/a.sql": "select 1 as id\n",
		"models/b.sql": "select id from {{ ref('a') }}\n",
	}
	cases := []struct {
		name     string
		files    map[string]string
		rendered int    // templates rendered again by each toggle
		whole    string // the reason when it compiles whole
	}{
		{name: "nothing reads it"},
		{name: "a model", rendered: 1, files: map[string]string{
			"models/r.sql": "select {{ 1 if should_full_refresh() else 0 }} as r from {{ ref('a') }}\n"}},
		{name: "a macro a model calls", rendered: 1, files: map[string]string{
			"macros/m.sql": "{% macro mark() %}{{ 'full' if flags.FULL_REFRESH else 'incr' }}{% endmacro %}\n",
			"models/r.sql": "select '{{ mark() }}' as mark\n"}},
		{name: "a macro through another", rendered: 1, files: map[string]string{
			"macros/m.sql": "{% macro inner() %}{{ flags.FULL_REFRESH }}{% endmacro %}\n{% macro outer() %}{{ inner() }}{% endmacro %}\n",
			"models/r.sql": "select {{ outer() }} as f\n"}},
		{name: "an ephemeral model and its reader", rendered: 2, files: map[string]string{ // (its reader's CTE is the new one)
			"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect {{ flags.FULL_REFRESH }} as f\n",
			"models/r.sql": "select * from {{ ref('e') }}\n"}},
		{name: "a model it enables", rendered: 0, files: map[string]string{ // (a disabled model's render is not counted)
			"models/off.sql": "{{ config(enabled=flags.FULL_REFRESH) }}\nselect 1 as x\n",
			"models/c.sql":   "select id from {{ ref('b') }}\n"}},
		{name: "a model whose refs follow it", rendered: 1, files: map[string]string{
			"models/r.sql": "select * from {{ ref('a') if flags.FULL_REFRESH else ref('b') }}\n"}},
		{name: "a model's config", rendered: 1, files: map[string]string{
			"models/r.sql": "{{ config(materialized='table', tags=['full'] if flags.FULL_REFRESH else ['incr']) }}\nselect 1 as x\n"}},
		{name: "a singular test", rendered: 1, files: map[string]string{
			"tests/t.sql": "select * from {{ ref('a') }} where {{ flags.FULL_REFRESH }}\n"}},
		{name: "a snapshot", rendered: 1, files: map[string]string{
			"snapshots/s.sql": "{% snapshot s %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\n" +
				"select id, {{ flags.FULL_REFRESH }} as f from {{ ref('a') }}\n{% endsnapshot %}\n"}},
		{name: "a model a unit test tests", rendered: 1, files: map[string]string{
			"models/r.sql": "select id, {{ 1 if flags.FULL_REFRESH else 0 }} as f from {{ ref('a') }}\n",
			"models/_unit.yml": "version: 2\nunit_tests:\n  - name: r_keeps_ids\n    model: r\n    given:\n" +
				"      - input: ref('a')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n          - {id: 1, f: 0}\n"}},
		{name: "a generic test's macro", files: map[string]string{
			"macros/t.sql":  "{% test fr_only(model, column_name) %}select * from {{ model }} where {{ flags.FULL_REFRESH }}{% endtest %}\n",
			"models/_t.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [fr_only]\n"},
		// (its entry's tests made again: patchtestvars.go)
		},
		{name: "a generic test's macro, the test declared in a package", files: map[string]string{
			"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/models/pm.sql":   "select 1 as id\n",
			"dbt_packages/pk/macros/t.sql":    "{% test fr_only(model, column_name) %}select * from {{ model }} where {{ flags.FULL_REFRESH }}{% endtest %}\n",
			"dbt_packages/pk/models/_t.yml":   "version: 2\nmodels:\n  - name: pm\n    columns:\n      - name: id\n        data_tests: [fr_only]\n"},
			whole: "test.pk.fr_only_pm_id.", // (its hash follows)
		},
		{name: "a description names it (no render reads it)", files: map[string]string{
			"models/_d.yml": "version: 2\nmodels:\n  - name: a\n    description: \"{{ 'flags' }} full_refresh\"\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range c.files {
				files[k] = v
			}
			opt := frProject(t, files)
			for _, fr := range []bool{true, false, true, false} {
				step := c.name + ", --full-refresh=" + strconv.FormatBool(fr)
				p, why := fullRefreshAsCold(t, opt, fr, step)
				if c.whole != "" {
					require.Nil(t, p, step)
					wantWhy := "--full-refresh changed (" + strconv.FormatBool(!fr) + ", then " + strconv.FormatBool(fr) + ") and " + c.whole
					require.True(t, strings.HasPrefix(why, wantWhy), "%s: %q, want %q", step, why, wantWhy)
				} else {
					require.NotNil(t, p, "%s: %s", step, why)
					require.Equal(t, c.rendered, p.Rendered, step)
				}
			}
		})
	}
}

// A compile whose --full-refresh and --empty both differ from the
// snapshot's compiles whole for --empty, and says so: --full-refresh is
// followed, not a reason.
func TestPatchFullRefreshNotTheReason(t *testing.T) {
	opt := frProject(t, map[string]string{"mart.yml": "name: p\n", "models/a.sql": "select 1 as id\n"})
	opt.FullRefresh, opt.Empty = true, true
	forgetReads()
	p, why := CompileByPatch(opt)
	require.Nil(t, p)
	require.Equal(t, "--empty changed (false, then true)", why)
}
