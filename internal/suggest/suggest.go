// Package suggest finds the known names closest to a mistyped one, for the
// "did you mean" hints of mart's error messages (an unknown ref, config key,
// macro, selector method or profile key).
package suggest

import (
	"fmt"
	"sort"
	"strings"
)

// Closest returns up to n candidates close to s, nearest first (ties in
// name order). A candidate is close when few edits turn one into the other,
// case-insensitively (at most max(2, len(s)/2)), or when one contains the
// other and both have at least three characters.
func Closest(s string, candidates []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	ls := strings.ToLower(s)
	var xs []scored
	for _, c := range candidates {
		if d, ok := closeTo(s, ls, c); ok {
			xs = append(xs, scored{c, d})
		}
	}
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].d != xs[j].d {
			return xs[i].d < xs[j].d
		}
		return xs[i].name < xs[j].name
	})
	out := make([]string, 0, min(n, len(xs)))
	for i := 0; i < len(xs) && i < n; i++ {
		out = append(out, xs[i].name)
	}
	return out
}

// Close reports whether c is close to s as Closest counts it: whether c
// would be among Closest's candidates for s. A name that is not close to s
// changes nothing of its hint when it is added to or removed from the
// candidates.
func Close(s, c string) bool {
	_, ok := closeTo(s, strings.ToLower(s), c)
	return ok
}

// closeTo is Close, with s lowered (ls), and c's distance from it.
func closeTo(s, ls, c string) (int, bool) {
	lc := strings.ToLower(c)
	d := Distance(ls, lc)
	return d, d <= max(2, len(s)/2) || len(s) >= 3 && len(c) >= 3 && (strings.Contains(lc, ls) || strings.Contains(ls, lc))
}

// Hint is `did you mean "x"?` for the closest candidate (up to n of them,
// `"x", "y"`), or "" when none is close.
func Hint(s string, candidates []string, n int) string {
	c := Closest(s, candidates, n)
	if len(c) == 0 {
		return ""
	}
	q := make([]string, len(c))
	for i, x := range c {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "did you mean " + strings.Join(q, ", ") + "?"
}

// Distance is the Levenshtein edit distance between a and b, by bytes.
func Distance(a, b string) int {
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
