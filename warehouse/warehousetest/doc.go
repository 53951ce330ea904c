// Package warehousetest is the conformance suite for warehouse adapters.
//
// [Run] exercises a [warehouse.Warehouse] through its interface only and
// checks the semantics the build engine relies on: quoting round-trips,
// atomic replacement (including failure and cancellation mid-build),
// view/table swaps, concurrency, catalog queries and seed loading. Each
// adapter package calls it from a test against a real engine:
//
//	func TestConformance(t *testing.T) {
//		warehousetest.Run(t, func(t *testing.T) warehouse.Warehouse { ... })
//	}
//
// The few things that cannot be said in engine-neutral SQL (a query that
// runs long enough to be cancelled, type names) come from a per-engine
// profile in dialect.go, keyed by Warehouse.Type; a new adapter adds its
// profile there.
package warehousetest
