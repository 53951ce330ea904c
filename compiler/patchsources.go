package compiler

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Patching a source table added, removed or changed in YAML beyond its
// descriptions, columns and tests (its identifier, config, meta,
// freshness, loaded_at_field...): sourceEdits finds the tables, matched
// by name, of plain YAML (no Jinja, anchors or aliases in the table's
// entry; a source added or removed whole is of plain YAML too). The patch
// makes a table's node again as the whole compile makes it (sourceNode,
// with its source's entry: its schema may be rendered, as its other
// tables' were), then its tests (sourceTests, makePending); it removes
// the node it replaces and that node's tests (declaredTests), as a model
// made again is removed and added back under its id (patchadd.go).
//
// The nodes that depend on a table made again stay (their renders, edges
// and output) when what they see of it is as it was: its id, database,
// schema and identifier (what source() gives and a render's stubs keep),
// enabled, and reading no seed's table (linkSeededSources: its parent).
// A table removed may have no children but its tests and nodes removed
// with it. The patch refuses what it cannot make exactly and leaves it
// to the whole compile: a table disabled, one mart extract lands (its
// checks against what the project builds are the whole compile's), one
// whose relation a node builds (a seed it would depend on), one the
// compile would say anything about (a freshness, airflow or rendering
// error), one of a package, the first source of a project (the manifest
// has no sources to insert next to).

// sourceRemake is a source table the patch makes: its node, its source's
// and its own entries (for its tests), and the file declaring it.
type sourceRemake struct {
	key   string // "source.table"
	n     *Node
	src   *propSource
	table *propTable
	file  string
}

