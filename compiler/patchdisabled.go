package compiler

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/internal/suggest"
)

// Patching the disabled models a patch may render again. A model its own
// config() disables ({{ config(enabled=target.name == 'prod') }}, common
// in dbt projects) is rendered by every compile, to learn that it is
// disabled, and manifest.json's disabled object holds its path alone. An
// edit of its file, of a macro it calls or of a var it reads may enable
// it (which would take it out of the disabled object and make it a node),
// may make it say something, or may make it call other macros: before
// session 34, such an edit compiled the whole project. Now the patch renders it again, as the whole compile
// renders it: its node made from its file as fileNode makes it, with its
// config and relation before rendering as the snapshot's compile captured
// them (its render key checks the two match), ref() and source() finding
// what its render found then (its stubs). When its render's facts are as
// they were (renderFacts: the same config, refs, sources, macros called
// and warnings; the config() calls may have moved) it is still disabled
// and what the whole compile makes of it is as it was: its path in the
// disabled object. A render that enables it makes it again where its file
// is, as a model added (CompileByPatch: a second attempt, its file taken as
// removed and added; its YAML entry, if any, comes back with it and its
// tests); and a model whose render disables it, or its folder's config or
// YAML entry, goes into the disabled object the same way, its tests gone.
// Anything else compiles the whole project: it calls other macros, reads a
// volatile value, says something.
//
// Eligible (disabledModels): a model of the root project, one node in its
// .sql file, unversioned, no unit test of it, its render cached or
// volatile (rendered again by every patch: EveryTime), not one that
// queries the warehouse while it renders. Others block the edits of what
// they read as before (macroFiles, varUses).

// disabledModel is a disabled model a patch may render again: its capture
// (patchCapture, as JSON) is in the blobs file.
type disabledModel struct {
	ID, Path string
	// EveryTime: its render is volatile: every patch renders it again, as
	// every compile does
	EveryTime bool
	Capture   blobRef
	// YAML: the properties file whose entry describes it, "" when none
	// (removing its file leaves the entry naming no model: a warning a
	// patch does not make; made again, its entry comes back with it)
	YAML string
	// Reads: what its render's ref() and source() calls name now, sorted
	// (its part of DisabledReads: readByDisabled)
	Reads []string
}

// name is the model's name, its id's last part.
func (d disabledModel) name() string { return idName(d.ID) }

// idName is a model's name, its unique id's last part.
func idName(id string) string { return id[strings.LastIndexByte(id, '.')+1:] }

// disabledModels picks the disabled models a patch may render again, by id,
// with their captures encoded for the blobs file (by place in the list).
func (c *compilation) disabledModels(byPath map[string]int, everyTime, unitTested map[string]bool) ([]disabledModel, map[int][]byte) {
	type picked struct {
		d    disabledModel
		blob []byte
	}
	var all []picked
	for _, n := range c.nodes {
		if n.ResourceType != TypeModel || n.Enabled() || n.Package != c.project.Name || n.Version != "" ||
			byPath[n.Path] != 1 || !strings.HasSuffix(n.Path, ".sql") || unitTested[n.Name] || n.RunTimeRender || c.sharesName(n) {
			continue
		}
		pc, st := c.captured[n.UniqueID], c.states[n.UniqueID]
		if pc == nil || pc.Facts == "" || st == nil || st.needsWarehouse || len(st.warnings) > 0 {
			continue
		}
		if _, cached := c.pp.entries[n.UniqueID]; !cached && !everyTime[n.UniqueID] {
			continue
		}
		all = append(all, picked{disabledModel{ID: n.UniqueID, Path: n.Path, EveryTime: everyTime[n.UniqueID], YAML: n.yamlFile,
			Reads: readKeys(st.targets)}, pc.appendJSON(nil)})
	}
	slices.SortFunc(all, func(a, b picked) int { return strings.Compare(a.d.ID, b.d.ID) })
	out, blobs := make([]disabledModel, len(all)), make(map[int][]byte, len(all))
	for i, p := range all {
		out[i], blobs[i] = p.d, p.blob
	}
	return out, blobs
}

