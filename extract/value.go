package extract

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Value is a typed scalar as stored in a stream's state (a cursor or key
// position): the Go value a Reader produced, tagged so it decodes to the
// same Go type.
type Value struct {
	V any
}

type taggedValue struct {
	T string `json:"t"`
	V string `json:"v"`
}

// MarshalJSON encodes v as {"t": type, "v": text}.
func (v Value) MarshalJSON() ([]byte, error) {
	var tv taggedValue
	switch x := v.V.(type) {
	case nil:
		return []byte("null"), nil
	case bool:
		tv = taggedValue{"bool", strconv.FormatBool(x)}
	case int64:
		tv = taggedValue{"int", strconv.FormatInt(x, 10)}
	case int32:
		tv = taggedValue{"int", strconv.FormatInt(int64(x), 10)}
	case int:
		tv = taggedValue{"int", strconv.Itoa(x)}
	case float64:
		tv = taggedValue{"float", strconv.FormatFloat(x, 'g', -1, 64)}
	case *big.Int:
		tv = taggedValue{"bigint", x.String()}
	case string:
		tv = taggedValue{"string", x}
	case []byte:
		tv = taggedValue{"bytes", base64.StdEncoding.EncodeToString(x)}
	case time.Time:
		tv = taggedValue{"time", x.UTC().Format(time.RFC3339Nano)}
	default:
		return nil, fmt.Errorf("a cursor or key value of type %T cannot be stored", v.V)
	}
	return json.Marshal(tv)
}

// UnmarshalJSON decodes what MarshalJSON wrote.
func (v *Value) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		v.V = nil
		return nil
	}
	var tv taggedValue
	if err := json.Unmarshal(b, &tv); err != nil {
		return err
	}
	var err error
	switch tv.T {
	case "bool":
		v.V, err = strconv.ParseBool(tv.V)
	case "int":
		v.V, err = strconv.ParseInt(tv.V, 10, 64)
	case "float":
		v.V, err = strconv.ParseFloat(tv.V, 64)
	case "bigint":
		n, ok := new(big.Int).SetString(tv.V, 10)
		if !ok {
			err = fmt.Errorf("bad integer %q", tv.V)
		}
		v.V = n
	case "string":
		v.V = tv.V
	case "bytes":
		v.V, err = base64.StdEncoding.DecodeString(tv.V)
	case "time":
		v.V, err = time.Parse(time.RFC3339Nano, tv.V)
	default:
		err = fmt.Errorf("unknown value type %q", tv.T)
	}
	return err
}

// values wraps Go values for the state.
func values(vs []any) []Value {
	out := make([]Value, len(vs))
	for i, v := range vs {
		out[i] = Value{V: v}
	}
	return out
}

// plain unwraps state values.
func plain(vs []Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v.V
	}
	return out
}

// compareValues orders two values of one column as the source orders
// them; NULL sorts first. Values of different Go types do not compare.
func compareValues(a, b any) (int, error) {
	switch {
	case a == nil && b == nil:
		return 0, nil
	case a == nil:
		return -1, nil
	case b == nil:
		return 1, nil
	}
	if ai, ok := asBig(a); ok {
		if bi, ok := asBig(b); ok {
			return ai.Cmp(bi), nil
		}
	}
	switch x := a.(type) {
	case float64:
		if y, ok := b.(float64); ok {
			return cmpOrdered(x, y), nil
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	case []byte:
		if y, ok := b.([]byte); ok {
			return bytes.Compare(x, y), nil
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y), nil
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmpOrdered(boolInt(x), boolInt(y)), nil
		}
	}
	return 0, fmt.Errorf("cannot compare %s with %s", showValue(a), showValue(b))
}

func asBig(v any) (*big.Int, bool) {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x), true
	case int32:
		return big.NewInt(int64(x)), true
	case int:
		return big.NewInt(int64(x)), true
	case *big.Int:
		return x, true
	}
	return nil, false
}

func cmpOrdered[T int | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// showValue renders a cursor value for messages.
func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.999999Z07:00")
	case []byte:
		return fmt.Sprintf("0x%x", x)
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}

// behind returns the cursor value lookback before v: a duration before a
// time, a count below an integer.
func behind(v any, c Config) (any, error) {
	switch x := v.(type) {
	case time.Time:
		if c.LookbackCount > 0 {
			return nil, fmt.Errorf("lookback: %d is a count, but the cursor %s holds times: give a duration such as \"10m\"", c.LookbackCount, c.Cursor)
		}
		return x.Add(-c.LookbackDuration), nil
	case int64:
		if c.LookbackDuration > 0 {
			return nil, fmt.Errorf("lookback: %s is a duration, but the cursor %s holds numbers: give a whole number", c.LookbackDuration, c.Cursor)
		}
		return x - c.LookbackCount, nil
	}
	if c.LookbackDuration > 0 || c.LookbackCount > 0 {
		return nil, fmt.Errorf("lookback: the cursor %s holds %T values, which have no lookback: remove it", c.Cursor, v)
	}
	return v, nil
}
