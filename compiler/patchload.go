package compiler

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mart-dev/mart/compiler/selector"
	"github.com/mart-dev/mart/internal/phase"
	"gopkg.in/yaml.v3"
)

// Building a selection from the patch snapshot: a `mart build --select m`
// (run, test, seed, snapshot) on a large project needs the whole graph to
// select and order, but the full nodes of only a few. After patching
// target/ (CompileByPatch: manifest.json and the compiled files are then
// what a compile of the project writes), the build reads the snapshot's
// node index instead of compiling: what selection reads of every node
// (selector.Node, but the config), and what a node loaded from its
// manifest.json entry needs besides (its config with Go types when JSON
// cannot carry it, where YAML declares it, its columns' order, an
// ephemeral model's render targets); and the names ref() and source()
// find. It selects over that, decodes from manifest.json the entries of
// the nodes the run needs (the selected ones, their parents, and the
// nodes between two selected ones), and renders at run time with the
// project's macros and the relations ref() names, each decoded when a
// render first asks for it.
//
// The index is written with a snapshot by a whole compile (it never
// changes in a patch: a patch keeps every render's config, refs and
// sources), in the blobs file; where each node's entry is in manifest.json
// is in the snapshot, moved by each patch's splices.
//
// What it cannot do exactly, it does not do: CanSelect, SelectorGraph and
// Result say why, and the run compiles the whole project as before (and
// adopts the patch: Adopt): a selector reading config (config.x:y), a
// needed node whose config or unit test rows have a type the index cannot
// carry, a node rendered at run time, a template that may read `graph`. TestBuildFromPatchMatchesWholeCompile (e2e) and
// TestPatchLoadNodesAsCompiled hold it to the whole compile's runs.

// blobRef is where a blob is in the blobs file.
type blobRef struct {
	Off, Len int64
	Crc      uint32
}

// index flags
const (
	ixDisabled  = 1 << iota
	ixRerender  // rendered from a template of its own (Node.rerender)
	ixTyped     // its config is kept with its Go types
	ixGroup     // Config["group"] is a string (selector: group:)
	ixAccess    // Config["access"] is a string (selector: access:)
	ixInYAML    // a snapshot declared in YAML (its compiled file is beside it)
	ixEphemeral // an ephemeral model: its details end with its render targets
	ixExact     // its config is manifest.json's (jsonExact)
)

// nodeIndex is the decoded index. Its selection part (what selection and
// the walk to the needed nodes read) is decoded whole; the rest of a
// node (its typed config, where YAML declares it, its columns' order) only
// when the node is loaded (detail).
type nodeIndex struct {
	nodes    []indexNode
	pos      map[string]int // by unique id
	byName   map[string]int
	versions map[string]map[string]int
	sources  map[string]int
	details  []byte // the nodes' details, at indexNode.detail
	// base is how many nodes the index blob holds; the others are the
	// snapshot's IndexAdds, their details in added
	base  int
	added [][]byte
}

// indexAdd is a node a patch added (patchadd.go), as the index keeps it.
type indexAdd struct {
	ID, Name, Type, Path, Package string
	SourceName, TestType          string // what source: and test_type: select
	FQN, Tags, DependsOn          []string
	Group, Access                 string
	Flags                         byte
	Detail                        []byte
}

// edit appends the nodes patches added to a decoded index, and marks
// those they removed gone (drops: their places, among the index's nodes
// and the added ones).
func (ix *nodeIndex) edit(adds []indexAdd, drops []int, deps map[int][]string) error {
	ix.base = len(ix.nodes)
	dropped := make(map[int]bool, len(drops))
	for _, p := range drops {
		if p < 0 || p >= ix.base+len(adds) {
			return fmt.Errorf("a removed node's place is damaged")
		}
		dropped[p] = true
	}
	for _, a := range adds {
		if q, dup := ix.pos[a.ID]; dup && !dropped[q] {
			return fmt.Errorf("%s is in the index twice", a.ID)
		}
		n := indexNode{sel: selector.Node{UniqueID: a.ID, Name: a.Name, ResourceType: a.Type, Path: a.Path, Package: a.Package,
			SourceName: a.SourceName, TestType: a.TestType, FQN: a.FQN, Tags: a.Tags, DependsOn: a.DependsOn}, flags: a.Flags, detail: len(ix.added)}
		if a.Flags&(ixGroup|ixAccess) != 0 {
			n.sel.Config = map[string]any{}
			if a.Flags&ixGroup != 0 {
				n.sel.Config["group"] = a.Group
			}
			if a.Flags&ixAccess != 0 {
				n.sel.Config["access"] = a.Access
			}
		}
		ix.pos[a.ID] = len(ix.nodes)
		if a.Type == TypeModel || a.Type == TypeSeed || a.Type == TypeSnapshot { // what ref() finds
			ix.byName[a.Name] = len(ix.nodes)
		}
		if k, ok := sourceKey(a.Type, a.FQN, a.Name); ok { // and source()
			ix.sources[k] = len(ix.nodes)
		}
		ix.nodes = append(ix.nodes, n)
		ix.added = append(ix.added, a.Detail)
	}
	for p, d := range deps {
		if p < 0 || p >= len(ix.nodes) {
			return fmt.Errorf("a changed node's place is damaged")
		}
		ix.nodes[p].sel.DependsOn = d
	}
	for p := range dropped {
		n := &ix.nodes[p]
		n.gone = true
		if ix.pos[n.sel.UniqueID] == p {
			delete(ix.pos, n.sel.UniqueID)
		}
		if i, ok := ix.byName[n.sel.Name]; ok && i == p {
			delete(ix.byName, n.sel.Name)
		}
		if k, ok := sourceKey(n.sel.ResourceType, n.sel.FQN, n.sel.Name); ok && ix.sources[k] == p {
			delete(ix.sources, k)
		}
	}
	return nil
}

// sourceKey is the "source.table" a source node's FQN (package, source,
// table) names it by.
func sourceKey(typ string, fqn []string, name string) (string, bool) {
	if typ != TypeSource || len(fqn) < 2 {
		return "", false
	}
	return fqn[len(fqn)-2] + "." + name, true
}

type indexNode struct {
	sel    selector.Node
	flags  byte
	detail int  // where its details start in nodeIndex.details
	gone   bool // its file was removed (patchHead.IndexDrops)
}

// nodeDetail is what loading a node takes from the index besides its
// manifest.json entry.
type nodeDetail struct {
	config   []byte // typedJSON of its config (ixTyped)
	yamlFile string // Node.Declared
	yamlLine int
	colPos   map[string]int // each column's place in YAML (Column.pos)
	targets  []string       // an ephemeral model's render targets (renderState.targets)
	rows     []byte         // a unit test's rows, typed (unitRows); nil when they cannot be
}

// The index: a table of the strings nodes share; each node: its id and
// name written out, its other strings as indexes into the table (or "its
// name"), its parents as node indexes + 1 (or 0 and a string for a parent
// outside the manifest), its flags and where its details are; the names
// ref() and source() resolve, as node indexes; then the details.
// 30,000 nodes take about 3 MB, decoded in a few ms.

