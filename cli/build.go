package cli

import (
	"context"
	"fmt"
	"github.com/mart-dev/mart/internal/phase"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

func init() {
	extraCommandFuncs = append(extraCommandFuncs,
		func(g *globals) *cobra.Command {
			return runLikeCmd(g, "run", "Build the selected models", []string{compiler.TypeModel}, false)
		},
		func(g *globals) *cobra.Command {
			return runLikeCmd(g, "seed", "Load the selected CSV seeds", []string{compiler.TypeSeed}, false)
		},
		func(g *globals) *cobra.Command {
			return runLikeCmd(g, "snapshot", "Take the selected snapshots", []string{compiler.TypeSnapshot}, false)
		},
		func(g *globals) *cobra.Command {
			return runLikeCmd(g, "test", "Run the data tests and unit tests of the selected nodes",
				[]string{compiler.TypeTest, compiler.TypeUnitTest}, true)
		},
		func(g *globals) *cobra.Command {
			return runLikeCmd(g, "build", "Seed, run, snapshot and test the selected nodes in DAG order",
				[]string{compiler.TypeSeed, compiler.TypeModel, compiler.TypeSnapshot, compiler.TypeTest, compiler.TypeUnitTest}, true)
		},
	)
}

type runFlags struct {
	sel            selection
	threads        int
	fullRefresh    bool
	failFast       bool
	storeFailures  bool
	eventTimeStart string
	eventTimeEnd   string
	dryRun         bool
}

func runLikeCmd(g *globals, name, short string, kinds []string, indirectTests bool) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.runNodes(name, kinds, indirectTests, &f)
		},
	}
	f.sel.register(cmd)
	cmd.Flags().IntVar(&f.threads, "threads", 0, "nodes to run at once (default: the profile's threads)")
	cmd.Flags().BoolVar(&f.fullRefresh, "full-refresh", false, "rebuild incremental models and reload seeds from scratch")
	cmd.Flags().BoolVarP(&f.failFast, "fail-fast", "x", false, "stop at the first failure")
	if name == "test" || name == "build" {
		cmd.Flags().BoolVar(&f.storeFailures, "store-failures", false, "save every failing test's rows to a table")
	}
	if name == "run" || name == "build" {
		cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "change nothing: dry-run every selected statement and print the bytes it would process and its cost (BigQuery)")
		cmd.Flags().StringVar(&f.eventTimeStart, "event-time-start", "", "microbatch: first event time to (re)build, e.g. 2026-03-01")
		cmd.Flags().StringVar(&f.eventTimeEnd, "event-time-end", "", "microbatch: event time to stop before")
	}
	return cmd
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
	return time.Time{}, &exitError{ExitBadInput, fmt.Errorf("--%s: expected a date like 2026-03-01 or a timestamp, got %q", flag, s)}
}

func (g *globals) runNodes(command string, kinds []string, indirectTests bool, f *runFlags) (rerr error) {
	start, err := parseEventTime("event-time-start", f.eventTimeStart)
	if err != nil {
		return err
	}
	end, err := parseEventTime("event-time-end", f.eventTimeEnd)
	if err != nil {
		return err
	}
	invocation := newInvocationID()
	res, err := g.compileProject(f.fullRefresh, invocation)
	if err != nil {
		return err
	}
	ids, err := g.selectNodes(res, &f.sel, indirectTests)
	if err != nil {
		return err
	}
	p := plan.New(res, ids, plan.Options{Kinds: kinds, StoreFailures: f.storeFailures, Hooks: true})
	work := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		work[i] = s.ID
	}
	// target/ is written while the nodes run: the first build of a fresh
	// checkout creates a file per node, which takes a second per few
	// thousand nodes on a slow disk
	wait, err := res.StartWriteTarget(work)
	if err != nil {
		return &exitError{ExitFailure, err}
	}
	defer func() {
		if werr := wait(); werr != nil && rerr == nil {
			rerr = &exitError{ExitFailure, werr}
		}
	}()
	if len(work) == 0 {
		g.say("Nothing to do: the selection matched no %s.", strings.Join(kinds, ", "))
		return nil
	}
	wh, err := openWarehouse(g.ctx, res)
	if err != nil {
		return &exitError{ExitBadInput, err}
	}
	phase.Mark("open warehouse")
	defer func() { wh.Close(); phase.Mark("close warehouse") }()
	threads := f.threads
	if threads <= 0 {
		threads = res.Target.Threads
	}
	if g.logFormat == "text" {
		fmt.Fprintf(g.stdout, "Running %s with %d thread%s on %s target %q\n", summarizeIDs(res, work), threads, plural(threads), res.Target.Type, res.Target.Name)
	}
	if f.dryRun {
		return g.plan(res, wh, p)
	}
	rn := runner.New(res.Manifest, wh, runner.Options{Threads: threads, FullRefresh: f.fullRefresh, FailFast: f.failFast,
		InvocationID: invocation, Target: res.Target.Name, ProjectDir: res.Project.Dir, TestPaths: res.Project.TestPaths,
		Renderer: res.Renderer, StoreFailures: f.storeFailures, EventTimeStart: start, EventTimeEnd: end,
		OnFinish: func(r *runner.NodeResult, i, total int) { g.printNodeResult(res, r, i, total) }})
	rr, runErr := rn.Run(g.ctx, p)
	phase.Mark("run nodes")
	if rr != nil {
		if err := runner.WriteResults(res.TargetDir(), rr, command, invocation, res.Target.Name, map[string]any{"select": f.sel.selects,
			"exclude": f.sel.excludes, "full_refresh": f.fullRefresh, "threads": threads}); err != nil {
			fmt.Fprintln(g.stderr, "error: writing run_results.json:", err)
		}
		g.printSummary(rr)
		phase.Mark("run results")
	}
	if runErr != nil {
		return &exitError{ExitFailure, runErr}
	}
	if rr.Interrupted || g.ctx.Err() != nil {
		return &exitError{130, fmt.Errorf("interrupted: running statements were cancelled")}
	}
	if rr.Failed() {
		return &exitError{ExitFailure, nil}
	}
	return nil
}

