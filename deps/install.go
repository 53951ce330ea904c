package deps

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// DefaultHub is the dbt package hub whose index resolves package: entries.
const DefaultHub = "https://hub.getdbt.com"

// Options configure an install.
type Options struct {
	// ProjectDir is the project; InstallPath its packages-install-path
	// (relative to it unless absolute).
	ProjectDir  string
	InstallPath string
	// HubURL is the hub's address (DefaultHub when "").
	HubURL string
	// Upgrade resolves versions again instead of installing what
	// package-lock.yml records.
	Upgrade bool
	// Client fetches the hub's index and tarballs.
	Client *http.Client
	// Log reports progress, one line at a time (may be nil).
	Log func(msg string)
}

// Installed is one package that Install put in place.
type Installed struct {
	Name    string // the package's project name: its directory
	Source  string // what was asked: a local path, a git URL or a hub package
	Version string // the hub version or the git commit installed ("" for local)
	Spec    Spec   // the locked form, as package-lock.yml records it
}

// Install installs the project's packages and their own packages into the
// install path, replacing what was there only once everything is fetched
// (a failed install leaves the previous packages in place), and writes
// package-lock.yml.
func Install(ctx context.Context, opt Options) ([]Installed, error) {
	specs, err := ReadSpecs(opt.ProjectDir)
	if err != nil {
		return nil, err
	}
	if opt.HubURL == "" {
		opt.HubURL = DefaultHub
	}
	if opt.Client == nil {
		opt.Client = &http.Client{Timeout: 30 * time.Second}
	}
	queue := make([]queued, 0, len(specs.Packages))
	lock, _ := readLock(opt.ProjectDir)
	useLock := !opt.Upgrade && lock != nil && lock.Hash == specs.Hash && specs.File != ""
	src := specs.Packages
	if useLock {
		src = lock.Packages
	}
	for _, s := range src {
		queue = append(queue, queued{spec: s, from: opt.ProjectDir, file: specs.File})
	}
	dest := opt.InstallPath
	if dest == "" {
		dest = "dbt_packages"
	}
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(opt.ProjectDir, dest)
	}
	if err := CheckInstallPath(opt.ProjectDir, opt.InstallPath); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".installing-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	in := &installer{opt: opt, staging: staging, done: map[string]Installed{}}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		more, err := in.install(ctx, q)
		if err != nil {
			return nil, err
		}
		queue = append(queue, more...)
	}
	if err := replaceDir(dest, staging); err != nil {
		return nil, err
	}
	out := in.installed()
	if specs.File != "" {
		if err := writeLock(opt.ProjectDir, specs.Hash, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// queued is a package to install, with where it was declared.
type queued struct {
	spec Spec
	from string // the directory of the project that declares it
	file string // its packages.yml, for errors
}

type installer struct {
	opt     Options
	staging string
	done    map[string]Installed
	order   []string
}

// install fetches one package into the staging directory and returns the
// packages it declares in turn.
func (in *installer) install(ctx context.Context, q queued) ([]queued, error) {
	kind, _ := q.spec.kind()
	where := fmt.Sprintf("%s:%d", q.file, q.spec.Line)
	var (
		dir, version string
		cleanup      func()
		err          error
	)
	switch kind {
	case "local":
		dir = q.spec.Local
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(q.from, dir)
		}
		if _, err = os.Stat(filepath.Join(dir)); err != nil {
			return nil, fmt.Errorf("%s: local package %s: %w", where, q.spec.Local, err)
		}
	case "git":
		dir, version, cleanup, err = fetchGit(ctx, q.spec)
	case "package":
		dir, version, cleanup, err = in.fetchHub(ctx, q.spec)
	}
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	name, err := projectName(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if prev, dup := in.done[name]; dup {
		if in.opt.Log != nil && prev.Source != source(q.spec) {
			in.opt.Log(fmt.Sprintf("package %s is asked for again (%s); keeping %s", name, source(q.spec), prev.Source))
		}
		return nil, nil
	}
	target := filepath.Join(in.staging, name)
	if kind == "local" {
		err = linkOrCopy(dir, target)
	} else {
		err = copyDir(dir, target)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: installing %s: %w", where, name, err)
	}
	locked := q.spec
	switch kind {
	case "local":
		if rel, err := filepath.Rel(in.opt.ProjectDir, dir); err == nil {
			locked.Local = filepath.ToSlash(rel) // the lock is read from the project
		}
	case "git":
		locked.Revision = version
	case "package":
		locked.Version = Versions{version}
	}
	in.done[name] = Installed{Name: name, Source: source(q.spec), Version: version, Spec: locked}
	in.order = append(in.order, name)
	if in.opt.Log != nil {
		msg := "installed " + name + " from " + source(q.spec)
		if version != "" {
			msg += " (" + version + ")"
		}
		in.opt.Log(msg)
	}
	nested, err := ReadSpecs(dir)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", name, err)
	}
	var more []queued
	for _, s := range nested.Packages {
		more = append(more, queued{spec: s, from: dir, file: filepath.Join(name, nested.File)})
	}
	return more, nil
}

func (in *installer) installed() []Installed {
	out := make([]Installed, 0, len(in.order))
	for _, n := range in.order {
		out = append(out, in.done[n])
	}
	return out
}

func source(s Spec) string {
	switch {
	case s.Local != "":
		return s.Local
	case s.Git != "":
		src := shownGit(s.Git)
		if s.Subdirectory != "" {
			src += "//" + s.Subdirectory
		}
		return src
	}
	return s.Package
}

// packageNameRE is what dbt accepts as a project name.
var packageNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// projectName reads a package's name from its project file.
func projectName(dir string) (string, error) {
	for _, f := range []string{"dbt_project.yml", "mart.yml", "mart.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		var p struct {
			Name string `yaml:"name"`
		}
		if err := yaml.Unmarshal(data, &p); err != nil || p.Name == "" {
			return "", fmt.Errorf("%s has no name: (%v)", f, err)
		}
		// the name is the package's directory in dbt_packages/: a name its
		// author wrote as a path (../../x) would install it anywhere
		if !packageNameRE().MatchString(p.Name) {
			return "", fmt.Errorf("%s: name %q is not a valid package name (letters, digits and underscores, not starting with a digit, as dbt requires)", f, p.Name)
		}
		return p.Name, nil
	}
	return "", fmt.Errorf("%s holds no dbt_project.yml: not a dbt package", dir)
}

