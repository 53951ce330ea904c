package compiler

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// strftime formats t with Python's directives (glibc's, in the C locale,
// as Python on Linux has them); %z and %Z are empty for a naive value.
func strftime(t time.Time, aware bool, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		// glibc's flags: - no padding, _ spaces, 0 zeros, ^ upper case
		start, flag := i-1, byte(0)
		if strings.IndexByte("-_0^", f[i]) >= 0 && i+1 < len(f) {
			flag = f[i]
			i++
		}
		c := f[i]
		if s, ok := directive(t, aware, c); ok {
			b.WriteString(strftimeFlag(s, flag))
		} else {
			b.WriteString(f[start : i+1])
		}
	}
	return b.String()
}

// strftimeFlag applies glibc's flag to a directive's text s: a number's
// padding (leading zeros or spaces) dropped (-), made spaces (_) or zeros
// (0); text upper-cased (^).
func strftimeFlag(s string, flag byte) string {
	digits := strings.TrimLeft(s, " 0")
	numeric := s != "" && strings.Trim(s, " 0123456789") == ""
	if digits == "" {
		digits = "0"
	}
	switch {
	case flag == '^':
		return strings.ToUpper(s)
	case !numeric || flag == 0 || len(digits) >= len(s):
		return s
	case flag == '-':
		return digits
	case flag == '_':
		return strings.Repeat(" ", len(s)-len(digits)) + digits
	case flag == '0':
		return strings.Repeat("0", len(s)-len(digits)) + digits
	}
	return s
}

