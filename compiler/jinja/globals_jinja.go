package jinja

import "fmt"

// Jinja2's joiner() and cycler(). (This file's init runs after globals.go's,
// which makes globalFuncs: Go runs a package's files' init functions in
// the order of their names.)

func init() {
	globalFuncs["joiner"] = Func(func(args []any, kw map[string]any) (any, error) {
		if err := wantArgs("joiner", args, 0, 1); err != nil {
			return nil, err
		}
		sep := Str(argN(args, kw, 0, "sep", ", "))
		used := false
		return Func(func(args []any, kw map[string]any) (any, error) {
			if !used {
				used = true
				return "", nil
			}
			return sep, nil
		}), nil
	})
	globalFuncs["cycler"] = Func(func(args []any, kw map[string]any) (any, error) {
		if len(args) == 0 {
			return nil, fmt.Errorf("cycler() needs at least one item")
		}
		return &cycler{items: args}, nil
	})
}

// cycler is Jinja2's Cycler: next() returns the current item and moves on.
type cycler struct {
	items []any
	pos   int
}

func (c *cycler) Attr(name string) (any, bool) {
	switch name {
	case "current":
		return c.items[c.pos], true
	case "items":
		return &List{Items: c.items, Tuple: true}, true
	case "next", "__next__":
		return Func(func(args []any, kw map[string]any) (any, error) {
			v := c.items[c.pos]
			c.pos = (c.pos + 1) % len(c.items)
			return v, nil
		}), true
	case "reset":
		return Func(func(args []any, kw map[string]any) (any, error) {
			c.pos = 0
			return nil, nil
		}), true
	}
	return nil, false
}
