package compiler

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Project is the parsed project file (mart.yml, or dbt_project.yml when
// mart.yml is absent).
type Project struct {
	Dir  string // absolute project directory
	File string // "mart.yml" or "dbt_project.yml"
	// fileSum is the file's name and the checksum of its text without its
	// vars (settingsSum); wholeSum the checksum of all of it (patch.go)
	fileSum, wholeSum string
	// configTexts is the root project file's models:, seeds:, snapshots:
	// and sources: entries as written, by key, which fileSum leaves out
	// (none when it has none or fileSum does not leave it out:
	// settingsSum)
	configTexts   map[string]string
	cliVars       map[string]any // --vars, which win over any project's vars
	fileVars      map[string]any // the project file's own vars (Vars is them with --vars)
	Name          string
	Profile       string
	ModelPaths    []string
	SeedPaths     []string
	MacroPaths    []string
	TestPaths     []string
	SnapshotPaths []string
	DocsPaths     []string
	AnalysisPaths []string
	TargetPath    string
	Vars          map[string]any
	OnRunStart    []string
	OnRunEnd      []string
	// PackagesInstallPath is where `mart deps` installs packages (default
	// dbt_packages); Packages are the ones installed there, each a project
	// of its own whose PackageDir is its directory relative to this one.
	PackagesInstallPath string
	Packages            []*Project
	PackageDir          string
	// Dispatch is the dispatch: config: the packages adapter.dispatch
	// searches for each macro namespace.
	Dispatch map[string][]string
	// Airflow is the `airflow:` key, for `mart airflow generate` (nil when absent).
	Airflow *Airflow

	configs map[string]*configTree // resource kind (models, seeds, snapshots, tests, sources) -> tree
	// templatedConfigs: a template rendered one of its folder configs
	templatedConfigs bool
	// configsRendered: renderConfigs ran (a rendered value that reads
	// like a template must not render again: a patch may ask twice)
	configsRendered bool
	configDiags     Diagnostics // what it said
}

// configTree holds folder-level configs: conf applies to everything below.
type configTree struct {
	conf     map[string]any
	at       map[string][2]int // where each conf key is written (line, column)
	children map[string]*configTree
	// raw holds the keys whose value a template rendered, as written
	// (folderSubs: what state:modified compares)
	raw map[string]any
}

// renderConfigs renders the Jinja in the folder configs of the project
// file and of each package's, as dbt renders dbt_project.yml when it
// loads it: with var() (which there sees --vars only, not the file's own
// vars:), env_var() and target. Hooks (pre-hook, post-hook) are left as
// written: they render when they run. A config that fails to render is
// an error at its key.
func (p *Project) renderConfigs(target map[string]any, cliVars map[string]any) (diags Diagnostics) {
	if p.configsRendered {
		return p.configDiags
	}
	p.configsRendered = true
	defer func() { p.configDiags = diags }()
	ctx := map[string]any{"var": varFunc(cliVars), "env_var": envVar, "target": target}
	for _, q := range p.projects() {
		for _, kind := range sortedKeys(q.configs) {
			if q.configs[kind].render(q.File, ctx, &diags) {
				q.templatedConfigs = true
			}
		}
	}
	return diags
}

// render renders the tree's values in place and says whether a template
// rendered any of them.
func (t *configTree) render(file string, ctx map[string]any, diags *Diagnostics) (templated bool) {
	for _, k := range sortedKeys(t.conf) {
		if k == "pre_hook" || k == "post_hook" {
			continue
		}
		was := t.conf[k]
		v, err := renderConfigValue(file, was, ctx)
		if err != nil {
			at := t.at[k]
			d := errorf(file, at[0], at[1], "+%s: %s", k, templateMsg(err))
			d.Detail = "the project file's templates see var() of --vars only (not its own vars:, as in dbt), env_var() and target"
			*diags = append(*diags, d)
			continue
		}
		if !renderedSame(v, was) {
			if t.raw == nil {
				t.raw = map[string]any{}
			}
			t.raw[k] = was
		}
		t.conf[k] = v
	}
	for _, name := range sortedKeys(t.children) {
		if t.children[name].render(file, ctx, diags) {
			templated = true
		}
	}
	return templated || len(t.raw) > 0
}

// LoadProject reads mart.yml (or dbt_project.yml) from dir, and the
// packages installed in its packages-install-path.
func LoadProject(dir string, cliVars map[string]any) (*Project, Diagnostics) {
	p, diags := loadProject(dir, "", cliVars)
	if p == nil || diags.HasErrors() {
		return p, diags
	}
	return p, append(diags, p.loadPackages()...)
}

// loadProject reads one project file; label prefixes the file name in
// diagnostics (a package's directory).
func loadProject(dir, label string, cliVars map[string]any) (*Project, Diagnostics) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, Diagnostics{errorf(dir, 0, 0, "cannot resolve project directory: %v", err)}
	}
	p := &Project{Dir: abs, configs: map[string]*configTree{}}
	var data []byte
	for _, name := range projectFiles {
		data, err = os.ReadFile(filepath.Join(abs, name))
		if err == nil {
			p.File = path.Join(label, name)
			break
		}
	}
	if p.File == "" {
		return nil, Diagnostics{{Severity: SevError, File: dir, Summary: "no mart.yml (or dbt_project.yml) found in the project directory",
			Detail: "run mart from a project directory or pass --project-dir"}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Diagnostics{yamlError(p.File, err)}
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, Diagnostics{errorf(p.File, 1, 1, "expected a mapping with at least `name:`")}
	}
	whole := sha256.Sum256(data)
	p.wholeSum = path.Base(p.File) + " " + hex.EncodeToString(whole[:])
	var sum string
	sum, p.configTexts = settingsSum(data, &root, label == "")
	p.fileSum = path.Base(p.File) + " " + sum
	var diags Diagnostics
	top := root.Content[0]
	envCtx := &yamlRender{file: p.File, vars: cliVars}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "name":
			p.Name = envCtx.str(v, &diags)
		case "profile":
			p.Profile = envCtx.str(v, &diags)
		case "model-paths", "source-paths":
			p.ModelPaths = strList(v)
		case "seed-paths", "data-paths":
			p.SeedPaths = strList(v)
		case "macro-paths":
			p.MacroPaths = strList(v)
		case "test-paths":
			p.TestPaths = strList(v)
		case "snapshot-paths":
			p.SnapshotPaths = strList(v)
		case "docs-paths":
			p.DocsPaths = strList(v)
		case "analysis-paths":
			p.AnalysisPaths = strList(v)
		case "target-path":
			p.TargetPath = envCtx.str(v, &diags)
		case "vars":
			var vars map[string]any
			if err := v.Decode(&vars); err != nil {
				diags = append(diags, errorf(p.File, v.Line, v.Column, "vars: expected a mapping: %v", err))
			}
			p.Vars = vars
		case "on-run-start", "on-run-end":
			hooks := hookList(p.File, k.Value, v, &diags)
			if k.Value == "on-run-start" {
				p.OnRunStart = hooks
			} else {
				p.OnRunEnd = hooks
			}
		case "airflow":
			p.Airflow = parseAirflow(p.File, v, &diags)
		case "models", "seeds", "snapshots", "tests", "data_tests", "sources", "unit_tests", "analyses":
			kind := k.Value
			if kind == "data_tests" {
				kind = "tests"
			}
			p.configs[kind] = parseConfigTree(p.File, v, kind, &diags)
		case "packages-install-path":
			p.PackagesInstallPath = envCtx.str(v, &diags)
		case "dispatch":
			p.Dispatch = parseDispatch(p.File, v, &diags)
		default:
			if !unreadProjectKeys[k.Value] {
				diags = append(diags, warnf(p.File, k.Line, k.Column, "unknown key %q in %s ignored", k.Value, p.File))
			}
		}
	}
	if p.Name == "" {
		diags = append(diags, errorf(p.File, 1, 1, "missing `name:` (the project's name)"))
	}
	if p.Profile == "" {
		p.Profile = p.Name
	}
	def := func(xs *[]string, d string) {
		if len(*xs) == 0 {
			*xs = []string{d}
		}
	}
	// dbt joins each path to the project's with os.path.join, so an
	// absolute one stands for itself: the same place, relative to the
	// project (a file outside it has a path with .., as a relative entry
	// like ../shared/models gives)
	for _, xs := range []*[]string{&p.ModelPaths, &p.SeedPaths, &p.MacroPaths, &p.TestPaths, &p.SnapshotPaths, &p.DocsPaths, &p.AnalysisPaths} {
		for i, x := range *xs {
			if filepath.IsAbs(x) {
				if rel, err := filepath.Rel(p.Dir, x); err == nil {
					(*xs)[i] = filepath.ToSlash(rel)
				}
			}
		}
	}
	def(&p.ModelPaths, "models")
	def(&p.SeedPaths, "seeds")
	def(&p.MacroPaths, "macros")
	def(&p.TestPaths, "tests")
	def(&p.SnapshotPaths, "snapshots")
	def(&p.AnalysisPaths, "analyses")
	if p.TargetPath == "" {
		p.TargetPath = "target"
	}
	if p.PackagesInstallPath == "" {
		p.PackagesInstallPath = "dbt_packages"
	}
	if p.Vars == nil {
		p.Vars = map[string]any{}
	}
	p.fileVars = make(map[string]any, len(p.Vars))
	for k, v := range p.Vars {
		p.fileVars[k] = v
	}
	// vars scoped to the project's own name apply to its own nodes, over
	// its global ones (dbt's vars_for: the block of the node's package)
	if own, ok := p.fileVars[p.Name].(map[string]any); ok {
		for k, v := range own {
			p.Vars[k] = v
		}
	}
	for k, v := range cliVars {
		p.Vars[k] = v
	}
	p.cliVars = cliVars
	return p, diags
}

