package duckdb

import (
	"context"
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// blockKinds are columns of every kind, and blockRows rows of them with
// edge values: NULLs, negatives, empty text and bytes, times before 1970
// and at 24:00, the widest decimals, NaN and infinite floats.
var blockKinds = []warehouse.LandColumn{
	{Name: "id", Type: warehouse.LandType{Kind: warehouse.LandInt64}},
	{Name: "i16", Type: warehouse.LandType{Kind: warehouse.LandInt16}},
	{Name: "i32", Type: warehouse.LandType{Kind: warehouse.LandInt32}},
	{Name: "f32", Type: warehouse.LandType{Kind: warehouse.LandFloat32}},
	{Name: "f64", Type: warehouse.LandType{Kind: warehouse.LandFloat64}},
	{Name: "amount", Type: warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 18, Scale: 4}},
	{Name: "huge", Type: warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 38, Scale: 6}},
	{Name: "ok", Type: warehouse.LandType{Kind: warehouse.LandBool}},
	{Name: "label", Type: warehouse.LandType{Kind: warehouse.LandText}},
	{Name: "raw", Type: warehouse.LandType{Kind: warehouse.LandBytes}},
	{Name: "uid", Type: warehouse.LandType{Kind: warehouse.LandUUID}},
	{Name: "day", Type: warehouse.LandType{Kind: warehouse.LandDate}},
	{Name: "clock", Type: warehouse.LandType{Kind: warehouse.LandTime}},
	{Name: "at", Type: warehouse.LandType{Kind: warehouse.LandTimestamp}},
	{Name: "at_tz", Type: warehouse.LandType{Kind: warehouse.LandTimestampTZ}},
	{Name: "tags", Type: warehouse.LandType{Kind: warehouse.LandList, Elem: &warehouse.LandType{Kind: warehouse.LandInt32}}},
}

func blockRows() [][]any {
	huge, _ := new(big.Int).SetString("-12345678901234567890123456789012345678", 10)
	uid := []byte{0x12, 0x34, 0x56, 0x78, 0x90, 0xab, 0xcd, 0xef, 0x12, 0x34, 0x56, 0x78, 0x90, 0xab, 0xcd, 0xef}
	midnight := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{int64(1), int64(-32768), int64(math.MinInt32), float64(float32(1.5)), 0.1, int64(-123456789012345678), huge, true, "héllo", []byte{0, 0xff},
			uid, midnight(2026, 3, 4), time.Unix(13*3600+14*60+15, 123456000).UTC(), time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC),
			time.Date(2026, 3, 4, 3, 6, 7, 891011000, time.UTC), []any{int64(1), nil, int64(3)}},
		{int64(2), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(3), int64(32767), int64(math.MaxInt32), math.Inf(-1), math.NaN(), int64(0), big.NewInt(0), false, "", []byte(nil),
			make([]byte, 16), midnight(1969, 12, 31), time.Unix(86400, 0).UTC(), time.Date(1900, 1, 1, 0, 0, 0, 1000, time.UTC),
			time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC), []any{}},
		{int64(4), int64(0), int64(0), float64(float32(-0.25)), -1e300, int64(-1), big.NewInt(-1), true, "multi\nline", []byte{},
			uid, midnight(300000, 1, 1), time.Unix(0, 0).UTC(), time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC),
			time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), nil},
	}
	for i := range 5000 { // more than a data chunk's rows
		rows = append(rows, []any{int64(100 + i), int64(i % 100), int64(-i), float64(float32(i) / 4), float64(i) / 3, int64(i) * 10001,
			big.NewInt(int64(i) * 1_000_000), i%2 == 0, "row " + string(rune('a'+i%26)), []byte{byte(i)}, uid, midnight(2026, 1, 1+i%28),
			time.Unix(int64(i), 0).UTC(), time.Unix(int64(i)*1000, int64(i)*1000).UTC(), time.Unix(-int64(i)*1000, 0).UTC(), []any{int64(i)}})
	}
	return rows
}

