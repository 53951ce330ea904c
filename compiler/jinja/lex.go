package jinja

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// token kinds of the expression lexer.
type tokKind uint8

const (
	tEOF tokKind = iota
	tName
	tInt
	tFloat
	tString
	tOp
)

type token struct {
	kind tokKind
	s    string // name, operator or decoded string
	n    int
	f    float64
	off  int // byte offset in the template source
}

func (t token) is(kind tokKind, s string) bool { return t.kind == kind && t.s == s }

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of tag"
	case tString:
		return "string " + pyQuote(t.s)
	case tInt, tFloat:
		return "number"
	}
	return "'" + t.s + "'"
}

var twoCharOps = map[string]bool{"**": true, "//": true, "==": true, "!=": true, "<=": true, ">=": true}

const oneCharOps = "+-*/%~()[]{}.,:|=<>"

// lex splits src[from:to] into tokens; errors carry the offending offset.
func lex(src string, from, to int) ([]token, *posError) {
	return lexInto(make([]token, 0, (to-from)/4+2), src, from, to)
}

// lexInto is lex appending to toks.
func lexInto(toks []token, src string, from, to int) ([]token, *posError) {
	i := from
	for i < to {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case isIdent(c, false):
			j := i + 1
			for j < to && isIdent(src[j], true) {
				j++
			}
			toks = append(toks, token{kind: tName, s: src[i:j], off: i})
			i = j
		case c >= '0' && c <= '9':
			t, j, err := lexNumber(src, i, to, i > from && src[i-1] == '.')
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = j
		case c == '\'' || c == '"':
			s, j, err := lexString(src, i, to)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tString, s: s, off: i})
			i = j
		default:
			if i+1 < to && twoCharOps[src[i:i+2]] {
				toks = append(toks, token{kind: tOp, s: src[i : i+2], off: i})
				i += 2
				continue
			}
			if strings.IndexByte(oneCharOps, c) >= 0 {
				toks = append(toks, token{kind: tOp, s: src[i : i+1], off: i})
				i++
				continue
			}
			r, _ := utf8.DecodeRuneInString(src[i:to])
			if c == '!' {
				return nil, &posError{off: i, msg: "unexpected '!': write 'not x' or 'x != y'"}
			}
			return nil, &posError{off: i, msg: "unexpected character " + strconv.QuoteRune(r)}
		}
	}
	return append(toks, token{kind: tEOF, off: to}), nil
}

// lexNumber reads an integer or float; afterDot is true for `x.0` (an
// attribute index, never a float).
func lexNumber(src string, i, to int, afterDot bool) (token, int, *posError) {
	start := i
	if !afterDot && src[i] == '0' && i+2 < to && strings.IndexByte("bBoOxX", src[i+1]) >= 0 {
		// 0b101, 0o17, 0x1f (Jinja's integer literals), with _ between digits
		digit := map[byte]func(byte) bool{
			'b': func(c byte) bool { return c == '0' || c == '1' },
			'o': func(c byte) bool { return c >= '0' && c <= '7' },
			'x': func(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' },
		}[src[i+1]|0x20]
		j := i + 2
		for j < to && (digit(src[j]) || src[j] == '_' && j+1 < to && digit(src[j+1])) {
			j++
		}
		if j > i+2 {
			n, err := strconv.ParseInt(src[start:j], 0, 64)
			if err != nil {
				return token{}, 0, &posError{off: start, msg: "invalid number " + src[start:j]}
			}
			return token{kind: tInt, n: int(n), s: src[start:j], off: start}, j, nil
		}
	}
	digits := func() {
		for i < to && (src[i] >= '0' && src[i] <= '9' || src[i] == '_' && i+1 < to && src[i+1] >= '0' && src[i+1] <= '9') {
			i++
		}
	}
	digits()
	isFloat := false
	if !afterDot && i+1 < to && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
		isFloat = true
		i++
		digits()
	}
	if !afterDot && i < to && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < to && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < to && src[j] >= '0' && src[j] <= '9' {
			isFloat = true
			i = j
			digits()
		}
	}
	text := strings.ReplaceAll(src[start:i], "_", "")
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return token{}, 0, &posError{off: start, msg: "invalid number " + src[start:i]}
		}
		return token{kind: tFloat, f: f, s: text, off: start}, i, nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil {
			return token{}, 0, &posError{off: start, msg: "invalid number " + src[start:i]}
		}
		return token{kind: tFloat, f: f, s: text, off: start}, i, nil
	}
	return token{kind: tInt, n: int(n), s: text, off: start}, i, nil
}

// lexString reads a quoted string with Python's escapes; an unknown escape
// keeps its backslash ('\d' is two characters), as in Python.
func lexString(src string, i, to int) (string, int, *posError) {
	q := src[i]
	start := i
	i++
	var b strings.Builder
	for i < to {
		c := src[i]
		if c == q {
			return b.String(), i + 1, nil
		}
		if c == '\r' { // Jinja reads \r\n and a lone \r as \n
			c = '\n'
			if i+1 < to && src[i+1] == '\n' {
				i++
			}
		}
		if c != '\\' || i+1 >= to {
			b.WriteByte(c)
			i++
			continue
		}
		e := src[i+1]
		i += 2
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0', '1', '2', '3', '4', '5', '6', '7': // \ooo, as Python
			r := rune(e - '0')
			for k := 0; k < 2 && i < to && src[i] >= '0' && src[i] <= '7'; k++ {
				r = r*8 + rune(src[i]-'0')
				i++
			}
			b.WriteRune(r)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"':
			b.WriteByte(e)
		case '\n':
			// line continuation
		case '\r':
			if i < to && src[i] == '\n' {
				i++
			}
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+n <= to {
				if r, err := strconv.ParseUint(src[i:i+n], 16, 32); err == nil && utf8.ValidRune(rune(r)) {
					b.WriteRune(rune(r))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return "", 0, &posError{off: start, msg: "unterminated string: expected a closing " + string(q)}
}

func isIdent(c byte, notFirst bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || notFirst && c >= '0' && c <= '9'
}
