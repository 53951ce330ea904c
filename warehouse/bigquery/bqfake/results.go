package bqfake

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// readResult runs a query and reads all its rows as a Result: the schema
// in BigQuery's types and the values in the fake's row form (see Field).
func readResult(ctx context.Context, q querier, query string) (*Result, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &Result{Schema: make([]Field, len(types)), Rows: [][]any{}}
	for i, ct := range types {
		if res.Schema[i], err = fieldFromDuck(ct.Name(), ct.DatabaseTypeName()); err != nil {
			return nil, err
		}
	}
	for rows.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = rowValue(res.Schema[i], v)
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}

// rowValue converts a value read from DuckDB to the fake's row form: a
// STRUCT is a []any of its fields in order, a REPEATED field a []any,
// NUMERIC and 128-bit integers decimal strings, JSON its text.
func rowValue(f Field, v any) any {
	if v == nil {
		return nil
	}
	if f.Mode == "REPEATED" {
		xs, _ := v.([]any)
		elem := f
		elem.Mode = ""
		out := make([]any, len(xs))
		for i, x := range xs {
			out[i] = rowValue(elem, x)
		}
		return out
	}
	if f.Fields != nil {
		m, _ := v.(map[string]any)
		out := make([]any, len(f.Fields))
		for i, sub := range f.Fields {
			out[i] = rowValue(sub, m[sub.Name])
		}
		return out
	}
	if f.Type == "JSON" { // the driver parses JSON values
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
	switch x := v.(type) {
	case duckdb.Decimal:
		return decimalString(x.Value, int(x.Scale))
	case *big.Int:
		return x.String()
	case float32:
		return float64(x)
	case int8, int16, int32, uint8, uint16, uint32:
		return fmt.Sprint(x)
	case duckdb.Interval:
		return intervalString(x)
	case duckdb.UUID:
		return x.String()
	case time.Time:
		return x.UTC()
	}
	return v
}

// decimalString renders an unscaled value with scale digits after the
// point, without trailing zeros (BigQuery's NUMERIC text).
func decimalString(v *big.Int, scale int) string {
	if v == nil {
		return "0"
	}
	s := new(big.Int).Abs(v).String()
	if scale > 0 {
		for len(s) <= scale {
			s = "0" + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if v.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// intervalString renders an interval in BigQuery's canonical form,
// Y-M D H:M:S[.F].
func intervalString(x duckdb.Interval) string {
	us := x.Micros
	sign := ""
	if us < 0 {
		sign, us = "-", -us
	}
	h, m := us/3600e6, us/60e6%60
	sec, frac := us/1e6%60, us%1e6
	s := fmt.Sprintf("%d-%d %d %s%d:%d:%d", x.Months/12, x.Months%12, x.Days, sign, h, m, sec)
	if frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
	}
	return s
}
