package selector

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNoState and ErrNoResults are wrapped by Select's error when a selector
// needs a previous manifest (state:) or previous run results (result:) and
// Options does not carry them.
var (
	ErrNoState   = errors.New("no previous state was given")
	ErrNoResults = errors.New("no previous run results were given")
	// ErrNoSources is wrapped when source_status: lacks a sources.json.
	ErrNoSources = errors.New("no source freshness results were given")
)

// Select returns the selected unique ids, sorted. An empty include selects
// every node. Each element of include and exclude is one CLI argument, which
// may hold several space-separated selectors (`-s "a b"` is `-s a -s b`).
// Exclusion is subtracted after inclusion. As in dbt, excluding a node also
// excludes the tests attached to it, and with opt.IndirectTests every atom
// of include also selects the tests of what it matched. Disabled nodes
// (config enabled: false) are never selected. Selecting nothing is not an
// error.
func Select(g *Graph, include, exclude []string, opt Options) ([]string, error) {
	inc, err := parseArgs(include)
	if err != nil {
		return nil, err
	}
	exc, err := parseArgs(exclude)
	if err != nil {
		return nil, err
	}
	if err := checkInputs(include, inc, &opt); err != nil {
		return nil, err
	}
	if err := checkInputs(exclude, exc, &opt); err != nil {
		return nil, err
	}

	ix := buildIndex(g, &opt)
	sel := newBitset(len(ix.ids))
	if len(inc) == 0 {
		for i := range ix.ids {
			sel.set(int32(i))
		}
	}
	// eager tests are each atom's; the other modes' are the whole
	// selection's (a test of two selected models is cautious's when each
	// is selected by another atom)
	for _, e := range inc {
		sel.or(ix.evalCriteria(e, ix.eager(), opt.Unmatched))
	}
	if opt.IndirectTests && !ix.eager() {
		ix.addTestsAs(sel, opt.Indirect)
	}
	for _, e := range exc {
		sel.andNot(ix.evalCriteria(e, true, opt.Unmatched))
	}
	if len(inc) == 0 {
		ix.dropDisabled(sel)
	}
	out := make([]string, 0, 64)
	for _, i := range sel.appendTo(nil) {
		out = append(out, ix.ids[i])
	}
	slices.Sort(out)
	return out, nil
}

// evalCriteria is eval of an argument, each criterion of it (a union's
// member) evaluated on its own, and those that select nothing appended to
// unmatched when it is set.
func (ix *index) evalCriteria(e Expr, tests bool, unmatched *[]string) bitset {
	if unmatched == nil {
		return ix.eval(e, tests)
	}
	members, ok := e.(Union)
	if !ok {
		members = Union{e}
	}
	s := newBitset(len(ix.ids))
	for _, m := range members {
		got := ix.eval(m, tests)
		if got.empty() {
			*unmatched = append(*unmatched, m.String())
		}
		s.or(got)
	}
	return s
}

