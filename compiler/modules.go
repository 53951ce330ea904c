package compiler

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler/jinja"
)

// modulesValue is dbt's `modules`: the parts of Python's datetime, re and
// itertools that templates use. Regular expressions are Go's (RE2): no
// backreferences or lookaround.
var modulesValue = map[string]any{
	"datetime": map[string]any{
		"datetime": map[string]any{
			"now":    jinja.Func(func([]any, map[string]any) (any, error) { return dateTime{t: time.Now()}, nil }),
			"utcnow": jinja.Func(func([]any, map[string]any) (any, error) { return dateTime{t: time.Now().UTC()}, nil }),
		},
		"date": map[string]any{
			"today": jinja.Func(func([]any, map[string]any) (any, error) { return dateTime{t: time.Now(), date: true}, nil }),
		},
		"timedelta": jinja.Func(timedelta),
	},
	"re": reModule(nil),
	"itertools": map[string]any{
		"chain":   jinja.Func(chain),
		"product": jinja.Func(product),
	},
}

// dateTime is a Python datetime (or date): printed as Python prints it,
// with strftime, isoformat and its fields; a timedelta added or taken away.
type dateTime struct {
	t    time.Time
	date bool
}

func (d dateTime) String() string {
	if d.date {
		return d.t.Format("2006-01-02")
	}
	if d.t.Nanosecond() == 0 {
		return d.t.Format("2006-01-02 15:04:05")
	}
	return d.t.Format("2006-01-02 15:04:05.000000")
}

func (d dateTime) Attr(name string) (any, bool) {
	switch name {
	case "year":
		return d.t.Year(), true
	case "month":
		return int(d.t.Month()), true
	case "day":
		return d.t.Day(), true
	case "hour":
		return d.t.Hour(), true
	case "minute":
		return d.t.Minute(), true
	case "second":
		return d.t.Second(), true
	case "strftime":
		return jinja.Func(func(args []any, _ map[string]any) (any, error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("strftime() takes a format")
			}
			return strftime(d.t, jinja.Str(args[0])), nil
		}), true
	case "isoformat":
		return jinja.Func(func([]any, map[string]any) (any, error) {
			if d.date {
				return d.t.Format("2006-01-02"), nil
			}
			return d.t.Format("2006-01-02T15:04:05.999999"), nil
		}), true
	case "date":
		return jinja.Func(func([]any, map[string]any) (any, error) { return dateTime{t: d.t, date: true}, nil }), true
	}
	return nil, false
}

// Arith adds or takes away a timedelta; two datetimes give one.
func (d dateTime) Arith(op string, r any) (any, bool, error) {
	switch x := r.(type) {
	case delta:
		switch op {
		case "+":
			return dateTime{t: d.t.Add(time.Duration(x)), date: d.date}, true, nil
		case "-":
			return dateTime{t: d.t.Add(-time.Duration(x)), date: d.date}, true, nil
		}
	case dateTime:
		if op == "-" {
			return delta(d.t.Sub(x.t)), true, nil
		}
	}
	return nil, false, nil
}

// delta is a Python timedelta.
type delta time.Duration

func (d delta) Attr(name string) (any, bool) {
	switch name {
	case "days":
		return int(time.Duration(d).Hours() / 24), true
	case "seconds":
		return int(time.Duration(d).Seconds()) % 86400, true
	case "total_seconds":
		return jinja.Func(func([]any, map[string]any) (any, error) { return time.Duration(d).Seconds(), nil }), true
	}
	return nil, false
}

func timedelta(args []any, kw map[string]any) (any, error) {
	units := []struct {
		name string
		d    time.Duration
	}{{"days", 24 * time.Hour}, {"seconds", time.Second}, {"microseconds", time.Microsecond},
		{"milliseconds", time.Millisecond}, {"minutes", time.Minute}, {"hours", time.Hour}, {"weeks", 7 * 24 * time.Hour}}
	var total time.Duration
	for i, u := range units {
		var v any
		if i < len(args) {
			v = args[i]
		} else if x, ok := kw[u.name]; ok {
			v = x
		} else {
			continue
		}
		f, ok := v.(float64)
		if n, isInt := v.(int); isInt {
			f, ok = float64(n), true
		}
		if !ok {
			return nil, fmt.Errorf("timedelta(%s=...) needs a number, got %v", u.name, v)
		}
		total += time.Duration(f * float64(u.d))
	}
	return delta(total), nil
}

