package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	bq "cloud.google.com/go/bigquery"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

// bigqueryDemo copies the demo and points a "prod" target at an in-process
// fake of the BigQuery API.
func bigqueryDemo(t *testing.T) (string, *bqfake.Server) {
	t.Helper()
	fake := bqfake.New()
	t.Cleanup(fake.Close)
	fake.AddProject("soda-prod")
	dir := demo(t)
	writeFile(t, dir, "profiles.yml", `soda:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/mart.duckdb
    prod:
      type: bigquery
      project: soda-prod
      dataset: analytics
      location: EU
      threads: 4
      maximum_bytes_billed: 1000000000
      labels: {team: data}
      api_endpoint: `+fake.URL()+`
`)
	return dir, fake
}

// TestBigQueryBuildAgainstFake builds the demo's seeds and models on the
// BigQuery adapter through the fake and checks the jobs it received.
func TestBigQueryBuildAgainstFake(t *testing.T) {
	dir, fake := bigqueryDemo(t)

	r := mart(t, dir, "compile", "--target", "prod")
	require.Equal(t, 0, r.Code, r.String())
	compiled := readFile(t, dir, "target/compiled/models/marts/fct_reservations.sql")
	require.Contains(t, compiled, "`soda-prod.analytics_staging.stg_reservations`")

	r = mart(t, dir, "seed", "--target", "prod")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "run", "--target", "prod")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "OK table analytics_marts.dim_members")

	loads, queries := 0, 0
	pos := map[string]int{}
	for i, j := range fake.Jobs() {
		if j.DryRun {
			continue
		}
		require.Equal(t, "data", j.Labels["team"], "profile labels on every job: %+v", j)
		require.NotEmpty(t, j.Labels["mart_invocation_id"], "%+v", j)
		require.Equal(t, "prod", j.Labels["mart_target"], "%+v", j)
		if j.Type == "LOAD" {
			loads++
			continue
		}
		require.Equal(t, int64(1000000000), j.MaximumBytesBilled, "maximum_bytes_billed guards every query: %+v", j)
		queries++
		if m := j.Labels["mart_model"]; m != "" {
			if _, ok := pos[m]; !ok {
				pos[m] = i
			}
		}
	}
	require.Equal(t, 6, loads, "one load job per seed, no INSERT statements")
	require.Greater(t, queries, 10)
	// jobs run in dependency order
	require.Less(t, pos["stg_reservations"], pos["fct_reservations"])
	require.Less(t, pos["fct_payments"], pos["agg_revenue_by_channel"])
	for _, q := range fake.Queries() {
		require.NotContains(t, strings.ToUpper(q), "INSERT INTO `SODA-PROD.ANALYTICS_RAW", "seeds load through load jobs")
	}

	// the cost plan dry-runs every model and changes nothing
	before := len(fake.Jobs())
	r = mart(t, dir, "run", "--target", "prod", "--dry-run")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "Total:")
	require.Contains(t, r.Stdout, "nothing was changed")
	for _, j := range fake.Jobs()[before:] {
		require.True(t, j.DryRun, "a dry run must not run real jobs: %+v", j)
	}
}

func TestBigQueryBadProfile(t *testing.T) {
	dir, _ := bigqueryDemo(t)
	writeFile(t, dir, "profiles.yml", `soda:
  target: prod
  outputs:
    prod:
      type: bigquery
      project: soda-prod
      dataset: analytics
      priorty: batch
`)
	r := mart(t, dir, "run")
	require.Equal(t, 2, r.Code, r.String())
	require.Contains(t, r.Stderr, "priorty")
	require.Contains(t, r.Stderr, "priority")
}

