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
// partial_parse.deferred (keptManifest checks them). The next command
// that loads from the snapshot reads the project's entries there, and its
// patch writes the project's manifest.json there too (patchedKept). The
// run's stays target/manifest.json until the command writes target/: a
// run or `compile --select` then puts the project's back (putBack, in
// StartWriteTarget; show, run-operation and source freshness, whose whole
// compiles write target/ first, when loaded; `mart compile`, whose write
// is the patch, at once), and a deferred run writes its own from it
// (swapDeferred). A command that fails before its write leaves the run's
// manifest.json, as its whole compile would (found by review); `mart ls`
// writes nothing.
//
// The run writes, under the snapshot's lock and while the snapshot is the
// one it loaded: its manifest.json to a file of its own, the record, then
// renames manifest.json to partial_parse.manifest (unless the project's
// is there already) and its file to manifest.json. Killed anywhere in
// between, the next command finds the record's stats wrong and puts back
// what it can (restoreDeferred): the project's file is still in place
// (the rest is dropped), or beside a manifest.json that is missing or the
// run's (it is renamed back); anything else (another command wrote
// manifest.json since) drops the record and the kept file, and the
// snapshot's own check of manifest.json decides. Entries the run writes
// again keep the project's text but for the members Defer changes
// (mergeEntry).

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

// deferredMembers are the members of a node's manifest.json entry that
// Defer changes (a parent's defer_relation, a selected node's SQL).
var deferredMembers = map[string]bool{"defer_relation": true, "compiled_code": true}

// mergeEntry is a node's entry as the project's manifest.json has it
// (was), with the members Defer changes as the node's entry encoded
// again (now) has them: the rest keeps its text, which a node decoded
// from it may not encode the same way (an integer past 2^53 in meta is a
// float64 once decoded; found by review).
func mergeEntry(was, now []byte) ([]byte, error) {
	old := map[string][]byte{}
	var oldKeys []string
	if !eachMember(was, func(key string, v []byte) bool {
		old[key] = v
		oldKeys = append(oldKeys, key)
		return true
	}) {
		return nil, errors.New("an entry of manifest.json is not an object")
	}
	out := []byte{'{'}
	seen := 0
	ok := eachMember(now, func(key string, v []byte) bool {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = appendString(out, key)
		out = append(out, ':')
		w, had := old[key]
		switch {
		case deferredMembers[key]:
			out = append(out, v...)
		case had:
			out = append(out, w...)
		default:
			return false
		}
		if had {
			seen++
		}
		return true
	})
	if !ok || seen != len(oldKeys) {
		return nil, errors.New("a deferred node's entry does not match the project's")
	}
	return append(out, '}'), nil
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
// beside it. Nothing is written when another mart has replaced the
// snapshot meanwhile (target/ is that one's).
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
		if _, err := os.Lstat(l.file); !errors.Is(err, fs.ErrNotExist) {
			return nil // another command's snapshot: target/ is its
		}
		// none (this run's write of it failed): nothing relies on the
		// project's manifest.json now, and the run's goes in place
	}
	return swapDeferred(filepath.Dir(l.file), l.manifest, l.snap.Manifest, splices)
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
	return swapDeferred(r.TargetDir(), filepath.Join(r.TargetDir(), "manifest.json"), stat, splices)
}

