package compiler

import (
	"context"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

// Templates that query the warehouse while they render (run_query,
// statement blocks, adapter.get_columns_in_relation, adapter.get_relation,
// load_relation) need a connection. A compile has none: such a node is
// rendered as dbt parses it (execute is false: run_query returns none,
// get_columns_in_relation no column, get_relation none), to learn its
// refs and configs, and is marked RunTimeRender; the runner renders it
// again with the live warehouse once its parents are built, and `mart
// compile` renders it against the warehouse.

// introspection holds one render's view of the warehouse.
type introspection struct {
	s          *scope
	ctx        context.Context
	wh         warehouse.Warehouse // nil when compiling
	st         *renderState
	statements map[string]map[string]any
}

func newIntrospection(s *scope, st *renderState, opt RenderOptions) *introspection {
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return &introspection{s: s, ctx: ctx, wh: opt.Warehouse, st: st}
}

// resolve swaps the ref() and source() placeholders in SQL the template
// runs now for the relations they name (final at run time).
func (in *introspection) resolve(sql string) string { return in.s.resolveNow(in.st, sql) }

// resolveNow swaps the ref(), source() and this placeholders in text a
// render made for the relations they name, as they are now (final at run
// time): SQL it runs, a message it logs.
func (s *scope) resolveNow(st *renderState, text string) string {
	if !strings.Contains(text, placeholderPrefix) {
		return text
	}
	st.mu.Lock()
	targets := append([]string{}, st.targets...)
	st.mu.Unlock()
	names := make([]string, len(targets))
	for i, key := range targets {
		switch {
		case key == "this":
			names[i] = st.node.Relation
		case strings.HasPrefix(key, "ref:"):
			if t := s.refTarget(strings.TrimPrefix(key, "ref:")); t != nil {
				names[i] = t.Relation
			}
		case strings.HasPrefix(key, "source:"):
			if t := s.sourceTarget(strings.TrimPrefix(key, "source:")); t != nil {
				names[i] = t.Relation
			}
		}
	}
	return resolvePlaceholders(text, names)
}

// offline records that the render wanted the warehouse and had none.
func (in *introspection) offline() bool {
	if in.wh != nil {
		return false
	}
	in.st.mu.Lock()
	in.st.needsWarehouse = true
	in.st.mu.Unlock()
	return true
}

// runQuery is run_query(sql): the rows as an agate-like Table.
func (in *introspection) runQuery(args []any, kw map[string]any) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("run_query() takes the SQL to run")
	}
	if in.offline() {
		return nil, nil
	}
	rows, err := in.wh.Query(in.ctx, in.resolve(jinja.Str(args[0])), 0)
	if err != nil {
		return nil, fmt.Errorf("run_query: %w", err)
	}
	return newTable(rows), nil
}

// statement is {% call statement(name, fetch_result=False) %}sql{% endcall %}:
// it runs the block's SQL and keeps the result for load_result(name).
func (in *introspection) statement(args []any, kw map[string]any) (any, error) {
	name := "main"
	if len(args) > 0 {
		name = jinja.Str(args[0])
	} else if v, ok := kw["name"]; ok {
		name = jinja.Str(v)
	}
	caller, _ := kw["caller"].(jinja.Func)
	if caller == nil {
		return nil, fmt.Errorf("statement() is called with a {%% call statement(...) %%} block")
	}
	if in.offline() {
		return "", nil
	}
	body, err := caller(nil, nil)
	if err != nil {
		return nil, err
	}
	sql := in.resolve(jinja.Str(body))
	result := map[string]any{"response": map[string]any{}, "data": &jinja.List{}, "table": newTable(nil)}
	if fetch, _ := kw["fetch_result"].(bool); fetch {
		rows, err := in.wh.Query(in.ctx, sql, 0)
		if err != nil {
			return nil, fmt.Errorf("statement %s: %w", name, err)
		}
		t := newTable(rows)
		data := make([]any, len(rows.Values))
		for i, r := range rows.Values {
			data[i] = &jinja.List{Items: r, Tuple: true}
		}
		result["table"], result["data"] = t, &jinja.List{Items: data}
		result["response"] = map[string]any{"rows_affected": len(rows.Values), "code": "SELECT"}
	} else {
		n, err := in.wh.Exec(in.ctx, sql)
		if err != nil {
			return nil, fmt.Errorf("statement %s: %w", name, err)
		}
		result["response"] = map[string]any{"rows_affected": n, "code": "OK"}
	}
	if in.statements == nil {
		in.statements = map[string]map[string]any{}
	}
	in.statements[name] = result
	return "", nil
}

// loadResult is load_result(name): a statement's result, or none.
func (in *introspection) loadResult(args []any, kw map[string]any) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("load_result() takes a statement's name")
	}
	if r, ok := in.statements[jinja.Str(args[0])]; ok {
		return r, nil
	}
	return nil, nil
}

// relationArg reads a relation from a template value: a ref(), source()
// or api.Relation.create() result.
func relationArg(v any) (warehouse.Relation, bool) {
	r, ok := jinja.Native(v).(map[string]any)
	if !ok {
		if rel, isRel := v.(Relation); isRel {
			r, ok = map[string]any(rel), true
		}
	}
	if !ok {
		return warehouse.Relation{}, false
	}
	name := str(r["identifier"])
	if name == "" {
		name = str(r["name"])
	}
	return warehouse.Relation{Database: str(r["database"]), Schema: str(r["schema"]), Name: name}, name != ""
}

