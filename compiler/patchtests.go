package compiler

import (
	"encoding/binary"
	"slices"
	"sort"

	"gopkg.in/yaml.v3"
)

// Patching an edit of the tests YAML declares on a model: a test added
// to a data_tests: (or tests:) list of a model or of one of its columns,
// removed, rewritten; a column with tests added or removed. The YAML
// comparison (descriptionEdits) finds the models whose test lists
// changed, to lists of plain tests (no Jinja, anchors or aliases, so the
// new tests read no var and nothing the snapshot does not watch). Each
// such model's generic tests are made again from the file's new text as
// the whole compile makes them (entryTests, genericTest, then the steps
// of addGenericTests and run for those nodes: setRelation, render,
// checkNodeConfig, resolveRefs, resolveSQL, setUnrendered), finding the
// model and what a relationships test refs through the snapshot (the node
// index and manifest.json's entries). Compared by id with the tests of
// the model the file declared before (its children in the node index
// that the file declares and that are attached to it): a test the edit
// kept has its entry replaced where it is; one it removed is cut out of
// nodes, parent_map and child_map and out of its parents' lists of
// children; one it added is inserted (graphSplices). The node index drops the old and adds the new ones, with the
// lines the new text declares them at (a patch's later line moves shift
// the lines of the nodes patches added: shiftAddedLines).
//
// Nothing else can change: a test has no children, no render reads
// another's, and the model's entry holds no test. A test that calls a
// macro marks the macro's file (macroFile.Tests): an edit of it makes
// the test again (patchtestmacros.go). The patch refuses a test that
// queries the warehouse while it renders, refs an unknown model or one
// removed in the same edit, or an ephemeral
// one rendered again in the same edit (a test that refs one puts its CTEs
// in front, as the snapshot's compile left them or the patch made them,
// and joins EphTests: patcheph.go), may render differently every time,
// reads a var, an env var or --full-refresh and is not the project's own
// (one that is is recorded in VarUse: patchtestvars.go), a test declared twice or in
// both keys, anything a compile of them says, a file the compile said
// something about, and versioned models; those compile the whole
// project. As `mart compile` writes no compiled file of a generic test
// (a run writes those of the tests it runs), the patch writes none.

// testEdit is a model, or a source table, whose YAML tests an edit
// changed.
type testEdit struct {
	id    string     // the model's or the source table's
	name  string     // the model's, or "source.table"
	file  string     // the properties file
	entry *yaml.Node // the model's or the table's entry in its new text
	// source: a source table's source entry in the new text (nil: a model)
	source *yaml.Node
	// byMacro: made again because a macro its tests call changed
	// (patchtestmacros.go), not for an edit of its tests
	byMacro bool
	// byVar: made again because what it names (a var, an env var,
	// --full-refresh) changed and its tests may read it (varTestEdits)
	byVar string
}

// remakeTests makes the generic tests of the edited models again: the
// tests to insert or to replace (newModel.test), and those to cut or
// replace (goneModel.test), or why it cannot.
func (l *patchLoad) remakeTests(proj *Project, edits []testEdit, removed []goneModel) (news []*newModel, gone []goneModel, why string) {
	snap, c := l.snap, l.c
	if why := l.unversionedIndex(); why != "" {
		return nil, nil, why
	}
	if len(snap.WarehouseTests) > 0 {
		return nil, nil, "tests query the warehouse while they render"
	}
	for _, e := range edits {
		for _, d := range snap.Diags {
			if d.File == e.file || snap.isMacroFile(d.File) { // a removed test's render warning is in its macro's
				return nil, nil, e.file + " changed its tests and the compile said something about them"
			}
		}
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, nil, err.Error()
	}
	defer dec.close()
	c.scope.lazy = dec
	defer func() { c.scope.lazy = nil }()
	if len(proj.renderConfigs(c.targetValue, c.opt.Vars)) > 0 {
		return nil, nil, edits[0].file + " changed its tests and the project's configs do not render cleanly"
	}
	for _, e := range edits {
		why := e.file + " changed the tests of " + e.name + " and "
		switch {
		case e.byVar != "":
			why = e.byVar + ", which the tests of " + e.name + " in " + e.file + " may read, changed, and "
		case e.byMacro:
			why = "a macro the tests of " + e.name + " in " + e.file + " call changed, and "
		}
		var made []*newModel
		if e.source != nil {
			m, pending, w := l.sourceTests(e)
			if w != "" {
				return nil, nil, why + w
			}
			if made, w = l.makePending(dec, m, pending, removed); w != "" {
				return nil, nil, why + w
			}
		} else {
			entry := &propEntry{}
			if err := e.entry.Decode(entry); err != nil || entry.Name != e.name {
				return nil, nil, why + "its entry does not decode cleanly"
			}
			m := c.refTarget(e.name)
			if m != nil && m.UniqueID != e.id && m.ResourceType == TypeModel && m.Package != proj.Name &&
				e.id == TypeModel+"."+proj.Name+"."+e.name && c.projectOf(e.file) == proj {
				// unless the root project has a model of the name,
				// disabled: the entry is its (entryNodes), it tests
				// nothing enabled (found by review 42b)
				if snap.disabledID(e.id) {
					return nil, nil, why + "the root project's disabled model of its name has the entry"
				}
				// the root project's YAML testing a package's model (as
				// the whole compile finds it: by name); its tests are the
				// root project's (genericTest)
				e.id = m.UniqueID
			}
			if m == nil || m.UniqueID != e.id {
				return nil, nil, why + "the node index does not have it"
			}
			var w string
			if made, w = l.makeTests(dec, m, e.file, entry, removed); w != "" {
				return nil, nil, why + w
			}
		}
		byID := make(map[string]*newModel, len(made))
		for _, t := range made {
			byID[t.n.UniqueID] = t
		}
		old, w := l.declaredTests(dec, e.id, e.file)
		if w != "" {
			return nil, nil, why + w
		}
		for _, g := range old {
			if t := byID[g.n.UniqueID]; t != nil {
				// kept: its entry replaced where it is
				if !slices.Equal(g.n.DependsOn.Nodes, t.n.DependsOn.Nodes) {
					return nil, nil, why + "a test kept its id and changed its parents"
				}
				at := snap.Entries[g.pos]
				t.replace = &at
				g.replaced = true
			}
			gone = append(gone, g)
		}
		news = append(news, made...)
	}
	c.nodes = nil
	sort.Slice(news, func(i, j int) bool { return news[i].n.UniqueID < news[j].n.UniqueID })
	return news, gone, ""
}

