package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Review of session 39b: analyses added and removed by patch (3ab44d4).
// Each step's patched compile must equal the cold compile.

const r39Proj = "name: an\n"

// TestReview39bEphemeral: an analysis that refs an ephemeral model (its
// CTE inlined), then that model edited, made a view, made ephemeral again.
func TestReview39bEphemeral(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n",
			"models/e.sql":   "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('m') }}\n",
			"models/e2.sql":  "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('e') }}\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
		{name: "an analysis of an ephemeral model", files: map[string]string{"analyses/b.sql": "select * from {{ ref('e') }}\n"}, any: true},
		{name: "the ephemeral model edited", files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect id + 1 as id from {{ ref('m') }}\n"}, any: true},
		{name: "an analysis of an ephemeral of an ephemeral", files: map[string]string{"analyses/c.sql": "select * from {{ ref('e2') }} join {{ ref('e') }} using (id)\n"}, any: true},
		{name: "the inner ephemeral edited", files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect id + 2 as id from {{ ref('m') }}\n"}, any: true},
		{name: "the ephemeral made a view", files: map[string]string{"models/e.sql": "select id + 2 as id from {{ ref('m') }}\n"}, any: true},
		{name: "made ephemeral again", files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect id + 3 as id from {{ ref('m') }}\n"}, any: true},
		{name: "analysis b removed", remove: []string{"analyses/b.sql"}, any: true},
		{name: "the ephemeral edited after", files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect id + 4 as id from {{ ref('m') }}\n"}, any: true},
		{name: "analysis c removed", remove: []string{"analyses/c.sql"}, any: true},
		{name: "the ephemeral edited last", files: map[string]string{"models/e.sql": "{{ config(materialized='ephemeral') }}\nselect id + 5 as id from {{ ref('m') }}\n"}, any: true},
		{name: "an ephemeral model and its analysis in one save", files: map[string]string{"models/e3.sql": "{{ config(materialized='ephemeral') }}\nselect 7 as id\n",
			"analyses/d.sql": "select * from {{ ref('e3') }}\n"}, any: true},
		{name: "that ephemeral edited", files: map[string]string{"models/e3.sql": "{{ config(materialized='ephemeral') }}\nselect 8 as id\n"}, any: true},
		{name: "the ephemeral and its analysis removed in one save", remove: []string{"models/e3.sql", "analyses/d.sql"}, any: true},
	})
}

// TestReview39bInputs: analyses of sources, seeds, snapshots, disabled
// models; models added and removed in the same save.
func TestReview39bInputs(t *testing.T) {
	snapshot := "{% snapshot s_hist %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n",
			"models/src.yml":  "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n",
			"seeds/codes.csv": "id,code\n1,a\n", "snapshots/hist.sql": snapshot,
			"models/off.sql": "{{ config(enabled=false) }}\nselect 1 as id\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
		{name: "an analysis of a source", files: map[string]string{"analyses/s.sql": "select * from {{ source('raw', 'orders') }}\n"}, any: true},
		{name: "an analysis of a seed", files: map[string]string{"analyses/sd.sql": "select * from {{ ref('codes') }}\n"}, any: true},
		{name: "an analysis of a snapshot", files: map[string]string{"analyses/sn.sql": "select * from {{ ref('s_hist') }}\n"}, any: true},
		{name: "an analysis of a disabled model", files: map[string]string{"analyses/dis.sql": "select * from {{ ref('off') }}\n"}, coldFails: true},
		{name: "that analysis removed", remove: []string{"analyses/dis.sql"}, any: true},
		{name: "an analysis of an unknown source", files: map[string]string{"analyses/us.sql": "select * from {{ source('raw', 'nope') }}\n"}, coldFails: true},
		{name: "that one fixed", files: map[string]string{"analyses/us.sql": "select * from {{ source('raw', 'orders') }} where 1=1\n"}, any: true},
		{name: "a source table added with an analysis of it", files: map[string]string{
			"models/src.yml":  "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n      - name: items\n",
			"analyses/it.sql": "select * from {{ source('raw', 'items') }}\n"}, any: true},
		{name: "a seed added with an analysis of it", files: map[string]string{"seeds/more.csv": "id\n1\n", "analyses/mo.sql": "select * from {{ ref('more') }}\n"}, any: true},
		{name: "a model added with an analysis of it", files: map[string]string{"models/n.sql": "select 2 as id\n", "analyses/an_n.sql": "select * from {{ ref('n') }}\n"}, any: true},
		{name: "a model renamed, its analysis renamed with it", remove: []string{"models/n.sql", "analyses/an_n.sql"},
			files: map[string]string{"models/n2.sql": "select 2 as id\n", "analyses/an_n2.sql": "select * from {{ ref('n2') }}\n"}, any: true},
		{name: "the model an analysis refs removed", remove: []string{"models/n2.sql"}, coldFails: true},
		{name: "the analysis removed with it", remove: []string{"analyses/an_n2.sql"}, any: true},
		{name: "a model made disabled while an analysis refs it", files: map[string]string{"models/m.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"}, coldFails: true},
		{name: "back", files: map[string]string{"models/m.sql": "select 1 as id\n"}, any: true},
		{name: "a source removed an analysis refs", files: map[string]string{"models/src.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n"}, coldFails: true},
		{name: "its analysis removed too", remove: []string{"analyses/it.sql"}, any: true},
		{name: "all analyses removed", remove: []string{"analyses/a.sql", "analyses/s.sql", "analyses/sd.sql", "analyses/sn.sql", "analyses/us.sql", "analyses/mo.sql"}, any: true},
		{name: "one again", files: map[string]string{"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}, any: true},
	})
}

// TestReview39bConfigs: analyses added with config() of their own: tags,
// materialized, alias, schema, database, docs, meta, persist_docs, enabled
// from a var, an unknown key, a config that sets a non-keepable value.
func TestReview39bConfigs(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
		{name: "tags and meta", files: map[string]string{"analyses/t.sql": "{{ config(tags=['weekly', 'finance'], meta={'owner': 'ana', 'n': 3}) }}\nselect 1 as x\n"}, any: true},
		{name: "materialized table", files: map[string]string{"analyses/tb.sql": "{{ config(materialized='table') }}\nselect 1 as x from {{ ref('m') }}\n"}, any: true},
		{name: "materialized incremental", files: map[string]string{"analyses/inc.sql": "{{ config(materialized='incremental', unique_key='id') }}\nselect id from {{ ref('m') }}\n"}, any: true},
		{name: "materialized ephemeral", files: map[string]string{"analyses/eph.sql": "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('m') }}\n"}, any: true},
		{name: "alias schema database", files: map[string]string{"analyses/al.sql": "{{ config(alias='other', schema='rep', database='db2') }}\nselect id from {{ ref('m') }}\n"}, any: true},
		{name: "an alias another node's relation has", files: map[string]string{"analyses/al2.sql": "{{ config(alias='m') }}\nselect id from {{ ref('m') }}\n"}, any: true},
		{name: "docs and persist_docs", files: map[string]string{"analyses/dc.sql": "{{ config(docs={'show': false, 'node_color': 'red'}, persist_docs={'relation': true}) }}\nselect 1 as x\n"}, any: true},
		{name: "an unknown config key", files: map[string]string{"analyses/uk.sql": "{{ config(foo_bar='baz') }}\nselect 1 as x\n"}, any: true},
		{name: "group and access", files: map[string]string{"analyses/gr.sql": "{{ config(group='finance', access='private') }}\nselect 1 as x\n"}, any: true},
		{name: "contract enforced", files: map[string]string{"analyses/ct.sql": "{{ config(contract={'enforced': true}) }}\nselect 1 as x\n"}, any: true},
		{name: "enabled from a var (on)", files: map[string]string{"analyses/ev.sql": "{{ config(enabled=var('an_on', true)) }}\nselect 1 as x\n"}, any: true},
		{name: "the var off", vars: map[string]any{"an_on": false}, any: true},
		{name: "the var on", vars: map[string]any{"an_on": true}, any: true},
		{name: "a var in the body", files: map[string]string{"analyses/vb.sql": "select {{ var('lim', 10) }} as lim\n"}, vars: map[string]any{"an_on": true}, any: true},
		{name: "that var set", vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "an env var in the body", files: map[string]string{"analyses/en.sql": "select '{{ env_var(\"R39_E\", \"d\") }}' as e\n"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "that env var set", env: map[string]string{"R39_E": "set"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "an env var required, set", files: map[string]string{"analyses/en2.sql": "select '{{ env_var(\"R39_F\") }}' as e\n"}, env: map[string]string{"R39_F": "x"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "a secret env var", files: map[string]string{"analyses/sec.sql": "select '{{ env_var(\"DBT_ENV_SECRET_R39\") }}' as e\n"}, env: map[string]string{"DBT_ENV_SECRET_R39": "s3"}, vars: map[string]any{"an_on": true, "lim": 20}, coldFails: true},
		{name: "the secret one removed", remove: []string{"analyses/sec.sql"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "this", files: map[string]string{"analyses/th.sql": "select '{{ this }}' as me, '{{ this.identifier }}' as i\n"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		// (run_started_at differs between the two compiles: not comparable here; the patch refused it, volatileText)
		{name: "model name via ref().identifier", files: map[string]string{"analyses/rf.sql": "select '{{ ref('m').identifier }}' as i\n"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "target", files: map[string]string{"analyses/tg.sql": "select '{{ target.schema }}' as s, '{{ target.name }}' as n\n"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "config.get and model", files: map[string]string{"analyses/cg.sql": "{{ config(tags=['x']) }}\nselect '{{ config.get('tags') }}' as t, '{{ model.name }}' as mn, '{{ model.resource_type }}' as rt\n"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "execute and is_incremental", files: map[string]string{"analyses/ex.sql": "select {{ execute }} as e{% if is_incremental() %}, 1 as inc{% endif %}\n"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "empty analysis", files: map[string]string{"analyses/empty.sql": ""}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "only a config", files: map[string]string{"analyses/oc.sql": "{{ config(tags=['y']) }}"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
		{name: "all removed", remove: []string{"analyses/t.sql", "analyses/tb.sql", "analyses/inc.sql", "analyses/al.sql", "analyses/al2.sql", "analyses/dc.sql",
			"analyses/uk.sql", "analyses/gr.sql", "analyses/ct.sql", "analyses/ev.sql", "analyses/vb.sql", "analyses/en.sql", "analyses/en2.sql",
			"analyses/th.sql", "analyses/rf.sql", "analyses/tg.sql", "analyses/cg.sql", "analyses/ex.sql",
			"analyses/empty.sql", "analyses/oc.sql", "analyses/eph.sql"}, vars: map[string]any{"an_on": true, "lim": 20}, any: true},
	})
}

// TestReview39bVolatile: analyses reading invocation_id or graph (the
// snapshot is not kept while one is there), and a model reading graph
// while analyses are added and removed.
func TestReview39bVolatile(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
		{name: "invocation_id", files: map[string]string{"analyses/iv.sql": "select '{{ invocation_id }}' as t\n"}, patched: false},
		{name: "removed", remove: []string{"analyses/iv.sql"}, any: true},
		{name: "an analysis after", files: map[string]string{"analyses/b.sql": "select 2 as x\n"}, any: true},
		{name: "graph", files: map[string]string{"analyses/gp.sql": "select {{ graph.nodes | length }} as n\n"}, patched: false},
		{name: "graph removed", remove: []string{"analyses/gp.sql"}, any: true},
		{name: "an analysis after it", files: map[string]string{"analyses/c.sql": "select 3 as x\n"}, any: true},
		{name: "a model reading graph (its analyses)", files: map[string]string{"models/g.sql": "select {% for n in graph.nodes.values() | sort(attribute='unique_id') %}{% if n.resource_type == 'analysis' %}'{{ n.name }}' as {{ n.name }}, {% endif %}{% endfor %}1 as one\n"}, any: true},
		{name: "an analysis beside it", files: map[string]string{"analyses/d.sql": "select 4 as x\n"}, any: true},
		{name: "an analysis removed beside it", remove: []string{"analyses/b.sql"}, any: true},
		{name: "an analysis edited beside it", files: map[string]string{"analyses/c.sql": "select 33 as x\n"}, any: true},
	})
}

// TestReview39bFolderConfigs: analyses added under folder configs of the
// project file's analyses: block (tags, meta, enabled, docs, a var in a
// config, materialized), and mart.yml edited with an analysis added.
func TestReview39bFolderConfigs(t *testing.T) {
	proj := "name: an\nvars:\n  grp: g1\nanalyses:\n  an:\n    +tags: ['all_an']\n    weekly:\n      +tags: ['weekly']\n      +meta: {cadence: week}\n" +
		"    off:\n      +enabled: false\n    eph:\n      +materialized: ephemeral\n    hidden:\n      +docs: {show: false}\n    grouped:\n      +group: \"{{ var('grp', 'g1') }}\"\n      +schema: rep\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": proj, "models/m.sql": "select 1 as id\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n", "analyses/weekly/w1.sql": "select 1 as x\n"}},
		{name: "one in weekly/", files: map[string]string{"analyses/weekly/w2.sql": "select 2 as x\n"}, any: true},
		{name: "one in a new folder under weekly/", files: map[string]string{"analyses/weekly/deep/w3.sql": "{{ config(tags=['own']) }}\nselect 3 as x\n"}, any: true},
		{name: "one in off/ (disabled by its folder)", files: map[string]string{"analyses/off/o1.sql": "select 1 as x\n"}, any: true},
		{name: "one in off/ enabling itself", files: map[string]string{"analyses/off/o2.sql": "{{ config(enabled=true) }}\nselect 1 as x\n"}, any: true},
		{name: "one in eph/ (materialized by folder, analyses say view)", files: map[string]string{"analyses/eph/e1.sql": "select 1 as x\n"}, any: true},
		{name: "one in hidden/", files: map[string]string{"analyses/hidden/h1.sql": "select 1 as x\n"}, any: true},
		{name: "one in grouped/ (a var in its folder config)", files: map[string]string{"analyses/grouped/g1.sql": "select 1 as x\n"}, any: true},
		{name: "the var of its folder config set", vars: map[string]any{"grp": "g2"}, any: true},
		{name: "another in grouped/ with the var set", files: map[string]string{"analyses/grouped/g2.sql": "select 2 as x\n"}, vars: map[string]any{"grp": "g2"}, any: true},
		{name: "the var back", files: map[string]string{"analyses/grouped/g3.sql": "select 3 as x\n"}, any: true},
		{name: "mart.yml edited with an analysis added", files: map[string]string{"mart.yml": proj + "    +meta: {edited: true}\n", "analyses/weekly/w4.sql": "select 4 as x\n"}, any: true},
		{name: "removals across folders", remove: []string{"analyses/weekly/w2.sql", "analyses/off/o1.sql", "analyses/off/o2.sql", "analyses/hidden/h1.sql", "analyses/grouped/g1.sql"}, any: true},
		{name: "the disabled folder's last", remove: []string{"analyses/eph/e1.sql"}, any: true},
		{name: "a moved analysis between folders of different configs", remove: []string{"analyses/weekly/w1.sql"}, files: map[string]string{"analyses/grouped/w1.sql": "select 1 as x\n"}, any: true},
		{name: "moved into a disabled folder", remove: []string{"analyses/grouped/w1.sql"}, files: map[string]string{"analyses/off/w1.sql": "select 1 as x\n"}, any: true},
		{name: "moved out of it", remove: []string{"analyses/off/w1.sql"}, files: map[string]string{"analyses/weekly/w1.sql": "select 1 as x\n"}, any: true},
	})
}

// TestReview39bNames: analyses whose names other nodes have (a model, a
// seed, a snapshot, a singular test, a source table, a disabled model, a
// disabled analysis, a macro), two of one name in one save, one renamed.
func TestReview39bNames(t *testing.T) {
	snapshot := "{% snapshot s_hist %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect id from {{ ref('m') }}\n{% endsnapshot %}\n"
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n",
			"models/src.yml":  "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n",
			"seeds/codes.csv": "id,code\n1,a\n", "snapshots/hist.sql": snapshot, "tests/assert_m.sql": "select * from {{ ref('m') }} where id < 0\n",
			"models/off.sql": "{{ config(enabled=false) }}\nselect 1 as id\n", "analyses/aoff.sql": "{{ config(enabled=false) }}\nselect 1 as x\n",
			"macros/mac.sql": "{% macro mac() %}1{% endmacro %}\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
		{name: "a seed's name", files: map[string]string{"analyses/codes.sql": "select * from {{ ref('codes') }}\n"}, any: true},
		{name: "a snapshot's name", files: map[string]string{"analyses/s_hist.sql": "select * from {{ ref('s_hist') }}\n"}, any: true},
		{name: "a snapshot file's name", files: map[string]string{"analyses/hist.sql": "select 1 as x\n"}, any: true},
		{name: "a singular test's name", files: map[string]string{"analyses/assert_m.sql": "select 1 as x\n"}, any: true},
		{name: "a source table's name", files: map[string]string{"analyses/orders.sql": "select * from {{ source('raw', 'orders') }}\n"}, any: true},
		{name: "a macro's name", files: map[string]string{"analyses/mac.sql": "select {{ mac() }} as x\n"}, any: true},
		{name: "a disabled model's name", files: map[string]string{"analyses/off.sql": "select 1 as x\n"}, any: true},
		{name: "a disabled analysis's name", files: map[string]string{"analyses/more/aoff.sql": "select 1 as x\n"}, any: true},
		{name: "that one gone", remove: []string{"analyses/more/aoff.sql"}, any: true},
		{name: "the disabled analysis removed", remove: []string{"analyses/aoff.sql"}, any: true},
		{name: "its name again, enabled", files: map[string]string{"analyses/more/aoff.sql": "select 1 as x\n"}, any: true},
		{name: "two of one name in one save", files: map[string]string{"analyses/x/dup.sql": "select 1 as x\n", "analyses/y/dup.sql": "select 2 as x\n"}, coldFails: true},
		{name: "one of them", files: map[string]string{"analyses/y/dup.sql": "select 2 as x\n"}, remove: []string{"analyses/x/dup.sql"}, any: true},
		{name: "an analysis renamed", remove: []string{"analyses/y/dup.sql"}, files: map[string]string{"analyses/y/dup2.sql": "select 2 as x\n"}, any: true},
		{name: "an analysis swapped for a model of its name", remove: []string{"analyses/y/dup2.sql"}, files: map[string]string{"models/dup2.sql": "select 2 as x\n"}, any: true},
		{name: "a model swapped for an analysis of its name", remove: []string{"models/dup2.sql"}, files: map[string]string{"analyses/y/dup2.sql": "select 2 as x\n"}, any: true},
		{name: "a model of an analysis's name added", files: map[string]string{"models/a.sql": "select 5 as id\n"}, any: true},
		{name: "a model refs that name (the model, not the analysis)", files: map[string]string{"models/ra.sql": "select * from {{ ref('a') }}\n"}, any: true},
		{name: "the model of that name removed (ref finds the analysis: error)", remove: []string{"models/a.sql"}, coldFails: true},
		{name: "the referrer removed too", remove: []string{"models/ra.sql"}, any: true},
		{name: "an analysis of a name a model refs, missing", files: map[string]string{"models/rq.sql": "select * from {{ ref('q') }}\n", "analyses/q.sql": "select 1 as x\n"}, coldFails: true},
		{name: "the model refing it removed", remove: []string{"models/rq.sql"}, any: true},
		{name: "an analysis whose file name has a dot", files: map[string]string{"analyses/v.1.sql": "select 1 as x\n"}, any: true},
		{name: "an analysis whose name has a dash", files: map[string]string{"analyses/my-an.sql": "select 1 as x\n"}, any: true},
		{name: "an upper-case name", files: map[string]string{"analyses/Upper.sql": "select 1 as x\n"}, any: true},
		{name: "an analysis named like the project", files: map[string]string{"analyses/an.sql": "select 1 as x\n"}, any: true},
	})
}

// TestReview39bYAML: analyses: entries with analyses added and removed:
// an entry added for an existing analysis then its file removed, entry and
// file removed in one save, entry and file added in one save, an entry in
// another file than the one the edit changes, a dangling entry of a close
// name, a models: entry of an analysis's name, data_tests: on an analysis.
func TestReview39bYAML(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n",
			"models/_m.yml":  "version: 2\nmodels:\n  - name: m\n    description: the m\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n", "analyses/b.sql": "select 2 as x\n"}},
		{name: "an entry added for analysis a", files: map[string]string{"analyses/_an.yml": "version: 2\nanalyses:\n  - name: a\n    description: the a\n"}, any: true},
		{name: "a removed (YAML describes it)", remove: []string{"analyses/a.sql"}, any: true},
		{name: "a again (its entry dangled)", files: map[string]string{"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}, any: true},
		{name: "a and its entry removed in one save", remove: []string{"analyses/a.sql"}, files: map[string]string{"analyses/_an.yml": "version: 2\n"}, any: true},
		{name: "a and its entry added in one save", files: map[string]string{"analyses/a.sql": "select count(*) from {{ ref('m') }}\n",
			"analyses/_an.yml": "version: 2\nanalyses:\n  - name: a\n    description: the a\n"}, any: true},
		{name: "an entry for b in another file", files: map[string]string{"models/_b.yml": "version: 2\nanalyses:\n  - name: b\n    description: the b\n"}, any: true},
		{name: "an analysis c added while _an.yml's a is edited", files: map[string]string{"analyses/c.sql": "select 3 as x\n",
			"analyses/_an.yml": "version: 2\nanalyses:\n  - name: a\n    description: the a, again\n"}, any: true},
		{name: "c removed while b's entry is edited", remove: []string{"analyses/c.sql"}, files: map[string]string{"models/_b.yml": "version: 2\nanalyses:\n  - name: b\n    description: the b, again\n"}, any: true},
		{name: "a dangling entry for z", files: map[string]string{"analyses/_z.yml": "version: 2\nanalyses:\n  - name: weekly_orders\n    description: z\n"}, any: true},
		{name: "an analysis of a close name", files: map[string]string{"analyses/weekly_order.sql": "select 1 as x\n"}, any: true},
		{name: "one of a far name", files: map[string]string{"analyses/zzz.sql": "select 1 as x\n"}, any: true},
		{name: "the close one removed", remove: []string{"analyses/weekly_order.sql"}, any: true},
		{name: "the far one removed", remove: []string{"analyses/zzz.sql"}, any: true},
		{name: "a model of the dangling analysis's name", files: map[string]string{"models/weekly_orders.sql": "select 1 as id\n"}, any: true},
		{name: "a models: entry of an analysis's name (no such model)", files: map[string]string{"models/_x.yml": "version: 2\nmodels:\n  - name: xan\n    description: x\n"}, any: true},
		{name: "the analysis of that name", files: map[string]string{"analyses/xan.sql": "select 1 as x\n"}, any: true},
		{name: "the analysis of that name removed", remove: []string{"analyses/xan.sql"}, any: true},
		{name: "an analysis with a model's name whose entry is in models:", files: map[string]string{"analyses/more/m.sql": "select 1 as x\n"}, any: true},
		{name: "it removed", remove: []string{"analyses/more/m.sql"}, any: true},
		{name: "data_tests on an analysis entry and the analysis", files: map[string]string{"analyses/dt.sql": "select 1 as id\n",
			"analyses/_dt.yml": "version: 2\nanalyses:\n  - name: dt\n    data_tests:\n      - not_null:\n          column_name: id\n"}, any: true},
		{name: "an analysis with columns via YAML, then added", files: map[string]string{"analyses/_col.yml": "version: 2\nanalyses:\n  - name: col\n    columns:\n      - name: id\n        description: the id\n"}, any: true},
		{name: "the col analysis", files: map[string]string{"analyses/col.sql": "select 1 as id\n"}, any: true},
		{name: "an entry with config for an analysis added with it", files: map[string]string{"analyses/cf.sql": "select 1 as id\n",
			"analyses/_cf.yml": "version: 2\nanalyses:\n  - name: cf\n    config:\n      tags: ['yaml']\n"}, any: true},
		{name: "an entry that disables an analysis added with it", files: map[string]string{"analyses/cd.sql": "select 1 as id\n",
			"analyses/_cd.yml": "version: 2\nanalyses:\n  - name: cd\n    config:\n      enabled: false\n"}, any: true},
		{name: "a snapshots: entry of an analysis's name added with it", files: map[string]string{"analyses/sn.sql": "select 1 as id\n",
			"analyses/_sn.yml": "version: 2\nsnapshots:\n  - name: sn\n    description: s\n"}, any: true},
		{name: "a seeds: entry of an analysis's name added with it", files: map[string]string{"analyses/sd.sql": "select 1 as id\n",
			"analyses/_sd.yml": "version: 2\nseeds:\n  - name: sd\n    description: s\n"}, any: true},
		{name: "a models: entry of an analysis's name added with it", files: map[string]string{"analyses/md.sql": "select 1 as id\n",
			"analyses/_md.yml": "version: 2\nmodels:\n  - name: md\n    description: s\n"}, any: true},
		{name: "a data_tests: (singular) entry of an analysis's name added with it", files: map[string]string{"analyses/st.sql": "select 1 as id\n",
			"analyses/_st.yml": "version: 2\ndata_tests:\n  - name: st\n    description: s\n"}, any: true},
	})
}

// TestReview39bMacros: analyses that call macros, the macros then edited,
// added with them, removed; a macro that calls ref(); a naming macro
// (generate_schema_name) present.
func TestReview39bMacros(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n", "models/n.sql": "select 2 as id\n",
			"macros/cnt.sql":    "{% macro cnt() %}count(*){% endmacro %}\n",
			"macros/src_of.sql": "{% macro src_of(x) %}{{ ref(x) }}{% endmacro %}\n",
			"analyses/a.sql":    "select count(*) from {{ ref('m') }}\n"}},
		{name: "an analysis calling a macro", files: map[string]string{"analyses/b.sql": "select {{ cnt() }} from {{ ref('n') }}\n"}, any: true},
		{name: "the macro edited", files: map[string]string{"macros/cnt.sql": "{% macro cnt() %}count(1){% endmacro %}\n"}, any: true},
		{name: "a macro and an analysis calling it in one save", files: map[string]string{"macros/mx.sql": "{% macro mx(c) %}max({{ c }}){% endmacro %}\n",
			"analyses/c.sql": "select {{ mx('id') }} from {{ ref('m') }}\n"}, any: true},
		{name: "that macro edited", files: map[string]string{"macros/mx.sql": "{% macro mx(c) %}min({{ c }}){% endmacro %}\n"}, any: true},
		{name: "an analysis whose ref is in a macro", files: map[string]string{"analyses/d.sql": "select * from {{ src_of('n') }}\n"}, any: true},
		{name: "the macro made to ref another", files: map[string]string{"macros/src_of.sql": "{% macro src_of(x) %}{{ ref('m') }}{% endmacro %}\n"}, any: true},
		{name: "an analysis calling an unknown macro", files: map[string]string{"analyses/e.sql": "select {{ nope() }}\n"}, coldFails: true},
		{name: "the macro it calls added", files: map[string]string{"macros/nope.sql": "{% macro nope() %}42{% endmacro %}\n"}, any: true},
		{name: "the macro removed with the analysis", remove: []string{"macros/nope.sql", "analyses/e.sql"}, any: true},
		{name: "a macro the analyses call removed", remove: []string{"macros/mx.sql"}, coldFails: true},
		{name: "and the analysis calling it", remove: []string{"analyses/c.sql"}, any: true},
		{name: "a naming macro added", files: map[string]string{"macros/gsn.sql": "{% macro generate_schema_name(custom, node) %}{% if node.resource_type == 'analysis' %}an_{{ node.name }}{% else %}{{ target.schema }}{% endif %}{% endmacro %}\n"}, any: true},
		{name: "an analysis with it", files: map[string]string{"analyses/f.sql": "select '{{ this }}' as t from {{ ref('m') }}\n"}, any: true},
		{name: "an alias naming macro", files: map[string]string{"macros/gan.sql": "{% macro generate_alias_name(custom, node) %}{{ node.name }}_x{% endmacro %}\n"}, any: true},
		{name: "an analysis with it too", files: map[string]string{"analyses/g.sql": "select '{{ this }}' as t from {{ ref('m') }}\n"}, any: true},
		{name: "an analysis removed with it", remove: []string{"analyses/g.sql"}, any: true},
		{name: "an analysis that calls a macro with a call block", files: map[string]string{"macros/wrap.sql": "{% macro wrap() %}({{ caller() }}){% endmacro %}\n",
			"analyses/h.sql": "select * from {% call wrap() %}select 1 as x{% endcall %} t\n"}, any: true},
		{name: "an analysis that sets and uses a Jinja var", files: map[string]string{"analyses/i.sql": "{% set cols = ['id'] %}select {{ cols | join(', ') }} from {{ ref('m') }}\n"}, any: true},
		{name: "an analysis with a log and print", files: map[string]string{"analyses/j.sql": "{{ log('hi', info=true) }}select 1 as x\n"}, any: true},
		{name: "an analysis with an exception", files: map[string]string{"analyses/k.sql": "{{ exceptions.raise_compiler_error('no') }}select 1 as x\n"}, coldFails: true},
		{name: "it removed", remove: []string{"analyses/k.sql"}, any: true},
		{name: "an analysis with a warning", files: map[string]string{"analyses/l.sql": "{{ exceptions.warn('careful') }}select 1 as x\n"}, any: true},
		{name: "it removed", remove: []string{"analyses/l.sql"}, any: true},
	})
}

