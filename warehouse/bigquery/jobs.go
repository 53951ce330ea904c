package bigquery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/mart-dev/mart/warehouse"
)

// jobKind says how a job may be retried.
type jobKind int

const (
	// atomicJob is all-or-nothing (one statement, a transaction, or a
	// script built to leave nothing changed on failure): a run that failed
	// with a transient error is run again, under a new job id.
	atomicJob jobKind = iota
	// onceJob is user SQL (hooks, Exec) that may have done part of its
	// work before failing: it is never run again.
	onceJob
	// dryRunJob is a dry run: retried like atomicJob, not recorded in the
	// context's warehouse.JobLog (it processes nothing).
	dryRunJob
)

// starter inserts a job with the given id and returns it.
type starter func(ctx context.Context, id string) (*bigquery.Job, error)

// done is a finished, successful job.
type done struct {
	job    *bigquery.Job
	status *bigquery.JobStatus
	stats  warehouse.JobStats
}

// queryStats returns the job's query statistics, or an empty value.
func (d *done) queryStats() *bigquery.QueryStatistics {
	if d.status != nil && d.status.Statistics != nil {
		if q, ok := d.status.Statistics.Details.(*bigquery.QueryStatistics); ok {
			return q
		}
	}
	return &bigquery.QueryStatistics{}
}

// runJob runs a job to completion.
//
// Job ids are made here, not by BigQuery. Inserting a job with a known id
// is idempotent: when an insert fails in transit (5xx, rate limits,
// backendError, a lost response), the client library sends it again with
// the same id; if the first attempt had in fact created the job, BigQuery
// answers "duplicate" and runJob follows the existing job instead of
// starting another. So no statement ever runs twice because of a retried
// request. A job that BigQuery ran and reported failed with a transient
// reason is run again (kind atomicJob only, up to JobRetries times, with
// backoff) under the id "<id>_r<n>".
//
// While runJob waits, cancelling ctx cancels the job in BigQuery and
// returns an error wrapping ctx.Err().
func (w *Warehouse) runJob(ctx context.Context, kind jobKind, start starter) (*done, error) {
	base := newJobID()
	for attempt := 0; ; attempt++ {
		id := base
		if attempt > 0 {
			id = fmt.Sprintf("%s_r%d", base, attempt)
		}
		d, err := w.runOnce(ctx, id, kind, start)
		if err == nil {
			return d, nil
		}
		if ctx.Err() != nil || kind == onceJob || attempt >= w.cfg.JobRetries || !transient(err) {
			return nil, err
		}
		select {
		case <-time.After(w.backoff(attempt + 1)):
		case <-ctx.Done():
			return nil, fmt.Errorf("%w (while waiting to retry after: %v)", ctx.Err(), err)
		}
	}
}

func (w *Warehouse) runOnce(ctx context.Context, id string, kind jobKind, start starter) (*done, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	job, err := start(ctx, id)
	if isDuplicate(err) { // our own earlier attempt created it
		job, err = w.client.JobFromIDLocation(ctx, id, w.cfg.Location)
	}
	if err != nil {
		if ctx.Err() != nil {
			w.cancelByID(id)
			return nil, fmt.Errorf("%w (job %s)", ctx.Err(), id)
		}
		return nil, w.apiError(err, id)
	}
	status, err := w.wait(ctx, job)
	if err != nil {
		return nil, err
	}
	d := &done{job: job, status: status, stats: jobStats(job, status)}
	if kind != dryRunJob {
		warehouse.RecordJob(ctx, d.stats)
	}
	if err := status.Err(); err != nil {
		return nil, w.jobError(err, job)
	}
	return d, nil
}

// wait polls the job until it is done, cancelling it if ctx ends first.
func (w *Warehouse) wait(ctx context.Context, job *bigquery.Job) (*bigquery.JobStatus, error) {
	status := job.LastStatus()
	delay := 50 * time.Millisecond
	for status == nil || !status.Done() {
		select {
		case <-ctx.Done():
			w.cancel(job)
			return nil, fmt.Errorf("%w (job %s cancelled)", ctx.Err(), job.ID())
		case <-time.After(delay):
		}
		delay = min(delay*3/2, time.Second)
		var err error
		status, err = job.Status(ctx)
		if err != nil {
			if ctx.Err() != nil {
				w.cancel(job)
				return nil, fmt.Errorf("%w (job %s cancelled)", ctx.Err(), job.ID())
			}
			return nil, w.apiError(err, job.ID())
		}
	}
	return status, nil
}

// cancel asks BigQuery to stop job, with a fresh context: the caller's is
// usually the one that was cancelled.
func (w *Warehouse) cancel(job *bigquery.Job) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = job.Cancel(ctx)
}

// cancelByID cancels a job whose insert was interrupted: it may or may not
// exist.
func (w *Warehouse) cancelByID(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if job, err := w.client.JobFromIDLocation(ctx, id, w.cfg.Location); err == nil {
		_ = job.Cancel(ctx)
	}
}

func jobStats(job *bigquery.Job, status *bigquery.JobStatus) warehouse.JobStats {
	s := warehouse.JobStats{JobID: job.ID(), Location: job.Location()}
	if status == nil || status.Statistics == nil {
		return s
	}
	st := status.Statistics
	s.BytesProcessed = st.TotalBytesProcessed
	s.SlotMillis = st.TotalSlotDuration.Milliseconds()
	if q, ok := st.Details.(*bigquery.QueryStatistics); ok {
		s.BytesBilled = q.TotalBytesBilled
		s.CacheHit = q.CacheHit
		if q.SlotMillis > 0 {
			s.SlotMillis = q.SlotMillis
		}
	}
	return s
}

// transientReasons are BigQuery error reasons worth another try.
var transientReasons = map[string]bool{
	"backendError": true, "rateLimitExceeded": true, "internalError": true,
	"jobRateLimitExceeded": true, "jobBackendError": true, "jobInternalError": true,
}

// transient reports whether err is worth running the job again.
func transient(err error) bool {
	var je *JobError
	if errors.As(err, &je) {
		return transientReasons[je.Reason] || je.Code >= 500 || je.Code == http.StatusTooManyRequests
	}
	return false
}

func isDuplicate(err error) bool {
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != http.StatusConflict {
		return false
	}
	return len(ge.Errors) == 0 || ge.Errors[0].Reason == "duplicate"
}
