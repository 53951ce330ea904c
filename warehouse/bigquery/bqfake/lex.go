package bqfake

import (
	"fmt"
	"strconv"
	"strings"
)

// token is one lexical token of GoogleSQL text, as far as the fake needs
// it: words, `quoted` identifiers, string literals, numbers and
// punctuation. Comments and whitespace are dropped.
type token struct {
	kind  byte   // 'w' word, 'q' quoted identifier, 's' string, 'n' number, 'p' punctuation
	text  string // word upper-cased; quoted identifier and string unescaped; punctuation as is
	start int    // byte offset in the source
	end   int
	bytes bool // a bytes literal (b'...')
}

func (t token) is(word string) bool { return t.kind == 'w' && t.text == word }

// lex splits src into tokens.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#' || (c == '-' && strings.HasPrefix(src[i:], "--")):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("Syntax error: Unclosed comment at [%s]", position(src, i))
			}
			i += end + 4
		case c == '`':
			end, text, err := quoted(src, i, "`", false)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: 'q', text: text, start: i, end: end})
			i = end
		case c == '\'' || c == '"':
			tok, err := stringLiteral(src, i, "")
			if err != nil {
				return nil, err
			}
			toks = append(toks, tok)
			i = tok.end
		case isWordStart(c):
			j := i
			for j < len(src) && isWordPart(src[j]) {
				j++
			}
			word := strings.ToUpper(src[i:j])
			// String prefixes: r'..', b'..', rb'..'.
			if j < len(src) && (src[j] == '\'' || src[j] == '"') && (word == "R" || word == "B" || word == "RB" || word == "BR") {
				tok, err := stringLiteral(src, j, word)
				if err != nil {
					return nil, err
				}
				tok.start = i
				toks = append(toks, tok)
				i = tok.end
				continue
			}
			toks = append(toks, token{kind: 'w', text: word, start: i, end: j})
			i = j
		case c >= '0' && c <= '9' || (c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9'):
			j := i
			for j < len(src) && (isWordPart(src[j]) || src[j] == '.' ||
				((src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E') && !strings.HasPrefix(src[i:], "0x"))) {
				j++
			}
			toks = append(toks, token{kind: 'n', text: src[i:j], start: i, end: j})
			i = j
		default:
			n := 1
			for _, op := range operators {
				if strings.HasPrefix(src[i:], op) {
					n = len(op)
					break
				}
			}
			toks = append(toks, token{kind: 'p', text: src[i : i+n], start: i, end: i + n})
			i += n
		}
	}
	return toks, nil
}

// operators are the punctuation tokens longer than one character.
var operators = []string{"||", "<=", ">=", "<>", "!=", "=>"}

// stringLiteral scans a string literal whose quote opens at src[i], with
// its prefix (R, B, RB or BR).
func stringLiteral(src string, i int, prefix string) (token, error) {
	q := src[i : i+1]
	if strings.HasPrefix(src[i:], q+q+q) {
		q = q + q + q
	}
	end, text, err := quoted(src, i, q, strings.Contains(prefix, "R"))
	if err != nil {
		return token{}, err
	}
	return token{kind: 's', text: text, start: i, end: end, bytes: strings.Contains(prefix, "B")}, nil
}

// quoted scans a literal or quoted identifier opening at src[i] with the
// delimiter q and returns its end offset and unescaped text (raw: escapes
// are kept as written).
func quoted(src string, i int, q string, raw bool) (int, string, error) {
	var b strings.Builder
	j := i + len(q)
	for j < len(src) {
		if strings.HasPrefix(src[j:], q) {
			return j + len(q), b.String(), nil
		}
		if src[j] == '\\' && j+1 < len(src) {
			if raw {
				b.WriteString(src[j : j+2])
				j += 2
				continue
			}
			n, err := unescapeSeq(src[j:], &b)
			if err != nil {
				return 0, "", fmt.Errorf("Syntax error: %v at [%s]", err, position(src, j))
			}
			j += n
			continue
		}
		if len(q) == 1 && src[j] == '\n' && q != "`" {
			break
		}
		b.WriteByte(src[j])
		j++
	}
	return 0, "", fmt.Errorf("Syntax error: Unclosed string literal at [%s]", position(src, i))
}

func isWordStart(c byte) bool {
	return c == '_' || c == '@' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

func isWordPart(c byte) bool { return isWordStart(c) || (c >= '0' && c <= '9') }

// position renders a byte offset as BigQuery does: line:column, 1-based.
func position(src string, off int) string {
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndex(src[:off], "\n")
	return fmt.Sprintf("%d:%d", line, col)
}

// path reads a dotted name starting at toks[i]: words and quoted
// identifiers joined by '.', where a quoted part may itself hold dots
// (`p.d.t`). It returns the parts, whether any part was quoted, and the
// index after the name.
func path(toks []token, i int) (parts []string, quotedAny bool, next int) {
	for i < len(toks) {
		t := toks[i]
		switch t.kind {
		case 'q':
			parts = append(parts, strings.Split(t.text, ".")...)
			quotedAny = true
		case 'w':
			parts = append(parts, t.text)
		default:
			return parts, quotedAny, i
		}
		i++
		if i < len(toks) && toks[i].kind == 'p' && toks[i].text == "." {
			i++
			continue
		}
		break
	}
	return parts, quotedAny, i
}

// rawPath is like path but keeps the original spelling of words.
func rawPath(src string, toks []token, i int) ([]string, int) {
	parts, _, next := path(toks, i)
	k := 0
	for j := i; j < next; j++ {
		if toks[j].kind == 'w' {
			parts[k] = src[toks[j].start:toks[j].end]
			k++
		} else if toks[j].kind == 'q' {
			k += len(strings.Split(toks[j].text, "."))
		}
	}
	return parts, next
}

// unescapeSeq writes the character of the escape sequence at s[0] ('\\') and
// returns the sequence's length.
func unescapeSeq(s string, b *strings.Builder) (int, error) {
	simple := map[byte]byte{'a': 7, 'b': 8, 'f': 12, 'n': '\n', 'r': '\r', 't': '\t', 'v': 11,
		'\\': '\\', '?': '?', '"': '"', '\'': '\'', '`': '`'}
	c := s[1]
	if r, ok := simple[c]; ok {
		b.WriteByte(r)
		return 2, nil
	}
	digits, base := 0, 16
	switch {
	case c == 'x' || c == 'X':
		digits = 2
	case c == 'u':
		digits = 4
	case c == 'U':
		digits = 8
	case c >= '0' && c <= '7':
		digits, base = 3, 8
	default:
		return 0, fmt.Errorf("Illegal escape sequence: \\%c", c)
	}
	start := 2
	if base == 8 {
		start = 1
	}
	if len(s) < start+digits {
		return 0, fmt.Errorf("Illegal escape sequence: %s", s)
	}
	v, err := strconv.ParseUint(s[start:start+digits], base, 32)
	if err != nil {
		return 0, fmt.Errorf("Illegal escape sequence: %s", s[:start+digits])
	}
	if c == 'x' || c == 'X' || base == 8 {
		b.WriteByte(byte(v))
	} else {
		b.WriteRune(rune(v))
	}
	return start + digits, nil
}