// TestReview39bRoots: analyses under custom analysis-paths: another name,
// two roots, a root nested in another analyses root, a root inside
// model-paths, one directory for analyses and tests, for analyses and
// models, a root missing at first.
func TestReview39bRoots(t *testing.T) {
	t.Run("custom", func(t *testing.T) {
		runPatchSteps(t, []patchStep{
			{name: "cold", files: map[string]string{"mart.yml": "name: an\nanalysis-paths: ['reports', 'more_an']\n", "models/m.sql": "select 1 as id\n",
				"reports/a.sql": "select count(*) from {{ ref('m') }}\n"}},
			{name: "one beside it", files: map[string]string{"reports/b.sql": "select 2 as x\n"}, patched: true},
			{name: "one in a folder of it", files: map[string]string{"reports/sub/c.sql": "select 3 as x\n"}, patched: true},
			{name: "the first of the other root, missing before", files: map[string]string{"more_an/d.sql": "select 4 as x\n"}, any: true},
			{name: "one in analyses/ (no root now)", files: map[string]string{"analyses/e.sql": "select 5 as x\n"}, any: true},
			{name: "one moved between roots", remove: []string{"reports/b.sql"}, files: map[string]string{"more_an/b.sql": "select 2 as x\n"}, any: true},
			{name: "the same name in both roots", files: map[string]string{"reports/b.sql": "select 2 as x\n"}, coldFails: true},
			{name: "gone again", remove: []string{"reports/b.sql"}, any: true},
			{name: "a whole folder removed", remove: []string{"reports/sub/c.sql"}, any: true},
		})
	})
	t.Run("nested analyses roots", func(t *testing.T) {
		runPatchSteps(t, []patchStep{
			{name: "cold", files: map[string]string{"mart.yml": "name: an\nanalysis-paths: ['analyses', 'analyses/sub']\n", "models/m.sql": "select 1 as id\n",
				"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
			{name: "one in the outer", files: map[string]string{"analyses/b.sql": "select 2 as x\n"}, any: true},
			{name: "one in the inner (read twice: a duplicate)", files: map[string]string{"analyses/sub/c.sql": "select 3 as x\n"}, coldFails: true},
			{name: "it removed", remove: []string{"analyses/sub/c.sql"}, any: true},
			{name: "one in the inner again, its directory known empty (a duplicate)", files: map[string]string{"analyses/sub/d.sql": "select 4 as x\n"}, coldFails: true},
			{name: "that removed", remove: []string{"analyses/sub/d.sql"}, any: true},
			{name: "one in a folder of the inner (a duplicate)", files: map[string]string{"analyses/sub/deeper/e.sql": "select 5 as x\n"}, coldFails: true},
			{name: "that removed too", remove: []string{"analyses/sub/deeper/e.sql"}, any: true},
		})
	})
	// (a root inside or holding model-paths or test-paths, or one directory
	// for two kinds: every file there is read as two nodes, whose compiled
	// files collide, so mart compile cannot write target/ and no snapshot
	// is kept: not testable by patch)
	t.Run("root missing at first", func(t *testing.T) {
		runPatchSteps(t, []patchStep{
			{name: "cold", files: map[string]string{"mart.yml": "name: an\n", "models/m.sql": "select 1 as id\n"}},
			{name: "the first analysis, analyses/ new", files: map[string]string{"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}, any: true},
			{name: "one in a new folder", files: map[string]string{"analyses/x/b.sql": "select 1 as x\n"}, any: true},
			{name: "all removed", remove: []string{"analyses/a.sql", "analyses/x/b.sql"}, any: true},
			{name: "one again", files: map[string]string{"analyses/c.sql": "select 1 as x\n"}, any: true},
		})
	})
}

// TestReview39bPackages: a package with analyses of its own: a root
// analysis of a package analysis's name (the duplicate check is by type
// and name across every project), one that a package's, removed, and a
// package's analysis added (not patched: not the root project's).
func TestReview39bPackages(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: rp\nversion: \"1.0.0\"\n", "models/m.sql": "select 1 as id\n",
			"analyses/a.sql":                   "select count(*) from {{ ref('m') }}\n",
			"dbt_packages/pk/dbt_project.yml":  "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/models/pkm.sql":   "select 3 as c\n",
			"dbt_packages/pk/analyses/pka.sql": "select * from {{ ref('pkm') }}\n",
			"dbt_packages/pk/macros/pmac.sql":  "{% macro pmac() %}7{% endmacro %}\n"}},
		{name: "a root analysis of a package model's name", files: map[string]string{"analyses/pkm.sql": "select * from {{ ref('pkm') }}\n"}, any: true},
		{name: "a root analysis calling a package macro", files: map[string]string{"analyses/pm.sql": "select {{ pk.pmac() }} as x\n"}, any: true},
		{name: "the package macro edited", files: map[string]string{"dbt_packages/pk/macros/pmac.sql": "{% macro pmac() %}8{% endmacro %}\n"}, any: true},
		{name: "a package analysis added", files: map[string]string{"dbt_packages/pk/analyses/pkb.sql": "select 2 as x\n"}, any: true},
		{name: "a package analysis removed", remove: []string{"dbt_packages/pk/analyses/pkb.sql"}, any: true},
	})
}

