package bench

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mart-dev/mart/bench/projgen"
)

// TestGenerateIsDeterministic checks what the benchmarks rely on: the same
// options give the same bytes, the right number of models, refs to models
// or seeds that exist, and no cycles.
func TestGenerateIsDeterministic(t *testing.T) {
	for _, opt := range []projgen.Options{
		{Models: 120, Seed: 7},
		{Models: 120, Seed: 7, Layers: 12, MacrosFiles: 2, Materialized: "table"},
		{Models: 60, Seed: 3, Chain: true, MacrosFiles: -1},
	} {
		t.Run(optName(opt), func(t *testing.T) {
			t.Parallel()
			a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
			if err := projgen.Generate(a, opt); err != nil {
				t.Fatal(err)
			}
			if err := projgen.Generate(b, opt); err != nil {
				t.Fatal(err)
			}
			filesA, filesB := readTree(t, a), readTree(t, b)
			if len(filesA) != len(filesB) {
				t.Fatalf("file counts differ: %d vs %d", len(filesA), len(filesB))
			}
			for path, body := range filesA {
				if !bytes.Equal(body, filesB[path]) {
					t.Errorf("%s differs between two runs", path)
				}
			}
			checkProject(t, opt, filesA)

			// Regenerating in place gives the same bytes again.
			if err := projgen.Generate(a, opt); err != nil {
				t.Fatal(err)
			}
			if again := readTree(t, a); len(again) != len(filesA) {
				t.Errorf("regenerating in place: %d files, want %d", len(again), len(filesA))
			}
		})
	}
}

func TestGenerateRefusesForeignDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := projgen.Generate(dir, projgen.Options{Models: 5}); err == nil {
		t.Fatal("Generate wrote into a non-empty directory it did not create")
	}
}

var (
	refRE   = regexp.MustCompile(`\{\{ ref\('([^']+)'\) \}\}`)
	modelRE = regexp.MustCompile(`^models/layer_\d+/g_\d+/(m_\d+)\.sql$`)
)

func checkProject(t *testing.T, opt projgen.Options, files map[string][]byte) {
	t.Helper()
	refs := map[string][]string{} // model -> models and seeds it refs
	paths := map[string]string{}
	seeds := map[string]bool{}
	for path, body := range files {
		if m := modelRE.FindStringSubmatch(path); m != nil {
			refs[m[1]], paths[m[1]] = nil, path
			for _, r := range refRE.FindAllStringSubmatch(string(body), -1) {
				refs[m[1]] = append(refs[m[1]], r[1])
			}
			checkJinjaBalanced(t, path, string(body))
		}
		if strings.HasPrefix(path, "seeds/") && strings.HasSuffix(path, ".csv") {
			seeds[strings.TrimSuffix(filepath.Base(path), ".csv")] = true
		}
		if strings.HasPrefix(path, "macros/") {
			checkJinjaBalanced(t, path, string(body))
		}
	}
	if len(refs) != opt.Models {
		t.Fatalf("%d model files, want %d", len(refs), opt.Models)
	}
	for model, targets := range refs {
		if len(targets) == 0 && (opt.Chain || !strings.HasPrefix(paths[model], "models/layer_0/")) {
			t.Errorf("%s refs nothing; only literal models of layer_0 may", model)
		}
		for _, target := range targets {
			if _, ok := refs[target]; !ok && !seeds[target] {
				t.Errorf("%s refs %s, which does not exist", model, target)
			}
		}
		if opt.Chain && model != "m_0" && len(targets) != 1 {
			t.Errorf("chain model %s refs %v, want only the previous model", model, targets)
		}
	}
	checkAcyclic(t, refs)
	checkSchemaFiles(t, opt, files)
	var cfg map[string]any
	if err := yaml.Unmarshal(files["mart.yml"], &cfg); err != nil || cfg["name"] != projgen.ProjectName {
		t.Errorf("mart.yml: name %v, error %v", cfg["name"], err)
	}
}

func checkAcyclic(t *testing.T, refs map[string][]string) {
	t.Helper()
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) bool
	visit = func(n string) bool {
		switch state[n] {
		case 1:
			return false
		case 2:
			return true
		}
		state[n] = 1
		for _, d := range refs[n] {
			if !visit(d) {
				t.Errorf("cycle through %s -> %s", n, d)
				return false
			}
		}
		state[n] = 2
		return true
	}
	for n := range refs {
		if !visit(n) {
			return
		}
	}
}

// checkSchemaFiles: every model is documented once, with tests on id.
func checkSchemaFiles(t *testing.T, opt projgen.Options, files map[string][]byte) {
	t.Helper()
	documented := map[string]int{}
	for path, body := range files {
		if filepath.Base(path) != "_schema.yml" {
			continue
		}
		var doc struct {
			Models []struct {
				Name    string
				Columns []struct {
					Name      string
					DataTests []string `yaml:"data_tests"`
				}
			}
		}
		if err := yaml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, m := range doc.Models {
			documented[m.Name]++
			if len(m.Columns) != 3 || len(m.Columns[0].DataTests) != 2 {
				t.Errorf("%s: %s lacks its columns or tests", path, m.Name)
			}
		}
	}
	if len(documented) != opt.Models {
		t.Errorf("%d models documented, want %d", len(documented), opt.Models)
	}
	for name, n := range documented {
		if n != 1 {
			t.Errorf("%s documented %d times", name, n)
		}
	}
}

// checkJinjaBalanced is a cheap sanity check of the templating: delimiters
// pair up and every block is closed.
func checkJinjaBalanced(t *testing.T, path, body string) {
	t.Helper()
	pairs := [][2]string{{"{{", "}}"}, {"{%", "%}"}, {"{#", "#}"}, {"{% for ", "{% endfor %}"},
		{"{% if ", "{% endif %}"}, {"{% macro ", "{%- endmacro %}"}}
	for _, p := range pairs {
		if open, closed := strings.Count(body, p[0]), strings.Count(body, p[1]); open != closed {
			t.Errorf("%s: %d %q but %d %q", path, open, p[0], closed, p[1])
		}
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		files[filepath.ToSlash(rel)] = body
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func optName(opt projgen.Options) string {
	name := fmt.Sprintf("models=%d/layers=%d", opt.Models, opt.Layers)
	if opt.Materialized != "" {
		name += "/" + opt.Materialized
	}
	if opt.Chain {
		name += "/chain"
	}
	return name
}
