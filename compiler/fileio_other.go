//go:build !unix

package compiler

import (
	"bytes"
	"os"
	"path/filepath"
)

func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }

// dirFiles reads and writes the files of one directory by name (see the
// unix version); full paths here.
type dirFiles struct{ dir string }

func openDirFiles(dir string) dirFiles { return dirFiles{dir: dir} }

func (d dirFiles) close() {}

func (d dirFiles) writeFile(name string, data []byte) error {
	return writeFile(filepath.Join(d.dir, name), data)
}

func (d dirFiles) sameContent(name string, want, buf []byte) (bool, []byte) {
	return sameContent(filepath.Join(d.dir, name), want, buf)
}

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }

// sameContent tells whether the file name holds exactly want; buf is
// returned as it came (a buffer for the unix version's reads).
func sameContent(name string, want, buf []byte) (bool, []byte) {
	old, err := os.ReadFile(name)
	return err == nil && bytes.Equal(old, want), buf
}

// fileID is a file's inode number: none here.
func fileID(os.FileInfo) uint64 { return 0 }

func mapFile(name string) ([]byte, fileStat, error) {
	st, err := statOf(name)
	if err != nil {
		return nil, fileStat{}, err
	}
	data, err := os.ReadFile(name)
	return data, st, err
}

// unmapFile gives back what mapFile read (the collector does, here).
func unmapFile([]byte) {}

// lockSnapshot: no flock here; a command that read the snapshot writes it
// again only while it is in place (writeIfInPlace), without the lock.
func lockSnapshot(string) (func(), bool) { return func() {}, true }

// lockSnapshotIfUsed is lockSnapshot for a compile that keeps no snapshot.
func lockSnapshotIfUsed(string) (func(), bool) { return func() {}, true }
