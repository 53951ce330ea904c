package duckdb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/mart-dev/mart/warehouse"
)

// Blocks of rows (warehouse.Block) are landed by a table function that
// fills DuckDB's data chunks straight from the blocks' typed columns:
// `INSERT INTO t SELECT * FROM mart_blocks_N(id)`, where id names the
// stream of blocks of one StageBlocks call. This costs a fraction of the
// appender's AppendRow, which converts every value from a Go interface.
// DuckDB pulls the chunks on its own thread while the source goroutine
// decodes the next blocks.
//
// The function is registered once per Warehouse (DuckDB keeps it in the
// database's system catalog, for every connection); the streams are
// found by id in blockStreams.

var (
	blockStreams  sync.Map // id (int64) -> *blockStream
	blockStreamID atomic.Int64
	blockFuncID   atomic.Int64
)

// blockStream is the table function's source for one StageBlocks call.
type blockStream struct {
	cols  []warehouse.LandColumn
	infos []duckdb.ColumnInfo
	next  func() (*warehouse.Block, error)

	cur     *warehouse.Block
	off     int   // rows of cur already landed
	rows    int64 // rows landed
	err     error // the error next returned: the source's, returned as it is
	started bool  // DuckDB began reading it: it is read once
}

// blockable reports whether the table function can land columns cols:
// every type but lists of JSON (the appender marshals those, element by
// element, and that is kept).
func blockable(cols []warehouse.LandColumn) bool {
	for _, c := range cols {
		if c.Type.Kind == warehouse.LandList && (c.Type.Elem == nil || c.Type.Elem.Kind == warehouse.LandJSON) {
			return false
		}
	}
	return true
}

// blockTypeInfo is the type of a column of the table function: the staged
// type (JSON as VARCHAR, see stageTypeSQL).
func blockTypeInfo(t warehouse.LandType) (duckdb.TypeInfo, error) {
	var tt duckdb.Type
	switch t.Kind {
	case warehouse.LandText, warehouse.LandJSON:
		tt = duckdb.TYPE_VARCHAR
	case warehouse.LandBool:
		tt = duckdb.TYPE_BOOLEAN
	case warehouse.LandInt16:
		tt = duckdb.TYPE_SMALLINT
	case warehouse.LandInt32:
		tt = duckdb.TYPE_INTEGER
	case warehouse.LandInt64:
		tt = duckdb.TYPE_BIGINT
	case warehouse.LandFloat32:
		tt = duckdb.TYPE_FLOAT
	case warehouse.LandFloat64:
		tt = duckdb.TYPE_DOUBLE
	case warehouse.LandDecimal:
		if t.Precision < 1 || t.Precision > warehouse.MaxDecimalPrecision || t.Scale < 0 || t.Scale > t.Precision {
			return nil, fmt.Errorf("DuckDB has no DECIMAL(%d,%d)", t.Precision, t.Scale)
		}
		return duckdb.NewDecimalInfo(uint8(t.Precision), uint8(t.Scale))
	case warehouse.LandBytes:
		tt = duckdb.TYPE_BLOB
	case warehouse.LandDate:
		tt = duckdb.TYPE_DATE
	case warehouse.LandTime:
		tt = duckdb.TYPE_TIME
	case warehouse.LandTimestamp:
		tt = duckdb.TYPE_TIMESTAMP
	case warehouse.LandTimestampTZ:
		tt = duckdb.TYPE_TIMESTAMP_TZ
	case warehouse.LandUUID:
		tt = duckdb.TYPE_UUID
	case warehouse.LandList:
		if t.Elem == nil || t.Elem.Kind == warehouse.LandList {
			return nil, fmt.Errorf("DuckDB lands lists of scalars only, not %s", t)
		}
		e, err := blockTypeInfo(*t.Elem)
		if err != nil {
			return nil, err
		}
		return duckdb.NewListInfo(e)
	default:
		return nil, fmt.Errorf("unknown extracted type %s", t)
	}
	return duckdb.NewTypeInfo(tt)
}

// blockFunc returns the name of the Warehouse's table function,
// registering it the first time. It is registered on a connection of its
// own, outside any transaction, before the landing begins one: DuckDB's
// catalog is transactional, so a function registered inside a
// transaction would go with its rollback, and one registered after a
// transaction began is not seen by it.
func (w *Warehouse) blockFunc(ctx context.Context) (string, error) {
	w.blockMu.Lock()
	defer w.blockMu.Unlock()
	if w.blockFn != "" {
		return w.blockFn, nil
	}
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	name := "mart_blocks_" + strconv.FormatInt(blockFuncID.Add(1), 10)
	bigint, err := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	if err != nil {
		return "", err
	}
	f := duckdb.ChunkTableFunction{
		Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{bigint}},
		BindArguments: func(_ map[string]any, args ...any) (duckdb.ChunkTableSource, error) {
			id, ok := args[0].(int64)
			if !ok {
				return nil, fmt.Errorf("%s: a block stream id, not %T", name, args[0])
			}
			v, ok := blockStreams.Load(id)
			if !ok {
				return nil, fmt.Errorf("%s: no block stream %d", name, id)
			}
			s := v.(*blockStream)
			if s.started { // a bind again (DuckDB rebinds a statement whose catalog changed) is fine before that
				return nil, fmt.Errorf("%s: block stream %d was read", name, id)
			}
			return s, nil
		},
	}
	if err := duckdb.RegisterTableUDF(conn, name, f); err != nil {
		return "", fmt.Errorf("register the table function landing blocks: %w", err)
	}
	w.blockFn = name
	return name, nil
}

