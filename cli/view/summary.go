package view

import (
	"fmt"
	"strings"

	"github.com/mart-dev/mart/runner"
)

// MarkdownRun sums a run up as markdown (a GitHub step summary, a PR
// comment): the counts, what did not pass, and the bytes processed where
// the warehouse bills by them.
func MarkdownRun(command, target string, rr *runner.Results) string {
	c := countResults(rr)
	var b strings.Builder
	fmt.Fprintf(&b, "## mart %s on %s\n\n", command, target)
	fmt.Fprintf(&b, "| ok | warn | error | fail | skip | total | time |\n|--:|--:|--:|--:|--:|--:|--:|\n| %d | %d | %d | %d | %d | %d | %.1fs |\n",
		c.ok, c.warn, c.errors, c.fail, c.skip, c.total(), rr.Elapsed)
	var bytes int64
	var problems []string
	for _, r := range rr.Results {
		if v, ok := r.AdapterResp["bytes_processed"].(int64); ok {
			bytes += v
		}
		switch r.Status {
		case runner.StatusError, runner.StatusFail, runner.StatusWarn:
			msg := firstLine(r.Message)
			problems = append(problems, fmt.Sprintf("| %s | `%s` | %s |", strings.ToUpper(string(r.Status)), r.Name, mdCell(msg)))
		}
	}
	if bytes > 0 {
		fmt.Fprintf(&b, "\nBytes processed: %s\n", HumanBytes(bytes))
	}
	if len(problems) > 0 {
		b.WriteString("\n| status | node | message |\n|---|---|---|\n" + strings.Join(problems, "\n") + "\n")
	}
	return b.String()
}
