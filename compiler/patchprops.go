package compiler

import (
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Patching a properties file added or removed with the models it
// describes: a new directory of a model and its YAML (a folder renamed,
// or made), a properties file deleted with its models. Each entry of an
// added file is an entry added (descEdit.entryAdded), each of a removed
// file an entry removed, and the models added and removed with them
// consume them as those of an edited file's (patchadd.go): every entry
// must go with its model's file. The file must hold models, sources and
// unit tests alone (version:, models:, sources:, unit_tests:; its source
// tables are added or removed as patchsources.go makes them, its unit
// tests as an edit of a file's from no text or to none: remakeUnitTests),
// of plain YAML for an added one (plainTree), and the compile must have
// said nothing of a removed one. The snapshot keeps
// an added file's text (Props) and stat, and forgets a removed one's. An
// entry added or removed for a model whose file stays makes that model
// again where it is (remadeModels), with its entry or without one.

// readAdded reads a file a patch adds, its stat taken before it is read,
// as a compile's (a change after it shows next time), and made the
// snapshot's record of it: beside its like file's kind, project and root,
// with its text's sum.
func (snap *patchSnapshot) readAdded(proj *Project, a addedFile) (fileStat, []byte, error) {
	full := osPath(proj.Dir, a.path)
	st, err := statOf(full)
	if err != nil {
		return st, nil, err
	}
	data, err := readFile(full)
	if err != nil {
		return st, nil, err
	}
	like := snap.likeFile(a.like)
	st.Path, st.Kind, st.Proj, st.Root, st.Sum = a.path, like.Kind, like.Proj, like.Root, rawSum(data)
	return st, data, nil
}

// isPropsPath says a slash path is a properties file's.
func isPropsPath(p string) bool { return strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml") }

// wholePropsFiles adds to entries the entries of the properties files
// added (read: their stats, in order) and removed, or says why it cannot.
func (snap *patchSnapshot) wholePropsFiles(proj *Project, file string, added []addedFile, removed []string, entries, sources map[string]*descEdit) (stats []fileStat, units []string, why string) {
	put := func(path string, data []byte, isNew bool, pkg int) string {
		why := path + " is new and "
		if !isNew {
			why = path + " is gone and "
		}
		names, items, srcs, list, w := modelEntries(data, isNew, true)
		if w != "" {
			return why + w
		}
		// its unit tests are added or removed as an edit of a file's are
		// (remakeUnitTests: from no text, or to none)
		if list != nil {
			switch {
			case pkg != 0:
				return why + "is not the project's own"
			case isNew && !plainTree(list): // (Jinja in a config would read what no patch watches)
				return why + "its unit tests' YAML is not plain"
			}
			units = append(units, path)
		}
		if len(srcs) > 0 {
			if pkg != 0 {
				return why + "is not the project's own"
			}
			for _, key := range slices.Sorted(maps.Keys(srcs)) {
				if !addSourceEdit(sources, nodeID(proj, key), path, srcs[key]) {
					return why + key + " is described twice"
				}
			}
		}
		for j, name := range names {
			e := &descEdit{entryRemoved: true}
			if isNew {
				if !plainEntry(items[j]) {
					return why + "its YAML is not plain"
				}
				e = &descEdit{entryAdded: true, entry: items[j]}
			}
			if !addEntry(entries, name, path, e) {
				return why + name + " is described twice"
			}
		}
		return ""
	}
	for _, a := range added {
		st, data, err := snap.readAdded(proj, a)
		if err != nil {
			return nil, nil, a.path + " is new and unreadable"
		}
		if why := put(a.path, data, true, st.Proj); why != "" {
			return nil, nil, why
		}
		stats = append(stats, st)
		if snap.propTexts == nil {
			snap.propTexts = map[string][]byte{}
		}
		snap.propTexts[a.path] = data // written with the snapshot
	}
	if len(removed) > 0 {
		fileAt := snap.fileIndex()
		blobs, err := openBlobs(file, snap)
		if err != nil {
			return nil, nil, "the snapshot's blobs file is unreadable"
		}
		defer blobs.Close()
		for _, path := range removed {
			for _, d := range snap.Diags {
				if d.File == path {
					return nil, nil, path + " is gone and the compile said something about it"
				}
			}
			data, err := readBlobRef(blobs, snap.Props[path])
			if err != nil {
				return nil, nil, "the snapshot's text of " + path + " is unreadable"
			}
			at, ok := fileAt[path]
			if !ok {
				return nil, nil, path + " is gone and the snapshot lacks it"
			}
			if why := put(path, data, false, snap.Files[at].Proj); why != "" {
				return nil, nil, why
			}
		}
	}
	return stats, units, ""
}

// modelEntries is the names and entries of a properties file of models
// and sources alone (version:, models:, sources:, and keys the compile
// does not read: inertKeys; unit_tests: too when unitTests is set, its
// list returned as units when it has items), and its source tables as
// added (isNew: of plain YAML) or removed (wholeSource), by
// "source.table"; or what else it holds.
func modelEntries(data []byte, isNew, unitTests bool) (names []string, items []*yaml.Node, sources map[string]*descEdit, units *yaml.Node, why string) {
	top, err := propsTree(data)
	if err != nil || top == nil || top.Kind != yaml.MappingNode {
		return nil, nil, nil, nil, "holds no models"
	}
	if isNew {
		// what the compile checks of the whole file (parseProperties): a
		// key twice, an empty entry, or a value of another type fails it
		if len(nullEntries("", top)) > 0 || top.Decode(&properties{}) != nil {
			return nil, nil, nil, nil, "does not decode cleanly"
		}
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch {
		case isStr(k) && k.Value == "version":
		case isStr(k) && k.Value == "models" && v.Kind == yaml.SequenceNode:
			n, ok := columnNames(v.Content)
			if !ok {
				return nil, nil, nil, nil, "an entry has no name of its own"
			}
			names, items = append(names, n...), append(items, v.Content...)
		case isStr(k) && k.Value == "sources" && v.Kind == yaml.SequenceNode:
			n, ok := columnNames(v.Content)
			if !ok {
				return nil, nil, nil, nil, "a source has no name of its own"
			}
			if sources == nil {
				sources = map[string]*descEdit{}
			}
			for j, name := range n {
				a, b := v.Content[j], (*yaml.Node)(nil)
				if isNew {
					if !plainTree(a) {
						return nil, nil, nil, nil, "its YAML is not plain"
					}
					a, b = nil, a
				}
				if !wholeSource(name, a, b, sources) {
					return nil, nil, nil, nil, "a source's tables are not as the patch reads them"
				}
			}
		case unitTests && isStr(k) && k.Value == "unit_tests":
			if len(v.Content) > 0 {
				units = v
			}
		case isStr(k) && inertKeys[k.Value]:
			if !inertValue(v) {
				return nil, nil, nil, nil, "its " + k.Value + " are not plain"
			}
		default:
			return nil, nil, nil, nil, "holds more than models and sources"
		}
	}
	return names, items, sources, units, ""
}

// forgetProps drops a removed properties file from the snapshot.
func (snap *patchSnapshot) forgetProps(paths []string) {
	for _, p := range paths {
		delete(snap.Props, p)
		delete(snap.LineShifts, p)
		delete(snap.propTexts, p)
	}
}
