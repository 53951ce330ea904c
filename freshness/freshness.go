// Package freshness checks source freshness (`mart source freshness`):
// for each source table with a freshness: block it asks the warehouse for
// the newest loaded_at_field value and the engine's clock, compares their
// difference with warn_after and error_after, and writes the results to
// target/sources.json in dbt's shape, which the source_status:fresher
// selector reads back.
package freshness

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// Statuses of a check, as dbt writes them.
const (
	StatusPass  = "pass"
	StatusWarn  = "warn"
	StatusError = "error"
	// StatusRuntimeError is a check that could not run (the query failed).
	StatusRuntimeError = "runtime error"
)

// Result is one source table's check, an entry of sources.json.
type Result struct {
	UniqueID string `json:"unique_id"`
	// MaxLoadedAt is the newest loaded_at_field value; nil when the
	// table (after the filter) has no row.
	MaxLoadedAt   *time.Time         `json:"max_loaded_at,omitempty"`
	SnapshottedAt *time.Time         `json:"snapshotted_at,omitempty"`
	AgeSeconds    *float64           `json:"max_loaded_at_time_ago_in_s,omitempty"`
	Status        string             `json:"status"`
	Criteria      compiler.Freshness `json:"criteria"`
	ExecutionTime float64            `json:"execution_time"`
	Timing        []Timing           `json:"timing"`
	Error         string             `json:"error,omitempty"`
	AdapterResp   map[string]any     `json:"adapter_response"`

	// Source and Table name the checked table, for the views.
	Source string `json:"-"`
	Table  string `json:"-"`
}

// Timing is when the check ran.
type Timing struct {
	Name        string    `json:"name"`
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
}

// Failed reports whether the check errored or could not run.
func (r *Result) Failed() bool { return r.Status == StatusError || r.Status == StatusRuntimeError }

// Check runs the freshness check of source n, which has a freshness: block
// and a loaded_at_field (see Missing).
func Check(ctx context.Context, wh warehouse.Warehouse, n *compiler.Node) *Result {
	start := time.Now()
	r := &Result{UniqueID: n.UniqueID, Status: StatusRuntimeError, Criteria: *n.Freshness, Source: n.SourceName,
		Table: n.Name, AdapterResp: map[string]any{}}
	defer func() {
		end := time.Now()
		r.ExecutionTime = end.Sub(start).Seconds()
		r.Timing = []Timing{{Name: "execute", StartedAt: start, CompletedAt: end}}
	}()
	fd, ok := wh.(warehouse.FreshnessDialect)
	if !ok {
		r.Error = fmt.Sprintf("the %s adapter cannot check source freshness", wh.Name())
		return r
	}
	rel := warehouse.Relation{Database: n.Database, Schema: n.Schema, Name: n.Identifier}
	if err := checkColumn(ctx, wh, rel, n.LoadedAtField); err != nil {
		r.Error = err.Error()
		return r
	}
	rows, err := wh.Query(ctx, fd.FreshnessQuery(n.Relation, n.LoadedAtField, n.Freshness.Filter), 0)
	if err != nil {
		r.Error = fmt.Sprintf("source %s.%s: %v", n.SourceName, n.Name, err)
		return r
	}
	if len(rows.Values) != 1 || len(rows.Values[0]) != 2 {
		r.Error = fmt.Sprintf("source %s.%s: the freshness query returned %d rows, want 1", n.SourceName, n.Name, len(rows.Values))
		return r
	}
	now, ok := rows.Values[0][1].(time.Time)
	if !ok {
		r.Error = fmt.Sprintf("source %s.%s: the engine's current time came back as %T", n.SourceName, n.Name, rows.Values[0][1])
		return r
	}
	now = now.UTC()
	r.SnapshottedAt = &now
	switch v := rows.Values[0][0].(type) {
	case nil:
		r.Status = Status(*n.Freshness, 0, false) // no rows: as old as can be
	case time.Time:
		v = v.UTC()
		age := now.Sub(v).Seconds()
		r.MaxLoadedAt, r.AgeSeconds = &v, &age
		r.Status = Status(*n.Freshness, time.Duration(age*float64(time.Second)), true)
	default:
		r.Error = fmt.Sprintf("source %s.%s: loaded_at_field %s is not a timestamp or date (got %T %v)", n.SourceName, n.Name, n.LoadedAtField, v, v)
	}
	return r
}

// Status compares an age with the thresholds; without any row (known
// false) the table is as stale as can be.
func Status(f compiler.Freshness, age time.Duration, known bool) string {
	switch {
	case f.ErrorAfter != nil && (!known || age > f.ErrorAfter.Duration()):
		return StatusError
	case f.WarnAfter != nil && (!known || age > f.WarnAfter.Duration()):
		return StatusWarn
	}
	return StatusPass
}

// checkColumn makes a loaded_at_field that is a plain column name that
// the table lacks a clear error, naming the table's columns. An
// expression is left to the engine.
func checkColumn(ctx context.Context, wh warehouse.Warehouse, rel warehouse.Relation, field string) error {
	name := strings.Trim(field, "`\"")
	if strings.ContainsAny(name, " ()+-*/,'") {
		return nil
	}
	cols, kind, err := wh.Describe(ctx, rel)
	if err != nil || kind == "" {
		if err == nil {
			err = fmt.Errorf("relation %s does not exist", rel)
		}
		return err
	}
	if _, ok := warehouse.FindColumn(cols, name); ok {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return fmt.Errorf("loaded_at_field %q is not a column of %s (its columns: %s)", field, rel, strings.Join(names, ", "))
}

// Missing describes a source with a freshness: block but no
// loaded_at_field, which cannot be checked; "" when n can be.
func Missing(n *compiler.Node) string {
	if n.Freshness == nil || n.LoadedAtField != "" {
		return ""
	}
	return fmt.Sprintf("source %s.%s has a freshness: block but no loaded_at_field: set loaded_at_field: <timestamp column> on the table or its source",
		n.SourceName, n.Name)
}
