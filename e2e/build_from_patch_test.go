package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A run of a selection loads from the patch snapshot only the nodes it
// needs (compiler/patchload.go). Its every output must be the one of a
// run that compiles the whole project: two copies of a project are built
// side by side, one with partial parsing (the default: its runs of a
// selection load from the snapshot when they can) and one without, through
// the same selections, twice (the second time incremental models merge),
// with an edit of a model in between; after each run their console
// output, run_results.json, the SQL each node ran (compiled and run-time
// rendered), manifest.json, the OpenLineage events the run sent (an
// Airflow worker sets OPENLINEAGE_URL for every task), the plan a dry run
// of the same selection prints and, at the end, every table must be the
// same.
func TestBuildFromPatchMatchesWholeCompile(t *testing.T) {
	t.Parallel() // (a long comparison: it overlaps the others; see TestMain)
	cases := []struct {
		name      string
		dir       func(t testing.TB) string
		selects   []string
		edit      string // a model edited between the rounds
		minLoaded int    // runs that must have loaded from the snapshot
	}{
		{"demo", demo, []string{"dim_cars", "raw_cars", "dim_cars dim_zones", "agg_daily_zone_utilization",
			"members_tier_snapshot", "fct_reservations", "+dim_members", "stg_cars+", "resource_type:seed",
			"tag:staging,resource_type:model", "path:models/marts", "@dim_zones", "stg_members stg_payments",
			"dim_cars --exclude resource_type:test", "dim_members --exclude dim_members", "stg_zones agg_member_cohorts",
			"config.materialized:table,tag:marts", "stg_members+ --exclude config.materialized:view", "config.severity:warn"},
			"models/marts/dim_cars.sql", 32},
		{"incremental_orders", func(t testing.TB) string { return project(t, "incremental_orders") },
			[]string{"orders_merge", "customer_totals", "orders_by_month", "orders_snapshot", "raw_orders+",
				"orders_merge customer_totals", "orders_merge_full+", "+customer_totals_full"},
			"models/orders_merge.sql", 12},
		// a chain m4 -> m3 -> m2 -> m1: selecting m1 and m4 orders m1
		// after m4 through m3 and m2, which the run does not build; y refs
		// m3 only in its incremental branch, which the compile does not
		// render
		{"chain", chainProject, []string{"m1 m4", "m1", "", "y", "z", "m4+", "+m1", "m4 y", "raw_ids+", "inc_e", "gh", "* --exclude gh",
			"config.factor:2", "config.factor:2.5+", "config.materialized:incremental --exclude gh"}, "models/m2.sql", 20},
		// a model that lists its parent's columns from the warehouse (as
		// dbt_utils.star does) is rendered against it when it runs
		{"introspective", introspectiveProject, []string{"star_m4", "m4", "after_star", "star_m4+", "+star_m4", "m1", "star_m4 m3"},
			"models/star_m4.sql", 12},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			light, whole := tc.dir(t), tc.dir(t)
			lightEvents, wholeEvents := newLineageReceiver(t), newLineageReceiver(t)
			r := mart(t, light, "build")
			require.Equal(t, 0, r.Code, r.String())
			r = mart(t, whole, "build", "--no-partial-parse")
			require.Equal(t, 0, r.Code, r.String())
			loaded, dryLoaded, sent := 0, 0, 0
			for round := 0; round < 2; round++ {
				if round == 1 {
					editModel(t, tc.edit, light, whole)
				}
				for _, sel := range tc.selects {
					// one thread: nodes run, and print, in the plan's order
					args := append([]string{"build", "--threads", "1"}, selectArgs(sel)...)
					if sel == "" { // every node: the whole compile adopts the patch
						args = []string{"build", "--threads", "1"}
					}
					a := martEnv(t, light, []string{"MART_TIMINGS=1", "OPENLINEAGE_URL=" + lightEvents.url}, args...)
					b := mart(t, whole, append(args, "--no-partial-parse", "--openlineage-url", wholeEvents.url)...)
					what := fmt.Sprintf("round %d, mart %s", round, strings.Join(args, " "))
					events := wholeEvents.take(t, whole)
					require.Equal(t, events, lightEvents.take(t, light), what+": OpenLineage events")
					sent += len(events)
					require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
					require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
					if loadedFromPatch.MatchString(a.Stderr) {
						loaded++
					} else {
						t.Logf("%s: compiled the whole project: %s", what, noSelectionReason(a.Stderr))
					}
					require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
					require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
					// the plan a dry run prints (each step's parents, reads
					// and writes, as JSON)
					dry := append(append([]string{}, args...), "--dry-run", "--log-format", "json")
					a = martEnv(t, light, []string{"MART_TIMINGS=1"}, dry...)
					b = mart(t, whole, append(dry, "--no-partial-parse")...)
					require.Equal(t, b.Code, a.Code, "%s --dry-run\nfrom the snapshot: %s\nwhole: %s", what, a, b)
					require.Equal(t, logTimes.ReplaceAllString(b.Stdout, ""), logTimes.ReplaceAllString(a.Stdout, ""), what+" --dry-run")
					if loadedFromPatch.MatchString(a.Stderr) {
						dryLoaded++
					}
				}
			}
			require.GreaterOrEqual(t, loaded, tc.minLoaded, "runs that loaded from the patch snapshot")
			require.GreaterOrEqual(t, dryLoaded, tc.minLoaded, "dry runs that loaded from the patch snapshot")
			require.Greater(t, sent, 4*len(tc.selects), "OpenLineage events sent")
			require.Equal(t, tables(t, whole), tables(t, light))
		})
	}
}

// `mart retry` runs the last run's failed and skipped nodes again, loaded
// from the patch snapshot as a run of a selection loads them: its output,
// results, the SQL it ran, manifest.json and tables are those of a retry
// that compiles the whole project, on a project whose SQL was fixed
// between the failed run and the retry.
func TestRetryFromPatchMatchesWholeCompile(t *testing.T) {
	light, whole := chainProject(t), chainProject(t)
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
	}
	m2 := "models/m2.sql"
	broken, fixed := "select no_such_column from {{ ref('m3') }}\n", "select id from {{ ref('m3') }} -- fixed\n"
	// the built project as a state, for a run of state:modified+ (its
	// retry runs ids: it loads from the snapshot too)
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "prod-state/manifest.json", readFile(t, dir, "target/manifest.json"))
	}
	for _, step := range []struct {
		sql  string
		args []string
		code int
	}{
		{broken, []string{"build", "--threads", "1", "--select", "m4+"}, 1},
		{fixed, []string{"retry"}, 0},
		{broken, []string{"build", "--threads", "1", "--select", "m2+", "--exclude", "m1"}, 1},
		{broken, []string{"retry"}, 1}, // fails again: m2 is still broken
		{fixed, []string{"retry"}, 0},
		{fixed, []string{"retry"}, 0}, // nothing to retry
		{broken, []string{"build", "--threads", "1", "--select", "state:modified+", "--state", "prod-state"}, 1},
		{fixed, []string{"retry"}, 0},
	} {
		writeFile(t, light, m2, step.sql)
		writeFile(t, whole, m2, step.sql)
		what := fmt.Sprintf("mart %s with m2 %q", strings.Join(step.args, " "), step.sql)
		a := martEnv(t, light, []string{"MART_TIMINGS=1"}, step.args...)
		b := mart(t, whole, append(step.args, "--no-partial-parse")...)
		require.Equal(t, step.code, a.Code, "%s\n%s", what, a)
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		if step.args[0] == "retry" && strings.Contains(a.Stdout, " of ") {
			require.Regexp(t, loadedFromPatch, a.Stderr, "%s: loaded from the snapshot (%s)", what, noSelectionReason(a.Stderr))
		}
		require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
	}
	require.Equal(t, tables(t, whole), tables(t, light))
}

// lineageReceiver is an OpenLineage endpoint on 127.0.0.1 that keeps the
// events it is sent.
type lineageReceiver struct {
	url    string
	mu     sync.Mutex
	events []map[string]any
}

func newLineageReceiver(t *testing.T) *lineageReceiver {
	r := &lineageReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var ev map[string]any
		if err := json.NewDecoder(req.Body).Decode(&ev); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// take returns the events sent since the last take, without what differs
// between two runs of one project (run ids, times) and with the project's
// directory as DIR, as sorted JSON texts (threads send them as they go).
func (r *lineageReceiver) take(t *testing.T, dir string) []string {
	t.Helper()
	r.mu.Lock()
	events := r.events
	r.events = nil
	r.mu.Unlock()
	out := make([]string, 0, len(events))
	for _, ev := range events {
		delete(ev, "eventTime")
		run, _ := ev["run"].(map[string]any)
		delete(run, "runId")
		if facets, ok := run["facets"].(map[string]any); ok {
			if parent, ok := facets["parent"].(map[string]any); ok {
				delete(parent, "run")
			}
		}
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		out = append(out, strings.ReplaceAll(string(b), filepath.ToSlash(dir), "DIR"))
	}
	sort.Strings(out)
	return out
}

// introspectiveProject is chainProject with a table that lists m4's
// columns from the warehouse, and a view over it.
func introspectiveProject(t testing.TB) string {
	dir := chainProject(t)
	writeFile(t, dir, "models/star_m4.sql", `{{ config(materialized='table') }}
{%- set cols = adapter.get_columns_in_relation(ref('m4')) %}
select {% for c in cols %}{{ c.name }}{% if not loop.last %}, {% endif %}{% endfor %}{% if not cols %}*{% endif %}, {{ cols | length }} as n
from {{ ref('m4') }}
`)
	writeFile(t, dir, "models/after_star.sql", "select id, n from {{ ref('star_m4') }}\n")
	// generic tests that count a relation's columns in the warehouse (as
	// dbt_expectations' do): the runner renders them against it, through
	// their macro call, which the snapshot keeps
	writeFile(t, dir, "macros/column_count_is.sql", `{% test column_count_is(model, value, column_name=none) -%}
{%- set n = adapter.get_columns_in_relation(model) | length -%}
select {{ n }} as n where {{ n }} != {{ value }}
{%- endtest %}`)
	writeFile(t, dir, "models/_introspective.yml", `version: 2
models:
  - name: star_m4
    data_tests:
      - column_count_is: {value: 2}
    columns:
      - name: id
        data_tests:
          - column_count_is: {value: 2.0}
  - name: after_star
    data_tests:
      - column_count_is: {value: 3, config: {severity: warn}}
`)
	return dir
}

func chainProject(t testing.TB) string {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: chain\nmodels:\n  chain:\n    +materialized: view\n")
	writeFile(t, dir, "seeds/raw_ids.csv", "id\n1\n2\n")
	writeFile(t, dir, "models/m4.sql", "select id from {{ ref('raw_ids') }}\n")
	writeFile(t, dir, "models/m3.sql", "select id from {{ ref('m4') }}\n")
	writeFile(t, dir, "models/m2.sql", "select id from {{ ref('m3') }}\n")
	writeFile(t, dir, "models/m1.sql", "select id, '{{ var(\"label\", \"m1\") }}' as label from {{ ref('m2') }}\n")
	// its config's int (from YAML) stays an int at run time (JSON would make it 2.0)
	writeFile(t, dir, "models/y.sql", `{{ config(materialized='incremental', unique_key='id') }}
select id * {{ config.get('factor') }} as id, '{{ config.get("factor") }}' as factor from {{ ref('m4') }}
{% if is_incremental() %}
union all select id + 100, '{{ config.get("factor") }}' from {{ ref('m3') }}
{% endif %}
`)
	writeFile(t, dir, "models/z.sql", `{{ config(materialized='table', factor=2.5, post_hook="select {{ config.get('factor') }} as f") }}
select id * {{ config.get('factor') }} as id from {{ ref('m4') }}
`)
	// an incremental model over an ephemeral one over another: a render
	// at run time inlines both, the inner one first
	writeFile(t, dir, "models/e2.sql", "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('m4') }}\n")
	writeFile(t, dir, "models/e1.sql", "{{ config(materialized='ephemeral') }}\nselect id + 10 as id from {{ ref('e2') }}\n")
	writeFile(t, dir, "models/inc_e.sql", `{{ config(materialized='incremental', unique_key='id') }}
select id from {{ ref('e1') }}
{% if is_incremental() %}where id > 0{% endif %}
`)
	// a hook that reads graph: a run loaded from the snapshot would see
	// m4's factor as JSON has it (2.0), so it compiles the whole project
	writeFile(t, dir, "models/gh.sql", "{{ config(materialized='table') }}\nselect 1 as id\n")
	writeFile(t, dir, "models/_models.yml", `version: 2
models:
  - name: m4
    config: {factor: 2}
  - name: gh
    config:
      post_hook: "create or replace table gh_out as select '{{ graph.nodes['model.chain.m4'].config.factor }}' as f"
  - name: m1
    columns:
      - name: id
        tests: [not_null, unique]
  - name: y
    config: {factor: 2}
    columns:
      - name: id
        tests: [unique]
`)
	return dir
}

var (
	// a run that loaded its nodes from the patch snapshot, or `mart ls` of
	// names, paths or selectors that listed them from its node index
	loadedFromPatch = regexp.MustCompile(`mart timing: (load|list) \d+ nodes`)
	patchWrote      = regexp.MustCompile(`(?m)^mart timing: write `) // a patch wrote target/
	noSelection     = regexp.MustCompile(`no selection from the patch: ([^\n]*?)\s{2,}`)
	durations       = regexp.MustCompile(`\d+\.\d+s\b`)
	logTimes        = regexp.MustCompile(`"ts":"[^"]*"`)
)

func noSelectionReason(stderr string) string {
	if m := noSelection.FindStringSubmatch(stderr); m != nil {
		return m[1]
	}
	return "?"
}

// runOutput is a run's console output without its durations.
func runOutput(stdout string) string { return durations.ReplaceAllString(stdout, "Ns") }

// ranSQL is what the last run's results say, without times, and the SQL
// each node ran: its compiled file, or the file target/run/ has of it.
func ranSQL(t *testing.T, dir string) []string {
	t.Helper()
	var rr struct {
		Results []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "target/run_results.json")), &rr))
	var out []string
	for _, r := range rr.Results {
		delete(r, "timing")
		delete(r, "execution_time")
		b, err := json.Marshal(r)
		require.NoError(t, err)
		out = append(out, string(b))
		if p, ok := r["compiled_path"].(string); ok && p != "" {
			out = append(out, p+":\n"+readFile(t, dir, p))
		}
	}
	sort.Strings(out)
	return out
}

