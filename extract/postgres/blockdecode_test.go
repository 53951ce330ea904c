package postgres

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// encNumeric encodes decimal text ("-12.30", "NaN", "Infinity") in
// PostgreSQL's binary numeric format, as the server sends it.
func encNumeric(s string) []byte {
	var sign uint16
	switch s {
	case "NaN":
		sign = numericNaN
	case "Infinity":
		sign = numericPInf
	case "-Infinity":
		sign = numericNInf
	}
	var groups []uint16
	weight, dscale := 0, 0
	if sign == 0 {
		if strings.HasPrefix(s, "-") {
			sign, s = numericNeg, s[1:]
		}
		ip, fp, _ := strings.Cut(s, ".")
		dscale = len(fp)
		ip = strings.TrimLeft(ip, "0")
		for len(ip)%4 != 0 {
			ip = "0" + ip
		}
		for len(fp)%4 != 0 {
			fp += "0"
		}
		all := ip + fp
		for i := 0; i < len(all); i += 4 {
			var g uint16
			for _, ch := range all[i : i+4] {
				g = g*10 + uint16(ch-'0')
			}
			groups = append(groups, g)
		}
		weight = len(ip)/4 - 1
		for len(groups) > 0 && groups[0] == 0 {
			groups, weight = groups[1:], weight-1
		}
		for len(groups) > 0 && groups[len(groups)-1] == 0 {
			groups = groups[:len(groups)-1]
		}
		if len(groups) == 0 {
			weight, sign = 0, 0
		}
	}
	b := make([]byte, 8+2*len(groups))
	binary.BigEndian.PutUint16(b, uint16(len(groups)))
	binary.BigEndian.PutUint16(b[2:], uint16(int16(weight)))
	binary.BigEndian.PutUint16(b[4:], sign)
	binary.BigEndian.PutUint16(b[6:], uint16(dscale))
	for i, g := range groups {
		binary.BigEndian.PutUint16(b[8+2*i:], g)
	}
	return b
}

