package jinja

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
)

// Truth, numbers, sequences, equality, ordering and membership, with
// Python's rules.

// Truth reports whether a value is true in a boolean context (Python's
// rules: None, False, 0, "", empty containers and Undefined are false).
func Truth(v any) bool {
	switch t := v.(type) {
	case nil, Undefined:
		return false
	case bool:
		return t
	case int:
		return t != 0
	case float64:
		return t != 0
	case string:
		return t != ""
	case *List:
		return len(t.Items) > 0
	case *Dict:
		return len(t.keys) > 0
	case []any:
		return len(t) > 0
	case map[string]any:
		if _, ok := v.(fmt.Stringer); ok {
			return true
		}
		return len(t) > 0
	}
	if n, ok := toInt(v); ok {
		return n != 0
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array:
		return rv.Len() > 0
	case reflect.Ptr, reflect.Func, reflect.Interface:
		return !rv.IsNil()
	case reflect.Float32:
		return rv.Float() != 0
	}
	return true
}

// toInt returns v as an int when it is any Go integer type (not bool).
func toInt(v any) (int, bool) {
	switch t := v.(type) {
	case int:
		return t, true
	case int64:
		return int(t), true
	case int32:
		return int(t), true
	case int16:
		return int(t), true
	case int8:
		return int(t), true
	case uint:
		return int(t), true
	case uint64:
		return int(t), true
	case uint32:
		return int(t), true
	case uint16:
		return int(t), true
	case uint8:
		return int(t), true
	}
	return 0, false
}

// number returns v as an int or a float64 (bools count as 0 and 1, as in
// Python). ok is false for non-numbers.
func number(v any) (i int, f float64, isFloat, ok bool) {
	switch t := v.(type) {
	case int:
		return t, 0, false, true
	case float64:
		return 0, t, true, true
	case bool:
		if t {
			return 1, 0, false, true
		}
		return 0, 0, false, true
	case float32:
		return 0, float64(t), true, true
	}
	if n, ok := toInt(v); ok {
		return n, 0, false, true
	}
	return 0, 0, false, false
}

func isNumber(v any) bool {
	_, _, _, ok := number(v)
	return ok
}

func toFloat(v any) (float64, bool) {
	i, f, isF, ok := number(v)
	if !ok {
		return 0, false
	}
	if isF {
		return f, true
	}
	return float64(i), true
}

// seq returns the items of a sequence or mapping (mappings yield keys; maps
// from Go in sorted key order). ok is false when v cannot be iterated.
func seq(v any) ([]any, bool) {
	switch t := v.(type) {
	case *List:
		return t.Items, true
	case Sequence:
		return t.Items(), true
	case []any:
		return t, true
	case *Dict:
		return t.keys, true
	case Undefined:
		return nil, true
	case string:
		out := make([]any, 0, len(t))
		for _, r := range t {
			out = append(out, string(r))
		}
		return out, true
	case []string:
		out := make([]any, len(t))
		for i, s := range t {
			out[i] = s
		}
		return out, true
	case map[string]any:
		if _, ok := v.(fmt.Stringer); ok {
			break
		}
		keys := sortedMapKeys(t)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k
		}
		return out, true
	case nil:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).Interface()
		}
		return out, true
	case reflect.Map:
		keys := rv.MapKeys()
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k.Interface()
		}
		sort.Slice(out, func(i, j int) bool { return Str(out[i]) < Str(out[j]) })
		return out, true
	}
	return nil, false
}

// length returns len(v), ok false for values without a length.
func length(v any) (int, bool) {
	switch t := v.(type) {
	case *Set:
		return len(t.items), true
	case string:
		return len([]rune(t)), true
	case *List:
		return len(t.Items), true
	case *Dict:
		return len(t.keys), true
	case []any:
		return len(t), true
	case map[string]any:
		return len(t), true
	case Undefined:
		return 0, true
	case nil:
		return 0, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return rv.Len(), true
	}
	return 0, false
}

// isMapping reports whether v is a dict-like value.
func isMapping(v any) bool {
	switch v.(type) {
	case *Dict, map[string]any:
		return true
	case nil:
		return false
	}
	return reflect.ValueOf(v).Kind() == reflect.Map
}

// isSequence reports whether v is a list-like value (not a string).
func isSequence(v any) bool {
	switch v.(type) {
	case *List, []any, []string, Sequence:
		return true
	case nil, string:
		return false
	}
	k := reflect.ValueOf(v).Kind()
	return k == reflect.Slice || k == reflect.Array
}