// manifestBody is target/manifest.json without its metadata.
func manifestBody(t *testing.T, dir string) string {
	t.Helper()
	m := readFile(t, dir, "target/manifest.json")
	i := strings.Index(m, `,"nodes":`)
	require.Positive(t, i)
	return m[i:]
}

// tables is every table's rows, sorted, but the columns that hold the
// time they ran (a snapshot's dbt_ columns, the demo's _loaded_at).
func tables(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, row := range query(t, dir, `select table_schema, table_name from information_schema.tables
		where table_type = 'BASE TABLE' order by 1, 2`) {
		name := fmt.Sprintf(`"%s"."%s"`, row[0], row[1])
		var cols []string
		for _, c := range query(t, dir, fmt.Sprintf(`select column_name from information_schema.columns
			where table_schema = '%s' and table_name = '%s' order by ordinal_position`, row[0], row[1])) {
			if col := c[0].(string); !strings.HasPrefix(col, "dbt_") && col != "_loaded_at" {
				cols = append(cols, `"`+col+`"`)
			}
		}
		var rows []string
		for _, r := range query(t, dir, fmt.Sprintf("select %s from %s", strings.Join(cols, ", "), name)) {
			rows = append(rows, fmt.Sprint(r...))
		}
		sort.Strings(rows)
		out[name] = rows
	}
	return out
}

// A model that reads invocation_id (an audit column) renders again at
// every patch: runs of a selection still load from the snapshot, and the
// model built carries each run's own invocation id, as a whole compile's.
func TestBuildFromPatchVolatileModel(t *testing.T) {
	dir := chainProject(t)
	writeFile(t, dir, "models/audit.sql", "{{ config(materialized='table') }}\nselect id, '{{ invocation_id }}' as inv from {{ ref('m1') }}\n")
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	for _, sel := range []string{"audit", "m1", "audit"} {
		r = martEnv(t, dir, []string{"MART_TIMINGS=1"}, "build", "--select", sel)
		require.Equal(t, 0, r.Code, r.String())
		require.Regexp(t, loadedFromPatch, r.Stderr, "mart build --select %s", sel)
		var results struct {
			Metadata struct {
				InvocationID string `json:"invocation_id"`
			} `json:"metadata"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "target", "run_results.json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &results))
		inv := results.Metadata.InvocationID
		require.NotEmpty(t, inv)
		compiled, err := os.ReadFile(filepath.Join(dir, "target", "compiled", "models", "audit.sql"))
		require.NoError(t, err)
		require.Contains(t, string(compiled), "'"+inv+"' as inv", "after mart build --select %s", sel)
		if sel == "audit" {
			require.Equal(t, [][]any{{inv}}, query(t, dir, "select distinct inv from audit"))
		}
	}
}

// A run that compiles the whole project right after patching target/
// (every node selected) does not adopt the patch when a model renders
// differently at every compile: manifest.json holds what the run compiled
// and ran (found by a review: the two compiles' run_started_at differed).
func TestBuildAfterPatchWithVolatileModel(t *testing.T) {
	dir := chainProject(t)
	writeFile(t, dir, "models/audit.sql", "{{ config(materialized='table') }}\nselect id, '{{ run_started_at }}' as at from {{ ref('m1') }}\n")
	for _, args := range [][]string{{"compile"}, {"build"}, {"build", "--select", "audit"}, {"compile"}, {"build"}} {
		r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, args...)
		require.Equal(t, 0, r.Code, r.String())
		var m struct {
			Nodes map[string]struct {
				CompiledCode string `json:"compiled_code"`
			} `json:"nodes"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &m))
		compiled, err := os.ReadFile(filepath.Join(dir, "target", "compiled", "models", "audit.sql"))
		require.NoError(t, err)
		require.Equal(t, m.Nodes["model.chain.audit"].CompiledCode+"\n", string(compiled), "after mart %v", args)
		require.NotContains(t, r.Stderr, "adopted the patch", "mart %v", args)
	}
	// the runs kept a snapshot: a run of a selection loads from it
	r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, "build", "--select", "m1")
	require.Equal(t, 0, r.Code, r.String())
	require.Regexp(t, loadedFromPatch, r.Stderr)
}

// A damaged node index is never trusted: the run says so in one line,
// compiles the whole project and keeps a new snapshot, which the next run
// loads from.
func TestBuildFromPatchDamagedIndex(t *testing.T) {
	dir := chainProject(t)
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = martEnv(t, dir, []string{"MART_TIMINGS=1"}, "build", "--select", "m1")
	require.Equal(t, 0, r.Code, r.String())
	require.Regexp(t, loadedFromPatch, r.Stderr)
	// damaged, then found by a run of a selection, then by one of every node
	for _, args := range [][]string{{"build", "--select", "m1"}, {"build"}} {
		damageBlobsTail(t, dir, 200)
		r = martEnv(t, dir, []string{"MART_TIMINGS=1"}, args...)
		require.Equal(t, 0, r.Code, r.String())
		require.NotRegexp(t, loadedFromPatch, r.Stderr)
		require.Contains(t, r.Stderr, "target/partial_parse.blobs: warning: partial-parse cache ignored: the node index is damaged")
		r = martEnv(t, dir, []string{"MART_TIMINGS=1"}, "build", "--select", "m1")
		require.Equal(t, 0, r.Code, r.String())
		require.Regexp(t, loadedFromPatch, r.Stderr, "after mart %v", args)
		require.NotContains(t, r.Stderr, "partial-parse cache ignored")
	}
}

// `mart ls --select` loads from the patch snapshot too (what an
// orchestrator runs to list a big project's models): in every output form
// and resource type it prints what `mart ls` of a whole compile prints, and
// exits the same. Names, paths and selectors are listed from the node
// index alone, for every node too (plain `mart ls`, "(all)" below) and for
// --exclude alone. It never writes target/: after an edit it compiles the
// whole project (and says nothing), and target/ stays as it was; after the
// next compile it loads from the snapshot again. Plain `mart ls` writes
// nothing either.
func TestLsFromPatchMatchesWholeCompile(t *testing.T) {
	t.Parallel() // (a long comparison: it overlaps the others; see TestMain)
	cases := []struct {
		name    string
		dir     func(t testing.TB) string
		selects []string
		edit    string
	}{
		{"demo", demo, []string{"(all)", "--exclude path:models/marts", "dim_cars", "+agg_member_cohorts", "dim_cars+", "source:*+", "resource_type:snapshot",
			"resource_type:unit_test", "resource_type:seed+", "path:models/marts", "@dim_members", "marts.*", "nosuch",
			"fct_rentals --exclude resource_type:test", "tag:staging,resource_type:model"}, "models/marts/dim_cars.sql"},
		{"chain", chainProject, []string{"(all)", "m1 m4", "+m1", "m4+", "y", "inc_e", "raw_ids+"}, "models/m2.sql"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			light, whole := tc.dir(t), tc.dir(t)
			// the project as checked out long ago: no input is racy (an ls
			// reads those that are and keeps them in the snapshot's head)
			past := time.Now().Add(-time.Hour)
			require.NoError(t, filepath.WalkDir(light, func(p string, d os.DirEntry, err error) error {
				if err == nil {
					err = os.Chtimes(p, past, past)
				}
				return err
			}))
			r := mart(t, light, "compile")
			require.Equal(t, 0, r.Code, r.String())
			// each selection in four forms, compared; loaded counts the
			// runs that loaded from the snapshot
			compare := func(what string) (runs, loaded int) {
				for _, sel := range tc.selects {
					for _, extra := range [][]string{{"-o", "selector"}, {"-o", "json"}, {"-o", "path", "--resource-type", "all"},
						{"-o", "name", "--resource-type", "test"},
						// every key of an entry, in dbt's form of a list of
						// values after one flag
						{"-o", "json", "--output-keys", "unique_id", "name", "compiled_code", "compiled_path", "raw_code",
							"checksum", "fqn", "columns", "meta", "description", "patch_path", "refs", "sources",
							"test_metadata", "unit_test", "freshness", "database", "schema", "version", "config",
							"unrendered_config", "constraints", "column_name", "attached_node", "source_name", "identifier",
							"latest_version", "language", "seed_path", "loaded_at_field", "extract", "fingerprint"}} {
						args := append(append([]string{"ls"}, selectArgs(sel)...), extra...)
						a := martEnv(t, light, []string{"MART_TIMINGS=1"}, args...)
						b := mart(t, whole, append(args, "--no-partial-parse")...)
						what := what + ": mart " + strings.Join(args, " ")
						require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
						require.Equal(t, b.Stdout, a.Stdout, what)
						require.Equal(t, b.Stderr, timingLines.ReplaceAllString(a.Stderr, ""), what)
						runs++
						if loadedFromPatch.MatchString(a.Stderr) {
							loaded++
						} else {
							t.Logf("%s: compiled the whole project: %s", what, noSelectionReason(a.Stderr))
						}
					}
				}
				return runs, loaded
			}
			targetNow := func() string { return targetState(t, light) }
			before := targetNow()
			runs, loaded := compare("as compiled")
			require.Equal(t, runs, loaded, "every ls loaded from the snapshot")
			require.Equal(t, before, targetNow(), "ls wrote target/")
			r = mart(t, light, "ls")
			require.Equal(t, 0, r.Code, r.String())
			require.Equal(t, before, targetNow(), "plain ls wrote target/")

			// after an edit the first ls patches target/, as a run's
			// compile does (dbt ls writes manifest.json too), and lists
			// from the new snapshot; the next ones serve it as it is
			editModel(t, tc.edit, light, whole)
			// (an hour ago too: an input the patch finds racy, which the
			// next ls reads again, rewrites the snapshot's head)
			require.NoError(t, os.Chtimes(filepath.Join(light, tc.edit), past, past))
			r = martEnv(t, light, []string{"MART_TIMINGS=1"}, "ls")
			require.Equal(t, 0, r.Code, r.String())
			require.Regexp(t, loadedFromPatch, r.Stderr, "the ls after an edit patched")
			patched := targetNow()
			require.NotEqual(t, before, patched, "the ls after an edit patched target/")
			runs, loaded = compare("edited")
			require.Equal(t, runs, loaded, "every ls loaded from the snapshot")
			require.Equal(t, patched, targetNow(), "ls wrote target/ with nothing changed")
			r = martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
			require.Equal(t, 0, r.Code, r.String())
			require.Contains(t, r.Stderr, "render (0, 0 entries)", "the compile after the ls had nothing to patch")

			r = mart(t, light, "compile")
			require.Equal(t, 0, r.Code, r.String())
			runs, loaded = compare("compiled again")
			require.Equal(t, runs, loaded, "every ls loaded from the snapshot")
		})
	}
}

