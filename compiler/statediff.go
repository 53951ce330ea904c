package compiler

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mart-dev/mart/compiler/selector"
)

// state: selectors (state:new, state:modified and its kinds) compare
// each node of the project with the node of that unique id in --state's
// manifest.json. What they compare of a node (selector's stateMatcher,
// through Node.SelectorNode: its checksum, config and unrendered config,
// fingerprint, contract (with the model's constraints) and persisted
// descriptions, fqn, latest version, and a source's freshness) is read
// from eleven members of its entry, stateCompared. So the state's nodes
// are decoded from those members only (StateManifest.SelectorNodes): an
// entry damaged elsewhere is read, as --defer reads only the entries it
// asks for, and a 10,000-model state decodes in a fraction of the whole
// decode.
//
// A run loaded from the patch snapshot has the project's entries as text
// in manifest.json (Patched.WithState): a node whose compared members are
// the state's, byte for byte, compares equal in every kind without being
// decoded, and only the others are decoded on both sides.

// stateCompared are the members of an entry state: selectors compare.
var stateCompared = [...]string{"checksum", "config", "unrendered_config", "fingerprint", "columns", "description",
	"fqn", "latest_version", "constraints", "freshness", "loaded_at_field"} // (the last two: sources')

// comparedTexts are an entry's stateCompared members' texts, nil for one
// it lacks.
type comparedTexts [len(stateCompared)][]byte

// equal says whether two entries' compared members are the same text.
func (t *comparedTexts) equal(o *comparedTexts) bool {
	for k := range t {
		if (t[k] == nil) != (o[k] == nil) || string(t[k]) != string(o[k]) {
			return false
		}
	}
	return true
}

// comparedMembers returns the texts of an entry's compared members; false
// when encoding/json could read them otherwise than as those texts: the
// entry is not an object, or holds a compared member twice or under a
// key that differs from its name only in case (encoding/json matches keys
// so).
func comparedMembers(raw []byte) (t comparedTexts, ok bool) {
	ok = eachMemberText(raw, func(q, v []byte) bool {
		key := q[1 : len(q)-1]
		plain := plainKey(q) // (in ASCII, a key of another length does not fold to a name)
		if !plain {
			k, ok := memberKey(q)
			if !ok {
				return false
			}
			key = []byte(k)
		}
		for k, name := range stateCompared {
			switch {
			case string(key) == name:
				if t[k] != nil {
					return false
				}
				t[k] = v
				return true
			case (!plain || len(key) == len(name)) && strings.EqualFold(string(key), name): // (string(key) is not kept: not allocated)
				return false
			}
		}
		return true
	})
	return t, ok
}

// decodeCompared decodes what state: selectors compare of an entry: a
// node that holds its compared members only (the entry decoded whole
// where comparedMembers cannot read them). nil for an entry that is null.
func decodeCompared(raw []byte) (*Node, error) {
	t, ok := comparedMembers(raw)
	if !ok {
		return decodeStateNode(raw)
	}
	size := 2
	for k, v := range t {
		size += len(stateCompared[k]) + len(v) + 4
	}
	b := append(make([]byte, 0, size), '{')
	for k, v := range t {
		if v == nil {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, stateCompared[k]...)
		b = append(b, '"', ':')
		b = append(b, v...)
	}
	b = append(b, '}')
	n := new(Node)
	if err := json.Unmarshal(b, n); err != nil {
		return nil, err
	}
	return n, nil
}

// SelectorNode is n as selection reads it, its unique id id.
func (n *Node) SelectorNode(id string) *selector.Node {
	sn := &selector.Node{UniqueID: id, Name: n.Name, ResourceType: n.ResourceType, Path: n.Path,
		FQN: n.FQN, Tags: n.Tags, SourceName: n.SourceName, Package: n.Package,
		TestType: n.TestType, DependsOn: n.DependsOn.Nodes, Disabled: !n.Enabled(),
		Version: n.Version, LatestVersion: n.LatestVersion}
	n.stateFields(sn, true)
	return sn
}

// stateFields gives sn what state: selectors compare of n (with its
// config when config is true).
func (n *Node) stateFields(sn *selector.Node, config bool) {
	if config {
		sn.Config = n.Config
	}
	sn.Unrendered = n.UnrenderedConfig
	sn.Checksum = n.Checksum.Checksum
	sn.Contract, sn.PersistedDocs = n.ContractChecksum(), n.PersistedDocsChecksum()
	sn.Macros, sn.Vars = "", ""
	if f := n.Fingerprint; f != nil {
		sn.Macros, sn.Vars = f.Macros, f.Vars
	}
	sn.Freshness = ""
	if n.Freshness != nil || n.LoadedAtField != "" {
		// (encoding/json writes the compile's values as the state's read
		// back: the same text)
		b, _ := json.Marshal([]any{n.LoadedAtField, n.Freshness})
		sn.Freshness = string(b)
	}
}

// entry returns the text of the state's entry of a unique id (in
// Manifest.Node's order of maps), false when it has none; nil text with
// true when the file was decoded whole (the node is then whole's).
func (s *StateManifest) entry(id string) ([]byte, bool) {
	if s.whole != nil {
		_, ok := s.whole.Nodes[id]
		if !ok {
			_, ok = s.whole.Sources[id]
		}
		if !ok {
			_, ok = s.whole.UnitTests[id]
		}
		return nil, ok
	}
	for _, entries := range s.maps {
		if raw, ok := entries[id]; ok {
			return raw, true
		}
	}
	return nil, false
}

