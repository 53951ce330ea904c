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
		"macro": parseMacro, "filter": parseFilterTag, "with": parseWith} {
		mustTag(pongo2.ReplaceTag(name, fn))
	}
	for name, fn := range map[string]pongo2.TagParser{"seq": parseSeq, "do": parseDo, "setblock": parseSet,
		"break": parseLoopControl, "continue": parseLoopControl, "call": parseCallTag} {
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

// itemOf returns the program a tag is parsed for, the item it refers to
// and the item's number. Tags keep the number only and find the item in
// the running program (env.prog) when they execute: templates with the
// same tags share one parsed pongo2 template (see Rewritten.parse).
func itemOf(start *pongo2.Token, args *pongo2.Parser) (*program, any, int, *pongo2.Error) {
	p, ok := programs.Load(start.Filename)
	if !ok {
		return nil, nil, 0, args.Error("mart tags are only valid in templates rewritten by mart", start)
	}
	prog := p.(*program)
	t := args.MatchType(pongo2.TokenNumber)
	if t == nil || args.Remaining() > 0 {
		return nil, nil, 0, args.Error("malformed mart tag", start)
	}
	i, err := strconv.Atoi(t.Val)
	if err != nil || i < 0 || i >= len(prog.items) {
		return nil, nil, 0, args.Error("malformed mart tag", start)
	}
	return prog, prog.items[i], i, nil
}

// item returns item number i of the running program as a T. A program
// shares a parsed template only with programs of the same text, whose items
// are of the same kinds, so the item is a T; if it ever were not, the tag
// fails rather than the process.
func item[T any](e *env, i int) (T, *pongo2.Error) {
	if i < len(e.prog.items) {
		if it, ok := e.prog.items[i].(T); ok {
			return it, nil
		}
	}
	var zero T
	return zero, &pongo2.Error{Sender: "mart", OrigError: fmt.Errorf("internal error: item %d of %s does not match its tag", i, e.prog.src.path)}
}

func fail(src *source, err error, off int) *pongo2.Error {
	return &pongo2.Error{Sender: "mart", OrigError: src.locate(err, off)}
}

// seqNode writes a run of literal text and printed values ({{ x }}).
type seqNode struct{ idx int }

func parseSeq(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	if _, ok := it.(*seqItem); !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	return &seqNode{idx: idx}, nil
}

func (n *seqNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	it, perr := item[*seqItem](e, n.idx)
	if perr != nil {
		return perr
	}
	src := e.prog.src
	for _, p := range it.parts {
		if p.x == nil {
			w.WriteString(p.text)
			continue
		}
		e.src = src
		v, err := p.x.x.eval(e)
		if err != nil {
			return fail(src, err, p.x.off)
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
type doNode struct{ idx int }

func parseDo(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	if _, ok := it.(*exprItem); !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	return &doNode{idx: idx}, nil
}

func (n *doNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	it, perr := item[*exprItem](e, n.idx)
	if perr != nil {
		return perr
	}
	e.src = e.prog.src
	if _, err := it.x.eval(e); err != nil {
		return fail(e.src, err, it.off)
	}
	return nil
}

// ifNode is {% if %}...{% elif %}...{% else %}...{% endif %}.
type ifNode struct {
	conds  []int // items: *exprItem
	bodies []*pongo2.NodeWrapper
	orElse *pongo2.NodeWrapper
}

func parseIf(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	if _, ok := it.(*exprItem); !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &ifNode{conds: []int{idx}}
	for {
		body, end, err := doc.WrapUntilTag("elif", "else", "endif")
		if err != nil {
			return nil, err
		}
		n.bodies = append(n.bodies, body)
		switch body.Endtag {
		case "elif":
			_, it, idx, err := itemOf(start, end)
			if err != nil {
				return nil, err
			}
			if _, ok := it.(*exprItem); !ok {
				return nil, args.Error("malformed mart tag", start)
			}
			n.conds = append(n.conds, idx)
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
	src := e.prog.src
	for i, ci := range n.conds {
		c, perr := item[*exprItem](e, ci)
		if perr != nil {
			return perr
		}
		e.src = src
		v, err := c.x.eval(e)
		if err != nil {
			return fail(src, err, c.off)
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
	idx    int // item: *forItem
	body   *pongo2.NodeWrapper
	orElse *pongo2.NodeWrapper
}

func parseFor(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	if _, ok := it.(*forItem); !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &forNode{idx: idx}
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
	it, perr := item[*forItem](e, n.idx)
	if perr != nil {
		return perr
	}
	src := e.prog.src
	e.src = src
	v, err := it.iter.eval(e)
	if err != nil {
		return fail(src, err, it.iter.offset())
	}
	return n.iterate(ctx, w, e, it, e.sc, v, 1)
}

// iterate runs the loop over v with its iterations' scopes under outer;
// depth is loop.depth (1, and one more for each loop(...) of a recursive
// loop).
func (n *forNode) iterate(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter, e *env, it *forItem, outer *scope, v any, depth int) *pongo2.Error {
	src := e.prog.src
	items, ok := seq(v)
	if !ok {
		return fail(src, errorf(it.iter.offset(), "cannot loop over a %s value", typeName(v)), it.off)
	}
	saved := e.sc
	defer func() { e.sc = saved }()
	if it.cond != nil {
		var kept []any
		for _, x := range items {
			if err := e.step(); err != nil {
				return fail(src, err, it.off)
			}
			sc := &scope{parent: outer}
			if err := bindTargets(sc, it.targets, x); err != nil {
				return fail(src, err, it.off)
			}
			e.sc, e.src = sc, src
			c, err := it.cond.eval(e)
			if err != nil {
				return fail(src, err, it.cond.offset())
			}
			if Truth(c) {
				kept = append(kept, x)
			}
		}
		items = kept
	} else if l, ok := v.(*List); ok {
		items = append([]any(nil), l.Items...) // the body may append to the list
	}
	// as Jinja, the else block runs unless an iteration ran to its end (a
	// break or continue in every iteration leaves it to run)
	completed := false
	if len(items) > 0 {
		loop := &loopInfo{items: items, depth: int32(depth)}
		if it.recursive {
			prog := e.prog
			loop.recurse = func(v any) (any, error) {
				// bounded as macro recursion is: a loop() that never ends
				// would overflow the stack and end the process
				if depth >= maxDepth {
					return nil, fmt.Errorf("recursive loop: deeper than %d levels", maxDepth)
				}
				var b strings.Builder
				savedSrc, savedProg := e.src, e.prog
				e.prog = prog
				perr := n.iterate(ctx, &b, e, it, outer, v, depth+1)
				e.src, e.prog = savedSrc, savedProg
				if perr != nil {
					return nil, unwrapPongo(perr)
				}
				return b.String(), nil
			}
		}
		for i, x := range items {
			if err := e.step(); err != nil {
				return fail(src, err, it.off)
			}
			sc := &scope{vars: make(map[string]any, len(it.targets)+1), parent: outer}
			if err := bindTargets(sc, it.targets, x); err != nil {
				return fail(src, err, it.off)
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
			completed = true
		}
	}
	if !completed && n.orElse != nil {
		e.sc = &scope{parent: outer} // Jinja2 scopes the else block
		return n.orElse.Execute(ctx, w)
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
	idx  int // item: *setItem
	body *pongo2.NodeWrapper
}

func parseSet(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	si, ok := it.(*setItem)
	if !ok || (start.Val == "setblock") != (si.value == nil) {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &setNode{idx: idx}
	if si.value == nil {
		if n.body, _, err = doc.WrapUntilTag("endset"); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (n *setNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	it, perr := item[*setItem](e, n.idx)
	if perr != nil {
		return perr
	}
	if (n.body != nil) == (it.value != nil) {
		return &pongo2.Error{Sender: "mart", OrigError: fmt.Errorf("internal error: item %d of %s does not match its tag", n.idx, e.prog.src.path)}
	}
	src := e.prog.src
	if n.body != nil {
		var b strings.Builder
		saved := e.sc
		e.sc = &scope{parent: saved} // Jinja2 scopes the block's own sets
		perr := n.body.Execute(ctx, &b)
		e.sc = saved
		if perr != nil {
			return perr
		}
		var v any = b.String()
		for _, f := range it.filters {
			e.src = src
			var err error
			if v, err = f.apply(e, v); err != nil {
				return fail(src, err, f.off)
			}
		}
		e.sc.set(it.targets[0].name, v)
		return nil
	}
	e.src = src
	v, err := it.value.eval(e)
	if err != nil {
		return fail(src, err, it.off)
	}
	targets := it.targets
	if len(targets) == 1 {
		if err := assign(e, targets[0], v); err != nil {
			return fail(src, err, it.off)
		}
		return nil
	}
	xs, ok := seq(v)
	if !ok || isMapping(v) || len(xs) != len(targets) {
		return fail(src, errorf(it.off, "cannot unpack a %s value into %d names", typeName(v), len(targets)), it.off)
	}
	for i, t := range targets {
		if err := assign(e, t, xs[i]); err != nil {
			return fail(src, err, it.off)
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
	Package  string // "" for the root project's and mart's
	Params   []string
	defaults []expr // per param; nil means required
	body     *pongo2.NodeWrapper
	src      *source
	prog     *program // the program of the file it is defined in: its body's items
	top      bool     // defined at the top level of its file
	varargs  bool     // the body uses varargs
	kwargs   bool     // the body uses kwargs
}

// macroNode defines a macro where it stands (macros in model files).
type macroNode struct{ m *Macro }

func parseMacro(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	prog, it, _, err := itemOf(start, args)
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
	idx  int // item: *filterItem
	body *pongo2.NodeWrapper
}

func parseFilterTag(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	if _, ok := it.(*filterItem); !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &filterNode{idx: idx}
	if n.body, _, err = doc.WrapUntilTag("endfilter"); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *filterNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	var b strings.Builder
	saved := e.sc
	e.sc = &scope{parent: saved} // Jinja2 scopes the body's sets
	perr := n.body.Execute(ctx, &b)
	e.sc = saved
	if perr != nil {
		return perr
	}
	it, perr := item[*filterItem](e, n.idx)
	if perr != nil {
		return perr
	}
	src := e.prog.src
	e.src = src
	var v any = b.String()
	for _, f := range it.chain {
		var err error
		if v, err = f.apply(e, v); err != nil {
			return fail(src, err, f.off)
		}
	}
	w.WriteString(Str(v))
	return nil
}

// withNode is {% with a = x %}...{% endwith %}: the body sees the names in
// a scope of its own.
type withNode struct {
	idx  int // item: *withItem
	body *pongo2.NodeWrapper
}

func parseWith(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	_, it, idx, err := itemOf(start, args)
	if err != nil {
		return nil, err
	}
	if _, ok := it.(*withItem); !ok {
		return nil, args.Error("malformed mart tag", start)
	}
	n := &withNode{idx: idx}
	if n.body, _, err = doc.WrapUntilTag("endwith"); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *withNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	e := envOf(ctx)
	it, perr := item[*withItem](e, n.idx)
	if perr != nil {
		return perr
	}
	src := e.prog.src
	saved := e.sc
	sc := &scope{vars: make(map[string]any, len(it.names)), parent: saved}
	for i, x := range it.values { // evaluated in the enclosing scope, as Jinja's
		e.src = src
		v, err := x.eval(e)
		if err != nil {
			return fail(src, err, x.offset())
		}
		sc.vars[it.names[i].name] = v
	}
	e.sc = sc
	perr = n.body.Execute(ctx, w)
	e.sc = saved
	return perr
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
