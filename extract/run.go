package extract

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// Warehouse is what extract needs of the warehouse it lands into: a
// landing session per table (warehouse/duckdb and warehouse/bigquery
// implement it).
type Warehouse interface {
	Land(ctx context.Context, t warehouse.LandTable) (warehouse.Landing, error)
}

// Options of a run.
type Options struct {
	// Sources are the source tables to extract (compiler nodes of
	// resource type "source", each with an extract: block), run in this
	// order as threads allow.
	Sources []*compiler.Node
	// ProjectDir is the project's root directory.
	ProjectDir string
	// Destination names the warehouse the run lands in (the target's
	// type and location, a database file's absolute path): what a
	// source-side name that must be one per consumer (a PostgreSQL
	// replication slot) is derived from, with the raw table.
	Destination string
	// Vars are the project's vars (with --vars applied), for var() in DSNs.
	Vars map[string]any
	// Threads is how many tables run at once (default 1). Each table uses
	// one connection to its source.
	Threads int
	// FullRefresh rebuilds every table from scratch, ignoring stored state.
	FullRefresh bool
	// Warehouse receives the rows.
	Warehouse Warehouse
	// Events, when set, receives progress (see Events).
	Events Events
	// ProgressInterval is how often a running table reports progress
	// (default DefaultProgressInterval; negative: never).
	ProgressInterval time.Duration
}

// Run extracts the tables of opt.Sources. It first validates every
// table's extract: block and returns compiler.Diagnostics (and no results)
// when one is invalid. Otherwise every table gets a result; a table that
// fails (see TableResult.Err and Results.Err) does not stop the others.
// Cancelling ctx stops the running tables, rolling back what they had not
// committed, and skips those not begun.
func Run(ctx context.Context, opt Options) (*Results, error) {
	if opt.Warehouse == nil {
		return nil, errors.New("extract: no warehouse to land into")
	}
	if ds := Validate(opt.Sources); ds.HasErrors() {
		return nil, ds
	}
	threads := max(opt.Threads, 1)
	if opt.ProgressInterval == 0 {
		opt.ProgressInterval = DefaultProgressInterval
	}
	start := time.Now()
	res := &Results{Tables: make([]TableResult, len(opt.Sources))}
	sem := make(chan struct{}, threads)
	var wg sync.WaitGroup
	for i, n := range opt.Sources {
		info := tableInfo(n, i, len(opt.Sources))
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			res.Tables[i] = TableResult{TableInfo: info, Status: StatusSkipped,
				Err: &TableError{Source: n.SourceName, Table: n.Name, Err: fmt.Errorf("not run: %w", ctx.Err())}}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res.Tables[i] = runTable(ctx, opt, n, info)
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res, nil
}

func tableInfo(n *compiler.Node, i, total int) TableInfo {
	c, _ := ParseConfig(n.Extract)
	return TableInfo{UniqueID: n.UniqueID, Source: n.SourceName, Table: n.Name, Relation: n.Relation,
		From: c.From, Mode: c.Mode, Index: i + 1, Total: total}
}

// runTable extracts one table and returns its result.
func runTable(ctx context.Context, opt Options, n *compiler.Node, info TableInfo) TableResult {
	cfg, _ := ParseConfig(n.Extract) // validated by Run
	res := TableResult{TableInfo: info, StartedAt: time.Now()}
	if opt.Events != nil {
		opt.Events.TableStarted(info)
	}
	rel := warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Identifier}
	projectDir, err := filepath.Abs(opt.ProjectDir)
	if err != nil {
		projectDir = opt.ProjectDir
	}
	j := &Job{
		Info: info, Config: cfg, Object: firstNonEmpty(cfg.Table, n.Identifier, n.Name), FullRefresh: opt.FullRefresh,
		ProjectDir: projectDir, Destination: opt.Destination, node: n, vars: opt.Vars, wh: opt.Warehouse, events: opt.Events,
		lt: warehouse.LandTable{Table: rel, State: warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: warehouse.ExtractStateTable},
			Stream: n.SourceName + "." + n.Name},
		meter: newMeter(info, opt.Events), throttle: newThrottle(cfg.MaxRowsPerSecond),
		extractedAt: res.StartedAt.UTC().Truncate(time.Microsecond), res: &res,
	}
	mctx, stop := context.WithCancel(ctx)
	go j.meter.run(mctx, opt.ProgressInterval)
	err = extractTable(ctx, j)
	stop()
	err = errors.Join(err, j.close())
	j.flushRows()
	res.Bytes = j.meter.bytes.Load()
	res.Duration = time.Since(res.StartedAt)
	res.Status = StatusSuccess
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		res.Status = StatusError
		res.Err = &TableError{Source: n.SourceName, Table: n.Name, Err: j.secrets.wrap(err)}
	}
	if opt.Events != nil {
		opt.Events.TableFinished(res)
	}
	return res
}

func extractTable(ctx context.Context, j *Job) error {
	k, err := kindOf(j.Config.From)
	if err != nil {
		return err
	}
	if !contains(k.Modes, j.Config.Mode) {
		return fmt.Errorf("mode %s is not offered by %s sources (they offer %v)", j.Config.Mode, j.Config.From, k.Modes)
	}
	return k.Extract(ctx, j)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
