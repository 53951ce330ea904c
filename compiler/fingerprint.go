package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/compiler/selector"
)

// Fingerprint holds checksums of what a node's compiled SQL depends on
// besides its own text (Node.Checksum): the macros it calls, directly or
// through other macros, and the vars and env vars that its text and those
// macros read. state:modified.macros and state:modified.vars compare them
// with a previous manifest's. Env var values are hashed, and those whose
// names look secret (password, token, key...) are not read at all: no
// value reaches the manifest.
type Fingerprint struct {
	Macros      string   `json:"macros,omitempty"`
	Vars        string   `json:"vars,omitempty"`
	VarNames    []string `json:"var_names,omitempty"`
	EnvVarNames []string `json:"env_var_names,omitempty"`
}

// macroFacts is what the fingerprints need of one macro.
type macroFacts struct {
	checksum string
	vars     []string // var('x') names its text reads
	envVars  []string // env_var('X') names
	volatile bool     // its text may render differently with the same inputs (volatileText)
	graph    bool     // its text names graph (a run loaded from the snapshot has no exact graph)
	flags    bool     // its text may read --full-refresh (namesFullRefresh)
}

// learnMacros records each engine macro's checksum and the vars it reads,
// from its text: the lines from its definition to the next definition of
// its file (or the file's end).
func (c *compilation) learnMacros(files []jinja.File) {
	src := make(map[string]string, len(files))
	for _, f := range files {
		src[f.Path] = f.Src
	}
	byFile := map[string][]*jinja.Macro{}
	for _, name := range c.engine.MacroNames() {
		m := c.engine.Macro(name)
		byFile[m.File] = append(byFile[m.File], m)
	}
	for _, pkg := range c.engine.Packages() {
		for _, name := range c.engine.PackageMacros(pkg) {
			m := c.engine.MacroIn(pkg, name)
			byFile[m.File] = append(byFile[m.File], m)
		}
	}
	c.macroFacts = make(map[string]macroFacts, len(c.engine.MacroNames()))
	for file, ms := range byFile {
		sort.Slice(ms, func(i, j int) bool {
			if ms[i].Line != ms[j].Line {
				return ms[i].Line < ms[j].Line
			}
			return ms[i].Name < ms[j].Name
		})
		lines := strings.SplitAfter(src[file], "\n")
		for i, m := range ms {
			// its text runs to the line before the next macro that starts
			// on a later line; that line too when a block ends on it
			// ({% endmacro %}{% macro b() %}), and every macro that starts on
			// its line shares it: an edit there changes all their checksums.
			// Files where neither happens keep the checksums they always had
			// (state:modified compares with older manifests)
			next := i + 1
			for next < len(ms) && ms[next].Line == m.Line {
				next++
			}
			end := len(lines)
			if next < len(ms) {
				end = ms[next].Line - 1
				if l := ms[next].Line - 1; l >= 0 && l < len(lines) && endsBeforeMacro(lines[l]) {
					end = ms[next].Line
				}
			}
			start := min(max(m.Line-1, 0), len(lines))
			text := strings.Join(lines[start:max(start, min(end, len(lines)))], "")
			if m.Package == "" {
				if c.macroSources == nil {
					c.macroSources = map[string]string{}
				}
				c.macroSources[m.Name] = text
			}
			sum := sha256.Sum256([]byte(text))
			c.macroFacts[m.QualifiedName()] = macroFacts{checksum: hex.EncodeToString(sum[:]),
				vars: scanCalls(text, "var"), envVars: scanCalls(text, "env_var"), volatile: volatileText(text),
				graph: namesWord(text, "graph"), flags: namesFullRefresh(text)}
		}
	}
}

