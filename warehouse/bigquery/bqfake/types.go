package bqfake

import (
	"fmt"
	"strconv"
	"strings"
)

// bqType is a GoogleSQL type: a scalar with optional parameters
// (NUMERIC(10, 2), STRING(20)), ARRAY<Elem> or STRUCT<Fields>.
type bqType struct {
	Name   string // upper case: INT64, STRING, ARRAY, STRUCT, ...
	Params []int
	Elem   *bqType
	Fields []bqField
}

type bqField struct {
	Name string // "" for an anonymous STRUCT field
	Type bqType
}

// BIGNUMERIC has no DuckDB equivalent (DuckDB decimals hold 38 digits): it
// is stored as DECIMAL(38, 18), and that type reads back as BIGNUMERIC.
const (
	duckNumeric    = "DECIMAL(38,9)"
	duckBigNumeric = "DECIMAL(38,18)"
)

// duck renders t as a DuckDB type.
func (t bqType) duck() (string, error) {
	switch t.Name {
	case "ARRAY":
		if t.Elem == nil {
			return "", fmt.Errorf("ARRAY needs an element type")
		}
		if t.Elem.Name == "ARRAY" {
			return "", fmt.Errorf("Arrays of arrays are not supported")
		}
		e, err := t.Elem.duck()
		return e + "[]", err
	case "STRUCT":
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			ft, err := f.Type.duck()
			if err != nil {
				return "", err
			}
			name := f.Name
			if name == "" {
				name = fmt.Sprintf("_field_%d", i+1)
			}
			parts[i] = duckIdent(name) + " " + ft
		}
		return "STRUCT(" + strings.Join(parts, ", ") + ")", nil
	}
	return duckScalar(t.Name, t.Params)
}

// duckScalar maps a BigQuery scalar type name (standard or legacy) with
// its parameters to DuckDB.
func duckScalar(name string, params []int) (string, error) {
	switch name {
	case "INT64", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT":
		return "BIGINT", nil
	case "FLOAT64", "FLOAT":
		return "DOUBLE", nil
	case "NUMERIC", "DECIMAL":
		switch len(params) {
		case 1:
			return fmt.Sprintf("DECIMAL(%d,0)", params[0]), nil
		case 2:
			return fmt.Sprintf("DECIMAL(%d,%d)", params[0], params[1]), nil
		}
		return duckNumeric, nil
	case "BIGNUMERIC", "BIGDECIMAL":
		if len(params) == 2 && params[0] <= 38 {
			return fmt.Sprintf("DECIMAL(%d,%d)", params[0], params[1]), nil
		}
		return duckBigNumeric, nil
	case "STRING":
		return "VARCHAR", nil
	case "BYTES":
		return "BLOB", nil
	case "BOOL", "BOOLEAN":
		return "BOOLEAN", nil
	case "DATE", "TIME", "INTERVAL", "JSON":
		return name, nil
	case "DATETIME":
		return "TIMESTAMP", nil
	case "TIMESTAMP":
		return "TIMESTAMPTZ", nil
	case "RECORD":
		return "", fmt.Errorf("RECORD needs fields")
	}
	return "", fmt.Errorf("Type not found: %s", name)
}

// fieldType is the bqType of a schema field.
func fieldType(f Field) bqType {
	var t bqType
	if len(f.Fields) > 0 || apiType(f.Type) == "RECORD" {
		t = bqType{Name: "STRUCT"}
		for _, sub := range f.Fields {
			t.Fields = append(t.Fields, bqField{Name: sub.Name, Type: fieldType(sub)})
		}
	} else {
		name, params := splitParams(f.Type)
		t = bqType{Name: canonicalType(name), Params: params}
	}
	if f.Mode == "REPEATED" {
		return bqType{Name: "ARRAY", Elem: &t}
	}
	return t
}

// typeField is the schema field of a column of type t.
func typeField(name string, t bqType) Field {
	switch {
	case t.Name == "ARRAY" && t.Elem != nil:
		f := typeField(name, *t.Elem)
		f.Mode = "REPEATED"
		return f
	case t.Name == "STRUCT":
		f := Field{Name: name, Type: "STRUCT", Fields: []Field{}}
		for _, sub := range t.Fields {
			f.Fields = append(f.Fields, typeField(sub.Name, sub.Type))
		}
		return f
	}
	return Field{Name: name, Type: canonicalType(t.Name)}
}

// canonicalType is the standard name of a type or one of its aliases.
func canonicalType(name string) string {
	switch n := strings.ToUpper(name); n {
	case "INT64", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT":
		return "INT64"
	case "FLOAT64", "FLOAT":
		return "FLOAT64"
	case "BOOL", "BOOLEAN":
		return "BOOL"
	case "NUMERIC", "DECIMAL":
		return "NUMERIC"
	case "BIGNUMERIC", "BIGDECIMAL":
		return "BIGNUMERIC"
	case "RECORD":
		return "STRUCT"
	default:
		return n
	}
}

// splitParams reads "NUMERIC(10, 2)" as NUMERIC and [10 2].
func splitParams(t string) (string, []int) {
	name, rest, ok := strings.Cut(t, "(")
	name = strings.ToUpper(strings.TrimSpace(name))
	if !ok {
		return name, nil
	}
	var params []int
	for _, p := range strings.Split(strings.TrimSuffix(strings.TrimSpace(rest), ")"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
			params = append(params, n)
		}
	}
	return name, params
}

// duckSchema is the DuckDB schema of a dataset.
func duckSchema(project, dataset string) string { return duckIdent(project + "." + dataset) }

// duckRel is the DuckDB name of a table or view.
func duckRel(project, dataset, name string) string {
	return duckSchema(project, dataset) + "." + duckIdent(name)
}

// duckIdent quotes a DuckDB identifier.
func duckIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// duckString quotes a DuckDB string literal.
func duckString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
