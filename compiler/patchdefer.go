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

// deferredSplice is a node's entry in the project's manifest.json (from,
// to) and the run's text of it.
type deferredSplice struct {
	from, to int64
	with     []byte
}

// deferredSplices encodes nodes, each at its entry (at: false when a
// node's entry is not known), in the file's order.
func deferredSplices(nodes map[string]*Node, at func(id string) ([2]int64, bool)) ([]deferredSplice, error) {
	out := make([]deferredSplice, 0, len(nodes))
	for id, n := range nodes {
		pos, ok := at(id)
		if !ok {
			return nil, errors.New(id + "'s entry in manifest.json is not known")
		}
		b, err := appendNode(nil, n)
		if err != nil {
			return nil, err
		}
		out = append(out, deferredSplice{pos[0], pos[1], b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].from < out[j].from })
	return out, nil
}

// writeDeferred makes target/manifest.json the project's with the entries
// of nodes (ids of the index) in place of theirs, keeping the project's
// beside it. Nothing is written when target/ is no longer as the snapshot
// loaded says (another mart changed it meanwhile).
func (l *patchLoad) writeDeferred(nodes map[string]*Node) error {
	if l.ix == nil || len(l.snap.Entries) != len(l.ix.nodes) {
		return errors.New("the snapshot has no entry positions")
	}
	splices, err := deferredSplices(nodes, func(id string) ([2]int64, bool) {
		i, ok := l.ix.pos[id]
		if !ok {
			return [2]int64{}, false
		}
		return l.snap.Entries[i], true
	})
	if err != nil {
		return err
	}
	if unlock, ok := lockSnapshot(l.file); ok {
		defer unlock()
	}
	if !l.snap.inPlace(l.file) {
		return nil
	}
	return swapDeferred(filepath.Dir(l.file), l.snap.Manifest, splices)
}

// stashDeferred is writeDeferred for a run that compiled the whole
// project and keeps a snapshot of it: it wrote the project's manifest.json
// (stat, with its entries at offsets), and splices nodes into it before
// the snapshot is written.
func (r *Result) stashDeferred(stat fileStat, offsets map[string][2]int64) error {
	splices, err := deferredSplices(r.deferred, func(id string) ([2]int64, bool) {
		at, ok := offsets[id]
		return at, ok
	})
	if err != nil {
		return err
	}
	if unlock, ok := lockSnapshot(filepath.Join(r.TargetDir(), PatchFile)); ok {
		defer unlock()
	}
	return swapDeferred(r.TargetDir(), stat, splices)
}

// swapDeferred writes the run's manifest.json, target/ tdir's (of stat,
// the project's) with splices, and keeps the project's beside it, under
// the snapshot's lock. Nothing is written when manifest.json is no longer
// of stat.
func swapDeferred(tdir string, stat fileStat, splices []deferredSplice) error {
	file := filepath.Join(tdir, "manifest.json")
	data, st, err := mapFile(file)
	if err != nil {
		return err
	}
	defer unmapFile(data)
	if !st.same(stat) || int64(len(data)) != st.Size {
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