// TestReview39bPackageAnalysisName: failed at 3ab44d4 (fixed: takenNames
// keeps every project's analyses' names, enabled or disabled). A root analysis
// added whose name a package's analysis has: the whole compile's
// duplicate check (applyPatches' index, by type and name, across every
// project) rejects it; addModels checks analyses by id alone
// (analysis.rp.pka is not analysis.pk.pka), so the patch takes it.
func TestReview39bPackageAnalysisName(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": "name: rp\nversion: \"1.0.0\"\n", "models/m.sql": "select 1 as id\n",
			"analyses/a.sql":                   "select count(*) from {{ ref('m') }}\n",
			"dbt_packages/pk/dbt_project.yml":  "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/models/pkm.sql":   "select 3 as c\n",
			"dbt_packages/pk/analyses/pka.sql": "select * from {{ ref('pkm') }}\n"}},
		{name: "a root analysis of a package analysis's name", files: map[string]string{"analyses/pka.sql": "select 1 as x\n"}, coldFails: true},
		{name: "it removed", remove: []string{"analyses/pka.sql"}, any: true},
		{name: "the same in a folder", files: map[string]string{"analyses/sub/pka.sql": "select 1 as x\n"}, coldFails: true},
		{name: "gone", remove: []string{"analyses/sub/pka.sql"}, any: true},
	})
}

