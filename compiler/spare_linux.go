//go:build linux

package compiler

import (
	"os"

	"golang.org/x/sys/unix"
)

// openSpare opens the spare name for writing over, locked, or returns nil
// when it cannot be: it does not exist, it is not a plain file of one link
// (a hard link shares its pages with another name), another mart holds it,
// or another descriptor or mapping of it exists (spare.go).
func openSpare(name string) *os.File {
	fd, err := unix.Open(name, unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 1 ||
		unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB) != nil {
		unix.Close(fd)
		return nil
	}
	// a write lease is granted only when no other open file or mapping of
	// the file exists; it is dropped at once (an open by another process
	// waits for the lease's holder while one is held)
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_WRLCK); err != nil {
		unix.Close(fd)
		return nil
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_UNLCK); err != nil {
		unix.Close(fd)
		return nil
	}
	return os.NewFile(uintptr(fd), name)
}

// exchangeFiles swaps the files at names a and b atomically.
func exchangeFiles(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
	}
	return nil
}
