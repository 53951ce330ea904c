package bqfake_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

// env is a fake with project proj and dataset ds (US), and a client of it.
type env struct {
	t    *testing.T
	fake *bqfake.Server
	c    *bigquery.Client
	ctx  context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddDataset("proj", "ds", "US")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	c, err := bigquery.NewClient(ctx, "proj", option.WithEndpoint(fake.URL()), option.WithoutAuthentication())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	c.Location = "US"
	return &env{t: t, fake: fake, c: c, ctx: ctx}
}

// run runs sql as a job and returns it finished, or its error.
func (e *env) run(sql string) (*bigquery.Job, error) {
	job, err := e.c.Query(sql).Run(e.ctx)
	if err != nil {
		return nil, err
	}
	status, err := job.Wait(e.ctx)
	if err != nil {
		return nil, err
	}
	return job, status.Err()
}

func (e *env) exec(sql string) {
	e.t.Helper()
	_, err := e.run(sql)
	require.NoError(e.t, err, sql)
}

// rows runs sql and reads its result.
func (e *env) rows(sql string) (bigquery.Schema, [][]bigquery.Value) {
	e.t.Helper()
	job, err := e.run(sql)
	require.NoError(e.t, err, sql)
	it, err := job.Read(e.ctx)
	require.NoError(e.t, err)
	var out [][]bigquery.Value
	for {
		var row []bigquery.Value
		err := it.Next(&row)
		if errors.Is(err, iterator.Done) {
			break
		}
		require.NoError(e.t, err)
		out = append(out, row)
	}
	return it.Schema, out
}

func (e *env) fails(sql, want string) {
	e.t.Helper()
	_, err := e.run(sql)
	require.Error(e.t, err, sql)
	assert.Contains(e.t, err.Error(), want, sql)
}

// Values come back with BigQuery's types and JSON encoding, which the
// client decodes.
func TestQueryValues(t *testing.T) {
	e := newEnv(t)
	schema, rows := e.rows(`SELECT 1 AS i, 1.5 AS f, 'x' AS s, TRUE AS b, NUMERIC '1.50' AS n, DATE '2024-01-31' AS d,
		TIMESTAMP '2024-01-31 10:00:00.5+00' AS ts, DATETIME '2024-01-31 10:00:00' AS dt, [1, 2] AS arr,
		STRUCT(1 AS a, 'b' AS b) AS st, CAST(NULL AS STRING) AS z, b'ab' AS bytes, JSON '{"a": 1}' AS j,
		TIME '10:11:12' AS tm, SUM(3) AS total, JSON '"1"' AS js`)
	var types []string
	for _, f := range schema {
		ty := string(f.Type)
		if f.Repeated {
			ty = "ARRAY<" + ty + ">"
		}
		types = append(types, f.Name+" "+ty)
	}
	assert.Equal(t, []string{"i INTEGER", "f FLOAT", "s STRING", "b BOOLEAN", "n NUMERIC", "d DATE", "ts TIMESTAMP",
		"dt DATETIME", "arr ARRAY<INTEGER>", "st RECORD", "z STRING", "bytes BYTES", "j JSON", "tm TIME", "total INTEGER", "js JSON"}, types)
	require.Len(t, rows, 1)
	r := rows[0]
	assert.Equal(t, int64(1), r[0])
	assert.Equal(t, 1.5, r[1])
	assert.Equal(t, "x", r[2])
	assert.Equal(t, true, r[3])
	assert.Equal(t, big.NewRat(3, 2), r[4])
	assert.Equal(t, civil.Date{Year: 2024, Month: 1, Day: 31}, r[5])
	assert.Equal(t, time.Date(2024, 1, 31, 10, 0, 0, 5e8, time.UTC), r[6])
	assert.Equal(t, civil.DateTime{Date: civil.Date{Year: 2024, Month: 1, Day: 31}, Time: civil.Time{Hour: 10}}, r[7])
	assert.Equal(t, []bigquery.Value{int64(1), int64(2)}, r[8])
	assert.Equal(t, []bigquery.Value{int64(1), "b"}, r[9])
	assert.Nil(t, r[10])
	assert.Equal(t, []byte("ab"), r[11])
	assert.JSONEq(t, `{"a": 1}`, r[12].(string))
	assert.Equal(t, civil.Time{Hour: 10, Minute: 11, Second: 12}, r[13])
	assert.Equal(t, int64(3), r[14])
	assert.Equal(t, `"1"`, r[15], "a JSON string keeps its quotes")
}

