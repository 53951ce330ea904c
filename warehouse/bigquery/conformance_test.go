package bigquery

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
	"github.com/mart-dev/mart/warehouse/warehousetest"
)

// TestConformanceFake runs the catalog part of the conformance suite
// against the fake: it keeps datasets, tables and views but runs no SELECT,
// so the statements the suite expects to fail are scripted to fail, and its
// long query to run for a minute.
func TestConformanceFake(t *testing.T) {
	warehousetest.RunCatalog(t, func(t *testing.T) warehouse.Warehouse {
		fake := bqfake.New()
		t.Cleanup(fake.Close)
		fake.AddDataset("proj", "mart", "EU")
		fake.FailJob(`not a number|no_such_column|from from|no_such_type`, bqfake.Failure{Message: "bqfake: this statement fails"})
		fake.OnQuery(`generate_array\(1, 100000\)`, bqfake.Result{Duration: time.Minute})
		w, err := Open(context.Background(), Config{Project: "proj", Dataset: "mart", Location: "EU", APIEndpoint: fake.URL()})
		require.NoError(t, err)
		return w
	})
}
