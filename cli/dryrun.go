package cli

import (
	"context"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/warehouse"
)

// estimator is a warehouse that can tell what a statement would cost
// without running it (BigQuery's dry runs).
type estimator interface {
	Estimate(ctx context.Context, sql string) (warehouse.Estimate, error)
}

// costAdapter is an adapter whose warehouses are estimators: --dry-run
// connects only to those, and changes nothing anywhere else (opening a
// DuckDB file would create it).
type costAdapter interface {
	EstimatesCosts() bool
}

// dryRun prints the plan instead of running it. Where the warehouse can
// estimate a statement's cost (BigQuery), each step that runs SQL is
// estimated too; that needs a connection, and a step that cannot be
// estimated (often: its parent is not built yet) fails the command.
func (g *globals) dryRun(res *compiler.Result, p *plan.Plan) error {
	report := view.PlanReport{Plan: p, TargetType: res.Target.Type, TargetName: res.Target.Name}
	var probe warehouse.Warehouse
	if ca, ok := res.Target.Adapter.(costAdapter); ok && ca.EstimatesCosts() {
		w, err := g.openWarehouse(res)
		if err != nil {
			return err
		}
		defer w.Close()
		probe = w
	}
	if est, ok := probe.(estimator); ok {
		report.Estimates, report.Failed = map[string]warehouse.Estimate{}, map[string]error{}
		for _, s := range p.Steps {
			n := res.Manifest.Node(s.ID)
			if !s.Action.Runs() || s.Action == plan.Seed || s.Action == plan.UnitTest || n.CompiledCode == "" {
				continue
			}
			e, err := est.Estimate(g.ctx, n.CompiledCode)
			if err != nil {
				report.Failed[s.ID] = err
				continue
			}
			report.Estimates[s.ID] = e
		}
	}
	g.v.Planned(report)
	if len(report.Failed) > 0 {
		return &exitError{ExitFailure, nil}
	}
	return nil
}
