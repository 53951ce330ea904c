package compiler

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler/jinja"
)

// properties are the contents of one models/**/*.yml file.
type properties struct {
	file      string
	data      []byte        // its text (to find where a key is, for an error)
	pkg       *Project      // the project (root or package) the file belongs to
	root      string        // the path root the file was found under (e.g. "snapshots")
	Models    []*propEntry  `yaml:"models"`
	Seeds     []*propEntry  `yaml:"seeds"`
	Snapshots []*propEntry  `yaml:"snapshots"`
	Sources   []*propSource `yaml:"sources"`
	UnitTests []*propUnit   `yaml:"unit_tests"`
	// DataTests describe singular tests (data_tests: at the top, dbt's
	// UnparsedSingularTestUpdate): description: and config: apply
	DataTests []*propEntry `yaml:"data_tests"`
	// Analyses describe analyses as models are (applyPatch), but tests
	Analyses []*propEntry `yaml:"analyses"`
}

// propEntry describes a model, seed or snapshot in YAML.
type propEntry struct {
	Name        string         `yaml:"name"`
	Description string         `yaml:"description"`
	Config      map[string]any `yaml:"config"`
	Columns     []*propColumn  `yaml:"columns"`
	Tests       []yaml.Node    `yaml:"tests"`
	DataTests   []yaml.Node    `yaml:"data_tests"`
	Meta        map[string]any `yaml:"meta"`
	Docs        map[string]any `yaml:"docs"`
	Line        int            `yaml:"-"`
	Rest        map[string]any `yaml:",inline"`
	// RelationAt is where a YAML snapshot's relation: value is.
	RelationAt [2]int `yaml:"-"`
	// ConfigAt is where each key of config: is written.
	ConfigAt map[string][2]int `yaml:"-"`
	// ConfigRaw holds the config values a template rendered, as written.
	ConfigRaw map[string]any `yaml:"-"`
	// Versions is the versions: list as written (its tests are made from
	// it, as the entry's are from Tests).
	Versions *yaml.Node `yaml:"-"`
	// MetaRaw is {"meta": meta as written} when a template in it rendered.
	MetaRaw map[string]any `yaml:"-"`
	// DeprecationText is deprecation_date's scalar as written (its
	// offset, or that it has none, which the parsed time does not keep),
	// DeprecationLine its line.
	DeprecationText string `yaml:"-"`
	DeprecationLine int    `yaml:"-"`
}

func (e *propEntry) UnmarshalYAML(n *yaml.Node) error {
	if !fastDecode || !e.decodeFast(n) {
		type plain propEntry
		*e = propEntry{}
		if err := n.Decode((*plain)(e)); err != nil {
			return err
		}
	}
	e.Line = n.Line
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k, v := n.Content[i], n.Content[i+1]; k.Value {
		case "relation":
			e.RelationAt = [2]int{v.Line, v.Column}
		case "versions":
			e.Versions = v
		case "deprecation_date":
			e.DeprecationText, e.DeprecationLine = scalarValue(v), v.Line
		case "config":
			for j := 0; j+1 < len(v.Content) && v.Kind == yaml.MappingNode; j += 2 {
				if e.ConfigAt == nil {
					e.ConfigAt = map[string][2]int{}
				}
				e.ConfigAt[normalizeConfigKey(v.Content[j].Value)] = [2]int{v.Content[j].Line, v.Content[j].Column}
			}
		}
	}
	return nil
}

