// Package runner runs a compiled DAG against a warehouse: it materializes
// models (view, table, incremental, ephemeral), loads seeds, takes snapshots
// and runs data tests, several nodes at once in dependency order, and
// records what happened in run results. All SQL dialect work is delegated
// to the warehouse.Warehouse it is given.
package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/warehouse"
)

// Status of a finished node.
type Status string

const (
	StatusSuccess Status = "success"
	StatusError   Status = "error"
	StatusSkipped Status = "skipped"
	StatusPass    Status = "pass"
	StatusFail    Status = "fail"
	StatusWarn    Status = "warn"
)

// Options configure a run.
type Options struct {
	// Log receives what templates rendered at run time log(..., info=True)
	// or print() (nil: nothing is printed). Print, when set, receives
	// print()'s instead (compiler.RenderOptions).
	Log, Print func(msg string)
	// InvocationID labels every warehouse job of the run, and Target (the
	// target's name) too.
	InvocationID string
	Target       string
	// ProjectDir is the project's directory: seeds' files and unit tests'
	// fixtures are found from it (TestPaths: the project's test paths).
	ProjectDir string
	TestPaths  []string
	// TargetDir is the target directory (absolute) and TargetPath the
	// project's name for it ("target"): SQL rendered at run time is
	// written under it, in run/.
	TargetDir, TargetPath string
	// Renderer renders templates at run time.
	Renderer Renderer
	// Threads is how many steps run at once (at least 1).
	Threads     int
	FullRefresh bool
	FailFast    bool
	// EventTimeStart and EventTimeEnd bound microbatch backfills.
	EventTimeStart, EventTimeEnd time.Time
	// StoreFailures forces store_failures on every test.
	StoreFailures bool
	// WarnError: a test that would warn fails instead (dbt's --warn-error,
	// or LogTestResult in --warn-error-options).
	WarnError bool
	// Which is the command that runs (dbt's flags.WHICH in hooks:
	// "build", "run", "test", "seed", "snapshot").
	Which string
	// OnFinish is called once per node as it finishes (from several
	// goroutines, one call at a time).
	OnFinish func(r *NodeResult, index, total int)
	// OnStart is called as a node starts executing (from several
	// goroutines at once); a skipped node never starts.
	OnStart func(n *compiler.Node)
}

// NodeResult is what happened to one node.
type NodeResult struct {
	UniqueID      string          `json:"unique_id"`
	Name          string          `json:"-"`
	ResourceType  string          `json:"-"`
	Materialized  string          `json:"-"`
	Relation      string          `json:"relation_name,omitempty"`
	Status        Status          `json:"status"`
	Message       string          `json:"message"`
	RowsAffected  int64           `json:"rows_affected"`
	Failures      *int64          `json:"failures"`
	Started       time.Time       `json:"-"`
	Completed     time.Time       `json:"-"`
	ExecutionTime float64         `json:"execution_time"`
	Timing        []Timing        `json:"timing"`
	CompiledPath  string          `json:"compiled_path,omitempty"`
	Severity      string          `json:"-"`
	FailingRows   *warehouse.Rows `json:"-"`
	StoredIn      string          `json:"stored_failures_relation,omitempty"`
	SkipReason    string          `json:"-"`
	Interrupted   bool            `json:"-"`
	AdapterResp   map[string]any  `json:"adapter_response"`
	// Error says why a node errored, for machines.
	Error *NodeError `json:"error,omitempty"`
}

// NodeError is why a node errored: the node, its relation, and where in
// its compiled SQL the engine located the problem, when it did.
type NodeError struct {
	UniqueID     string `json:"unique_id"`
	Relation     string `json:"relation,omitempty"`
	CompiledPath string `json:"compiled_path,omitempty"`
	Line         int    `json:"line,omitempty"`
	Column       int    `json:"column,omitempty"`
	Message      string `json:"message"`
}

// Timing is one phase of a node's execution.
type Timing struct {
	Name        string    `json:"name"`
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
}

// Results is a whole run.
type Results struct {
	InvocationID string        `json:"-"`
	Results      []*NodeResult `json:"results"`
	Elapsed      float64       `json:"elapsed_time"`
	Interrupted  bool          `json:"-"`
}

