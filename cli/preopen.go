package cli

import (
	"reflect"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/internal/phase"
	"github.com/mart-dev/mart/warehouse"
)

// A command that builds (an Airflow task's `mart build --select m`, say)
// spends about as long opening the warehouse as compiling the project:
// DuckDB reads its catalog, some 90 ms for the 1,000 relations of the
// bench project. The two do not depend on each other once the target is
// known, so the warehouse opens on another goroutine while the project
// renders. That opening is speculative (warehouse.OpenOptions): it creates
// nothing, so a project that fails to compile leaves no database file or
// schema behind, and any failure just means opening again, the usual way
// and with the usual messages, once the project compiled.
//
// A run with --defer also reads --state's manifest.json and attaches the
// state's relations ahead (on DuckDB, production's database file: its
// catalog takes as long to read as the warehouse's own). That creates
// nothing either; an attach that fails ahead is made again, and reported,
// where the run defers (attachState).

// preopened is a warehouse being opened while the project compiles.
type preopened struct {
	target *compiler.Target
	done   chan struct{}
	wh     warehouse.Warehouse
	err    error
	// with --defer: the state attached ahead (nil when it was not)
	state     *selection
	stateName func(warehouse.Relation) warehouse.Relation
	stateAt   map[string]string // the location it was attached by
}

// attachedAhead is the state attached to a warehouse opened ahead.
type attachedAhead struct {
	wh   warehouse.Warehouse
	dir  string
	at   map[string]string
	name func(warehouse.Relation) warehouse.Relation
}

// deferAhead makes the warehouse opened ahead attach --state's relations
// too, for a run with --defer.
func (g *globals) deferAhead(f *runFlags) {
	if f.deferring.enabled && f.sel.state != "" {
		f.sel.prepareState()
		g.aheadState = &f.sel
	}
}

// startPreopen is compiler.Options.OnTarget.
func (g *globals) startPreopen(proj *compiler.Project, t *compiler.Target) {
	p := &preopened{target: t, done: make(chan struct{}), state: g.aheadState}
	g.pre = p
	if p.state != nil {
		go func() { _, _ = p.state.stateOf() }() // read while the warehouse opens
	}
	go func() {
		defer close(p.done)
		p.wh, p.err = t.Adapter.Open(g.ctx, t.Target, warehouse.OpenOptions{ProjectDir: proj.Dir, Speculative: true})
		if p.err != nil || p.state == nil {
			return
		}
		a, ok := p.wh.(stateAttacher)
		if !ok {
			return
		}
		// where the state's database is: the manifest's metadata, read
		// from its head (or once the file is split), in the bytes read
		// before the patch wrote (--state may be target/)
		if p.state.stateRead() != nil {
			return
		}
		meta, ok := compiler.StateMetadata(p.state.opened.data)
		if !ok {
			st, err := p.state.stateOf()
			if err != nil {
				return
			}
			meta = st.Metadata
		}
		name, err := a.AttachState(g.ctx, warehouse.StateLocation{Dir: p.state.state, Recorded: meta.Location, ProjectDir: proj.Dir})
		if err == nil {
			p.stateName, p.stateAt = name, meta.Location
		}
	}()
}

// takePreopened returns the warehouse opened ahead for target t, or nil
// when there is none or it could not be opened.
func (g *globals) takePreopened(t *compiler.Target) warehouse.Warehouse {
	p := g.pre
	if p == nil {
		return nil
	}
	g.pre = nil
	<-p.done
	if p.err != nil {
		return nil
	}
	if p.target != t && !sameTarget(p.target, t) {
		_ = p.wh.Close()
		return nil
	}
	phase.Mark("open warehouse (ahead)")
	if p.stateName != nil {
		g.attached = &attachedAhead{wh: p.wh, dir: p.state.state, at: p.stateAt, name: p.stateName}
	}
	return p.wh
}

// releasePreopened closes a warehouse opened ahead that the command did
// not take (its project failed to compile, or nothing was selected).
func (g *globals) releasePreopened() {
	if p := g.pre; p != nil {
		g.pre = nil
		<-p.done
		if p.err == nil {
			_ = p.wh.Close()
		}
	}
}

// sameTarget reports whether two loads of a target name the same
// warehouse with the same settings.
func sameTarget(a, b *compiler.Target) bool {
	return a.Name == b.Name && a.Profile == b.Profile && a.Type == b.Type && a.File == b.File &&
		reflect.DeepEqual(a.Settings, b.Settings) && reflect.DeepEqual(a.Target, b.Target)
}
