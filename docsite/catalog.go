package docsite

import (
	"slices"
	"time"

	"github.com/mart-dev/mart/compiler"
)

// CatalogVersion is the version of target/catalog.json's shape.
const CatalogVersion = "mart/catalog/v1"

// Catalog is target/catalog.json: what the warehouse says about the
// relations of the project's models, seeds, snapshots and sources, in the
// shape of dbt's catalog.json (nodes and sources by unique id; columns by
// name with their type and position; stats by id), so tools that read
// dbt's read mart's.
type Catalog struct {
	Metadata CatalogMetadata          `json:"metadata"`
	Nodes    map[string]*CatalogEntry `json:"nodes"`
	Sources  map[string]*CatalogEntry `json:"sources"`
	// Errors says which schemas could not be read; the site is made from
	// the rest.
	Errors []string `json:"errors"`
}

// CatalogMetadata describes the catalog's run.
type CatalogMetadata struct {
	SchemaVersion string `json:"mart_schema_version"`
	GeneratedAt   string `json:"generated_at"`
	InvocationID  string `json:"invocation_id,omitempty"`
}

// CatalogEntry is one relation in the catalog.
type CatalogEntry struct {
	Metadata CatalogTable             `json:"metadata"`
	Columns  map[string]CatalogColumn `json:"columns"`
	Stats    map[string]CatalogStat   `json:"stats"`
	UniqueID string                   `json:"unique_id"`
}

// CatalogTable names the relation and says what it is: Type is "table"
// or "view".
type CatalogTable struct {
	Type     string  `json:"type"`
	Database string  `json:"database"`
	Schema   string  `json:"schema"`
	Name     string  `json:"name"`
	Comment  *string `json:"comment"`
	Owner    *string `json:"owner"`
}

// CatalogColumn is a column: its type as the engine spells it and its
// 1-based position.
type CatalogColumn struct {
	Type    string  `json:"type"`
	Index   int     `json:"index"`
	Name    string  `json:"name"`
	Comment *string `json:"comment"`
}

// CatalogStat is one statistic of a relation (dbt's shape). The ids mart
// writes are row_count, bytes, last_modified and has_stats.
type CatalogStat struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Value       any    `json:"value"`
	Include     bool   `json:"include"`
	Description string `json:"description"`
}

// EmptyCatalog is the catalog of `mart docs generate --empty-catalog`: no
// relation, nothing read from the warehouse.
func EmptyCatalog(generatedAt time.Time) *Catalog {
	return &Catalog{
		Metadata: CatalogMetadata{SchemaVersion: CatalogVersion, GeneratedAt: generatedAt.UTC().Format(time.RFC3339)},
		Nodes:    map[string]*CatalogEntry{}, Sources: map[string]*CatalogEntry{}, Errors: []string{},
	}
}

// WriteCatalog writes c to path (target/catalog.json) through a temporary
// file, so a reader never sees half of it.
func WriteCatalog(path string, c *Catalog) error {
	return compiler.WriteJSON(path, c)
}

// ReadCatalog reads a catalog.json. A missing file is not an error: it
// returns nil, nil, and the site shows no warehouse statistics.
func ReadCatalog(path string) (*Catalog, error) {
	var c Catalog
	if ok, err := readJSON(path, &c); !ok || err != nil {
		return nil, err
	}
	return &c, nil
}

// entry returns the catalog entry of a node or source (nil if none).
func (c *Catalog) entry(id string) *CatalogEntry {
	if c == nil {
		return nil
	}
	if e, ok := c.Nodes[id]; ok {
		return e
	}
	return c.Sources[id]
}

// columns lists the entry's columns in table order (none for a nil entry).
func (e *CatalogEntry) columns() []CatalogColumn {
	if e == nil {
		return nil
	}
	cols := make([]CatalogColumn, 0, len(e.Columns))
	for _, c := range e.Columns {
		cols = append(cols, c)
	}
	slices.SortFunc(cols, func(a, b CatalogColumn) int { return a.Index - b.Index })
	return cols
}
