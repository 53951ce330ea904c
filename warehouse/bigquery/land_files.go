package bigquery

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/mart-dev/mart/warehouse"
)

var _ warehouse.FileStager = (*landing)(nil)

// StageFiles replaces the staged batch with the rows of the files (local
// paths), read by BigQuery's own readers: each file is uploaded by a load
// job into a table of its own (CSV with its header row skipped,
// newline-delimited JSON, or Parquet in the file's own schema), then one
// query inserts every file's rows into the staging table, with FileColumn
// set to the file's name and the files' columns united by name (a column a
// file lacks is NULL there; a column whose type differs between files
// takes a type that holds both, see unifyType). A commit of the batch
// first deletes the table's rows of these files (land_sql.go).
//
// CSV and JSON files are loaded with a schema mart derives from the whole
// file (land_files_schema.go), not with BigQuery's autodetection.
// Nested Parquet columns (RECORD, REPEATED) land as JSON.
func (l *landing) StageFiles(ctx context.Context, format warehouse.FileFormat, paths, names []string) ([]warehouse.Column, int64, error) {
	l.dropStage()
	if len(paths) == 0 || len(paths) != len(names) {
		return nil, 0, fmt.Errorf("stage files for %s: %d paths and %d names", l.t.Table, len(paths), len(names))
	}
	var srcFormat bigquery.DataFormat
	switch format {
	case warehouse.FormatCSV:
		srcFormat = bigquery.CSV
	case warehouse.FormatJSON:
		srcFormat = bigquery.JSON
	case warehouse.FormatParquet:
		srcFormat = bigquery.Parquet
	default:
		return nil, 0, fmt.Errorf("stage files for %s: unknown format %q", l.t.Table, format)
	}
	var parts []warehouse.Relation // one table per file
	defer func() {
		for _, p := range parts {
			l.w.dropQuietly(p)
		}
	}()
	schemas := make([][]warehouse.Column, len(paths))
	var rows int64
	for i, path := range paths {
		part := l.t.Table
		part.Name = warehouse.TempName(l.t.Table.Name)
		var schema bigquery.Schema
		if format != warehouse.FormatParquet {
			cols, err := fileColumns(format, path)
			if err != nil {
				return nil, 0, fmt.Errorf("stage files for %s: %s: %w", l.t.Table, names[i], err)
			}
			schema = schemaOf(cols)
		}
		md := &bigquery.TableMetadata{Schema: schema, ExpirationTime: time.Now().Add(24 * time.Hour)}
		if err := l.w.table(part).Create(ctx, md); err != nil {
			return nil, 0, opError("stage for", l.t.Table, l.w.apiError(err, ""))
		}
		parts = append(parts, part)
		err := l.w.loadFile(ctx, part, path, func(src *bigquery.ReaderSource) {
			src.SourceFormat, src.Schema = srcFormat, schema
			switch format {
			case warehouse.FormatCSV:
				src.SkipLeadingRows, src.AllowQuotedNewlines = 1, true
			case warehouse.FormatParquet:
				// ENUM as STRING (not BYTES), a LIST as a REPEATED column of
				// its elements (not a RECORD of list.element), which lands as
				// the JSON array DuckDB's list would print
				src.ParquetOptions = &bigquery.ParquetOptions{EnumAsString: true, EnableListInference: true}
			}
		})
		if err != nil {
			return nil, 0, fmt.Errorf("stage files for %s: load %s: %w", l.t.Table, names[i], err)
		}
		got, err := l.w.metadata(ctx, part)
		if err == nil && got == nil {
			err = fmt.Errorf("the loaded table %s is gone", part)
		}
		if err != nil {
			return nil, 0, opError("stage for", l.t.Table, err)
		}
		rows += int64(got.NumRows)
		for _, f := range got.Schema {
			schemas[i] = append(schemas[i], warehouse.Column{Name: f.Name, Type: fileFieldType(f)})
		}
	}
	cols, insert, err := unionFiles(relationSQL, parts, schemas, names)
	if err != nil {
		return nil, 0, fmt.Errorf("stage files for %s: %w", l.t.Table, err)
	}
	stage := l.t.Table
	stage.Name = warehouse.TempName(l.t.Table.Name)
	md := &bigquery.TableMetadata{Schema: schemaOf(cols), ExpirationTime: time.Now().Add(24 * time.Hour)}
	if err := l.w.table(stage).Create(ctx, md); err != nil {
		return nil, 0, opError("stage for", l.t.Table, l.w.apiError(err, ""))
	}
	l.stage, l.batch, l.cols, l.files = stage, warehouse.Batch{Kind: warehouse.BatchRows}, cols, names
	if _, err := l.w.query(ctx, atomicJob, "INSERT INTO "+relationSQL(stage)+" ("+columnList("", columnNames(cols))+")\n"+insert); err != nil {
		l.dropStage()
		return nil, 0, opError("stage for", l.t.Table, err)
	}
	return cols, rows, nil
}

