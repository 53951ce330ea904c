// Package bqfake is an in-process fake of the BigQuery REST API (v2) for
// tests, served by net/http/httptest. Point the real client at it with
// option.WithEndpoint(server.URL()) and option.WithoutAuthentication() (the
// BigQuery adapter does that when its profile has api_endpoint and no
// credentials).
//
// It serves the calls cloud.google.com/go/bigquery makes for query jobs
// (jobs.insert, jobs.get, jobs.getQueryResults, jobs.cancel), dry runs,
// load jobs (multipart and resumable media uploads), datasets
// (get/insert/delete) and tables (get/list/insert/delete), and it records
// every job: statement, labels, dry-run flag, maximum bytes billed,
// priority, destination, job id and how many times its insert was tried.
//
// It does not execute SQL. What it does understand is the catalog: it keeps
// projects, datasets (with their location) and tables/views, and applies
// the effect of DDL statements to them (CREATE [OR REPLACE] TABLE/VIEW,
// DROP, ALTER TABLE RENAME TO / ADD COLUMN / DROP COLUMN), statement by
// statement through a script, honouring BEGIN TRANSACTION / COMMIT /
// ROLLBACK (DDL on permanent tables inside a transaction is refused, as
// BigQuery does), BEGIN ... EXCEPTION WHEN ERROR THEN ... END blocks and IF
// statements (of which it runs the first branch: it cannot evaluate
// conditions; DECLARE and SET are accepted and ignored). It
// checks that the datasets and tables a statement names with a backticked
// `project.dataset.table` path exist, in the job's location, and it refuses
// a `;` inside parentheses, so a model's SELECT cannot smuggle in a second
// statement. Everything else about SQL is scripted by tests:
//
//   - [Server.OnQuery] gives the statements matching a pattern a result
//     (schema and rows, which also become the schema and row count of a
//     table they create), statistics, or a running time;
//   - [Server.FailJob] makes matching statements fail with a reason and
//     message (optionally only the first n times, to test retries);
//   - [Server.FailRequest] makes HTTP calls fail before or after they are
//     handled (a lost response to jobs.insert tests that the client's retry
//     with the same job id never runs a job twice).
//
// Statistics are plausible: bytes processed default to 1 MiB per table a
// statement reads, billed bytes are rounded up to whole MiB with BigQuery's
// 10 MiB minimum, and maximumBytesBilled is enforced with BigQuery's
// message.
package bqfake
