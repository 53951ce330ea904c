package bigquery

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloud.google.com/go/bigquery"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"github.com/mart-dev/mart/warehouse"
)

// TestFileColumns pins the schema mart derives for CSV and JSON files.
func TestFileColumns(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "a.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("\xEF\xBB\xBFid,price,flag,day,at,seen,clock,name,big,mixed,,id,empty\n"+
		"1,1.50,true,2024-01-02,2024-01-02 10:00:00,2024-01-02 10:00:00+02,10:30:00,ada,12345678901234567890,2024-01-02,x,1,\n"+
		"2,2,FALSE,2024-01-03,2024-01-03T11:00:00.5,2024-01-03 10:00:00Z,11:00:00,\"b,c\",1,2024-01-02 10:00:00,y,2,\n"), 0o644))
	cols, err := fileColumns(warehouse.FormatCSV, csvPath)
	require.NoError(t, err)
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "price", Type: "FLOAT64"}, {Name: "flag", Type: "BOOL"},
		{Name: "day", Type: "DATE"}, {Name: "at", Type: "DATETIME"}, {Name: "seen", Type: "TIMESTAMP"}, {Name: "clock", Type: "TIME"},
		{Name: "name", Type: "STRING"}, {Name: "big", Type: "FLOAT64"}, {Name: "mixed", Type: "STRING"},
		{Name: "column10", Type: "STRING"}, {Name: "id_1", Type: "INT64"}, {Name: "empty", Type: "STRING"}}, cols)

	jsonPath := filepath.Join(dir, "a.jsonl")
	require.NoError(t, os.WriteFile(jsonPath, []byte(`{"id":1,"price":1.5,"flag":true,"day":"2024-01-02","obj":{"a":1},"arr":[1,2],"mixed":1,"n":null,"s":"12"}
{"id":2,"price":2,"flag":false,"day":"2024-01-03","obj":{"a":2},"arr":[],"mixed":"s","late":"2024-01-02T10:00:00Z","s":"x"}

`), 0o644))
	cols, err = fileColumns(warehouse.FormatJSON, jsonPath)
	require.NoError(t, err)
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "price", Type: "FLOAT64"}, {Name: "flag", Type: "BOOL"},
		{Name: "day", Type: "DATE"}, {Name: "obj", Type: "JSON"}, {Name: "arr", Type: "JSON"}, {Name: "mixed", Type: "JSON"},
		{Name: "n", Type: "JSON"}, {Name: "s", Type: "STRING"}, {Name: "late", Type: "TIMESTAMP"}}, cols)

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("id,name\n1,a\n"))
	require.NoError(t, zw.Close())
	gzPath := filepath.Join(dir, "a.csv.gz")
	require.NoError(t, os.WriteFile(gzPath, gz.Bytes(), 0o644))
	cols, err = fileColumns(warehouse.FormatCSV, gzPath)
	require.NoError(t, err)
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "name", Type: "STRING"}}, cols, "gzip files are read decompressed")

	require.NoError(t, os.WriteFile(jsonPath, []byte("{\"id\":1}\n[1]\n"), 0o644))
	_, err = fileColumns(warehouse.FormatJSON, jsonPath)
	require.ErrorContains(t, err, "line 2: not a JSON object")
	require.NoError(t, os.WriteFile(csvPath, []byte("a,b\n1\n"), 0o644))
	_, err = fileColumns(warehouse.FormatCSV, csvPath)
	require.ErrorContains(t, err, "has 1 fields, the header 2")
}

func TestUnifyFileTypes(t *testing.T) {
	for _, c := range [][3]string{
		{"INT64", "FLOAT64", "FLOAT64"}, {"FLOAT64", "INT64", "FLOAT64"}, {"INT64", "NUMERIC", "NUMERIC"},
		{"DATE", "DATETIME", "DATETIME"}, {"TIMESTAMP", "DATE", "TIMESTAMP"}, {"DATETIME", "TIMESTAMP", "TIMESTAMP"},
		{"STRING", "JSON", "JSON"}, {"BOOL", "INT64", "STRING"}, {"STRING", "STRING", "STRING"},
	} {
		assert.Equal(t, c[2], unifyType(c[0], c[1]), "%s and %s", c[0], c[1])
	}
}

