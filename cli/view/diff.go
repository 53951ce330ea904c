package view

import (
	"fmt"
	"html"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// ModelDiff is how one model's relation differs from the state's (mart
// diff), or from a full rebuild (mart verify).
type ModelDiff struct {
	UniqueID string `json:"unique_id"`
	Name     string `json:"name"`
	New      string `json:"new"` // the relation compared (this target's)
	Old      string `json:"old"` // the one it is compared with
	// Status is "compared", "new" (the state has no such relation),
	// "not built" (this target has none) or "error".
	Status string   `json:"status"`
	Key    []string `json:"key,omitempty"` // the unique key rows were matched by; none: whole rows
	// Columns that only New has, only Old has, and whose type changed
	// ("amount: INTEGER -> DOUBLE").
	ColumnsAdded   []string              `json:"columns_added,omitempty"`
	ColumnsRemoved []string              `json:"columns_removed,omitempty"`
	ColumnsRetyped []string              `json:"columns_retyped,omitempty"`
	Rows           *warehouse.DiffResult `json:"rows,omitempty"`
	Error          string                `json:"error,omitempty"`
}

// Differs reports whether the model differs in its columns or rows.
func (d ModelDiff) Differs() bool {
	return d.Status != "compared" || len(d.ColumnsAdded)+len(d.ColumnsRemoved)+len(d.ColumnsRetyped) > 0 ||
		(d.Rows != nil && d.Rows.Differs())
}

// diffLines writes a model's diff for a person.
func diffLines(d ModelDiff) []string {
	switch d.Status {
	case "new":
		if d.Old == "" {
			return []string{fmt.Sprintf("%s: new: the state has no such node", d.Name)}
		}
		return []string{fmt.Sprintf("%s: new: %s does not exist", d.Name, d.Old)}
	case "not built":
		return []string{fmt.Sprintf("%s: %s is not built in this target", d.Name, d.New)}
	case "error":
		return []string{fmt.Sprintf("%s: cannot compare: %s", d.Name, d.Error)}
	}
	head := fmt.Sprintf("%s: %s against %s", d.Name, d.New, d.Old)
	if !d.Differs() {
		n := int64(0)
		if d.Rows != nil {
			n = d.Rows.Counts[warehouse.DiffSame]
		}
		return []string{head + fmt.Sprintf(": no difference (%s rows)", thousands(n))}
	}
	out := []string{head}
	for _, c := range []struct {
		what string
		cols []string
	}{{"columns added", d.ColumnsAdded}, {"columns removed", d.ColumnsRemoved}, {"columns retyped", d.ColumnsRetyped}} {
		if len(c.cols) > 0 {
			out = append(out, "  "+c.what+": "+strings.Join(c.cols, ", "))
		}
	}
	if r := d.Rows; r != nil {
		by := "by whole rows"
		if len(d.Key) > 0 {
			by = "by " + strings.Join(d.Key, ", ")
		}
		out = append(out, fmt.Sprintf("  rows (%s): %s added, %s removed, %s changed, %s unchanged", by,
			thousands(r.Counts[warehouse.DiffAdded]), thousands(r.Counts[warehouse.DiffRemoved]),
			thousands(r.Counts[warehouse.DiffChanged]), thousands(r.Counts[warehouse.DiffSame])))
		for _, kind := range []string{warehouse.DiffAdded, warehouse.DiffRemoved, warehouse.DiffChanged} {
			for _, ex := range r.Examples[kind] {
				line := "    " + kind + " " + ex
				if cols := r.ChangedColumns[ex]; len(cols) > 0 {
					line += " (" + strings.Join(cols, ", ") + ")"
				}
				out = append(out, line)
			}
		}
	}
	return out
}

// MarkdownDiffs writes diffs as a markdown section (a PR comment, a
// GitHub step summary).
func MarkdownDiffs(title string, diffs []ModelDiff) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", title)
	if len(diffs) == 0 {
		b.WriteString("No model to compare.\n")
		return b.String()
	}
	b.WriteString("| model | status | added | removed | changed | unchanged | columns |\n|---|---|--:|--:|--:|--:|---|\n")
	for _, d := range diffs {
		status, counts := d.Status, []string{"", "", "", ""}
		if d.Status == "compared" {
			status = "same"
			if d.Differs() {
				status = "**differs**"
			}
		}
		if r := d.Rows; r != nil {
			for i, k := range []string{warehouse.DiffAdded, warehouse.DiffRemoved, warehouse.DiffChanged, warehouse.DiffSame} {
				counts[i] = thousands(r.Counts[k])
			}
		}
		var cols []string
		for _, c := range d.ColumnsAdded {
			cols = append(cols, "+"+c)
		}
		for _, c := range d.ColumnsRemoved {
			cols = append(cols, "-"+c)
		}
		cols = append(cols, d.ColumnsRetyped...)
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", d.Name, status, counts[0], counts[1], counts[2], counts[3],
			mdCell(strings.Join(cols, ", ")))
	}
	for _, d := range diffs {
		if d.Rows == nil || !d.Rows.Differs() {
			continue
		}
		rows := strings.Join(diffLines(d)[1:], "\n")
		fence := codeFence(rows)
		fmt.Fprintf(&b, "\n<details><summary><code>%s</code>: example rows</summary>\n\n%s\n%s\n%s\n</details>\n", html.EscapeString(d.Name),
			fence, rows, fence)
	}
	return b.String()
}

// mdCell is text from the warehouse or the project (a message quoting
// data) as a markdown table cell: shown as text, never as HTML.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(html.EscapeString(s), "|", `\|`), "\n", " ")
}

// codeFence is a fence for a code block holding text: longer than any run
// of backticks in it, so the text cannot close the block.
func codeFence(text string) string {
	longest, run := 0, 0
	for i := 0; i < len(text); i++ {
		if text[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
