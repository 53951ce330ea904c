package docsite

import (
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// highlightStyle is the chroma style of the site's SQL.
const highlightStyle = "github"

// highlightSQL renders SQL (with Jinja tags when jinja is set) as HTML: the
// text escaped, each token in a <span> with chroma's class for its type
// (k keyword, nf function, s1 string, c1 comment, cp template tag, ...),
// styled by highlightCSS. Adjacent tokens of one class share a span.
func highlightSQL(src string, jinja bool) string {
	var b strings.Builder
	b.Grow(len(src) * 2)
	open := ""
	scanSQL(src, jinja, func(t chroma.TokenType, text string) {
		cls := tokenClass(t)
		if cls != open {
			if open != "" {
				b.WriteString("</span>")
			}
			if cls != "" {
				b.WriteString(`<span class="`)
				b.WriteString(cls)
				b.WriteString(`">`)
			}
			open = cls
		}
		escapeHTML(&b, text)
	})
	if open != "" {
		b.WriteString("</span>")
	}
	return b.String()
}

// tokenClass is chroma's CSS class for t, "" for plain text.
func tokenClass(t chroma.TokenType) string {
	if t == chroma.Text {
		return ""
	}
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

// escapeHTML writes s to b with &, <, >, " and ' escaped.
func escapeHTML(b *strings.Builder, s string) {
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
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
