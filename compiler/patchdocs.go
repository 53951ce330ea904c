package compiler

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
)

// Patching an edit of a docs block ({% docs name %}...{% enddocs %} in a
// .md file of the root project). A block's text goes to two places:
// manifest.json's docs object, and every description that calls
// doc('name') (renderDescription), of models, seeds, snapshots, source
// tables and their columns. The snapshot keeps the names of the blocks
// each .md file defines (DocFiles), so the edit's old and new blocks are
// known by name, their old texts being the docs object's. The patch
// writes the docs object anew, and finds the descriptions that call a
// block whose text changed in the properties files' texts (Props; every
// file with a description that may read a block is one of them, or the
// snapshot has no DocFiles): each is rendered with the old texts and the
// new, and the entries whose descriptions changed are written as a YAML
// edit of their descriptions writes them (descEdit).
//
// A properties file edited in the same save is read as it is now, and
// its own edits render their new descriptions with the new blocks
// (renderDocs): the two edits of one entry are merged (mergeDocs).
//
// A block defined in two files (which wins is the files' order), one the
// edit removes while a description still calls it, a description with
// other Jinja beside doc() that reads a block, a versioned model's, an
// entry made again from its YAML in the same save, properties files
// added or removed compile the whole project. A .md file added (session
// 33) is an edit of a file that defined no block, one removed an edit that
// empties it, when the snapshot knows every .md file's blocks (DocsKnown:
// none defined twice; the project's first .md file too).

// docsEdit is what edits of .md files change: the docs object (json,
// where manifest.json has it: at; nil when its content stays), the names
// of the blocks each file defines now, and the blocks' texts before (old)
// and after (now), with the names of those that changed.
type docsEdit struct {
	json     []byte
	at       [2]int64
	names    map[string][]string
	old, now map[string]string
	changed  map[string]bool
}

// docsFile is a .md file an edit changed or added, and its text now.
type docsFile struct {
	path string
	data []byte
}

// docsChange works out what the edits of .md files (edited; one added
// defined no block before) change of the blocks, or says why it cannot.
func (snap *patchSnapshot) docsChange(manifestFile string, edited []docsFile) (*docsEdit, string) {
	old, at, why := snap.readDocs(manifestFile)
	if why != "" {
		return nil, why
	}
	now := make(map[string]string, len(old))
	for k, v := range old {
		now[k] = v
	}
	out := &docsEdit{at: at, names: map[string][]string{}, old: old, now: now, changed: map[string]bool{}}
	for _, ch := range edited {
		for _, name := range snap.DocFiles[ch.path] {
			delete(now, name)
		}
	}
	for _, ch := range edited {
		path := ch.path
		blocks := parseDocsBlocks(string(ch.data))
		for k, v := range blocks {
			if _, twice := now[k]; twice {
				return nil, path + " defines docs block " + k + ", which another file defines"
			}
			now[k] = v
		}
		out.names[path] = sortedKeys(blocks)
	}
	for k, v := range old {
		if w, ok := now[k]; !ok || w != v {
			out.changed[k] = true
		}
	}
	for k := range now {
		if _, ok := old[k]; !ok {
			out.changed[k] = true
		}
	}
	if len(out.changed) > 0 {
		b, err := compactJSON(now)
		if err != nil {
			return nil, err.Error()
		}
		out.json = b
	}
	return out, ""
}

// descEdits adds to descs (patchable models, by index in Nodes) and
// others (other nodes, by id) the descriptions the blocks changed
// change, or says why it cannot. They are found in the properties files'
// texts: the snapshot's, or texts' (by path) for those edited in the same
// save, whose own edits (in descs and others already) they join
// (mergeDocs).
func (d *docsEdit) descEdits(proj *Project, file string, snap *patchSnapshot, texts map[string][]byte, descs map[int]*descEdit, others map[string]*descEdit) string {
	if len(d.changed) == 0 {
		return ""
	}
	blobs, err := openBlobs(file, snap)
	if err != nil {
		return "the snapshot's blobs file is unreadable"
	}
	defer blobs.Close()
	byID := snap.nodeIndex()
	for _, path := range sortedKeys(snap.Props) {
		text, edited := texts[path]
		if !edited {
			if text, err = readBlobRef(blobs, snap.Props[path]); err != nil {
				return "the snapshot's text of " + path + " is unreadable"
			}
		}
		if !mayHoldJinja(text) {
			continue
		}
		edits, why := docDescEdits(proj, path, text, d.old, d.now, d.changed, edited)
		if why != "" {
			return why
		}
		for _, id := range sortedKeys(edits) {
			e := edits[id]
			var to *descEdit
			ni, model := byID[id]
			if model {
				to = descs[ni]
			} else {
				to = others[id]
			}
			switch {
			case to == nil && len(e.yamlOnly) > 0:
				return path + " calls a new docs block in a description of " + id + " that its edit did not change"
			case to == nil && model:
				descs[ni] = e
				continue
			case to == nil:
				others[id] = e
				continue
			case !edited || to.file != path:
				return id + " is described in two files"
			}
			if why := to.mergeDocs(e); why != "" {
				return path + " changed with a docs block its " + id + " calls, and " + why
			}
		}
	}
	return ""
}

