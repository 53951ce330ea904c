package compiler

import (
	"slices"
	"strings"
)

// Patching an edit of a snapshot's config that its SQL file does not
// hold: its YAML entry's config: (descriptionEdits puts it with the
// models' entries made again, by name) or the root project file's
// snapshots: entry (folder configs: the snapshot's key leaves it out,
// settingsSum, and keeps it as written, SnapshotConfigs). A snapshot of
// SQL is made again as a model whose YAML config changed is: its file
// removed and added where it is (removeModels, addModels), rendered with
// its folder config and its entry (the edit's, or the one the edit left:
// listEntry), its tests made again from its entry; what reads it (models'
// SQL, tests' SQL) stays while it shows them the same relation
// (movedFace). A snapshot is named by its file's first block, not its
// file: its name is the one the removed file goes with (moves.names).
//
// It refuses (the whole project compiles) for a YAML snapshot (relation:
// in a properties file: no file of its own), a package's snapshot, a
// snapshot whose relation moves while nodes read it, and templated folder
// configs (folderChanges).

// snapshotNames is the name of each patchable snapshot (its block's) by
// its file's path (folderChanges' named).
func (snap *patchSnapshot) snapshotNames(patchable map[string]int) map[string]string {
	named := map[string]string{}
	for path, ni := range patchable {
		if id := snap.Nodes[ni].ID; strings.HasPrefix(id, TypeSnapshot+".") {
			named[path] = id[strings.LastIndexByte(id, '.')+1:]
		}
	}
	return named
}

// yamlSnapshots is the fqn of each YAML snapshot (a properties file's
// entry with relation:), enabled or not, sorted (YAMLSnapshots).
func (c *compilation) yamlSnapshots() [][]string {
	var out [][]string
	add := func(n *Node) {
		if n.ResourceType == TypeSnapshot && n.relationAt[0] > 0 {
			out = append(out, n.FQN)
		}
	}
	for _, n := range c.nodes {
		add(n)
	}
	for _, n := range c.disabled {
		add(n)
	}
	slices.SortFunc(out, slices.Compare)
	return out
}