// r39ColdThenPatch compiles dir whole and keeps its snapshot (as
// compareStep's fallback does), applies edit, and returns what
// CompileByPatch makes of it with the cold compile after the edit and
// whether the cold compile's target/ could be written (a scratch copy).
func r39ColdThenPatch(t *testing.T, files map[string]string, edit map[string]string) (*Patched, string, *Result, Diagnostics, error) {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	for rel, text := range files {
		if strings.HasSuffix(rel, "/") {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, rel), 0o755))
			continue
		}
		writeProjectFile(t, dir, rel, text)
	}
	past := time.Now().Add(-time.Hour)
	require.NoError(t, filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, past, past)
	}))
	opt := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	warm, d := Compile(opt)
	require.NotNil(t, warm, "%v", diagLines(d))
	ids := compiledIDs(warm)
	require.NoError(t, warm.WriteTarget(ids))
	warm.KeepPatch(ids, d, nil, 0)
	later := past.Add(time.Minute)
	for rel, text := range edit {
		writeProjectFile(t, dir, rel, text)
		for p := filepath.Join(dir, rel); strings.HasPrefix(p, dir); p = filepath.Dir(p) {
			require.NoError(t, os.Chtimes(p, later, later))
		}
	}
	copyDir := t.TempDir()
	cold, cd := Compile(Options{ProjectDir: dir, InvocationID: "inv"})
	var werr error
	if cold != nil {
		cold.DropPatch()
		// write the cold compile's target/ elsewhere: does it write?
		cold2, _ := Compile(Options{ProjectDir: dir, InvocationID: "inv", TargetPath: copyDir})
		if cold2 != nil {
			werr = cold2.WriteTarget(compiledIDs(cold2))
			cold2.DropPatch()
		}
	}
	forgetReads()
	pt, why := CompileByPatch(Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true})
	return pt, why, cold, cd, werr
}