// scalarValue is a scalar node's text ("" for another node).
func scalarValue(v *yaml.Node) string {
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// fastDecode is off only in the test comparing decodeFast with yaml.v3.
var fastDecode = true

// decodeFast decodes the common shape of a model entry (name:,
// description:, columns: and tests written as plain strings and lists)
// as yaml.v3 would, without its reflection and a decoder per entry and
// column: on a 10,000-model project they were a tenth of the YAML's cost.
// Any other key or shape (config:, meta:, a number where a string goes,
// a repeated key) says no, and the entry is decoded by yaml.v3, which
// also gives the errors. TestDecodeFastMatchesYAML compares the two.
func (e *propEntry) decodeFast(n *yaml.Node) bool {
	return fastMapping(n, func(key string, v *yaml.Node) (slot int, ok bool) {
		switch key {
		case "name":
			e.Name, ok = fastString(v)
			return 0, ok
		case "description":
			e.Description, ok = fastString(v)
			return 1, ok
		case "columns":
			if v.Kind != yaml.SequenceNode {
				return 2, false
			}
			cols := make([]propColumn, len(v.Content))
			e.Columns = make([]*propColumn, len(v.Content))
			for j, item := range v.Content {
				if !cols[j].decodeFast(item) {
					return 2, false
				}
				cols[j].Line = item.Line // QuoteSet stays false: quote: is not on this path
				e.Columns[j] = &cols[j]
			}
			return 2, true
		case "tests":
			e.Tests, ok = fastNodes(v)
			return 3, ok
		case "data_tests":
			e.DataTests, ok = fastNodes(v)
			return 4, ok
		}
		return 0, false
	})
}

// decodeFast is propEntry's decodeFast for a column entry: name:,
// description:, data_type: and its tests.
func (c *propColumn) decodeFast(n *yaml.Node) bool {
	return fastMapping(n, func(key string, v *yaml.Node) (slot int, ok bool) {
		switch key {
		case "name":
			c.Name, ok = fastString(v)
			return 0, ok
		case "description":
			c.Description, ok = fastString(v)
			return 1, ok
		case "data_type":
			c.DataType, ok = fastString(v)
			return 2, ok
		case "tests":
			c.Tests, ok = fastNodes(v)
			return 3, ok
		case "data_tests":
			c.DataTests, ok = fastNodes(v)
			return 4, ok
		}
		return 0, false
	})
}

// fastMapping walks a plain mapping of string keys, each decoded by field
// into its slot (0-7); false for anything else and for a key written
// twice, which yaml.v3 reports. A tag on the mapping (!!null, a custom
// one) is yaml.v3's to judge: it decodes only a plain mapping into a
// struct by its UnmarshalYAML.
func fastMapping(n *yaml.Node, field func(key string, v *yaml.Node) (slot int, ok bool)) bool {
	if n.Kind != yaml.MappingNode || n.ShortTag() != "!!map" || len(n.Content)%2 != 0 {
		return false
	}
	var seen [8]bool
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !isStr(k) {
			return false
		}
		slot, ok := field(k.Value, v)
		if !ok || seen[slot] {
			return false
		}
		seen[slot] = true
	}
	return true
}

// isStr is a scalar that yaml.v3 resolves to a string.
func isStr(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Anchor == "" && n.ShortTag() == "!!str"
}

// fastString is the string a string field gets from n, when n is a
// string scalar.
func fastString(n *yaml.Node) (string, bool) {
	if !isStr(n) {
		return "", false
	}
	return n.Value, true
}

// fastNodes is what a []yaml.Node field gets from a sequence: a copy of
// each item.
func fastNodes(n *yaml.Node) ([]yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode || n.Anchor != "" {
		return nil, false
	}
	out := make([]yaml.Node, len(n.Content))
	for i, item := range n.Content {
		if item.Kind == yaml.AliasNode {
			return nil, false
		}
		out[i] = *item
	}
	return out, true
}

// versionTests are a version's own tests (set: it has a tests: or
// data_tests: list, which replaces the entry's, as in dbt) and its column
// entries with their tests, from the version as decoded (aliases and
// merge keys resolved, templates rendered), placed at the version's entry
// when it can be found.
func (e *propEntry) versionTests(vs *versionSpec) (tests []yaml.Node, set bool, cols []*propColumn) {
	if vs == nil {
		return nil, false, nil
	}
	line := e.versionLine(vs.V)
	if vs.HasTests {
		tests, set = yamlNodes(vs.Tests, line), true
	}
	for _, item := range vs.Columns {
		m, _ := item.(map[string]any)
		name := scalarText(m["name"])
		if _, inc := m["include"]; inc || name == "" {
			continue
		}
		col := &propColumn{Name: name, Line: line}
		col.Quote, _ = m["quote"].(bool)
		for _, key := range []string{"data_tests", "tests"} {
			if l, ok := m[key].([]any); ok {
				col.DataTests = append(col.DataTests, yamlNodes(l, line)...)
			}
		}
		cols = append(cols, col)
	}
	return tests, set, cols
}

// versionLine is the line of version v's entry in versions:, else the
// model entry's.
func (e *propEntry) versionLine(v string) int {
	if e.Versions != nil && e.Versions.Kind == yaml.SequenceNode {
		for _, item := range e.Versions.Content {
			if vn := mappingValue(item, "v"); item.Kind == yaml.MappingNode && vn != nil {
				var x any
				if vn.Decode(&x) == nil && scalarText(x) == v {
					return item.Line
				}
			}
		}
	}
	return e.Line
}