// TestBigQueryLiveDemo builds the demo on real BigQuery into throwaway
// datasets, checks that every mart has as many rows as on DuckDB, and drops
// the datasets. It needs MART_BIGQUERY_PROJECT and application default
// credentials (MART_BIGQUERY_LOCATION, default US).
func TestBigQueryLiveDemo(t *testing.T) {
	project := os.Getenv("MART_BIGQUERY_PROJECT")
	if project == "" {
		t.Skip("set MART_BIGQUERY_PROJECT (and application default credentials) to build the demo on real BigQuery")
	}
	location := os.Getenv("MART_BIGQUERY_LOCATION")
	if location == "" {
		location = "US"
	}
	dir := demo(t)
	dataset := fmt.Sprintf("mart_live_%d", time.Now().UnixNano())
	writeFile(t, dir, "profiles.yml", fmt.Sprintf(`soda:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/mart.duckdb
    live:
      type: bigquery
      method: oauth
      project: %s
      dataset: %s
      location: %s
      threads: 8
      labels: {purpose: mart-live-test}
`, project, dataset, location))
	ctx := context.Background()
	client, err := bq.NewClient(ctx, project)
	require.NoError(t, err)
	defer client.Close()
	t.Cleanup(func() {
		for _, suffix := range []string{"", "_raw", "_staging", "_marts", "_dbt_test__audit"} {
			_ = client.Dataset(dataset + suffix).DeleteWithContents(ctx)
		}
		_ = client.Dataset("snapshots").Table("members_tier_snapshot").Delete(ctx)
	})

	r := mart(t, dir, "build")
	require.Equal(t, 0, r.Code, r.String())
	r = mart(t, dir, "build", "--target", "live")
	require.Equal(t, 0, r.Code, r.String())
	for _, table := range []string{"dim_members", "dim_cars", "dim_zones", "fct_reservations", "fct_payments",
		"agg_daily_zone_utilization", "agg_member_cohorts", "agg_revenue_by_channel", "agg_app_funnel_daily"} {
		want := scalar(t, dir, "select count(*) from main_marts."+table)
		it, err := client.Query(fmt.Sprintf("select count(*) from `%s.%s_marts.%s`", project, dataset, table)).Read(ctx)
		require.NoError(t, err)
		var row []bq.Value
		require.NoError(t, it.Next(&row))
		require.Equal(t, fmt.Sprint(want), fmt.Sprint(row[0]), table)
	}
}

// A --defer run on BigQuery lists the tables of its parents' datasets
// alone (one request each), not of every dataset the project builds in.
func TestBigQueryDeferListsParentsDatasets(t *testing.T) {
	dir, fake := bigqueryDemo(t)
	writeFile(t, dir, "profiles.yml", `soda:
  target: prod
  outputs:
    prod: {type: bigquery, project: soda-prod, dataset: analytics, location: EU, api_endpoint: `+fake.URL()+`}
    pr: {type: bigquery, project: soda-prod, dataset: pr_42, location: EU, api_endpoint: `+fake.URL()+`}
`)
	r := mart(t, dir, "build", "--target", "prod", "--exclude", "resource_type:snapshot")
	require.Equal(t, 0, r.Code, r.String())
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "prod-state"), 0o755))
	writeFile(t, dir, "prod-state/manifest.json", readFile(t, dir, "target/manifest.json"))

	listed := func(from int) []string {
		var out []string
		for _, req := range fake.Requests()[from:] {
			if m := regexp.MustCompile(`^GET /projects/[^/]+/datasets/([^/]+)/tables$`).FindStringSubmatch(req); m != nil {
				out = append(out, m[1])
			}
		}
		return out
	}
	before := len(fake.Requests())
	r = mart(t, dir, "run", "--target", "pr", "--select", "fct_reservations", "--defer", "--state", "prod-state")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "Deferring 3 relations")
	require.Equal(t, []string{"pr_42_staging"}, listed(before), "%v", fake.Requests()[before:])
	// its tests read the marts it joins to as well
	before = len(fake.Requests())
	r = mart(t, dir, "build", "--target", "pr", "--select", "fct_reservations", "--defer", "--state", "prod-state")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, r.Stdout, "Deferring 8 relations")
	got := listed(before)
	sort.Strings(got)
	require.Equal(t, []string{"pr_42_marts", "pr_42_staging"}, got, "%v", fake.Requests()[before:])
}
