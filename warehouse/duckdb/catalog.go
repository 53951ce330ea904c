package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// Catalog lookups compare names case-insensitively, as DuckDB resolves
// identifiers (quoted or not) case-insensitively. An empty database means
// the current one.
const (
	whereCatalog = `lower(table_catalog) = lower(coalesce(nullif(?, ''), current_database()))`
	whereSchema  = whereCatalog + ` AND lower(table_schema) = lower(?)`
	whereTable   = whereSchema + ` AND lower(table_name) = lower(?)`
)

// EnsureSchema creates database.schema if it does not exist. Calls are
// serialized: concurrent CREATE SCHEMA of one schema conflict in DuckDB.
func (w *Warehouse) EnsureSchema(ctx context.Context, database, schema string) error {
	r := w.resolve(warehouse.Relation{Database: database, Schema: schema})
	w.schemaMu.Lock()
	defer w.schemaMu.Unlock()
	err := retry(ctx, func() error {
		var n int
		err := w.db.QueryRowContext(ctx,
			`SELECT count(*) FROM information_schema.schemata
			 WHERE lower(catalog_name) = lower(coalesce(nullif(?, ''), current_database()))
			   AND lower(schema_name) = lower(?)`, r.Database, r.Schema).Scan(&n)
		if err != nil || n > 0 {
			return err
		}
		name := w.QuoteIdent(r.Schema)
		if r.Database != "" {
			name = w.QuoteIdent(r.Database) + "." + name
		}
		_, err = w.db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+name)
		return err
	})
	if err != nil {
		return fail(ctx, "create schema", r, err)
	}
	return nil
}

// kind returns "table", "view" or "" (missing) for r, which must be resolved.
func (w *Warehouse) kind(ctx context.Context, q queryer, r warehouse.Relation) (string, error) {
	var typ string
	err := q.QueryRowContext(ctx,
		`SELECT table_type FROM information_schema.tables WHERE `+whereTable,
		r.Database, r.Schema, r.Name).Scan(&typ)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", err
	case typ == "VIEW":
		return "view", nil
	default: // BASE TABLE, LOCAL TEMPORARY
		return "table", nil
	}
}

// Describe returns r's columns in order and its kind ("table" or "view");
// a missing relation gives nil, "", nil.
func (w *Warehouse) Describe(ctx context.Context, r warehouse.Relation) ([]warehouse.Column, string, error) {
	r = w.resolve(r)
	kind, err := w.kind(ctx, w.db, r)
	if err != nil || kind == "" {
		if err != nil {
			err = fail(ctx, "describe", r, err)
		}
		return nil, "", err
	}
	rows, err := w.db.QueryContext(ctx,
		`SELECT column_name, data_type FROM information_schema.columns WHERE `+whereTable+`
		 ORDER BY ordinal_position`, r.Database, r.Schema, r.Name)
	if err != nil {
		return nil, "", fail(ctx, "describe", r, err)
	}
	defer rows.Close()
	var cols []warehouse.Column
	for rows.Next() {
		var c warehouse.Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, "", fail(ctx, "describe", r, err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fail(ctx, "describe", r, err)
	}
	return cols, kind, nil
}

// ListRelations lists the tables and views in database.schema, sorted by
// name, leaving out temporary build relations. Database in the results is
// the one asked for (so "" stays ""); Schema and Name are as stored.
func (w *Warehouse) ListRelations(ctx context.Context, database, schema string) ([]warehouse.Relation, error) {
	s := w.resolve(warehouse.Relation{Database: database, Schema: schema})
	rows, err := w.db.QueryContext(ctx,
		`SELECT table_schema, table_name FROM information_schema.tables WHERE `+whereSchema+`
		 ORDER BY table_name`, s.Database, s.Schema)
	if err != nil {
		return nil, fail(ctx, "list relations in", s, err)
	}
	rels, err := scanRelations(rows, database)
	if err != nil {
		return nil, fail(ctx, "list relations in", s, err)
	}
	out := rels[:0]
	for _, r := range rels {
		if !warehouse.IsTempName(r.Name) {
			out = append(out, r)
		}
	}
	return out, nil
}

// TempRelations lists temporary build relations (warehouse.IsTempName) in
// every attached database. After any CreateTable or LoadSeed has returned,
// successfully or not, there should be none.
func (w *Warehouse) TempRelations(ctx context.Context) ([]warehouse.Relation, error) {
	rows, err := w.db.QueryContext(ctx,
		`SELECT table_catalog, table_schema, table_name FROM information_schema.tables
		 WHERE contains(table_name, ?) ORDER BY ALL`, warehouse.TempMarker)
	if err != nil {
		return nil, fmt.Errorf("list temporary relations: %w", err)
	}
	defer rows.Close()
	var rels []warehouse.Relation
	for rows.Next() {
		var r warehouse.Relation
		if err := rows.Scan(&r.Database, &r.Schema, &r.Name); err != nil {
			return nil, fmt.Errorf("list temporary relations: %w", err)
		}
		rels = append(rels, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list temporary relations: %w", err)
	}
	return rels, nil
}

func scanRelations(rows *sql.Rows, database string) ([]warehouse.Relation, error) {
	defer rows.Close()
	var rels []warehouse.Relation
	for rows.Next() {
		r := warehouse.Relation{Database: database}
		if err := rows.Scan(&r.Schema, &r.Name); err != nil {
			return nil, err
		}
		rels = append(rels, r)
	}
	return rels, rows.Err()
}
