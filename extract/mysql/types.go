package mysql

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// decoder turns a value as the text protocol sends it into the Go value
// its landed type holds. It copies what it keeps: the input is reused.
type decoder func(b []byte) (any, error)

// column is how one source column is read and landed.
type column struct {
	name   string
	land   warehouse.LandType
	sel    string // the select-list expression
	decode decoder
	block  blockDecoder
}

// catalogColumn is a column as information_schema.columns describes it.
type catalogColumn struct {
	name, dataType, columnType string
	precision, scale           int
	json                       bool // MariaDB's JSON: longtext CHECK (json_valid(...))
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// columnFor maps a MySQL type to its landed type and decoder.
func columnFor(c catalogColumn) column {
	out := column{name: c.name, sel: quoteIdent(c.name)}
	lt := func(k warehouse.LandKind) warehouse.LandType { return warehouse.LandType{Kind: k} }
	unsigned := strings.Contains(strings.ToLower(c.columnType), "unsigned")
	switch dt := strings.ToLower(c.dataType); {
	case dt == "tinyint" || dt == "smallint" && !unsigned:
		out.land, out.decode = lt(warehouse.LandInt16), decodeInt
	case dt == "smallint" || dt == "mediumint" || dt == "int" && !unsigned || dt == "integer" && !unsigned || dt == "year":
		out.land, out.decode = lt(warehouse.LandInt32), decodeInt
	case dt == "int" || dt == "integer" || dt == "bigint" && !unsigned:
		out.land, out.decode = lt(warehouse.LandInt64), decodeInt
	case dt == "bigint":
		out.land, out.decode = warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 20}, decimalDecoder(20, 0)
	case dt == "decimal" || dt == "numeric":
		if c.precision < 1 || c.precision > warehouse.MaxDecimalPrecision {
			out.land, out.decode = lt(warehouse.LandText), decodeText
			break
		}
		out.land, out.decode = warehouse.LandType{Kind: warehouse.LandDecimal, Precision: c.precision, Scale: c.scale}, decimalDecoder(c.precision, c.scale)
	case dt == "float":
		out.land, out.decode = lt(warehouse.LandFloat32), decodeFloat
	case dt == "double" || dt == "real":
		out.land, out.decode = lt(warehouse.LandFloat64), decodeFloat
	case dt == "bit":
		out.land, out.decode = lt(warehouse.LandInt64), decodeBit
	case dt == "date":
		out.land, out.decode = lt(warehouse.LandDate), timeDecoder("2006-01-02")
	case dt == "datetime":
		out.land, out.decode = lt(warehouse.LandTimestamp), timeDecoder("2006-01-02 15:04:05.999999")
	case dt == "timestamp":
		out.land, out.decode = lt(warehouse.LandTimestampTZ), timeDecoder("2006-01-02 15:04:05.999999")
	case dt == "json" || c.json:
		out.land, out.decode = lt(warehouse.LandJSON), decodeText
	case strings.HasSuffix(dt, "char") || strings.HasSuffix(dt, "text") || dt == "enum" || dt == "set" || dt == "time":
		out.land, out.decode = lt(warehouse.LandText), decodeText
	case strings.HasSuffix(dt, "binary") || strings.HasSuffix(dt, "blob"):
		out.land, out.decode = lt(warehouse.LandBytes), decodeBytes
	default: // spatial types and the like, as text
		out.land, out.decode = lt(warehouse.LandText), decodeText
		out.sel = "CAST(" + quoteIdent(c.name) + " AS CHAR)"
		if strings.Contains(dt, "geometry") || strings.Contains(dt, "point") || strings.Contains(dt, "polygon") || strings.Contains(dt, "linestring") {
			out.sel = "ST_AsText(" + quoteIdent(c.name) + ")"
		}
	}
	out.block = blockDecoderFor(out, strings.ToLower(c.dataType))
	return out
}

func decodeInt(b []byte) (any, error) { return strconv.ParseInt(string(b), 10, 64) }

func decodeFloat(b []byte) (any, error) { return strconv.ParseFloat(string(b), 64) }

func decodeText(b []byte) (any, error) { return string(b), nil }

func decodeBytes(b []byte) (any, error) { return append([]byte(nil), b...), nil }

// decodeBit reads BIT(n), sent as its bytes, big-endian.
func decodeBit(b []byte) (any, error) {
	if len(b) > 8 {
		return nil, errors.New("a BIT wider than 64 bits")
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return int64(v), nil
}

// errZeroDate marks MySQL's zero dates, which land as NULL.
var errZeroDate = errors.New("zero date")

func timeDecoder(layout string) decoder {
	return func(b []byte) (any, error) {
		s := string(b)
		if strings.HasPrefix(s, "0000-00-00") {
			return nil, errZeroDate
		}
		t, err := time.ParseInLocation(layout, s, time.UTC)
		if err != nil {
			return nil, err
		}
		return t, nil
	}
}

// decimalDecoder parses decimal text into its unscaled value at scale:
// int64 up to precision 18, else *big.Int.
func decimalDecoder(precision, scale int) decoder {
	return func(b []byte) (any, error) {
		s := string(b)
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		ip, fp, _ := strings.Cut(s, ".")
		if len(fp) > scale {
			return nil, fmt.Errorf("decimal %s has more than %d decimals", b, scale)
		}
		digits := ip + fp + strings.Repeat("0", scale-len(fp))
		if neg {
			digits = "-" + digits
		}
		if precision <= 18 {
			v, err := strconv.ParseInt(digits, 10, 64)
			if err == nil || !errors.Is(err, strconv.ErrRange) {
				return v, err
			}
			return nil, fmt.Errorf("decimal %s overflows %d digits", b, precision)
		}
		v, ok := new(big.Int).SetString(digits, 10)
		if !ok {
			return nil, fmt.Errorf("bad decimal %q", b)
		}
		return v, nil
	}
}
