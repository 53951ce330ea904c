// Package blockyaml parses the plain block YAML that properties files are
// written in (models:, columns:, data_tests: lists of one-line values) into
// the same yaml.Node tree gopkg.in/yaml.v3 builds, several times faster.
//
// It is a fast path, not a YAML parser: it accepts block mappings and
// sequences (also a sequence at its key's indentation), one-line plain,
// single- and double-quoted scalars, empty values, comments, and one-line
// flow collections as values and items: flow sequences and flow mappings
// (`[unique, not_null]`, `{to: ref('a'), field: id}`, `{}`) of scalars and
// of flow collections nested on the same line, whose mapping keys are
// plain or quoted strings, with or without a value (`{a}`, `{a: }` hold a
// null). On anything else (block scalars, anchors, aliases, tags,
// multi-line scalars or flow collections, trailing commas, "?" keys, keys
// that are not strings, "<<", a comment right after a flow collection's
// end, documents markers, tabs, CR, invalid UTF-8, quoted block keys, odd
// indentation) Parse says no and the caller parses the text with yaml.v3,
// which also gives the error messages. Where Parse says yes, its tree
// equals yaml.v3's (kinds, tags, styles, values, lines and columns;
// comments are not kept): the tests and the fuzz target compare the two.
package blockyaml

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// line is one line of the input with content: not blank, not only a comment.
type line struct {
	text   string // the whole line, without its newline
	num    int    // 1-based line number
	indent int    // bytes of leading spaces; moved right inside "- " items
	ascii  bool
}

type parser struct {
	lines []line
	i     int
	ok    bool
	depth int // containers being parsed
	// stack holds the children of the containers being parsed; each gets
	// a slice of its exact size when it ends
	stack []*yaml.Node
	// nodes and ptrs are slabs the nodes and their Content slices are cut
	// from: a properties file is thousands of small nodes, allocated a few
	// at a time instead of one by one
	nodes []yaml.Node
	ptrs  []*yaml.Node
}

// slab is how many nodes (and Content pointers) a slab holds.
const slab = 128

// children moves the children a container pushed since base into its
// Content.
func (p *parser) children(n *yaml.Node, base int) {
	if len(p.stack) > base {
		k := len(p.stack) - base
		if k > len(p.ptrs) {
			p.ptrs = make([]*yaml.Node, max(slab, k))
		}
		n.Content = p.ptrs[:k:k]
		p.ptrs = p.ptrs[k:]
		copy(n.Content, p.stack[base:])
		clear(p.stack[base:])
		p.stack = p.stack[:base]
	}
}

// node returns a new node with the given fields.
func (p *parser) node(kind yaml.Kind, tag, value string, l *line, off int) *yaml.Node {
	if len(p.nodes) == 0 {
		p.nodes = make([]yaml.Node, slab)
	}
	n := &p.nodes[0]
	p.nodes = p.nodes[1:]
	// field by field: the slab's node is zero, and a whole-struct copy
	// would take the bulk write barrier while a collection runs
	n.Kind, n.Tag, n.Value, n.Line, n.Column = kind, tag, value, l.num, col(l, off)
	return n
}

// Parse returns the root node of the document in data (a mapping), or
// nil and true for an empty document, or false when data is outside the
// subset this package parses.
func Parse(data []byte) (root *yaml.Node, ok bool) {
	if !printable(data) {
		return nil, false
	}
	p := &parser{ok: true, lines: make([]line, 0, bytes.Count(data, []byte{'\n'})+1)}
	src := string(data)
	num := 0
	for len(src) > 0 {
		num++
		var text string
		if j := strings.IndexByte(src, '\n'); j >= 0 {
			text, src = src[:j], src[j+1:]
		} else {
			text, src = src, ""
		}
		ind := 0
		for ind < len(text) && text[ind] == ' ' {
			ind++
		}
		if ind == len(text) || text[ind] == '#' {
			continue
		}
		if ind == 0 && (strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...") || text[0] == '%') {
			return nil, false
		}
		p.lines = append(p.lines, line{text: text, num: num, indent: ind, ascii: isASCII(text)})
	}
	if len(p.lines) == 0 {
		return nil, true
	}
	if p.lines[0].indent != 0 || isSeqItem(p.cur()) {
		return nil, false
	}
	root = p.mapping(0)
	if !p.ok || p.i != len(p.lines) {
		return nil, false
	}
	return root, true
}