// TestReview39bRootInsideAnalyses: a model-paths root inside the analyses
// root, there but empty when the snapshot was kept: a file added there is
// read by the whole compile as a model and an analysis, whose compiled
// files collide (mart compile cannot write target/); the patch must not
// take it as one of them.
func TestReview39bRootInsideAnalyses(t *testing.T) {
	files := map[string]string{"mart.yml": "name: an\nmodel-paths: ['models', 'analyses/models']\n", "models/m.sql": "select 1 as id\n",
		"analyses/a.sql": "select count(*) from {{ ref('m') }}\n", "analyses/models/": ""}
	pt, why, cold, cd, werr := r39ColdThenPatch(t, files, map[string]string{"analyses/models/x.sql": "select 1 as x\n"})
	t.Logf("cold: %v (%v); its write: %v; patched: %v (%s)", cold != nil, diagLines(cd), werr, pt != nil, why)
	if cold == nil || werr != nil {
		require.Nil(t, pt, "patched what the whole compile cannot compile or write")
	}
}

// TestReview39bAnalysesInsideModels: the same with the analyses root
// inside model-paths, empty when the snapshot was kept (before 3ab44d4:
// a model added there).
func TestReview39bAnalysesInsideModels(t *testing.T) {
	files := map[string]string{"mart.yml": "name: an\nanalysis-paths: ['models/an']\n", "models/m.sql": "select 1 as id\n", "models/an/": ""}
	pt, why, cold, cd, werr := r39ColdThenPatch(t, files, map[string]string{"models/an/x.sql": "select 1 as x\n"})
	t.Logf("cold: %v (%v); its write: %v; patched: %v (%s)", cold != nil, diagLines(cd), werr, pt != nil, why)
	if cold == nil || werr != nil {
		require.Nil(t, pt, "patched what the whole compile cannot compile or write")
	}
}

