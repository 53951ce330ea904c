package jinja

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Python methods that templates call on strings, lists and dicts
// ("a,b".split(","), xs.append(x), d.items()).

type methodFunc func(e *env, recv any, args []any, kw map[string]any) (any, error)

// method is a method bound to its receiver (the value of x.upper).
type method struct {
	recv any
	name string
	fn   methodFunc
}

func (m *method) String() string { return "<method " + m.name + ">" }

// mutating methods change their receiver; they work on template lists and
// dicts but not on values that came from Go (vars, target, config).
var mutating = map[string]bool{"append": true, "extend": true, "insert": true, "pop": true, "remove": true,
	"update": true, "setdefault": true, "clear": true, "sort": true, "reverse": true}

// argN returns argument i (positional, or keyword name), or def.
func argN(args []any, kw map[string]any, i int, name string, def any) any {
	if i < len(args) {
		return args[i]
	}
	if v, ok := kw[name]; ok {
		return v
	}
	return def
}

func wantArgs(name string, args []any, lo, hi int) error {
	if len(args) < lo || hi >= 0 && len(args) > hi {
		switch {
		case lo == hi:
			return fmt.Errorf("%s() takes %d argument%s, got %d", name, lo, plural(lo), len(args))
		case hi < 0:
			return fmt.Errorf("%s() takes at least %d argument%s, got %d", name, lo, plural(lo), len(args))
		}
		return fmt.Errorf("%s() takes %d to %d arguments, got %d", name, lo, hi, len(args))
	}
	return nil
}

func strMethod(f func(s string, args []any, kw map[string]any) (any, error)) methodFunc {
	return func(e *env, recv any, args []any, kw map[string]any) (any, error) {
		return f(recv.(string), args, kw)
	}
}

func strTransform(name string, f func(string) string) methodFunc {
	return strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs(name, args, 0, 0); err != nil {
			return nil, err
		}
		return f(s), nil
	})
}

func strPredicate(name string, f func(rune) bool) methodFunc {
	return strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if s == "" {
			return false, nil
		}
		for _, r := range s {
			if !f(r) {
				return false, nil
			}
		}
		return true, nil
	})
}

func stripMethod(name string, withChars func(string, string) string, plain func(string) string) methodFunc {
	return strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs(name, args, 0, 1); err != nil {
			return nil, err
		}
		if c := argN(args, kw, 0, "chars", nil); c != nil {
			return withChars(s, Str(c)), nil
		}
		return plain(s), nil
	})
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

var strMethods map[string]methodFunc

func init() {
	strMethods = map[string]methodFunc{
		"upper":      strTransform("upper", pyUpper),
		"lower":      strTransform("lower", strings.ToLower),
		"casefold":   strTransform("casefold", pyCasefold),
		"title":      strTransform("title", title),
		"capitalize": strTransform("capitalize", capitalize),
		"swapcase": strTransform("swapcase", func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsUpper(r) {
					return unicode.ToLower(r)
				}
				return unicode.ToUpper(r)
			}, s)
		}),
		"strip":   stripMethod("strip", strings.Trim, strings.TrimSpace),
		"lstrip":  stripMethod("lstrip", strings.TrimLeft, func(s string) string { return strings.TrimLeftFunc(s, isSpace) }),
		"rstrip":  stripMethod("rstrip", strings.TrimRight, func(s string) string { return strings.TrimRightFunc(s, isSpace) }),
		"isdigit": strPredicate("isdigit", unicode.IsDigit),
		"isalpha": strPredicate("isalpha", unicode.IsLetter),
		"isalnum": strPredicate("isalnum", func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }),
		"isspace": strPredicate("isspace", unicode.IsSpace),
		"isupper": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			return strings.ToUpper(s) == s && strings.ToLower(s) != s, nil
		}),
		"islower": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			return strings.ToLower(s) == s && strings.ToUpper(s) != s, nil
		}),
		"split":  strMethod(func(s string, args []any, kw map[string]any) (any, error) { return splitMethod(s, args, kw, false) }),
		"rsplit": strMethod(func(s string, args []any, kw map[string]any) (any, error) { return splitMethod(s, args, kw, true) }),
		"splitlines": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
			if len(lines) > 0 && lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			return stringsList(lines), nil
		}),
		"replace": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("replace", args, 2, 3); err != nil {
				return nil, err
			}
			n := -1
			if len(args) == 3 {
				n, _ = toInt(args[2])
			}
			return strings.Replace(s, Str(args[0]), Str(args[1]), n), nil
		}),
		"startswith": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			return affix(s, args, strings.HasPrefix)
		}),
		"endswith": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			return affix(s, args, strings.HasSuffix)
		}),
		"format": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			return strFormat(s, args, kw)
		}),
		"join": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("join", args, 1, 1); err != nil {
				return nil, err
			}
			items, ok := seq(args[0])
			if !ok {
				return nil, fmt.Errorf("join() needs a sequence, not %s", typeName(args[0]))
			}
			parts := make([]string, len(items))
			for i, x := range items {
				parts[i] = Str(x)
			}
			return strings.Join(parts, s), nil
		}),
		"count": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("count", args, 1, 1); err != nil {
				return nil, err
			}
			return strings.Count(s, Str(args[0])), nil
		}),
		"find": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("find", args, 1, 1); err != nil {
				return nil, err
			}
			return runeIndex(s, strings.Index(s, Str(args[0]))), nil
		}),
		"rfind": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("rfind", args, 1, 1); err != nil {
				return nil, err
			}
			return runeIndex(s, strings.LastIndex(s, Str(args[0]))), nil
		}),
		"index": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("index", args, 1, 1); err != nil {
				return nil, err
			}
			i := strings.Index(s, Str(args[0]))
			if i < 0 {
				return nil, fmt.Errorf("substring not found")
			}
			return runeIndex(s, i), nil
		}),
		"zfill": strMethod(func(s string, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("zfill", args, 1, 1); err != nil {
				return nil, err
			}
			w, _ := toInt(args[0])
			return formatSpec(s, fmt.Sprintf("0>%d", w))
		}),
		"center": padMethod('^'),
		"ljust":  padMethod('<'),
		"rjust":  padMethod('>'),
	}
}

