package selector

import (
	"fmt"
	"strings"
)

// ParseError reports a malformed selection expression.
type ParseError struct {
	Expr   string // the whole expression (one CLI argument)
	Offset int    // byte offset into Expr where the problem is
	Msg    string // what was expected
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("selector %q: %s (at column %d)", e.Expr, e.Msg, e.Offset+1)
}

// suggest returns ` did you mean "x"?` for the candidate closest to word, or
// "" when nothing is close enough to be a plausible typo.
func suggest(word string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(word), c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(2, len(word)/2)
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return fmt.Sprintf(" did you mean %q?", best)
}

// levenshtein is the edit distance between a and b, by bytes.
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
