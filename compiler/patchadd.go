package compiler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mart-dev/mart/internal/suggest"
	"gopkg.in/yaml.v3"
)

// Patching an added or removed model file. A new .sql file in a
// directory of the root project's model paths that the snapshot's compile
// scanned (or in a new directory of .sql files only, made in one) becomes a node as a whole compile would make it (fileNode, its
// folder config), is rendered with ref() and source() finding the
// snapshot's nodes (the node index and manifest.json's entries, as a
// build from the snapshot renders), and its entry is spliced into
// manifest.json's nodes, parent_map and child_map (its parents' lists of
// children too), its compiled file written. A removed model's entries are
// cut out the same way. A model file added or removed with its entry in
// a properties file (descEdit.entryAdded, entryRemoved) has the entry
// applied as applyPatches applies it and its tests made (patchtests.go),
// or its tests cut with it. A model file moved (removed, and added under
// its name elsewhere) whose entry the edit left where it was takes that
// entry with it (keptEntry), its tests made again with their ids; nodes
// that stay may depend on it when what they see of it is as it was
// (movedFace: its relation before and after it renders, its access and
// group; its manifest entry's child_map list keeps them). No other node's
// output can change: a snapshot is
// kept only when no render may read graph; no ref() of an added name
// resolved before (it would have been an error), nothing that stays refs
// a removed model (its child_map list holds only what is removed with it)
// but a moved one of the same face;
// the patch refuses
// an added name any model, seed or snapshot has, a relation another node
// builds (Relations), anything a whole compile would say of an added
// model (a disabled node's name or id too: snap.Disabled), a removed
// model that YAML describes (unless its entry goes with
// it) or a diagnostic names, and projects whose warnings list names. What it cannot do that way compiles
// the whole project: a new directory with anything else in it, a file of
// another kind, a model that refs one added with it that its text does
// not name literally (addOrder), a render
// that queries the warehouse, is volatile, reads graph, refs an ephemeral
// model or names something unknown, a project with versioned
// models or a YAML entry that names no node.
//
// The node index is written by a whole compile; the nodes patches add
// follow its nodes (patchHead.IndexAdds) and those they remove are marked
// gone (IndexDrops), so a build from the snapshot selects and loads as
// after a whole compile.

// addedFile is an input file the snapshot does not have, in a directory
// it scanned.
type addedFile struct {
	path string // slash path from the project dir
	// like: a snapshot file of the same directory (its kind, root and
	// project), or under a root with none of them -1-i, its root's
	// template snap.Roots[i] (likeFile)
	like int
}

// likeFile is the snapshot file, or root template, an added file's like
// names.
func (snap *patchSnapshot) likeFile(like int) fileStat {
	if like < 0 {
		return snap.Roots[-1-like]
	}
	return snap.Files[like]
}

// modelName is the name of the model an added .sql file makes.
func (a addedFile) modelName() string { return strings.TrimSuffix(path.Base(a.path), ".sql") }

// listNewDir lists a directory new in one the snapshot has, and its
// subdirectories: the files a compile reads in them (slash paths from
// dir, sorted), and their stats, each taken before it is read; not ok
// when one has a symlink a compile would walk or report, or cannot be
// read.
func listNewDir(dir string) (files []string, dirs []fileStat, ok bool) {
	var walk func(d, rel string) bool
	walk = func(d, rel string) bool {
		st, err := statOf(d)
		if err != nil {
			return false
		}
		st.Path, st.Dir = d, true
		dirs = append(dirs, st)
		entries, err := os.ReadDir(d)
		if err != nil {
			return false
		}
		for _, e := range entries {
			switch {
			case e.IsDir() && strings.HasPrefix(e.Name(), "."):
				continue // not walked (scanProject)
			case e.IsDir():
				if !walk(filepath.Join(d, e.Name()), rel+e.Name()+"/") {
					return false
				}
			case e.Type()&os.ModeSymlink != 0 && compileReads(e.Name(), 0):
				return false
			case compileReads(e.Name(), e.Type()):
				files = append(files, rel+e.Name())
			}
		}
		return true
	}
	if !walk(dir, "") {
		return nil, nil, false
	}
	slices.Sort(files)
	return files, dirs, true
}

// relationHash hashes a relation key (compilation.relationKey) for the
// snapshot's Relations.
func relationHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// relationHashes is the sorted hashes of the relations the nodes build,
// as checkRelations counts them.
func (c *compilation) relationHashes() []uint64 {
	var out []uint64
	for _, n := range c.nodes {
		if buildsRelation(n) {
			out = append(out, relationHash(c.relationKey(n, n.Alias)))
		}
	}
	slices.Sort(out)
	return out
}

// canEditGraph says why the snapshot cannot take an added or removed
// model file ("" when it can).
func (snap *patchSnapshot) canEditGraph() string {
	switch {
	case snap.Index.Len == 0 || snap.Entries == nil:
		return "the snapshot has no node index"
	case len(snap.Warehouse)+len(snap.WarehouseTests) > 0:
		return "nodes query the warehouse while they render"
	case snap.Relations == nil:
		return "the snapshot does not know the relations built"
	}
	return ""
}

// dangling is a YAML entry that names no node, as the compile warned of it
// (applyPatches, describeSingularTests): the type of node it describes and
// the name it gives.
type dangling struct{ kind, name string }

// danglingOf reads d as such a warning.
func danglingOf(d Diagnostic) (dangling, bool) {
	head, _, ok := strings.Cut(d.Summary, " is described here but no such ")
	if !ok || d.Severity != SevWarning {
		return dangling{}, false
	}
	i := strings.Index(head, ` "`)
	if i < 0 {
		return dangling{}, false
	}
	name, err := strconv.Unquote(head[i+1:])
	if err != nil {
		return dangling{}, false
	}
	kind := head[:i]
	if kind == "singular test" {
		kind = TypeTest
	}
	return dangling{kind, name}, true
}

// danglingKept says why the nodes a patch adds and removes could change
// what the compile warned of a YAML entry that names no node, "" when they
// cannot. The warning suggests the names of that type close to the entry's
// (applyPatches' didYouMean): a node added or removed under a name that is
// not close to it (suggest.Close) changes neither whether the entry names a
// node nor the suggestions. A node made again keeps its name. Until
// session 33 a patch that added, removed or made again any node refused
// while such an entry was there: in a project that carries one (a model
// renamed, its entry left), every model added or config edited compiled
// the whole project.
func (l *patchLoad) danglingKept(news []*newModel, gone []goneModel) string {
	snap := l.snap
	var ds []dangling
	for _, d := range snap.Diags {
		if x, ok := danglingOf(d); ok {
			ds = append(ds, x)
		}
	}
	if len(ds)+len(l.dangles) == 0 {
		return ""
	}
	// a node's name among the candidates of its type: a version's is
	// name@vN (applyPatches' index); generic tests are none
	key := func(n *Node) (dangling, bool) {
		if n.ResourceType == TypeTest && n.TestType != "singular" {
			return dangling{}, false
		}
		if n.Version != "" {
			return dangling{n.ResourceType, n.Name + "@v" + n.Version}, true
		}
		return dangling{n.ResourceType, n.Name}, true
	}
	moved := map[dangling]int{}
	for _, m := range news {
		if k, ok := key(m.n); ok {
			moved[k]++
		}
	}
	for i := range gone {
		if k, ok := key(&gone[i].n); ok {
			moved[k]--
		}
	}
	for k, v := range moved {
		if v == 0 {
			continue
		}
		for _, d := range ds {
			if d.kind == k.kind && suggest.Close(d.name, k.name) {
				return fmt.Sprintf("a YAML entry names no %s %q, and %s %q was added or removed", d.kind, d.name, k.kind, k.name)
			}
		}
	}
	if len(l.dangles) == 0 {
		return ""
	}
	// the entries of the models removed that named them now name none:
	// warned of as applyPatches warns, with the names of the models the
	// patch leaves (the index's, but those it removes, and those it adds,
	// and the disabled ones, which the index has not and applyPatches
	// counts: found by review)
	var names []string
	for _, id := range snap.Disabled {
		kind, rest, _ := strings.Cut(id, ".")
		_, name, _ := strings.Cut(rest, ".")
		if kind != TypeModel {
			continue
		}
		if strings.Contains(name, ".") { // a version (name@vN), or a name with a dot
			return "a YAML entry names no model now and a disabled model is versioned (or its name has a dot)"
		}
		names = append(names, name)
	}
	for i := range l.ix.nodes {
		if n := &l.ix.nodes[i]; !n.gone && n.sel.ResourceType == TypeModel {
			if k, _ := key(&Node{ResourceType: TypeModel, Name: n.sel.Name, Version: n.sel.Version}); moved[k] >= 0 {
				names = append(names, k.name)
			}
		}
	}
	for k, v := range moved {
		if k.kind == TypeModel && v > 0 {
			names = append(names, k.name)
		}
	}
	for _, a := range l.dangles {
		d := warnf(a.file, a.line, 0, "%s %q is described here but no such %s exists", a.d.kind, a.d.name, a.d.kind)
		d.Detail = didYouMean(a.d.name, names)
		snap.Diags = append(snap.Diags, d)
	}
	snap.Diags.Sort()
	return ""
}

