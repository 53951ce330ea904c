package compiler

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// segsOf sums data as a writer fed in random pieces would, sometimes
// asked to cut at a few offsets.
func segsOf(r *rand.Rand, data []byte) []crcSeg {
	var s segSummer
	for k := r.Intn(3); k > 0 && len(data) > 0; k-- {
		s.cutAt(int64(r.Intn(len(data))))
	}
	slices.Sort(s.at)
	cuts := slices.Clone(s.at)
	for len(data) > 0 {
		n := min(len(data), 1+r.Intn(3*segSize/2))
		s.add(data[:n])
		data = data[n:]
	}
	segs := s.done()
	for _, c := range cuts {
		if c > 0 && !slices.ContainsFunc(segs, func(g crcSeg) bool { return g.End == c }) {
			panic(fmt.Sprintf("no segment ends at %d, asked for", c))
		}
	}
	return segs
}

func checkSegs(t *testing.T, data []byte, segs []crcSeg) {
	t.Helper()
	require.NotEmpty(t, segs)
	start := int64(0)
	for _, s := range segs {
		require.GreaterOrEqual(t, s.End, start)
		require.Equal(t, crc32.Checksum(data[start:s.End], crcTable), s.Crc, "segment ending at %d", s.End)
		start = s.End
	}
	require.Equal(t, int64(len(data)), start)
}

// TestResegment: the segments resegment makes after random splices (at
// the start, the end, across boundaries, insertions and removals) are
// the new file's, and a segment no splice falls in is not read.
func TestResegment(t *testing.T) {
	for seed := int64(0); seed < 300; seed++ {
		r := rand.New(rand.NewSource(seed))
		size := r.Intn(5 * segSize)
		if seed%10 == 0 {
			size = r.Intn(100)
		}
		old := make([]byte, size)
		r.Read(old)
		segs := segsOf(r, old)
		checkSegs(t, old, segs)
		// splices at sorted, non-overlapping places
		var cuts []int
		for range r.Intn(8) {
			cuts = append(cuts, r.Intn(size+1), r.Intn(size+1))
		}
		switch seed % 7 {
		case 1:
			cuts = append(cuts, 0, 0)
		case 2:
			cuts = append(cuts, size, size)
		case 3:
			if len(segs) > 1 {
				b := int(segs[0].End)
				cuts = append(cuts, b, b, b-1, b+1)
			}
		}
		sort.Ints(cuts)
		var splices []fileSplice
		for i := 0; i+1 < len(cuts); i += 2 {
			if len(splices) > 0 && splices[len(splices)-1].to == int64(cuts[i]) && cuts[i] == cuts[i+1] && splices[len(splices)-1].from == int64(cuts[i]) {
				continue // two insertions at one place: not a sorted splice list
			}
			with := make([]byte, r.Intn(3000))
			if r.Intn(20) == 0 {
				with = make([]byte, segSize+r.Intn(segSize))
			}
			r.Read(with)
			splices = append(splices, fileSplice{int64(cuts[i]), int64(cuts[i+1]), with, nil})
		}
		var nu []byte
		at := int64(0)
		for _, sp := range splices {
			nu = append(append(nu, old[at:sp.from]...), sp.with...)
			at = sp.to
		}
		nu = append(nu, old[at:]...)
		readBytes := int64(0)
		readAt := func(b []byte, off int64) bool {
			readBytes += int64(len(b))
			if off < 0 || off+int64(len(b)) > int64(len(old)) {
				return false
			}
			copy(b, old[off:])
			return true
		}
		// a cut kept where a segment ends, unless a splice replaces it
		var cut []int64
		if len(segs) > 1 && seed%2 == 0 {
			cut = []int64{segs[0].End}
		}
		got, ok := resegment(segs, int64(size), splices, cut, readAt)
		require.True(t, ok, "seed %d", seed)
		checkSegs(t, nu, got)
		if len(cut) > 0 && !slices.ContainsFunc(splices, func(sp fileSplice) bool { return sp.from < cut[0] && sp.to > cut[0] }) {
			at := cut[0]
			for _, sp := range splices {
				if sp.from < cut[0] {
					at += int64(len(sp.with)) - (sp.to - sp.from)
				}
			}
			require.True(t, slices.ContainsFunc(got, func(g crcSeg) bool { return g.End == at }), "seed %d: a segment ends at the cut, moved to %d", seed, at)
		}
		if len(splices) == 0 {
			require.Zero(t, readBytes)
			require.Equal(t, segs, got)
		}
		if len(splices) == 1 && len(segs) > 3 {
			require.Less(t, readBytes, int64(size), "seed %d: only the segments a splice falls in are read", seed)
		}
	}
}

