package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// martBin is the mart binary built once for all tests.
var martBin string

// repoRoot is the repository's root directory.
var repoRoot string

func TestMain(m *testing.M) {
	flag.Parse()
	_, file, _, _ := runtime.Caller(0)
	repoRoot = filepath.Dir(filepath.Dir(file))
	dir, err := os.MkdirTemp("", "mart-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	martBin = filepath.Join(dir, "mart")
	build := exec.Command("go", "build", "-o", martBin, "./cmd/mart")
	build.Dir = repoRoot
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building mart:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	Stdout, Stderr string
	Code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
}

// mart runs the binary in dir with args.
func mart(t testing.TB, dir string, args ...string) result {
	t.Helper()
	return martEnv(t, dir, nil, args...)
}

func martEnv(t testing.TB, dir string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, martBin, args...)
	cmd.Dir = dir
	// the demo's source raw reads the pipeline's tables when SODA_PIPELINE
	// is set: only a test that says so gets it
	cmd.Env = append(append(slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "SODA_PIPELINE=") }),
		"MART_PROFILES_DIR="), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "running mart: %v", err)
		code = ee.ExitCode()
	}
	return result{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

// project copies testdata/<name> into a fresh temporary directory.
func project(t testing.TB, name string) string {
	t.Helper()
	dst := t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "testdata", name), dst)
	return dst
}

// demo copies the demo project at the repository root.
func demo(t testing.TB) string {
	t.Helper()
	dst := t.TempDir()
	for _, p := range []string{"mart.yml", "models", "macros", "seeds", "snapshots", "tests"} {
		src := filepath.Join(repoRoot, p)
		if st, err := os.Stat(src); err == nil && st.IsDir() {
			copyTree(t, src, filepath.Join(dst, p))
		} else if err == nil {
			data, err := os.ReadFile(src)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dst, p), data, 0o644))
		}
	}
	return dst
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	require.NoError(t, err)
}

// writeFile writes a file inside a project, creating directories.
func writeFile(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
}

func readFile(t testing.TB, dir, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, rel))
	require.NoError(t, err)
	return string(data)
}

// query runs SQL on a project's DuckDB file (read-only) and returns the rows.
func query(t testing.TB, dir, q string) [][]any {
	t.Helper()
	return queryFile(t, filepath.Join(dir, "target", "mart.duckdb"), q)
}

// queryFile runs SQL on a DuckDB file (read-only) and returns the rows.
func queryFile(t testing.TB, file, q string) [][]any {
	t.Helper()
	db, err := sql.Open("duckdb", file+"?access_mode=read_only")
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query(q)
	require.NoError(t, err, q)
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		out = append(out, vals)
	}
	require.NoError(t, rows.Err())
	return out
}

// scalar runs a query returning one value.
func scalar(t testing.TB, dir, q string) any {
	t.Helper()
	rows := query(t, dir, q)
	require.Len(t, rows, 1, q)
	return rows[0][0]
}

// golden compares got with testdata/golden/<name>, rewriting it with -update.
func golden(t testing.TB, name, got string) {
	t.Helper()
	p := filepath.Join(repoRoot, "testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err, "missing golden file %s: run go test ./e2e -update", p)
	require.Equal(t, string(want), got, "golden %s differs (run go test ./e2e -update to accept)", name)
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }
