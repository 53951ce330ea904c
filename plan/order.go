package plan

import (
	"container/heap"
	"slices"

	"github.com/mart-dev/mart/compiler"
)

// walkParents returns each node's parents within the plan. Ephemeral
// models and nodes outside the selection are looked through, so a selected
// child still waits for its selected grandparents. With testEdges (a
// command that builds), tests hold back the nodes they gate
// (testsBlockChildren, dbt build's test edges).
func walkParents(m *compiler.Manifest, work []string, testEdges bool) map[string][]string {
	in := make(map[string]bool, len(work))
	for _, id := range work {
		in[id] = true
	}
	memo := map[string][]string{}
	var effective func(id string, seen map[string]bool) []string
	effective = func(id string, seen map[string]bool) []string {
		if v, ok := memo[id]; ok {
			return v
		}
		var out []string
		for _, p := range m.Node(id).DependsOn.Nodes {
			if seen[p] || m.Node(p) == nil {
				continue
			}
			seen[p] = true
			if in[p] {
				out = append(out, p)
			} else {
				out = append(out, effective(p, seen)...)
			}
		}
		memo[id] = out
		return out
	}
	parents := make(map[string][]string, len(work))
	for _, id := range work {
		parents[id] = effective(id, map[string]bool{})
	}
	unitTestsFirst(m, work, in, parents)
	if testEdges {
		testsBlockChildren(m, work, in, parents)
	}
	return parents
}

// unitTestsFirst runs a model's unit tests before the model, as dbt build
// does (1.8+): a unit test waits for what its model reads, and the model
// for its unit tests, so a failing one skips the model and what depends on
// it, before the warehouse builds anything from logic that is wrong. The
// graph (selection, lineage) keeps the unit test as the model's child;
// only the order of a run changes. A unit test whose model is not run
// waits for the model's own parents as before.
func unitTestsFirst(m *compiler.Manifest, work []string, in map[string]bool, parents map[string][]string) {
	modelParents := map[string][]string{} // before any unit test was added
	for _, id := range work {
		n := m.Node(id)
		if n.ResourceType != compiler.TypeUnitTest || n.AttachedNode == "" || !in[n.AttachedNode] {
			continue
		}
		model := n.AttachedNode
		mp, ok := modelParents[model]
		if !ok {
			mp = append([]string(nil), parents[model]...)
			modelParents[model] = mp
		}
		var own []string // what the unit test reads besides its model
		for _, p := range parents[id] {
			if p != model {
				own = append(own, p)
			}
		}
		parents[id] = append(append([]string(nil), mp...), own...)
		parents[model] = append(parents[model], id)
	}
}

