package duckdb

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/mart-dev/mart/warehouse"
)

// opColumn holds the operation of a BatchChanges row in the staging table.
const opColumn = "_mart_op"

// Stage replaces the staged batch with the rows fill adds, appended with
// DuckDB's appender to a temporary table of the batch's columns.
func (l *landing) Stage(ctx context.Context, b warehouse.Batch, fill func(add func(row []any) error) error) (int64, error) {
	return l.stageWith(ctx, b, func(_ string, open func(driver.Conn) (*duckdb.Appender, error)) (int64, error) {
		width := len(b.Columns)
		if b.Kind == warehouse.BatchChanges {
			width++
		}
		return l.appendRows(ctx, width, open, fill)
	})
}

// StageBlocks replaces the staged batch with the rows of the blocks next
// returns, inserted by a table function that fills DuckDB's data chunks
// from them (see blocks.go). It stages where Stage would. A batch of
// changes, or one with a list of JSON, goes through Stage.
func (l *landing) StageBlocks(ctx context.Context, b warehouse.Batch, next func() (*warehouse.Block, error)) (int64, error) {
	if b.Kind == warehouse.BatchChanges || !blockable(b.Columns) {
		return l.Stage(ctx, b, func(add func(row []any) error) error {
			var row []any
			for {
				blk, err := next()
				if err != nil || blk == nil {
					return err
				}
				for i := range blk.Len {
					row = blk.Row(i, row)
					if err := add(row); err != nil {
						return err
					}
				}
			}
		})
	}
	return l.stageWith(ctx, b, func(into string, _ func(driver.Conn) (*duckdb.Appender, error)) (int64, error) {
		return l.insertBlocks(ctx, into, b.Columns, next)
	})
}

// stageWith stages a batch: it makes the staging table (or, for the first
// batch of a new or rebuilt table, begins the transaction that appends
// straight into the table) and has put fill it, given the INSERT target
// ("table (columns)") and a function opening an appender on it.
func (l *landing) stageWith(ctx context.Context, b warehouse.Batch, put func(into string, open func(driver.Conn) (*duckdb.Appender, error)) (int64, error)) (int64, error) {
	if l.direct {
		l.rollback() // a batch staged and never committed
	}
	if err := l.dropStage(); err != nil {
		return 0, fail(ctx, "stage for", l.t.Table, err)
	}
	if len(b.Columns) == 0 {
		return 0, fmt.Errorf("stage for %s: a batch needs columns", l.t.Table)
	}
	if b.Kind == warehouse.BatchRows {
		kind, err := l.w.kind(ctx, l.conn, l.t.Table)
		if err != nil {
			return 0, fail(ctx, "stage for", l.t.Table, err)
		}
		if (kind == "" || kind == "table" && l.t.Rebuild && !l.rebuilt) && !hasJSON(b.Columns) {
			return l.stageDirect(ctx, b, kind != "", put)
		}
	}
	defs := make([]string, 0, len(b.Columns)+1)
	landed := make([]warehouse.Column, len(b.Columns))
	for i, c := range b.Columns {
		st, err := stageTypeSQL(c.Type)
		if err != nil {
			return 0, fmt.Errorf("stage for %s: column %q: %w", l.t.Table, c.Name, err)
		}
		lt, _ := landTypeSQL(c.Type)
		landed[i] = warehouse.Column{Name: c.Name, Type: lt}
		defs = append(defs, l.w.QuoteIdent(c.Name)+" "+st)
	}
	if b.Kind == warehouse.BatchChanges {
		defs = append(defs, l.w.QuoteIdent(opColumn)+" VARCHAR")
	}
	l.stage = warehouse.TempName(l.t.Table.Name)
	if _, err := l.conn.ExecContext(ctx, "CREATE TEMP TABLE "+l.stageSQL()+" ("+strings.Join(defs, ", ")+")"); err != nil {
		l.stage = ""
		return 0, fail(ctx, "stage for", l.t.Table, err)
	}
	l.batch, l.stagedCols = b, landed
	n, err := put(l.stageSQL(), func(dc driver.Conn) (*duckdb.Appender, error) {
		return duckdb.NewAppender(dc, "temp", "main", l.stage)
	})
	if err != nil {
		_ = l.dropStage()
		return 0, fail(ctx, "stage for", l.t.Table, err)
	}
	return n, nil
}

// stageDirect appends a batch of rows straight into the raw table, new
// (or rebuilt: dropped first), in a transaction that Commit completes:
// the rows are written once, not staged then copied. DuckDB writes a large
// transaction's rows to the database file as they come, so memory stays
// bounded.
func (l *landing) stageDirect(ctx context.Context, b warehouse.Batch, exists bool, put func(into string, open func(driver.Conn) (*duckdb.Appender, error)) (int64, error)) (int64, error) {
	l.stagedCols = make([]warehouse.Column, len(b.Columns))
	names := make([]string, len(b.Columns))
	for i, c := range b.Columns {
		lt, err := landTypeSQL(c.Type)
		if err != nil {
			return 0, fmt.Errorf("stage for %s: column %q: %w", l.t.Table, c.Name, err)
		}
		l.stagedCols[i], names[i] = warehouse.Column{Name: c.Name, Type: lt}, c.Name
	}
	s := l.sqlFor("")
	stmts := []string{"BEGIN", s.createSQL(true)}
	if exists {
		stmts = []string{"BEGIN", "DROP TABLE " + s.target, s.createSQL(true)}
	}
	l.direct, l.batch = true, b
	for _, q := range stmts {
		if _, err := l.conn.ExecContext(ctx, q); err != nil {
			l.rollback()
			return 0, fail(ctx, "stage for", l.t.Table, err)
		}
	}
	r := l.w.resolve(l.t.Table)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = l.w.QuoteIdent(n)
	}
	n, err := put(s.target+" ("+strings.Join(quoted, ", ")+")", func(dc driver.Conn) (*duckdb.Appender, error) {
		return duckdb.NewAppenderWithColumns(dc, r.Database, r.Schema, r.Name, names)
	})
	if err != nil {
		l.rollback()
		return 0, fail(ctx, "stage for", l.t.Table, err)
	}
	l.directRows = n
	return n, nil
}

