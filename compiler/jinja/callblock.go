package jinja

import (
	"strings"

	"github.com/flosch/pongo2/v6"
)

// callItem is {% call(params) fn(args) %}body{% endcall %}: fn is called
// with `caller`, a function that renders the body (dbt's statement blocks,
// macros that wrap SQL).
type callItem struct {
	off      int
	params   []string
	defaults []expr
	call     *callExpr
}

// parseCallBlock parses what follows {% call: optional caller parameters
// in parentheses, then one call expression.
func (r *rewriter) parseCallBlock(start, from, to int) (*callItem, error) {
	p, perr := newParser(r.src, from, to)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	it := &callItem{off: from}
	if p.accept(tOp, "(") {
		for !p.accept(tOp, ")") {
			if len(it.params) > 0 {
				if err := p.expectOp(",", " or ')' between caller arguments"); err != nil {
					return nil, r.posErr(err)
				}
			}
			a := p.next()
			if a.kind != tName || keywords[a.s] {
				return nil, r.errAt(a.off, "expected a caller argument's name, got %s", a.describe())
			}
			var def expr
			if p.accept(tOp, "=") {
				if def, perr = p.parseExpr(); perr != nil {
					return nil, r.posErr(perr)
				}
			}
			it.params = append(it.params, a.s)
			it.defaults = append(it.defaults, def)
		}
	}
	x, perr := p.parseExpr()
	if perr == nil {
		perr = p.end()
	}
	if perr != nil {
		return nil, r.posErr(perr)
	}
	c, ok := x.(*callExpr)
	if !ok {
		return nil, r.errAt(x.offset(), "{%% call %%} needs a call, such as {%% call statement('main') %%}")
	}
	it.call = c
	return it, nil
}

// callNode runs a call block.
type callNode struct {
	idx  int // item: *callItem
	body *pongo2.NodeWrapper
}

func parseCallTag(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	if _, ok := it.(*callItem); !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &callNode{idx: idx}
	if n.body, _, err = doc.WrapUntilTag("endcall"); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *callNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	it, perr := item[*callItem](e, n.idx)
	if perr != nil {
		return perr
	}
	src := e.prog.src
	e.src = src
	caller := &callerFunc{body: n.body, it: it, sc: e.sc, src: src, prog: e.prog}
	fn, err := evalCallee(e, it.call.fn)
	if err == nil {
		if u, ok := fn.(Undefined); ok {
			err = e.undefinedCall(it.call, u)
		}
	}
	var args []any
	var kw map[string]any
	if err == nil {
		args, kw, err = it.call.args.eval(e)
	}
	var out any
	if err == nil {
		out, err = e.callWithCaller(it.call.off, fn, args, kw, caller)
	}
	if err != nil {
		return fail(src, err, it.call.off)
	}
	w.WriteString(Str(out))
	return nil
}

// callWithCaller calls fn with the call block's caller: a macro sees it as
// the variable `caller`, a Go function as the keyword argument "caller"
// (a Func that renders the body and returns its text).
func (e *env) callWithCaller(off int, fn any, args []any, kw map[string]any, c *callerFunc) (any, error) {
	caller := Func(func(args []any, kw map[string]any) (any, error) { return c.render(e, args, kw) })
	switch f := fn.(type) {
	case *Macro:
		e.markUsed(f)
		return e.callMacroWith(off, f, nil, args, kw, map[string]any{"caller": caller})
	case *boundMacro:
		return e.callMacroWith(off, f.m, f.closure, args, kw, map[string]any{"caller": caller})
	}
	withCaller := make(map[string]any, len(kw)+1)
	for k, v := range kw {
		withCaller[k] = v
	}
	withCaller["caller"] = caller
	return e.call(off, fn, args, withCaller)
}

// callerFunc renders a call block's body where the block stands: with the
// scope, file and program of the call site, and the caller arguments.
type callerFunc struct {
	body *pongo2.NodeWrapper
	it   *callItem
	sc   *scope
	src  *source
	prog *program
}

// render is what caller() does.
func (c *callerFunc) render(e *env, args []any, kw map[string]any) (any, error) {
	sc := &scope{parent: c.sc}
	savedSc, savedSrc, savedProg := e.sc, e.src, e.prog
	e.sc, e.src, e.prog = sc, c.src, c.prog
	defer func() { e.sc, e.src, e.prog = savedSc, savedSrc, savedProg }()
	for i, p := range c.it.params {
		switch v, ok := kw[p]; {
		case i < len(args):
			sc.set(p, args[i])
		case ok:
			sc.set(p, v)
		case c.it.defaults[i] != nil:
			v, err := c.it.defaults[i].eval(e)
			if err != nil {
				return nil, err
			}
			sc.set(p, v)
		default:
			sc.set(p, Undefined{Name: p})
		}
	}
	var b strings.Builder
	if perr := c.body.Execute(e.ctx, &b); perr != nil {
		return nil, unwrapPongo(perr)
	}
	return b.String(), nil
}
