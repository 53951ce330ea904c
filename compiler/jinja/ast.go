package jinja

import (
	"fmt"
	"strings"
)

// expr is a parsed Jinja expression. Offsets are byte offsets in the
// template source, for error positions.
type expr interface {
	eval(e *env) (any, error)
	offset() int
}

type (
	constExpr struct {
		off int
		v   any
	}
	nameExpr struct {
		off  int
		name string
	}
	listExpr struct {
		off   int
		items []expr
		tuple bool
	}
	dictExpr struct {
		off        int
		keys, vals []expr
	}
	attrExpr struct {
		off  int
		x    expr
		name string
	}
	itemExpr struct {
		off    int
		x, key expr
	}
	sliceExpr struct {
		off             int
		x, lo, hi, step expr
	}
	callExpr struct {
		off  int
		fn   expr
		args callArgs
	}
	filterExpr struct {
		off  int
		x    expr // nil in {% filter %} blocks: the body is the input
		name string
		fn   filterFunc
		args callArgs
	}
	testExpr struct {
		off  int
		x    expr
		name string
		fn   testFunc
		neg  bool
		args callArgs
	}
	negExpr struct {
		off  int
		x    expr
		plus bool
	}
	notExpr struct {
		off int
		x   expr
	}
	binExpr struct {
		off  int
		op   string
		l, r expr
	}
	logicExpr struct {
		off  int
		or   bool
		l, r expr
	}
	concatExpr struct {
		off   int
		parts []expr
	}
	compareExpr struct {
		first expr
		ops   []compareOp
	}
	compareOp struct {
		op  string
		off int
		x   expr
	}
	condExpr struct {
		off           int
		test, yes, no expr
	}
)

// callArgs are the arguments of a call, filter or test.
type callArgs struct {
	pos     []expr
	kwNames []string
	kwVals  []expr
	star    expr
	dstar   expr
}

func (a callArgs) n() int {
	n := len(a.pos) + len(a.kwNames)
	if a.star != nil {
		n++
	}
	if a.dstar != nil {
		n++
	}
	return n
}

func (x *constExpr) offset() int   { return x.off }
func (x *nameExpr) offset() int    { return x.off }
func (x *listExpr) offset() int    { return x.off }
func (x *dictExpr) offset() int    { return x.off }
func (x *attrExpr) offset() int    { return x.x.offset() }
func (x *itemExpr) offset() int    { return x.x.offset() }
func (x *sliceExpr) offset() int   { return x.x.offset() }
func (x *callExpr) offset() int    { return x.off }
func (x *filterExpr) offset() int  { return x.off }
func (x *testExpr) offset() int    { return x.off }
func (x *negExpr) offset() int     { return x.off }
func (x *notExpr) offset() int     { return x.off }
func (x *binExpr) offset() int     { return x.l.offset() }
func (x *logicExpr) offset() int   { return x.l.offset() }
func (x *concatExpr) offset() int  { return x.parts[0].offset() }
func (x *compareExpr) offset() int { return x.first.offset() }
func (x *condExpr) offset() int    { return x.yes.offset() }

// errAt locates err at off unless it already carries a position.
func errAt(off int, err error) error {
	if err == nil {
		return nil
	}
	switch err.(type) {
	case *posError, *Error, returnSignal:
		return err
	}
	return &posError{off: off, msg: err.Error()}
}

func errorf(off int, format string, args ...any) error {
	return &posError{off: off, msg: fmt.Sprintf(format, args...)}
}

func (x *constExpr) eval(e *env) (any, error) { return x.v, nil }

func (x *nameExpr) eval(e *env) (any, error) {
	if v, ok := e.lookup(x.name); ok {
		if m, ok := v.(*Macro); ok && e.engine != nil {
			// found, and maybe not called (`is defined`, passed on):
			// callExpr looks its callee up with evalCallee instead
			e.engine.NoteFound(m.Package, m.Name)
		}
		return v, nil
	}
	return Undefined{Name: x.name}, nil
}

// evalCallee evaluates what a call calls ({{ m() }}, {% call m() %}): a
// macro a name finds there is called (markUsed), not merely found.
func evalCallee(e *env, fn expr) (any, error) {
	if n, ok := fn.(*nameExpr); ok {
		if v, ok := e.lookup(n.name); ok {
			return v, nil
		}
		return Undefined{Name: n.name}, nil
	}
	return fn.eval(e)
}

func (x *listExpr) eval(e *env) (any, error) {
	items := make([]any, len(x.items))
	for i, it := range x.items {
		v, err := it.eval(e)
		if err != nil {
			return nil, err
		}
		items[i] = v
	}
	return &List{Items: items, Tuple: x.tuple}, nil
}

func (x *dictExpr) eval(e *env) (any, error) {
	d := &Dict{vals: make(map[any]any, len(x.keys))}
	for i := range x.keys {
		k, err := x.keys[i].eval(e)
		if err != nil {
			return nil, err
		}
		if _, ok := k.(Undefined); ok {
			return nil, undefinedErr(x.keys[i].offset(), k, e)
		}
		v, err := x.vals[i].eval(e)
		if err != nil {
			return nil, err
		}
		d.Set(k, v)
	}
	return d, nil
}

