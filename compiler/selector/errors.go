package selector

import (
	"fmt"

	closest "github.com/mart-dev/mart/internal/suggest"
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
	if c := closest.Closest(word, candidates, 1); len(c) == 1 {
		return fmt.Sprintf(" did you mean %q?", c[0])
	}
	return ""
}
