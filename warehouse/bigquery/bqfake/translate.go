package bqfake

import (
	"fmt"
	"strconv"
	"strings"
)

// translator turns GoogleSQL into DuckDB SQL, one statement's tokens at a
// time. It rewrites what differs (names and quoting, literals, types,
// functions, BigQuery-only clauses) and passes the rest through; what it
// does not understand is an error naming it, never a guess.
type translator struct {
	src     string // the text the tokens' offsets index
	project string // the project of dataset.table names
	// vars resolves script variables and @@system variables to SQL.
	vars func(name string) (string, bool)
	err  error
	// refs are the tables the statement names (project, dataset, table).
	refs [][3]string
}

// fail records the first error; the translation's text is then unused.
func (t *translator) fail(format string, args ...any) string {
	if t.err == nil {
		t.err = fmt.Errorf(format, args...)
	}
	return ""
}

// spelling is a token as written (words are upper-cased in text).
func (t *translator) spelling(tok token) string { return t.src[tok.start:tok.end] }

// ident renders a name token (word or quoted) as a DuckDB identifier.
func (t *translator) ident(n node) string {
	name := t.name(n)
	if t.err != nil {
		return ""
	}
	return duckIdent(name)
}

// name is a name token's text (a word as written, a quoted name
// unquoted).
func (t *translator) name(n node) string {
	if n.tok.kind == 'q' && !n.group {
		return n.tok.text
	}
	if n.tok.kind != 'w' || n.group {
		return t.fail("Syntax error: expected a name but got %s", describeNode(n))
	}
	return t.spelling(n.tok)
}

func (t *translator) variable(name string) (string, bool) {
	if t.vars == nil {
		return "", false
	}
	return t.vars(name)
}

// walker translates one level of nodes, keeping the little context the
// rewriting needs: whether a table name comes next.
type walker struct {
	t          *translator
	ns         []node
	i          int
	out        []string
	top        bool // the statement's top level: INSERT, UPDATE, ... start it
	fromList   bool // in a FROM clause, where a comma starts another table
	table      bool // a table expression comes next
	merge      bool // in a MERGE statement, whose USING names a table
	insertCols bool // after INSERT INTO t, a group is a column list
	filtered   bool // WHERE, GROUP BY or HAVING came (QUALIFY needs one)
}

// seq translates nodes at one level of an expression or query.
func (t *translator) seq(ns []node) string { return t.walk(ns, false) }

// statement translates a DML statement or query at the top level.
func (t *translator) statement(ns []node) string { return t.walk(ns, true) }

func (t *translator) walk(ns []node, top bool) string {
	w := &walker{t: t, ns: ns, top: top}
	for w.i < len(ns) && t.err == nil {
		w.step()
	}
	return joinPieces(w.out)
}

// query translates a query: SELECT AS STRUCT becomes a select of the row
// as a struct, SELECT AS VALUE a plain select.
func (t *translator) query(ns []node) string {
	if len(ns) >= 3 && ns[0].is("SELECT") && ns[1].is("AS") && (ns[2].is("STRUCT") || ns[2].is("VALUE")) {
		inner := append([]node{ns[0]}, ns[3:]...)
		if ns[2].is("VALUE") {
			return t.seq(inner)
		}
		return "SELECT bqfake_row FROM (" + t.seq(inner) + ") AS bqfake_row"
	}
	return t.statement(ns)
}

func (w *walker) emit(s ...string) { w.out = append(w.out, s...) }

// peek returns the node k places ahead, or a zero node.
func (w *walker) peek(k int) node {
	if j := w.i + k; j < len(w.ns) {
		return w.ns[j]
	}
	return node{tok: token{kind: 0}}
}

func (w *walker) step() {
	n := w.ns[w.i]
	if w.table {
		w.table = false
		w.tableItem()
		return
	}
	switch {
	case n.group:
		w.i++
		w.emit(w.groupExpr(n))
	case n.tok.kind == 's':
		w.i++
		w.emit(w.t.stringLit(n.tok))
	case n.tok.kind == 'n':
		w.i++
		w.emit(w.t.number(n.tok))
	case n.tok.kind == 'q':
		w.pathExpr()
	case n.tok.kind == 'p':
		w.i++
		w.punct(n.tok)
	default:
		w.word()
	}
}

