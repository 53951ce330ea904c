// Package bigquery is mart's warehouse adapter for Google BigQuery, through
// cloud.google.com/go/bigquery (no hand-written REST calls).
//
// It owns everything BigQuery-specific behind [warehouse.Warehouse] and
// [warehouse.Incrementer]: the profile ([Config], [ConfigFromSettings],
// [Open]), backtick quoting and `project.dataset.table` names, the DDL of
// tables (PARTITION BY, CLUSTER BY, OPTIONS), views, seeds through load
// jobs, incremental strategies and snapshots as BigQuery scripts, dry runs
// ([Warehouse.DryRun]) and the jobs themselves: ids, labels, retries,
// cancellation and statistics.
//
// # Jobs
//
// Every statement runs as a query job whose id is made by mart
// ("mart_<24 hex digits>"). Inserting a job with a known id is idempotent:
// when jobs.insert fails in transit (HTTP 5xx, rate limits, backendError, a
// lost response) the request is sent again with the same id, and if the
// first attempt had created the job BigQuery answers "duplicate" and mart
// follows that job; so a retry never runs a statement twice. A job that ran
// and failed with a transient reason (backendError, rateLimitExceeded,
// internalError, ...) is run again up to job_retries times, with backoff,
// under "<id>_r<n>", but only when it is all-or-nothing (every statement
// the adapter writes is; Exec's hook SQL is not, and is never re-run).
// Cancelling the context cancels the running job in BigQuery.
//
// Every job carries labels: the profile's `labels`, under those of the
// context ([warehouse.WithJobLabels]: model, invocation id, target), made
// valid for BigQuery (lowercase; letters, digits, _ and -; 63 characters).
// Jobs use the profile's priority, maximum_bytes_billed, job_timeout and
// location. Each finished job's statistics (bytes processed and billed,
// slot milliseconds, job id) are added to the context's
// [warehouse.JobLog], if any ([warehouse.WithJobLog]).
//
// # Atomic replacement
//
// BigQuery's transactions cannot hold DDL on permanent tables, so:
//
//   - CreateTable is one CREATE OR REPLACE TABLE ... AS statement when the
//     relation is absent or a table partitioned and clustered the same way:
//     BigQuery applies it atomically, and a failing SELECT leaves the old
//     table. Otherwise the new table is built under a temporary name first
//     (expiring after a day, in case mart dies) and a script swaps it in
//     (drop the old relation, rename the new table), cleaning up if a step
//     fails.
//   - CreateView over a table renames the table aside, creates the view and
//     drops the table, or renames it back if the view fails.
//   - Incremental runs and snapshots are one script each: the batch is
//     staged in a temporary table, checked, and the rows change inside
//     BEGIN TRANSACTION ... COMMIT TRANSACTION with a handler that rolls back
//     (and drops columns added for on_schema_change) and raises the error.
//
// The golden files in testdata/ pin every statement and script the adapter
// writes; a test parses them all with GoogleSQL's own parser (ZetaSQL).
//
// # Errors
//
// BigQuery's reason and message are kept in a [*JobError]. Problems that
// come from the profile name its key: no credentials (method,
// GOOGLE_APPLICATION_CREDENTIALS), a key file that is missing (keyfile), a
// project that does not exist or may not be used (project), a dataset in
// another location (location), a query over maximum_bytes_billed.
//
// # Testing
//
// Package bqfake is an in-process fake of the REST API that the tests point
// the real client at (Config.APIEndpoint). The opt-in live test runs with
// MART_BIGQUERY_PROJECT set and application default credentials.
package bigquery
