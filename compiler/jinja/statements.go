package jinja

import "strings"

// Parsing the statements of block tags: for, set, macro, filter, raw.

func (r *rewriter) parseFor(start, from, to int) (*forItem, error) {
	p, perr := newParser(r.src, from, to)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	targets, perr := p.parseTargets(false)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	if !p.accept(tName, "in") {
		t := p.peek()
		return nil, r.errAt(t.off, "expected 'in' in the for loop ({%% for x in items %%}), got %s", t.describe())
	}
	it := &forItem{off: start, targets: targets}
	if p.peek().kind == tEOF {
		return nil, r.errAt(p.peek().off, "expected what to loop over after 'in'")
	}
	if it.iter, perr = p.parseTuple(false); perr != nil {
		return nil, r.posErr(perr)
	}
	if p.accept(tName, "if") {
		if it.cond, perr = p.parseExpr(); perr != nil {
			return nil, r.posErr(perr)
		}
	}
	it.recursive = p.accept(tName, "recursive")
	if perr := p.end(); perr != nil {
		return nil, r.posErr(perr)
	}
	return it, nil
}

func (r *rewriter) parseSet(from, to int) (*setItem, error) {
	p, perr := newParser(r.src, from, to)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	if p.peek().kind == tEOF {
		return nil, r.errAt(from, "expected a variable name after set")
	}
	targets, perr := p.parseTargets(true)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	it := &setItem{off: targets[0].off, targets: targets}
	if p.accept(tOp, "=") {
		if p.peek().kind == tEOF {
			return nil, r.errAt(p.peek().off, "expected a value after '='")
		}
		if it.value, perr = p.parseTuple(true); perr != nil {
			return nil, r.posErr(perr)
		}
	} else if len(targets) > 1 || targets[0].attr != "" {
		return nil, r.errAt(p.peek().off, "expected '=' after the variable names")
	} else {
		for p.accept(tOp, "|") { // {% set x | upper %}...{% endset %}
			f, perr := p.parseFilterCall(nil)
			if perr != nil {
				return nil, r.posErr(perr)
			}
			it.filters = append(it.filters, f)
		}
	}
	if perr := p.end(); perr != nil {
		if it.value == nil {
			return nil, r.errAt(perr.off, "expected '=' or the end of the tag, got %s", p.peek().describe())
		}
		return nil, r.posErr(perr)
	}
	return it, nil
}

func (r *rewriter) parseMacro(kind string, from, to int) (*Macro, error) {
	p, perr := newParser(r.src, from, to)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	n := p.next()
	if n.kind != tName || keywords[n.s] {
		return nil, r.errAt(n.off, "expected the %s's name, got %s", kind, n.describe())
	}
	line, _ := LineCol(r.src, n.off)
	m := &Macro{Name: n.s, File: r.prog.src.path, Line: line, src: r.prog.src, prog: r.prog}
	switch kind {
	case "test":
		m.Name = "test_" + n.s
	case "materialization":
		adapter := "default"
		for p.accept(tOp, ",") {
			a := p.next()
			switch {
			case a.is(tName, "default"):
			case a.is(tName, "adapter") && p.accept(tOp, "="):
				v := p.next()
				if v.kind != tString {
					return nil, r.errAt(v.off, "expected the adapter's name as a string")
				}
				adapter = v.s
			default:
				return nil, r.errAt(a.off, "expected default or adapter='name'")
			}
		}
		m.Name = "materialization_" + n.s + "_" + adapter
		if perr := p.end(); perr != nil {
			return nil, r.posErr(perr)
		}
		return m, nil
	}
	if err := p.expectOp("(", " after the "+kind+"'s name"); err != nil {
		return nil, r.posErr(err)
	}
	for !p.accept(tOp, ")") {
		if len(m.Params) > 0 {
			if err := p.expectOp(",", " or ')' between arguments"); err != nil {
				return nil, r.posErr(err)
			}
			if p.accept(tOp, ")") {
				break
			}
		}
		a := p.next()
		if a.kind != tName || keywords[a.s] {
			return nil, r.errAt(a.off, "expected an argument name, got %s", a.describe())
		}
		if indexOf(m.Params, a.s) >= 0 {
			return nil, r.errAt(a.off, "argument '%s' is declared twice", a.s)
		}
		var def expr
		if p.accept(tOp, "=") {
			if def, perr = p.parseExpr(); perr != nil {
				return nil, r.posErr(perr)
			}
		} else if len(m.defaults) > 0 && m.defaults[len(m.defaults)-1] != nil {
			return nil, r.errAt(a.off, "argument '%s' without a default follows one with a default", a.s)
		}
		m.Params = append(m.Params, a.s)
		m.defaults = append(m.defaults, def)
	}
	if perr := p.end(); perr != nil {
		return nil, r.posErr(perr)
	}
	return m, nil
}

