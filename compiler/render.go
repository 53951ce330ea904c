package compiler

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

// Relation is what ref(), source() and this return to templates: it prints
// as the quoted relation name and exposes database, schema, identifier.
// Inside a render it prints a placeholder that is swapped for the final name
// once every node's config is known.
type Relation map[string]any

func (r Relation) String() string {
	if s, ok := r["__text"].(string); ok {
		return s
	}
	return fmt.Sprint(r["__text"])
}

// relationNamer names the relations a Relation's methods make, as the
// compile that made it does (its "__namer", which MarshalJSON leaves out).
type relationNamer struct{ s *scope }

// name is a relation's quoted name from its parts: as the dialect names
// one of all three (or of a schema and a name), else the parts there are,
// each quoted (dbt leaves out a part that is None).
func (rn *relationNamer) name(db, schema, id string) string {
	if schema != "" && id != "" {
		return rn.s.relationName(db, schema, id)
	}
	var parts []string
	for _, p := range []string{db, schema, id} {
		if p != "" {
			parts = append(parts, rn.s.dialect.QuoteIdent(p))
		}
	}
	return strings.Join(parts, ".")
}

// relPart is one of a relation's parts (database, schema, identifier):
// "" when it has none. A database that is only the DuckDB file's catalog,
// which templates see (databaseOf: "__catalog"), is none: the relation
// is named in two parts, and include(database=false) leaves it as it is.
func relPart(r Relation, k string) string {
	s, _ := r[k].(string)
	if k == "database" && s != "" && r["__catalog"] == s {
		return ""
	}
	return s
}

// MarshalJSON writes a Relation as the map of its values (a Relation kept
// in a config's meta), without its namer.
func (r Relation) MarshalJSON() ([]byte, error) {
	if _, ok := r["__namer"]; !ok {
		return json.Marshal(map[string]any(r))
	}
	m := maps.Clone(map[string]any(r))
	delete(m, "__namer")
	delete(m, "__catalog")
	return json.Marshal(m)
}

// Attr gives a Relation the methods of dbt's BaseRelation that a ref or
// source override (dbt's builtins page) and packages call: replace_path
// and incorporate make another relation with some parts replaced,
// include one with some parts left out, render prints it, quote keeps
// it. Any other name is one of its values (database, schema, ...). A
// method that changes no part gives the relation as it is, whose name
// is still the one the compile settles (include(database=false) where
// there is no database: dbt-duckdb projects' override); one that does is
// named from the parts ref() had while the project rendered: a schema or
// alias the model's own config() sets is not seen.
func (r Relation) Attr(name string) (any, bool) {
	namer, _ := r["__namer"].(*relationNamer)
	if namer == nil {
		return nil, false
	}
	part := func(k string) string { return relPart(r, k) }
	switch name {
	case "replace_path", "incorporate":
		return jinja.Func(func(args []any, kw map[string]any) (any, error) {
			if len(args) > 0 {
				return nil, fmt.Errorf("%s() takes keyword arguments (database=, schema=, identifier=)", name)
			}
			path := kw
			if name == "incorporate" {
				path = nil
				if p, ok := kw["path"].(map[string]any); ok {
					path = p
				} else if d, ok := kw["path"].(*jinja.Dict); ok {
					path = map[string]any{}
					for _, k := range []string{"database", "schema", "identifier"} {
						if v, ok := d.Get(k); ok {
							path[k] = v
						}
					}
				}
			}
			out := maps.Clone(r)
			same := true
			for _, k := range []string{"database", "schema", "identifier"} {
				if v, ok := path[k]; ok {
					if v == nil {
						out[k] = ""
					} else {
						out[k] = jinja.Str(v)
					}
					same = same && out[k] == part(k)
				}
			}
			if t, ok := kw["type"]; ok && name == "incorporate" && t != nil {
				out["type"] = jinja.Str(t)
			}
			if !same {
				out["__text"] = namer.name(relPart(out, "database"), relPart(out, "schema"), relPart(out, "identifier"))
			}
			return out, nil
		}), true
	case "include":
		return jinja.Func(func(args []any, kw map[string]any) (any, error) {
			keep := func(k string) bool { v, ok := kw[k]; return !ok || jinja.Truth(v) }
			out := maps.Clone(r)
			var p [3]string
			same := true
			for i, k := range []string{"database", "schema", "identifier"} {
				if keep(k) {
					p[i] = part(k)
				} else {
					same = same && part(k) == ""
				}
			}
			if !same {
				out["__text"] = namer.name(p[0], p[1], p[2])
			}
			return out, nil
		}), true
	case "name", "table":
		// dbt's BaseRelation.name and .table are its identifier (a
		// model's alias, a source table's identifier), not the node's name
		if id := part("identifier"); id != "" {
			return id, true
		}
	case "render":
		return jinja.Func(func([]any, map[string]any) (any, error) { return r.String(), nil }), true
	case "quote":
		return jinja.Func(func([]any, map[string]any) (any, error) { return r, nil }), true
	}
	return nil, false
}