// yamlNodes makes YAML nodes of decoded test specs, placed at line.
func yamlNodes(list []any, line int) []yaml.Node {
	out := make([]yaml.Node, 0, len(list))
	for _, x := range list {
		var n yaml.Node
		if n.Encode(x) != nil {
			continue
		}
		setLine(&n, line)
		out = append(out, n)
	}
	return out
}

func setLine(n *yaml.Node, line int) {
	n.Line, n.Column = line, 1
	for _, c := range n.Content {
		setLine(c, line)
	}
}

func (e *propEntry) tests() []yaml.Node {
	return append(append([]yaml.Node{}, e.DataTests...), e.Tests...)
}

type propColumn struct {
	Name        string           `yaml:"name"`
	Description string           `yaml:"description"`
	DataType    string           `yaml:"data_type"`
	Meta        map[string]any   `yaml:"meta"`
	Tags        []string         `yaml:"tags"`
	Quote       bool             `yaml:"quote"`
	Constraints []map[string]any `yaml:"constraints"`
	Tests       []yaml.Node      `yaml:"tests"`
	DataTests   []yaml.Node      `yaml:"data_tests"`
	Line        int              `yaml:"-"`
	// QuoteSet: quote: is written (a source's quoting: {column: ...}
	// applies to the columns that do not say)
	QuoteSet bool `yaml:"-"`
}

func (c *propColumn) UnmarshalYAML(n *yaml.Node) error {
	if !fastDecode || !c.decodeFast(n) {
		type plain propColumn
		*c = propColumn{}
		if err := n.Decode((*plain)(c)); err != nil {
			return err
		}
	}
	c.Line = n.Line
	c.QuoteSet = mappingValue(n, "quote") != nil
	return nil
}

func (c *propColumn) tests() []yaml.Node {
	return append(append([]yaml.Node{}, c.DataTests...), c.Tests...)
}

type propSource struct {
	Name          string         `yaml:"name"`
	Description   string         `yaml:"description"`
	Database      string         `yaml:"database"`
	Schema        string         `yaml:"schema"`
	Loader        string         `yaml:"loader"`
	LoadedAtField string         `yaml:"loaded_at_field"`
	Config        map[string]any `yaml:"config"`
	ConfigRaw     map[string]any `yaml:"-"` // the config values a template rendered, as written
	Meta          map[string]any `yaml:"meta"`
	Tags          []string       `yaml:"tags"`
	Tables        []*propTable   `yaml:"tables"`
	Quoting       map[string]any `yaml:"quoting"`
	Freshness     any            `yaml:"freshness"`
	Extract       any            `yaml:"extract"`
	Line          int            `yaml:"-"`
	TagsRaw       []string       `yaml:"-"` // tags as written, when a template in them rendered
	// FreshnessAt is the line of the freshness: key (0: absent).
	FreshnessAt int `yaml:"-"`
	// ExtractAt is where each key of extract: is written.
	ExtractAt map[string][2]int `yaml:"-"`
}

func (s *propSource) UnmarshalYAML(n *yaml.Node) error {
	type plain propSource
	if err := n.Decode((*plain)(s)); err != nil {
		return err
	}
	s.Line, s.FreshnessAt, s.ExtractAt = n.Line, keyLine(n, "freshness"), keysAt(n, "extract")
	return nil
}

// keyLine is the line of a key of a YAML mapping, 0 when it is absent.
func keyLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content) && n.Kind == yaml.MappingNode; i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return 0
}

// keysAt is where each key of a YAML mapping's mapping value is written
// (line, column), nil when key is absent or not a mapping.
func keysAt(n *yaml.Node, key string) map[string][2]int {
	for i := 0; i+1 < len(n.Content) && n.Kind == yaml.MappingNode; i += 2 {
		if v := n.Content[i+1]; n.Content[i].Value == key && v.Kind == yaml.MappingNode {
			out := make(map[string][2]int, len(v.Content)/2)
			for j := 0; j+1 < len(v.Content); j += 2 {
				out[v.Content[j].Value] = [2]int{v.Content[j].Line, v.Content[j].Column}
			}
			return out
		}
	}
	return nil
}

