package warehousetest

import (
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// testFreshness runs the dialect's source freshness query: the newest
// loaded-at value, with and without a filter, NULL when no row matches,
// and the engine's clock.
func testFreshness(e *env) {
	t, w := e.t, e.w
	fd, ok := w.(warehouse.FreshnessDialect)
	require.True(t, ok, "%T must implement warehouse.FreshnessDialect", w)
	older := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	newer := older.Add(90 * time.Minute)
	_, err := w.CreateTable(e.ctx, e.rel("src"), "select 1 as id, "+w.TimestampLiteral(older)+" as loaded_at union all select 2 as id, "+
		w.TimestampLiteral(newer)+" as loaded_at", warehouse.TableOptions{})
	require.NoError(t, err)
	col := w.QuoteIdent("loaded_at")
	check := func(filter string, want time.Time) {
		t.Helper()
		q := fd.FreshnessQuery(e.sqlOf("src"), col, filter)
		rows, err := w.Query(e.ctx, q, 0)
		require.NoError(t, err, q)
		require.Len(t, rows.Values, 1, q)
		require.Len(t, rows.Columns, 2)
		assert.Equal(t, "max_loaded_at", rows.Columns[0].Name)
		assert.Equal(t, "snapshotted_at", rows.Columns[1].Name)
		if want.IsZero() {
			assert.Nil(t, rows.Values[0][0], "no row matches %q", filter)
		} else {
			assert.True(t, want.Equal(asTime(t, rows.Values[0][0])), "max_loaded_at %v, want %v (filter %q)", rows.Values[0][0], want, filter)
		}
		now := asTime(t, rows.Values[0][1])
		assert.WithinDuration(t, time.Now(), now, time.Minute, "snapshotted_at is the engine's clock")
	}
	check("", newer)
	check(w.QuoteIdent("id")+" = 1", older)
	check(w.QuoteIdent("id")+" > 5", time.Time{})
}