// TestReview39bSameSave: an analysis added in the save that changes what
// it refs: the model's alias, schema, materialization (ephemeral: its CTE
// inlined), enabled; a model's folder config in mart.yml; a seed's
// config; a source's identifier.
func TestReview39bSameSave(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n", "models/n.sql": "select 2 as id\n",
			"models/src.yml":  "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n",
			"seeds/codes.csv": "id,code\n1,a\n",
			"analyses/a.sql":  "select count(*) from {{ ref('m') }}\n"}},
		{name: "m's alias changed, an analysis of m added", files: map[string]string{"models/m.sql": "{{ config(alias='m_two') }}\nselect 1 as id\n",
			"analyses/b.sql": "select * from {{ ref('m') }}\n"}, any: true},
		{name: "m's schema changed, an analysis of m added", files: map[string]string{"models/m.sql": "{{ config(alias='m_two', schema='s2') }}\nselect 1 as id\n",
			"analyses/c.sql": "select * from {{ ref('m') }}\n"}, any: true},
		{name: "n made ephemeral, an analysis of n added", files: map[string]string{"models/n.sql": "{{ config(materialized='ephemeral') }}\nselect 2 as id\n",
			"analyses/d.sql": "select * from {{ ref('n') }}\n"}, any: true},
		{name: "n made a view again, an analysis of n added", files: map[string]string{"models/n.sql": "select 2 as id\n",
			"analyses/e.sql": "select * from {{ ref('n') }}\n"}, any: true},
		{name: "n's ref changed, an analysis of n added", files: map[string]string{"models/n.sql": "select * from {{ ref('m') }}\n",
			"analyses/f.sql": "select * from {{ ref('n') }}\n"}, any: true},
		{name: "n's text edited, an analysis of n added", files: map[string]string{"models/n.sql": "select id, 1 as one from {{ ref('m') }}\n",
			"analyses/g.sql": "select * from {{ ref('n') }}\n"}, any: true},
		{name: "the seed's alias set in a YAML, an analysis of it added", files: map[string]string{"seeds/_s.yml": "version: 2\nseeds:\n  - name: codes\n    config:\n      alias: codes_2\n",
			"analyses/h.sql": "select * from {{ ref('codes') }}\n"}, any: true},
		{name: "the source's identifier set, an analysis of it added", files: map[string]string{"models/src.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n        identifier: orders_v2\n",
			"analyses/i.sql": "select * from {{ source('raw', 'orders') }}\n"}, any: true},
		{name: "m's alias in its description's YAML config, an analysis added", files: map[string]string{"models/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      alias: m_three\n",
			"analyses/j.sql": "select * from {{ ref('m') }}\n"}, any: true},
		{name: "an analysis removed while the model it refs is renamed", remove: []string{"analyses/b.sql", "analyses/c.sql", "analyses/j.sql", "analyses/a.sql", "models/m.sql", "models/_m.yml"},
			files: map[string]string{"models/m2.sql": "select 1 as id\n", "models/n.sql": "select id, 1 as one from {{ ref('m2') }}\n"}, any: true},
		{name: "an analysis added refing a model with a version", files: map[string]string{"models/v.sql": "select 1 as id\n", "models/v_v2.sql": "select 2 as id\n",
			"models/_v.yml": "version: 2\nmodels:\n  - name: v\n    latest_version: 1\n    versions:\n      - v: 1\n        defined_in: v\n      - v: 2\n"}, any: true},
		{name: "analyses of versions", files: map[string]string{"analyses/k.sql": "select * from {{ ref('v') }}\n", "analyses/l.sql": "select * from {{ ref('v', v=2) }}\n"}, any: true},
		{name: "the latest version changed with an analysis added", files: map[string]string{"models/_v.yml": "version: 2\nmodels:\n  - name: v\n    latest_version: 2\n    versions:\n      - v: 1\n        defined_in: v\n      - v: 2\n",
			"analyses/o.sql": "select * from {{ ref('v') }}\n"}, any: true},
	})
}

