package jinja

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"

	"gopkg.in/yaml.v3"
)

// maxRange bounds range() so a typo cannot build a huge list.
const maxRange = 100_000

// globalFuncs are the functions every template sees: Jinja's globals and
// the helpers dbt adds that need no project (return, tojson, zip, ...).
var globalFuncs map[string]any

func init() {
	globalFuncs = map[string]any{
		"range": Func(func(args []any, kw map[string]any) (any, error) {
			if err := wantArgs("range", args, 1, 3); err != nil {
				return nil, err
			}
			ints := make([]int, len(args))
			for i, a := range args {
				n, ok := toInt(a)
				if !ok {
					return nil, fmt.Errorf("range() needs integers, not %s", typeName(a))
				}
				ints[i] = n
			}
			start, stop, step := 0, ints[0], 1
			if len(ints) > 1 {
				start, stop = ints[0], ints[1]
			}
			if len(ints) > 2 {
				step = ints[2]
			}
			if step == 0 {
				return nil, fmt.Errorf("range() step must not be zero")
			}
			var out []any
			for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
				if len(out) >= maxRange {
					return nil, fmt.Errorf("range() is limited to %d items", maxRange)
				}
				out = append(out, i)
			}
			return &List{Items: out}, nil
		}),
		"dict": envFunc(func(e *env, _ int, args []any, kw map[string]any) (any, error) {
			d := NewDict()
			for _, a := range args {
				if isMapping(a) {
					keys, _ := seq(a)
					for _, k := range keys {
						v, _, _ := mapGet(a, k)
						d.Set(k, v)
					}
					continue
				}
				pairs, ok := seq(a)
				if !ok {
					return nil, fmt.Errorf("dict() needs a mapping or (key, value) pairs")
				}
				for _, p := range pairs {
					kv, ok := seq(p)
					if !ok || len(kv) != 2 {
						return nil, fmt.Errorf("dict() needs (key, value) pairs")
					}
					d.Set(kv[0], kv[1])
				}
			}
			for _, k := range e.kwKeys(kw) {
				d.Set(k, kw[k])
			}
			return d, nil
		}),
		"namespace": envFunc(func(e *env, _ int, args []any, kw map[string]any) (any, error) {
			d := NewDict()
			d.ns = true
			for _, a := range args {
				if !isMapping(a) {
					return nil, fmt.Errorf("namespace() takes a dict or keyword arguments")
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
			return d, nil
		}),
		// dbt's zip: Python's, as a list of tuples; a value that is not
		// iterable gives the default (none), zip_strict raises
		"zip": Func(func(args []any, kw map[string]any) (any, error) {
			v, err := zipLists(args)
			if err != nil {
				return kw["default"], nil
			}
			return v, nil
		}),
		"zip_strict": Func(func(args []any, kw map[string]any) (any, error) {
			return zipLists(args)
		}),
		// dbt's set(value, default=none): Python's set of the value's
		// items, the default when it is not iterable or an item is
		// unhashable; set_strict raises then
		"set": Func(func(args []any, kw map[string]any) (any, error) {
			if err := wantArgs("set", args, 1, 2); err != nil {
				return nil, err
			}
			s, err := NewSet(args[0])
			if err != nil {
				if len(args) > 1 {
					return args[1], nil
				}
				return kw["default"], nil
			}
			return s, nil
		}),
		"set_strict": Func(func(args []any, kw map[string]any) (any, error) {
			if err := wantArgs("set_strict", args, 1, 1); err != nil {
				return nil, err
			}
			return NewSet(args[0])
		}),
		"tojson": Func(func(args []any, kw map[string]any) (any, error) {
			// dbt's tojson(value, default=None, sort_keys=False): json.dumps
			if err := wantArgs("tojson", args, 1, 3); err != nil {
				return nil, err
			}
			s, err := dumpJSON(args[0], Truth(argN(args[1:], kw, 1, "sort_keys", false)))
			if err != nil {
				return argN(args[1:], kw, 0, "default", nil), nil
			}
			return s, nil
		}),
		"fromjson": Func(func(args []any, kw map[string]any) (any, error) {
			if err := wantArgs("fromjson", args, 1, 2); err != nil {
				return nil, err
			}
			v, err := fromJSON(Str(args[0]))
			if err != nil {
				return defaultArg(args, kw), nil // dbt: json.loads's ValueError gives the default, none unless given
			}
			return v, nil
		}),
		"fromyaml": Func(func(args []any, kw map[string]any) (any, error) {
			if err := wantArgs("fromyaml", args, 1, 2); err != nil {
				return nil, err
			}
			var v any
			if err := yaml.Unmarshal([]byte(Str(args[0])), &v); err != nil {
				return defaultArg(args, kw), nil // dbt: a YAMLError gives the default, none unless given
			}
			return templateValue(v), nil
		}),
		"toyaml": Func(func(args []any, kw map[string]any) (any, error) {
			if err := wantArgs("toyaml", args, 1, 1); err != nil {
				return nil, err
			}
			b, err := yaml.Marshal(Native(args[0]))
			if err != nil {
				return nil, fmt.Errorf("toyaml: %v", err)
			}
			return string(b), nil
		}),
		"local_md5": Func(func(args []any, kw map[string]any) (any, error) {
			if err := wantArgs("local_md5", args, 1, 1); err != nil {
				return nil, err
			}
			h := md5.Sum([]byte(Str(args[0])))
			return hex.EncodeToString(h[:]), nil
		}),
		"return": envFunc(func(e *env, off int, args []any, kw map[string]any) (any, error) {
			if e.frame == nil {
				return nil, fmt.Errorf("return() used outside of a macro")
			}
			if err := wantArgs("return", args, 1, 1); err != nil {
				return nil, err
			}
			e.frame.ret, e.frame.hasRet = args[0], true
			return nil, returnSignal{}
		}),
	}
}

// defaultArg is the default of fromjson(s, default=none) and fromyaml:
// the second argument or the keyword, else none.
func defaultArg(args []any, kw map[string]any) any {
	if len(args) > 1 {
		return args[1]
	}
	return kw["default"]
}

// zipLists is Python's zip() of sequences, as a list of tuples.
func zipLists(args []any) (any, error) {
	var lists [][]any
	for _, a := range args {
		xs, ok := seq(a)
		if !ok {
			return nil, fmt.Errorf("'%s' object is not iterable", typeName(a))
		}
		lists = append(lists, xs)
	}
	var out []any
	for i := 0; len(lists) > 0; i++ {
		row := make([]any, len(lists))
		for j, l := range lists {
			if i >= len(l) {
				return &List{Items: out}, nil
			}
			row[j] = l[i]
		}
		out = append(out, &List{Items: row, Tuple: true})
	}
	return &List{Items: out}, nil
}
