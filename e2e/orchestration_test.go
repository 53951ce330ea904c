package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// freshnessProject is a project whose raw tables are models built with
// loaded_at values relative to the build's clock, so `mart source
// freshness` finds one table fresh, one getting stale and one stale.
func freshnessProject(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: fresh\nmodels:\n  fresh:\n    +materialized: table\n")
	writeFile(t, dir, "models/raw_fresh.sql", "select 1 as id, current_timestamp - interval '10 minutes' as loaded_at")
	writeFile(t, dir, "models/raw_aging.sql", "select 1 as id, current_timestamp - interval '2 hours' as loaded_at")
	writeFile(t, dir, "models/raw_stale.sql", "select 1 as id, cast(current_timestamp - interval '3 days' as timestamp) as loaded_at")
	writeFile(t, dir, "models/sources.yml", `version: 2
sources:
  - name: raw
    schema: main
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: fresh
        identifier: raw_fresh
      - name: aging
        identifier: raw_aging
      - name: stale
        identifier: raw_stale
      - name: filtered
        identifier: raw_fresh
        freshness:
          filter: "id > 1"
`)
	r := mart(t, dir, "run")
	require.Equal(t, 0, r.Code, "%s", r)
	return dir
}

// TestSourceFreshness checks pass, warn, error and a filter that leaves no
// row, the exit code, target/sources.json in dbt's shape, and JSON lines.
func TestSourceFreshness(t *testing.T) {
	dir := freshnessProject(t)
	r := mart(t, dir, "source", "freshness")
	require.Equal(t, 1, r.Code, "a stale source is exit 1\n%s", r)
	assert.Regexp(t, `PASS freshness of raw\.fresh \[newest row 1\dm\d+s old`, r.Stdout)
	assert.Regexp(t, `WARN freshness of raw\.aging \[newest row 2h\d+m old`, r.Stdout)
	assert.Regexp(t, `ERROR STALE freshness of raw\.stale \[newest row 3d0h old`, r.Stdout)
	assert.Contains(t, r.Stdout, "ERROR STALE freshness of raw.filtered [no rows")
	assert.Contains(t, r.Stdout, "PASS=1 WARN=1 ERROR=2 RUNTIME_ERROR=0 TOTAL=4")

	var f struct {
		Metadata map[string]any   `json:"metadata"`
		Results  []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "target/sources.json")), &f))
	assert.Equal(t, "https://schemas.getdbt.com/dbt/sources/v3.json", f.Metadata["dbt_schema_version"])
	status := map[string]any{}
	for _, res := range f.Results {
		status[res["unique_id"].(string)] = res["status"]
	}
	assert.Equal(t, map[string]any{"source.fresh.raw.fresh": "pass", "source.fresh.raw.aging": "warn",
		"source.fresh.raw.stale": "error", "source.fresh.raw.filtered": "error"}, status)
	crit := f.Results[0]["criteria"].(map[string]any)
	assert.Equal(t, map[string]any{"count": 1.0, "period": "day"}, crit["error_after"])

	r = mart(t, dir, "source", "freshness", "--select", "source:raw.fresh source:raw.aging", "--log-format", "json")
	require.Equal(t, 0, r.Code, "a warning is exit 0\n%s", r)
	for _, line := range lines(r.Stdout) {
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
	}
	assert.Contains(t, r.Stdout, `"event":"freshness_checked"`)
	assert.Contains(t, r.Stdout, `"event":"freshness_summary"`)
}

// A freshness: block without loaded_at_field is bad input, named at its
// YAML line; a loaded_at_field that is not a column is a clear error.
func TestSourceFreshnessMissingLoadedAtField(t *testing.T) {
	dir := freshnessProject(t)
	src := readFile(t, dir, "models/sources.yml")
	writeFile(t, dir, "models/sources.yml", strings.Replace(src, "    loaded_at_field: loaded_at\n", "", 1))
	r := mart(t, dir, "source", "freshness")
	require.Equal(t, 2, r.Code, "%s", r)
	assert.Contains(t, r.Stderr, "models/sources.yml:9: error: source raw.fresh has a freshness: block but no loaded_at_field")
	assert.Contains(t, r.Stderr, "4 sources cannot be checked; nothing was checked")

	writeFile(t, dir, "models/sources.yml", strings.Replace(src, "loaded_at_field: loaded_at", "loaded_at_field: updated_at", 1))
	r = mart(t, dir, "source", "freshness", "--select", "source:raw.fresh")
	require.Equal(t, 1, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, `loaded_at_field "updated_at" is not a column of main.raw_fresh (its columns: id, loaded_at)`)
	assert.Contains(t, r.Stdout, "RUNTIME_ERROR=1")
}