// hookList reads on-run-start or on-run-end as dbt does: a SQL statement
// or a list of them; null or an empty list is none. Anything else (a
// number, a mapping, a list item that is not a string) is an error naming
// its line: it used to run as SQL ("5"), or be dropped without a word.
func hookList(file, key string, n *yaml.Node, diags *Diagnostics) []string {
	deref := func(n *yaml.Node) *yaml.Node {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			return n.Alias
		}
		return n
	}
	// (an anchored string too, unlike properties' isStr: an alias is read
	// through)
	isString := func(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" }
	bad := func(at *yaml.Node) []string {
		*diags = append(*diags, errorf(file, at.Line, at.Column, "%s: expected a SQL statement or a list of them", key))
		return nil
	}
	switch n = deref(n); {
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null":
		return nil
	case isString(n):
		if n.Value == "" {
			return nil
		}
		return []string{n.Value}
	case n.Kind == yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			d := deref(c)
			if !isString(d) {
				return bad(c)
			}
			out = append(out, d.Value)
		}
		return out
	}
	return bad(n)
}

func strList(n *yaml.Node) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == "" {
			return nil
		}
		return []string{n.Value}
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			out = append(out, c.Value)
		}
		return out
	}
	return nil
}

// projectFiles are the names a project file goes by, the first found
// read.
var projectFiles = []string{"mart.yml", "mart.yaml", "dbt_project.yml"}

