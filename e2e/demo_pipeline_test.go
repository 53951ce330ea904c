package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract/extracttest"
	"github.com/mart-dev/mart/extract/extracttest/mongotest"
)

// TestDemoPipeline runs the SODA Store from its operational stores: sodagen
// loads the scale-1 data into PostgreSQL, MariaDB, a MongoDB-wire server
// and files, `mart extract` lands it (the demo's own source raw, whose
// extract: blocks read the stores when SODA_PIPELINE is set), and `mart
// build` builds the demo on it. The marts must equal, row for row, those
// the seeds give; after an UPDATE, an INSERT and a DELETE in PostgreSQL
// (mirrored in the seeds) they must again; and a run with nothing new
// changes nothing. The pipeline runs in a time zone other than UTC, with
// no seeds at all, so the marts read neither.
func TestDemoPipeline(t *testing.T) {
	pgDSN, pg := extracttest.Postgres(t)
	myDSN, _ := extracttest.MySQL(t)
	mongoURI, _ := mongotest.Server(t)
	env := []string{"SODA_POSTGRES_DSN=" + pgDSN, "SODA_MARIADB_DSN=" + myDSN, "SODA_MONGODB_URI=" + mongoURI,
		"SODA_PIPELINE=1", "TZ=America/Los_Angeles"}

	seeds := demo(t)
	r := mart(t, seeds, "build")
	require.Equal(t, 0, r.Code, "%s", r)

	pipe := pipelineDemo(t)
	sodagenBuild(t)
	start := time.Now()
	sodagen(t, "--load", "--pg-dsn", pgDSN, "--mysql-dsn", myDSN, "--mongo-uri", mongoURI,
		"--files-dir", filepath.Join(pipe, "data", "fleet"))
	t.Logf("sodagen --load: %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	r = martEnv(t, pipe, env, "extract")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, "OK=6 ERROR=0 SKIP=0")
	assert.Contains(t, r.Stdout, "OK extracted raw.reservations: 1,000 inserted")
	assert.Contains(t, r.Stdout, "OK extracted raw.app_events: 5,056 inserted")
	extracted := time.Since(start)
	buildPipeline(t, pipe, env)
	t.Logf("mart extract: %s, + mart build: %s", extracted.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	requireSameMarts(t, seeds, pipe)
	assert.Equal(t, "5056", fmt.Sprint(scalar(t, pipe, "select count(*) from main_staging.stg_app_events")))

	// The next morning: a booking is cancelled, one is made, a member who
	// never booked is deleted. The seeds get the same change, as the
	// change-data-capture log they are: a newer version of each booking.
	extracttest.PgExec(t, pg,
		`UPDATE reservations SET status = 'cancelled', cancelled_at = '2026-04-01 08:00:00', updated_at = '2026-04-01 08:00:00'
			WHERE reservation_id = 1000`,
		`INSERT INTO reservations (reservation_id, member_id, car_id, zone_id, created_at, start_at, end_at, status, updated_at)
			VALUES (1001, 1, 1, 1, '2026-04-01 07:30:00', '2026-04-20 10:00:00', '2026-04-20 12:00:00', 'active', '2026-04-01 07:30:00')`,
		`DELETE FROM members WHERE member_id = 399`)
	appendCSV(t, seeds, "raw_reservations", pgCSVRows(t, pg, `SELECT reservation_id::text, member_id::text, car_id::text,
		zone_id::text, created_at::text, start_at::text, end_at::text, returned_at::text, status, cancelled_at::text, distance_km::text,
		updated_at::text FROM reservations WHERE reservation_id IN (1000, 1001) ORDER BY reservation_id`))
	deleteCSVRow(t, seeds, "raw_members", "399,")
	r = mart(t, seeds, "build")
	require.Equal(t, 0, r.Code, "%s", r)

	r = martEnv(t, pipe, env, "extract")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Contains(t, r.Stdout, "OK extracted raw.reservations: 1 inserted, 1 updated")
	assert.Contains(t, r.Stdout, "OK extracted raw.members: 1 deleted")
	assert.Contains(t, r.Stdout, "OK extracted raw.payments: no changes")
	buildPipeline(t, pipe, env)
	requireSameMarts(t, seeds, pipe)
	assert.Equal(t, [][]any{{int64(1000), "cancelled"}, {int64(1001), "active"}},
		query(t, pipe, "select reservation_id, status from main_marts.fct_reservations where reservation_id >= 1000 order by 1"))
	assert.Equal(t, "1001 / 399 / 3", fmt.Sprint(scalar(t, pipe, `select (select count(*) from main_marts.fct_reservations) || ' / ' ||
		(select count(*) from main_marts.dim_members) || ' / ' ||
		(select count(*) from main_marts.fct_reservations where status = 'active')`)))

	// Nothing new: every table says so, no raw row or stream state moves,
	// and the marts stay as they are.
	state := query(t, pipe, "select stream, cast(state as varchar), updated_at from raw._mart_extract_state order by stream")
	marts := martRows(t, pipe)
	r = martEnv(t, pipe, env, "extract")
	require.Equal(t, 0, r.Code, "%s", r)
	assert.Equal(t, 6, strings.Count(r.Stdout, ": no changes ["), "%s", r.Stdout)
	assert.Equal(t, state, query(t, pipe, "select stream, cast(state as varchar), updated_at from raw._mart_extract_state order by stream"))
	buildPipeline(t, pipe, env)
	assert.Equal(t, marts, martRows(t, pipe))
}

// pipelineDemo copies the demo without the seeds: the pipeline's build
// must not need them.
func pipelineDemo(t *testing.T) string {
	t.Helper()
	dir := demo(t)
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "seeds")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "seeds"), 0o755))
	return dir
}

