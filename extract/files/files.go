// Package files is mart extract's files source: a table per file pattern
// (path:, relative to the project), in CSV, newline-delimited JSON or
// Parquet, read by the warehouse's own readers (DuckDB's read_csv,
// read_json and read_parquet; BigQuery's load jobs). Each file lands
// once: the state records every landed file's path, size and SHA-256, so
// a re-run loads only new and changed files (a changed file's rows
// replace its old ones), and with deletes: reconcile drops the rows of
// files that are gone.
package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mart-dev/mart/extract"
	"github.com/mart-dev/mart/warehouse"
)

func init() {
	extract.Register("files", extract.Kind{Modes: []string{extract.ModeFull}, Extract: extractFiles})
}

// extractFiles lands the new and changed files of the table's pattern.
func extractFiles(ctx context.Context, j *extract.Job) error {
	format, err := formatOf(j.Config)
	if err != nil {
		return err
	}
	found, err := scan(j)
	if err != nil {
		return err
	}
	if err := j.Open(ctx, j.Config.PrimaryKey, false); err != nil {
		return err
	}
	fs, ok := j.Landing().(warehouse.FileStager)
	if !ok {
		return errors.New("this warehouse cannot read files itself")
	}
	landed := map[string]extract.FileState{}
	if st := j.State(); st != nil {
		for _, f := range st.Files {
			landed[f.Path] = f
		}
	}
	var paths, names []string
	for _, f := range found {
		if landed[f.Path] != f {
			paths = append(paths, absPath(j.ProjectDir, f.Path))
			names = append(names, f.Path)
		}
		delete(landed, f.Path)
	}
	var gone []string
	if j.Config.Deletes == extract.DeletesReconcile {
		for p := range landed {
			gone = append(gone, p)
		}
		sort.Strings(gone)
	} else {
		for _, f := range landed { // kept: their rows stay
			found = append(found, f)
		}
		sort.Slice(found, func(a, b int) bool { return found[a].Path < found[b].Path })
	}
	st := j.NewState()
	st.Files = found
	j.SetPhase(extract.PhaseFiles)
	if len(paths) == 0 {
		if prev := j.State(); prev != nil {
			st.Columns = prev.Columns
		}
		return j.Commit(ctx, st, warehouse.LandCommit{NoBatch: true, DeleteFiles: gone})
	}
	cols, n, err := fs.StageFiles(ctx, format, paths, names)
	if err != nil {
		return err
	}
	j.CountRows(n)
	st.Columns = make([]extract.StateColumn, len(cols))
	for i, c := range cols {
		st.Columns[i] = extract.StateColumn{Name: c.Name, Type: c.Type}
	}
	return j.Commit(ctx, st, warehouse.LandCommit{DeleteFiles: gone})
}

// formatOf is the format: given, or the pattern's extension's.
func formatOf(c extract.Config) (warehouse.FileFormat, error) {
	if c.Format != "" {
		return warehouse.FileFormat(c.Format), nil
	}
	switch ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(c.Path, ".gz"))); ext {
	case ".csv", ".tsv", ".txt":
		return warehouse.FormatCSV, nil
	case ".json", ".jsonl", ".ndjson":
		return warehouse.FormatJSON, nil
	case ".parquet":
		return warehouse.FormatParquet, nil
	}
	return "", fmt.Errorf("format: cannot tell the format of %q from its extension: set extract.format (csv, json or parquet)", c.Path)
}

// scan lists the files of the pattern (relative to the project) with
// their sizes and checksums, sorted by path.
func scan(j *extract.Job) ([]extract.FileState, error) {
	pattern := j.Config.Path
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(j.ProjectDir, pattern)
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	var out []extract.FileState
	for _, m := range matches {
		info, err := os.Stat(m)
		if err != nil {
			return nil, err
		}
		if info.IsDir() {
			continue
		}
		sum, err := checksum(m)
		if err != nil {
			return nil, err
		}
		j.AddBytes(info.Size())
		rel, err := filepath.Rel(j.ProjectDir, m)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = m
		}
		out = append(out, extract.FileState{Path: filepath.ToSlash(rel), Size: info.Size(), SHA256: sum})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("path: no file matches %s", j.Config.Path)
	}
	return out, nil
}

// absPath is a landed file's path on disk (state paths are relative to
// the project when the file is in it).
func absPath(dir, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
