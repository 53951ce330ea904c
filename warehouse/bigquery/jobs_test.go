package bigquery

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

func TestJobConfiguration(t *testing.T) {
	e := newFake(t, func(c *Config) {
		c.Priority = "batch"
		c.MaximumBytesBilled = 1 << 40
		c.JobTimeout = 10 * time.Minute
		c.Labels = map[string]string{"team": "data", "mart_target": "overridden"}
	})
	ctx := warehouse.WithJobLabels(e.ctx, map[string]string{
		warehouse.LabelInvocationID: "3F2A-77", warehouse.LabelTarget: "prod"})
	ctx = warehouse.WithJobLabels(ctx, map[string]string{warehouse.LabelModel: "marts.fct_Rentals"})
	ctx, log := warehouse.WithJobLog(ctx)
	_, err := e.w.Exec(ctx, "SELECT 1")
	require.NoError(t, err)

	jobs := e.fake.Jobs()
	require.Len(t, jobs, 1)
	j := jobs[0]
	assert.Regexp(t, `^mart_[0-9a-f]{24}$`, j.ID, "job ids are made client-side")
	assert.Equal(t, "EU", j.Location)
	assert.Equal(t, "BATCH", j.Priority)
	assert.Equal(t, int64(1<<40), j.MaximumBytesBilled)
	assert.Equal(t, int64(600000), j.JobTimeoutMs)
	assert.False(t, j.DryRun)
	assert.Equal(t, map[string]string{"team": "data", "mart_target": "prod", "mart_invocation_id": "3f2a-77",
		"mart_model": "marts_fct_rentals"}, j.Labels, "context labels over the profile's, made valid")
	assert.Equal(t, []warehouse.JobStats{{JobID: j.ID, Location: "EU"}}, log.Jobs())
}

func TestJobStatsAndDryRun(t *testing.T) {
	e := newFake(t)
	e.seedCatalog()
	ctx, log := warehouse.WithJobLog(e.ctx)
	n, err := e.w.DryRun(ctx, customersSQL)
	require.NoError(t, err)
	assert.Equal(t, int64(1<<20), n, "the fake reads 1 MiB per table")
	assert.Empty(t, log.Jobs(), "dry runs process nothing")
	dry := e.fake.Jobs()[0]
	assert.True(t, dry.DryRun)
	assert.Equal(t, customersSQL, dry.Query)

	_, err = e.w.CreateTable(ctx, rel("t"), customersSQL, warehouse.TableOptions{})
	require.NoError(t, err)
	jobs := log.Jobs()
	require.Len(t, jobs, 1)
	assert.Equal(t, warehouse.JobStats{JobID: e.fake.Jobs()[1].ID, Location: "EU", BytesProcessed: 1 << 20,
		BytesBilled: 10 << 20, SlotMillis: 20}, jobs[0])
	assert.Equal(t, jobs[0], log.Total())

	_, err = e.w.DryRun(ctx, "SELECT * FROM `proj.raw.no_such_table`")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Not found: Table proj:raw.no_such_table")
}

func TestRetriedInsertRunsTheJobOnce(t *testing.T) {
	e := newFake(t)
	// The first jobs.insert reaches BigQuery but its answer is lost: the
	// client sends it again with the same id and follows the job.
	e.fake.FailRequest(bqfake.RequestFailure{Method: "POST", Path: `/jobs$`, Times: 1, AfterHandling: true})
	_, err := e.w.Exec(e.ctx, "INSERT INTO `proj.mart.t` SELECT 1")
	require.Error(t, err, "the table does not exist")
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "mart", Name: "t"})
	e.fake.ResetJobs()
	e.fake.FailRequest(bqfake.RequestFailure{Method: "POST", Path: `/jobs$`, Times: 1, AfterHandling: true})
	e.fake.OnQuery(`INSERT INTO`, bqfake.Result{Inserted: 1})
	n, err := e.w.Exec(e.ctx, "INSERT INTO `proj.mart.t` SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	jobs := e.fake.Jobs()
	require.Len(t, jobs, 1, "one job, inserted twice")
	assert.Equal(t, 2, jobs[0].Inserts)
}