// shiftAddedLines moves the lines where the nodes patches added are
// declared in a properties file as an edit of it moved them: those of the
// node index's own nodes are shifted as they are read (LineShifts), which
// take its compile's lines, not those of a node added since.
func (snap *patchSnapshot) shiftAddedLines(file string, moved []lineShift) {
	for k := range snap.IndexAdds {
		a := &snap.IndexAdds[k]
		r := &snapReader{b: a.Detail}
		conf, yf := r.str(), r.str()
		line := int(r.uvarint())
		if yf != file || r.err != nil {
			continue
		}
		rest := r.b
		b := appendStr(appendStr(make([]byte, 0, len(a.Detail)+4), conf), yf)
		b = binary.AppendUvarint(b, uint64(max(shiftLine(moved, line), 0)))
		a.Detail = append(b, rest...)
	}
}

// makeTests makes the generic tests a properties file's entry declares
// on model m, as addGenericTests and run make them, with what they ref
// found through dec; or says why it cannot. removed are the models an
// edit removes (a test of one is an error of a whole compile).
func (l *patchLoad) makeTests(dec *entryDecoder, m *Node, file string, entry *propEntry, removed []goneModel) ([]*newModel, string) {
	if why := twiceTested(entry.Tests, entry.DataTests, entry.Columns); why != "" {
		return nil, why
	}
	return l.makePending(dec, m, l.c.entryTests(nil, m, propsFQN(l.c.projectOf(file), file), file, entry), removed)
}

// twiceTested says why an entry's tests are not patched when it or one of
// its columns has both tests: and data_tests:.
func twiceTested(tests, dataTests []yaml.Node, cols []*propColumn) string {
	if len(tests) > 0 && len(dataTests) > 0 {
		return "it has both tests: and data_tests:"
	}
	for _, col := range cols {
		if len(col.Tests) > 0 && len(col.DataTests) > 0 {
			return "a column has both tests: and data_tests:"
		}
	}
	return ""
}

// sourceTests is what the whole compile makes of a source table's tests
// (addGenericTests), before they are built: the edit's table entry, in
// its source's, on the source node the node index has; or why not.
func (l *patchLoad) sourceTests(e testEdit) (*Node, []pendingTest, string) {
	src, table, ok := decodeTable(e.source, e.entry, e.name)
	if !ok {
		return nil, nil, "its entry does not decode cleanly"
	}
	n := l.c.scope.sourceTarget(e.name)
	if n == nil || n.UniqueID != e.id {
		return nil, nil, "the node index does not have it"
	}
	if !n.Enabled() {
		return nil, nil, "it is disabled"
	}
	pending, why := l.sourcePending(n, src, table, e.file)
	return n, pending, why
}