// targetState is what target/ holds: each file's name, size and
// modification time (in nanoseconds), so that any write shows.
func targetState(t *testing.T, dir string) string {
	var b strings.Builder
	err := filepath.WalkDir(filepath.Join(dir, "target"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := os.Stat(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %d\n", path, fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	require.NoError(t, err)
	return b.String()
}

// selectArgs are the flags of a case's selection: "a b --exclude c" is
// --select "a b" --exclude c.
func selectArgs(sel string) []string {
	if sel == "(all)" {
		return nil
	}
	if strings.HasPrefix(sel, "--exclude ") {
		return []string{"--exclude", sel[len("--exclude "):]}
	}
	if i := strings.Index(sel, " --exclude "); i >= 0 {
		return []string{"--select", sel[:i], "--exclude", sel[i+len(" --exclude "):]}
	}
	return []string{"--select", sel}
}

// editModel appends a comment to the model file rel in each project.
func editModel(t *testing.T, rel string, dirs ...string) {
	for _, dir := range dirs {
		f := filepath.Join(dir, rel)
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(f, append(data, "\n-- edited\n"...), 0o644))
	}
}

var timingLines = regexp.MustCompile(`(?m)^mart timing: .*\n`)

// `mart show` loads what its preview needs from the patch snapshot too (an
// analyst previews a model of a big project after each edit): its output
// and exit code are those of a whole compile's, for a selection or an
// inline query, before and after an edit of a model and of one that
// queries the warehouse.
func TestShowFromPatchMatchesWholeCompile(t *testing.T) {
	light, whole := introspectiveProject(t), introspectiveProject(t)
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
	}
	shows := [][]string{{"--select", "m1"}, {"--select", "star_m4"}, {"--select", "after_star"}, {"--select", "raw_ids"},
		{"--select", "z", "--limit", "1"}, {"--select", "m1 m4"}, {"--select", "nosuch"},
		{"--inline", "select count(*) as n from {{ ref('m4') }}"}, {"--inline", "select * from {{ ref('star_m4') }} order by id"}}
	loaded := 0
	for round := 0; round < 2; round++ {
		if round == 1 {
			editModel(t, "models/m2.sql", light, whole)
			editModel(t, "models/star_m4.sql", light, whole)
		}
		for _, args := range shows {
			if sameAsWhole(t, round, light, whole, append([]string{"show"}, args...), nil) {
				loaded++
			}
		}
	}
	require.Equal(t, 2*len(shows), loaded, "previews that loaded from the patch snapshot")
}

// `mart run-operation` loads the project's macros and what they ref from
// the patch snapshot (an orchestrator runs operations on a big project
// often): its output, exit code and effect are those of a whole compile's.
func TestRunOperationFromPatchMatchesWholeCompile(t *testing.T) {
	light, whole := introspectiveProject(t), introspectiveProject(t)
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "macros/ops.sql", `{% macro copy_of(model, to) %}
  {% do run_query('create or replace table ' ~ to ~ ' as select * from ' ~ ref(model)) %}
  {{ log('copied ' ~ ref(model) ~ ' (' ~ var('label', 'none') ~ ')', info=True) }}
{% endmacro %}
{% macro count_of(table) %}
  {% do print(table ~ ': ' ~ run_query('select count(*) from ' ~ table).columns[0].values()[0]) %}
{% endmacro %}`)
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
	}
	ops := [][]string{{"copy_of", "--args", "{model: star_m4, to: star_copy}"}, {"count_of", "--args", "{table: star_copy}"},
		{"copy_of", "--args", "{model: m1, to: m1_copy}"}, {"count_o"}, {"count_of", "--args", "[1]"},
		{"count_of", "--args", "{table: missing}"}, {"copy_of", "--args", "{model: nosuch, to: x}"}}
	loaded := 0
	for round := 0; round < 2; round++ {
		if round == 1 {
			editModel(t, "models/m2.sql", light, whole)
		}
		for _, op := range ops {
			if sameAsWhole(t, round, light, whole, append([]string{"run-operation"}, op...), nil) {
				loaded++
			}
		}
	}
	// --args that are not a mapping fail before anything loads
	require.Equal(t, 2*(len(ops)-1), loaded, "operations that loaded from the patch snapshot")
	require.Equal(t, tables(t, whole), tables(t, light))
}

// sameAsWhole runs mart args in light (partial parsing on) and in whole
// (--no-partial-parse), requires the same exit code, stdout (through
// normalize; nil: without durations) and stderr (without timing lines), and says whether
// light loaded from the patch snapshot.
func sameAsWhole(t *testing.T, round int, light, whole string, args []string, normalize func(string) string) bool {
	t.Helper()
	a := martEnv(t, light, []string{"MART_TIMINGS=1"}, args...)
	b := mart(t, whole, append(args, "--no-partial-parse")...)
	what := fmt.Sprintf("round %d, mart %q", round, args)
	require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
	if normalize == nil {
		normalize = runOutput // durations
	}
	require.Equal(t, normalize(b.Stdout), normalize(a.Stdout), what)
	require.Equal(t, b.Stderr, timingLines.ReplaceAllString(a.Stderr, ""), what)
	if loadedFromPatch.MatchString(a.Stderr) {
		return true
	}
	t.Logf("%s: compiled the whole project: %s", what, noSelectionReason(a.Stderr))
	return false
}

// damageBlobsTail flips bytes in the last n bytes of target/'s blobs file,
// where a whole compile writes the node index.
func damageBlobsTail(t *testing.T, dir string, n int) {
	t.Helper()
	blobs := filepath.Join(dir, "target", "partial_parse.blobs")
	data, err := os.ReadFile(blobs)
	require.NoError(t, err)
	for i := len(data) - n; i < len(data); i += 7 {
		data[i] ^= 0x5a
	}
	require.NoError(t, os.WriteFile(blobs, data, 0o600))
}

// `mart compile --select` loads what it writes from the patch snapshot
// too (`dbt compile -s model` is how one reads a model's SQL): its output,
// exit code, manifest.json and the selected nodes' compiled files are a
// whole compile's. A selection of a model that queries the warehouse
// compiles the whole project (its manifest entry is rendered against the
// warehouse). Like a run of a selection, it leaves target/compiled as
// `mart compile` would write it: an edited model's file is written even
// when it is not selected.
func TestCompileSelectFromPatchMatchesWholeCompile(t *testing.T) {
	light, whole := introspectiveProject(t), introspectiveProject(t)
	r := mart(t, light, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, whole, "build", "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, light, "compile")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, whole, "compile", "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	selects := [][]string{{"m1"}, {"m1+"}, {"resource_type:test"}, {"raw_ids z"}, {"inc_e"}, {"star_m4"}, {"after_star"},
		{"nosuch"}, {"m4", "--exclude", "m4"}, {"m1", "--exclude", "resource_type:test"}}
	loaded := 0
	for round := 0; round < 2; round++ {
		if round == 1 {
			editModel(t, "models/m2.sql", light, whole)
		}
		for _, sel := range selects {
			args := append([]string{"compile", "--select"}, sel...)
			if sameAsWhole(t, round, light, whole, args, nil) {
				loaded++
			}
			what := fmt.Sprintf("round %d, mart %q", round, args)
			require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
			an, ac := compiledFiles(t, light)
			bn, bc := compiledFiles(t, whole)
			require.Equal(t, bn, an, what)
			if round == 1 { // the edited model's file: see above
				require.Contains(t, ac["models/m2.sql"], "-- edited", what)
				delete(ac, "models/m2.sql")
				delete(bc, "models/m2.sql")
			}
			require.Equal(t, bc, ac, what)
		}
	}
	// star_m4 and resource_type:test (tests that count columns in the
	// warehouse) query the warehouse while they render
	require.Equal(t, 2*(len(selects)-2), loaded, "compiles that loaded from the patch snapshot (all but star_m4's and the tests')")
}

// An inline query that names graph compiles the whole project: a
// snapshot's graph is manifest.json's, with JSON's numbers (2.0 for 2).
// Found by a review, as the three tests after it.
func TestShowInlineGraphFromPatch(t *testing.T) {
	light, whole := chainProject(t), chainProject(t)
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
	}
	args := []string{"show", "--inline", "select '{{ graph.nodes['model.chain.y'].config.factor }}' as f"}
	require.False(t, sameAsWhole(t, 0, light, whole, args, nil))
	require.Contains(t, mart(t, light, args...).Stdout, "\n-\n2\n")
}

// show, run-operation and source freshness write target/ as a run's
// compile does whether they load from the patch snapshot or compile the
// whole project (dbt writes its manifest at every command): a later
// command that reads target/ (here --state target) sees the same.
func TestReadingCommandsLeaveTargetAsWholeCompile(t *testing.T) {
	for _, cmd := range [][]string{{"show", "--select", "m1"}, {"show", "--inline", "select 1 as x"},
		{"run-operation", "noop"}, {"source", "freshness"}} {
		t.Run(strings.Join(cmd[:2], " "), func(t *testing.T) {
			light, whole := chainProject(t), chainProject(t)
			for _, dir := range []string{light, whole} {
				writeFile(t, dir, "macros/noop.sql", "{% macro noop() %}{% endmacro %}")
				r := mart(t, dir, "build")
				require.Equal(t, 0, r.Code, r.String())
				r = mart(t, dir, "compile")
				require.Equal(t, 0, r.Code, r.String())
			}
			editModel(t, "models/m2.sql", light, whole)
			require.True(t, sameAsWhole(t, 0, light, whole, cmd, nil))
			require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
			ls := []string{"ls", "--select", "state:modified", "--state", "target", "--output", "name"}
			a, b := mart(t, light, ls...), mart(t, whole, append(ls, "--no-partial-parse")...)
			require.Equal(t, b.Stdout, a.Stdout)
			require.Equal(t, b.Stderr, a.Stderr)
		})
	}
}

// A damaged snapshot is noted once: the whole compile of show,
// run-operation or source freshness keeps a new one.
func TestReadingCommandsNoteDamagedSnapshotOnce(t *testing.T) {
	dir := chainProject(t)
	writeFile(t, dir, "macros/noop.sql", "{% macro noop() %}{% endmacro %}")
	require.Equal(t, 0, mart(t, dir, "build").Code)
	require.NoError(t, os.Truncate(filepath.Join(dir, "target", "partial_parse.patch"), 100))
	notes, loaded := 0, 0
	for _, cmd := range [][]string{{"show", "--select", "m1"}, {"run-operation", "noop"}, {"source", "freshness"}, {"show", "--select", "m1"}} {
		r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, cmd...)
		require.Equal(t, 0, r.Code, r.String())
		notes += strings.Count(r.Stderr, "partial-parse cache ignored")
		if loadedFromPatch.MatchString(r.Stderr) {
			loaded++
		}
	}
	require.Equal(t, 1, notes, "the damaged snapshot noted")
	require.Equal(t, 3, loaded, "commands that loaded from the snapshot the first one kept")
}

// `mart source freshness --exclude` alone says nothing of an empty
// selection, as a whole compile's does not.
func TestSourceFreshnessExcludeOnlyFromPatch(t *testing.T) {
	light, whole := freshnessProject(t), freshnessProject(t)
	args := []string{"source", "freshness", "--exclude", "source:raw", "--exclude", "resource_type:model"}
	require.True(t, sameAsWhole(t, 0, light, whole, args, nil))
}

// A generic test whose file name is hashed (a name of 64 characters or
// more) and whose arguments are integers: loaded from the patch snapshot,
// its arguments come back from JSON (1.0 for 1), yet compile --select and a
// run write its file where manifest.json's compiled_path (and a whole
// compile) put it (found by a review).
func TestHashedTestFileFromPatch(t *testing.T) {
	light, whole := chainProject(t), chainProject(t)
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/reservations_long.sql", "select 1 as trip_rating\n")
		writeFile(t, dir, "models/_long.yml", `version: 2
models:
  - name: reservations_long
    columns:
      - name: trip_rating
        tests:
          - accepted_values: {values: [1, 2, 3, 4, 5], quote: false}
`)
	}
	for _, args := range [][]string{{"build"}, {"compile"}, {"compile", "--select", "test_type:generic"}, {"test", "--select", "reservations_long"}} {
		if args[0] == "build" || len(args) == 1 {
			require.Equal(t, 0, mart(t, light, args...).Code)
			require.Equal(t, 0, mart(t, whole, append(args, "--no-partial-parse")...).Code)
			continue
		}
		require.True(t, sameAsWhole(t, 0, light, whole, args, nil), "mart %v loads from the snapshot", args)
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
		an, _ := compiledFiles(t, light)
		bn, _ := compiledFiles(t, whole)
		require.Equal(t, bn, an, "mart %v", args)
	}
}

// patchedLikeWhole runs args in light (partial parsing on) and in whole
// (--no-partial-parse) after the same edit: light's compile must be
// patched and its run loaded from the snapshot, and both must exit, print,
// run and write target/manifest.json alike. It returns light's result.
func patchedLikeWhole(t *testing.T, light, whole, what string, args ...string) result {
	t.Helper()
	a := martEnv(t, light, []string{"MART_TIMINGS=1"}, args...)
	b := mart(t, whole, append(args, "--no-partial-parse")...)
	require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
	assert.NotContains(t, a.Stderr, "no patch:", what) // patched, not compiled whole
	assert.Regexp(t, loadedFromPatch, a.Stderr, "%s: %s", what, noSelectionReason(a.Stderr))
	require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
	require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what)
	return a
}

// builtPair makes the project files make twice and builds each: light
// with partial parsing, whole without.
func builtPair(t *testing.T, files map[string]string) (light, whole string) {
	t.Helper()
	light, whole = t.TempDir(), t.TempDir()
	for rel, text := range files {
		writeFile(t, light, rel, text)
		writeFile(t, whole, rel, text)
	}
	r := mart(t, light, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, whole, "build", "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	return light, whole
}

// An analyst documents a column (a name and a description in YAML) of a
// model that persists its docs, then builds it: the compile is patched
// (patchyaml.go), the build loads from the snapshot, and what it writes
// into the warehouse (the columns' comments) and target/ are a whole
// compile's. Then the column is renamed, typed and removed again.
func TestBuildFromPatchAfterColumnsDocumented(t *testing.T) {
	props := func(cols string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n    config:\n      persist_docs: {relation: true, columns: true}\n" +
			"    columns:\n      - name: id\n        description: the key\n        data_tests: [unique]\n" + cols + "  - name: b\n    description: the b\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: cols\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id, 'x' as label, 2 as amount\n",
		"models/b.sql": "select id from {{ ref('a') }}\n", "models/_props.yml": props("")})
	comments := func(dir string) [][]any {
		return query(t, dir, `select column_name, comment from duckdb_columns() where table_name = 'a' order by column_index`)
	}
	for _, step := range []struct{ name, cols string }{
		{"documented", "      - name: label\n        description: the label\n"},
		{"another, undescribed", "      - name: label\n        description: the label\n      - name: amount\n"},
		{"renamed", "      - name: label\n        description: the label\n      - name: Amount\n"},
		{"typed, with meta", "      - name: label\n        description: the label\n        data_type: varchar\n        meta: {pii: false}\n      - name: Amount\n"},
		{"removed", "      - name: Amount\n"},
	} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "models/_props.yml", props(step.cols))
		}
		a := patchedLikeWhole(t, light, whole, step.name, "build", "--threads", "1", "--select", "a")
		require.Equal(t, 0, a.Code, a.String())
		require.Equal(t, comments(whole), comments(light), step.name)
		if step.name == "documented" {
			assert.Equal(t, [][]any{{"id", "the key"}, {"label", "the label"}, {"amount", nil}}, comments(light))
		}
	}
	assert.Equal(t, [][]any{{"id", "the key"}, {"label", nil}, {"amount", nil}}, comments(light))
}

