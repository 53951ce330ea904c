package compiler

import (
	"cmp"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Model versions, as dbt has them: a YAML entry with versions: (each with
// v, and optionally defined_in, config, columns, description) and
// latest_version. Each version is its own node (model.p.name.v2), in the
// file <name>_v<v>.sql unless defined_in names another; ref('name') is the
// latest version (latest_version, or the greatest v), ref('name', v=1) a
// given one; each builds as <name>_v<v> unless its config gives an alias.

// versionSpec is one entry of a model's versions: list.
type versionSpec struct {
	V         string
	DefinedIn string
	Config    map[string]any
	ConfigRaw map[string]any // the config values a template rendered, as written
	Columns   []any          // include/exclude and column entries, as written
	Desc      string
	Tests     []any
	HasTests  bool // a tests: or data_tests: key (an empty list too)
	// Deprecation is its deprecation_date (nil: none; the model's then),
	// DeprecationText its scalar as written
	Deprecation     any
	DeprecationText string
	DeprecationLine int
}

// versionConfigRaw is the key under which a versions: item keeps the
// values its config: had as written, when templates rendered some.
const versionConfigRaw = "\x00config as written"

// refKey is how a render records ref(name) or ref(name, v=version).
func refKey(name, version string) string {
	if version == "" {
		return name
	}
	return name + "@v" + version
}

// refTarget is the node ref() names with key (refKey's): a version of a
// versioned model, else the model, seed or snapshot of that name.
func (s *scope) refTarget(key string) *Node {
	name, version, versioned := strings.Cut(key, "@v")
	if s.lazy != nil {
		return s.lazy.ref(name, version, versioned)
	}
	if versioned {
		return s.versions[name][version]
	}
	return s.byName[name]
}

// sourceTarget is the source table source() names with key ("s.t").
func (s *scope) sourceTarget(key string) *Node {
	if s.lazy != nil {
		return s.lazy.source(key)
	}
	return s.sources[key]
}

// scalarText is a YAML scalar (2, 1.5, "beta") as text; "" for none.
func scalarText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// versionLess orders versions as numbers when both are, else as text.
func versionLess(a, b string) bool {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
}

// applyVersions turns the files of versioned models into their versions'
// nodes, before YAML properties are applied to them.
func (c *compilation) applyVersions() {
	// package + model name (its file's) -> nodes: several when files of
	// one name are variants of a version, all but one disabled (as dbt
	// allows; checkSharedNames refuses two enabled)
	byFile := map[string][]*Node{}
	for _, n := range c.nodes {
		if n.ResourceType == TypeModel {
			k := n.Package + "\x00" + n.Name
			byFile[k] = append(byFile[k], n)
		}
	}
	for _, p := range c.props {
		for _, e := range p.Models {
			raw, ok := e.Rest["versions"]
			if !ok {
				continue
			}
			list, ok := raw.([]any)
			if !ok || len(list) == 0 {
				c.addDiag(errorf(p.file, e.Line, 0, "model %q: versions: expected a list of {v: ...} entries", e.Name))
				continue
			}
			var specs []*versionSpec
			for i, item := range list {
				m, _ := item.(map[string]any)
				vs := &versionSpec{V: scalarText(m["v"])}
				if vs.V == "" {
					c.addDiag(errorf(p.file, e.Line, 0, "model %q: each entry of versions: needs v: (its version)", e.Name))
					continue
				}
				vs.DefinedIn, _ = m["defined_in"].(string)
				vs.Config, _ = m["config"].(map[string]any)
				vs.ConfigRaw, _ = m[versionConfigRaw].(map[string]any)
				vs.Columns, _ = m["columns"].([]any)
				vs.Desc, _ = m["description"].(string)
				vs.Deprecation = m["deprecation_date"]
				if e.Versions != nil && e.Versions.Kind == yaml.SequenceNode && i < len(e.Versions.Content) {
					if v := mappingValue(e.Versions.Content[i], "deprecation_date"); v != nil {
						vs.DeprecationText, vs.DeprecationLine = scalarValue(v), v.Line
					}
				}
				_, hasData := m["data_tests"]
				_, hasOld := m["tests"]
				vs.HasTests = hasData || hasOld
				if hasData && hasOld {
					c.addDiag(bothTestKeys(p.file, e.versionLine(vs.V), fmt.Sprintf("model %q version %s", e.Name, vs.V)))
				}
				vs.Tests, _ = m["data_tests"].([]any)
				if t, ok := m["tests"].([]any); ok {
					vs.Tests = append(vs.Tests, t...)
				}
				specs = append(specs, vs)
			}
			if len(specs) == 0 {
				continue
			}
			latest := scalarText(e.Rest["latest_version"])
			if latest == "" {
				latest = specs[0].V
				for _, vs := range specs[1:] {
					if versionLess(latest, vs.V) {
						latest = vs.V
					}
				}
			} else if !hasVersion(specs, latest) {
				c.addDiag(errorf(p.file, e.Line, 0, "model %q: latest_version %s is not one of its versions (%s)", e.Name, latest, versionList(specs)))
				continue
			}
			for _, vs := range specs {
				file := vs.DefinedIn
				if file == "" {
					file = e.Name + "_v" + vs.V
				}
				ns := byFile[p.pkg.Name+"\x00"+file]
				if len(ns) == 0 || ns[0].Version != "" {
					d := errorf(p.file, e.Line, 0, "model %q version %s: no model file %s.sql", e.Name, vs.V, file)
					d.Detail = "each version is a file named <model>_v<version>.sql, or the file its defined_in: names"
					c.addDiag(d)
					continue
				}
				for _, n := range ns {
					n.Name, n.Version, n.LatestVersion, n.versionSpec = e.Name, vs.V, latest, vs
					n.UniqueID = TypeModel + "." + n.Package + "." + e.Name + ".v" + vs.V
					n.FQN = append(append(append([]string{}, n.FQN[:len(n.FQN)-1]...), e.Name), "v"+vs.V)
				}
			}
		}
	}
}

func hasVersion(specs []*versionSpec, v string) bool {
	for _, s := range specs {
		if s.V == v {
			return true
		}
	}
	return false
}

func versionList(specs []*versionSpec) string {
	vs := make([]string, len(specs))
	for i, s := range specs {
		vs[i] = s.V
	}
	sort.Slice(vs, func(i, j int) bool { return versionLess(vs[i], vs[j]) })
	return strings.Join(vs, ", ")
}

// applyVersionSpec applies a version's own config, description and columns
// (include: all or a list, exclude: a list, then its column entries) over
// what its model's entry gave.
func (c *compilation) applyVersionSpec(file string, line int, n *Node) {
	vs := n.versionSpec
	if vs == nil {
		return
	}
	mergeConfig(n.Config, vs.Config)
	n.yamlLayers = append(n.yamlLayers, configLayer{conf: vs.Config, raw: vs.ConfigRaw})
	if vs.Desc != "" {
		n.Description = c.renderDescription(file, line, vs.Desc)
	}
	if vs.Deprecation != nil {
		c.setDeprecationDate(file, cmp.Or(vs.DeprecationLine, line), n, vs.Deprecation, vs.DeprecationText)
	}
	// include/exclude apply to the model's columns, wherever the item is
	// in the list; the version's own column entries are then added (as
	// dbt does)
	for name := range n.Columns {
		if !vs.includes(name) {
			delete(n.Columns, name)
		}
	}
	for i, item := range vs.Columns {
		m, _ := item.(map[string]any)
		if m == nil {
			continue
		}
		if _, ok := m["include"]; ok {
			continue
		}
		name := scalarText(m["name"])
		if name == "" {
			continue
		}
		col := &Column{Name: name, Meta: map[string]any{}, pos: 1<<20 + i} // after the model's
		if old := n.Columns[name]; old != nil {
			col.pos = old.pos // the model's order, for a contract
		}
		if d, ok := m["description"].(string); ok {
			col.Description = c.renderDescription(file, line, d)
		}
		col.DataType, _ = m["data_type"].(string)
		if meta, ok := m["meta"].(map[string]any); ok {
			col.Meta = meta
		}
		col.Tags = toStrings(m["tags"])
		col.Quote, _ = m["quote"].(bool)
		if list, ok := m["constraints"].([]any); ok {
			for _, x := range list {
				if cm, ok := x.(map[string]any); ok {
					col.Constraints = append(col.Constraints, cm)
				}
			}
		}
		n.Columns[name] = col
	}
}

// includes says whether the version keeps a column of its model's entry:
// by its include/exclude item only, as dbt's get_columns_for_version
// (its own column entries are added besides).
func (vs *versionSpec) includes(column string) bool {
	if vs == nil {
		return true
	}
	in := true // no include item, include: all or *
	for _, item := range vs.Columns {
		m, _ := item.(map[string]any)
		inc, ok := m["include"]
		if !ok {
			continue
		}
		if list, ok := inc.([]any); ok {
			listed := false
			for _, x := range list {
				listed = listed || scalarText(x) == column
			}
			in = in && listed
		}
		if ex, ok := m["exclude"].([]any); ok {
			for _, x := range ex {
				in = in && scalarText(x) != column
			}
		}
	}
	return in
}
