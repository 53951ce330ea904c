package bqfake_test

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"
	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/api/iterator"
)

// load runs a load job of src into ds.<table> and returns its error.
func (e *env) load(table string, src *bigquery.ReaderSource) error {
	job, err := e.c.Dataset("ds").Table(table).LoaderFrom(src).Run(e.ctx)
	if err != nil {
		return err
	}
	status, err := job.Wait(e.ctx)
	if err != nil {
		return err
	}
	return status.Err()
}

func (e *env) readTable(table string) [][]bigquery.Value {
	e.t.Helper()
	it := e.c.Dataset("ds").Table(table).Read(e.ctx)
	var got [][]bigquery.Value
	for {
		var row []bigquery.Value
		err := it.Next(&row)
		if errors.Is(err, iterator.Done) {
			return got
		}
		require.NoError(e.t, err)
		got = append(got, row)
	}
}

// A JSON column of a newline-delimited JSON load takes each raw JSON
// value, a string included; a key the schema does not have fails the load
// unless unknown values are ignored; autodetection is refused, not
// guessed.
func TestLoadNDJSONValues(t *testing.T) {
	e := newEnv(t)
	schema := bigquery.Schema{{Name: "id", Type: bigquery.IntegerFieldType}, {Name: "doc", Type: bigquery.JSONFieldType},
		{Name: "seen", Type: bigquery.TimestampFieldType}}
	src := bigquery.NewReaderSource(strings.NewReader(`{"id": 1, "doc": {"a": [1, 2]}, "seen": "2024-01-02 10:00:00+02:00"}
{"id": 2, "doc": "text", "seen": null}
{"id": 3}
`))
	src.SourceFormat, src.Schema = bigquery.JSON, schema
	require.NoError(t, e.load("j", src))
	_, rows := e.rows("SELECT id, TO_JSON_STRING(doc), seen FROM ds.j ORDER BY id")
	assert.Equal(t, [][]bigquery.Value{
		{int64(1), `{"a":[1,2]}`, time.Date(2024, 1, 2, 8, 0, 0, 0, time.UTC)},
		{int64(2), `"text"`, nil},
		{int64(3), nil, nil},
	}, rows)

	src = bigquery.NewReaderSource(strings.NewReader(`{"id": 1, "extra": true}` + "\n"))
	src.SourceFormat, src.Schema = bigquery.JSON, schema
	err := e.load("j2", src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "No such field: extra")
	src = bigquery.NewReaderSource(strings.NewReader(`{"id": 1, "extra": true}` + "\n"))
	src.SourceFormat, src.Schema, src.IgnoreUnknownValues = bigquery.JSON, schema, true
	require.NoError(t, e.load("j2", src))

	src = bigquery.NewReaderSource(strings.NewReader("id\n1\n"))
	src.AutoDetect = true
	err = e.load("auto", src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "autodetection is not supported")
}

// A gzip-compressed CSV or JSON load is read decompressed.
func TestLoadGzip(t *testing.T) {
	e := newEnv(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte("id,name\n1,a\n2,b\n"))
	require.NoError(t, zw.Close())
	src := bigquery.NewReaderSource(bytes.NewReader(buf.Bytes()))
	src.SkipLeadingRows = 1
	src.Schema = bigquery.Schema{{Name: "id", Type: bigquery.IntegerFieldType}, {Name: "name", Type: bigquery.StringFieldType}}
	require.NoError(t, e.load("z", src))
	_, rows := e.rows("SELECT id, name FROM ds.z ORDER BY id")
	assert.Equal(t, [][]bigquery.Value{{int64(1), "a"}, {int64(2), "b"}}, rows)
}

// A Parquet load takes the file's own schema, converted as BigQuery
// converts Parquet's types.
func TestLoadParquet(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(t.TempDir(), "x.parquet")
	db, err := sql.Open("duckdb", "")
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`COPY (SELECT * FROM (VALUES
		(1::INTEGER, 10::BIGINT, 1.5::DOUBLE, 'a', 12.34::DECIMAL(10,2), DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05',
		 TIMESTAMPTZ '2024-01-02 03:04:05+00', true, '\x01\x02'::BLOB, TIME '10:30:00'),
		(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
	) AS t(i, b, f, s, d, day, dt, ts, ok, raw, tm)) TO '` + path + `' (FORMAT parquet)`)
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)

	src := bigquery.NewReaderSource(strings.NewReader(string(data)))
	src.SourceFormat = bigquery.Parquet
	require.NoError(t, e.load("p", src))
	md, err := e.c.Dataset("ds").Table("p").Metadata(e.ctx)
	require.NoError(t, err)
	var types []string
	for _, f := range md.Schema {
		types = append(types, f.Name+" "+string(f.Type))
	}
	assert.Equal(t, []string{"i INTEGER", "b INTEGER", "f FLOAT", "s STRING", "d NUMERIC", "day DATE", "dt DATETIME",
		"ts TIMESTAMP", "ok BOOLEAN", "raw BYTES", "tm TIME"}, types)
	assert.Equal(t, uint64(2), md.NumRows)
	rows := e.readTable("p")
	require.Len(t, rows, 2)
	first := rows[0]
	if first[0] != int64(1) {
		first = rows[1]
	}
	assert.Equal(t, []bigquery.Value{int64(1), int64(10), 1.5, "a", first[4], civil.Date{Year: 2024, Month: 1, Day: 2},
		civil.DateTime{Date: civil.Date{Year: 2024, Month: 1, Day: 2}, Time: civil.Time{Hour: 3, Minute: 4, Second: 5}},
		time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), true, []byte{1, 2}, civil.Time{Hour: 10, Minute: 30}}, first)
	assert.Equal(t, "12.34", first[4].(interface{ FloatString(int) string }).FloatString(2))

	src = bigquery.NewReaderSource(strings.NewReader("not parquet"))
	src.SourceFormat = bigquery.Parquet
	require.Error(t, e.load("bad", src))
}
