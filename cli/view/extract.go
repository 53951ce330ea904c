package view

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mart-dev/mart/extract"
)

// The view of `mart extract`. Its events come from the tables running at
// once, so both views serialize them.

// extractLock serializes the extract events of both views.
var extractLock sync.Mutex

func (h *Human) ExtractStarted(t extract.TableInfo) {
	extractLock.Lock()
	defer extractLock.Unlock()
	fmt.Fprintf(h.out, "%d of %d START extract %s.%s from %s (%s) into %s\n", t.Index, t.Total, t.Source, t.Table, t.From, t.Mode, t.Relation)
}

func (j *JSON) ExtractStarted(t extract.TableInfo) {
	extractLock.Lock()
	defer extractLock.Unlock()
	j.emit(j.out, "extract_started", tableFields(t))
}

func (h *Human) ExtractProgress(p extract.Progress) {
	extractLock.Lock()
	defer extractLock.Unlock()
	line := fmt.Sprintf("    %s.%s: %s %s (%s rows/s, %s)", p.Source, p.Table, phaseVerb(p.Phase), rowCount(p.Rows),
		thousands(int64(p.RowsPerSecond)), byteSize(p.Bytes))
	if p.EstimatedRows > 0 {
		line += fmt.Sprintf(", about %s in all", thousands(p.EstimatedRows))
	}
	if p.ETA > 0 {
		line += fmt.Sprintf(", %s left", p.ETA.Round(time.Second))
	}
	fmt.Fprintln(h.out, line)
}

func (j *JSON) ExtractProgress(p extract.Progress) {
	extractLock.Lock()
	defer extractLock.Unlock()
	ev := tableFields(p.TableInfo)
	ev["phase"], ev["rows"], ev["bytes"], ev["elapsed"] = p.Phase, p.Rows, p.Bytes, p.Elapsed.Seconds()
	ev["rows_per_second"], ev["bytes_per_second"] = p.RowsPerSecond, p.BytesPerSecond
	if p.EstimatedRows > 0 {
		ev["estimated_rows"] = p.EstimatedRows
	}
	if p.ETA > 0 {
		ev["eta"] = p.ETA.Seconds()
	}
	j.emit(j.out, "extract_progress", ev)
}

func (h *Human) ExtractWarning(t extract.TableInfo, msg string) {
	extractLock.Lock()
	defer extractLock.Unlock()
	fmt.Fprintf(h.err, "warning: extract %s.%s: %s\n", t.Source, t.Table, msg)
}

func (j *JSON) ExtractWarning(t extract.TableInfo, msg string) {
	extractLock.Lock()
	defer extractLock.Unlock()
	ev := tableFields(t)
	ev["message"] = msg
	j.emit(j.err, "warning", ev)
}

func (h *Human) ExtractFinished(r extract.TableResult) {
	extractLock.Lock()
	defer extractLock.Unlock()
	switch r.Status {
	case extract.StatusSuccess:
		fmt.Fprintf(h.out, "%d of %d OK extracted %s.%s: %s [%s read, %s, in %.2fs]\n", r.Index, r.Total, r.Source, r.Table,
			changesText(r), rowCount(r.Rows), byteSize(r.Bytes), r.Duration.Seconds())
	case extract.StatusSkipped:
		fmt.Fprintf(h.out, "%d of %d SKIP extract %s.%s [the run was cancelled before it began]\n", r.Index, r.Total, r.Source, r.Table)
	default:
		fmt.Fprintf(h.out, "%d of %d ERROR extracting %s.%s [in %.2fs]\n", r.Index, r.Total, r.Source, r.Table, r.Duration.Seconds())
		if r.Err != nil {
			fmt.Fprintln(h.out, indent(r.Err.Error(), "    "))
		}
	}
}

