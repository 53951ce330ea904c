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

// timestampRE is YAML 1.1's timestamp, as PyYAML (which dbt loads YAML
// with) reads it: a date, or a date and time (a T, or spaces, between;
// one-digit month, day and hour; a fraction; an offset after optional
// spaces, of one or two digits of hours).
var timestampRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d\d?(?::\d\d)?))?)?$`)
})

// deprecationDate formats a deprecation_date as dbt's manifest writes it
// (Python's isoformat of normalize_date's): 2026-06-30T00:00:00+00:00,
// with microseconds when there are any; one without an offset is a time
// of the local time zone, as dbt takes it. text is a YAML timestamp, or
// ISO 8601 (with a T, and an offset of two-digit hours and minutes).
func deprecationDate(text string) (string, bool) {
	text = strings.TrimSpace(text)
	m := timestampRE().FindStringSubmatch(text)
	if m == nil || len(m[2]) != 2 && m[4] == "" || len(m[3]) != 2 && m[4] == "" { // a date alone is YYYY-MM-DD
		return "", false
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	year, month, day := num(m[1]), num(m[2]), num(m[3])
	hour, minute, sec, us := num(m[4]), num(m[5]), num(m[6]), 0
	if frac := m[7]; frac != "" {
		frac = (frac + "000000")[:6] // cut to microseconds, as Python's datetime keeps them
		us = num(frac)
	}
	loc := time.Local
	switch off := m[8]; {
	case off == "Z":
		loc = time.UTC
	case off != "":
		h, mm, _ := strings.Cut(off[1:], ":")
		secs := num(h)*3600 + num(mm)*60
		if off[0] == '-' {
			secs = -secs
		}
		loc = time.FixedZone("", secs)
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return "", false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, us*1000, loc)
	if t.Day() != day { // February 30th
		return "", false
	}
	out := t.Format("2006-01-02T15:04:05")
	if us != 0 {
		out += fmt.Sprintf(".%06d", us)
	}
	return out + t.Format("-07:00"), true
}
