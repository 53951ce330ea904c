package docsite

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var tagRE = regexp.MustCompile(`</?span[^>]*>`)

// plainText undoes highlightSQL: the spans removed, the text unescaped.
func plainText(h string) string { return html.UnescapeString(tagRE.ReplaceAllString(h, "")) }

func TestHighlightKeepsEveryByteOfTheDemoModels(t *testing.T) {
	files, err := filepath.Glob("../models/*/*.sql")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, jinja := range []bool{true, false} {
			assert.Equal(t, string(src), plainText(highlightSQL(string(src), jinja)), f)
		}
	}
}

func TestHighlightClasses(t *testing.T) {
	got := highlightSQL("select count(*) as n, 'a''b' -- note\nfrom {{ ref('stg_x') }} /* c */ where x >= 1.5e3", true)
	assert.Equal(t, "<span class=k>select </span><span class=nf>count</span>(<span class=o>*</span>) <span class=k>as </span>n, "+
		"<span class=s1>'a''b' </span><span class=c1>-- note\n</span><span class=k>from </span><span class=cp>{{ </span>"+
		"<span class=nf>ref</span>(<span class=s>'stg_x'</span>) <span class=cp>}} </span><span class=cm>/* c */ </span>"+
		"<span class=k>where </span>x <span class=o>&gt;= </span><span class=m>1.5e3</span>", got,
		"names and punctuation look like text in the style: no span for them; spaces join the span before")
	// without Jinja the braces are punctuation
	assert.NotContains(t, highlightSQL("{{ x }}", false), `class=cp`)
}

func TestHighlightEscapesHostileSQL(t *testing.T) {
	for _, src := range []string{
		"select '</span><script>alert(1)</script>' as x",
		"select 1 as \"<img src=x onerror=alert(1)>\"",
		"-- <script>alert(1)</script>\nselect 1",
		"{{ '<script>' }}{# <script> #}{% set x = \"</span>\" %}",
		"select '<unterminated",
		"{{ unclosed <b>",
	} {
		got := highlightSQL(src, true)
		assert.NotContains(t, got, "<script")
		assert.NotContains(t, got, "<img")
		assert.NotContains(t, strings.ReplaceAll(got, "</span>", ""), "</")
		assert.Equal(t, src, plainText(got))
	}
}

func TestHighlightCSSIsChromasStyle(t *testing.T) {
	css, err := highlightCSS()
	require.NoError(t, err)
	assert.Contains(t, css, ".chroma .k {")
	again, err := highlightCSS()
	require.NoError(t, err)
	assert.Equal(t, css, again)
}

func FuzzHighlightSQL(f *testing.F) {
	for _, s := range []string{"select 1", "{{ ref('a') }}", "'x", "{%- if x -%}", "/* a", "é{#", "\"a\"\"b\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		got := highlightSQL(src, true)
		if plainText(got) != src {
			t.Fatalf("highlight lost text of %q: %q", src, got)
		}
		if strings.Contains(tagRE.ReplaceAllString(got, ""), "<") {
			t.Fatalf("unescaped < in %q", got)
		}
	})
}
