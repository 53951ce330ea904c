package compiler

import (
	"strings"
	"testing"
)

// TestPatchSeveralSnapshotsFile: a project with a snapshot file of
// several {% snapshot %} blocks keeps a patch snapshot, and every edit
// is patched as in any project but these, which compile whole: the file
// removed, added, or made one of one block, and its folder config (since
// session 44 an edit of the file, a macro or var one of its blocks reads
// are patched: patchblocks.go). Each step's compile equals a cold one.
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
		{name: "the file of several: one block's SQL", patched: true, files: map[string]string{
			"snapshots/snaps.sql": snaps("select id, v from {{ ref('base') }} where id = {{ var('pick', 2) }}")}},
		{name: "after it, another model's SQL", patched: true, files: map[string]string{"models/other.sql": "select 4 as id\n"}},
		{name: "another macro of the macro file they call", patched: true, files: map[string]string{
			"macros/bump.sql": "{% macro bump(c) %}{{ c }}{% endmacro %}\n{% macro other_macro() %}2{% endmacro %}\n"}},
		{name: "the macro they call", patched: true, files: map[string]string{
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

// TestPatchSnapshotBlocks: an edit of a snapshot file of several blocks
// renders each of its blocks again from its place in the new text (the
// blocks it holds found by name): a block's SQL, text between blocks, a
// block's lines moved by its neighbour's edit, a warning at a block's
// line (compiled whole when its lines move), the blocks reordered, a macro only one calls. A block
// added, removed or renamed, or a render that fails, compiles whole.
func TestPatchSnapshotBlocks(t *testing.T) {
	block := func(name, conf, body string) string {
		return "{% snapshot " + name + " %}\n{{ config(unique_key='id', " + conf + ") }}\n" + body + "\n{% endsnapshot %}\n"
	}
	a := func(extra string) string {
		return block("snap_a", "strategy='timestamp', updated_at='ts'", "select id, v, ts from {{ ref('base') }}"+extra)
	}
	b := func(body string) string {
		return block("snap_b", "strategy='check', check_cols=['v']", body)
	}
	// with a config key no adapter knows: a warning at its block's line
	bWarns := func(body string) string {
		return block("snap_b", "strategy='check', check_cols=['v'], unique_kye='x'", body)
	}
	bBody := "select id, {{ tidy('v') }} as v from {{ ref('base') }}"
	file := func(head, aText, between, bText string) string { return head + aText + between + bText }
	project := "name: sb\nversion: \"1.0.0\"\n"
	steps := []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            project,
			"models/base.sql":     "select 1 as id, 'x' as v, timestamp '2024-01-01' as ts\n",
			"macros/tidy.sql":     "{% macro tidy(c) %}trim({{ c }}){% endmacro %}\n",
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody)),
		}},
		{name: "a block's SQL", patched: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(" where id > 0"), "\n", b(bBody))}},
		{name: "the first block longer: the second's lines move", patched: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a("\n-- one\n-- two\nwhere id > 0"), "\n", b(bBody))}},
		{name: "text before and between the blocks", patched: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two snapshots\n\n\n", a("\n-- one\n-- two\nwhere id > 0"), "\n-- between\n\n", b(bBody))}},
		{name: "the macro one calls", patched: true, files: map[string]string{
			"macros/tidy.sql": "{% macro tidy(c) %}lower(trim({{ c }})){% endmacro %}\n"}},
		{name: "the blocks reordered", patched: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", b(bBody), "\n", a(""))}},
		{name: "a block's config", any: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", b(bBody), "\n", block("snap_a", "strategy='timestamp', updated_at='v'", "select id, v, ts from {{ ref('base') }}"))}},
		{name: "back", any: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody))}},
		{name: "a warning in the second block", any: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", bWarns(bBody))}},
		{name: "its lines moved: the warning's line with them", any: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n\n\n", a(""), "\n", bWarns(bBody))}},
		{name: "its SQL, the warning where it was", any: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n\n\n", a(""), "\n", bWarns(bBody+" where 1 = 1"))}},
		{name: "no warning", any: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody))}},
		{name: "a block renamed", patched: false, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", strings.Replace(b(bBody), "snap_b", "snap_c", 1))}},
		{name: "back again", patched: false, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody))}},
		{name: "a block that does not render", coldFails: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b("select {{ nosuch() }} from {{ ref('base') }}"))}},
		{name: "fixed", any: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody+" -- fixed"))}},
		{name: "a third block", patched: false, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody)) + block("snap_d", "strategy='check', check_cols='all'", "select 1 as id")}},
		{name: "the third one's SQL", patched: true, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody)) + block("snap_d", "strategy='check', check_cols='all'", "select 2 as id")}},
		{name: "one removed", patched: false, files: map[string]string{
			"snapshots/snaps.sql": file("-- two\n", a(""), "\n", b(bBody))}},
	}
	runPatchSteps(t, steps)
}