const placeholderPrefix = "__MART_REL_"

func placeholder(i int) string { return placeholderPrefix + strconv.Itoa(i) + "__" }

// renderState collects what one node's render records.
type renderState struct {
	mu     sync.Mutex
	node   *Node
	config map[string]any
	// configShared: config is the node's, which config() must not write:
	// writableConfig copies it first
	configShared bool
	refs         []RefCall
	sources      [][]string
	targets      []string    // placeholder index -> "ref:<name>" | "source:<s>.<t>" | "this"
	warnings     Diagnostics // e.g. unknown config keys, at the config() call
	callPos      []callPos   // where each ref() and source() target was first called
	// configAt is, for each key the node's config() calls set, where
	// the last one did and what they set, merged in call order (for
	// unrendered_config: tags and meta config() added to a templated
	// value)
	configAt map[string]configCall
	// needsWarehouse: the render asked the warehouse and had none.
	needsWarehouse bool
	macros         []string // the engine macros the render called
	// fingerprint is the node's Fingerprint once partial parsing computed
	// it (fingerprinted says so: nil is a fingerprint too)
	fingerprint   *Fingerprint
	fingerprinted bool
}

type callPos struct {
	key string // "ref:x" or "source:s.t"
	at  jinja.Pos
}

func (s *renderState) setCallPos(key string, at jinja.Pos) {
	if at.Line == 0 {
		return
	}
	for _, p := range s.callPos {
		if p.key == key {
			return
		}
	}
	s.callPos = append(s.callPos, callPos{key, at})
}

func (s *renderState) addTarget(key string) int {
	for i, k := range s.targets {
		if k == key {
			return i
		}
	}
	s.targets = append(s.targets, key)
	return len(s.targets) - 1
}

// RenderOptions change how a node renders (build time vs compile time).
type RenderOptions struct {
	Incremental bool // is_incremental() returns true
	// Mocks replaces some of the node's inputs by queries (unit tests):
	// keys are "ref:<name>", "source:<source>.<table>" or "this"; values are
	// select statements, inlined as CTEs.
	Mocks map[string]string
	// Warehouse is the live warehouse at run time (nil when compiling),
	// for templates that query it; Context bounds their queries.
	Warehouse warehouse.Warehouse
	Context   context.Context

	// parse renders as dbt parses (execute is false): for a node whose
	// template needs the warehouse when there is none.
	parse bool
	// BatchStart and BatchEnd, when set, render one microbatch: ref() and
	// source() of an input with an event_time config read only the rows
	// with BatchStart <= event_time < BatchEnd, and model.batch holds the
	// window.
	BatchStart, BatchEnd time.Time
	// Values are more template variables (run-operation's arguments).
	Values map[string]any
	// Log, when set, receives what templates log() with info=True and
	// print(); otherwise they print nothing. Print, when set, receives
	// print()'s instead (--quiet silences log(), not print(), as dbt's).
	Log, Print func(msg string)
	// Flags, when set, are more of dbt's flags (WHICH, STORE_FAILURES,
	// WARN_ERROR...), over the compile's FULL_REFRESH and EMPTY: a
	// command's, for the renders it makes itself (hooks, run-operation),
	// never a compile's, whose renders are kept and served to any command.
	Flags map[string]any
}

