// Package gcpace sets when the garbage collector runs in a mart process:
// not before the heap has grown to Floor, and after that when it has grown
// to 1+Percent/100 times what the last collection found live (GOGC).
//
// mart is a short process that allocates a lot while it compiles and
// keeps most of it. With GOGC alone a collection runs whenever the heap has
// grown Percent: five to seven times in a 10,000-model compile, the first
// ones at 12, 44 and 105 MB, while the heap is small and most of what they
// free is taken again at once. The floor merges those early ones into one,
// at Floor; the collections after it keep the heap within 3x what is live.
// On the 10,000-model bench project that made the compile's peak 276 MiB
// instead of 320 (GOGC=300, mart's setting before), and it took 5% less
// wall and 7% less CPU time: less fresh memory is less page faulting
// (bench/results/2026-12-03-session-8.txt). A command whose heap stays
// under the floor (most warm ones) collects nothing.
//
// The floor is set the way the Go compiler sets its starting heap
// (cmd/compile's AdjustStartingHeap): GOGC is made large enough that the
// heap goal is Floor, and after each collection (a finalizer tells) it is
// computed again from what is live, until Percent alone gives a goal of at
// least Floor; then GOGC is Percent for good.
//
// GOGC set in the environment wins: nothing is changed then.
package gcpace

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

const (
	// Floor is the heap size below which no collection runs.
	Floor = 100 << 20
	// Percent is GOGC once the floor is passed.
	Percent = 200
)

// heapMinimum is the runtime's smallest heap goal at GOGC=100 (the goal
// is never below heapMinimum*GOGC/100; defaultHeapMinimum in
// runtime/mgcpacer.go).
const heapMinimum = 4 << 20

var once sync.Once

// Set applies the policy (unless GOGC is set), once per process.
func Set() {
	once.Do(func() {
		if os.Getenv("GOGC") != "" {
			return
		}
		start(Floor, Percent)
	})
}

// adjusted, when not nil, is called after each adjustment (tests).
var adjusted func(gogc int)

// start keeps the heap goal at floor until percent alone reaches it.
func start(floor uint64, percent int) {
	p := &pacer{floor: floor, percent: percent}
	p.adjust()
}

type pacer struct {
	floor   uint64
	percent int
}

// sentinel is an object whose finalizer runs after the collection that
// finds it unreachable. 16 bytes: a zero-sized object is never collected,
// and one under 16 bytes without pointers may share a block of the tiny
// allocator with others, and its finalizer may then never run.
type sentinel struct{ _ [16]byte }

// adjust sets GOGC from what the last collection found live, and when the
// floor still holds, arms a finalizer to do it again after the next one.
func (p *pacer) adjust() {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	var live, scan uint64
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = s[0].Value.Uint64()
		scan = live
		for _, x := range s[1:] {
			if x.Value.Kind() == metrics.KindUint64 {
				scan += x.Value.Uint64()
			}
		}
	}
	g := gogc(p.floor, p.percent, live, scan)
	debug.SetGCPercent(g)
	if adjusted != nil {
		adjusted(g)
	}
	if g == p.percent {
		return // the floor is passed: GOGC stays
	}
	runtime.SetFinalizer(new(sentinel), func(*sentinel) { p.adjust() })
}

// gogc is the GOGC that makes the heap goal floor after a collection that
// found live bytes live, scan bytes to scan (live, stacks and globals), or
// percent when that goal is floor or more. The runtime's goal is live +
// scan*GOGC/100, and at least heapMinimum*GOGC/100: from a small heap the
// minimum is what sets it.
func gogc(floor uint64, percent int, live, scan uint64) int {
	if scan == 0 || live+scan*uint64(percent)/100 >= floor {
		return percent // scan 0: the metrics are unknown
	}
	g := ((floor-live)*100 + scan - 1) / scan // rounded up: the goal is not under the floor
	if m := floor * 100 / heapMinimum; m < g {
		g = m
	}
	return max(percent, int(g))
}
