package compiler

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
)

// A patch trusts target/ as the snapshot's compile (or the last patch)
// left it: manifest.json and the compiled files. It knows them by their
// stat (size, mtime, inode), which changes with anything that writes them,
// and by the machine's boot. Both fail where target/ is kept on purpose:
// a CI job that restores target/ from a cache gets the same bytes under
// new stats, and after a crash of the machine a file written in place
// (manifest.json over its spare, a compiled file) may hold a mix of
// versions with the stat of the last one.
//
// So the snapshot also keeps what target/ held, as checksums, and when a
// stat differs (or the machine restarted since) the content is checked
// instead: manifest.json as CRC-32C segments of about 256 KiB (a patch
// splices a few entries and re-sums only the segments they fall in, from
// the bytes it writes), and each compiled directory as one sum over its
// entries (a patch or a run moves it by what its writes changed:
// sumChanges). A restored target/ is then read once (manifest.json and
// the compiled files: ~50 MB on 10,000 models), against a whole compile.

// segSize is about how long a segment of manifest.json is (a patch reads
// the segments its splices fall in: the smaller, the less; the snapshot
// keeps one End and Crc each: 190 for the 10k bench project's 49 MB).
const segSize = 256 << 10

// crcSeg is a segment of a file: it ends at End (it starts where the one
// before it ends) and its CRC-32C is Crc.
type crcSeg struct {
	End int64
	Crc uint32
}

// segSummer sums what is fed to it in segments of at least segSize,
// cut between two feeds, and at the offsets cutAt asks for.
type segSummer struct {
	n, start int64
	crc      uint32
	segs     []crcSeg
	at       []int64 // cuts asked for, in order
}

func (s *segSummer) add(p []byte) {
	for len(s.at) > 0 && s.n+int64(len(p)) >= s.at[0] {
		k := s.at[0] - s.n
		s.at = s.at[1:]
		if k < 0 { // passed
			continue
		}
		s.crc = crc32.Update(s.crc, crcTable, p[:k])
		s.n, p = s.n+k, p[k:]
		if s.n > s.start {
			s.cut()
		}
	}
	s.crc = crc32.Update(s.crc, crcTable, p)
	s.n += int64(len(p))
	if s.n-s.start >= segSize {
		s.cut()
	}
}

// cutAt asks for a segment to end at off (not yet fed): where a patch
// splices every time (manifest.json's metadata), a segment of its own.
func (s *segSummer) cutAt(off int64) { s.at = append(s.at, off) }

func (s *segSummer) cut() {
	s.segs = append(s.segs, crcSeg{End: s.n, Crc: s.crc})
	s.start, s.crc = s.n, 0
}

// done ends the last segment (an empty file is one empty segment).
func (s *segSummer) done() []crcSeg {
	if s.n > s.start || len(s.segs) == 0 {
		s.cut()
	}
	return s.segs
}

// segsMatch tells whether the file f, size bytes long, holds the segments
// segs (read a segment per worker).
func segsMatch(f *os.File, size int64, segs []crcSeg) bool {
	if len(segs) == 0 || segs[len(segs)-1].End != size {
		return false
	}
	var bad atomic.Bool
	bufs := sync.Pool{New: func() any { return new([]byte) }}
	parallel(len(segs), func(i int) {
		start := int64(0)
		if i > 0 {
			start = segs[i-1].End
		}
		if segs[i].End < start {
			bad.Store(true)
			return
		}
		b := bufs.Get().(*[]byte)
		defer bufs.Put(b)
		var crc uint32
		for at := start; at < segs[i].End; {
			n := min(segs[i].End-at, segSize)
			if int64(cap(*b)) < n {
				*b = make([]byte, n)
			}
			if _, err := f.ReadAt((*b)[:n], at); err != nil {
				bad.Store(true)
				return
			}
			crc = crc32.Update(crc, crcTable, (*b)[:n])
			at += n
		}
		if crc != segs[i].Crc {
			bad.Store(true)
		}
	})
	return !bad.Load()
}