func (o RenderOptions) batched() bool { return !o.BatchStart.IsZero() && !o.BatchEnd.IsZero() }

// batchFilter wraps an input relation so it yields only the batch's rows.
func (s *scope) batchFilter(rel Relation, eventTime string, opt RenderOptions) Relation {
	if !opt.batched() || eventTime == "" {
		return rel
	}
	lit := s.dialect.TimestampLiteral
	rel["__text"] = fmt.Sprintf("(select * from %s where %s >= %s and %s < %s)", rel["__text"], eventTime, lit(opt.BatchStart), eventTime, lit(opt.BatchEnd))
	return rel
}

// emptied is an input relation that yields no rows, with Options.Empty
// (dbt's --empty renders ref() and source() so): the query still reads
// its columns. A unit test's inputs are its mocks, left as they are.
func (s *scope) emptied(rel Relation, opt RenderOptions) Relation {
	if !s.opt.Empty || opt.Mocks != nil {
		return rel
	}
	rel["__text"] = emptiedText(fmt.Sprint(rel["__text"]))
	return rel
}

// emptiedText is a relation's text that yields no rows (emptied).
func emptiedText(text string) string { return "(select * from " + text + " where false limit 0)" }

// renderContext builds every template variable of one node's render.
func (s *scope) renderContext(st *renderState, opt RenderOptions) map[string]any {
	ctx := s.localContext(st, opt)
	for k, v := range s.sharedContext() {
		if _, ok := ctx[k]; !ok {
			ctx[k] = v
		}
	}
	return ctx
}

// localContext holds the variables that differ between renders; the rest
// are in sharedContext. A run's render takes them all at once; a compile's
// makes each when the template first looks it up (renderLocals).
func (s *scope) localContext(st *renderState, opt RenderOptions) map[string]any {
	l := s.renderLocals(st, opt)
	names := l.LocalNames()
	ctx := make(map[string]any, len(names))
	for _, name := range names { // in LocalNames' order: `this` is the first target, as it always was
		ctx[name], _ = l.value(name)
	}
	return ctx
}

// renderLocals are a render's own values, localContext's, made when a
// template first looks one up: a model's template looks up ref, config
// and a few more of the 16, a generic test's macro (its model and column
// are arguments) often none. The same name gives the same value each time.
type renderLocals struct {
	s    *scope
	st   *renderState
	opt  RenderOptions
	mu   sync.Mutex
	vals map[string]any
	in   *introspection // the render's, made with the first value that reads the warehouse
}

func (s *scope) renderLocals(st *renderState, opt RenderOptions) *renderLocals {
	return &renderLocals{s: s, st: st, opt: opt}
}

// Local is jinja.Locals' lookup.
func (l *renderLocals) Local(name string) (any, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, ok := l.vals[name]; ok {
		return v, true
	}
	v, ok := l.value(name)
	if ok && name != "model" { // (model is made at each read: its config is the render's so far)
		if l.vals == nil {
			l.vals = make(map[string]any, 4)
		}
		l.vals[name] = v
	}
	return v, ok
}

// LocalNames lists the names Local knows: the render's own, its
// RenderOptions.Values, the warehouse-reading ones.
func (l *renderLocals) LocalNames() []string {
	names := []string{"ref", "source", "config", "this", "is_incremental", "model", "builtins", "exceptions"}
	if n := l.st.node; n.Package != "" && n.Package != l.s.project.Name {
		names = append(names, "var")
	}
	if l.opt.Log != nil {
		names = append(names, "log", "print")
	}
	if l.opt.Flags != nil {
		names = append(names, "flags")
	}
	for _, k := range sortedKeys(l.opt.Values) {
		if !slices.Contains(names, k) && !slices.Contains(introspectionNames, k) {
			names = append(names, k)
		}
	}
	return append(names, introspectionNames...)
}

