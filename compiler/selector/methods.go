package selector

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

// matcher reports whether node i of the index is matched by an atom.
type matcher func(i int) bool

// methodSpec describes one method:value selector method.
type methodSpec struct {
	takesArgs bool // config.<key>
	// check validates the value at parse time: it returns an offset into the
	// value and a message, or "" when the value is fine.
	check func(value string) (int, string)
	// compile turns an atom into a matcher over ix.
	compile func(a *Atom, ix *index) matcher
}

var methods = map[string]methodSpec{
	"fqn":           {compile: func(a *Atom, ix *index) matcher { return fqnMatcher(a.Value, ix) }},
	"path":          {check: checkPath, compile: func(a *Atom, ix *index) matcher { return pathMatcher(a.Value, ix) }},
	"file":          {compile: func(a *Atom, ix *index) matcher { return fileMatcher(a.Value, ix) }},
	"tag":           {compile: tagMatcher},
	"config":        {takesArgs: true, compile: configMatcher},
	"source":        {check: checkDotted(3, "source_name, source_name.table_name or package.source_name.table_name"), compile: sourceMatcher},
	"resource_type": {check: checkOneOf("resource type", resourceTypes), compile: resourceTypeMatcher},
	"test_type":     {check: checkOneOf("test type", testTypes), compile: testTypeMatcher},
	"package":       {compile: packageMatcher},
	"state":         {check: checkOneOf("state", stateValues), compile: stateMatcher},
	"source_status": {check: checkOneOf("source status", []string{"fresher"}), compile: sourceStatusMatcher},
	"result":        {compile: resultMatcher},
	"unique_id":     {compile: uniqueIDMatcher},
	"group":         {compile: groupMatcher},
	"access":        {check: checkOneOf("access", accessValues), compile: accessMatcher},
	"unit_test":     {check: checkDotted(2, "unit_test_name or package.unit_test_name"), compile: unitTestMatcher},
	"version":       {check: checkOneOf("version", []string{"latest", "prerelease", "old", "none"}), compile: versionMatcher},
	"selector":      {}, // (its compile is set by init: it evaluates definitions)
}

func init() { methods["selector"] = methodSpec{compile: selectorMatcher} }

