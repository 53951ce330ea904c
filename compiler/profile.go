package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Target is one output of a profile: where and how models are built.
type Target struct {
	Name     string         // dev, prod, ...
	Profile  string         // the profile's name
	Type     string         // duckdb | bigquery
	Schema   string         // default schema (BigQuery: dataset)
	Database string         // DuckDB catalog or BigQuery project ("" = current)
	Threads  int            // parallel nodes
	Path     string         // DuckDB database file, relative to the project dir
	Settings map[string]any // every key of the output, as written (may hold secrets: never log it)
	File     string         // profiles.yml it came from ("" = built-in default)
}

// IsSecretKey reports whether a profile key holds a secret (a password, a
// token, a key file...): such values never reach templates, logs or
// artifacts.
func IsSecretKey(k string) bool {
	k = strings.ToLower(k)
	if k == "pass" {
		return true
	}
	for _, s := range []string{"password", "secret", "token", "keyfile", "private_key"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// TemplateValue is the `target` variable templates see (no secrets).
func (t *Target) TemplateValue() map[string]any {
	out := map[string]any{}
	for k, v := range t.Settings {
		if !IsSecretKey(k) {
			out[k] = v
		}
	}
	out["name"] = t.Name
	out["type"] = t.Type
	out["schema"] = t.Schema
	out["database"] = t.Database
	out["threads"] = t.Threads
	out["profile_name"] = t.Profile
	if t.Type == "bigquery" {
		out["project"] = t.Database
		out["dataset"] = t.Schema
	}
	return out
}

// ProfileOptions says where to look for profiles.yml and which target to use.
type ProfileOptions struct {
	ProfilesDir string // --profiles-dir
	Target      string // --target
	Vars        map[string]any
}

// LoadTarget finds profiles.yml and resolves the project's profile and target.
// Without any profiles.yml it returns the embedded DuckDB default.
func LoadTarget(p *Project, opt ProfileOptions) (*Target, Diagnostics) {
	file := findProfiles(p.Dir, opt.ProfilesDir)
	if file == "" {
		if opt.ProfilesDir != "" {
			return nil, Diagnostics{errorf(opt.ProfilesDir, 0, 0, "no profiles.yml in --profiles-dir %s", opt.ProfilesDir)}
		}
		name := opt.Target
		if name == "" {
			name = "dev"
		}
		return defaultTarget(p.Profile, name), nil
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
	var diags Diagnostics
	if len(root.Content) == 0 {
		return defaultTarget(p.Profile, firstNonEmpty(opt.Target, "dev")), nil
	}
	renderYAMLNode(shown, root.Content[0], opt.Vars, &diags)
	if diags.HasErrors() {
		return nil, diags
	}
	var profiles map[string]struct {
		Target  string                    `yaml:"target"`
		Outputs map[string]map[string]any `yaml:"outputs"`
	}
	if err := root.Content[0].Decode(&profiles); err != nil {
		return nil, Diagnostics{errorf(shown, 1, 1, "profiles.yml: expected <profile>: {target: ..., outputs: {...}}: %v", err)}
	}
	prof, ok := profiles[p.Profile]
	if !ok {
		names := sortedKeys(profiles)
		d := errorf(shown, 1, 1, "profile %q (from %s) not found in %s", p.Profile, p.File, shown)
		d.Detail = fmt.Sprintf("profiles defined there: %s", strings.Join(names, ", "))
		return nil, Diagnostics{d}
	}
	name := firstNonEmpty(opt.Target, prof.Target, "dev")
	out, ok := prof.Outputs[name]
	if !ok {
		d := errorf(shown, 1, 1, "target %q not found in profile %q", name, p.Profile)
		outs := sortedKeys(prof.Outputs)
		d.Detail = fmt.Sprintf("targets: %s", strings.Join(outs, ", "))
		return nil, Diagnostics{d}
	}
	t := &Target{Name: name, Profile: p.Profile, Settings: out, File: shown}
	t.Type = strings.ToLower(fmt.Sprint(out["type"]))
	switch t.Type {
	case "duckdb":
		t.Path = firstNonEmpty(str(out["path"]), "target/mart.duckdb")
		t.Schema = firstNonEmpty(str(out["schema"]), "main")
		t.Database = str(out["database"])
	case "bigquery":
		t.Database = firstNonEmpty(str(out["project"]), str(out["database"]))
		t.Schema = firstNonEmpty(str(out["dataset"]), str(out["schema"]))
		if t.Schema == "" {
			diags = append(diags, errorf(shown, 0, 0, "target %q: bigquery needs `dataset:`", name))
		}
	default:
		diags = append(diags, errorf(shown, 0, 0, "target %q: unsupported type %q (expected duckdb or bigquery)", name, t.Type))
	}
	t.Threads = 4
	if n, ok := out["threads"].(int); ok && n > 0 {
		t.Threads = n
	}
	return t, diags
}

func defaultTarget(profile, name string) *Target {
	return &Target{Name: name, Profile: profile, Type: "duckdb", Path: "target/mart.duckdb", Schema: "main", Threads: 4,
		Settings: map[string]any{"type": "duckdb", "path": "target/mart.duckdb", "schema": "main"}}
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
