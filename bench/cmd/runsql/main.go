// Command runsql is the baseline of BenchmarkDirectOneModel1k: it opens a
// DuckDB database file and executes the SQL files it is given, in order,
// on one connection: what running one model's statement and its tests'
// queries directly costs, process start and DuckDB's open and checkpoint
// included, as for mart.
//
//	go run ./bench/cmd/runsql -db target/mart.duckdb a.sql b.sql
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

func main() {
	db := flag.String("db", "", "the DuckDB database file")
	flag.Parse()
	if err := run(*db, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "runsql:", err)
		os.Exit(1)
	}
}

func run(path string, files []string) error {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, f := range files {
		q, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		rows, err := conn.QueryContext(context.Background(), string(q))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for rows.Next() {
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	return nil
}