// mergeDocs adds to a YAML edit of a node's descriptions (e) what an edit
// of docs blocks changes of the descriptions it left as they were (d, of
// the same file's new text): its own are rendered with the new blocks
// already (renderDocs). An edit that makes the entry again is refused.
func (e *descEdit) mergeDocs(d *descEdit) string {
	if e.config || e.remade || e.entryAdded || e.entryRemoved {
		return "its entry is made again"
	}
	for _, name := range d.yamlOnly {
		_, edited := e.cols[name]
		_, added := e.added[name]
		if name == "" && e.desc == nil || name != "" && !edited && !added {
			return "a description calling a new block is not one the edit changed"
		}
	}
	if e.desc == nil {
		e.desc = d.desc
	}
	for name, ch := range d.cols {
		_, edited := e.cols[name]
		_, added := e.added[name]
		_, removed := e.removed[name]
		if edited || added || removed {
			continue
		}
		if e.cols == nil {
			e.cols = map[string]descChange{}
		}
		e.cols[name] = ch
	}
	return ""
}

// renderDocCalls is desc with its doc() calls replaced by the blocks'
// texts, as renderDescription's first step does, and the name of a block
// it calls that blocks lacks ("" when none).
func renderDocCalls(desc string, blocks map[string]string) (out, missing string) {
	out = docRE().ReplaceAllStringFunc(desc, func(m string) string {
		name := docRE().FindStringSubmatch(m)[1]
		b, ok := blocks[name]
		if !ok && missing == "" {
			missing = name
		}
		return b
	})
	return out, missing
}

// readDocs reads manifest.json's docs object, which follows its macros
// object: its blocks and where its value is.
func (snap *patchSnapshot) readDocs(manifestFile string) (map[string]string, [2]int64, string) {
	const key = `,"docs":`
	f, err := os.Open(manifestFile)
	if err != nil {
		return nil, [2]int64{}, "manifest.json unreadable"
	}
	defer f.Close()
	from := snap.Macros[1] + int64(len(key))
	if st, err := statOfFile(f); err != nil || !st.same(snap.Manifest) || from > snap.Manifest.Size {
		return nil, [2]int64{}, "manifest.json changed"
	}
	head := make([]byte, len(key))
	if _, err := f.ReadAt(head, snap.Macros[1]); err != nil || string(head) != key {
		return nil, [2]int64{}, "manifest.json's docs are not where the snapshot says"
	}
	dec := json.NewDecoder(io.NewSectionReader(f, from, snap.Manifest.Size-from))
	docs := map[string]string{}
	if err := dec.Decode(&docs); err != nil {
		return nil, [2]int64{}, "manifest.json's docs do not decode"
	}
	to := from + dec.InputOffset()
	was := make([]byte, to-from)
	if _, err := f.ReadAt(was, from); err != nil {
		return nil, [2]int64{}, "manifest.json unreadable"
	}
	if b, err := compactJSON(docs); err != nil || !bytes.Equal(b, was) {
		return nil, [2]int64{}, "manifest.json's docs do not encode back as they were"
	}
	return docs, [2]int64{from, to}, ""
}

// mayHoldJinja says whether a properties file's text may decode to a
// description with Jinja ({{, {% or {#: descJinja): it holds one, or a
// backslash, through which a double-quoted scalar's escapes (\x7B, an
// escaped line break between two braces) make one (found by review).
func mayHoldJinja(text []byte) bool {
	return bytes.Contains(text, []byte("{{")) || bytes.Contains(text, []byte("{%")) || bytes.Contains(text, []byte("{#")) ||
		bytes.IndexByte(text, '\\') >= 0
}

