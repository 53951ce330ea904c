package compiler

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler/jinja"
)

// Python's datetime module and pytz, as dbt's `modules` offers them (its
// get_context_modules: datetime's date, datetime, time, timedelta and
// tzinfo; pytz's __all__) and as run_started_at is one of them (a
// datetime in pytz.utc). Values print as Python's str() prints them;
// strftime and strptime take Python's % directives (glibc's, as on Linux).
//
// An aware datetime keeps its zone (tz) and the fixed offset it has at
// its instant, as pytz's localize and astimezone give it: arithmetic keeps
// that offset until normalize() or astimezone() picks the zone's offset
// again, as with pytz. A naive datetime has no tz; its wall clock is t's
// in UTC.

// pyClass is one of the module's classes: called, it constructs; its
// attributes are its class methods.
type pyClass struct {
	name  string
	new   jinja.Func
	attrs map[string]any
}

// TypeName names the types in messages as Python does.
func (c *pyClass) TypeName() string   { return "type" }
func (z *pyTZ) TypeName() string      { return "tzinfo" }
func (d pyDateTime) TypeName() string { return "datetime.datetime" }
func (d pyDate) TypeName() string     { return "datetime.date" }
func (t pyTime) TypeName() string     { return "datetime.time" }
func (x delta) TypeName() string      { return "datetime.timedelta" }

func (c *pyClass) Call(args []any, kw map[string]any) (any, error) { return c.new(args, kw) }
func (c *pyClass) String() string                                  { return "<class '" + c.name + "'>" }
func (c *pyClass) Attr(name string) (any, bool) {
	v, ok := c.attrs[name]
	return v, ok
}

// pyTZ is a tzinfo: pytz.utc, a pytz.timezone(name), a pytz.FixedOffset,
// or the fixed offset strptime's %z or fromisoformat read (Python's
// datetime.timezone).
type pyTZ struct {
	name string // what str() prints
	zone string // pytz's .zone (none for a fixed offset)
	loc  *time.Location
}

var pytzUTC = &pyTZ{name: "UTC", zone: "UTC", loc: time.UTC}

func (z *pyTZ) String() string { return z.name }

// at is the instant in the zone, with the offset the zone has then.
func (z *pyTZ) at(instant time.Time) time.Time {
	u := instant.In(z.loc)
	name, off := u.Zone()
	return u.In(time.FixedZone(name, off))
}

// localize makes a naive wall clock aware in the zone.
func (z *pyTZ) localize(wall time.Time) time.Time {
	return z.at(time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), z.loc))
}

func (z *pyTZ) Attr(name string) (any, bool) {
	dtArg := func(method string, f func(d pyDateTime) (any, error)) jinja.Func {
		return func(args []any, kw map[string]any) (any, error) {
			if len(args) == 0 {
				args = []any{kw["dt"]}
			}
			d, ok := args[0].(pyDateTime)
			if !ok {
				return nil, fmt.Errorf("%s() takes a datetime, not %s", method, jinja.Str(args[0]))
			}
			return f(d)
		}
	}
	switch name {
	case "zone":
		if z.zone == "" {
			return nil, true
		}
		return z.zone, true
	case "localize":
		return dtArg("localize", func(d pyDateTime) (any, error) {
			if d.tz != nil {
				return nil, fmt.Errorf("Not naive datetime (tzinfo is already set)")
			}
			return pyDateTime{t: z.localize(d.t), tz: z}, nil
		}), true
	case "normalize":
		return dtArg("normalize", func(d pyDateTime) (any, error) {
			if d.tz == nil {
				return nil, fmt.Errorf("Naive time - no tzinfo set")
			}
			return pyDateTime{t: z.at(d.t), tz: z}, nil
		}), true
	case "utcoffset", "tzname":
		return dtArg(name, func(d pyDateTime) (any, error) {
			t := z.localize(d.t)
			if d.tz != nil {
				t = z.at(d.t)
			}
			n, off := t.Zone()
			if name == "tzname" {
				return n, nil
			}
			return delta(time.Duration(off) * time.Second), nil
		}), true
	}
	return nil, false
}

