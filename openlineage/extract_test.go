package openlineage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/extract/extracttest"
)

// TestExtractEmitsLineage runs `mart extract --openlineage-url` on a
// PostgreSQL source: a run per table, child of the invocation, with the
// store's table as input (named by OpenLineage's PostgreSQL convention,
// never with the dsn's password) and the raw table as output, with rows.
func TestExtractEmitsLineage(t *testing.T) {
	dsn, conn := extracttest.Postgres(t)
	extracttest.PgExec(t, conn, "CREATE TABLE orders (id int PRIMARY KEY, amount int)", "INSERT INTO orders VALUES (1, 10), (2, 20)")
	dbName := dsn[strings.LastIndex(dsn, "/")+1 : strings.Index(dsn, "?")]
	withPassword := strings.Replace(dsn, "postgres@", "postgres:s3cret-pw@", 1)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mart.yml"), []byte("name: shop\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "models"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models", "sources.yml"), []byte(`version: 2
sources:
  - name: app
    schema: raw_app
    extract: {from: postgres, dsn: "{{ env_var('APP_DSN') }}"}
    tables:
      - name: orders
`), 0o644))
	v := newValidator(t)
	r := newReceiver(t)
	code, out, errs := run(t, map[string]string{"APP_DSN": withPassword}, "extract", "--project-dir", dir, "--openlineage-url", r.srv.URL)
	require.Equal(t, 0, code, "%s\n%s", out, errs)
	events := r.events(t, v)
	require.Len(t, events, 4, "the invocation's START and COMPLETE, the table's START and COMPLETE")
	assert.Equal(t, "shop.extract", events[0].Job.Name)
	var table []event
	for _, ev := range events {
		if ev.Job.Name == "source.shop.app.orders" {
			table = append(table, ev)
		}
	}
	require.Len(t, table, 2)
	assert.Equal(t, []string{"START", "COMPLETE"}, []string{table[0].EventType, table[1].EventType})
	assert.Equal(t, table[0].Run.RunID, table[1].Run.RunID)
	require.NotNil(t, table[1].Run.Facets.Parent)
	assert.Equal(t, events[0].Run.RunID, table[1].Run.Facets.Parent.Run.RunID)
	require.Len(t, table[1].Inputs, 1)
	assert.Equal(t, "postgres://127.0.0.1:5432", table[1].Inputs[0].Namespace)
	assert.Equal(t, dbName+".public.orders", table[1].Inputs[0].Name)
	require.Len(t, table[1].Outputs, 1)
	assert.True(t, strings.HasPrefix(table[1].Outputs[0].Namespace, "duckdb://"), table[1].Outputs[0].Namespace)
	assert.Equal(t, "raw_app.orders", strings.TrimPrefix(table[1].Outputs[0].Name, "mart."))
	assert.Contains(t, string(table[1].Outputs[0].OutputFacets["outputStatistics"]), `"rowCount":2`)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.bodies {
		assert.NotContains(t, string(b), "s3cret-pw")
	}
}