// columnsIn is adapter.get_columns_in_relation(relation).
func (in *introspection) columnsIn(args []any, kw map[string]any) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("adapter.get_columns_in_relation() takes a relation")
	}
	rel, ok := relationArg(args[0])
	if !ok {
		return nil, fmt.Errorf("adapter.get_columns_in_relation(): %s is not a relation", jinja.Str(args[0]))
	}
	if in.offline() {
		return &jinja.List{}, nil
	}
	cols, _, err := in.wh.Describe(in.ctx, rel)
	if err != nil {
		return nil, fmt.Errorf("adapter.get_columns_in_relation(%s): %w", rel, err)
	}
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = map[string]any{"name": c.Name, "column": c.Name, "data_type": c.Type, "dtype": c.Type,
			"quoted": in.wh.QuoteIdent(c.Name)}
	}
	return &jinja.List{Items: out}, nil
}

// getRelation is adapter.get_relation(database, schema, identifier): the
// relation when it exists, else none.
func (in *introspection) getRelation(s *scope, args []any, kw map[string]any) (any, error) {
	parts := [3]string{}
	for i, k := range []string{"database", "schema", "identifier"} {
		if i < len(args) {
			parts[i] = jinja.Str(args[i])
		} else if v, ok := kw[k]; ok && v != nil {
			parts[i] = jinja.Str(v)
		}
	}
	return in.lookup(s, warehouse.Relation{Database: parts[0], Schema: parts[1], Name: parts[2]})
}

func (in *introspection) lookup(s *scope, rel warehouse.Relation) (any, error) {
	if in.offline() {
		return nil, nil
	}
	kind, err := warehouse.KindOf(in.ctx, in.wh, rel)
	if err != nil {
		return nil, fmt.Errorf("adapter.get_relation(%s): %w", rel, err)
	}
	if kind == "" {
		return nil, nil
	}
	r := s.relationValue(rel)
	r["type"] = kind
	return r, nil
}

// relationValue is a relation as templates see it (api.Relation.create).
func (s *scope) relationValue(rel warehouse.Relation) Relation {
	return Relation{"__text": s.relationName(rel.Database, rel.Schema, rel.Name), "database": rel.Database,
		"schema": rel.Schema, "identifier": rel.Name, "name": rel.Name, "__namer": s.namer}
}

// adapterObject is `adapter` in one render: the shared helpers and the
// warehouse's catalog.
func (s *scope) adapterObject(in *introspection) jinja.Object { return &adapterObject{s: s, in: in} }

// adapterObject is a render's `adapter`: the compilation's adapter
// methods, and those that read the warehouse through this render. Its
// methods are made when a template asks for one: most renders never do.
type adapterObject struct {
	s  *scope
	in *introspection
}

func (a *adapterObject) Attr(name string) (any, bool) {
	s, in := a.s, a.in
	switch name {
	case "get_columns_in_relation":
		return jinja.Func(in.columnsIn), true
	case "get_relation":
		return jinja.Func(func(args []any, kw map[string]any) (any, error) { return in.getRelation(s, args, kw) }), true
	case "already_exists":
		return jinja.Func(func(args []any, kw map[string]any) (any, error) {
			if len(args) != 2 {
				return nil, fmt.Errorf("adapter.already_exists() takes a schema and an identifier")
			}
			r, err := in.lookup(s, warehouse.Relation{Schema: jinja.Str(args[0]), Name: jinja.Str(args[1])})
			return r != nil, err
		}), true
	}
	v, ok := s.adapterValue[name]
	return v, ok
}

// introspectionNames are the warehouse-reading values of a render's
// context (introspectionValue makes each).
var introspectionNames = []string{"execute", "run_query", "graph", "statement", "load_result", "adapter", "load_relation"}

// introspectionValue makes one of introspectionNames for a render, whose
// introspection in is.
func (s *scope) introspectionValue(in *introspection, opt RenderOptions, name string) any {
	switch name {
	case "execute":
		return !opt.parse
	case "run_query":
		return jinja.Func(in.runQuery)
	case "graph":
		return &graphObject{s: s, in: in}
	case "statement":
		return jinja.Func(in.statement)
	case "load_result":
		return jinja.Func(in.loadResult)
	case "adapter":
		return s.adapterObject(in)
	case "load_relation":
		return jinja.Func(func(args []any, kw map[string]any) (any, error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("load_relation() takes a relation")
			}
			rel, ok := relationArg(args[0])
			if !ok {
				return nil, fmt.Errorf("load_relation(): %s is not a relation", jinja.Str(args[0]))
			}
			return in.lookup(s, rel)
		})
	}
	return nil
}

// createRelation is api.Relation.create(database=, schema=, identifier=).
func (s *scope) createRelation(args []any, kw map[string]any) (any, error) {
	var parts [3]string
	for i, k := range []string{"database", "schema", "identifier"} {
		if i < len(args) {
			parts[i] = jinja.Str(args[i])
		} else if v, ok := kw[k]; ok && v != nil {
			parts[i] = jinja.Str(v)
		}
	}
	if parts[2] == "" {
		return nil, fmt.Errorf("api.Relation.create() needs an identifier")
	}
	r := s.relationValue(warehouse.Relation{Database: parts[0], Schema: parts[1], Name: parts[2]})
	if t, ok := kw["type"]; ok && t != nil {
		r["type"] = jinja.Str(t)
	}
	return r, nil
}
