package compiler

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// setDeprecationDate sets a model's deprecation_date from its YAML value
// (v, as decoded; text, its scalar as written), or reports one that is not
// a date where it is written (file, line), as dbt refuses it.
func (c *compilation) setDeprecationDate(file string, line int, n *Node, v any, text string) {
	if _, parsed := v.(time.Time); !parsed || text == "" {
		// a string (quoted, or rendered from a template): as it reads
		text, _ = v.(string)
	}
	s, ok := deprecationDate(text)
	if !ok {
		shown := text
		if shown == "" {
			shown = fmt.Sprint(v)
		}
		d := errorf(file, line, 0, "model %q: deprecation_date %s is not a date", n.Name, shown)
		d.Detail = "expected a date such as 2026-06-30, or a time: 2026-06-30 12:00:00, 2026-06-30 12:00:00+02:00"
		c.addDiag(d)
		return
	}
	n.DeprecationDate = s
}

// timestampRE is YAML 1.1's timestamp as PyYAML (which dbt loads YAML
// with) reads it: a date, or a date and time (a T, or spaces, between;
// one-digit month, day and hour; a fraction; an offset after optional
// spaces, of one or two digits of hours). It takes a little more, which
// dbt takes from a string (its parser, dateutil's, takes any date): a
// one-digit month and day in a date alone (a string to PyYAML), a time
// without seconds, an offset without its colon.
var timestampRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d)(?::(\d\d)(?:\.(\d*))?)?(?:[ \t]*([Zz]|[-+]\d\d?(?::?\d\d)?))?)?$`)
})

// deprecationDate formats a deprecation_date as dbt's manifest writes it
// (Python's isoformat of normalize_date's): 2026-06-30T00:00:00+00:00,
// with microseconds when there are any; one without an offset is a time
// of the local time zone, found as Python's astimezone() finds it (a
// time a clock change skips, or shows twice: pythonLocal).
func deprecationDate(text string) (string, bool) {
	m := timestampRE().FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return "", false
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	year, month, day := num(m[1]), num(m[2]), num(m[3])
	hour, minute, sec, us := num(m[4]), num(m[5]), num(m[6]), 0
	if frac := m[7]; frac != "" {
		frac = (frac + "000000")[:6] // cut to microseconds, as Python's datetime keeps them
		us = num(frac)
	}
	wall := time.Date(year, time.Month(month), day, hour, minute, sec, us*1000, time.UTC)
	if year < 1 || month < 1 || month > 12 || day < 1 || wall.Day() != day || hour > 23 || minute > 59 || sec > 59 {
		return "", false // February 30th, 24:00, a leap second: Python has none
	}
	var t time.Time
	switch off := m[8]; {
	case off == "":
		t = pythonLocal(wall, time.Local)
	case off == "Z" || off == "z":
		t = wall
	default:
		h, mm := off[1:], ""
		if i := strings.IndexByte(h, ':'); i >= 0 {
			h, mm = h[:i], h[i+1:]
		} else if len(h) > 2 {
			h, mm = h[:len(h)-2], h[len(h)-2:]
		}
		secs := num(h)*3600 + num(mm)*60
		if num(h) > 23 || num(mm) > 59 {
			return "", false // Python's offsets are under a day
		}
		if off[0] == '-' {
			secs = -secs
		}
		t = time.Date(year, time.Month(month), day, hour, minute, sec, us*1000, time.FixedZone("", secs))
	}
	return isoformat(t, us), true
}

// isoformat writes t as Python's datetime.isoformat() does: microseconds
// (us) when there are any, the offset as +HH:MM, with its seconds when
// it has some (a local mean time of old: Paris before 1911, +00:09:21).
func isoformat(t time.Time, us int) string {
	out := t.Format("2006-01-02T15:04:05")
	if us != 0 {
		out += fmt.Sprintf(".%06d", us)
	}
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	out += fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		out += fmt.Sprintf(":%02d", off%60)
	}
	return out
}

// pythonLocal is the time Python's datetime.astimezone() makes of a naive
// time (wall, a clock reading held in UTC) in the time zone loc: it finds
// the instant whose local reading wall is (of two, a clock turned back,
// the earlier; of none, a clock turned forward past it, the later of the
// two the offsets on either side give), takes the offset there, and
// shows wall less that offset in loc (which, in a gap, is not wall: 02:30
// on the night Paris skips 02:00-03:00 is 01:30+01:00, where Go's
// time.Date gives 03:30+02:00).
func pythonLocal(wall time.Time, loc *time.Location) time.Time {
	offset := func(u int64) int64 {
		_, off := time.Unix(u, 0).In(loc).Zone()
		return int64(off)
	}
	t := wall.Unix()
	reading := func(u int64) int64 { return u + offset(u) } // the local clock at instant u, as seconds
	u := func() int64 {
		a := offset(t)
		u1 := t - a
		t1 := reading(u1)
		var b int64
		if t1 == t {
			// one instant has that reading: an earlier one, with the
			// offset of a day before?
			if b = offset(u1 - 24*3600); a == b {
				return u1
			}
		} else {
			b = t1 - u1
		}
		u2 := t - b
		switch {
		case reading(u2) == t:
			return u2
		case t1 == t:
			return u1
		}
		return max(u1, u2) // in the gap
	}()
	return time.Unix(t-offset(u), int64(wall.Nanosecond())).In(loc)
}
