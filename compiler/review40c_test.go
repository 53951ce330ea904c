package compiler

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Review 40c of the partial-parse patch compile: packages (vars, macro
// overrides, dispatch search_order, package models toggled from the root,
// packages added and removed), toggles (by target, var, env var, config(),
// YAML, folder config; versioned models), ephemeral models (chains,
// switched to a view and back, read by tests, analyses, snapshots, unit
// tests, hooks), seeds (headers, YAML and folder configs) and snapshots
// (strategy, YAML and folder configs, moved, snapshot-paths), and
// selection loads (PatchForRun, PatchReadOnly) after each kind of edit.
//
// No failure was found at the time of the review: about 30 scenarios of
// some 250 steps, every one patched or compiled whole as a cold compile
// makes it; the tests kept are those that reach the patch's less common
// paths (a run's load right after the edit, seeds and snapshots made
// again from their configs, package ephemerals, package vars in YAML).
// Found on the way, cold-compile behaviour (not the patch's): two models
// of one name are an error even when one is disabled (applyPatches'
// index is by type and name before configs), where dbt allows it; a
// snapshot file's second {% snapshot %} block is ignored; a root macro
// named ref does not override ref().

const r40cProj = "name: rc\nversion: \"1.0.0\"\n"

func r40cPkg() map[string]string {
	return map[string]string{
		"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nvars:\n  x: 10\n",
		"dbt_packages/pk/models/pm.sql":   "select {{ var('x') }} as x, {{ pk.pmac() }} as y\n",
		"dbt_packages/pk/models/pn.sql":   "select * from {{ ref('pm') }}\n",
		"dbt_packages/pk/macros/pmac.sql": "{% macro pmac() %}{{ return(adapter.dispatch('pmac', 'pk')()) }}{% endmacro %}\n{% macro default__pmac() %}7{% endmacro %}\n",
		"dbt_packages/pk/seeds/ps.csv":    "id,name\n1,a\n",
	}
}

// r40cRun is `mart run --select ids` (after the step's edit, before the
// compile the step compares): loaded from the snapshot with PatchForRun,
// the selected nodes and their parents must be the cold compile's (SQL,
// config, parents, relation), and the node index its nodes. An id ending
// in * selects the cold compile's ids of that prefix.
func r40cRun(ids ...string) func(t *testing.T, dir string) {
	return r40cRunOpt(nil, false, ids...)
}

// r40cRunOpt is r40cRun with its options set by mod; readOnly: `mart ls`
// (PatchReadOnly: nothing written).
func r40cRunOpt(mod func(o *Options), readOnly bool, ids ...string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		opt := Options{ProjectDir: dir, InvocationID: "inv"}
		if mod != nil {
			mod(&opt)
		}
		forgetReads()
		cold, cd := Compile(opt)
		if cold == nil {
			t.Logf("run: cold fails: %v", diagLines(cd))
			return
		}
		cold.DropPatch()
		var sel []string
		for _, id := range ids {
			if pre, ok := strings.CutSuffix(id, "*"); ok {
				for _, cid := range cold.Manifest.AllIDs() {
					if strings.HasPrefix(cid, pre) {
						sel = append(sel, cid)
					}
				}
			} else {
				sel = append(sel, id)
			}
		}
		ids = sel
		forgetReads()
		opt.PartialParse, opt.PatchForRun, opt.PatchReadOnly = true, true, readOnly
		p, why := CompileByPatch(opt)
		if p == nil {
			t.Logf("run %v: no patch: %s", ids, why)
			return
		}
		g, why := p.SelectorGraph()
		require.NotNil(t, g, why)
		var gids, cids []string
		for id := range g.Nodes {
			gids = append(gids, id)
		}
		cids = append(cids, cold.Manifest.AllIDs()...)
		for id := range cold.Manifest.Sources {
			if !slices.Contains(cids, id) {
				cids = append(cids, id)
			}
		}
		sort.Strings(gids)
		sort.Strings(cids)
		require.Equal(t, cids, gids, "run %v: the graph's nodes", ids)
		res, why := p.Result(ids)
		if res == nil {
			t.Logf("run %v: no result: %s", ids, why)
			return
		}
		for _, id := range res.Manifest.AllIDs() {
			want, got := cold.Manifest.Node(id), res.Manifest.Node(id)
			require.NotNil(t, want, "run %v: %s is not the cold compile's", ids, id)
			wc, _ := typedJSON(nil, map[string]any(want.Config))
			gc, _ := typedJSON(nil, map[string]any(got.Config))
			require.Equal(t, fmt.Sprint(want.CompiledCode, "|", want.Relation, "|", want.DependsOn.Nodes, "|", want.DependsOn.Macros, "|", string(wc)),
				fmt.Sprint(got.CompiledCode, "|", got.Relation, "|", got.DependsOn.Nodes, "|", got.DependsOn.Macros, "|", string(gc)), "run %v: %s", ids, id)
		}
		for _, id := range ids {
			require.NotNil(t, res.Manifest.Node(id), "run %v: %s loaded", ids, id)
		}
		if !readOnly {
			require.NoError(t, res.WriteTarget(ids))
			res.KeepPatchOfRun(ids, p.Diags, p.Counts, p.Selected)
		}
	}
}

