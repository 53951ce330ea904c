package warehouse

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBlockRoundTrip: a row appended to a block comes back as the same Go
// values, NULLs, empty values and times before 1970 included.
func TestBlockRoundTrip(t *testing.T) {
	elem := LandType{Kind: LandText}
	cols := []LandColumn{
		{Name: "i", Type: LandType{Kind: LandInt64}}, {Name: "s", Type: LandType{Kind: LandInt16}},
		{Name: "d", Type: LandType{Kind: LandDecimal, Precision: 10, Scale: 2}},
		{Name: "w", Type: LandType{Kind: LandDecimal, Precision: 30, Scale: 2}},
		{Name: "f", Type: LandType{Kind: LandFloat32}}, {Name: "b", Type: LandType{Kind: LandBool}},
		{Name: "t", Type: LandType{Kind: LandText}}, {Name: "j", Type: LandType{Kind: LandJSON}},
		{Name: "x", Type: LandType{Kind: LandBytes}}, {Name: "u", Type: LandType{Kind: LandUUID}},
		{Name: "day", Type: LandType{Kind: LandDate}}, {Name: "tod", Type: LandType{Kind: LandTime}},
		{Name: "ts", Type: LandType{Kind: LandTimestamp}}, {Name: "tz", Type: LandType{Kind: LandTimestampTZ}},
		{Name: "l", Type: LandType{Kind: LandList, Elem: &elem}},
	}
	wide, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	rows := [][]any{
		{int64(-1), int64(-32768), int64(-123), wide, float64(-0.5), true, "héllo", `{"a":1}`, []byte{0, 1}, make([]byte, 16),
			time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 23, 59, 59, 999999000, time.UTC),
			time.Date(1900, 1, 1, 0, 0, 0, 1000, time.UTC), time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC), []any{"a", nil}},
		{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(0), int64(0), int64(0), big.NewInt(0), float64(0), false, "", "null", []byte(nil), make([]byte, 16),
			time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC), []any{}},
	}
	b := NewBlock(cols)
	for _, r := range rows {
		require.NoError(t, b.AppendRow(r))
	}
	require.Equal(t, len(rows), b.Len)
	for i, want := range rows {
		got := b.Row(i, nil)
		for j := range want {
			if x, ok := want[j].([]byte); ok && len(x) == 0 {
				assert.Empty(t, got[j], "row %d column %s", i, cols[j].Name)
				continue
			}
			assert.Equal(t, want[j], got[j], "row %d column %s", i, cols[j].Name)
		}
	}
	assert.True(t, b.Cols[0].Null[1])
	assert.Equal(t, []byte("héllo"), b.Cols[6].BytesAt(0))
	assert.Empty(t, b.Cols[6].BytesAt(2), "an empty string is not NULL")
	assert.False(t, b.Cols[6].Null[2])

	b.Reset()
	assert.Equal(t, 0, b.Len)
	require.NoError(t, b.AppendRow(rows[1]))
	assert.Equal(t, rows[1], b.Row(0, nil))

	assert.Error(t, b.Cols[0].Append("text in an integer column"))
	assert.Error(t, b.AppendRow([]any{int64(1)}), "a row of the wrong width")
}

func TestStoreOf(t *testing.T) {
	assert.Equal(t, StoreInts, StoreOf(LandType{Kind: LandDecimal, Precision: 18}))
	assert.Equal(t, StoreAny, StoreOf(LandType{Kind: LandDecimal, Precision: 19}))
	assert.Equal(t, StoreBytes, StoreOf(LandType{Kind: LandUUID}))
	assert.Equal(t, StoreInts, StoreOf(LandType{Kind: LandTimestampTZ}))
	assert.Equal(t, StoreAny, StoreOf(LandType{Kind: LandList, Elem: &LandType{Kind: LandInt64}}))
}
