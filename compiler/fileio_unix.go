//go:build unix

package compiler

import (
	"bytes"
	"os"
	"syscall"
)

// writeFile is os.WriteFile without the *os.File around the descriptor:
// no poller registration and no fcntl calls, which is a third of the cost
// of writing 10,000 small compiled files on Linux.
func writeFile(name string, data []byte) error {
	fd, err := syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
	for err == syscall.EINTR {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
	}
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, werr := syscall.Write(fd, data)
		if werr == syscall.EINTR {
			continue
		}
		if werr != nil {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: werr}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

// readFile is os.ReadFile the same way: open, fstat, read to the end, close.
func readFile(name string) ([]byte, error) {
	fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	size := 512
	if syscall.Fstat(fd, &st) == nil && st.Size > 0 && st.Size < 1<<30 {
		size = int(st.Size) + 1 // one more, to see EOF without growing
	}
	return readFD(fd, name, size)
}

// sameContent tells whether the file name holds exactly want, reading it
// (when its size is want's) into buf, which it returns for reuse.
func sameContent(name string, want, buf []byte) (bool, []byte) {
	fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return false, buf
	}
	defer syscall.Close(fd)
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

// readFD reads an open file to the end into a buffer of size bytes (one
// more than the file's size sees EOF without growing it).
func readFD(fd int, name string, size int) ([]byte, error) {
	data := make([]byte, 0, size)
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
		data = data[:len(data)+n]
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
func mapFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() == 0 {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
}
