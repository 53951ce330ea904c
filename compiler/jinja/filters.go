package jinja

import (
	"fmt"
	"html"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// filterFunc implements `value | name(args)`.
type filterFunc func(e *env, v any, args []any, kw map[string]any) (any, error)

// filters are Jinja's builtin filters plus dbt's (as_bool, as_number,
// as_native, as_text).
var filters map[string]filterFunc

func filterNames() []string { return sortedMapKeys(filters) }

// titleFilter is Jinja's title filter (not str.title): a word starts
// after a run of spaces, '-', '(', '{', '[' or '<', and is capitalised.
func titleFilter(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := true
	for _, r := range s {
		switch {
		case r == '-' || r == '(' || r == '{' || r == '[' || r == '<' || unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f:
			start = true
			b.WriteRune(r)
		case start:
			start = false
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func strFilter(f func(string) string) filterFunc {
	return func(e *env, v any, args []any, kw map[string]any) (any, error) { return f(Str(v)), nil }
}

// multiAttrGetter is sort's key for attribute='a,b': the list of the
// attributes' values (strings lowered unless caseSensitive).
func multiAttrGetter(attrs string, caseSensitive bool) func(any) any {
	var gets []func(any) any
	for _, a := range strings.Split(attrs, ",") {
		gets = append(gets, attrGetter(a))
	}
	return func(x any) any {
		out := make([]any, len(gets))
		for i, g := range gets {
			out[i] = g(x)
			if s, ok := out[i].(string); ok && !caseSensitive {
				out[i] = strings.ToLower(s)
			}
		}
		return &List{Items: out}
	}
}

// attrGetter returns a function reading a (dotted) attribute, or identity.
func attrGetter(attr any) func(any) any {
	if attr == nil {
		return func(x any) any { return x }
	}
	parts := strings.Split(Str(attr), ".")
	return func(x any) any {
		for _, p := range parts {
			if n, err := strconv.Atoi(p); err == nil {
				x = getItem(x, n)
			} else {
				x = getItem(x, p)
			}
		}
		return x
	}
}

func iterable(name string, v any) ([]any, error) {
	items, ok := seq(v)
	if !ok {
		return nil, fmt.Errorf("%s needs a sequence, not %s", name, typeName(v))
	}
	return items, nil
}

func init() {
	filters = map[string]filterFunc{
		"abs": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			i, f, isF, ok := number(v)
			switch {
			case !ok:
				return nil, fmt.Errorf("bad operand type for abs(): %s", typeName(v))
			case isF:
				return math.Abs(f), nil
			case i < 0:
				return -i, nil
			}
			return i, nil
		},
		"attr": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("attr", args, 1, 1); err != nil {
				return nil, err
			}
			return getAttr(v, Str(args[0])), nil
		},
		"batch": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("batch", v)
			if err != nil {
				return nil, err
			}
			n, _ := toInt(argN(args, kw, 0, "linecount", 1))
			if n <= 0 || n > maxLen {
				return nil, fmt.Errorf("batch size must be between 1 and %d", maxLen)
			}
			fill, hasFill := argN(args, kw, 1, "fill_with", nil), argN(args, kw, 1, "fill_with", nil) != nil
			var out []any
			for i := 0; i < len(xs); i += n {
				chunk := append([]any(nil), xs[i:min(i+n, len(xs))]...)
				for hasFill && len(chunk) < n {
					chunk = append(chunk, fill)
				}
				out = append(out, &List{Items: chunk})
			}
			return &List{Items: out}, nil
		},
		"capitalize": strFilter(capitalize),
		"center": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			w, _ := toInt(argN(args, kw, 0, "width", 80))
			return pyCenter(Str(v), min(w, maxLen), " "), nil
		},
		"count":   lengthFilter,
		"length":  lengthFilter,
		"default": defaultFilter,
		"d":       defaultFilter,
		"dictsort": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if !isMapping(v) {
				return nil, fmt.Errorf("dictsort needs a dict, not %s", typeName(v))
			}
			by := Str(argN(args, kw, 1, "by", "key"))
			idx := 0
			if by == "value" {
				idx = 1
			}
			sorted, err := sortItems(items(v), Truth(argN(args, kw, 2, "reverse", false)), Truth(argN(args, kw, 0, "case_sensitive", false)),
				func(x any) any { return x.(*List).Items[idx] })
			return &List{Items: sorted}, err
		},
		"escape": strFilter(html.EscapeString),
		"e":      strFilter(html.EscapeString),
		"first": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("first", v)
			if err != nil {
				return nil, err
			}
			if len(xs) == 0 {
				return Undefined{Name: "first"}, nil
			}
			return xs[0], nil
		},
		"last": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("last", v)
			if err != nil {
				return nil, err
			}
			if len(xs) == 0 {
				return Undefined{Name: "last"}, nil
			}
			return xs[len(xs)-1], nil
		},
		"float": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			def := argN(args, kw, 0, "default", 0.0)
			if f, ok := toFloat(v); ok {
				return f, nil
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(Str(v)), 64)
			if err != nil {
				return def, nil
			}
			return f, nil
		},
		"int": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			def := argN(args, kw, 0, "default", 0)
			base, _ := toInt(argN(args, kw, 1, "base", 10))
			i, f, isF, ok := number(v)
			if ok {
				if isF {
					return int(f), nil
				}
				return i, nil
			}
			s := strings.ReplaceAll(strings.TrimSpace(Str(v)), "_", "")
			if n, err := strconv.ParseInt(basePrefixTrimmed(s, base), base, 64); err == nil {
				return int(n), nil
			}
			if fl, err := strconv.ParseFloat(s, 64); err == nil { // Jinja's int(float(value))
				return int(fl), nil
			}
			return def, nil
		},
		"format": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if len(kw) > 0 {
				d := NewDict()
				for _, k := range sortedMapKeys(kw) {
					d.Set(k, kw[k])
				}
				return percentFormat(Str(v), d)
			}
			return percentFormat(Str(v), &List{Items: args, Tuple: true})
		},
		"groupby": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("groupby", v)
			if err != nil {
				return nil, err
			}
			// groupby(attribute, default=None, case_sensitive=False): items
			// are (grouper, list) named tuples; a group's grouper is its
			// first item's key
			attr := attrGetter(argN(args, kw, 0, "attribute", nil))
			def := argN(args, kw, 1, "default", nil)
			get := attr
			if def != nil {
				get = func(x any) any {
					if k := attr(x); !isUndef(k) {
						return k
					}
					return def
				}
			}
			caseSensitive := Truth(argN(args, kw, 2, "case_sensitive", false))
			sorted, err := sortItems(xs, false, caseSensitive, get)
			if err != nil {
				return nil, err
			}
			fold := func(k any) any {
				if s, ok := k.(string); ok && !caseSensitive {
					return strings.ToLower(s)
				}
				return k
			}
			var out []any
			var last any
			for _, x := range sorted {
				k := get(x)
				if n := len(out); n > 0 && equal(last, fold(k)) {
					g := out[n-1].(*List).Items[1].(*List)
					g.Items = append(g.Items, x)
					continue
				}
				last = fold(k)
				out = append(out, &List{Items: []any{k, &List{Items: []any{x}}}, Tuple: true, kind: groupTuple})
			}
			return &List{Items: out}, nil
		},
		"indent": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			width := argN(args, kw, 0, "width", 4)
			pad := Str(width)
			if n, ok := toInt(width); ok {
				pad = strings.Repeat(" ", max(0, min(n, 1000)))
			}
			first, blank := Truth(argN(args, kw, 1, "first", false)), Truth(argN(args, kw, 2, "blank", false))
			// Jinja's do_indent: (s + "\n").splitlines(), every line but the
			// first indented (blank ones only with blank=true)
			lines := pySplitlines(Str(v) + "\n")
			if len(lines)*len(pad) > maxLen {
				return nil, fmt.Errorf("the indented text would be too long")
			}
			for i, l := range lines {
				if i == 0 || l == "" && !blank {
					continue
				}
				lines[i] = pad + l
			}
			out := strings.Join(lines, "\n")
			if first {
				out = pad + out
			}
			return out, nil
		},
		"items": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if _, ok := v.(Undefined); ok {
				return &List{}, nil
			}
			if !isMapping(v) {
				return nil, fmt.Errorf("items needs a dict, not %s", typeName(v))
			}
			return &List{Items: items(v)}, nil
		},
		"join": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("join", v)
			if err != nil {
				return nil, err
			}
			sep := Str(argN(args, kw, 0, "d", ""))
			get := attrGetter(argN(args, kw, 1, "attribute", nil))
			parts := make([]string, len(xs))
			for i, x := range xs {
				parts[i] = Str(get(x))
			}
			return strings.Join(parts, sep), nil
		},
		"list": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("list", v)
			if err != nil {
				return nil, err
			}
			return &List{Items: append([]any(nil), xs...)}, nil
		},
		"lower": strFilter(strings.ToLower),
		"map":   mapFilter,
		"max":   extremumFilter("max", 1),
		"min":   extremumFilter("min", -1),
		"pprint": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			return repr(v), nil
		},
		"reject":     selectFilter(true, false),
		"rejectattr": selectFilter(true, true),
		"select":     selectFilter(false, false),
		"selectattr": selectFilter(false, true),
		"replace": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("replace", args, 2, 3); err != nil {
				return nil, err
			}
			n := -1
			if c := argN(args, kw, 2, "count", nil); c != nil {
				n, _ = toInt(c)
			}
			return strings.Replace(Str(v), Str(args[0]), Str(args[1]), n), nil
		},
		"reverse": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if s, ok := v.(string); ok {
				r := []rune(s)
				for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
					r[i], r[j] = r[j], r[i]
				}
				return string(r), nil
			}
			xs, err := iterable("reverse", v)
			if err != nil {
				return nil, err
			}
			out := append([]any(nil), xs...)
			reverseItems(out)
			return &List{Items: out}, nil
		},
		"round": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			f, ok := toFloat(v)
			if !ok {
				return nil, fmt.Errorf("round needs a number, not %s", typeName(v))
			}
			prec, _ := toInt(argN(args, kw, 0, "precision", 0))
			p := math.Pow(10, float64(prec))
			switch Str(argN(args, kw, 1, "method", "common")) {
			case "ceil":
				return math.Ceil(f*p) / p, nil
			case "floor":
				return math.Floor(f*p) / p, nil
			case "common": // Python's round(): an int stays an int
				if i, _, isFloat, ok := number(v); ok && !isFloat {
					return pyRoundInt(i, prec), nil
				}
				return pyRound(f, prec), nil
			}
			return nil, fmt.Errorf("method must be common, ceil or floor")
		},
		"safe": func(e *env, v any, args []any, kw map[string]any) (any, error) { return v, nil },
		"slice": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("slice", v)
			if err != nil {
				return nil, err
			}
			n, _ := toInt(argN(args, kw, 0, "slices", 1))
			if n <= 0 || n > max(len(xs), maxRange) {
				return nil, fmt.Errorf("slices must be between 1 and %d", max(len(xs), maxRange))
			}
			fill := argN(args, kw, 1, "fill_with", nil)
			// Jinja's do_slice: the first len % n slices get an extra item,
			// the others the fill_with value when there is one
			per, extra := len(xs)/n, len(xs)%n
			out := make([]any, 0, n)
			off := 0
			for k := 0; k < n; k++ {
				start := off + k*per
				if k < extra {
					off++
				}
				items := append([]any(nil), xs[start:off+(k+1)*per]...)
				if fill != nil && k >= extra {
					items = append(items, fill)
				}
				out = append(out, &List{Items: items})
			}
			return &List{Items: out}, nil
		},
		"sort": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("sort", v)
			if err != nil {
				return nil, err
			}
			var key func(any) any
			caseSensitive := Truth(argN(args, kw, 1, "case_sensitive", false))
			if a := argN(args, kw, 2, "attribute", nil); a != nil {
				key = attrGetter(a)
				if s, ok := a.(string); ok && strings.Contains(s, ",") {
					key = multiAttrGetter(s, caseSensitive)
				}
			}
			sorted, err := sortItems(xs, Truth(argN(args, kw, 0, "reverse", false)), caseSensitive, key)
			return &List{Items: sorted}, err
		},
		"string":    strFilter(func(s string) string { return s }),
		"as_text":   strFilter(func(s string) string { return s }),
		"striptags": strFilter(func(s string) string { return strings.Join(strings.Fields(tagRE().ReplaceAllString(s, "")), " ") }),
		"sum": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("sum", v)
			if err != nil {
				return nil, err
			}
			get := attrGetter(argN(args, kw, 0, "attribute", nil))
			total := argN(args, kw, 1, "start", 0)
			for _, x := range xs {
				if total, err = arith("+", total, get(x)); err != nil {
					return nil, err
				}
			}
			return total, nil
		},
		"title": strFilter(titleFilter),
		"tojson": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			return toJSON(v, argN(args, kw, 0, "indent", nil))
		},
		"trim": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if c := argN(args, kw, 0, "chars", nil); c != nil {
				return strings.Trim(Str(v), Str(c)), nil
			}
			return strings.TrimSpace(Str(v)), nil
		},
		"truncate": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			s := Str(v)
			n, _ := toInt(argN(args, kw, 0, "length", 255))
			killwords := Truth(argN(args, kw, 1, "killwords", false))
			end := Str(argN(args, kw, 2, "end", "..."))
			leeway, _ := toInt(argN(args, kw, 3, "leeway", 5))
			r := []rune(s)
			if len(r) <= n+leeway {
				return s, nil
			}
			cut := string(r[:max(0, n-utf8.RuneCountInString(end))])
			if !killwords {
				if i := strings.LastIndexByte(cut, ' '); i >= 0 {
					cut = cut[:i]
				}
			}
			return cut + end, nil
		},
		"unique": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			xs, err := iterable("unique", v)
			if err != nil {
				return nil, err
			}
			cs := Truth(argN(args, kw, 0, "case_sensitive", false))
			get := attrGetter(argN(args, kw, 1, "attribute", nil))
			var out []any
			seen := map[any]bool{}
			for _, x := range xs {
				k := get(x)
				if s, ok := k.(string); ok && !cs {
					k = strings.ToLower(s)
				}
				key := dictKey(k)
				if seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, x)
			}
			return &List{Items: out}, nil
		},
		"upper": strFilter(pyUpper),
		"urlencode": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if isMapping(v) {
				var parts []string
				for _, it := range items(v) {
					kv := it.(*List).Items
					parts = append(parts, url.QueryEscape(Str(kv[0]))+"="+url.QueryEscape(Str(kv[1])))
				}
				return strings.Join(parts, "&"), nil
			}
			return strings.ReplaceAll(url.QueryEscape(Str(v)), "+", "%20"), nil
		},
		"wordcount": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			n, in := 0, false // Jinja counts runs of \w
			for _, r := range Str(v) {
				w := r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
				if w && !in {
					n++
				}
				in = w
			}
			return n, nil
		},
		"as_bool": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if s, ok := v.(string); ok {
				switch strings.TrimSpace(s) {
				case "True", "true":
					return true, nil
				case "False", "false":
					return false, nil
				}
				return s, nil
			}
			return v, nil
		},
		"bool": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if s, ok := v.(string); ok {
				s = strings.ToLower(strings.TrimSpace(s))
				return s == "true" || s == "1" || s == "yes" || s == "on", nil
			}
			return Truth(v), nil
		},
		"as_number": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			s, ok := v.(string)
			if !ok {
				return v, nil
			}
			s = strings.TrimSpace(s)
			if n, err := strconv.Atoi(s); err == nil {
				return n, nil
			}
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return f, nil
			}
			return v, nil
		},
		"as_native": func(e *env, v any, args []any, kw map[string]any) (any, error) {
			if s, ok := v.(string); ok {
				return literal(s), nil
			}
			return v, nil
		},
	}
}