// comparedNode decodes what state: selectors compare of the state's node
// of a unique id (decodeCompared): nil when it has none, or its entry is
// null.
func (s *StateManifest) comparedNode(id string) (*Node, error) {
	raw, ok := s.entry(id)
	switch {
	case !ok:
		return nil, nil
	case raw == nil:
		return s.whole.Node(id), nil
	}
	n, err := decodeCompared(raw)
	if err != nil {
		return nil, entryError(id, err)
	}
	return n, nil
}

// SelectorNodes returns the state's nodes of these unique ids (the
// project's) as state: selectors read them (selector.Options.State):
// each decoded from its compared members, in parallel; an id the state
// has no node of, or a null entry for, is not in it. The error names the
// first of them, by unique id, whose compared members do not decode. The
// state's other entries are not read.
func (s *StateManifest) SelectorNodes(ids []string) (map[string]*selector.Node, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids = slices.Sorted(slices.Values(ids))
	nodes := make([]*selector.Node, len(ids))
	errs := make([]error, len(ids))
	parallel(len(ids), func(i int) {
		n, err := s.comparedNode(ids[i])
		if err != nil {
			errs[i] = err
			return
		}
		if n != nil {
			nodes[i] = n.SelectorNode(ids[i])
		}
	})
	out := make(map[string]*selector.Node, len(ids))
	for i, id := range ids {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if nodes[i] != nil {
			out[id] = nodes[i]
		}
	}
	return out, nil
}

// WithState gives the nodes of g (SelectorGraph) what state: selectors
// compare, and returns the state's nodes as they read them
// (selector.Options.State), from the project's manifest.json entries and
// the state's (stateCompared): a node whose compared members are the
// state's text is its own state node (equal in every kind), and the
// others are decoded on both sides. configs says g's nodes have their
// configs already (WithConfigs), which are kept. why says what it could
// not read (the whole compile reports a state that does not decode).
func (p *Patched) WithState(g *selector.Graph, st *StateManifest, configs bool) (map[string]*selector.Node, string) {
	l := p.load
	ix := l.ix
	manifest, why := l.mapManifest()
	if why != "" {
		return nil, why
	}
	defer unmapFile(manifest) // (what is decoded from it is copies)
	order := make([]int, 0, len(ix.nodes))
	for i := range ix.nodes {
		if !ix.nodes[i].gone && g.Nodes[ix.nodes[i].sel.UniqueID] != nil {
			order = append(order, i)
		}
	}
	st.mu.Lock() // (holds off Whole, which drops the maps read here; tests call it)
	defer st.mu.Unlock()
	olds := make([]*selector.Node, len(order))
	whys := make([]string, len(order))
	parallel(len(order), func(k int) {
		i := order[k]
		id := ix.nodes[i].sel.UniqueID
		cur, ok := l.entryIn(manifest, i)
		if !ok {
			whys[k] = id + "'s entry in manifest.json is not where the snapshot says"
			return
		}
		old, ok := st.entry(id)
		if !ok {
			return // new
		}
		n := g.Nodes[id]
		if old != nil {
			a, okA := comparedMembers(cur)
			b, okB := comparedMembers(old)
			if okA && okB && a.equal(&b) {
				olds[k] = n // the same in all that is compared
				return
			}
		}
		on, err := st.comparedNode(id)
		if err != nil {
			whys[k] = "--state: " + err.Error()
			return
		}
		if on == nil {
			return // null: no node
		}
		cn, err := decodeCompared(cur)
		if err != nil || cn == nil {
			whys[k] = id + "'s entry in manifest.json does not decode"
			return
		}
		olds[k] = on.SelectorNode(id)
		cn.stateFields(n, !configs)
	})
	state := make(map[string]*selector.Node, len(order))
	for k, i := range order {
		if whys[k] != "" {
			return nil, whys[k]
		}
		if olds[k] != nil {
			state[ix.nodes[i].sel.UniqueID] = olds[k]
		}
	}
	return state, ""
}

// entryError says what is wrong with the state's entry of a unique id,
// in JSON's terms (encoding/json's errors name mart's Go types).
func entryError(id string, err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		want := "a " + typ.Type.Kind().String()
		switch typ.Type.Kind() {
		case reflect.Map, reflect.Struct, reflect.Pointer:
			want = "an object"
		case reflect.Slice, reflect.Array:
			want = "an array"
		case reflect.String:
			want = "a string"
		case reflect.Bool:
			want = "true or false"
		case reflect.Int, reflect.Int64, reflect.Float64, reflect.Uint32, reflect.Int32, reflect.Uint64:
			want = "a number"
		}
		what := "the entry"
		if f := strings.TrimPrefix(typ.Field, "Node."); f != "" { // (the whole entry's decode names Node)
			what = "its " + f
		}
		return fmt.Errorf("the entry of %s: %s is a JSON %s, not %s", id, what, typ.Value, want)
	}
	return fmt.Errorf("the entry of %s: %v", id, err)
}