// checkInstallPath refuses an install path that is not a directory of
// packages: Install replaces it whole, so the project, a folder holding
// it, or a folder with files of its own (models/, target/) would be
// deleted.
func CheckInstallPath(projectDir, as string) error {
	if as == "" {
		as = "dbt_packages"
	}
	dest := as
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(projectDir, dest)
	}
	proj, err := filepath.Abs(projectDir)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(abs, proj); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("packages-install-path %q is the project or a folder holding it: mart deps replaces that folder whole; use a folder of its own such as dbt_packages", as)
	}
	entries, err := os.ReadDir(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			return fmt.Errorf("packages-install-path %q holds the file %s, so it is not a folder of packages: mart deps replaces that folder whole; use a folder of its own such as dbt_packages", as, e.Name())
		}
	}
	return nil
}

// replaceDir puts staging's packages at dest, replacing dest.
func replaceDir(dest, staging string) error {
	old := dest + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(dest); err == nil {
		if err := os.Rename(dest, old); err != nil {
			return err
		}
	}
	fresh := staging + ".done"
	if err := os.Rename(staging, fresh); err != nil {
		return err
	}
	if err := os.Rename(fresh, dest); err != nil {
		os.Rename(old, dest)
		return err
	}
	return os.RemoveAll(old)
}