// disabledJob is one disabled model a patch renders again.
type disabledJob struct {
	di        int
	pc        patchCapture
	n         Node
	newKey    string
	varNames  []string
	envNames  []string
	flags     bool // it may read --full-refresh (readsFullRefresh)
	rewrite   bool // its capture changed (its text, or where config() is called)
	why       string
	everyTime bool
	// graph: its render's refs, sources or macro calls changed (its config
	// did not); macros are those it calls now
	graph  bool
	macros []string
	// enabled: its render enabled it (CompileByPatch)
	enabled bool
}

// prepareDisabled makes a disabled model's node as it was before its
// render, with data as its text when it changed (nil: unchanged, read from
// its file, which must be as the snapshot knows it).
func (l *patchLoad) prepareDisabled(j *disabledJob, proj *Project, blobs *os.File, fileIndex map[string]int, data []byte) string {
	snap, c := l.snap, l.c
	dm := snap.DisabledModels[j.di]
	fi, ok := fileIndex[dm.Path]
	if !ok || snap.Files[fi].Kind != "models" || snap.Files[fi].Proj != 0 {
		return dm.Path + " is not in the snapshot"
	}
	f := snap.Files[fi]
	if data == nil {
		var err error
		if data, err = readFile(osPath(proj.Dir, dm.Path)); err != nil || rawSum(data) != f.Sum {
			return dm.Path + " is unreadable or changed under its stat"
		}
	}
	blob, err := readBlobRef(blobs, dm.Capture)
	if err == nil {
		err = json.Unmarshal(blob, &j.pc)
	}
	if err != nil {
		return unreadableSnapshot + relTo(proj.Dir, blobsFile(l.file)) + "\x00" + err.Error()
	}
	node, d := c.fileNode(&projectFile{kind: "models", proj: proj, root: f.Root, rel: dm.Path, data: data})
	if node == nil || d != nil || node.UniqueID != dm.ID {
		return dm.ID + " is not made from its file as it was"
	}
	conf, err := fromTypedJSON(j.pc.Config)
	cm, _ := conf.(map[string]any)
	if err != nil || cm == nil {
		return "snapshot config unreadable"
	}
	node.Config = Config(cm)
	node.Database, node.Schema, node.Alias, node.Relation = j.pc.Database, j.pc.Schema, j.pc.Alias, j.pc.Relation
	// its render key with the text the snapshot knows is the capture's: it
	// is the node the whole compile rendered
	text, sum := node.RawCode, node.Checksum
	node.Checksum = Checksum{Name: "sha256", Checksum: hex.EncodeToString([]byte(f.Sum))}
	if key, ok := nodeRenderKey(node); !ok || key != j.pc.Key {
		return dm.ID + "'s render inputs do not match the snapshot"
	}
	node.RawCode, node.Checksum = text, sum
	if volatileText(node.RawCode) && !j.everyTime {
		return dm.ID + " now reads a volatile value"
	}
	j.newKey, _ = nodeRenderKey(node)
	j.rewrite = j.newKey != j.pc.Key
	j.n = *node
	return ""
}

