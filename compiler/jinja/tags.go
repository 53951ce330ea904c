package jinja

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/flosch/pongo2/v6"
)

func init() {
	pongo2.SetAutoescape(false)
	mustTag(pongo2.ReplaceTag("macro", parseMacroTag))
	mustTag(pongo2.ReplaceTag("set", parseSetTag))
	mustTag(pongo2.RegisterTag("do", parseDoTag))
	mustTag(pongo2.RegisterTag("snapshotblock", parseSnapshotTag))
}

func mustTag(err error) {
	if err != nil {
		panic(err)
	}
}

// Macro is a parsed {% macro %} (or {% test %}) definition.
type Macro struct {
	Name     string
	File     string
	Line     int
	Params   []string
	defaults map[string]pongo2.IEvaluator
	body     *pongo2.NodeWrapper
}

// registryKey is the context key under which macro files collect their
// definitions when executed by Engine.AddMacros.
const registryKey = "__mart_macro_registry"

type macroRegistry struct{ macros []*Macro }

func (m *Macro) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	if reg, ok := ctx.Public[registryKey].(*macroRegistry); ok {
		reg.macros = append(reg.macros, m)
		return nil
	}
	// A macro defined inside a model: callable by plain name there.
	ctx.Private[m.Name] = m.Func()
	return nil
}

// returnSlot carries a value from {{ return(x) }} out of a macro body.
type returnSlot struct {
	set bool
	val any
}

const returnKey = "__mart_return"

// Func returns the pongo2-callable function that runs the macro.
func (m *Macro) Func() func(*pongo2.ExecutionContext, ...*pongo2.Value) (*pongo2.Value, error) {
	return func(ec *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
		return m.Call(ec, args...)
	}
}

// Call runs the macro body with positional and keyword arguments.
func (m *Macro) Call(ec *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
	pos, kw := SplitArgs(args)
	if len(pos) > len(m.Params) {
		return nil, fmt.Errorf("macro %s takes %d arguments (%s), got %d", m.Name, len(m.Params), strings.Join(m.Params, ", "), len(pos))
	}
	child := pongo2.NewChildExecutionContext(ec)
	bound := make(map[string]bool, len(m.Params))
	for i, v := range pos {
		child.Private[m.Params[i]] = v.Interface()
		bound[m.Params[i]] = true
	}
	names := make([]string, 0, len(kw))
	for k := range kw {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if _, ok := m.defaults[k]; !ok && !contains(m.Params, k) {
			return nil, fmt.Errorf("macro %s has no argument %q (arguments: %s)", m.Name, k, strings.Join(m.Params, ", "))
		}
		if bound[k] {
			return nil, fmt.Errorf("macro %s got argument %q twice", m.Name, k)
		}
		child.Private[k] = kw[k].Interface()
		bound[k] = true
	}
	for _, p := range m.Params {
		if bound[p] {
			continue
		}
		if d := m.defaults[p]; d != nil {
			v, err := d.Evaluate(child)
			if err != nil {
				return nil, err
			}
			child.Private[p] = v.Interface()
		} else {
			child.Private[p] = nil
		}
	}
	slot := &returnSlot{}
	child.Private[returnKey] = slot
	var b bytes.Buffer
	if err := m.body.Execute(child, &b); err != nil {
		return nil, err
	}
	if slot.set {
		return pongo2.AsValue(slot.val), nil
	}
	return pongo2.AsSafeValue(b.String()), nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func parseMacroTag(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	m := &Macro{defaults: map[string]pongo2.IEvaluator{}, File: start.Filename, Line: start.Line}
	name := args.MatchType(pongo2.TokenIdentifier)
	if name == nil {
		return nil, args.Error("expected a macro name", nil)
	}
	m.Name = name.Val
	if args.Match(pongo2.TokenSymbol, "(") == nil {
		return nil, args.Error("expected '(' after the macro name", nil)
	}
	for args.Match(pongo2.TokenSymbol, ")") == nil {
		p := args.MatchType(pongo2.TokenIdentifier)
		if p == nil {
			return nil, args.Error("expected an argument name", nil)
		}
		m.Params = append(m.Params, p.Val)
		if args.Match(pongo2.TokenSymbol, "=") != nil {
			e, err := args.ParseExpression()
			if err != nil {
				return nil, err
			}
			m.defaults[p.Val] = e
		}
		if args.Match(pongo2.TokenSymbol, ")") != nil {
			break
		}
		if args.Match(pongo2.TokenSymbol, ",") == nil {
			return nil, args.Error("expected ',' or ')' in the macro's arguments", nil)
		}
	}
	if args.Remaining() > 0 {
		return nil, args.Error("unexpected text after the macro's arguments", nil)
	}
	body, end, err := doc.WrapUntilTag("endmacro")
	if err != nil {
		return nil, err
	}
	if end.Count() > 0 {
		return nil, end.Error("endmacro takes no arguments", nil)
	}
	m.body = body
	return m, nil
}

// setNode implements {% set x = expr %} and the block form {% set x %}...{% endset %}.
type setNode struct {
	name string
	expr pongo2.IEvaluator
	body *pongo2.NodeWrapper
}

func (n *setNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	if n.body != nil {
		var b bytes.Buffer
		if err := n.body.Execute(ctx, &b); err != nil {
			return err
		}
		ctx.Private[n.name] = b.String()
		return nil
	}
	v, err := n.expr.Evaluate(ctx)
	if err != nil {
		return err
	}
	ctx.Private[n.name] = v.Interface()
	return nil
}

func parseSetTag(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	name := args.MatchType(pongo2.TokenIdentifier)
	if name == nil {
		return nil, args.Error("expected a variable name after set", nil)
	}
	n := &setNode{name: name.Val}
	if args.Remaining() == 0 {
		body, end, err := doc.WrapUntilTag("endset")
		if err != nil {
			return nil, err
		}
		if end.Count() > 0 {
			return nil, end.Error("endset takes no arguments", nil)
		}
		n.body = body
		return n, nil
	}
	if args.Match(pongo2.TokenSymbol, "=") == nil {
		return nil, args.Error("expected '=' after the variable name", nil)
	}
	e, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	if args.Remaining() > 0 {
		return nil, args.Error("unexpected text after the value", nil)
	}
	n.expr = e
	return n, nil
}

type doNode struct{ expr pongo2.IEvaluator }

func (n *doNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	_, err := n.expr.Evaluate(ctx)
	return err
}

func parseDoTag(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	e, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	return &doNode{expr: e}, nil
}

// snapshotNode renders the body of {% snapshot name %}...{% endsnapshot %}.
type snapshotNode struct{ body *pongo2.NodeWrapper }

func (n *snapshotNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	return n.body.Execute(ctx, w)
}

func parseSnapshotTag(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	body, _, err := doc.WrapUntilTag("endsnapshotblock")
	if err != nil {
		return nil, err
	}
	return &snapshotNode{body: body}, nil
}
