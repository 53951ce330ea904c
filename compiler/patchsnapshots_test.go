package compiler

import (
	"strings"
	"testing"
)

// TestPatchSnapshotConfigs: a snapshot's YAML config and its folder
// config (the project file's snapshots: entry) edited are patched, the
// snapshot made again where its file is (named by its block, not its
// file), with its tests and what reads it as a whole compile makes them.
// Its relation moved while a model reads it, a YAML snapshot's config (in
// YAML or its folder's), a config the compile refuses and a templated one
// compile whole.
func TestPatchSnapshotConfigs(t *testing.T) {
	head := "name: sn\nversion: \"1.0.0\"\n"
	// s_two's strategy is its folder's
	project := func(snaps string) string {
		return head + "snapshots:\n  sn:\n" + snaps + "    sub:\n      +strategy: check\n      +check_cols: all\n"
	}
	snapSQL := func(name, body string) string {
		return "{% snapshot " + name + " %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\n" + body + "\n{% endsnapshot %}\n"
	}
	props := func(conf string) string {
		return "version: 2\nsnapshots:\n  - name: s_hist\n    description: the history\n" + conf +
			"    columns:\n      - name: id\n        data_tests: [not_null]\n" +
			"  - name: y_hist\n    relation: ref('a')\n    config: {unique_key: id, strategy: check, check_cols: all}\n"
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":     project("    +target_schema: snaps\n"),
			"models/a.sql": "select 1 as id, 2 as x\n",
			"models/r.sql": "select * from {{ ref('s_hist') }}\n",
			// (named as its block: its fqn holds the file's name, [sn, s_hist, s_hist], so a folder config by the name applies)
			"snapshots/s_hist.sql":  snapSQL("s_hist", "select id, x from {{ ref('a') }}"),
			"snapshots/sub/two.sql": "{% snapshot s_two %}\n{{ config(unique_key='id') }}\nselect id from {{ ref('a') }}\n{% endsnapshot %}\n",
			"snapshots/_snaps.yml":  props(""),
		}},
		{name: "its YAML config: tags", patched: true, files: map[string]string{
			"snapshots/_snaps.yml": props("    config:\n      tags: [hist]\n")}},
		{name: "its YAML config: meta, and its tests", patched: true, files: map[string]string{
			"snapshots/_snaps.yml": strings.Replace(props("    config:\n      tags: [hist]\n      meta: {owner: ops}\n"), "[not_null]", "[not_null, unique]", 1)}},
		{name: "every snapshot tagged in the project file: a YAML snapshot's too", patched: false, files: map[string]string{
			"mart.yml": project("    +target_schema: snaps\n    +tags: [all]\n")}},
		{name: "one by its block's name", patched: true, files: map[string]string{
			"mart.yml": project("    +target_schema: snaps\n    +tags: [all]\n    s_hist:\n      +meta: {kept: true}\n")}},
		{name: "a folder's: the other", patched: true, files: map[string]string{
			"mart.yml": project("    +target_schema: snaps\n    +tags: [all]\n    s_hist:\n      +meta: {kept: true}\n") + "      +invalidate_hard_deletes: true\n"}},
		{name: "the other's schema: nothing reads it but its own", patched: true, files: map[string]string{
			"mart.yml": project("    +target_schema: snaps\n    +tags: [all]\n    s_hist:\n      +meta: {kept: true}\n") + "      +target_schema: other\n"}},
		{name: "its strategy: timestamp, with updated_at", patched: true, files: map[string]string{
			"mart.yml": strings.Replace(project("    +target_schema: snaps\n    +tags: [all]\n    s_hist:\n      +meta: {kept: true}\n"), "+strategy: check", "+strategy: timestamp\n      +updated_at: id", 1)}},
		{name: "the first's schema: a model reads it", patched: false, files: map[string]string{
			"mart.yml": project("    +target_schema: snaps2\n")}},
		{name: "its YAML config with its SQL", patched: true, files: map[string]string{
			"snapshots/_snaps.yml": props("    config:\n      tags: [h2]\n"),
			"snapshots/s_hist.sql": snapSQL("s_hist", "select id, x + 1 as x from {{ ref('a') }}")}},
		{name: "a YAML snapshot's config", patched: false, files: map[string]string{
			"snapshots/_snaps.yml": strings.Replace(props("    config:\n      tags: [h2]\n"), "check_cols: all}", "check_cols: all, tags: [y]}", 1)}},
		{name: "a strategy the compile refuses", coldFails: true, files: map[string]string{
			"mart.yml": strings.Replace(project("    +target_schema: snaps2\n"), "+strategy: check", "+strategy: sometimes", 1)}},
		{name: "back (as the snapshot has it)", patched: true, files: map[string]string{"mart.yml": project("    +target_schema: snaps2\n")}},
		{name: "templated", patched: false, files: map[string]string{
			"mart.yml": project("    +target_schema: snaps2\n    +tags: [\"{{ var('t', 'u') }}\"]\n")}},
		{name: "plain again", patched: false, files: map[string]string{"mart.yml": project("    +target_schema: snaps2\n")}},
		{name: "disabled: a model refs it", coldFails: true, files: map[string]string{
			"mart.yml": project("    +target_schema: snaps2\n    s_hist:\n      +enabled: false\n")}},
		{name: "enabled (as the snapshot has it)", patched: true, files: map[string]string{"mart.yml": project("    +target_schema: snaps2\n")}},
		{name: "a snapshot file added", patched: true, files: map[string]string{
			"snapshots/three.sql": snapSQL("s_three", "select id from {{ ref('r') }}")}},
		{name: "and tagged", patched: true, files: map[string]string{"mart.yml": project("    +target_schema: snaps2\n    s_three:\n      +tags: [new]\n")}},
		{name: "their schema gone: s_hist's relation moves", patched: false, files: map[string]string{"mart.yml": project("")}},
		{name: "the folder's config as written otherwise", patched: true, files: map[string]string{"mart.yml": head + "snapshots:\n  sn:\n    sub: {+strategy: check, +check_cols: all}\n"}},
	})
}

