package compiler

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

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