// fingerprint computes a node's fingerprint from the macros its render
// called.
func (c *compilation) fingerprint(n *Node, macros []string) *Fingerprint {
	f := &Fingerprint{}
	var ms *macroSetFacts
	if len(macros) > 0 {
		ms = c.macroSet(macros)
		f.Macros = ms.hash
	}
	nodeVars, nodeEnvs := scanCalls(n.RawCode, "var"), scanCalls(n.RawCode, "env_var")
	if ms != nil {
		nodeVars, nodeEnvs = union(nodeVars, ms.vars), union(nodeEnvs, ms.envVars)
	}
	f.VarNames, f.EnvVarNames = nodeVars, nodeEnvs
	if len(f.VarNames)+len(f.EnvVarNames) > 0 {
		h := sha256.New()
		vars := c.project.varsOfPackage(n.Package) // what the node's var() sees
		for _, v := range f.VarNames {
			val := "<unset>"
			if x, ok := vars[v]; ok {
				b, err := json.Marshal(x)
				if err != nil { // a .nan or .inf in it: with its type, so that .nan is not "nan"
					b, _ = typedAny(nil, x)
				}
				val = string(b)
			}
			h.Write([]byte("var " + v + "=" + val + "\n"))
		}
		for _, e := range f.EnvVarNames {
			h.Write([]byte("env " + e + "=" + envFingerprint(e) + "\n"))
		}
		f.Vars = hex.EncodeToString(h.Sum(nil))
	}
	if f.Macros == "" && f.Vars == "" {
		return nil
	}
	return f
}

// macroSetFacts is what a set of macros adds to a fingerprint: the hash of
// their checksums and the vars and env vars they read.
type macroSetFacts struct {
	hash          string
	vars, envVars []string
	flags         bool // one of them may read --full-refresh
}

// macroSet computes a macro set's facts once: thousands of nodes share a
// set (every not_null test calls test_not_null alone).
func (c *compilation) macroSet(macros []string) *macroSetFacts {
	key := strings.Join(macros, "\x00")
	if v, ok := c.macroSets.Load(key); ok {
		return v.(*macroSetFacts)
	}
	ms := &macroSetFacts{}
	h := sha256.New()
	for _, name := range macros { // sorted by the engine
		facts := c.macroFacts[name]
		h.Write([]byte(name + "=" + facts.checksum + "\n"))
		ms.vars = union(ms.vars, facts.vars)
		ms.envVars = union(ms.envVars, facts.envVars)
		ms.flags = ms.flags || facts.flags
	}
	ms.hash = hex.EncodeToString(h.Sum(nil))
	v, _ := c.macroSets.LoadOrStore(key, ms)
	return v.(*macroSetFacts)
}

// union is the sorted union of two sorted, duplicate-free lists (nil when
// both are empty).
func union(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// envFingerprint stands for an env var's value in a fingerprint: a hash,
// "<unset>", or "<secret>" for names that look secret (their changes do
// not mark nodes modified).
func envFingerprint(name string) string {
	if IsSecretKey(name) {
		return "<secret>"
	}
	v, ok := os.LookupEnv(name)
	if !ok {
		return "<unset>"
	}
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:8])
}

// scanCalls returns the names that calls fn('name', ...) in text pass as
// their first argument (a literal), sorted. A use of fn that is not such a
// call (a computed name: fn('a' ~ b), fn(x); fn as a value) is not seen
// here: nonLiteralCall tells it, and such a text is never cached.
func scanCalls(text, fn string) []string {
	names, _ := literalCalls(text, fn)
	return names
}

// nonLiteralCall reports a use of the name fn (as a whole word, not after
// a dot) that is not a call with a quoted literal name (scanCalls).
func nonLiteralCall(text, fn string) bool {
	_, other := literalCalls(text, fn)
	return other
}

