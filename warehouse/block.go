package warehouse

import (
	"context"
	"fmt"
	"time"
)

// BlockRows is the number of rows a source puts in a Block before handing
// it on (DuckDB's vector size: a block fills one of its data chunks).
const BlockRows = 2048

// Block is a batch of rows held column by column, in typed slices: the
// fast way from a source's decoder to an engine's bulk path, with no Go
// value boxed per field. Each column holds Len values in the slice its
// kind is stored in (see BlockColumn); Value and Row give them back as the
// Go values of the row interface (LandKind).
type Block struct {
	Cols []BlockColumn
	Len  int
}

// BlockColumn is one column of a Block. Every row has an entry in Null
// and in the one value slice of the column's storage (the zero value when
// NULL):
//
//   - Ints: the integer kinds; LandDecimal up to 18 digits (unscaled);
//     LandDate as days since 1970-01-01 (every date PostgreSQL holds fits);
//     LandTime, LandTimestamp and LandTimestampTZ as microseconds since
//     1970-01-01 00:00 UTC (a time of day: since midnight)
//   - Floats: LandFloat32, LandFloat64
//   - Bools: LandBool
//   - Bytes and Ends: LandText, LandJSON, LandBytes, LandUUID, the values
//     one after the other, row i in Bytes[Ends[i-1]:Ends[i]] (from 0 for
//     the first)
//   - Any: wider decimals (*big.Int) and lists ([]any)
type BlockColumn struct {
	Type   LandType
	Store  BlockStore
	Null   []bool
	Ints   []int64
	Floats []float64
	Bools  []bool
	Bytes  []byte
	Ends   []int
	Any    []any
}

// BlockStore says which slice of a BlockColumn holds its values.
type BlockStore uint8

// Storages of block columns.
const (
	StoreAny BlockStore = iota
	StoreInts
	StoreFloats
	StoreBools
	StoreBytes
)

// StoreOf returns the storage of a column of type t in a Block.
func StoreOf(t LandType) BlockStore {
	switch t.Kind {
	case LandInt16, LandInt32, LandInt64, LandDate, LandTime, LandTimestamp, LandTimestampTZ:
		return StoreInts
	case LandDecimal:
		if t.Precision <= 18 {
			return StoreInts
		}
	case LandFloat32, LandFloat64:
		return StoreFloats
	case LandBool:
		return StoreBools
	case LandText, LandJSON, LandBytes, LandUUID:
		return StoreBytes
	}
	return StoreAny
}

// NewBlock returns an empty block for columns cols, with room for
// BlockRows rows.
func NewBlock(cols []LandColumn) *Block {
	b := &Block{Cols: make([]BlockColumn, len(cols))}
	for i, c := range cols {
		bc := &b.Cols[i]
		bc.Type, bc.Store = c.Type, StoreOf(c.Type)
		bc.Null = make([]bool, 0, BlockRows)
		switch bc.Store {
		case StoreInts:
			bc.Ints = make([]int64, 0, BlockRows)
		case StoreFloats:
			bc.Floats = make([]float64, 0, BlockRows)
		case StoreBools:
			bc.Bools = make([]bool, 0, BlockRows)
		case StoreBytes:
			bc.Ends = make([]int, 0, BlockRows)
			bc.Bytes = make([]byte, 0, 32*BlockRows)
		default:
			bc.Any = make([]any, 0, BlockRows)
		}
	}
	return b
}

// Reset empties the block, keeping its memory.
func (b *Block) Reset() {
	for i := range b.Cols {
		c := &b.Cols[i]
		c.Null, c.Ints, c.Floats, c.Bools = c.Null[:0], c.Ints[:0], c.Floats[:0], c.Bools[:0]
		c.Bytes, c.Ends = c.Bytes[:0], c.Ends[:0]
		clear(c.Any) // let the values go
		c.Any = c.Any[:0]
	}
	b.Len = 0
}

// Full reports that the block holds BlockRows rows.
func (b *Block) Full() bool { return b.Len >= BlockRows }

// AppendNull adds a NULL.
func (c *BlockColumn) AppendNull() {
	c.Null = append(c.Null, true)
	switch c.Store {
	case StoreInts:
		c.Ints = append(c.Ints, 0)
	case StoreFloats:
		c.Floats = append(c.Floats, 0)
	case StoreBools:
		c.Bools = append(c.Bools, false)
	case StoreBytes:
		c.Ends = append(c.Ends, len(c.Bytes))
	default:
		c.Any = append(c.Any, nil)
	}
}

// AppendInt adds a value of a StoreInts column.
func (c *BlockColumn) AppendInt(v int64) {
	c.Null = append(c.Null, false)
	c.Ints = append(c.Ints, v)
}

// AppendFloat adds a value of a StoreFloats column.
func (c *BlockColumn) AppendFloat(v float64) {
	c.Null = append(c.Null, false)
	c.Floats = append(c.Floats, v)
}

// AppendBool adds a value of a StoreBools column.
func (c *BlockColumn) AppendBool(v bool) {
	c.Null = append(c.Null, false)
	c.Bools = append(c.Bools, v)
}