func undefinedErr(off int, v any, e *env) error {
	u, _ := v.(Undefined)
	return errorf(off, "'%s' is undefined", u.Name)
}

func (x *attrExpr) eval(e *env) (any, error) {
	v, err := x.x.eval(e)
	if err != nil {
		return nil, err
	}
	if u, ok := v.(Undefined); ok {
		return nil, errorf(x.x.offset(), "'%s' is undefined, so it has no attribute '%s'", u.Name, x.name)
	}
	a := getAttr(v, x.name)
	if u, ok := a.(Undefined); ok && u.hint == "" && !isMapping(v) {
		u.hint = fmt.Sprintf("a %s value has no attribute '%s'", typeName(v), x.name)
		return u, nil
	}
	return a, nil
}

func (x *itemExpr) eval(e *env) (any, error) {
	v, err := x.x.eval(e)
	if err != nil {
		return nil, err
	}
	k, err := x.key.eval(e)
	if err != nil {
		return nil, err
	}
	if u, ok := v.(Undefined); ok {
		return nil, errorf(x.x.offset(), "'%s' is undefined, so it cannot be indexed", u.Name)
	}
	return getItem(v, k), nil
}

func (x *sliceExpr) eval(e *env) (any, error) {
	v, err := x.x.eval(e)
	if err != nil {
		return nil, err
	}
	var bounds [3]*int
	for i, b := range []expr{x.lo, x.hi, x.step} {
		if b == nil {
			continue
		}
		bv, err := b.eval(e)
		if err != nil {
			return nil, err
		}
		if bv == nil {
			continue
		}
		n, ok := toInt(bv)
		if !ok {
			return nil, errorf(b.offset(), "slice indices must be integers, not %s", typeName(bv))
		}
		bounds[i] = &n
	}
	out, err := sliceValue(v, bounds[0], bounds[1], bounds[2])
	return out, errAt(x.off, err)
}

func (x *negExpr) eval(e *env) (any, error) {
	v, err := x.x.eval(e)
	if err != nil {
		return nil, err
	}
	if a, ok := v.(Arithmetic); ok { // a timedelta: op "unary-" or "unary+"
		if r, ok, err := a.Arith(map[bool]string{true: "unary+", false: "unary-"}[x.plus], nil); ok || err != nil {
			return r, err
		}
	}
	i, f, isF, ok := number(v)
	if !ok {
		return nil, errorf(x.off, "bad operand type for unary %s: %s", map[bool]string{true: "+", false: "-"}[x.plus], typeName(v))
	}
	switch {
	case x.plus && isF:
		return f, nil
	case x.plus:
		return i, nil
	case isF:
		return -f, nil
	}
	return -i, nil
}

func (x *notExpr) eval(e *env) (any, error) {
	v, err := x.x.eval(e)
	if err != nil {
		return nil, err
	}
	return !Truth(v), nil
}

func (x *logicExpr) eval(e *env) (any, error) {
	l, err := x.l.eval(e)
	if err != nil {
		return nil, err
	}
	if Truth(l) == x.or {
		return l, nil
	}
	return x.r.eval(e)
}

func (x *condExpr) eval(e *env) (any, error) {
	t, err := x.test.eval(e)
	if err != nil {
		return nil, err
	}
	if Truth(t) {
		return x.yes.eval(e)
	}
	if x.no == nil {
		return Undefined{}, nil
	}
	return x.no.eval(e)
}

func (x *concatExpr) eval(e *env) (any, error) {
	var b strings.Builder
	for _, p := range x.parts {
		v, err := p.eval(e)
		if err != nil {
			return nil, err
		}
		b.WriteString(Str(v))
	}
	return b.String(), nil
}

func (x *compareExpr) eval(e *env) (any, error) {
	l, err := x.first.eval(e)
	if err != nil {
		return nil, err
	}
	for _, op := range x.ops {
		r, err := op.x.eval(e)
		if err != nil {
			return nil, err
		}
		ok, err := compareValues(op.op, l, r)
		if err != nil {
			return nil, errAt(op.off, err)
		}
		if !ok {
			return false, nil
		}
		l = r
	}
	return true, nil
}

func compareValues(op string, l, r any) (bool, error) {
	switch op {
	case "==":
		return equal(l, r), nil
	case "!=":
		return !equal(l, r), nil
	case "in":
		return contains(r, l)
	case "not in":
		ok, err := contains(r, l)
		return !ok, err
	}
	c, err := compare(l, r)
	if own, ok := err.(ownCompareError); ok {
		return false, own.error
	}
	if err != nil {
		return false, fmt.Errorf("'%s' is not supported between %s and %s", op, typeName(l), typeName(r))
	}
	switch op {
	case "<":
		return c < 0, nil
	case ">":
		return c > 0, nil
	case "<=":
		return c <= 0, nil
	}
	return c >= 0, nil
}

