package warehouse

import (
	"fmt"
	"strings"
)

// DiffSpec compares the rows of two relations (mart diff, mart verify).
type DiffSpec struct {
	// New and Old are the relations compared, as quoted SQL names.
	New, Old string
	// Key are the columns that identify a row; a row of New whose key Old
	// lacks is added, the reverse removed, and one whose other columns
	// differ changed. Without a key, whole rows are compared as multisets.
	Key []string
	// Columns are the columns compared: those both relations have.
	Columns []string
	// Examples is how many example keys (or rows) of each kind to return.
	Examples int
}

// Kinds of row differences.
const (
	DiffAdded   = "added"
	DiffRemoved = "removed"
	DiffChanged = "changed"
	DiffSame    = "same"
)

// DiffResult is what a diff query found.
type DiffResult struct {
	// Counts has a count per kind (added, removed, changed, same).
	Counts map[string]int64 `json:"counts"`
	// Examples holds, per kind, example keys (with a key) or rows (without)
	// as the engine writes them in JSON, in key order.
	Examples map[string][]string `json:"examples,omitempty"`
	// ChangedColumns holds, for each changed example (by its key), the
	// columns whose values differ.
	ChangedColumns map[string][]string `json:"changed_columns,omitempty"`
}

// Differs reports whether any row differs.
func (r DiffResult) Differs() bool {
	return r.Counts[DiffAdded]+r.Counts[DiffRemoved]+r.Counts[DiffChanged] > 0
}

// ReadDiff reads the rows of a Dialect's DiffQuery: kind, n, example,
// changed_columns.
func ReadDiff(rows *Rows) (DiffResult, error) {
	out := DiffResult{Counts: map[string]int64{}, Examples: map[string][]string{}, ChangedColumns: map[string][]string{}}
	if len(rows.Columns) != 4 {
		return out, fmt.Errorf("diff query: expected 4 columns, got %d", len(rows.Columns))
	}
	for _, r := range rows.Values {
		kind := fmt.Sprint(r[0])
		var n int64
		if _, err := fmt.Sscan(fmt.Sprint(r[1]), &n); err != nil && r[1] != nil {
			return out, fmt.Errorf("diff query: count %v: %w", r[1], err)
		}
		out.Counts[kind] = n
		if r[2] == nil {
			continue
		}
		ex := fmt.Sprint(r[2])
		out.Examples[kind] = append(out.Examples[kind], ex)
		if cols, ok := r[3].(string); ok && cols != "" {
			out.ChangedColumns[ex] = strings.Split(cols, ", ")
		}
	}
	return out, nil
}