// renderDisabled renders a disabled model again and says why the patch
// cannot keep it ("" when it is still disabled, its render's facts as they
// were). Its ref() and source() find its stubs; a render whose refs,
// sources or macro calls alone changed is marked graph, and rendered again
// with dec, which finds every node of the snapshot as the whole compile's
// renders found them (patchadd.go): its facts, stubs and macros are then
// the new render's.
func (l *patchLoad) renderDisabled(j *disabledJob, dec *entryDecoder, fileOf map[string]string) string {
	c := l.c
	n, id := j.n, j.n.UniqueID // (a copy: a second render starts from it)
	if dec != nil {
		dec.early = true
	}
	st, err := c.renderNode(&n, RenderOptions{})
	if dec != nil {
		dec.early = false
		if dec.why != "" {
			return "disabled " + id + " renders again and " + dec.why
		}
	}
	if err != nil || st == nil || st.needsWarehouse || len(st.warnings) > 0 {
		return "disabled " + id + " does not render cleanly now"
	}
	if Config(st.config).Bool("enabled", true) && dec == nil {
		// made again where its file is, in the next attempt (CompileByPatch)
		j.enabled = true
		return "disabled " + id + " is enabled now"
	}
	facts, ok := renderFacts(st)
	switch {
	case !ok:
		return "disabled " + id + "'s render cannot be kept"
	case facts == j.pc.Facts:
	case movedConfigCalls(facts, j.pc.Facts):
		j.pc.Facts, j.rewrite = facts, true
	// its config as it was (where config() is called may have moved: the
	// compile said nothing of it), its graph not
	case sameConfigValues(facts, j.pc.Facts) && dec == nil:
		j.graph = true // rendered again finding every node
		return ""
	case sameConfigValues(facts, j.pc.Facts):
		j.pc.Facts = facts
	default:
		return "disabled " + id + "'s render changed its config"
	}
	// rendered again finding every node: what it found and called is kept
	// (whatever the facts: the render with its stubs may have differed
	// from this one only through them; found by review)
	if dec != nil {
		if w := l.patchMacros(st.macros, fileOf); w != "" {
			return "disabled " + id + " " + w
		}
		if w := l.refsUnsure(st, nil); w != "" { // (what this save adds or removes: stubsTouched)
			return "disabled " + id + " " + w
		}
		j.pc.Stubs = stubsFound(c, dec, st)
		j.macros, j.rewrite = st.macros, true
	}
	if Config(st.config).Bool("enabled", true) {
		return "disabled " + id + " is enabled now"
	}
	for _, name := range st.macros {
		if c.macroFacts[name].volatile && !j.everyTime {
			return "disabled " + id + " calls volatile macro " + name
		}
	}
	if j.everyTime && !c.everyTimeOK(&n, st) {
		return "disabled " + id + " is volatile and may read graph"
	}
	if f := c.fingerprint(&n, st.macros); f != nil {
		for _, e := range f.EnvVarNames {
			if IsSecretKey(e) {
				return "disabled " + id + " reads a secret env var"
			}
		}
		j.varNames, j.envNames = f.VarNames, f.EnvVarNames
	}
	j.flags = c.readsFullRefresh(n.RawCode, st.macros)
	return ""
}

// renderDisabledGraphs renders again, one by one, the disabled models whose
// refs, sources or macro calls changed, finding every node of the
// snapshot (renderDisabled); touched says their new stubs may not be what
// this edit leaves (stubsTouched).
func (l *patchLoad) renderDisabledGraphs(jobs []*disabledJob, touched func([]patchStub) bool) string {
	var graphs []*disabledJob
	for _, j := range jobs {
		if j.graph {
			graphs = append(graphs, j)
		}
	}
	if len(graphs) == 0 {
		return ""
	}
	why := "disabled " + graphs[0].n.UniqueID + "'s refs, sources or macro calls changed and "
	if len(l.snap.Warehouse)+len(l.snap.WarehouseTests) > 0 {
		return why + "nodes query the warehouse while they render"
	}
	if w := l.unversionedIndex(); w != "" {
		return why + w
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return why + err.Error()
	}
	defer dec.close()
	c := l.c
	c.scope.lazy = dec
	defer func() { c.scope.lazy = nil }()
	fileOf, _ := c.macroPlaces()
	for _, j := range graphs {
		if w := l.renderDisabled(j, dec, fileOf); w != "" {
			return w
		}
		if touched(j.pc.Stubs) {
			return "disabled " + j.n.UniqueID + " renders again and reads a node this edit adds, removes or makes again"
		}
	}
	return ""
}

// keepDisabled records what the disabled models rendered again read, and
// their captures that changed, for the patches to come: the macros those
// whose calls changed call (fileOf: where each is, macroPlaces).
func (snap *patchSnapshot) keepDisabled(jobs []*disabledJob, fileOf map[string]string) {
	for _, j := range jobs {
		var reads []string
		if j.graph { // what it calls, and what its ref() and source() calls name, now
			snap.dropDisabledUses(j.di, false)
			for _, st := range j.pc.Stubs {
				if k, ok := targetReadKey(st.Key); ok {
					reads = append(reads, k)
				}
			}
			snap.DisabledModels[j.di].Reads = readKeys(reads)
		}
		snap.addDisabledUses(j.di, j.macros, useKeys(j.varNames, j.envNames, j.flags), reads, fileOf)
		if j.rewrite {
			j.pc.Key = j.newKey
			snap.keepDisabledCapture(j.di, j.pc.appendJSON(nil))
		}
	}
}

