package compiler

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Patching an edit of a macro that generic tests call: a project's own
// test ({% test positive(model, column_name) %}), one that overrides a
// builtin, or a macro such a test calls. The snapshot's compile marks the
// macro files generic tests of the project's own properties files called
// (macroFile.Tests) instead of blocking them, and does not keep the
// tests: a test's manifest.json entry lists every macro its render
// called (depends_on.macros), so a patch that changes a macro of such a
// file finds the tests that called it there, and makes all the tests of
// each properties file's entry that declares one of them again, as an
// edit of the entry's tests does (remakeTests: from the entry's text,
// with every check that takes). A test made again keeps its id (the id
// hashes its declaration, not its SQL) and its entry is replaced where it
// is. Tests a later patch adds find the macro by the same entries.
//
// What still compiles the whole project: a macro of such a file removed
// or renamed, a test declared in a package's properties file, on a
// versioned model, or in an entry that is not plain YAML (its tests'
// lists with Jinja, anchors or aliases: their render could read vars),
// and everything remakeTests refuses (a test that queries the warehouse,
// one the compile said something about, one whose parents change).

// remakeableTest says a node whose render called a macro is a generic
// test whose macro edits a patch makes again (macroFile.Tests): an
// enabled one the root project's YAML declares on a node of its own. A
// disabled test renders too, but manifest.json keeps it apart, where a
// patch would not find it (a review found an edit enabling one kept it
// disabled): its macros' files are blocked.
func remakeableTest(n *Node, project string) bool {
	if n == nil || n.ResourceType != TypeTest || n.TestType != "generic" || n.Package != project ||
		!n.Enabled() || n.RunTimeRender || n.yamlFile == "" {
		return false
	}
	_, rest, _ := strings.Cut(n.AttachedNode, ".") // the node it tests is the project's too
	return strings.HasPrefix(rest, project+".")
}

// macroTestEdits are the entries whose generic tests called one of the
// macros ids (unique ids: macro.<project>.<name>): each as a testEdit of
// its properties file (texts: those the edit changed), but those already
// in done or remade (newEntryHits); or why they cannot be made again.
func (l *patchLoad) macroTestEdits(ids []string, texts map[string][]byte, done []testEdit, remade map[string]bool) ([]testEdit, string) {
	if why := l.unversionedIndex(); why != "" {
		return nil, why
	}
	snap := l.snap
	ix := l.ix
	pats := make([][]byte, len(ids))
	for i, id := range ids {
		pats[i] = appendString(nil, id) // as manifest.json writes it, quoted
	}
	// the generic tests' entries are read in spans of consecutive ones
	// (manifest.json writes nodes in id order: the tests are together),
	// one read a span, and each entry searched for the macros' ids
	var hits []int
	const span = 4 << 20
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.close()
	var group []int
	var buf []byte
	flush := func() string {
		if len(group) == 0 {
			return ""
		}
		from, to := snap.Entries[group[0]][0], snap.Entries[group[len(group)-1]][1]
		buf = slices.Grow(buf[:0], int(to-from))[:to-from]
		if _, err := dec.f.ReadAt(buf, from); err != nil {
			return "manifest.json is unreadable"
		}
		for _, i := range group {
			at := snap.Entries[i]
			entry := buf[at[0]-from : at[1]-from]
			if slices.ContainsFunc(pats, func(p []byte) bool { return bytes.Contains(entry, p) }) {
				hits = append(hits, i)
			}
		}
		group = group[:0]
		return ""
	}
	for i := range ix.nodes {
		in := &ix.nodes[i]
		if in.gone || in.sel.ResourceType != TypeTest || in.sel.TestType != "generic" || i >= len(snap.Entries) {
			continue
		}
		at, err := dec.span(i)
		if err != nil {
			return nil, err.Error()
		}
		if len(group) > 0 {
			first, last := snap.Entries[group[0]], snap.Entries[group[len(group)-1]]
			if at[0] < last[1] || at[1]-first[0] > span {
				if why := flush(); why != "" {
					return nil, why
				}
			}
		}
		group = append(group, i)
	}
	if why := flush(); why != "" {
		return nil, why
	}
	// making a test again reads its entry, and its model's, and those of
	// the entry's other tests, which costs about four times what the
	// whole compile spends on a node: past a twentieth of the index, the
	// whole compile is as fast (10,000 entries of the 10k bench project
	// made again took 5 s, a whole compile 1.5 s)
	if limit := max(64, len(ix.nodes)/20); len(hits) > limit {
		return nil, fmt.Sprintf("%d generic tests call macros that changed, more than a patch makes again faster than a whole compile (%d)", len(hits), limit)
	}
	slices.Sort(hits)
	todo := newEntryHits(done, remade)
	for _, i := range hits {
		t, err := dec.decode(i)
		if err != nil {
			return nil, err.Error()
		}
		file := ix.nodes[i].sel.Path
		why := "generic test " + t.UniqueID + " calls a macro that changed, and "
		if !todo.has(t.AttachedNode, file) && (t.Package != l.c.project.Name || l.c.projectOf(file) != l.c.project) {
			return nil, why + "a package declares it"
		}
		todo.add(entryHit{id: t.AttachedNode, file: file, why: why})
	}
	return l.entryHitEdits(todo, texts)
}

