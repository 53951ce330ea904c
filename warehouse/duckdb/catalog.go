package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

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
//
// information_schema.tables would answer in one query, but DuckDB makes
// it from duckdb_tables(), which computes every table's size, column
// count and CREATE statement: 53 ms a lookup in a warehouse of 10,000
// relations, paid by every incremental model, drop and
// get_columns_in_relation. duckdb_views() is cheap for each view (4 ms
// there), and pragma_table_info looks one name up (0.3 ms): a view is
// found among the views, a table by its name, and no view is bound (a view
// over files that are gone, or over thousands of them, would fail or take
// seconds). A name with a double quote, which pragma_table_info's name
// parser mistakes, takes the old query.
func (w *Warehouse) kind(ctx context.Context, q queryer, r warehouse.Relation) (string, error) {
	_, k, err := w.describe(ctx, q, r, false)
	return k, err
}

// Kind returns "table", "view" or "" (missing) for r: Describe's kind,
// without its columns (warehouse.Kinder).
func (w *Warehouse) Kind(ctx context.Context, r warehouse.Relation) (string, error) {
	r = w.resolve(r)
	k, err := w.kind(ctx, w.db, r)
	if err != nil {
		return "", fail(ctx, "describe", r, err)
	}
	return k, nil
}

// describe is kind, and r's columns too when withColumns is set. A table's
// columns are the lookup of its name (one query for both); a view's are
// information_schema's, by the names the catalog has.
func (w *Warehouse) describe(ctx context.Context, q queryer, r warehouse.Relation, withColumns bool) ([]warehouse.Column, string, error) {
	if db, ok := q.(*sql.DB); ok && db == w.db {
		// the two lookups (the view's and the table's, or the kind's and
		// the columns') are one transaction's: they see one catalog, so a
		// table replaced by a view between them (another connection's
		// work) is still found as the table it was, never as a table with
		// the view's columns (and its binding)
		var cols []warehouse.Column
		var kind string
		err := w.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			cols, kind, err = w.describe(ctx, tx, r, withColumns)
			return err
		})
		return cols, kind, err
	}
	if strings.ContainsRune(r.Database+r.Schema+r.Name, '"') {
		kind, err := w.kindByInformationSchema(ctx, q, r)
		if betweenLookups != nil {
			betweenLookups()
		}
		if err != nil || kind == "" || !withColumns {
			return nil, kind, err
		}
		cols, err := columns(ctx, q, byInformationSchema, r)
		if err != nil {
			return nil, "", err
		}
		return cols, kind, nil
	}
	view, internal, err := findView(ctx, q, r)
	if betweenLookups != nil {
		betweenLookups()
	}
	switch {
	case err != nil:
		return nil, "", err
	case internal: // information_schema leaves the system's views out
		return nil, "", nil
	case view.Name != "" && !withColumns:
		return nil, "view", nil
	case view.Name != "":
		cols, err := columns(ctx, q, `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_catalog = ? AND table_schema = ? AND table_name = ? ORDER BY ordinal_position`, view)
		if err != nil {
			return nil, "", err
		}
		return cols, "view", nil
	}
	cols, err := columns(ctx, q, `SELECT name, type FROM pragma_table_info(`+qualifiedName+`) ORDER BY cid`, r)
	switch {
	case missing(err):
		return nil, "", nil
	case err != nil:
		return nil, "", err
	case !withColumns:
		cols = nil
	}
	return cols, "table", nil
}

// betweenLookups, when set (by tests), runs between describe's lookup of
// the views and its lookup of the name.
var betweenLookups func()

// findView finds the view r names, as DuckDB finds a name: ignoring the
// case of ASCII letters only ("Ä" and "ä" are two names), which SQL's
// lower() cannot say (it lowers every letter): the rows it selects are
// filtered here.
func findView(ctx context.Context, q queryer, r warehouse.Relation) (view warehouse.Relation, internal bool, err error) {
	rows, err := q.QueryContext(ctx, `SELECT database_name, schema_name, view_name, internal, current_database() FROM duckdb_views()
		WHERE lower(database_name) = lower(coalesce(nullif(?, ''), current_database())) AND lower(schema_name) = lower(?) AND lower(view_name) = lower(?)`,
		r.Database, r.Schema, r.Name)
	if err != nil {
		return view, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var v warehouse.Relation
		var in bool
		var current string
		if err := rows.Scan(&v.Database, &v.Schema, &v.Name, &in, &current); err != nil {
			return view, false, err
		}
		db := r.Database
		if db == "" {
			db = current
		}
		if asciiFold(v.Database, db) && asciiFold(v.Schema, r.Schema) && asciiFold(v.Name, r.Name) {
			view, internal = v, in
		}
	}
	return view, internal, rows.Err()
}

// asciiFold says a and b are the same name to DuckDB's catalog: equal but
// for the case of ASCII letters.
func asciiFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// qualifiedName is the SQL text of r's quoted three-part name, from r's
// database (the current one when empty), schema and name as parameters.
const qualifiedName = `'"' || replace(coalesce(nullif(?, ''), current_database()), '"', '""') || '"."' ||
	replace(?, '"', '""') || '"."' || replace(?, '"', '""') || '"'`

// missing says err is DuckDB's answer to a name that is not in the
// catalog: a missing table or schema (a catalog error) or database (a
// binder error). Both are raised while the statement binds, which leaves a
// transaction usable (TestKindInTransaction).
func missing(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && (de.Type == duckdb.ErrorTypeCatalog || de.Type == duckdb.ErrorTypeBinder)
}

// kindByInformationSchema is kind in one query of information_schema.
func (w *Warehouse) kindByInformationSchema(ctx context.Context, q queryer, r warehouse.Relation) (string, error) {
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
// a missing relation gives nil, "", nil. A table's columns are
// pragma_table_info's (see kind); a view's are those information_schema
// keeps, as DuckDB stored them when the view was made or last bound: no
// view is bound to describe it.
func (w *Warehouse) Describe(ctx context.Context, r warehouse.Relation) ([]warehouse.Column, string, error) {
	r = w.resolve(r)
	cols, kind, err := w.describeIn(ctx, w.db, r)
	if err != nil {
		return nil, "", fail(ctx, "describe", r, err)
	}
	return cols, kind, nil
}

// describeIn is Describe through q (a transaction, a connection) for r,
// which must be resolved.
func (w *Warehouse) describeIn(ctx context.Context, q queryer, r warehouse.Relation) ([]warehouse.Column, string, error) {
	return w.describe(ctx, q, r, true)
}

// byInformationSchema lists a relation's columns as information_schema
// keeps them.
const byInformationSchema = `SELECT column_name, data_type FROM information_schema.columns WHERE ` + whereTable + `
	 ORDER BY ordinal_position`

// columns runs query through q, which lists r's columns by name and type.
func columns(ctx context.Context, q queryer, query string, r warehouse.Relation) ([]warehouse.Column, error) {
	rows, err := q.QueryContext(ctx, query, r.Database, r.Schema, r.Name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []warehouse.Column
	for rows.Next() {
		var c warehouse.Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
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
