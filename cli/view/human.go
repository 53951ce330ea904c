package view

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// Human writes text for a person: one line per node, aligned tables.
type Human struct {
	out, err io.Writer
}

func (h *Human) Diagnostics(ds compiler.Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(h.err, d.String())
	}
}

func (h *Human) Error(err error) { fmt.Fprintln(h.err, "error:", err) }

func (h *Human) Info(msg string) { fmt.Fprintln(h.out, msg) }

// PartialParse writes on stderr, as diagnostics: what a command lists
// or shows on stdout stays as it is under --debug.
func (h *Human) PartialParse(p PartialParse) { fmt.Fprintln(h.err, p.String()) }

func (h *Human) Compiled(c Compiled) {
	fmt.Fprintf(h.out, "Compiled %s to %s/compiled and wrote %s/manifest.json\n", Summarize(c.Counts), c.TargetDir, c.TargetDir)
}

func (h *Human) Listed(l Listing) {
	if l.Output == "json" {
		w := bufio.NewWriter(h.out)
		for _, e := range l.Entries {
			w.Write(e)
			w.WriteByte('\n')
		}
		w.Flush()
		return
	}
	lines := make([]string, len(l.Nodes))
	for i, n := range l.Nodes {
		lines[i] = listLine(n, l.Output)
	}
	for _, l := range sortedCopy(lines) {
		fmt.Fprintln(h.out, l)
	}
}

func (h *Human) RunStarted(r RunStart) {
	n := r.Threads
	fmt.Fprintf(h.out, "Running %s with %d thread%s on %s target %q\n", Summarize(r.Counts), n, plural(n), r.TargetType, r.TargetName)
}

func (h *Human) NodeFinished(n *compiler.Node, r *runner.NodeResult, i, total int) {
	status, info := statusText(r)
	fmt.Fprintf(h.out, "%d of %d %s %s %s\n", i, total, status, nodeWhat(n, r), info)
	if r.Status == runner.StatusError {
		fmt.Fprintln(h.out, indent(r.Message, "    "))
		if e := r.Error; e != nil && e.Line > 0 && e.CompiledPath != "" {
			at := fmt.Sprintf("%s:%d", e.CompiledPath, e.Line)
			if e.Column > 0 {
				at += fmt.Sprintf(":%d", e.Column)
			}
			fmt.Fprintf(h.out, "    at %s\n", at)
		}
	}
	if (r.Status == runner.StatusFail || r.Status == runner.StatusWarn) && r.FailingRows != nil {
		fmt.Fprintln(h.out, indent(formatRows(r.FailingRows), "    "))
		if r.Failures != nil && *r.Failures > int64(len(r.FailingRows.Values)) {
			fmt.Fprintf(h.out, "    (first %d of %d failing rows)\n", len(r.FailingRows.Values), *r.Failures)
		}
	}
	if r.StoredIn != "" && r.Status != runner.StatusPass {
		fmt.Fprintf(h.out, "    failing rows stored in %s\n", r.StoredIn)
	}
}

// nodeWhat names a node in its result line.
func nodeWhat(n *compiler.Node, r *runner.NodeResult) string {
	switch r.ResourceType {
	case compiler.TypeTest:
		return r.Name
	case compiler.TypeUnitTest:
		if n.UnitTest != nil {
			return "unit test " + n.UnitTest.Model + "::" + r.Name
		}
		return "unit test " + r.Name
	case compiler.TypeSeed:
		return "seed " + displayRelation(n)
	case compiler.TypeSnapshot:
		return "snapshot " + displayRelation(n)
	}
	return r.Materialized + " " + displayRelation(n)
}

// statusText is a result's status word and its bracketed detail.
func statusText(r *runner.NodeResult) (string, string) {
	secs := fmt.Sprintf("%.2fs", r.ExecutionTime)
	var status, info string
	switch r.Status {
	case runner.StatusSuccess:
		status = "OK"
		switch {
		case r.Materialized == "incremental" || r.ResourceType == compiler.TypeSnapshot:
			// what the strategy did: MERGE n, MICROBATCH k batches ..., CREATE TABLE (n rows)
			info = fmt.Sprintf("[%s in %s]", firstNonEmpty(r.Message, "done"), secs)
		case r.RowsAffected >= 0:
			info = fmt.Sprintf("[%s rows in %s]", thousands(r.RowsAffected), secs)
		default:
			info = fmt.Sprintf("[%s in %s]", firstNonEmpty(r.Message, "done"), secs)
		}
	case runner.StatusPass:
		status, info = "PASS", fmt.Sprintf("[in %s]", secs)
	case runner.StatusWarn:
		status, info = "WARN", fmt.Sprintf("[%s in %s]", r.Message, secs)
	case runner.StatusFail:
		status, info = "FAIL", fmt.Sprintf("[%s in %s]", r.Message, secs)
	case runner.StatusError:
		status, info = "ERROR", fmt.Sprintf("[in %s]", secs)
	case runner.StatusSkipped:
		status, info = "SKIP", "("+r.SkipReason+")"
	}
	if b, ok := r.AdapterResp["bytes_processed"].(int64); ok && r.Status != runner.StatusSkipped {
		info = strings.TrimSuffix(info, "]") + ", " + HumanBytes(b) + " processed]"
	}
	return status, info
}