// disabledAt is the place of each disabled model of the snapshot's a patch
// may render again, by its file's path.
func (snap *patchSnapshot) disabledAt() map[string]int {
	out := make(map[string]int, len(snap.DisabledModels))
	for i, d := range snap.DisabledModels {
		if d.ID != "" { // (a removed one's place stays, empty: keepDisabledFiles)
			out[d.Path] = i
		}
	}
	return out
}

// saidOfDisabled says whether the compile said something in a disabled
// model's file, in a macro file (config() called in a macro warns there),
// or of its name (saidOf).
func (snap *patchSnapshot) saidOfDisabled(d disabledModel) bool {
	return snap.saidOf(&Node{Path: d.Path, Name: d.name()}, true)
}

// stubsTouched says whether a disabled model's stubs (what its ref() and
// source() calls found) may not be what they find after this edit: a ref
// of a name a file added has (a model, a seed; a snapshot's block may
// name another: any ref then), of a model removed, a source when sources
// are made again, a seed when seeds are.
func stubsTouched(snap *patchSnapshot, added, newSeeds []addedFile, gone []int, sources, seeds bool) func([]patchStub) bool {
	names, ids := map[string]bool{}, map[string]bool{}
	anyRef := false
	for _, a := range append(slices.Clone(added), newSeeds...) {
		base := path.Base(a.path)
		names[base[:len(base)-len(path.Ext(base))]] = true
		anyRef = anyRef || snap.likeFile(a.like).Kind == "snapshots"
	}
	for _, ni := range gone {
		ids[snap.Nodes[ni].ID] = true
	}
	return func(stubs []patchStub) bool {
		for _, s := range stubs {
			ref, isRef := strings.CutPrefix(s.Key, "ref:")
			name, _, _ := strings.Cut(ref, "@v")
			switch {
			case isRef && (anyRef || names[name] || ids[s.ID] || seeds && strings.HasPrefix(s.ID, TypeSeed+".")):
				return true
			case !isRef && sources:
				return true
			}
		}
		return false
	}
}

// sameConfigValues says two renderFacts have the same config and warnings,
// wherever config() set it.
func sameConfigValues(a, b string) bool {
	return len(a) == 80 && len(b) == 80 && a[:32] == b[:32]
}

// readKey is what a ref() or source() call that finds n names, as
// DisabledReads holds it ("" for a node neither finds).
func readKey(n *Node) string {
	switch n.ResourceType {
	case TypeModel, TypeSeed, TypeSnapshot:
		return "ref:" + n.Name
	case TypeSource:
		return "source:" + n.SourceName + "." + n.Name
	}
	return ""
}

// disabledReads is what every disabled node's render's ref() and source()
// calls name, sorted (DisabledReads): a disabled node is no node's child,
// and a patch that changes what one of those finds (a model added of that
// name, one removed, moved or made again with another relation) must
// render it again as the whole compile would, which may enable it; it
// compiles the whole project instead (found by review: before session 34,
// such an edit was patched and the disabled object could be wrong).
func (c *compilation) disabledReads(models []disabledModel) (all, fixed []string) {
	keys, others := map[string]bool{}, map[string]bool{}
	isModel := make(map[string]bool, len(models))
	for _, d := range models {
		isModel[d.ID] = true
	}
	for _, n := range c.nodes {
		if n.Enabled() {
			continue
		}
		st := c.states[n.UniqueID]
		if c.sharesName(n) { // (states holds the enabled variant's)
			st = c.variantStates[variantID(n)]
		}
		if st != nil {
			for _, k := range readKeys(st.targets) {
				keys[k] = true
				if !isModel[n.UniqueID] {
					others[k] = true
				}
			}
		}
	}
	return sortedKeys(keys), sortedKeys(others)
}

