package bqfake

import (
	"strconv"
	"strings"
)

// Script variables live in DuckDB's variables of the job's connection
// (SET VARIABLE, getvariable), so that values of any type (arrays of
// structs included) never pass through Go.

// variable resolves a name used in an expression: a declared variable or
// a system variable.
func (r *run) variable(name string) (string, bool) {
	lower := strings.ToLower(name)
	switch lower {
	case "@@row_count":
		if r.rowCount == nil {
			return "CAST(NULL AS BIGINT)", true
		}
		return strconv.FormatInt(*r.rowCount, 10), true
	case "@@error.message":
		if r.caught == nil {
			return "", false
		}
		return duckString(r.caught.Message), true
	case "@@project_id":
		return duckString(r.project), true
	case "@@location":
		return duckString(r.location), true
	}
	if _, ok := r.vars[lower]; ok {
		return "getvariable(" + duckString(lower) + ")", true
	}
	return "", false
}

// declare is DECLARE name[, ...] [type] [DEFAULT expr].
func (r *run) declare(st *stmt) *apiError {
	ns, err := tree(st.toks)
	if err != nil {
		return invalidQuery("%v", err)
	}
	t := r.translator(st)
	var names []string
	i := 1
	for i < len(ns) {
		names = append(names, strings.ToLower(t.name(ns[i])))
		i++
		if i < len(ns) && ns[i].punct(",") {
			i++
			continue
		}
		break
	}
	var typ *bqType
	if i < len(ns) && !ns[i].is("DEFAULT") {
		tp, next := t.parseType(ns, i)
		typ, i = &tp, next
	}
	value := "NULL"
	if i < len(ns) && ns[i].is("DEFAULT") {
		value = t.seq(ns[i+1:])
		i = len(ns)
	}
	if err := r.translated(t); err != nil {
		return err
	}
	if i != len(ns) || len(names) == 0 || (typ == nil && value == "NULL") {
		return invalidQuery("Syntax error: expected DECLARE name [type] [DEFAULT value]")
	}
	for _, name := range names {
		if _, ok := r.vars[name]; ok {
			return invalidQuery("Variable %s is already declared", name)
		}
		r.vars[name] = typ
		if err := r.assign(name, value); err != nil {
			return err
		}
	}
	return nil
}

// set is SET name = expr or SET (name, ...) = expr (a STRUCT whose fields
// go to the names in order).
func (r *run) set(st *stmt) *apiError {
	ns, err := tree(st.toks)
	if err != nil {
		return invalidQuery("%v", err)
	}
	if len(ns) < 4 || !ns[2].punct("=") {
		return invalidQuery("Syntax error: expected SET name = value")
	}
	t := r.translator(st)
	value := t.seq(ns[3:])
	var names []string
	if ns[1].isGroup("(") {
		for _, part := range splitCommas(ns[1].kids) {
			if len(part) == 1 {
				names = append(names, strings.ToLower(t.name(part[0])))
			}
		}
	} else {
		names = []string{strings.ToLower(t.name(ns[1]))}
	}
	if err := r.translated(t); err != nil {
		return err
	}
	for _, n := range names {
		if _, ok := r.vars[n]; !ok {
			return invalidQuery("Unrecognized variable name: %s", n)
		}
	}
	if r.dryRun {
		return nil
	}
	if !ns[1].isGroup("(") {
		return r.assign(names[0], value)
	}
	if _, err := r.duckExec("SET VARIABLE bqfake_tuple = (" + value + ")"); err != nil {
		return err
	}
	for i, n := range names {
		if err := r.assign(n, "struct_extract_at(getvariable('bqfake_tuple'), "+strconv.Itoa(i+1)+")"); err != nil {
			return err
		}
	}
	return nil
}

// assign sets a declared variable to a value, coerced to its type.
func (r *run) assign(name, value string) *apiError {
	if r.dryRun {
		return nil
	}
	if typ := r.vars[name]; typ != nil {
		duck, err := typ.duck()
		if err != nil {
			return invalidQuery("%v", err)
		}
		value = "CAST((" + value + ") AS " + duck + ")"
	}
	_, err := r.duckExec("SET VARIABLE " + duckIdent(name) + " = " + value)
	return err
}
