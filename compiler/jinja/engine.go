package jinja

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/flosch/pongo2/v6"
)

// File is one template source.
type File struct {
	Path string // as shown to users, e.g. models/staging/stg_members.sql
	Src  string
	// Package is the package whose macros the file holds ("" for the root
	// project and mart's builtins).
	Package string
}

// builtinPrefix marks macro files that ship with mart; a project macro of
// the same name replaces a builtin one.
const builtinPrefix = "<builtin>"

// Engine holds the project's macros and parses and renders templates. It is
// safe for concurrent use once the macros are added.
type Engine struct {
	macros   map[string]*Macro            // the root project's and mart's
	packages map[string]map[string]*Macro // each package's own, by package
	builtin  map[string]any               // Go functions callable by name (cross-database macros)
	// misses are the names looked up among the macros and not found
	// there (Misses): a macro of that name added later would change what
	// the lookup found
	misses sync.Map // "name" or "package.name" -> struct{}
	// found are the macros lookups found and did not call there (Found):
	// a render that read one so (`is defined`, a macro passed as a
	// value) would change if it were removed, and does not list it among
	// the macros it called
	found sync.Map // "name" or "package.name" -> struct{}
	// namespaces are the shared values that are macro namespaces, by
	// name: the package whose macros each holds ("" for the root
	// project's). A lookup that finds one records "package.*" among the
	// misses: what it then reads of the namespace is not known.
	namespaces atomic.Pointer[map[string]string]
}

// NewEngine returns an engine with no macros.
func NewEngine() *Engine {
	return &Engine{macros: map[string]*Macro{}, packages: map[string]map[string]*Macro{}, builtin: map[string]any{}}
}

// AddMacros parses macro files ({% macro %} and {% test %} definitions,
// each file once) and makes every macro callable from any template. Files
// whose path starts with "<builtin>" hold mart's own macros, which project
// macros of the same name replace. builtin adds Go functions callable by
// name (project macros win over them too).
func (e *Engine) AddMacros(files []File, builtin map[string]any) error {
	for name, fn := range builtin {
		e.builtin[name] = fn
	}
	tpls := make([]*Template, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			tpls[i], errs[i] = e.Parse(f.Path, f.Src)
		}()
	}
	wg.Wait()
	var out []error
	for i, t := range tpls {
		if errs[i] != nil {
			out = append(out, errs[i])
			continue
		}
		for _, m := range t.macros {
			m.Package = files[i].Package
			if m.Package != "" {
				ns := e.packages[m.Package]
				if ns == nil {
					ns = map[string]*Macro{}
					e.packages[m.Package] = ns
				}
				if prev, dup := ns[m.Name]; dup {
					out = append(out, &Error{File: m.File, Line: m.Line, Col: 1,
						Msg: fmt.Sprintf("macro %q is defined twice in package %s (also in %s:%d)", m.Name, m.Package, prev.File, prev.Line)})
				}
				ns[m.Name] = m
				continue
			}
			prev, dup := e.macros[m.Name]
			switch {
			case !dup, prev.Builtin():
				e.macros[m.Name] = m
			case m.Builtin():
				// the project's macro wins
			default:
				out = append(out, &Error{File: m.File, Line: m.Line, Col: 1,
					Msg: fmt.Sprintf("macro %q is defined twice (also in %s:%d)", m.Name, prev.File, prev.Line)})
			}
		}
	}
	return errors.Join(out...)
}

// Builtin reports whether the macro ships with mart (compiler/builtin).
func (m *Macro) Builtin() bool { return strings.HasPrefix(m.File, builtinPrefix) }

// Macro returns a macro of the root project (or mart's) by name, or nil.
func (e *Engine) Macro(name string) *Macro { return e.MacroIn("", name) }

// MacroIn returns a package's macro by name, or nil; pkg "" is the root
// project.
func (e *Engine) MacroIn(pkg, name string) *Macro {
	var m *Macro
	if pkg == "" {
		m = e.macros[name]
	} else {
		m = e.packages[pkg][name]
	}
	if m == nil {
		e.NoteMiss(pkg, name)
	}
	return m
}

