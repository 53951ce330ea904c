// Package warehousetest is the conformance suite for warehouse adapters.
//
// [Run] exercises a [warehouse.Warehouse] through its interface only and
// checks the semantics mart relies on: quoting round-trips, the SQL its
// Dialect writes (test wrappers, literal rows, limits, timestamps, the
// cross-database macros, diffs) run on the engine, atomic replacement
// (including failure and cancellation mid-build), view/table swaps,
// concurrency, catalog queries and seed loading. [RunIncremental] does the
// same for [warehouse.Incrementer]: every incremental strategy, schema
// changes, duplicate keys, first runs, failures and snapshots. Each adapter
// package runs both from a test against its engine (BigQuery against
// bigquery/bqfake, which executes GoogleSQL on an embedded DuckDB):
//
//	func TestConformance(t *testing.T) {
//		warehousetest.Run(t, func(t *testing.T) warehouse.Warehouse { ... })
//	}
//
// The few things that cannot be said in engine-neutral SQL (a query that
// runs long enough to be cancelled, type names) come from a per-engine
// profile in dialect.go, keyed by the dialect's Name; a new adapter adds
// its profile there.
package warehousetest
