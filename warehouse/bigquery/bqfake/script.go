package bqfake

import (
	"fmt"
	"strings"
)

// stmt is one statement of a script. Blocks (BEGIN ... [EXCEPTION WHEN
// ERROR THEN ...] END) and IF statements (branches) hold statement lists;
// everything else is "simple" text up to its semicolon.
type stmt struct {
	src        string  // the statement's text, without the semicolon
	toks       []token // its tokens, offsets relative to src
	kind       string  // simple, block, if, begin, commit, rollback, raise
	body       []*stmt
	handler    []*stmt
	hasHandler bool
	branches   []branch // IF: in order; the ELSE branch has no condition
}

// branch is one branch of an IF statement.
type branch struct {
	cond *stmt // the condition as an expression statement; nil for ELSE
	body []*stmt
}

// parseScript splits a query or script into statements.
func parseScript(src string) ([]*stmt, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	list, err := p.list(func(t token) bool { return false })
	if err != nil {
		return nil, err
	}
	if err := checkDeclares(list, true); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("Syntax error: Unexpected end of script at [1:1]")
	}
	return list, nil
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) list(stop func(token) bool) ([]*stmt, error) {
	var out []*stmt
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if stop(t) {
			return out, nil
		}
		if t.kind == 'p' && t.text == ";" {
			p.i++
			continue
		}
		if t.is("END") || t.is("EXCEPTION") {
			return nil, p.errorf(t, "Unexpected keyword %s", t.text)
		}
		st, err := p.statement()
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (p *parser) statement() (*stmt, error) {
	t := p.toks[p.i]
	if t.is("BEGIN") && !(p.i+1 < len(p.toks) && (p.toks[p.i+1].is("TRANSACTION") || p.toks[p.i+1].kind == 'p')) {
		return p.block()
	}
	if t.is("IF") {
		return p.ifStatement()
	}
	start := p.i
	depth := 0
	for ; p.i < len(p.toks); p.i++ {
		tok := p.toks[p.i]
		if tok.kind != 'p' {
			continue
		}
		switch tok.text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
			if depth < 0 {
				return nil, p.errorf(tok, "Unexpected %q", tok.text)
			}
		case ";":
			if depth > 0 {
				return nil, p.errorf(tok, "Expected \")\" but got \";\"")
			}
		}
		if tok.text == ";" {
			break
		}
	}
	if depth > 0 {
		return nil, fmt.Errorf("Syntax error: Expected \")\" but got end of script at [%s]", position(p.src, len(p.src)))
	}
	end := len(p.src)
	if p.i < len(p.toks) {
		end = p.toks[p.i].start
		p.i++ // the semicolon
	}
	st := &stmt{src: p.src[t.start:end], kind: "simple"}
	for _, tok := range p.toks[start:min(p.i, len(p.toks))] {
		if tok.start >= end {
			break
		}
		tok.start -= t.start
		tok.end -= t.start
		st.toks = append(st.toks, tok)
	}
	switch {
	case t.is("BEGIN") || t.is("START"):
		st.kind = "begin"
	case t.is("COMMIT"):
		st.kind = "commit"
	case t.is("ROLLBACK"):
		st.kind = "rollback"
	case t.is("RAISE"):
		st.kind = "raise"
	}
	return st, nil
}

func (p *parser) block() (*stmt, error) {
	begin := p.toks[p.i]
	p.i++
	st := &stmt{kind: "block"}
	var err error
	st.body, err = p.list(func(t token) bool { return t.is("EXCEPTION") || t.is("END") })
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) && p.toks[p.i].is("EXCEPTION") {
		for _, w := range []string{"EXCEPTION", "WHEN", "ERROR", "THEN"} {
			if p.i >= len(p.toks) || !p.toks[p.i].is(w) {
				return nil, p.errorf(begin, "Expected EXCEPTION WHEN ERROR THEN")
			}
			p.i++
		}
		st.hasHandler = true
		st.handler, err = p.list(func(t token) bool { return t.is("END") })
		if err != nil {
			return nil, err
		}
	}
	if p.i >= len(p.toks) || !p.toks[p.i].is("END") {
		return nil, p.errorf(begin, "BEGIN without END")
	}
	p.i++
	if p.i < len(p.toks) && p.toks[p.i].kind == 'p' && p.toks[p.i].text == ";" {
		p.i++
	}
	end := len(p.src)
	if p.i < len(p.toks) {
		end = p.toks[p.i].start
	}
	st.src = p.src[begin.start:end]
	return st, nil
}

