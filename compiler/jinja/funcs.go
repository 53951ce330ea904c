package jinja

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/flosch/pongo2/v6"
)

// Kwarg is a keyword argument (name=value) as passed by rewritten calls.
type Kwarg struct {
	Name  string
	Value *pongo2.Value
}

// SplitArgs separates positional from keyword arguments.
func SplitArgs(args []*pongo2.Value) (pos []*pongo2.Value, kw map[string]*pongo2.Value) {
	for _, a := range args {
		if k, ok := a.Interface().(*Kwarg); ok {
			if kw == nil {
				kw = map[string]*pongo2.Value{}
			}
			kw[k.Name] = k.Value
			continue
		}
		pos = append(pos, a)
	}
	return pos, kw
}

// Native converts a pongo2 value into plain Go data (string, bool, int,
// float64, []any, map[string]any, nil).
func Native(v *pongo2.Value) any {
	if v == nil || v.IsNil() {
		return nil
	}
	return native(v.Interface())
}

func native(x any) any {
	switch t := x.(type) {
	case nil, string, bool, int, float64, []any, map[string]any:
		return t
	case *pongo2.Value:
		return Native(t)
	case fmt.Stringer:
		return t.String()
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int())
	case reflect.Float32:
		return rv.Float()
	case reflect.Slice:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = native(rv.Index(i).Interface())
		}
		return out
	}
	return x
}

// builtins are the helper functions that rewritten templates call.
func builtins() pongo2.Context {
	return pongo2.Context{
		"__list": func(args ...*pongo2.Value) []any {
			out := make([]any, len(args))
			for i, a := range args {
				out[i] = a.Interface()
			}
			return out
		},
		"__dict": func(args ...*pongo2.Value) (map[string]any, error) {
			if len(args)%2 != 0 {
				return nil, fmt.Errorf("dict literal needs key: value pairs")
			}
			out := make(map[string]any, len(args)/2)
			for i := 0; i < len(args); i += 2 {
				out[args[i].String()] = args[i+1].Interface()
			}
			return out, nil
		},
		"__kw": func(name *pongo2.Value, v *pongo2.Value) *Kwarg {
			return &Kwarg{Name: name.String(), Value: v}
		},
		"__none": nil,
		"__return": func(ec *pongo2.ExecutionContext, v *pongo2.Value) (string, error) {
			slot, ok := ec.Private[returnKey].(*returnSlot)
			if !ok {
				return "", fmt.Errorf("return() used outside of a macro")
			}
			slot.set, slot.val = true, v.Interface()
			return "", nil
		},
	}
}

func init() {
	jinjaFilterFuncs["map"] = mapFilter
	for name, f := range jinjaFilterFuncs {
		mustTag(pongo2.RegisterFilter("__f_"+name, f))
	}
	for name, f := range methodFuncs {
		mustTag(pongo2.RegisterFilter("__m_"+name, f))
	}
	mustTag(pongo2.RegisterFilter("__is", testFilter(false)))
	mustTag(pongo2.RegisterFilter("__isnot", testFilter(true)))
}

type filterFunc = func(in, param *pongo2.Value) (*pongo2.Value, *pongo2.Error)

// fargs returns the arguments of a filter or method call.
func fargs(param *pongo2.Value) ([]any, map[string]any) {
	if param == nil || param.IsNil() {
		return nil, nil
	}
	list, ok := param.Interface().([]any)
	if !ok {
		return []any{param.Interface()}, nil
	}
	var pos []any
	var kw map[string]any
	for _, a := range list {
		if k, ok := a.(*Kwarg); ok {
			if kw == nil {
				kw = map[string]any{}
			}
			kw[k.Name] = k.Value.Interface()
			continue
		}
		pos = append(pos, a)
	}
	return pos, kw
}

func ferr(name string, err error) *pongo2.Error {
	return &pongo2.Error{Sender: "filter:" + name, OrigError: err}
}

func str(x any) string {
	switch t := x.(type) {
	case nil:
		return ""
	case string:
		return t
	case *pongo2.Value:
		return t.String()
	}
	return pongo2.AsValue(x).String()
}

func items(v *pongo2.Value) []any {
	var out []any
	if v == nil || v.IsNil() {
		return nil
	}
	if m, ok := v.Interface().(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, k)
		}
		return out
	}
	v.Iterate(func(idx, count int, key, value *pongo2.Value) bool {
		out = append(out, key.Interface())
		return true
	}, func() {})
	return out
}

func arg(pos []any, kw map[string]any, i int, name string, def any) any {
	if i < len(pos) {
		return pos[i]
	}
	if v, ok := kw[name]; ok {
		return v
	}
	return def
}