// TestSegsMatch: a file's segments match it; one changed byte, a longer
// or shorter file, do not.
func TestSegsMatch(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	data := make([]byte, 3*segSize+123)
	r.Read(data)
	segs := segsOf(r, data)
	file := filepath.Join(t.TempDir(), "m")
	require.NoError(t, os.WriteFile(file, data, 0o644))
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	require.True(t, segsMatch(f, int64(len(data)), segs))
	require.False(t, segsMatch(f, int64(len(data))+1, segs))
	require.False(t, segsMatch(f, int64(len(data)), segs[:len(segs)-1]))
	data[2*segSize+5] ^= 1
	require.NoError(t, os.WriteFile(file, data, 0o644))
	require.False(t, segsMatch(f, int64(len(data)), segs))
}

// TestDirSum: a directory's sum changes with a file's content, name, a
// swap of two files' contents of one length, an entry added; the sum of
// files known by content is the sum from the disk.
func TestDirSum(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("a.sql", "select 1\n")
	write("b.sql", "select 2\n")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	sum := func() string {
		s, err := dirSum(dir, nil)
		require.NoError(t, err)
		return s
	}
	base := sum()
	known, err := dirSum(dir, func(name string) (uint64, bool) {
		if name == "a.sql" {
			return entryHash(name, 'f', []byte("select 1\n")), true
		}
		return 0, false
	})
	require.NoError(t, err)
	require.Equal(t, base, known)
	write("a.sql", "select 2\n")
	write("b.sql", "select 1\n")
	require.NotEqual(t, base, sum(), "swapped contents")
	write("a.sql", "select 1\n")
	write("b.sql", "select 2\n")
	require.Equal(t, base, sum())
	write("c.sql", "")
	require.NotEqual(t, base, sum(), "a file added")
	require.NoError(t, os.Remove(filepath.Join(dir, "c.sql")))
	require.NoError(t, os.Remove(filepath.Join(dir, "sub")))
	require.NotEqual(t, base, sum(), "a directory removed")
	require.True(t, bytes.Equal([]byte(base), []byte(base)))
}

