package compiler

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler/jinja"
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
		case k == "description":
			// the test's description (dbt 1.9), not an argument
		case testConfigKeys[k]:
			ts.config[k] = v
		default:
			ts.args[k] = v
		}
	}
}

// argCallRE is a test argument that is one call of these functions,
// which dbt renders as if it were written {{ ... }} (its
// add_rendered_test_kwargs: looks_like_func).
var argCallRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$`)
})

// jinjaLiteral writes a YAML value as a Jinja expression. A string that
// is a template, or a call argCallRE matches, is rendered where the test
// renders, in its context, as dbt renders a generic test's arguments
// (every string at any depth but a top-level column_name): one {{
// expression }} keeps its value's type (a var that is a list is a list),
// text around expressions makes a string (argExpr).
func jinjaLiteral(v any) string {
	switch t := v.(type) {
	case nil:
		return "none"
	case string:
		if e, ok := argExpr(t); ok {
			return e
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

// argExpr is the Jinja expression of a test argument that renders (see
// jinjaLiteral), false for one that is plain text. A template's {%
// statements %} and {# comments #} are not taken: genericTest refuses
// them first (argBlock).
func argExpr(s string) (string, bool) {
	if argCallRE().MatchString(s) {
		return strings.TrimSpace(s), true // (as written: a test's id hashes its text)
	}
	return templateExpr(s)
}

// templateExpr is the Jinja expression of a text's {{ expressions }}
// (argExpr), false for a text without one: a test's where: (dbt renders
// its config as templates only, a bare call as text).
func templateExpr(s string) (string, bool) {
	if !strings.Contains(s, "{{") {
		return "", false
	}
	if e, ok := singleExpression(s); ok {
		return "(" + e + ")", true
	}
	// text and expressions, joined: each expression's value as a string
	var parts []string
	lit := func(text string) {
		if text != "" {
			parts = append(parts, strconv.Quote(text))
		}
	}
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			lit(rest)
			break
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			lit(rest)
			break
		}
		text, expr := rest[:i], rest[i+2:i+2+j]
		rest = rest[i+2+j+2:]
		if strings.HasPrefix(expr, "-") { // {{- trims the text before
			expr, text = expr[1:], strings.TrimRight(text, " \t\r\n")
		}
		if strings.HasSuffix(expr, "-") { // -}} the text after
			expr, rest = expr[:len(expr)-1], strings.TrimLeft(rest, " \t\r\n")
		}
		lit(text)
		parts = append(parts, "(("+expr+") ~ \"\")")
	}
	if len(parts) == 0 {
		return `""`, true
	}
	return "(" + strings.Join(parts, " ~ ") + ")", true
}

// argBlock says a test argument (a string at any depth) holds a {%
// statement %} or {# comment #}: mart renders the {{ expressions }} of
// an argument only.
func argBlock(s string) bool { return strings.Contains(s, "{%") || strings.Contains(s, "{#") }

// identOnly replaces each run of characters other than ASCII letters,
// digits and _ with one _ (as the regexp [^A-Za-z0-9_]+ would), without a
// copy in the common case where there are none.
func identOnly(s string) string {
	isIdent := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	i := 0
	for i < len(s) && isIdent(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s[:i])
	for i < len(s) {
		if isIdent(s[i]) {
			b = append(b, s[i])
			i++
			continue
		}
		b = append(b, '_')
		for i < len(s) && !isIdent(s[i]) {
			i++
		}
	}
	return string(b)
}

// testName is a generic test's name as dbt synthesizes it
// (synthesize_generic_test_names): the test's type (namespaced, and
// "source_" before it for a source's), the target's name, then every
// argument's value in the order of the arguments' names (column_name
// among them; a list's items and a mapping's values each one), as
// Python prints them, each run of other characters than letters, digits
// and _ made one _, joined by __. It is the node's name in full, however
// long (its unique_id, selection); testShortName is its file and alias.
func testName(ts *testSpec, target *testTarget, kwargs map[string]any) string {
	return testNameOf(ts, target, testArgsPart(kwargs))
}

// testNameOf is testName with the arguments' part made (testArgsPart).
func testNameOf(ts *testSpec, target *testTarget, args string) string {
	if ts.customName != "" {
		return ts.customName
	}
	return testType(ts.namespace, ts.name, target.node != nil && target.node.ResourceType == TypeSource) + "_" +
		target.nodeName + "_" + args
}

// testType is a synthesized test name's first part: the test, "source_"
// before it for a source's, the namespace before that (dbt:
// p_source_anyarg_raw_orders_id).
func testType(namespace, name string, source bool) string {
	if source {
		name = "source_" + name
	}
	if namespace != "" {
		name = namespace + "_" + name
	}
	return name
}

// testArgsPart is the arguments' part of a synthesized test name.
func testArgsPart(args map[string]any) string {
	var flat []string
	for _, k := range sortedKeys(args) {
		if k == "model" {
			continue
		}
		switch v := args[k].(type) {
		case map[string]any:
			for _, mk := range sortedKeys(v) { // dbt: the YAML's order
				flat = append(flat, pyStr(v[mk]))
			}
		case []any:
			for _, x := range v {
				flat = append(flat, pyStr(x))
			}
		default:
			flat = append(flat, pyStr(v))
		}
	}
	for i, f := range flat {
		flat[i] = identOnly(f)
	}
	return strings.Join(flat, "__")
}

// testShortName is a generic test's name for its compiled file and its
// alias, as dbt's: its full name, or when that is 64 characters or more,
// the type and target part's first 30 and the full name's md5.
func testShortName(n *Node) string {
	if len(n.Name) < 64 || n.TestMetadata == nil {
		return n.Name
	}
	// a synthesized name, not one given with name: (which is kept)
	typ := testType(n.TestMetadata.Namespace, n.TestMetadata.Name, strings.HasPrefix(n.AttachedNode, "source."))
	unique := testArgsPart(n.TestMetadata.Args())
	if !strings.HasPrefix(n.Name, typ+"_") || !strings.HasSuffix(n.Name, "_"+unique) || len(n.Name) < len(typ)+len(unique)+2 {
		return n.Name
	}
	ident := n.Name[:len(n.Name)-len(unique)-1]
	h := md5.Sum([]byte(n.Name))
	return ident[:min(30, len(ident))] + "_" + hex.EncodeToString(h[:])
}

// pyStr is str() of a YAML value in Python, as far as a test name keeps
// it (other characters than letters, digits and _ become _).
func pyStr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return x
	case float64:
		switch a := math.Abs(x); {
		case math.IsNaN(x):
			return "nan"
		case math.IsInf(x, 0):
			if x < 0 {
				return "-inf"
			}
			return "inf"
		case a >= 1e16 || a < 1e-4 && a != 0:
			return strconv.FormatFloat(x, 'e', -1, 64) // Python: 1e+16, 1.5e-05
		case x == math.Trunc(x):
			return strconv.FormatFloat(x, 'f', 1, 64) // 1.0
		default:
			return strconv.FormatFloat(x, 'f', -1, 64) // 1234567.5
		}
	case time.Time: // a YAML date or timestamp, as Python prints a date or datetime
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range sortedKeys(x) {
			parts = append(parts, "'"+k+"': "+pyRepr(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyRepr is repr() of a YAML value in Python, as far as a test name
// keeps it.
func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + s + "'"
	}
	return pyStr(v)
}

// bothTestKeys is the error of an entry with both tests: and data_tests:,
// which dbt refuses (one list would silently add to the other).
func bothTestKeys(file string, line int, what string) Diagnostic {
	d := errorf(file, line, 0, "%s has both tests: and data_tests:", what)
	d.Detail = "dbt refuses both on one entry: put them all under data_tests: (tests: is its older name)"
	return d
}

// checkTestKeys reports the entries, columns and source tables of the
// properties files that have both tests: and data_tests:.
func (c *compilation) checkTestKeys() {
	cols := func(file, owner string, columns []*propColumn) {
		for _, col := range columns {
			if len(col.Tests) > 0 && len(col.DataTests) > 0 {
				c.addDiag(bothTestKeys(file, col.Line, fmt.Sprintf("%s column %q", owner, col.Name)))
			}
		}
	}
	for _, p := range c.props {
		for kind, entries := range map[string][]*propEntry{TypeModel: p.Models, TypeSeed: p.Seeds, TypeSnapshot: p.Snapshots} {
			for _, e := range entries {
				owner := fmt.Sprintf("%s %q", kind, e.Name)
				if len(e.Tests) > 0 && len(e.DataTests) > 0 {
					c.addDiag(bothTestKeys(p.file, e.Line, owner))
				}
				cols(p.file, owner, e.Columns)
			}
		}
		for _, s := range p.Sources {
			for _, t := range s.Tables {
				owner := fmt.Sprintf("source %s table %q", s.Name, t.Name)
				if len(t.Tests) > 0 && len(t.DataTests) > 0 {
					c.addDiag(bothTestKeys(p.file, t.Line, owner))
				}
				cols(p.file, owner, t.Columns)
			}
		}
	}
}

// quotesColumns tells whether a source table's columns that do not set
// quote: are quoted (dbt: the table's quoting.column, else its source's).
func quotesColumns(source, table map[string]any) bool {
	if q, ok := table["column"].(bool); ok {
		return q
	}
	q, _ := source["column"].(bool)
	return q
}

// testTarget is what a generic test is attached to.
type testTarget struct {
	node     *Node    // model, seed, snapshot or source
	expr     string   // ref('x') or source('s', 't')
	file     string   // the properties file that declares its tests
	fqn      []string // how its tests' fqn starts: propsFQN of file
	nodeName string
	// quoteColumns: its columns that do not set quote: are quoted (a
	// source table's quoting: {column: true})
	quoteColumns bool
}

// addGenericTests creates a test node for every test declared in YAML.
func (c *compilation) addGenericTests() {
	var todo []pendingTest
	add := func(tt *testTarget, col *propColumn, lists ...[]yaml.Node) {
		todo = c.pendingTests(todo, tt, col, lists...)
	}
	for _, p := range c.props {
		fqn := propsFQN(p.pkg, p.file)
		for kind, entries := range map[string][]*propEntry{TypeModel: p.Models, TypeSeed: p.Seeds, TypeSnapshot: p.Snapshots} {
			for _, e := range entries {
				if vs := c.versions[e.Name]; kind == TypeModel && len(vs) > 0 {
					// each version is tested (dbt: not_null_orders_v2_id)
					for _, v := range sortedKeys(vs) {
						n := vs[v]
						tt := &testTarget{node: n, expr: fmt.Sprintf("ref(%q, v=%q)", e.Name, v), file: p.file, fqn: fqn,
							nodeName: e.Name + "_v" + strings.ReplaceAll(v, ".", "_")}
						own, set, cols := e.versionTests(n.versionSpec)
						if set {
							add(tt, nil, own) // the version's tests replace the model's
						} else {
							add(tt, nil, e.DataTests, e.Tests)
						}
						// the model's columns the version keeps, then its own
						// (dbt's get_columns_for_version: both, for a name in
						// each)
						for _, col := range e.Columns {
							if n.versionSpec.includes(col.Name) {
								add(tt, col, col.DataTests, col.Tests)
							}
						}
						for _, col := range cols {
							add(tt, col, col.DataTests)
						}
					}
					continue
				}
				n := c.byName[e.Name]
				if n == nil || n.ResourceType != kind {
					continue
				}
				if vs := c.shared[kind+":"+e.Name]; len(vs) > 0 && !slices.Contains(entryNodes(p, e, vs), n) {
					continue // the entry's nodes are disabled: their tests too
				}
				todo = c.entryTests(todo, n, fqn, p.file, e)
			}
		}
		for _, s := range p.Sources {
			for _, t := range s.Tables {
				src := c.sources[s.Name+"."+t.Name]
				if src == nil || !src.Enabled() {
					continue // a disabled table's tests are disabled with it, as a disabled model's
				}
				tt := &testTarget{node: src, expr: fmt.Sprintf("source(%q, %q)", s.Name, t.Name), file: p.file, fqn: fqn, nodeName: s.Name + "_" + t.Name,
					quoteColumns: quotesColumns(s.Quoting, t.Quoting)}
				add(tt, nil, t.DataTests, t.Tests)
				for _, col := range t.Columns {
					add(tt, col, col.DataTests, col.Tests)
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
	// build the test nodes in parallel, then keep them in order, reporting
	// problems and duplicates
	built := make([]*Node, len(todo))
	problems := make([]*Diagnostic, len(todo))
	parallel(len(todo), func(i int) {
		built[i], problems[i] = c.genericTest(todo[i].target, todo[i].column, todo[i].spec)
	})
	var tests []*Node
	seen := map[string]*Node{}
	for i, n := range built {
		if problems[i] != nil {
			c.addDiag(*problems[i])
			continue
		}
		if prev := seen[n.UniqueID]; prev != nil {
			c.addDiag(warnf(n.yamlFile, n.yamlLine, 0, "test %s is declared twice (also at line %d)", n.Name, prev.yamlLine))
			continue
		}
		seen[n.UniqueID] = n
		tests = append(tests, n)
	}
	shareConfigs(tests)
	c.nodes = append(c.nodes, tests...)
	parallel(len(tests), func(i int) { c.setRelation(tests[i]) }) // what {{ this }} names while rendering
	c.renderAll(tests)
	parallel(len(tests), func(i int) {
		n := tests[i]
		n.Tags = nodeTags(n)
		c.setRelation(n) // again: config() may have set schema or alias
	})
}

// shareConfigs gives the tests whose configs hold the same keys and
// plain values (strings, booleans, numbers) one map of them: most tests'
// is {materialized: test, severity: ERROR}, and 20,000 maps of it were 5
// MB of a 10k model compile's live heap. Nothing writes a test's config
// in place once it is built: a render copies it before a config() call
// writes it (writableConfig), and a patch's tests are built apart.
func shareConfigs(tests []*Node) {
	shared := map[string]Config{}
	var key []byte
	for _, n := range tests {
		key = key[:0]
		plain := len(n.Config) <= 8
		for _, k := range sortedKeys(n.Config) {
			if !plain {
				break
			}
			// each part with its length: no two configs make one key
			key = appendStr(key, k)
			switch v := n.Config[k].(type) {
			case string:
				key = appendStr(append(key, 's'), v)
			case bool:
				key = appendStr(append(key, 'b'), strconv.FormatBool(v))
			case float64:
				key = appendStr(append(key, 'f'), strconv.FormatFloat(v, 'g', -1, 64))
			case int:
				key = appendStr(append(key, 'i'), strconv.Itoa(v))
			default:
				plain = false
			}
		}
		if !plain {
			continue
		}
		if m, ok := shared[string(key)]; ok {
			n.Config = m
		} else {
			shared[string(key)] = n.Config
		}
	}
}

// pendingTest is a test declared in YAML, its node not yet built.
type pendingTest struct {
	target *testTarget
	column testColumn
	spec   *yaml.Node
}

// pendingTests adds to out the tests of lists, declared on tt's node or
// on one of its columns (col).
func (c *compilation) pendingTests(out []pendingTest, tt *testTarget, col *propColumn, lists ...[]yaml.Node) []pendingTest {
	var tc testColumn
	if col != nil {
		tc = testColumn{name: col.Name, sql: col.Name, tags: col.Tags}
		if col.Quote || !col.QuoteSet && tt.quoteColumns {
			// dbt: a column with quote: true reaches its tests as adapter.quote(name)
			tc.sql = c.dialect.QuoteIdent(col.Name)
		}
	}
	for _, l := range lists {
		for i := range l {
			out = append(out, pendingTest{tt, tc, &l[i]})
		}
	}
	return out
}

// entryTests adds to out the tests that the entry of an unversioned
// model, seed or snapshot (n) in properties file file declares: its own,
// then its columns'. fqn is propsFQN of the file (made once a file: the
// tests' fqns share it).
func (c *compilation) entryTests(out []pendingTest, n *Node, fqn []string, file string, e *propEntry) []pendingTest {
	tt := &testTarget{node: n, expr: fmt.Sprintf("ref(%q)", e.Name), file: file, fqn: fqn, nodeName: e.Name}
	out = c.pendingTests(out, tt, nil, e.DataTests, e.Tests)
	for _, col := range e.Columns {
		out = c.pendingTests(out, tt, col, col.DataTests, col.Tests)
	}
	return out
}

// genericTest builds the node of one test declared in YAML, or says what
// is wrong with the declaration.
// testColumn is the column a generic test is declared under: its name as
// written (the test's name, column_name in the manifest) and as the test's
// SQL sees it (quoted by the dialect when the column says quote: true).
type testColumn struct {
	name, sql string
	tags      []string // the column's tags, which its tests take (nodeTags)
}

func (c *compilation) genericTest(target *testTarget, col testColumn, spec *yaml.Node) (*Node, *Diagnostic) {
	column := col.name
	ts, err := parseTestSpec(spec)
	if err != nil {
		d := errorf(target.file, spec.Line, spec.Column, "%v", err)
		return nil, &d
	}
	// the test is the declaring file's project's, as in dbt: a root
	// project's YAML testing a package's model makes a root project's test
	// (its id, its package, its data_tests: folder config, the vars its
	// YAML config and its SQL read)
	pkg := c.projectOf(target.file).Name
	var raw map[string]any
	if anyString(ts.config, isTemplate) { // as a properties file's config: blocks
		ctx := c.yamlContext(c.project.varsOfPackage(pkg))
		raw = c.renderPropConfig(target.file, ctx, ts.config, nil, spec.Line)
	}
	if anyString(ts.args, argBlock) {
		d := errorf(target.file, spec.Line, spec.Column, "test %s: an argument holds {%% ... %%} or {# ... #}: mart renders the {{ expressions }} of a test's arguments only", ts.name)
		d.Detail = "write the value as one expression, such as \"{{ var('values') }}\" or \"{{ 'a' if target.name == 'prod' else 'b' }}\""
		return nil, &d
	}
	macro := c.testMacro(ts, pkg, target.node.Package)
	if macro == "" {
		var known []string
		for _, m := range c.engine.MacroNames() {
			if strings.HasPrefix(m, "test_") {
				known = append(known, strings.TrimPrefix(m, "test_"))
			}
		}
		d := errorf(target.file, spec.Line, spec.Column, "unknown test %q", ts.name)
		if s := didYouMean(ts.name, known); s != "" {
			d.Detail = s
		} else {
			d.Detail = "define it with {% test " + ts.name + "(model, column_name) %} in macros/ or tests/generic/"
		}
		return nil, &d
	}
	// a test with no argument but its column (most: unique, not_null)
	// keeps its column instead of a map of it (TestMetadata.Args), and
	// its name's arguments' part is the column's (testArgsPart of
	// {column_name: column})
	meta := &TestMetadata{Name: ts.name, Namespace: ts.namespace}
	var args string
	if len(ts.args) == 0 && col.sql != "" {
		meta.column, args = col.sql, identOnly(col.sql)
	} else {
		meta.Kwargs = testKwargs(ts, col.sql)
		args = testArgsPart(meta.Kwargs)
	}
	name := testNameOf(ts, target, args)
	fqn := append(append(make([]string, 0, len(target.fqn)+1), target.fqn...), name)
	// its config: the folders' (data_tests: in the project file), then its
	// own. where: narrows the tested relation from any of them, as dbt's
	// get_where_subquery reads config.get('where'). Its own renders where
	// the test renders, in its context, as its arguments do: the text
	// (which the id hashes) has it as written, so that the id stays when
	// a var it reads changes. A folder's was rendered when the project
	// loaded (with --vars only): the text has it so.
	conf := c.folderConfig(c.project.Package(pkg), "tests", fqn)
	mergeConfig(conf, ts.config)
	where, _ := conf["where"].(string)
	whereExpr := ""
	switch _, own := ts.config["where"]; {
	case where == "":
	case !own:
		whereExpr = strconv.Quote(where)
	case argBlock(where):
		d := errorf(target.file, spec.Line, spec.Column, "test %s: its where: holds {%% ... %%} or {# ... #}: mart renders the {{ expressions }} of a test's where: only", ts.name)
		d.Detail = "write the condition with expressions, such as \"d = '{{ var('day') }}'\""
		return nil, &d
	default:
		var ok bool
		if whereExpr, ok = templateExpr(where); !ok {
			whereExpr = strconv.Quote(where)
		}
	}
	src := c.testTemplate(macro, *target, col.sql, ts, whereExpr)
	// the id's hash (of the file and the text) and the checksum hash a
	// buffer on the stack: 20,000 tests are 6 MB less garbage
	var buf [512]byte
	h := md5.Sum(append(append(append(buf[:0], target.file...), 0), src...))
	var hx [10]byte
	hex.Encode(hx[:], h[:5])
	n := &Node{ResourceType: TypeTest, Name: name, Package: pkg, TestType: "generic",
		UniqueID: "test." + pkg + "." + name + "." + string(hx[:]),
		Path:     target.file, PatchPath: target.file, RawCode: src, Checksum: checksum(append(buf[:0], src...)),
		FQN:     fqn,
		Columns: map[string]*Column{}, Meta: map[string]any{}, ColumnName: column,
		AttachedNode: target.node.UniqueID, yamlFile: target.file, yamlLine: spec.Line,
		TestMetadata: meta, extraTags: col.tags}
	if target.node.ResourceType == TypeSource { // (dbt: its source's and table's tags, then its column's)
		n.extraTags = append(slices.Clip(target.node.Tags), col.tags...)
	}
	if !hasExpr(ts.args) && (whereExpr == "" || whereExpr == strconv.Quote(where)) && !c.overridden(pkg, target.node.ResourceType == TypeSource) {
		n.testCall = &testCall{macro: macro, target: target, column: col.sql, args: ts.args,
			pos: jinja.Pos{File: target.file, Line: spec.Line, Col: spec.Column}}
		n.testCall.where = where
	}
	n.Config = conf
	if len(ts.config) > 0 {
		n.yamlLayers = []configLayer{{conf: ts.config, raw: raw}}
	}
	n.Config["materialized"] = "test"
	if short := testShortName(n); short != n.Name && n.Config["alias"] == nil {
		n.Config["alias"] = short // dbt: the hashed name is its alias
	}
	if n.Config["severity"] == nil {
		n.Config["severity"] = "ERROR"
	}
	n.Config["severity"] = strings.ToUpper(n.Config.String("severity"))
	return n, nil
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

// testCall is a generic test's macro call. When every argument is a plain
// value (no ref() or source() in them) the test renders by calling the
// macro directly, without parsing its template text.
type testCall struct {
	macro  string
	target *testTarget // shared by the tests of a node in a properties file
	column string
	where  string
	args   map[string]any
	pos    jinja.Pos
}

// overridden says a macro replaces ref() (source() for a source's test)
// where a test of package pkg renders (jinja's Engine.Resolve): the
// test then renders its template, whose ref() calls the macro, as dbt's
// does (its model argument is rendered in the test's context).
func (c *compilation) overridden(pkg string, source bool) bool {
	name := "ref"
	if source {
		name = "source"
	}
	if pkg == c.project.Name {
		pkg = ""
	}
	return c.engine.Resolve(pkg, name) != nil
}

// hasExpr reports whether a YAML value holds an argument that renders
// (argExpr): a ref() or source() call, a template.
func hasExpr(v any) bool {
	return anyString(v, func(s string) bool { _, ok := argExpr(s); return ok })
}

// renderTestCall renders a generic test through its testCall.
func (s *scope) renderTestCall(st *renderState, tc *testCall, opt RenderOptions) (jinja.Output, error) {
	if s.builtinTest(tc) && !opt.batched() {
		// the relation's text is all the SQL needs: recorded as ref() or
		// source() records it, without the relation a template would get
		var text string
		st.mu.Lock()
		if n := tc.target.node; n.ResourceType == TypeSource {
			text = st.recordSource(n.SourceName, n.Name, tc.pos)
		} else {
			_, text = st.recordRef(RefCall{Name: n.Name, Version: n.Version}, tc.pos)
		}
		st.mu.Unlock()
		if s.opt.Empty && opt.Mocks == nil { // (as ref() and source() give it: emptied)
			text = emptiedText(text)
		}
		if tc.where != "" {
			text = whereSubquery(text, tc.where)
		}
		return jinja.Output{Text: builtinTestSQL(tc, text), Macros: []string{tc.macro}}, nil
	}
	var model any
	var err error
	if n := tc.target.node; n.ResourceType == TypeSource {
		model, err = s.sourceFunc(st, opt)(tc.pos, []any{n.SourceName, n.Name}, nil)
	} else if n.Version != "" {
		model, err = s.refFunc(st, opt)(tc.pos, []any{n.Name}, map[string]any{"v": n.Version})
	} else {
		model, err = s.refFunc(st, opt)(tc.pos, []any{n.Name}, nil)
	}
	if err != nil {
		return jinja.Output{}, err
	}
	if tc.where != "" {
		model = whereSubquery(jinja.Str(model), tc.where)
	}
	kw := make(map[string]any, len(tc.args)+2)
	for k, v := range tc.args {
		kw[k] = v
	}
	kw["model"] = model
	if tc.column != "" {
		kw["column_name"] = tc.column
	}
	return s.engine.CallLocals(tc.pos, tc.macro, s.renderLocals(st, opt), s.sharedContext(), nil, kw)
}

// whereSubquery is a test's relation narrowed by its where: config, as
// dbt's get_where_subquery writes it.
func whereSubquery(relation, where string) string {
	return "(select * from " + relation + " where " + where + ") dbt_subquery"
}

// builtinTest says a test is one of mart's own unique and not_null tests
// on a column, the most common tests by far, whose SQL builtinTestSQL
// writes as their macros in builtin/tests.sql render it
// (TestBuiltinTestSQL compares the two), at a tenth of the cost. Not
// when the project defines the macro or the test has other arguments.
func (s *scope) builtinTest(tc *testCall) bool {
	if !builtinTestFastPath || tc.column == "" || len(tc.args) > 0 || tc.macro != "test_unique" && tc.macro != "test_not_null" {
		return false
	}
	m := s.engine.Macro(tc.macro)
	return m != nil && m.Builtin()
}

// builtinTestSQL is the SQL of a builtinTest on the relation model.
func builtinTestSQL(tc *testCall, model string) string {
	col := tc.column
	if tc.macro == "test_not_null" {
		return "select " + col + "\nfrom " + model + "\nwhere " + col + " is null"
	}
	return "select\n    " + col + " as unique_field,\n    count(*) as n_records\nfrom " + model +
		"\nwhere " + col + " is not null\ngroup by " + col + "\nhaving count(*) > 1"
}

// builtinTestFastPath is off only in the test that compares the fast path
// with the macros.
var builtinTestFastPath = true

// testTemplate writes the Jinja text that calls a generic test's macro.
func (c *compilation) testTemplate(macro string, tt testTarget, column string, ts *testSpec, whereExpr string) string {
	var b strings.Builder
	b.Grow(64 + len(macro) + len(tt.expr) + len(column))
	b.WriteString("{{ " + macro + "(model=")
	if whereExpr != "" {
		b.WriteString("__where(" + tt.expr + ", " + whereExpr + ")")
	} else {
		b.WriteString(tt.expr)
	}
	if column != "" {
		b.WriteString(", column_name=" + strconv.Quote(column))
	}
	if len(ts.args) > 0 {
		for _, k := range sortedKeys(ts.args) {
			if k == "column_name" && column != "" {
				continue
			}
			if cn, ok := ts.args[k].(string); ok && k == "column_name" {
				b.WriteString(", column_name=" + strconv.Quote(cn)) // (dbt does not render it)
				continue
			}
			b.WriteString(", " + k + "=" + jinjaLiteral(ts.args[k]))
		}
	}
	b.WriteString(") }}")
	return b.String()
}

// addUnitTests creates a node for every unit test declared in YAML.
func (c *compilation) addUnitTests() {
	seen := map[string]*Node{}
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
			n := c.unitTestNode(p.pkg, p.file, u, model, c.states[model.UniqueID])
			if prev := seen[n.UniqueID]; prev != nil {
				// (dbt: a duplicate resource name)
				c.addDiag(errorf(p.file, u.Line, 0, "unit test %q of model %q is declared twice (also in %s at line %d)", u.Name, u.Model, prev.yamlFile, prev.yamlLine))
				continue
			}
			seen[n.UniqueID] = n
			c.nodes = append(c.nodes, n)
		}
	}
}

// unitTestNode makes the node of unit test u of properties file file of
// project proj, which tests model (st: its render), as addUnitTests does;
// the problems it finds in u are diagnostics.
func (c *compilation) unitTestNode(proj *Project, file string, u *propUnit, model *Node, st *renderState) *Node {
	spec := &UnitTestSpec{Model: u.Model}
	if macros, ok := u.Overrides["macros"].(map[string]any); ok {
		spec.Incremental, _ = macros["is_incremental"].(bool)
	}
	for _, g := range u.Given {
		in, err := unitIO(g)
		if err != nil {
			c.addDiag(errorf(file, g.Line, 0, "unit test %q: %v", u.Name, err))
			continue
		}
		// a given the model does not read would leave the real
		// relation in the test, silently
		key, err := InputKey(in.Input)
		if err != nil {
			c.addDiag(errorf(file, g.Line, 0, "unit test %q: %v", u.Name, err))
			continue
		}
		if inputs := modelInputs(st); st != nil && key != "this" && !slices.Contains(inputs.keys, key) {
			d := errorf(file, g.Line, 0, "unit test %q: given %s is not an input of model %q", u.Name, in.Input, model.Name)
			if len(inputs.shown) > 0 {
				d.Summary += " (it reads " + strings.Join(inputs.shown, ", ") + ")"
			}
			c.addDiag(d)
			continue
		}
		spec.Given = append(spec.Given, in)
	}
	exp, err := unitIO(u.Expect)
	if err != nil {
		c.addDiag(errorf(file, u.Expect.Line, 0, "unit test %q: %v", u.Name, err))
	}
	spec.Expect = exp
	n := &Node{ResourceType: TypeUnitTest, Name: u.Name, Package: model.Package, TestType: "unit",
		UniqueID: "unit_test." + model.Package + "." + u.Model + "." + u.Name, Path: file, PatchPath: file,
		FQN: append(propsFQN(proj, file), u.Model, u.Name), Columns: map[string]*Column{}, Meta: map[string]any{},
		Description: u.Description, AttachedNode: model.UniqueID, UnitTest: spec, yamlFile: file, yamlLine: u.Line,
		Checksum: checksum([]byte(fmt.Sprintf("%v", spec)))}
	// the project file's unit_tests: folder configs (enabled, tags,
	// meta), by its fqn, then its own
	n.Config = c.folderConfig(proj, "unit_tests", n.FQN)
	n.Config["materialized"] = "unit"
	mergeConfig(n.Config, u.Config)
	n.Tags = tagsOf(n.Config)
	if n.Tags == nil {
		n.Tags = []string{}
	}
	n.DependsOn.Nodes = []string{model.UniqueID}
	return n
}

// unitInputs are the relations a model reads, as unit test mock keys and
// as a user writes them.
type unitInputs struct {
	keys, shown []string
}

func modelInputs(st *renderState) unitInputs {
	var in unitInputs
	if st == nil {
		return in
	}
	for _, r := range st.refs {
		in.keys = append(in.keys, "ref:"+refKey(r.Name, r.Version))
		s := "ref('" + r.Name + "'"
		if r.Version != "" {
			s += ", v=" + r.Version
		}
		in.shown = append(in.shown, s+")")
	}
	for _, s := range st.sources {
		if len(s) == 2 {
			in.keys = append(in.keys, "source:"+s[0]+"."+s[1])
			in.shown = append(in.shown, "source('"+s[0]+"', '"+s[1]+"')")
		}
	}
	return in
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

// testMacro finds the macro of a generic test declared in project pkg's
// YAML on a node of nodePackage: test_<name> in the named namespace
// (dbt_utils.accepted_range); else for a package's YAML in that package,
// then the root project and mart's; for the root project's YAML testing a
// package's node in the root project and mart's, then that package. It
// returns the macro as Engine.Call names it (package.test_name for a
// package's), or "".
func (c *compilation) testMacro(ts *testSpec, pkg, nodePackage string) string {
	name := "test_" + ts.name
	var search []string
	switch {
	case ts.namespace != "" && ts.namespace != c.project.Name:
		search = []string{ts.namespace}
	case pkg != "" && pkg != c.project.Name: // a package's YAML: its own first
		search = []string{pkg, ""}
	case nodePackage != "" && nodePackage != c.project.Name:
		// the root project's YAML testing a package's node: the root's
		// macro first (dbt's lookup ranks the root project's first), then
		// the package's
		search = []string{"", nodePackage}
	default:
		search = []string{""}
	}
	for _, pkg := range search {
		if c.engine.MacroIn(pkg, name) != nil {
			c.engine.NoteFound(pkg, name) // the tests it makes would change without it
			if pkg == "" {
				return name
			}
			return pkg + "." + name
		}
	}
	return ""
}
