package hugeheap

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain runs reserveChild instead of the tests in the process
// TestReserveBacksTheHeapWithHugePages starts.
func TestMain(m *testing.M) {
	if os.Getenv("HUGEHEAP_CHILD") != "" {
		reserveChild()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childReport is what reserveChild saw.
type childReport struct {
	Size, Skip   string
	PeakGrowthKB int   // the process's peak resident memory after Reserve, less its resident memory before
	Advised      int   // allocations whose mapping is advised (VmFlags hg)
	HugeKB       []int // AnonHugePages of each allocation's mapping
}

// reserveChild does what cmd/mart does, Reserve first (after freeing heap
// pages when HUGEHEAP_CHILD is "free"), then allocates 8
// blocks of 16 MB, touches them, and reports on stdout.
func reserveChild() {
	var r childReport
	if os.Getenv("HUGEHEAP_CHILD") == "free" {
		freeStack()
	}
	before := statusKB("VmRSS:")
	size, why := Reserve()
	// the peak: memory the runtime touched and gave back (GOMEMLIMIT)
	// counts
	r.PeakGrowthKB = statusKB("VmHWM:") - before
	r.Size, r.Skip = strconv.Itoa(size), why
	if size > 0 {
		var held [][]byte
		for range 8 {
			b := make([]byte, 16<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			held = append(held, b)
		}
		for _, b := range held {
			// its middle: the span's head up to its first huge page
			// boundary is not advised
			flags, huge := mapping(uintptr(unsafe.Pointer(&b[len(b)/2])))
			if strings.Contains(" "+flags+" ", " hg ") {
				r.Advised++
			}
			r.HugeKB = append(r.HugeKB, huge)
		}
	}
	_ = json.NewEncoder(os.Stdout).Encode(r)
}

// TestReserveBacksTheHeapWithHugePages runs Reserve at the start of a
// fresh process, as cmd/mart does, and checks what it is for: the span was
// never touched (the process's memory grew by little), and later
// allocations land in it and are backed by huge pages. It does so again
// with heap pages freed before Reserve (a goroutine's grown stack, as in
// about half of mart's runs), which the span must not start on.
func TestReserveBacksTheHeapWithHugePages(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector shadows the span's memory")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	for _, child := range []string{"1", "free"} {
		t.Run(child, func(t *testing.T) {
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), "HUGEHEAP_CHILD="+child)
			out, err := cmd.Output()
			require.NoError(t, err)
			var r childReport
			require.NoError(t, json.Unmarshal(out, &r), "%s", out)
			if r.Skip != "" {
				t.Skipf("no huge pages here: %s", r.Skip)
			}
			assert.Less(t, r.PeakGrowthKB, 32<<10, "the span was touched: the process grew by %d kB", r.PeakGrowthKB)
			assert.Equal(t, 8, r.Advised, "allocations after Reserve in advised mappings")
			huge := 0
			for _, kb := range r.HugeKB {
				huge = max(huge, kb)
			}
			assert.Positive(t, huge, "no huge page backs the allocations after Reserve (AnonHugePages %v)", r.HugeKB)
		})
	}
}

func TestHugeAligned(t *testing.T) {
	beg, end := hugeAligned(hugePage+1, 3*hugePage)
	assert.Equal(t, uintptr(2*hugePage), beg)
	assert.Equal(t, uintptr(4*hugePage), end)
	beg, end = hugeAligned(hugePage, 2*hugePage)
	assert.Equal(t, uintptr(hugePage), beg)
	assert.Equal(t, uintptr(3*hugePage), end)
	beg, end = hugeAligned(hugePage+1, hugePage)
	assert.GreaterOrEqual(t, beg, end) // no whole huge page: nothing advised
}

// statusKB is a figure of /proc/self/status in kB (VmRSS:, VmHWM:).
func statusKB(key string) int {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, key); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// mapping returns the VmFlags and AnonHugePages (kB) of the mapping of
// /proc/self/smaps that holds addr.
func mapping(addr uintptr) (flags string, hugeKB int) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if r, _, ok := strings.Cut(line, " "); ok && strings.Contains(r, "-") && !strings.HasSuffix(r, ":") {
			lo, hi, _ := strings.Cut(r, "-")
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && uint64(addr) >= l && uint64(addr) < h
			continue
		}
		if !in {
			continue
		}
		if v, ok := strings.CutPrefix(line, "AnonHugePages:"); ok {
			fmt.Sscanf(strings.TrimSpace(v), "%d", &hugeKB)
		}
		if v, ok := strings.CutPrefix(line, "VmFlags:"); ok {
			return strings.TrimSpace(v), hugeKB
		}
	}
	return "", 0
}

// freeStack frees heap pages the way a goroutine does when its stack grew
// large and it ended.
func freeStack() {
	done := make(chan int)
	go func() { done <- deep(4096) }()
	<-done
}

//go:noinline
func deep(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return deep(n-1) + int(pad[n%256])
}