// stringTable numbers the distinct strings of an index.
type stringTable struct {
	ids  map[string]int
	list []string
}

func (t *stringTable) id(s string) uint64 {
	if i, ok := t.ids[s]; ok {
		return uint64(i)
	}
	t.ids[s] = len(t.list)
	t.list = append(t.list, s)
	return uint64(len(t.list) - 1)
}

// encodeIndex makes the index of a compile's manifest and scope; ok is
// false when a name the scope resolves is not a node of the manifest.
func encodeIndex(m *Manifest, s *scope) ([][]byte, bool) {
	// an ephemeral model's render targets: a run that renders a model
	// again inlines it and the ephemeral models it refs, in that order
	// (scope.ephemeralCTEs)
	targets := func(n *Node) []string {
		if s.stateOf == nil || n.ResourceType != TypeModel || n.Materialized() != "ephemeral" || !n.Enabled() {
			return nil
		}
		if st := s.stateOf(n.UniqueID); st != nil {
			return st.targets
		}
		return nil
	}
	all := m.AllIDs()
	pos := make(map[string]int, len(all))
	for i, id := range all {
		pos[id] = i
	}
	// the details, in parallel (a config's typed JSON is most of the work),
	// with what the nodes' list needs of each node's config and its
	// dependencies' indexes (reading 30,000 configs is cache misses:
	// once, on every core)
	details := make([][]byte, len(all))
	deps := make([][]byte, len(all)) // uvarint count, then index+1 each; nil: one is no node
	flags := make([]byte, len(all))
	groups, accesses := make([]string, len(all)), make([]string, len(all))
	nodesOf := make([]*Node, len(all))
	parallel(len(all), func(i int) {
		n := m.Node(all[i])
		nodesOf[i] = n
		b, f, group, access := indexDetail(n, targets(n))
		groups[i], accesses[i] = group, access
		details[i], flags[i] = b, f
		split := len(b)
		b = binary.AppendUvarint(b, uint64(len(n.DependsOn.Nodes)))
		for _, d := range n.DependsOn.Nodes {
			j, ok := pos[d]
			if !ok {
				return // the nodes' list encodes these with the string table
			}
			b = binary.AppendUvarint(b, uint64(j+1))
		}
		deps[i] = b[split:]
	})
	st := &stringTable{ids: make(map[string]int, len(all)/2), list: make([]string, 0, len(all)/2)}
	// most fields of a node are the previous node's (its type, package,
	// its FQN's first parts): those are numbered without a map lookup
	var last [11 + 8]struct {
		s   string
		id  uint64
		set bool
	}
	id := func(slot int, s string) uint64 {
		l := &last[slot]
		if !l.set || l.s != s {
			l.s, l.id, l.set = s, st.id(s), true
		}
		return l.id
	}
	nodes := make([]byte, 0, 100*len(all)) // 80-90 bytes a node on the bench project
	detailAt := 0
	for i := range all {
		n := nodesOf[i]
		// a node's id and name are its own: written out, not numbered
		// (numbering 60,000 strings no other node shares was half the
		// table's map); an FQN's last part is usually the name
		nodes = appendStr(append(nodes, ixInline), n.UniqueID)
		nodes = appendStr(append(nodes, ixInline), n.Name)
		for slot, s := range [9]string{n.ResourceType, n.Path, n.Package, n.SourceName, n.TestType,
			n.Version, n.LatestVersion, groups[i], accesses[i]} {
			nodes = binary.AppendUvarint(nodes, ixTable+id(2+slot, s))
		}
		for k, l := range [2][]string{n.FQN, n.Tags} {
			nodes = binary.AppendUvarint(nodes, uint64(len(l)))
			for j, s := range l {
				if s == n.Name {
					nodes = append(nodes, ixName)
				} else {
					nodes = binary.AppendUvarint(nodes, ixTable+id(11+4*k+min(j, 3), s))
				}
			}
		}
		if deps[i] != nil {
			nodes = append(nodes, deps[i]...)
		} else {
			nodes = binary.AppendUvarint(nodes, uint64(len(n.DependsOn.Nodes)))
			for _, d := range n.DependsOn.Nodes {
				if j, ok := pos[d]; ok {
					nodes = binary.AppendUvarint(nodes, uint64(j+1))
				} else {
					nodes = binary.AppendUvarint(nodes, 0)
					nodes = binary.AppendUvarint(nodes, ixTable+st.id(d))
				}
			}
		}
		nodes = append(nodes, flags[i])
		nodes = binary.AppendUvarint(nodes, uint64(detailAt))
		detailAt += len(details[i])
	}
	size := 64
	for _, s := range st.list {
		size += len(s) + 2
	}
	for name := range s.byName { // the names ref() finds, each with an index
		size += len(name) + 8
	}
	for name, vs := range s.versions {
		size += len(name) + 8 + 16*len(vs)
	}
	for k := range s.sources {
		size += len(k) + 8
	}
	// the index is written as it is made, in pieces (the table, the
	// nodes, the names, each node's details): no copy of them all
	b := make([]byte, 0, size)
	b = binary.AppendUvarint(b, uint64(len(st.list)))
	for _, s := range st.list {
		b = appendStr(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(all)))
	pieces := make([][]byte, 0, len(all)+3)
	pieces = append(pieces, b, nodes)
	b = b[len(b):] // the names follow in the rest of b's room (size counts them)
	ok := true
	at := func(n *Node) uint64 {
		i, found := pos[n.UniqueID]
		if !found || nodesOf[i] != n {
			ok = false
		}
		return uint64(i)
	}
	names := sortedKeys(s.byName)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, name := range names {
		b = appendStr(b, name)
		b = binary.AppendUvarint(b, at(s.byName[name]))
	}
	vnames := sortedKeys(s.versions)
	b = binary.AppendUvarint(b, uint64(len(vnames)))
	for _, name := range vnames {
		vs := s.versions[name]
		b = appendStr(b, name)
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range sortedKeys(vs) {
			b = appendStr(b, v)
			b = binary.AppendUvarint(b, at(vs[v]))
		}
	}
	keys := sortedKeys(s.sources)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendStr(b, k)
		b = binary.AppendUvarint(b, at(s.sources[k]))
	}
	b = binary.AppendUvarint(b, uint64(detailAt))
	pieces = append(pieces, b)
	for _, d := range details {
		if len(d) > 0 {
			pieces = append(pieces, d)
		}
	}
	return pieces, ok
}

