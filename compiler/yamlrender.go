package compiler

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/internal/envvar"
)

// plainEngine renders YAML values: env_var() and var() only, no macros.
var plainEngine = jinja.NewEngine()

// yamlRender renders `{{ env_var("X") }}` in YAML scalar values.
type yamlRender struct {
	file string
	vars map[string]any
}

func (r *yamlRender) str(n *yaml.Node, diags *Diagnostics) string {
	if !strings.Contains(n.Value, "{{") {
		return n.Value
	}
	out, err := renderPlain(r.file, n.Value, r.vars, false)
	if err != nil {
		*diags = append(*diags, errorf(r.file, n.Line, n.Column, "%v", err))
		return n.Value
	}
	return out
}

// RenderValue renders `{{ env_var("X") }}` and `{{ var("x") }}` in a value
// read from YAML (file names it in errors), for steps that render at run
// time what the compiler leaves unrendered, such as an extract: block's dsn.
// It may read secret env vars (DBT_ENV_SECRET_*): its result is a secret
// that callers never show.
func RenderValue(file, src string, vars map[string]any) (string, error) {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return src, nil
	}
	return renderPlain(file, src, vars, true)
}

// renderPlain renders a short template with env_var and var; secrets says
// whether env_var may read secret env vars.
func renderPlain(file, src string, vars map[string]any, secrets bool) (string, error) {
	tpl, err := plainEngine.Parse(file, src)
	if err != nil {
		return "", err
	}
	ev := envVar
	if secrets {
		ev = secretEnvVar
	}
	return tpl.Render(map[string]any{"env_var": ev, "var": varFunc(vars)})
}

// renderYAMLNode renders every scalar below n in place; it may read
// secret env vars (profiles.yml only).
func renderYAMLNode(file string, n *yaml.Node, vars map[string]any, diags *Diagnostics) {
	if n.Kind == yaml.ScalarNode {
		if strings.Contains(n.Value, "{{") {
			out, err := renderPlain(file, n.Value, vars, true)
			if err != nil {
				*diags = append(*diags, errorf(file, n.Line, n.Column, "%v", err))
				return
			}
			n.Value = out
			n.Tag = ""
			n.Style = 0
		}
		return
	}
	for _, c := range n.Content {
		renderYAMLNode(file, c, vars, diags)
	}
}

// SecretEnvPrefix starts the names of env vars that hold secrets (dbt's
// convention): templates may read them only where the value reaches a
// connection and nothing else (profiles.yml, an extract: block's dsn).
const SecretEnvPrefix = "DBT_ENV_SECRET_"

// SecretEnvError is reading a secret env var where its value would reach
// compiled SQL, the manifest, the docs or a log.
type SecretEnvError struct{ Name string }

func (e *SecretEnvError) Error() string {
	return fmt.Sprintf("env var %q is a secret (its name starts with %s): it can be read only in profiles.yml and in an extract: block's dsn, never where its value would reach compiled SQL, artifacts or logs", e.Name, SecretEnvPrefix)
}

// envVar is env_var(name, default): the environment variable, or the
// default, or an error; a secret env var is an error.
var envVar = envVarFunc(false, recordOutside)

// secretEnvVar is env_var() that may read secret env vars.
var secretEnvVar = envVarFunc(true, recordOutside)

// renderEnvVar is env_var() in a node's render: its reads are in the
// node's Fingerprint (its text's and its macros', scanned), and a patch
// renders the readers of one that changed again (varUses); they are
// recorded in envRead alone, not in envReadOutside.
var renderEnvVar = envVarFunc(false, recordRender)

// What env_var() records of the names it reads.
type envRecord int

const (
	recordNone    envRecord = iota
	recordRender            // envRead
	recordOutside           // envRead and envReadOutside
)

// envVarFunc is env_var(); with record, it records the names it reads
// (envRead), as varLookup records var()'s.
func envVarFunc(secrets bool, record envRecord) jinja.Func {
	return func(args []any, kw map[string]any) (any, error) {
		if len(args) == 0 {
			return nil, fmt.Errorf("env_var() needs the variable's name")
		}
		name := jinja.Str(args[0])
		if record != recordNone {
			envRead.Store(name, true) // a patch snapshot checks it next time (patch.go)
		}
		if record == recordOutside {
			envReadOutside.Store(name, true)
		}
		if !secrets && strings.HasPrefix(name, SecretEnvPrefix) {
			return nil, &SecretEnvError{Name: name}
		}
		return envvar.Lookup(name, args, kw)
	}
}

// varRead holds the names var() read in this process outside a node's
// render (YAML, project and profile files, naming macros): a change of
// such a var compiles the whole project instead of patching it (patch.go).
var varRead sync.Map