type propTable struct {
	Name          string         `yaml:"name"`
	Identifier    string         `yaml:"identifier"`
	Description   string         `yaml:"description"`
	LoadedAtField string         `yaml:"loaded_at_field"`
	Config        map[string]any `yaml:"config"`
	ConfigRaw     map[string]any `yaml:"-"` // the config values a template rendered, as written
	Meta          map[string]any `yaml:"meta"`
	Tags          []string       `yaml:"tags"`
	Columns       []*propColumn  `yaml:"columns"`
	Tests         []yaml.Node    `yaml:"tests"`
	DataTests     []yaml.Node    `yaml:"data_tests"`
	Quoting       map[string]any `yaml:"quoting"`
	Freshness     any            `yaml:"freshness"`
	Extract       any            `yaml:"extract"`
	Line          int            `yaml:"-"`
	TagsRaw       []string       `yaml:"-"` // tags as written, when a template in them rendered
	// FreshnessAt is the line of the freshness: key (0: absent; with a
	// null value it turns the source's freshness off for this table).
	FreshnessAt int `yaml:"-"`
	// ExtractAt is where each key of extract: is written.
	ExtractAt map[string][2]int `yaml:"-"`
}

func (t *propTable) UnmarshalYAML(n *yaml.Node) error {
	type plain propTable
	if err := n.Decode((*plain)(t)); err != nil {
		return err
	}
	t.Line, t.FreshnessAt, t.ExtractAt = n.Line, keyLine(n, "freshness"), keysAt(n, "extract")
	return nil
}

type propUnit struct {
	Name        string         `yaml:"name"`
	Model       string         `yaml:"model"`
	Description string         `yaml:"description"`
	Given       []propUnitIO   `yaml:"given"`
	Expect      propUnitIO     `yaml:"expect"`
	Config      map[string]any `yaml:"config"`
	Overrides   map[string]any `yaml:"overrides"`
	Line        int            `yaml:"-"`
}

func (u *propUnit) UnmarshalYAML(n *yaml.Node) error {
	type plain propUnit
	if err := n.Decode((*plain)(u)); err != nil {
		return err
	}
	u.Line = n.Line
	return nil
}

type propUnitIO struct {
	Input   string    `yaml:"input"`
	Format  string    `yaml:"format"`
	Rows    yaml.Node `yaml:"rows"`
	Fixture string    `yaml:"fixture"`
	Line    int       `yaml:"-"`
}

func (u *propUnitIO) UnmarshalYAML(n *yaml.Node) error {
	type plain propUnitIO
	if err := n.Decode((*plain)(u)); err != nil {
		return err
	}
	u.Line = n.Line
	return nil
}

func parseProperties(file string, data []byte, vars map[string]any) (*properties, Diagnostics) {
	p := &properties{file: file}
	top, err := propsTree(data)
	if err != nil {
		return nil, Diagnostics{yamlError(file, err)}
	}
	if top == nil {
		return p, nil
	}
	if top.Kind != yaml.MappingNode {
		return nil, Diagnostics{errorf(file, top.Line, top.Column, "expected a mapping with models:, sources:, seeds:, snapshots: or unit_tests:")}
	}
	var diags Diagnostics
	for i := 0; i+1 < len(top.Content); i += 2 {
		k := top.Content[i]
		switch k.Value {
		case "version", "models", "seeds", "snapshots", "sources", "unit_tests", "macros", "exposures",
			"metrics", "semantic_models", "saved_queries", "groups", "analyses", "data_tests":
		default:
			d := warnf(file, k.Line, k.Column, "unknown top-level key %q ignored", k.Value)
			d.Detail = didYouMean(k.Value, []string{"models", "seeds", "snapshots", "sources", "unit_tests"})
			diags = append(diags, d)
		}
	}
	if nulls := nullEntries(file, top); len(nulls) > 0 {
		return nil, append(diags, nulls...)
	}
	if err := top.Decode(p); err != nil {
		return nil, append(diags, yamlError(file, err))
	}
	return p, diags
}

// entryLists are the keys of a properties file whose values are lists of
// entries, each a mapping.
var entryLists = map[string]bool{"models": true, "seeds": true, "snapshots": true, "sources": true, "unit_tests": true,
	"tables": true, "columns": true, "given": true, "versions": true}

// nullEntries are errors at the empty items of the lists of entries under
// n (a `-` with nothing after it, `- null`), which decode to no entry.
func nullEntries(file string, n *yaml.Node) Diagnostics {
	var out Diagnostics
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.SequenceNode && entryLists[k.Value] {
				for _, item := range v.Content {
					if item.Kind == yaml.ScalarNode && item.ShortTag() == "!!null" {
						out = append(out, errorf(file, item.Line, item.Column, "an empty item in %s: expected a mapping (an entry)", k.Value))
					}
				}
			}
		}
	}
	for _, c := range n.Content {
		out = append(out, nullEntries(file, c)...)
	}
	return out
}

