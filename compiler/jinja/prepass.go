package jinja

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is a template error located in the user's original file.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.File == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// rewriter turns Jinja text into pongo2 text.
type rewriter struct {
	src    string
	out    strings.Builder
	sm     *SourceMap
	macros func(string) bool
	blocks []string // open block tags, to map for/else to for/empty
}

// Rewrite converts dbt-flavoured Jinja into pongo2 text. isMacro reports
// whether a name is a project macro: calls to it are routed through the
// shared macro table. The SourceMap converts positions in the result back to
// positions in src.
func Rewrite(src string, isMacro func(string) bool) (string, *SourceMap, error) {
	if isMacro == nil {
		isMacro = func(string) bool { return false }
	}
	r := &rewriter{src: src, sm: &SourceMap{src: src}, macros: isMacro}
	r.out.Grow(len(src) + len(src)/8)
	if err := r.run(); err != nil {
		return "", nil, err
	}
	r.sm.out = r.out.String()
	return r.sm.out, r.sm, nil
}

func (r *rewriter) errAt(off int, format string, args ...any) error {
	line, col := LineCol(r.src, off)
	return &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (r *rewriter) emit(s string, in int) {
	r.sm.add(r.out.Len(), in)
	r.out.WriteString(s)
}

func (r *rewriter) run() error {
	s := r.src
	i := 0
	for i < len(s) {
		j := nextOpen(s, i)
		if j < 0 {
			r.emit(s[i:], i)
			break
		}
		if j > i {
			r.emit(s[i:j], i)
		}
		var err error
		switch s[j+1] {
		case '#':
			i, err = r.comment(j)
		case '{':
			i, err = r.variable(j)
		default:
			i, err = r.tag(j)
		}
		if err != nil {
			return err
		}
	}
	if len(r.blocks) > 0 {
		return r.errAt(len(s), "unexpected end of template: {%% %s %%} is never closed (expected {%% end%s %%})", r.blocks[len(r.blocks)-1], r.blocks[len(r.blocks)-1])
	}
	return nil
}

// nextOpen finds the next "{{", "{%" or "{#" at or after i.
func nextOpen(s string, i int) int {
	for {
		k := strings.IndexByte(s[i:], '{')
		if k < 0 || i+k+1 >= len(s) {
			return -1
		}
		i += k
		switch s[i+1] {
		case '{', '%', '#':
			return i
		}
		i++
	}
}

func (r *rewriter) comment(start int) (int, error) {
	end := strings.Index(r.src[start+2:], "#}")
	if end < 0 {
		return 0, r.errAt(start, "unclosed comment: expected #}")
	}
	end += start + 2
	if r.src[start+2] == '-' {
		r.emit(`{{- "" }}`, start)
	}
	if end > start+2 && r.src[end-1] == '-' {
		r.emit(`{{ "" -}}`, end)
	}
	return end + 2, nil
}

// scan finds the end of a tag opened at start ("{{" or "{%") whose closing
// delimiter is closer ("}}" or "%}"), honouring strings and nested braces.
func (r *rewriter) scan(start int, closer string) (bs, be, next int, ltrim, rtrim bool, err error) {
	s := r.src
	bs = start + 2
	if bs < len(s) && (s[bs] == '-' || s[bs] == '+') {
		ltrim = s[bs] == '-'
		bs++
	}
	depth := 0
	var quote byte
	for i := bs; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '{', '[', '(':
			depth++
		case ']', ')':
			depth--
		case '}':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth <= 0 && strings.HasPrefix(s[i:], closer) {
			be = i
			if be > bs && s[be-1] == '-' {
				rtrim = true
				be--
			} else if be > bs && s[be-1] == '+' {
				be--
			}
			return bs, be, i + 2, ltrim, rtrim, nil
		}
	}
	if quote != 0 {
		return 0, 0, 0, false, false, r.errAt(start, "unterminated string inside %s ... %s", s[start:start+2], closer)
	}
	return 0, 0, 0, false, false, r.errAt(start, "unclosed %s: expected %s", s[start:start+2], closer)
}

func trims(lt, rt bool, open, closer string) (string, string) {
	if lt {
		open += "-"
	}
	if rt {
		closer = "-" + closer
	}
	return open, closer
}

func (r *rewriter) variable(start int) (int, error) {
	bs, be, next, lt, rt, err := r.scan(start, "}}")
	if err != nil {
		return 0, err
	}
	open, closer := trims(lt, rt, "{{", "}}")
	if strings.TrimSpace(r.src[bs:be]) == "" {
		return 0, r.errAt(start, "empty expression: expected a value between {{ and }}")
	}
	r.emit(open+" ", start)
	if err := r.expr(bs, be, false); err != nil {
		return 0, err
	}
	r.emit(" "+closer, be)
	return next, nil
}

// blockTags open a block that an end tag closes.
var blockTags = map[string]bool{"if": true, "for": true, "macro": true, "test": true, "set": true,
	"snapshot": true, "materialization": true, "docs": true, "call": true, "filter": true}

