package compiler

import (
	"embed"
	"fmt"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

//go:embed builtin/*.sql
var builtinFS embed.FS

// crossDBParam is one parameter of a cross-database macro, as dbt's global
// project declares it: a name and, when it is optional, its default (a
// value of the template; crossDBDefault marks the dialect's own).
type crossDBParam struct {
	name     string
	optional bool
	def      any
}

// crossDBDefault marks a default the dialect gives (array_construct's
// data_type: api.Column.translate_type('integer')).
type crossDBDefault struct{ translate string }

func xdbReq(name string) crossDBParam { return crossDBParam{name: name} }
func xdbOpt(name string, def any) crossDBParam {
	return crossDBParam{name: name, optional: true, def: def}
}
func xdbParams(ps ...crossDBParam) []crossDBParam { return ps }

// crossDBParams are the parameters of each cross-database macro, those of
// dbt's global project (macros/utils): dbt.<name>(...) and <name>(...)
// take them positionally or by keyword. A list parameter (concat's fields,
// array_construct's inputs) reaches the dialect as its items.
var crossDBParams = map[string][]crossDBParam{
	"date_trunc":           xdbParams(xdbReq("datepart"), xdbReq("date")),
	"dateadd":              xdbParams(xdbReq("datepart"), xdbReq("interval"), xdbReq("from_date_or_timestamp")),
	"datediff":             xdbParams(xdbReq("first_date"), xdbReq("second_date"), xdbReq("datepart")),
	"safe_cast":            xdbParams(xdbReq("field"), xdbReq("type")),
	"cast":                 xdbParams(xdbReq("field"), xdbReq("type")),
	"hash":                 xdbParams(xdbReq("field")),
	"concat":               xdbParams(xdbReq("fields")),
	"split_part":           xdbParams(xdbReq("string_text"), xdbReq("delimiter_text"), xdbReq("part_number")),
	"last_day":             xdbParams(xdbReq("date"), xdbReq("datepart")),
	"listagg":              xdbParams(xdbReq("measure"), xdbOpt("delimiter_text", "','"), xdbOpt("order_by_clause", nil), xdbOpt("limit_num", nil)),
	"bool_or":              xdbParams(xdbReq("expression")),
	"any_value":            xdbParams(xdbReq("expression")),
	"json_extract_scalar":  xdbParams(xdbReq("json_column"), xdbReq("path")),
	"current_timestamp":    nil,
	"type_string":          nil,
	"type_int":             nil,
	"type_bigint":          nil,
	"type_numeric":         nil,
	"type_float":           nil,
	"type_timestamp":       nil,
	"type_boolean":         nil,
	"escape_single_quotes": xdbParams(xdbReq("expression")),
	"string_literal":       xdbParams(xdbReq("value")),
	"position":             xdbParams(xdbReq("substring_text"), xdbReq("string_text")),
	"length":               xdbParams(xdbReq("expression")),
	"replace":              xdbParams(xdbReq("field"), xdbReq("old_chars"), xdbReq("new_chars")),
	"right":                xdbParams(xdbReq("string_text"), xdbReq("length_expression")),
	"cast_bool_to_text":    xdbParams(xdbReq("field")),
	"array_construct":      xdbParams(xdbOpt("inputs", []any{}), xdbOpt("data_type", crossDBDefault{"integer"})),
	"array_append":         xdbParams(xdbReq("array"), xdbReq("new_element")),
	"array_concat":         xdbParams(xdbReq("array_1"), xdbReq("array_2")),
	"date":                 xdbParams(xdbReq("year"), xdbReq("month"), xdbReq("day")),
	"generate_series":      xdbParams(xdbReq("upper_bound")),
	"equals":               xdbParams(xdbReq("expr1"), xdbReq("expr2")),
	"except":               nil,
	"intersect":            nil,
}

// crossDBFuncs returns the cross-database macros as template functions.
func crossDBFuncs(d warehouse.Dialect) map[string]any {
	out := map[string]any{}
	for name, ps := range crossDBParams {
		out[name] = jinja.Func(func(args []any, kw map[string]any) (any, error) {
			vals, err := bindCrossDB(name, ps, args, kw)
			if err != nil {
				return nil, err
			}
			strs, err := crossDBArgs(d, name, ps, vals)
			if err != nil {
				return nil, err
			}
			return d.CrossDB(name, strs)
		})
	}
	out["get_powers_of_two"] = jinja.Func(func(args []any, kw map[string]any) (any, error) {
		vals, err := bindCrossDB("get_powers_of_two", xdbParams(xdbReq("upper_bound")), args, kw)
		if err != nil {
			return nil, err
		}
		n, ok := jinja.Native(vals[0]).(int)
		if !ok {
			if f, isFloat := jinja.Native(vals[0]).(float64); isFloat {
				n, ok = int(f), float64(int(f)) == f
			}
		}
		if !ok {
			return nil, fmt.Errorf("get_powers_of_two() takes a number, got %s", jinja.Str(vals[0]))
		}
		return powersOfTwo(n)
	})
	out["__quote_literal"] = jinja.Func(func(args []any, _ map[string]any) (any, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("__quote_literal takes one value")
		}
		switch v := args[0].(type) {
		case float64:
			if _, nonFinite := warehouse.NonFinite(v); !nonFinite { // a .nan or .inf is quoted, as dbt quotes every value: 'inf'
				return jinja.Str(v), nil
			}
		case int, bool:
			return jinja.Str(v), nil
		}
		return d.QuoteString(jinja.Str(args[0])), nil
	})
	return out
}

