package docsite

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// tokenKind is what the scanner tells apart; kindTypes names each kind's
// chroma token type.
type tokenKind uint8

const (
	kText tokenKind = iota
	kKeyword
	kName
	kFunction
	kVariable
	kString
	kStringSingle
	kNumber
	kOperator
	kPunctuation
	kComment
	kCommentSingle
	kCommentMultiline
	kTemplateTag
	kindCount
)

var kindTypes = [kindCount]chroma.TokenType{
	kText: chroma.Text, kKeyword: chroma.Keyword, kName: chroma.Name, kFunction: chroma.NameFunction,
	kVariable: chroma.NameVariable, kString: chroma.LiteralString, kStringSingle: chroma.LiteralStringSingle,
	kNumber: chroma.LiteralNumber, kOperator: chroma.Operator, kPunctuation: chroma.Punctuation,
	kComment: chroma.Comment, kCommentSingle: chroma.CommentSingle, kCommentMultiline: chroma.CommentMultiline,
	kTemplateTag: chroma.CommentPreproc,
}

// scanSQL splits SQL into tokens whose texts, concatenated, are src;
// with jinja it also recognises {{ }}, {% %} and {# #} tags. It stands in
// for chroma's own SQL lexer, whose regular expressions ran at 0.3 MB/s
// here (6 ms for a 2 KB model: half a minute for a 10,000-model project);
// this scanner is a single pass with no backtracking. Whitespace and
// characters it does not know are kText.
func scanSQL(src string, jinja bool, emit func(tokenKind, string)) {
	for i := 0; i < len(src); {
		if jinja && src[i] == '{' && i+1 < len(src) && strings.IndexByte("{%#", src[i+1]) >= 0 {
			i = scanJinja(src, i, emit)
			continue
		}
		typ, end := sqlToken(src, i)
		if typ == kName && isKeyword(src[i:end]) {
			typ = kKeyword
		}
		if typ == kName && nextNonSpace(src, end) == '(' {
			typ = kFunction
		}
		emit(typ, src[i:end])
		i = end
	}
}

const sqlOperators = "<>=!+-*/%|&^~:"

// sqlToken returns the type and end of the SQL token at src[i].
func sqlToken(src string, i int) (tokenKind, int) {
	c := src[i]
	switch {
	case isSpaceByte(c):
		return kText, spaceEnd(src, i)
	case c == '-' && strings.HasPrefix(src[i:], "--"):
		return kCommentSingle, lineEnd(src, i)
	case c == '/' && strings.HasPrefix(src[i:], "/*"):
		return kCommentMultiline, closeAfter(src, i+2, "*/")
	case c == '\'':
		return kStringSingle, quoteEnd(src, i, '\'')
	case c == '"' || c == '`':
		return kName, quoteEnd(src, i, c)
	case isDigitByte(c) || c == '.' && i+1 < len(src) && isDigitByte(src[i+1]):
		return kNumber, numberEnd(src, i)
	case isWordStart(c):
		return kName, wordEnd(src, i)
	case strings.IndexByte(sqlOperators, c) >= 0:
		j := i + 1
		for j < len(src) && strings.IndexByte(sqlOperators, src[j]) >= 0 {
			j++
		}
		return kOperator, j
	case strings.IndexByte("(),;.[]{}", c) >= 0:
		return kPunctuation, i + 1
	}
	return kText, runeEnd(src, i)
}

// scanJinja emits the tag that starts at src[i] ("{{", "{%" or "{#") and
// returns where it ends; an unclosed tag runs to the end of src.
func scanJinja(src string, i int, emit func(tokenKind, string)) int {
	closer := "}}"
	switch src[i+1] {
	case '%':
		closer = "%}"
	case '#':
		closer = "#}"
	}
	open := i + 2
	if open < len(src) && (src[open] == '-' || src[open] == '+') {
		open++
	}
	if src[i+1] == '#' {
		end := closeAfter(src, open, closer)
		emit(kComment, src[i:end])
		return end
	}
	emit(kTemplateTag, src[i:open])
	j := open
	for j < len(src) {
		if strings.HasPrefix(src[j:], closer) || (src[j] == '-' && strings.HasPrefix(src[j+1:], closer)) {
			end := j + len(closer)
			if src[j] == '-' {
				end++
			}
			emit(kTemplateTag, src[j:end])
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
func jinjaToken(src string, j int) (tokenKind, int) {
	c := src[j]
	switch {
	case isSpaceByte(c):
		return kText, spaceEnd(src, j)
	case c == '\'' || c == '"':
		return kString, quoteEnd(src, j, c)
	case isDigitByte(c):
		return kNumber, numberEnd(src, j)
	case isWordStart(c):
		end := wordEnd(src, j)
		switch {
		case jinjaKeywords[src[j:end]]:
			return kKeyword, end
		case nextNonSpace(src, end) == '(':
			return kFunction, end
		}
		return kVariable, end
	case strings.IndexByte("(),[]{}.:|", c) >= 0:
		return kPunctuation, j + 1
	case strings.IndexByte("<>=!+-*/%~", c) >= 0:
		return kOperator, j + 1
	}
	return kText, runeEnd(src, j)
}

func spaceEnd(src string, i int) int {
	for i < len(src) && isSpaceByte(src[i]) {
		i++
	}
	return i
}

func wordEnd(src string, i int) int {
	for i < len(src) && isWordByte(src[i]) {
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
	j := i
	for j < len(src) && (isDigitByte(src[j]) || src[j] == '.' || src[j] == '_') {
		j++
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigitByte(src[k]) {
			for j = k; j < len(src) && isDigitByte(src[j]); j++ {
			}
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
	i = spaceEnd(src, i)
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
