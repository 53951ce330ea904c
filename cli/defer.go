package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// deferFlags are --defer and --favor-state.
type deferFlags struct {
	enabled    bool
	favorState bool
}

func (d *deferFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&d.enabled, "defer", false, "read the parents that are not selected, and not built in this target, from --state's environment")
	cmd.Flags().BoolVar(&d.favorState, "favor-state", false, "with --defer: read every parent that is not selected from --state's environment, even one built in this target")
}

// stateAttacher is a warehouse that can read a previous run's relations.
type stateAttacher interface {
	AttachState(ctx context.Context, loc warehouse.StateLocation) (func(warehouse.Relation) warehouse.Relation, error)
}

// attachState makes --state's relations readable from wh and returns how
// wh names them.
func (g *globals) attachState(wh warehouse.Warehouse, sel *selection) (func(warehouse.Relation) warehouse.Relation, *compiler.Manifest, error) {
	if sel.state == "" {
		return nil, nil, badInput("this needs --state DIR, the target directory of the run to compare with (its manifest.json)")
	}
	prev, err := sel.stateManifestOf()
	if err != nil {
		return nil, nil, err
	}
	a, ok := wh.(stateAttacher)
	if !ok {
		return nil, nil, badInput("the %s adapter cannot read another environment's relations", wh.Name())
	}
	name, err := a.AttachState(g.ctx, warehouse.StateLocation{Dir: sel.state, Recorded: prev.Metadata.Location, ProjectDir: g.projectDir})
	if err != nil {
		return nil, nil, badInput("--state: %v", err)
	}
	return name, prev, nil
}

// attachStateIfGiven attaches --state's relations, when the command was
// given --state and the warehouse can read another environment's, for
// commands that only query: a view built with --defer, or cloned, reads
// them (on DuckDB, the attached catalog mart_state) and cannot be queried
// without. A state without a database to attach is not an error here:
// the command then reads this target only, as it would without --state.
func (g *globals) attachStateIfGiven(wh warehouse.Warehouse, sel *selection) {
	if sel.state == "" {
		return
	}
	if _, ok := wh.(stateAttacher); !ok {
		return
	}
	_, _, _ = g.attachState(wh, sel)
}

// deferTo applies --defer to a compiled result for a run of ids on wh.
func (g *globals) deferTo(res *compiler.Result, wh warehouse.Warehouse, ids []string, sel *selection, d deferFlags) (*compiler.Result, error) {
	name, prev, err := g.attachState(wh, sel)
	if err != nil {
		return nil, err
	}
	opt := compiler.DeferOptions{State: prev, Relation: func(n *compiler.Node) (string, string, string, string) {
		r := name(warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias})
		return r.Database, r.Schema, r.Name, wh.RelationSQL(r)
	}}
	if !d.favorState {
		exists, err := existing(g.ctx, wh, res.Manifest)
		if err != nil {
			return nil, fmt.Errorf("--defer: listing this target's relations: %w", err)
		}
		opt.Exists = func(n *compiler.Node) bool {
			return exists[warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias}]
		}
	}
	out, deferred := res.Defer(ids, opt)
	if len(deferred) > 0 {
		g.v.Info(fmt.Sprintf("Deferring %d relation%s to the state in %s.", len(deferred), plural(len(deferred)), sel.state))
	}
	return out, nil
}

// existing lists the relations of the schemas the manifest's models, seeds
// and snapshots live in.
func existing(ctx context.Context, wh warehouse.Warehouse, m *compiler.Manifest) (map[warehouse.Relation]bool, error) {
	schemas := map[[2]string]bool{}
	for _, n := range m.Nodes {
		switch n.ResourceType {
		case compiler.TypeModel, compiler.TypeSeed, compiler.TypeSnapshot:
			schemas[[2]string{n.Database, n.Schema}] = true
		}
	}
	out := map[warehouse.Relation]bool{}
	for s := range schemas {
		rels, err := wh.ListRelations(ctx, s[0], s[1])
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			out[warehouse.Relation{Database: s[0], Schema: s[1], Name: r.Name}] = true
		}
	}
	return out, nil
}
