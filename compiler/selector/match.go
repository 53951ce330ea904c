package selector

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// glob is a compiled shell pattern with path.Match semantics (fnmatch's
// "[!x]" is accepted as "[^x]"). A malformed pattern matches literally.
type glob struct {
	pat  string
	meta bool
}

func compileGlob(p string) glob {
	if !strings.ContainsAny(p, `*?[\`) {
		return glob{pat: p}
	}
	q := strings.ReplaceAll(p, "[!", "[^")
	if _, err := path.Match(q, ""); err != nil {
		return glob{pat: p}
	}
	return glob{pat: q, meta: true}
}

func (g glob) match(s string) bool {
	if !g.meta {
		return g.pat == s
	}
	ok, _ := path.Match(g.pat, s)
	return ok
}

func (g glob) matchAny(ss []string) bool {
	for _, s := range ss {
		if g.match(s) {
			return true
		}
	}
	return false
}

func compileGlobs(parts []string) []glob {
	gs := make([]glob, len(parts))
	for i, p := range parts {
		gs[i] = compileGlob(p)
	}
	return gs
}

// fqnPrefix reports whether the selector parts match a prefix of fqn. As in
// dbt, a part that is exactly "*" matches everything below it.
func fqnPrefix(fqn []string, parts []glob) bool {
	if len(parts) > len(fqn) {
		return false
	}
	for i, p := range parts {
		if p.pat == "*" {
			return true
		}
		if !p.match(fqn[i]) {
			return false
		}
	}
	return true
}

// pathPrefix reports whether the pattern segments match the path segments
// ps or a directory above them. "**" matches any number of segments.
func pathPrefix(pats []glob, ps []string) bool {
	if len(pats) == 0 {
		return true
	}
	if pats[0].pat == "**" {
		for k := 0; k <= len(ps); k++ {
			if pathPrefix(pats[1:], ps[k:]) {
				return true
			}
		}
		return false
	}
	return len(ps) > 0 && pats[0].match(ps[0]) && pathPrefix(pats[1:], ps[1:])
}

// configLookup descends cfg along keys (config.meta.owner -> ["meta","owner"]).
func configLookup(cfg map[string]any, keys []string) (any, bool) {
	var cur any = cfg
	for _, k := range keys {
		var ok bool
		switch m := cur.(type) {
		case map[string]any:
			cur, ok = m[k]
		case map[string]string:
			cur, ok = m[k]
		}
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// configMatches compares a config value with the selector value by string
// form; a list matches when any element does.
func configMatches(v any, want string, fold bool) bool {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if scalarMatches(e, want, fold) {
				return true
			}
		}
		return false
	case []string:
		for _, e := range x {
			if scalarMatches(e, want, fold) {
				return true
			}
		}
		return false
	}
	return scalarMatches(v, want, fold)
}

func scalarMatches(v any, want string, fold bool) bool {
	switch x := v.(type) {
	case nil, map[string]any, map[string]string, []any, []string:
		return false
	case string:
		if fold {
			return strings.EqualFold(x, want)
		}
		return x == want
	case bool:
		return strings.EqualFold(want, strconv.FormatBool(x))
	}
	if f, ok := toFloat(v); ok {
		if w, err := strconv.ParseFloat(want, 64); err == nil && !strings.ContainsAny(want, "xXnN_") {
			return w == f
		}
		return false
	}
	return fmt.Sprint(v) == want
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	}
	return 0, false
}

// valuesEqual compares two config values structurally; numbers compare by
// value whatever their Go type (YAML ints vs JSON float64s).
func valuesEqual(a, b any) bool {
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !valuesEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !valuesEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case []string:
		y, ok := b.([]string)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case map[string]string:
		y, ok := b.(map[string]string)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || w != v {
				return false
			}
		}
		return true
	case string, bool, nil:
		return a == b
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}
