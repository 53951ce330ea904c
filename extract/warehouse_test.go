package extract_test

import (
	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse/bigquery"
	"github.com/mart-dev/mart/warehouse/duckdb"
)

// Both adapters land extracted rows.
var (
	_ extract.Warehouse = (*duckdb.Warehouse)(nil)
	_ extract.Warehouse = (*bigquery.Warehouse)(nil)
)
