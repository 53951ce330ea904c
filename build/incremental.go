package build

import (
	"context"
	"fmt"

	"github.com/mart-dev/mart/compiler"
)

// runIncremental builds an incremental model: the first run (or a full
// refresh) creates the table; later runs render the model with
// is_incremental() true and apply its strategy.
func (r *Runner) runIncremental(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	rel := relationOf(n)
	_, kind, err := r.wh.Describe(ctx, rel)
	if err != nil {
		return sqlError(n, err)
	}
	full := r.opt.FullRefresh
	if v, ok := n.Config["full_refresh"].(bool); ok {
		full = v
	}
	if kind != "table" || full {
		rows, err := r.wh.CreateTable(ctx, rel, n.CompiledCode, tableOptions(n))
		if err != nil {
			return sqlError(n, err)
		}
		res.RowsAffected = rows
		res.Message = fmt.Sprintf("CREATE TABLE (%d rows)", rows)
		return nil
	}
	sql, err := r.res.Render(n.UniqueID, compiler.RenderOptions{Incremental: true})
	if err != nil {
		return fmt.Errorf("rendering %s for an incremental run: %w", n.Name, err)
	}
	strategy := n.Config.String("incremental_strategy")
	if strategy == "" {
		strategy = "append"
		if len(n.Config.Strings("unique_key")) > 0 {
			strategy = "merge"
		}
	}
	switch strategy {
	case "append":
		rows, err := r.wh.Insert(ctx, rel, sql)
		if err != nil {
			return sqlError(n, err)
		}
		res.RowsAffected = rows
		res.Message = fmt.Sprintf("INSERT %d", rows)
		return nil
	}
	return fmt.Errorf("model %s: incremental_strategy %q is not implemented yet on %s", n.Name, strategy, r.wh.Type())
}
