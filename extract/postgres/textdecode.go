package postgres

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// textDecoder decodes a value in PostgreSQL's text output format (what
// logical replication sends) into the Go value its landed type holds: the
// same values the binary decoders make of the same data. The session's
// TimeZone is UTC, DateStyle ISO and bytea_output hex.
func textDecoder(t warehouse.LandType) decoder {
	switch t.Kind {
	case warehouse.LandBool:
		return func(b []byte) (any, error) { return string(b) == "t", nil }
	case warehouse.LandInt16, warehouse.LandInt32, warehouse.LandInt64:
		return func(b []byte) (any, error) { return strconv.ParseInt(string(b), 10, 64) }
	case warehouse.LandFloat32:
		return func(b []byte) (any, error) {
			f, err := strconv.ParseFloat(string(b), 32)
			return float64(float32(f)), err
		}
	case warehouse.LandFloat64:
		return func(b []byte) (any, error) { return strconv.ParseFloat(string(b), 64) }
	case warehouse.LandDecimal:
		return decimalText(t.Precision, t.Scale)
	case warehouse.LandBytes:
		return decodeByteaText
	case warehouse.LandUUID:
		return func(b []byte) (any, error) { return hex.DecodeString(strings.ReplaceAll(string(b), "-", "")) }
	case warehouse.LandDate:
		return timeText("2006-01-02")
	case warehouse.LandTime:
		return timeText("15:04:05.999999")
	case warehouse.LandTimestamp:
		return timeText("2006-01-02 15:04:05.999999")
	case warehouse.LandTimestampTZ:
		return timeText("2006-01-02 15:04:05.999999-07")
	case warehouse.LandList:
		return arrayText(textDecoder(*t.Elem))
	}
	return decodeText // text, JSON, and what lands as its text form
}

func timeText(layout string) decoder {
	return func(b []byte) (any, error) {
		s := string(b)
		if s == "infinity" || s == "-infinity" {
			return nil, errInfinity
		}
		t, err := time.ParseInLocation(layout, s, time.UTC)
		if err != nil {
			return nil, err
		}
		return t.UTC(), nil
	}
}

func decodeByteaText(b []byte) (any, error) {
	s, ok := strings.CutPrefix(string(b), `\x`)
	if !ok {
		return nil, errors.New("bytea is not in hex output format")
	}
	return hex.DecodeString(s)
}

// decimalText parses numeric text into its unscaled value at scale.
func decimalText(precision, scale int) decoder {
	return func(b []byte) (any, error) {
		s := string(b)
		if s == "NaN" || strings.HasSuffix(s, "Infinity") {
			return nil, fmt.Errorf("%s has no equivalent in a decimal column", s)
		}
		neg := strings.HasPrefix(s, "-")
		ip, fp, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
		if len(fp) > scale {
			return nil, fmt.Errorf("numeric %s has more than %d decimals", s, scale)
		}
		digits := ip + fp + strings.Repeat("0", scale-len(fp))
		if neg {
			digits = "-" + digits
		}
		if precision <= 18 {
			return strconv.ParseInt(digits, 10, 64)
		}
		v, ok := new(big.Int).SetString(digits, 10)
		if !ok {
			return nil, fmt.Errorf("bad numeric %q", s)
		}
		return v, nil
	}
}

// arrayText parses a one-dimensional array literal ({1,NULL,"a b"}).
func arrayText(elem decoder) decoder {
	return func(b []byte) (any, error) {
		s := string(b)
		if strings.HasPrefix(s, "[") { // explicit bounds: [0:1]={...}
			if _, rest, ok := strings.Cut(s, "="); ok {
				s = rest
			}
		}
		if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
			return nil, fmt.Errorf("bad array %q", s)
		}
		s = s[1 : len(s)-1]
		out := []any{}
		for len(s) > 0 {
			item, quoted, rest, err := arrayItem(s)
			if err != nil {
				return nil, err
			}
			if !quoted && item == "NULL" {
				out = append(out, nil)
			} else {
				v, err := elem([]byte(item))
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			s = strings.TrimPrefix(rest, ",")
		}
		return out, nil
	}
}

// arrayItem cuts the first element off an array literal's body.
func arrayItem(s string) (item string, quoted bool, rest string, err error) {
	if s[0] == '{' {
		return "", false, "", errors.New("a multi-dimensional array has no equivalent in the warehouse (one dimension only)")
	}
	if s[0] != '"' {
		i := strings.IndexByte(s, ',')
		if i < 0 {
			return s, false, "", nil
		}
		return s[:i], false, s[i:], nil
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
			if i < len(s) {
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), true, s[i+1:], nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", false, "", errors.New("unterminated quoted array element")
}
