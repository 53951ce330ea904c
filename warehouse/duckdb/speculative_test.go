package duckdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A speculative open only opens: once open, the warehouse is the one a
// usual open gives (mart builds with it), so a new pool connection
// creates the default schema when it is gone, as it does there.
func TestSpeculativeOpenOnlyAtOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(ctx, Config{Path: path, Schema: "analytics"})
	require.NoError(t, err)
	require.NoError(t, w.Close())

	w, err = Open(ctx, Config{Path: path, Schema: "analytics", Speculative: true})
	require.NoError(t, err)
	defer w.Close()
	_, err = w.DB().ExecContext(ctx, "DROP SCHEMA analytics CASCADE")
	require.NoError(t, err)
	held, err := w.DB().Conn(ctx) // the pool's connection
	require.NoError(t, err)
	defer held.Close()
	fresh, err := w.DB().Conn(ctx) // a new one
	require.NoError(t, err)
	require.NoError(t, fresh.Close())
}
