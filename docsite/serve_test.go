package docsite

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveSite serves a generated demo site and returns its base URL.
func serveSite(t *testing.T, dir string) string {
	t.Helper()
	ln, err := Listen("", 0)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeListener(ctx, dir, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Error("ServeListener did not return after its context was cancelled")
		}
	})
	return "http://" + ln.Addr().String()
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "docs")
	_, err := Generate(dir, demoInput(t))
	require.NoError(t, err)
	base := serveSite(t, dir)
	assert.Contains(t, base, "127.0.0.1:", "the default host is the loopback")

	resp, body := get(t, base+"/")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `<script src="data/index.js`)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))

	resp, body = get(t, base+"/data/n/0.js?v=x")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "javascript")
	assert.Contains(t, body, "martDocs.shard(0,")

	for _, p := range []string{"/data/", "/data/n/", "/../../etc/passwd", "/assets/nope.js"} {
		resp, _ = get(t, base+p)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s: no listings, nothing outside the site", p)
	}
}

func TestServeWithoutASite(t *testing.T) {
	err := Serve(context.Background(), t.TempDir(), "127.0.0.1", 0)
	require.ErrorContains(t, err, "run mart docs generate first")
}

func TestServeFailsOnAPortInUse(t *testing.T) {
	ln, err := Listen("", 0)
	require.NoError(t, err)
	defer ln.Close()
	err = Serve(context.Background(), t.TempDir(), "", ln.Addr().(*net.TCPAddr).Port)
	require.ErrorContains(t, err, "address already in use")
}

// On the loopback, the site answers only requests made to a loopback name
// or address: a web page whose host name was re-pointed at 127.0.0.1 (DNS
// rebinding) cannot read the project's SQL through the visitor's browser.
func TestServeRefusesOtherHostNamesOnTheLoopback(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "docs")
	_, err := Generate(dir, demoInput(t))
	require.NoError(t, err)
	base := serveSite(t, dir)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	for host, want := range map[string]int{
		"127.0.0.1:" + port: http.StatusOK, "localhost:" + port: http.StatusOK, "[::1]:" + port: http.StatusOK,
		"127.0.0.1": http.StatusOK, "LOCALHOST": http.StatusOK,
		"evil.example:" + port: http.StatusForbidden, "evil.example": http.StatusForbidden, "10.0.0.1:" + port: http.StatusForbidden,
	} {
		req, err := http.NewRequest("GET", base+"/data/index.js", nil)
		require.NoError(t, err)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, host)
	}
}
