package extract

import (
	"encoding/json"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// stateVersion is the version of the State format written.
const stateVersion = 1

// State is a stream's progress, stored as JSON in the raw schema's
// _mart_extract_state table and committed with the rows it describes. It
// never holds a DSN.
type State struct {
	Version int    `json:"version"`
	Source  string `json:"source"`
	Table   string `json:"table"`
	From    string `json:"from"`
	Mode    string `json:"mode"`
	// Position is where the last committed chunk ended: the values of
	// Order (an incremental table's cursor then primary key).
	Order    []string `json:"order,omitempty"`
	Position []Value  `json:"position,omitempty"`
	// Columns is the source's schema as last landed.
	Columns []StateColumn `json:"columns,omitempty"`
	// CDC: the replication slot, the publication the stream reads
	// through and the last LSN whose changes are landed.
	Slot        string `json:"slot,omitempty"`
	Publication string `json:"publication,omitempty"`
	LSN         string `json:"lsn,omitempty"`
	// Files are the files of a files source that are landed.
	Files []FileState `json:"files,omitempty"`
}

// StateColumn is a landed column and its extracted type.
type StateColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// FileState identifies a landed file: a changed size or checksum lands it
// again.
type FileState struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func stateColumns(cols []warehouse.LandColumn) []StateColumn {
	out := make([]StateColumn, len(cols))
	for i, c := range cols {
		out[i] = StateColumn{Name: c.Name, Type: c.Type.String()}
	}
	return out
}

func (s *State) encode() ([]byte, error) {
	return json.Marshal(s)
}

func decodeState(b []byte) (*State, error) {
	if b == nil {
		return nil, nil
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("the stored extract state is not valid: %w (run with --full-refresh to start over)", err)
	}
	if s.Version > stateVersion {
		return nil, fmt.Errorf("the stored extract state was written by a newer mart (version %d)", s.Version)
	}
	return &s, nil
}