func directive(t time.Time, aware bool, c byte) (string, bool) {
	wd := int(t.Weekday())
	switch c {
	case '%':
		return "%", true
	case 'a':
		return t.Format("Mon"), true
	case 'A':
		return t.Format("Monday"), true
	case 'w':
		return strconv.Itoa(wd), true
	case 'u':
		return strconv.Itoa((wd+6)%7 + 1), true
	case 'd':
		return fmt.Sprintf("%02d", t.Day()), true
	case 'e':
		return fmt.Sprintf("%2d", t.Day()), true
	case 'b', 'h':
		return t.Format("Jan"), true
	case 'B':
		return t.Format("January"), true
	case 'm':
		return fmt.Sprintf("%02d", int(t.Month())), true
	case 'y':
		return fmt.Sprintf("%02d", t.Year()%100), true
	case 'Y':
		return strconv.Itoa(t.Year()), true
	case 'C':
		return fmt.Sprintf("%02d", t.Year()/100), true
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.Itoa(y), true
	case 'V':
		_, w := t.ISOWeek()
		return fmt.Sprintf("%02d", w), true
	case 'H':
		return fmt.Sprintf("%02d", t.Hour()), true
	case 'I':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return fmt.Sprintf("%02d", h), true
	case 'p':
		if t.Hour() < 12 {
			return "AM", true
		}
		return "PM", true
	case 'M':
		return fmt.Sprintf("%02d", t.Minute()), true
	case 'S':
		return fmt.Sprintf("%02d", t.Second()), true
	case 'f':
		return fmt.Sprintf("%06d", t.Nanosecond()/1000), true
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay()), true
	case 'U':
		return fmt.Sprintf("%02d", (t.YearDay()+6-wd)/7), true
	case 'W':
		return fmt.Sprintf("%02d", (t.YearDay()+6-(wd+6)%7)/7), true
	case 'z':
		if !aware {
			return "", true
		}
		_, off := t.Zone()
		return offsetText(off, false), true
	case 'Z':
		if !aware {
			return "", true
		}
		name, _ := t.Zone()
		return name, true
	case 'c':
		return t.Format("Mon Jan _2 15:04:05 2006"), true
	case 'x', 'D':
		return t.Format("01/02/06"), true
	case 'X', 'T':
		return t.Format("15:04:05"), true
	case 'F':
		return fmt.Sprintf("%d-%02d-%02d", t.Year(), int(t.Month()), t.Day()), true
	case 'R':
		return t.Format("15:04"), true
	case 'r':
		s, _ := directive(t, aware, 'I')
		p, _ := directive(t, aware, 'p')
		return s + t.Format(":04:05 ") + p, true
	case 'n':
		return "\n", true
	case 't':
		return "\t", true
	}
	return "", false
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
var dayNames = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// strptime parses s with Python's directives, as datetime.strptime does
// (the C locale): numbers may have fewer digits than their width, names
// any case, a space in the format matches any run of white space.
func strptime(s, f string) (any, error) {
	fail := func() (any, error) {
		return nil, fmt.Errorf("time data %s does not match format %s", pyQuoted(s), pyQuoted(f))
	}
	p := [7]int{1900, 1, 1, 0, 0, 0, 0}
	pm, hour12, yday := -1, false, 0
	var tz *pyTZ
	i := 0
	num := func(max int) (int, bool) {
		j := i
		for j < len(s) && j-i < max && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			return 0, false
		}
		n, _ := strconv.Atoi(s[i:j])
		i = j
		return n, true
	}
	name := func(names []string, short bool) (int, bool) {
		rest := strings.ToLower(s[i:])
		for k, n := range names {
			if !short && strings.HasPrefix(rest, n) {
				i += len(n)
				return k, true
			}
		}
		for k, n := range names {
			if strings.HasPrefix(rest, n[:3]) {
				i += 3
				return k, true
			}
		}
		return 0, false
	}
	for k := 0; k < len(f); k++ {
		c := f[k]
		if unicode.IsSpace(rune(c)) {
			for k+1 < len(f) && unicode.IsSpace(rune(f[k+1])) {
				k++
			}
			if i >= len(s) || !unicode.IsSpace(rune(s[i])) {
				return fail()
			}
			for i < len(s) && unicode.IsSpace(rune(s[i])) {
				i++
			}
			continue
		}
		if c != '%' || k+1 == len(f) {
			if i >= len(s) || s[i] != c {
				return fail()
			}
			i++
			continue
		}
		k++
		var n int
		ok := true
		switch f[k] {
		case '%':
			ok = i < len(s) && s[i] == '%'
			i++
		case 'Y':
			n, ok = num(4)
			p[0] = n
		case 'y':
			if n, ok = num(2); ok {
				if n < 69 {
					p[0] = 2000 + n
				} else {
					p[0] = 1900 + n
				}
			}
		case 'm':
			n, ok = num(2)
			p[1] = n
		case 'd':
			n, ok = num(2)
			p[2] = n
		case 'H':
			n, ok = num(2)
			p[3] = n
		case 'I':
			n, ok = num(2)
			p[3], hour12 = n, true
		case 'M':
			n, ok = num(2)
			p[4] = n
		case 'S':
			n, ok = num(2)
			p[5] = n
		case 'f':
			start := i
			if n, ok = num(6); ok {
				for d := i - start; d < 6; d++ {
					n *= 10
				}
				p[6] = n
			}
		case 'j':
			yday, ok = num(3)
		case 'b', 'B', 'h':
			n, ok = name(monthNames, f[k] != 'B')
			p[1] = n + 1
		case 'a', 'A':
			_, ok = name(dayNames, f[k] == 'a')
		case 'p':
			switch strings.ToUpper(s[i:min(i+2, len(s))]) {
			case "AM":
				pm, i = 0, i+2
			case "PM":
				pm, i = 1, i+2
			default:
				ok = false
			}
		case 'z':
			if i < len(s) && s[i] == 'Z' {
				tz, i = fixedTZ(0), i+1
				break
			}
			if i >= len(s) || s[i] != '+' && s[i] != '-' {
				ok = false
				break
			}
			sign := 1
			if s[i] == '-' {
				sign = -1
			}
			i++
			h, ok1 := num(2)
			if i < len(s) && s[i] == ':' {
				i++
			}
			m, ok2 := num(2)
			ok = ok1 && ok2
			tz = fixedTZ(sign * (h*3600 + m*60))
		case 'Z':
			j := i
			for j < len(s) && unicode.IsLetter(rune(s[j])) {
				j++
			}
			switch strings.ToUpper(s[i:j]) {
			case "UTC", "GMT":
				i = j
			default:
				ok = false
			}
		default:
			return nil, fmt.Errorf("'%c' is a bad directive in format %s", f[k], pyQuoted(f))
		}
		if !ok {
			return fail()
		}
	}
	if i < len(s) {
		return nil, fmt.Errorf("unconverted data remains: %s", s[i:])
	}
	if hour12 {
		if p[3] < 1 || p[3] > 12 {
			return fail()
		}
		p[3] %= 12
		if pm == 1 {
			p[3] += 12
		}
	}
	t, err := buildDateTime(p)
	if err != nil {
		return nil, err
	}
	if yday > 0 {
		t = t.AddDate(0, 0, yday-t.YearDay())
	}
	if tz != nil {
		return pyDateTime{t: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), tz.loc), tz: tz}, nil
	}
	return pyDateTime{t: t}, nil
}

