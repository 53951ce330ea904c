package compiler

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// ManifestVersion is the version of target/manifest.json's shape
// (documented in docs/manifest.md). Bump it on any incompatible change.
const ManifestVersion = "mart/manifest/v1"

// Manifest is every node of the project; it is written to
// target/manifest.json and read back for state comparison.
type Manifest struct {
	Metadata  ManifestMetadata    `json:"metadata"`
	Nodes     map[string]*Node    `json:"nodes"`
	Sources   map[string]*Node    `json:"sources"`
	UnitTests map[string]*Node    `json:"unit_tests"`
	Macros    map[string]MacroRef `json:"macros"`
	Docs      map[string]string   `json:"docs"`
	Disabled  map[string][]string `json:"disabled"`
	ParentMap map[string][]string `json:"parent_map"`
	ChildMap  map[string][]string `json:"child_map"`

	idsOnce sync.Once
	ids     []string // AllIDs, sorted once: the maps do not change after a manifest is made or read
}

// ManifestMetadata describes the run that wrote the manifest.
type ManifestMetadata struct {
	SchemaVersion string `json:"mart_schema_version"`
	ProjectName   string `json:"project_name"`
	AdapterType   string `json:"adapter_type"`
	TargetName    string `json:"target_name"`
	InvocationID  string `json:"invocation_id,omitempty"`
	GeneratedAt   string `json:"generated_at,omitempty"`
	// Location is where the target builds, in its adapter's terms (a
	// DuckDB file's path, a BigQuery project): a later run that reads this
	// one's relations (--defer, diff, clone) finds them there.
	Location map[string]string `json:"location,omitempty"`
}

// MacroRef locates a macro definition.
type MacroRef struct {
	Name     string `json:"name"`
	Path     string `json:"original_file_path"`
	Line     int    `json:"line"`
	Checksum string `json:"checksum,omitempty"` // of its text
}

// Node returns a node, source or unit test by unique id (nil if unknown).
func (m *Manifest) Node(id string) *Node {
	if n, ok := m.Nodes[id]; ok {
		return n
	}
	if n, ok := m.Sources[id]; ok {
		return n
	}
	return m.UnitTests[id]
}

// AllIDs returns the unique ids of nodes, sources and unit tests, sorted.
// The slice is shared: do not modify it.
func (m *Manifest) AllIDs() []string {
	m.idsOnce.Do(func() { m.ids = m.sortedIDs() })
	return m.ids
}

func (m *Manifest) sortedIDs() []string {
	out := make([]string, 0, len(m.Nodes)+len(m.Sources)+len(m.UnitTests))
	for id := range m.Nodes {
		out = append(out, id)
	}
	for id := range m.Sources {
		out = append(out, id)
	}
	for id := range m.UnitTests {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func (c *compilation) manifest() *Manifest {
	m := &Manifest{
		Metadata: ManifestMetadata{SchemaVersion: ManifestVersion, ProjectName: c.project.Name,
			AdapterType: c.target.Type, TargetName: c.target.Name, InvocationID: c.opt.InvocationID},
		Nodes: make(map[string]*Node, len(c.nodes)), Sources: make(map[string]*Node, len(c.sources)), UnitTests: map[string]*Node{},
		Macros: map[string]MacroRef{}, Docs: c.docs, Disabled: map[string][]string{},
		ParentMap: map[string][]string{}, ChildMap: map[string][]string{},
	}
	// reading each node's config is a cache miss or two: on 30,000 nodes
	// that is worth both cores
	enabled := make([]bool, len(c.nodes))
	parallel(len(c.nodes), func(i int) {
		n := c.nodes[i]
		if enabled[i] = n.Enabled(); enabled[i] {
			c.settleEntry(n)
		}
	})
	for i, n := range c.nodes {
		switch {
		case !enabled[i]:
			m.Disabled[n.UniqueID] = append(m.Disabled[n.UniqueID], n.Path)
		case n.ResourceType == TypeUnitTest:
			m.UnitTests[n.UniqueID] = n
		default:
			m.Nodes[n.UniqueID] = n
		}
	}
	for _, s := range c.sources {
		settleSource(s)
		m.Sources[s.UniqueID] = s
	}
	m.Macros = c.macroRefs()
	m.AllIDs()
	return m
}

// settleEntry gives an enabled node's lists their empty values and its
// compiled file's path, as its manifest.json entry has them.
func (c *compilation) settleEntry(n *Node) {
	if n.DependsOn.Nodes == nil {
		n.DependsOn.Nodes = []string{}
	}
	if n.DependsOn.Macros == nil {
		n.DependsOn.Macros = []string{}
	}
	if n.Refs == nil {
		n.Refs = []RefCall{}
	}
	if n.Sources == nil {
		n.Sources = [][]string{}
	}
	if rel := compiledPath(n); rel != "" && n.CompiledCode != "" {
		n.CompiledPath = joinClean(c.project.TargetPath, rel)
	}
}

// macroRefs is the manifest's macros: every macro of the engine.
func (c *compilation) macroRefs() map[string]MacroRef {
	out := map[string]MacroRef{}
	for _, name := range c.engine.MacroNames() {
		mac := c.engine.Macro(name)
		out[macroID(c.project.Name, mac)] = MacroRef{Name: name, Path: mac.File, Line: mac.Line,
			Checksum: c.macroFacts[name].checksum}
	}
	for _, pkg := range c.engine.Packages() {
		for _, name := range c.engine.PackageMacros(pkg) {
			mac := c.engine.MacroIn(pkg, name)
			out[macroID(c.project.Name, mac)] = MacroRef{Name: name, Path: mac.File, Line: mac.Line,
				Checksum: c.macroFacts[mac.QualifiedName()].checksum}
		}
	}
	return out
}

// linkMaps fills the manifest's parent and child maps.
func (m *Manifest) linkMaps() {
	all := m.AllIDs()
	deps := make([][]string, len(all))
	m.ParentMap = make(map[string][]string, len(all))
	m.ChildMap = make(map[string][]string, len(all))
	for i, id := range all {
		deps[i] = m.Node(id).DependsOn.Nodes
		m.ParentMap[id] = deps[i]
		m.ChildMap[id] = []string{}
	}
	for i, id := range all {
		for _, p := range deps[i] {
			if ch, ok := m.ChildMap[p]; ok {
				m.ChildMap[p] = append(ch, id)
			}
		}
	}
}

// WriteJSON writes v as indented JSON through a temporary file, so a reader
// never sees half a file.
func WriteJSON(file string, v any) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, file)
}

// ReadManifest reads a manifest written by WriteJSON.
func ReadManifest(file string) (*Manifest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return &m, nil
}