// An analyst adds a row to a seed and builds it and what reads it: the
// compile is patched (the seed's checksum in its entry), the build loads
// from the snapshot, and the tables and target/ are a whole compile's.
func TestBuildFromPatchAfterSeedEdit(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: sd\n", "seeds/s.csv": "id,name\n1,a\n",
		"models/m.sql": "{{ config(materialized='table') }}\nselect count(*) as n from {{ ref('s') }}\n"})
	for i, rows := range []string{"1,a\n2,b\n", "1,a\n2,b\n3,c\n"} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "seeds/s.csv", "id,name\n"+rows)
		}
		a := patchedLikeWhole(t, light, whole, rows, "build", "--threads", "1", "--select", "s+")
		require.Equal(t, 0, a.Code, a.String())
		require.Equal(t, tables(t, whole), tables(t, light))
		assert.Equal(t, int64(i+2), scalar(t, light, "select n from main.m"))
	}
}

// An analyst adds a model and builds it, then one that refs it, then
// removes that one: the
// compile is patched (patchadd.go), the build loads from the snapshot
// (the node index has the added nodes), and what it runs and writes are
// a whole compile's.
func TestBuildFromPatchAfterModelAdded(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: am\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/b.sql": "select id from {{ ref('a') }}\n"})
	for i, add := range []struct{ file, sql, sel string }{
		{"models/c.sql", "{{ config(materialized='table') }}\nselect id, 2 as n from {{ ref('b') }}\n", "c"},
		{"models/d.sql", "select n + 1 as n from {{ ref('c') }}\n", "+d"},
	} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, add.file, add.sql)
		}
		a := patchedLikeWhole(t, light, whole, add.file, "build", "--threads", "1", "--select", add.sel)
		require.Equal(t, 0, a.Code, a.String())
		require.Equal(t, tables(t, whole), tables(t, light))
		assert.Equal(t, int32(2+i), scalar(t, light, "select n from main."+strings.TrimSuffix(filepath.Base(add.file), ".sql")))
	}
	// d removed: the compile is patched, and c+ is c alone
	for _, dir := range []string{light, whole} {
		require.NoError(t, os.Remove(filepath.Join(dir, "models", "d.sql")))
	}
	a := patchedLikeWhole(t, light, whole, "d removed", "build", "--threads", "1", "--select", "c+")
	require.Equal(t, 0, a.Code, a.String())
	assert.Contains(t, a.Stdout, "TOTAL=1")
}

// An analyst edits a singular test until it fails, then fixes it, running
// it each time: the compile is patched (the test's entry and compiled
// file), the run loads from the snapshot, and what it prints, runs and
// writes are a whole compile's.
func TestTestFromPatchAfterSingularTestEdit(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: st\n",
		"models/m.sql": "{{ config(materialized='table') }}\nselect 1 as id\n", "tests/t.sql": "select * from {{ ref('m') }} where id < 0\n"})
	for _, step := range []struct {
		sql  string
		code int
	}{{"select * from {{ ref('m') }} where id > 0\n", 1}, {"select * from {{ ref('m') }} where id > 1\n", 0}} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "tests/t.sql", step.sql)
		}
		a := patchedLikeWhole(t, light, whole, step.sql, "test", "--threads", "1", "--select", "t")
		require.Equal(t, step.code, a.Code, a.String())
	}
}

// A CI job checks out the repository and restores target/ (with its
// patch snapshot and the dev warehouse) from a cache, then builds what a
// pull request changed: every file holds what it held under a new stat,
// and the compile is patched all the same (target/ checked by content),
// with what a whole compile would run and write. A restored manifest.json
// of another compile is not trusted.
func TestBuildFromPatchAfterCacheRestore(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: ci\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/b.sql": "select id from {{ ref('a') }}\n"})
	restore := func() {
		cache := light + ".cache"
		copyTree(t, light, cache)
		require.NoError(t, os.RemoveAll(light))
		copyTree(t, cache, light)
		require.NoError(t, os.RemoveAll(cache))
	}
	for i, sql := range []string{"select id, 2 as n from {{ ref('a') }}\n", "select id, 3 as n from {{ ref('a') }}\n"} {
		restore()
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "models/b.sql", sql)
		}
		a := patchedLikeWhole(t, light, whole, sql, "build", "--threads", "1", "--select", "b")
		require.Equal(t, 0, a.Code, a.String())
		require.Equal(t, tables(t, whole), tables(t, light))
		assert.Equal(t, int32(i+2), scalar(t, light, "select n from main.b"))
	}
	// target/ of another compile of the project: compiled whole
	manifest := filepath.Join(light, "target", "manifest.json")
	data, err := os.ReadFile(manifest)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(manifest, bytes.Replace(data, []byte(`"name":"b"`), []byte(`"name":"B"`), 1), 0o644))
	restore()
	a := martEnv(t, light, []string{"MART_TIMINGS=1"}, "build", "--threads", "1", "--select", "b")
	require.Equal(t, 0, a.Code, a.String())
	assert.Contains(t, a.Stderr, "no patch: manifest.json changed")
}

// After a whole `mart build`, target/compiled holds every compiled file
// `mart compile` writes (and the generic tests' besides): the next
// compile after an edit is patched, and writes what a whole compile
// writes. An analysis added before a build is patched in by the build's
// compile, which writes its compiled file (session 39; before, that
// compile was whole and the next one too): the compile after it is
// patched. A project whose analysis a whole build compiled, which no
// build runs, compiles whole after it.
func TestCompilePatchedAfterWholeBuild(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: wb\n",
		"models/a.sql":      "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/b.sql":      "select id from {{ ref('a') }}\n",
		"models/_props.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/b.sql", "select id, 2 as n from {{ ref('a') }}\n")
	}
	a := martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
	require.Equal(t, 0, a.Code, a.String())
	assert.NotContains(t, a.Stderr, "no patch:")
	b := mart(t, whole, "compile", "--no-partial-parse")
	require.Equal(t, 0, b.Code, b.String())
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
	require.Equal(t, compiledTree(t, whole), compiledTree(t, light))

	writeFile(t, light, "analyses/look.sql", "select * from {{ ref('b') }}\n")
	r := martEnv(t, light, []string{"MART_TIMINGS=1"}, "build")
	require.Equal(t, 0, r.Code, r.String())
	assert.NotContains(t, r.Stderr, "no patch:")
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "analyses/look.sql", "select * from {{ ref('b') }}\n")
		writeFile(t, dir, "models/b.sql", "select id, 3 as n from {{ ref('a') }}\n")
	}
	a = martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
	require.Equal(t, 0, a.Code, a.String())
	assert.NotContains(t, a.Stderr, "no patch:")
	b = mart(t, whole, "compile", "--no-partial-parse")
	require.Equal(t, 0, b.Code, b.String())
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
	require.Equal(t, compiledTree(t, whole), compiledTree(t, light))

	// the analysis there at the whole build: target/compiled lacks it
	light, _ = builtPair(t, map[string]string{"mart.yml": "name: wb\n",
		"models/a.sql":      "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/b.sql":      "select id from {{ ref('a') }}\n",
		"analyses/look.sql": "select * from {{ ref('b') }}\n"})
	writeFile(t, light, "models/b.sql", "select id, 3 as n from {{ ref('a') }}\n")
	a = martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
	require.Equal(t, 0, a.Code, a.String())
	assert.Contains(t, a.Stderr, "no patch: a run kept the snapshot")
}

// compiledTree is every file under target/compiled, by path.
func compiledTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join(dir, "target", "compiled")
	require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[rel] = string(b)
		return err
	}))
	return out
}

// An analyst changes what a model joins and builds what the new parent
// feeds: the compile is patched (patchreshape.go), the selection follows
// the new edge (the node index's parents), and what the build runs and
// writes are a whole compile's.
func TestBuildFromPatchAfterRefsChanged(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: rc\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/b.sql": "{{ config(materialized='table') }}\nselect 2 as id\n",
		"models/m.sql": "{{ config(materialized='table') }}\nselect id from {{ ref('a') }}\n",
		"models/c.sql": "{{ config(materialized='table') }}\nselect id * 10 as id from {{ ref('m') }}\n"})
	for _, step := range []struct {
		sql, sel string
		total    int
		c        int32
	}{
		{"{{ config(materialized='table') }}\nselect id from {{ ref('b') }}\n", "b+", 3, 20},
		{"{{ config(materialized='table') }}\nselect a.id + b.id as id from {{ ref('a') }} a, {{ ref('b') }} b\n", "a+", 3, 30},
		{"{{ config(materialized='table') }}\nselect id from {{ ref('b') }}\n", "a+", 1, 30},
	} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "models/m.sql", step.sql)
		}
		a := patchedLikeWhole(t, light, whole, step.sql, "build", "--threads", "1", "--select", step.sel)
		require.Equal(t, 0, a.Code, a.String())
		assert.Contains(t, a.Stdout, fmt.Sprintf("TOTAL=%d", step.total))
		require.Equal(t, tables(t, whole), tables(t, light))
		assert.Equal(t, step.c, scalar(t, light, "select id from main.c"))
	}
}

// An analyst adds tests to a model's YAML and runs them, then removes
// one: the compile is patched (patchtests.go), the run loads the tests
// from the snapshot (the node index has the new ones), and what it runs,
// prints and writes are a whole compile's, failures included.
func TestTestFromPatchAfterYAMLTestsEdited(t *testing.T) {
	props := func(tests string) string {
		return "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - unique\n" + tests
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: yt\n",
		"models/m.sql":      "{{ config(materialized='table') }}\nselect 1 as id union all select 2 union all select null\n",
		"models/n.sql":      "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/_props.yml": props("")})
	for _, step := range []struct {
		tests string
		code  int
	}{
		{"          - not_null\n", 1},
		{"          - accepted_values:\n              values: [1, 2]\n          - relationships:\n              to: ref('n')\n              field: id\n", 1},
		{"          - accepted_values:\n              values: [1, 2, 3]\n", 0},
	} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "models/_props.yml", props(step.tests))
		}
		a := patchedLikeWhole(t, light, whole, step.tests, "test", "--threads", "1", "--select", "m")
		require.Equal(t, step.code, a.Code, a.String())
	}
}

// An analyst adds a model with its entry in the project's YAML (a
// description, a config, a test) and builds it with its tests, then
// renames it, file and entry: each compile is patched (patchadd.go,
// patchtests.go), the build loads from the snapshot, and what it runs,
// prints and writes are a whole compile's.
func TestBuildFromPatchAfterModelAddedWithItsEntry(t *testing.T) {
	props := func(extra string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n" + extra
	}
	entry := func(name string) string {
		return "  - name: " + name + "\n    description: the new one\n    config:\n      materialized: table\n" +
			"    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: ae\n",
		"models/a.sql":      "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/_props.yml": props("")})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/n.sql", "select id from {{ ref('a') }}\n")
		writeFile(t, dir, "models/_props.yml", props(entry("n")))
	}
	a := patchedLikeWhole(t, light, whole, "n added", "build", "--threads", "1", "--select", "n+")
	require.Equal(t, 0, a.Code, a.String())
	assert.Contains(t, a.Stdout, "TOTAL=3")
	require.Equal(t, tables(t, whole), tables(t, light))
	for _, dir := range []string{light, whole} {
		require.NoError(t, os.Remove(filepath.Join(dir, "models", "n.sql")))
		writeFile(t, dir, "models/m.sql", "select id from {{ ref('a') }}\n")
		writeFile(t, dir, "models/_props.yml", props(entry("m")))
	}
	a = patchedLikeWhole(t, light, whole, "n renamed m", "build", "--threads", "1", "--select", "a+")
	require.Equal(t, 0, a.Code, a.String())
	assert.Contains(t, a.Stdout, "TOTAL=4")
}

// An analyst makes a view a table and tags it, building it each time:
// the compile is patched (its config changed, not its relation:
// patchreshape.go), a tag: selection finds it in the node index, and
// what the build runs and writes are a whole compile's.
func TestBuildFromPatchAfterConfigChanged(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: cc\n",
		"models/a.sql": "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/m.sql": "select id from {{ ref('a') }}\n"})
	for _, step := range []struct{ sql, sel string }{
		{"{{ config(materialized='table') }}\nselect id from {{ ref('a') }}\n", "m"},
		{"{{ config(materialized='table', tags=['nightly']) }}\nselect id, 2 as n from {{ ref('a') }}\n", "tag:nightly"},
	} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "models/m.sql", step.sql)
		}
		a := patchedLikeWhole(t, light, whole, step.sql, "build", "--threads", "1", "--select", step.sel)
		require.Equal(t, 0, a.Code, a.String())
		assert.Contains(t, a.Stdout, "TOTAL=1")
		require.Equal(t, tables(t, whole), tables(t, light))
	}
}

