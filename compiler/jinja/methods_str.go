package jinja

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// More of Python's str methods, and find/rfind/index/rindex/count with
// start and end. (This file's init runs after methods.go's, which makes
// strMethods: Go runs a package's files' init functions in the order of
// their names.)

func init() {
	for _, name := range []string{"find", "rfind", "index", "rindex", "count"} {
		strMethods[name] = searchMethod(name)
	}
	strMethods["center"] = strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		w, fill, err := padArgs("center", args)
		if err != nil {
			return nil, err
		}
		return pyCenter(s, w, fill), nil
	})
	strMethods["zfill"] = strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs("zfill", args, 1, 1); err != nil {
			return nil, err
		}
		w, _ := toInt(args[0])
		n := utf8.RuneCountInString(s)
		if w <= n {
			return s, nil
		}
		sign := ""
		if s != "" && (s[0] == '+' || s[0] == '-') {
			sign, s = s[:1], s[1:]
		}
		return sign + strings.Repeat("0", w-n) + s, nil
	})
	strMethods["partition"] = partitionMethod("partition", false)
	strMethods["rpartition"] = partitionMethod("rpartition", true)
	strMethods["removeprefix"] = strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs("removeprefix", args, 1, 1); err != nil {
			return nil, err
		}
		return strings.TrimPrefix(s, Str(args[0])), nil
	})
	strMethods["removesuffix"] = strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs("removesuffix", args, 1, 1); err != nil {
			return nil, err
		}
		return strings.TrimSuffix(s, Str(args[0])), nil
	})
	strMethods["isdecimal"] = strPredicate("isdecimal", unicode.IsDigit)
	strMethods["isnumeric"] = strPredicate("isnumeric", unicode.IsNumber)
	strMethods["istitle"] = strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		cased, prevCased := false, false
		for _, r := range s {
			switch {
			case unicode.IsUpper(r) || unicode.IsTitle(r):
				if prevCased {
					return false, nil
				}
				prevCased, cased = true, true
			case unicode.IsLower(r):
				if !prevCased {
					return false, nil
				}
				prevCased, cased = true, true
			default:
				prevCased = false
			}
		}
		return cased, nil
	})
	strMethods["isidentifier"] = strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if s == "" {
			return false, nil
		}
		for i, r := range s {
			ok := r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
			if i > 0 {
				ok = ok || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Pc)
			}
			if !ok {
				return false, nil
			}
		}
		return true, nil
	})
	strMethods["expandtabs"] = strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs("expandtabs", args, 0, 1); err != nil {
			return nil, err
		}
		size, ok := toInt(argN(args, kw, 0, "tabsize", 8))
		if !ok {
			return nil, fmt.Errorf("expandtabs() needs an integer tabsize")
		}
		var b strings.Builder
		col := 0
		for _, r := range s {
			switch r {
			case '\t':
				if size > 0 {
					n := size - col%size
					b.WriteString(strings.Repeat(" ", n))
					col += n
				}
			case '\n', '\r':
				b.WriteRune(r)
				col = 0
			default:
				b.WriteRune(r)
				col++
			}
		}
		return b.String(), nil
	})
}

// sliceBounds applies CPython's ADJUST_INDICES to start and end (none, or
// ints that may be negative) for a string of n characters.
func sliceBounds(n int, start, end any) (int, int, error) {
	lo, hi := 0, n
	for i, v := range []any{start, end} {
		if v == nil {
			continue
		}
		if _, undef := v.(Undefined); undef {
			continue
		}
		x, ok := toInt(v)
		if _, isF := v.(float64); !ok || isF {
			return 0, 0, fmt.Errorf("slice indices must be integers or None, not %s", typeName(v))
		}
		switch {
		case x < 0:
			x = max(x+n, 0)
		case x > n && i == 1: // (a start past the end stays: it finds nothing)
			x = n
		}
		if i == 0 {
			lo = x
		} else {
			hi = x
		}
	}
	return lo, hi, nil
}

// searchMethod is str.find, rfind, index, rindex or count(sub[, start[, end]]).
func searchMethod(name string) methodFunc {
	return strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs(name, args, 1, 3); err != nil {
			return nil, err
		}
		sub, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("must be str, not %s", typeName(args[0]))
		}
		lo, hi := 0, 0
		var rs []rune
		if len(args) > 1 {
			rs = []rune(s)
			var err error
			if lo, hi, err = sliceBounds(len(rs), args[1], argN(args, kw, 2, "end", nil)); err != nil {
				return nil, err
			}
			// as CPython: a slice shorter than sub finds nothing, not even ''
			if hi-lo < len([]rune(sub)) {
				if name == "count" {
					return 0, nil
				}
				return notFound(name)
			}
			s = string(rs[lo:hi])
		}
		var i int
		switch name {
		case "count":
			if sub == "" {
				return len([]rune(s)) + 1, nil
			}
			return strings.Count(s, sub), nil
		case "find", "index":
			i = strings.Index(s, sub)
		default:
			i = strings.LastIndex(s, sub)
		}
		if i < 0 {
			return notFound(name)
		}
		return lo + runeIndex(s, i), nil
	})
}

func notFound(name string) (any, error) {
	if name == "index" || name == "rindex" {
		return nil, fmt.Errorf("substring not found")
	}
	return -1, nil
}

// partitionMethod is str.partition or rpartition.
func partitionMethod(name string, last bool) methodFunc {
	return strMethod(func(s string, args []any, kw map[string]any) (any, error) {
		if err := wantArgs(name, args, 1, 1); err != nil {
			return nil, err
		}
		sep := Str(args[0])
		if sep == "" {
			return nil, fmt.Errorf("empty separator")
		}
		i := strings.Index(s, sep)
		if last {
			i = strings.LastIndex(s, sep)
		}
		out := []any{s, "", ""}
		switch {
		case i >= 0:
			out = []any{s[:i], sep, s[i+len(sep):]}
		case last:
			out = []any{"", "", s}
		}
		return &List{Items: out, Tuple: true}, nil
	})
}

// pyCenter is Python's str.center: the odd space goes left when the width
// is odd.
func pyCenter(s string, width int, fill string) string {
	marg := width - utf8.RuneCountInString(s)
	if marg <= 0 {
		return s
	}
	left := marg/2 + (marg & width & 1)
	return strings.Repeat(fill, left) + s + strings.Repeat(fill, marg-left)
}

// upperSpecial are the characters whose uppercase is more than one
// character (Unicode's SpecialCasing, which Python's str.upper follows and
// Go's ToUpper does not): ß is SS.
var upperSpecial = strings.NewReplacer("ß", "SS", "ﬀ", "FF", "ﬁ", "FI", "ﬂ", "FL", "ﬃ", "FFI", "ﬄ", "FFL",
	"ﬅ", "ST", "ﬆ", "ST", "ŉ", "ʼN", "և", "ԵՒ", "ﬓ", "ՄՆ", "ﬔ", "ՄԵ", "ﬕ", "ՄԻ", "ﬖ", "ՎՆ", "ﬗ", "ՄԽ")

const upperSpecialChars = "ßﬀﬁﬂﬃﬄﬅﬆŉևﬓﬔﬕﬖﬗ"

// pyUpper is Python's str.upper.
func pyUpper(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			if strings.ContainsAny(s, upperSpecialChars) {
				s = upperSpecial.Replace(s)
			}
			break
		}
	}
	return strings.ToUpper(s)
}

// pyCasefold is Python's str.casefold for the common cases: lower, and ß
// is ss.
func pyCasefold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ß", "ss")
}
