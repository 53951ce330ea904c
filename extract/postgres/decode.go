package postgres

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

// decoder turns a value in PostgreSQL's binary format into the Go value
// its landed type holds (see warehouse.LandKind). It copies what it keeps:
// the input buffer is reused.
type decoder func(b []byte) (any, error)

// pgEpoch is PostgreSQL's epoch for dates and timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

var be = binary.BigEndian

func need(b []byte, n int, what string) error {
	if len(b) != n {
		return fmt.Errorf("bad %s value: %d bytes", what, len(b))
	}
	return nil
}

func decodeBool(b []byte) (any, error) {
	if err := need(b, 1, "bool"); err != nil {
		return nil, err
	}
	return b[0] != 0, nil
}

func decodeInt2(b []byte) (any, error) {
	if err := need(b, 2, "int2"); err != nil {
		return nil, err
	}
	return int64(int16(be.Uint16(b))), nil
}

func decodeInt4(b []byte) (any, error) {
	if err := need(b, 4, "int4"); err != nil {
		return nil, err
	}
	return int64(int32(be.Uint32(b))), nil
}

func decodeOID(b []byte) (any, error) {
	if err := need(b, 4, "oid"); err != nil {
		return nil, err
	}
	return int64(be.Uint32(b)), nil
}

func decodeInt8(b []byte) (any, error) {
	if err := need(b, 8, "int8"); err != nil {
		return nil, err
	}
	return int64(be.Uint64(b)), nil
}

func decodeFloat4(b []byte) (any, error) {
	if err := need(b, 4, "float4"); err != nil {
		return nil, err
	}
	return float64(math.Float32frombits(be.Uint32(b))), nil
}

func decodeFloat8(b []byte) (any, error) {
	if err := need(b, 8, "float8"); err != nil {
		return nil, err
	}
	return math.Float64frombits(be.Uint64(b)), nil
}

func decodeText(b []byte) (any, error) { return string(b), nil }

func decodeBytes(b []byte) (any, error) { return append([]byte(nil), b...), nil }

// decodeJSONB strips jsonb's version byte.
func decodeJSONB(b []byte) (any, error) {
	if len(b) == 0 || b[0] != 1 {
		return nil, errors.New("bad jsonb value: unknown version")
	}
	return string(b[1:]), nil
}

