package bqfake

import "fmt"

// node is a token, or a parenthesized or bracketed group of nodes: the
// shape the translation walks, so that a function's arguments or a
// subquery are one node.
type node struct {
	tok   token  // the token, or a group's opening "(" or "["
	kids  []node // a group's contents
	group bool
}

// is reports whether n is the word w.
func (n node) is(w string) bool { return !n.group && n.tok.is(w) }

// isGroup reports whether n is a group opened by open ("(" or "[").
func (n node) isGroup(open string) bool { return n.group && n.tok.text == open }

// punct reports whether n is the punctuation p.
func (n node) punct(p string) bool { return !n.group && n.tok.kind == 'p' && n.tok.text == p }

// tree groups tokens by their brackets.
func tree(toks []token) ([]node, error) {
	out, rest, err := groupUntil(toks, "")
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("Syntax error: Unexpected %q", rest[0].text)
	}
	return out, nil
}

// groupUntil reads nodes up to the closing bracket close ("" for the end)
// and returns them and the tokens after it.
func groupUntil(toks []token, close string) ([]node, []token, error) {
	var out []node
	for len(toks) > 0 {
		t := toks[0]
		toks = toks[1:]
		if t.kind == 'p' {
			switch t.text {
			case "(", "[":
				want := ")"
				if t.text == "[" {
					want = "]"
				}
				kids, rest, err := groupUntil(toks, want)
				if err != nil {
					return nil, nil, err
				}
				out = append(out, node{tok: t, kids: kids, group: true})
				toks = rest
				continue
			case ")", "]":
				if t.text != close {
					return nil, nil, fmt.Errorf("Syntax error: Unexpected %q", t.text)
				}
				return out, toks, nil
			}
		}
		out = append(out, node{tok: t})
	}
	if close != "" {
		return nil, nil, fmt.Errorf("Syntax error: Expected %q but got end of statement", close)
	}
	return out, nil, nil
}

// splitCommas splits nodes at their top-level commas.
func splitCommas(ns []node) [][]node {
	if len(ns) == 0 {
		return nil
	}
	var out [][]node
	start := 0
	for i, n := range ns {
		if n.punct(",") {
			out = append(out, ns[start:i])
			start = i + 1
		}
	}
	return append(out, ns[start:])
}

// indexWord is the index of the first top-level word w in ns, or -1.
func indexWord(ns []node, w string) int {
	for i, n := range ns {
		if n.is(w) {
			return i
		}
	}
	return -1
}