// strftime formats t with Python's directives.
func strftime(t time.Time, f string) string {
	repl := map[byte]string{'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'H': "15", 'I': "03", 'M': "04", 'S': "05",
		'p': "PM", 'b': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'z': "-0700", 'Z': "MST", 'f': ".000000"}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch c := f[i]; c {
		case '%':
			b.WriteByte('%')
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'f':
			fmt.Fprintf(&b, "%06d", t.Nanosecond()/1000)
		default:
			if layout, ok := repl[c]; ok {
				b.WriteString(t.Format(layout))
			} else {
				b.WriteByte('%')
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

func chain(args []any, _ map[string]any) (any, error) {
	var out []any
	for _, a := range args {
		items, ok := jinja.Native(a).([]any)
		if !ok {
			return nil, fmt.Errorf("itertools.chain() takes sequences")
		}
		out = append(out, items...)
	}
	return &jinja.List{Items: out}, nil
}

func product(args []any, _ map[string]any) (any, error) {
	out := [][]any{{}}
	for _, a := range args {
		items, ok := jinja.Native(a).([]any)
		if !ok {
			return nil, fmt.Errorf("itertools.product() takes sequences")
		}
		var next [][]any
		for _, prefix := range out {
			for _, x := range items {
				next = append(next, append(append([]any{}, prefix...), x))
			}
		}
		out = next
	}
	lists := make([]any, len(out))
	for i, t := range out {
		lists[i] = &jinja.List{Items: t, Tuple: true}
	}
	return &jinja.List{Items: lists}, nil
}

// reModule is Python's re (or a compiled pattern, when re is given): match,
// search, sub, findall, split, compile.
func reModule(re *regexp.Regexp) map[string]any {
	pattern := func(args []any) (*regexp.Regexp, []any, error) {
		if re != nil {
			return re, args, nil
		}
		if len(args) == 0 {
			return nil, nil, fmt.Errorf("re: the pattern is missing")
		}
		p, err := regexp.Compile(jinja.Str(args[0]))
		if err != nil {
			return nil, nil, fmt.Errorf("re: %v (patterns are Go's RE2 syntax)", err)
		}
		return p, args[1:], nil
	}
	match := func(anchored bool) jinja.Func {
		return func(args []any, _ map[string]any) (any, error) {
			p, rest, err := pattern(args)
			if err != nil || len(rest) == 0 {
				return nil, firstErrOr(err, "re: the string is missing")
			}
			s := jinja.Str(rest[0])
			loc := p.FindStringSubmatchIndex(s)
			if loc == nil || anchored && loc[0] != 0 {
				return nil, nil
			}
			return reMatch{s: s, loc: loc}, nil
		}
	}
	return map[string]any{
		"match":  match(true),
		"search": match(false),
		"sub": jinja.Func(func(args []any, _ map[string]any) (any, error) {
			p, rest, err := pattern(args)
			if err != nil || len(rest) < 2 {
				return nil, firstErrOr(err, "re.sub() takes a pattern, a replacement and a string")
			}
			repl := regexp.MustCompile(`\\(\d)`).ReplaceAllString(jinja.Str(rest[0]), "$${$1}")
			return p.ReplaceAllString(jinja.Str(rest[1]), repl), nil
		}),
		"findall": jinja.Func(func(args []any, _ map[string]any) (any, error) {
			p, rest, err := pattern(args)
			if err != nil || len(rest) == 0 {
				return nil, firstErrOr(err, "re.findall() takes a pattern and a string")
			}
			var out []any
			for _, m := range p.FindAllStringSubmatch(jinja.Str(rest[0]), -1) {
				if len(m) == 2 {
					out = append(out, m[1])
				} else {
					out = append(out, m[0])
				}
			}
			return &jinja.List{Items: out}, nil
		}),
		"split": jinja.Func(func(args []any, _ map[string]any) (any, error) {
			p, rest, err := pattern(args)
			if err != nil || len(rest) == 0 {
				return nil, firstErrOr(err, "re.split() takes a pattern and a string")
			}
			parts := p.Split(jinja.Str(rest[0]), -1)
			out := make([]any, len(parts))
			for i, x := range parts {
				out[i] = x
			}
			return &jinja.List{Items: out}, nil
		}),
		"compile": jinja.Func(func(args []any, _ map[string]any) (any, error) {
			p, _, err := pattern(args)
			if err != nil {
				return nil, err
			}
			return reModule(p), nil
		}),
	}
}

// reMatch is a match object: group(n), groups().
type reMatch struct {
	s   string
	loc []int
}

func (m reMatch) Attr(name string) (any, bool) {
	group := func(i int) any {
		if 2*i+1 >= len(m.loc) || m.loc[2*i] < 0 {
			return nil
		}
		return m.s[m.loc[2*i]:m.loc[2*i+1]]
	}
	switch name {
	case "group":
		return jinja.Func(func(args []any, _ map[string]any) (any, error) {
			i := 0
			if len(args) > 0 {
				n, ok := args[0].(int)
				if !ok {
					return nil, fmt.Errorf("group() takes a group number")
				}
				i = n
			}
			return group(i), nil
		}), true
	case "groups":
		return jinja.Func(func([]any, map[string]any) (any, error) {
			var out []any
			for i := 1; 2*i < len(m.loc); i++ {
				out = append(out, group(i))
			}
			return &jinja.List{Items: out, Tuple: true}, nil
		}), true
	}
	return nil, false
}

func firstErrOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%s", msg)
}
