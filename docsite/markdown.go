package docsite

import (
	"bytes"
	"html"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders descriptions to HTML that is safe to put on the page:
// HTML written in the markdown is shown as text (goldmark's safe mode
// would drop it silently), and links and images keep only http, https and
// mailto addresses or relative ones. Renders are cached by text, since
// projects repeat column descriptions a lot. Safe for concurrent use.
type markdown struct {
	md    goldmark.Markdown
	cache sync.Map // source text -> rendered HTML
}

func newMarkdown() *markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(urlPolicy{}, 100))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(rawHTMLAsText{}, 100))),
	)
	return &markdown{md: md}
}

// render returns src as HTML ("" for blank text).
func (m *markdown) render(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	if out, ok := m.cache.Load(src); ok {
		return out.(string)
	}
	if plainParagraph(src) {
		// what goldmark makes of it, without parsing: a tenth of the time
		return "<p>" + string(util.EscapeHTML([]byte(src))) + "</p>\n"
	}
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when its writer does; a bytes.Buffer does not
		buf.Reset()
		buf.WriteString("<p>" + html.EscapeString(src) + "</p>")
	}
	out := buf.String()
	m.cache.Store(src, out)
	return out
}

// plainParagraph reports whether markdown would make src one paragraph of
// its text, unchanged but escaped: one line that starts with a letter, of
// ASCII letters, digits, spaces and punctuation that means nothing to
// CommonMark or GFM; an underscore only between two letters or digits
// (inside a word it cannot emphasise); nothing that GFM turns into a link
// (://, www., @). FuzzPlainParagraph holds it to goldmark's output.
func plainParagraph(src string) bool {
	if len(src) == 0 || !isLetter(src[0]) || src[len(src)-1] == ' ' ||
		strings.Contains(src, "://") || strings.Contains(src, "www.") || strings.Contains(src, "  ") {
		return false
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case isLetter(c) || isDigitByte(c) || strings.IndexByte(" ,.;:()'\"/?%$=+-", c) >= 0:
		case c == '_' && i > 0 && i+1 < len(src) && isAlnum(src[i-1]) && isAlnum(src[i+1]):
		default:
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isAlnum(c byte) bool  { return isLetter(c) || isDigitByte(c) }

// rawHTMLAsText renders inline HTML and HTML blocks as escaped text.
type rawHTMLAsText struct{}

func (rawHTMLAsText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := n.(*ast.RawHTML).Segments
		for i := range segs.Len() {
			seg := segs.At(i)
			_, _ = w.WriteString(html.EscapeString(string(seg.Value(source))))
		}
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ast.HTMLBlock)
	_, _ = w.WriteString(`<pre class="raw-html">`)
	lines := b.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		_, _ = w.WriteString(html.EscapeString(string(seg.Value(source))))
	}
	if b.HasClosure() {
		_, _ = w.WriteString(html.EscapeString(string(b.ClosureLine.Value(source))))
	}
	_, _ = w.WriteString("</pre>\n")
	return ast.WalkSkipChildren, nil
}

// urlPolicy empties the address of links and images whose scheme is not
// http, https or mailto. Browsers ignore tabs, newlines and leading
// control characters in a scheme ("java\tscript:"), so those are removed
// before looking at it.
type urlPolicy struct{}

func (urlPolicy) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.Link:
			if !safeURL(string(x.Destination)) {
				x.Destination = nil
			}
		case *ast.Image:
			if !safeURL(string(x.Destination)) {
				x.Destination = nil
			}
		}
		return ast.WalkContinue, nil
	})
}

// safeURL reports whether u is relative or uses an allowed scheme.
func safeURL(u string) bool {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, u)
	colon := strings.IndexByte(clean, ':')
	if colon < 0 {
		return true
	}
	// a colon after a /, ? or # is not a scheme's
	if k := strings.IndexAny(clean, "/?#"); k >= 0 && k < colon {
		return true
	}
	switch strings.ToLower(clean[:colon]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}
