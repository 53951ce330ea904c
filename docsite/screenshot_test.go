package docsite

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var screenshot = flag.Bool("screenshot", false, "regenerate docs/img/lineage.png from the demo's site")

// TestScreenshot writes the picture of the demo's lineage page that the
// README shows: go test ./docsite -run Screenshot -screenshot
func TestScreenshot(t *testing.T) {
	if !*screenshot {
		t.Skip("pass -screenshot to regenerate docs/img/lineage.png")
	}
	p := openSite(t, demoSite(t).dir)
	p.do(chromedp.EmulateViewport(1280, 820))
	p.open("#/node/model.soda.fct_reservations", "node")
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	out := filepath.Join("..", "docs", "img", "lineage.png")
	require.NoError(t, os.MkdirAll(filepath.Dir(out), 0o755))
	require.NoError(t, os.WriteFile(out, png, 0o644))
}
