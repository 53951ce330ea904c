package e2e

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// events runs mart with --log-format json and returns its events.
func events(t *testing.T, dir string, wantCode int, args ...string) []map[string]any {
	t.Helper()
	r := mart(t, dir, append(args, "--log-format", "json")...)
	require.Equal(t, wantCode, r.Code, "mart %s\n%s", strings.Join(args, " "), r)
	var out []map[string]any
	for _, l := range lines(r.Stdout) {
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &ev), l)
		out = append(out, ev)
	}
	return out
}

// finished returns the unique ids of the nodes a run reported, sorted.
func finished(evs []map[string]any) []string {
	var ids []string
	for _, ev := range evs {
		if ev["event"] == "node_finished" {
			ids = append(ids, ev["unique_id"].(string))
		}
	}
	sort.Strings(ids)
	return ids
}

func dbScalar(t *testing.T, file, q string) any {
	t.Helper()
	db, err := sql.Open("duckdb", file+"?access_mode=read_only")
	require.NoError(t, err)
	defer db.Close()
	var v any
	require.NoError(t, db.QueryRow(q).Scan(&v), q)
	return v
}

// TestPullRequestWorkflow is issue 16's scenario on the SODA Store:
// production builds; a pull request changes a model, a macro, a YAML config
// and a var; the slim build runs exactly the modified nodes and their
// children, reading the rest from production; mart diff reports exactly
// the rows that changed; mart retry after a failure runs only the failed
// node and what it skipped; mart verify passes on the demo's incremental
// models and fails on a wrong incremental filter.
func TestPullRequestWorkflow(t *testing.T) {
	dir := demo(t)
	writeFile(t, dir, "profiles.yml", "soda:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb}\n    prod: {type: duckdb, path: prod.duckdb}\n")
	prod := filepath.Join(dir, "prod.duckdb")
	events(t, dir, 0, "build", "--target", "prod")
	state := filepath.Join(dir, "prod-state")
	require.NoError(t, os.MkdirAll(state, 0o755))
	for _, f := range []string{"manifest.json", "run_results.json"} {
		writeFile(t, dir, "prod-state/"+f, readFile(t, dir, "target/"+f))
	}

	// the pull request
	edit := func(file, old, new string) {
		t.Helper()
		text := readFile(t, dir, file)
		require.Contains(t, text, old, file)
		writeFile(t, dir, file, strings.Replace(text, old, new, 1))
	}
	edit("models/marts/agg_revenue_by_channel.sql", "    p.paid_date,\n", "    p.paid_date,\n    1 as pr_version,\n")
	edit("macros/cents_to_currency.sql", "/ 100.0", "/ 100.00")                                                         // same values
	edit("models/marts/_marts.yml", "  - name: dim_cars\n", "  - name: dim_cars\n    config: {meta: {owner: fleet}}\n") // a config only
	edit("mart.yml", "late_return_grace_minutes: 15", "late_return_grace_minutes: 20")

	r := mart(t, dir, "ls", "--select", "state:modified", "--state", "prod-state", "--resource-type", "model", "--output", "name")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, []string{"agg_revenue_by_channel", "dim_cars", "dim_members", "fct_payments", "fct_reservations"}, lines(r.Stdout))

	// the slim build: exactly the modified nodes and their children
	var want []string
	for _, ev := range events(t, dir, 0, "ls", "--select", "state:modified+", "--state", "prod-state", "--output", "json") {
		cfg, _ := ev["config"].(map[string]any)
		if ev["resource_type"] != "source" && cfg["materialized"] != "ephemeral" {
			want = append(want, ev["unique_id"].(string))
		}
	}
	sort.Strings(want)
	built := finished(events(t, dir, 0, "build", "--select", "state:modified+", "--defer", "--state", "prod-state"))
	assert.Equal(t, want, built)
	assert.Contains(t, readFile(t, dir, "target/compiled/models/marts/fct_reservations.sql"), `"mart_state"."main_staging"."stg_reservations"`)
	dev := filepath.Join(dir, "dev.duckdb")
	assert.EqualValues(t, 0, dbScalar(t, dev, "select count(*) from information_schema.tables where table_name = 'stg_reservations'"),
		"deferred parents are not built in the PR's database")

	// diff reports the rows that changed, and nothing else
	late := dbScalar(t, prod, "select count(*) from main_marts.fct_reservations where status = 'completed' and overrun_minutes > 15 and overrun_minutes <= 20")
	require.NotZero(t, late)
	diffs := map[string]map[string]any{}
	for _, ev := range events(t, dir, 0, "diff", "--state", "prod-state", "--ignore-columns", "_loaded_at") {
		if ev["event"] == "diff" {
			diffs[ev["name"].(string)] = ev
		}
	}
	counts := func(name string) map[string]float64 {
		rows, _ := diffs[name]["rows"].(map[string]any)
		c, _ := rows["counts"].(map[string]any)
		out := map[string]float64{}
		for k, v := range c {
			out[k] = v.(float64)
		}
		return out
	}
	require.Len(t, diffs, 5)
	assert.Equal(t, []any{"pr_version"}, diffs["agg_revenue_by_channel"]["columns_added"])
	assert.Zero(t, counts("agg_revenue_by_channel")["added"]+counts("agg_revenue_by_channel")["removed"], "the other columns are the same")
	assert.EqualValues(t, late, counts("fct_reservations")["changed"])
	assert.Zero(t, counts("fct_reservations")["added"]+counts("fct_reservations")["removed"])
	for _, name := range []string{"dim_cars", "dim_members", "fct_payments"} {
		assert.Equal(t, false, diffs[name]["differs"], name)
	}

	// retry after an injected failure runs the failed node and what it skipped
	good := readFile(t, dir, "models/marts/dim_cars.sql")
	writeFile(t, dir, "models/marts/dim_cars.sql", strings.Replace(good, "select", "select no_such_column,", 1))
	failed := events(t, dir, 1, "build", "--select", "state:modified+", "--defer", "--state", "prod-state")
	var again []string
	for _, ev := range failed {
		if ev["event"] == "node_finished" && (ev["status"] == "error" || ev["status"] == "skipped" || ev["status"] == "fail") {
			again = append(again, ev["unique_id"].(string))
		}
	}
	sort.Strings(again)
	require.Contains(t, again, "model.soda.dim_cars")
	require.Greater(t, len(again), 1, "dim_cars has children that were skipped")
	writeFile(t, dir, "models/marts/dim_cars.sql", good)
	assert.Equal(t, again, finished(events(t, dir, 0, "retry")))

	// verify: after the var change, production's incremental fct_reservations
	// no longer equals a full rebuild (its old rows keep the old
	// is_late_return): verify says so until it is fully refreshed...
	events(t, dir, 0, "build", "--target", "prod")
	r = mart(t, dir, "verify", "--target", "prod")
	require.Equal(t, 1, r.Code, r.String())
	assert.Contains(t, r.Stdout, fmt.Sprintf("0 added, 0 removed, %v changed", late))
	assert.Contains(t, r.Stdout, "(is_late_return)")
	// ...and then the demo's incremental models equal full rebuilds
	events(t, dir, 0, "build", "--target", "prod", "--full-refresh")
	events(t, dir, 0, "build", "--target", "prod")
	events(t, dir, 0, "verify", "--target", "prod")
	// ...and a wrong incremental filter (a lookback on an append model) does not
	edit("models/marts/fct_payments.sql", "where paid_at > (select max(paid_at) from {{ this }})",
		"where paid_at > (select max(paid_at) - interval 30 day from {{ this }})")
	events(t, dir, 0, "run", "--target", "prod", "--select", "fct_payments")
	r = mart(t, dir, "verify", "--target", "prod", "--select", "fct_payments")
	require.Equal(t, 1, r.Code, r.String())
	assert.Contains(t, r.Stdout, "fct_payments: main_marts.fct_payments against a full rebuild")
	assert.Regexp(t, `rows \(by whole rows\): [1-9][0-9]* added, 0 removed`, r.Stdout)
	assert.Contains(t, r.Stdout, "    added {")
}
