package docsite

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// RunResults is what the site shows of target/run_results.json: the shape
// `mart build`, `run`, `test`, `seed` and `snapshot` write (dbt's, with
// mart_schema_version in its metadata).
type RunResults struct {
	Metadata struct {
		SchemaVersion string `json:"mart_schema_version"`
		InvocationID  string `json:"invocation_id"`
		GeneratedAt   string `json:"generated_at"`
		Command       string `json:"command"`
		TargetName    string `json:"target_name"`
	} `json:"metadata"`
	Results []RunResult `json:"results"`
	Elapsed float64     `json:"elapsed_time"`
}

// RunResult is what happened to one node in the last run.
type RunResult struct {
	UniqueID        string         `json:"unique_id"`
	Status          string         `json:"status"` // success, error, skipped, pass, fail, warn
	Message         string         `json:"message"`
	RowsAffected    int64          `json:"rows_affected"` // -1 when the engine does not say
	Failures        *int64         `json:"failures"`      // tests: failing rows
	ExecutionTime   float64        `json:"execution_time"`
	Timing          []RunTiming    `json:"timing"`
	AdapterResponse map[string]any `json:"adapter_response"`
}

// RunTiming is one phase of a node's run.
type RunTiming struct {
	Name        string    `json:"name"`
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
}

// ReadRunResults reads a run_results.json. A missing file is not an error:
// the project has not been run yet, and it returns nil, nil.
func ReadRunResults(path string) (*RunResults, error) {
	var rr RunResults
	if ok, err := readJSON(path, &rr); !ok || err != nil {
		return nil, err
	}
	return &rr, nil
}

// readJSON decodes the file at path into v. ok is false when the file does
// not exist.
func readJSON(path string, v any) (ok bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	return true, nil
}
