package selector

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// configMatcher is config.<key>[.<key>...]:<value>. As in dbt, severity
// compares without case.
func configMatcher(a *Atom, ix *index) matcher {
	fold := len(a.Args) == 1 && a.Args[0] == "severity"
	return func(i int) bool {
		v, ok := configLookup(ix.nodes[i].Config, a.Args)
		return ok && configMatches(v, a.Value, fold)
	}
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
	if text, ok := warehouse.NonFinite(v); ok { // YAML's .inf, -.inf, .nan: as dbt's str() spells them
		return want == text
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
