package compiler

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// Materializations a model may have.
var modelMaterializations = []string{"view", "table", "incremental", "ephemeral"}

// ConfigChecker is implemented by a warehouse dialect that checks the
// configs only it reads (BigQuery: partition_by, cluster_by). An error is
// a value that can never work on that engine.
type ConfigChecker interface {
	CheckConfig(materialized, key string, value any) error
}

// checkConfigs checks every enabled node's final config, so that a value
// that can never work fails the compile (exit 2, nothing built) at the
// config() call, YAML key or folder config that set it. A value that dbt
// accepts until a later run uses it is a warning: such projects still
// build as they do in dbt.
func (c *compilation) checkConfigs() {
	c.checkSourcesAirflowConfig()
	c.checkRelations()
	// each node's alone, in parallel: 30,000 of them took 7 ms (the
	// diagnostics are sorted once the compile is done)
	parallel(len(c.nodes), func(i int) { c.checkNodeConfig(c.nodes[i]) })
}

// buildsRelation says n builds a relation of its own (checkRelations):
// an enabled model but an ephemeral one, seed or snapshot.
func buildsRelation(n *Node) bool {
	// the type first: reading a config is a cache miss, and most nodes
	// of a large project are tests
	switch n.ResourceType {
	case TypeModel:
		return n.Relation != "" && n.Enabled() && n.Materialized() != "ephemeral"
	case TypeSeed, TypeSnapshot:
		return n.Relation != "" && n.Enabled()
	}
	return false
}

// checkNodeConfig checks one node's config (checkConfigs).
func (c *compilation) checkNodeConfig(n *Node) {
	if n.renderFailed {
		return // (a snapshot's strategy, unset because its config() never ran, is no second error)
	}
	if n.Enabled() {
		switch n.ResourceType {
		case TypeModel:
			c.checkModelConfig(n)
			c.checkContract(n)
		case TypeSnapshot:
			c.checkSnapshotConfig(n)
		case TypeTest:
			c.checkTestConfig(n)
		}
		c.checkAirflowConfig(n)
		if cc, ok := c.dialect.(ConfigChecker); ok && n.ResourceType != TypeTest {
			named := false // a diagnostic at alias, schema or target_schema
			for _, key := range []string{"partition_by", "cluster_by", "alias", "schema", "target_schema"} {
				if v, set := n.Config[key]; set && v != nil {
					if err := cc.CheckConfig(n.Materialized(), key, v); err != nil {
						c.addDiag(*c.configDiag(n, key, true, "%s %q: %v", n.ResourceType, n.Name, err))
						named = named || key == "alias" || key == "schema" || key == "target_schema"
					}
				}
			}
			// the names the relation got (a generate_alias_name or
			// generate_schema_name macro's), when no config set them so
			if !named && n.Relation != "" {
				for key, v := range map[string]string{"alias": n.Alias, "schema": n.Schema} {
					if err := cc.CheckConfig(n.Materialized(), key, v); err != nil {
						c.addDiag(*c.configDiag(n, key, true, "%s %q builds %s: %v", n.ResourceType, n.Name, n.Relation, err))
					}
				}
			}
		}
	}
}

func (c *compilation) checkModelConfig(n *Node) {
	mat := n.Materialized()
	if !slices.Contains(modelMaterializations, mat) {
		d := c.configDiag(n, "materialized", true, "model %q: unknown materialization %q (mart builds view, table, incremental and ephemeral models)", n.Name, mat)
		d.Detail = didYouMean(mat, modelMaterializations)
		c.addDiag(*d)
	}
	c.checkUniqueKey(n)
	if mat != "incremental" {
		return
	}
	strategy := n.Config.String("incremental_strategy")
	if strategy != "" && strategy != "default" && !slices.Contains(warehouse.Strategies, strategy) {
		d := c.configDiag(n, "incremental_strategy", false, "model %q: unknown incremental_strategy %q (expected %s); an incremental run of it fails",
			n.Name, strategy, strings.Join(warehouse.Strategies, ", "))
		d.Detail = didYouMean(strategy, warehouse.Strategies)
		c.addDiag(*d)
	}
	if osc := n.Config.String("on_schema_change"); osc != "" && !slices.Contains(warehouse.SchemaChangeModes, osc) {
		d := c.configDiag(n, "on_schema_change", false, "model %q: unknown on_schema_change %q (expected %s); mart ignores schema changes, as dbt does",
			n.Name, osc, strings.Join(warehouse.SchemaChangeModes, ", "))
		d.Detail = didYouMean(osc, warehouse.SchemaChangeModes)
		c.addDiag(*d)
	}
	if strategy == warehouse.StrategyMicrobatch {
		for _, key := range []string{"event_time", "batch_size"} {
			if n.Config.String(key) == "" {
				c.addDiag(*c.configDiag(n, "incremental_strategy", true, "model %q: incremental_strategy microbatch needs %s", n.Name, key))
			}
		}
		if bs := strings.ToLower(n.Config.String("batch_size")); bs != "" && !slices.Contains([]string{"hour", "day", "month", "year"}, bs) {
			c.addDiag(*c.configDiag(n, "batch_size", true, "model %q: unknown batch_size %q (expected hour, day, month or year)", n.Name, bs))
		}
	}
}

