// Package hugeheap backs the Go heap with transparent huge pages where the
// kernel gives them only to memory that asks (THP "madvise", the usual
// default).
//
// A compile's heap grows to a few hundred MB in a second (290 MB for the
// 10,000-model bench project), and in 4 KB pages each first touch is a page
// fault: on a virtual machine those faults were a fifth of the compile's
// CPU, and the TLB misses of a heap that large showed in user time too. In
// 2 MB pages the same compile took a third less CPU and wall time
// (bench/results/2026-12-03-session-6.txt). The Go runtime does not ask for
// huge pages for its heap (it stopped in Go 1.21.1: khugepaged bloated
// long-running servers' memory), and it maps the heap as it grows, so no
// advice given to the process up front reaches it.
//
// Reserve makes the runtime map a large span of heap at once, by
// allocating one object that size and dropping it: the object is never
// touched, so that costs address space, not memory. It advises the span
// MADV_HUGEPAGE and collects the object; the allocations that follow reuse
// the span, and fault it in 2 MB at a time. Pages stay what the advice says
// when the runtime later returns some to the kernel and takes them back.
//
// The cost is memory where a 2 MB page is only partly used: the bench
// compile's peak is 5-9% higher; khugepaged may later fill partly used
// huge pages of the span in, which a command that exits after its work
// (every mart command but docs serve, whose heap is small) never sees.
//
// It is skipped where it cannot help or could hurt:
//   - the kernel backs all memory with huge pages already, or never does;
//   - GODEBUG=disablethp asks the runtime for no huge pages (read as the
//     runtime reads it), or MART_HUGE_PAGES=0;
//   - the kernel does not overcommit memory (vm.overcommit_memory=2, or
//     unknown), or the process has an address-space or data limit
//     (ulimit -v, -d): a large mapping counts in full there, and the
//     runtime stops the process when it cannot map heap;
//   - a garbage collection already ran: freed pages may then start the
//     span, and the runtime would zero all of it, touching every page (no
//     collection runs while Reserve looks and allocates);
//   - the process has huge pages turned off, or GODEBUG has clobberfree
//     (it writes a freed span over) or sbrk (runtime.GC fails under it);
//   - a 32-bit process, or a machine with less than 256 MB.
//
// Heap pages freed before main (a goroutine's grown stack; in a third to
// two thirds of runs on the bench machine) are the same risk: when they end
// the heap's mapped part, the span would start on them and be zeroed whole
// (1.2 s, 520 MB; the compile then ran in 4 KB pages, 1.0-1.1 s instead of
// 0.65). When some are free, a probe larger than all the heap's free pages,
// used or never used, is allocated first: it fits nowhere but at the start
// of the free pages that end the heap, so it covers any used ones there,
// and the span after it starts on pages never used. The probe costs its
// size in address space, and when it starts on used pages the zeroing of a
// few MB; it is advised with the span.
//
// The span is at most a quarter of the machine's memory, so the kernel's
// heuristic overcommit check never refuses it. The span and the collection
// that gives it back cost 4-6 ms at start (`mart --help`: 51 ms
// instead of 45).
package hugeheap

import (
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// maxSpan is the largest span advised: the heap of a compile of about
// 15,000 models (290 MB for 10,000). Beyond it the heap grows in 4 KB
// pages as before. Mapping the span costs about 4.5 ms a GB (the runtime
// records each of its pages), paid by every command.
const maxSpan = 512 << 20

// minSpan: below it (a machine with less than 256 MB of memory) nothing is
// advised.
const minSpan = 64 << 20

// hugePage is the size of a transparent huge page on amd64 and arm64 with 4
// KB base pages; where the kernel's is larger the advice still applies to
// every whole huge page of the span.
const hugePage = 2 << 20

// Reserve advises a span of the heap to be backed by huge pages when the
// machine's settings call for it (see the package comment). Call it once,
// first thing in main; it returns the span's size (0 when none is advised)
// and why not.
func Reserve() (int, string) {
	// no collection runs from here until the span is allocated (one
	// running now is waited for, and then counts as having run)
	old := debug.SetGCPercent(-1)
	var once sync.Once
	restore := func() { once.Do(func() { debug.SetGCPercent(old) }) }
	defer restore()
	s := readSettings()
	size, why := spanSize(s)
	if size == 0 {
		return 0, why
	}
	if err := advise(size, s.probe(), restore); err != nil {
		return 0, err.Error()
	}
	return size, ""
}

// settings is what decides whether and how much to advise.
type settings struct {
	thp        string // /sys/kernel/mm/transparent_hugepage/enabled, "" when unknown
	overcommit string // /proc/sys/vm/overcommit_memory, "" when unknown
	memory     uint64 // the machine's memory in bytes, 0 when unknown
	limited    string // the resource limit on memory the process has, "" when none
	collected  bool   // a garbage collection ran
	freeHeap   uint64 // bytes of heap pages free and used before (a goroutine's freed stack)
	released   uint64 // bytes of heap pages free and given back to the kernel (never used, mostly)
	thpOff     bool   // the process has huge pages turned off (PR_SET_THP_DISABLE)
	bits       int    // the size of a pointer in bits
	godebug    string // $GODEBUG
	optOut     string // $MART_HUGE_PAGES
}

// spanSize is the span to advise under s (0 and why not when none).
func spanSize(s settings) (int, string) {
	switch {
	case s.optOut == "0":
		return 0, "MART_HUGE_PAGES=0"
	case godebugOn(s.godebug, "disablethp"):
		return 0, "GODEBUG=disablethp"
	case godebugOn(s.godebug, "clobberfree") || godebugOn(s.godebug, "sbrk"):
		return 0, "GODEBUG=clobberfree or sbrk" // the first writes a freed span over, the second breaks runtime.GC
	case s.thpOff:
		return 0, "the process has transparent huge pages turned off"
	case !strings.Contains(s.thp, "[madvise]"):
		return 0, "transparent huge pages are not in madvise mode (" + strings.TrimSpace(s.thp) + ")"
	case strings.TrimSpace(s.overcommit) != "0" && strings.TrimSpace(s.overcommit) != "1":
		return 0, "the kernel may not overcommit memory (vm.overcommit_memory " + strings.TrimSpace(s.overcommit) + ")"
	case s.limited != "":
		return 0, "the process has a memory limit (" + s.limited + ")"
	case s.collected:
		return 0, "a garbage collection already ran"
	case s.bits < 64:
		return 0, "a 32-bit process"
	}
	size := uint64(maxSpan)
	if q := s.memory / 4; q < size {
		size = q &^ (hugePage - 1)
	}
	if size < minSpan {
		return 0, "the machine's memory is too small"
	}
	return int(size), ""
}

// probe is the size of the allocation that takes the heap's free pages
// before the span (see the package comment): one page more than all of
// them.
func (s settings) probe() int {
	if s.freeHeap == 0 {
		return 0 // the span starts on pages never used
	}
	return int(s.freeHeap + s.released + heapPage)
}

// heapPage is the Go runtime's page size.
const heapPage = 8 << 10

// godebugOn reports whether GODEBUG turns the runtime's setting name on,
// read as the runtime reads it: settings split at commas, untrimmed, the
// last one with a 32-bit integer value wins, and any value but 0 is on.
func godebugOn(godebug, name string) bool {
	on := false
	for _, kv := range strings.Split(godebug, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k != name {
			continue
		}
		if n, err := strconv.ParseInt(v, 10, 32); err == nil {
			on = n != 0
		}
	}
	return on
}
