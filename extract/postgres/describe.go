package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

// table is a source table as the catalog describes it.
type table struct {
	oid      uint32
	rel      string // quoted schema.name
	cols     []column
	key      []string
	estimate int64
}

// describe looks name up (as to_regclass reads it: "orders",
// "public.orders", `"Mixed Case"`) and reads its columns and primary key.
func describe(ctx context.Context, conn *pgx.Conn, name string) (*table, error) {
	t := &table{}
	var nsp, rel string
	var tuples float32
	err := conn.QueryRow(ctx, `SELECT c.oid, n.nspname, c.relname, c.reltuples FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`, name).Scan(&t.oid, &nsp, &rel, &tuples)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("table %s does not exist in the PostgreSQL database (or mart's user may not see it)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("look up table %s: %w", name, err)
	}
	t.rel = pgx.Identifier{nsp, rel}.Sanitize()
	t.estimate = int64(max(tuples, 0))
	if t.cols, err = columns(ctx, conn, t.oid); err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", t.rel, err)
	}
	if len(t.cols) == 0 {
		return nil, fmt.Errorf("table %s has no columns mart can read", t.rel)
	}
	rows, err := conn.Query(ctx, `SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indrelid = $1 AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`, t.oid)
	if err == nil {
		t.key, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return nil, fmt.Errorf("read the primary key of %s: %w", t.rel, err)
	}
	return t, nil
}

// columns reads a table's columns, resolving domains to their base types.
func columns(ctx context.Context, conn *pgx.Conn, oid uint32) ([]column, error) {
	rows, err := conn.Query(ctx, `
		SELECT a.attname,
		       CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END,
		       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
		       coalesce(b.typtype, t.typtype)::text,
		       coalesce(b.typelem, t.typelem),
		       format_type(a.atttypid, a.atttypmod),
		       coalesce(e.typtype, '')::text,
		       a.atttypid, a.atttypmod
		FROM pg_attribute a
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
		LEFT JOIN pg_type e ON e.oid = coalesce(b.typelem, t.typelem) AND coalesce(b.typcategory, t.typcategory) = 'A'
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, oid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var name, elemType string
		var ct catalogType
		var att uint32
		var attmod int32
		if err := rows.Scan(&name, &ct.oid, &ct.typmod, &ct.typtype, &ct.elem, &ct.format, &elemType, &att, &attmod); err != nil {
			return nil, err
		}
		var elem *catalogType
		if elemType != "" {
			elem = &catalogType{oid: ct.elem, typtype: elemType}
		}
		c := columnFor(name, ct, elem)
		c.attType, c.attTypmod = att, attmod
		out = append(out, c)
	}
	return out, rows.Err()
}

// typeColumn plans a column of type oid (typmod) as a relation message
// describes it, reading the type from the catalog.
func typeColumn(ctx context.Context, conn *pgx.Conn, name string, oid uint32, typmod int32) (column, error) {
	var ct catalogType
	var elemType string
	err := conn.QueryRow(ctx, `
		SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END,
		       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE $2 END,
		       coalesce(b.typtype, t.typtype)::text,
		       coalesce(b.typelem, t.typelem),
		       format_type($1, $2),
		       coalesce(e.typtype, '')::text
		FROM pg_type t
		LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
		LEFT JOIN pg_type e ON e.oid = coalesce(b.typelem, t.typelem) AND coalesce(b.typcategory, t.typcategory) = 'A'
		WHERE t.oid = $1`, oid, typmod).Scan(&ct.oid, &ct.typmod, &ct.typtype, &ct.elem, &ct.format, &elemType)
	if err != nil {
		return column{}, fmt.Errorf("read type %d of column %q: %w", oid, name, err)
	}
	var elem *catalogType
	if elemType != "" {
		elem = &catalogType{oid: ct.elem, typtype: elemType}
	}
	c := columnFor(name, ct, elem)
	c.attType, c.attTypmod = oid, typmod
	return c, nil
}

func (t *table) schema() *extract.Schema {
	s := &extract.Schema{PrimaryKey: t.key, KeyEnforced: len(t.key) > 0, EstimatedRows: t.estimate}
	s.Columns = make([]warehouse.LandColumn, len(t.cols))
	for i, c := range t.cols {
		s.Columns[i] = warehouse.LandColumn{Name: c.name, Type: c.land}
	}
	return s
}

// find returns the named column (names match exactly first, then
// case-insensitively, as the user may write them either way).
func (t *table) find(name string) (column, error) {
	for _, c := range t.cols {
		if c.name == name {
			return c, nil
		}
	}
	for _, c := range t.cols {
		if equalFold(c.name, name) {
			return c, nil
		}
	}
	return column{}, fmt.Errorf("%q is not a column of %s", name, t.rel)
}
