package compiler

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// testConfigKeys may appear beside a generic test's arguments (dbt's older
// style) or under its config: block.
var testConfigKeys = map[string]bool{"severity": true, "where": true, "limit": true, "warn_if": true,
	"error_if": true, "store_failures": true, "store_failures_as": true, "tags": true, "enabled": true,
	"fail_calc": true, "meta": true, "alias": true, "schema": true, "database": true}

// testSpec is one parsed entry of a data_tests: list.
type testSpec struct {
	name, namespace string
	customName      string
	args            map[string]any
	config          map[string]any
	line            int
}

func parseTestSpec(n *yaml.Node) (*testSpec, error) {
	ts := &testSpec{args: map[string]any{}, config: map[string]any{}, line: n.Line}
	switch n.Kind {
	case yaml.ScalarNode:
		ts.name = n.Value
	case yaml.MappingNode:
		if len(n.Content) != 2 {
			// dbt also accepts {name: ..., test_name: ..., ...}
			var m map[string]any
			if err := n.Decode(&m); err != nil {
				return nil, err
			}
			tn, _ := m["test_name"].(string)
			if tn == "" {
				return nil, fmt.Errorf("a test entry needs the test's name as its only key, e.g. `- unique` or `- accepted_values: {values: [...]}`")
			}
			ts.name = tn
			ts.customName, _ = m["name"].(string)
			delete(m, "test_name")
			delete(m, "name")
			ts.fill(m)
			break
		}
		ts.name = n.Content[0].Value
		var m map[string]any
		if err := n.Content[1].Decode(&m); err != nil {
			return nil, fmt.Errorf("test %s: expected a mapping of arguments: %v", ts.name, err)
		}
		ts.fill(m)
	default:
		return nil, fmt.Errorf("expected a test name or a mapping")
	}
	if i := strings.LastIndex(ts.name, "."); i >= 0 {
		ts.namespace, ts.name = ts.name[:i], ts.name[i+1:]
	}
	return ts, nil
}

func (ts *testSpec) fill(m map[string]any) {
	for k, v := range m {
		switch {
		case k == "config":
			if cm, ok := v.(map[string]any); ok {
				for ck, cv := range cm {
					ts.config[normalizeConfigKey(ck)] = cv
				}
			}
		case k == "arguments":
			if am, ok := v.(map[string]any); ok {
				for ak, av := range am {
					ts.args[ak] = av
				}
			}
		case k == "name":
			ts.customName, _ = v.(string)
		case testConfigKeys[k]:
			ts.config[k] = v
		default:
			ts.args[k] = v
		}
	}
}

var refCallRE = regexp.MustCompile(`^\s*(ref|source)\s*\(.*\)\s*$`)

