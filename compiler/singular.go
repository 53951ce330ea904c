package compiler

// describeSingularTests applies the data_tests: entries of properties
// files to the singular tests they name (dbt's SingularTestPatchParser):
// the entry's description and config (under the test's own config()
// calls, which render after, as dbt has it), and the file as the test's
// patch_path. index holds the nodes by type and name (applyPatches'),
// before generic tests are made: its tests are singular ones.
func (c *compilation) describeSingularTests(index map[string]*Node) {
	for _, p := range c.props {
		for _, e := range p.DataTests {
			n := index[TypeTest+":"+e.Name]
			if n == nil || n.TestType != "singular" || n.Package != p.pkg.Name {
				d := warnf(p.file, e.Line, 0, "singular test %q is described here but no such test exists in %s", e.Name, p.pkg.Name)
				var names []string
				for _, t := range c.nodes {
					if t.ResourceType == TypeTest && t.TestType == "singular" && t.Package == p.pkg.Name {
						names = append(names, t.Name)
					}
				}
				d.Detail = didYouMean(e.Name, names)
				c.addDiag(d)
				continue
			}
			if n.PatchPath != "" {
				// dbt applies each (no duplicate check): the last one's
				// description, both configs (found by review)
				d := warnf(p.file, e.Line, 0, "singular test %q is described twice (also in %s): both apply, this description", e.Name, n.PatchPath)
				c.addDiag(d)
			}
			n.PatchPath = p.file
			n.yamlFile, n.yamlLine = p.file, e.Line
			n.Description = c.renderDescription(p.file, e.Line, e.Description)
			// what dbt's entry holds besides (meta:, docs:, data_type:,
			// constraints:) it reads nothing of; anything else is unknown
			if len(e.Columns) > 0 {
				c.addDiag(unknownTestProperty(p.file, e.Line, "columns", e.Name))
			}
			if len(e.Tests) > 0 || len(e.DataTests) > 0 {
				c.addDiag(unknownTestProperty(p.file, e.Line, "data_tests", e.Name))
			}
			for k := range e.Rest {
				if k != "data_type" && k != "constraints" {
					c.addDiag(unknownTestProperty(p.file, e.Line, k, e.Name))
				}
			}
			for k := range e.Config {
				if !knownConfig[normalizeConfigKey(k)] {
					d := warnf(p.file, e.Line, 0, "unknown config key %q on singular test %q", k, e.Name)
					d.Detail = didYouMean(k, knownConfigNames())
					c.addDiag(d)
				}
			}
			mergeConfig(n.Config, e.Config)
			n.yamlLayers = append(n.yamlLayers, configLayer{conf: e.Config, raw: e.ConfigRaw})
		}
	}
}

func unknownTestProperty(file string, line int, key, name string) Diagnostic {
	d := warnf(file, line, 0, "unknown property %q on singular test %q", key, name)
	d.Detail = didYouMean(key, []string{"name", "description", "config", "meta", "docs"})
	return d
}
