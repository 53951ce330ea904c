package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestGOGC(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		name        string
		live, scan  uint64
		floor       uint64
		percent     int
		want        int
		wantGoalMin uint64 // the goal the runtime computes from it, at least
	}{
		// a small heap: the runtime's minimum (4 MB*GOGC/100) sets the goal
		{"empty heap", 1 * mb, 2 * mb, 100 * mb, 200, 2500, 100 * mb},
		// the goal from what is live is the larger
		{"some live", 20 * mb, 21 * mb, 100 * mb, 200, 381, 100 * mb},
		{"floor reached", 34 * mb, 34 * mb, 100 * mb, 200, 200, 100 * mb},
		{"floor passed", 60 * mb, 61 * mb, 100 * mb, 200, 200, 100 * mb},
		{"unknown metrics", 0, 0, 100 * mb, 200, 200, 0},
		{"floor under the minimum", 1 * mb, 1 * mb, 4 * mb, 200, 200, 8 * mb},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := gogc(c.floor, c.percent, c.live, c.scan)
			require.Equal(t, c.want, g)
			goal := max(c.live+c.scan*uint64(g)/100, heapMinimum*uint64(g)/100)
			require.GreaterOrEqual(t, goal, c.wantGoalMin)
			if g != c.percent {
				require.LessOrEqual(t, goal, c.floor+c.floor/100, "the goal is the floor, not more")
			}
		})
	}
}

// TestFloorInTheRuntime checks the policy against the runtime's own heap
// goal: the floor holds while little is live, then GOGC is the percent
// for good.
func TestFloorInTheRuntime(t *testing.T) {
	const mb = 1 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	done := make(chan int, 16)
	adjusted = func(g int) { done <- g }
	defer func() { adjusted = nil }()
	wait := func() int {
		t.Helper()
		select {
		case g := <-done:
			return g
		case <-time.After(10 * time.Second):
			t.Fatal("no adjustment after a collection")
			return 0
		}
	}
	goal := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}

	runtime.GC()
	p := start(64*mb, 100)
	// a failing run leaves no pacer adjusting GOGC under later ones (-count)
	t.Cleanup(func() { p.stopped.Store(true) })
	require.Greater(t, wait(), 100)
	require.InDelta(t, 64*mb, float64(goal()), 2*mb, "the goal is the floor")

	// a collection with little live keeps the floor
	runtime.GC()
	require.Greater(t, wait(), 100)
	require.InDelta(t, 64*mb, float64(goal()), 2*mb, "the goal is still the floor")

	// garbage allocated under the floor does not start a collection
	cycles := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	before := cycles()
	var sink []byte
	for i := 0; i < 40; i++ {
		sink = make([]byte, mb)
	}
	_ = sink
	require.Equal(t, before, cycles(), "40 MB of garbage under a 64 MB floor: no collection")

	// once what is live makes the percent's goal larger, GOGC is the percent
	// (a collection may run while it grows: the floor holds there)
	keep := make([][]byte, 40)
	for i := range keep {
		keep[i] = make([]byte, mb)
	}
	// A collection may have run while keep grew (the garbage above was not
	// collected yet), and its finalizer may run after the next collection
	// started, arming a sentinel that survives it (allocated while
	// marking): collect until the pacer has seen the 40 MB live.
	deadline := time.Now().Add(10 * time.Second)
	for g := 0; g != 100; {
		require.True(t, time.Now().Before(deadline), "GOGC never became the percent")
		runtime.GC()
		select {
		case g = <-done:
			require.GreaterOrEqual(t, g, 100)
		case <-time.After(100 * time.Millisecond):
		}
	}
	require.Greater(t, goal(), uint64(80*mb))
	runtime.KeepAlive(keep)
	keep = nil

	// and stays so: no finalizer is armed, the goal follows the live heap
	runtime.GC()
	select {
	case g := <-done:
		t.Fatalf("adjusted again to %d after the floor was passed", g)
	case <-time.After(200 * time.Millisecond):
	}
	require.Less(t, goal(), uint64(40*mb), "nothing holds the goal at the floor any more")
	require.Equal(t, 100, debug.SetGCPercent(100))
}

// TestGoalReadBack: where the runtime's heap minimum is not the one
// assumed, the goal it made is read back and GOGC scaled to the floor.
func TestGoalReadBack(t *testing.T) {
	const mb = 1 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer func(m uint64) { heapMinimum = m }(heapMinimum)
	heapMinimum = 8 << 20 // twice the runtime's: the first goal would be half the floor
	runtime.GC()
	p := start(64*mb, 100)
	p.stopped.Store(true)
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	require.InDelta(t, 64*mb, float64(s[0].Value.Uint64()), 2*mb)
}

// TestSettle: Settle collects once the policy is applied and the heap
// is past the floor, and never otherwise.
func TestSettle(t *testing.T) {
	cycles := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	old := debug.SetGCPercent(-1) // no collection but Settle's
	defer debug.SetGCPercent(old)
	defer settleFloorAndActive(settleFloor, active.Load())
	keep := make([][]byte, 0, 16)
	for i := 0; i < 16; i++ {
		keep = append(keep, make([]byte, 1<<20))
	}
	settleFloor = 8 << 20

	active.Store(false)
	before := cycles()
	Settle()
	require.Equal(t, before, cycles(), "the policy not applied (a library's compile, GOGC set): nothing collected")

	active.Store(true)
	settleFloor = 1 << 30
	Settle()
	require.Equal(t, before, cycles(), "under the floor: nothing collected")

	settleFloor = 8 << 20
	Settle()
	require.Equal(t, before+1, cycles(), "past the floor: one collection")
	runtime.KeepAlive(keep)
}

func settleFloorAndActive(floor uint64, on bool) {
	settleFloor = floor
	active.Store(on)
}
