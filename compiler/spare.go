package compiler

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// A big output (manifest.json: 49 MB on the 10k bench project) is replaced
// whole, through another file put in its place, so that a reader sees the
// old version or the new one, never a torn one. Made the plain way, as a
// new temporary file renamed over the old, the kernel allocates the new
// file's pages and blocks and frees the old file's when the rename drops
// it: on ext4 mounted with discard (this kind of machine) that took 27-30 ms
// of a 60 ms compile after a one-model edit.
//
// So the replaced version is kept beside the file, as its spare
// (manifest.json.spare), and the next replacement is written over it:
// the spare is first claimed by renaming it to a temporary name of this
// process (another mart finds no spare and makes a new file; deleting the
// spare meanwhile changes nothing), checked to have no other descriptor or
// mapping open (a write lease, which the kernel grants only then, is taken
// and dropped: a process that opened manifest.json before it became the
// spare keeps reading the version it opened, and the spare is left to it),
// written over from its start, cut to its new length, and swapped with the
// file in one atomic exchange (renameat2 RENAME_EXCHANGE); the version just
// replaced becomes the spare. Nothing is allocated or freed.
//
// Where there is no exchange (another OS, a filesystem without it) the new
// file is renamed over the old; where leases are not granted no spare is
// kept. Writes over the spare are not ordered with the journal as a
// rename over a file is (ext4's auto_da_alloc): after a crash of the
// machine manifest.json may mix versions, so after a reboot the
// partial-parse snapshot trusts target/ only once it checked its content
// (bootID, outputsum.go; without a boot id no spare is written over). The
// spare may be deleted at any time.
//
// Not covered: bytes a reader spliced into a pipe (splice, sendfile) and
// has not read yet reference the spare's pages, which the next compile
// overwrites; and --state or defer reading a target/ after a crash of the
// machine read what is on disk.

const spareSuffix = ".spare"

// staleAfter is how long a new version being written may go unchanged
// before removeStaleTemps takes it for one a killed mart left (and then
// only when no process holds its lock).
var staleAfter = 10 * time.Minute

// tempSuffix ends the names of new versions being written (staleTemps).
const tempSuffix = ".tmp"

// stagedFile is a new version of a file being written: commit puts it in
// place, abort drops it.
type stagedFile struct {
	f     *os.File
	name  string // where it is written: a name of this process's
	dst   string
	spare bool // f is the claimed spare, written over from its start
	// stat is the new version's, once committed: what the patch
	// snapshot records, not a stat of dst's name, which another mart
	// may have replaced meanwhile
	stat fileStat
}

// stageFile starts a new version of dst: write it through File, then
// commit or abort.
func stageFile(dst string) (*stagedFile, error) {
	removeStaleTemps(dst)
	claim := tempName(dst)
	if f := claimSpare(dst+spareSuffix, claim); f != nil {
		return &stagedFile{f: f, name: claim, dst: dst, spare: true}, nil
	}
	// a name of its own: what the claim refused may be at claim's
	f, tmp, err := createTemp(dst, 0o666)
	if err != nil {
		return nil, err
	}
	return &stagedFile{f: f, name: tmp, dst: dst}, nil
}

// createTemp creates a new version of dst under a name of its own
// (tempName), locked while it is open so that removeStaleTemps leaves it.
func createTemp(dst string, perm os.FileMode) (*os.File, string, error) {
	tmp := tempName(dst)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return nil, "", err
	}
	lockTemp(f)
	return f, tmp, nil
}

// tempName is a new name for a version of dst being written.
func tempName(dst string) string {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	return fmt.Sprintf("%s.%x%s", dst, rnd, tempSuffix)
}

// File is where the new version is written, sequentially from its start.
func (s *stagedFile) File() *os.File { return s.f }

// holds says whether the file written is the claimed spare and is still
// the file st was a stat of (its inode, size and mtime), size bytes long.
func (s *stagedFile) holds(st fileStat, size int64) bool {
	if !s.spare || st.Ino == 0 || st.Size != size {
		return false
	}
	now, err := statOfFile(s.f)
	return err == nil && now.same(st)
}

// commit puts the new version, size bytes long, in place of dst; the
// replaced version becomes dst's spare.
func (s *stagedFile) commit(size int64) error {
	var err error
	if s.spare {
		err = s.f.Truncate(size) // the spare held a longer version
	}
	if err == nil {
		s.stat, err = statOfFile(s.f)
	}
	if err != nil {
		s.abort()
		return err
	}
	// a new file tells whether leases are granted here (nobody else has
	// it open): if not, or without a boot id, a spare could never be
	// written over
	keep := bootID() != "" && (s.spare || leaseGranted(s.f))
	if err := s.f.Close(); err != nil {
		os.Remove(s.name)
		return err
	}
	// only a file is exchanged: a directory (or another thing) at dst
	// would be moved aside without a word, where a rename fails
	if fi, err := os.Lstat(s.dst); err != nil || !fi.Mode().IsRegular() || exchangeFiles(s.name, s.dst) != nil {
		// no old version, or no exchange here: the plain way
		if err := os.Rename(s.name, s.dst); err != nil {
			os.Remove(s.name)
			return err
		}
		return nil
	}
	// s.name holds the replaced version now
	if !keep || os.Rename(s.name, s.dst+spareSuffix) != nil {
		os.Remove(s.name)
	}
	return nil
}

// abort drops the new version; a claimed spare is put back.
func (s *stagedFile) abort() {
	s.f.Close()
	if !s.spare || os.Rename(s.name, s.dst+spareSuffix) != nil {
		os.Remove(s.name)
	}
}

// tempsOf lists the names in dst's directory that are new versions of it
// being written or left by a killed mart: dst.<hex>.tmp.
func tempsOf(dst string) []string {
	entries, err := os.ReadDir(filepath.Dir(dst))
	if err != nil {
		return nil
	}
	base := filepath.Base(dst) + "."
	var out []string
	for _, e := range entries {
		name := e.Name()
		if len(name) == len(base)+12+len(tempSuffix) && name[:len(base)] == base && name[len(name)-len(tempSuffix):] == tempSuffix {
			out = append(out, filepath.Join(filepath.Dir(dst), name))
		}
	}
	return out
}