// resegment is segs, the segments of a file size bytes long, once the
// splices (sorted, not overlapping) are made in it: a segment no splice
// falls in keeps its sum (moved), a run of segments that splices fall in
// is summed again from the old file (readAt fills b from off) and the
// splices' bytes, a segment still ending at each offset of cuts (of the
// old file) it holds. False when the old file cannot be read.
func resegment(segs []crcSeg, size int64, splices []fileSplice, cuts []int64, readAt func(b []byte, off int64) bool) ([]crcSeg, bool) {
	if len(segs) == 0 || segs[len(segs)-1].End != size {
		return nil, false
	}
	newSize := size
	for _, sp := range splices {
		newSize += int64(len(sp.with)) - (sp.to - sp.from)
	}
	// moved is where an offset of the old file is in the new one (the
	// offset is not inside a splice; an insertion there goes after it)
	moved := func(x int64) int64 {
		to := x
		for _, sp := range splices {
			if sp.from >= x {
				break
			}
			to += int64(len(sp.with)) - (sp.to - sp.from)
		}
		return to
	}
	// in: the splice replaces bytes of [s, e), or inserts at s or inside
	// it (at e only when e is the file's end)
	in := func(sp fileSplice, s, e int64) bool {
		if sp.from == sp.to {
			return sp.from >= s && (sp.from < e || sp.from == e && e == size)
		}
		return sp.from < e && sp.to > s
	}
	touched := func(s, e int64) bool {
		for _, sp := range splices {
			if in(sp, s, e) {
				return true
			}
		}
		return false
	}
	out := make([]crcSeg, 0, len(segs)+len(splices))
	var buf []byte
	for i := 0; i < len(segs); {
		s := int64(0)
		if i > 0 {
			s = segs[i-1].End
		}
		if !touched(s, segs[i].End) {
			out = append(out, crcSeg{End: moved(segs[i].End), Crc: segs[i].Crc})
			i++
			continue
		}
		// the run of touched segments from s: a splice across a
		// boundary is in both segments, so in one run
		j := i + 1
		for j < len(segs) && touched(segs[j-1].End, segs[j].End) {
			j++
		}
		e := segs[j-1].End
		sum := segSummer{n: moved(s), start: moved(s)}
		for _, c := range cuts {
			if c > s && c < e {
				sum.cutAt(moved(c))
			}
		}
		slices.Sort(sum.at)
		feed := func(from, to int64) bool {
			for from < to {
				n := min(to-from, segSize)
				if buf == nil {
					buf = make([]byte, segSize)
				}
				if !readAt(buf[:n], from) {
					return false
				}
				sum.add(buf[:n])
				from += n
			}
			return true
		}
		at := s
		for _, sp := range splices {
			if !in(sp, s, e) {
				continue
			}
			if sp.from < at || !feed(at, sp.from) {
				return nil, false
			}
			sum.add(sp.with)
			at = sp.to
		}
		if !feed(at, e) {
			return nil, false
		}
		end := moved(e)
		if j == len(segs) {
			end = newSize
		}
		if sum.n != end {
			return nil, false
		}
		if sum.n > sum.start {
			sum.cut()
		}
		out = append(out, sum.segs...)
		i = j
	}
	return out, true
}

// A compiled directory's sum is the XOR of one hash per entry: of its
// name, kind and, for a file, content. A whole compile sums the files it
// writes from their text and reads the rest; a patch or a run that writes
// a few files moves the sum by what each write changed (sumChanges).

// entryHash hashes one entry of a directory: kind 'f' (a file, with its
// content), 'd' (a directory) or 'o' (anything else). The CRC is mixed
// with the length by a bijection that is not linear, so that XORing the
// hashes of files does not cancel as XORing CRCs would (two files of one
// length swapping contents).
func entryHash(name string, kind byte, content []byte) uint64 {
	c := crc32.Update(0, crcTable, []byte(name))
	c = crc32.Update(c, crcTable, []byte{0, kind})
	c = crc32.Update(c, crcTable, content)
	x := uint64(c)<<32 | uint64(uint32(len(content)))
	// splitmix64's finalizer
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// dirSum sums the directory dir as it is on disk; known, when not nil,
// gives the hash of a file whose content is known (written just now).
func dirSum(dir string, known func(name string) (uint64, bool)) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var sum uint64
	for _, e := range entries {
		switch {
		case e.Type().IsRegular():
			if known != nil {
				if h, ok := known(e.Name()); ok {
					sum ^= h
					continue
				}
			}
			data, err := readFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return "", err
			}
			sum ^= entryHash(e.Name(), 'f', data)
		case e.IsDir():
			sum ^= entryHash(e.Name(), 'd', nil)
		default:
			sum ^= entryHash(e.Name(), 'o', nil)
		}
	}
	return string(binary.LittleEndian.AppendUint64(nil, sum)), nil
}

