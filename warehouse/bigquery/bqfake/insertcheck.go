package bqfake

import "strings"

// checkInsertTypes refuses an INSERT ... SELECT whose columns BigQuery
// would not coerce to the table's column types, where DuckDB would cast
// silently (a STRING into an INT64, an INT64 into a STRING, a TIMESTAMP
// into a DATETIME). Numeric types are not compared with each other (DuckDB
// types arithmetic otherwise, e.g. NUMERIC / NUMERIC is a DOUBLE), nor are
// columns the query fills with a NULL or a literal (BigQuery coerces
// literals).
func (r *run) checkInsertTypes(st *stmt, target *table) *apiError {
	ns, err := tree(st.toks)
	if err != nil {
		return invalidQuery("%v", err)
	}
	t := r.translator(st)
	_, _, next := t.readPath(ns, skipNodes(ns, 1, "INTO"))
	query, names := ns[next:], []string(nil)
	if len(query) > 0 && query[0].isGroup("(") && !isQuery(query[0].kids) {
		for _, c := range splitCommas(query[0].kids) {
			if len(c) == 1 {
				names = append(names, t.name(c[0]))
			}
		}
		query = query[1:]
	}
	if !isQuery(query) || target == nil || !target.stored {
		return nil
	}
	cols := target.schema
	if names != nil {
		cols = nil
		for _, n := range names {
			if i := fieldIndex(target.schema, n); i >= 0 {
				cols = append(cols, target.schema[i])
			}
		}
	}
	q := t.query(query)
	if err := r.translated(t); err != nil {
		return err
	}
	src, aerr := r.duckDescribe(q)
	if aerr != nil {
		return aerr
	}
	if len(src) != len(cols) {
		return invalidQuery("Inserted row has wrong column count; Has %d, %d are expected", len(src), len(cols))
	}
	lenient := literalColumns(query)
	for i := range cols {
		if !lenient[i] && !coercible(src[i], cols[i]) {
			return invalidQuery("Query column %d has type %s which cannot be inserted into column %s, which has type %s",
				i+1, fieldTypeName(src[i]), cols[i].Name, fieldTypeName(cols[i]))
		}
	}
	return nil
}

// literalColumns are the positions of the first SELECT's list that are a
// NULL or a literal.
func literalColumns(query []node) map[int]bool {
	for len(query) == 1 && query[0].isGroup("(") {
		query = query[0].kids
	}
	out := map[int]bool{}
	sel := indexWord(query, "SELECT")
	if sel < 0 {
		return out
	}
	end := len(query)
	for _, w := range []string{"FROM", "WHERE", "GROUP", "UNION", "ORDER", "LIMIT", "HAVING", "QUALIFY"} {
		if i := indexWord(query[sel:], w); i >= 0 && sel+i < end {
			end = sel + i
		}
	}
	for i, item := range splitCommas(query[sel+1 : end]) {
		if n := len(item); n >= 2 && item[n-2].is("AS") {
			item = item[:n-2]
		}
		if len(item) == 1 && !item[0].group && (item[0].is("NULL") || item[0].tok.kind == 's' || item[0].tok.kind == 'n') {
			out[i] = true
		}
	}
	return out
}

// coercible says a value of type from may be inserted into a column of
// type to, comparing kinds of types (see checkInsertTypes).
func coercible(from, to Field) bool {
	if (from.Mode == "REPEATED") != (to.Mode == "REPEATED") {
		return false
	}
	if len(from.Fields) > 0 || len(to.Fields) > 0 {
		if len(from.Fields) != len(to.Fields) {
			return false
		}
		for i := range from.Fields {
			if !coercible(from.Fields[i], to.Fields[i]) {
				return false
			}
		}
		return true
	}
	f, t := typeKind(from.Type), typeKind(to.Type)
	return f == t || (f == "DATE" && t == "DATETIME")
}

// typeKind groups the numeric types; every other type is its own kind.
func typeKind(t string) string {
	switch t = canonicalType(t); t {
	case "INT64", "NUMERIC", "BIGNUMERIC", "FLOAT64":
		return "number"
	default:
		return strings.ToUpper(t)
	}
}