// printable reports whether data is valid UTF-8 of characters that YAML
// allows and this package reads as yaml.v3 does: no tab, CR, BOM or other
// control character, no NEL or Unicode line separator (YAML breaks lines
// there).
func printable(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && w == 1, r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff,
			r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff:
			return false
		}
		i += w
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (p *parser) cur() *line { return &p.lines[p.i] }

func (p *parser) fail() *yaml.Node {
	p.ok = false
	return nil
}

// col is the 1-based column, in characters as yaml.v3 counts them, of
// byte off of l.
func col(l *line, off int) int {
	if l.ascii {
		return off + 1
	}
	return utf8.RuneCountInString(l.text[:off]) + 1
}

// isSeqItem reports whether the line's content is a "- " item.
func isSeqItem(l *line) bool {
	t := l.text[l.indent:]
	return t[0] == '-' && (len(t) == 1 || t[1] == ' ')
}

// block parses the node that starts at the current line, whose content
// starts at byte ind.
func (p *parser) block(ind int) *yaml.Node {
	if isSeqItem(p.cur()) {
		return p.sequence(ind)
	}
	return p.mapping(ind)
}

// maxDepth bounds nesting. yaml.v3 refuses documents nested more than
// 10,000 levels deep; properties files nest a handful.
const maxDepth = 1000

// enter counts a level of nesting, and fails past maxDepth.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.ok = false
	}
	return p.ok
}

// mapping parses a block mapping whose keys start at byte ind.
func (p *parser) mapping(ind int) *yaml.Node {
	defer func() { p.depth-- }()
	if !p.enter() {
		return nil
	}
	first := p.cur()
	n := p.node(yaml.MappingNode, "!!map", "", first, ind)
	base := len(p.stack)
	for p.ok && p.i < len(p.lines) {
		l := p.cur()
		if l.indent < ind {
			break
		}
		if l.indent > ind || isSeqItem(l) {
			return p.fail()
		}
		t := l.text[ind:]
		k := keyEnd(t)
		if k <= 0 {
			return p.fail()
		}
		key := p.node(yaml.ScalarNode, "", t[:k], l, ind)
		key.Tag = key.ShortTag()
		if key.Tag != "!!str" || key.Value == "<<" {
			// yaml.v3 decodes a key like 1 or true into a string map
			// by its text, but keep such files on the safe path
			return p.fail()
		}
		rest := ind + k + 1
		for rest < len(l.text) && l.text[rest] == ' ' {
			rest++
		}
		var v *yaml.Node
		if rest == len(l.text) || l.text[rest] == '#' {
			v = p.nested(l, ind+k+1, ind, true)
		} else {
			v = p.inline(l, rest)
			p.i++
			if v != nil && p.i < len(p.lines) && p.cur().indent > ind {
				return p.fail() // a multi-line scalar or a stray line
			}
		}
		if !p.ok || v == nil {
			return p.fail()
		}
		p.stack = append(p.stack, key, v)
	}
	p.children(n, base)
	return n
}

// nested parses the value of a key or item at byte ind of line l, whose
// indicator (":" or "-") ends at byte after and nothing follows it on the
// line: a block on the following lines, or an empty (null) value.
func (p *parser) nested(l *line, after, ind int, inMapping bool) *yaml.Node {
	p.i++
	if p.i < len(p.lines) {
		next := p.cur()
		if next.indent > ind {
			return p.block(next.indent)
		}
		if inMapping && next.indent == ind && isSeqItem(next) {
			return p.sequence(ind)
		}
	}
	// yaml.v3 puts an empty value right after its indicator
	return p.node(yaml.ScalarNode, "!!null", "", l, after)
}

// sequence parses a block sequence whose "-" are at byte ind.
func (p *parser) sequence(ind int) *yaml.Node {
	defer func() { p.depth-- }()
	if !p.enter() {
		return nil
	}
	first := p.cur()
	base := len(p.stack)
	n := p.node(yaml.SequenceNode, "!!seq", "", first, ind)
	for p.ok && p.i < len(p.lines) {
		l := p.cur()
		if l.indent < ind || l.indent == ind && !isSeqItem(l) {
			break
		}
		if l.indent > ind {
			return p.fail()
		}
		c := ind + 1
		for c < len(l.text) && l.text[c] == ' ' {
			c++
		}
		var v *yaml.Node
		switch {
		case c == len(l.text) || l.text[c] == '#':
			v = p.nested(l, ind+1, ind, false)
		case isKeyLine(l.text[c:]) || l.text[c] == '-' && (c+1 == len(l.text) || l.text[c+1] == ' '):
			// "- key: value" or "- - item": a block that starts inside
			// this line, at column c
			l.indent = c
			v = p.block(c)
		default:
			v = p.inline(l, c)
			p.i++
			if v != nil && p.i < len(p.lines) && p.cur().indent > ind {
				return p.fail()
			}
		}
		if !p.ok || v == nil {
			return p.fail()
		}
		p.stack = append(p.stack, v)
	}
	p.children(n, base)
	return n
}

