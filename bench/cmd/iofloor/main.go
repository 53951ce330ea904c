// Command iofloor measures, on this machine, the I/O that a cold
// `mart compile` of a project cannot avoid, whatever the compiler does:
// read every input file, write every compiled file anew (target/compiled,
// as dbt lays it out) and write manifest.json. It runs none of mart: it
// replays the sizes and contents that a compile of the project wrote.
//
//	mart compile --project-dir /dev/shm/p10k     # once, to have target/
//	go run ./bench/cmd/iofloor -project /dev/shm/p10k [-runs 5] [-workers 2] [-heap 280 [-huge]]
//
// Each run reads the inputs and writes the outputs under
// target/iofloor-out (moved aside first, removed after the run, both
// untimed), on -workers goroutines as the compile does, and prints each
// phase's wall time and the process's CPU time (user+sys) meanwhile.
// -heap MB also touches that much fresh anonymous memory, page by page, on
// the same workers: what a process whose heap peaks at that size pays to
// the kernel (and, on a VM that hands freed memory back to its host, to
// the host) before it writes a byte to it. Runs are 3 s apart, so memory
// freed by one run is handed back before the next, as between two
// commands.
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type outFile struct {
	rel  string
	data []byte
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("iofloor", flag.ContinueOnError)
	fl.SetOutput(stderr)
	project := fl.String("project", "", "a project `mart compile` has compiled (its target/ is read)")
	runs := fl.Int("runs", 5, "runs")
	workers := fl.Int("workers", 2, "goroutines reading and writing")
	heapMB := fl.Int("heap", 0, "MB of fresh memory to touch in each run (0: none)")
	huge := fl.Bool("huge", false, "advise the touched memory MADV_HUGEPAGE (mart's heap is: internal/hugeheap)")
	pause := fl.Duration("pause", 3*time.Second, "pause between runs")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *project == "" || fl.NArg() > 0 || *runs < 1 || *workers < 1 || *heapMB < 0 {
		fmt.Fprintln(stderr, "usage: iofloor -project DIR [-runs N] [-workers W] [-heap MB [-huge]] [-pause D]")
		return 2
	}
	target := filepath.Join(*project, "target")
	inputs, err := inputFiles(*project, target)
	if err != nil {
		fmt.Fprintln(stderr, "iofloor:", err)
		return 1
	}
	compiled, dirs, err := compiledFiles(filepath.Join(target, "compiled"))
	if err != nil {
		fmt.Fprintln(stderr, "iofloor:", err)
		return 1
	}
	manifest, err := os.ReadFile(filepath.Join(target, "manifest.json"))
	if err != nil {
		fmt.Fprintln(stderr, "iofloor: no manifest.json: compile the project first:", err)
		return 1
	}
	var compiledBytes int
	for _, f := range compiled {
		compiledBytes += len(f.data)
	}
	fmt.Fprintf(stdout, "iofloor: %d input files; %d compiled files (%.1f MB) in %d directories; manifest.json %.1f MB; %d workers; heap %d MB\n",
		len(inputs), len(compiled), float64(compiledBytes)/1e6, len(dirs), float64(len(manifest))/1e6, *workers, *heapMB)
	out := filepath.Join(target, "iofloor-out")
	for r := 0; r < *runs; r++ {
		if r > 0 {
			time.Sleep(*pause)
		}
		aside := fmt.Sprintf("%s.old.%d", out, os.Getpid())
		os.RemoveAll(aside)
		if err := os.Rename(out, aside); err != nil && !os.IsNotExist(err) {
			fmt.Fprintln(stderr, "iofloor:", err)
			return 1
		}
		os.RemoveAll(aside)
		var ph phases
		ph.start()
		if err := readAll(inputs, *workers); err != nil {
			fmt.Fprintln(stderr, "iofloor:", err)
			return 1
		}
		ph.mark("read inputs")
		if err := writeAll(out, dirs, compiled, *workers); err != nil {
			fmt.Fprintln(stderr, "iofloor:", err)
			return 1
		}
		ph.mark("write compiled")
		if err := os.WriteFile(filepath.Join(out, "manifest.json"), manifest, 0o644); err != nil {
			fmt.Fprintln(stderr, "iofloor:", err)
			return 1
		}
		ph.mark("write manifest.json")
		if *heapMB > 0 {
			if err := touch(*heapMB, *workers, *huge); err != nil {
				fmt.Fprintln(stderr, "iofloor:", err)
				return 1
			}
			ph.mark(fmt.Sprintf("touch %d MB", *heapMB))
		}
		fmt.Fprintf(stdout, "run %d: %s\n", r+1, &ph)
	}
	os.RemoveAll(out)
	return 0
}

// inputFiles lists the project's files outside target/ and hidden
// directories, as a compile walks them (it reads only its paths' files;
// a generated project holds nothing else).
func inputFiles(project, target string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(project, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == target || path != project && d.Name()[0] == '.' {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// compiledFiles reads target/compiled: each file's path under it and its
// bytes, and its directories, parents first.
func compiledFiles(root string) ([]outFile, []string, error) {
	var files []outFile
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(root), path)
		if d.IsDir() {
			dirs = append(dirs, rel)
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, outFile{rel, b})
		return nil
	})
	sort.Strings(dirs)
	return files, dirs, err
}

// readAll reads every file, on w goroutines.
func readAll(files []string, w int) error {
	return parallel(len(files), w, func(i int) error {
		_, err := os.ReadFile(files[i])
		return err
	})
}

// writeAll makes the directories under out, then writes the files on w
// goroutines.
func writeAll(out string, dirs []string, files []outFile, w int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	return parallel(len(files), w, func(i int) error {
		return os.WriteFile(filepath.Join(out, files[i].rel), files[i].data, 0o644)
	})
}

// touch maps mb MB of anonymous memory and writes a byte in each 4 KB
// page, on w goroutines, then unmaps it; advised MADV_HUGEPAGE first when
// huge.
func touch(mb, w int, huge bool) error {
	size := mb << 20
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return err
	}
	defer syscall.Munmap(mem)
	if huge {
		if err := syscall.Madvise(mem, 14); err != nil { // MADV_HUGEPAGE
			return err
		}
	}
	const chunk = 1 << 20
	return parallel(size/chunk, w, func(i int) error {
		for off := i * chunk; off < (i+1)*chunk; off += 4096 {
			mem[off] = 1
		}
		return nil
	})
}

// parallel calls f(0..n-1) on w goroutines and returns the first error.
func parallel(n, w int, f func(int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, w)
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					errs[g] = err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// phases times a run's phases: wall time, and the process's CPU time.
type phases struct {
	t0, last   time.Time
	cpu0, cpuL time.Duration
	out        string
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (p *phases) start() {
	p.t0, p.cpu0 = time.Now(), cpuTime()
	p.last, p.cpuL = p.t0, p.cpu0
}

func (p *phases) mark(name string) {
	now, cpu := time.Now(), cpuTime()
	p.out += fmt.Sprintf("%s %.0f ms (cpu %.0f); ", name, ms(now.Sub(p.last)), ms(cpu-p.cpuL))
	p.last, p.cpuL = now, cpu
}

func (p *phases) String() string {
	return fmt.Sprintf("%stotal %.0f ms wall, %.0f ms cpu", p.out, ms(p.last.Sub(p.t0)), ms(p.cpuL-p.cpu0))
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