// indexDetail is what the index keeps of a node besides its selection
// fields: its details (indexNode.detail), flags, and its group and access
// when they are strings. targets are an ephemeral model's render targets.
func indexDetail(n *Node, targets []string) (b []byte, f byte, group, access string) {
	if !n.Enabled() {
		f |= ixDisabled
	}
	if n.rerender {
		f |= ixRerender
	}
	if n.relationAt[0] > 0 {
		f |= ixInYAML
	}
	if g, ok := n.Config["group"].(string); ok {
		f |= ixGroup
		group = g
	}
	if a, ok := n.Config["access"].(string); ok {
		f |= ixAccess
		access = a
	}
	// a config manifest.json holds exactly (strings, bools, ints,
	// lists and maps of them: the usual) is read from there; another
	// is kept here with its Go types
	var conf []byte
	if jsonExact(map[string]any(n.Config)) {
		f |= ixExact
	} else if c, typed := typedJSON(nil, map[string]any(n.Config)); typed {
		f |= ixTyped
		conf = c
	}
	b = appendStr(make([]byte, 0, 64+len(conf)+4*len(n.DependsOn.Nodes)), string(conf))
	b = appendStr(b, n.yamlFile) // Declared: where a failing test points
	b = binary.AppendUvarint(b, uint64(max(n.yamlLine, 0)))
	// the columns' order in YAML (a contract's), which manifest.json's
	// object of columns does not keep
	b = binary.AppendUvarint(b, uint64(len(n.Columns)))
	if len(n.Columns) > 0 {
		for _, name := range sortedKeys(n.Columns) {
			b = appendStr(b, name)
			b = binary.AppendUvarint(b, uint64(max(n.Columns[name].pos, 0)))
		}
	}
	if t := targets; t != nil {
		f |= ixEphemeral
		b = binary.AppendUvarint(b, uint64(len(t)))
		for _, k := range t {
			b = appendStr(b, k)
		}
	}
	if n.ResourceType == TypeUnitTest { // its rows, with their Go types (dates, floats)
		if rows, ok := typedJSON(nil, unitRows(n.UnitTest)); ok {
			b = append(b, 1)
			b = appendStr(b, string(rows))
		} else {
			b = append(b, 0)
		}
	}
	return b, f, group, access
}

// A node's strings in the index: ixInline and the string, ixName (its
// name again, in its FQN or tags), or ixTable plus its number in the
// table of strings.
const (
	ixInline = 0
	ixName   = 1
	ixTable  = 2
)

// decodeIndex reads an index; its strings are b's bytes.
func decodeIndex(b []byte) (*nodeIndex, error) {
	r := &snapReader{b: b}
	strs := make([]string, r.count())
	for i := range strs {
		strs[i] = r.str()
	}
	var name string // the node's being read (ixName)
	str := func() string {
		switch i := r.uvarint(); {
		case i == ixInline:
			return r.str()
		case i == ixName:
			return name
		case i-ixTable < uint64(len(strs)):
			return strs[i-ixTable]
		}
		r.err = errSnapShort
		return ""
	}
	ix := &nodeIndex{nodes: make([]indexNode, r.count())}
	ix.pos = make(map[string]int, len(ix.nodes))
	node := func() int {
		j := r.uvarint()
		if j >= uint64(len(ix.nodes)) {
			r.err = errSnapShort
			return 0
		}
		return int(j)
	}
	list := func() []string {
		n := r.count()
		if n == 0 {
			return nil
		}
		out := make([]string, n)
		for i := range out {
			out[i] = str()
		}
		return out
	}
	for i := range ix.nodes {
		n := &ix.nodes[i]
		name = "" // the id is never ixName
		id := str()
		name = str()
		n.sel = selector.Node{UniqueID: id, Name: name, ResourceType: str(), Path: str(), Package: str(),
			SourceName: str(), TestType: str(), Version: str(), LatestVersion: str()}
		group, access := str(), str()
		n.sel.FQN, n.sel.Tags = list(), list()
		if nd := r.count(); nd > 0 {
			n.sel.DependsOn = make([]string, nd)
			for k := range n.sel.DependsOn {
				if j := r.uvarint(); j > 0 {
					n.sel.DependsOn[k] = "\x00" + strconv.FormatUint(j-1, 10) // resolved below
				} else {
					n.sel.DependsOn[k] = str()
				}
			}
		}
		if f := r.bytes(1); len(f) == 1 {
			n.flags = f[0]
		}
		n.detail = int(r.uvarint())
		n.sel.Disabled = n.flags&ixDisabled != 0
		if n.flags&(ixGroup|ixAccess) != 0 {
			n.sel.Config = map[string]any{}
			if n.flags&ixGroup != 0 {
				n.sel.Config["group"] = group
			}
			if n.flags&ixAccess != 0 {
				n.sel.Config["access"] = access
			}
		}
		ix.pos[n.sel.UniqueID] = i
	}
	if r.err != nil {
		return nil, r.err
	}
	for i := range ix.nodes {
		for k, d := range ix.nodes[i].sel.DependsOn {
			if strings.HasPrefix(d, "\x00") {
				j, err := strconv.Atoi(d[1:])
				if err != nil || j >= len(ix.nodes) {
					return nil, errSnapShort
				}
				ix.nodes[i].sel.DependsOn[k] = ix.nodes[j].sel.UniqueID
			}
		}
	}
	nb := r.count()
	ix.byName = make(map[string]int, nb)
	for range nb {
		name := r.str()
		ix.byName[name] = node()
	}
	nv := r.count()
	ix.versions = make(map[string]map[string]int, nv)
	for range nv {
		name := r.str()
		vs := make(map[string]int)
		for range r.count() {
			v := r.str()
			vs[v] = node()
		}
		ix.versions[name] = vs
	}
	ns := r.count()
	ix.sources = make(map[string]int, ns)
	for range ns {
		k := r.str()
		ix.sources[k] = node()
	}
	ix.details = r.bytes(r.uvarint())
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("trailing bytes")
	}
	return ix, r.err
}

// detail decodes node i's details.
func (ix *nodeIndex) detail(i int) (nodeDetail, error) {
	at := ix.nodes[i].detail
	details := ix.details
	if i >= ix.base && ix.added != nil {
		details = ix.added[at]
		at = 0
	}
	if at < 0 || at > len(details) {
		return nodeDetail{}, errSnapShort
	}
	r := &snapReader{b: details[at:]}
	var d nodeDetail
	if c := r.str(); c != "" {
		d.config = []byte(c)
	}
	d.yamlFile, d.yamlLine = r.str(), int(r.uvarint())
	if nc := r.count(); nc > 0 {
		d.colPos = make(map[string]int, nc)
		for range nc {
			c := r.str()
			d.colPos[c] = int(r.uvarint())
		}
	}
	if ix.nodes[i].flags&ixEphemeral != 0 {
		d.targets = make([]string, r.count())
		for k := range d.targets {
			d.targets[k] = r.str()
		}
	}
	if ix.nodes[i].sel.ResourceType == TypeUnitTest {
		if typed := r.bytes(1); len(typed) == 1 && typed[0] == 1 {
			d.rows = []byte(r.str())
		}
	}
	return d, r.err
}

