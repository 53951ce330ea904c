package compiler

import (
	"sort"
	"strings"
)

// DeferOptions say which relations of a previous run a run reads instead
// of its own target's (--defer --state DIR).
type DeferOptions struct {
	// State is the previous run's manifest (a *Manifest, or the
	// *StateManifest a run opens).
	State interface{ Node(id string) *Node }
	// Relation returns how this run's connection names a node of the state
	// (database, schema and name, and its quoted SQL).
	Relation func(n *Node) (database, schema, name, sql string)
	// Exists reports whether this run's target already has the relation of
	// one of its own nodes. Nil defers every unselected parent that the
	// state has (--favor-state).
	Exists func(n *Node) bool
}

// DeferRelation is the state's relation a --defer run read for a node.
type DeferRelation struct {
	Database     string `json:"database"`
	Schema       string `json:"schema"`
	Alias        string `json:"alias"`
	RelationName string `json:"relation_name"`
}

// Deferral is one relation a run reads from the state.
type Deferral struct {
	UniqueID string `json:"unique_id"`
	From     string `json:"from"` // the relation in this run's target
	To       string `json:"to"`   // the state's relation it reads instead
}

// Defer returns the result a run of the selected nodes sees with --defer:
// each parent (model, seed or snapshot; through ephemeral models) that is
// not selected and, unless opt.Exists is nil, not built in this target is
// read from the state when the state has it. The selected nodes' compiled
// SQL names the state's relations and ends with a comment listing them;
// the deferred parents carry the state's relation (so the plan shows what
// is read where); renders at run time (incremental runs, unit tests) name
// them too. The result r is not changed.
func (r *Result) Defer(ids []string, opt DeferOptions) (*Result, []Deferral) {
	m := r.Manifest
	selected := make(map[string]bool, len(ids))
	for _, id := range ids {
		selected[id] = true
	}
	var out []Deferral
	moved := map[string]*Node{}    // deferred parents, with the state's relation
	recorded := map[string]*Node{} // the same, as manifest.json records them
	seen := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if seen[id] || selected[id] {
			return
		}
		seen[id] = true
		n := m.Node(id)
		if n == nil {
			return
		}
		switch {
		case n.ResourceType == TypeModel && n.Materialized() == "ephemeral":
			for _, p := range n.DependsOn.Nodes {
				visit(p)
			}
			return
		case n.ResourceType != TypeModel && n.ResourceType != TypeSeed && n.ResourceType != TypeSnapshot:
			return
		}
		prod := opt.State.Node(id)
		if prod == nil || (opt.Exists != nil && opt.Exists(n)) {
			return
		}
		c := *n
		c.Database, c.Schema, c.Alias, c.Relation = opt.Relation(prod)
		moved[id] = &c
		own := *n
		own.DeferRelation = &DeferRelation{Database: c.Database, Schema: c.Schema, Alias: c.Alias, RelationName: c.Relation}
		recorded[id] = &own
		out = append(out, Deferral{UniqueID: id, From: n.Relation, To: c.Relation})
	}
	for _, id := range ids {
		if n := m.Node(id); n != nil {
			for _, p := range n.DependsOn.Nodes {
				visit(p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UniqueID < out[j].UniqueID })
	if len(out) == 0 {
		return r, nil
	}
	pairs := make([]string, 0, 2*len(out))
	for _, d := range out {
		pairs = append(pairs, d.From, d.To)
	}
	rep := strings.NewReplacer(pairs...)
	rewritten := map[string]*Node{}
	for _, id := range ids {
		n := m.Node(id)
		if n == nil || n.CompiledCode == "" {
			continue
		}
		if sql := rep.Replace(n.CompiledCode); sql != n.CompiledCode {
			c := *n
			c.CompiledCode = sql + deferComment(n.CompiledCode, out)
			rewritten[id] = &c
		}
	}
	for id, n := range moved {
		rewritten[id] = n
	}
	res := *r
	res.Manifest = m.With(rewritten)
	for id, n := range rewritten {
		if recorded[id] == nil {
			recorded[id] = n
		}
	}
	res.written, res.deferred, res.project = m.With(recorded), recorded, m
	res.Renderer = r.Renderer.withReplacer(rep)
	return &res, out
}

// deferComment lists the deferrals that sql reads, as an SQL comment on
// the lines after it.
func deferComment(sql string, ds []Deferral) string {
	var b strings.Builder
	for _, d := range ds {
		if strings.Contains(sql, d.From) {
			b.WriteString("\n   " + d.From + " is read from " + d.To)
		}
	}
	return "\n/* mart --defer:" + strings.ReplaceAll(b.String(), "*/", "* /") + "\n*/"
}

// ReadNodes returns the nodes of m whose relations n's SQL reads: its
// parents, looking through ephemeral models (inlined, so their own
// parents are read), in the order of its parents' unique ids: the plan's
// reads, OpenLineage's inputs. lacks, when not nil, is told the ids
// reached through an ephemeral model that m does not hold (a run loaded
// from the patch snapshot loads them: Patched.Result).
func (m *Manifest) ReadNodes(n *Node, lacks func(id string)) []*Node {
	var out []*Node
	seen := map[string]bool{}
	var visit func(ids []string, through bool)
	visit = func(ids []string, through bool) {
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			p := m.Node(id)
			switch {
			case p == nil:
				if through && lacks != nil {
					lacks(id)
				}
			case p.ResourceType == TypeModel && p.Materialized() == "ephemeral":
				visit(p.DependsOn.Nodes, true)
			default:
				out = append(out, p)
			}
		}
	}
	visit(n.DependsOn.Nodes, false)
	return out
}

// With returns a copy of m in which the given nodes replace those of the
// same unique id; m is not changed.
func (m *Manifest) With(nodes map[string]*Node) *Manifest {
	out := &Manifest{Metadata: m.Metadata, Nodes: copyNodes(m.Nodes), Sources: copyNodes(m.Sources),
		UnitTests: copyNodes(m.UnitTests), Macros: m.Macros, Docs: m.Docs, Disabled: m.Disabled,
		ParentMap: m.ParentMap, ChildMap: m.ChildMap}
	for id, n := range nodes {
		switch {
		case out.Nodes[id] != nil:
			out.Nodes[id] = n
		case out.Sources[id] != nil:
			out.Sources[id] = n
		case out.UnitTests[id] != nil:
			out.UnitTests[id] = n
		}
	}
	return out
}

func copyNodes(m map[string]*Node) map[string]*Node {
	out := make(map[string]*Node, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
