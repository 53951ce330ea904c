package jinja

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/flosch/pongo2/v6"
)

// The pongo2 tags that the pre-pass emits. Each refers by number to an item
// of the template's program (a parsed expression or statement); pongo2
// handles the text between them and the block structure.

func init() {
	pongo2.SetAutoescape(false)
	for name, fn := range map[string]pongo2.TagParser{"if": parseIf, "for": parseFor, "set": parseSet,
		"macro": parseMacro, "filter": parseFilterTag} {
		mustTag(pongo2.ReplaceTag(name, fn))
	}
	for name, fn := range map[string]pongo2.TagParser{"seq": parseSeq, "do": parseDo,
		"break": parseLoopControl, "continue": parseLoopControl} {
		mustTag(pongo2.RegisterTag(name, fn))
	}
}

func mustTag(err error) {
	if err != nil {
		panic(err)
	}
}

// programs maps the name pongo2 parses a template under to its program,
// while it is being parsed.
var programs sync.Map

// itemOf returns the program and item a tag refers to.
func itemOf(start *pongo2.Token, args *pongo2.Parser) (*program, any, *pongo2.Error) {
	p, ok := programs.Load(start.Filename)
	if !ok {
		return nil, nil, args.Error("mart tags are only valid in templates rewritten by mart", start)
	}
	prog := p.(*program)
	t := args.MatchType(pongo2.TokenNumber)
	if t == nil || args.Remaining() > 0 {
		return nil, nil, args.Error("malformed mart tag", start)
	}
	i, err := strconv.Atoi(t.Val)
	if err != nil || i < 0 || i >= len(prog.items) {
		return nil, nil, args.Error("malformed mart tag", start)
	}
	return prog, prog.items[i], nil
}

func fail(src *source, err error, off int) *pongo2.Error {
	return &pongo2.Error{Sender: "mart", OrigError: src.locate(err, off)}
}

// seqNode writes a run of literal text and printed values ({{ x }}).
type seqNode struct {
	src   *source
	parts []seqPart
}

func parseSeq(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	seq, ok := it.(*seqItem)
	if !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	return &seqNode{src: prog.src, parts: seq.parts}, nil
}

func (n *seqNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	var e *env
	for _, p := range n.parts {
		if p.x == nil {
			w.WriteString(p.text)
			continue
		}
		if e == nil {
			e = envOf(ctx)
		}
		e.src = n.src
		v, err := p.x.x.eval(e)
		if err != nil {
			return fail(n.src, err, p.x.off)
		}
		if s, ok := v.(string); ok {
			w.WriteString(s)
		} else {
			w.WriteString(Str(v))
		}
	}
	return nil
}

// doNode is {% do x %}.
type doNode struct {
	src *source
	it  *exprItem
}

func parseDo(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	x, ok := it.(*exprItem)
	if !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	return &doNode{src: prog.src, it: x}, nil
}

func (n *doNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	e.src = n.src
	if _, err := n.it.x.eval(e); err != nil {
		return fail(n.src, err, n.it.off)
	}
	return nil
}

// ifNode is {% if %}...{% elif %}...{% else %}...{% endif %}.
type ifNode struct {
	src    *source
	conds  []*exprItem
	bodies []*pongo2.NodeWrapper
	orElse *pongo2.NodeWrapper
}

func parseIf(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	cond, ok := it.(*exprItem)
	if !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &ifNode{src: prog.src, conds: []*exprItem{cond}}
	for {
		body, end, err := doc.WrapUntilTag("elif", "else", "endif")
		if err != nil {
			return nil, err
		}
		n.bodies = append(n.bodies, body)
		switch body.Endtag {
		case "elif":
			_, it, err := itemOf(start, end)
			if err != nil {
				return nil, err
			}
			c, ok := it.(*exprItem)
			if !ok {
				return nil, args.Error("malformed mart tag", start)
			}
			n.conds = append(n.conds, c)
			continue
		case "else":
			body, _, err := doc.WrapUntilTag("endif")
			if err != nil {
				return nil, err
			}
			n.orElse = body
		}
		return n, nil
	}
}