// readKeys are the render targets' DisabledReads keys, sorted.
func readKeys(targets []string) []string {
	var out []string
	for _, k := range targets {
		if k, ok := targetReadKey(k); ok {
			if i, found := slices.BinarySearch(out, k); !found {
				out = slices.Insert(out, i, k)
			}
		}
	}
	return out
}

// readByDisabled says whether a disabled node's render reads k ("ref:x",
// "source:s.t"), but those of the disabled models whose ids are in skip,
// whose files the patch removes or makes again (renders anew): the nodes
// that are not DisabledModels (DisabledReadsFixed) and each of those by
// its Reads. Without skip, DisabledReads (the union, which may hold what
// a model read before its refs changed) answers.
func (snap *patchSnapshot) readByDisabled(k string, skip map[string]bool) bool {
	if _, found := slices.BinarySearch(snap.DisabledReads, k); !found || len(skip) == 0 {
		return found
	}
	if _, found := slices.BinarySearch(snap.DisabledReadsFixed, k); found {
		return true
	}
	for _, d := range snap.DisabledModels {
		if d.ID != "" && !skip[d.ID] {
			if _, found := slices.BinarySearch(d.Reads, k); found {
				return true
			}
		}
	}
	return false
}

// targetReadKey is a render target ("ref:x@v2", "source:s.t") as
// DisabledReads keys it (a version's name alone), false for "this".
func targetReadKey(k string) (string, bool) {
	if name, ok := strings.CutPrefix(k, "ref:"); ok {
		name, _, _ = strings.Cut(name, "@v")
		return "ref:" + name, true
	}
	return k, strings.HasPrefix(k, "source:")
}

// disabledReadsKept says why the nodes a patch adds, removes or makes
// again may change what a disabled node's ref() or source() finds ("" when
// none can).
// skip: the ids of the disabled models whose files it removes or makes
// again (patchLoad.goneDisabled).
func (snap *patchSnapshot) disabledReadsKept(news []*newModel, gone []goneModel, skip map[string]bool) string {
	if len(snap.DisabledReads) == 0 {
		return ""
	}
	check := func(n *Node, what string) string {
		if k := readKey(n); k != "" {
			if snap.readByDisabled(k, skip) {
				return n.UniqueID + " is " + what + " and a disabled node's render reads " + k
			}
		}
		return ""
	}
	for _, m := range news {
		if w := check(m.n, "added or made again"); w != "" {
			return w
		}
	}
	for i := range gone {
		if w := check(&gone[i].n, "removed or made again"); w != "" {
			return w
		}
	}
	return ""
}

// A disabled model's file added (addModels) or removed (a disabled model
// a patch can render again: DisabledModels) is patched too: its path goes
// into manifest.json's disabled object, or out of it (disabledSplice),
// and into the snapshot's lists (keepDisabledFiles). Before session 34,
// either compiled the whole project.

// disabledNew is a disabled model of a file a patch added.
type disabledNew struct {
	id, path string
	file     fileStat // its stat, taken before it was read
	like     int      // the snapshot's file it was found beside (editModels puts it after)
	capture  []byte   // its patchCapture, as JSON
	macros   []string // the macros its render called
	vars     []string // the vars it may read
	env      []string // and the env vars
	flags    bool     // and whether it may read --full-refresh (readsFullRefresh)
	reads    []string // what its ref() and source() calls name (DisabledReads)
	// described: the properties file whose YAML entry describes it
	// (disabledModel.YAML), "" when none
	described string
}

