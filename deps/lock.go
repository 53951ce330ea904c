package deps

import (
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// lockFile is package-lock.yml: every installed package (its own packages
// too) as installed, and the hash of the packages.yml it was made from.
type lockFile struct {
	Packages []lockedSpec `yaml:"packages"`
	Hash     string       `yaml:"sha1_hash"`
}

type lockedSpec struct {
	Name         string   `yaml:"name"`
	Local        string   `yaml:"local,omitempty"`
	Git          string   `yaml:"git,omitempty"`
	Revision     string   `yaml:"revision,omitempty"`
	Subdirectory string   `yaml:"subdirectory,omitempty"`
	Package      string   `yaml:"package,omitempty"`
	Version      Versions `yaml:"version,omitempty"`
}

type lock struct {
	Packages []Spec
	Hash     string
}

func readLock(projectDir string) (*lock, error) {
	data, err := os.ReadFile(filepath.Join(projectDir, "package-lock.yml"))
	if err != nil {
		return nil, err
	}
	var f lockFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	out := &lock{Hash: f.Hash}
	for _, p := range f.Packages {
		s := Spec{Local: p.Local, Git: p.Git, Revision: p.Revision,
			Subdirectory: p.Subdirectory, Package: p.Package, Version: p.Version}
		// the URL is locked as written (env_var(), a token often): git
		// clones it rendered, as from packages.yml (render.go)
		if s.gitURL, err = render("package-lock.yml", p.Git); err != nil {
			return nil, err
		}
		out.Packages = append(out.Packages, s)
	}
	return out, nil
}

func writeLock(projectDir, hash string, installed []Installed) error {
	f := lockFile{Hash: hash}
	for _, in := range installed {
		s := in.Spec
		f.Packages = append(f.Packages, lockedSpec{Name: in.Name, Local: s.Local, Git: s.Git, Revision: s.Revision,
			Subdirectory: s.Subdirectory, Package: s.Package, Version: s.Version})
	}
	data, err := yaml.Marshal(f)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(projectDir, "package-lock.yml"), data, 0o644)
}
