package compiler

import (
	"crypto/rand"
	"fmt"
	"os"
)

// A big output (manifest.json: 49 MB on the 10k bench project) is replaced
// whole, through another file renamed over it, so that a reader sees the
// old version or the new one, never a torn one. Made the plain way, with a
// new temporary file, the kernel allocates the new file's pages and blocks
// and frees the old file's when the rename drops it: on this kind of
// machine (ext4 mounted with discard) the rename alone took 10-35 ms and the
// writes twice as long as writes into pages that exist, a third of a warm
// compile after a one-model edit.
//
// So the replaced version is kept beside the file, as its spare
// (manifest.json.spare), and the next replacement is written over it from
// its start, truncated to its new length and swapped with the file in one
// atomic exchange (renameat2 RENAME_EXCHANGE): nothing is allocated or freed,
// and the version just replaced is the next spare. The spare is written over
// only when nobody else has it open: mart holds an exclusive flock on it
// while it writes (another mart writing the same target/ makes a new file
// instead), and takes and drops a write lease on it first, which the kernel
// grants only when no other descriptor or mapping of the file exists (a
// reader that opened manifest.json before it became the spare still reads
// the version it opened). Elsewhere (another OS, a filesystem without
// exchange or leases) the plain way is taken. Deleting a spare is always
// safe: the next replacement makes a new file.

const spareSuffix = ".spare"

// stagedFile is a new version of a file being written: commit puts it in
// place, abort drops it.
type stagedFile struct {
	f     *os.File
	name  string // the file written: dst's spare or a new temporary file
	dst   string
	spare bool // f is the spare, written over from its start
}

// stageFile starts a new version of dst: write it through File, then
// commit or abort.
func stageFile(dst string) (*stagedFile, error) {
	if f := openSpare(dst + spareSuffix); f != nil {
		return &stagedFile{f: f, name: dst + spareSuffix, dst: dst, spare: true}, nil
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := fmt.Sprintf("%s.%x.tmp", dst, rnd)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if err != nil {
		return nil, err
	}
	return &stagedFile{f: f, name: tmp, dst: dst}, nil
}

// File is where the new version is written, sequentially from its start.
func (s *stagedFile) File() *os.File { return s.f }

// commit puts the new version, size bytes long, in place of dst; the old
// version becomes dst's spare.
func (s *stagedFile) commit(size int64) error {
	var err error
	if s.spare {
		err = s.f.Truncate(size) // the spare held a longer version
	}
	if err != nil {
		s.abort()
		return err
	}
	// the spare's lock is held until the exchange is made: another mart
	// does not write into what is about to be manifest.json
	defer s.f.Close()
	if s.spare && !sameFileAt(s.f, s.name) {
		// another mart replaced the spare meanwhile (two compiles of one
		// target/ at once): what was written is not at s.name any more
		return fmt.Errorf("%s was replaced while it was written", s.name)
	}
	if exchangeFiles(s.name, s.dst) != nil {
		// no old version, or no exchange here: the plain way
		err := os.Rename(s.name, s.dst)
		if err != nil && !s.spare {
			os.Remove(s.name)
		}
		return err
	}
	if !s.spare {
		// the old version, now at the temporary name, becomes the spare
		// unless there is one (in use: it is left to its reader)
		_ = os.Link(s.name, s.dst+spareSuffix)
		_ = os.Remove(s.name)
	}
	return nil
}

// abort drops the new version; a spare written in part stays a spare.
func (s *stagedFile) abort() {
	s.f.Close()
	if !s.spare {
		os.Remove(s.name)
	}
}

// sameFileAt tells whether name is still the file f has open.
func sameFileAt(f *os.File, name string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(name)
	return err == nil && os.SameFile(a, b)
}