// Resolve finds a macro by name as a template of package pkg ("": the
// root project) finds it: the package's own, then the root project's (or
// mart's); nil when neither has it. Each miss is recorded (MacroIn).
func (e *Engine) Resolve(pkg, name string) *Macro {
	if pkg != "" {
		if m := e.MacroIn(pkg, name); m != nil {
			return m
		}
	}
	return e.MacroIn("", name)
}

// NoteMiss records that a lookup of the macro name of package pkg ("":
// the root project's, or mart's) found none. Templates' lookups, Macro,
// MacroIn and Call record theirs; a caller that looks macros up another
// way records them with it.
func (e *Engine) NoteMiss(pkg, name string) { noteKey(&e.misses, pkg, name) }

// NoteMisses records misses as Misses lists them (a cache's, replayed).
func (e *Engine) NoteMisses(keys []string) { noteKeys(&e.misses, keys) }

// noteKey records "name", or "pkg.name" for a package's, in a set.
func noteKey(set *sync.Map, pkg, name string) {
	key := name
	if pkg != "" {
		key = pkg + "." + name
	}
	if _, ok := set.Load(key); !ok {
		set.Store(key, struct{}{})
	}
}

// noteKeys records keys in a set.
func noteKeys(set *sync.Map, keys []string) {
	for _, k := range keys {
		set.Store(k, struct{}{})
	}
}

// setKeys lists a set's keys, sorted.
func setKeys(set *sync.Map) []string {
	var out []string
	set.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	sort.Strings(out)
	return out
}

// SetNamespaces says which shared values templates see are macro
// namespaces: by name, the package whose macros each holds ("" for the
// root project's). Finding one records "package.*" ("*" for the root's)
// among the misses.
func (e *Engine) SetNamespaces(ns map[string]string) { e.namespaces.Store(&ns) }

// noteNamespace records a lookup that found name among the shared values,
// when that is a macro namespace.
func (e *Engine) noteNamespace(name string) {
	if ns := e.namespaces.Load(); ns != nil {
		if pkg, ok := (*ns)[name]; ok {
			e.NoteMiss(pkg, "*")
		}
	}
}

// NoteFound records that a lookup found the macro name of package pkg
// ("": the root project's, or mart's) and may not call it. Templates
// record the macros they find other than in a call ({{ m() }}); a caller
// that hands macros to templates another way (adapter.dispatch) or looks
// them up by name to decide what to render records them with it.
func (e *Engine) NoteFound(pkg, name string) { noteKey(&e.found, pkg, name) }

// NoteFounds records found macros as Found lists them (a cache's, replayed).
func (e *Engine) NoteFounds(keys []string) { noteKeys(&e.found, keys) }

// Found lists, sorted, the macros found other than in a call since the
// engine was made ("name" or "package.name", as Misses): removing any
// other macro changes only the renders that called it.
func (e *Engine) Found() []string { return setKeys(&e.found) }

// Misses lists, sorted, the macro names looked up and not found since the
// engine was made: "name" for a lookup among the root project's (and
// mart's) macros, "package.name" for one among a package's. A macro added
// under any other name changes no lookup made so far: partial parsing
// patches such an addition without rendering anything again.
func (e *Engine) Misses() []string { return setKeys(&e.misses) }

// PackageMacros returns the names of a package's macros, sorted.
func (e *Engine) PackageMacros(pkg string) []string {
	return sortedMapKeys(e.packages[pkg])
}

// Packages returns the names of the packages with macros, sorted.
func (e *Engine) Packages() []string { return sortedMapKeys(e.packages) }