// Columns are named as BigQuery names them.
func TestResultNames(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE ds.t AS SELECT 1 AS id, 'a' AS v")
	schema, _ := e.rows("SELECT 1, t.id, v AS w, COUNT(*) n, id + 1 FROM ds.t AS t GROUP BY id, v")
	var names []string
	for _, f := range schema {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"f0_", "id", "w", "n", "f1_"}, names)
}

// Scripts: variables, IF branches evaluated, exception handlers,
// transactions rolled back, RAISE with an expression.
func TestScripts(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE ds.t (id INT64, v STRING); INSERT ds.t VALUES (1, 'a'), (2, 'b')")
	_, rows := e.rows(`DECLARE n INT64 DEFAULT 0;
		DECLARE pair STRUCT<a INT64, b STRING>;
		SET n = (SELECT COUNT(*) FROM ds.t);
		SET (n, pair) = (SELECT AS STRUCT n + 1, STRUCT(7 AS a, 'z' AS b));
		IF n > 5 THEN SELECT 'big' AS size, n, pair;
		ELSEIF n = 3 THEN SELECT 'three' AS size, n, pair;
		ELSE SELECT 'small' AS size, n, pair;
		END IF`)
	assert.Equal(t, [][]bigquery.Value{{"three", int64(3), []bigquery.Value{int64(7), "z"}}}, rows)

	e.fails(`BEGIN
		  BEGIN TRANSACTION;
		  DELETE FROM ds.t WHERE TRUE;
		  SELECT ERROR('boom');
		  COMMIT TRANSACTION;
		EXCEPTION WHEN ERROR THEN
		  ROLLBACK TRANSACTION;
		  RAISE USING MESSAGE = CONCAT('failed: ', @@error.message);
		END`, "failed: boom")
	_, rows = e.rows("SELECT COUNT(*) FROM ds.t")
	assert.Equal(t, int64(2), rows[0][0], "the transaction was rolled back")

	e.fails("BEGIN TRANSACTION; DELETE FROM ds.t WHERE id = 1; SELECT ERROR('no handler')", "no handler")
	_, rows = e.rows("SELECT COUNT(*) FROM ds.t")
	assert.Equal(t, int64(2), rows[0][0], "an unhandled error rolls the transaction back")

	_, rows = e.rows("DELETE FROM ds.t WHERE id = 2; SELECT @@row_count AS n")
	assert.Equal(t, [][]bigquery.Value{{int64(1)}}, rows)

	e.fails("SELECT 1; DECLARE x INT64", "Variable declarations are allowed only at the start of a block or script")
	e.fails("SET nope = 1", "Unrecognized variable name: nope")
}

// What BigQuery refuses, the fake refuses.
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE ds.t AS SELECT 1 AS id, 'a' AS v")
	e.fails("SELECT no_such_column FROM ds.t", "no_such_column")
	e.fails("SELECT * FROM ds.missing", "Not found: Table proj:ds.missing")
	e.fails("SELECT CAST('x' AS INT64)", "Could not convert string 'x'")
	e.fails("SELECT FOO(1)", "bqfake: function FOO is not supported")
	e.fails("MERGE ds.t AS d USING (SELECT 1 AS id, 'x' AS v UNION ALL SELECT 1, 'y') AS s ON d.id = s.id "+
		"WHEN MATCHED THEN UPDATE SET v = s.v", "UPDATE/MERGE must match at most one source row for each target row")
	e.fails("UPDATE ds.t AS d SET v = s.v FROM (SELECT 1 AS id, 'x' AS v UNION ALL SELECT 1, 'y') AS s WHERE d.id = s.id",
		"UPDATE/MERGE must match at most one source row for each target row")
	e.fails("ALTER TABLE ds.t ALTER COLUMN v SET DATA TYPE INT64", "is assignable to the new type")
	e.fails("INSERT ds.t (id, v) SELECT v, v FROM ds.t", "Query column 1 has type STRING which cannot be inserted into column id, which has type INT64")
	e.fails("INSERT ds.t SELECT id, id FROM ds.t", "Query column 2 has type INT64 which cannot be inserted into column v, which has type STRING")
	e.fails("INSERT ds.t SELECT id FROM ds.t", "Inserted row has wrong column count; Has 1, 2 are expected")
	e.exec("INSERT ds.t (id, v) SELECT NULL, NULL UNION ALL SELECT id + 1, 'b' FROM ds.t")
	e.fails("CREATE TABLE ds.t AS SELECT 1 AS id", "Already Exists: Table proj:ds.t")
	e.fails("EXECUTE IMMEDIATE 'SELECT 1'", "bqfake: EXECUTE statements are not supported")
	e.fails("CREATE TABLE ds.x AS SELECT id, 1 + 1 FROM ds.t", "CREATE TABLE columns must be named, but column 2 has no name")
	e.fails("CREATE VIEW ds.x AS SELECT id, v AS id FROM ds.t", "Duplicate column names in the result are not supported. Found duplicate(s): id")
	e.fails("DELETE FROM ds.t", "DELETE must have a WHERE clause")
	e.fails("SELECT 1 AS a, 2 AS A", "Duplicate column names in the result are not supported. Found duplicate(s): A")
}

