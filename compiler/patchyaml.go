package compiler

import (
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mart-dev/mart/compiler/blockyaml"
	"gopkg.in/yaml.v3"
)

// Patching a YAML edit that only rewrites descriptions (and columns of the
// manifest entry alone): the snapshot keeps
// the text of each properties file of the project as its compile read it
// (blobs file, patchHead.Props). When such a file changed, both texts are
// parsed into YAML trees and compared node by node (kind, tag, value,
// anchor, column; comments and quoting style aside), except at the
// `description:` of `models:` entries and of their `columns:`, which may
// be edited, added, removed or spread over more lines. When nothing else
// differs, what the edit changes is exactly those models' description and
// their columns' descriptions in manifest.json: no render reads them
// (`model` has no description; `graph` does, and a project whose
// templates read it keeps no snapshot), and no test, relation, config or
// diagnostic depends on them. Their manifest entries are written with the
// new descriptions.
//
// Lines may move (a description added, a comment line): in a file of
// models, sources, seeds and snapshots alone, where the only positions a
// compile keeps are where each of their nodes and tests is declared (the
// node index, read by runs: where a failing test points; the other lines
// of a source, its freshness: and extract: keys, are read by the whole
// compiles of the commands that check them). The snapshot shifts those
// (patchHead.LineShifts), unless the compile said something about the
// file (its diagnostics would move).
//
// A columns: list may also gain, lose, rename or rewrite columns that are
// of the model's manifest entry alone (entryColumn: no tests, no Jinja):
// compared by name (columnsByName), they change the model's columns in
// its entry only.
//
// A model's config: added, rewritten or removed (to plain YAML) makes
// the model again from its file and its new entry, as a model moved with
// its entry kept is made (descEdit.remade; patchadd.go): its config,
// tags, meta and tests as a whole compile makes them, as long as what
// other nodes see of it stays (movedFace).
//
// Anything else falls back to a whole compile: lines moved in a file with
// unit tests or anything else (their positions are in more places), a
// description with Jinja in it that the edit changed (`{{`: rendered,
// doc() looked up), a value that is not a plain string, a model entry with
// versions, a model that is not patchable (disabled, ephemeral, rendered
// at run time...), any other key, entry or file changed.

// descChange is a description before and after an edit.
type descChange struct{ old, new string }

// descEdit is what a YAML edit changes of one model.
type descEdit struct {
	desc *descChange           // its description; nil: unchanged
	cols map[string]descChange // its columns', by name
	// columns added (or rewritten), by name, as the compile makes them,
	// and columns removed (or rewritten), by name: their descriptions.
	// Only columns of the manifest entry alone (entryColumn) are
	added   map[string]*Column
	removed map[string]string
	// tests: its tests (a data_tests: or tests: list of it or of a
	// column, a column with tests added or removed) changed, to plain
	// ones: the patch makes them again from text, the file's new text
	// (patchtests.go)
	tests bool
	// config: its config: changed (added, removed, rewritten), to plain
	// YAML: the patch makes the model again from its file and its entry
	// (entry), as one moved with its entry kept (remade; patchadd.go)
	config, remade bool
	entry          *yaml.Node // its entry in the new text
	// source: a source table's edit (sourceEdits), its source's entry in
	// the new text (its name and quoting: what its tests read)
	source *yaml.Node
	file   string
	// snapshot: the entry is a snapshots: list's (a snapshot of SQL made
	// again: patchsnapshots.go), not a models: list's; the two share
	// names in entries, which a node of the other kind must not take
	// (found by review)
	snapshot bool
	// entryAdded, entryRemoved: the model's entry is new in the file (entry),
	// or gone from removedFrom (both: moved from one file to another, with
	// its model); usedAdded, usedRemoved: by the model file added or
	// removed with it
	entryAdded, entryRemoved bool
	removedFrom              string
	usedAdded, usedRemoved   bool
	// yamlOnly: in a docs edit of a properties file edited in the same
	// save, the descriptions ("" its own, else columns' names) that call a
	// block only the new blocks have, which its YAML edit must cover
	// (mergeDocs)
	yamlOnly []string
}

// addEntry records an entry added or removed (e, of file) in entries,
// by name: a name may be removed from one file and added to another (a
// model moved with its entry), once each; false for anything else.
func addEntry(entries map[string]*descEdit, name, file string, e *descEdit) bool {
	if e.entryRemoved {
		e.removedFrom = file
	}
	if e.entryAdded {
		e.file = file
	}
	old := entries[name]
	switch {
	case old == nil:
		entries[name] = e
	case e.entryAdded && !old.entryAdded && !e.entryRemoved:
		old.entryAdded, old.entry, old.file = true, e.entry, file
	case e.entryRemoved && !old.entryRemoved && !e.entryAdded:
		old.entryRemoved, old.removedFrom = true, file
	default:
		return false
	}
	return true
}

// nodeID is the id of a root project's node from its key in propsEdits'
// others: its type, then its name ("source.raw.t", "seed.countries").
func nodeID(proj *Project, key string) string {
	typ, rest, _ := strings.Cut(key, ".")
	return typ + "." + proj.Name + "." + rest
}

// addSourceEdit records the edit e of a source table (by id) of file in
// sources: a table may be removed from one file and added to another
// (moved: made again), once each; false for anything else.
func addSourceEdit(sources map[string]*descEdit, id, file string, e *descEdit) bool {
	e.file = file
	if e.entryRemoved {
		e.removedFrom = file
	}
	old := sources[id]
	switch {
	case old == nil:
		sources[id] = e
	case old.entryRemoved && !old.entryAdded && e.entryAdded && !e.entryRemoved:
		old.entryAdded, old.entry, old.source, old.file = true, e.entry, e.source, file
	case old.entryAdded && !old.entryRemoved && e.entryRemoved && !e.entryAdded:
		old.entryRemoved, old.removedFrom = true, file
	default:
		return false
	}
	return true
}

