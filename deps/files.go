package deps

import (
	"io/fs"
	"os"
	"path/filepath"
)

// linkOrCopy makes a local package available at target: a symbolic link
// to it, as dbt does (edits show without running deps again), or a copy
// where links cannot be made.
func linkOrCopy(dir, target string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.Symlink(abs, target); err == nil {
		return nil
	}
	return copyDir(abs, target)
}

// copyDir copies a directory tree (regular files and directories).
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		info, err := d.Info()
		if err != nil {
			return err
		}
		return writeFrom(target, in, info.Mode().Perm())
	})
}
