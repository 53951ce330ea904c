package postgres

import (
	"errors"
	"math"

	"github.com/mart-dev/mart/warehouse"
)

// blockDecoder appends a value in PostgreSQL's binary format to a block
// column (warehouse.BlockColumn), as the value its decoder makes would be
// held: the fast path of full loads and keyset chunks, with no Go value
// boxed per field.
type blockDecoder func(c *warehouse.BlockColumn, b []byte) error

// pgEpochMicros and pgEpochDays are PostgreSQL's epoch in microseconds
// and days since the Unix one.
const (
	pgEpochMicros = 946684800 * 1e6
	pgEpochDays   = 10957
)

var errTimestampRange = errors.New("timestamp out of range (beyond the year 294246)")

// blockDecoderFor returns the block decoder of a scalar type decoded in
// binary (oid), or nil when its values go through dec (boxedBlock).
func blockDecoderFor(oid uint32, t warehouse.LandType) blockDecoder {
	switch oid {
	case oidBool:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 1, "bool"); err != nil {
				return err
			}
			c.AppendBool(b[0] != 0)
			return nil
		}
	case oidInt2:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 2, "int2"); err != nil {
				return err
			}
			c.AppendInt(int64(int16(be.Uint16(b))))
			return nil
		}
	case oidInt4:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 4, "int4"); err != nil {
				return err
			}
			c.AppendInt(int64(int32(be.Uint32(b))))
			return nil
		}
	case oidOID:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 4, "oid"); err != nil {
				return err
			}
			c.AppendInt(int64(be.Uint32(b)))
			return nil
		}
	case oidInt8:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 8, "int8"); err != nil {
				return err
			}
			c.AppendInt(int64(be.Uint64(b)))
			return nil
		}
	case oidFloat4:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 4, "float4"); err != nil {
				return err
			}
			c.AppendFloat(float64(math.Float32frombits(be.Uint32(b))))
			return nil
		}
	case oidFloat8:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 8, "float8"); err != nil {
				return err
			}
			c.AppendFloat(math.Float64frombits(be.Uint64(b)))
			return nil
		}
	case oidText, oidVarchar, oidBPChar, oidName, oidChar, oidJSON, oidBytea:
		return blockBytes
	case oidJSONB:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if len(b) == 0 || b[0] != 1 {
				return errors.New("bad jsonb value: unknown version")
			}
			c.AppendBytes(b[1:])
			return nil
		}
	case oidUUID:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 16, "uuid"); err != nil {
				return err
			}
			c.AppendBytes(b)
			return nil
		}
	case oidDate:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 4, "date"); err != nil {
				return err
			}
			d := int32(be.Uint32(b))
			if d == math.MaxInt32 || d == math.MinInt32 {
				return errInfinity
			}
			c.AppendInt(pgEpochDays + int64(d))
			return nil
		}
	case oidTimestamp, oidTimestampTZ:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 8, "timestamp"); err != nil {
				return err
			}
			us := int64(be.Uint64(b))
			switch {
			case us == math.MaxInt64 || us == math.MinInt64:
				return errInfinity
			case us > math.MaxInt64-pgEpochMicros:
				return errTimestampRange
			}
			c.AppendInt(us + pgEpochMicros)
			return nil
		}
	case oidTime:
		return func(c *warehouse.BlockColumn, b []byte) error {
			if err := need(b, 8, "time"); err != nil {
				return err
			}
			c.AppendInt(int64(be.Uint64(b)))
			return nil
		}
	case oidNumeric:
		if t.Kind == warehouse.LandDecimal && t.Precision <= 18 {
			slow := boxedBlock(decimalDecoder(t.Precision, t.Scale))
			return func(c *warehouse.BlockColumn, b []byte) error {
				v, ok, err := numericInt64(b, t.Scale)
				switch {
				case err != nil:
					return err
				case ok:
					c.AppendInt(v)
					return nil
				}
				return slow(c, b) // a value the fast path cannot tell: the exact one decides
			}
		}
	}
	return nil
}

// blockBytes appends the value's bytes as they are (text, json, bytea).
func blockBytes(c *warehouse.BlockColumn, b []byte) error {
	c.AppendBytes(b)
	return nil
}

// boxedBlock appends what dec makes of a value.
func boxedBlock(dec decoder) blockDecoder {
	return func(c *warehouse.BlockColumn, b []byte) error {
		v, err := dec(b)
		if err != nil {
			return err
		}
		return c.Append(v)
	}
}

// numericInt64 decodes a binary numeric into its unscaled value at scale
// in int64 arithmetic, without allocating: false when it overflows or
// the scale drops digits. NaN and infinities are errors, as in
// parseNumeric.
func numericInt64(b []byte, scale int) (int64, bool, error) {
	if len(b) < 8 {
		return 0, false, errors.New("bad numeric value")
	}
	nd := int(be.Uint16(b))
	weight := int(int16(be.Uint16(b[2:])))
	sign := be.Uint16(b[4:])
	if len(b) != 8+2*nd {
		return 0, false, errors.New("bad numeric value")
	}
	switch sign {
	case numericNaN:
		return 0, false, errors.New("NaN has no equivalent in a decimal column")
	case numericPInf, numericNInf:
		return 0, false, errInfinity
	}
	var acc int64
	for i := range nd {
		if acc > (math.MaxInt64-9999)/10000 {
			return 0, false, nil
		}
		acc = acc*10000 + int64(int16(be.Uint16(b[8+2*i:])))
	}
	exp := 4*(weight-nd+1) + scale
	switch {
	case exp > 0:
		if exp >= len(pow10) || acc > math.MaxInt64/pow10[exp] {
			return 0, false, nil
		}
		acc *= pow10[exp]
	case exp < 0:
		if -exp >= len(pow10) || acc%pow10[-exp] != 0 {
			return 0, false, nil
		}
		acc /= pow10[-exp]
	}
	if sign == numericNeg {
		acc = -acc
	}
	return acc, true, nil
}
