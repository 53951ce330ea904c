package bqfake

import "strings"

// reserved are GoogleSQL's reserved keywords: never a function name, an
// alias or a variable.
var reserved = setOf(`ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE
	CONTAINS CREATE CROSS CUBE CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE
	EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN
	INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT NULL
	NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE RESPECT RIGHT
	ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN
	WHERE WINDOW WITH WITHIN`)

// notAlias are words that may follow a table name without being its alias.
var notAlias = setOf(`VALUES SELECT OFFSET`)

// syntaxWords are the unreserved words that are keywords where a query
// can hold them; any other word that is not reserved is a name, and is
// quoted for DuckDB, so that DuckDB's own keywords (ILIKE, FILTER, ...)
// never slip through with a meaning BigQuery does not give them.
var syntaxWords = setOf(`ROW FIRST LAST OFFSET MATCHED SOURCE TARGET SETS`)

// unsupported are reserved words of GoogleSQL syntax the fake does not
// implement.
var unsupported = setOf(`COLLATE TABLESAMPLE LATERAL LOOKUP HASH PROTO NEW TREAT ASSERT_ROWS_MODIFIED DEFINE
	ENUM CONTAINS FETCH GROUPS WITHIN NATURAL EXCLUDE`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// keywords are the words with a translation of their own (clauses,
// special syntax); they run before the function-call rule.
var keywords map[string]func(w *walker)

func init() {
	keywords = map[string]func(w *walker){
		"FROM": func(w *walker) {
			w.i++
			w.emit("FROM")
			if w.lastBut(1) != "DISTINCT" { // not IS [NOT] DISTINCT FROM
				w.fromList, w.table = true, true
			}
		},
		"JOIN": func(w *walker) { w.i++; w.emit("JOIN"); w.table = true },
		"INTO": func(w *walker) { w.i++; w.emit("INTO"); w.table = true },
		"USING": func(w *walker) {
			w.i++
			w.emit("USING")
			if w.merge {
				w.table, w.merge = true, false
			}
		},
		"TABLE":     func(w *walker) { w.i++; w.emit("TABLE"); w.table = true },
		"UPDATE":    statementStart("UPDATE", ""),
		"DELETE":    statementStart("DELETE", "FROM"),
		"INSERT":    statementStart("INSERT", "INTO"),
		"MERGE":     statementStart("MERGE", "INTO"),
		"SELECT":    (*walker).selectWord,
		"EXCEPT":    (*walker).setOperator,
		"UNION":     (*walker).setOperator,
		"INTERSECT": (*walker).setOperator,
		"IN":        (*walker).in,
		"CAST":      func(w *walker) { w.cast(false) },
		"SAFE_CAST": func(w *walker) { w.cast(true) },
		"EXTRACT":   (*walker).extract,
		"INTERVAL":  (*walker).interval,
		"ARRAY":     (*walker).array,
		"STRUCT":    (*walker).structValue,
		"REPLACE":   (*walker).replaceWord,
		"UNNEST": func(w *walker) {
			w.t.fail("bqfake: UNNEST is only supported in FROM and after IN")
		},
		"CURRENT_TIMESTAMP": bareFunction("current_timestamp"),
		"CURRENT_DATE":      bareFunction("current_date"),
		"CURRENT_DATETIME":  bareFunction("CAST(current_timestamp AS TIMESTAMP)"),
		"CURRENT_TIME":      bareFunction("CAST(current_timestamp AS TIME)"),
	}
	for _, clause := range strings.Fields("WHERE GROUP HAVING QUALIFY WINDOW ORDER LIMIT ON SET WHEN VALUES") {
		keywords[clause] = func(w *walker) {
			w.i++
			w.emit(clause)
			w.fromList = false
			switch clause {
			case "WHERE", "GROUP", "HAVING":
				w.filtered = true
			case "QUALIFY":
				if !w.filtered {
					w.t.fail("QUALIFY clause must be used in conjunction with WHERE or GROUP BY or HAVING clause")
				}
			}
		}
	}
	for _, typed := range strings.Fields("DATE DATETIME TIMESTAMP TIME NUMERIC BIGNUMERIC BIGDECIMAL DECIMAL JSON RANGE IF LEFT RIGHT") {
		keywords[typed] = (*walker).typedLiteral
	}
}

// statementStart translates UPDATE, DELETE, INSERT and MERGE: at the start
// of a statement the table follows (after the optional word opt, which
// BigQuery allows to leave out); elsewhere (MERGE's WHEN clauses) they are
// plain words.
func statementStart(word, opt string) func(w *walker) {
	return func(w *walker) {
		w.i++
		w.emit(word)
		if !w.top || w.i != 1 {
			return
		}
		w.insertCols = word == "INSERT"
		w.merge = word == "MERGE"
		if opt != "" {
			if w.peek(0).is(opt) {
				w.i++
			}
			w.emit(opt)
		}
		w.table = true
	}
}

// bareFunction translates CURRENT_DATE and friends written without
// parentheses.
func bareFunction(sql string) func(w *walker) {
	return func(w *walker) {
		if w.peek(1).isGroup("(") {
			w.call()
			return
		}
		w.i++
		w.emit(sql)
	}
}

// word translates a word: a keyword, a function call, a variable, a path
// or a plain name.
func (w *walker) word() {
	n := w.ns[w.i]
	name := n.tok.text
	if strings.HasPrefix(name, "@") {
		w.pathExpr()
		return
	}
	if w.peek(1).punct(".") {
		w.pathExpr()
		return
	}
	if h := keywords[name]; h != nil {
		h(w)
		return
	}
	if unsupported[name] {
		w.t.fail("bqfake: %s is not supported", name)
		return
	}
	if w.peek(1).isGroup("(") && !reserved[name] {
		w.call()
		return
	}
	w.i++
	if v, ok := w.t.variable(name); ok && !reserved[name] {
		w.emit(v)
		return
	}
	if reserved[name] || syntaxWords[name] {
		w.emit(name)
		return
	}
	w.emit(duckIdent(w.t.spelling(n.tok)))
}

// selectWord is SELECT within a query (query handles SELECT AS STRUCT at
// its start).
func (w *walker) selectWord() {
	w.i++
	w.fromList = false
	if w.peek(0).is("AS") && (w.peek(1).is("STRUCT") || w.peek(1).is("VALUE")) {
		w.t.fail("bqfake: SELECT AS STRUCT is only supported at the start of a (sub)query")
		return
	}
	w.emit("SELECT")
}

// setOperator translates UNION, INTERSECT and EXCEPT (DISTINCT is
// DuckDB's default) and SELECT * EXCEPT (columns), DuckDB's EXCLUDE.
func (w *walker) setOperator() {
	word := w.ns[w.i].tok.text
	w.i++
	w.fromList = false
	next := w.peek(0)
	if word == "EXCEPT" && next.isGroup("(") && len(w.out) > 0 && strings.HasSuffix(w.out[len(w.out)-1], "*") {
		w.i++
		w.emit("EXCLUDE", "("+w.t.nameList(next.kids)+")")
		return
	}
	w.emit(word)
	if next.is("DISTINCT") {
		w.i++
	}
}

// replaceWord is SELECT * REPLACE (expr AS col), or the REPLACE function.
func (w *walker) replaceWord() {
	if len(w.out) > 0 && w.peek(1).isGroup("(") {
		last := w.out[len(w.out)-1]
		if strings.HasSuffix(last, "*") || strings.HasPrefix(w.lastBut(1), "EXCLUDE") {
			grp := w.peek(1)
			w.i += 2
			w.emit("REPLACE", "("+w.t.seq(grp.kids)+")")
			return
		}
	}
	if w.peek(1).isGroup("(") {
		w.call()
		return
	}
	w.i++
	w.emit(duckIdent(w.t.spelling(w.ns[w.i-1].tok)))
}

func (w *walker) lastBut(k int) string {
	if j := len(w.out) - 1 - k; j >= 0 {
		return w.out[j]
	}
	return ""
}

// in translates IN, and x IN UNNEST(array) as a subquery (an empty or
// NULL array holds nothing, as in BigQuery).
func (w *walker) in() {
	w.i++
	if w.peek(0).is("UNNEST") && w.peek(1).isGroup("(") {
		arr := w.peek(1)
		w.i += 2
		w.emit("IN", "(SELECT unnest("+w.t.seq(arr.kids)+"))")
		return
	}
	w.emit("IN")
}

// typedLiteral translates DATE 'x' and friends; followed by "(" the word
// is a function (DATE(ts), IF(c, a, b)); otherwise a name.
func (w *walker) typedLiteral() {
	n := w.ns[w.i]
	name := n.tok.text
	next := w.peek(1)
	switch {
	case next.isGroup("("):
		w.call()
		return
	case next.tok.kind == 's' && !next.group:
		w.i += 2
		lit := w.t.stringLit(next.tok)
		switch name {
		case "DATE", "TIME":
			w.emit(name + " " + lit)
		case "DATETIME":
			w.emit("CAST(" + lit + " AS TIMESTAMP)")
		case "TIMESTAMP":
			w.emit("CAST(" + lit + " AS TIMESTAMPTZ)")
		case "NUMERIC", "DECIMAL":
			w.emit("CAST(" + lit + " AS " + duckNumeric + ")")
		case "BIGNUMERIC", "BIGDECIMAL":
			w.emit("CAST(" + lit + " AS " + duckBigNumeric + ")")
		case "JSON":
			w.emit("CAST(" + lit + " AS JSON)")
		default:
			w.t.fail("bqfake: %s literals are not supported", name)
		}
		return
	}
	if name == "RANGE" || name == "IF" || name == "LEFT" || name == "RIGHT" {
		w.i++
		w.emit(name)
		return
	}
	w.i++
	if v, ok := w.t.variable(name); ok {
		w.emit(v)
		return
	}
	w.emit(duckIdent(w.t.spelling(n.tok)))
}

// readPath reads a dotted name at ns[i] (words and quoted identifiers;
// a quoted part may hold dots) and returns its parts as written, whether
// any was quoted, and the index after it.
func (t *translator) readPath(ns []node, i int) (parts []string, quoted []bool, next int) {
	for i < len(ns) && !ns[i].group && (ns[i].tok.kind == 'w' || ns[i].tok.kind == 'q') {
		if ns[i].tok.kind == 'q' {
			for _, p := range strings.Split(ns[i].tok.text, ".") {
				parts = append(parts, p)
				quoted = append(quoted, true)
			}
		} else {
			parts = append(parts, t.spelling(ns[i].tok))
			quoted = append(quoted, false)
		}
		i++
		if i+1 < len(ns) && ns[i].punct(".") && !ns[i+1].group && (ns[i+1].tok.kind == 'w' || ns[i+1].tok.kind == 'q') {
			i++
			continue
		}
		break
	}
	return parts, quoted, i
}

// pathExpr translates a name in an expression: a column or field path, a
// variable, a dotted function (SAFE.f) or t.*.
func (w *walker) pathExpr() {
	parts, quoted, next := w.t.readPath(w.ns, w.i)
	w.i = next
	full := strings.Join(parts, ".")
	if strings.HasPrefix(full, "@") {
		if v, ok := w.t.variable(strings.ToLower(full)); ok {
			w.emit(v)
			return
		}
		if strings.HasPrefix(full, "@@") {
			w.t.fail("bqfake: system variable %s is not supported", full)
		} else {
			w.t.fail("bqfake: query parameters (%s) are not supported", full)
		}
		return
	}
	if w.peek(0).isGroup("(") {
		if len(parts) == 2 && strings.EqualFold(parts[0], "SAFE") && !quoted[1] {
			grp := w.peek(0)
			w.i++
			w.emit("try(" + w.function(strings.ToUpper(parts[1]), grp) + ")")
			return
		}
		w.t.fail("bqfake: function %s is not supported", full)
		return
	}
	if len(parts) == 1 {
		if v, ok := w.t.variable(strings.ToUpper(parts[0])); ok {
			w.emit(v)
			return
		}
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = duckIdent(p)
	}
	s := strings.Join(out, ".")
	if w.peek(0).punct(".") && w.peek(1).punct("*") {
		w.i += 2
		s += ".*"
	}
	w.emit(s)
}

// nameList translates a comma-separated list of column names.
func (t *translator) nameList(ns []node) string {
	var out []string
	for _, part := range splitCommas(ns) {
		if len(part) != 1 {
			return t.fail("Syntax error: expected a column name")
		}
		out = append(out, t.ident(part[0]))
	}
	return strings.Join(out, ", ")
}
