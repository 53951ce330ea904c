package docsite

import (
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

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

// kindClasses is the class of each token kind, "" where highlightStyle
// shows it as plain text: in the page's text colour, on the code's
// background, neither bold, italic nor underlined.
var kindClasses = func() (out [kindCount]string) {
	style := styles.Get(highlightStyle)
	bg := style.Get(chroma.Background).Background
	for k, t := range kindTypes {
		e := style.Get(t)
		plain := t == chroma.Text || (!e.Colour.IsSet() || e.Colour.String() == pageText) && e.Background == bg &&
			e.Bold != chroma.Yes && e.Italic != chroma.Yes && e.Underline != chroma.Yes
		if !plain {
			out[k] = tokenClass(t)
		}
	}
	return out
}()

// tokenClass is chroma's CSS class for t.
func tokenClass(t chroma.TokenType) string {
	for ; t != 0; t = t.Parent() {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
	}
	return ""
}

// highlightCSS is the stylesheet of highlightStyle's classes under
// .chroma, as chroma writes it.
func highlightCSS() (string, error) {
	var buf bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true))
	if err := f.WriteCSS(&buf, styles.Get(highlightStyle)); err != nil {
		return "", err
	}
	return buf.String(), nil
}

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
