package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// mysqlBatch is how many rows one INSERT carries.
const mysqlBatch = 1000

// loadMySQL replaces payments in the MariaDB (or MySQL) database of dsn:
// DROP and CREATE, then multi-row INSERTs in one transaction.
func loadMySQL(ctx context.Context, dsn, dir string) (loaded, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	// One round trip per batch: the driver writes the values into the
	// statement instead of preparing it first.
	cfg.InterpolateParams = true
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	t := paymentsTable
	n, err := insertTable(ctx, conn, dir, t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, err)
	}
	return loaded{t.name: n}, nil
}

func insertTable(ctx context.Context, conn *sql.Conn, dir string, t storeTable) (int64, error) {
	rows, err := openRows(dir, t)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for _, stmt := range myDDL(t) {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return 0, fmt.Errorf("%s: %w", stmt, err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var n int64
	args := make([]any, 0, mysqlBatch*len(t.cols))
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, myInsert(t, len(args)/len(t.cols)), args...); err != nil {
			return err
		}
		args = args[:0]
		return nil
	}
	for {
		row, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		args = append(args, row...)
		n++
		if n%mysqlBatch == 0 {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

func myQuote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

func myDDL(t storeTable) []string {
	defs := make([]string, 0, len(t.cols)+1)
	for _, c := range t.cols {
		defs = append(defs, myQuote(c.name)+" "+c.my)
	}
	defs = append(defs, "PRIMARY KEY ("+myQuote(t.key)+")")
	return []string{"DROP TABLE IF EXISTS " + myQuote(t.name),
		"CREATE TABLE " + myQuote(t.name) + " (\n  " + strings.Join(defs, ",\n  ") + "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"}
}

// myInsert is an INSERT of n rows of t.
func myInsert(t storeTable, n int) string {
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = myQuote(c.name)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	var b strings.Builder
	b.Grow(40 + len(t.name) + n*(len(one)+2))
	b.WriteString("INSERT INTO " + myQuote(t.name) + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}
