package compiler

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/warehouse"
)

// Target is one output of a profile: where and how models are built. The
// adapter registered for its type read its settings (warehouse.Target:
// default database and schema, and the adapter's own config).
type Target struct {
	Name     string         // dev, prod, ...
	Profile  string         // the profile's name
	Type     string         // the adapter's name: duckdb, bigquery, ...
	Threads  int            // parallel nodes
	Settings map[string]any // every key of the output, as written (may hold secrets: never log it)
	File     string         // profiles.yml it came from ("" = built-in default)
	Adapter  warehouse.Adapter
	warehouse.Target
}

// IsSecretKey reports whether a profile key holds a secret (a password, a
// token, a key file...): such values never reach templates, logs or
// artifacts.
func IsSecretKey(k string) bool {
	k = strings.ToLower(k)
	if k == "pass" {
		return true
	}
	for _, s := range []string{"password", "secret", "token", "keyfile", "private_key", "api_key", "apikey", "credential"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// MaskSecrets returns v with the value of every secret key (IsSecretKey)
// in it, at any depth of maps and lists, replaced by mask, or left out
// when mask is "". v itself is not changed.
func MaskSecrets(v any, mask string) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			switch {
			case !IsSecretKey(k):
				out[k] = MaskSecrets(x, mask)
			case mask != "":
				out[k] = mask
			}
		}
		return out
	case map[any]any:
		out := make(map[any]any, len(t))
		for k, x := range t {
			ks, _ := k.(string)
			switch {
			case !IsSecretKey(ks):
				out[k] = MaskSecrets(x, mask)
			case mask != "":
				out[k] = mask
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = MaskSecrets(x, mask)
		}
		return out
	}
	return v
}

// TemplateValue is the `target` variable templates see (no secrets, also
// none nested in a setting's value).
func (t *Target) TemplateValue() map[string]any {
	out := MaskSecrets(t.Settings, "").(map[string]any)
	for k, v := range t.Template {
		out[k] = v
	}
	out["name"] = t.Name
	out["type"] = t.Type
	out["schema"] = t.Schema
	// a DuckDB target without a database has its file's catalog (the
	// file's name without .duckdb, "memory" in memory), as dbt-duckdb
	// says; its relations' names stay two-part (docs/dbt-compatibility.md)
	out["database"] = firstNonEmpty(t.Database, t.Catalog)
	out["threads"] = t.Threads
	out["profile_name"] = t.Profile
	return out
}

// Open connects to the target's warehouse.
func (t *Target) Open(ctx context.Context, projectDir string) (warehouse.Warehouse, error) {
	wh, err := t.Adapter.Open(ctx, t.Target, warehouse.OpenOptions{ProjectDir: projectDir})
	if err != nil {
		where := "the built-in default target"
		if t.File != "" {
			where = fmt.Sprintf("target %q in %s", t.Name, t.File)
		}
		return nil, fmt.Errorf("%w (%s)", err, where)
	}
	return wh, nil
}

// ProfileOptions says where to look for profiles.yml and which target to use.
type ProfileOptions struct {
	ProfilesDir string // --profiles-dir
	Target      string // --target
	Profile     string // --profile: instead of the project file's
	Vars        map[string]any
}

