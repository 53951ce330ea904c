package compiler

// The compiler reads targets and SQL text through the adapters registered
// in package warehouse; mart registers them in cli/adapters.go.
import (
	_ "github.com/mart-dev/mart/warehouse/bigquery"
	_ "github.com/mart-dev/mart/warehouse/duckdb"
)