// newDisabled makes the disabled model of an added file (n, rendered as
// addModels renders it, with rs; pc its capture before it rendered), or
// says why a patch cannot: what the whole compile's snapshot would keep of
// it must be what a patch keeps (disabledModels' choice), and it must say
// nothing.
// unsure are the names whose ref() the entry decoder may not find as the
// whole compile's renders do (refsUnsure).
func (l *patchLoad) newDisabled(dec *entryDecoder, n *Node, rs *renderState, pc *patchCapture, file fileStat, like int, fileOf map[string]string, unsure map[string]bool) (*disabledNew, string) {
	c, snap := l.c, l.snap
	if w := l.refsUnsure(rs, unsure); w != "" {
		return nil, w
	}
	if n.Version != "" || strings.Contains(n.Name, ".") {
		return nil, "versioned (or its name has a dot)"
	}
	if volatileText(n.RawCode) || namesWord(n.RawCode, "graph") {
		return nil, "volatile or reads graph"
	}
	if snap.danglingClose(n.Name) {
		return nil, "a YAML entry names no model and suggests names close to its"
	}
	for _, d := range snap.Diags {
		if strings.Contains(d.Summary, strconv.Quote(n.Name)) || strings.Contains(d.Detail, n.Name) {
			return nil, "a diagnostic names it"
		}
	}
	if w := l.patchMacros(rs.macros, fileOf); w != "" {
		return nil, w
	}
	if !cacheableValue(rs.config) {
		return nil, "its config cannot be kept"
	}
	for _, call := range rs.configAt {
		if !cacheableValue(call.Set) {
			return nil, "its config cannot be kept"
		}
	}
	facts, ok := renderFacts(rs)
	if !ok {
		return nil, "its render cannot be kept"
	}
	pc.Facts, pc.Stubs = facts, stubsFound(c, dec, rs)
	if dec.why != "" {
		return nil, dec.why
	}
	dn := &disabledNew{id: n.UniqueID, path: n.Path, file: file, like: like, macros: rs.macros, flags: c.readsFullRefresh(n.RawCode, rs.macros)}
	if f := c.fingerprint(n, rs.macros); f != nil {
		for _, e := range f.EnvVarNames {
			if IsSecretKey(e) {
				return nil, "reads a secret env var"
			}
		}
		dn.vars, dn.env = f.VarNames, f.EnvVarNames
	}
	if len(c.diags) > 0 {
		return nil, "a compile of it says something"
	}
	for _, k := range rs.targets {
		if k, ok := targetReadKey(k); ok {
			dn.reads = append(dn.reads, k)
		}
	}
	dn.capture = pc.appendJSON(nil)
	return dn, ""
}

// disabledFilesKept says why the disabled models a patch adds (news) and
// removes (places in DisabledModels) may change what the whole compile
// makes of other nodes ("" when they cannot): one added of the name of a
// node removed (gone), or whose name a disabled node's render refs (a
// render of the whole compile finds a model its own config disables:
// provisionalRelations; found by review).
// skip holds the ids of those removed or made again, which render anew
// (addModels).
func (snap *patchSnapshot) disabledFilesKept(news []*disabledNew, gone []goneModel, goneDisabled []int, skip map[string]bool) string {
	read := func(name string) bool { return snap.readByDisabled("ref:"+name, skip) }
	for _, dn := range news {
		name := idName(dn.id)
		// (itself, made again where its file is: its render disabled it,
		// or its folder's config or YAML entry did)
		if slices.ContainsFunc(gone, func(g goneModel) bool { return g.n.Name == name && (g.n.UniqueID != dn.id || g.n.Path != dn.path) }) {
			return dn.path + " is new and disabled, and a node of its name is removed"
		}
		if read(name) {
			return dn.path + " is new and disabled, and a disabled node's render refs its name"
		}
	}
	for _, di := range goneDisabled {
		if d := snap.DisabledModels[di]; read(d.name()) {
			return d.Path + " is gone, and a disabled node's render refs its model's name"
		}
	}
	return ""
}

// removedDisabled says why the disabled model at place di, whose file is
// gone, cannot be taken out by a patch ("" when it can).
func (snap *patchSnapshot) removedDisabled(di int, entryKept bool) string {
	d := snap.DisabledModels[di]
	if d.YAML != "" && !entryKept {
		return d.Path + " is gone and a YAML entry describes its disabled model"
	}
	if snap.danglingClose(d.name()) {
		return d.Path + " is gone and a YAML entry names no model and suggests names close to its"
	}
	if snap.saidOfDisabled(d) {
		return d.Path + " is gone and the compile said something of its disabled model"
	}
	return ""
}

