package hugeheap

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdviseReachesLaterAllocations checks what Reserve relies on: the heap
// the runtime hands out after advise comes from the advised span, so the
// kernel backs it with huge pages (its mapping has VM_HUGEPAGE, "hg" in
// smaps). A runtime that maps heap otherwise fails it.
func TestAdviseReachesLaterAllocations(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("the kernel has no transparent huge pages")
	}
	require.NoError(t, advise(256<<20))
	var held [][]byte
	for range 8 {
		b := make([]byte, 16<<20)
		b[0] = 1
		held = append(held, b)
	}
	for i, b := range held {
		// its middle: the span's head up to its first huge page boundary
		// is not advised
		flags := vmFlags(t, uintptr(unsafe.Pointer(&b[len(b)/2])))
		assert.Contains(t, flags, "hg", "allocation %d: its mapping is not advised (VmFlags: %v)", i, flags)
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

// vmFlags returns the VmFlags of the mapping of /proc/self/smaps that
// holds addr.
func vmFlags(t *testing.T, addr uintptr) []string {
	f, err := os.Open("/proc/self/smaps")
	require.NoError(t, err)
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
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Fields(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("no mapping holds %#x", addr)
	return nil
}