// TestLandFiles stages CSV, JSON and Parquet files through load jobs into
// the fake, commits them, and replaces one file's rows.
func TestLandFiles(t *testing.T) {
	e := newFake(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	client, err := bigquery.NewClient(e.ctx, "proj", option.WithEndpoint(e.fake.URL()), option.WithoutAuthentication())
	require.NoError(t, err)
	defer client.Close()
	read := func(q string) []string {
		t.Helper()
		query := client.Query(q)
		query.Location = "EU"
		it, err := query.Read(e.ctx)
		require.NoError(t, err)
		var out []string
		for {
			var row []bigquery.Value
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
	table := func(name string) warehouse.LandTable {
		lt := landTable()
		lt.Table.Name, lt.Stream, lt.KeyEnforced = name, "files."+name, false
		return lt
	}
	land := func(lt warehouse.LandTable, format warehouse.FileFormat, paths, names []string, c warehouse.LandCommit) ([]warehouse.Column, warehouse.LandCounts) {
		t.Helper()
		l, err := e.w.Land(e.ctx, lt)
		require.NoError(t, err)
		defer l.Close()
		cols, n, err := l.(warehouse.FileStager).StageFiles(e.ctx, format, paths, names)
		require.NoError(t, err)
		assert.Positive(t, n)
		counts, err := l.Commit(e.ctx, c)
		require.NoError(t, err)
		return cols, counts
	}

	// CSV: two files united by name, the INT64 of one and the FLOAT64 of
	// the other a FLOAT64
	a := write("a.csv", "id,price,day\n1,10,2024-01-02\n2,20,2024-01-03\n")
	b := write("b.csv", "id,price,note\n3,2.5,\"x,y\"\n")
	e.fake.ResetJobs()
	cols, counts := land(table("csv"), warehouse.FormatCSV, []string{a, b}, []string{"data/a.csv", "data/b.csv"},
		warehouse.LandCommit{State: []byte(`{"n":1}`)})
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "price", Type: "FLOAT64"}, {Name: "day", Type: "DATE"},
		{Name: "note", Type: "STRING"}, {Name: warehouse.FileColumn, Type: "STRING"}}, cols)
	assert.Equal(t, warehouse.LandCounts{Inserted: 3}, counts)
	loads := 0
	var i int
	for _, j := range e.fake.Jobs() {
		if j.Load != nil {
			loads++
			assert.Equal(t, "CSV", j.Load.SourceFormat)
			assert.Equal(t, int64(1), j.Load.SkipLeadingRows, "the header row is skipped")
			continue
		}
		if j.Type == "QUERY" && (strings.HasPrefix(j.Query, "INSERT") || strings.Contains(j.Query, "BEGIN TRANSACTION")) {
			i++
			checkGolden(t, filepath.Join("testdata", "land", fmt.Sprintf("files_csv.%d.sql", i)), normalizeSQL(j.Query)+"\n")
		}
	}
	assert.Equal(t, 2, loads, "a load job per file")
	assert.Equal(t, []string{"1 10 2024-01-02 <nil> data/a.csv", "2 20 2024-01-03 <nil> data/a.csv", "3 2.5 <nil> x,y data/b.csv"},
		read("SELECT id, price, day, note, _mart_file FROM raw.csv ORDER BY id"))

	// a changed file replaces its rows only
	a = write("a.csv", "id,price,day\n1,11,2024-01-02\n")
	_, counts = land(table("csv"), warehouse.FormatCSV, []string{a}, []string{"data/a.csv"}, warehouse.LandCommit{State: []byte(`{"n":2}`)})
	assert.Equal(t, warehouse.LandCounts{Inserted: 1, Deleted: 2}, counts)
	assert.Equal(t, []string{"1 11 data/a.csv", "3 2.5 data/b.csv"}, read("SELECT id, price, _mart_file FROM raw.csv ORDER BY id"))
	assert.Equal(t, []string{`{"n":2}`}, read("SELECT TO_JSON_STRING(state) FROM raw._mart_extract_state WHERE stream = 'files.csv'"))

	// JSON: nested values and mixed kinds as JSON, keyed by id
	j := write("a.jsonl", `{"id": 1, "tags": ["a", "b"], "info": {"k": 1}, "v": 1, "at": "2024-01-02T10:00:00Z"}
{"id": 2, "tags": [], "info": null, "v": "x"}
`)
	j2 := write("b.jsonl", `{"id": 3, "v": 7}`+"\n")
	keyed := table("events")
	keyed.PrimaryKey = []string{"id"}
	e.fake.ResetJobs()
	cols, counts = land(keyed, warehouse.FormatJSON, []string{j, j2}, []string{"a.jsonl", "b.jsonl"}, warehouse.LandCommit{State: []byte(`{}`)})
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "tags", Type: "JSON"}, {Name: "info", Type: "JSON"},
		{Name: "v", Type: "JSON"}, {Name: "at", Type: "TIMESTAMP"}, {Name: warehouse.FileColumn, Type: "STRING"}}, cols)
	assert.Equal(t, warehouse.LandCounts{Inserted: 3}, counts)
	assert.Equal(t, []string{`1 ["a","b"] {"k":1} 1 2024-01-02 10:00:00 +0000 UTC`, `2 [] <nil> "x" <nil>`, `3 <nil> <nil> 7 <nil>`},
		read("SELECT id, TO_JSON_STRING(tags), TO_JSON_STRING(info), TO_JSON_STRING(v), `at` FROM raw.events ORDER BY id"))
	i = 0
	for _, j := range e.fake.Jobs() {
		if j.Type == "QUERY" && (strings.HasPrefix(j.Query, "INSERT") || strings.Contains(j.Query, "BEGIN TRANSACTION")) {
			i++
			checkGolden(t, filepath.Join("testdata", "land", fmt.Sprintf("files_json.%d.sql", i)), normalizeSQL(j.Query)+"\n")
		}
	}

	// Parquet: the file's own types
	p := filepath.Join(dir, "a.parquet")
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`COPY (SELECT 1 AS id, 12.50::DECIMAL(10,2) AS amount, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS ts,
		TIMESTAMP '2024-01-02 03:04:05' AS local_ts, 'z' AS name) TO '` + p + `' (FORMAT parquet)`)
	require.NoError(t, err)
	e.fake.ResetJobs()
	cols, counts = land(table("pq"), warehouse.FormatParquet, []string{p}, []string{"a.parquet"}, warehouse.LandCommit{State: []byte(`{}`)})
	for _, j := range e.fake.Jobs() {
		if j.Load != nil {
			assert.Equal(t, "PARQUET", j.Load.SourceFormat)
			assert.True(t, j.Load.ParquetEnumAsString && j.Load.ParquetListInference, "ENUM as STRING, LIST as REPEATED")
		}
	}
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "amount", Type: "NUMERIC"}, {Name: "ts", Type: "TIMESTAMP"},
		{Name: "local_ts", Type: "DATETIME"}, {Name: "name", Type: "STRING"}, {Name: warehouse.FileColumn, Type: "STRING"}}, cols)
	assert.Equal(t, warehouse.LandCounts{Inserted: 1}, counts)
	assert.Equal(t, []string{"1 12.5 2024-01-02 03:04:05 +0000 UTC z a.parquet"},
		read("SELECT id, CAST(amount AS STRING), ts, name, _mart_file FROM raw.pq"))
	for _, tb := range e.fake.Tables("proj", "raw") {
		assert.NotContains(t, tb.Name, warehouse.TempMarker, "the per-file and staging tables are dropped")
	}
}