// powersOfTwo is dbt's get_powers_of_two(upper_bound): the least n with
// upper_bound <= 2**n (at least 1), which generate_series cross joins.
func powersOfTwo(upper int) (int, error) {
	if upper <= 0 {
		return 0, fmt.Errorf("get_powers_of_two(): upper bound must be positive")
	}
	for n := 1; n < 100; n++ {
		if upper <= 1<<min(n, 62) {
			return n, nil
		}
	}
	return 99, nil
}

// bindCrossDB matches a call's arguments to the macro's parameters, as a
// dbt macro call does: positional first, then by keyword, then defaults.
func bindCrossDB(name string, ps []crossDBParam, args []any, kw map[string]any) ([]any, error) {
	if len(args) > len(ps) {
		return nil, fmt.Errorf("%s() takes %d arguments, got %d", name, len(ps), len(args))
	}
	vals := make([]any, len(ps))
	set := make([]bool, len(ps))
	for i, a := range args {
		vals[i], set[i] = a, true
	}
	for k, v := range kw {
		i := paramIndex(ps, k)
		if i < 0 {
			return nil, fmt.Errorf("%s() has no argument %s", name, k)
		}
		if set[i] {
			return nil, fmt.Errorf("%s() got two values for %s", name, k)
		}
		vals[i], set[i] = v, true
	}
	for i, p := range ps {
		if set[i] {
			continue
		}
		if !p.optional {
			return nil, fmt.Errorf("%s() needs its argument %s", name, p.name)
		}
		vals[i] = p.def
	}
	return vals, nil
}

func paramIndex(ps []crossDBParam, name string) int {
	for i, p := range ps {
		if p.name == name {
			return i
		}
	}
	return -1
}

// crossDBArgs turns bound values into the dialect's SQL arguments: each
// value as its text, none as "" (an optional clause left out), a list
// parameter as its items (concat, array_construct: the items come last,
// after array_construct's data_type).
func crossDBArgs(d warehouse.Dialect, name string, ps []crossDBParam, vals []any) ([]string, error) {
	var out, items []string
	for i, v := range vals {
		if def, ok := v.(crossDBDefault); ok {
			t, err := d.CrossDB("translate_type", []string{def.translate})
			if err != nil {
				return nil, err
			}
			out = append(out, t)
			continue
		}
		if ps[i].name == "fields" || ps[i].name == "inputs" {
			list, ok := listItems(v)
			if !ok {
				return nil, fmt.Errorf("%s() takes a list of SQL expressions as %s, got %s", name, ps[i].name, jinja.Str(v))
			}
			for _, x := range list {
				items = append(items, jinja.Str(x))
			}
			continue
		}
		if v == nil {
			out = append(out, "")
			continue
		}
		if _, undefined := v.(jinja.Undefined); undefined {
			out = append(out, "")
			continue
		}
		out = append(out, jinja.Str(v))
	}
	return append(out, items...), nil
}

