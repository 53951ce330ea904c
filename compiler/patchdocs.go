package compiler

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
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
// A block defined in two files (which wins is the files' order), one the
// edit removes while a description still calls it, a description with
// other Jinja beside doc() that reads a block, a versioned model's, a
// properties file edited in the same save, and .md files added or
// removed compile the whole project.

// docsEdit is what edits of .md files change: the docs object (json,
// where manifest.json has it: at; nil when its content stays) and the
// names of the blocks each file defines now.
type docsEdit struct {
	json  []byte
	at    [2]int64
	names map[string][]string
}

// docsEdits works out what the edits of .md files (edited) change, and
// adds the descriptions they change to descs (patchable models, by index
// in Nodes) and others (other nodes, by id); or says why it cannot.
func (snap *patchSnapshot) docsEdits(proj *Project, file, manifestFile string, edited []changedFile, descs map[int]*descEdit, others map[string]*descEdit) (*docsEdit, string) {
	old, at, why := snap.readDocs(manifestFile)
	if why != "" {
		return nil, why
	}
	now := make(map[string]string, len(old))
	for k, v := range old {
		now[k] = v
	}
	out := &docsEdit{at: at, names: map[string][]string{}}
	for _, ch := range edited {
		for _, name := range snap.DocFiles[snap.Files[ch.index].Path] {
			delete(now, name)
		}
	}
	for _, ch := range edited {
		path := snap.Files[ch.index].Path
		blocks := parseDocsBlocks(string(ch.data))
		for k, v := range blocks {
			if _, twice := now[k]; twice {
				return nil, path + " defines docs block " + k + ", which another file defines"
			}
			now[k] = v
		}
		out.names[path] = sortedKeys(blocks)
	}
	changed := map[string]bool{}
	for k, v := range old {
		if w, ok := now[k]; !ok || w != v {
			changed[k] = true
		}
	}
	for k := range now {
		if _, ok := old[k]; !ok {
			changed[k] = true
		}
	}
	if len(changed) == 0 {
		return out, ""
	}
	b, err := compactJSON(now)
	if err != nil {
		return nil, err.Error()
	}
	out.json = b
	blobs, err := openBlobs(file, snap)
	if err != nil {
		return nil, "the snapshot's blobs file is unreadable"
	}
	defer blobs.Close()
	byID := snap.nodeIndex()
	for _, path := range sortedKeys(snap.Props) {
		text, err := readBlobRef(blobs, snap.Props[path])
		if err != nil {
			return nil, "the snapshot's text of " + path + " is unreadable"
		}
		if !bytes.Contains(text, []byte("{{")) {
			continue
		}
		edits, why := docDescEdits(proj, path, text, old, now, changed)
		if why != "" {
			return nil, why
		}
		for _, id := range sortedKeys(edits) {
			e := edits[id]
			if ni, ok := byID[id]; ok {
				if descs[ni] != nil {
					return nil, id + " is described in two files"
				}
				descs[ni] = e
				continue
			}
			if others[id] != nil {
				return nil, id + " is described in two files"
			}
			others[id] = e
		}
	}
	return out, ""
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

// docDescEdits is what the blocks changed change of the descriptions a
// properties file (path, text) declares, by node id, as the compile
// renders them (renderDescription) with the blocks old and now; or why
// it cannot tell.
func docDescEdits(proj *Project, path string, text []byte, old, now map[string]string, changed map[string]bool) (map[string]*descEdit, string) {
	p, _ := parseProperties(path, text, proj.Vars)
	if p == nil {
		return nil, path + " does not parse"
	}
	out := map[string]*descEdit{}
	var why string
	// one description: its change, when a block it calls changed
	desc := func(d string) *descChange {
		if why != "" || !strings.Contains(d, "{{") {
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
		// every column's description is rendered (a block it calls must
		// be there: found by review), the last of a name kept
		last := map[string]*descChange{}
		for _, col := range cols {
			if col.Name != "" {
				last[col.Name] = desc(col.Description)
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
		if e.desc != nil || len(e.cols) > 0 {
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
			if _, versioned := e.Rest["versions"]; versioned && bytes.Contains(text, []byte("doc")) {
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
	if why != "" {
		return nil, why
	}
	return out, "" // (a unit test's description is not rendered)""
}
