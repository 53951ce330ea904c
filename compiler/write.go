package compiler

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
)

// ioWorkers is how many directories are written at once: writes wait on
// the disk more than on the CPU.
const ioWorkers = 8

// prepareCompiled makes the directories of the nodes' compiled files (their
// CompiledPath, set by the compile); the function it returns writes them, skipping those
// that already hold the same text so a warm compile touches only what
// changed (each directory is listed once, so a new file costs no failed
// open). It may run while the manifest, which holds the paths, is written.
func (r *Result) prepareCompiled(ids []string) (func() error, error) {
	dir := r.TargetDir()
	type job struct {
		file   string
		code   string // the file holds code and a newline
		exists bool
	}
	jobs := make([]job, 0, len(ids))
	dirs := map[string]map[string]bool{}
	owner := make(map[string]string, len(ids))
	for _, id := range ids {
		n := r.Manifest.Node(id)
		if n == nil {
			continue
		}
		rel := r.compiledRel(n)
		if rel == "" || n.CompiledPath == "" {
			continue
		}
		file := filepath.Join(dir, filepath.FromSlash(rel))
		if prev, ok := owner[file]; ok {
			return nil, fmt.Errorf("%s and %s would both be written to %s", prev, id, n.CompiledPath)
		}
		owner[file] = id
		dirs[filepath.Dir(file)] = nil
		jobs = append(jobs, job{file: file, code: n.CompiledCode})
	}
	// a run loaded from the snapshot tells it what its writes changed in
	// the compiled directories' sums (outputsum.go)
	var made sumChanges
	r.compiledDirs.ids, r.compiledDirs.dirs = ids, sortedKeys(dirs)
	snapshotDir := func(d string) bool { // the directory of a snapshot file's blocks (compiledPath)
		for _, j := range jobs {
			if filepath.Dir(j.file) == d {
				return strings.HasPrefix(owner[j.file], TypeSnapshot+".") && strings.HasSuffix(d, ".sql")
			}
		}
		return false
	}
	for _, d := range r.compiledDirs.dirs {
		entries, err := os.ReadDir(d)
		if errors.Is(err, syscall.ENOTDIR) && snapshotDir(d) {
			// the snapshot file's compiled file from when it held one
			// block, where the directory of its blocks goes now
			if st, serr := os.Lstat(d); serr == nil && st.Mode().IsRegular() {
				if err = os.Remove(d); err == nil {
					err = fs.ErrNotExist
				}
			}
		}
		if errors.Is(err, fs.ErrNotExist) {
			if r.light != nil {
				made.made(d)
			}
			err = os.MkdirAll(d, 0o755)
		}
		if err != nil {
			return nil, err
		}
		names := make(map[string]bool, len(entries))
		for _, e := range entries {
			names[e.Name()] = true
			if !e.IsDir() {
				continue
			}
			if file := filepath.Join(d, e.Name()); strings.HasPrefix(owner[file], TypeSnapshot+".") {
				// the directory of a snapshot file's blocks from when it
				// held several, where its one compiled file goes now
				if err := os.RemoveAll(file); err != nil {
					return nil, err
				}
				names[e.Name()] = false
			}
		}
		dirs[d] = names
	}
	for i := range jobs {
		jobs[i].exists = dirs[filepath.Dir(jobs[i].file)][filepath.Base(jobs[i].file)]
	}
	// A worker takes a whole directory: files created in one directory at
	// once wait for each other on the directory's lock, and the kernel
	// spins while they wait (a fifth of a 10,000-model compile's CPU).
	byDir := map[string][]int{}
	for i, j := range jobs {
		d := filepath.Dir(j.file)
		byDir[d] = append(byDir[d], i)
	}
	groups := make([][]int, 0, len(byDir))
	for _, d := range sortedKeys(byDir) {
		groups = append(groups, byDir[d])
	}
	// a compile that keeps a patch snapshot sums each directory it wrote
	// in (outputsum.go): its files from what they hold, the rest read
	var sums []string
	var changes []sumChanges
	var prior map[string]fileStat // the directories the last snapshot recorded
	// A compile not loaded from the snapshot writes target/ (its compiled
	// files and manifest.json) under the snapshot's lock, which a patch
	// holds while it writes too, until StartWriteTarget's wait returns:
	// two such compiles at once with an edit between them wrote each
	// other's files in turn, and the snapshot that came last said its own
	// were on disk (TestWholeCompilesAtOnce). A compile that keeps no
	// snapshot takes the lock where another mart made it.
	if r.light == nil {
		file := filepath.Join(dir, PatchFile)
		lock := lockSnapshot
		if r.patch == nil {
			lock = lockSnapshotIfUsed
		}
		if unlock, locked := lock(file); locked {
			r.writeUnlock = unlock
		}
	}
	if r.patch != nil && r.light == nil {
		sums = make([]string, len(groups))
		var was fileStat
		if r.prior != nil {
			prior, was = r.prior()
		}
		// under the lock: when the snapshot in place is not the one prior
		// was read from, a patch wrote compiled files since, in place,
		// which prior's sums do not know of; and the snapshot goes now,
		// not at the first file this changes, so that a patch that read it
		// before gives up rather than write after this compile did
		// (CompileByPatch's check under the lock; found by review)
		file := filepath.Join(dir, PatchFile)
		if st, err := statOf(file); err != nil || was.Size == 0 || !st.same(was) {
			prior = nil
		}
		os.Remove(file)
	}
	if r.light != nil {
		changes = make([]sumChanges, len(groups))
	}
	// the first compiled file this changes takes the last patch snapshot
	// out of target/ (a run's writes move its sums instead: touched): its
	// sums would no longer be the disk's should this fail or be killed
	// before it writes manifest.json (files are written in place, under
	// the directories' stats), and a patch, or a whole compile's
	// priorOutputs, trusts them while manifest.json is as it recorded.
	// One that changes a compiled file writes another manifest.json, which
	// the next compile would not patch anyway (found by review).
	invalidate := func() {}
	if r.light == nil {
		snapFile := filepath.Join(r.TargetDir(), PatchFile)
		invalidate = sync.OnceFunc(func() { os.Remove(snapFile) })
	}
	return func() error {
		errs := make([]error, len(jobs))
		// a file's text is made, and an existing file read, in a buffer
		// of the worker's: 10,000 compiled files allocate nothing each
		bufs := sync.Pool{New: func() any { return new([2][]byte) }}
		parallelN(len(groups), ioWorkers, func(g int) {
			b := bufs.Get().(*[2][]byte)
			defer bufs.Put(b)
			dir := filepath.Dir(jobs[groups[g][0]].file)
			d := openDirFiles(dir)
			defer d.close()
			var hashes map[string]uint64
			if sums != nil {
				hashes = make(map[string]uint64, len(groups[g]))
			}
			if was, ok := prior[dir]; ok {
				// all there already when they sum to what it held
				// (priorOutputs)
				for _, i := range groups[g] {
					name := filepath.Base(jobs[i].file)
					b[0] = append(append(b[0][:0], jobs[i].code...), '\n')
					hashes[name] = entryHash(name, 'f', b[0])
				}
				if st, err := statOf(dir); err == nil && st.same(was) {
					// the directory as it will be: a file it lacks
					// (a model added) counts as written
					seen := make(map[string]bool, len(hashes))
					sum, err := dirSum(dir, func(name string) (uint64, bool) {
						h, ok := hashes[name]
						seen[name] = ok
						return h, ok
					})
					if err == nil {
						x := binary.LittleEndian.Uint64([]byte(sum))
						for name, h := range hashes {
							if !seen[name] {
								x ^= h
							}
						}
						sum = string(binary.LittleEndian.AppendUint64(nil, x))
					}
					if err == nil && sum == was.Sum {
						sums[g] = sum
						return
					}
				}
			}
			for _, i := range groups[g] {
				j := jobs[i]
				name := filepath.Base(j.file)
				b[0] = append(append(b[0][:0], j.code...), '\n')
				if hashes != nil {
					hashes[name] = entryHash(name, 'f', b[0])
				}
				if j.exists {
					var same bool
					if same, b[1] = d.sameContent(name, b[0], b[1]); same {
						continue
					}
				}
				if changes != nil {
					var old []byte
					err := fs.ErrNotExist
					if j.exists {
						old, err = readFile(j.file)
					}
					changes[g].wrote(dir, name, old, b[0], err)
				}
				invalidate()
				errs[i] = d.writeFile(name, b[0])
			}
			if hashes != nil {
				sum, err := dirSum(dir, func(name string) (uint64, bool) {
					h, ok := hashes[name]
					return h, ok
				})
				if err == nil {
					sums[g] = sum
				}
			}
		})
		if changes != nil {
			r.sumChanges = made
			for _, c := range changes {
				r.sumChanges.merge(c)
			}
		}
		if sums != nil {
			r.compiledSums = make(map[string]string, len(groups))
			for g, s := range sums {
				if s != "" {
					r.compiledSums[filepath.Dir(jobs[groups[g][0]].file)] = s
				}
			}
		}
		return errors.Join(errs...)
	}, nil
}

