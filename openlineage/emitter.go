package openlineage

import (
	"sort"
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// Namer names a relation as an OpenLineage dataset: the datasource's
// namespace (duckdb:///path/to/file.duckdb, bigquery) and the table's
// name in it. Each warehouse adapter implements it.
type Namer interface {
	LineageDataset(r warehouse.Relation) (namespace, name string)
}

// Options say what the events of one invocation carry.
type Options struct {
	// Namespace is the jobs' namespace (OPENLINEAGE_NAMESPACE; default
	// "default", as OpenLineage's clients use).
	Namespace string
	// Project and Command name the invocation's job: "<project>.<command>".
	Project, Command string
	// InvocationID is the invocation's run id (a UUID).
	InvocationID string
	// Manifest and Plan are the run's (nil for a command that only uses
	// StartJob).
	Manifest *compiler.Manifest
	Plan     *plan.Plan
	// Namer names datasets; nil names them <type>://<relation>.
	Namer      Namer
	TargetType string
}

// Emitter turns a run's progress into events on a Client: the invocation
// is a parent run, each node a child run with its datasets.
type Emitter struct {
	c     *Client
	opt   Options
	steps map[string]*plan.Step

	mu   sync.Mutex
	runs map[string]string // unique id -> run id of its START
}

// NewEmitter prepares the events of one invocation.
func NewEmitter(c *Client, opt Options) *Emitter {
	if opt.Namespace == "" {
		opt.Namespace = "default"
	}
	if opt.Manifest == nil {
		opt.Manifest = &compiler.Manifest{}
	}
	if opt.Plan == nil {
		opt.Plan = &plan.Plan{} // StartJob only, as mart extract uses it
	}
	e := &Emitter{c: c, opt: opt, steps: map[string]*plan.Step{}, runs: map[string]string{}}
	for i := range opt.Plan.Steps {
		e.steps[opt.Plan.Steps[i].ID] = &opt.Plan.Steps[i]
	}
	return e
}

func (e *Emitter) invocationJob() string { return e.opt.Project + "." + e.opt.Command }

// StartInvocation sends the parent run's START.
func (e *Emitter) StartInvocation() {
	e.c.Emit(e.event(Start, time.Now(), Run{RunID: e.opt.InvocationID},
		Job{Namespace: e.opt.Namespace, Name: e.invocationJob(), Facets: map[string]any{"jobType": jobTypeFacet("COMMAND")}}, nil, nil))
}

// FinishInvocation sends the parent run's COMPLETE, or FAIL with why.
func (e *Emitter) FinishInvocation(failed bool, why string) {
	typ, run := Complete, Run{RunID: e.opt.InvocationID}
	if failed {
		typ = Fail
		if why != "" {
			run.Facets = map[string]any{"errorMessage": errorFacet(why)}
		}
	}
	e.c.Emit(e.event(typ, time.Now(), run, Job{Namespace: e.opt.Namespace, Name: e.invocationJob()}, nil, nil))
}

// NodeStarted sends a node's START (runner.Options.OnStart).
func (e *Emitter) NodeStarted(n *compiler.Node) {
	if !n.IsExecutable() {
		return // an ephemeral model runs nothing, and never finishes
	}
	id := NewRunID()
	e.mu.Lock()
	e.runs[n.UniqueID] = id
	e.mu.Unlock()
	inputs, outputs := e.datasets(n, nil)
	e.c.Emit(e.event(Start, time.Now(), e.childRun(id, nil), e.job(n), inputs, outputs))
}

// NodeFinished sends a node's COMPLETE or FAIL (runner.Options.OnFinish);
// a node that never started (skipped) sends nothing.
func (e *Emitter) NodeFinished(r *runner.NodeResult) {
	e.mu.Lock()
	id, ok := e.runs[r.UniqueID]
	e.mu.Unlock()
	n := e.opt.Manifest.Node(r.UniqueID)
	if !ok || n == nil {
		return
	}
	typ := Complete
	var facets map[string]any
	if r.Status == runner.StatusError || r.Status == runner.StatusFail {
		typ = Fail
		facets = map[string]any{"errorMessage": errorFacet(r.Message)}
	}
	inputs, outputs := e.datasets(n, r)
	e.c.Emit(e.event(typ, r.Completed, e.childRun(id, facets), e.job(n), inputs, outputs))
}

func (e *Emitter) childRun(id string, facets map[string]any) Run {
	if facets == nil {
		facets = map[string]any{}
	}
	facets["parent"] = parentFacet(e.opt.Namespace, e.invocationJob(), e.opt.InvocationID)
	return Run{RunID: id, Facets: facets}
}

func (e *Emitter) job(n *compiler.Node) Job {
	facets := map[string]any{"jobType": jobTypeFacet(jobTypes[n.ResourceType])}
	if n.CompiledCode != "" {
		facets["sql"] = sqlFacet(n.CompiledCode)
	}
	return Job{Namespace: e.opt.Namespace, Name: n.UniqueID, Facets: facets}
}

// jobTypes is the JobTypeJobFacet's jobType of each resource type.
var jobTypes = map[string]string{compiler.TypeModel: "MODEL", compiler.TypeSeed: "SEED", compiler.TypeSnapshot: "SNAPSHOT",
	compiler.TypeTest: "TEST", compiler.TypeUnitTest: "TEST"}

func (e *Emitter) event(typ string, at time.Time, run Run, job Job, in, out []Dataset) RunEvent {
	if in == nil {
		in = []Dataset{}
	}
	if out == nil {
		out = []Dataset{}
	}
	return RunEvent{EventType: typ, EventTime: eventTime(at), Run: run, Job: job, Inputs: in, Outputs: out,
		Producer: Producer, SchemaURL: RunEventSchema}
}

// name is a relation's dataset namespace and name.
func (e *Emitter) name(r warehouse.Relation) Dataset {
	if e.opt.Namer != nil {
		ns, name := e.opt.Namer.LineageDataset(r)
		return Dataset{Namespace: ns, Name: name}
	}
	return Dataset{Namespace: e.opt.TargetType + "://", Name: r.String()}
}

// sortedColumns lists a node's documented columns by name.
func sortedColumns(n *compiler.Node) []*compiler.Column {
	out := make([]*compiler.Column, 0, len(n.Columns))
	for _, c := range n.Columns {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