// source_status:fresher selects what has newer data than the state's
// sources.json, and its children with the + operator.
func TestSourceStatusFresher(t *testing.T) {
	dir := freshnessProject(t)
	mart(t, dir, "source", "freshness")
	state := filepath.Join(t.TempDir(), "prod")
	require.NoError(t, os.MkdirAll(state, 0o755))
	for _, f := range []string{"manifest.json", "sources.json"} {
		require.NoError(t, os.WriteFile(filepath.Join(state, f), []byte(readFile(t, dir, "target/"+f)), 0o644))
	}
	writeFile(t, dir, "models/downstream.sql", "select * from {{ source('raw', 'fresh') }}")
	require.Equal(t, 0, mart(t, dir, "run", "-s", "raw_fresh").Code) // newer rows in raw_fresh
	mart(t, dir, "source", "freshness")
	mart(t, dir, "compile") // a snapshot: the selection loads from it
	r := martEnv(t, dir, []string{"MART_TIMINGS=1"}, "ls", "--select", "source_status:fresher+", "--state", state, "--output", "name")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.ElementsMatch(t, []string{"downstream", "raw.fresh"}, strings.Fields(r.Stdout),
		"raw.fresh has newer rows; the others are as old as before (filtered has none)")
	require.Regexp(t, loadedFromPatch, r.Stderr, "selected over the patch snapshot (%s)", noSelectionReason(r.Stderr))
	whole := mart(t, dir, "ls", "--select", "source_status:fresher+", "--state", state, "--output", "name", "--no-partial-parse")
	require.Equal(t, whole.Stdout, r.Stdout)

	r = mart(t, dir, "ls", "--select", "source_status:fresher")
	require.Equal(t, 2, r.Code, "%s", r)
	assert.Contains(t, r.Stderr, "source_status: needs --state DIR holding the sources.json")
}

// TestAirflowDAGTasksRun generates the demo's DAG with the real binary,
// reads its tasks and edges with python3's ast, and runs, for real, the
// commands of stg_members' task and of every task upstream of it, in
// order, as Airflow would.
func TestAirflowDAGTasksRun(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	dir := demo(t)
	r := mart(t, dir, "airflow", "generate", "--out", "dags/soda_store.py")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, `Wrote the Airflow DAG "soda_store" to dags/soda_store.py`)
	out, err := exec.Command(py, "-c", readTasksPy, filepath.Join(dir, "dags/soda_store.py")).Output()
	require.NoError(t, err)
	var dag struct {
		Tasks map[string][2]string `json:"tasks"`
		Edges [][2]string          `json:"edges"`
	}
	require.NoError(t, json.Unmarshal(out, &dag))
	up := map[string][]string{}
	for _, e := range dag.Edges {
		up[e[1]] = append(up[e[1]], e[0])
	}
	var order []string
	done := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if done[id] {
			return
		}
		done[id] = true
		for _, u := range up[id] {
			visit(u)
		}
		order = append(order, id)
	}
	visit("stg_members")
	require.Equal(t, []string{"raw_members", "freshness_raw_members", "test_raw_members", "stg_members"}, order)
	for _, id := range order {
		args := shellWords(t, dag.Tasks[id][1])
		r := mart(t, dir, args...)
		require.Equal(t, 0, r.Code, "task %s: mart %s\n%s", id, strings.Join(args, " "), r)
	}
	assert.EqualValues(t, 400, scalar(t, dir, "select count(*) from main_staging.stg_members"), "one row per raw member")
}

// readTasksPy prints a DAG file's TASKS (kind and arguments) and EDGES as
// JSON, reading the literals with ast, without importing Airflow.
const readTasksPy = `import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
out = {}
for node in tree.body:
    if isinstance(node, ast.Assign) and node.targets[0].id == "TASKS":
        out["tasks"] = {ast.literal_eval(k): [ast.literal_eval(v.elts[0]), ast.literal_eval(v.elts[1])]
                        for k, v in zip(node.value.keys, node.value.values)}
    if isinstance(node, ast.Assign) and node.targets[0].id == "EDGES":
        out["edges"] = ast.literal_eval(node.value)
print(json.dumps(out))
`

// `mart source freshness` loads the selected sources from the patch
// snapshot (an orchestrator checks freshness before each build): its
// output and exit code are those of a whole compile's, with a selection or
// without, before and after an edit of the sources' YAML (which compiles
// the whole project) and of a model.
func TestSourceFreshnessFromPatchMatchesWholeCompile(t *testing.T) {
	light, whole := freshnessProject(t), freshnessProject(t)
	ages := regexp.MustCompile(`\[(newest row|no rows)[^\]]*\]|\d+(\.\d+)?s\b`)
	checks := [][]string{nil, {"--select", "source:raw.fresh"}, {"--select", "source:raw.fresh+ source:raw.aging"},
		{"--exclude", "source:raw.stale"}, {"--select", "nosuch"}, {"--select", "raw_fresh"}}
	loaded := 0
	for round := 0; round < 3; round++ {
		switch round {
		case 1:
			editModel(t, "models/raw_aging.sql", light, whole)
		case 2:
			for _, dir := range []string{light, whole} {
				src := readFile(t, dir, "models/sources.yml")
				writeFile(t, dir, "models/sources.yml", strings.Replace(src, "count: 1, period: day", "count: 2, period: day", 1))
			}
		}
		for _, args := range checks {
			if sameAsWhole(t, round, light, whole, append([]string{"source", "freshness"}, args...),
				func(s string) string { return ages.ReplaceAllString(s, "<age>") }) {
				loaded++
			}
		}
	}
	// the YAML edit compiles the whole project once; runs of mart source
	// freshness write no snapshot, so the round after it compiles whole
	require.GreaterOrEqual(t, loaded, 2*len(checks), "checks that loaded from the patch snapshot")
}
