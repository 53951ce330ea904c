package extract

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// Job is one table's extract, handed to its kind of source. Its methods
// are for one goroutine.
type Job struct {
	Info   TableInfo
	Config Config
	// Object is the table or collection to read in the store: the
	// extract block's table:, else the source table's identifier.
	Object string
	// FullRefresh starts over: the raw table is rebuilt and the stored
	// state ignored.
	FullRefresh bool
	// ProjectDir is the project's root (files sources' paths are
	// relative to it).
	ProjectDir string
	// Destination names the warehouse the rows land in (Options.Destination).
	Destination string

	node        *compiler.Node
	vars        map[string]any
	wh          Warehouse
	land        warehouse.Landing
	lt          warehouse.LandTable
	prev        *State // the committed state when the job began (nil: none, or a full refresh)
	replaced    *State // a full refresh's: the committed state it starts over from
	committed   []byte // the state last committed by the job
	truncate    bool   // no commit yet on a full refresh: the next one rebuilds the table
	secrets     secrets
	meter       *meter
	events      Events
	throttle    *throttle
	extractedAt time.Time
	res         *TableResult
}

// DSN renders the dsn (env_var, var) and returns it. Never show it: errors
// the job returns are redacted of it and its password.
func (j *Job) DSN() (string, error) { return j.render("dsn", j.Config.DSN) }

// ReplicaDSN renders replica_dsn ("" when not set).
func (j *Job) ReplicaDSN() (string, error) { return j.render("replica_dsn", j.Config.ReplicaDSN) }

func (j *Job) render(key, tpl string) (string, error) {
	if tpl == "" {
		return "", nil
	}
	file, _ := j.node.Declared()
	s, err := compiler.RenderValue(file, tpl, j.vars)
	if err != nil {
		return "", fmt.Errorf("extract.%s: %w", key, err)
	}
	s = strings.TrimSpace(s)
	j.secrets.add(s)
	if s == "" {
		return "", fmt.Errorf("extract.%s renders empty", key)
	}
	return s, nil
}

// Open opens the landing of the table, keyed by key (enforced: the store
// guarantees it unique), and reads the stream's committed state.
func (j *Job) Open(ctx context.Context, key []string, enforced bool) error {
	j.lt.PrimaryKey, j.lt.KeyEnforced, j.lt.KeepDeleted = key, enforced, j.Config.KeepDeleted
	j.lt.ExtractedAt, j.lt.Rebuild = j.extractedAt, j.FullRefresh
	if j.Config.KeepDeleted && len(key) == 0 {
		return fmt.Errorf("keep_deleted needs a primary key: the table has none; set extract.primary_key")
	}
	l, err := j.wh.Land(ctx, j.lt)
	if err != nil {
		return err
	}
	j.land = l
	b, err := l.State(ctx)
	if err != nil {
		return err
	}
	if j.FullRefresh {
		j.truncate = true
		j.replaced, _ = decodeState(b) // unreadable: nothing to learn from it
		return nil
	}
	st, err := decodeState(b)
	if err != nil {
		return err
	}
	j.prev, j.committed = st, b
	return nil
}

// State returns the stream's committed state when the job began, nil if
// there is none or the run is a full refresh.
func (j *Job) State() *State { return j.prev }

// Replaced returns the committed state a full refresh starts over from
// (after Open; nil without a full refresh, a state, or a readable one):
// what it leaves behind outside the warehouse (a replication slot).
func (j *Job) Replaced() *State { return j.replaced }

// NewState returns a state for this stream, with its identity filled in.
func (j *Job) NewState() *State {
	return &State{Version: stateVersion, Source: j.Info.Source, Table: j.Info.Table, From: j.Config.From, Mode: j.Config.Mode}
}

// Landing returns the open landing (after Open), for kinds that stage
// batches their own way (files).
func (j *Job) Landing() warehouse.Landing { return j.land }

// Stage stages a batch through the landing: fill's rows are counted,
// paced by max_rows_per_second, and appended.
func (j *Job) Stage(ctx context.Context, kind warehouse.BatchKind, cols []warehouse.LandColumn, fill func(add func(row []any) error) error) (int64, error) {
	return j.land.Stage(ctx, warehouse.Batch{Kind: kind, Columns: cols}, func(add func(row []any) error) error {
		return pipe(ctx, func(add func(row []any) error) error {
			return fill(func(row []any) error {
				if err := j.throttle.row(ctx); err != nil {
					return err
				}
				j.meter.rows.Add(1)
				return add(row)
			})
		}, add)
	})
}

// Commit applies the staged batch (or none, with c.NoBatch) and writes
// st, in one transaction. A state equal to the one committed, with no
// batch, commits nothing.
func (j *Job) Commit(ctx context.Context, st *State, c warehouse.LandCommit) error {
	b, err := st.encode()
	if err != nil {
		return err
	}
	if c.NoBatch && !j.truncate && len(c.DeleteFiles) == 0 && bytes.Equal(b, j.committed) {
		return nil
	}
	if !c.NoBatch {
		failpoint("staged")
	}
	c.State = b
	n, err := j.land.Commit(ctx, c)
	if err != nil {
		return err
	}
	j.truncate, j.committed = false, b
	j.res.Inserted += n.Inserted
	j.res.Updated += n.Updated
	j.res.Deleted += n.Deleted
	failpoint("committed")
	return nil
}

// CountRows counts rows a kind landed without Stage (files the
// warehouse read itself).
func (j *Job) CountRows(n int64) { j.meter.rows.Add(n) }

// AddBytes counts bytes read from the source.
func (j *Job) AddBytes(n int64) { j.meter.bytes.Add(n) }

// SetPhase names what the table is doing now (see Progress.Phase); the
// row counter starts again.
func (j *Job) SetPhase(phase string) {
	j.flushRows()
	j.meter.phase.Store(phase)
}

// flushRows adds the rows counted in the current phase to the result's,
// unless they were keys.
func (j *Job) flushRows() {
	n := j.meter.rows.Swap(0)
	if j.meter.phase.Load() != PhaseReconcile {
		j.res.Rows += n
	}
}

// SetEstimate sets the store's estimate of the rows to read, for the ETA.
func (j *Job) SetEstimate(rows int64) { j.meter.estimate.Store(rows) }

// Warn reports something the user should know about the table.
func (j *Job) Warn(format string, args ...any) {
	if j.events != nil {
		j.events.TableWarning(j.Info, j.secrets.redact(fmt.Sprintf(format, args...)))
	}
}

// close ends the landing.
func (j *Job) close() error {
	if j.land == nil {
		return nil
	}
	return j.land.Close()
}
