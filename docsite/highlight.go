package docsite

import "strings"

// highlightStyle is the chroma style of the site's SQL, and pageText the
// colour of text on the page (--fg in assets/app.css), which the style
// also gives names and punctuation.
const (
	highlightStyle = "github"
	pageText       = "#1f2328"
)

// highlightSQL renders SQL (with Jinja tags when jinja is set) as HTML: the
// text escaped, and each token that highlightStyle colours differently from
// plain text in a <span> with chroma's class for its type (k keyword, nf
// function, s1 string, c1 comment, cp template tag, ...), styled by
// highlightCSS. Names and punctuation, most of the tokens, look like plain
// text in the style and get no span; adjacent tokens of one class share
// one. Class names are bare words, so the attribute needs no quotes.
func highlightSQL(src string, jinja bool) string {
	var b strings.Builder
	b.Grow(len(src)*3 + 64) // spans make the HTML two to three times the SQL
	open := ""
	scanSQL(src, jinja, func(k tokenKind, text string) {
		cls := kindClasses[k]
		if cls != open && (cls != "" || !isBlank(text)) {
			if open != "" {
				b.WriteString("</span>")
			}
			if cls != "" {
				b.WriteString("<span class=")
				b.WriteString(cls)
				b.WriteByte('>')
			}
			open = cls
		}
		escapeText(&b, text)
	})
	if open != "" {
		b.WriteString("</span>")
	}
	return b.String()
}

// isBlank reports whether s is whitespace only: it may stay inside the
// span before it.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpaceByte(s[i]) {
			return false
		}
	}
	return true
}

// highlightCSS is the stylesheet of highlightStyle's classes under
// .chroma, as chroma writes it. It and kindClasses, the class of each token
// kind, are computed from chroma's style by a test and kept in
// highlight_style.go (`go test ./docsite -run TestHighlightStyle -update-style`):
// chroma's styles package parses all its styles when a program starts,
// 6 ms and 40,000 allocations of every mart command.
func highlightCSS() (string, error) { return chromaCSS, nil }

// escapeText writes s to b as HTML text: &, < and > escaped (quotes need
// no escaping outside attributes).
func escapeText(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