// An analyst renames a folder of models with their YAML and builds them:
// the compile is patched (patchprops.go), the build loads from the
// snapshot, and what it runs and writes are a whole compile's.
func TestBuildFromPatchAfterFolderRenamed(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: fr\n",
		"models/stg/a.sql":    "{{ config(materialized='table') }}\nselect 1 as id\n",
		"models/marts/m.sql":  "select id from {{ ref('a') }}\n",
		"models/marts/_m.yml": "version: 2\nmodels:\n  - name: m\n    description: the m\n    columns:\n      - name: id\n        data_tests: [unique]\n"})
	for _, dir := range []string{light, whole} {
		require.NoError(t, os.Rename(filepath.Join(dir, "models", "marts"), filepath.Join(dir, "models", "mart")))
	}
	a := patchedLikeWhole(t, light, whole, "marts renamed", "build", "--threads", "1", "--select", "m+")
	require.Equal(t, 0, a.Code, a.String())
	assert.Contains(t, a.Stdout, "TOTAL=2")
	require.Equal(t, tables(t, whole), tables(t, light))
}

// An analyst moves a model to another folder (its folder config makes it
// a table now) while its YAML entry stays in the file it was in, and a
// model and tests that stay depend on it: the compile is patched
// (patchadd.go: the entry applied to the moved model, its tests made
// again), and a build from the snapshot runs what a whole compile's does.
func TestBuildFromPatchAfterModelMoved(t *testing.T) {
	light, whole := builtPair(t, map[string]string{
		"mart.yml":          "name: mm\nmodels:\n  mm:\n    marts:\n      +materialized: table\n",
		"models/stg/a.sql":  "select 1 as id\n",
		"models/stg/b.sql":  "select id from {{ ref('a') }}\n",
		"models/_props.yml": "version: 2\nmodels:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"})
	for _, dir := range []string{light, whole} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "models", "marts"), 0o755))
		require.NoError(t, os.Rename(filepath.Join(dir, "models", "stg", "a.sql"), filepath.Join(dir, "models", "marts", "a.sql")))
	}
	r := patchedLikeWhole(t, light, whole, "a moved", "build", "--threads", "1", "--select", "a+")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "TOTAL=4")
	require.Equal(t, tables(t, whole), tables(t, light))
	kinds := query(t, light, `select table_name, table_type from information_schema.tables where table_name in ('a', 'b') order by 1`)
	require.Equal(t, [][]any{{"a", "BASE TABLE"}, {"b", "VIEW"}}, kinds)
}

// An analyst makes a model a table in its YAML entry's config: (and tags
// it) while a view that stays depends on it: the compile is patched (the
// model made again from its file and entry), and a build from the
// snapshot builds a table where a whole compile's does.
func TestBuildFromPatchAfterYAMLConfigEdited(t *testing.T) {
	props := func(config string) string {
		return "version: 2\nmodels:\n  - name: a\n    description: the a\n" + config + "    columns:\n      - name: id\n        data_tests: [unique]\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: yc\n",
		"models/a.sql": "select 1 as id\n", "models/b.sql": "select id from {{ ref('a') }}\n", "models/_props.yml": props("")})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_props.yml", props("    config:\n      materialized: table\n      tags: [daily]\n"))
	}
	r := patchedLikeWhole(t, light, whole, "a made a table", "build", "--threads", "1", "--select", "tag:daily+")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "TOTAL=3")
	require.Equal(t, tables(t, whole), tables(t, light))
	kinds := query(t, light, `select table_name, table_type from information_schema.tables where table_name in ('a', 'b') order by 1`)
	require.Equal(t, [][]any{{"a", "BASE TABLE"}, {"b", "VIEW"}}, kinds)
}

// An analyst adds tests to a source table (a line more in a file of
// sources and models) and runs the source's tests: the compile is patched
// (patchtests.go: the table's tests made again), the run loads from the
// snapshot, and it runs and fails what a whole compile's does.
func TestBuildFromPatchAfterSourceTestsEdited(t *testing.T) {
	props := func(tests string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: raw_t\n        columns:\n          - name: id\n" +
			"            data_tests: [not_null]\n          - name: kind\n" + tests + "models:\n  - name: a\n    description: the a\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: srct\n", "seeds/raw_t.csv": "id,kind\n1,x\n2,y\n2,z\n",
		"models/a.sql": "select id, kind from {{ source('raw', 'raw_t') }}\n", "models/_props.yml": props("")})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_props.yml", props("            data_tests:\n              - accepted_values:\n                  values: [x, y]\n"))
	}
	r := patchedLikeWhole(t, light, whole, "a test added to a source column", "test", "--threads", "1", "--select", "source:raw")
	require.Equal(t, 1, r.Code, r.String())
	assert.Contains(t, r.Stdout, "source_accepted_values_raw_raw_t_kind__x__y")
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_props.yml", strings.Replace(props("            data_tests:\n              - accepted_values:\n                  values: [x, y, z]\n"),
			"[not_null]", "[not_null, unique]", 1))
	}
	r = patchedLikeWhole(t, light, whole, "a test's values and another test", "test", "--threads", "1", "--select", "source:raw")
	require.Equal(t, 1, r.Code, r.String()) // id 2 twice: unique fails
	assert.Contains(t, r.Stdout, "source_unique_raw_raw_t_id")
}

// An analyst onboards a raw table: a source table with a test and a
// staging model reading it, in one edit, then builds what reads it. The
// compile is patched (patchsources.go), the build loads from the snapshot,
// and it builds and tests what a whole compile's does; then the table's
// meta changes under its reader (made again, the reader kept) and the
// table and its reader go.
func TestBuildFromPatchAfterSourceTableAdded(t *testing.T) {
	props := func(tables string) string {
		return "version: 2\nsources:\n  - name: raw\n    schema: ext\n    tables:\n      - name: raw_a\n" + tables + "models:\n  - name: a\n    description: the a\n"
	}
	// the raw tables are the warehouse's, not the project's (a table a
	// seed builds is one a source would depend on: compiled whole)
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: srcadd\non-run-start:\n  - create schema if not exists ext\n" +
		"  - create or replace table ext.raw_a as select 1 as id\n  - create or replace table ext.raw_b as select * from (values (1, 'x'), (2, 'y')) t(id, kind)\n",
		"models/a.sql": "select id from {{ source('raw', 'raw_a') }}\n", "models/_props.yml": props("")})
	table := "      - name: raw_b\n        columns:\n          - name: kind\n            data_tests:\n              - accepted_values:\n                  values: [x, y]\n"
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_props.yml", props(table))
		writeFile(t, dir, "models/stg_b.sql", "select id, upper(kind) as kind from {{ source('raw', 'raw_b') }}\n")
	}
	r := patchedLikeWhole(t, light, whole, "a source table and its reader added", "build", "--threads", "1", "--select", "source:raw.raw_b+")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "TOTAL=2")
	require.Equal(t, tables(t, whole), tables(t, light))
	require.Equal(t, [][]any{{int32(1), "X"}, {int32(2), "Y"}}, query(t, light, "select id, kind from main.stg_b order by id"))
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_props.yml", props(strings.Replace(table, "      - name: raw_b\n", "      - name: raw_b\n        meta: {owner: ops}\n        loaded_at_field: loaded\n", 1)))
	}
	r = patchedLikeWhole(t, light, whole, "its meta edited under its reader", "build", "--threads", "1", "--select", "stg_b")
	require.Equal(t, 0, r.Code, r.String())
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_props.yml", props(""))
		require.NoError(t, os.Remove(filepath.Join(dir, "models/stg_b.sql")))
	}
	r = patchedLikeWhole(t, light, whole, "the table and its reader removed", "build", "--threads", "1", "--select", "a")
	require.Equal(t, 0, r.Code, r.String())
}

// An analyst renames a staging model as it moves to another folder, with
// its YAML entry, and points its reader at the new name in the same edit:
// the compile is patched (the model added before the reader renders
// again), and a build from the snapshot builds what a whole compile's does.
func TestBuildFromPatchAfterModelRenamedWithReader(t *testing.T) {
	props := func(name string) string {
		return "version: 2\nmodels:\n  - name: " + name + "\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"
	}
	light, whole := builtPair(t, map[string]string{
		"mart.yml": "name: mr\n", "models/stg/a.sql": "select 1 as id\n",
		"models/b.sql": "select id from {{ ref('a') }}\n", "models/_props.yml": props("a")})
	for _, dir := range []string{light, whole} {
		require.NoError(t, os.Remove(filepath.Join(dir, "models", "stg", "a.sql")))
		writeFile(t, dir, "models/staging/stg_a.sql", "select 1 as id\n")
		writeFile(t, dir, "models/b.sql", "select id from {{ ref('stg_a') }}\n")
		writeFile(t, dir, "models/_props.yml", props("stg_a"))
	}
	r := patchedLikeWhole(t, light, whole, "a renamed stg_a, b reads it", "build", "--threads", "1", "--select", "stg_a+")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "TOTAL=4")
	require.Equal(t, tables(t, whole), tables(t, light))
}

// An analyst changes a var in the project file of a project with a unit
// test and builds what reads it: the compile is patched as with --vars
// (the readers render again), the build loads from the snapshot, and it
// builds and tests what a whole compile's does, the unit test included.
func TestBuildFromPatchAfterProjectVarEdited(t *testing.T) {
	project := func(grace int) string {
		return fmt.Sprintf("name: pvar\nvars:\n  # minutes\n  grace: %d\n  currency: EUR\nmodels:\n  pvar:\n    +materialized: table\n", grace)
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": project(15),
		"models/a.sql":     "select 1 as id, 20 as late_by union all select 2, 10\n",
		"models/late.sql":  "select id from {{ ref('a') }} where late_by > {{ var('grace') }}\n",
		"models/money.sql": "select id, '{{ var('currency') }}' as currency from {{ ref('a') }}\n",
		"models/_unit.yml": "version: 2\nunit_tests:\n  - name: money_is_eur\n    model: money\n    given:\n      - input: ref('a')\n        rows:\n          - {id: 1, late_by: 3}\n" +
			"    expect:\n      rows:\n        - {id: 1, currency: EUR}\n",
		"models/_props.yml": "version: 2\nmodels:\n  - name: late\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n"})
	for _, grace := range []int{5, 30} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "mart.yml", project(grace))
		}
		what := fmt.Sprintf("grace %d", grace)
		r := patchedLikeWhole(t, light, whole, what, "build", "--threads", "1", "--select", "late+ money+")
		require.Equal(t, 0, r.Code, r.String())
		assert.Contains(t, r.Stdout, "money_is_eur", what) // the unit test ran
		require.Equal(t, tables(t, whole), tables(t, light), what)
	}
	rows := query(t, light, "select count(*) from late")
	assert.Equal(t, "0", fmt.Sprint(rows[0][0]), "grace 30: no row is late")
}

// An analyst adds a singular test (a file in tests/) and runs the tests
// of what it reads, then removes it: the compile is patched (patchadd.go),
// the test loads from the snapshot, and it runs, passes and fails as after
// a whole compile.
func TestBuildFromPatchAfterSingularTestAdded(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: sing\n",
		"models/a.sql":       "select 1 as id union all select 2\n",
		"models/b.sql":       "select id from {{ ref('a') }}\n",
		"tests/assert_a.sql": "select * from {{ ref('a') }} where id < 0\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "tests/assert_b_small.sql", "select * from {{ ref('b') }} where id > 1\n")
	}
	r := patchedLikeWhole(t, light, whole, "a failing singular test added", "test", "--threads", "1", "--select", "b+")
	require.Equal(t, 1, r.Code, r.String())
	assert.Contains(t, r.Stdout, "assert_b_small")
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "tests/assert_b_small.sql", "select * from {{ ref('b') }} where id > 2\n")
	}
	r = patchedLikeWhole(t, light, whole, "it edited to pass", "test", "--threads", "1", "--select", "test_type:singular")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "TOTAL=2")
	for _, dir := range []string{light, whole} {
		require.NoError(t, os.Remove(filepath.Join(dir, "tests", "assert_b_small.sql")))
	}
	r = patchedLikeWhole(t, light, whole, "it removed", "test", "--threads", "1", "--select", "test_type:singular")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "TOTAL=1")
}

// An analyst adds a macro and calls it from a model in the same edit,
// then builds that model: the compile is patched (a macro under a name no
// render looked for), the build loads from the snapshot, and the table it
// builds and target/ are a whole compile's. Then a macro beside it, called
// by a model added with it.
func TestBuildFromPatchAfterMacroAdded(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: madd\n",
		"macros/cents.sql": "{% macro to_cents(x) %}({{ x }} * 100){% endmacro %}\n",
		"models/a.sql":     "select 1 as id, 2.5 as amount union all select 2, 4.0\n",
		"models/b.sql":     "{{ config(materialized='table') }}\nselect id, {{ to_cents('amount') }} as cents from {{ ref('a') }}\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "macros/money/euros.sql", "{% macro to_euros(x) %}round({{ x }} / 100.0, 2){% endmacro %}\n")
		writeFile(t, dir, "models/b.sql", "{{ config(materialized='table') }}\nselect id, {{ to_cents('amount') }} as cents, "+
			"{{ to_euros(to_cents('amount')) }} as euros from {{ ref('a') }}\n")
	}
	r := patchedLikeWhole(t, light, whole, "a macro file added, and a model calling it", "build", "--select", "b")
	require.Equal(t, 0, r.Code, r.String())
	rows := query(t, light, `select id, cents, euros from b order by id`)
	require.Equal(t, "[[1 250 2.5] [2 400 4]]", fmt.Sprint(rows))
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "macros/cents.sql", "{% macro to_cents(x) %}({{ x }} * 100){% endmacro %}\n"+
			"{% macro doubled(x) %}({{ x }} * 2){% endmacro %}\n")
		writeFile(t, dir, "models/c.sql", "select id, {{ doubled('id') }} as twice from {{ ref('a') }}\n")
	}
	r = patchedLikeWhole(t, light, whole, "a macro beside another, and a model added calling it", "build", "--select", "c")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "[[1 2] [2 4]]", fmt.Sprint(query(t, light, `select id, twice from c order by id`)))
}

