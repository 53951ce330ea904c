package compiler

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// A run with --full-refresh (or one without it after one with it) patches
// target/ as any other, where no input of the project names flags or
// full_refresh. --full-refresh reaches a compile only through the
// templates' should_full_refresh() and flags.FULL_REFRESH (render.go):
// is_incremental() is false in every compile's render, and a run renders
// an incremental model again with what the warehouse holds (runner). So
// where nothing names them, a compile with --full-refresh writes what one
// without it writes, and the patch compiles as the snapshot was made,
// with or without it (asFullRefresh); the run then builds with the
// --full-refresh it was given. Anything named so, in a model, a macro, a
// YAML file or a project file (a package's too), or a column named
// flags, keeps the option in the snapshot's key as before: such a run
// compiles whole.
//
// The snapshot knows whether an input names them (FlagsRead, made by the
// whole compile); each patch adds what it reads (noteFlags). A patch that
// swaps the option takes no edit: an edit is checked by a patch of the
// snapshot's own option first.

// namesFlags tells whether a file's text may read --full-refresh: it
// names flags or full_refresh (should_full_refresh, a full_refresh
// config). Any mention counts: a false alarm costs a whole compile.
func namesFlags(text []byte) bool {
	return bytes.Contains(text, []byte("flags")) || bytes.Contains(text, []byte("full_refresh"))
}

// flagsRead tells whether a compile's inputs (files, and the project
// files of the project and its packages) may read --full-refresh.
func flagsRead(proj *Project, files []*projectFile) bool {
	if projectsNameFlags(proj) {
		return true
	}
	for _, f := range files {
		if f.namesFlags {
			return true
		}
	}
	return false
}

// projectNamesFlags tells whether a project file (its YAML document) may
// read --full-refresh: a key or a value names flags or full_refresh,
// outside its top-level flags: block, which sets the command line's
// flags and is no template.
func projectNamesFlags(doc *yaml.Node) bool {
	var walk func(n *yaml.Node, top bool) bool
	walk = func(n *yaml.Node, top bool) bool {
		if n.Kind == yaml.ScalarNode {
			return namesFlags([]byte(n.Value))
		}
		for i, c := range n.Content {
			if top && n.Kind == yaml.MappingNode && i%2 == 0 && c.Value == "flags" {
				continue // (its value is skipped below)
			}
			if top && n.Kind == yaml.MappingNode && i%2 == 1 && n.Content[i-1].Value == "flags" {
				continue
			}
			if walk(c, n.Kind == yaml.DocumentNode) {
				return true
			}
		}
		return false
	}
	return walk(doc, false)
}

func projectsNameFlags(proj *Project) bool {
	for _, p := range proj.projects() {
		if p.namesFlags {
			return true
		}
	}
	return false
}

// asFullRefresh makes opt's FullRefresh the snapshot's when they differ
// and no input the snapshot knows, nor a project file, may read it; true
// then (noteFlags requires nothing else to have changed).
func (snap *patchSnapshot) asFullRefresh(opt *Options, proj *Project) bool {
	was := snap.KeyOptions
	if !was.Known || opt.FullRefresh == was.FullRefresh || snap.FlagsRead || projectsNameFlags(proj) {
		return false
	}
	opt.FullRefresh = was.FullRefresh
	return true
}

// noteFlags adds to the snapshot whether the files a patch takes name
// flags or full_refresh; a patch whose --full-refresh was made the
// snapshot's (refreshed) takes no changed file.
func (snap *patchSnapshot) noteFlags(proj *Project, refreshed bool, changed []changedFile, added []addedFile, removed []int) string {
	if refreshed {
		if len(changed)+len(added)+len(removed) > 0 {
			return fmt.Sprintf("--full-refresh changed (%v, then %v), and files changed", snap.KeyOptions.FullRefresh, !snap.KeyOptions.FullRefresh)
		}
		return ""
	}
	if snap.FlagsRead {
		return ""
	}
	if projectsNameFlags(proj) {
		snap.FlagsRead = true
		return ""
	}
	for _, c := range changed {
		if c.data == nil && !strings.HasSuffix(snap.Files[c.index].Path, ".csv") {
			data, err := os.ReadFile(osPath(proj.Dir, snap.Files[c.index].Path))
			if err != nil {
				snap.FlagsRead = true // (not known: as if it did)
				return ""
			}
			c.data = data
		}
		if namesFlags(c.data) {
			snap.FlagsRead = true
			return ""
		}
	}
	for _, a := range added {
		if strings.HasSuffix(a.path, ".csv") {
			continue
		}
		data, err := os.ReadFile(osPath(proj.Dir, a.path))
		if err != nil || namesFlags(data) {
			snap.FlagsRead = true
			return ""
		}
	}
	return ""
}
