package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSnapshotMembers runs the snapshot_members project over three states
// of its seed: a check snapshot on all columns with a composite key,
// new_record hard deletes and dbt_valid_to_current; and a timestamp
// snapshot whose key and metadata column names come from YAML, with the
// older invalidate_hard_deletes flag.
func TestSnapshotMembers(t *testing.T) {
	dir := project(t, "snapshot_members")
	var runs []runWindow
	build := func(csv string) {
		t.Helper()
		if csv != "" {
			writeFile(t, dir, "seeds/raw_members.csv", "member_id,region,tier,email,tier_updated_at\n"+csv)
		}
		start := time.Now().UTC()
		r := mart(t, dir, "build")
		runs = append(runs, runWindow{start, time.Now().UTC()})
		require.Equal(t, 0, r.Code, r.String())
	}
	// when renders a time: "run k" if it lies in run k, else the time.
	when := func(v any) string {
		tm, ok := v.(time.Time)
		if !ok {
			return "NULL"
		}
		for k, w := range runs {
			if !tm.Before(w.start) && !tm.After(w.end) {
				return fmt.Sprintf("run %d", k+1)
			}
		}
		return tm.UTC().Format(time.DateTime)
	}
	check := func() []string {
		var out []string
		for _, r := range query(t, dir, `select member_id, region, tier, email, dbt_valid_from, dbt_valid_to, dbt_is_deleted,
			dbt_updated_at = dbt_valid_from from snapshots.members_check order by all`) {
			require.Equal(t, true, r[7])
			out = append(out, joinAny(r[0], r[1], r[2], r[3], when(r[4]), when(r[5]), r[6]))
		}
		return out
	}
	yamlOnly := func() []string {
		var out []string
		for _, r := range query(t, dir, `select member_id, region, tier, dbt_valid_from, dbt_valid_to
			from main_snapshots.members_yaml order by all`) {
			out = append(out, joinAny(r[0], r[1], r[2], when(r[3]), when(r[4])))
		}
		// members_expr is keyed by an expression: the same history
		var expr []string
		for _, r := range query(t, dir, `select member_id, region, tier, dbt_valid_from, dbt_valid_to
			from main_snapshots.members_expr order by all`) {
			expr = append(expr, joinAny(r[0], r[1], r[2], when(r[3]), when(r[4])))
		}
		require.Equal(t, out, expr)
		return out
	}
	tiers := func() []string {
		var out []string
		for _, r := range query(t, dir, `select member_key, tier, valid_from, valid_to, seen_at = valid_from, length(version_id)
			from snapshots.members_tiers order by all`) {
			out = append(out, joinAny(r[0], r[1], when(r[2]), when(r[3]), r[4], r[5]))
		}
		return out
	}

	build("") // the project's seed: 1/eu basic, 1/us gold, 2/eu basic, all on 03-01
	// snapshots declared in YAML get a compiled file each, beside the YAML
	_, files := compiledFiles(t, dir)
	require.Equal(t, `select * from "main_raw"."raw_members"`, strings.TrimSpace(files["snapshots/members_yaml.sql"]))
	require.Equal(t, `select * from "main_raw"."raw_members"`, strings.TrimSpace(files["snapshots/members_expr.sql"]))
	require.NotContains(t, files, "snapshots/_snapshots.yml")
	require.Equal(t, []string{
		"1|eu|basic|a@example.com|run 1|9999-12-31 00:00:00|False",
		"1|us|gold|a@example.com|run 1|9999-12-31 00:00:00|False",
		"2|eu|basic|b@example.com|run 1|9999-12-31 00:00:00|False",
	}, check())
	require.Equal(t, []string{"1|eu|basic|run 1|NULL", "1|us|gold|run 1|NULL", "2|eu|basic|run 1|NULL"}, yamlOnly())

	// 1/eu changes email only (a check on all columns sees it; the tier
	// snapshot's updated_at did not move), 1/us goes gold -> platinum,
	// 2/eu disappears.
	build("1,eu,basic,a2@example.com,2026-03-01 00:00:00\n1,us,platinum,a@example.com,2026-03-05 00:00:00\n")
	require.Equal(t, []string{
		"1|eu|basic|a2@example.com|run 2|9999-12-31 00:00:00|False",
		"1|eu|basic|a@example.com|run 1|run 2|False",
		"1|us|gold|a@example.com|run 1|run 2|False",
		"1|us|platinum|a@example.com|run 2|9999-12-31 00:00:00|False",
		"2|eu|basic|b@example.com|run 1|run 2|False",
		"2|eu|basic|b@example.com|run 2|9999-12-31 00:00:00|True",
	}, check())
	require.Equal(t, []string{
		"1eu|basic|2026-03-01 00:00:00|NULL|true|32",
		"1us|gold|2026-03-01 00:00:00|2026-03-05 00:00:00|true|32",
		"1us|platinum|2026-03-05 00:00:00|NULL|true|32",
		"2eu|basic|2026-03-01 00:00:00|run 2|true|32",
	}, tiers())
	// tier is the only checked column; 2/eu's deletion closes its row
	require.Equal(t, []string{"1|eu|basic|run 1|NULL", "1|us|gold|run 1|run 2", "1|us|platinum|run 2|NULL",
		"2|eu|basic|run 1|run 2"}, yamlOnly())

	// 2/eu comes back.
	build("1,eu,basic,a2@example.com,2026-03-01 00:00:00\n1,us,platinum,a@example.com,2026-03-05 00:00:00\n2,eu,silver,b@example.com,2026-03-09 00:00:00\n")
	rows := check()
	require.Contains(t, rows, "2|eu|basic|b@example.com|run 2|run 3|True")
	require.Contains(t, rows, "2|eu|silver|b@example.com|run 3|9999-12-31 00:00:00|False")
	require.Len(t, rows, 7)
	require.Contains(t, tiers(), "2eu|silver|2026-03-09 00:00:00|NULL|true|32")

	// Nothing new: nothing changes.
	before, beforeTiers := check(), tiers()
	build("")
	require.Equal(t, before, check())
	require.Equal(t, beforeTiers, tiers())
	require.Empty(t, tempTables(t, dir))
}

func joinAny(vals ...any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			parts[i] = "NULL"
		case time.Time:
			parts[i] = x.UTC().Format(time.DateTime)
		default:
			parts[i] = fmt.Sprint(x)
		}
	}
	return strings.Join(parts, "|")
}
