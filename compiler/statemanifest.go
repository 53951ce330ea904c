package compiler

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync/atomic"
)

// ReadStateManifest reads the manifest.json of --state DIR: what a run
// compares with (state:modified) or reads relations from (--defer, clone,
// diff). It is ReadManifest without what none of those read: the nodes'
// raw and compiled code, and parent_map and child_map (the nodes'
// depends_on say the same). A 10,000-model project's manifest is 49 MB;
// encoding/json decodes it on one core in 0.6-1.3 s here, so the entries
// of nodes, sources and unit_tests are decoded in parallel, each with
// encoding/json. Anything unusual in the file's outer shape (a key spelt
// in another case, a key twice, a map that is not an object) or an entry
// that does not decode is decoded in one piece instead, as ReadManifest
// decodes it. What ReadManifest reads, this reads to the same nodes
// (FuzzDecodeStateManifest); it also reads two kinds of file that
// ReadManifest refuses: a parent_map or child_map whose lists are not
// lists of strings (left out unread), and JSON nested deeper than
// encoding/json's limit of 10,000 where the depth is counted from the
// file's top (each piece's is counted from its own start).
func ReadStateManifest(file string) (*Manifest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return decodeStateManifest(data)
}

func decodeStateManifest(data []byte) (*Manifest, error) {
	if m, ok := splitStateManifest(data); ok {
		return m, nil
	}
	return decodeStateWhole(data)
}

// stateNode decodes a node without its code.
type stateNode struct {
	*Node
	RawCode      skippedString `json:"raw_code"`
	CompiledCode skippedString `json:"compiled_code"`
}

// skippedString takes a JSON string (or null) and keeps nothing.
type skippedString struct{}

func (*skippedString) UnmarshalJSON(b []byte) error {
	if b[0] != '"' && !bytes.Equal(b, []byte("null")) {
		return errors.New("json: cannot unmarshal " + string(b[:min(len(b), 20)]) + " into a string")
	}
	return nil
}

// skippedMap takes a JSON object (or null) and keeps nothing.
type skippedMap struct{}

func (*skippedMap) UnmarshalJSON(b []byte) error {
	if b[0] != '{' && !bytes.Equal(b, []byte("null")) {
		return errors.New("json: cannot unmarshal " + string(b[:min(len(b), 20)]) + " into a map")
	}
	return nil
}

// decodeStateNode decodes one entry of nodes, sources or unit_tests.
func decodeStateNode(raw []byte) (*Node, error) {
	raw = bytes.TrimSpace(raw)
	if bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	n := new(Node)
	if err := json.Unmarshal(raw, &stateNode{Node: n}); err != nil {
		return nil, err
	}
	return n, nil
}

// decodeStateWhole decodes the manifest in one piece, as ReadManifest
// does, less what the state leaves out: the way every file is read that
// splitStateManifest leaves (whatever ReadManifest refuses, it refuses).
func decodeStateWhole(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	for _, nodes := range []map[string]*Node{m.Nodes, m.Sources, m.UnitTests} {
		for _, n := range nodes {
			if n != nil {
				n.RawCode, n.CompiledCode = "", ""
			}
		}
	}
	m.ParentMap, m.ChildMap = nil, nil
	return &m, nil
}

// stateEntry is one entry of a node map: its key and its value's text.
type stateEntry struct {
	key  string
	raw  []byte
	node *Node
}

// splitStateManifest decodes the manifest with the node maps' entries
// split apart and decoded in parallel; false when the text is not a plain
// manifest (then decodeStateWhole decodes it, and says what is wrong).
// Every byte of the text is checked: what lies between the pieces here,
// the pieces by encoding/json.
func splitStateManifest(data []byte) (*Manifest, bool) {
	m := &Manifest{}
	nodeMaps := map[string]*map[string]*Node{"nodes": &m.Nodes, "sources": &m.Sources, "unit_tests": &m.UnitTests}
	others := map[string]any{"metadata": &m.Metadata, "macros": &m.Macros, "docs": &m.Docs, "disabled": &m.Disabled,
		"parent_map": &skippedMap{}, "child_map": &skippedMap{}}
	seen := map[string]bool{}
	// the node maps found, each with its entries in the file's order
	type nodeMap struct {
		to      *map[string]*Node
		entries []stateEntry
	}
	var found []nodeMap
	ok := eachMember(data, func(key string, v []byte) bool {
		if seen[key] {
			return false // encoding/json merges a key twice: decoded whole
		}
		seen[key] = true
		if to, ok := nodeMaps[key]; ok {
			if len(v) == 0 || v[0] != '{' {
				return false
			}
			nm := nodeMap{to: to}
			if !eachMember(v, func(id string, raw []byte) bool {
				nm.entries = append(nm.entries, stateEntry{key: id, raw: raw})
				return true
			}) {
				return false
			}
			found = append(found, nm)
			return true
		}
		if to, ok := others[key]; ok {
			return json.Unmarshal(v, to) == nil
		}
		// a key ReadManifest ignores, unless encoding/json would match it
		// to a field in another case
		for k := range others {
			if strings.EqualFold(key, k) {
				return false
			}
		}
		for k := range nodeMaps {
			if strings.EqualFold(key, k) {
				return false
			}
		}
		return json.Valid(v)
	})
	if !ok {
		return nil, false
	}
	// the entries of all the maps, decoded on every core
	var all []*stateEntry
	for _, nm := range found {
		for j := range nm.entries {
			all = append(all, &nm.entries[j])
		}
	}
	var bad atomic.Bool
	parallelRanges(len(all), func(from, to int) {
		for _, e := range all[from:to] {
			n, err := decodeStateNode(e.raw)
			if err != nil {
				bad.Store(true)
				return
			}
			e.node = n
		}
	})
	if bad.Load() {
		return nil, false
	}
	for _, nm := range found {
		out := make(map[string]*Node, len(nm.entries))
		for _, e := range nm.entries { // in order: a key twice keeps its last
			out[e.key] = e.node
		}
		*nm.to = out
	}
	return m, true
}

// eachMember calls fn with each member of the JSON object that is b (its
// key decoded, its value's text); false when b is not an object of that
// shape (whitespace around it only), or fn says false. A key with an
// escape or a byte outside ASCII is decoded by encoding/json (which, as
// for every key it decodes, turns bad UTF-8 into U+FFFD).
func eachMember(b []byte, fn func(key string, v []byte) bool) bool {
	i := 0
	ws := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			i++
		}
	}
	ws()
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i++
	ws()
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			ws()
			end := skipJSON(b, i)
			if end < 0 || b[i] != '"' {
				return false
			}
			key, ok := memberKey(b[i:end])
			if !ok {
				return false
			}
			i = end
			ws()
			if i >= len(b) || b[i] != ':' {
				return false
			}
			i++
			ws()
			end = skipJSON(b, i)
			if end < 0 || !fn(key, b[i:end]) {
				return false
			}
			i = end
			ws()
			if i >= len(b) {
				return false
			}
			if b[i] == '}' {
				i++
				break
			}
			if b[i] != ',' {
				return false
			}
			i++
		}
	}
	ws()
	return i == len(b)
}

// memberKey decodes a key's text (its quotes included).
func memberKey(q []byte) (string, bool) {
	plain := true
	for _, c := range q[1 : len(q)-1] {
		if c == '\\' || c < 0x20 || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(q[1 : len(q)-1]), true
	}
	var s string
	if json.Unmarshal(q, &s) != nil {
		return "", false
	}
	return s, true
}
