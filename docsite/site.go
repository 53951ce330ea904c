package docsite

import (
	"hash/fnv"
	"path"
	"slices"

	"github.com/mart-dev/mart/compiler"
)

const (
	// shardSize is how many nodes share a data/n/<k>.js: neighbours in
	// folder order, so a folder's nodes are in one or two files. Fewer,
	// larger files make Generate faster (creating files is a good part of
	// its time) and cost a page ~100 KB of JavaScript at most.
	shardSize = 64
	// testShardSize is about how many tests share a data/t/<k>.js.
	testShardSize = 128
)

// site is the project as the site shows it: the graph's nodes in a stable
// order, the tests that read each one, the last run, the catalog and
// freshness by unique id, and the file each node's details go to.
type site struct {
	in      Input
	md      *markdown
	nodes   []*compiler.Node // models, seeds, snapshots, sources, ...: every node but tests, by unique id
	pos     map[string]int   // unique id -> index in nodes
	tests   []*compiler.Node // tests and unit tests, by unique id
	testsOf map[string][]*compiler.Node
	results map[string]*RunResult
	fresh   map[string]*FreshnessResult

	shardOf    []int   // node index -> shard
	shards     [][]int // shard -> node indexes
	testShards int
}

func newSite(in Input) *site {
	s := &site{in: in, md: newMarkdown(), pos: map[string]int{}, testsOf: map[string][]*compiler.Node{},
		results: map[string]*RunResult{}, fresh: map[string]*FreshnessResult{}}
	m := in.Manifest
	for _, id := range m.AllIDs() {
		n := m.Node(id)
		if isTest(n) {
			s.tests = append(s.tests, n)
			continue
		}
		s.pos[id] = len(s.nodes)
		s.nodes = append(s.nodes, n)
	}
	for _, t := range s.tests {
		for _, p := range testedNodes(t) {
			if _, ok := s.pos[p]; ok {
				s.testsOf[p] = append(s.testsOf[p], t)
			}
		}
	}
	if in.RunResults != nil {
		for i := range in.RunResults.Results {
			r := &in.RunResults.Results[i]
			s.results[r.UniqueID] = r
		}
	}
	if in.Freshness != nil {
		for i := range in.Freshness.Results {
			f := &in.Freshness.Results[i]
			s.fresh[f.UniqueID] = f
		}
	}
	s.assignShards()
	return s
}

func isTest(n *compiler.Node) bool {
	return n.ResourceType == compiler.TypeTest || n.ResourceType == compiler.TypeUnitTest
}

// testedNodes are the nodes a test is listed under: the node it is
// attached to (a unit test's model), and every node it reads.
func testedNodes(t *compiler.Node) []string {
	out := slices.Clone(t.DependsOn.Nodes)
	if t.AttachedNode != "" && !slices.Contains(out, t.AttachedNode) {
		out = append(out, t.AttachedNode)
	}
	if t.UnitTest != nil && t.UnitTest.Model != "" && !slices.Contains(out, t.UnitTest.Model) {
		out = append(out, t.UnitTest.Model)
	}
	return out
}

// dir is the folder of a node's file, "" at the project's root.
func dir(n *compiler.Node) string {
	d := path.Dir(n.Path)
	if d == "." {
		return ""
	}
	return d
}

// assignShards cuts the nodes, in folder order and by unique id within a
// folder, into shards of shardSize, and sizes the test shards.
func (s *site) assignShards() {
	order := make([]int, len(s.nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if da, db := dir(s.nodes[a]), dir(s.nodes[b]); da != db {
			if da < db {
				return -1
			}
			return 1
		}
		return a - b
	})
	s.shardOf = make([]int, len(s.nodes))
	for _, i := range order {
		if k := len(s.shards) - 1; k < 0 || len(s.shards[k]) == shardSize {
			s.shards = append(s.shards, nil)
		}
		k := len(s.shards) - 1
		s.shards[k] = append(s.shards[k], i)
		s.shardOf[i] = k
	}
	if len(s.tests) > 0 {
		s.testShards = (len(s.tests) + testShardSize - 1) / testShardSize
	}
}

// testShard is the shard of a test's details: FNV-1a of its unique id, so
// the browser finds it without an index (app/data.js computes the same).
func (s *site) testShard(id string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int(h.Sum32() % uint32(s.testShards))
}