func parseArgs(args []string) ([]Expr, error) {
	out := make([]Expr, len(args))
	for i, arg := range args {
		e, err := Parse(arg)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// checkInputs fails when an atom needs state or results that opt lacks.
func checkInputs(raw []string, exprs []Expr, opt *Options) error {
	for k, e := range exprs {
		var err error
		atomsThrough(e, opt.Selectors, func(a *Atom) {
			switch {
			case err != nil:
			case a.Method == "selector" && opt.Selectors[SelectorName(a.Value)] == nil:
				err = fmt.Errorf("selector %q: %w", raw[k], opt.Selectors.Unknown(SelectorName(a.Value)))
			case a.Method == "state" && opt.State == nil:
				err = fmt.Errorf("selector %q: state:%s compares with the manifest of a previous run: %w",
					raw[k], a.Value, ErrNoState)
			case a.Method == "source_status" && (opt.SourcesLoadedAt == nil || opt.StateSourcesLoadedAt == nil):
				err = fmt.Errorf("selector %q: source_status:%s compares target/sources.json with the one in --state DIR: %w",
					raw[k], a.Value, ErrNoSources)
			case a.Method == "result" && opt.Results == nil:
				err = fmt.Errorf("selector %q: result:%s reads the results of a previous run: %w",
					raw[k], a.Value, ErrNoResults)
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// eval returns the nodes e selects; with tests, each atom also selects the
// tests attached to what it selected.
func (ix *index) eval(e Expr, tests bool) bitset {
	switch x := e.(type) {
	case *Atom:
		return ix.evalAtom(x, tests)
	case Intersection:
		s := ix.eval(x[0], tests)
		for _, a := range x[1:] {
			if a.ChildrensParents || a.Parents || a.Children || a.Method == "selector" {
				s.and(ix.eval(a, tests))
			} else {
				ix.narrow(s, a, tests)
			}
		}
		return s
	case Union:
		s := newBitset(len(ix.ids))
		for _, m := range x {
			s.or(ix.eval(m, tests))
		}
		return s
	case *Set:
		s := ix.eval(x.Members[0], tests)
		for _, m := range x.Members[1:] {
			if x.Intersect {
				s.and(ix.eval(m, tests))
			} else {
				s.or(ix.eval(m, tests))
			}
		}
		for _, m := range x.Exclude {
			s.andNot(ix.eval(m, true)) // (with their tests, as --exclude)
		}
		return s
	case *Indirect:
		if !ix.opt.IndirectTests { // (a command that selects no tests)
			return ix.eval(x.Of, false)
		}
		s := ix.eval(x.Of, false)
		ix.addTestsAs(s, x.Mode)
		return s
	}
	return newBitset(len(ix.ids))
}

// narrow intersects s with what the atom (which has no graph operators)
// selects, testing only the nodes that can matter: those of s and, with
// tests, the parents of the tests in s.
func (ix *index) narrow(s bitset, a *Atom, tests bool) {
	m := ix.compile(a)
	if m == nil { // "*": s holds only enabled nodes already
		return
	}
	cands := s.appendTo(nil)
	if tests {
		ix.edges()
		for _, i := range cands {
			if rt := ix.nodes[i].ResourceType; rt == "test" || rt == "unit_test" {
				cands = append(cands, ix.parents.of(i)...)
			}
		}
	}
	matched := newBitset(len(ix.ids))
	for _, i := range cands {
		if m(int(i)) {
			matched.set(i)
		}
	}
	ix.dropDisabled(matched)
	if tests {
		ix.addTests(matched)
	}
	s.and(matched)
}

func (ix *index) evalAtom(a *Atom, tests bool) bitset {
	matched := newBitset(len(ix.ids))
	var m matcher
	if a.Method != "selector" {
		m = ix.compile(a)
	}
	switch cands, ok := ix.candidates(a); {
	case a.Method == "selector":
		matched.or(ix.selectorSet(a.Value, tests))
	case m == nil:
		for i := range ix.ids {
			matched.set(int32(i))
		}
	case ok:
		for _, i := range cands {
			if m(int(i)) {
				matched.set(i)
			}
		}
	default:
		for i := range ix.ids {
			if m(i) {
				matched.set(int32(i))
			}
		}
	}
	ix.dropDisabled(matched)
	out := matched
	if a.ChildrensParents || a.Parents || a.Children {
		ix.edges()
		out = matched.clone()
	}
	if a.ChildrensParents {
		out.or(ix.walk(ix.walk(matched, ix.children, Unlimited), ix.parents, Unlimited))
	}
	if a.Parents {
		out.or(ix.walk(matched, ix.parents, a.ParentsDepth))
	}
	if a.Children {
		out.or(ix.walk(matched, ix.children, a.ChildrenDepth))
	}
	switch {
	case tests && a.Method == "selector":
		// the definition selected its tests as it says
		// (indirect_selection); what the operators added gets theirs
		added := out.clone()
		added.andNot(matched)
		ix.addTests(added)
		out.or(added)
	case tests:
		ix.addTests(out)
	}
	return out
}

// compile returns the atom's matcher, or nil when it matches every node (a
// bare "*").
func (ix *index) compile(a *Atom) matcher {
	if a.Method != "" {
		return methods[a.Method].compile(a, ix)
	}
	switch defaultMethod(a.Value) {
	case "*":
		return nil
	case "path":
		return pathMatcher(a.Value, ix)
	case "file":
		return fileMatcher(a.Value, ix)
	}
	return fqnMatcher(a.Value, ix)
}

// defaultMethod is dbt's choice for a value without a method: a value with
// a "/" is a path, one ending in .sql/.py/.csv a file name, anything else a
// name or FQN. A bare "*" selects everything.
func defaultMethod(v string) string {
	switch {
	case v == "*":
		return "*"
	case strings.Contains(v, "/"):
		return "path"
	case strings.HasSuffix(v, ".sql") || strings.HasSuffix(v, ".py") || strings.HasSuffix(v, ".csv"):
		return "file"
	}
	return "fqn"
}

// candidates returns the only nodes a wildcard-free name, FQN or unique id
// can match, so that long lists of names do not each scan the graph. ok is
// false when every node must be tested.
func (ix *index) candidates(a *Atom) (cands []int32, ok bool) {
	if strings.ContainsAny(a.Value, `*?[\`) {
		return nil, false
	}
	switch {
	case a.Method == "unique_id":
		if p, found := ix.position(a.Value); found {
			return []int32{p}, true
		}
		return nil, true
	case a.Method == "fqn" || a.Method == "" && defaultMethod(a.Value) == "fqn":
		// Building the word index costs a few scans; do it once names repeat.
		if ix.fqnScans++; ix.fqnScans <= 4 {
			return nil, false
		}
		words := ix.words()
		cands = words[a.Value]
		if first, _, dotted := strings.Cut(a.Value, "."); dotted {
			cands = append(slices.Clip(cands), words[first]...)
		}
		return cands, true
	}
	return nil, false
}

// Methods returns the methods the selector arguments use ("" for a value
// without one: a name, FQN, path or file), so that a caller holding only
// part of what nodes carry can tell whether it can answer them.
// A selector: atom's definition (of defs) counts: its methods are
// listed too.
func Methods(args []string, defs Definitions) (map[string]bool, error) {
	exprs, err := parseArgs(args)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, e := range exprs {
		atomsThrough(e, defs, func(a *Atom) { out[a.Method] = true })
	}
	return out, nil
}
