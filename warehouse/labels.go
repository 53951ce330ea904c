package warehouse

import (
	"context"
	"maps"
)

// Label keys the build sets on every job so that a bill can be read per
// model. Adapters may turn them into their engine's spelling (BigQuery
// lowercases values and replaces characters it does not allow).
const (
	LabelModel        = "mart_model"         // the node's name, e.g. fct_rentals
	LabelInvocationID = "mart_invocation_id" // one id per mart command
	LabelTarget       = "mart_target"        // the profile target, e.g. prod
)

type labelsKey struct{}

// WithJobLabels returns a context whose warehouse jobs carry labels, merged
// over the labels ctx already carries (a key given here wins). Adapters
// without job labels (DuckDB) ignore them. The map is copied.
//
// The build sets [LabelInvocationID] and [LabelTarget] once for the whole
// run and [LabelModel] per node:
//
//	ctx = warehouse.WithJobLabels(ctx, map[string]string{warehouse.LabelModel: n.Name})
func WithJobLabels(ctx context.Context, labels map[string]string) context.Context {
	if len(labels) == 0 {
		return ctx
	}
	merged := maps.Clone(JobLabels(ctx))
	if merged == nil {
		merged = make(map[string]string, len(labels))
	}
	maps.Copy(merged, labels)
	return context.WithValue(ctx, labelsKey{}, merged)
}

// JobLabels returns the labels set on ctx by [WithJobLabels], or nil. The
// caller must not modify the map.
func JobLabels(ctx context.Context) map[string]string {
	m, _ := ctx.Value(labelsKey{}).(map[string]string)
	return m
}