// value makes one local value; a name is looked up as in a map of them
// all, filled in order: the render's own, then RenderOptions.Values,
// then the warehouse-reading ones (each overriding the one before).
func (l *renderLocals) value(name string) (any, bool) {
	s, st, opt, n := l.s, l.st, l.opt, l.st.node
	if slices.Contains(introspectionNames, name) {
		if l.in == nil {
			l.in = newIntrospection(s, st, opt)
		}
		return s.introspectionValue(l.in, opt, name), true
	}
	if v, ok := opt.Values[name]; ok {
		return v, true
	}
	switch name {
	case "ref":
		return s.refFunc(st, opt), true
	case "source":
		return s.sourceFunc(st, opt), true
	case "config":
		return &configObject{s: s, st: st}, true
	case "this":
		st.mu.Lock() // no caller holds it: ref() and source() take it while the render runs
		at := st.addTarget("this")
		st.mu.Unlock()
		return s.withDatabase(Relation{"__text": placeholder(at), "name": n.Name, "identifier": n.Alias, "schema": n.Schema, "__namer": s.namer}, n.Database), true
	case "is_incremental":
		if opt.Incremental {
			return isTrue, true
		}
		return isFalse, true
	case "model":
		return s.modelValue(st, opt), true
	case "exceptions":
		return s.exceptionsValue(st), true
	case "builtins":
		// dbt's: the built-ins a project macro of the same name replaces
		// (jinja env.lookup), for that macro to call
		ref, _ := l.value("ref")
		source, _ := l.value("source")
		config, _ := l.value("config")
		return map[string]any{"ref": ref, "source": source, "config": config}, true
	case "flags":
		if opt.Flags != nil {
			flags := maps.Clone(s.sharedContext()["flags"].(map[string]any))
			maps.Copy(flags, opt.Flags)
			return flags, true
		}
	case "var":
		if n.Package != "" && n.Package != s.project.Name {
			return s.packageVarFunc(n.Package), true
		}
	case "log":
		if opt.Log != nil {
			return jinja.Func(func(args []any, kw map[string]any) (any, error) {
				info := len(args) > 1 && jinja.Truth(args[1]) || kw["info"] != nil && jinja.Truth(kw["info"])
				if len(args) > 0 && info {
					opt.Log(s.resolveNow(st, jinja.Str(args[0]))) // (a message of `this` names it)
				}
				return "", nil
			}), true
		}
	case "print":
		out := opt.Print
		if out == nil {
			out = opt.Log
		}
		if out != nil {
			return jinja.Func(func(args []any, _ map[string]any) (any, error) {
				parts := make([]string, len(args))
				for i, a := range args {
					parts[i] = jinja.Str(a)
				}
				out(s.resolveNow(st, strings.Join(parts, " ")))
				return "", nil
			}), true
		}
	}
	return nil, false
}

var (
	isTrue  = jinja.Func(func([]any, map[string]any) (any, error) { return true, nil })
	isFalse = jinja.Func(func([]any, map[string]any) (any, error) { return false, nil })
)

// DBTVersion is dbt_version in templates: the dbt whose template
// features mart's follow (unit tests of 1.8, microbatch of 1.9), so that a
// package that tests it (`dbt_version.split('.')`, `dbt_version >=
// '1.8.0'`) takes the path mart renders.
const DBTVersion = "1.9.0"

