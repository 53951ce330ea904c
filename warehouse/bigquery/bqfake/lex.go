package bqfake

import (
	"fmt"
	"strings"
)

// token is one lexical token of GoogleSQL text, as far as the fake needs
// it: words, `quoted` identifiers, string literals, numbers and
// punctuation. Comments and whitespace are dropped.
type token struct {
	kind  byte   // 'w' word, 'q' quoted identifier, 's' string, 'n' number, 'p' punctuation
	text  string // word upper-cased; quoted identifier unquoted; punctuation as is
	start int    // byte offset in the source
	end   int
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
			end, text, err := quoted(src, i, "`")
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{'q', text, i, end})
			i = end
		case c == '\'' || c == '"':
			q := string(c)
			if strings.HasPrefix(src[i:], q+q+q) {
				q = q + q + q
			}
			end, text, err := quoted(src, i, q)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{'s', text, i, end})
			i = end
		case isWordStart(c):
			j := i
			for j < len(src) && isWordPart(src[j]) {
				j++
			}
			word := strings.ToUpper(src[i:j])
			// String prefixes: r'..', b'..', rb'..'.
			if j < len(src) && (src[j] == '\'' || src[j] == '"') && (word == "R" || word == "B" || word == "RB" || word == "BR") {
				i = j
				continue
			}
			toks = append(toks, token{'w', word, i, j})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (isWordPart(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, token{'n', src[i:j], i, j})
			i = j
		default:
			toks = append(toks, token{'p', string(c), i, i + 1})
			i++
		}
	}
	return toks, nil
}

// quoted scans a literal or quoted identifier opening at src[i] with the
// delimiter q and returns its end offset and unescaped text.
func quoted(src string, i int, q string) (int, string, error) {
	var b strings.Builder
	j := i + len(q)
	for j < len(src) {
		if strings.HasPrefix(src[j:], q) {
			return j + len(q), b.String(), nil
		}
		if src[j] == '\\' && j+1 < len(src) {
			switch src[j+1] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(src[j+1])
			}
			j += 2
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