// filterArity is how many positional arguments each filter takes at most
// (filters that take any number are absent).
var filterArity = map[string]int{"abs": 0, "attr": 1, "batch": 2, "capitalize": 0, "center": 1, "count": 0,
	"d": 2, "default": 2, "dictsort": 3, "e": 0, "escape": 0, "first": 0, "float": 1, "groupby": 3, "indent": 3,
	"int": 2, "items": 0, "join": 2, "last": 0, "length": 0, "list": 0, "lower": 0, "max": 2, "min": 2,
	"pprint": 0, "replace": 3, "reverse": 0, "round": 2, "safe": 0, "slice": 2, "sort": 3, "string": 0,
	"striptags": 0, "sum": 2, "title": 0, "tojson": 1, "trim": 1, "truncate": 4, "unique": 2, "upper": 0,
	"urlencode": 0, "wordcount": 0, "as_bool": 0, "bool": 0, "as_number": 0, "as_native": 0, "as_text": 0}

var tagRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`) })

func isStrPair(a, b any) bool {
	_, ok1 := a.(string)
	_, ok2 := b.(string)
	return ok1 && ok2
}

func lengthFilter(e *env, v any, args []any, kw map[string]any) (any, error) {
	n, ok := length(v)
	if !ok {
		return nil, fmt.Errorf("a %s value has no length", typeName(v))
	}
	return n, nil
}

func defaultFilter(e *env, v any, args []any, kw map[string]any) (any, error) {
	def := argN(args, kw, 0, "default_value", "")
	boolean := Truth(argN(args, kw, 1, "boolean", false))
	if _, undef := v.(Undefined); undef || boolean && !Truth(v) {
		return def, nil
	}
	return v, nil
}

func mapFilter(e *env, v any, args []any, kw map[string]any) (any, error) {
	if !Truth(v) {
		return &List{}, nil // Jinja maps a false value (none) to nothing
	}
	xs, err := iterable("map", v)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(xs))
	if attr, ok := kw["attribute"]; ok {
		get := attrGetter(attr)
		def, hasDef := kw["default"]
		for i, x := range xs {
			out[i] = get(x)
			if _, undef := out[i].(Undefined); undef && hasDef {
				out[i] = def
			}
		}
		return &List{Items: out}, nil
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("map needs a filter name or attribute=")
	}
	name := Str(args[0])
	f, ok := filters[name]
	if !ok {
		return nil, fmt.Errorf("unknown filter '%s'", name)
	}
	for i, x := range xs {
		y, err := f(e, x, args[1:], nil)
		if err != nil {
			return nil, err
		}
		out[i] = y
	}
	return &List{Items: out}, nil
}

func selectFilter(reject, attr bool) filterFunc {
	return func(e *env, v any, args []any, kw map[string]any) (any, error) {
		if !Truth(v) {
			return &List{}, nil // as Jinja: a false value (none) selects nothing
		}
		xs, err := iterable("select", v)
		if err != nil {
			return nil, err
		}
		get := func(x any) any { return x }
		if attr {
			if len(args) == 0 {
				return nil, fmt.Errorf("needs an attribute name")
			}
			get = attrGetter(args[0])
			args = args[1:]
		}
		var test testFunc
		if len(args) > 0 {
			name := Str(args[0])
			t, ok := tests[name]
			if !ok {
				return nil, fmt.Errorf("unknown test '%s'", name)
			}
			test, args = t, args[1:]
		}
		var out []any
		for _, x := range xs {
			y := get(x)
			ok := Truth(y)
			if test != nil {
				if ok, err = test(y, args); err != nil {
					return nil, err
				}
			}
			if ok != reject {
				out = append(out, x)
			}
		}
		return &List{Items: out}, nil
	}
}

func extremumFilter(name string, sign int) filterFunc {
	return func(e *env, v any, args []any, kw map[string]any) (any, error) {
		xs, err := iterable(name, v)
		if err != nil {
			return nil, err
		}
		if len(xs) == 0 {
			return Undefined{Name: name}, nil
		}
		cs := Truth(argN(args, kw, 0, "case_sensitive", false))
		get := attrGetter(argN(args, kw, 1, "attribute", nil))
		key := func(x any) any {
			k := get(x)
			if s, ok := k.(string); ok && !cs {
				return strings.ToLower(s)
			}
			return k
		}
		best := xs[0]
		for _, x := range xs[1:] {
			c, err := compare(key(x), key(best))
			if err != nil {
				return nil, err
			}
			if c*sign > 0 {
				best = x
			}
		}
		return best, nil
	}
}

func isUndef(v any) bool {
	_, ok := v.(Undefined)
	return ok
}

// basePrefixTrimmed drops the 0x, 0o or 0b that Python's int(s, base)
// accepts for base 16, 8 or 2 (Go's ParseInt accepts it for base 0 only).
func basePrefixTrimmed(s string, base int) string {
	prefix := map[int]string{16: "0x", 8: "0o", 2: "0b"}[base]
	if prefix == "" {
		return s
	}
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
	}
	if len(s) > 2 && strings.EqualFold(s[:2], prefix) {
		s = s[2:]
	}
	return sign + s
}

// pySplitlines is Python's str.splitlines(): lines end at \n, \r, \r\n,
// \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029.
func pySplitlines(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		default:
			continue
		}
		if i < start { // the \n of a \r\n
			continue
		}
		out = append(out, s[start:i])
		start = i + utf8.RuneLen(r)
		if r == '\r' && start < len(s) && s[start] == '\n' {
			start++
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
