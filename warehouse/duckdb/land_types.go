package duckdb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// landTypeSQL is the DuckDB type an extracted column of type t lands as.
func landTypeSQL(t warehouse.LandType) (string, error) {
	switch t.Kind {
	case warehouse.LandText:
		return "VARCHAR", nil
	case warehouse.LandBool:
		return "BOOLEAN", nil
	case warehouse.LandInt16:
		return "SMALLINT", nil
	case warehouse.LandInt32:
		return "INTEGER", nil
	case warehouse.LandInt64:
		return "BIGINT", nil
	case warehouse.LandFloat32:
		return "FLOAT", nil
	case warehouse.LandFloat64:
		return "DOUBLE", nil
	case warehouse.LandDecimal:
		if t.Precision < 1 || t.Precision > warehouse.MaxDecimalPrecision || t.Scale < 0 || t.Scale > t.Precision {
			return "", fmt.Errorf("DuckDB has no DECIMAL(%d,%d)", t.Precision, t.Scale)
		}
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale), nil
	case warehouse.LandBytes:
		return "BLOB", nil
	case warehouse.LandDate:
		return "DATE", nil
	case warehouse.LandTime:
		return "TIME", nil
	case warehouse.LandTimestamp:
		return "TIMESTAMP", nil
	case warehouse.LandTimestampTZ:
		return "TIMESTAMP WITH TIME ZONE", nil
	case warehouse.LandJSON:
		return "JSON", nil
	case warehouse.LandUUID:
		return "UUID", nil
	case warehouse.LandList:
		if t.Elem == nil || t.Elem.Kind == warehouse.LandList {
			return "", fmt.Errorf("DuckDB lands lists of scalars only, not %s", t)
		}
		e, err := landTypeSQL(*t.Elem)
		if err != nil {
			return "", err
		}
		return e + "[]", nil
	}
	return "", fmt.Errorf("unknown extracted type %s", t)
}

// stageTypeSQL is the type of a column in a staging table: the landed type,
// except that JSON is staged as VARCHAR (the appender would encode a Go
// string as a JSON string literal) and cast when applied.
func stageTypeSQL(t warehouse.LandType) (string, error) {
	if t.Kind == warehouse.LandJSON {
		return "VARCHAR", nil
	}
	return landTypeSQL(t)
}

// widenLanded returns the type a raw table's column of type have must
// take to hold values of type want, and false when no type holds both (a
// type change that is not a widening, such as text to integer). It follows
// widens, the rule of on_schema_change: sync_all_columns, and joins two
// decimals (or a decimal and an integer) that neither holds the other.
func widenLanded(have, want string) (string, bool) {
	h, w := strings.ToUpper(strings.TrimSpace(have)), strings.ToUpper(strings.TrimSpace(want))
	switch {
	case h == w || widens(w, h):
		return have, true
	case widens(h, w):
		return want, true
	case strings.HasSuffix(h, "[]") && strings.HasSuffix(w, "[]"):
		e, ok := widenLanded(h[:len(h)-2], w[:len(w)-2])
		return e + "[]", ok
	case w == "DOUBLE" && intDigits[h] > 0:
		// exact up to 2^53 only, but a source whose integers turn into
		// fractions (MongoDB's numbers, a CSV column) needs it
		return want, true
	}
	hd, hok := decimalDigits(h)
	wd, wok := decimalDigits(w)
	if !hok || !wok {
		return "", false
	}
	s := max(hd[1], wd[1])
	p := max(hd[0]-hd[1], wd[0]-wd[1]) + s
	if p > warehouse.MaxDecimalPrecision {
		return "", false
	}
	return fmt.Sprintf("DECIMAL(%d,%d)", p, s), true
}

// decimalDigits returns a decimal's precision and scale, or an integer's
// as a decimal of scale 0.
func decimalDigits(t string) ([2]int, bool) {
	if m := decimalRE().FindStringSubmatch(t); m != nil {
		p, _ := strconv.Atoi(m[1])
		s, _ := strconv.Atoi(m[2])
		return [2]int{p, s}, true
	}
	if n, ok := intDigits[t]; ok {
		return [2]int{n, 0}, true
	}
	return [2]int{}, false
}