// TestWholeCompileTrustsCompiledDirs: a whole compile that keeps a patch
// snapshot writes nothing in a compiled directory whose stat and sum are
// the last snapshot's when its files sum to it (priorOutputs): it trusts
// target/ as a patch does, so a file edited in place is not noticed (the
// caveat docs/architecture.md states), while a file replaced or removed,
// which changes its directory, is written again; after a restart of the
// machine, or after a command that wrote target/ and kept no snapshot,
// nothing is trusted.
func TestWholeCompileTrustsCompiledDirs(t *testing.T) {
	t.Setenv("MART_PROFILES_DIR", "")
	dir := t.TempDir()
	for rel, text := range map[string]string{
		"mart.yml":       "name: tr\n",
		"models/a/x.sql": "select 1 as id\n",
		"models/a/y.sql": "select id from {{ ref('x') }}\n",
		"models/b/z.sql": "select id from {{ ref('y') }}\n",
	} {
		writeProjectFile(t, dir, rel, text)
	}
	opt := Options{ProjectDir: dir, InvocationID: "inv", PartialParse: true, PatchSnapshot: true}
	whole := func() { t.Helper(); compileKeepingPatch(t, opt) }
	compiled := func(rel string) string { return filepath.Join(dir, "target", "compiled", filepath.FromSlash(rel)) }
	inPlace := func(rel string) {
		t.Helper()
		f, err := os.OpenFile(compiled(rel), os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteAt([]byte("SELECT"), 0)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
	whole()
	// in place (a's directory keeps its stat), and replaced (b's changes)
	inPlace("models/a/x.sql")
	require.NoError(t, os.WriteFile(compiled("models/b/z.sql.new"), []byte("edited\n"), 0o644))
	require.NoError(t, os.Rename(compiled("models/b/z.sql.new"), compiled("models/b/z.sql")))
	whole()
	read := func(rel string) string {
		b, err := os.ReadFile(compiled(rel))
		require.NoError(t, err)
		return string(b)
	}
	require.Equal(t, "SELECT 1 as id\n", read("models/a/x.sql"), "a's directory trusted")
	require.Equal(t, "select id from \"main\".\"y\"\n", read("models/b/z.sql"), "b's directory checked")
	// a model of a's directory edited: its file differs from the sum
	writeProjectFile(t, dir, "models/a/x.sql", "select 2 as id\n")
	whole()
	require.Equal(t, "select 2 as id\n", read("models/a/x.sql"), "a's directory written")
	writeProjectFile(t, dir, "models/a/x.sql", "select 1 as id\n")
	whole()
	// a compile that keeps no snapshot (--no-partial-parse) rewrites x's
	// file in place; x put back, the snapshot's sums are not the disk's
	writeProjectFile(t, dir, "models/a/x.sql", "select 4 as id\n")
	noSnap := opt
	noSnap.PartialParse, noSnap.PatchSnapshot = false, false
	r, d := Compile(noSnap)
	require.NotNil(t, r, "%v", d)
	require.NoError(t, r.WriteTarget(compiledIDs(r)))
	require.Equal(t, "select 4 as id\n", read("models/a/x.sql"))
	writeProjectFile(t, dir, "models/a/x.sql", "select 1 as id\n")
	whole()
	require.Equal(t, "select 1 as id\n", read("models/a/x.sql"), "after a compile that kept no snapshot")
	// a whole compile that fails while it writes (z's file made a
	// directory), after x's file was written in place; x put back (found
	// by review: the snapshot stayed, and the next whole compile trusted
	// a's directory)
	writeProjectFile(t, dir, "models/a/x.sql", "select 5 as id\n")
	require.NoError(t, os.Remove(compiled("models/b/z.sql")))
	require.NoError(t, os.Mkdir(compiled("models/b/z.sql"), 0o755))
	r, d = Compile(opt)
	require.NotNil(t, r, "%v", d)
	require.Error(t, r.WriteTarget(compiledIDs(r)))
	r.DropPatch()
	require.Equal(t, "select 5 as id\n", read("models/a/x.sql"))
	require.NoError(t, os.Remove(compiled("models/b/z.sql")))
	writeProjectFile(t, dir, "models/a/x.sql", "select 1 as id\n")
	whole()
	require.Equal(t, "select 1 as id\n", read("models/a/x.sql"), "after a compile that failed writing")
	require.Equal(t, "select id from \"main\".\"y\"\n", read("models/b/z.sql"))
	// another tool writes manifest.json anew and x's file in place
	manifest := filepath.Join(dir, "target", "manifest.json")
	data, err := os.ReadFile(manifest)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(manifest+".new", data, 0o644))
	require.NoError(t, os.Rename(manifest+".new", manifest))
	inPlace("models/a/x.sql")
	whole()
	require.Equal(t, "select 1 as id\n", read("models/a/x.sql"), "after another tool wrote target/")
	// a model added in a's directory: its file is not there yet
	writeProjectFile(t, dir, "models/a/w.sql", "select 3 as id\n")
	whole()
	require.Equal(t, "select 3 as id\n", read("models/a/w.sql"), "a model added")
	// a's directory with a file removed: checked, and written
	require.NoError(t, os.Remove(compiled("models/a/y.sql")))
	whole()
	require.Equal(t, "select 1 as id\n", read("models/a/x.sql"))
	require.Equal(t, "select id from \"main\".\"x\"\n", read("models/a/y.sql"))
	// edited in place again, after a restart: checked, and written
	inPlace("models/a/x.sql")
	snapFile := filepath.Join(dir, "target", PatchFile)
	snap, err := readPatchSnapshot(snapFile)
	require.NoError(t, err)
	snap.Boot = "another boot"
	require.NoError(t, writePatchSnapshot(snapFile, snap))
	whole()
	require.Equal(t, "select 1 as id\n", read("models/a/x.sql"), "after a restart")
}
