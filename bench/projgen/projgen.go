// Package projgen owns the synthetic mart projects that benchmarks build:
// Generate writes a project of any size (mart.yml, layered models with
// fan-in, _schema.yml files with column docs and tests, macro files and one
// seed) whose templating is written the way analysts write dbt models and
// whose SQL builds on DuckDB. The same Options always give the same bytes.
//
// Apart from mart.yml, a generated project is also a valid dbt project, so
// the same files can be timed with other tools.
package projgen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Options says what project Generate writes. Zero values pick defaults.
type Options struct {
	// Models is the number of models, named m_0 ... m_<Models-1>. Required.
	Models int
	// Seed drives every random choice (fan-in, which templating a model
	// uses, literal values); the same Seed gives the same bytes.
	Seed int64
	// MacrosFiles is the number of macros/*.sql files, each holding several
	// {% macro %} definitions that models call. 0 means 4; a negative
	// number writes no macros and no macro calls.
	MacrosFiles int
	// Layers is the number of folders models/layer_0 ... layer_<Layers-1>;
	// a model refs only models of earlier layers. 0 means 6; it is capped
	// at Models.
	Layers int
	// Materialized is "view" or "table" for every model, or "" for the
	// realistic mix: layer_0 and other even layers are views, odd layers
	// tables, and some models and folders override to table. (The mix
	// never stacks views more than a few deep, which DuckDB would re-bind
	// at every level.)
	Materialized string
	// Chain makes each model ref only the previous one (m_i refs m_<i-1>,
	// m_0 reads the seed): a linear chain, for build-overhead benchmarks
	// where no two models can run at once.
	Chain bool
	// Package installs a package (dbt_packages/bench_utils) whose macro
	// dispatches through adapter.dispatch, and every model calls it once
	// (bench_utils.safe_divide): the cost of a package macro per model.
	Package bool
}

const (
	defaultLayers      = 6
	defaultMacrosFiles = 4
	// groupSize is how many models share one models/layer_k/g_j folder.
	groupSize = 25
	// seedRows is the row count of seeds/base.csv and so the upper bound of
	// every model's rows: builds stay cheap, whatever the project size.
	seedRows = 100
	// markerFile marks a directory written by Generate, which it may
	// therefore clear and rewrite.
	markerFile = ".projgen"
)

// ProjectName is the `name:` of every generated project.
const ProjectName = "synth"

// ownedPaths are the paths under the project directory that Generate
// writes, and removes first when it regenerates a project in place.
var ownedPaths = []string{"mart.yml", "models", "macros", "seeds", markerFile}

// Generate writes the project described by opt into dir. dir must not
// exist, be empty, or hold a project written earlier by Generate, whose
// files it replaces (target/ and other files are left alone).
func Generate(dir string, opt Options) error {
	p, err := plan(opt)
	if err != nil {
		return err
	}
	if err := prepareDir(dir); err != nil {
		return err
	}
	files := p.files()
	return writeFiles(dir, files)
}

// prepareDir makes sure dir exists and holds nothing of an earlier project.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("projgen: %w", err)
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, markerFile)); err != nil {
		return fmt.Errorf("projgen: %s is not empty and was not written by projgen; refusing to write into it", dir)
	}
	for _, name := range ownedPaths {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("projgen: clearing the old project: %w", err)
		}
	}
	return nil
}

// file is one file of the project, its path relative to the project dir.
type file struct {
	path string
	body func() []byte
}

// writeFiles writes files in parallel: a 10,000-model project is mostly
// file-creation syscalls. Directories are made first, in order.
func writeFiles(dir string, files []file) error {
	made := map[string]bool{}
	for _, f := range files {
		d := filepath.Dir(filepath.Join(dir, f.path))
		if made[d] {
			continue
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("projgen: %w", err)
		}
		made[d] = true
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan file)
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range next {
				if err := os.WriteFile(filepath.Join(dir, f.path), f.body(), 0o644); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("projgen: %w", err))
					mu.Unlock()
				}
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
