package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

// reader reads one table on one connection, inside one read-only
// repeatable-read transaction.
type reader struct {
	conn *pgx.Conn
	t    *table
	j    *extract.Job
}

var _ extract.Reader = (*reader)(nil)

// openReader connects (to the replica when there is one), begins the
// snapshot and describes the table.
func openReader(ctx context.Context, j *extract.Job) (*reader, error) {
	dsn, err := j.ReplicaDSN()
	if err == nil && dsn == "" {
		dsn, err = j.DSN()
	}
	if err != nil {
		return nil, err
	}
	conn, err := connect(ctx, j.Config, dsn)
	if err != nil {
		return nil, err
	}
	r := &reader{conn: conn, j: j}
	if err := snapshot(ctx, conn); err != nil {
		_ = r.Close()
		return nil, err
	}
	if r.t, err = describe(ctx, conn, j.Object); err != nil {
		_ = r.Close()
		return nil, err
	}
	return r, nil
}

func (r *reader) Describe(ctx context.Context) (*extract.Schema, error) { return r.t.schema(), nil }

// ReadAll streams the table with COPY ... TO STDOUT (FORMAT binary).
func (r *reader) ReadAll(ctx context.Context, stage extract.Stager) error {
	q := r.copySQL()
	return stage(landColumns(r.t.cols), func(add func([]any) error) error {
		cr := newCopyReader(r.t.cols, add, r.j.AddBytes)
		if _, err := r.conn.PgConn().CopyTo(ctx, cr, q); err != nil {
			return fmt.Errorf("copy %s: %w", r.t.rel, err)
		}
		if !cr.done {
			return fmt.Errorf("copy %s: the data ended early", r.t.rel)
		}
		return nil
	})
}

// ReadAllBlocks is ReadAll decoding into blocks.
func (r *reader) ReadAllBlocks(ctx context.Context, stage extract.BlockStager) error {
	q := r.copySQL()
	return stage(landColumns(r.t.cols), func(w *extract.BlockWriter) error {
		cr := newCopyBlockReader(r.t.cols, w, r.j.AddBytes)
		if _, err := r.conn.PgConn().CopyTo(ctx, cr, q); err != nil {
			return fmt.Errorf("copy %s: %w", r.t.rel, err)
		}
		if !cr.done {
			return fmt.Errorf("copy %s: the data ended early", r.t.rel)
		}
		return nil
	})
}

// copySQL is the COPY of the whole table.
func (r *reader) copySQL() string {
	sels := make([]string, len(r.t.cols))
	for i, c := range r.t.cols {
		sels[i] = c.sel
	}
	return "COPY (SELECT " + strings.Join(sels, ", ") + " FROM " + r.t.rel + ") TO STDOUT (FORMAT binary)"
}

// ReadChunkBlocks is ReadChunk decoding into blocks.
func (r *reader) ReadChunkBlocks(ctx context.Context, q extract.Chunk, stage extract.BlockStager) error {
	cols, err := r.chunkColumns(q)
	if err != nil {
		return err
	}
	sql, params, err := r.chunkSQL(cols, q)
	if err != nil {
		return err
	}
	return stage(landColumns(cols), func(w *extract.BlockWriter) error {
		rr := r.conn.PgConn().ExecParams(ctx, sql, params, nil, nil, []int16{1})
		var err error
		for err == nil && rr.NextRow() {
			var n int64
			blk := w.Block()
			for i, b := range rr.Values() {
				n += int64(len(b))
				if b == nil {
					blk.Cols[i].AppendNull()
					continue
				}
				if err = cols[i].block(&blk.Cols[i], b); err != nil {
					err = fmt.Errorf("column %q: %w", cols[i].name, err)
					break
				}
			}
			r.j.AddBytes(n)
			if err == nil {
				err = w.RowDone()
			}
		}
		if _, cerr := rr.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("read %s: %w", r.t.rel, cerr)
		}
		return err
	})
}

