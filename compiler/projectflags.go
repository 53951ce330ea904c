package compiler

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// ProjectFlag is one entry of the `flags:` block of a project file (dbt
// 1.8's home for the settings of its command line: `warn_error: true`,
// `fail_fast: true`): its name as written, its value as a flag's text (a
// mapping, as warn_error_options', in YAML's flow form) and its line.
type ProjectFlag struct {
	Name, Value string
	Line        int
}

// ProjectFlags reads the `flags:` block of the project file in dir, and
// names the file (as LoadProject names it); none when the file has no
// such block, or is missing or does not read (loading the project
// reports that).
func ProjectFlags(dir string) ([]ProjectFlag, string) {
	for _, name := range projectFiles {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if !bytes.Contains(data, []byte("flags")) {
			return nil, name
		}
		var root yaml.Node
		if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
			return nil, name
		}
		top := root.Content[0]
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value != "flags" || top.Content[i+1].Kind != yaml.MappingNode {
				continue
			}
			var out []ProjectFlag
			m := top.Content[i+1]
			for j := 0; j+1 < len(m.Content); j += 2 {
				k, v := m.Content[j], m.Content[j+1]
				value := v.Value
				if v.Kind != yaml.ScalarNode {
					v.Style = yaml.FlowStyle
					for _, c := range v.Content {
						c.Style |= yaml.FlowStyle
					}
					b, err := yaml.Marshal(v)
					if err != nil {
						continue
					}
					value = strings.TrimSpace(string(b))
				}
				out = append(out, ProjectFlag{Name: k.Value, Value: value, Line: k.Line})
			}
			return out, name
		}
		return nil, name
	}
	return nil, ""
}
