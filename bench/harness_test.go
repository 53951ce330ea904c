package bench

// The harness the benchmarks share: one scratch directory per test binary,
// binaries built once, projects generated once, and a subprocess runner that
// measures wall time, CPU time and peak RSS.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mart-dev/mart/bench/projgen"
)

// martEnv names a prebuilt mart binary to benchmark instead of building
// ./cmd/mart, e.g. an older commit's to compare against.
const martEnv = "MART_BENCH_MART"

var scratch struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if scratch.dir != "" {
		os.RemoveAll(scratch.dir)
	}
	os.Exit(code)
}

// scratchDir is shared by all benchmarks of this test binary and removed
// when it exits; b.TempDir would not outlive one benchmark function call,
// and the binaries and projects are reused across -count runs.
func scratchDir(tb testing.TB) string {
	scratch.once.Do(func() { scratch.dir, scratch.err = os.MkdirTemp("", "mart-bench-") })
	if scratch.err != nil {
		tb.Fatal(scratch.err)
	}
	return scratch.dir
}

// repoRoot is the directory of the module's go.mod.
func repoRoot(tb testing.TB) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if gomod := strings.TrimSpace(string(out)); err == nil && gomod != "" && gomod != os.DevNull {
		return filepath.Dir(gomod)
	}
	abs, err := filepath.Abs("..")
	if err != nil {
		tb.Fatal(err)
	}
	return abs
}

type builtBinary struct {
	path string
	err  error
}

var (
	binariesMu sync.Mutex
	binaries   = map[string]builtBinary{}
)

// buildBinary builds the main package pkg (relative to the repo root) once
// per test binary and returns its path.
func buildBinary(tb testing.TB, pkg string) (string, error) {
	binariesMu.Lock()
	defer binariesMu.Unlock()
	if bin, ok := binaries[pkg]; ok {
		return bin.path, bin.err
	}
	path := filepath.Join(scratchDir(tb), "bin", filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", path, "./"+pkg)
	cmd.Dir = repoRoot(tb)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		err = fmt.Errorf("go build ./%s: %w\n%s", pkg, err, tail(out, 2000))
	} else {
		tb.Logf("built ./%s in %s", pkg, time.Since(start).Round(time.Millisecond))
	}
	binaries[pkg] = builtBinary{path, err}
	return path, err
}

var warnSkip sync.Once

// martBinary returns the mart binary, skipping the benchmark with the
// build error while cmd/mart does not build yet. The reason also goes to
// stderr once, since go test shows skip messages only with -v.
func martBinary(b *testing.B) string {
	if bin := os.Getenv(martEnv); bin != "" {
		return bin
	}
	bin, err := buildBinary(b, "cmd/mart")
	if err != nil {
		msg := fmt.Sprintf("skipping: the mart binary does not build yet (set %s to use a prebuilt one): %v", martEnv, err)
		warnSkip.Do(func() { fmt.Fprintln(os.Stderr, "bench:", msg) })
		b.Skip(msg)
	}
	return bin
}

var (
	projectsMu sync.Mutex
	projects   = map[projgen.Options]string{}
)

// project generates the project for opt once per test binary.
func project(tb testing.TB, opt projgen.Options) string {
	projectsMu.Lock()
	defer projectsMu.Unlock()
	if dir, ok := projects[opt]; ok {
		return dir
	}
	name := fmt.Sprintf("project-%d-seed%d-layers%d-macros%d-%s", opt.Models, opt.Seed, opt.Layers, opt.MacrosFiles, opt.Materialized)
	if opt.Chain {
		name += "-chain"
	}
	dir := filepath.Join(scratchDir(tb), name)
	start := time.Now()
	if err := projgen.Generate(dir, opt); err != nil {
		tb.Fatal(err)
	}
	// the first timed run must not pay for writing back the generator's
	// files (it took 1.3-1.5 s where the others took 0.8)
	syncDisks()
	tb.Logf("generated %d models in %s", opt.Models, time.Since(start).Round(time.Millisecond))
	projects[opt] = dir
	return dir
}

// discard moves path out of the way into the scratch dir's trash, which is
// removed when the test binary exits: deleting tens of thousands of files
// between timed runs makes this machine's disk (mounted with discard) stall
// the next run's writes.
func discard(tb testing.TB, path string) {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return
	}
	trash, err := os.MkdirTemp(scratchDir(tb), "trash-")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(path, filepath.Join(trash, filepath.Base(path))); err != nil {
		tb.Fatal(err)
	}
}

// discardDatabases discards the DuckDB files a build left in dir/target.
func discardDatabases(tb testing.TB, dir string) {
	for _, pattern := range []string{"*.duckdb", "*.duckdb.wal"} {
		matches, _ := filepath.Glob(filepath.Join(dir, "target", pattern))
		for _, m := range matches {
			discard(tb, m)
		}
	}
}

// procStats is what one subprocess cost.
type procStats struct {
	wall    time.Duration
	cpu     time.Duration // user + system
	peakRSS int64         // bytes; 0 where the platform does not say
}

// run executes bin with args in dir and fails the benchmark with the tail
// of its output if it exits non-zero.
func run(tb testing.TB, dir, bin string, args ...string) procStats {
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, tail(out.Bytes(), 4000))
	}
	ps := cmd.ProcessState
	return procStats{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), peakRSS: peakRSS(ps)}
}

// metrics accumulates procStats over the timed iterations.
type metrics struct {
	runs    int
	wall    time.Duration
	cpu     time.Duration
	peakRSS int64
}

func (m *metrics) add(s procStats) {
	m.runs++
	m.wall += s.wall
	m.cpu += s.cpu
	m.peakRSS = max(m.peakRSS, s.peakRSS)
}

// report adds wall-ms/op, cpu-ms/op and peak-MB (the largest of any run)
// and, when models > 0, ms/model: the per-model cost of a build.
func (m *metrics) report(b *testing.B, models int) {
	if m.runs == 0 {
		return
	}
	wallMS := float64(m.wall.Microseconds()) / 1e3 / float64(m.runs)
	b.ReportMetric(wallMS, "wall-ms/op")
	b.ReportMetric(float64(m.cpu.Microseconds())/1e3/float64(m.runs), "cpu-ms/op")
	if m.peakRSS > 0 {
		b.ReportMetric(float64(m.peakRSS)/1e6, "peak-MB") // decimal, as benchstat reads MB
	}
	if models > 0 {
		b.ReportMetric(wallMS/float64(models), "ms/model")
	}
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = append([]byte("..."), b[len(b)-n:]...)
	}
	return string(b)
}