func decodeUUID(b []byte) (any, error) {
	if err := need(b, 16, "uuid"); err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

var errInfinity = errors.New("infinity has no equivalent in the warehouse")

func decodeDate(b []byte) (any, error) {
	if err := need(b, 4, "date"); err != nil {
		return nil, err
	}
	d := int32(be.Uint32(b))
	if d == math.MaxInt32 || d == math.MinInt32 {
		return nil, errInfinity
	}
	return pgEpoch.AddDate(0, 0, int(d)), nil
}

func decodeTimestamp(b []byte) (any, error) {
	if err := need(b, 8, "timestamp"); err != nil {
		return nil, err
	}
	us := int64(be.Uint64(b))
	if us == math.MaxInt64 || us == math.MinInt64 {
		return nil, errInfinity
	}
	// seconds and microseconds apart: a Duration overflows past 292 years
	return time.Unix(pgEpochUnix+us/1e6, us%1e6*1e3).UTC(), nil
}

var pgEpochUnix = pgEpoch.Unix()

func decodeTime(b []byte) (any, error) {
	if err := need(b, 8, "time"); err != nil {
		return nil, err
	}
	us := int64(be.Uint64(b))
	return time.Unix(us/1e6, us%1e6*1e3).UTC(), nil
}

// numeric is PostgreSQL's binary numeric: base-10000 digits, the weight
// of the first, a sign and the display scale.
type numeric struct {
	digits []int16
	weight int16
	sign   uint16
	dscale int16
}

const (
	numericNeg  = 0x4000
	numericNaN  = 0xC000
	numericPInf = 0xD000
	numericNInf = 0xF000
)

func parseNumeric(b []byte) (numeric, error) {
	if len(b) < 8 {
		return numeric{}, errors.New("bad numeric value")
	}
	n := numeric{weight: int16(be.Uint16(b[2:])), sign: be.Uint16(b[4:]), dscale: int16(be.Uint16(b[6:]))}
	nd := int(be.Uint16(b))
	if len(b) != 8+2*nd {
		return numeric{}, errors.New("bad numeric value")
	}
	switch n.sign {
	case numericNaN:
		return n, errors.New("NaN has no equivalent in a decimal column")
	case numericPInf, numericNInf:
		return n, errInfinity
	}
	n.digits = make([]int16, nd)
	for i := range n.digits {
		n.digits[i] = int16(be.Uint16(b[8+2*i:]))
	}
	return n, nil
}

var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// decimalDecoder decodes numeric into its unscaled value at scale: int64
// for a precision up to 18, else *big.Int.
func decimalDecoder(precision, scale int) decoder {
	return func(b []byte) (any, error) {
		n, err := parseNumeric(b)
		if err != nil {
			return nil, err
		}
		if precision <= 18 {
			if v, ok := n.int64At(scale); ok {
				return v, nil
			}
		}
		v := n.bigAt(scale)
		if precision <= 18 {
			if !v.IsInt64() {
				return nil, fmt.Errorf("numeric value %s does not fit precision %d", v, precision)
			}
			return v.Int64(), nil
		}
		return v, nil
	}
}

// int64At is the unscaled value at scale in int64 arithmetic; false on
// overflow or when scale drops digits.
func (n numeric) int64At(scale int) (int64, bool) {
	var acc int64
	for _, d := range n.digits {
		if acc > (math.MaxInt64-9999)/10000 {
			return 0, false
		}
		acc = acc*10000 + int64(d)
	}
	exp := 4*(int(n.weight)-len(n.digits)+1) + scale // power of ten to apply
	switch {
	case exp > 0:
		if exp >= len(pow10) || acc > math.MaxInt64/pow10[exp] {
			return 0, false
		}
		acc *= pow10[exp]
	case exp < 0:
		if -exp >= len(pow10) || acc%pow10[-exp] != 0 {
			return 0, false
		}
		acc /= pow10[-exp]
	}
	if n.sign == numericNeg {
		acc = -acc
	}
	return acc, true
}

func (n numeric) bigAt(scale int) *big.Int {
	acc := new(big.Int)
	tenK := big.NewInt(10000)
	for _, d := range n.digits {
		acc.Mul(acc, tenK)
		acc.Add(acc, big.NewInt(int64(d)))
	}
	exp := 4*(int(n.weight)-len(n.digits)+1) + scale
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil)
	if exp >= 0 {
		acc.Mul(acc, p)
	} else {
		acc.Quo(acc, p)
	}
	if n.sign == numericNeg {
		acc.Neg(acc)
	}
	return acc
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// decodeNumericText decodes an unconstrained numeric as exact decimal text.
func decodeNumericText(b []byte) (any, error) {
	n, err := parseNumeric(b)
	if err != nil {
		return nil, err
	}
	s := n.bigAt(int(n.dscale)).String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if sc := int(n.dscale); sc > 0 {
		if len(s) <= sc {
			s = strings.Repeat("0", sc-len(s)+1) + s
		}
		s = s[:len(s)-sc] + "." + s[len(s)-sc:]
	}
	if neg {
		s = "-" + s
	}
	return s, nil
}

// arrayDecoder decodes a one-dimensional array into []any of elem's values.
func arrayDecoder(elem decoder) decoder {
	return func(b []byte) (any, error) {
		if len(b) < 12 {
			return nil, errors.New("bad array value")
		}
		ndim := int(be.Uint32(b))
		if ndim == 0 {
			return []any{}, nil
		}
		if ndim != 1 {
			return nil, fmt.Errorf("a %d-dimensional array has no equivalent in the warehouse (one dimension only)", ndim)
		}
		if len(b) < 20 {
			return nil, errors.New("bad array value")
		}
		n := int(int32(be.Uint32(b[12:])))
		b = b[20:]
		out := make([]any, n)
		for i := range out {
			if len(b) < 4 {
				return nil, errors.New("bad array value")
			}
			l := int(int32(be.Uint32(b)))
			b = b[4:]
			if l < 0 {
				continue
			}
			if len(b) < l {
				return nil, errors.New("bad array value")
			}
			v, err := elem(b[:l])
			if err != nil {
				return nil, err
			}
			out[i], b = v, b[l:]
		}
		return out, nil
	}
}