// readIndex reads the snapshot's index from the blobs file (mapped: its
// strings stay valid, the file is only ever appended to or replaced).
func readIndex(file string, snap *patchSnapshot) (*nodeIndex, error) {
	if snap.Index.Len == 0 {
		return nil, fmt.Errorf("the snapshot has no node index")
	}
	data, _, err := mapFile(blobsFile(file))
	if err != nil {
		return nil, err
	}
	id := snap.BlobsID + "\n"
	ref := snap.Index
	if snap.BlobsID == "" || len(data) < len(id) || string(data[:len(id)]) != id {
		return nil, fmt.Errorf("the blobs file is not the snapshot's")
	}
	if ref.Off < int64(len(id)) || ref.Len < 0 || ref.Off+ref.Len > int64(len(data)) {
		return nil, fmt.Errorf("the node index's place is damaged")
	}
	b := data[ref.Off : ref.Off+ref.Len]
	if crc32.Checksum(b, crcTable) != ref.Crc {
		return nil, fmt.Errorf("the node index is damaged")
	}
	ix, err := decodeIndex(b)
	if err == nil {
		err = ix.edit(snap.IndexAdds, snap.IndexDrops, snap.IndexDeps)
	}
	if err != nil {
		return nil, fmt.Errorf("the node index is damaged: %v", err)
	}
	if len(ix.nodes) != len(snap.Entries) {
		return nil, fmt.Errorf("the node index does not match the snapshot")
	}
	return ix, nil
}

// patchLoad is what a patch keeps for building a selection (Patched).
type patchLoad struct {
	// kept: the properties files keptEntry parsed, by path (the patch's
	// texts of them: one parse for every entry a patch keeps)
	kept     map[string]keptEntries
	file     string // the snapshot
	manifest string // the project's manifest.json (target/'s, or keptManifest)
	snap     *patchSnapshot
	c        *compilation // its macros loaded
	meta     ManifestMetadata
	ix       *nodeIndex
	// goneDisabled: the ids of the disabled models whose files the edit
	// removed or makes again (takenNames, readByDisabled)
	goneDisabled map[string]bool
	// sources: the source tables a patch made again, added (their new
	// nodes) or removed (nil), by "source.table" (remakeSources)
	sources map[string]*Node
	// also are nodes ref() finds by name besides the index's: the models
	// a patch added so far (addModels, which runs before the models whose
	// refs changed render again: they may ref one), final and (early) as
	// they were before they rendered
	also, alsoEarly map[string]*Node
	// docsEdited: the patch's edit changed docs blocks (patchdocs.go);
	// docsLoaded: c.docs holds manifest.json's (loadDocs)
	docsEdited, docsLoaded bool
	// changedEph: the ephemeral models a patch renders again (their
	// users put the new SQL in front of theirs)
	changedEph map[string]bool
	// madeEph: the ephemeral models a patch made (added, moved or made
	// again), by id: their renders (resolveMade)
	madeEph map[string]*renderState
	// propTops: the properties files' top mappings a patch parsed, by
	// path (propsTopOf)
	propTops map[string]*yaml.Node
	// dangles: the entries that name no model once the models a patch
	// removes are gone (removeModels, danglingKept)
	dangles []dangleAt
	// disabledNews: the models of added files that are disabled
	// (addModels, patchdisabled.go): in manifest.json's disabled object
	disabledNews []*disabledNew
	// testsIn: the index's tests by the file that declares them and a
	// parent, for the index of testsInLen nodes (declaredTests)
	testsIn    map[[2]string][]int
	testsInLen int
}

// TargetDir is the target/ directory the patch snapshot serves.
func (p *Patched) TargetDir() string { return p.load.c.project.targetDir() }

// SelectorGraph returns the graph selection runs over, read from the
// snapshot's node index, or why there is none (PatchNote tells a damaged
// index, which it removes the snapshot of). Its nodes carry no
// config but group and access (WithConfigs gives them the rest), and
// nothing state: selectors compare (WithState gives it). A run with
// --defer loads from it too (patchdefer.go).
func (p *Patched) SelectorGraph() (*selector.Graph, string) {
	l := p.load
	if l == nil {
		return nil, "no node index"
	}
	if why := l.index(); why != "" { // a damaged one: the next compile writes anew
		return nil, why
	}
	ix := l.ix
	g := &selector.Graph{Nodes: make(map[string]*selector.Node, len(ix.nodes)), Order: make([]*selector.Node, 0, len(ix.nodes))}
	// in the index's order, each node's parents as places in it (found
	// by the index's map of ids): selection builds no map of its own
	place := make([]int32, len(ix.nodes))
	for i := range ix.nodes {
		place[i] = -1
		if !ix.nodes[i].gone {
			place[i] = int32(len(g.Order))
			g.Nodes[ix.nodes[i].sel.UniqueID] = &ix.nodes[i].sel
			g.Order = append(g.Order, &ix.nodes[i].sel)
		}
	}
	g.Parents = make([][]int32, len(g.Order))
	for i := range ix.nodes {
		if place[i] < 0 {
			continue
		}
		var ps []int32
		for _, d := range ix.nodes[i].sel.DependsOn {
			if j, ok := ix.pos[d]; ok && place[j] >= 0 && !slices.Contains(ps, place[j]) {
				ps = append(ps, place[j])
			}
		}
		g.Parents[place[i]] = ps
	}
	return g, ""
}

// Listed is the nodes of ids (from SelectorGraph) as `mart ls` writes their
// names, paths and selectors: their node index fields alone (id, name,
// type, path, fqn, source, package, version), none of manifest.json read.
// On the 10k bench project, listing every node so takes about a tenth of
// the whole compile it spares.
func (p *Patched) Listed(ids []string) []*Node {
	ix := p.load.ix
	out := make([]*Node, 0, len(ids))
	for _, id := range ids {
		i, ok := ix.pos[id]
		if !ok {
			continue
		}
		s := &ix.nodes[i].sel
		n := &Node{UniqueID: s.UniqueID, ResourceType: s.ResourceType, Name: s.Name, Package: s.Package, Path: s.Path, FQN: s.FQN}
		n.Version, n.SourceName = s.Version, s.SourceName
		out = append(out, n)
	}
	return out
}

// WithConfigs gives the nodes of g (SelectorGraph) their configs, as
// a run loads them (Result: typed from the index, or manifest.json's
// when it holds them exactly), for config.x:y selectors; or says why it
// cannot. Each node's manifest.json entry is read for it: on the 10k
// bench project that costs a fraction of a whole compile.
func (p *Patched) WithConfigs(g *selector.Graph) string {
	l := p.load
	ix := l.ix
	manifest, why := l.mapManifest()
	if why != "" {
		return why
	}
	defer unmapFile(manifest) // (the configs decoded from it are copies)
	order := make([]int, 0, len(ix.nodes))
	for i := range ix.nodes {
		if !ix.nodes[i].gone {
			order = append(order, i)
		}
	}
	// a config's text decoded once: most tests share one, and models a few
	// (the maps are shared, and selection only reads them)
	var mu sync.Mutex
	decoded := map[string]map[string]any{}
	confs := make([]map[string]any, len(order))
	whys := make([]string, len(order))
	parallel(len(order), func(k int) {
		i := order[k]
		in := &ix.nodes[i]
		var text []byte
		typed := in.flags&ixTyped != 0
		switch {
		case typed:
			det, err := ix.detail(i)
			if err != nil {
				whys[k] = in.sel.UniqueID + "'s place in the node index is damaged"
				return
			}
			text = det.config
		case in.flags&ixExact != 0:
			entry, ok := l.entryIn(manifest, i)
			if !ok {
				whys[k] = in.sel.UniqueID + "'s entry in manifest.json is not where the snapshot says"
				return
			}
			if text, ok = entryConfig(entry); !ok {
				whys[k] = in.sel.UniqueID + "'s entry in manifest.json is not as mart writes it"
				return
			}
		default:
			whys[k] = in.sel.UniqueID + "'s config is not kept with its types"
			return
		}
		key := string(text)
		if typed {
			key = "\x00" + key // (typed JSON is not manifest.json's)
		}
		mu.Lock()
		conf, done := decoded[key]
		mu.Unlock()
		if !done {
			var v any
			var err error
			if typed {
				v, err = fromTypedJSON(text)
			} else {
				v, err = exactConfigText(text)
			}
			var isMap bool
			if conf, isMap = v.(map[string]any); err != nil || v != nil && !isMap {
				whys[k] = in.sel.UniqueID + "'s config cannot be read back"
				return
			}
			mu.Lock()
			decoded[key] = conf
			mu.Unlock()
		}
		confs[k] = conf
	})
	for k, i := range order {
		if whys[k] != "" {
			return whys[k]
		}
		if n := g.Nodes[ix.nodes[i].sel.UniqueID]; n != nil {
			n.Config = confs[k]
		}
	}
	return ""
}

