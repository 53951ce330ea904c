package warehouse

import (
	"context"
	"slices"
	"sync"
)

// JobStats is what an engine reports about one job it ran (a BigQuery query
// or load job). Fields an engine does not report are zero.
type JobStats struct {
	// JobID identifies the job in the engine ("mart_3f2a..." on BigQuery).
	JobID string
	// Location is where the job ran (BigQuery region), if known.
	Location string
	// BytesProcessed and BytesBilled are the bytes the job read and the
	// bytes it was billed for (at least 10 MB per query on BigQuery on
	// demand; 0 on a cache hit).
	BytesProcessed, BytesBilled int64
	// SlotMillis is the slot time the job consumed, in milliseconds.
	SlotMillis int64
	// CacheHit says the result came from the query cache.
	CacheHit bool
}

// JobLog collects the [JobStats] of every job an adapter runs with a
// context made by [WithJobLog]. It is safe for concurrent use.
type JobLog struct {
	mu   sync.Mutex
	jobs []JobStats
}

type jobLogKey struct{}

// WithJobLog returns a context that records the stats of the jobs run with
// it (and with contexts derived from it) into the returned log. The build
// makes one per node and copies log.Total() into run_results.json:
//
//	ctx, log := warehouse.WithJobLog(ctx)
//	rows, err := wh.CreateTable(ctx, rel, sql, opt)
//	stats := log.Total() // bytes processed/billed, slot ms, last job id
func WithJobLog(ctx context.Context) (context.Context, *JobLog) {
	l := &JobLog{}
	return context.WithValue(ctx, jobLogKey{}, l), l
}

// RecordJob adds s to the log of ctx, if it has one. Adapters call it once
// per finished job, failed jobs included (they may have been billed).
func RecordJob(ctx context.Context, s JobStats) {
	if l, ok := ctx.Value(jobLogKey{}).(*JobLog); ok {
		l.mu.Lock()
		l.jobs = append(l.jobs, s)
		l.mu.Unlock()
	}
}

// Jobs returns the recorded jobs in the order they finished.
func (l *JobLog) Jobs() []JobStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.jobs)
}

// Total sums the bytes and slot time of all recorded jobs. Its JobID and
// Location are those of the last job; CacheHit is true only if every job
// was a cache hit.
func (l *JobLog) Total() JobStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	var t JobStats
	t.CacheHit = len(l.jobs) > 0
	for _, j := range l.jobs {
		t.BytesProcessed += j.BytesProcessed
		t.BytesBilled += j.BytesBilled
		t.SlotMillis += j.SlotMillis
		t.CacheHit = t.CacheHit && j.CacheHit
		t.JobID, t.Location = j.JobID, j.Location
	}
	return t
}

// Estimate is what a statement would cost, found without running it (a
// BigQuery dry run). Adapters that can tell have a method
// Estimate(ctx, sql) (Estimate, error); `mart build --dry-run` shows it.
type Estimate struct {
	// BytesProcessed is what the statement would read.
	BytesProcessed int64
	// USD is the price of those bytes at the engine's list price, and
	// Pricing says which ("$6.25/TiB on-demand"): the real bill depends on
	// the account's region, editions and discounts.
	USD     float64
	Pricing string
}
