package docsite

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tree reads every file under dir, by slash path.
func tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	}))
	return out
}

func demoInput(t testing.TB) Input {
	return Input{Manifest: demoManifest(t)}
}

func TestGenerateWritesASelfContainedSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "target", "docs")
	st, err := Generate(out, demoInput(t))
	require.NoError(t, err)
	files := tree(t, out)
	for _, f := range []string{"index.html", "assets/app.css", "assets/app.js", "data/index.js", "data/search.js", "data/n/0.js", "data/t/0.js", markerFile} {
		assert.Contains(t, files, f)
	}
	var total int64
	for _, b := range files {
		total += int64(len(b))
	}
	assert.Equal(t, len(files), st.Files)
	assert.Equal(t, total, st.Bytes)
	assert.Equal(t, int64(len(files["index.html"])+len(files["assets/app.css"])+len(files["assets/app.js"])+len(files["data/index.js"])), st.FirstPaintBytes)
	m := demoManifest(t)
	assert.Equal(t, len(m.Nodes)+len(m.Sources)+len(m.UnitTests), st.Nodes+st.Tests)

	// nothing is fetched from elsewhere: every reference in the page is relative
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(files["index.html"], -1)
	require.NotEmpty(t, refs)
	for _, r := range refs {
		assert.False(t, strings.Contains(r[1], "//"), "index.html refers to %s", r[1])
	}
	assert.NotRegexp(t, `https?://`, strings.ReplaceAll(files["assets/app.js"], "http://www.w3.org/2000/svg", ""), "the SVG namespace is the only address in the script")
	assert.Contains(t, files["assets/app.css"], ".chroma .k {")
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	_, err := Generate(a, demoInput(t))
	require.NoError(t, err)
	_, err = Generate(b, demoInput(t))
	require.NoError(t, err)
	ta, tb := tree(t, a), tree(t, b)
	require.Equal(t, slices.Sorted(mapKeys(ta)), slices.Sorted(mapKeys(tb)))
	for name := range ta {
		assert.True(t, ta[name] == tb[name], "%s differs between two runs", name)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestGenerateReplacesItsOwnSiteOnly(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "docs")
	_, err := Generate(out, demoInput(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(out, "data", "n", "999.js"), []byte("stale"), 0o644))
	_, err = Generate(out, demoInput(t))
	require.NoError(t, err)
	assert.NoFileExists(t, filepath.Join(out, "data", "n", "999.js"), "a new run replaces the whole site")
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary directory is left behind")

	foreign := filepath.Join(root, "mine")
	require.NoError(t, os.MkdirAll(foreign, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("keep me"), 0o644))
	_, err = Generate(foreign, demoInput(t))
	require.ErrorContains(t, err, "was not written by mart docs generate")
	assert.FileExists(t, filepath.Join(foreign, "notes.txt"))

	empty := filepath.Join(root, "empty")
	require.NoError(t, os.MkdirAll(empty, 0o755))
	_, err = Generate(empty, demoInput(t))
	require.NoError(t, err)
}

func TestGenerateNeedsAManifest(t *testing.T) {
	_, err := Generate(t.TempDir(), Input{})
	require.Error(t, err)
}

func TestEveryScriptIsInTheBundle(t *testing.T) {
	entries, err := assets.ReadDir("assets/js")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, names, scriptOrder)
}

func TestAnEmptyProjectHasASite(t *testing.T) {
	m := compileProject(t, map[string]string{"mart.yml": "name: empty\n"})
	dir := filepath.Join(t.TempDir(), "docs")
	st, err := Generate(dir, Input{Manifest: m, Catalog: EmptyCatalog(time.Now())})
	require.NoError(t, err)
	assert.Zero(t, st.Nodes)
	p := openSite(t, dir)
	p.open("", "overview")
	assert.Equal(t, "empty", p.text("main h1"))
	assert.Contains(t, p.text("main"), "No warehouse catalog (generated with --empty-catalog")
	p.do(chromedp.SendKeys(chromedp.CSS("#q"), "x"))
	assert.Contains(t, p.text("#q-results"), "No match")
	p.open("#/lineage?select=*", "lineage")
	p.open("#/node/model.empty.x", "missing")
}