// mapManifest maps the project's manifest.json (read whole, where files
// are not mapped: the entries are most of it, and 30,000 reads of them
// cost more), for entryIn; why when it is not the snapshot's. The caller
// unmaps it (unmapFile).
func (l *patchLoad) mapManifest() ([]byte, string) {
	manifest, st, err := mapFile(l.manifest)
	if err != nil {
		return nil, "manifest.json unreadable"
	}
	if !st.same(l.snap.Manifest) || int64(len(manifest)) != l.snap.Manifest.Size {
		unmapFile(manifest)
		return nil, "manifest.json changed"
	}
	return manifest, ""
}

// entryIn is the index's node i's entry in manifest (mapManifest), false
// when the snapshot's place of it is not in the file.
func (l *patchLoad) entryIn(manifest []byte, i int) ([]byte, bool) {
	at := l.snap.Entries[i]
	if at[0] < 0 || at[1] <= at[0] || at[1] > int64(len(manifest)) {
		return nil, false
	}
	return manifest[at[0]:at[1]], true
}

// CanSelect says why SelectorGraph cannot answer these selectors ("" when
// it can), and whether they read configs (WithConfigs).
func CanSelect(include, exclude []string, defs selector.Definitions) (why string, configs bool) {
	for _, args := range [][]string{include, exclude} {
		methods, err := selector.Methods(args, defs)
		if err != nil {
			return "the selectors do not parse", false // the whole compile reports it
		}
		// (state:, result: and source_status: read --state's files,
		// which the caller gives selection: WithState, run_results.json
		// and sources.json)
		configs = configs || methods["config"]
	}
	return "", configs
}

// wholeFrom is the size of a project (its nodes) from which a run that
// needs most of it compiles the whole project instead of loading the
// nodes from the snapshot (Result). A variable for tests.
var wholeFrom = 1000

// Result returns the compiled project a run of the selected nodes (ids,
// from SelectorGraph) needs: the manifest holds them, their parents and
// the nodes between two of them, each as `mart compile` wrote it; the
// renderer reads the rest of the project as a render asks. It is nil with
// why when the selection needs what the snapshot cannot give exactly.
func (p *Patched) Result(ids []string) (*Result, string) {
	l := p.load
	if l == nil || l.ix == nil {
		return nil, "no node index"
	}
	ix := l.ix
	selected := make(map[int]bool, len(ids))
	for _, id := range ids {
		i, ok := ix.pos[id]
		if !ok {
			return nil, "unknown node " + id
		}
		selected[i] = true
	}
	need := ix.needed(selected)
	// decoding a node's manifest.json entry costs about what compiling it
	// does, and a whole compile is parallel over every node: past about
	// half of a large project it is faster (the 30,001 nodes of the 10k
	// bench project load in 1.08 s, against 0.70 s compiled whole;
	// bench/results/2026-12-04-session-13.txt)
	if len(ix.nodes) >= wholeFrom && len(need) > len(ix.nodes)/2 {
		return nil, fmt.Sprintf("the selection needs %d of the %d nodes: compiling the whole project is faster", len(need), len(ix.nodes))
	}
	loadable := func(i int) string {
		n := &ix.nodes[i]
		switch {
		case n.flags&(ixTyped|ixExact) == 0:
			return n.sel.UniqueID + "'s config is not kept with its types"
		case n.sel.ResourceType == TypeUnitTest:
			if det, err := ix.detail(i); err != nil || det.rows == nil {
				return "unit test " + n.sel.UniqueID + "'s rows are not kept with their types"
			}
		}
		return ""
	}
	for i := range need {
		if why := loadable(i); why != "" {
			return nil, why
		}
	}
	if why := l.readsGraph(); why != "" {
		return nil, why
	}
	// the models and tests that query the warehouse while they render,
	// which the runner renders against it, through the renderer below;
	// none may read graph (everyTimeOK, readsGraph)
	warehouseModels := l.snap.warehouseIDs()
	warehouseTests := l.snap.warehouseTests()
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	loaded := false
	defer func() {
		if !loaded {
			dec.f.Close()
		}
	}()
	order := make([]int, 0, len(need))
	for i := range need {
		order = append(order, i)
	}
	sort.Ints(order)
	nodes := make([]*Node, len(order))
	errs := make([]error, len(order))
	parallel(len(order), func(k int) { nodes[k], errs[k] = dec.decode(order[k]) })
	m := &Manifest{Metadata: l.meta, Nodes: map[string]*Node{}, Sources: map[string]*Node{}, UnitTests: map[string]*Node{}}
	keep := func(i int, n *Node) string {
		if n.RunTimeRender && !warehouseModels[n.UniqueID] { // a snapshot is kept only when none does
			return n.UniqueID + " renders at run time"
		}
		if t := warehouseTests[n.UniqueID]; t != nil {
			// the runner renders it against the warehouse through its
			// macro call, which manifest.json does not hold
			var err error
			if n.testCall, err = t.call(); err != nil {
				return err.Error()
			}
		}
		if why := hookReadsGraph(n); why != "" {
			return why
		}
		switch n.ResourceType {
		case TypeSource:
			m.Sources[n.UniqueID] = n
		case TypeUnitTest:
			m.UnitTests[n.UniqueID] = n
		default:
			m.Nodes[n.UniqueID] = n
		}
		dec.got[i] = n
		return ""
	}
	for k, n := range nodes {
		if errs[k] != nil {
			return nil, errs[k].Error()
		}
		if why := keep(order[k], n); why != "" {
			return nil, why
		}
	}
	// what a selected node reads through an ephemeral parent is that
	// model's parents' relations (the plan's reads, OpenLineage's inputs,
	// with their columns): those are loaded too, as deep as ephemeral
	// models go
	for more := readThroughEphemeral(m, ids, ix.pos); len(more) > 0; more = readThroughEphemeral(m, ids, ix.pos) {
		for _, i := range more {
			if why := loadable(i); why != "" {
				return nil, why
			}
			n, err := dec.decode(i)
			if err != nil {
				return nil, err.Error()
			}
			if why := keep(i, n); why != "" {
				return nil, why
			}
		}
	}
	res := &Result{Project: l.c.project, Target: l.c.target, Dialect: l.c.dialect, Manifest: m,
		Renderer: l.renderer(dec, m), light: l}
	loaded = true // dec.f stays open for the run's renders
	return res, ""
}