// varFunc is var(name, default): the project's (or --vars') variable, or
// the default, or an error. It records the names it reads (varRead).
func varFunc(vars map[string]any) jinja.Func { return varLookup(vars, true) }

// renderVarFunc is var() in a node's render: its reads are in the node's
// Fingerprint (its text's and its macros', scanned), not in varRead.
func renderVarFunc(vars map[string]any) jinja.Func { return varLookup(vars, false) }

func varLookup(vars map[string]any, record bool) jinja.Func {
	return func(args []any, kw map[string]any) (any, error) {
		if len(args) == 0 {
			return nil, fmt.Errorf("var() needs the variable's name")
		}
		name := jinja.Str(args[0])
		if record {
			varRead.Store(name, true)
		}
		if v, ok := vars[name]; ok {
			return v, nil
		}
		if len(args) > 1 {
			return args[1], nil
		}
		if d, ok := kw["default"]; ok {
			return d, nil
		}
		return nil, fmt.Errorf("required var %q is not set: define it under vars: in the project file, pass --vars, or give var() a default", name)
	}
}

// renderConfigValue renders the Jinja in a config value read from YAML,
// as dbt renders its project file and properties files when it loads
// them: a string that is one {{ expression }} becomes the expression's
// value with its type ("{{ target.name == 'prod' }}" a boolean,
// "{{ var('n') }}" the var as given), any other template its text;
// lists and mappings have their items rendered. Strings without Jinja
// are kept as they are. ctx holds var, env_var and target.
func renderConfigValue(file string, v any, ctx map[string]any) (any, error) {
	switch t := v.(type) {
	case string:
		if !isTemplate(t) {
			return t, nil
		}
		return renderNative(file, t, ctx)
	case []any:
		var out []any
		for i, x := range t {
			r, err := renderConfigValue(file, x, ctx)
			if err != nil {
				return nil, err
			}
			if out == nil && !renderedSame(r, x) {
				out = append(make([]any, 0, len(t)), t[:i]...)
			}
			if out != nil {
				out = append(out, r)
			}
		}
		if out == nil {
			return t, nil
		}
		return out, nil
	case map[string]any:
		var out map[string]any
		for _, k := range sortedKeys(t) {
			r, err := renderConfigValue(file, t[k], ctx)
			if err != nil {
				return nil, err
			}
			if out == nil && !renderedSame(r, t[k]) {
				out = make(map[string]any, len(t))
				for k2, v2 := range t {
					out[k2] = v2
				}
			}
			if out != nil {
				out[k] = r
			}
		}
		if out == nil {
			return t, nil
		}
		return out, nil
	}
	return v, nil
}

// isTemplate says whether a YAML string holds Jinja.
func isTemplate(s string) bool { return strings.Contains(s, "{{") || strings.Contains(s, "{%") }

// anyString says whether f holds for a string anywhere in a YAML value.
func anyString(v any, f func(string) bool) bool {
	switch x := v.(type) {
	case string:
		return f(x)
	case []any:
		for _, e := range x {
			if anyString(e, f) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if anyString(e, f) {
				return true
			}
		}
	}
	return false
}

// templateMsg is a template error's message without its position (the
// caller names the YAML key's).
func templateMsg(err error) string {
	var je *jinja.Error
	if errors.As(err, &je) {
		return je.Msg
	}
	return err.Error()
}

