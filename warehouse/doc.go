// Package warehouse is the boundary between mart's build engine and the
// database engines it builds into.
//
// The build engine (package runner) never writes dialect SQL of its own: it
// compiles each model to a plain SELECT and hands it to a [Warehouse], which
// owns everything that differs between engines:
//
//   - naming and quoting: [Warehouse.QuoteIdent], [Warehouse.QuoteString] and
//     [Warehouse.RelationSQL] (database.schema.name in DuckDB,
//     project.dataset.table in BigQuery; " versus ` quoting);
//   - materializing: [Warehouse.CreateView], [Warehouse.CreateTable] (an
//     atomic build-then-swap), [Warehouse.Insert] and [Warehouse.Drop];
//   - the catalog: [Warehouse.EnsureSchema], [Warehouse.Describe] and
//     [Warehouse.ListRelations];
//   - seeds: [Warehouse.LoadSeed] loads a CSV file as a table.
//
// Optional capabilities are separate interfaces that an adapter may
// implement: [TempRelationLister] (required by the conformance suite) and
// [Incrementer] (incremental strategies and snapshots).
//
// Adapters live in sub-packages (warehouse/duckdb today, warehouse/bigquery
// later). Every adapter must pass the conformance suite in
// warehouse/warehousetest, which pins down the semantics described on the
// interface methods: that is the contract, not any one engine's behaviour.
//
// This package also holds the engine-neutral pieces that adapters share:
// the temporary-relation naming scheme ([TempName], [IsTempName]), statement
// trimming ([TrimStatement]) and the streaming CSV validation and type
// inference for seeds ([ScanSeed], [SeedError]). It imports no database
// driver.
package warehouse
