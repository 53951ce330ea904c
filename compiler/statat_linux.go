//go:build linux

package compiler

import (
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// statNames stats the named entries of dir as os.Stat would (following
// symbolic links), through one descriptor of dir: each stat then looks up
// one path component, not every one of a full path. A 10,000-file
// project's check before a patch takes a third less that way.
// out[i] gets names[i]'s stat, or errs[i] its error; errs is nil when
// every stat succeeded.
func statNames(dir string, names []string, out []fileStat) (errs []error) {
	fd, err := openat(unix.AT_FDCWD, dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return statNamesByPath(dir, names, out)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	for i, name := range names {
		at := time.Now().UnixNano()
		err := unix.Fstatat(fd, name, &st, 0)
		for err == unix.EINTR {
			err = unix.Fstatat(fd, name, &st, 0)
		}
		if err != nil {
			if errs == nil {
				errs = make([]error, len(names))
			}
			errs[i] = &os.PathError{Op: "stat", Path: dir + string(os.PathSeparator) + name, Err: err}
			continue
		}
		out[i] = fileStat{Size: st.Size, MTime: st.Mtim.Nano(), Ino: uint64(st.Ino), At: at}
	}
	return errs
}

// readFileStat is readFile that also returns the file's stat, taken from
// its descriptor before it is read (as statOf then readFile would, with
// one syscall and one path lookup fewer). A file whose fstat fails gets
// Size -1: never the same as the next stat.
func readFileStat(name string) ([]byte, fileStat, error) {
	return readFileStatAt(unix.AT_FDCWD, name, name)
}

// readFileStat is readFileStat for the file name of the directory.
func (d dirFiles) readFileStat(name string) ([]byte, fileStat, error) {
	fd, rel := d.at(name)
	return readFileStatAt(fd, rel, filepath.Join(d.dir, name))
}

// readFileStatAt is readFileStat for rel, opened relative to dirfd; path
// names it in errors.
func readFileStatAt(dirfd int, rel, path string) ([]byte, fileStat, error) {
	at := time.Now().UnixNano()
	fd, err := openat(dirfd, rel, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fileStat{}, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	var st syscall.Stat_t
	size := -1
	fs := fileStat{Size: -1}
	if syscall.Fstat(fd, &st) == nil {
		fs = fileStat{Size: st.Size, MTime: st.Mtim.Nano(), Ino: uint64(st.Ino), At: at}
		if st.Size < 1<<30 {
			size = int(st.Size)
		}
	}
	data, err := readFD(fd, path, size)
	if err != nil {
		return nil, fileStat{}, err
	}
	return data, fs, nil
}