// fixedTZ is Python's datetime.timezone of an offset: str() "UTC" or
// "UTC+01:00".
func fixedTZ(off int) *pyTZ {
	if off == 0 {
		return &pyTZ{name: "UTC", loc: time.FixedZone("UTC", 0)}
	}
	name := "UTC" + offsetText(off, true)
	return &pyTZ{name: name, loc: time.FixedZone(name, off)}
}

// offsetText is +HH:MM (colon) or +HHMM, with :SS when it has seconds.
func offsetText(off int, colon bool) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	sep := ""
	if colon {
		sep = ":"
	}
	s := fmt.Sprintf("%c%02d%s%02d", sign, off/3600, sep, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf("%s%02d", sep, off%60)
	}
	return s
}

// pyDateTime is a datetime.
type pyDateTime struct {
	t  time.Time
	tz *pyTZ // nil: naive
}

// pyDate is a date (t at midnight, UTC).
type pyDate struct{ t time.Time }

// pyTime is a time of day (t on 1 January 1900, UTC).
type pyTime struct {
	t  time.Time
	tz *pyTZ
}

// delta is a timedelta, to the microsecond.
type delta time.Duration

func newDate(y, m, d int) pyDate {
	return pyDate{t: time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)}
}

func (d pyDateTime) String() string { return d.iso(" ", "auto") }

func (d pyDateTime) iso(sep, timespec string) string {
	s := d.t.Format("2006-01-02") + sep + clock(d.t, timespec)
	if d.tz != nil {
		_, off := d.t.Zone()
		s += offsetText(off, true)
	}
	return s
}

// clock is HH:MM:SS[.ffffff] as Python's isoformat writes it for a
// timespec.
func clock(t time.Time, timespec string) string {
	us := t.Nanosecond() / 1000
	switch timespec {
	case "hours":
		return fmt.Sprintf("%02d", t.Hour())
	case "minutes":
		return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute())
	case "seconds":
		return fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	case "milliseconds":
		return fmt.Sprintf("%02d:%02d:%02d.%03d", t.Hour(), t.Minute(), t.Second(), us/1000)
	case "microseconds":
		return fmt.Sprintf("%02d:%02d:%02d.%06d", t.Hour(), t.Minute(), t.Second(), us)
	}
	if us != 0 {
		return fmt.Sprintf("%02d:%02d:%02d.%06d", t.Hour(), t.Minute(), t.Second(), us)
	}
	return fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
}

func (d pyDate) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.t.Year(), d.t.Month(), d.t.Day())
}

func (t pyTime) String() string { return t.iso("auto") }

func (t pyTime) iso(timespec string) string {
	s := clock(t.t, timespec)
	if t.tz != nil {
		_, off := t.tz.at(time.Now()).Zone()
		s += offsetText(off, true)
	}
	return s
}

func (x delta) String() string {
	us := int64(time.Duration(x) / time.Microsecond)
	days := floorDiv(us, 86400e6)
	rest := us - days*86400e6
	secs, micro := rest/1e6, rest%1e6
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if days != 0 {
		plural := "s"
		if days == 1 || days == -1 {
			plural = ""
		}
		s = fmt.Sprintf("%d day%s, ", days, plural) + s
	}
	if micro != 0 {
		s += fmt.Sprintf(".%06d", micro)
	}
	return s
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// method is a value's method of fixed arity.
func method(name string, lo, hi int, f func(args []any, kw map[string]any) (any, error)) jinja.Func {
	return func(args []any, kw map[string]any) (any, error) {
		if len(args) < lo || len(args) > hi {
			return nil, fmt.Errorf("%s() takes %d to %d arguments, got %d", name, lo, hi, len(args))
		}
		return f(args, kw)
	}
}

// arg is the i-th argument or the keyword name, else def.
func arg(args []any, kw map[string]any, i int, name string, def any) any {
	if i < len(args) {
		return args[i]
	}
	if v, ok := kw[name]; ok {
		return v
	}
	return def
}

func intArg(v any, what string) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case bool:
		if n {
			return 1, nil
		}
		return 0, nil
	}
	if n, ok := jinja.Native(v).(int); ok {
		return n, nil
	}
	return 0, fmt.Errorf("'%s' must be an integer, not %s", what, jinja.Str(v))
}

