package jinja

import (
	"fmt"
)

// posError is an error at a byte offset of the template being parsed or
// run; the tag that runs the expression turns it into an *Error.
type posError struct {
	off int
	msg string
}

func (e *posError) Error() string { return e.msg }

// parser is a recursive-descent parser of Jinja expressions, following
// Jinja's own grammar and precedence:
//
//	cond:    or ['if' or ['else' cond]]
//	or:      and ('or' and)*
//	and:     not ('and' not)*
//	not:     'not' not | compare
//	compare: math1 (('=='|'!='|'<'|'>'|'<='|'>='|'in'|'not' 'in') math1)*
//	math1:   concat (('+'|'-') concat)*
//	concat:  math2 ('~' math2)*
//	math2:   pow (('*'|'/'|'//'|'%') pow)*
//	pow:     unary ('**' unary)*
//	unary:   ('-'|'+') unary | primary postfix* filter*
type parser struct {
	toks  []token
	i     int
	depth int // nesting, bounded so a pathological expression cannot exhaust the stack
}

// maxNesting bounds how deeply expressions may nest.
const maxNesting = 200

func (p *parser) enter() *posError {
	p.depth++
	if p.depth > maxNesting {
		return p.fail(p.peek(), "expression nested too deeply (over %d levels)", maxNesting)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func newParser(src string, from, to int) (*parser, *posError) {
	toks, err := lex(src, from, to)
	if err != nil {
		return nil, err
	}
	return &parser{toks: toks}, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekN(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) accept(kind tokKind, s string) bool {
	if p.peek().is(kind, s) {
		p.next()
		return true
	}
	return false
}

func (p *parser) fail(t token, format string, args ...any) *posError {
	return &posError{off: t.off, msg: fmt.Sprintf(format, args...)}
}

func (p *parser) expectOp(s string, context string) *posError {
	if p.accept(tOp, s) {
		return nil
	}
	t := p.peek()
	return p.fail(t, "expected '%s'%s, got %s", s, context, t.describe())
}

// end checks that every token was used.
func (p *parser) end() *posError {
	if t := p.peek(); t.kind != tEOF {
		return p.fail(t, "unexpected %s: expected the end of the tag", t.describe())
	}
	return nil
}

func (p *parser) parseExpr() (expr, *posError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.parseCond()
}

func (p *parser) parseCond() (expr, *posError) {
	x, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	for p.peek().is(tName, "if") {
		t := p.next()
		test, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		var no expr
		if p.accept(tName, "else") {
			if no, err = p.parseCond(); err != nil {
				return nil, err
			}
		}
		x = &condExpr{off: t.off, test: test, yes: x, no: no}
	}
	return x, nil
}

func (p *parser) parseOr() (expr, *posError) {
	x, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.peek().is(tName, "or") {
		t := p.next()
		y, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		x = &logicExpr{off: t.off, or: true, l: x, r: y}
	}
	return x, nil
}

func (p *parser) parseAnd() (expr, *posError) {
	x, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.peek().is(tName, "and") {
		t := p.next()
		y, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		x = &logicExpr{off: t.off, l: x, r: y}
	}
	return x, nil
}

func (p *parser) parseNot() (expr, *posError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if p.peek().is(tName, "not") {
		t := p.next()
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &notExpr{off: t.off, x: x}, nil
	}
	return p.parseCompare()
}

func (p *parser) parseCompare() (expr, *posError) {
	x, err := p.parseMath1()
	if err != nil {
		return nil, err
	}
	var c *compareExpr
	for {
		t := p.peek()
		var op string
		switch {
		case t.kind == tOp && (t.s == "==" || t.s == "!=" || t.s == "<" || t.s == ">" || t.s == "<=" || t.s == ">="):
			op = t.s
			p.next()
		case t.is(tName, "in"):
			op = "in"
			p.next()
		case t.is(tName, "not") && p.peekN(1).is(tName, "in"):
			op = "not in"
			p.next()
			p.next()
		}
		if op == "" {
			break
		}
		y, err := p.parseMath1()
		if err != nil {
			return nil, err
		}
		if c == nil {
			c = &compareExpr{first: x}
		}
		c.ops = append(c.ops, compareOp{op: op, off: t.off, x: y})
	}
	if c == nil {
		return x, nil
	}
	return c, nil
}

func (p *parser) parseMath1() (expr, *posError) {
	x, err := p.parseConcat()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.is(tOp, "+") || t.is(tOp, "-"); t = p.peek() {
		p.next()
		y, err := p.parseConcat()
		if err != nil {
			return nil, err
		}
		x = &binExpr{off: t.off, op: t.s, l: x, r: y}
	}
	return x, nil
}

func (p *parser) parseConcat() (expr, *posError) {
	x, err := p.parseMath2()
	if err != nil {
		return nil, err
	}
	if !p.peek().is(tOp, "~") {
		return x, nil
	}
	c := &concatExpr{off: p.peek().off, parts: []expr{x}}
	for p.accept(tOp, "~") {
		y, err := p.parseMath2()
		if err != nil {
			return nil, err
		}
		c.parts = append(c.parts, y)
	}
	return c, nil
}

func (p *parser) parseMath2() (expr, *posError) {
	x, err := p.parsePow()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.kind == tOp && (t.s == "*" || t.s == "/" || t.s == "//" || t.s == "%"); t = p.peek() {
		p.next()
		y, err := p.parsePow()
		if err != nil {
			return nil, err
		}
		x = &binExpr{off: t.off, op: t.s, l: x, r: y}
	}
	return x, nil
}

func (p *parser) parsePow() (expr, *posError) {
	x, err := p.parseUnary(true)
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.is(tOp, "**"); t = p.peek() {
		p.next()
		y, err := p.parseUnary(true)
		if err != nil {
			return nil, err
		}
		x = &binExpr{off: t.off, op: "**", l: x, r: y}
	}
	return x, nil
}

func (p *parser) parseUnary(withFilter bool) (expr, *posError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.peek()
	var x expr
	var err *posError
	switch {
	case t.is(tOp, "-") || t.is(tOp, "+"):
		p.next()
		y, err := p.parseUnary(false)
		if err != nil {
			return nil, err
		}
		x = &negExpr{off: t.off, x: y, plus: t.s == "+"}
	default:
		if x, err = p.parsePrimary(); err != nil {
			return nil, err
		}
	}
	if x, err = p.parsePostfix(x); err != nil {
		return nil, err
	}
	if withFilter {
		return p.parseFilters(x)
	}
	return x, nil
}

func (p *parser) parsePrimary() (expr, *posError) {
	t := p.next()
	switch t.kind {
	case tName:
		switch t.s {
		case "true", "True":
			return &constExpr{off: t.off, v: true}, nil
		case "false", "False":
			return &constExpr{off: t.off, v: false}, nil
		case "none", "None":
			return &constExpr{off: t.off, v: nil}, nil
		}
		if keywords[t.s] {
			return nil, p.fail(t, "expected a value, got the keyword '%s'", t.s)
		}
		return &nameExpr{off: t.off, name: t.s}, nil
	case tString:
		s := t.s
		for p.peek().kind == tString {
			s += p.next().s
		}
		return &constExpr{off: t.off, v: s}, nil
	case tInt:
		return &constExpr{off: t.off, v: t.n}, nil
	case tFloat:
		return &constExpr{off: t.off, v: t.f}, nil
	case tOp:
		switch t.s {
		case "(":
			if p.accept(tOp, ")") {
				return &listExpr{off: t.off, tuple: true}, nil
			}
			x, err := p.parseTuple(true)
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")", " to close '('"); err != nil {
				return nil, err
			}
			return x, nil
		case "[":
			l := &listExpr{off: t.off}
			for !p.accept(tOp, "]") {
				if len(l.items) > 0 {
					if err := p.expectOp(",", " or ']' in the list"); err != nil {
						return nil, err
					}
					if p.accept(tOp, "]") {
						break
					}
				}
				x, err := p.parseExpr()
				if err != nil {
					return nil, err
				}
				l.items = append(l.items, x)
			}
			return l, nil
		case "{":
			d := &dictExpr{off: t.off}
			for !p.accept(tOp, "}") {
				if len(d.keys) > 0 {
					if err := p.expectOp(",", " or '}' in the dict"); err != nil {
						return nil, err
					}
					if p.accept(tOp, "}") {
						break
					}
				}
				k, err := p.parseExpr()
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(":", " after a dict key"); err != nil {
					return nil, err
				}
				v, err := p.parseExpr()
				if err != nil {
					return nil, err
				}
				d.keys, d.vals = append(d.keys, k), append(d.vals, v)
			}
			return d, nil
		}
	}
	return nil, p.fail(t, "expected a value, got %s", t.describe())
}

// keywords cannot be used as variable names.
var keywords = map[string]bool{"and": true, "or": true, "not": true, "in": true, "is": true, "if": true, "else": true}

// parseTuple parses `a` or `a, b, ...` (a tuple); withCond allows
// conditional expressions (`x if c else y`) in the items.
func (p *parser) parseTuple(withCond bool) (expr, *posError) {
	start := p.peek()
	var items []expr
	tuple := false
	for {
		if len(items) > 0 {
			if !p.accept(tOp, ",") {
				break
			}
			tuple = true
			if t := p.peek(); t.kind == tEOF || t.is(tOp, ")") {
				break
			}
		}
		var x expr
		var err *posError
		if withCond {
			x, err = p.parseExpr()
		} else {
			x, err = p.parseOr()
		}
		if err != nil {
			return nil, err
		}
		items = append(items, x)
	}
	if !tuple {
		return items[0], nil
	}
	return &listExpr{off: start.off, items: items, tuple: true}, nil
}

func (p *parser) parsePostfix(x expr) (expr, *posError) {
	for {
		t := p.peek()
		switch {
		case t.is(tOp, "."):
			p.next()
			n := p.next()
			switch n.kind {
			case tName:
				x = &attrExpr{off: n.off, x: x, name: n.s}
			case tInt:
				x = &itemExpr{off: n.off, x: x, key: &constExpr{off: n.off, v: n.n}}
			default:
				return nil, p.fail(n, "expected an attribute name after '.', got %s", n.describe())
			}
		case t.is(tOp, "["):
			p.next()
			var err *posError
			if x, err = p.parseSubscript(x, t); err != nil {
				return nil, err
			}
		case t.is(tOp, "("):
			var err *posError
			if x, err = p.parseCall(x); err != nil {
				return nil, err
			}
		default:
			return x, nil
		}
	}
}

func (p *parser) parseSubscript(x expr, open token) (expr, *posError) {
	var parts [3]expr
	slice := false
	k := 0
	for {
		t := p.peek()
		if t.is(tOp, "]") {
			p.next()
			break
		}
		if t.is(tOp, ":") {
			p.next()
			slice = true
			k++
			if k > 2 {
				return nil, p.fail(t, "a slice takes at most three parts [start:stop:step]")
			}
			continue
		}
		if parts[k] != nil {
			return nil, p.fail(t, "expected ']' to close '[', got %s", t.describe())
		}
		y, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		parts[k] = y
	}
	if slice {
		return &sliceExpr{off: open.off, x: x, lo: parts[0], hi: parts[1], step: parts[2]}, nil
	}
	if parts[0] == nil {
		return nil, p.fail(open, "expected an index or key inside [ ]")
	}
	return &itemExpr{off: open.off, x: x, key: parts[0]}, nil
}

// parseArgs parses `(a, b, k=v, *xs, **kw)`.
func (p *parser) parseArgs() (callArgs, *posError) {
	var a callArgs
	open := p.next() // (
	for !p.accept(tOp, ")") {
		if a.n() > 0 {
			if err := p.expectOp(",", " or ')' between arguments"); err != nil {
				return a, err
			}
			if p.accept(tOp, ")") {
				break
			}
		}
		t := p.peek()
		switch {
		case t.kind == tEOF:
			return a, p.fail(open, "unclosed '(': expected ')'")
		case t.is(tOp, "**"):
			p.next()
			x, err := p.parseExpr()
			if err != nil {
				return a, err
			}
			a.dstar = x
		case t.is(tOp, "*"):
			p.next()
			x, err := p.parseExpr()
			if err != nil {
				return a, err
			}
			a.star = x
		case t.kind == tName && p.peekN(1).is(tOp, "="):
			p.next()
			p.next()
			x, err := p.parseExpr()
			if err != nil {
				return a, err
			}
			for _, k := range a.kwNames {
				if k == t.s {
					return a, p.fail(t, "keyword argument '%s' repeated", t.s)
				}
			}
			a.kwNames, a.kwVals = append(a.kwNames, t.s), append(a.kwVals, x)
		default:
			if len(a.kwNames) > 0 || a.dstar != nil {
				return a, p.fail(t, "positional argument after keyword arguments")
			}
			x, err := p.parseExpr()
			if err != nil {
				return a, err
			}
			a.pos = append(a.pos, x)
		}
	}
	return a, nil
}

func (p *parser) parseCall(fn expr) (expr, *posError) {
	args, err := p.parseArgs()
	if err != nil {
		return nil, err
	}
	return &callExpr{off: fn.offset(), fn: fn, args: args}, nil
}

func (p *parser) parseFilters(x expr) (expr, *posError) {
	for {
		t := p.peek()
		switch {
		case t.is(tOp, "|"):
			p.next()
			f, err := p.parseFilterCall(x)
			if err != nil {
				return nil, err
			}
			x = f
		case t.is(tName, "is"):
			p.next()
			var err *posError
			if x, err = p.parseTest(x, t); err != nil {
				return nil, err
			}
		case t.is(tOp, "("):
			var err *posError
			if x, err = p.parseCall(x); err != nil {
				return nil, err
			}
		default:
			return x, nil
		}
	}
}

// parseFilterCall parses `name` or `name(args)` after a '|' (x is nil for
// the {% filter %} tag).
func (p *parser) parseFilterCall(x expr) (*filterExpr, *posError) {
	n := p.next()
	if n.kind != tName {
		return nil, p.fail(n, "expected a filter name after '|', got %s", n.describe())
	}
	name := n.s
	for p.peek().is(tOp, ".") && p.peekN(1).kind == tName {
		p.next()
		name += "." + p.next().s
	}
	fn, ok := filters[name]
	if !ok {
		msg := fmt.Sprintf("unknown filter '%s'", name)
		if s := suggest(name, filterNames()); s != "" {
			msg += ": " + s
		}
		return nil, p.fail(n, "%s", msg)
	}
	f := &filterExpr{off: n.off, x: x, name: name, fn: fn}
	if p.peek().is(tOp, "(") {
		args, err := p.parseArgs()
		if err != nil {
			return nil, err
		}
		f.args = args
	}
	return f, nil
}

func (p *parser) parseTest(x expr, is token) (expr, *posError) {
	neg := p.accept(tName, "not")
	n := p.next()
	if n.kind != tName {
		return nil, p.fail(n, "expected a test name after 'is', got %s", n.describe())
	}
	name := n.s
	fn, ok := tests[name]
	if !ok {
		msg := fmt.Sprintf("unknown test '%s' in 'is %s'", name, name)
		if s := suggest(name, testNames()); s != "" {
			msg += ": " + s
		}
		return nil, p.fail(n, "%s", msg)
	}
	t := &testExpr{off: is.off, x: x, name: name, fn: fn, neg: neg}
	nt := p.peek()
	switch {
	case nt.is(tOp, "("):
		args, err := p.parseArgs()
		if err != nil {
			return nil, err
		}
		t.args = args
	case (nt.kind == tName || nt.kind == tString || nt.kind == tInt || nt.kind == tFloat || nt.is(tOp, "[") || nt.is(tOp, "{")) &&
		!nt.is(tName, "else") && !nt.is(tName, "or") && !nt.is(tName, "and") && !nt.is(tName, "if") &&
		!nt.is(tName, "in") && !nt.is(tName, "not"):
		if nt.is(tName, "is") {
			return nil, p.fail(nt, "tests cannot be chained with 'is'")
		}
		arg, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		if arg, err = p.parsePostfix(arg); err != nil {
			return nil, err
		}
		t.args.pos = []expr{arg}
	}
	return t, nil
}

// target is an assignment target of set and for: a name, or ns.attr.
type target struct {
	off  int
	name string
	attr string // set ns.attr = ...
}

// parseTargets parses `a`, `a, b` or `(a, b)`; allowAttr permits ns.attr.
func (p *parser) parseTargets(allowAttr bool) ([]target, *posError) {
	paren := p.accept(tOp, "(")
	var out []target
	for {
		t := p.next()
		if t.kind != tName || keywords[t.s] {
			return nil, p.fail(t, "expected a variable name, got %s", t.describe())
		}
		tg := target{off: t.off, name: t.s}
		if p.peek().is(tOp, ".") {
			if !allowAttr {
				return nil, p.fail(p.peek(), "expected a variable name, not an attribute")
			}
			p.next()
			a := p.next()
			if a.kind != tName {
				return nil, p.fail(a, "expected an attribute name after '.', got %s", a.describe())
			}
			tg.attr = a.s
		}
		out = append(out, tg)
		if !p.accept(tOp, ",") {
			break
		}
		if nt := p.peek(); nt.is(tName, "in") || nt.is(tOp, "=") || nt.is(tOp, ")") {
			break
		}
	}
	if paren {
		if err := p.expectOp(")", " to close '('"); err != nil {
			return nil, err
		}
	}
	return out, nil
}