// unreadProjectKeys are the keys of dbt's project file that mart accepts
// and no compile reads: `flags:` is the command line's (read before the
// compile, into its options), the others are dbt's alone. Editing them is
// no reason to compile the whole project again (settingsSum).
var unreadProjectKeys = map[string]bool{"version": true, "config-version": true, "require-dbt-version": true,
	"clean-targets": true, "log-path": true, "quoting": true, "flags": true, "query-comment": true,
	"restrict-access": true, "asset-paths": true, "semantic-models": true, "saved-queries": true,
	"metrics": true, "exposures": true}

// settingsSum hashes a project file's settings as YAML reads them (each
// key's and value's kind, tag and text, in order: not its comments,
// quotes, layout or lines), without its top-level vars: entry, which a
// patch compares with the vars' values instead (changedVars: a var
// edited in the project file re-renders the nodes that read it, as one
// passed with --vars does), without its on-run-start: and on-run-end:
// hooks (a run's, read from the project at each command) and airflow:
// settings (`mart airflow`'s), and, when models is set (the root project's
// file), without its models:, seeds:, snapshots: and sources: entries,
// which it returns as written, by key: a patch compares each model's
// (seed's, snapshot's, source table's) folder config under it and the
// snapshot's (folderChanges) and makes again the nodes whose config it
// changed. The whole text is hashed (and no
// entry's text returned) when an anchor
// or alias is anywhere (the vars may feed other settings), a directive
// may be (hasDirective), the top
// mapping is in flow style, a top-level key is not plain or is written
// twice, or one of those entries cannot be cut out of the text by its
// lines: another key on its lines, or line ends YAML counts otherwise
// than a split at "\n". Lines may move: what names a line of the file (a
// diagnostic) makes the snapshot compare the whole text (patchKey).
func settingsSum(data []byte, root *yaml.Node, models bool) (sum string, texts map[string]string) {
	top := root.Content[0]
	whole := func() (string, map[string]string) {
		h := sha256.Sum256(data)
		return hex.EncodeToString(h[:]), nil
	}
	if hasAnchors(root) || top.Style&yaml.FlowStyle != 0 || hasDirective(data) {
		return whole()
	}
	h := sha256.New()
	seen := map[string]bool{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Kind != yaml.ScalarNode || seen[k.Value] {
			return whole()
		}
		seen[k.Value] = true
		switch {
		case k.Value == "vars":
			h.Write([]byte("\x00vars\x00"))
		case unreadProjectKeys[k.Value]:
			// read by no compile: not hashed (the lines they take or
			// free move the keys after them: a diagnostic naming one
			// makes the snapshot's key the whole text's, patchKey)
		case k.Value == "on-run-start" || k.Value == "on-run-end" || k.Value == "airflow":
			// hooks are a run's (plan.New, from the project as loaded at
			// each command), the airflow: settings `mart airflow`'s:
			// neither rendered nor written by a compile, adding, editing
			// or removing them is no reason to compile the whole project
			// (what loading them says is the snapshot's LoadDiags)
		case (k.Value == "models" || k.Value == "seeds" || k.Value == "snapshots" || k.Value == "sources") && models:
			// its lines, from its key's (a block mapping's key at the
			// start of its line: no other key shares them) to the next
			// key's, or the end
			from, to := k.Line, 0
			if i+2 < len(top.Content) {
				to = top.Content[i+2].Line
			}
			if k.Column != 1 || from == to || !plainLineEnds(data) {
				return whole()
			}
			lines := bytes.SplitAfter(data, []byte("\n"))
			if to == 0 || to > len(lines)+1 {
				to = len(lines) + 1
			}
			if texts == nil {
				texts = map[string]string{}
			}
			texts[k.Value] = string(bytes.Join(lines[from-1:to-1], nil))
		default:
			yamlSum(h, k)
			yamlSum(h, v)
		}
	}
	sum = "settings " + hex.EncodeToString(h.Sum(nil))
	return sum, texts
}

