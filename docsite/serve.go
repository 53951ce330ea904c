package docsite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// contentPolicy is the site's Content-Security-Policy, also set by a
// <meta> in index.html for file:// and hosts that send no header: only the
// site's own scripts and styles run; images may come from anywhere a
// description points.
const contentPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; base-uri 'none'; form-action 'none'"

// Serve serves the site in dir (target/docs) on host:port until ctx is
// done; host "" means 127.0.0.1, so the site is not on the network unless
// asked. It is Listen followed by ServeListener.
func Serve(ctx context.Context, dir, host string, port int) error {
	ln, err := Listen(host, port)
	if err != nil {
		return err
	}
	return ServeListener(ctx, dir, ln)
}

// Listen opens the TCP listener Serve uses (host "" is 127.0.0.1; port 0
// picks a free port), so a caller can print ln.Addr() before serving.
func Listen(host string, port int) (net.Listener, error) {
	if host == "" {
		host = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("serve docs: %w", err)
	}
	return ln, nil
}

// ServeListener serves the site in dir on ln until ctx is done, then
// shuts down, letting requests in flight finish for up to 5 s, and returns
// nil. It closes ln.
func ServeListener(ctx context.Context, dir string, ln net.Listener) error {
	if _, err := os.Stat(path.Join(dir, "index.html")); err != nil {
		ln.Close()
		return fmt.Errorf("serve docs: no site in %s (run mart docs generate first): %w", dir, err)
	}
	h := Handler(dir)
	if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsLoopback() {
		h = loopbackOnly(h)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-done
		return nil
	}
	return fmt.Errorf("serve docs: %w", err)
}

// Handler serves the files of the site in dir: nothing outside it, no
// directory listings, every response revalidated (a new generation
// replaces the files in place) and sent with the site's
// Content-Security-Policy.
func Handler(dir string) http.Handler {
	files := http.FileServerFS(noListing{os.DirFS(dir)})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// loopbackOnly answers only requests whose Host is a loopback name or
// address. A site served on the loopback is for this machine's browser;
// a page on another site whose host name was re-pointed at 127.0.0.1 (DNS
// rebinding) would otherwise read the project's SQL through it.
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if hh, _, err := net.SplitHostPort(host); err == nil {
			host = hh
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		ip := net.ParseIP(host)
		if !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "mart docs serve answers only requests to localhost or 127.0.0.1 (--host sets another address)", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// noListing hides directories without an index.html, so the file server
// lists none.
type noListing struct{ fs.FS }

func (n noListing) Open(name string) (fs.File, error) {
	f, err := n.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		if _, err := fs.Stat(n.FS, path.Join(name, "index.html")); err != nil {
			f.Close()
			return nil, fs.ErrNotExist
		}
	}
	return f, nil
}