// remadeModels is the names of the models the patch makes again from
// their files and entries, sorted: those whose YAML config changed
// (descEdit.remade), and those whose entry was added, removed or moved
// to another file while no model file of their name was added or
// removed (gone, added: the edit's; nodes: the snapshot's). An entry of
// a name no model has is left for the patch to refuse.
func remadeModels(entries map[string]*descEdit, nodes []patchNode, gone []int, added []addedFile) []string {
	files := map[string]bool{}
	for _, ni := range gone {
		files[nodes[ni].ID[strings.LastIndexByte(nodes[ni].ID, '.')+1:]] = true
	}
	for _, a := range added {
		files[a.modelName()] = true
	}
	var out []string
	for name, e := range entries {
		if e.remade || !files[name] {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// columnsChanged says the edit adds or removes columns.
func (e *descEdit) columnsChanged() bool { return len(e.added)+len(e.removed) > 0 }

// propsTree parses a properties file into its top node (nil for an empty
// file), as parseProperties does: blockyaml where it can, else yaml.v3.
func propsTree(data []byte) (*yaml.Node, error) {
	if top, ok := blockyaml.Parse(data); ok {
		return top, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if len(root.Content) > 0 {
		return root.Content[0], nil
	}
	return nil, nil
}

// inertKeys are the top-level keys of a properties file that the compile
// accepts and reads nothing of (parseProperties: dbt's exposures, semantic
// layer, groups, and the properties of macros; analyses: and data_tests:,
// which describe analyses and singular tests, are read): an edit of their
// values changes nothing it writes, unless it makes the compile fail or
// changes what another key reads (inertValue).
var inertKeys = map[string]bool{"macros": true, "exposures": true, "metrics": true, "semantic_models": true,
	"saved_queries": true, "groups": true}

// inertValue says an inert key's value changes nothing the compile
// writes: it defines no anchor (an alias elsewhere would read it), and
// holds no empty item in a list of entries (a columns: list of an
// analysis, say), which fails the compile (nullEntries).
func inertValue(v *yaml.Node) bool {
	return !hasAnchor(v) && len(nullEntries("", v)) == 0
}

// withoutInert compares the inert keys of two top-level mappings, and
// returns them without those keys (copies: the trees are not changed).
// An inert key may be added, removed, moved, or changed in what the
// compile does not read (inertValue), else it must be as it was. Its
// lines are not in m: nothing keeps them (the node index has entries'
// lines; the compile says nothing there), so the lines of the other keys
// may move around them. False when one is twice in b, which fails the
// compile.
func withoutInert(a, b *yaml.Node) (*yaml.Node, *yaml.Node, bool) {
	inert := func(n *yaml.Node) (*yaml.Node, map[string]*yaml.Node, bool) {
		var kept []*yaml.Node
		values := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if !isStr(k) || !inertKeys[k.Value] {
				kept = append(kept, k, v)
				continue
			}
			if values[k.Value] != nil {
				return nil, nil, false
			}
			values[k.Value] = v
		}
		if len(values) == 0 {
			return n, nil, true
		}
		c := *n
		c.Content, c.Line, c.Column = kept, 0, 0
		if len(kept) > 0 {
			c.Line, c.Column = kept[0].Line, kept[0].Column
		}
		return &c, values, true
	}
	ca, va, okA := inert(a)
	cb, vb, okB := inert(b)
	if !okA || !okB {
		return nil, nil, false
	}
	for key, x := range va {
		if y := vb[key]; y != nil {
			if (lineMap{}).tree(x, y) {
				continue // as it was, wherever it moved
			}
			if !inertValue(y) {
				return nil, nil, false
			}
		}
		if !inertValue(x) {
			return nil, nil, false
		}
	}
	for key, y := range vb {
		if va[key] == nil && !inertValue(y) {
			return nil, nil, false
		}
	}
	return ca, cb, true
}

// twiceKeyed says a mapping has two keys the YAML decoder takes for one
// (of one kind and value, whatever their tags and anchors): decoding it,
// as the compile does a properties file's top (parseProperties), fails.
func twiceKeyed(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		for j := i + 2; j+1 < len(n.Content); j += 2 {
			if n.Content[i].Kind == n.Content[j].Kind && n.Content[i].Value == n.Content[j].Value {
				return true
			}
		}
	}
	return false
}

func hasAnchor(n *yaml.Node) bool {
	if n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAnchor(c) {
			return true
		}
	}
	return false
}

// descriptionEdits compares a properties file's text before and after an
// edit: by model name, the descriptions it changed, and how it moved the
// lines of everything else (nil: nothing moved), or false when it changed
// anything else. A description may be added or removed, and may span
// lines; lines may move only in a file of models, sources, seeds and
// snapshots alone, whose nodes' lines the snapshot shifts (lineShift).
func descriptionEdits(old, new []byte) (map[string]*descEdit, []lineShift, bool) {
	edits, _, moved, units, ok := propsEdits(old, new)
	return edits, moved, ok && !units
}

// propsEdits is descriptionEdits with what an edit changed of sources'
// tables (sourceEdits), seeds and snapshots (seedEdits), by their type and name
// ("source.raw.t", "seed.countries": nodeID), and whether it changed the
// file's unit tests (units: the patch makes them all again from the new
// text, patchunits.go).
func propsEdits(old, new []byte) (edits, sources map[string]*descEdit, moved []lineShift, units, ok bool) {
	a, errA := propsTree(old)
	b, errB := propsTree(new)
	if errA != nil || errB != nil || (a == nil) != (b == nil) {
		return nil, nil, nil, false, false
	}
	edits = map[string]*descEdit{}
	sources = map[string]*descEdit{}
	if a == nil {
		return edits, sources, nil, false, true
	}
	m := lineMap{}
	if twiceKeyed(b) {
		return nil, nil, nil, false, false // the YAML decoder fails on it
	}
	if a.Kind == yaml.MappingNode && b.Kind == yaml.MappingNode {
		var ok bool
		if a, b, ok = withoutInert(a, b); !ok {
			return nil, nil, nil, false, false
		}
	}
	if !m.same(a, b) {
		return nil, nil, nil, false, false
	}
	if a.Kind != yaml.MappingNode {
		return edits, sources, nil, false, m.tree(a, b) && m.unmoved()
	}
	// lines may move in a file of models, sources, seeds, snapshots, unit
	// tests and what the compile does not read alone: the only positions a
	// compile keeps of them are in the node index
	shiftable := true
	for i := 0; i+1 < len(a.Content); i += 2 {
		ka, va, kb, vb := a.Content[i], a.Content[i+1], b.Content[i], b.Content[i+1]
		if !m.tree(ka, kb) {
			return nil, nil, nil, false, false
		}
		if !isStr(ka) || ka.Value != "version" && ka.Value != "models" && ka.Value != "sources" && ka.Value != "seeds" &&
			ka.Value != "snapshots" && ka.Value != "unit_tests" {
			shiftable = false
		}
		if isStr(ka) && ka.Value == "unit_tests" {
			// as they were (their lines may move: shifted with the
			// others'), else made again from the new text, which must be
			// plain YAML (their config: renders Jinja); their lines are
			// then the new text's, and not in m
			same := lineMap{}
			switch {
			case same.tree(va, vb):
				if !m.merge(same) {
					return nil, nil, nil, false, false
				}
			case vb.Kind == yaml.SequenceNode && plainTree(vb):
				units = true
			default:
				return nil, nil, nil, false, false
			}
			continue
		}
		if isStr(ka) && ka.Value == "sources" && va.Kind == yaml.SequenceNode {
			if !m.sourceEdits(va, vb, sources) {
				return nil, nil, nil, false, false
			}
			continue
		}
		if isStr(ka) && (ka.Value == "seeds" || ka.Value == "snapshots") && va.Kind == yaml.SequenceNode {
			if !m.seedEdits(va, vb, sources, strings.TrimSuffix(ka.Value, "s")) {
				return nil, nil, nil, false, false
			}
			continue
		}
		if !isStr(ka) || ka.Value != "models" || va.Kind != yaml.SequenceNode {
			if !m.tree(va, vb) {
				return nil, nil, nil, false, false
			}
			continue
		}
		na, okA := columnNames(va.Content)
		nb, okB := columnNames(vb.Content)
		if okA && okB && !slices.Equal(na, nb) {
			// entries added or removed (a model file added or removed with
			// its entry: patchadd.go), matched by name
			if !m.entriesByName(va, vb, na, nb, edits) {
				return nil, nil, nil, false, false
			}
			continue
		}
		if !m.same(va, vb) {
			return nil, nil, nil, false, false
		}
		for j := range va.Content {
			if !m.modelEdits(va.Content[j], vb.Content[j], edits) {
				return nil, nil, nil, false, false
			}
		}
	}
	if m.unmoved() {
		return edits, sources, nil, units, true
	}
	shifts, ok := m.shifts()
	if !ok || !shiftable {
		return nil, nil, nil, false, false
	}
	return edits, sources, shifts, units, true
}

// sourceEdits compares a sources: list before (a) and after (b) an edit:
// the sources and their tables as they were but for descriptions (of a
// source, a table, a table's column: plain strings), which go into out by
// "source.table" as the compile resolves a table's (its own, else its
// source's), for a table's tests (its own and its columns', changed to
// plain ones: descEdit.tests, with the table's and its source's entries)
// and for its columns added or removed. Sources and tables are matched
// by name: a table of plain YAML added (descEdit.entryAdded, with its and
// its source's entries), removed (entryRemoved) or changed in anything
// else (both, remade: the patch makes it again, patchsources.go), a
// source of plain YAML added or removed with its tables; a value of a
// source's own key (its meta, freshness, loaded_at_field...) changed to
// plain YAML, all its tables made again. False when anything else
// changed: a source's own key added or removed, the order of sources or
// tables, YAML that is not plain.
func (m lineMap) sourceEdits(a, b *yaml.Node, out map[string]*descEdit) bool {
	na, okA := columnNames(a.Content)
	nb, okB := columnNames(b.Content)
	if !okA || !okB {
		return m.tree(a, b) // an item without a name, two of one name
	}
	if !sameList(a, b) {
		return false
	}
	return matchByName(na, nb, func(i, j int) bool {
		return m.sourceEdit(nb[j], a.Content[i], b.Content[j], out)
	}, func(j int) bool {
		return plainTree(b.Content[j]) && wholeSource(nb[j], nil, b.Content[j], out)
	}, func(i int) bool {
		return wholeSource(na[i], a.Content[i], nil, out)
	})
}

// seedEdits compares a seeds: (or snapshots:) list before (a) and after
// (b) an edit: the same entries, in the same order, whose descriptions,
// columns and tests may change as a model's do (modelEdits), into out by
// "seed.name" ("snapshot.name": typ), and their config (config set: the
// seed is made again, patchseeds.go; the snapshot, patchsnapshots.go);
// false when anything else changed (a YAML snapshot's relation:).
func (m lineMap) seedEdits(a, b *yaml.Node, out map[string]*descEdit, typ string) bool {
	if !m.same(a, b) {
		return false
	}
	edits := map[string]*descEdit{}
	for j := range a.Content {
		if !m.modelEdits(a.Content[j], b.Content[j], edits) {
			return false
		}
	}
	for name, e := range edits {
		if e.entryAdded || e.entryRemoved || out[typ+"."+name] != nil {
			return false
		}
		out[typ+"."+name] = e
	}
	return true
}

// sameList compares two lists whose items are matched by name: as same,
// but for the lists' own lines, which are their first items' (another
// item's now, when one was added or removed before it).
func sameList(a, b *yaml.Node) bool {
	return a.Kind == b.Kind && a.ShortTag() == b.ShortTag() && a.Anchor == "" && b.Anchor == "" && a.Column == b.Column
}

// wholeSource puts into out each table of a source added (b) or removed
// (a) as such.
func wholeSource(name string, a, b *yaml.Node, out map[string]*descEdit) bool {
	src := a
	if src == nil {
		src = b
	}
	tables, ok := sourceTables(src)
	if !ok {
		return false
	}
	names, ok := columnNames(tables)
	if !ok {
		return false
	}
	for k, t := range names {
		e := &descEdit{entryRemoved: a != nil, entryAdded: b != nil}
		if b != nil {
			e.entry, e.source = tables[k], b
		}
		key := TypeSource + "." + name + "." + t
		if out[key] != nil {
			return false // declared twice: the compile says so
		}
		out[key] = e
	}
	return true
}

// sourceTables is a source entry's tables: items (none without the key).
func sourceTables(src *yaml.Node) ([]*yaml.Node, bool) {
	pairs, _, ok := entryPairs(src)
	if !ok {
		return nil, false
	}
	for _, kv := range pairs {
		if isStr(kv[0]) && kv[0].Value == "tables" {
			if kv[1].Kind != yaml.SequenceNode {
				return nil, false
			}
			return kv[1].Content, true
		}
	}
	return nil, true
}

// sourceEdit compares one source (named name) before (sa) and after (sb)
// an edit, as sourceEdits.
func (m lineMap) sourceEdit(name string, sa, sb *yaml.Node, out map[string]*descEdit) bool {
	if sa.Kind != yaml.MappingNode || sb.Kind != yaml.MappingNode {
		return m.tree(sa, sb)
	}
	pa, da, okA := entryPairs(sa)
	pb, db, okB := entryPairs(sb)
	if !okA || !okB || !m.sameButContent(sa, sb) {
		return false
	}
	// a key of its own added or removed: the keys both have, in order
	pa, pb, keysChanged := sharedKeys(pa, pb)
	if pa == nil {
		return false
	}
	src, ok := m.descriptions(da, db)
	if !ok {
		return false
	}
	type table struct {
		name  string
		desc  descChange
		edit  descEdit   // its columns', its tests; remade, added, removed
		entry *yaml.Node // in the new text
	}
	var tables []table
	// own: a key of the source's own (not its tables' nor its
	// description) changed its value, or was added or removed: every
	// table of it is made again with it (their freshness,
	// loaded_at_field, meta, schema... are the source's where their own
	// are not)
	own := keysChanged
	for i := range pa {
		ka, va, kb, vb := pa[i][0], pa[i][1], pb[i][0], pb[i][1]
		if !m.tree(ka, kb) {
			return false
		}
		if !isStr(ka) || ka.Value != "tables" || va.Kind != yaml.SequenceNode || vb.Kind != yaml.SequenceNode {
			scratch := lineMap{}
			switch {
			case scratch.tree(va, vb) && m.merge(scratch):
			case isStr(ka) && ka.Value != "tables" && plainTree(vb):
				own = true // its lines its own (as a table made again)
			default:
				return false
			}
			continue
		}
		ta, okA := columnNames(va.Content)
		tb, okB := columnNames(vb.Content)
		if !okA || !okB || !sameList(va, vb) {
			return false
		}
		if !matchByName(ta, tb, func(k, j int) bool {
			// its descriptions, columns and tests edited; or made again,
			// its lines its own (a scratch map: what matched of it before
			// it differed says nothing of where the rest moved)
			var e descEdit
			scratch := lineMap{}
			tn, named, d, ok := scratch.entryEdits(va.Content[k], vb.Content[j], &e.tests, nil, func(key string, ca, cb *yaml.Node) (handled, ok bool) {
				return scratch.columnsEdit(key, ca, cb, &e)
			})
			if ok && named && tn == tb[j] && m.merge(scratch) {
				tables = append(tables, table{tb[j], d, e, vb.Content[j]})
				return true
			}
			tables = append(tables, table{name: tb[j], edit: descEdit{entryAdded: true, entryRemoved: true, remade: true}, entry: vb.Content[j]})
			return plainTable(vb.Content[j])
		}, func(j int) bool {
			tables = append(tables, table{name: tb[j], edit: descEdit{entryAdded: true}, entry: vb.Content[j]})
			return plainTable(vb.Content[j])
		}, func(k int) bool {
			tables = append(tables, table{name: ta[k], edit: descEdit{entryRemoved: true}})
			return true
		}) {
			return false
		}
	}
	if own && len(tables) == 0 {
		return false // nothing to make again: what changed is only the compile's to say
	}
	for _, t := range tables {
		e := t.edit
		if own && !(e.entryRemoved && !e.entryAdded) {
			if !plainTable(t.entry) {
				return false // made again from its YAML as it is, its Jinja unrendered (found by review)
			}
			e = descEdit{entryAdded: true, entryRemoved: !e.entryAdded || e.entryRemoved, remade: true}
		}
		switch {
		case e.entryAdded:
			e.entry, e.source = t.entry, sb
		case e.entryRemoved:
		default:
			if old, new := firstNonEmpty(t.desc.old, src.old), firstNonEmpty(t.desc.new, src.new); old != new {
				// the source's, rendered (doc()), which an edit of the
				// table's uncovers or covers, compiles whole; the table's
				// own, doc() calls alone, renders as a model's (renderDocs)
				own := t.desc.old != "" && t.desc.new != "" && docsOnly(old) && docsOnly(new)
				if (descJinja(old) || descJinja(new)) && !own {
					return false
				}
				e.desc = &descChange{old, new}
			}
			if e.tests {
				e.entry, e.source = t.entry, sb
			}
			if e.desc == nil && len(e.cols) == 0 && !e.columnsChanged() && !e.tests {
				continue
			}
		}
		key := TypeSource + "." + name + "." + t.name
		if out[key] != nil {
			return false // declared twice: the compile says so
		}
		out[key] = &e
	}
	return true
}

// sharedKeys are a source's key-value pairs before (pa) and after (pb) an
// edit that both have, in the same order, and whether a key was added or
// removed (changed): then the keys are plain strings, each once, those
// both have in the same order, tables: in both, and an added key's value
// plain YAML (plainTree). nil when not.
func sharedKeys(pa, pb [][2]*yaml.Node) (a, b [][2]*yaml.Node, changed bool) {
	same := len(pa) == len(pb)
	for i := 0; same && i < len(pa); i++ {
		same = pa[i][0].Value == pb[i][0].Value
	}
	if same {
		return pa, pb, false
	}
	index := func(ps [][2]*yaml.Node) (map[string]int, bool) {
		at := make(map[string]int, len(ps))
		for i, kv := range ps {
			if !isStr(kv[0]) || !plainTree(kv[0]) {
				return nil, false
			}
			if _, twice := at[kv[0].Value]; twice {
				return nil, false
			}
			at[kv[0].Value] = i
		}
		return at, true
	}
	ia, okA := index(pa)
	ib, okB := index(pb)
	if !okA || !okB {
		return nil, nil, false
	}
	if _, ok := ia["tables"]; !ok {
		return nil, nil, false
	}
	if _, ok := ib["tables"]; !ok {
		return nil, nil, false
	}
	last := -1
	for _, kv := range pb {
		j, ok := ia[kv[0].Value]
		switch {
		case !ok && !plainTree(kv[1]):
			return nil, nil, false
		case !ok:
			continue // added
		case j < last:
			return nil, nil, false // moved
		}
		last = j
		a, b = append(a, pa[j]), append(b, kv)
	}
	return a, b, true
}

// entriesByName compares a models: list before (a) and after (b) an edit
// whose entries' names (na, nb: columnNames) differ: the entries both
// have, in the same order, as modelEdits; an entry added, of plain YAML
// (plainTree: no Jinja, anchor or alias), and an entry removed go into
// edits as such (descEdit.added, removed), for the patch to find their
// models added or removed with them.
func (m lineMap) entriesByName(a, b *yaml.Node, na, nb []string, edits map[string]*descEdit) bool {
	if !sameList(a, b) {
		return false
	}
	return matchByName(na, nb, func(i, j int) bool {
		return m.modelEdits(a.Content[i], b.Content[j], edits)
	}, func(j int) bool {
		edits[nb[j]] = &descEdit{entryAdded: true, entry: b.Content[j]}
		return plainEntry(b.Content[j])
	}, func(i int) bool {
		edits[na[i]] = &descEdit{entryRemoved: true}
		return true
	})
}

// modelEdits compares a models: entry before (a) and after (b) an edit,
// adding what changed of its descriptions to edits; false when anything
// else changed.
func (m lineMap) modelEdits(a, b *yaml.Node, edits map[string]*descEdit) bool {
	if a.Kind != yaml.MappingNode || b.Kind != yaml.MappingNode {
		return m.tree(a, b)
	}
	var e descEdit
	name, _, desc, ok := m.entryEdits(a, b, &e.tests, &e.config, func(key string, va, vb *yaml.Node) (handled, ok bool) {
		return m.columnsEdit(key, va, vb, &e)
	})
	if !ok {
		return false
	}
	if desc.old != desc.new {
		e.desc = &desc
	}
	if e.desc == nil && len(e.cols) == 0 && !e.columnsChanged() && !e.tests && !e.config {
		return true
	}
	if name == "" || edits[name] != nil {
		return false // a nameless entry or one written twice: the compile said so
	}
	if e.config && !plainTable(b) { // doc() in its descriptions: the remake renders them (docsOnlyEntry)
		return false
	}
	if e.tests || e.config {
		e.entry = b
	}
	edits[name] = &e
	return true
}

// columnsEdit compares the columns: list of an entry (a model's, a source
// table's) before (va) and after (vb) an edit, into e (its columns'
// descriptions, columns added and removed, tests changed); handled: key
// is columns:, ok: nothing else changed.
func (m lineMap) columnsEdit(key string, va, vb *yaml.Node, e *descEdit) (handled, ok bool) {
	if key != "columns" || va.Kind != yaml.SequenceNode || vb.Kind != yaml.SequenceNode {
		return false, true
	}
	na, okA := columnNames(va.Content)
	nb, okB := columnNames(vb.Content)
	if !okA || !okB {
		// an item without a name, two of one name: item by item
		if !m.same(va, vb) {
			return true, false
		}
		e.cols, ok = m.columnEdits(va.Content, vb.Content, &e.tests)
		return true, ok
	}
	// by name: columns may be added, removed or rewritten
	if !sameList(va, vb) {
		return true, false
	}
	e.cols, e.added, e.removed, ok = m.columnsByName(va.Content, vb.Content, na, nb, &e.tests)
	return true, ok
}

// columnEdits compares a model's columns: items before and after an edit:
// the columns whose description changed (the last entry of a name is the
// one a compile keeps), or false when anything else changed.
func (m lineMap) columnEdits(a, b []*yaml.Node, tests *bool) (map[string]descChange, bool) {
	last := map[string]descChange{}
	for j := range a {
		ca, cb := a[j], b[j]
		if ca.Kind != yaml.MappingNode || cb.Kind != yaml.MappingNode {
			if !m.tree(ca, cb) {
				return nil, false
			}
			continue
		}
		name, named, d, ok := m.entryEdits(ca, cb, tests, nil, nil)
		if !ok || !named {
			return nil, false
		}
		// a column a later one of its name shadows is rendered by the
		// compile all the same: a doc() call of it changed is not patched
		// (the block it calls may not be there: found by review)
		if prev, shadowed := last[name]; shadowed && prev.old != prev.new && (descJinja(prev.old) || descJinja(prev.new)) {
			return nil, false
		}
		last[name] = d
	}
	var out map[string]descChange
	for name, d := range last {
		if d.old != d.new {
			if out == nil {
				out = map[string]descChange{}
			}
			out[name] = d
		}
	}
	return out, true
}

// matchByName walks two lists of names, before (na) and after (nb) an
// edit: each name of nb that na has, in na's order (false when two swap
// places: kept), or not (added), then each of na that nb has not
// (removed), by their indexes; false as soon as one of them says so.
func matchByName(na, nb []string, kept func(i, j int) bool, added func(j int) bool, removed func(i int) bool) bool {
	inA := make(map[string]int, len(na))
	for i, name := range na {
		inA[name] = i
	}
	inB := make(map[string]bool, len(nb))
	last := -1
	for j, name := range nb {
		inB[name] = true
		i, ok := inA[name]
		switch {
		case !ok:
			if !added(j) {
				return false
			}
		case i < last:
			return false // reordered
		default:
			last = i
			if !kept(i, j) {
				return false
			}
		}
	}
	for i, name := range na {
		if !inB[name] && !removed(i) {
			return false
		}
	}
	return true
}

// columnsByName compares a model's columns: items before and after an
// edit, matching them by name (na, nb: columnNames): the columns whose
// description alone changed, those added or rewritten (as the compile
// makes them) and those removed or rewritten (their descriptions), or
// false when anything else changed. The columns both lists have keep
// their order (a contract's); one added, removed or rewritten is of the
// manifest entry alone (entryColumn): no tests, no Jinja.
func (m lineMap) columnsByName(a, b []*yaml.Node, na, nb []string, tests *bool) (cols map[string]descChange, added map[string]*Column, removed map[string]string, ok bool) {
	add := func(name string, item *yaml.Node) bool {
		col, tested, ok := entryColumn(item)
		*tests = *tests || tested
		if ok {
			if added == nil {
				added = map[string]*Column{}
			}
			added[name] = col
		}
		return ok
	}
	remove := func(name string, item *yaml.Node) bool {
		col, tested, ok := entryColumn(item)
		*tests = *tests || tested
		if ok {
			if removed == nil {
				removed = map[string]string{}
			}
			removed[name] = col.Description
		}
		return ok
	}
	ok = matchByName(na, nb, func(i, j int) bool {
		// its description alone changed, with its lines moved as the
		// list's; or rewritten
		pair := lineMap{}
		var tested bool
		if _, _, d, ok := pair.entryEdits(a[i], b[j], &tested, nil, nil); ok && m.merge(pair) {
			*tests = *tests || tested
			if d.old != d.new {
				if cols == nil {
					cols = map[string]descChange{}
				}
				cols[nb[j]] = d
			}
			return true
		}
		return remove(na[i], a[i]) && add(nb[j], b[j])
	}, func(j int) bool {
		return add(nb[j], b[j])
	}, func(i int) bool {
		return remove(na[i], a[i])
	})
	if !ok {
		return nil, nil, nil, false
	}
	return cols, added, removed, true
}

// merge adds the lines of o to m, false when one would move to two places.
func (m lineMap) merge(o lineMap) bool {
	for from, to := range o {
		if t, ok := m[from]; ok && t != to {
			return false
		}
	}
	for from, to := range o {
		m[from] = to
	}
	return true
}

// columnNames is the name of each columns: item, or false when one has
// none, or two have one name.
func columnNames(items []*yaml.Node) ([]string, bool) {
	names := make([]string, len(items))
	seen := make(map[string]bool, len(items))
	for i, item := range items {
		if item.Kind != yaml.MappingNode {
			return nil, false
		}
		pairs, _, ok := entryPairs(item)
		if !ok {
			return nil, false
		}
		named := false
		for _, kv := range pairs {
			if isStr(kv[0]) && kv[0].Value == "name" {
				if named || kv[1].Decode(&names[i]) != nil {
					return nil, false
				}
				named = true
			}
		}
		if !named || names[i] == "" || seen[names[i]] {
			return nil, false
		}
		seen[names[i]] = true
	}
	return names, true
}

// entryColumnKeys are what a column of the manifest entry alone may say:
// its tests make nodes.
var entryColumnKeys = map[string]bool{"name": true, "description": true, "data_type": true, "meta": true, "tags": true, "quote": true, "constraints": true,
	"data_tests": true, "tests": true}

// entryColumn is the column a columns: item makes, as the compile makes it
// (columnsFrom), when the item is of the model's manifest entry alone: a
// plain string name, a plain description, and data_type, meta, tags,
// quote or constraints with no Jinja in them (rendered, they could say
// anything), no anchors or aliases, and plain tests (tested: the patch
// makes the model's tests again); false for anything else (another key,
// a value the compile would refuse).
func entryColumn(item *yaml.Node) (col *Column, tested, ok bool) {
	if item.Kind != yaml.MappingNode || item.Anchor != "" || item.ShortTag() != "!!map" {
		return nil, false, false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if !isStr(k) || !entryColumnKeys[k.Value] || seen[k.Value] || k.Value != "description" && !isTestKey(k) && !plainTree(v) ||
			isTestKey(k) && !plainTestList(v) {
			return nil, false, false
		}
		seen[k.Value] = true
		switch k.Value {
		case "data_tests", "tests": // made again (patchtests.go)
			tested = true
		case "name":
			if !isStr(v) || v.Value == "" {
				return nil, false, false
			}
		case "description":
			if !plainDescription(v) {
				return nil, false, false
			}
		}
	}
	var pc propColumn
	if err := item.Decode(&pc); err != nil || pc.Name == "" {
		return nil, false, false
	}
	// what the compile renders, as it finds it (renderPropFields): a
	// value decoded to text with Jinja in it (!!binary, say) is refused
	if pc.templated() {
		return nil, false, false
	}
	// its place in the list is the node index's, which a patch keeps (a
	// contract's order: no column of one is patched)
	return pc.column(pc.Description, 0), tested, true
}

// plainEntry says a model's entry that an edit adds is plain YAML
// (plainTree) but for Jinja in its tests' arguments and where:
// (plainTestList), which render in the tests' own renders.
func plainEntry(entry *yaml.Node) bool {
	plain, docs := docsOnlyEntryWith(entry, plainTestList)
	return plain && !docs
}

// plainTable says a source table's entry, which a patch makes again from
// its YAML, is plain YAML but for doc() calls in its description and its
// columns' (docsOnlyEntry), which remakeSources renders with the docs
// blocks manifest.json holds.
func plainTable(entry *yaml.Node) bool {
	plain, _ := docsOnlyEntryWith(entry, plainTestList)
	return plain
}

// plainTree says a YAML value has no anchor, alias or merge key, no
// scalar of a type but text, numbers, booleans, null and timestamps (a
// !!binary one decodes to other text than it shows), and no Jinja in any
// of its strings.
func plainTree(n *yaml.Node) bool { return plainYAML(n, false) }

// unaliased is plainTree with Jinja taken in its strings (a test's
// arguments and where:, which render in the test's render: plainTestList).
func unaliased(n *yaml.Node) bool { return plainYAML(n, true) }

func plainYAML(n *yaml.Node, templates bool) bool {
	if n.Anchor != "" || n.Alias != nil || n.Kind == yaml.AliasNode {
		return false
	}
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp":
			return templates || !isTemplate(n.Value)
		}
		return false
	}
	for _, c := range n.Content {
		if !plainYAML(c, templates) {
			return false
		}
	}
	return true
}