// hasDirective tells whether a YAML text may hold a directive (a line
// starting with %): a %TAG directive changes what a tag handle in the
// text resolves to, which neither yamlSum's tags (a directive edited with
// the text kept) nor the models: text cut out of the file (parsed without
// it: modelsTree) would show (found by review).
func hasDirective(data []byte) bool {
	return bytes.HasPrefix(data, []byte("%")) || bytes.Contains(data, []byte("\n%")) || bytes.Contains(data, []byte("\r%"))
}

// yamlSum feeds a YAML tree to h as a decoder reads it: each node's
// kind, tag and value, and its children, without comments, styles or
// positions.
func yamlSum(h hash.Hash, n *yaml.Node) {
	fmt.Fprintf(h, "%d %s %d:%s %d\n", n.Kind, n.ShortTag(), len(n.Value), n.Value, len(n.Content))
	for _, c := range n.Content {
		yamlSum(h, c)
	}
}

// plainLineEnds tells whether a text ends its lines only where YAML and a
// split at "\n" agree: LF or CRLF, no lone CR (nor "\r\r\n") and no
// NEL, LS or PS, which YAML counts as line ends too.
func plainLineEnds(data []byte) bool {
	for i, b := range data {
		if b == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			return false
		}
	}
	return !bytes.Contains(data, []byte("\u0085")) && !bytes.Contains(data, []byte("\u2028")) && !bytes.Contains(data, []byte("\u2029"))
}

