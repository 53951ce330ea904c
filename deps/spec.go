// Package deps installs a project's packages (`mart deps`): local
// directories, git repositories and packages of the dbt hub, declared in
// packages.yml or dependencies.yml, into the packages-install-path
// (dbt_packages/), with their own packages, and records what it installed
// in package-lock.yml so the next install is the same.
package deps

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Spec is one entry of packages.yml.
type Spec struct {
	Local        string   `yaml:"local,omitempty"`
	Git          string   `yaml:"git,omitempty"`
	Revision     string   `yaml:"revision,omitempty"`
	Subdirectory string   `yaml:"subdirectory,omitempty"`
	Package      string   `yaml:"package,omitempty"`
	Version      Versions `yaml:"version,omitempty"`
	// Line is where the entry is written, for errors.
	Line int `yaml:"-"`
	// gitURL is Git rendered (env_var), what git clones; Git stays as
	// written (render.go).
	gitURL string
}

// Versions is a hub package's version: one, or a list of ranges.
type Versions []string

func (v *Versions) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*v = Versions{n.Value}
		return nil
	}
	var xs []string
	if err := n.Decode(&xs); err != nil {
		return fmt.Errorf("version: expected a version or a list of ranges such as [\">=1.0.0\", \"<2.0.0\"]")
	}
	*v = xs
	return nil
}

// MarshalYAML writes one version as a scalar.
func (v Versions) MarshalYAML() (any, error) {
	if len(v) == 1 {
		return v[0], nil
	}
	return []string(v), nil
}

func (s *Spec) UnmarshalYAML(n *yaml.Node) error {
	type plain Spec
	if err := n.Decode((*plain)(s)); err != nil {
		return err
	}
	s.Line = n.Line
	return nil
}

// cloneURL is the URL git clones: Git rendered.
func (s Spec) cloneURL() string {
	if s.gitURL != "" {
		return s.gitURL
	}
	return s.Git
}

// kind says which source the spec names.
func (s Spec) kind() (string, error) {
	var kinds []string
	if s.Local != "" {
		kinds = append(kinds, "local")
	}
	if s.Git != "" {
		kinds = append(kinds, "git")
	}
	if s.Package != "" {
		kinds = append(kinds, "package")
	}
	if len(kinds) != 1 {
		return "", fmt.Errorf("each package needs exactly one of local:, git: or package:, got %d", len(kinds))
	}
	// git would read these as options (--upload-pack=... runs a command)
	if strings.HasPrefix(s.Git, "-") || strings.HasPrefix(s.cloneURL(), "-") {
		return "", fmt.Errorf("git: %q would be read as an option by git: expected a repository URL", s.Git)
	}
	if strings.HasPrefix(s.Revision, "-") {
		return "", fmt.Errorf("revision: %q would be read as an option by git: expected a tag, branch or commit", s.Revision)
	}
	return kinds[0], nil
}

// Specs is a packages.yml (or dependencies.yml) as read.
type Specs struct {
	File     string // its path relative to the project ("" when there is none)
	Packages []Spec
	// Hash identifies the file's content, as package-lock.yml's sha1_hash.
	Hash string
}

// ReadSpecs reads the project's packages.yml, or dependencies.yml when
// there is no packages.yml. A project with neither has no packages.
func ReadSpecs(projectDir string) (*Specs, error) {
	for _, name := range []string{"packages.yml", "dependencies.yml"} {
		data, err := os.ReadFile(filepath.Join(projectDir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var doc struct {
			Packages []Spec `yaml:"packages"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for i := range doc.Packages {
			s := &doc.Packages[i]
			if err := s.renderSpec(name); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, s.Line, err)
			}
			if _, err := s.kind(); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, s.Line, err)
			}
		}
		sum := sha1.Sum(data)
		return &Specs{File: name, Packages: doc.Packages, Hash: hex.EncodeToString(sum[:])}, nil
	}
	return &Specs{}, nil
}
