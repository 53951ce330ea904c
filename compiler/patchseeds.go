package compiler

import (
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Patching an edit of the root project file's seeds: entry (folder
// configs). The snapshot's key hashes the project file without it
// (settingsSum) and keeps it as written (SeedConfigs); when it differs,
// folderChanges finds the seeds whose folder config changed, and each is
// made again in its entry's place (replaced, as a unit test kept is:
// graphSplices), as the whole compile makes it: fileNode's folder config,
// its YAML entry applied (applyPatch) from its properties file's text as
// the snapshot keeps it, its tags, meta and relation (finishConfigs), its
// config checked (checkNodeConfig), its unrendered config. What reads it
// stays as it was (its models' SQL, the sources on its table, its tests'
// SQL), so its relation must be as it was, and it enabled; its checksum
// is its CSV's, which must not change in the same edit (seedSplice).
//
// A seed whose YAML config: an edit changed (seedEdits) is made again the
// same way, from the properties file's new text; so is a seed whose
// folder config changed while an edit changed its entry's descriptions,
// columns or tests (its entry's new text: the description splices skip
// it; its tests are made again as any seed's, remakeTests).
//
// It refuses (the whole project compiles) for a seed of a package, one
// whose CSV the edit changed too, one whose YAML entry holds Jinja but
// doc() in its descriptions, or is not found once, one the compile would
// say anything about, and templated folder configs.

// seedConfigEdits adds to files (the seeds' CSV files whose folder
// config changed) those of the seeds whose YAML config an edit changed
// (edits: descriptionEdits' of seeds and sources, by id), or says why it
// cannot.
func (snap *patchSnapshot) seedConfigEdits(files []fileStat, edits map[string]*descEdit) ([]fileStat, string) {
	var names []string
	for id, e := range edits {
		if name, ok := strings.CutPrefix(id, TypeSeed+"."); ok && e.config {
			names = append(names, name[strings.IndexByte(name, '.')+1:])
		}
	}
	if len(names) == 0 {
		return files, ""
	}
	slices.Sort(names)
	for _, name := range names {
		found := -1
		for i, f := range snap.Files {
			if f.Kind == "seeds" && f.Proj == 0 && path.Base(f.Path) == name+".csv" {
				if found >= 0 {
					return nil, "seed " + name + "'s YAML config changed and two files are named for it"
				}
				found = i
			}
		}
		if found < 0 {
			return nil, "seed " + name + "'s YAML config changed and it is not a seed of the project"
		}
		if !slices.ContainsFunc(files, func(f fileStat) bool { return f.Path == snap.Files[found].Path }) {
			files = append(files, snap.Files[found])
		}
	}
	return files, ""
}

// remakeSeeds makes the seeds of files (folderChanges, seedConfigEdits)
// again, or says why it cannot; csvs are the paths of the seeds' CSV files
// the edit changed, texts the properties files it changed, as they are now.
func (l *patchLoad) remakeSeeds(proj *Project, files []fileStat, csvs map[string]bool, texts map[string][]byte) ([]*newModel, []goneModel, string) {
	c := l.c
	// the folder configs, rendered as a whole compile renders them first
	// (addModels, which runs before, renders them too: once)
	if len(proj.renderConfigs(c.targetValue, c.opt.Vars)) > 0 {
		return nil, nil, "a seed's config changed and the project's configs do not render cleanly"
	}
	if why := l.index(); why != "" {
		return nil, nil, why
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, nil, err.Error()
	}
	defer dec.close()
	projects := proj.projects()
	var news []*newModel
	var gone []goneModel
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f.Path), ".csv")
		id := TypeSeed + "." + proj.Name + "." + name
		why := "the config of seed " + f.Path + " changed and "
		i, ok := l.ix.pos[id]
		if !ok || i >= len(l.snap.Entries) || l.ix.nodes[i].gone || l.ix.nodes[i].sel.ResourceType != TypeSeed {
			return nil, nil, why + "the node index lacks it"
		}
		if csvs[f.Path] {
			return nil, nil, why + "its CSV changed too"
		}
		old, err := dec.decode(i)
		if err != nil {
			return nil, nil, why + err.Error()
		}
		n, d := c.fileNode(&projectFile{kind: "seeds", proj: projects[0], root: f.Root, rel: f.Path, sum: old.Checksum})
		if n == nil || d != nil || n.UniqueID != id {
			return nil, nil, why + "it is not made as it was"
		}
		if old.PatchPath != "" {
			entry, w := l.seedEntry(old.PatchPath, name, texts)
			if w != "" {
				return nil, nil, why + w
			}
			diags := len(c.diags)
			c.applyPatch(&properties{file: old.PatchPath, pkg: projects[0]}, TypeSeed, entry, n)
			if len(c.diags) > diags {
				return nil, nil, why + "its YAML entry says something"
			}
		}
		// as finishConfigs, checkConfigs and the resolve phase do
		settleTagsMeta(n)
		if !n.Enabled() {
			return nil, nil, why + "it is disabled now"
		}
		c.setRelation(n)
		diags := len(c.diags)
		c.checkNodeConfig(n)
		c.setUnrendered(n)
		if len(c.diags) > diags {
			return nil, nil, why + "a compile of it says something"
		}
		if n.Database != old.Database || n.Schema != old.Schema || n.Alias != old.Alias || n.Relation != old.Relation {
			return nil, nil, why + "its relation moved (what reads it would too)"
		}
		c.settleEntry(n)
		frag, err := appendNode(nil, n)
		if err != nil {
			return nil, nil, why + err.Error()
		}
		at := l.snap.Entries[i]
		news = append(news, &newModel{n: n, test: true, replace: &at, frag: frag})
		gone = append(gone, goneModel{ni: -1, pos: i, n: *old, test: true, replaced: true})
	}
	return news, gone, ""
}

