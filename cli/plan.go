package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/warehouse"
)

// estimator is a warehouse that can tell what a statement would cost
// without running it (BigQuery's dry runs).
type estimator interface {
	Estimate(ctx context.Context, sql string) (warehouse.Estimate, error)
}

// plan dry-runs every selected statement and prints what it would process.
func (g *globals) plan(res *compiler.Result, wh warehouse.Warehouse, p *plan.Plan) error {
	dr, ok := wh.(estimator)
	if !ok {
		return &exitError{ExitBadInput, fmt.Errorf("--dry-run: the %s adapter cannot estimate a statement's cost without running it", wh.Name())}
	}
	var total int64
	var usd float64
	var pricing string
	var failed int
	for _, s := range p.Steps {
		id := s.ID
		n := res.Manifest.Node(id)
		if !n.IsExecutable() || n.ResourceType == compiler.TypeSeed || n.ResourceType == compiler.TypeUnitTest {
			continue
		}
		sql := n.CompiledCode
		est, err := dr.Estimate(g.ctx, sql)
		bytes := est.BytesProcessed
		if g.logFormat == "json" {
			ev := map[string]any{"unique_id": id, "bytes_processed": bytes}
			if err != nil {
				ev["error"] = err.Error()
			}
			g.event("dry_run", ev)
		} else if err != nil {
			fmt.Fprintf(g.stdout, "  %-8s %-50s %v\n", "ERROR", n.ResourceType+" "+n.Name, firstLine(err.Error()))
		} else {
			fmt.Fprintf(g.stdout, "  %10s  %s %s\n", humanBytes(bytes), n.ResourceType, n.Name)
		}
		if err != nil {
			failed++
			continue
		}
		total += bytes
		usd += est.USD
		pricing = est.Pricing
	}
	cost := usd
	if g.logFormat == "json" {
		g.event("dry_run_summary", map[string]any{"bytes_processed": total, "estimated_usd": cost, "failed": failed})
	} else {
		fmt.Fprintf(g.stdout, "Total: %s processed, about $%.2f at %s; nothing was changed.\n", humanBytes(total), cost, pricing)
		if failed > 0 {
			fmt.Fprintf(g.stdout, "%d statement%s could not be estimated (often: a parent relation is not built yet).\n", failed, plural(failed))
		}
	}
	if failed > 0 {
		return &exitError{ExitFailure, nil}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
