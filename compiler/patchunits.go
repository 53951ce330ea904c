package compiler

import (
	"slices"
	"sort"
)

// Patching an edit of a properties file's unit_tests: (their given and
// expected rows, descriptions, config, overrides). A unit test renders
// nothing: its manifest.json entry is its YAML, checked against what its
// model reads (addUnitTests), and its node index row holds where it is
// declared and its rows with their Go types. So when the unit_tests: list
// of a file of the root project changed, to plain YAML (no Jinja, which
// their config: would render; no anchors), the patch makes every unit
// test of the file again from the new text, as the whole compile makes
// them (unitTestNode, with the model's refs and sources from its entry),
// and replaces each one's entry where it is and its index row (with its
// new line: lines may move, as in a file of models alone). The model's
// refs and sources are its entry's: a patch that changes those of a model
// a unit test tests compiles whole (canReshape).
//
// Unit tests added, removed or renamed (their ids are not the ones the
// file declared), a unit test whose model is not a plain enabled model of
// the node index, a project with versioned models, anything a compile of
// them says, and a file the compile said something about compile the
// whole project. A unit_tests: list as it was, whose lines moved, is
// shifted with the file's other nodes (LineShifts) and not made again.

// remakeUnitTests makes the unit tests of the properties files files
// again from their new texts (by path): each replaces the entry and the
// index row of the unit test with its id (newModel.replace,
// goneModel.replaced); or says why it cannot.
func (l *patchLoad) remakeUnitTests(proj *Project, files []string, texts map[string][]byte) (news []*newModel, gone []goneModel, why string) {
	snap, c := l.snap, l.c
	if why := l.index(); why != "" {
		return nil, nil, why
	}
	ix := l.ix
	if len(ix.versions) > 0 {
		return nil, nil, "the project has versioned models"
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, nil, err.Error()
	}
	defer dec.close()
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
		// the unit tests the file declared, by id: their places in the index
		declared := map[string]int{}
		for i := range ix.nodes {
			if in := &ix.nodes[i]; !in.gone && in.sel.ResourceType == TypeUnitTest && in.sel.Path == file {
				declared[in.sel.UniqueID] = i
			}
		}
		if len(p.UnitTests) != len(declared) {
			return nil, nil, why + "added or removed some"
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
			c.renderPropConfig(file, ctx, u.Config, nil, u.Line)
			if n := c.unitTestNode(file, u, m, &renderState{refs: m.Refs, sources: m.Sources}); n != nil {
				made = append(made, n)
			}
		}
		c.nodes = made
		for _, n := range made {
			c.checkNodeConfig(n)
		}
		c.resolveRefs()
		c.resolveSQL()
		for _, n := range made {
			c.setUnrendered(n)
			c.settleEntry(n)
		}
		c.nodes = nil
		if len(c.diags) > 0 {
			return nil, nil, why + "a compile of them says something"
		}
		seen := map[string]bool{}
		for _, n := range made {
			pos, ok := declared[n.UniqueID]
			switch {
			case !ok:
				return nil, nil, why + "renamed " + n.UniqueID + " or moved it to another model"
			case seen[n.UniqueID]:
				return nil, nil, why + n.UniqueID + " is declared twice"
			case !n.Enabled():
				return nil, nil, why + n.UniqueID + " is disabled"
			case pos >= len(snap.Entries):
				return nil, nil, why + "the snapshot does not know where " + n.UniqueID + " is in manifest.json"
			}
			seen[n.UniqueID] = true
			old, err := dec.decode(pos)
			if err != nil {
				return nil, nil, why + err.Error()
			}
			if !slices.Equal(old.DependsOn.Nodes, n.DependsOn.Nodes) {
				return nil, nil, why + n.UniqueID + " changed its parents"
			}
			frag, err := appendNode(nil, n)
			if err != nil {
				return nil, nil, why + err.Error()
			}
			at := snap.Entries[pos]
			news = append(news, &newModel{n: n, test: true, replace: &at, frag: frag})
			gone = append(gone, goneModel{ni: -1, pos: pos, n: *old, test: true, replaced: true})
		}
	}
	sort.Slice(news, func(i, j int) bool { return news[i].n.UniqueID < news[j].n.UniqueID })
	return news, gone, ""
}
