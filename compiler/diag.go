package compiler

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a diagnostic.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Diagnostic is one problem found in the user's project.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"column,omitempty"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail,omitempty"`
}

func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Col > 0 {
				fmt.Fprintf(&b, ":%d", d.Col)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(string(d.Severity))
	b.WriteString(": ")
	b.WriteString(d.Summary)
	if d.Detail != "" {
		b.WriteString("\n  ")
		b.WriteString(strings.ReplaceAll(d.Detail, "\n", "\n  "))
	}
	return b.String()
}

// Diagnostics is a list of problems; it is an error when it holds an error.
type Diagnostics []Diagnostic

func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SevError {
			return true
		}
	}
	return false
}

// Errors returns only the error diagnostics.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == SevError {
			out = append(out, d)
		}
	}
	return out
}

// Error implements error by joining the error diagnostics.
func (ds Diagnostics) Error() string {
	var parts []string
	for _, d := range ds.Errors() {
		parts = append(parts, d.String())
	}
	return strings.Join(parts, "\n")
}

// Sort orders diagnostics by file, line and column, then text, so that
// the output does not depend on the order parallel workers found them in
// (a ref() inside a macro fails at the same position for every model).
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Summary != b.Summary {
			return a.Summary < b.Summary
		}
		return a.Detail < b.Detail
	})
}

func errorf(file string, line, col int, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: SevError, File: file, Line: line, Col: col, Summary: fmt.Sprintf(format, args...)}
}

func warnf(file string, line, col int, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: SevWarning, File: file, Line: line, Col: col, Summary: fmt.Sprintf(format, args...)}
}

// closest returns up to n candidates nearest to s by edit distance.
func closest(s string, candidates []string, n int) []string {
	type scored struct {
		s string
		d int
	}
	var xs []scored
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(s), strings.ToLower(c))
		if d <= max(2, len(s)/2) || strings.Contains(c, s) || strings.Contains(s, c) {
			xs = append(xs, scored{c, d})
		}
	}
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].d != xs[j].d {
			return xs[i].d < xs[j].d
		}
		return xs[i].s < xs[j].s
	})
	var out []string
	for i := 0; i < len(xs) && i < n; i++ {
		out = append(out, xs[i].s)
	}
	return out
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func didYouMean(s string, candidates []string) string {
	c := closest(s, candidates, 3)
	if len(c) == 0 {
		return ""
	}
	return "did you mean " + strings.Join(quoteAll(c), ", ") + "?"
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