// hasAnchors tells whether a YAML tree has an anchor, an alias or a merge
// key anywhere.
func hasAnchors(n *yaml.Node) bool {
	if n.Anchor != "" || n.Kind == yaml.AliasNode || n.Tag == "!!merge" {
		return true
	}
	for _, c := range n.Content {
		if hasAnchors(c) {
			return true
		}
	}
	return false
}

func yamlError(file string, err error) Diagnostic {
	msg := err.Error()
	line := 0
	// yaml.v3 messages look like "yaml: line 7: mapping values are not allowed in this context"
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i:], "line %d", &line)
		if j := strings.Index(msg[i:], ": "); j >= 0 {
			msg = msg[i+j+2:]
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := unmarshalRE().FindStringSubmatch(msg); m != nil {
		// a value of the wrong kind: said in YAML's terms, not Go's
		return errorf(file, line, 0, "expected %s here, found %s", yamlKindOf(m[3]), yamlFound(m[1], m[2]))
	}
	d := errorf(file, line, 0, "invalid YAML: %s", msg)
	if line > 0 && !strings.Contains(err.Error(), "unmarshal errors") && !yamlScannerProblems[msg] {
		// yaml.v3 reports a parser error at the 0-based line of the block
		// it was reading, not at the line that broke it
		d.Line = line + 1
		d.Detail = "the problem is in the YAML block that starts on this line"
	}
	return d
}

// unmarshalRE matches yaml.v3's message for a value of the wrong kind:
// its tag, its text (scalars) and the Go type it could not go into.
var unmarshalRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile("cannot unmarshal (!!\\w+)(?: `([^`]*)`)? into (.+)$")
})

// yamlKindOf says what a Go type a YAML value decodes into takes.
func yamlKindOf(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map[") || strings.HasPrefix(goType, "compiler.") || strings.HasPrefix(goType, "struct"):
		return "a mapping"
	case goType == "string":
		return "text"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint") || strings.HasPrefix(goType, "float"):
		return "a number"
	}
	return "a value of another kind"
}

// yamlFound says what a YAML value with tag is (text: a scalar's).
func yamlFound(tag, text string) string {
	switch tag {
	case "!!map":
		return "a mapping"
	case "!!seq":
		return "a list"
	case "!!str":
		return "text `" + text + "`"
	}
	return "`" + text + "`"
}

// yamlScannerProblems are the messages of yaml.v3's scanner, which reports
// the (1-based) line of the problem itself.
var yamlScannerProblems = map[string]bool{}

func init() {
	for _, m := range []string{"block sequence entries are not allowed in this context", "could not find expected ':'",
		"could not find expected directive name", "did not find expected alphabetic or numeric character",
		"did not find expected comment or line break", "did not find expected digit or '.' character",
		"did not find expected hexdecimal number", "did not find expected version number",
		"did not find expected whitespace or line break", "did not find expected whitespace", "did not find the expected '>'",
		"found a tab character that violates indentation", "found a tab character where an indentation space is expected",
		"found an indentation indicator equal to 0", "found character that cannot start any token",
		"found extremely long version number", "found invalid Unicode character escape code",
		"found unexpected document indicator", "found unexpected end of stream", "found unexpected non-alphabetical character",
		"found unknown directive name", "found unknown escape character", "mapping keys are not allowed in this context",
		"mapping values are not allowed in this context"} {
		yamlScannerProblems[m] = true
	}
}