// methodNames lists the supported methods, sorted, for error messages.
var methodNames = func() []string {
	names := make([]string, 0, len(methods))
	for name := range methods {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}()

// unsupportedMethods are dbt methods mart knows of but cannot evaluate.
var unsupportedMethods = map[string]string{
	"test_name":      "the selection graph has no generic-test metadata",
	"exposure":       "mart has no exposures",
	"metric":         "mart has no metrics",
	"semantic_model": "mart has no semantic models",
	"saved_query":    "mart has no saved queries",
}

var (
	resourceTypes = []string{"analysis", "doc", "exposure", "fixture", "group", "macro", "metric", "model",
		"operation", "rpc", "saved_query", "seed", "semantic_model", "snapshot", "source", "sql_operation",
		"test", "unit_test"}
	testTypes   = []string{"generic", "singular", "unit", "data", "schema"}
	stateValues = []string{"new", "old", "modified", "modified.body", "modified.configs", "modified.relation", "modified.macros",
		"modified.vars", "modified.contract", "modified.persisted_descriptions", "unmodified"}
	accessValues = []string{"public", "protected", "private"}
)

func (s methodSpec) validate(a *Atom) (int, string) {
	if s.check == nil {
		return 0, ""
	}
	return s.check(a.Value)
}

func checkOneOf(what string, valid []string) func(string) (int, string) {
	return func(v string) (int, string) {
		if slices.Contains(valid, v) {
			return 0, ""
		}
		return 0, fmt.Sprintf("unknown %s %q;%s expected one of: %s", what, v, suggest(v, valid), strings.Join(valid, ", "))
	}
}

// checkDotted accepts values of 1..most dot-separated, non-empty parts.
func checkDotted(most int, form string) func(string) (int, string) {
	return func(v string) (int, string) {
		parts := strings.Split(v, ".")
		if len(parts) > most {
			return 0, fmt.Sprintf("expected %s, got %d dotted parts", form, len(parts))
		}
		at := 0
		for _, p := range parts {
			if p == "" {
				return at, fmt.Sprintf("expected %s, got an empty part", form)
			}
			at += len(p) + 1
		}
		return 0, ""
	}
}

func checkPath(v string) (int, string) {
	if strings.HasPrefix(v, "/") {
		return 0, "expected a path relative to the project root, got an absolute path"
	}
	return 0, ""
}

// fqnMatcher is dbt's default method: the name (last FQN part) or an FQN
// prefix, with or without the package name. Sources are never matched.
func fqnMatcher(value string, ix *index) matcher {
	name := compileGlob(value)
	parts := compileGlobs(strings.Split(value, "."))
	flat := ix.flatFQN()
	return func(i int) bool {
		n := ix.nodes[i]
		if n.ResourceType == "source" {
			return false
		}
		if name.match(n.Name) || (len(n.FQN) > 0 && name.match(n.FQN[len(n.FQN)-1])) {
			return true
		}
		if w, ok := versionWord(n); ok && name.match(w) {
			return true
		}
		f := flat[i]
		if fqnPrefix(f, parts) {
			return true
		}
		if len(n.FQN) == 0 {
			return false
		}
		skip := strings.Count(n.FQN[0], ".") + 1
		return skip <= len(f) && fqnPrefix(f[skip:], parts)
	}
}

// versionWord is a version of a model as dbt's selectors also name it:
// its fqn's last two parts joined by "_" (dim_customers_v2).
func versionWord(n *Node) (string, bool) {
	if n.Version == "" || len(n.FQN) < 2 {
		return "", false
	}
	return n.FQN[len(n.FQN)-2] + "_" + n.FQN[len(n.FQN)-1], true
}

// pathMatcher selects nodes whose file is the path or lies below it.
func pathMatcher(value string, ix *index) matcher {
	p := path.Clean(value)
	if p == "." {
		return func(int) bool { return true }
	}
	if g := compileGlob(p); !g.meta {
		return func(i int) bool {
			np := ix.nodes[i].Path
			return np == p || (len(np) > len(p) && np[len(p)] == '/' && strings.HasPrefix(np, p))
		}
	}
	var segs []glob
	for _, s := range strings.Split(p, "/") {
		if s != "**" || len(segs) == 0 || segs[len(segs)-1].pat != "**" {
			segs = append(segs, compileGlob(s))
		}
	}
	return func(i int) bool {
		np := ix.nodes[i].Path
		return np != "" && pathPrefix(segs, strings.Split(np, "/"))
	}
}

// fileMatcher matches the file name, with or without its extension.
func fileMatcher(value string, ix *index) matcher {
	g := compileGlob(value)
	return func(i int) bool {
		np := ix.nodes[i].Path
		if np == "" {
			return false
		}
		base := path.Base(np)
		return g.match(base) || g.match(strings.TrimSuffix(base, path.Ext(base)))
	}
}

func tagMatcher(a *Atom, ix *index) matcher {
	g := compileGlob(a.Value)
	return func(i int) bool { return g.matchAny(ix.nodes[i].Tags) }
}

func sourceMatcher(a *Atom, ix *index) matcher {
	parts := strings.Split(a.Value, ".")
	pkg, src, table := "*", parts[0], "*"
	switch len(parts) {
	case 2:
		table = parts[1]
	case 3:
		pkg, src, table = parts[0], parts[1], parts[2]
	}
	gp, gs, gt := compileGlob(pkg), compileGlob(src), compileGlob(table)
	return func(i int) bool {
		n := ix.nodes[i]
		return n.ResourceType == "source" && gp.match(n.Package) && gs.match(n.SourceName) && gt.match(n.Name)
	}
}

func resourceTypeMatcher(a *Atom, ix *index) matcher {
	return func(i int) bool { return ix.nodes[i].ResourceType == a.Value }
}

func testTypeMatcher(a *Atom, ix *index) matcher {
	return func(i int) bool {
		n := ix.nodes[i]
		if a.Value == "unit" {
			return n.ResourceType == "unit_test"
		}
		if n.ResourceType != "test" {
			return false
		}
		switch a.Value {
		case "generic", "schema":
			return n.TestType == "generic"
		case "singular":
			return n.TestType == "singular"
		}
		return n.TestType == "generic" || n.TestType == "singular" // "data", as dbt
	}
}

func packageMatcher(a *Atom, ix *index) matcher {
	g := compileGlob(a.Value)
	return func(i int) bool { return g.match(ix.nodes[i].Package) }
}

func uniqueIDMatcher(a *Atom, ix *index) matcher {
	g := compileGlob(a.Value)
	if !g.meta {
		p, ok := ix.position(a.Value)
		return func(i int) bool { return ok && i == int(p) }
	}
	return func(i int) bool { return g.match(ix.ids[i]) }
}

func groupMatcher(a *Atom, ix *index) matcher {
	g := compileGlob(a.Value)
	return func(i int) bool {
		s, ok := ix.nodes[i].Config["group"].(string)
		return ok && g.match(s)
	}
}

// accessMatcher matches models by config access (default "protected").
func accessMatcher(a *Atom, ix *index) matcher {
	return func(i int) bool {
		n := ix.nodes[i]
		if n.ResourceType != "model" {
			return false
		}
		s, ok := n.Config["access"].(string)
		if !ok {
			s = "protected"
		}
		return s == a.Value
	}
}

// versionMatcher matches models by version: latest, prerelease (newer
// than the latest), old (older) or none (not versioned).
func versionMatcher(a *Atom, ix *index) matcher {
	return func(i int) bool {
		n := ix.nodes[i]
		if n.ResourceType != "model" {
			return false
		}
		if n.Version == "" {
			return a.Value == "none"
		}
		switch a.Value {
		case "latest":
			return n.Version == n.LatestVersion
		case "prerelease":
			return versionLess(n.LatestVersion, n.Version)
		case "old":
			return versionLess(n.Version, n.LatestVersion)
		}
		return false
	}
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

func unitTestMatcher(a *Atom, ix *index) matcher {
	pkg, name := "*", a.Value
	if k := strings.IndexByte(a.Value, '.'); k >= 0 {
		pkg, name = a.Value[:k], a.Value[k+1:]
	}
	gp, gn := compileGlob(pkg), compileGlob(name)
	return func(i int) bool {
		n := ix.nodes[i]
		return n.ResourceType == "unit_test" && gp.match(n.Package) && gn.match(n.Name)
	}
}