// entryHit is a properties file's entry whose generic tests a patch makes
// again: the node they test, the file, the start of the reason a whole
// compile gives when it cannot, and what made them again when a var, env
// var or option did (byVar: testEditOf).
type entryHit struct{ id, file, why, byVar string }

// entryHits gathers entryHits, each entry once, but those edits already
// make: their test lists' (done), and the nodes the patch removes or makes
// again whole (remade, by unique id: a model whose entry's config
// changed, a source table made again with its source), whose tests it
// makes from the new text, recording what they read (readsByTest).
type entryHits struct {
	seen   map[[2]string]bool
	remade map[string]bool
	hits   []entryHit
}

func newEntryHits(done []testEdit, remade map[string]bool) *entryHits {
	h := &entryHits{seen: map[[2]string]bool{}, remade: remade}
	for _, e := range done {
		h.seen[[2]string{e.id, e.file}] = true
	}
	return h
}

func (h *entryHits) has(id, file string) bool { return h.seen[[2]string{id, file}] || h.remade[id] }

func (h *entryHits) add(e entryHit) {
	if !h.has(e.id, e.file) {
		h.seen[[2]string{e.id, e.file}] = true
		h.hits = append(h.hits, e)
	}
}

// entryHitEdits are the gathered entries as testEdits of their properties
// files (testEditOf), in order (sortTestEdits); or why one cannot be made
// again.
func (l *patchLoad) entryHitEdits(h *entryHits, texts map[string][]byte) ([]testEdit, string) {
	var files []string
	for _, e := range h.hits {
		if !slices.Contains(files, e.file) {
			files = append(files, e.file)
		}
	}
	if why := l.propsTops(files, texts); why != "" {
		return nil, why
	}
	out := make([]testEdit, 0, len(h.hits))
	for _, e := range h.hits {
		edit, w := l.testEditOf(e.id, e.file, texts, e.byVar)
		if w != "" {
			return nil, e.why + w
		}
		out = append(out, edit)
	}
	sortTestEdits(out)
	return out, ""
}

// sortTestEdits orders edits by the node whose tests they make, then by
// the properties file that declares them.
func sortTestEdits(edits []testEdit) {
	slices.SortFunc(edits, func(a, b testEdit) int {
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return strings.Compare(a.file, b.file)
	})
}

