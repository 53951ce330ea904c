package view

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// JSON writes one JSON object per line: {"event": ..., "ts": ..., ...}.
type JSON struct {
	out, err io.Writer
	mu       sync.Mutex
}

// emit writes one event to w.
func (j *JSON) emit(w io.Writer, kind string, fields map[string]any) {
	ev := make(map[string]any, len(fields)+2)
	for k, v := range fields {
		ev[k] = v
	}
	ev["event"] = kind
	ev["ts"] = time.Now().UTC().Format(time.RFC3339Nano)
	b, err := json.Marshal(ev)
	if err != nil {
		b, _ = json.Marshal(map[string]any{"event": "error", "message": "encoding a " + kind + " event: " + err.Error()})
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	w.Write(append(b, '\n'))
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(b)
}

func (j *JSON) Diagnostics(ds compiler.Diagnostics) {
	for _, d := range ds {
		j.emit(j.err, "diagnostic", map[string]any{"severity": d.Severity, "file": d.File, "line": d.Line,
			"column": d.Col, "summary": d.Summary, "detail": d.Detail})
	}
}

func (j *JSON) Error(err error) {
	j.emit(j.err, "error", map[string]any{"message": err.Error()})
}

func (j *JSON) Info(msg string) { j.emit(j.out, "info", map[string]any{"message": msg}) }

func (j *JSON) PartialParse(p PartialParse) {
	ev := map[string]any{"patched": p.Patched, "message": p.String()}
	if p.Patched {
		ev["rendered"], ev["loaded"], ev["nodes"] = p.Rendered, p.Loaded, p.Nodes
	} else {
		ev["reason"], ev["reused"], ev["renders"] = p.Reason, p.Reused, p.Renders
	}
	j.emit(j.err, "partial_parse", ev)
}

func (j *JSON) Compiled(c Compiled) {
	j.emit(j.out, "compiled", map[string]any{"selected": c.Selected, "counts": c.Counts,
		"manifest": c.TargetDir + "/manifest.json"})
}

// Listed emits a "listed" event a node: its entry's keys (numbers kept
// as written) and its selector.
func (j *JSON) Listed(l Listing) {
	for i, n := range l.Nodes {
		ev := map[string]any{}
		d := json.NewDecoder(bytes.NewReader(l.Entries[i]))
		d.UseNumber()
		if err := d.Decode(&ev); err != nil {
			ev = map[string]any{"unique_id": n.UniqueID, "error": err.Error()}
		}
		ev["selector"] = selectorOf(n)
		j.emit(j.out, "listed", ev)
	}
}

func (j *JSON) RunStarted(r RunStart) {
	j.emit(j.out, "run_started", map[string]any{"command": r.Command, "counts": r.Counts, "threads": r.Threads,
		"target_type": r.TargetType, "target": r.TargetName})
}

func (j *JSON) NodeFinished(n *compiler.Node, r *runner.NodeResult, i, total int) {
	ev := map[string]any{"unique_id": r.UniqueID, "name": r.Name, "resource_type": r.ResourceType, "status": r.Status,
		"index": i, "total": total, "execution_time": r.ExecutionTime, "message": r.Message, "relation": r.Relation}
	if r.RowsAffected >= 0 {
		ev["rows_affected"] = r.RowsAffected
	}
	if r.Failures != nil {
		ev["failures"] = *r.Failures
	}
	if r.CompiledPath != "" {
		ev["compiled_path"] = r.CompiledPath
	}
	if r.StoredIn != "" {
		ev["stored_failures"] = r.StoredIn
	}
	if r.Error != nil {
		ev["error"] = r.Error
	}
	for k, v := range r.AdapterResp {
		ev[k] = v
	}
	j.emit(j.out, "node_finished", ev)
}

func (j *JSON) RunFinished(rr *runner.Results) {
	c := countResults(rr)
	j.emit(j.out, "summary", map[string]any{"ok": c.ok, "warn": c.warn, "error": c.errors, "fail": c.fail,
		"skip": c.skip, "total": c.total(), "elapsed": rr.Elapsed, "interrupted": rr.Interrupted})
}

func (j *JSON) Planned(p PlanReport) {
	for i, s := range p.Plan.Steps {
		ev := map[string]any{"index": i + 1, "step": s}
		if est, ok := p.Estimates[s.ID]; ok {
			ev["bytes_processed"], ev["estimated_usd"] = est.BytesProcessed, est.USD
		}
		if err, ok := p.Failed[s.ID]; ok {
			ev["estimate_error"] = err.Error()
		}
		j.emit(j.out, "plan_step", ev)
	}
	sum := map[string]any{"steps": len(p.Plan.Steps), "schemas": p.Plan.Schemas, "target_type": p.TargetType,
		"target": p.TargetName, "on_run_start": p.Plan.OnRunStart, "on_run_end": p.Plan.OnRunEnd}
	if p.Estimates != nil {
		var total int64
		var usd float64
		for _, e := range p.Estimates {
			total += e.BytesProcessed
			usd += e.USD
		}
		sum["bytes_processed"], sum["estimated_usd"], sum["failed"] = total, usd, len(p.Failed)
	}
	j.emit(j.out, "plan", sum)
}

func (j *JSON) Rows(label string, limit int, rows *warehouse.Rows) {
	out := make([]map[string]any, 0, len(rows.Values))
	for _, r := range rows.Values {
		m := map[string]any{}
		for i, c := range rows.Columns {
			m[c.Name] = r[i]
			if text, ok := warehouse.NonFinite(r[i]); ok { // JSON has no number for it: "inf", as manifest.json spells it
				m[c.Name] = text
			}
		}
		out = append(out, m)
	}
	j.emit(j.out, "show", map[string]any{"node": label, "rows": out})
}

func (j *JSON) Check(c Check) {
	j.emit(j.out, "check", map[string]any{"status": c.Status, "message": c.Message})
}

func (j *JSON) Diffed(d ModelDiff) {
	b, _ := json.Marshal(d)
	var ev map[string]any
	_ = json.Unmarshal(b, &ev)
	ev["differs"] = d.Differs()
	j.emit(j.out, "diff", ev)
}
