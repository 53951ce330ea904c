package view

import (
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/runner"
)

// resultCounts counts a run's results by outcome; ephemeral models, which
// run nothing, are left out.
type resultCounts struct{ ok, warn, errors, fail, skip int }

func (c resultCounts) total() int { return c.ok + c.warn + c.errors + c.fail + c.skip }

func countResults(rr *runner.Results) resultCounts {
	var c resultCounts
	for _, r := range rr.Results {
		if r.ResourceType == compiler.TypeModel && r.Materialized == "ephemeral" {
			continue
		}
		switch r.Status {
		case runner.StatusSuccess, runner.StatusPass:
			c.ok++
		case runner.StatusWarn:
			c.warn++
		case runner.StatusError:
			c.errors++
		case runner.StatusFail:
			c.fail++
		case runner.StatusSkipped:
			c.skip++
		}
	}
	return c
}
