package mysql

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// sameAsDecoder checks that the block decoder of a column lands each
// input as the column's decoder makes it (a zero date as NULL): the same
// Go value, or an error for the same inputs.
func sameAsDecoder(t *testing.T, c column, inputs ...string) {
	t.Helper()
	blk := warehouse.NewBlock([]warehouse.LandColumn{{Name: c.name, Type: c.land}})
	for _, in := range inputs {
		want, werr := c.decode([]byte(in))
		if errors.Is(werr, errZeroDate) {
			want, werr = nil, nil
		}
		blk.Reset()
		gerr := c.block(&blk.Cols[0], []byte(in))
		if werr != nil {
			assert.Error(t, gerr, "%s %q: the decoder fails with %v", c.name, in, werr)
			continue
		}
		require.NoError(t, gerr, "%s %q", c.name, in)
		blk.Len = 1
		got := blk.Cols[0].Value(0)
		if f, ok := want.(float64); ok && math.IsNaN(f) {
			g, _ := got.(float64)
			assert.True(t, math.IsNaN(g), "%s %q: %v", c.name, in, got)
			continue
		}
		if x, ok := want.(time.Time); ok { // blocks hold microseconds, all the warehouses hold
			want = time.UnixMicro(x.UnixMicro()).UTC()
		}
		if x, ok := want.([]byte); ok && len(x) == 0 {
			assert.Empty(t, got, "%s %q", c.name, in)
			continue
		}
		assert.Equal(t, want, got, "%s %q", c.name, in)
	}
}

func TestBlockDecodersMatchDecoders(t *testing.T) {
	col := func(dataType, columnType string, p, s int) column {
		return columnFor(catalogColumn{name: dataType, dataType: dataType, columnType: columnType, precision: p, scale: s})
	}
	ints := []string{"0", "-1", "1", "+7", "127", "-32768", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809", "00012", "", "-", "1.5", "abc", "12345678901234567890"}
	sameAsDecoder(t, col("tinyint", "tinyint(4)", 0, 0), ints...)
	sameAsDecoder(t, col("int", "int(11)", 0, 0), ints...)
	sameAsDecoder(t, col("int", "int unsigned", 0, 0), ints...)
	sameAsDecoder(t, col("bigint", "bigint(20)", 0, 0), ints...)
	sameAsDecoder(t, col("bigint", "bigint unsigned", 0, 0), append(ints, "18446744073709551615")...)
	sameAsDecoder(t, col("year", "year(4)", 0, 0), "2026", "0000")
	sameAsDecoder(t, col("bit", "bit(8)", 0, 0), "\x00", "\xff", "\x01\x02")
	decs := []string{"0", "0.00", "-0.01", "12.30", "-12345678.91", "99999999.99", "1", "1.5", "1.234", ".5", "-.5", "5.", "-",
		"", "1e5", "12a", "999999999999999999", "-999999999999999999", "9999999999999999.99", "99999999999999999.99",
		"123456789012345678901234567890.12", "00001.10", "1..2"}
	for _, ps := range [][2]int{{10, 2}, {18, 2}, {18, 0}, {5, 0}, {38, 2}, {20, 4}} {
		sameAsDecoder(t, col("decimal", "decimal", ps[0], ps[1]), decs...)
	}
	floats := []string{"0", "-0", "1.5", "-1e300", "1.7976931348623157e308", "3.4028235e38", "nan", "inf", "", "x", "1e400"}
	sameAsDecoder(t, col("float", "float", 0, 0), floats...)
	sameAsDecoder(t, col("double", "double", 0, 0), floats...)
	times := []string{"2026-03-04", "1969-12-31", "0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2026-13-01", "2026-00-10",
		"0000-00-00", "0000-00-00 00:00:00", "2026-03-04 05:06:07", "2026-03-04 05:06:07.891011", "2026-03-04 05:06:07.8",
		"1900-01-01 00:00:00.000001", "1969-12-31 23:59:59.999999", "2026-03-04 24:00:00", "2026-03-04 05:60:00", "2026-03-04 05:06:07.",
		"2026-03-04T05:06:07", "2026-3-4", "", "0000-01-01", "2026-03-04 05:06:07.1234567", "2000-02-30 00:00:00"}
	sameAsDecoder(t, col("date", "date", 0, 0), times...)
	sameAsDecoder(t, col("datetime", "datetime(6)", 0, 0), times...)
	sameAsDecoder(t, col("timestamp", "timestamp(6)", 0, 0), times...)
	sameAsDecoder(t, col("varchar", "varchar(10)", 0, 0), "héllo", "", "multi\nline")
	sameAsDecoder(t, col("json", "json", 0, 0), `{"a": 1}`)
	sameAsDecoder(t, col("enum", "enum('a','b')", 0, 0), "a")
	sameAsDecoder(t, col("time", "time", 0, 0), "-838:59:59")
	sameAsDecoder(t, col("blob", "blob", 0, 0), "\x00\xff", "")
	sameAsDecoder(t, col("geometry", "geometry", 0, 0), "POINT(1 2)")
}

// TestParseDateTime checks the fast datetime parser against time.Parse
// over a range of days and times.
func TestParseDateTime(t *testing.T) {
	for d := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 10000; d = d.AddDate(0, 0, 997) {
		tt := d.Add(time.Duration(d.YearDay())*time.Second*79 + time.Duration(d.Day())*time.Microsecond*12345)
		for _, layout := range []string{"2006-01-02", "2006-01-02 15:04:05", "2006-01-02 15:04:05.000000", "2006-01-02 15:04:05.000"} {
			s := tt.Format(layout)
			want, err := time.ParseInLocation(layout, s, time.UTC)
			require.NoError(t, err)
			got, ok := parseDateTime([]byte(s), layout != "2006-01-02")
			require.True(t, ok, s)
			assert.Equal(t, want.UnixMicro(), got, s)
		}
	}
}