func (j *JSON) ExtractFinished(r extract.TableResult) {
	extractLock.Lock()
	defer extractLock.Unlock()
	ev := tableFields(r.TableInfo)
	ev["status"], ev["rows"], ev["inserted"], ev["updated"], ev["deleted"] = r.Status, r.Rows, r.Inserted, r.Updated, r.Deleted
	ev["bytes"], ev["execution_time"] = r.Bytes, r.Duration.Seconds()
	if r.Err != nil {
		ev["error"] = r.Err.Error()
	}
	j.emit(j.out, "extract_finished", ev)
}

func (h *Human) ExtractSummary(res *extract.Results) {
	c := countExtract(res)
	verdict := "Completed successfully"
	if c[extract.StatusError] > 0 {
		verdict = "Completed with errors"
	} else if c[extract.StatusSkipped] > 0 {
		verdict = "Cancelled"
	}
	fmt.Fprintf(h.out, "\nFinished extracting %d table%s in %.2fs. %s: OK=%d ERROR=%d SKIP=%d\n", len(res.Tables), plural(len(res.Tables)),
		res.Elapsed.Seconds(), verdict, c[extract.StatusSuccess], c[extract.StatusError], c[extract.StatusSkipped])
	for _, s := range bySource(res) {
		fmt.Fprintf(h.out, "  %s: %d table%s, %s read, %s inserted, %s updated, %s deleted\n", s.name, s.tables, plural(s.tables),
			rowCount(s.rows), thousands(s.inserted), thousands(s.updated), thousands(s.deleted))
	}
}

func (j *JSON) ExtractSummary(res *extract.Results) {
	c := countExtract(res)
	sources := []map[string]any{}
	for _, s := range bySource(res) {
		sources = append(sources, map[string]any{"source": s.name, "tables": s.tables, "rows": s.rows, "inserted": s.inserted,
			"updated": s.updated, "deleted": s.deleted})
	}
	j.emit(j.out, "extract_summary", map[string]any{"success": c[extract.StatusSuccess], "error": c[extract.StatusError],
		"skipped": c[extract.StatusSkipped], "total": len(res.Tables), "elapsed": res.Elapsed.Seconds(), "sources": sources})
}

func tableFields(t extract.TableInfo) map[string]any {
	return map[string]any{"unique_id": t.UniqueID, "source": t.Source, "table": t.Table, "relation": t.Relation,
		"from": t.From, "mode": t.Mode, "index": t.Index, "total": t.Total}
}

func phaseVerb(phase string) string {
	switch phase {
	case extract.PhaseReconcile:
		return "compared keys of"
	case extract.PhaseChanges:
		return "applied changes to"
	case extract.PhaseFiles:
		return "loaded"
	}
	return "read"
}

// changesText says what a table's extract changed in the raw table.
func changesText(r extract.TableResult) string {
	if r.Inserted+r.Updated+r.Deleted == 0 {
		return "no changes"
	}
	var parts []string
	for _, p := range []struct {
		n    int64
		verb string
	}{{r.Inserted, "inserted"}, {r.Updated, "updated"}, {r.Deleted, "deleted"}} {
		if p.n > 0 {
			parts = append(parts, thousands(p.n)+" "+p.verb)
		}
	}
	return strings.Join(parts, ", ")
}

func countExtract(res *extract.Results) map[extract.Status]int {
	c := map[extract.Status]int{}
	for _, t := range res.Tables {
		c[t.Status]++
	}
	return c
}

type sourceSum struct {
	name                             string
	tables                           int
	rows, inserted, updated, deleted int64
}

func bySource(res *extract.Results) []*sourceSum {
	m := map[string]*sourceSum{}
	for _, t := range res.Tables {
		s := m[t.Source]
		if s == nil {
			s = &sourceSum{name: t.Source}
			m[t.Source] = s
		}
		s.tables++
		s.rows, s.inserted, s.updated, s.deleted = s.rows+t.Rows, s.inserted+t.Inserted, s.updated+t.Updated, s.deleted+t.Deleted
	}
	out := make([]*sourceSum, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].name < out[k].name })
	return out
}

// byteSize writes a byte count in binary units: 512 B, 3.2 MiB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// rowCount is "1 row", "7,522 rows".
func rowCount(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return thousands(n) + " rows"
}
