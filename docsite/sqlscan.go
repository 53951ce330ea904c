package docsite

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// scanSQL splits SQL into chroma tokens whose texts, concatenated, are src;
// with jinja it also recognises {{ }}, {% %} and {# #} tags. It stands in
// for chroma's own SQL lexer, whose regular expressions ran at 0.3 MB/s
// here (6 ms for a 2 KB model: half a minute for a 10,000-model project);
// this scanner is a single pass with no backtracking. Whitespace and
// characters it does not know are chroma.Text.
func scanSQL(src string, jinja bool, emit func(chroma.TokenType, string)) {
	for i := 0; i < len(src); {
		if jinja && src[i] == '{' && i+1 < len(src) && strings.IndexByte("{%#", src[i+1]) >= 0 {
			i = scanJinja(src, i, emit)
			continue
		}
		typ, end := sqlToken(src, i)
		if typ == chroma.Name && isKeyword(src[i:end]) {
			typ = chroma.Keyword
		}
		if typ == chroma.Name && nextNonSpace(src, end) == '(' {
			typ = chroma.NameFunction
		}
		emit(typ, src[i:end])
		i = end
	}
}

// sqlToken returns the type and end of the SQL token at src[i].
func sqlToken(src string, i int) (chroma.TokenType, int) {
	c := src[i]
	switch {
	case isSpaceByte(c):
		return chroma.Text, spanWhile(src, i, isSpaceByte)
	case c == '-' && strings.HasPrefix(src[i:], "--"):
		return chroma.CommentSingle, lineEnd(src, i)
	case c == '/' && strings.HasPrefix(src[i:], "/*"):
		return chroma.CommentMultiline, closeAfter(src, i+2, "*/")
	case c == '\'':
		return chroma.LiteralStringSingle, quoteEnd(src, i, '\'')
	case c == '"' || c == '`':
		return chroma.Name, quoteEnd(src, i, c)
	case isDigitByte(c) || c == '.' && i+1 < len(src) && isDigitByte(src[i+1]):
		return chroma.LiteralNumber, numberEnd(src, i)
	case isWordStart(c):
		return chroma.Name, spanWhile(src, i, isWordByte)
	case strings.IndexByte("<>=!+-*/%|&^~:", c) >= 0:
		return chroma.Operator, spanWhile(src, i, func(b byte) bool { return strings.IndexByte("<>=!+-*/%|&^~:", b) >= 0 })
	case strings.IndexByte("(),;.[]{}", c) >= 0:
		return chroma.Punctuation, i + 1
	}
	return chroma.Text, runeEnd(src, i)
}

// scanJinja emits the tag that starts at src[i] ("{{", "{%" or "{#") and
// returns where it ends; an unclosed tag runs to the end of src.
func scanJinja(src string, i int, emit func(chroma.TokenType, string)) int {
	closer := map[byte]string{'{': "}}", '%': "%}", '#': "#}"}[src[i+1]]
	open := i + 2
	if open < len(src) && (src[open] == '-' || src[open] == '+') {
		open++
	}
	if src[i+1] == '#' {
		end := closeAfter(src, open, closer)
		emit(chroma.Comment, src[i:end])
		return end
	}
	emit(chroma.CommentPreproc, src[i:open])
	j := open
	for j < len(src) {
		if strings.HasPrefix(src[j:], closer) || (src[j] == '-' && strings.HasPrefix(src[j+1:], closer)) {
			end := j + len(closer)
			if src[j] == '-' {
				end++
			}
			emit(chroma.CommentPreproc, src[j:end])
			return end
		}
		typ, end := jinjaToken(src, j)
		emit(typ, src[j:end])
		j = end
	}
	return j
}

// jinjaToken returns the type and end of the template expression token at
// src[j].
func jinjaToken(src string, j int) (chroma.TokenType, int) {
	c := src[j]
	switch {
	case isSpaceByte(c):
		return chroma.Text, spanWhile(src, j, isSpaceByte)
	case c == '\'' || c == '"':
		return chroma.LiteralString, quoteEnd(src, j, c)
	case isDigitByte(c):
		return chroma.LiteralNumber, numberEnd(src, j)
	case isWordStart(c):
		end := spanWhile(src, j, isWordByte)
		switch {
		case jinjaKeywords[src[j:end]]:
			return chroma.Keyword, end
		case nextNonSpace(src, end) == '(':
			return chroma.NameFunction, end
		}
		return chroma.NameVariable, end
	case strings.IndexByte("(),[]{}.:|", c) >= 0:
		return chroma.Punctuation, j + 1
	case strings.IndexByte("<>=!+-*/%~", c) >= 0:
		return chroma.Operator, j + 1
	}
	return chroma.Text, runeEnd(src, j)
}

func spanWhile(src string, i int, ok func(byte) bool) int {
	for i < len(src) && ok(src[i]) {
		i++
	}
	return i
}

func lineEnd(src string, i int) int {
	if k := strings.IndexByte(src[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(src)
}

// closeAfter returns the end of the first closer at or after i, or len(src).
func closeAfter(src string, i int, closer string) int {
	if k := strings.Index(src[i:], closer); k >= 0 {
		return i + k + len(closer)
	}
	return len(src)
}

// quoteEnd returns the end of the quoted text at src[i]; a doubled quote
// and a backslash escape the quote.
func quoteEnd(src string, i int, q byte) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(src)
}

func numberEnd(src string, i int) int {
	j := spanWhile(src, i, func(b byte) bool { return isDigitByte(b) || b == '.' || b == '_' })
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigitByte(src[k]) {
			j = spanWhile(src, k, isDigitByte)
		}
	}
	return j
}

// runeEnd returns the end of the UTF-8 sequence at src[i], so a token never
// splits a character.
func runeEnd(src string, i int) int {
	j := i + 1
	for j < len(src) && src[j]&0xC0 == 0x80 {
		j++
	}
	return j
}

func nextNonSpace(src string, i int) byte {
	i = spanWhile(src, i, isSpaceByte)
	if i < len(src) {
		return src[i]
	}
	return 0
}

func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}
func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }
func isWordStart(b byte) bool { return b == '_' || 'a' <= b|0x20 && b|0x20 <= 'z' || b >= 0x80 }
func isWordByte(b byte) bool  { return isWordStart(b) || isDigitByte(b) || b == '$' }
