// Package gcpace sets when the garbage collector runs in a mart process:
// not before the heap has grown to Floor, and after that when it has grown
// to 1+Percent/100 times what the last collection found live (GOGC).
//
// mart is a short process that allocates a lot while it compiles and
// keeps most of it. At GOGC=300 alone (mart's setting before) a
// 10,000-model compile collected four times besides hugeheap's forced
// collection, the first three at heaps of about 12, 40 and 95-115 MB,
// while the heap is small and most of what they free is taken again at
// once, and it peaked at the last one's goal, 4x what the one before left
// live. The floor merges the early ones into one, at Floor; the
// collections after it keep the heap within 3x what is live. On the
// 10,000-model bench project the compile's peak is 276 MiB instead of
// 321, for 0-1.5% more wall and 2-3% more CPU time (two A/Bs of 20-30
// pairs; bench/results/2026-12-03-session-8.txt). A command whose heap stays
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
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

const (
	// Floor is the heap size below which no collection runs.
	Floor = 100 << 20
	// Percent is GOGC once the floor is passed.
	Percent = 200
)

// heapMinimum is the runtime's smallest heap goal at GOGC=100 (the goal
// is never below heapMinimum*GOGC/100; defaultHeapMinimum in
// runtime/mgcpacer.go). A variable for tests.
var heapMinimum uint64 = 4 << 20

var once sync.Once

// active: Set applied the policy (Settle collects only then).
var active atomic.Bool

// settleFloor is the heap Settle collects from (Floor; a variable for
// tests).
var settleFloor uint64 = Floor

// Set applies the policy (unless GOGC is set), once per process.
func Set() {
	once.Do(func() {
		if os.Getenv("GOGC") != "" {
			return
		}
		start(Floor, Percent)
		active.Store(true)
	})
}

// Settle collects now, when the policy is applied and the heap has grown
// past Floor: the caller says the work that left most of the garbage is
// done and what follows keeps most of what it allocates. A compile calls
// it once its templates are rendered and its tests made, when the YAML
// trees, the files' texts and the renders' scratch are garbage and what
// is live is at its smallest before the manifest, the compiled files and
// the partial-parse snapshot are made, all kept to the end. On the
// 10,000-model bench project the collection the pacer would start during
// those writes marked 150 MB live, for 105 ms beside them, and freed
// what the process no longer needed just before it exits; this one marks
// 100 MB, on both processors, in about 26 ms, and the heap's goal after
// it (3x) is above what the writes reach: no other collection runs. The
// compile's peak is 28-30 MiB lower (283 MiB instead of 313), its wall
// time the same or up to 3.5% lower
// (bench/results/2026-12-07-session-42.txt). Under Floor (most
// projects, every warm compile) nothing is collected: a collection would
// not come anyway.
func Settle() {
	if !active.Load() {
		return
	}
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/frees:bytes"}}
	metrics.Read(s)
	if value(s[0])-value(s[1]) < settleFloor {
		return
	}
	runtime.GC()
}

// adjusted, when not nil, is called after each adjustment (tests).
var adjusted func(gogc int)

// start keeps the heap goal at floor until percent alone reaches it.
func start(floor uint64, percent int) *pacer {
	p := &pacer{floor: floor, percent: percent}
	p.adjust()
	return p
}

type pacer struct {
	floor   uint64
	percent int
	stopped atomic.Bool // tests: adjust no more
}

// sentinel is an object whose finalizer runs after the collection that
// finds it unreachable. 16 bytes: a zero-sized object is never collected,
// and one under 16 bytes without pointers may share a block of the tiny
// allocator with others, and its finalizer may then never run.
type sentinel struct{ _ [16]byte }

// adjust sets GOGC from what the last collection found live, and when the
// floor still holds, arms a finalizer to do it again after the next one.
//
// The finalizer runs some time after its collection. When that is after
// the next collection has started, the sentinel it arms is allocated
// during the marking and survives it: that one collection ends with the
// GOGC set from the collection before (a goal over 3x what is live, for
// that cycle only), and the next adjusts again. cmd/compile's starting
// heap has the same lag. A collection that ends while adjust runs is seen
// (the cycle count moved) and adjusted for at once.
func (p *pacer) adjust() {
	if p.stopped.Load() {
		return
	}
	s := []metrics.Sample{
		{Name: "/gc/cycles/total:gc-cycles"},
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"},
		{Name: "/gc/heap/goal:bytes"},
	}
	for try := 0; ; try++ {
		metrics.Read(s)
		cycles := value(s[0])
		live := value(s[1])
		scan := live + value(s[2]) + value(s[3])
		if s[1].Value.Kind() != metrics.KindUint64 {
			scan = 0 // unknown: no floor
		}
		g := gogc(p.floor, p.percent, live, scan)
		debug.SetGCPercent(g)
		if g != p.percent && debug.SetMemoryLimit(-1) == math.MaxInt64 {
			// the runtime's heap minimum may be smaller than assumed
			// (GOEXPERIMENT=heapminimum512kib): scale GOGC to the goal
			// it actually made (under a memory limit, the limit may be
			// what made it smaller)
			metrics.Read(s)
			if goal := value(s[4]); goal > 0 && goal < p.floor-p.floor/64 {
				g = min(int(uint64(g)*p.floor/goal), 1<<20)
				debug.SetGCPercent(g)
			}
		}
		if adjusted != nil {
			adjusted(g)
		}
		if g == p.percent {
			return // the floor is passed: GOGC stays
		}
		if metrics.Read(s[:1]); value(s[0]) != cycles && try < 3 {
			continue // a collection ended meanwhile: from what it found
		}
		runtime.SetFinalizer(new(sentinel), func(*sentinel) { p.adjust() })
		return
	}
}

// value is a sample's value, 0 when the runtime does not know it.
func value(s metrics.Sample) uint64 {
	if s.Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s.Value.Uint64()
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
