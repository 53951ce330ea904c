package e2e

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// demoCounts are the row counts of the demo's marts at seed scale 1.
func demoCounts(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, row := range query(t, dir, `select table_schema || '.' || table_name from information_schema.tables
		where table_schema in ('main_marts', 'main_staging', 'main_raw', 'snapshots') order by 1`) {
		name := row[0].(string)
		out[name] = scalar(t, dir, fmt.Sprintf("select count(*) from %s", name)).(int64)
	}
	return out
}

func num(t *testing.T, v any) string {
	t.Helper()
	return fmt.Sprint(v)
}

// TestDemoBuild builds the SODA Store, checks the facts the data generator
// guarantees (docs/soda-store.md), and builds again: a second build is
// green and changes no row count.
func TestDemoBuild(t *testing.T) {
	dir := demo(t)
	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "ERROR=0 FAIL=0 SKIP=0")
	require.NotContains(t, r.Stdout, " ERROR ")
	require.NotContains(t, r.Stdout, " FAIL ")
	require.NotContains(t, r.Stdout, " SKIP ")

	facts := []struct {
		q    string
		want string
	}{
		{"select count(*) from main_marts.dim_members", "400"},
		{"select count(*) from main_marts.dim_members where is_deleted", "11"},
		{"select count(*) from main_marts.dim_members where tier = 'premium'", "112"},
		{"select count(*) from main_marts.dim_cars", "40"},
		{"select count(*) from main_marts.dim_zones", "12"},
		{"select count(*) from main_raw.raw_reservations", "1018"},
		{"select count(*) from main_marts.fct_reservations", "1000"},
		{"select count(*) from main_marts.fct_reservations where status = 'completed'", "841"},
		{"select count(*) from main_marts.fct_reservations where is_late_return", "75"},
		{"select count(*) from main_marts.fct_payments", "1014"},
		{"select sum(gross_revenue) from main_marts.agg_revenue_by_channel where paid_date = date '2026-03-01'", "406.86"},
		{"select sum(net_revenue) from main_marts.agg_revenue_by_channel", "75939.42"},
		{"select n_completed || ' / ' || lifetime_value from main_marts.dim_members where member_id = 1", "3 / 212.10"},
		{"select max(max_speed_kmh) from main_marts.fct_reservations", "110"},
		{"select count(*) from snapshots.members_tier_snapshot", "400"},
	}
	for _, f := range facts {
		require.Equal(t, f.want, num(t, scalar(t, dir, "select cast(("+f.q+") as varchar)")), f.q)
	}
	before := demoCounts(t, dir)
	require.NotEmpty(t, before)

	r = mart(t, dir, "build")
	require.Equal(t, 0, r.Code, "second build:\n%s", r)
	require.Equal(t, before, demoCounts(t, dir), "a second build must not change row counts")
	require.Equal(t, "406.86", num(t, scalar(t, dir, "select cast(sum(gross_revenue) as varchar) from main_marts.agg_revenue_by_channel where paid_date = date '2026-03-01'")))
}