var jinjaFilterFuncs = map[string]filterFunc{
	"join": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, kw := fargs(p)
		sep := str(arg(pos, kw, 0, "d", ""))
		var parts []string
		for _, x := range items(in) {
			parts = append(parts, str(x))
		}
		return pongo2.AsSafeValue(strings.Join(parts, sep)), nil
	},
	"default": defaultFilter,
	"d":       defaultFilter,
	"replace": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, kw := fargs(p)
		return pongo2.AsSafeValue(strings.ReplaceAll(in.String(), str(arg(pos, kw, 0, "old", "")), str(arg(pos, kw, 1, "new", "")))), nil
	},
	"trim":       strFilter(strings.TrimSpace),
	"upper":      strFilter(strings.ToUpper),
	"lower":      strFilter(strings.ToLower),
	"capitalize": strFilter(capitalize),
	"title":      strFilter(title),
	"string":     strFilter(func(s string) string { return s }),
	"as_text":    strFilter(func(s string) string { return s }),
	"int": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		if in.IsFloat() {
			return pongo2.AsValue(int(in.Float())), nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(in.String()))
		if err != nil {
			f, ferr := strconv.ParseFloat(strings.TrimSpace(in.String()), 64)
			if ferr != nil {
				return pongo2.AsValue(0), nil
			}
			n = int(f)
		}
		return pongo2.AsValue(n), nil
	},
	"float": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(in.String()), 64)
		if err != nil {
			f = 0
		}
		return pongo2.AsValue(f), nil
	},
	"as_number": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		if n, err := strconv.Atoi(strings.TrimSpace(in.String())); err == nil {
			return pongo2.AsValue(n), nil
		}
		f, _ := strconv.ParseFloat(strings.TrimSpace(in.String()), 64)
		return pongo2.AsValue(f), nil
	},
	"bool":      boolFilter,
	"as_bool":   boolFilter,
	"as_native": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) { return in, nil },
	"list": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		if in.IsString() {
			var out []any
			for _, r := range in.String() {
				out = append(out, string(r))
			}
			return pongo2.AsValue(out), nil
		}
		return pongo2.AsValue(items(in)), nil
	},
	"items":  func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) { return in, nil },
	"length": lengthFilter,
	"count":  lengthFilter,
	"first": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		xs := items(in)
		if len(xs) == 0 {
			return pongo2.AsValue(nil), nil
		}
		return pongo2.AsValue(xs[0]), nil
	},
	"last": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		xs := items(in)
		if len(xs) == 0 {
			return pongo2.AsValue(nil), nil
		}
		return pongo2.AsValue(xs[len(xs)-1]), nil
	},
	"unique": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		seen := map[string]bool{}
		var out []any
		for _, x := range items(in) {
			if k := str(x); !seen[k] {
				seen[k] = true
				out = append(out, x)
			}
		}
		return pongo2.AsValue(out), nil
	},
	"sort": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		xs := append([]any(nil), items(in)...)
		sort.SliceStable(xs, func(i, j int) bool { return less(xs[i], xs[j]) })
		pos, kw := fargs(p)
		if r, _ := arg(pos, kw, 0, "reverse", false).(bool); r {
			reverse(xs)
		}
		return pongo2.AsValue(xs), nil
	},
	"reverse": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		if in.IsString() {
			r := []rune(in.String())
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return pongo2.AsValue(string(r)), nil
		}
		xs := append([]any(nil), items(in)...)
		reverse(xs)
		return pongo2.AsValue(xs), nil
	},
	"sum": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		total, isFloat := 0.0, false
		for _, x := range items(in) {
			v := pongo2.AsValue(x)
			if v.IsFloat() {
				isFloat = true
			}
			total += v.Float()
		}
		if isFloat {
			return pongo2.AsValue(total), nil
		}
		return pongo2.AsValue(int(total)), nil
	},
	"min": extremum(func(a, b any) bool { return less(a, b) }),
	"max": extremum(func(a, b any) bool { return less(b, a) }),
	"tojson": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		b, err := json.Marshal(native(in.Interface()))
		if err != nil {
			return nil, ferr("tojson", err)
		}
		return pongo2.AsSafeValue(string(b)), nil
	},
	"round": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, kw := fargs(p)
		prec := pongo2.AsValue(arg(pos, kw, 0, "precision", 0)).Integer()
		f := math.Pow(10, float64(prec))
		return pongo2.AsValue(math.Round(in.Float()*f) / f), nil
	},
	"abs": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		if in.IsInteger() {
			n := in.Integer()
			if n < 0 {
				n = -n
			}
			return pongo2.AsValue(n), nil
		}
		return pongo2.AsValue(math.Abs(in.Float())), nil
	},
	"indent": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, kw := fargs(p)
		n := pongo2.AsValue(arg(pos, kw, 0, "width", 4)).Integer()
		pad := strings.Repeat(" ", n)
		return pongo2.AsSafeValue(strings.ReplaceAll(in.String(), "\n", "\n"+pad)), nil
	},
	"format": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		return pongo2.AsSafeValue(fmt.Sprintf(in.String(), pos...)), nil
	},
	"wordcount": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		return pongo2.AsValue(len(strings.Fields(in.String()))), nil
	},
	"select":     selectFilter(false, false),
	"reject":     selectFilter(true, false),
	"selectattr": selectFilter(false, true),
	"rejectattr": selectFilter(true, true),
}