// remakeSources makes the nodes of the source tables an edit added or
// changed (edits, by id, with entryAdded) and takes out those it removed
// or changed (entryRemoved), with their tests; from then on source()
// finds the new ones (patchLoad.sources). Their tests are made after the
// models the edit adds (sourceRemakeTests).
func (l *patchLoad) remakeSources(proj *Project, edits map[string]*descEdit) (news []*newModel, gone []goneModel, made []sourceRemake, why string) {
	if len(edits) == 0 {
		return nil, nil, nil, "" // no manifest.json to open
	}
	c := l.c
	if why := l.index(); why != "" {
		return nil, nil, nil, why
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, nil, nil, err.Error()
	}
	defer dec.close()
	if l.sources == nil {
		l.sources = map[string]*Node{}
	}
	// the folder configs, rendered as a whole compile renders them first
	// (found by review: a table made again kept a template of its folder
	// config as written)
	if len(proj.renderConfigs(c.targetValue, c.opt.Vars)) > 0 {
		return nil, nil, nil, "source tables changed and the project's configs do not render cleanly"
	}
	prefix := TypeSource + "." + proj.Name + "."
	vars := c.project.packageVars(nil)
	for _, id := range slices.Sorted(maps.Keys(edits)) {
		e := edits[id]
		key := strings.TrimPrefix(id, prefix)
		why := "source table " + key + " changed and "
		for _, d := range l.snap.Diags { // a warning about it (a test declared twice) would go with it
			if d.File == e.file || d.File == e.removedFrom && e.entryRemoved {
				return nil, nil, nil, why + "the compile said something about its file"
			}
		}
		if i, declared := l.ix.sources[key]; declared && !e.entryRemoved && !l.ix.nodes[i].gone {
			return nil, nil, nil, why + "it is declared elsewhere too" // an error of the whole compile
		}
		var old *Node
		if e.entryRemoved {
			i, ok := l.ix.pos[id]
			if !ok || i >= len(l.snap.Entries) || l.ix.nodes[i].gone || l.ix.nodes[i].sel.ResourceType != TypeSource {
				return nil, nil, nil, why + "the node index lacks it"
			}
			if old, err = dec.decode(i); err != nil {
				return nil, nil, nil, err.Error()
			}
			tests, w := l.declaredTests(dec, id, e.removedFrom)
			if w != "" {
				return nil, nil, nil, why + w
			}
			gone = append(gone, goneModel{ni: -1, pos: i, n: *old, source: true})
			gone = append(gone, tests...)
			l.sources[key] = nil // source() finds it no more
		}
		if !e.entryAdded {
			continue
		}
		r := sourceRemake{key: key, file: e.file}
		var ok bool
		if r.src, r.table, ok = decodeTable(e.source, e.entry, key); !ok {
			return nil, nil, nil, why + "its entry does not decode cleanly"
		}
		if !plainSource(e.source) {
			return nil, nil, nil, why + "its source has Jinja beside its schema and database"
		}
		// doc() in its description or its columns' (plainTable), or in its
		// source's it takes: rendered with manifest.json's docs blocks
		if _, docs := docsOnlyEntry(e.entry); docs || isTemplate(r.src.Description) {
			if w := l.loadDocs(); w != "" {
				return nil, nil, nil, why + "its descriptions call doc() and " + w
			}
		}
		diags := len(c.diags)
		n := c.sourceNode(e.file, c.project, vars, r.src, r.table)
		switch {
		case n.UniqueID != id:
			return nil, nil, nil, why + "its id is another"
		case len(c.diags) > diags:
			return nil, nil, nil, why + "a compile says something about it"
		case !n.Enabled():
			return nil, nil, nil, why + "it is disabled"
		case len(n.Extract) > 0:
			return nil, nil, nil, why + "mart extract lands it"
		case len(airflowConfigErrors(n)) > 0:
			return nil, nil, nil, why + "its airflow config is wrong"
		case old != nil && len(old.DependsOn.Nodes) > 0:
			return nil, nil, nil, why + "it read a seed's table"
		}
		if _, found := slices.BinarySearch(l.snap.Relations, relationHash(c.relationKey(n, n.Identifier))); found {
			return nil, nil, nil, why + "a node builds its relation"
		}
		if (descJinja(r.src.Schema) || descJinja(r.src.Database)) && !l.renderedAsSibling(dec, n, e.file) { // (as renderField)
			return nil, nil, nil, why + "its source's schema or database renders, and no table of it the compile rendered renders the same"
		}
		c.setUnrendered(n)
		settleSource(n)
		m := &newModel{n: n, source: true}
		if m.frag, err = appendNode(nil, n); err != nil {
			return nil, nil, nil, why + err.Error()
		}
		if old != nil {
			m.moved = true
			m.sameFace = old.Enabled() && old.Database == n.Database && old.Schema == n.Schema && old.Identifier == n.Identifier && old.Relation == n.Relation
		}
		l.sources[key] = n
		r.n = n
		news = append(news, m)
		made = append(made, r)
	}
	return news, gone, made, ""
}

// decodeTable decodes a source's entry and one of its tables' (the new
// text's), which must be the table key ("source.table") names.
func decodeTable(source, entry *yaml.Node, key string) (*propSource, *propTable, bool) {
	src, table := &propSource{}, &propTable{}
	if source.Decode(src) != nil || entry.Decode(table) != nil || src.Name+"."+table.Name != key {
		return nil, nil, false
	}
	return src, table, true
}

// renderedAsSibling says n, a table of a source whose schema or database
// is a template, has the database and schema another table of that
// source declared in file has in the node index, one the edit keeps: the
// whole compile rendered the same text, and the snapshot watches the vars
// and env vars it read (a source that had no table never rendered it).
func (l *patchLoad) renderedAsSibling(dec *entryDecoder, n *Node, file string) bool {
	for key, i := range l.ix.sources {
		if !strings.HasPrefix(key, n.SourceName+".") || l.ix.nodes[i].gone || l.ix.nodes[i].sel.Path != file {
			continue
		}
		if sib := dec.node(i, true); sib != nil && sib.SourceName == n.SourceName {
			return sib.Database == n.Database && sib.Schema == n.Schema
		}
	}
	return false
}