func numArg(v any) (float64, bool) {
	switch n := jinja.Native(v).(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func tzArg(v any) (*pyTZ, error) {
	switch z := v.(type) {
	case nil:
		return nil, nil
	case *pyTZ:
		return z, nil
	case jinja.Undefined:
		return nil, nil
	}
	return nil, fmt.Errorf("tzinfo argument must be None or of a tzinfo subclass, not %s", jinja.Str(v))
}

// fields are a datetime's parts by name, for the constructor and replace().
var fieldNames = []string{"year", "month", "day", "hour", "minute", "second", "microsecond"}

// buildDateTime checks the parts as Python does.
func buildDateTime(p [7]int) (time.Time, error) {
	y, m, d, h, mi, s, us := p[0], p[1], p[2], p[3], p[4], p[5], p[6]
	switch {
	case y < 1 || y > 9999:
		return time.Time{}, fmt.Errorf("year %d is out of range", y)
	case m < 1 || m > 12:
		return time.Time{}, fmt.Errorf("month must be in 1..12")
	case d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day():
		return time.Time{}, fmt.Errorf("day is out of range for month")
	case h < 0 || h > 23:
		return time.Time{}, fmt.Errorf("hour must be in 0..23")
	case mi < 0 || mi > 59:
		return time.Time{}, fmt.Errorf("minute must be in 0..59")
	case s < 0 || s > 59:
		return time.Time{}, fmt.Errorf("second must be in 0..59")
	case us < 0 || us > 999999:
		return time.Time{}, fmt.Errorf("microsecond must be in 0..999999")
	}
	return time.Date(y, time.Month(m), d, h, mi, s, us*1000, time.UTC), nil
}

func parts(t time.Time) [7]int {
	return [7]int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}
}

// setParts reads the parts from positional arguments (from first) and
// keywords over base.
func setParts(base [7]int, args []any, kw map[string]any, first, n int) ([7]int, error) {
	for i := first; i < n; i++ {
		v, ok := kw[fieldNames[i]]
		if j := i - first; j < len(args) {
			v, ok = args[j], true
		}
		if !ok {
			continue
		}
		x, err := intArg(v, fieldNames[i])
		if err != nil {
			return base, err
		}
		base[i] = x
	}
	return base, nil
}

func newDateTime(args []any, kw map[string]any) (any, error) {
	if len(args) > 8 {
		return nil, fmt.Errorf("datetime() takes at most 8 arguments")
	}
	for _, f := range fieldNames[:3] {
		if i := indexOf(fieldNames, f); i >= len(args) {
			if _, ok := kw[f]; !ok {
				return nil, fmt.Errorf("datetime() missing required argument '%s' (pos %d)", f, i+1)
			}
		}
	}
	p, err := setParts([7]int{0, 1, 1}, args, kw, 0, 7)
	if err != nil {
		return nil, err
	}
	t, err := buildDateTime(p)
	if err != nil {
		return nil, err
	}
	tz, err := tzArg(arg(args, kw, 7, "tzinfo", nil))
	if err != nil {
		return nil, err
	}
	return withTZ(t, tz), nil
}

// withTZ makes the wall clock t a datetime with tzinfo tz (none: naive).
func withTZ(t time.Time, tz *pyTZ) pyDateTime {
	if tz == nil {
		return pyDateTime{t: t}
	}
	return pyDateTime{t: tz.localize(t), tz: tz}
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// wall is the naive wall clock of t, in UTC.
func wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// localTZ is the system's zone, as astimezone() without an argument gives
// it (a fixed offset named by its abbreviation).
func localTZ(at time.Time) *pyTZ {
	name, off := at.In(time.Local).Zone()
	return &pyTZ{name: name, loc: time.FixedZone(name, off)}
}

// instant is the moment d names: a naive one is the system's local time,
// as Python's astimezone() and timestamp() take it.
func (d pyDateTime) instant() time.Time {
	if d.tz != nil {
		return d.t
	}
	return time.Date(d.t.Year(), d.t.Month(), d.t.Day(), d.t.Hour(), d.t.Minute(), d.t.Second(), d.t.Nanosecond(), time.Local)
}

func (d pyDateTime) Attr(name string) (any, bool) {
	switch name {
	case "year", "month", "day", "hour", "minute", "second", "microsecond":
		return parts(d.t)[indexOf(fieldNames, name)], true
	case "tzinfo":
		if d.tz == nil {
			return nil, true
		}
		return d.tz, true
	case "strftime":
		return method(name, 1, 1, func(args []any, _ map[string]any) (any, error) {
			return strftime(d.t, d.tz != nil, jinja.Str(args[0])), nil
		}), true
	case "isoformat":
		return method(name, 0, 2, func(args []any, kw map[string]any) (any, error) {
			return d.iso(jinja.Str(arg(args, kw, 0, "sep", "T")), jinja.Str(arg(args, kw, 1, "timespec", "auto"))), nil
		}), true
	case "date":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) {
			return newDate(d.t.Year(), int(d.t.Month()), d.t.Day()), nil
		}), true
	case "time", "timetz":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) {
			t := pyTime{t: time.Date(1900, 1, 1, d.t.Hour(), d.t.Minute(), d.t.Second(), d.t.Nanosecond(), time.UTC)}
			if name == "timetz" {
				t.tz = d.tz
			}
			return t, nil
		}), true
	case "replace":
		return method(name, 0, 8, func(args []any, kw map[string]any) (any, error) {
			p, err := setParts(parts(d.t), args, kw, 0, 7)
			if err != nil {
				return nil, err
			}
			t, err := buildDateTime(p)
			if err != nil {
				return nil, err
			}
			tz := d.tz
			if v, ok := kw["tzinfo"]; ok || len(args) > 7 {
				if tz, err = tzArg(arg(args, kw, 7, "tzinfo", v)); err != nil {
					return nil, err
				}
			}
			if tz != nil && tz == d.tz {
				// the same tzinfo: the same fixed offset (Python's replace)
				return pyDateTime{t: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), d.t.Location()), tz: tz}, nil
			}
			return withTZ(t, tz), nil
		}), true
	case "astimezone":
		return method(name, 0, 1, func(args []any, kw map[string]any) (any, error) {
			tz, err := tzArg(arg(args, kw, 0, "tz", nil))
			if err != nil {
				return nil, err
			}
			if tz == nil {
				tz = localTZ(d.instant())
			}
			return pyDateTime{t: tz.at(d.instant()), tz: tz}, nil
		}), true
	case "timestamp":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) {
			t := d.instant()
			return float64(t.Unix()) + float64(t.Nanosecond()/1000)/1e6, nil
		}), true
	case "utcoffset", "tzname", "dst":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) {
			if d.tz == nil {
				return nil, nil
			}
			n, off := d.t.Zone()
			switch name {
			case "tzname":
				return n, nil
			case "dst":
				if d.t.In(d.tz.loc).IsDST() {
					_, std := time.Date(d.t.Year(), 1, 1, 0, 0, 0, 0, d.tz.loc).Zone()
					return delta(time.Duration(off-std) * time.Second), nil
				}
				return delta(0), nil
			}
			return delta(time.Duration(off) * time.Second), nil
		}), true
	}
	return dateMethod(d.t, name)
}

