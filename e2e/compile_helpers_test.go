package e2e

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Helpers for the compile_*_test.go files: they drive `mart compile` and
// `mart ls` on projects under testdata/compile_*.

// runStartedRE matches run_started_at as templates print it.
var runStartedRE = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00`)

// sanitize replaces what changes between runs (run_started_at, the
// invocation id) by fixed markers, so golden files do not flicker.
func sanitize(s string) string {
	s = runStartedRE.ReplaceAllString(s, "<run_started_at>")
	return invocationRE.ReplaceAllString(s, `"invocation_id":"<invocation_id>"`)
}

var invocationRE = regexp.MustCompile(`"invocation_id":\s*"[0-9a-f-]+"`)

// compiledFiles returns target/compiled's files (slash paths relative to
// it) and their contents.
func compiledFiles(t *testing.T, dir string) (names []string, content map[string]string) {
	t.Helper()
	root := filepath.Join(dir, "target", "compiled")
	content = map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		names = append(names, rel)
		content[rel] = string(data)
		return nil
	})
	require.NoError(t, err)
	sort.Strings(names)
	return names, content
}

// manifest is the part of target/manifest.json the tests read.
type manifest struct {
	Metadata  map[string]any             `json:"metadata"`
	Nodes     map[string]map[string]any  `json:"nodes"`
	Sources   map[string]map[string]any  `json:"sources"`
	Macros    map[string]map[string]any  `json:"macros"`
	Docs      map[string]string          `json:"docs"`
	Disabled  map[string][]string        `json:"disabled"`
	ParentMap map[string][]string        `json:"parent_map"`
	ChildMap  map[string][]string        `json:"child_map"`
	Raw       map[string]json.RawMessage `json:"-"`
}

func readManifest(t *testing.T, dir string) manifest {
	t.Helper()
	data := readFile(t, dir, "target/manifest.json")
	var m manifest
	require.NoError(t, json.Unmarshal([]byte(data), &m))
	require.NoError(t, json.Unmarshal([]byte(data), &m.Raw))
	return m
}

// node returns a node or source of the manifest by unique id.
func (m manifest) node(t *testing.T, id string) map[string]any {
	t.Helper()
	if n, ok := m.Nodes[id]; ok {
		return n
	}
	n, ok := m.Sources[id]
	require.True(t, ok, "manifest has no node %s", id)
	return n
}

// excerpt picks fields of a node for a golden file; a checksum is shown as
// its algorithm and length, which do not change when the text does.
func (m manifest) excerpt(t *testing.T, id string, fields ...string) map[string]any {
	t.Helper()
	n := m.node(t, id)
	out := map[string]any{}
	for _, f := range fields {
		v, ok := n[f]
		if !ok {
			out[f] = "<absent>"
			continue
		}
		if f == "checksum" {
			c := v.(map[string]any)
			out[f] = map[string]any{"name": c["name"], "checksum_length": len(c["checksum"].(string))}
			continue
		}
		out[f] = v
	}
	return out
}

// jsonText formats v as indented JSON with sorted keys.
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	return string(b) + "\n"
}

// requireNoTarget checks that a failed command left no target/ output.
func requireNoTarget(t *testing.T, dir string) {
	t.Helper()
	_, err := os.Stat(filepath.Join(dir, "target"))
	require.True(t, os.IsNotExist(err), "target/ was written although the command failed")
}

// stderrLines returns the non-empty lines of stderr.
func stderrLines(r result) []string {
	var out []string
	for _, l := range strings.Split(r.Stderr, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// compiledFilesIfAny lists target/compiled's files, if there are any.
func compiledFilesIfAny(dir string) ([]string, error) {
	var names []string
	root := filepath.Join(dir, "target", "compiled")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	return names, err
}
