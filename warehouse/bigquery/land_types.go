package bigquery

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/bigquery"

	"github.com/mart-dev/mart/warehouse"
)

// landType is the BigQuery type an extracted column lands as. Lists land
// as JSON: BigQuery's arrays cannot hold NULL elements, which PostgreSQL's
// can.
func landType(t warehouse.LandType) (string, error) {
	switch t.Kind {
	case warehouse.LandText, warehouse.LandUUID:
		return "STRING", nil
	case warehouse.LandBool:
		return "BOOL", nil
	case warehouse.LandInt16, warehouse.LandInt32, warehouse.LandInt64:
		return "INT64", nil
	case warehouse.LandFloat32, warehouse.LandFloat64:
		return "FLOAT64", nil
	case warehouse.LandDecimal:
		p, s := t.Precision, t.Scale
		switch {
		case s <= 9 && p-s <= 29:
			return fmt.Sprintf("NUMERIC(%d, %d)", max(p, 1), s), nil
		case s <= 38 && p-s <= 38:
			return fmt.Sprintf("BIGNUMERIC(%d, %d)", max(p, 1), s), nil
		}
		return "", fmt.Errorf("BigQuery has no decimal of precision %d and scale %d", p, s)
	case warehouse.LandBytes:
		return "BYTES", nil
	case warehouse.LandDate:
		return "DATE", nil
	case warehouse.LandTime:
		return "TIME", nil
	case warehouse.LandTimestamp:
		return "DATETIME", nil
	case warehouse.LandTimestampTZ:
		return "TIMESTAMP", nil
	case warehouse.LandJSON, warehouse.LandList:
		return "JSON", nil
	}
	return "", fmt.Errorf("unknown extracted type %s", t)
}

var paramRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(NUMERIC|BIGNUMERIC)\((\d+),\s*(\d+)\)$`) })

// bqType is a BigQuery column type reduced to what widening needs.
type bqType struct {
	base string // INT64, NUMERIC, BIGNUMERIC, FLOAT64, STRING, ...
	p, s int    // NUMERIC and BIGNUMERIC: precision and scale (p 0: unparameterized)
}

func parseBQType(s string) bqType {
	u := strings.ToUpper(strings.TrimSpace(s))
	if m := paramRE().FindStringSubmatch(u); m != nil {
		p, _ := strconv.Atoi(m[2])
		sc, _ := strconv.Atoi(m[3])
		return bqType{base: m[1], p: p, s: sc}
	}
	switch u {
	case "INTEGER":
		u = "INT64"
	case "FLOAT":
		u = "FLOAT64"
	case "BOOLEAN":
		u = "BOOL"
	}
	return bqType{base: u}
}

// digits returns the integer digits and scale a type holds (ok false for
// non-numbers). INT64 is NUMERIC(19, 0); unparameterized NUMERIC (29, 9)
// and BIGNUMERIC (38, 38) are BigQuery's.
func (t bqType) digits() (int, int, bool) {
	switch {
	case t.base == "INT64":
		return 19, 0, true
	case t.base == "NUMERIC" && t.p == 0:
		return 29, 9, true
	case t.base == "BIGNUMERIC" && t.p == 0:
		return 38, 38, true
	case t.base == "NUMERIC" || t.base == "BIGNUMERIC":
		return t.p - t.s, t.s, true
	}
	return 0, 0, false
}

// widenLanded returns the type a column of type have must take to hold
// values of type want, as ALTER COLUMN ... SET DATA TYPE allows (integers
// to decimals or FLOAT64, decimals to wider ones or FLOAT64), and false for
// any other change.
func widenLanded(have, want string) (string, bool) {
	h, w := parseBQType(have), parseBQType(want)
	if h == w {
		return have, true
	}
	hi, hs, hok := h.digits()
	wi, ws, wok := w.digits()
	switch {
	case hok && wok && hi >= wi && hs >= ws:
		return have, true
	case hok && wok:
		i, s := max(hi, wi), max(hs, ws)
		if s <= 9 && i <= 29 && h.base != "BIGNUMERIC" && w.base != "BIGNUMERIC" {
			return fmt.Sprintf("NUMERIC(%d, %d)", i+s, s), true
		}
		if s <= 38 && i <= 38 {
			return fmt.Sprintf("BIGNUMERIC(%d, %d)", i+s, s), true
		}
	case h.base == "FLOAT64" && wok:
		return have, true
	case w.base == "FLOAT64" && hok:
		return want, true
	}
	return "", false
}

// schemaOf is the BigQuery schema of a staged batch.
func schemaOf(cols []warehouse.Column) bigquery.Schema {
	out := make(bigquery.Schema, len(cols))
	for i, c := range cols {
		f := &bigquery.FieldSchema{Name: c.Name}
		t := parseBQType(c.Type)
		switch t.base {
		case "NUMERIC", "BIGNUMERIC":
			f.Type = bigquery.NumericFieldType
			if t.base == "BIGNUMERIC" {
				f.Type = bigquery.BigNumericFieldType
			}
			f.Precision, f.Scale = int64(t.p), int64(t.s)
		default:
			f.Type = bigquery.FieldType(map[string]string{"INT64": "INTEGER", "FLOAT64": "FLOAT", "BOOL": "BOOLEAN"}[t.base])
			if f.Type == "" {
				f.Type = bigquery.FieldType(t.base)
			}
		}
		out[i] = f
	}
	return out
}

// jsonValue renders a value of type t as newline-delimited JSON for a load
// job: numbers that JSON cannot carry exactly as strings, bytes in base64,
// times in BigQuery's canonical forms, JSON inline.
func jsonValue(v any, t warehouse.LandType) (string, error) {
	if v == nil {
		return "null", nil
	}
	switch t.Kind {
	case warehouse.LandJSON:
		if s, ok := v.(string); ok {
			return s, nil // a JSON column of a JSON load takes the document itself
		}
	case warehouse.LandList:
		if l, ok := v.([]any); ok {
			return listJSON(l, *t.Elem)
		}
	case warehouse.LandDecimal:
		return decimalJSON(v, t.Scale)
	case warehouse.LandUUID:
		if b, ok := v.([]byte); ok && len(b) == 16 {
			h := hex.EncodeToString(b)
			return strconv.Quote(h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]), nil
		}
	}
	return scalarJSON(v, t)
}

func scalarJSON(v any, t warehouse.LandType) (string, error) {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.Quote(strconv.FormatInt(x, 10)), nil
	case int32:
		return strconv.Quote(strconv.FormatInt(int64(x), 10)), nil
	case float64:
		switch {
		case math.IsNaN(x):
			return `"NaN"`, nil
		case math.IsInf(x, 1):
			return `"Infinity"`, nil
		case math.IsInf(x, -1):
			return `"-Infinity"`, nil
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case []byte:
		return strconv.Quote(base64.StdEncoding.EncodeToString(x)), nil
	case time.Time:
		switch t.Kind {
		case warehouse.LandDate:
			return strconv.Quote(x.UTC().Format("2006-01-02")), nil
		case warehouse.LandTime:
			return strconv.Quote(x.UTC().Format("15:04:05.999999")), nil
		case warehouse.LandTimestamp:
			return strconv.Quote(x.UTC().Format("2006-01-02 15:04:05.999999")), nil
		}
		return strconv.Quote(x.UTC().Format("2006-01-02 15:04:05.999999") + "+00:00"), nil
	}
	return "", fmt.Errorf("a %T value in a %s column", v, t)
}

func decimalJSON(v any, scale int) (string, error) {
	var n *big.Int
	switch x := v.(type) {
	case int64:
		n = big.NewInt(x)
	case *big.Int:
		n = x
	default:
		return "", fmt.Errorf("a %T value in a decimal column", v)
	}
	s := new(big.Int).Abs(n).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if n.Sign() < 0 {
		s = "-" + s
	}
	return strconv.Quote(s), nil
}

// listJSON renders a list as the JSON document of a JSON column.
func listJSON(l []any, elem warehouse.LandType) (string, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		s, err := jsonValue(e, elem)
		if err != nil {
			return "", err
		}
		if elem.Kind == warehouse.LandDecimal || elem.Kind >= warehouse.LandInt16 && elem.Kind <= warehouse.LandInt64 {
			s = strings.Trim(s, `"`) // numbers in the document
		}
		b.WriteString(s)
	}
	b.WriteByte(']')
	return b.String(), nil
}
