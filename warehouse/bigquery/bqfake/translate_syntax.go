package bqfake

import (
	"fmt"
	"strconv"
	"strings"
)

// cast translates CAST and SAFE_CAST (TRY_CAST). A cast to STRING formats
// numbers as BigQuery does.
func (w *walker) cast(safe bool) {
	grp := w.peek(1)
	if !grp.isGroup("(") {
		w.t.fail("Syntax error: expected ( after CAST")
		return
	}
	w.i += 2
	as := -1
	for i, n := range grp.kids {
		if n.is("AS") {
			as = i
		}
	}
	if as < 0 {
		w.t.fail("Syntax error: CAST needs AS and a type")
		return
	}
	if f := indexWord(grp.kids[as:], "FORMAT"); f >= 0 {
		w.t.fail("bqfake: CAST ... FORMAT is not supported")
		return
	}
	expr := w.t.seq(grp.kids[:as])
	typ, rest := w.t.parseType(grp.kids, as+1)
	if rest != len(grp.kids) && w.t.err == nil {
		w.t.fail("Syntax error: unexpected %s in CAST", describeNode(grp.kids[rest]))
		return
	}
	if typ.Name == "STRING" {
		s := "bqfake_string(" + expr + ")"
		if safe {
			s = "try(" + s + ")"
		}
		w.emit(s)
		return
	}
	duck, err := typ.duck()
	if err != nil {
		w.t.fail("%v", err)
		return
	}
	op := "CAST"
	if safe {
		op = "TRY_CAST"
	}
	w.emit(op + "(" + expr + " AS " + duck + ")")
}

// parseType reads a type at ns[i]: NAME[(params)], ARRAY<T> or
// STRUCT<[name] T, ...>, and returns the index after it.
func (t *translator) parseType(ns []node, i int) (bqType, int) {
	if i >= len(ns) || ns[i].group || ns[i].tok.kind != 'w' {
		t.fail("Syntax error: expected a type")
		return bqType{}, i
	}
	typ := bqType{Name: ns[i].tok.text}
	i++
	switch typ.Name {
	case "ARRAY":
		i = t.expect(ns, i, "<")
		elem, next := t.parseType(ns, i)
		typ.Elem = &elem
		return typ, t.expect(ns, next, ">")
	case "STRUCT":
		i = t.expect(ns, i, "<")
		for t.err == nil && i < len(ns) && !ns[i].punct(">") {
			var f bqField
			if i+1 < len(ns) && !ns[i].group && (ns[i].tok.kind == 'q' || ns[i].tok.kind == 'w') &&
				!ns[i+1].punct(",") && !ns[i+1].punct(">") && !ns[i+1].punct("<") && !ns[i+1].isGroup("(") {
				f.Name = ns[i].tok.text
				if ns[i].tok.kind == 'w' {
					f.Name = t.spelling(ns[i].tok)
				}
				i++
			}
			f.Type, i = t.parseType(ns, i)
			typ.Fields = append(typ.Fields, f)
			if i < len(ns) && ns[i].punct(",") {
				i++
			}
		}
		return typ, t.expect(ns, i, ">")
	}
	if i < len(ns) && ns[i].isGroup("(") {
		for _, p := range splitCommas(ns[i].kids) {
			n, err := strconv.Atoi(strings.TrimSpace(t.seq(p)))
			if err != nil {
				t.fail("Syntax error: type parameters of %s must be integers", typ.Name)
			}
			typ.Params = append(typ.Params, n)
		}
		i++
	}
	if _, err := typ.duck(); err != nil {
		t.fail("%v", err)
	}
	return typ, i
}

func (t *translator) expect(ns []node, i int, p string) int {
	if i >= len(ns) || !ns[i].punct(p) {
		t.fail("Syntax error: expected %q", p)
		return i
	}
	return i + 1
}

// extract translates EXTRACT(part FROM value), BigQuery's parts.
func (w *walker) extract() {
	grp := w.peek(1)
	w.i += 2
	from := indexWord(grp.kids, "FROM")
	if !grp.isGroup("(") || from != 1 {
		w.t.fail("Syntax error: expected EXTRACT(part FROM value)")
		return
	}
	if indexWord(grp.kids, "AT") >= 0 {
		w.t.fail("bqfake: EXTRACT ... AT TIME ZONE is not supported")
		return
	}
	v := w.t.seq(grp.kids[2:])
	var out string
	switch p := grp.kids[0].tok.text; p {
	case "YEAR", "QUARTER", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "DAYOFYEAR", "ISOYEAR":
		out = "extract(" + strings.ToLower(p) + " FROM " + v + ")"
	case "DAYOFWEEK": // 1 is Sunday in BigQuery, 0 in DuckDB
		out = "(extract(dayofweek FROM " + v + ") + 1)"
	case "ISOWEEK":
		out = "extract(week FROM " + v + ")"
	case "WEEK": // weeks starting on Sunday, 0 before the first
		out = "CAST(strftime(" + v + ", '%U') AS BIGINT)"
	case "MILLISECOND": // DuckDB's include the seconds
		out = "(extract(millisecond FROM " + v + ") % 1000)"
	case "MICROSECOND":
		out = "(extract(microsecond FROM " + v + ") % 1000000)"
	case "DATE":
		out = "CAST(" + v + " AS DATE)"
	case "TIME":
		out = "CAST(" + v + " AS TIME)"
	case "DATETIME":
		out = "CAST(" + v + " AS TIMESTAMP)"
	default:
		w.t.fail("bqfake: EXTRACT(%s ...) is not supported", p)
		return
	}
	w.emit(out)
}

