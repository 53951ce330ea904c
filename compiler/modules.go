package compiler

import (
	"fmt"
	"regexp"

	"github.com/mart-dev/mart/compiler/jinja"
)

// modulesValue is dbt's `modules`: the parts of Python's datetime (as
// dbt exports it: date, datetime, time, timedelta, tzinfo), pytz, re and
// itertools that templates use (pydatetime.go). Regular expressions are Go's (RE2): no
// backreferences or lookaround.
var modulesValue = map[string]any{
	"datetime": map[string]any{
		"datetime":  datetimeClass,
		"date":      dateClass,
		"time":      timeClass,
		"timedelta": timedeltaClass,
		"tzinfo":    tzinfoClass,
	},
	"pytz": pytzModule,
	"re":   reModule(nil),
	"itertools": map[string]any{
		"chain":   jinja.Func(chain),
		"product": jinja.Func(product),
	},
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