// sharedContext holds the variables that are the same for every render of
// the compilation.
func (s *scope) sharedContext() map[string]any {
	s.sharedOnce.Do(func() {
		fullRefresh := isFalse
		if s.opt.FullRefresh {
			fullRefresh = isTrue
		}
		s.shared = map[string]any{
			"var":                 renderVarFunc(s.project.Vars),
			"env_var":             renderEnvVar,
			"should_full_refresh": fullRefresh,
			"target":              s.targetValue,
			"run_started_at":      runStartedAt(s.opt.RunStartedAt),
			"invocation_id":       s.opt.InvocationID,
			"execute":             true,
			"flags":               map[string]any{"FULL_REFRESH": s.opt.FullRefresh, "EMPTY": s.opt.Empty},
			"project_name":        s.project.Name,
			"dbt_version":         DBTVersion,
			"log":                 noOutput,
			"print":               noOutput,
			"exceptions":          exceptionsValue,
			"__where": jinja.Func(func(args []any, _ map[string]any) (any, error) {
				if len(args) != 2 {
					return nil, fmt.Errorf("__where takes a relation and a condition")
				}
				return whereSubquery(jinja.Str(args[0]), jinja.Str(args[1])), nil
			}),
			"dbt":     crossDBNamespace{s},
			"adapter": s.adapterValue,
			"api":     map[string]any{"Relation": map[string]any{"create": jinja.Func(s.createRelation)}, "Column": columnAPI(s.dialect)},
			"modules": modulesValue,
		}
		// a render that finds a namespace may read any of its macros, or
		// list them: the engine records it (jinja.Engine.Misses), as a
		// lookup of every name in it (partial parsing adds a macro only
		// where no render could have seen it missing)
		spaces, pkgs := s.namespaces()
		seen := map[string]string{}
		for name, ns := range spaces {
			if _, taken := s.shared[name]; !taken {
				s.shared[name] = ns
				seen[name] = pkgs[name]
			}
		}
		s.engine.SetNamespaces(seen)
	})
	return s.shared
}

// exceptionsValue is dbt's `exceptions` namespace in one render: warn
// adds a warning at the call (printed with the compile's, an error under
// --warn-error), as dbt's warn_or_error does.
func (s *scope) exceptionsValue(st *renderState) map[string]any {
	out := maps.Clone(exceptionsValue)
	out["warn"] = jinja.FuncAt(func(at jinja.Pos, args []any, _ map[string]any) (any, error) {
		msg := ""
		if len(args) > 0 {
			// a relation in it by name, as the render sees it (not the
			// placeholder its text holds until names settle)
			msg = s.resolveNow(st, jinja.Str(args[0]))
		}
		st.mu.Lock()
		st.warnings = append(st.warnings, warnf(at.File, at.Line, at.Col, "%s", msg))
		st.mu.Unlock()
		return "", nil
	})
	return out
}

// noOutput is log() and print(): compile output stays SQL only.
var noOutput = jinja.Func(func([]any, map[string]any) (any, error) { return "", nil })

// exceptionsValue is dbt's `exceptions` namespace.
var exceptionsValue = map[string]any{
	"raise_compiler_error": jinja.Func(func(args []any, _ map[string]any) (any, error) {
		msg := "compilation error"
		if len(args) > 0 {
			msg = jinja.Str(args[0])
		}
		return nil, fmt.Errorf("%s", msg)
	}),
	"warn": noOutput,
}

// configObject is `config` in templates: config(materialized='table')
// sets keys, config.get('key', default) and config.require('key') read them.
type configObject struct {
	s  *scope
	st *renderState
}

func (o *configObject) CallAt(at jinja.Pos, args []any, kw map[string]any) (any, error) {
	return o.s.setConfig(o.st, at, args, kw)
}

func (o *configObject) Attr(name string) (any, bool) {
	st := o.st
	switch name {
	case "get":
		return jinja.Func(func(args []any, kw map[string]any) (any, error) {
			if len(args) == 0 {
				return nil, fmt.Errorf("config.get() needs a key")
			}
			st.mu.Lock()
			defer st.mu.Unlock()
			if v, ok := st.config[jinja.Str(args[0])]; ok {
				return v, nil
			}
			if len(args) > 1 {
				return args[1], nil
			}
			if d, ok := kw["default"]; ok {
				return d, nil
			}
			return nil, nil
		}), true
	case "require":
		return jinja.Func(func(args []any, kw map[string]any) (any, error) {
			if len(args) == 0 {
				return nil, fmt.Errorf("config.require() needs a key")
			}
			st.mu.Lock()
			defer st.mu.Unlock()
			if v, ok := st.config[jinja.Str(args[0])]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("config %q is required", jinja.Str(args[0]))
		}), true
	}
	return nil, false
}

