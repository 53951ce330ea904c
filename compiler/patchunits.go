package compiler

import (
	"slices"
	"sort"
	"strings"
)

// Patching an edit of a properties file's unit_tests: (their given and
// expected rows, descriptions, config, overrides; unit tests added or
// removed). A unit test renders nothing: its manifest.json entry is its
// YAML, checked against what its model reads (addUnitTests), and its node
// index row holds where it is declared and its rows with their Go types.
// So when the unit_tests: list of a file of the root project changed, to
// plain YAML (no Jinja, which their config: would render; no anchors),
// the patch makes every unit test of the file again from the new text, as
// the whole compile makes them (unitTestNode, with the model's refs and
// sources from its entry): one with an id the file declared before
// replaces its entry where it is and its index row (with its new line:
// lines may move, as in a file of models alone); one with a new id (a new
// name, or another model) is inserted into the unit_tests object, the
// parent and child maps and the index, and one the file no longer
// declares is cut out of them (graphSplices), as a generic test is. The
// model's refs and sources are its entry's: a patch that changes those of
// a model a unit test tests compiles whole (canReshape, and reshaped for
// a model a unit test added in the same save tests), and the snapshot
// adds the models a unit test now tests to UnitTested.
//
// The project's first unit test added or its last removed leaves the
// unit_tests object filled from empty or empty (graphSplices,
// objectOpens). A properties file added with unit tests is made as one
// edited from no text, a removed one as one edited to none
// (wholePropsFiles). A unit test whose model is not an enabled model
// of the node index, a project with versioned models, anything a compile
// of them says, and a file the compile said something about compile the
// whole project. A unit_tests: list as it was, whose lines moved, is
// shifted with the file's other nodes (LineShifts) and not made again.