// dropDangling takes out what the compile warned of the entry of file that
// names no model name, and says whether there was one such warning (two
// entries of that name in the file: which one went is not known).
func (snap *patchSnapshot) dropDangling(file, name string) bool {
	at := -1
	for i, d := range snap.Diags {
		if x, ok := danglingOf(d); ok && d.File == file && x == (dangling{TypeModel, name}) {
			if at >= 0 {
				return false
			}
			at = i
		}
	}
	if at < 0 {
		return false
	}
	snap.Diags = slices.Delete(snap.Diags, at, at+1)
	return true
}

// dangleAt is an entry a patch leaves naming no node (removeModels): the
// properties file, the entry's line, what it names.
type dangleAt struct {
	file string
	line int
	d    dangling
}

// mapEntry is one entry of manifest.json's parent_map or child_map: its
// key's start and its list's span.
type mapEntry struct {
	id            string
	key, from, to int64
}

// mapTail is manifest.json after the macros: the disabled nodes (as
// JSON) and the parent and child maps' entries, sorted by id.
type mapTail struct {
	disabled              []byte
	parents               []mapEntry
	children              []mapEntry
	parentsAt, childrenAt int64 // their objects' opening braces
}

// scanMapTail reads b, manifest.json from base (the end of its macros
// object) to its end; hint is about how many entries each map has.
func scanMapTail(b []byte, base int64, hint int) (*mapTail, bool) {
	i := 0
	expect := func(s string) bool {
		if !bytes.HasPrefix(b[i:], []byte(s)) {
			return false
		}
		i += len(s)
		return true
	}
	t := &mapTail{parents: make([]mapEntry, 0, hint), children: make([]mapEntry, 0, hint)}
	// ids are cut from one copy of b (60,000 strings allocated one by one
	// were most of the scan)
	text := string(b)
	if !expect(`,"docs":`) {
		return nil, false
	}
	if i = skipJSON(b, i); i < 0 || !expect(`,"disabled":`) {
		return nil, false
	}
	from := i
	if i = skipJSON(b, i); i < 0 {
		return nil, false
	}
	t.disabled = b[from:i]
	entries := func(list *[]mapEntry, at *int64) bool {
		*at = base + int64(i)
		if !expect("{") {
			return false
		}
		if expect("}") {
			return true
		}
		for {
			key := i
			end := skipJSON(b, i)
			if end < 0 || b[i] != '"' {
				return false
			}
			var id string
			if raw := b[i+1 : end-1]; bytes.IndexByte(raw, '\\') < 0 {
				id = text[i+1 : end-1]
			} else if json.Unmarshal(b[i:end], &id) != nil {
				return false
			}
			i = end
			if !expect(":") {
				return false
			}
			start := i
			if i = skipJSON(b, i); i < 0 || b[start] != '[' {
				return false
			}
			*list = append(*list, mapEntry{id: id, key: base + int64(key), from: base + int64(start), to: base + int64(i)})
			if expect("}") {
				return true
			}
			if !expect(",") {
				return false
			}
		}
	}
	if !expect(`,"parent_map":`) || !entries(&t.parents, &t.parentsAt) || !expect(`,"child_map":`) || !entries(&t.children, &t.childrenAt) || !expect("}\n") || i != len(b) {
		return nil, false
	}
	for _, l := range [][]mapEntry{t.parents, t.children} {
		if !sort.SliceIsSorted(l, func(a, b int) bool { return l[a].id < l[b].id }) {
			return nil, false
		}
	}
	return t, true
}

