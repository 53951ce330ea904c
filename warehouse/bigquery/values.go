package bigquery

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"

	"github.com/mart-dev/mart/warehouse"
)

// schemaColumns lists a schema's columns with their standard SQL types.
func schemaColumns(s bigquery.Schema) []warehouse.Column {
	if s == nil {
		return nil
	}
	out := make([]warehouse.Column, len(s))
	for i, f := range s {
		out[i] = warehouse.Column{Name: f.Name, Type: typeName(f)}
	}
	return out
}

// typeName spells a field's type as GoogleSQL does: INT64, FLOAT64, BOOL,
// NUMERIC(10, 2), ARRAY<STRING>, STRUCT<a INT64, b STRING>, ...
func typeName(f *bigquery.FieldSchema) string {
	var t string
	switch f.Type {
	case bigquery.IntegerFieldType:
		t = "INT64"
	case bigquery.FloatFieldType:
		t = "FLOAT64"
	case bigquery.BooleanFieldType:
		t = "BOOL"
	case bigquery.RecordFieldType:
		parts := make([]string, len(f.Schema))
		for i, sub := range f.Schema {
			parts[i] = quoteIfNeeded(sub.Name) + " " + typeName(sub)
		}
		t = "STRUCT<" + strings.Join(parts, ", ") + ">"
	case bigquery.NumericFieldType, bigquery.BigNumericFieldType:
		t = string(f.Type)
		if f.Precision > 0 {
			t += fmt.Sprintf("(%d, %d)", f.Precision, f.Scale)
		}
	case bigquery.StringFieldType, bigquery.BytesFieldType:
		t = string(f.Type)
		if f.MaxLength > 0 {
			t += fmt.Sprintf("(%d)", f.MaxLength)
		}
	default:
		t = string(f.Type)
	}
	if f.Repeated {
		return "ARRAY<" + t + ">"
	}
	return t
}

func quoteIfNeeded(name string) string {
	for i, r := range name {
		if !(r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')) {
			return quoteIdent(name)
		}
	}
	return name
}

// plain converts a value read by the client into the plain Go values of
// warehouse.Rows.
func plain(v bigquery.Value, f *bigquery.FieldSchema) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []bigquery.Value:
		if f != nil && f.Type == bigquery.RecordFieldType && !f.Repeated {
			m := make(map[string]any, len(x))
			for i, e := range x {
				if i < len(f.Schema) {
					m[f.Schema[i].Name] = plain(e, f.Schema[i])
				}
			}
			return m
		}
		out := make([]any, len(x))
		elem := f
		if f != nil {
			c := *f
			c.Repeated = false
			elem = &c
		}
		for i, e := range x {
			out[i] = plain(e, elem)
		}
		return out
	case civil.Date:
		return x.In(time.UTC)
	case civil.DateTime:
		return x.In(time.UTC)
	case civil.Time:
		return x.String()
	case *big.Rat:
		return ratString(x, f)
	}
	switch x := v.(type) {
	case int64, float64, bool, string, []byte, time.Time:
		return x
	}
	return fmt.Sprint(v) // intervals, ranges, ...
}

// ratString renders NUMERIC/BIGNUMERIC as BigQuery prints them: no
// trailing zeros after the point.
func ratString(r *big.Rat, f *bigquery.FieldSchema) string {
	digits := 9
	if f != nil && f.Type == bigquery.BigNumericFieldType {
		digits = 38
	}
	s := r.FloatString(digits)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