// plainSource says a source's entry has no Jinja but in its schema and
// database (rendered by sourceNode as for its other tables), doc() calls
// in its description (a table without one takes it) and in its tables
// (checked one by one).
func plainSource(src *yaml.Node) bool {
	pairs, desc, ok := entryPairs(src)
	if !ok || desc != nil && !plainTree(desc) && !(desc.Kind == yaml.ScalarNode && desc.ShortTag() == "!!str" && desc.Anchor == "" && !isTemplate(docRE().ReplaceAllString(desc.Value, ""))) {
		return false
	}
	for _, kv := range pairs {
		switch {
		case !isStr(kv[0]):
			return false
		case kv[0].Value == "tables" || kv[0].Value == "schema" || kv[0].Value == "database":
		case !plainTree(kv[1]):
			return false
		}
	}
	return true
}

// sourceRemakeTests makes the tests of the source tables remakeSources
// made, as addGenericTests does; removed: the models the edit removes.
func (l *patchLoad) sourceRemakeTests(made []sourceRemake, removed []goneModel) ([]*newModel, string) {
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.close()
	c := l.c
	c.scope.lazy = dec
	defer func() { c.scope.lazy = nil }()
	var out []*newModel
	for _, r := range made {
		pending, why := l.sourcePending(r.n, r.src, r.table, r.file)
		if why == "" {
			var tests []*newModel
			if tests, why = l.makePending(dec, r.n, pending, removed); why == "" {
				out = append(out, tests...)
				continue
			}
		}
		return nil, "the tests of source table " + r.key + ": " + why
	}
	return out, ""
}

// sourcePending is what addGenericTests makes of a source table's tests
// before it builds them: its own and its columns', on node n.
func (l *patchLoad) sourcePending(n *Node, src *propSource, table *propTable, file string) ([]pendingTest, string) {
	if why := twiceTested(table.Tests, table.DataTests, table.Columns); why != "" {
		return nil, why
	}
	c := l.c
	tt := &testTarget{node: n, expr: fmt.Sprintf("source(%q, %q)", src.Name, table.Name), file: file, fqn: propsFQN(c.projectOf(file), file),
		nodeName:     src.Name + "_" + table.Name,
		quoteColumns: quotesColumns(src.Quoting, table.Quoting)}
	pending := c.pendingTests(nil, tt, nil, table.DataTests, table.Tests)
	for _, col := range table.Columns {
		pending = c.pendingTests(pending, tt, col, col.DataTests, col.Tests)
	}
	return pending, ""
}

// settleSource gives a source node the empty lists manifest.json writes.
func settleSource(s *Node) {
	if s.DependsOn.Nodes == nil {
		s.DependsOn.Nodes = []string{}
	}
	s.DependsOn.Macros = []string{}
	s.Refs, s.Sources = []RefCall{}, [][]string{}
	if s.Tags == nil {
		s.Tags = []string{}
	}
}

// sourceFolderRemakes adds to remakes (by id) the root project's source
// tables whose folder config an edit of the project file's sources:
// entry changed, each made again from its entry as it is (a table made
// again: its source's entry and its own, from the properties file's new
// text, texts, or the snapshot's), or says why it cannot: the entries
// are templated, a table's YAML changed in the same edit otherwise
// (sourceDescs: its descriptions, columns or tests), its entry is not
// found once or not of plain YAML. A table an edit adds, removes or makes
// again already (remakes) gets its folder config as it is made.
func (l *patchLoad) sourceFolderRemakes(proj *Project, remakes, sourceDescs map[string]*descEdit, texts map[string][]byte) string {
	what := "the project file's sources: configs changed"
	old, now, why := folderTrees(proj, "sources", l.snap.SourceConfigs, what)
	if why != "" {
		return why
	}
	if why := l.index(); why != "" {
		return why
	}
	differ := folderDiffer("sources", old, now)
	for i := range l.ix.nodes {
		sel := &l.ix.nodes[i].sel
		if l.ix.nodes[i].gone || sel.ResourceType != TypeSource || remakes[sel.UniqueID] != nil {
			continue
		}
		d, ok := differ(sel.FQN)
		switch {
		case !ok:
			return what + " to values the snapshot cannot compare"
		case !d:
			continue
		case sel.Package != proj.Name:
			return what + " for " + sel.UniqueID + ", a package's"
		case sourceDescs[sel.UniqueID] != nil:
			return what + " for " + sel.UniqueID + ", whose YAML changed too"
		}
		top, why := l.propsTopOf(sel.Path, texts)
		if why != "" {
			return what + " for " + sel.UniqueID + " and " + why
		}
		src, table := sourceEntry(top, sel.SourceName, sel.Name)
		if table == nil || !plainTable(table) {
			return what + " for " + sel.UniqueID + ", whose entry is not found once or not of plain YAML"
		}
		remakes[sel.UniqueID] = &descEdit{entryAdded: true, entryRemoved: true, remade: true, entry: table, source: src,
			file: sel.Path, removedFrom: sel.Path}
	}
	return ""
}

