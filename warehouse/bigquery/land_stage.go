package bigquery

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"cloud.google.com/go/bigquery"

	"github.com/mart-dev/mart/warehouse"
)

// Columns of a staged BatchChanges row besides the source's.
const (
	opColumn  = "_mart_op"
	seqColumn = "_mart_seq" // the change's position: the last of a key wins
)

// Stage writes the batch to a local file of newline-delimited JSON,
// streamed, then loads it into a new staging table with a load job.
func (l *landing) Stage(ctx context.Context, b warehouse.Batch, fill func(add func(row []any) error) error) (int64, error) {
	l.dropStage()
	cols := make([]warehouse.Column, len(b.Columns))
	for i, c := range b.Columns {
		t, err := landType(c.Type)
		if err != nil {
			return 0, fmt.Errorf("stage for %s: column %q: %w", l.t.Table, c.Name, err)
		}
		cols[i] = warehouse.Column{Name: c.Name, Type: t}
	}
	staged := cols
	if b.Kind == warehouse.BatchChanges {
		staged = append(append([]warehouse.Column(nil), cols...), warehouse.Column{Name: opColumn, Type: "STRING"},
			warehouse.Column{Name: seqColumn, Type: "INT64"})
	}
	f, err := tempFile()
	if err != nil {
		return 0, fmt.Errorf("stage for %s: %w", l.t.Table, err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := writeNDJSON(f, b, staged, fill)
	if err != nil {
		return 0, fmt.Errorf("stage for %s: %w", l.t.Table, err)
	}
	stage := l.t.Table
	stage.Name = warehouse.TempName(l.t.Table.Name)
	md := &bigquery.TableMetadata{Schema: schemaOf(staged), ExpirationTime: time.Now().Add(24 * time.Hour)}
	if err := l.w.table(stage).Create(ctx, md); err != nil {
		return 0, opError("stage for", l.t.Table, l.w.apiError(err, ""))
	}
	l.stage, l.batch, l.cols = stage, b, cols
	if err := l.load(ctx, f.Name(), md.Schema); err != nil {
		l.dropStage()
		return 0, opError("stage for", l.t.Table, err)
	}
	return n, nil
}

// writeNDJSON writes fill's rows as JSON objects, one a line (a change's
// sequence number added).
func writeNDJSON(f *os.File, b warehouse.Batch, cols []warehouse.Column, fill func(add func(row []any) error) error) (int64, error) {
	w := bufio.NewWriterSize(f, 1<<20)
	keys := make([]string, len(cols))
	for i, c := range cols {
		keys[i] = strconv.Quote(c.Name) + ":"
	}
	var n int64
	err := fill(func(row []any) error {
		want := len(b.Columns)
		if b.Kind == warehouse.BatchChanges {
			want++
		}
		if len(row) != want {
			return fmt.Errorf("internal error: a row of %d values for %d columns", len(row), want)
		}
		w.WriteByte('{')
		for i, v := range row {
			t := warehouse.LandType{Kind: warehouse.LandText}
			if i < len(b.Columns) {
				t = b.Columns[i].Type
			}
			s, err := jsonValue(v, t)
			if err != nil {
				return fmt.Errorf("column %q: %w", cols[i].Name, err)
			}
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(keys[i])
			w.WriteString(s)
		}
		n++
		if b.Kind == warehouse.BatchChanges {
			w.WriteString("," + keys[len(keys)-1] + strconv.FormatInt(n, 10))
		}
		_, err := w.WriteString("}\n")
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	return n, err
}

// load runs the load job of the NDJSON file into the staging table.
func (l *landing) load(ctx context.Context, path string, schema bigquery.Schema) error {
	return l.w.loadFile(ctx, l.stage, path, func(src *bigquery.ReaderSource) {
		src.SourceFormat, src.Schema = bigquery.JSON, schema
	})
}