// renderer is the renderer of the patch's compilation (its macros) over
// m, whose ref() and source() find the snapshot's nodes through dec, as
// `mart compile` wrote them: the compile's Renderer, for the nodes of m.
func (l *patchLoad) renderer(dec *entryDecoder, m *Manifest) *Renderer {
	s := l.c.scope
	s.byName, s.versions, s.sources = map[string]*Node{}, nil, map[string]*Node{}
	s.lazy = dec
	// a render again inlines the ephemeral models it refs, and theirs
	s.stateOf = dec.ephemeralState
	s.resolved = true
	manifestFile := l.manifest
	s.graph = sync.OnceValue(func() map[string]any {
		// no template the run renders names graph (readsGraph): one that
		// reaches it anyway gets the whole manifest.json, numbers as JSON
		// has them
		full, err := ReadManifest(manifestFile)
		if err != nil {
			return map[string]any{}
		}
		return graphOnce(full)()
	})
	return &Renderer{s: s, manifest: m}
}

// readThroughEphemeral is the nodes (indexes in the node index, by pos)
// that the selected nodes (ids) of m read through ephemeral models of m
// (ReadNodes) and m lacks, sorted.
func readThroughEphemeral(m *Manifest, ids []string, pos map[string]int) []int {
	lacks := map[int]bool{}
	for _, id := range ids {
		if n := m.Node(id); n != nil {
			m.ReadNodes(n, func(id string) {
				if i, ok := pos[id]; ok {
					lacks[i] = true
				}
			})
		}
	}
	return slices.Sorted(maps.Keys(lacks))
}

// needed is the nodes a run of the selected ones reads: them, their
// parents, and every node on a path between two of them (the plan orders
// through those).
func (ix *nodeIndex) needed(selected map[int]bool) map[int]bool {
	need := make(map[int]bool, 2*len(selected))
	parents := func(i int) []int {
		deps := ix.nodes[i].sel.DependsOn
		out := make([]int, 0, len(deps))
		for _, d := range deps {
			j, ok := ix.pos[d]
			if !ok {
				continue // a parent outside the manifest (disabled): the compile skips it too
			}
			out = append(out, j)
		}
		return out
	}
	// below[i]: node i is a selected node or has one among its ancestors;
	// computed over the ancestors of the selected nodes only
	below := map[int]bool{}
	var visit func(i int) bool
	visit = func(i int) bool {
		if v, ok := below[i]; ok {
			return v
		}
		below[i] = false // a cycle cannot be compiled; guards the walk anyway
		v := false
		for _, p := range parents(i) {
			if visit(p) || selected[p] {
				v = true
			}
		}
		below[i] = v || selected[i]
		if v && !selected[i] {
			need[i] = true // between a selected ancestor and a selected descendant
		}
		return below[i]
	}
	for i := range selected {
		need[i] = true
		for _, p := range parents(i) {
			need[p] = true
			visit(p)
		}
	}
	return need
}

// entryDecoder decodes nodes from manifest.json at the snapshot's entries;
// as the scope's lookup (lazy), it finds the nodes ref() and source() name.
type entryDecoder struct {
	l  *patchLoad
	f  *os.File
	mu sync.Mutex
	// got holds the nodes decoded, by index; the run's manifest holds the
	// same nodes
	got map[int]*Node
	// early, when set, makes ref() find each node as a render of the
	// whole compile saw it, before the node rendered (earlyNode); why
	// says what it could not find so
	early bool
	why   string
	pre   map[string]*Node
	byID  map[string]int
	blobs *os.File
}

// added makes ref() find a model the patch added: n, and pre as it was
// before it rendered.
func (d *entryDecoder) added(n, pre *Node) {
	l := d.l
	if l.also == nil {
		l.also, l.alsoEarly = map[string]*Node{}, map[string]*Node{}
	}
	l.also[n.Name], l.alsoEarly[n.Name] = n, pre
}

func newEntryDecoder(l *patchLoad) (*entryDecoder, error) {
	f, err := os.Open(l.manifest)
	if err != nil {
		return nil, err
	}
	st, err := statOf(f.Name())
	if err != nil || !st.same(l.snap.Manifest) {
		f.Close()
		return nil, fmt.Errorf("manifest.json changed")
	}
	return &entryDecoder{l: l, f: f, got: map[int]*Node{}}, nil
}

// decode reads node i's entry and gives it its config with Go types.
func (d *entryDecoder) decode(i int) (*Node, error) {
	b, err := d.entry(i)
	if err != nil {
		return nil, err
	}
	return d.decodeFrom(i, b)
}

// entry is node i's manifest.json entry, as read.
func (d *entryDecoder) entry(i int) ([]byte, error) {
	at, err := d.span(i)
	if err != nil {
		return nil, err
	}
	b := make([]byte, at[1]-at[0])
	if _, err := d.f.ReadAt(b, at[0]); err != nil {
		return nil, err
	}
	return b, nil
}

// span is where node i's entry is in manifest.json, checked against the
// file's size.
func (d *entryDecoder) span(i int) ([2]int64, error) {
	at := d.l.snap.Entries[i]
	if at[0] < 0 || at[1] <= at[0] || at[1] > d.l.snap.Manifest.Size {
		return at, fmt.Errorf("%s's entry in manifest.json is not where the snapshot says", d.l.ix.nodes[i].sel.UniqueID)
	}
	return at, nil
}

// decodeFrom is decode of node i's entry b.
func (d *entryDecoder) decodeFrom(i int, b []byte) (*Node, error) {
	ix := d.l.ix
	in := &ix.nodes[i]
	n := &Node{}
	if err := json.Unmarshal(b, n); err != nil || n.UniqueID != in.sel.UniqueID {
		return nil, fmt.Errorf("%s's entry in manifest.json is not where the snapshot says", in.sel.UniqueID)
	}
	det, err := ix.detail(i)
	if err != nil {
		return nil, fmt.Errorf("%s's place in the node index is damaged", in.sel.UniqueID)
	}
	var v any
	switch {
	case in.flags&ixTyped != 0:
		v, err = fromTypedJSON(det.config)
	case in.flags&ixExact != 0:
		v, err = exactConfig(b)
	default:
		v = map[string]any(n.Config) // manifest.json's (a ref() target: see node)
	}
	conf, isMap := v.(map[string]any)
	switch {
	case err != nil || v != nil && !isMap:
		return nil, fmt.Errorf("%s's config in the node index or manifest.json is damaged", in.sel.UniqueID)
	case v == nil:
		n.Config = nil
	default:
		n.Config = Config(conf)
	}
	n.rerender = in.flags&ixRerender != 0
	n.yamlFile, n.yamlLine = det.yamlFile, det.yamlLine
	if i < ix.base { // a node a patch added has its lines as they are (shiftAddedLines)
		n.yamlLine = shiftLine(d.l.snap.LineShifts[det.yamlFile], det.yamlLine)
	}
	for name, c := range n.Columns {
		if c != nil {
			c.pos = det.colPos[name]
		}
	}
	if in.flags&ixInYAML != 0 {
		n.relationAt[0] = 1 // compiledPath reads only that it is set
	}
	if det.rows != nil && n.UnitTest != nil {
		v, err := fromTypedJSON(det.rows)
		if err != nil || !setUnitRows(n.UnitTest, v) {
			return nil, fmt.Errorf("%s's rows in the node index are damaged", in.sel.UniqueID)
		}
	}
	return n, nil
}

