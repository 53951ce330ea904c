package selector

import (
	"slices"
	"strconv"
	"strings"
)

// Expr is a parsed selection expression: a *Atom, an Intersection or a Union.
type Expr interface {
	// String prints the expression in canonical form; parsing the result
	// gives back an equal expression.
	String() string
	isExpr()
}

// Unlimited is the depth of a graph operator written without a number.
const Unlimited = -1

// Atom is one selector: optional graph operators around method:value.
type Atom struct {
	Offset int // byte offset of the atom in the parsed expression

	ChildrensParents bool // "@" prefix
	Parents          bool // "+" prefix
	ParentsDepth     int  // "2+" prefix: 2; Unlimited for a bare "+"

	Method string   // "" for the default method (name / fqn / path / file)
	Args   []string // dotted method arguments: config.materialized -> ["materialized"]
	Value  string   // never empty

	Children      bool // "+" suffix
	ChildrenDepth int  // "+1" suffix: 1; Unlimited for a bare "+"
}

// Intersection selects what all its atoms select (comma-separated).
type Intersection []*Atom

// Union selects what any of its members selects (space-separated). Members
// are *Atom or Intersection.
type Union []Expr

func (*Atom) isExpr()        {}
func (Intersection) isExpr() {}
func (Union) isExpr()        {}

func (a *Atom) String() string {
	var b strings.Builder
	if a.ChildrensParents {
		b.WriteByte('@')
	}
	if a.Parents {
		if a.ParentsDepth >= 0 {
			b.WriteString(strconv.Itoa(a.ParentsDepth))
		}
		b.WriteByte('+')
	}
	if a.Method != "" {
		b.WriteString(a.methodName())
		b.WriteByte(':')
	}
	b.WriteString(a.Value)
	if a.Children {
		b.WriteByte('+')
		if a.ChildrenDepth >= 0 {
			b.WriteString(strconv.Itoa(a.ChildrenDepth))
		}
	}
	return b.String()
}

// methodName is the method as written, arguments included: "config.materialized".
func (a *Atom) methodName() string {
	if len(a.Args) == 0 {
		return a.Method
	}
	return a.Method + "." + strings.Join(a.Args, ".")
}

func (x Intersection) String() string {
	parts := make([]string, len(x))
	for i, a := range x {
		parts[i] = a.String()
	}
	return strings.Join(parts, ",")
}

func (u Union) String() string {
	parts := make([]string, len(u))
	for i, e := range u {
		parts[i] = e.String()
	}
	return strings.Join(parts, " ")
}

// atoms calls fn for every atom in e.
func atoms(e Expr, fn func(*Atom)) {
	switch x := e.(type) {
	case *Atom:
		fn(x)
	case Intersection:
		for _, a := range x {
			fn(a)
		}
	case Union:
		for _, m := range x {
			atoms(m, fn)
		}
	case *Set:
		for _, m := range append(slices.Clip(x.Members), x.Exclude...) {
			atoms(m, fn)
		}
	case *Indirect:
		atoms(x.Of, fn)
	}
}

// atomsThrough is atoms, also through the definitions selector: atoms
// name (each once).
func atomsThrough(e Expr, defs Definitions, fn func(*Atom)) {
	seen := map[string]bool{}
	var visit func(e Expr)
	visit = func(e Expr) {
		atoms(e, func(a *Atom) {
			fn(a)
			if d := defs[SelectorName(a.Value)]; a.Method == "selector" && d != nil && !seen[d.Name] {
				seen[d.Name] = true
				visit(d.Expr)
			}
		})
	}
	visit(e)
}