// DML changes real rows and reports them.
func TestDML(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE ds.t (id INT64, v STRING)")
	job, err := e.run("INSERT INTO ds.t (id, v) SELECT x, CAST(x AS STRING) FROM UNNEST(GENERATE_ARRAY(1, 3)) AS x")
	require.NoError(t, err)
	assert.Equal(t, int64(3), job.LastStatus().Statistics.Details.(*bigquery.QueryStatistics).NumDMLAffectedRows)
	job, err = e.run("MERGE ds.t AS d USING (SELECT 3 AS id, 'three' AS v UNION ALL SELECT 4, 'four') AS s ON d.id = s.id " +
		"WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)")
	require.NoError(t, err)
	q := job.LastStatus().Statistics.Details.(*bigquery.QueryStatistics)
	assert.Equal(t, int64(2), q.NumDMLAffectedRows)
	assert.Equal(t, &bigquery.DMLStatistics{InsertedRowCount: 1, UpdatedRowCount: 1}, q.DMLStats)
	_, rows := e.rows("SELECT STRING_AGG(v, ',' ORDER BY id) FROM ds.t")
	assert.Equal(t, "1,2,three,four", rows[0][0])
	md, err := e.c.Dataset("ds").Table("t").Metadata(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(4), md.NumRows)
}

// Load jobs land real rows, which tabledata.list reads back.
func TestLoadAndRead(t *testing.T) {
	e := newEnv(t)
	src := bigquery.NewReaderSource(strings.NewReader("id,day,name\n1,2024-01-31,\"a,b\"\n2,,\n"))
	src.SkipLeadingRows = 1
	src.Schema = bigquery.Schema{{Name: "id", Type: bigquery.IntegerFieldType}, {Name: "day", Type: bigquery.DateFieldType},
		{Name: "name", Type: bigquery.StringFieldType}}
	job, err := e.c.Dataset("ds").Table("loaded").LoaderFrom(src).Run(e.ctx)
	require.NoError(t, err)
	status, err := job.Wait(e.ctx)
	require.NoError(t, err)
	require.NoError(t, status.Err())

	it := e.c.Dataset("ds").Table("loaded").Read(e.ctx)
	var got [][]bigquery.Value
	for {
		var row []bigquery.Value
		err := it.Next(&row)
		if errors.Is(err, iterator.Done) {
			break
		}
		require.NoError(t, err)
		got = append(got, row)
	}
	assert.ElementsMatch(t, [][]bigquery.Value{{int64(1), civil.Date{Year: 2024, Month: 1, Day: 31}, "a,b"}, {int64(2), nil, nil}}, got)
}

// A running query is interrupted by jobs.cancel; a dry run does not run
// the query at all.
func TestCancelAndDryRun(t *testing.T) {
	e := newEnv(t)
	long := "SELECT COUNT(*) AS n FROM UNNEST(GENERATE_ARRAY(1, 100000)) AS a CROSS JOIN UNNEST(GENERATE_ARRAY(1, 100000)) AS b"
	q := e.c.Query(long)
	q.DryRun = true
	start := time.Now()
	job, err := q.Run(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "n", job.LastStatus().Statistics.Details.(*bigquery.QueryStatistics).Schema[0].Name)
	assert.Less(t, time.Since(start), 5*time.Second)

	ctx, cancel := context.WithTimeout(e.ctx, 200*time.Millisecond)
	defer cancel()
	_, err = e.c.Query(long).Run(ctx) // jobs.insert waits for the job: the context ends first
	require.Error(t, err)
	jobs := e.fake.Jobs()
	id := jobs[len(jobs)-1].ID
	j, err := e.c.JobFromID(e.ctx, id)
	require.NoError(t, err)
	require.NoError(t, j.Cancel(e.ctx))
	start = time.Now()
	_, rows := e.rows("SELECT 1")
	assert.Equal(t, [][]bigquery.Value{{int64(1)}}, rows, "the next job runs once the cancelled one stopped")
	assert.Less(t, time.Since(start), 5*time.Second)
	cancelled := e.fake.Jobs()[len(jobs)-1]
	assert.True(t, cancelled.Cancelled)
	assert.Equal(t, "stopped", cancelled.ErrorReason)
}

