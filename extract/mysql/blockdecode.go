package mysql

import (
	"errors"
	"math"
	"strconv"
	"unsafe"

	"github.com/mart-dev/mart/warehouse"
)

// blockDecoder appends a value as the text protocol sends it to a block
// column (warehouse.BlockColumn), as the value its decoder makes would be
// held: the fast path, with no Go value boxed per field. Zero dates land
// as NULL, as with decoders.
type blockDecoder func(c *warehouse.BlockColumn, b []byte) error

// blockDecoderFor returns the block decoder of a column: a fast one for
// the common types, else one appending what c.decode makes.
func blockDecoderFor(c column, dataType string) blockDecoder {
	boxed := func(bc *warehouse.BlockColumn, b []byte) error {
		v, err := c.decode(b)
		switch {
		case errors.Is(err, errZeroDate):
			bc.AppendNull()
			return nil
		case err != nil:
			return err
		}
		return bc.Append(v)
	}
	switch c.land.Kind {
	case warehouse.LandInt16, warehouse.LandInt32, warehouse.LandInt64:
		if dataType == "bit" {
			return boxed
		}
		return func(bc *warehouse.BlockColumn, b []byte) error {
			v, ok := parseInt(b)
			if !ok {
				return boxed(bc, b) // strconv's error
			}
			bc.AppendInt(v)
			return nil
		}
	case warehouse.LandDecimal:
		if c.land.Precision > 18 {
			return boxed
		}
		scale := c.land.Scale
		return func(bc *warehouse.BlockColumn, b []byte) error {
			v, ok := parseDecimal(b, scale)
			if !ok {
				return boxed(bc, b)
			}
			bc.AppendInt(v)
			return nil
		}
	case warehouse.LandFloat32, warehouse.LandFloat64:
		return func(bc *warehouse.BlockColumn, b []byte) error {
			if len(b) == 0 {
				return boxed(bc, b)
			}
			// the string does not outlive the call (strconv copies it into its errors)
			v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
			if err != nil {
				return boxed(bc, b)
			}
			bc.AppendFloat(v)
			return nil
		}
	case warehouse.LandDate, warehouse.LandTimestamp, warehouse.LandTimestampTZ:
		withTime := c.land.Kind != warehouse.LandDate
		return func(bc *warehouse.BlockColumn, b []byte) error {
			us, ok := parseDateTime(b, withTime)
			if !ok {
				return boxed(bc, b)
			}
			if !withTime {
				us /= 86400e6 // a date is held as days (midnight: exact)
			}
			bc.AppendInt(us)
			return nil
		}
	case warehouse.LandText, warehouse.LandJSON, warehouse.LandBytes:
		return func(bc *warehouse.BlockColumn, b []byte) error {
			bc.AppendBytes(b)
			return nil
		}
	}
	return boxed
}

// parseInt parses a decimal integer the way strconv.ParseInt does, without
// allocating; false for anything else (or an overflow).
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var u uint64
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		u = u*10 + uint64(ch-'0')
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u), true
	case !neg && u <= math.MaxInt64:
		return int64(u), true
	}
	return 0, false
}

// parseDecimal parses decimal text ("-12.30") into its unscaled value at
// scale, in int64; false for anything it does not read exactly (more
// decimals than scale, an overflow, another form), which the exact
// decoder then decides.
func parseDecimal(b []byte, scale int) (int64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var u uint64
	digits, decimals, dot := 0, 0, false
	for _, ch := range b {
		switch {
		case ch == '.' && !dot:
			dot = true
			continue
		case ch < '0' || ch > '9':
			return 0, false
		}
		if dot {
			decimals++
		}
		digits++
		if digits > 18 {
			return 0, false
		}
		u = u*10 + uint64(ch-'0')
	}
	if decimals > scale || digits+scale-decimals > 18 {
		return 0, false
	}
	for range scale - decimals {
		u *= 10
	}
	if neg {
		return -int64(u), true
	}
	return int64(u), true
}

// parseDateTime parses "YYYY-MM-DD" (a DATE) or, withTime, "YYYY-MM-DD
// hh:mm:ss[.ffffff]" (a DATETIME or TIMESTAMP, in UTC) into microseconds
// since the Unix epoch; false for anything else (zero dates included),
// which the exact decoder then decides.
func parseDateTime(b []byte, withTime bool) (int64, bool) {
	if !withTime && len(b) != 10 || withTime && (len(b) < 19 || len(b) > 26 || len(b) == 20) {
		return 0, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, ch := range s {
			if ch < '0' || ch > '9' {
				return 0, false
			}
			n = n*10 + int(ch-'0')
		}
		return n, true
	}
	y, ok1 := num(b[0:4])
	mo, ok2 := num(b[5:7])
	d, ok3 := num(b[8:10])
	if !ok1 || !ok2 || !ok3 || b[4] != '-' || b[7] != '-' || y == 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) {
		return 0, false
	}
	var h, mi, s, frac int
	if len(b) > 10 {
		var ok4, ok5, ok6 bool
		h, ok4 = num(b[11:13])
		mi, ok5 = num(b[14:16])
		s, ok6 = num(b[17:19])
		if !ok4 || !ok5 || !ok6 || b[10] != ' ' || b[13] != ':' || b[16] != ':' || h > 23 || mi > 59 || s > 59 {
			return 0, false
		}
		if len(b) > 19 {
			if b[19] != '.' {
				return 0, false
			}
			f, ok := num(b[20:])
			if !ok {
				return 0, false
			}
			for range 26 - len(b) {
				f *= 10
			}
			frac = f
		}
	}
	days := daysSinceEpoch(y, mo, d)
	return ((days*24+int64(h))*60+int64(mi))*60*1e6 + int64(s)*1e6 + int64(frac), true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch is the number of days from 1970-01-01 to y-m-d
// (proleptic Gregorian; Howard Hinnant's days_from_civil).
func daysSinceEpoch(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= 0 here
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
