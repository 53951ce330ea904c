package docsite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/internal/headless"
)

// The browser tests share one headless Chromium, started on first use and
// stopped by TestMain; each test has its own tab.
var chrome struct {
	once sync.Once
	b    *headless.Browser
	dir  string
	skip string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chrome.b != nil {
		chrome.b.Close()
		os.RemoveAll(chrome.dir)
	}
	os.Exit(code)
}

// page is a tab of the shared browser on a generated site.
type page struct {
	t    *testing.T
	tab  *headless.Tab
	ctx  context.Context
	root string // the site's index.html as a file:// URL
}

// openSite opens a tab on the site in dir. It skips the test when
// Chromium is not installed, or fails it under MART_REQUIRE_SERVICES=1 (as
// CI runs). When the test ends, any JavaScript exception, console error or
// failed load in the page fails it.
func openSite(t *testing.T, dir string) *page {
	t.Helper()
	chrome.once.Do(func() {
		path, err := headless.Find()
		if err != nil {
			chrome.skip = err.Error()
			return
		}
		if chrome.dir, chrome.err = os.MkdirTemp("", "mart-chromium-"); chrome.err == nil {
			chrome.b, chrome.err = headless.Start(context.Background(), path, chrome.dir)
		}
	})
	if chrome.skip != "" {
		if os.Getenv("MART_REQUIRE_SERVICES") == "1" {
			t.Fatalf("Chromium is required (MART_REQUIRE_SERVICES=1): %s", chrome.skip)
		}
		t.Skipf("skipping the browser test: %s", chrome.skip)
	}
	require.NoError(t, chrome.err)
	tab, err := chrome.b.NewTab()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(tab.Ctx, time.Minute)
	abs, err := filepath.Abs(dir)
	require.NoError(t, err)
	p := &page{t: t, tab: tab, ctx: ctx, root: "file://" + filepath.ToSlash(abs) + "/index.html"}
	t.Cleanup(func() {
		for _, problem := range tab.Problems() {
			t.Errorf("the page reported: %s", problem)
		}
		cancel()
		tab.Close()
	})
	return p
}

// do runs actions, failing the test on an error.
func (p *page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, steps...))
}

// open loads index.html<hash> and waits for a page of kind to be ready.
func (p *page) open(hash, kind string) {
	p.t.Helper()
	p.follow(kind, chromedp.Navigate(p.root+hash))
}

// follow runs an action that leads to another page (a click, a key, a new
// address) and waits until a page of kind is ready. The page on screen is
// marked stale first: a change of the address's #part is handled after
// the action returns, and the old page may be of the same kind.
func (p *page) follow(kind string, action chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const m = document.getElementById('main'); if (m) m.dataset.state = 'stale'; })()`), action)
	p.waitPage(kind)
}

// waitPage waits until <main> holds a ready page of kind.
func (p *page) waitPage(kind string) {
	p.t.Helper()
	p.do(chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`main[data-page=%q][data-state="ready"]`, kind))))
}

// text returns the visible text of the first element matching sel.
func (p *page) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(p.t, err, "text of %s", sel)
	return strings.TrimSpace(s)
}

// eval evaluates a JavaScript expression (promises are awaited).
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := headless.Eval[T](p.tab, expr)
	require.NoError(p.t, err, "evaluate %s", expr)
	return v
}

// count returns how many elements match a CSS selector.
func (p *page) count(sel string) int {
	p.t.Helper()
	return eval[int](p, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// hash returns location.hash.
func (p *page) hash() string { return eval[string](p, "location.hash") }

// content returns the textContent of the first element matching sel,
// shown or not.
func (p *page) content(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf("document.querySelector(%q).textContent", sel))
}