// seedEntry is seed name's entry in the properties file file (listEntry),
// decoded.
func (l *patchLoad) seedEntry(file, name string, texts map[string][]byte) (*propEntry, string) {
	found, why := l.listEntry(file, "seeds", name, texts)
	if why != "" {
		return nil, why
	}
	entry := &propEntry{}
	if err := found.Decode(entry); err != nil || entry.Name != name || entry.Versions != nil {
		return nil, "its YAML entry does not decode cleanly"
	}
	return entry, ""
}

// listEntry is the entry named name of the list key (seeds:, snapshots:)
// in the properties file file, as the edit left its text (texts) or the
// snapshot keeps it (its doc() calls rendered with the docs blocks
// manifest.json holds: loadDocs), or why it cannot be: the entry is not
// there once, or it holds Jinja but doc() in its descriptions
// (docsOnlyEntry).
func (l *patchLoad) listEntry(file, key, name string, texts map[string][]byte) (*yaml.Node, string) {
	return l.listEntryWith(file, key, name, texts, plainTree)
}

// listEntryWith is listEntry with the entry's test lists checked by tests
// (docsOnlyEntryWith).
func (l *patchLoad) listEntryWith(file, key, name string, texts map[string][]byte, tests func(*yaml.Node) bool) (*yaml.Node, string) {
	top, why := l.propsTopOf(file, texts)
	if why != "" {
		return nil, why
	}
	if top == nil {
		return nil, "its properties file does not parse"
	}
	var found *yaml.Node
	count := 0
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != key {
			continue
		}
		if top.Content[i+1].Kind != yaml.SequenceNode {
			return nil, "its properties file's " + key + ": is not a list"
		}
		item, n := namedItem(top.Content[i+1].Content, name)
		if item != nil {
			found = item
		}
		count += n
	}
	switch {
	case count > 1:
		return nil, "its YAML entry is there twice"
	case found == nil:
		return nil, "its YAML entry is not found"
	}
	plain, docs := docsOnlyEntryWith(found, tests)
	if !plain {
		return nil, "its YAML entry is not of plain YAML"
	}
	if docs {
		if why := l.loadDocs(); why != "" {
			return nil, "its YAML entry calls doc() and " + why
		}
	}
	return found, ""
}

