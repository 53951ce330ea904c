package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

func init() { commands = append(commands, cloneCmd) }

// cloner is a warehouse that can make another environment's relation
// available under a name of its own, cheaply where it can; it says how.
type cloner interface {
	Clone(ctx context.Context, from, to warehouse.Relation) (how string, err error)
}

func cloneCmd(g *globals) *cobra.Command {
	var sel selection
	var fullRefresh bool
	cmd := &cobra.Command{
		Use: "clone",
		Short: "Make --state's tables and views of the selected nodes available in this target (table clones on BigQuery, " +
			"copies on DuckDB), so incremental models in a pull request start from production's rows",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return g.clone(&sel, fullRefresh) },
	}
	sel.register(cmd)
	cmd.Flags().BoolVarP(&fullRefresh, "full-refresh", "f", false, "clone also the relations this target already has (they are replaced)")
	return cmd
}

func (g *globals) clone(sel *selection, fullRefresh bool) error {
	if sel.state == "" {
		return badInput("mart clone needs --state DIR, the target directory of the run to clone from")
	}
	g.preopen = true
	res, ids, err := g.loadSelected(sel, false)
	if err != nil {
		return err
	}
	wh, err := g.openWarehouse(res)
	if err != nil {
		return err
	}
	defer wh.Close()
	c, ok := wh.(cloner)
	if !ok {
		return badInput("the %s adapter cannot clone relations", wh.Name())
	}
	name, prev, err := g.attachState(wh, sel)
	if err != nil {
		return err
	}
	rels := newRelations(g.ctx, wh)
	cloned, skipped := 0, 0
	for _, s := range newPlan(res, ids, []string{compiler.TypeModel, compiler.TypeSeed, compiler.TypeSnapshot}, false).Steps {
		old, err := stateNode(prev, s.ID)
		if err != nil {
			return err
		}
		if s.Writes == nil || old == nil {
			continue
		}
		to := *s.Writes
		if !fullRefresh && rels.exists(to) {
			skipped++
			continue
		}
		if rels.err != nil {
			return &exitError{ExitFailure, rels.err}
		}
		from := name(warehouse.Relation{Database: old.Database, Schema: old.Schema, Name: old.Alias})
		if err := wh.EnsureSchema(g.ctx, to.Database, to.Schema); err != nil {
			return &exitError{ExitFailure, err}
		}
		how, err := c.Clone(g.ctx, from, to)
		if err != nil {
			return &exitError{ExitFailure, fmt.Errorf("cloning %s: %w", s.Name, err)}
		}
		g.v.Info(fmt.Sprintf("cloned %s from %s (%s)", to, from, how))
		cloned++
	}
	msg := fmt.Sprintf("Cloned %d relation%s from %s", cloned, plural(cloned), sel.state)
	if skipped > 0 {
		msg += fmt.Sprintf("; %d already in this target were kept (--full-refresh replaces them)", skipped)
	}
	g.v.Info(msg + ".")
	return nil
}
