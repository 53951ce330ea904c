package compiler

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Patching an edit of the root project file's models: entry (folder
// configs; its seeds: entry goes the same way to patchseeds.go). The snapshot's key hashes the project file without that
// entry (settingsSum) and keeps the entry as the outputs were made with
// it (ModelConfigs). When it differs, the patch merges each model file's
// folder config under the old entry and the new one, as a whole compile
// merges it (fileNode: the path's folders, outermost first), and makes
// again, as a model whose YAML config changed (remadeModels), every
// model whose folder config changed: its config, tags, tests and entry as
// a whole compile makes them, as long as what the nodes that read it and
// are not made again see of it stays (movedFace: its relation, not
// ephemeral, its access and group). A model the new config disables goes
// into the disabled object (patchdisabled.go) when nothing but its tests
// reads it.
// A comment, or a folder whose models are all set as before, makes none.
//
// A model a unit test tests is made again where it is while it reads
// what it read (inPlaceInputs: its unit tests' entries and givens stay).
//
// It refuses (the whole project compiles) when a folder config changed
// for a model it cannot make again (not patchable: disabled (enabling a
// folder compiles whole), ephemeral, a package's), and when either entry holds
// a template (its values render with --vars, env vars and the target,
// and unrendered_config keeps them as written). A diagnostic about the
// project file keys the snapshot by its whole text (patchKey): any edit
// of it compiles the whole project.

// folderRemakes returns the patchable models (snapshots: kind; indexes
// in snap.Nodes, sorted) whose folder config the edit of the project
// file's entry of that kind changed, or why it cannot be patched.
func (snap *patchSnapshot) folderRemakes(proj *Project, kind string, patchable, disabledAt map[string]int) (nis, dis []int, why string) {
	was, named, fileless := snap.ModelConfigs, map[string]string(nil), [][]string(nil)
	if kind == "snapshots" {
		was, named, fileless = snap.SnapshotConfigs, snap.snapshotNames(patchable), snap.YAMLSnapshots
	}
	files, why := snap.folderChanges(proj, kind, was, named, fileless)
	if why != "" {
		return nil, nil, why
	}
	for _, f := range files {
		if ni, ok := patchable[f.Path]; ok {
			if snap.disabledID(snap.Nodes[ni].ID) {
				return nil, nil, "the project file's " + kind + ": configs changed for " + f.Path + ", whose name is a disabled variant's too"
			}
			nis = append(nis, ni)
		} else if di, ok := disabledAt[f.Path]; ok && kind == "models" {
			dis = append(dis, di) // made again: the config may enable it
		} else {
			return nil, nil, "the project file's " + kind + ": configs changed for " + f.Path + ", not a patchable node"
		}
	}
	slices.Sort(nis)
	slices.Sort(dis)
	return nis, dis, ""
}

// folderTrees is the project file's entry of a kind (models:, seeds:,
// snapshots:, sources:) as the snapshot keeps it (oldText, as written:
// settingsSum) and as it is now, parsed, or why an edit of it cannot be
// patched (what says it changed): it is templated, in its text or once
// YAML decoded it (configTree.templated), or the snapshot's does not
// parse.
func folderTrees(proj *Project, kind, oldText, what string) (old, now *configTree, why string) {
	for _, text := range []string{oldText, proj.configTexts[kind]} {
		if isTemplate(text) || strings.Contains(text, "{#") {
			return nil, nil, what + " and are templated"
		}
	}
	old, ok := configsTree(proj.File, kind, oldText)
	if !ok {
		return nil, nil, what + " and the snapshot's do not parse"
	}
	now = proj.configs[kind]
	if old.templated() || now.templated() {
		return nil, nil, what + " and are templated"
	}
	return old, now, ""
}

// folderDiffer compares the folder config of a node of a kind (by its
// fqn) under two entries of that kind (folderTrees): whether it differs,
// and whether both could be compared.
func folderDiffer(kind string, old, now *configTree) func(fqn []string) (differ, ok bool) {
	before, after := &Project{configs: map[string]*configTree{kind: old}}, &Project{configs: map[string]*configTree{kind: now}}
	return func(fqn []string) (bool, bool) {
		a, okA := typedJSON(nil, before.folderConfig(kind, fqn))
		b, okB := typedJSON(nil, after.folderConfig(kind, fqn))
		return !bytes.Equal(a, b), okA && okB
	}
}

