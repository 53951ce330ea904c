package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

// reader reads one table on one connection, in one consistent snapshot.
type reader struct {
	db   *sql.DB
	conn *sql.Conn
	t    *table
	j    *extract.Job
}

var _ extract.Reader = (*reader)(nil)

func openReader(ctx context.Context, j *extract.Job) (*reader, error) {
	dsn, err := j.ReplicaDSN()
	if err == nil && dsn == "" {
		dsn, err = j.DSN()
	}
	if err != nil {
		return nil, err
	}
	db, conn, err := connect(ctx, j.Config, dsn)
	if err != nil {
		return nil, err
	}
	r := &reader{db: db, conn: conn, j: j}
	if r.t, err = describe(ctx, conn, j.Object); err != nil {
		_ = r.Close()
		return nil, err
	}
	return r, nil
}

func (r *reader) Describe(ctx context.Context) (*extract.Schema, error) { return r.t.schemaOf(), nil }

// ReadAll streams one SELECT of the whole table.
func (r *reader) ReadAll(ctx context.Context, stage extract.Stager) error {
	q := "SELECT " + selectList(r.t.cols) + " FROM " + r.t.rel
	return stage(landColumns(r.t.cols), func(add func([]any) error) error {
		return r.query(ctx, q, nil, r.t.cols, add)
	})
}

// ReadAllBlocks is ReadAll decoding into blocks.
func (r *reader) ReadAllBlocks(ctx context.Context, stage extract.BlockStager) error {
	q := "SELECT " + selectList(r.t.cols) + " FROM " + r.t.rel
	return stage(landColumns(r.t.cols), func(w *extract.BlockWriter) error {
		return r.queryBlocks(ctx, q, nil, r.t.cols, w)
	})
}

// ReadChunkBlocks is ReadChunk decoding into blocks.
func (r *reader) ReadChunkBlocks(ctx context.Context, q extract.Chunk, stage extract.BlockStager) error {
	cols, sql, args, err := r.chunkQuery(q)
	if err != nil {
		return err
	}
	return stage(landColumns(cols), func(w *extract.BlockWriter) error {
		return r.queryBlocks(ctx, sql, args, cols, w)
	})
}

// queryBlocks streams a query's rows into w's blocks. Without arguments
// it reads the driver's rows directly (see queryDriverBlocks).
func (r *reader) queryBlocks(ctx context.Context, q string, args []any, cols []column, w *extract.BlockWriter) error {
	if len(args) == 0 {
		return r.conn.Raw(func(dc any) error {
			qc, ok := dc.(driver.QueryerContext)
			if !ok {
				return fmt.Errorf("internal error: %T cannot query", dc)
			}
			return r.queryDriverBlocks(ctx, qc, q, cols, w)
		})
	}
	rows, err := r.conn.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", r.t.rel, err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", r.t.rel, err)
		}
		var n int64
		blk := w.Block()
		for i, b := range raw {
			n += int64(len(b))
			if b == nil {
				blk.Cols[i].AppendNull()
				continue
			}
			if err := cols[i].block(&blk.Cols[i], b); err != nil {
				return fmt.Errorf("column %q: %w", cols[i].name, err)
			}
		}
		r.j.AddBytes(n)
		if err := w.RowDone(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", r.t.rel, err)
	}
	return nil
}

// queryDriverBlocks streams a query's rows into w's blocks through the
// driver's own rows, whose values are the text protocol's bytes in its
// read buffer: database/sql's Scan into RawBytes costs a tenth of a
// full load's CPU. Other values (time.Time with the DSN's parseTime) are
// turned into the text Scan would make of them.
func (r *reader) queryDriverBlocks(ctx context.Context, qc driver.QueryerContext, q string, cols []column, w *extract.BlockWriter) error {
	rows, err := qc.QueryContext(ctx, q, nil)
	if err != nil {
		return fmt.Errorf("read %s: %w", r.t.rel, err)
	}
	defer rows.Close()
	if n := len(rows.Columns()); n != len(cols) {
		return fmt.Errorf("read %s: %d columns for %d", r.t.rel, n, len(cols))
	}
	dest := make([]driver.Value, len(cols))
	var text []byte
	for {
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read %s: %w", r.t.rel, err)
		}
		var n int64
		blk := w.Block()
		for i, v := range dest {
			bc := &blk.Cols[i]
			var b []byte
			switch x := v.(type) {
			case nil:
				bc.AppendNull()
				continue
			case []byte:
				b = x
			case int64: // the driver parses integer columns
				if bc.Store == warehouse.StoreInts && cols[i].land.Kind != warehouse.LandDecimal {
					bc.AppendInt(x)
					n += 8
					continue
				}
				b = strconv.AppendInt(text[:0], x, 10)
			case float64: // and doubles: their shortest text parses back to them
				if bc.Store == warehouse.StoreFloats {
					bc.AppendFloat(x)
					n += 8
					continue
				}
				b = strconv.AppendFloat(text[:0], x, 'g', -1, 64)
			case uint64:
				b = strconv.AppendUint(text[:0], x, 10)
			case float32:
				b = strconv.AppendFloat(text[:0], float64(x), 'g', -1, 32)
			case string:
				b = append(text[:0], x...)
			case time.Time:
				b = x.AppendFormat(text[:0], time.RFC3339Nano)
			case bool:
				b = strconv.AppendBool(text[:0], x)
			default:
				return fmt.Errorf("read %s: column %q: a %T value", r.t.rel, cols[i].name, v)
			}
			if _, raw := v.([]byte); !raw {
				text = b[:0] // reuse what was formatted, never the driver's buffer
			}
			n += int64(len(b))
			if err := cols[i].block(bc, b); err != nil {
				return fmt.Errorf("column %q: %w", cols[i].name, err)
			}
		}
		r.j.AddBytes(n)
		if err := w.RowDone(); err != nil {
			return err
		}
	}
}