// dateMethod is what dates and datetimes share.
func dateMethod(t time.Time, name string) (any, bool) {
	switch name {
	case "weekday":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) { return (int(t.Weekday()) + 6) % 7, nil }), true
	case "isoweekday":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) { return (int(t.Weekday())+6)%7 + 1, nil }), true
	case "isocalendar":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) {
			y, w := t.ISOWeek()
			return &jinja.List{Items: []any{y, w, (int(t.Weekday())+6)%7 + 1}, Tuple: true}, nil
		}), true
	case "toordinal":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) { return ordinal(t), nil }), true
	case "ctime":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) { return strftime(t, false, "%c"), nil }), true
	}
	return nil, false
}

// ordinal is Python's toordinal: 1 January of year 1 is 1 (1970-01-01
// is 719163).
func ordinal(t time.Time) int {
	return int(floorDiv(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix(), 86400)) + 719163
}

func (d pyDate) Attr(name string) (any, bool) {
	switch name {
	case "year":
		return d.t.Year(), true
	case "month":
		return int(d.t.Month()), true
	case "day":
		return d.t.Day(), true
	case "strftime":
		return method(name, 1, 1, func(args []any, _ map[string]any) (any, error) {
			return strftime(d.t, false, jinja.Str(args[0])), nil
		}), true
	case "isoformat":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) { return d.String(), nil }), true
	case "replace":
		return method(name, 0, 3, func(args []any, kw map[string]any) (any, error) {
			p, err := setParts(parts(d.t), args, kw, 0, 3)
			if err != nil {
				return nil, err
			}
			t, err := buildDateTime(p)
			if err != nil {
				return nil, err
			}
			return pyDate{t: t}, nil
		}), true
	}
	return dateMethod(d.t, name)
}

