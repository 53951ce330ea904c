package jinja

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/flosch/pongo2/v6"
)

// File is one template source.
type File struct {
	Path string // as shown to users, e.g. models/staging/stg_members.sql
	Src  string
}

// Engine holds the project's macros and parses and renders templates. It is
// safe for concurrent use once the macros are added.
type Engine struct {
	macros map[string]*Macro
	table  map[string]any // name -> callable, exposed to templates as __macros
	names  map[string]bool
	maps   sync.Map // path -> *SourceMap, for errors raised in any template
}

// NewEngine returns an engine with no macros.
func NewEngine() *Engine {
	return &Engine{macros: map[string]*Macro{}, table: map[string]any{}, names: map[string]bool{}}
}

var macroNameRE = regexp.MustCompile(`\{%-?\s*(macro|test|materialization)\s+([A-Za-z_][A-Za-z0-9_]*)`)

// AddMacros parses macro files ({% macro %} and {% test %} definitions) and
// makes every macro callable from any template parsed afterwards. Extra names
// (builtin macros provided as Go functions) are routed the same way.
func (e *Engine) AddMacros(files []File, builtin map[string]any) error {
	for _, f := range files {
		for _, m := range macroNameRE.FindAllStringSubmatch(f.Src, -1) {
			name := m[2]
			if m[1] == "test" {
				name = "test_" + name
			}
			e.names[name] = true
		}
	}
	for name, fn := range builtin {
		if !e.names[name] {
			e.table[name] = fn
			e.names[name] = true
		}
	}
	var errs []error
	for _, f := range files {
		tpl, err := e.Parse(f.Path, f.Src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reg := &macroRegistry{}
		if _, err := tpl.tpl.Execute(pongo2.Context{registryKey: reg}); err != nil {
			errs = append(errs, e.mapError(f.Path, err))
			continue
		}
		for _, m := range reg.macros {
			if prev, ok := e.macros[m.Name]; ok {
				errs = append(errs, &Error{File: f.Path, Line: e.origLine(f.Path, m.Line), Col: 1,
					Msg: fmt.Sprintf("macro %q is defined twice (also in %s:%d)", m.Name, prev.File, e.origLine(prev.File, prev.Line))})
				continue
			}
			e.macros[m.Name] = m
			e.table[m.Name] = m.Func()
		}
	}
	return errors.Join(errs...)
}

func (e *Engine) origLine(path string, line int) int {
	if sm, ok := e.maps.Load(path); ok {
		l, _ := sm.(*SourceMap).Original(line, 1)
		return l
	}
	return line
}

// Macro returns a macro by name, or nil.
func (e *Engine) Macro(name string) *Macro { return e.macros[name] }

// MacroNames returns the names of all macros, sorted.
func (e *Engine) MacroNames() []string {
	out := make([]string, 0, len(e.macros))
	for n := range e.macros {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// IsMacro reports whether name is routed to the macro table.
func (e *Engine) IsMacro(name string) bool { return e.names[name] }

// Template is a parsed template.
type Template struct {
	Path   string
	engine *Engine
	tpl    *pongo2.Template
}

// oneFile is a pongo2 loader that serves a single rewritten file.
type oneFile struct{ path, src string }

func (l oneFile) Abs(base, name string) string { return name }
func (l oneFile) Get(path string) (io.Reader, error) {
	if path != l.path {
		return nil, fmt.Errorf("templates cannot load other files (%s)", path)
	}
	return strings.NewReader(l.src), nil
}

// Parse rewrites and parses one template.
func (e *Engine) Parse(path, src string) (*Template, error) {
	out, sm, err := Rewrite(src, e.IsMacro)
	if err != nil {
		var je *Error
		if errors.As(err, &je) {
			je.File = path
		}
		return nil, err
	}
	e.maps.Store(path, sm)
	set := pongo2.NewSet(path, oneFile{path, out})
	tpl, err := set.FromFile(path)
	if err != nil {
		return nil, e.mapError(path, err)
	}
	return &Template{Path: path, engine: e, tpl: tpl}, nil
}

// Render executes the template with the given context values.
func (t *Template) Render(ctx pongo2.Context) (string, error) {
	full := make(pongo2.Context, len(ctx)+8)
	for k, v := range builtinCtx {
		full[k] = v
	}
	for k, v := range ctx {
		full[k] = v
	}
	full["__macros"] = t.engine.table
	out, err := t.tpl.Execute(full)
	if err != nil {
		return "", t.engine.mapError(t.Path, err)
	}
	return out, nil
}

var builtinCtx = builtins()

// mapError converts a pongo2 error into an *Error in the user's file.
func (e *Engine) mapError(path string, err error) error {
	var pe *pongo2.Error
	if !errors.As(err, &pe) {
		var je *Error
		if errors.As(err, &je) {
			return je
		}
		return &Error{File: path, Line: 1, Col: 1, Msg: err.Error()}
	}
	file := pe.Filename
	if file == "" || file == "<string>" {
		file = path
	}
	line, col := pe.Line, pe.Column
	if sm, ok := e.maps.Load(file); ok {
		line, col = sm.(*SourceMap).Original(line, col)
	}
	msg := "template error"
	if pe.OrigError != nil {
		msg = cleanMessage(pe.OrigError)
	}
	if line <= 0 {
		line, col = 1, 1
	}
	return &Error{File: file, Line: line, Col: col, Msg: msg}
}

// cleanMessage turns pongo2's wording into ours, unwrapping nested errors.
func cleanMessage(err error) string {
	var inner *pongo2.Error
	if errors.As(err, &inner) && inner.OrigError != nil && inner.OrigError != err {
		return cleanMessage(inner.OrigError)
	}
	var je *Error
	if errors.As(err, &je) {
		return je.Error()
	}
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "__macros.", "")
	msg = strings.ReplaceAll(msg, "__kw", "keyword argument")
	msg = strings.ReplaceAll(msg, "__list", "list")
	msg = strings.ReplaceAll(msg, "__dict", "dict")
	msg = strings.ReplaceAll(msg, "forloop.Counter0", "loop.index0")
	msg = strings.ReplaceAll(msg, "forloop.Counter", "loop.index")
	return msg
}
