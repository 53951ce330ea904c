package view

import (
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/freshness"
)

// The views of the orchestration commands: `mart airflow generate`, `mart
// source freshness`, and warnings such as a lineage endpoint that does not
// answer.

func (h *Human) Warn(msg string) { fmt.Fprintln(h.err, "warning:", msg) }

func (j *JSON) Warn(msg string) { j.emit(j.err, "warning", map[string]any{"message": msg}) }

func (h *Human) DAGWritten(d DAGReport) {
	fmt.Fprintf(h.out, "Wrote the Airflow DAG %q to %s: %s, %d dependencies\n", d.DagID, d.File, tasksText(d.Counts), d.Edges)
}

func (j *JSON) DAGWritten(d DAGReport) {
	j.emit(j.out, "dag_written", map[string]any{"file": d.File, "dag_id": d.DagID, "tasks": d.Counts, "edges": d.Edges})
}

// tasksText counts tasks by kind: "6 extract tasks, 30 build tasks".
func tasksText(c map[string]int) string {
	var parts []string
	for _, k := range []string{"extract", "freshness", "build", "test"} {
		if n := c[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s task%s", n, k, plural(n)))
		}
	}
	if len(parts) == 0 {
		return "no task"
	}
	return strings.Join(parts, ", ")
}

func (h *Human) FreshnessChecked(r *freshness.Result, i, total int) {
	status := map[string]string{freshness.StatusPass: "PASS", freshness.StatusWarn: "WARN", freshness.StatusError: "ERROR STALE",
		freshness.StatusRuntimeError: "ERROR"}[r.Status]
	info := fmt.Sprintf("[in %.2fs]", r.ExecutionTime)
	switch {
	case r.AgeSeconds != nil:
		info = fmt.Sprintf("[newest row %s old, loaded at %s, in %.2fs]", age(*r.AgeSeconds), r.MaxLoadedAt.Format(time.RFC3339), r.ExecutionTime)
	case r.Status != freshness.StatusRuntimeError:
		info = fmt.Sprintf("[no rows, in %.2fs]", r.ExecutionTime)
	}
	fmt.Fprintf(h.out, "%d of %d %s freshness of %s.%s %s\n", i, total, status, r.Source, r.Table, info)
	if r.Error != "" {
		fmt.Fprintln(h.out, indent(r.Error, "    "))
	}
}

func (j *JSON) FreshnessChecked(r *freshness.Result, i, total int) {
	ev := map[string]any{"unique_id": r.UniqueID, "source": r.Source, "table": r.Table, "status": r.Status, "index": i,
		"total": total, "execution_time": r.ExecutionTime, "criteria": r.Criteria}
	if r.MaxLoadedAt != nil {
		ev["max_loaded_at"] = r.MaxLoadedAt
		ev["max_loaded_at_time_ago_in_s"] = *r.AgeSeconds
	}
	if r.SnapshottedAt != nil {
		ev["snapshotted_at"] = r.SnapshottedAt
	}
	if r.Error != "" {
		ev["error"] = r.Error
	}
	j.emit(j.out, "freshness_checked", ev)
}

func (h *Human) FreshnessFinished(rs []*freshness.Result, elapsed time.Duration) {
	c := countFreshness(rs)
	verdict := "Sources are fresh"
	switch {
	case c[freshness.StatusError]+c[freshness.StatusRuntimeError] > 0:
		verdict = "Some sources are stale or could not be checked"
	case c[freshness.StatusWarn] > 0:
		verdict = "Some sources are getting stale"
	}
	fmt.Fprintf(h.out, "\n%s (%.2fs): PASS=%d WARN=%d ERROR=%d RUNTIME_ERROR=%d TOTAL=%d; results in target/sources.json\n", verdict,
		elapsed.Seconds(), c[freshness.StatusPass], c[freshness.StatusWarn], c[freshness.StatusError], c[freshness.StatusRuntimeError], len(rs))
}

func (j *JSON) FreshnessFinished(rs []*freshness.Result, elapsed time.Duration) {
	c := countFreshness(rs)
	j.emit(j.out, "freshness_summary", map[string]any{"pass": c[freshness.StatusPass], "warn": c[freshness.StatusWarn],
		"error": c[freshness.StatusError], "runtime_error": c[freshness.StatusRuntimeError], "total": len(rs), "elapsed": elapsed.Seconds()})
}

func countFreshness(rs []*freshness.Result) map[string]int {
	c := map[string]int{}
	for _, r := range rs {
		c[r.Status]++
	}
	return c
}

// age writes seconds as the largest whole units: 3d4h, 2h15m, 40s.
func age(s float64) string {
	d := time.Duration(s) * time.Second
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%dh", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh%dm", d/time.Hour, d%time.Hour/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%ds", d/time.Minute, d%time.Minute/time.Second)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}