// TestReview39bModelToAnalysis: a model file moved to analyses/ (its name
// kept): without YAML, with a models: entry (which then names no model),
// and back.
func TestReview39bModelToAnalysis(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n", "models/x.sql": "select 2 as id\n",
			"models/y.sql": "select 3 as id\n", "models/_y.yml": "version: 2\nmodels:\n  - name: y\n    description: the y\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
		{name: "x moved to analyses/", remove: []string{"models/x.sql"}, files: map[string]string{"analyses/x.sql": "select 2 as id\n"}, any: true},
		{name: "x moved back", remove: []string{"analyses/x.sql"}, files: map[string]string{"models/x.sql": "select 2 as id\n"}, any: true},
		{name: "y (described) moved to analyses/", remove: []string{"models/y.sql"}, files: map[string]string{"analyses/y.sql": "select 3 as id\n"}, any: true},
		{name: "y moved back", remove: []string{"analyses/y.sql"}, files: map[string]string{"models/y.sql": "select 3 as id\n"}, any: true},
		{name: "y's entry moved to analyses:, the file too", remove: []string{"models/y.sql"}, files: map[string]string{"analyses/y.sql": "select 3 as id\n",
			"models/_y.yml": "version: 2\nanalyses:\n  - name: y\n    description: the y\n"}, any: true},
		{name: "an analysis a model refs by the name of one removed", remove: []string{"models/x.sql"}, files: map[string]string{"analyses/x.sql": "select 2 as id\n",
			"models/rx.sql": "select * from {{ ref('x') }}\n"}, coldFails: true},
		{name: "the ref gone", remove: []string{"models/rx.sql"}, any: true},
	})
}

