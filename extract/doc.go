// Package extract lands raw data from operational stores (PostgreSQL,
// MySQL/MariaDB, MongoDB, files) into the warehouse's raw layer: `mart
// extract`.
//
// It owns what is the same for every kind of source:
//
//   - the `extract:` block of a source table (config.go): parsing, defaults
//     and validation with the YAML file and line, and rendering env_var()
//     and var() in the dsn at run time, with the DSN and its password
//     redacted from every error (dsn.go);
//   - the modes (modes.go): a full load in one batch, incremental keyset
//     chunks by (cursor, primary key) with a lookback, deletes reconciled
//     by primary keys; each batch is staged through the warehouse's bulk
//     path and committed together with the stream's state (state.go), so
//     a crash and a re-run neither lose nor duplicate rows;
//   - running tables in parallel (run.go), progress events (events.go) and
//     per-table results (result.go).
//
// Each kind of source is a sub-package that registers itself ([Register]):
// extract/postgres, extract/mysql, extract/mongodb and extract/files. A
// tabular kind implements [Reader] and lets [Job.Extract] run the mode; a
// kind with a path of its own (PostgreSQL's logical replication, files read
// by the warehouse) drives the [Job] itself. Import extract/sources to link
// them all.
//
// The warehouse is reached through [Warehouse], declared here: an adapter
// lands batches with a [warehouse.Landing] (warehouse/land.go). This
// package never writes SQL for the warehouse; source kinds write their
// store's own queries.
package extract