// TestReview40cRunToggles: a run loaded right after a model is enabled
// or disabled (by its config(), by a var, by YAML), selecting its tests.
func TestReview40cRunToggles(t *testing.T) {
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": r40cProj,
			"models/m.sql": "select 1 as id\n", "models/v.sql": "{{ config(enabled=var('on', false)) }}\nselect 3 as id\n",
			"models/n.sql":  "select * from {{ ref('m') }}\n",
			"models/_t.yml": "version: 2\nmodels:\n  - name: v\n    columns:\n      - name: id\n        data_tests: [unique]\n"}}},
		{patchStep: patchStep{name: "v enabled by its config, run n", files: map[string]string{"models/v.sql": "select 3 as id\n"}, any: true}, do: r40cRun("model.rc.n")},
		{patchStep: patchStep{name: "n refs v, run n", files: map[string]string{"models/n.sql": "select * from {{ ref('v') }}\n"}, any: true}, do: r40cRun("model.rc.n")},
		{patchStep: patchStep{name: "v disabled, n on m, run n", files: map[string]string{"models/v.sql": "{{ config(enabled=false) }}\nselect 3 as id\n", "models/n.sql": "select * from {{ ref('m') }}\n"}, any: true}, do: r40cRun("model.rc.n")},
		{patchStep: patchStep{name: "v enabled, run tests", files: map[string]string{"models/v.sql": "select 5 as id\n"}, any: true}, do: r40cRun("test.*", "model.rc.v")},
		{patchStep: patchStep{name: "v disabled by var, run all", vars: map[string]any{"on": true}, files: map[string]string{"models/v.sql": "{{ config(enabled=var('on', false)) }}\nselect 6 as id\n"}, any: true}, do: r40cRunOpt(func(o *Options) { o.Vars = map[string]any{"on": true} }, false, "test.*", "model.*")},
		{patchStep: patchStep{name: "v edited, run --vars off", vars: map[string]any{"on": false}, files: map[string]string{"models/v.sql": "{{ config(enabled=var('on', false)) }}\nselect 7 as id\n"}, any: true}, do: r40cRunOpt(func(o *Options) { o.Vars = map[string]any{"on": false} }, false, "test.*", "model.*")},
		{patchStep: patchStep{name: "v edited, run --vars on", vars: map[string]any{"on": true}, files: map[string]string{"models/v.sql": "{{ config(enabled=var('on', false)) }}\nselect 8 as id\n"}, any: true}, do: r40cRunOpt(func(o *Options) { o.Vars = map[string]any{"on": true} }, false, "test.*", "model.*")},
		{patchStep: patchStep{name: "v enabled by YAML, run m", files: map[string]string{"models/v.sql": "{{ config(enabled=var('on', false)) }}\nselect 3 as id\n", "models/_t.yml": "version: 2\nmodels:\n  - name: v\n    config:\n      enabled: true\n    columns:\n      - name: id\n        data_tests: [unique]\n"}, any: true}, do: r40cRun("model.rc.m")},
	})
}