// chunkColumns returns the columns a chunk reads.
func (r *reader) chunkColumns(q extract.Chunk) ([]column, error) {
	if q.Columns == nil {
		return r.t.cols, nil
	}
	cols := make([]column, len(q.Columns))
	for i, name := range q.Columns {
		c, err := r.t.find(name)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return cols, nil
}

// ReadChunk runs one keyset query, its rows streamed in binary.
func (r *reader) ReadChunk(ctx context.Context, q extract.Chunk, stage extract.Stager) error {
	cols, err := r.chunkColumns(q)
	if err != nil {
		return err
	}
	sql, params, err := r.chunkSQL(cols, q)
	if err != nil {
		return err
	}
	return stage(landColumns(cols), func(add func([]any) error) error {
		return r.query(ctx, sql, params, cols, add)
	})
}

// chunkSQL renders the keyset query of q and its text parameters.
func (r *reader) chunkSQL(cols []column, q extract.Chunk) (string, [][]byte, error) {
	sels := make([]string, len(cols))
	for i, c := range cols {
		sels[i] = c.sel
	}
	order := make([]column, len(q.Order))
	names := make([]string, len(q.Order))
	for i, o := range q.Order {
		c, err := r.t.find(o)
		if err != nil {
			return "", nil, err
		}
		order[i], names[i] = c, pgx.Identifier{c.name}.Sanitize()
	}
	where := []string{names[0] + " IS NOT NULL"}
	var params [][]byte
	param := func(c column, v any) (string, error) {
		s, err := paramText(c, v)
		if err != nil {
			return "", fmt.Errorf("position of %s: %w", c.name, err)
		}
		params = append(params, []byte(s))
		return "$" + strconv.Itoa(len(params)) + "::" + c.cast, nil
	}
	switch {
	case q.After != nil:
		ps := make([]string, len(order))
		for i, c := range order {
			p, err := param(c, q.After[i])
			if err != nil {
				return "", nil, err
			}
			ps[i] = p
		}
		where = append(where, "("+strings.Join(names, ", ")+") > ("+strings.Join(ps, ", ")+")")
	case q.From != nil:
		p, err := param(order[0], q.From)
		if err != nil {
			return "", nil, err
		}
		where = append(where, names[0]+" >= "+p)
	}
	sql := "SELECT " + strings.Join(sels, ", ") + " FROM " + r.t.rel + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + strings.Join(names, ", ")
	if q.Limit > 0 {
		sql += " LIMIT " + strconv.Itoa(q.Limit)
	}
	return sql, params, nil
}

// query runs sql with text parameters and binary results, decoding each
// row as it arrives.
func (r *reader) query(ctx context.Context, sql string, params [][]byte, cols []column, add func([]any) error) error {
	rr := r.conn.PgConn().ExecParams(ctx, sql, params, nil, nil, []int16{1})
	row := make([]any, len(cols))
	var err error
	for err == nil && rr.NextRow() {
		var n int64
		for i, b := range rr.Values() {
			n += int64(len(b))
			if b == nil {
				row[i] = nil
				continue
			}
			if row[i], err = cols[i].decode(b); err != nil {
				err = fmt.Errorf("column %q: %w", cols[i].name, err)
				break
			}
		}
		r.j.AddBytes(n)
		if err == nil {
			err = add(row)
		}
	}
	if _, cerr := rr.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("read %s: %w", r.t.rel, cerr)
	}
	return err
}

// Max returns the column's greatest value.
func (r *reader) Max(ctx context.Context, name string) (any, error) {
	c, err := r.t.find(name)
	if err != nil {
		return nil, err
	}
	var out any
	q := "SELECT max(" + pgx.Identifier{c.name}.Sanitize() + ")" + strings.TrimPrefix(c.sel, pgx.Identifier{c.name}.Sanitize()) + " FROM " + r.t.rel
	err = r.query(ctx, q, nil, []column{c}, func(row []any) error { out = row[0]; return nil })
	return out, err
}

// Close ends the snapshot and the connection.
func (r *reader) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	return r.conn.Close(ctx) // ends the transaction too
}

func landColumns(cols []column) []warehouse.LandColumn {
	out := make([]warehouse.LandColumn, len(cols))
	for i, c := range cols {
		out[i] = warehouse.LandColumn{Name: c.name, Type: c.land}
	}
	return out
}