// modelValue is `model`: the node as dbt's context gives it (the parsed
// node's fields, as dicts and lists), its config and tags those the render
// has set when the template reads `model` (made again at each read:
// Local), its relation's parts those `this` has.
func (s *scope) modelValue(st *renderState, opt RenderOptions) map[string]any {
	n := st.node
	m := nodeValue(n).(map[string]any)
	st.mu.Lock()
	m["config"] = maps.Clone(st.config)
	tags := toStrings(st.config["tags"])
	st.mu.Unlock()
	items := make([]any, len(tags))
	for i, x := range tags {
		items[i] = x
	}
	m["tags"] = &jinja.List{Items: items}
	m["database"] = s.databaseOf(n.Database)
	m["raw_code"], m["raw_sql"], m["language"] = n.RawCode, n.RawCode, "sql"
	if opt.batched() {
		m["batch"] = map[string]any{"event_time_start": opt.BatchStart.UTC().Format("2006-01-02 15:04:05"),
			"event_time_end": opt.BatchEnd.UTC().Format("2006-01-02 15:04:05"),
			"id":             opt.BatchStart.UTC().Format("20060102T150405")}
	}
	return m
}

func (s *scope) refFunc(st *renderState, opt RenderOptions) jinja.FuncAt {
	return func(at jinja.Pos, args []any, kw map[string]any) (any, error) {
		var r RefCall
		switch len(args) {
		case 1:
			r.Name = jinja.Str(args[0])
		case 2:
			r.Package, r.Name = jinja.Str(args[0]), jinja.Str(args[1])
		default:
			return nil, fmt.Errorf("ref() takes a model name, or a package and a model name (got %d arguments)", len(args))
		}
		// version=none is no version (dbt's own ref macro example passes
		// kwargs.get('version') on)
		if v := kw["version"]; v != nil {
			r.Version = jinja.Str(v)
		} else if v := kw["v"]; v != nil {
			r.Version = jinja.Str(v)
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		key, text := st.recordRef(r, at)
		rel := Relation{"__text": text, "name": r.Name, "identifier": r.Name, "__namer": s.namer}
		if t := s.refTarget(key); t != nil {
			rel["identifier"], rel["schema"] = t.Alias, t.Schema
			rel = s.withDatabase(rel, t.Database)
			if opt.batched() { // build time only: configs are final and no render writes them
				rel = s.batchFilter(rel, t.Config.String("event_time"), opt)
			}
		}
		return s.emptied(rel, opt), nil
	}
}

func (sc *scope) sourceFunc(st *renderState, opt RenderOptions) jinja.FuncAt {
	return func(at jinja.Pos, args []any, kw map[string]any) (any, error) {
		if len(args) != 2 {
			return nil, fmt.Errorf("source() takes a source name and a table name (got %d arguments)", len(args))
		}
		s, t := jinja.Str(args[0]), jinja.Str(args[1])
		st.mu.Lock()
		defer st.mu.Unlock()
		rel := Relation{"__text": st.recordSource(s, t, at), "name": t, "identifier": t, "__namer": sc.namer}
		if src := sc.sourceTarget(s + "." + t); src != nil {
			rel["identifier"], rel["schema"] = src.Identifier, src.Schema
			rel = sc.withDatabase(rel, src.Database)
			if opt.batched() {
				rel = sc.batchFilter(rel, src.Config.String("event_time"), opt)
			}
		}
		return sc.emptied(rel, opt), nil
	}
}

// recordRef records a ref() call (st.mu held): the ref, where it was
// first called, and the target its relation's placeholder names; it
// returns the target's key and the placeholder.
func (st *renderState) recordRef(r RefCall, at jinja.Pos) (key, text string) {
	seen := false
	for _, x := range st.refs {
		if x == r {
			seen = true
		}
	}
	key = refKey(r.Name, r.Version)
	if !seen {
		st.refs = append(st.refs, r)
		st.setCallPos("ref:"+key, at)
	}
	return key, placeholder(st.addTarget("ref:" + key))
}

// recordSource is recordRef for source(s, t): it returns the placeholder.
func (st *renderState) recordSource(s, t string, at jinja.Pos) string {
	seen := false
	for _, x := range st.sources {
		if x[0] == s && x[1] == t {
			seen = true
		}
	}
	if !seen {
		st.sources = append(st.sources, []string{s, t})
		st.setCallPos("source:"+s+"."+t, at)
	}
	return placeholder(st.addTarget("source:" + s + "." + t))
}

// setConfig is config(...): keyword arguments (or a dict) merged into the
// node's config; unknown keys are warnings at the call.
func (sc *scope) setConfig(st *renderState, at jinja.Pos, args []any, kw map[string]any) (any, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, p := range args {
		m, ok := jinja.Native(p).(map[string]any)
		if !ok {
			return "", fmt.Errorf("config() takes keyword arguments, e.g. config(materialized='table')")
		}
		mergeConfig(st.writableConfig(), m)
		for _, k := range sortedKeys(m) {
			st.warnUnknownConfig(at, k)
			st.setByConfig(normalizeConfigKey(k), at, m[k])
		}
	}
	for _, k := range sortedKeys(kw) {
		name := normalizeConfigKey(k)
		st.warnUnknownConfig(at, k)
		v := jinja.Native(kw[k])
		mergeConfig(st.writableConfig(), map[string]any{name: v})
		st.setByConfig(name, at, v)
	}
	return "", nil
}

// writableConfig is the render's config to write (st.mu held): its own
// copy of the node's, made once.
func (st *renderState) writableConfig() map[string]any {
	if st.configShared {
		conf := make(map[string]any, len(st.config)+4)
		for k, v := range st.config {
			conf[k] = v
		}
		st.config, st.configShared = conf, false
	}
	return st.config
}

// warnUnknownConfig warns, at the config() call, of a key mart does not
// know (st.mu held).
func (st *renderState) warnUnknownConfig(at jinja.Pos, k string) {
	name := normalizeConfigKey(k)
	if knownConfig[name] {
		return
	}
	msg := fmt.Sprintf("unknown config key %q", k)
	if s := didYouMean(name, knownConfigNames()); s != "" {
		msg += ": " + s
	}
	st.warnings = append(st.warnings, warnf(at.File, at.Line, at.Col, "%s", msg))
}

// configCall is where config() set a key, and what it set.
type configCall struct {
	At  jinja.Pos
	Set any
}

// setByConfig records that a config() call set key (st.mu held).
func (st *renderState) setByConfig(key string, at jinja.Pos, v any) {
	if st.configAt == nil {
		st.configAt = map[string]configCall{}
	}
	if prev, had := st.configAt[key]; had {
		v = mergedValue(key, prev.Set, v)
	}
	st.configAt[key] = configCall{At: at, Set: v}
}

// resolvePlaceholders swaps placeholders in sql for the relations they name.
func resolvePlaceholders(sql string, names []string) string {
	if !strings.Contains(sql, placeholderPrefix) {
		return sql
	}
	var b strings.Builder
	b.Grow(len(sql) + 64)
	for {
		i := strings.Index(sql, placeholderPrefix)
		if i < 0 {
			b.WriteString(sql)
			break
		}
		b.WriteString(sql[:i])
		rest := sql[i+len(placeholderPrefix):]
		j := strings.Index(rest, "__")
		if j < 0 {
			b.WriteString(sql[i:])
			break
		}
		idx, err := strconv.Atoi(rest[:j])
		if err != nil || idx >= len(names) {
			b.WriteString(sql[i : i+len(placeholderPrefix)])
			sql = rest
			continue
		}
		b.WriteString(names[idx])
		sql = rest[j+2:]
	}
	return b.String()
}