func (r *rewriter) parseFilterBlock(from, to int) (*filterItem, error) {
	p, perr := newParser(r.src, from, to)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	it := &filterItem{off: from}
	for {
		f, perr := p.parseFilterCall(nil)
		if perr != nil {
			return nil, r.posErr(perr)
		}
		it.chain = append(it.chain, f)
		if !p.accept(tOp, "|") {
			break
		}
	}
	if perr := p.end(); perr != nil {
		return nil, r.posErr(perr)
	}
	return it, nil
}

func (r *rewriter) parseWith(from, to int) (*withItem, error) {
	p, perr := newParser(r.src, from, to)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	it := &withItem{}
	for p.peek().kind != tEOF {
		if len(it.names) > 0 {
			if perr := p.expectOp(",", " between the assignments of {% with %}"); perr != nil {
				return nil, r.posErr(perr)
			}
		}
		t := p.next()
		if t.kind != tName || keywords[t.s] {
			return nil, r.errAt(t.off, "expected a variable name, got %s", t.describe())
		}
		if perr := p.expectOp("=", " after the variable name"); perr != nil {
			return nil, r.posErr(perr)
		}
		x, perr := p.parseExpr()
		if perr != nil {
			return nil, r.posErr(perr)
		}
		it.names = append(it.names, target{off: t.off, name: t.s})
		it.values = append(it.values, x)
	}
	return it, nil
}

// findEnd finds {% end<name> %} after from; it returns where that tag
// starts and ends.
func (r *rewriter) findEnd(from int, name string) (int, int, bool, bool) {
	s := r.src
	for i := from; ; {
		j := strings.Index(s[i:], "{%")
		if j < 0 {
			return 0, 0, false, false
		}
		j += i
		k := j + 2
		for k < len(s) && (s[k] == '-' || s[k] == '+' || strings.IndexByte(spaceChars, s[k]) >= 0) {
			k++
		}
		if strings.HasPrefix(s[k:], "end"+name) {
			k += 3 + len(name)
			for k < len(s) && strings.IndexByte(spaceChars, s[k]) >= 0 {
				k++
			}
			rtrim := strings.HasPrefix(s[k:], "-%}")
			if rtrim {
				k++
			} else if strings.HasPrefix(s[k:], "+%}") {
				k++
			}
			if strings.HasPrefix(s[k:], "%}") {
				return j, k + 2, true, rtrim
			}
		}
		i = j + 2
	}
}

// raw copies everything up to {% endraw %} as literal text.
func (r *rewriter) raw(start, from int, rt bool) (int, error) {
	end, next, ok, endRtrim := r.findEnd(from, "raw")
	if !ok {
		return 0, r.errAt(start, "{%% raw %%} is never closed: expected {%% endraw %%}")
	}
	content := r.src[from:end]
	if rt {
		content = strings.TrimLeft(content, spaceChars)
	}
	if k := end + 2; k < len(r.src) && r.src[k] == '-' {
		content = strings.TrimRight(content, spaceChars)
	}
	content = normalizeNewlines(content)
	if content != "" {
		// not isText: {%- after {% endraw %} must not trim it
		r.pieces = append(r.pieces, piece{off: start, print: &exprItem{off: start, x: &constExpr{off: start, v: content}}})
	}
	r.close(endRtrim)
	return next, nil
}

// skipBlock drops a block whose body is not template output ({% docs %}).
func (r *rewriter) skipBlock(start, from int, name string) (int, error) {
	_, next, ok, endRtrim := r.findEnd(from, name)
	if !ok {
		return 0, r.errAt(start, "{%% %s %%} is never closed: expected {%% end%s %%}", name, name)
	}
	r.close(endRtrim)
	return next, nil
}