func mapFilter(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
	pos, kw := fargs(p)
	var out []any
	attr, hasAttr := kw["attribute"]
	for _, x := range items(in) {
		switch {
		case hasAttr:
			m, _ := x.(map[string]any)
			out = append(out, m[str(attr)])
		case len(pos) > 0:
			f, ok := jinjaFilterFuncs[str(pos[0])]
			if !ok {
				return nil, ferr("map", fmt.Errorf("map: unknown filter %q", str(pos[0])))
			}
			v, err := f(pongo2.AsValue(x), nil)
			if err != nil {
				return nil, err
			}
			out = append(out, v.Interface())
		default:
			out = append(out, x)
		}
	}
	return pongo2.AsValue(out), nil
}

func selectFilter(reject, attr bool) filterFunc {
	return func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		var out []any
		for _, x := range items(in) {
			v := x
			rest := pos
			if attr {
				if len(pos) == 0 {
					return nil, ferr("selectattr", fmt.Errorf("selectattr needs an attribute name"))
				}
				m, _ := x.(map[string]any)
				v = m[str(pos[0])]
				rest = pos[1:]
			}
			ok := pongo2.AsValue(v).IsTrue()
			if len(rest) > 0 {
				ok = runTest(str(rest[0]), pongo2.AsValue(v), rest[1:])
			}
			if ok != reject {
				out = append(out, x)
			}
		}
		return pongo2.AsValue(out), nil
	}
}

func extremum(better func(a, b any) bool) filterFunc {
	return func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		xs := items(in)
		if len(xs) == 0 {
			return pongo2.AsValue(nil), nil
		}
		best := xs[0]
		for _, x := range xs[1:] {
			if better(x, best) {
				best = x
			}
		}
		return pongo2.AsValue(best), nil
	}
}

func reverse(xs []any) {
	for i, j := 0, len(xs)-1; i < j; i, j = i+1, j-1 {
		xs[i], xs[j] = xs[j], xs[i]
	}
}

func less(a, b any) bool {
	va, vb := pongo2.AsValue(a), pongo2.AsValue(b)
	if va.IsNumber() && vb.IsNumber() {
		return va.Float() < vb.Float()
	}
	return va.String() < vb.String()
}

func defaultFilter(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
	pos, kw := fargs(p)
	def := arg(pos, kw, 0, "default_value", "")
	boolean, _ := arg(pos, kw, 1, "boolean", false).(bool)
	if in == nil || in.IsNil() || boolean && !in.IsTrue() {
		return pongo2.AsValue(def), nil
	}
	return in, nil
}

func boolFilter(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
	if in.IsString() {
		s := strings.ToLower(strings.TrimSpace(in.String()))
		return pongo2.AsValue(s == "true" || s == "1" || s == "yes" || s == "on"), nil
	}
	return pongo2.AsValue(in.IsTrue()), nil
}

func lengthFilter(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
	if in == nil || in.IsNil() {
		return pongo2.AsValue(0), nil
	}
	return pongo2.AsValue(in.Len()), nil
}

func strFilter(f func(string) string) filterFunc {
	return func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		return pongo2.AsSafeValue(f(in.String())), nil
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

func title(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = capitalize(w)
	}
	return strings.Join(words, " ")
}