// TestReview40cSeedConfigs: a seed's config edited in YAML and in the
// project file's seeds: (alias, schema, tags, column_types, quote_columns,
// delimiter, docs, database) while a model reads it.
func TestReview40cSeedConfigs(t *testing.T) {
	y := func(cfg string) string {
		return "version: 2\nseeds:\n  - name: s\n    config:\n" + cfg + "    columns:\n      - name: id\n        data_tests: [unique]\n"
	}
	proj := func(cfg string) string { return r40cProj + "seeds:\n  rc:\n" + cfg }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": proj("    +quote_columns: false\n"),
			"seeds/s.csv": "id,name\n1,a\n", "seeds/sub/u.csv": "id\n1\n",
			"models/m.sql": "select * from {{ ref('s') }} join {{ ref('u') }} using (id)\n",
			"seeds/_s.yml": y("      column_types: {id: bigint}\n")}},
		{name: "alias by YAML", files: map[string]string{"seeds/_s.yml": y("      alias: s2\n")}, any: true},
		{name: "schema by YAML", files: map[string]string{"seeds/_s.yml": y("      schema: sx\n")}, any: true},
		{name: "tags and meta by YAML", files: map[string]string{"seeds/_s.yml": y("      schema: sx\n      tags: [a]\n      meta: {k: 1}\n")}, any: true},
		{name: "column_types by YAML", files: map[string]string{"seeds/_s.yml": y("      schema: sx\n      column_types: {name: varchar(3)}\n")}, any: true},
		{name: "enabled false by YAML (m refs it)", files: map[string]string{"seeds/_s.yml": y("      enabled: false\n")}, coldFails: true},
		{name: "back", files: map[string]string{"seeds/_s.yml": y("      column_types: {id: bigint}\n")}, any: true},
		{name: "folder alias", files: map[string]string{"mart.yml": proj("    sub:\n      +alias: uu\n")}, any: true},
		{name: "folder schema", files: map[string]string{"mart.yml": proj("    sub:\n      +schema: ss\n")}, any: true},
		{name: "folder quote and delimiter", files: map[string]string{"mart.yml": proj("    +quote_columns: true\n    sub:\n      +delimiter: \"|\"\n")}, any: true},
		{name: "folder column_types on s, YAML too", files: map[string]string{"mart.yml": proj("    s:\n      +column_types: {id: int, name: text}\n")}, any: true},
		{name: "folder docs", files: map[string]string{"mart.yml": proj("    +docs: {show: false}\n    +persist_docs: {relation: true}\n")}, any: true},
		{name: "folder tags and YAML tags", files: map[string]string{"mart.yml": proj("    +tags: [x]\n"), "seeds/_s.yml": y("      tags: [y]\n")}, any: true},
		{name: "folder full_refresh", files: map[string]string{"mart.yml": proj("    +full_refresh: true\n    +tags: [x]\n")}, any: true},
		{name: "folder database", files: map[string]string{"mart.yml": proj("    +database: otherdb\n")}, any: true},
	})
}

// TestReview40cSnapshotEdits: snapshots' folder and YAML configs
// (strategy, tags, schema) edited, blocks renamed and swapped.
func TestReview40cSnapshotEdits(t *testing.T) {
	blk := func(name, cfg string) string {
		return "{% snapshot " + name + " %}\n{{ config(" + cfg + ") }}\nselect * from {{ ref('m') }}\n{% endsnapshot %}\n"
	}
	chk := "unique_key='id', strategy='check', check_cols='all'"
	proj := func(cfg string) string { return r40cProj + "snapshots:\n  rc:\n" + cfg }
	y := "version: 2\nsnapshots:\n  - name: sn\n    config:\n      tags: [y]\n    columns:\n      - name: id\n        data_tests: [unique]\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": proj("    +target_schema: snaps\n"),
			"models/m.sql": "select 1 as id, now() as u\n", "models/r.sql": "select * from {{ ref('sn') }}\n",
			"snapshots/a.sql": blk("sn", chk), "snapshots/b.sql": blk("so", chk) + blk("sp", chk),
			"snapshots/_s.yml": y}},
		{name: "folder strategy", files: map[string]string{"mart.yml": proj("    +target_schema: snaps\n    +strategy: timestamp\n    +updated_at: u\n")}, any: true},
		{name: "folder tags", files: map[string]string{"mart.yml": proj("    +target_schema: snaps\n    +tags: [f]\n")}, any: true},
		{name: "folder schema (r reads sn)", files: map[string]string{"mart.yml": proj("    +target_schema: snaps2\n    +tags: [f]\n")}, any: true},
		{name: "YAML tags", files: map[string]string{"snapshots/_s.yml": strings.Replace(y, "[y]", "[y, z]", 1)}, any: true},
		{name: "YAML strategy", files: map[string]string{"snapshots/_s.yml": strings.Replace(y, "tags: [y]", "strategy: timestamp\n      updated_at: u", 1)}, any: true},
		{name: "sp renamed", files: map[string]string{"snapshots/b.sql": blk("so", chk) + blk("sq", chk)}, any: true},
		{name: "blocks swapped", files: map[string]string{"snapshots/b.sql": blk("sq", chk) + blk("so", chk)}, any: true},
		{name: "second block's config", files: map[string]string{"snapshots/b.sql": blk("sq", chk) + blk("so", "unique_key='id', strategy='timestamp', updated_at='u'")}, any: true},
		{name: "so's folder config", files: map[string]string{"mart.yml": proj("    +target_schema: snaps2\n    +tags: [f]\n    b:\n      +tags: [g]\n")}, any: true},
		{name: "sn renamed to so (dup)", files: map[string]string{"snapshots/a.sql": blk("so", chk)}, coldFails: true},
		{name: "sn renamed to sx (r refs sn)", files: map[string]string{"snapshots/a.sql": blk("sx", chk)}, coldFails: true},
		{name: "r refs sx", files: map[string]string{"models/r.sql": "select * from {{ ref('sx') }}\n"}, any: true},
		{name: "sx config edited", files: map[string]string{"snapshots/a.sql": blk("sx", "unique_key='id', strategy='timestamp', updated_at='u'")}, any: true},
	})
}