// parallelN runs fn(0..n-1) on the given number of workers.
func parallelN(n, workers int, fn func(i int)) {
	if workers > n {
		workers = n
	}
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// stageManifest writes m to a new version of file (spare.go); commit(true)
// puts it in place and returns its stat, commit(false) drops it.
func stageManifest(file string, m *Manifest) (commit func(keep bool) (fileStat, error), err error) {
	return stageManifestAt(file, m, nil)
}

// manifestOffsets are where the metadata ends and where each node's
// entry is in a manifest.json written by stageManifestAt (patch.go).
type manifestOffsets struct {
	metaEnd int64
	macros  [2]int64 // the macros object
	nodes   map[string][2]int64
	segs    []crcSeg // the file's content (outputsum.go)
	// cutAt, when set, ends a segment of segs at an offset
	cutAt func(off int64)
}

// countingWriter counts the bytes written through it, and sums them
// when sum is set.
type countingWriter struct {
	w   io.Writer
	n   int64
	sum *segSummer
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.sum != nil {
		c.sum.add(p[:n])
	}
	return n, err
}

// stageManifestAt is stageManifest that also records offsets in at when
// it is not nil.
func stageManifestAt(file string, m *Manifest, at *manifestOffsets) (commit func(keep bool) (fileStat, error), err error) {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, err
	}
	out, err := stageFile(file)
	if err != nil {
		return nil, err
	}
	cw := &countingWriter{w: out.File()}
	w := bufio.NewWriterSize(cw, 1<<20)
	var pos func() int64
	if at != nil {
		pos = func() int64 { return cw.n + int64(w.Buffered()) }
		cw.sum = &segSummer{}
		at.cutAt = cw.sum.cutAt
	}
	err = encodeManifestAt(w, m, at, pos)
	if err == nil {
		err = w.Flush()
	}
	if err == nil && at != nil {
		at.segs = cw.sum.done()
	}
	if err != nil {
		out.abort()
		return nil, err
	}
	return func(keep bool) (fileStat, error) {
		if !keep {
			out.abort()
			return fileStat{}, nil
		}
		err := out.commit(cw.n)
		return out.stat, err
	}, nil
}

