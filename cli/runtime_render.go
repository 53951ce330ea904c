package cli

import (
	"fmt"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// runTimeRendered lists the selected nodes whose templates query the
// warehouse while they render.
func runTimeRendered(res *compiler.Result, ids []string) []string {
	var out []string
	for _, id := range ids {
		if n := res.Manifest.Node(id); n != nil && n.RunTimeRender {
			out = append(out, id)
		}
	}
	return out
}

// renderWithWarehouse renders those nodes again with the warehouse, as dbt
// compiles them, and returns the result with their SQL; a node that cannot
// be rendered (often: a parent is not built yet) keeps its parse-time SQL,
// with a warning. wh nil opens the target's warehouse.
func (g *globals) renderWithWarehouse(res *compiler.Result, wh warehouse.Warehouse, ids []string) (*compiler.Result, error) {
	nodes := runTimeRendered(res, ids)
	if len(nodes) == 0 {
		return res, nil
	}
	if wh == nil {
		w, err := g.openWarehouse(res)
		if err != nil {
			return nil, err
		}
		defer w.Close()
		wh = w
	}
	rendered := map[string]*compiler.Node{}
	var diags compiler.Diagnostics
	sqls, errs := res.Renderer.RenderNodes(g.ctx, nodes, compiler.RenderOptions{Warehouse: wh}, res.Target.Threads)
	for i, id := range nodes {
		n := res.Manifest.Node(id)
		if errs[i] != nil {
			diags = append(diags, compiler.WarehouseRenderFailed(n, errs[i]))
			continue
		}
		c := *n
		c.CompiledCode = sqls[i]
		rendered[id] = &c
	}
	g.v.Diagnostics(diags)
	g.v.Info(warehouseRenderInfo(len(nodes), res.Target))
	out := *res
	out.Manifest = res.Manifest.With(rendered)
	return &out, nil
}

// warehouseRenderInfo says that n selected nodes were rendered against
// target t's warehouse (`mart compile`'s, patched or not).
func warehouseRenderInfo(n int, t *compiler.Target) string {
	return fmt.Sprintf("%d of the selected nodes query the warehouse or read graph while they render: rendered against the %s target %q.",
		n, t.Type, t.Name)
}