// docsBlockRE finds {% docs name %}...{% enddocs %} blocks in .md files.
var docsBlockRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}(.*?)\{%-?\s*enddocs\s*-?%\}`)
})

func parseDocsBlocks(src string) map[string]string {
	out := map[string]string{}
	for _, m := range docsBlockRE().FindAllStringSubmatch(src, -1) {
		out[m[1]] = strings.TrimSpace(m[2])
	}
	return out
}

// docRE matches {{ doc("name") }} in descriptions.
var docRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{-?\s*doc\(\s*["']([^"']+)["']\s*\)\s*-?\}\}`) })

// descJinja says a description is a template: it has an expression, a
// statement or a comment (dbt renders descriptions: a {# comment #} is
// not in the text, nor a {% if %} not taken).
func descJinja(s string) bool { return isTemplate(s) || strings.Contains(s, "{#") }

// renderDescription expands doc() references in a description.
func (c *compilation) renderDescription(file string, line int, desc string) string {
	if !descJinja(desc) {
		return desc
	}
	if c.inv != nil {
		c.mu.Lock()
		if c.docReaders == nil {
			c.docReaders = map[string]bool{}
		}
		c.docReaders[file] = true
		c.mu.Unlock()
	}
	reported := map[string]bool{} // the blocks said not found
	notFound := func(name string) {
		if !reported[name] {
			reported[name] = true
			diag := errorf(file, line, 0, "doc(%q) not found", name)
			diag.Detail = didYouMean(name, sortedKeys(c.docs))
			c.addDiag(diag)
		}
	}
	out := docRE().ReplaceAllStringFunc(desc, func(m string) string {
		name := docRE().FindStringSubmatch(m)[1]
		if d, ok := c.docs[name]; ok {
			return d
		}
		notFound(name)
		return m
	})
	if rest := docRE().ReplaceAllString(desc, ""); descJinja(rest) {
		// other Jinja: rendered as dbt's docs context (doc(), var() and
		// env_var() with the package's vars, target); a doc block's text
		// is not rendered again
		// doc('name'), or doc('package', 'name') as dbt takes a
		// package's block (the blocks of the project and its packages are
		// one namespace here: docs/dbt-compatibility.md)
		doc := func(args []any, _ map[string]any) (any, error) {
			if len(args) == 0 || len(args) > 2 {
				return nil, fmt.Errorf("doc() takes a docs block's name, or a package's name and its block's")
			}
			name := jinja.Str(args[len(args)-1])
			d, ok := c.docs[name]
			if !ok {
				notFound(name)
			}
			return d, nil
		}
		r, err := "", error(nil)
		tpl, perr := plainEngine.Parse(file, desc)
		if err = perr; err == nil {
			ctx := c.yamlContext(c.varsOfFile(file))
			ctx["doc"] = jinja.Func(doc)
			r, err = tpl.Render(ctx)
		}
		var secret *SecretEnvError
		switch {
		case err == nil:
			out = r
		case errors.As(err, &secret) || strings.Contains(err.Error(), SecretEnvPrefix):
			c.addDiag(errorf(file, line, 0, "%v", err))
		}
	}
	return out
}

// varsOfFile is the vars a properties file's templates see: its
// package's.
func (c *compilation) varsOfFile(file string) map[string]any {
	for _, p := range c.props {
		if p.file == file {
			return c.project.packageVars(p.pkg)
		}
	}
	return c.project.Vars
}

func columnsFrom(c *compilation, file string, cols []*propColumn) map[string]*Column {
	out := map[string]*Column{}
	for i, col := range cols {
		if col.Name == "" {
			c.addDiag(errorf(file, col.Line, 0, "column entry without `name:`"))
			continue
		}
		out[col.Name] = col.column(c.renderDescription(file, col.Line, col.Description), i)
	}
	return out
}

// column is the column an item of columns: makes, with its description
// rendered (desc) at its place in the list (pos).
func (col *propColumn) column(desc string, pos int) *Column {
	return &Column{Name: col.Name, Description: desc, DataType: col.DataType, Meta: col.Meta, Tags: col.Tags,
		Quote: col.Quote, Constraints: col.Constraints, pos: pos}
}

func nodeLabel(kind, name string) string { return fmt.Sprintf("%s %q", kind, name) }
