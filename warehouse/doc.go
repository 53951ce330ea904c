// Package warehouse is the boundary between mart and the database engines it
// builds into. Everything that differs between engines lives behind it, in
// one package per engine that registers itself (see [Register]):
// warehouse/duckdb (embedded DuckDB, the default) and warehouse/bigquery
// (Google BigQuery).
//
// An engine package provides an [Adapter]:
//
//   - its targets: [Adapter.ParseTarget] reads a profiles.yml output (the
//     keys it knows, each problem a [*SettingError] naming the key) and
//     [Adapter.Open] connects;
//   - its SQL text, a [Dialect], which needs no connection: quoting
//     ([Dialect.QuoteIdent], [Dialect.QuoteString]), relation names, dbt's
//     cross-database macros, and the few queries the runner needs wrapped
//     (data tests, literal rows for unit tests, limits). The compiler uses
//     it, so `mart compile` works offline;
//   - a [Warehouse], one connection pool, which carries its Dialect and
//     materializes: [Warehouse.CreateView], [Warehouse.CreateTable] (an
//     atomic build-then-swap), [Warehouse.Insert], [Warehouse.Drop], seeds
//     ([Warehouse.LoadSeed]) and the catalog ([Warehouse.EnsureSchema],
//     [Warehouse.Describe], [Warehouse.ListRelations]).
//
// The engine-independent code (compiler, runner, cli) never writes dialect
// SQL of its own. Capabilities that not every engine has are optional
// interfaces of a Warehouse, declared where they are used:
// [Incrementer] (incremental strategies and snapshots),
// [TempRelationLister] (required by the conformance suite), a cost
// estimate ([Estimate], BigQuery's dry runs), a connection check for
// `mart debug`.
//
// Every adapter must pass the conformance suite in warehouse/warehousetest,
// which pins down the semantics described on the interface methods: that
// is the contract, not any one engine's behaviour.
//
// This package also holds the engine-neutral pieces that adapters share:
// the registry, the temporary-relation naming scheme ([TempName],
// [IsTempName]), statement trimming ([TrimStatement]), the SQL that both
// engines write alike ([StandardTestQuery]) and the streaming CSV
// validation and type inference for seeds ([ScanSeed], [SeedError]). It
// imports no database driver.
package warehouse