// mapGet reads a key of a mapping value.
func mapGet(v any, key any) (any, bool, bool) {
	switch t := v.(type) {
	case *Dict:
		x, ok := t.Get(key)
		return x, ok, true
	case map[string]any:
		s, isStr := key.(string)
		if !isStr {
			return nil, false, true
		}
		x, ok := t[s]
		return x, ok, true
	case nil:
		return nil, false, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false, false
	}
	kv := reflect.ValueOf(key)
	if !kv.IsValid() || !kv.Type().AssignableTo(rv.Type().Key()) {
		if s, ok := key.(string); ok && rv.Type().Key().Kind() == reflect.String {
			kv = reflect.ValueOf(s).Convert(rv.Type().Key())
		} else {
			return nil, false, true
		}
	}
	x := rv.MapIndex(kv)
	if !x.IsValid() {
		return nil, false, true
	}
	return x.Interface(), true, true
}

// equal compares two values as Python's == does.
func equal(a, b any) bool {
	if x, ok := a.(*Set); ok {
		y, ok := b.(*Set)
		return ok && x.equal(y)
	}
	if _, ok := b.(*Set); ok {
		return false
	}
	if c, ok := a.(Comparer); ok {
		n, ok, err := c.Compare(b)
		return ok && err == nil && n == 0
	}
	if ai, af, aF, ok := number(a); ok {
		if bi, bf, bF, ok := number(b); ok {
			if !aF && !bF {
				return ai == bi
			}
			x, _ := toFloat(a)
			y, _ := toFloat(b)
			_, _ = af, bf
			return x == y
		}
		return false
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case nil:
		return b == nil
	case Undefined:
		_, ok := b.(Undefined)
		return ok
	}
	if isSequence(a) && isSequence(b) {
		if la, ok := a.(*List); ok {
			if lb, ok := b.(*List); ok && la.Tuple != lb.Tuple {
				return false // (1, 2) == [1, 2] is False in Python
			}
		}
		xs, _ := seq(a)
		ys, _ := seq(b)
		if len(xs) != len(ys) {
			return false
		}
		for i := range xs {
			if !equal(xs[i], ys[i]) {
				return false
			}
		}
		return true
	}
	if isMapping(a) && isMapping(b) {
		ka, _ := seq(a)
		kb, _ := seq(b)
		if len(ka) != len(kb) {
			return false
		}
		for _, k := range ka {
			va, _, _ := mapGet(a, k)
			vb, ok, _ := mapGet(b, k)
			if !ok || !equal(va, vb) {
				return false
			}
		}
		return true
	}
	if sa, ok := a.(fmt.Stringer); ok {
		if sb, ok := b.(fmt.Stringer); ok {
			return sa.String() == sb.String()
		}
		return false
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb || !ta.Comparable() {
		return false
	}
	return a == b
}

// ownCompareError is a Comparer's error, which says itself why the values
// do not compare (Python's message).
type ownCompareError struct{ error }

// compare orders two values (-1, 0, 1) for <, >, sort, min and max.
func compare(a, b any) (int, error) {
	if c, ok := a.(Comparer); ok {
		n, ok, err := c.Compare(b)
		if err != nil {
			return 0, ownCompareError{err}
		}
		if ok {
			return n, nil
		}
	}
	if x, ok := toFloat(a); ok {
		if y, ok := toFloat(b); ok {
			ai, _, aF, _ := number(a)
			bi, _, bF, _ := number(b)
			if !aF && !bF {
				return cmpOrdered(ai, bi), nil
			}
			return cmpOrdered(x, y), nil
		}
	}
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	}
	if isSequence(a) && isSequence(b) {
		xs, _ := seq(a)
		ys, _ := seq(b)
		for i := 0; i < len(xs) && i < len(ys); i++ {
			c, err := compare(xs[i], ys[i])
			if err != nil || c != 0 {
				return c, err
			}
		}
		return cmpOrdered(len(xs), len(ys)), nil
	}
	return 0, fmt.Errorf("cannot compare %s with %s", typeName(a), typeName(b))
}