// entryEdits compares a model's or a column's mapping before (a) and
// after (b) an edit, key by key, its description aside (it may be added,
// removed or moved): its name (decoded as the compile decodes it: name:
// null is "", a !!binary name its bytes) and whether it has one, its
// description before and after ("" when it has none), or false when
// anything else changed. other, when not nil, compares the values of a
// key it handles (a model's columns:). A key is a name or a description
// as a plain string only.
func (m lineMap) entryEdits(a, b *yaml.Node, tests, config *bool, other func(key string, va, vb *yaml.Node) (handled, ok bool)) (name string, named bool, desc descChange, ok bool) {
	pa, da, okA := entryPairs(a)
	pb, db, okB := entryPairs(b)
	if !okA || !okB || !m.sameButContent(a, b) {
		return "", false, desc, false
	}
	if config != nil {
		// its config: the same, or changed (added, removed, rewritten) to
		// plain YAML: the patch makes the model again (configEdit)
		var ca, cb [][2]*yaml.Node
		pa, ca = splitPairs(pa, isConfigKey)
		pb, cb = splitPairs(pb, isConfigKey)
		if !m.configEdit(ca, cb, config) {
			return "", false, desc, false
		}
	}
	if tests != nil {
		// its tests: the same, or made again (testsEdit)
		var ta, tb [][2]*yaml.Node
		pa, ta = splitPairs(pa, isTestKey)
		pb, tb = splitPairs(pb, isTestKey)
		if !m.testsEdit(ta, tb, tests) {
			return "", false, desc, false
		}
	}
	if len(pa) != len(pb) {
		return "", false, desc, false
	}
	if desc, ok = m.descriptions(da, db); !ok {
		return "", false, desc, false
	}
	for i := range pa {
		ka, va, kb, vb := pa[i][0], pa[i][1], pb[i][0], pb[i][1]
		if !m.tree(ka, kb) {
			return "", false, desc, false
		}
		key := ""
		if isStr(ka) {
			key = ka.Value
		}
		if other != nil {
			handled, ok := other(key, va, vb)
			if !ok {
				return "", false, desc, false
			}
			if handled {
				continue
			}
		}
		if !m.tree(va, vb) {
			return "", false, desc, false
		}
		if key == "name" {
			if va.Decode(&name) != nil {
				return "", false, desc, false
			}
			named = true
		}
	}
	return name, named, desc, true
}