// blocksOf cuts rows into blocks of n rows.
func blocksOf(t *testing.T, cols []warehouse.LandColumn, rows [][]any, n int) func() (*warehouse.Block, error) {
	var blocks []*warehouse.Block
	b := warehouse.NewBlock(cols)
	for _, r := range rows {
		require.NoError(t, b.AppendRow(r))
		if b.Len == n {
			blocks = append(blocks, b)
			b = warehouse.NewBlock(cols)
		}
	}
	if b.Len > 0 {
		blocks = append(blocks, b)
	}
	return func() (*warehouse.Block, error) {
		if len(blocks) == 0 {
			return nil, nil
		}
		b := blocks[0]
		blocks = blocks[1:]
		return b, nil
	}
}

// TestStageBlocksLandsAsRows lands the same rows row by row (the appender)
// and block by block (the table function), into a new table (appended
// straight into it) and into an existing one (staged, then merged), and
// finds the tables equal.
func TestStageBlocksLandsAsRows(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	rows := blockRows()
	land := func(name string, blocks bool) {
		lt := landTable("id")
		lt.Table.Name = name
		var l warehouse.Landing
		for range 2 { // a new table, then a merge into it
			at(t, w, &l, lt, t0)
			if blocks {
				n, err := l.(warehouse.BlockLanding).StageBlocks(ctx, warehouse.Batch{Kind: warehouse.BatchRows, Columns: blockKinds},
					blocksOf(t, blockKinds, rows, 3000))
				require.NoError(t, err)
				require.Equal(t, int64(len(rows)), n)
			} else {
				stageRows(t, l, warehouse.BatchRows, blockKinds, rows...)
			}
			commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
			rows[0][8] = "changed" // the second batch updates a row
		}
		require.NoError(t, l.Close())
		rows[0][8] = "héllo"
	}
	land("by_rows", false)
	land("by_blocks", true)
	assert.Equal(t, queryAll(t, w, `select column_name, data_type from information_schema.columns where table_name = 'by_rows' order by ordinal_position`),
		queryAll(t, w, `select column_name, data_type from information_schema.columns where table_name = 'by_blocks' order by ordinal_position`))
	assert.Equal(t, [][]any{{int64(len(rows)), int64(0), int64(0)}}, queryAll(t, w, `select (select count(*) from raw.by_blocks),
		(select count(*) from (select * from raw.by_rows except all select * from raw.by_blocks)),
		(select count(*) from (select * from raw.by_blocks except all select * from raw.by_rows))`))
	assert.Equal(t, [][]any{{"changed", "1969-12-31", "1900-01-01 00:00:00.000001", "00:00:00", "300000-01-01"}},
		queryAll(t, w, `select (select label from raw.by_blocks where id = 1), (select day::varchar from raw.by_blocks where id = 3),
		(select "at"::varchar from raw.by_blocks where id = 3), (select clock::varchar from raw.by_blocks where id = 3),
		(select day::varchar from raw.by_blocks where id = 4)`))
}

// TestStageBlocksSourceError: the source's error is returned as it is,
// and nothing lands.
func TestStageBlocksSourceError(t *testing.T) {
	ctx := context.Background()
	w := openTemp(t, Config{})
	var l warehouse.Landing
	at(t, w, &l, landTable("id"), t0)
	boom := errors.New("boom")
	next := blocksOf(t, itemCols, [][]any{{int64(1), "a"}}, 1)
	calls := 0
	_, err := l.(warehouse.BlockLanding).StageBlocks(ctx, warehouse.Batch{Kind: warehouse.BatchRows, Columns: itemCols}, func() (*warehouse.Block, error) {
		calls++
		if calls == 2 {
			return nil, boom
		}
		return next()
	})
	require.ErrorIs(t, err, boom)
	require.NoError(t, l.Close())
	assert.Empty(t, queryAll(t, w, `select * from information_schema.tables where table_name = 'items'`))
}
