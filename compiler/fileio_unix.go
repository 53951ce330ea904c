//go:build unix

package compiler

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// writeFile is os.WriteFile without the *os.File around the descriptor:
// no poller registration and no fcntl calls, which is a third of the cost
// of writing 10,000 small compiled files on Linux.
func writeFile(name string, data []byte) error {
	return writeFileAt(unix.AT_FDCWD, name, name, data)
}

// dirFiles reads and writes the files of one directory by name, through
// one descriptor of it: each open then looks up one path component, not
// every one of a full path (a tenth of the cost of writing 10,000
// compiled files on Linux). Where the directory cannot be opened it
// falls back to full paths.
type dirFiles struct {
	dir string
	fd  int
}

// openat opens path relative to dirfd (unix.AT_FDCWD: as open does), again
// when a signal interrupted it.
func openat(dirfd int, path string, flags int, mode uint32) (int, error) {
	fd, err := unix.Openat(dirfd, path, flags, mode)
	for err == unix.EINTR {
		fd, err = unix.Openat(dirfd, path, flags, mode)
	}
	return fd, err
}

func openDirFiles(dir string) dirFiles {
	fd, err := openat(unix.AT_FDCWD, dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fd = -1
	}
	return dirFiles{dir: dir, fd: fd}
}

func (d dirFiles) close() {
	if d.fd >= 0 {
		unix.Close(d.fd)
	}
}

// at is the descriptor and path to open name with.
func (d dirFiles) at(name string) (int, string) {
	if d.fd < 0 {
		return unix.AT_FDCWD, filepath.Join(d.dir, name)
	}
	return d.fd, name
}

// writeFile writes the file name of the directory (as writeFile).
func (d dirFiles) writeFile(name string, data []byte) error {
	fd, rel := d.at(name)
	return writeFileAt(fd, rel, filepath.Join(d.dir, name), data)
}

// sameContent is sameContent for the file name of the directory.
func (d dirFiles) sameContent(name string, want, buf []byte) (bool, []byte) {
	fd, rel := d.at(name)
	return sameContentAt(fd, rel, want, buf)
}

