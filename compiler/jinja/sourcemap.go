package jinja

import "sort"

// SourceMap maps byte offsets in rewritten text back to the original text.
type SourceMap struct {
	anchors []anchor // sorted by out
	out     string   // rewritten text, for line/column lookups
	src     string   // original text
}

type anchor struct{ out, in int }

func (m *SourceMap) add(out, in int) {
	if n := len(m.anchors); n > 0 && m.anchors[n-1].out == out {
		m.anchors[n-1].in = in
		return
	}
	m.anchors = append(m.anchors, anchor{out, in})
}

// Original converts a 1-based line and column of the rewritten text into a
// 1-based line and column of the original text.
func (m *SourceMap) Original(line, col int) (int, int) {
	if m == nil || line <= 0 {
		return line, col
	}
	off := offsetOf(m.out, line, col)
	i := sort.Search(len(m.anchors), func(i int) bool { return m.anchors[i].out > off }) - 1
	in := off
	if i >= 0 {
		in = m.anchors[i].in + (off - m.anchors[i].out)
		if i+1 < len(m.anchors) && in > m.anchors[i+1].in {
			in = m.anchors[i+1].in
		}
	}
	if in > len(m.src) {
		in = len(m.src)
	}
	return LineCol(m.src, in)
}

// offsetOf returns the byte offset of a 1-based line and column.
func offsetOf(s string, line, col int) int {
	off := 0
	for l := 1; l < line && off < len(s); off++ {
		if s[off] == '\n' {
			l++
		}
	}
	off += col - 1
	if off > len(s) {
		off = len(s)
	}
	if off < 0 {
		off = 0
	}
	return off
}

// LineCol returns the 1-based line and column of a byte offset in s.
func LineCol(s string, off int) (int, int) {
	line, col := 1, 1
	for i := 0; i < off && i < len(s); i++ {
		if s[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
