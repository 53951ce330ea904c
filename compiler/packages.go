package compiler

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/deps"
)

// loadPackages reads the projects installed in packages-install-path (by
// `mart deps`, or by hand): each directory holding a dbt_project.yml or
// mart.yml is a package.
func (p *Project) loadPackages() Diagnostics {
	dir := p.PackagesInstallPath
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(p.Dir, dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return p.uninstalled() // no packages
	}
	var diags Diagnostics
	seen := map[string]string{p.Name: p.File}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		// local packages are symbolic links to their directory
		if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		sub := filepath.Join(dir, name)
		if !hasProjectFile(sub) {
			continue
		}
		rel, err := filepath.Rel(p.Dir, sub)
		if err != nil {
			rel = sub
		}
		rel = filepath.ToSlash(rel)
		pkg, pdiags := loadProject(sub, rel, nil)
		diags = append(diags, pdiags...)
		if pkg == nil || pdiags.HasErrors() {
			continue
		}
		pkg.PackageDir = rel
		if prev, dup := seen[pkg.Name]; dup {
			diags = append(diags, errorf(pkg.File, 1, 1, "package %q is also the name of %s: package names must be unique", pkg.Name, prev))
			continue
		}
		seen[pkg.Name] = pkg.File
		p.Packages = append(p.Packages, pkg)
	}
	if len(p.Packages) == 0 {
		diags = append(diags, p.uninstalled()...)
	}
	return diags
}