// disabledSplice writes manifest.json's disabled object with the disabled
// models added and without those removed (places in DisabledModels).
func (l *patchLoad) disabledSplice(read func(off, n int64) ([]byte, bool), news []*disabledNew, gone []int) (fileSplice, string) {
	snap := l.snap
	b, ok := read(snap.Macros[1], snap.Manifest.Size-snap.Macros[1])
	if !ok {
		return fileSplice{}, "manifest.json unreadable"
	}
	// after the macros: the docs object, then the disabled one
	i := 0
	for _, key := range []string{`,"docs":`, `,"disabled":`} {
		if !bytes.HasPrefix(b[i:], []byte(key)) {
			return fileSplice{}, "manifest.json's disabled object is not where the snapshot says"
		}
		i += len(key)
		if key == `,"docs":` {
			if i = skipJSON(b, i); i < 0 {
				return fileSplice{}, "manifest.json's disabled object is not where the snapshot says"
			}
		}
	}
	from := i
	if i = skipJSON(b, i); i < 0 {
		return fileSplice{}, "manifest.json's disabled object is not where the snapshot says"
	}
	var obj map[string][]string
	if err := json.Unmarshal(b[from:i], &obj); err != nil || obj == nil {
		return fileSplice{}, "manifest.json's disabled object does not decode"
	}
	if again, err := compactJSON(obj); err != nil || !bytes.Equal(again, b[from:i]) {
		return fileSplice{}, "manifest.json's disabled object does not encode back as it was"
	}
	for _, di := range gone {
		d := snap.DisabledModels[di]
		if !slices.Equal(obj[d.ID], []string{d.Path}) {
			return fileSplice{}, d.ID + " is not in manifest.json's disabled object as the snapshot says"
		}
		delete(obj, d.ID)
	}
	for _, dn := range news {
		if _, dup := obj[dn.id]; dup {
			return fileSplice{}, dn.path + " is new and its id is disabled already"
		}
		obj[dn.id] = []string{dn.path}
	}
	with, err := compactJSON(obj)
	if err != nil {
		return fileSplice{}, err.Error()
	}
	base := snap.Macros[1]
	return fileSplice{base + int64(from), base + int64(i), with, nil}, ""
}

// keepDisabledFiles records the disabled models a patch added and removed
// (gone: places in DisabledModels, left empty) for the patches to come
// (their files: editModels). fileOf is where each macro is (macroPlaces).
func (snap *patchSnapshot) keepDisabledFiles(news []*disabledNew, gone []int, fileOf map[string]string) {
	for _, di := range gone {
		d := &snap.DisabledModels[di]
		if i, found := slices.BinarySearch(snap.Disabled, d.ID); found {
			snap.Disabled = slices.Delete(snap.Disabled, i, i+1)
		}
		snap.dropDisabledUses(di, true)
		*d = disabledModel{} // its place stays: the lists name the others by place
	}
	for _, dn := range news {
		di := len(snap.DisabledModels)
		snap.DisabledModels = append(snap.DisabledModels, disabledModel{ID: dn.id, Path: dn.path, YAML: dn.described, Reads: readKeys(dn.reads)})
		snap.keepDisabledCapture(di, dn.capture)
		if i, found := slices.BinarySearch(snap.Disabled, dn.id); !found {
			snap.Disabled = slices.Insert(snap.Disabled, i, dn.id)
		}
		snap.addDisabledUses(di, dn.macros, useKeys(dn.vars, dn.env, dn.flags), dn.reads, fileOf)
	}
}

