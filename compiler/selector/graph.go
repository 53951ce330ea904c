package selector

import (
	"math/bits"
	"slices"
	"strings"
)

// index is the graph as dense integer ids, built once per Select. Node
// numbers follow the graph map's iteration order (Graph.Order's when set);
// Select sorts its output. Edges are built on first use, since many
// selections need none.
type index struct {
	ids   []string
	nodes []*Node
	pos   map[string]int32 // built by position
	given [][]int32        // Graph.Parents, when set with Order
	opt   *Options
	state []uint8 // per node: 0 not yet known, 1 enabled, 2 disabled; see off

	parents  *adjacency         // built by edges
	children *adjacency         // built by edges
	flat     [][]string         // FQNs with dotted segments split, built by flatFQN
	byWord   map[string][]int32 // built by words
	fqnScans int                // FQN atoms evaluated by scanning, see candidates
	selected map[string]bitset  // what each selector: names selects, see selectorMatcher
}

func buildIndex(g *Graph, opt *Options) *index {
	ix := &index{opt: opt}
	if g == nil {
		return ix
	}
	ix.state = make([]uint8, len(g.Nodes))
	if len(g.Order) == len(g.Nodes) && g.Order != nil {
		ix.nodes = g.Order
		ix.ids = make([]string, len(g.Order))
		for i, n := range g.Order {
			ix.ids[i] = n.UniqueID
		}
		if len(g.Parents) == len(g.Order) {
			ix.given = g.Parents
		}
		return ix
	}
	ix.ids = make([]string, 0, len(g.Nodes))
	ix.nodes = make([]*Node, 0, len(g.Nodes))
	for id, n := range g.Nodes {
		if n != nil {
			ix.ids = append(ix.ids, id)
			ix.nodes = append(ix.nodes, n)
		}
	}
	return ix
}

// position returns the number of the node with unique id id.
func (ix *index) position(id string) (int32, bool) {
	if ix.pos == nil {
		ix.pos = make(map[string]int32, len(ix.ids))
		for i, id := range ix.ids {
			ix.pos[id] = int32(i)
		}
	}
	p, ok := ix.pos[id]
	return p, ok
}

// edges builds parents and children from DependsOn. Unknown ids (macros,
// missing nodes) are ignored. Disabled nodes keep their edges; walk and
// addTests never step onto them.
func (ix *index) edges() {
	if ix.parents != nil {
		return
	}
	n := len(ix.nodes)
	par := &adjacency{off: make([]int32, n+1)}
	nchild := make([]int32, n+1)
	for i, node := range ix.nodes {
		start := len(par.to)
		if ix.given != nil {
			for _, p := range ix.given[i] {
				par.to = append(par.to, p)
				nchild[p+1]++
			}
			par.off[i+1] = int32(len(par.to))
			continue
		}
		for _, dep := range node.DependsOn {
			if p, ok := ix.position(dep); ok && !slices.Contains(par.to[start:], p) {
				par.to = append(par.to, p)
				nchild[p+1]++
			}
		}
		par.off[i+1] = int32(len(par.to))
	}
	// Children: counting sort of the same edges by parent.
	for i := range n {
		nchild[i+1] += nchild[i]
	}
	ch := &adjacency{off: nchild, to: make([]int32, len(par.to))}
	fill := slices.Clone(nchild[:n])
	for i := range n {
		for _, p := range par.of(int32(i)) {
			ch.to[fill[p]] = int32(i)
			fill[p]++
		}
	}
	ix.parents, ix.children = par, ch
}

// adjacency lists the neighbours of every node in one array: those of node
// i are to[off[i]:off[i+1]].
type adjacency struct {
	off []int32
	to  []int32
}

func (a *adjacency) of(i int32) []int32 { return a.to[a.off[i]:a.off[i+1]] }

// enabled is false for nodes marked Disabled or whose config says
// enabled: false.
func enabled(n *Node) bool {
	b, ok := n.Config["enabled"].(bool)
	return !n.Disabled && (!ok || b)
}

// off reports whether node i is disabled. dbt leaves disabled nodes out of
// the graph: they are never matched and no edge leads through them. The
// answer is cached, so only nodes selection touches pay for the lookup.
func (ix *index) off(i int32) bool {
	if ix.state[i] == 0 {
		ix.state[i] = 1
		if !enabled(ix.nodes[i]) {
			ix.state[i] = 2
		}
	}
	return ix.state[i] == 2
}

// dropDisabled removes disabled nodes from s.
func (ix *index) dropDisabled(s bitset) {
	for _, i := range s.appendTo(nil) {
		if ix.off(i) {
			s.clear(i)
		}
	}
}

// walk returns seeds plus every node reachable from them along adj within
// depth steps (Unlimited: any number) without passing through a disabled
// node, as one multi-source BFS.
func (ix *index) walk(seeds bitset, adj *adjacency, depth int) bitset {
	out := seeds.clone()
	if depth == 0 {
		return out
	}
	frontier := seeds.appendTo(nil)
	var next []int32
	for d := 0; len(frontier) > 0 && (depth < 0 || d < depth); d++ {
		next = next[:0]
		for _, i := range frontier {
			for _, j := range adj.of(i) {
				if !out.has(j) && !ix.off(j) {
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
		for _, c := range ix.children.of(i) {
			if rt := ix.nodes[c].ResourceType; (rt == "test" || rt == "unit_test") && !s.has(c) && !ix.off(c) {
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
		var seen [5]string
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
			if w, ok := versionWord(n); ok {
				add(w)
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
func (b bitset) clear(i int32)    { b[i>>6] &^= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) clone() bitset    { return slices.Clone(b) }

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

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
