package warehouse

import "strings"

// TrimStatement removes surrounding whitespace and trailing semicolons from a
// single SQL statement, so that it can be embedded in a larger one
// (CREATE TABLE ... AS (<stmt>)).
func TrimStatement(sql string) string {
	return strings.TrimRight(strings.TrimSpace(sql), "; \t\r\n")
}
