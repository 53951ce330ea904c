package freshness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/mart-dev/mart/compiler"
)

// SourcesVersion is the version of target/sources.json's shape (dbt's
// sources.json v3: metadata, results, elapsed_time).
const SourcesVersion = "https://schemas.getdbt.com/dbt/sources/v3.json"

// File is target/sources.json.
type File struct {
	Metadata struct {
		SchemaVersion string `json:"dbt_schema_version"`
		GeneratedAt   string `json:"generated_at"`
		InvocationID  string `json:"invocation_id"`
	} `json:"metadata"`
	Results []*Result `json:"results"`
	Elapsed float64   `json:"elapsed_time"`
}

// Write writes results to targetDir/sources.json, sorted by unique id.
func Write(targetDir, invocationID string, results []*Result, elapsed time.Duration) error {
	var f File
	f.Metadata.SchemaVersion = SourcesVersion
	f.Metadata.GeneratedAt = time.Now().UTC().Format(time.RFC3339Nano)
	f.Metadata.InvocationID = invocationID
	f.Results = append([]*Result{}, results...)
	sort.Slice(f.Results, func(i, j int) bool { return f.Results[i].UniqueID < f.Results[j].UniqueID })
	f.Elapsed = elapsed.Seconds()
	return compiler.WriteJSON(filepath.Join(targetDir, "sources.json"), f)
}

// ReadLoadedAt reads a sources.json and returns, by unique id, the newest
// loaded_at value of each source that was checked and had rows.
func ReadLoadedAt(file string) (map[string]time.Time, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for _, r := range f.Results {
		if r.MaxLoadedAt != nil && r.Status != StatusRuntimeError {
			out[r.UniqueID] = *r.MaxLoadedAt
		}
	}
	return out, nil
}
