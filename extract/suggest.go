package extract

import "github.com/mart-dev/mart/internal/suggest"

// hint returns ` (did you mean "x"?)` for the candidate closest to s, or
// "" when none is close.
func hint(s string, candidates []string) string {
	if h := suggest.Hint(s, candidates, 1); h != "" {
		return " (" + h + ")"
	}
	return ""
}
