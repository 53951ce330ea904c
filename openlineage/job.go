package openlineage

import (
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// JobRun is a run of a job that is not a node of the plan (`mart extract`
// loading a source table, say), as a child of the invocation: StartJob
// sends its START, Complete or Fail its end.
type JobRun struct {
	e       *Emitter
	id      string
	job     Job
	inputs  []Dataset
	outputs []Dataset
}

// StartJob starts a run of the job named name (jobType as the
// JobTypeJobFacet says it: "EXTRACT", ...) reading inputs and writing
// outputs. Use Dataset to name warehouse relations; name an operational
// database's table with its own namespace (postgres://host:5432, ...).
func (e *Emitter) StartJob(name, jobType string, inputs, outputs []Dataset) *JobRun {
	r := &JobRun{e: e, id: NewRunID(), inputs: inputs, outputs: outputs,
		job: Job{Namespace: e.opt.Namespace, Name: name, Facets: map[string]any{"jobType": jobTypeFacet(jobType)}}}
	e.c.Emit(e.event(Start, time.Now(), e.childRun(r.id, nil), r.job, inputs, outputs))
	return r
}

// Dataset names a warehouse relation as the run's datasets are named.
func (e *Emitter) Dataset(r warehouse.Relation) Dataset { return e.name(r) }

// Complete ends the run; rows (when >= 0) is the row count of each output.
func (r *JobRun) Complete(rows int64) {
	out := r.outputs
	if rows >= 0 {
		out = make([]Dataset, len(r.outputs))
		for i, d := range r.outputs {
			d.OutputFacets = map[string]any{"outputStatistics": facet(statsFacetSchema, map[string]any{"rowCount": rows})}
			out[i] = d
		}
	}
	r.e.c.Emit(r.e.event(Complete, time.Now(), r.e.childRun(r.id, nil), r.job, r.inputs, out))
}

// Fail ends the run with why it failed.
func (r *JobRun) Fail(why string) {
	r.e.c.Emit(r.e.event(Fail, time.Now(), r.e.childRun(r.id, map[string]any{"errorMessage": errorFacet(why)}), r.job, r.inputs, r.outputs))
}