func cmpOrdered[T int | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// contains implements `x in container`.
func contains(container, x any) (bool, error) {
	switch c := container.(type) {
	case string:
		s, ok := x.(string)
		if !ok {
			return false, fmt.Errorf("'in <string>' requires a string on the left, not %s", typeName(x))
		}
		return strings.Contains(c, s), nil
	case Undefined:
		return false, nil
	}
	if isMapping(container) {
		_, ok, _ := mapGet(container, x)
		return ok, nil
	}
	items, ok := seq(container)
	if !ok {
		return false, fmt.Errorf("argument of type %s is not iterable", typeName(container))
	}
	for _, it := range items {
		if equal(it, x) {
			return true, nil
		}
	}
	return false, nil
}

// maxLen bounds strings and lists built by * so a template cannot exhaust
// memory by mistake.
const maxLen = 1 << 22

// arith applies a binary arithmetic operator with Python's semantics.
func arith(op string, l, r any) (any, error) {
	if a, ok := l.(Arithmetic); ok {
		if v, ok, err := a.Arith(op, r); ok || err != nil {
			return v, err
		}
	}
	if a, ok := r.(Arithmetic); ok && (op == "+" || op == "*") { // 2 * a timedelta
		if v, ok, err := a.Arith(op, l); ok || err != nil {
			return v, err
		}
	}
	li, lf, lF, lok := number(l)
	ri, rf, rF, rok := number(r)
	if lok && rok {
		if op == "/" || lF || rF {
			if !lF {
				lf = float64(li)
			}
			if !rF {
				rf = float64(ri)
			}
			return floatOp(op, lf, rf)
		}
		return intOp(op, li, ri)
	}
	switch op {
	case "+":
		if ls, ok := l.(string); ok {
			if rs, ok := r.(string); ok {
				return ls + rs, nil
			}
		}
		if isSequence(l) && isSequence(r) {
			xs, _ := seq(l)
			ys, _ := seq(r)
			out := make([]any, 0, len(xs)+len(ys))
			return &List{Items: append(append(out, xs...), ys...), Tuple: isTuple(l) && isTuple(r)}, nil
		}
	case "*":
		if s, ok := l.(string); ok && rok && !rF {
			return repeatString(s, ri)
		}
		if s, ok := r.(string); ok && lok && !lF {
			return repeatString(s, li)
		}
		if isSequence(l) && rok && !rF {
			return repeatList(l, ri)
		}
		if isSequence(r) && lok && !lF {
			return repeatList(r, li)
		}
	case "%":
		if s, ok := l.(string); ok {
			return percentFormat(s, r)
		}
	}
	return nil, fmt.Errorf("unsupported operand types for %s: %s and %s", op, typeName(l), typeName(r))
}

func isTuple(v any) bool {
	l, ok := v.(*List)
	return ok && l.Tuple
}

func repeatString(s string, n int) (any, error) {
	if n <= 0 {
		return "", nil
	}
	if len(s)*n > maxLen || n > maxLen {
		return nil, fmt.Errorf("string repetition too large")
	}
	return strings.Repeat(s, n), nil
}

func repeatList(l any, n int) (any, error) {
	xs, _ := seq(l)
	if n <= 0 {
		return &List{Tuple: isTuple(l)}, nil
	}
	if len(xs)*n > maxLen || n > maxLen {
		return nil, fmt.Errorf("list repetition too large")
	}
	out := make([]any, 0, len(xs)*n)
	for i := 0; i < n; i++ {
		out = append(out, xs...)
	}
	return &List{Items: out, Tuple: isTuple(l)}, nil
}

func intOp(op string, a, b int) (any, error) {
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "//", "%":
		if b == 0 {
			return nil, fmt.Errorf("integer division or modulo by zero")
		}
		q, m := a/b, a%b
		if m != 0 && (m < 0) != (b < 0) {
			q--
			m += b
		}
		if op == "//" {
			return q, nil
		}
		return m, nil
	case "**":
		return intPow(a, b), nil
	}
	return nil, fmt.Errorf("unknown operator %s", op)
}

func floatOp(op string, a, b float64) (any, error) {
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		if b == 0 {
			return nil, fmt.Errorf("division by zero")
		}
		return a / b, nil
	case "//":
		if b == 0 {
			return nil, fmt.Errorf("float floor division by zero")
		}
		return pyFloatFloorDiv(a, b), nil
	case "%":
		if b == 0 {
			return nil, fmt.Errorf("float modulo by zero")
		}
		m := math.Mod(a, b)
		if m != 0 && (m < 0) != (b < 0) {
			m += b
		}
		return m, nil
	case "**":
		return pyPow(a, b), nil
	}
	return nil, fmt.Errorf("unknown operator %s", op)
}

// intPow is a ** b for ints, falling back to a float when it overflows or
// b is negative.
func intPow(a, b int) any {
	if b < 0 {
		return pyPow(float64(a), float64(b))
	}
	result, base := 1, a
	for n := b; n > 0; n >>= 1 {
		if n&1 == 1 {
			r, ok := mulInt(result, base)
			if !ok {
				return math.Pow(float64(a), float64(b))
			}
			result = r
		}
		if n > 1 {
			bb, ok := mulInt(base, base)
			if !ok {
				return math.Pow(float64(a), float64(b))
			}
			base = bb
		}
	}
	return result
}

func mulInt(a, b int) (int, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt) || (b == -1 && a == math.MinInt) {
		return 0, false
	}
	return c, true
}
