package bigquery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/warehousetest"
)

// TestLive runs the whole conformance suite (data included) and the
// incremental suite against real BigQuery, in throwaway datasets that are
// deleted afterwards. It needs MART_BIGQUERY_PROJECT and application default
// credentials (gcloud auth application-default login); set
// MART_BIGQUERY_LOCATION to use another location than US.
func TestLive(t *testing.T) {
	project := os.Getenv("MART_BIGQUERY_PROJECT")
	if project == "" {
		t.Skip("set MART_BIGQUERY_PROJECT (and application default credentials) to run against real BigQuery")
	}
	location := os.Getenv("MART_BIGQUERY_LOCATION")
	if location == "" {
		location = "US"
	}
	open := func(t *testing.T) warehouse.Warehouse {
		var b [4]byte
		_, _ = rand.Read(b[:])
		w, err := Open(context.Background(), Config{Project: project, Dataset: "mart_live_" + hex.EncodeToString(b[:]),
			Location: location, JobRetries: 2, Labels: map[string]string{"mart_test": "live"}})
		require.NoError(t, err)
		t.Cleanup(func() { dropDatasets(t, w) })
		return w
	}
	t.Run("Conformance", func(t *testing.T) { warehousetest.Run(t, open) })
	t.Run("Incremental", func(t *testing.T) { warehousetest.RunIncremental(t, open) })
}

// dropDatasets deletes every dataset the warehouse used, with its tables.
func dropDatasets(t *testing.T, w *Warehouse) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w.mu.Lock()
	var keys []string
	for k := range w.datasets {
		keys = append(keys, k)
	}
	w.mu.Unlock()
	for _, k := range keys {
		r := splitDataset(k)
		if err := w.client.DatasetInProject(r.Database, r.Schema).DeleteWithContents(ctx); err != nil && !notFound(err) {
			t.Errorf("dropping dataset %s: %v", k, err)
		}
	}
}

func splitDataset(key string) warehouse.Relation {
	for i := 0; i < len(key); i++ {
		if key[i] == '.' {
			return warehouse.Relation{Database: key[:i], Schema: key[i+1:]}
		}
	}
	return warehouse.Relation{Schema: key}
}
