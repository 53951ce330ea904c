// Command extractload runs mart extract's library on a project, in one
// process, for the extract benchmarks (bench/extract_bench_test.go) to
// measure its wall time and peak memory from outside: the `mart extract`
// command's own output is the CLI's business.
//
//	go run ./bench/cmd/extractload -project-dir DIR [-db PATH] [-memory-limit 1GB] [-full-refresh]
//
// It lands every source table of the project with an extract: block into
// the DuckDB file (default DIR/target/mart.duckdb) and prints one line per
// table on stdout: source.table, rows, seconds, rows/s, Go heap peak.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync/atomic"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/extract"
	_ "github.com/mart-dev/mart/extract/sources" // every kind of source
	"github.com/mart-dev/mart/internal/gcpace"
	"github.com/mart-dev/mart/warehouse/duckdb"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extractload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("project-dir", ".", "the project")
	db := fs.String("db", "", "the DuckDB file (default: <project-dir>/target/mart.duckdb)")
	memLimit := fs.String("memory-limit", "", "DuckDB's memory_limit (default: DuckDB's)")
	full := fs.Bool("full-refresh", false, "rebuild the raw tables")
	threads := fs.Int("threads", 1, "tables at once")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	gcpace.Set() // as cli.Main does
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, diags := compiler.Compile(compiler.Options{ProjectDir: *dir, ProfilesDir: *dir})
	if diags.HasErrors() {
		fmt.Fprintln(stderr, diags)
		return 2
	}
	var nodes []*compiler.Node
	for _, n := range res.Manifest.Sources {
		if len(n.Extract) > 0 {
			nodes = append(nodes, n)
		}
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].UniqueID < nodes[j].UniqueID })
	cfg := duckdb.Config{Path: *db}
	if cfg.Path == "" {
		cfg.Path = filepath.Join(*dir, "target", "mart.duckdb")
	}
	if *memLimit != "" {
		cfg.Settings = map[string]string{"memory_limit": *memLimit}
	}
	w, err := duckdb.Open(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer w.Close()
	heap := watchHeap(ctx)
	out, err := extract.Run(ctx, extract.Options{Sources: nodes, ProjectDir: *dir, Threads: *threads, FullRefresh: *full,
		Warehouse: w, ProgressInterval: -1})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	for _, t := range out.Tables {
		fmt.Fprintf(stdout, "%s.%s rows=%d seconds=%.3f rows/s=%.0f go-heap-peak-MB=%.1f\n", t.Source, t.Table, t.Rows,
			t.Duration.Seconds(), float64(t.Rows)/t.Duration.Seconds(), float64(heap.Load())/1e6)
	}
	if err := out.Err(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// watchHeap samples the Go heap in use every 50 ms and keeps the peak.
func watchHeap(ctx context.Context) *atomic.Int64 {
	var peak atomic.Int64
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if int64(ms.HeapInuse) > peak.Load() {
				peak.Store(int64(ms.HeapInuse))
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return &peak
}