func (t pyTime) Attr(name string) (any, bool) {
	switch name {
	case "hour", "minute", "second", "microsecond":
		return parts(t.t)[indexOf(fieldNames, name)], true
	case "tzinfo":
		if t.tz == nil {
			return nil, true
		}
		return t.tz, true
	case "isoformat":
		return method(name, 0, 1, func(args []any, kw map[string]any) (any, error) {
			return t.iso(jinja.Str(arg(args, kw, 0, "timespec", "auto"))), nil
		}), true
	case "strftime":
		return method(name, 1, 1, func(args []any, _ map[string]any) (any, error) {
			return strftime(t.t, false, jinja.Str(args[0])), nil
		}), true
	case "replace":
		return method(name, 0, 4, func(args []any, kw map[string]any) (any, error) {
			p, err := setParts(parts(t.t), args, kw, 3, 7)
			if err != nil {
				return nil, err
			}
			u, err := buildDateTime(p)
			if err != nil {
				return nil, err
			}
			return pyTime{t: u, tz: t.tz}, nil
		}), true
	}
	return nil, false
}

func (x delta) Attr(name string) (any, bool) {
	us := int64(time.Duration(x) / time.Microsecond)
	days := floorDiv(us, 86400e6)
	rest := us - days*86400e6
	switch name {
	case "days":
		return int(days), true
	case "seconds":
		return int(rest / 1e6), true
	case "microseconds":
		return int(rest % 1e6), true
	case "total_seconds":
		return method(name, 0, 0, func([]any, map[string]any) (any, error) { return float64(us) / 1e6, nil }), true
	}
	return nil, false
}

// Arith is a timedelta added to or taken from a datetime, and the
// difference of two datetimes, as Python's.
func (d pyDateTime) Arith(op string, r any) (any, bool, error) {
	switch x := r.(type) {
	case delta:
		switch op {
		case "+":
			return pyDateTime{t: d.t.Add(time.Duration(x)), tz: d.tz}, true, nil
		case "-":
			return pyDateTime{t: d.t.Add(-time.Duration(x)), tz: d.tz}, true, nil
		}
	case pyDateTime:
		if op == "-" {
			if (d.tz == nil) != (x.tz == nil) {
				return nil, true, fmt.Errorf("can't subtract offset-naive and offset-aware datetimes")
			}
			dl, err := subDelta(d.t, x.t)
			return dl, true, err
		}
	}
	return nil, false, nil
}

// Arith adds whole days of a timedelta (Python's date ignores the rest);
// two dates give a timedelta.
func (d pyDate) Arith(op string, r any) (any, bool, error) {
	switch x := r.(type) {
	case delta:
		days := int(floorDiv(int64(time.Duration(x)/time.Microsecond), 86400e6))
		switch op {
		case "+":
			return pyDate{t: d.t.AddDate(0, 0, days)}, true, nil
		case "-":
			return pyDate{t: d.t.AddDate(0, 0, -days)}, true, nil
		}
	case pyDate:
		if op == "-" {
			dl, err := subDelta(d.t, x.t)
			return dl, true, err
		}
	}
	return nil, false, nil
}

