package jinja

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// JSON and Python literals: tojson, fromjson and dbt's as_native.

// toJSON encodes a value as Jinja's tojson filter does: Python's
// json.dumps(v, sort_keys=True, indent=indent), HTML-safe (<, >, & and '
// escaped).
func toJSON(v any, indent any) (string, error) {
	w := jsonWriter{sortKeys: true, indent: -1}
	if indent != nil {
		if n, ok := toInt(indent); ok {
			w.indent = max(n, 0)
		}
	}
	if err := w.write(v, 0); err != nil {
		return "", err
	}
	s := w.b.String()
	if strings.ContainsAny(s, "<>&'") {
		s = strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`).Replace(s)
	}
	return s, nil
}

// dumpJSON encodes a value as Python's json.dumps(v, sort_keys=sortKeys)
// does: dbt's tojson().
func dumpJSON(v any, sortKeys bool) (string, error) {
	w := jsonWriter{sortKeys: sortKeys, indent: -1}
	if err := w.write(v, 0); err != nil {
		return "", err
	}
	return w.b.String(), nil
}

// jsonWriter writes JSON as Python's json.dumps does: ", " and ": "
// separators (",\n" and indentation when indent >= 0), floats as Python
// prints them, non-ASCII as \uXXXX (ensure_ascii), NaN and Infinity bare.
type jsonWriter struct {
	b        strings.Builder
	sortKeys bool
	indent   int // -1: on one line
}

func (w *jsonWriter) newline(level int) {
	w.b.WriteByte('\n')
	w.b.WriteString(strings.Repeat(" ", w.indent*level))
}

func (w *jsonWriter) sep(i, level int) {
	if w.indent < 0 {
		if i > 0 {
			w.b.WriteString(", ")
		}
		return
	}
	if i > 0 {
		w.b.WriteByte(',')
	}
	w.newline(level)
}

func (w *jsonWriter) write(v any, level int) error {
	if level > 200 {
		return fmt.Errorf("tojson: the value nests too deeply (a circular reference?)")
	}
	switch t := v.(type) {
	case nil, Undefined:
		w.b.WriteString("null")
	case bool:
		if t {
			w.b.WriteString("true")
		} else {
			w.b.WriteString("false")
		}
	case int:
		w.b.WriteString(strconv.Itoa(t))
	case float64:
		w.b.WriteString(jsonFloat(t))
	case string:
		writeJSONString(&w.b, t)
	case *List:
		return w.list(t.Items, level)
	case []any:
		return w.list(t, level)
	case *Dict:
		keys := t.keys
		if w.sortKeys {
			keys = append([]any(nil), keys...)
			sort.SliceStable(keys, func(i, j int) bool {
				c, _ := compare(keys[i], keys[j])
				return c < 0
			})
		}
		return w.dict(len(keys), func(i int) (string, any) { return jsonKey(keys[i]), t.vals[keys[i]] }, level)
	default:
		n := Native(v)
		if m, ok := n.(map[string]any); ok {
			if _, str := n.(fmt.Stringer); !str {
				keys := sortedMapKeys(m)
				return w.dict(len(keys), func(i int) (string, any) { return keys[i], m[keys[i]] }, level)
			}
		}
		if xs, ok := n.([]any); ok {
			return w.list(xs, level)
		}
		b, err := json.Marshal(n)
		if err != nil {
			return err
		}
		w.b.Write(b)
	}
	return nil
}

func (w *jsonWriter) list(xs []any, level int) error {
	if len(xs) == 0 {
		w.b.WriteString("[]")
		return nil
	}
	w.b.WriteByte('[')
	for i, x := range xs {
		w.sep(i, level+1)
		if err := w.write(x, level+1); err != nil {
			return err
		}
	}
	if w.indent >= 0 {
		w.newline(level)
	}
	w.b.WriteByte(']')
	return nil
}

func (w *jsonWriter) dict(n int, item func(int) (string, any), level int) error {
	if n == 0 {
		w.b.WriteString("{}")
		return nil
	}
	w.b.WriteByte('{')
	for i := 0; i < n; i++ {
		w.sep(i, level+1)
		k, x := item(i)
		writeJSONString(&w.b, k)
		w.b.WriteString(": ")
		if err := w.write(x, level+1); err != nil {
			return err
		}
	}
	if w.indent >= 0 {
		w.newline(level)
	}
	w.b.WriteByte('}')
	return nil
}

// jsonKey is a dict key as json.dumps writes it.
func jsonKey(k any) string {
	switch t := k.(type) {
	case nil:
		return "null"
	case bool:
		if t {
			return "true"
		}
		return "false"
	case float64:
		return jsonFloat(t)
	}
	return Str(k)
}

func jsonFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	return formatFloat(f)
}

// writeJSONString writes a JSON string as json.dumps does with
// ensure_ascii: all but printable ASCII escaped.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r >= 0x20 && r < 0x7f:
			b.WriteByte(byte(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		default:
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				writeU(b, r1, hex)
				r = r2
			}
			writeU(b, r, hex)
		}
	}
	b.WriteByte('"')
}

func writeU(b *strings.Builder, r rune, hex string) {
	b.WriteString(`\u`)
	b.WriteByte(hex[r>>12&0xf])
	b.WriteByte(hex[r>>8&0xf])
	b.WriteByte(hex[r>>4&0xf])
	b.WriteByte(hex[r&0xf])
}

// fromJSON decodes JSON into template values.
func fromJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return templateValue(v), nil
}

// JSONNumber is a JSON number as templates hold it: an int when it is
// whole (1 prints 1, as in Python, not 1.0), else a float.
func JSONNumber(t json.Number) any {
	if n, err := t.Int64(); err == nil {
		return int(n)
	}
	f, _ := t.Float64()
	return f
}

func templateValue(v any) any {
	switch t := v.(type) {
	case json.Number:
		return JSONNumber(t)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = templateValue(x)
		}
		return &List{Items: out}
	case map[string]any:
		d := NewDict()
		for _, k := range sortedMapKeys(t) {
			d.Set(k, templateValue(t[k]))
		}
		return d
	}
	return v
}

// literal parses a Python literal (as dbt's as_native does); text that is
// not a literal is returned unchanged.
func literal(s string) any {
	p, err := newParser(s, 0, len(s))
	if err != nil {
		return s
	}
	x, err := p.parseTuple(false)
	if err != nil || p.end() != nil || !isLiteral(x) {
		return s
	}
	v, everr := x.eval(&env{})
	if everr != nil {
		return s
	}
	return v
}

func isLiteral(x expr) bool {
	switch t := x.(type) {
	case *constExpr:
		return true
	case *negExpr:
		_, ok := t.x.(*constExpr)
		return ok
	case *listExpr:
		for _, it := range t.items {
			if !isLiteral(it) {
				return false
			}
		}
		return true
	case *dictExpr:
		for i := range t.keys {
			if !isLiteral(t.keys[i]) || !isLiteral(t.vals[i]) {
				return false
			}
		}
		return true
	}
	return false
}
