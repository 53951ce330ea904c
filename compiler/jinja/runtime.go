package jinja

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/flosch/pongo2/v6"
)

// Func is a Go function that templates can call: args are the positional
// arguments, kwargs the keyword arguments (nil when there are none).
// Values are template values (see Native and Str to convert them).
type Func func(args []any, kwargs map[string]any) (any, error)

// FuncAt is a Func that is also told where in which file it was called.
type FuncAt func(at Pos, args []any, kwargs map[string]any) (any, error)

// Pos is a position in a template file (1-based line and column).
type Pos struct {
	File      string
	Line, Col int
	// Site: a call made inside a macro, where the outermost macro call
	// of it is in the template the render runs (nil at its top level):
	// what an error about the call (a ref() of nothing, made in a ref
	// override) names, the model's line rather than the macro's
	Site *Pos
}

// Object is a Go value whose attributes templates can read (obj.name).
type Object interface {
	Attr(name string) (any, bool)
}

// Sequence is a Go value that templates can iterate over, take the length
// of and index by number (an Object for everything else): a query's rows.
type Sequence interface {
	Items() []any
}

// Arithmetic is a Go value with its own + and - (dates and durations):
// Arith returns ok false for an operation it does not define. It is
// asked for r + v and r * v too when r has no such operation with v (+ and
// * commute), and for -v and +v as "unary-" and "unary+" (r nil).
type Arithmetic interface {
	Arith(op string, r any) (v any, ok bool, err error)
}

// Comparer is a Go value with its own ordering (dates): Compare returns
// -1, 0 or 1, ok false when it does not compare with r (== is then
// false), an error when Python's < would raise (a naive datetime and an
// aware one).
type Comparer interface {
	Compare(r any) (n int, ok bool, err error)
}

// Callable is a Go value that templates can call like a function.
type Callable interface {
	Call(args []any, kwargs map[string]any) (any, error)
}

// CallableAt is a Callable that is also told where it was called.
type CallableAt interface {
	CallAt(at Pos, args []any, kwargs map[string]any) (any, error)
}

// envFunc is a builtin that needs the render's state (return, caller).
type envFunc func(e *env, off int, args []any, kw map[string]any) (any, error)

// source is one template file.
type source struct {
	path string
	text string

	once  sync.Once
	lines []int // offsets where lines start, made on the first pos call
}

// pos turns an offset into a position. Every call of ref(), source() and
// the like asks for one, so line starts are found once and searched.
func (s *source) pos(off int) Pos {
	s.once.Do(func() {
		s.lines = append(s.lines, 0)
		for i := 0; i < len(s.text); i++ {
			if s.text[i] == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	})
	off = max(0, min(off, len(s.text)))
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) // 1-based: lines[line-1] <= off
	return Pos{File: s.path, Line: line, Col: off - s.lines[line-1] + 1}
}

// locate turns an evaluation error into an *Error in this file; errors that
// already carry a file (raised inside a macro) and control-flow signals pass
// through unchanged. fallback is used when err has no offset.
func (s *source) locate(err error, fallback int) error {
	var pe *posError
	switch t := err.(type) {
	case *Error, returnSignal, loopSignal:
		return err
	case *posError:
		pe = t
	default:
		var je *Error
		if errors.As(err, &je) {
			return je
		}
		if errors.As(err, &pe) {
			return s.locate(pe, fallback)
		}
		pe = &posError{off: fallback, msg: err.Error()}
	}
	p := s.pos(pe.off)
	return &Error{File: p.File, Line: p.Line, Col: p.Col, Msg: pe.msg}
}

// env is the state of one render.
type env struct {
	engine *Engine
	locals Locals         // this render's values (nil: none)
	shared map[string]any // values shared by many renders
	sc     *scope
	src    *source  // the file whose tags are running
	prog   *program // the program whose tags are running (their items)
	ctx    *pongo2.ExecutionContext
	frame  *macroFrame // the innermost macro call
	depth  int
	caller *Pos            // call site of Engine.Call, when no template is running
	pkg    string          // the package of the running macro: its macros come first
	used   map[string]bool // engine macros called, for Output.Macros
	site   *Pos            // the outermost running macro call's position (Pos.Site)
	steps  int             // loop iterations and macro calls so far
	// kwOrder: the keyword names of the last call's arguments evaluated, in
	// call order (kwKeys); a pointer, to keep env small
	kwOrder *[]string
}

