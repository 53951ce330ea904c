package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/internal/phase"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

func init() {
	commands = append(commands,
		runLike("run", "Build the selected models", false),
		runLike("seed", "Load the selected CSV seeds", false),
		runLike("snapshot", "Take the selected snapshots", false),
		runLike("test", "Run the data tests and unit tests of the selected nodes", true),
		runLike("build", "Seed, run, snapshot and test the selected nodes in DAG order", true),
	)
}

type runFlags struct {
	sel            selection
	deferring      deferFlags
	threads        int
	fullRefresh    bool
	empty          bool // --empty: ref() and source() read no rows
	failFast       bool
	storeFailures  bool
	eventTimeStart string
	eventTimeEnd   string
	dryRun         bool
	summaryFile    string
	openLineageURL string
	// inline: the command reads no node of the selection, only what an
	// inline query or a macro refs (`mart show --inline`, `mart
	// run-operation`): no --select is no node, not every node
	inline     bool
	inlineText string // the inline query (`mart show --inline`)
	// sources: the command reads the selected sources only (`mart source
	// freshness`): no --select is every source
	sources bool
	// compiling: `mart compile --select`, which writes the manifest with
	// the selected nodes that query the warehouse rendered against it: a
	// selection with one compiles the whole project
	compiling bool
	// retrying: the nodes `mart retry` runs again (the last run's failed
	// and skipped ones), instead of a selection
	retrying []string
	// listing: `mart ls` of names, paths or selectors, which the node
	// index holds: the selection loads no node (Patched.Listed), however
	// many it selects, and no --select is every node
	listing bool
}

// runLike makes a command that runs the plan of the selected nodes of its
// kinds (commandKinds).
func runLike(name, short string, indirectTests bool) func(g *globals) *cobra.Command {
	kinds := commandKinds[name]
	return func(g *globals) *cobra.Command {
		var f runFlags
		var types, excludedTypes []string
		cmd := &cobra.Command{
			Use:   name,
			Short: short,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if cmd.Flags().Changed("threads") && f.threads < 1 {
					return badInput("--threads must be at least 1, got %d", f.threads)
				}
				kinds := kinds
				if len(types)+len(excludedTypes) > 0 { // (build and test)
					some, err := resourceTypes(types, excludedTypes)
					if err != nil {
						return err
					}
					kinds = slices.DeleteFunc(slices.Clone(kinds), func(k string) bool { return !slices.Contains(some, k) })
				}
				return g.runNodes(name, kinds, indirectTests, &f)
			},
		}
		if name == "build" || name == "test" {
			// as dbt 1.8's: `mart build --exclude-resource-type unit_test`
			// is how production skips unit tests
			listFlags(cmd.Flags(), &types, "only these resource types (model, seed, snapshot, test, unit_test; all)", "resource-type", "resource-types")
			listFlags(cmd.Flags(), &excludedTypes, "leave out these resource types", "exclude-resource-type", "exclude-resource-types")
		}
		f.sel.register(cmd)
		f.deferring.register(cmd)
		cmd.Flags().IntVar(&f.threads, "threads", 0, "nodes to run at once (default: the profile's threads)")
		refreshHelp := "rebuild incremental models and reload seeds from scratch"
		if name == "test" || name == "snapshot" {
			// accepted, as dbt's wrappers pass it to every command; nothing to rebuild
			refreshHelp = "no effect on " + name + "s (accepted so that scripts may pass it to every command)"
		}
		cmd.Flags().BoolVarP(&f.fullRefresh, "full-refresh", "f", false, refreshHelp)
		cmd.Flags().BoolVarP(&f.failFast, "fail-fast", "x", false, "stop at the first failure")
		cmd.Flags().StringVar(&f.summaryFile, "summary-file", "", "also append a markdown summary of the run to this file (e.g. $GITHUB_STEP_SUMMARY)")
		cmd.Flags().StringVar(&f.openLineageURL, "openlineage-url", "", "send OpenLineage run events to this endpoint (default: $OPENLINEAGE_URL)")
		cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "change nothing: print the plan (and, on BigQuery, the bytes each statement would process and its cost)")
		if name == "test" || name == "build" {
			cmd.Flags().BoolVar(&f.storeFailures, "store-failures", false, "save every failing test's rows to a table")
		}
		if name == "run" || name == "build" {
			cmd.Flags().BoolVar(&f.empty, "empty", false, "ref() and source() read no rows, as dbt's --empty: every selected model's SQL runs, quickly, on empty inputs (a CI check of the SQL and its columns)")
			cmd.Flags().StringVar(&f.eventTimeStart, "event-time-start", "", "microbatch: first event time to (re)build, e.g. 2026-03-01")
			cmd.Flags().StringVar(&f.eventTimeEnd, "event-time-end", "", "microbatch: event time to stop before")
		}
		return cmd
	}
}

