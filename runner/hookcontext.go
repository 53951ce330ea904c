package runner

import (
	"slices"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/jinja"
)

// hookFlags are dbt's flags a run's hooks see besides the compile's
// FULL_REFRESH and EMPTY: the command (WHICH: "build", "run", ...), as
// packages' hooks test it (`{% if flags.WHICH in ('run', 'build') %}`).
func (r *Runner) hookFlags() map[string]any {
	return map[string]any{"WHICH": r.opt.Which, "STORE_FAILURES": r.opt.StoreFailures,
		"WARN_ERROR": r.opt.WarnError, "FAIL_FAST": r.opt.FailFast}
}

// endValues are what on-run-end hooks see as dbt's do: results (each
// node's result, in the order they finished: status, message, timing,
// failures, adapter_response, and node, the node as templates see it),
// and the schemas (and database_schemas: database and schema pairs) that
// nodes which built a relation built in, errored, failed and skipped ones
// left out.
func (r *Runner) endValues(results []*NodeResult) map[string]any {
	list := make([]any, 0, len(results))
	type pair struct{ db, schema string }
	var built []pair
	for _, res := range results {
		n := r.m.Node(res.UniqueID)
		if n == nil {
			continue
		}
		node := compiler.NodeValue(n).(map[string]any)
		node["relation_name"] = res.Relation
		timing := make([]any, len(res.Timing))
		for i, t := range res.Timing {
			timing[i] = map[string]any{"name": t.Name, "started_at": t.StartedAt.UTC().Format(time.RFC3339Nano),
				"completed_at": t.CompletedAt.UTC().Format(time.RFC3339Nano)}
		}
		var failures any
		if res.Failures != nil {
			failures = *res.Failures
		}
		adapter := map[string]any{}
		for k, v := range res.AdapterResp {
			adapter[k] = v
		}
		list = append(list, map[string]any{"node": node, "status": string(res.Status), "message": res.Message,
			"execution_time": res.ExecutionTime, "failures": failures, "adapter_response": adapter,
			"timing": jinja.NewList(timing...), "thread_id": "", "unique_id": res.UniqueID})
		switch res.Status {
		case StatusError, StatusFail, StatusSkipped:
			continue
		}
		if relational(n) {
			p := pair{n.Database, n.Schema}
			if !slices.Contains(built, p) {
				built = append(built, p)
			}
		}
	}
	slices.SortFunc(built, func(a, b pair) int {
		if c := strings.Compare(a.db, b.db); c != 0 {
			return c
		}
		return strings.Compare(a.schema, b.schema)
	})
	var schemas, dbSchemas []any
	for _, p := range built {
		if !slices.Contains(schemas, any(p.schema)) {
			schemas = append(schemas, p.schema)
		}
		dbSchemas = append(dbSchemas, &jinja.List{Items: []any{p.db, p.schema}, Tuple: true})
	}
	return map[string]any{"results": jinja.NewList(list...), "schemas": jinja.NewList(schemas...),
		"database_schemas": jinja.NewList(dbSchemas...)}
}

// relational says whether a node builds a relation (dbt's is_relational:
// models but ephemeral ones, seeds, snapshots).
func relational(n *compiler.Node) bool {
	switch n.ResourceType {
	case compiler.TypeModel:
		return n.Materialized() != "ephemeral"
	case compiler.TypeSeed, compiler.TypeSnapshot:
		return true
	}
	return false
}
