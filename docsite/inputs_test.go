package docsite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadRunResults(t *testing.T) {
	dir := t.TempDir()
	rr, err := ReadRunResults(filepath.Join(dir, "run_results.json"))
	require.NoError(t, err)
	assert.Nil(t, rr, "no file: no run yet")

	// the shape build.WriteResults writes
	p := filepath.Join(dir, "run_results.json")
	require.NoError(t, os.WriteFile(p, []byte(`{
	  "metadata": {"mart_schema_version": "mart/run-results/v1", "invocation_id": "i", "generated_at": "2026-12-02T03:07:34Z",
	    "command": "build", "target_name": "dev"},
	  "results": [
	    {"unique_id": "model.soda.a", "status": "success", "message": "CREATE TABLE (3 rows)", "rows_affected": 3,
	     "failures": null, "execution_time": 0.25,
	     "timing": [{"name": "execute", "started_at": "2026-12-02T03:07:34Z", "completed_at": "2026-12-02T03:07:35Z"}],
	     "adapter_response": {"bytes_processed": 10}},
	    {"unique_id": "test.soda.t", "status": "fail", "message": "", "rows_affected": 0, "failures": 2,
	     "execution_time": 0.01, "timing": [], "adapter_response": {}}
	  ],
	  "elapsed_time": 1.5, "args": {}}`), 0o644))
	rr, err = ReadRunResults(p)
	require.NoError(t, err)
	assert.Equal(t, "build", rr.Metadata.Command)
	require.Len(t, rr.Results, 2)
	assert.Equal(t, int64(3), rr.Results[0].RowsAffected)
	assert.Equal(t, "2026-12-02T03:07:35Z", rr.Results[0].Timing[0].CompletedAt.Format("2006-01-02T15:04:05Z"))
	assert.Equal(t, int64(2), *rr.Results[1].Failures)

	require.NoError(t, os.WriteFile(p, []byte(`{"results": [`), 0o644))
	_, err = ReadRunResults(p)
	assert.ErrorContains(t, err, "run_results.json")
}

func TestReadFreshness(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sources.json")
	f, err := ReadFreshness(p)
	require.NoError(t, err)
	assert.Nil(t, f)
	require.NoError(t, os.WriteFile(p, []byte(`{"metadata": {"generated_at": "2026-04-01T00:00:00Z"}, "results": [
	  {"unique_id": "source.soda.raw.members", "status": "warn", "max_loaded_at": "2026-03-31T20:00:00Z",
	   "snapshotted_at": "2026-04-01T00:00:00Z", "max_loaded_at_time_ago_in_s": 14400,
	   "criteria": {"warn_after": {"count": 2, "period": "hour"}}}]}`), 0o644))
	f, err = ReadFreshness(p)
	require.NoError(t, err)
	require.Len(t, f.Results, 1)
	assert.Equal(t, "warn", f.Results[0].Status)
	assert.Equal(t, 14400.0, f.Results[0].AgeSeconds)
}

func TestReadCatalogRoundTrips(t *testing.T) {
	p := filepath.Join(t.TempDir(), "target", "catalog.json")
	c, err := ReadCatalog(p)
	require.NoError(t, err)
	assert.Nil(t, c)
	rows := int64(7)
	want := EmptyCatalog(mustTime(t, "2026-04-01T00:00:00Z"))
	want.Nodes["model.p.a"] = &CatalogEntry{UniqueID: "model.p.a", Metadata: CatalogTable{Type: "table", Schema: "main", Name: "a"},
		Columns: map[string]CatalogColumn{"id": {Type: "INTEGER", Index: 1, Name: "id"}},
		Stats:   map[string]CatalogStat{"row_count": {ID: "row_count", Label: "Row count", Value: rows, Include: true}}}
	require.NoError(t, WriteCatalog(p, want))
	got, err := ReadCatalog(p)
	require.NoError(t, err)
	assert.Equal(t, "mart/catalog/v1", got.Metadata.SchemaVersion)
	assert.Equal(t, "2026-04-01T00:00:00Z", got.Metadata.GeneratedAt)
	assert.Equal(t, want.Nodes["model.p.a"].Columns, got.Nodes["model.p.a"].Columns)
	assert.Equal(t, 7.0, got.Nodes["model.p.a"].Stats["row_count"].Value) // JSON numbers read back as float64
	assert.Empty(t, got.Sources)
}
