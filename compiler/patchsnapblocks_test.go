package compiler

import (
	"strings"
	"testing"
)

// TestPatchSeveralSnapshotsFile: a project with a snapshot file of
// several {% snapshot %} blocks keeps a patch snapshot. That file's
// snapshots are not patchable (their nodes share its path): an edit of it,
// its removal, or what changes one of them (a macro it calls, a var it
// reads, the relation it refs, its YAML entry, its folder config)
// compiles whole, and every other edit is patched as in any project. Each
// step's compile equals a cold one.
func TestPatchSeveralSnapshotsFile(t *testing.T) {
	block := func(name, conf, body string) string {
		return "{% snapshot " + name + " %}\n{{ config(unique_key='id', " + conf + ") }}\n" + body + "\n{% endsnapshot %}\n"
	}
	snaps := func(bBody string) string {
		return "-- two snapshots\n" +
			block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, {{ bump('v') }} as v, ts from {{ ref('base') }}") + "\n" +
			block("snap_b", "strategy='check', check_cols=['v']", bBody)
	}
	props := func(desc string) string {
		return "version: 2\nsnapshots:\n  - name: snap_a\n    description: " + desc + "\n    columns:\n      - name: id\n        data_tests: [not_null]\n" +
			"models:\n  - name: other\n    description: other model\n"
	}
	project := func(extra string) string { return "name: sb\nversion: \"1.0.0\"\n" + extra }
	steps := []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":             project(""),
			"models/base.sql":      "select 1 as id, 'x' as v, timestamp '2024-01-01' as ts\n",
			"models/other.sql":     "select 2 as id\n",
			"models/from_b.sql":    "select * from {{ ref('snap_b') }}\n",
			"macros/bump.sql":      "{% macro bump(c) %}{{ c }}{% endmacro %}\n{% macro other_macro() %}1{% endmacro %}\n",
			"snapshots/snaps.sql":  snaps("select id, v from {{ ref('base') }} where id = {{ var('pick', 1) }}"),
			"snapshots/single.sql": block("snap_c", "strategy='check', check_cols=['v']", "select id, v from {{ ref('base') }}"),
			"models/_props.yml":    props("history of base"),
		}},
		{name: "another model's SQL", patched: true, files: map[string]string{"models/other.sql": "select 3 as id\n"}},
		{name: "the model its snapshots read: SQL only", patched: true, files: map[string]string{
			"models/base.sql": "select 1 as id, 'y' as v, timestamp '2024-01-01' as ts\n"}},
		{name: "a single-block snapshot file", patched: true, files: map[string]string{
			"snapshots/single.sql": block("snap_c", "strategy='check', check_cols=['v']", "select id, v from {{ ref('base') }} where id > 0")}},
		{name: "the model that reads one of them", patched: true, files: map[string]string{
			"models/from_b.sql": "select id from {{ ref('snap_b') }}\n"}},
		{name: "the file of several: one block's SQL", patched: false, files: map[string]string{
			"snapshots/snaps.sql": snaps("select id, v from {{ ref('base') }} where id = {{ var('pick', 2) }}")}},
		{name: "after it, another model's SQL", patched: true, files: map[string]string{"models/other.sql": "select 4 as id\n"}},
		{name: "another macro of the macro file they call", patched: true, files: map[string]string{
			"macros/bump.sql": "{% macro bump(c) %}{{ c }}{% endmacro %}\n{% macro other_macro() %}2{% endmacro %}\n"}},
		{name: "the macro they call", patched: false, files: map[string]string{
			"macros/bump.sql": "{% macro bump(c) %}upper({{ c }}){% endmacro %}\n{% macro other_macro() %}2{% endmacro %}\n"}},
		{name: "the var one reads", any: true, vars: map[string]any{"pick": 1}},
		{name: "the relation they ref moves", any: true, files: map[string]string{
			"models/base.sql": "{{ config(alias='base_two') }}\nselect 1 as id, 'y' as v, timestamp '2024-01-01' as ts\n"}},
		{name: "one's YAML description", patched: true, files: map[string]string{"models/_props.yml": props("the history of base")}},
		{name: "another entry's description", patched: true, files: map[string]string{
			"models/_props.yml": strings.Replace(props("the history of base"), "other model", "the other model", 1)}},
		{name: "one's folder config by name", any: true, files: map[string]string{
			"mart.yml": project("snapshots:\n  sb:\n    snaps:\n      snap_b:\n        +tags: [b]\n")}},
		{name: "the file's folder config", any: true, files: map[string]string{
			"mart.yml": project("snapshots:\n  sb:\n    snaps:\n      +tags: [both]\n")}},
		{name: "a model added", patched: true, files: map[string]string{"models/added.sql": "select 5 as id\n"}},
		{name: "a file of several added", patched: false, files: map[string]string{
			"snapshots/more.sql": block("snap_d", "strategy='check', check_cols=['id']", "select id from {{ ref('other') }}") +
				block("snap_e", "strategy='check', check_cols=['id']", "select id from {{ ref('added') }}")}},
		{name: "the file of several made one", patched: false, files: map[string]string{
			"snapshots/more.sql": block("snap_d", "strategy='check', check_cols=['id']", "select id from {{ ref('other') }}")}},
		{name: "that one edited", patched: true, files: map[string]string{
			"snapshots/more.sql": block("snap_d", "strategy='check', check_cols=['id']", "select id + 0 as id from {{ ref('other') }}")}},
		{name: "the model reading one removed", patched: true, remove: []string{"models/from_b.sql"}},
		{name: "the file of several removed", patched: false, remove: []string{"snapshots/snaps.sql"},
			files: map[string]string{"models/_props.yml": "version: 2\nmodels:\n  - name: other\n    description: other model\n"}},
		{name: "and back", patched: false, files: map[string]string{"snapshots/snaps.sql": snaps("select id, v from {{ ref('base') }}")}},
		{name: "then a model's SQL", patched: true, files: map[string]string{"models/other.sql": "select 6 as id\n"}},
	}
	// --vars stays from the step that sets it on
	for i := range steps {
		if steps[i].vars != nil {
			for j := i + 1; j < len(steps); j++ {
				steps[j].vars = steps[i].vars
			}
			break
		}
	}
	runPatchSteps(t, steps)
}