func (h *Human) RunFinished(rr *runner.Results) {
	c := countResults(rr)
	verdict := "Completed successfully"
	switch {
	case rr.Interrupted:
		verdict = "Interrupted"
	case c.errors+c.fail > 0:
		verdict = "Completed with errors"
	case c.warn > 0:
		verdict = "Completed with warnings"
	}
	fmt.Fprintf(h.out, "\n%s in %.2fs: OK=%d WARN=%d ERROR=%d FAIL=%d SKIP=%d TOTAL=%d\n", verdict, rr.Elapsed,
		c.ok, c.warn, c.errors, c.fail, c.skip, c.total())
}

func (h *Human) Planned(p PlanReport) {
	counts := map[string]int{}
	for _, s := range p.Plan.Steps {
		if s.Action.Runs() {
			counts[s.ResourceType]++
		}
	}
	fmt.Fprintf(h.out, "Plan: %s on %s target %q; nothing runs (--dry-run)\n", Summarize(counts), p.TargetType, p.TargetName)
	if len(p.Plan.Schemas) > 0 {
		var names []string
		for _, s := range p.Plan.Schemas {
			names = append(names, s.Schema)
		}
		fmt.Fprintf(h.out, "  schemas: %s\n", strings.Join(names, ", "))
	}
	var total int64
	var usd float64
	var pricing string
	i := 0
	for _, s := range p.Plan.Steps {
		if !s.Action.Runs() {
			continue
		}
		i++
		line := fmt.Sprintf("%4d  %-11s %s", i, s.Action, s.Name)
		if s.Writes != nil {
			line = fmt.Sprintf("%4d  %-11s %s", i, s.Action, relationText(s.Writes))
		}
		if s.Detail != "" {
			line += "  (" + s.Detail + ")"
		}
		if est, ok := p.Estimates[s.ID]; ok {
			line += "  " + HumanBytes(est.BytesProcessed)
			total += est.BytesProcessed
			usd += est.USD
			pricing = est.Pricing
		} else if err, ok := p.Failed[s.ID]; ok {
			line += "  cannot estimate: " + firstLine(err.Error())
		}
		fmt.Fprintln(h.out, line)
	}
	if p.Estimates != nil {
		fmt.Fprintf(h.out, "Total: %s processed, about $%.2f at %s; nothing was changed.\n", HumanBytes(total), usd, pricing)
		if n := len(p.Failed); n > 0 {
			fmt.Fprintf(h.out, "%d statement%s could not be estimated (often: a parent relation is not built yet).\n", n, plural(n))
		}
	}
}

func (h *Human) Rows(label string, limit int, rows *warehouse.Rows) {
	fmt.Fprintf(h.out, "Previewing %s (first %d rows):\n%s\n", label, limit, formatRows(rows))
}

func (h *Human) Check(c Check) {
	fmt.Fprintf(h.out, "  %-5s %s\n", c.Status, c.Message)
}

func firstNonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (h *Human) Diffed(d ModelDiff) {
	for _, l := range diffLines(d) {
		fmt.Fprintln(h.out, l)
	}
}

// String is the sentence the text view writes.
func (p PartialParse) String() string {
	if !p.Patched {
		reused := ""
		if p.Renders > 0 {
			reused = fmt.Sprintf(" (%d of %d renders reused from the render cache)", p.Reused, p.Renders)
		}
		return fmt.Sprintf("Partial parsing: compiled the whole project%s: %s", reused, p.Reason)
	}
	s := fmt.Sprintf("Partial parsing: target/ patched from its snapshot, %d template%s rendered again", p.Rendered, plural(p.Rendered))
	if p.Nodes > 0 {
		s += fmt.Sprintf("; %d of its %d nodes loaded", p.Loaded, p.Nodes)
	}
	return s
}
