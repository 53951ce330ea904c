// Package headless starts headless Chromium for the docs site's browser
// tests and benchmarks (github.com/chromedp/chromedp over the DevTools
// protocol), and records what a page did wrong: uncaught exceptions,
// console errors and resources that failed to load.
package headless

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Find returns the path of the chromium binary (Debian's package, which
// .ci/install-chromium installs), or an error saying it is missing.
func Find() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("chromium is not installed (.ci/install-chromium installs it)")
}

// Browser is one headless Chromium process.
type Browser struct {
	ctx    context.Context
	cancel func()
}

// Start starts Chromium with a fresh profile in userDataDir. The flags keep
// it from calling home (on a closed network it would otherwise retry
// refused connections all along) and let it run as root in a container.
func Start(ctx context.Context, path, userDataDir string) (*Browser, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(userDataDir),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		cancelBrowser()
		cancelAlloc()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	return &Browser{ctx: bctx, cancel: func() { cancelBrowser(); cancelAlloc() }}, nil
}

// Close stops the browser.
func (b *Browser) Close() { b.cancel() }

// Tab is a browser tab that records the page's problems.
type Tab struct {
	Ctx    context.Context
	cancel func()

	mu       sync.Mutex
	problems []string
}

// NewTab opens a tab.
func (b *Browser) NewTab() (*Tab, error) {
	t := &Tab{}
	t.Ctx, t.cancel = chromedp.NewContext(b.ctx, chromedp.WithListener(t.listen))
	for _, enable := range []cdp.Command[cdp.Empty, cdp.Empty]{cdplog.Enable, runtime.Enable} {
		if _, err := chromedp.Call(t.Ctx, enable, cdp.Empty{}); err != nil {
			t.cancel()
			return nil, fmt.Errorf("open a tab: %w", err)
		}
	}
	return t, nil
}

func (t *Tab) listen(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		p = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			p += " " + ev.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			p = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			p = "log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	}
	if p != "" {
		t.mu.Lock()
		t.problems = append(t.problems, p)
		t.mu.Unlock()
	}
}

// Do runs actions in the tab, in order.
func (t *Tab) Do(steps ...chromedp.Action[chromedp.Void]) error { return chromedp.Do(t.Ctx, steps...) }

// Eval evaluates a JavaScript expression in the tab's page and decodes its
// value; a promise is awaited.
func Eval[T any](t *Tab, expr string) (T, error) {
	return chromedp.Run(t.Ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// Problems returns what went wrong in the page so far: exceptions,
// console errors, failed loads.
func (t *Tab) Problems() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.problems...)
}

// Close closes the tab.
func (t *Tab) Close() { t.cancel() }
