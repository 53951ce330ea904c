package duckdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/warehousetest"
)

func TestConformance(t *testing.T) {
	warehousetest.Run(t, func(t *testing.T) warehouse.Warehouse {
		w, err := Open(context.Background(), Config{Path: filepath.Join(t.TempDir(), "target", "dev.duckdb"), Threads: 2})
		require.NoError(t, err)
		return w
	})
}
