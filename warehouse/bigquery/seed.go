package bigquery

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/bigquery"

	"github.com/mart-dev/mart/warehouse"
)

// LoadSeed validates the CSV file (warehouse.ScanSeed) and loads it as the
// table r:
//
//  1. a staging table r__mart_tmp_<hex> with one STRING column per CSV
//     column (c1, c2, ...) is created, expiring after a day;
//  2. a load job uploads the file into it as is (no SQL INSERTs);
//  3. CREATE OR REPLACE TABLE r AS SELECT casts each column to its
//     inferred (or column_types) BigQuery type, with empty fields as NULL,
//     and the header's names; like CreateTable this replaces r atomically;
//  4. the staging table is deleted.
//
// Inferred types: integer INT64, double FLOAT64, boolean BOOL, date DATE,
// timestamp DATETIME (the values have no time zone), string STRING.
func (w *Warehouse) LoadSeed(ctx context.Context, r warehouse.Relation, csvPath string, opt warehouse.SeedOptions) (int64, error) {
	r = w.resolve(r)
	schema, err := warehouse.ScanSeed(ctx, csvPath, opt)
	if err != nil {
		return 0, err
	}
	types := make([]string, len(schema.Columns))
	for i, c := range schema.Columns {
		if types[i], err = seedType(c); err != nil {
			return 0, &warehouse.SeedError{File: csvPath, Msg: err.Error()}
		}
	}
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return 0, opError("load seed", r, err)
	}
	defer unlock()
	stage := r
	stage.Name = warehouse.TempName(r.Name)
	defer w.dropQuietly(stage)
	if err := w.stageSeed(ctx, stage, csvPath, schema); err != nil {
		return 0, opError("load seed", r, err)
	}
	if opt.FullRefresh {
		if err := w.table(r).Delete(ctx); err != nil && !notFound(err) {
			return 0, opError("load seed", r, w.apiError(err, ""))
		}
	}
	if _, err := w.createTable(ctx, r, seedSelectSQL(relationSQL(stage), schema, types), &tableSpec{}); err != nil {
		return 0, opError("load seed", r, err)
	}
	return schema.Rows, nil
}

// stageSeed creates the staging table and loads the file into it.
func (w *Warehouse) stageSeed(ctx context.Context, stage warehouse.Relation, csvPath string, s *warehouse.SeedSchema) error {
	var cols bigquery.Schema
	for i := range s.Columns {
		cols = append(cols, &bigquery.FieldSchema{Name: fmt.Sprintf("c%d", i+1), Type: bigquery.StringFieldType})
	}
	md := &bigquery.TableMetadata{Schema: cols, ExpirationTime: time.Now().Add(24 * time.Hour)}
	if err := w.table(stage).Create(ctx, md); err != nil {
		return w.apiError(err, "")
	}
	// a load job with the same retries as the files of mart extract's
	// files sources (land_files.go)
	return w.loadFile(ctx, stage, csvPath, func(src *bigquery.ReaderSource) {
		src.SourceFormat = bigquery.CSV
		src.Schema = cols
		src.SkipLeadingRows = 1
		src.AllowQuotedNewlines = true
		src.FieldDelimiter = string(s.Delimiter)
		src.Encoding = bigquery.UTF_8
	})
}

// seedSelectSQL casts the staged STRING columns to their types.
func seedSelectSQL(stage string, s *warehouse.SeedSchema, types []string) string {
	var b strings.Builder
	b.WriteString("SELECT")
	for i, c := range s.Columns {
		if i > 0 {
			b.WriteString(",")
		}
		v := fmt.Sprintf("NULLIF(c%d, '')", i+1)
		if types[i] != "STRING" {
			v = fmt.Sprintf("CAST(%s AS %s)", v, types[i])
		}
		fmt.Fprintf(&b, "\n  %s AS %s", v, quoteIdent(c.Name))
	}
	b.WriteString("\nFROM " + stage)
	return b.String()
}

var seedTypes = map[warehouse.SeedType]string{
	warehouse.SeedInteger:   "INT64",
	warehouse.SeedDouble:    "FLOAT64",
	warehouse.SeedBoolean:   "BOOL",
	warehouse.SeedDate:      "DATE",
	warehouse.SeedTimestamp: "DATETIME",
	warehouse.SeedString:    "STRING",
}

func seedType(c warehouse.SeedColumn) (string, error) {
	if c.Override == "" {
		return seedTypes[c.Type], nil
	}
	t, ok := bigqueryType(c.Override)
	if !ok {
		return "", fmt.Errorf("column_types gives %q for column %q, which is not a BigQuery type (INT64, FLOAT64, NUMERIC(p, s), BOOL, STRING, DATE, DATETIME, TIMESTAMP, ...)", c.Override, c.Name)
	}
	return t, nil
}

var typeWithArgs = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([a-z0-9_]+)\s*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$`) })

// bigqueryType normalizes a column type to BigQuery's spelling, accepting
// the common names of other engines (varchar, double, integer, decimal)
// so that one project's column_types work on both warehouses.
func bigqueryType(t string) (string, bool) {
	m := typeWithArgs().FindStringSubmatch(strings.ToLower(strings.TrimSpace(t)))
	if m == nil {
		return "", false
	}
	args := strings.ReplaceAll(m[2], " ", "")
	base := map[string]string{
		"int64": "INT64", "int": "INT64", "integer": "INT64", "bigint": "INT64", "smallint": "INT64",
		"tinyint": "INT64", "byteint": "INT64", "float64": "FLOAT64", "float": "FLOAT64", "double": "FLOAT64",
		"real": "FLOAT64", "numeric": "NUMERIC", "decimal": "NUMERIC", "bignumeric": "BIGNUMERIC",
		"bigdecimal": "BIGNUMERIC", "bool": "BOOL", "boolean": "BOOL", "string": "STRING", "varchar": "STRING",
		"text": "STRING", "char": "STRING", "bytes": "BYTES", "date": "DATE", "datetime": "DATETIME",
		"time": "TIME", "timestamp": "TIMESTAMP", "timestamptz": "TIMESTAMP", "json": "JSON",
		"geography": "GEOGRAPHY", "interval": "INTERVAL",
	}[m[1]]
	switch {
	case base == "":
		return "", false
	case args == "":
		return base, true
	case base == "NUMERIC" || base == "BIGNUMERIC" || base == "STRING" || base == "BYTES":
		if base == "STRING" && m[1] != "string" {
			return "STRING", true // varchar(20): BigQuery's STRING(n) would reject longer values
		}
		return base + args, true
	}
	return "", false
}