// insertBlocks inserts the rows of the blocks next returns into into
// ("table (columns)"), of columns cols.
func (l *landing) insertBlocks(ctx context.Context, into string, cols []warehouse.LandColumn, next func() (*warehouse.Block, error)) (int64, error) {
	fn := l.w.blockFn // registered by Land
	if fn == "" {
		return 0, errors.New("internal error: the table function landing blocks is not registered")
	}
	s := &blockStream{cols: cols, next: next, infos: make([]duckdb.ColumnInfo, len(cols))}
	for i, c := range cols {
		ti, err := blockTypeInfo(c.Type)
		if err != nil {
			return 0, fmt.Errorf("column %q: %w", c.Name, err)
		}
		s.infos[i] = duckdb.ColumnInfo{Name: "c" + strconv.Itoa(i), T: ti}
	}
	id := blockStreamID.Add(1)
	blockStreams.Store(id, s)
	defer blockStreams.Delete(id)
	_, err := l.conn.ExecContext(ctx, "INSERT INTO "+into+" SELECT * FROM "+fn+"("+strconv.FormatInt(id, 10)+")")
	if s.err != nil {
		return 0, s.err // the source's error, not DuckDB's rendering of it
	}
	if err != nil {
		return 0, err
	}
	if !s.started {
		return 0, errors.New("internal error: the block stream was not read")
	}
	return s.rows, nil
}

// ColumnInfos implements duckdb.ChunkTableSource.
func (s *blockStream) ColumnInfos() []duckdb.ColumnInfo { return s.infos }

// Cardinality implements duckdb.ChunkTableSource: unknown.
func (s *blockStream) Cardinality() *duckdb.CardinalityInfo { return nil }

// Init implements duckdb.ChunkTableSource.
func (s *blockStream) Init() { s.started = true }

// FillChunk implements duckdb.ChunkTableSource: it fills chunk with the
// next rows of the current block, taking the next block when it is done.
// A chunk of size 0 ends the stream.
func (s *blockStream) FillChunk(chunk duckdb.DataChunk) error {
	for s.cur == nil || s.off >= s.cur.Len {
		if s.err != nil {
			return s.err
		}
		blk, err := s.next()
		if err != nil {
			s.err = err
			return err
		}
		if blk == nil {
			s.cur = nil
			return chunk.SetSize(0)
		}
		if len(blk.Cols) != len(s.cols) {
			s.err = fmt.Errorf("internal error: a block of %d columns for %d", len(blk.Cols), len(s.cols))
			return s.err
		}
		s.cur, s.off = blk, 0
	}
	n := min(s.cur.Len-s.off, duckdb.GetDataChunkCapacity())
	for j := range s.cur.Cols {
		if err := fillColumn(chunk, j, &s.cur.Cols[j], s.off, n); err != nil {
			s.err = fmt.Errorf("column %q: %w", s.cols[j].Name, err)
			return s.err
		}
	}
	s.off += n
	s.rows += int64(n)
	return chunk.SetSize(n)
}

// fillColumn writes rows [off, off+n) of c to column j of chunk, at rows
// [0, n). Values are converted as the appender converts the row
// interface's Go values (time.Time in UTC for times), so that both land
// the same.
func fillColumn(chunk duckdb.DataChunk, j int, c *warehouse.BlockColumn, off, n int) error {
	null := c.Null[off : off+n]
	var err error
	set := func(i int, e error) bool {
		if e != nil {
			err = fmt.Errorf("row %d: %w", off+i+1, e)
		}
		return e == nil
	}
	switch c.Store {
	case warehouse.StoreInts:
		vals := c.Ints[off : off+n]
		switch c.Type.Kind {
		case warehouse.LandDate:
			for i, v := range vals {
				if null[i] {
					if !set(i, chunk.SetValue(j, i, nil)) {
						return err
					}
				} else if !set(i, duckdb.SetChunkValue(chunk, j, i, time.Unix(v*86400, 0).UTC())) {
					return err
				}
			}
		case warehouse.LandTime, warehouse.LandTimestamp, warehouse.LandTimestampTZ:
			for i, v := range vals {
				if null[i] {
					if !set(i, chunk.SetValue(j, i, nil)) {
						return err
					}
				} else if !set(i, duckdb.SetChunkValue(chunk, j, i, time.UnixMicro(v).UTC())) {
					return err
				}
			}
		default:
			for i, v := range vals {
				if null[i] {
					if !set(i, chunk.SetValue(j, i, nil)) {
						return err
					}
				} else if !set(i, duckdb.SetChunkValue(chunk, j, i, v)) {
					return err
				}
			}
		}
	case warehouse.StoreFloats:
		for i, v := range c.Floats[off : off+n] {
			if null[i] {
				if !set(i, chunk.SetValue(j, i, nil)) {
					return err
				}
			} else if !set(i, duckdb.SetChunkValue(chunk, j, i, v)) {
				return err
			}
		}
	case warehouse.StoreBools:
		for i, v := range c.Bools[off : off+n] {
			if null[i] {
				if !set(i, chunk.SetValue(j, i, nil)) {
					return err
				}
			} else if !set(i, duckdb.SetChunkValue(chunk, j, i, v)) {
				return err
			}
		}
	case warehouse.StoreBytes:
		for i := range n {
			if null[i] {
				if !set(i, chunk.SetValue(j, i, nil)) {
					return err
				}
			} else if !set(i, duckdb.SetChunkValue(chunk, j, i, c.BytesAt(off+i))) {
				return err
			}
		}
	default:
		for i, v := range c.Any[off : off+n] {
			if !set(i, chunk.SetValue(j, i, v)) { // nil is NULL
				return err
			}
		}
	}
	return nil
}