// keyEnd returns the length of the plain key at the start of t, which must
// be followed by ":" and a space or the end of the line, or -1.
func keyEnd(t string) int {
	if t == "" || !plainStart(t, false) {
		return -1
	}
	for i := 0; i < len(t) && i < 1000; i++ { // YAML: implicit keys are under 1024 characters
		switch t[i] {
		case ':':
			if i+1 == len(t) || t[i+1] == ' ' {
				if t[i-1] == ' ' {
					return -1 // "key :"
				}
				return i
			}
		case '#':
			if t[i-1] == ' ' {
				return -1
			}
		}
	}
	return -1
}

// isKeyLine reports whether t starts with "key:" followed by a space or
// the end of the line.
func isKeyLine(t string) bool { return keyEnd(t) > 0 }

// plainStart reports whether a plain scalar may start t (in flow context
// when flow is set).
func plainStart(t string, flow bool) bool {
	switch t[0] {
	case '?', ':':
		return false // allowed before a non-space, but rare: yaml.v3 decides
	case '-':
		if len(t) == 1 || t[1] == ' ' {
			return false
		}
		if flow && (t[1] == ',' || t[1] == '[' || t[1] == ']' || t[1] == '{' || t[1] == '}') {
			return false
		}
		return true
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// inline parses a value that starts at byte off of l and must end on it.
func (p *parser) inline(l *line, off int) *yaml.Node {
	t := l.text[off:]
	var n *yaml.Node
	var end int
	switch t[0] {
	case '"', '\'':
		if n, end = p.quoted(l, off); n == nil {
			return nil
		}
	case '[', '{':
		if n, end = p.flow(l, off); n == nil {
			return nil
		}
	default:
		if !plainStart(t, false) {
			return nil
		}
		end = len(t)
		for i := 1; i < len(t); i++ {
			if t[i] == '#' && t[i-1] == ' ' {
				end = i - 1 // the space before the comment
				break
			}
			if t[i] == ':' && (i+1 == len(t) || t[i+1] == ' ') {
				return nil // "a: b: c"
			}
		}
		if n = p.plain(l, off, strings.TrimRight(t[:end], " ")); n == nil {
			return nil
		}
	}
	// after the value: spaces, then a comment or the end of the line
	rest := t[end:]
	trimmed := strings.TrimLeft(rest, " ")
	if trimmed != "" && (trimmed[0] != '#' || len(trimmed) == len(rest)) {
		return nil
	}
	return n
}

// quoted parses the single- or double-quoted scalar at byte off of l, which
// must end on the line, and returns it with the length of its text, or nil.
func (p *parser) quoted(l *line, off int) (*yaml.Node, int) {
	t := l.text[off:]
	var v string
	var end int
	var ok bool
	style := yaml.SingleQuotedStyle
	if t[0] == '"' {
		v, end, ok = doubleQuoted(t)
		style = yaml.DoubleQuotedStyle
	} else {
		v, end, ok = singleQuoted(t)
	}
	if !ok {
		return nil, 0
	}
	n := p.node(yaml.ScalarNode, "!!str", v, l, off)
	n.Style = style
	return n, end
}

// plain makes the plain scalar v at byte off of l, tagged as yaml.v3 tags
// it, or nil for "<<", which yaml.v3 tags !!merge.
func (p *parser) plain(l *line, off int, v string) *yaml.Node {
	if v == "<<" {
		return nil
	}
	n := p.node(yaml.ScalarNode, "", v, l, off)
	n.Tag = n.ShortTag()
	return n
}

// flow parses the one-line flow sequence or mapping ('[' or '{') at byte
// off of l and returns it with the length of its text. Its entries are
// scalars and flow collections; a mapping's keys are plain or quoted
// strings, and a key without a value (`{a}`, `{a: }`) gets a null at the
// "," or "}" after it, as yaml.v3 places it.
func (p *parser) flow(l *line, off int) (*yaml.Node, int) {
	defer func() { p.depth-- }()
	if !p.enter() {
		return nil, 0
	}
	t := l.text
	var n *yaml.Node
	var end byte
	mapping := t[off] == '{'
	if mapping {
		n = p.node(yaml.MappingNode, "!!map", "", l, off)
		end = '}'
	} else {
		n = p.node(yaml.SequenceNode, "!!seq", "", l, off)
		end = ']'
	}
	n.Style = yaml.FlowStyle
	base := len(p.stack)
	i := skipSpaces(t, off+1)
	if i < len(t) && t[i] == end {
		return n, i + 1 - off
	}
	for {
		start := i
		item, j := p.flowItem(l, i)
		if item == nil {
			return nil, 0
		}
		i = skipSpaces(t, j)
		if mapping {
			if item.Kind != yaml.ScalarNode || item.Tag != "!!str" || item.Value == "<<" || i-start >= 1000 {
				// keys as in block mappings; and YAML's implicit keys
				// are under 1024 characters
				return nil, 0
			}
			var v *yaml.Node
			if i < len(t) && t[i] == ':' {
				// in flow context a ':' that starts a token is the value
				// indicator; after a plain key it is followed by a space
				i = skipSpaces(t, i+1)
				if i < len(t) && t[i] != ',' && t[i] != end {
					if v, j = p.flowItem(l, i); v == nil {
						return nil, 0
					}
					i = skipSpaces(t, j)
				}
			}
			if v == nil {
				v = p.node(yaml.ScalarNode, "!!null", "", l, i)
			}
			p.stack = append(p.stack, item, v)
		} else {
			p.stack = append(p.stack, item)
		}
		if i == len(t) {
			return nil, 0
		}
		switch t[i] {
		case end:
			p.children(n, base)
			return n, i + 1 - off
		case ',':
			i = skipSpaces(t, i+1)
			if i < len(t) && (t[i] == end || t[i] == ',') {
				return nil, 0 // "[a, ]" or "[a,,b]"
			}
		default:
			return nil, 0
		}
	}
}

// flowItem parses the scalar or flow collection at byte i of l inside a
// flow collection and returns it with the byte after it.
func (p *parser) flowItem(l *line, i int) (*yaml.Node, int) {
	t := l.text
	if i == len(t) {
		return nil, 0
	}
	switch t[i] {
	case '"', '\'':
		n, end := p.quoted(l, i)
		return n, i + end
	case '[', '{':
		n, end := p.flow(l, i)
		return n, i + end
	}
	if !plainStart(t[i:], true) {
		return nil, 0
	}
	// a plain scalar ends at ": ", at a comment, or at a flow indicator
	j := i
scan:
	for ; j < len(t); j++ {
		switch t[j] {
		case ',', ']', '}':
			break scan
		case '[', '{', '?':
			return nil, 0 // yaml.v3 ends the scalar there: keep to the simple
		case '#':
			if t[j-1] == ' ' {
				break scan // a comment: the caller finds no "," or end after
			}
		case ':':
			if j+1 == len(t) || t[j+1] == ' ' {
				break scan
			}
		}
	}
	return p.plain(l, i, strings.TrimRight(t[i:j], " ")), j
}

// skipSpaces returns the first byte of t from i that is not a space.
func skipSpaces(t string, i int) int {
	for i < len(t) && t[i] == ' ' {
		i++
	}
	return i
}

// singleQuoted reads 'text' at the start of t.
func singleQuoted(t string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(t); i++ {
		if t[i] == '\'' {
			if i+1 < len(t) && t[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), i + 1, true
		}
		b.WriteByte(t[i])
	}
	return "", 0, false
}

// doubleQuoted reads "text" at the start of t, with its escapes.
func doubleQuoted(t string) (string, int, bool) {
	end := -1
	plain := true
	for i := 1; i < len(t); i++ {
		if t[i] == '\\' {
			plain = false
			i++
			continue
		}
		if t[i] == '"' {
			end = i
			break
		}
	}
	if end < 0 {
		return "", 0, false
	}
	if plain {
		return t[1:end], end + 1, true
	}
	var b strings.Builder
	for i := 1; i < end; i++ {
		c := t[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		switch t[i] {
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case ' ', '"', '\\':
			b.WriteByte(t[i])
		case 'x', 'u', 'U':
			w := map[byte]int{'x': 2, 'u': 4, 'U': 8}[t[i]]
			if i+w >= end {
				return "", 0, false
			}
			r, err := strconv.ParseUint(t[i+1:i+1+w], 16, 32)
			if err != nil || !utf8.ValidRune(rune(r)) {
				return "", 0, false
			}
			b.WriteRune(rune(r))
			i += w
		default:
			return "", 0, false // \N, \_, \L, \P and the unknown: yaml.v3 decides
		}
	}
	return b.String(), end + 1, true
}
