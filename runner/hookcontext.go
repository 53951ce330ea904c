package runner

import (
	"bytes"
	"encoding/json"
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
// failures, adapter_response, and node, the node's manifest.json entry as
// dbt passes the compiled node; ephemeral models, which run nothing, are
// left out as dbt leaves them out), and the schemas (and database_schemas:
// database and schema pairs) that nodes which built a relation built in,
// errored, failed and skipped ones left out. Results and nodes have
// to_dict(), as dbt's objects (elementary calls it).
func (r *Runner) endValues(results []*NodeResult) map[string]any {
	list := make([]any, 0, len(results))
	type pair struct{ db, schema string }
	var built []pair
	for _, res := range results {
		n := r.m.Node(res.UniqueID)
		if n == nil || n.ResourceType == compiler.TypeModel && n.Materialized() == "ephemeral" {
			continue
		}
		node := nodeEntry(n)
		if _, ok := node["relation_name"]; !ok || res.Relation != "" {
			node["relation_name"] = res.Relation
		}
		timing := make([]any, len(res.Timing))
		for i, t := range res.Timing {
			timing[i] = withToDict(map[string]any{"name": t.Name, "started_at": t.StartedAt.UTC().Format(time.RFC3339Nano),
				"completed_at": t.CompletedAt.UTC().Format(time.RFC3339Nano)})
		}
		var failures any
		if res.Failures != nil {
			failures = *res.Failures
		}
		adapter := map[string]any{}
		for k, v := range res.AdapterResp {
			adapter[k] = v
		}
		list = append(list, withToDict(map[string]any{"node": withToDict(node), "status": string(res.Status), "message": res.Message,
			"execution_time": res.ExecutionTime, "failures": failures, "adapter_response": adapter,
			"timing": jinja.NewList(timing...), "thread_id": "", "unique_id": res.UniqueID}))
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

// nodeEntry is a node's manifest.json entry as template values (its
// lists as Jinja lists); the node as templates see it when it does not
// encode.
func nodeEntry(n *compiler.Node) map[string]any {
	b, err := compiler.NodeEntry(n)
	var v map[string]any
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		err = dec.Decode(&v)
	}
	if err != nil {
		return compiler.NodeValue(n).(map[string]any)
	}
	return templateValue(v).(map[string]any)
}

// templateValue turns decoded JSON into template values: lists become
// Jinja lists, numbers ints where they are whole (jinja.JSONNumber).
func templateValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		return jinja.JSONNumber(x)
	case map[string]any:
		for k, e := range x {
			x[k] = templateValue(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = templateValue(e)
		}
		return jinja.NewList(x...)
	}
	return v
}

// withToDict gives a result's map dbt's objects' to_dict(): the map as
// plain data, without to_dict() in it or in what it holds (tojson takes
// it).
func withToDict(m map[string]any) map[string]any {
	m["to_dict"] = jinja.Func(func([]any, map[string]any) (any, error) { return plain(m), nil })
	return m
}

// plain is a copy of a template value without the to_dict() functions.
func plain(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k != "to_dict" {
				out[k] = plain(e)
			}
		}
		return out
	case *jinja.List:
		items := make([]any, len(x.Items))
		for i, e := range x.Items {
			items[i] = plain(e)
		}
		return &jinja.List{Items: items, Tuple: x.Tuple}
	}
	return v
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
