package bigquery

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
	"github.com/mart-dev/mart/warehouse/warehousetest"
)

// openFake opens the adapter on a fresh fake, which runs the SQL it is
// sent (on DuckDB): nothing is scripted, failures and cancellation are
// the engine's own.
func openFake(t *testing.T) warehouse.Warehouse {
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddDataset("proj", "mart", "EU")
	w, err := Open(context.Background(), Config{Project: "proj", Dataset: "mart", Location: "EU", APIEndpoint: fake.URL()})
	require.NoError(t, err)
	return w
}

// TestConformanceFake runs the whole conformance suite against the fake.
func TestConformanceFake(t *testing.T) {
	warehousetest.Run(t, openFake)
}

// TestIncrementalConformanceFake runs the incremental strategies and
// snapshots of the conformance suite against the fake.
func TestIncrementalConformanceFake(t *testing.T) {
	warehousetest.RunIncremental(t, openFake)
}
