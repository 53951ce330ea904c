package compiler

import (
	"bytes"
	"slices"
)

// `mart ls --output json` writes each listed node as dbt's ls does: the
// node's manifest entry, cut to a set of its top-level keys (dbt's
// ListTask: node.to_dict() filtered by --output-keys, else by its
// ALLOWED_KEYS). The entry is the one manifest.json holds, whether it was
// encoded for a whole compile (NodeEntry) or read from the manifest.json a
// snapshot serves (Patched.ListEntries): both lists agree byte for byte.

// ListKeys are the keys `mart ls --output json` writes when --output-keys
// names none: dbt's, and relation_name, which mart's ls has always written.
var ListKeys = []string{"unique_id", "resource_type", "name", "package_name", "original_file_path",
	"alias", "relation_name", "config", "tags", "depends_on", "source_name"}

// NodeEntry is n's entry in manifest.json.
func NodeEntry(n *Node) ([]byte, error) { return appendNode(nil, n) }

// EntryKeys is the JSON object of the top-level keys of entry (a
// manifest.json entry, as mart writes it) that keys holds, in entry's
// order; false when entry is not such an object.
func EntryKeys(entry []byte, keys map[string]bool) ([]byte, bool) {
	out := make([]byte, 0, 256)
	out = append(out, '{')
	ok := entryFields(entry, func(key []byte, kv []byte) bool {
		if keys[string(key)] {
			if len(out) > 1 {
				out = append(out, ',')
			}
			out = append(out, kv...)
		}
		return true
	})
	return append(out, '}'), ok
}

// entryFields calls fn with each top-level key of the compact JSON object
// b and its `"key":value` text, until fn returns false; false when b is
// not such an object (its keys unescaped: mart writes none that need it).
func entryFields(b []byte, fn func(key, kv []byte) bool) bool {
	if len(b) < 2 || b[0] != '{' {
		return false
	}
	if len(b) == 2 {
		return b[1] == '}'
	}
	for i := 1; i < len(b) && b[i] == '"'; {
		k := bytes.IndexByte(b[i+1:], '"')
		if k < 0 || i+k+2 >= len(b) || b[i+k+2] != ':' {
			return false
		}
		end := skipJSON(b, i+k+3)
		if end < 0 || end >= len(b) {
			return false
		}
		if !fn(b[i+1:i+1+k], b[i:end]) {
			return true
		}
		switch b[end] {
		case '}':
			return end == len(b)-1
		case ',':
			i = end + 1
		default:
			return false
		}
	}
	return false
}

// ListEntries is EntryKeys of the entries of nodes (from Listed) in the
// manifest.json the snapshot serves, read without decoding any, or why
// it cannot give them (the whole compile lists them then).
func (p *Patched) ListEntries(nodes []*Node, keys map[string]bool) ([][]byte, string) {
	l := p.load
	manifest, why := l.mapManifest()
	if why != "" {
		return nil, why
	}
	defer unmapFile(manifest) // (EntryKeys copies what it keeps)
	out := make([][]byte, len(nodes))
	bad := make([]bool, len(nodes))
	parallel(len(nodes), func(k int) {
		n := nodes[k]
		i, ok := l.ix.pos[n.UniqueID]
		var entry []byte
		if ok {
			entry, ok = l.entryIn(manifest, i)
		}
		ok = ok && bytes.HasPrefix(entry, appendString([]byte(`{"unique_id":`), n.UniqueID))
		if ok {
			out[k], ok = EntryKeys(entry, keys)
		}
		bad[k] = !ok
	})
	if k := slices.Index(bad, true); k >= 0 {
		return nil, nodes[k].UniqueID + "'s entry in manifest.json is not where the snapshot says"
	}
	return out, ""
}
