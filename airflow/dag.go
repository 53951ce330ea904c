// Package airflow turns a plan (package plan) into an Apache Airflow DAG:
// which tasks, in which order, each running one mart command, and the
// Python file that declares them (python.go). The file is static data and
// two Airflow classes: the scheduler parses nothing of the mart project.
//
// A task is made for each unit of the plan: a node (--group-by node), a
// folder or a tag of nodes, or a source. A source's unit has up to three
// tasks in a row: `mart extract` when it has an extract: block, `mart
// source freshness` when it has a freshness: block, and `mart test` for
// its tests. Every other unit has one task, `mart build --select ...`,
// which builds its nodes and runs their tests. A test with several parents
// runs in the unit of the parent built last, and the other units' commands
// exclude it, so each test runs once and after everything it reads.
package airflow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
)

// Group-by values.
const (
	ByNode   = "node"
	ByFolder = "folder"
	ByTag    = "tag"
)

// Kinds of task.
const (
	KindExtract   = "extract"
	KindFreshness = "freshness"
	KindBuild     = "build"
	KindTest      = "test"
)

// DAG is the tasks of a plan, in the order the file lists them: extract
// tasks first, then the others in plan order.
type DAG struct {
	Tasks []*Task
}

// Task is one Airflow task: a mart command.
type Task struct {
	ID   string
	Kind string
	// Args are mart's arguments, without the global flags (--target,
	// --vars) that the file adds to every command.
	Args []string
	// Upstream are the ids of the tasks it waits for, sorted.
	Upstream []string
	// Settings override the DAG's task settings (a node's airflow: config).
	Settings compiler.AirflowTask
	// Steps are the unique ids of the plan steps the command runs.
	Steps []string
}

// Options say how to group the plan's steps into tasks.
type Options struct {
	// GroupBy is ByNode (default), ByFolder or ByTag.
	GroupBy string
	// ExtractClashes are the source tables (by unique id) that get no
	// extract task although they have an extract: block: mart extract
	// refuses them (compiler.Result.ExtractClashes).
	ExtractClashes map[string]compiler.Diagnostic
}

// Build makes the DAG of a plan. It fails when grouping makes two groups
// wait for each other.
func Build(p *plan.Plan, m *compiler.Manifest, opt Options) (*DAG, error) {
	switch opt.GroupBy {
	case "":
		opt.GroupBy = ByNode
	case ByNode, ByFolder, ByTag:
	default:
		return nil, fmt.Errorf("--group-by must be node, folder or tag, not %q", opt.GroupBy)
	}
	g := newGrouping(p, m, opt.GroupBy)
	if err := g.checkAcyclic(); err != nil {
		return nil, err
	}
	names := newSelectors(m)
	d := &DAG{}
	for _, u := range g.units {
		u.tasks = unitTasks(u, m, names, opt.ExtractClashes)
	}
	assignIDs(g.units)
	for _, u := range g.units {
		for i, t := range u.tasks {
			if i > 0 {
				t.Upstream = []string{u.tasks[i-1].ID}
				continue
			}
			for _, up := range g.upstreamWithTasks(u) {
				t.Upstream = append(t.Upstream, up.tasks[len(up.tasks)-1].ID)
			}
			slices.Sort(t.Upstream)
			t.Upstream = slices.Compact(t.Upstream)
		}
	}
	for _, extract := range []bool{true, false} {
		for _, u := range g.units {
			for _, t := range u.tasks {
				if (t.Kind == KindExtract) == extract {
					d.Tasks = append(d.Tasks, t)
				}
			}
		}
	}
	reduce(d.Tasks)
	return d, nil
}

// Task returns the task of an id, or nil.
func (d *DAG) Task(id string) *Task {
	for _, t := range d.Tasks {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// unitTasks makes the tasks of a unit, in the order they run. A source
// table is extracted unless mart extract refuses it (clashes): a node
// builds its relation, and the source reads that node's table in this
// environment (the SODA Store's source raw reads the seeds unless
// SODA_PIPELINE is set).
func unitTasks(u *unit, m *compiler.Manifest, names selectors, clashes map[string]compiler.Diagnostic) []*Task {
	var out []*Task
	if u.source != nil {
		sel := "source:" + u.source.SourceName + "." + u.source.Name
		settings := compiler.AirflowOverrides(u.source)
		_, refused := clashes[u.source.UniqueID]
		if u.source.Extract != nil && !refused {
			out = append(out, &Task{Kind: KindExtract, Args: []string{"extract", "--select", sel}, Settings: settings})
		}
		if u.source.Freshness != nil {
			out = append(out, &Task{Kind: KindFreshness, Args: []string{"source", "freshness", "--select", sel}, Settings: settings})
		}
		if len(u.tests) > 0 {
			args := append([]string{"test", "--select", sel}, excludes(u, m, names)...)
			out = append(out, &Task{Kind: KindTest, Args: args, Settings: settings, Steps: u.tests})
		}
		return out
	}
	if !u.runs && len(u.tests) == 0 {
		return nil
	}
	var sel []string
	for _, id := range u.nodes {
		sel = append(sel, names.of(m.Node(id)))
	}
	cmd, kind := "build", KindBuild
	if len(u.nodes) == 0 {
		cmd, kind = "test", KindTest // tests whose parents are outside the plan
		for _, id := range u.tests {
			sel = append(sel, names.of(m.Node(id)))
		}
	}
	args := append([]string{cmd, "--select", strings.Join(sel, " ")}, excludes(u, m, names)...)
	return []*Task{{Kind: kind, Args: args, Settings: u.settings(m), Steps: append(slices.Clone(u.nodes), u.tests...)}}
}

// excludes are the --exclude arguments of a unit's command: the tests that
// selecting its nodes would run too (any test of a selected node, as
// `mart build` selects them) but that run in another unit, or not at all.
func excludes(u *unit, m *compiler.Manifest, names selectors) []string {
	mine := map[string]bool{}
	for _, id := range u.tests {
		mine[id] = true
	}
	parents := u.nodes
	if u.source != nil {
		parents = []string{u.source.UniqueID}
	}
	var out []string
	seen := map[string]bool{}
	for _, id := range parents {
		for _, c := range m.ChildMap[id] {
			n := m.Node(c)
			if n == nil || seen[c] || mine[c] || n.ResourceType != compiler.TypeTest && n.ResourceType != compiler.TypeUnitTest {
				continue
			}
			seen[c] = true
			out = append(out, names.of(n))
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return []string{"--exclude", strings.Join(out, " ")}
}

// settings merges the airflow: config of a unit's nodes, in plan order:
// the first node that sets a key gives its value.
func (u *unit) settings(m *compiler.Manifest) compiler.AirflowTask {
	var out compiler.AirflowTask
	for _, id := range u.nodes {
		o := compiler.AirflowOverrides(m.Node(id))
		out = mergeSettings(out, o)
	}
	return out
}

func mergeSettings(base, o compiler.AirflowTask) compiler.AirflowTask {
	if base.Owner == nil {
		base.Owner = o.Owner
	}
	if base.Retries == nil {
		base.Retries = o.Retries
	}
	if base.RetryDelay == nil {
		base.RetryDelay = o.RetryDelay
	}
	if base.Pool == nil {
		base.Pool = o.Pool
	}
	if base.PoolSlots == nil {
		base.PoolSlots = o.PoolSlots
	}
	if base.ExecutionTimeout == nil {
		base.ExecutionTimeout = o.ExecutionTimeout
	}
	return base
}
