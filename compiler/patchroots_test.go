package compiler

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPatchFirstFileOfARoot: a path root with no file the compile reads
// (a new project's tests/, macros/, seeds/, snapshots/, kept by a
// .gitkeep) or none at all takes its first file by patch: the root
// stands for its kind (patchHead.Roots). Analyses are never added by a
// patch.
func TestPatchFirstFileOfARoot(t *testing.T) {
	snapshot := "{% snapshot s_hist %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: roots\n", "models/m.sql": "select 1 as id\n",
			"tests/.gitkeep": "", "macros/.gitkeep": "", "seeds/.gitkeep": "", "snapshots/.gitkeep": "", "analyses/.gitkeep": ""}},
		{name: "the first singular test, in an empty tests/", files: map[string]string{"tests/assert_m.sql": "select * from {{ ref('m') }} where id < 0\n"}, patched: true},
		{name: "a second one beside it", files: map[string]string{"tests/assert_m2.sql": "select * from {{ ref('m') }} where id > 9\n"}, patched: true},
		{name: "the first macro, in an empty macros/", files: map[string]string{"macros/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}, patched: true},
		{name: "a model calling it", files: map[string]string{"models/n.sql": "select id from {{ ref('m') }} where not {{ neg('id') }}\n"}, patched: true},
		{name: "the first seed, in an empty seeds/", files: map[string]string{"seeds/codes.csv": "id,code\n1,a\n"}, patched: true},
		{name: "the first snapshot, in an empty snapshots/", files: map[string]string{"snapshots/hist.sql": snapshot}, patched: true},
		{name: "the first analysis, in an empty analyses/ (never added by a patch)", files: map[string]string{"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}, patched: false},
		{name: "a test in a new folder of tests/", files: map[string]string{"tests/more/assert_n.sql": "select * from {{ ref('n') }} where id < 0\n"}, patched: true},
		{name: "all tests removed", remove: []string{"tests/assert_m.sql", "tests/assert_m2.sql", "tests/more/assert_n.sql"}, patched: true},
		{name: "one added again", files: map[string]string{"tests/assert_m.sql": "select * from {{ ref('m') }} where id < 1\n"}, patched: true},
	})
	// a root missing in the cold compile, which appears with its first
	// file (and a folder of its own)
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: roots\n", "models/m.sql": "select 1 as id\n"}},
		{name: "tests/ appears with a test", files: map[string]string{"tests/assert_m.sql": "select * from {{ ref('m') }} where id < 0\n"}, patched: true},
		{name: "macros/ appears with a folder", files: map[string]string{"macros/util/neg.sql": "{% macro neg(c) %}{{ c }} < 0{% endmacro %}\n"}, patched: true},
		{name: "a test calling it", files: map[string]string{"tests/assert_n.sql": "select * from {{ ref('m') }} where {{ neg('id') }}\n"}, patched: true},
		{name: "snapshots/ appears empty", files: map[string]string{"snapshots/.gitkeep": ""}, patched: true},
		{name: "and takes a snapshot", files: map[string]string{"snapshots/hist.sql": snapshot}, patched: true},
	})
}

// TestRootTemplates: only the root project's roots that no other root is,
// holds or is held by stand for their kind.
func TestRootTemplates(t *testing.T) {
	root, pkg := &Project{}, &Project{}
	inv := &inventory{roots: []inventoryRoot{
		{dir: "/p/models", kind: "models", root: "models", proj: root},
		{dir: "/p/models/checks", kind: "tests", root: "models/checks", proj: root}, // held by models/
		{dir: "/p/tests", kind: "tests", root: "tests", proj: root},
		{dir: "/p/macros", kind: "macros", root: "macros", proj: root},
		{dir: "/p/macros", kind: "docs", root: "macros", proj: root}, // two kinds
		{dir: "/p/seeds", kind: "seeds", root: "seeds", proj: root},
		{dir: "/p/seeds/pkg", kind: "models", root: "seeds/pkg", proj: pkg}, // a package's, inside seeds/
		{dir: "/p/snapshots", kind: "snapshots", root: "snapshots", proj: root},
		{dir: "/p/dbt_packages/x/models", kind: "models", root: "dbt_packages/x/models", proj: pkg},
	}}
	var got []string
	for _, r := range inv.rootTemplates(root) {
		got = append(got, r.Kind+" "+r.Path+" "+r.Root)
	}
	require.Equal(t, []string{"tests /p/tests tests", "snapshots /p/snapshots snapshots"}, got)
}
