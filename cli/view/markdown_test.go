package view

import (
	"strings"
	"testing"
	"time"

	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// Text from the warehouse (error messages quote data; example rows are
// data) goes into PR comments and step summaries as text: no HTML of its
// own, and no way out of the code block it is put in.
func TestMarkdownKeepsWarehouseTextAsText(t *testing.T) {
	evil := "x <img src=https://evil.example/t.png> & ``` </details>"
	rr := &runner.Results{Elapsed: time.Second.Seconds(), Results: []*runner.NodeResult{
		{Name: "m", Status: runner.StatusError, Message: "Conversion Error: " + evil}}}
	md := MarkdownRun("build", "dev", rr)
	if strings.Contains(md, "<img") || strings.Contains(md, "</details>") {
		t.Errorf("run summary holds HTML from a message:\n%s", md)
	}
	if !strings.Contains(md, "&lt;img") {
		t.Errorf("the message is not shown escaped:\n%s", md)
	}

	d := ModelDiff{Name: "m<b>", New: "n", Old: "o", Status: "compared",
		Rows: &warehouse.DiffResult{Counts: map[string]int64{warehouse.DiffAdded: 1},
			Examples: map[string][]string{warehouse.DiffAdded: {"{\"v\": \"a\n```\n<img src=https://evil.example/t.png>\"}"}}}}
	md = MarkdownDiffs("diff", []ModelDiff{d})
	if strings.Contains(md, "<code>m<b>") {
		t.Errorf("a node name is HTML (in a code span it is text):\n%s", md)
	}
	// the example rows' fence is longer than any run of backticks in them
	i := strings.Index(md, "<details>")
	block := md[i:]
	fence := "````"
	if !strings.Contains(block, "\n"+fence+"\n") {
		t.Errorf("the example rows are not in a fence longer than their backticks:\n%s", block)
	}
}
