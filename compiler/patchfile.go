package compiler

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"unsafe"
)

// The patch snapshot's file: patchMagic, the head's length (uvarint) and
// the head (gob), the table of files, directories, compiled files and
// nodes (below), then the nodes' blobs one after the other. The table is
// read with no reflection: 10,000 models' snapshot reads in a few ms.

// PatchBlobsFile holds the patch snapshot's blobs, beside it: a patch
// appends the blobs it changed, and only a whole compile writes it anew.
const PatchBlobsFile = "partial_parse.blobs"

func blobsFile(file string) string { return filepath.Join(filepath.Dir(file), PatchBlobsFile) }

// writeBlobs writes the blobs of the nodes that hold one, the properties
// files' texts not yet written and the node index when it is new (last),
// to the blobs file: a new file when the snapshot has none, else at its
// end.
func writeBlobs(file string, snap *patchSnapshot) error {
	name := blobsFile(file)
	if snap.BlobsID == "" {
		tmp, err := writeBlobsAhead(file, snap)
		if err != nil {
			return err
		}
		return commitBlobs(file, tmp)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err == nil {
		w := bufio.NewWriterSize(f, 64<<10)
		if err = snap.putBlobs(w, fi.Size()); err == nil {
			err = w.Flush()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// putBlobs appends the blobs not yet written to w, the blobs file's
// bytes from off on, and records where each went.
func (snap *patchSnapshot) putBlobs(w io.Writer, off int64) error {
	var buf []byte
	for i := range snap.Nodes {
		n := &snap.Nodes[i]
		b := n.blob(buf)
		if b == nil {
			continue
		}
		if n.Blob == nil {
			buf = b // a capture's, encoded in the buffer
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		n.Off, n.Len, n.Crc, n.Blob, n.capture = off, int64(len(b)), crc32.Checksum(b, crcTable), nil, nil
		off += n.Len
	}
	for _, i := range slices.Sorted(maps.Keys(snap.disabledBlobs)) {
		b := snap.disabledBlobs[i]
		if i < 0 || i >= len(snap.DisabledModels) {
			continue
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		snap.DisabledModels[i].Capture = blobRef{Off: off, Len: int64(len(b)), Crc: crc32.Checksum(b, crcTable)}
		off += int64(len(b))
	}
	snap.disabledBlobs = nil
	for _, path := range sortedKeys(snap.propTexts) {
		b := snap.propTexts[path]
		if _, err := w.Write(b); err != nil {
			return err
		}
		if snap.Props == nil {
			snap.Props = map[string]blobRef{}
		}
		snap.Props[path] = blobRef{Off: off, Len: int64(len(b)), Crc: crc32.Checksum(b, crcTable)}
		off += int64(len(b))
	}
	snap.propTexts = nil
	if snap.indexBlob != nil {
		var n int64
		var crc uint32
		for _, b := range snap.indexBlob {
			if _, err := w.Write(b); err != nil {
				return err
			}
			n, crc = n+int64(len(b)), crc32.Update(crc, crcTable, b)
		}
		snap.Index, snap.indexBlob = blobRef{Off: off, Len: n, Crc: crc}, nil
	}
	return nil
}

// writeBlobsAhead writes a new blobs file for snap (which has none yet)
// beside file, under a name of its own (createTemp): commitBlobs puts it
// in place once the snapshot is kept. The snapshot in place, head and
// blobs, is left as it is until then: a command that fails meanwhile
// keeps it, and a killed one leaves a temporary file that a later write
// of the blobs removes (removeStaleTemps).
func writeBlobsAhead(file string, snap *patchSnapshot) (tmp string, err error) {
	name := blobsFile(file)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil { // target/, being written
		return "", err
	}
	removeStaleTemps(name)
	f, tmp, err := createTemp(name, 0o600)
	if err != nil {
		return "", err
	}
	id := make([]byte, 16)
	if _, err = rand.Read(id); err == nil {
		snap.BlobsID = hex.EncodeToString(id)
		w := bufio.NewWriterSize(f, 1<<20)
		var n int
		if n, err = io.WriteString(w, snap.BlobsID+"\n"); err == nil {
			if err = snap.putBlobs(w, int64(n)); err == nil {
				err = w.Flush()
			}
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// commitBlobs puts the blobs file writeBlobsAhead wrote (tmp) in place,
// after removing the snapshot's head there (file): the head in place names
// the blobs file this one replaces.
func commitBlobs(file, tmp string) error {
	err := os.Remove(file)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		err = os.Rename(tmp, blobsFile(file))
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// openBlobs opens the blobs file, refusing one that is not the
// snapshot's.
func openBlobs(file string, snap *patchSnapshot) (*os.File, error) {
	f, err := os.Open(blobsFile(file))
	if err != nil {
		return nil, err
	}
	id := make([]byte, len(snap.BlobsID)+1)
	if _, err := f.ReadAt(id, 0); err != nil || string(id) != snap.BlobsID+"\n" || snap.BlobsID == "" {
		f.Close()
		return nil, fmt.Errorf("the blobs file is not the snapshot's")
	}
	return f, nil
}

// readBlobAt reads a node's blob from the blobs file (openBlobs; safe
// from several goroutines).
func readBlobAt(f *os.File, n patchNode) ([]byte, error) {
	if b := n.blob(nil); b != nil {
		return b, nil
	}
	if n.Off < 0 || n.Len < 0 || n.Len > 64<<20 {
		return nil, fmt.Errorf("a blob's place is damaged")
	}
	b := make([]byte, n.Len)
	if _, err := f.ReadAt(b, n.Off); err != nil {
		return nil, err
	}
	if crc32.Checksum(b, crcTable) != n.Crc {
		return nil, fmt.Errorf("a blob is damaged")
	}
	return b, nil
}

// readBlobRef reads a blob other than a node's from the blobs file
// (openBlobs).
func readBlobRef(f *os.File, ref blobRef) ([]byte, error) {
	return readBlobAt(f, patchNode{Off: ref.Off, Len: ref.Len, Crc: ref.Crc})
}

func writePatchSnapshot(file string, snap *patchSnapshot) error {
	if err := writeBlobs(file, snap); err != nil {
		return err
	}
	return writePatchHead(file, snap)
}

// writePatchHead writes the snapshot's head and table (its blobs are in
// the blobs file).
func writePatchHead(file string, snap *patchSnapshot) error {
	var head bytes.Buffer
	if err := gob.NewEncoder(&head).Encode(&snap.patchHead); err != nil {
		return err
	}
	// written through a small buffer, record by record: a 2 MB buffer
	// costs more in fresh pages than the writes
	return replaceFileStat(file, 128<<10, true, func(w io.Writer) error {
		t := make([]byte, 0, 4096)
		flush := func() {
			w.Write(t)
			t = t[:0]
		}
		t = append(t, patchMagic...)
		t = binary.AppendUvarint(t, uint64(head.Len()))
		flush()
		w.Write(head.Bytes())
		t = binary.AppendUvarint(t, uint64(len(snap.Files)))
		for _, f := range snap.Files {
			t = appendStat(t, f)
			t = appendStr(t, f.Sum)
			t = appendStr(t, f.Kind)
			t = binary.AppendUvarint(t, uint64(f.Proj))
			t = appendStr(t, f.Root)
			flush()
		}
		t = binary.AppendUvarint(t, uint64(len(snap.Dirs)))
		for _, d := range snap.Dirs {
			t = appendStat(t, d)
			var flags byte
			if d.Dir {
				flags |= 1
			}
			if d.Missing {
				flags |= 2
			}
			t = append(t, flags)
			flush()
		}
		t = binary.AppendUvarint(t, uint64(len(snap.Compiled)))
		for _, c := range snap.Compiled {
			t = appendStat(t, c)
			t = appendStr(t, c.Sum)
			flush()
		}
		t = binary.AppendUvarint(t, uint64(len(snap.Nodes)))
		for _, n := range snap.Nodes {
			t = appendStr(t, n.ID)
			t = appendStr(t, n.Path)
			t = binary.AppendVarint(t, n.From)
			t = binary.AppendVarint(t, n.To)
			t = binary.AppendVarint(t, n.Off)
			t = binary.AppendVarint(t, n.Len)
			t = binary.AppendUvarint(t, uint64(n.Crc))
			flush()
		}
		t = binary.AppendUvarint(t, uint64(len(snap.Entries)))
		for _, e := range snap.Entries {
			t = binary.AppendVarint(t, e[0])
			t = binary.AppendVarint(t, e[1])
			if len(t) > 4000 {
				flush()
			}
		}
		flush()
		return nil
	}, &snap.self)
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStat(b []byte, s fileStat) []byte {
	b = appendStr(b, s.Path)
	b = binary.AppendVarint(b, s.Size)
	b = binary.AppendVarint(b, s.MTime)
	b = binary.AppendUvarint(b, s.Ino)
	return binary.AppendVarint(b, s.At)
}

// snapReader reads the table; the first error sticks.
type snapReader struct {
	b   []byte
	err error
}

var errSnapShort = errors.New("truncated")

func (r *snapReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errSnapShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *snapReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errSnapShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *snapReader) bytes(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = errSnapShort
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

// str returns a string of the mapped file's bytes, not a copy (see
// readPatchSnapshot).
func (r *snapReader) str() string {
	b := r.bytes(r.uvarint())
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (r *snapReader) stat() fileStat {
	return fileStat{Path: r.str(), Size: r.varint(), MTime: r.varint(), Ino: r.uvarint(), At: r.varint()}
}

// count reads a list's length, refusing one the data cannot hold.
func (r *snapReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errSnapShort
		return 0
	}
	return int(n)
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// readPatchSnapshot reads a snapshot. Its strings are the file's bytes,
// mapped (mapFile) and never unmapped: a snapshot is replaced by renaming
// a new file over it, never rewritten in place, so they never change.
func readPatchSnapshot(file string) (*patchSnapshot, error) {
	data, self, err := mapFile(file)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(patchMagic)) {
		return nil, fmt.Errorf("not a patch snapshot of this format")
	}
	if data, err = checkSummed(data); err != nil {
		return nil, err
	}
	r := &snapReader{b: data[len(patchMagic):]}
	head := r.bytes(r.uvarint())
	if r.err != nil {
		return nil, r.err
	}
	snap := &patchSnapshot{self: self}
	if err := gob.NewDecoder(bytes.NewReader(head)).Decode(&snap.patchHead); err != nil {
		return nil, err
	}
	snap.Files = make([]fileStat, r.count())
	for i := range snap.Files {
		f := r.stat()
		f.Sum, f.Kind, f.Proj, f.Root = r.str(), r.str(), int(r.uvarint()), r.str()
		snap.Files[i] = f
	}
	snap.Dirs = make([]fileStat, r.count())
	for i := range snap.Dirs {
		d := r.stat()
		flags := r.bytes(1)
		if len(flags) == 1 {
			d.Dir, d.Missing = flags[0]&1 != 0, flags[0]&2 != 0
		}
		snap.Dirs[i] = d
	}
	snap.Compiled = make([]fileStat, r.count())
	for i := range snap.Compiled {
		snap.Compiled[i] = r.stat()
		snap.Compiled[i].Sum = r.str()
	}
	snap.Nodes = make([]patchNode, r.count())
	for i := range snap.Nodes {
		snap.Nodes[i] = patchNode{ID: r.str(), Path: r.str(), From: r.varint(), To: r.varint(), Off: r.varint(), Len: r.varint(), Crc: uint32(r.uvarint())}
	}
	if ne := r.count(); ne > 0 {
		snap.Entries = make([][2]int64, ne)
		for i := range snap.Entries {
			snap.Entries[i] = [2]int64{r.varint(), r.varint()}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("trailing bytes")
	}
	return snap, nil
}

// inPlace says whether the snapshot file in place is the one snap was read
// from or last written to (another mart may have replaced or removed it).
func (snap *patchSnapshot) inPlace(file string) bool {
	st, err := statOf(file)
	return err == nil && snap.self.Size > 0 && st.same(snap.self)
}

// writeIfInPlace writes snap's head over the snapshot file when that is
// still the one snap was read from, under the snapshot's lock: a command
// that read it must not put back a snapshot that a patch removed before
// it wrote target/ (and was killed), nor replace a newer one.
func writeIfInPlace(file string, snap *patchSnapshot, write func() error) {
	unlock, ok := lockSnapshot(file)
	if !ok {
		return
	}
	defer unlock()
	if snap.inPlace(file) && write() != nil {
		os.Remove(file)
	}
}
