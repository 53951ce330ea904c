package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

// table is a source table as information_schema describes it.
type table struct {
	schema, name string
	rel          string // quoted `schema`.`name`
	cols         []column
	key          []string
	estimate     int64
}

// describe looks up name ("orders" in the connection's database, or
// "db.orders") and reads its columns and primary key.
func describe(ctx context.Context, conn *sql.Conn, name string) (*table, error) {
	t := &table{name: name}
	if db, tbl, ok := strings.Cut(name, "."); ok {
		t.schema, t.name = db, tbl
	} else if err := conn.QueryRowContext(ctx, "SELECT coalesce(DATABASE(), '')").Scan(&t.schema); err != nil {
		return nil, fmt.Errorf("look up table %s: %w", name, err)
	}
	if t.schema == "" {
		return nil, fmt.Errorf("table %s: the dsn names no database: add it (user:pass@tcp(host)/db) or write db.%s", name, name)
	}
	var rows sql.NullInt64
	err := conn.QueryRowContext(ctx, `SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = ? AND table_name = ?`,
		t.schema, t.name).Scan(&t.name, &rows)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("table %s does not exist in the MySQL database %s (or mart's user may not see it)", name, t.schema)
	}
	if err != nil {
		return nil, fmt.Errorf("look up table %s: %w", name, err)
	}
	t.estimate, t.rel = rows.Int64, quoteIdent(t.schema)+"."+quoteIdent(t.name)
	if t.cols, err = t.columns(ctx, conn); err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", name, err)
	}
	if t.key, err = t.primaryKey(ctx, conn); err != nil {
		return nil, fmt.Errorf("read the primary key of %s: %w", name, err)
	}
	return t, nil
}

func (t *table) columns(ctx context.Context, conn *sql.Conn) ([]column, error) {
	jsonCols := t.mariaDBJSON(ctx, conn)
	rows, err := conn.QueryContext(ctx, `SELECT column_name, data_type, column_type, coalesce(numeric_precision, 0), coalesce(numeric_scale, 0)
		FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`, t.schema, t.name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c catalogColumn
		if err := rows.Scan(&c.name, &c.dataType, &c.columnType, &c.precision, &c.scale); err != nil {
			return nil, err
		}
		c.json = jsonCols[c.name]
		out = append(out, columnFor(c))
	}
	return out, rows.Err()
}

// mariaDBJSON finds MariaDB's JSON columns: longtext with a json_valid()
// check. MySQL has a real JSON type (and no such query): none found.
func (t *table) mariaDBJSON(ctx context.Context, conn *sql.Conn) map[string]bool {
	out := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT check_clause FROM information_schema.check_constraints
		WHERE constraint_schema = ? AND table_name = ? AND check_clause LIKE 'json_valid(%'`, t.schema, t.name)
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var clause string
		if rows.Scan(&clause) == nil {
			col := strings.TrimSuffix(strings.TrimPrefix(clause, "json_valid("), ")")
			out[strings.Trim(col, "`")] = true
		}
	}
	return out
}

func (t *table) primaryKey(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT column_name FROM information_schema.key_column_usage
		WHERE table_schema = ? AND table_name = ? AND constraint_name = 'PRIMARY' ORDER BY ordinal_position`, t.schema, t.name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var key []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		key = append(key, k)
	}
	return key, rows.Err()
}

func (t *table) schemaOf() *extract.Schema {
	s := &extract.Schema{PrimaryKey: t.key, KeyEnforced: len(t.key) > 0, EstimatedRows: t.estimate}
	s.Columns = landColumns(t.cols)
	return s
}

func landColumns(cols []column) []warehouse.LandColumn {
	out := make([]warehouse.LandColumn, len(cols))
	for i, c := range cols {
		out[i] = warehouse.LandColumn{Name: c.name, Type: c.land}
	}
	return out
}

func (t *table) find(name string) (column, error) {
	for _, c := range t.cols {
		if strings.EqualFold(c.name, name) {
			return c, nil
		}
	}
	return column{}, fmt.Errorf("%q is not a column of %s", name, t.rel)
}
