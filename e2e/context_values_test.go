package e2e

// The values of dbt's Jinja context that models and macros read:
// run_started_at (a datetime), modules.datetime and modules.pytz, set(),
// fromjson's default. Each asserts what dbt-core 1.8/1.9 does (probes of
// review 48d).

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// run_started_at is a datetime (dbt docs: run_started_at.strftime(...),
// .astimezone(modules.pytz.timezone(...)))
func TestRunStartedAtIsADatetime(t *testing.T) {
	dir := ctxBuild(t, `select '{{ run_started_at.strftime("%Y") | length }}' as y`)
	require.Equal(t, "4", scalar(t, dir, "select y from m"))
}

func TestModulesPytz(t *testing.T) {
	dir := ctxBuild(t, `select '{{ run_started_at.astimezone(modules.pytz.timezone("UTC")).strftime("%Y") | length }}' as y`)
	require.Equal(t, "4", scalar(t, dir, "select y from m"))
}

// modules.datetime.datetime and .date are Python's classes: constructors,
// strptime
func TestModulesDatetimeConstructors(t *testing.T) {
	dir := ctxBuild(t, `select '{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5).isoformat() }}|{{ modules.datetime.date(2024, 1, 2) }}|{{ modules.datetime.datetime.strptime("2024-03-04", "%Y-%m-%d").day }}' as v`)
	require.Equal(t, "2024-01-02T03:04:05|2024-01-02|4", scalar(t, dir, "select v from m"))
}

// dbt's context has set() (and set_strict); fromjson's default on a
// string that is no JSON
func TestSetAndFromjsonDefault(t *testing.T) {
	dir := ctxBuild(t, `select '{{ set([1, 1, 2]) | length }}' as s, '{{ fromjson("[1", "dflt") }}' as f`)
	require.Equal(t, []any{"2", "dflt"}, query(t, dir, "select s, f from m")[0])
}

// run_started_at prints as Python's str() of a UTC datetime, and has a
// datetime's methods (dbt's docs: strftime, astimezone with pytz); the
// date and timestamp agree with what it prints
func TestRunStartedAtPrintsAndComputesAsDbt(t *testing.T) {
	dir := ctxBuild(t, `select '{{ run_started_at }}' as s,
  '{{ run_started_at.isoformat() }}' as iso,
  '{{ run_started_at.strftime("%Y-%m-%d") }}' as d,
  '{{ run_started_at.date() }}' as dd,
  '{{ run_started_at.astimezone(modules.pytz.timezone("America/New_York")).utcoffset() }}' as ny,
  '{{ run_started_at - modules.datetime.timedelta(days=1) < run_started_at }}' as earlier,
  '{{ (run_started_at - modules.datetime.timedelta(days=1)).date() < run_started_at.date() }}' as day_before,
  '{{ run_started_at.tzinfo }}' as tz,
  {{ run_started_at.timestamp() | int }} as ts`)
	row := query(t, dir, "select s, iso, d, dd, ny, earlier, day_before, tz, ts from m")[0]
	s := fmt.Sprint(row[0])
	require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00$`, s)
	require.Equal(t, strings.Replace(s, " ", "T", 1), row[1])
	require.Equal(t, s[:10], row[2])
	require.Equal(t, s[:10], row[3])
	require.Contains(t, []any{"-1 day, 19:00:00", "-1 day, 20:00:00"}, row[4]) // EST or EDT
	require.Equal(t, []any{"True", "True", "UTC"}, row[5:8])
	started, err := time.Parse("2006-01-02 15:04:05.999999-07:00", s)
	require.NoError(t, err)
	require.Equal(t, fmt.Sprint(started.Unix()), fmt.Sprint(row[8]))
}