// addDisabledUses records that the disabled model at place di calls macros
// (fileOf: where each is), may read vars, and that its ref() and source()
// calls name reads (DisabledReads). A macro of a built-in or blocked file,
// and a blocked var, keep no readers: an edit of one compiles whole.
func (snap *patchSnapshot) addDisabledUses(di int, macros, vars, reads []string, fileOf map[string]string) {
	for _, name := range macros {
		mf, ok := snap.MacroFiles[fileOf[name]]
		if !ok || mf.Blocked != "" || mf.Macros == nil {
			continue
		}
		if use, ok := mf.Macros[name]; ok && !slices.Contains(use.Disabled, di) {
			use.Disabled = append(use.Disabled, di)
			mf.Macros[name] = use
		}
	}
	for _, v := range vars {
		use := snap.VarUse[v]
		if use.Blocked == "" && !slices.Contains(use.Disabled, di) {
			use.Disabled = append(use.Disabled, di)
			if snap.VarUse == nil {
				snap.VarUse = map[string]varUse{}
			}
			snap.VarUse[v] = use
		}
	}
	for _, k := range reads {
		if i, found := slices.BinarySearch(snap.DisabledReads, k); !found {
			snap.DisabledReads = slices.Insert(snap.DisabledReads, i, k)
		}
	}
}

// keepDisabledCapture keeps the capture of the disabled model at place di
// for the blobs file (putBlobs).
func (snap *patchSnapshot) keepDisabledCapture(di int, capture []byte) {
	if snap.disabledBlobs == nil {
		snap.disabledBlobs = map[int][]byte{}
	}
	snap.disabledBlobs[di] = capture
}

// danglingClose says whether the compile warned of a YAML entry that names
// no model under a name close to name (suggest.Close): a model of that
// name added or removed, enabled or not, changes what it suggests
// (danglingKept).
func (snap *patchSnapshot) danglingClose(name string) bool {
	for _, d := range snap.Diags {
		if x, ok := danglingOf(d); ok && x.kind == TypeModel && suggest.Close(x.name, name) {
			return true
		}
	}
	return false
}

// stubsFound is what a render's ref() and source() calls found, with dec
// finding every node as the whole compile's renders found them (early).
// stubsOf reads the sources from the scope's map, which dec fills here
// (patchTargets fills it for the models a patch adds; found by review).
func stubsFound(c *compilation, dec *entryDecoder, st *renderState) []patchStub {
	for _, k := range st.targets {
		if key, ok := strings.CutPrefix(k, "source:"); ok {
			if t := dec.source(key); t != nil {
				c.sources[key] = t
			}
		}
	}
	dec.early = true
	defer func() { dec.early = false }()
	return c.stubsOf(st)
}

// dropDisabledUses takes the disabled model at place di out of every macro's
// list of callers, and of every var's readers too with vars.
func (snap *patchSnapshot) dropDisabledUses(di int, vars bool) {
	other := func(x int) bool { return x == di }
	for _, mf := range snap.MacroFiles {
		for name, use := range mf.Macros {
			if slices.Contains(use.Disabled, di) {
				use.Disabled = slices.DeleteFunc(slices.Clone(use.Disabled), other)
				mf.Macros[name] = use
			}
		}
	}
	if !vars {
		return
	}
	for name, use := range snap.VarUse {
		if slices.Contains(use.Disabled, di) {
			use.Disabled = slices.DeleteFunc(slices.Clone(use.Disabled), other)
			snap.VarUse[name] = use
		}
	}
}

// refsUnsure says why what a render's ref() calls found through the entry
// decoder may not be what the whole compile's renders found ("" when it
// is): a ref of a disabled model (one its own config() disables is found
// by the renders, which run before it is known disabled:
// provisionalRelations; the node index has no disabled node), of a file
// this save adds that ref() does not find yet, or of a model it removes
// (the index still has it). unsure holds the last two's names; the
// models added so far are found (entryDecoder.added). Found by review.
func (l *patchLoad) refsUnsure(st *renderState, unsure map[string]bool) string {
	for _, r := range st.refs {
		if l.also[r.Name] != nil {
			continue
		}
		if unsure[r.Name] || l.snap.disabledName(r.Name) {
			return "refs " + r.Name + ", which a ref() finds otherwise now, or a disabled model has the name of"
		}
	}
	return ""
}

// disabledName says whether a disabled node of the snapshot (of the
// project or a package) has name.
func (snap *patchSnapshot) disabledName(name string) bool {
	for _, id := range snap.Disabled {
		if parts := strings.SplitN(id, ".", 3); len(parts) == 3 && (parts[2] == name || strings.HasPrefix(parts[2], name+".")) {
			return true
		}
	}
	return false
}
