// Package plan turns a selection of a compiled project into what a command
// will do: its steps in order, the steps each waits for, the relations
// each reads and writes, the schemas to create first and the hooks around
// the run. A Plan is a plain value made without a warehouse connection:
// `mart build` runs one, `--dry-run` prints it, `ls` lists it, and what
// reads "what runs where" next (retry, defer, the docs site, the Airflow
// generator) reads the same value.
package plan

import (
	"sort"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// Action is what a step does.
type Action string

// Actions, by resource type and materialization.
const (
	View        Action = "view"        // create or replace a view
	Table       Action = "table"       // create or replace a table
	Incremental Action = "incremental" // apply new rows with the model's strategy (build the table the first time)
	Ephemeral   Action = "ephemeral"   // nothing runs: the model is inlined into its children
	Seed        Action = "seed"        // load a CSV file as a table
	Snapshot    Action = "snapshot"    // record changed rows as history (SCD2)
	Test        Action = "test"        // count a data test's failing rows
	UnitTest    Action = "unit_test"   // run a model over given rows and compare with expected rows
	Source      Action = "source"      // nothing runs: a relation the project reads
	Analysis    Action = "analysis"    // nothing runs: SQL compiled for people to read or run (analyses/)
)

// Runs reports whether the step executes anything in the warehouse.
func (a Action) Runs() bool { return a != Ephemeral && a != Source && a != Analysis }

// Step is one node of the plan.
type Step struct {
	ID           string `json:"unique_id"`
	Name         string `json:"name"`
	ResourceType string `json:"resource_type"`
	Action       Action `json:"action"`
	// Detail says how: an incremental model's strategy and key, a test's
	// severity.
	Detail string `json:"detail,omitempty"`
	// Parents are the steps of this plan that finish before it starts.
	Parents []string `json:"parents"`
	// Reads are the relations its SQL reads (ephemeral parents looked
	// through); Writes is the relation it creates or changes, if any.
	Reads  []warehouse.Relation `json:"reads"`
	Writes *warehouse.Relation  `json:"writes,omitempty"`
	// CompiledPath is where its compiled SQL is written.
	CompiledPath string `json:"compiled_path,omitempty"`
}

// Schema is a schema (BigQuery: dataset) the plan writes to.
type Schema struct {
	Database string `json:"database,omitempty"`
	Schema   string `json:"schema"`
}

// Plan is what a command will do.
type Plan struct {
	// Steps are in the order a one-thread run takes them: parents first,
	// ties broken by unique id.
	Steps []Step `json:"steps"`
	// Schemas are created before any step runs, so concurrent steps never
	// race on the catalog.
	Schemas []Schema `json:"schemas"`
	// OnRunStart and OnRunEnd are the project's hooks (templates).
	OnRunStart []string `json:"on_run_start,omitempty"`
	OnRunEnd   []string `json:"on_run_end,omitempty"`
}

// Options say what a plan holds.
type Options struct {
	// Kinds are the resource types the command runs (model, seed,
	// snapshot, test, unit_test, source); other selected nodes are left out.
	Kinds []string
	// StoreFailures stores every test's failing rows (--store-failures):
	// tests then write a table.
	StoreFailures bool
	// Hooks includes the project's on-run-start and on-run-end hooks.
	Hooks bool
}

// New makes the plan of the selected nodes (unique ids) of a compiled
// project.
func New(res *compiler.Result, ids []string, opt Options) *Plan {
	m := res.Manifest
	want := map[string]bool{}
	for _, k := range opt.Kinds {
		want[k] = true
	}
	var work []string
	for _, id := range ids {
		if n := m.Node(id); n != nil && want[n.ResourceType] {
			work = append(work, id)
		}
	}
	sort.Strings(work)
	// tests hold back what they gate in a command that builds (build
	// and its retry), as dbt's test edges in build only: `mart test` runs
	// every test, whatever another one found
	parents := walkParents(m, work, want[compiler.TypeModel] || want[compiler.TypeSeed] || want[compiler.TypeSnapshot])
	p := &Plan{Steps: make([]Step, 0, len(work))}
	for _, id := range order(work, parents) {
		p.Steps = append(p.Steps, newStep(m, m.Node(id), parents[id], opt))
	}
	p.Schemas = schemas(p.Steps)
	if opt.Hooks {
		p.OnRunStart, p.OnRunEnd = res.Project.OnRunStart, res.Project.OnRunEnd
	}
	return p
}

// Step returns the step of a unique id, or nil.
func (p *Plan) Step(id string) *Step {
	for i := range p.Steps {
		if p.Steps[i].ID == id {
			return &p.Steps[i]
		}
	}
	return nil
}

// Running returns how many steps execute something (see Action.Runs).
func (p *Plan) Running() int {
	n := 0
	for _, s := range p.Steps {
		if s.Action.Runs() {
			n++
		}
	}
	return n
}

// schemas lists the schemas the steps write to, sorted.
func schemas(steps []Step) []Schema {
	seen := map[Schema]bool{}
	var out []Schema
	for _, s := range steps {
		if s.Writes == nil {
			continue
		}
		k := Schema{Database: s.Writes.Database, Schema: s.Writes.Schema}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Schema != out[j].Schema {
			return out[i].Schema < out[j].Schema
		}
		return out[i].Database < out[j].Database
	})
	return out
}