func runeIndex(s string, byteIdx int) int {
	if byteIdx < 0 {
		return -1
	}
	return len([]rune(s[:byteIdx]))
}

func padMethod(align byte) methodFunc {
	return strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		w, fill, err := padArgs("pad", args)
		if err != nil {
			return nil, err
		}
		return formatSpec(s, fill+string(align)+fmt.Sprint(w))
	})
}

// padArgs are the width and fill character of ljust, rjust and center
// (name in errors): a width, then one character, a space unless given.
func padArgs(name string, args []any) (int, string, error) {
	if err := wantArgs(name, args, 1, 2); err != nil {
		return 0, "", err
	}
	w, _ := toInt(args[0])
	fill := " "
	if len(args) > 1 {
		fill = Str(args[1])
	}
	if utf8.RuneCountInString(fill) != 1 {
		return 0, "", fmt.Errorf("the fill character must be exactly one character long")
	}
	return w, fill, nil
}

func affix(s string, args []any, f func(string, string) bool) (any, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("needs a prefix or suffix")
	}
	if l, ok := args[0].(*List); ok {
		for _, x := range l.Items {
			if f(s, Str(x)) {
				return true, nil
			}
		}
		return false, nil
	}
	return f(s, Str(args[0])), nil
}

func splitMethod(s string, args []any, kw map[string]any, right bool) (any, error) {
	sep := argN(args, kw, 0, "sep", nil)
	maxSplit := -1
	if m := argN(args, kw, 1, "maxsplit", nil); m != nil {
		maxSplit, _ = toInt(m)
	}
	if sep == nil {
		fields := strings.Fields(s)
		if maxSplit >= 0 && len(fields) > maxSplit+1 {
			if right {
				k := len(fields) - maxSplit
				rest := strings.TrimRightFunc(s, isSpace)
				for i := 0; i < maxSplit; i++ {
					j := strings.LastIndexFunc(rest, isSpace)
					rest = strings.TrimRightFunc(rest[:j], isSpace)
				}
				fields = append([]string{rest}, fields[k:]...)
			} else {
				rest := strings.TrimLeftFunc(s, isSpace)
				out := make([]string, 0, maxSplit+1)
				for i := 0; i < maxSplit; i++ {
					j := strings.IndexFunc(rest, isSpace)
					out = append(out, rest[:j])
					rest = strings.TrimLeftFunc(rest[j:], isSpace)
				}
				fields = append(out, rest)
			}
		}
		return stringsList(fields), nil
	}
	sp := Str(sep)
	if sp == "" {
		return nil, fmt.Errorf("empty separator")
	}
	if maxSplit < 0 {
		return stringsList(strings.Split(s, sp)), nil
	}
	if !right {
		return stringsList(strings.SplitN(s, sp, maxSplit+1)), nil
	}
	parts := strings.Split(s, sp)
	if len(parts) <= maxSplit+1 {
		return stringsList(parts), nil
	}
	k := len(parts) - maxSplit
	return stringsList(append([]string{strings.Join(parts[:k], sp)}, parts[k:]...)), nil
}

