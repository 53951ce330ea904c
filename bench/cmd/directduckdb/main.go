// Command directduckdb is the baseline of mart's build benchmarks: it
// replays a project that `mart compile` has compiled (target/manifest.json,
// target/compiled/) straight into a fresh DuckDB database, one statement
// after another in one process, with bench/direct.
//
//	go run ./bench/cmd/directduckdb -project-dir DIR [-db-dir DIR]
//
// The database is <db-dir>/<catalog>.duckdb, catalog being the database name
// the compiled SQL qualifies relations with (mart when unqualified); an
// existing file is replaced. It prints a one-line summary on stderr.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"github.com/mart-dev/mart/bench/direct"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("directduckdb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	projectDir := fs.String("project-dir", ".", "compiled mart project")
	dbDir := fs.String("db-dir", "", "directory of the database file (default: a temporary one, removed afterwards)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := replay(ctx, *projectDir, *dbDir, stderr); err != nil {
		fmt.Fprintln(stderr, "directduckdb:", err)
		return 1
	}
	return 0
}

func replay(ctx context.Context, projectDir, dbDir string, stderr io.Writer) error {
	start := time.Now()
	plan, err := direct.Load(projectDir)
	if err != nil {
		return err
	}
	loaded := time.Since(start)
	if dbDir == "" {
		tmp, err := os.MkdirTemp("", "directduckdb-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dbDir = tmp
	}
	if err := os.MkdirAll(dbDir, 0o755); err != nil {
		return err
	}
	name := plan.Catalog
	if name == "" {
		name = "mart"
	}
	path := filepath.Join(dbDir, name+".duckdb")
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := direct.Run(ctx, db, plan)
	if err != nil {
		return err
	}
	closing := time.Now()
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "directduckdb: %d seeds, %d models, %d tests (%d failing), %d skipped nodes; load %s, run %s, close %s, total %s\n",
		res.Statements[direct.KindSeed], res.Statements[direct.KindModel], res.Statements[direct.KindTest],
		res.FailedTests, len(plan.Skipped), ms(loaded), ms(res.Elapsed), ms(time.Since(closing)), ms(time.Since(start)))
	return nil
}

func ms(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
