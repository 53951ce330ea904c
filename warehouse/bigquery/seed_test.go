package bigquery

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

func writeCSV(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "seed.csv")
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func TestLoadSeedUsesALoadJob(t *testing.T) {
	e := newFake(t)
	csv := "id;name\n1;\"semi;colon\"\n2;\"multi\nline\"\n"
	ctx := warehouse.WithJobLabels(e.ctx, map[string]string{warehouse.LabelModel: "stores"})
	n, err := e.w.LoadSeed(ctx, rel("stores"), writeCSV(t, csv), warehouse.SeedOptions{Delimiter: ';'})
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	jobs := e.fake.Jobs()
	require.Len(t, jobs, 2, "a load job, then one CREATE TABLE AS SELECT")
	load := jobs[0]
	assert.Equal(t, "LOAD", load.Type)
	assert.Regexp(t, `^proj\.mart\.stores__mart_tmp_[0-9a-f]{16}$`, load.Destination)
	assert.Equal(t, "multipart", load.Load.Upload)
	assert.Equal(t, csv, string(load.Load.Data), "the file is uploaded as it is")
	assert.Equal(t, int64(1), load.Load.SkipLeadingRows)
	assert.Equal(t, ";", load.Load.FieldDelimiter)
	assert.True(t, load.Load.AllowQuotedNewlines)
	assert.Equal(t, []bqfake.Field{{Name: "c1", Type: "STRING"}, {Name: "c2", Type: "STRING"}}, load.Load.Schema)
	assert.Equal(t, "WRITE_TRUNCATE", load.WriteDisposition)
	assert.Equal(t, map[string]string{"mart_model": "stores"}, load.Labels)
	assert.Equal(t, "QUERY", jobs[1].Type)
	assert.Contains(t, jobs[1].Query, "CAST(NULLIF(c1, '') AS INT64) AS `id`")
	assert.Contains(t, jobs[1].Query, "NULLIF(c2, '') AS `name`")

	tables := e.fake.Tables("proj", "mart")
	require.Len(t, tables, 1, "the staging table is gone")
	assert.Equal(t, "stores", tables[0].Name)
}

func TestLoadSeedResumableAndRetried(t *testing.T) {
	e := newFake(t)
	e.w.uploadChunk = 256 << 10
	var b strings.Builder
	b.WriteString("id,payload\n")
	for i := 0; b.Len() < 600<<10; i++ {
		fmt.Fprintf(&b, "%d,%s\n", i, strings.Repeat("x", 100))
	}
	// Starting the upload session fails once: it is started again.
	e.fake.FailRequest(bqfake.RequestFailure{Method: "POST", Path: `^/upload/`, Times: 1})
	n, err := e.w.LoadSeed(e.ctx, rel("big"), writeCSV(t, b.String()), warehouse.SeedOptions{})
	require.NoError(t, err)
	assert.Greater(t, n, int64(5000))
	jobs := e.fake.Jobs()
	require.Len(t, jobs, 2)
	assert.Equal(t, "resumable", jobs[0].Load.Upload)
	assert.Equal(t, b.String(), string(jobs[0].Load.Data))

	// A small upload reaches BigQuery but the answer is lost: mart sends it
	// again with the same job id and follows the job it had created.
	e.fake.ResetJobs()
	e.fake.FailRequest(bqfake.RequestFailure{Method: "POST", Path: `^/upload/`, Times: 1, AfterHandling: true})
	_, err = e.w.LoadSeed(e.ctx, rel("small"), writeCSV(t, "id\n1\n"), warehouse.SeedOptions{})
	require.NoError(t, err)
	jobs = e.fake.Jobs()
	require.Len(t, jobs, 2)
	assert.Equal(t, 2, jobs[0].Inserts, "one load job, inserted twice")
}

func TestLoadSeedErrorsChangeNothing(t *testing.T) {
	e := newFake(t)
	e.table("stores", []bqfake.Field{{Name: "id", Type: "INT64"}})
	_, err := e.w.LoadSeed(e.ctx, rel("stores"), writeCSV(t, "id\n1\n"), warehouse.SeedOptions{ColumnTypes: map[string]string{"id": "money"}})
	var se *warehouse.SeedError
	require.True(t, errors.As(err, &se), "%v", err)
	assert.Contains(t, err.Error(), `column_types gives "money" for column "id", which is not a BigQuery type`)
	_, err = e.w.LoadSeed(e.ctx, rel("stores"), writeCSV(t, "id,id\n1,2\n"), warehouse.SeedOptions{})
	require.True(t, errors.As(err, &se))
	assert.Empty(t, e.fake.Jobs())

	e.fake.FailJob(`^LOAD `, bqfake.Failure{Reason: "invalid", Message: "Error while reading data"})
	_, err = e.w.LoadSeed(e.ctx, rel("stores"), writeCSV(t, "id\n1\n"), warehouse.SeedOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "load seed proj.mart.stores: Error while reading data [invalid]")
	tables := e.fake.Tables("proj", "mart")
	require.Len(t, tables, 1, "no staging table left")
	assert.Equal(t, int64(10), tables[0].NumRows, "the previous seed table is untouched")
}

func TestBigQueryTypeNames(t *testing.T) {
	for in, want := range map[string]string{"varchar": "STRING", "VARCHAR(20)": "STRING", "string(20)": "STRING(20)",
		"decimal(10,2)": "NUMERIC(10,2)", "Numeric": "NUMERIC", "double": "FLOAT64", "integer": "INT64",
		"boolean": "BOOL", "timestamp": "TIMESTAMP", "datetime": "DATETIME", "bignumeric(40, 5)": "BIGNUMERIC(40,5)"} {
		got, ok := bigqueryType(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"money", "int64(3)", "varchar(x)", ""} {
		_, ok := bigqueryType(bad)
		assert.False(t, ok, bad)
	}
}
