package compiler

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/mart-dev/mart/compiler/jinja"
)

// resolveRefs maps every ref() and source() call to a node and fills
// depends_on; unknown names are errors that point at the call.
func (c *compilation) resolveRefs() {
	parallel(len(c.nodes), func(i int) {
		n := c.nodes[i]
		st := c.states[n.UniqueID]
		if st == nil || !n.Enabled() {
			return
		}
		deps := map[string]bool{}
		n.Refs = append([]RefCall{}, st.refs...)
		n.Sources = append([][]string{}, st.sources...)
		for _, r := range st.refs {
			t := c.refTarget(refKey(r.Name, r.Version))
			if t == nil || t.ResourceType == TypeTest {
				c.unknownRef(n, r)
				continue
			}
			deps[t.UniqueID] = true
		}
		for _, s := range st.sources {
			src := c.sources[s[0]+"."+s[1]]
			if src == nil {
				c.unknownSource(n, s[0], s[1])
				continue
			}
			deps[src.UniqueID] = true
		}
		n.DependsOn.Nodes = sortedKeys(deps)
		n.DependsOn.Macros = c.macroIDs(st.macros)
		if st.fingerprinted {
			n.Fingerprint = st.fingerprint // partial parsing computed it from the same inputs
		} else {
			n.Fingerprint = c.fingerprint(n, st.macros)
		}
		if n.ResourceType == TypeTest && n.AttachedNode == "" && len(n.DependsOn.Nodes) == 1 {
			n.AttachedNode = n.DependsOn.Nodes[0]
		}
	})
}

// position is where a node called ref() or source() (key "ref:x" or
// "source:s.t"): the call in its file (or in a macro it called), or the
// YAML entry of a generic test.
// macroIDs returns the unique ids of macros, as the manifest lists them.
func (c *compilation) macroIDs(names []string) []string {
	out := make([]string, 0, len(names))
	for _, name := range names {
		if m := c.macroByQualifiedName(name); m != nil {
			out = append(out, macroID(c.project.Name, m))
		}
	}
	sort.Strings(out)
	return out
}

// macroID is a macro's unique id: macro.<project or package>.<name>, or
// macro.mart.<name> for the macros mart ships.
func macroID(project string, m *jinja.Macro) string {
	switch {
	case m.Builtin():
		return "macro.mart." + m.Name
	case m.Package != "":
		return "macro." + m.Package + "." + m.Name
	}
	return "macro." + project + "." + m.Name
}

// macroByQualifiedName finds a macro by its QualifiedName.
func (c *compilation) macroByQualifiedName(name string) *jinja.Macro {
	if pkg, n, ok := strings.Cut(name, "."); ok {
		return c.engine.MacroIn(pkg, n)
	}
	return c.engine.Macro(name)
}

func (c *compilation) position(n *Node, key string) (string, int, int) {
	if n.yamlFile != "" && n.ResourceType == TypeTest && n.TestType == "generic" {
		return n.yamlFile, n.yamlLine, 0
	}
	if n.relationAt[0] > 0 {
		return n.Path, n.relationAt[0], n.relationAt[1]
	}
	if st := c.states[n.UniqueID]; st != nil {
		for _, p := range st.callPos {
			if p.key == key {
				at := p.at
				if at.Site != nil && at.Site.File == n.Path && at.File != n.Path {
					at = *at.Site // made in another file's macro: where the node calls it
				}
				return at.File, at.Line, at.Col
			}
		}
	}
	return n.Path, 1, 1
}