func stringsList(xs []string) *List {
	out := make([]any, len(xs))
	for i, s := range xs {
		out[i] = s
	}
	return &List{Items: out}
}

func listOf(recv any) (*List, error) {
	l, ok := recv.(*List)
	if !ok {
		return nil, fmt.Errorf("this list cannot be changed (it comes from outside the template): copy it first, e.g. {%% set xs = xs | list %%}")
	}
	if l.Tuple {
		return nil, fmt.Errorf("a tuple cannot be changed")
	}
	return l, nil
}

var listMethods map[string]methodFunc

func init() {
	listMethods = map[string]methodFunc{
		"append": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			if err := wantArgs("append", args, 1, 1); err != nil {
				return nil, err
			}
			if len(l.Items) >= maxLen {
				return nil, fmt.Errorf("list too long")
			}
			l.Items = append(l.Items, args[0])
			return nil, nil
		},
		"extend": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			if err := wantArgs("extend", args, 1, 1); err != nil {
				return nil, err
			}
			items, ok := seq(args[0])
			if !ok {
				return nil, fmt.Errorf("extend() needs a sequence, not %s", typeName(args[0]))
			}
			if len(l.Items)+len(items) > maxLen {
				return nil, fmt.Errorf("list too long")
			}
			l.Items = append(l.Items, items...)
			return nil, nil
		},
		"insert": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			if err := wantArgs("insert", args, 2, 2); err != nil {
				return nil, err
			}
			i, _ := toInt(args[0])
			if i < 0 {
				i += len(l.Items)
			}
			i = max(0, min(i, len(l.Items)))
			l.Items = append(l.Items[:i], append([]any{args[1]}, l.Items[i:]...)...)
			return nil, nil
		},
		"pop": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			if len(l.Items) == 0 {
				return nil, fmt.Errorf("pop from empty list")
			}
			i := len(l.Items) - 1
			if len(args) > 0 {
				i, _ = toInt(args[0])
				if i < 0 {
					i += len(l.Items)
				}
				if i < 0 || i >= len(l.Items) {
					return nil, fmt.Errorf("pop index out of range")
				}
			}
			v := l.Items[i]
			l.Items = append(l.Items[:i], l.Items[i+1:]...)
			return v, nil
		},
		"remove": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			if err := wantArgs("remove", args, 1, 1); err != nil {
				return nil, err
			}
			for i, x := range l.Items {
				if equal(x, args[0]) {
					l.Items = append(l.Items[:i], l.Items[i+1:]...)
					return nil, nil
				}
			}
			return nil, fmt.Errorf("list.remove(x): x not in list")
		},
		"clear": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			l.Items = nil
			return nil, nil
		},
		"reverse": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			reverseItems(l.Items)
			return nil, nil
		},
		"sort": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			l, err := listOf(recv)
			if err != nil {
				return nil, err
			}
			sorted, err := sortItems(l.Items, Truth(kw["reverse"]), false, nil)
			if err != nil {
				return nil, err
			}
			l.Items = sorted
			return nil, nil
		},
		"index": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("index", args, 1, 1); err != nil {
				return nil, err
			}
			items, _ := seq(recv)
			for i, x := range items {
				if equal(x, args[0]) {
					return i, nil
				}
			}
			return nil, fmt.Errorf("%s is not in list", repr(args[0]))
		},
		"count": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("count", args, 1, 1); err != nil {
				return nil, err
			}
			items, _ := seq(recv)
			n := 0
			for _, x := range items {
				if equal(x, args[0]) {
					n++
				}
			}
			return n, nil
		},
		"copy": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			items, _ := seq(recv)
			return &List{Items: append([]any(nil), items...)}, nil
		},
	}
}