// TestReview40cRunTests: after edits of ephemerals, a seed and a
// snapshot, a run loaded from the snapshot selecting tests, snapshots,
// seeds: their SQL must be the cold compile's (ephemeral CTEs included).
func TestReview40cRunTests(t *testing.T) {
	e := func(body string) string { return "{{ config(materialized='ephemeral') }}\n" + body }
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": r40cProj,
			"models/e1.sql": e("select 1 as id\n"), "models/e2.sql": e("select * from {{ ref('e1') }}\n"),
			"models/m.sql":       "select * from {{ ref('e2') }}\n",
			"seeds/s.csv":        "id\n1\n",
			"snapshots/sn.sql":   "{% snapshot sn %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='s') }}\nselect * from {{ ref('e2') }}\n{% endsnapshot %}\n",
			"tests/assert_e.sql": "select * from {{ ref('e1') }} where id < 0\n",
			"models/_t.yml":      "version: 2\nmodels:\n  - name: e2\n    columns:\n      - name: id\n        data_tests: [unique, {relationships: {to: ref('s'), field: id}}]\n  - name: m\n    columns:\n      - name: id\n        data_tests: [{relationships: {to: ref('e1'), field: id}}]\n"}}},
		{patchStep: patchStep{name: "e1 edited, run the tests", files: map[string]string{"models/e1.sql": e("select 2 as id\n")}, any: true}, do: r40cRun("test.*")},
		{patchStep: patchStep{name: "e1 edited, run the snapshot", files: map[string]string{"models/e1.sql": e("select 3 as id\n")}, any: true}, do: r40cRun("snapshot.*")},
		{patchStep: patchStep{name: "e2 edited, run everything", files: map[string]string{"models/e2.sql": e("select id + 1 as id from {{ ref('e1') }}\n")}, any: true}, do: r40cRun("test.*", "model.*", "snapshot.*", "seed.*")},
		{patchStep: patchStep{name: "seed header, run tests", files: map[string]string{"seeds/s.csv": "id,k\n1,2\n"}, any: true}, do: r40cRun("test.*")},
		{patchStep: patchStep{name: "seed config, run tests", files: map[string]string{"seeds/_s.yml": "version: 2\nseeds:\n  - name: s\n    config:\n      tags: [t]\n"}, any: true}, do: r40cRun("test.*")},
		{patchStep: patchStep{name: "seed config edited, run seed", files: map[string]string{"seeds/_s.yml": "version: 2\nseeds:\n  - name: s\n    config:\n      tags: [u]\n      column_types: {id: int}\n"}, any: true}, do: r40cRun("seed.*")},
		{patchStep: patchStep{name: "snapshot strategy, run it", files: map[string]string{"snapshots/sn.sql": "{% snapshot sn %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='id', target_schema='s') }}\nselect * from {{ ref('e2') }}\n{% endsnapshot %}\n"}, any: true}, do: r40cRun("snapshot.*")},
		{patchStep: patchStep{name: "snapshot folder config, run it", files: map[string]string{"mart.yml": r40cProj + "snapshots:\n  +tags: [z]\n"}, any: true}, do: r40cRun("snapshot.*")},
	})
}