// jinjaLiteral writes a YAML value as a Jinja expression.
func jinjaLiteral(v any) string {
	switch t := v.(type) {
	case nil:
		return "none"
	case string:
		if refCallRE.MatchString(t) {
			return strings.TrimSpace(t)
		}
		return strconv.Quote(t)
	case bool:
		if t {
			return "true"
		}
		return "false"
	case int, int64, float64:
		return fmt.Sprint(t)
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = jinjaLiteral(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := sortedKeys(t)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strconv.Quote(k) + ": " + jinjaLiteral(t[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return strconv.Quote(fmt.Sprint(v))
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// testName builds dbt's name for a generic test instance.
func testName(ts *testSpec, model, column string) string {
	if ts.customName != "" {
		return ts.customName
	}
	parts := []string{ts.name, model}
	if column != "" {
		parts = append(parts, column)
	}
	name := strings.Join(parts, "_")
	var argParts []string
	for _, k := range sortedKeys(ts.args) {
		if k == "column_name" || k == "model" {
			continue
		}
		argParts = append(argParts, flatArg(ts.args[k]))
	}
	if len(argParts) > 0 {
		name += "__" + strings.Join(argParts, "__")
	}
	name = nonIdent.ReplaceAllString(name, "_")
	if len(name) > 63 {
		h := md5.Sum([]byte(name))
		name = name[:50] + "_" + hex.EncodeToString(h[:])[:12]
	}
	return name
}

func flatArg(v any) string {
	switch t := v.(type) {
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = flatArg(x)
		}
		return strings.Join(parts, "__")
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(t) {
			parts = append(parts, k+"_"+flatArg(t[k]))
		}
		return strings.Join(parts, "__")
	}
	return fmt.Sprint(v)
}

// testTarget is what a generic test is attached to.
type testTarget struct {
	node     *Node  // model, seed, snapshot or source
	expr     string // ref('x') or source('s', 't')
	file     string
	nodeName string
}

// addGenericTests creates a test node for every test declared in YAML.
func (c *compilation) addGenericTests() {
	type pending struct {
		target testTarget
		column string
		spec   yaml.Node
	}
	var todo []pending
	for _, p := range c.props {
		for kind, entries := range map[string][]*propEntry{TypeModel: p.Models, TypeSeed: p.Seeds, TypeSnapshot: p.Snapshots} {
			for _, e := range entries {
				n := c.byName[e.Name]
				if n == nil || n.ResourceType != kind {
					continue
				}
				tt := testTarget{node: n, expr: fmt.Sprintf("ref(%q)", e.Name), file: p.file, nodeName: e.Name}
				for _, t := range e.tests() {
					todo = append(todo, pending{tt, "", t})
				}
				for _, col := range e.Columns {
					for _, t := range col.tests() {
						todo = append(todo, pending{tt, col.Name, t})
					}
				}
			}
		}
		for _, s := range p.Sources {
			for _, t := range s.Tables {
				src := c.sources[s.Name+"."+t.Name]
				if src == nil {
					continue
				}
				tt := testTarget{node: src, expr: fmt.Sprintf("source(%q, %q)", s.Name, t.Name), file: p.file, nodeName: s.Name + "_" + t.Name}
				for _, x := range append(append([]yaml.Node{}, t.DataTests...), t.Tests...) {
					todo = append(todo, pending{tt, "", x})
				}
				for _, col := range t.Columns {
					for _, x := range col.tests() {
						todo = append(todo, pending{tt, col.Name, x})
					}
				}
			}
		}
	}
	sort.SliceStable(todo, func(i, j int) bool {
		if todo[i].target.file != todo[j].target.file {
			return todo[i].target.file < todo[j].target.file
		}
		return todo[i].spec.Line < todo[j].spec.Line
	})
	var tests []*Node
	seen := map[string]*Node{}
	for _, td := range todo {
		spec := td.spec
		ts, err := parseTestSpec(&spec)
		if err != nil {
			c.addDiag(errorf(td.target.file, spec.Line, spec.Column, "%v", err))
			continue
		}
		macro := "test_" + ts.name
		if c.engine.Macro(macro) == nil {
			var known []string
			for _, m := range c.engine.MacroNames() {
				if strings.HasPrefix(m, "test_") {
					known = append(known, strings.TrimPrefix(m, "test_"))
				}
			}
			d := errorf(td.target.file, spec.Line, spec.Column, "unknown test %q", ts.name)
			if s := didYouMean(ts.name, known); s != "" {
				d.Detail = s
			} else {
				d.Detail = "define it with {% test " + ts.name + "(model, column_name) %} in macros/ or tests/generic/"
			}
			c.addDiag(d)
			continue
		}
		name := testName(ts, td.target.nodeName, td.column)
		src := c.testTemplate(macro, td.target, td.column, ts)
		h := md5.Sum([]byte(td.target.file + "\x00" + src))
		n := &Node{ResourceType: TypeTest, Name: name, Package: c.project.Name, TestType: "generic",
			UniqueID: "test." + c.project.Name + "." + name + "." + hex.EncodeToString(h[:])[:10],
			Path:     td.target.file, PatchPath: td.target.file, RawCode: src, Checksum: checksum([]byte(src)),
			FQN:     append(append([]string{}, td.target.node.FQN[:len(td.target.node.FQN)-1]...), name),
			Columns: map[string]*Column{}, Meta: map[string]any{}, ColumnName: td.column,
			AttachedNode: td.target.node.UniqueID, yamlFile: td.target.file, yamlLine: spec.Line,
			TestMetadata: &TestMetadata{Name: ts.name, Namespace: ts.namespace, Kwargs: testKwargs(ts, td.column)}}
		if prev := seen[n.UniqueID]; prev != nil {
			c.addDiag(warnf(td.target.file, spec.Line, 0, "test %s is declared twice (also at line %d)", name, prev.yamlLine))
			continue
		}
		seen[n.UniqueID] = n
		n.Config = Config(c.project.folderConfig("tests", n.FQN))
		mergeConfig(n.Config, ts.config)
		n.Config["materialized"] = "test"
		if n.Config["severity"] == nil {
			n.Config["severity"] = "ERROR"
		}
		n.Config["severity"] = strings.ToUpper(n.Config.String("severity"))
		tests = append(tests, n)
	}
	c.nodes = append(c.nodes, tests...)
	c.renderAll(tests)
	for _, n := range tests {
		n.Tags = tagsOf(n.Config)
		if n.Tags == nil {
			n.Tags = []string{}
		}
		c.setRelation(n)
	}
}

func testKwargs(ts *testSpec, column string) map[string]any {
	kw := map[string]any{}
	for k, v := range ts.args {
		kw[k] = v
	}
	if column != "" {
		kw["column_name"] = column
	}
	return kw
}

// testTemplate writes the Jinja text that calls a generic test's macro.
func (c *compilation) testTemplate(macro string, tt testTarget, column string, ts *testSpec) string {
	model := tt.expr
	if w, ok := ts.config["where"].(string); ok && w != "" {
		model = fmt.Sprintf("__where(%s, %s)", tt.expr, strconv.Quote(w))
	}
	args := []string{"model=" + model}
	if column != "" {
		args = append(args, "column_name="+strconv.Quote(column))
	}
	for _, k := range sortedKeys(ts.args) {
		if k == "column_name" && column != "" {
			continue
		}
		args = append(args, k+"="+jinjaLiteral(ts.args[k]))
	}
	return "{{ " + macro + "(" + strings.Join(args, ", ") + ") }}"
}

// addUnitTests creates a node for every unit test declared in YAML.
func (c *compilation) addUnitTests() {
	for _, p := range c.props {
		for _, u := range p.UnitTests {
			model := c.byName[u.Model]
			if model == nil || model.ResourceType != TypeModel {
				var names []string
				for name, n := range c.byName {
					if n.ResourceType == TypeModel {
						names = append(names, name)
					}
				}
				d := errorf(p.file, u.Line, 0, "unit test %q: model %q not found", u.Name, u.Model)
				d.Detail = didYouMean(u.Model, names)
				c.addDiag(d)
				continue
			}
			spec := &UnitTestSpec{Model: u.Model}
			if macros, ok := u.Overrides["macros"].(map[string]any); ok {
				spec.Incremental, _ = macros["is_incremental"].(bool)
			}
			for _, g := range u.Given {
				in, err := unitIO(g)
				if err != nil {
					c.addDiag(errorf(p.file, g.Line, 0, "unit test %q: %v", u.Name, err))
					continue
				}
				spec.Given = append(spec.Given, in)
			}
			exp, err := unitIO(u.Expect)
			if err != nil {
				c.addDiag(errorf(p.file, u.Expect.Line, 0, "unit test %q: %v", u.Name, err))
			}
			spec.Expect = exp
			n := &Node{ResourceType: TypeUnitTest, Name: u.Name, Package: c.project.Name, TestType: "unit",
				UniqueID: "unit_test." + c.project.Name + "." + u.Model + "." + u.Name, Path: p.file, PatchPath: p.file,
				FQN: append(append([]string{}, model.FQN...), u.Name), Columns: map[string]*Column{}, Meta: map[string]any{},
				Description: u.Description, AttachedNode: model.UniqueID, UnitTest: spec, yamlFile: p.file, yamlLine: u.Line,
				Checksum: checksum([]byte(fmt.Sprintf("%v", spec)))}
			n.Config = Config(map[string]any{"materialized": "unit"})
			mergeConfig(n.Config, u.Config)
			n.Tags = tagsOf(n.Config)
			if n.Tags == nil {
				n.Tags = []string{}
			}
			n.DependsOn.Nodes = []string{model.UniqueID}
			c.nodes = append(c.nodes, n)
		}
	}
}

func unitIO(io propUnitIO) (UnitTestInput, error) {
	in := UnitTestInput{Input: strings.TrimSpace(io.Input), Format: firstNonEmpty(io.Format, "dict"), Fixture: io.Fixture}
	switch io.Rows.Kind {
	case 0:
	case yaml.SequenceNode:
		if err := io.Rows.Decode(&in.Rows); err != nil {
			return in, fmt.Errorf("rows: expected a list of mappings: %v", err)
		}
		if in.Rows == nil {
			in.Rows = []map[string]any{}
		}
	case yaml.ScalarNode:
		if in.Format == "dict" {
			in.Format = "csv"
		}
		in.CSV = io.Rows.Value
	default:
		return in, fmt.Errorf("rows: expected a list of mappings or CSV text")
	}
	return in, nil
}