func (c *compilation) unknownRef(n *Node, r RefCall) {
	name := r.Name
	file, line, col := c.position(n, "ref:"+refKey(r.Name, r.Version))
	if vs := c.versions[name]; r.Version != "" && vs != nil || r.Version != "" && c.byName[name] != nil {
		var have []string
		for v := range vs {
			have = append(have, v)
		}
		sort.Slice(have, func(i, j int) bool { return versionLess(have[i], have[j]) })
		what := "is not versioned"
		if len(have) > 0 {
			what = "has versions " + strings.Join(have, ", ")
		}
		c.addDiag(errorf(file, line, col, "%s %q refs version %s of model %q, which %s", n.ResourceType, n.Name, r.Version, name, what))
		return
	}
	for _, a := range c.nodes {
		if a.ResourceType == TypeAnalysis && a.Name == name {
			c.addDiag(errorf(file, line, col, "%s %q refs %q, an analysis (%s): analyses are compiled, never built, so nothing can ref them",
				n.ResourceType, n.Name, name, a.Path))
			return
		}
	}
	if py, ok := c.pythonModels[name]; ok {
		diag := errorf(file, line, col, "%s %q refs %q, a Python model (%s): mart does not run Python models", n.ResourceType, n.Name, name, py)
		diag.Detail = "write " + name + " as a .sql model to build this in mart"
		c.addDiag(diag)
		return
	}
	if d := c.disabled[name]; d != nil {
		diag := errorf(file, line, col, "%s %q refs %s %q, which is disabled", n.ResourceType, n.Name, d.ResourceType, name)
		diag.Detail = fmt.Sprintf("%s sets enabled=false; enable it or remove the ref", d.Path)
		c.addDiag(diag)
		return
	}
	var names []string
	for k, t := range c.byName {
		if t.ResourceType != TypeTest {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	diag := errorf(file, line, col, "%s %q refs %q, which does not exist", n.ResourceType, n.Name, name)
	diag.Detail = didYouMean(name, names)
	c.addDiag(diag)
}

func (c *compilation) unknownSource(n *Node, src, table string) {
	file, line, col := c.position(n, "source:"+src+"."+table)
	var names []string
	for k := range c.sources {
		names = append(names, k)
	}
	sort.Strings(names)
	diag := errorf(file, line, col, "%s %q uses source(%q, %q), which is not declared", n.ResourceType, n.Name, src, table)
	if s := didYouMean(src+"."+table, names); s != "" {
		diag.Detail = s
	} else {
		diag.Detail = "declare it under sources: in a models/*.yml file"
	}
	c.addDiag(diag)
}

// resolveSQL replaces placeholders and inlines ephemeral models as CTEs.
// Ephemeral models come first, one at a time, as their dependents inline
// them; then every other node, in parallel, reading them.
func (c *compilation) resolveSQL() {
	done := map[string]bool{}
	var rest []*Node
	for _, n := range c.nodes {
		st := c.states[n.UniqueID]
		switch {
		case st == nil || !n.Enabled():
		case n.ResourceType == TypeModel && n.Materialized() == "ephemeral":
			if !done[n.UniqueID] {
				n.CompiledCode = c.finalize(n, st, n.CompiledCode, done)
				done[n.UniqueID] = true
			}
		default:
			rest = append(rest, n)
		}
	}
	parallel(len(rest), func(i int) {
		n := rest[i]
		n.CompiledCode = c.finalize(n, c.states[n.UniqueID], n.CompiledCode, done)
	})
	c.resolved = true
}

func cteName(name string) string { return "__mart__cte__" + name }

// finalize resolves one rendering of a node into runnable SQL.
func (s *scope) finalize(n *Node, st *renderState, sql string, done map[string]bool) string {
	return s.finalizeWith(n, st, sql, done, nil)
}

// finalizeWith is finalize where some targets ("ref:x", "source:s.t",
// "this") are replaced by mock CTEs (unit tests): mocks maps the target to
// the CTE's select statement.
func (s *scope) finalizeWith(n *Node, st *renderState, sql string, done map[string]bool, mocks map[string]string) string {
	names, ephemerals, mockCTEs := s.targetNames(n, st, mocks)
	sql = resolvePlaceholders(sql, names)
	if len(ephemerals) == 0 || n.Materialized() == "ephemeral" {
		if len(mockCTEs) > 0 {
			return injectCTEs(sql, mockCTEs)
		}
		return sql
	}
	return injectCTEs(sql, append(mockCTEs, s.ephemeralCTEs(ephemerals, done)...))
}

// targetNames is what each of a render's targets ("ref:x", "source:s.t",
// "this") becomes in its SQL, in the order of st.targets; the ephemeral
// models it refs, whose CTEs go in front; and the mock CTEs of mocks.
func (s *scope) targetNames(n *Node, st *renderState, mocks map[string]string) (names []string, ephemerals []*Node, mockCTEs []string) {
	names = make([]string, len(st.targets))
	for i, key := range st.targets {
		if m, ok := mocks[key]; ok {
			names[i] = mockCTEName(key)
			mockCTEs = append(mockCTEs, names[i]+" as (\n"+m+"\n)")
			continue
		}
		switch {
		case key == "this":
			names[i] = n.Relation
		case strings.HasPrefix(key, "ref:"):
			t := s.refTarget(strings.TrimPrefix(key, "ref:"))
			if t == nil {
				continue
			}
			if t.ResourceType == TypeModel && t.Materialized() == "ephemeral" {
				names[i] = cteName(t.Name)
				ephemerals = append(ephemerals, t)
			} else {
				names[i] = t.Relation
			}
		case strings.HasPrefix(key, "source:"):
			if src := s.sourceTarget(strings.TrimPrefix(key, "source:")); src != nil {
				names[i] = src.Relation
			}
		}
	}
	return names, ephemerals, mockCTEs
}

// ephemeralCTEs are the CTEs of the given ephemeral models and every
// ephemeral model they ref, dependencies first.
func (s *scope) ephemeralCTEs(ephemerals []*Node, done map[string]bool) []string {
	order := s.ephemeralOrder(ephemerals)
	ctes := make([]string, 0, len(order))
	for _, e := range order {
		body := e.CompiledCode
		// once resolveSQL is over, ephemerals hold their final SQL: later
		// renders (build time, from several goroutines) only read it
		if est := s.stateOf(e.UniqueID); est != nil && !done[e.UniqueID] && !s.resolved {
			body = s.finalize(e, est, e.CompiledCode, done)
			e.CompiledCode = body
			done[e.UniqueID] = true
		}
		ctes = append(ctes, cteName(e.Name)+" as (\n"+body+"\n)")
	}
	return ctes
}

// ephemeralOrder is the given ephemeral models and every ephemeral model
// they ref, dependencies first: the order of their CTEs.
func (s *scope) ephemeralOrder(ephemerals []*Node) []*Node {
	var order []*Node
	seen := map[string]bool{}
	var visit func(e *Node)
	visit = func(e *Node) {
		if seen[e.UniqueID] {
			return
		}
		seen[e.UniqueID] = true
		if est := s.stateOf(e.UniqueID); est != nil {
			for _, key := range est.targets {
				if t := s.refTarget(strings.TrimPrefix(key, "ref:")); strings.HasPrefix(key, "ref:") && t != nil &&
					t.ResourceType == TypeModel && t.Materialized() == "ephemeral" {
					visit(t)
				}
			}
		}
		order = append(order, e)
	}
	for _, e := range ephemerals {
		visit(e)
	}
	return order
}

var nonWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9_]+`) })

func mockCTEName(key string) string { return "__mart_unit__" + nonWord().ReplaceAllString(key, "_") }

var leadingWith = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?is)^((?:\s|--[^\n]*\n|/\*.*?\*/)*)with(\s+recursive)?\s`)
})

// injectCTEs puts ephemeral CTEs in front of a query, merging with its own
// WITH clause if it has one.
func injectCTEs(sql string, ctes []string) string {
	list := strings.Join(ctes, ",\n")
	if m := leadingWith().FindStringSubmatchIndex(sql); m != nil {
		head := sql[:m[1]]
		return head + list + ",\n" + sql[m[1]:]
	}
	return "with " + list + "\n" + sql
}
