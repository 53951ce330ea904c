package docsite

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarkdownRendersWhatAnalystsWrite(t *testing.T) {
	md := newMarkdown()
	got := md.render("One row per **reservation**.\n\n- a [link](https://example.com/x?a=1&b=2)\n- `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	assert.Contains(t, got, "<strong>reservation</strong>")
	assert.Contains(t, got, `<a href="https://example.com/x?a=1&amp;b=2">link</a>`)
	assert.Contains(t, got, "<code>code</code>")
	assert.Contains(t, got, "<table>")
	assert.Equal(t, "", md.render("  \n"))
}

// hostile are descriptions that try to run code or load something when
// shown.
var hostile = []string{
	"<script>alert(1)</script>",
	"before <script>alert(1)</script> after",
	`<img src=x onerror="alert(1)">`,
	"text <img src=x onerror=alert(1)> inline",
	"<div onmouseover=alert(1)>hover</div>",
	"<svg/onload=alert(1)>",
	"[click](javascript:alert(1))",
	"[click](JaVaScRiPt:alert(1))",
	"[click](java&#x09;script:alert(1))",
	"[click](&#106;avascript:alert(1))",
	"[click]( vbscript:msgbox(1))",
	"![img](javascript:alert(1))",
	"![img](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"<javascript:alert(1)>",
	"[ref][r]\n\n[r]: javascript:alert(1)",
	"<iframe src=\"https://evil.example\"></iframe>",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<!-- comment --><style>body{display:none}</style>",
}

// activeHTML matches what a browser would act on in rendered HTML: an
// element that runs, styles or embeds something, an event handler
// attribute in a tag, or a script-capable address. Markdown's own images
// (<img src="..." alt="...">) are allowed.
var activeHTML = regexp.MustCompile(`(?i)<(script|svg|iframe|style|div|object|embed)\b|<[a-z][^>]*\son\w+\s*=|(href|src)="\s*(javascript|vbscript|data):`)

func TestMarkdownShowsHTMLAsTextAndDropsScriptAddresses(t *testing.T) {
	md := newMarkdown()
	for _, src := range hostile {
		got := md.render(src)
		assert.NotRegexp(t, activeHTML, got, "from %q", src)
	}
	// what was written is still there to read
	assert.Contains(t, md.render("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, md.render("text <img src=x onerror=alert(1)> inline"), "text &lt;img src=x onerror=alert(1)&gt; inline")
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://x.org": true, "http://x": true, "mailto:a@b.c": true, "/docs/a.md": true, "#/node/x": true,
		"page.html?x=a:b": true, "javascript:x": false, " JAVASCRIPT:x": false, "java\tscript:x": false,
		"\x01javascript:x": false, "data:text/html,x": false, "vbscript:x": false, "file:///etc/passwd": false,
	} {
		assert.Equal(t, want, safeURL(u), u)
	}
}

func TestMarkdownCachesByText(t *testing.T) {
	md := newMarkdown()
	a := md.render("Row **key**.")
	b := md.render("Row **key**.")
	assert.Equal(t, a, b)
	n := 0
	md.cache.Range(func(_, _ any) bool { n++; return true })
	assert.Equal(t, 1, n)
	assert.True(t, strings.HasPrefix(a, "<p>"))
}

// goldmarkHTML is what goldmark makes of src, without the fast path.
func goldmarkHTML(t testing.TB, md *markdown, src string) string {
	var buf bytes.Buffer
	require.NoError(t, md.md.Convert([]byte(src), &buf))
	return buf.String()
}

func TestPlainParagraphsRenderAsGoldmarkDoes(t *testing.T) {
	md := newMarkdown()
	for _, src := range []string{
		"Synthetic model m_5000 in layer_3/g_0: joins m_3765 on id",
		`One row per member; "tier" is 'gold' or (rarely) 50% off = a + b - c?`,
		"Row key, unique in every model.",
	} {
		require.True(t, plainParagraph(src), src)
		assert.Equal(t, goldmarkHTML(t, md, src), md.render(src))
	}
	for _, src := range []string{"_a_", "a_ b", "see https://x.org", "www.x.org", "a@b.co", "1. first", "- item", "# h",
		"a  b", "a\nb", "a *b*", "a <b>", "a & b", "a [x](y)", "é", " a", "a ", "a\tb", "x|y", "~~x~~", "a\\b", "`c`"} {
		assert.False(t, plainParagraph(src), src)
	}
}

func FuzzPlainParagraph(f *testing.F) {
	for _, s := range []string{"Row key.", "m_5000 in a/b: c", "a_b_c", "x (y) 'z' \"w\"", "a - b + c = d"} {
		f.Add(s)
	}
	md := newMarkdown()
	f.Fuzz(func(t *testing.T, src string) {
		if plainParagraph(src) {
			if want := goldmarkHTML(t, md, src); md.render(src) != want {
				t.Fatalf("%q: fast path %q, goldmark %q", src, md.render(src), want)
			}
		}
	})
}
