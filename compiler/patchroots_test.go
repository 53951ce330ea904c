package compiler

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPatchFirstFileOfARoot: a path root with no file the compile reads
// (a new project's tests/, macros/, seeds/, snapshots/, kept by a
// .gitkeep) or none at all takes its first file by patch: the root
// stands for its kind (patchHead.Roots).
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
		{name: "the first analysis, in an empty analyses/", files: map[string]string{"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}, patched: true},
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

// TestPatchAnalysesAdded: an analysis file added is patched as a singular
// test is: compiled, never built, no name ref() finds.
func TestPatchAnalysesAdded(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: an\n", "models/m.sql": "select 1 as id\n", "models/n.sql": "select 2 as id\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n", "macros/c.sql": "{% macro cnt() %}count(*){% endmacro %}\n"}},
		{name: "an analysis added beside one", files: map[string]string{"analyses/b.sql": "select {{ cnt() }} from {{ ref('n') }}\n"}, patched: true},
		{name: "one with a model's name", files: map[string]string{"analyses/n.sql": "select id from {{ ref('n') }}\n"}, patched: true},
		{name: "one in a new folder", files: map[string]string{"analyses/more/c.sql": "select id from {{ ref('m') }} join {{ ref('n') }} using (id)\n"}, patched: true},
		{name: "one with its own config", files: map[string]string{"analyses/more/d.sql": "{{ config(tags=['weekly']) }}\nselect 1 as x\n"}, patched: true},
		{name: "one and the model it refs, in one save", files: map[string]string{"models/o.sql": "select 3 as id\n", "analyses/e.sql": "select * from {{ ref('o') }}\n"}, patched: true},
		{name: "an analysis edited", files: map[string]string{"analyses/e.sql": "select id from {{ ref('o') }}\n"}, patched: true},
		{name: "one disabled", files: map[string]string{"analyses/f.sql": "{{ config(enabled=false) }}\nselect 1 as x\n"}, patched: false},
		{name: "one with another analysis's name", files: map[string]string{"analyses/more/a.sql": "select 2 as x\n"}, coldFails: true},
		{name: "that one gone", remove: []string{"analyses/more/a.sql"}, patched: true},
		{name: "an entry of an analysis not there", files: map[string]string{"models/_an.yml": "version: 2\nanalyses:\n  - name: g\n    description: the g\n"}, patched: false},
		{name: "the analysis it describes", files: map[string]string{"analyses/g.sql": "select 1 as x\n"}, patched: false},
		{name: "an analysis removed", remove: []string{"analyses/b.sql"}, patched: true},
		{name: "another moved to a folder", remove: []string{"analyses/n.sql"}, files: map[string]string{"analyses/more/n.sql": "select id from {{ ref('n') }}\n"}, patched: true},
		{name: "the described one removed (YAML describes it: whole)", remove: []string{"analyses/g.sql"}, patched: false},
		{name: "the rest removed (a dangling entry of a name close to theirs: whole)", remove: []string{"analyses/a.sql", "analyses/more/c.sql", "analyses/more/d.sql", "analyses/e.sql", "analyses/more/n.sql"}, patched: false},
		{name: "the entry removed", files: map[string]string{"models/_an.yml": "version: 2\n"}, patched: false},
		{name: "an analysis again", files: map[string]string{"analyses/weekly_revenue.sql": "select count(*) from {{ ref('m') }}\n"}, patched: true},
		{name: "and removed", remove: []string{"analyses/weekly_revenue.sql"}, patched: true},
	})
}
