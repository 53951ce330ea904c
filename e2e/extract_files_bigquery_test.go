package e2e

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bq "cloud.google.com/go/bigquery"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

const filesSourcesYAML = `version: 2
sources:
  - name: fleet
    schema: raw_fleet
    extract: {from: files, path: "data/zones/*.csv", deletes: reconcile}
    tables:
      - name: zones
      - name: events
        extract: {path: "data/events.jsonl", primary_key: [id]}
      - name: cars
        extract: {path: "data/cars.parquet"}
`

// TestExtractFilesBigQuery extracts a files source (CSV, JSON lines,
// Parquet) with the real binary into BigQuery (the in-process fake):
// load jobs land the files with their types; a re-run loads nothing and
// changes nothing; a changed file's rows are replaced, and only its; a
// file that is gone has its rows deleted (deletes: reconcile).
func TestExtractFilesBigQuery(t *testing.T) {
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddProject("fleet-prod")
	dir := t.TempDir()
	writeFile(t, dir, "mart.yml", "name: files_e2e\nprofile: files_e2e\n")
	writeFile(t, dir, "profiles.yml", `files_e2e:
  target: prod
  outputs:
    prod:
      type: bigquery
      project: fleet-prod
      dataset: analytics
      location: EU
      api_endpoint: `+fake.URL()+`
`)
	writeFile(t, dir, "models/sources.yml", filesSourcesYAML)
	writeFile(t, dir, "data/zones/a.csv", "zone_id,name,area_km2,opened\n1,north,12.5,2024-01-02\n2,south,8,2024-02-03\n")
	writeFile(t, dir, "data/zones/b.csv", "zone_id,name,area_km2,opened\n3,east,3.25,2024-03-04\n")
	writeFile(t, dir, "data/events.jsonl", `{"id": 1, "kind": "open", "at": "2024-01-02T10:00:00Z", "props": {"app": "ios"}}
{"id": 2, "kind": "close", "at": "2024-01-02T11:30:00Z", "props": null}
`)
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	_, err = db.Exec(`COPY (SELECT * FROM (VALUES (1, 'Zoe', 5, 21990.50::DECIMAL(10,2), TIMESTAMP '2024-01-02 03:04:05'),
		(2, 'Up', 4, 9990.00::DECIMAL(10,2), TIMESTAMP '2024-05-06 07:08:09')) AS t(car_id, model, seats, price, bought))
		TO '` + filepath.Join(dir, "data", "cars.parquet") + `' (FORMAT parquet)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client, err := bq.NewClient(ctx, "fleet-prod", option.WithEndpoint(fake.URL()), option.WithoutAuthentication())
	require.NoError(t, err)
	defer client.Close()
	rows := func(q string) []string {
		t.Helper()
		query := client.Query(q)
		query.Location = "EU"
		it, err := query.Read(ctx)
		require.NoError(t, err, q)
		var out []string
		for {
			var row []bq.Value
			err := it.Next(&row)
			if errors.Is(err, iterator.Done) {
				return out
			}
			require.NoError(t, err)
			parts := make([]string, len(row))
			for i, v := range row {
				parts[i] = fmt.Sprint(v)
			}
			out = append(out, strings.Join(parts, " "))
		}
	}
	types := func(table string) []string {
		t.Helper()
		tb, ok := fake.Table("fleet-prod", "raw_fleet", table)
		require.True(t, ok, table)
		var out []string
		for _, f := range tb.Schema {
			out = append(out, f.Name+" "+f.Type)
		}
		return out
	}
	loads := func() []string {
		var out []string
		for _, j := range fake.Jobs() {
			if j.Type == "LOAD" {
				out = append(out, j.Load.SourceFormat)
			}
		}
		return out
	}
	zones := "SELECT zone_id, name, area_km2, opened, _mart_file FROM `fleet-prod.raw_fleet.zones` ORDER BY zone_id"

	r := mart(t, dir, "extract")
	require.Equal(t, 0, r.Code, r.String())
	assert.Contains(t, r.Stdout, "OK extracted fleet.zones: 3 inserted")
	assert.Contains(t, r.Stdout, "OK extracted fleet.events: 2 inserted")
	assert.Contains(t, r.Stdout, "OK extracted fleet.cars: 2 inserted")
	assert.ElementsMatch(t, []string{"CSV", "CSV", "NEWLINE_DELIMITED_JSON", "PARQUET"}, loads(), "a load job per file")
	for _, q := range fake.Queries() {
		assert.NotContains(t, q, "INSERT INTO `fleet-prod.raw_fleet.zones` (`zone_id`, `name`, `area_km2`, `opened`, `_mart_file`, `_mart_extracted_at`) VALUES",
			"rows land through load jobs, never row by row")
	}

	assert.Equal(t, []string{"zone_id INT64", "name STRING", "area_km2 FLOAT64", "opened DATE", "_mart_file STRING",
		"_mart_extracted_at TIMESTAMP"}, types("zones"))
	assert.Equal(t, []string{"id INT64", "kind STRING", "at TIMESTAMP", "props JSON", "_mart_file STRING",
		"_mart_extracted_at TIMESTAMP"}, types("events"))
	assert.Equal(t, []string{"car_id INT64", "model STRING", "seats INT64", "price NUMERIC", "bought DATETIME",
		"_mart_file STRING", "_mart_extracted_at TIMESTAMP"}, types("cars"))
	assert.Equal(t, []string{"1 north 12.5 2024-01-02 data/zones/a.csv", "2 south 8 2024-02-03 data/zones/a.csv",
		"3 east 3.25 2024-03-04 data/zones/b.csv"}, rows(zones))
	assert.Equal(t, []string{`1 open 2024-01-02 10:00:00 +0000 UTC {"app":"ios"} data/events.jsonl`,
		`2 close 2024-01-02 11:30:00 +0000 UTC <nil> data/events.jsonl`},
		rows("SELECT id, kind, `at`, TO_JSON_STRING(props), _mart_file FROM `fleet-prod.raw_fleet.events` ORDER BY id"))
	assert.Equal(t, []string{"1 Zoe 5 21990.5 2024-01-02T03:04:05 data/cars.parquet", "2 Up 4 9990 2024-05-06T07:08:09 data/cars.parquet"},
		rows("SELECT car_id, model, seats, CAST(price AS STRING), bought, _mart_file FROM `fleet-prod.raw_fleet.cars` ORDER BY car_id"))

	// nothing new: no file loaded again, nothing changed (not even the state)
	stateQ := "SELECT stream, TO_JSON_STRING(state), updated_at FROM `fleet-prod.raw_fleet._mart_extract_state` ORDER BY stream"
	state := rows(stateQ)
	require.Len(t, state, 3)
	stamps := "SELECT zone_id, _mart_extracted_at FROM `fleet-prod.raw_fleet.zones` ORDER BY zone_id"
	before := rows(stamps)
	fake.ResetJobs()
	r = mart(t, dir, "extract")
	require.Equal(t, 0, r.Code, r.String())
	assert.Empty(t, loads(), "no file is loaded again")
	for _, q := range fake.Queries() {
		assert.NotContains(t, strings.ToUpper(q), "MERGE ", "nothing merged")
	}
	assert.Equal(t, state, rows(stateQ))
	assert.Equal(t, before, rows(stamps))

	// b.csv changed, and mart is killed between its load and the merge:
	// the table and the state are as they were, the staging tables expire
	writeFile(t, dir, "data/zones/b.csv", "zone_id,name,area_km2,opened\n3,east,3.5,2024-03-04\n4,west,1,2024-04-05\n")
	r = martEnv(t, dir, []string{"MART_EXTRACT_FAILPOINT=staged"}, "extract", "--select", "source:fleet.zones")
	require.NotEqual(t, 0, r.Code, r.String())
	assert.Equal(t, []string{"1 north 12.5 2024-01-02 data/zones/a.csv", "2 south 8 2024-02-03 data/zones/a.csv",
		"3 east 3.25 2024-03-04 data/zones/b.csv"}, rows(zones))
	assert.Equal(t, state, rows(stateQ))
	leftover := map[string]bool{}
	for _, tb := range fake.Tables("fleet-prod", "raw_fleet") {
		if strings.Contains(tb.Name, "__mart_tmp") {
			assert.True(t, tb.Expires, "a staging table left by a crash expires: %s", tb.Name)
			leftover[tb.Name] = true
		}
	}
	assert.NotEmpty(t, leftover)

	// the re-run: only b.csv's rows are replaced
	fake.ResetJobs()
	r = mart(t, dir, "extract")
	require.Equal(t, 0, r.Code, r.String())
	assert.Equal(t, []string{"CSV"}, loads(), "only the changed file is loaded")
	assert.Contains(t, r.Stdout, "OK extracted fleet.zones: 2 inserted, 1 deleted")
	assert.Equal(t, []string{"1 north 12.5 2024-01-02 data/zones/a.csv", "2 south 8 2024-02-03 data/zones/a.csv",
		"3 east 3.5 2024-03-04 data/zones/b.csv", "4 west 1 2024-04-05 data/zones/b.csv"}, rows(zones))
	after := rows(stamps)
	assert.Equal(t, before[:2], after[:2], "a.csv's rows are untouched")

	// a.csv is gone: its rows are deleted (deletes: reconcile)
	require.NoError(t, os.Remove(filepath.Join(dir, "data/zones/a.csv")))
	fake.ResetJobs()
	r = mart(t, dir, "extract", "--select", "source:fleet.zones")
	require.Equal(t, 0, r.Code, r.String())
	assert.Empty(t, loads())
	assert.Contains(t, r.Stdout, "OK extracted fleet.zones: 2 deleted")
	assert.Equal(t, []string{"3 east 3.5 2024-03-04 data/zones/b.csv", "4 west 1 2024-04-05 data/zones/b.csv"}, rows(zones))
	assert.NotContains(t, strings.Join(rows(stateQ), "\n"), "a.csv")
	for _, tb := range fake.Tables("fleet-prod", "raw_fleet") {
		if strings.Contains(tb.Name, "__mart_tmp") {
			assert.True(t, leftover[tb.Name], "a run that ends drops its staging tables: %s", tb.Name)
		}
	}
}
