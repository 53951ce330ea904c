// Package mongolite runs a MongoDB-wire server inside the process:
// FerretDB (v1, embedded) storing its collections in SQLite files under a
// directory. It stands in for a MongoDB service where there is none: the
// SODA Store demo's app events (cmd/mongolite) and the tests of mart
// extract's MongoDB source. It is not meant for production data.
package mongolite

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Options of a server.
type Options struct {
	// Addr is the TCP address to listen on; "" or a port 0 picks a free
	// port on 127.0.0.1.
	Addr string
	// Dir holds the SQLite files (created if missing).
	Dir string
	// Logger receives FerretDB's log (nil: discarded).
	Logger *slog.Logger
}

// Server is a running MongoDB-wire server.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start starts a server; Close stops it.
func Start(opt Options) (*Server, error) {
	addr, err := listenAddr(opt.Addr)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	f, err := ferretdb.New(&ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: addr}, Handler: "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/", Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("mongolite: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = f.Run(ctx)
	}()
	s.uri = f.MongoDBURI() // waits for the listener
	return s, nil
}

// URI is the server's connection string (mongodb://host:port/).
func (s *Server) URI() string { return s.uri }

// Close stops the server and waits for it to finish.
func (s *Server) Close() {
	s.cancel()
	<-s.done
}

// listenAddr resolves a port 0 to a free port: FerretDB's handler needs
// the address it listens on before it listens.
func listenAddr(addr string) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("mongolite: address %q: %w", addr, err)
	}
	if port != "0" {
		return addr, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", fmt.Errorf("mongolite: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}
