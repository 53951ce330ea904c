package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
)

func init() { commands = append(commands, showCmd) }

func showCmd(g *globals) *cobra.Command {
	var sel selection
	var limit int
	var inline string
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Preview the rows of a model (or of an inline query) without building anything",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 1 {
				return badInput("--limit must be at least 1, got %d", limit)
			}
			g.preopen = true
			// what the preview needs loads from the patch snapshot (an
			// analyst previews a model of a big project after each edit)
			res, ids, err := g.loadToRead(&runFlags{sel: sel, inline: inline != "", inlineText: inline}, newInvocationID())
			if err != nil {
				return err
			}
			wh, err := g.openWarehouse(res)
			if err != nil {
				return err
			}
			defer wh.Close()
			g.attachStateIfGiven(wh, &sel)
			if inline == "" {
				if res, err = g.renderWithWarehouse(res, wh, ids); err != nil {
					return err
				}
			}
			sql, label, err := g.showQuery(res, ids, inline)
			if err != nil {
				return err
			}
			rows, err := wh.Query(g.ctx, sql, limit)
			if err != nil {
				return &exitError{ExitFailure, fmt.Errorf("%s: %w", label, err)}
			}
			g.v.Rows(label, limit, rows)
			return nil
		},
	}
	sel.noDefault = true // (it shows one node, which --select names)
	sel.register(cmd)
	cmd.Flags().IntVar(&limit, "limit", 10, "rows to show")
	cmd.Flags().StringVar(&inline, "inline", "", "a SQL query to preview instead of a model (may use ref/source)")
	return cmd
}

// showQuery is what `mart show` previews: the inline query rendered, or
// the one selected node's compiled SQL (a seed's or a snapshot's table).
func (g *globals) showQuery(res *compiler.Result, ids []string, inline string) (sql, label string, err error) {
	if inline != "" {
		sql, err = res.Renderer.RenderText(g.ctx, "", "--inline", inline, compiler.RenderOptions{})
		if err != nil {
			return "", "", badInput("--inline: %v", err)
		}
		return sql, "inline query", nil
	}
	var picked []*compiler.Node
	for _, id := range ids {
		switch n := res.Manifest.Node(id); n.ResourceType {
		case compiler.TypeModel, compiler.TypeSeed, compiler.TypeSnapshot, compiler.TypeTest:
			picked = append(picked, n)
		}
	}
	if len(picked) != 1 {
		return "", "", badInput("show needs --select matching exactly one model (or --inline 'select ...'); it matched %d", len(picked))
	}
	n := picked[0]
	sql = n.CompiledCode
	if n.ResourceType == compiler.TypeSeed || n.ResourceType == compiler.TypeSnapshot {
		sql = res.Dialect.SelectAll(n.Relation)
	}
	return sql, n.ResourceType + " " + n.Name, nil
}
