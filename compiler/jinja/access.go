package jinja

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Reading values: attributes, items, slices and the loop variable.

// getAttr reads obj.name: methods of strings, lists and dicts, dict keys,
// Object attributes, map keys and exported struct fields. A missing
// attribute is Undefined.
func getAttr(v any, name string) any {
	switch t := v.(type) {
	case *Dict:
		if !t.ns {
			if m, ok := dictMethods[name]; ok {
				return &method{recv: v, name: name, fn: m}
			}
		}
		if x, ok := t.Get(name); ok {
			return x
		}
		return Undefined{Name: name}
	case string:
		if m, ok := strMethods[name]; ok {
			return &method{recv: v, name: name, fn: m}
		}
		return Undefined{Name: name}
	case *List:
		if m, ok := listMethods[name]; ok {
			return &method{recv: v, name: name, fn: m}
		}
		if t.kind == groupTuple && len(t.Items) == 2 {
			switch name {
			case "grouper":
				return t.Items[0]
			case "list":
				return t.Items[1]
			}
		}
		return Undefined{Name: name}
	case *loopInfo:
		return t.attr(name)
	case Object:
		if x, ok := t.Attr(name); ok {
			return x
		}
	case map[string]any:
		if m, ok := dictMethods[name]; ok && !mutating[name] {
			return &method{recv: v, name: name, fn: m}
		}
		if x, ok := t[name]; ok {
			return x
		}
		return Undefined{Name: name}
	case []any:
		if m, ok := listMethods[name]; ok && !mutating[name] {
			return &method{recv: v, name: name, fn: m}
		}
		return Undefined{Name: name}
	case nil, Undefined:
		return Undefined{Name: name}
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		if x, ok, _ := mapGet(v, name); ok {
			return x
		}
		if m, ok := dictMethods[name]; ok && !mutating[name] {
			return &method{recv: v, name: name, fn: m}
		}
	case reflect.Ptr, reflect.Struct:
		if mv := rv.MethodByName(name); mv.IsValid() {
			return mv.Interface()
		}
		if rv.Kind() == reflect.Ptr {
			if rv.IsNil() {
				break
			}
			rv = rv.Elem()
		}
		if rv.Kind() == reflect.Struct {
			if f := rv.FieldByName(name); f.IsValid() && f.CanInterface() {
				return f.Interface()
			}
		}
	}
	return Undefined{Name: name}
}

// getItem reads obj[key]; a missing key or index is Undefined.
func getItem(v any, key any) any {
	if isMapping(v) {
		if x, ok, _ := mapGet(v, key); ok {
			return x
		}
		if s, ok := key.(string); ok {
			return getAttr(v, s)
		}
		return Undefined{Name: Str(key)}
	}
	switch t := v.(type) {
	case string:
		i, ok := toInt(key)
		if !ok {
			return Undefined{Name: Str(key)}
		}
		r := []rune(t)
		if i < 0 {
			i += len(r)
		}
		if i < 0 || i >= len(r) {
			return Undefined{Name: Str(key)}
		}
		return string(r[i])
	case *loopInfo:
		return getAttr(v, Str(key))
	case Object:
		if _, isSeq := v.(Sequence); !isSeq {
			return getAttr(v, Str(key))
		}
		if _, isInt := toInt(key); !isInt {
			return getAttr(v, Str(key))
		}
	}
	if isSequence(v) {
		i, ok := toInt(key)
		if !ok {
			if s, ok := key.(string); ok {
				return getAttr(v, s)
			}
			return Undefined{Name: Str(key)}
		}
		items, _ := seq(v)
		if i < 0 {
			i += len(items)
		}
		if i < 0 || i >= len(items) {
			return Undefined{Name: Str(key)}
		}
		return items[i]
	}
	if s, ok := key.(string); ok {
		return getAttr(v, s)
	}
	return Undefined{Name: Str(key)}
}

// sliceValue implements x[lo:hi:step] for strings and sequences.
func sliceValue(v any, lo, hi, step *int) (any, error) {
	var items []any
	s, isStr := v.(string)
	var runes []rune
	switch {
	case isStr:
		if utf8.RuneCountInString(s) == len(s) {
			runes = nil
		} else {
			runes = []rune(s)
		}
	case isSequence(v):
		items, _ = seq(v)
	default:
		return nil, fmt.Errorf("a %s value cannot be sliced", typeName(v))
	}
	n := len(items)
	if isStr {
		n = len(s)
		if runes != nil {
			n = len(runes)
		}
	}
	st := 1
	if step != nil {
		st = *step
	}
	if st == 0 {
		return nil, fmt.Errorf("slice step cannot be zero")
	}
	idx := sliceIndexes(n, lo, hi, st)
	if isStr {
		var b strings.Builder
		for _, i := range idx {
			if runes != nil {
				b.WriteRune(runes[i])
			} else {
				b.WriteByte(s[i])
			}
		}
		return b.String(), nil
	}
	out := make([]any, len(idx))
	for k, i := range idx {
		out[k] = items[i]
	}
	return &List{Items: out, Tuple: isTuple(v)}, nil
}

// sliceIndexes computes Python's slice indexes.
func sliceIndexes(n int, lo, hi *int, step int) []int {
	clamp := func(p *int, def, lower, upper int) int {
		if p == nil {
			return def
		}
		i := *p
		if i < 0 {
			i += n
			if i < lower {
				i = lower
			}
		} else if i > upper {
			i = upper
		}
		return i
	}
	var out []int
	if step > 0 {
		start, stop := clamp(lo, 0, 0, n), clamp(hi, n, 0, n)
		for i := start; i < stop; i += step {
			out = append(out, i)
		}
	} else {
		start, stop := clamp(lo, n-1, -1, n-1), clamp(hi, -1, -1, n-1)
		if hi == nil {
			stop = -1
		}
		for i := start; i > stop; i += step {
			out = append(out, i)
		}
	}
	return out
}

// loopInfo is the `loop` variable inside a for loop.
type loopInfo struct {
	items  []any
	index0 int
	depth  int32 // (with seen, one word: loopInfo stays 64 bytes)
	seen   bool
	last   any // previous value seen by loop.changed()
	// recurse renders a recursive loop's body for other items: loop(items)
	recurse func(any) (any, error)
}

func (l *loopInfo) attr(name string) any {
	n := len(l.items)
	switch name {
	case "index":
		return l.index0 + 1
	case "index0":
		return l.index0
	case "revindex":
		return n - l.index0
	case "revindex0":
		return n - l.index0 - 1
	case "first":
		return l.index0 == 0
	case "last":
		return l.index0 == n-1
	case "length":
		return n
	case "depth":
		return int(l.depth)
	case "depth0":
		return int(l.depth) - 1
	case "previtem":
		if l.index0 > 0 {
			return l.items[l.index0-1]
		}
		return Undefined{Name: "previtem"}
	case "nextitem":
		if l.index0+1 < n {
			return l.items[l.index0+1]
		}
		return Undefined{Name: "nextitem"}
	case "cycle":
		return Func(func(args []any, kw map[string]any) (any, error) {
			if len(args) == 0 {
				return nil, fmt.Errorf("loop.cycle() needs at least one value")
			}
			return args[l.index0%len(args)], nil
		})
	case "changed":
		return Func(func(args []any, kw map[string]any) (any, error) {
			v := &List{Items: args}
			if l.seen && equal(l.last, v) {
				return false, nil
			}
			l.last, l.seen = v, true
			return true, nil
		})
	}
	return Undefined{Name: "loop." + name}
}