var methodFuncs = map[string]filterFunc{
	"upper":      strFilter(strings.ToUpper),
	"lower":      strFilter(strings.ToLower),
	"title":      strFilter(title),
	"capitalize": strFilter(capitalize),
	"isdigit": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		s := in.String()
		_, err := strconv.ParseUint(s, 10, 64)
		return pongo2.AsValue(s != "" && err == nil), nil
	},
	"strip":  trimMethod(strings.Trim, strings.TrimSpace),
	"lstrip": trimMethod(strings.TrimLeft, func(s string) string { return strings.TrimLeft(s, " \t\r\n") }),
	"rstrip": trimMethod(strings.TrimRight, func(s string) string { return strings.TrimRight(s, " \t\r\n") }),
	"split": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, kw := fargs(p)
		var parts []string
		if sep := arg(pos, kw, 0, "sep", nil); sep == nil {
			parts = strings.Fields(in.String())
		} else {
			parts = strings.Split(in.String(), str(sep))
		}
		out := make([]any, len(parts))
		for i, s := range parts {
			out[i] = s
		}
		return pongo2.AsValue(out), nil
	},
	"replace": jinjaFilterFuncs["replace"],
	"startswith": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		return pongo2.AsValue(len(pos) > 0 && strings.HasPrefix(in.String(), str(pos[0]))), nil
	},
	"endswith": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		return pongo2.AsValue(len(pos) > 0 && strings.HasSuffix(in.String(), str(pos[0]))), nil
	},
	"get": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		if len(pos) == 0 {
			return nil, ferr("get", fmt.Errorf("get() needs a key"))
		}
		if m, ok := in.Interface().(map[string]any); ok {
			if v, ok := m[str(pos[0])]; ok {
				return pongo2.AsValue(v), nil
			}
		}
		if len(pos) > 1 {
			return pongo2.AsValue(pos[1]), nil
		}
		return pongo2.AsValue(nil), nil
	},
	"keys": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) { return pongo2.AsValue(items(in)), nil },
	"values": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		m, _ := in.Interface().(map[string]any)
		var out []any
		for _, k := range items(in) {
			out = append(out, m[str(k)])
		}
		return pongo2.AsValue(out), nil
	},
	"items": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) { return in, nil },
	"join": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		if len(pos) == 0 {
			return nil, ferr("join", fmt.Errorf("join() needs a list"))
		}
		var parts []string
		for _, x := range items(pongo2.AsValue(pos[0])) {
			parts = append(parts, str(x))
		}
		return pongo2.AsSafeValue(strings.Join(parts, in.String())), nil
	},
	"format": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, kw := fargs(p)
		s := in.String()
		for k, v := range kw {
			s = strings.ReplaceAll(s, "{"+k+"}", str(v))
		}
		for i, v := range pos {
			s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", str(v))
			s = strings.Replace(s, "{}", str(v), 1)
		}
		return pongo2.AsSafeValue(s), nil
	},
	"count": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		if len(pos) == 0 {
			return pongo2.AsValue(in.Len()), nil
		}
		return pongo2.AsValue(strings.Count(in.String(), str(pos[0]))), nil
	},
	"index": func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		if len(pos) == 0 {
			return nil, ferr("index", fmt.Errorf("index() needs a value"))
		}
		if in.IsString() {
			return pongo2.AsValue(strings.Index(in.String(), str(pos[0]))), nil
		}
		for i, x := range items(in) {
			if str(x) == str(pos[0]) {
				return pongo2.AsValue(i), nil
			}
		}
		return pongo2.AsValue(-1), nil
	},
	"append": mutation("append"),
	"extend": mutation("extend"),
	"update": mutation("update"),
	"pop":    mutation("pop"),
}

func mutation(name string) filterFunc {
	return func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		return nil, ferr(name, fmt.Errorf(".%s() changes a value in place, which mart templates do not support: build a new list instead, e.g. {%% set xs = xs + [x] %%}", name))
	}
}

func trimMethod(withChars func(string, string) string, plain func(string) string) filterFunc {
	return func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		pos, _ := fargs(p)
		if len(pos) > 0 {
			return pongo2.AsSafeValue(withChars(in.String(), str(pos[0]))), nil
		}
		return pongo2.AsSafeValue(plain(in.String())), nil
	}
}

func testFilter(negate bool) filterFunc {
	return func(in, p *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		return pongo2.AsValue(runTest(p.String(), in, nil) != negate), nil
	}
}

func runTest(name string, v *pongo2.Value, args []any) bool {
	switch name {
	case "none":
		return v == nil || v.IsNil()
	case "defined":
		return v != nil && !v.IsNil()
	case "undefined":
		return v == nil || v.IsNil()
	case "string":
		return v.IsString()
	case "number", "integer", "float":
		return v.IsNumber()
	case "mapping":
		_, ok := v.Interface().(map[string]any)
		return ok
	case "iterable", "sequence":
		return v.CanSlice() || v.IsString()
	case "true":
		return v.IsBool() && v.IsTrue()
	case "false":
		return v.IsBool() && !v.IsTrue()
	case "equalto", "eq", "==":
		return len(args) > 0 && v.EqualValueTo(pongo2.AsValue(args[0]))
	case "ne", "!=":
		return len(args) > 0 && !v.EqualValueTo(pongo2.AsValue(args[0]))
	}
	return false
}