func buildPipeline(t *testing.T, dir string, env []string) {
	t.Helper()
	r := martEnv(t, dir, env, "build")
	require.Equal(t, 0, r.Code, "%s", r)
	require.Contains(t, r.Stdout, "WARN=0 ERROR=0 FAIL=0 SKIP=0", "%s", r.Stdout)
}

var (
	sodagenOnce sync.Once
	sodagenPath string
	sodagenErr  error
)

// sodagenBuild builds cmd/sodagen, once.
func sodagenBuild(t *testing.T) {
	t.Helper()
	sodagenOnce.Do(func() {
		sodagenPath = filepath.Join(filepath.Dir(martBin), "sodagen")
		cmd := exec.Command("go", "build", "-o", sodagenPath, "./cmd/sodagen")
		cmd.Dir = repoRoot
		out, err := cmd.CombinedOutput()
		if err != nil {
			sodagenErr = fmt.Errorf("building sodagen: %v\n%s", err, out)
		}
	})
	require.NoError(t, sodagenErr)
}

// sodagen runs cmd/sodagen with args.
func sodagen(t *testing.T, args ...string) {
	t.Helper()
	sodagenBuild(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, sodagenPath, args...).CombinedOutput()
	require.NoError(t, err, "sodagen %s\n%s", strings.Join(args, " "), out)
}

// martTable is a mart's columns with their types, and its rows as text,
// sorted.
type martTable struct {
	Columns []string
	Rows    [][]any
}

// martRows reads every table of the marts schema, but the columns that
// hold when the build ran (_loaded_at).
func martRows(t *testing.T, dir string) map[string]martTable {
	t.Helper()
	out := map[string]martTable{}
	cols := query(t, dir, `select table_name, column_name, data_type from information_schema.columns
		where table_schema = 'main_marts' and column_name <> '_loaded_at' order by table_name, ordinal_position`)
	for _, c := range cols {
		name := c[0].(string)
		m := out[name]
		m.Columns = append(m.Columns, c[1].(string)+" "+c[2].(string))
		out[name] = m
	}
	for name, m := range out {
		sel := make([]string, len(m.Columns))
		for i, c := range m.Columns {
			sel[i] = fmt.Sprintf("cast(%q as varchar)", strings.Fields(c)[0])
		}
		m.Rows = query(t, dir, fmt.Sprintf("select %s from main_marts.%s order by all", strings.Join(sel, ", "), name))
		out[name] = m
	}
	return out
}

// requireSameMarts checks that two builds hold the same marts: tables,
// columns, types and rows.
func requireSameMarts(t *testing.T, want, got string) {
	t.Helper()
	w, g := martRows(t, want), martRows(t, got)
	require.Len(t, w, 9, "the demo has 9 marts")
	for name, wt := range w {
		gt, ok := g[name]
		require.True(t, ok, "mart %s is missing", name)
		require.Equal(t, wt.Columns, gt.Columns, "columns of %s", name)
		require.Equal(t, len(wt.Rows), len(gt.Rows), "rows of %s", name)
		require.Equal(t, wt.Rows, gt.Rows, "rows of %s", name)
	}
	require.Len(t, g, len(w))
}

// pgCSVRows reads the rows of a reservations query as seed CSV lines:
// every column as text (a timestamp without zone reads as YYYY-MM-DD
// HH:MM:SS), NULL as an empty field.
func pgCSVRows(t *testing.T, conn *pgx.Conn, q string) []string {
	t.Helper()
	var out []string
	for _, row := range extracttest.PgRows(t, conn, q) {
		fields := make([]string, len(row))
		for i, v := range row {
			if v != nil {
				fields[i] = v.(string)
			}
		}
		out = append(out, strings.Join(fields, ","))
	}
	return out
}

func appendCSV(t *testing.T, dir, seed string, lines []string) {
	t.Helper()
	rel := filepath.Join("seeds", seed+".csv")
	writeFile(t, dir, rel, readFile(t, dir, rel)+strings.Join(lines, "\n")+"\n")
}

// deleteCSVRow removes the one line of a seed that starts with prefix.
func deleteCSVRow(t *testing.T, dir, seed, prefix string) {
	t.Helper()
	rel := filepath.Join("seeds", seed+".csv")
	lines := strings.SplitAfter(readFile(t, dir, rel), "\n")
	var kept []string
	for _, l := range lines {
		if !strings.HasPrefix(l, prefix) {
			kept = append(kept, l)
		}
	}
	require.Len(t, kept, len(lines)-1, "one row of %s starts with %q", seed, prefix)
	writeFile(t, dir, rel, strings.Join(kept, ""))
}
