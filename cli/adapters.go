package cli

// The warehouse adapters mart knows: each registers itself in package
// warehouse when imported. Adding an engine is its package and a line here.
import (
	_ "github.com/mart-dev/mart/warehouse/bigquery"
	_ "github.com/mart-dev/mart/warehouse/duckdb"
)