// testEditOf is the entry of properties file file that declares the
// tests of node id (a model, seed or snapshot by name, a source table in
// its source), as remakeTests takes an edit of its tests: made again
// because a macro they call changed, or (byVar: what) a var, env var or
// option their arguments or where: may read.
func (l *patchLoad) testEditOf(id, file string, texts map[string][]byte, byVar string) (testEdit, string) {
	typ, rest, _ := strings.Cut(id, ".")
	pkg, name, _ := strings.Cut(rest, ".")
	if pkg != l.c.project.Name {
		return testEdit{}, "it tests a package's node"
	}
	e := testEdit{id: id, name: name, file: file, byMacro: byVar == "", byVar: byVar}
	plain := plainTree
	if byVar != "" {
		plain = plainTestList // (what made them again is in their arguments)
	}
	switch typ {
	case TypeSource:
		top, why := l.propsTopOf(file, texts)
		if why != "" {
			return testEdit{}, why
		}
		src, table, _ := strings.Cut(name, ".")
		if e.source, e.entry = sourceEntry(top, src, table); e.entry == nil {
			return testEdit{}, "its source table's entry is not there once"
		}
	case TypeModel, TypeSeed, TypeSnapshot:
		var why string
		if e.entry, why = l.listEntryWith(file, typ+"s", name, texts, plain); why != "" {
			return testEdit{}, why
		}
	default:
		return testEdit{}, "it tests a " + typ
	}
	if !plainTests(e.entry, plain) {
		return testEdit{}, "its entry's tests are not plain YAML"
	}
	return e, ""
}

// plainTests says the test lists of an entry and of its columns are
// plain YAML (plain: plainTree, or plainTestList).
func plainTests(entry *yaml.Node, plain func(*yaml.Node) bool) bool {
	if entry == nil || entry.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(entry.Content); i += 2 {
		k, v := entry.Content[i], entry.Content[i+1]
		switch {
		case isTestKey(k):
			if !plain(v) {
				return false
			}
		case isStr(k) && k.Value == "columns" && v.Kind == yaml.SequenceNode:
			for _, col := range v.Content {
				if col.Kind != yaml.MappingNode {
					return false
				}
				for j := 0; j+1 < len(col.Content); j += 2 {
					if isTestKey(col.Content[j]) && !plain(col.Content[j+1]) {
						return false
					}
				}
			}
		}
	}
	return true
}

// plainTestList says a list of tests is plain YAML but for the Jinja in
// their arguments and where: configs, which render in the tests' own
// renders (genericTest: a var they read is in their text, and in
// VarUse's Tests), not when the file loads as the rest of a test's config
// does (varRead): each test a name, or a mapping of its name to a mapping
// of plain keys.
func plainTestList(n *yaml.Node) bool {
	if n.Kind != yaml.SequenceNode || n.Anchor != "" {
		return plainTree(n)
	}
	for _, t := range n.Content {
		if t.Kind != yaml.MappingNode || len(t.Content) != 2 || t.Anchor != "" {
			if !plainTree(t) {
				return false
			}
			continue
		}
		name, body := t.Content[0], t.Content[1]
		if !plainTree(name) || body.Kind != yaml.MappingNode || body.Anchor != "" {
			if !plainTree(t) {
				return false
			}
			continue
		}
		for i := 0; i+1 < len(body.Content); i += 2 {
			k, v := body.Content[i], body.Content[i+1]
			if !plainTree(k) || !isStr(k) {
				return false
			}
			ok := false
			switch key := k.Value; {
			case key == "config":
				ok = v.Kind == yaml.MappingNode && v.Anchor == ""
				for j := 0; ok && j+1 < len(v.Content); j += 2 {
					ck, cv := v.Content[j], v.Content[j+1]
					ok = plainTree(ck) && isStr(ck) && (normalizeConfigKey(ck.Value) == "where" && unaliased(cv) || plainTree(cv))
				}
			case key == "where", key == "arguments", !testConfigKeys[key] && key != "name" && key != "description" && key != "test_name":
				ok = unaliased(v) // rendered in the test's render
			default:
				ok = plainTree(v)
			}
			if !ok {
				return false
			}
		}
	}
	return true
}
