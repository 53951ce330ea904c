package warehouse

// ExternalDialect is a dialect whose engine reads files in place (DuckDB):
// a source with dbt-duckdb's `external_location` reads them without a
// table in the warehouse.
type ExternalDialect interface {
	// ExternalRelation is what a query's FROM clause holds to read the
	// files at location: a path or glob (relative to the project), a URL,
	// or a table function call such as read_csv('x.csv', header=true),
	// which is used as written.
	ExternalRelation(location string) string
}