// Arith is timedelta arithmetic: with another, with a date or datetime
// (+), times and divided by a number, divided by another.
func (x delta) Arith(op string, r any) (any, bool, error) {
	switch op {
	case "unary-":
		return -x, true, nil
	case "unary+":
		return x, true, nil
	}
	switch y := r.(type) {
	case delta:
		switch op {
		case "+", "-":
			if op == "-" {
				y = -y
			}
			sum := x + y
			if (x > 0 && y > 0 && sum < 0) || (x < 0 && y < 0 && sum >= 0) {
				return nil, true, errDeltaRange
			}
			return sum, true, nil
		case "/":
			if y == 0 {
				return nil, true, fmt.Errorf("division by zero")
			}
			return float64(x) / float64(y), true, nil
		case "//":
			if y == 0 {
				return nil, true, fmt.Errorf("integer division or modulo by zero")
			}
			return int(floorDiv(int64(x), int64(y))), true, nil
		}
	case pyDateTime, pyDate:
		if op == "+" {
			return r.(jinja.Arithmetic).Arith("+", x)
		}
	}
	if f, ok := numArg(r); ok {
		switch op {
		case "*":
			dl, err := roundDelta(float64(x) * f)
			return dl, true, err
		case "/":
			if f == 0 {
				return nil, true, fmt.Errorf("division by zero")
			}
			dl, err := roundDelta(float64(x) / f)
			return dl, true, err
		}
	}
	return nil, false, nil
}

// errDeltaRange: a timedelta is a Go duration, about ±292 years, where
// Python's reaches 999,999,999 days (docs/dbt-compatibility.md). A value
// past it is an error, not a wrong one.
var errDeltaRange = errors.New("OverflowError: a timedelta beyond about 292 years is not supported by mart")

// roundDelta rounds nanoseconds to the microsecond, half to even.
func roundDelta(ns float64) (delta, error) {
	us := math.RoundToEven(ns / 1e3)
	if math.IsNaN(us) || math.Abs(us) >= float64(math.MaxInt64/int64(time.Microsecond)) {
		return 0, errDeltaRange
	}
	return delta(time.Duration(us) * time.Microsecond), nil
}

// subDelta is a - b as a timedelta, or errDeltaRange.
func subDelta(a, b time.Time) (delta, error) {
	d := a.Sub(b)
	if d == math.MaxInt64 || d == math.MinInt64 {
		return 0, errDeltaRange
	}
	return delta(d), nil
}

// Compare orders datetimes as Python does: two naive ones or two aware
// ones; a naive one and an aware one are unequal, and < between them is
// an error.
func (d pyDateTime) Compare(r any) (int, bool, error) {
	x, ok := r.(pyDateTime)
	if !ok {
		if _, isDate := r.(pyDate); isDate {
			return 0, false, fmt.Errorf("can't compare datetime.datetime to datetime.date")
		}
		return 0, false, nil
	}
	if (d.tz == nil) != (x.tz == nil) {
		return 0, false, fmt.Errorf("can't compare offset-naive and offset-aware datetimes")
	}
	return d.t.Compare(x.t), true, nil
}

func (d pyDate) Compare(r any) (int, bool, error) {
	x, ok := r.(pyDate)
	if !ok {
		if _, isDT := r.(pyDateTime); isDT {
			return 0, false, fmt.Errorf("can't compare datetime.date to datetime.datetime")
		}
		return 0, false, nil
	}
	return d.t.Compare(x.t), true, nil
}

func (t pyTime) Compare(r any) (int, bool, error) {
	x, ok := r.(pyTime)
	if !ok {
		return 0, false, nil
	}
	return t.t.Compare(x.t), true, nil
}

func (x delta) Compare(r any) (int, bool, error) {
	y, ok := r.(delta)
	if !ok {
		return 0, false, nil
	}
	switch {
	case x < y:
		return -1, true, nil
	case x > y:
		return 1, true, nil
	}
	return 0, true, nil
}

func timedelta(args []any, kw map[string]any) (any, error) {
	units := []struct {
		name string
		d    time.Duration
	}{{"days", 24 * time.Hour}, {"seconds", time.Second}, {"microseconds", time.Microsecond},
		{"milliseconds", time.Millisecond}, {"minutes", time.Minute}, {"hours", time.Hour}, {"weeks", 7 * 24 * time.Hour}}
	var total float64
	for i, u := range units {
		var v any
		if i < len(args) {
			v = args[i]
		} else if x, ok := kw[u.name]; ok {
			v = x
		} else {
			continue
		}
		f, ok := numArg(v)
		if !ok {
			return nil, fmt.Errorf("unsupported type for timedelta %s component: %s", u.name, jinja.Str(v))
		}
		total += f * float64(u.d)
	}
	return roundDelta(total)
}

