//go:build unix

package compiler

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

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

func statOfT(t *testing.T, name string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(name)
	require.NoError(t, err)
	return fi
}

func requireFile(t *testing.T, name, want string) {
	t.Helper()
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, want, string(got))
}

// requireNoTemps checks that no new version is left beside file.
func requireNoTemps(t *testing.T, file string) {
	t.Helper()
	require.Empty(t, tempsOf(file))
}

func TestStagedFileSpare(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "manifest.json")
	spare := file + spareSuffix

	replace(t, file, "first version, the longest of all")
	require.NoFileExists(t, spare) // nothing was replaced
	replace(t, file, "second")
	requireFile(t, file, "second")
	requireNoTemps(t, file)
	if runtime.GOOS != "linux" {
		require.NoFileExists(t, spare) // no exchange, no lease: no spare here
		return
	}
	requireFile(t, spare, "first version, the longest of all") // the replaced version

	// the spare is written over, cut to its new length, and swapped in
	old := statOfT(t, spare)
	replace(t, file, "third")
	requireFile(t, file, "third")
	require.True(t, os.SameFile(old, statOfT(t, file)), "the spare became the file")
	requireFile(t, spare, "second")

	// a reader of the spare (it opened the file before it was replaced)
	// keeps reading what it opened: a new file is made instead
	r, err := os.Open(spare)
	require.NoError(t, err)
	old = statOfT(t, spare)
	replace(t, file, "fourth")
	requireFile(t, file, "fourth")
	require.False(t, os.SameFile(old, statOfT(t, file)))
	got := make([]byte, 64)
	n, _ := r.Read(got)
	require.Equal(t, "second", string(got[:n]))
	require.NoError(t, r.Close())
	requireFile(t, spare, "third")

	// so does a mapping of it, its descriptor closed
	f, err := os.Open(spare)
	require.NoError(t, err)
	mapped, err := syscall.Mmap(int(f.Fd()), 0, 5, syscall.PROT_READ, syscall.MAP_SHARED)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	replace(t, file, "fifth")
	requireFile(t, file, "fifth")
	require.Equal(t, "third", string(mapped))
	require.NoError(t, syscall.Munmap(mapped))

	// a spare with another name (a hard link) is not written over
	require.NoError(t, os.Link(spare, filepath.Join(dir, "elsewhere")))
	replace(t, file, "sixth")
	requireFile(t, file, "sixth")
	requireFile(t, filepath.Join(dir, "elsewhere"), "fourth")
	requireFile(t, spare, "fifth")

	// while the spare is written over its name is free (the claim renamed
	// it): deleting the spare or another mart finds nothing to touch
	s, err := stageFile(file)
	require.NoError(t, err)
	require.True(t, s.spare)
	require.NoFileExists(t, spare)
	_, err = s.File().WriteString("seventh")
	require.NoError(t, err)
	require.NoError(t, s.commit(7))
	requireFile(t, file, "seventh")
	requireFile(t, spare, "sixth")

	// an aborted version leaves the file as it was, and the spare a spare
	s, err = stageFile(file)
	require.NoError(t, err)
	_, err = s.File().WriteString("never")
	require.NoError(t, err)
	s.abort()
	requireFile(t, file, "seventh")
	require.FileExists(t, spare)
	requireNoTemps(t, file)

	// something else than a file at the spare's name (a FIFO would block
	// an open for writing) is dropped, not written through
	require.NoError(t, os.Remove(spare))
	require.NoError(t, syscall.Mkfifo(spare, 0o644))
	replace(t, file, "eighth")
	requireFile(t, file, "eighth")
	requireFile(t, spare, "seventh")
	requireNoTemps(t, file)

	// a directory at the spare's name is left there, and the new version
	// written to a file of its own (it was opened at the claim's name)
	require.NoError(t, os.Remove(spare))
	require.NoError(t, os.MkdirAll(filepath.Join(spare, "x"), 0o755))
	replace(t, file, "ninth")
	requireFile(t, file, "ninth")
	require.DirExists(t, filepath.Join(spare, "x"))
	requireNoTemps(t, file)
	require.NoError(t, os.RemoveAll(spare))

	// a directory at the file's name is not exchanged away: the commit
	// fails, as a rename over it does, and leaves it
	other := filepath.Join(dir, "other.json")
	require.NoError(t, os.MkdirAll(filepath.Join(other, "x"), 0o755))
	s, err = stageFile(other)
	require.NoError(t, err)
	_, err = s.File().WriteString("new")
	require.NoError(t, err)
	require.Error(t, s.commit(3))
	require.DirExists(t, filepath.Join(other, "x"))
	requireNoTemps(t, other)
}

func TestStagedFileStaleTemps(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "manifest.json")
	left := file + ".0123456789ab" + tempSuffix // as a killed mart leaves it
	other := filepath.Join(dir, "manifest.json.notes.tmp")
	require.NoError(t, os.WriteFile(left, []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(other, []byte("x"), 0o644))
	replace(t, file, "one")
	require.FileExists(t, left, "a young one may be another mart's, being written")
	old := time.Now().Add(-2 * time.Hour)
	require.NoError(t, os.Chtimes(left, old, old))
	// the change time cannot be set back: the limit is
	defer func(d time.Duration) { staleAfter = d }(staleAfter)
	staleAfter = -time.Minute
	if runtime.GOOS == "linux" {
		// one a live mart writes (stopped for long, say) holds its lock
		f, err := os.OpenFile(left, os.O_WRONLY, 0)
		require.NoError(t, err)
		lockTemp(f)
		replace(t, file, "locked")
		require.FileExists(t, left, "a locked one is a live mart's")
		require.NoError(t, f.Close())
	}
	replace(t, file, "two")
	require.NoFileExists(t, left)
	require.FileExists(t, other, "only names of the form mart writes are removed")
}

// TestStagedFileConcurrent replaces one file from several goroutines at
// once (as several marts compiling one target/ would) while another reads
// it: no version is written into the file in place, every read is one
// whole version, and so is the file at the end.
func TestStagedFileConcurrent(t *testing.T) {
	file := filepath.Join(t.TempDir(), "manifest.json")
	version := func(k int) []byte { // its number at both ends, sizes vary
		b := bytes.Repeat([]byte{'a' + byte(k%26)}, 20000+k%5*7000)
		copy(b, fmt.Sprintf("<%08d", k))
		copy(b[len(b)-9:], fmt.Sprintf("%08d>", k))
		return b
	}
	whole := func(b []byte) bool {
		var k int
		if len(b) < 9 {
			return false
		}
		if _, err := fmt.Sscanf(string(b[:9]), "<%08d", &k); err != nil {
			return false
		}
		return bytes.Equal(b, version(k))
	}
	var next atomic.Int64
	var torn, intoLive atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1500; i++ {
				k := int(next.Add(1))
				s, err := stageFile(file)
				if err != nil {
					t.Error(err)
					return
				}
				b := version(k)
				s.File().Write(b)
				if w, err := s.File().Stat(); err == nil {
					if live, err := os.Stat(file); err == nil && os.SameFile(w, live) {
						intoLive.Add(1)
					}
				}
				if k%7 == 0 {
					s.abort()
				} else if err := s.commit(int64(len(b))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	writers := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-writers:
				return
			default:
			}
			if b, err := os.ReadFile(file); err == nil && !whole(b) {
				torn.Add(1)
			}
		}
	}()
	wg.Wait()
	close(writers)
	<-done
	require.Zero(t, intoLive.Load(), "versions written into the live file")
	require.Zero(t, torn.Load(), "reads of a torn version")
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.True(t, whole(b))
	requireNoTemps(t, file)
}