// renderedSame says whether rendering left a config value as it was
// (no template in it): the value is then shared, not copied.
func renderedSame(rendered, was any) bool {
	switch w := was.(type) {
	case string:
		r, ok := rendered.(string)
		return ok && r == w
	case []any:
		r, ok := rendered.([]any)
		if !ok || len(r) != len(w) {
			return false
		}
		for i := range w {
			if !renderedSame(r[i], w[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		r, ok := rendered.(map[string]any)
		if !ok || len(r) != len(w) {
			return false
		}
		for k := range w {
			if !renderedSame(r[k], w[k]) {
				return false
			}
		}
		return true
	}
	return true
}

// renderNative renders a template as dbt's native rendering of YAML
// values does: the whole text one {{ expression }}, its value as it is;
// otherwise the rendered text.
func renderNative(file, src string, ctx map[string]any) (any, error) {
	if expr, ok := singleExpression(src); ok {
		var got any
		local := make(map[string]any, len(ctx)+1)
		for k, v := range ctx {
			local[k] = v
		}
		local["__native"] = jinja.Func(func(args []any, _ map[string]any) (any, error) {
			if len(args) == 1 {
				got = args[0]
			}
			return "", nil
		})
		tpl, err := plainEngine.Parse(file, "{% do __native("+expr+") %}")
		if err == nil {
			if _, err = tpl.Render(local); err != nil {
				return nil, err
			}
			return jinja.Native(got), nil
		}
		// not an expression the do tag takes: rendered as text below
	}
	tpl, err := plainEngine.Parse(file, src)
	if err != nil {
		return nil, err
	}
	return tpl.Render(ctx)
}

// singleExpression returns the expression of a template that is exactly
// one {{ expression }} and nothing else.
func singleExpression(src string) (string, bool) {
	if !strings.HasPrefix(src, "{{") || !strings.HasSuffix(src, "}}") || len(src) < 4 ||
		strings.Count(src, "{{") != 1 || strings.Count(src, "}}") != 1 ||
		strings.Contains(src, "{%") || strings.Contains(src, "{#") {
		return "", false
	}
	expr := strings.TrimSuffix(strings.TrimPrefix(src[2:len(src)-2], "-"), "-")
	if strings.TrimSpace(expr) == "" {
		return "", false
	}
	return expr, true
}

// yamlContext is what a template in a YAML value sees when the project
// loads, as dbt's: var() of vars, env_var() and target.
func (c *compilation) yamlContext(vars map[string]any) map[string]any {
	return map[string]any{"var": varFunc(vars), "env_var": envVar, "target": c.targetValue}
}

// renderPropFields renders the Jinja in the rest of a properties file's
// keys that dbt renders when it loads the file (its schema renderer
// renders every key but descriptions, tests and hooks): an entry's meta:,
// docs: and other properties (access, group, latest_version...), its
// columns' data_type, meta, tags and constraints, and a source's and its
// tables' loader, loaded_at_field, meta, tags and freshness. Descriptions
// render with their docs blocks, tests when they are made, a source's
// database, schema and identifier where they are read (renderField), and
// its extract: block when `mart extract` runs.
func (c *compilation) renderPropFields(p *properties, ctx map[string]any) {
	r := propRenderer{c: c, file: p.file, tree: &yamlTree{data: p.data}, ctx: ctx}
	for _, list := range [][]*propEntry{p.Models, p.Seeds, p.Snapshots, p.Analyses} {
		for _, e := range list {
			if m := r.mapping(e.Meta, e.Line, "meta"); !renderedSame(m, e.Meta) {
				e.MetaRaw = map[string]any{"meta": e.Meta}
				e.Meta = m
			}
			e.Docs = r.mapping(e.Docs, e.Line, "docs")
			for _, k := range sortedKeys(e.Rest) {
				if k != "versions" {
					e.Rest[k] = r.value(e.Rest[k], e.Line, k)
				}
			}
			r.columns(e.Columns, e.Line)
			if vs, ok := e.Rest["versions"].([]any); ok {
				for _, v := range vs {
					if m, ok := v.(map[string]any); ok {
						r.renderVersion(m, e.Line)
					}
				}
			}
		}
	}
	for _, s := range p.Sources {
		s.Loader = r.text(s.Loader, s.Line, "loader")
		s.LoadedAtField = r.text(s.LoadedAtField, s.Line, "loaded_at_field")
		s.Meta = r.mapping(s.Meta, s.Line, "meta")
		s.Tags, s.TagsRaw = r.tags(s.Tags, s.Line, "tags")
		s.Freshness = r.value(s.Freshness, s.Line, "freshness")
		for _, t := range s.Tables {
			t.LoadedAtField = r.text(t.LoadedAtField, t.Line, "loaded_at_field")
			t.Meta = r.mapping(t.Meta, t.Line, "meta")
			t.Tags, t.TagsRaw = r.tags(t.Tags, t.Line, "tags")
			t.Freshness = r.value(t.Freshness, t.Line, "freshness")
			r.columns(t.Columns, t.Line)
		}
	}
}

// renderVersion renders a version's own keys (its config: renders with the
// other config: blocks) and its columns', but descriptions and tests;
// line is its model entry's.
func (r propRenderer) renderVersion(m map[string]any, line int) {
	r.version = scalarText(m["v"])
	for _, k := range sortedKeys(m) {
		switch k {
		case "v", "description", "config", versionConfigRaw, "tests", "data_tests":
		case "columns":
			cols, _ := m[k].([]any)
			for _, col := range cols {
				cm, ok := col.(map[string]any)
				if !ok {
					continue
				}
				r := r
				r.column, _ = cm["name"].(string)
				for _, ck := range sortedKeys(cm) {
					if ck != "description" && ck != "tests" && ck != "data_tests" {
						cm[ck] = r.value(cm[ck], line, ck)
					}
				}
			}
		default:
			m[k] = r.value(m[k], line, k)
		}
	}
}

// propRenderer renders one properties file's values; a template that
// fails is an error at its entry's line, naming the key (and the column
// when it is a column's).
type propRenderer struct {
	c    *compilation
	file string
	tree *yamlTree // the file, to find where a failing key is
	ctx  map[string]any
	// the version and column (by name) of the entry the values are
	// under, if any
	version, column string
}

func (r propRenderer) value(v any, line int, key string) any {
	if !anyString(v, isTemplate) {
		return v
	}
	out, err := renderConfigValue(r.file, v, r.ctx)
	if err != nil {
		var path []string
		label := key
		if r.column != "" {
			path = append(path, "columns", "name="+r.column)
			label = "column " + r.column + " " + label
		}
		if r.version != "" {
			path = append([]string{"versions", "v=" + r.version}, path...)
			label = "version " + r.version + " " + label
		}
		l, col := r.tree.pos(line, append(path, key))
		r.c.addDiag(errorf(r.file, l, col, "%s: %s", label, templateMsg(err)))
		return v
	}
	return out
}

func (r propRenderer) mapping(m map[string]any, line int, key string) map[string]any {
	if m == nil {
		return nil
	}
	if out, ok := r.value(m, line, key).(map[string]any); ok {
		return out
	}
	return m
}

// text renders a string key: what a template renders, as text.
func (r propRenderer) text(s string, line int, key string) string {
	if !isTemplate(s) {
		return s
	}
	switch v := r.value(s, line, key).(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// tags renders a list of tags, and returns it as written too when a
// template in it rendered (nil otherwise).
func (r propRenderer) tags(tags []string, line int, key string) (rendered, written []string) {
	for i, t := range tags {
		if !isTemplate(t) {
			continue
		}
		if written == nil {
			written = tags
			rendered = append([]string(nil), tags...)
		}
		rendered[i] = r.text(t, line, key)
	}
	if written == nil {
		return tags, nil
	}
	return rendered, written
}

// templated says a column has Jinja in what columns renders of it.
func (col *propColumn) templated() bool {
	return isTemplate(col.DataType) || anyString(map[string]any(col.Meta), isTemplate) || slices.ContainsFunc(col.Tags, isTemplate) ||
		slices.ContainsFunc(col.Constraints, func(c map[string]any) bool { return anyString(c, isTemplate) })
}

// columns renders columns of the entry (or source table) at line.
func (r propRenderer) columns(cols []*propColumn, line int) {
	for _, col := range cols {
		r := r
		r.column = col.Name
		col.DataType = r.text(col.DataType, line, "data_type")
		col.Meta = r.mapping(col.Meta, line, "meta")
		col.Tags, _ = r.tags(col.Tags, line, "tags")
		for i, con := range col.Constraints {
			col.Constraints[i] = r.mapping(con, line, "constraints")
		}
	}
}

// yamlTree is a properties file parsed again, once, when an error needs
// to say where a key is.
type yamlTree struct {
	data   []byte
	parsed bool
	byLine map[int]*yaml.Node // the first mapping that starts on each line
}

// pos is where the last of path is written, path being keys from the
// mapping that starts at line (an entry's, a source's, a table's), with
// "k=v" picking the item of a list whose key k is v (a column by
// "name=x", a version by "v=2"): line and 0 when it cannot be found.
func (t *yamlTree) pos(line int, path []string) (int, int) {
	if !t.parsed {
		t.parsed = true
		var root yaml.Node
		if len(t.data) > 0 && yaml.Unmarshal(t.data, &root) == nil {
			t.byLine = map[int]*yaml.Node{}
			var index func(n *yaml.Node)
			index = func(n *yaml.Node) {
				if _, seen := t.byLine[n.Line]; n.Kind == yaml.MappingNode && !seen {
					t.byLine[n.Line] = n
				}
				for _, c := range n.Content {
					index(c)
				}
			}
			index(&root)
		}
	}
	n := t.byLine[line]
	for i := 0; n != nil && i < len(path); i++ {
		step := path[i]
		if k, v, ok := strings.Cut(step, "="); ok {
			var item *yaml.Node
			for _, c := range n.Content {
				if c.Kind == yaml.MappingNode && mappingValue(c, k) != nil && mappingValue(c, k).Value == v {
					item = c
					break
				}
			}
			n = item
			continue
		}
		if n.Kind != yaml.MappingNode {
			return line, 0
		}
		if i == len(path)-1 {
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == step {
					return n.Content[j].Line, n.Content[j].Column
				}
			}
			return line, 0
		}
		n = mappingValue(n, step)
	}
	return line, 0
}

// mappingValue is the value of key in a YAML mapping node (nil: none).
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
