package bqfake

import "strings"

// createSQL translates the rest of a CREATE TABLE or VIEW statement after
// its name (ns[after:]) and prepends head ("CREATE OR REPLACE TABLE
// rel"): a column list, and AS query. PARTITION BY, CLUSTER BY and
// OPTIONS are the catalog's business and are left out.
//
// A table with both a column list and AS query (an enforced contract's)
// is two DuckDB statements, which DuckDB has no single form for: the
// table, then INSERT of the query's rows; fill is the second ("" else).
func (t *translator) createSQL(ns []node, after int, head string, view bool) (create, fill string) {
	var b strings.Builder
	b.WriteString(head)
	i := after
	columns := false
	if i < len(ns) && ns[i].isGroup("(") {
		if view {
			b.WriteString(" (" + t.nameList(ns[i].kids) + ")")
		} else {
			b.WriteString(" (" + t.columnDefs(ns[i].kids) + ")")
			columns = true
		}
		i++
	}
	for ; i < len(ns); i++ {
		switch {
		case ns[i].is("AS"):
			q := ns[i+1:]
			paren := len(q) == 1 && q[0].isGroup("(")
			if paren {
				q = q[0].kids
			}
			if columns {
				rel := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(head, "CREATE OR REPLACE TABLE "), "CREATE TABLE "))
				return b.String(), "INSERT INTO " + rel + " SELECT * FROM (" + t.query(q) + ")"
			}
			if paren {
				b.WriteString(" AS (" + t.query(q) + ")")
			} else {
				b.WriteString(" AS " + t.query(q))
			}
			return b.String(), ""
		case ns[i].is("COPY") || ns[i].is("CLONE") || ns[i].is("LIKE"):
			return t.fail("bqfake: CREATE TABLE ... %s is not supported", ns[i].tok.text), ""
		}
	}
	if view {
		return t.fail("Syntax error: CREATE VIEW needs AS and a query"), ""
	}
	return b.String(), ""
}

// createQuery returns the query of a CREATE ... AS (ns[after:]), or nil.
func createQuery(ns []node, after int) []node {
	for i := after; i < len(ns); i++ {
		if ns[i].is("AS") {
			q := ns[i+1:]
			if len(q) == 1 && q[0].isGroup("(") {
				return q[0].kids
			}
			return q
		}
	}
	return nil
}

// columnDefs translates a CREATE TABLE column list: name type [NOT NULL]
// [DEFAULT expr] [OPTIONS(...)].
func (t *translator) columnDefs(ns []node) string {
	var out []string
	for _, col := range splitCommas(ns) {
		if len(col) < 2 {
			return t.fail("Syntax error: expected a column name and type")
		}
		if col[0].is("PRIMARY") || col[0].is("FOREIGN") || col[0].is("CONSTRAINT") {
			if hasNotEnforced(col) {
				continue // metadata only in BigQuery
			}
			return t.fail("Syntax error: BigQuery's primary and foreign keys are declared NOT ENFORCED")
		}
		typ, i := t.parseType(col, 1)
		duck, err := typ.duck()
		if err != nil {
			return t.fail("%v", err)
		}
		def := t.ident(col[0]) + " " + duck
		for i < len(col) && t.err == nil {
			switch {
			case col[i].is("NOT") && i+1 < len(col) && col[i+1].is("NULL"):
				def += " NOT NULL"
				i += 2
			case col[i].is("OPTIONS") && i+1 < len(col) && col[i+1].isGroup("("):
				i += 2
			case col[i].is("DEFAULT"):
				end := i + 1
				for end < len(col) && !col[end].is("OPTIONS") && !col[end].is("NOT") {
					end++
				}
				def += " DEFAULT " + t.seq(col[i+1:end])
				i = end
			default:
				return t.fail("bqfake: column option %s is not supported", describeNode(col[i]))
			}
		}
		out = append(out, def)
	}
	return strings.Join(out, ", ")
}

// hasNotEnforced says a constraint is declared NOT ENFORCED.
func hasNotEnforced(ns []node) bool {
	for i := 0; i+1 < len(ns); i++ {
		if ns[i].is("NOT") && ns[i+1].is("ENFORCED") {
			return true
		}
	}
	return false
}