// the module's classes

var datetimeClass = &pyClass{name: "datetime.datetime", new: newDateTime, attrs: map[string]any{
	"now": jinja.Func(func(args []any, kw map[string]any) (any, error) {
		tz, err := tzArg(arg(args, kw, 0, "tz", nil))
		if err != nil {
			return nil, err
		}
		now := time.Now().Truncate(time.Microsecond)
		if tz == nil {
			return pyDateTime{t: wall(now)}, nil
		}
		return pyDateTime{t: tz.at(now), tz: tz}, nil
	}),
	"utcnow": jinja.Func(func([]any, map[string]any) (any, error) {
		return pyDateTime{t: time.Now().UTC().Truncate(time.Microsecond)}, nil
	}),
	"today": jinja.Func(func([]any, map[string]any) (any, error) {
		return pyDateTime{t: wall(time.Now().Truncate(time.Microsecond))}, nil
	}),
	"strptime": jinja.Func(func(args []any, _ map[string]any) (any, error) {
		if len(args) != 2 {
			return nil, fmt.Errorf("strptime() takes a string and a format")
		}
		return strptime(jinja.Str(args[0]), jinja.Str(args[1]))
	}),
	"fromisoformat": jinja.Func(func(args []any, _ map[string]any) (any, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("fromisoformat() takes a string")
		}
		return fromISO(jinja.Str(args[0]))
	}),
	"fromtimestamp": jinja.Func(func(args []any, kw map[string]any) (any, error) {
		f, ok := numArg(arg(args, kw, 0, "timestamp", nil))
		if !ok {
			return nil, fmt.Errorf("fromtimestamp() takes a number")
		}
		tz, err := tzArg(arg(args, kw, 1, "tz", nil))
		if err != nil {
			return nil, err
		}
		t := time.UnixMicro(int64(math.RoundToEven(f * 1e6)))
		if tz == nil {
			return pyDateTime{t: wall(t)}, nil
		}
		return pyDateTime{t: tz.at(t), tz: tz}, nil
	}),
	"utcfromtimestamp": jinja.Func(func(args []any, kw map[string]any) (any, error) {
		f, ok := numArg(arg(args, kw, 0, "timestamp", nil))
		if !ok {
			return nil, fmt.Errorf("utcfromtimestamp() takes a number")
		}
		return pyDateTime{t: time.UnixMicro(int64(math.RoundToEven(f * 1e6))).UTC()}, nil
	}),
	"combine": jinja.Func(func(args []any, kw map[string]any) (any, error) {
		d, ok1 := arg(args, kw, 0, "date", nil).(pyDate)
		t, ok2 := arg(args, kw, 1, "time", nil).(pyTime)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("combine() takes a date and a time")
		}
		tz := t.tz
		if v, ok := kw["tzinfo"]; ok || len(args) > 2 {
			var err error
			if tz, err = tzArg(arg(args, kw, 2, "tzinfo", v)); err != nil {
				return nil, err
			}
		}
		return withTZ(time.Date(d.t.Year(), d.t.Month(), d.t.Day(), t.t.Hour(), t.t.Minute(), t.t.Second(), t.t.Nanosecond(), time.UTC), tz), nil
	}),
}}

