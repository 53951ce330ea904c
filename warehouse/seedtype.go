package warehouse

import "strconv"

// SeedType is an engine-neutral column type inferred for a seed column.
// Adapters map it to their own type names.
//
// A column gets the first type of integer, double, boolean, date, timestamp
// that all of its non-empty values fit, else string:
//
//   - SeedInteger: optional sign and decimal digits that fit in 64 bits, with
//     no leading zero ("007" is a code, not a number: the column is a string).
//   - SeedDouble: integers as above, and decimals with a '.' and/or an
//     exponent ("1.5", "-.5", "2e10"). Integers mixed with decimals give
//     SeedDouble. Digit strings too large for 64 bits make the column a
//     string (they are identifiers; a double would lose digits).
//   - SeedBoolean: "true" or "false", any letter case.
//   - SeedDate: YYYY-MM-DD, a valid calendar date.
//   - SeedTimestamp: YYYY-MM-DD HH:MM:SS with optional .fraction of up to 6
//     digits, 'T' or ' ' between date and time, no time zone; dates mixed
//     with timestamps give SeedTimestamp. Values with a zone offset make the
//     column a string: override with column_types to get a zoned type.
//   - SeedString: everything else, and columns with no non-empty value.
type SeedType string

const (
	SeedInteger   SeedType = "integer"
	SeedDouble    SeedType = "double"
	SeedBoolean   SeedType = "boolean"
	SeedDate      SeedType = "date"
	SeedTimestamp SeedType = "timestamp"
	SeedString    SeedType = "string"
)

const (
	fitsInt uint8 = 1 << iota
	fitsDouble
	fitsBool
	fitsDate
	fitsTimestamp
	fitsAll = fitsInt | fitsDouble | fitsBool | fitsDate | fitsTimestamp
)

// inference narrows down the types a column's values all fit.
type inference struct {
	mask uint8
	seen bool
}

func newInference() inference { return inference{mask: fitsAll} }

func (in *inference) observe(v string) {
	if v == "" {
		return
	}
	in.seen = true
	if in.mask != 0 {
		in.mask &= classify(v)
	}
}

func (in *inference) result() SeedType {
	if !in.seen {
		return SeedString
	}
	switch {
	case in.mask&fitsInt != 0:
		return SeedInteger
	case in.mask&fitsDouble != 0:
		return SeedDouble
	case in.mask&fitsBool != 0:
		return SeedBoolean
	case in.mask&fitsDate != 0:
		return SeedDate
	case in.mask&fitsTimestamp != 0:
		return SeedTimestamp
	}
	return SeedString
}

// classify returns the set of types the non-empty value v fits.
func classify(v string) uint8 {
	c := v[0]
	switch {
	case c == 't' || c == 'T' || c == 'f' || c == 'F':
		if len(v) <= 5 && (equalFold(v, "true") || equalFold(v, "false")) {
			return fitsBool
		}
		return 0
	case len(v) >= 10 && v[4] == '-' && isDigit(c):
		return classifyTime(v)
	}
	return classifyNumber(v)
}

func classifyNumber(v string) uint8 {
	i := 0
	if v[0] == '+' || v[0] == '-' {
		i++
	}
	intStart := i
	for i < len(v) && isDigit(v[i]) {
		i++
	}
	intDigits := i - intStart
	if i == len(v) {
		if intDigits == 0 || (intDigits > 1 && v[intStart] == '0') {
			return 0
		}
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return 0
		}
		return fitsInt | fitsDouble
	}
	if intDigits > 1 && v[intStart] == '0' {
		return 0
	}
	fracDigits := 0
	if v[i] == '.' {
		i++
		for i < len(v) && isDigit(v[i]) {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return 0
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		expStart := i
		for i < len(v) && isDigit(v[i]) {
			i++
		}
		if i == expStart {
			return 0
		}
	}
	if i != len(v) {
		return 0
	}
	return fitsDouble
}

func classifyTime(v string) uint8 {
	if !isDate(v[:10]) {
		return 0
	}
	if len(v) == 10 {
		return fitsDate | fitsTimestamp
	}
	// YYYY-MM-DD?HH:MM:SS[.ffffff]
	if len(v) < 19 || len(v) > 26 || (v[10] != ' ' && v[10] != 'T') || !isClock(v[11:19]) {
		return 0
	}
	if len(v) > 19 && (v[19] != '.' || len(v) == 20) {
		return 0
	}
	for i := 20; i < len(v); i++ {
		if !isDigit(v[i]) {
			return 0
		}
	}
	return fitsTimestamp
}

// isDate reports whether s is a valid calendar date YYYY-MM-DD.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(m, y)
}

// isClock reports whether s is a valid time of day HH:MM:SS.
func isClock(s string) bool {
	if s[2] != ':' || s[5] != ':' {
		return false
	}
	h, ok1 := digits(s[0:2])
	m, ok2 := digits(s[3:5])
	sec, ok3 := digits(s[6:8])
	return ok1 && ok2 && ok3 && h < 24 && m < 60 && sec < 60
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != b[i] {
			return false
		}
	}
	return true
}
