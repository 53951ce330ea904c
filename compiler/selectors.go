package compiler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/compiler/selector"
)

// selectorsEnvVar is env_var() in selectors.yml: envVar, unrecorded.
var selectorsEnvVar = envVarFunc(false, recordNone)

// SelectorsFile is dbt's file of YAML selectors, at the project's root.
const SelectorsFile = "selectors.yml"

// LoadSelectors reads the YAML selectors of the project in dir
// (selectors.yml; none when there is no such file). Its templates render
// as dbt renders the file: with var() (of --vars), env_var() and target;
// loadTarget is called only when a template is there (a command reads
// its selectors before it compiles). A mistake is an error diagnostic at
// its line.
func LoadSelectors(dir string, cliVars map[string]any, loadTarget func() (*Target, Diagnostics)) (selector.Definitions, Diagnostics) {
	file := SelectorsFile
	data, err := os.ReadFile(filepath.Join(dir, file))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, Diagnostics{errorf(file, 0, 0, "%v", err)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Diagnostics{yamlError(file, err)}
	}
	if isTemplate(string(data)) {
		var ctx map[string]any
		var diags Diagnostics
		var render func(n *yaml.Node)
		render = func(n *yaml.Node) {
			if n.Kind == yaml.ScalarNode && isTemplate(n.Value) {
				if ctx == nil {
					t, tdiags := loadTarget()
					// (what they read is not recorded for the patch
					// snapshot: no compile reads selectors.yml)
					ctx = map[string]any{"var": varLookup(cliVars, false), "env_var": selectorsEnvVar}
					if tdiags.HasErrors() || t == nil {
						diags = append(diags, tdiags...)
					} else {
						ctx["target"] = t.TemplateValue()
					}
				}
				v, err := renderNative(file, n.Value, ctx)
				if err != nil {
					diags = append(diags, errorf(file, n.Line, n.Column, "%s", templateMsg(err)))
					return
				}
				n.Value, n.Tag, n.Style = fmt.Sprint(v), "!!str", 0
				if v == nil {
					n.Value = ""
				}
				return
			}
			for _, c := range n.Content {
				render(c)
			}
		}
		render(&doc)
		if diags.HasErrors() {
			return nil, diags
		}
	}
	defs, err := selector.ParseDefinitions(&doc)
	if err != nil {
		var de *selector.DefinitionError
		if errors.As(err, &de) {
			return nil, Diagnostics{errorf(file, de.Line, 0, "%s", de.Msg)}
		}
		return nil, Diagnostics{errorf(file, 0, 0, "%v", err)}
	}
	return defs, nil
}