func (w *walker) punct(tok token) {
	switch tok.text {
	case ",":
		if w.fromList {
			w.table = true
		}
	case "^", "?", ";", "{", "}", "%", "$", "!", ":":
		w.t.fail("bqfake: the %q operator is not supported", tok.text)
		return
	}
	w.emit(tok.text)
}

// groupExpr translates a parenthesized expression or subquery, an array
// literal or a subscript.
func (w *walker) groupExpr(n node) string {
	if n.isGroup("[") {
		if w.prevIsValue() {
			return w.subscript(n)
		}
		return "[" + w.t.seq(n.kids) + "]"
	}
	if isQuery(n.kids) {
		return "(" + w.t.query(n.kids) + ")"
	}
	return "(" + w.t.seq(n.kids) + ")"
}

// isQuery says nodes are a query (possibly parenthesized).
func isQuery(ns []node) bool {
	if len(ns) == 0 {
		return false
	}
	if ns[0].isGroup("(") {
		return isQuery(ns[0].kids)
	}
	return ns[0].is("SELECT") || ns[0].is("WITH")
}

// prevIsValue says the last piece ends a value, so that "[" subscripts it.
func (w *walker) prevIsValue() bool {
	if len(w.out) == 0 {
		return false
	}
	last := w.out[len(w.out)-1]
	if reserved[strings.ToUpper(last)] {
		return false
	}
	c := last[len(last)-1]
	return c == ')' || c == ']' || c == '"' || c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// subscript translates arr[OFFSET(i)] (0-based), arr[ORDINAL(i)]
// (1-based), arr[i] and struct or JSON field access: DuckDB lists are
// 1-based and give NULL out of range (BigQuery's SAFE_ semantics).
func (w *walker) subscript(n node) string {
	var s string
	k := n.kids
	switch {
	case len(k) == 2 && k[1].isGroup("(") && (k[0].is("OFFSET") || k[0].is("SAFE_OFFSET")):
		s = "[(" + w.t.seq(k[1].kids) + ") + 1]"
	case len(k) == 2 && k[1].isGroup("(") && (k[0].is("ORDINAL") || k[0].is("SAFE_ORDINAL")):
		s = "[" + w.t.seq(k[1].kids) + "]"
	case len(k) == 1 && k[0].tok.kind == 's':
		s = "[" + w.t.stringLit(k[0].tok) + "]"
	default:
		s = "[(" + w.t.seq(k) + ") + 1]"
	}
	w.out[len(w.out)-1] += s
	return ""
}

// stringLit renders a string or bytes literal.
func (t *translator) stringLit(tok token) string {
	if !tok.bytes {
		return duckString(tok.text)
	}
	var b strings.Builder
	for i := 0; i < len(tok.text); i++ {
		fmt.Fprintf(&b, `\x%02X`, tok.text[i])
	}
	return "CAST('" + b.String() + "' AS BLOB)"
}

// number renders a numeric literal: integers are INT64, and a literal with
// a point or an exponent is FLOAT64 (DuckDB would make it a DECIMAL).
func (t *translator) number(tok token) string {
	s := tok.text
	if strings.HasPrefix(strings.ToLower(s), "0x") {
		v, err := strconv.ParseInt(s[2:], 16, 64)
		if err != nil {
			return t.fail("Syntax error: bad hex literal %s", s)
		}
		return strconv.FormatInt(v, 10)
	}
	if strings.ContainsAny(s, ".eE") {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return t.fail("Syntax error: bad number %s", s)
		}
		return "CAST(" + s + " AS DOUBLE)"
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return t.fail("Syntax error: bad number %s", s)
	}
	return s
}

// joinPieces joins translated pieces with spaces, except around dots and
// before commas.
func joinPieces(ps []string) string {
	var b strings.Builder
	for i, p := range ps {
		if p == "" {
			continue
		}
		if i > 0 && b.Len() > 0 && p != "," && p != "." && !strings.HasSuffix(b.String(), ".") {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

func describeNode(n node) string {
	if n.group {
		return "a parenthesized group"
	}
	if n.tok.kind == 0 {
		return "the end of the statement"
	}
	return strconv.Quote(n.tok.text)
}
