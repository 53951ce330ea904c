package jinja

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Error is a template error located in the user's original file.
type Error struct {
	File      string
	Line, Col int
	Msg       string
	Detail    string // e.g. where a failing macro was called from
}

func (e *Error) Error() string {
	if e.File == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Rewritten is the pre-pass's output: pongo2 template text whose tags refer
// to the expressions and statements the pre-pass parsed.
type Rewritten struct {
	Text string     // pongo2 text
	Map  *SourceMap // positions in Text back to the original source
	prog *program
}

// program holds what the tags of one rewritten template refer to.
type program struct {
	src    *source
	items  []any    // exprItem, forItem, setItem, filterItem, seqItem, *Macro
	macros []*Macro // top-level macro definitions, in order
}

type (
	exprItem struct {
		off int
		x   expr
	}
	forItem struct {
		off       int
		targets   []target
		iter      expr
		cond      expr
		recursive bool // loop(items) renders the body again for items
	}
	setItem struct {
		off     int
		targets []target
		value   expr          // nil: {% set x %}...{% endset %}
		filters []*filterExpr // {% set x | f %}...{% endset %}
	}
	filterItem struct {
		off   int
		chain []*filterExpr
	}
	// withItem is {% with a = x, b = y %}: values evaluated outside
	withItem struct {
		names  []target
		values []expr
	}
	// seqItem is a run of literal text and printed values.
	seqItem struct{ parts []seqPart }
	seqPart struct {
		text string
		x    *exprItem // nil for text
	}
)

// rewriter turns Jinja text into pongo2 text plus a program.
type rewriter struct {
	src      string
	prog     *program
	pieces   []piece
	blocks   []block
	toks     []token // parseExpr's tokens, reused from one expression to the next
	lastText bool    // the previous source item was text (for {%- trimming)
	trimNext bool    // trim the next text's leading whitespace (-%})
}

// piece is one part of the output: literal text, a value to print, or a
// pongo2 tag. Runs of text and prints become one {% seq %} tag.
type piece struct {
	s      string    // text, or the tag
	off    int       // offset in the source
	isText bool      // literal text
	print  *exprItem // {{ x }} (or a raw block's text in s)
	idx    int       // tags: the item number, or -1
}

func (p piece) inline() bool { return p.isText || p.print != nil }

// block is an open block tag.
type block struct {
	name    string
	off     int
	sawElse bool
	macro   *Macro
}

// Rewrite converts dbt-flavoured Jinja into pongo2 text. Every expression
// is parsed here (with Jinja's grammar) and evaluated by mart's own tags, so
// pongo2 only sees text and {% tag N %} markers. Errors are *Error with
// the original line and column.
func Rewrite(path, src string) (*Rewritten, error) {
	buf := rewriteBufs.Get().(*rewriteBuf)
	if n := 2*strings.Count(src, "{") + 4; cap(buf.pieces) < n { // text and a tag or print for each
		buf.pieces = make([]piece, 0, n)
	}
	r := &rewriter{src: src, prog: &program{src: &source{path: path, text: src}}, pieces: buf.pieces[:0], toks: buf.toks[:0]}
	defer func() {
		clear(r.pieces[:cap(r.pieces)]) // no template's values kept alive by the pool
		clear(r.toks[:cap(r.toks)])
		buf.pieces, buf.toks = r.pieces[:0], r.toks[:0]
		rewriteBufs.Put(buf)
	}()
	if err := r.run(); err != nil {
		if je, ok := err.(*Error); ok {
			je.File = path
		}
		return nil, err
	}
	text, sm := r.serialize()
	return &Rewritten{Text: text, Map: sm, prog: r.prog}, nil
}

// rewriteBuf holds a rewriter's pieces and tokens between templates: none
// outlives its Rewrite (serialize copies what the output keeps, and the
// expression trees keep no token), and 10,000 templates rewritten in
// parallel would otherwise allocate and grow them each (28 MB on the
// 10k bench project).
type rewriteBuf struct {
	pieces []piece
	toks   []token
}

var rewriteBufs = sync.Pool{New: func() any { return new(rewriteBuf) }}

func (r *rewriter) errAt(off int, format string, args ...any) error {
	line, col := LineCol(r.src, off)
	return &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (r *rewriter) posErr(pe *posError) error {
	return r.errAt(pe.off, "%s", pe.msg)
}

func (r *rewriter) item(it any) int {
	r.prog.items = append(r.prog.items, it)
	return len(r.prog.items) - 1
}

func (r *rewriter) run() error {
	s := r.src
	i := 0
	for i < len(s) {
		j := nextOpen(s, i)
		if j < 0 {
			r.text(i, len(s))
			break
		}
		if j > i {
			r.text(i, j)
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
	if n := len(r.blocks); n > 0 {
		b := r.blocks[n-1]
		return r.errAt(b.off, "{%% %s %%} is never closed: expected {%% end%s %%}", b.name, b.name)
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

const spaceChars = " \t\r\n\f\v"

// text adds src[from:to] as literal output.
func (r *rewriter) text(from, to int) {
	s := r.src[from:to]
	if r.trimNext {
		t := strings.TrimLeft(s, spaceChars)
		from += len(s) - len(t)
		s = t
		r.trimNext = false
	}
	s = normalizeNewlines(s)
	if to == len(r.src) {
		// like Jinja, drop a single trailing newline of the template
		s = strings.TrimSuffix(s, "\n")
	}
	// text trimmed away by a -}} or -#} leaves nothing for a {{- after it
	// to trim: the text before the tag or comment stays (Jinja's lexer)
	r.lastText = s != ""
	if s != "" {
		r.pieces = append(r.pieces, piece{s: s, off: from, isText: true})
	}
}

// normalizeNewlines turns \r\n and a lone \r into \n, as Jinja's lexer
// does to the whole template.
func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// trimLeft applies a {%- or {{- to the text before it.
func (r *rewriter) trimLeft() {
	if !r.lastText {
		return
	}
	if n := len(r.pieces); n > 0 && r.pieces[n-1].isText {
		t := strings.TrimRight(r.pieces[n-1].s, spaceChars)
		if t == "" {
			r.pieces = r.pieces[:n-1]
		} else {
			r.pieces[n-1].s = t
		}
	}
}

// open is called for every tag, variable or comment before it emits.
func (r *rewriter) open(ltrim bool) {
	if ltrim {
		r.trimLeft()
	}
	r.lastText = false
	r.trimNext = false
}

func (r *rewriter) close(rtrim bool) { r.trimNext = rtrim }

func (r *rewriter) emitTag(off int, name string, idx int) {
	r.pieces = append(r.pieces, piece{s: name, off: off, idx: idx})
}

func (r *rewriter) comment(start int) (int, error) {
	end := strings.Index(r.src[start+2:], "#}")
	if end < 0 {
		return 0, r.errAt(start, "unclosed comment: expected #}")
	}
	end += start + 2
	r.open(r.src[start+2] == '-')
	r.close(end > start+2 && r.src[end-1] == '-')
	return end + 2, nil
}

// scan finds the end of a tag opened at start ("{{" or "{%") whose closing
// delimiter is closer ("}}" or "%}"), honouring strings and brackets.
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

func (r *rewriter) variable(start int) (int, error) {
	bs, be, next, lt, rt, err := r.scan(start, "}}")
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(r.src[bs:be]) == "" {
		return 0, r.errAt(start, "empty expression: expected a value between {{ and }}")
	}
	x, err := r.parseExpr(bs, be, true)
	if err != nil {
		return 0, err
	}
	r.open(lt)
	r.pieces = append(r.pieces, piece{off: start, print: &exprItem{off: x.offset(), x: x}})
	r.close(rt)
	return next, nil
}

// parseExpr parses src[from:to] as one expression (or a tuple).
func (r *rewriter) parseExpr(from, to int, withCond bool) (expr, error) {
	toks, perr := lexInto(r.toks[:0], r.src, from, to)
	if perr != nil {
		return nil, r.posErr(perr)
	}
	r.toks = toks // the tree keeps no token: the next expression may reuse them
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, r.errAt(from, "expected an expression")
	}
	x, perr := p.parseTuple(withCond)
	if perr == nil {
		perr = p.end()
	}
	if perr != nil {
		return nil, r.posErr(perr)
	}
	return x, nil
}

// maxBlocks bounds how deeply block tags may nest.
const maxBlocks = 100

// knownTags are the statements mart templates understand.
var knownTags = []string{"if", "elif", "else", "endif", "for", "endfor", "set", "endset", "do", "macro", "endmacro",
	"test", "endtest", "materialization", "endmaterialization", "raw", "endraw", "snapshot", "endsnapshot",
	"docs", "enddocs", "filter", "endfilter", "break", "continue", "call", "endcall", "with", "endwith"}

func (r *rewriter) tag(start int) (int, error) {
	bs, be, next, lt, rt, err := r.scan(start, "%}")
	if err != nil {
		return 0, err
	}
	body := r.src[bs:be]
	lead := len(body) - len(strings.TrimLeft(body, spaceChars))
	body = body[lead:]
	nameEnd := 0
	for nameEnd < len(body) && isIdent(body[nameEnd], nameEnd > 0) {
		nameEnd++
	}
	name := body[:nameEnd]
	rest := bs + lead + nameEnd
	if name == "" {
		return 0, r.errAt(start, "expected a tag name after {%%")
	}
	r.open(lt)
	if len(r.blocks) >= maxBlocks {
		return 0, r.errAt(start, "blocks nested too deeply (over %d levels)", maxBlocks)
	}
	switch name {
	case "raw":
		if strings.TrimSpace(r.src[rest:be]) != "" {
			return 0, r.errAt(rest, "{%% raw %%} takes no arguments")
		}
		return r.raw(start, next, rt)
	case "docs":
		return r.skipBlock(start, next, "docs")
	case "if":
		x, err := r.parseExpr(rest, be, false)
		if err != nil {
			return 0, err
		}
		r.blocks = append(r.blocks, block{name: "if", off: start})
		r.emitTag(start, "if", r.item(&exprItem{off: x.offset(), x: x}))
	case "elif":
		top := r.top()
		if top == nil || top.name != "if" {
			return 0, r.errAt(start, "{%% elif %%} outside of an {%% if %%} block")
		}
		if top.sawElse {
			return 0, r.errAt(start, "{%% elif %%} after {%% else %%}")
		}
		x, err := r.parseExpr(rest, be, false)
		if err != nil {
			return 0, err
		}
		r.emitTag(start, "elif", r.item(&exprItem{off: x.offset(), x: x}))
	case "else":
		top := r.top()
		if top == nil || top.name != "if" && top.name != "for" {
			return 0, r.errAt(start, "{%% else %%} outside of an {%% if %%} or {%% for %%} block")
		}
		if top.sawElse {
			return 0, r.errAt(start, "a second {%% else %%} in the same {%% %s %%} block", top.name)
		}
		if strings.TrimSpace(r.src[rest:be]) != "" {
			return 0, r.errAt(rest, "{%% else %%} takes no condition (did you mean {%% elif ... %%}?)")
		}
		top.sawElse = true
		r.emitTag(start, "else", -1)
	case "for":
		it, err := r.parseFor(start, rest, be)
		if err != nil {
			return 0, err
		}
		r.blocks = append(r.blocks, block{name: "for", off: start})
		r.emitTag(start, "for", r.item(it))
	case "set":
		it, err := r.parseSet(rest, be)
		if err != nil {
			return 0, err
		}
		tag := "set"
		if it.value == nil {
			r.blocks = append(r.blocks, block{name: "set", off: start})
			tag = "setblock" // the skeleton text must tell the two apart: it is shared by its text
		}
		r.emitTag(start, tag, r.item(it))
	case "do":
		x, err := r.parseExpr(rest, be, true)
		if err != nil {
			return 0, err
		}
		r.emitTag(start, "do", r.item(&exprItem{off: x.offset(), x: x}))
	case "macro", "test", "materialization":
		m, err := r.parseMacro(name, rest, be)
		if err != nil {
			return 0, err
		}
		m.top = len(r.blocks) == 0
		r.blocks = append(r.blocks, block{name: name, off: start, macro: m})
		r.emitTag(start, "macro", r.item(m))
	case "snapshot":
		r.blocks = append(r.blocks, block{name: "snapshot", off: start})
	case "filter":
		it, err := r.parseFilterBlock(rest, be)
		if err != nil {
			return 0, err
		}
		r.blocks = append(r.blocks, block{name: "filter", off: start})
		r.emitTag(start, "filter", r.item(it))
	case "break", "continue":
		if !r.inLoop() {
			return 0, r.errAt(start, "{%% %s %%} outside of a {%% for %%} loop", name)
		}
		if strings.TrimSpace(r.src[rest:be]) != "" {
			return 0, r.errAt(rest, "{%% %s %%} takes no arguments", name)
		}
		r.emitTag(start, name, -1)
	case "call":
		it, err := r.parseCallBlock(start, rest, be)
		if err != nil {
			return 0, err
		}
		r.blocks = append(r.blocks, block{name: "call", off: start})
		r.emitTag(start, "call", r.item(it))
	case "with":
		it, err := r.parseWith(rest, be)
		if err != nil {
			return 0, err
		}
		r.blocks = append(r.blocks, block{name: "with", off: start})
		r.emitTag(start, "with", r.item(it))
	case "include", "extends", "block", "import", "from", "autoescape", "trans":
		return 0, r.errAt(start, "{%% %s %%} is not supported in mart templates: put shared SQL in a {%% macro %%} under macros/", name)
	default:
		if strings.HasPrefix(name, "end") {
			if err := r.endTag(start, name, rest, be); err != nil {
				return 0, err
			}
			break
		}
		msg := fmt.Sprintf("unknown tag {%% %s %%}", name)
		if s := suggest(name, knownTags); s != "" {
			msg += ": " + s
		}
		return 0, r.errAt(start, "%s", msg)
	}
	r.close(rt)
	return next, nil
}

func (r *rewriter) top() *block {
	if len(r.blocks) == 0 {
		return nil
	}
	return &r.blocks[len(r.blocks)-1]
}

func (r *rewriter) inLoop() bool {
	for i := len(r.blocks) - 1; i >= 0; i-- {
		switch r.blocks[i].name {
		case "for":
			return true
		case "macro", "test", "materialization", "call": // (a call body is a function in Jinja)
			return false
		}
	}
	return false
}

func (r *rewriter) endTag(start int, name string, rest, be int) error {
	want := strings.TrimPrefix(name, "end")
	top := r.top()
	if top == nil || top.name != want {
		known := false
		for _, t := range knownTags {
			known = known || t == want
		}
		switch {
		case !known:
			msg := fmt.Sprintf("unknown tag {%% %s %%}", name)
			if s := suggest(name, knownTags); s != "" {
				msg += ": " + s
			}
			return r.errAt(start, "%s", msg)
		case top == nil:
			return r.errAt(start, "unexpected {%% %s %%}: no {%% %s %%} is open", name, want)
		}
		return r.errAt(start, "unexpected {%% %s %%}: expected {%% end%s %%} first", name, top.name)
	}
	if strings.TrimSpace(r.src[rest:be]) != "" && want != "macro" && want != "test" {
		return r.errAt(rest, "{%% %s %%} takes no arguments", name)
	}
	r.blocks = r.blocks[:len(r.blocks)-1]
	switch want {
	case "macro", "test", "materialization":
		body := r.src[top.off:start]
		top.macro.varargs = containsWord(body, "varargs")
		top.macro.kwargs = containsWord(body, "kwargs")
		r.emitTag(start, "endmacro", -1)
	case "snapshot":
		// the snapshot's body is its SQL
	default:
		r.emitTag(start, name, -1)
	}
	return nil
}

func containsWord(s, w string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], w)
		if k < 0 {
			return false
		}
		k += i
		if (k == 0 || !isIdent(s[k-1], true)) && (k+len(w) == len(s) || !isIdent(s[k+len(w)], true)) {
			return true
		}
		i = k + len(w)
	}
}

// serialize joins the pieces into pongo2 text: tags as they are, and each
// run of text and printed values as one {% seq N %} tag, so pongo2 lexes
// and walks only the template's structure.
func (r *rewriter) serialize() (string, *SourceMap) {
	sm := &SourceMap{src: r.src, anchors: make([]anchor, 0, len(r.pieces))}
	var b strings.Builder
	b.Grow(16 * len(r.pieces))
	tag := func(name string, idx int) {
		b.WriteString("{% ")
		b.WriteString(name)
		if idx >= 0 {
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(idx))
		}
		b.WriteString(" %}")
	}
	for i := 0; i < len(r.pieces); {
		p := r.pieces[i]
		if !p.inline() {
			sm.add(b.Len(), p.off)
			tag(p.s, p.idx)
			i++
			continue
		}
		seq := &seqItem{}
		for ; i < len(r.pieces) && r.pieces[i].inline(); i++ {
			q := r.pieces[i]
			if q.print != nil {
				seq.parts = append(seq.parts, seqPart{x: q.print})
			} else if q.s != "" {
				seq.parts = append(seq.parts, seqPart{text: q.s})
			}
		}
		if len(seq.parts) == 0 {
			continue
		}
		sm.add(b.Len(), p.off)
		tag("seq", r.item(seq))
	}
	sm.out = b.String()
	return sm.out, sm
}
