//go:build linux

// Command touchmem maps and writes fresh memory once, so that a VM guest
// whose free memory the host took back (free page reporting) has it
// backed again before a benchmark: first writes to such pages are much
// dearer than to pages the guest has touched before (bench/README.md).
// It prints how long the touch took, in 2 GB steps:
//
//	go run ./bench/cmd/touchmem -mb 18000
//
// Leave room for the benchmark: -mb is memory taken at once, then freed.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	mb := flag.Int("mb", 16000, "megabytes to touch")
	flag.Parse()
	const step = 2048 // MB per mapping, unmapped before the next
	start := time.Now()
	for done := 0; done < *mb; done += step {
		n := min(step, *mb-done) << 20
		mem, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
		if err != nil {
			fmt.Fprintln(os.Stderr, "touchmem:", err)
			os.Exit(1)
		}
		_ = unix.Madvise(mem, unix.MADV_HUGEPAGE)
		t := time.Now()
		for i := 0; i < len(mem); i += 4096 {
			mem[i] = 1
		}
		fmt.Printf("%6d MB touched in %v\n", done+n>>20, time.Since(t).Round(time.Millisecond))
		_ = unix.Munmap(mem)
	}
	fmt.Printf("all in %v\n", time.Since(start).Round(time.Millisecond))
}
