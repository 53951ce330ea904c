package cli

import (
	"context"
	"fmt"
	"maps"

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
func (g *globals) attachState(wh warehouse.Warehouse, sel *selection) (func(warehouse.Relation) warehouse.Relation, *compiler.StateManifest, error) {
	if sel.state == "" {
		return nil, nil, badInput("this needs --state DIR, the target directory of the run to compare with (its manifest.json)")
	}
	prev, err := sel.stateOf()
	if err != nil {
		return nil, nil, err
	}
	if at := g.attached; at != nil && at.wh == wh && at.dir == sel.state {
		if !maps.Equal(at.at, prev.Metadata.Location) {
			// (only a file whose metadata key is there twice)
			return nil, nil, badInput("--state: manifest.json's metadata says two places for the state's database")
		}
		return at.name, prev, nil // attached while the project compiled
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
	var rels *relations
	if !d.favorState {
		rels = newRelations(g.ctx, wh)
		opt.Exists = func(n *compiler.Node) bool {
			return rels.exists(warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias})
		}
	}
	out, deferred := res.Defer(ids, opt)
	if err := prev.Err(); err != nil {
		return nil, badInput("--state: %v", err)
	}
	if rels != nil && rels.err != nil {
		return nil, fmt.Errorf("--defer: listing this target's relations: %w", rels.err)
	}
	if len(deferred) > 0 {
		g.v.Info(fmt.Sprintf("Deferring %d relation%s to the state in %s.", len(deferred), plural(len(deferred)), sel.state))
	}
	return out, nil
}

// relations tells whether a relation is in this target. It lists a
// schema's relations once, when a relation of it is first asked about:
// a run reads only its parents' schemas, not every schema the project
// builds in (on BigQuery each is a request). A listing that fails is
// kept in err, and the relations of its schema are not there.
type relations struct {
	ctx    context.Context
	wh     warehouse.Warehouse
	listed map[[2]string]map[string]bool
	err    error
}

func newRelations(ctx context.Context, wh warehouse.Warehouse) *relations {
	return &relations{ctx: ctx, wh: wh, listed: map[[2]string]map[string]bool{}}
}

func (l *relations) exists(r warehouse.Relation) bool {
	key := [2]string{r.Database, r.Schema}
	names, ok := l.listed[key]
	if !ok {
		rels, err := l.wh.ListRelations(l.ctx, r.Database, r.Schema)
		if err != nil {
			if l.err == nil {
				l.err = err
			}
			return false
		}
		names = make(map[string]bool, len(rels))
		for _, x := range rels {
			names[x.Name] = true
		}
		l.listed[key] = names
	}
	return names[r.Name]
}
