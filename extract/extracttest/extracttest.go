// Package extracttest holds what the tests of mart extract's sources
// share: a project compiled from an extract: block, the local PostgreSQL
// and MariaDB servers (skipped when absent, required under
// MART_REQUIRE_SERVICES=1), running an extract in-process or in a child
// process that a failpoint may kill, and reading the landed rows back.
package extracttest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
	_ "github.com/mart-dev/mart/warehouse/duckdb" // the test projects' adapter
)

// RequireServices reports whether tests must fail, not skip, when a
// server they need is absent (CI sets MART_REQUIRE_SERVICES=1).
func RequireServices() bool { return os.Getenv("MART_REQUIRE_SERVICES") == "1" }

// SkipOrFail skips the test with a one-line reason, or fails it under
// MART_REQUIRE_SERVICES=1.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if RequireServices() {
		t.Fatalf("%s (MART_REQUIRE_SERVICES=1)", msg)
	}
	t.Skip(msg)
}

// Project writes a project whose models/sources.yml is sourcesYAML into
// a new directory and returns the directory.
func Project(t testing.TB, sourcesYAML string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mart.yml"), []byte("name: extract_test\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "profiles.yml"),
		[]byte("extract_test:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/mart.duckdb}\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "models"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models", "sources.yml"), []byte(sourcesYAML), 0o644))
	return dir
}

// Sources compiles the project in dir and returns its source tables that
// have an extract: block, sorted by unique id.
func Sources(dir string) ([]*compiler.Node, error) {
	res, diags := compiler.Compile(compiler.Options{ProjectDir: dir, ProfilesDir: dir})
	if diags.HasErrors() {
		return nil, diags
	}
	var out []*compiler.Node
	for _, n := range res.Manifest.Sources {
		if len(n.Extract) > 0 {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UniqueID < out[j].UniqueID })
	return out, nil
}

// WarehousePath is where a test project's DuckDB file is.
func WarehousePath(dir string) string { return filepath.Join(dir, "target", "mart.duckdb") }

// Open opens the project's warehouse through its target, as the CLI does
// (the adapter registry: a test project's profile names DuckDB).
func Open(ctx context.Context, dir string) (warehouse.Warehouse, error) {
	proj, diags := compiler.LoadProject(dir, nil)
	if diags.HasErrors() {
		return nil, diags
	}
	tgt, diags := compiler.LoadTarget(proj, compiler.ProfileOptions{ProfilesDir: dir})
	if diags.HasErrors() {
		return nil, diags
	}
	return tgt.Open(ctx, dir)
}

// Lander is w as extract lands into it (extract.Warehouse).
func Lander(t testing.TB, w warehouse.Warehouse) extract.Warehouse {
	t.Helper()
	lw, ok := w.(extract.Warehouse)
	require.True(t, ok, "the %T warehouse cannot land extracted rows", w)
	return lw
}

// RunOptions change a test run.
type RunOptions struct {
	FullRefresh bool
	Threads     int
	Events      extract.Events
}

// Extract compiles the project in dir and extracts all its sources into
// its DuckDB file, in this process.
func Extract(ctx context.Context, dir string, o RunOptions) (*extract.Results, error) {
	nodes, err := Sources(dir)
	if err != nil {
		return nil, err
	}
	w, err := Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	lw, ok := w.(extract.Warehouse)
	if !ok {
		return nil, fmt.Errorf("the %T warehouse cannot land extracted rows", w)
	}
	// as the CLI names it: the database file (each test's project has its own)
	dest := "duckdb path=" + WarehousePath(dir)
	return extract.Run(ctx, extract.Options{Sources: nodes, ProjectDir: dir, Destination: dest, Threads: o.Threads, FullRefresh: o.FullRefresh,
		Warehouse: lw, Events: o.Events, ProgressInterval: -1})
}

// MustExtract runs Extract and fails the test on any error, a table's
// included.
func MustExtract(t testing.TB, dir string, o RunOptions) *extract.Results {
	t.Helper()
	res, err := Extract(context.Background(), dir, o)
	require.NoError(t, err)
	require.NoError(t, res.Err())
	return res
}

// Query reads rows from the project's DuckDB file.
func Query(t testing.TB, dir, q string) [][]any {
	t.Helper()
	w, err := Open(context.Background(), dir)
	require.NoError(t, err)
	defer w.Close()
	rows, err := w.Query(context.Background(), q, 0)
	require.NoError(t, err)
	return rows.Values
}

// Recorder is an extract.Events that keeps what it receives.
type Recorder struct {
	mu       sync.Mutex
	Started  []extract.TableInfo
	Progress []extract.Progress
	Warnings []string
	Finished []extract.TableResult
}

func (r *Recorder) TableStarted(t extract.TableInfo) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Started = append(r.Started, t)
}

func (r *Recorder) TableProgress(p extract.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Progress = append(r.Progress, p)
}

func (r *Recorder) TableWarning(t extract.TableInfo, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Warnings = append(r.Warnings, t.Source+"."+t.Table+": "+msg)
}

func (r *Recorder) TableFinished(res extract.TableResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Finished = append(r.Finished, res)
}

// ResultLine is a table result without its timings, for comparisons.
func ResultLine(r extract.TableResult) string {
	return strings.TrimSpace(fmt.Sprintf("%s.%s %s rows=%d inserted=%d updated=%d deleted=%d", r.Source, r.Table, r.Status,
		r.Rows, r.Inserted, r.Updated, r.Deleted))
}

// Strings renders rows as text (NULL as "NULL") for comparing rows read
// from different engines with queries that format values alike.
func Strings(rows [][]any) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			if v == nil {
				out[i][j] = "NULL"
			} else {
				out[i][j] = fmt.Sprint(v)
			}
		}
	}
	return out
}