// crossDBNamespace is `dbt` in templates: the cross-database macros, each
// found as dbt's global macro finds its implementation
// (adapter.dispatch(name, 'dbt')): a project's <adapter>__name or
// default__name first (the root project's, or the packages a dispatch:
// config lists for dbt), else mart's.
type crossDBNamespace struct{ s *scope }

func (n crossDBNamespace) Attr(name string) (any, bool) {
	f, ok := n.s.crossdb[name]
	_, known := crossDBParams[name]
	if jinjaMacro := crossDBJinja[name]; jinjaMacro {
		known = true
	} else if !ok {
		return nil, false
	}
	if known || name == "get_powers_of_two" {
		if m := n.s.crossDBOverride(name); m != nil {
			return m, true
		}
	}
	if !ok { // mart's own, in compiler/builtin
		if m := n.s.engine.Macro("default__" + name); m != nil && m.Builtin() {
			return m, true
		}
		return nil, false
	}
	return f, true
}

// crossDBJinja are the macros of dbt's namespace that mart writes in
// Jinja (compiler/builtin/date_spine.sql: they query the warehouse),
// each as default__<name>.
var crossDBJinja = map[string]bool{"date_spine": true, "get_intervals_between": true}

// crossDBOverride is a project's or package's implementation of one of
// dbt's cross-database macros, searched as adapter.dispatch(name, 'dbt')
// searches before it reaches dbt's own, or nil.
func (s *scope) crossDBOverride(name string) *jinja.Macro {
	adapterName := s.dialect.Name()
	for _, pkg := range s.dispatchOrder("dbt") {
		if pkg == "dbt" {
			continue
		}
		key := pkg
		if pkg == s.project.Name {
			key = ""
		}
		for _, candidate := range []string{adapterName + "__" + name, "default__" + name} {
			if m := s.engine.MacroIn(key, candidate); m != nil && !m.Builtin() {
				s.engine.NoteFound(key, candidate)
				return m
			}
		}
	}
	return nil
}

// columnAPI is api.Column in templates: translate_type and numeric_type,
// as dbt's adapters give them (dbt's default__type_int is
// api.Column.translate_type("integer")).
func columnAPI(d warehouse.Dialect) map[string]any {
	return map[string]any{
		"translate_type": jinja.Func(func(args []any, kw map[string]any) (any, error) {
			vals, err := bindCrossDB("translate_type", xdbParams(xdbReq("dtype")), args, kw)
			if err != nil {
				return nil, err
			}
			return d.CrossDB("translate_type", []string{jinja.Str(vals[0])})
		}),
		"numeric_type": jinja.Func(func(args []any, kw map[string]any) (any, error) {
			vals, err := bindCrossDB("numeric_type", xdbParams(xdbReq("dtype"), xdbReq("precision"), xdbReq("scale")), args, kw)
			if err != nil {
				return nil, err
			}
			if vals[1] == nil || vals[2] == nil {
				return jinja.Str(vals[0]), nil
			}
			return fmt.Sprintf("%s(%s,%s)", jinja.Str(vals[0]), jinja.Str(vals[1]), jinja.Str(vals[2])), nil
		}),
	}
}

// listItems are a list value's items.
func listItems(v any) ([]any, bool) {
	switch t := v.(type) {
	case *jinja.List:
		return t.Items, true
	case []any:
		return t, true
	}
	return nil, false
}
