package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mart-dev/mart/internal/suggest"
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
// HasWarnings says whether diagnostics hold a warning about the project
// (partial parsing's notes aside: IsNote).
func (ds Diagnostics) HasWarnings() bool {
	for _, d := range ds {
		if d.Severity == SevWarning && !IsNote(d) {
			return true
		}
	}
	return false
}

// IsNote says whether a diagnostic is partial parsing's note about
// target/'s caches (ignored, or every template rendered), not about the
// project.
func IsNote(d Diagnostic) bool { return strings.HasPrefix(d.Summary, partialParseNote) }

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

func didYouMean(s string, candidates []string) string { return suggest.Hint(s, candidates, 3) }

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