func summarizeIDs(res *compiler.Result, ids []string) string {
	counts := map[string]int{}
	for _, id := range ids {
		n := res.Manifest.Node(id)
		if n.IsExecutable() {
			counts[n.ResourceType]++
		}
	}
	return summarize(counts)
}

// openWarehouse connects to the target's warehouse.
func openWarehouse(ctx context.Context, res *compiler.Result) (warehouse.Warehouse, error) {
	return res.Target.Open(ctx, res.Project.Dir)
}

func (g *globals) say(format string, args ...any) {
	if g.logFormat == "json" {
		g.event("info", map[string]any{"message": fmt.Sprintf(format, args...)})
		return
	}
	fmt.Fprintf(g.stdout, format+"\n", args...)
}

func displayRelation(n *compiler.Node) string {
	if n.Schema == "" {
		return n.Alias
	}
	return n.Schema + "." + n.Alias
}

func (g *globals) printNodeResult(res *compiler.Result, r *runner.NodeResult, i, total int) {
	n := res.Manifest.Node(r.UniqueID)
	if g.logFormat == "json" {
		ev := map[string]any{"unique_id": r.UniqueID, "name": r.Name, "resource_type": r.ResourceType, "status": r.Status,
			"index": i, "total": total, "execution_time": r.ExecutionTime, "message": r.Message, "relation": r.Relation}
		if r.RowsAffected >= 0 {
			ev["rows_affected"] = r.RowsAffected
		}
		if r.Failures != nil {
			ev["failures"] = *r.Failures
		}
		if r.CompiledPath != "" {
			ev["compiled_path"] = r.CompiledPath
		}
		if r.StoredIn != "" {
			ev["stored_failures"] = r.StoredIn
		}
		for k, v := range r.AdapterResp {
			ev[k] = v
		}
		g.event("node_finished", ev)
		return
	}
	var what string
	switch r.ResourceType {
	case compiler.TypeTest, compiler.TypeUnitTest:
		what = r.Name
		if r.ResourceType == compiler.TypeUnitTest {
			what = "unit test " + n.UnitTest.Model + "::" + r.Name
		}
	case compiler.TypeSeed:
		what = "seed " + displayRelation(n)
	case compiler.TypeSnapshot:
		what = "snapshot " + displayRelation(n)
	default:
		what = r.Materialized + " " + displayRelation(n)
	}
	var status, info string
	secs := fmt.Sprintf("%.2fs", r.ExecutionTime)
	switch r.Status {
	case runner.StatusSuccess:
		status = "OK"
		switch {
		case r.Materialized == "incremental" || r.ResourceType == compiler.TypeSnapshot:
			// what the strategy did: MERGE n, MICROBATCH k batches ..., CREATE TABLE (n rows)
			info = fmt.Sprintf("[%s in %s]", firstWord(r.Message, "done"), secs)
		case r.RowsAffected >= 0:
			info = fmt.Sprintf("[%s rows in %s]", thousands(r.RowsAffected), secs)
		default:
			info = fmt.Sprintf("[%s in %s]", firstWord(r.Message, "done"), secs)
		}
	case runner.StatusPass:
		status, info = "PASS", fmt.Sprintf("[in %s]", secs)
	case runner.StatusWarn:
		status, info = "WARN", fmt.Sprintf("[%s in %s]", r.Message, secs)
	case runner.StatusFail:
		status, info = "FAIL", fmt.Sprintf("[%s in %s]", r.Message, secs)
	case runner.StatusError:
		status, info = "ERROR", fmt.Sprintf("[in %s]", secs)
	case runner.StatusSkipped:
		status, info = "SKIP", "("+r.SkipReason+")"
	}
	if b, ok := r.AdapterResp["bytes_processed"].(int64); ok && r.Status != runner.StatusSkipped {
		info = strings.TrimSuffix(info, "]") + ", " + humanBytes(b) + " processed]"
	}
	fmt.Fprintf(g.stdout, "%d of %d %s %s %s\n", i, total, status, what, info)
	if r.Status == runner.StatusError {
		fmt.Fprintln(g.stdout, indent(r.Message, "    "))
	}
	if (r.Status == runner.StatusFail || r.Status == runner.StatusWarn) && r.FailingRows != nil {
		fmt.Fprintln(g.stdout, indent(formatRows(r.FailingRows), "    "))
		if r.Failures != nil && *r.Failures > int64(len(r.FailingRows.Values)) {
			fmt.Fprintf(g.stdout, "    (first %d of %d failing rows)\n", len(r.FailingRows.Values), *r.Failures)
		}
	}
	if r.StoredIn != "" && r.Status != runner.StatusPass {
		fmt.Fprintf(g.stdout, "    failing rows stored in %s\n", r.StoredIn)
	}
}

func firstWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func indent(s, pad string) string {
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func (g *globals) printSummary(rr *runner.Results) {
	counts := map[runner.Status]int{}
	for _, r := range rr.Results {
		if r.ResourceType == compiler.TypeModel && r.Materialized == "ephemeral" {
			continue
		}
		counts[r.Status]++
	}
	ok := counts[runner.StatusSuccess] + counts[runner.StatusPass]
	total := ok + counts[runner.StatusWarn] + counts[runner.StatusError] + counts[runner.StatusFail] + counts[runner.StatusSkipped]
	if g.logFormat == "json" {
		g.event("summary", map[string]any{"ok": ok, "warn": counts[runner.StatusWarn], "error": counts[runner.StatusError],
			"fail": counts[runner.StatusFail], "skip": counts[runner.StatusSkipped], "total": total, "elapsed": rr.Elapsed,
			"interrupted": rr.Interrupted})
		return
	}
	verdict := "Completed successfully"
	switch {
	case rr.Interrupted:
		verdict = "Interrupted"
	case counts[runner.StatusError]+counts[runner.StatusFail] > 0:
		verdict = "Completed with errors"
	case counts[runner.StatusWarn] > 0:
		verdict = "Completed with warnings"
	}
	fmt.Fprintf(g.stdout, "\n%s in %.2fs: OK=%d WARN=%d ERROR=%d FAIL=%d SKIP=%d TOTAL=%d\n", verdict, rr.Elapsed,
		ok, counts[runner.StatusWarn], counts[runner.StatusError], counts[runner.StatusFail], counts[runner.StatusSkipped], total)
}

// formatRows renders rows as an aligned text table.
func formatRows(rows *warehouse.Rows) string {
	cells := [][]string{{}}
	for _, c := range rows.Columns {
		cells[0] = append(cells[0], c.Name)
	}
	for _, r := range rows.Values {
		line := make([]string, len(r))
		for i, v := range r {
			if v == nil {
				line[i] = "NULL"
			} else {
				line[i] = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(fmt.Sprint(v))
			}
			if t, ok := v.(time.Time); ok {
				line[i] = t.Format("2006-01-02 15:04:05")
				if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
					line[i] = t.Format("2006-01-02")
				}
			}
		}
		cells = append(cells, line)
	}
	widths := make([]int, len(cells[0]))
	for _, r := range cells {
		for i, c := range r {
			if i < len(widths) && len(c) > widths[i] {
				widths[i] = len(c)
			}
		}
	}
	var b strings.Builder
	for ri, r := range cells {
		for i, c := range r {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-len(c)))
			}
		}
		b.WriteByte('\n')
		if ri == 0 {
			for i, w := range widths {
				if i > 0 {
					b.WriteString("-+-")
				}
				b.WriteString(strings.Repeat("-", w))
			}
			b.WriteByte('\n')
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
