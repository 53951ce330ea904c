package duckdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// An engine error points at the line and column of the compiled SQL that
// mart gave the adapter, not of the statement the adapter wrapped it in.
func TestErrorPositionsInTheGivenSQL(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "x.duckdb")})
	require.NoError(t, err)
	defer w.Close()
	bad := "select 1 as a,\n  no_such_column as b\nfrom range(3)"
	at := func(err error) [2]int {
		t.Helper()
		require.Error(t, err)
		l, c, ok := warehouse.ErrorPosition(err)
		require.True(t, ok, "no position in %v", err)
		return [2]int{l, c}
	}
	_, err = w.CreateTable(ctx, warehouse.Relation{Name: "t"}, bad, warehouse.TableOptions{})
	assert.Equal(t, [2]int{2, 3}, at(err), "create table")
	assert.Equal(t, [2]int{2, 3}, at(w.CreateView(ctx, warehouse.Relation{Name: "v"}, bad)), "create view")
	_, err = w.Query(ctx, bad, 0)
	assert.Equal(t, [2]int{2, 3}, at(err), "query")
	_, err = w.Query(ctx, bad, 5)
	assert.Equal(t, [2]int{2, 3}, at(err), "query with a limit")
	_, err = w.Incremental(ctx, warehouse.Relation{Name: "inc"}, bad, warehouse.IncrementalOptions{Strategy: warehouse.StrategyAppend})
	assert.Equal(t, [2]int{2, 3}, at(err), "incremental")
	_, err = w.CreateTable(ctx, warehouse.Relation{Name: "t"}, "select (1 +) as x", warehouse.TableOptions{})
	assert.Equal(t, [2]int{1, 12}, at(err), "syntax error on the first line")
}