// TestPatchSnapshotEntryRelation: relation: added to a SQL snapshot's
// YAML entry makes a YAML snapshot of its name, which the compile refuses
// (found by review: the patch made the SQL snapshot again, as for a config
// edit).
func TestPatchSnapshotEntryRelation(t *testing.T) {
	snap := "{% snapshot s_hist %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('a') }}\n{% endsnapshot %}\n"
	props := func(more string) string {
		return "version: 2\nsnapshots:\n  - name: s_hist\n    description: the history\n" + more
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":             "name: rv\nversion: \"1.0.0\"\n",
			"models/a.sql":         "select 1 as id\n",
			"snapshots/hist.sql":   snap,
			"snapshots/_snaps.yml": props(""),
		}},
		{name: "relation: added to its entry", coldFails: true, files: map[string]string{
			"snapshots/_snaps.yml": props("    relation: ref('a')\n")}},
	})
}

// TestPatchModelsEntryNamingSnapshot: a models: entry that names a
// snapshot describes no model (the compile warns); the patch must not
// apply it to the snapshot (found by review).
func TestPatchModelsEntryNamingSnapshot(t *testing.T) {
	snap := "{% snapshot s_hist %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('a') }}\n{% endsnapshot %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":           "name: rv\nversion: \"1.0.0\"\n",
			"models/a.sql":       "select 1 as id\n",
			"snapshots/hist.sql": snap,
			"models/_p.yml":      "version: 2\nmodels:\n  - name: a\n    description: a\n",
		}},
		{name: "a models: entry for the snapshot", patched: false, files: map[string]string{
			"models/_p.yml": "version: 2\nmodels:\n  - name: a\n    description: a\n  - name: s_hist\n    description: wrong kind\n    config:\n      tags: [oops]\n"}},
	})
}

// TestPatchModelBecomesSnapshot: a model's file removed and a snapshot
// of its name added: the model's entry describes no model now, and the
// snapshot must not take it (found by review). Since session 33 that is
// patched: the entry's warning is made as the cold compile makes it.
func TestPatchModelBecomesSnapshot(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":            "name: rv\nversion: \"1.0.0\"\n",
			"models/a.sql":        "select 1 as id\n",
			"models/h.sql":        "select 1 as id\n",
			"models/_p.yml":       "version: 2\nmodels:\n  - name: h\n    description: the model h\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
			"snapshots/other.sql": "{% snapshot s_other %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n",
		}},
		{name: "h a snapshot now", patched: true, remove: []string{"models/h.sql"}, files: map[string]string{
			"snapshots/h.sql": "{% snapshot h %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('a') }}\n{% endsnapshot %}\n"}},
	})
}

// TestPatchSnapshotsReadingSnapshots: snapshots made again that ref one
// another (by their blocks' names, which their files' do not sort as), and
// a model made again in the same save that refs one, are made in the
// order of their refs (addOrder; found by review: refused before).
func TestPatchSnapshotsReadingSnapshots(t *testing.T) {
	snapSQL := func(name, body string) string {
		return "{% snapshot " + name + " %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\n" + body + "\n{% endsnapshot %}\n"
	}
	project := func(conf string) string {
		return "name: sr\nversion: \"1.0.0\"\nsnapshots:\n  sr:\n" + conf + "models:\n  sr:\n    z:\n  " + strings.ReplaceAll(conf, "\n    ", "\n      ")
	}
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{
			"mart.yml":          project("    +meta: {k: 1}\n"),
			"models/a.sql":      "select 1 as id\n",
			"models/z.sql":      "select * from {{ ref('s_one') }}\n",
			"snapshots/a_3.sql": snapSQL("s_three", "select * from {{ ref('s_one') }}"),
			"snapshots/one.sql": snapSQL("s_one", "select * from {{ ref('a') }}"),
		}},
		{name: "every snapshot and model tagged", patched: true, files: map[string]string{"mart.yml": project("    +meta: {k: 1}\n    +tags: [t]\n")}},
		{name: "and back", patched: true, files: map[string]string{"mart.yml": project("    +meta: {k: 1}\n")}},
	})
}