// Query.Read takes jobs.query, BigQuery's synchronous path.
func TestQueryRead(t *testing.T) {
	e := newEnv(t)
	it, err := e.c.Query("SELECT x, x * 2 AS y FROM UNNEST(GENERATE_ARRAY(1, 3)) AS x ORDER BY x").Read(e.ctx)
	require.NoError(t, err)
	var got [][]bigquery.Value
	for {
		var row []bigquery.Value
		err := it.Next(&row)
		if errors.Is(err, iterator.Done) {
			break
		}
		require.NoError(t, err)
		got = append(got, row)
	}
	assert.Equal(t, [][]bigquery.Value{{int64(1), int64(2)}, {int64(2), int64(4)}, {int64(3), int64(6)}}, got)
	_, err = e.c.Query("SELECT nope").Read(e.ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope")
}

// Date and time functions give BigQuery's answers (examples of its
// reference).
func TestTimeFunctions(t *testing.T) {
	e := newEnv(t)
	_, rows := e.rows(`SELECT
		TIMESTAMP_DIFF(TIMESTAMP '2010-07-07 10:20:00+00', TIMESTAMP '2008-12-25 15:30:00+00', HOUR),
		DATETIME_DIFF(DATETIME '2010-07-07 10:20:00', DATETIME '2008-12-25 15:30:00', DAY),
		DATE_DIFF(DATE '2010-07-07', DATE '2008-12-25', DAY),
		DATE_ADD(DATE '2008-12-25', INTERVAL 5 DAY),
		DATE_TRUNC(DATE '2024-01-10', WEEK), DATE_TRUNC(DATE '2024-01-10', ISOWEEK), DATE_TRUNC(DATE '2024-02-15', MONTH),
		EXTRACT(DAYOFWEEK FROM DATE '2024-01-07'), EXTRACT(WEEK FROM DATE '2024-01-07'), EXTRACT(ISOWEEK FROM DATE '2024-01-07'),
		TIMESTAMP_TRUNC(TIMESTAMP '2024-01-10 10:11:12+00', HOUR),
		CAST(TIMESTAMP '2024-01-10 10:11:12.5+00' AS STRING), CAST(NUMERIC '1.50' AS STRING), CAST(300.0 AS STRING),
		DATE(TIMESTAMP '2024-01-10 23:59:59+00'), UNIX_SECONDS(TIMESTAMP '1970-01-02 00:00:00+00'),
		DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', WEEK), DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', ISOWEEK),
		DATE_DIFF(DATE '2017-12-17', DATE '2017-12-16', WEEK), DATE_DIFF(DATE '2017-12-30', DATE '2017-12-01', MONTH)`)
	assert.Equal(t, []bigquery.Value{
		int64(13410), int64(559), int64(559), civil.Date{Year: 2008, Month: 12, Day: 30},
		civil.Date{Year: 2024, Month: 1, Day: 7}, civil.Date{Year: 2024, Month: 1, Day: 8}, civil.Date{Year: 2024, Month: 2, Day: 1},
		int64(1), int64(1), int64(1),
		time.Date(2024, 1, 10, 10, 0, 0, 0, time.UTC),
		"2024-01-10 10:11:12.5+00", "1.5", "300",
		civil.Date{Year: 2024, Month: 1, Day: 10}, int64(86400),
		int64(0), int64(1), int64(1), int64(0),
	}, rows[0])
}

// A job over its job timeout is stopped.
func TestJobTimeout(t *testing.T) {
	e := newEnv(t)
	q := e.c.Query("SELECT COUNT(*) FROM UNNEST(GENERATE_ARRAY(1, 100000)) AS a CROSS JOIN UNNEST(GENERATE_ARRAY(1, 100000)) AS b")
	q.JobTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err := func() (*bigquery.Job, error) {
		job, err := q.Run(e.ctx)
		if err != nil {
			return nil, err
		}
		status, err := job.Wait(e.ctx)
		if err != nil {
			return nil, err
		}
		return job, status.Err()
	}()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "timed out")
	assert.Less(t, time.Since(start), 10*time.Second)
}
