package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type runResults struct {
	Results []struct {
		UniqueID     string  `json:"unique_id"`
		Status       string  `json:"status"`
		Message      string  `json:"message"`
		RowsAffected int64   `json:"rows_affected"`
		Failures     *int64  `json:"failures"`
		Relation     string  `json:"relation_name"`
		Time         float64 `json:"execution_time"`
		Timing       []struct {
			Name        string    `json:"name"`
			StartedAt   time.Time `json:"started_at"`
			CompletedAt time.Time `json:"completed_at"`
		} `json:"timing"`
	} `json:"results"`
}

func readResults(t *testing.T, dir string) map[string]string {
	t.Helper()
	rr := readRunResults(t, dir)
	out := map[string]string{}
	for _, r := range rr.Results {
		out[r.UniqueID] = r.Status
	}
	return out
}

func readRunResults(t *testing.T, dir string) runResults {
	t.Helper()
	var rr runResults
	require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "target/run_results.json")), &rr))
	return rr
}

func tempTables(t *testing.T, dir string) []any {
	t.Helper()
	var out []any
	for _, r := range query(t, dir, "select table_name from information_schema.tables where table_name like '%__mart_tmp_%'") {
		out = append(out, r[0])
	}
	return out
}

func TestBuildMaterializations(t *testing.T) {
	dir := project(t, "build_basic")
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "OK table main_marts.people_summary [4 rows in")
	require.Contains(t, r.Stdout, "OK view main_staging.stg_people")
	require.Contains(t, r.Stdout, "OK seed main_raw.people [4 rows in")
	require.Contains(t, r.Stdout, "Completed successfully")

	kinds := map[string]string{}
	for _, row := range query(t, dir, "select table_schema || '.' || table_name, table_type from information_schema.tables") {
		kinds[row[0].(string)] = row[1].(string)
	}
	require.Equal(t, "VIEW", kinds["main_staging.stg_people"])
	require.Equal(t, "BASE TABLE", kinds["main_marts.people_summary"])
	require.Equal(t, "BASE TABLE", kinds["main_raw.people"])
	_, eph := kinds["main_marts.person_orders"]
	require.False(t, eph, "an ephemeral model must never be created")
	require.Equal(t, int64(4), scalar(t, dir, "select count(*) from main_marts.people_summary"))
	require.Equal(t, int64(2), scalar(t, dir, "select n_orders from main_marts.people_summary where person_id = 1"))
	require.Contains(t, readFile(t, dir, "target/compiled/models/marts/people_summary.sql"), "__mart__cte__person_orders as (")

	res := readResults(t, dir)
	require.Equal(t, "success", res["model.basic.people_summary"])
	require.Equal(t, "pass", res[findID(t, dir, "unique_people_summary_person_id")])
	rr := readRunResults(t, dir)
	for _, x := range rr.Results {
		if x.UniqueID == "model.basic.people_summary" {
			require.Equal(t, int64(4), x.RowsAffected)
			require.Equal(t, `"main_marts"."people_summary"`, x.Relation)
			require.Len(t, x.Timing, 1)
		}
	}

	// a second build is idempotent
	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, int64(4), scalar(t, dir, "select count(*) from main_marts.people_summary"))
}