// testsBlockChildren makes a node wait for the tests whose every input is
// upstream of it, as dbt build's test edges do (add_test_edges), in the
// plan's subset of the graph (a test reaches a node through nodes the plan
// does not run: a retry runs a failed test and the models it skipped, not
// the model tested):
//   - a test of one input blocks what reads that input, directly or through
//     nodes not run (what is further down waits through them);
//   - a test of several (a relationships test, a singular test of two
//     models) blocks the first nodes down the graph that have them all
//     upstream: what reads both, or reads two nodes that read one each; a
//     node that reads only one is not held back;
//   - a source's tests block what reads the source;
//   - a test waits for the tests that block a node it reads through nodes
//     not run (dbt joins the edges of a node left out of the subset);
//   - a unit test waits for the tests that block its model, which it runs
//     before (unitTestsFirst): a source test that fails skips both.
func testsBlockChildren(m *compiler.Manifest, work []string, in map[string]bool, parents map[string][]string) {
	single := map[string][]string{} // by its input, the tests of one input
	var multi []string              // the tests of several inputs
	for _, id := range work {
		n := m.Node(id)
		if n.ResourceType != compiler.TypeTest {
			continue
		}
		var deps []string
		for _, d := range n.DependsOn.Nodes {
			if m.Node(d) != nil && !slices.Contains(deps, d) {
				deps = append(deps, d)
			}
		}
		switch len(deps) {
		case 0:
		case 1:
			single[deps[0]] = append(single[deps[0]], id)
		default:
			multi = append(multi, id)
		}
	}
	if len(single)+len(multi) == 0 {
		return
	}
	// through: what a node reads, directly or through nodes not run,
	// those included
	throughMemo := map[string][]string{}
	through := func(id string) []string {
		if out, ok := throughMemo[id]; ok {
			return out
		}
		var out []string
		seen := map[string]bool{}
		stack := []string{id}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, p := range m.Node(x).DependsOn.Nodes {
				if seen[p] || m.Node(p) == nil {
					continue
				}
				seen[p] = true
				out = append(out, p)
				if !in[p] {
					stack = append(stack, p)
				}
			}
		}
		throughMemo[id] = out
		return out
	}
	// below: for the tests of several inputs, the nodes that have them
	// all upstream (the intersection of each input's descendants)
	below := func(string, string) bool { return false }
	if len(multi) > 0 {
		below = belowAll(m, multi)
	}
	blocked := func(t, x string) bool { return below(t, x) }
	// edges: the tests that block node x (any node of the project)
	edgesMemo := map[string][]string{}
	edges := func(x string) []string {
		if out, ok := edgesMemo[x]; ok {
			return out
		}
		var out []string
		read := through(x)
		for _, p := range read {
			for _, t := range single[p] {
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
		for _, t := range multi {
			if !blocked(t, x) {
				continue
			}
			first := true // no node it reads that runs waits for t already
			for _, y := range read {
				if in[y] && blocked(t, y) {
					first = false
					break
				}
			}
			if first && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		edgesMemo[x] = out
		return out
	}
	for _, id := range work {
		n := m.Node(id)
		var add []string
		switch n.ResourceType {
		case compiler.TypeTest:
			for _, x := range through(id) {
				if !in[x] && m.Node(x).ResourceType != compiler.TypeSource {
					add = append(add, edges(x)...)
				}
			}
		case compiler.TypeUnitTest:
			if n.AttachedNode != "" && m.Node(n.AttachedNode) != nil {
				add = edges(n.AttachedNode)
			}
		default:
			add = edges(id)
		}
		for _, t := range add {
			if t != id && !slices.Contains(parents[id], t) {
				parents[id] = append(parents[id], t)
			}
		}
	}
}

// belowAll maps each test of several inputs to the nodes that have all
// its inputs upstream, in the project's graph (bitsets over its nodes
// other than tests: a chain of thousands of models with a relationships
// test each stays small).
func belowAll(m *compiler.Manifest, tests []string) func(t, x string) bool {
	index := map[string]int{}
	var ids []string
	children := map[int][]int{}
	for _, id := range m.AllIDs() {
		if n := m.Node(id); n != nil && n.ResourceType != compiler.TypeTest && n.ResourceType != compiler.TypeUnitTest {
			index[id] = len(ids)
			ids = append(ids, id)
		}
	}
	for i, id := range ids {
		for _, p := range m.Node(id).DependsOn.Nodes {
			if j, ok := index[p]; ok {
				children[j] = append(children[j], i)
			}
		}
	}
	words := (len(ids) + 63) / 64
	descMemo := map[int][]uint64{}
	desc := func(i int) []uint64 {
		if d, ok := descMemo[i]; ok {
			return d
		}
		d := make([]uint64, words)
		stack := []int{i}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, c := range children[x] {
				if d[c>>6]&(1<<(c&63)) == 0 {
					d[c>>6] |= 1 << (c & 63)
					stack = append(stack, c)
				}
			}
		}
		descMemo[i] = d
		return d
	}
	below := make(map[string][]uint64, len(tests))
	for _, t := range tests {
		var all []uint64
		for _, d := range m.Node(t).DependsOn.Nodes {
			i, ok := index[d]
			if !ok {
				continue
			}
			if all == nil {
				all = slices.Clone(desc(i))
				continue
			}
			for w, v := range desc(i) {
				all[w] &= v
			}
		}
		below[t] = all
	}
	return func(t, x string) bool {
		i, ok := index[x]
		b := below[t]
		return ok && b != nil && b[i>>6]&(1<<(i&63)) != 0
	}
}

// order sorts work topologically by parents, taking the smallest ready
// unique id first: the order in which a one-thread run starts the steps.
func order(work []string, parents map[string][]string) []string {
	waiting := make(map[string]int, len(work))
	children := make(map[string][]string, len(work))
	in := make(map[string]bool, len(work))
	for _, id := range work {
		in[id] = true
	}
	for _, id := range work {
		for _, p := range parents[id] {
			if in[p] && p != id {
				waiting[id]++
				children[p] = append(children[p], id)
			}
		}
	}
	ready := &idHeap{}
	for _, id := range work {
		if waiting[id] == 0 {
			heap.Push(ready, id)
		}
	}
	out := make([]string, 0, len(work))
	for ready.Len() > 0 {
		id := heap.Pop(ready).(string)
		out = append(out, id)
		for _, c := range children[id] {
			if waiting[c]--; waiting[c] == 0 {
				heap.Push(ready, c)
			}
		}
	}
	if len(out) < len(work) { // a cycle, which the compile rejects: keep every step
		done := make(map[string]bool, len(out))
		for _, id := range out {
			done[id] = true
		}
		for _, id := range work {
			if !done[id] {
				out = append(out, id)
			}
		}
	}
	return out
}

type idHeap []string

func (h idHeap) Len() int           { return len(h) }
func (h idHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h idHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *idHeap) Push(x any)        { *h = append(*h, x.(string)) }
func (h *idHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
