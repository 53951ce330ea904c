package bqfake

import "strings"

// tableItem translates what a FROM, JOIN, INTO, UPDATE, MERGE or USING
// names: a table (project.dataset.table, dataset.table, or a one-part
// temporary table or WITH name), a subquery or UNNEST(array), with its
// alias.
func (w *walker) tableItem() {
	n := w.ns[w.i]
	switch {
	case n.isGroup("("):
		w.i++
		w.emit("(" + w.t.query(n.kids) + ")")
		w.alias(false)
	case n.is("UNNEST") && w.peek(1).isGroup("("):
		arr := w.peek(1)
		w.i += 2
		w.emit("unnest(" + w.t.seq(arr.kids) + ")")
		w.alias(true)
	case !n.group && (n.tok.kind == 'w' || n.tok.kind == 'q'):
		parts, _, next := w.t.readPath(w.ns, w.i)
		w.i = next
		if w.peek(0).isGroup("(") && !w.insertCols {
			w.t.fail("bqfake: table-valued function %s is not supported", strings.Join(parts, "."))
			return
		}
		w.emit(w.t.relation(parts))
		if w.insertCols {
			w.insertCols = false
			if cols := w.peek(0); cols.isGroup("(") && !isQuery(cols.kids) {
				w.i++
				w.emit("(" + w.t.nameList(cols.kids) + ")")
				return
			}
		}
		w.alias(false)
	default:
		w.t.fail("Syntax error: expected a table but got %s", describeNode(n))
	}
}

// relation maps a table name to DuckDB: project.dataset.table and
// dataset.table (in the job's project) to their schema's table, a
// one-part name (a temporary table or a WITH query) to itself.
func (t *translator) relation(parts []string) string {
	switch len(parts) {
	case 1:
		return duckIdent(parts[0])
	case 2:
		t.refs = append(t.refs, [3]string{t.project, parts[0], parts[1]})
		return duckRel(t.project, parts[0], parts[1])
	case 3:
		t.refs = append(t.refs, [3]string{parts[0], parts[1], parts[2]})
		return duckRel(parts[0], parts[1], parts[2])
	}
	return t.fail("bqfake: table name %s is not supported (INFORMATION_SCHEMA and other names of more than 3 parts)", strings.Join(parts, "."))
}

// alias translates an optional [AS] alias after a table; UNNEST's alias
// also names its column, as in BigQuery.
func (w *walker) alias(unnest bool) {
	n := w.peek(0)
	switch {
	case n.is("AS"):
		w.i++
		n = w.peek(0)
	case n.group || n.tok.kind == 0 || (n.tok.kind == 'w' && (reserved[n.tok.text] || notAlias[n.tok.text])):
		n = node{}
	case n.tok.kind != 'w' && n.tok.kind != 'q':
		n = node{}
	}
	if n.tok.kind == 0 {
		if unnest && w.peek(0).is("WITH") {
			w.t.fail("bqfake: UNNEST ... WITH OFFSET is not supported")
		}
		return
	}
	w.i++
	name := w.t.ident(n)
	if unnest {
		name += "(" + name + ")"
		if w.peek(0).is("WITH") {
			w.t.fail("bqfake: UNNEST ... WITH OFFSET is not supported")
		}
	}
	w.emit("AS", name)
}
