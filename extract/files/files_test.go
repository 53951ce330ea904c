package files_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract/extracttest"
	_ "github.com/mart-dev/mart/extract/files"
)

const fleetYAML = `version: 2
sources:
  - name: fleet_files
    schema: raw_fleet
    extract: {from: files, path: "data/fleet/*.csv", deletes: reconcile}
    tables:
      - name: cars
        extract: {primary_key: [car_id]}
      - name: zones
        extract: {path: "data/zones/*.jsonl"}
      - name: trips
        extract: {path: "data/trips.parquet"}
`

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
}

func fleet(t *testing.T) string {
	t.Helper()
	dir := extracttest.Project(t, fleetYAML)
	write(t, dir, "data/fleet/a.csv", "car_id,model,seats\n1,Zoe,5\n2,Up,4\n")
	write(t, dir, "data/fleet/b.csv", "car_id,model,seats\n3,Twizy,2\n")
	write(t, dir, "data/zones/z.jsonl", `{"zone": "north", "polygon": [[1, 2], [3, 4]]}`+"\n"+`{"zone": "south", "polygon": null}`+"\n")
	w, err := extracttest.Open(context.Background(), dir)
	require.NoError(t, err)
	_, err = w.Exec(context.Background(), `COPY (SELECT range AS trip, range * 1.5 AS km FROM range(3)) TO '`+filepath.Join(dir, "data", "trips.parquet")+`' (FORMAT parquet)`)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return dir
}

func TestFiles(t *testing.T) {
	dir := fleet(t)
	res := extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	var got []string
	for _, r := range res.Tables {
		got = append(got, extracttest.ResultLine(r))
	}
	assert.Equal(t, []string{
		"fleet_files.cars success rows=3 inserted=3 updated=0 deleted=0",
		"fleet_files.trips success rows=3 inserted=3 updated=0 deleted=0",
		"fleet_files.zones success rows=2 inserted=2 updated=0 deleted=0",
	}, got)
	assert.Equal(t, [][]any{{int64(1), "Zoe", int64(5), "data/fleet/a.csv"}, {int64(2), "Up", int64(4), "data/fleet/a.csv"}, {int64(3), "Twizy", int64(2), "data/fleet/b.csv"}},
		extracttest.Query(t, dir, `SELECT car_id, model, seats, _mart_file FROM raw_fleet.cars ORDER BY car_id`))
	assert.Equal(t, [][]any{{"north", "[[1, 2], [3, 4]]"}, {"south", nil}},
		extracttest.Query(t, dir, `SELECT zone, polygon::varchar FROM raw_fleet.zones ORDER BY zone`))
	assert.Equal(t, [][]any{{int64(3), 4.5}}, extracttest.Query(t, dir, `SELECT count(*), sum(km)::double FROM raw_fleet.trips`))

	// nothing new: nothing read, nothing changed
	state := extracttest.Query(t, dir, `SELECT stream, state::varchar, updated_at FROM raw_fleet._mart_extract_state ORDER BY 1`)
	res = extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	for _, r := range res.Tables {
		assert.Equal(t, int64(0), r.Rows+r.Inserted+r.Updated+r.Deleted, r.Table)
	}
	assert.Equal(t, state, extracttest.Query(t, dir, `SELECT stream, state::varchar, updated_at FROM raw_fleet._mart_extract_state ORDER BY 1`))

	// a.csv changed (a car moved to c.csv), b.csv is gone, c.csv is new
	write(t, dir, "data/fleet/a.csv", "car_id,model,seats\n1,Zoe,4\n")
	require.NoError(t, os.Remove(filepath.Join(dir, "data/fleet/b.csv")))
	write(t, dir, "data/fleet/c.csv", "car_id,model,seats\n2,Up!,4\n9,Ami,2\n")
	res = extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, "fleet_files.cars success rows=3 inserted=3 updated=0 deleted=3", extracttest.ResultLine(res.Tables[0]))
	assert.Equal(t, [][]any{{int64(1), "Zoe", int64(4), "data/fleet/a.csv"}, {int64(2), "Up!", int64(4), "data/fleet/c.csv"}, {int64(9), "Ami", int64(2), "data/fleet/c.csv"}},
		extracttest.Query(t, dir, `SELECT car_id, model, seats, _mart_file FROM raw_fleet.cars ORDER BY car_id`))

	// a column that turns to text widens; one that turns to booleans fails
	// naming it, and changes nothing
	write(t, dir, "data/fleet/d.csv", "car_id,model,seats\nten,Bus,40\n")
	extracttest.MustExtract(t, dir, extracttest.RunOptions{})
	assert.Equal(t, [][]any{{"VARCHAR"}}, extracttest.Query(t, dir,
		`SELECT data_type FROM information_schema.columns WHERE table_name = 'cars' AND column_name = 'car_id'`))
	state = extracttest.Query(t, dir, `SELECT stream, state::varchar, updated_at FROM raw_fleet._mart_extract_state ORDER BY 1`)
	write(t, dir, "data/fleet/e.csv", "car_id,model,seats\n11,Van,true\n")
	res, err := extracttest.Extract(context.Background(), dir, extracttest.RunOptions{})
	require.NoError(t, err)
	require.Error(t, res.Tables[0].Err)
	assert.Contains(t, res.Tables[0].Err.Error(), `extract source fleet_files, table cars: land raw_fleet.cars: column "seats" changed type in the source from BIGINT to BOOLEAN`)
	assert.Equal(t, state, extracttest.Query(t, dir, `SELECT stream, state::varchar, updated_at FROM raw_fleet._mart_extract_state ORDER BY 1`))
}