func reverseItems(xs []any) {
	for i, j := 0, len(xs)-1; i < j; i, j = i+1, j-1 {
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// sortItems sorts a copy of xs (by key(x) when key is set).
func sortItems(xs []any, reverse, caseSensitive bool, key func(any) any) ([]any, error) {
	out := append([]any(nil), xs...)
	var firstErr error
	k := func(x any) any {
		if key != nil {
			x = key(x)
		}
		if s, ok := x.(string); ok && !caseSensitive {
			return strings.ToLower(s)
		}
		return x
	}
	sort.SliceStable(out, func(i, j int) bool {
		c, err := compare(k(out[i]), k(out[j]))
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if reverse {
			return c > 0
		}
		return c < 0
	})
	return out, firstErr
}

// items returns a mapping's (key, value) pairs as tuples, in order.
func items(v any) []any {
	keys, _ := seq(v)
	out := make([]any, len(keys))
	for i, k := range keys {
		val, _, _ := mapGet(v, k)
		out[i] = &List{Items: []any{k, val}, Tuple: true}
	}
	return out
}

func dictOf(recv any) (*Dict, error) {
	d, ok := recv.(*Dict)
	if !ok {
		return nil, fmt.Errorf("this dict cannot be changed (it comes from outside the template): copy it first, e.g. {%% set d = dict(d) %%}")
	}
	return d, nil
}

var dictMethods map[string]methodFunc

func init() {
	dictMethods = map[string]methodFunc{
		"items": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			return &List{Items: items(recv), kind: dictItems}, nil
		},
		"keys": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			keys, _ := seq(recv)
			return &List{Items: append([]any(nil), keys...), kind: dictKeys}, nil
		},
		"values": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			keys, _ := seq(recv)
			out := make([]any, len(keys))
			for i, k := range keys {
				out[i], _, _ = mapGet(recv, k)
			}
			return &List{Items: out, kind: dictValues}, nil
		},
		"get": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			if err := wantArgs("get", args, 1, 2); err != nil {
				return nil, err
			}
			if v, ok, _ := mapGet(recv, args[0]); ok {
				return v, nil
			}
			if len(args) > 1 {
				return args[1], nil
			}
			return nil, nil
		},
		"copy": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			return toDict(recv), nil
		},
		"update": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			d, err := dictOf(recv)
			if err != nil {
				return nil, err
			}
			for _, a := range args {
				if !isMapping(a) {
					return nil, fmt.Errorf("update() needs a dict, not %s", typeName(a))
				}
				keys, _ := seq(a)
				for _, k := range keys {
					v, _, _ := mapGet(a, k)
					d.Set(k, v)
				}
			}
			for _, k := range e.kwKeys(kw) {
				d.Set(k, kw[k])
			}
			return nil, nil
		},
		"pop": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			d, err := dictOf(recv)
			if err != nil {
				return nil, err
			}
			if err := wantArgs("pop", args, 1, 2); err != nil {
				return nil, err
			}
			if v, ok := d.Get(args[0]); ok {
				d.delete(args[0])
				return v, nil
			}
			if len(args) > 1 {
				return args[1], nil
			}
			return nil, fmt.Errorf("key %s not found", repr(args[0]))
		},
		"setdefault": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			d, err := dictOf(recv)
			if err != nil {
				return nil, err
			}
			if err := wantArgs("setdefault", args, 1, 2); err != nil {
				return nil, err
			}
			if v, ok := d.Get(args[0]); ok {
				return v, nil
			}
			var def any
			if len(args) > 1 {
				def = args[1]
			}
			d.Set(args[0], def)
			return def, nil
		},
		"clear": func(e *env, recv any, args []any, kw map[string]any) (any, error) {
			d, err := dictOf(recv)
			if err != nil {
				return nil, err
			}
			d.keys, d.vals = nil, map[any]any{}
			return nil, nil
		},
	}
}

// toDict copies a mapping into a new template dict.
func toDict(v any) *Dict {
	d := NewDict()
	keys, _ := seq(v)
	for _, k := range keys {
		x, _, _ := mapGet(v, k)
		d.Set(k, x)
	}
	return d
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(strings.ToLower(s))
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func title(s string) string {
	// Python's str.title: a cased letter after an uncased character starts
	// a word ("3rd" -> "3Rd", "it's" -> "It'S")
	var b strings.Builder
	prevCased := false
	for _, r := range s {
		cased := unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
		switch {
		case !cased:
			b.WriteRune(r)
		case prevCased:
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(unicode.ToTitle(r))
		}
		prevCased = cased
	}
	return b.String()
}
