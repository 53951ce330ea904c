package selector

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// dbt's YAML selectors: a project's selectors.yml names selection
// definitions, which `--selector NAME` and the `selector:NAME` method
// select with, and one of which may be the default of every command that
// selects. A definition is a CLI-style string, a `method: value` pair, a
// full mapping (method, value, parents, children, their depths,
// childrens_parents, indirect_selection), or a `union:` or `intersection:`
// list of definitions, where `exclude:` entries take away what they select.

// Definitions are a project's YAML selectors, by name.
type Definitions map[string]*Definition

// Definition is one selector of selectors.yml.
type Definition struct {
	Name, Description string
	Default           bool
	Expr              Expr
	Line              int // where its entry starts in the file
}

// Default is the selector marked `default: true`, or nil.
func (d Definitions) Default() *Definition {
	for _, name := range d.Names() {
		if d[name].Default {
			return d[name]
		}
	}
	return nil
}

// Names are the selectors' names, sorted.
func (d Definitions) Names() []string {
	names := make([]string, 0, len(d))
	for name := range d {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Set is a union or an intersection of definitions (a YAML selector's
// `union:` or `intersection:`), less what its `exclude:` entries select.
type Set struct {
	Intersect bool
	Members   []Expr
	Exclude   []Expr
}

// Indirect is a definition with its own indirect_selection: eager (a
// test of any selected parent is selected), cautious (a test whose
// parents are all selected), buildable (a test whose parents are all
// selected or their ancestors) or empty (no test but those selected).
type Indirect struct {
	Mode string
	Of   Expr
}

func (*Set) isExpr()      {}
func (*Indirect) isExpr() {}

func (s *Set) String() string {
	op := "union"
	if s.Intersect {
		op = "intersection"
	}
	parts := make([]string, 0, len(s.Members)+len(s.Exclude))
	for _, m := range s.Members {
		parts = append(parts, m.String())
	}
	for _, m := range s.Exclude {
		parts = append(parts, "exclude "+m.String())
	}
	return op + "(" + strings.Join(parts, "; ") + ")"
}

func (x *Indirect) String() string {
	return x.Of.String() + " [indirect_selection " + x.Mode + "]"
}

// IndirectModes are indirect selection's modes.
var IndirectModes = []string{"eager", "cautious", "buildable", "empty"}

// eager says whether each atom selects the tests of what it selects:
// eager indirect selection.
func (ix *index) eager() bool {
	return ix.opt.IndirectTests && (ix.opt.Indirect == "" || ix.opt.Indirect == "eager")
}

// DefinitionError is a mistake in selectors.yml, at a line.
type DefinitionError struct {
	Line int
	Msg  string
}

func (e *DefinitionError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ParseDefinitions reads selectors.yml's document (its scalars rendered
// already: the caller renders templates), checks that every selector a
// definition names exists and that none names itself through others.
func ParseDefinitions(doc *yaml.Node) (Definitions, error) {
	fail := func(n *yaml.Node, format string, args ...any) error {
		return &DefinitionError{n.Line, fmt.Sprintf(format, args...)}
	}
	root := doc
	if root.Kind == 0 { // an empty file
		return Definitions{}, nil
	}
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return Definitions{}, nil
		}
		root = root.Content[0]
	}
	root = deref(root)
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return Definitions{}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fail(root, "expected a mapping with a `selectors:` list")
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "selectors" {
			list = deref(root.Content[i+1])
		} else {
			return nil, fail(root.Content[i], "unexpected key %q: selectors.yml holds a `selectors:` list", root.Content[i].Value)
		}
	}
	defs := Definitions{}
	if list == nil || list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return defs, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fail(list, "`selectors:` must be a list of selectors, each with a name and a definition")
	}
	var defaults []string
	for _, item := range list.Content {
		item = deref(item)
		if item.Kind != yaml.MappingNode {
			return nil, fail(item, "expected a selector: a mapping with a name and a definition")
		}
		d := &Definition{Line: item.Line}
		var def *yaml.Node
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], deref(item.Content[i+1])
			switch k.Value {
			case "name":
				if v.Kind != yaml.ScalarNode || v.Value == "" {
					return nil, fail(v, "a selector's name must be a string")
				}
				d.Name = v.Value
			case "description":
				d.Description = v.Value
			case "default":
				b, err := yamlBool(v.Value)
				if v.Kind != yaml.ScalarNode || err != nil {
					return nil, fail(v, "default: expected true or false, got %q", v.Value)
				}
				d.Default = b
			case "definition":
				def = v
			default:
				return nil, fail(k, "unexpected key %q in a selector (expected name, description, default and definition)", k.Value)
			}
		}
		switch {
		case d.Name == "":
			return nil, fail(item, "a selector needs a name")
		case def == nil:
			return nil, fail(item, "selector %q needs a definition", d.Name)
		case defs[d.Name] != nil:
			return nil, fail(item, "selector %q is defined twice (first at line %d)", d.Name, defs[d.Name].Line)
		}
		var err error
		if d.Expr, err = parseDefinition(def); err != nil {
			return nil, err
		}
		if d.Default {
			defaults = append(defaults, d.Name)
		}
		defs[d.Name] = d
	}
	if len(defaults) > 1 {
		return nil, fail(list, "selectors %s are each marked default: true; only one may be", strings.Join(defaults, " and "))
	}
	// every selector: method names a selector, and no chain of them
	// comes back to where it started
	for _, name := range defs.Names() {
		if err := defs.check(name, nil); err != nil {
			return nil, &DefinitionError{defs[name].Line, err.Error()}
		}
	}
	return defs, nil
}

