package duckdb

// Seed loading strategies, measured on a generated 1M-row CSV:
//
//	go test ./warehouse/duckdb -run '^$' -bench Seed -benchtime 3x
//
// BenchmarkSeedScan is the Go validation/inference pass alone (shared by
// both strategies); BenchmarkSeedLoadReadCSV is LoadSeed as shipped (scan +
// read_csv); BenchmarkSeedLoadAppender replaces read_csv with duckdb-go's
// Appender fed by a second encoding/csv pass with values parsed in Go.

import (
	"bufio"
	"context"
	"database/sql/driver"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/mart-dev/mart/warehouse"
)

const benchRows = 1_000_000

func benchCSV(b *testing.B) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "big.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintln(bw, `id,"customer name",amount,paid,day,created_at,zip`)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range benchRows {
		ts := base.Add(time.Duration(i) * time.Second)
		name := fmt.Sprintf("customer %d", i%5000)
		if i%100 == 0 {
			name = fmt.Sprintf(`"quoted, ""%d"""`, i)
		}
		fmt.Fprintf(bw, "%d,%s,%d.%02d,%t,%s,%s,%05d\n", i, name, i%1000, i%100, i%2 == 0,
			ts.Format(time.DateOnly), ts.Format(time.DateTime), i%100000)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkSeedScan(b *testing.B) {
	p := benchCSV(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := warehouse.ScanSeed(context.Background(), p, warehouse.SeedOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeedLoadReadCSV(b *testing.B) {
	p := benchCSV(b)
	w := openBench(b)
	b.ResetTimer()
	for b.Loop() {
		n, err := w.LoadSeed(context.Background(), warehouse.Relation{Name: "big"}, p, warehouse.SeedOptions{})
		if err != nil || n != benchRows {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkSeedLoadAppender(b *testing.B) {
	p := benchCSV(b)
	w := openBench(b)
	b.ResetTimer()
	for b.Loop() {
		n, err := loadWithAppender(context.Background(), w, warehouse.Relation{Name: "big"}, p)
		if err != nil || n != benchRows {
			b.Fatal(n, err)
		}
	}
}

func openBench(b *testing.B) *Warehouse {
	w, err := Open(context.Background(), Config{Path: filepath.Join(b.TempDir(), "bench.duckdb")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = w.Close() })
	return w
}

// loadWithAppender is the alternative to read_csv: same validation and the
// same single-transaction build-and-swap, but rows are parsed in Go and fed
// to the appender. (Written against a *sql.Conn with explicit BEGIN/COMMIT,
// because the appender needs the raw driver connection, which *sql.Tx does
// not expose.)
func loadWithAppender(ctx context.Context, w *Warehouse, r warehouse.Relation, path string) (int64, error) {
	r = w.resolve(r)
	s, err := warehouse.ScanSeed(ctx, path, warehouse.SeedOptions{})
	if err != nil {
		return 0, err
	}
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	tmp := r
	tmp.Name = warehouse.TempName(r.Name)
	cols := ""
	for i, c := range s.Columns {
		if i > 0 {
			cols += ", "
		}
		cols += w.QuoteIdent(c.Name) + " " + seedTypes[c.Type]
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION; CREATE TABLE "+w.RelationSQL(tmp)+" ("+cols+")"); err != nil {
		return 0, err
	}
	err = conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), r.Database, r.Schema, tmp.Name)
		if err != nil {
			return err
		}
		if err := appendCSV(path, s, a); err != nil {
			_ = a.Close()
			return err
		}
		return a.Close()
	})
	if err == nil {
		_, err = conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+w.RelationSQL(r)+"; ALTER TABLE "+
			w.RelationSQL(tmp)+" RENAME TO "+w.QuoteIdent(r.Name)+"; COMMIT")
	}
	if err != nil {
		_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		return 0, err
	}
	var n int64
	err = conn.QueryRowContext(ctx, "SELECT count(*) FROM "+w.RelationSQL(r)).Scan(&n)
	return n, err
}

func appendCSV(path string, s *warehouse.SeedSchema, a *duckdb.Appender) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return err
	}
	vals := make([]driver.Value, len(s.Columns))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for i, v := range rec {
			if vals[i], err = parseSeedValue(s.Columns[i].Type, v); err != nil {
				return err
			}
		}
		if err := a.AppendRow(vals...); err != nil {
			return err
		}
	}
}

func parseSeedValue(t warehouse.SeedType, v string) (driver.Value, error) {
	if v == "" {
		return nil, nil
	}
	switch t {
	case warehouse.SeedInteger:
		return strconv.ParseInt(v, 10, 64)
	case warehouse.SeedDouble:
		return strconv.ParseFloat(v, 64)
	case warehouse.SeedBoolean:
		return strconv.ParseBool(v)
	case warehouse.SeedDate:
		return time.Parse(time.DateOnly, v)
	case warehouse.SeedTimestamp:
		return time.Parse("2006-01-02 15:04:05.999999", v)
	}
	return v, nil
}