// An analyst edits a model a unit test tests and runs its unit test, the
// loop of test-first work: the compile is patched (the model's refs stay),
// the test loads from the snapshot and runs the model's new SQL against
// its fixtures, failing and passing as a whole compile's run does.
func TestBuildFromPatchAfterUnitTestedModelEdited(t *testing.T) {
	unit := "version: 2\nunit_tests:\n  - name: u_doubles\n    model: u\n    given:\n" +
		"      - input: ref('a')\n        rows:\n          - {id: 1, amount: 2}\n          - {id: 2, amount: 5}\n" +
		"    expect:\n      rows:\n          - {id: 1, doubled: 4}\n          - {id: 2, doubled: 10}\n"
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: utedit\n",
		"models/a.sql":   "select 1 as id, 2 as amount union all select 2, 5\n",
		"models/u.sql":   "select id, amount * 2 as doubled from {{ ref('a') }}\n",
		"models/_ut.yml": unit})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/u.sql", "select id, amount + 2 as doubled from {{ ref('a') }}\n")
	}
	r := patchedLikeWhole(t, light, whole, "the model broken", "test", "--select", "u", "--threads", "1")
	require.Equal(t, 1, r.Code, r.String())
	assert.Contains(t, r.Stdout, "u_doubles")
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/u.sql", "-- doubles\nselect id, amount + amount as doubled from {{ ref('a') }}\n")
	}
	r = patchedLikeWhole(t, light, whole, "the model fixed", "test", "--select", "u", "--threads", "1")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "OK=1")
}

// An analyst works test first: edits a unit test's rows and runs it, then
// fixes them (a date, a float, a row more: the lines below move) and runs
// it again. Each compile is patched (the file's unit tests made again:
// patchunits.go), the test loads from the snapshot with its rows' types,
// and its results and target/ are a whole compile's.
func TestBuildFromPatchAfterUnitTestRowsEdited(t *testing.T) {
	unit := func(expect string) string {
		return "version: 2\nunit_tests:\n  - name: u_scales\n    model: u\n    given:\n" +
			"      - input: ref('a')\n        rows:\n          - {id: 1, amount: 2}\n          - {id: 2, amount: 5}\n" +
			"    expect:\n      rows:\n" + expect + "models:\n  - name: u\n    columns:\n      - name: id\n        data_tests: [not_null]\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: utrows\n",
		"models/a.sql":   "select 1 as id, 2 as amount union all select 2, 5\n",
		"models/u.sql":   "select id, amount * 1.5 as scaled, date '2026-03-01' + id as d from {{ ref('a') }}\n",
		"models/_ut.yml": unit("          - {id: 1, scaled: 3.0, d: 2026-03-02}\n          - {id: 2, scaled: 7.5, d: 2026-03-03}\n")})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_ut.yml", unit("          - {id: 1, scaled: 3.0, d: 2026-03-02}\n          - {id: 2, scaled: 7.0, d: 2026-03-03}\n"))
	}
	r := patchedLikeWhole(t, light, whole, "an expected value wrong", "test", "--select", "u", "--threads", "1")
	require.Equal(t, 1, r.Code, r.String())
	assert.Contains(t, r.Stdout, "u_scales")
	for _, dir := range []string{light, whole} {
		text := unit("          - {id: 1, scaled: 3.0, d: 2026-03-02}\n          - {id: 2, scaled: 7.5, d: 2026-03-03}\n          - {id: 3, scaled: 9, d: 2026-03-04}\n")
		writeFile(t, dir, "models/_ut.yml", strings.Replace(text, "{id: 2, amount: 5}\n", "{id: 2, amount: 5}\n          - {id: 3, amount: 6}\n", 1))
	}
	r = patchedLikeWhole(t, light, whole, "a row more in its given and its expectation", "build", "--select", "u", "--threads", "1")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "u_scales")
	// a second unit test written: inserted by the patch, and run
	for _, dir := range []string{light, whole} {
		text := readFile(t, dir, "models/_ut.yml")
		writeFile(t, dir, "models/_ut.yml", strings.Replace(text, "models:\n", "  - name: u_empty\n    model: u\n    given:\n      - input: ref('a')\n        rows: []\n    expect:\n      rows: []\n"+"models:\n", 1))
	}
	r = patchedLikeWhole(t, light, whole, "a unit test added", "test", "--select", "u", "--threads", "1")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "u_empty")
}

// An analyst edits a snapshot's query and builds it: the compile is
// patched (a snapshot of SQL is patchable as a model is), the build loads
// it from the snapshot, and the history table and target/ are a whole
// compile's.
func TestBuildFromPatchAfterSnapshotEdited(t *testing.T) {
	snap := func(query string) string {
		return "{% snapshot hist %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\n" + query + "\n{% endsnapshot %}\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: snapedit\n",
		"models/a.sql":       "select 1 as id, 2 as amount union all select 2, 5\n",
		"snapshots/hist.sql": snap("select id, amount from {{ ref('a') }}")})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "snapshots/hist.sql", snap("select id, amount * 10 as amount from {{ ref('a') }}"))
	}
	r := patchedLikeWhole(t, light, whole, "the snapshot's query edited", "build", "--select", "hist")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "[[1 20 true] [2 50 true]]", fmt.Sprint(query(t, light, `select id, amount, dbt_valid_to is null from snaps.hist where dbt_valid_to is null order by id`)))
}

// An analyst edits an ephemeral model and builds what reads it: the
// compile is patched (its readers' CTEs rewritten), the build loads from
// the snapshot, and the table it builds and target/ are a whole compile's.
func TestBuildFromPatchAfterEphemeralEdited(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: ephe\n",
		"models/a.sql":   "select 1 as id, 2 as amount union all select 2, 5\n",
		"models/eph.sql": "{{ config(materialized='ephemeral') }}\nselect id, amount * 2 as amount from {{ ref('a') }}\n",
		"models/t.sql":   "{{ config(materialized='table') }}\nselect id, amount from {{ ref('eph') }}\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/eph.sql", "{{ config(materialized='ephemeral') }}\nselect id, amount * 10 as amount from {{ ref('a') }}\n")
	}
	r := patchedLikeWhole(t, light, whole, "the ephemeral model edited", "build", "--select", "t")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "[[1 20] [2 50]]", fmt.Sprint(query(t, light, `select id, amount from t order by id`)))
}

// An analyst edits an ephemeral model that tests read (its own, and a
// relationships test of a model that reads it) so that a test fails, and
// builds: the compile is patched (the tests' SQL holds its new CTE), the
// build loads from the snapshot, and what fails, what it runs and target/
// are a whole compile's. Then a model that reads it is added.
func TestBuildFromPatchAfterTestedEphemeralEdited(t *testing.T) {
	eph := "{{ config(materialized='ephemeral') }}\n"
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: ephtest\n",
		"models/a.sql":   "select 1 as id, 2 as amount union all select 2, 5\n",
		"models/eph.sql": eph + "select id, amount * 2 as amount from {{ ref('a') }}\n",
		"models/t.sql":   "{{ config(materialized='table') }}\nselect id, amount from {{ ref('eph') }}\n",
		"models/_p.yml": "version: 2\nmodels:\n  - name: eph\n    columns:\n      - name: amount\n        data_tests: [not_null]\n" +
			"  - name: t\n    columns:\n      - name: id\n        data_tests:\n          - relationships: {to: ref('eph'), field: id}\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/eph.sql", eph+"select id, case when id = 2 then null else amount * 10 end as amount from {{ ref('a') }}\n")
	}
	r := patchedLikeWhole(t, light, whole, "the tested ephemeral model edited", "build", "--threads", "1", "--select", "eph+")
	require.NotEqual(t, 0, r.Code, r.String()) // its not_null test fails now, and t is skipped
	assert.Contains(t, r.Stdout, "not_null_eph_amount")
	r = patchedLikeWhole(t, light, whole, "t built alone", "run", "--select", "t")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "[[1 20] [2 <nil>]]", fmt.Sprint(query(t, light, `select id, amount from t order by id`)))
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/u.sql", "select id from {{ ref('eph') }} where amount is not null\n")
	}
	r = patchedLikeWhole(t, light, whole, "a reader added", "build", "--threads", "1", "--select", "u")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "[[1]]", fmt.Sprint(query(t, light, `select id from u order by id`)))
}

// An analyst moves a macro into a file of its own, changing it on the
// way, and deletes the file it came from, then builds what calls it: the
// compile is patched (the callers render again), the build loads from the
// snapshot, and the table it builds and target/ are a whole compile's.
func TestBuildFromPatchAfterMacroMoved(t *testing.T) {
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: macmove\n",
		"macros/utils.sql": "{% macro double(x) %}({{ x }} * 2){% endmacro %}\n{% macro unused(x) %}{{ x }}{% endmacro %}\n",
		"macros/keep.sql":  "{% macro keep(x) %}{{ x }}{% endmacro %}\n",
		"models/a.sql":     "select 1 as id, 2 as amount union all select 2, 5\n",
		"models/t.sql":     "{{ config(materialized='table') }}\nselect id, {{ double('amount') }} as amount from {{ ref('a') }}\n"})
	for _, dir := range []string{light, whole} {
		require.NoError(t, os.Remove(filepath.Join(dir, "macros/utils.sql")))
		writeFile(t, dir, "macros/double.sql", "{% macro double(x) %}({{ x }} * 3){% endmacro %}\n")
	}
	r := patchedLikeWhole(t, light, whole, "the macro moved, its file removed", "build", "--select", "t")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "[[1 6] [2 15]]", fmt.Sprint(query(t, light, `select id, amount from t order by id`)))
}

// An analyst writes a docs block and calls it from a column's description
// in one save, then builds the model that persists its docs: the compile
// is patched, and the column's comment in the warehouse is the block's.
func TestBuildFromPatchAfterDocsWrittenAndCalled(t *testing.T) {
	props := func(desc string) string {
		return "version: 2\nmodels:\n  - name: t\n    columns:\n      - name: amount\n        description: \"" + desc + "\"\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: docwrite\n",
		"models/docs.md": "{% docs old %}Old.{% enddocs %}\n",
		"models/a.sql":   "select 1 as id, 2 as amount\n",
		"models/t.sql":   "{{ config(materialized='table', persist_docs={'columns': true}) }}\nselect id, amount from {{ ref('a') }}\n",
		"models/_p.yml":  props("plain")})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/docs.md", "{% docs old %}Old.{% enddocs %}\n{% docs amount %}Cents, below 1000.{% enddocs %}\n")
		writeFile(t, dir, "models/_p.yml", props("{{ doc('amount') }}"))
	}
	r := patchedLikeWhole(t, light, whole, "a block written and called", "build", "--select", "t")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "[[Cents, below 1000.]]", fmt.Sprint(query(t, light, `select comment from duckdb_columns() where table_name = 't' and column_name = 'amount'`)))
}

// A column is added first to a model's YAML (patched), then the model's
// config() enforces a contract and the model is built alone: its table
// has the contract's columns in their YAML order, as after a whole
// compile (found by review: built from the patch, in the order the node
// index kept from before the column was added).
func TestBuildContractAfterColumnAddedByPatch(t *testing.T) {
	cols := func(names ...string) string {
		s := "version: 2\nmodels:\n  - name: m\n    columns:\n"
		for _, n := range names {
			s += "      - name: " + n + "\n        data_type: " + map[string]string{"id": "integer", "name": "varchar"}[n] + "\n"
		}
		return s
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: ct\n",
		"models/m.sql": "{{ config(materialized='table') }}\nselect 1 as id, 'x' as name\n", "models/_p.yml": cols("id")})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/_p.yml", cols("name", "id"))
	}
	r := martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
	require.Equal(t, 0, r.Code, r.String())
	require.NotContains(t, r.Stderr, "no patch:", "the column added is patched")
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/m.sql", "{{ config(materialized='table', contract={'enforced': true}) }}\nselect 1 as id, 'x' as name\n")
	}
	r = mart(t, light, "build", "--select", "m")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, whole, "build", "--select", "m", "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	order := func(dir string) [][]any {
		return query(t, dir, `select column_name from duckdb_columns() where table_name = 'm' order by column_index`)
	}
	require.Equal(t, [][]any{{"name"}, {"id"}}, order(whole))
	require.Equal(t, order(whole), order(light))
}

// --target naming the profile's default target patches what a compile
// without it left, and builds from the patch; another target compiles
// whole, and its target/ is a whole compile's.
func TestPatchWithDefaultTargetNamed(t *testing.T) {
	profiles := "tn:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/dev.duckdb}\n    other: {type: duckdb, path: target/other.duckdb, schema: elsewhere}\n"
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: tn\nprofile: tn\n", "profiles.yml": profiles,
		"models/a.sql": "select 1 as id\n", "models/b.sql": "select id from {{ ref('a') }}\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "models/b.sql", "select id + 1 as id from {{ ref('a') }}\n")
	}
	r := patchedLikeWhole(t, light, whole, "b edited, --target dev", "build", "--target", "dev", "--select", "b")
	require.Equal(t, 0, r.Code, r.String())
	r = martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile", "--target", "other")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stderr, "no patch: the target changed (dev, then other)")
	r = mart(t, whole, "compile", "--target", "other", "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, manifestBody(t, whole), manifestBody(t, light))
	require.Contains(t, readFile(t, light, "target/compiled/models/b.sql"), "elsewhere", "b reads a in the other target's schema")
}

