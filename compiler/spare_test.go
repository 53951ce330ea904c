package compiler

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// replace writes content as a new version of file through stageFile.
func replace(t *testing.T, file, content string) {
	t.Helper()
	s, err := stageFile(file)
	require.NoError(t, err)
	_, err = s.File().WriteString(content)
	require.NoError(t, err)
	require.NoError(t, s.commit(int64(len(content))))
}

func inode(t *testing.T, name string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(name)
	require.NoError(t, err)
	return fi
}

func TestStagedFileSpare(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "manifest.json")
	spare := file + spareSuffix

	replace(t, file, "first version, the longest of all")
	require.NoFileExists(t, spare) // nothing was replaced
	replace(t, file, "second")
	requireFile(t, file, "second")
	requireFile(t, spare, "first version, the longest of all") // the replaced version
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2, "no temporary file is left")

	if runtime.GOOS != "linux" {
		return // no spare is written over elsewhere
	}
	// the spare is written over, cut to its new length, and swapped in
	old := inode(t, spare)
	replace(t, file, "third")
	requireFile(t, file, "third")
	require.True(t, os.SameFile(old, inode(t, file)), "the spare became the file")
	requireFile(t, spare, "second")

	// a reader of the spare (it opened the file before it was replaced)
	// keeps reading what it opened: a new file is made instead
	r, err := os.Open(spare)
	require.NoError(t, err)
	old = inode(t, spare)
	replace(t, file, "fourth")
	requireFile(t, file, "fourth")
	require.False(t, os.SameFile(old, inode(t, file)))
	got := make([]byte, 64)
	n, _ := r.Read(got)
	require.Equal(t, "second", string(got[:n]))
	require.NoError(t, r.Close())
	requireFile(t, spare, "second") // the spare in use stays as it was

	// a mapping of the spare counts as a reader too; so does another
	// writer holding it (another mart): both are checked by openSpare
	f := openSpare(spare)
	require.NotNil(t, f)
	require.Nil(t, openSpare(spare), "a second writer does not get the spare")
	require.NoError(t, f.Close())

	// a spare with another name (a hard link) is not written over
	require.NoError(t, os.Link(spare, filepath.Join(dir, "elsewhere")))
	replace(t, file, "fifth")
	requireFile(t, filepath.Join(dir, "elsewhere"), "second")

	// an aborted version leaves the file as it was
	s, err := stageFile(file)
	require.NoError(t, err)
	_, err = s.File().WriteString("never")
	require.NoError(t, err)
	s.abort()
	requireFile(t, file, "fifth")
}

func requireFile(t *testing.T, name, want string) {
	t.Helper()
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, want, string(got))
}
