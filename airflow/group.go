package airflow

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
)

// unit is what one group of tasks runs: nodes of the plan with the tests
// assigned to them, or a source.
type unit struct {
	key    string
	label  string // the base of its task id
	pos    int    // position of its first step in the plan
	nodes  []string
	tests  []string
	source *compiler.Node
	runs   bool // a node of it executes something
	up     map[*unit]bool
	tasks  []*Task
}

// grouping is the plan's steps sorted into units.
type grouping struct {
	units []*unit
	byKey map[string]*unit
	of    map[string]*unit // step id -> unit
	memo  map[*unit][]*unit
}

// newGrouping puts every step of the plan into a unit: nodes by groupBy,
// each source alone, each data test with the parent of it that the plan
// takes last (so that whatever the test reads is built before it runs),
// each unit test with its model.
func newGrouping(p *plan.Plan, m *compiler.Manifest, groupBy string) *grouping {
	g := &grouping{byKey: map[string]*unit{}, of: map[string]*unit{}, memo: map[*unit][]*unit{}}
	pos := make(map[string]int, len(p.Steps))
	for i, s := range p.Steps {
		pos[s.ID] = i
	}
	for i, s := range p.Steps {
		if isTest(s.Action) {
			continue
		}
		n := m.Node(s.ID)
		key, label := keyOf(n, groupBy)
		u := g.unit(key, label, i)
		if s.Action == plan.Source {
			u.source = n
		} else {
			u.nodes = append(u.nodes, s.ID)
		}
		u.runs = u.runs || s.Action.Runs()
		g.of[s.ID] = u
	}
	for i, s := range p.Steps {
		if !isTest(s.Action) {
			continue
		}
		latest := -1
		for _, par := range s.Parents {
			if g.of[par] != nil && !isTest(p.Steps[pos[par]].Action) && pos[par] > latest {
				latest = pos[par]
			}
		}
		u := g.unit("test:"+s.ID, s.Name, i)
		if n := m.Node(s.ID); s.Action == plan.UnitTest && n != nil && g.of[n.AttachedNode] != nil {
			// a unit test runs in its model's task, before the model (the
			// plan's order): `mart build --select model` selects it
			u = g.of[n.AttachedNode]
		} else if latest >= 0 {
			u = g.of[p.Steps[latest].ID]
		}
		u.tests = append(u.tests, s.ID)
		g.of[s.ID] = u
	}
	for _, s := range p.Steps {
		u := g.of[s.ID]
		for _, par := range s.Parents {
			if v := g.of[par]; v != nil && v != u {
				u.up[v] = true
			}
		}
	}
	sort.SliceStable(g.units, func(i, j int) bool { return g.units[i].pos < g.units[j].pos })
	return g
}

func isTest(a plan.Action) bool { return a == plan.Test || a == plan.UnitTest }

// keyOf is the unit a node belongs to, and the base of its task id.
func keyOf(n *compiler.Node, groupBy string) (key, label string) {
	switch {
	case n.ResourceType == compiler.TypeSource:
		return "source:" + n.UniqueID, n.SourceName + "_" + n.Name
	case groupBy == ByFolder:
		dir := path.Dir(n.Path)
		return "folder:" + dir, strings.ReplaceAll(dir, "/", "_")
	case groupBy == ByTag && len(n.Tags) > 0:
		return "tag:" + n.Tags[0], "tag_" + n.Tags[0]
	}
	return "node:" + n.UniqueID, n.Name
}

func (g *grouping) unit(key, label string, pos int) *unit {
	if u, ok := g.byKey[key]; ok {
		return u
	}
	u := &unit{key: key, label: label, pos: pos, up: map[*unit]bool{}}
	g.byKey[key] = u
	g.units = append(g.units, u)
	return u
}

// sortedUp is a unit's upstream units in plan order.
func (u *unit) sortedUp() []*unit {
	out := make([]*unit, 0, len(u.up))
	for v := range u.up {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

// upstreamWithTasks is what a unit waits for, looking through units that
// have no task (an ephemeral model, a source that is neither extracted
// nor checked nor tested).
func (g *grouping) upstreamWithTasks(u *unit) []*unit {
	if out, ok := g.memo[u]; ok {
		return out
	}
	var out []*unit
	for _, v := range u.sortedUp() {
		if len(v.tasks) > 0 {
			out = append(out, v)
		} else {
			out = append(out, g.upstreamWithTasks(v)...)
		}
	}
	g.memo[u] = out
	return out
}

// checkAcyclic fails, naming the groups, when two groups wait for each
// other (grouping by folder or tag can do that; by node it cannot).
func (g *grouping) checkAcyclic() error {
	state := map[*unit]int{} // 1: on the path, 2: done
	var stack []*unit
	var cycle []*unit
	var visit func(u *unit) bool
	visit = func(u *unit) bool {
		state[u] = 1
		stack = append(stack, u)
		for _, v := range u.sortedUp() {
			if state[v] == 1 {
				i := slices.Index(stack, v)
				cycle = append(slices.Clone(stack[i:]), v)
				return true
			}
			if state[v] == 0 && visit(v) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		state[u] = 2
		return false
	}
	for _, u := range g.units {
		if state[u] == 0 && visit(u) {
			names := make([]string, len(cycle))
			for i, c := range cycle {
				names[len(cycle)-1-i] = c.label
			}
			return fmt.Errorf("these groups would wait for each other: %s; group by node, or move the models so each folder or tag only reads the ones before it",
				strings.Join(names, " -> "))
		}
	}
	return nil
}

// assignIDs gives every task a unique Airflow task id.
func assignIDs(units []*unit) {
	used := map[string]bool{}
	for _, u := range units {
		for _, t := range u.tasks {
			base := sanitizeID(u.label)
			if t.Kind == KindExtract || t.Kind == KindFreshness || t.Kind == KindTest && u.source != nil {
				base = t.Kind + "_" + base
			}
			id := base
			for i := 2; used[id]; i++ {
				id = fmt.Sprintf("%s_%d", base, i)
			}
			used[id] = true
			t.ID = id
		}
	}
}

// sanitizeID keeps what Airflow allows in a task id (letters, digits, _
// and -; a dot would mean a task group) and at most 200 characters.
func sanitizeID(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) > 200 {
		b = b[:200]
	}
	if len(b) == 0 {
		return "task"
	}
	return string(b)
}
