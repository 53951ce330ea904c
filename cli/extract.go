package cli

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/extract"
	_ "github.com/mart-dev/mart/extract/sources" // postgres, mysql, mongodb, files
	"github.com/mart-dev/mart/openlineage"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

func init() { commands = append(commands, extractCmd) }

type extractFlags struct {
	sel            selection
	threads        int
	fullRefresh    bool
	dryRun         bool
	openLineageURL string
}

func extractCmd(g *globals) *cobra.Command {
	var f extractFlags
	cmd := &cobra.Command{
		Use:   "extract",
		Short: "Land raw data from the operational stores (PostgreSQL, MySQL, MongoDB, files) into the warehouse, for the sources with an extract: block",
		Long: `Land raw data from the operational stores into the warehouse's raw layer, where
source() finds it: every selected source table with an extract: block (docs/extract.md).
Each table reads one consistent snapshot of its store, lands in one transaction with its
state, and a re-run with nothing new changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("threads") && f.threads < 1 {
				return badInput("--threads must be at least 1, got %d", f.threads)
			}
			return g.extract(&f)
		},
	}
	f.sel.noDefault = true // (the selection names the sources to land; a default selector is the builds')
	f.sel.register(cmd)
	cmd.Flags().IntVar(&f.threads, "threads", 0, "tables to extract at once, one source connection each (default: the profile's threads)")
	cmd.Flags().BoolVar(&f.fullRefresh, "full-refresh", false, "reload every selected table from scratch, ignoring its stored state")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "check the extract: blocks and list the tables, without connecting to anything")
	cmd.Flags().StringVar(&f.openLineageURL, "openlineage-url", "", "send OpenLineage run events to this endpoint (default: $OPENLINEAGE_URL)")
	return cmd
}

// extract runs `mart extract`: the selected source tables that have an
// extract: block, into the target's warehouse.
func (g *globals) extract(f *extractFlags) error {
	endpoint, err := lineageEndpoint(f.openLineageURL)
	if err != nil {
		return err
	}
	invocation := newInvocationID()
	g.preopen = !f.dryRun
	res, err := g.compileProject(f.fullRefresh, invocation)
	if err != nil {
		return err
	}
	ids, err := g.selectNodes(res, &f.sel, false)
	if err != nil {
		return err
	}
	var tables []*compiler.Node
	for _, id := range ids {
		if n := res.Manifest.Sources[id]; n != nil && len(n.Extract) > 0 {
			tables = append(tables, n)
		}
	}
	sort.Slice(tables, func(i, k int) bool { return tables[i].UniqueID < tables[k].UniqueID })
	var clashes compiler.Diagnostics
	for _, n := range tables {
		if d, ok := res.ExtractClashes[n.UniqueID]; ok {
			clashes = append(clashes, d)
		}
	}
	if len(clashes) > 0 { // it would overwrite what a node builds
		g.v.Diagnostics(clashes)
		return badInput("%d selected table%s cannot be extracted; nothing was changed", len(clashes), plural(len(clashes)))
	}
	if len(tables) == 0 {
		g.v.Info("Nothing to extract: no selected source table has an extract: block (docs/extract.md).")
		return nil
	}
	if f.dryRun {
		for i, n := range tables {
			g.v.Info(fmt.Sprintf("%d of %d would extract %s.%s from %v into %s", i+1, len(tables), n.SourceName, n.Name, n.Extract["from"], n.Relation))
		}
		return nil
	}
	wh, err := g.openWarehouse(res)
	if err != nil {
		return err
	}
	defer wh.Close()
	lander, ok := wh.(extract.Warehouse)
	if !ok {
		return badInput("the %s adapter cannot land extracted rows; mart extract needs a warehouse that implements extract.Warehouse (duckdb, bigquery)", res.Target.Type)
	}
	threads := f.threads
	if threads <= 0 {
		threads = res.Target.Threads
	}
	interval := extract.DefaultProgressInterval
	if g.logFormat != "json" {
		interval = 5 * time.Second // a line per table every few seconds in a log
	}
	start := time.Now()
	events := &extractEvents{v: g.v}
	lin := g.startLineage(endpoint, res, nil, wh, "extract", invocation)
	if lin != nil {
		events.lin, events.runs, events.vars = lin.emitter, map[string]*openlineage.JobRun{}, res.Project.Vars
		events.nodes = make(map[string]*compiler.Node, len(tables))
		for _, n := range tables {
			events.nodes[n.UniqueID] = n
		}
	}
	out, err := extract.Run(g.ctx, extract.Options{Sources: tables, ProjectDir: res.Project.Dir, Destination: extractDestination(res), Vars: res.Project.Vars,
		Threads: threads, FullRefresh: f.fullRefresh, Warehouse: lander, Events: events, ProgressInterval: interval})
	if lin != nil {
		why := ""
		switch {
		case err != nil:
			why = err.Error()
		case g.ctx.Err() != nil:
			why = "interrupted"
		case out.Err() != nil:
			why = "a table failed"
		}
		lin.finishWith(why)
	}
	if err != nil {
		if ds, ok := err.(compiler.Diagnostics); ok {
			g.v.Diagnostics(ds)
			return badInput("%d error%s in extract: blocks; nothing was extracted", len(ds.Errors()), plural(len(ds.Errors())))
		}
		return &exitError{ExitFailure, err}
	}
	if werr := runner.WriteResults(res.TargetDir(), extractResults(out, time.Since(start)), "extract", invocation, res.Target.Name,
		map[string]any{"select": f.sel.selects, "exclude": f.sel.excludes, "threads": threads, "full_refresh": f.fullRefresh}); werr != nil {
		g.v.Error(fmt.Errorf("writing run_results.json: %w", werr))
	}
	g.v.ExtractSummary(out)
	switch {
	case g.ctx.Err() != nil:
		return &exitError{ExitInterrupted, fmt.Errorf("interrupted: running extracts were rolled back")}
	case out.Err() != nil:
		return &exitError{ExitFailure, nil}
	}
	return nil
}

// extractEvents hands extract's events to the view and, with an
// OpenLineage endpoint, sends a run per table: the store's table in, the
// raw table out.
type extractEvents struct {
	v     view.View
	lin   *openlineage.Emitter
	nodes map[string]*compiler.Node
	vars  map[string]any

	mu   sync.Mutex
	runs map[string]*openlineage.JobRun
}

func (e *extractEvents) TableStarted(t extract.TableInfo) {
	e.v.ExtractStarted(t)
	if e.lin == nil {
		return
	}
	n := e.nodes[t.UniqueID]
	var in []openlineage.Dataset
	if ns, name, err := extract.Dataset(n, e.vars); err == nil {
		in = append(in, openlineage.Dataset{Namespace: ns, Name: name})
	}
	out := []openlineage.Dataset{e.lin.Dataset(warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Identifier})}
	run := e.lin.StartJob(t.UniqueID, "EXTRACT", in, out)
	e.mu.Lock()
	e.runs[t.UniqueID] = run
	e.mu.Unlock()
}

func (e *extractEvents) TableProgress(p extract.Progress)             { e.v.ExtractProgress(p) }
func (e *extractEvents) TableWarning(t extract.TableInfo, msg string) { e.v.ExtractWarning(t, msg) }

func (e *extractEvents) TableFinished(r extract.TableResult) {
	e.v.ExtractFinished(r)
	if e.lin == nil {
		return
	}
	e.mu.Lock()
	run := e.runs[r.UniqueID]
	e.mu.Unlock()
	switch {
	case run == nil:
	case r.Err != nil:
		run.Fail(r.Err.Error())
	default:
		run.Complete(r.Inserted + r.Updated + r.Deleted)
	}
}

// extractResults are an extract's results as run_results.json holds them:
// rows_affected counts the raw table's changes, adapter_response the rest.
func extractResults(out *extract.Results, elapsed time.Duration) *runner.Results {
	rr := &runner.Results{Elapsed: elapsed.Seconds()}
	for _, t := range out.Tables {
		r := &runner.NodeResult{UniqueID: t.UniqueID, Name: t.Table, ResourceType: compiler.TypeSource, Relation: t.Relation,
			Status: runner.Status(t.Status), RowsAffected: t.Inserted + t.Updated + t.Deleted, ExecutionTime: t.Duration.Seconds(),
			Timing: []runner.Timing{}, AdapterResp: map[string]any{"rows_read": t.Rows, "inserted": t.Inserted,
				"updated": t.Updated, "deleted": t.Deleted, "bytes": t.Bytes, "mode": t.Mode, "from": t.From}}
		if !t.StartedAt.IsZero() {
			r.Timing = append(r.Timing, runner.Timing{Name: "extract", StartedAt: t.StartedAt, CompletedAt: t.StartedAt.Add(t.Duration)})
		}
		switch {
		case t.Err != nil:
			r.Message = t.Err.Error()
			r.Error = &runner.NodeError{UniqueID: t.UniqueID, Relation: t.Relation, Message: r.Message}
		case t.Status == extract.StatusSuccess:
			r.Message = fmt.Sprintf("%d rows read", t.Rows)
		default:
			r.Message = "skipped: the run was cancelled before it began"
		}
		rr.Results = append(rr.Results, r)
	}
	return rr
}

// extractDiagnostics checks the project's extract: blocks at compile time,
// so that a typo in one is an error of every command, at its line, and not
// news at 3 a.m. when the extract runs.
func extractDiagnostics(res *compiler.Result) compiler.Diagnostics {
	var tables []*compiler.Node
	for _, n := range res.Manifest.Sources {
		if len(n.Extract) > 0 {
			tables = append(tables, n)
		}
	}
	if len(tables) == 0 {
		return nil
	}
	sort.Slice(tables, func(i, k int) bool { return tables[i].UniqueID < tables[k].UniqueID })
	return extract.Validate(tables)
}

// extractDestination names the warehouse an extract lands in: the target's
// type and location (manifest.json's metadata.location), a relative
// database path made absolute, so that two checkouts' database files are
// two destinations (extract.Options.Destination).
func extractDestination(res *compiler.Result) string {
	loc := res.Manifest.Metadata.Location
	keys := make([]string, 0, len(loc))
	for k := range loc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(res.Target.Type)
	for _, k := range keys {
		v := loc[k]
		if k == "path" && !filepath.IsAbs(v) {
			if dir, err := filepath.Abs(res.Project.Dir); err == nil {
				v = filepath.Join(dir, filepath.FromSlash(v))
			}
		}
		b.WriteString(" " + k + "=" + v)
	}
	return b.String()
}
