package docsite

import (
	"encoding/json"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/compiler"
)

// indexData is data/index.js: what the first paint, the overview, the
// lineage, selector filters and name search need, for every node but the
// tests. Repeated values (types, folders, FQN prefixes, tag sets, configs,
// statuses) are listed once and nodes refer to them by position, which
// keeps the file small at 10,000 models. docs/docs-site.md documents the
// node row.
type indexData struct {
	Version     int               `json:"v"`
	Project     string            `json:"project"`
	Adapter     string            `json:"adapter"`
	Target      string            `json:"target"`
	GeneratedAt string            `json:"generated_at"`
	Counts      map[string]int    `json:"counts"` // nodes by resource type, tests included
	Run         *runSummary       `json:"run"`
	Catalog     *catalogSummary   `json:"catalog"`
	Freshness   *string           `json:"freshness"` // when it was checked; null: unknown
	Types       []string          `json:"types"`
	Packages    []string          `json:"packages"`
	Dirs        []string          `json:"dirs"`
	FQNs        [][]string        `json:"fqns"`
	Tags        []string          `json:"tags"`
	TagSets     [][]int           `json:"tagsets"`
	Configs     []json.RawMessage `json:"configs"`
	Statuses    []string          `json:"statuses"`
	TestParents [][]int           `json:"test_parents"` // the nodes each test that reads several reads
	Shards      int               `json:"shards"`
	TestShards  int               `json:"test_shards"`
	Nodes       [][]any           `json:"nodes"`
}

type runSummary struct {
	GeneratedAt string         `json:"generated_at"`
	Command     string         `json:"command"`
	Target      string         `json:"target"`
	Elapsed     float64        `json:"elapsed"`
	Statuses    map[string]int `json:"statuses"`
}

type catalogSummary struct {
	GeneratedAt string   `json:"generated_at"`
	Relations   int      `json:"relations"`
	Errors      []string `json:"errors"`
}

// interner numbers distinct values in order of first use.
type interner[T any] struct {
	ids  map[string]int
	list []T
}

func (in *interner[T]) id(key string, v T) int {
	if in.ids == nil {
		in.ids = map[string]int{}
	}
	if id, ok := in.ids[key]; ok {
		return id
	}
	in.ids[key] = len(in.list)
	in.list = append(in.list, v)
	return len(in.list) - 1
}

// values lists the values in order of first use ([] rather than null
// when there are none).
func (in *interner[T]) values() []T {
	if in.list == nil {
		return []T{}
	}
	return in.list
}

// index builds data/index.js's payload. A node row is
//
//	[name, type, package, dir, file, fqn prefix, tag set, config, shard, status, parents(, extra)]
//
// with file 0 when it is name plus the type's usual extension, parents the
// positions of the node's parents in nodes, and extra an object holding
// what cannot be derived: "id" (a unique id other than
// type.package.name), "src" (a source's source name), "fqn" (an FQN that
// does not end with the name).
func (s *site) index() (*indexData, error) {
	m := s.in.Manifest
	d := &indexData{Version: 1, Project: m.Metadata.ProjectName, Adapter: m.Metadata.AdapterType,
		Target: m.Metadata.TargetName, GeneratedAt: m.Metadata.GeneratedAt, Counts: map[string]int{},
		Shards: len(s.shards), TestShards: s.testShards, Nodes: make([][]any, len(s.nodes))}
	for _, id := range m.AllIDs() {
		d.Counts[m.Node(id).ResourceType]++
	}
	var types, pkgs, dirs, tags, statuses interner[string]
	var fqns interner[[]string]
	var tagsets interner[[]int]
	var configs interner[json.RawMessage]
	statuses.id("", "")
	for i, n := range s.nodes {
		cfg, err := json.Marshal(n.Config)
		if err != nil {
			return nil, err
		}
		ts := make([]int, len(n.Tags))
		for k, t := range n.Tags {
			ts[k] = tags.id(t, t)
		}
		row := []any{n.Name, types.id(n.ResourceType, n.ResourceType), pkgs.id(n.Package, n.Package),
			dirs.id(dir(n), dir(n)), fileField(n), 0, tagsets.id(intsKey(ts), ts),
			configs.id(string(cfg), cfg), s.shardOf[i], statuses.id(s.status(n.UniqueID), s.status(n.UniqueID)),
			s.parents(n)}
		extra := map[string]any{}
		if n.UniqueID != derivedID(n) {
			extra["id"] = n.UniqueID
		}
		if n.ResourceType == compiler.TypeSource {
			extra["src"] = n.SourceName
		}
		if k := len(n.FQN); k > 0 && n.FQN[k-1] == n.Name {
			row[5] = fqns.id(strconv.Itoa(k-1)+"\x00"+strings.Join(n.FQN[:k-1], "\x00"), n.FQN[:k-1])
		} else {
			row[5] = fqns.id("0\x00", []string{})
			extra["fqn"] = n.FQN
		}
		if len(extra) > 0 {
			row = append(row, extra)
		}
		d.Nodes[i] = row
	}
	d.Types, d.Packages, d.Dirs, d.FQNs = types.values(), pkgs.values(), dirs.values(), fqns.values()
	d.Tags, d.TagSets, d.Configs, d.Statuses = tags.values(), tagsets.values(), configs.values(), statuses.values()
	d.Run, d.Catalog, d.Freshness = s.runSummary(), s.catalogSummary(), s.freshnessSummary()
	d.TestParents = s.testParents()
	return d, nil
}

// testParents lists, once each, the sets of nodes that one test reads
// when it reads more than one (relationships tests, singular tests). The
// selector's @ operator walks through them, as the CLI's graph does.
func (s *site) testParents() [][]int {
	var sets interner[[]int]
	for _, t := range s.tests {
		ps := s.parents(t)
		if len(ps) > 1 {
			sets.id(intsKey(ps), ps)
		}
	}
	return sets.values()
}

// fileField is 0 when the node's file is its name plus the usual
// extension of its type, else the file's name.
func fileField(n *compiler.Node) any {
	base := path.Base(n.Path)
	switch {
	case n.ResourceType == compiler.TypeSeed && base == n.Name+".csv",
		n.ResourceType != compiler.TypeSource && n.ResourceType != compiler.TypeSeed && base == n.Name+".sql":
		return 0
	}
	return base
}

// derivedID is the unique id the browser derives from a row.
func derivedID(n *compiler.Node) string {
	if n.ResourceType == compiler.TypeSource {
		return "source." + n.Package + "." + n.SourceName + "." + n.Name
	}
	return n.ResourceType + "." + n.Package + "." + n.Name
}

func intsKey(xs []int) string {
	b, _ := json.Marshal(xs)
	return string(b)
}

// parents are the positions of a node's parents among the site's nodes,
// ascending.
func (s *site) parents(n *compiler.Node) []int {
	out := make([]int, 0, len(n.DependsOn.Nodes))
	for _, p := range n.DependsOn.Nodes {
		if k, ok := s.pos[p]; ok && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// status is the node's status in the last run, "" if it did not run.
func (s *site) status(id string) string {
	if r := s.results[id]; r != nil {
		return r.Status
	}
	return ""
}

func (s *site) runSummary() *runSummary {
	rr := s.in.RunResults
	if rr == nil {
		return nil
	}
	sum := &runSummary{GeneratedAt: rr.Metadata.GeneratedAt, Command: rr.Metadata.Command,
		Target: rr.Metadata.TargetName, Elapsed: rr.Elapsed, Statuses: map[string]int{}}
	for _, r := range rr.Results {
		sum.Statuses[r.Status]++
	}
	return sum
}

func (s *site) catalogSummary() *catalogSummary {
	c := s.in.Catalog
	if c == nil {
		return nil
	}
	errs := c.Errors
	if errs == nil {
		errs = []string{}
	}
	return &catalogSummary{GeneratedAt: c.Metadata.GeneratedAt, Relations: len(c.Nodes) + len(c.Sources), Errors: errs}
}

func (s *site) freshnessSummary() *string {
	if s.in.Freshness == nil {
		return nil
	}
	at := s.in.Freshness.Metadata.GeneratedAt
	return &at
}
