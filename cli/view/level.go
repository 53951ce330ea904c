package view

import (
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/freshness"
	"github.com/mart-dev/mart/runner"
)

// Levels are dbt's --log-level values, least to most shown.
var Levels = []string{"none", "error", "warn", "info", "debug"}

// Level wraps a view for dbt's --log-level: "error" reports what --quiet
// reports (what goes wrong, and what the command was asked to show),
// "warn" adds the warnings (warning diagnostics, tests and sources that
// warn, and their runs' summaries), "none" reports only what the command
// was asked to show (ls's list, show's rows, a dry run's plan, diff's
// differences, debug's checks): not even the error it stops with, whose
// exit code tells. "info" shows everything but the debug-level events
// (PartialParse); "debug" shows them too.
func Level(v View, level string) View {
	switch level {
	case "none":
		return none{quiet{v}}
	case "error":
		return Quiet(v)
	case "warn":
		return warnLevel{quiet{v}}
	case "debug":
		return v
	}
	return infoLevel{v}
}

// infoLevel is every event but the debug-level ones.
type infoLevel struct{ View }

func (infoLevel) PartialParse(PartialParse) {}

type warnLevel struct{ quiet }

func (w warnLevel) Diagnostics(ds compiler.Diagnostics) {
	w.View.Diagnostics(ds)
}

func (w warnLevel) Warn(msg string) { w.View.Warn(msg) }

func (w warnLevel) NodeFinished(n *compiler.Node, r *runner.NodeResult, i, total int) {
	if r.Status == runner.StatusWarn {
		w.View.NodeFinished(n, r, i, total)
		return
	}
	w.quiet.NodeFinished(n, r, i, total)
}

func (w warnLevel) RunFinished(rr *runner.Results) {
	if c := countResults(rr); c.warn > 0 {
		w.View.RunFinished(rr)
		return
	}
	w.quiet.RunFinished(rr)
}

func (w warnLevel) FreshnessChecked(r *freshness.Result, i, total int) {
	if r.Status == freshness.StatusWarn {
		w.View.FreshnessChecked(r, i, total)
		return
	}
	w.quiet.FreshnessChecked(r, i, total)
}

func (w warnLevel) FreshnessFinished(rs []*freshness.Result, elapsed time.Duration) {
	if countFreshness(rs)[freshness.StatusWarn] > 0 {
		w.View.FreshnessFinished(rs, elapsed)
		return
	}
	w.quiet.FreshnessFinished(rs, elapsed)
}

func (w warnLevel) ExtractWarning(t extract.TableInfo, msg string) { w.View.ExtractWarning(t, msg) }

// none reports what the command was asked to show, nothing else.
type none struct{ quiet }

func (none) Diagnostics(compiler.Diagnostics)                          {}
func (none) Error(error)                                               {}
func (none) NodeFinished(*compiler.Node, *runner.NodeResult, int, int) {}
func (none) RunFinished(*runner.Results)                               {}
func (none) FreshnessChecked(*freshness.Result, int, int)              {}
func (none) FreshnessFinished([]*freshness.Result, time.Duration)      {}
func (none) ExtractFinished(extract.TableResult)                       {}
func (none) ExtractSummary(*extract.Results)                           {}
