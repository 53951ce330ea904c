package runner

import (
	"path/filepath"
	"time"

	"github.com/mart-dev/mart/compiler"
)

// RunResultsVersion is the version of target/run_results.json's shape.
const RunResultsVersion = "mart/run-results/v1"

type runResultsFile struct {
	Metadata struct {
		SchemaVersion string `json:"mart_schema_version"`
		InvocationID  string `json:"invocation_id"`
		GeneratedAt   string `json:"generated_at"`
		Command       string `json:"command"`
		Target        string `json:"target_name"`
	} `json:"metadata"`
	Results []*NodeResult  `json:"results"`
	Elapsed float64        `json:"elapsed_time"`
	Args    map[string]any `json:"args"`
}

// WriteResults writes a run's results to targetDir/run_results.json.
func WriteResults(targetDir string, rr *Results, command, invocationID, target string, args map[string]any) error {
	var f runResultsFile
	f.Metadata.SchemaVersion = RunResultsVersion
	f.Metadata.InvocationID = invocationID
	f.Metadata.GeneratedAt = time.Now().UTC().Format(time.RFC3339Nano)
	f.Metadata.Command = command
	f.Metadata.Target = target
	f.Results = rr.Results
	if f.Results == nil {
		f.Results = []*NodeResult{}
	}
	f.Elapsed = rr.Elapsed
	f.Args = args
	return compiler.WriteJSON(filepath.Join(targetDir, "run_results.json"), f)
}