// check follows the selector: atoms of name's definition.
func (d Definitions) check(name string, path []string) error {
	if slices.Contains(path, name) {
		return fmt.Errorf("selector %q selects itself: %s", path[0], strings.Join(append(path, name), " -> "))
	}
	var err error
	atoms(d[name].Expr, func(a *Atom) {
		if err != nil || a.Method != "selector" {
			return
		}
		ref := SelectorName(a.Value)
		if d[ref] == nil {
			err = d.Unknown(ref)
			return
		}
		err = d.check(ref, append(slices.Clip(path), name))
	})
	return err
}

// Unknown is the error of a selector: that names no selector.
func (d Definitions) Unknown(name string) error {
	if len(d) == 0 {
		return fmt.Errorf("no selector named %q: the project has no selectors.yml, or it defines none", name)
	}
	return fmt.Errorf("no selector named %q in selectors.yml;%s selectors: %s", name, suggest(name, d.Names()), strings.Join(d.Names(), ", "))
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// parseDefinition reads one definition (or argument of union/intersection).
func parseDefinition(n *yaml.Node) (Expr, error) {
	n = deref(n)
	fail := func(at *yaml.Node, format string, args ...any) error {
		return &DefinitionError{at.Line, fmt.Sprintf(format, args...)}
	}
	switch n.Kind {
	case yaml.ScalarNode: // CLI-style
		e, err := Parse(n.Value)
		if err != nil {
			return nil, fail(n, "%v", err)
		}
		return e, nil
	case yaml.MappingNode:
	default:
		return nil, fail(n, "expected a definition: a selector string, `method: value`, a mapping with method and value, or union/intersection")
	}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys[n.Content[i].Value] = deref(n.Content[i+1])
	}
	for _, op := range []string{"union", "intersection"} {
		list, ok := keys[op]
		if !ok {
			continue
		}
		if len(keys) > 1 {
			return nil, fail(n, "%s: must be alone in its mapping", op)
		}
		if list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
			return nil, fail(list, "%s: expected a list of definitions", op)
		}
		s := &Set{Intersect: op == "intersection"}
		for _, item := range list.Content {
			item = deref(item)
			if ex := excludeOf(item); ex != nil {
				more, err := parseExclude(ex)
				if err != nil {
					return nil, err
				}
				s.Exclude = append(s.Exclude, more...)
				continue
			}
			e, err := parseDefinition(item)
			if err != nil {
				return nil, err
			}
			s.Members = append(s.Members, e)
		}
		if len(s.Members) == 0 {
			return nil, fail(list, "%s: has nothing to select but what it excludes", op)
		}
		return s, nil
	}
	if _, ok := keys["exclude"]; ok && keys["method"] == nil {
		return nil, fail(n, "exclude: belongs in a union: or intersection: list, or beside a method and its value")
	}
	// method: value, or the full form
	a := &Atom{ParentsDepth: Unlimited, ChildrenDepth: Unlimited}
	indirect := ""
	var exclude []Expr
	if m, ok := keys["method"]; ok {
		v, ok := keys["value"]
		if !ok || v.Kind != yaml.ScalarNode || v.Value == "" {
			return nil, fail(n, "method %s needs a value", m.Value)
		}
		if err := parseMethod(a, m.Value, func(_ int, msg string) error { return fail(m, "%s", msg) }); err != nil {
			return nil, err
		}
		a.Value = v.Value
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], deref(n.Content[i+1])
			switch k.Value {
			case "method", "value":
			case "exclude": // the definition less these, as dbt's
				more, err := parseExclude(v)
				if err != nil {
					return nil, err
				}
				exclude = append(exclude, more...)
			case "parents", "children", "childrens_parents":
				b, err := yamlBool(v.Value)
				if v.Kind != yaml.ScalarNode || err != nil {
					return nil, fail(v, "%s: expected true or false, got %q", k.Value, v.Value)
				}
				switch k.Value {
				case "parents":
					a.Parents = b
				case "children":
					a.Children = b
				default:
					a.ChildrensParents = b
				}
			case "parents_depth", "children_depth":
				d, err := strconv.Atoi(v.Value)
				if v.Kind != yaml.ScalarNode || err != nil || d < 0 {
					return nil, fail(v, "%s: expected a number of generations, got %q", k.Value, v.Value)
				}
				// (a depth without parents: true or children: true
				// follows nothing, as in dbt)
				if k.Value == "parents_depth" {
					a.ParentsDepth = d
				} else {
					a.ChildrenDepth = d
				}
			case "indirect_selection":
				if !slices.Contains(IndirectModes, v.Value) {
					return nil, fail(v, "indirect_selection: expected %s, got %q", strings.Join(IndirectModes, ", "), v.Value)
				}
				indirect = v.Value
			default:
				return nil, fail(k, "unexpected key %q in a method's definition (expected method, value, parents, parents_depth, children, children_depth, childrens_parents, indirect_selection)", k.Value)
			}
		}
	} else {
		if len(n.Content) != 2 {
			return nil, fail(n, "expected `method: value`, a mapping with method and value, or union/intersection")
		}
		m, v := n.Content[0], deref(n.Content[1])
		if v.Kind != yaml.ScalarNode || v.Value == "" {
			return nil, fail(v, "%s: expected a value", m.Value)
		}
		if err := parseMethod(a, m.Value, func(_ int, msg string) error { return fail(m, "%s", msg) }); err != nil {
			return nil, err
		}
		a.Value = v.Value
	}
	if _, msg := methods[a.Method].validate(a); msg != "" {
		return nil, fail(n, "%s", msg)
	}
	if a.Method == "selector" { // dbt reads no graph operator of one
		a.Parents, a.Children, a.ChildrensParents = false, false, false
	}
	var e Expr = a
	if indirect != "" {
		e = &Indirect{Mode: indirect, Of: a}
	}
	if len(exclude) > 0 {
		e = &Set{Members: []Expr{e}, Exclude: exclude}
	}
	return e, nil
}