// TestReview40cPackageVarInYAML: a package's own var read by its YAML
// (description, config, test), its model, its macro (called from a root
// model too), edited under and without a root var of that name.
func TestReview40cPackageVarInYAML(t *testing.T) {
	pp := func(x string) string { return "name: pk\nversion: \"1.0.0\"\nvars:\n  x: " + x + "\n  y: 1\n" }
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(r40cPkg(), "mart.yml", r40cProj, "models/m.sql", "select * from {{ ref('pm') }}\n",
			"dbt_packages/pk/dbt_project.yml", pp("10"),
			"dbt_packages/pk/models/pm.sql", "select {{ var('y') }} as x\n",
			"dbt_packages/pk/models/_p.yml", "version: 2\nmodels:\n  - name: pm\n    description: \"x is {{ var('x') }}\"\n    config:\n      tags: [\"t{{ var('x') }}\"]\n    columns:\n      - name: x\n        data_tests: [{accepted_values: {values: [\"{{ var('x') }}\"]}}]\n",
			"dbt_packages/pk/macros/pv.sql", "{% macro pv() %}{{ var('x', 0) }}{% endmacro %}\n",
			"dbt_packages/pk/models/pq.sql", "select {{ pk.pv() }} as v\n",
			"models/r.sql", "select {{ pk.pv() }} as v\n")},
		{name: "x edited", files: map[string]string{"dbt_packages/pk/dbt_project.yml": pp("11")}, any: true},
		{name: "x edited again", files: map[string]string{"dbt_packages/pk/dbt_project.yml": pp("12")}, any: true},
		{name: "root's global x", files: map[string]string{"mart.yml": r40cProj + "vars:\n  x: 5\n"}, any: true},
		{name: "x edited under root's", files: map[string]string{"dbt_packages/pk/dbt_project.yml": pp("13")}, any: true},
		{name: "root's x gone", files: map[string]string{"mart.yml": r40cProj}, any: true},
		{name: "x removed from the package", files: map[string]string{"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nvars:\n  y: 1\n"}, coldFails: true},
		{name: "x back", files: map[string]string{"dbt_packages/pk/dbt_project.yml": pp("14")}, any: true},
	})
}

// TestReview40cRunOtherVars: `mart ls` / a run with --vars or --target
// other than the snapshot's, toggling models by var and by target.
func TestReview40cRunOtherVars(t *testing.T) {
	on := func(v any) func(o *Options) { return func(o *Options) { o.Vars = map[string]any{"on": v} } }
	tgt := func(name string) func(o *Options) { return func(o *Options) { o.Target = name } }
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: map[string]string{"mart.yml": r40Proj + "models:\n  r40:\n    p:\n      +enabled: \"{{ target.name == 'prod' }}\"\n", "profiles.yml": r40Profile("main"),
			"models/m.sql": "select {{ var('on', 0) }} as id\n", "models/v.sql": "{{ config(enabled=var('on', false)) }}\nselect 3 as id\n",
			"models/p/pm.sql": "select 1 as id\n",
			"models/n.sql":    "select * from {{ ref('m') }}\n",
			"models/_t.yml":   "version: 2\nmodels:\n  - name: v\n    columns:\n      - name: id\n        data_tests: [unique]\n"}}},
		{patchStep: patchStep{name: "ls --vars on", any: true}, do: r40cRunOpt(on(true), true, "model.*")},
		{patchStep: patchStep{name: "run --vars on", any: true}, do: r40cRunOpt(on(true), false, "model.*")},
		{patchStep: patchStep{name: "ls --vars off", any: true}, do: r40cRunOpt(on(false), true, "model.*", "test.*")},
		{patchStep: patchStep{name: "v edited, ls --vars on", files: map[string]string{"models/v.sql": "{{ config(enabled=var('on', false)) }}\nselect 4 as id\n"}, any: true}, do: r40cRunOpt(on(true), true, "model.*", "test.*")},
		{patchStep: patchStep{name: "ls --target prod", any: true}, do: r40cRunOpt(tgt("prod"), true, "model.*")},
		{patchStep: patchStep{name: "run --target prod", any: true}, do: r40cRunOpt(tgt("prod"), false, "model.*")},
		{patchStep: patchStep{name: "pm edited, run --target prod", files: map[string]string{"models/p/pm.sql": "select 2 as id\n"}, any: true}, do: r40cRunOpt(tgt("prod"), false, "model.*")},
	})
}

