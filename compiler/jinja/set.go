package jinja

import (
	"fmt"
	"strings"
)

// Set is a Python set, as dbt's set() and set_strict() make one: its
// items once each, iterated (and printed) in the order they were first
// added. Python iterates a set in hash order, which for small integers is
// ascending and for strings changes from run to run: a template that
// prints a set of strings gives different text in dbt from one run to
// the next, and mart's order is the first-added one.
type Set struct {
	items []any
	index map[any]struct{}
}

// NewSet makes a set of the items of an iterable; an item that is a
// list, dict or set is Python's TypeError (unhashable).
func NewSet(v any) (*Set, error) {
	if isMapping(v) {
		keys, _ := seq(v)
		return newSetOf(keys)
	}
	items, ok := seq(v)
	if !ok {
		return nil, fmt.Errorf("'%s' object is not iterable", typeName(v))
	}
	return newSetOf(items)
}

func newSetOf(items []any) (*Set, error) {
	s := &Set{index: map[any]struct{}{}}
	for _, x := range items {
		if err := s.add(x); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// setKey is the key an item is found by: 1, 1.0 and True are one item,
// as in Python; lists, dicts and sets are not hashable.
func setKey(x any) (any, error) {
	switch x.(type) {
	case *List:
		if x.(*List).Tuple {
			return "\x00tuple:" + repr(x), nil
		}
		return nil, fmt.Errorf("unhashable type: 'list'")
	case *Dict, map[string]any:
		return nil, fmt.Errorf("unhashable type: 'dict'")
	case *Set:
		return nil, fmt.Errorf("unhashable type: 'set'")
	case []any:
		return nil, fmt.Errorf("unhashable type: 'list'")
	case fmt.Stringer:
		return fmt.Sprintf("\x00%T:%s", x, Str(x)), nil
	}
	return dictKey(x), nil
}

func (s *Set) add(x any) error {
	k, err := setKey(x)
	if err != nil {
		return err
	}
	if _, ok := s.index[k]; !ok {
		s.index[k] = struct{}{}
		s.items = append(s.items, x)
	}
	return nil
}

func (s *Set) has(x any) bool {
	k, err := setKey(x)
	if err != nil {
		return false
	}
	_, ok := s.index[k]
	return ok
}

// Items are the set's items (a Sequence: for loops, `in`, filters).
func (s *Set) Items() []any { return s.items }

// String is Python's: {1, 2}, set() when empty.
func (s *Set) String() string {
	if len(s.items) == 0 {
		return "set()"
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, x := range s.items {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRepr(&b, x, 1)
	}
	b.WriteByte('}')
	return b.String()
}

func (s *Set) equal(o *Set) bool {
	if len(s.items) != len(o.items) {
		return false
	}
	for _, x := range s.items {
		if !o.has(x) {
			return false
		}
	}
	return true
}

func (s *Set) subset(o *Set) bool {
	for _, x := range s.items {
		if !o.has(x) {
			return false
		}
	}
	return true
}

// combine is union (|), intersection (&), difference (-) and symmetric
// difference (^).
func (s *Set) combine(op string, o *Set) *Set {
	out := &Set{index: map[any]struct{}{}}
	switch op {
	case "|":
		for _, x := range append(append([]any{}, s.items...), o.items...) {
			_ = out.add(x)
		}
	case "&":
		for _, x := range s.items {
			if o.has(x) {
				_ = out.add(x)
			}
		}
	case "-":
		for _, x := range s.items {
			if !o.has(x) {
				_ = out.add(x)
			}
		}
	case "^":
		for _, x := range s.items {
			if !o.has(x) {
				_ = out.add(x)
			}
		}
		for _, x := range o.items {
			if !s.has(x) {
				_ = out.add(x)
			}
		}
	}
	return out
}

// Arith is - between two sets (Jinja has no |, & or ^ operators: the
// methods union, intersection and symmetric_difference are those).
func (s *Set) Arith(op string, r any) (any, bool, error) {
	o, ok := r.(*Set)
	if !ok {
		return nil, false, nil
	}
	switch op {
	case "-", "|", "&", "^":
		return s.combine(op, o), true, nil
	}
	return nil, false, nil
}

// Attr is the set's methods.
func (s *Set) Attr(name string) (any, bool) {
	others := func(args []any) ([]*Set, error) {
		var out []*Set
		for _, a := range args {
			o, ok := a.(*Set)
			if !ok {
				var err error
				if o, err = NewSet(a); err != nil {
					return nil, err
				}
			}
			out = append(out, o)
		}
		return out, nil
	}
	combining := func(op string) Func {
		return func(args []any, _ map[string]any) (any, error) {
			os, err := others(args)
			if err != nil {
				return nil, err
			}
			out := s.combine("|", &Set{index: map[any]struct{}{}})
			for _, o := range os {
				out = out.combine(op, o)
			}
			return out, nil
		}
	}
	one := func(f func(x any) (any, error)) Func {
		return func(args []any, _ map[string]any) (any, error) {
			if err := wantArgs(name, args, 1, 1); err != nil {
				return nil, err
			}
			return f(args[0])
		}
	}
	compare := func(f func(o *Set) bool) Func {
		return one(func(x any) (any, error) {
			os, err := others([]any{x})
			if err != nil {
				return nil, err
			}
			return f(os[0]), nil
		})
	}
	switch name {
	case "union":
		return combining("|"), true
	case "intersection":
		return combining("&"), true
	case "difference":
		return combining("-"), true
	case "symmetric_difference":
		return combining("^"), true
	case "copy":
		return Func(func([]any, map[string]any) (any, error) {
			return s.combine("|", &Set{index: map[any]struct{}{}}), nil
		}), true
	case "issubset":
		return compare(func(o *Set) bool { return s.subset(o) }), true
	case "issuperset":
		return compare(func(o *Set) bool { return o.subset(s) }), true
	case "isdisjoint":
		return compare(func(o *Set) bool { return len(s.combine("&", o).items) == 0 }), true
	case "add":
		return one(func(x any) (any, error) { return nil, s.add(x) }), true
	case "update":
		return Func(func(args []any, _ map[string]any) (any, error) {
			os, err := others(args)
			if err != nil {
				return nil, err
			}
			for _, o := range os {
				for _, x := range o.items {
					_ = s.add(x)
				}
			}
			return nil, nil
		}), true
	case "discard", "remove":
		return one(func(x any) (any, error) {
			if !s.has(x) {
				if name == "remove" {
					return nil, fmt.Errorf("KeyError: %s", repr(x))
				}
				return nil, nil
			}
			k, _ := setKey(x)
			delete(s.index, k)
			for i, y := range s.items {
				if ky, _ := setKey(y); ky == k {
					s.items = append(s.items[:i:i], s.items[i+1:]...)
					break
				}
			}
			return nil, nil
		}), true
	}
	return nil, false
}
