package docsite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
)

// markerFile marks a directory as a generated site, which Generate may
// replace.
const markerFile = ".mart-docs"

// Generate writes the site for in to outDir (target/docs), replacing the
// site a previous run wrote there. It builds the new site beside outDir and
// renames it into place, so a server of outDir never serves half a site.
// It refuses to replace a non-empty directory that is not a site it wrote.
// The same input gives the same bytes.
func Generate(outDir string, in Input) (Stats, error) {
	if in.Manifest == nil {
		return Stats{}, errors.New("generate docs: no manifest")
	}
	if err := checkReplaceable(outDir); err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(filepath.Dir(outDir), 0o755); err != nil {
		return Stats{}, fmt.Errorf("generate docs: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(outDir), "."+filepath.Base(outDir)+".new-")
	if err != nil {
		return Stats{}, fmt.Errorf("generate docs: %w", err)
	}
	stats, err := build(tmp, newSite(in))
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err == nil {
		err = replaceDir(tmp, outDir)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return Stats{}, fmt.Errorf("generate docs in %s: %w", outDir, err)
	}
	return stats, nil
}

// build writes the whole site for s into dir.
func build(dir string, s *site) (Stats, error) {
	w := &writer{dir: dir}
	idx, err := s.index()
	if err != nil {
		return Stats{}, err
	}
	indexJS, err := dataFile("index", -1, idx)
	if err != nil {
		return Stats{}, err
	}
	shell, err := shellFiles(idx.Project, indexJS)
	if err != nil {
		return Stats{}, err
	}
	var firstPaint int64
	for _, f := range shell {
		firstPaint += int64(len(f.data))
		if err := w.write(f.path, f.data); err != nil {
			return Stats{}, err
		}
	}
	if err := w.write(markerFile, []byte("A site written by mart docs generate; it replaces this directory on every run.\n")); err != nil {
		return Stats{}, err
	}
	search, err := dataFile("search", -1, s.searchData())
	if err == nil {
		err = w.write("data/search.js", search)
	}
	if err == nil {
		err = s.writeShards(w)
	}
	if err != nil {
		return Stats{}, err
	}
	return Stats{Nodes: len(s.nodes), Tests: len(s.tests), Shards: len(s.shards) + s.testShards,
		Files: w.files, Bytes: w.bytes, FirstPaintBytes: firstPaint}, nil
}

// writeShards writes data/n/<k>.js and data/t/<k>.js, on every core: the
// markdown and SQL they hold are most of Generate's work.
func (s *site) writeShards(w *writer) error {
	testsIn := make([][]int, s.testShards)
	for i, t := range s.tests {
		k := s.testShard(t.UniqueID)
		testsIn[k] = append(testsIn[k], i)
	}
	jobs := make(chan func() error)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range cap(errs) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			for job := range jobs {
				if err == nil {
					err = job()
				}
			}
			errs <- err
		}()
	}
	for k, members := range s.shards {
		jobs <- func() error { return s.writeNodeShard(w, k, members) }
	}
	for k, members := range testsIn {
		jobs <- func() error { return s.writeTestShard(w, k, members) }
	}
	close(jobs)
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

func (s *site) writeNodeShard(w *writer, k int, members []int) error {
	details := make(map[string]*nodeDetail, len(members))
	for _, i := range members {
		details[s.nodes[i].UniqueID] = s.detail(s.nodes[i])
	}
	return w.writeDataFile("data/n/"+strconv.Itoa(k)+".js", "shard", k, details)
}

func (s *site) writeTestShard(w *writer, k int, members []int) error {
	details := make(map[string]*testDetail, len(members))
	for _, i := range members {
		details[s.tests[i].UniqueID] = s.testDetail(s.tests[i])
	}
	return w.writeDataFile("data/t/"+strconv.Itoa(k)+".js", "tests", k, details)
}

// checkReplaceable fails when dir holds something other than a site
// Generate wrote.
func checkReplaceable(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("generate docs: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, markerFile)); err != nil {
		return fmt.Errorf("generate docs: %s is not empty and was not written by mart docs generate (no %s); remove it or choose another directory", dir, markerFile)
	}
	return nil
}

// replaceDir moves the new site at tmp to dir, removing the old one.
func replaceDir(tmp, dir string) error {
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
