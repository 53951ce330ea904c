// Package view renders what mart's commands report, for a person (text,
// Human) or for a machine (one JSON object per line, JSON), like
// Terraform's views: a command computes a result and hands it to its View;
// no other code prints. With JSON, every line mart writes on stdout and
// stderr is a JSON object with an "event" and a "ts".
//
// Both views write results on stdout, and problems (diagnostics, the
// fatal error of a command) on stderr.
package view

import (
	"io"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/freshness"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// View is how a command reports.
type View interface {
	// Diagnostics reports problems found in the project or its flags.
	Diagnostics(ds compiler.Diagnostics)
	// Error reports the error a command stops with.
	Error(err error)
	// Info reports progress or an outcome in a sentence.
	Info(msg string)
	// PartialParse reports how a command's compile went: target/ patched
	// from its snapshot (partial parsing), or the whole project compiled,
	// and why. Shown at --log-level debug (--debug) only.
	PartialParse(p PartialParse)

	// Compiled reports what `mart compile` wrote.
	Compiled(c Compiled)
	// Listed reports the nodes `mart ls` selected.
	Listed(l Listing)
	// RunStarted introduces a run; NodeFinished reports each node as it
	// ends (index of total); RunFinished sums the run up.
	RunStarted(r RunStart)
	NodeFinished(n *compiler.Node, r *runner.NodeResult, index, total int)
	RunFinished(rr *runner.Results)
	// Planned reports a plan that was not run (--dry-run), with the cost
	// estimates of its steps where the warehouse gives them.
	Planned(p PlanReport)
	// Rows reports a preview of rows (`mart show`).
	Rows(label string, limit int, rows *warehouse.Rows)
	// Check reports one check of `mart debug`.
	Check(c Check)
	// Diffed reports one model's diff (mart diff, mart verify).
	Diffed(d ModelDiff)

	// Warn reports a problem that does not stop the command (a lineage
	// endpoint that does not answer).
	Warn(msg string)
	// DAGWritten reports the Airflow DAG file `mart airflow generate` wrote.
	DAGWritten(d DAGReport)
	// FreshnessChecked reports one source of `mart source freshness`;
	// FreshnessFinished sums them up.
	FreshnessChecked(r *freshness.Result, index, total int)
	FreshnessFinished(results []*freshness.Result, elapsed time.Duration)

	// The events of `mart extract` (extract.Events, called from the
	// tables running at once) and its summary.
	ExtractStarted(t extract.TableInfo)
	ExtractProgress(p extract.Progress)
	ExtractWarning(t extract.TableInfo, msg string)
	ExtractFinished(r extract.TableResult)
	ExtractSummary(res *extract.Results)
}

// PartialParse is how a command compiled the project.
type PartialParse struct {
	// Patched: target/ was patched from the snapshot the last compile
	// kept (or served as it was, nothing having changed); Rendered
	// templates were rendered again.
	Patched  bool
	Rendered int
	// Loaded of Nodes nodes were loaded from the snapshot for a selection
	// (a run, a test, a compile of a selection); 0 of 0 when the command
	// needed none (mart compile, mart ls).
	Loaded, Nodes int
	// Not Patched: why the whole project was compiled, and how many of its
	// Renders were Reused from the render cache (target/partial_parse.gob).
	Reason          string
	Reused, Renders int
}

// New returns the view for a --log-format value ("text" or "json").
func New(format string, stdout, stderr io.Writer) View {
	if format == "json" {
		return &JSON{out: stdout, err: stderr}
	}
	return &Human{out: stdout, err: stderr}
}

// Listing is what `mart ls` lists: its nodes, sorted by unique id, in an
// --output form (name, path, selector or json); for json, and for the
// JSON log format, each node's manifest entry cut to the keys asked for.
type Listing struct {
	Nodes   []*compiler.Node
	Entries [][]byte
	Output  string
}

// Compiled is what `mart compile` wrote.
type Compiled struct {
	Counts    map[string]int // selected nodes by resource type
	Selected  int
	TargetDir string // the target path as the project names it
}

// RunStart introduces a run of a plan.
type RunStart struct {
	Command    string
	Counts     map[string]int // executable steps by resource type
	Threads    int
	TargetType string
	TargetName string
}

// PlanReport is a plan printed instead of run.
type PlanReport struct {
	Plan       *plan.Plan
	TargetType string
	TargetName string
	// Estimates holds, by unique id, what running a step would cost; nil
	// when the warehouse cannot tell. Failed holds the steps it could not
	// estimate, with why (often: a parent relation is not built yet).
	Estimates map[string]warehouse.Estimate
	Failed    map[string]error
}

// Check is one line of `mart debug`.
type Check struct {
	Status  string // OK, FAIL or "" for a detail line
	Message string
}

// DAGReport is the Airflow DAG file `mart airflow generate` wrote.
type DAGReport struct {
	File   string
	DagID  string
	Counts map[string]int // tasks by kind: extract, freshness, build, test
	Edges  int
}
