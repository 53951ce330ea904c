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
// compile's peak is about 10% higher. It is skipped where it cannot help or
// could hurt: when the kernel backs all memory with huge pages already, or
// never does; when GODEBUG=disablethp=1 asks the runtime for no huge pages;
// when MART_HUGE_PAGES=0; and when the kernel refuses to overcommit memory
// (vm.overcommit_memory=2), where a large mapping counts in full. The span
// is at most a quarter of the machine's memory, so the kernel's heuristic
// overcommit check never refuses it.
package hugeheap

import "strings"

// maxSpan is the largest span advised: enough for the heap of a compile
// of about 30,000 models. Beyond it the heap grows in 4 KB pages as before.
const maxSpan = 1 << 30

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
	size, why := spanSize(readSettings())
	if size == 0 {
		return 0, why
	}
	if err := advise(size); err != nil {
		return 0, err.Error()
	}
	return size, ""
}

// settings is what decides whether and how much to advise.
type settings struct {
	thp        string // /sys/kernel/mm/transparent_hugepage/enabled, "" when unknown
	overcommit string // /proc/sys/vm/overcommit_memory
	memory     uint64 // the machine's memory in bytes, 0 when unknown
	godebug    string // $GODEBUG
	optOut     string // $MART_HUGE_PAGES
}

// spanSize is the span to advise under s (0 and why not when none).
func spanSize(s settings) (int, string) {
	switch {
	case s.optOut == "0":
		return 0, "MART_HUGE_PAGES=0"
	case godebugSet(s.godebug, "disablethp", "1"):
		return 0, "GODEBUG=disablethp=1"
	case !strings.Contains(s.thp, "[madvise]"):
		return 0, "transparent huge pages are not in madvise mode (" + strings.TrimSpace(s.thp) + ")"
	case strings.TrimSpace(s.overcommit) == "2":
		return 0, "the kernel does not overcommit memory"
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

// godebugSet reports whether the GODEBUG setting name has value v: the
// last setting of a name wins, as in the runtime.
func godebugSet(godebug, name, v string) bool {
	set := false
	for _, kv := range strings.Split(godebug, ",") {
		if k, val, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == name {
			set = val == v
		}
	}
	return set
}