// LoadTarget finds profiles.yml and resolves the project's profile and target.
// Without any profiles.yml it returns the embedded DuckDB default. Only the
// chosen output is rendered (env_var), as dbt does: another target's
// missing variable does not matter.
func LoadTarget(p *Project, opt ProfileOptions) (*Target, Diagnostics) {
	profile, from := p.Profile, p.File
	if opt.Profile != "" {
		profile, from = opt.Profile, "--profile"
	}
	file := findProfiles(p.Dir, opt.ProfilesDir)
	if file == "" {
		if opt.ProfilesDir != "" {
			return nil, Diagnostics{errorf(opt.ProfilesDir, 0, 0, "no profiles.yml in --profiles-dir %s", opt.ProfilesDir)}
		}
		if opt.Profile != "" { // (the embedded default has no name to choose)
			return nil, Diagnostics{errorf(p.File, 0, 0, "--profile %s: no profiles.yml holds it (none in the project dir, $MART_PROFILES_DIR or ~/.mart)", opt.Profile)}
		}
		return defaultTarget(profile, firstNonEmpty(opt.Target, "dev"))
	}
	shown := file
	if rel, err := filepath.Rel(p.Dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		shown = rel
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, Diagnostics{errorf(shown, 0, 0, "cannot read profiles: %v", err)}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Diagnostics{yamlError(shown, err)}
	}
	if len(root.Content) == 0 {
		return defaultTarget(profile, firstNonEmpty(opt.Target, "dev"))
	}
	var profiles map[string]struct {
		Target  yaml.Node            `yaml:"target"`
		Outputs map[string]yaml.Node `yaml:"outputs"`
	}
	if err := root.Content[0].Decode(&profiles); err != nil {
		return nil, Diagnostics{errorf(shown, 1, 1, "profiles.yml: expected <profile>: {target: ..., outputs: {...}}: %v", err)}
	}
	prof, ok := profiles[profile]
	if !ok {
		names := sortedKeys(profiles)
		d := errorf(shown, 1, 1, "profile %q (from %s) not found in %s", profile, from, shown)
		d.Detail = fmt.Sprintf("profiles defined there: %s", strings.Join(names, ", "))
		return nil, Diagnostics{d}
	}
	var diags Diagnostics
	renderYAMLNode(shown, &prof.Target, opt.Vars, &diags)
	name := firstNonEmpty(opt.Target, prof.Target.Value, "dev")
	node, ok := prof.Outputs[name]
	if !ok {
		d := errorf(shown, prof.Target.Line, prof.Target.Column, "target %q not found in profile %q", name, profile)
		d.Detail = fmt.Sprintf("targets: %s", strings.Join(sortedKeys(prof.Outputs), ", "))
		return nil, append(diags, d)
	}
	renderYAMLNode(shown, &node, opt.Vars, &diags)
	if diags.HasErrors() {
		return nil, diags
	}
	var out map[string]any
	if err := node.Decode(&out); err != nil || node.Kind != yaml.MappingNode {
		return nil, Diagnostics{errorf(shown, node.Line, node.Column, "target %q: expected a mapping of settings such as {type: duckdb, path: ...}", name)}
	}
	return newTarget(&Target{Name: name, Profile: profile, Settings: out, File: shown}, keyPositions(&node))
}

// keyPositions maps each key of a YAML mapping to where it is written.
func keyPositions(n *yaml.Node) map[string][2]int {
	out := map[string][2]int{"": {n.Line, n.Column}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		out[n.Content[i].Value] = [2]int{n.Content[i].Line, n.Content[i].Column}
	}
	return out
}

// newTarget reads t.Settings through the adapter of its type. pos says
// where each key is written, for the diagnostics.
func newTarget(t *Target, pos map[string][2]int) (*Target, Diagnostics) {
	at := func(key string) (int, int) {
		if p, ok := pos[key]; ok {
			return p[0], p[1]
		}
		return pos[""][0], pos[""][1]
	}
	var diags Diagnostics
	t.Type = strings.ToLower(str(t.Settings["type"]))
	a, err := warehouse.Lookup(t.Type)
	if err != nil {
		line, col := at("type")
		return nil, Diagnostics{errorf(t.File, line, col, "target %q: %v", t.Name, err)}
	}
	t.Adapter = a
	t.Threads = 4
	if v, ok := t.Settings["threads"]; ok {
		n, isInt := v.(int)
		if !isInt || n < 1 {
			line, col := at("threads")
			return nil, Diagnostics{errorf(t.File, line, col, "target %q: threads must be a whole number of at least 1, got %v", t.Name, v)}
		}
		t.Threads = n
	}
	wt, err := a.ParseTarget(warehouse.Settings(t.Settings))
	for _, e := range warehouse.SettingErrors(err) {
		line, col := at(e.Key)
		diags = append(diags, errorf(t.File, line, col, "target %q: %v", t.Name, e))
	}
	for _, w := range wt.Warnings {
		line, col := at(w.Key)
		diags = append(diags, warnf(t.File, line, col, "target %q: %v", t.Name, w))
	}
	if diags.HasErrors() {
		return nil, diags
	}
	t.Target = wt
	return t, diags
}

// defaultTarget is the target of a project without profiles.yml: the
// default adapter with its default settings (DuckDB: target/mart.duckdb,
// schema main).
func defaultTarget(profile, name string) (*Target, Diagnostics) {
	return newTarget(&Target{Name: name, Profile: profile, Settings: map[string]any{"type": warehouse.DefaultType}}, map[string][2]int{"": {0, 0}})
}

func findProfiles(projectDir, flagDir string) string {
	var dirs []string
	if flagDir != "" {
		dirs = []string{flagDir}
	} else {
		if env := os.Getenv("MART_PROFILES_DIR"); env != "" {
			dirs = append(dirs, env)
		}
		dirs = append(dirs, projectDir)
		if home, err := os.UserHomeDir(); err == nil {
			dirs = append(dirs, filepath.Join(home, ".mart"))
		}
	}
	for _, d := range dirs {
		for _, n := range []string{"profiles.yml", "profiles.yaml"} {
			f := filepath.Join(d, n)
			if _, err := os.Stat(f); err == nil {
				return f
			}
		}
	}
	return ""
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
