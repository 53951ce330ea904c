package compiler

import (
	"strings"

	"github.com/mart-dev/mart/compiler/blockyaml"
	"gopkg.in/yaml.v3"
)

// Patching a YAML edit that only rewrites descriptions: the snapshot keeps
// the text of each properties file of the project as its compile read it
// (blobs file, patchHead.Props). When such a file changed, both texts are
// parsed into YAML trees and compared node by node (kind, tag, value,
// anchor, line, column; comments and quoting style aside), except at the
// `description:` values of `models:` entries and of their `columns:`.
// When nothing else differs, what the edit changes is exactly those
// models' description and their columns' descriptions in manifest.json:
// no render reads them (`model` has no description; `graph` does, and a
// project whose templates read it keeps no snapshot), and no test,
// relation, config or diagnostic depends on them. Each such model is then
// patched as a SQL edit is (rendered again, and its render must produce
// the same facts), its manifest entry written with the new descriptions.
//
// Anything else falls back to a whole compile: a line added or removed
// (lines and columns are in diagnostics and node positions), a
// description with Jinja in it (`{{`: rendered, doc() looked up), a value
// that is not a plain string, a model entry with versions, a model that
// is not patchable (disabled, ephemeral, rendered at run time...), any
// other key, entry or file changed.

// descChange is a description before and after an edit.
type descChange struct{ old, new string }

// descEdit is what a YAML edit changes of one model.
type descEdit struct {
	desc *descChange           // its description; nil: unchanged
	cols map[string]descChange // its columns', by name
}

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

// descriptionEdits compares a properties file's text before and after an
// edit: by model name, the descriptions it changed, or false when it
// changed anything else.
func descriptionEdits(old, new []byte) (map[string]*descEdit, bool) {
	a, errA := propsTree(old)
	b, errB := propsTree(new)
	if errA != nil || errB != nil || (a == nil) != (b == nil) {
		return nil, false
	}
	edits := map[string]*descEdit{}
	if a == nil {
		return edits, true
	}
	if !sameNode(a, b) {
		return nil, false
	}
	if a.Kind != yaml.MappingNode {
		return edits, sameTree(a, b)
	}
	for i := 0; i+1 < len(a.Content); i += 2 {
		ka, va, kb, vb := a.Content[i], a.Content[i+1], b.Content[i], b.Content[i+1]
		if !sameTree(ka, kb) {
			return nil, false
		}
		if !isStr(ka) || ka.Value != "models" || va.Kind != yaml.SequenceNode {
			if !sameTree(va, vb) {
				return nil, false
			}
			continue
		}
		if !sameNode(va, vb) {
			return nil, false
		}
		for j := range va.Content {
			if !modelEdits(va.Content[j], vb.Content[j], edits) {
				return nil, false
			}
		}
	}
	return edits, true
}

// modelEdits compares a models: entry before (a) and after (b) an edit,
// adding what changed of its descriptions to edits; false when anything
// else changed.
func modelEdits(a, b *yaml.Node, edits map[string]*descEdit) bool {
	if !sameNode(a, b) {
		return false
	}
	if a.Kind != yaml.MappingNode {
		return sameTree(a, b)
	}
	var e descEdit
	name, _, desc, ok := entryEdits(a, b, func(key string, va, vb *yaml.Node) (handled, ok bool) {
		if key != "columns" || va.Kind != yaml.SequenceNode {
			return false, true
		}
		if !sameNode(va, vb) {
			return true, false
		}
		e.cols, ok = columnEdits(va.Content, vb.Content)
		return true, ok
	})
	if !ok {
		return false
	}
	if desc.old != desc.new {
		e.desc = &desc
	}
	if e.desc == nil && len(e.cols) == 0 {
		return true
	}
	if name == "" || edits[name] != nil {
		return false // a nameless entry or one written twice: the compile said so
	}
	edits[name] = &e
	return true
}

