package plan

import (
	"container/heap"
	"slices"

	"github.com/mart-dev/mart/compiler"
)

// walkParents returns each node's parents within the plan. Ephemeral
// models and nodes outside the selection are looked through, so a selected
// child still waits for its selected grandparents. Tests of a node block
// that node's children (dbt build semantics), unless the child is among
// what the test itself reads.
func walkParents(m *compiler.Manifest, work []string) map[string][]string {
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
	testsBlockChildren(m, work, in, parents)
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
// upstream of it, as dbt build's test edges do (add_test_edges: a
// relationships test from a to b blocks what reads both, not what reads a
// alone; a source's tests block what reads the source): each node waits
// for the tests of what it reads, directly or through nodes the plan does
// not run (a retry runs a failed test and the models it skipped, not the
// model tested: they wait for it again), whose other inputs are upstream
// of it too; what is further down waits through them. A unit test, which
// its model waits for (unitTestsFirst), waits for the tests of its model's
// parents.
func testsBlockChildren(m *compiler.Manifest, work []string, in map[string]bool, parents map[string][]string) {
	testsOf := map[string][]string{} // by each node a test reads
	for _, id := range work {
		n := m.Node(id)
		if n.ResourceType != compiler.TypeTest {
			continue
		}
		for _, d := range n.DependsOn.Nodes {
			if m.Node(d) != nil && !slices.Contains(testsOf[d], id) {
				testsOf[d] = append(testsOf[d], id)
			}
		}
	}
	if len(testsOf) == 0 {
		return
	}
	// upstream: every node upstream of a node, in the project's graph
	// (walked only for a test of several inputs: one input is what the
	// node reads)
	upstream := func(ids ...string) map[string]bool {
		up := map[string]bool{}
		stack := append([]string(nil), ids...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, p := range m.Node(x).DependsOn.Nodes {
				if m.Node(p) != nil && !up[p] {
					up[p] = true
					stack = append(stack, p)
				}
			}
		}
		return up
	}
	// through: what a node reads, directly or through nodes not run,
	// those included
	through := func(id string) []string {
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
		return out
	}
	for _, id := range work {
		n := m.Node(id)
		if n.ResourceType == compiler.TypeTest {
			continue
		}
		read := parents[id]
		unit := n.ResourceType == compiler.TypeUnitTest
		if !unit {
			read = through(id)
		}
		var up map[string]bool
		var add []string
		for _, p := range read {
			for _, t := range testsOf[p] {
				if slices.Contains(add, t) || slices.Contains(parents[id], t) {
					continue
				}
				all := true
				for _, d := range m.Node(t).DependsOn.Nodes {
					if d == p || m.Node(d) == nil {
						continue
					}
					if up == nil {
						if unit { // (what its model's parents are upstream of)
							up = upstream(read...)
							for _, r := range read {
								up[r] = true
							}
						} else {
							up = upstream(id)
						}
					}
					if !up[d] {
						all = false
						break
					}
				}
				if all {
					add = append(add, t)
				}
			}
		}
		parents[id] = append(parents[id], add...)
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
