package compiler

import "strings"

// A snapshot file of several {% snapshot %} blocks makes a node of each
// (snapshotNodes): they share the file's path, and each one's entry has
// the file's checksum. Its blocks are patchable when all of them are
// (patchSnapshot); an edit of the file renders each block again from its
// place in the new text, found by name (prepareJob), and a macro or var
// edit renders a block that read it from the file as it is. An edit that
// adds, removes or renames a block, or the file's removal, compiles the
// whole project.

// sameBlocks says why the new text of a snapshot file of several blocks
// is not patched ("" when it is): it must hold the blocks of the
// snapshot's nodes nis, by name, in any order.
func (snap *patchSnapshot) sameBlocks(nis []int, data []byte) string {
	text := string(data)
	tags := snapshotTags(text)
	if len(tags) != len(nis) {
		return "how many snapshots it holds"
	}
	names := make(map[string]bool, len(nis))
	for _, ni := range nis {
		id := snap.Nodes[ni].ID // snapshot.<package>.<name>
		if strings.Count(id, ".") != 2 {
			return "and " + id + " is named otherwise"
		}
		names[id[strings.LastIndexByte(id, '.')+1:]] = true
	}
	for _, b := range snapshotBlocks(text, tags) {
		if !names[b.name] {
			return "the names of its snapshots"
		}
		delete(names, b.name) // (a name twice: the next one is not found)
	}
	return ""
}

// unchangedText reads a snapshot file of several blocks that did not
// change, for a block of it rendered again: its content must still be
// the snapshot's.
func unchangedText(proj *Project, snap *patchSnapshot, fileIndex map[string]int, path string) ([]byte, string) {
	fi, ok := fileIndex[path]
	if !ok {
		return nil, path + " is not in the snapshot"
	}
	data, err := readFile(osPath(proj.Dir, path))
	if err != nil || rawSum(data) != snap.Files[fi].Sum {
		return nil, path + " changed meanwhile"
	}
	return data, ""
}