// TestReview40cEphemeralByVar: a model made ephemeral or not, and an
// ephemeral one enabled or not, by --vars.
func TestReview40cEphemeralByVar(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r40cProj,
			"models/e.sql":   "{{ config(materialized=var('mat', 'ephemeral')) }}\nselect 1 as id\n",
			"models/f.sql":   "{{ config(materialized='ephemeral', enabled=var('on', true)) }}\nselect 2 as id\n",
			"models/m.sql":   "select * from {{ ref('e') }}\n",
			"analyses/a.sql": "select * from {{ ref('e') }}\n",
			"models/_t.yml":  "version: 2\nmodels:\n  - name: f\n    columns:\n      - name: id\n        data_tests: [unique]\n  - name: e\n    columns:\n      - name: id\n        data_tests: [unique]\n"}},
		{name: "mat view", vars: map[string]any{"mat": "view"}, any: true},
		{name: "mat ephemeral", vars: map[string]any{"mat": "ephemeral"}, any: true},
		{name: "mat table", vars: map[string]any{"mat": "table"}, any: true},
		{name: "mat default", any: true},
		{name: "f off", vars: map[string]any{"on": false}, any: true},
		{name: "f on", vars: map[string]any{"on": true}, any: true},
		{name: "f off, mat view", vars: map[string]any{"on": false, "mat": "view"}, any: true},
		{name: "f on, mat ephemeral", vars: map[string]any{"on": true, "mat": "ephemeral"}, any: true},
	})
}

// TestReview40cPackageEphemeral: a package's ephemeral chain read by a
// root model and a root test; it, the dispatched macro it calls and the
// root's override of that macro edited; runs loaded after.
func TestReview40cPackageEphemeral(t *testing.T) {
	pe := func(n string) string {
		return "{{ config(materialized='ephemeral') }}\nselect " + n + " as id, {{ pk.pmac() }} as k\n"
	}
	r39Run(t, []r39Step{
		{patchStep: patchStep{name: "cold", files: withFiles(r40cPkg(), "mart.yml", r40cProj,
			"dbt_packages/pk/models/pe.sql", pe("1"),
			"dbt_packages/pk/models/pf.sql", "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('pe') }}\n",
			"models/m.sql", "select * from {{ ref('pf') }}\n", "models/n.sql", "select * from {{ ref('m') }}\n",
			"models/_t.yml", "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [{relationships: {to: ref('pe'), field: id}}]\n")}},
		{patchStep: patchStep{name: "pe edited", files: map[string]string{"dbt_packages/pk/models/pe.sql": pe("2")}, any: true}},
		{patchStep: patchStep{name: "pe edited, run m", files: map[string]string{"dbt_packages/pk/models/pe.sql": pe("3")}, any: true}, do: r40cRun("model.rc.m")},
		{patchStep: patchStep{name: "pe edited, run tests", files: map[string]string{"dbt_packages/pk/models/pe.sql": pe("4")}, any: true}, do: r40cRun("test.*")},
		{patchStep: patchStep{name: "the macro pe calls edited", files: map[string]string{"dbt_packages/pk/macros/pmac.sql": "{% macro pmac() %}{{ return(adapter.dispatch('pmac', 'pk')()) }}{% endmacro %}\n{% macro default__pmac() %}77{% endmacro %}\n"}, any: true}},
		{patchStep: patchStep{name: "root overrides it by dispatch", files: map[string]string{"mart.yml": r40cProj + "dispatch:\n  - macro_namespace: pk\n    search_order: [rc, pk]\n", "macros/o.sql": "{% macro default__pmac() %}88{% endmacro %}\n"}, any: true}},
		{patchStep: patchStep{name: "root's override edited", files: map[string]string{"macros/o.sql": "{% macro default__pmac() %}99{% endmacro %}\n"}, any: true}},
		{patchStep: patchStep{name: "root's override edited, run n", files: map[string]string{"macros/o.sql": "{% macro default__pmac() %}100{% endmacro %}\n"}, any: true}, do: r40cRun("model.rc.n")},
	})
}
