package docsite

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each payload sets window.pwned if it ever runs.
const (
	scriptTag = `<script>window.pwned = 1</script>`
	imgTag    = `<img src=x onerror="window.pwned = 1">`
	svgTag    = `<svg onload="window.pwned = 1">`
)

// hostileSite is a project whose every field a user writes holds markup
// that would run if the site put it on the page as HTML.
func hostileSite(t *testing.T) (dir, test string) {
	t.Helper()
	m := compileProject(t, map[string]string{
		"mart.yml":         "name: p\n",
		"models/evil.sql":  "-- " + scriptTag + "\nselect 1 as id, '" + imgTag + "' as \"" + svgTag + "\"",
		"models/child.sql": "select * from {{ ref('evil') }}",
		"models/_evil.yml": `models:
  - name: evil
    description: |
      Before ` + scriptTag + ` and ` + imgTag + `.

      ` + svgTag + `

      [click me](javascript:window.pwned=1) <a href="javascript:window.pwned=1">or me</a>
    config:
      tags: [` + yq("<b onmouseover='window.pwned=1'>tag</b>") + `]
      meta: {owner: ` + yq("<img src=x onerror='window.pwned=1'>") + `, note: ` + yq("</script><script>window.pwned=1</script>") + `}
    columns:
      - name: ` + yq(svgTag) + `
        description: ` + yq("<iframe src='javascript:window.pwned=1'></iframe>") + `
        data_tests: [not_null]
`,
	})
	// a name no file could carry, to reach the headings, boxes and search
	child := m.Nodes["model.p.child"]
	child.Name = `<img src=y onerror="window.pwned = 1">child`
	m = reread(t, m)
	for id, n := range m.Nodes {
		if n.ResourceType == "test" {
			test = id
		}
	}
	dir = filepath.Join(t.TempDir(), "docs")
	_, err := Generate(dir, Input{Manifest: m})
	require.NoError(t, err)
	return dir, test
}

// yq quotes s for YAML.
func yq(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func TestHostileTextShowsAsTextAndRunsNothing(t *testing.T) {
	dir, test := hostileSite(t)
	p := openSite(t, dir)
	check := func(where string) {
		t.Helper()
		assert.Zero(t, p.count(`main script, main img, main iframe, main svg:not(.graph), main [onerror], main [onload], main [onmouseover], main b, #q-results img`), "%s: no element came from user text", where)
		assert.Zero(t, p.count(`a[href^="javascript"]`), "%s: no script link", where)
		assert.False(t, eval[bool](p, `window.pwned === 1`), "%s: nothing ran", where)
	}
	p.open("#/node/model.p.evil", "node")
	check("the node page")
	body := p.text("main")
	for _, s := range []string{scriptTag, imgTag, svgTag, "<b onmouseover='window.pwned=1'>tag</b>", "<iframe src='javascript:window.pwned=1'></iframe>"} {
		assert.Contains(t, body, s, "what was written shows as text")
	}
	assert.Contains(t, p.content("pre.sql.raw"), "-- "+scriptTag)

	p.follow("node", chromedp.Click(chromedp.CSS(`svg.graph a.box:not(.focus)`)))
	check("the child's page")
	assert.Contains(t, p.text("main h1"), `<img src=y onerror="window.pwned = 1">child`)

	p.do(chromedp.SendKeys(chromedp.CSS("#q"), "img"))
	p.do(chromedp.WaitVisible(chromedp.CSS("#q-results li a")))
	check("the search results")

	p.open("", "overview")
	check("the overview")
	p.open("#/folder/models", "folder")
	check("the folder page")
	p.open("#/lineage?select="+url.QueryEscape("+child"), "lineage")
	check("the explorer")
	p.open("#/node/"+url.PathEscape(test), "node")
	check("the test's page")
	assert.Contains(t, p.text("main"), svgTag)
}
