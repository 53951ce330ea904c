package docsite

// Freshness is the result of the last source freshness check, in the shape
// of dbt's target/sources.json (`dbt source freshness`), which the site
// shows on each source's page.
type Freshness struct {
	Metadata struct {
		GeneratedAt string `json:"generated_at"`
	} `json:"metadata"`
	Results []FreshnessResult `json:"results"`
}

// FreshnessResult is one source table's freshness.
type FreshnessResult struct {
	UniqueID      string `json:"unique_id"`
	Status        string `json:"status"` // pass, warn, error, runtime error
	MaxLoadedAt   string `json:"max_loaded_at"`
	SnapshottedAt string `json:"snapshotted_at"`
	// AgeSeconds is how long before SnapshottedAt the newest row was loaded.
	AgeSeconds float64 `json:"max_loaded_at_time_ago_in_s"`
	// Criteria is the source's warn_after / error_after, as written.
	Criteria map[string]any `json:"criteria"`
	Error    string         `json:"error,omitempty"`
}

// ReadFreshness reads a sources.json. A missing file is not an error: the
// freshness is unknown, and it returns nil, nil.
func ReadFreshness(path string) (*Freshness, error) {
	var f Freshness
	if ok, err := readJSON(path, &f); !ok || err != nil {
		return nil, err
	}
	return &f, nil
}