// chunkQuery returns the columns, the SQL and the arguments of a keyset
// chunk.
func (r *reader) chunkQuery(q extract.Chunk) ([]column, string, []any, error) {
	cols := r.t.cols
	if q.Columns != nil {
		cols = make([]column, len(q.Columns))
		for i, name := range q.Columns {
			c, err := r.t.find(name)
			if err != nil {
				return nil, "", nil, err
			}
			cols[i] = c
		}
	}
	order := make([]column, len(q.Order))
	for i, o := range q.Order {
		c, err := r.t.find(o)
		if err != nil {
			return nil, "", nil, err
		}
		order[i] = c
	}
	sql, args, err := chunkSQL(r.t.rel, cols, order, q)
	return cols, sql, args, err
}

// ReadChunk runs one keyset query.
func (r *reader) ReadChunk(ctx context.Context, q extract.Chunk, stage extract.Stager) error {
	cols, sql, args, err := r.chunkQuery(q)
	if err != nil {
		return err
	}
	return stage(landColumns(cols), func(add func([]any) error) error {
		return r.query(ctx, sql, args, cols, add)
	})
}

func selectList(cols []column) string {
	sels := make([]string, len(cols))
	for i, c := range cols {
		sels[i] = c.sel
	}
	return strings.Join(sels, ", ")
}

// chunkSQL renders the keyset query: rows after the position, in the
// form MySQL turns into an index range on the first column
// (a >= x AND (a > x OR (b >= y AND (b > y OR c > z)))).
func chunkSQL(rel string, cols, order []column, q extract.Chunk) (string, []any, error) {
	first := quoteIdent(order[0].name)
	where := first + " IS NOT NULL"
	var args []any
	switch {
	case q.After != nil:
		cond, a, err := after(order, q.After)
		if err != nil {
			return "", nil, err
		}
		where += " AND " + cond
		args = a
	case q.From != nil:
		v, err := param(order[0], q.From)
		if err != nil {
			return "", nil, err
		}
		where += " AND " + first + " >= ?"
		args = []any{v}
	}
	names := make([]string, len(order))
	for i, c := range order {
		names[i] = quoteIdent(c.name)
	}
	s := "SELECT " + selectList(cols) + " FROM " + rel + " WHERE " + where + " ORDER BY " + strings.Join(names, ", ")
	if q.Limit > 0 {
		s += " LIMIT " + strconv.Itoa(q.Limit)
	}
	return s, args, nil
}

func after(order []column, pos []any) (string, []any, error) {
	c := order[0]
	v, err := param(c, pos[0])
	if err != nil {
		return "", nil, err
	}
	name := quoteIdent(c.name)
	if len(order) == 1 {
		return name + " > ?", []any{v}, nil
	}
	rest, args, err := after(order[1:], pos[1:])
	if err != nil {
		return "", nil, err
	}
	return name + " >= ? AND (" + name + " > ? OR (" + rest + "))", append([]any{v, v}, args...), nil
}

// param turns a position value into a query argument of the column's type.
func param(c column, v any) (any, error) {
	switch x := v.(type) {
	case int64:
		if c.land.Kind == warehouse.LandDecimal {
			return scaled(big.NewInt(x), c.land.Scale), nil
		}
		return x, nil
	case *big.Int:
		return scaled(x, c.land.Scale), nil
	case nil:
		return nil, fmt.Errorf("position of %s: NULL", c.name)
	}
	return v, nil
}

func scaled(v *big.Int, scale int) string {
	s := new(big.Int).Abs(v).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if v.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// query streams a query's rows, decoding the text protocol's values.
func (r *reader) query(ctx context.Context, q string, args []any, cols []column, add func([]any) error) error {
	rows, err := r.conn.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", r.t.rel, err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	row := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", r.t.rel, err)
		}
		var n int64
		for i, b := range raw {
			n += int64(len(b))
			if b == nil {
				row[i] = nil
				continue
			}
			v, err := cols[i].decode(b)
			switch {
			case errors.Is(err, errZeroDate):
				v = nil
			case err != nil:
				return fmt.Errorf("column %q: %w", cols[i].name, err)
			}
			row[i] = v
		}
		r.j.AddBytes(n)
		if err := add(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", r.t.rel, err)
	}
	return nil
}

// Max returns the column's greatest value.
func (r *reader) Max(ctx context.Context, name string) (any, error) {
	c, err := r.t.find(name)
	if err != nil {
		return nil, err
	}
	var out any
	mc := c
	mc.sel = "max(" + c.sel + ")"
	err = r.query(ctx, "SELECT "+mc.sel+" FROM "+r.t.rel, nil, []column{mc}, func(row []any) error { out = row[0]; return nil })
	return out, err
}

func (r *reader) Close() error {
	_ = r.conn.Close()
	return r.db.Close()
}