// hasJSON reports a JSON column. Such a batch goes through the staging
// table: the appender would encode a Go string as a JSON string literal,
// and appending text to a VARCHAR column later turned to JSON is no way
// out: DuckDB 1.5.6 cannot replay `ALTER COLUMN ... SET DATA TYPE JSON`
// from its WAL after a crash (the database no longer opens).
func hasJSON(cols []warehouse.LandColumn) bool {
	for _, c := range cols {
		if c.Type.Kind == warehouse.LandJSON || c.Type.Kind == warehouse.LandList && c.Type.Elem != nil && c.Type.Elem.Kind == warehouse.LandJSON {
			return true
		}
	}
	return false
}

// appendRows runs fill with an add function that appends rows of width
// values through the appender open makes, and flushes it.
func (l *landing) appendRows(ctx context.Context, width int, open func(driver.Conn) (*duckdb.Appender, error),
	fill func(add func(row []any) error) error) (int64, error) {
	var n int64
	err := l.conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("internal error: %T is not a driver connection", dc)
		}
		a, err := open(conn)
		if err != nil {
			return err
		}
		vals := make([]driver.Value, width)
		add := func(row []any) error {
			if len(row) != width {
				return fmt.Errorf("internal error: a row of %d values for %d columns", len(row), width)
			}
			for i, v := range row {
				vals[i] = v
			}
			if err := a.AppendRow(vals...); err != nil {
				return fmt.Errorf("row %d: %w", n+1, err)
			}
			n++
			return nil
		}
		ferr := fill(add)
		if ferr != nil {
			_ = a.Close() // the staging table is dropped anyway
			return ferr
		}
		return a.CloseWithCancel(ctx)
	})
	return n, err
}

// StageFiles replaces the staged batch with the rows of the files, read by
// DuckDB's own reader for format. Each row's FileColumn is the name of its
// file (names[i] for paths[i]).
func (l *landing) StageFiles(ctx context.Context, format warehouse.FileFormat, paths, names []string) ([]warehouse.Column, int64, error) {
	if err := l.dropStage(); err != nil {
		return nil, 0, fail(ctx, "stage for", l.t.Table, err)
	}
	if len(paths) == 0 || len(paths) != len(names) {
		return nil, 0, fmt.Errorf("stage files for %s: %d paths and %d names", l.t.Table, len(paths), len(names))
	}
	reader, err := l.fileReaderSQL(format, paths)
	if err != nil {
		return nil, 0, err
	}
	var name strings.Builder
	name.WriteString("CASE " + l.w.QuoteIdent(warehouse.FileColumn))
	for i, p := range paths {
		name.WriteString(" WHEN " + l.w.QuoteString(p) + " THEN " + l.w.QuoteString(names[i]))
	}
	name.WriteString(" END")
	l.stage = warehouse.TempName(l.t.Table.Name)
	q := "CREATE TEMP TABLE " + l.stageSQL() + " AS SELECT * REPLACE (" + name.String() + " AS " +
		l.w.QuoteIdent(warehouse.FileColumn) + ") FROM " + reader
	if _, err := l.conn.ExecContext(ctx, q); err != nil {
		l.stage = ""
		return nil, 0, fail(ctx, "read files for", l.t.Table, err)
	}
	var n int64
	cols, err := l.describeStage(ctx)
	if err == nil {
		err = l.conn.QueryRowContext(ctx, "SELECT count(*) FROM "+l.stageSQL()).Scan(&n)
	}
	if err != nil {
		_ = l.dropStage()
		return nil, 0, fail(ctx, "read files for", l.t.Table, err)
	}
	l.batch, l.stagedCols, l.files = warehouse.Batch{Kind: warehouse.BatchRows}, cols, names
	return cols, n, nil
}

// fileReaderSQL is DuckDB's table function reading paths, with the path of
// each row's file in FileColumn and the files' columns united by name.
func (l *landing) fileReaderSQL(format warehouse.FileFormat, paths []string) (string, error) {
	fn := map[warehouse.FileFormat]string{
		warehouse.FormatCSV: "read_csv", warehouse.FormatJSON: "read_json", warehouse.FormatParquet: "read_parquet",
	}[format]
	if fn == "" {
		return "", fmt.Errorf("stage files for %s: unknown format %q", l.t.Table, format)
	}
	list := make([]string, len(paths))
	for i, p := range paths {
		list[i] = l.w.QuoteString(p)
	}
	opts := ", union_by_name = true, filename = " + l.w.QuoteString(warehouse.FileColumn)
	if format == warehouse.FormatJSON {
		opts += ", format = 'newline_delimited'"
	}
	return fn + "([" + strings.Join(list, ", ") + "]" + opts + ")", nil
}

// describeStage returns the staging table's columns.
func (l *landing) describeStage(ctx context.Context) ([]warehouse.Column, error) {
	rows, err := l.conn.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE "+l.stageSQL()+")")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []warehouse.Column
	for rows.Next() {
		var c warehouse.Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, errors.New("the files have no columns")
	}
	return cols, nil
}