// findID returns the unique id of a node by name from the manifest.
func findID(t *testing.T, dir, name string) string {
	t.Helper()
	var m struct {
		Nodes map[string]struct {
			Name string `json:"name"`
		} `json:"nodes"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, dir, "target/manifest.json")), &m))
	for id, n := range m.Nodes {
		if n.Name == name {
			return id
		}
	}
	t.Fatalf("no node %s in manifest", name)
	return ""
}

func TestSeedsAwkwardCSV(t *testing.T) {
	dir := project(t, "build_basic")
	r := mart(t, dir, "seed")
	require.Equal(t, 0, r.Code, r.String())
	rows := query(t, dir, `select id, "full name", "city, country", zip, joined, score, active from main_raw.people order by id`)
	require.Len(t, rows, 4)
	require.Equal(t, `Grace "Amazing" Hopper`, rows[1][1])
	require.Equal(t, "Line\nBreak", rows[2][1])
	require.Equal(t, "London, UK", rows[0][2])
	require.Equal(t, "01234", rows[0][3], "column_types keeps the leading zero")
	require.Nil(t, rows[2][3], "empty value is NULL")
	require.Nil(t, rows[1][5])
	require.Nil(t, rows[3][4])
	require.Nil(t, rows[3][6])
	require.Equal(t, true, rows[0][6])
	types := map[string]string{}
	for _, row := range query(t, dir, "select column_name, data_type from information_schema.columns where table_name = 'people'") {
		types[row[0].(string)] = row[1].(string)
	}
	require.Equal(t, "VARCHAR", types["zip"])
	require.Equal(t, "DATE", types["joined"])
	require.Equal(t, "BOOLEAN", types["active"])

	// a ragged row is bad input: it names the file and the row before
	// anything runs (exit 2), and leaves the old table alone
	writeFile(t, dir, "seeds/orders.csv", "order_id,person_id,amount_cents\n10,1,1500\n11,1\n")
	r = mart(t, dir, "seed")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "seeds/orders.csv: row 3 has 2 fields")
	require.NotContains(t, r.Stdout, "OK seed", "no seed ran")
	require.Equal(t, int64(4), scalar(t, dir, "select count(*) from main_raw.orders"))
}

func TestFailedModelKeepsPreviousTableAndSkipsDependents(t *testing.T) {
	dir := project(t, "build_basic")
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	before := scalar(t, dir, "select sum(total) from main_marts.people_summary")

	writeFile(t, dir, "models/marts/people_summary.sql", "select person_id, no_such_column from {{ ref('stg_people') }}\n")
	r = mart(t, dir, "build")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "ERROR table main_marts.people_summary")
	require.Contains(t, r.Stdout, "target/compiled/models/marts/people_summary.sql")
	require.Contains(t, r.Stdout, "no_such_column")
	require.Contains(t, r.Stdout, "SKIP table main_marts.city_totals (model people_summary failed)")
	require.Contains(t, r.Stdout, "OK table main_marts.orders_big", "independent branches go on")
	require.Equal(t, before, scalar(t, dir, "select sum(total) from main_marts.people_summary"), "previous rows still there")
	require.Empty(t, tempTables(t, dir))
	res := readResults(t, dir)
	require.Equal(t, "error", res["model.basic.people_summary"])
	require.Equal(t, "skipped", res["model.basic.city_totals"])
	require.Equal(t, "skipped", res[findID(t, dir, "unique_people_summary_person_id")])
}

func TestFailingTestSkipsDependentsInBuild(t *testing.T) {
	dir := project(t, "build_basic")
	// people_summary's unique test fails: its child city_totals is skipped
	writeFile(t, dir, "models/marts/people_summary.sql", "select 1 as person_id, 'x' as city, 1 as total union all select 1, 'y', 2\n")
	r := mart(t, dir, "build")
	require.Equal(t, 1, r.Code, r.String())
	require.Contains(t, r.Stdout, "FAIL unique_people_summary_person_id [1 failing row in")
	require.Contains(t, r.Stdout, "unique_field | n_records")
	require.Contains(t, r.Stdout, "SKIP table main_marts.city_totals (test unique_people_summary_person_id failed)")
}

func TestParallelOrderingRespectsDependencies(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: par\nmodels:\n  par:\n    +materialized: table\n")
	// a diamond lattice: layer k model i refs two models of layer k-1
	const layers, width = 5, 6
	for k := 0; k < layers; k++ {
		for i := 0; i < width; i++ {
			name := modelName(k, i)
			sql := "select " + itoa(i) + " as id, random() as r from range(20000)"
			if k > 0 {
				sql = "select a.id, a.r + b.r as r from {{ ref('" + modelName(k-1, i) + "') }} a, {{ ref('" + modelName(k-1, (i+1)%width) + "') }} b where a.id = b.id limit 20000"
			}
			writeFile(t, dir, "models/"+name+".sql", sql+"\n")
		}
	}
	r := mart(t, dir, "run", "--threads", "4")
	require.Equal(t, 0, r.Code, r.String())
	rr := readRunResults(t, dir)
	done := map[string]time.Time{}
	start := map[string]time.Time{}
	for _, x := range rr.Results {
		require.Equal(t, "success", x.Status)
		start[x.UniqueID] = x.Timing[0].StartedAt
		done[x.UniqueID] = x.Timing[0].CompletedAt
	}
	for k := 1; k < layers; k++ {
		for i := 0; i < width; i++ {
			id := "model.par." + modelName(k, i)
			for _, p := range []string{modelName(k-1, i), modelName(k-1, (i+1)%width)} {
				require.False(t, start[id].Before(done["model.par."+p]), "%s started before its parent %s finished", id, p)
			}
		}
	}
	// with 4 threads some models of a layer overlap
	var spans [][2]time.Time
	for id := range start {
		spans = append(spans, [2]time.Time{start[id], done[id]})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0].Before(spans[j][0]) })
	overlap := false
	for i := 1; i < len(spans); i++ {
		if spans[i][0].Before(spans[i-1][1]) {
			overlap = true
		}
	}
	require.True(t, overlap, "expected independent models to run at the same time")
}

func modelName(k, i int) string { return "l" + itoa(k) + "_m" + itoa(i) }

func itoa(i int) string { return strconv.Itoa(i) }

func TestCancellationLeavesNoTempTables(t *testing.T) {
	dir := project(t, "build_basic")
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	writeFile(t, dir, "models/marts/people_summary.sql", "select count(*) as person_id, 1 as total, 'x' as city from range(100000000000)\n")
	cmd := exec.Command(martBin, "run", "--select", "people_summary")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MART_PROFILES_DIR=")
	var out syncBuffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	require.NoError(t, cmd.Start())
	// interrupt once the model is running, however slow the machine is
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "Running ") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(700 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	errc := make(chan error, 1)
	go func() { errc <- cmd.Wait() }()
	select {
	case <-errc:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("mart did not stop after Ctrl-C:\n%s", out.String())
	}
	require.Equal(t, 130, cmd.ProcessState.ExitCode(), out.String())
	require.Contains(t, out.String(), "interrupted")
	require.Empty(t, tempTables(t, dir))
	require.Equal(t, int64(4), scalar(t, dir, "select count(*) from main_marts.people_summary"), "previous table intact")
}

func TestBadInputChangesNothing(t *testing.T) {
	dir := project(t, "build_basic")
	writeFile(t, dir, "models/marts/bad.sql", "select * from {{ ref('people_sumary') }}\n")
	r := mart(t, dir, "build")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "models/marts/bad.sql:1:")
	require.Contains(t, r.Stderr, `"people_summary"`)
	_, err := os.Stat(filepath.Join(dir, "target", "mart.duckdb"))
	require.True(t, os.IsNotExist(err), "no warehouse file may be created on bad input")
}

func TestJSONLog(t *testing.T) {
	dir := project(t, "build_basic")
	r := mart(t, dir, "build", "--log-format", "json")
	require.Equal(t, 0, r.Code, r.String())
	var kinds []string
	for _, l := range lines(r.Stdout) {
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &ev), l)
		kinds = append(kinds, ev["event"].(string))
		if ev["event"] == "node_finished" && ev["unique_id"] == "model.basic.people_summary" {
			require.Equal(t, "success", ev["status"])
			require.Equal(t, float64(4), ev["rows_affected"])
		}
	}
	require.Equal(t, "summary", kinds[len(kinds)-1])
}

func TestUnwritableDatabasePath(t *testing.T) {
	dir := project(t, "build_basic")
	writeFile(t, dir, "profiles.yml", "basic:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: /proc/mart/x.duckdb\n")
	r := mart(t, dir, "run")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "/proc/mart/x.duckdb")
	require.Contains(t, r.Stderr, "profiles.yml")
}

// syncBuffer is a bytes.Buffer safe to read while a process writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