// isTestKey: a key whose list makes tests.
func isTestKey(k *yaml.Node) bool { return isStr(k) && (k.Value == "data_tests" || k.Value == "tests") }

// isConfigKey: a key of a model's entry whose edit makes the model again
// (configEdit): config:, and any other key but name:, description:,
// columns: and its tests (meta:, tags:, docs:, access:, group: at the
// entry's level, as dbt reads them).
func isConfigKey(k *yaml.Node) bool {
	if !isStr(k) {
		return false
	}
	switch k.Value {
	case "name", "description", "columns", "tests", "data_tests":
		return false
	}
	return true
}

// splitPairs takes the pairs of an entry whose key is one of (tests:
// and data_tests:, config:) out of its pairs.
func splitPairs(pairs [][2]*yaml.Node, of func(*yaml.Node) bool) (rest, taken [][2]*yaml.Node) {
	rest = pairs[:0:0]
	for _, kv := range pairs {
		if of(kv[0]) {
			taken = append(taken, kv)
		} else {
			rest = append(rest, kv)
		}
	}
	return rest, taken
}

// configEdit compares an entry's config: and other keys that configure
// its model (isConfigKey) before and after an edit: the same, their lines
// in m; or changed (added, removed, rewritten, reordered) to plain YAML
// (plainTree: no Jinja, anchor or alias), and *changed is set. A key
// written twice is left to the compile.
func (m lineMap) configEdit(a, b [][2]*yaml.Node, changed *bool) bool {
	for _, pairs := range [][][2]*yaml.Node{a, b} {
		seen := map[string]bool{}
		for _, kv := range pairs {
			if seen[kv[0].Value] {
				return false
			}
			seen[kv[0].Value] = true
		}
	}
	if m.samePairs(a, b) {
		return true
	}
	for _, kv := range b {
		if !plainTree(kv[0]) || !plainTree(kv[1]) || kv[0].Value == "config" && kv[1].Kind != yaml.MappingNode {
			return false
		}
	}
	*changed = true
	return true
}

