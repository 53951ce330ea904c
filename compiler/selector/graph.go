package selector

import (
	"math/bits"
	"slices"
	"strings"
)

// index is the graph as dense integer ids, built once per Select. Node
// numbers follow the graph map's iteration order; Select sorts its output.
// Edges are built on first use, since many selections need none.
type index struct {
	ids   []string
	nodes []*Node
	pos   map[string]int32
	opt   *Options

	parents  [][]int32          // built by edges
	children [][]int32          // built by edges
	flat     [][]string         // FQNs with dotted segments split, built by flatFQN
	byWord   map[string][]int32 // built by words
	fqnScans int                // FQN atoms evaluated by scanning, see candidates
}

func buildIndex(g *Graph, opt *Options) *index {
	ix := &index{opt: opt}
	if g == nil {
		return ix
	}
	ix.ids = make([]string, 0, len(g.Nodes))
	ix.nodes = make([]*Node, 0, len(g.Nodes))
	ix.pos = make(map[string]int32, len(g.Nodes))
	for id, n := range g.Nodes {
		if n != nil {
			ix.pos[id] = int32(len(ix.ids))
			ix.ids = append(ix.ids, id)
			ix.nodes = append(ix.nodes, n)
		}
	}
	return ix
}

// edges builds parents and children from DependsOn, in two flat backing
// arrays (CSR layout). Unknown ids (macros, missing nodes) are ignored.
func (ix *index) edges() {
	if ix.parents != nil {
		return
	}
	n := len(ix.nodes)
	ix.parents = make([][]int32, n)
	ix.children = make([][]int32, n)
	npar := make([]int, n)
	nchild := make([]int, n)
	var edges []int32
	for i, node := range ix.nodes {
		start := len(edges)
		for _, dep := range node.DependsOn {
			if p, ok := ix.pos[dep]; ok && !slices.Contains(edges[start:], p) {
				edges = append(edges, p)
				nchild[p]++
			}
		}
		npar[i] = len(edges) - start
	}
	off := 0
	for i, k := range npar {
		ix.parents[i] = edges[off : off+k : off+k]
		off += k
	}
	back := make([]int32, len(edges))
	off = 0
	for i, c := range nchild {
		ix.children[i] = back[off : off : off+c]
		off += c
	}
	for i, ps := range ix.parents {
		for _, p := range ps {
			ix.children[p] = append(ix.children[p], int32(i))
		}
	}
}

// enabled is false only for nodes whose config says enabled: false; dbt
// never selects disabled nodes.
func enabled(n *Node) bool {
	b, ok := n.Config["enabled"].(bool)
	return !ok || b
}

// walk returns seeds plus every node reachable from them along adj within
// depth steps (Unlimited: any number), as one multi-source BFS.
func (ix *index) walk(seeds bitset, adj [][]int32, depth int) bitset {
	out := seeds.clone()
	if depth == 0 {
		return out
	}
	frontier := seeds.appendTo(nil)
	var next []int32
	for d := 0; len(frontier) > 0 && (depth < 0 || d < depth); d++ {
		next = next[:0]
		for _, i := range frontier {
			for _, j := range adj[i] {
				if !out.has(j) {
					out.set(j)
					next = append(next, j)
				}
			}
		}
		frontier, next = next, frontier
	}
	return out
}

// addTests adds the tests and unit tests that have a parent in s (dbt's
// eager indirect selection).
func (ix *index) addTests(s bitset) {
	ix.edges()
	var add []int32
	for _, i := range s.appendTo(nil) {
		for _, c := range ix.children[i] {
			if rt := ix.nodes[c].ResourceType; (rt == "test" || rt == "unit_test") && !s.has(c) {
				add = append(add, c)
			}
		}
	}
	for _, c := range add {
		s.set(c)
	}
}

// flatFQN returns every node's FQN with dotted segments split, as dbt
// flattens them before matching.
func (ix *index) flatFQN() [][]string {
	if ix.flat != nil {
		return ix.flat
	}
	ix.flat = make([][]string, len(ix.nodes))
	for i, n := range ix.nodes {
		ix.flat[i] = flatten(n.FQN)
	}
	return ix.flat
}

// words maps each node's name, last FQN part and first FQN part (with and
// without the package) to the node: every node an FQN selector without
// wildcards can match is listed under the selector or its first part.
func (ix *index) words() map[string][]int32 {
	if ix.byWord != nil {
		return ix.byWord
	}
	ix.byWord = make(map[string][]int32, len(ix.nodes))
	flat := ix.flatFQN()
	for i, n := range ix.nodes {
		var seen [4]string
		k := 0
		add := func(w string) {
			if slices.Contains(seen[:k], w) {
				return
			}
			seen[k] = w
			k++
			ix.byWord[w] = append(ix.byWord[w], int32(i))
		}
		add(n.Name)
		if len(n.FQN) > 0 {
			add(n.FQN[len(n.FQN)-1])
			f := flat[i]
			add(f[0])
			if skip := strings.Count(n.FQN[0], ".") + 1; skip < len(f) {
				add(f[skip])
			}
		}
	}
	return ix.byWord
}

func flatten(fqn []string) []string {
	dotted := false
	for _, seg := range fqn {
		dotted = dotted || strings.Contains(seg, ".")
	}
	if !dotted {
		return fqn
	}
	var out []string
	for _, seg := range fqn {
		out = append(out, strings.Split(seg, ".")...)
	}
	return out
}

// bitset is a set of node numbers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) clone() bitset    { return slices.Clone(b) }

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) andNot(o bitset) {
	for i := range b {
		b[i] &^= o[i]
	}
}

// appendTo appends the members of b in increasing order.
func (b bitset) appendTo(dst []int32) []int32 {
	for w, word := range b {
		for word != 0 {
			t := bits.TrailingZeros64(word)
			dst = append(dst, int32(w*64+t))
			word &= word - 1
		}
	}
	return dst
}
