package compiler

import (
	"fmt"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// renderField renders {{ target.* }}, var() and env_var() in a source's
// database, schema or identifier, as dbt does (e.g. schema:
// "{{ target.schema }}_raw", so one project works on every target).
func (c *compilation) renderField(file string, line int, v string, vars map[string]any) string {
	if !descJinja(v) { // ({% and {# render too, as dbt renders them)
		return v
	}
	tpl, err := plainEngine.Parse(file, v)
	if err == nil {
		var out string
		out, err = tpl.Render(c.yamlContext(vars))
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
		var vars map[string]any // the package's, made once a file
		if len(p.Sources) > 0 {
			vars = c.project.packageVars(p.pkg)
		}
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
				c.sources[key] = c.sourceNode(p.file, p.pkg, vars, s, t)
			}
		}
	}
}

// sourceNode makes the node of table t of source s, declared in file of
// package pkg (vars: its vars), as loadSources and a patch make it.
func (c *compilation) sourceNode(file string, pkg *Project, vars map[string]any, s *propSource, t *propTable) *Node {
	n := &Node{ResourceType: TypeSource, Name: t.Name, SourceName: s.Name, Package: pkg.Name,
		UniqueID: "source." + pkg.Name + "." + s.Name + "." + t.Name, Path: file, PatchPath: file,
		FQN: append(propsFQN(pkg, file), s.Name, t.Name), Columns: columnsFrom(c, file, t.Columns),
		Meta: map[string]any{}, yamlFile: file, yamlLine: t.Line}
	n.Config = c.folderConfig(pkg, "sources", n.FQN)
	mergeConfig(n.Config, s.Config)
	mergeConfig(n.Config, t.Config)
	tags := map[string]any{"tags": append(append([]string{}, s.Tags...), t.Tags...)}
	mergeConfig(n.Config, tags)
	var tagsRaw map[string]any
	if s.TagsRaw != nil || t.TagsRaw != nil {
		tagsRaw = map[string]any{"tags": append(append([]string{}, firstList(s.TagsRaw, s.Tags)...), firstList(t.TagsRaw, t.Tags)...)}
	}
	n.yamlLayers = []configLayer{{conf: s.Config, raw: s.ConfigRaw}, {conf: t.Config, raw: t.ConfigRaw}, {conf: tags, raw: tagsRaw}}
	n.Tags = tagsOf(n.Config)
	n.Description = c.renderDescription(file, t.Line, firstNonEmpty(t.Description, s.Description))
	n.Database = firstNonEmpty(c.renderField(file, s.Line, s.Database, vars), c.target.Database)
	n.Schema = firstNonEmpty(c.renderField(file, s.Line, s.Schema, vars), s.Name)
	n.Identifier = firstNonEmpty(c.renderField(file, t.Line, t.Identifier, vars), t.Name)
	n.Alias = n.Identifier
	n.LoadedAtField = firstNonEmpty(t.LoadedAtField, s.LoadedAtField)
	n.Extract = c.extractBlock(file, s, t, n)
	n.Freshness = c.freshnessOf(file, s, t)
	n.Database = c.databaseFor(n.Database, n.Schema)
	n.Relation = c.relationName(n.Database, n.Schema, n.Identifier)
	n.Checksum = checksum([]byte(n.Relation))
	if s.Meta != nil || t.Meta != nil {
		mergeConfig(n.Meta, s.Meta)
		mergeConfig(n.Meta, t.Meta)
	}
	if loc := c.externalLocation(file, t.Line, n); loc != "" {
		n.Relation = loc
	}
	return n
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

// externalLocation is the relation of a dbt-duckdb source whose files are
// read in place: meta (or config) external_location, a path, glob, URL or
// table function call with {name}, {identifier}, {schema}, {database},
// {source_name} and the table's meta keys filled in. "" when the source
// has none.
func (c *compilation) externalLocation(file string, line int, n *Node) string {
	tmpl, _ := n.Meta["external_location"].(string)
	if tmpl == "" {
		tmpl, _ = n.Config["external_location"].(string)
	}
	if tmpl == "" {
		return ""
	}
	ext, ok := c.dialect.(warehouse.ExternalDialect)
	if !ok {
		c.addDiag(errorf(file, line, 0, "source %s.%s: external_location reads files in place, which the %s adapter cannot do",
			n.SourceName, n.Name, c.dialect.Name()))
		return ""
	}
	fields := map[string]string{"name": n.Name, "identifier": n.Identifier, "schema": n.Schema, "database": n.Database,
		"source_name": n.SourceName}
	for k, v := range n.Meta {
		if _, taken := fields[k]; !taken {
			if s, ok := v.(string); ok {
				fields[k] = s
			}
		}
	}
	loc, err := formatMap(tmpl, fields)
	if err != nil {
		c.addDiag(errorf(file, line, 0, "source %s.%s: external_location %q: %v", n.SourceName, n.Name, tmpl, err))
		return ""
	}
	return ext.ExternalRelation(loc)
}

// formatMap fills Python str.format_map placeholders ({key}; {{ and }}
// are braces).
func formatMap(tmpl string, fields map[string]string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		switch ch := tmpl[i]; {
		case ch == '{' && i+1 < len(tmpl) && tmpl[i+1] == '{', ch == '}' && i+1 < len(tmpl) && tmpl[i+1] == '}':
			b.WriteByte(ch)
			i++
		case ch == '{':
			end := strings.IndexByte(tmpl[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("unclosed {")
			}
			key := tmpl[i+1 : i+end]
			v, ok := fields[key]
			if !ok {
				return "", fmt.Errorf("unknown placeholder {%s} (known: %s)", key, strings.Join(sortedKeys(fields), ", "))
			}
			b.WriteString(v)
			i += end
		default:
			b.WriteByte(ch)
		}
	}
	return b.String(), nil
}

// firstList is a if it is set, else b.
func firstList(a, b []string) []string {
	if a != nil {
		return a
	}
	return b
}