// intervalParts are the units of INTERVAL n unit.
var intervalParts = setOf("YEAR QUARTER MONTH WEEK DAY HOUR MINUTE SECOND MILLISECOND MICROSECOND")

// interval translates INTERVAL expr part.
func (w *walker) interval() {
	w.i++
	start := w.i
	for w.i < len(w.ns) && !(w.ns[w.i].tok.kind == 'w' && !w.ns[w.i].group && intervalParts[w.ns[w.i].tok.text]) {
		w.i++
	}
	if w.i >= len(w.ns) || w.i == start {
		w.t.fail("Syntax error: expected INTERVAL value and date part")
		return
	}
	expr := w.ns[start:w.i]
	part := w.ns[w.i].tok.text
	w.i++
	if w.peek(0).is("TO") {
		w.t.fail("bqfake: INTERVAL ... TO ... is not supported")
		return
	}
	if len(expr) == 1 && expr[0].tok.kind == 's' && !expr[0].group {
		w.emit("INTERVAL " + w.t.stringLit(expr[0].tok) + " " + part)
		return
	}
	w.emit("INTERVAL (" + w.t.seq(expr) + ") " + part)
}

// array translates ARRAY(subquery), ARRAY[...] and ARRAY<T>[...].
func (w *walker) array() {
	next := w.peek(1)
	switch {
	case next.isGroup("("):
		w.i += 2
		w.emit("ARRAY(" + w.t.query(next.kids) + ")")
	case next.isGroup("["):
		w.i += 2
		w.emit("[" + w.t.seq(next.kids) + "]")
	case next.punct("<"):
		typ, i := w.t.parseType(w.ns, w.i)
		if i >= len(w.ns) || !w.ns[i].isGroup("[") {
			w.t.fail("Syntax error: expected [ after %s", "ARRAY<...>")
			return
		}
		duck, err := typ.duck()
		if err != nil {
			w.t.fail("%v", err)
			return
		}
		w.emit("CAST([" + w.t.seq(w.ns[i].kids) + "] AS " + duck + ")")
		w.i = i + 1
	default:
		w.t.fail("Syntax error: unexpected ARRAY")
	}
}

// structValue translates STRUCT(a, b AS name) and STRUCT<...>(...) to
// struct_pack, with BigQuery's field names: the alias, or the name of a
// column path.
func (w *walker) structValue() {
	var typ *bqType
	i := w.i + 1
	if i < len(w.ns) && w.ns[i].punct("<") {
		tp, next := w.t.parseType(w.ns, w.i)
		typ, i = &tp, next
	}
	if i >= len(w.ns) || !w.ns[i].isGroup("(") {
		w.t.fail("Syntax error: expected ( after STRUCT")
		return
	}
	grp := w.ns[i]
	w.i = i + 1
	args := splitCommas(grp.kids)
	if typ != nil && len(typ.Fields) != len(args) {
		w.t.fail("STRUCT type has %d fields but %d values", len(typ.Fields), len(args))
		return
	}
	seen := map[string]int{}
	fields := make([]string, len(args))
	for k, a := range args {
		name := ""
		if n := len(a); n >= 2 && a[n-2].is("AS") {
			name = w.t.name(a[n-1])
			a = a[:n-2]
		} else if parts, _, next := w.t.readPath(a, 0); next == len(a) && len(parts) > 0 {
			name = parts[len(parts)-1]
		}
		v := w.t.seq(a)
		if typ != nil {
			name = typ.Fields[k].Name
			duck, err := typ.Fields[k].Type.duck()
			if err != nil {
				w.t.fail("%v", err)
				return
			}
			v = "CAST(" + v + " AS " + duck + ")"
		}
		if name == "" {
			name = fmt.Sprintf("_field_%d", k+1)
		}
		if seen[strings.ToLower(name)]++; seen[strings.ToLower(name)] > 1 {
			name = fmt.Sprintf("%s_%d", name, seen[strings.ToLower(name)])
		}
		fields[k] = duckIdent(name) + " := " + v
	}
	w.emit("struct_pack(" + strings.Join(fields, ", ") + ")")
}
