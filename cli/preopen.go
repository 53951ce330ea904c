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

// preopened is a warehouse being opened while the project compiles.
type preopened struct {
	target *compiler.Target
	done   chan struct{}
	wh     warehouse.Warehouse
	err    error
}

// startPreopen is compiler.Options.OnTarget.
func (g *globals) startPreopen(proj *compiler.Project, t *compiler.Target) {
	p := &preopened{target: t, done: make(chan struct{})}
	g.pre = p
	go func() {
		defer close(p.done)
		p.wh, p.err = t.Adapter.Open(g.ctx, t.Target, warehouse.OpenOptions{ProjectDir: proj.Dir, Speculative: true})
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
