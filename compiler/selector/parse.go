package selector

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse parses one selection expression (one CLI argument): atoms separated
// by whitespace are a union, atoms joined by commas an intersection, and the
// comma binds tighter ("a,b c" is (a∩b) ∪ c). Whitespace around a comma is
// allowed. Each atom is
//
//	[@][N]+? [method[.arg...]:]value [+[N]]
//
// as in dbt. Errors are *ParseError.
func Parse(expr string) (Expr, error) {
	var terms []Intersection
	pendingComma := false
	i := 0
	for {
		for i < len(expr) && isSpace(expr[i]) {
			i++
		}
		if i == len(expr) {
			break
		}
		if expr[i] == ',' {
			if pendingComma {
				return nil, &ParseError{expr, i, `expected a selector after ","`}
			}
			if len(terms) == 0 {
				return nil, &ParseError{expr, i, `expected a selector before ","`}
			}
			pendingComma = true
			i++
			continue
		}
		start := i
		for i < len(expr) && !isSpace(expr[i]) && expr[i] != ',' {
			i++
		}
		a, err := parseAtom(expr, start, i)
		if err != nil {
			return nil, err
		}
		if pendingComma {
			terms[len(terms)-1] = append(terms[len(terms)-1], a)
		} else {
			terms = append(terms, Intersection{a})
		}
		pendingComma = false
	}
	switch {
	case pendingComma:
		return nil, &ParseError{expr, len(expr), `expected a selector after ","`}
	case len(terms) == 0:
		return nil, &ParseError{expr, len(expr), "expected a selector"}
	case len(terms) == 1 && len(terms[0]) == 1:
		return terms[0][0], nil
	case len(terms) == 1:
		return terms[0], nil
	}
	u := make(Union, len(terms))
	for k, t := range terms {
		if len(t) == 1 {
			u[k] = t[0]
		} else {
			u[k] = t
		}
	}
	return u, nil
}

// parseAtom parses expr[start:end], which holds no whitespace or comma. It
// follows dbt's pattern: (@)?((\d*)\+)?(([\w.]+):)?(.*?)(\+(\d*))?
func parseAtom(expr string, start, end int) (*Atom, error) {
	tok := expr[start:end]
	fail := func(at int, format string, args ...any) error {
		return &ParseError{Expr: expr, Offset: start + at, Msg: fmt.Sprintf(format, args...)}
	}
	a := &Atom{Offset: start, ParentsDepth: Unlimited, ChildrenDepth: Unlimited}
	i := 0
	if tok[0] == '@' {
		a.ChildrensParents = true
		i = 1
	}
	j := i
	for j < len(tok) && isDigit(tok[j]) {
		j++
	}
	if j < len(tok) && tok[j] == '+' {
		a.Parents = true
		if j > i {
			d, err := strconv.Atoi(tok[i:j])
			if err != nil {
				return nil, fail(i, "graph depth %s is too large", tok[i:j])
			}
			a.ParentsDepth = d
		}
		i = j + 1
	}

	methodStart := -1
	j = i
	for j < len(tok) && (isWord(tok[j]) || tok[j] == '.') {
		j++
	}
	if j > i && j < len(tok) && tok[j] == ':' {
		methodStart = i
		if err := parseMethod(a, tok[i:j], func(at int, msg string) error {
			return fail(methodStart+at, "%s", msg)
		}); err != nil {
			return nil, err
		}
		i = j + 1
	}

	rest := tok[i:]
	if k := strings.LastIndexByte(rest, '+'); k >= 0 && allDigits(rest[k+1:]) {
		if a.ChildrensParents {
			return nil, fail(i+k, `the "@" prefix and a "+" suffix cannot be combined (write "@x" or "x+", not "@x+")`)
		}
		a.Children = true
		if k+1 < len(rest) {
			d, err := strconv.Atoi(rest[k+1:])
			if err != nil {
				return nil, fail(i+k+1, "graph depth %s is too large", rest[k+1:])
			}
			a.ChildrenDepth = d
		}
		rest = rest[:k]
	}
	a.Value = rest
	if rest == "" {
		if methodStart >= 0 {
			return nil, fail(i, "expected a value after %q", tok[methodStart:i])
		}
		return nil, fail(i, "expected a selector after %q", tok[:i])
	}
	if a.Method != "" {
		if at, msg := methods[a.Method].validate(a); msg != "" {
			return nil, fail(i+at, "%s", msg)
		}
	} else if strings.Contains(rest, "/") {
		if at, msg := checkPath(rest); msg != "" {
			return nil, fail(i+at, "%s", msg)
		}
	}
	return a, nil
}

// parseMethod fills a.Method and a.Args from "name[.arg...]"; fail takes an
// offset relative to the method's start.
func parseMethod(a *Atom, text string, fail func(at int, msg string) error) error {
	parts := strings.Split(text, ".")
	name := parts[0]
	spec, ok := methods[name]
	if !ok {
		if why, ok := unsupportedMethods[name]; ok {
			return fail(0, fmt.Sprintf("selector method %q is not supported by mart: %s", name, why))
		}
		return fail(0, fmt.Sprintf("unknown selector method %q;%s valid methods: %s",
			name, suggest(name, methodNames), strings.Join(methodNames, ", ")))
	}
	args := parts[1:]
	if len(args) > 0 && !spec.takesArgs {
		return fail(len(name), fmt.Sprintf("method %q takes no \".<argument>\" (only config.<key> does)", name))
	}
	if spec.takesArgs && len(args) == 0 {
		return fail(len(name), fmt.Sprintf("expected a key after %q: %s.<key>:<value>", name, name))
	}
	at := len(name) + 1
	for _, arg := range args {
		if arg == "" {
			return fail(at, fmt.Sprintf("expected a key after %q", text[:at]))
		}
		at += len(arg) + 1
	}
	a.Method = name
	if len(args) > 0 {
		a.Args = args
	}
	return nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWord(c byte) bool {
	return isDigit(c) || c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