// docDescEdits is what the blocks changed change of the descriptions a
// properties file (path, text) declares, by node id, as the compile
// renders them (renderDescription) with the blocks old and now; or why
// it cannot tell.
func docDescEdits(proj *Project, path string, text []byte, old, now map[string]string, changed map[string]bool, edited bool) (map[string]*descEdit, string) {
	p, _ := parseProperties(path, text, proj.Vars)
	if p == nil {
		return nil, path + " does not parse"
	}
	out := map[string]*descEdit{}
	var why string
	// one description: its change, when a block it calls changed; in a
	// file edited in the same save, one that calls a block only the new
	// blocks have is new text, which the YAML edit must cover (yamlOnly)
	var yamlOnly bool
	desc := func(d string) *descChange {
		yamlOnly = false
		if why != "" || !descJinja(d) { // (as renderDescription: {% and {# too)
			return nil
		}
		if !docsOnly(d) {
			if strings.Contains(d, "doc") {
				why = path + " has a description with Jinja beside doc() (rendered whole)"
			}
			return nil
		}
		a, missing := renderDocCalls(d, old)
		b, gone := renderDocCalls(d, now)
		if edited && missing != "" && gone == "" {
			yamlOnly = true
			return nil
		}
		if missing == "" {
			missing = gone
		}
		if missing != "" {
			why = path + " calls docs block " + missing + ", which is not there now"
			return nil
		}
		if a != b {
			return &descChange{a, b}
		}
		return nil
	}
	// a node's description and its columns' (the last of a name wins, as
	// in columnsFrom)
	node := func(id, d string, cols []*propColumn) {
		e := &descEdit{file: path, desc: desc(d)}
		if yamlOnly {
			e.yamlOnly = append(e.yamlOnly, "")
		}
		// every column's description is rendered (a block it calls must
		// be there: found by review), the last of a name kept
		last := map[string]*descChange{}
		for _, col := range cols {
			if col.Name != "" {
				last[col.Name] = desc(col.Description)
				if yamlOnly {
					e.yamlOnly = append(e.yamlOnly, col.Name)
				}
			}
		}
		for _, name := range sortedKeys(last) {
			if ch := last[name]; ch != nil {
				if e.cols == nil {
					e.cols = map[string]descChange{}
				}
				e.cols[name] = *ch
			}
		}
		if e.desc != nil || len(e.cols) > 0 || len(e.yamlOnly) > 0 {
			if out[id] != nil {
				why = path + " describes " + id + " twice"
			}
			out[id] = e
		}
	}
	for _, l := range []struct {
		typ     string
		entries []*propEntry
	}{{TypeModel, p.Models}, {TypeSeed, p.Seeds}, {TypeSnapshot, p.Snapshots}} {
		for _, e := range l.entries {
			if _, versioned := e.Rest["versions"]; versioned && (bytes.Contains(text, []byte("doc")) || bytes.IndexByte(text, '\\') >= 0) {
				return nil, path + " has a versioned model"
			}
			if e.Name != "" {
				node(l.typ+"."+proj.Name+"."+e.Name, e.Description, e.Columns)
			}
		}
	}
	for _, s := range p.Sources {
		for _, t := range s.Tables {
			node(TypeSource+"."+proj.Name+"."+s.Name+"."+t.Name, firstNonEmpty(t.Description, s.Description), t.Columns)
		}
	}
	// analyses' and singular tests' descriptions (analyses: and
	// data_tests: entries, read since session 32) are not written by a
	// patch: a block one calls that changed compiles whole (found by
	// review)
	for _, e := range slices.Concat(p.Analyses, p.DataTests) {
		ds := []string{e.Description}
		for _, col := range e.Columns {
			ds = append(ds, col.Description)
		}
		for _, d := range ds {
			if ch := desc(d); (ch != nil || yamlOnly) && why == "" {
				why = path + " describes analysis or singular test " + e.Name + " with a docs block that changed"
			}
		}
	}
	if why != "" {
		return nil, why
	}
	return out, "" // (a unit test's description is not rendered)""
}