func (x *binExpr) eval(e *env) (any, error) {
	l, err := x.l.eval(e)
	if err != nil {
		return nil, err
	}
	r, err := x.r.eval(e)
	if err != nil {
		return nil, err
	}
	v, err := arith(x.op, l, r)
	if err == nil && (x.op == "*" || x.op == "+") {
		// building big strings and lists counts as work, too
		if n, ok := length(v); ok && n > 1024 {
			e.steps += n / 1024
			err = e.step()
		}
	}
	return v, errAt(x.off, err)
}

func (x *callExpr) eval(e *env) (any, error) {
	fn, err := evalCallee(e, x.fn)
	if err != nil {
		return nil, err
	}
	if u, ok := fn.(Undefined); ok {
		return nil, e.undefinedCall(x, u)
	}
	args, kw, err := x.args.eval(e)
	if err != nil {
		return nil, err
	}
	v, err := e.call(x.off, fn, args, kw)
	return v, errAt(x.off, err)
}

// undefinedCall explains a call of a name that does not exist.
func (e *env) undefinedCall(x *callExpr, u Undefined) error {
	name := u.Name
	if u.hint != "" {
		return errorf(x.off, "%s", u.hint)
	}
	if a, ok := x.fn.(*attrExpr); ok {
		return errorf(x.off, "%s has no function or attribute '%s'", describeExpr(a.x), a.name)
	}
	if name == "" {
		return errorf(x.off, "this value is undefined and cannot be called")
	}
	msg := fmt.Sprintf("'%s' is undefined: no macro, function or variable of that name", name)
	if s := suggest(name, e.names()); s != "" {
		msg += "; " + s
	}
	return errorf(x.off, "%s", msg)
}

func describeExpr(x expr) string {
	switch t := x.(type) {
	case *nameExpr:
		return "'" + t.name + "'"
	case *attrExpr:
		return describeExpr(t.x) + "." + t.name
	}
	return "the value"
}

// eval evaluates call arguments into positional values and keyword values
// (kw is nil when there are none).
func (a *callArgs) eval(e *env) ([]any, map[string]any, error) {
	var args []any
	if len(a.pos) > 0 {
		args = make([]any, 0, len(a.pos))
	}
	for _, p := range a.pos {
		v, err := p.eval(e)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, v)
	}
	if a.star != nil {
		v, err := a.star.eval(e)
		if err != nil {
			return nil, nil, err
		}
		items, ok := seq(v)
		if !ok {
			return nil, nil, errorf(a.star.offset(), "*args must be a sequence, not %s", typeName(v))
		}
		args = append(args, items...)
	}
	var kw map[string]any
	if len(a.kwNames) > 0 || a.dstar != nil {
		kw = make(map[string]any, len(a.kwNames))
	}
	for i, k := range a.kwNames {
		v, err := a.kwVals[i].eval(e)
		if err != nil {
			return nil, nil, err
		}
		kw[k] = v
	}
	if a.dstar != nil {
		v, err := a.dstar.eval(e)
		if err != nil {
			return nil, nil, err
		}
		if !isMapping(v) {
			return nil, nil, errorf(a.dstar.offset(), "**kwargs must be a mapping, not %s", typeName(v))
		}
		keys, _ := seq(v)
		order := append(make([]string, 0, len(a.kwNames)+len(keys)), a.kwNames...)
		for _, k := range keys {
			val, _, _ := mapGet(v, k)
			ks := Str(k)
			if _, dup := kw[ks]; !dup {
				order = append(order, ks)
			}
			kw[ks] = val
		}
		e.kwOrder = &order
		return args, kw, nil
	}
	e.kwOrder = &a.kwNames
	return args, kw, nil
}

func (x *filterExpr) eval(e *env) (any, error) {
	v, err := x.x.eval(e)
	if err != nil {
		return nil, err
	}
	return x.apply(e, v)
}

func (x *filterExpr) apply(e *env, v any) (any, error) {
	args, kw, err := x.args.eval(e)
	if err != nil {
		return nil, err
	}
	if n, ok := filterArity[x.name]; ok && len(args) > n {
		return nil, errorf(x.off, "filter %s takes at most %d argument%s, got %d", x.name, n, plural(n), len(args))
	}
	out, err := x.fn(e, v, args, kw)
	if err != nil {
		return nil, errAt(x.off, fmt.Errorf("filter %s: %w", x.name, err))
	}
	if n, ok := length(out); ok && n > 1024 {
		e.steps += n / 1024
		if err := e.step(); err != nil {
			return nil, errAt(x.off, err)
		}
	}
	return out, nil
}

func (x *testExpr) eval(e *env) (any, error) {
	v, err := x.x.eval(e)
	if err != nil {
		return nil, err
	}
	args, _, err := x.args.eval(e)
	if err != nil {
		return nil, err
	}
	ok, err := x.fn(v, args)
	if err != nil {
		return nil, errAt(x.off, fmt.Errorf("test %s: %w", x.name, err))
	}
	return ok != x.neg, nil
}
