package jinja

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Values in templates are plain Go values: nil (None), bool, int, float64,
// string, *List (lists and tuples), *Dict (dicts, in insertion order),
// Undefined, and whatever Go values callers put in the context (maps,
// slices, structs, fmt.Stringers, functions).

// Undefined is the value of a name that is not defined. Like Jinja's default
// Undefined it prints as "", is false and iterates as empty; calling it or
// reading an attribute of it is an error.
type Undefined struct {
	Name string
	hint string // why it is undefined, e.g. "an int has no attribute 'x'"
}

// List is a Jinja list (or tuple). It is a pointer so that xs.append(x)
// changes the list every holder sees, as in Python.
type List struct {
	Items []any
	Tuple bool
	kind  listKind // (in the padding after Tuple)
}

// listKind tells the lists that stand for Python objects other than a list:
// a groupby item, dict views.
type listKind uint8

const (
	plainList  listKind = iota
	groupTuple          // groupby's item: .grouper and .list are its two items
	dictItems           // d.items(), printed dict_items([...])
	dictKeys
	dictValues
)

// NewList returns a list holding items.
func NewList(items ...any) *List { return &List{Items: items} }

// Dict is a Jinja dict: keys keep their insertion order.
type Dict struct {
	keys []any
	vals map[any]any
	ns   bool // a namespace(): attributes may be assigned
}

// NewDict returns an empty dict.
func NewDict() *Dict { return &Dict{vals: map[any]any{}} }

// Set sets a key, keeping the key's first position.
func (d *Dict) Set(k, v any) {
	k = dictKey(k)
	if _, ok := d.vals[k]; !ok {
		d.keys = append(d.keys, k)
	}
	d.vals[k] = v
}

// Get returns the value of a key.
func (d *Dict) Get(k any) (any, bool) {
	v, ok := d.vals[dictKey(k)]
	return v, ok
}

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []any { return d.keys }

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.keys) }

func (d *Dict) delete(k any) {
	k = dictKey(k)
	if _, ok := d.vals[k]; !ok {
		return
	}
	delete(d.vals, k)
	for i, x := range d.keys {
		if x == k {
			d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
			break
		}
	}
}

// dictKey normalises a key so that 1, 1.0 and True find the same entry.
func dictKey(k any) any {
	switch t := k.(type) {
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return int(t)
		}
	case bool:
		if t {
			return 1
		}
		return 0
	case string, int, nil:
		return k
	}
	if n, ok := toInt(k); ok {
		return n
	}
	if !reflect.TypeOf(k).Comparable() {
		return Str(k)
	}
	return k
}

// Native converts a template value into plain Go data for callers: nil,
// bool, int, float64, string, []any and map[string]any (other values are
// returned as they are). Undefined becomes nil.
func Native(v any) any {
	switch t := v.(type) {
	case nil, bool, int, float64, string:
		return t
	case Undefined:
		return nil
	case *List:
		out := make([]any, len(t.Items))
		for i, x := range t.Items {
			out[i] = Native(x)
		}
		return out
	case *Set:
		return Native(t.items)
	case *Dict:
		out := make(map[string]any, len(t.keys))
		for _, k := range t.keys {
			out[Str(k)] = Native(t.vals[k])
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = Native(x)
		}
		return out
	case map[string]any:
		if _, ok := v.(fmt.Stringer); ok {
			return v
		}
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = Native(x)
		}
		return out
	}
	if n, ok := toInt(v); ok {
		return n
	}
	if f, ok := v.(float32); ok {
		return float64(f)
	}
	return v
}

// Str converts a value to its text as Python's str() does: None, True,
// 0.5, ['a', 1], {'k': 'v'}. Undefined is "".
func Str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return "None"
	case Undefined:
		return ""
	case bool:
		if t {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(t)
	case float64:
		return formatFloat(t)
	case *List, *Dict, []any:
		return repr(v)
	case fmt.Stringer:
		return t.String()
	case map[string]any:
		return repr(v)
	case error:
		return t.Error()
	}
	switch t := v.(type) {
	case uint64: // (toInt wraps one past the largest int)
		return strconv.FormatUint(t, 10)
	case uint:
		return strconv.FormatUint(uint64(t), 10)
	}
	if n, ok := toInt(v); ok {
		return strconv.Itoa(n)
	}
	if f, ok := v.(float32); ok {
		return formatFloat(float64(f))
	}
	switch t := v.(type) {
	case *Macro:
		return "<Macro " + pyQuote(t.Name) + ">" // as Jinja writes one
	case *boundMacro:
		return "<Macro " + pyQuote(t.m.Name) + ">"
	case *loopInfo:
		return "<LoopContext " + strconv.Itoa(t.index0+1) + "/" + strconv.Itoa(len(t.items)) + ">" // Jinja's repr
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return repr(v)
	case reflect.String:
		return rv.String()
	case reflect.Func:
		return "<function>"
	case reflect.Pointer, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
		// a Go object of mart's (config, adapter, loop): its fields would
		// print addresses, which differ from one compile to the next (a
		// struct value, a driver's interval say, prints its fields)
		return "<object>"
	}
	return fmt.Sprint(v)
}

