package hugeheap

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSpanSize(t *testing.T) {
	const gb = 1 << 30
	madvise := settings{thp: "always [madvise] never\n", overcommit: "0\n", memory: 24 * gb, bits: 64}
	with := func(f func(*settings)) settings { s := madvise; f(&s); return s }
	for _, tc := range []struct {
		name string
		s    settings
		size int
		why  string
	}{
		{"madvise mode", madvise, maxSpan, ""},
		{"heuristic overcommit", with(func(s *settings) { s.overcommit = "1\n" }), maxSpan, ""},
		{"a quarter of a small machine", with(func(s *settings) { s.memory = 1 * gb }), gb / 4, ""},
		{"rounded down to huge pages", with(func(s *settings) { s.memory = 1*gb + 3<<20 }), gb / 4, ""},
		{"a quarter of a machine a little larger", with(func(s *settings) { s.memory = 2 * gb }), gb / 2, ""},
		{"too small a machine", with(func(s *settings) { s.memory = 200 << 20 }), 0, "the machine's memory is too small"},
		{"memory unknown", with(func(s *settings) { s.memory = 0 }), 0, "the machine's memory is too small"},
		{"always mode", with(func(s *settings) { s.thp = "[always] madvise never\n" }), 0, "transparent huge pages are not in madvise mode ([always] madvise never)"},
		{"never mode", with(func(s *settings) { s.thp = "always madvise [never]" }), 0, "transparent huge pages are not in madvise mode (always madvise [never])"},
		{"no THP in the kernel", with(func(s *settings) { s.thp = "" }), 0, "transparent huge pages are not in madvise mode ()"},
		{"strict overcommit", with(func(s *settings) { s.overcommit = "2\n" }), 0, "the kernel may not overcommit memory (vm.overcommit_memory 2)"},
		{"overcommit unknown", with(func(s *settings) { s.overcommit = "" }), 0, "the kernel may not overcommit memory (vm.overcommit_memory )"},
		{"ulimit -v", with(func(s *settings) { s.limited = "ulimit -v" }), 0, "the process has a memory limit (ulimit -v)"},
		{"a collection ran", with(func(s *settings) { s.collected = true }), 0, "a garbage collection already ran"},
		{"free heap pages: probed", with(func(s *settings) { s.freeHeap = 64 << 10 }), maxSpan, ""},
		{"THP off for the process", with(func(s *settings) { s.thpOff = true }), 0, "the process has transparent huge pages turned off"},
		{"GODEBUG clobberfree", with(func(s *settings) { s.godebug = "clobberfree=1" }), 0, "GODEBUG=clobberfree or sbrk"},
		{"GODEBUG sbrk", with(func(s *settings) { s.godebug = "sbrk=1" }), 0, "GODEBUG=clobberfree or sbrk"},
		{"GODEBUG: a value out of 32 bits is ignored", with(func(s *settings) { s.godebug = "disablethp=4294967296" }), maxSpan, ""},
		{"32 bits", with(func(s *settings) { s.bits = 32 }), 0, "a 32-bit process"},
		{"GODEBUG", with(func(s *settings) { s.godebug = "gctrace=1,disablethp=1" }), 0, "GODEBUG=disablethp"},
		{"GODEBUG: any nonzero value", with(func(s *settings) { s.godebug = "disablethp=2" }), 0, "GODEBUG=disablethp"},
		{"GODEBUG: the last setting wins", with(func(s *settings) { s.godebug = "disablethp=1,disablethp=0" }), maxSpan, ""},
		{"GODEBUG: a value that is not a number is ignored", with(func(s *settings) { s.godebug = "disablethp=1,disablethp=" }), 0, "GODEBUG=disablethp"},
		{"GODEBUG: a space is part of the name", with(func(s *settings) { s.godebug = "gctrace=0, disablethp=1" }), maxSpan, ""},
		{"GODEBUG: a space is part of the value", with(func(s *settings) { s.godebug = "disablethp=1, disablethp=0" }), 0, "GODEBUG=disablethp"},
		{"GODEBUG other value", with(func(s *settings) { s.godebug = "disablethp=0" }), maxSpan, ""},
		{"opted out", with(func(s *settings) { s.optOut = "0" }), 0, "MART_HUGE_PAGES=0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			size, why := spanSize(tc.s)
			assert.Equal(t, tc.size, size)
			assert.Equal(t, tc.why, why)
		})
	}
}