// ifStatement parses IF cond THEN ... [ELSEIF cond THEN ...] [ELSE ...]
// END IF.
func (p *parser) ifStatement() (*stmt, error) {
	start := p.toks[p.i]
	st := &stmt{kind: "if"}
	branchEnd := func(t token) bool { return t.is("ELSEIF") || t.is("ELSE") || t.is("END") }
	for {
		p.i++ // IF or ELSEIF
		from := p.i
		for p.i < len(p.toks) && !p.toks[p.i].is("THEN") {
			p.i++
		}
		if p.i >= len(p.toks) || p.i == from {
			return nil, p.errorf(start, "IF without a condition and THEN")
		}
		cond := p.sub(from, p.i)
		p.i++
		list, err := p.list(branchEnd)
		if err != nil {
			return nil, err
		}
		st.branches = append(st.branches, branch{cond: cond, body: list})
		if p.i < len(p.toks) && p.toks[p.i].is("ELSEIF") {
			continue
		}
		break
	}
	if p.i < len(p.toks) && p.toks[p.i].is("ELSE") {
		p.i++
		list, err := p.list(func(t token) bool { return t.is("END") })
		if err != nil {
			return nil, err
		}
		st.branches = append(st.branches, branch{body: list})
	}
	if p.i+1 >= len(p.toks) || !p.toks[p.i].is("END") || !p.toks[p.i+1].is("IF") {
		return nil, p.errorf(start, "IF without END IF")
	}
	p.i += 2
	if p.i < len(p.toks) && p.toks[p.i].kind == 'p' && p.toks[p.i].text == ";" {
		p.i++
	}
	end := len(p.src)
	if p.i < len(p.toks) {
		end = p.toks[p.i].start
	}
	st.src = p.src[start.start:end]
	return st, nil
}

// sub makes a simple statement of the tokens [from, to).
func (p *parser) sub(from, to int) *stmt {
	first, last := p.toks[from], p.toks[to-1]
	st := &stmt{src: p.src[first.start:last.end], kind: "simple"}
	for _, tok := range p.toks[from:to] {
		tok.start -= first.start
		tok.end -= first.start
		st.toks = append(st.toks, tok)
	}
	return st
}

func (p *parser) errorf(t token, format string, args ...any) error {
	return fmt.Errorf("Syntax error: %s at [%s]", fmt.Sprintf(format, args...), position(p.src, t.start))
}

// checkDeclares refuses DECLARE after other statements of a script or
// block (atStart), and anywhere else (IF branches, exception handlers), as
// BigQuery does.
func checkDeclares(list []*stmt, atStart bool) error {
	for _, st := range list {
		isDeclare := st.kind == "simple" && len(st.toks) > 0 && st.toks[0].is("DECLARE")
		switch {
		case isDeclare && !atStart:
			return fmt.Errorf("Syntax error: Variable declarations are allowed only at the start of a block or script: %s", st.src)
		case !isDeclare:
			atStart = false
		}
		var err error
		switch st.kind {
		case "block":
			if err = checkDeclares(st.body, true); err == nil {
				err = checkDeclares(st.handler, false)
			}
		case "if":
			for _, b := range st.branches {
				if err == nil {
					err = checkDeclares(b.body, false)
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// flatten lists the simple statements of a script in order, blocks'
// bodies and handlers included.
func flatten(list []*stmt) []*stmt {
	var out []*stmt
	for _, st := range list {
		switch st.kind {
		case "if":
			for _, b := range st.branches {
				out = append(out, flatten(b.body)...)
			}
		case "block":
			out = append(out, flatten(st.body)...)
			out = append(out, flatten(st.handler)...)
		default:
			out = append(out, st)
		}
	}
	return out
}

// statementType is BigQuery's statistics.query.statementType of a
// single-statement job.
func statementType(list []*stmt) string {
	if len(list) != 1 || list[0].kind != "simple" || len(list[0].toks) == 0 {
		return "SCRIPT"
	}
	toks := list[0].toks
	first := toks[0].text
	switch first {
	case "SELECT", "WITH", "(":
		return "SELECT"
	case "INSERT", "MERGE", "DELETE", "UPDATE", "DECLARE", "SET":
		return first
	case "TRUNCATE":
		return "TRUNCATE_TABLE"
	case "CREATE", "DROP", "ALTER":
		kind := objectKind(toks)
		if first == "CREATE" && kind == "TABLE" && hasWord(toks, "AS") {
			return "CREATE_TABLE_AS_SELECT"
		}
		return first + "_" + kind
	}
	return strings.ToUpper(first)
}

// objectKind is the object word of a DDL statement (TABLE, VIEW, SCHEMA).
func objectKind(toks []token) string {
	for _, t := range toks[1:] {
		switch t.text {
		case "OR", "REPLACE", "TEMP", "TEMPORARY", "MATERIALIZED":
			continue
		}
		return t.text
	}
	return ""
}

func hasWord(toks []token, w string) bool {
	for _, t := range toks {
		if t.is(w) {
			return true
		}
	}
	return false
}