// writeFileAt writes rel, opened relative to dirfd; path names it in
// errors.
//
// A file that is there is written over in place, unless it is not this
// name's alone: a file with other hard links (target/ copied with cp -al,
// a dedup tool that links equal files) would change under those names
// too, behind the stats that tell a compile what it wrote (found by
// review), and a symlink would be written through, wherever it points.
// Such a name is removed and made again as a file of its own. (A new
// file, the usual case of a compile, costs one open as before.)
func writeFileAt(dirfd int, rel, path string, data []byte) error {
	fd, err := openOwnFile(dirfd, rel)
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, werr := unix.Write(fd, data)
		if werr == unix.EINTR {
			continue
		}
		if werr != nil {
			unix.Close(fd)
			return &os.PathError{Op: "write", Path: path, Err: werr}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

// openOwnFile opens rel (relative to dirfd) to be written from its start,
// empty: a new file, or the one there when it is a plain file with no
// other name (see writeFileAt).
func openOwnFile(dirfd int, rel string) (int, error) {
	for try := 0; ; try++ {
		fd, err := openat(dirfd, rel, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o644)
		if err != unix.EEXIST || try == 3 {
			return fd, err
		}
		fd, err = openat(dirfd, rel, unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		switch {
		case err == unix.ENOENT:
			continue // removed meanwhile
		case err == unix.ELOOP:
			// a symlink
		case err != nil:
			return -1, err
		default:
			var st unix.Stat_t
			if err := unix.Fstat(fd, &st); err != nil {
				unix.Close(fd)
				return -1, err
			}
			if st.Nlink <= 1 && st.Mode&unix.S_IFMT == unix.S_IFREG {
				if err := unix.Ftruncate(fd, 0); err != nil {
					unix.Close(fd)
					return -1, err
				}
				return fd, nil
			}
			unix.Close(fd)
		}
		if err := unix.Unlinkat(dirfd, rel, 0); err != nil && err != unix.ENOENT {
			return -1, err
		}
	}
}

// readFile is os.ReadFile the same way: open, fstat, read to the end, close.
func readFile(name string) ([]byte, error) {
	fd, err := openat(unix.AT_FDCWD, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	size := -1
	if syscall.Fstat(fd, &st) == nil && st.Size < 1<<30 {
		size = int(st.Size)
	}
	return readFD(fd, name, size)
}

// sameContent tells whether the file name holds exactly want, reading it
// (when its size is want's) into buf, which it returns for reuse.
func sameContent(name string, want, buf []byte) (bool, []byte) {
	return sameContentAt(unix.AT_FDCWD, name, want, buf)
}

// sameContentAt is sameContent for rel, opened relative to dirfd.
func sameContentAt(dirfd int, rel string, want, buf []byte) (bool, []byte) {
	fd, err := openat(dirfd, rel, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false, buf
	}
	defer unix.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Size != int64(len(want)) {
		return false, buf
	}
	if cap(buf) < len(want)+1 {
		buf = make([]byte, 0, len(want)+1+len(want)/2)
	}
	buf = buf[:0]
	for len(buf) <= len(want) { // one byte more than want sees a longer file
		n, err := syscall.Read(fd, buf[len(buf):len(want)+1])
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	return bytes.Equal(buf, want), buf
}

// readFD reads an open file to the end. size is its size as fstat gave
// it (-1: unknown); the buffer has one byte more, to see the end without
// growing. A read that returns fewer bytes than asked for and makes
// exactly size bytes ends it: a regular file read short is at its end,
// and the read that would return 0 is one syscall per file, 10,000 in a
// compile of the 10k bench project. Any other short read (a file that
// shrank, a file system that reads in pieces) goes on to the read that
// returns 0.
func readFD(fd int, name string, size int) ([]byte, error) {
	bufSize := 512
	if size >= 0 {
		bufSize = size + 1
	}
	data := make([]byte, 0, bufSize)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return data, nil
		}
		asked := cap(data) - len(data)
		data = data[:len(data)+n]
		if n < asked && len(data) == size {
			return data, nil
		}
	}
}

// fileID is a file's inode number.
func fileID(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}

// mapFile maps a file read-only, for good: mapped pages of the page cache
// cost a tenth of the fresh memory a read needs.
func mapFile(name string) ([]byte, fileStat, error) {
	at := time.Now().UnixNano()
	f, err := os.Open(name)
	if err != nil {
		return nil, fileStat{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fileStat{}, err
	}
	st := fileStatOf(fi, at)
	if fi.Size() == 0 {
		return nil, st, nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	return data, st, err
}

// unmapFile unmaps what mapFile mapped, when nothing points into it any
// more.
func unmapFile(data []byte) {
	if len(data) > 0 {
		_ = syscall.Munmap(data)
	}
}

// lockSnapshot takes the lock of the patch snapshot file (an exclusive
// flock of file.lock, waited for); false when it cannot be had.
func lockSnapshot(file string) (unlock func(), ok bool) { return flockFile(file+".lock", true) }

// lockSnapshotIfUsed is lockSnapshot for a compile that keeps no
// snapshot: it makes no lock file where no mart has made one (false).
func lockSnapshotIfUsed(file string) (unlock func(), ok bool) { return flockFile(file+".lock", false) }

func flockFile(file string, create bool) (unlock func(), ok bool) {
	flags := unix.O_RDWR | unix.O_CLOEXEC
	if create {
		flags |= unix.O_CREAT
	}
	fd, err := unix.Open(file, flags, 0o644)
	if err != nil {
		return nil, false
	}
	for {
		err = unix.Flock(fd, unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		unix.Close(fd)
		return nil, false
	}
	return func() { unix.Close(fd) }, true
}