// TestReview39bPackageDisabledAnalysisName: the same with the package's
// analysis disabled (by its own config(), by the package's folder config).
func TestReview39bPackageDisabledAnalysisName(t *testing.T) {
	for name, pkg := range map[string]map[string]string{
		"config()": {"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\n",
			"dbt_packages/pk/analyses/pka.sql": "{{ config(enabled=false) }}\nselect 1 as x\n"},
		"folder config": {"dbt_packages/pk/dbt_project.yml": "name: pk\nversion: \"1.0.0\"\nanalyses:\n  pk:\n    +enabled: false\n",
			"dbt_packages/pk/analyses/pka.sql": "select 1 as x\n"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"mart.yml": "name: rp\nversion: \"1.0.0\"\n", "models/m.sql": "select 1 as id\n",
				"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}
			for k, v := range pkg {
				files[k] = v
			}
			runPatchSteps(t, []patchStep{
				{name: "cold", files: files},
				{name: "a root analysis of the disabled package analysis's name", files: map[string]string{"analyses/pka.sql": "select 1 as x\n"}, any: true},
			})
		})
	}
}

// TestReview39bToggles: an analysis added in the save that enables the
// disabled model it refs, or disables one it refs; an analysis of a model
// added disabled in the same save.
func TestReview39bToggles(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: map[string]string{"mart.yml": r39Proj, "models/m.sql": "select 1 as id\n",
			"models/off.sql": "{{ config(enabled=false) }}\nselect 1 as id\n",
			"analyses/a.sql": "select count(*) from {{ ref('m') }}\n"}},
		{name: "off enabled, an analysis of it added", files: map[string]string{"models/off.sql": "select 1 as id\n", "analyses/b.sql": "select * from {{ ref('off') }}\n"}, any: true},
		{name: "an analysis of a model added disabled", files: map[string]string{"models/d.sql": "{{ config(enabled=false) }}\nselect 1 as id\n", "analyses/c.sql": "select * from {{ ref('d') }}\n"}, coldFails: true},
		{name: "that analysis gone, the model stays", remove: []string{"analyses/c.sql"}, any: true},
		{name: "off disabled with its analysis removed", remove: []string{"analyses/b.sql"}, files: map[string]string{"models/off.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"}, any: true},
		{name: "an analysis of the name of the disabled model d", files: map[string]string{"analyses/d.sql": "select 1 as x\n"}, any: true},
		{name: "d enabled while the analysis d stays", files: map[string]string{"models/d.sql": "select 1 as id\n"}, any: true},
		{name: "the analysis d removed, model d disabled", remove: []string{"analyses/d.sql"}, files: map[string]string{"models/d.sql": "{{ config(enabled=false) }}\nselect 1 as id\n"}, any: true},
	})
}