// samePairs says two lists of an entry's pairs are the same trees, and
// adds their lines to m.
func (m lineMap) samePairs(a, b [][2]*yaml.Node) bool {
	if len(a) != len(b) {
		return false
	}
	pair := lineMap{}
	for i := range a {
		if !pair.tree(a[i][0], b[i][0]) || !pair.tree(a[i][1], b[i][1]) {
			return false
		}
	}
	return m.merge(pair)
}

// testsEdit compares an entry's test lists (keyed tests: and
// data_tests:) before and after an edit: the same, their lines in m; or
// changed (one added, removed, rewritten) to lists of plain tests (no
// anchor or alias, and Jinja only in their arguments and where:, which
// render in the tests' own renders: plainTestList), whose nodes a patch
// makes again (patchtests.go; what they read is recorded: readsByTest),
// and *changed is set. Two lists of one key are left to the compile.
func (m lineMap) testsEdit(a, b [][2]*yaml.Node, changed *bool) bool {
	if len(a) > 2 || len(b) > 2 {
		return false
	}
	if m.samePairs(a, b) {
		return true
	}
	for _, kv := range b {
		if !plainTree(kv[0]) || !plainTestList(kv[1]) {
			return false
		}
	}
	*changed = true
	return true
}

// entryPairs splits a mapping into its key-value pairs but its
// description and its description's value (nil: none); false when it has
// two, or a merge key (<<: what it merges may hold a description, which
// the entry's own overrides: one added or removed would change which).
func entryPairs(n *yaml.Node) (pairs [][2]*yaml.Node, desc *yaml.Node, ok bool) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			return nil, nil, false
		}
		if isStr(k) && k.Value == "description" {
			if desc != nil {
				return nil, nil, false
			}
			desc = n.Content[i+1]
			continue
		}
		pairs = append(pairs, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return pairs, desc, true
}