// Failed reports whether any node errored or failed.
func (r *Results) Failed() bool {
	for _, n := range r.Results {
		if n.Status == StatusError || n.Status == StatusFail {
			return true
		}
	}
	return false
}

// Renderer renders templates at run time, with the live warehouse in its
// options (compiler.Renderer implements it): a model again with
// is_incremental() true or for one microbatch, a unit test's model over
// mocked inputs, hooks.
type Renderer interface {
	RenderNode(ctx context.Context, id string, opt compiler.RenderOptions) (string, error)
	RenderText(ctx context.Context, id, name, text string, opt compiler.RenderOptions) (string, error)
	// Target is the node ref() or source() finds for a unit test input's
	// key (compiler.InputKey), or nil.
	Target(key string) *compiler.Node
}

// Runner executes the steps of a plan.
type Runner struct {
	m   *compiler.Manifest
	wh  warehouse.Warehouse
	opt Options

	mu       sync.Mutex
	finished int
	total    int
	results  map[string]*NodeResult
}

// New prepares runs of the manifest's nodes against wh.
func New(m *compiler.Manifest, wh warehouse.Warehouse, opt Options) *Runner {
	if opt.Threads <= 0 {
		opt.Threads = 1
	}
	return &Runner{m: m, wh: wh, opt: opt, results: map[string]*NodeResult{}}
}

// Run executes a plan: its schemas first, its on-run-start hooks, then its
// steps, each after its parents, Threads at once. A failed step (or a
// failing test with severity error) skips the steps that wait for it.
func (r *Runner) Run(ctx context.Context, p *plan.Plan) (*Results, error) {
	start := time.Now()
	m := r.m
	r.total = p.Running()
	for _, s := range p.Schemas {
		if err := r.wh.EnsureSchema(ctx, s.Database, s.Schema); err != nil {
			return nil, fmt.Errorf("creating schema %s: %w", s.Schema, err)
		}
	}
	if err := r.runHooks(ctx, "on-run-start", p.OnRunStart, nil); err != nil {
		return nil, err
	}
	ids := make([]string, len(p.Steps))
	parents := make(map[string][]string, len(p.Steps))
	for i, s := range p.Steps {
		ids[i] = s.ID
		parents[s.ID] = s.Parents
	}
	walk(ctx, ids, parents, r.opt.Threads, r.opt.FailFast, func(ctx context.Context, id string) bool {
		res := r.execute(ctx, m.Node(id))
		return res.Status != StatusError && res.Status != StatusFail && res.Status != StatusSkipped
	}, func(id, by string) {
		n := m.Node(id)
		res := r.newResult(n)
		res.Status = StatusSkipped
		if by == "" {
			res.Interrupted = ctx.Err() != nil
			res.SkipReason = "run stopped early"
			if res.Interrupted {
				res.SkipReason = "interrupted"
			}
		} else if b := m.Node(by); b != nil {
			res.SkipReason = fmt.Sprintf("%s %s failed", b.ResourceType, b.Name)
		}
		res.Message = "SKIP: " + res.SkipReason
		r.finish(n, res)
	})
	out := &Results{Elapsed: time.Since(start).Seconds(), Interrupted: ctx.Err() != nil}
	sorted := append([]string{}, ids...)
	sort.Strings(sorted)
	for _, id := range sorted {
		if res, ok := r.results[id]; ok {
			out.Results = append(out.Results, res)
		}
	}
	sort.SliceStable(out.Results, func(i, j int) bool { return out.Results[i].Completed.Before(out.Results[j].Completed) })
	if ctx.Err() == nil {
		var values map[string]any
		if len(p.OnRunEnd) > 0 {
			values = r.endValues(out.Results)
		}
		if err := r.runHooks(ctx, "on-run-end", p.OnRunEnd, values); err != nil {
			return out, err
		}
	}
	return out, nil
}

func relationOf(n *compiler.Node) warehouse.Relation {
	return warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias}
}

