package jinja

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
)

// Jinja's tests: `value is name(args)`.

// testFunc implements `value is name(args)`.
type testFunc func(v any, args []any) (bool, error)

var tests map[string]testFunc

func testNames() []string {
	var out []string
	for k := range tests {
		if isIdent(k[0], false) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func oneArg(name string, f func(v, arg any) (bool, error)) testFunc {
	return func(v any, args []any) (bool, error) {
		if len(args) != 1 {
			return false, fmt.Errorf("'%s' needs one argument, got %d", name, len(args))
		}
		return f(v, args[0])
	}
}

func cmpTest(name string, ok func(int) bool) testFunc {
	return oneArg(name, func(v, arg any) (bool, error) {
		c, err := compare(v, arg)
		return err == nil && ok(c), err
	})
}

func init() {
	eq := oneArg("eq", func(v, arg any) (bool, error) { return equal(v, arg), nil })
	ne := oneArg("ne", func(v, arg any) (bool, error) { return !equal(v, arg), nil })
	lt := cmpTest("lt", func(c int) bool { return c < 0 })
	le := cmpTest("le", func(c int) bool { return c <= 0 })
	gt := cmpTest("gt", func(c int) bool { return c > 0 })
	ge := cmpTest("ge", func(c int) bool { return c >= 0 })
	tests = map[string]testFunc{
		"boolean": func(v any, args []any) (bool, error) { _, ok := v.(bool); return ok, nil },
		"callable": func(v any, args []any) (bool, error) {
			switch v.(type) {
			case Func, FuncAt, envFunc, *method, *Macro, *boundMacro, Callable:
				return true, nil
			}
			return v != nil && reflect.ValueOf(v).Kind() == reflect.Func, nil
		},
		"defined":   func(v any, args []any) (bool, error) { _, undef := v.(Undefined); return !undef, nil },
		"undefined": func(v any, args []any) (bool, error) { _, undef := v.(Undefined); return undef, nil },
		"none":      func(v any, args []any) (bool, error) { return v == nil, nil },
		"divisibleby": oneArg("divisibleby", func(v, arg any) (bool, error) {
			a, ok1 := toInt(v)
			b, ok2 := toInt(arg)
			if !ok1 || !ok2 {
				return false, fmt.Errorf("divisibleby needs integers")
			}
			if b == 0 {
				return false, fmt.Errorf("division by zero")
			}
			return a%b == 0, nil
		}),
		"even": func(v any, args []any) (bool, error) { return parity(v, 0), nil },
		"odd":  func(v any, args []any) (bool, error) { return parity(v, 1), nil },
		"eq":   eq, "equalto": eq, "==": eq,
		"ne": ne, "!=": ne,
		"lt": lt, "lessthan": lt, "<": lt,
		"le": le, "<=": le,
		"gt": gt, "greaterthan": gt, ">": gt,
		"ge": ge, ">=": ge,
		"escaped": func(v any, args []any) (bool, error) { return false, nil },
		"false":   func(v any, args []any) (bool, error) { b, ok := v.(bool); return ok && !b, nil },
		"true":    func(v any, args []any) (bool, error) { b, ok := v.(bool); return ok && b, nil },
		"filter":  func(v any, args []any) (bool, error) { _, ok := filters[Str(v)]; return ok, nil },
		"test":    func(v any, args []any) (bool, error) { _, ok := tests[Str(v)]; return ok, nil },
		"float":   func(v any, args []any) (bool, error) { _, ok := v.(float64); return ok, nil },
		"integer": func(v any, args []any) (bool, error) { _, ok := toInt(v); return ok, nil },
		"number":  func(v any, args []any) (bool, error) { return isNumber(v), nil },
		"string":  func(v any, args []any) (bool, error) { _, ok := v.(string); return ok, nil },
		"mapping": func(v any, args []any) (bool, error) { return isMapping(v), nil },
		"sequence": func(v any, args []any) (bool, error) {
			_, ok := v.(string)
			return ok || isSequence(v) || isMapping(v), nil
		},
		"iterable": func(v any, args []any) (bool, error) {
			if _, ok := v.(Undefined); ok {
				return false, nil
			}
			_, ok := seq(v)
			return ok && v != nil, nil
		},
		"in": oneArg("in", func(v, arg any) (bool, error) { return contains(arg, v) }),
		"lower": func(v any, args []any) (bool, error) {
			s := Str(v) // Jinja's str(value).islower(): a cased character, none upper
			return strings.ToLower(s) == s && strings.ToUpper(s) != s, nil
		},
		"upper": func(v any, args []any) (bool, error) {
			s := Str(v) // Jinja's str(value).isupper(): a cased character, none lower
			return strings.ToUpper(s) == s && strings.ToLower(s) != s, nil
		},
		"sameas": oneArg("sameas", func(v, arg any) (bool, error) {
			switch v.(type) {
			case *List, *Dict:
				return v == arg, nil
			}
			return equal(v, arg) && typeName(v) == typeName(arg), nil
		}),
	}
}

// parity is Jinja's value % 2 == r (2.0 is even, 2.5 neither).
func parity(v any, r int) bool {
	if f, ok := v.(float64); ok {
		m := math.Mod(f, 2)
		if m < 0 {
			m += 2
		}
		return m == float64(r)
	}
	n, ok := toInt(v)
	return ok && (n%2+2)%2 == r
}