func be16(v int16) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func be32(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }
func be64(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

// sameAsDecoder checks that the block decoder of a column lands each
// input as the column's decoder makes it: the same Go value, or an error
// for the same inputs.
func sameAsDecoder(t *testing.T, name string, c column, inputs ...[]byte) {
	t.Helper()
	blk := warehouse.NewBlock([]warehouse.LandColumn{{Name: c.name, Type: c.land}})
	for _, in := range inputs {
		want, werr := c.decode(in)
		blk.Reset()
		gerr := c.block(&blk.Cols[0], in)
		if werr != nil {
			assert.Error(t, gerr, "%s %x: the decoder fails with %v", name, in, werr)
			if gerr != nil {
				assert.Equal(t, werr.Error(), gerr.Error(), "%s %x", name, in)
			}
			continue
		}
		require.NoError(t, gerr, "%s %x", name, in)
		blk.Len = 1
		got := blk.Cols[0].Value(0)
		if f, ok := want.(float64); ok && math.IsNaN(f) {
			g, _ := got.(float64)
			assert.True(t, math.IsNaN(g), "%s %x: %v", name, in, got)
			continue
		}
		if x, ok := want.([]byte); ok && len(x) == 0 {
			assert.Empty(t, got, "%s %x", name, in)
			continue
		}
		assert.Equal(t, want, got, "%s %x", name, in)
	}
}

func TestBlockDecodersMatchDecoders(t *testing.T) {
	col := func(oid uint32, typmod int32) column {
		return columnFor("c", catalogType{oid: oid, typmod: typmod, typtype: "b"}, nil)
	}
	typmod := func(p, s int) int32 { return int32(p<<16|s) + 4 }
	sameAsDecoder(t, "bool", col(oidBool, -1), []byte{1}, []byte{0}, []byte{})
	sameAsDecoder(t, "int2", col(oidInt2, -1), be16(math.MinInt16), be16(-1), be16(math.MaxInt16), []byte{1})
	sameAsDecoder(t, "int4", col(oidInt4, -1), be32(math.MinInt32), be32(0), be32(math.MaxInt32), be16(1))
	sameAsDecoder(t, "oid", col(oidOID, -1), be32(-1), be32(42))
	sameAsDecoder(t, "int8", col(oidInt8, -1), be64(math.MinInt64), be64(-1), be64(math.MaxInt64), be32(1))
	sameAsDecoder(t, "float4", col(oidFloat4, -1), be32(int32(math.Float32bits(1.5))), be32(int32(math.Float32bits(float32(math.NaN())))),
		be32(int32(math.Float32bits(float32(math.Inf(-1))))), be64(1))
	sameAsDecoder(t, "float8", col(oidFloat8, -1), be64(int64(math.Float64bits(0.1))), be64(int64(math.Float64bits(math.NaN()))),
		be64(int64(math.Float64bits(-math.MaxFloat64))), be32(1))
	sameAsDecoder(t, "text", col(oidText, -1), []byte("héllo"), []byte{}, []byte("multi\nline"))
	sameAsDecoder(t, "varchar", col(oidVarchar, -1), []byte("x"))
	sameAsDecoder(t, "json", col(oidJSON, -1), []byte(`{"a": 1}`), []byte("null"))
	sameAsDecoder(t, "jsonb", col(oidJSONB, -1), append([]byte{1}, `{"a": 1}`...), []byte{1}, []byte{2, '1'}, []byte{})
	sameAsDecoder(t, "bytea", col(oidBytea, -1), []byte{0, 0xff}, []byte{})
	sameAsDecoder(t, "uuid", col(oidUUID, -1), []byte("0123456789abcdef"), []byte("short"))
	sameAsDecoder(t, "date", col(oidDate, -1), be32(0), be32(-1), be32(-10957), be32(-2451545), be32(2914000), be32(2147483646), be32(-2147483647), be32(math.MaxInt32), be32(math.MinInt32), be16(0))
	sameAsDecoder(t, "time", col(oidTime, -1), be64(0), be64(13*3600e6+123456), be64(86400e6), be32(0))
	for _, oid := range []uint32{oidTimestamp, oidTimestampTZ} {
		sameAsDecoder(t, "timestamp", col(oid, -1), be64(0), be64(-1), be64(-3155760000e6+1), be64(-211813488000e6), be64(9000000000e6+891011),
			be64(math.MaxInt64), be64(math.MinInt64), be32(0))
	}
	nums := []string{"0", "0.00", "1", "-1", "0.01", "-0.01", "12345678.91", "-12345678.91", "99999999.99", "0.5", "1.234", "-1.235",
		"10000", "100000000", "0.0001", "123456789012345678", "-123456789012345678", "9223372036854775807", "9223372036854775808",
		"99999999999999999999", "12345678901234567890123456789012.123456", "NaN", "Infinity", "-Infinity"}
	enc := make([][]byte, len(nums))
	for i, n := range nums {
		enc[i] = encNumeric(n)
	}
	enc = append(enc, []byte{0, 1}, []byte{0, 2, 0, 0, 0, 0, 0, 0, 0, 1}) // bad numerics
	for _, pm := range [][2]int{{10, 2}, {18, 0}, {18, 4}, {12, 4}, {5, 0}, {38, 6}, {20, 0}} {
		sameAsDecoder(t, "numeric", col(oidNumeric, typmod(pm[0], pm[1])), enc...)
	}
	sameAsDecoder(t, "numeric", col(oidNumeric, -1), enc...) // unconstrained: exact text
	sameAsDecoder(t, "enum", columnFor("c", catalogType{oid: 99999, typmod: -1, typtype: "e"}, nil), []byte("happy"))
	int4 := catalogType{oid: oidInt4, typmod: -1, typtype: "b"}
	arr := columnFor("c", catalogType{oid: 1007, typmod: -1, typtype: "b", elem: oidInt4}, &int4)
	sameAsDecoder(t, "int4[]", arr, append(append(append(be32(1), be32(0)...), be32(oidInt4)...), append(append(be32(2), be32(1)...),
		append(be32(4), be32(7)...)...)...))
}

// TestBlockTimestampBeyondDuckDB: a timestamp past the year 294246 (which
// the decoder returns as a time DuckDB rejects) fails in the block decoder
// rather than overflowing.
func TestBlockTimestampBeyondDuckDB(t *testing.T) {
	c := columnFor("c", catalogType{oid: oidTimestampTZ, typmod: -1, typtype: "b"}, nil)
	blk := warehouse.NewBlock([]warehouse.LandColumn{{Name: "c", Type: c.land}})
	assert.ErrorIs(t, c.block(&blk.Cols[0], be64(math.MaxInt64-1)), errTimestampRange)
}

func TestNumericInt64(t *testing.T) {
	for _, c := range []struct {
		in    string
		scale int
		want  int64
		ok    bool
	}{
		{"-12345678.91", 2, -1234567891, true}, {"0.5", 2, 50, true}, {"0", 4, 0, true}, {"0.0001", 4, 1, true},
		{"10000", 0, 10000, true}, {"1.234", 2, 0, false}, {"9223372036854775808", 0, 0, false},
		{"-922337203685477580", 0, -922337203685477580, true}, {"12345678901234567890", 0, 0, false},
	} {
		got, ok, err := numericInt64(encNumeric(c.in), c.scale)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.ok, ok, c.in)
		if c.ok {
			assert.Equal(t, c.want, got, c.in)
		}
	}
	_, _, err := numericInt64(encNumeric("NaN"), 2)
	assert.ErrorContains(t, err, "NaN")
	_, _, err = numericInt64(encNumeric("-Infinity"), 2)
	assert.ErrorIs(t, err, errInfinity)
}