// parseConfigTree reads a folder-config block such as
// `models: {soda: {staging: {+materialized: view}}}`.
func parseConfigTree(file string, n *yaml.Node, kind string, diags *Diagnostics) *configTree {
	t := &configTree{conf: map[string]any{}, at: map[string][2]int{}, children: map[string]*configTree{}}
	if n.Kind != yaml.MappingNode {
		if n.Kind != yaml.ScalarNode || n.Value != "" {
			*diags = append(*diags, errorf(file, n.Line, n.Column, "%s: expected a mapping of folders and configs", kind))
		}
		return t
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		plus := strings.HasPrefix(key, "+")
		name := normalizeConfigKey(strings.TrimPrefix(key, "+"))
		if plus || (knownConfig[name] && (v.Kind != yaml.MappingNode || dictConfig[name])) {
			var val any
			if err := v.Decode(&val); err != nil {
				*diags = append(*diags, errorf(file, v.Line, v.Column, "%s: %v", key, err))
				continue
			}
			if !knownConfig[name] {
				d := warnf(file, k.Line, k.Column, "unknown config key %q", strings.TrimPrefix(key, "+"))
				d.Detail = didYouMean(name, knownConfigNames())
				*diags = append(*diags, d)
			}
			t.conf[name] = val
			t.at[name] = [2]int{k.Line, k.Column}
			continue
		}
		if v.Kind != yaml.MappingNode {
			d := warnf(file, k.Line, k.Column, "unknown config key %q (a folder needs a mapping below it)", key)
			d.Detail = didYouMean(name, knownConfigNames())
			*diags = append(*diags, d)
			continue
		}
		t.children[key] = parseConfigTree(file, v, kind, diags)
	}
	return t
}

// folderPath calls visit with each folder-config tree that applies to a
// node with the given fqn (package, folders..., name), outermost first.
func (p *Project) folderPath(kind string, fqn []string, visit func(*configTree)) {
	t := p.configs[kind]
	if t == nil {
		return
	}
	visit(t)
	path := fqn
	if len(path) > 0 {
		if c, ok := t.children[path[0]]; ok {
			t = c
			visit(t)
		}
		path = path[1:]
	}
	for _, part := range path {
		c, ok := t.children[part]
		if !ok {
			break
		}
		t = c
		visit(t)
	}
}

// folderConfig merges the folder configs that apply to a node with the
// given fqn, outermost first.
func (p *Project) folderConfig(kind string, fqn []string) map[string]any {
	out := map[string]any{}
	p.folderPath(kind, fqn, func(t *configTree) { mergeConfig(out, t.conf) })
	return out
}

// folderWritten is folderConfig with each templated value as written, and
// the keys a template set on the node's path (none: the result is
// folderConfig's).
func (p *Project) folderWritten(kind string, fqn []string) (map[string]any, []string) {
	out := map[string]any{}
	var templated []string
	p.folderPath(kind, fqn, func(t *configTree) {
		if len(t.raw) == 0 {
			mergeConfig(out, t.conf)
			return
		}
		written := make(map[string]any, len(t.conf))
		for k, v := range t.conf {
			written[k] = v
		}
		for k, v := range t.raw {
			written[k] = v
			templated = append(templated, k)
		}
		mergeConfig(out, written)
	})
	return out, templated
}

// folderConfigAt returns where the folder config that sets key for a node
// of the given fqn is written (the innermost folder that sets it).
func (p *Project) folderConfigAt(kind string, fqn []string, key string) (line, col int, ok bool) {
	t := p.configs[kind]
	if t == nil {
		return 0, 0, false
	}
	found := func(t *configTree) {
		if at, set := t.at[key]; set {
			line, col, ok = at[0], at[1], true
		}
	}
	found(t)
	for i, part := range fqn {
		c, exists := t.children[part]
		if !exists {
			if i == 0 {
				continue // the project's own name may be left out
			}
			break
		}
		t = c
		found(t)
	}
	return line, col, ok
}

// sortedKeys returns the keys of a map, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// targetDir is the project's target directory, as an OS path.
func (p *Project) targetDir() string {
	if filepath.IsAbs(p.TargetPath) {
		return p.TargetPath
	}
	return filepath.Join(p.Dir, p.TargetPath)
}