// plainDescription: a description's value is a plain string, which a
// compile takes as it is (no Jinja: renderDescription returns it
// unchanged), or one whose Jinja is doc() calls alone (docsOnly).
// descriptions is a description's value before (a) and after (b) an
// edit (nil: none), when both are plain strings, or when the edit left
// it as it was (one with Jinja too: it renders as it did, the vars and
// macros it reads patched as those of any file the edit did not touch);
// false otherwise.
func (m lineMap) descriptions(a, b *yaml.Node) (descChange, bool) {
	var d descChange
	if a != nil && b != nil && m.tree(a, b) {
		return descChange{a.Value, b.Value}, true
	}
	for _, n := range []*yaml.Node{a, b} {
		if n != nil && !plainDescription(n) {
			return d, false
		}
	}
	if a != nil {
		d.old = a.Value
	}
	if b != nil {
		d.new = b.Value
	}
	return d, true
}

func plainDescription(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Anchor == "" && n.Alias == nil && n.ShortTag() == "!!str" && (!descJinja(n.Value) || docsOnly(n.Value))
}

// docsOnly says a description's Jinja is doc() calls alone: it renders
// with the docs blocks (renderDescription's first step), which a patch
// reads from manifest.json's docs object (renderDocDescs).
func docsOnly(desc string) bool {
	return !descJinja(docRE().ReplaceAllString(desc, ""))
}