// makePending builds, renders and compiles the pending tests of node m.
func (l *patchLoad) makePending(dec *entryDecoder, m *Node, pending []pendingTest, removed []goneModel) ([]*newModel, string) {
	snap, c := l.snap, l.c
	fileOf, _ := c.macroPlaces()
	sort.SliceStable(pending, func(i, j int) bool { return pending[i].spec.Line < pending[j].spec.Line })
	var made []*newModel
	seen := map[string]bool{}
	var tests []*Node
	for _, pt := range pending {
		n, d := c.genericTest(pt.target, pt.column, pt.spec)
		switch {
		case d != nil:
			return nil, "a test is not what a compile takes"
		case !n.Enabled():
			return nil, "a test is disabled"
		case seen[n.UniqueID]:
			return nil, "a test is declared twice"
		}
		seen[n.UniqueID] = true
		made = append(made, &newModel{n: n, test: true})
		tests = append(tests, n)
	}
	for _, n := range tests {
		c.setRelation(n)
		st, err := c.renderNode(n, RenderOptions{})
		if err != nil || st == nil || st.needsWarehouse || len(st.warnings) > 0 {
			return nil, "a test does not render cleanly without the warehouse"
		}
		for _, name := range st.macros {
			if f := c.macroFacts[name]; f.volatile || f.graph {
				return nil, "a test calls macro " + name + ", volatile or reading graph"
			}
			if file, ok := fileOf[name]; ok {
				mf, ok := snap.MacroFiles[file]
				if !ok {
					return nil, "a test calls macro " + name + ", of a file the snapshot does not know"
				}
				if mf.Blocked == "" && !mf.Tests {
					// an edit of it makes this test again too
					// (patchtestmacros.go)
					mf.Tests = true
					snap.MacroFiles[file] = mf
				}
			}
		}
		if w := c.patchTargets(dec, st, removed, m); w != "" {
			return nil, "a test " + w
		}
		c.states[n.UniqueID] = st
		n.Tags = nodeTags(n)
		c.setRelation(n)
	}
	// (the CTEs of the ephemeral models they read as the snapshot's
	// compile left them, or as the patch made them: withMadeEphemerals)
	var finished bool
	var why string
	l.withMadeEphemerals(dec, func() {
		if finished = c.finishMade(tests); !finished {
			return
		}
		for i, n := range tests {
			_, ephemerals, _ := c.targetNames(n, c.states[n.UniqueID], nil)
			var w string
			if made[i].ephTests, w = l.ephemeralsRead(ephemerals); w != "" {
				why = "a test " + w
				return
			}
		}
	})
	if !finished {
		return nil, "a compile of its tests says something"
	}
	if why != "" {
		return nil, why
	}
	for i, n := range tests {
		// what it may read (vars, env vars, --full-refresh: in its
		// arguments, its where: or its macros) makes it again when it
		// changes (patchtestvars.go)
		st := c.states[n.UniqueID]
		switch {
		case st == nil:
			return nil, "a test did not render"
		case volatileText(n.RawCode):
			return nil, "a test may render differently every time"
		case !remakeableTest(n, c.project.Name):
			if f := n.Fingerprint; f != nil && len(f.VarNames)+len(f.EnvVarNames) > 0 {
				return nil, "a test reads a var"
			}
			if c.readsFullRefresh(n.RawCode, st.macros) {
				return nil, "a test may read --full-refresh"
			}
		default:
			snap.readsByTest(n.UniqueID, c.renderReads(st))
		}
		if n.CompiledCode == "" {
			return nil, "a test compiles to nothing"
		}
		var err error
		if made[i].frag, err = appendNode(nil, n); err != nil {
			return nil, err.Error()
		}
	}
	return made, ""
}

// finishMade runs the whole compile's steps after rendering (run) for
// nodes a patch made (tests, unit tests): their configs checked, refs and
// SQL resolved, entries settled; false when the compile says anything.
func (c *compilation) finishMade(nodes []*Node) bool {
	c.nodes = nodes
	for _, n := range nodes {
		c.checkNodeConfig(n)
	}
	c.resolveRefs()
	c.resolveSQL()
	for _, n := range nodes {
		c.setUnrendered(n)
		c.settleEntry(n)
	}
	c.nodes = nil
	return len(c.diags) == 0
}

// declaredTests are the generic tests a properties file declares on the
// node id, as the node index has them (another model's relationships
// test to it aside): as removed (goneModel.test).
func (l *patchLoad) declaredTests(dec *entryDecoder, id, file string) ([]goneModel, string) {
	// the index's tests by the file that declares them and each of their
	// parents, made once (a patch that makes the tests of 100 entries
	// again looked through every node of the index for each)
	if l.testsIn == nil || l.testsInLen != len(l.ix.nodes) {
		l.testsIn, l.testsInLen = map[[2]string][]int{}, len(l.ix.nodes)
		for i := range l.ix.nodes {
			if in := &l.ix.nodes[i]; in.sel.ResourceType == TypeTest {
				for _, d := range in.sel.DependsOn {
					k := [2]string{in.sel.Path, d}
					l.testsIn[k] = append(l.testsIn[k], i)
				}
			}
		}
	}
	var out []goneModel
	for _, i := range l.testsIn[[2]string{file, id}] {
		in := &l.ix.nodes[i]
		if in.gone || in.sel.ResourceType != TypeTest || in.sel.Path != file || !slices.Contains(in.sel.DependsOn, id) {
			continue
		}
		old, err := dec.decode(i)
		if err != nil {
			return nil, err.Error()
		}
		if old.TestType != "generic" || old.AttachedNode != id {
			continue // another model's relationships test
		}
		out = append(out, goneModel{ni: -1, pos: i, n: *old, test: true})
	}
	return out, ""
}