// checkUniqueKey: a unique_key is a column (or expression) or a list of
// them.
func (c *compilation) checkUniqueKey(n *Node) {
	v, set := n.Config["unique_key"]
	if !set || v == nil {
		return
	}
	ok := true
	switch t := v.(type) {
	case string:
		ok = strings.TrimSpace(t) != ""
	case []any:
		for _, x := range t {
			if s, isStr := x.(string); !isStr || strings.TrimSpace(s) == "" {
				ok = false
			}
		}
	case []string:
	default:
		ok = false
	}
	if !ok {
		c.addDiag(*c.configDiag(n, "unique_key", true, "%s %q: unique_key must be a column name or a list of column names, got %v",
			n.ResourceType, n.Name, v))
	}
}

func (c *compilation) checkSnapshotConfig(n *Node) {
	strategy := n.Config.String("strategy")
	switch strategy {
	case "timestamp":
		if n.Config.String("updated_at") == "" {
			c.addDiag(*c.configDiag(n, "strategy", true, "snapshot %q: strategy timestamp needs updated_at (the column that says a row changed)", n.Name))
		}
	case "check":
		if len(n.Config.Strings("check_cols")) == 0 {
			c.addDiag(*c.configDiag(n, "strategy", true, "snapshot %q: strategy check needs check_cols (a list of columns, or 'all')", n.Name))
		}
	case "":
		c.addDiag(*c.configDiag(n, "strategy", true, "snapshot %q needs a strategy (timestamp or check)", n.Name))
	default:
		d := c.configDiag(n, "strategy", true, "snapshot %q: unknown strategy %q (expected timestamp or check)", n.Name, strategy)
		d.Detail = didYouMean(strategy, []string{"timestamp", "check"})
		c.addDiag(*d)
	}
	if len(n.Config.Strings("unique_key")) == 0 {
		c.addDiag(*c.configDiag(n, "unique_key", true, "snapshot %q needs a unique_key", n.Name))
	}
	c.checkUniqueKey(n)
}

func (c *compilation) checkTestConfig(n *Node) {
	if sev := n.Config.String("severity"); sev != "" && !strings.EqualFold(sev, "error") && !strings.EqualFold(sev, "warn") {
		c.addDiag(*c.configDiag(n, "severity", true, "test %q: severity must be error or warn, got %q", n.Name, sev))
	}
	if lim := n.Config.String("limit"); lim != "" {
		var l int
		if _, err := fmt.Sscan(lim, &l); err != nil || l < 0 || fmt.Sprint(l) != strings.TrimSpace(lim) {
			c.addDiag(*c.configDiag(n, "limit", true, "test %q: limit must be a whole number, got %q", n.Name, lim))
		}
	}
}

// configDiag makes a diagnostic, for the caller to add, at the place that
// set a node's config key: its config() call, the key under config: in
// YAML, or the folder config in the project file; else the node's own file
// or YAML entry.
func (c *compilation) configDiag(n *Node, key string, isError bool, format string, args ...any) *Diagnostic {
	file, line, col := c.configAt(n, key)
	d := warnf(file, line, col, format, args...)
	if isError {
		d.Severity = SevError
	}
	return &d
}