// MacroNames returns the names of all macros, sorted.
func (e *Engine) MacroNames() []string {
	out := make([]string, 0, len(e.macros))
	for n := range e.macros {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Output is what a render produced.
type Output struct {
	Text   string
	Macros []string // the engine's macros it called, directly or not, sorted (QualifiedName)
}

func (e *env) output(text string) Output {
	out := Output{Text: text}
	if len(e.used) > 0 {
		out.Macros = sortedMapKeys(e.used)
	}
	return out
}

// Call calls a macro with Go values, as {{ name(args..., k=v...) }} would
// in a template rendered with Exec(local, shared), and returns its output
// (or the value it returned, as text). name is a root macro's name or a
// package's macro as package.name. at is shown as the call site in errors.
func (e *Engine) Call(at Pos, name string, local, shared map[string]any, args []any, kw map[string]any) (Output, error) {
	return e.call(at, name, &env{locals: mapLocals(local), shared: shared}, args, kw)
}

// CallLocals is Call with the local values given as Locals.
func (e *Engine) CallLocals(at Pos, name string, local Locals, shared map[string]any, args []any, kw map[string]any) (Output, error) {
	return e.call(at, name, &env{locals: local, shared: shared}, args, kw)
}

func (e *Engine) call(at Pos, name string, ev *env, args []any, kw map[string]any) (Output, error) {
	pkg, n, ok := strings.Cut(name, ".")
	if !ok {
		pkg, n = "", name
	}
	m := e.MacroIn(pkg, n)
	if m == nil {
		return Output{}, &Error{File: at.File, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf("unknown macro %s", name)}
	}
	ev.engine, ev.sc, ev.caller = e, &scope{}, &at
	ev.ctx = &pongo2.ExecutionContext{Public: pongo2.Context{envKey: ev}, Private: pongo2.Context{}}
	v, err := ev.call(0, m, args, kw)
	if err != nil {
		if _, ok := err.(*Error); !ok {
			err = &Error{File: at.File, Line: at.Line, Col: at.Col, Msg: err.Error()}
		}
		return Output{}, err
	}
	return ev.output(Str(v)), nil
}

// Template is a parsed template.
type Template struct {
	Path   string
	engine *Engine
	tpl    *pongo2.Template
	prog   *program // the items tpl's tags refer to
	macros []*Macro
}

// registryLoader serves rewritten templates to pongo2 by their unique name.
type registryLoader struct{}

func (registryLoader) Abs(base, name string) string { return name }

func (registryLoader) Get(name string) (io.Reader, error) {
	p, ok := texts.Load(name)
	if !ok {
		return nil, fmt.Errorf("templates cannot load other files (%s)", name)
	}
	return strings.NewReader(p.(string)), nil
}

var (
	texts  sync.Map     // unique name -> rewritten text, while parsing
	parseN atomic.Int64 // for unique names
	// sets are pongo2 template sets, reused: a set is not safe for
	// concurrent parsing, and creating one per template is wasteful.
	sets = sync.Pool{New: func() any { return pongo2.NewSet("mart", registryLoader{}) }}
)

// Parse rewrites and parses one template.
func (e *Engine) Parse(path, src string) (*Template, error) {
	rw, err := Rewrite(path, src)
	if err != nil {
		return nil, err
	}
	tpl, err := rw.parse()
	if err != nil {
		return nil, err
	}
	return &Template{Path: path, engine: e, tpl: tpl, prog: rw.prog, macros: rw.prog.macros}, nil
}

// skeletons holds the pongo2 templates parsed so far, by their text. The
// text is only the template's structure (a tag per statement and per run of
// text and values, each naming an item of its program by number), so files
// written alike share it: on the bench project's 10,000 models, one or a few
// texts. Tags find their items in the running program (env.prog), so one
// parsed template serves every program with the same text, and pongo2
// lexes and parses it once. Programs that define macros are parsed on
// their own: their macro tags bind the macros' bodies as they are parsed.
// The map only grows, by one small tree per distinct structure, for the
// life of the process (a command); it keeps no program alive.
// TestSharedSkeletonsMatchOwnParse renders random templates both ways.
var skeletons sync.Map // text -> *pongo2.Template

// parse hands the rewritten text to pongo2, or finds it parsed already.
func (rw *Rewritten) parse() (*pongo2.Template, error) {
	shared := !rw.prog.definesMacros()
	if shared {
		if tpl, ok := skeletons.Load(rw.Text); ok {
			return tpl.(*pongo2.Template), nil
		}
	}
	tpl, err := rw.parseNew()
	if err == nil && shared {
		skeletons.Store(rw.Text, tpl)
	}
	return tpl, err
}

// definesMacros reports whether the program has {% macro %} definitions.
func (p *program) definesMacros() bool {
	for _, it := range p.items {
		if _, ok := it.(*Macro); ok {
			return true
		}
	}
	return false
}

// parseNew has pongo2 parse the rewritten text.
func (rw *Rewritten) parseNew() (*pongo2.Template, error) {
	name := rw.prog.src.path + "\x00" + strconv.FormatInt(parseN.Add(1), 10)
	texts.Store(name, rw.Text)
	programs.Store(name, rw.prog)
	defer func() {
		texts.Delete(name)
		programs.Delete(name)
	}()
	set := sets.Get().(*pongo2.TemplateSet)
	defer sets.Put(set)
	tpl, err := set.FromFile(name)
	if err != nil {
		return nil, rw.mapError(err)
	}
	return tpl, nil
}

// Render executes the template with the given context values (functions,
// objects, data) and returns its output.
func (t *Template) Render(ctx map[string]any) (string, error) {
	return t.RenderWith(ctx, nil)
}

// RenderWith is Render with two layers of values: local ones for this
// render and shared ones (the same for many renders); local ones win.
func (t *Template) RenderWith(local, shared map[string]any) (string, error) {
	out, err := t.Exec(local, shared)
	return out.Text, err
}

// Exec is RenderWith that also reports which macros the render called.
func (t *Template) Exec(local, shared map[string]any) (Output, error) {
	return t.exec(&env{locals: mapLocals(local), shared: shared})
}

// Locals are a render's own values, made when a template first looks one
// up: most renders look up a few of the many a template may (ref, config,
// this, adapter, graph...). Local returns the same value for a name each
// time; LocalNames lists every name it knows (for suggestions).
type Locals interface {
	Local(name string) (any, bool)
	LocalNames() []string
}

// mapLocals are Locals all made beforehand (Exec's and Call's map).
type mapLocals map[string]any

func (m mapLocals) Local(name string) (any, bool) {
	v, ok := m[name]
	return v, ok
}

func (m mapLocals) LocalNames() []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ExecLocals is Exec with the local values given as Locals.
func (t *Template) ExecLocals(local Locals, shared map[string]any) (Output, error) {
	return t.exec(&env{locals: local, shared: shared})
}

// ExecLocalsIn is ExecLocals for a template of package pkg ("" for the root
// project): as in its macros, the package's own macros come first (dbt's
// local namespace), then the root project's.
func (t *Template) ExecLocalsIn(pkg string, local Locals, shared map[string]any) (Output, error) {
	return t.exec(&env{locals: local, shared: shared, pkg: pkg})
}

func (t *Template) exec(e *env) (Output, error) {
	e.engine, e.sc, e.prog, e.src = t.engine, &scope{}, t.prog, t.prog.src
	out, err := t.tpl.Execute(pongo2.Context{envKey: e})
	if err != nil {
		return Output{}, t.renderError(err)
	}
	return e.output(out), nil
}

func (t *Template) renderError(err error) error {
	var pe *pongo2.Error
	if errors.As(err, &pe) {
		switch inner := unwrapPongo(pe).(type) {
		case *Error:
			return inner
		case returnSignal, loopSignal:
			return &Error{File: t.Path, Line: 1, Col: 1, Msg: inner.Error()}
		}
		line, col := pe.Line, pe.Column
		if line <= 0 {
			line, col = 1, 1
		}
		return &Error{File: t.Path, Line: line, Col: col, Msg: unwrapPongo(pe).Error()}
	}
	return &Error{File: t.Path, Line: 1, Col: 1, Msg: err.Error()}
}

// mapError converts a pongo2 parse error into an *Error in the user's file.
func (rw *Rewritten) mapError(err error) error {
	path := rw.prog.src.path
	var pe *pongo2.Error
	if !errors.As(err, &pe) {
		return &Error{File: path, Line: 1, Col: 1, Msg: err.Error()}
	}
	line, col := rw.Map.Original(pe.Line, pe.Column)
	if line <= 0 {
		line, col = 1, 1
	}
	msg := "template error"
	if pe.OrigError != nil {
		msg = unwrapPongo(pe).Error()
	}
	return &Error{File: path, Line: line, Col: col, Msg: msg}
}