// kwKeys returns the keys of kw in the order the call gave them (Python
// keeps keyword arguments in call order), or sorted when kw is not the
// last call's keywords (a map made in Go).
func (e *env) kwKeys(kw map[string]any) []string {
	var order []string
	if e.kwOrder != nil {
		order = *e.kwOrder
	}
	e.kwOrder = nil
	if len(order) != len(kw) {
		return sortedMapKeys(kw)
	}
	for _, k := range order {
		if _, ok := kw[k]; !ok {
			return sortedMapKeys(kw)
		}
	}
	return order
}

// MaxSteps bounds the loop iterations and macro calls of one render, so a
// runaway template fails instead of hanging the compile.
var MaxSteps = 10_000_000

func (e *env) step() error {
	e.steps++
	if e.steps > MaxSteps {
		return fmt.Errorf("the template does too much work (over %d loop iterations and macro calls)", MaxSteps)
	}
	return nil
}

// scope holds the variables set in a template, a macro call or one
// iteration of a for loop; lookups walk up to the parent.
type scope struct {
	vars   map[string]any
	parent *scope
}

func (s *scope) set(name string, v any) {
	if s.vars == nil {
		s.vars = make(map[string]any, 4)
	}
	s.vars[name] = v
}

type macroFrame struct {
	ret    any
	hasRet bool
}

// returnSignal unwinds a macro body when it calls return().
type returnSignal struct{}

func (returnSignal) Error() string { return "return() used outside of a macro" }

// loopSignal unwinds a loop body on {% break %} or {% continue %}.
type loopSignal struct{ brk bool }

func (s loopSignal) Error() string {
	if s.brk {
		return "{% break %} used outside of a loop"
	}
	return "{% continue %} used outside of a loop"
}

const envKey = "__mart_env"

// maxDepth bounds macro recursion.
const maxDepth = 256

func envOf(ctx *pongo2.ExecutionContext) *env {
	e := ctx.Public[envKey].(*env)
	if e.ctx == nil {
		e.ctx = ctx
	}
	return e
}

