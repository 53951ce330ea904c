package compiler

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// Graph is the project's DAG: an edge runs from a parent to each child.
// It is a gonum graph, made the first time an algorithm needs it: a
// compile only has to know that there is no cycle, which acyclic() checks
// on plain slices in a few milliseconds (the gonum graph of a 30,000-node
// project takes 50 ms to make and 40 ms more to sort).
type Graph struct {
	ids     []string       // gonum id -> unique id (sorted)
	index   map[string]int // unique id -> gonum id
	parents [][]int        // gonum id -> its parents' gonum ids

	once sync.Once
	g    *simple.DirectedGraph
}

func newGraph(m *Manifest) *Graph {
	all := m.AllIDs()
	g := &Graph{ids: all, index: make(map[string]int, len(all)), parents: make([][]int, len(all))}
	for i, id := range all {
		g.index[id] = i
	}
	for i, id := range all {
		deps := m.Node(id).DependsOn.Nodes
		if len(deps) == 0 {
			continue
		}
		ps := make([]int, 0, len(deps))
		for _, p := range deps {
			if pi, ok := g.index[p]; ok && pi != i {
				ps = append(ps, pi)
			}
		}
		g.parents[i] = ps
	}
	return g
}

// gonum returns the gonum graph, made on first use.
func (g *Graph) gonum() *simple.DirectedGraph {
	g.once.Do(func() {
		d := simple.NewDirectedGraph()
		for i := range g.ids {
			d.AddNode(simple.Node(int64(i)))
		}
		for i, ps := range g.parents {
			for _, p := range ps {
				d.SetEdge(simple.Edge{F: simple.Node(int64(p)), T: simple.Node(int64(i))})
			}
		}
		g.g = d
	})
	return g.g
}

// acyclic reports whether the graph has no cycle (Kahn's algorithm).
func (g *Graph) acyclic() bool {
	indeg := make([]int, len(g.ids))
	children := make([][]int, len(g.ids))
	for i, ps := range g.parents {
		indeg[i] = len(ps)
		for _, p := range ps {
			children[p] = append(children[p], i)
		}
	}
	queue := make([]int, 0, len(g.ids))
	for i, d := range indeg {
		if d == 0 {
			queue = append(queue, i)
		}
	}
	for k := 0; k < len(queue); k++ {
		for _, c := range children[queue[k]] {
			if indeg[c]--; indeg[c] == 0 {
				queue = append(queue, c)
			}
		}
	}
	return len(queue) == len(g.ids)
}

// IDs returns every unique id, sorted.
func (g *Graph) IDs() []string { return append([]string(nil), g.ids...) }

// Parents returns the direct parents of a node, sorted.
func (g *Graph) Parents(id string) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	return g.collect(g.gonum().To(int64(i)))
}

// Children returns the direct children of a node, sorted.
func (g *Graph) Children(id string) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	return g.collect(g.gonum().From(int64(i)))
}

func (g *Graph) collect(it graph.Nodes) []string {
	var out []string
	for it.Next() {
		out = append(out, g.ids[it.Node().ID()])
	}
	sort.Strings(out)
	return out
}

// Order returns the nodes in a stable topological order (ties by unique id).
func (g *Graph) Order() ([]string, error) {
	sorted, err := topo.SortStabilized(g.gonum(), func(ns []graph.Node) {
		sort.Slice(ns, func(i, j int) bool { return g.ids[ns[i].ID()] < g.ids[ns[j].ID()] })
	})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(sorted))
	for i, n := range sorted {
		out[i] = g.ids[n.ID()]
	}
	return out, nil
}

// Cycle returns one dependency cycle (a, b, ..., a) or nil.
func (g *Graph) Cycle() []string {
	if g.acyclic() {
		return nil
	}
	_, err := topo.Sort(g.gonum())
	if err == nil {
		return nil
	}
	un, ok := err.(topo.Unorderable)
	if !ok || len(un) == 0 {
		return nil
	}
	comps := make([][]string, 0, len(un))
	for _, comp := range un {
		var ids []string
		for _, n := range comp {
			ids = append(ids, g.ids[n.ID()])
		}
		sort.Strings(ids)
		comps = append(comps, ids)
	}
	sort.Slice(comps, func(i, j int) bool { return comps[i][0] < comps[j][0] })
	members := map[string]bool{}
	for _, id := range comps[0] {
		members[id] = true
	}
	// walk from the smallest member along in-component edges until we return
	start := comps[0][0]
	path := []string{start}
	pos := map[string]int{start: 0}
	cur := start
	for {
		var next string
		for _, ch := range g.Children(cur) {
			if members[ch] {
				next = ch
				break
			}
		}
		if next == "" {
			return append(path, start)
		}
		if i, ok := pos[next]; ok {
			return append(path[i:], next)
		}
		pos[next] = len(path)
		path = append(path, next)
		cur = next
	}
}

func cycleDiag(m *Manifest, cycle []string) Diagnostic {
	names := make([]string, len(cycle))
	var files []string
	for i, id := range cycle {
		n := m.Node(id)
		names[i] = n.Name
		if i < len(cycle)-1 {
			files = append(files, fmt.Sprintf("%s (%s)", n.Name, n.Path))
		}
	}
	first := m.Node(cycle[0])
	d := errorf(first.Path, 0, 0, "dependency cycle: %s", strings.Join(names, " -> "))
	d.Detail = "files: " + strings.Join(files, ", ")
	return d
}
