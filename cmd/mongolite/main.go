// Command mongolite serves the MongoDB wire protocol from this process
// (FerretDB on SQLite files, see internal/mongolite), for trying the SODA
// Store's pipeline (docs/soda-store.md) where no MongoDB runs:
//
//	go run ./cmd/mongolite                         # mongodb://127.0.0.1:27017/, data in target/mongolite
//	go run ./cmd/mongolite --addr 127.0.0.1:27018 --dir /tmp/mongo
//
// It runs until interrupted. It is a stand-in for development, not a
// database for production data.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/mart-dev/mart/internal/mongolite"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:27017", "TCP address to listen on (port 0: a free one)")
	dir := flag.String("dir", "target/mongolite", "directory of the SQLite files that hold the data")
	verbose := flag.Bool("v", false, "also print FerretDB's warnings (every client that disconnects causes one: \"no such command: endSessions\")")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	level := slog.LevelError
	if *verbose {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	s, err := mongolite.Start(mongolite.Options{Addr: *addr, Dir: *dir, Logger: logger})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mongolite:", err)
		os.Exit(1)
	}
	fmt.Printf("mongolite: serving %s (data in %s); Ctrl-C stops it\n", s.URI(), *dir)
	<-ctx.Done()
	s.Close()
}
