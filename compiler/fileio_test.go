package compiler

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadFileSizes reads files of sizes around the buffer's edges back
// whole, with readFile and readFileStat, and a file of /proc (size 0 in
// its stat, content when read).
func TestReadFileSizes(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 2, 511, 512, 513, 4095, 4096, 4097, 1 << 20} {
		want := bytes.Repeat([]byte("select 1;\n"), size/10+1)[:size]
		name := filepath.Join(dir, "f.sql")
		require.NoError(t, os.WriteFile(name, want, 0o644))
		got, err := readFile(name)
		require.NoError(t, err)
		require.Equal(t, want, got, "size %d", size)
		got, st, err := readFileStat(name)
		require.NoError(t, err)
		require.Equal(t, want, got, "size %d", size)
		require.Equal(t, int64(size), st.Size)
	}
	if want, err := os.ReadFile("/proc/self/status"); err == nil {
		got, err := readFile("/proc/self/status")
		require.NoError(t, err)
		require.Equal(t, bytes.SplitN(want, []byte("\n"), 2)[0], bytes.SplitN(got, []byte("\n"), 2)[0])
		require.Greater(t, len(got), 100)
	}
	_, err := readFile(filepath.Join(dir, "missing.sql"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

// TestScanError: what the scan cannot read is named, and only a symlink
// to a directory is called one (a review found an unreadable directory
// called a symlink).
func TestScanError(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "models", "locked"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "shared"), 0o755))
	require.NoError(t, os.Symlink("../shared", filepath.Join(dir, "models", "shared")))
	c := &compilation{scope: &scope{project: &Project{Dir: dir, File: "mart.yml"}}}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: filepath.Join(dir, "models", "locked"), Err: fs.ErrPermission}, "models/locked: error: cannot read it: permission denied"},
		{&fs.PathError{Op: "read", Path: filepath.Join(dir, "models", "shared"), Err: syscall.EISDIR}, "models/shared: error: a symlink to a directory: mart does not follow it"},
		{&fs.PathError{Op: "open", Path: filepath.Join(dir, "models", "gone.sql"), Err: fs.ErrNotExist}, "models/gone.sql: error: cannot read it: file does not exist"},
		{&fs.PathError{Op: "open", Path: "/elsewhere/x.sql", Err: fs.ErrNotExist}, "mart.yml: error: open /elsewhere/x.sql: file does not exist"},
	} {
		d := c.scanError(tc.err)
		d.Detail = ""
		assert.Equal(t, tc.want, d.String())
	}
}
