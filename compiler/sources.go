package compiler

import "strings"

// renderField renders {{ target.* }}, var() and env_var() in a source's
// database, schema or identifier, as dbt does (e.g. schema:
// "{{ target.schema }}_raw", so one project works on every target).
func (c *compilation) renderField(file string, line int, v string) string {
	if !strings.Contains(v, "{{") {
		return v
	}
	tpl, err := plainEngine.Parse(file, v)
	if err == nil {
		var out string
		out, err = tpl.Render(map[string]any{"env_var": envVar, "var": varFunc(c.project.Vars), "target": c.targetValue})
		if err == nil {
			return strings.TrimSpace(out)
		}
	}
	c.addDiag(errorf(file, line, 0, "%v", err))
	return v
}

// loadSources turns `sources:` YAML entries into source nodes.
func (c *compilation) loadSources() {
	for _, p := range c.props {
		for _, s := range p.Sources {
			if s.Name == "" {
				c.addDiag(errorf(p.file, s.Line, 0, "source entry without `name:`"))
				continue
			}
			for _, t := range s.Tables {
				if t.Name == "" {
					c.addDiag(errorf(p.file, t.Line, 0, "table entry of source %q without `name:`", s.Name))
					continue
				}
				key := s.Name + "." + t.Name
				if prev, ok := c.sources[key]; ok {
					c.addDiag(errorf(p.file, t.Line, 0, "source table %s is declared twice (also in %s)", key, prev.PatchPath))
					continue
				}
				n := &Node{ResourceType: TypeSource, Name: t.Name, SourceName: s.Name, Package: p.pkg.Name,
					UniqueID: "source." + p.pkg.Name + "." + key, Path: p.file, PatchPath: p.file,
					FQN: []string{p.pkg.Name, s.Name, t.Name}, Columns: columnsFrom(c, p.file, t.Columns),
					Meta: map[string]any{}, yamlFile: p.file, yamlLine: t.Line}
				n.Config = c.folderConfig(p.pkg, "sources", n.FQN)
				mergeConfig(n.Config, s.Config)
				mergeConfig(n.Config, t.Config)
				mergeConfig(n.Config, map[string]any{"tags": append(append([]string{}, s.Tags...), t.Tags...)})
				n.Tags = tagsOf(n.Config)
				n.Description = c.renderDescription(p.file, t.Line, firstNonEmpty(t.Description, s.Description))
				n.Database = firstNonEmpty(c.renderField(p.file, s.Line, s.Database), c.target.Database)
				n.Schema = firstNonEmpty(c.renderField(p.file, s.Line, s.Schema), s.Name)
				n.Identifier = firstNonEmpty(c.renderField(p.file, t.Line, t.Identifier), t.Name)
				n.Alias = n.Identifier
				n.LoadedAtField = firstNonEmpty(t.LoadedAtField, s.LoadedAtField)
				n.Extract = c.extractBlock(p.file, s, t, n)
				n.Freshness = c.freshnessOf(p.file, s, t)
				n.Database = c.databaseFor(n.Database, n.Schema)
				n.Relation = c.relationName(n.Database, n.Schema, n.Identifier)
				n.Checksum = checksum([]byte(n.Relation))
				if s.Meta != nil || t.Meta != nil {
					mergeConfig(n.Meta, s.Meta)
					mergeConfig(n.Meta, t.Meta)
				}
				c.sources[key] = n
			}
		}
	}
}

// extractBlock merges a source's and a table's `extract:` mappings (the
// table's keys win). The values stay as written: they are read by `mart
// extract`, which renders env_var() in them when it runs.
func (c *compilation) extractBlock(file string, s *propSource, t *propTable, n *Node) map[string]any {
	var out map[string]any
	for _, b := range []struct {
		v    any
		line int
		at   map[string][2]int
	}{{s.Extract, s.Line, s.ExtractAt}, {t.Extract, t.Line, t.ExtractAt}} {
		if b.v == nil {
			continue
		}
		m, ok := b.v.(map[string]any)
		if !ok {
			c.addDiag(errorf(file, b.line, 0, "extract: expected a mapping such as {from: postgres, dsn: ...}, got %v", b.v))
			continue
		}
		if out == nil {
			out = make(map[string]any, len(m))
		}
		for k, v := range m {
			out[k] = v
			if at, ok := b.at[k]; ok {
				if n.extractAt == nil {
					n.extractAt = map[string][2]int{}
				}
				n.extractAt[k] = at
			}
		}
	}
	return out
}