// columnEdits compares a model's columns: items before and after an edit:
// the columns whose description changed (the last entry of a name is the
// one a compile keeps), or false when anything else changed.
func columnEdits(a, b []*yaml.Node) (map[string]descChange, bool) {
	last := map[string]descChange{}
	for j := range a {
		ca, cb := a[j], b[j]
		if !sameNode(ca, cb) {
			return nil, false
		}
		if ca.Kind != yaml.MappingNode {
			if !sameTree(ca, cb) {
				return nil, false
			}
			continue
		}
		name, named, d, ok := entryEdits(ca, cb, nil)
		if !ok || !named {
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

// entryEdits compares a model's or a column's mapping before (a) and
// after (b) an edit, key by key: its name (decoded as the compile decodes
// it: name: null is "", a !!binary name its bytes) and whether it has one,
// its description before and after ("" when it has none), or false when
// anything else changed. other, when not nil, compares the values of a
// key it handles (a model's columns:). A key is a name or a description
// as a plain string only.
func entryEdits(a, b *yaml.Node, other func(key string, va, vb *yaml.Node) (handled, ok bool)) (name string, named bool, desc descChange, ok bool) {
	for i := 0; i+1 < len(a.Content); i += 2 {
		ka, va, kb, vb := a.Content[i], a.Content[i+1], b.Content[i], b.Content[i+1]
		if !sameTree(ka, kb) {
			return "", false, desc, false
		}
		key := ""
		if isStr(ka) {
			key = ka.Value
		}
		if key == "description" {
			if !plainDescription(va, vb) {
				return "", false, desc, false
			}
			desc = descChange{va.Value, vb.Value}
			continue
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
		if !sameTree(va, vb) {
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

// plainDescription: a description's value before (a) and after (b) is a
// plain string at the same place, which a compile takes as it is (no
// Jinja: renderDescription returns it unchanged).
func plainDescription(a, b *yaml.Node) bool {
	for _, n := range []*yaml.Node{a, b} {
		if n.Kind != yaml.ScalarNode || n.Anchor != "" || n.Alias != nil || n.ShortTag() != "!!str" || strings.Contains(n.Value, "{{") {
			return false
		}
	}
	return a.Line == b.Line && a.Column == b.Column
}

// sameNode compares two YAML nodes but for their children: what a
// compile reads of them (comments and quoting style aside).
func sameNode(a, b *yaml.Node) bool {
	return a.Kind == b.Kind && a.ShortTag() == b.ShortTag() && a.Value == b.Value && a.Anchor == b.Anchor &&
		a.Alias == nil && b.Alias == nil && a.Line == b.Line && a.Column == b.Column && len(a.Content) == len(b.Content)
}

// sameTree compares two YAML trees with sameNode.
func sameTree(a, b *yaml.Node) bool {
	if !sameNode(a, b) {
		return false
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
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
// of each model whose descriptions they rewrite, or why they cannot be
// patched.
func (snap *patchSnapshot) descriptionEdits(proj *Project, file string, changed []yamlChange) (map[int]*descEdit, string) {
	blobs, err := openBlobs(file, snap)
	if err != nil {
		return nil, "the snapshot's blobs file is unreadable"
	}
	defer blobs.Close()
	if fi, err := blobs.Stat(); err != nil || fi.Size() > maxBlobs {
		return nil, "the snapshot's blobs file grew too large"
	}
	byID := make(map[string]int, len(snap.Nodes))
	for i, n := range snap.Nodes {
		byID[n.ID] = i
	}
	out := map[int]*descEdit{}
	for _, ch := range changed {
		old, err := readBlobRef(blobs, ch.ref)
		if err != nil {
			return nil, "the snapshot's text of " + ch.path + " is unreadable"
		}
		edits, ok := descriptionEdits(old, ch.data)
		if !ok {
			return nil, ch.path + " changed and not only in models' descriptions"
		}
		for name, e := range edits {
			ni, ok := byID[TypeModel+"."+proj.Name+"."+name]
			if !ok {
				return nil, ch.path + " changed the descriptions of " + name + ", not a patchable model"
			}
			if out[ni] != nil {
				return nil, name + " is described in two files"
			}
			out[ni] = e
		}
	}
	return out, ""
}

// apply writes the edit's descriptions into a model's manifest entry,
// false when the entry's are not those it replaces.
func (e *descEdit) apply(n *Node) bool {
	if e.desc != nil {
		if n.Description != e.desc.old {
			return false
		}
		n.Description = e.desc.new
	}
	if len(e.cols) > 0 {
		cols := make(map[string]*Column, len(n.Columns))
		for name, c := range n.Columns {
			cols[name] = c
		}
		for name, d := range e.cols {
			c := cols[name]
			if c == nil || c.Description != d.old {
				return false
			}
			edited := *c
			edited.Description = d.new
			cols[name] = &edited
		}
		n.Columns = cols
	}
	return true
}
