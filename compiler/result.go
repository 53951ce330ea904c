package compiler

import (
	"fmt"
	"github.com/mart-dev/mart/internal/phase"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Render renders a node again, e.g. with is_incremental() true at build
// time, and resolves it into runnable SQL.
func (r *Result) Render(id string, opt RenderOptions) (string, error) {
	n := r.Manifest.Node(id)
	if n == nil {
		return "", fmt.Errorf("unknown node %s", id)
	}
	tpl, err := r.c.template(n)
	if err != nil {
		return "", err
	}
	if tpl == nil {
		return n.CompiledCode, nil
	}
	conf := map[string]any{}
	mergeConfig(conf, n.Config)
	st := &renderState{node: n, config: conf}
	out, err := tpl.Render(r.c.renderContext(st, opt))
	if err != nil {
		return "", err
	}
	return r.c.finalize(n, st, strings.TrimSpace(out), map[string]bool{}), nil
}

// CompiledPath returns where a node's compiled SQL is written, relative to
// the target directory.
func CompiledPath(n *Node) string {
	p := n.Path
	if n.ResourceType == TypeTest && n.TestType == "generic" || n.ResourceType == TypeSnapshot && n.relationAt[0] > 0 {
		// declared in YAML: a file per node beside the YAML file
		p = path.Join(path.Dir(n.Path), n.Name+".sql")
	}
	if n.ResourceType == TypeSeed || n.ResourceType == TypeSource || n.ResourceType == TypeUnitTest {
		return ""
	}
	return path.Join("compiled", p)
}

// TargetDir returns the absolute target directory.
func (r *Result) TargetDir() string {
	if filepath.IsAbs(r.Project.TargetPath) {
		return r.Project.TargetPath
	}
	return filepath.Join(r.Project.Dir, r.Project.TargetPath)
}

// WriteTarget writes the compiled SQL of the given nodes and
// target/manifest.json, at the same time.
func (r *Result) WriteTarget(ids []string) error {
	wait, err := r.StartWriteTarget(ids)
	if err != nil {
		return err
	}
	return wait()
}

// StartWriteTarget records the compiled path of the given nodes, makes
// their directories, and writes their compiled SQL and target/manifest.json
// in the background; wait returns when both are written. The nodes must
// not change until then (a build only reads them).
func (r *Result) StartWriteTarget(ids []string) (wait func() error, err error) {
	write, err := r.prepareCompiled(ids)
	if err != nil {
		return nil, fmt.Errorf("writing compiled SQL: %v", err)
	}
	type staged struct {
		commit func(keep bool) error
		err    error
	}
	files, manifest := make(chan error, 1), make(chan staged, 1)
	go func() { err := write(); phase.Mark("compiled files"); files <- err }()
	go func() {
		commit, err := stageManifest(filepath.Join(r.TargetDir(), "manifest.json"), r.Manifest)
		phase.Mark("manifest.json")
		manifest <- staged{commit, err}
	}()
	return sync.OnceValue(func() error {
		ferr, m := <-files, <-manifest
		if ferr != nil {
			// the manifest would name files that are not there
			if m.err == nil {
				m.commit(false)
			}
			return fmt.Errorf("writing compiled SQL: %v", ferr)
		}
		if m.err == nil {
			m.err = m.commit(true)
		}
		if m.err != nil {
			return fmt.Errorf("writing manifest: %v", m.err)
		}
		return nil
	}), nil
}

// RenderText renders a Jinja snippet (a hook) in the context of a node, or
// of the project when id is "".
func (r *Result) RenderText(id, name, text string) (string, error) {
	if !strings.Contains(text, "{{") && !strings.Contains(text, "{%") {
		return text, nil
	}
	n := r.Manifest.Node(id)
	if n == nil {
		n = &Node{Name: r.Project.Name, UniqueID: "project." + r.Project.Name, Config: Config{}}
	}
	tpl, err := r.c.engine.Parse(name, text)
	if err != nil {
		return "", err
	}
	conf := map[string]any{}
	mergeConfig(conf, n.Config)
	st := &renderState{node: n, config: conf}
	out, err := tpl.Render(r.c.renderContext(st, RenderOptions{}))
	if err != nil {
		return "", err
	}
	return r.c.finalize(n, st, strings.TrimSpace(out), map[string]bool{}), nil
}

// RenderMocked renders a model with some of its inputs replaced by mock
// queries (unit tests). Keys of mocks are "ref:<name>", "source:<s>.<t>"
// or "this"; values are select statements.
func (r *Result) RenderMocked(id string, incremental bool, mocks map[string]string) (string, error) {
	n := r.Manifest.Node(id)
	if n == nil {
		return "", fmt.Errorf("unknown model %s", id)
	}
	tpl, err := r.c.template(n)
	if err != nil {
		return "", err
	}
	if tpl == nil {
		return "", fmt.Errorf("unknown model %s", id)
	}
	conf := map[string]any{}
	mergeConfig(conf, n.Config)
	st := &renderState{node: n, config: conf}
	out, err := tpl.Render(r.c.renderContext(st, RenderOptions{Incremental: incremental}))
	if err != nil {
		return "", err
	}
	return r.c.finalizeWith(n, st, strings.TrimSpace(out), map[string]bool{}, mocks), nil
}

// InputKey returns the mock key of a unit test input such as
// "ref('stg_x')" or "source('raw', 'members')".
func InputKey(input string) (string, error) {
	m := inputRE.FindStringSubmatch(strings.TrimSpace(input))
	if m == nil {
		if strings.TrimSpace(input) == "this" {
			return "this", nil
		}
		return "", fmt.Errorf("input %q: expected ref('model') or source('source', 'table')", input)
	}
	args := argRE.FindAllStringSubmatch(m[2], -1)
	switch {
	case m[1] == "ref" && len(args) >= 1:
		return "ref:" + args[len(args)-1][1], nil
	case m[1] == "source" && len(args) == 2:
		return "source:" + args[0][1] + "." + args[1][1], nil
	}
	return "", fmt.Errorf("input %q: expected ref('model') or source('source', 'table')", input)
}

var (
	inputRE = regexp.MustCompile(`^(ref|source)\s*\((.*)\)$`)
	argRE   = regexp.MustCompile(`['"]([^'"]+)['"]`)
)