// A file that does not parse fails the stage with its name, and nothing
// is left staged.
func TestLandFilesBadFile(t *testing.T) {
	e := newFake(t)
	p := filepath.Join(t.TempDir(), "bad.jsonl")
	require.NoError(t, os.WriteFile(p, []byte("{\"id\": 1}\nnot json\n"), 0o644))
	l, err := e.w.Land(e.ctx, landTable())
	require.NoError(t, err)
	defer l.Close()
	_, _, err = l.(warehouse.FileStager).StageFiles(e.ctx, warehouse.FormatJSON, []string{p}, []string{"data/bad.jsonl"})
	require.ErrorContains(t, err, "data/bad.jsonl: read")
	_, err = l.Commit(e.ctx, warehouse.LandCommit{State: []byte(`{}`)})
	require.ErrorContains(t, err, "nothing is staged")
}

// A gzip-compressed file is uploaded as it is: its schema is derived from
// its decompressed text and the load job reads it decompressed.
func TestLandFilesGzip(t *testing.T) {
	e := newFake(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"id": 1, "name": "a"}` + "\n"))
	require.NoError(t, zw.Close())
	p := filepath.Join(t.TempDir(), "a.jsonl.gz")
	require.NoError(t, os.WriteFile(p, gz.Bytes(), 0o644))
	l, err := e.w.Land(e.ctx, landTable())
	require.NoError(t, err)
	defer l.Close()
	e.fake.ResetJobs()
	cols, n, err := l.(warehouse.FileStager).StageFiles(e.ctx, warehouse.FormatJSON, []string{p}, []string{"a.jsonl.gz"})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "INT64"}, {Name: "name", Type: "STRING"},
		{Name: warehouse.FileColumn, Type: "STRING"}}, cols)
	for _, j := range e.fake.Jobs() {
		if j.Load != nil {
			assert.Equal(t, gz.Bytes(), j.Load.Data, "uploaded compressed")
		}
	}
	counts, err := l.Commit(e.ctx, warehouse.LandCommit{State: []byte(`{}`)})
	require.NoError(t, err)
	assert.Equal(t, warehouse.LandCounts{Inserted: 1}, counts)
}