// literalCalls scans text for fn as a whole word, not after a dot: the
// names of its calls fn('name') and fn('name', ...) (spaces and line ends
// allowed around them), sorted, and whether fn is used in any other way.
// One scanner for both keeps what is fingerprinted and what is cached in
// step: a name it does not see makes the text volatile.
func literalCalls(text, fn string) (names []string, other bool) {
	const space = " \t\r\n"
	var seen map[string]bool
	for rest := text; ; {
		i := strings.Index(rest, fn)
		if i < 0 {
			break
		}
		before := byte(' ')
		if i > 0 {
			before = rest[i-1]
		}
		rest = rest[i+len(fn):]
		if isIdentByte(before) || before == '.' || rest != "" && isIdentByte(rest[0]) {
			continue // env_var when looking for var, x.var, variable
		}
		arg := strings.TrimLeft(rest, space)
		if arg == "" || arg[0] != '(' {
			other = true
			continue
		}
		arg = strings.TrimLeft(arg[1:], space)
		if arg == "" || arg[0] != '\'' && arg[0] != '"' {
			other = true
			continue
		}
		end := strings.IndexByte(arg[1:], arg[0])
		if end < 0 {
			other = true
			continue
		}
		name := arg[1 : 1+end]
		if after := strings.TrimLeft(arg[2+end:], space); strings.ContainsRune(name, '\\') || after == "" || after[0] != ',' && after[0] != ')' {
			other = true // 'a' ~ b, an escaped quote: not the literal it looks like
			continue
		}
		if !seen[name] {
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[name] = true
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, other
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// ContractChecksum fingerprints a model's contract when it is enforced:
// its columns' names and data types. "" when no contract is enforced.
func (n *Node) ContractChecksum() string {
	c, _ := n.Config["contract"].(map[string]any)
	if enforced, _ := c["enforced"].(bool); !enforced {
		return ""
	}
	h := sha256.New()
	for _, c := range jsonColumns(n.Columns) {
		h.Write([]byte(c.Name + " " + strings.ToLower(c.DataType) + "\n"))
		// its constraints, as dbt's checksum has them (a not_null added
		// is a contract change)
		if cs := n.Columns[c.Name]; cs != nil && len(cs.Constraints) > 0 {
			h.Write([]byte(canonicalJSON(cs.Constraints) + "\n"))
		}
	}
	// a relation that enforces constraints (a table, an incremental
	// model): its materialization and its model-level constraints too
	if m, _ := n.Config["materialized"].(string); m == "table" || m == "incremental" {
		h.Write([]byte("materialized " + m + "\n"))
		if len(n.Constraints) > 0 {
			h.Write([]byte(canonicalJSON(n.Constraints) + "\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalJSON is v as manifest.json holds it, read back and written
// again: a compile's YAML values and a state's decoded ones give the same
// text (an int and the float64 JSON reads it as; a byte that is not
// UTF-8 and the U+FFFD JSON holds).
func canonicalJSON(v any) string {
	b, err := appendAny(nil, v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var back any
	if json.Unmarshal(b, &back) != nil {
		return string(b)
	}
	if b, err = appendAny(nil, back); err != nil {
		return fmt.Sprint(back)
	}
	return string(b)
}

// jsonColumns are a node's columns, by name, as manifest.json read back
// holds them (selector.JSONText): state:modified compares a compile's
// with a state's read from JSON. A null column (in a state) is one with
// nothing set.
func jsonColumns(cols map[string]*Column) []Column {
	out := make([]Column, 0, len(cols))
	for name, c := range cols {
		col := Column{Name: selector.JSONText(name)}
		if c != nil {
			col.DataType, col.Description = selector.JSONText(c.DataType), selector.JSONText(c.Description)
		}
		out = append(out, col)
	}
	slices.SortFunc(out, func(a, b Column) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// PersistedDocsChecksum fingerprints the descriptions a build writes into
// the warehouse (persist_docs): the node's when persist_docs.relation, its
// columns' when persist_docs.columns. "" when nothing is persisted.
func (n *Node) PersistedDocsChecksum() string {
	p, _ := n.Config["persist_docs"].(map[string]any)
	rel, _ := p["relation"].(bool)
	cols, _ := p["columns"].(bool)
	if !rel && !cols {
		return ""
	}
	h := sha256.New()
	if rel {
		h.Write([]byte(selector.JSONText(n.Description) + "\n"))
	}
	if cols {
		for _, c := range jsonColumns(n.Columns) {
			h.Write([]byte(c.Name + ": " + c.Description + "\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

var (
	endTag   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{%[-+]?\s*end(macro|test|materialization)\b`) })
	macroTag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{%[-+]?\s*(macro|test|materialization)\b`) })
)

// endsBeforeMacro says whether a block ends on a line before the macro
// that starts on it: the line is both macros' text.
func endsBeforeMacro(line string) bool {
	at := macroTag().FindStringIndex(line)
	return at != nil && endTag().MatchString(line[:at[0]])
}
