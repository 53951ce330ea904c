// Command sodagen writes the raw data of the SODA Store demo project, a
// car-sharing company, as CSV seeds, or loads it into the company's
// operational stores for the pipeline (docs/soda-store.md).
//
//	go run ./cmd/sodagen                      # scale 1 into seeds/ (committed)
//	go run ./cmd/sodagen --scale 1000 --out /tmp/soda   # millions of rows
//	go run ./cmd/sodagen -check               # verify seeds/ and the documented facts
//	go run ./cmd/sodagen -facts               # print the facts of the data in --out
//	go run ./cmd/sodagen --load --pg-dsn ... --mysql-dsn ... --mongo-uri ... --files-dir data/fleet
//
// The output depends only on --scale and --seed: the same flags give the
// same bytes on every machine and Go release, and the same rows in the
// stores (--load replaces the tables it writes).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
)

func main() {
	scale := flag.Float64("scale", 1, "size of the data: 1 = a few thousand rows, 1000 = millions")
	out := flag.String("out", "seeds", "directory to write the CSV files to (or to read them from with -check/-facts)")
	seed := flag.Uint64("seed", DefaultSeed, "random seed; the documented facts hold for the default")
	check := flag.Bool("check", false, "verify that the CSVs in --out are the scale-1 data and hold the documented facts")
	facts := flag.Bool("facts", false, "print the facts of the CSVs in --out as a Markdown table")
	load := flag.Bool("load", false, "load the data at --scale into the stores named below (replacing their tables) instead of writing CSVs")
	var lo loadOptions
	flag.StringVar(&lo.PostgresDSN, "pg-dsn", os.Getenv(envPostgres), "--load: PostgreSQL URL for members and reservations (default $"+envPostgres+")")
	flag.StringVar(&lo.MySQLDSN, "mysql-dsn", os.Getenv(envMariaDB), "--load: MariaDB/MySQL DSN (user@tcp(host:port)/db) for payments (default $"+envMariaDB+")")
	flag.StringVar(&lo.MongoURI, "mongo-uri", os.Getenv(envMongoDB), "--load: MongoDB URI for app_events (default $"+envMongoDB+")")
	flag.StringVar(&lo.MongoDatabase, "mongo-db", "soda", "--load: MongoDB database of app_events")
	flag.StringVar(&lo.FilesDir, "files-dir", "", "--load: directory for the fleet files zones.csv and cars.jsonl")
	flag.Parse()

	var err error
	switch {
	case *load:
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		lo.Scale, lo.Seed, lo.Out = *scale, *seed, os.Stdout
		err = runLoad(ctx, lo)
	case *check:
		err = runCheck(*out, *seed)
	case *facts:
		err = printFacts(*out)
	default:
		err = writeDir(*out, *scale, *seed)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sodagen:", err)
		os.Exit(1)
	}
}

func csvPath(dir, name string) string { return filepath.Join(dir, name+".csv") }

func writeDir(dir string, scale float64, seed uint64) error {
	if err := generateDir(dir, scale, seed); err != nil {
		return err
	}
	s := SizesFor(scale)
	fmt.Printf("wrote %d zones, %d cars, %d members, %d reservations (+ payments, app events) to %s\n", s.Zones, s.Cars, s.Members, s.Reservations, dir)
	return nil
}

// generateDir writes the CSV of every table into dir.
func generateDir(dir string, scale float64, seed uint64) error {
	if scale <= 0 {
		return fmt.Errorf("--scale must be positive, got %v", scale)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var files []*os.File
	err := Generate(scale, seed, func(name string) (io.Writer, error) {
		f, err := os.Create(csvPath(dir, name))
		if err == nil {
			files = append(files, f)
		}
		return f, err
	})
	for _, f := range files {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func readDir(dir string) (Data, error) {
	return ReadData(func(name string) (io.Reader, error) { return os.Open(csvPath(dir, name)) })
}

// generateMemory returns the CSV bytes of each table.
func generateMemory(scale float64, seed uint64) (map[string]*bytes.Buffer, error) {
	bufs := map[string]*bytes.Buffer{}
	err := Generate(scale, seed, func(name string) (io.Writer, error) {
		bufs[name] = &bytes.Buffer{}
		return bufs[name], nil
	})
	return bufs, err
}

func runCheck(dir string, seed uint64) error {
	fresh, err := generateMemory(1, seed)
	if err != nil {
		return err
	}
	failed, passed := 0, 0
	for _, name := range Tables {
		onDisk, err := os.ReadFile(csvPath(dir, name))
		switch {
		case err != nil:
			failed++
			fmt.Printf("FAIL %s: %v\n", name, err)
		case !bytes.Equal(onDisk, fresh[name].Bytes()):
			failed++
			fmt.Printf("FAIL %s differs from a fresh scale-1 generation (regenerate with: go run ./cmd/sodagen)\n", name)
		default:
			passed++
			fmt.Printf("ok   %s.csv matches a fresh scale-1 generation (%d bytes)\n", name, len(onDisk))
		}
	}
	if failed > 0 {
		fmt.Printf("%d passed, %d failed\n", passed, failed)
		return fmt.Errorf("seeds in %s are not the scale-1 data", dir)
	}
	data, err := readDir(dir)
	if err != nil {
		return err
	}
	facts := data.ComputeFacts()
	bad := map[string]bool{}
	for _, msg := range CheckFacts(facts) {
		fmt.Println("FAIL", msg)
		failed++
	}
	for _, f := range facts {
		if ExpectedFacts[f.Name] == f.Value {
			passed++
			fmt.Printf("ok   %-34s %s\n", f.Name, f.Value)
		} else {
			bad[f.Name] = true
		}
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return fmt.Errorf("%d facts differ from docs/soda-store.md", len(bad))
	}
	return nil
}

func printFacts(dir string) error {
	data, err := readDir(dir)
	if err != nil {
		return err
	}
	fmt.Println("| fact | value | meaning |")
	fmt.Println("| --- | --- | --- |")
	for _, f := range data.ComputeFacts() {
		fmt.Printf("| `%s` | %s | %s |\n", f.Name, f.Value, f.About)
	}
	return nil
}