func TestTransientJobFailureIsRetried(t *testing.T) {
	e := newFake(t)
	e.seedCatalog()
	e.fake.FailJob(`CREATE OR REPLACE TABLE`, bqfake.Failure{Reason: "backendError", Message: "Backend error. Try again.", Times: 1})
	_, err := e.w.CreateTable(e.ctx, rel("t"), customersSQL, warehouse.TableOptions{})
	require.NoError(t, err)
	jobs := e.fake.Jobs()
	require.Len(t, jobs, 2)
	assert.Equal(t, "backendError", jobs[0].ErrorReason)
	assert.Equal(t, jobs[0].ID+"_r1", jobs[1].ID, "a failed job is run again under a derived id")
	assert.Equal(t, "DONE", jobs[1].State)
	assert.Empty(t, jobs[1].ErrorReason)

	// Out of retries: the error is BigQuery's.
	e.fake.ResetJobs()
	e.fake.FailJob(`CREATE OR REPLACE TABLE`, bqfake.Failure{Reason: "rateLimitExceeded", Message: "Exceeded rate limits", Times: 2})
	_, err = e.w.CreateTable(e.ctx, rel("t"), customersSQL, warehouse.TableOptions{})
	var je *JobError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "rateLimitExceeded", je.Reason)
	assert.Len(t, e.fake.Jobs(), 2, "job_retries 1: two runs")

	// Not transient: no retry. Exec (hooks) is never re-run.
	e.fake.ResetJobs()
	e.fake.FailJob(`no_such_column`, bqfake.Failure{Message: "Unrecognized name: no_such_column at [1:8]"})
	_, err = e.w.Query(e.ctx, "SELECT no_such_column", 0)
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "invalidQuery", je.Reason)
	assert.Contains(t, err.Error(), "Unrecognized name: no_such_column at [1:8] [invalidQuery] (job mart_")
	e.fake.FailJob(`UPDATE`, bqfake.Failure{Reason: "backendError", Times: 1})
	_, err = e.w.Exec(e.ctx, "UPDATE `proj.raw.customers` SET name = 'x' WHERE TRUE")
	require.Error(t, err)
	assert.Len(t, e.fake.Jobs(), 2)
}