// runHooks runs the project's hooks of that name, each rendered with
// values (on-run-end's results and schemas) and the run's flags.
func (r *Runner) runHooks(ctx context.Context, name string, hooks []string, values map[string]any) error {
	for i, h := range hooks {
		sql, err := r.opt.Renderer.RenderText(ctx, "", fmt.Sprintf("%s[%d]", name, i), h, compiler.RenderOptions{Log: r.opt.Log, Print: r.opt.Print,
			Warehouse: r.wh, Values: values, Flags: r.hookFlags()})
		if err != nil {
			return fmt.Errorf("%s hook %d: %w", name, i+1, err)
		}
		// a hook that renders to nothing (one that only logs, or a macro
		// that runs its own queries, as dbt_artifacts' upload_results) is
		// skipped, as dbt skips it and as a model's hooks are (nodeHooks)
		if strings.TrimSpace(sql) == "" {
			continue
		}
		if _, err := r.wh.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s hook %d failed: %w", name, i+1, err)
		}
	}
	return nil
}

func (r *Runner) newResult(n *compiler.Node) *NodeResult {
	return &NodeResult{UniqueID: n.UniqueID, Name: n.Name, ResourceType: n.ResourceType, Materialized: n.Materialized(),
		Relation: n.Relation, CompiledPath: n.CompiledPath, RowsAffected: -1, Timing: []Timing{},
		Severity: n.Config.String("severity"), AdapterResp: map[string]any{}}
}

// finish records a result and reports it.
func (r *Runner) finish(n *compiler.Node, res *NodeResult) {
	if res.Completed.IsZero() {
		res.Completed = time.Now()
	}
	if res.Started.IsZero() {
		res.Started = res.Completed
	}
	res.ExecutionTime = res.Completed.Sub(res.Started).Seconds()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results[n.UniqueID] = res
	if !n.IsExecutable() {
		return
	}
	r.finished++
	if r.opt.OnFinish != nil {
		r.opt.OnFinish(res, r.finished, r.total)
	}
}

// execute runs one node and records its result.
func (r *Runner) execute(ctx context.Context, n *compiler.Node) *NodeResult {
	res := r.newResult(n)
	res.Started = time.Now()
	if r.opt.OnStart != nil {
		r.opt.OnStart(n)
	}
	ctx = warehouse.WithJobLabels(ctx, map[string]string{warehouse.LabelModel: n.Name,
		warehouse.LabelInvocationID: r.opt.InvocationID, warehouse.LabelTarget: r.opt.Target})
	ctx, jobs := warehouse.WithJobLog(ctx)
	var err error
	switch n.ResourceType {
	case compiler.TypeModel:
		err = r.runModel(ctx, n, res)
	case compiler.TypeSeed:
		err = r.runSeed(ctx, n, res)
	case compiler.TypeSnapshot:
		err = r.runSnapshot(ctx, n, res)
	case compiler.TypeTest:
		err = r.runTest(ctx, n, res)
	case compiler.TypeUnitTest:
		err = r.runUnitTest(ctx, n, res)
	default:
		err = fmt.Errorf("cannot run a %s", n.ResourceType)
	}
	res.Completed = time.Now()
	res.Timing = append(res.Timing, Timing{Name: "execute", StartedAt: res.Started, CompletedAt: res.Completed})
	if err != nil {
		res.Status = StatusError
		res.Message = err.Error()
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			res.Interrupted = true
			res.Message = "interrupted: " + err.Error()
		}
		res.Error = &NodeError{UniqueID: n.UniqueID, Relation: n.Relation, CompiledPath: n.CompiledPath, Message: res.Message}
		if l, c, ok := warehouse.ErrorPosition(err); ok {
			res.Error.Line, res.Error.Column = l, c
		}
	} else if res.Status == "" {
		res.Status = StatusSuccess
	}
	recordJobs(res, jobs)
	r.finish(n, res)
	return res
}

// recordJobs puts the warehouse jobs a node ran (BigQuery) into its result:
// bytes processed and billed, slot time and job ids.
func recordJobs(res *NodeResult, jobs *warehouse.JobLog) {
	js := jobs.Jobs()
	if len(js) == 0 {
		return
	}
	total := jobs.Total()
	ids := make([]string, len(js))
	for i, j := range js {
		ids[i] = j.JobID
	}
	res.AdapterResp["bytes_processed"] = total.BytesProcessed
	res.AdapterResp["bytes_billed"] = total.BytesBilled
	res.AdapterResp["slot_ms"] = total.SlotMillis
	res.AdapterResp["job_ids"] = ids
}
