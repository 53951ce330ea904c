package compiler

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/mart-dev/mart/internal/phase"
)

// A --defer run loaded from the patch snapshot. Its manifest.json is not
// the project's: the deferred parents carry defer_relation, and the
// selected nodes that read them their rewritten SQL (Defer), as a whole
// compile's deferred run writes it. The snapshot describes the project's
// manifest.json, which every patch splices and every load reads entries
// from. So the run keeps that file beside the one it writes, as
// partial_parse.manifest, and records both files' stats in
// partial_parse.deferred; the next patch (CompileByPatch) first puts the
// project's file back (restoreDeferred: a rename, under the stats the
// snapshot recorded), and goes on as after any run.
//
// The run writes, under the snapshot's lock and while the snapshot is the
// one it loaded: its manifest.json to a file of its own, the record, then
// renames manifest.json to partial_parse.manifest and its file to
// manifest.json. Killed anywhere in between, the restore finds either the
// project's file still in place (and drops the rest), or it beside a
// manifest.json that is the run's or missing (and renames it back);
// anything else (another command wrote manifest.json since) drops the
// record and the kept file, and the snapshot's own check of manifest.json
// decides.

const (
	deferredManifest = "partial_parse.manifest" // the project's manifest.json, while a --defer run's is in place
	deferredRecord   = "partial_parse.deferred" // the stats of both
	deferredWriting  = "partial_parse.deferring"
)

// deferredStats is partial_parse.deferred.
type deferredStats struct {
	Deferred fileStat // the run's manifest.json
	Project  fileStat // the project's, kept as partial_parse.manifest
}

// writeDeferred makes target/manifest.json the project's with the entries
// of nodes (ids of the index) in place of theirs, keeping the project's
// beside it. Nothing is written when target/ is no longer as the snapshot
// loaded says (another mart changed it meanwhile).
func (l *patchLoad) writeDeferred(nodes map[string]*Node) error {
	if l.ix == nil || len(l.snap.Entries) != len(l.ix.nodes) {
		return errors.New("the snapshot has no entry positions")
	}
	type splice struct {
		from, to int64
		with     []byte
	}
	splices := make([]splice, 0, len(nodes))
	for id, n := range nodes {
		i, ok := l.ix.pos[id]
		if !ok {
			return errors.New(id + " is not in the snapshot's index")
		}
		b, err := appendNode(nil, n)
		if err != nil {
			return err
		}
		at := l.snap.Entries[i]
		splices = append(splices, splice{at[0], at[1], b})
	}
	sort.Slice(splices, func(i, j int) bool { return splices[i].from < splices[j].from })
	if unlock, ok := lockSnapshot(l.file); ok {
		defer unlock()
	}
	if !l.snap.inPlace(l.file) {
		return nil
	}
	tdir := filepath.Dir(l.file)
	file := filepath.Join(tdir, "manifest.json")
	data, st, err := mapFile(file)
	if err != nil {
		return err
	}
	defer unmapFile(data)
	if !st.same(l.snap.Manifest) || int64(len(data)) != st.Size {
		return nil
	}
	size := int64(len(data))
	for _, sp := range splices {
		size += int64(len(sp.with)) - (sp.to - sp.from)
	}
	out := make([]byte, 0, size)
	at := int64(0)
	for _, sp := range splices {
		if sp.from < at || sp.to > int64(len(data)) {
			return errors.New("overlapping manifest entries")
		}
		out = append(append(out, data[at:sp.from]...), sp.with...)
		at = sp.to
	}
	out = append(out, data[at:]...)
	writing := filepath.Join(tdir, deferredWriting)
	if err := os.WriteFile(writing, out, 0o644); err != nil {
		os.Remove(writing)
		return err
	}
	dst, err := statOf(writing)
	if err != nil {
		return err
	}
	rec, err := json.Marshal(deferredStats{Deferred: dst, Project: st})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tdir, deferredRecord), rec, 0o600); err != nil {
		return err
	}
	if err := os.Rename(file, filepath.Join(tdir, deferredManifest)); err != nil {
		return err
	}
	if err := os.Rename(writing, file); err != nil {
		return err
	}
	phase.Mark("manifest.json (deferred)")
	return nil
}

// restoreDeferred puts the project's manifest.json back in target/ tdir
// after a --defer run loaded from the patch snapshot (snapFile) replaced
// it, and removes what that run kept. One stat when there was none.
func restoreDeferred(tdir, snapFile string) {
	record := filepath.Join(tdir, deferredRecord)
	if _, err := os.Lstat(record); errors.Is(err, fs.ErrNotExist) {
		return
	}
	if unlock, ok := lockSnapshot(snapFile); ok {
		defer unlock()
	}
	b, err := os.ReadFile(record)
	if err != nil {
		return // another command restored it meanwhile
	}
	kept, file := filepath.Join(tdir, deferredManifest), filepath.Join(tdir, "manifest.json")
	var rec deferredStats
	if json.Unmarshal(b, &rec) == nil {
		kst, kerr := statOf(kept)
		mst, merr := statOf(file)
		if kerr == nil && kst.same(rec.Project) && (errors.Is(merr, fs.ErrNotExist) || merr == nil && mst.same(rec.Deferred)) {
			if os.Rename(kept, file) == nil {
				phase.Mark("manifest.json put back after --defer")
			}
		}
	}
	os.Remove(kept)
	os.Remove(filepath.Join(tdir, deferredWriting))
	os.Remove(record)
}
