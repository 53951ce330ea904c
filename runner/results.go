package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mart-dev/mart/compiler"
)

// RunResultsVersion is the version of target/run_results.json's shape.
const RunResultsVersion = "mart/run-results/v1"

// ResultsFile is target/run_results.json.
type ResultsFile struct {
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

// ReadResults reads a run_results.json.
func ReadResults(file string) (*ResultsFile, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var f ResultsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &f, nil
}

// WriteResults writes a run's results to targetDir/run_results.json.
func WriteResults(targetDir string, rr *Results, command, invocationID, target string, args map[string]any) error {
	var f ResultsFile
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
