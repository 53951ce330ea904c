package jinja

import (
	"fmt"

	closest "github.com/mart-dev/mart/internal/suggest"
)

// suggest returns "did you mean 'x'?" for the closest candidate, or "".
func suggest(s string, candidates []string) string {
	if c := closest.Closest(s, candidates, 1); len(c) == 1 {
		return fmt.Sprintf("did you mean '%s'?", c[0])
	}
	return ""
}
