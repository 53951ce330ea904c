// Package bqfake is an in-process fake of the BigQuery REST API (v2) for
// tests, served by net/http/httptest. Point the real client at it with
// option.WithEndpoint(server.URL()) and option.WithoutAuthentication() (the
// BigQuery adapter does that when its profile has api_endpoint and no
// credentials).
//
// It serves the calls cloud.google.com/go/bigquery makes for query jobs
// (jobs.insert, jobs.get, jobs.getQueryResults, jobs.cancel, and
// jobs.query, which Query.Read uses), dry runs,
// load jobs (multipart and resumable media uploads), datasets
// (get/insert/delete), tables (get/list/insert/delete) and tabledata.list,
// and it records every job: statement, labels, dry-run flag, maximum bytes
// billed, priority, destination, job id and how many times its insert was
// tried.
//
// # Executing SQL
//
// The fake runs what it is sent. Its storage and executor is an embedded,
// in-memory DuckDB (engine.go): a dataset proj.ds is the DuckDB schema
// "proj.ds", a script's temporary tables and variables live on the job's
// own connection. Each statement of a script is translated from GoogleSQL
// to DuckDB SQL (translate*.go) and executed; query results come back
// through jobs.getQueryResults (and tables through tabledata.list) with
// BigQuery's types and JSON encoding; DML reports numDmlAffectedRows and
// sets @@row_count; load jobs land real rows: CSV and newline-delimited
// JSON (gzip-compressed or not) in the schema the job gives (a JSON column takes each raw JSON
// value; an unknown key fails the load unless ignoreUnknownValues), and
// Parquet in the file's own schema, converted as BigQuery converts
// Parquet's types (load_parquet.go; flat columns only). Jobs run one at a
// time (a serial history BigQuery could have produced); jobs.insert
// answers when a job finishes quickly, jobs.cancel interrupts a running
// query, and a job over its jobTimeoutMs is stopped.
//
// The catalog keeps what DuckDB has no place for, and BigQuery's rules:
// datasets' locations (a job only sees datasets in its location),
// partitioning, clustering and expiration from PARTITION BY, CLUSTER BY
// and OPTIONS (stripped before DuckDB sees the statement), no DDL on
// permanent tables inside a transaction, no replacing a table by one
// partitioned differently or a view by a table, BigQuery's not-found and
// already-exists messages, a `;` inside parentheses refused.
//
// Scripts: DECLARE (at the start of the script or a block), SET (also SET
// (a, b) = (SELECT AS STRUCT ...)), IF/ELSEIF/ELSE with their conditions
// evaluated, BEGIN ... EXCEPTION WHEN ERROR THEN ... END, RAISE [USING
// MESSAGE = expr], BEGIN TRANSACTION / COMMIT / ROLLBACK (an error leaves
// nothing of the transaction), @@row_count and @@error.message.
//
// # The SQL it understands
//
// Queries: SELECT (DISTINCT, * EXCEPT/REPLACE, AS STRUCT, AS VALUE), WITH,
// joins, UNNEST in FROM and in x IN UNNEST(...), subqueries, ARRAY(...),
// set operations, GROUP BY, HAVING, QUALIFY, WINDOW and window functions,
// ORDER BY (NULLs first ascending, as BigQuery), LIMIT/OFFSET; array
// subscripts OFFSET/ORDINAL. DML: INSERT, UPDATE [FROM], DELETE, MERGE
// (a target row matched by two source rows is an error, as in BigQuery),
// TRUNCATE TABLE. DDL: CREATE [OR REPLACE] [TEMP] TABLE (columns, AS
// query) and VIEW, CREATE/DROP/ALTER SCHEMA, DROP TABLE/VIEW, ALTER TABLE
// RENAME TO, RENAME COLUMN, ADD COLUMN, DROP COLUMN, ALTER COLUMN SET DATA
// TYPE (widening only), SET OPTIONS. Literals of every scalar type (with
// GoogleSQL's escapes, raw and bytes strings; 1.5 is a FLOAT64), typed
// literals, ARRAY<T>[...], STRUCT(...), INTERVAL; the types INT64,
// FLOAT64, NUMERIC, BIGNUMERIC, STRING, BYTES, BOOL, DATE, DATETIME,
// TIMESTAMP, TIME, JSON, INTERVAL, ARRAY and STRUCT. Functions: the list
// in translate_funcs.go and translate_time.go (aggregates, window,
// string, math, hashing, JSON, date and time functions, SAFE_CAST and
// SAFE.*).
//
// Anything else fails the job with invalidQuery naming what the fake does
// not support (a function, an operator, a clause, a statement): the fake
// never guesses. Words that are not GoogleSQL keywords are names, so
// DuckDB-only syntax (ILIKE, FILTER, ::) is refused too.
//
// BigQuery's rules that DuckDB does not have are applied: results name
// anonymous columns f0_, f1_, ...; duplicate column names, CREATE TABLE
// or VIEW ... AS with an anonymous column, DELETE or UPDATE without WHERE,
// QUALIFY without WHERE, GROUP BY or HAVING, an INSERT ... SELECT of a
// column of another kind of type than the table's (a STRING into an
// INT64, a TIMESTAMP into a DATETIME), DDL in a transaction and ALTER
// COLUMN SET DATA TYPE other than a widening are refused.
//
// Limits: DuckDB is the engine, so some results differ from BigQuery's
// at the edges. Type checking is looser elsewhere: between numeric types
// in INSERT, in MERGE's INSERT and UPDATE, in comparisons (DuckDB casts a
// STRING compared with an INT64), and GROUP BY, ORDER BY or DISTINCT on
// ARRAY, STRUCT or JSON values are allowed. DuckDB types some expressions
// otherwise (NUMERIC / NUMERIC is a FLOAT64). Table and dataset names are
// case-insensitive; variables are not scoped to their block. BIGNUMERIC
// holds 38 digits (DECIMAL(38, 18)); FARM_FINGERPRINT is DuckDB's hash,
// not FarmHash's values; DATE_DIFF and DATETIME_DIFF count part
// boundaries and TIMESTAMP_DIFF whole parts, as in BigQuery's examples.
// Column descriptions are not kept, expiration is recorded but never
// applies, and bytes processed are an estimate. Views created with
// tables.insert, query parameters, INFORMATION_SCHEMA, EXECUTE IMMEDIATE,
// loops, CALL, ASSERT, schema autodetection in loads, loads of Avro, ORC
// or nested Parquet columns are not supported.
//
// # Scripting by tests
//
// Tests can still script what a statement does:
//
//   - [Server.OnQuery] gives the statements matching a pattern a result:
//     a SELECT gets its schema and rows instead of running; a CREATE TABLE
//     ... AS gets the rows (or, with a schema only, runs and is then
//     conformed to the schema: missing columns added, others retyped); a
//     DML statement gets its statistics instead of running; a dry run
//     reports the schema. A rule with only a Duration or BytesProcessed
//     does not replace the statement: the job stays RUNNING that long (so
//     that it can be cancelled) and then runs.
//   - [Server.FailJob] makes matching statements fail with a reason and
//     message (optionally only the first n times, to test retries);
//   - [Server.FailRequest] makes HTTP calls fail before or after they are
//     handled (a lost response to jobs.insert tests that the client's retry
//     with the same job id never runs a job twice).
//   - [Server.AddDataset] and [Server.AddTable] make datasets and empty
//     tables (a table without a schema is only in the catalog).
//
// Statistics are plausible: bytes processed default to 1 MiB per table a
// statement reads, billed bytes are rounded up to whole MiB with BigQuery's
// 10 MiB minimum, and maximumBytesBilled is enforced with BigQuery's
// message.
package bqfake
