//go:build linux

package compiler

import (
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// claimSpare renames the spare to tmp, this process's own name, and opens
// it for writing over; nil when there is no spare, another mart claimed
// it, or it must not be written over: it is not a plain file of one link
// (a hard link shares its pages with another name) or another descriptor
// or mapping of it exists. A spare that must not be written over is
// dropped (its other name or its reader keeps it).
func claimSpare(spare, tmp string) *os.File {
	if bootID() == "" || unix.Rename(spare, tmp) != nil {
		return nil
	}
	// O_NONBLOCK: a FIFO put there does not block the open
	fd, err := unix.Open(tmp, unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		if unix.Unlink(tmp) != nil { // a directory: not mart's to remove, put back
			unix.Rename(tmp, spare)
		}
		return nil
	}
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 1 || !leaseFD(fd) ||
		unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB) != nil {
		unix.Close(fd)
		unix.Unlink(tmp)
		return nil
	}
	return os.NewFile(uintptr(fd), tmp)
}

// leaseGranted tells whether the kernel grants a write lease on f (it is
// dropped at once).
// (Fd is safe here: a regular file is never in the poller.)
func leaseGranted(f *os.File) bool { return leaseFD(int(f.Fd())) }

// leaseFD takes and drops a write lease on fd, which the kernel grants
// only when no other open file or mapping of it exists (an open by another
// process waits for the holder while one is held, so it is dropped at once).
func leaseFD(fd int) bool {
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_WRLCK); err != nil {
		return false
	}
	_, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_UNLCK)
	return err == nil
}

// exchangeFiles swaps the files at names a and b atomically.
func exchangeFiles(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
	}
	return nil
}

// lockTemp holds an exclusive flock on a new version being written, until
// it is closed: removeStaleTemps leaves it alone however old it is (a
// stopped mart's).
func lockTemp(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }

// removeStaleTemps removes the new versions of dst that a killed mart
// left: written, renamed and changed more than staleAfter ago (a claimed
// spare keeps its old mtime, but the claim changed its ctime), and not
// locked by a live one.
func removeStaleTemps(dst string) {
	cutoff := time.Now().Add(-staleAfter).Unix()
	for _, name := range tempsOf(dst) {
		var st unix.Stat_t
		if unix.Lstat(name, &st) != nil || st.Mtim.Sec >= cutoff || st.Ctim.Sec >= cutoff || st.Mode&unix.S_IFMT != unix.S_IFREG {
			continue
		}
		fd, err := unix.Open(name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		if unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB) == nil {
			unix.Unlink(name)
		}
		unix.Close(fd)
	}
}

// bootID names the running boot of the machine: a snapshot of target/
// from before a crash of the machine is not trusted (spare.go).
var bootID = sync.OnceValue(func() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return string(b)
})
