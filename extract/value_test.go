package extract

import (
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueRoundTrip(t *testing.T) {
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	in := []any{nil, true, int64(-42), 0.1, huge, "héllo", []byte{0, 255}, time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)}
	b, err := json.Marshal(values(in))
	require.NoError(t, err)
	var out []Value
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, plain(out))
}

func TestCompareAndBehind(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		a, b any
		want int
	}{
		{int64(1), big.NewInt(2), -1}, {"b", "a", 1}, {t0, t0, 0}, {nil, int64(1), -1}, {[]byte{1}, []byte{0, 2}, 1},
	} {
		got, err := compareValues(tc.a, tc.b)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%v %v", tc.a, tc.b)
	}
	_, err := compareValues("a", int64(1))
	assert.Error(t, err)

	v, err := behind(t0, Config{LookbackDuration: time.Hour})
	require.NoError(t, err)
	assert.Equal(t, t0.Add(-time.Hour), v)
	v, err = behind(int64(100), Config{LookbackCount: 10})
	require.NoError(t, err)
	assert.Equal(t, int64(90), v)
	_, err = behind(int64(100), Config{Cursor: "id", LookbackDuration: time.Hour})
	assert.EqualError(t, err, `lookback: 1h0m0s is a duration, but the cursor id holds numbers: give a whole number`)
}
