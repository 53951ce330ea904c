package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// seedTypes maps inferred seed types to DuckDB types.
var seedTypes = map[warehouse.SeedType]string{
	warehouse.SeedInteger:   "BIGINT",
	warehouse.SeedDouble:    "DOUBLE",
	warehouse.SeedBoolean:   "BOOLEAN",
	warehouse.SeedDate:      "DATE",
	warehouse.SeedTimestamp: "TIMESTAMP",
	warehouse.SeedString:    "VARCHAR",
}

// LoadSeed validates csvPath with warehouse.ScanSeed and loads it into r
// with read_csv, replacing r atomically like CreateTable. Empty fields load
// as NULL. opt.QuoteColumns is ignored: column names are always quoted.
func (w *Warehouse) LoadSeed(ctx context.Context, r warehouse.Relation, csvPath string, opt warehouse.SeedOptions) (int64, error) {
	r = w.resolve(r)
	what := "load seed " + csvPath + " into"
	s, err := warehouse.ScanSeed(ctx, csvPath, opt)
	var seedErr *warehouse.SeedError
	if errors.As(err, &seedErr) {
		return 0, err // already names the file and row
	}
	if err != nil {
		return 0, fail(ctx, what, r, err)
	}
	abs, err := filepath.Abs(csvPath)
	if err != nil {
		return 0, fail(ctx, what, r, err)
	}
	if opt.FullRefresh {
		if err := w.Drop(ctx, r); err != nil {
			return 0, err
		}
	}
	body := "SELECT * FROM " + w.readCSV(abs, s)
	n, err := w.buildAndSwap(ctx, r, warehouse.TableOptions{}, func(tx *sql.Tx, tmp string) error {
		_, err := tx.ExecContext(ctx, "CREATE TABLE "+tmp+" AS "+body)
		return err
	})
	if err != nil {
		return 0, fail(ctx, what, r, err)
	}
	return n, nil
}

// readCSV renders a read_csv call for a validated seed file: every option
// explicit and auto-detection off, so DuckDB reads exactly the columns and
// types ScanSeed settled on.
func (w *Warehouse) readCSV(path string, s *warehouse.SeedSchema) string {
	cols := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		typ := c.Override
		if typ == "" {
			typ = seedTypes[c.Type]
		}
		cols[i] = w.QuoteString(c.Name) + ": " + w.QuoteString(typ)
	}
	return fmt.Sprintf("read_csv(%s, header = true, auto_detect = false, delim = %s, quote = '\"', escape = '\"', "+
		"nullstr = '', allow_quoted_nulls = true, columns = {%s})",
		w.QuoteString(path), w.QuoteString(string(s.Delimiter)), strings.Join(cols, ", "))
}