// AppendBytes adds a value of a StoreBytes column, copying p.
func (c *BlockColumn) AppendBytes(p []byte) {
	c.Null = append(c.Null, false)
	c.Bytes = append(c.Bytes, p...)
	c.Ends = append(c.Ends, len(c.Bytes))
}

// AppendString adds a value of a StoreBytes column.
func (c *BlockColumn) AppendString(s string) {
	c.Null = append(c.Null, false)
	c.Bytes = append(c.Bytes, s...)
	c.Ends = append(c.Ends, len(c.Bytes))
}

// BytesAt returns row i's value of a StoreBytes column, in the block's
// memory.
func (c *BlockColumn) BytesAt(i int) []byte {
	start := 0
	if i > 0 {
		start = c.Ends[i-1]
	}
	return c.Bytes[start:c.Ends[i]:c.Ends[i]]
}

// Append adds v, a Go value of the column's kind as the row interface
// holds it (see LandKind; nil is NULL).
func (c *BlockColumn) Append(v any) error {
	if v == nil {
		c.AppendNull()
		return nil
	}
	switch c.Store {
	case StoreInts:
		switch x := v.(type) {
		case int64:
			c.AppendInt(x)
		case int32:
			c.AppendInt(int64(x))
		case int16:
			c.AppendInt(int64(x))
		case int8:
			c.AppendInt(int64(x))
		case int:
			c.AppendInt(int64(x))
		case time.Time:
			if c.Type.Kind == LandDate {
				sec := x.Unix()
				days := sec / 86400
				if sec%86400 < 0 {
					days--
				}
				c.AppendInt(days)
				break
			}
			if c.Type.Kind == LandTime {
				x = x.UTC()
				c.AppendInt(int64(x.Hour())*3600e6 + int64(x.Minute())*60e6 + int64(x.Second())*1e6 + int64(x.Nanosecond()/1e3))
				break
			}
			c.AppendInt(x.UnixMicro())
		default:
			return fmt.Errorf("a %T value in a %s column", v, c.Type)
		}
	case StoreFloats:
		switch x := v.(type) {
		case float64:
			c.AppendFloat(x)
		case float32:
			c.AppendFloat(float64(x))
		default:
			return fmt.Errorf("a %T value in a %s column", v, c.Type)
		}
	case StoreBools:
		x, ok := v.(bool)
		if !ok {
			return fmt.Errorf("a %T value in a %s column", v, c.Type)
		}
		c.AppendBool(x)
	case StoreBytes:
		switch x := v.(type) {
		case string:
			c.AppendString(x)
		case []byte:
			c.AppendBytes(x)
		default:
			return fmt.Errorf("a %T value in a %s column", v, c.Type)
		}
	default:
		c.Null = append(c.Null, false)
		c.Any = append(c.Any, v)
	}
	return nil
}

// Value returns row i's value as the Go value of the row interface (see
// LandKind): int64 for integers and decimals up to 18 digits, time.Time in
// UTC for dates and times, string for text and JSON, []byte (a copy) for
// bytes and UUIDs, nil for NULL.
func (c *BlockColumn) Value(i int) any {
	if c.Null[i] {
		return nil
	}
	switch c.Store {
	case StoreInts:
		switch c.Type.Kind {
		case LandDate:
			return time.Unix(c.Ints[i]*86400, 0).UTC()
		case LandTime, LandTimestamp, LandTimestampTZ:
			return time.UnixMicro(c.Ints[i]).UTC()
		}
		return c.Ints[i]
	case StoreFloats:
		return c.Floats[i]
	case StoreBools:
		return c.Bools[i]
	case StoreBytes:
		if c.Type.Kind == LandBytes || c.Type.Kind == LandUUID {
			return append([]byte(nil), c.BytesAt(i)...)
		}
		return string(c.BytesAt(i))
	}
	return c.Any[i]
}

// Row returns row i's values, in dst when it is wide enough.
func (b *Block) Row(i int, dst []any) []any {
	if cap(dst) < len(b.Cols) {
		dst = make([]any, len(b.Cols))
	}
	dst = dst[:len(b.Cols)]
	for j := range b.Cols {
		dst[j] = b.Cols[j].Value(i)
	}
	return dst
}

// AppendRow adds a row of Go values of the row interface.
func (b *Block) AppendRow(row []any) error {
	if len(row) != len(b.Cols) {
		return fmt.Errorf("internal error: a row of %d values for %d columns", len(row), len(b.Cols))
	}
	for j, v := range row {
		if err := b.Cols[j].Append(v); err != nil {
			return fmt.Errorf("column %d: %w", j+1, err)
		}
	}
	b.Len++
	return nil
}

// BlockLanding is implemented by a Landing that takes batches column-wise,
// a Block at a time, faster than a row at a time.
type BlockLanding interface {
	// StageBlocks replaces the staged batch with the rows of the blocks
	// next returns, until it returns nil. A block is the landing's until
	// the next call to next. A batch of BatchChanges is staged with
	// Stage.
	StageBlocks(ctx context.Context, b Batch, next func() (*Block, error)) (rows int64, err error)
}