// encodeManifest writes the manifest's JSON; its fields in struct order.
func encodeManifest(w *bufio.Writer, m *Manifest) error { return encodeManifestAt(w, m, nil, nil) }

// encodeManifestAt is encodeManifest recording offsets in at (when not
// nil), pos telling how many bytes were written.
func encodeManifestAt(w *bufio.Writer, m *Manifest, at *manifestOffsets, pos func() int64) error {
	// The manifest's sorted ids are the keys of the parent and child maps
	// (30,000 entries each on the 10k bench project) and, less sources and
	// unit tests, of the nodes: no map is sorted again. The two maps are
	// encoded in the background while the nodes are.
	all := m.AllIDs()
	lists := map[string]chan []byte{}
	for key, l := range map[string]map[string][]string{"parent_map": m.ParentMap, "child_map": m.ChildMap} {
		ch := make(chan []byte, 1)
		lists[key] = ch
		go func() { ch <- appendListsInOrder(nil, l, all) }()
	}
	fields := []struct {
		key string
		v   any
	}{
		{"metadata", m.Metadata}, {"nodes", m.Nodes}, {"sources", m.Sources}, {"unit_tests", m.UnitTests},
		{"macros", m.Macros}, {"docs", m.Docs}, {"disabled", m.Disabled},
		{"parent_map", m.ParentMap}, {"child_map", m.ChildMap},
	}
	w.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			w.WriteByte(',')
		}
		key, _ := compactJSON(f.key)
		w.Write(key)
		w.WriteByte(':')
		if at != nil && f.key == "macros" {
			at.macros[0] = pos()
		}
		var err error
		if nodes, ok := f.v.(map[string]*Node); ok {
			var rec func(id string, from, to int64)
			if at != nil { // nodes, sources and unit tests: their ids are distinct
				if at.nodes == nil {
					at.nodes = make(map[string][2]int64, len(all))
				}
				rec = func(id string, from, to int64) { at.nodes[id] = [2]int64{from, to} }
			}
			err = encodeNodes(w, nodes, all, rec, pos)
		} else if ch, ok := lists[f.key]; ok {
			_, err = w.Write(<-ch)
		} else {
			var b []byte
			if b, err = compactJSON(f.v); err == nil {
				_, err = w.Write(b)
			}
		}
		if err != nil {
			return err
		}
		if at != nil && f.key == "metadata" {
			at.metaEnd = pos()
			if at.cutAt != nil { // every patch splices the metadata
				at.cutAt(at.metaEnd)
			}
		}
		if at != nil && f.key == "macros" {
			at.macros[1] = pos()
		}
	}
	w.WriteByte('}')
	_, err := w.WriteString("\n")
	return err
}