// sourceEntry is the entry of source name and that of its table table in
// a properties file's top mapping (nil: not there once).
func sourceEntry(top *yaml.Node, name, table string) (src, t *yaml.Node) {
	if top == nil {
		return nil, nil
	}
	count := 0
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "sources" || top.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		item, n := namedItem(top.Content[i+1].Content, name)
		if item != nil {
			src = item
		}
		count += n
	}
	if count != 1 {
		return nil, nil
	}
	tables, ok := sourceTables(src)
	if !ok {
		return nil, nil
	}
	if t, n := namedItem(tables, table); n == 1 {
		return src, t
	}
	return nil, nil
}

// namedItem is the last of a YAML list's mapping items whose name: is
// name, and how many are.
func namedItem(items []*yaml.Node, name string) (found *yaml.Node, n int) {
	for _, item := range items {
		if item.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			if item.Content[j].Value == "name" && item.Content[j+1].Kind == yaml.ScalarNode && item.Content[j+1].Value == name {
				found, n = item, n+1
			}
		}
	}
	return found, n
}

// propsTopOf is the top mapping of the properties file path (propsTop),
// as the edit left its text (texts; nil: gone) or the snapshot keeps it,
// parsed once a patch (every caller of a patch has the same texts), or
// why the snapshot's text cannot be read.
func (l *patchLoad) propsTopOf(path string, texts map[string][]byte) (*yaml.Node, string) {
	if why := l.propsTops([]string{path}, texts); why != "" {
		return nil, why
	}
	return l.propTops[path], ""
}

// propsTops parses the properties files paths that propsTopOf did not
// yet, in parallel (the tests a macro edit makes again may be declared in
// every properties file of the project).
func (l *patchLoad) propsTops(paths []string, texts map[string][]byte) string {
	var todo []string
	for _, p := range paths {
		if _, ok := l.propTops[p]; !ok && !slices.Contains(todo, p) {
			todo = append(todo, p)
		}
	}
	tops := make([]*yaml.Node, len(todo))
	whys := make([]string, len(todo))
	parallel(len(todo), func(i int) {
		data, edited := texts[todo[i]]
		if !edited {
			if data, whys[i] = l.propsText(todo[i]); whys[i] != "" {
				return
			}
		}
		tops[i] = propsTop(data)
	})
	if l.propTops == nil {
		l.propTops = map[string]*yaml.Node{}
	}
	for i, p := range todo {
		if whys[i] != "" {
			return whys[i]
		}
		l.propTops[p] = tops[i]
	}
	return ""
}

// propsTop is a properties file's top mapping, as the whole compile reads
// it (propsTree: blockyaml, else yaml.v3, which takes 5-10 times as long
// on a file of 1,667 entries); nil: it does not parse, or is not one
// mapping.
func propsTop(data []byte) *yaml.Node {
	top, err := propsTree(data)
	if err != nil || top == nil || top.Kind != yaml.MappingNode {
		return nil
	}
	return top
}