// configAt finds where a node's config key was set; the last of config(),
// YAML and folder config to set it wins, as in the merge.
func (c *compilation) configAt(n *Node, key string) (string, int, int) {
	if st := c.states[n.UniqueID]; st != nil {
		if call, ok := st.configAt[key]; ok && call.At.Line > 0 {
			at := call.At
			return at.File, at.Line, at.Col
		}
	}
	if n.PatchPath != "" {
		for _, p := range c.props {
			if p.file != n.PatchPath {
				continue
			}
			for _, e := range append(append(append([]*propEntry{}, p.Models...), p.Seeds...), p.Snapshots...) {
				if e.Name == n.Name {
					if at, ok := e.ConfigAt[key]; ok {
						return p.file, at[0], at[1]
					}
				}
			}
		}
	}
	kind := map[string]string{TypeModel: "models", TypeSeed: "seeds", TypeSnapshot: "snapshots", TypeTest: "tests"}[n.ResourceType]
	if line, col, ok := c.project.folderConfigAt(kind, n.FQN, key); ok {
		return c.project.File, line, col
	}
	if n.yamlFile != "" {
		return n.yamlFile, n.yamlLine, 0
	}
	return n.Path, max(n.blockLine, 1), 1
}

// relationKey is what identifies the relation a node named name (its
// alias, or a source's identifier) reads or builds: names that differ
// only in case are one relation where the engine says so (DuckDB), two
// where it does not (BigQuery); a relation named without its database is
// in the connection's own ("main"."x" and "dev"."main"."x" are one table
// in dev.duckdb).
func (c *compilation) relationKey(n *Node, name string) string {
	fold := func(s string) string { return s }
	if f, ok := c.dialect.(warehouse.NameFolder); ok {
		fold = f.FoldName
	}
	if n.Relation != c.relationName(n.Database, n.Schema, name) {
		return fold(n.Relation) // an external location's
	}
	return fold(c.dialect.RelationName(firstNonEmpty(n.Database, c.catalog), n.Schema, name))
}

// checkRelations refuses two nodes that build one relation: they would
// overwrite each other, in an order that depends on the DAG walk. dbt
// refuses such a project too ("two resources with the database
// representation"). A source whose table `mart extract` lands is written
// by mart as well: landing it where a model, seed or snapshot builds is the
// same conflict (a source that only reads a seed's table is not):
// Result.ExtractClashes.
func (c *compilation) checkRelations() {
	var builders []*Node
	for _, n := range c.nodes {
		if buildsRelation(n) {
			builders = append(builders, n)
		}
	}
	sort.Slice(builders, func(i, k int) bool {
		if builders[i].Path != builders[k].Path {
			return builders[i].Path < builders[k].Path
		}
		return builders[i].UniqueID < builders[k].UniqueID
	})
	built := make(map[string]*Node, len(builders))
	for _, n := range builders {
		key := c.relationKey(n, n.Alias)
		prev, ok := built[key]
		if !ok {
			built[key] = n
			continue
		}
		at := "alias"
		if _, set := n.Config["alias"]; !set {
			if _, set := n.Config["schema"]; set {
				at = "schema"
			}
		}
		d := c.configDiag(n, at, true, "%s %q builds %s, which %s %q (%s) builds too", n.ResourceType, n.Name, n.Relation, prev.ResourceType, prev.Name, prev.Path)
		d.Detail = "two nodes cannot build one relation: give one of them another alias or schema"
		c.addDiag(*d)
	}
	// a source table mart extract would land where a node builds: its
	// error, for mart extract to give when the table is selected
	// (Result.ExtractClashes)
	keys := make([]string, 0, len(c.sources))
	for k, s := range c.sources {
		if len(s.Extract) > 0 && s.Enabled() {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := c.sources[k]
		prev, ok := built[c.relationKey(s, s.Identifier)]
		if !ok {
			continue
		}
		file, line, col := s.ExtractAt("")
		d := errorf(file, line, col, "source %s, table %s: mart extract would land it in %s, which %s %q (%s) builds", s.SourceName, s.Name, s.Relation, prev.ResourceType, prev.Name, prev.Path)
		d.Detail = "a table mart extract lands must be the source's own: give the source another schema, or the table another identifier"
		if c.extractClashes == nil {
			c.extractClashes = map[string]Diagnostic{}
		}
		c.extractClashes[s.UniqueID] = d
	}
}
