package compiler

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler/jinja"
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
	out, err := renderPlain(r.file, n.Value, r.vars)
	if err != nil {
		*diags = append(*diags, errorf(r.file, n.Line, n.Column, "%v", err))
		return n.Value
	}
	return out
}

// RenderValue renders `{{ env_var("X") }}` and `{{ var("x") }}` in a value
// read from YAML (file names it in errors), for steps that render at run
// time what the compiler leaves unrendered, such as an extract: block's dsn.
func RenderValue(file, src string, vars map[string]any) (string, error) {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return src, nil
	}
	return renderPlain(file, src, vars)
}

// renderPlain renders a short template with env_var and var.
func renderPlain(file, src string, vars map[string]any) (string, error) {
	tpl, err := plainEngine.Parse(file, src)
	if err != nil {
		return "", err
	}
	return tpl.Render(map[string]any{"env_var": envVar, "var": varFunc(vars)})
}

// renderYAMLNode renders every scalar below n in place.
func renderYAMLNode(file string, n *yaml.Node, vars map[string]any, diags *Diagnostics) {
	if n.Kind == yaml.ScalarNode {
		if strings.Contains(n.Value, "{{") {
			out, err := renderPlain(file, n.Value, vars)
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

// envVar is env_var(name, default): the environment variable, or the
// default, or an error.
var envVar = jinja.Func(func(args []any, kw map[string]any) (any, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("env_var() needs the variable's name")
	}
	name := jinja.Str(args[0])
	if v, ok := os.LookupEnv(name); ok {
		return v, nil
	}
	if len(args) > 1 {
		return args[1], nil
	}
	if d, ok := kw["default"]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("env var %q is not set and env_var() has no default", name)
})

// varFunc is var(name, default): the project's (or --vars') variable, or
// the default, or an error.
func varFunc(vars map[string]any) jinja.Func {
	return func(args []any, kw map[string]any) (any, error) {
		if len(args) == 0 {
			return nil, fmt.Errorf("var() needs the variable's name")
		}
		name := jinja.Str(args[0])
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
