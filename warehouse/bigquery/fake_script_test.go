package bigquery

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

// The fake's model of scripts, which the adapter's atomicity rests on in
// these tests: transactions, exception handlers, DDL rules, locations.
func TestFakeScripts(t *testing.T) {
	e := newFake(t)
	e.table("t", rentalCols)
	e.fake.FailJob(`boom`, bqfake.Failure{Message: "boom failed"})
	exists := func(name string) bool { _, ok := e.fake.Table("proj", "mart", name); return ok }

	_, err := e.w.Exec(e.ctx, "BEGIN TRANSACTION;\nDELETE FROM `proj.mart.t` WHERE TRUE;\nSELECT boom;\nCOMMIT TRANSACTION")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "boom failed")

	_, err = e.w.Exec(e.ctx, "BEGIN TRANSACTION;\nDROP TABLE `proj.mart.t`;\nCOMMIT TRANSACTION")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not supported inside a multi-statement transaction")
	assert.True(t, exists("t"))

	_, err = e.w.Exec(e.ctx, "BEGIN\n  CREATE TABLE `proj.mart.t2` AS SELECT 1 AS x;\n  SELECT boom;\n"+
		"EXCEPTION WHEN ERROR THEN\n  DROP TABLE IF EXISTS `proj.mart.t2`;\n  RAISE;\nEND")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "boom failed", "RAISE re-raises the handled error")
	assert.False(t, exists("t2"), "the handler ran")

	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "mart", Name: "p", Partitioning: &bqfake.Partitioning{Type: "DAY", Field: "d"}})
	_, err = e.w.Exec(e.ctx, "CREATE OR REPLACE TABLE `proj.mart.p` PARTITION BY DATE_TRUNC(d, MONTH) AS SELECT CURRENT_DATE() AS d")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Cannot replace a table with a different partitioning spec")

	_, err = e.w.Exec(e.ctx, "CREATE TABLE `proj.mart.x` AS (SELECT 1; DROP TABLE `proj.mart.t`)")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Syntax error")
	assert.True(t, exists("t"))

	e.fake.AddDataset("proj", "us", "US")
	_, err = e.w.Query(e.ctx, "SELECT * FROM `proj.us.anything`", 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Not found: Dataset proj:us was not found in location EU")
}