// yamlBool reads a boolean as YAML 1.1 does (dbt reads selectors.yml so):
// yes, no, on and off too.
func yamlBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes", "on":
		return true, nil
	case "n", "no", "off":
		return false, nil
	}
	return strconv.ParseBool(strings.TrimSpace(s))
}

// parseExclude reads an `exclude:` list of definitions.
func parseExclude(list *yaml.Node) ([]Expr, error) {
	if list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return nil, &DefinitionError{list.Line, "exclude: expected a list of definitions"}
	}
	out := make([]Expr, 0, len(list.Content))
	for _, x := range list.Content {
		e, err := parseDefinition(x)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// excludeOf is the list of an `exclude:` entry of a union or intersection.
func excludeOf(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "exclude" {
		return deref(n.Content[1])
	}
	return nil
}

// addTestsAs adds to s the tests an indirect_selection mode selects with
// it (see Indirect).
func (ix *index) addTestsAs(s bitset, mode string) {
	switch mode {
	case "empty":
		return
	case "eager":
		ix.addTests(s)
		return
	}
	ix.edges()
	within := s
	if mode == "buildable" { // what is selected, its ancestors and every source (dbt's)
		within = ix.walk(s, ix.parents, Unlimited)
		for i, n := range ix.nodes {
			if n.ResourceType == "source" {
				within.set(int32(i))
			}
		}
	}
	var add []int32
	for _, i := range s.appendTo(nil) {
		for _, c := range ix.children.of(i) {
			if rt := ix.nodes[c].ResourceType; (rt == "test" || rt == "unit_test") && !s.has(c) && !ix.off(c) &&
				!slices.ContainsFunc(ix.parents.of(c), func(p int32) bool { return !within.has(p) }) {
				add = append(add, c)
			}
		}
	}
	for _, c := range add {
		s.set(c)
	}
}

// selectorMatcher matches what the selector a selector: atom names
// selects (with the tests its definition's atoms select, eagerly).
// evalAtom and Intersection take selectorSet instead, with or without
// tests as they are asked.
func selectorMatcher(a *Atom, ix *index) matcher {
	s := ix.selectorSet(a.Value, true)
	return func(i int) bool { return s.has(int32(i)) }
}

// selectorSet is what the named selector's definition selects, evaluated
// once an index with tests (an eager selection, an exclusion) and once
// without.
func (ix *index) selectorSet(name string, tests bool) bitset {
	if ix.selected == nil {
		ix.selected = map[string]bitset{}
	}
	key := name
	if tests {
		key = "\x00" + name
	}
	s, ok := ix.selected[key]
	if !ok {
		ix.selected[key] = newBitset(len(ix.ids)) // (a cycle, which ParseDefinitions refuses, selects nothing)
		if d := ix.opt.Selectors[SelectorName(name)]; d != nil {
			s = ix.eval(d.Expr, tests)
		} else {
			s = newBitset(len(ix.ids))
		}
		ix.selected[key] = s
	}
	return s
}

// SelectorAtom is the selector that selects with the named YAML selector:
// `selector:NAME`, the name escaped (as in a URL's path) where it holds
// what the selector syntax reads otherwise (a space, a comma, "+", "@",
// ":" or "%"). SelectorName reads it back.
func SelectorAtom(name string) string {
	var b strings.Builder
	b.WriteString("selector:")
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case ' ', '\t', '\n', ',', '+', '@', ':', '%':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// SelectorName is the name a selector: atom's value names (SelectorAtom).
func SelectorName(value string) string {
	if !strings.Contains(value, "%") {
		return value
	}
	if name, err := url.PathUnescape(value); err == nil {
		return name
	}
	return value
}