var dateClass = &pyClass{name: "datetime.date",
	new: func(args []any, kw map[string]any) (any, error) {
		if len(args)+len(kw) != 3 {
			return nil, fmt.Errorf("date() takes a year, a month and a day")
		}
		p, err := setParts([7]int{}, args, kw, 0, 3)
		if err != nil {
			return nil, err
		}
		t, err := buildDateTime(p)
		if err != nil {
			return nil, err
		}
		return pyDate{t: t}, nil
	},
	attrs: map[string]any{
		"today": jinja.Func(func([]any, map[string]any) (any, error) {
			now := time.Now()
			return newDate(now.Year(), int(now.Month()), now.Day()), nil
		}),
		"fromisoformat": jinja.Func(func(args []any, _ map[string]any) (any, error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("fromisoformat() takes a string")
			}
			s := jinja.Str(args[0])
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				if t, err = time.Parse("20060102", s); err != nil {
					return nil, fmt.Errorf("Invalid isoformat string: %s", pyQuoted(s))
				}
			}
			return pyDate{t: t}, nil
		}),
		"fromordinal": jinja.Func(func(args []any, _ map[string]any) (any, error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("fromordinal() takes an integer")
			}
			n, err := intArg(args[0], "ordinal")
			if err != nil {
				return nil, err
			}
			return pyDate{t: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n-1)}, nil
		}),
	}}

var timeClass = &pyClass{name: "datetime.time",
	new: func(args []any, kw map[string]any) (any, error) {
		p, err := setParts([7]int{1900, 1, 1}, args, kw, 3, 7)
		if err != nil {
			return nil, err
		}
		t, err := buildDateTime(p)
		if err != nil {
			return nil, err
		}
		tz, err := tzArg(arg(args, kw, 4, "tzinfo", nil))
		if err != nil {
			return nil, err
		}
		return pyTime{t: t, tz: tz}, nil
	},
	attrs: map[string]any{}}

var timedeltaClass = &pyClass{name: "datetime.timedelta", new: timedelta, attrs: map[string]any{}}

// tzinfoClass is datetime.tzinfo, the abstract class: what templates do
// with it is compare types, which they cannot; it is there to be found.
var tzinfoClass = &pyClass{name: "datetime.tzinfo",
	new: func([]any, map[string]any) (any, error) {
		return nil, fmt.Errorf("datetime.tzinfo is an abstract class")
	}, attrs: map[string]any{}}

// pytzModule is pytz's __all__ that templates use: timezone(), utc and
// FixedOffset().
var pytzModule = map[string]any{
	"utc": pytzUTC,
	"timezone": jinja.Func(func(args []any, _ map[string]any) (any, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("timezone() takes a zone name")
		}
		name := jinja.Str(args[0])
		if strings.ToUpper(name) == "UTC" {
			return pytzUTC, nil
		}
		loc, err := time.LoadLocation(name)
		if err != nil || name == "" || name == "Local" {
			return nil, fmt.Errorf("UnknownTimeZoneError: %s", pyQuoted(name))
		}
		return &pyTZ{name: name, zone: name, loc: loc}, nil
	}),
	"FixedOffset": jinja.Func(func(args []any, _ map[string]any) (any, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("FixedOffset() takes an offset in minutes")
		}
		n, err := intArg(args[0], "offset")
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return pytzUTC, nil
		}
		return &pyTZ{name: "pytz.FixedOffset(" + strconv.Itoa(n) + ")", loc: time.FixedZone("", n*60)}, nil
	}),
}

// pyQuoted is repr() of a string, as Python quotes it in its messages.
func pyQuoted(s string) string {
	r := jinja.Str(&jinja.List{Items: []any{s}}) // ['...']
	return r[1 : len(r)-1]
}

// runStartedAt is run_started_at: the time the run started, a datetime in
// pytz.utc as dbt's (datetime.now(tz=pytz.utc)). Options.RunStartedAt
// names it (ISO 8601, naive taken as UTC); text that is none is given as
// it is.
func runStartedAt(s string) any {
	v, err := fromISO(s)
	if err != nil {
		return s
	}
	d := v.(pyDateTime)
	if d.tz == nil {
		return pyDateTime{t: d.t, tz: pytzUTC}
	}
	return pyDateTime{t: d.t.UTC(), tz: pytzUTC}
}

// MarshalJSON writes a value as its str() where a manifest or tojson
// meets one (Python's json raises on a datetime; a config value that
// holds one is its text in manifest.json).
func (d pyDateTime) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }
func (d pyDate) MarshalJSON() ([]byte, error)     { return json.Marshal(d.String()) }
func (t pyTime) MarshalJSON() ([]byte, error)     { return json.Marshal(t.String()) }
func (x delta) MarshalJSON() ([]byte, error)      { return json.Marshal(x.String()) }