// folderChanges returns the root project's files of a kind ("models":
// .sql, "seeds": .csv, "snapshots": .sql) whose node's folder config an
// edit of the project file's entry of that kind (from oldText to now:
// folderTrees) changed, or why it cannot be patched. A node is named by
// its file, but a snapshot, by its block: named gives its name by its
// file's path. fileless are the fqns of nodes of that kind no file makes
// (YAML snapshots): one whose folder config changed cannot be patched.
func (snap *patchSnapshot) folderChanges(proj *Project, kind, oldText string, named map[string]string, fileless [][]string) ([]fileStat, string) {
	what := "the project file's " + kind + ": configs changed"
	old, now, why := folderTrees(proj, kind, oldText, what)
	if why != "" {
		return nil, why
	}
	if old == nil && now == nil {
		return nil, "" // (an empty entry and none)
	}
	differ := folderDiffer(kind, old, now)
	for _, fqn := range fileless {
		if d, ok := differ(fqn); d || !ok {
			return nil, what + " for " + strings.Join(fqn, ".") + ", which no file makes"
		}
	}
	ext := map[string]string{"models": ".sql", "seeds": ".csv", "snapshots": ".sql"}[kind]
	// a model's folder config is its folder's unless its name is a key
	// of either tree (a folder config set for that model, or a folder of
	// its name): each folder is compared once (10,000 models, 60 folders)
	names := map[string]bool{}
	old.keys(names)
	now.keys(names)
	type verdict struct{ differ, ok bool }
	folders := map[string]verdict{}
	projects := proj.projects()
	var out []fileStat
	for _, f := range snap.Files {
		if f.Kind != kind || !strings.HasSuffix(f.Path, ext) {
			continue // (a Python model makes no node: its folder config is read by none)
		}
		if f.Proj >= len(projects) {
			return nil, what + " and the snapshot's files are not the project's"
		}
		name := strings.TrimSuffix(path.Base(f.Path), ext)
		if named != nil {
			var ok bool
			if name, ok = named[f.Path]; !ok {
				return nil, what + " and " + f.Path + " is not a patchable node's file"
			}
		}
		fqn := fqnFor(projects[f.Proj], f.Root, f.Path, name)
		if kind == "snapshots" {
			fqn = snapshotFQN(projects[f.Proj], f.Root, f.Path, name)
		}
		var v verdict
		if names[name] {
			v.differ, v.ok = differ(fqn)
		} else {
			dir := fqn[:len(fqn)-1]
			key := strings.Join(dir, "/")
			var seen bool
			if v, seen = folders[key]; !seen {
				v.differ, v.ok = differ(dir)
				folders[key] = v
			}
		}
		if !v.ok {
			return nil, what + " to values the snapshot cannot compare"
		}
		if !v.differ {
			continue
		}
		if f.Proj != 0 { // (a patch makes the root project's nodes only)
			return nil, what + " for " + f.Path + ", a package's"
		}
		out = append(out, f)
	}
	return out, ""
}

// configsTree parses a models: (or seeds:, kind) entry as settingsSum
// cut it out of a project file (nil for none).
func configsTree(file, kind, text string) (*configTree, bool) {
	if text == "" {
		return nil, true
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil || len(root.Content) != 1 {
		return nil, false
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode || len(top.Content) != 2 || top.Content[0].Value != kind {
		return nil, false
	}
	var diags Diagnostics
	t := parseConfigTree(file, top.Content[1], kind, &diags)
	return t, !diags.HasErrors()
}

// templated says a value of the tree holds a template once YAML decoded
// it (as renderConfigs renders it: "\x7B{" in a double-quoted string, or
// a line wrapped in one, is one too), or one rendered it (raw), but for
// hooks, which render when they run (found by review: the text's check
// alone let such a value through, unrendered).
func (t *configTree) templated() bool {
	if t == nil {
		return false
	}
	if len(t.raw) > 0 {
		return true
	}
	for k, v := range t.conf {
		if k != "pre_hook" && k != "post_hook" && anyString(v, isTemplate) {
			return true
		}
	}
	for _, c := range t.children {
		if c.templated() {
			return true
		}
	}
	return false
}

// keys adds the folder names of a config tree, at every level, to names.
func (t *configTree) keys(names map[string]bool) {
	if t == nil {
		return
	}
	for name, c := range t.children {
		names[name] = true
		c.keys(names)
	}
}
