package warehouse

// FreshnessDialect is a dialect that writes the query of a source
// freshness check (`mart source freshness`). DuckDB's and BigQuery's do;
// the conformance suite runs it on each engine.
type FreshnessDialect interface {
	// FreshnessQuery selects one row of two timestamps from relation (a
	// RelationName): max_loaded_at, the greatest value of the expression
	// loadedAt (a column name or SQL), NULL when no row matches, and
	// snapshotted_at, the engine's current time. filter, when not empty,
	// is a SQL condition on the rows looked at.
	FreshnessQuery(relation, loadedAt, filter string) string
}

// StandardFreshnessQuery is FreshnessQuery in the SQL both engines share;
// now is the engine's current timestamp expression and cast wraps the
// maximum (the identity where none is needed).
func StandardFreshnessQuery(relation, loadedAt, filter, now string, cast func(string) string) string {
	q := "select " + cast("max("+loadedAt+")") + " as max_loaded_at, " + now + " as snapshotted_at\nfrom " + relation
	if filter != "" {
		q += "\nwhere " + filter
	}
	return q
}