func (n *ifNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	for i, c := range n.conds {
		e.src = n.src
		v, err := c.x.eval(e)
		if err != nil {
			return fail(n.src, err, c.off)
		}
		if Truth(v) {
			return n.bodies[i].Execute(ctx, w)
		}
	}
	if n.orElse != nil {
		return n.orElse.Execute(ctx, w)
	}
	return nil
}

// forNode is {% for targets in iter [if cond] %}...{% else %}...{% endfor %}.
type forNode struct {
	src    *source
	it     *forItem
	body   *pongo2.NodeWrapper
	orElse *pongo2.NodeWrapper
}

func parseFor(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	fi, ok := it.(*forItem)
	if !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &forNode{src: prog.src, it: fi}
	body, _, err := doc.WrapUntilTag("else", "endfor")
	if err != nil {
		return nil, err
	}
	n.body = body
	if body.Endtag == "else" {
		if n.orElse, _, err = doc.WrapUntilTag("endfor"); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (n *forNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	e.src = n.src
	v, err := n.it.iter.eval(e)
	if err != nil {
		return fail(n.src, err, n.it.iter.offset())
	}
	items, ok := seq(v)
	if !ok {
		return fail(n.src, errorf(n.it.iter.offset(), "cannot loop over a %s value", typeName(v)), n.it.off)
	}
	saved := e.sc
	defer func() { e.sc = saved }()
	if n.it.cond != nil {
		var kept []any
		for _, x := range items {
			if err := e.step(); err != nil {
				return fail(n.src, err, n.it.off)
			}
			sc := &scope{parent: saved}
			if err := bindTargets(sc, n.it.targets, x); err != nil {
				return fail(n.src, err, n.it.off)
			}
			e.sc, e.src = sc, n.src
			c, err := n.it.cond.eval(e)
			if err != nil {
				return fail(n.src, err, n.it.cond.offset())
			}
			if Truth(c) {
				kept = append(kept, x)
			}
		}
		items = kept
	} else if l, ok := v.(*List); ok {
		items = append([]any(nil), l.Items...) // the body may append to the list
	}
	if len(items) == 0 {
		if n.orElse != nil {
			e.sc = saved
			return n.orElse.Execute(ctx, w)
		}
		return nil
	}
	e.loops++
	defer func() { e.loops-- }()
	loop := &loopInfo{items: items, depth: e.loops}
	for i, x := range items {
		if err := e.step(); err != nil {
			return fail(n.src, err, n.it.off)
		}
		sc := &scope{vars: make(map[string]any, len(n.it.targets)+1), parent: saved}
		if err := bindTargets(sc, n.it.targets, x); err != nil {
			return fail(n.src, err, n.it.off)
		}
		loop.index0 = i
		sc.vars["loop"] = loop
		e.sc = sc
		if perr := n.body.Execute(ctx, w); perr != nil {
			if sig, ok := unwrapPongo(perr).(loopSignal); ok {
				if sig.brk {
					break
				}
				continue
			}
			return perr
		}
	}
	return nil
}

// bindTargets assigns a loop item to the loop's names, unpacking tuples.
func bindTargets(sc *scope, targets []target, v any) error {
	if len(targets) == 1 {
		sc.set(targets[0].name, v)
		return nil
	}
	xs, ok := seq(v)
	if !ok || isMapping(v) {
		return errorf(targets[0].off, "cannot unpack a %s value into %d names", typeName(v), len(targets))
	}
	if len(xs) != len(targets) {
		return errorf(targets[0].off, "cannot unpack %d values into %d names", len(xs), len(targets))
	}
	for i, t := range targets {
		sc.set(t.name, xs[i])
	}
	return nil
}

// setNode is {% set x = v %}, {% set a, b = ... %}, {% set ns.x = v %} and
// the block form {% set x %}...{% endset %}.
type setNode struct {
	src  *source
	it   *setItem
	body *pongo2.NodeWrapper
}

func parseSet(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	si, ok := it.(*setItem)
	if !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &setNode{src: prog.src, it: si}
	if si.value == nil {
		if n.body, _, err = doc.WrapUntilTag("endset"); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (n *setNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	if n.body != nil {
		var b strings.Builder
		if err := n.body.Execute(ctx, &b); err != nil {
			return err
		}
		e.sc.set(n.it.targets[0].name, b.String())
		return nil
	}
	e.src = n.src
	v, err := n.it.value.eval(e)
	if err != nil {
		return fail(n.src, err, n.it.off)
	}
	targets := n.it.targets
	if len(targets) == 1 {
		if err := assign(e, targets[0], v); err != nil {
			return fail(n.src, err, n.it.off)
		}
		return nil
	}
	xs, ok := seq(v)
	if !ok || isMapping(v) || len(xs) != len(targets) {
		return fail(n.src, errorf(n.it.off, "cannot unpack a %s value into %d names", typeName(v), len(targets)), n.it.off)
	}
	for i, t := range targets {
		if err := assign(e, t, xs[i]); err != nil {
			return fail(n.src, err, n.it.off)
		}
	}
	return nil
}

func assign(e *env, t target, v any) error {
	if t.attr == "" {
		e.sc.set(t.name, v)
		return nil
	}
	obj, _ := e.lookup(t.name)
	d, ok := obj.(*Dict)
	if !ok || !d.ns {
		return errorf(t.off, "cannot set attribute '%s' of %s: only a namespace() can be changed this way", t.attr, typeName(obj))
	}
	d.Set(t.attr, v)
	return nil
}

// Macro is a {% macro %} (or {% test %}) definition.
type Macro struct {
	Name     string
	File     string
	Line     int
	Params   []string
	defaults []expr // per param; nil means required
	body     *pongo2.NodeWrapper
	src      *source
	top      bool // defined at the top level of its file
	varargs  bool // the body uses varargs
	kwargs   bool // the body uses kwargs
}

// macroNode defines a macro where it stands (macros in model files).
type macroNode struct{ m *Macro }

func parseMacro(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	m, ok := it.(*Macro)
	if !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	if m.body, _, err = doc.WrapUntilTag("endmacro"); err != nil {
		return nil, err
	}
	if m.top {
		prog.macros = append(prog.macros, m)
	}
	return &macroNode{m: m}, nil
}

func (n *macroNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	e.sc.set(n.m.Name, &boundMacro{m: n.m, closure: e.sc})
	return nil
}

// filterNode is {% filter upper %}...{% endfilter %}.
type filterNode struct {
	src  *source
	it   *filterItem
	body *pongo2.NodeWrapper
}

func parseFilterTag(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	fi, ok := it.(*filterItem)
	if !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &filterNode{src: prog.src, it: fi}
	if n.body, _, err = doc.WrapUntilTag("endfilter"); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *filterNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	var b strings.Builder
	if err := n.body.Execute(ctx, &b); err != nil {
		return err
	}
	e.src = n.src
	var v any = b.String()
	for _, f := range n.it.chain {
		var err error
		if v, err = f.apply(e, v); err != nil {
			return fail(n.src, err, f.off)
		}
	}
	w.WriteString(Str(v))
	return nil
}

// loopControlNode is {% break %} or {% continue %}.
type loopControlNode struct{ brk bool }

func parseLoopControl(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	if args.Remaining() > 0 {
		return nil, args.Error(fmt.Sprintf("%s takes no arguments", start.Val), start)
	}
	return &loopControlNode{brk: start.Val == "break"}, nil
}

func (n *loopControlNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	return &pongo2.Error{Sender: "mart", OrigError: loopSignal{brk: n.brk}}
}
