package jinja

import (
	"encoding/json"
	"math"
	"strings"
)

// JSON and Python literals: tojson, fromjson and dbt's as_native.

// toJSON encodes a value as Jinja's tojson does (sorted keys, HTML-safe).
func toJSON(v any, indent any) (string, error) {
	var b []byte
	var err error
	if n, ok := toInt(indent); ok && n > 0 {
		b, err = json.MarshalIndent(jsonValue(v), "", strings.Repeat(" ", n))
	} else {
		b, err = json.Marshal(jsonValue(v))
	}
	if err != nil {
		return "", err
	}
	s := string(b)
	if indent == nil {
		s = strings.NewReplacer(`,"`, `, "`, `":`, `": `).Replace(s)
	}
	return strings.ReplaceAll(s, "'", `\u0027`), nil
}

// jsonValue converts template values for encoding/json (maps sort their
// keys when encoded).
func jsonValue(v any) any {
	switch t := v.(type) {
	case *List:
		out := make([]any, len(t.Items))
		for i, x := range t.Items {
			out[i] = jsonValue(x)
		}
		return out
	case *Dict:
		out := make(map[string]any, len(t.keys))
		for _, k := range t.keys {
			out[Str(k)] = jsonValue(t.vals[k])
		}
		return out
	case Undefined:
		return nil
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return Str(t)
		}
	}
	n := Native(v)
	switch t := n.(type) {
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = jsonValue(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = jsonValue(x)
		}
		return out
	}
	return n
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
