package extract

import (
	"context"
	"sync/atomic"
	"time"
)

// Events receives what an extract run does, for the CLI to render as text
// or JSON. Its methods are called from several goroutines at once (one per
// table running).
type Events interface {
	// TableStarted: a table begins.
	TableStarted(t TableInfo)
	// TableProgress: a table's counters, about once a ProgressInterval.
	TableProgress(p Progress)
	// TableWarning: something the user should know that does not fail
	// the table.
	TableWarning(t TableInfo, msg string)
	// TableFinished: a table's result.
	TableFinished(r TableResult)
}

// TableInfo names a table of a run.
type TableInfo struct {
	UniqueID string // source.<project>.<source>.<table>
	Source   string // the source's name
	Table    string // the table's name
	Relation string // where it lands, as the warehouse names it
	From     string // postgres, mysql, mongodb or files
	Mode     string // full, incremental or cdc
	Index    int    // 1-based position in the run
	Total    int    // tables in the run
}

// Progress is a running table's counters.
type Progress struct {
	TableInfo
	// Phase is what the table is doing: "read" (rows), "reconcile"
	// (primary keys, to see deletes), "changes" (CDC) or "files".
	Phase   string
	Rows    int64
	Bytes   int64
	Elapsed time.Duration
	// RowsPerSecond and BytesPerSecond are the averages so far.
	RowsPerSecond, BytesPerSecond float64
	// EstimatedRows is the source's estimate of the table's rows (0:
	// unknown); ETA the time left at the current rate (0: unknown).
	EstimatedRows int64
	ETA           time.Duration
}

// Phases.
const (
	PhaseRead      = "read"
	PhaseReconcile = "reconcile"
	PhaseChanges   = "changes"
	PhaseFiles     = "files"
)

// DefaultProgressInterval is how often a running table reports progress.
const DefaultProgressInterval = time.Second

// meter counts a table's rows and bytes and reports them periodically.
type meter struct {
	info     TableInfo
	events   Events
	start    time.Time
	rows     atomic.Int64
	bytes    atomic.Int64
	estimate atomic.Int64
	phase    atomic.Value // string
}

func newMeter(info TableInfo, ev Events) *meter {
	m := &meter{info: info, events: ev, start: time.Now()}
	m.phase.Store(PhaseRead)
	return m
}

// run reports progress every interval until ctx is done.
func (m *meter) run(ctx context.Context, interval time.Duration) {
	if m.events == nil || interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.events.TableProgress(m.progress())
		}
	}
}

func (m *meter) progress() Progress {
	p := Progress{TableInfo: m.info, Phase: m.phase.Load().(string), Rows: m.rows.Load(), Bytes: m.bytes.Load(),
		Elapsed: time.Since(m.start), EstimatedRows: m.estimate.Load()}
	if s := p.Elapsed.Seconds(); s > 0 {
		p.RowsPerSecond, p.BytesPerSecond = float64(p.Rows)/s, float64(p.Bytes)/s
	}
	if p.EstimatedRows > p.Rows && p.RowsPerSecond > 0 {
		p.ETA = time.Duration(float64(p.EstimatedRows-p.Rows) / p.RowsPerSecond * float64(time.Second))
	}
	return p
}
