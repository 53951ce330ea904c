//go:build unix

package bench

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS is the process's maximum resident set size in bytes.
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes there
	}
	return int64(ru.Maxrss) * 1024 // kilobytes on Linux and the BSDs
}

// syncDisks writes dirty pages back to disk.
func syncDisks() { syscall.Sync() }