// uninstalled warns when packages.yml declares packages and none is
// installed.
func (p *Project) uninstalled() Diagnostics {
	specs, err := deps.ReadSpecs(p.Dir)
	if err != nil || len(specs.Packages) == 0 {
		return nil
	}
	d := warnf(specs.File, 1, 1, "%s declares %d package%s, and none is installed in %s", specs.File,
		len(specs.Packages), pluralS(len(specs.Packages)), p.PackagesInstallPath)
	d.Detail = "run mart deps to install them"
	return Diagnostics{d}
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func hasProjectFile(dir string) bool {
	for _, n := range []string{"dbt_project.yml", "mart.yml", "mart.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

// projects returns the root project and its packages, root first.
func (p *Project) projects() []*Project { return append([]*Project{p}, p.Packages...) }

// Package returns the installed package of a name, or nil.
func (p *Project) Package(name string) *Project {
	for _, q := range p.Packages {
		if q.Name == name {
			return q
		}
	}
	return nil
}

// path joins a project-relative path onto the package's directory, so
// that paths are relative to the root project.
func (p *Project) path(rel string) string {
	if p.PackageDir == "" {
		return rel
	}
	return path.Join(p.PackageDir, rel)
}

// parseDispatch reads dispatch: [{macro_namespace: x, search_order: [a, b]}].
func parseDispatch(file string, n *yaml.Node, diags *Diagnostics) map[string][]string {
	var entries []struct {
		Namespace   string   `yaml:"macro_namespace"`
		SearchOrder []string `yaml:"search_order"`
	}
	if err := n.Decode(&entries); err != nil {
		*diags = append(*diags, errorf(file, n.Line, n.Column, "dispatch: expected a list of {macro_namespace: ..., search_order: [...]}: %v", err))
		return nil
	}
	out := map[string][]string{}
	for _, e := range entries {
		if e.Namespace == "" || len(e.SearchOrder) == 0 {
			*diags = append(*diags, errorf(file, n.Line, n.Column, "dispatch: each entry needs macro_namespace and search_order"))
			continue
		}
		out[e.Namespace] = e.SearchOrder
	}
	return out
}

// varsOfPackage is packageVars of the package of a name: the vars of the
// root project's nodes for its own name, "" or an unknown name.
func (p *Project) varsOfPackage(name string) map[string]any { return p.packageVars(p.Package(name)) }

// packageVars returns the vars a package's nodes see: the package's own,
// under the root project's global vars, under the root's vars scoped to
// the package (vars: {package_name: {...}}), under --vars.
func (p *Project) packageVars(pkg *Project) map[string]any {
	if pkg == nil || pkg == p {
		return p.Vars
	}
	out := make(map[string]any, len(pkg.Vars)+len(p.Vars))
	for k, v := range pkg.Vars {
		out[k] = v
	}
	own := p.fileVars
	if own == nil {
		own = p.Vars
	}
	for k, v := range own {
		if p.Package(k) == nil && k != p.Name {
			out[k] = v
		}
	}
	if scoped, ok := own[pkg.Name].(map[string]any); ok {
		for k, v := range scoped {
			out[k] = v
		}
	}
	for k, v := range p.cliVars { // flat, as dbt's: a key named like a package is a var too
		out[k] = v
	}
	return out
}

// folderConfig merges the folder configs that apply to a node of proj (the
// root project or a package): a package's own dbt_project.yml configs
// first, then the root project's, which win.
func (c *compilation) folderConfig(proj *Project, kind string, fqn []string) Config {
	if proj == nil || proj == c.project {
		return Config(c.project.folderConfig(kind, fqn))
	}
	out := proj.folderConfig(kind, fqn)
	mergeConfig(out, c.project.folderConfig(kind, fqn))
	return Config(out)
}

// namespaces are the macro namespaces templates see by name: each
// package's macros (dbt_utils.star(...)) and the root project's under its
// own name (my_project.my_macro()), and by name the package of each (""
// for the root project's).
func (s *scope) namespaces() (map[string]any, map[string]string) {
	out := map[string]any{}
	pkgs := map[string]string{s.project.Name: ""}
	root := map[string]any{}
	for _, name := range s.engine.MacroNames() {
		if m := s.engine.Macro(name); !m.Builtin() {
			root[name] = m
		}
	}
	out[s.project.Name] = root
	for _, pkg := range s.engine.Packages() {
		ns := map[string]any{}
		for _, name := range s.engine.PackageMacros(pkg) {
			ns[name] = s.engine.MacroIn(pkg, name)
		}
		out[pkg] = ns
		pkgs[pkg] = pkg
	}
	return out, pkgs
}

// packageVarFunc is var() for the nodes of a package: its vars under the
// root project's.
func (s *scope) packageVarFunc(pkg string) any {
	if f, ok := s.varFuncs.Load(pkg); ok {
		return f
	}
	f := renderVarFunc(s.project.packageVars(s.project.Package(pkg)))
	s.varFuncs.Store(pkg, f)
	return f
}

// dispatch is adapter.dispatch(name, macro_namespace): the macro that
// implements name for this engine, searched as dbt searches: in the
// namespace's dispatch: search_order when the project gives one; else, for
// an installed package, the root project first and then the package; else
// the namespace alone. In each, <engine>__name comes before default__name.
// dbt's own namespace falls back to mart's cross-database macros.
func (s *scope) dispatch(args []any, kw map[string]any) (any, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("adapter.dispatch() needs the macro's name")
	}
	name := jinja.Str(args[0])
	var ns string
	if len(args) > 1 && args[1] != nil {
		ns = jinja.Str(args[1])
	} else if v, ok := kw["macro_namespace"]; ok && v != nil {
		ns = jinja.Str(v)
	}
	search := s.dispatchOrder(ns)
	adapterName := s.dialect.Name()
	for _, pkg := range search {
		key := pkg
		if pkg == s.project.Name {
			key = ""
		}
		for _, candidate := range []string{adapterName + "__" + name, "default__" + name} {
			if m := s.engine.MacroIn(key, candidate); m != nil && (key != "" || !m.Builtin() || ns == "dbt" || ns == "") {
				s.engine.NoteFound(key, candidate) // handed to the template, which may not call it
				return m, nil
			}
		}
	}
	if ns == "dbt" || ns == "" {
		if f, ok := s.crossdb[name]; ok {
			return f, nil
		}
		if m := s.engine.Macro(name); m != nil {
			s.engine.NoteFound("", name)
			return m, nil
		}
	}
	return nil, fmt.Errorf("adapter.dispatch: no macro %s__%s or default__%s in %s", adapterName, name, name, strings.Join(search, ", "))
}

// dispatchOrder lists the packages adapter.dispatch searches for ns.
func (s *scope) dispatchOrder(ns string) []string {
	switch {
	case len(s.project.Dispatch[ns]) > 0:
		return s.project.Dispatch[ns]
	case ns == "" || ns == s.project.Name:
		return []string{s.project.Name}
	case s.project.Package(ns) != nil, ns == "dbt":
		return []string{s.project.Name, ns}
	}
	return []string{ns}
}