func (r *rewriter) tag(start int) (int, error) {
	bs, be, next, lt, rt, err := r.scan(start, "%}")
	if err != nil {
		return 0, err
	}
	body := r.src[bs:be]
	lead := len(body) - len(strings.TrimLeft(body, " \t\r\n"))
	body = strings.TrimLeft(body, " \t\r\n")
	nameEnd := 0
	for nameEnd < len(body) && isIdent(body[nameEnd], nameEnd > 0) {
		nameEnd++
	}
	name := body[:nameEnd]
	restOff := bs + lead + nameEnd
	open, closer := trims(lt, rt, "{%", "%}")
	if name == "" {
		return 0, r.errAt(start, "expected a tag name after {%%")
	}
	if strings.HasPrefix(name, "end") {
		return next, r.endTag(start, name, open, closer, restOff, be)
	}
	switch name {
	case "raw":
		return r.raw(next, lt, rt)
	case "if", "elif", "do":
		if name == "if" {
			r.blocks = append(r.blocks, "if")
		} else if name == "elif" && r.top() != "if" {
			return 0, r.errAt(start, "{%% elif %%} outside of an {%% if %%} block")
		}
		r.emit(open+" "+name+" ", start)
		if err := r.expr(restOff, be, false); err != nil {
			return 0, err
		}
	case "else":
		if r.top() == "for" {
			name = "empty"
		}
		r.emit(open+" "+name+" ", start)
	case "for":
		r.blocks = append(r.blocks, "for")
		in := findKeyword(r.src[restOff:be], "in")
		if in < 0 {
			return 0, r.errAt(restOff, "expected 'in' in for loop: {%% for x in items %%}")
		}
		r.emit(open+" for "+strings.TrimSpace(r.src[restOff:restOff+in])+" in ", start)
		exprStart := restOff + in + 2
		exprEnd := be
		if k := findKeyword(r.src[exprStart:be], "if"); k >= 0 {
			return 0, r.errAt(exprStart+k, "loop filtering ({%% for x in xs if cond %%}) is not supported: put an {%% if %%} inside the loop")
		}
		if err := r.expr(exprStart, exprEnd, false); err != nil {
			return 0, err
		}
	case "set":
		eq := strings.IndexByte(r.src[restOff:be], '=')
		if eq < 0 {
			r.blocks = append(r.blocks, "set")
			r.emit(open+" set "+strings.TrimSpace(r.src[restOff:be]), start)
			break
		}
		r.emit(open+" set "+strings.TrimSpace(r.src[restOff:restOff+eq])+" = ", start)
		if err := r.expr(restOff+eq+1, be, false); err != nil {
			return 0, err
		}
	case "macro", "test", "materialization":
		r.blocks = append(r.blocks, name)
		prefix := ""
		if name == "test" {
			prefix = "test_"
		}
		r.emit(open+" macro "+prefix, start)
		if err := r.expr(restOff, be, true); err != nil {
			return 0, err
		}
	case "snapshot":
		r.blocks = append(r.blocks, "snapshot")
		r.emit(open+" snapshotblock "+strings.TrimSpace(r.src[restOff:be]), start)
	case "call", "filter", "include", "extends", "block", "import", "from":
		return 0, r.errAt(start, "{%% %s %%} is not supported in mart templates", name)
	default:
		r.emit(open+" "+name+" ", start)
		if err := r.expr(restOff, be, false); err != nil {
			return 0, err
		}
	}
	r.emit(" "+closer, be)
	return next, nil
}

func (r *rewriter) top() string {
	if len(r.blocks) == 0 {
		return ""
	}
	return r.blocks[len(r.blocks)-1]
}

func (r *rewriter) endTag(start int, name, open, closer string, restOff, be int) error {
	want := strings.TrimPrefix(name, "end")
	if r.top() != want {
		if r.top() == "" {
			return r.errAt(start, "unexpected {%% %s %%}: no {%% %s %%} is open", name, want)
		}
		return r.errAt(start, "unexpected {%% %s %%}: expected {%% end%s %%} first", name, r.top())
	}
	r.blocks = r.blocks[:len(r.blocks)-1]
	switch want {
	case "test", "materialization":
		name = "endmacro"
	case "snapshot":
		name = "endsnapshotblock"
	}
	r.emit(open+" "+name+" "+closer, start)
	return nil
}

// raw copies everything up to {% endraw %} as literal text.
func (r *rewriter) raw(from int, lt, rt bool) (int, error) {
	s := r.src
	i := from
	for {
		j := strings.Index(s[i:], "{%")
		if j < 0 {
			return 0, r.errAt(from, "{%% raw %%} is never closed: expected {%% endraw %%}")
		}
		j += i
		k := j + 2
		for k < len(s) && (s[k] == '-' || s[k] == ' ') {
			k++
		}
		if strings.HasPrefix(s[k:], "endraw") {
			end := strings.Index(s[k:], "%}")
			if end < 0 {
				return 0, r.errAt(j, "unclosed {%%: expected %%}")
			}
			r.literal(from, j)
			return k + end + 2, nil
		}
		i = j + 2
	}
}

// literal emits src[from:to] so that pongo2 prints it verbatim.
func (r *rewriter) literal(from, to int) {
	lines := strings.SplitAfter(r.src[from:to], "\n")
	off := from
	for _, ln := range lines {
		text := strings.TrimSuffix(ln, "\n")
		if text != "" {
			r.emit("{{ "+quoteString(text)+" }}", off)
		}
		if len(text) < len(ln) {
			r.emit("\n", off+len(text))
		}
		off += len(ln)
	}
}

func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// findKeyword finds a standalone keyword outside strings and brackets.
func findKeyword(s, kw string) int {
	var quote byte
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
		if depth == 0 && strings.HasPrefix(s[i:], kw) && (i == 0 || !isIdent(s[i-1], true)) &&
			(i+len(kw) == len(s) || !isIdent(s[i+len(kw)], true)) {
			return i
		}
	}
	return -1
}

func isIdent(c byte, notFirst bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || notFirst && c >= '0' && c <= '9'
}

var _ = strconv.Quote
