package compiler

import (
	"fmt"
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
var envVar = envVarFunc(false)

// secretEnvVar is env_var() that may read secret env vars.
var secretEnvVar = envVarFunc(true)

func envVarFunc(secrets bool) jinja.Func {
	return func(args []any, kw map[string]any) (any, error) {
		if len(args) == 0 {
			return nil, fmt.Errorf("env_var() needs the variable's name")
		}
		name := jinja.Str(args[0])
		envRead.Store(name, true) // a patch snapshot checks it next time (patch.go)
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
