//go:build !linux

package compiler

import "path/filepath"

// statNames stats the named entries of dir (see the Linux version).
func statNames(dir string, names []string, out []fileStat) []error {
	return statNamesByPath(dir, names, out)
}

// readFileStat stats the file, then reads it.
func readFileStat(name string) ([]byte, fileStat, error) {
	st, err := statOf(name)
	if err != nil {
		st = fileStat{Size: -1}
	}
	data, err := readFile(name)
	return data, st, err
}

// readFileStat is readFileStat for the file name of the directory.
func (d dirFiles) readFileStat(name string) ([]byte, fileStat, error) {
	return readFileStat(filepath.Join(d.dir, name))
}
