package compiler

// Review 38c (2b5f4e8: each disabled model keeps what it reads;
// readByDisabled leaves out the disabled models a patch makes again).
// Every step compares the patched compile with a cold one; these passed
// at review and cover what the older tests do not.

import (
	"testing"
)

const r38cHead = "name: tg\nversion: \"1.0.0\"\nmodel-paths: [\"models\"]\n"

func r38cOff(tags string) string {
	return r38cHead + "models:\n  tg:\n    off:\n      +enabled: false\n      +tags: [" + tags + "]\n"
}

// d2 is enabled when ref('x') finds a model
const r38cD2 = "{{ config(enabled=((ref('x').schema | length) > 0)) }}\nselect id from {{ ref('x') }}\n"

// TestReview38cOtherReaderBlocks: d1 (folder-disabled, reading x) made
// again by its folder's config in the save that adds x; d2, disabled by a
// config() that enables it when ref('x') finds a model, still reads x.
func TestReview38cOtherReaderBlocks(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          r38cOff("a"),
			"models/y.sql":      "select 1 as id\n",
			"models/off/d1.sql": "select id from {{ ref('x') }}\n",
			"models/d2.sql":     r38cD2}},
		{name: "folder tags b, x added", patched: false, files: map[string]string{
			"mart.yml":     r38cOff("b"),
			"models/x.sql": "select 1 as id\n"}},
		{name: "d2 and x removed", any: true, remove: []string{"models/d2.sql", "models/x.sql"}},
		{name: "d2 added disabled again", patched: true, files: map[string]string{"models/d2.sql": r38cD2}},
		{name: "folder enabled, x added: d2 still reads x", patched: false, files: map[string]string{
			"mart.yml":     r38cHead,
			"models/x.sql": "select 1 as id\n"}},
		{name: "folder disabled, x removed, d2 removed", any: true, remove: []string{"models/d2.sql", "models/x.sql"}, files: map[string]string{
			"mart.yml": r38cOff("c")}},
		{name: "folder enabled, x added: no reader left", any: true, files: map[string]string{
			"mart.yml":     r38cHead,
			"models/x.sql": "select 1 as id\n"}},
	})
}

// TestReview38cRemadeReadsSource: d, in a disabled folder, whose config
// reads a source's identifier, made again by its folder's config in the
// save that changes that source table's identifier.
func TestReview38cRemadeReadsSource(t *testing.T) {
	src := func(ident string) string {
		return "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        identifier: " + ident + "\n"
	}
	const d = "{{ config(enabled=(source('s','t').identifier == 'tt')) }}\nselect id from {{ source('s','t') }}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         r38cOff("a"),
			"models/a.sql":     "select 1 as id\n",
			"models/src.yml":   src("t0"),
			"models/off/d.sql": d,
			"models/off/e.sql": "select id from {{ source('s','t') }}\n"}},
		{name: "folder tags b, source identifier tt", any: true, files: map[string]string{
			"mart.yml":       r38cOff("b"),
			"models/src.yml": src("tt")}},
	})
}

// TestReview38cSourceAddedTwoReaders: d (folder-disabled, made again by
// the folder's tags) and e (disabled outside the folder) enabled when
// source('s','t') finds a table; t added in the save that remakes d: e
// still reads it. Then with e gone, t removed and added back.
func TestReview38cSourceAddedTwoReaders(t *testing.T) {
	const u = "version: 2\nsources:\n  - name: s\n    tables:\n      - name: u\n"
	const ut = u + "      - name: t\n"
	const on = "{{ config(enabled=((source('s','t').schema | length) > 0)) }}\nselect 1 as id\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":         r38cOff("a"),
			"models/a.sql":     "select 1 as id\n",
			"models/src.yml":   u,
			"models/off/d.sql": on,
			"models/e.sql":     on}},
		{name: "folder tags b, t added", patched: false, files: map[string]string{
			"mart.yml":       r38cOff("b"),
			"models/src.yml": ut}},
		{name: "t removed, e removed", any: true, remove: []string{"models/e.sql"}, files: map[string]string{
			"models/src.yml": u}},
		{name: "folder tags c, t added", any: true, files: map[string]string{
			"mart.yml":       r38cOff("c"),
			"models/src.yml": ut}},
	})
}

// TestReview38cDisabledSnapshotReader: a snapshot disabled by a config()
// that enables it when ref('x') finds a model (DisabledReadsFixed); x
// added while a folder-disabled model is made again.
func TestReview38cDisabledSnapshotReader(t *testing.T) {
	const snap = "{% snapshot sn %}\n{{ config(enabled=((ref('x').schema | length) > 0), strategy='check', unique_key='id', check_cols='all', target_schema='snaps') }}\nselect id from {{ ref('x') }}\n{% endsnapshot %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          r38cOff("a"),
			"models/y.sql":      "select 1 as id\n",
			"snapshots/sn.sql":  snap,
			"models/off/d1.sql": "select id from {{ ref('y') }}\n"}},
		{name: "folder tags b, x added", patched: false, files: map[string]string{
			"mart.yml":     r38cOff("b"),
			"models/x.sql": "select 1 as id\n"}},
	})
}

// TestReview38cRemadeKeepsReads: d2, in a disabled folder, enabled when
// ref('x') finds a model, made again (still disabled) by its folder's
// tags: the reads of its new entry hold x; then x added while a model of
// another disabled folder is made again.
func TestReview38cRemadeKeepsReads(t *testing.T) {
	two := func(t1, t2 string) string {
		return r38cHead + "models:\n  tg:\n    off:\n      +enabled: false\n      +tags: [" + t1 + "]\n    off2:\n      +enabled: false\n      +tags: [" + t2 + "]\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":           two("a", "a"),
			"models/y.sql":       "select 1 as id\n",
			"models/off/d2.sql":  "{{ config(enabled=false) }}\nselect id from {{ ref('y') }}\n",
			"models/off2/d3.sql": "select id from {{ ref('y') }}\n"}},
		{name: "d2 enabled when x is found, folder tags b", patched: true, files: map[string]string{
			"mart.yml":          two("b", "a"),
			"models/off/d2.sql": r38cD2}},
		{name: "off tags c", patched: true, files: map[string]string{"mart.yml": two("c", "a")}},
		{name: "off2 tags b, x added", patched: false, files: map[string]string{
			"mart.yml":     two("c", "b"),
			"models/x.sql": "select 1 as id\n"}},
	})
}