func parseEventTime(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, badInput("--%s: expected a date like 2026-03-01 or a timestamp, got %q", flag, s)
}

// runArgs are a run's flags, recorded in run_results.json's args so that
// `mart retry` runs again with the same ones.
type runArgs struct {
	Select         []string `json:"select"`
	Exclude        []string `json:"exclude"`
	State          string   `json:"state,omitempty"`
	FullRefresh    bool     `json:"full_refresh"`
	Empty          bool     `json:"empty,omitempty"`
	Threads        int      `json:"threads"`
	FailFast       bool     `json:"fail_fast,omitempty"`
	StoreFailures  bool     `json:"store_failures,omitempty"`
	EventTimeStart string   `json:"event_time_start,omitempty"`
	EventTimeEnd   string   `json:"event_time_end,omitempty"`
	Target         string   `json:"target,omitempty"`
	Profile        string   `json:"profile,omitempty"`
	Vars           string   `json:"vars,omitempty"`
	VarsRedacted   bool     `json:"vars_redacted,omitempty"` // secrets in Vars were masked (redactVars)
	Defer          bool     `json:"defer,omitempty"`
	FavorState     bool     `json:"favor_state,omitempty"`
	RetryOf        string   `json:"retry_of,omitempty"`
	// dbt's names (its run_results.json's args)
	WarnError        bool   `json:"warn_error,omitempty"`
	WarnErrorOptions string `json:"warn_error_options,omitempty"`
}