// swapDeferred makes the run's manifest.json, the project's (src, of
// stat: target/ tdir's manifest.json, or where an earlier --defer run
// kept it) with splices, target/'s, and keeps the project's beside it,
// under the snapshot's lock. Nothing is written when src is no longer of
// stat.
func swapDeferred(tdir, src string, stat fileStat, splices []deferredSplice) error {
	file := filepath.Join(tdir, "manifest.json")
	data, st, err := mapFile(src)
	if err != nil {
		return err
	}
	defer unmapFile(data)
	if !st.same(stat) || int64(len(data)) != st.Size {
		return nil
	}
	out := make([]byte, 0, len(data)+len(data)/64)
	at := int64(0)
	for _, sp := range splices {
		if sp.from < at || sp.to > int64(len(data)) {
			return errors.New("overlapping manifest entries")
		}
		entry, err := mergeEntry(data[sp.from:sp.to], sp.with)
		if err != nil {
			return err
		}
		out = append(append(out, data[at:sp.from]...), entry...)
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
	if src == file {
		if err := os.Rename(file, filepath.Join(tdir, deferredManifest)); err != nil {
			return err
		}
	}
	if err := os.Rename(writing, file); err != nil {
		return err
	}
	phase.Mark("manifest.json (deferred)")
	return nil
}

// keptManifest is the project's manifest.json in target/ tdir for a
// command that writes nothing: "" when manifest.json is it, the file a
// --defer run kept it as while that run's is in place, or false when
// neither can be told (a run killed while it swapped them).
func keptManifest(tdir string) (string, bool) {
	b, err := os.ReadFile(filepath.Join(tdir, deferredRecord))
	if errors.Is(err, fs.ErrNotExist) {
		return "", true
	}
	var rec deferredStats
	if err != nil || json.Unmarshal(b, &rec) != nil {
		return "", false
	}
	kept := filepath.Join(tdir, deferredManifest)
	kst, kerr := statOf(kept)
	mst, merr := statOf(filepath.Join(tdir, "manifest.json"))
	if kerr != nil || merr != nil || !kst.same(rec.Project) || !mst.same(rec.Deferred) {
		return "", false
	}
	return kept, true
}

// dropDeferred removes what a --defer run kept in target/ tdir, once
// manifest.json is the project's again.
func dropDeferred(tdir string) {
	os.Remove(filepath.Join(tdir, deferredManifest))
	os.Remove(filepath.Join(tdir, deferredManifest+spareSuffix)) // a patch of it (spare.go)
	os.Remove(filepath.Join(tdir, deferredRecord))
	os.Remove(filepath.Join(tdir, deferredWriting))
}

// projectManifest is the project's manifest.json in target/ tdir: where a
// --defer run kept it, while that run's is in place, or manifest.json.
func projectManifest(tdir string) string {
	if kept, ok := keptManifest(tdir); ok && kept != "" {
		return kept
	}
	return filepath.Join(tdir, "manifest.json")
}

// patchedKept records that a patch wrote the project's manifest.json where
// a --defer run kept it (stat: the new file), leaving that run's in place
// until the command writes target/ (putBack, swapDeferred): one that
// fails first leaves it, as its whole compile would (found by review).
// The caller holds the snapshot's lock.
func patchedKept(tdir string, stat fileStat) error {
	record := filepath.Join(tdir, deferredRecord)
	b, err := os.ReadFile(record)
	if err != nil {
		return err
	}
	var rec deferredStats
	if err := json.Unmarshal(b, &rec); err != nil {
		return err
	}
	rec.Project = stat
	if b, err = json.Marshal(rec); err != nil {
		return err
	}
	return os.WriteFile(record, b, 0o600)
}

// putBack makes the project's manifest.json, which l read where a --defer
// run kept it, target/'s again, for a command that writes target/ without
// --defer (its whole compile writes the project's), under the snapshot's
// lock.
func (l *patchLoad) putBack() {
	if l.manifest == filepath.Join(filepath.Dir(l.file), "manifest.json") {
		return
	}
	if unlock, ok := lockSnapshot(l.file); ok {
		defer unlock()
	}
	l.putBackLocked()
}

// putBackLocked is putBack for a caller that holds the snapshot's lock.
func (l *patchLoad) putBackLocked() {
	tdir := filepath.Dir(l.file)
	file := filepath.Join(tdir, "manifest.json")
	if l.manifest == file {
		return
	}
	if kept, ok := keptManifest(tdir); ok && kept == l.manifest {
		if os.Rename(kept, file) == nil {
			dropDeferred(tdir)
			l.manifest = file
			phase.Mark("manifest.json put back after --defer")
		}
	}
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
	dropDeferred(tdir)
}