// skipJSON returns where the compact JSON value at b[i] ends (-1 when it
// is not one).
func skipJSON(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		// the next quote not escaped: one after an even run of backslashes
		// (a compiled model's SQL is most of an entry: IndexByte scans it
		// at memory speed)
		for j := i + 1; ; {
			k := bytes.IndexByte(b[j:], '"')
			if k < 0 {
				return -1
			}
			q := j + k
			slashes := 0
			for p := q - 1; p > i && b[p] == '\\'; p-- {
				slashes++
			}
			if slashes%2 == 0 {
				return q + 1
			}
			j = q + 1
		}
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end := skipJSON(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	// a number, true, false or null
	j := i
	for j < len(b) && !strings.ContainsRune(",]}", rune(b[j])) {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// inserter gathers what is inserted into a JSON object of sorted keys:
// each entry goes before the key of the first entry whose id sorts after
// it, or after the last entry; entries inserted at one place are joined
// in order. placed, when set, is told where the entry's value starts in
// the text inserted at its place (fixed once the splices are sorted:
// placedSplice).
type inserter struct {
	at map[int64]*insertion
}

type insertion struct {
	before bool // before a key (entries end with a comma), else after the last entry
	text   []byte
	values []placedValue
}

// placedValue is an inserted entry's value: its offset in its insertion's
// text, and where the new file has it, once known.
type placedValue struct {
	off, len int64
	to       *[2]int64
}

// add inserts "id":value. keys are the object's entries (sorted); open is
// where its opening brace is. to, when set, gets the value's span in the
// new file.
func (ins *inserter) add(keys []mapEntry, open int64, id string, value []byte, to *[2]int64) {
	i := sort.Search(len(keys), func(i int) bool { return keys[i].id > id })
	var at int64
	before := true
	switch {
	case i < len(keys):
		at = keys[i].key
	case len(keys) > 0:
		at, before = keys[len(keys)-1].to, false
	default:
		at = open + 1
	}
	if ins.at == nil {
		ins.at = map[int64]*insertion{}
	}
	in := ins.at[at]
	if in == nil {
		in = &insertion{before: before}
		ins.at[at] = in
	}
	if !before || len(keys) == 0 && len(in.text) > 0 {
		in.text = append(in.text, ',')
	}
	in.text = append(appendString(in.text, id), ':')
	in.values = append(in.values, placedValue{off: int64(len(in.text)), len: int64(len(value)), to: to})
	in.text = append(in.text, value...)
	if before && len(keys) > 0 {
		in.text = append(in.text, ',')
	}
}

// splices are the insertions as splices of the file.
func (ins *inserter) splices() []fileSplice {
	var out []fileSplice
	for at, in := range ins.at {
		out = append(out, fileSplice{from: at, to: at, with: in.text, values: in.values})
	}
	return out
}

// placeValues tells each inserted value where the new file has it: the
// splices are sorted and do not overlap.
func placeValues(splices []fileSplice) {
	var shift int64
	for _, sp := range splices {
		for _, v := range sp.values {
			if v.to != nil {
				start := sp.from + shift + v.off
				*v.to = [2]int64{start, start + v.len}
			}
		}
		shift += int64(len(sp.with)) - (sp.to - sp.from)
	}
}

// nodeKeys is the entries of manifest.json's nodes object (not sources'
// nor unit tests'), or of its sources object, from the node index and
// the snapshot's Entries.
func (snap *patchSnapshot) nodeKeys(ix *nodeIndex, read func(off, n int64) ([]byte, bool), obj int) ([]mapEntry, bool) {
	out := make([]mapEntry, 0, len(ix.nodes))
	var key []byte
	for i := range ix.nodes {
		sel := &ix.nodes[i].sel
		if objectOf(sel.ResourceType) != obj || i >= len(snap.Entries) || ix.nodes[i].gone {
			continue
		}
		at := snap.Entries[i]
		key = append(appendString(key[:0], sel.UniqueID), ':')
		out = append(out, mapEntry{id: sel.UniqueID, key: at[0] - int64(len(key)), from: at[0], to: at[1]})
	}
	if len(out) == 0 {
		// an empty sources or unit_tests object: entries go in after its
		// brace (objectOpens); the nodes object is never empty
		return nil, obj != inNodes
	}
	if ix.base < len(ix.nodes) { // nodes added by patches follow the index's
		sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	}
	// the first and last keys are where the snapshot says (the insertions
	// go next to them or their neighbours, which the patch's check of the
	// whole file vouches for by its segments' sums)
	for _, e := range []mapEntry{out[0], out[len(out)-1]} {
		b, ok := read(e.key, e.from-e.key)
		if !ok || string(b) != string(appendString(nil, e.id))+":" {
			return nil, false
		}
	}
	return out, true
}

// objectOpens is where manifest.json's sources and unit_tests objects
// open (their braces), for entries inserted into one that is empty or
// whose every entry this patch cuts. encodeManifest writes them before
// the macros object, whose place the snapshot keeps:
//
//	,"sources":{...},"unit_tests":{...},"macros":{
//
// An object's brace is before its first entry's key (skeys and ukeys are
// the entries manifest.json holds now, before any cut), or, empty, two
// bytes before the next key; each is checked against the file. The
// sources' brace is found when wanted only (skeys read).
func (snap *patchSnapshot) objectOpens(read func(off, n int64) ([]byte, bool), skeys, ukeys []mapEntry, wantSources bool) (sources, units int64, ok bool) {
	const sourcesKey, unitsKey, macrosKey = `,"sources":`, `,"unit_tests":`, `,"macros":`
	open := func(keys []mapEntry, next int64, key, nextKey string) (int64, bool) {
		var at int64
		if len(keys) > 0 {
			at = keys[0].key - 1
		} else {
			at = next - int64(len(nextKey)) - 2 // {}
			if b, ok := read(at, 2); !ok || string(b) != "{}" {
				return 0, false
			}
		}
		b, ok := read(at-int64(len(key)), int64(len(key))+1)
		return at, ok && string(b) == key+"{"
	}
	if b, ok := read(snap.Macros[0]-int64(len(macrosKey)), int64(len(macrosKey))); !ok || string(b) != macrosKey {
		return 0, 0, false
	}
	if units, ok = open(ukeys, snap.Macros[0], unitsKey, macrosKey); !ok || !wantSources {
		return 0, units, ok
	}
	sources, ok = open(skeys, units, sourcesKey, unitsKey)
	return sources, units, ok
}

// childList is a child_map list with ids added at their sorted places
// and the gone ids taken out.
func childList(old []byte, ids, gone []string) ([]byte, bool) {
	var list []string
	if json.Unmarshal(old, &list) != nil || list == nil {
		return nil, false
	}
	for _, id := range gone {
		i := slices.Index(list, id)
		if i < 0 {
			return nil, false
		}
		list = slices.Delete(list, i, i+1)
	}
	for _, id := range ids {
		i := sort.SearchStrings(list, id)
		if i < len(list) && list[i] == id {
			return nil, false
		}
		list = slices.Insert(list, i, id)
	}
	return appendStrings(nil, list), true
}

// fileDir is a slash path's directory with its trailing slash ("" for
// the project dir).
func fileDir(rel string) string { return rel[:strings.LastIndexByte(rel, '/')+1] }

// osPath is a slash path from dir as an OS path.
func osPath(dir, rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }

// newModel is a model an added file makes, rendered.
type newModel struct {
	file   fileStat // for the snapshot's Files
	like   int
	n      *Node
	pc     *patchCapture
	frag   []byte // its manifest.json entry
	code   []byte // its compiled file
	vars   []string
	env    []string
	flags  bool // it may read --full-refresh (readsFullRefresh)
	macros []string
	ephs   []string // the patchable ephemeral models whose CTEs it puts in front (EphUsers)
	// ephTests: a generic test's (test), the same (EphTests)
	ephTests []string
	// targets: an ephemeral model's render targets (the node index keeps
	// them: the CTEs its readers put in front follow them)
	targets []string
	rel     uint64 // the relation it builds (builds), hashed
	builds  bool
	at      [2]int64 // its entry in the new manifest.json (placeValues)
	// test: a generic test made again (patchtests.go): not a patchable
	// node, no file of its own; replace: the entry it replaces (a test
	// kept), nil when it is inserted
	test    bool
	replace *[2]int64
	// source: a source table made again or added (patchsources.go): in
	// manifest.json's sources, no file of its own
	source bool
	// seed: a seed added (addSeeds): a file of its own, a relation, no
	// render, no compiled file, not one of the snapshot's Nodes
	seed bool
	// moved: a model whose id was removed in the same edit (its file
	// moved); sameFace: what nodes that depend on it see of it is as it
	// was (movedFace), so those that stay may (graphSplices)
	moved, sameFace bool
}

// addModels makes and renders the models of added files, or says why it
// cannot. It runs after the renders of the models whose text alone
// changed and the source tables made again (ref() and source() find the
// snapshot's nodes and those), before the models whose refs changed
// render again (reshapeModels: they may ref one it adds, patchLoad.also).
func (l *patchLoad) addModels(proj *Project, added []addedFile, gone []goneModel, entries map[string]*descEdit) ([]*newModel, string) {
	snap, c := l.snap, l.c
	if why := l.unversionedIndex(); why != "" {
		return nil, why
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.close()
	c.scope.lazy = dec
	defer func() { c.scope.lazy = nil }()
	names, ids, testNames, analyses, why := l.takenNames(gone)
	if why != "" {
		return nil, added[0].path + " is new and " + why
	}
	fileOf, _ := c.macroPlaces()
	projects := proj.projects()
	// the folder configs, rendered as a whole compile renders them first
	// (run): a patch has not needed them before
	if len(proj.renderConfigs(c.targetValue, c.opt.Vars)) > 0 {
		return nil, added[0].path + " is new and the project's configs do not render cleanly"
	}
	var out []*newModel
	// the names whose ref() the decoder may not find as the whole compile
	// does: the files added (until added: dec.added) and the models removed
	// (refsUnsure)
	unsure := map[string]bool{}
	for _, a := range added {
		unsure[a.modelName()] = true
	}
	for _, g := range gone {
		unsure[g.n.Name] = true
	}
	type testedModel struct {
		n     *Node
		file  string
		entry *propEntry
		why   string
	}
	var tested []testedModel
	for _, a := range addOrder(proj.Dir, added, func(a addedFile) string { return snap.likeFile(a.like).Kind }) {
		like := snap.likeFile(a.like)
		why := a.path + " is new and "
		if like.Kind != "models" && like.Kind != "tests" && like.Kind != "snapshots" && like.Kind != "analyses" || like.Proj != 0 || !strings.HasSuffix(a.path, ".sql") {
			return nil, why + "not a model, snapshot, singular test or analysis of the project"
		}
		st, data, err := snap.readAdded(proj, a)
		if err != nil {
			return nil, why + "unreadable"
		}
		ns, d := c.fileNodes(&projectFile{kind: like.Kind, proj: projects[0], root: like.Root, rel: a.path, data: data})
		if len(ns) > 1 {
			return nil, why + "holds several snapshots"
		}
		var n *Node
		if len(ns) == 1 {
			n = ns[0]
		}
		// a singular test (a file of test-paths): no name ref() finds, its
		// id its own, no YAML of it (data_tests: entries compile whole)
		singular := n != nil && n.ResourceType == TypeTest && n.TestType == "singular"
		// an analysis (a file of analysis-paths): compiled, never built, no
		// name ref() finds; a model may have its name (analysis:name is
		// its own in the duplicate check), no analysis of any project;
		// no YAML of it (an analyses: entry named in the edit, or one that
		// described none before, a diagnostic, compiles whole)
		isAnalysis := n != nil && n.ResourceType == TypeAnalysis
		switch {
		case n == nil || d != nil || n.ResourceType != TypeModel && n.ResourceType != TypeSnapshot && !singular && !isAnalysis:
			return nil, why + "not a model, snapshot, singular test or analysis"
		case !singular && !isAnalysis && names[n.Name]:
			return nil, why + "a node has its name"
		case singular && (ids[n.UniqueID] || testNames[n.Name] || entries[n.Name] != nil):
			return nil, why + "a node has its id, a test its name, or YAML names it"
		case isAnalysis && (ids[n.UniqueID] || analyses[n.Name] || entries[n.Name] != nil):
			return nil, why + "an analysis has its name (in any project), or YAML names it"
		case !n.Enabled() && (singular || isAnalysis || n.ResourceType != TypeModel):
			return nil, why + "disabled"
		}
		if singular || isAnalysis {
			for _, d := range snap.Diags {
				if strings.Contains(d.Summary, strconv.Quote(n.Name)) || strings.Contains(d.Detail, n.Name) {
					return nil, why + "a diagnostic names it"
				}
			}
			ids[n.UniqueID] = true
			if singular {
				testNames[n.Name] = true
			} else {
				analyses[n.Name] = true
			}
		} else {
			names[n.Name] = true
		}
		// the YAML entry added with it, applied as applyPatches applies
		// one before the renders (plain YAML: descriptionEdits)
		var entry *propEntry
		var entryFile string
		if e := entries[n.Name]; e != nil && !(e.entryRemoved && !e.entryAdded && e.usedRemoved && remadeHere(gone, n)) {
			if !e.entryAdded {
				return nil, why + "its name's YAML entry was removed"
			}
			if e.usedAdded || e.snapshot != (n.ResourceType == TypeSnapshot) {
				return nil, why + "its entry is another's, or of another kind's list"
			}
			entry, entryFile = &propEntry{}, e.file
			if err := e.entry.Decode(entry); err != nil || entry.Name != n.Name || entry.Versions != nil {
				return nil, why + "its YAML entry does not decode cleanly"
			}
			if _, yamlSnapshot := entry.Rest["relation"]; yamlSnapshot {
				return nil, why + "its YAML entry makes a snapshot of its own (relation:)"
			}
			// doc() in its descriptions (modelEdits lets no other Jinja
			// through) renders with manifest.json's docs blocks
			if _, docs := docsOnlyEntry(e.entry); docs {
				if w := l.loadDocs(); w != "" {
					return nil, why + "its YAML entry calls doc() and " + w
				}
			}
			c.applyPatch(&properties{file: e.file, pkg: projects[0]}, n.ResourceType, entry, n)
			if len(c.diags) > 0 || !n.Enabled() && n.ResourceType != TypeModel {
				return nil, why + "its YAML entry says something or disables it"
			}
			e.usedAdded = true
		}
		// as the whole compile renders it (renderAll, keepRender)
		c.setRelation(n)
		key, ok := nodeRenderKey(n)
		conf, typed := typedJSON(nil, map[string]any(n.Config))
		if !ok || !typed {
			return nil, why + "its config cannot be kept"
		}
		pc := &patchCapture{Key: key, Config: conf, Database: n.Database, Schema: n.Schema, Alias: n.Alias, Relation: n.Relation,
			Templated: templatedLayers(n)}
		// its ref() targets as the whole compile's renders see them, before
		// they render (earlyNode), which its stubs keep
		dec.early = true
		rs, err := c.renderNode(n, RenderOptions{})
		dec.early = false
		if dec.why != "" {
			return nil, why + dec.why
		}
		if err != nil || rs == nil || rs.needsWarehouse || len(rs.warnings) > 0 {
			return nil, why + "does not render cleanly without the warehouse"
		}
		// a disabled model: its path in the disabled object
		// (patchdisabled.go)
		if !n.Enabled() && n.ResourceType == TypeModel && !singular {
			// its YAML entry, if any, describes a disabled model: the
			// whole compile makes none of its tests and says nothing of it
			if snap.unitTested(n.UniqueID) {
				return nil, why + "disabled, and a unit test tests it"
			}
			dn, w := l.newDisabled(dec, n, rs, pc, st, a.like, fileOf, unsure)
			if w != "" {
				return nil, why + "disabled, and " + w
			}
			if entry != nil {
				dn.described = entryFile
			}
			l.disabledNews = append(l.disabledNews, dn)
			continue
		}
		if !n.Enabled() || volatileText(n.RawCode) || namesWord(n.RawCode, "graph") {
			return nil, why + "disabled, volatile or reads graph"
		}
		// an ephemeral model: its readers put its CTE in front, and only
		// models and singular tests may (EphUsers; a test or unit test of
		// it would keep it from being patched)
		eph := n.Materialized() == "ephemeral"
		if eph && (singular || isAnalysis || snap.unitTested(n.UniqueID)) {
			return nil, why + "an ephemeral model a unit test tests, or a singular test or analysis made ephemeral"
		}
		if !patchableType(n) { // a singular test whose alias is cut ends with its checksum
			return nil, why + "not patchable"
		}
		if w := l.patchMacros(rs.macros, fileOf); w != "" {
			return nil, why + w
		}
		if !cacheableValue(rs.config) {
			return nil, why + "its config cannot be kept"
		}
		for _, call := range rs.configAt {
			if !cacheableValue(call.Set) {
				return nil, why + "its config cannot be kept"
			}
		}
		facts, ok := renderFacts(rs)
		if !ok {
			return nil, why + "its render cannot be kept"
		}
		if w := c.patchTargets(dec, rs, gone, nil); w != "" {
			return nil, why + w
		}
		dec.early = true // its sources are found now
		pc.Facts, pc.Stubs = facts, c.stubsOf(rs)
		dec.early = false
		// as finishConfigs, checkConfigs and resolve do
		settleTagsMeta(n)
		c.setRelation(n)
		c.nodes = []*Node{n}
		c.states[n.UniqueID] = rs
		c.checkNodeConfig(n)
		c.resolveRefs()
		ctes, ephs, w := l.resolveMade(dec, n, rs)
		if w != "" {
			return nil, why + w
		}
		c.setUnrendered(n)
		if len(c.diags) > 0 {
			return nil, why + "a compile of it says something"
		}
		m := &newModel{file: st, like: a.like, n: n, pc: pc, macros: rs.macros, ephs: ephs}
		if eph {
			m.targets = rs.targets
			if l.madeEph == nil {
				l.madeEph = map[string]*renderState{}
			}
			l.madeEph[n.UniqueID] = rs // (the CTEs in front of its readers follow its targets)
		}
		m.flags = c.readsFullRefresh(n.RawCode, rs.macros)
		if f := n.Fingerprint; f != nil {
			m.vars = f.VarNames
			for _, e := range f.EnvVarNames {
				if IsSecretKey(e) {
					return nil, why + "reads a secret env var"
				}
			}
			m.env = f.EnvVarNames
		}
		if _, ok := c.depsExtra(n, rs.macros, n.Fingerprint); !ok {
			return nil, why + "its render cannot be kept"
		}
		if m.builds = buildsRelation(n); m.builds {
			m.rel = relationHash(c.relationKey(n, n.Alias))
			if snap.relationTaken(m.rel, gone) {
				return nil, why + "builds a relation another node builds"
			}
		}
		for k := range gone {
			if g := &gone[k]; !g.test && g.n.UniqueID == n.UniqueID {
				m.moved, m.sameFace = true, l.movedFace(dec, g, n, pc, m.rel, m.targets)
				if snap.unitTested(n.UniqueID) && !inPlaceInputs(&g.n, n) {
					return nil, why + "is tested by a unit test, and moved or reads other inputs"
				}
			}
		}
		pc.Names, _, _ = c.targetNames(n, rs, nil)
		pc.CTEs = ctes
		if n.CompiledCode == "" {
			return nil, why + "compiles to nothing"
		}
		c.settleEntry(n) // as manifest() does
		if m.frag, err = appendNode(nil, n); err != nil {
			return nil, why + err.Error()
		}
		m.code = []byte(n.CompiledCode + "\n")
		out = append(out, m)
		if singular || isAnalysis {
			continue
		}
		// ref() finds it from now on: the models added after it (in the
		// order of their refs: addOrder) and its tests
		pre := *n
		pre.Database, pre.Schema, pre.Alias, pre.Relation = pc.Database, pc.Schema, pc.Alias, pc.Relation
		dec.added(n, &pre)
		if entry != nil {
			tested = append(tested, testedModel{n, entryFile, entry, why})
		}
	}
	// the tests their entries declare, which ref them, once every model
	// is added (a relationships test may ref one added after its model),
	// as the whole compile makes tests after the models
	for _, tm := range tested {
		tests, w := l.makeTests(dec, tm.n, tm.file, tm.entry, gone)
		if w != "" {
			return nil, tm.why + w
		}
		out = append(out, tests...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n.UniqueID < out[j].n.UniqueID })
	return out, ""
}

// takenNames are the names of the models, seeds and snapshots a node
// added must not have (a duplicate model name is an error; a seed's or
// snapshot's, an ambiguous ref()), the ids, and the tests' names in every
// project (a duplicate test name is an error), which a singular test added
// must not have, and the analyses' names in every project, which an
// analysis added must not have (the duplicate check is by type and name
// across projects: found by review): the node index's, but those removed
// in the same edit (gone: a model moved, its name comes back), the
// disabled nodes', and those of the seeds added before (patchLoad.also).
// Or why none can be added.
func (l *patchLoad) takenNames(gone []goneModel) (names, ids, testNames, analyses map[string]bool, why string) {
	ix := l.ix
	names, ids, testNames, analyses = map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	freed := map[int]bool{}
	for _, g := range gone {
		freed[g.pos] = true
	}
	for i := range ix.nodes {
		if t := ix.nodes[i].sel.ResourceType; !ix.nodes[i].gone && !freed[i] && (t == TypeModel || t == TypeSeed || t == TypeSnapshot) {
			names[ix.nodes[i].sel.Name] = true
		}
		if !ix.nodes[i].gone && !freed[i] {
			ids[ix.nodes[i].sel.UniqueID] = true
			switch ix.nodes[i].sel.ResourceType {
			case TypeTest:
				testNames[ix.nodes[i].sel.Name] = true
			case TypeAnalysis:
				analyses[ix.nodes[i].sel.Name] = true
			}
		}
	}
	for name, n := range l.also {
		names[name], ids[n.UniqueID] = true, true
	}
	// the disabled nodes' names (manifest.json's disabled object: an added
	// node of a disabled one's name is a duplicate name, or its id would be
	// both enabled and disabled), but those whose files the edit removed or
	// makes again. A name is what follows the kind and the package in an
	// id; a test's or a versioned model's also without its last part (its
	// hash, its version): a name of more may be refused, never one taken
	// allowed
	for _, id := range l.snap.Disabled {
		if l.goneDisabled[id] {
			continue // its file removed, or made again enabled (CompileByPatch)
		}
		kind, rest, _ := strings.Cut(id, ".")
		_, name, _ := strings.Cut(rest, ".")
		short := name[:max(0, strings.LastIndexByte(name, '.'))]
		switch kind {
		case TypeModel, TypeSeed, TypeSnapshot:
			// a version's file is found by its name (<name>_v<v>, or
			// defined_in) among every model file, disabled or not: an
			// added one can become a disabled version (found by review)
			if kind == TypeModel && short != "" {
				return nil, nil, nil, nil, "a disabled model is versioned (or its name has a dot)"
			}
			names[name], names[short] = true, true
		case TypeTest:
			testNames[name], testNames[short] = true, true
		case TypeAnalysis:
			analyses[name], analyses[short] = true, true
		}
		ids[id] = true
	}
	return names, ids, testNames, analyses, ""
}

// relationTaken says a node of the snapshot builds the relation whose hash
// is rel, but for one the patch removes (gone). Two nodes a patch adds that
// build one relation are its caller's to find (CompileByPatch: claimed).
func (snap *patchSnapshot) relationTaken(rel uint64, gone []goneModel) bool {
	_, found := slices.BinarySearch(snap.Relations, rel)
	return found && !slices.ContainsFunc(gone, func(g goneModel) bool { return g.builds && g.rel == rel })
}

// inPlaceInputs says a model made again (n; was, as it was) is where it
// was and reads what it read: the unit tests that test it, whose entries
// are their model's fqn and whose givens are checked against its refs and
// sources (unitTestNode), stay as they are (a folder config edit:
// patchfolder.go).
func inPlaceInputs(was, n *Node) bool {
	return was.Path == n.Path && slices.Equal(was.FQN, n.FQN) &&
		fmt.Sprint(was.Refs) == fmt.Sprint(n.Refs) && fmt.Sprint(was.Sources) == fmt.Sprint(n.Sources)
}

// remadeHere says the model n of an added file is one removed in the
// same edit (gone; a model moved, or made again where it is), which took
// its removed entry with it: it comes back without one.
func remadeHere(gone []goneModel, n *Node) bool {
	return slices.ContainsFunc(gone, func(g goneModel) bool { return !g.test && g.n.UniqueID == n.UniqueID })
}

// movedFace says a moved model (n, its capture pc, its relation's hash
// rel, an ephemeral one's render targets) shows the nodes that depend on
// it what the removed one (g) did: the relation their renders saw (its
// capture's, before it rendered), the one their compiled SQL names, or,
// ephemeral, the CTE in front of it (its SQL, and the ephemeral models it
// refs: their CTEs come before), its access and group (which their refs
// are checked against).
func (l *patchLoad) movedFace(dec *entryDecoder, g *goneModel, n *Node, pc *patchCapture, rel uint64, targets []string) bool {
	old, ok := dec.capture(g.ni)
	eph := g.n.Materialized() == "ephemeral"
	switch {
	case !ok || eph != (n.Materialized() == "ephemeral"):
		return false
	case eph:
		st := dec.ephemeralState(g.n.UniqueID)
		if g.n.CompiledCode != n.CompiledCode || st == nil && len(targets) > 0 || st != nil && !slices.Equal(st.targets, targets) {
			return false
		}
	case !g.builds || g.rel != rel:
		return false
	}
	if old.Database != pc.Database || old.Schema != pc.Schema || old.Alias != pc.Alias || old.Relation != pc.Relation {
		return false
	}
	if g.n.Database != n.Database || g.n.Schema != n.Schema || g.n.Alias != n.Alias || g.n.Relation != n.Relation {
		return false
	}
	for _, k := range []string{"access", "group"} {
		if fmt.Sprint(g.n.Config[k]) != fmt.Sprint(n.Config[k]) {
			return false
		}
	}
	return true
}

// refCallLiteralRE finds the names a template refs with a literal: ref('x').
var refCallLiteralRE = regexp.MustCompile(`ref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\)`)

// addOrder orders added model files so that one whose text refs another
// (ref('x') with a literal name) comes after it: each is rendered finding
// those before it. Files are in path order otherwise; a ref the text
// does not show, or a cycle, leaves a model to ref one not yet added,
// which the patch refuses (unknown). A snapshot's file (kind) is named by
// its first block, not by its file.
func addOrder(dir string, added []addedFile, kind func(addedFile) string) []addedFile {
	names := make(map[string]int, len(added))
	texts := make([][]byte, len(added))
	for i, a := range added {
		data, err := readFile(osPath(dir, a.path))
		if err != nil {
			continue // read again, and refused, when its turn comes
		}
		texts[i] = data
		names[a.modelName()] = i
		if kind(a) == "snapshots" { // named by its first block (fileNode)
			if name := firstSnapshot(string(data)); name != "" {
				delete(names, a.modelName())
				names[name] = i
			}
		}
	}
	deps := make([][]int, len(added))
	for i, data := range texts {
		for _, m := range refCallLiteralRE.FindAllSubmatch(data, -1) {
			if j, ok := names[string(m[1])]; ok && j != i {
				deps[i] = append(deps[i], j)
			}
		}
	}
	out := make([]addedFile, 0, len(added))
	state := make([]int, len(added)) // 1 visiting, 2 done
	var visit func(i int)
	visit = func(i int) {
		if state[i] != 0 {
			return // done, or a cycle: left where it falls
		}
		state[i] = 1
		for _, j := range deps[i] {
			visit(j)
		}
		state[i] = 2
		out = append(out, added[i])
	}
	for i := range added {
		visit(i)
	}
	return out
}

// patchMacros says why a model a patch renders may not call these macros
// ("" when it may): none volatile or reading graph (a snapshot is kept
// only without those), each of a macro file the snapshot knows, and
// known there unless an edit of that file compiles whole (Blocked: it
// keeps no callers).
// fileOf is where each macro is defined (macroPlaces).
func (l *patchLoad) patchMacros(macros []string, fileOf map[string]string) string {
	c := l.c
	for _, name := range macros {
		if f := c.macroFacts[name]; f.volatile || f.graph {
			return "calls macro " + name + ", volatile or reading graph"
		}
		file, ok := fileOf[name]
		if !ok {
			continue // a built-in macro
		}
		mf, ok := l.snap.MacroFiles[file]
		if !ok {
			return "calls a macro of a file the snapshot does not know"
		}
		if _, ok := mf.Macros[name]; !ok && mf.Blocked == "" {
			return "calls a macro the snapshot does not know"
		}
	}
	return ""
}

// patchTargets says why what a render a patch makes refs and names cannot
// be found as a whole compile finds it ("" when it can): each ref() target
// known through the snapshot (an ephemeral one's CTE goes in front:
// resolveMade, makePending), none removed in the same edit but self (the
// node being made: a model moved) or one the patch added back (moved
// before it), each source known, which resolveRefs then finds in
// c.sources.
func (c *compilation) patchTargets(dec *entryDecoder, st *renderState, gone []goneModel, self *Node) string {
	for _, k := range st.targets {
		switch {
		case strings.HasPrefix(k, "ref:"):
			t := c.refTarget(strings.TrimPrefix(k, "ref:"))
			if t == nil {
				return "refs an unknown model"
			}
			if t != self && dec.l.also[t.Name] != t && slices.ContainsFunc(gone, func(g goneModel) bool { return g.n.UniqueID == t.UniqueID }) {
				return "refs a removed model" // an error, which a whole compile reports
			}
		case strings.HasPrefix(k, "source:"):
			key := strings.TrimPrefix(k, "source:")
			t := dec.source(key)
			if t == nil {
				return "names an unknown source"
			}
			c.sources[key] = t
		}
	}
	return ""
}

// goneModel is a model whose file was removed: its index in the
// snapshot's Nodes and node index, and its manifest.json entry.
type goneModel struct {
	ni, pos int
	n       Node
	rel     uint64 // its relation's hash, when it builds one
	builds  bool
	// test: a generic test an edit of YAML removed or made again
	// (patchtests.go; ni -1); replaced: made again with its id, its entry
	// replaced where it is (newModel.replace), its place in the index gone
	test, replaced bool
	// source: a source table removed or made again (patchsources.go; ni -1)
	source bool
}

// removeModels checks that the models of removed files can be patched out:
// nothing refs them, no test is attached (their child_map lists are
// empty: graphSplices), no YAML describes them (its entry would warn),
// and the snapshot renders none of them every time. A model YAML
// describes whose name an added file has (a model moved to another
// folder: mv), whose entry the edit left as it was, keeps it: the entry
// goes with the removed model and comes back with the added one
// (keptEntry), as when an edit moves both.
func (l *patchLoad) removeModels(nis []int, read func(off, n int64) ([]byte, bool), entries map[string]*descEdit, mv moves) ([]goneModel, string) {
	snap, c := l.snap, l.c
	if why := l.index(); why != "" {
		return nil, why
	}
	var out []goneModel
	var dec *entryDecoder
	for _, ni := range nis {
		pn := snap.Nodes[ni]
		why := pn.Path + " is gone and "
		if _, err := os.Lstat(osPath(l.c.project.Dir, pn.Path)); err == nil {
			// (its file stays: its model is made again, or disabled)
			why = pn.Path + " is made again or disabled, and "
		}
		if slices.Contains(snap.EveryTime, ni) {
			return nil, why + "it was rendered every time"
		}
		entry, ok := read(pn.From, pn.To-pn.From)
		g := goneModel{ni: ni}
		if !ok || json.Unmarshal(entry, &g.n) != nil || g.n.UniqueID != pn.ID {
			return nil, pn.ID + "'s manifest entry unreadable"
		}
		// (a snapshot is made again where it is: patchsnapshots.go)
		if g.n.ResourceType != TypeModel && g.n.ResourceType != TypeSnapshot && !((g.n.ResourceType == TypeTest && g.n.TestType == "singular" || g.n.ResourceType == TypeAnalysis) && g.n.PatchPath == "") {
			return nil, why + "it is no model, snapshot, nor a singular test or analysis without YAML"
		}
		// a model YAML describes goes with its entry, and its tests
		var tests []goneModel
		if g.n.PatchPath != "" {
			e := entries[g.n.Name]
			// (its descriptions or columns edited in the same save: its
			// entry is taken from the new text, which has them, and the
			// render that would write them is not made: it is removed)
			if d := mv.described[ni]; e == nil && mv.names[g.n.Name] && (d == nil || !d.tests) {
				var entry *yaml.Node
				var w string
				if g.n.ResourceType == TypeSnapshot {
					entry, w = l.listEntry(g.n.PatchPath, "snapshots", g.n.Name, mv.texts)
				} else {
					entry, w = l.keptEntry(mv.texts, g.n.PatchPath, g.n.Name)
				}
				if w != "" {
					return nil, why + w
				}
				e = &descEdit{entryAdded: true, entryRemoved: true, entry: entry, file: g.n.PatchPath, removedFrom: g.n.PatchPath,
					snapshot: g.n.ResourceType == TypeSnapshot}
				entries[g.n.Name] = e
			}
			switch {
			case e == nil && !mv.names[g.n.Name] && mv.described[ni] == nil && g.n.ResourceType == TypeModel && g.n.Version == "":
				// its entry left as it was (a model renamed, or removed,
				// in its file alone): the entry names no model now, which
				// the compile warns of where it is (danglingKept adds it)
				entry, w := l.keptEntry(mv.texts, g.n.PatchPath, g.n.Name)
				if w != "" {
					return nil, why + "YAML describes it, and " + w
				}
				l.dangles = append(l.dangles, dangleAt{file: g.n.PatchPath, line: entry.Line, d: dangling{TypeModel, g.n.Name}})
			case e == nil || !e.entryRemoved || e.removedFrom != g.n.PatchPath || e.usedRemoved || e.snapshot != (g.n.ResourceType == TypeSnapshot):
				return nil, why + "YAML describes it"
			default:
				e.usedRemoved = true
			}
			if dec == nil {
				var err error
				if dec, err = newEntryDecoder(l); err != nil {
					return nil, err.Error()
				}
				defer dec.close()
			}
			var w string
			if tests, w = l.declaredTests(dec, g.n.UniqueID, g.n.PatchPath); w != "" {
				return nil, why + w
			}
		}
		// what the compile said of it (or of its tests: in their YAML file,
		// or their macros' render warnings) would go with it
		for _, d := range snap.Diags {
			if _, ok := danglingOf(d); ok {
				continue // of another entry: danglingKept
			}
			if d.File == pn.Path || d.File == g.n.PatchPath && g.n.PatchPath != "" || snap.isMacroFile(d.File) ||
				strings.Contains(d.Summary, strconv.Quote(g.n.Name)) || strings.Contains(d.Detail, g.n.Name) {
				return nil, why + "a diagnostic names it or what goes with it"
			}
		}
		if g.pos, ok = l.ix.pos[pn.ID]; !ok {
			return nil, why + "the node index lacks it"
		}
		if g.builds = buildsRelation(&g.n); g.builds {
			g.rel = relationHash(c.relationKey(&g.n, g.n.Alias))
			if _, found := slices.BinarySearch(snap.Relations, g.rel); !found {
				return nil, why + "the snapshot does not know its relation"
			}
		}
		out = append(out, g)
		out = append(out, tests...)
	}
	return out, ""
}

// moves is what removeModels needs to know of models moved to another
// folder: the names of the model files added, the new texts of the
// properties files the edit changed (nil: removed), and the models whose
// entries it changed (descriptionEdits).
type moves struct {
	names     map[string]bool
	texts     map[string][]byte
	described map[int]*descEdit
}

// keptEntry is name's entry in the properties file path: from its new
// text when the edit changed it (texts; not removed), else the snapshot's
// text of it (the file's, whose stat is the snapshot's); of plain YAML
// (plainTree), the file one of models alone (version: and models:) as
// wholePropsFiles takes. l.kept keeps each file's entries by name (a
// folder moved has many in one file; a patch may keep several).
func (l *patchLoad) keptEntry(texts map[string][]byte, path, name string) (*yaml.Node, string) {
	f, ok := l.kept[path]
	if !ok {
		f = l.keptEntries(texts, path)
		if l.kept == nil {
			l.kept = map[string]keptEntries{}
		}
		l.kept[path] = f
	}
	if f.why != "" {
		return nil, f.why
	}
	entry := f.byName[name]
	if entry == nil {
		return nil, "its entry in " + path + " is not of plain YAML"
	}
	plain, docs := docsOnlyEntryWith(entry, plainTestList)
	if !plain {
		return nil, "its entry in " + path + " is not of plain YAML"
	}
	if docs {
		if why := l.loadDocs(); why != "" {
			return nil, "its entry in " + path + " calls doc() and " + why
		}
	}
	return entry, ""
}

// docsOnlyEntry says a model's YAML entry is plain YAML (plainTree) but
// for its description and its columns' whose only Jinja is doc() calls
// (docs: it has one), which are where the whole compile renders them
// (renderDescription): made again, the model renders them with the docs
// blocks manifest.json holds (loadDocs), as the whole compile did. doc()
// anywhere else (meta:, config:) the whole compile does not render as a
// description (review).
func docsOnlyEntry(entry *yaml.Node) (plain, docs bool) { return docsOnlyEntryWith(entry, plainTree) }

// docsOnlyEntryWith is docsOnlyEntry with the entry's and its columns'
// test lists checked by tests (plainTestList: made again for a var they
// read, patchtestvars.go).
func docsOnlyEntryWith(entry *yaml.Node, tests func(*yaml.Node) bool) (plain, docs bool) {
	// the mapping n's keys and values plain, but its description
	described := func(n *yaml.Node, more func(k, v *yaml.Node) (handled, ok bool)) bool {
		if n.Kind != yaml.MappingNode || n.Anchor != "" {
			return plainTree(n)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if !plainTree(k) {
				return false
			}
			if k.Value == "description" && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Anchor == "" && isTemplate(v.Value) {
				if isTemplate(docRE().ReplaceAllString(v.Value, "")) {
					return false
				}
				docs = true
				continue
			}
			if more != nil {
				if handled, ok := more(k, v); handled {
					if !ok {
						return false
					}
					continue
				}
			}
			if isTestKey(k) {
				if !tests(v) {
					return false
				}
				continue
			}
			if !plainTree(v) {
				return false
			}
		}
		return true
	}
	plain = described(entry, func(k, v *yaml.Node) (bool, bool) {
		if k.Value != "columns" || v.Kind != yaml.SequenceNode || v.Anchor != "" {
			return false, false
		}
		for _, col := range v.Content {
			if !described(col, nil) {
				return true, false
			}
		}
		return true, true
	})
	return plain, docs && plain
}

// loadDocs gives the patch's compilation the docs blocks manifest.json
// holds (the snapshot's compile's, which a patch of no .md file keeps),
// once; or says why it cannot.
func (l *patchLoad) loadDocs() string {
	if l.docsEdited {
		return "docs blocks changed"
	}
	if l.docsLoaded {
		return ""
	}
	blocks, _, why := l.snap.readDocs(l.manifest)
	if why != "" {
		return why
	}
	l.c.docs, l.docsLoaded = blocks, true
	return ""
}

// propsText is the text of the project's properties file path as the
// snapshot keeps it (Props), or why it cannot be read.
func (l *patchLoad) propsText(path string) ([]byte, string) {
	ref, known := l.snap.Props[path]
	if !known {
		return nil, "the snapshot lacks the text of " + path
	}
	blobs, why := openBlobsOrWhy(l)
	if why != "" {
		return nil, why
	}
	defer blobs.Close()
	data, err := readBlobRef(blobs, ref)
	if err != nil {
		return nil, "the snapshot's text of " + path + " is unreadable"
	}
	return data, ""
}

// keptEntries is a properties file's models' entries by name, or why
// they cannot be kept.
type keptEntries struct {
	byName map[string]*yaml.Node
	why    string
}

// keptEntries reads and parses a properties file for keptEntry.
func (l *patchLoad) keptEntries(texts map[string][]byte, path string) keptEntries {
	data, edited := texts[path]
	switch {
	case edited && data == nil:
		return keptEntries{why: path + " is gone"}
	case !edited:
		var why string
		if data, why = l.propsText(path); why != "" {
			return keptEntries{why: why}
		}
	}
	// (a file the edit left as it was may hold unit tests: an entry kept
	// is a model's alone, and a model a unit test tests is made again
	// only where it is, reading what it read: inPlaceInputs)
	names, items, _, _, w := modelEntries(data, false, !edited)
	if w != "" {
		return keptEntries{why: path + " " + w}
	}
	out := keptEntries{byName: make(map[string]*yaml.Node, len(names))}
	for j, name := range names {
		out.byName[name] = items[j]
	}
	return out
}

// isMacroFile says a path is one of the snapshot's macro files (a
// template's render warnings point there).
func (snap *patchSnapshot) isMacroFile(path string) bool {
	_, ok := snap.MacroFiles[path]
	return ok
}

// graphSplices are the splices of manifest.json that add the new models
// and take the gone ones out: their entries in nodes, parent_map and
// child_map, and their ids in their parents' lists of children.
func (l *patchLoad) graphSplices(news []*newModel, gone []goneModel, reshaped []*patchJob, read func(off, n int64) ([]byte, bool)) ([]fileSplice, string) {
	snap := l.snap
	// unit tests made again with their ids alone (the usual edit of their
	// rows): their entries replaced where they are, no key or map moves,
	// and manifest.json's maps need not be read
	if len(reshaped) == 0 && len(news) > 0 && !slices.ContainsFunc(news, func(m *newModel) bool { return m.replace == nil || m.n.ResourceType != TypeUnitTest }) &&
		!slices.ContainsFunc(gone, func(g goneModel) bool { return !g.replaced }) {
		splices := make([]fileSplice, 0, len(news))
		for _, m := range news {
			splices = append(splices, fileSplice{m.replace[0], m.replace[1], m.frag, nil})
		}
		return splices, ""
	}
	size := snap.Manifest.Size - snap.Macros[1]
	b, ok := read(snap.Macros[1], size)
	if !ok {
		return nil, "manifest.json unreadable"
	}
	tail, ok := scanMapTail(b, snap.Macros[1], len(l.ix.nodes)+len(news))
	if !ok {
		return nil, "manifest.json's maps are not where the snapshot says"
	}
	// a model added could be one of them; a test made again could have been
	// one (its YAML disabled it), or be one
	// (a source table removed may have disabled tests, which go with it)
	// (a model, snapshot or singular test added has no disabled node's
	// name or id: addModels)
	tests := slices.ContainsFunc(gone, func(g goneModel) bool { return g.test || g.source }) ||
		slices.ContainsFunc(news, func(m *newModel) bool { return m.test })
	if tests && bytes.Contains(tail.disabled, []byte(`"test.`)) {
		return nil, "the project has disabled tests"
	}
	// a unit test inserted or cut may be one the disabled object lists
	// (its YAML disabled it, or another file's: found by review)
	units := slices.ContainsFunc(news, func(m *newModel) bool { return m.n.ResourceType == TypeUnitTest }) ||
		slices.ContainsFunc(gone, func(g goneModel) bool { return g.n.ResourceType == TypeUnitTest })
	if units && bytes.Contains(tail.disabled, []byte(`"unit_test.`)) {
		return nil, "the project has disabled unit tests"
	}
	var keys, skeys, ukeys []mapEntry // of nodes, of sources, of unit tests
	if inserts(news, gone, inNodes) {
		if keys, ok = snap.nodeKeys(l.ix, read, inNodes); !ok {
			return nil, "manifest.json's nodes are not where the snapshot says"
		}
	}
	if inserts(news, gone, inSources) {
		if skeys, ok = snap.nodeKeys(l.ix, read, inSources); !ok {
			return nil, "manifest.json's sources are not where the snapshot says"
		}
	}
	if inserts(news, gone, inUnitTests) {
		if ukeys, ok = snap.nodeKeys(l.ix, read, inUnitTests); !ok {
			return nil, "manifest.json's unit tests are not where the snapshot says"
		}
	}
	// the gone entries are cut out with a comma next to them; the new ones
	// go next to the entries that stay
	goneIDs := map[string]bool{}
	for _, g := range gone {
		if !g.replaced {
			goneIDs[g.n.UniqueID] = true
		}
	}
	var firstStay [5]int // of keys, parents, children, skeys, ukeys (cutEntry)
	for l, list := range [][]mapEntry{keys, tail.parents, tail.children, skeys, ukeys} {
		firstStay[l] = firstStaying(list, goneIDs)
	}
	if len(keys) > 0 && firstStay[0] == len(keys) {
		return nil, "every node of manifest.json's nodes is removed or made again" // no entry to cut next to
	}
	// (every source table or unit test cut leaves its object empty: the
	// first cut takes no comma, the others the one before them, and what
	// is inserted goes after its brace)
	var splices []fileSplice
	kids := map[string][]string{} // by parent: its children added
	lost := map[string][]string{} // and gone
	moved := map[string]*newModel{}
	for _, m := range news {
		if m.moved {
			moved[m.n.UniqueID] = m
		}
	}
	carried := map[string][]string{} // a moved model's children that stay
	refsNow := map[string][]string{} // the reshaped nodes' parents now
	for _, j := range reshaped {
		refsNow[j.pn.ID] = j.out.DependsOn.Nodes
	}
	for _, g := range gone {
		if g.replaced {
			continue
		}
		id := g.n.UniqueID
		for l, list := range [][]mapEntry{keys, tail.parents, tail.children} {
			if l == 0 && g.source { // out of sources
				l, list = 3, skeys
			}
			if l == 0 && g.n.ResourceType == TypeUnitTest { // out of unit tests
				l, list = 4, ukeys
			}
			sp, ok := cutEntry(list, id, firstStay[l])
			if !ok {
				return nil, "manifest.json's entries of " + id + " are not where the snapshot says"
			}
			splices = append(splices, sp)
		}
		// nothing depends on it but what goes with it (its tests)
		k, _ := findEntry(tail.children, id) // there: cut above
		var kids []string
		if e := tail.children[k]; json.Unmarshal(b[e.from-snap.Macros[1]:e.to-snap.Macros[1]], &kids) != nil {
			return nil, "manifest.json's child_map is not as written"
		}
		for _, kid := range kids {
			if goneIDs[kid] {
				continue
			}
			if now, ok := refsNow[kid]; ok && !slices.Contains(now, id) {
				continue // it depends on it no more (reshapeSplices)
			}
			if m := moved[id]; g.test || m == nil || !m.sameFace {
				return nil, g.n.UniqueID + " is gone and nodes depend on it"
			}
			carried[id] = append(carried[id], kid)
		}
		for _, p := range g.n.DependsOn.Nodes {
			lost[p] = append(lost[p], id)
		}
	}
	staying := func(list []mapEntry) []mapEntry {
		if len(gone) == 0 {
			return list
		}
		out := make([]mapEntry, 0, len(list))
		for _, e := range list {
			if !goneIDs[e.id] {
				out = append(out, e)
			}
		}
		return out
	}
	nodeKeys, parentKeys, childKeys, sourceKeys, unitKeys := staying(keys), staying(tail.parents), staying(tail.children), staying(skeys), staying(ukeys)
	if inserts(news, nil, inNodes) && len(nodeKeys) == 0 {
		return nil, "manifest.json has no other node"
	}
	// where the sources and unit_tests objects open, for entries inserted
	// into one left empty
	// (skeys are read when a source table is inserted; ukeys may not be)
	var sourcesOpen, unitsOpen int64
	intoSources := inserts(news, nil, inSources) && len(sourceKeys) == 0
	if intoSources || inserts(news, nil, inUnitTests) && len(unitKeys) == 0 {
		if ukeys == nil {
			if ukeys, ok = snap.nodeKeys(l.ix, read, inUnitTests); !ok {
				return nil, "manifest.json's unit tests are not where the snapshot says"
			}
		}
		if sourcesOpen, unitsOpen, ok = snap.objectOpens(read, skeys, ukeys, intoSources); !ok {
			return nil, "manifest.json's sources and unit tests are not where the snapshot says"
		}
	}
	// the new nodes' children: new too (a model's tests, added with it)
	newIDs := map[string]bool{}
	for _, m := range news {
		if m.replace == nil {
			newIDs[m.n.UniqueID] = true
		}
		for _, p := range m.n.DependsOn.Nodes {
			if m.replace == nil {
				kids[p] = append(kids[p], m.n.UniqueID)
			}
		}
	}
	// the reshaped models' new parents first: one may be a node inserted
	// here (a source table added), its children with it
	sp, why := reshapeSplices(reshaped, news, l.ix, tail, b, snap.Macros[1], kids, lost)
	if why != "" {
		return nil, why
	}
	splices = append(splices, sp...)
	var ins inserter
	for _, m := range news {
		id := m.n.UniqueID
		if m.replace != nil { // a test made again with its id: same parents, no children
			splices = append(splices, fileSplice{m.replace[0], m.replace[1], m.frag, nil})
			continue
		}
		if m.source {
			ins.add(sourceKeys, sourcesOpen, id, m.frag, &m.at)
		} else if m.n.ResourceType == TypeUnitTest {
			ins.add(unitKeys, unitsOpen, id, m.frag, &m.at)
		} else {
			ins.add(nodeKeys, 0, id, m.frag, &m.at)
		}
		ins.add(parentKeys, tail.parentsAt, id, appendStrings(nil, m.n.DependsOn.Nodes), nil)
		own := append(append([]string{}, kids[id]...), carried[id]...)
		slices.Sort(own)
		ins.add(childKeys, tail.childrenAt, id, appendStrings(nil, own), nil)
	}
	splices = append(splices, ins.splices()...)
	if why := movedCycles(moved, gone, news, refsNow, l.ix); why != "" {
		return nil, why
	}
	parents := map[string]bool{}
	for p := range kids {
		parents[p] = true
	}
	for p := range lost {
		parents[p] = true
	}
	for _, p := range sortedKeys(parents) {
		if goneIDs[p] || newIDs[p] {
			continue // its entry is cut, or inserted with its children
		}
		i, ok := findEntry(tail.children, p)
		if !ok {
			return nil, "manifest.json's child_map lacks " + p
		}
		e := tail.children[i]
		list, ok := childList(b[e.from-snap.Macros[1]:e.to-snap.Macros[1]], kids[p], lost[p])
		if !ok {
			return nil, "manifest.json's child_map is not as written"
		}
		splices = append(splices, fileSplice{e.from, e.to, list, nil})
	}
	return splices, ""
}

// movedCycles says why a model made again (moved) closes a cycle ("" when
// none does): a parent it did not have before that depends on it, through
// the index's nodes, the reshaped ones' new parents (refsNow) and the new
// nodes' (a model a whole compile would report: its children stay).
func movedCycles(moved map[string]*newModel, gone []goneModel, news []*newModel, refsNow map[string][]string, ix *nodeIndex) string {
	if len(moved) == 0 {
		return ""
	}
	now := make(map[string][]string, len(refsNow)+len(news))
	for id, p := range refsNow {
		now[id] = p
	}
	for _, m := range news {
		if m.replace == nil {
			now[m.n.UniqueID] = m.n.DependsOn.Nodes
		}
	}
	parents := parentsOf(now, ix)
	for _, g := range gone {
		m := moved[g.n.UniqueID]
		if g.test || m == nil {
			continue
		}
		for _, p := range m.n.DependsOn.Nodes {
			if !slices.Contains(g.n.DependsOn.Nodes, p) && dependsOn(p, g.n.UniqueID, parents) {
				return g.n.UniqueID + " now refs " + p + ", which depends on it: a cycle"
			}
		}
	}
	return ""
}

// inserts says the new nodes or the gone ones change the keys of
// manifest.json's nodes object, or its sources object (not only values
// replaced where they are).
func inserts(news []*newModel, gone []goneModel, obj int) bool {
	for _, m := range news {
		if m.replace == nil && objectOf(m.n.ResourceType) == obj {
			return true
		}
	}
	for _, g := range gone {
		if !g.replaced && objectOf(g.n.ResourceType) == obj {
			return true
		}
	}
	return false
}

// The objects of manifest.json that hold nodes.
const (
	inNodes = iota
	inSources
	inUnitTests
)

// objectOf is the object of manifest.json that holds nodes of a type.
func objectOf(typ string) int {
	switch typ {
	case TypeSource:
		return inSources
	case TypeUnitTest:
		return inUnitTests
	}
	return inNodes
}

// cutEntry is the splice that cuts id's entry out of an object of sorted
// entries, with the comma before it. firstStay is where the first entry
// the patch keeps is (len(list): none): the entries before it are all cut,
// the first with no comma before it, and the last of them with the comma
// after it too, so that the cuts of neighbours never overlap.
func cutEntry(list []mapEntry, id string, firstStay int) (fileSplice, bool) {
	k, found := findEntry(list, id)
	if !found {
		return fileSplice{}, false
	}
	from, to := list[k].key-1, list[k].to
	if k < firstStay { // of the leading run of cut entries
		if k == 0 {
			from = list[k].key
		}
		if k == firstStay-1 && firstStay < len(list) {
			to = list[firstStay].key
		}
	}
	return fileSplice{from, to, nil, nil}, true
}

// firstStaying is where the first entry of list that is not gone is
// (len(list): none).
func firstStaying(list []mapEntry, gone map[string]bool) int {
	for i, e := range list {
		if !gone[e.id] {
			return i
		}
	}
	return len(list)
}

// findEntry is where id's entry is in a list sorted by id, and whether
// it is there.
func findEntry(list []mapEntry, id string) (int, bool) {
	k := sort.Search(len(list), func(i int) bool { return list[i].id >= id })
	return k, k < len(list) && list[k].id == id
}

// editModels makes the snapshot what the patch left, once manifest.json's
// entries moved (the added ones' places are set): the gone models leave
// its files, patchable nodes (the others renumbered), relations and node
// index (IndexDrops); the added ones join them, with their macro calls and
// vars read, after the index's nodes (IndexAdds). It returns the env vars
// the added ones read.
// The disabled models' files added and removed (patchdisabled.go) are in
// disabledNews and goneDisabled (places in DisabledModels).
func (snap *patchSnapshot) editModels(news []*newModel, gone []goneModel, c *compilation, newProps []addedFile, propsFiles []fileStat, goneProps []string,
	disabledNews []*disabledNew, goneDisabled []int) []string {
	counts := make(map[string]int, len(snap.Counts))
	for k, v := range snap.Counts {
		counts[k] = v
	}
	removedFiles := map[string]bool{}
	for _, path := range goneProps {
		removedFiles[path] = true
	}
	for _, di := range goneDisabled {
		removedFiles[snap.DisabledModels[di].Path] = true
	}
	if len(gone) > 0 {
		drop := map[int]bool{}
		for _, g := range gone {
			snap.IndexDrops = append(snap.IndexDrops, g.pos)
			counts[g.n.ResourceType]--
			snap.Selected--
			if g.test || g.source {
				continue
			}
			drop[g.ni] = true
			removedFiles[snap.Nodes[g.ni].Path] = true
			if g.builds {
				if i, found := slices.BinarySearch(snap.Relations, g.rel); found {
					snap.Relations = slices.Delete(snap.Relations, i, i+1)
				}
			}
		}
		snap.dropNodes(drop)
	}
	snap.ephemeralsMade(news, gone)
	fileOf, _ := c.macroPlaces()
	var env []string
	for _, m := range news {
		if m.builds {
			i, _ := slices.BinarySearch(snap.Relations, m.rel)
			snap.Relations = slices.Insert(snap.Relations, i, m.rel)
		}
		if m.test || m.source || m.seed {
			counts[m.n.ResourceType]++
			snap.Selected++
			snap.indexAdd(m)
			continue
		}
		ni := len(snap.Nodes)
		snap.Nodes = append(snap.Nodes, patchNode{ID: m.n.UniqueID, Path: m.n.Path, From: m.at[0], To: m.at[1], capture: m.pc})
		snap.readsVars(ni, useKeys(m.vars, m.env, m.flags))
		snap.joinEphUsers(ni, m.ephs)
		for _, name := range m.macros {
			file, ok := fileOf[name]
			if !ok {
				continue
			}
			if mf := snap.MacroFiles[file]; mf.Blocked == "" {
				use := mf.Macros[name]
				use.Callers = append(use.Callers, ni)
				mf.Macros[name] = use
			}
		}
		env = append(env, m.env...)
		counts[m.n.ResourceType]++
		snap.Selected++
		snap.indexAdd(m)
	}
	snap.Counts = counts
	// the files: the gone ones out, each added one after its directory's
	// file it was found beside, in path order (the files stay in runs of
	// one directory: dirRuns)
	after := map[int][]fileStat{}
	for _, m := range news {
		if !m.test && !m.source {
			after[m.like] = append(after[m.like], m.file)
		}
	}
	for i, a := range newProps {
		after[a.like] = append(after[a.like], propsFiles[i])
	}
	for _, dn := range disabledNews {
		after[dn.like] = append(after[dn.like], dn.file)
	}
	files := make([]fileStat, 0, len(snap.Files)+len(news))
	for i, f := range snap.Files {
		if !removedFiles[f.Path] {
			files = append(files, f)
		}
		add := after[i]
		sort.Slice(add, func(a, b int) bool { return add[a].Path < add[b].Path })
		files = append(files, add...)
	}
	// the files of a root that had none (like < 0): last, in path order,
	// a run of their directory's each
	var rootFiles []fileStat
	for like, add := range after {
		if like < 0 {
			rootFiles = append(rootFiles, add...)
		}
	}
	sort.Slice(rootFiles, func(a, b int) bool { return rootFiles[a].Path < rootFiles[b].Path })
	snap.Files = append(files, rootFiles...)
	return env
}

// indexAdd makes a node a patch added join the node index after its
// nodes, as builds from the snapshot select and load them.
func (snap *patchSnapshot) indexAdd(m *newModel) {
	snap.IndexAdds = append(snap.IndexAdds, indexAddOf(m.n, m.targets))
	snap.Entries = append(snap.Entries, m.at)
}

// indexAddOf is a node as the node index keeps one a patch added (targets:
// an ephemeral model's render targets, encodeIndex).
func indexAddOf(n *Node, targets []string) indexAdd {
	detail, flags, group, access := indexDetail(n, targets)
	return indexAdd{ID: n.UniqueID, Name: n.Name, Type: n.ResourceType, Path: n.Path, Package: n.Package, FQN: n.FQN,
		SourceName: n.SourceName, TestType: n.TestType,
		Tags: n.Tags, DependsOn: n.DependsOn.Nodes, Group: group, Access: access, Flags: flags, Detail: detail}
}

// dropNodes takes the dropped nodes out of Nodes and renumbers the others
// where the snapshot names them by index.
func (snap *patchSnapshot) dropNodes(drop map[int]bool) {
	to := make([]int, len(snap.Nodes)) // new index, -1 for a dropped node
	kept := snap.Nodes[:0]
	for i, n := range snap.Nodes {
		if drop[i] {
			to[i] = -1
			continue
		}
		to[i] = len(kept)
		kept = append(kept, n)
	}
	snap.Nodes = kept
	renumber := func(xs []int) []int {
		out := xs[:0]
		for _, x := range xs {
			if x >= 0 && x < len(to) && to[x] >= 0 {
				out = append(out, to[x])
			}
		}
		return out
	}
	for _, mf := range snap.MacroFiles {
		for name, use := range mf.Macros {
			use.Callers = renumber(use.Callers)
			mf.Macros[name] = use
		}
	}
	for name, use := range snap.VarUse {
		use.Callers = renumber(use.Callers)
		snap.VarUse[name] = use
	}
	snap.EveryTime = renumber(snap.EveryTime)
	snap.Warehouse = renumber(snap.Warehouse)
	for id, users := range snap.EphUsers {
		snap.EphUsers[id] = renumber(users)
	}
}
