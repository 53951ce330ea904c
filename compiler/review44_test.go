package compiler

import (
	"fmt"
	"strings"
	"testing"
)

// review44 (session 44 review): the blocks of a snapshot file of several
// patched (41ce28b) and manifest.json's metadata written over its spare
// (ae449c6). Every step's patched compile must equal a cold one.

func r44Block(name, conf, body string) string {
	return "{% snapshot " + name + " %}\n{{ config(unique_key='id', " + conf + ") }}\n" + body + "\n{% endsnapshot %}\n"
}

func r44Project() map[string]string {
	return map[string]string{
		"mart.yml":        "name: rv\nversion: \"1.0.0\"\n",
		"models/base.sql": "select 1 as id, 'x' as v, timestamp '2024-01-01' as ts\n",
		"macros/tidy.sql": "{% macro tidy(c) %}trim({{ c }}){% endmacro %}\n",
	}
}

// TestReview44BlockConfigs: an edit of a file of several blocks that
// changes one block's materialization-like configs (strategy, target_schema,
// unique_key, alias, tags), with a model and the other block reading it.
// Passes.
func TestReview44BlockConfigs(t *testing.T) {
	a := func(conf string) string {
		return r44Block("snap_a", conf, "select id, v, ts from {{ ref('base') }}")
	}
	b := r44Block("snap_b", "strategy='check', check_cols=['v']", "select id, v from {{ ref('snap_a') }}")
	file := func(conf string) string { return "-- two\n" + a(conf) + "\n" + b }
	files := r44Project()
	files["snapshots/snaps.sql"] = file("strategy='timestamp', updated_at='ts'")
	files["models/reads_a.sql"] = "select * from {{ ref('snap_a') }}\n"
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "strategy", any: true, files: map[string]string{"snapshots/snaps.sql": file("strategy='check', check_cols='all'")}},
		{name: "target_schema", any: true, files: map[string]string{"snapshots/snaps.sql": file("strategy='check', check_cols='all', target_schema='hist'")}},
		{name: "alias", any: true, files: map[string]string{"snapshots/snaps.sql": file("strategy='check', check_cols='all', target_schema='hist', alias='a2'")}},
		{name: "unique_key", any: true, files: map[string]string{"snapshots/snaps.sql": strings.Replace(file("strategy='check', check_cols='all', target_schema='hist', alias='a2'"), "unique_key='id'", "unique_key='v'", 1)}},
		{name: "tags", any: true, files: map[string]string{"snapshots/snaps.sql": file("strategy='check', check_cols='all', tags=['x']")}},
		{name: "materialized", any: true, files: map[string]string{"snapshots/snaps.sql": file("strategy='check', check_cols='all', materialized='table'")}},
		{name: "back", any: true, files: map[string]string{"snapshots/snaps.sql": file("strategy='timestamp', updated_at='ts'")}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockDisabled: an edit that disables one block with
// config(enabled=false), then enables it again; and a file whose one
// block is disabled from the start while a macro and a var the enabled
// one reads change. Passes.
func TestReview44BlockDisabled(t *testing.T) {
	a := r44Block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, {{ tidy('v') }} as v, ts from {{ ref('base') }} where id = {{ var('pick', 1) }}")
	b := func(conf string) string {
		return r44Block("snap_b", "strategy='check', check_cols=['v']"+conf, "select id, v from {{ ref('base') }}")
	}
	files := r44Project()
	files["snapshots/snaps.sql"] = a + b("")
	files["models/reads_b.sql"] = "select * from {{ ref('base') }}\n"
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "b disabled", any: true, files: map[string]string{"snapshots/snaps.sql": a + b(", enabled=false")}},
		{name: "a macro a calls", any: true, files: map[string]string{"macros/tidy.sql": "{% macro tidy(c) %}lower({{ c }}){% endmacro %}\n"}},
		{name: "a var a reads", any: true, vars: map[string]any{"pick": 3}},
		{name: "nothing", any: true, vars: map[string]any{"pick": 3}},
		{name: "a model", patched: true, vars: map[string]any{"pick": 3}, files: map[string]string{"models/reads_b.sql": "select 2 as id\n"}},
		{name: "b's SQL while disabled", any: true, vars: map[string]any{"pick": 3}, files: map[string]string{"snapshots/snaps.sql": a + strings.Replace(b(", enabled=false"), "from", "  from", 1)}},
		{name: "b enabled", any: true, vars: map[string]any{"pick": 3}, files: map[string]string{"snapshots/snaps.sql": a + b("")}},
		{name: "the macro again", any: true, vars: map[string]any{"pick": 3}, files: map[string]string{"macros/tidy.sql": "{% macro tidy(c) %}upper({{ c }}){% endmacro %}\n"}},
		{name: "b disabled by a var", any: true, vars: map[string]any{"pick": 3, "off": true}, files: map[string]string{"snapshots/snaps.sql": a + b(", enabled=not var('off', false)")}},
		{name: "the var off", any: true, vars: map[string]any{"pick": 3, "off": false}},
		{name: "the var on", any: true, vars: map[string]any{"pick": 3, "off": true}},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockTextForms: blocks with whitespace control, CRLF line
// endings, a {% snapshot %} tag in a comment or a string, Jinja between
// the blocks, lines that only move, a block without its end tag. Passes.
func TestReview44BlockTextForms(t *testing.T) {
	a := r44Block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, v, ts from {{ ref('base') }}")
	b := r44Block("snap_b", "strategy='check', check_cols=['v']", "select id, {{ tidy('v') }} as v from {{ ref('base') }}")
	ws := func(s string) string {
		s = strings.Replace(s, "{% snapshot", "{%- snapshot", 1)
		return strings.Replace(s, "{% endsnapshot %}", "{%- endsnapshot -%}", 1)
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	files := r44Project()
	files["snapshots/snaps.sql"] = a + b
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "whitespace control", any: true, files: map[string]string{"snapshots/snaps.sql": ws(a) + "\n" + ws(b)}},
		{name: "its SQL", any: true, files: map[string]string{"snapshots/snaps.sql": ws(a) + "\n" + ws(strings.Replace(b, "from", "  from", 1))}},
		{name: "CRLF", any: true, files: map[string]string{"snapshots/snaps.sql": crlf(a + "\n" + b)}},
		{name: "CRLF, a block's SQL", any: true, files: map[string]string{"snapshots/snaps.sql": crlf(a + "\n\n" + strings.Replace(b, "from", "  from", 1))}},
		{name: "back to LF", any: true, files: map[string]string{"snapshots/snaps.sql": a + b}},
		{name: "a tag in a comment between", any: true, files: map[string]string{"snapshots/snaps.sql": a + "{# {% snapshot snap_z %} #}\n" + b}},
		{name: "a tag in a comment inside a block", any: true, files: map[string]string{"snapshots/snaps.sql": a + strings.Replace(b, "select", "{# {% snapshot snap_a %} #} select", 1)}},
		{name: "a tag in a string inside a block", coldFails: true, files: map[string]string{"snapshots/snaps.sql": a + strings.Replace(b, "select", "{{ '-- {% snapshot snap_y %}' }} select", 1)}},
		{name: "back", any: true, files: map[string]string{"snapshots/snaps.sql": a + b}},
		{name: "Jinja between", any: true, files: map[string]string{"snapshots/snaps.sql": a + "{{ config(tags=['between']) }}\n{% set x = 1 %}{{ nosuch() }}\n" + b}},
		{name: "Jinja between edited", any: true, files: map[string]string{"snapshots/snaps.sql": a + "{{ config(tags=['other']) }}\n{{ tidy('q') }}\n" + b}},
		{name: "leading lines", any: true, files: map[string]string{"snapshots/snaps.sql": "\n\n\n" + a + b}},
		{name: "fewer leading lines", any: true, files: map[string]string{"snapshots/snaps.sql": "\n" + a + b}},
		{name: "the last block's end tag gone", coldFails: true, files: map[string]string{"snapshots/snaps.sql": a + strings.Replace(b, "{% endsnapshot %}", "", 1)}},
		{name: "the first block's end tag gone", coldFails: true, files: map[string]string{"snapshots/snaps.sql": strings.Replace(a, "{% endsnapshot %}", "", 1) + b}},
		{name: "fixed", any: true, files: map[string]string{"snapshots/snaps.sql": a + b}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockRefs: blocks that ref each other, a model reading a
// block, YAML entries (description, columns, tests) for the blocks, and
// edits of the file moving the relation a model and a test read. Passes.
func TestReview44BlockRefs(t *testing.T) {
	a := func(conf string) string {
		return r44Block("snap_a", "strategy='timestamp', updated_at='ts'"+conf, "select id, v, ts from {{ ref('base') }}")
	}
	b := func(body string) string {
		return r44Block("snap_b", "strategy='check', check_cols=['v']", body)
	}
	bBody := "select id, v from {{ ref('snap_a') }}"
	props := func(desc string) string {
		return "version: 2\nsnapshots:\n  - name: snap_a\n    description: " + desc + "\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n" +
			"  - name: snap_b\n    description: bee\n    data_tests:\n      - dbt_utils_like: {}\n" +
			"models:\n  - name: reads_b\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	}
	files := r44Project()
	files["snapshots/snaps.sql"] = a("") + b(bBody)
	files["models/reads_b.sql"] = "select * from {{ ref('snap_b') }} join {{ ref('snap_a') }} using (id)\n"
	files["snapshots/_props.yml"] = strings.Replace(props("aye"), "      - dbt_utils_like: {}\n", "      - not_null:\n          column_name: id\n", 1)
	propsNow := func(desc string) string {
		return strings.Replace(props(desc), "      - dbt_utils_like: {}\n", "      - not_null:\n          column_name: id\n", 1)
	}
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "b's SQL", patched: true, files: map[string]string{"snapshots/snaps.sql": a("") + b(bBody+" where id > 0")}},
		{name: "a's alias", any: true, files: map[string]string{"snapshots/snaps.sql": a(", alias='a_two'") + b(bBody+" where id > 0")}},
		{name: "a's schema", any: true, files: map[string]string{"snapshots/snaps.sql": a(", alias='a_two', target_schema='hist'") + b(bBody+" where id > 0")}},
		{name: "reordered", any: true, files: map[string]string{"snapshots/snaps.sql": b(bBody) + a(", alias='a_two', target_schema='hist'")}},
		{name: "a description", patched: true, files: map[string]string{"snapshots/_props.yml": propsNow("the aye")}},
		{name: "a's SQL and the description", any: true, files: map[string]string{
			"snapshots/snaps.sql":  b(bBody) + strings.Replace(a(", alias='a_two', target_schema='hist'"), "from", "  from", 1),
			"snapshots/_props.yml": propsNow("aye aye")}},
		{name: "b refs nothing now", any: true, files: map[string]string{"snapshots/snaps.sql": b("select 1 as id, 'v' as v") + a("")}},
		{name: "b refs a model that is not", coldFails: true, files: map[string]string{"snapshots/snaps.sql": b("select * from {{ ref('nosuch') }}") + a("")}},
		{name: "b refs a again", any: true, files: map[string]string{"snapshots/snaps.sql": b(bBody) + a("")}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockVolatile: a block that reads an env var, with the
// invocation id changing at each compile (as long, then longer) and the
// env var changing (a block reading invocation_id keeps no snapshot at
// all). Passes.
func TestReview44BlockVolatile(t *testing.T) {
	a := r44Block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, v, ts from {{ ref('base') }}")
	b := func(extra string) string {
		return r44Block("snap_b", "strategy='check', check_cols=['v']", "select id, v, '{{ env_var('R44_E', 'none') }}' as e from {{ ref('base') }}"+extra)
	}
	files := r44Project()
	files["snapshots/snaps.sql"] = a + b("")
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "nothing", any: true},
		{name: "nothing again", any: true},
		{name: "the env var", any: true, env: map[string]string{"R44_E": "one"}},
		{name: "the env var again", any: true, env: map[string]string{"R44_E": "two"}},
		{name: "b's SQL", any: true, files: map[string]string{"snapshots/snaps.sql": a + b(" where 1 = 1")}},
		{name: "nothing at last", any: true},
		{name: "a longer id", any: true},
		{name: "the end", any: true},
	}
	runPatchStepsWith(t, steps, func(i int, opt *Options) {
		opt.InvocationID = fmt.Sprintf("inv-%04d", i)
		if steps[i].name == "a longer id" || steps[i].name == "the end" {
			opt.InvocationID = fmt.Sprintf("invocation-%06d", i)
		}
	})
}

// TestReview44BlockNames: duplicate block names, a block named as a
// model, a model added with a block's name, a file of two blocks going to
// three and back, a snapshot of another file sharing a block's name
// (disabled), and a YAML config that disables a block. Passes.
func TestReview44BlockNames(t *testing.T) {
	a := r44Block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, v, ts from {{ ref('base') }}")
	b := func(name, extra string) string {
		return r44Block(name, "strategy='check', check_cols=['v']", "select id, v from {{ ref('base') }}"+extra)
	}
	files := r44Project()
	files["snapshots/snaps.sql"] = a + b("snap_b", "")
	files["models/other.sql"] = "select 1 as id\n"
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "a name twice", coldFails: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_a", "")}},
		{name: "back", any: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", "")}},
		{name: "a block named as a model", coldFails: true, files: map[string]string{"snapshots/snaps.sql": a + b("other", "")}},
		{name: "back again", any: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", "")}},
		{name: "a model named as a block added", coldFails: true, files: map[string]string{"models/snap_b.sql": "select 1 as id\n"}},
		{name: "and removed", any: true, remove: []string{"models/snap_b.sql"}},
		{name: "b's SQL", patched: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 1 = 1")}},
		{name: "three", patched: false, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 1 = 1") + b("snap_c", "")}},
		{name: "the third's SQL", patched: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 1 = 1") + b("snap_c", " where 2 = 2")}},
		{name: "two", patched: false, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 1 = 1")}},
		{name: "a disabled snapshot of b's name elsewhere", any: true, files: map[string]string{
			"snapshots/old_b.sql": strings.Replace(b("snap_b", ""), "check_cols=['v']", "check_cols=['v'], enabled=false", 1)}},
		{name: "b's SQL with it", any: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 2 = 2")}},
		{name: "the old one's SQL", any: true, files: map[string]string{
			"snapshots/old_b.sql": strings.Replace(b("snap_b", " -- old"), "check_cols=['v']", "check_cols=['v'], enabled=false", 1)}},
		{name: "it removed", any: true, remove: []string{"snapshots/old_b.sql"}},
		{name: "b's SQL after", patched: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 3 = 3")}},
		{name: "YAML disables b", any: true, files: map[string]string{"snapshots/_p.yml": "version: 2\nsnapshots:\n  - name: snap_b\n    config:\n      enabled: false\n"}},
		{name: "b's SQL while so", any: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 4 = 4")}},
		{name: "YAML enables b", any: true, files: map[string]string{"snapshots/_p.yml": "version: 2\nsnapshots:\n  - name: snap_b\n    config:\n      enabled: true\n      tags: [y]\n"}},
		{name: "b's SQL then", any: true, files: map[string]string{"snapshots/snaps.sql": a + b("snap_b", " where 5 = 5")}},
		{name: "YAML config of a", any: true, files: map[string]string{"snapshots/_p.yml": "version: 2\nsnapshots:\n  - name: snap_b\n    config:\n      enabled: true\n      tags: [y]\n  - name: snap_a\n    config:\n      tags: [z]\n"}},
		{name: "a's SQL then", any: true, files: map[string]string{"snapshots/snaps.sql": strings.Replace(a, "from", "  from", 1) + b("snap_b", " where 5 = 5")}},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockPackage: a package's snapshot file of several blocks,
// edited, with the package's macro it calls edited with it; a root model
// reading one of its blocks. Passes.
func TestReview44BlockPackage(t *testing.T) {
	blk := func(name, extra string) string {
		return r44Block(name, "strategy='check', check_cols=['v']", "select id, {{ pwrap('v') }} as v from {{ ref('base') }}"+extra)
	}
	pm := func(f string) string { return "{% macro pwrap(c) %}" + f + "({{ c }}){% endmacro %}\n" }
	files := r44Project()
	files["dbt_packages/pk/dbt_project.yml"] = "name: pk\nversion: \"1.0.0\"\n"
	files["dbt_packages/pk/macros/p.sql"] = pm("p")
	files["dbt_packages/pk/snapshots/two.sql"] = blk("pk_a", "") + blk("pk_b", "")
	files["models/reads_pk.sql"] = "select * from {{ ref('pk_b') }}\n"
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "a block's SQL", any: true, files: map[string]string{"dbt_packages/pk/snapshots/two.sql": blk("pk_a", " where 1 = 1") + blk("pk_b", "")}},
		{name: "the macro", any: true, files: map[string]string{"dbt_packages/pk/macros/p.sql": pm("q")}},
		{name: "both", any: true, files: map[string]string{"dbt_packages/pk/macros/p.sql": pm("r"), "dbt_packages/pk/snapshots/two.sql": "\n" + blk("pk_b", "") + blk("pk_a", " where 2 = 2")}},
		{name: "the root model", patched: true, files: map[string]string{"models/reads_pk.sql": "select id from {{ ref('pk_b') }}\n"}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockMacroAndFile: a macro edited with the file of several
// blocks that calls it in one step; the macro alone after the blocks
// moved; a block calling a macro another block defines nothing of; a
// block reading this, model.name and model.raw_code. Passes.
func TestReview44BlockMacroAndFile(t *testing.T) {
	a := func(extra string) string {
		return r44Block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, {{ tidy('v') }} as v, ts, '{{ this }}' as t, '{{ model.name }}' as n from {{ ref('base') }}"+extra)
	}
	b := func(extra string) string {
		return r44Block("snap_b", "strategy='check', check_cols=['v']", "select id, v, {{ (model.raw_code | length) }} as l, '{{ model.original_file_path }}' as p from {{ ref('base') }}"+extra)
	}
	files := r44Project()
	files["snapshots/snaps.sql"] = a("") + b("")
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "the macro and the file", patched: true, files: map[string]string{
			"macros/tidy.sql":     "{% macro tidy(c) %}lower({{ c }}){% endmacro %}\n",
			"snapshots/snaps.sql": "-- moved\n\n" + b(" where 1 = 1") + a(" where 2 = 2")}},
		{name: "the macro alone", patched: true, files: map[string]string{"macros/tidy.sql": "{% macro tidy(c) %}upper({{ c }}){% endmacro %}\n"}},
		{name: "the macro's line", any: true, files: map[string]string{"macros/tidy.sql": "\n\n{% macro tidy(c) %}upper({{ c }}){% endmacro %}\n"}},
		{name: "b's raw code longer", patched: true, files: map[string]string{"snapshots/snaps.sql": "-- moved\n\n" + b(" where 1 = 1 and 2 = 2") + a(" where 2 = 2")}},
		{name: "the macro, b's raw code shorter", patched: true, files: map[string]string{
			"macros/tidy.sql":     "{% macro tidy(c) %}trim({{ c }}){% endmacro %}\n",
			"snapshots/snaps.sql": "-- moved\n\n" + b("") + a(" where 2 = 2")}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockEphemeral: blocks that read an ephemeral model (its
// CTE in front of their SQL) while the ephemeral model is edited, made a
// view and back, with the file edited too. Passes.
func TestReview44BlockEphemeral(t *testing.T) {
	a := func(extra string) string {
		return r44Block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, v, ts from {{ ref('eph') }}"+extra)
	}
	b := r44Block("snap_b", "strategy='check', check_cols=['v']", "select id, v from {{ ref('base') }}")
	eph := func(body string) string { return "{{ config(materialized='ephemeral') }}\n" + body + "\n" }
	files := r44Project()
	files["models/eph.sql"] = eph("select * from {{ ref('base') }}")
	files["snapshots/snaps.sql"] = b + a("")
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "the ephemeral model's SQL", any: true, files: map[string]string{"models/eph.sql": eph("select * from {{ ref('base') }} where id > 0")}},
		{name: "it and the file", any: true, files: map[string]string{
			"models/eph.sql":      eph("select * from {{ ref('base') }} where id > 1"),
			"snapshots/snaps.sql": "\n" + b + a(" where 1 = 1")}},
		{name: "made a view", any: true, files: map[string]string{"models/eph.sql": "select * from {{ ref('base') }} where id > 1\n"}},
		{name: "ephemeral again", any: true, files: map[string]string{"models/eph.sql": eph("select * from {{ ref('base') }} where id > 2")}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockWarnings: a block whose render warns (an unknown
// config key, exceptions.warn) while the other block is edited below it,
// above it, and while a macro it calls changes; hooks in a block's
// config. Passes.
func TestReview44BlockWarnings(t *testing.T) {
	a := r44Block("snap_a", "strategy='timestamp', updated_at='ts', unique_kye='x'", "{% do exceptions.warn('careful') %}select id, {{ tidy('v') }} as v, ts from {{ ref('base') }}")
	b := func(conf, extra string) string {
		return r44Block("snap_b", "strategy='check', check_cols=['v']"+conf, "select id, v from {{ ref('base') }}"+extra)
	}
	files := r44Project()
	files["snapshots/snaps.sql"] = a + b("", "")
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "b below it", patched: true, files: map[string]string{"snapshots/snaps.sql": a + b("", " where 1 = 1")}},
		{name: "the macro a calls", any: true, files: map[string]string{"macros/tidy.sql": "{% macro tidy(c) %}lower({{ c }}){% endmacro %}\n"}},
		{name: "b above it", any: true, files: map[string]string{"snapshots/snaps.sql": b("", " where 1 = 1") + a}},
		{name: "b longer above it", any: true, files: map[string]string{"snapshots/snaps.sql": b("", "\nwhere 1 = 1\n") + a}},
		{name: "b's hooks", any: true, files: map[string]string{"snapshots/snaps.sql": b(", post_hook=\"select 1 from {{ this }}\"", "\nwhere 1 = 1\n") + a}},
		{name: "b's hooks edited", any: true, files: map[string]string{"snapshots/snaps.sql": b(", post_hook=\"select 2 from {{ this }}\"", "\nwhere 1 = 1\n") + a}},
		{name: "b's SQL with them", any: true, files: map[string]string{"snapshots/snaps.sql": b(", post_hook=\"select 2 from {{ this }}\"", "\nwhere 2 = 2\n") + a}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44SpareIDLengths: compiles that change nothing but the
// invocation id, its length changing now and then (longer, shorter,
// empty), with a snapshot file of several blocks in the project and an
// edit of it between. Passes.
func TestReview44SpareIDLengths(t *testing.T) {
	a := r44Block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, v, ts from {{ ref('base') }}")
	b := func(extra string) string {
		return r44Block("snap_b", "strategy='check', check_cols=['v']", "select id, {{ tidy('v') }} as v from {{ ref('base') }}"+extra)
	}
	files := r44Project()
	files["snapshots/snaps.sql"] = a + b("")
	ids := []string{"", "inv-1", "inv-2", "inv-3", "inv-long-4", "inv-long-5", "inv-6", "", "inv-8", "inv-9", "inv-9", "inv-A", "inv-B", "inv-C"}
	steps := []patchStep{{name: "cold", files: files}}
	for i := 1; i < len(ids); i++ {
		s := patchStep{name: fmt.Sprintf("id %q", ids[i]), patched: true}
		if i == 9 {
			s.name, s.files = "b's SQL", map[string]string{"snapshots/snaps.sql": a + b(" where 1 = 1")}
		}
		steps = append(steps, s)
	}
	runPatchStepsWith(t, steps, func(i int, opt *Options) { opt.InvocationID = ids[i] })
}

// TestReview44BlockGraph: edits of a file of several blocks that change
// what a block reads (another ref, a source, no ref, a block of another
// file of several), two such files edited in one step, and a disabled
// model and a singular test that read a block. Passes.
func TestReview44BlockGraph(t *testing.T) {
	a := func(body string) string { return r44Block("snap_a", "strategy='check', check_cols=['v']", body) }
	b := func(body string) string { return r44Block("snap_b", "strategy='check', check_cols=['v']", body) }
	c := func(body string) string { return r44Block("snap_c", "strategy='check', check_cols=['v']", body) }
	d := func(body string) string { return r44Block("snap_d", "strategy='check', check_cols=['v']", body) }
	files := r44Project()
	files["models/other.sql"] = "select 2 as id, 'o' as v\n"
	files["models/_src.yml"] = "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n"
	files["models/off.sql"] = "{{ config(enabled=false) }}\nselect * from {{ ref('snap_b') }}\n"
	files["tests/reads_a.sql"] = "select * from {{ ref('snap_a') }} where id is null\n"
	files["snapshots/one.sql"] = a("select id, v from {{ ref('base') }}") + b("select id, v from {{ ref('base') }}")
	files["snapshots/two.sql"] = c("select id, v from {{ ref('snap_a') }}") + d("select id, v from {{ ref('base') }}")
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "b reads another model", any: true, files: map[string]string{"snapshots/one.sql": a("select id, v from {{ ref('base') }}") + b("select id, v from {{ ref('other') }}")}},
		{name: "b reads a source", any: true, files: map[string]string{"snapshots/one.sql": a("select id, v from {{ ref('base') }}") + b("select id, v from {{ source('raw', 't') }}")}},
		{name: "b reads nothing", any: true, files: map[string]string{"snapshots/one.sql": a("select id, v from {{ ref('base') }}") + b("select 1 as id, 'v' as v")}},
		{name: "b reads d", any: true, files: map[string]string{"snapshots/one.sql": a("select id, v from {{ ref('base') }}") + b("select id, v from {{ ref('snap_d') }}")}},
		{name: "both files", any: true, files: map[string]string{
			"snapshots/one.sql": b("select id, v from {{ ref('snap_d') }} where 1 = 1") + a("select id, v from {{ ref('base') }}"),
			"snapshots/two.sql": d("select id, v from {{ ref('other') }}") + c("select id, v from {{ ref('snap_b') }}")}},
		{name: "a cycle", coldFails: true, files: map[string]string{
			"snapshots/two.sql": d("select id, v from {{ ref('snap_b') }}") + c("select id, v from {{ ref('snap_b') }}")}},
		{name: "no cycle", any: true, files: map[string]string{
			"snapshots/two.sql": d("select id, v from {{ ref('base') }}") + c("select id, v from {{ ref('snap_b') }}")}},
		{name: "the disabled model reads a", any: true, files: map[string]string{"models/off.sql": "{{ config(enabled=false) }}\nselect * from {{ ref('snap_a') }}\n"}},
		{name: "a's SQL", any: true, files: map[string]string{"snapshots/one.sql": b("select id, v from {{ ref('snap_d') }} where 1 = 1") + a("select id, v from {{ ref('base') }} where 2 = 2")}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}

// TestReview44BlockNamedModelDisabled: a disabled model named as a block
// of a file of several; the file edited; the model edited, enabled (the
// names clash) and disabled again. Passes.
func TestReview44BlockNamedModelDisabled(t *testing.T) {
	a := r44Block("snap_a", "strategy='check', check_cols=['v']", "select id, v from {{ ref('base') }}")
	b := func(extra string) string {
		return r44Block("snap_b", "strategy='check', check_cols=['v']", "select id, v from {{ ref('base') }}"+extra)
	}
	off := func(on, body string) string { return "{{ config(enabled=" + on + ") }}\n" + body + "\n" }
	files := r44Project()
	files["snapshots/snaps.sql"] = a + b("")
	files["models/snap_b.sql"] = off("false", "select 1 as id")
	files["models/reads.sql"] = "select * from {{ ref('snap_b') }}\n"
	steps := []patchStep{
		{name: "cold", files: files},
		{name: "the file", any: true, files: map[string]string{"snapshots/snaps.sql": a + b(" where 1 = 1")}},
		{name: "the model's SQL", any: true, files: map[string]string{"models/snap_b.sql": off("false", "select 2 as id")}},
		{name: "both", any: true, files: map[string]string{"models/snap_b.sql": off("false", "select 3 as id"), "snapshots/snaps.sql": b(" where 2 = 2") + a}},
		{name: "the model enabled", coldFails: true, files: map[string]string{"models/snap_b.sql": off("true", "select 3 as id")}},
		{name: "disabled again", any: true, files: map[string]string{"models/snap_b.sql": off("false", "select 4 as id")}},
		{name: "the file at last", any: true, files: map[string]string{"snapshots/snaps.sql": a + b(" where 3 = 3")}},
		{name: "nothing", patched: true},
	}
	runPatchSteps(t, steps)
}