// remakeUnitTests makes the unit tests of the properties files files
// again from their new texts (by path): each replaces the entry and the
// index row of the unit test with its id (newModel.replace,
// goneModel.replaced), or is inserted, and those no longer declared go;
// reshaped are the models whose refs or sources the patch changes. Or it
// says why it cannot.
func (l *patchLoad) remakeUnitTests(proj *Project, files []string, texts map[string][]byte, reshaped map[string]bool) (news []*newModel, gone []goneModel, why string) {
	snap, c := l.snap, l.c
	if why := l.unversionedIndex(); why != "" {
		return nil, nil, why
	}
	ix := l.ix
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, nil, err.Error()
	}
	defer dec.close()
	blobs, err := openBlobs(l.file, snap)
	if err != nil {
		return nil, nil, "the snapshot's blobs file is unreadable"
	}
	defer blobs.Close()
	byID := snap.nodeIndex()
	// a unit test disabled (by its config, or by the project file's
	// unit_tests: folder config) is in manifest.json's disabled object,
	// which no patch of unit tests writes: one the file declared would stay
	// there (found by review)
	if i, _ := slices.BinarySearch(snap.Disabled, "unit_test."); i < len(snap.Disabled) && strings.HasPrefix(snap.Disabled[i], "unit_test.") {
		return nil, nil, "the project has disabled unit tests"
	}
	for _, file := range files {
		why := file + " changed its unit tests and "
		for _, d := range snap.Diags {
			if d.File == file {
				return nil, nil, why + "the compile said something about it"
			}
		}
		p, diags := parseProperties(file, texts[file], proj.Vars)
		if p == nil || len(diags) > 0 {
			return nil, nil, why + "it does not parse cleanly"
		}
		// a disabled unit test is in manifest.json's disabled object, not
		// in the node index: one the file disabled, before or now, is not
		// patched (found by review)
		// (an added file had no text; a removed one has none now: texts)
		var was []byte
		if ref, ok := snap.Props[file]; ok {
			if was, err = readBlobRef(blobs, ref); err != nil {
				return nil, nil, why + "the snapshot's text of it is unreadable"
			}
		}
		before, _ := parseProperties(file, was, proj.Vars)
		if before == nil || setsEnabled(before.UnitTests) || setsEnabled(p.UnitTests) {
			return nil, nil, why + "one sets enabled: (disabled unit tests are not patched)"
		}
		// the unit tests the file declared, by id: their places in the index
		declared := map[string]int{}
		for i := range ix.nodes {
			if in := &ix.nodes[i]; !in.gone && in.sel.ResourceType == TypeUnitTest && in.sel.Path == file {
				declared[in.sel.UniqueID] = i
			}
		}
		ctx := c.yamlContext(proj.Vars)
		made := make([]*Node, 0, len(p.UnitTests))
		for _, u := range p.UnitTests {
			i, ok := ix.byName[u.Model]
			if !ok {
				return nil, nil, why + "the node index has no model " + u.Model
			}
			m, err := dec.decode(i)
			if err != nil {
				return nil, nil, why + err.Error()
			}
			if m.ResourceType != TypeModel || !m.Enabled() {
				return nil, nil, why + u.Model + " is not an enabled model"
			}
			if reshaped[m.UniqueID] {
				return nil, nil, why + "the refs or sources of " + u.Model + ", which they test, changed"
			}
			c.renderPropConfig(file, ctx, u.Config, nil, u.Line)
			made = append(made, c.unitTestNode(c.projectOf(file), file, u, m, &renderState{refs: m.Refs, sources: m.Sources}))
		}
		if !c.finishMade(made) {
			return nil, nil, why + "a compile of them says something"
		}
		seen := map[string]bool{}
		for _, n := range made {
			switch {
			case seen[n.UniqueID]:
				return nil, nil, why + n.UniqueID + " is declared twice"
			case !n.Enabled():
				return nil, nil, why + n.UniqueID + " is disabled"
			}
			seen[n.UniqueID] = true
			frag, err := appendNode(nil, n)
			if err != nil {
				return nil, nil, why + err.Error()
			}
			if !snap.unitTested(n.AttachedNode) {
				if _, patchable := byID[n.AttachedNode]; patchable {
					i, _ := slices.BinarySearch(snap.UnitTested, n.AttachedNode)
					snap.UnitTested = slices.Insert(snap.UnitTested, i, n.AttachedNode)
				}
			}
			pos, ok := declared[n.UniqueID]
			if !ok { // added
				if _, elsewhere := ix.pos[n.UniqueID]; elsewhere {
					return nil, nil, why + n.UniqueID + " is declared in another file too"
				}
				news = append(news, &newModel{n: n, test: true, frag: frag})
				continue
			}
			if pos >= len(snap.Entries) {
				return nil, nil, why + "the snapshot does not know where " + n.UniqueID + " is in manifest.json"
			}
			old, err := dec.decode(pos)
			if err != nil {
				return nil, nil, why + err.Error()
			}
			if !slices.Equal(old.DependsOn.Nodes, n.DependsOn.Nodes) {
				return nil, nil, why + n.UniqueID + " changed its parents"
			}
			at := snap.Entries[pos]
			news = append(news, &newModel{n: n, test: true, replace: &at, frag: frag})
			gone = append(gone, goneModel{ni: -1, pos: pos, n: *old, test: true, replaced: true})
		}
		for _, id := range sortedKeys(declared) { // removed
			if seen[id] {
				continue
			}
			old, err := dec.decode(declared[id])
			if err != nil {
				return nil, nil, why + err.Error()
			}
			gone = append(gone, goneModel{ni: -1, pos: declared[id], n: *old, test: true})
		}
	}
	sort.Slice(news, func(i, j int) bool { return news[i].n.UniqueID < news[j].n.UniqueID })
	return news, gone, ""
}

// setsEnabled says whether a unit test of units has an enabled: config
// (parseProperties leaves none null: nullEntries).
func setsEnabled(units []*propUnit) bool {
	for _, u := range units {
		if _, ok := u.Config["enabled"]; ok {
			return true
		}
	}
	return false
}
