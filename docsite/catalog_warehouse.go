package docsite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// CatalogSource is what the catalog needs from a warehouse: every table
// and view of one schema with its columns and statistics, sorted by name; a
// schema that does not exist has none. The DuckDB and BigQuery adapters
// implement it.
type CatalogSource interface {
	CatalogStats(ctx context.Context, database, schema string) ([]warehouse.RelationStats, error)
}

// catalogTarget is a relation the catalog looks for: a node's or a
// source's.
type catalogTarget struct {
	id     string
	source bool
	name   string // the relation's name in its schema
}

// CatalogFromWarehouse asks src about the schemas that hold the manifest's
// models (ephemeral ones have no relation), seeds, snapshots and sources,
// one schema at a time, and keeps the relations that belong to a node;
// names compare without case. A schema that cannot be read is recorded in
// Catalog.Errors and the others are still read; only a cancelled ctx fails
// the whole call. now stamps the catalog's metadata.
func CatalogFromWarehouse(ctx context.Context, src CatalogSource, m *compiler.Manifest, now time.Time) (*Catalog, error) {
	c := EmptyCatalog(now)
	c.Metadata.InvocationID = m.Metadata.InvocationID
	schemas, targets := catalogTargets(m)
	for _, key := range schemas {
		first := m.Node(targets[key][0].id)
		stats, err := src.CatalogStats(ctx, first.Database, first.Schema)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("read the warehouse catalog: %w", ctxErr)
		}
		if err != nil {
			c.Errors = append(c.Errors, err.Error())
			continue
		}
		byName := make(map[string]*warehouse.RelationStats, len(stats))
		for i := range stats {
			byName[strings.ToLower(stats[i].Relation.Name)] = &stats[i]
		}
		for _, t := range targets[key] {
			s, ok := byName[strings.ToLower(t.name)]
			if !ok {
				continue
			}
			if t.source {
				c.Sources[t.id] = catalogEntry(t.id, first.Database, s)
			} else {
				c.Nodes[t.id] = catalogEntry(t.id, first.Database, s)
			}
		}
	}
	return c, nil
}

// catalogTargets groups the relations to look for by schema (database and
// schema, lowercased, joined by a dot) and returns the schemas sorted.
func catalogTargets(m *compiler.Manifest) ([]string, map[string][]catalogTarget) {
	targets := map[string][]catalogTarget{}
	for _, id := range m.AllIDs() {
		n := m.Node(id)
		t := catalogTarget{id: id, name: n.Alias}
		switch {
		case n.ResourceType == compiler.TypeSource:
			t.source, t.name = true, n.Identifier
			if t.name == "" {
				t.name = n.Name
			}
		case n.ResourceType == compiler.TypeModel && n.Materialized() != "ephemeral",
			n.ResourceType == compiler.TypeSeed, n.ResourceType == compiler.TypeSnapshot:
			if t.name == "" {
				t.name = n.Name
			}
		default:
			continue
		}
		key := strings.ToLower(n.Database + "." + n.Schema)
		targets[key] = append(targets[key], t)
	}
	keys := make([]string, 0, len(targets))
	for k := range targets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, targets
}

// catalogEntry turns what the warehouse said into dbt's catalog shape.
func catalogEntry(id, database string, s *warehouse.RelationStats) *CatalogEntry {
	e := &CatalogEntry{UniqueID: id, Columns: make(map[string]CatalogColumn, len(s.Columns)),
		Metadata: CatalogTable{Type: s.Kind, Database: database, Schema: s.Relation.Schema, Name: s.Relation.Name,
			Comment: optional(s.Comment)},
		Stats: map[string]CatalogStat{}}
	for i, col := range s.Columns {
		e.Columns[col.Name] = CatalogColumn{Type: col.Type, Index: i + 1, Name: col.Name, Comment: optional(col.Comment)}
	}
	if s.RowCount != nil {
		e.Stats["row_count"] = CatalogStat{ID: "row_count", Label: "Row count", Value: *s.RowCount, Include: true,
			Description: "Rows in the table"}
	}
	if s.Bytes != nil {
		e.Stats["bytes"] = CatalogStat{ID: "bytes", Label: "Size", Value: *s.Bytes, Include: true,
			Description: "Storage size in bytes"}
	}
	if !s.LastModified.IsZero() {
		e.Stats["last_modified"] = CatalogStat{ID: "last_modified", Label: "Last modified",
			Value: s.LastModified.UTC().Format(time.RFC3339), Include: true,
			Description: "When the table's data or definition last changed"}
	}
	e.Stats["has_stats"] = CatalogStat{ID: "has_stats", Label: "Has stats?", Value: len(e.Stats) > 0,
		Description: "Whether the warehouse gave any statistics"}
	return e
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