// An analyst makes a folder's models tables in mart.yml, then tags them,
// and builds the folder: the compile is patched (patchfolder.go: only
// the folder's models are made again), the build loads from the snapshot,
// and what it runs, the warehouse's tables and target/ are a whole
// compile's. A comment in the models: entry patches too, and so does a
// schema set for the folder, whose models are all made again; one set
// for a folder whose models others read compiles whole.
func TestBuildFromPatchAfterFolderConfigEdit(t *testing.T) {
	project := func(marts string) string {
		return "name: fc\nmodels:\n  fc:\n    staging:\n      +materialized: view\n    marts:\n" + marts
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": project("      +materialized: view\n"),
		"models/staging/a.sql": "select 1 as id\n",
		"models/marts/b.sql":   "select id from {{ ref('a') }}\n",
		"models/marts/c.sql":   "select id, 2 as n from {{ ref('b') }}\n",
		"models/_p.yml":        "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [unique]\n"})
	views := func(dir string) [][]any {
		return query(t, dir, `select table_name, table_type from information_schema.tables order by 1`)
	}
	for _, step := range []struct{ name, marts string }{
		{"the marts made tables", "      +materialized: table\n"},
		{"and tagged, with a comment", "      # gold\n      +materialized: table\n      +tags: [gold]\n"},
		{"one of them a view", "      +materialized: table\n      +tags: [gold]\n      b:\n        +materialized: view\n"},
		{"the marts in a schema of their own", "      +materialized: table\n      +tags: [gold]\n      +schema: gold\n      b:\n        +materialized: view\n"},
	} {
		for _, dir := range []string{light, whole} {
			writeFile(t, dir, "mart.yml", project(step.marts))
		}
		a := patchedLikeWhole(t, light, whole, step.name, "build", "--threads", "1", "--select", "marts")
		require.Equal(t, 0, a.Code, a.String())
		require.Equal(t, views(whole), views(light), step.name)
	}
	assert.Equal(t, [][]any{{"a", "VIEW"}, {"b", "VIEW"}, {"b", "VIEW"}, {"c", "BASE TABLE"}, {"c", "BASE TABLE"}}, views(light))
	assert.EqualValues(t, 2, scalar(t, light, "select n from main_gold.c"))
	r := mart(t, light, "ls", "--select", "tag:gold", "--resource-type", "model")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, "fc.marts.b\nfc.marts.c\n", r.Stdout)
	writeFile(t, light, "mart.yml", strings.Replace(project("      +materialized: table\n"), "+materialized: view", "+schema: raw", 1))
	r = martEnv(t, light, []string{"MART_TIMINGS=1"}, "compile")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stderr, "no patch: ")
}

// An analyst types a seed's column and tags the seeds in mart.yml, then
// loads the tagged seeds and builds what reads them: the compile is
// patched (patchseeds.go: the seeds made again in their entries' places),
// the build loads from the snapshot, and the column's type, what it runs
// and target/ are a whole compile's.
func TestBuildFromPatchAfterSeedFolderConfigEdit(t *testing.T) {
	project := func(seeds string) string { return "name: sfc\nseeds:\n  sfc:\n" + seeds }
	light, whole := builtPair(t, map[string]string{"mart.yml": project("    +schema: raw\n"),
		"seeds/a.csv":      "id,amount\n1,2\n2,5\n",
		"seeds/_seeds.yml": "version: 2\nseeds:\n  - name: a\n    description: the a\n    columns:\n      - name: id\n        data_tests: [unique]\n",
		"models/m.sql":     "select id, amount from {{ ref('a') }}\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "mart.yml", project("    +schema: raw\n    +tags: [s]\n    a:\n      +column_types: {amount: double}\n"))
	}
	r := patchedLikeWhole(t, light, whole, "the seeds tagged and typed", "build", "--threads", "1", "--select", "tag:s+")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, "DOUBLE", scalar(t, light, `select data_type from information_schema.columns where table_name = 'a' and column_name = 'amount'`))
	assert.EqualValues(t, 7, scalar(t, light, `select sum(amount) from m`))
}

// On the SODA Store demo, an analyst tags the staging models in mart.yml
// and builds them: the compile is patched (patchfolder.go: the staging
// models are made again, their entries kept from a file that also holds
// unit tests, their descriptions' doc() calls rendered), the build loads
// from the snapshot, and what it runs and target/ are a whole compile's.
// Then the marts, which read the ephemeral intermediate models (their
// CTEs in front) and test one another (relationships), and those
// ephemeral models (the marts that read them stay as they were).
func TestBuildFromPatchDemoFolderTagged(t *testing.T) {
	light, whole := demo(t), demo(t)
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
	}
	// (the light project compiled with partial parsing: its snapshot)
	r := mart(t, light, "compile")
	require.Equal(t, 0, r.Code, r.String())
	for _, c := range []struct{ folder, from, to, tag, model string }{
		{"staging", "      +tags: [staging]\n", "      +tags: [staging, stg]\n", "stg", "soda.staging.stg_members\n"},
		{"marts", "      +schema: marts\n", "      +schema: marts\n      +tags: [gold]\n", "gold", "soda.marts.fct_reservations\n"},
		// the ephemeral ones: made again, what reads them stays
		{"intermediate", "      +materialized: ephemeral\n", "      +materialized: ephemeral\n      +tags: [int]\n", "int", "soda.intermediate.int_trip_telemetry\n"},
	} {
		for _, dir := range []string{light, whole} {
			data, err := os.ReadFile(filepath.Join(dir, "mart.yml"))
			require.NoError(t, err)
			text := strings.Replace(string(data), c.from, c.to, 1)
			require.NotEqual(t, string(data), text, "the demo's mart.yml configures its %s folder", c.folder)
			writeFile(t, dir, "mart.yml", text)
		}
		a := patchedLikeWhole(t, light, whole, c.folder+" tagged", "build", "--threads", "1", "--select", "tag:"+c.tag+"+")
		require.Equal(t, 0, a.Code, a.String())
		r = mart(t, light, "ls", "--select", "tag:"+c.tag, "--resource-type", "model")
		require.Equal(t, 0, r.Code, r.String())
		assert.Contains(t, r.Stdout, c.model)
	}
}

// An analyst makes a snapshot invalidate deleted rows in its YAML config
// (and a row goes from its seed), then tags every snapshot in mart.yml,
// and builds: the compile is patched (patchsnapshots.go: the snapshot,
// named by its block and not its file, made again where it is, its test
// with it), and the snapshot the warehouse keeps is a whole compile's.
func TestBuildFromPatchAfterSnapshotConfigEdit(t *testing.T) {
	props := func(conf string) string {
		return "version: 2\nsnapshots:\n  - name: s_hist\n    description: the history\n" + conf +
			"    columns:\n      - name: id\n        data_tests: [not_null]\n"
	}
	light, whole := builtPair(t, map[string]string{"mart.yml": "name: snc\n",
		"seeds/src.csv":        "id,v\n1,a\n2,b\n",
		"snapshots/hist.sql":   "{% snapshot s_hist %}\n{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect id, v from {{ ref('src') }}\n{% endsnapshot %}\n",
		"snapshots/_snaps.yml": props(""),
		"models/m.sql":         "select count(*) as n from {{ ref('s_hist') }} where dbt_valid_to is null\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "seeds/src.csv", "id,v\n1,a\n")
		writeFile(t, dir, "snapshots/_snaps.yml", props("    config:\n      invalidate_hard_deletes: true\n"))
	}
	r := patchedLikeWhole(t, light, whole, "hard deletes invalidated", "build", "--threads", "1", "--select", "src+")
	require.Equal(t, 0, r.Code, r.String())
	assert.EqualValues(t, 1, scalar(t, light, `select count(*) from snaps.s_hist where dbt_valid_to is not null`))
	assert.EqualValues(t, 1, scalar(t, light, `select n from m`))
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "mart.yml", "name: snc\nsnapshots:\n  snc:\n    +tags: [history]\n")
	}
	r = patchedLikeWhole(t, light, whole, "the snapshots tagged", "build", "--threads", "1", "--select", "tag:history")
	require.Equal(t, 0, r.Code, r.String())
	// (a snapshot's fqn holds its file's name, as dbt's: ls prints it)
	r = mart(t, light, "ls", "--select", "tag:history", "--resource-type", "snapshot")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, "snc.hist.s_hist\n", r.Stdout)
}

// An analyst tags a source's table in mart.yml's sources: entry and
// builds what it feeds: the compile is patched (patchsources.go: the
// table made again with its tests, its reader kept), and what the build
// runs and target/ are a whole compile's.
func TestBuildFromPatchAfterSourceFolderConfigEdit(t *testing.T) {
	head := "name: srcf\non-run-start:\n  - create schema if not exists ext\n" +
		"  - create or replace table ext.raw_a as select * from (values (1, 'x'), (2, 'y')) t(id, kind)\n  - create or replace table ext.raw_b as select 1 as id\n"
	props := "version: 2\nsources:\n  - name: raw\n    schema: ext\n    tables:\n      - name: raw_a\n        columns:\n          - name: kind\n" +
		"            data_tests:\n              - accepted_values:\n                  values: [x, y]\n      - name: raw_b\n"
	light, whole := builtPair(t, map[string]string{"mart.yml": head, "models/_sources.yml": props,
		"models/a.sql": "select id, kind from {{ source('raw', 'raw_a') }}\n", "models/b.sql": "select id from {{ source('raw', 'raw_b') }}\n"})
	for _, dir := range []string{light, whole} {
		writeFile(t, dir, "mart.yml", head+"sources:\n  srcf:\n    raw:\n      raw_a:\n        +tags: [landed]\n        +meta: {owner: ops}\n")
	}
	r := patchedLikeWhole(t, light, whole, "a source table tagged", "build", "--threads", "1", "--select", "tag:landed+")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "TOTAL=2") // a and the table's test: its children (+)
	r = mart(t, light, "ls", "--select", "tag:landed", "--resource-type", "source")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, "source:srcf.raw.raw_a\n", r.Stdout) // (dbt ls writes a source table so)
}

// A --defer run loads from the patch snapshot too (compiler/patchdefer.go):
// production is a copy of the project built whole, and its target/ the
// state; two more copies run the same commands against it, one loading
// from the snapshot, one compiling whole. Deferred runs alternate with
// runs without --defer, `mart compile` and `mart ls`, which see the
// project's manifest.json again, and with an edit. After each command its
// output, the results and SQL of its run and manifest.json must be the
// same, after a compile every compiled file, and at the end every table.
func TestDeferFromPatchMatchesWholeCompile(t *testing.T) {
	t.Parallel() // (a long comparison: it overlaps the others; see TestMain)
	deferTo := func(state string, args ...string) []string {
		return append(append([]string{"build", "--threads", "1"}, args...), "--defer", "--state", state)
	}
	cases := []struct {
		name      string
		dir       func(t testing.TB) string
		edit      string
		steps     func(state string) [][]string
		minLoaded int
	}{
		{"chain", chainWithBigMeta, "models/m2.sql", func(s string) [][]string {
			return [][]string{
				// no snapshot yet: it compiles whole, and keeps one
				deferTo(s, "--select", "m1"),
				deferTo(s, "--select", "m1"), // its own m2 is still not there
				deferTo(s, "--select", "m2+"),
				deferTo(s, "--select", "inc_e"), // reads m4 through two ephemeral models
				deferTo(s, "--select", "y"),
				// incremental: renders at run time, and reads m3 then, which
				// its depends_on lacks (as dbt's would): m3 is not deferred
				{"build", "--threads", "1", "--select", "raw_ids m4 m3"},
				deferTo(s, "--select", "y"),
				deferTo(s, "--select", "m1", "--favor-state"),
				{"ls", "--select", "m1+", "--output", "json"},
				// a command that fails writes nothing: the deferred
				// manifest.json stays (found by review)
				{"!", "build", "--select", "m1", "--state", filepath.Join(s, "none")},
				deferTo(s, "--select", "m1", "--favor-state"),
				// a command that fails after its patch (a seed that does
				// not load) writes the project's manifest.json, as its whole
				// compile does (session 31; until then both left the
				// deferred one)
				{"write", "seeds/raw_ids.csv", "id\n1\n2,3\n"},
				{"!", "build", "--select", "raw_ids"},
				{"write", "seeds/raw_ids.csv", "id\n1\n2\n"},
				// show writes the project's manifest.json, as its whole
				// compile does
				{"show", "--inline", "select 1 as x"},
				{"edit"},
				deferTo(s, "--select", "m1 z"),
				deferTo(s, "--select", "m1", "--dry-run", "--log-format", "json"),
				{"build", "--threads", "1", "--select", "m3"},
				deferTo(s, "--select", "m2 m1"),
				{"compile"},
			}
		}, 9},
		{"demo", demo, "models/marts/dim_cars.sql", func(s string) [][]string {
			return [][]string{
				{"compile"},
				{"build", "--threads", "1", "--select", "resource_type:seed"}, // the snapshot's source
				deferTo(s, "--select", "dim_cars"),
				deferTo(s, "--select", "fct_reservations"),
				deferTo(s, "--select", "members_tier_snapshot agg_daily_zone_utilization"),
				{"edit"},
				deferTo(s, "--select", "dim_cars+"),
				{"build", "--threads", "1", "--select", "stg_cars"},
				deferTo(s, "--select", "dim_cars+", "--favor-state"),
			}
		}, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prod, light, whole := tc.dir(t), tc.dir(t), tc.dir(t)
			r := mart(t, prod, "build")
			require.Equal(t, 0, r.Code, r.String())
			state := t.TempDir()
			for _, f := range []string{"manifest.json", "mart.duckdb"} {
				writeFile(t, state, f, readFile(t, prod, filepath.Join("target", f)))
			}
			loaded := 0
			for i, args := range tc.steps(state) {
				switch args[0] {
				case "edit":
					editModel(t, tc.edit, light, whole)
					continue
				case "write":
					writeFile(t, light, args[1], args[2])
					writeFile(t, whole, args[1], args[2])
					continue
				}
				want := 0
				if args[0] == "!" {
					args, want = args[1:], 2
				}
				what := fmt.Sprintf("step %d, mart %s", i, strings.Join(args, " "))
				a := martEnv(t, light, []string{"MART_TIMINGS=1"}, args...)
				b := mart(t, whole, append(args, "--no-partial-parse")...)
				require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
				require.Equal(t, want, a.Code, "%s: %s", what, a)
				require.Equal(t, runOutput(logTimes.ReplaceAllString(b.Stdout, "")), runOutput(logTimes.ReplaceAllString(a.Stdout, "")), what)
				if slices.Contains(args, "--defer") {
					if loadedFromPatch.MatchString(a.Stderr) {
						loaded++
					} else {
						t.Logf("%s: compiled the whole project: %s", what, noSelectionReason(a.Stderr))
					}
				}
				if args[0] == "build" && !slices.Contains(args, "--dry-run") {
					require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
				}
				require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
				if args[0] == "compile" { // (a run writes the files of what it runs)
					require.Equal(t, compiledTree(t, whole), compiledTree(t, light), what+": target/compiled")
				}
			}
			require.GreaterOrEqual(t, loaded, tc.minLoaded, "deferred runs that loaded from the patch snapshot")
			require.Equal(t, tables(t, whole), tables(t, light))
		})
	}
}