// formatFloat prints a float as Python's repr does: 0.5, 1.0, 1e+20, 1e-07.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	i := strings.LastIndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp < -4 || exp >= 16 {
		mant := e[:i]
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

var viewNames = [...]string{dictItems: "dict_items", dictKeys: "dict_keys", dictValues: "dict_values"}

// repr converts a value as Python's repr() does ('a' for strings).
func repr(v any) string {
	var b strings.Builder
	writeRepr(&b, v, 0)
	return b.String()
}

func writeRepr(b *strings.Builder, v any, depth int) {
	if depth > 50 {
		b.WriteString("...")
		return
	}
	switch t := v.(type) {
	case string:
		b.WriteString(pyQuote(t))
	case *List:
		open, closer := "[", "]"
		if t.Tuple {
			open, closer = "(", ")"
		}
		if view := viewNames[t.kind]; view != "" {
			open, closer = view+"([", "])"
		}
		b.WriteString(open)
		for i, x := range t.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, x, depth+1)
		}
		if t.Tuple && len(t.Items) == 1 {
			b.WriteString(",")
		}
		b.WriteString(closer)
	case []any:
		writeRepr(b, &List{Items: t}, depth)
	case *Dict:
		if t.ns {
			b.WriteString("<Namespace ") // Jinja's Namespace repr
		}
		b.WriteString("{")
		for i, k := range t.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, k, depth+1)
			b.WriteString(": ")
			writeRepr(b, t.vals[k], depth+1)
		}
		b.WriteString("}")
		if t.ns {
			b.WriteString(">")
		}
	case map[string]any:
		if s, ok := v.(fmt.Stringer); ok {
			b.WriteString(s.String())
			return
		}
		b.WriteString("{")
		for i, k := range sortedMapKeys(t) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pyQuote(k))
			b.WriteString(": ")
			writeRepr(b, t[k], depth+1)
		}
		b.WriteString("}")
	case Undefined:
		b.WriteString("Undefined")
	case map[any]any:
		// a YAML mapping with a key that is not a string ({2: z}), as
		// Python writes a dict: each key's repr, in the order of those
		b.WriteString("{")
		keys := make([]string, 0, len(t))
		byRepr := make(map[string]any, len(t))
		for k := range t {
			r := repr(k)
			keys = append(keys, r)
			byRepr[r] = k
		}
		sort.Strings(keys)
		for i, r := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(r)
			b.WriteString(": ")
			writeRepr(b, t[byRepr[r]], depth+1)
		}
		b.WriteString("}")
	default:
		rv := reflect.ValueOf(v)
		if v != nil && rv.Kind() == reflect.Map {
			if _, ok := v.(fmt.Stringer); !ok {
				// another map type of Go's (map[string]int): as a dict
				// (Str sends maps here: through Str it never ended)
				m := make(map[any]any, rv.Len())
				for it := rv.MapRange(); it.Next(); {
					m[it.Key().Interface()] = it.Value().Interface()
				}
				writeRepr(b, m, depth)
				return
			}
		}
		if v != nil && (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) {
			if _, ok := v.(fmt.Stringer); !ok {
				items := make([]any, rv.Len())
				for i := range items {
					items[i] = rv.Index(i).Interface()
				}
				writeRepr(b, &List{Items: items}, depth)
				return
			}
		}
		b.WriteString(Str(v))
	}
}

// pyQuote quotes a string the way Python's repr does.
func pyQuote(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// typeName names a value's type as Python would, for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case Undefined:
		return "Undefined"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64, float32:
		return "float"
	case string:
		return "str"
	case *List:
		if v.(*List).Tuple {
			return "tuple"
		}
		return "list"
	case *Dict:
		if v.(*Dict).ns {
			return "namespace"
		}
		return "dict"
	case *Set:
		return "set"
	case *Macro, *boundMacro:
		return "macro"
	case Func, FuncAt, envFunc, *method:
		return "function"
	case interface{ TypeName() string }:
		return v.(interface{ TypeName() string }).TypeName()
	}
	if _, ok := toInt(v); ok {
		return "int"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map:
		return "dict"
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Func:
		return "function"
	}
	return fmt.Sprintf("%T", v)
}
