package compiler

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// walkDirFiles is how scanProject listed a path's files before it had a
// walker of its own: filepath.WalkDir, with filepath.Rel of each file.
func walkDirFiles(t *testing.T, projectDir, dir string) (files, dirs, missing []string) {
	err := filepath.WalkDir(dir, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				missing = append(missing, fp)
				return nil
			}
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && fp != dir {
				return filepath.SkipDir
			}
			dirs = append(dirs, fp)
			return nil
		}
		if !compileReads(d.Name(), d.Type()) {
			return nil
		}
		rel, _ := filepath.Rel(projectDir, fp)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	require.NoError(t, err)
	return files, dirs, missing
}

// TestScanListsWhatWalkDirListed: the scan's own walker finds the files
// filepath.WalkDir found, in its order, stats the same directories in
// the same order and counts the same paths missing: hidden directories
// left out, hidden files and editors' files as compileReads says,
// symlinks (to a file, to a directory, to nothing) listed as files, a
// path that is a file or a symlink, a path that does not exist, and the
// project's own directory as a path.
func TestScanListsWhatWalkDirListed(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("select 1"), 0o644))
	}
	for _, rel := range []string{"models/a.sql", "models/b-x.sql", "models/b/c.sql", "models/b/_s.yml", "models/.hidden/h.sql",
		"models/.h.sql", "models/.#lock.sql", "models/m.sql.swp", "models/m.sql~", "models/README", "models/b/d/e/f.md",
		"models/z/y.yaml", "seeds/s.csv", "single.sql", "dbt_project.yml"} {
		write(rel)
	}
	require.NoError(t, os.Symlink(filepath.Join(dir, "models", "a.sql"), filepath.Join(dir, "models", "link.sql")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "models", "b"), filepath.Join(dir, "models", "linkdir")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "models", "dangling")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "models"), filepath.Join(dir, "models-link")))

	for _, p := range []string{"models", "seeds", "single.sql", "models-link", "missing", ".", "models/b"} {
		c := &compilation{scope: &scope{project: &Project{Dir: dir}}, states: map[string]*renderState{}}
		c.inv = &inventory{}
		proj := &Project{Dir: dir, ModelPaths: []string{p}}
		found, err := c.scanProject(proj)
		require.NoError(t, err, p)
		var got []string
		for _, f := range found {
			require.Equal(t, "models", f.kind)
			require.Equal(t, p, f.root)
			got = append(got, f.rel)
		}
		var gotDirs, gotMissing []string
		for _, d := range c.inv.dirs {
			if d.Missing {
				gotMissing = append(gotMissing, d.Path)
			} else {
				gotDirs = append(gotDirs, d.Path)
			}
		}
		want, wantDirs, wantMissing := walkDirFiles(t, dir, filepath.Join(dir, p))
		require.Equal(t, want, got, p)
		require.Equal(t, wantDirs, gotDirs, p)
		require.Equal(t, wantMissing, gotMissing, p)
	}
}