// encodeNodes writes a map of nodes as a JSON object, keys sorted, with the
// nodes encoded in parallel. sorted holds (at least) its keys, sorted.
// rec, when set, is told where each node's entry is (pos: bytes written).
func encodeNodes(w *bufio.Writer, nodes map[string]*Node, sorted []string, rec func(id string, from, to int64), pos func() int64) error {
	if nodes == nil {
		_, err := w.WriteString("null")
		return err
	}
	ids := keysInOrder(nodes, sorted)
	// Chunks of consecutive ids are encoded in parallel and written in
	// order as they finish, with a bounded number in flight, through
	// reused buffers.
	const chunk = 64
	n := (len(ids) + chunk - 1) / chunk
	type encoded struct {
		buf  *[]byte
		ends []int // with rec: each node's entry's start and end in buf
		err  error
	}
	results := make([]chan encoded, n)
	for i := range results {
		results[i] = make(chan encoded, 1)
	}
	inFlight := make(chan struct{}, 4*runtime.GOMAXPROCS(0))
	go func() {
		for c := 0; c < n; c++ {
			inFlight <- struct{}{}
			go func() {
				b := jsonBufs.Get().(*[]byte)
				var err error
				var ends []int
				if rec != nil {
					ends = make([]int, 0, 2*chunk)
				}
				*b, err = encodeChunk((*b)[:0], ids, nodes, c*chunk, min(len(ids), (c+1)*chunk), &ends)
				results[c] <- encoded{b, ends, err}
			}()
		}
	}()
	w.WriteByte('{')
	var firstErr error
	for c := 0; c < n; c++ {
		r := <-results[c]
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
		if firstErr == nil {
			if rec != nil {
				base := pos()
				for i := 0; i+1 < len(r.ends); i += 2 {
					rec(ids[c*chunk+i/2], base+int64(r.ends[i]), base+int64(r.ends[i+1]))
				}
			}
			w.Write(*r.buf)
		}
		jsonBufs.Put(r.buf)
		<-inFlight
	}
	if firstErr != nil {
		return firstErr
	}
	_, err := w.WriteString("}")
	return err
}

// keysInOrder returns the keys of m in the order of sorted, which should
// hold them all, sorted and each once; if it does not, it sorts the keys.
func keysInOrder[V any](m map[string]V, sorted []string) []string {
	ids := make([]string, 0, len(m))
	for _, id := range sorted {
		if _, ok := m[id]; ok {
			if len(ids) > 0 && id <= ids[len(ids)-1] {
				return sortedKeys(m) // not sorted, or twice
			}
			ids = append(ids, id)
		}
	}
	if len(ids) != len(m) {
		return sortedKeys(m)
	}
	return ids
}

var jsonBufs = sync.Pool{New: func() any { return new([]byte) }}

// encodeChunk appends `"id":node` pairs for ids[from:to] to buf, comma
// separated (with a leading comma unless from is 0). ends, when not nil,
// gets each node's start and end in buf.
func encodeChunk(buf []byte, ids []string, nodes map[string]*Node, from, to int, ends *[]int) ([]byte, error) {
	for i := from; i < to; i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, ids[i])
		buf = append(buf, ':')
		start := len(buf)
		var err error
		if buf, err = appendNode(buf, nodes[ids[i]]); err != nil {
			return buf, err
		}
		if ends != nil && *ends != nil {
			*ends = append(*ends, start, len(buf))
		}
	}
	return buf, nil
}

// compactJSON is json.Marshal without HTML escaping.
func compactJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
