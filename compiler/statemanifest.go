package compiler

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
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
	m, found, ok := splitStateMaps(data, false)
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

// stateMap is one node map of a state manifest (nodes, sources,
// unit_tests): where it decodes to, and its entries in the file's order.
type stateMap struct {
	key     string
	to      *map[string]*Node
	entries []stateEntry
}

// splitStateMaps splits a state manifest's text: the members other than
// the node maps are decoded into m, or checked as JSON (with metadataOnly,
// metadata is decoded and the others are not read), and the node maps'
// entries are split apart, undecoded. false when the text is not a plain
// manifest.
func splitStateMaps(data []byte, metadataOnly bool) (*Manifest, []stateMap, bool) {
	m := &Manifest{}
	nodeMaps := map[string]*map[string]*Node{"nodes": &m.Nodes, "sources": &m.Sources, "unit_tests": &m.UnitTests}
	others := map[string]any{"metadata": &m.Metadata, "macros": &m.Macros, "docs": &m.Docs, "disabled": &m.Disabled,
		"parent_map": &skippedMap{}, "child_map": &skippedMap{}}
	seen := map[string]bool{}
	var found []stateMap
	ok := eachMember(data, func(key string, v []byte) bool {
		if seen[key] {
			return false // encoding/json merges a key twice: decoded whole
		}
		seen[key] = true
		if to, ok := nodeMaps[key]; ok {
			if len(v) == 0 || v[0] != '{' {
				return false
			}
			nm := stateMap{key: key, to: to}
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
			if metadataOnly && key != "metadata" {
				return true // its end was found: nothing reads it
			}
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
		return metadataOnly || json.Valid(v)
	})
	return m, found, ok
}

// StateManifest is --state's manifest.json as a run that reads some of
// its nodes needs it: --defer reads the parents of the selected nodes,
// clone and diff the selected nodes, and all of them the metadata (where
// the state's database is). Opening it splits the file's node maps into
// their entries without decoding them (a 10,000-model project's 49 MB:
// some 60 ms, against 0.5 s of CPU to decode every entry); Node decodes
// one entry when first asked; state: selectors decode the members they
// compare of the project's nodes (SelectorNodes, Patched.WithState).
// Whole decodes every node, ReadStateManifest's manifest (the tests'
// oracle).
//
// A node it returns is the one ReadStateManifest decodes. A file that
// ReadStateManifest refuses for an entry no run asks for is read here,
// as long as its outer shape is a manifest's (what eachMember checks);
// a file whose shape is unusual is decoded whole when opened, as
// ReadStateManifest decodes it, and its errors are reported then.
type StateManifest struct {
	Metadata ManifestMetadata

	data  []byte
	maps  []map[string][]byte // the entries of nodes, sources and unit_tests, in Manifest.Node's order
	mu    sync.Mutex
	nodes map[string]*Node // decoded by Node
	whole *Manifest
	err   error // the first entry Node could not decode
}

// ParseStateManifest splits the node maps of a manifest.json's bytes,
// which the StateManifest keeps.
func ParseStateManifest(data []byte) (*StateManifest, error) {
	return openStateManifest(data)
}

func openStateManifest(data []byte) (*StateManifest, error) {
	m, found, ok := splitStateMaps(data, true)
	if ok {
		s := &StateManifest{Metadata: m.Metadata, data: data, nodes: map[string]*Node{}}
		for _, key := range []string{"nodes", "sources", "unit_tests"} {
			for _, nm := range found {
				if nm.key != key {
					continue
				}
				entries := make(map[string][]byte, len(nm.entries))
				for _, e := range nm.entries {
					if _, twice := entries[e.key]; twice {
						// encoding/json decodes both, and fails on either
						ok = false
					}
					entries[e.key] = e.raw
				}
				s.maps = append(s.maps, entries)
			}
		}
		if ok {
			return s, nil
		}
	}
	whole, err := decodeStateManifest(data)
	if err != nil {
		return nil, err
	}
	return &StateManifest{Metadata: whole.Metadata, whole: whole}, nil
}

// StateMetadata reads the metadata of --state's manifest.json (its
// bytes) when it is the file's first member, as mart writes it (false
// otherwise): where the state's database is, known before the file is
// split (a 10,000-model project's takes 60-300 ms). What it reads is
// ParseStateManifest's Metadata, but for a file that holds the key twice.
func StateMetadata(data []byte) (ManifestMetadata, bool) {
	return readStateMetadata(bytes.NewReader(data))
}

func readStateMetadata(r io.Reader) (ManifestMetadata, bool) {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ManifestMetadata{}, false
	}
	if t, err := dec.Token(); err != nil || t != "metadata" {
		return ManifestMetadata{}, false
	}
	var m ManifestMetadata
	if dec.Decode(&m) != nil {
		return ManifestMetadata{}, false
	}
	return m, true
}

// Node returns the state's node of that unique id (a node, source or
// unit test), nil when it has none or its entry does not decode (Err
// says why).
func (s *StateManifest) Node(id string) *Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.whole != nil {
		return s.whole.Node(id)
	}
	if n, ok := s.nodes[id]; ok {
		return n
	}
	var n *Node
	for _, entries := range s.maps {
		raw, ok := entries[id]
		if !ok {
			continue
		}
		var err error
		if n, err = decodeStateNode(raw); err != nil {
			if s.err == nil {
				s.err = entryError(id, err)
			}
			n = nil
		}
		break
	}
	s.nodes[id] = n
	return n
}

// Err is the first entry Node could not decode.
func (s *StateManifest) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Whole decodes every node: ReadStateManifest's manifest.
func (s *StateManifest) Whole() (*Manifest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.whole == nil {
		whole, err := decodeStateManifest(s.data)
		if err != nil {
			return nil, err
		}
		s.whole, s.data, s.maps, s.nodes = whole, nil, nil, nil
	}
	return s.whole, nil
}

// eachMember calls fn with each member of the JSON object that is b (its
// key decoded, its value's text); false when b is not an object of that
// shape (whitespace around it only), or fn says false. A key with an
// escape or a byte outside ASCII is decoded by encoding/json (which, as
// for every key it decodes, turns bad UTF-8 into U+FFFD).
func eachMember(b []byte, fn func(key string, v []byte) bool) bool {
	return eachMemberText(b, func(q, v []byte) bool {
		key, ok := memberKey(q)
		return ok && fn(key, v)
	})
}

// eachMemberText is eachMember with each key's text as written, its
// quotes included (memberKey decodes it).
func eachMemberText(b []byte, fn func(q, v []byte) bool) bool {
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
			q := b[i:end]
			i = end
			ws()
			if i >= len(b) || b[i] != ':' {
				return false
			}
			i++
			ws()
			end = skipJSON(b, i)
			if end < 0 || !fn(q, b[i:end]) {
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
	if plainKey(q) {
		return string(q[1 : len(q)-1]), true
	}
	var s string
	if json.Unmarshal(q, &s) != nil {
		return "", false
	}
	return s, true
}

// plainKey says whether a key's text (its quotes included) is the key:
// no escape, no byte outside printable ASCII.
func plainKey(q []byte) bool {
	for _, c := range q[1 : len(q)-1] {
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return false
		}
	}
	return true
}