// lineShift moves the lines of a properties file from From on (up to the
// next shift's From) by Delta. A snapshot's LineShifts take the lines its
// compile saw (the node index's: where YAML declares a node) to where the
// description edits patched since moved them.
type lineShift struct{ From, Delta int }

// shiftLine is where shifts move line.
func shiftLine(shifts []lineShift, line int) int {
	d := 0
	for _, s := range shifts {
		if s.From > line {
			break
		}
		d = s.Delta
	}
	return line + d
}

// composeShifts is first, then then (whose lines are those first moves
// lines to), as one list of shifts.
func composeShifts(first, then []lineShift) []lineShift {
	// between two of first's starts its delta d is one, so then's delta
	// changes where x+d crosses one of then's starts: x = start-d
	starts, deltas := []int{math.MinInt}, []int{0}
	for _, s := range first {
		starts, deltas = append(starts, s.From), append(deltas, s.Delta)
	}
	at := append([]int(nil), starts[1:]...)
	for _, t := range then {
		for k := range starts {
			end := math.MaxInt
			if k+1 < len(starts) {
				end = starts[k+1]
			}
			if x := t.From - deltas[k]; x >= starts[k] && x < end {
				at = append(at, x)
			}
		}
	}
	slices.Sort(at)
	var out []lineShift
	d := 0
	for _, x := range slices.Compact(at) {
		if dx := shiftLine(then, shiftLine(first, x)) - x; dx != d {
			out, d = append(out, lineShift{x, dx}), dx
		}
	}
	return out
}

// lineMap is where an edit moved the lines of the nodes it kept: a node's
// line before it to its line after it.
type lineMap map[int]int

// same compares two YAML nodes but for their children and their lines:
// what a compile reads of them (comments and quoting style aside); their
// lines go in m, which fails when a line would move to two places.
func (m lineMap) same(a, b *yaml.Node) bool {
	return len(a.Content) == len(b.Content) && m.sameButContent(a, b)
}

// sameButContent is same without comparing how many children they have.
func (m lineMap) sameButContent(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || a.ShortTag() != b.ShortTag() || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.Alias != nil || b.Alias != nil || a.Column != b.Column {
		return false
	}
	if to, ok := m[a.Line]; ok {
		return to == b.Line
	}
	m[a.Line] = b.Line
	return true
}