func (e *env) lookup(name string) (any, bool) {
	for s := e.sc; s != nil; s = s.parent {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	if (name == "ref" || name == "source") && e.engine != nil {
		// a macro of the name replaces dbt's built-in (a render's local
		// value), as in dbt; the built-in stays reachable as builtins.ref
		if m, ok := e.macro(name); ok {
			return m, true
		}
	}
	if e.locals != nil {
		if v, ok := e.locals.Local(name); ok {
			return v, true
		}
	}
	if v, ok := e.shared[name]; ok {
		if e.engine != nil {
			e.engine.noteNamespace(name)
		}
		return v, true
	}
	if e.engine != nil {
		if m, ok := e.macro(name); ok {
			return m, true
		}
		if v, ok := e.engine.builtin[name]; ok {
			return v, true
		}
	}
	if v, ok := globalFuncs[name]; ok {
		return v, true
	}
	return nil, false
}

// macro finds a macro by name for the running package (Engine.Resolve).
// A miss is recorded, so that adding such a macro later renders again
// what looked it up.
func (e *env) macro(name string) (*Macro, bool) {
	m := e.engine.Resolve(e.pkg, name)
	return m, m != nil
}

// names lists every name visible to the template, for suggestions.
func (e *env) names() []string {
	seen := map[string]bool{}
	for s := e.sc; s != nil; s = s.parent {
		for k := range s.vars {
			seen[k] = true
		}
	}
	if e.locals != nil {
		for _, k := range e.locals.LocalNames() {
			seen[k] = true
		}
	}
	for k := range e.shared {
		seen[k] = true
	}
	if e.engine != nil {
		for k := range e.engine.macros {
			seen[k] = true
		}
		for k := range e.engine.builtin {
			seen[k] = true
		}
	}
	for k := range globalFuncs {
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		if !strings.HasPrefix(k, "__") {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (e *env) pos(off int) Pos {
	if e.src == nil {
		if e.caller != nil {
			return *e.caller
		}
		return Pos{Line: 1, Col: 1}
	}
	return e.src.pos(off)
}

// call calls a template value.
func (e *env) call(off int, fn any, args []any, kw map[string]any) (any, error) {
	switch f := fn.(type) {
	case Func:
		return f(args, kw)
	case func([]any, map[string]any) (any, error):
		return f(args, kw)
	case FuncAt:
		p := e.pos(off)
		p.Site = e.site
		return f(p, args, kw)
	case envFunc:
		return f(e, off, args, kw)
	case *method:
		return f.fn(e, f.recv, args, kw)
	case *Macro:
		e.markUsed(f)
		return e.callMacro(off, f, nil, args, kw)
	case *boundMacro:
		return e.callMacro(off, f.m, f.closure, args, kw)
	case *loopInfo:
		if f.recurse == nil || len(args) != 1 {
			return nil, fmt.Errorf("loop(items) is only for a recursive loop ({%% for x in xs recursive %%}), with one argument")
		}
		return f.recurse(args[0])
	case CallableAt:
		return f.CallAt(e.pos(off), args, kw)
	case Callable:
		return f.Call(args, kw)
	case nil:
		return nil, fmt.Errorf("none is not callable")
	}
	rv := reflect.ValueOf(fn)
	if rv.Kind() == reflect.Func {
		return callReflect(rv, args, kw)
	}
	return nil, fmt.Errorf("a %s value is not callable", typeName(fn))
}

// callReflect calls a plain Go function, converting arguments to its
// parameter types (string, int, float64, bool or any).
func callReflect(fn reflect.Value, args []any, kw map[string]any) (any, error) {
	t := fn.Type()
	if len(kw) > 0 {
		return nil, fmt.Errorf("this function takes no keyword arguments")
	}
	n := t.NumIn()
	if !t.IsVariadic() && len(args) != n || t.IsVariadic() && len(args) < n-1 {
		return nil, fmt.Errorf("takes %d arguments, got %d", n, len(args))
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		var pt reflect.Type
		if t.IsVariadic() && i >= n-1 {
			pt = t.In(n - 1).Elem()
		} else {
			pt = t.In(i)
		}
		v, err := convertArg(a, pt)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %v", i+1, err)
		}
		in[i] = v
	}
	out := fn.Call(in)
	switch len(out) {
	case 0:
		return nil, nil
	case 1:
		if t.Out(0).Implements(reflect.TypeOf((*error)(nil)).Elem()) {
			err, _ := out[0].Interface().(error)
			return nil, err
		}
		return out[0].Interface(), nil
	}
	err, _ := out[len(out)-1].Interface().(error)
	return out[0].Interface(), err
}

func convertArg(a any, t reflect.Type) (reflect.Value, error) {
	switch t.Kind() {
	case reflect.String:
		return reflect.ValueOf(Str(a)).Convert(t), nil
	case reflect.Int, reflect.Int64, reflect.Int32:
		i, f, isF, ok := number(a)
		if !ok {
			return reflect.Value{}, fmt.Errorf("expected a number, got %s", typeName(a))
		}
		if isF {
			i = int(f)
		}
		return reflect.ValueOf(i).Convert(t), nil
	case reflect.Float64, reflect.Float32:
		f, ok := toFloat(a)
		if !ok {
			return reflect.Value{}, fmt.Errorf("expected a number, got %s", typeName(a))
		}
		return reflect.ValueOf(f).Convert(t), nil
	case reflect.Bool:
		return reflect.ValueOf(Truth(a)), nil
	case reflect.Interface:
		if a == nil {
			return reflect.Zero(t), nil
		}
		v := reflect.ValueOf(Native(a))
		if v.Type().AssignableTo(t) {
			return v, nil
		}
	}
	v := reflect.ValueOf(a)
	if a != nil && v.Type().AssignableTo(t) {
		return v, nil
	}
	return reflect.Value{}, fmt.Errorf("expected %s, got %s", t, typeName(a))
}

// markUsed records an engine macro the render called (Output.Macros):
// by name, or package.name for a package's.
func (e *env) markUsed(m *Macro) {
	if e.used == nil {
		e.used = map[string]bool{}
	}
	e.used[m.QualifiedName()] = true
}

// QualifiedName is the macro's name, prefixed by its package's for a
// package's macro ("dbt_utils.star").
func (m *Macro) QualifiedName() string {
	if m.Package == "" {
		return m.Name
	}
	return m.Package + "." + m.Name
}

// boundMacro is a macro defined inside a template, with the scope it was
// defined in.
type boundMacro struct {
	m       *Macro
	closure *scope
}

// callMacro runs a macro body with the given arguments and returns its
// output, or the value it passed to return().
func (e *env) callMacro(off int, m *Macro, closure *scope, args []any, kw map[string]any) (any, error) {
	return e.callMacroWith(off, m, closure, args, kw, nil)
}

// callMacroWith is callMacro with extra variables in the macro's scope
// (`caller` in a call block).
func (e *env) callMacroWith(off int, m *Macro, closure *scope, args []any, kw map[string]any, extra map[string]any) (any, error) {
	if e.depth >= maxDepth {
		return nil, fmt.Errorf("macro %s: recursion deeper than %d calls", m.Name, maxDepth)
	}
	if e.site == nil { // the outermost macro call (Pos.Site)
		p := e.pos(off)
		e.site = &p
		defer func() { e.site = nil }()
	}
	if err := e.step(); err != nil {
		return nil, err
	}
	if len(args) > len(m.Params) && !m.varargs {
		return nil, fmt.Errorf("macro %s takes %d argument%s (%s), got %d", m.Name, len(m.Params), plural(len(m.Params)),
			strings.Join(m.Params, ", "), len(args))
	}
	sc := &scope{vars: make(map[string]any, len(m.Params)+2+len(extra)), parent: closure}
	for k, v := range extra {
		sc.vars[k] = v
	}
	bound := 0
	for i, v := range args {
		if i < len(m.Params) {
			sc.vars[m.Params[i]] = v
			bound++
		}
	}
	if m.varargs {
		var extra []any
		if len(args) > len(m.Params) {
			extra = append(extra, args[len(m.Params):]...)
		}
		sc.vars["varargs"] = &List{Items: extra, Tuple: true}
	}
	var extraKw *Dict
	if m.kwargs {
		extraKw = NewDict()
		sc.vars["kwargs"] = extraKw
	}
	if len(kw) > 0 {
		for _, k := range e.kwKeys(kw) {
			i := indexOf(m.Params, k)
			switch {
			case i < 0 && extraKw != nil:
				extraKw.Set(k, kw[k])
				continue
			case i < 0:
				msg := fmt.Sprintf("macro %s has no argument '%s' (arguments: %s)", m.Name, k, strings.Join(m.Params, ", "))
				if s := suggest(k, m.Params); s != "" {
					msg += "; " + s
				}
				return nil, errors.New(msg)
			case i < len(args):
				return nil, fmt.Errorf("macro %s got argument '%s' twice", m.Name, k)
			}
			sc.vars[k] = kw[k]
		}
	}
	savedSc, savedSrc, savedProg, savedFrame, savedPkg := e.sc, e.src, e.prog, e.frame, e.pkg
	callSite := e.pos(off)
	frame := &macroFrame{}
	e.sc, e.src, e.prog, e.frame, e.pkg = sc, m.src, m.prog, frame, m.Package
	e.depth++
	defer func() {
		e.sc, e.src, e.prog, e.frame, e.pkg = savedSc, savedSrc, savedProg, savedFrame, savedPkg
		e.depth--
	}()
	for i, p := range m.Params {
		if _, ok := sc.vars[p]; ok {
			continue
		}
		if d := m.defaults[i]; d != nil {
			v, err := d.eval(e)
			if err != nil {
				return nil, withCallSite(m.src.locate(err, d.offset()), m, callSite)
			}
			sc.vars[p] = v
		} else {
			sc.vars[p] = Undefined{Name: p}
		}
	}
	var b strings.Builder
	if perr := m.body.Execute(e.ctx, &b); perr != nil {
		err := unwrapPongo(perr)
		if _, ok := err.(returnSignal); ok && frame.hasRet {
			return frame.ret, nil
		}
		return nil, withCallSite(err, m, callSite)
	}
	if frame.hasRet {
		return frame.ret, nil
	}
	return b.String(), nil
}

// withCallSite records in an error raised inside a macro where the macro
// was called from.
func withCallSite(err error, m *Macro, at Pos) error {
	je, ok := err.(*Error)
	if !ok {
		return err
	}
	c := *je
	line := fmt.Sprintf("in macro %s, called from %s:%d:%d", m.Name, at.File, at.Line, at.Col)
	if c.Detail == "" {
		c.Detail = line
	} else {
		c.Detail += "\n" + line
	}
	return &c
}

func unwrapPongo(perr *pongo2.Error) error {
	if perr.OrigError != nil {
		var inner *pongo2.Error
		if errors.As(perr.OrigError, &inner) && inner != perr {
			return unwrapPongo(inner)
		}
		return perr.OrigError
	}
	return perr
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