// chainWithBigMeta is chainProject with an integer in m2's meta that a
// float64 cannot hold: a deferred run that loads m2 from manifest.json
// writes its entry again (found by review).
func chainWithBigMeta(t testing.TB) string {
	dir := chainProject(t)
	writeFile(t, dir, "models/_models.yml", readFile(t, dir, "models/_models.yml")+"  - name: m2\n    meta: {big: 9007199254740993}\n")
	return dir
}

// A --defer run loaded from the snapshot keeps the project's manifest.json
// as partial_parse.manifest while its own is in place; killed while it
// swaps them, the next command puts the project's back, or drops what the
// run left when something else wrote manifest.json since (and compiles
// whole, as it would after any foreign write).
func TestDeferredManifestAfterKilledRun(t *testing.T) {
	prod, dir := chainProject(t), chainProject(t)
	r := mart(t, prod, "build")
	require.Equal(t, 0, r.Code, r.String())
	state := t.TempDir()
	for _, f := range []string{"manifest.json", "mart.duckdb"} {
		writeFile(t, state, f, readFile(t, prod, filepath.Join("target", f)))
	}
	r = mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	project := manifestBody(t, dir)
	body := func(file string) string {
		m := readFile(t, dir, file)
		return m[strings.Index(m, `,"nodes":`):]
	}
	kept, record := "target/partial_parse.manifest", "target/partial_parse.deferred"
	deferred := func() {
		t.Helper()
		r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, "build", "--select", "m1", "--defer", "--state", state)
		require.Equal(t, 0, r.Code, r.String())
		require.Regexp(t, loadedFromPatch, r.Stderr)
		require.Contains(t, readFile(t, dir, "target/manifest.json"), `"defer_relation":{"database":"mart_state"`)
		require.Equal(t, project, body(kept))
		require.FileExists(t, filepath.Join(dir, record))
	}
	// the next command after it puts the project's back, and loads
	next := func(how string, fromPatch bool) {
		t.Helper()
		r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, "build", "--select", "+m3")
		require.Equal(t, 0, r.Code, r.String())
		if fromPatch {
			require.Regexp(t, loadedFromPatch, r.Stderr, how)
		} else {
			require.NotRegexp(t, loadedFromPatch, r.Stderr, how)
		}
		require.Equal(t, project, manifestBody(t, dir), how)
		require.NoFileExists(t, filepath.Join(dir, kept), how)
		require.NoFileExists(t, filepath.Join(dir, record), how)
	}
	deferred()
	next("after a whole run", true)
	// killed after renaming manifest.json away, before putting its own
	deferred()
	require.NoError(t, os.Remove(filepath.Join(dir, "target", "manifest.json")))
	next("killed between the renames", true)
	// killed after writing the record, before renaming anything: the
	// project's file is still manifest.json
	deferred()
	require.NoError(t, os.Rename(filepath.Join(dir, kept), filepath.Join(dir, "target", "manifest.json")))
	next("killed before the renames", true)
	// another command wrote manifest.json since: what the run left goes,
	// and the project compiles whole
	deferred()
	writeFile(t, dir, "target/manifest.json", readFile(t, dir, "target/manifest.json")+" ")
	next("manifest.json written since", false)
}

// `mart build --select result:error+ --state DIR` (rebuild what failed in
// the run DIR holds, and its children) loads from the patch snapshot: the
// selection reads the state's run_results.json, not its nodes. Output,
// results, the SQL run and manifest.json are a whole compile's.
func TestResultSelectorFromPatchMatchesWholeCompile(t *testing.T) {
	light, whole := chainProject(t), chainProject(t)
	m2 := "models/m2.sql"
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
		writeFile(t, dir, m2, "select no_such_column from {{ ref('m3') }}\n")
		r = mart(t, dir, "build", "--select", "m4+")
		require.Equal(t, 1, r.Code, r.String())
		for _, f := range []string{"manifest.json", "run_results.json"} {
			writeFile(t, dir, filepath.Join("failed", f), readFile(t, dir, filepath.Join("target", f)))
		}
		writeFile(t, dir, m2, "select id from {{ ref('m3') }} -- fixed\n")
	}
	for _, sel := range []string{"result:error+", "result:skipped", "result:error result:skipped --exclude m1", "result:success,tag:none"} {
		args := append([]string{"build", "--threads", "1", "--state", "failed"}, selectArgs(sel)...)
		what := "mart " + strings.Join(args, " ")
		a := martEnv(t, light, []string{"MART_TIMINGS=1"}, args...)
		b := mart(t, whole, append(args, "--no-partial-parse")...)
		require.Equal(t, b.Code, a.Code, "%s\nfrom the snapshot: %s\nwhole: %s", what, a, b)
		require.Regexp(t, loadedFromPatch, a.Stderr, "%s: loaded from the snapshot (%s)", what, noSelectionReason(a.Stderr))
		require.Equal(t, runOutput(b.Stdout), runOutput(a.Stdout), what)
		require.Equal(t, ranSQL(t, whole), ranSQL(t, light), what)
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light), what+": manifest.json")
	}
	require.Equal(t, tables(t, whole), tables(t, light))
}

// A run that fails after its project compiled, before it runs anything (a
// seed file that cannot be loaded), leaves target/manifest.json as a
// whole compile's run leaves it: the project's, as dbt writes its
// manifest before it runs. Loaded from the snapshot, the run has patched
// target/ by then; a whole compile used to leave it as it was (found by
// review). The warehouse is not touched either way.
func TestFailedRunLeavesTargetAsWholeCompile(t *testing.T) {
	light, whole := chainProject(t), chainProject(t)
	for _, dir := range []string{light, whole} {
		r := mart(t, dir, "build")
		require.Equal(t, 0, r.Code, r.String())
		r = mart(t, dir, "compile")
		require.Equal(t, 0, r.Code, r.String())
	}
	before := tables(t, whole)
	// one thread: m1's two tests end in one order (two threads printed
	// them in either, and the outputs compared differed now and then)
	for round, args := range [][]string{{"seed"}, {"build", "--select", "m1", "--threads", "1"}, {"seed", "--select", "raw_ids"}} {
		for _, dir := range []string{light, whole} {
			// a row with a field more, and a model edited
			writeFile(t, dir, "seeds/raw_ids.csv", fmt.Sprintf("id\n1\n2,%d\n", round))
			writeFile(t, dir, "models/m3.sql", fmt.Sprintf("select id, %d as r from {{ ref('m4') }}\n", round))
		}
		sameAsWhole(t, round, light, whole, args, nil)
		require.Contains(t, readFile(t, whole, "target/manifest.json"), fmt.Sprintf("%d as r", round), "the whole compile's manifest.json is this round's")
		require.Equal(t, manifestBody(t, whole), manifestBody(t, light), "round %d: manifest.json", round)
	}
	require.Equal(t, before, tables(t, whole))
	require.Equal(t, before, tables(t, light))
}

// A run that fails after a whole compile (a seed that does not load, in a
// project whose model reads run_started_at: the patch cannot be adopted)
// writes manifest.json and keeps its compile's snapshot: the next run
// loads from it. It took the last snapshot out as it wrote target/ and
// kept none, so every run after a failed one compiled whole (found by
// review).
func TestFailedRunKeepsASnapshot(t *testing.T) {
	dir := chainProject(t)
	writeFile(t, dir, "models/ts.sql", "select '{{ run_started_at }}' as t\n")
	for _, args := range [][]string{{"build"}, {"compile"}} {
		r := mart(t, dir, args...)
		require.Equal(t, 0, r.Code, r.String())
	}
	writeFile(t, dir, "seeds/raw_ids.csv", "id\n1\n2,3\n")
	r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, "seed")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "no selection from the patch", "the run compiled whole")
	require.FileExists(t, filepath.Join(dir, "target", "partial_parse.patch"))
	writeFile(t, dir, "seeds/raw_ids.csv", "id\n1\n2\n")
	r = martEnv(t, dir, []string{"MART_TIMINGS=1"}, "build", "--select", "m1")
	require.Equal(t, 0, r.Code, r.String())
	require.Regexp(t, loadedFromPatch, r.Stderr)
}

// A run with --full-refresh after one without it (an Airflow task that
// refreshes a model, and the scheduled run after it) patches target/: it
// renders again the models that may read the option (flagged, through a
// macro) and nothing else, rebuilds the incremental model's table, and
// a post_hook whose text never names flags (a concatenation) sees the
// run's option, as a run without partial parsing does. --debug says so.
func TestFullRefreshRunFromThePatch(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: fr\n")
	writeFile(t, dir, "seeds/raw.csv", "id\n1\n2\n")
	writeFile(t, dir, "macros/mark.sql", "{% macro fr_mark() %}{{ 'full' if flags.FULL_REFRESH else 'incremental' }}{% endmacro %}\n")
	writeFile(t, dir, "models/inc.sql", "{{ config(materialized='incremental', post_hook=\"create or replace table main.audit as select {{ \" ~ 'fl' ~ \"ags.FULL_REFRESH }} as fr\") }}\n"+
		"select id from {{ ref('raw') }}\n")
	writeFile(t, dir, "models/flagged.sql", "{{ config(materialized='table') }}\nselect '{{ fr_mark() }}' as mark\n")
	for i := 0; i < 20; i++ { // more models, which no run renders again
		writeFile(t, dir, fmt.Sprintf("models/other_%d.sql", i), "select 1 as id\n")
	}
	count := func() any { return scalar(t, dir, "select count(*) from main.inc") }
	state := func() [2]any {
		return [2]any{scalar(t, dir, "select mark from main.flagged"), scalar(t, dir, "select fr from main.audit")}
	}
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "build", "--select", "inc", "flagged", "--debug")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stderr, "Partial parsing: target/ patched from its snapshot, 0 templates rendered again")
	require.Equal(t, int64(4), count(), "an incremental run appends")
	require.Equal(t, [2]any{"incremental", false}, state())

	r = mart(t, dir, "build", "--select", "inc", "flagged", "--full-refresh", "--debug")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stderr, "Partial parsing: target/ patched from its snapshot, 1 template rendered again")
	require.Equal(t, int64(2), count(), "the full refresh built the table anew")
	require.Equal(t, [2]any{"full", true}, state())
	compiled, err := os.ReadFile(filepath.Join(dir, "target", "compiled", "models", "flagged.sql"))
	require.NoError(t, err)
	require.Contains(t, string(compiled), "'full'")
	r = mart(t, dir, "build", "--select", "inc", "flagged", "--debug")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stderr, "Partial parsing: target/ patched from its snapshot, 1 template rendered again")
	require.Equal(t, int64(4), count())
	require.Equal(t, [2]any{"incremental", false}, state())
	r = mart(t, dir, "build", "--select", "inc", "--debug")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stderr, "Partial parsing: target/ patched from its snapshot, 0 templates rendered again")
	require.Equal(t, int64(6), count())
	// what a compile without partial parsing writes
	patched, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
	require.NoError(t, err)
	r = mart(t, dir, "compile", "--no-partial-parse")
	require.Equal(t, 0, r.Code, r.String())
	cold, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
	require.NoError(t, err)
	inv := regexp.MustCompile(`"invocation_id": *"[^"]*"`)
	require.Equal(t, string(inv.ReplaceAll(cold, nil)), string(inv.ReplaceAll(patched, nil)), "manifest.json is a cold compile's")
}