// node is node i, decoded once (nil when ok is false or it cannot be
// read: then a render names nothing for it, as for an unknown ref). A
// node a render asks for by ref() or source() is used for its relation,
// materialization and event_time, which are strings: one whose config
// the index does not type keeps manifest.json's.
func (d *entryDecoder) node(i int, ok bool) *Node {
	if !ok {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.got[i]; ok {
		return n
	}
	n, err := d.decode(i)
	if err != nil {
		n = nil
	}
	d.got[i] = n
	return n
}

// ref is what ref() finds for a name (and version), as the compile's
// scope had it.
func (d *entryDecoder) ref(name, version string, versioned bool) *Node {
	if versioned {
		i, ok := d.l.ix.versions[name][version]
		return d.earlyNode(d.node(i, ok))
	}
	if n := d.l.also[name]; n != nil {
		if d.early {
			return d.l.alsoEarly[name]
		}
		return n
	}
	i, ok := d.l.ix.byName[name]
	return d.earlyNode(d.node(i, ok))
}

// earlyNode is a ref() target as a render of the whole compile saw it
// while early is set: renders run before any config() of theirs set a
// relation (provisionalRelations), so a model's database, schema and
// alias are those it had before it rendered, which its capture keeps (an
// ephemeral model that is not patchable: EphPre); a seed's are its own. A node the snapshot has no capture of is returned
// as it is and why says so (the caller refuses).
func (d *entryDecoder) earlyNode(n *Node) *Node {
	if n == nil || !d.early {
		return n
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if p, ok := d.pre[n.UniqueID]; ok {
		return p
	}
	if n.ResourceType == TypeSeed {
		return n
	}
	if d.byID == nil {
		d.byID = d.l.snap.nodeIndex()
	}
	ni, ok := d.byID[n.UniqueID]
	var pc patchCapture
	if ok {
		if pc, ok = d.captureLocked(ni); !ok && d.why != "" {
			return n
		}
	} else if pre, eph := d.l.snap.EphPre[n.UniqueID]; eph {
		pc.Database, pc.Schema, pc.Alias, pc.Relation, ok = pre[0], pre[1], pre[2], pre[3], true
	}
	if !ok {
		if d.why == "" {
			d.why = "a render refs " + n.UniqueID + ", which the snapshot does not know as it was before it rendered"
		}
		return n
	}
	p := *n
	p.Database, p.Schema, p.Alias, p.Relation = pc.Database, pc.Schema, pc.Alias, pc.Relation
	if d.pre == nil {
		d.pre = map[string]*Node{}
	}
	d.pre[n.UniqueID] = &p
	return &p
}

// capture is the capture of the snapshot's node ni (its Nodes), as the
// compile that rendered it last kept it; false when it cannot be read.
func (d *entryDecoder) capture(ni int) (patchCapture, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.captureLocked(ni)
}

// captureLocked is capture with d.mu held.
func (d *entryDecoder) captureLocked(ni int) (patchCapture, bool) {
	pn := d.l.snap.Nodes[ni]
	if pn.capture != nil {
		return *pn.capture, true
	}
	if pn.Blob == nil && d.blobs == nil {
		if d.blobs, d.why = openBlobsOrWhy(d.l); d.why != "" {
			return patchCapture{}, false
		}
	}
	var pc patchCapture
	b, err := readBlobAt(d.blobs, pn)
	if err == nil {
		err = json.Unmarshal(b, &pc)
	}
	return pc, err == nil
}

// openBlobsOrWhy opens the snapshot's blobs file, or says why it cannot.
func openBlobsOrWhy(l *patchLoad) (*os.File, string) {
	f, err := openBlobs(l.file, l.snap)
	if err != nil {
		return nil, "the snapshot's blobs file is unreadable"
	}
	return f, ""
}

// close closes what the decoder opened.
func (d *entryDecoder) close() {
	d.f.Close()
	if d.blobs != nil {
		d.blobs.Close()
	}
}

func (d *entryDecoder) source(key string) *Node {
	if n, made := d.l.sources[key]; made {
		return n
	}
	i, ok := d.l.ix.sources[key]
	return d.node(i, ok)
}

// touched refreshes the snapshot after a run wrote compiled files
// (restatCompiled): the compiled directories it wrote in, or made a
// directory in, changed, and the next patch would otherwise find target/
// touched.
// It runs under the snapshot's lock, which the caller holds since before
// it wrote them, and only when the snapshot in place is the one loaded.
func (l *patchLoad) touched(changes sumChanges) {
	err := restatCompiled(l.snap, changes)
	if err == nil {
		err = writePatchSnapshot(l.file, l.snap)
	}
	if err != nil {
		os.Remove(l.file)
	}
}

// restatCompiled stats again the compiled directories that changes wrote
// or made a directory in, and moves their sums by what that changed; a
// sum that is unknown stays so ("": a check by content fails, and that
// compile is whole).
func restatCompiled(snap *patchSnapshot, changes sumChanges) error {
	for i := range snap.Compiled {
		c := &snap.Compiled[i]
		delta, wrote := changes.delta[c.Path]
		unknown := len(c.Sum) != 8 || slices.Contains(changes.unknown, c.Path)
		if !wrote && !unknown {
			continue
		}
		st, err := statOf(c.Path)
		if err != nil {
			return err
		}
		if !unknown {
			st.Sum = string(binary.LittleEndian.AppendUint64(nil, binary.LittleEndian.Uint64([]byte(c.Sum))^delta))
		}
		st.Path = c.Path
		*c = st
	}
	return nil
}

// writeLight writes the compiled files of a build loaded from the patch
// snapshot (manifest.json is the patch's, and stays) and tells the
// snapshot which compiled directories that changed.
func (r *Result) writeLight(write func() error) func() error {
	done := make(chan error, 1)
	go func() {
		// under the snapshot's lock, so that no patch of another mart
		// writes between these files and the snapshot's record of them.
		// The snapshot goes before the files are written, and is written
		// again once they are, when it is the one this run loaded: one
		// another mart wrote since does not know of these files, and a
		// run that fails or is killed while it writes leaves files the
		// snapshot's sums and stats do not know (a file written over in
		// place changes no directory's stat): a compile must then not
		// trust target/compiled (both found by review)
		file := r.light.file
		unlock, locked := lockSnapshot(file)
		inPlace := r.light.snap.inPlace(file)
		os.Remove(file)
		err := write()
		phase.Mark("compiled files")
		if err == nil && inPlace {
			r.light.touched(r.sumChanges)
		}
		if locked {
			unlock()
		}
		done <- err
	}()
	return sync.OnceValue(func() error {
		if err := <-done; err != nil {
			return fmt.Errorf("writing compiled SQL: %v", err)
		}
		return nil
	})
}

// ephemeralState is what an ephemeral model's render recorded, as the
// index keeps it (scope.stateOf for a run loaded from the snapshot): its
// node and render targets; nil for any other node.
func (d *entryDecoder) ephemeralState(id string) *renderState {
	i, ok := d.l.ix.pos[id]
	if !ok || d.l.ix.nodes[i].flags&ixEphemeral == 0 {
		return nil
	}
	n := d.node(i, true)
	det, err := d.l.ix.detail(i)
	if n == nil || err != nil {
		return nil
	}
	return &renderState{node: n, targets: det.targets}
}

// readsGraph says why a template the run may render could read `graph`
// ("" when none can): a macro that names it (any: which ones a render at
// run time calls is known only then), or an on-run hook (a needed node's
// hooks: hookReadsGraph). The run's `graph` would hold JSON's numbers where the
// compile's holds Go's (2 against 2.0), so such a run compiles the whole
// project.
func (l *patchLoad) readsGraph() string {
	for name, f := range l.c.macroFacts {
		if f.graph {
			return "macro " + name + " names graph"
		}
	}
	for _, h := range append(append([]string(nil), l.c.project.OnRunStart...), l.c.project.OnRunEnd...) {
		if namesWord(h, "graph") {
			return "an on-run hook names graph"
		}
	}
	return ""
}

// NamesGraph says whether a template's text (an inline query) may read
// graph, which a selection loaded from the patch snapshot has only as
// manifest.json has it (JSON's numbers): the command then compiles the
// project.
func NamesGraph(text string) bool { return namesWord(text, "graph") }

// hookReadsGraph says why a node's hooks, which are in its config, could
// read graph ("" when they cannot).
func hookReadsGraph(n *Node) string {
	for _, k := range []string{"pre_hook", "post_hook"} { // mergeConfig normalizes pre-hook
		if v, ok := n.Config[k]; ok && namesWord(fmt.Sprint(v), "graph") {
			return n.UniqueID + "'s " + k + " names graph"
		}
	}
	return ""
}

// namesWord reports whether text holds word as a whole identifier.
func namesWord(text, word string) bool {
	for rest := text; ; {
		i := strings.Index(rest, word)
		if i < 0 {
			return false
		}
		before, after := byte(' '), byte(' ')
		if i > 0 {
			before = rest[i-1]
		}
		if i+len(word) < len(rest) {
			after = rest[i+len(word)]
		}
		if !isIdentByte(before) && !isIdentByte(after) {
			return true
		}
		rest = rest[i+len(word):]
	}
}

// Adopt makes res, a whole compile of the project made after this patch
// by the same command (a run the snapshot could not serve), write as a
// run loaded from the snapshot does: target/manifest.json is the patch's
// (a whole compile writes the same bytes; TestPatchCompileEqualsCold), so
// only the run's compiled files are written and the snapshot, which
// stays, is told of their directories. false when there is no snapshot to
// keep: res then writes as usual.
func (p *Patched) Adopt(res *Result) bool {
	if !p.Adoptable() {
		return false
	}
	res.light, res.parseCache, res.patch = p.load, nil, nil
	return true
}

// Adoptable tells whether Adopt can keep this patch's target/ for a whole
// compile made after it: there is a snapshot, and no model renders
// differently at every compile (EveryTime): the whole compile's render of
// one (its own run_started_at, modules.datetime...) would not be the
// patch's, and manifest.json would not hold what the run compiled.
func (p *Patched) Adoptable() bool {
	return p != nil && p.load != nil && len(p.load.snap.EveryTime) == 0
}

// jsonExact reports whether JSON carries v exactly: nil, strings, bools,
// ints, and lists and maps of them (a float, an int64, a []string, a
// time would come back as another type; a string that is not UTF-8 as
// another string).
func jsonExact(v any) bool {
	switch x := v.(type) {
	case nil, bool, int:
		return true
	case string:
		return utf8.ValidString(x)
	case []any:
		for _, e := range x {
			if !jsonExact(e) {
				return false
			}
		}
		return x != nil
	case map[string]any:
		for k, e := range x {
			if !utf8.ValidString(k) || !jsonExact(e) {
				return false
			}
		}
		return true // a nil map is null, read back as none
	}
	return false
}

// exactConfig reads the config of a manifest.json entry whose config is
// jsonExact: its numbers are ints.
func exactConfig(entry []byte) (any, error) {
	conf, ok := entryConfig(entry)
	if !ok {
		var raw struct {
			Config json.RawMessage `json:"config"`
		}
		if err := json.Unmarshal(entry, &raw); err != nil {
			return nil, err
		}
		conf = raw.Config
	}
	return exactConfigText(conf)
}

// exactConfigText decodes a config manifest.json holds exactly (ints as
// ints).
func exactConfigText(conf []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(conf))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return intsOf(v)
}

// entryConfig is the "config" value of a node's manifest.json entry as
// appendNode writes it (compact, its keys plain strings), found by
// skipping the values before it, without decoding them; false when the
// entry is not so.
func entryConfig(b []byte) (config []byte, ok bool) {
	entryFields(b, func(key, kv []byte) bool {
		if string(key) == "config" {
			config, ok = kv[len(`"config":`):], true
			return false
		}
		return true
	})
	return config, ok
}

// intsOf turns a decoded JSON value's numbers (json.Number) into ints.
func intsOf(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		i, err := strconv.Atoi(string(x))
		return i, err
	case []any:
		for k, e := range x {
			var err error
			if x[k], err = intsOf(e); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for k, e := range x {
			var err error
			if x[k], err = intsOf(e); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// unitRows is a unit test's rows, each input's then the expectation's, as
// one value to encode (typedJSON).
func unitRows(u *UnitTestSpec) any {
	if u == nil {
		return nil
	}
	out := make([]any, 0, len(u.Given)+1)
	for _, in := range append(append([]UnitTestInput(nil), u.Given...), u.Expect) {
		if in.Rows == nil {
			out = append(out, nil)
			continue
		}
		rows := make([]any, len(in.Rows))
		for i, r := range in.Rows {
			rows[i] = r
		}
		out = append(out, rows)
	}
	return out
}

// setUnitRows puts rows decoded from unitRows' encoding back in u; false
// when they do not fit it.
func setUnitRows(u *UnitTestSpec, v any) bool {
	all, ok := v.([]any)
	if !ok || len(all) != len(u.Given)+1 {
		return false
	}
	for k, x := range all {
		var rows []map[string]any
		if x != nil {
			list, ok := x.([]any)
			if !ok {
				return false
			}
			rows = make([]map[string]any, len(list))
			for i, r := range list {
				if rows[i], ok = r.(map[string]any); !ok {
					return false
				}
			}
		}
		if k < len(u.Given) {
			u.Given[k].Rows = rows
		} else {
			u.Expect.Rows = rows
		}
	}
	return true
}
