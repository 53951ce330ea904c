package warehousetest

import "github.com/mart-dev/mart/warehouse"

// dialect holds the engine-specific bits of the suite.
type dialect struct {
	// longQuery is a single-row query that runs for many seconds, so that
	// cancelling it after 100ms interrupts it mid-way. Its column is n.
	longQuery string
	// stringType is a type name usable in SeedOptions.ColumnTypes for text.
	stringType string
	// seedTypes is how Describe spells each inferred seed type.
	seedTypes map[warehouse.SeedType]string
	// nastyIdents are identifiers the engine allows only when quoted.
	nastyIdents []string
}

var dialects = map[string]dialect{
	"duckdb": {
		longQuery:  "select count(*) as n from range(10000000000)",
		stringType: "varchar",
		seedTypes: map[warehouse.SeedType]string{
			warehouse.SeedInteger:   "BIGINT",
			warehouse.SeedDouble:    "DOUBLE",
			warehouse.SeedBoolean:   "BOOLEAN",
			warehouse.SeedDate:      "DATE",
			warehouse.SeedTimestamp: "TIMESTAMP",
			warehouse.SeedString:    "VARCHAR",
		},
		nastyIdents: []string{`we"ird`, `with space`, `it's`, `ünïcödé ☃`, `semi;colon`, `dot.ted`, `select`, `MiXeD Case`},
	},
	"bigquery": {
		// 10^10 rows: many seconds of slots.
		longQuery:  "select count(*) as n from unnest(generate_array(1, 100000)) as a cross join unnest(generate_array(1, 100000)) as b",
		stringType: "STRING",
		seedTypes: map[warehouse.SeedType]string{
			warehouse.SeedInteger:   "INT64",
			warehouse.SeedDouble:    "FLOAT64",
			warehouse.SeedBoolean:   "BOOL",
			warehouse.SeedDate:      "DATE",
			warehouse.SeedTimestamp: "DATETIME",
			warehouse.SeedString:    "STRING",
		},
		// Table names allow letters, marks, numbers, connectors, dashes and
		// spaces only.
		nastyIdents: []string{`with space`, `ünïcödé`, `select`, `MiXeD Case`, `da-sh`},
	},
}
