package duckdb

import (
	"context"
	"database/sql"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// The relations of one schema, with the catalog's comment and, for tables,
// DuckDB's row count estimate (exact for tables not changed by DELETE or
// UPDATE since their last checkpoint). DuckDB keeps neither a size per
// relation nor a modification time, so those are left unknown.
const catalogRelationsSQL = `
SELECT schema_name, table_name, 'table', estimated_size, coalesce(comment, '')
  FROM duckdb_tables()
 WHERE NOT temporary AND ` + catalogWhere + `
UNION ALL
SELECT schema_name, view_name, 'view', NULL, coalesce(comment, '')
  FROM duckdb_views()
 WHERE NOT internal AND NOT temporary AND ` + catalogWhere + `
 ORDER BY 2`

// The columns of every relation of one schema, in table order.
const catalogColumnsSQL = `
SELECT table_name, column_name, data_type, coalesce(comment, '')
  FROM duckdb_columns()
 WHERE NOT internal AND ` + catalogWhere + `
 ORDER BY table_name, column_index`

// catalogWhere takes the database ("" for the current one) and the schema,
// both compared without case as DuckDB resolves identifiers.
const catalogWhere = `lower(database_name) = lower(coalesce(nullif(?, ''), current_database()))
   AND lower(schema_name) = lower(?)`

// CatalogStats lists the tables and views of database.schema, sorted by
// name, with their columns in table order, their comments and, for tables,
// the row count; temporary build relations are left out. A schema that does
// not exist has none. Relation.Database is the database asked for ("" stays
// "").
func (w *Warehouse) CatalogStats(ctx context.Context, database, schema string) ([]warehouse.RelationStats, error) {
	s := w.resolve(warehouse.Relation{Database: database, Schema: schema})
	rels, err := w.catalogRelations(ctx, database, s)
	if err != nil {
		return nil, fail(ctx, "read the catalog of", s, err)
	}
	if err := w.catalogColumns(ctx, s, rels); err != nil {
		return nil, fail(ctx, "read the catalog of", s, err)
	}
	return rels, nil
}

func (w *Warehouse) catalogRelations(ctx context.Context, database string, s warehouse.Relation) ([]warehouse.RelationStats, error) {
	rows, err := w.db.QueryContext(ctx, catalogRelationsSQL, s.Database, s.Schema, s.Database, s.Schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []warehouse.RelationStats
	for rows.Next() {
		r := warehouse.RelationStats{Relation: warehouse.Relation{Database: database}}
		var count sql.NullInt64
		if err := rows.Scan(&r.Relation.Schema, &r.Relation.Name, &r.Kind, &count, &r.Comment); err != nil {
			return nil, err
		}
		if count.Valid {
			n := count.Int64
			r.RowCount = &n
		}
		if !warehouse.IsTempName(r.Relation.Name) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// catalogColumns fills the columns of rels, which are sorted by name.
func (w *Warehouse) catalogColumns(ctx context.Context, s warehouse.Relation, rels []warehouse.RelationStats) error {
	byName := make(map[string]int, len(rels))
	for i, r := range rels {
		byName[strings.ToLower(r.Relation.Name)] = i
	}
	rows, err := w.db.QueryContext(ctx, catalogColumnsSQL, s.Database, s.Schema)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var c warehouse.ColumnStats
		if err := rows.Scan(&table, &c.Name, &c.Type, &c.Comment); err != nil {
			return err
		}
		if i, ok := byName[strings.ToLower(table)]; ok {
			rels[i].Columns = append(rels[i].Columns, c)
		}
	}
	return rows.Err()
}