func (a runArgs) asMap() map[string]any {
	b, _ := json.Marshal(a)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func (f *runFlags) args(g *globals, threads int) runArgs {
	vars, redacted := redactVars(g.vars)
	return runArgs{Select: f.sel.selects, Exclude: f.sel.excludes, State: f.sel.state, FullRefresh: f.fullRefresh,
		Empty: f.empty, Threads: threads, FailFast: f.failFast, StoreFailures: f.storeFailures, EventTimeStart: f.eventTimeStart,
		EventTimeEnd: f.eventTimeEnd, Target: g.target, Profile: g.profile, Vars: vars, VarsRedacted: redacted, Defer: f.deferring.enabled,
		FavorState: f.deferring.favorState, WarnError: g.dbt.warnError, WarnErrorOptions: g.dbt.warnErrorOptions}
}

func (g *globals) runNodes(command string, kinds []string, indirectTests bool, f *runFlags) error {
	if _, err := parseEventTime("event-time-start", f.eventTimeStart); err != nil {
		return err
	}
	if _, err := parseEventTime("event-time-end", f.eventTimeEnd); err != nil {
		return err
	}
	if _, err := lineageEndpoint(f.openLineageURL); err != nil {
		return err
	}
	invocation := newInvocationID()
	g.preopen = !f.dryRun || f.deferring.enabled
	g.empty = f.empty
	g.deferAhead(f)
	res, ids, ok, patched := g.selectFromPatch(f, indirectTests, invocation, false)
	if ok {
		return g.runSelected(command, kinds, res, invocation, ids, f, "")
	}
	// the compile keeps a patch snapshot, so that the next run of a
	// selection loads from it; unless target/ was just patched and the
	// compile can adopt it: the snapshot stays, and the compile writes as
	// if it had loaded from it
	g.patchSnapshot = !patched.Adoptable() && g.partialParse && !g.noPartialParse && !f.dryRun
	g.running = true
	res, err := g.compileProject(f.fullRefresh, invocation)
	if err != nil {
		return err
	}
	defer res.DropPatch() // a snapshot not kept (nothing to run, a failed write)
	if patched.Adopt(res) {
		phase.Mark("adopted the patch")
	}
	ids, err = g.selectNodes(res, &f.sel, indirectTests)
	if err != nil {
		// (target/ as it was: a selection that cannot be made is bad
		// input, and a patch gives it up before it writes)
		return err
	}
	return g.runSelected(command, kinds, res, invocation, ids, f, "")
}

// failedAfterCompile writes target/ (manifest.json, no compiled file) as
// a command that runs nothing does, and returns err: the project
// compiled and its selection was made, and the command fails before it
// runs anything (a seed file that cannot be loaded, a warehouse that does
// not open, a state it cannot defer to). dbt writes its manifest before it
// runs, and a command loaded from the patch snapshot has patched target/
// by then: a whole compile leaving it as it was made the two differ
// (found by review).
func (g *globals) failedAfterCompile(res *compiler.Result, err error) error {
	if werr := g.writeManifestOnly(res); werr != nil {
		g.v.Error(werr)
	}
	return err
}

// writeManifestOnly writes target/ for a run that runs nothing: its
// manifest.json, no compiled file, and the snapshot of its whole compile
// when it makes one (a whole compile takes the last one out as it writes:
// without a new one the next compile would be whole too; found by review).
func (g *globals) writeManifestOnly(res *compiler.Result) error {
	if err := res.WriteTarget(nil); err != nil {
		return err
	}
	if g.patchSnapshot {
		g.keepPatch(res, nil)
	}
	return nil
}

// runSelected runs the plan of the selected nodes of the given kinds.
// retryOf is the invocation a retry re-runs ("" otherwise).
func (g *globals) runSelected(command string, kinds []string, res *compiler.Result, invocation string, ids []string, f *runFlags, retryOf string) (rerr error) {
	start, _ := parseEventTime("event-time-start", f.eventTimeStart)
	end, _ := parseEventTime("event-time-end", f.eventTimeEnd)
	endpoint, err := lineageEndpoint(f.openLineageURL)
	if err != nil {
		return err
	}
	p := newPlan(res, ids, kinds, f.storeFailures)
	if len(p.Steps) == 0 {
		if len(kinds) == 0 { // --resource-type and --exclude-resource-type left none
			g.v.Info(fmt.Sprintf("Nothing to do: mart %s runs %s, and --resource-type and --exclude-resource-type leave none of them.",
				command, strings.Join(commandKinds[command], ", ")))
			return g.writeManifestOnly(res)
		}
		g.v.Info(fmt.Sprintf("Nothing to do: the selection matched no %s.", strings.Join(kinds, ", ")))
		return g.writeManifestOnly(res)
	}
	if err := g.checkSeeds(res, p, f.fullRefresh); err != nil {
		return g.failedAfterCompile(res, err)
	}
	threads := f.threads
	if threads <= 0 {
		threads = res.Target.Threads
	}
	// target/ is written in the background (below) and joined last, once
	// the warehouse is closed: DuckDB checkpoints as it closes, which
	// takes a while on a large database
	var written chan error
	defer func() {
		if written == nil {
			return
		}
		if werr := <-written; werr != nil {
			if rerr == nil {
				rerr = &exitError{ExitFailure, werr}
			} else { // the run failed too: say why target/ was not written
				g.v.Error(werr)
			}
		}
	}()
	var wh warehouse.Warehouse
	if !f.dryRun || f.deferring.enabled {
		w, err := g.openWarehouse(res)
		if err != nil {
			return g.failedAfterCompile(res, err)
		}
		phase.Mark("open warehouse")
		defer func() { w.Close(); phase.Mark("close warehouse") }()
		wh = w
	}
	if f.deferring.enabled {
		// the nodes that run: `mart test` selects models as well as
		// tests, and runs the tests alone, whose parents defer (as dbt
		// test --defer): a selected model that does not run is not built
		// here either (found by review)
		running := make([]string, len(p.Steps))
		for i, s := range p.Steps {
			running[i] = s.ID
		}
		deferred, err := g.deferTo(res, wh, running, &f.sel, f.deferring)
		if err != nil {
			return g.failedAfterCompile(res, err)
		}
		res, p = deferred, newPlan(deferred, ids, kinds, f.storeFailures)
	}
	// target/ is written while the nodes run: the first build of a fresh
	// checkout creates a file per node, which takes a second per few
	// thousand nodes on a slow disk
	work := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		work[i] = s.ID
	}
	keep := g.patchSnapshot
	wait, err := res.StartWriteTarget(work)
	if err != nil {
		return &exitError{ExitFailure, err}
	}
	written = make(chan error, 1)
	go func() {
		werr := wait()
		if werr == nil && keep {
			g.keepPatch(res, work)
		}
		written <- werr
	}()
	if f.dryRun {
		return g.dryRun(res, p)
	}
	g.v.RunStarted(view.RunStart{Command: command, Counts: stepCounts(p), Threads: threads,
		TargetType: res.Target.Type, TargetName: res.Target.Name})
	opt := runner.Options{Threads: threads, FullRefresh: f.fullRefresh, FailFast: f.failFast,
		InvocationID: invocation, StoreFailures: f.storeFailures, EventTimeStart: start, EventTimeEnd: end,
		WarnError: g.dbt.warnErrors.promotes(eventTestResult), Which: command}
	lin := g.startLineage(endpoint, res, p, wh, command, invocation)
	lin.hook(&opt)
	rr, runErr := g.run(res, wh, p, opt)
	lin.finish(rr, runErr)
	if rr != nil {
		args := f.args(g, threads)
		args.RetryOf = retryOf
		if err := runner.WriteResults(res.TargetDir(), rr, command, invocation, res.Target.Name, args.asMap()); err != nil {
			g.v.Error(fmt.Errorf("writing run_results.json: %w", err))
		}
		g.v.RunFinished(rr)
		if f.summaryFile != "" {
			if err := appendFile(f.summaryFile, view.MarkdownRun(command, res.Target.Name, rr)+"\n"); err != nil {
				g.v.Error(fmt.Errorf("--summary-file: %w", err))
			}
		}
		phase.Mark("run results")
	}
	switch {
	case runErr != nil:
		return &exitError{ExitFailure, runErr}
	case rr.Interrupted || g.ctx.Err() != nil:
		return &exitError{ExitInterrupted, fmt.Errorf("interrupted: running statements were cancelled")}
	case rr.Failed():
		return &exitError{ExitFailure, nil}
	}
	return nil
}