// sumChanges is what writes of compiled files changed in the sums of the
// directories they were written in: by directory, the XOR of the old
// contents' hashes (taken out) and the new ones' (put in), and of the
// directories made in it; and the directories whose sums are unknown now
// (a file that could not be read before it was written over). A sum is
// never taken again from the disk here: that would take in a file
// changed by hand under the directory's unchanged stat, which the sum is
// there to notice.
type sumChanges struct {
	delta   map[string]uint64
	unknown []string
}

// wrote records that file, in dir, was written with data: old is what it
// held (read before), and err why it could not be read.
func (s *sumChanges) wrote(dir, name string, old, data []byte, err error) {
	if s.delta == nil {
		s.delta = map[string]uint64{}
	}
	switch {
	case err == nil:
		s.delta[dir] ^= entryHash(name, 'f', old) ^ entryHash(name, 'f', data)
	case errors.Is(err, fs.ErrNotExist): // a new entry
		s.delta[dir] ^= entryHash(name, 'f', data)
	default:
		s.unknown = append(s.unknown, dir)
	}
}

// made records that dir, which is not there, is about to be made (with
// the directories it needs): the first of them is a new entry of the
// directory that is there.
func (s *sumChanges) made(dir string) {
	if s.delta == nil {
		s.delta = map[string]uint64{}
	}
	for child, parent := dir, filepath.Dir(dir); parent != child; child, parent = parent, filepath.Dir(parent) {
		_, err := os.Stat(parent)
		switch {
		case err == nil:
			s.delta[parent] ^= entryHash(filepath.Base(child), 'd', nil)
			return
		case !errors.Is(err, fs.ErrNotExist):
			s.unknown = append(s.unknown, parent)
			return
		}
	}
}

// merge adds what o changed.
func (s *sumChanges) merge(o sumChanges) {
	if s.delta == nil {
		s.delta = map[string]uint64{}
	}
	for d, x := range o.delta {
		s.delta[d] ^= x
	}
	s.unknown = append(s.unknown, o.unknown...)
}

// priorOutputs reads, in the background, the compiled directories the
// patch snapshot in target/ recorded, with their stats and sums, for a
// whole compile that keeps a snapshot (one a patch refused, most often).
// Its writer trusts them as a patch does (checkOutputs): a directory
// whose stat is the one recorded holds what its sum says (a file edited
// in place is not noticed; after a restart of the machine nothing is
// trusted), so when the files the compile writes there sum to it, they
// are all there already and none is read or written (prepareCompiled).
// It trusts them only while manifest.json has the stat the snapshot
// recorded (as a patch refuses when it changed: checkOutputs). 30,000
// compiled files compared by reading cost a whole compile of the 10k
// bench project 0.2-0.3 s.
func priorOutputs(tdir string) func() (map[string]fileStat, fileStat) {
	type read struct {
		dirs map[string]fileStat
		self fileStat
	}
	ch := make(chan read, 1)
	go func() {
		snap, err := readPatchSnapshot(filepath.Join(tdir, PatchFile))
		if err != nil || snap.Boot != bootID() {
			ch <- read{}
			return
		}
		// the snapshot's compile (or patch, or run) wrote target/ last, as
		// a patch requires (checkOutputs): mart's own commands that keep
		// no snapshot take it out before they change a compiled file
		// (prepareCompiled), but another tool writing target/ (dbt run in
		// the same project) writes manifest.json, and its files in place
		if st, err := statOf(filepath.Join(tdir, "manifest.json")); err != nil || !st.same(snap.Manifest) {
			ch <- read{}
			return
		}
		dirs := make(map[string]fileStat, len(snap.Compiled))
		for _, c := range snap.Compiled {
			if c.Sum != "" && c.Size >= 0 {
				dirs[c.Path] = c
			}
		}
		ch <- read{dirs, snap.self}
	}()
	return sync.OnceValues(func() (map[string]fileStat, fileStat) {
		r := <-ch
		return r.dirs, r.self
	})
}
