package compiler

import (
	"fmt"
	"strings"
	"time"
)

// setDeprecationDate sets a model's deprecation_date from its YAML value
// (v, as decoded; text, its scalar as written), or reports one that is not
// a date where the entry is (file, line), as dbt refuses it.
func (c *compilation) setDeprecationDate(file string, line int, n *Node, v any, text string) {
	if _, parsed := v.(time.Time); !parsed || text == "" {
		// a string (quoted, or rendered from a template): as it reads
		text, _ = v.(string)
	}
	s, ok := deprecationDate(text)
	if !ok {
		d := errorf(file, line, 0, "model %q: deprecation_date %v is not a date", n.Name, v)
		d.Detail = "expected a date such as 2026-06-30, or a time: 2026-06-30 12:00:00, 2026-06-30 12:00:00+02:00"
		c.addDiag(d)
		return
	}
	n.DeprecationDate = s
}

// deprecationLayouts are the forms dbt takes: a date, or a date and time
// (a space or a T between), fractional seconds and an offset optional.
var deprecationLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

// deprecationDate formats a deprecation_date as dbt's manifest writes it
// (Python's isoformat): 2026-06-30T00:00:00+00:00, with microseconds when
// there are any; one without an offset is a time of the local time zone,
// as dbt takes it.
func deprecationDate(text string) (string, bool) {
	text = strings.TrimSpace(text)
	if len(text) > 10 && (text[10] == ' ' || text[10] == 't') {
		text = text[:10] + "T" + text[11:]
	}
	for _, layout := range deprecationLayouts {
		t, err := time.ParseInLocation(layout, text, time.Local)
		if err != nil {
			continue
		}
		out := t.Format("2006-01-02T15:04:05")
		if us := t.Nanosecond() / 1000; us != 0 {
			out += fmt.Sprintf(".%06d", us)
		}
		return out + t.Format("-07:00"), true
	}
	return "", false
}
