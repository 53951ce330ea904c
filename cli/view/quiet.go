package view

import (
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/freshness"
	"github.com/mart-dev/mart/runner"
)

// Quiet wraps a view for --quiet (-q), dbt's "suppress all non-error
// logging": what goes wrong is reported (error diagnostics, a node that
// errors or fails and the summary of a run that had one, a stale source,
// a table that failed to land, the command's error) and so is what the
// command was asked to show (ls's list, show's rows, --dry-run's plan,
// diff's differences, debug's checks); progress, warnings and summaries
// of what went well are not.
func Quiet(v View) View { return quiet{v} }

type quiet struct{ View }

// IsHuman says whether v writes text for people (the human view, quiet or
// not), rather than JSON events.
func IsHuman(v View) bool {
	_, ok := Unquiet(v).(*Human)
	return ok
}

// Unquiet is the view v wraps under --quiet (or a --log-level), or v: what a command was
// asked to print (print() of a macro, diff's markdown) goes through it.
func Unquiet(v View) View {
	switch q := v.(type) {
	case quiet:
		return q.View
	case warnLevel:
		return q.View
	case none:
		return q.View
	case infoLevel:
		return q.View
	}
	return v
}

func (q quiet) Diagnostics(ds compiler.Diagnostics) {
	if errs := ds.Errors(); len(errs) > 0 {
		q.View.Diagnostics(errs)
	}
}

func (q quiet) Info(string)               {}
func (q quiet) PartialParse(PartialParse) {}
func (q quiet) Warn(string)               {}
func (q quiet) Compiled(Compiled)         {}
func (q quiet) RunStarted(RunStart)       {}
func (q quiet) DAGWritten(DAGReport)      {}

func (q quiet) NodeFinished(n *compiler.Node, r *runner.NodeResult, i, total int) {
	if r.Status == runner.StatusError || r.Status == runner.StatusFail {
		q.View.NodeFinished(n, r, i, total)
	}
}

func (q quiet) RunFinished(rr *runner.Results) {
	if c := countResults(rr); c.errors+c.fail > 0 || rr.Interrupted {
		q.View.RunFinished(rr)
	}
}

func (q quiet) FreshnessChecked(r *freshness.Result, i, total int) {
	if r.Status == freshness.StatusError || r.Status == freshness.StatusRuntimeError {
		q.View.FreshnessChecked(r, i, total)
	}
}

func (q quiet) FreshnessFinished(rs []*freshness.Result, elapsed time.Duration) {
	if c := countFreshness(rs); c[freshness.StatusError]+c[freshness.StatusRuntimeError] > 0 {
		q.View.FreshnessFinished(rs, elapsed)
	}
}

func (q quiet) ExtractStarted(extract.TableInfo)         {}
func (q quiet) ExtractProgress(extract.Progress)         {}
func (q quiet) ExtractWarning(extract.TableInfo, string) {}

func (q quiet) ExtractFinished(r extract.TableResult) {
	if r.Status == extract.StatusError {
		q.View.ExtractFinished(r)
	}
}

func (q quiet) ExtractSummary(res *extract.Results) {
	if countExtract(res)[extract.StatusError] > 0 {
		q.View.ExtractSummary(res)
	}
}