func TestCancelCancelsTheJob(t *testing.T) {
	e := newFake(t)
	e.seedCatalog()
	e.fake.OnQuery(`slow`, bqfake.Result{Duration: time.Minute})
	ctx, cancel := context.WithCancel(e.ctx)
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.w.CreateTable(ctx, rel("t"), "SELECT 'slow' AS s", warehouse.TableOptions{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Less(t, time.Since(start), 10*time.Second)
	jobs := e.fake.Jobs()
	require.Len(t, jobs, 1)
	assert.True(t, jobs[0].Cancelled, "the job was cancelled in BigQuery")
	_, ok := e.fake.Table("proj", "mart", "t")
	assert.False(t, ok)
}

func TestProfileErrors(t *testing.T) {
	// Bytes over maximum_bytes_billed.
	e := newFake(t, func(c *Config) { c.MaximumBytesBilled = 1000 })
	e.seedCatalog()
	_, err := e.w.Query(e.ctx, customersSQL, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Query exceeded limit for bytes billed: 1000. 10485760 or higher required.")
	assert.Contains(t, err.Error(), "raise maximum_bytes_billed")

	// A dataset in another location.
	e.fake.AddDataset("proj", "us_data", "US")
	err = e.w.EnsureSchema(e.ctx, "", "us_data")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dataset proj.us_data is in location US but the profile's location is EU")
	assert.Contains(t, err.Error(), "set location: US")

	// An unknown project.
	err = e.w.EnsureSchema(e.ctx, "no-such-project", "d")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `project "no-such-project" does not exist or the credentials cannot use it (profile key project)`)
	e2 := newFake(t, func(c *Config) { c.Project = "other" })
	_, err = e2.w.Query(e2.ctx, "SELECT 1", 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `may not run jobs in project "other" (profile key project)`)

	// A missing dataset is created in the profile's location.
	require.NoError(t, e.w.EnsureSchema(e.ctx, "", "new_mart"))
	ds, ok := e.fake.Dataset("proj", "new_mart")
	require.True(t, ok)
	assert.Equal(t, "EU", ds.Location)
}

func TestBadTableConfigNamesTheKey(t *testing.T) {
	e := newFake(t)
	for _, tc := range []struct {
		opt  warehouse.TableOptions
		want string
	}{
		{warehouse.TableOptions{PartitionBy: map[string]any{"field": "x", "data_type": "float64"}},
			`partition_by.data_type "float64" is not one of date, timestamp, datetime, int64`},
		{warehouse.TableOptions{PartitionBy: map[string]any{"field": "x", "data_type": "date", "granularity": "hour"}},
			`partition_by.granularity "hour" is not one of day, month, year`},
		{warehouse.TableOptions{PartitionBy: map[string]any{"field": "x", "data_type": "int64"}}, "partition_by.range is required"},
		{warehouse.TableOptions{PartitionBy: map[string]any{"data_type": "date"}}, "partition_by.field is required"},
		{warehouse.TableOptions{PartitionBy: map[string]any{"field": "x", "granularty": "day"}}, `partition_by: unknown key "granularty"`},
		{warehouse.TableOptions{PartitionBy: "date(x)"}, "give a mapping"},
		{warehouse.TableOptions{ClusterBy: []string{"a", "b", "c", "d", "e"}}, "cluster_by lists 5 columns (a, b, c, d, e); BigQuery clusters by at most 4"},
	} {
		_, err := e.w.CreateTable(e.ctx, rel("t"), "SELECT 1 AS x", tc.opt)
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
		assert.Contains(t, err.Error(), "create table proj.mart.t")
	}
	assert.Empty(t, e.fake.Jobs(), "nothing runs")
}

func TestQueryValues(t *testing.T) {
	e := newFake(t)
	ts := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	e.fake.OnQuery(`^SELECT values`, bqfake.Result{
		Schema: []bqfake.Field{{Name: "i", Type: "INT64"}, {Name: "f", Type: "FLOAT64"}, {Name: "b", Type: "BOOL"},
			{Name: "s", Type: "STRING"}, {Name: "n", Type: "NUMERIC"}, {Name: "d", Type: "DATE"}, {Name: "ts", Type: "TIMESTAMP"},
			{Name: "dt", Type: "DATETIME"}, {Name: "tags", Type: "STRING", Mode: "REPEATED"}, {Name: "z", Type: "STRING"}},
		Rows: [][]any{
			{1, 1.5, true, "x", "1.50", ts, ts, ts, []any{"a", "b"}, nil},
			{2, 2.0, false, "y", "2", ts, ts, ts, []any{}, "z"},
			{3, 3.0, false, "z", "3", ts, ts, ts, nil, nil},
		},
	})
	rows, err := e.w.Query(e.ctx, "SELECT values", 2)
	require.NoError(t, err)
	require.Len(t, rows.Values, 2)
	assert.Equal(t, []warehouse.Column{{Name: "i", Type: "INT64"}, {Name: "f", Type: "FLOAT64"}, {Name: "b", Type: "BOOL"}, {Name: "s", Type: "STRING"}, {Name: "n", Type: "NUMERIC"},
		{Name: "d", Type: "DATE"}, {Name: "ts", Type: "TIMESTAMP"}, {Name: "dt", Type: "DATETIME"}, {Name: "tags", Type: "ARRAY<STRING>"}, {Name: "z", Type: "STRING"}}, rows.Columns)
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, []any{int64(1), 1.5, true, "x", "1.5", day, ts, ts, []any{"a", "b"}, nil}, rows.Values[0])
	rows, err = e.w.Query(e.ctx, "SELECT values", 0)
	require.NoError(t, err)
	assert.Len(t, rows.Values, 3)
}

// jobQueries returns the statements of real query jobs matching re.
func jobQueries(f *bqfake.Server, re string) []string {
	var out []string
	for _, q := range f.Queries() {
		if regexp.MustCompile(re).MatchString(q) {
			out = append(out, strings.TrimSpace(q))
		}
	}
	return out
}

func TestCheck(t *testing.T) {
	e := newFake(t)
	res, err := e.w.Check(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, CheckResult{DatasetExists: true, DatasetLocation: "EU"}, res)

	e2 := newFake(t, func(c *Config) { c.Dataset = "not_yet" })
	res, err = e2.w.Check(e2.ctx)
	require.NoError(t, err, "a missing dataset is created by the build")
	assert.False(t, res.DatasetExists)

	e3 := newFake(t, func(c *Config) { c.Location = "US" })
	_, err = e3.w.Check(e3.ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is in location EU but the profile's location is US")

	e4 := newFake(t, func(c *Config) { c.Project = "nope" })
	_, err = e4.w.Check(e4.ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `cannot run jobs in project "nope" (profile keys project and method)`)
}
