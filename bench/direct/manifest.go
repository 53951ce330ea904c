package direct

// This file is the only place that knows the shape of target/manifest.json.
// mart's manifest is young, so the reader is deliberately tolerant: it
// decodes into generic JSON values, accepts dbt's field names and a few
// plausible alternatives, infers what is missing, and ignores the rest.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// manifestNode is what the plan needs of one manifest node.
type manifestNode struct {
	id           string
	resourceType string // model, seed, test, ...
	name         string
	database     string
	schema       string
	relation     string // as the compiled SQL of dependents names it
	materialized string
	compiledPath string // as written in the manifest
	compiledCode string // inline compiled SQL, when the manifest has it
	originalPath string // the source file, relative to the project
	dependsOn    []string
}

// readManifest reads projectDir/target/manifest.json.
func readManifest(projectDir string) ([]manifestNode, error) {
	path := filepath.Join(projectDir, "target", "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the manifest: %w", err)
	}
	nodes, err := parseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return nodes, nil
}

// parseManifest takes nodes from the top-level "nodes" (a map keyed by
// unique id, or a list) and from "seeds", if seeds are kept apart.
func parseManifest(data []byte) ([]manifestNode, error) {
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var nodes []manifestNode
	for _, key := range []string{"nodes", "seeds"} {
		for id, raw := range entries(top[key]) {
			obj, ok := raw.(map[string]any)
			if !ok {
				continue
			}
			n := decodeNode(id, obj)
			if n.id == "" || seen[n.id] {
				continue
			}
			seen[n.id] = true
			nodes = append(nodes, n)
		}
	}
	if len(nodes) == 0 {
		return nil, errors.New(`no nodes: expected a "nodes" object keyed by unique_id`)
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].id < nodes[j].id })
	return nodes, nil
}

// entries yields a map's values by key, or a list's elements keyed by
// position (the node's own unique_id then wins).
func entries(v any) map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return v
	case []any:
		m := make(map[string]any, len(v))
		for i, e := range v {
			m[fmt.Sprintf("#%d", i)] = e
		}
		return m
	}
	return nil
}

func decodeNode(key string, obj map[string]any) manifestNode {
	n := manifestNode{
		id:           firstString(obj, "unique_id", "uniqueId", "id"),
		resourceType: firstString(obj, "resource_type", "resourceType", "type", "kind"),
		name:         firstString(obj, "name"),
		database:     firstString(obj, "database", "catalog"),
		schema:       firstString(obj, "schema"),
		relation:     firstString(obj, "relation_name", "relationName", "relation"),
		compiledPath: firstString(obj, "compiled_path", "compiledPath"),
		compiledCode: firstString(obj, "compiled_code", "compiled_sql", "compiledCode", "compiled"),
		originalPath: firstString(obj, "original_file_path", "originalFilePath", "seed_path", "path"),
		materialized: firstString(obj, "materialized"),
	}
	if n.id == "" && !strings.HasPrefix(key, "#") {
		n.id = key
	}
	if n.resourceType == "" {
		n.resourceType, _, _ = strings.Cut(n.id, ".")
	}
	n.resourceType = strings.ToLower(n.resourceType)
	if n.name == "" {
		n.name = n.id[strings.LastIndex(n.id, ".")+1:]
	}
	if cfg, ok := obj["config"].(map[string]any); ok {
		if m := firstString(cfg, "materialized"); m != "" {
			n.materialized = m
		}
		if n.schema == "" {
			n.schema = firstString(cfg, "schema")
		}
		if n.database == "" {
			n.database = firstString(cfg, "database")
		}
	}
	if alias := firstString(obj, "alias"); alias != "" && n.relation == "" {
		n.name = alias
	}
	switch deps := obj["depends_on"].(type) {
	case map[string]any:
		n.dependsOn = stringList(deps["nodes"])
	case []any:
		n.dependsOn = stringList(deps)
	}
	if n.dependsOn == nil {
		n.dependsOn = stringList(obj["dependsOn"])
	}
	return n
}

func firstString(obj map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := obj[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// stringList returns the strings of a JSON list, skipping anything else.
func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// compiledSQL finds a node's compiled SQL: the compiled_path file
// (absolute, or relative to the project or to target/), else the SQL inlined
// in the manifest, else target/compiled/[<project>/]<original path>.
func (n *manifestNode) compiledSQL(projectDir string) (string, error) {
	var candidates []string
	if p := n.compiledPath; p != "" {
		if filepath.IsAbs(p) {
			candidates = append(candidates, p)
		} else {
			candidates = append(candidates, filepath.Join(projectDir, p), filepath.Join(projectDir, "target", p))
		}
	}
	for _, c := range candidates {
		if b, err := os.ReadFile(c); err == nil {
			return string(b), nil
		}
	}
	if n.compiledCode != "" {
		return n.compiledCode, nil
	}
	if n.originalPath != "" {
		compiled := filepath.Join(projectDir, "target", "compiled")
		orig := filepath.FromSlash(n.originalPath)
		matches, _ := filepath.Glob(filepath.Join(compiled, "*", orig))
		for _, m := range append([]string{filepath.Join(compiled, orig)}, matches...) {
			if b, err := os.ReadFile(m); err == nil {
				return string(b), nil
			}
		}
	}
	return "", fmt.Errorf("%s: no compiled SQL (compiled_path %q, no compiled_code, nothing under target/compiled)", n.id, n.compiledPath)
}
