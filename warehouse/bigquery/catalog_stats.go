package bigquery

import (
	"context"
	"fmt"

	"cloud.google.com/go/bigquery"
	"golang.org/x/sync/errgroup"

	"github.com/mart-dev/mart/warehouse"
)

// catalogParallelism bounds the tables.get calls CatalogStats has in
// flight: one per table, as in the console, well under the API's
// per-user rate limits.
const catalogParallelism = 8

// CatalogStats lists the tables and views of the dataset database.schema,
// sorted by name, without temporary build relations, each with its columns
// (types in GoogleSQL spelling), descriptions, row count, size in bytes and
// last modification time, from the table metadata (tables.list, then
// tables.get per table; no query job is run, so nothing is billed). Views
// have no row count or size. A dataset that does not exist has none.
func (w *Warehouse) CatalogStats(ctx context.Context, database, schema string) ([]warehouse.RelationStats, error) {
	ds := w.resolve(warehouse.Relation{Database: database, Schema: schema})
	names, err := w.tableNames(ctx, ds)
	if err != nil {
		return nil, fmt.Errorf("read the catalog of %s.%s: %w", ds.Database, ds.Schema, err)
	}
	stats := make([]*warehouse.RelationStats, len(names))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(catalogParallelism)
	for i, name := range names {
		if warehouse.IsTempName(name) {
			continue
		}
		g.Go(func() error {
			r := ds
			r.Name = name
			md, err := w.metadata(gctx, r)
			if err != nil {
				return opError("read the catalog entry of", r, err)
			}
			if md != nil { // nil: dropped since it was listed
				stats[i] = relationStats(warehouse.Relation{Database: database, Schema: ds.Schema, Name: name}, md)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []warehouse.RelationStats
	for _, s := range stats {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out, nil
}

// relationStats turns a table's metadata into catalog statistics.
func relationStats(r warehouse.Relation, md *bigquery.TableMetadata) *warehouse.RelationStats {
	s := &warehouse.RelationStats{Relation: r, Kind: kindOf(md), Comment: md.Description,
		LastModified: md.LastModifiedTime}
	for _, f := range md.Schema {
		s.Columns = append(s.Columns, warehouse.ColumnStats{Name: f.Name, Type: typeName(f), Comment: f.Description})
	}
	if s.Kind == "table" {
		rows, bytes := int64(md.NumRows), md.NumBytes
		s.RowCount, s.Bytes = &rows, &bytes
	}
	return s
}