// fileFieldType is the type a loaded file's column lands as: its own, but
// nested values (RECORD, REPEATED) as JSON.
func fileFieldType(f *bigquery.FieldSchema) string {
	if f.Repeated || f.Type == bigquery.RecordFieldType {
		return "JSON"
	}
	return typeName(f)
}

// unionFiles unites the files' columns by name (case-insensitively, in
// the order they first appear, FileColumn last) and returns them with
// the SELECT that reads every file's table as those columns.
func unionFiles(rel func(warehouse.Relation) string, parts []warehouse.Relation, schemas [][]warehouse.Column, names []string) ([]warehouse.Column, string, error) {
	var cols []warehouse.Column
	index := map[string]int{}
	for _, s := range schemas {
		for _, c := range s {
			k := strings.ToLower(c.Name)
			if strings.EqualFold(c.Name, warehouse.FileColumn) {
				return nil, "", fmt.Errorf("a file has a column named %s, which mart uses", warehouse.FileColumn)
			}
			i, ok := index[k]
			if !ok {
				index[k] = len(cols)
				cols = append(cols, c)
				continue
			}
			cols[i].Type = unifyType(cols[i].Type, c.Type)
		}
	}
	selects := make([]string, len(parts))
	for p, s := range schemas {
		have := map[string]warehouse.Column{}
		for _, c := range s {
			have[strings.ToLower(c.Name)] = c
		}
		exprs := make([]string, 0, len(cols)+1)
		for _, c := range cols {
			own, ok := have[strings.ToLower(c.Name)]
			switch {
			case !ok:
				exprs = append(exprs, "CAST(NULL AS "+c.Type+")")
			case strings.EqualFold(c.Type, "JSON") && !strings.EqualFold(own.Type, "JSON"):
				exprs = append(exprs, "TO_JSON("+quoteIdent(own.Name)+")")
			case !strings.EqualFold(own.Type, c.Type):
				exprs = append(exprs, "CAST("+quoteIdent(own.Name)+" AS "+c.Type+")")
			default:
				exprs = append(exprs, quoteIdent(own.Name))
			}
		}
		exprs = append(exprs, quoteString(names[p]))
		selects[p] = "SELECT " + strings.Join(exprs, ", ") + " FROM " + rel(parts[p])
	}
	cols = append(cols, warehouse.Column{Name: warehouse.FileColumn, Type: "STRING"})
	return cols, strings.Join(selects, "\nUNION ALL\n"), nil
}

// unifyType is a type that holds values of types a and b of two files'
// column: the wider number, a DATETIME or TIMESTAMP for a DATE, JSON
// when either is JSON, else STRING.
func unifyType(a, b string) string {
	if strings.EqualFold(a, b) {
		return a
	}
	ta, oka := widenLanded(a, b)
	tb, okb := widenLanded(b, a)
	switch {
	case oka && ta == a:
		return a
	case okb && tb == b:
		return b
	case oka:
		return ta
	case okb:
		return tb
	}
	ua, ub := parseBQType(a).base, parseBQType(b).base
	switch {
	case ua == "JSON" || ub == "JSON":
		return "JSON"
	case ua == "DATE" && (ub == "DATETIME" || ub == "TIMESTAMP"):
		return ub
	case ub == "DATE" && (ua == "DATETIME" || ua == "TIMESTAMP"):
		return ua
	case ua == "DATETIME" && ub == "TIMESTAMP", ua == "TIMESTAMP" && ub == "DATETIME":
		return "TIMESTAMP"
	}
	return "STRING"
}

func columnNames(cols []warehouse.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// loadFile runs a load job of the local file at path into dest, set up by
// configure (seeds, files sources). The client library does not retry
// uploads, so transient failures are retried here with the same job id:
// if an earlier attempt did create the job, the insert reports a
// duplicate and runJob follows that job.
func (w *Warehouse) loadFile(ctx context.Context, dest warehouse.Relation, path string, configure func(*bigquery.ReaderSource)) error {
	labels := w.labels(ctx)
	_, err := w.runJob(ctx, atomicJob, func(ctx context.Context, id string) (*bigquery.Job, error) {
		for attempt := 0; ; attempt++ {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			src := bigquery.NewReaderSource(f)
			configure(src)
			ld := w.table(dest).LoaderFrom(src)
			ld.JobID, ld.Location, ld.Labels, ld.JobTimeout = id, w.cfg.Location, labels, w.cfg.JobTimeout
			ld.WriteDisposition, ld.CreateDisposition = bigquery.WriteTruncate, bigquery.CreateNever
			if w.uploadChunk > 0 {
				ld.MediaOptions = []googleapi.MediaOption{googleapi.ChunkSize(w.uploadChunk)}
			}
			job, err := ld.Run(ctx)
			f.Close()
			if err == nil || isDuplicate(err) || attempt >= w.cfg.JobRetries+2 || !transient(w.apiError(err, id)) {
				return job, err
			}
			select {
			case <-time.After(w.backoff(attempt + 1)):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	})
	return err
}
