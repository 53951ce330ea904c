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
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler"
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
	// InvocationID labels every warehouse job of the run.
	InvocationID string
	Threads      int
	FullRefresh  bool
	FailFast     bool
	// EventTimeStart and EventTimeEnd bound microbatch backfills.
	EventTimeStart, EventTimeEnd time.Time
	// StoreFailures forces store_failures on every test.
	StoreFailures bool
	// OnFinish is called once per node as it finishes (from several
	// goroutines, one call at a time).
	OnFinish func(r *NodeResult, index, total int)
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

// Runner executes nodes of a compiled project.
type Runner struct {
	res *compiler.Result
	wh  warehouse.Warehouse
	opt Options

	mu       sync.Mutex
	finished int
	total    int
	results  map[string]*NodeResult
}

// NewRunner prepares a run of res against wh.
func NewRunner(res *compiler.Result, wh warehouse.Warehouse, opt Options) *Runner {
	if opt.Threads <= 0 {
		opt.Threads = res.Target.Threads
	}
	return &Runner{res: res, wh: wh, opt: opt, results: map[string]*NodeResult{}}
}

// Run executes the given nodes (unique ids) in dependency order. Tests among
// them run after the nodes they check and, in a build, block the dependents
// of those nodes when they fail with severity error.
func (r *Runner) Run(ctx context.Context, ids []string) (*Results, error) {
	start := time.Now()
	m := r.res.Manifest
	var work []string
	for _, id := range ids {
		n := m.Node(id)
		if n == nil || n.ResourceType == compiler.TypeSource {
			continue
		}
		work = append(work, id)
	}
	sort.Strings(work)
	for _, id := range work {
		if n := m.Node(id); n.IsExecutable() {
			r.total++
		}
	}
	if err := r.ensureSchemas(ctx, work); err != nil {
		return nil, err
	}
	if err := r.runHooks(ctx, "on-run-start", r.res.Project.OnRunStart); err != nil {
		return nil, err
	}
	parents := r.walkParents(work)
	walk(ctx, work, parents, r.opt.Threads, r.opt.FailFast, func(ctx context.Context, id string) bool {
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
	for _, id := range work {
		if res, ok := r.results[id]; ok {
			out.Results = append(out.Results, res)
		}
	}
	sort.SliceStable(out.Results, func(i, j int) bool { return out.Results[i].Completed.Before(out.Results[j].Completed) })
	if ctx.Err() == nil {
		if err := r.runHooks(ctx, "on-run-end", r.res.Project.OnRunEnd); err != nil {
			return out, err
		}
	}
	return out, nil
}

// walkParents returns each node's parents within the walk. Ephemeral
// models and nodes outside the selection are looked through, so a selected
// child still waits for its selected grandparents. Tests of a node block
// that node's children (dbt build semantics).
func (r *Runner) walkParents(work []string) map[string][]string {
	m := r.res.Manifest
	in := map[string]bool{}
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
	parents := map[string][]string{}
	for _, id := range work {
		parents[id] = effective(id, map[string]bool{})
	}
	// tests block the children of the node they test
	testsOf := map[string][]string{}
	for _, id := range work {
		n := m.Node(id)
		if n.ResourceType != compiler.TypeTest || n.AttachedNode == "" || !in[n.AttachedNode] {
			continue
		}
		testsOf[n.AttachedNode] = append(testsOf[n.AttachedNode], id)
	}
	if len(testsOf) == 0 {
		return parents
	}
	ancestors := func(ids []string) map[string]bool {
		seen := map[string]bool{}
		stack := append([]string{}, ids...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[x] {
				continue
			}
			seen[x] = true
			stack = append(stack, parents[x]...)
		}
		return seen
	}
	for _, id := range work {
		n := m.Node(id)
		if n.ResourceType == compiler.TypeTest || n.ResourceType == compiler.TypeUnitTest {
			continue
		}
		for _, p := range parents[id] {
			for _, t := range testsOf[p] {
				tn := m.Node(t)
				if len(tn.DependsOn.Nodes) > 1 && ancestors(parents[t])[id] {
					continue // the test reads this node itself: no cycle
				}
				parents[id] = append(parents[id], t)
			}
		}
	}
	return parents
}

func relationOf(n *compiler.Node) warehouse.Relation {
	return warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Alias}
}

// ensureSchemas creates every schema the run writes to, before any model
// runs, so concurrent models never race on catalog changes.
func (r *Runner) ensureSchemas(ctx context.Context, work []string) error {
	seen := map[[2]string]bool{}
	var keys [][2]string
	for _, id := range work {
		n := r.res.Manifest.Node(id)
		if !n.IsExecutable() {
			continue
		}
		if n.ResourceType == compiler.TypeTest && !r.storeFailures(n) {
			continue
		}
		if n.ResourceType == compiler.TypeUnitTest {
			continue
		}
		k := [2]string{n.Database, n.Schema}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][1] < keys[j][1] })
	for _, k := range keys {
		if err := r.wh.EnsureSchema(ctx, k[0], k[1]); err != nil {
			return fmt.Errorf("creating schema %s: %w", k[1], err)
		}
	}
	return nil
}

func (r *Runner) runHooks(ctx context.Context, name string, hooks []string) error {
	for i, h := range hooks {
		sql, err := r.res.RenderText("", fmt.Sprintf("%s[%d]", name, i), h)
		if err != nil {
			return fmt.Errorf("%s hook %d: %w", name, i+1, err)
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
	ctx = warehouse.WithJobLabels(ctx, map[string]string{warehouse.LabelModel: n.Name,
		warehouse.LabelInvocationID: r.opt.InvocationID, warehouse.LabelTarget: r.res.Target.Name})
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
