package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// loadPostgres replaces members and reservations in the PostgreSQL
// database of dsn, each in one transaction (DROP, CREATE, COPY), so a
// reader sees the old table or the new one.
func loadPostgres(ctx context.Context, dsn, dir string) (loaded, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	out := loaded{}
	for _, t := range []storeTable{membersTable, reservationsTable} {
		n, err := copyTable(ctx, conn, dir, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		out[t.name] = n
	}
	return out, nil
}

func copyTable(ctx context.Context, conn *pgx.Conn, dir string, t storeTable) (int64, error) {
	rows, err := openRows(dir, t)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.Background())
	for _, stmt := range pgDDL(t) {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return 0, fmt.Errorf("%s: %w", stmt, err)
		}
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.names(), &copySource{rows: rows})
	if err != nil {
		return 0, err
	}
	return n, tx.Commit(ctx)
}

func pgDDL(t storeTable) []string {
	defs := make([]string, 0, len(t.cols)+1)
	for _, c := range t.cols {
		defs = append(defs, pgx.Identifier{c.name}.Sanitize()+" "+c.pg)
	}
	defs = append(defs, "PRIMARY KEY ("+pgx.Identifier{t.key}.Sanitize()+")")
	name := pgx.Identifier{t.name}.Sanitize()
	stmts := []string{"DROP TABLE IF EXISTS " + name, "CREATE TABLE " + name + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"}
	if len(t.index) > 0 {
		stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (%s)", pgx.Identifier{t.name + "_" + strings.Join(t.index, "_")}.Sanitize(),
			name, strings.Join(t.index, ", ")))
	}
	return stmts
}

// copySource streams a table's rows into COPY.
type copySource struct {
	rows *rowReader
	row  []any
	err  error
}

func (s *copySource) Next() bool {
	row, err := s.rows.Next()
	if err != nil {
		if err != io.EOF {
			s.err = err
		}
		return false
	}
	for i, c := range s.rows.t.cols {
		if c.kind == kDecimal && row[i] != nil {
			var n pgtype.Numeric
			if err := n.Scan(row[i].(string)); err != nil {
				s.err = fmt.Errorf("%s: %w", c.name, err)
				return false
			}
			row[i] = n
		}
	}
	s.row = row
	return true
}

func (s *copySource) Values() ([]any, error) { return s.row, nil }
func (s *copySource) Err() error             { return s.err }