// run runs a plan, reporting each node to the view as it finishes.
func (g *globals) run(res *compiler.Result, wh warehouse.Warehouse, p *plan.Plan, opt runner.Options) (*runner.Results, error) {
	opt.Target, opt.ProjectDir, opt.TestPaths = res.Target.Name, res.Project.Dir, res.Project.TestPaths
	opt.TargetDir, opt.TargetPath = res.TargetDir(), res.Project.TargetPath
	opt.Renderer = res.Renderer
	opt.Log, opt.Print = g.v.Info, g.printer()
	also := opt.OnFinish
	opt.OnFinish = func(r *runner.NodeResult, i, total int) {
		g.v.NodeFinished(res.Manifest.Node(r.UniqueID), r, i, total)
		if also != nil {
			also(r, i, total)
		}
	}
	rr, err := runner.New(res.Manifest, wh, opt).Run(g.ctx, p)
	phase.Mark("run nodes")
	return rr, err
}

// stepCounts counts the steps that run, by resource type.
func stepCounts(p *plan.Plan) map[string]int {
	counts := map[string]int{}
	for _, s := range p.Steps {
		if s.Action.Runs() {
			counts[s.ResourceType]++
		}
	}
	return counts
}

// checkSeeds validates the CSV files of the plan's seeds before anything
// runs: a file that is not valid CSV (or does not fit its column_types) is
// bad input, reported at its row, and nothing is changed. Loading scans
// the file again; seeds are small.
func (g *globals) checkSeeds(res *compiler.Result, p *plan.Plan, fullRefresh bool) error {
	bad := 0
	for _, s := range p.Steps {
		n := res.Manifest.Node(s.ID)
		if n == nil || n.ResourceType != compiler.TypeSeed || n.SeedPath == "" {
			continue
		}
		_, err := warehouse.ScanSeed(g.ctx, filepath.Join(res.Project.Dir, n.SeedPath), runner.SeedOptions(n, fullRefresh))
		var se *warehouse.SeedError
		if errors.As(err, &se) {
			se.File = n.SeedPath // the path as the user knows it
			g.v.Error(fmt.Errorf("seed %s: %w", n.Name, err))
			bad++
		}
	}
	if bad > 0 {
		return badInput("%d seed file%s cannot be loaded; nothing was changed", bad, plural(bad))
	}
	return nil
}
