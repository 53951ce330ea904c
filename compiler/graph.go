package compiler

import (
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// Graph is the project's DAG: an edge runs from a parent to each child.
type Graph struct {
	g     *simple.DirectedGraph
	ids   []string       // gonum id -> unique id
	index map[string]int // unique id -> gonum id
}

func newGraph(m *Manifest) *Graph {
	g := &Graph{g: simple.NewDirectedGraph(), index: map[string]int{}}
	all := m.AllIDs()
	for i, id := range all {
		g.ids = append(g.ids, id)
		g.index[id] = i
		g.g.AddNode(simple.Node(int64(i)))
	}
	for _, id := range all {
		for _, p := range m.Node(id).DependsOn.Nodes {
			pi, ok := g.index[p]
			if !ok || p == id {
				continue
			}
			g.g.SetEdge(simple.Edge{F: simple.Node(int64(pi)), T: simple.Node(int64(g.index[id]))})
		}
	}
	return g
}

// IDs returns every unique id, sorted.
func (g *Graph) IDs() []string { return append([]string(nil), g.ids...) }

// Parents returns the direct parents of a node, sorted.
func (g *Graph) Parents(id string) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	return g.collect(g.g.To(int64(i)))
}

// Children returns the direct children of a node, sorted.
func (g *Graph) Children(id string) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	return g.collect(g.g.From(int64(i)))
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
	sorted, err := topo.SortStabilized(g.g, func(ns []graph.Node) {
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
	_, err := topo.Sort(g.g)
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