// addSeeds makes the seeds of CSV files added to the root project's seed
// paths as the whole compile makes them (fileNode: the file's checksum,
// its folder config; then as finishConfigs, checkConfigs and the resolve
// phase do), before the models added in the same edit, which ref() may
// find them (patchLoad.also): a seed has no render, no compiled file and
// no parent. It refuses (the whole project compiles) a seed whose name a
// node has (enabled or disabled), one a YAML entry names (no entry named
// it: the compile would have warned, danglingKept; one added in the same
// save), one disabled, one whose relation a node builds or a source
// table reads (linkSeededSources would make it the table's parent), and
// one the compile says anything of. Before session 33 a seed added
// compiled the whole project.
func (l *patchLoad) addSeeds(proj *Project, added []addedFile, gone []goneModel, sourceDescs map[string]*descEdit) ([]*newModel, string) {
	snap, c := l.snap, l.c
	if len(added) == 0 {
		return nil, ""
	}
	if len(proj.renderConfigs(c.targetValue, c.opt.Vars)) > 0 {
		return nil, added[0].path + " is new and the project's configs do not render cleanly"
	}
	if why := l.unversionedIndex(); why != "" {
		return nil, why
	}
	dec, err := newEntryDecoder(l)
	if err != nil {
		return nil, err.Error()
	}
	defer dec.close()
	names, _, _, _, why := l.takenNames(gone)
	if why != "" {
		return nil, added[0].path + " is new and " + why
	}
	// the relations the source tables read, which a seed's would be the
	// parent of
	read := map[string]bool{}
	for i := range l.ix.nodes {
		if in := &l.ix.nodes[i]; !in.gone && in.sel.ResourceType == TypeSource {
			s, err := dec.decode(i)
			if err != nil {
				return nil, added[0].path + " is new and " + err.Error()
			}
			read[c.relationKey(s, s.Identifier)] = true
		}
	}
	for _, s := range l.sources { // made again or added by this patch (nil: removed)
		if s != nil {
			read[c.relationKey(s, s.Identifier)] = true
		}
	}
	projects := proj.projects()
	var out []*newModel
	for _, a := range added {
		like := snap.likeFile(a.like)
		why := a.path + " is new and "
		st, data, err := snap.readAdded(proj, a)
		if err != nil {
			return nil, why + "unreadable"
		}
		n, d := c.fileNode(&projectFile{kind: "seeds", proj: projects[0], root: like.Root, rel: a.path, sum: checksum(data)})
		switch {
		case n == nil || d != nil || n.ResourceType != TypeSeed:
			return nil, why + "not a seed"
		case names[n.Name]:
			return nil, why + "a node has its name"
		case sourceDescs[n.UniqueID] != nil:
			return nil, why + "YAML names it"
		}
		settleTagsMeta(n)
		if !n.Enabled() {
			return nil, why + "disabled"
		}
		c.setRelation(n)
		diags := len(c.diags)
		c.checkNodeConfig(n)
		c.setUnrendered(n)
		if len(c.diags) > diags {
			return nil, why + "a compile of it says something"
		}
		m := &newModel{file: st, like: a.like, n: n, seed: true, builds: true}
		m.rel = relationHash(c.relationKey(n, n.Alias))
		if snap.relationTaken(m.rel, gone) || read[c.relationKey(n, n.Alias)] {
			return nil, why + "builds a relation another node builds or a source table reads"
		}
		c.settleEntry(n)
		if m.frag, err = appendNode(nil, n); err != nil {
			return nil, why + err.Error()
		}
		names[n.Name] = true
		pre := *n
		dec.added(n, &pre) // the models added after it may ref it
		out = append(out, m)
	}
	return out, ""
}