// fromISO is datetime.fromisoformat (Python 3.11's): a date, or a date,
// T or a space and a time (HH[:MM[:SS[.f...]]]), with Z or an offset.
func fromISO(s string) (any, error) {
	bad := fmt.Errorf("Invalid isoformat string: %s", pyQuoted(s))
	if len(s) < 10 {
		if len(s) == 8 {
			if t, err := time.Parse("20060102", s); err == nil {
				return pyDateTime{t: t}, nil
			}
		}
		return nil, bad
	}
	d, err := time.Parse("2006-01-02", s[:10])
	if err != nil {
		return nil, bad
	}
	p := parts(d)
	rest := s[10:]
	var tz *pyTZ
	if rest != "" {
		if rest[0] != 'T' && rest[0] != ' ' {
			return nil, bad
		}
		rest = rest[1:]
		if strings.HasSuffix(rest, "Z") {
			tz, rest = fixedTZ(0), rest[:len(rest)-1]
		} else if k := strings.LastIndexAny(rest, "+-"); k > 0 {
			off := rest[k+1:]
			sign := 1
			if rest[k] == '-' {
				sign = -1
			}
			off = strings.ReplaceAll(off, ":", "")
			if len(off) != 2 && len(off) != 4 && len(off) != 6 {
				return nil, bad
			}
			secs := 0
			for j, mul := range []int{3600, 60, 1} {
				if 2*j+2 <= len(off) {
					n, err := strconv.Atoi(off[2*j : 2*j+2])
					if err != nil {
						return nil, bad
					}
					secs += n * mul
				}
			}
			tz, rest = fixedTZ(sign*secs), rest[:k]
		}
		frac := ""
		if k := strings.IndexAny(rest, ".,"); k >= 0 {
			rest, frac = rest[:k], rest[k+1:]
		}
		fields := strings.Split(rest, ":")
		if len(fields) == 1 && len(rest) > 2 { // HHMM[SS]
			fields = nil
			for j := 0; j < len(rest); j += 2 {
				fields = append(fields, rest[j:min(j+2, len(rest))])
			}
		}
		if len(fields) > 3 || len(frac) > 0 && len(fields) != 3 {
			return nil, bad
		}
		for j, x := range fields {
			n, err := strconv.Atoi(x)
			if err != nil || len(x) != 2 {
				return nil, bad
			}
			p[3+j] = n
		}
		if frac != "" {
			if len(frac) > 6 {
				frac = frac[:6]
			}
			n, err := strconv.Atoi(frac)
			if err != nil {
				return nil, bad
			}
			for d := len(frac); d < 6; d++ {
				n *= 10
			}
			p[6] = n
		}
	}
	t, err := buildDateTime(p)
	if err != nil {
		return nil, err
	}
	if tz != nil {
		return pyDateTime{t: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), tz.loc), tz: tz}, nil
	}
	return pyDateTime{t: t}, nil
}
