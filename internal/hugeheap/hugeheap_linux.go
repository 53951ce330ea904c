package hugeheap

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

func readSettings() settings {
	s := settings{bits: strconv.IntSize}
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err == nil {
		s.thp = string(b)
	}
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil {
		s.overcommit = string(b)
	}
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) == nil {
		s.memory = uint64(si.Totalram) * uint64(si.Unit)
	}
	for _, l := range []struct {
		name string
		res  int
	}{{"ulimit -v", unix.RLIMIT_AS}, {"ulimit -d", unix.RLIMIT_DATA}} {
		var rl unix.Rlimit
		if err := unix.Getrlimit(l.res, &rl); err != nil || rl.Cur != unix.RLIM_INFINITY {
			s.limited = l.name
			break
		}
	}
	m := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(m)
	s.collected = m[0].Value.Kind() != metrics.KindUint64 || m[0].Value.Uint64() > 0
	if m[1].Value.Kind() != metrics.KindUint64 || m[2].Value.Kind() != metrics.KindUint64 {
		s.collected = true // the heap unknown: taken as collected, so skipped
	} else {
		s.freeHeap, s.released = m[1].Value.Uint64(), m[2].Value.Uint64()
	}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		s.thpOff = strings.Contains(string(b), "\nTHP_enabled:\t0")
	}
	s.godebug = os.Getenv("GODEBUG")
	s.optOut = os.Getenv("MART_HUGE_PAGES")
	return s
}

// advise has the runtime map size bytes of heap in one piece, after a probe
// of probe bytes that takes the free pages before it, advises its whole huge
// pages MADV_HUGEPAGE and gives both back to the heap; allocated is called
// once the span is.
func advise(size, probe int, allocated func()) error {
	first := make([]byte, probe)
	span := make([]byte, size) // fresh from the kernel: never written, so never faulted in
	allocated()
	p := uintptr(unsafe.Pointer(unsafe.SliceData(span)))
	n := uintptr(size)
	// the probe just before the span (its usual place) is advised with it:
	// its pages are reused first
	if q := uintptr(unsafe.Pointer(unsafe.SliceData(first))); q < p && p-q <= uintptr(probe)+heapPage {
		p, n = q, n+p-q
	}
	beg, end := hugeAligned(p, n)
	var err error
	if beg < end {
		// (by address: the range spans two objects; both are alive here)
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, beg, end-beg, unix.MADV_HUGEPAGE); e != 0 {
			err = e
		}
		runtime.KeepAlive(first)
		runtime.KeepAlive(span)
	}
	// collected now, swept before GC returns: the allocations that follow
	// take its pages instead of mapping new ones
	runtime.GC()
	return err
}

// hugeAligned is the part of [p, p+n) made of whole huge pages.
func hugeAligned(p, n uintptr) (beg, end uintptr) {
	beg = (p + hugePage - 1) &^ (hugePage - 1)
	end = (p + n) &^ (hugePage - 1)
	return beg, end
}