// tree compares two YAML trees with same.
func (m lineMap) tree(a, b *yaml.Node) bool {
	if !m.same(a, b) {
		return false
	}
	for i := range a.Content {
		if !m.tree(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// unmoved reports whether every line stayed where it was.
func (m lineMap) unmoved() bool {
	for from, to := range m {
		if from != to {
			return false
		}
	}
	return true
}

// shifts is the map as shifts of runs of lines, or false when lines
// swapped places (an edit that moved nodes: not a description's).
func (m lineMap) shifts() ([]lineShift, bool) {
	froms := make([]int, 0, len(m))
	for from := range m {
		froms = append(froms, from)
	}
	slices.Sort(froms)
	var out []lineShift
	for i, from := range froms {
		to := m[from]
		if i > 0 && to <= m[froms[i-1]] {
			return nil, false
		}
		if d := to - from; len(out) == 0 && d != 0 || len(out) > 0 && out[len(out)-1].Delta != d {
			out = append(out, lineShift{From: from, Delta: d})
		}
	}
	return out, true
}

// yamlChange is a properties file an edit changed: its path, its text
// as the snapshot's compile read it (in the blobs file) and its text now.
type yamlChange struct {
	path string
	ref  blobRef
	data []byte
}

// maxBlobs: a blobs file grown past it (patches append to it; each YAML
// edit its file's text) is written anew by a whole compile.
const maxBlobs = 256 << 20

// descriptionEdits returns what YAML edits change, by the index in Nodes
// of each model whose descriptions they rewrite, and the files whose unit
// tests they change (units), or why they cannot be patched. docsNow are
// the docs blocks after .md files edited in the same save (nil: none).
func (snap *patchSnapshot) descriptionEdits(proj *Project, file string, changed []yamlChange, docsNow map[string]string) (out map[int]*descEdit, entries, sources map[string]*descEdit, units []string, why string) {
	blobs, err := openBlobs(file, snap)
	if err != nil {
		return nil, nil, nil, nil, "the snapshot's blobs file is unreadable"
	}
	defer blobs.Close()
	if fi, err := blobs.Stat(); err != nil || fi.Size() > maxBlobs {
		return nil, nil, nil, nil, "the snapshot's blobs file grew too large"
	}
	fileAt, byID := snap.fileIndex(), snap.nodeIndex()
	// the docs blocks, read when a description calls one
	var blocks map[string]string
	docs := func() (map[string]string, string) {
		if blocks == nil {
			b, _, why := snap.readDocs(projectManifest(filepath.Dir(file)))
			if why != "" {
				return nil, why
			}
			blocks = b
		}
		return blocks, ""
	}
	out = map[int]*descEdit{}
	sources = map[string]*descEdit{} // by source id
	entries = map[string]*descEdit{} // the models whose entries were added or removed, by name
	shifts := map[string][]lineShift{}
	for _, ch := range changed {
		old, err := readBlobRef(blobs, ch.ref)
		if err != nil {
			return nil, nil, nil, nil, "the snapshot's text of " + ch.path + " is unreadable"
		}
		edits, srcs, moved, remade, ok := propsEdits(old, ch.data)
		if ok {
			for _, e := range edits {
				if why := e.renderDocs(docs, docsNow); why != "" {
					return nil, nil, nil, nil, ch.path + " " + why
				}
			}
			for _, e := range srcs {
				if why := e.renderDocs(docs, docsNow); why != "" {
					return nil, nil, nil, nil, ch.path + " " + why
				}
			}
		}
		if remade {
			if at, ok := fileAt[ch.path]; !ok || snap.Files[at].Proj != 0 {
				return nil, nil, nil, nil, ch.path + " changed unit tests and is not the project's own"
			}
			units = append(units, ch.path)
		}
		if !ok {
			return nil, nil, nil, nil, ch.path + " changed and not only in models' descriptions"
		}
		if moved != nil {
			// the index's lines are shifted as the edit moved them, and so
			// are the compile's warnings of entries there that name no
			// node (their entries are as they were: an edit of one is
			// refused; danglingKept); another diagnostic of the compile
			// in the file would have moved too, or changed
			var dangle []int
			for i, d := range snap.Diags {
				if d.File != ch.path {
					continue
				}
				if _, ok := danglingOf(d); !ok {
					return nil, nil, nil, nil, ch.path + " moved lines and the compile said something about it"
				}
				dangle = append(dangle, i)
			}
			for _, i := range dangle {
				snap.Diags[i].Line = shiftLine(moved, snap.Diags[i].Line)
			}
			if len(dangle) > 0 {
				snap.Diags.Sort() // as the compile sorts them (their order stays, lines moving as they are)
			}
			shifts[ch.path] = composeShifts(snap.LineShifts[ch.path], moved)
			snap.shiftAddedLines(ch.path, moved)
		}
		for key, e := range srcs {
			at, ok := fileAt[ch.path]
			if !ok || snap.Files[at].Proj != 0 {
				return nil, nil, nil, nil, ch.path + " changed sources and is not the project's own"
			}
			// a snapshot of SQL is patchable: its entry is written with its
			// render's, as a model's; its config changed, it is made again
			// as a model is (patchsnapshots.go)
			if name, ok := strings.CutPrefix(key, TypeSnapshot+"."); ok && e.config {
				if _, ok := byID[nodeID(proj, key)]; !ok || entries[name] != nil {
					return nil, nil, nil, nil, ch.path + " changed the config of " + key + ", not a patchable snapshot"
				}
				e.entryAdded, e.entryRemoved, e.remade, e.snapshot = true, true, true, true
				e.file, e.removedFrom = ch.path, ch.path
				entries[name] = e
				continue
			}
			if ni, ok := byID[nodeID(proj, key)]; ok && strings.HasPrefix(key, TypeSnapshot+".") {
				if out[ni] != nil {
					return nil, nil, nil, nil, key + " is described in two files"
				}
				e.file = ch.path
				out[ni] = e
				continue
			}
			if !addSourceEdit(sources, nodeID(proj, key), ch.path, e) {
				return nil, nil, nil, nil, key + " is described in two files"
			}
		}
		for name, e := range edits {
			id := TypeModel + "." + proj.Name + "." + name
			if _, patchable := byID[id]; patchable && (e.config || e.entryAdded || e.entryRemoved) && snap.disabledID(id) {
				// (made again, or its entry moved: patchableVariant)
				return nil, nil, nil, nil, ch.path + " changed the entry of " + name + ", a name of variants"
			}
			if e.config && !e.entryAdded && !e.entryRemoved {
				// made again, as a model moved with its entry kept: its
				// entry removed and added where it is
				e.entryAdded, e.entryRemoved, e.remade = true, true, true
				e.file, e.removedFrom = ch.path, ch.path
				if entries[name] != nil {
					return nil, nil, nil, nil, name + " is described in two files"
				}
				entries[name] = e
				continue
			}
			if e.entryAdded || e.entryRemoved {
				if !addEntry(entries, name, ch.path, e) {
					return nil, nil, nil, nil, name + " is described in two files"
				}
				continue
			}
			e.file = ch.path
			ni, ok := byID[id]
			if !ok {
				// a model that is not patchable (an ephemeral model a test
				// reads, ...): its entry is edited through the node index,
				// as a seed's is (sourceSplices), its tests made again
				// (remakeTests); it renders no differently
				if !addSourceEdit(sources, id, ch.path, e) {
					return nil, nil, nil, nil, name + " is described in two files"
				}
				continue
			}
			if out[ni] != nil {
				return nil, nil, nil, nil, name + " is described in two files"
			}
			out[ni] = e
		}
	}
	for path, sh := range shifts {
		if snap.LineShifts == nil {
			snap.LineShifts = map[string][]lineShift{}
		}
		snap.LineShifts[path] = sh
	}
	return out, entries, sources, units, ""
}

// renderDocs renders the descriptions of an edit whose Jinja is doc()
// calls (docsOnly) as the compile does: the old ones with the docs blocks
// docs reads (manifest.json's), the new ones with now's when .md files
// changed in the same save (else nil); or says why it cannot (a block not
// there).
func (e *descEdit) renderDocs(docs func() (map[string]string, string), now map[string]string) string {
	var why string
	render := func(d string, after bool) string {
		if why != "" || !descJinja(d) {
			return d
		}
		blocks, w := docs()
		if w != "" {
			why = "changed a description that calls a docs block, and " + w
			return d
		}
		if after && now != nil {
			blocks = now
		}
		out, missing := renderDocCalls(d, blocks)
		if missing != "" {
			why = "calls docs block " + missing + ", which is not there"
		}
		return out
	}
	if e.desc != nil {
		e.desc = &descChange{render(e.desc.old, false), render(e.desc.new, true)}
	}
	for name, ch := range e.cols {
		e.cols[name] = descChange{render(ch.old, false), render(ch.new, true)}
	}
	for _, col := range e.added {
		col.Description = render(col.Description, true)
	}
	for name, d := range e.removed {
		e.removed[name] = render(d, false)
	}
	return why
}

// apply writes the edit's descriptions and columns into a model's
// manifest entry; why not when the entry's are not those it replaces, or
// columns added or removed would change more than the entry: an enforced
// contract's columns, in their order, are what its builds check.
func (e *descEdit) apply(n *Node) (why string) {
	const differs = "'s descriptions in manifest.json are not its YAML's"
	if e.desc != nil {
		if n.Description != e.desc.old {
			return differs
		}
		n.Description = e.desc.new
	}
	if e.columnsChanged() && n.ContractChecksum() != "" {
		return " has an enforced contract and its columns changed"
	}
	if len(e.cols) > 0 || e.columnsChanged() {
		cols := make(map[string]*Column, len(n.Columns))
		for name, c := range n.Columns {
			cols[name] = c
		}
		for name, d := range e.cols {
			c := cols[name]
			if c == nil || c.Description != d.old {
				return differs
			}
			edited := *c
			edited.Description = d.new
			cols[name] = &edited
		}
		for name, desc := range e.removed {
			c := cols[name]
			if c == nil || c.Description != desc {
				return differs
			}
			delete(cols, name)
		}
		for name, col := range e.added {
			if cols[name] != nil {
				return differs
			}
			cols[name] = col
		}
		n.Columns = cols
	}
	return ""
}
